/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Messages on stderr: they echo file names, JSON keys, check ids and values
 * from the files we read, so they are written with their control
 * characters visible, as the text report is (text-escape.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "text-escape.h"
#include "util.h"

void
cli_error(const char *fmt, ...)
{
        _cleanup_free_ char *m = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&m, fmt, ap);
        va_end(ap);
        if (r < 0) {
                fputs("kvmaudit: out of memory\n", stderr);
                return;
        }
        fputs_escaped(stderr, ESCAPE_LINE, m);
        fputc('\n', stderr);
}
