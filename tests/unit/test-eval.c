/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of check evaluation (src/checks/check-eval.c) and of every
 * evaluator (src/checks/check-evaluators.c), on hand-made fact stores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "check.h"
#include "check-evaluators.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

#define HEAD(id, c)                                                             \
        "[" id "]\ntitle = t\ncategory = " c "\nseverity = high\nscope = host\n" \
        "rationale = r\nremediation = m\n"
#define EVAL_CHECK(id, c, evaluator) HEAD(id, c) "evaluator = " evaluator "\nexpected = e\n"

typedef struct Env {
        FactStore *facts;
        Catalog cat;
        Results res;
} Env;

static void
env_init(Env *e)
{
        *e = (Env) {};
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &e->facts), 0);
}

static void
env_done(Env *e)
{
        results_done(&e->res);
        catalog_done(&e->cat);
        fact_store_free(e->facts);
        *e = (Env) {};
}

static void
env_load(Env *e, const char *text)
{
        _cleanup_free_ char *err = NULL;
        int r;

        r = catalog_load_text(&e->cat, text, "t.check", probe_namespaces, probe_namespaces_count, &err);
        if (r < 0)
                print_error("%s\n", strna(err));
        assert_int_equal(r, 0);
        assert_int_equal(catalog_finish(&e->cat, NULL), 0);
}

/* Evaluates check @id; returns how many results it added. */
static size_t
env_run(Env *e, const char *id)
{
        const Check *c = catalog_find(&e->cat, id);
        size_t before = e->res.n;

        assert_non_null(c);
        assert_int_equal(check_evaluate(c, &e->cat, e->facts, &e->res), 0);
        return e->res.n - before;
}

/* value NULL: absent. */
static void
set(Env *e, const char *key, const char *value)
{
        if (value)
                assert_int_equal(fact_store_set_string(e->facts, key, value), 0);
        else
                assert_int_equal(fact_store_set_absent(e->facts, key), 0);
}

static void
set_err(Env *e, const char *key, int err, const char *msg)
{
        assert_int_equal(fact_store_set_error(e->facts, key, err, "%s", msg), 0);
}

static void
set_list(Env *e, const char *key, const char *const *items)
{
        Fact f = {.kind = FACT_LIST, .list = calloc(1, sizeof(char *))};

        assert_non_null(f.list);
        for (; *items; items++)
                assert_int_equal(strv_extend(&f.list, *items), 0);
        assert_int_equal(fact_store_put(e->facts, key, &f), 0);
}

/* @acl: NULL-terminated, or NULL for none. */
static void
set_stat(Env *e, const char *key, mode_t mode, unsigned uid, unsigned gid, unsigned major, unsigned minor,
         const char *const *acl)
{
        Fact f = {.kind = FACT_STAT, .stat = {.mode = mode, .uid = uid, .gid = gid, .major = major, .minor = minor}};

        for (; acl && *acl; acl++)
                assert_int_equal(strv_extend(&f.stat.acl, *acl), 0);
        assert_int_equal(fact_store_put(e->facts, key, &f), 0);
}

static void
complete(Env *e, const char *ns)
{
        assert_int_equal(fact_store_mark_complete(e->facts, ns), 0);
}

static const Result *
result(const Env *e, size_t i)
{
        assert_true(i < e->res.n);
        return &e->res.v[i];
}

/* Finds the result with @subject. */
static const Result *
result_for(const Env *e, const char *subject)
{
        for (size_t i = 0; i < e->res.n; i++)
                if (streq(e->res.v[i].subject, subject))
                        return &e->res.v[i];
        print_error("no result for %s\n", subject);
        fail();
        return NULL;
}

static void
assert_result(const Result *r, Status status, const char *subject, const char *observed_part)
{
        if (r->status != status || !streq(r->subject, subject) ||
            (observed_part && !strstr(r->observed, observed_part)))
                print_error("got %s %s \"%s\", want %s %s \"%s\"\n", status_to_string(r->status), r->subject,
                            r->observed, status_to_string(status), subject, strna(observed_part));
        assert_int_equal(r->status, status);
        assert_string_equal(r->subject, subject);
        if (observed_part)
                assert_non_null(strstr(r->observed, observed_part));
}

/* Builds one check "kernel.t" with primary fact sysctl:v = @value and
 * condition @cond, evaluates it and returns its only result's status. */
static Status
status_for(const char *value, const char *cond)
{
        _cleanup_free_ char *text = xasprintf(HEAD("kernel.t", "kernel") "fact = sysctl:v\nexpect = %s\n", cond);
        Env e;
        Status s;

        env_init(&e);
        set(&e, "sysctl:v", value);
        env_load(&e, text);
        assert_int_equal(env_run(&e, "kernel.t"), 1);
        s = result(&e, 0)->status;
        env_done(&e);
        return s;
}

static void
test_operators(void **state)
{
        static const struct {
                const char *value; /* NULL: absent */
                const char *cond;
                Status want;
        } cases[] = {
                {"x", "present", STATUS_PASS},
                {NULL, "present", STATUS_FAIL},
                {NULL, "absent", STATUS_PASS},
                {"x", "absent", STATUS_FAIL},
                {"", "absent", STATUS_FAIL}, /* an empty value is still a value */
                {"y", "eq y", STATUS_PASS},
                {"n", "eq y", STATUS_FAIL},
                {"y ", "eq y", STATUS_FAIL},
                {NULL, "eq y", STATUS_FAIL},
                {"Not affected", "eq \"Not affected\"", STATUS_PASS},
                {"n", "ne y", STATUS_PASS},
                {"y", "ne y", STATUS_FAIL},
                {NULL, "ne y", STATUS_PASS},
                {"b", "in a b c", STATUS_PASS},
                {"d", "in a b c", STATUS_FAIL},
                {NULL, "in a b c", STATUS_FAIL},
                {"c", "not-in a b", STATUS_PASS},
                {"a", "not-in a b", STATUS_FAIL},
                {NULL, "not-in a b", STATUS_PASS},
                {"2", "ge 2", STATUS_PASS},
                {"0x10", "ge 2", STATUS_PASS},
                {"1", "ge 2", STATUS_FAIL},
                {"-5", "ge -4", STATUS_FAIL},
                {"16", "ge 0x10", STATUS_PASS},
                {"15", "ge 0x10", STATUS_FAIL},
                {NULL, "ge 0", STATUS_FAIL},
                {"2", "le 2", STATUS_PASS},
                {"3", "le 2", STATUS_FAIL},
                {"-1", "le 0", STATUS_PASS},
                {NULL, "le 5", STATUS_FAIL},
                {"afoob", "contains foo", STATUS_PASS},
                {"bar", "contains foo", STATUS_FAIL},
                {NULL, "contains foo", STATUS_FAIL},
                {"bar", "not-contains foo", STATUS_PASS},
                {"xfoo", "not-contains foo", STATUS_FAIL},
                {NULL, "not-contains foo", STATUS_PASS},
                {"a,b c", "word b", STATUS_PASS},
                {"a, c\tb", "word b", STATUS_PASS},
                {"a b", "word x b", STATUS_PASS},
                {"abc bc", "word b", STATUS_FAIL},
                {NULL, "word b", STATUS_FAIL},
                {"abc", "no-word b", STATUS_PASS},
                {"a,b", "no-word b", STATUS_FAIL},
                {"a b", "no-word x b", STATUS_FAIL},
                {NULL, "no-word b", STATUS_PASS},
                {"Mitigation: PTE Inversion; VMX: conditional cache flushes, SMT vulnerable", "mitigated", STATUS_FAIL},
                {"Not affected", "mitigated", STATUS_PASS},
                {"Vulnerable: Clear CPU buffers attempted, no microcode; SMT vulnerable", "mitigated", STATUS_FAIL},
                {"Mitigation: Clear CPU buffers; SMT Host state unknown", "mitigated", STATUS_PASS},
                {"Mitigation: PTI", "mitigated", STATUS_PASS},
                {"Vulnerable", "mitigated", STATUS_FAIL},
                {"KVM: Mitigation: VMX disabled", "mitigated", STATUS_FAIL},
                {"Unknown: Dependent on hypervisor status", "mitigated", STATUS_FAIL},
                {NULL, "mitigated", STATUS_FAIL},
                {"0", "eq 1 or eq 0", STATUS_PASS},
                {"2", "eq 1 or eq 0", STATUS_FAIL},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Status s = status_for(cases[i].value, cases[i].cond);

                if (s != cases[i].want)
                        print_error("case %zu: \"%s\" %s: got %s\n", i, strna(cases[i].value), cases[i].cond,
                                    status_to_string(s));
                assert_int_equal(s, cases[i].want);
        }
}

static Status
stat_status(mode_t mode, unsigned uid, unsigned gid, const char *const *acl, const char *cond)
{
        _cleanup_free_ char *text = xasprintf(HEAD("devices.t", "devices") "fact = stat:/dev/x\nexpect = %s\n", cond);
        Env e;
        Status s;

        env_init(&e);
        if (mode == 0)
                set(&e, "stat:/dev/x", NULL);
        else
                set_stat(&e, "stat:/dev/x", mode, uid, gid, 10, 232, acl);
        env_load(&e, text);
        assert_int_equal(env_run(&e, "devices.t"), 1);
        s = result(&e, 0)->status;
        env_done(&e);
        return s;
}

