/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Markdown for CI job summaries (GitHub, GitLab): the score line, the
 * failures most severe first, then details, categories and what was not
 * evaluated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

/* Inline text safe in a table cell (text-escape.h, ESCAPE_MARKDOWN). */
static void
md_put(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_MARKDOWN, strna(s));
}

/* A check id: a code span when it is a plain slug, else escaped text. */
static void
md_id(FILE *out, const char *id)
{
        fputs_escaped(out, ESCAPE_MARKDOWN_CODE, id);
}

/* Catalogue prose (remediation): its `code spans` render, the rest is
 * escaped text. */
static void
md_put_prose(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_MARKDOWN_PROSE, strna(s));
}

/* Text inside an HTML element (<summary>, <code>), where markdown escapes
 * would show literally; one line, as a blank line would end the HTML
 * block. */
static void
html_put(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_HTML_LINE, strna(s));
}

static void
md_score(FILE *out, bool has, double v)
{
        if (has)
                fprintf(out, "%.1f", v);
        else
                fputs("n/a", out);
}

/* Most severe first, then id, then subject. */
static int
failure_cmp(const void *a, const void *b)
{
        const Result *x = *(const Result *const *) a, *y = *(const Result *const *) b;
        int c;

        if (x->check->severity != y->check->severity)
                return x->check->severity > y->check->severity ? -1 : 1;
        c = strcmp(x->check->id, y->check->id);
        return c != 0 ? c : strcmp(x->subject, y->subject);
}

static void
put_failure_row(FILE *out, const Result *res)
{
        fprintf(out, "| %s | ", severity_to_string(res->check->severity));
        md_id(out, res->check->id);
        fputs(" | ", out);
        md_put(out, res->subject);
        fputs(" | ", out);
        md_put(out, res->observed);
        fputs(" |\n", out);
}

static void
put_failure_details(FILE *out, const Result *res)
{
        const Check *c = res->check;

        fprintf(out, "<details><summary>%s: <code>", severity_to_string(c->severity));
        html_put(out, c->id);
        fputs("</code>", out);
        if (!streq(res->subject, "host")) {
                fputs(" [", out);
                html_put(out, res->subject);
                fputc(']', out);
        }
        fputs("</summary>\n\n", out);
        fputs("**", out);
        md_put(out, c->title);
        fputs("**\n\n- observed: ", out);
        md_put(out, res->observed);
        fputs("\n- expected: ", out);
        md_put(out, res->expected);
        fputs("\n- remediation: ", out);
        md_put_prose(out, c->remediation);
        fputc('\n', out);
        if (c->refs && *c->refs) {
                fputs("- refs:", out);
                for (char **ref = c->refs; *ref; ref++) {
                        fputs(ref == c->refs ? " " : ", ", out);
                        /* An autolink keeps the URL clickable; anything
                         * that cannot be one is written as text. */
                        if (strpbrk(*ref, " <>") || !escape_is_plain(ESCAPE_LINE, *ref) ||
                            !(startswith(*ref, "https://") || startswith(*ref, "http://")))
                                md_put(out, *ref);
                        else
                                fprintf(out, "<%s>", *ref);
                }
                fputc('\n', out);
        }
        fputs("\n</details>\n\n", out);
}

static void
put_categories(FILE *out, const Report *r)
{
        fputs("## Categories\n\n", out);
        fputs("| category | score | pass | fail | skip | error | waived |\n", out);
        fputs("|---|---:|---:|---:|---:|---:|---:|\n", out);
        for (size_t k = 0; k < r->n_categories; k++) {
                const CategoryStats *cat = &r->categories[k];

                fputs("| ", out);
                md_put(out, cat->name);
                fputs(" | ", out);
                md_score(out, cat->has_score, cat->score);
                fprintf(out, " | %u | %u | %u | %u | %u |\n", cat->counts[STATUS_PASS], cat->counts[STATUS_FAIL],
                        cat->counts[STATUS_SKIP], cat->counts[STATUS_ERROR], cat->counts[STATUS_WAIVED]);
        }
        fputc('\n', out);
}

