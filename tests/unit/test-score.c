/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of scoring and gates (src/report/report.c) against
 * CHECKS.md section 3, on hand-made results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "report.h"
#include "util.h"

#define CHECK(i, c, s) {.id = (char *) (i), .category = (char *) (c), .severity = (s), .expected = (char *) "e"}

static const Check k_crit = CHECK("kernel.crit", "kernel", SEVERITY_CRITICAL);
static const Check k_high = CHECK("kernel.high", "kernel", SEVERITY_HIGH);
static const Check k_med = CHECK("kernel.med", "kernel", SEVERITY_MEDIUM);
static const Check c_low = CHECK("cpu.low", "cpu", SEVERITY_LOW);
static const Check h_info = CHECK("hw.info", "hw", SEVERITY_INFO);
static const Check d_crit = CHECK("devices.crit", "devices", SEVERITY_CRITICAL);

static void
add(Report *r, const Check *c, Status s, const char *subject)
{
        assert_int_equal(results_add(&r->results, c, s, subject, "obs", NULL), 0);
}

static void
add_n(Report *r, const Check *c, Status s, unsigned n)
{
        for (unsigned i = 0; i < n; i++) {
                char subject[32];

                snprintf(subject, sizeof(subject), "s%05u-%d", i, (int) s);
                add(r, c, s, subject);
        }
}

static const CategoryStats *
category(const Report *r, const char *name)
{
        for (size_t i = 0; i < r->n_categories; i++)
                if (streq(r->categories[i].name, name))
                        return &r->categories[i];
        print_error("no category %s\n", name);
        fail();
        return NULL;
}

static void
assert_score(const Report *r, double want)
{
        assert_true(r->has_score);
        if (r->score != want)
                print_error("score %.10f, want %.1f\n", r->score, want);
        assert_true(r->score == want);
}

static void
test_weights(void **state)
{
        Report r = {};

        (void) state;
        add(&r, &k_crit, STATUS_PASS, NULL); /* 10 of 10 */
        add(&r, &k_high, STATUS_FAIL, NULL); /* 0 of 5 */
        add(&r, &k_med, STATUS_PASS, NULL);  /* 3 of 3 */
        add(&r, &c_low, STATUS_FAIL, NULL);  /* 0 of 1 */
        add(&r, &h_info, STATUS_FAIL, NULL); /* listed, never scored */
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 68.4); /* 13 / 19 */
        assert_int_equal(r.summary[STATUS_PASS], 2);
        assert_int_equal(r.summary[STATUS_FAIL], 3);
        assert_int_equal(r.summary[STATUS_SKIP], 0);
        report_done(&r);

        add(&r, &k_high, STATUS_PASS, NULL);
        add(&r, &c_low, STATUS_FAIL, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 83.3); /* 5 / 6 */
        report_done(&r);
}

static void
test_multi_subject(void **state)
{
        Report r = {};

        (void) state;
        /* weight x passing / (passing + failing): 5 x 3/4 = 3.75 */
        add(&r, &k_high, STATUS_PASS, "domain:a");
        add(&r, &k_high, STATUS_PASS, "domain:b");
        add(&r, &k_high, STATUS_FAIL, "domain:c");
        add(&r, &k_high, STATUS_PASS, "domain:d");
        add(&r, &c_low, STATUS_PASS, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 79.2); /* 4.75 / 6 = 79.1666 */
        /* counts are of results, not checks */
        assert_int_equal(category(&r, "kernel")->counts[STATUS_PASS], 3);
        assert_int_equal(category(&r, "kernel")->counts[STATUS_FAIL], 1);
        assert_true(category(&r, "kernel")->score == 75.0);
        report_done(&r);

        /* fifty failing domains weigh as much as one host check */
        add(&r, &d_crit, STATUS_PASS, NULL);
        add_n(&r, &k_crit, STATUS_FAIL, 50);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 50.0);
        report_done(&r);
}

