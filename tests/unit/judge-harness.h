/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Table tests of the shipped checks on fact tables (issue 13, "Tests
 * follow").  A row names ONE CHECK BY ID of the embedded catalogue, loaded
 * as the CLI loads it, gives the facts a probe would have observed, and
 * lists the results the check must give.  The row never names an
 * evaluator or a judge: whether the check is data or C, and however the
 * engine iterates its objects, the row keeps its meaning.
 *
 * Facts are written one per string, as a facts file would hold them:
 *
 *   "KEY=VALUE"            a string ("cpu:vendor=GenuineIntel"; "KEY=" is
 *                          the empty string)
 *   "KEY[]=A|B|C"          a list ("libvirt:domains[]=web|db"; "KEY[]=" is
 *                          the empty list)
 *   "KEY@=TYPE [MAJ:MIN] MODE UID:GID [acl=E,E]"
 *                          a stat, as fact_describe() prints it:
 *                          "stat:/dev/kvm@=chr 10:232 0660 0:993"
 *   "-KEY"                 absent (the file, key or option does not exist)
 *   "KEY!=ERRNO message"   unreadable: "selinux:enforce!=EACCES Permission denied"
 *   "+NAMESPACE"           the namespace is complete though no key of it
 *                          is given ("+qemu.conf": every setting absent)
 *
 * A row holds only what a probe could record: each line is checked as
 * "scan --facts" checks a facts file (a key some probe writes, a kind its
 * rule allows, no line break in a one-line value).
 *
 * Every namespace that a facts file marks complete (the namespaces loaded
 * whole, such as qemu.conf, libvirt, process) is marked complete as soon as
 * one of its keys is given, so that its other keys read as absent; a key
 * of a per-key namespace (stat, sysctl, ...) that the row does not give
 * reads as "not in the facts file", an error.
 *
 * Results are compared as a set: each wanted (subject, status, observed
 * substring) must match one result, and there must be no other result.
 * On a mismatch the harness prints every result and every fact the check
 * read that the row did not give.  KVMAUDIT_JUDGE_TRACE=1 prints them for
 * every row.
 */

#include <stddef.h>

#include "check.h"

/* Bounds of one row; raise them when a row needs more. */
#define JUDGE_FACTS_MAX 40
#define JUDGE_WANT_MAX 6

typedef struct JudgeWant {
        const char *subject;    /* NULL ends the list */
        Status status;
        const char *observed;   /* substring of the evidence; NULL: any */
} JudgeWant;

typedef struct JudgeCase {
        const char *check;      /* check id in the shipped catalogue */
        const char *branch;     /* what the row tests, for messages */
        const char *facts[JUDGE_FACTS_MAX];
        JudgeWant want[JUDGE_WANT_MAX];
        /* Non-NULL: the verdict the row asserts is today's and is wrong,
         * for this reason (reported, not fixed here: issue 13 rewrites the
         * judges).  Fixing the bug makes the row fail: then correct it. */
        const char *known_bug;
} JudgeCase;

/* Loads the embedded catalogue once (cmocka group setup/teardown). */
int judge_setup(void **state);
int judge_teardown(void **state);

/* Runs every row; prints each failure; returns how many rows failed. */
size_t judge_run(const JudgeCase *cases, size_t n);

/*
 * Every check of @categories (NULL-terminated) that has C today (a
 * whole-check evaluator or a judge) must have a row whose results include
 * a pass, one with a fail and one with a skip or an error.  Returns how
 * many checks miss one (each printed).
 */
size_t judge_coverage(const JudgeCase *cases, size_t n, const char *const *categories);

/* The same for the data checks of @categories, for a table that keeps the
 * rows of checks converted from C to data (test-judges-domain.c). */
size_t judge_coverage_data(const JudgeCase *cases, size_t n, const char *const *categories);

/* The cmocka tests every test-judges-*.c runs. */
#define JUDGE_MAIN(cases, ...)                                                           \
        static void test_rows(void **state)                                              \
        {                                                                                \
                (void) state;                                                            \
                assert_int_equal(judge_run(cases, ELEMENTSOF(cases)), 0);                \
        }                                                                                \
        static void test_coverage(void **state)                                          \
        {                                                                                \
                static const char *const categories[] = {__VA_ARGS__, NULL};             \
                (void) state;                                                            \
                assert_int_equal(judge_coverage(cases, ELEMENTSOF(cases), categories), 0); \
        }                                                                                \
        int main(void)                                                                   \
        {                                                                                \
                const struct CMUnitTest tests[] = {                                      \
                        cmocka_unit_test(test_rows),                                     \
                        cmocka_unit_test(test_coverage),                                 \
                };                                                                       \
                return cmocka_run_group_tests(tests, judge_setup, judge_teardown);       \
        }
