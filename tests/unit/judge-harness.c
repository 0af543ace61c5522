/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The harness of the test-judges-*.c tables: see judge-harness.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "cli.h"
#include "judge-harness.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

static Catalog catalog;

int
judge_setup(void **state)
{
        (void) state;
        /* the catalogue as "kvmaudit scan" loads it: embedded, no --checks */
        return cli_load_catalog(NULL, &catalog) < 0 ? -1 : 0;
}

int
judge_teardown(void **state)
{
        (void) state;
        catalog_done(&catalog);
        return 0;
}

static bool
trace(void)
{
        const char *e = getenv("KVMAUDIT_JUDGE_TRACE");

        return e && streq(e, "1");
}

static const FactNamespace *
namespace_of(const char *key)
{
        size_t n = strcspn(key, ":");

        for (size_t i = 0; i < probe_namespaces_count; i++)
                if (strlen(probe_namespaces[i].name) == n && strneq(probe_namespaces[i].name, key, n))
                        return &probe_namespaces[i];
        return NULL;
}

static int
errno_from_name(const char *name, size_t len)
{
        for (int e = 1; e < 200; e++) {
                const char *s = strerrorname_np(e);

                if (s && strlen(s) == len && strneq(s, name, len))
                        return e;
        }
        return 0;
}

/* "chr 10:232 0660 0:993 acl=user:1000:rw-,mask::rw-" */
static int
parse_stat(const char *v, Fact *ret)
{
        static const struct {
                const char *name;
                mode_t type;
        } types[] = {
                {"reg", S_IFREG}, {"dir", S_IFDIR}, {"chr", S_IFCHR}, {"blk", S_IFBLK},
                {"lnk", S_IFLNK}, {"fifo", S_IFIFO}, {"sock", S_IFSOCK},
        };
        Fact f = {.kind = FACT_STAT};
        char type[8], acl[256] = "";
        unsigned mode, n = 0;
        int k;

        if (sscanf(v, "%7s %n", type, &k) != 1)
                return -EINVAL;
        v += k;
        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (streq(type, types[i].name))
                        f.stat.mode = types[i].type;
        if (!f.stat.mode)
                return -EINVAL;
        if (S_ISCHR(f.stat.mode) || S_ISBLK(f.stat.mode)) {
                if (sscanf(v, "%u:%u %n", &f.stat.major, &f.stat.minor, &k) != 2)
                        return -EINVAL;
                v += k;
        }
        if (sscanf(v, "%o %u:%u%n", &mode, &f.stat.uid, &f.stat.gid, &k) != 3 || mode > 07777)
                return -EINVAL;
        v += k;
        f.stat.mode |= mode;
        if (sscanf(v, " acl=%255s%n", acl, &k) == 1) {
                v += k;
                for (char *p = acl, *e; *p; p = e + !!*e) {
                        e = p + strcspn(p, ",");
                        _cleanup_free_ char *item = strndup(p, (size_t) (e - p));

                        if (!item || strv_extend(&f.stat.acl, item) < 0)
                                return -ENOMEM;
                        n++;
                }
        }
        if (*v) {
                fact_done(&f);
                return -EINVAL;
        }
        *ret = f;
        return 0;
}

/* As "scan --facts" holds a facts file to what the probes record: a key
 * some probe writes, a value of a kind its rule allows (absent and errors
 * always are), no LF where the probe cuts values out of a line. */
static int
check_shape(FactStore *s, const char *line, const char *key, char **ret_error)
{
        const Fact *f = fact_store_peek(s, key);
        const FactRule *rule;
        bool any;

        if (!fact_key_valid(key)) {
                *ret_error = xasprintf("fact line \"%s\": invalid fact key", line);
                return -EINVAL;
        }
        rule = fact_store_rule(s, key, &any);
        if (!rule && !any) {
                *ret_error = xasprintf("fact line \"%s\": no probe records such a key", line);
                return -EINVAL;
        }
        if (!rule || !f || f->kind == FACT_ABSENT || f->kind == FACT_ERROR)
                return 0;
        if (!(rule->kinds & (1u << f->kind))) {
                *ret_error = xasprintf("fact line \"%s\": a %s, which its probe never records", line,
                                       fact_kind_to_string(f->kind));
                return -EINVAL;
        }
        if ((rule->flags & FACT_RULE_ONE_LINE) && f->kind == FACT_STRING && strchr(f->string, '\n')) {
                *ret_error = xasprintf("fact line \"%s\": a line break in a one-line value", line);
                return -EINVAL;
        }
        return 0;
}

