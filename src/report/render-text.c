/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report for people: grouped by category, failures first, the
 * summary line last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

#define ANSI_RED    "\033[1;31m"
#define ANSI_YELLOW "\033[1;33m"
#define ANSI_GREEN  "\033[32m"
#define ANSI_GREY   "\033[2m"
#define ANSI_BOLD   "\033[1m"
#define ANSI_RESET  "\033[0m"

/* Order within a category: what needs action first. */
static const Status status_order[] = {STATUS_FAIL, STATUS_ERROR, STATUS_WAIVED, STATUS_SKIP, STATUS_PASS};

static const char *
status_color(Status s)
{
        switch (s) {
        case STATUS_FAIL: return ANSI_RED;
        case STATUS_ERROR: return ANSI_YELLOW;
        case STATUS_PASS: return ANSI_GREEN;
        default: return ANSI_GREY;
        }
}

static void
put_status(FILE *out, const RenderOptions *o, Status s)
{
        char label[8];

        snprintf(label, sizeof(label), "%s", status_to_string(s));
        for (char *c = label; *c; c++)
                *c = (char) (*c - 'a' + 'A');
        if (o->color)
                fprintf(out, "%s%-6s%s", status_color(s), label, ANSI_RESET);
        else
                fprintf(out, "%-6s", label);
}

/* Every string of a report may come from the audited host or from a
 * report file: written with its control characters visible, so that none
 * reaches the terminal and none starts a line of its own. */
static void
put(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_LINE, s);
}

/* @prefix, @s escaped, @suffix. */
static void
put3(FILE *out, const char *prefix, const char *s, const char *suffix)
{
        fputs(prefix, out);
        put(out, s);
        fputs(suffix, out);
}

static void
format_score(char *buf, size_t n, bool has, double v)
{
        if (has)
                snprintf(buf, n, "%.1f", v);
        else
                snprintf(buf, n, "n/a");
}

/* One block per VM and per QEMU process: their counts, failures named.
 * Results are sorted by check; a stable index sort groups them by subject
 * (O(n log n): a fleet host may carry tens of thousands of results). */
static const Results *sort_results;

static int
cmp_by_subject(const void *a, const void *b)
{
        size_t x = *(const size_t *) a, y = *(const size_t *) b;
        int r = strcmp(sort_results->v[x].subject, sort_results->v[y].subject);

        return r != 0 ? r : (x > y) - (x < y);
}

static int
render_objects(const Report *r, const RenderOptions *o, FILE *out, const char *prefix, const char *heading)
{
        _cleanup_free_ size_t *idx = calloc(r->results.n ? r->results.n : 1, sizeof(size_t));
        size_t n = 0;

        if (!idx)
                return -ENOMEM;
        for (size_t i = 0; i < r->results.n; i++)
                if (startswith(r->results.v[i].subject, prefix))
                        idx[n++] = i;
        if (n == 0)
                return 0;
        sort_results = &r->results;
        qsort(idx, n, sizeof(size_t), cmp_by_subject);
        fprintf(out, "\n%s%s%s\n", o->color ? ANSI_BOLD : "", heading, o->color ? ANSI_RESET : "");
        for (size_t i = 0, j; i < n; i = j) {
                const char *subj = r->results.v[idx[i]].subject;
                unsigned counts[_STATUS_MAX] = {};

                for (j = i; j < n && streq(r->results.v[idx[j]].subject, subj); j++)
                        counts[r->results.v[idx[j]].status]++;
                put3(out, "  ", subj, "");
                fprintf(out, "  pass %u, fail %u, skip %u, error %u, waived %u\n", counts[STATUS_PASS],
                        counts[STATUS_FAIL], counts[STATUS_SKIP], counts[STATUS_ERROR], counts[STATUS_WAIVED]);
                for (size_t k = i; k < j; k++) {
                        const Result *res = &r->results.v[idx[k]];
                        if (res->status != STATUS_FAIL && res->status != STATUS_ERROR)
                                continue;
                        fputs("    ", out);
                        put_status(out, o, res->status);
                        fprintf(out, " %-8s ", severity_to_string(res->check->severity));
                        put3(out, "", res->check->id, "\n");
                }
        }
        return 0;
}

/* The per-control view of --framework: one line per control, the failing
 * checks under a failed one. */