static void
test_stat_operators(void **state)
{
        static const char *const named[] = {"user:1000:rw-", "mask::rw-", NULL};
        static const char *const group[] = {"group:36:r--", "mask::r--", NULL};
        static const char *const mask_only[] = {"mask::rw-", NULL};

        (void) state;
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "mode-max 0660"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0600, 0, 36, NULL, "mode-max 0660"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0666, 0, 36, NULL, "mode-max 0660"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFCHR | 0670, 0, 36, NULL, "mode-max 0660"), STATUS_FAIL);
        /* special bits count: setuid is outside 0755 */
        assert_int_equal(stat_status(S_IFREG | 04755, 0, 0, NULL, "mode-max 0755"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFREG | 04755, 0, 0, NULL, "mode-max 4755"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFDIR | 01777, 0, 0, NULL, "mode-max 0777"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "uid 0"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0660, 1000, 36, NULL, "uid 0"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "gid 36"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "gid 0x24"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 100, NULL, "gid 36"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "type chr"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "type blk"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFLNK | 0777, 0, 0, NULL, "type lnk"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "no-acl"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, mask_only, "no-acl"), STATUS_PASS);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, named, "no-acl"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, group, "no-acl"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 36, NULL, "present"), STATUS_PASS);
        /* absent: stat operators are false, present false, absent true */
        assert_int_equal(stat_status(0, 0, 0, NULL, "mode-max 0777"), STATUS_FAIL);
        assert_int_equal(stat_status(0, 0, 0, NULL, "no-acl"), STATUS_FAIL);
        assert_int_equal(stat_status(0, 0, 0, NULL, "uid 0"), STATUS_FAIL);
        assert_int_equal(stat_status(0, 0, 0, NULL, "absent"), STATUS_PASS);
        assert_int_equal(stat_status(0, 0, 0, NULL, "absent or mode-max 0660"), STATUS_PASS);
}

/* Regression test for a fixed bug (src/checks/check-def.c, tokenize() and parse_cond()):
 * docs/check-format.md says 'The word "or" inside a value must be quoted',
 * but tokenize() drops the quotes and parse_cond() then takes the quoted
 * word for the keyword, so `expect = eq "or"` fails to load with
 * 'operator "eq" takes one argument, got 0'. */
static void
test_quoted_or_is_a_value(void **state)
{
        Catalog c = {};
        char *err = NULL;
        int r;

        (void) state;
        r = catalog_load_text(&c, HEAD("kernel.t", "kernel") "fact = sysctl:v\nexpect = eq \"or\"\n", "t.check",
                              probe_namespaces, probe_namespaces_count, &err);
        catalog_done(&c);
        if (r < 0) {
                print_message("regression: %s\n", strna(err));
                free(err); /* skip() longjmps past any _cleanup_ */
                fail();
        }
        assert_int_equal(status_for("or", "eq \"or\""), STATUS_PASS);
        assert_int_equal(status_for("x", "in a \"or\" b"), STATUS_FAIL);
}

/* Regression test for a fixed bug (src/checks/check-eval.c, term_eval()): the loader validates
 * uid/gid arguments with parse_int64() (decimal, "010" is 10) but the
 * evaluator reads them with strtoll(..., 0) (octal, "010" is 8), so
 * `gid 010` on a file with gid 10 fails and on gid 8 passes. */
static void
test_uid_gid_leading_zero(void **state)
{
        Status s;

        (void) state;
        s = stat_status(S_IFCHR | 0660, 0, 10, NULL, "gid 010");
        if (s != STATUS_PASS) {
                print_message("regression: \"gid 010\" on gid 10 gives %s\n", status_to_string(s));
                fail();
        }
        assert_int_equal(stat_status(S_IFCHR | 0660, 0, 8, NULL, "gid 010"), STATUS_FAIL);
        assert_int_equal(stat_status(S_IFCHR | 0660, 10, 0, NULL, "uid 010"), STATUS_PASS);
}

static void
test_observed_and_expected(void **state)
{
        Env e;
        const Result *r;

        (void) state;
        env_init(&e);
        set(&e, "kconfig:CONFIG_A", "y");
        set(&e, "cmdline:nokaslr", NULL);
        env_load(&e, HEAD("kernel.t", "kernel")
                     "fact = kconfig:CONFIG_A\n"
                     "expect = eq y\n"
                     "expect = cmdline:nokaslr absent\n");
        assert_int_equal(env_run(&e, "kernel.t"), 1);
        r = result(&e, 0);
        assert_result(r, STATUS_PASS, "host", NULL);
        assert_string_equal(r->observed, "kconfig:CONFIG_A = y; cmdline:nokaslr (absent)");
        assert_string_equal(r->expected, "eq y; and cmdline:nokaslr absent");
        assert_ptr_equal(r->check, catalog_find(&e.cat, "kernel.t"));
        env_done(&e);
}

static void
test_or_and_match(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "sysctl:a", "0");
        set(&e, "sysctl:b", "2");
        set(&e, "sysctl:c", "0");
        env_load(&e, HEAD("kernel.or", "kernel") "expect = sysctl:a eq 1 or sysctl:b eq 2\n"
                     HEAD("kernel.orf", "kernel") "expect = sysctl:a eq 1 or sysctl:c eq 2\n"
                     HEAD("kernel.all", "kernel") "expect = sysctl:b eq 2\nexpect = sysctl:a eq 1\n"
                     HEAD("kernel.any", "kernel") "match = any\nexpect = sysctl:a eq 1\nexpect = sysctl:b eq 2\n"
                     HEAD("kernel.anyf", "kernel") "match = any\nexpect = sysctl:a eq 1\nexpect = sysctl:c eq 1\n");
        env_run(&e, "kernel.or");
        env_run(&e, "kernel.orf");
        env_run(&e, "kernel.all");
        env_run(&e, "kernel.any");
        env_run(&e, "kernel.anyf");
        assert_int_equal(e.res.n, 5);
        assert_int_equal(result(&e, 0)->status, STATUS_PASS);
        assert_int_equal(result(&e, 1)->status, STATUS_FAIL);
        assert_int_equal(result(&e, 2)->status, STATUS_FAIL);
        assert_int_equal(result(&e, 3)->status, STATUS_PASS);
        assert_int_equal(result(&e, 4)->status, STATUS_FAIL);
        assert_string_equal(result(&e, 3)->expected, "sysctl:a eq 1; or sysctl:b eq 2");
        env_done(&e);
}

static void
test_if_absent(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "sysctl:gone", NULL);
        set(&e, "sysctl:here", "5");
        env_load(&e, HEAD("kernel.p", "kernel") "fact = sysctl:gone\nif-absent = pass\nexpect = eq 1\n"
                     HEAD("kernel.f", "kernel") "fact = sysctl:gone\nif-absent = fail\nexpect = ne 1\n"
                     HEAD("kernel.s", "kernel") "fact = sysctl:gone\nif-absent = skip\nexpect = ne 1\n"
                     HEAD("kernel.h", "kernel") "fact = sysctl:here\nif-absent = pass\nexpect = eq 1\n");
        assert_int_equal(env_run(&e, "kernel.p"), 1);
        assert_int_equal(env_run(&e, "kernel.f"), 1);
        assert_int_equal(env_run(&e, "kernel.s"), 1);
        assert_int_equal(env_run(&e, "kernel.h"), 1);
        assert_result(result(&e, 0), STATUS_PASS, "host", "sysctl:gone (absent)");
        assert_result(result(&e, 1), STATUS_FAIL, "host", "sysctl:gone (absent)");
        assert_result(result(&e, 2), STATUS_SKIP, "host", "sysctl:gone (absent)");
        /* present: the expect lines decide */
        assert_result(result(&e, 3), STATUS_FAIL, "host", "sysctl:here = 5");
        env_done(&e);
}

