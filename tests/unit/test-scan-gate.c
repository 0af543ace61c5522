/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the gate (src/scan/scan-gate.c): which thresholds apply,
 * coverage, waived results, and the reasons a failed gate gives, on
 * hand-made result tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "report.h"
#include "scan.h"
#include "strv.h"
#include "util.h"

#define CHECK(i, c, s) {.id = (char *) (i), .category = (char *) (c), .severity = (s), .expected = (char *) "e"}

static const Check k_crit = CHECK("kernel.crit", "kernel", SEVERITY_CRITICAL);
static const Check k_high = CHECK("kernel.high", "kernel", SEVERITY_HIGH);
static const Check c_low = CHECK("cpu.low", "cpu", SEVERITY_LOW);
static const Check d_med = CHECK("devices.med", "devices", SEVERITY_MEDIUM);

static void
test_make(void **state)
{
        static const struct {
                double fail_under;
                int fail_on;
                bool fail_on_error;
                double min_coverage, gate_min_coverage;
                double want_min;
                bool want_given, want_active;
        } rows[] = {
                /* nothing given: the default, and no gate */
                {-1, -1, false, -1, -1, GATE_DEFAULT_MIN_COVERAGE, false, false},
                /* a gate file's min-coverage alone makes no gate either */
                {-1, -1, false, -1, 70, 70, false, false},
                /* --min-coverage wins over the gate file, and makes a gate */
                {-1, -1, false, 20, 70, 20, true, true},
                {-1, -1, false, 0, 70, 0, true, true},
                {50, -1, false, -1, -1, GATE_DEFAULT_MIN_COVERAGE, false, true},
                {0, -1, false, -1, 55, 55, false, true},
                {-1, SEVERITY_INFO, false, -1, -1, GATE_DEFAULT_MIN_COVERAGE, false, true},
                {-1, -1, true, -1, 10, 10, false, true},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                Gate g = gate_make(rows[i].fail_under, rows[i].fail_on, rows[i].fail_on_error, rows[i].min_coverage,
                                   rows[i].gate_min_coverage);

                if (g.min_coverage != rows[i].want_min || g.min_coverage_given != rows[i].want_given ||
                    gate_active(&g) != rows[i].want_active)
                        print_error("row %zu: min %.1f given %d active %d\n", i, g.min_coverage,
                                    g.min_coverage_given, gate_active(&g));
                assert_true(g.min_coverage == rows[i].want_min);
                assert_int_equal(g.min_coverage_given, rows[i].want_given);
                assert_int_equal(gate_active(&g), rows[i].want_active);
                assert_true(g.fail_under == rows[i].fail_under);
                assert_int_equal(g.fail_on, rows[i].fail_on);
                assert_int_equal(g.fail_on_error, rows[i].fail_on_error);
        }
}

typedef struct R {
        const Check *check;
        Status status;
        const char *subject;
} R;

#define RESULTS_MAX 8
#define REASONS_MAX 4

typedef struct Row {
        const char *what;
        R results[RESULTS_MAX];
        /* the options, as gate_make() takes them */
        double fail_under;
        int fail_on;
        bool fail_on_error;
        double min_coverage, gate_min_coverage;
        bool fails;
        const char *reasons[REASONS_MAX];       /* exactly, in order */
} Row;

