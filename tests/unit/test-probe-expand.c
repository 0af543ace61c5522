/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which keys a declared pattern stands for (src/probes/probe-expand.c), on
 * a store filled as from a facts file: the domain definitions, dev:nodes,
 * mount:devices and the kernel command line name the keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "probe-expand.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

static const char vm1[] =
        "<domain type='kvm'><name>vm1</name><uuid>6F3E1D2A-7B6C-4A1E-9D0F-1A2B3C4D5E6F</uuid>"
        "<os><type>hvm</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
        "<nvram>/var/lib/libvirt/qemu/nvram/vm1_VARS.fd</nvram></os>"
        "<devices>"
        "<disk type='file' device='disk'><source file='/var/lib/libvirt/images/vm1.qcow2'/>"
        "<backingStore type='file'><format type='qcow2'/><source file='/srv/base.qcow2'/></backingStore>"
        "<target dev='vda'/></disk>"
        "<disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vdb'/></disk>"
        "<disk type='network' device='disk'><source protocol='rbd' name='pool/img'/><target dev='vdc'/></disk>"
        "<serial type='file'><source path='/var/log/vm1-serial.log'/></serial>"
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"
        "</devices></domain>";

static FactStore *
new_store(void)
{
        FactStore *s = NULL;
        Fact domains = {.kind = FACT_LIST}, nodes = {.kind = FACT_LIST}, used = {.kind = FACT_LIST};

        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        assert_int_equal(strv_extend(&domains.list, "vm1"), 0);
        assert_int_equal(strv_extend(&domains.list, "broken"), 0);
        assert_int_equal(fact_store_put(s, "libvirt:domains", &domains), 0);
        assert_int_equal(fact_store_set_string(s, "domain:vm1", vm1), 0);
        assert_int_equal(fact_store_set_string(s, "domain:broken", "<domain><name>"), 0);
        assert_int_equal(strv_extend(&nodes.list, "/dev/kvm"), 0);
        assert_int_equal(strv_extend(&nodes.list, "/dev/vfio/vfio"), 0);
        assert_int_equal(fact_store_put(s, "dev:nodes", &nodes), 0);
        assert_int_equal(strv_extend(&used.list, "8:1"), 0);
        assert_int_equal(fact_store_put(s, "mount:devices", &used), 0);
        assert_int_equal(fact_store_set_string(s, "realdev:/dev/sdb", "8:16"), 0);
        assert_int_equal(fact_store_set_string(s, "cmdline:root", "/dev/sda1"), 0);
        assert_int_equal(fact_store_set_absent(s, "cmdline:resume"), 0);
        return s;
}

static char **
expand(ProbeExpand *x, const char *pattern)
{
        char **l = NULL;

        assert_int_equal(probe_expand(x, pattern, &l), 0);
        return l;
}

static void
test_domain_files(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store();
        _cleanup_(probe_expand_freep) ProbeExpand *x = NULL;
        _cleanup_strv_free_ char **label = NULL, **realdev = NULL, **blockdev = NULL, **aa = NULL;

        (void) state;
        assert_int_equal(probe_expand_new(s, &x), 0);
        label = expand(x, "label:*");
        /* disks, the recorded backing file, loader, NVRAM, the serial
         * file, the swtpm state (as written and as libvirt spells it) and
         * log; not the network disk; nothing of the unparsable domain */
        assert_true(strv_contains(label, "label:/var/lib/libvirt/images/vm1.qcow2"));
        assert_true(strv_contains(label, "label:/srv/base.qcow2"));
        assert_true(strv_contains(label, "label:/dev/sdb"));
        assert_true(strv_contains(label, "label:/usr/share/OVMF/OVMF_CODE.fd"));
        assert_true(strv_contains(label, "label:/var/lib/libvirt/qemu/nvram/vm1_VARS.fd"));
        assert_true(strv_contains(label, "label:/var/log/vm1-serial.log"));
        assert_true(strv_contains(label, "label:/var/lib/libvirt/swtpm/6F3E1D2A-7B6C-4A1E-9D0F-1A2B3C4D5E6F"));
        assert_true(strv_contains(label, "label:/var/lib/libvirt/swtpm/6f3e1d2a-7b6c-4a1e-9d0f-1a2b3c4d5e6f"));
        assert_true(strv_contains(label, "label:/var/log/swtpm/libvirt/qemu/vm1-swtpm.log"));
        STRV_FOREACH(k, label)
                assert_true(startswith(*k, "label:/"));
        assert_false(strv_contains(label, "label:/var/lib/libvirt/images")); /* no directories */
        /* the pattern filters */
        realdev = expand(x, "realdev:/dev/*");
        assert_int_equal(strv_length(realdev), 1);
        assert_string_equal(realdev[0], "realdev:/dev/sdb");
        /* the disk's device, and the devices the host uses */
        blockdev = expand(x, "blockdev:*");
        assert_int_equal(strv_length(blockdev), 2);
        assert_string_equal(blockdev[0], "blockdev:8:1");
        assert_string_equal(blockdev[1], "blockdev:8:16");
        aa = expand(x, "aaprofile:*");
        assert_int_equal(strv_length(aa), 1);
        assert_string_equal(aa[0], "aaprofile:libvirt-6f3e1d2a-7b6c-4a1e-9d0f-1a2b3c4d5e6f");
}

