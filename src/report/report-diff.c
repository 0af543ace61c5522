/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "kvmaudit diff": two reports matched by (check id, subject), and the
 * three ways to print what changed. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "report-diff.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

#define ANSI_RED   "\033[1;31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_BOLD  "\033[1m"
#define ANSI_RESET "\033[0m"

void
report_diff_done(ReportDiff *d)
{
        free(d->new_failures.v);
        free(d->fixed.v);
        free(d->changed.v);
        free(d->checks_added);
        free(d->checks_removed);
        free(d->selection_note);
        *d = (ReportDiff) {};
}

static bool
is_finding(const Result *r)
{
        return r && (r->status == STATUS_FAIL || r->status == STATUS_ERROR);
}

static int
entries_add(DiffEntries *e, const Result *old, const Result *new)
{
        DiffEntry *n = realloc(e->v, (e->n + 1) * sizeof(DiffEntry));

        if (!n)
                return -ENOMEM;
        e->v = n;
        e->v[e->n++] = (DiffEntry) {.old = old, .new = new};
        return 0;
}

/* Results by id, subject, then report order: equal keys pair up in order. */
static int
cmp_by_key(const void *a, const void *b)
{
        const Result *x = *(const Result *const *) a, *y = *(const Result *const *) b;
        int c = strcmp(x->check->id, y->check->id);

        if (c != 0)
                return c;
        c = strcmp(x->subject, y->subject);
        if (c != 0)
                return c;
        return x < y ? -1 : x > y;
}

static int
cmp_key(const Result *x, const Result *y)
{
        int c = strcmp(x->check->id, y->check->id);

        return c != 0 ? c : strcmp(x->subject, y->subject);
}

static const Result **
sorted_results(const Report *r)
{
        const Result **v = calloc(r->results.n + 1, sizeof(*v));

        if (!v)
                return NULL;
        for (size_t i = 0; i < r->results.n; i++)
                v[i] = &r->results.v[i];
        qsort(v, r->results.n, sizeof(*v), cmp_by_key);
        return v;
}

static int
classify(ReportDiff *d, const Result *o, const Result *n)
{
        if (is_finding(n) && !is_finding(o))
                return entries_add(&d->new_failures, o, n);
        if (is_finding(o) && (!n || n->status == STATUS_PASS))
                return entries_add(&d->fixed, o, n);
        if (is_finding(o) && is_finding(n) && !streq(o->observed, n->observed))
                return entries_add(&d->changed, o, n);
        return 0;
}

