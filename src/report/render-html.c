/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One self-contained HTML file: the template, CSS and script of
 * report/html/ (embedded at build time) with the score gauge, category
 * bars and findings table filled in.  Nothing is fetched from the
 * network: the page's Content-Security-Policy forbids it.  Every string
 * that came from the host (subjects, evidence) is escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

/* report/html/, embedded by tools/embed-assets.py */
extern const char report_html_template[];
extern const char report_html_css[];
extern const char report_html_js[];

/* Longest @@NAME@@ placeholder name in the template. */
#define HTML_PLACEHOLDER_MAX 32

/* Circumference of the gauge's circle, r = 70. */
#define GAUGE_R 70.0
#define GAUGE_C (2.0 * 3.14159265358979323846 * GAUGE_R)

static const char *
or_empty(const char *s)
{
        return s ? s : "";
}

/*
 * Text or attribute value of one line: markup characters become entities,
 * control characters (newline too: a browser would show it as a space)
 * and bytes that are not UTF-8 visible escapes (text-escape.h).
 */
static void
html_put(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_HTML_LINE, or_empty(s));
}

/* The same inside <pre> or prose, where a newline shows as one. */
static void
html_put_lines(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_HTML, or_empty(s));
}

/* Catalogue prose: `code spans` become <code>, the rest is escaped. */
static void
html_put_prose(FILE *out, const char *s)
{
        _cleanup_free_ char *copy = strdup(or_empty(s));
        size_t ticks = 0;
        bool code = false;
        char *p, *tick;

        if (!copy) {
                html_put(out, s);
                return;
        }
        for (p = copy; *p; p++)
                ticks += *p == '`';
        if (ticks % 2 != 0) {
                html_put(out, s);
                return;
        }
        for (p = copy; (tick = strchr(p, '`')); p = tick + 1) {
                *tick = '\0';
                html_put(out, p);
                fputs(code ? "</code>" : "<code>", out);
                code = !code;
        }
        html_put(out, p);
}

static bool
is_web_url(const char *s)
{
        return (startswith(s, "https://") || startswith(s, "http://")) && !strpbrk(s, " \t\n\"'<>`");
}

static const char *
score_class(bool has, double v)
{
        if (!has)
                return "none";
        return v >= 80.0 ? "good" : v >= 50.0 ? "fair" : "poor";
}

static void
put_score(FILE *out, bool has, double v)
{
        if (has)
                fprintf(out, "%.1f", v);
        else
                fputs("n/a", out);
}

static void
put_meta_item(FILE *out, const char *label, const char *value)
{
        if (!value)
                return;
        fprintf(out, "<li>%s <b>", label);
        html_put(out, value);
        fputs("</b></li>\n", out);
}

static void
put_meta(FILE *out, const Report *r)
{
        fputs("<ul class=\"meta\">\n", out);
        put_meta_item(out, "host", r->hostname);
        put_meta_item(out, "kernel", r->kernel);
        put_meta_item(out, "root", r->root);
        put_meta_item(out, "libvirt", r->libvirt_uri);
        put_meta_item(out, "kernel config", r->kconfig_source);
        put_meta_item(out, "started", r->started_at);
        if (r->duration_ms >= 0)
                fprintf(out, "<li>duration <b>%.3f s</b></li>\n", (double) r->duration_ms / 1000.0);
        put_meta_item(out, "kvmaudit", r->tool_version);
        fputs("</ul>", out);
}

static void
put_gauge(FILE *out, const Report *r)
{
        const char *cls = score_class(r->has_score, r->score);

        fputs("<svg viewBox=\"0 0 180 180\" role=\"img\" aria-label=\"Score ", out);
        put_score(out, r->has_score, r->score);
        fputs(" of 100\">\n", out);
        fputs("<circle class=\"track\" cx=\"90\" cy=\"90\" r=\"70\" fill=\"none\" stroke-width=\"16\"/>\n", out);
        if (r->has_score && r->score > 0) {
                double len = GAUGE_C * (r->score > 100.0 ? 100.0 : r->score) / 100.0;

                fprintf(out,
                        "<circle class=\"arc %s\" cx=\"90\" cy=\"90\" r=\"70\" fill=\"none\" stroke-width=\"16\" "
                        "stroke-linecap=\"butt\" stroke-dasharray=\"%.2f %.2f\" transform=\"rotate(-90 90 90)\"/>\n",
                        cls, len, GAUGE_C);
        }
        fputs("<text class=\"value\" id=\"score\" x=\"90\" y=\"98\" text-anchor=\"middle\">", out);
        put_score(out, r->has_score, r->score);
        fputs("</text>\n<text class=\"unit\" x=\"90\" y=\"124\" text-anchor=\"middle\">of 100</text>\n</svg>", out);
}

