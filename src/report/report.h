/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"

/*
 * A finished scan: metadata, results and their scores.  Renderers see
 * only this; they never probe and never decide pass or fail.
 */

#define REPORT_SCHEMA_VERSION 1

typedef struct CategoryStats {
        char *name;
        bool has_score;
        double score;
        unsigned counts[_STATUS_MAX];
        unsigned checks;        /* checks of the category that ran */
        unsigned judged;        /* of those, checks with a pass, fail or waived result */
} CategoryStats;

/* The status of one control in a per-framework view (docs/compliance/):
 * fail when a result of a check mapped to it failed, waived when none
 * failed but one was waived, pass when all evaluated results (pass, fail,
 * waived) passed, not-assessed when none was evaluated (skip or error). */
typedef enum ControlStatus {
        CONTROL_PASS,
        CONTROL_FAIL,
        CONTROL_WAIVED,
        CONTROL_NOT_ASSESSED,
        _CONTROL_STATUS_MAX,
        _CONTROL_STATUS_INVALID = -EINVAL,
} ControlStatus;

const char *control_status_to_string(ControlStatus s);

typedef struct ControlView {
        char *id;               /* "SC-39" */
        ControlStatus status;
        unsigned counts[_STATUS_MAX];   /* results of the checks mapped to it */
        char **checks;          /* ids of those checks, sorted */
        char **failing;         /* ids of those with a failed result, sorted; NULL when none */
} ControlView;
/* What the scan was asked to run (recorded so that "diff" can tell two
 * reports of different selections apart).  NULL/-1 where not given. */
typedef struct ReportSelection {
        bool recorded;          /* false in a report made before selections were recorded */
        char *gate;             /* --profile NAME or PATH: the gate (gates/), a check selection */
        char **only;            /* --only, in order */
        char **skip;            /* --skip, in order */
        char *waivers;          /* --waivers FILE */
        char *waivers_sha256;   /* digest of its content */
        double min_coverage;    /* the gate's minimum coverage, -1 when no gate */
} ReportSelection;

typedef struct Report {
        /* metadata; NULL where unknown or --reproducible */
        char *tool_version;
        char *hostname;
        char *kernel;
        char *root;
        char *libvirt_uri;
        char *started_at;       /* RFC 3339 */
        int64_t duration_ms;    /* -1 when not recorded */
        char *kconfig_source;

        Results results;        /* owned */

        /* Scan-wide warnings (expired or unused waivers); NULL when none. */
        char **warnings;

        ReportSelection selection;

        /* computed by report_score() */
        unsigned checks;        /* checks that ran (each has at least one result) */
        unsigned judged;        /* checks with at least one pass, fail or waived result */
        double coverage;        /* 100 * judged / checks, one decimal; 0 when no check ran */
        bool has_score;
        double score;
        CategoryStats *categories;
        size_t n_categories;
        unsigned summary[_STATUS_MAX];

        /* per-control view, computed by report_controls(); none unless
         * has_framework */
        bool has_framework;
        Framework framework;
        ControlView *controls;
        size_t n_controls;
} Report;

void report_done(Report *r);

/* Sorts results and computes the score, category subscores and counts
 * (CHECKS.md section 3). */
int report_score(Report *r);

/* Computes the per-control view of @f from the results (their checks'
 * control keys), sorted by identifier.  Controls no result maps to are not
 * listed. */
int report_controls(Report *r, Framework f);

/* Rounds half away from zero to one decimal. */
double score_round1(double v);

/* The gate of "scan" (thresholds, coverage, reasons) is the scan layer's:
 * src/scan/scan-gate.c. */
/* Gate: 1 when the gate fails. @fail_under < 0 and @fail_on < 0 disable. */
bool report_gate_failed(const Report *r, double fail_under, int fail_on);

typedef struct RenderOptions {
        bool color;
} RenderOptions;

typedef struct Renderer {
        const char *name;       /* --format NAME */
        int (*render)(const Report *r, const RenderOptions *o, FILE *out);
} Renderer;

const Renderer *renderer_find(const char *name);
/* "text, json, junit, markdown, sarif, prometheus, html, xccdf" for --help and errors; static string. */
const char *renderer_names(void);

int render_text(const Report *r, const RenderOptions *o, FILE *out);
int render_json(const Report *r, const RenderOptions *o, FILE *out);
int render_junit(const Report *r, const RenderOptions *o, FILE *out);
int render_markdown(const Report *r, const RenderOptions *o, FILE *out);
/* SARIF 2.1.0 (code-scanning UIs). */
int render_sarif(const Report *r, const RenderOptions *o, FILE *out);
/* Prometheus text exposition for node_exporter's textfile collector. */
int render_prometheus(const Report *r, const RenderOptions *o, FILE *out);
/* One self-contained HTML page (report/html/ embedded at build time). */
int render_html(const Report *r, const RenderOptions *o, FILE *out);
/* XCCDF 1.2: a Benchmark of the report's checks and a TestResult. */
int render_xccdf(const Report *r, const RenderOptions *o, FILE *out);