static void
test_not_counted(void **state)
{
        Report r = {};

        (void) state;
        add(&r, &k_high, STATUS_PASS, "a");
        add(&r, &k_high, STATUS_ERROR, "b");
        add(&r, &k_high, STATUS_WAIVED, "c");
        add(&r, &k_high, STATUS_SKIP, "d");
        add(&r, &k_med, STATUS_SKIP, NULL);    /* nothing */
        add(&r, &k_crit, STATUS_WAIVED, NULL); /* nothing */
        add(&r, &d_crit, STATUS_ERROR, NULL);  /* nothing */
        add(&r, &c_low, STATUS_FAIL, "x");
        add(&r, &c_low, STATUS_ERROR, "y");
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 83.3); /* (5 + 0) / (5 + 1) */
        assert_int_equal(r.summary[STATUS_PASS], 1);
        assert_int_equal(r.summary[STATUS_FAIL], 1);
        assert_int_equal(r.summary[STATUS_SKIP], 2);
        assert_int_equal(r.summary[STATUS_ERROR], 3);
        assert_int_equal(r.summary[STATUS_WAIVED], 2);
        assert_false(category(&r, "devices")->has_score);
        assert_int_equal(category(&r, "devices")->counts[STATUS_ERROR], 1);
        report_done(&r);
}

static void
test_info_and_nothing_scorable(void **state)
{
        Report r = {};

        (void) state;
        add(&r, &h_info, STATUS_FAIL, "a");
        add(&r, &h_info, STATUS_PASS, "b");
        assert_int_equal(report_score(&r), 0);
        assert_false(r.has_score);
        assert_false(category(&r, "hw")->has_score);
        assert_int_equal(category(&r, "hw")->counts[STATUS_FAIL], 1);
        report_done(&r);

        add(&r, &k_high, STATUS_SKIP, NULL);
        add(&r, &k_crit, STATUS_ERROR, NULL);
        add(&r, &c_low, STATUS_WAIVED, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_false(r.has_score);
        assert_true(r.score == 0);
        assert_int_equal(r.n_categories, 2);
        assert_false(category(&r, "kernel")->has_score);
        assert_false(category(&r, "cpu")->has_score);
        report_done(&r);

        /* no results at all */
        assert_int_equal(report_score(&r), 0);
        assert_false(r.has_score);
        assert_int_equal(r.n_categories, 0);
        report_done(&r);

        /* info beside a scored check changes nothing */
        add(&r, &h_info, STATUS_FAIL, NULL);
        add(&r, &c_low, STATUS_PASS, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 100.0);
        report_done(&r);
}

static void
test_rounding(void **state)
{
        Report r = {};

        (void) state;
        assert_true(score_round1(72.45) == 72.5);
        assert_true(score_round1(72.44) == 72.4);
        assert_true(score_round1(0.05) == 0.1);
        assert_true(score_round1(2.25) == 2.3);
        assert_true(score_round1(66.65) == 66.7);
        assert_true(score_round1(-1.25) == -1.3); /* away from zero */
        assert_true(score_round1(100.0) == 100.0);
        assert_true(score_round1(0.0) == 0.0);
        assert_true(score_round1(99.94) == 99.9);
        assert_true(score_round1(99.95) == 100.0);

        /* 289 / 400 = 72.25 exactly in decimal, not in binary: half up */
        add_n(&r, &c_low, STATUS_PASS, 289);
        add_n(&r, &c_low, STATUS_FAIL, 111);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 72.3);
        report_done(&r);

        add_n(&r, &c_low, STATUS_PASS, 291);
        add_n(&r, &c_low, STATUS_FAIL, 109);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 72.8); /* 72.75 */
        report_done(&r);

        /* 10 x 9/1000 + 10 over 20: 50.45 */
        add(&r, &d_crit, STATUS_PASS, NULL);
        add_n(&r, &k_crit, STATUS_PASS, 9);
        add_n(&r, &k_crit, STATUS_FAIL, 991);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 50.5);
        assert_true(category(&r, "kernel")->score == 0.9);
        assert_true(category(&r, "devices")->score == 100.0);
        report_done(&r);

        /* 2 / 3 */
        add(&r, &c_low, STATUS_PASS, "a");
        add(&r, &c_low, STATUS_PASS, "b");
        add(&r, &c_low, STATUS_FAIL, "c");
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 66.7);
        report_done(&r);
}