static void
put_summary(FILE *out, const Report *r)
{
        unsigned total = 0;

        fputs("<ul class=\"counts\">\n", out);
        for (Status s = 0; s < _STATUS_MAX; s++) {
                fprintf(out, "<li class=\"c-%s\"><span class=\"n\">%u</span><span class=\"l\">%s</span></li>\n",
                        status_to_string(s), r->summary[s], status_to_string(s));
                total += r->summary[s];
        }
        fputs("</ul>\n", out);
        fprintf(out, "<p>%u results in %zu categories; the score counts pass and fail only.</p>\n", total,
                r->n_categories);
        fprintf(out, "<p class=\"coverage\">Coverage <b>%.1f%%</b>: %u of %u checks judged (pass, fail or "
                "waived).</p>", r->coverage, r->judged, r->checks);
}

static void
put_warnings(FILE *out, const Report *r)
{
        if (!r->warnings || !r->warnings[0])
                return;
        fputs("<section class=\"warnings\" aria-label=\"Warnings\">\n<b>Warnings</b>\n<ul>\n", out);
        for (char **w = r->warnings; *w; w++) {
                fputs("<li>", out);
                html_put(out, *w);
                fputs("</li>\n", out);
        }
        fputs("</ul>\n</section>", out);
}

static void
put_categories(FILE *out, const Report *r)
{
        if (r->n_categories == 0) {
                fputs("<p class=\"none-shown\">No checks ran.</p>", out);
                return;
        }
        fputs("<div class=\"cats\">\n", out);
        for (size_t k = 0; k < r->n_categories; k++) {
                const CategoryStats *cat = &r->categories[k];

                fputs("<span class=\"name\">", out);
                html_put(out, cat->name);
                fputs("</span><span class=\"bar\" aria-hidden=\"true\">", out);
                if (cat->has_score)
                        fprintf(out, "<span class=\"%s\" style=\"width:%.1f%%\"></span>",
                                score_class(true, cat->score), cat->score);
                fputs("</span><span class=\"score\">", out);
                put_score(out, cat->has_score, cat->score);
                fputs("</span><span class=\"cc\">", out);
                for (Status s = 0; s < _STATUS_MAX; s++)
                        fprintf(out, "%s%s %u", s == 0 ? "" : " &middot; ", status_to_string(s), cat->counts[s]);
                fprintf(out, " &middot; judged %u of %u", cat->judged, cat->checks);
                fputs("</span>\n", out);
        }
        fputs("</div>", out);
}

/* "domain:NAME" -> NAME; NULL for subjects that are not a VM. */
static const char *
subject_vm(const char *subject)
{
        return subject && startswith(subject, "domain:") && subject[7] ? subject + 7 : NULL;
}

static void
put_option(FILE *out, const char *value, const char *label)
{
        fputs("<option value=\"", out);
        html_put(out, value);
        fputs("\">", out);
        html_put(out, label);
        fputs("</option>\n", out);
}

static int
put_filters(FILE *out, const Report *r)
{
        _cleanup_strv_free_ char **vms = NULL;

        fputs("<label>Status<select name=\"status\">\n", out);
        put_option(out, "", "all");
        put_option(out, "problems", "fail or error");
        for (Status s = 0; s < _STATUS_MAX; s++)
                put_option(out, status_to_string(s), status_to_string(s));
        fputs("</select></label>\n", out);

        fputs("<label>Severity<select name=\"severity\">\n", out);
        put_option(out, "", "all");
        for (Severity s = _SEVERITY_MAX - 1; (int) s >= 0; s--)
                put_option(out, severity_to_string(s), severity_to_string(s));
        fputs("</select></label>\n", out);

        fputs("<label>Category<select name=\"category\">\n", out);
        put_option(out, "", "all");
        for (size_t k = 0; k < r->n_categories; k++)
                put_option(out, r->categories[k].name, r->categories[k].name);
        fputs("</select></label>\n", out);

        for (size_t i = 0; i < r->results.n; i++) {
                const char *vm = subject_vm(r->results.v[i].subject);

                if (vm && !strv_contains(vms, vm) && strv_extend(&vms, vm) < 0)
                        return -ENOMEM;
        }
        strv_sort(vms);
        fputs("<label>VM<select name=\"vm\">\n", out);
        put_option(out, "", "all");
        STRV_FOREACH(vm, vms)
                put_option(out, *vm, *vm);
        fputs("</select></label>", out);
        return 0;
}

