/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host:FIELD and devnum:PATH derived namespaces
 * (src/probes/probe-derived-host.c), computed in a fact store without a
 * host, as from a facts file: the derivations read facts only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "facts-json.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

#define NOSHARE "<memoryBacking><nosharepages/></memoryBacking>"
#define DOM(name, body) "<domain type='kvm'><name>" name "</name><memory>1024</memory>" body "</domain>"

/* One source fact: "KEY=VALUE", "KEY[]=A|B" (a list, "KEY[]=" empty),
 * "-KEY" absent, "KEY!=ERRNO message" (EACCES, ENOMEDIUM, ENOPKG). */
static void
put(FactStore *s, const char *spec)
{
        const char *eq;

        if (spec[0] == '-') {
                assert_int_equal(fact_store_set_absent(s, spec + 1), 0);
                return;
        }
        if ((eq = strstr(spec, "!="))) {
                _cleanup_free_ char *key = strndup(spec, eq - spec);
                const char *msg = strchr(eq + 2, ' ');
                int err = startswith(eq + 2, "EACCES")      ? -EACCES
                          : startswith(eq + 2, "ENOMEDIUM") ? -ENOMEDIUM
                          : startswith(eq + 2, "ENOPKG")    ? -ENOPKG
                                                            : -EIO;

                assert_non_null(key);
                assert_int_equal(fact_store_set_error(s, key, err, "%s", msg ? msg + 1 : "?"), 0);
                return;
        }
        if ((eq = strstr(spec, "[]="))) {
                _cleanup_free_ char *key = strndup(spec, eq - spec);
                Fact f = {.kind = FACT_LIST, .list = calloc(1, sizeof(char *))};

                assert_non_null(key);
                assert_non_null(f.list);
                for (const char *p = eq + 3; *p;) {
                        size_t n = strcspn(p, "|");
                        _cleanup_free_ char *item = strndup(p, n);

                        assert_non_null(item);
                        assert_int_equal(strv_extend(&f.list, item), 0);
                        p += n + (p[n] == '|');
                }
                assert_int_equal(fact_store_put(s, key, &f), 0);
                return;
        }
        eq = strchr(spec, '=');
        assert_non_null(eq);
        _cleanup_free_ char *key = strndup(spec, eq - spec);
        assert_non_null(key);
        assert_int_equal(fact_store_set_string(s, key, eq + 1), 0);
}

/* The fact as one string: a list joined with "|", "(absent)", or
 * "error ERRNO: MESSAGE" (errno by name for the classes that matter). */
static char *
describe(FactStore *s, const char *key)
{
        const Fact *f = fact_store_get(s, key);

        switch (f->kind) {
        case FACT_STRING:
                return strdup(f->string);
        case FACT_LIST:
                return strv_join(f->list, "|");
        case FACT_ABSENT:
                return strdup("(absent)");
        case FACT_ERROR:
                return xasprintf("error %s: %s",
                                 f->error == -ENOMEDIUM ? "ENOMEDIUM"
                                 : f->error == -ENOPKG  ? "ENOPKG"
                                 : f->error == -EINVAL  ? "EINVAL"
                                 : f->error == -EBADMSG ? "EBADMSG"
                                 : f->error == -EACCES  ? "EACCES"
                                                        : "other",
                                 strna(f->string));
        default:
                return strdup("?");
        }
}

