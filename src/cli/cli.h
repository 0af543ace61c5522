/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "check.h"
#include "strv.h"

/* Exit codes (DESIGN.md). */
enum {
        EXIT_GATE_PASSED = 0,
        EXIT_GATE_FAILED = 1,
        EXIT_USAGE = 2,
        EXIT_CANNOT_RUN = 3,
};

/* Prints one message line on stderr (the newline is added), control
 * characters of the whole message escaped: it quotes what we read. */
void cli_error(const char *fmt, ...) _printf_(1, 2);

/* scan_catalog_load() (the embedded catalogue plus every *.check in
 * @extra_dirs) that prints "kvmaudit: file:line: message" on bad input. */
int cli_load_catalog(char *const *extra_dirs, Catalog *ret);

int verb_scan(int argc, char **argv);
int verb_collect(int argc, char **argv);
int verb_checks(int argc, char **argv);
int verb_explain(int argc, char **argv);

/* kvmaudit report FILE.json, kvmaudit diff OLD.json NEW.json (cli-report.c). */
int verb_report(int argc, char **argv);
int verb_diff(int argc, char **argv);

/* kvmaudit profile apparmor (cli-profile.c). */
int verb_profile(int argc, char **argv);

/* Prints the main --help. */
void cli_help(void);
/* --framework NAME of scan and report: 0 and *ret set, or -EINVAL after
 * naming the value and the known frameworks. */
int cli_parse_framework(const char *verb, const char *value, Framework *ret);