/* Failures first, most severe first; then errors, waived, skipped, passed. */
static int
status_rank(Status s)
{
        static const int rank[_STATUS_MAX] = {
                [STATUS_FAIL] = 0, [STATUS_ERROR] = 1, [STATUS_WAIVED] = 2, [STATUS_SKIP] = 3, [STATUS_PASS] = 4,
        };
        return rank[s];
}

static int
finding_cmp(const void *a, const void *b)
{
        const Result *x = *(const Result *const *) a, *y = *(const Result *const *) b;
        int c;

        if (status_rank(x->status) != status_rank(y->status))
                return status_rank(x->status) < status_rank(y->status) ? -1 : 1;
        if (x->check->severity != y->check->severity)
                return x->check->severity > y->check->severity ? -1 : 1;
        c = strcmp(x->check->id, y->check->id);
        if (c == 0)
                c = strcmp(or_empty(x->subject), or_empty(y->subject));
        /* equal keys keep report order: the output never depends on qsort */
        return c != 0 ? c : x < y ? -1 : x > y;
}

static void
put_dd_pre(FILE *out, const char *label, const char *value)
{
        fprintf(out, "<dt>%s</dt><dd><pre>", label);
        html_put_lines(out, value);
        fputs("</pre></dd>\n", out);
}

static void
put_finding(FILE *out, const Result *res)
{
        const Check *c = res->check;
        const char *status = status_to_string(res->status), *sev = severity_to_string(c->severity);
        const char *vm = subject_vm(res->subject);

        fprintf(out, "<tr class=\"f-%s\" data-status=\"%s\" data-severity=\"%s\" data-category=\"", status, status,
                sev);
        html_put(out, c->category);
        fputs("\" data-vm=\"", out);
        html_put(out, vm);
        fprintf(out, "\">\n<td class=\"st\"><span class=\"badge t-%s\">%s</span></td>", status, status);
        fprintf(out, "<td class=\"sev\"><span class=\"badge s-%s\">%s</span></td>\n", sev, sev);

        fputs("<td class=\"chk\"><details><summary><code>", out);
        html_put(out, c->id);
        fputs("</code> <span class=\"title\">", out);
        html_put(out, c->title);
        fputs("</span></summary>\n<dl class=\"ev\">\n", out);
        put_dd_pre(out, res->status == STATUS_SKIP || res->status == STATUS_ERROR ? "Reason" : "Evidence",
                   res->observed);
        put_dd_pre(out, "Expected", res->expected);
        if (res->waiver)
                put_dd_pre(out, "Waiver", res->waiver);
        fputs("<dt>Category</dt><dd>", out);
        html_put(out, c->category);
        fputs("</dd>\n<dt>Rationale</dt><dd>", out);
        html_put_prose(out, c->rationale);
        fputs("</dd>\n<dt>Remediation</dt><dd>", out);
        html_put_prose(out, c->remediation);
        fputs("</dd>\n", out);
        if (c->refs && c->refs[0]) {
                fputs("<dt>References</dt><dd><ul>", out);
                STRV_FOREACH(ref, c->refs) {
                        fputs("<li>", out);
                        if (is_web_url(*ref)) {
                                fputs("<a href=\"", out);
                                html_put(out, *ref);
                                fputs("\" rel=\"noreferrer noopener\" target=\"_blank\">", out);
                                html_put(out, *ref);
                                fputs("</a>", out);
                        } else
                                html_put(out, *ref);
                        fputs("</li>", out);
                }
                fputs("</ul></dd>\n", out);
        }
        if (c->source && c->source[0]) {
                fputs("<dt>Source</dt><dd><code>", out);
                html_put(out, c->source);
                fputs("</code></dd>\n", out);
        }
        fputs("</dl></details></td>\n<td class=\"subj mono\">", out);
        html_put(out, res->subject);
        fputs("</td>\n</tr>\n", out);
}

