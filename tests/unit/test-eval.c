/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of check evaluation (src/checks/check-eval.c) and of every
 * evaluator (src/checks/check-evaluators.c), on hand-made fact stores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "check.h"
#include "check-evaluators.h"
#include "facts-json.h"
#include "fileio.h"
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

/* The shipped catalogue (checks/ *.check of the source tree), loaded once. */
static const Catalog *
shipped_catalog(void)
{
        static Catalog cat;
        static bool loaded;
        static const char *const files[] = {"cpu.check", "devices.check", "domain.check", "hw.check", "kernel.check",
                                            "kvm.check", "libvirtd.check", "lsm.check", "qemu.check",
                                            "seccomp.check", "svirt.check"};
        const char *root = getenv("KVMAUDIT_SOURCE_ROOT");

        if (loaded)
                return &cat;
        assert_non_null(root);
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *path = xasprintf("%s/checks/%s", root, files[i]), *text = NULL, *err = NULL;

                assert_non_null(path);
                assert_int_equal(read_input_file(path, 1024 * 1024, &text), 0);
                if (catalog_load_text(&cat, text, files[i], probe_namespaces, probe_namespaces_count, &err) < 0)
                        print_error("%s\n", strna(err));
        }
        assert_int_equal(catalog_finish(&cat, NULL), 0);
        loaded = true;
        return &cat;
}

/*
 * A test check of an evaluator or judge that declares nothing reads with the
 * declarations (and scope) of the shipped check of that evaluator: so the
 * engine's declared-input rule holds the shipped declarations to every
 * branch the tests below take, not only to those the fixture hosts reach.
 */
static void
inherit_declarations(Check *c)
{
        const Catalog *shipped;

        if ((!c->evaluator && !c->judge) || c->facts)
                return;
        shipped = shipped_catalog();
        for (size_t i = 0; i < shipped->n_checks; i++) {
                const Check *s = &shipped->checks[i];

                if (s->evaluator != c->evaluator || s->judge != c->judge)
                        continue;
                STRV_FOREACH(f, s->facts)
                        assert_int_equal(strv_extend(&c->facts, *f), 0);
                /* a whole-check evaluator iterates by itself; a judge's
                 * test says which objects it judges */
                if (c->evaluator)
                        c->scope = s->scope;
                return;
        }
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
        for (size_t i = 0; i < e->cat.n_checks; i++)
                inherit_declarations(&e->cat.checks[i]);
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
        assert_string_equal(result(&e, 0)->observed, "sysctl:x = a\033[31mred\n (offending: fails eq 1)");
        env_done(&e);
}

/* Evaluators. */

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
                "cpu-vulnerabilities-other", "dev-world-writable", "ip-forward", "kvm-node-owner",
                "memory-encryption", "vfio-nodes",
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
        set_err(&e, "cpu:flags", -ENOMEDIUM, "cpuinfo: runtime state not available");
        set_err(&e, "dev:nodes", -EACCES, "/dev: denied");
        env_load(&e, EVAL_CHECK("hw.x", "hw", "memory-encryption") EVAL_CHECK("kernel.x", "kernel", "vfio-nodes"));
        env_run(&e, "hw.x");
        env_run(&e, "kernel.x");
        assert_result(result(&e, 0), STATUS_SKIP, "host", "runtime state not available");
        assert_result(result(&e, 1), STATUS_ERROR, "host", "/dev: denied");
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

/* ------------------------------------------------------------------ */
/* The engine of issue 13: objects, "@" facts, list operators, judges. */

#define SCOPED(id, c, scope)                                                      \
        "[" id "]\ntitle = t\ncategory = " c "\nseverity = high\nscope = " scope "\n" \
        "rationale = r\nremediation = m\n"