/* Skipped, errored and waived results, in report order. */
static void
put_not_evaluated(FILE *out, const Report *r)
{
        unsigned n = r->summary[STATUS_SKIP] + r->summary[STATUS_ERROR] + r->summary[STATUS_WAIVED];

        if (n == 0)
                return;
        fprintf(out, "<details><summary>Not evaluated (skip %u, error %u, waived %u)</summary>\n\n",
                r->summary[STATUS_SKIP], r->summary[STATUS_ERROR], r->summary[STATUS_WAIVED]);
        fputs("| status | check | subject | reason |\n", out);
        fputs("|---|---|---|---|\n", out);
        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i];

                if (res->status != STATUS_SKIP && res->status != STATUS_ERROR && res->status != STATUS_WAIVED)
                        continue;
                fprintf(out, "| %s | ", status_to_string(res->status));
                md_id(out, res->check->id);
                fputs(" | ", out);
                md_put(out, res->subject);
                fputs(" | ", out);
                if (res->status == STATUS_WAIVED) {
                        fputs("waived: ", out);
                        md_put(out, res->waiver);
                } else
                        md_put(out, res->observed);
                fputs(" |\n", out);
        }
        fputs("\n</details>\n", out);
}

/* The per-control view of --framework. */
static void
put_controls(FILE *out, const Report *r)
{
        if (!r->has_framework)
                return;
        fprintf(out, "## Controls: %s\n\n", framework_title(r->framework));
        if (r->n_controls == 0) {
                fputs("No result maps to a control of this framework.\n\n", out);
                return;
        }
        fputs("| control | status | pass | fail | skip | error | waived | failed checks |\n", out);
        fputs("|---|---|---|---|---|---|---|---|\n", out);
        for (size_t i = 0; i < r->n_controls; i++) {
                const ControlView *v = &r->controls[i];

                fputs("| ", out);
                md_put(out, v->id);
                fprintf(out, " | %s | %u | %u | %u | %u | %u | ", control_status_to_string(v->status),
                        v->counts[STATUS_PASS], v->counts[STATUS_FAIL], v->counts[STATUS_SKIP],
                        v->counts[STATUS_ERROR], v->counts[STATUS_WAIVED]);
                STRV_FOREACH(id, v->failing) {
                        if (id != v->failing)
                                fputs(", ", out);
                        md_id(out, *id);
                }
                fputs(" |\n", out);
        }
        fputc('\n', out);
}

int
render_markdown(const Report *r, const RenderOptions *o, FILE *out)
{
        _cleanup_free_ const Result **fails = NULL;
        size_t n_fails = 0;

        (void) o;
        fails = calloc(r->results.n + 1, sizeof(*fails));
        if (!fails)
                return -ENOMEM;
        for (size_t i = 0; i < r->results.n; i++)
                if (r->results.v[i].status == STATUS_FAIL)
                        fails[n_fails++] = &r->results.v[i];
        qsort(fails, n_fails, sizeof(*fails), failure_cmp);

        fputs("# kvmaudit report\n\n", out);
        fputs("**Score: ", out);
        md_score(out, r->has_score, r->score);
        fprintf(out, "/100** (pass %u, fail %u, skip %u, error %u, waived %u)\n\n", r->summary[STATUS_PASS],
                r->summary[STATUS_FAIL], r->summary[STATUS_SKIP], r->summary[STATUS_ERROR],
                r->summary[STATUS_WAIVED]);
        fprintf(out, "Coverage: %.1f%% (%u of %u checks judged)\n\n", r->coverage, r->judged, r->checks);

        fputs("kvmaudit ", out);
        md_put(out, r->tool_version);
        if (r->hostname) {
                fputs(", host ", out);
                md_put(out, r->hostname);
        }
        if (r->kernel) {
                fputs(", kernel ", out);
                md_put(out, r->kernel);
        }
        fputs("\n\n", out);

        fputs("## Failures\n\n", out);
        if (n_fails == 0)
                fputs("No failures.\n\n", out);
        else {
                fputs("| severity | check | subject | observed |\n", out);
                fputs("|---|---|---|---|\n", out);
                for (size_t i = 0; i < n_fails; i++)
                        put_failure_row(out, fails[i]);
                fputc('\n', out);
                for (size_t i = 0; i < n_fails; i++)
                        put_failure_details(out, fails[i]);
        }

        put_categories(out, r);
        put_controls(out, r);
        put_not_evaluated(out, r);
        return ferror(out) ? -EIO : 0;
}