static void
test_applies(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "cpu:vendor", "AuthenticAMD");
        set(&e, "sysctl:x", "1");
        set_err(&e, "sysctl:bad", -EACCES, "sysctl:bad: Permission denied");
        env_load(&e, HEAD("kernel.intel", "kernel") "applies = cpu:vendor eq GenuineIntel\nexpect = sysctl:x eq 0\n"
                     HEAD("kernel.amd", "kernel") "applies = cpu:vendor eq AuthenticAMD\nexpect = sysctl:x eq 0\n"
                     HEAD("kernel.unk", "kernel") "applies = sysctl:bad eq 1\nexpect = sysctl:x eq 1\n");
        assert_int_equal(env_run(&e, "kernel.intel"), 1);
        assert_int_equal(env_run(&e, "kernel.amd"), 1);
        assert_int_equal(env_run(&e, "kernel.unk"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", NULL);
        /* The reason in observed terms: what was read, then the condition. */
        assert_string_equal(result(&e, 0)->observed,
                            "not applicable: cpu:vendor = AuthenticAMD (applies when cpu:vendor eq GenuineIntel)");
        assert_result(result(&e, 1), STATUS_FAIL, "host", NULL);
        assert_result(result(&e, 2), STATUS_ERROR, "host", "Permission denied");
        env_done(&e);
}

static void
test_three_valued(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set_err(&e, "sysctl:e", -EACCES, "sysctl:e: Permission denied");
        set(&e, "sysctl:t", "1");
        set(&e, "sysctl:f", "0");
        env_load(&e,
                 /* unknown or true: true */
                 HEAD("kernel.a", "kernel") "expect = sysctl:e eq 1 or sysctl:t eq 1\n"
                 HEAD("kernel.b", "kernel") "expect = sysctl:t eq 1 or sysctl:e eq 1\n"
                 /* unknown and false: false, whichever comes first */
                 HEAD("kernel.c", "kernel") "expect = sysctl:e eq 1\nexpect = sysctl:f eq 1\n"
                 HEAD("kernel.d", "kernel") "expect = sysctl:f eq 1\nexpect = sysctl:e eq 1\n"
                 /* unknown and true: undecided */
                 HEAD("kernel.e", "kernel") "expect = sysctl:e eq 1\nexpect = sysctl:t eq 1\n"
                 /* unknown or false: undecided */
                 HEAD("kernel.f", "kernel") "expect = sysctl:e eq 1 or sysctl:f eq 1\n"
                 /* any: unknown or true line: true; unknown or false line: undecided */
                 HEAD("kernel.g", "kernel") "match = any\nexpect = sysctl:e eq 1\nexpect = sysctl:t eq 1\n"
                 HEAD("kernel.h", "kernel") "match = any\nexpect = sysctl:e eq 1\nexpect = sysctl:f eq 1\n"
                 /* absent / present do not rescue an unreadable fact */
                 HEAD("kernel.i", "kernel") "expect = sysctl:e absent\n");
        for (size_t i = 0; i < e.cat.n_checks; i++)
                assert_int_equal(check_evaluate(&e.cat.checks[i], &e.cat, e.facts, &e.res), 0);
        assert_int_equal(e.res.n, 9);
        assert_result(result(&e, 0), STATUS_PASS, "host", NULL);
        assert_result(result(&e, 1), STATUS_PASS, "host", NULL);
        assert_result(result(&e, 2), STATUS_FAIL, "host", NULL);
        assert_result(result(&e, 3), STATUS_FAIL, "host", NULL);
        assert_result(result(&e, 4), STATUS_ERROR, "host", "sysctl:e: Permission denied");
        assert_result(result(&e, 5), STATUS_ERROR, "host", "sysctl:e: Permission denied");
        assert_result(result(&e, 6), STATUS_PASS, "host", NULL);
        assert_result(result(&e, 7), STATUS_ERROR, "host", "sysctl:e: Permission denied");
        assert_result(result(&e, 8), STATUS_ERROR, "host", "sysctl:e: Permission denied");
        /* the fail observed value names the unreadable fact */
        assert_non_null(strstr(result(&e, 2)->observed, "sysctl:e unreadable"));
        env_done(&e);
}

static void
test_undecided_skip_errors(void **state)
{
        static const int skip_errors[] = {-ENOMEDIUM, -EOPNOTSUPP, -ENOPKG};
        static const int error_errors[] = {-EACCES, -EIO, -EBADMSG, -EFBIG};

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(skip_errors) + ELEMENTSOF(error_errors); i++) {
                bool skip = i < ELEMENTSOF(skip_errors);
                int err = skip ? skip_errors[i] : error_errors[i - ELEMENTSOF(skip_errors)];
                Env e;

                env_init(&e);
                set_err(&e, "sysctl:e", err, "why it failed");
                set(&e, "sysctl:t", "1");
                env_load(&e, HEAD("kernel.a", "kernel") "expect = sysctl:e eq 1\nexpect = sysctl:t eq 1\n");
                assert_int_equal(env_run(&e, "kernel.a"), 1);
                assert_result(result(&e, 0), skip ? STATUS_SKIP : STATUS_ERROR, "host", NULL);
                assert_string_equal(result(&e, 0)->observed, "why it failed");
                env_done(&e);
        }
}

/* Regression test for a fixed bug (src/checks/check-eval.c, check_evaluate()): one Unknown is
 * shared by every applies and expect line, and term_eval() records the
 * first unreadable fact even when its "or" was decided by another term.
 * So a line that passed despite an unreadable fact leaves that fact as
 * the reason of a later undecided line: below, the check is undecided
 * only because sysctl:m is not available offline (skip), yet it reports
 * sysctl:e's "Permission denied" as an error. */
static void
test_undecided_reason_is_the_deciding_fact(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set_err(&e, "sysctl:e", -EACCES, "sysctl:e: Permission denied");
        set_err(&e, "sysctl:m", -ENOMEDIUM, "sysctl:m: runtime state not available");
        set(&e, "sysctl:t", "1");
        env_load(&e, HEAD("kernel.a", "kernel") "expect = sysctl:e eq 1 or sysctl:t eq 1\nexpect = sysctl:m eq 1\n"
                     HEAD("kernel.b", "kernel") "applies = sysctl:e eq 1 or sysctl:t eq 1\nexpect = sysctl:m eq 1\n");
        env_run(&e, "kernel.a");
        env_run(&e, "kernel.b");
        if (result(&e, 0)->status != STATUS_SKIP || result(&e, 1)->status != STATUS_SKIP) {
                print_message("regression: got %s \"%s\" and %s \"%s\"\n", status_to_string(result(&e, 0)->status),
                              result(&e, 0)->observed, status_to_string(result(&e, 1)->status),
                              result(&e, 1)->observed);
                env_done(&e);
                fail();
        }
        assert_result(result(&e, 0), STATUS_SKIP, "host", "sysctl:m: runtime state not available");
        assert_result(result(&e, 1), STATUS_SKIP, "host", "sysctl:m: runtime state not available");
        env_done(&e);
}

static void
test_facts_file_semantics(void **state)
{
        Env e;

        (void) state;
        /* Without a host, a key missing from a namespace the file has is an
         * error (a cut file), absent once its namespace is marked complete,
         * and a skip when the file has no key of its namespace at all (an
         * older kvmaudit without that probe collected it). */
        env_init(&e);
        env_load(&e, HEAD("kernel.a", "kernel") "expect = sysctl:never ne 1\n"
                     HEAD("kernel.b", "kernel") "expect = kconfig:CONFIG_NEVER ne y\n"
                     HEAD("kernel.c", "kernel") "expect = kvmparam:kvm.never ne 1\n");
        set(&e, "sysctl:kernel.other", "1");
        complete(&e, "kconfig");
        env_run(&e, "kernel.a");
        env_run(&e, "kernel.b");
        env_run(&e, "kernel.c");
        assert_result(result(&e, 0), STATUS_ERROR, "host", "not in the facts file");
        assert_result(result(&e, 1), STATUS_PASS, "host", "kconfig:CONFIG_NEVER (absent)");
        assert_result(result(&e, 2), STATUS_SKIP, "host",
                      "kvmparam:kvm.never: not in this facts file: collected by an older kvmaudit");
        env_done(&e);
}

static void
test_non_integer(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "sysctl:kernel.x", "abc");
        set(&e, "sysctl:kernel.y", " 1");
        set_list(&e, "cpu:list", (const char *const[]) {"1", "2", NULL});
        set_stat(&e, "stat:/dev/kvm", S_IFCHR | 0660, 0, 0, 10, 232, NULL);
        env_load(&e, HEAD("kernel.a", "kernel") "expect = sysctl:kernel.x ge 1\n"
                     HEAD("kernel.b", "kernel") "expect = sysctl:kernel.y le 1\n"
                     HEAD("kernel.c", "kernel") "expect = cpu:list ge 1\n"
                     HEAD("kernel.d", "kernel") "expect = stat:/dev/kvm present\n"
                     "expect = stat:/dev/kvm mode-max 0600\n");
        env_run(&e, "kernel.a");
        env_run(&e, "kernel.b");
        env_run(&e, "kernel.c");
        env_run(&e, "kernel.d");
        assert_result(result(&e, 0), STATUS_ERROR, "host", "sysctl:kernel.x: value \"abc\" is not an integer");
        assert_result(result(&e, 1), STATUS_ERROR, "host", "value \" 1\" is not an integer");
        assert_result(result(&e, 2), STATUS_ERROR, "host", "value \"1,2\" is not an integer");
        assert_result(result(&e, 3), STATUS_FAIL, "host", "stat:/dev/kvm = chr 10:232 0660 0:0");
        env_done(&e);
}

static void
test_list_facts(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set_list(&e, "network:default", (const char *const[]) {"forward=nat", "ip=192.168.122.1/ipv4", NULL});
        env_load(&e, HEAD("kernel.a", "kernel") "expect = network:default word forward=nat\n"
                     HEAD("kernel.b", "kernel") "expect = network:default contains ip=192\n"
                     HEAD("kernel.c", "kernel") "expect = network:default no-word forward=route\n"
                     HEAD("kernel.d", "kernel") "expect = network:default word nat\n");
        for (size_t i = 0; i < e.cat.n_checks; i++)
                assert_int_equal(check_evaluate(&e.cat.checks[i], &e.cat, e.facts, &e.res), 0);
        assert_int_equal(result(&e, 0)->status, STATUS_PASS);
        assert_int_equal(result(&e, 1)->status, STATUS_PASS);
        assert_int_equal(result(&e, 2)->status, STATUS_PASS);
        assert_int_equal(result(&e, 3)->status, STATUS_FAIL); /* list items are whole words */
        env_done(&e);
}

