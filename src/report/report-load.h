/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "report.h"

/*
 * A report read back from its JSON form (schema_version 1, written by
 * "kvmaudit scan --format json"), for "kvmaudit report" and "kvmaudit
 * diff".  The results point at Check objects rebuilt from the per-result
 * metadata (one per check id), which the LoadedReport owns.
 */

/* A report larger than this is not one of ours. */
#define REPORT_FILE_MAX     (32u * 1024u * 1024u)
/* At most this many results, and this many warnings. */
#define REPORT_RESULTS_MAX  65536u
#define REPORT_WARNINGS_MAX 4096u
/* JSON nesting the report needs is 4 levels; allow some slack. */
#define REPORT_JSON_DEPTH   16

typedef struct LoadedReport {
        Report report;          /* scored with report_score() */
        Catalog checks;         /* what report.results point at */
} LoadedReport;

void loaded_report_done(LoadedReport *l);

/*
 * Parses a JSON report's @text (NUL-terminated) into *ret, recomputes its
 * scores and checks that they equal those of the file.  On bad input
 * returns -EBADMSG (syntax, missing or ill-typed field, unknown value,
 * score mismatch) or -EPROTONOSUPPORT (newer schema_version) and sets
 * *ret_error to "FILENAME: what was wrong" (caller frees); *ret is then
 * untouched.  Fields are named by their JSON path, e.g.
 * "results[3].severity".
 */
int report_load_json(const char *text, const char *filename, LoadedReport *ret, char **ret_error);
