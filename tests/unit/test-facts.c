/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the fact store (src/facts/facts.c) with a fake namespace
 * table, and of the facts file (src/facts/facts-json.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "facts-json.h"
#include "facts.h"
#include "strv.h"
#include "util.h"

/* The store only passes the host through to the loaders. */
static int fake_host_object;
#define FAKE_HOST ((Host *) &fake_host_object)

static unsigned alpha_loads, beta_loads, beta_loads_a, gamma_loads, eps_loads;

static int
alpha_load_all(FactStore *s, Host *h)
{
        Fact f = {.kind = FACT_LIST};

        assert_ptr_equal(h, FAKE_HOST);
        alpha_loads++;
        assert_int_equal(fact_store_set_string(s, "alpha:x", "1"), 0);
        assert_int_equal(fact_store_set_string(s, "alpha:xy", "2"), 0);
        assert_int_equal(fact_store_set_string(s, "alpha:y", "3"), 0);
        assert_int_equal(fact_store_set_absent(s, "alpha:xgone"), 0);
        assert_int_equal(strv_extend(&f.list, "a"), 0);
        assert_int_equal(fact_store_put(s, "alpha:list", &f), 0);
        return 0;
}

static int
beta_load_one(FactStore *s, Host *h, const char *name)
{
        assert_ptr_equal(h, FAKE_HOST);
        beta_loads++;
        if (streq(name, "a"))
                beta_loads_a++;
        if (streq(name, "missing"))
                return 0;     /* nothing recorded: absent */
        if (streq(name, "denied"))
                return -EACCES; /* nothing recorded: that error */
        if (streq(name, "chain"))
                (void) fact_store_get(s, "alpha:y"); /* a probe's own read */
        char key[64];

        snprintf(key, sizeof(key), "beta:%s", name);
        return fact_store_set_string(s, key, name);
}

static int
gamma_load_all(FactStore *s, Host *h)
{
        (void) h;
        gamma_loads++;
        return fact_store_fail_namespace(s, "gamma", -EIO, "gamma: the source broke");
}

static int
eps_load_all(FactStore *s, Host *h)
{
        (void) s;
        (void) h;
        eps_loads++;
        return -EACCES;
}

/* zeta: a namespace held to rules, as the probes' are */
static const FactRule zeta_rules[] = {
        {"list*", FACT_RULE_LIST, 0},
        {"text*", FACT_RULE_STRING, 0},
        {"s*", FACT_RULE_STRING, FACT_RULE_ONE_LINE},
        {NULL, 0, 0},
};

/* theta: derived from alpha, beta and delta facts, as vm: is from domain: */
static const FactRule theta_rules[] = {
        {"*", FACT_RULE_STRING, FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

static int
theta_derive(FactStore *s, const char *name)
{
        char key[64];

        (void) fact_store_get(s, "alpha:x");
        (void) fact_store_get(s, "beta:chain");
        (void) fact_store_peek(s, "delta:p");
        (void) fact_store_peek(s, "delta:none");
        snprintf(key, sizeof(key), "theta:%s", name);
        return fact_store_set_string(s, key, "derived") < 0 ? -ENOMEM : 1;
}

static const FactNamespace fake_namespaces[] = {
        {"alpha", alpha_load_all, NULL, NULL, NULL},
        {"beta", NULL, beta_load_one, NULL, NULL},
        {"delta", NULL, NULL, NULL, NULL},
        {"eps", eps_load_all, NULL, NULL, NULL},
        {"gamma", gamma_load_all, NULL, NULL, NULL},
        {"theta", NULL, NULL, NULL, theta_rules, theta_derive},
        {"zeta", NULL, NULL, NULL, zeta_rules},
};

static void
reset_counters(void)
{
        alpha_loads = beta_loads = beta_loads_a = gamma_loads = eps_loads = 0;
}

static FactStore *
new_store(Host *h)
{
        FactStore *s = NULL;

        reset_counters();
        assert_int_equal(fact_store_new(h, fake_namespaces, ELEMENTSOF(fake_namespaces), &s), 0);
        return s;
}

static void
test_put_get_overwrite(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(NULL);
        const Fact *f;
        Fact l = {.kind = FACT_LIST};
        char key[32];

        (void) state;
        assert_ptr_equal(fact_store_host(s), NULL);
        assert_int_equal(fact_store_set_string(s, "delta:a", "one"), 0);
        f = fact_store_get(s, "delta:a");
        assert_int_equal(f->kind, FACT_STRING);
        assert_string_equal(f->string, "one");
        assert_ptr_equal(fact_store_get2(s, "delta", "a"), f);

        /* overwrite with another kind: the old value is freed (ASan) */
        assert_int_equal(strv_extend(&l.list, "x"), 0);
        assert_int_equal(strv_extend(&l.list, "y"), 0);
        assert_int_equal(fact_store_put(s, "delta:a", &l), 0);
        assert_null(l.list); /* ownership taken */
        f = fact_store_get(s, "delta:a");
        assert_int_equal(f->kind, FACT_LIST);
        assert_int_equal(strv_length(f->list), 2);
        assert_null(f->string);
        assert_int_equal(fact_store_set_absent(s, "delta:a"), 0);
        assert_int_equal(fact_store_get(s, "delta:a")->kind, FACT_ABSENT);
        assert_int_equal(fact_store_set_error(s, "delta:a", EACCES, "delta:a: %s", "denied"), 0);
        f = fact_store_get(s, "delta:a");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EACCES); /* sign normalized */
        assert_string_equal(f->string, "delta:a: denied");

        /* enough keys to grow the table several times */
        for (unsigned i = 0; i < 2000; i++) {
                snprintf(key, sizeof(key), "delta:k%u", i);
                assert_int_equal(fact_store_set_string(s, key, key + 6), 0);
        }
        for (unsigned i = 0; i < 2000; i++) {
                snprintf(key, sizeof(key), "delta:k%u", i);
                f = fact_store_get(s, key);
                assert_int_equal(f->kind, FACT_STRING);
                assert_string_equal(f->string, key + 6);
        }
        char **keys = NULL;
        assert_int_equal(fact_store_keys(s, &keys), 0);
        assert_int_equal(strv_length(keys), 2001);
        assert_string_equal(keys[0], "delta:a"); /* sorted */
        strv_free(keys);
}

static void
test_lazy_load(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(FAKE_HOST);
        const Fact *f;

        (void) state;
        assert_ptr_equal(fact_store_host(s), FAKE_HOST);
        assert_int_equal(alpha_loads, 0); /* nothing before first use */

        f = fact_store_get(s, "alpha:x");
        assert_int_equal(f->kind, FACT_STRING);
        assert_string_equal(f->string, "1");
        assert_int_equal(alpha_loads, 1);
        assert_string_equal(fact_store_get(s, "alpha:y")->string, "3");
        /* a key load_all did not record is absent, and load_all is not rerun */
        assert_int_equal(fact_store_get(s, "alpha:nope")->kind, FACT_ABSENT);
        assert_int_equal(fact_store_get(s, "alpha:nope2")->kind, FACT_ABSENT);
        assert_int_equal(alpha_loads, 1);
        assert_true(fact_store_namespace_loaded(s, "alpha"));
        assert_false(fact_store_namespace_loaded(s, "beta"));

        /* load_one per key, cached */
        assert_string_equal(fact_store_get(s, "beta:a")->string, "a");
        assert_string_equal(fact_store_get(s, "beta:a")->string, "a");
        assert_int_equal(beta_loads_a, 1);
        assert_string_equal(fact_store_get(s, "beta:b")->string, "b");
        assert_int_equal(beta_loads, 2);
        assert_int_equal(fact_store_get(s, "beta:missing")->kind, FACT_ABSENT);
        f = fact_store_get(s, "beta:denied");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EACCES);
        assert_non_null(strstr(f->string, "beta:denied"));
        assert_int_equal(fact_store_get(s, "beta:denied")->kind, FACT_ERROR);
        assert_int_equal(beta_loads, 4);

        /* neither loader: absent */
        assert_int_equal(fact_store_get(s, "delta:z")->kind, FACT_ABSENT);

        /* unknown namespace and malformed keys are errors, never a crash */
        f = fact_store_get(s, "nosuch:x");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EINVAL);
        assert_int_equal(fact_store_get(s, "nocolon")->kind, FACT_ERROR);
        assert_false(fact_namespace_known(fake_namespaces, ELEMENTSOF(fake_namespaces), "alph:x"));
        assert_true(fact_namespace_known(fake_namespaces, ELEMENTSOF(fake_namespaces), "alpha:x"));
        assert_false(fact_namespace_known(fake_namespaces, ELEMENTSOF(fake_namespaces), "alpha"));
}

