/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Prometheus text exposition format (0.0.4) for node_exporter's textfile
 * collector: write it to a *.prom file in the collector's directory
 * (atomically: to a temporary name, then rename).  Every family is a
 * gauge; timestamps are not written per sample (the collector rejects
 * them), the scan time is a metric of its own.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "text-escape.h"
#include "util.h"

/* Label value per the exposition format: backslash, double quote and
 * newline escaped; other control characters and bytes that are not UTF-8
 * (the format is UTF-8) visible escapes (text-escape.h). */
static void
prom_label_value(FILE *out, const char *s)
{
        fputs_escaped(out, ESCAPE_PROMETHEUS, s ? s : "");
}

static void
family(FILE *out, const char *name, const char *help)
{
        fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* Seconds since the epoch of a "YYYY-MM-DDTHH:MM:SSZ" (or +hh:mm) time. */
static int
rfc3339_to_epoch(const char *s, int64_t *ret)
{
        struct tm tm = {};
        const char *rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
        int64_t t, off = 0;

        if (!rest)
                return -EINVAL;
        if (*rest == '.')
                for (rest++; *rest >= '0' && *rest <= '9'; rest++)
                        ;
        if ((rest[0] == '+' || rest[0] == '-') && strlen(rest) == 6 && rest[3] == ':') {
                for (size_t i = 1; i < 6; i++)
                        if (i != 3 && (rest[i] < '0' || rest[i] > '9'))
                                return -EINVAL;
                off = ((rest[1] - '0') * 10 + (rest[2] - '0')) * 3600 + ((rest[4] - '0') * 10 + (rest[5] - '0')) * 60;
                if (rest[0] == '-')
                        off = -off;
        } else if (!streq(rest, "Z") && !streq(rest, "z"))
                return -EINVAL;
        t = (int64_t) timegm(&tm);
        if (t == -1)
                return -EINVAL;
        *ret = t - off;
        return 0;
}

static void
put_score(FILE *out, double v)
{
        fprintf(out, "%.1f\n", v);
}

int
render_prometheus(const Report *r, const RenderOptions *o, FILE *out)
{
        unsigned failures[_SEVERITY_MAX] = {};
        bool any_cat = false;
        int64_t t;

        (void) o;
        family(out, "kvmaudit_info", "kvmaudit version and the audited host's kernel release and hostname.");
        fputs("kvmaudit_info{version=\"", out);
        prom_label_value(out, r->tool_version);
        fputs("\",kernel=\"", out);
        prom_label_value(out, r->kernel);
        fputs("\",hostname=\"", out);
        prom_label_value(out, r->hostname);
        fputs("\"} 1\n", out);

        /* No sample at all rather than NaN when nothing was evaluated. */
        if (r->has_score) {
                family(out, "kvmaudit_score",
                       "Security score 0-100, weighted by severity over the evaluated (pass and fail) checks.");
                fputs("kvmaudit_score ", out);
                put_score(out, r->score);
        }
        for (size_t k = 0; k < r->n_categories; k++)
                any_cat |= r->categories[k].has_score;
        if (any_cat) {
                family(out, "kvmaudit_category_score", "Security score 0-100 of one category of checks.");
                for (size_t k = 0; k < r->n_categories; k++) {
                        if (!r->categories[k].has_score)
                                continue;
                        fputs("kvmaudit_category_score{category=\"", out);
                        prom_label_value(out, r->categories[k].name);
                        fputs("\"} ", out);
                        put_score(out, r->categories[k].score);
                }
        }

        /* Coverage always has a sample: 0 judged is the alarm, not a gap. */
        family(out, "kvmaudit_coverage_percent",
               "Share 0-100 of the checks that ran which were judged (pass, fail or waived).");
        fputs("kvmaudit_coverage_percent ", out);
        put_score(out, r->coverage);
        family(out, "kvmaudit_category_coverage_percent",
               "Share 0-100 of one category's checks that ran which were judged.");
        for (size_t k = 0; k < r->n_categories; k++) {
                const CategoryStats *cat = &r->categories[k];

                fputs("kvmaudit_category_coverage_percent{category=\"", out);
                prom_label_value(out, cat->name);
                fputs("\"} ", out);
                put_score(out, cat->checks ? score_round1(100.0 * cat->judged / cat->checks) : 0);
        }

        family(out, "kvmaudit_results", "Check results of the last scan by status.");
        for (Status s = 0; s < _STATUS_MAX; s++)
                fprintf(out, "kvmaudit_results{status=\"%s\"} %u\n", status_to_string(s), r->summary[s]);

        for (size_t i = 0; i < r->results.n; i++)
                if (r->results.v[i].status == STATUS_FAIL)
                        failures[r->results.v[i].check->severity]++;
        family(out, "kvmaudit_failures", "Failed check results of the last scan by severity.");
        for (Severity s = _SEVERITY_MAX - 1; (int) s >= 0; s--)
                fprintf(out, "kvmaudit_failures{severity=\"%s\"} %u\n", severity_to_string(s), failures[s]);

        family(out, "kvmaudit_check_failed", "One series per failed check result (1), by check id and subject.");
        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i], *prev = i > 0 ? &r->results.v[i - 1] : NULL;

                if (res->status != STATUS_FAIL)
                        continue;
                /* A series may appear once; sorted results put twins side by side. */
                if (prev && prev->status == STATUS_FAIL && prev->check == res->check &&
                    streq(prev->subject ? prev->subject : "", res->subject ? res->subject : ""))
                        continue;
                fputs("kvmaudit_check_failed{id=\"", out);
                prom_label_value(out, res->check->id);
                fputs("\",subject=\"", out);
                prom_label_value(out, res->subject);
                fprintf(out, "\",severity=\"%s\",category=\"", severity_to_string(res->check->severity));
                prom_label_value(out, res->check->category);
                fputs("\"} 1\n", out);
        }

        if (r->started_at && rfc3339_to_epoch(r->started_at, &t) >= 0) {
                family(out, "kvmaudit_scan_timestamp_seconds", "Time the last scan started, seconds since the epoch.");
                fprintf(out, "kvmaudit_scan_timestamp_seconds %lld\n", (long long) t);
        }
        if (r->duration_ms >= 0) {
                family(out, "kvmaudit_scan_duration_seconds", "Duration of the last scan in seconds.");
                fprintf(out, "kvmaudit_scan_duration_seconds %.3f\n", (double) r->duration_ms / 1000.0);
        }
        return ferror(out) ? -EIO : 0;
}