static void
test_split(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "sysctl:a", "1");
        set(&e, "sysctl:b", "0");
        set_err(&e, "sysctl:c", -EACCES, "sysctl:c: Permission denied");
        set_err(&e, "sysctl:d", -ENOMEDIUM, "sysctl:d: runtime state not available");
        env_load(&e, HEAD("kernel.line", "kernel") "split = line\n"
                     "expect = sysctl:a eq 1\nexpect = sysctl:b eq 1\nexpect = sysctl:c eq 1\nexpect = sysctl:d eq 1\n"
                     HEAD("kernel.fail", "kernel") "split = failures\n"
                     "expect = sysctl:a eq 1\nexpect = sysctl:b eq 1\nexpect = sysctl:c eq 1\nexpect = sysctl:d eq 1\n"
                     HEAD("kernel.ok", "kernel") "split = failures\n"
                     "expect = sysctl:a eq 1\nexpect = sysctl:b eq 0 or sysctl:c eq 1\n"
                     HEAD("kernel.line1", "kernel") "split = line\nexpect = sysctl:b eq 0 or sysctl:a eq 0\n");

        assert_int_equal(env_run(&e, "kernel.line"), 4);
        assert_result(result(&e, 0), STATUS_PASS, "sysctl:a", "sysctl:a = 1");
        assert_string_equal(result(&e, 0)->expected, "sysctl:a eq 1");
        assert_result(result(&e, 1), STATUS_FAIL, "sysctl:b", "sysctl:b = 0");
        assert_string_equal(result(&e, 1)->expected, "sysctl:b eq 1");
        assert_result(result(&e, 2), STATUS_ERROR, "sysctl:c", "Permission denied");
        assert_result(result(&e, 3), STATUS_SKIP, "sysctl:d", "runtime state not available");
        results_done(&e.res);

        assert_int_equal(env_run(&e, "kernel.fail"), 3);
        assert_result(result(&e, 0), STATUS_FAIL, "sysctl:b", NULL);
        assert_result(result(&e, 1), STATUS_ERROR, "sysctl:c", NULL);
        assert_result(result(&e, 2), STATUS_SKIP, "sysctl:d", NULL);
        results_done(&e.res);

        /* no failing line: one pass for the host */
        assert_int_equal(env_run(&e, "kernel.ok"), 1);
        assert_result(result(&e, 0), STATUS_PASS, "host", "sysctl:a = 1; sysctl:b = 0; sysctl:c unreadable");
        results_done(&e.res);

        /* the subject is the line's first fact */
        assert_int_equal(env_run(&e, "kernel.line1"), 1);
        assert_result(result(&e, 0), STATUS_PASS, "sysctl:b", NULL);
        env_done(&e);
}

/* Evidence is kept as it was read (a '?' would hide what was there);
 * the renderers write control characters visibly (text-escape.h). */
static void
test_observed_kept(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "sysctl:x", "a\033[31mred\n");
        env_load(&e, HEAD("kernel.a", "kernel") "expect = sysctl:x eq 1\n");
        env_run(&e, "kernel.a");
        assert_string_equal(result(&e, 0)->observed, "sysctl:x = a\033[31mred\n");
        env_done(&e);
}

/* Evaluators. */

static void
test_eval_cpu_virt_extensions(void **state)
{
        static const struct {
                const char *vendor, *flags, *module;
                Status want;
                const char *observed;
        } cases[] = {
                {"GenuineIntel", "fpu vme vmx sse", "kvm_intel", STATUS_PASS, "GenuineIntel CPU advertises vmx"},
                {"AuthenticAMD", "fpu svm", "kvm_amd", STATUS_PASS, "advertises svm"},
                {"GenuineIntel", "fpu sse", "kvm_pvm", STATUS_PASS, "KVM is provided by kvm_pvm"},
                {"AuthenticAMD", "fpu sse", "kvm_amd,kvm_pvm", STATUS_PASS, "kvm_pvm"},
                {"GenuineIntel", "fpu vmxe sse", NULL, STATUS_FAIL, "without vmx"},
                {"AuthenticAMD", "fpu", NULL, STATUS_FAIL,
                 "AuthenticAMD CPU without svm in its flags; KVM module: (absent)"},
                {"HygonGenuine", "fpu", "kvm_amd", STATUS_FAIL, "without svm"},
                {NULL, "fpu", NULL, STATUS_SKIP, "not x86"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "cpu");
                complete(&e, "kvm");
                set(&e, "cpu:vendor", cases[i].vendor);
                set(&e, "cpu:flags", cases[i].flags);
                set(&e, "kvm:module", cases[i].module);
                env_load(&e, EVAL_CHECK("hw.x", "hw", "cpu-virt-extensions"));
                assert_int_equal(env_run(&e, "hw.x"), 1);
                assert_result(result(&e, 0), cases[i].want, "host", cases[i].observed);
                env_done(&e);
        }
}

static void
test_eval_kvm_built(void **state)
{
        static const struct {
                const char *kvm, *x86, *intel, *amd, *pvm, *vendor;
                Status want;
        } cases[] = {
                {"m", "y", "m", NULL, NULL, "GenuineIntel", STATUS_PASS},
                {"y", "y", NULL, "y", NULL, "AuthenticAMD", STATUS_PASS},
                {"m", "y", NULL, "m", NULL, "GenuineIntel", STATUS_FAIL}, /* wrong vendor */
                {"m", "y", "m", NULL, NULL, "AuthenticAMD", STATUS_FAIL},
                {"m", "y", NULL, "m", NULL, NULL, STATUS_PASS},          /* offline: either */
                {"m", "y", "n", "n", NULL, NULL, STATUS_FAIL},
                {"m", "y", NULL, NULL, "m", "GenuineIntel", STATUS_PASS}, /* PVM */
                {"m", "y", NULL, NULL, "y", NULL, STATUS_PASS},
                {"m", "y", NULL, NULL, "n", "GenuineIntel", STATUS_FAIL},
                {NULL, "y", "m", "m", NULL, "GenuineIntel", STATUS_FAIL},
                {"n", "y", "m", "m", NULL, "GenuineIntel", STATUS_FAIL},
                {"y", NULL, NULL, NULL, NULL, NULL, STATUS_PASS},         /* not x86 */
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "kconfig");
                complete(&e, "cpu");
                set(&e, "kconfig:CONFIG_KVM", cases[i].kvm);
                set(&e, "kconfig:CONFIG_X86", cases[i].x86);
                set(&e, "kconfig:CONFIG_KVM_INTEL", cases[i].intel);
                set(&e, "kconfig:CONFIG_KVM_AMD", cases[i].amd);
                set(&e, "kconfig:CONFIG_KVM_PVM", cases[i].pvm);
                set(&e, "cpu:vendor", cases[i].vendor);
                env_load(&e, EVAL_CHECK("kernel.x", "kernel", "kvm-built"));
                assert_int_equal(env_run(&e, "kernel.x"), 1);
                if (result(&e, 0)->status != cases[i].want)
                        print_error("case %zu: %s\n", i, result(&e, 0)->observed);
                assert_int_equal(result(&e, 0)->status, cases[i].want);
                if (cases[i].pvm && cases[i].x86)
                        assert_non_null(strstr(result(&e, 0)->observed, "CONFIG_KVM_PVM = "));
                env_done(&e);
        }
}

/* issue 14: KASLR judged by the run-time _text, not only the build. */
static void
test_eval_kaslr(void **state)
{
        static const struct {
                const char *rb, *nokaslr, *start, *text;
                Status want;
                const char *observed;
        } cases[] = {
                {"y", NULL, "0x1000000", "ffffffff81000000", STATUS_FAIL, "is the link-time address"},
                {"y", NULL, NULL, "ffffffff81000000", STATUS_FAIL, "is the link-time address"},
                {"y", NULL, "0x200000", "ffffffff81000000", STATUS_PASS, "not the link-time address"},
                {"y", NULL, "0x1000000", "ffffffff9a200000", STATUS_PASS, "_text = ffffffff9a200000"},
                {"y", "", "0x1000000", "ffffffff9a200000", STATUS_FAIL, "nokaslr"},
                {"n", NULL, "0x1000000", "ffffffff9a200000", STATUS_FAIL, "CONFIG_RANDOMIZE_BASE = n"},
                {"y", NULL, "0x1000000", NULL, STATUS_SKIP, "cannot be read"},
                {"y", NULL, "0x1000000", "fffffffz9a200000", STATUS_ERROR, "not an address"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "kconfig");
                complete(&e, "cmdline");
                complete(&e, "kernel");
                set(&e, "kconfig:CONFIG_RANDOMIZE_BASE", cases[i].rb);
                set(&e, "kconfig:CONFIG_PHYSICAL_START", cases[i].start);
                set(&e, "cmdline:nokaslr", cases[i].nokaslr);
                set(&e, "kernel:text", cases[i].text);
                env_load(&e, EVAL_CHECK("kernel.x", "kernel", "kaslr"));
                assert_int_equal(env_run(&e, "kernel.x"), 1);
                if (result(&e, 0)->status != cases[i].want || !strstr(result(&e, 0)->observed, cases[i].observed))
                        print_error("case %zu: %s\n", i, result(&e, 0)->observed);
                assert_int_equal(result(&e, 0)->status, cases[i].want);
                assert_non_null(strstr(result(&e, 0)->observed, cases[i].observed));
                env_done(&e);
        }
}

