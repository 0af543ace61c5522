/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The vm:NAME/FIELD derived namespace (src/probes/probe-vm.c) computed from
 * domain:NAME facts holding the XML fixtures of tests/fixtures/domains
 * ($DOMAIN_FIXTURES), in a fact store without a host, as from a facts
 * file: the loader reads facts only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"
#include "facts-json.h"
#include "fileio.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* Where each fixture's domain is named (its <name>). */
static const struct {
        const char *file, *name;
} fixtures[] = {
        {"full.xml", "full"},
        {"floppy.xml", "legacy"},
        {"disk-lun-rawio.xml", "lun"},
        {"disk-network.xml", "netdisks"},
        {"fs-9p-passthrough.xml", "ninep"},
        {"seclabel-none.xml", "unconfined"},
        {"seclabel-static-selinux.xml", "static-selinux"},
        {"qemu-commandline.xml", "passthrough"},
        {"no-seclabel.xml", "plain"},
        {"bad-truncated.xml", "broken"},
};

static FactStore *
store_with_fixtures(void)
{
        const char *dir = getenv("DOMAIN_FIXTURES");
        _cleanup_strv_free_ char **names = NULL;
        FactStore *s = NULL;
        Fact list = {.kind = FACT_LIST};

        if (!dir)
                fail_msg("DOMAIN_FIXTURES is not set");
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                _cleanup_free_ char *path = xasprintf("%s/%s", dir, fixtures[i].file);
                _cleanup_free_ char *xml = NULL, *key = xasprintf("domain:%s", fixtures[i].name);

                assert_non_null(path);
                assert_non_null(key);
                assert_int_equal(read_input_file(path, DOMAIN_XML_MAX, &xml), 0);
                assert_int_equal(fact_store_set_string(s, key, xml), 0);
                assert_int_equal(strv_extend(&names, fixtures[i].name), 0);
        }
        /* a listed domain whose definition could not be read */
        assert_int_equal(strv_extend(&names, "gone"), 0);
        assert_int_equal(fact_store_set_error(s, "domain:gone", -EACCES, "/etc/libvirt/qemu/gone.xml: needs root"),
                         0);
        list.list = TAKE_PTR(names);
        assert_int_equal(fact_store_put(s, "libvirt:domains", &list), 0);
        return s;
}

/* The fact as one string: a list joined with "|", "(absent fact)" for an
 * absent one, "error: MESSAGE" for an error. */
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
                return strdup("(absent fact)");
        case FACT_ERROR:
                return xasprintf("error: %s", strna(f->string));
        default:
                return strdup("?");
        }
}