static void
test_list(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(FAKE_HOST);
        char **l = NULL;
        _cleanup_free_ char *j = NULL;

        (void) state;
        /* loads the namespace first; absent keys are not listed */
        assert_int_equal(fact_store_list(s, "alpha", "", &l), 0);
        assert_int_equal(alpha_loads, 1);
        j = strv_join(l, " ");
        assert_string_equal(j, "alpha:list alpha:x alpha:xy alpha:y");
        strv_free(l);
        free(j);
        assert_int_equal(fact_store_list(s, "alpha", "x", &l), 0);
        j = strv_join(l, " ");
        assert_string_equal(j, "alpha:x alpha:xy");
        strv_free(l);
        assert_int_equal(fact_store_list(s, "alpha", NULL, &l), 0);
        assert_int_equal(strv_length(l), 4);
        strv_free(l);
        assert_int_equal(fact_store_list(s, "alpha", "zzz", &l), 0);
        assert_non_null(l);
        assert_null(l[0]);
        strv_free(l);
        assert_int_equal(alpha_loads, 1);
        /* only that namespace */
        assert_string_equal(fact_store_get(s, "beta:alpha")->string, "alpha");
        assert_int_equal(fact_store_list(s, "beta", "", &l), 0);
        assert_int_equal(strv_length(l), 1);
        assert_string_equal(l[0], "beta:alpha");
        strv_free(l);
        l = NULL;
        assert_int_equal(fact_store_list(s, "nosuch", "", &l), -EINVAL);
        assert_null(l);
}