static const Row rows[] = {
        {"no gate: failures pass",
         {{&k_crit, STATUS_FAIL, "host"}, {&k_high, STATUS_ERROR, "host"}},
         -1, -1, false, -1, -1, false, {}},
        {"--fail-on high: a critical failure fails it",
         {{&k_crit, STATUS_FAIL, "host"}, {&k_high, STATUS_PASS, "host"}, {&c_low, STATUS_FAIL, "host"}},
         -1, SEVERITY_HIGH, false, -1, -1, true,
         {"--fail-on high: findings of that severity or higher: kernel.crit [host]"}},
        {"--fail-on critical: high and low failures pass",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_FAIL, "host"}, {&c_low, STATUS_FAIL, "host"}},
         -1, SEVERITY_CRITICAL, false, -1, -1, false, {}},
        {"--fail-on low: a waived critical failure is not a failure",
         {{&k_crit, STATUS_WAIVED, "host"}, {&k_high, STATUS_PASS, "host"}, {&c_low, STATUS_PASS, "host"}},
         -1, SEVERITY_LOW, false, -1, -1, false, {}},
        {"--fail-under 80: 10 of 15 points",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_FAIL, "host"}},
         80, -1, false, -1, -1, true,
         {"score 66.7 is under --fail-under 80.0; results that lost points: kernel.high [host]"}},
        {"--fail-under 60: 10 of 15 points pass",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_FAIL, "host"}},
         60, -1, false, -1, -1, false, {}},
        {"--fail-under 80: a waived failure costs nothing",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_WAIVED, "host"}},
         80, -1, false, -1, -1, false, {}},
        {"--fail-on-error: one error",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_PASS, "host"}, {&c_low, STATUS_ERROR, "/dev/kvm"}},
         -1, -1, true, -1, -1, true,
         {"--fail-on-error: 1 results could not be evaluated: cpu.low [/dev/kvm]"}},
        {"--fail-on-error: a waived error passes",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_PASS, "host"}, {&c_low, STATUS_WAIVED, "/dev/kvm"}},
         -1, -1, true, -1, -1, false, {}},
        {"--min-coverage 60 alone: 2 of 4 judged",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_SKIP, "host"}, {&c_low, STATUS_ERROR, "host"},
          {&d_med, STATUS_FAIL, "host"}},
         -1, -1, false, 60, -1, true,
         {"coverage 50.0% is under the minimum 60.0%: 2 of 4 checks judged; by category: cpu 0/1, kernel 1/2"}},
        {"--min-coverage 50: 2 of 4 judged is enough",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_SKIP, "host"}, {&c_low, STATUS_ERROR, "host"},
          {&d_med, STATUS_FAIL, "host"}},
         -1, -1, false, 50, -1, false, {}},
        {"the gate file's min-coverage applies once a threshold makes a gate",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_SKIP, "host"}, {&c_low, STATUS_ERROR, "host"},
          {&d_med, STATUS_PASS, "host"}},
         -1, SEVERITY_CRITICAL, false, -1, 75, true,
         {"coverage 50.0% is under the minimum 75.0%: 2 of 4 checks judged; by category: cpu 0/1, kernel 1/2"}},
        {"--min-coverage overrides the gate file's",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_SKIP, "host"}, {&c_low, STATUS_ERROR, "host"},
          {&d_med, STATUS_PASS, "host"}},
         -1, SEVERITY_CRITICAL, false, 30, 75, false, {}},
        {"the default minimum, 40%, once a threshold makes a gate",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_SKIP, "host"}, {&c_low, STATUS_SKIP, "host"},
          {&d_med, STATUS_SKIP, "host"}},
         -1, SEVERITY_CRITICAL, false, -1, -1, true,
         {"coverage 25.0% is under the minimum 40.0%: 1 of 4 checks judged; by category: cpu 0/1, "
          "devices 0/1, kernel 1/2"}},
        {"a waived result is judged: 2 of 4 is 50%",
         {{&k_crit, STATUS_PASS, "host"}, {&k_high, STATUS_SKIP, "host"}, {&c_low, STATUS_WAIVED, "host"},
          {&d_med, STATUS_SKIP, "host"}},
         -1, SEVERITY_CRITICAL, false, -1, -1, false, {}},
        {"nothing judged fails any gate, even --min-coverage 0",
         {{&k_crit, STATUS_SKIP, "host"}, {&k_high, STATUS_ERROR, "host"}},
         -1, -1, false, 0, -1, true,
         {"no check was judged (2 ran, every one skipped or in error): a gate needs evidence"}},
        {"every threshold at once, in order",
         {{&k_crit, STATUS_FAIL, "host"}, {&k_high, STATUS_SKIP, "host"}, {&c_low, STATUS_ERROR, "host"},
          {&d_med, STATUS_PASS, "host"}},
         90, SEVERITY_MEDIUM, true, 60, -1, true,
         {"coverage 50.0% is under the minimum 60.0%: 2 of 4 checks judged; by category: cpu 0/1, kernel 1/2",
          "score 23.1 is under --fail-under 90.0; results that lost points: kernel.crit [host]",
          "--fail-on medium: findings of that severity or higher: kernel.crit [host]",
          "--fail-on-error: 1 results could not be evaluated: cpu.low [host]"}},
};

static void
test_check(void **state)
{
        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                const Row *row = &rows[i];
                _cleanup_strv_free_ char **reasons = NULL;
                Report rep = {};
                Gate g;
                size_t n = 0;
                int r;

                for (size_t k = 0; k < RESULTS_MAX && row->results[k].check; k++)
                        assert_int_equal(results_add(&rep.results, row->results[k].check, row->results[k].status,
                                                     row->results[k].subject, "obs", NULL), 0);
                assert_int_equal(report_score(&rep), 0);
                g = gate_make(row->fail_under, row->fail_on, row->fail_on_error, row->min_coverage,
                              row->gate_min_coverage);
                r = gate_check(&rep, &g, &reasons);
                if (r != row->fails)
                        print_error("%s: gate_check %d\n", row->what, r);
                assert_int_equal(r, row->fails);
                while (n < REASONS_MAX && row->reasons[n])
                        n++;
                if (strv_length(reasons) != n)
                        print_error("%s: %zu reasons, want %zu\n", row->what, strv_length(reasons), n);
                assert_int_equal(strv_length(reasons), n);
                for (size_t k = 0; k < n; k++) {
                        if (!streq(reasons[k], row->reasons[k]))
                                print_error("%s: reason \"%s\", want \"%s\"\n", row->what, reasons[k],
                                            row->reasons[k]);
                        assert_string_equal(reasons[k], row->reasons[k]);
                }
                /* the reasons are optional */
                assert_int_equal(gate_check(&rep, &g, NULL), row->fails);
                report_done(&rep);
        }
}

/* A reason names at most ten results and counts the rest. */
static void
test_check_many(void **state)
{
        _cleanup_strv_free_ char **reasons = NULL;
        Report rep = {};
        Gate g = gate_make(-1, SEVERITY_HIGH, false, -1, -1);
        StrBuf want = {};

        (void) state;
        strbuf_printf(&want, "--fail-on high: findings of that severity or higher");
        for (unsigned i = 0; i < 12; i++) {
                char subject[16];

                snprintf(subject, sizeof(subject), "domain:vm%02u", i);
                assert_int_equal(results_add(&rep.results, &k_high, STATUS_FAIL, subject, "obs", NULL), 0);
                if (i < 10)
                        strbuf_printf(&want, "%s kernel.high [%s]", i ? "," : ":", subject);
        }
        strbuf_printf(&want, " and 2 more");
        assert_int_equal(report_score(&rep), 0);
        assert_int_equal(gate_check(&rep, &g, &reasons), 1);
        assert_int_equal(strv_length(reasons), 1);
        _cleanup_free_ char *w = strbuf_steal(&want);
        assert_string_equal(reasons[0], w);
        report_done(&rep);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_make),
                cmocka_unit_test(test_check),
                cmocka_unit_test(test_check_many),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
