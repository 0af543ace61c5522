/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fleet report of "kvmaudit report --merge" in HTML, markdown and
 * JSON.  Three sections in each: one row per host (score, counts, worst
 * findings, change since its previous report), the checks that fail and
 * on which hosts, the fleet totals.  Every string comes from a report
 * file, hence from a host: escaped by text-escape.h like the host report.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "report-merge.h"
#include "text-escape.h"
#include "util.h"

extern const char report_html_css[];

/* Host names listed per check in HTML and markdown; the JSON has all. */
#define FLEET_HOSTS_LISTED 50u

static const FleetRenderer fleet_renderers[] = {
        {"html", render_fleet_html},
        {"markdown", render_fleet_markdown},
        {"json", render_fleet_json},
};

const FleetRenderer *
merge_renderer_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(fleet_renderers); i++)
                if (streq(fleet_renderers[i].name, name))
                        return &fleet_renderers[i];
        return NULL;
}

const char *
merge_renderer_names(void)
{
        return "html, markdown, json";
}

static unsigned
host_tests(const FleetHost *h)
{
        unsigned n = 0;

        for (Status s = 0; s < _STATUS_MAX; s++)
                n += h->summary[s];
        return n;
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
put_delta(FILE *out, const FleetHost *h)
{
        if (!h->has_previous)
                fputs("—", out);
        else if (h->has_delta)
                fprintf(out, "%+.1f", h->delta);
        else
                fputs("n/a", out);
}

/* ---- HTML --------------------------------------------------------------- */

static void
html_put(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_HTML_LINE, strna(s));
}

static const char *
score_class(bool has, double v)
{
        if (!has)
                return "none";
        return v >= 80.0 ? "good" : v >= 50.0 ? "fair" : "poor";
}

static void
html_finding(FILE *out, const FleetFinding *x)
{
        fprintf(out, "<li><span class=\"sev %s\">%s</span> <code>", severity_to_string(x->severity),
                x->status == STATUS_ERROR ? "error" : severity_to_string(x->severity));
        html_put(out, x->id);
        fputs("</code>", out);
        if (x->subject && !streq(x->subject, "host")) {
                fputs(" <span class=\"subj\">", out);
                html_put(out, x->subject);
                fputs("</span>", out);
        }
        fputs("</li>", out);
}

static void
html_hosts(FILE *out, const Fleet *f)
{
        fputs("<section aria-labelledby=\"h-hosts\">\n<h2 id=\"h-hosts\">Hosts</h2>\n"
              "<table class=\"fleet\">\n<thead><tr><th>Host</th><th>Score</th><th>Fail</th><th>Error</th>"
              "<th>Checks</th><th>Worst findings</th><th>Since previous</th></tr></thead>\n<tbody>\n", out);
        for (size_t i = 0; i < f->n_hosts; i++) {
                const FleetHost *h = &f->hosts[i];

                fputs("<tr><th scope=\"row\">", out);
                html_put(out, h->label);
                if (h->hostname && !streq(h->hostname, h->label)) {
                        fputs("<br><span class=\"subj\">", out);
                        html_put(out, h->hostname);
                        fputs("</span>", out);
                }
                fprintf(out, "</th><td class=\"score %s\">", score_class(h->has_score, h->score));
                put_score(out, h->has_score, h->score);
                fprintf(out, "</td><td>%u</td><td>%u</td><td>%u</td><td><ul class=\"worst\">",
                        h->summary[STATUS_FAIL], h->summary[STATUS_ERROR], host_tests(h));
                for (size_t k = 0; k < h->n_worst; k++)
                        html_finding(out, &h->worst[k]);
                if (h->n_findings > h->n_worst)
                        fprintf(out, "<li class=\"more\">and %u more</li>", h->n_findings - (unsigned) h->n_worst);
                fputs("</ul></td><td>", out);
                put_delta(out, h);
                if (h->has_previous) {
                        fprintf(out, "<br>%u new, %u fixed", h->n_new_failures, h->n_fixed);
                        if (h->n_new_listed > 0) {
                                fputs("<ul class=\"worst\">", out);
                                for (size_t k = 0; k < h->n_new_listed; k++)
                                        html_finding(out, &h->new_failures[k]);
                                fputs("</ul>", out);
                        }
                }
                fputs("</td></tr>\n", out);
        }
        fputs("</tbody>\n</table>\n</section>\n", out);
}

