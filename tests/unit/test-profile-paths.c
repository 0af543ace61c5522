/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Path validation, deny tables, image headers and the backing-chain walk
 * shared by the profile generators. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "profile-image.h"
#include "profile-paths.h"
#include "profile.h"
#include "strv.h"
#include "util.h"

static void
test_normalize(void **state)
{
        static const struct {
                const char *in, *out;
        } ok[] = {
                {"/var/lib/libvirt/images/a.qcow2", "/var/lib/libvirt/images/a.qcow2"},
                {"//var//lib/", "/var/lib"},
                {"/", "/"},
                {"/a/./b", "/a/b"},
        };
        static const char *const bad[] = {
                "relative/path", "", "/a/../etc/shadow", "/a/b/..", "/a\nb", "/a\tb",
        };
        (void) state;
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                char *r = NULL;
                const char *why = NULL;
                assert_int_equal(domain_path_normalize(ok[i].in, &r, &why), 0);
                assert_string_equal(r, ok[i].out);
                free(r);
        }
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *r = NULL;
                const char *why = NULL;
                assert_int_equal(domain_path_normalize(bad[i], &r, &why), -EINVAL);
                assert_null(r);
                assert_non_null(why);
        }
}

static void
test_under_and_special(void **state)
{
        (void) state;
        assert_true(domain_path_under("/etc/shadow", "/etc"));
        assert_true(domain_path_under("/etc", "/etc"));
        assert_false(domain_path_under("/etc2/x", "/etc"));
        assert_true(domain_path_under("/anything", "/"));
        assert_false(profile_path_has_special("/var/lib/libvirt/images/a-b_c.qcow2"));
        for (const char *const *p = (const char *const[]) {"/a*", "/a?", "/a[1]", "/a{b}", "/a^", "/a\"b", "/a,b",
                                                              "/a b", "/@{HOME}", "/a\\b", NULL};
             *p; p++)
                assert_true(profile_path_has_special(*p));
}

static void
test_same_disk(void **state)
{
        (void) state;
        assert_true(profile_path_same_disk("/dev/sda", "/dev/sda2"));
        assert_true(profile_path_same_disk("/dev/sda2", "/dev/sda"));
        assert_true(profile_path_same_disk("/dev/nvme0n1", "/dev/nvme0n1p2"));
        assert_false(profile_path_same_disk("/dev/sdb", "/dev/sda2"));
        assert_false(profile_path_same_disk("/dev/nvme0n1", "/dev/nvme0n10p1"));
}

static void
test_deny_table(void **state)
{
        ProfileDenyTable t = {};
        char *err = NULL;

        (void) state;
        assert_int_equal(profile_deny_table_parse("# comment\nany /etc/shadow host passwords\n"
                                                  "write /etc system configuration\n"
                                                  "tree /var/lib/libvirt/images every VM's images\n",
                                                  "deny", &t, &err),
                         0);
        assert_int_equal(t.n_entries, 3);
        assert_non_null(profile_deny_table_match(&t, "/etc/shadow", false, false));
        assert_null(profile_deny_table_match(&t, "/etc/hosts", false, false));
        assert_non_null(profile_deny_table_match(&t, "/etc/hosts", true, false));
        assert_non_null(profile_deny_table_match(&t, "/var/lib/libvirt", false, true));
        assert_null(profile_deny_table_match(&t, "/var/lib/libvirt/images/a.qcow2", true, false));
        profile_deny_table_done(&t);

        assert_int_equal(profile_deny_table_parse("any /ok fine\nmaybe /x what\n", "deny", &t, &err), -EBADMSG);
        assert_non_null(err);
        assert_true(startswith(err, "deny:2:"));
        free(err);
}

