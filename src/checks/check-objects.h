/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Iteration over the objects that domain and process checks judge:
 * libvirt domains (parsed once per scan from the domain: facts) and
 * running QEMU processes (process: facts).  Evaluators call
 * eval_for_each_domain()/eval_for_each_process() and emit one result per
 * object with the subject "domain:NAME" or "process:PID".  When there is
 * no object, or the source is unreadable, these emit the one skip or error
 * result themselves.
 */

#include "check.h"
#include "domain.h"

typedef struct DomainEntry {
        char *name;
        char *subject;          /* "domain:NAME" */
        const char *state;      /* domainstate: value, or NULL when unknown */
        Domain *model;          /* NULL when the definition did not parse */
        char *error;            /* why it did not parse */
} DomainEntry;

typedef struct DomainSet {
        DomainEntry *v;
        size_t n;
} DomainSet;

/* The parsed domains of this scan (cached in the fact store), or NULL
 * when the domain list is unreadable: then *ret_list holds that fact. */
const DomainSet *eval_domains(EvalContext *ctx, const Fact **ret_list);

bool domain_entry_running(const DomainEntry *e);

typedef int (*DomainFunc)(EvalContext *ctx, const DomainEntry *e, void *userdata);

/* Runs @fn for every parsed domain; unparsable ones get an error result.
 * No domain at all: one skip result with subject "host". */
int eval_for_each_domain(EvalContext *ctx, DomainFunc fn, void *userdata);

typedef int (*ProcessFunc)(EvalContext *ctx, const char *pid, const char *subject, void *userdata);

/* Runs @fn for every running QEMU process ("qemu:pids"). */
/* "process:NAME/UUID" of a QEMU process (the VM libvirt named on its
 * command line), "process:NAME", or "process:PID" when it names none.
 * Caller frees; NULL on ENOMEM. */
char *eval_process_subject(EvalContext *ctx, const char *pid);
int eval_for_each_process(EvalContext *ctx, ProcessFunc fn, void *userdata);

/*
 * Daemons: the libvirt daemons whose configuration a check judges.
 * @names are daemon names ("libvirtd", "virtqemud", "virtproxyd": the
 * check's "param = daemons ..."; NULL: all three).  A daemon counts when
 * its /etc/libvirt/NAME.conf exists, or its binary /usr/sbin/NAME does
 * (then libvirt's defaults apply).  The subject is the file's path; an
 * unreadable or unparsable file gives that subject an error.  No daemon at
 * all: one skip naming what was looked for.
 */
typedef int (*DaemonObjFunc)(EvalContext *ctx, const char *name, const char *subject, void *userdata);

int eval_for_each_daemon(EvalContext *ctx, char *const *names, DaemonObjFunc fn, void *userdata);
/* The daemons of a check whose "daemons" param is absent. */
extern char *const daemon_names_all[];

/* The process:PID/FIELD fact. */
const Fact *eval_process_fact(EvalContext *ctx, const char *pid, const char *field);

/* The keys of the objects the engine iterates for @c on @facts (domain
 * names, QEMU PIDs, daemon names; none for host scope or when the source
 * is unreadable), read through the check's object sources: what "@"
 * stands for when "collect" expands a declaration.  Caller frees. */
int check_object_keys(const Check *c, FactStore *facts, char ***ret);