static void
test_namespace_failure(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(FAKE_HOST);
        _cleanup_(fact_store_freep) FactStore *t = NULL;
        const Fact *f;
        char **l = NULL;

        (void) state;
        /* recorded by the probe */
        f = fact_store_get(s, "gamma:anything");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EIO);
        assert_string_equal(f->string, "gamma: the source broke");
        f = fact_store_get(s, "gamma:other");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EIO);
        assert_int_equal(gamma_loads, 1);
        assert_int_equal(fact_store_list(s, "gamma", "", &l), -EIO);
        assert_null(l);
        assert_false(fact_store_namespace_loaded(s, "gamma"));

        /* returned by load_all: the store words it */
        f = fact_store_get(s, "eps:x");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EACCES);
        assert_string_equal(f->string, "eps facts could not be read: Permission denied");
        assert_int_equal(fact_store_get(s, "eps:y")->error, -EACCES);
        assert_int_equal(eps_loads, 1);

        /* marked by hand, as a verb does */
        t = new_store(NULL);
        assert_int_equal(fact_store_fail_namespace(t, "delta", ENOMEDIUM, "no %s", "medium"), 0);
        f = fact_store_get(t, "delta:q");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -ENOMEDIUM);
        assert_string_equal(f->string, "no medium");
        assert_int_equal(fact_store_fail_namespace(t, "nosuch", EIO, "x"), -EINVAL);
}

static void
test_facts_file_mode(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(NULL);
        const Fact *f;

        (void) state;
        /* no host: nothing loads; a namespace without any key in the file
         * was not collected (an older kvmaudit): skip class; a key missing
         * beside others of its namespace is an error */
        f = fact_store_get(s, "alpha:x");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EOPNOTSUPP);
        assert_non_null(strstr(f->string, "not in this facts file: collected by an older kvmaudit"));
        {
                _cleanup_(fact_store_freep) FactStore *t = new_store(NULL);

                assert_int_equal(fact_store_set_string(t, "alpha:y", "1"), 0);
                f = fact_store_get(t, "alpha:x");
                assert_int_equal(f->kind, FACT_ERROR);
                assert_int_equal(f->error, -ENODATA);
                assert_non_null(strstr(f->string, "not in the facts file"));
        }
        assert_int_equal(alpha_loads, 0);
        assert_int_equal(fact_store_get(s, "beta:a")->kind, FACT_ERROR);
        assert_int_equal(beta_loads, 0);
        /* complete: missing keys are absent */
        assert_int_equal(fact_store_mark_complete(s, "beta"), 0);
        assert_int_equal(fact_store_get(s, "beta:b")->kind, FACT_ABSENT);
        assert_int_equal(fact_store_mark_complete(s, "nosuch"), -EINVAL);
}

static void
test_key_valid_and_describe(void **state)
{
        static const char *const good[] = {
                "kconfig:CONFIG_KVM", "stat:/dev/kvm", "qemu.conf:user", "a-b_c.d9:x y", "cpuvuln:*",
        };
        static const char *const bad[] = {
                "", "kconfig", "kconfig:", ":x", "Kconfig:X", "1abc:x", "a b:x", "k/x:y",
                "kconfig:a\nb", "kconfig:\x7f",
        };
        Fact st = {.kind = FACT_STAT, .stat = {.mode = S_IFCHR | 0660, .uid = 0, .gid = 36, .major = 10, .minor = 232}};
        Fact reg = {.kind = FACT_STAT, .stat = {.mode = S_IFREG | 04755, .uid = 0, .gid = 0}};
        Fact ab = {.kind = FACT_ABSENT}, err = {.kind = FACT_ERROR, .error = -EIO};
        char *d;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                assert_true(fact_key_valid(good[i]));
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                if (fact_key_valid(bad[i]))
                        print_error("accepted \"%s\"\n", bad[i]);
                assert_false(fact_key_valid(bad[i]));
        }
        assert_false(fact_key_valid(NULL));

        d = fact_describe(&st);
        assert_string_equal(d, "chr 10:232 0660 0:36");
        free(d);
        assert_int_equal(strv_extend(&st.stat.acl, "user:1000:rw-"), 0);
        assert_int_equal(strv_extend(&st.stat.acl, "mask::rw-"), 0);
        d = fact_describe(&st);
        assert_string_equal(d, "chr 10:232 0660 0:36 acl=user:1000:rw-,mask::rw-");
        free(d);
        assert_int_equal(fact_stat_acl_named(&st.stat), 1);
        d = fact_describe(&reg);
        assert_string_equal(d, "reg 4755 0:0");
        free(d);
        d = fact_describe(&ab);
        assert_string_equal(d, "(absent)");
        free(d);
        d = fact_describe(&err);
        assert_string_equal(d, "error");
        free(d);
        fact_done(&st);
        assert_int_equal(st.kind, FACT_ABSENT);
        assert_null(st.stat.acl);
        fact_done(NULL);

        assert_string_equal(fact_stat_type(S_IFDIR | 0755), "dir");
        assert_string_equal(fact_stat_type(S_IFSOCK), "sock");
        assert_string_equal(fact_stat_type(0), "unknown");
        assert_string_equal(fact_kind_to_string(FACT_STAT), "stat");
        assert_null(fact_kind_to_string(_FACT_KIND_MAX));
}