/* Applies one fact line of a row (syntax in judge-harness.h). */
static int
apply_fact(FactStore *s, const char *line, char **ret_error)
{
        const char *eq = strchr(line, '=');
        _cleanup_free_ char *key = NULL;
        const FactNamespace *ns;
        int r;

        if (line[0] == '+')
                return fact_store_mark_complete(s, line + 1);
        if (line[0] == '-') {
                key = strdup(line + 1);
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_absent(s, key);
        } else if (!eq || eq == line) {
                *ret_error = xasprintf("fact line \"%s\": no KEY=VALUE", line);
                return -EINVAL;
        } else if (eq - line >= 2 && strneq(eq - 2, "[]", 2)) {
                Fact f = {.kind = FACT_LIST, .list = calloc(1, sizeof(char *))};

                key = strndup(line, (size_t) (eq - 2 - line));
                if (!key || !f.list)
                        return -ENOMEM;
                for (const char *p = eq + 1, *e; *p; p = e + !!*e) {
                        e = p + strcspn(p, "|");
                        _cleanup_free_ char *item = strndup(p, (size_t) (e - p));

                        if (!item || strv_extend(&f.list, item) < 0) {
                                fact_done(&f);
                                return -ENOMEM;
                        }
                }
                r = fact_store_put(s, key, &f);
        } else if (eq[-1] == '@') {
                Fact f;

                key = strndup(line, (size_t) (eq - 1 - line));
                if (!key)
                        return -ENOMEM;
                r = parse_stat(eq + 1, &f);
                if (r < 0) {
                        *ret_error = xasprintf("fact line \"%s\": want TYPE [MAJ:MIN] MODE UID:GID [acl=E,E]",
                                               line);
                        return r;
                }
                r = fact_store_put(s, key, &f);
        } else if (eq[-1] == '!') {
                size_t n = strcspn(eq + 1, " ");
                int e = errno_from_name(eq + 1, n);

                if (e == 0) {
                        *ret_error = xasprintf("fact line \"%s\": \"%.*s\" is no errno name", line, (int) n, eq + 1);
                        return -EINVAL;
                }
                key = strndup(line, (size_t) (eq - 1 - line));
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_error(s, key, -e, "%s", eq[1 + n] ? eq + 2 + n : strerror(e));
        } else {
                key = strndup(line, (size_t) (eq - line));
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_string(s, key, eq + 1);
        }
        if (r < 0) {
                *ret_error = xasprintf("fact line \"%s\": %s", line, strerror(-r));
                return r;
        }
        r = check_shape(s, line, key, ret_error);
        if (r < 0)
                return r;
        /* as a facts file records it: a namespace loaded whole is complete */
        ns = namespace_of(key);
        if (!ns) {
                *ret_error = xasprintf("fact line \"%s\": unknown namespace", line);
                return -EINVAL;
        }
        if (ns->load_all)
                return fact_store_mark_complete(s, ns->name);
        return 0;
}

static bool
row_sets(const JudgeCase *c, const char *key)
{
        for (size_t i = 0; i < JUDGE_FACTS_MAX && c->facts[i]; i++) {
                const char *l = c->facts[i] + (c->facts[i][0] == '-' || c->facts[i][0] == '+');
                size_t n = strlen(key);

                if (strneq(l, key, n) && (l[n] == '=' || l[n] == '[' || l[n] == '@' || l[n] == '!' || !l[n]))
                        return true;
        }
        return false;
}

static void
print_results(const JudgeCase *c, const Results *res, FactStore *s)
{
        _cleanup_strv_free_ char **keys = NULL;

        for (size_t i = 0; i < res->n; i++)
                print_message("    got %s %s \"%s\"\n", status_to_string(res->v[i].status), res->v[i].subject,
                              res->v[i].observed);
        if (fact_store_keys(s, &keys) < 0)
                return;
        STRV_FOREACH(k, keys) {
                _cleanup_free_ char *d = NULL;

                if (row_sets(c, *k))
                        continue;
                d = fact_describe(fact_store_peek(s, *k));
                print_message("    read %s (not in the row): %s\n", *k, strna(d));
        }
}