static void
html_checks(FILE *out, const Fleet *f)
{
        fputs("<section aria-labelledby=\"h-checks\">\n<h2 id=\"h-checks\">Failing checks</h2>\n", out);
        if (f->n_checks == 0) {
                fputs("<p>No check fails on any host.</p>\n</section>\n", out);
                return;
        }
        fputs("<table class=\"fleet\">\n<thead><tr><th>Check</th><th>Severity</th><th>Hosts</th>"
              "<th>Failing on</th></tr></thead>\n<tbody>\n", out);
        for (size_t i = 0; i < f->n_checks; i++) {
                const FleetCheck *c = &f->checks[i];

                fputs("<tr><td><code>", out);
                html_put(out, c->id);
                fputs("</code><br>", out);
                html_put(out, c->title);
                fprintf(out, "</td><td><span class=\"sev %s\">%s</span></td><td>%zu</td><td>",
                        severity_to_string(c->severity), severity_to_string(c->severity), c->n_hosts);
                for (size_t k = 0; k < c->n_hosts && k < FLEET_HOSTS_LISTED; k++) {
                        if (k)
                                fputs(", ", out);
                        html_put(out, f->hosts[c->hosts[k]].label);
                }
                if (c->n_hosts > FLEET_HOSTS_LISTED)
                        fprintf(out, " and %zu more", c->n_hosts - FLEET_HOSTS_LISTED);
                fputs("</td></tr>\n", out);
        }
        fputs("</tbody>\n</table>\n</section>\n", out);
}

int
render_fleet_html(const Fleet *f, const RenderOptions *o, FILE *out)
{
        (void) o;
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'unsafe-inline'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
              "<title>kvmaudit fleet report</title>\n<style>\n", out);
        fputs(report_html_css, out);
        fputs("table.fleet { border-collapse: collapse; width: 100%; }\n"
              "table.fleet th, table.fleet td { border-bottom: 1px solid var(--line); padding: 6px 8px; "
              "text-align: left; vertical-align: top; }\n"
              "table.fleet td.score { font-weight: 700; background: none; }\n"
              "ul.worst { margin: 0; padding-left: 1em; }\n.subj { color: var(--muted); }\n"
              "</style>\n</head>\n<body>\n<header class=\"top\">\n<h1>kvmaudit fleet report</h1>\n", out);
        fprintf(out, "<ul class=\"meta\"><li>hosts <b>%zu</b></li><li>mean score <b>", f->n_hosts);
        put_score(out, f->has_score, f->score);
        fprintf(out, "</b></li><li>failures <b>%u</b></li><li>errors <b>%u</b></li>"
                "<li>failing checks <b>%zu</b></li></ul>\n</header>\n<main>\n",
                f->summary[STATUS_FAIL], f->summary[STATUS_ERROR], f->n_checks);
        html_hosts(out, f);
        html_checks(out, f);
        fputs("</main>\n</body>\n</html>\n", out);
        return ferror(out) ? -EIO : 0;
}

/* ---- markdown ----------------------------------------------------------- */

static void
md_put(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_MARKDOWN, strna(s));
}

static void
md_finding(FILE *out, const FleetFinding *x, bool first)
{
        if (!first)
                fputs("<br>", out);
        fprintf(out, "%s ", x->status == STATUS_ERROR ? "error" : severity_to_string(x->severity));
        fputs_escaped(out, ESCAPE_MARKDOWN_CODE, x->id);
        if (x->subject && !streq(x->subject, "host")) {
                fputs(" (", out);
                md_put(out, x->subject);
                fputs(")", out);
        }
}

int
render_fleet_markdown(const Fleet *f, const RenderOptions *o, FILE *out)
{
        (void) o;
        fprintf(out, "# kvmaudit fleet report\n\n**%zu hosts**, mean score **", f->n_hosts);
        put_score(out, f->has_score, f->score);
        fprintf(out, "**, %u failures, %u errors, %zu failing checks.\n\n## Hosts\n\n"
                "| Host | Score | Fail | Error | Worst findings | Since previous |\n"
                "|---|---:|---:|---:|---|---|\n",
                f->summary[STATUS_FAIL], f->summary[STATUS_ERROR], f->n_checks);
        for (size_t i = 0; i < f->n_hosts; i++) {
                const FleetHost *h = &f->hosts[i];

                fputs("| ", out);
                md_put(out, h->label);
                fputs(" | ", out);
                put_score(out, h->has_score, h->score);
                fprintf(out, " | %u | %u | ", h->summary[STATUS_FAIL], h->summary[STATUS_ERROR]);
                for (size_t k = 0; k < h->n_worst; k++)
                        md_finding(out, &h->worst[k], k == 0);
                if (h->n_findings > h->n_worst)
                        fprintf(out, "<br>and %u more", h->n_findings - (unsigned) h->n_worst);
                fputs(" | ", out);
                put_delta(out, h);
                if (h->has_previous)
                        fprintf(out, ", %u new, %u fixed", h->n_new_failures, h->n_fixed);
                fputs(" |\n", out);
        }
        fputs("\n## Failing checks\n\n", out);
        if (f->n_checks == 0)
                fputs("No check fails on any host.\n", out);
        else
                fputs("| Check | Severity | Hosts | Failing on |\n|---|---|---:|---|\n", out);
        for (size_t i = 0; i < f->n_checks; i++) {
                const FleetCheck *c = &f->checks[i];

                fputs("| ", out);
                fputs_escaped(out, ESCAPE_MARKDOWN_CODE, c->id);
                fprintf(out, " | %s | %zu | ", severity_to_string(c->severity), c->n_hosts);
                for (size_t k = 0; k < c->n_hosts && k < FLEET_HOSTS_LISTED; k++) {
                        if (k)
                                fputs(", ", out);
                        md_put(out, f->hosts[c->hosts[k]].label);
                }
                if (c->n_hosts > FLEET_HOSTS_LISTED)
                        fprintf(out, " and %zu more", c->n_hosts - FLEET_HOSTS_LISTED);
                fputs(" |\n", out);
        }
        return ferror(out) ? -EIO : 0;
}