static char *
write_json(FactStore *s)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        assert_non_null(f);
        assert_int_equal(facts_write_json(s, "0.1.0", "/", f), 0);
        assert_int_equal(fclose(f), 0);
        return buf;
}

static void
assert_fact_equal(const char *key, const Fact *a, const Fact *b)
{
        if (a->kind != b->kind)
                print_error("%s: kind %s != %s\n", key, fact_kind_to_string(a->kind), fact_kind_to_string(b->kind));
        assert_int_equal(a->kind, b->kind);
        switch (a->kind) {
        case FACT_STRING:
                assert_string_equal(a->string, b->string);
                break;
        case FACT_LIST: {
                _cleanup_free_ char *x = strv_join(a->list, "\n"), *y = strv_join(b->list, "\n");
                assert_int_equal(strv_length(a->list), strv_length(b->list));
                assert_string_equal(x, y);
                break;
        }
        case FACT_STAT: {
                _cleanup_free_ char *x = strv_join(a->stat.acl, ","), *y = strv_join(b->stat.acl, ",");
                assert_int_equal(a->stat.mode, b->stat.mode);
                assert_int_equal(a->stat.uid, b->stat.uid);
                assert_int_equal(a->stat.gid, b->stat.gid);
                assert_int_equal(a->stat.major, b->stat.major);
                assert_int_equal(a->stat.minor, b->stat.minor);
                assert_string_equal(x, y);
                break;
        }
        case FACT_ERROR:
                assert_int_equal(a->error, b->error);
                assert_string_equal(a->string, b->string);
                break;
        default:
                break;
        }
}

static void
test_json_round_trip(void **state)
{
        _cleanup_(fact_store_freep) FactStore *a = new_store(NULL), *b = NULL;
        _cleanup_free_ char *text = NULL, *text2 = NULL, *err = NULL;
        _cleanup_strv_free_ char **ka = NULL, **kb = NULL;
        Fact list = {.kind = FACT_LIST}, empty = {.kind = FACT_LIST, .list = calloc(1, sizeof(char *))};
        Fact kvm = {.kind = FACT_STAT,
                    .stat = {.mode = S_IFCHR | 0660, .uid = 0, .gid = 36, .major = 10, .minor = 232}};
        Fact su = {.kind = FACT_STAT, .stat = {.mode = S_IFREG | 04755, .uid = 4294967294u, .gid = 7}};
        Fact disk = {.kind = FACT_STAT, .stat = {.mode = S_IFBLK | 0640, .gid = 6, .major = 259, .minor = 1048575}};

        (void) state;
        assert_int_equal(fact_store_set_string(a, "alpha:x", "1"), 0);
        assert_int_equal(fact_store_set_string(a, "alpha:quote", "\"q\" \\ / \t\n\x01 caf\xc3\xa9"), 0);
        assert_int_equal(fact_store_set_string(a, "delta:empty", ""), 0);
        assert_int_equal(fact_store_set_absent(a, "alpha:gone"), 0);
        assert_int_equal(strv_extend(&list.list, "forward=nat"), 0);
        assert_int_equal(strv_extend(&list.list, "ip=192.168.122.1/ipv4"), 0);
        assert_int_equal(fact_store_put(a, "beta:net", &list), 0);
        assert_int_equal(fact_store_put(a, "beta:none", &empty), 0);
        assert_int_equal(strv_extend(&kvm.stat.acl, "user:1000:rw-"), 0);
        assert_int_equal(strv_extend(&kvm.stat.acl, "group:36:r--"), 0);
        assert_int_equal(strv_extend(&kvm.stat.acl, "mask::rw-"), 0);
        assert_int_equal(fact_store_put(a, "delta:/dev/kvm", &kvm), 0);
        assert_int_equal(fact_store_put(a, "delta:/usr/bin/su", &su), 0);
        assert_int_equal(fact_store_put(a, "delta:/dev/nvme0n1p1", &disk), 0);
        assert_int_equal(fact_store_set_error(a, "gamma:bad", -EACCES, "gamma:bad: Permission denied"), 0);
        assert_int_equal(fact_store_mark_complete(a, "alpha"), 0);

        text = write_json(a);
        assert_non_null(strstr(text, "\"schema_version\": 1"));

        b = new_store(NULL);
        assert_int_equal(facts_load_json(b, text, "a.json", &err), 0);
        assert_null(err);

        assert_int_equal(fact_store_keys(a, &ka), 0);
        assert_int_equal(fact_store_keys(b, &kb), 0);
        assert_int_equal(strv_length(ka), 10);
        assert_int_equal(strv_length(ka), strv_length(kb));
        for (size_t i = 0; ka[i]; i++) {
                assert_string_equal(ka[i], kb[i]);
                assert_fact_equal(ka[i], fact_store_get(a, ka[i]), fact_store_get(b, kb[i]));
        }
        /* writing the loaded store gives the same file */
        text2 = write_json(b);
        assert_string_equal(text, text2);

        /* "complete" survives: a key never written reads absent in alpha only */
        assert_int_equal(fact_store_get(b, "alpha:never")->kind, FACT_ABSENT);
        assert_int_equal(fact_store_get(b, "beta:never")->kind, FACT_ERROR);
}