static bool
want_matches(const JudgeWant *w, const Result *r)
{
        return r->status == w->status && streq(r->subject, w->subject) &&
               (!w->observed || (r->observed && strstr(r->observed, w->observed)));
}

/* Returns true when the row passes. */
static bool
run_one(const JudgeCase *c)
{
        _cleanup_(fact_store_freep) FactStore *s = NULL;
        _cleanup_free_ char *err = NULL;
        Results res = {};
        bool used[64] = {}, ok = true;
        const Check *check;
        size_t n_want = 0;
        int r;

        check = catalog_find(&catalog, c->check);
        if (!check) {
                print_error("%s [%s]: no such check in the catalogue\n", c->check, c->branch);
                return false;
        }
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        for (size_t i = 0; i < JUDGE_FACTS_MAX && c->facts[i]; i++) {
                r = apply_fact(s, c->facts[i], &err);
                if (r < 0) {
                        print_error("%s [%s]: %s\n", c->check, c->branch, err ? err : strerror(-r));
                        return false;
                }
        }
        r = check_evaluate(check, &catalog, s, &res);
        if (r < 0) {
                print_error("%s [%s]: evaluation failed: %s\n", c->check, c->branch, strerror(-r));
                results_done(&res);
                return false;
        }
        while (n_want < JUDGE_WANT_MAX && c->want[n_want].subject)
                n_want++;
        if (res.n > ELEMENTSOF(used))
                ok = false;
        for (size_t w = 0; ok && w < n_want; w++) {
                bool found = false;

                for (size_t i = 0; i < res.n && !found; i++)
                        if (!used[i] && want_matches(&c->want[w], &res.v[i]))
                                used[i] = found = true;
                if (!found) {
                        print_error("%s [%s]: no result %s %s \"%s\"\n", c->check, c->branch,
                                    status_to_string(c->want[w].status), c->want[w].subject,
                                    strna(c->want[w].observed));
                        ok = false;
                }
        }
        if (ok && res.n != n_want) {
                print_error("%s [%s]: %zu results, the row wants %zu\n", c->check, c->branch, res.n, n_want);
                ok = false;
        }
        if (!ok || trace()) {
                if (ok)
                        print_message("%s [%s]:%s%s\n", c->check, c->branch, c->known_bug ? " known bug: " : "",
                                      c->known_bug ? c->known_bug : "");
                print_results(c, &res, s);
        }
        results_done(&res);
        return ok;
}

size_t
judge_run(const JudgeCase *cases, size_t n)
{
        size_t failed = 0, bugs = 0;

        for (size_t i = 0; i < n; i++) {
                failed += !run_one(&cases[i]);
                bugs += !!cases[i].known_bug;
        }
        print_message("judge rows: %zu, %zu failed, %zu assert a known bug\n", n, failed, bugs);
        return failed;
}

/* @data: the checks of @categories that are data (conditions, no C);
 * else those with C (a whole-check evaluator or a judge of one object). */
static size_t
coverage(const JudgeCase *cases, size_t n, const char *const *categories, bool data)
{
        size_t missing = 0;

        for (size_t i = 0; i < catalog.n_checks; i++) {
                const Check *c = &catalog.checks[i];
                bool pass = false, fail = false, other = false, mine = false;

                for (const char *const *cat = categories; *cat; cat++)
                        mine = mine || streq(c->category, *cat);
                if (!mine || data == (c->evaluator || c->judge))
                        continue;
                for (size_t j = 0; j < n; j++) {
                        if (!streq(cases[j].check, c->id))
                                continue;
                        for (size_t w = 0; w < JUDGE_WANT_MAX && cases[j].want[w].subject; w++) {
                                Status s = cases[j].want[w].status;

                                pass = pass || s == STATUS_PASS;
                                fail = fail || s == STATUS_FAIL;
                                other = other || s == STATUS_SKIP || s == STATUS_ERROR;
                        }
                }
                if (!pass || !fail || !other) {
                        print_error("%s: %s without a %s row\n", c->id, data ? "data check" : "C judge",
                                    !pass ? "pass" : !fail ? "fail" : "skip or error");
                        missing++;
                }
        }
        return missing;
}

size_t
judge_coverage(const JudgeCase *cases, size_t n, const char *const *categories)
{
        return coverage(cases, n, categories, false);
}

size_t
judge_coverage_data(const JudgeCase *cases, size_t n, const char *const *categories)
{
        return coverage(cases, n, categories, true);
}