static void
test_eval_microcode_current(void **state)
{
        static const struct {
                const char *cur, *avail;
                Status want;
                const char *observed;
        } cases[] = {
                {"0xb4", "0xb4", STATUS_PASS, "loaded 0xb4, on disk 0xb4"},
                {"0xb6", "0xb4", STATUS_PASS, NULL},
                {"0xb0", "0xb4", STATUS_FAIL, "loaded 0xb0, on disk 0xb4"},
                {"0x2b000603,0x2b000571", "0x2b000603", STATUS_FAIL, "different microcode revisions"},
                {"0xb4", NULL, STATUS_SKIP, "no microcode file"},
                {NULL, "0xb4", STATUS_SKIP, "no microcode revision"},
                {"junk", "0xb4", STATUS_ERROR, "unparsable"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "cpu");
                complete(&e, "ucode");
                set(&e, "cpu:microcode", cases[i].cur);
                set(&e, "ucode:available", cases[i].avail);
                env_load(&e, EVAL_CHECK("cpu.x", "cpu", "microcode-current"));
                assert_int_equal(env_run(&e, "cpu.x"), 1);
                assert_result(result(&e, 0), cases[i].want, "host", cases[i].observed);
                env_done(&e);
        }
}

static void
test_eval_dev_world_writable(void **state)
{
        Env e;

        (void) state;
        /* pass: exempt nodes are not judged, others are within bounds */
        env_init(&e);
        complete(&e, "stat");
        set_list(&e, "dev:nodes", (const char *const[]) {"/dev/null", "/dev/kvm", "/dev/vfio/12", "/dev/sda",
                                                         "/dev/mem", "/dev/gone", NULL});
        set_stat(&e, "stat:/dev/null", S_IFCHR | 0666, 0, 0, 1, 3, NULL);
        set_stat(&e, "stat:/dev/kvm", S_IFCHR | 0666, 0, 36, 10, 232, NULL);
        set_stat(&e, "stat:/dev/vfio/12", S_IFCHR | 0666, 0, 0, 240, 0, NULL);
        set_stat(&e, "stat:/dev/sda", S_IFBLK | 0660, 0, 6, 8, 0, NULL);
        set_stat(&e, "stat:/dev/mem", S_IFCHR | 0644, 0, 15, 1, 1, NULL); /* world-readable char: allowed */
        env_load(&e, EVAL_CHECK("devices.x", "devices", "dev-world-writable"));
        assert_int_equal(env_run(&e, "devices.x"), 1);
        assert_result(result(&e, 0), STATUS_PASS, "/dev", "2 device nodes checked");
        env_done(&e);

        /* fail: one result per offending node */
        env_init(&e);
        set_list(&e, "dev:nodes", (const char *const[]) {"/dev/sda", "/dev/mem", "/dev/sdb", "/dev/ok", NULL});
        set_stat(&e, "stat:/dev/sda", S_IFBLK | 0664, 0, 6, 8, 0, NULL);
        set_stat(&e, "stat:/dev/mem", S_IFCHR | 0662, 0, 15, 1, 1, NULL);
        set_stat(&e, "stat:/dev/sdb", S_IFBLK | 0666, 0, 6, 8, 16, NULL);
        set_stat(&e, "stat:/dev/ok", S_IFCHR | 0600, 0, 0, 1, 2, NULL);
        env_load(&e, EVAL_CHECK("devices.x", "devices", "dev-world-writable"));
        assert_int_equal(env_run(&e, "devices.x"), 3);
        assert_result(result_for(&e, "/dev/sda"), STATUS_FAIL, "/dev/sda",
                      "blk 8:0 mode 0664 owner 0:6 is world-readable");
        assert_result(result_for(&e, "/dev/mem"), STATUS_FAIL, "/dev/mem", "is world-writable");
        assert_result(result_for(&e, "/dev/sdb"), STATUS_FAIL, "/dev/sdb", "world-readable and -writable");
        env_done(&e);

        /* no /dev at all */
        env_init(&e);
        complete(&e, "dev");
        env_load(&e, EVAL_CHECK("devices.x", "devices", "dev-world-writable"));
        assert_int_equal(env_run(&e, "devices.x"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "/dev", NULL);
        env_done(&e);
}

static void
test_eval_vfio_nodes(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        complete(&e, "qemu.conf");
        complete(&e, "user");
        set(&e, "qemu.conf:user", "+107");
        set_list(&e, "dev:nodes", (const char *const[]) {"/dev/null", "/dev/vfio/vfio", "/dev/vfio/12",
                                                         "/dev/vfio/devices/vfio0", "/dev/vfio/13", NULL});
        set_stat(&e, "stat:/dev/vfio/12", S_IFCHR | 0600, 107, 107, 240, 0, NULL);
        set_stat(&e, "stat:/dev/vfio/devices/vfio0", S_IFCHR | 0666, 0, 0, 239, 0, NULL);
        set_stat(&e, "stat:/dev/vfio/13", S_IFCHR | 0600, 1000, 0, 240, 1, NULL);
        env_load(&e, EVAL_CHECK("devices.x", "devices", "vfio-nodes"));
        assert_int_equal(env_run(&e, "devices.x"), 3);
        assert_result(result_for(&e, "/dev/vfio/12"), STATUS_PASS, "/dev/vfio/12", "chr 0600 owner 107:107");
        assert_result(result_for(&e, "/dev/vfio/devices/vfio0"), STATUS_FAIL, "/dev/vfio/devices/vfio0", "0666");
        assert_result(result_for(&e, "/dev/vfio/13"), STATUS_FAIL, "/dev/vfio/13", "owner 1000:0");
        env_done(&e);

        /* the QEMU user by name, through the audited root's users */
        env_init(&e);
        complete(&e, "qemu.conf");
        set(&e, "user:libvirt-qemu", "64055");
        complete(&e, "user");
        set_list(&e, "dev:nodes", (const char *const[]) {"/dev/vfio/12", NULL});
        set_stat(&e, "stat:/dev/vfio/12", S_IFCHR | 0660, 64055, 64055, 240, 0, NULL);
        env_load(&e, EVAL_CHECK("devices.x", "devices", "vfio-nodes"));
        assert_int_equal(env_run(&e, "devices.x"), 1);
        assert_result(result(&e, 0), STATUS_PASS, "/dev/vfio/12", NULL);
        env_done(&e);

        /* no VFIO nodes */
        env_init(&e);
        complete(&e, "qemu.conf");
        complete(&e, "user");
        set_list(&e, "dev:nodes", (const char *const[]) {"/dev/null", "/dev/vfio/vfio", NULL});
        env_load(&e, EVAL_CHECK("devices.x", "devices", "vfio-nodes"));
        assert_int_equal(env_run(&e, "devices.x"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", NULL);
        env_done(&e);
}

static void
test_eval_kvm_node_owner(void **state)
{
        static const struct {
                unsigned uid, gid;
                const char *group_kvm, *qgroup, *group_q;
                Status want;
        } cases[] = {
                {0, 36, "36", NULL, NULL, STATUS_PASS},
                {0, 100, "36", NULL, NULL, STATUS_FAIL},
                {1000, 36, "36", NULL, NULL, STATUS_FAIL},
                {0, 107, "36", "qemu", "107", STATUS_PASS},
                {0, 107, "36", "+107", NULL, STATUS_PASS},
                {0, 107, NULL, "qemu", NULL, STATUS_FAIL}, /* group qemu not in /etc/group */
                {0, 0, NULL, NULL, NULL, STATUS_FAIL},     /* no kvm group: root:root is not it */
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "group");
                complete(&e, "qemu.conf");
                set_stat(&e, "stat:/dev/kvm", S_IFCHR | 0660, cases[i].uid, cases[i].gid, 10, 232, NULL);
                set(&e, "group:kvm", cases[i].group_kvm);
                set(&e, "qemu.conf:group", cases[i].qgroup);
                if (cases[i].group_q)
                        set(&e, "group:qemu", cases[i].group_q);
                env_load(&e, EVAL_CHECK("devices.x", "devices", "kvm-node-owner"));
                assert_int_equal(env_run(&e, "devices.x"), 1);
                if (result(&e, 0)->status != cases[i].want)
                        print_error("case %zu: %s\n", i, result(&e, 0)->observed);
                assert_result(result(&e, 0), cases[i].want, "/dev/kvm", "owner ");
                env_done(&e);
        }

        Env e;
        env_init(&e);
        complete(&e, "group");
        complete(&e, "qemu.conf");
        set(&e, "stat:/dev/kvm", NULL);
        env_load(&e, EVAL_CHECK("devices.x", "devices", "kvm-node-owner"));
        assert_int_equal(env_run(&e, "devices.x"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "/dev/kvm", "does not exist");
        env_done(&e);
}

static void
test_eval_ip_forward(void **state)
{
        Env e;

        (void) state;
        /* forwarding off */
        env_init(&e);
        complete(&e, "network");
        set(&e, "sysctl:net.ipv4.ip_forward", "0");
        set(&e, "sysctl:net.ipv6.conf.all.forwarding", "0");
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ip-forward"));
        assert_int_equal(env_run(&e, "kernel.x"), 2);
        assert_result(result(&e, 0), STATUS_PASS, "sysctl:net.ipv4.ip_forward", "= 0");
        assert_result(result(&e, 1), STATUS_PASS, "sysctl:net.ipv6.conf.all.forwarding", "= 0");
        env_done(&e);

        /* on, needed by a NAT network for IPv4 only; IPv6 missing */
        env_init(&e);
        complete(&e, "network");
        set(&e, "sysctl:net.ipv4.ip_forward", "1");
        set(&e, "sysctl:net.ipv6.conf.all.forwarding", NULL);
        set_list(&e, "network:isolated", (const char *const[]) {"autostart=no", "forward=isolated",
                                                               "ip=10.0.0.1/ipv4", NULL});
        set_list(&e, "network:default", (const char *const[]) {"autostart=yes", "forward=nat",
                                                              "ip=192.168.122.1/ipv4", NULL});
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ip-forward"));
        assert_int_equal(env_run(&e, "kernel.x"), 2);
        assert_result(result(&e, 0), STATUS_PASS, "sysctl:net.ipv4.ip_forward", "libvirt network \"default\"");
        assert_result(result(&e, 1), STATUS_SKIP, "sysctl:net.ipv6.conf.all.forwarding", "absent");
        env_done(&e);

        /* on, and no network routes that family */
        env_init(&e);
        complete(&e, "network");
        set(&e, "sysctl:net.ipv4.ip_forward", "1");
        set(&e, "sysctl:net.ipv6.conf.all.forwarding", "1");
        set_list(&e, "network:default", (const char *const[]) {"forward=nat", "ip=192.168.122.1/ipv4", NULL});
        set_list(&e, "network:v6iso", (const char *const[]) {"forward=isolated", "ip=fd00::1/ipv6", NULL});
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ip-forward"));
        assert_int_equal(env_run(&e, "kernel.x"), 2);
        assert_result(result(&e, 0), STATUS_PASS, "sysctl:net.ipv4.ip_forward", NULL);
        assert_result(result(&e, 1), STATUS_FAIL, "sysctl:net.ipv6.conf.all.forwarding",
                      "no libvirt network routes ipv6");
        env_done(&e);

        /* networks unreadable */
        env_init(&e);
        set(&e, "sysctl:net.ipv4.ip_forward", "1");
        set_err(&e, "sysctl:net.ipv6.conf.all.forwarding", -EACCES, "denied");
        assert_int_equal(fact_store_fail_namespace(e.facts, "network", -EACCES, "networks: denied"), 0);
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ip-forward"));
        assert_int_equal(env_run(&e, "kernel.x"), 2);
        assert_result(result(&e, 0), STATUS_ERROR, "sysctl:net.ipv4.ip_forward", "libvirt networks unreadable");
        assert_result(result(&e, 1), STATUS_ERROR, "sysctl:net.ipv6.conf.all.forwarding", "denied");
        env_done(&e);
}

static void
test_eval_ksm_off(void **state)
{
        static const char xml_share[] = "<domain type='kvm'><name>a</name><memory>1024</memory></domain>";
        static const char xml_noshare[] = "<domain type='kvm'><name>b</name><memory>1024</memory>"
                                          "<memoryBacking><nosharepages/></memoryBacking></domain>";
        static const struct {
                const char *run;
                Status status;
                const char *observed;
        } simple[] = {
                {NULL, STATUS_PASS, "absent"},
                {"0", STATUS_PASS, "= 0"},
                {"2", STATUS_PASS, "unmerged"},
                {"3", STATUS_FAIL, "not 0 or 2"},
        };
        Env e;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(simple); i++) {
                env_init(&e);
                set(&e, "sysfs:kernel/mm/ksm/run", simple[i].run);
                env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ksm-off"));
                assert_int_equal(env_run(&e, "kernel.x"), 1);
                assert_result(result(&e, 0), simple[i].status, "host", simple[i].observed);
                env_done(&e);
        }

        /* running, one domain without nosharepages */
        env_init(&e);
        set(&e, "sysfs:kernel/mm/ksm/run", "1");
        set_list(&e, "libvirt:domains", (const char *const[]) {"a", "b", NULL});
        set(&e, "domain:a", xml_share);
        set(&e, "domain:b", xml_noshare);
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ksm-off"));
        assert_int_equal(env_run(&e, "kernel.x"), 1);
        assert_result(result(&e, 0), STATUS_FAIL, "host", "1 of 2 domains lack <memoryBacking><nosharepages/>: a");
        env_done(&e);

        /* running, every domain opts out */
        env_init(&e);
        set(&e, "sysfs:kernel/mm/ksm/run", "1");
        set_list(&e, "libvirt:domains", (const char *const[]) {"b", NULL});
        set(&e, "domain:b", xml_noshare);
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ksm-off"));
        assert_int_equal(env_run(&e, "kernel.x"), 1);
        assert_result(result(&e, 0), STATUS_PASS, "host", "all 1 domains have");
        env_done(&e);

        /* running, a definition that does not parse: not a pass */
        env_init(&e);
        set(&e, "sysfs:kernel/mm/ksm/run", "1");
        set_list(&e, "libvirt:domains", (const char *const[]) {"b", "c", NULL});
        set(&e, "domain:b", xml_noshare);
        set(&e, "domain:c", "<domain");
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ksm-off"));
        assert_int_equal(env_run(&e, "kernel.x"), 1);
        assert_result(result(&e, 0), STATUS_ERROR, "host", "not judged: c");
        env_done(&e);

        /* running, domains unreadable: skip or error with the reason */
        env_init(&e);
        set(&e, "sysfs:kernel/mm/ksm/run", "1");
        set_err(&e, "libvirt:domains", -ENOPKG, "libvirt: not reachable");
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ksm-off"));
        assert_int_equal(env_run(&e, "kernel.x"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", "libvirt: not reachable");
        env_done(&e);

        env_init(&e);
        set(&e, "sysfs:kernel/mm/ksm/run", "1");
        set_err(&e, "libvirt:domains", -EACCES, "/etc/libvirt/qemu: denied");
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ksm-off"));
        assert_int_equal(env_run(&e, "kernel.x"), 1);
        assert_result(result(&e, 0), STATUS_ERROR, "host", "denied");
        env_done(&e);

        /* the run file unreadable */
        env_init(&e);
        set_err(&e, "sysfs:kernel/mm/ksm/run", -ENOMEDIUM, "/sys: runtime state not available");
        env_load(&e, EVAL_CHECK("kernel.x", "kernel", "ksm-off"));
        assert_int_equal(env_run(&e, "kernel.x"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", "runtime state not available");
        env_done(&e);
}

static void
test_eval_cpu_vulnerabilities_other(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        complete(&e, "cpuvuln");
        set(&e, "cpuvuln:l1tf", "Vulnerable"); /* judged by cpu.l1tf, not here */
        set(&e, "cpuvuln:meltdown", "Not affected");
        set(&e, "cpuvuln:spectre_v1", "Vulnerable: __user pointer sanitization and usercopy barriers only");
        set(&e, "cpuvuln:srbds", "Unknown: Dependent on hypervisor status");
        set(&e, "cpuvuln:indirect_target_selection", "Vulnerable, KVM: Not affected");
        set(&e, "cpuvuln:mds", "Mitigation: Clear CPU buffers; SMT vulnerable"); /* named elsewhere too */
        set(&e, "cpuvuln:gone", NULL);
        env_load(&e, HEAD("cpu.l1tf", "cpu") "fact = cpuvuln:l1tf\nexpect = mitigated\n"
                     HEAD("cpu.mds", "cpu") "expect = sysctl:x eq 1 or cpuvuln:mds mitigated\n"
                     EVAL_CHECK("cpu.other", "cpu", "cpu-vulnerabilities-other") "fact = cpuvuln:*\n");
        assert_int_equal(env_run(&e, "cpu.other"), 4);
        assert_result(result_for(&e, "cpuvuln:meltdown"), STATUS_PASS, "cpuvuln:meltdown", "Not affected");
        assert_result(result_for(&e, "cpuvuln:spectre_v1"), STATUS_FAIL, "cpuvuln:spectre_v1", "Vulnerable: __user");
        assert_result(result_for(&e, "cpuvuln:srbds"), STATUS_SKIP, "cpuvuln:srbds", "Unknown");
        assert_result(result_for(&e, "cpuvuln:indirect_target_selection"), STATUS_FAIL,
                      "cpuvuln:indirect_target_selection", NULL);
        for (size_t i = 0; i < e.res.n; i++) {
                assert_string_not_equal(e.res.v[i].subject, "cpuvuln:l1tf");
                assert_string_not_equal(e.res.v[i].subject, "cpuvuln:mds");
                assert_string_not_equal(e.res.v[i].subject, "cpuvuln:gone");
        }
        env_done(&e);

        /* no entries at all */
        env_init(&e);
        complete(&e, "cpuvuln");
        env_load(&e, EVAL_CHECK("cpu.other", "cpu", "cpu-vulnerabilities-other"));
        assert_int_equal(env_run(&e, "cpu.other"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", "no CPU vulnerability entries");
        env_done(&e);

        /* the directory could not be read */
        env_init(&e);
        assert_int_equal(fact_store_fail_namespace(e.facts, "cpuvuln", -EACCES, "vulnerabilities: denied"), 0);
        env_load(&e, EVAL_CHECK("cpu.other", "cpu", "cpu-vulnerabilities-other"));
        assert_int_equal(env_run(&e, "cpu.other"), 1);
        assert_result(result(&e, 0), STATUS_ERROR, "host", "vulnerabilities: denied");
        env_done(&e);
}

/* Regression test for a fixed bug (src/checks/check-evaluators.c, eval_cpu_vulnerabilities_other):
 * when fact_store_list() fails but cpuvuln:l1tf was stored before the
 * namespace failed, r is overwritten by eval_fact_unusable() (0) before
 * strerror(-r), so the result reads "...unreadable: Success". */
static void
test_eval_cpu_vulnerabilities_other_list_error(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "cpuvuln:l1tf", "Not affected");
        assert_int_equal(fact_store_fail_namespace(e.facts, "cpuvuln", -EIO, "vulnerabilities: I/O error"), 0);
        env_load(&e, EVAL_CHECK("cpu.other", "cpu", "cpu-vulnerabilities-other"));
        assert_int_equal(env_run(&e, "cpu.other"), 1);
        assert_int_equal(result(&e, 0)->status, STATUS_ERROR);
        if (strstr(result(&e, 0)->observed, "Success")) {
                print_message("regression: observed \"%s\"\n", result(&e, 0)->observed);
                env_done(&e);
                fail();
        }
        assert_non_null(strstr(result(&e, 0)->observed, "Input/output error"));
        env_done(&e);
}

static void
test_eval_memory_encryption(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        complete(&e, "cpu");
        set(&e, "cpu:flags", "fpu sev sev_es sev_snp");
        set(&e, "kvmparam:kvm_amd.sev", "Y");
        set(&e, "kvmparam:kvm_amd.sev_es", "1");
        set(&e, "kvmparam:kvm_amd.sev_snp", "N");
        env_load(&e, EVAL_CHECK("hw.x", "hw", "memory-encryption"));
        assert_int_equal(env_run(&e, "hw.x"), 3);
        assert_result(result(&e, 0), STATUS_PASS, "kvmparam:kvm_amd.sev", "AMD SEV advertised (flag sev)");
        assert_result(result(&e, 1), STATUS_PASS, "kvmparam:kvm_amd.sev_es", NULL);
        assert_result(result(&e, 2), STATUS_FAIL, "kvmparam:kvm_amd.sev_snp", "= N");
        env_done(&e);

        env_init(&e);
        set(&e, "cpu:flags", "fpu tdx_host_platform");
        set(&e, "kvmparam:kvm_intel.tdx", NULL);
        env_load(&e, EVAL_CHECK("hw.x", "hw", "memory-encryption"));
        assert_int_equal(env_run(&e, "hw.x"), 1);
        assert_result(result(&e, 0), STATUS_FAIL, "kvmparam:kvm_intel.tdx", "(absent)");
        env_done(&e);

        env_init(&e);
        set(&e, "cpu:flags", "fpu vmx sev_esx");
        env_load(&e, EVAL_CHECK("hw.x", "hw", "memory-encryption"));
        assert_int_equal(env_run(&e, "hw.x"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", "advertises no memory encryption");
        env_done(&e);
}

static void
test_eval_iommu_built(void **state)
{
        static const struct {
                const char *sup, *intel, *amd, *irq, *vendor;
                Status want;
        } cases[] = {
                {"y", "y", NULL, "y", "GenuineIntel", STATUS_PASS},
                {"y", NULL, "y", "y", "AuthenticAMD", STATUS_PASS},
                {"y", "y", NULL, "y", NULL, STATUS_PASS},
                {"y", "y", NULL, NULL, "GenuineIntel", STATUS_FAIL},  /* no IRQ remapping */
                {"y", "y", NULL, "y", "AuthenticAMD", STATUS_FAIL},   /* wrong vendor driver */
                {"y", "m", NULL, "y", "GenuineIntel", STATUS_FAIL},   /* =y needed */
                {NULL, "y", "y", "y", "GenuineIntel", STATUS_FAIL},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "kconfig");
                complete(&e, "cpu");
                set(&e, "kconfig:CONFIG_IOMMU_SUPPORT", cases[i].sup);
                set(&e, "kconfig:CONFIG_INTEL_IOMMU", cases[i].intel);
                set(&e, "kconfig:CONFIG_AMD_IOMMU", cases[i].amd);
                set(&e, "kconfig:CONFIG_IRQ_REMAP", cases[i].irq);
                set(&e, "cpu:vendor", cases[i].vendor);
                env_load(&e, EVAL_CHECK("kernel.x", "kernel", "iommu-built"));
                assert_int_equal(env_run(&e, "kernel.x"), 1);
                assert_result(result(&e, 0), cases[i].want, "host", "CONFIG_IOMMU_SUPPORT = ");
                env_done(&e);
        }
}

static void
test_eval_iommu_default_translated(void **state)
{
        static const struct {
                const char *pt, *iommu, *kpt;
                Status want;
                const char *observed;
        } cases[] = {
                {"0", NULL, "y", STATUS_PASS, "iommu.passthrough=0"},
                {"off", "pt", "y", STATUS_PASS, NULL},
                {"1", NULL, NULL, STATUS_FAIL, "iommu.passthrough=1"},
                {NULL, "pt", NULL, STATUS_FAIL, "iommu=pt"},
                {NULL, NULL, "y", STATUS_FAIL, "CONFIG_IOMMU_DEFAULT_PASSTHROUGH = y"},
                {NULL, "force", NULL, STATUS_PASS, "cmdline iommu = force"},
                {NULL, NULL, "n", STATUS_PASS, NULL},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "kconfig");
                complete(&e, "cmdline");
                set(&e, "cmdline:iommu.passthrough", cases[i].pt);
                set(&e, "cmdline:iommu", cases[i].iommu);
                set(&e, "kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH", cases[i].kpt);
                env_load(&e, EVAL_CHECK("kernel.x", "kernel", "iommu-default-translated"));
                assert_int_equal(env_run(&e, "kernel.x"), 1);
                assert_result(result(&e, 0), cases[i].want, "host", cases[i].observed);
                env_done(&e);
        }
}

static void
test_eval_kvm_device_usable(void **state)
{
        static const struct {
                mode_t mode;            /* 0: absent */
                unsigned minor;
                const char *api, *module;
                int api_err;
                Status want;
                const char *observed;
        } cases[] = {
                {S_IFCHR | 0660, 232, "12", "kvm_intel", 0, STATUS_PASS, "KVM_GET_API_VERSION = 12, module kvm_intel"},
                {S_IFCHR | 0660, 232, "11", "kvm_intel", 0, STATUS_FAIL, "KVM_GET_API_VERSION = 11"},
                {0, 0, NULL, NULL, 0, STATUS_FAIL, "/dev/kvm does not exist"},
                {S_IFCHR | 0660, 233, "12", NULL, 0, STATUS_FAIL, "chr 10:233, not the KVM character device"},
                {S_IFREG | 0660, 232, "12", NULL, 0, STATUS_FAIL, "/dev/kvm is reg"},
                /* offline: no ioctl, the module decides */
                {S_IFCHR | 0660, 232, NULL, "kvm_amd", 0, STATUS_PASS, "vendor module kvm_amd"},
                {S_IFCHR | 0660, 232, NULL, NULL, 0, STATUS_FAIL, "no KVM vendor module"},
                {S_IFCHR | 0660, 232, NULL, "kvm_amd", -ENOMEDIUM, STATUS_SKIP, "no ioctl here"},
                {S_IFCHR | 0660, 232, NULL, "kvm_amd", -EACCES, STATUS_ERROR, "no ioctl here"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Env e;

                env_init(&e);
                complete(&e, "kvm");
                if (cases[i].mode)
                        set_stat(&e, "stat:/dev/kvm", cases[i].mode, 0, 36, 10, cases[i].minor, NULL);
                else
                        set(&e, "stat:/dev/kvm", NULL);
                if (cases[i].api_err)
                        set_err(&e, "kvm:api_version", cases[i].api_err, "no ioctl here");
                else
                        set(&e, "kvm:api_version", cases[i].api);
                set(&e, "kvm:module", cases[i].module);
                env_load(&e, EVAL_CHECK("hw.x", "hw", "kvm-device-usable"));
                assert_int_equal(env_run(&e, "hw.x"), 1);
                assert_result(result(&e, 0), cases[i].want, "/dev/kvm", cases[i].observed);
                env_done(&e);
        }
}

/* svirt.static-label-relabeled with relabel='no': a file labelled right but
 * not by the policy's file contexts (filecon:PATH, what restorecon would
 * set) loses its label at the next relabel. */
static void
test_eval_static_label_persistent(void **state)
{
        static const char xml[] =
                "<domain type='kvm'><name>web</name><uuid>6a1c2e4f-0b1d-4c52-9a57-5b7e0c1d2a09</uuid>"
                "<devices><disk type='file' device='disk'><source file='/srv/web.qcow2'/>"
                "<target dev='vda'/></disk></devices>"
                "<seclabel type='static' model='selinux' relabel='no'>"
                "<label>system_u:system_r:kvmaudit_web_t:s0:c1,c2</label></seclabel></domain>";
        static const char own[] = "system_u:object_r:kvmaudit_web_image_t:s0:c1,c2";
        static const struct {
                const char *filecon; /* NULL: absent (--root, no libselinux) */
                int err;
                Status status;
                const char *observed;
        } rows[] = {
                {NULL, 0, STATUS_PASS, "disk /srv/web.qcow2 (kvmaudit_web_image_t)"},
                {own, 0, STATUS_PASS, "disk /srv/web.qcow2 (kvmaudit_web_image_t)"},
                {"system_u:object_r:virt_image_t:s0", 0, STATUS_FAIL,
                 "the policy's file contexts give system_u:object_r:virt_image_t:s0: the next restorecon"},
                {"system_u:object_r:kvmaudit_web_image_t:s0:c3,c4", 0, STATUS_FAIL, "file contexts give"},
                {NULL, -EIO, STATUS_ERROR, "selabel_lookup() failed"},
        };
        Env e;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                env_init(&e);
                set(&e, "lsm:active", "lockdown,capability,selinux");
                set_list(&e, "libvirt:domains", (const char *const[]) {"web", NULL});
                set(&e, "domain:web", xml);
                set(&e, "label:/srv/web.qcow2", own);
                if (rows[i].err)
                        set_err(&e, "filecon:/srv/web.qcow2", rows[i].err, "selabel_lookup() failed");
                else
                        set(&e, "filecon:/srv/web.qcow2", rows[i].filecon);
                env_load(&e, EVAL_CHECK("svirt.x", "svirt", "static-label-relabeled"));
                assert_int_equal(env_run(&e, "svirt.x"), 1);
                assert_result(result(&e, 0), rows[i].status, "domain:web", rows[i].observed);
                env_done(&e);
        }
}

static void
test_evaluator_table_covered(void **state)
{
        /* Every host evaluator has a test above; a new one must get one too.
         * Domain and process evaluators are exercised through fixture hosts
         * (the golden and catalog suites require a pass and a fail each). */
        static const char *const tested[] = {
                "cpu-virt-extensions", "cpu-vulnerabilities-other", "dev-world-writable", "iommu-built",
                "iommu-default-translated", "ip-forward", "kaslr", "ksm-off", "kvm-built", "kvm-device-usable", "kvm-node-owner",
                "memory-encryption", "microcode-current", "vfio-nodes",
        };
        const Evaluator *t;
        size_t n;

        (void) state;
        t = evaluators_host;
        n = evaluators_host_count;
        assert_int_equal(n, ELEMENTSOF(tested));
        for (size_t i = 0; i < n; i++) {
                bool found = false;

                for (size_t j = 0; j < ELEMENTSOF(tested); j++)
                        if (streq(t[i].name, tested[j]))
                                found = true;
                if (!found)
                        print_error("evaluator %s has no unit test\n", t[i].name);
                assert_true(found);
                assert_ptr_equal(evaluator_find(t[i].name), &t[i]);
                if (i > 0) /* sorted, for bsearch */
                        assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
        }
        assert_null(evaluator_find("no-such"));
}

static void
test_evaluator_error_facts(void **state)
{
        Env e;

        (void) state;
        /* An evaluator's unreadable input is skip or error by its errno. */
        env_init(&e);
        set_err(&e, "cpu:vendor", -ENOMEDIUM, "cpuinfo: runtime state not available");
        set_err(&e, "kconfig:CONFIG_KVM", -EACCES, "config: denied");
        env_load(&e, EVAL_CHECK("hw.x", "hw", "cpu-virt-extensions") EVAL_CHECK("kernel.x", "kernel", "kvm-built"));
        env_run(&e, "hw.x");
        env_run(&e, "kernel.x");
        assert_result(result(&e, 0), STATUS_SKIP, "host", "runtime state not available");
        assert_result(result(&e, 1), STATUS_ERROR, "host", "config: denied");
        env_done(&e);
}

/* A setting assigned twice (meta:KEY@repeated, written by the libvirt
 * configuration probe) is named in the evidence of every check that read
 * it, data check or evaluator, whatever the verdict; other checks are left
 * alone. */
static void
test_repeated_setting_note(void **state)
{
        Env e;
        Fact rep = {.kind = FACT_LIST};

        (void) state;
        env_init(&e);
        env_load(&e, HEAD("qemu.dump-off", "qemu") "fact = qemu.conf:dump_guest_core\nexpect = ne 1\n"
                     HEAD("qemu.other", "qemu") "fact = qemu.conf:dynamic_ownership\nexpect = ne 0\n"
                     EVAL_CHECK("qemu.user-ok", "qemu", "qemu-user-not-root"));
        set(&e, "qemu.conf:dump_guest_core", "1");
        set(&e, "qemu.conf:dynamic_ownership", "1");
        set(&e, "qemu.conf:user", "root");
        set(&e, "qemu.conf:group", "kvm");
        assert_int_equal(strv_extend(&rep.list, "/etc/libvirt/qemu.conf:3"), 0);
        assert_int_equal(strv_extend(&rep.list, "/etc/libvirt/qemu.conf:9"), 0);
        assert_int_equal(fact_store_put(e.facts, "meta:qemu.conf:dump_guest_core@repeated", &rep), 0);
        rep = (Fact) {.kind = FACT_LIST};
        assert_int_equal(strv_extend(&rep.list, "/etc/libvirt/qemu.conf:1"), 0);
        assert_int_equal(strv_extend(&rep.list, "/etc/libvirt/qemu.conf:2"), 0);
        assert_int_equal(strv_extend(&rep.list, "/etc/libvirt/qemu.conf:5"), 0);
        assert_int_equal(fact_store_put(e.facts, "meta:qemu.conf:user@repeated", &rep), 0);

        assert_int_equal(env_run(&e, "qemu.dump-off"), 1);
        assert_int_equal(e.res.v[0].status, STATUS_FAIL);
        assert_non_null(strstr(e.res.v[0].observed,
                               "qemu.conf:dump_guest_core is set 2 times: at /etc/libvirt/qemu.conf:3 (used: the first "
                               "counts) and /etc/libvirt/qemu.conf:9 (ignored)"));
        assert_int_equal(env_run(&e, "qemu.other"), 1);
        assert_null(strstr(e.res.v[1].observed, "is set"));
        assert_int_equal(env_run(&e, "qemu.user-ok"), 1);
        assert_int_equal(e.res.v[2].status, STATUS_FAIL);
        assert_non_null(strstr(e.res.v[2].observed,
                               "qemu.conf:user is set 3 times: at /etc/libvirt/qemu.conf:1 (used: the first counts) "
                               "and /etc/libvirt/qemu.conf:2, /etc/libvirt/qemu.conf:5 (ignored)"));
        env_done(&e);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_repeated_setting_note),
                cmocka_unit_test(test_operators),
                cmocka_unit_test(test_stat_operators),
                cmocka_unit_test(test_quoted_or_is_a_value),
                cmocka_unit_test(test_uid_gid_leading_zero),
                cmocka_unit_test(test_observed_and_expected),
                cmocka_unit_test(test_or_and_match),
                cmocka_unit_test(test_if_absent),
                cmocka_unit_test(test_applies),
                cmocka_unit_test(test_eval_kaslr),
                cmocka_unit_test(test_three_valued),
                cmocka_unit_test(test_undecided_skip_errors),
                cmocka_unit_test(test_undecided_reason_is_the_deciding_fact),
                cmocka_unit_test(test_facts_file_semantics),
                cmocka_unit_test(test_non_integer),
                cmocka_unit_test(test_list_facts),
                cmocka_unit_test(test_split),
                cmocka_unit_test(test_observed_kept),
                cmocka_unit_test(test_eval_cpu_virt_extensions),
                cmocka_unit_test(test_eval_kvm_built),
                cmocka_unit_test(test_eval_microcode_current),
                cmocka_unit_test(test_eval_dev_world_writable),
                cmocka_unit_test(test_eval_vfio_nodes),
                cmocka_unit_test(test_eval_kvm_node_owner),
                cmocka_unit_test(test_eval_ip_forward),
                cmocka_unit_test(test_eval_ksm_off),
                cmocka_unit_test(test_eval_cpu_vulnerabilities_other),
                cmocka_unit_test(test_eval_cpu_vulnerabilities_other_list_error),
                cmocka_unit_test(test_eval_memory_encryption),
                cmocka_unit_test(test_eval_iommu_built),
                cmocka_unit_test(test_eval_iommu_default_translated),
                cmocka_unit_test(test_eval_kvm_device_usable),
                cmocka_unit_test(test_eval_static_label_persistent),
                cmocka_unit_test(test_evaluator_table_covered),
                cmocka_unit_test(test_evaluator_error_facts),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