/* One row per observation: domain, field, the value as describe() gives it. */
static const struct {
        const char *domain, *field, *want;
} rows[] = {
        /* full.xml: every modelled element */
        {"full", "os.arch", "x86_64"},
        {"full", "os.machine", "pc-q35-8.2"},
        {"full", "os.x86", "yes"},
        {"full", "os.i440fx", "no"},
        {"full", "os.firmware", "efi"},
        {"full", "os.firmware.secure-boot", "yes"},
        {"full", "os.loader", "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"},
        {"full", "os.loader.type", "pflash"},
        {"full", "os.loader.secure", "yes"},
        {"full", "os.loader.readonly", "yes"},
        {"full", "os.nvram", "/var/lib/libvirt/qemu/nvram/full_VARS.fd"},
        {"full", "features.smm", "yes"},
        {"full", "launch-security", "sev"},
        {"full", "cpu.mode", "host-model"},
        {"full", "qemu.elements", ""},
        {"full", "qemu.args", ""},
        {"full", "seclabel.none-models", ""},
        {"full", "seclabel.norelabel", ""},
        {"full", "disk.devices", "disk|disk|disk|disk"},
        {"full", "disk.buses", "virtio|virtio|virtio|ide"},
        {"full", "disk.source-relabel", ""},
        {"full", "disk.lun.rawio", ""},
        {"full", "disk.network.protocol", "rbd"},
        {"full", "disk.network.auth", "secret"},
        {"full", "disk.network.nbd-tls", ""},
        /* the dir disk is not an image file */
        {"full", "disk.local.source", "/var/lib/libvirt/images/full-top.qcow2|/var/lib/libvirt/images/probed.img"},
        {"full", "disk.local.format", "qcow2|(absent)"},
        {"full", "disk.backing.format", "qcow2|raw|(absent)"},
        /* the names evidence needs: which image, which backing file */
        {"full", "disk.local.unformatted", "/var/lib/libvirt/images/probed.img"},
        {"full", "disk.backing.unformatted", "/var/lib/libvirt/images/unknown-format-base"},
        {"full", "disk.floppy", ""},
        {"full", "disk.norelabel", ""},
        /* tcp bound to 0.0.0.0 with tls='yes'; udp bound to 0.0.0.0 */
        {"full", "chardev.network", "serial tcp|serial udp"},
        {"full", "chardev.exposed", "tcp:tls=yes serial bind 0.0.0.0:2445|udp serial bind 0.0.0.0:2446"},
        {"full", "graphics.types", "spice|vnc|vnc"},
        {"full", "graphics.listen",
         "address 0.0.0.0,network mgmt|socket /run/libvirt/qemu/full-vnc.sock|none"},
        {"full", "graphics.passwd", "yes|no|no"},
        /* the PCI hostdev and the hostdev interface, in document order
         * of the model (hostdevs are kept with interfaces first) */
        {"full", "hostdev.pci.driver", "vfio|kvm"},
        {"full", "hostdev.pci.managed", "yes|no"},
        {"full", "hostdev.pci.address", "0000:3b:10.2|0001:02:1f.7"},
        {"full", "tpm.models", "tpm-tis|tpm-crb"},
        {"full", "tpm.backends", "passthrough|emulator"},
        {"full", "tpm.passthrough.devices", "/dev/tpm0"},
        {"full", "interface.custom-filter-rules", ""},
        {"full", "interface.types", "bridge|direct|vhostuser|ethernet|hostdev|vdpa"},
        {"full", "nic.models", "virtio|e1000e|virtio|(absent)"},
        {"full", "interface.filterref", "clean-traffic"},
        {"full", "interface.unfiltered", ""},
        {"full", "filesystem.drivers", "virtiofs|virtiofs"},
        {"full", "sound.models", "ich9"},
        {"full", "usb.models", "qemu-xhci"},
        {"full", "video.models", "virtio"},
        {"full", "rng.models", "virtio|virtio"},
        {"full", "rng.backends", "egd|builtin"},
        {"full", "rng.sources", "virtio egd|virtio builtin"},
        {"full", "filesystem.9p.accessmode", ""},
        {"full", "filesystem.source", "/srv/share"},
        /* floppy.xml: the legacy i440fx guest */
        {"legacy", "os.i440fx", "yes"},
        {"legacy", "disk.devices", "floppy|cdrom"},
        {"legacy", "disk.buses", "fdc|ide"},
        {"legacy", "disk.floppy", "fda"},
        {"legacy", "usb.models", "ich9-ehci1|ich9-uhci1"},
        {"legacy", "video.models", "cirrus"},
        {"legacy", "sound.models", "ac97"},
        {"legacy", "nic.models", "rtl8139"},
        {"legacy", "interface.filterref", "(absent)"},
        {"legacy", "interface.unfiltered", "network default"},
        {"legacy", "cpu.mode", "(absent fact)"},
        {"legacy", "os.firmware", "(absent fact)"},
        {"legacy", "features.smm", "(absent fact)"},
        {"legacy", "launch-security", "(absent fact)"},
        /* disk-lun-rawio.xml */
        {"lun", "disk.devices", "lun"},
        {"lun", "disk.lun.rawio", "yes"},
        {"lun", "disk.lun.sgio", "unfiltered"},
        {"lun", "os.i440fx", "no"},
        /* disk-network.xml: rbd without auth, iscsi with a secret, nbd
         * with TLS, http */
        {"netdisks", "disk.network.protocol", "rbd|iscsi|nbd|http"},
        {"netdisks", "disk.network.auth", "(absent)|secret"},
        {"netdisks", "disk.network.nbd-tls", "yes"},
        {"netdisks", "disk.local.format", ""},
        /* fs-9p-passthrough.xml */
        {"ninep", "filesystem.9p.accessmode", "passthrough|mapped"},
        {"ninep", "filesystem.source", "/|/srv/data"},
        {"ninep", "filesystem.drivers", "path|(absent)"},
        /* seclabel-none.xml: a model-less none, and DAC relabel='no' */
        {"unconfined", "seclabel.none-models", "(absent)"},
        {"unconfined", "seclabel.norelabel", "dynamic:dac:nolabel"},
        /* seclabel-static-selinux.xml */
        {"static-selinux", "seclabel.norelabel", ""},
        {"static-selinux", "disk.source-relabel", "no|yes"},
        /* qemu-commandline.xml */
        {"passthrough", "qemu.elements", "commandline|capabilities|override"},
        {"passthrough", "qemu.args",
         "-device|ivshmem-plain,memdev=hostmem|-object|"
         "memory-backend-file,id=hostmem,share=on,mem-path=/dev/shm/x,size=1M"},
};