/* Appends the ids of @a (sorted by key) that @b (likewise) lacks. */
static int
ids_missing(const Result **a, size_t na, const Result **b, size_t nb, const char ***ret, size_t *ret_n)
{
        const char **v = calloc(na + 1, sizeof(char *));
        size_t n = 0, j = 0;

        if (!v)
                return -ENOMEM;
        for (size_t i = 0; i < na; i++) {
                const char *id = a[i]->check->id;

                if (i > 0 && streq(id, a[i - 1]->check->id))
                        continue;
                while (j < nb && strcmp(b[j]->check->id, id) < 0)
                        j++;
                if (j >= nb || !streq(b[j]->check->id, id))
                        v[n++] = id;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

static bool
str_same(const char *a, const char *b)
{
        return a == b || (a && b && streq(a, b));
}

static bool
strv_same(char **a, char **b)
{
        size_t na = a ? strv_length(a) : 0, nb = b ? strv_length(b) : 0;

        if (na != nb)
                return false;
        for (size_t i = 0; i < na; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return true;
}

static void
selection_describe(StrBuf *b, const ReportSelection *s)
{
        size_t len = b->len;

        if (!s->recorded) {
                strbuf_append(b, "not recorded");
                return;
        }
        if (s->gate)
                strbuf_printf(b, "--profile %s", s->gate);
        STRV_FOREACH(x, s->only)
                strbuf_printf(b, "%s--only %s", b->len > len ? " " : "", *x);
        STRV_FOREACH(x, s->skip)
                strbuf_printf(b, "%s--skip %s", b->len > len ? " " : "", *x);
        if (s->waivers)
                strbuf_printf(b, "%s--waivers %s (sha256 %.12s)", b->len > len ? " " : "", s->waivers,
                              strna(s->waivers_sha256));
        if (b->len == len)
                strbuf_append(b, "every check");
}

/* NULL when both reports record the same selection, or neither records
 * one (reports of older versions: nothing to compare). */
static char *
selection_difference(const ReportSelection *a, const ReportSelection *b)
{
        StrBuf t = {};

        if (!a->recorded && !b->recorded)
                return NULL;
        if (a->recorded && b->recorded && str_same(a->gate, b->gate) && strv_same(a->only, b->only) &&
            strv_same(a->skip, b->skip) && str_same(a->waivers_sha256, b->waivers_sha256))
                return NULL;
        strbuf_append(&t, "the reports were made with different selections (OLD: ");
        selection_describe(&t, a);
        strbuf_append(&t, "; NEW: ");
        selection_describe(&t, b);
        strbuf_append(&t, "): only the checks both ran are compared, and not their scores");
        return strbuf_steal(&t);
}

/* Whether the check of @r has any result in @v (sorted by key). */
static bool
check_in(const Result *r, const Result **v, size_t n)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp(v[mid]->check->id, r->check->id);

                if (c == 0)
                        return true;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return false;
}

int
report_diff(const Report *old, const Report *new, ReportDiff *ret)
{
        _cleanup_free_ const Result **a = sorted_results(old), **b = sorted_results(new);
        ReportDiff d = {.old = old, .new = new};
        size_t i = 0, j = 0, na = old->results.n, nb = new->results.n;
        int r = 0;

        if (!a || !b)
                return -ENOMEM;
        d.selection_note = selection_difference(&old->selection, &new->selection);
        d.selection_differs = d.selection_note != NULL;
        while (r >= 0 && (i < na || j < nb)) {
                int c = i >= na ? 1 : j >= nb ? -1 : cmp_key(a[i], b[j]);

                /* A check one selection left out is not "fixed" nor
                 * "new": it was not looked at. */
                if (c < 0) {
                        if (!d.selection_differs || check_in(a[i], b, nb))
                                r = classify(&d, a[i], NULL);
                        i++;
                } else if (c > 0) {
                        if (!d.selection_differs || check_in(b[j], a, na))
                                r = classify(&d, NULL, b[j]);
                        j++;
                } else
                        r = classify(&d, a[i++], b[j++]);
        }
        if (r >= 0)
                r = ids_missing(b, nb, a, na, &d.checks_added, &d.n_checks_added);
        if (r >= 0)
                r = ids_missing(a, na, b, nb, &d.checks_removed, &d.n_checks_removed);
        if (r < 0) {
                report_diff_done(&d);
                return r;
        }
        d.has_delta = old->has_score && new->has_score && !d.selection_differs;
        d.delta = d.has_delta ? score_round1(new->score - old->score) : 0;
        *ret = d;
        return 0;
}

bool
report_diff_worse(const ReportDiff *d)
{
        return d->new_failures.n > 0 || (d->has_delta && d->delta < 0);
}

/* The result an entry is about: the finding's side. */
static const Result *
entry_finding(const DiffEntry *e, bool in_new)
{
        return in_new ? e->new : e->old;
}

static const char *
status_or_absent(const Result *r)
{
        return r ? status_to_string(r->status) : "absent";
}

static void
score_text(char buf[static 16], bool has, double v)
{
        if (has)
                snprintf(buf, 16, "%.1f", v);
        else
                snprintf(buf, 16, "n/a");
}

/* "85.0 -> 60.0 (-25.0)" with @arrow between. */
static void
put_score_change(FILE *out, const ReportDiff *d, const char *arrow)
{
        char a[16], b[16];

        score_text(a, d->old->has_score, d->old->score);
        score_text(b, d->new->has_score, d->new->score);
        fprintf(out, "%s %s %s", a, arrow, b);
        if (d->has_delta)
                fprintf(out, " (%+.1f)", d->delta == 0 ? 0.0 : d->delta);
}

/* ---- text ---- */

/* @prefix, @s with its control characters visible (it comes from a
 * report file), @suffix. */
static void
text_put(FILE *out, const char *prefix, const char *s, const char *suffix)
{
        fputs(prefix, out);
        fputs_escaped(out, ESCAPE_LINE, s);
        fputs(suffix, out);
}

static void
text_subject(FILE *out, const Result *r)
{
        fprintf(out, " %-8s ", severity_to_string(r->check->severity));
        text_put(out, "", r->check->id, "");
        if (!streq(r->subject, "host"))
                text_put(out, " [", r->subject, "]");
        fputc('\n', out);
}

int
render_diff_text(const ReportDiff *d, const RenderOptions *o, FILE *out)
{
        const char *red = o->color ? ANSI_RED : "", *green = o->color ? ANSI_GREEN : "",
                   *bold = o->color ? ANSI_BOLD : "", *reset = o->color ? ANSI_RESET : "";

        if (d->selection_note)
                text_put(out, "warning: ", d->selection_note, "\n\n");
        fprintf(out, "%sScore:%s ", bold, reset);
        put_score_change(out, d, "->");
        fputc('\n', out);

        fprintf(out, "\n%sNew failures: %zu%s\n", d->new_failures.n ? red : "", d->new_failures.n,
                d->new_failures.n ? reset : "");
        for (size_t i = 0; i < d->new_failures.n; i++) {
                const DiffEntry *e = &d->new_failures.v[i];

                fprintf(out, "  %s%-6s%s", red, e->new->status == STATUS_FAIL ? "FAIL" : "ERROR", reset);
                text_subject(out, e->new);
                text_put(out, "         observed: ", e->new->observed, "\n");
                fprintf(out, "         was: %s\n", status_or_absent(e->old));
        }

        fprintf(out, "\n%sFixed: %zu%s\n", d->fixed.n ? green : "", d->fixed.n, d->fixed.n ? reset : "");
        for (size_t i = 0; i < d->fixed.n; i++) {
                const DiffEntry *e = &d->fixed.v[i];

                fprintf(out, "  %s%-6s%s", green, e->new ? "PASS" : "GONE", reset);
                text_subject(out, e->old);
                fprintf(out, "         was %s: ", status_to_string(e->old->status));
                text_put(out, "", e->old->observed, "\n");
        }

        fprintf(out, "\nChanged: %zu\n", d->changed.n);
        for (size_t i = 0; i < d->changed.n; i++) {
                const DiffEntry *e = &d->changed.v[i];

                fprintf(out, "  %-6s", e->new->status == STATUS_FAIL ? "FAIL" : "ERROR");
                text_subject(out, e->new);
                text_put(out, "         old observed: ", e->old->observed, "\n");
                text_put(out, "         new observed: ", e->new->observed, "\n");
        }

        if (d->n_checks_added > 0) {
                fprintf(out, "\nChecks added: %zu\n", d->n_checks_added);
                for (size_t i = 0; i < d->n_checks_added; i++)
                        text_put(out, "  ", d->checks_added[i], "\n");
        }
        if (d->n_checks_removed > 0) {
                fprintf(out, "\nChecks removed: %zu\n", d->n_checks_removed);
                for (size_t i = 0; i < d->n_checks_removed; i++)
                        text_put(out, "  ", d->checks_removed[i], "\n");
        }

        if (report_diff_worse(d))
                fprintf(out, "\n%sWorse:%s %zu new failures, score ", red, reset, d->new_failures.n);
        else
                fprintf(out, "\n%sNot worse:%s %zu fixed, score ", green, reset, d->fixed.n);
        put_score_change(out, d, "->");
        fputc('\n', out);
        return ferror(out) ? -EIO : 0;
}

/* ---- json ---- */

static json_object *
jscore(bool has, double v)
{
        char buf[32];

        if (!has)
                return NULL;
        if (v == 0)
                v = 0; /* no "-0.0" */
        snprintf(buf, sizeof(buf), "%.1f", v);
        return json_object_new_double_s(v, buf);
}

static json_object *
jfinding(const DiffEntry *e, bool in_new)
{
        const Result *r = entry_finding(e, in_new);
        json_object *o = json_object_new_object();

        json_object_object_add(o, "id", json_object_new_string(r->check->id));
        json_object_object_add(o, "subject", json_object_new_string(r->subject));
        json_object_object_add(o, "severity", json_object_new_string(severity_to_string(r->check->severity)));
        json_object_object_add(o, "status", json_object_new_string(status_to_string(r->status)));
        json_object_object_add(o, "observed", json_object_new_string(r->observed));
        /* The other side: what it was, or what it is now. */
        json_object_object_add(o, in_new ? "was" : "now",
                               json_object_new_string(status_or_absent(in_new ? e->old : e->new)));
        return o;
}

static json_object *
jids(const char *const *ids, size_t n)
{
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < n; i++)
                json_object_array_add(a, json_object_new_string(ids[i]));
        return a;
}

int
render_diff_json(const ReportDiff *d, const RenderOptions *o, FILE *out)
{
        json_object *root = json_object_new_object(), *a;
        const char *text;

        (void) o;
        if (!root)
                return -ENOMEM;
        json_object_object_add(root, "schema_version", json_object_new_int(REPORT_DIFF_SCHEMA_VERSION));
        json_object_object_add(root, "old_score", jscore(d->old->has_score, d->old->score));
        json_object_object_add(root, "new_score", jscore(d->new->has_score, d->new->score));
        json_object_object_add(root, "score_delta", jscore(d->has_delta, d->delta));
        json_object_object_add(root, "worse", json_object_new_boolean(report_diff_worse(d)));
        json_object_object_add(root, "selection_differs", json_object_new_boolean(d->selection_differs));
        if (d->selection_note)
                json_object_object_add(root, "warning", json_object_new_string(d->selection_note));

        a = json_object_new_array();
        for (size_t i = 0; i < d->new_failures.n; i++)
                json_object_array_add(a, jfinding(&d->new_failures.v[i], true));
        json_object_object_add(root, "new_failures", a);

        a = json_object_new_array();
        for (size_t i = 0; i < d->fixed.n; i++)
                json_object_array_add(a, jfinding(&d->fixed.v[i], false));
        json_object_object_add(root, "fixed", a);

        a = json_object_new_array();
        for (size_t i = 0; i < d->changed.n; i++) {
                const DiffEntry *e = &d->changed.v[i];
                json_object *c = json_object_new_object();

                json_object_object_add(c, "id", json_object_new_string(e->new->check->id));
                json_object_object_add(c, "subject", json_object_new_string(e->new->subject));
                json_object_object_add(c, "old_observed", json_object_new_string(e->old->observed));
                json_object_object_add(c, "new_observed", json_object_new_string(e->new->observed));
                json_object_array_add(a, c);
        }
        json_object_object_add(root, "changed", a);
        json_object_object_add(root, "checks_added", jids(d->checks_added, d->n_checks_added));
        json_object_object_add(root, "checks_removed", jids(d->checks_removed, d->n_checks_removed));

        text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!text) {
                json_object_put(root);
                return -ENOMEM;
        }
        /* json-c writes DEL and C1 controls as they are: \u escapes
         * instead, the same string to a JSON reader */
        fputs_json_safe(out, text);
        fputc('\n', out);
        json_object_put(root);
        return ferror(out) ? -EIO : 0;
}

