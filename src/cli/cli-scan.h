/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The options of "kvmaudit scan" and "kvmaudit collect" (cli-scan-options.c). */

#include <stdbool.h>

#include "cli-output.h"
#include "scan.h"

typedef struct ScanOptions {
        ScanRequest req;        /* borrows argv and the lists below */
        const char *format;     /* --format; NULL when not given */
        OutputSet outputs;      /* -o, repeatable */
        char **only;            /* --only, --skip, --checks (owned) */
        char **skip;
        char **check_dirs;
        bool no_color;
        bool quiet;
        bool debug;             /* --debug: log what the sandbox denies */
} ScanOptions;

void scan_options_done(ScanOptions *o);

/* Parses the options of scan (@collect false) or collect into *o (which
 * borrows @argv): 0, 1 after --help (printed), or -EINVAL/-ENOMEM after
 * saying what was wrong on stderr. */
int scan_options_parse(int argc, char **argv, bool collect, ScanOptions *o);