static void
test_categories(void **state)
{
        Report r = {};

        (void) state;
        /* out of order on purpose: report_score sorts */
        add(&r, &h_info, STATUS_PASS, NULL);
        add(&r, &k_high, STATUS_FAIL, NULL);
        add(&r, &c_low, STATUS_PASS, NULL);
        add(&r, &k_crit, STATUS_PASS, NULL);
        add(&r, &k_med, STATUS_SKIP, NULL);
        assert_int_equal(report_score(&r), 0);

        assert_string_equal(r.results.v[0].check->id, "cpu.low");
        assert_string_equal(r.results.v[1].check->id, "hw.info");
        assert_string_equal(r.results.v[2].check->id, "kernel.crit");
        assert_string_equal(r.results.v[3].check->id, "kernel.high");
        assert_string_equal(r.results.v[4].check->id, "kernel.med");

        assert_int_equal(r.n_categories, 3);
        assert_true(category(&r, "kernel")->has_score);
        assert_true(category(&r, "kernel")->score == 66.7); /* 10 / 15 */
        assert_int_equal(category(&r, "kernel")->counts[STATUS_PASS], 1);
        assert_int_equal(category(&r, "kernel")->counts[STATUS_FAIL], 1);
        assert_int_equal(category(&r, "kernel")->counts[STATUS_SKIP], 1);
        assert_true(category(&r, "cpu")->score == 100.0);
        assert_int_equal(category(&r, "cpu")->counts[STATUS_PASS], 1);
        assert_false(category(&r, "hw")->has_score);
        assert_int_equal(category(&r, "hw")->counts[STATUS_PASS], 1);
        assert_score(&r, 68.8); /* 11 / 16 = 68.75 */
        report_done(&r);
}

/* Regression test for a fixed bug (src/report/report.c, report_score()): it resets r->summary
 * but not the category counts, which category_get() finds again and
 * increments, so a second call doubles every category count. */
static void
test_score_twice(void **state)
{
        Report r = {};

        (void) state;
        add(&r, &k_high, STATUS_FAIL, NULL);
        add(&r, &c_low, STATUS_PASS, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 16.7);
        assert_int_equal(r.summary[STATUS_FAIL], 1);
        assert_int_equal(r.n_categories, 2);
        if (category(&r, "kernel")->counts[STATUS_FAIL] != 1) {
                print_message("regression: kernel fail count %u after two report_score() calls\n",
                              category(&r, "kernel")->counts[STATUS_FAIL]);
                report_done(&r);
                fail();
        }
        report_done(&r);
}