/* ---- markdown ---- */

/* Inline text safe in a table cell. */
static void
md_put(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_MARKDOWN, s);
}

/* A check id as a code span; anything but a plain slug as escaped text. */
static void
md_id(FILE *out, const char *id)
{
        fputs_escaped(out, ESCAPE_MARKDOWN_CODE, id);
}

static void
md_row(FILE *out, const Result *r, const char *last)
{
        fprintf(out, "| %s | ", severity_to_string(r->check->severity));
        md_id(out, r->check->id);
        fputs(" | ", out);
        md_put(out, r->subject);
        fprintf(out, " | %s | ", status_to_string(r->status));
        md_put(out, r->observed);
        fprintf(out, " | %s |\n", last);
}

int
render_diff_markdown(const ReportDiff *d, const RenderOptions *o, FILE *out)
{
        (void) o;
        fputs("# kvmaudit diff\n\n", out);
        if (d->selection_note) {
                fputs("**Warning:** ", out);
                md_put(out, d->selection_note);
                fputs("\n\n", out);
        }
        fputs("**Score: ", out);
        put_score_change(out, d, "→");
        fprintf(out, "** — %s: %zu new failures, %zu fixed, %zu changed\n\n",
                report_diff_worse(d) ? "worse" : "not worse", d->new_failures.n, d->fixed.n, d->changed.n);

        fputs("## New failures\n\n", out);
        if (d->new_failures.n == 0)
                fputs("No new failures.\n\n", out);
        else {
                fputs("| severity | check | subject | status | observed | was |\n", out);
                fputs("|---|---|---|---|---|---|\n", out);
                for (size_t i = 0; i < d->new_failures.n; i++)
                        md_row(out, d->new_failures.v[i].new, status_or_absent(d->new_failures.v[i].old));
                fputc('\n', out);
        }

        fputs("## Fixed\n\n", out);
        if (d->fixed.n == 0)
                fputs("Nothing fixed.\n\n", out);
        else {
                fputs("| severity | check | subject | status | observed | now |\n", out);
                fputs("|---|---|---|---|---|---|\n", out);
                for (size_t i = 0; i < d->fixed.n; i++)
                        md_row(out, d->fixed.v[i].old, status_or_absent(d->fixed.v[i].new));
                fputc('\n', out);
        }

        if (d->changed.n > 0) {
                fputs("## Changed evidence\n\n", out);
                fputs("| check | subject | old observed | new observed |\n", out);
                fputs("|---|---|---|---|\n", out);
                for (size_t i = 0; i < d->changed.n; i++) {
                        const DiffEntry *e = &d->changed.v[i];

                        fputs("| ", out);
                        md_id(out, e->new->check->id);
                        fputs(" | ", out);
                        md_put(out, e->new->subject);
                        fputs(" | ", out);
                        md_put(out, e->old->observed);
                        fputs(" | ", out);
                        md_put(out, e->new->observed);
                        fputs(" |\n", out);
                }
                fputc('\n', out);
        }

        if (d->n_checks_added > 0 || d->n_checks_removed > 0) {
                fputs("## Checks\n\n", out);
                for (size_t i = 0; i < d->n_checks_added; i++) {
                        fputs("- added ", out);
                        md_id(out, d->checks_added[i]);
                        fputc('\n', out);
                }
                for (size_t i = 0; i < d->n_checks_removed; i++) {
                        fputs("- removed ", out);
                        md_id(out, d->checks_removed[i]);
                        fputc('\n', out);
                }
                fputc('\n', out);
        }
        return ferror(out) ? -EIO : 0;
}

static const DiffRenderer diff_renderers[] = {
        {"json", render_diff_json},
        {"markdown", render_diff_markdown},
        {"text", render_diff_text},
};

const DiffRenderer *
diff_renderer_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(diff_renderers); i++)
                if (streq(diff_renderers[i].name, name))
                        return &diff_renderers[i];
        return NULL;
}

const char *
diff_renderer_names(void)
{
        return "text, json, markdown";
}
