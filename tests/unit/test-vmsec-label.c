/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one SELinux label / MCS grammar (src/domain/domain-label.c): every
 * odd input, as a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain-label.h"
#include "util.h"

/* A range and what it must parse to: the error, or the canonical text and
 * the number of categories of its high end. */
static const struct {
        const char *in;
        int err;
        const char *canon;
        unsigned n_high;
} ranges[] = {
        {"s0", 0, "s0", 0},
        {"s0:c1,c2", 0, "s0:c1,c2", 2},
        {"s0:c2,c1", 0, "s0:c1,c2", 2},          /* order does not matter */
        {"s0:c5,c1,c5", 0, "s0:c1,c5", 2},       /* repeats are one bit */
        {"s0:c0.c5", 0, "s0:c0.c5", 6},
        {"s0:c1.c2", 0, "s0:c1,c2", 2},
        {"s0-s0:c0.c1023", 0, "s0-s0:c0.c1023", 1024},
        {"s0-s0:c1.c3", 0, "s0-s0:c1.c3", 3},
        {"s0:c1-s0:c1,c2", 0, "s0:c1-s0:c1,c2", 2},
        {"s15", 0, "s15", 0},
        {"s0:c1023", 0, "s0:c1023", 1},
        {"s0:c1.c3,c7", 0, "s0:c1.c3,c7", 4},
        /* refused */
        {"", -EINVAL, NULL, 0},
        {"s0:", -EINVAL, NULL, 0},                /* no category after ':' */
        {"s0:c1,", -EINVAL, NULL, 0},             /* trailing comma */
        {"s0:,c1", -EINVAL, NULL, 0},
        {"s0:c1,,c2", -EINVAL, NULL, 0},
        {"s0:c01", -EINVAL, NULL, 0},             /* leading zero: no such name */
        {"s0:c1,c02", -EINVAL, NULL, 0},
        {"s00", -EINVAL, NULL, 0},
        {"s0:c1024", -ERANGE, NULL, 0},           /* MCS_CATS 1024 */
        {"s0:c99999999999999999999999", -ERANGE, NULL, 0}, /* no overflow */
        {"s16", -ERANGE, NULL, 0},                /* MLS_SENS 16 */
        {"s99999999999999999999", -ERANGE, NULL, 0},
        {"s0:c3.c3", -EINVAL, NULL, 0},           /* the kernel needs low < high */
        {"s0:c5.c3", -EINVAL, NULL, 0},
        {"s0:c1.", -EINVAL, NULL, 0},
        {"s0:c1.c2.c3", -EINVAL, NULL, 0},
        {"s0:c1,c2-s0", -EINVAL, NULL, 0},        /* high does not dominate low */
        {"s1-s0", -EINVAL, NULL, 0},
        {"s0-", -EINVAL, NULL, 0},
        {"s0-s0-s0", -EINVAL, NULL, 0},
        {"s0:c1 ", -EINVAL, NULL, 0},
        {" s0", -EINVAL, NULL, 0},
        {"S0", -EINVAL, NULL, 0},
        {"s0:C1", -EINVAL, NULL, 0},
        {"s0:c-1", -EINVAL, NULL, 0},
        {"s0:c+1", -EINVAL, NULL, 0},
        {"s0:c1:c2", -EINVAL, NULL, 0},
        {"s", -EINVAL, NULL, 0},
        {"c1,c2", -EINVAL, NULL, 0},
};

static void
test_range_table(void **state)
{
        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(ranges); i++) {
                SelinuxRange r;
                const char *why = NULL;
                int q = domain_label_range_parse(ranges[i].in, &r, &why);

                print_message("range \"%s\" -> %d (%s)\n", ranges[i].in, q, why ? why : "");
                assert_int_equal(q, ranges[i].err);
                if (q < 0) {
                        assert_non_null(why);
                        continue;
                }
                _cleanup_free_ char *c = domain_label_range_format(&r);
                assert_non_null(c);
                assert_string_equal(c, ranges[i].canon);
                assert_int_equal(r.high.n_cats, ranges[i].n_high);
        }
}