static void
test_stat(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store();
        _cleanup_(probe_expand_freep) ProbeExpand *x = NULL;
        _cleanup_strv_free_ char **all = NULL, **dev = NULL, **vfio = NULL;

        (void) state;
        assert_int_equal(probe_expand_new(s, &x), 0);
        all = expand(x, "stat:*");
        /* every directory above a VM's file, up to / */
        assert_true(strv_contains(all, "stat:/var/lib/libvirt/images/vm1.qcow2"));
        assert_true(strv_contains(all, "stat:/var/lib/libvirt/images"));
        assert_true(strv_contains(all, "stat:/var/lib"));
        assert_true(strv_contains(all, "stat:/var"));
        assert_true(strv_contains(all, "stat:/"));
        /* dev:nodes and the boot device */
        assert_true(strv_contains(all, "stat:/dev/kvm"));
        assert_true(strv_contains(all, "stat:/dev/sda1"));
        dev = expand(x, "stat:/dev/**");
        STRV_FOREACH(k, dev)
                assert_true(startswith(*k, "stat:/dev/"));
        assert_true(strv_contains(dev, "stat:/dev/sdb"));
        assert_true(strv_contains(dev, "stat:/dev/vfio/vfio"));
        vfio = expand(x, "stat:/dev/vfio/*");
        assert_int_equal(strv_length(vfio), 1);
        assert_string_equal(vfio[0], "stat:/dev/vfio/vfio");
}

static void
test_namespaces(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = new_store();
        _cleanup_(probe_expand_freep) ProbeExpand *x = NULL;
        _cleanup_strv_free_ char **dom = NULL, **proc = NULL, **l = NULL;
        Fact pids = {.kind = FACT_LIST};

        (void) state;
        assert_int_equal(probe_expand_new(s, &x), 0);
        /* a namespace a probe loads whole: the keys it holds */
        dom = expand(x, "domain:*");
        assert_int_equal(strv_length(dom), 2);
        assert_string_equal(dom[0], "domain:broken");
        assert_string_equal(dom[1], "domain:vm1");
        /* process: its keys, and each derived field of each PID */
        assert_int_equal(strv_extend(&pids.list, "42"), 0);
        assert_int_equal(fact_store_put(s, "qemu:pids", &pids), 0);
        assert_int_equal(fact_store_set_string(s, "process:42/name", "vm1"), 0);
        assert_int_equal(fact_store_set_string(s, "process:42/status", "Uid: 0"), 0);
        proc = expand(x, "process:*/domain");
        assert_int_equal(strv_length(proc), 1);
        assert_string_equal(proc[0], "process:42/domain");
        l = expand(x, "process:*/name");
        assert_int_equal(strv_length(l), 1);
        assert_string_equal(l[0], "process:42/name");
        l = strv_free(l);
        /* namespaces that fill one key at a time cannot be listed */
        assert_int_equal(probe_expand(x, "sysctl:*", &l), -EOPNOTSUPP);
        assert_int_equal(probe_expand(x, "vm:*/disk.buses", &l), -EOPNOTSUPP);
        assert_int_equal(probe_expand(x, "nosuch:*", &l), -EINVAL);
        assert_null(l);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_domain_files),
                cmocka_unit_test(test_stat),
                cmocka_unit_test(test_namespaces),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
