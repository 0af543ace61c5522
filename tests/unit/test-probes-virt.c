/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the VM confinement probes (libvirt, domain, domainstate,
 * qemu, process, lsm, selinux, label, apparmor, unit, sasl) against the
 * fixture trees under tests/fixtures/hosts-mac/, built with mkfixture.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cmocka.h>

#include "facts.h"
#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

static const char *src_root, *work_dir;

static const char *const scenarios[] = {"selinux-enforcing", "selinux-shared-mcs", "apparmor", "broken-mac"};

static int
run_mkfixture(const char *scenario)
{
        _cleanup_free_ char *script = xasprintf("%s/tests/mkfixture.py", src_root),
                            *src = xasprintf("%s/tests/fixtures/hosts-mac/%s", src_root, scenario),
                            *dest = xasprintf("%s/%s", work_dir, scenario);
        int status;
        pid_t pid;

        if (!script || !src || !dest)
                return -1;
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                execl("/usr/bin/python3", "python3", script, src, dest, (char *) NULL);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -1;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int
setup_fixtures(void **state)
{
        (void) state;
        src_root = getenv("KVMAUDIT_SOURCE_ROOT");
        work_dir = getenv("KVMAUDIT_TEST_WORK");
        if (!src_root || !work_dir) {
                print_error("KVMAUDIT_SOURCE_ROOT and KVMAUDIT_TEST_WORK must be set (meson test does)\n");
                return -1;
        }
        if (geteuid() != 0) {
                print_error("mkfixture.py needs root\n");
                return -1;
        }
        (void) mkdir(work_dir, 0755);
        for (size_t i = 0; i < ELEMENTSOF(scenarios); i++)
                if (run_mkfixture(scenarios[i]) < 0) {
                        print_error("mkfixture %s failed\n", scenarios[i]);
                        return -1;
                }
        return 0;
}

typedef struct Ctx {
        Host *host;
        FactStore *store;
        char *root;
} Ctx;

static void
ctx_open(Ctx *c, const char *scenario)
{
        c->root = xasprintf("%s/%s", work_dir, scenario);
        assert_non_null(c->root);
        assert_int_equal(host_new(c->root, &c->host), 0);
        assert_int_equal(fact_store_new(c->host, probe_namespaces, probe_namespaces_count, &c->store), 0);
}

static void
ctx_close(Ctx *c)
{
        fact_store_free(c->store);
        host_free(c->host);
        free(c->root);
}

static void
expect_str(FactStore *s, const char *key, const char *value)
{
        const Fact *f = fact_store_get(s, key);

        if (f->kind != FACT_STRING)
                print_error("%s: kind %s (%s)\n", key, fact_kind_to_string(f->kind), strna(f->string));
        assert_int_equal(f->kind, FACT_STRING);
        assert_string_equal(f->string, value);
}

static void
expect_contains(FactStore *s, const char *key, const char *needle)
{
        const Fact *f = fact_store_get(s, key);

        assert_int_equal(f->kind, FACT_STRING);
        if (!strstr(f->string, needle))
                print_error("%s: \"%s\" not in value\n", key, needle);
        assert_non_null(strstr(f->string, needle));
}

/* @joined: the list joined with '|' ("" for an empty list). */
static void
expect_list(FactStore *s, const char *key, const char *joined)
{
        const Fact *f = fact_store_get(s, key);
        _cleanup_free_ char *j = NULL;

        if (f->kind != FACT_LIST)
                print_error("%s: kind %s (%s)\n", key, fact_kind_to_string(f->kind), strna(f->string));
        assert_int_equal(f->kind, FACT_LIST);
        j = strv_join(f->list, "|");
        assert_non_null(j);
        assert_string_equal(j, joined);
}

static void
expect_absent(FactStore *s, const char *key)
{
        const Fact *f = fact_store_get(s, key);

        if (f->kind != FACT_ABSENT)
                print_error("%s: kind %s (%s)\n", key, fact_kind_to_string(f->kind), strna(f->string));
        assert_int_equal(f->kind, FACT_ABSENT);
}

static void
expect_error(FactStore *s, const char *key, int err, const char *message)
{
        const Fact *f = fact_store_get(s, key);

        if (f->kind != FACT_ERROR)
                print_error("%s: kind %s\n", key, fact_kind_to_string(f->kind));
        assert_int_equal(f->kind, FACT_ERROR);
        assert_int_equal(f->error, err);
        assert_string_equal(f->string, message);
}

static const char *const status_fields[] = {"uid", "gid", "capeff", "capprm", "seccomp", "nonewprivs"};

static void
expect_qemu_process(FactStore *s, const char *pid, const char *name, const char *uuid, const char *label)
{
        static const char *const values[] = {"64055 64055 64055 64055", "64055 64055 64055 64055",
                                             "0000000000000000", "0000000000000000", "2", "1"};
        char key[128], mnt[64];

        for (size_t i = 0; i < ELEMENTSOF(status_fields); i++) {
                snprintf(key, sizeof(key), "process:%s/%s", pid, status_fields[i]);
                expect_str(s, key, values[i]);
        }
        snprintf(key, sizeof(key), "process:%s/name", pid);
        expect_str(s, key, name);
        snprintf(key, sizeof(key), "process:%s/uuid", pid);
        expect_str(s, key, uuid);
        snprintf(key, sizeof(key), "process:%s/label", pid);
        expect_str(s, key, label);
        snprintf(key, sizeof(key), "process:%s/mntns", pid);
        snprintf(mnt, sizeof(mnt), "mnt:[40265322%s]", pid);
        expect_str(s, key, mnt);
}

#define U1 "6f3e1d2a-7b6c-4a1e-9d0f-1a2b3c4d5e6f"
#define U2 "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
#define SANDBOX "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"

static void
test_selinux_enforcing(void **state)
{
        _cleanup_free_ char *image = NULL;
        char buf[256];
        Ctx c = {};

        (void) state;
        ctx_open(&c, "selinux-enforcing");

        expect_str(c.store, "lsm:active", "lockdown,capability,yama,selinux,bpf");
        expect_str(c.store, "selinux:enforce", "1");
        expect_str(c.store, "selinux:config", "enforcing");
        expect_str(c.store, "selinux:type", "targeted");
        expect_list(c.store, "selinux:permissive", "");
        expect_str(c.store, "selinux:bool.virt_use_nfs", "0");
        expect_str(c.store, "selinux:bool.virt_use_execmem", "0");
        expect_absent(c.store, "selinux:bool.virt_use_fusefs");
        expect_error(c.store, "selinux:bool.../enforce", -EINVAL, "../enforce: invalid SELinux boolean name");
        expect_absent(c.store, "apparmor:profiles");
        expect_absent(c.store, "apparmor:enabled");

        /* The label, where the file system running the test stores security.* xattrs. */
        image = xasprintf("%s/var/lib/libvirt/images/web1.qcow2", c.root);
        assert_non_null(image);
        if (getxattr(image, "security.selinux", buf, sizeof(buf)) > 0)
                expect_str(c.store, "label:/var/lib/libvirt/images/web1.qcow2",
                           "system_u:object_r:svirt_image_t:s0:c1,c2");
        else
                expect_absent(c.store, "label:/var/lib/libvirt/images/web1.qcow2");
        expect_absent(c.store, "label:/etc/selinux/config");
        expect_absent(c.store, "label:/no/such/file");
        expect_error(c.store, "label:relative/path", -EINVAL, "relative/path: expected an absolute path");

        /* Domains: the live XML of running guests wins, the state from <domstatus>. */
        expect_list(c.store, "libvirt:domains", "db1|off1|web1");
        expect_str(c.store, "libvirt:source", "files");
        expect_str(c.store, "domainstate:web1", "running");
        expect_str(c.store, "domainstate:db1", "paused");
        expect_str(c.store, "domainstate:off1", "shutoff");
        expect_absent(c.store, "domainstate:gone");
        expect_contains(c.store, "domain:web1", "<label>system_u:system_r:svirt_t:s0:c1,c2</label>");
        expect_contains(c.store, "domain:off1", "<name>off1</name>");
        assert_true(startswith(fact_store_get(c.store, "domain:web1")->string, "<domain type=\"kvm\">"));
        assert_null(strstr(fact_store_get(c.store, "domain:web1")->string, "domstatus"));
        assert_null(strstr(fact_store_get(c.store, "domain:off1")->string, "WARNING"));

        /* Processes: pid 1 is not QEMU, gone.pid is stale. */
        expect_list(c.store, "qemu:pids", "1001|1002");
        expect_qemu_process(c.store, "1001", "web1", U1, "system_u:system_r:svirt_t:s0:c1,c2");
        expect_qemu_process(c.store, "1002", "db1", U2, "system_u:system_r:svirt_t:s0:c3,c4");
        expect_list(c.store, "process:1001/cmdline",
                    "/usr/bin/qemu-system-x86_64|-name|guest=web1,debug-threads=on|-S|-machine|"
                    "pc-q35-7.2,usb=off,dump-guest-core=off|-uuid|" U1 "|-sandbox|" SANDBOX);
        expect_absent(c.store, "process:1/uid");
        expect_absent(c.store, "process:4999/uid");

        /* Units and SASL. */
        expect_str(c.store, "unit:libvirtd.socket", "enabled");
        expect_str(c.store, "unit:libvirtd.service", "enabled");
        expect_str(c.store, "unit:libvirtd-tcp.socket", "disabled");
        expect_str(c.store, "unit:libvirtd-tls.socket", "masked");
        expect_absent(c.store, "unit:virtproxyd-tls.socket");
        expect_str(c.store, "unit:libvirtd.args", "--timeout 120");
        expect_error(c.store, "unit:../x.socket", -EINVAL, "../x.socket: invalid unit name");
        expect_str(c.store, "sasl:libvirt.mech_list", "gssapi");
        expect_str(c.store, "sasl:libvirt.keytab", "/etc/libvirt/krb5.tab");
        expect_absent(c.store, "sasl:libvirt.sasldb_path");

        ctx_close(&c);
}

static void
test_selinux_shared_mcs(void **state)
{
        Ctx c = {};

        (void) state;
        ctx_open(&c, "selinux-shared-mcs");
        expect_list(c.store, "selinux:permissive", "svirt_t"); /* permissive_old_t is disabled */
        expect_str(c.store, "selinux:bool.virt_use_nfs", "1");
        expect_list(c.store, "qemu:pids", "2001|2002");
        expect_qemu_process(c.store, "2001", "a1", U1, "system_u:system_r:svirt_t:s0:c1,c2");
        /* qemu-kvm, and a guest name with an escaped comma */
        expect_qemu_process(c.store, "2002", "b,x", U2, "system_u:system_r:svirt_t:s0:c1,c2");
        expect_list(c.store, "libvirt:domains", "a1");
        expect_str(c.store, "domainstate:a1", "shutoff");
        expect_str(c.store, "unit:libvirtd-tcp.socket", "enabled");
        expect_str(c.store, "unit:libvirtd.socket", "disabled");
        ctx_close(&c);
}

static void
test_apparmor(void **state)
{
        Ctx c = {};

        (void) state;
        ctx_open(&c, "apparmor");
        expect_str(c.store, "lsm:active", "lockdown,capability,landlock,yama,apparmor");
        expect_str(c.store, "apparmor:enabled", "Y");
        expect_list(c.store, "apparmor:profiles",
                    "/usr/sbin/cups-browsed (enforce)|libvirt-" U2 " (complain)|libvirt-" U1 " (enforce)|"
                    "libvirtd (enforce)|libvirtd//qemu_bridge_helper (enforce)|virt-aa-helper (enforce)");
        expect_absent(c.store, "selinux:enforce");
        expect_absent(c.store, "selinux:config");
        expect_absent(c.store, "selinux:permissive");
        /* 3002 renamed itself: found through its pid file. */
        expect_list(c.store, "qemu:pids", "3001|3002");
        expect_qemu_process(c.store, "3001", "vm1", U1, "libvirt-" U1 " (enforce)");
        expect_qemu_process(c.store, "3002", "vm2", U2, "libvirt-" U2 " (complain)");
        expect_list(c.store, "libvirt:domains", "vm1|vm2|vm3");
        expect_str(c.store, "domainstate:vm1", "running");
        expect_str(c.store, "domainstate:vm2", "running");
        expect_str(c.store, "domainstate:vm3", "shutoff");
        expect_contains(c.store, "domain:vm1", "<label>libvirt-" U1 "</label>");
        ctx_close(&c);
}

static void
test_broken(void **state)
{
        char key[64];
        Ctx c = {};

        (void) state;
        ctx_open(&c, "broken-mac");
        expect_error(c.store, "selinux:enforce", -EBADMSG,
                     "/sys/fs/selinux/enforce: expected 0 or 1, found \"enforcing?\"");
        expect_str(c.store, "selinux:config", "permissive");
        expect_absent(c.store, "selinux:type");
        expect_absent(c.store, "selinux:permissive");
        expect_error(c.store, "selinux:bool.virt_use_nfs", -EBADMSG,
                     "/sys/fs/selinux/booleans/virt_use_nfs: expected \"0 0\"..\"1 1\", found \"maybe\"");
        expect_error(c.store, "apparmor:profiles", -EBADMSG,
                     "/sys/kernel/security/apparmor/profiles: expected \"NAME (MODE)\", found \"no mode here\"");

        /* A truncated status: what is there is kept, the rest is an error. */
        expect_list(c.store, "qemu:pids", "4001|4002");
        expect_str(c.store, "process:4001/uid", "64055 64055 64055 64055");
        expect_error(c.store, "process:4001/gid", -EBADMSG, "/proc/4001/status: no Gid: line");
        expect_error(c.store, "process:4001/capeff", -EBADMSG, "/proc/4001/status: no CapEff: line");
        expect_error(c.store, "process:4001/seccomp", -EBADMSG, "/proc/4001/status: no Seccomp: line");
        expect_str(c.store, "process:4001/name", "t1");
        /* 100000 arguments: beyond PROCESS_ARGS_MAX (16384). */
        expect_error(c.store, "process:4002/cmdline", -E2BIG, "/proc/4002/cmdline: more than 16384 arguments");
        expect_error(c.store, "process:4002/name", -E2BIG, "/proc/4002/cmdline: more than 16384 arguments");
        expect_error(c.store, "process:4002/uuid", -E2BIG, "/proc/4002/cmdline: more than 16384 arguments");
        expect_str(c.store, "process:4002/uid", "0 0 0 0");
        expect_str(c.store, "process:4002/capeff", "000001ffffffffff");
        expect_str(c.store, "process:4002/seccomp", "0");
        expect_str(c.store, "process:4002/label", "unconfined_u:unconfined_r:unconfined_t:s0");
        for (size_t i = 0; i < ELEMENTSOF(status_fields); i++) {
                snprintf(key, sizeof(key), "process:4003/%s", status_fields[i]);
                expect_absent(c.store, key);
        }

        /* Malformed domain files stay listed, as errors. */
        expect_list(c.store, "libvirt:domains", "bad|good|noname");
        expect_str(c.store, "domainstate:good", "shutoff");
        expect_error(c.store, "domain:bad", -EBADMSG, "/etc/libvirt/qemu/bad.xml:2: not well-formed XML: Premature end of data in tag domain line 1");
        expect_error(c.store, "domainstate:bad", -EBADMSG, "/etc/libvirt/qemu/bad.xml:2: not well-formed XML: Premature end of data in tag domain line 1");
        expect_error(c.store, "domain:noname", -EBADMSG, "/etc/libvirt/qemu/noname.xml:1: <domain> without <name>");

        expect_error(c.store, "sasl:libvirt.mech_list", -EBADMSG,
                     "/etc/sasl2/libvirt.conf:2: expected \"key: value\"");
        expect_absent(c.store, "unit:libvirtd.args");
        expect_absent(c.store, "unit:libvirtd.socket");
        ctx_close(&c);
}

/* An offline root without /proc, /sys or /run: runtime facts skip, domains
 * come from /etc alone. */
static void
test_offline_without_runtime(void **state)
{
        _cleanup_free_ char *root = xasprintf("%s/no-runtime", work_dir), *etc = NULL, *libvirt = NULL;
        Host *h = NULL;
        FactStore *s = NULL;

        (void) state;
        assert_non_null(root);
        (void) mkdir(root, 0755);
        etc = xasprintf("%s/etc", root);
        assert_non_null(etc);
        (void) mkdir(etc, 0755);
        libvirt = xasprintf("%s/libvirt", etc);
        assert_non_null(libvirt);
        (void) rmdir(libvirt); /* left by an earlier run */
        assert_int_equal(host_new(root, &h), 0);
        assert_int_equal(fact_store_new(h, probe_namespaces, probe_namespaces_count, &s), 0);

        expect_error(s, "qemu:pids", -ENOMEDIUM, "/proc: runtime state not available in an offline root");
        expect_error(s, "process:1/uid", -ENOMEDIUM, "/proc: runtime state not available in an offline root");
        expect_error(s, "selinux:enforce", -ENOMEDIUM,
                     "/sys/fs/selinux/enforce: runtime state not available in an offline root");
        expect_error(s, "lsm:active", -ENOMEDIUM,
                     "/sys/kernel/security/lsm: runtime state not available in an offline root");
        expect_absent(s, "selinux:config");
        /* No libvirt in this root: its facts say so (a skip with that
         * reason), never an empty list that reads as "no domains". */
        expect_error(s, "libvirt:domains", -ENOPKG,
                     "libvirt is not installed in this root: none of /etc/libvirt, /usr/sbin/libvirtd, "
                     "/usr/sbin/virtqemud, /run/libvirt/libvirt-sock, /run/libvirt/virtqemud-sock exists");
        expect_error(s, "qemu.conf:user", -ENOPKG,
                     "libvirt is not installed in this root: none of /etc/libvirt, /usr/sbin/libvirtd, "
                     "/usr/sbin/virtqemud, /run/libvirt/libvirt-sock, /run/libvirt/virtqemud-sock exists");
        expect_absent(s, "unit:libvirtd.socket");
        expect_absent(s, "sasl:libvirt.mech_list");
        fact_store_free(s);
        host_free(h);

        /* With libvirt's directory the files are the source: no domain. */
        (void) mkdir(libvirt, 0755);
        assert_int_equal(host_new(root, &h), 0);
        assert_int_equal(fact_store_new(h, probe_namespaces, probe_namespaces_count, &s), 0);
        expect_list(s, "libvirt:domains", "");
        expect_str(s, "libvirt:source", "files");
        expect_absent(s, "domain:web1");
        expect_absent(s, "qemu.conf:user");

        fact_store_free(s);
        host_free(h);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_selinux_enforcing),
                cmocka_unit_test(test_selinux_shared_mcs),
                cmocka_unit_test(test_apparmor),
                cmocka_unit_test(test_broken),
                cmocka_unit_test(test_offline_without_runtime),
        };

        return cmocka_run_group_tests(tests, setup_fixtures, NULL);
}