static void
test_category_token(void **state)
{
        const char *end;
        unsigned v;

        (void) state;
        assert_int_equal(domain_label_category_parse("c0", &end, &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(domain_label_category_parse("c1023,", &end, &v), 0);
        assert_int_equal(v, 1023);
        assert_string_equal(end, ",");
        assert_int_equal(domain_label_category_parse("c1024", &end, &v), -ERANGE);
        assert_int_equal(domain_label_category_parse("c01", &end, &v), -EINVAL);
        assert_int_equal(domain_label_category_parse("c", &end, &v), -EINVAL);
        assert_int_equal(domain_label_category_parse("x1", &end, &v), -EINVAL);
        assert_int_equal(domain_label_category_parse("", &end, &v), -EINVAL);
}

static void
test_vm_pair(void **state)
{
        static const struct {
                const char *in;
                bool pair;
        } t[] = {
                {"s0:c1,c2", true},  {"s0:c2,c1", true},   {"s0:c1.c2", true},     {"s0:c1023,c0", true},
                {"s0:c1,c1", false}, {"s0:c1", false},     {"s0", false},          {"s0:c1,c2,c3", false},
                {"s0:c01,c2", false}, {"s0:c1,c1024", false}, {"s0:c1,c2,", false}, {"s0-s0:c1,c2", false},
                {"s1:c1,c2", false}, {"s0:c0.c1023", false}, {"", false},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                print_message("pair \"%s\"\n", t[i].in);
                assert_int_equal(domain_label_is_vm_pair(t[i].in), t[i].pair);
        }
}

static void
test_context_split(void **state)
{
        static const struct {
                const char *in, *type, *range;
        } t[] = {
                {"system_u:system_r:svirt_t:s0:c1,c2", "svirt_t", "s0:c1,c2"},
                {"u:r:t:s0-s0:c0.c1023", "t", "s0-s0:c0.c1023"},
                {"system_u:system_r:svirt_t", NULL, NULL},     /* no level: MLS off */
                {"system_u:system_r::s0", NULL, NULL},         /* empty type */
                {":system_r:svirt_t:s0", NULL, NULL},          /* empty user */
                {"system_u::svirt_t:s0", NULL, NULL},          /* empty role */
                {"libvirt-x (enforce)", NULL, NULL},
                {"", NULL, NULL},
        };
        char type[DOMAIN_SELINUX_TYPE_MAX];
        char big[DOMAIN_SELINUX_TYPE_MAX + 16];

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                const char *range = NULL;
                bool ok = domain_label_selinux_split(t[i].in, type, &range);

                print_message("context \"%s\"\n", t[i].in);
                assert_int_equal(ok, t[i].type != NULL);
                if (ok) {
                        assert_string_equal(type, t[i].type);
                        assert_string_equal(range, t[i].range);
                }
        }
        /* a type too long for the buffer is refused, not cut */
        memcpy(big, "u:r:", 4);
        memset(big + 4, 'x', DOMAIN_SELINUX_TYPE_MAX);
        memcpy(big + 4 + DOMAIN_SELINUX_TYPE_MAX, ":s0", 4);
        const char *range;
        assert_false(domain_label_selinux_split(big, type, &range));
}

static void
test_levels(void **state)
{
        SelinuxRange a, b, c;
        unsigned first = 99;

        (void) state;
        assert_int_equal(domain_label_range_parse("s0:c1,c2", &a, NULL), 0);
        assert_int_equal(domain_label_range_parse("s0:c2,c1", &b, NULL), 0);
        assert_int_equal(domain_label_range_parse("s0-s0:c0.c1023", &c, NULL), 0);
        assert_true(domain_label_level_equal(&a.high, &b.high));
        assert_false(domain_label_level_equal(&a.high, &c.high));
        assert_int_equal(domain_label_level_shared(&a.high, &c.high, &first), 2);
        assert_int_equal(first, 1);
        assert_true(domain_label_level_has(&c.high, 1023));
        assert_false(domain_label_level_has(&c.high, 1024));
        assert_false(domain_label_level_has(&c.low, 0));
}

static void
test_apparmor(void **state)
{
        char name[64];
        const char *mode;

        (void) state;
        assert_true(domain_label_apparmor_split("libvirt-1234 (enforce)", name, sizeof(name), &mode));
        assert_string_equal(name, "libvirt-1234");
        assert_string_equal(mode, "enforce)");
        assert_true(domain_label_apparmor_split("unconfined", name, sizeof(name), &mode));
        assert_string_equal(name, "unconfined");
        assert_null(mode);
        assert_false(domain_label_apparmor_split("libvirt-0123456789012345678901234567890123456789012345678901234567890 "
                                                 "(enforce)",
                                                 name, sizeof(name), &mode));
        assert_true(domain_label_looks_apparmor("unconfined"));
        assert_true(domain_label_looks_apparmor("x (complain)"));
        assert_false(domain_label_looks_apparmor("system_u:system_r:svirt_t:s0:c1,c2"));
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_range_table),  cmocka_unit_test(test_category_token),
                cmocka_unit_test(test_vm_pair),      cmocka_unit_test(test_context_split),
                cmocka_unit_test(test_levels),       cmocka_unit_test(test_apparmor),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