static void
test_deny_vmstate(void **state)
{
        const char *text = "any /run/libvirt control sockets\n"
                           "vmstate /run/libvirt/qemu runtime state\n"
                           "vmstate /var/lib/libvirt/qemu per-VM state\n"
                           "tree /var/lib/libvirt shared\n";
        const ProfileVmId web = {.name = "web", .uuid = "11111111-2222-3333-4444-555555555555"};
        const ProfileVmId longname = {.name = "customer-a-webserver-01"};
        char *names[] = {(char *) "customer-a-webserver-02", NULL}, *err = NULL;
        ProfileDenyTable t = {};
        const char *other = NULL;

        (void) state;
        assert_int_equal(profile_deny_table_parse(text, "deny", &t, &err), 0);
        /* every daemon socket, whatever its name */
        assert_non_null(profile_deny_table_check(&t, "/run/libvirt/libvirt-admin-sock", true, false, &web));
        assert_non_null(profile_deny_table_check(&t, "/run/libvirt/virtsecretd-sock", true, false, &web));
        /* its own entries, and only those */
        assert_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/domain-12-web/master-key.aes", false, false,
                                             &web));
        assert_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/nvram/web_VARS.fd", true, false, &web));
        assert_null(profile_deny_table_check(&t, "/run/libvirt/qemu/swtpm/3-web-swtpm.sock", true, false, &web));
        assert_non_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/domain-12-web-2/master-key.aes", false,
                                                 false, &web));
        assert_non_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/domain-1-x/monitor.sock", true, false,
                                                 &web));
        assert_non_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/nvram/web-2_VARS.fd", true, false, &web));
        assert_non_null(profile_deny_table_check(&t, "/run/libvirt/qemu/other.xml", false, false, &web));
        assert_non_null(profile_deny_table_check(&t, "/run/libvirt/qemu/web.xml", false, false, &web));
        assert_non_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/domain-99999999-web/x", false, false,
                                                 &web));
        /* the directories themselves, and trees over them */
        assert_non_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/channel", true, true, &web));
        assert_non_null(profile_deny_table_check(&t, "/run/libvirt/qemu", false, true, &web));
        assert_non_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu", false, false, &web));
        assert_null(profile_deny_table_check(&t, "/var/lib/libvirt/qemu/domain-1-web", true, true, &web));
        /* no VM owns anything */
        assert_non_null(profile_deny_table_match(&t, "/var/lib/libvirt/qemu/domain-12-web/master-key.aes", false,
                                                 false));
        profile_deny_table_done(&t);

        /* nothing may weaken an "any" entry */
        assert_int_equal(profile_deny_table_parse("any /run/libvirt x\nwrite /run/libvirt/qemu y\n", "deny", &t,
                                                  &err),
                         -EBADMSG);
        free(err);
        err = NULL;
        assert_int_equal(profile_deny_table_parse("tree /run/libvirt/qemu y\nany /run/libvirt x\n", "deny", &t,
                                                  &err),
                         -EBADMSG);
        free(err);

        /* short names: 20 bytes, and unique among the defined domains */
        assert_int_equal(domain_short_name_unique("web", NULL, false, &other), 0);
        assert_int_equal(domain_short_name_unique(longname.name, names, true, &other), -EEXIST);
        assert_string_equal(other, "customer-a-webserver-02");
        assert_int_equal(domain_short_name_unique(longname.name, NULL, false, &other), -ENOKEY);
        assert_true(profile_runtime_covered("/var/lib/libvirt/qemu/domain-3-customer-a-webserver/monitor.sock",
                                            &longname));
        assert_false(profile_runtime_covered("/var/lib/libvirt/qemu/domain-3-web/sub/x", &web));
        assert_true(profile_runtime_covered("/var/lib/libvirt/qemu/channel/target/domain-3-web/org.qemu.guest_agent.0",
                                            &web));
}

/* A qcow2 v2 header naming @backing (no format extension). */
static size_t
qcow2_head(char *buf, size_t size, const char *backing)
{
        size_t n = strlen(backing), off = 72;

        assert_true(off + n <= size);
        memset(buf, 0, size);
        memcpy(buf, "QFI\xfb", 4);
        buf[7] = 2;                             /* version 2, big endian */
        buf[15] = (char) off;                   /* backing_file_offset */
        buf[19] = (char) n;                     /* backing_file_size */
        memcpy(buf + off, backing, n);
        return off + n;
}