static void
test_vm_fields(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = store_with_fixtures();

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_free_ char *key = xasprintf("vm:%s/%s", rows[i].domain, rows[i].field);
                _cleanup_free_ char *got = NULL;

                assert_non_null(key);
                got = describe(s, key);
                assert_non_null(got);
                if (!streq(got, rows[i].want))
                        fail_msg("%s: got \"%s\", want \"%s\"", key, got, rows[i].want);
        }
}

/* Every key published is one of the namespace's rules, with its kind. */
static void
test_vm_rules(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = store_with_fixtures();
        _cleanup_strv_free_ char **keys = NULL;
        size_t n_vm = 0, n_rules = 0;

        (void) state;
        for (const FactRule *r = probe_vm_rules; r->pattern; r++) {
                n_rules++;
                /* every field is derived: a facts file may not bring it */
                assert_true(r->flags & FACT_RULE_DERIVED);
        }
        /* the first read of a domain's field stores all its fields */
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                _cleanup_free_ char *key = xasprintf("vm:%s/cpu.mode", fixtures[i].name);
                assert_non_null(key);
                (void) fact_store_get(s, key);
        }
        (void) fact_store_get(s, "vm:gone/cpu.mode");
        assert_int_equal(fact_store_keys(s, &keys), 0);
        STRV_FOREACH(k, keys) {
                const Fact *f;
                const FactRule *rule;
                bool any = true;

                if (!startswith(*k, "vm:"))
                        continue;
                n_vm++;
                rule = fact_rule_find(probe_namespaces, probe_namespaces_count, *k, &any);
                if (!rule || any || streq(rule->pattern, "*"))
                        fail_msg("%s: no rule of its own", *k);
                f = fact_store_get(s, *k);
                if (f->kind != FACT_ABSENT && f->kind != FACT_ERROR && !(rule->kinds & (1u << f->kind)))
                        fail_msg("%s: kind %s, rule %s", *k, fact_kind_to_string(f->kind), rule->pattern);
        }
        /* every field of each of the 11 listed domains */
        assert_int_equal(n_vm, n_rules * (ELEMENTSOF(fixtures) + 1));
}

/* An unparsable or unreadable definition: every field is an error that
 * says why; the other domains are not affected. */
