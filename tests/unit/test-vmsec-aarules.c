/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The AppArmor policy engine (src/domain/aa-rules.c): brace expansion,
 * the glob cover test, rule lists and virt-aa-helper's own rules, as
 * tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aa-rules.h"
#include "domain.h"
#include "profile.h"
#include "strv.h"
#include "util.h"

static void
test_braces(void **state)
{
        static const struct {
                const char *in;
                const char *out[6];
        } t[] = {
                {"/a", {"/a"}},
                {"/a{b,c}", {"/a" "b", "/a" "c"}},
                {"{/var,}/run/x", {"/var/run/x", "/run/x"}},
                {"/a{b,{c,d}}e", {"/abe", "/ace", "/ade"}},
                {"/a\\{b,c\\}", {"/a\\{b,c\\}"}},            /* escaped: no alternatives */
                {"/a{b,c}{1,2}", {"/ab1", "/ab2", "/ac1", "/ac2"}},
                {"/a{b", {"/a{b"}},                          /* unclosed: literal */
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_strv_free_ char **l = NULL;
                size_t n = 0;

                print_message("braces \"%s\"\n", t[i].in);
                assert_int_equal(aa_expand_braces(t[i].in, &l), 0);
                while (n < ELEMENTSOF(t[i].out) && t[i].out[n])
                        n++;
                assert_int_equal(strv_length(l), n);
                for (size_t k = 0; k < n; k++)
                        assert_string_equal(l[k], t[i].out[k]);
        }
}

static void
test_braces_bounded(void **state)
{
        _cleanup_strv_free_ char **l = NULL;

        (void) state;
        /* 4^4 = 256 alternatives > AA_RULES_BRACE_ALTS_MAX */
        assert_int_equal(aa_expand_braces("/{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}", &l), -E2BIG);
}

static void
test_glob_covers(void **state)
{
        static const struct {
                const char *pattern, *expr;
                int r;
                bool covers;
        } t[] = {
                {"/a/b", "/a/b", 0, true},
                {"/a/b", "/a/c", 0, false},
                {"/a/*", "/a/b", 0, true},
                {"/a/*", "/a/b/c", 0, false},           /* * stays in one component */
                {"/a/**", "/a/b/c", 0, true},
                {"/a/**", "/a/*", 0, true},
                {"/a/*", "/a/**", 0, false},            /* narrower wildcard never covers a wider one */
                {"/a/?", "/a/x", 0, true},
                {"/a/?", "/a/xy", 0, false},
                {"/a/?", "/a//", 0, false},             /* ? never matches '/' */
                {"/a/[0-9]", "/a/5", 0, true},
                {"/a/[0-9]", "/a/x", 0, false},
                {"/a/[^0-9]", "/a/x", 0, true},
                {"/a/[^0-9]", "/a/5", 0, false},
                {"/a/[0-9]", "/a/[0-9]", 0, true},
                {"/a/{b,c}", "/a/b", 0, true},
                {"/a/b", "/a/{b,c}", 0, false},         /* every alternative must be covered */
                {"/a/{b,c}", "/a/{c,b}", 0, true},
                {"{/var,}/run/**", "/run/libvirt/x.pid", 0, true},
                {"/a/\\*", "/a/*", 0, false},           /* an escaped star is a literal */
                {"/a/\\*", "/a/\\*", 0, true},
                {"/a/*", "/a/\\*", 0, true},
                {"/var/lib/libvirt/qemu/domain-{[0-9],[0-9][0-9]}-web/*",
                 "/var/lib/libvirt/qemu/domain-12-web/monitor.sock", 0, true},
                {"/var/lib/libvirt/qemu/domain-{[0-9],[0-9][0-9]}-web/*",
                 "/var/lib/libvirt/qemu/domain-123-web/monitor.sock", 0, false},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                bool hit = !t[i].covers;

                print_message("covers \"%s\" \"%s\"\n", t[i].pattern, t[i].expr);
                assert_int_equal(aa_glob_covers(t[i].pattern, t[i].expr, &hit), t[i].r);
                assert_int_equal(hit, t[i].covers);
        }
}

static void
test_glob_bounded(void **state)
{
        _cleanup_free_ char *lng = malloc(AA_RULES_PATH_MAX + 3);
        bool hit;

        (void) state;
        assert_non_null(lng);
        lng[0] = '/';
        memset(lng + 1, 'a', AA_RULES_PATH_MAX + 1);
        lng[AA_RULES_PATH_MAX + 2] = '\0';
        assert_int_equal(aa_glob_covers("/**", lng, &hit), -E2BIG);
}

static void
test_missing_perms(void **state)
{
        _cleanup_(aa_rules_done) AaRules gen = {}, one = {};
        char missing[32];

        (void) state;
        assert_int_equal(aa_rules_add_item(&gen, "/srv/vm/** rw"), 0);
        assert_int_equal(aa_rules_add_item(&gen, "/srv/vm/disk.img k"), 0);
        assert_int_equal(aa_rules_add_item(&gen, "include <abstractions/libvirt-qemu>"), 0);
        assert_null(gen.v[2].perms);

        static const struct {
                const char *item, *missing;
        } t[] = {
                {"/srv/vm/disk.img rwk", ""},   /* two rules together grant it */
                {"/srv/vm/x a", ""},            /* append is covered by write */
                {"/srv/vm/x rwm", "m"},
                {"/srv/other rw", "rw"},
                {"/srv/vm/** rw", ""},
                {"/srv/** r", "r"},
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                aa_rules_done(&one);
                assert_int_equal(aa_rules_add_item(&one, t[i].item), 0);
                assert_int_equal(aa_rule_missing_perms(&gen, &one.v[0], missing, sizeof(missing)), 0);
                print_message("missing \"%s\" -> \"%s\"\n", t[i].item, missing);
                assert_string_equal(missing, t[i].missing);
        }
}