static const struct {
        const char *key;
        const char *facts[6];
        const char *want; /* a prefix of describe() */
} rows[] = {
        /* kvm-vendor-modules: y or m of the vendor's option */
        {"host:kvm-vendor-modules", {"cpu:vendor=GenuineIntel", "kconfig:CONFIG_KVM_INTEL=m", "kconfig:CONFIG_KVM_AMD=m"},
         "CONFIG_KVM_INTEL"},
        {"host:kvm-vendor-modules", {"cpu:vendor=AuthenticAMD", "kconfig:CONFIG_KVM_INTEL=y", "-kconfig:CONFIG_KVM_AMD"},
         ""},
        {"host:kvm-vendor-modules", {"cpu:vendor=HygonGenuine", "-kconfig:CONFIG_KVM_INTEL", "kconfig:CONFIG_KVM_AMD=y"},
         "CONFIG_KVM_AMD"},
        {"host:kvm-vendor-modules", {"cpu:vendor=CentaurHauls", "kconfig:CONFIG_KVM_INTEL=m", "kconfig:CONFIG_KVM_AMD=n"},
         "CONFIG_KVM_INTEL"},
        {"host:kvm-vendor-modules", {"-cpu:vendor", "kconfig:CONFIG_KVM_INTEL=m", "kconfig:CONFIG_KVM_AMD=m"},
         "CONFIG_KVM_INTEL|CONFIG_KVM_AMD"},
        {"host:kvm-vendor-modules", {"cpu:vendor!=ENOMEDIUM /proc/cpuinfo: runtime state not available",
                                     "-kconfig:CONFIG_KVM_INTEL", "kconfig:CONFIG_KVM_AMD=m"},
         "CONFIG_KVM_AMD"},
        {"host:kvm-vendor-modules", {"cpu:vendor!=EACCES /proc/cpuinfo: Permission denied",
                                     "kconfig:CONFIG_KVM_INTEL=m", "kconfig:CONFIG_KVM_AMD=m"},
         "error EACCES: /proc/cpuinfo: Permission denied"},
        {"host:kvm-vendor-modules", {"cpu:vendor=GenuineIntel", "kconfig:CONFIG_KVM_INTEL!=EACCES /boot/config: denied"},
         "error EACCES: /boot/config: denied"},

        /* iommu-vendor-drivers: built in only */
        {"host:iommu-vendor-drivers", {"cpu:vendor=GenuineIntel", "kconfig:CONFIG_INTEL_IOMMU=m",
                                       "kconfig:CONFIG_AMD_IOMMU=y"},
         ""},
        {"host:iommu-vendor-drivers", {"cpu:vendor=AuthenticAMD", "kconfig:CONFIG_INTEL_IOMMU=y",
                                       "kconfig:CONFIG_AMD_IOMMU=y"},
         "CONFIG_AMD_IOMMU"},

        /* microcode-vs-disk: the lowest loaded revision */
        {"host:microcode-vs-disk", {"cpu:microcode=0xf0", "ucode:available=0xf0"}, "same"},
        {"host:microcode-vs-disk", {"cpu:microcode=0xf1", "ucode:available=0xf0"}, "newer"},
        {"host:microcode-vs-disk", {"cpu:microcode=0xde", "ucode:available=0xf0"}, "older"},
        {"host:microcode-vs-disk", {"cpu:microcode=0xf2,0xde", "ucode:available=0xf0"}, "older"},
        {"host:microcode-vs-disk", {"-cpu:microcode", "ucode:available=0xf0"}, "(absent)"},
        {"host:microcode-vs-disk", {"cpu:microcode=0xf0", "-ucode:available"}, "(absent)"},
        {"host:microcode-vs-disk", {"cpu:microcode=0xf0,", "ucode:available=0xf0"},
         "error EINVAL: unparsable microcode revision: cpu:microcode = 0xf0,"},
        {"host:microcode-vs-disk", {"cpu:microcode=0xf0", "ucode:available=latest"},
         "error EINVAL: unparsable microcode revision: ucode:available = latest"},
        {"host:microcode-vs-disk", {"cpu:microcode=0xf0", "ucode:available!=EACCES /lib/firmware: denied"},
         "error EACCES: /lib/firmware: denied"},

        /* kernel-offset: _text minus the link-time address */
        {"host:kernel-offset", {"kernel:text=ffffffff9a200000", "-kconfig:CONFIG_PHYSICAL_START"}, "0x19200000"},
        {"host:kernel-offset", {"kernel:text=ffffffff81000000", "kconfig:CONFIG_PHYSICAL_START=0x1000000"}, "0x0"},
        {"host:kernel-offset", {"kernel:text=ffffffff81000000", "kconfig:CONFIG_PHYSICAL_START=0x200000"}, "0xe00000"},
        {"host:kernel-offset", {"kernel:text=ffffffff80200000", "kconfig:CONFIG_PHYSICAL_START=0x1000000"},
         "-0xe00000"},
        {"host:kernel-offset", {"-kernel:text", "kconfig:CONFIG_PHYSICAL_START=0x1000000"},
         "error ENOMEDIUM: no _text line in /proc/kallsyms"},
        {"host:kernel-offset", {"kernel:text=ffffffff9a200000", "kconfig:CONFIG_PHYSICAL_START=16M"},
         "error EINVAL: CONFIG_PHYSICAL_START = 16M is not a number"},
        {"host:kernel-offset", {"kernel:text=zz", "-kconfig:CONFIG_PHYSICAL_START"},
         "error EINVAL: kernel:text = zz is not an address"},

        /* ksm-mergeable-domains */
        {"host:ksm-mergeable-domains", {"libvirt:domains[]=a|b", "domain:a=" DOM("a", ""), "domain:b=" DOM("b", NOSHARE)},
         "a"},
        {"host:ksm-mergeable-domains", {"libvirt:domains[]=b", "domain:b=" DOM("b", NOSHARE)}, ""},
        {"host:ksm-mergeable-domains", {"libvirt:domains[]=", NULL}, ""},
        {"host:ksm-mergeable-domains", {"libvirt:domains[]=a|c", "domain:a=" DOM("a", ""), "domain:c=<domain"}, "a"},
        {"host:ksm-mergeable-domains", {"libvirt:domains[]=b|c", "domain:b=" DOM("b", NOSHARE), "domain:c=<domain"},
         "error EBADMSG: not judged: c ("},
        {"host:ksm-mergeable-domains", {"libvirt:domains[]=g", "domain:g!=EACCES /etc/libvirt/qemu/g.xml: needs root"},
         "error EBADMSG: not judged: g (/etc/libvirt/qemu/g.xml: needs root)"},
        {"host:ksm-mergeable-domains", {"-libvirt:domains"}, "error ENOPKG: no libvirt domain source"},
        {"host:ksm-mergeable-domains", {"libvirt:domains!=ENOPKG libvirt: not reachable"},
         "error ENOPKG: libvirt: not reachable"},

        {"host:no-such-field", {NULL}, "error EINVAL: host:no-such-field: no such field"},
};