static void
assert_load_error(const char *text, int want, const char *want_msg)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(NULL);
        _cleanup_free_ char *err = NULL;
        int r;

        r = facts_load_json(s, text, "f.json", &err);
        if (r != want || !err || !strstr(err, want_msg))
                print_error("%s: got %d \"%s\", want %d \"%s\"\n", text, r, strna(err), want, want_msg);
        assert_int_equal(r, want);
        assert_non_null(err);
        assert_true(startswith(err, "f.json: "));
        assert_non_null(strstr(err, want_msg));
}

#define FACTS(body) "{\"schema_version\": 1, \"facts\": {" body "}}"

static void
test_json_rejects(void **state)
{
        (void) state;
        /* not JSON: the message says where */
        assert_load_error("{\"schema_version\": 1,, }", -EBADMSG, "not valid JSON");
        assert_load_error("{\"schema_version\": 1,, }", -EBADMSG, "(at byte 21)");
        assert_load_error("{\"schema_version\": 1, \"facts\": {", -EBADMSG, "not valid JSON");
        assert_load_error("", -EBADMSG, "not valid JSON");
        assert_load_error("nonsense", -EBADMSG, "(at byte ");
        /* shape */
        assert_load_error("[]", -EBADMSG, "the top level must be an object");
        assert_load_error("{\"facts\": {}}", -EBADMSG, "no integer \"schema_version\"");
        assert_load_error("{\"schema_version\": \"1\", \"facts\": {}}", -EBADMSG, "no integer \"schema_version\"");
        assert_load_error("{\"schema_version\": 2, \"facts\": {}}", -EPROTONOSUPPORT,
                          "facts schema_version 2 is not supported (this kvmaudit reads version 1)");
        assert_load_error("{\"schema_version\": 0}", -EPROTONOSUPPORT, "schema_version 0");
        assert_load_error("{\"schema_version\": 1}", -EBADMSG, "no \"facts\" object");
        assert_load_error("{\"schema_version\": 1, \"facts\": []}", -EBADMSG, "no \"facts\" object");
        assert_load_error("{\"schema_version\": 1, \"facts\": {}, \"complete\": \"alpha\"}", -EBADMSG,
                          "\"complete\" must be a list");
        /* keys */
        assert_load_error(FACTS("\"Bad:key\": \"x\""), -EBADMSG, "invalid fact key \"Bad:key\"");
        assert_load_error(FACTS("\"nocolon\": \"x\""), -EBADMSG, "invalid fact key \"nocolon\"");
        assert_load_error(FACTS("\"alpha:\": \"x\""), -EBADMSG, "invalid fact key");
        /* values */
        assert_load_error(FACTS("\"alpha:x\": 5"), -EBADMSG,
                          "fact \"alpha:x\": values must be null, a string, a list or an object");
        assert_load_error(FACTS("\"alpha:x\": true"), -EBADMSG, "values must be null");
        assert_load_error(FACTS("\"alpha:x\": [\"a\", 1]"), -EBADMSG, "list items must be strings");
        assert_load_error(FACTS("\"alpha:x\": {}"), -EBADMSG, "an object must be");
        assert_load_error(FACTS("\"alpha:x\": {\"error\": \"e\"}"), -EBADMSG, "an object must be");
        assert_load_error(FACTS("\"alpha:x\": {\"error\": \"e\", \"errno\": 0}"), -EBADMSG, "an object must be");
        assert_load_error(FACTS("\"alpha:x\": {\"error\": \"e\", \"errno\": -5}"), -EBADMSG, "an object must be");
        assert_load_error(FACTS("\"alpha:x\": {\"error\": 1, \"errno\": 5}"), -EBADMSG, "an object must be");
        /* stat */
#define STAT(fields) FACTS("\"delta:/dev/kvm\": {\"stat\": {" fields "}}")
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": 0"), -EBADMSG,
                          "stat needs type, mode, uid and gid");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0999\", \"uid\": 0, \"gid\": 0"), -EBADMSG,
                          "stat mode must be an octal string");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": 432, \"uid\": 0, \"gid\": 0"), -EBADMSG,
                          "stat mode must be an octal string");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"rw-rw----\", \"uid\": 0, \"gid\": 0"), -EBADMSG,
                          "stat mode must be an octal string");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"10000\", \"uid\": 0, \"gid\": 0"), -EBADMSG,
                          "stat mode must be an octal string");
        assert_load_error(STAT("\"type\": \"pipe\", \"mode\": \"0660\", \"uid\": 0, \"gid\": 0"), -EBADMSG,
                          "unknown stat type");
        assert_load_error(STAT("\"type\": 2, \"mode\": \"0660\", \"uid\": 0, \"gid\": 0"), -EBADMSG,
                          "unknown stat type");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": -1, \"gid\": 0"), -EBADMSG,
                          "stat uid and gid must be integers in range");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": 0, \"gid\": 4294967296"), -EBADMSG,
                          "stat uid and gid must be integers in range");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": \"0\", \"gid\": 0"), -EBADMSG,
                          "stat uid and gid must be integers in range");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": 0, \"gid\": 0, \"rdev\": \"10-232\""),
                          -EBADMSG, "stat rdev must be");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": 0, \"gid\": 0, \"rdev\": \"10:232x\""),
                          -EBADMSG, "stat rdev must be");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": 0, \"gid\": 0, \"acl\": \"user:1:r\""),
                          -EBADMSG, "stat acl must be an array");
        assert_load_error(STAT("\"type\": \"chr\", \"mode\": \"0660\", \"uid\": 0, \"gid\": 0, \"acl\": [1]"),
                          -EBADMSG, "stat acl entries must be strings");
}