static void
test_fact_key_for_object(void **state)
{
        static const struct {
                const char *key, *object, *want;
        } cases[] = {
                {"process:@/uid", "12", "process:12/uid"},
                {"domain:@", "web", "domain:web"},
                {"vm:@/graphics.listen", "web", "vm:web/graphics.listen"},
                {"process:@/uid", NULL, "process:@/uid"},
                /* only the first segment is the object */
                {"meta:qemu.conf:user@repeated", "12", "meta:qemu.conf:user@repeated"},
                {"process:@x/uid", "12", "process:@x/uid"},
                {"process:a/@", "12", "process:a/@"},
                {"kconfig:CONFIG_X", "12", "kconfig:CONFIG_X"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *k = fact_key_for_object(cases[i].key, cases[i].object);

                assert_non_null(k);
                if (!streq(k, cases[i].want))
                        print_error("case %zu: %s with %s gave %s\n", i, cases[i].key, strna(cases[i].object), k);
                assert_string_equal(k, cases[i].want);
        }
        assert_true(fact_key_is_relative("process:@/uid"));
        assert_true(fact_key_is_relative("domain:@"));
        assert_false(fact_key_is_relative("meta:x@repeated"));
        assert_false(fact_key_is_relative("process:@x"));
}

/* One list value (NULL-terminated items; NULL: absent; "=s" prefix: a
 * string) against a condition. */
static Status
list_status(const char *const *items, const char *cond)
{
        _cleanup_free_ char *text = xasprintf(HEAD("qemu.t", "qemu") "fact = qemu.conf:v\nexpect = %s\n", cond);
        Env e;
        Status s;

        env_init(&e);
        if (!items)
                set(&e, "qemu.conf:v", NULL);
        else if (items[0] && startswith(items[0], "=s"))
                set(&e, "qemu.conf:v", items[0] + 2);
        else
                set_list(&e, "qemu.conf:v", items);
        env_load(&e, text);
        assert_int_equal(env_run(&e, "qemu.t"), 1);
        s = result(&e, 0)->status;
        env_done(&e);
        return s;
}

static void
test_list_operators(void **state)
{
        static const char *const ab[] = {"a", "b", NULL}, *const none[] = {NULL}, *const str[] = {"=sa", NULL},
                                 *const paths[] = {"/dev/null", "/dev/sda", NULL};
        static const struct {
                const char *const *items; /* NULL: absent */
                const char *cond;
                Status want;
        } cases[] = {
                {ab, "each-in a b c", STATUS_PASS},
                {ab, "each-in a c", STATUS_FAIL},
                {none, "each-in a", STATUS_PASS},
                {NULL, "each-in a", STATUS_PASS}, /* absent: an empty list */
                {str, "each-in a", STATUS_PASS},  /* a string: one item */
                {str, "each-in b", STATUS_FAIL},
                {ab, "none-in c d", STATUS_PASS},
                {ab, "none-in d b", STATUS_FAIL},
                {NULL, "none-in a", STATUS_PASS},
                {paths, "each-match /dev/*", STATUS_PASS},
                {paths, "each-match /dev/null /dev/zero", STATUS_FAIL},
                {paths, "each-match /dev/null /dev/sd?", STATUS_PASS},
                {paths, "none-match /dev/sd*", STATUS_FAIL},
                {paths, "none-match /dev/vd* /dev/hd*", STATUS_PASS},
                {NULL, "none-match *", STATUS_PASS},
                {none, "empty", STATUS_PASS},
                {NULL, "empty", STATUS_PASS},
                {ab, "empty", STATUS_FAIL},
                {ab, "nonempty", STATUS_PASS},
                {NULL, "nonempty", STATUS_FAIL},
                {str, "nonempty", STATUS_PASS},
                {ab, "count-le 2", STATUS_PASS},
                {ab, "count-le 1", STATUS_FAIL},
                {NULL, "count-le 0", STATUS_PASS},
                {ab, "some-in b c", STATUS_PASS},
                {ab, "some-in c d", STATUS_FAIL},
                {none, "some-in a", STATUS_FAIL},
                {NULL, "some-in a", STATUS_FAIL}, /* absent: an empty list, nothing in it */
                {str, "some-in a", STATUS_PASS},
                {ab, "some-in c or each-in a b", STATUS_PASS},
                /* existing operators keep their meaning on lists */
                {ab, "word b", STATUS_PASS},
                {ab, "eq a,b", STATUS_PASS},
                {ab, "empty or each-in a b", STATUS_PASS},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Status s = list_status(cases[i].items, cases[i].cond);

                if (s != cases[i].want)
                        print_error("case %zu: %s: got %s\n", i, cases[i].cond, status_to_string(s));
                assert_int_equal(s, cases[i].want);
        }
}

static void
test_list_operator_evidence(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        env_load(&e, HEAD("qemu.a", "qemu") "fact = qemu.conf:acl\nexpect = each-in /dev/null /dev/kvm\n"
                     HEAD("qemu.b", "qemu") "fact = qemu.conf:acl\nexpect = none-match /dev/sd* /dev/nvme*\n"
                     HEAD("qemu.c", "qemu") "fact = qemu.conf:acl\nexpect = count-le 1\n"
                     HEAD("qemu.d", "qemu") "fact = stat:/dev/kvm\nexpect = qemu.conf:acl empty or stat:/dev/kvm present\n"
                     HEAD("qemu.e", "qemu") "fact = qemu.conf:acl\nexpect = each-in /dev/null /dev/kvm /dev/sda /dev/nvme0n1\n"
                     HEAD("qemu.f", "qemu") "fact = qemu.conf:acl\nexpect = some-in /dev/kvm /dev/zero\n");
        set_list(&e, "qemu.conf:acl", (const char *const[]) {"/dev/null", "/dev/sda", "/dev/nvme0n1", NULL});
        set_stat(&e, "stat:/dev/kvm", S_IFCHR | 0660, 0, 36, 10, 232, NULL);
        set_stat(&e, "stat:/dev/x", S_IFCHR | 0660, 0, 36, 10, 232, NULL);
        env_run(&e, "qemu.a");
        assert_result(result(&e, 0), STATUS_FAIL, "host", "qemu.conf:acl offending (each-in): /dev/sda, /dev/nvme0n1");
        env_run(&e, "qemu.b");
        assert_result(result(&e, 1), STATUS_FAIL, "host", "qemu.conf:acl offending (none-match): /dev/sda, /dev/nvme0n1");
        env_run(&e, "qemu.c");
        assert_result(result(&e, 2), STATUS_FAIL, "host", "qemu.conf:acl has 3 items, more than 1");
        /* a term another one outvoted is not named, nor a term that holds */
        env_run(&e, "qemu.d");
        assert_result(result(&e, 3), STATUS_PASS, "host", NULL);
        env_run(&e, "qemu.e");
        assert_result(result(&e, 4), STATUS_PASS, "host", NULL);
        assert_null(strstr(result(&e, 4)->observed, "offending"));
        /* some-in: the list itself is the evidence (no one item offends),
         * marked as the term that failed */
        env_run(&e, "qemu.f");
        assert_result(result(&e, 5), STATUS_FAIL, "host", "qemu.conf:acl = /dev/null,/dev/sda,/dev/nvme0n1");
        assert_null(strstr(result(&e, 5)->observed, "offending (some-in)"));
        assert_non_null(strstr(result(&e, 5)->observed, "(offending: fails some-in"));
        env_done(&e);

        /* file metadata is no list: undecided, with the reason */
        env_init(&e);
        env_load(&e, HEAD("devices.a", "devices") "fact = stat:/dev/kvm\nexpect = present\n"
                     "expect = qemu.conf:v each-in a\n");
        set_stat(&e, "stat:/dev/kvm", S_IFCHR | 0660, 0, 36, 10, 232, NULL);
        set_err(&e, "qemu.conf:v", -EACCES, "qemu.conf: denied");
        env_run(&e, "devices.a");
        assert_result(result(&e, 0), STATUS_ERROR, "host", "qemu.conf: denied");
        env_done(&e);
}

/* A process data check: one result per PID, the VM as subject and the PID
 * in the evidence, as eval_for_each_process() has always done. */
/* A failing term that is no list item test names what its value fails,
 * beside the value, for checks of every scope; a term of a line that held
 * through another "or" term, or of a line left undecided, is not blamed,
 * nor anything of a check that passed or does not apply. */
static void
test_term_evidence(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        env_load(&e, HEAD("kernel.a", "kernel") "fact = sysctl:a\nexpect = ge 1\n"
                     HEAD("kernel.b", "kernel") "expect = sysctl:a ge 1 or sysctl:b eq yes\nexpect = sysctl:c eq 1\n"
                     HEAD("kernel.c", "kernel") "expect = sysctl:a ge 1 or sysctl:c eq 1\n"
                     HEAD("kernel.d", "kernel") "expect = sysctl:a ne 0\nexpect = sysctl:a ge 1 or sysctl:a eq x\n"
                     "expect = sysctl:b eq no\nexpect = sysctl:a ne 0\n"
                     HEAD("kernel.e", "kernel") "expect = sysctl:e present\n"
                     HEAD("kernel.f", "kernel") "expect = sysctl:v not-contains \"SMT vulnerable\"\n"
                     HEAD("kernel.g", "kernel") "expect = sysctl:a ge 1\nexpect = sysctl:err eq 1 or sysctl:c eq 1\n"
                     HEAD("kernel.h", "kernel") "expect = sysctl:a ge 1\nexpect = sysctl:b eq yes\nmatch = any\n"
                     HEAD("kernel.i", "kernel") "expect = stat:/dev/x mode-max 0660\n"
                     HEAD("kernel.j", "kernel") "expect = sysctl:b eq yes\napplies = sysctl:a ge 1\n"
                     HEAD("kernel.k", "kernel") "expect = sysctl:l nonempty\n");
        set(&e, "sysctl:a", "0");
        set(&e, "sysctl:b", "yes");
        set(&e, "sysctl:c", "2");
        set(&e, "sysctl:e", NULL);
        set(&e, "sysctl:v", "Mitigation: x; SMT vulnerable");
        set_err(&e, "sysctl:err", -EACCES, "denied");
        set_stat(&e, "stat:/dev/x", S_IFCHR | 0666, 0, 36, 10, 232, NULL);
        set_list(&e, "sysctl:l", (const char *const[]) {NULL});
        env_run(&e, "kernel.a");
        assert_string_equal(result(&e, 0)->observed, "sysctl:a = 0 (offending: fails ge 1)");
        /* the first line held through sysctl:b: sysctl:a is not to blame */
        env_run(&e, "kernel.b");
        assert_string_equal(result(&e, 1)->observed, "sysctl:a = 0; sysctl:b = yes; sysctl:c = 2 (offending: fails eq 1)");
        /* both terms of a false line fail, each said of its own value */
        env_run(&e, "kernel.c");
        assert_string_equal(result(&e, 2)->observed,
                            "sysctl:a = 0 (offending: fails ge 1); sysctl:c = 2 (offending: fails eq 1)");
        /* a term written twice is named once; terms of one key in one list */
        env_run(&e, "kernel.d");
        assert_int_equal(result(&e, 3)->status, STATUS_FAIL);
        assert_string_equal(result(&e, 3)->observed,
                            "sysctl:a = 0 (offending: fails ne 0, ge 1, eq x); sysctl:b = yes (offending: fails eq no)");
        env_run(&e, "kernel.e");
        assert_string_equal(result(&e, 4)->observed, "sysctl:e (absent) (offending: fails present)");
        env_run(&e, "kernel.f");
        assert_string_equal(result(&e, 5)->observed,
                            "sysctl:v = Mitigation: x; SMT vulnerable (offending: fails not-contains \"SMT vulnerable\")");
        /* the undecided second line is not blamed */
        env_run(&e, "kernel.g");
        assert_int_equal(result(&e, 6)->status, STATUS_FAIL);
        assert_string_equal(result(&e, 6)->observed, "sysctl:a = 0 (offending: fails ge 1); sysctl:err unreadable; sysctl:c = 2");
        env_run(&e, "kernel.h");
        assert_int_equal(result(&e, 7)->status, STATUS_PASS);
        assert_null(strstr(result(&e, 7)->observed, "offending"));
        env_run(&e, "kernel.i");
        assert_string_equal(result(&e, 8)->observed, "stat:/dev/x = chr 10:232 0666 0:36 (offending: fails mode-max 0660)");
        env_run(&e, "kernel.j");
        assert_int_equal(result(&e, 9)->status, STATUS_SKIP);
        assert_null(strstr(result(&e, 9)->observed, "offending"));
        env_run(&e, "kernel.k");
        assert_string_equal(result(&e, 10)->observed, "sysctl:l = (empty) (offending: fails nonempty)");
        env_done(&e);

        /* list items joined with commas read back one way: an item with a
         * comma, a quote or nothing in it is quoted (qemu.args) */
        env_init(&e);
        env_load(&e, HEAD("qemu.a", "qemu") "fact = qemu.conf:args\nexpect = none-in -S\n");
        set_list(&e, "qemu.conf:args", (const char *const[]) {"-device", "ivshmem-plain,memdev=h", "a\"b", "", "-S", NULL});
        env_run(&e, "qemu.a");
        assert_string_equal(result(&e, 0)->observed,
                            "qemu.conf:args = -device,\"ivshmem-plain,memdev=h\",\"a\\\"b\",\"\",-S; "
                            "qemu.conf:args offending (none-in): -S");
        env_done(&e);

        /* every scope: the object's own key, after the engine's prefix */
        env_init(&e);
        env_load(&e, SCOPED("seccomp.nnp", "seccomp", "process") "fact = process:@/nonewprivs\nexpect = eq 1\n"
                     SCOPED("domain.up", "domain", "domain") "fact = domainstate:@\nexpect = eq running\n"
                     SCOPED("libvirtd.a", "libvirtd", "daemon")
                     "fact = daemonconf:@/auth_tcp\nexpect = ne none\nparam = daemons libvirtd\n");
        set_list(&e, "qemu:pids", (const char *const[]) {"10", NULL});
        set(&e, "process:10/name", "web");
        set(&e, "process:10/uuid", NULL);
        set(&e, "process:10/nonewprivs", "0");
        set_list(&e, "libvirt:domains", (const char *const[]) {"b", NULL});
        set(&e, "domain:b", "<domain type='kvm'><name>b</name><memory>1024</memory></domain>");
        set(&e, "domainstate:b", "shut off");
        set(&e, "libvirtd.conf:auth_tcp", "none");
        set(&e, "libvirtd.conf:audit_level", NULL);
        set(&e, "meta:libvirtd.conf", "/etc/libvirt/libvirtd.conf");
        env_run(&e, "seccomp.nnp");
        assert_string_equal(result(&e, 0)->observed, "pid 10: process:10/nonewprivs = 0 (offending: fails eq 1)");
        env_run(&e, "domain.up");
        assert_string_equal(result(&e, 1)->observed, "domainstate:b = shut off (offending: fails eq running)");
        env_run(&e, "libvirtd.a");
        assert_result(result(&e, 2), STATUS_FAIL, "/etc/libvirt/libvirtd.conf",
                      "daemonconf:libvirtd/auth_tcp = none (offending: fails ne none)");
        env_done(&e);
}

static void
test_scope_process(void **state)
{
        static const char check[] = SCOPED("seccomp.nnp", "seccomp", "process")
                "fact = process:@/nonewprivs\nexpect = eq 1\n";
        Env e;

        (void) state;
        env_init(&e);
        env_load(&e, check);
        set_list(&e, "qemu:pids", (const char *const[]) {"10", "11", "12", NULL});
        set(&e, "process:10/name", "web");
        set(&e, "process:10/uuid", "u-1");
        set(&e, "process:10/nonewprivs", "1");
        set(&e, "process:11/name", NULL);
        set(&e, "process:11/uuid", NULL);
        set(&e, "process:11/nonewprivs", "0");
        set(&e, "process:12/name", "db");
        set(&e, "process:12/uuid", NULL);
        set_err(&e, "process:12/nonewprivs", -ENOMEDIUM, "process 12 exited");
        assert_int_equal(env_run(&e, "seccomp.nnp"), 3);
        assert_result(result(&e, 0), STATUS_PASS, "process:web/u-1", "pid 10: process:10/nonewprivs = 1");
        assert_result(result(&e, 1), STATUS_FAIL, "process:11", "process:11/nonewprivs = 0");
        assert_true(startswith(result(&e, 1)->observed, "process:11/")); /* no "pid 11: " when the subject says it */
        assert_result(result(&e, 2), STATUS_SKIP, "process:db", "pid 12: process 12 exited");
        env_done(&e);

        /* no process, unreadable list: one result, today's wording */
        env_init(&e);
        env_load(&e, check);
        set_list(&e, "qemu:pids", (const char *const[]) {NULL});
        assert_int_equal(env_run(&e, "seccomp.nnp"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", "no running QEMU process");
        env_done(&e);
        env_init(&e);
        env_load(&e, check);
        set_err(&e, "qemu:pids", -EACCES, "/proc: denied");
        assert_int_equal(env_run(&e, "seccomp.nnp"), 1);
        assert_result(result(&e, 0), STATUS_ERROR, "host", "/proc: denied");
        env_done(&e);
}

/* Applicability: host lines once (skip "host"), "@" lines per object. */
static void
test_scope_applies(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        env_load(&e, SCOPED("seccomp.a", "seccomp", "process")
                     "fact = process:@/nonewprivs\nexpect = eq 1\napplies = process:@/name present\n"
                     SCOPED("seccomp.b", "seccomp", "process")
                     "fact = process:@/nonewprivs\nexpect = eq 1\napplies = lsm:active word selinux\n"
                     SCOPED("seccomp.c", "seccomp", "process")
                     "fact = process:@/nonewprivs\nexpect = eq 1\nif-absent = skip\n");
        set(&e, "lsm:active", "apparmor");
        set_list(&e, "qemu:pids", (const char *const[]) {"10", "11", NULL});
        set(&e, "process:10/name", "web");
        set(&e, "process:10/uuid", NULL);
        set(&e, "process:10/nonewprivs", "1");
        set(&e, "process:11/name", NULL);
        set(&e, "process:11/uuid", NULL);
        set(&e, "process:11/nonewprivs", NULL);
        assert_int_equal(env_run(&e, "seccomp.a"), 2);
        assert_result(result(&e, 0), STATUS_PASS, "process:web", "pid 10: ");
        assert_result(result(&e, 1), STATUS_SKIP, "process:11",
                      "not applicable: process:11/name (absent) (applies when process:@/name present)");
        assert_int_equal(env_run(&e, "seccomp.b"), 1);
        assert_result(result(&e, 2), STATUS_SKIP, "host", "not applicable: lsm:active = apparmor");
        assert_int_equal(env_run(&e, "seccomp.c"), 2);
        assert_result(result(&e, 4), STATUS_SKIP, "process:11", "process:11/nonewprivs (absent)");
        env_done(&e);
}

static void
test_scope_domain(void **state)
{
        static const char check[] = SCOPED("domain.up", "domain", "domain")
                "fact = domainstate:@\nexpect = eq running\n";
        Env e;

        (void) state;
        env_init(&e);
        env_load(&e, check);
        set_list(&e, "libvirt:domains", (const char *const[]) {"a", "b", "c", NULL});
        set(&e, "domain:a", "<domain type='kvm'><name>a</name><memory>1024</memory></domain>");
        set(&e, "domain:b", "<domain type='kvm'><name>b</name><memory>1024</memory></domain>");
        set(&e, "domain:c", "<domain");
        set(&e, "domainstate:a", "running");
        set(&e, "domainstate:b", "shut off");
        set(&e, "domainstate:c", "running");
        assert_int_equal(env_run(&e, "domain.up"), 3);
        assert_result(result(&e, 0), STATUS_PASS, "domain:a", "domainstate:a = running");
        assert_result(result(&e, 1), STATUS_FAIL, "domain:b", "domainstate:b = shut off");
        /* an unparsable definition is an error for that domain */
        assert_result(result(&e, 2), STATUS_ERROR, "domain:c", NULL);
        env_done(&e);

        env_init(&e);
        env_load(&e, check);
        set_list(&e, "libvirt:domains", (const char *const[]) {NULL});
        set(&e, "libvirt:source", "/etc/libvirt/qemu");
        assert_int_equal(env_run(&e, "domain.up"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", "no libvirt domains defined (source: /etc/libvirt/qemu)");
        env_done(&e);
        env_init(&e);
        env_load(&e, check);
        set(&e, "libvirt:domains", NULL);
        assert_int_equal(env_run(&e, "domain.up"), 1);
        assert_result(result(&e, 0), STATUS_SKIP, "host", "no libvirt domain source");
        env_done(&e);
}

/* Daemons: those whose file or binary exists, in the order of the
 * "daemons" param; the file's path is the subject. */
static void
test_scope_daemon(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        env_load(&e, SCOPED("libvirtd.a", "libvirtd", "daemon")
                     "fact = unit:libvirtd-tcp.socket\nexpect = ne enabled\nparam = daemons virtqemud libvirtd virtproxyd\n"
                     SCOPED("libvirtd.b", "libvirtd", "daemon")
                     "fact = unit:libvirtd-tcp.socket\nexpect = ne enabled\nparam = daemons virtproxyd\n");
        set(&e, "unit:libvirtd-tcp.socket", "enabled");
        /* libvirtd: the file exists */
        set(&e, "libvirtd.conf:audit_level", NULL);
        set(&e, "meta:libvirtd.conf", "/etc/libvirt/libvirtd.conf");
        /* virtqemud: no file, the binary (defaults apply) */
        set(&e, "virtqemud.conf:audit_level", NULL);
        set(&e, "meta:virtqemud.conf", NULL);
        set_stat(&e, "stat:/usr/sbin/virtqemud", S_IFREG | 0755, 0, 0, 0, 0, NULL);
        /* virtproxyd: neither */
        set(&e, "virtproxyd.conf:audit_level", NULL);
        set(&e, "meta:virtproxyd.conf", NULL);
        set(&e, "stat:/usr/sbin/virtproxyd", NULL);
        assert_int_equal(env_run(&e, "libvirtd.a"), 2);
        assert_result(result(&e, 0), STATUS_FAIL, "/etc/libvirt/virtqemud.conf", "unit:libvirtd-tcp.socket = enabled");
        assert_result(result(&e, 1), STATUS_FAIL, "/etc/libvirt/libvirtd.conf", NULL);
        assert_int_equal(env_run(&e, "libvirtd.b"), 1);
        assert_result(result(&e, 2), STATUS_SKIP, "host",
                      "no libvirt daemon: none of /etc/libvirt/virtproxyd.conf, /usr/sbin/virtproxyd exists");
        env_done(&e);

        /* an unparsable file: an error for that daemon */
        env_init(&e);
        env_load(&e, SCOPED("libvirtd.a", "libvirtd", "daemon")
                     "fact = unit:x.socket\nexpect = ne enabled\nparam = daemons libvirtd\n");
        set_err(&e, "libvirtd.conf:audit_level", -EBADMSG, "/etc/libvirt/libvirtd.conf:3: bad value");
        assert_int_equal(env_run(&e, "libvirtd.a"), 1);
        assert_result(result(&e, 0), STATUS_ERROR, "/etc/libvirt/libvirtd.conf", "libvirtd.conf:3: bad value");
        env_done(&e);
}

static void
test_judge_table(void **state)
{
        const Judge *t;
        size_t n;

        (void) state;
        t = judge_table(&n);
        assert_non_null(t);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
                assert_ptr_equal(judge_find(t[i].name), judge_find(t[i].name));
                assert_non_null(judge_find(t[i].name));
                /* a judge and an evaluator never share a name */
                assert_null(evaluator_find(t[i].name));
                if (i > 0)
                        assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
        }
        assert_null(judge_find("no-such"));
}

/* qemu-user-not-root: a host judge; the engine emits its verdict. */
static void
test_judge_qemu_user_not_root(void **state)
{
        static const struct {
                const char *user, *group;
                Status status;
                const char *observed;
        } cases[] = {
                {NULL, NULL, STATUS_PASS, "user and group not set: build default"},
                {"root", "kvm", STATUS_FAIL, "user = root; group = kvm"},
                {"+0", NULL, STATUS_FAIL, "user = +0; group = (absent: build default)"},
                {"libvirt-qemu", "0", STATUS_FAIL, "group = 0"},
                {"libvirt-qemu", "kvm", STATUS_PASS, "user = libvirt-qemu; group = kvm"},
        };
        Env e;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                env_init(&e);
                env_load(&e, HEAD("qemu.u", "qemu") "judge = qemu-user-not-root\nexpected = e\n");
                set(&e, "qemu.conf:user", cases[i].user);
                set(&e, "qemu.conf:group", cases[i].group);
                assert_int_equal(env_run(&e, "qemu.u"), 1);
                assert_result(result(&e, 0), cases[i].status, "host", cases[i].observed);
                env_done(&e);
        }
        /* a list is no user; an unreadable file is the engine's error */
        env_init(&e);
        env_load(&e, HEAD("qemu.u", "qemu") "evaluator = qemu-user-not-root\nexpected = e\n");
        set_list(&e, "qemu.conf:user", (const char *const[]) {"a", "b", NULL});
        set(&e, "qemu.conf:group", NULL);
        env_run(&e, "qemu.u");
        assert_result(result(&e, 0), STATUS_FAIL, "host", "(a list is not a valid user or group)");
        env_done(&e);
        env_init(&e);
        env_load(&e, HEAD("qemu.u", "qemu") "judge = qemu-user-not-root\nexpected = e\n");
        set_err(&e, "qemu.conf:user", -EBADMSG, "/etc/libvirt/qemu.conf:4: bad");
        set(&e, "qemu.conf:group", NULL);
        env_run(&e, "qemu.u");
        assert_result(result(&e, 0), STATUS_ERROR, "host", "qemu.conf:4: bad");
        env_done(&e);
}

/* ------------------------------------------------------------------ */
/* Derived process facts (probe_process_derive) and the shipped process
 * checks that judge them. */

static void
assert_fact_list(Env *e, const char *key, const char *joined)
{
        const Fact *f = fact_store_get(e->facts, key);
        _cleanup_free_ char *j = NULL;

        if (f->kind != FACT_LIST)
                print_error("%s is %s (%s), not a list\n", key, fact_kind_to_string(f->kind), strna(f->string));
        assert_int_equal(f->kind, FACT_LIST);
        j = strv_join(f->list, ",");
        assert_non_null(j);
        assert_string_equal(j, joined);
}

static void
set_process(Env *e, const char *pid, const char *uid, const char *gid, const char *capeff, const char *capprm)
{
        _cleanup_free_ char *ku = xasprintf("process:%s/uid", pid), *kg = xasprintf("process:%s/gid", pid),
                            *ke = xasprintf("process:%s/capeff", pid), *kp = xasprintf("process:%s/capprm", pid);

        set(e, ku, uid);
        set(e, kg, gid);
        set(e, ke, capeff);
        set(e, kp, capprm);
}

static void
test_derived_process_ids_caps(void **state)
{
        Env e;
        const Fact *f;

        (void) state;
        env_init(&e);
        set_process(&e, "10", "0 107 0 107", "107 107 107 107", "0000000000000000", "0000000000200001");
        assert_fact_list(&e, "process:10/uids", "0,107,0,107");
        assert_fact_list(&e, "process:10/gids", "107,107,107,107");
        f = fact_store_get(e.facts, "process:10/euid");
        assert_int_equal(f->kind, FACT_STRING);
        assert_string_equal(f->string, "107");
        assert_string_equal(fact_store_get(e.facts, "process:10/egid")->string, "107");
        assert_fact_list(&e, "process:10/capeff-names", "");
        assert_fact_list(&e, "process:10/capprm-names", "cap_chown,cap_sys_admin");
        assert_true(fact_store_key_derived(e.facts, "process:10/uids"));
        assert_false(fact_store_key_derived(e.facts, "process:10/uid"));

        /* bits without a name; a malformed source */
        set_process(&e, "11", "1 2 3", "0 0 0 0", "8000000000000000", "zz");
        assert_fact_list(&e, "process:11/capeff-names", "cap_63");
        f = fact_store_get(e.facts, "process:11/capprm-names");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_non_null(strstr(f->string, "process:11/capprm: \"zz\" is not a capability mask"));
        f = fact_store_get(e.facts, "process:11/uids");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_non_null(strstr(f->string, "\"1 2 3\" is not four ids"));

        /* an unreadable source passes on its error; a missing one is named */
        set_err(&e, "process:12/uid", -EACCES, "/proc/12/status: Permission denied");
        f = fact_store_get(e.facts, "process:12/uids");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EACCES);
        assert_string_equal(f->string, "/proc/12/status: Permission denied");
        set(&e, "process:13/gid", NULL);
        f = fact_store_get(e.facts, "process:13/egid");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_string_equal(f->string, "process:13/gid: no Gid: recorded");
        /* not a derived field: the usual lookup (a facts file: not in it) */
        assert_int_equal(fact_store_get(e.facts, "process:10/colour")->kind, FACT_ERROR);
        env_done(&e);
}

static void
test_derived_process_sandbox(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set_list(&e, "process:10/cmdline",
                 (const char *const[]) {"qemu-system-x86_64", "-sandbox", "on", "-name", "guest=a",
                                        "--sandbox", "on,obsolete=deny,spawn=deny,x=a,,b", NULL});
        assert_fact_list(&e, "process:10/sandbox", "on,obsolete=deny,spawn=deny,x=a,b");
        set_list(&e, "process:11/cmdline", (const char *const[]) {"qemu-system-x86_64", "-sandbox", NULL});
        assert_int_equal(fact_store_get(e.facts, "process:11/sandbox")->kind, FACT_ABSENT);
        set(&e, "process:12/cmdline", NULL);
        assert_string_equal(fact_store_get(e.facts, "process:12/sandbox")->string,
                            "process:12/cmdline: no command line recorded");
        env_done(&e);
}

/* The one process-to-VM match: by -uuid over every domain first, then by
 * -name guest=; only definitions that parse. */
static void
test_derived_process_domain(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        set_list(&e, "libvirt:domains", (const char *const[]) {"a", "b", "broken", NULL});
        set(&e, "domain:a", "<domain type='kvm'><name>a</name><uuid>11111111-1111-1111-1111-111111111111</uuid>"
                            "<memory>1024</memory></domain>");
        set(&e, "domain:b", "<domain type='kvm'><name>b</name><uuid>22222222-2222-2222-2222-222222222222</uuid>"
                            "<memory>1024</memory></domain>");
        set(&e, "domain:broken", "<domain");
        /* a name of one domain, the uuid of another: the uuid wins */
        set(&e, "process:10/name", "a");
        set(&e, "process:10/uuid", "22222222-2222-2222-2222-222222222222");
        set(&e, "process:11/name", "a");
        set(&e, "process:11/uuid", NULL);
        set(&e, "process:12/name", "broken");
        set(&e, "process:12/uuid", NULL);
        set(&e, "process:13/name", "c");
        set(&e, "process:13/uuid", "11111111-1111-1111-1111-111111111111");
        assert_string_equal(fact_store_get(e.facts, "process:10/domain")->string, "b");
        assert_string_equal(fact_store_get(e.facts, "process:11/domain")->string, "a");
        assert_int_equal(fact_store_get(e.facts, "process:12/domain")->kind, FACT_ABSENT);
        assert_string_equal(fact_store_get(e.facts, "process:13/domain")->string, "a");
        env_done(&e);

        env_init(&e);
        set_err(&e, "libvirt:domains", -ENOPKG, "libvirt is not installed");
        set(&e, "process:10/name", "a");
        set(&e, "process:10/uuid", NULL);
        assert_int_equal(fact_store_get(e.facts, "process:10/domain")->kind, FACT_ABSENT);
        env_done(&e);
}

/* Loads checks/@file of the source tree. */
static void
env_load_shipped(Env *e, const char *file)
{
        const char *root = getenv("KVMAUDIT_SOURCE_ROOT");
        _cleanup_free_ char *path = NULL, *text = NULL;

        assert_non_null(root);
        path = xasprintf("%s/checks/%s", root, file);
        assert_non_null(path);
        assert_int_equal(read_input_file(path, 1024 * 1024, &text), 0);
        env_load(e, text);
}

/* The shipped process checks, as data, on one good and one bad QEMU. */
static void
test_shipped_process_checks(void **state)
{
        static const struct {
                const char *id, *good, *bad;
        } rows[] = {
                {"qemu.process-not-root", "process:10/uids = 107,107,107,107",
                 "process:11/uids offending (none-in): 0, 0"},
                {"qemu.process-no-capabilities", "process:10/capeff-names = (empty)",
                 "process:11/capprm-names = cap_net_admin"},
                {"seccomp.process-filter-active", "process:10/seccomp = 2", "process:11/seccomp = 0"},
                {"seccomp.process-no-new-privs", "process:10/nonewprivs = 1", "process:11/nonewprivs = 0"},
                {"seccomp.process-sandbox-options",
                 "process:10/sandbox = on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
                 "process:11/sandbox = on,obsolete=deny"},
        };
        Env e;

        (void) state;
        env_init(&e);
        env_load_shipped(&e, "qemu.check");
        env_load_shipped(&e, "seccomp.check");
        set_list(&e, "qemu:pids", (const char *const[]) {"10", "11", NULL});
        set(&e, "process:10/name", "good");
        set(&e, "process:10/uuid", NULL);
        set(&e, "process:11/name", "bad");
        set(&e, "process:11/uuid", NULL);
        set_process(&e, "10", "107 107 107 107", "107 107 107 107", "0000000000000000", "0000000000000000");
        set_process(&e, "11", "107 0 107 0", "107 107 107 107", "0000000000000000", "0000000000001000");
        set(&e, "process:10/seccomp", "2");
        set(&e, "process:11/seccomp", "0");
        set(&e, "process:10/nonewprivs", "1");
        set(&e, "process:11/nonewprivs", "0");
        set_list(&e, "process:10/cmdline",
                 (const char *const[]) {"qemu", "-sandbox",
                                        "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny", NULL});
        set_list(&e, "process:11/cmdline", (const char *const[]) {"qemu", "-sandbox", "on,obsolete=deny", NULL});
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                size_t first = e.res.n;

                assert_int_equal(env_run(&e, rows[i].id), 2);
                assert_result(result(&e, first), STATUS_PASS, "process:good", rows[i].good);
                assert_true(startswith(result(&e, first)->observed, "pid 10: "));
                assert_result(result(&e, first + 1), STATUS_FAIL, "process:bad", rows[i].bad);
        }
        env_done(&e);

        /* a sandbox-less QEMU fails; enable=on is "on" */
        env_init(&e);
        env_load_shipped(&e, "seccomp.check");
        set_list(&e, "qemu:pids", (const char *const[]) {"10", "11", NULL});
        set(&e, "process:10/name", NULL);
        set(&e, "process:10/uuid", NULL);
        set(&e, "process:11/name", NULL);
        set(&e, "process:11/uuid", NULL);
        set_list(&e, "process:10/cmdline", (const char *const[]) {"qemu", NULL});
        set_list(&e, "process:11/cmdline",
                 (const char *const[]) {"qemu", "-sandbox",
                                        "enable=on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
                                        NULL});
        assert_int_equal(env_run(&e, "seccomp.process-sandbox-options"), 2);
        assert_result(result(&e, 0), STATUS_FAIL, "process:10", "process:10/sandbox (absent) (offending: fails word on enable=on, word obsolete=deny,");
        assert_result(result(&e, 1), STATUS_PASS, "process:11", NULL);
        env_done(&e);
}

/* Derived facts never reach a facts file, and a facts file cannot bring
 * its own: they are recomputed from the sources. */
static void
test_derived_not_in_facts_file(void **state)
{
        static const char with_derived[] =
                "{\"schema_version\": 1, \"facts\": {\"process:10/uid\": \"0 0 0 0\", \"process:10/uids\": [\"7\"]}}";
        static const char sources[] =
                "{\"schema_version\": 1, \"facts\": {\"process:10/uid\": \"0 5 0 0\"}}";
        _cleanup_free_ char *err = NULL, *buf = NULL;
        size_t len = 0;
        FILE *out;
        Env e;

        (void) state;
        env_init(&e);
        set(&e, "process:10/uid", "0 0 0 0");
        assert_int_equal(fact_store_get(e.facts, "process:10/uids")->kind, FACT_LIST);
        out = open_memstream(&buf, &len);
        assert_non_null(out);
        assert_int_equal(facts_write_json(e.facts, "t", "/", out), 0);
        assert_int_equal(fclose(out), 0);
        assert_non_null(strstr(buf, "\"process:10/uid\""));
        assert_null(strstr(buf, "process:10/uids"));
        env_done(&e);

        env_init(&e);
        assert_int_equal(facts_load_json(e.facts, with_derived, "f.json", &err), -EBADMSG);
        assert_non_null(err);
        assert_non_null(strstr(err, "f.json: fact \"process:10/uids\" is derived from other facts"));
        env_done(&e);

        env_init(&e);
        free(err);
        err = NULL;
        assert_int_equal(facts_load_json(e.facts, sources, "f.json", &err), 0);
        assert_string_equal(fact_store_get(e.facts, "process:10/euid")->string, "5");
        env_done(&e);
}

/* ------------------------------------------------------------------ */
/* daemonconf (probe_daemonconf_derive) and the shipped daemon checks.  */

static const char *
fact_string(Env *e, const char *key)
{
        const Fact *f = fact_store_get(e->facts, key);

        if (f->kind != FACT_STRING)
                print_error("%s is %s (%s)\n", key, fact_kind_to_string(f->kind), strna(f->string));
        assert_int_equal(f->kind, FACT_STRING);
        return f->string;
}

static void
test_daemonconf_listener(void **state)
{
        static const struct {
                const char *daemon, *tcp_unit, *main_socket, *listen, *args;
                bool tls;
                const char *want, *why;
        } rows[] = {
                {"libvirtd", "enabled", "enabled", "0", "", false, "on", "libvirtd-tcp.socket is enabled"},
                {"libvirtd", "disabled", "enabled", "1", "--listen", false, "off",
                 "libvirtd-tcp.socket is disabled; socket activation via libvirtd.socket, so listen_tcp is ignored"},
                {"libvirtd", "disabled", "disabled", "1", "--listen", false, "on",
                 "libvirtd-tcp.socket is disabled; listen_tcp = 1; LIBVIRTD_ARGS has --listen"},
                {"libvirtd", "disabled", "disabled", "1", "", false, "off", "LIBVIRTD_ARGS without --listen"},
                {"libvirtd", NULL, NULL, NULL, "-l", false, "off", "libvirtd-tcp.socket is not installed; listen_tcp = 0 (default)"},
                /* listen_tls defaults to 1 in libvirtd only */
                {"libvirtd", NULL, NULL, NULL, "-l", true, "on", "listen_tls = 1 (default); LIBVIRTD_ARGS has --listen"},
                {"virtproxyd", NULL, NULL, NULL, NULL, true, "off", "virtproxyd-tls.socket is not installed; listen_tls = 0 (default)"},
                {"virtproxyd", NULL, "disabled", "1", NULL, false, "on", "listen_tcp = 1"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                const char *d = rows[i].daemon, *kind = rows[i].tls ? "tls" : "tcp";
                _cleanup_free_ char *unit = xasprintf("unit:%s-%s.socket", d, kind),
                                    *sock = xasprintf("unit:%s.socket", d),
                                    *conf = xasprintf("%s.conf:listen_%s", d, kind),
                                    *on = xasprintf("daemonconf:%s/%s-listener", d, kind),
                                    *why = xasprintf("daemonconf:%s/%s-listener-why", d, kind);
                Env e;

                env_init(&e);
                set(&e, unit, rows[i].tcp_unit);
                set(&e, sock, rows[i].main_socket);
                set(&e, conf, rows[i].listen);
                if (rows[i].args)
                        set(&e, "unit:libvirtd.args", rows[i].args);
                if (!streq(fact_string(&e, on), rows[i].want) || !strstr(fact_string(&e, why), rows[i].why))
                        print_error("row %zu: %s (%s)\n", i, fact_string(&e, on), fact_string(&e, why));
                assert_string_equal(fact_string(&e, on), rows[i].want);
                assert_non_null(strstr(fact_string(&e, why), rows[i].why));
                env_done(&e);
        }
}

static void
test_daemonconf_keys(void **state)
{
        Env e;
        const Fact *f;
        Fact rep = {.kind = FACT_LIST};

        (void) state;
        env_init(&e);
        set(&e, "libvirtd.conf:auth_tcp", "none");
        set_list(&e, "virtqemud.conf:access_drivers", (const char *const[]) {"polkit", NULL});
        set(&e, "meta:libvirtd.conf", "/etc/libvirt/libvirtd.conf");
        set(&e, "meta:virtqemud.conf", NULL);
        assert_int_equal(strv_extend(&rep.list, "/etc/libvirt/libvirtd.conf:3"), 0);
        assert_int_equal(strv_extend(&rep.list, "/etc/libvirt/libvirtd.conf:9"), 0);
        assert_int_equal(fact_store_put(e.facts, "meta:libvirtd.conf:auth_tcp@repeated", &rep), 0);
        assert_string_equal(fact_string(&e, "daemonconf:libvirtd/auth_tcp"), "none");
        assert_fact_list(&e, "daemonconf:virtqemud/access_drivers", "polkit");
        assert_string_equal(fact_string(&e, "daemonconf:libvirtd/file"), "/etc/libvirt/libvirtd.conf");
        assert_int_equal(fact_store_get(e.facts, "daemonconf:virtqemud/file")->kind, FACT_ABSENT);
        /* the repeated-setting note follows the name the check reads */
        f = fact_store_peek(e.facts, "meta:daemonconf:libvirtd/auth_tcp@repeated");
        assert_non_null(f);
        assert_int_equal(strv_length(f->list), 2);
        assert_true(fact_store_key_derived(e.facts, "meta:daemonconf:libvirtd/auth_tcp@repeated"));
        assert_false(fact_store_key_derived(e.facts, "meta:libvirtd.conf:auth_tcp@repeated"));

        /* auth_unix_rw: the file, else the build default the polkit policy shows */
        set(&e, "libvirtd.conf:auth_unix_rw", NULL);
        set_stat(&e, "stat:/usr/share/polkit-1/actions/org.libvirt.unix.policy", S_IFREG | 0644, 0, 0, 0, 0, NULL);
        assert_string_equal(fact_string(&e, "daemonconf:libvirtd/auth-unix-rw"), "polkit");
        assert_non_null(strstr(fact_string(&e, "daemonconf:libvirtd/auth-unix-rw-why"), "default for a polkit build"));
        set(&e, "virtqemud.conf:auth_unix_rw", "none");
        assert_string_equal(fact_string(&e, "daemonconf:virtqemud/auth-unix-rw"), "none");
        assert_string_equal(fact_string(&e, "daemonconf:virtqemud/auth-unix-rw-why"), "set in the file");

        /* what names nothing is an error, not an absent setting */
        f = fact_store_get(e.facts, "daemonconf:nosuchd/auth_tcp");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_non_null(strstr(f->string, "no libvirt daemon of that name"));
        f = fact_store_get(e.facts, "daemonconf:libvirtd/Auth-Tcp");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_non_null(strstr(f->string, "neither a configuration key nor a derived field"));
        f = fact_store_get(e.facts, "daemonconf:libvirtd");
        assert_int_equal(f->kind, FACT_ERROR);
        /* an unreadable file: every key carries its error */
        set_err(&e, "virtproxyd.conf:auth_tcp", -EBADMSG, "/etc/libvirt/virtproxyd.conf:2: bad");
        f = fact_store_get(e.facts, "daemonconf:virtproxyd/auth_tcp");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_string_equal(f->string, "/etc/libvirt/virtproxyd.conf:2: bad");
        env_done(&e);
}

/* Sets what makes libvirtd and virtproxyd exist (files) and virtqemud not. */
static void
set_daemons(Env *e)
{
        set(e, "libvirtd.conf:audit_level", NULL);
        set(e, "meta:libvirtd.conf", "/etc/libvirt/libvirtd.conf");
        set(e, "virtproxyd.conf:audit_level", NULL);
        set(e, "meta:virtproxyd.conf", "/etc/libvirt/virtproxyd.conf");
        set(e, "virtqemud.conf:audit_level", NULL);
        set(e, "meta:virtqemud.conf", NULL);
        set(e, "stat:/usr/sbin/virtqemud", NULL);
        set(e, "unit:libvirtd.args", "--listen");
        set(e, "unit:libvirtd.socket", "disabled");
        set(e, "unit:virtproxyd.socket", "disabled");
}

static void
test_shipped_daemon_checks(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        env_load_shipped(&e, "libvirtd.check");
        set_daemons(&e);
        /* libvirtd: TCP on without authentication; virtproxyd: off */
        set(&e, "unit:libvirtd-tcp.socket", "enabled");
        set(&e, "libvirtd.conf:auth_tcp", "none");
        set(&e, "unit:virtproxyd-tcp.socket", NULL);
        set(&e, "virtproxyd.conf:listen_tcp", NULL);
        set(&e, "virtproxyd.conf:auth_tcp", NULL);
        assert_int_equal(env_run(&e, "libvirtd.tcp-listener-off"), 2);
        assert_result(result(&e, 0), STATUS_FAIL, "/etc/libvirt/libvirtd.conf", "daemonconf:libvirtd/tcp-listener = on");
        assert_result(result(&e, 1), STATUS_PASS, "/etc/libvirt/virtproxyd.conf", "listen_tcp = 0 (default)");
        assert_int_equal(env_run(&e, "libvirtd.tcp-auth-not-none"), 2);
        assert_result(result(&e, 2), STATUS_FAIL, "/etc/libvirt/libvirtd.conf", "daemonconf:libvirtd/auth_tcp = none");
        assert_result(result(&e, 3), STATUS_SKIP, "/etc/libvirt/virtproxyd.conf",
                      "not applicable: daemonconf:virtproxyd/tcp-listener = off");

        /* TLS: verification off is fine with auth_tls set; not with none or absent */
        set(&e, "unit:libvirtd-tls.socket", "enabled");
        set(&e, "libvirtd.conf:tls_no_verify_certificate", "1");
        set(&e, "libvirtd.conf:auth_tls", "sasl");
        set(&e, "unit:virtproxyd-tls.socket", "enabled");
        set(&e, "virtproxyd.conf:tls_no_verify_certificate", "1");
        set(&e, "virtproxyd.conf:auth_tls", NULL);
        assert_int_equal(env_run(&e, "libvirtd.tls-client-verified"), 2);
        assert_result(result(&e, 4), STATUS_PASS, "/etc/libvirt/libvirtd.conf", NULL);
        assert_result(result(&e, 5), STATUS_FAIL, "/etc/libvirt/virtproxyd.conf", "auth_tls (absent) (offending: fails present)");
        set_list(&e, "libvirtd.conf:tls_allowed_dn_list", (const char *const[]) {"CN=a", NULL});
        set(&e, "virtproxyd.conf:tls_allowed_dn_list", "");
        assert_int_equal(env_run(&e, "libvirtd.tls-allowed-dn-list"), 2);
        assert_result(result(&e, 6), STATUS_PASS, "/etc/libvirt/libvirtd.conf", NULL);
        assert_result(result(&e, 7), STATUS_FAIL, "/etc/libvirt/virtproxyd.conf", NULL);
        env_done(&e);

        /* access drivers (libvirtd and virtqemud: only libvirtd exists here) */
        env_init(&e);
        env_load_shipped(&e, "libvirtd.check");
        set_daemons(&e);
        set(&e, "libvirtd.conf:access_drivers", NULL);
        assert_int_equal(env_run(&e, "libvirtd.access-drivers-polkit"), 1);
        assert_result(result(&e, 0), STATUS_FAIL, "/etc/libvirt/libvirtd.conf", "daemonconf:libvirtd/access_drivers (absent) (offending: fails word polkit)");
        env_done(&e);
}

/* The four daemon judges, one object each. */
static void
test_daemon_judges(void **state)
{
        Env e;

        (void) state;
        env_init(&e);
        env_load_shipped(&e, "libvirtd.check");
        set_daemons(&e);
        /* admin socket: all three daemons (virtqemud absent here) */
        set(&e, "libvirtd.conf:unix_sock_admin_perms", "0770");
        set(&e, "virtproxyd.conf:unix_sock_admin_perms", NULL);
        assert_int_equal(env_run(&e, "libvirtd.admin-socket-restricted"), 2);
        assert_result(result(&e, 0), STATUS_FAIL, "/etc/libvirt/libvirtd.conf", "unix_sock_admin_perms = 0770");
        assert_result(result(&e, 1), STATUS_PASS, "/etc/libvirt/virtproxyd.conf", "default 0700");

        /* unix rw socket: auth polkit passes whatever the mode; none needs no o+rwx */
        set(&e, "libvirtd.conf:auth_unix_rw", "none");
        set(&e, "libvirtd.conf:unix_sock_rw_perms", "0777");
        assert_int_equal(env_run(&e, "libvirtd.unix-rw-socket-restricted"), 1);
        assert_result(result(&e, 2), STATUS_FAIL, "/etc/libvirt/libvirtd.conf",
                      "auth_unix_rw = none; unix_sock_rw_perms = 0777: every local user");

        /* audit: level 1 needs the host's audit */
        set(&e, "libvirtd.conf:audit_level", "1");
        set(&e, "kconfig:CONFIG_AUDIT", "y");
        set(&e, "cmdline:audit", NULL);
        set(&e, "unit:auditd.service", "enabled");
        set(&e, "unit:systemd-journald-audit.socket", NULL);
        assert_int_equal(env_run(&e, "libvirtd.audit-enabled"), 1);
        assert_result(result(&e, 3), STATUS_PASS, "/etc/libvirt/libvirtd.conf", "audit_level = 1; host audit on");

        /* SASL: only a listener that uses it counts */
        set(&e, "unit:libvirtd-tcp.socket", "enabled");
        set(&e, "unit:libvirtd-tls.socket", "disabled");
        set(&e, "libvirtd.conf:listen_tls", "0");
        set(&e, "libvirtd.conf:auth_tcp", NULL);
        set(&e, "libvirtd.conf:auth_tls", NULL);
        set(&e, "unit:virtproxyd-tcp.socket", NULL);
        set(&e, "unit:virtproxyd-tls.socket", NULL);
        set(&e, "virtproxyd.conf:listen_tcp", NULL);
        set(&e, "virtproxyd.conf:listen_tls", NULL);
        set(&e, "virtproxyd.conf:auth_tcp", NULL);
        set(&e, "virtproxyd.conf:auth_tls", NULL);
        set(&e, "sasl:libvirt.mech_list", "scram-sha-256 digest-md5");
        assert_int_equal(env_run(&e, "libvirtd.sasl-mech-strong"), 2);
        assert_result(result(&e, 4), STATUS_FAIL, "/etc/libvirt/libvirtd.conf", "weak: digest-md5");
        assert_result(result(&e, 5), STATUS_SKIP, "/etc/libvirt/virtproxyd.conf", "no active listener uses SASL");
        env_done(&e);
}

/* Declared inputs: a check reads only what its "fact =" lines (and its
 * scope's objects) cover; anything else is an error naming the key. */
static void
test_declared_inputs(void **state)
{
        Env e;
        const Check *c;

        (void) state;
        env_init(&e);
        env_load(&e, HEAD("hw.partial", "hw") "fact = cpu:vendor\nevaluator = memory-encryption\nexpected = e\n"
                     SCOPED("seccomp.p", "seccomp", "process") "fact = process:@/nonewprivs\nexpect = eq 1\n"
                     SCOPED("libvirtd.d", "libvirtd", "daemon")
                     "fact = daemonconf:@/x\nexpect = present\nparam = daemons virtproxyd\n"
                     HEAD("kernel.glob", "kernel") "fact = seccomp:*/table\nfact = kconfig:CONFIG_X\nexpect = kconfig:CONFIG_X eq y\n");
        set(&e, "cpu:vendor", "GenuineIntel");
        set(&e, "cpu:flags", "fpu sev");
        set(&e, "kvmparam:kvm_amd.sev", "Y");
        assert_int_equal(env_run(&e, "hw.partial"), 1);
        assert_result(result(&e, 0), STATUS_ERROR, "host",
                      "check bug: reads cpu:flags, kvmparam:kvm_amd.sev, not declared by a \"fact =\" line of t.check:1");

        c = catalog_find(&e.cat, "seccomp.p");
        assert_true(check_declares(c, "process:4242/nonewprivs"));
        assert_true(check_declares(c, "qemu:pids"));          /* the scope's objects */
        assert_true(check_declares(c, "process:4242/uuid"));
        assert_false(check_declares(c, "process:4242/uid"));
        assert_false(check_declares(c, "libvirt:domains"));
        c = catalog_find(&e.cat, "libvirtd.d");
        assert_true(check_declares(c, "daemonconf:virtproxyd/x"));
        assert_true(check_declares(c, "meta:virtproxyd.conf"));
        assert_true(check_declares(c, "stat:/usr/sbin/virtproxyd"));
        assert_false(check_declares(c, "meta:libvirtd.conf"));
        c = catalog_find(&e.cat, "kernel.glob");
        assert_true(check_declares(c, "seccomp:12/table"));
        assert_false(check_declares(c, "seccomp:12/filters"));
        assert_true(check_declares(c, "kconfig:CONFIG_X"));
        assert_false(check_declares(c, "kconfig:CONFIG_XY"));
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
                cmocka_unit_test(test_three_valued),
                cmocka_unit_test(test_undecided_skip_errors),
                cmocka_unit_test(test_undecided_reason_is_the_deciding_fact),
                cmocka_unit_test(test_facts_file_semantics),
                cmocka_unit_test(test_non_integer),
                cmocka_unit_test(test_list_facts),
                cmocka_unit_test(test_split),
                cmocka_unit_test(test_observed_kept),
                cmocka_unit_test(test_eval_dev_world_writable),
                cmocka_unit_test(test_eval_vfio_nodes),
                cmocka_unit_test(test_eval_kvm_node_owner),
                cmocka_unit_test(test_eval_ip_forward),
                cmocka_unit_test(test_eval_cpu_vulnerabilities_other),
                cmocka_unit_test(test_eval_cpu_vulnerabilities_other_list_error),
                cmocka_unit_test(test_eval_memory_encryption),
                cmocka_unit_test(test_eval_static_label_persistent),
                cmocka_unit_test(test_evaluator_table_covered),
                cmocka_unit_test(test_evaluator_error_facts),
                cmocka_unit_test(test_fact_key_for_object),
                cmocka_unit_test(test_list_operators),
                cmocka_unit_test(test_list_operator_evidence),
                cmocka_unit_test(test_term_evidence),
                cmocka_unit_test(test_scope_process),
                cmocka_unit_test(test_scope_applies),
                cmocka_unit_test(test_scope_domain),
                cmocka_unit_test(test_scope_daemon),
                cmocka_unit_test(test_judge_table),
                cmocka_unit_test(test_judge_qemu_user_not_root),
                cmocka_unit_test(test_derived_process_ids_caps),
                cmocka_unit_test(test_derived_process_sandbox),
                cmocka_unit_test(test_derived_process_domain),
                cmocka_unit_test(test_shipped_process_checks),
                cmocka_unit_test(test_derived_not_in_facts_file),
                cmocka_unit_test(test_daemonconf_listener),
                cmocka_unit_test(test_daemonconf_keys),
                cmocka_unit_test(test_shipped_daemon_checks),
                cmocka_unit_test(test_daemon_judges),
                cmocka_unit_test(test_declared_inputs),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
