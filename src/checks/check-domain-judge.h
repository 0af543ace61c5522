/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Shared by the domain judges (check-eval-domain.c, check-eval-domain-files.c):
 * the tally of one domain's devices and the call of a judge of one parsed
 * domain.  Internal to src/checks/.
 */

#include "check-evaluators.h"
#include "check-objects.h"
#include "util.h"

/*
 * Most rows judge a list of devices: each offending one goes to `bad`, each
 * one that cannot be judged from the facts at hand to `unknown`, each good
 * one to `ok`.  Any bad → fail (unknowns are listed too); else any unknown →
 * skip, or error when a fact was unreadable; else pass, or skip with
 * `none` when the domain has nothing of the kind (CHECKS.md 1.3).
 */
typedef struct DeviceTally {
        StrBuf bad, unknown, ok;
        unsigned n_items;
        bool error;
} DeviceTally;

#define NOTE(b, ...)                                    \
        do {                                            \
                if ((b)->len > 0)                       \
                        strbuf_append((b), "; ");       \
                strbuf_printf((b), __VA_ARGS__);        \
        } while (0)

void domain_tally_done(DeviceTally *v);
/* The verdict of a tally (and frees it). */
int domain_tally_verdict(DeviceTally *v, const char *none, Verdict *ret);
/* A fact that could not be read goes to `unknown`; returns true then. */
bool domain_tally_unusable(DeviceTally *v, const char *what, const Fact *f);

/* A judge of one parsed domain; @ds is every domain of the scan. */
typedef int (*DomainJudgeFunc)(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret);

/* Finds the domain of @call (its object) in the scan's parsed set and
 * runs @fn on it. */
int domain_judge(const JudgeCall *call, DomainJudgeFunc fn, Verdict *ret);

/* check-eval-domain-files.c */
int judge_domain_console_log_private(const JudgeCall *call, Verdict *ret);
int judge_domain_files_private(const JudgeCall *call, Verdict *ret);