static void
test_json_schema(void **state)
{
        (void) state;
        /* kinds: what the namespace's probe records, nothing else */
        assert_load_error(FACTS("\"zeta:s1\": [\"1\"]"), -EBADMSG,
                          "fact \"zeta:s1\" is a list; its probe records a string");
        assert_load_error(FACTS("\"zeta:list1\": \"a\""), -EBADMSG,
                          "fact \"zeta:list1\" is a string; its probe records a list of strings");
        assert_load_error(FACTS("\"zeta:s1\": {\"stat\": {\"type\": \"chr\", \"mode\": \"0660\", \"uid\": 0, \"gid\": 0}}"),
                          -EBADMSG, "is file metadata; its probe records a string");
        assert_load_error(FACTS("\"zeta:other\": \"a\""), -EBADMSG, "fact \"zeta:other\": no probe records such a key");
        assert_load_error(FACTS("\"omega:x\": \"a\""), -EBADMSG, "fact \"omega:x\": unknown fact namespace");
        /* content: no NUL anywhere, no line breaks in one-line values */
        assert_load_error(FACTS("\"zeta:s1\": \"Not affected\\u0000Vulnerable\""), -EBADMSG,
                          "fact \"zeta:s1\": the string holds a NUL byte");
        assert_load_error(FACTS("\"zeta:list1\": [\"a\", \"b\\u0000\"]"), -EBADMSG, "a list item holds a NUL byte");
        assert_load_error(FACTS("\"zeta:s1\": \"a\\nb\""), -EBADMSG, "the string holds a line break");
        assert_load_error(FACTS("\"zeta:text1\": \"a\\u0000\""), -EBADMSG, "holds a NUL byte");
        assert_load_error(FACTS("\"alpha:x\": \"a\\u0000\""), -EBADMSG, "holds a NUL byte");
        assert_load_error(FACTS("\"zeta:s1\": {\"error\": \"e\\u0000\", \"errno\": 5}"), -EBADMSG,
                          "the error message holds a NUL byte");
        assert_load_error(FACTS("\"zeta:s1\": {\"error\": \"e\", \"errno\": 4096}"), -EBADMSG, "an object must be");
        /* keys: a NUL, or the same key twice (json-c would keep the last) */
        assert_load_error(FACTS("\"zeta:s1\\u0000x\": \"a\""), -EBADMSG, "key \"zeta:s1\\u0000x\" holds a NUL byte");
        assert_load_error(FACTS("\"zeta:s1\": \"1\", \"zeta:s1\": \"0\""), -EBADMSG,
                          "key \"zeta:s1\" appears twice in one object");
        assert_load_error(FACTS("\"zeta:s1\": \"1\", \"zeta:\\u0073\\u0031\": \"0\""), -EBADMSG,
                          "key \"zeta:s1\" appears twice");
        assert_load_error("{\"schema_version\": 1, \"facts\": {}, \"complete\": [\"alpha\", \"nosuch\"]}", -EBADMSG,
                          "\"complete\" item 1 is not a fact namespace");
        assert_load_error("{\"schema_version\": 1, \"facts\": {}, \"complete\": [5]}", -EBADMSG,
                          "\"complete\" item 0 is not a fact namespace");
}

