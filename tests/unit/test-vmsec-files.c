/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Short names and the other VMs' files (src/domain/domain-names.c,
 * domain-files.c), as tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain-files.h"
#include "domain-names.h"
#include "domain.h"
#include "strv.h"
#include "util.h"

static void
test_short_name(void **state)
{
        static const struct {
                const char *in, *out;
                int r;
        } t[] = {
                {"web", "web", 0},
                {"exactly-twenty-bytes", "exactly-twenty-bytes", 0},
                {"twenty-one-bytes-long", "twenty-one-bytes-lon", 0},
                {"h\xc3\xa9llo", "h\xc3\xa9llo", 0},                         /* short: kept whole */
                {"\xc3\xa9t\xc3\xa9-une-machine-virtuelle", NULL, -EINVAL}, /* cut by locale: unknown */
                {"", "", 0},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *s = NULL;
                const char *why = NULL;

                print_message("short name \"%s\"\n", t[i].in);
                assert_int_equal(domain_short_name(t[i].in, &s, &why), t[i].r);
                if (t[i].r == 0)
                        assert_string_equal(s, t[i].out);
                else
                        assert_non_null(why);
        }
}

static void
test_short_name_unique(void **state)
{
        char *others[] = {(char *) "twenty-one-bytes-lonG", (char *) "web", NULL};
        char *none[] = {(char *) "web", NULL};
        const char *o = NULL;

        (void) state;
        assert_int_equal(domain_short_name_unique("web", others, false, &o), 0);
        assert_int_equal(domain_short_name_unique("twenty-one-bytes-long", others, true, &o), -EEXIST);
        assert_string_equal(o, "twenty-one-bytes-lonG");
        assert_int_equal(domain_short_name_unique("twenty-one-bytes-long", none, true, &o), 0);
        assert_int_equal(domain_short_name_unique("twenty-one-bytes-long", none, false, &o), -ENOKEY);
}

static Domain *
parse(const char *xml)
{
        Domain *d = NULL;
        char *err = NULL;

        assert_int_equal(domain_parse(xml, strlen(xml), "test", &d, &err), 0);
        free(err);
        return d;
}

static void
test_other_vm_files(void **state)
{
        static const char xml[] =
                "<domain type='kvm'><name>other</name><uuid>AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE</uuid>"
                "<os><type>hvm</type><nvram>/var/lib/libvirt/qemu/nvram/other_VARS.fd</nvram>"
                "<kernel>/boot/vmlinuz-guest</kernel></os><devices>"
                "<disk type='file' device='disk'><source file='/img/other.qcow2'/><target dev='vda'/>"
                "<backingStore type='file'><format type='qcow2'/><source file='/img/base.qcow2'/></backingStore>"
                "</disk>"
                "<disk type='file' device='cdrom'><source file='/iso/install.iso'/><target dev='sda'/></disk>"
                "<disk type='file' device='disk'><source file='/img/shared.raw'/><shareable/><target dev='vdb'/></disk>"
                "<disk type='network' device='disk'><source protocol='rbd' name='pool/img'/><target dev='vdc'/></disk>"
                "<filesystem type='mount'><source dir='/srv/rw'/><target dir='rw'/></filesystem>"
                "<filesystem type='mount'><source dir='/srv/ro'/><target dir='ro'/><readonly/></filesystem>"
                "<serial type='file'><source path='/var/log/other-serial.log'/><log file='/var/log/other-con.log'/>"
                "<target port='0'/></serial>"
                "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"
                "</devices></domain>";
        static const char xml2[] =
                "<domain type='kvm'><name>third</name><devices>"
                "<disk type='file' device='disk'><source file='/img/base.qcow2'/><target dev='vda'/></disk>"
                "<tpm model='tpm-tis'><backend type='external'><source type='unix' mode='connect' "
                "path='/run/swtpm-third.sock'/></backend></tpm>"
                "</devices></domain>";
        static const char *const want_private[] = {
                "/img/other.qcow2", "/var/lib/libvirt/qemu/nvram/other_VARS.fd", "/srv/rw",
                "/var/log/other-serial.log", "/var/log/other-con.log",
                "/var/lib/libvirt/swtpm/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                "/var/log/swtpm/libvirt/qemu/other-swtpm.log", "/img/base.qcow2", "/run/swtpm-third.sock",
        };
        static const char *const want_shared[] = {
                "/iso/install.iso", "/img/shared.raw", "/boot/vmlinuz-guest", "/srv/ro",
        };
        _cleanup_domain_free_ Domain *d = parse(xml), *d2 = parse(xml2);
        _cleanup_(domain_files_done) DomainFiles f = {};

        (void) state;
        assert_int_equal(domain_files_add(&f, d), 0);
        assert_true(strv_contains(f.shared_paths, "/img/base.qcow2")); /* read by "other" */
        assert_int_equal(domain_files_add(&f, d2), 0);
        domain_files_finish(&f);
        /* written by "third", so no longer only shared */
        assert_false(strv_contains(f.shared_paths, "/img/base.qcow2"));
        assert_int_equal(strv_length(f.private_paths), ELEMENTSOF(want_private));
        for (size_t i = 0; i < ELEMENTSOF(want_private); i++) {
                print_message("private %s\n", want_private[i]);
                assert_true(strv_contains(f.private_paths, want_private[i]));
        }
        assert_int_equal(strv_length(f.shared_paths), ELEMENTSOF(want_shared));
        for (size_t i = 0; i < ELEMENTSOF(want_shared); i++)
                assert_true(strv_contains(f.shared_paths, want_shared[i]));
}

static void
test_normalize_table(void **state)
{
        static const struct {
                const char *in, *out;
        } t[] = {
                {"/a//b/", "/a/b"}, {"///", "/"}, {"/a/.b/..c", "/a/.b/..c"},
                /* "." is read as the kernel reads it; ".." never lexically */
                {"/a/./b", "/a/b"}, {"/./a/.", "/a"}, {"/.", "/"}, {"/a/../b", NULL}, {"/a/./../b", NULL},
                {"/a/..", NULL}, {"a/b", NULL}, {"./a", NULL}, {"", NULL}, {"/a\x7f", NULL},
                {"/a\x1b[31m", NULL},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *r = NULL;
                const char *why = NULL;
                int q = domain_path_normalize(t[i].in, &r, &why);

                assert_int_equal(q, t[i].out ? 0 : -EINVAL);
                if (t[i].out)
                        assert_string_equal(r, t[i].out);
                else
                        assert_non_null(why);
        }
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_short_name),     cmocka_unit_test(test_short_name_unique),
                cmocka_unit_test(test_other_vm_files), cmocka_unit_test(test_normalize_table),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