static void
test_image_backing(void **state)
{
        char head[512], *backing = NULL, *fmt = NULL;
        const char *why = NULL;
        size_t len = qcow2_head(head, sizeof(head), "base.qcow2");

        (void) state;
        assert_int_equal(profile_image_backing(head, len, "qcow2", &backing, &fmt, &why), 0);
        assert_string_equal(backing, "base.qcow2");
        free(backing);
        free(fmt);
        backing = fmt = NULL;
        /* raw: no header to trust */
        assert_int_equal(profile_image_backing(head, len, "raw", &backing, &fmt, &why), 0);
        assert_null(backing);
        /* a header cut short is refused, not read past its end */
        assert_true(profile_image_backing(head, 70, "qcow2", &backing, &fmt, &why) < 0);
        assert_non_null(why);
}

/* The backing-chain walk over a fake host: a.qcow2 -> b.qcow2 -> a.qcow2. */
typedef struct Fake {
        const char *names[4];
        char **granted;
        bool loop;
} Fake;

static int
fake_read_head(void *userdata, const char *path, size_t max, char **ret, size_t *ret_len)
{
        Fake *f = userdata;
        char buf[512];
        const char *next = NULL;

        (void) max;
        if (streq(path, "/img/a.qcow2"))
                next = "b.qcow2";
        else if (streq(path, "/img/b.qcow2"))
                next = f->loop ? "/img/a.qcow2" : "/etc/shadow";
        else
                return -ENOENT;
        *ret_len = qcow2_head(buf, sizeof(buf), next);
        *ret = malloc(*ret_len);
        assert_non_null(*ret);
        memcpy(*ret, buf, *ret_len);
        return 0;
}

static int
fake_add(void *userdata, const char *elem, const char *path, char **ret_real)
{
        Fake *f = userdata;

        (void) elem;
        assert_int_equal(strv_extend(&f->granted, path), 0);
        *ret_real = strdup(path);
        return 0;
}

static bool
fake_in_dirs(void *userdata, const char *real)
{
        (void) userdata;
        return startswith(real, "/img/");
}

static void
test_backing_walk(void **state)
{
        Fake f = {.loop = true};
        ProfileHost host = {.userdata = &f, .read_head = fake_read_head};
        ProfileBackingOps ops = {.userdata = &f, .add = fake_add, .in_disk_dirs = fake_in_dirs};
        char *err = NULL;

        (void) state;
        assert_int_equal(profile_backing_chain_walk(&host, "disk vda", "/img/a.qcow2", "qcow2", &ops, &err), -ELOOP);
        assert_non_null(strstr(err, "loops"));
        free(err);
        err = NULL;
        f.granted = strv_free(f.granted);

        /* a header naming a file outside the VM's directories is refused */
        f.loop = false;
        assert_int_equal(profile_backing_chain_walk(&host, "disk vda", "/img/a.qcow2", "qcow2", &ops, &err), -EPERM);
        assert_non_null(strstr(err, "/etc/shadow"));
        assert_non_null(strstr(err, "outside the directories"));
        free(err);
        f.granted = strv_free(f.granted);

        /* no host: nothing to read, nothing refused */
        assert_int_equal(profile_backing_chain_walk(NULL, "disk vda", "/img/a.qcow2", "qcow2", &ops, &err), 0);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_normalize),       cmocka_unit_test(test_under_and_special),
                cmocka_unit_test(test_same_disk),       cmocka_unit_test(test_deny_table),
                cmocka_unit_test(test_deny_vmstate),
                cmocka_unit_test(test_image_backing),   cmocka_unit_test(test_backing_walk),
        };

        return cmocka_run_group_tests_name("profile-paths", tests, NULL, NULL);
}
