/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The derived MAC namespaces (src/probes/probe-derived-mac.c): mac:,
 * proclabel: and domlabel:, computed in a fact store without a host (as
 * from a facts file) from the source facts each row gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "probes.h"
#include "strv.h"
#include "util.h"

#define ROW_FACTS_MAX 8
#define ROW_WANT_MAX 6

/* A source fact: "KEY=VALUE", "KEY[]=A|B" (list), "-KEY" (absent),
 * "KEY!=message" (an EACCES error). */
typedef struct Row {
        const char *what;
        const char *facts[ROW_FACTS_MAX];
        /* "KEY=VALUE" as fact_describe() prints it; "KEY!" an error whose
         * message follows ("KEY!message"); "-KEY" absent */
        const char *want[ROW_WANT_MAX];
} Row;

#define SEL(range) "<seclabel type='static' model='selinux' relabel='yes'><label>system_u:system_r:svirt_t:" range \
        "</label></seclabel>"
#define DOM(name, top) "domain:" name "=<domain type='kvm'><name>" name "</name>" top "<devices/></domain>"

static const Row rows[] = {
        /* mac: */
        {"LSM list names both", {"lsm:active=lockdown,capability,selinux,apparmor"},
         {"mac:active=selinux,apparmor", "mac:decided-by=lsm:active"}},
        {"LSM list without a MAC", {"lsm:active=lockdown,capability,yama"}, {"mac:active=", "mac:decided-by=lsm:active"}},
        {"securityfs not mounted: selinuxfs decides",
         {"-lsm:active", "sysfs:fs/selinux=present", "sysfs:module/apparmor/parameters/enabled=N"},
         {"mac:active=selinux",
          "mac:decided-by=sysfs:fs/selinux and sysfs:module/apparmor/parameters/enabled (securityfs not mounted: no lsm:active)"}},
        {"securityfs not mounted: AppArmor's parameter decides",
         {"-lsm:active", "-sysfs:fs/selinux", "sysfs:module/apparmor/parameters/enabled=Y"}, {"mac:active=apparmor"}},
        {"LSM list unreadable", {"lsm:active!/sys/kernel/security/lsm: Permission denied"},
         {"mac:active!/sys/kernel/security/lsm: Permission denied", "mac:decided-by!/sys/kernel/security/lsm: Permission denied"}},
        {"no LSM list, parameter unreadable",
         {"-lsm:active", "-sysfs:fs/selinux", "sysfs:module/apparmor/parameters/enabled!enabled: Permission denied"},
         {"mac:active!enabled: Permission denied"}},
        {"SELINUX= in any case", {"selinux:config=Enforcing"}, {"mac:selinux-config=enforcing"}},
        {"no /etc/selinux/config", {"-selinux:config"}, {"-mac:selinux-config"}},
        {"unknown mac field", {"-lsm:active"}, {"mac:nosuch!mac:nosuch: no such field of the mac namespace"}},

        /* proclabel: */
        {"SELinux labels, one shared",
         {"qemu:pids[]=1|2|3", "process:1/label=system_u:system_r:svirt_t:s0:c1,c2",
          "process:2/label=system_u:system_r:svirt_t:s0:c3,c4", "process:3/label=unconfined_u:system_r:svirt_t:s0:c1,c2"},
         {"proclabel:1/identity=svirt_t:s0:c1,c2", "proclabel:1/shared-with=3", "proclabel:2/shared-with=",
          "proclabel:3/shared-with=1"}},
        {"AppArmor profiles compared without the mode",
         {"qemu:pids[]=1|2", "process:1/label=libvirt-a (enforce)", "process:2/label=libvirt-a (complain)"},
         {"proclabel:1/identity=libvirt-a", "proclabel:2/shared-with=1"}},
        {"no label, unreadable label",
         {"qemu:pids[]=1|2|3", "-process:1/label", "process:2/label!/proc/2/attr/current: Permission denied",
          "process:3/label=unconfined"},
         {"-proclabel:1/identity", "-proclabel:1/shared-with", "proclabel:2/shared-with!/proc/2/attr/current: Permission denied",
          "proclabel:3/identity=unconfined", "proclabel:3/shared-with="}},

        /* domlabel: */
        {"static pairs, reordered and as a range",
         {"libvirt:domains[]=a|b|c|d", DOM("a", SEL("s0:c1,c2")), DOM("b", SEL("s0:c2,c1")), DOM("c", SEL("s0:c1.c2")),
          DOM("d", SEL("s0:c3,c4"))},
         {"domlabel:a/type=static", "domlabel:a/static-key=selinux s0:c1,c2", "domlabel:a/static-key-shared-with=b,c",
          "domlabel:d/static-key-shared-with=", "domlabel:b/label=system_u:system_r:svirt_t:s0:c2,c1"}},
        {"dynamic, none, no seclabel, no pair, AppArmor",
         {"libvirt:domains[]=a|b|c|d|e|f", DOM("a", "<seclabel type='dynamic' model='selinux'/>"),
          DOM("b", "<seclabel type='none'/>"), DOM("c", "<seclabel type='dynamic' model='dac'/>"),
          DOM("d", SEL("s0")), DOM("e", "<seclabel type='static' model='apparmor'><label>site</label></seclabel>"),
          DOM("f", "<seclabel type='static'><label>site</label></seclabel>")},
         {"domlabel:a/type=dynamic", "domlabel:b/type=none", "-domlabel:c/type", "-domlabel:d/static-key",
          "domlabel:e/static-key-shared-with=f", "domlabel:f/static-key=apparmor site"}},
        {"static MCS: categories, overlaps, problems",
         {"libvirt:domains[]=a|b|c|d|e", DOM("a", SEL("s0:c10,c20")), DOM("b", SEL("s0-s0:c0.c1023")),
          DOM("c", SEL("s0:c20,c30")), DOM("d", SEL("s0:c3.c3")), DOM("e", SEL("s0"))},
         {"domlabel:a/model=selinux", "domlabel:b/static-mcs=c0.c1023",
          "domlabel:a/static-mcs-overlaps=b (s0-s0:c0.c1023) covers them,c (s0:c20,c30) shares c20,e (s0) has no category and lies within them",
          "domlabel:d/static-mcs-problem=a category range \"cN.cM\" needs N < M (the kernel refuses others)", "-domlabel:d/static-mcs", "domlabel:e/static-mcs="}},
        {"an unreadable definition",
         {"libvirt:domains[]=a|b", DOM("a", SEL("s0:c1,c2")), "domain:b!/etc/libvirt/qemu/b.xml: needs root"},
         {"domlabel:b/static-key!/etc/libvirt/qemu/b.xml: needs root", "domlabel:a/static-key-shared-with="}},
        {"a domain that is not defined", {"libvirt:domains[]=", "-domain:x"}, {"-domlabel:x/type"}},
};

