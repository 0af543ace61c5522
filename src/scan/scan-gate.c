/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The gate of a scan: thresholds on a scored report, and why it failed. */
#include <stdlib.h>

#include "scan.h"
#include "strv.h"
#include "util.h"

Gate
gate_make(double fail_under, int fail_on, bool fail_on_error, double min_coverage, double gate_min_coverage)
{
        return (Gate) {
                .fail_under = fail_under,
                .fail_on = fail_on,
                .fail_on_error = fail_on_error,
                .min_coverage = min_coverage >= 0 ? min_coverage
                              : gate_min_coverage >= 0 ? gate_min_coverage : GATE_DEFAULT_MIN_COVERAGE,
                .min_coverage_given = min_coverage >= 0,
        };
}

bool
gate_active(const Gate *g)
{
        return g->fail_under >= 0 || g->fail_on >= 0 || g->fail_on_error || g->min_coverage_given;
}

/* At most this many results are named in one reason line; the rest are
 * counted. */
#define GATE_REASON_NAMES_MAX 10u

static void
reason_results(StrBuf *b, const Report *r, bool (*match)(const Result *res, const Gate *g), const Gate *g)
{
        unsigned n = 0;

        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i];

                if (!match(res, g))
                        continue;
                if (n < GATE_REASON_NAMES_MAX)
                        strbuf_printf(b, "%s%s [%s]", n ? ", " : ": ", res->check->id, strna(res->subject));
                n++;
        }
        if (n > GATE_REASON_NAMES_MAX)
                strbuf_printf(b, " and %u more", n - GATE_REASON_NAMES_MAX);
}

static bool
match_failing(const Result *res, const Gate *g)
{
        return res->status == STATUS_FAIL && (int) res->check->severity >= g->fail_on;
}

static bool
match_error(const Result *res, const Gate *g)
{
        (void) g;
        return res->status == STATUS_ERROR;
}

static bool
match_lost(const Result *res, const Gate *g)
{
        (void) g;
        return res->status == STATUS_FAIL;
}

int
gate_check(const Report *r, const Gate *g, char ***ret_reasons)
{
        _cleanup_strv_free_ char **reasons = NULL;
        bool failed = false;

        if (!gate_active(g)) {
                if (ret_reasons)
                        *ret_reasons = NULL;
                return 0;
        }
        /* A gate over nothing passes nothing: no check judged at all is a
         * failure whatever the thresholds say. */
        if (r->judged == 0) {
                failed = true;
                if (strv_consume(&reasons, xasprintf("no check was judged (%u ran, every one skipped or in error): "
                                                     "a gate needs evidence", r->checks)) < 0)
                        return -ENOMEM;
        } else if (g->min_coverage > 0 && r->coverage < g->min_coverage) {
                StrBuf b = {};

                failed = true;
                strbuf_printf(&b, "coverage %.1f%% is under the minimum %.1f%%: %u of %u checks judged",
                              r->coverage, g->min_coverage, r->judged, r->checks);
                for (size_t i = 0, n = 0; i < r->n_categories; i++)
                        if (r->categories[i].judged < r->categories[i].checks)
                                strbuf_printf(&b, "%s%s %u/%u", n++ ? ", " : "; by category: ",
                                              r->categories[i].name, r->categories[i].judged,
                                              r->categories[i].checks);
                if (strv_consume(&reasons, strbuf_steal(&b)) < 0)
                        return -ENOMEM;
        }
        if (g->fail_under >= 0 && r->has_score && r->score < g->fail_under) {
                StrBuf b = {};

                failed = true;
                strbuf_printf(&b, "score %.1f is under --fail-under %.1f; results that lost points",
                              r->score, g->fail_under);
                reason_results(&b, r, match_lost, g);
                if (strv_consume(&reasons, strbuf_steal(&b)) < 0)
                        return -ENOMEM;
        }
        if (g->fail_on >= 0) {
                bool any = false;

                for (size_t i = 0; i < r->results.n; i++)
                        any = any || match_failing(&r->results.v[i], g);
                if (any) {
                        StrBuf b = {};

                        failed = true;
                        strbuf_printf(&b, "--fail-on %s: findings of that severity or higher",
                                      severity_to_string(g->fail_on));
                        reason_results(&b, r, match_failing, g);
                        if (strv_consume(&reasons, strbuf_steal(&b)) < 0)
                                return -ENOMEM;
                }
        }
        if (g->fail_on_error && r->summary[STATUS_ERROR] > 0) {
                StrBuf b = {};

                failed = true;
                strbuf_printf(&b, "--fail-on-error: %u results could not be evaluated", r->summary[STATUS_ERROR]);
                reason_results(&b, r, match_error, g);
                if (strv_consume(&reasons, strbuf_steal(&b)) < 0)
                        return -ENOMEM;
        }
        if (ret_reasons)
                *ret_reasons = TAKE_PTR(reasons);
        return failed;
}