static int
put_findings(FILE *out, const Report *r)
{
        _cleanup_free_ const Result **v = NULL;

        if (r->results.n == 0) {
                fputs("<p class=\"none-shown\">No results.</p>", out);
                return 0;
        }
        v = calloc(r->results.n, sizeof(*v));
        if (!v)
                return -ENOMEM;
        for (size_t i = 0; i < r->results.n; i++)
                v[i] = &r->results.v[i];
        qsort(v, r->results.n, sizeof(*v), finding_cmp);

        fputs("<table class=\"results\">\n<thead><tr><th>Status</th><th>Severity</th><th>Check</th>"
              "<th>Subject</th></tr></thead>\n<tbody>\n", out);
        for (size_t i = 0; i < r->results.n; i++)
                put_finding(out, v[i]);
        fputs("</tbody>\n</table>\n<p id=\"none-shown\" class=\"none-shown\" hidden>No finding matches the "
              "filters.</p>", out);
        return 0;
}

/* The per-control view of --framework: a section of its own, absent
 * without one. */
static void
put_controls(FILE *out, const Report *r)
{
        if (!r->has_framework)
                return;
        fputs("<section class=\"controls\" aria-labelledby=\"h-controls\">\n<h2 id=\"h-controls\">Controls: ", out);
        html_put(out, framework_title(r->framework));
        fputs("</h2>\n", out);
        if (r->n_controls == 0) {
                fputs("<p class=\"none-shown\">No result maps to a control of this framework.</p>\n</section>", out);
                return;
        }
        fputs("<table class=\"controls\">\n<thead><tr><th>control</th><th>status</th><th>pass</th><th>fail</th>"
              "<th>skip</th><th>error</th><th>waived</th><th>failed checks</th></tr></thead>\n<tbody>\n", out);
        for (size_t i = 0; i < r->n_controls; i++) {
                const ControlView *v = &r->controls[i];

                fputs("<tr><td>", out);
                html_put(out, v->id);
                fprintf(out, "</td><td class=\"st-%s\">%s</td>", control_status_to_string(v->status),
                        control_status_to_string(v->status));
                for (Status s = 0; s < _STATUS_MAX; s++)
                        fprintf(out, "<td>%u</td>", v->counts[s]);
                fputs("<td>", out);
                STRV_FOREACH(id, v->failing) {
                        fputs(id == v->failing ? "<code>" : ", <code>", out);
                        html_put(out, *id);
                        fputs("</code>", out);
                }
                fputs("</td></tr>\n", out);
        }
        fputs("</tbody>\n</table>\n</section>", out);
}

static int
put_placeholder(FILE *out, const Report *r, const char *name)
{
        if (streq(name, "VERSION"))
                html_put(out, r->tool_version);
        else if (streq(name, "TITLE_HOST")) {
                if (r->hostname) {
                        fputs(" - ", out);
                        html_put(out, r->hostname);
                }
        } else if (streq(name, "CSS"))
                fputs(report_html_css, out);
        else if (streq(name, "JS"))
                fputs(report_html_js, out);
        else if (streq(name, "META"))
                put_meta(out, r);
        else if (streq(name, "GAUGE"))
                put_gauge(out, r);
        else if (streq(name, "SUMMARY"))
                put_summary(out, r);
        else if (streq(name, "WARNINGS"))
                put_warnings(out, r);
        else if (streq(name, "CATEGORIES"))
                put_categories(out, r);
        else if (streq(name, "CONTROLS"))
                put_controls(out, r);
        else if (streq(name, "FILTERS"))
                return put_filters(out, r);
        else if (streq(name, "FINDINGS"))
                return put_findings(out, r);
        else
                return -EINVAL;
        return 0;
}

int
render_html(const Report *r, const RenderOptions *o, FILE *out)
{
        const char *p = report_html_template;

        (void) o;
        for (;;) {
                const char *start = strstr(p, "@@"), *end;
                char name[HTML_PLACEHOLDER_MAX + 1];
                int k;

                if (!start) {
                        fputs(p, out);
                        break;
                }
                end = strstr(start + 2, "@@");
                if (!end || (size_t) (end - start - 2) > HTML_PLACEHOLDER_MAX)
                        return -EINVAL; /* a broken template: a build bug */
                fwrite(p, 1, start - p, out);
                memcpy(name, start + 2, end - start - 2);
                name[end - start - 2] = '\0';
                k = put_placeholder(out, r, name);
                if (k < 0)
                        return k;
                p = end + 2;
        }
        return ferror(out) ? -EIO : 0;
}