static void
test_vm_unusable(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = store_with_fixtures();
        const Fact *f;

        (void) state;
        for (const FactRule *r = probe_vm_rules; r->pattern; r++) {
                _cleanup_free_ char *key = xasprintf("vm:broken/%s", r->pattern + 2);

                assert_non_null(key);
                f = fact_store_get(s, key);
                assert_int_equal(f->kind, FACT_ERROR);
                assert_int_equal(f->error, -EBADMSG);
                if (!f->string || !strstr(f->string, "domain broken"))
                        fail_msg("%s: message \"%s\" does not name the domain", key, strna(f->string));
        }
        f = fact_store_get(s, "vm:gone/disk.devices");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, -EACCES);
        assert_string_equal(f->string, "/etc/libvirt/qemu/gone.xml: needs root");
        assert_int_equal(fact_store_get(s, "vm:plain/disk.devices")->kind, FACT_LIST);
}

/* A field the namespace does not have is an error naming it, not an
 * absent fact a condition would read as "none". */
static void
test_vm_unknown_field(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = store_with_fixtures();
        const Fact *f;

        (void) state;
        f = fact_store_get(s, "vm:full/disk.nosuch");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_non_null(strstr(f->string, "vm:full/disk.nosuch: no such field"));
        f = fact_store_get(s, "vm:full");
        assert_int_equal(f->kind, FACT_ERROR);
        /* a domain this store knows nothing of: its source's error (a
         * facts file without "domain" complete cannot say it is absent) */
        f = fact_store_get(s, "vm:nosuch/cpu.mode");
        assert_int_equal(f->kind, FACT_ERROR);
        assert_non_null(strstr(f->string, "domain:nosuch"));
}

/* Hostile attribute values stay observations: a chardev host that is not
 * an address is not loopback, a ".." share path is kept as written. */
static void
test_vm_hostile(void **state)
{
        static const char xml[] =
                "<domain type='kvm'><name>h</name><os><type arch='aarch64' machine='virt'>hvm</type></os>"
                "<cpu/>"
                "<devices>"
                "<serial type='tcp'><source mode='bind' host='127.0.0.1.example.org' service='1'/></serial>"
                "<serial type='tcp'><source mode='bind' service='2' tls='no'/></serial>"
                "<channel type='tcp'><source mode='connect' service='3'/></channel>"
                "<serial type='tcp'><source mode='connect' host='[::1]' service='4'/></serial>"
                "<filesystem type='mount'><source dir='/srv/../etc'/><target dir='x'/></filesystem>"
                "<filesystem type='mount'><source dir='//srv/./data/'/><target dir='y'/></filesystem>"
                "<interface type='network'><source network='default'/><model type='virtio model=x'/></interface>"
                "<hostdev mode='subsystem' type='pci'><driver name='(absent)'/>"
                "<source><address domain='0' bus='1' slot='0' function='0'/></source></hostdev>"
                "</devices></domain>";
        _cleanup_(fact_store_freep) FactStore *s = NULL;
        _cleanup_domain_free_ Domain *d = NULL;
        static const struct {
                const char *field, *want;
        } want[] = {
                {"chardev.network", "serial tcp|serial tcp|channel tcp|serial tcp"},
                {"chardev.exposed", "tcp:tls=default serial bind 127.0.0.1.example.org:1|tcp:tls=no serial bind *:2"},
                {"filesystem.source", "/srv/../etc|/srv/data"},
                {"filesystem.9p.accessmode", "(absent)|(absent)"},
                {"nic.models", "virtio model=x"},
                /* written "(absent)" is not the attribute left out */
                {"hostdev.pci.driver", "\"(absent)\""},
                {"hostdev.pci.managed", "(absent)"},
                {"interface.unfiltered", "network default"},
                {"os.x86", "no"},
                {"os.i440fx", "no"},
                {"cpu.mode", "custom"},
        };

        (void) state;
        assert_int_equal(domain_parse(xml, strlen(xml), "test", &d, NULL), 0);
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        assert_int_equal(probe_vm_publish(s, "h", d), 0);
        for (size_t i = 0; i < ELEMENTSOF(want); i++) {
                _cleanup_free_ char *key = xasprintf("vm:h/%s", want[i].field);
                _cleanup_free_ char *got = describe(s, key);

                if (!got || !streq(got, want[i].want))
                        fail_msg("%s: got \"%s\", want \"%s\"", key, strna(got), want[i].want);
        }
}