static void
apply(FactStore *s, const char *line)
{
        const char *eq = strchr(line, '=');
        const char *bang = strchr(line, '!');
        _cleanup_free_ char *key = NULL;

        if (line[0] == '-') {
                assert_int_equal(fact_store_set_absent(s, line + 1), 0);
                return;
        }
        if (bang && (!eq || bang < eq)) {
                key = strndup(line, (size_t) (bang - line));
                assert_non_null(key);
                assert_int_equal(fact_store_set_error(s, key, -EACCES, "%s", bang + 1), 0);
                return;
        }
        assert_non_null(eq);
        if (eq - line >= 2 && strneq(eq - 2, "[]", 2)) {
                Fact f = {.kind = FACT_LIST, .list = calloc(1, sizeof(char *))};

                key = strndup(line, (size_t) (eq - 2 - line));
                assert_non_null(key);
                assert_non_null(f.list);
                for (const char *p = eq + 1, *e; *p; p = e + !!*e) {
                        e = p + strcspn(p, "|");
                        _cleanup_free_ char *item = strndup(p, (size_t) (e - p));
                        assert_int_equal(strv_extend(&f.list, item), 0);
                }
                assert_int_equal(fact_store_put(s, key, &f), 0);
                return;
        }
        key = strndup(line, (size_t) (eq - line));
        assert_non_null(key);
        assert_int_equal(fact_store_set_string(s, key, eq + 1), 0);
}

static bool
check(FactStore *s, const Row *row, const char *want)
{
        const char *eq = strchr(want, '='), *bang = strchr(want, '!');
        _cleanup_free_ char *key = NULL, *text = NULL;
        const Fact *f;

        if (want[0] == '-')
                key = strdup(want + 1);
        else if (bang && (!eq || bang < eq))
                key = strndup(want, (size_t) (bang - want));
        else
                key = strndup(want, (size_t) (eq - want));
        assert_non_null(key);
        f = fact_store_get(s, key);
        if (want[0] == '-') {
                if (f->kind == FACT_ABSENT)
                        return true;
        } else if (bang && (!eq || bang < eq)) {
                if (f->kind == FACT_ERROR && f->string && strstr(f->string, bang + 1))
                        return true;
        } else {
                if (f->kind == FACT_LIST)
                        text = strv_join(f->list, ",");
                else if (f->kind == FACT_STRING)
                        text = strdup(f->string);
                if (text && streq(text, eq + 1))
                        return true;
        }
        _cleanup_free_ char *d = fact_describe(f);
        print_error("%s: want %s, got %s %s\n", row->what, want, fact_kind_to_string(f->kind), strna(d));
        return false;
}

static void
test_rows(void **state)
{
        size_t failed = 0;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_(fact_store_freep) FactStore *s = NULL;

                assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
                for (size_t j = 0; j < ROW_FACTS_MAX && rows[i].facts[j]; j++)
                        apply(s, rows[i].facts[j]);
                for (size_t j = 0; j < ROW_WANT_MAX && rows[i].want[j]; j++)
                        failed += !check(s, &rows[i], rows[i].want[j]);
        }
        assert_int_equal(failed, 0);
}

/* Every field is derived: a facts file may not bring one of its own. */
static void
test_derived(void **state)
{
        static const char *const keys[] = {"mac:active", "mac:decided-by", "mac:selinux-config",
                                           "proclabel:1/identity", "proclabel:1/shared-with", "domlabel:a/type",
                                           "domlabel:a/label", "domlabel:a/static-key",
                                           "domlabel:a/static-key-shared-with"};
        _cleanup_(fact_store_freep) FactStore *s = NULL;

        (void) state;
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                assert_true(fact_store_key_derived(s, keys[i]));
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rows),
                cmocka_unit_test(test_derived),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
