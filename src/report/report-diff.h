/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "report.h"

/*
 * What got worse or better between two reports ("kvmaudit diff").
 * Results are matched by (check id, subject).  A finding is a fail or
 * error result.  Entries borrow the results of both reports, which must
 * outlive the diff.
 */

#define REPORT_DIFF_SCHEMA_VERSION 1

typedef struct DiffEntry {
        const Result *old;      /* NULL: no such result in OLD */
        const Result *new;      /* NULL: no such result in NEW */
} DiffEntry;

typedef struct DiffEntries {
        DiffEntry *v;
        size_t n;
} DiffEntries;

typedef struct ReportDiff {
        const Report *old, *new;
        /* finding in NEW; in OLD pass, skip, waived or absent */
        DiffEntries new_failures;
        /* finding in OLD; in NEW pass or absent */
        DiffEntries fixed;
        /* finding in both, observed value changed */
        DiffEntries changed;
        /* check ids only in NEW, only in OLD; borrowed from the checks */
        const char **checks_added;
        size_t n_checks_added;
        const char **checks_removed;
        size_t n_checks_removed;
        /* score change; has_delta when both reports have a score and
         * were made with the same selection */
        bool has_delta;
        double delta;
        /* The reports were made with different selections (--profile,
         * --only, --skip, waivers file): only the checks both ran are
         * compared, and *selection_note says how they differ. */
        bool selection_differs;
        char *selection_note;
} ReportDiff;

void report_diff_done(ReportDiff *d);

/* Compares two scored reports.  0 or -ENOMEM. */
int report_diff(const Report *old, const Report *new, ReportDiff *ret);

/* True when something got worse: a new failure or a lower score. */
bool report_diff_worse(const ReportDiff *d);

typedef struct DiffRenderer {
        const char *name;
        int (*render)(const ReportDiff *d, const RenderOptions *o, FILE *out);
} DiffRenderer;

const DiffRenderer *diff_renderer_find(const char *name);
/* "text, json, markdown"; static string. */
const char *diff_renderer_names(void);

int render_diff_text(const ReportDiff *d, const RenderOptions *o, FILE *out);
int render_diff_json(const ReportDiff *d, const RenderOptions *o, FILE *out);
int render_diff_markdown(const ReportDiff *d, const RenderOptions *o, FILE *out);