/* Derived: a store without a host (a facts file) computes vm: from the
 * domain facts on first use; a facts file is written without it and may
 * not set it. */
static void
test_vm_derived(void **state)
{
        static const char file[] =
                "{\"schema_version\": 1, \"complete\": [\"libvirt\", \"domain\"], \"facts\": {"
                "\"libvirt:domains\": [\"w\"],"
                "\"domain:w\": \"<domain type='kvm'><name>w</name><cpu mode='maximum'/><devices>"
                "<disk type='file' device='floppy'><source file='/f.img'/></disk></devices></domain>\"}}";
        static const char forged[] =
                "{\"schema_version\": 1, \"facts\": {\"libvirt:domains\": [\"w\"], \"vm:w/cpu.mode\": \"custom\"}}";
        _cleanup_(fact_store_freep) FactStore *s = NULL, *t = NULL;
        _cleanup_free_ char *err = NULL, *err2 = NULL, *out = NULL;
        size_t outlen = 0;
        FILE *f;
        const Fact *x;

        (void) state;
        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        if (facts_load_json(s, file, "f.json", &err) < 0)
                fail_msg("load: %s", strna(err));
        x = fact_store_get(s, "vm:w/cpu.mode");
        assert_int_equal(x->kind, FACT_STRING);
        assert_string_equal(x->string, "maximum");
        x = fact_store_get(s, "vm:w/disk.devices");
        assert_int_equal(x->kind, FACT_LIST);
        assert_string_equal(x->list[0], "floppy");
        /* a field no domain has is absent, not "not in the facts file" */
        assert_int_equal(fact_store_get(s, "vm:nosuch/cpu.mode")->kind, FACT_ABSENT);

        f = open_memstream(&out, &outlen);
        assert_non_null(f);
        assert_int_equal(facts_write_json(s, "test", "/", f), 0);
        assert_int_equal(fclose(f), 0);
        assert_null(strstr(out, "\"vm"));
        assert_non_null(strstr(out, "\"domain:w\""));

        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &t), 0);
        assert_true(facts_load_json(t, forged, "forged.json", &err2) < 0);
        assert_non_null(err2);
        assert_non_null(strstr(err2, "vm:w/cpu.mode"));
}

/* The one loopback rule (domain.h), used by vm:NAME/chardev.exposed and
 * by the graphics judges. */
static void
test_address_is_loopback(void **state)
{
        static const struct {
                const char *address;
                bool loopback;
        } cases[] = {
                {"127.0.0.1", true},       {"127.255.0.9", true},     {"::1", true},
                {"[::1]", true},           {"::ffff:127.0.0.1", true}, {"localhost", true},
                {"LOCALHOST.", true},      {"0.0.0.0", false},        {"::", false},
                {"128.0.0.1", false},      {"127.0.0.1.example.org", false}, {"localhost.example.org", false},
                {"::ffff:10.0.0.1", false}, {"[127.0.0.1]", true},    {"", false},
                {"[", false},              {"[]", false},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                if (domain_address_is_loopback(cases[i].address) != cases[i].loopback)
                        fail_msg("\"%s\": want %s", cases[i].address, cases[i].loopback ? "loopback" : "not loopback");
        assert_false(domain_address_is_loopback(NULL));
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_vm_fields),
                cmocka_unit_test(test_vm_rules),
                cmocka_unit_test(test_vm_unusable),
                cmocka_unit_test(test_vm_unknown_field),
                cmocka_unit_test(test_vm_hostile),
                cmocka_unit_test(test_vm_derived),
                cmocka_unit_test(test_address_is_loopback),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
