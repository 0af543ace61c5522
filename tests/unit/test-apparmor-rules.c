/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the AppArmor profile source parser (src/domain/aa-rules.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aa-rules.h"
#include "strv.h"
#include "util.h"

static void
test_rules_normalized(void **state)
{
        static const char text[] =
                "#\n# comment\n#include <tunables/global>\n"
                "profile libvirt-x flags=(attach_disconnected) {\n"
                "  #include <abstractions/libvirt-qemu>\n"
                "  #include <libvirt/libvirt-x.files>\n"
                "  include if exists <local/x>\n"
                "  \"/var/lib/libvirt/images/a b.qcow2\" rwk,\n"
                "  deny \"/usr/share/OVMF/OVMF_CODE.fd\" w,\n"
                "  audit owner /srv/** r,  # trailing\n"
                "  rw /dev/sdb,\n"
                "  /usr/bin/x px -> other,\n"
                "  \"/a/\\*\" r,\n"
                "  capability   sys_admin,\n"
                "}\n";
        _cleanup_strv_free_ char **rules = NULL;
        _cleanup_free_ char *err = NULL;
        const char *want[] = {
                "include <tunables/global>", "include <abstractions/libvirt-qemu>", "include <local/x>",
                "/var/lib/libvirt/images/a b.qcow2 rwk", "/srv/** r", "/dev/sdb rw", "/usr/bin/x px",
                "/a/\\* r", "capability sys_admin",
        };

        (void) state;
        assert_int_equal(aa_rules_parse(text, "t", "<libvirt/libvirt-x.files>", &rules, &err), 0);
        assert_int_equal(strv_length(rules), ELEMENTSOF(want));
        for (size_t i = 0; i < ELEMENTSOF(want); i++)
                assert_string_equal(rules[i], want[i]);
}

static void
test_rules_errors(void **state)
{
        static const char *const bad[] = {
                "  /x rw\n",                 /* no comma */
                "  \"/x rw,\n",              /* unterminated quote */
                "  /x zz,\n",                /* not permissions */
                "profile a {\n  ^hat {\n",   /* nested block */
                "profile a {\n",             /* unterminated */
                "  x rw,\n",                 /* relative path */
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_strv_free_ char **rules = NULL;
                _cleanup_free_ char *err = NULL;

                assert_int_equal(aa_rules_parse(bad[i], "f.files", NULL, &rules, &err), -EBADMSG);
                assert_non_null(err);
                assert_true(startswith(err, "f.files"));
        }
}

static void
test_rules_bounded(void **state)
{
        _cleanup_strv_free_ char **rules = NULL;
        _cleanup_free_ char *err = NULL;
        StrBuf b = {};

        (void) state;
        for (unsigned i = 0; i <= AA_RULES_MAX; i++)
                strbuf_printf(&b, "/f%u r,\n", i);
        _cleanup_free_ char *text = strbuf_steal(&b);
        assert_non_null(text);
        assert_int_equal(aa_rules_parse(text, "t", NULL, &rules, &err), -E2BIG);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rules_normalized),
                cmocka_unit_test(test_rules_errors),
                cmocka_unit_test(test_rules_bounded),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