static void
test_json_schema_accepts(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(NULL);
        _cleanup_free_ char *err = NULL;

        (void) state;
        assert_int_equal(facts_load_json(s,
                                         FACTS("\"zeta:s1\": \"4\\t4\\t1\\t7\", \"zeta:list1\": [\"a\"],"
                                               " \"zeta:text1\": \"<a>\\n</a>\\r\\n\", \"zeta:s2\": null,"
                                               " \"zeta:list2\": {\"error\": \"x\", \"errno\": 13},"
                                               " \"nested:x\": null"),
                                         "ok.json", &err),
                         -EBADMSG); /* nested is no namespace */
        free(err);
        err = NULL;
        assert_int_equal(facts_load_json(s,
                                         FACTS("\"zeta:s1\": \"4\\t4\\t1\\t7\", \"zeta:list1\": [\"a\"],"
                                               " \"zeta:text1\": \"<a>\\n</a>\\r\\n\", \"zeta:s2\": null,"
                                               " \"zeta:list2\": {\"error\": \"x\", \"errno\": 13}"),
                                         "ok.json", &err),
                         0);
        assert_null(err);
        assert_string_equal(fact_store_get(s, "zeta:s1")->string, "4\t4\t1\t7");
        assert_int_equal(fact_store_get(s, "zeta:list2")->error, -EACCES);
}

static void
test_json_accepts(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(NULL);
        _cleanup_free_ char *err = NULL;
        const Fact *f;

        (void) state;
        assert_int_equal(facts_load_json(s,
                                         "{\"schema_version\": 1, \"tool\": {\"name\": \"x\"}, \"future\": 1,"
                                         " \"complete\": [\"delta\"],"
                                         " \"facts\": {\"alpha:a\": null, \"alpha:b\": [],"
                                         " \"delta:/dev/kvm\": {\"stat\": {\"type\": \"chr\", \"mode\": \"660\","
                                         " \"uid\": 0, \"gid\": 36, \"rdev\": \"10:232\"}},"
                                         " \"gamma:e\": {\"error\": \"gone wrong\", \"errno\": 5}}}",
                                         "ok.json", &err),
                         0);
        assert_null(err);
        assert_int_equal(fact_store_get(s, "alpha:a")->kind, FACT_ABSENT);
        assert_int_equal(fact_store_get(s, "alpha:b")->kind, FACT_LIST);
        f = fact_store_get(s, "delta:/dev/kvm");
        assert_int_equal(f->kind, FACT_STAT);
        assert_int_equal(f->stat.mode, S_IFCHR | 0660);
        assert_int_equal(f->stat.gid, 36);
        assert_int_equal(f->stat.major, 10);
        assert_int_equal(f->stat.minor, 232);
        assert_null(f->stat.acl);
        f = fact_store_get(s, "gamma:e");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EIO);
        assert_string_equal(f->string, "gone wrong");
        assert_int_equal(fact_store_get(s, "delta:other")->kind, FACT_ABSENT); /* complete */
}

/* Regression test for a fixed bug (src/facts/facts-json.c, facts_load_json()): it never checks
 * that json_tokener_parse_ex() consumed the whole text, so a facts file
 * with garbage after the top-level object loads without complaint. */
static void
test_json_trailing_garbage(void **state)
{
        FactStore *s = new_store(NULL);
        char *err = NULL;
        int r;

        (void) state;
        r = facts_load_json(s, FACTS("\"alpha:x\": \"1\"") " trailing garbage", "g.json", &err);
        fact_store_free(s);
        free(err);
        if (r == 0) {
                print_message("regression: trailing garbage after the JSON object is accepted\n");
                fail();
        }
        assert_int_equal(r, -EBADMSG);
}

/* What a derive hook reads itself is recorded as a source; what a probe
 * reads while loading, what a check reads, and a peek that finds nothing
 * are not. */
static void
test_sources_log(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(FAKE_HOST);
        _cleanup_strv_free_ char **src = NULL;

        (void) state;
        assert_int_equal(fact_store_set_string(s, "delta:p", "peeked"), 0);
        fact_store_sources_start(s);
        assert_int_equal(fact_store_get(s, "alpha:xy")->kind, FACT_STRING);
        assert_string_equal(fact_store_get(s, "theta:v")->string, "derived");
        assert_int_equal(fact_store_get(s, "theta:v")->kind, FACT_STRING); /* cached: read once */
        assert_int_equal(fact_store_sources_stop(s, &src), 0);
        strv_sort(src);
        assert_int_equal(strv_length(src), 3);
        assert_string_equal(src[0], "alpha:x");
        assert_string_equal(src[1], "beta:chain");
        assert_string_equal(src[2], "delta:p");
        assert_true(fact_store_key_derived(s, "theta:v"));
        /* off again: nothing recorded */
        assert_string_equal(fact_store_get(s, "theta:w")->string, "derived");
        fact_store_sources_start(s);
        src = strv_free(src);
        assert_int_equal(fact_store_sources_stop(s, &src), 0);
        assert_null(src[0]);
}

/* A pattern over a namespace that loads whole lists its stored keys; one
 * that fills a key at a time cannot be listed; a failed one lists nothing
 * and says why. */