static void
test_rows(void **state)
{
        size_t failed = 0;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_(fact_store_freep) FactStore *s = NULL;
                _cleanup_free_ char *got = NULL;

                assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
                for (size_t j = 0; j < ELEMENTSOF(rows[i].facts) && rows[i].facts[j]; j++)
                        put(s, rows[i].facts[j]);
                got = describe(s, rows[i].key);
                assert_non_null(got);
                if (!startswith(got, rows[i].want) || (!rows[i].want[0] && got[0])) {
                        print_error("row %zu %s: got \"%s\", want \"%s\"\n", i, rows[i].key, got, rows[i].want);
                        failed++;
                }
        }
        assert_int_equal(failed, 0);
}

static void
test_devnum(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = NULL;
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
        Fact chr = {.kind = FACT_STAT, .stat = {.mode = S_IFCHR | 0660, .major = 10, .minor = 232}};
        Fact blk = {.kind = FACT_STAT, .stat = {.mode = S_IFBLK | 0660, .major = 8, .minor = 16}};
        Fact reg = {.kind = FACT_STAT, .stat = {.mode = S_IFREG | 0644}};

        (void) state;
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        assert_int_equal(fact_store_put(s, "stat:/dev/kvm", &chr), 0);
        assert_int_equal(fact_store_put(s, "stat:/dev/sdb", &blk), 0);
        assert_int_equal(fact_store_put(s, "stat:/dev/file", &reg), 0);
        assert_int_equal(fact_store_set_absent(s, "stat:/dev/gone"), 0);
        assert_int_equal(fact_store_set_error(s, "stat:/dev/hidden", -EACCES, "/dev/hidden: Permission denied"), 0);
        assert_string_equal((a = describe(s, "devnum:/dev/kvm")), "10:232");
        assert_string_equal((b = describe(s, "devnum:/dev/sdb")), "8:16");
        assert_string_equal((c = describe(s, "devnum:/dev/file")), "(absent)");
        assert_string_equal((d = describe(s, "devnum:/dev/gone")), "(absent)");
        assert_string_equal((e = describe(s, "devnum:/dev/hidden")), "error EACCES: /dev/hidden: Permission denied");
}

/* Derived keys are never written to a facts file (their sources are) and
 * a file that holds one is refused; from the sources they are recomputed. */
static void
test_facts_file(void **state)
{
        static const char file[] =
                "{\"schema_version\": 1, \"facts\": {\"kernel:text\": \"ffffffff9a200000\", "
                "\"kconfig:CONFIG_PHYSICAL_START\": \"0x1000000\"}}";
        static const char forged[] =
                "{\"schema_version\": 1, \"facts\": {\"kernel:text\": \"ffffffff81000000\", "
                "\"host:kernel-offset\": \"0x19200000\"}}";
        static const char forged_devnum[] =
                "{\"schema_version\": 1, \"facts\": {\"devnum:/dev/kvm\": \"10:232\"}}";
        _cleanup_(fact_store_freep) FactStore *s = NULL, *t = NULL, *u = NULL;
        _cleanup_free_ char *err = NULL, *err2 = NULL, *err3 = NULL, *out = NULL, *got = NULL;
        size_t outlen = 0;
        FILE *f;

        (void) state;
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        if (facts_load_json(s, file, "f.json", &err) < 0)
                fail_msg("load: %s", strna(err));
        assert_string_equal((got = describe(s, "host:kernel-offset")), "0x19200000");
        f = open_memstream(&out, &outlen);
        assert_non_null(f);
        assert_int_equal(facts_write_json(s, "test", "/", f), 0);
        assert_int_equal(fclose(f), 0);
        assert_null(strstr(out, "\"host:"));
        assert_non_null(strstr(out, "\"kernel:text\""));

        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &t), 0);
        assert_true(facts_load_json(t, forged, "forged.json", &err2) < 0);
        assert_non_null(err2);
        assert_non_null(strstr(err2, "host:kernel-offset"));
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &u), 0);
        assert_true(facts_load_json(u, forged_devnum, "forged.json", &err3) < 0);
        assert_non_null(strstr(err3, "devnum:/dev/kvm"));
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rows),
                cmocka_unit_test(test_devnum),
                cmocka_unit_test(test_facts_file),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