/* ---- JSON (report/schema/fleet.schema.json) ----------------------------- */

static json_object *
jstr(const char *s)
{
        return s ? json_object_new_string(s) : NULL;
}

static json_object *
jscore(bool has, double v)
{
        char buf[32];

        if (!has)
                return NULL;
        snprintf(buf, sizeof(buf), "%.1f", v);
        return json_object_new_double_s(v, buf);
}

static json_object *
jcounts(const unsigned *c)
{
        json_object *o = json_object_new_object();

        for (Status s = 0; s < _STATUS_MAX; s++)
                json_object_object_add(o, status_to_string(s), json_object_new_int64(c[s]));
        return o;
}

static json_object *
jfindings(const FleetFinding *v, size_t n)
{
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < n; i++) {
                json_object *o = json_object_new_object();

                json_object_object_add(o, "id", jstr(v[i].id));
                json_object_object_add(o, "subject", jstr(v[i].subject));
                json_object_object_add(o, "severity", jstr(severity_to_string(v[i].severity)));
                json_object_object_add(o, "status", jstr(status_to_string(v[i].status)));
                json_object_array_add(a, o);
        }
        return a;
}

static json_object *
fleet_json(const Fleet *f)
{
        json_object *root = json_object_new_object(), *hosts = json_object_new_array();
        json_object *checks = json_object_new_array();

        json_object_object_add(root, "schema_version", json_object_new_int(FLEET_SCHEMA_VERSION));
        json_object_object_add(root, "kind", jstr("kvmaudit-fleet"));
        json_object_object_add(root, "score", jscore(f->has_score, f->score));
        json_object_object_add(root, "summary", jcounts(f->summary));
        for (size_t i = 0; i < f->n_hosts; i++) {
                const FleetHost *h = &f->hosts[i];
                json_object *o = json_object_new_object(), *ch;

                json_object_object_add(o, "name", jstr(h->label));
                json_object_object_add(o, "hostname", jstr(h->hostname));
                json_object_object_add(o, "kernel", jstr(h->kernel));
                json_object_object_add(o, "started_at", jstr(h->started_at));
                json_object_object_add(o, "tool_version", jstr(h->tool_version));
                json_object_object_add(o, "score", jscore(h->has_score, h->score));
                json_object_object_add(o, "summary", jcounts(h->summary));
                json_object_object_add(o, "findings", json_object_new_int64(h->n_findings));
                json_object_object_add(o, "worst", jfindings(h->worst, h->n_worst));
                if (h->has_previous) {
                        ch = json_object_new_object();
                        json_object_object_add(ch, "score_delta", jscore(h->has_delta, h->delta));
                        json_object_object_add(ch, "new_failures", json_object_new_int64(h->n_new_failures));
                        json_object_object_add(ch, "fixed", json_object_new_int64(h->n_fixed));
                        json_object_object_add(ch, "new", jfindings(h->new_failures, h->n_new_listed));
                } else
                        ch = NULL;
                json_object_object_add(o, "change", ch);
                json_object_array_add(hosts, o);
        }
        json_object_object_add(root, "hosts", hosts);
        for (size_t i = 0; i < f->n_checks; i++) {
                const FleetCheck *c = &f->checks[i];
                json_object *o = json_object_new_object(), *names = json_object_new_array();

                json_object_object_add(o, "id", jstr(c->id));
                json_object_object_add(o, "title", jstr(c->title));
                json_object_object_add(o, "category", jstr(c->category));
                json_object_object_add(o, "severity", jstr(severity_to_string(c->severity)));
                for (size_t k = 0; k < c->n_hosts; k++)
                        json_object_array_add(names, jstr(f->hosts[c->hosts[k]].label));
                json_object_object_add(o, "hosts", names);
                json_object_array_add(checks, o);
        }
        json_object_object_add(root, "failing_checks", checks);
        return root;
}

int
render_fleet_json(const Fleet *f, const RenderOptions *o, FILE *out)
{
        json_object *root;
        const char *s;

        (void) o;
        root = fleet_json(f);
        if (!root)
                return -ENOMEM;
        s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s) {
                json_object_put(root);
                return -ENOMEM;
        }
        /* strings from report files: no raw control or non-UTF-8 byte */
        fputs_json_safe(out, s);
        fputc('\n', out);
        json_object_put(root);
        return ferror(out) ? -EIO : 0;
}