static void
render_controls(const Report *r, const RenderOptions *o, FILE *out)
{
        if (!r->has_framework)
                return;
        fprintf(out, "\n%sControls: %s%s\n", o->color ? ANSI_BOLD : "", framework_title(r->framework),
                o->color ? ANSI_RESET : "");
        if (r->n_controls == 0)
                fputs("  no result maps to a control of this framework\n", out);
        for (size_t i = 0; i < r->n_controls; i++) {
                const ControlView *v = &r->controls[i];

                fprintf(out, "  %-12s ", control_status_to_string(v->status));
                put(out, v->id);
                fprintf(out, "  (pass %u, fail %u, skip %u, error %u, waived %u; %zu checks)\n",
                        v->counts[STATUS_PASS], v->counts[STATUS_FAIL], v->counts[STATUS_SKIP],
                        v->counts[STATUS_ERROR], v->counts[STATUS_WAIVED], strv_length(v->checks));
                STRV_FOREACH(id, v->failing)
                        put3(out, "               failed: ", *id, "\n");
        }
}

int
render_text(const Report *r, const RenderOptions *o, FILE *out)
{
        char score[16];

        put3(out, "kvmaudit ", strna(r->tool_version), ": host ");
        put3(out, "", strna(r->hostname), ", kernel ");
        put3(out, "", strna(r->kernel), ", root ");
        put3(out, "", strna(r->root), "\n");
        if (r->kconfig_source)
                put3(out, "kernel config: ", r->kconfig_source, "\n");

        for (size_t k = 0; k < r->n_categories; k++) {
                const CategoryStats *cat = &r->categories[k];

                format_score(score, sizeof(score), cat->has_score, cat->score);
                put3(out, o->color ? "\n" ANSI_BOLD : "\n", cat->name, o->color ? ANSI_RESET : "");
                fprintf(out, "  score %s  (pass %u, fail %u, skip %u, error %u, waived %u)\n", score,
                        cat->counts[STATUS_PASS], cat->counts[STATUS_FAIL], cat->counts[STATUS_SKIP],
                        cat->counts[STATUS_ERROR], cat->counts[STATUS_WAIVED]);

                for (size_t s = 0; s < ELEMENTSOF(status_order); s++)
                        for (size_t i = 0; i < r->results.n; i++) {
                                const Result *res = &r->results.v[i];
                                const Check *c = res->check;

                                if (res->status != status_order[s] || !streq(c->category, cat->name))
                                        continue;
                                fputs("  ", out);
                                put_status(out, o, res->status);
                                fprintf(out, " %-8s ", severity_to_string(c->severity));
                                put(out, c->id);
                                if (!streq(res->subject, "host"))
                                        put3(out, " [", res->subject, "]");
                                fputc('\n', out);
                                switch (res->status) {
                                case STATUS_FAIL:
                                        put3(out, "         ", c->title, "\n");
                                        put3(out, "         observed: ", res->observed, "\n");
                                        put3(out, "         expected: ", res->expected, "\n");
                                        put3(out, "         fix: ", c->remediation, "\n");
                                        break;
                                case STATUS_ERROR:
                                case STATUS_SKIP:
                                        put3(out, "         ", res->observed, "\n");
                                        break;
                                case STATUS_WAIVED:
                                        put3(out, "         waived: ", strna(res->waiver), "\n");
                                        break;
                                default:
                                        break;
                                }
                        }
        }

        /* Warnings, just before the summary line. */
        if (render_objects(r, o, out, "domain:", "Virtual machines") < 0 ||
            render_objects(r, o, out, "process:", "QEMU processes") < 0)
                return -ENOMEM;
        render_controls(r, o, out);

        /* A skip or an error is no evidence: say how much was judged
         * (before the warnings, which stay just above the summary line). */
        fprintf(out, "\nCoverage: %.1f%%  %u of %u checks judged (pass, fail or waived)\n", r->coverage, r->judged,
                r->checks);

        if (r->warnings && r->warnings[0]) {
                fputc('\n', out);
                for (char **w = r->warnings; *w; w++) {
                        fprintf(out, "%swarning:%s ", o->color ? ANSI_YELLOW : "", o->color ? ANSI_RESET : "");
                        put3(out, "", *w, "\n");
                }
        }

        if (r->has_score)
                snprintf(score, sizeof(score), "%.1f/100", r->score);
        else
                snprintf(score, sizeof(score), "n/a");
        fprintf(out, "\n%sScore: %s%s  pass %u, fail %u, skip %u, error %u, waived %u\n", o->color ? ANSI_BOLD : "",
                score, o->color ? ANSI_RESET : "", r->summary[STATUS_PASS], r->summary[STATUS_FAIL],
                r->summary[STATUS_SKIP], r->summary[STATUS_ERROR], r->summary[STATUS_WAIVED]);
        return ferror(out) ? -EIO : 0;
}