static void
test_libvirt_own(void **state)
{
        _cleanup_(aa_rules_done) AaRules rs = {};
        bool found = false;

        (void) state;
        /* a name longer than libvirt's 20-byte short name, with glob
         * characters that must come out escaped */
        assert_int_equal(aa_rules_add_libvirt_own(&rs, "web*server-with-a-long-name", 7), 0);
        assert_int_equal(rs.n, 6);
        assert_string_equal(rs.v[0].path, "/var/log/libvirt/**/web\\*server-with-a-long-name.log");
        for (size_t i = 0; i < rs.n; i++)
                if (streq(rs.v[i].path, "/var/lib/libvirt/qemu/domain-7-web\\*server-with-a-lo/*"))
                        found = true;
        assert_true(found);

        aa_rules_done(&rs);
        assert_int_equal(aa_rules_add_libvirt_own(&rs, "web", -1), 0);
        assert_true(strstr(rs.v[2].path, "domain-{[0-9],[0-9][0-9],") != NULL);
}

static void
test_parse_generated(void **state)
{
        /* what the generator writes: quoted paths, deny lines, includes */
        static const char text[] = "# comment\n#include <tunables/global>\n"
                                   "profile libvirt-x flags=(attach_disconnected) {\n"
                                   "  #include <abstractions/libvirt-qemu>\n\n"
                                   "  \"/var/lib/libvirt/images/a\\{1\\}.qcow2\" rwk,\n"
                                   "  \"/usr/share/OVMF/OVMF_CODE.fd\" r,\n"
                                   "  deny \"/usr/share/OVMF/OVMF_CODE.fd\" w,\n"
                                   "}\n";
        _cleanup_strv_free_ char **items = NULL;
        _cleanup_free_ char *err = NULL;
        _cleanup_(aa_rules_done) AaRules rs = {};

        (void) state;
        assert_int_equal(aa_rules_parse(text, "gen", NULL, &items, &err), 0);
        assert_int_equal(strv_length(items), 4);
        STRV_FOREACH(i, items)
                assert_int_equal(aa_rules_add_item(&rs, *i), 0);
        assert_string_equal(rs.v[0].path, "include <tunables/global>");
        assert_null(rs.v[0].perms);
        assert_string_equal(rs.v[2].path, "/var/lib/libvirt/images/a\\{1\\}.qcow2");
        assert_string_equal(rs.v[2].perms, "rwk");
        assert_string_equal(rs.v[3].perms, "r");
}

/* The generator's in-memory rules are what the one parser reads back from
 * the text it renders: the check compares loaded profiles with the former. */
static void
test_generator_rules_match_text(void **state)
{
        static const char xml[] =
                "<domain type='kvm'><name>web-with-a-rather-long-name</name>"
                "<uuid>8E3A9F3C-1F4B-4C7E-9D2A-0A1B2C3D4E5F</uuid>"
                "<os><type>hvm</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
                "<nvram>/var/lib/libvirt/qemu/nvram/web-with-a-rather-long-name_VARS.fd</nvram></os><devices>"
                "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                "<source file='/var/lib/libvirt/images/a{1}*.img'/><target dev='vda'/></disk>"
                "<disk type='file' device='cdrom'><source file='/srv/iso/x.iso'/><target dev='sda'/><readonly/></disk>"
                "<serial type='unix'><source mode='bind' path='/srv/console.sock'/><target port='0'/></serial>"
                "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"
                "</devices></domain>";
        _cleanup_domain_free_ Domain *d = NULL;
        _cleanup_free_ char *err = NULL, *text = NULL;
        _cleanup_strv_free_ char **items = NULL;
        _cleanup_(aa_rules_done) AaRules mem = {}, parsed = {};
        char *other_names[] = {(char *) "db", NULL};
        ProfileInput in = {
                .template_text = profile_data_get("apparmor/TEMPLATE.qemu"),
                .deny_text = profile_data_get("apparmor/deny-paths"),
                .other_vm_names = other_names,
                .others_known = true,
        };

        (void) state;
        assert_int_equal(domain_parse(xml, strlen(xml), "t", &d, &err), 0);
        in.domain = d;
        if (profile_apparmor_generate(&in, &text, &err) < 0)
                print_message("generate: %s\n", err);
        assert_non_null(text);
        assert_int_equal(profile_apparmor_rules(&in, &mem, &err), 0);
        assert_int_equal(aa_rules_parse(text, "t", NULL, &items, &err), 0);
        STRV_FOREACH(i, items)
                assert_int_equal(aa_rules_add_item(&parsed, *i), 0);
        assert_true(mem.n > 10);
        assert_int_equal(mem.n, parsed.n);
        for (size_t i = 0; i < mem.n; i++) {
                bool found = false;

                for (size_t k = 0; k < parsed.n && !found; k++)
                        found = streq(mem.v[i].path, parsed.v[k].path) &&
                                (mem.v[i].perms ? parsed.v[k].perms && streq(mem.v[i].perms, parsed.v[k].perms)
                                                : !parsed.v[k].perms);
                print_message("rule %s %s\n", mem.v[i].path, strna(mem.v[i].perms));
                assert_true(found);
        }
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_braces),        cmocka_unit_test(test_braces_bounded),
                cmocka_unit_test(test_glob_covers),   cmocka_unit_test(test_glob_bounded),
                cmocka_unit_test(test_missing_perms), cmocka_unit_test(test_libvirt_own),
                cmocka_unit_test(test_parse_generated), cmocka_unit_test(test_generator_rules_match_text),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