static void
test_expand(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(FAKE_HOST);
        _cleanup_strv_free_ char **l = NULL, **failed = NULL;
        const char *msg = NULL;

        (void) state;
        assert_int_equal(fact_store_expand(s, "alpha:x*", &l), 0);
        assert_int_equal(alpha_loads, 1);
        assert_int_equal(strv_length(l), 3);
        assert_string_equal(l[0], "alpha:x");
        assert_string_equal(l[1], "alpha:xgone");
        assert_string_equal(l[2], "alpha:xy");
        l = strv_free(l);
        assert_int_equal(fact_store_expand(s, "beta:*", &l), -EOPNOTSUPP);
        assert_int_equal(fact_store_expand(s, "nosuch:*", &l), -EINVAL);
        assert_int_equal(fact_store_expand(s, "gamma:*", &l), 0);
        assert_null(l[0]);
        assert_int_equal(fact_store_namespace_failure(s, "gamma", &msg), -EIO);
        assert_string_equal(msg, "gamma: the source broke");
        assert_int_equal(fact_store_namespace_failure(s, "alpha", NULL), 0);
        assert_int_equal(fact_store_failed_namespaces(s, &failed), 0);
        assert_int_equal(strv_length(failed), 1);
        assert_string_equal(failed[0], "gamma");
}

/* collect writes only the keys it chose: a namespace is "complete" only
 * when all of it is saved, a failed one is recorded and reads back as its
 * error, derived facts are left out. */
static void
test_json_keys(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store(FAKE_HOST);
        _cleanup_(fact_store_freep) FactStore *t = new_store(NULL);
        char *const part[] = {(char *) "alpha:x", (char *) "alpha:xy", (char *) "theta:v", (char *) "beta:a",
                              (char *) "beta:never-read", NULL};
        _cleanup_free_ char *text = NULL, *err = NULL;
        char *buf = NULL;
        size_t len = 0;
        FILE *f;
        const Fact *x;

        (void) state;
        assert_int_equal(fact_store_get(s, "alpha:x")->kind, FACT_STRING);
        assert_int_equal(fact_store_get(s, "beta:a")->kind, FACT_STRING);
        assert_int_equal(fact_store_get(s, "theta:v")->kind, FACT_STRING);
        assert_int_equal(fact_store_get(s, "gamma:q")->kind, FACT_ERROR);
        assert_non_null(f = open_memstream(&buf, &len));
        assert_int_equal(facts_write_json_keys(s, part, "0.1.0", "/", f), 0);
        assert_int_equal(fclose(f), 0);
        text = buf;
        assert_non_null(strstr(text, "\"alpha:x\": \"1\""));
        assert_non_null(strstr(text, "\"beta:a\""));
        assert_null(strstr(text, "alpha:y\""));      /* not chosen */
        assert_null(strstr(text, "theta:v"));         /* derived */
        assert_null(strstr(text, "beta:never-read")); /* never a fact */
        if (!strstr(text, "\"failed\": {\n    \"gamma\": {\n      \"error\": \"gamma: the source broke\",\n      \"errno\": 5\n"))
                print_error("%s\n", text);
        assert_non_null(strstr(text, "\"failed\": {\n    \"gamma\": {\n      \"error\": \"gamma: the source broke\",\n      \"errno\": 5\n"));

        assert_int_equal(facts_load_json(t, text, "part.json", &err), 0);
        x = fact_store_get(t, "alpha:y"); /* cut: the namespace is not complete */
        assert_int_equal(x->kind, FACT_ERROR);
        assert_int_equal(x->error, -ENODATA);
        x = fact_store_get(t, "gamma:other"); /* failed whole: its error */
        assert_int_equal(x->kind, FACT_ERROR);
        assert_int_equal(x->error, -EIO);
        assert_string_equal(x->string, "gamma: the source broke");
        assert_string_equal(fact_store_get(t, "theta:v")->string, "derived"); /* recomputed */

        /* every key of alpha saved: complete */
        {
                _cleanup_strv_free_ char **keys = NULL;
                _cleanup_free_ char *all = NULL, *err2 = NULL;
                _cleanup_(fact_store_freep) FactStore *u = new_store(NULL);

                assert_int_equal(fact_store_keys(s, &keys), 0);
                buf = NULL;
                assert_non_null(f = open_memstream(&buf, &len));
                assert_int_equal(facts_write_json_keys(s, keys, "0.1.0", "/", f), 0);
                assert_int_equal(fclose(f), 0);
                all = buf;
                assert_int_equal(facts_load_json(u, all, "all.json", &err2), 0);
                assert_int_equal(fact_store_get(u, "alpha:nothere")->kind, FACT_ABSENT);
        }
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_put_get_overwrite),
                cmocka_unit_test(test_lazy_load),
                cmocka_unit_test(test_list),
                cmocka_unit_test(test_namespace_failure),
                cmocka_unit_test(test_facts_file_mode),
                cmocka_unit_test(test_key_valid_and_describe),
                cmocka_unit_test(test_json_round_trip),
                cmocka_unit_test(test_json_rejects),
                cmocka_unit_test(test_json_accepts),
                cmocka_unit_test(test_json_trailing_garbage),
                cmocka_unit_test(test_json_schema),
                cmocka_unit_test(test_json_schema_accepts),
                cmocka_unit_test(test_sources_log),
                cmocka_unit_test(test_expand),
                cmocka_unit_test(test_json_keys),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