static void
test_gate(void **state)
{
        Report r = {};

        (void) state;
        add(&r, &k_crit, STATUS_PASS, NULL);
        add(&r, &k_high, STATUS_FAIL, NULL);
        add(&r, &k_med, STATUS_PASS, NULL);
        add(&r, &c_low, STATUS_FAIL, NULL);
        add(&r, &h_info, STATUS_FAIL, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_score(&r, 68.4);

        /* disabled */
        assert_false(report_gate_failed(&r, -1, -1));
        /* --fail-under: strictly below */
        assert_true(report_gate_failed(&r, 70, -1));
        assert_true(report_gate_failed(&r, 68.5, -1));
        assert_false(report_gate_failed(&r, 68.4, -1));
        assert_false(report_gate_failed(&r, 0, -1));
        /* --fail-on: a fail at that severity or above */
        assert_true(report_gate_failed(&r, -1, SEVERITY_HIGH));
        assert_true(report_gate_failed(&r, -1, SEVERITY_LOW));
        assert_true(report_gate_failed(&r, -1, SEVERITY_INFO));
        assert_false(report_gate_failed(&r, -1, SEVERITY_CRITICAL));
        /* either */
        assert_true(report_gate_failed(&r, 90, SEVERITY_CRITICAL));
        assert_true(report_gate_failed(&r, 10, SEVERITY_HIGH));
        assert_false(report_gate_failed(&r, 10, SEVERITY_CRITICAL));
        report_done(&r);

        /* waived, skipped and errored results never trip --fail-on */
        add(&r, &k_crit, STATUS_WAIVED, NULL);
        add(&r, &k_high, STATUS_ERROR, NULL);
        add(&r, &d_crit, STATUS_SKIP, NULL);
        add(&r, &c_low, STATUS_PASS, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_false(report_gate_failed(&r, 100, SEVERITY_INFO));
        report_done(&r);

        /* without a score, --fail-under has nothing to compare */
        add(&r, &k_crit, STATUS_SKIP, NULL);
        assert_int_equal(report_score(&r), 0);
        assert_false(r.has_score);
        assert_false(report_gate_failed(&r, 50, -1));
        report_done(&r);
}

/* The per-control view (report_controls): fail > waived > pass >
 * not-assessed, counts per result, checks listed once and sorted, controls
 * in natural order (AC-6(9) before AC-6(10)). */
static char *nist_a[] = {(char *) "SC-39", (char *) "AC-6(10)", NULL};
static char *nist_b[] = {(char *) "SC-39", (char *) "AC-6(9)", NULL};
static char *nist_c[] = {(char *) "SI-16", NULL};
static char *nist_d[] = {(char *) "CM-6", NULL};

static void
test_controls(void **state)
{
        Check a = CHECK("kernel.a", "kernel", SEVERITY_HIGH), b = CHECK("kernel.b", "kernel", SEVERITY_LOW),
              c = CHECK("cpu.c", "cpu", SEVERITY_LOW), d = CHECK("cpu.d", "cpu", SEVERITY_LOW),
              none = CHECK("hw.none", "hw", SEVERITY_LOW);
        Report r = {};

        (void) state;
        a.controls[FRAMEWORK_NIST_800_53] = nist_a;
        b.controls[FRAMEWORK_NIST_800_53] = nist_b;
        c.controls[FRAMEWORK_NIST_800_53] = nist_c;
        d.controls[FRAMEWORK_NIST_800_53] = nist_d;
        add(&r, &a, STATUS_PASS, "x");
        add(&r, &a, STATUS_FAIL, "y");
        add(&r, &b, STATUS_WAIVED, "host");
        add(&r, &b, STATUS_SKIP, "z");
        add(&r, &c, STATUS_SKIP, "host");
        add(&r, &c, STATUS_ERROR, "e");
        add(&r, &d, STATUS_PASS, "host");
        add(&r, &d, STATUS_ERROR, "e");
        add(&r, &none, STATUS_FAIL, "host");
        assert_int_equal(report_score(&r), 0);

        assert_int_equal(report_controls(&r, _FRAMEWORK_INVALID), 0);
        assert_false(r.has_framework);
        assert_int_equal(r.n_controls, 0);

        assert_int_equal(report_controls(&r, FRAMEWORK_NIST_800_53), 0);
        assert_true(r.has_framework);
        assert_int_equal(r.n_controls, 5);
        assert_string_equal(r.controls[0].id, "AC-6(9)");
        assert_int_equal(r.controls[0].status, CONTROL_WAIVED);
        assert_string_equal(r.controls[1].id, "AC-6(10)");
        assert_int_equal(r.controls[1].status, CONTROL_FAIL);
        assert_string_equal(r.controls[1].failing[0], "kernel.a");
        assert_string_equal(r.controls[2].id, "CM-6");
        assert_int_equal(r.controls[2].status, CONTROL_PASS);        /* an error beside a pass */
        assert_int_equal(r.controls[2].counts[STATUS_ERROR], 1);
        assert_string_equal(r.controls[3].id, "SC-39");
        assert_int_equal(r.controls[3].status, CONTROL_FAIL);
        assert_int_equal(r.controls[3].counts[STATUS_PASS], 1);
        assert_int_equal(r.controls[3].counts[STATUS_FAIL], 1);
        assert_int_equal(r.controls[3].counts[STATUS_WAIVED], 1);
        assert_int_equal(r.controls[3].counts[STATUS_SKIP], 1);
        assert_string_equal(r.controls[3].checks[0], "kernel.a");
        assert_string_equal(r.controls[3].checks[1], "kernel.b");
        assert_null(r.controls[3].checks[2]);
        assert_null(r.controls[3].failing[1]);
        assert_string_equal(r.controls[4].id, "SI-16");
        assert_int_equal(r.controls[4].status, CONTROL_NOT_ASSESSED);
        assert_null(r.controls[4].failing);
        assert_string_equal(control_status_to_string(CONTROL_NOT_ASSESSED), "not-assessed");

        /* again, for another framework: nothing maps, an empty view */
        assert_int_equal(report_controls(&r, FRAMEWORK_CCI), 0);
        assert_true(r.has_framework);
        assert_int_equal(r.n_controls, 0);
        for (size_t i = 0; i < r.results.n; i++)
                r.results.v[i].check = NULL;
        report_done(&r);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_weights),
                cmocka_unit_test(test_multi_subject),
                cmocka_unit_test(test_not_counted),
                cmocka_unit_test(test_info_and_nothing_scorable),
                cmocka_unit_test(test_rounding),
                cmocka_unit_test(test_categories),
                cmocka_unit_test(test_score_twice),
                cmocka_unit_test(test_gate),
                cmocka_unit_test(test_controls),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
