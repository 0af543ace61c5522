/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one reading of QEMU's -sandbox arguments (src/domain/qemu-sandbox.c),
 * as QEMU 7.2 reads them: one filter per enabled argument, the denied sets
 * adding up; within an argument the last value of a key counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qemu-sandbox.h"
#include "strv.h"
#include "util.h"

#define Q "qemu-system-x86_64"

static bool
same(const char *a, const char *b)
{
        return a && b ? streq(a, b) : a == b;
}
#define ALL "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"

static void
test_table(void **state)
{
        static const struct {
                const char *name;
                const char *argv[8];
                unsigned n_filters;
                const char *options; /* qemu_sandbox_options() joined, NULL: none */
        } rows[] = {
                {"no -sandbox", {Q, "-name", "guest=a"}, 0, NULL},
                {"libvirt's", {Q, "-sandbox", ALL}, 1, ALL},
                {"on: obsolete denied by default", {Q, "-sandbox", "on"}, 1,
                 "on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=allow"},
                {"enable=on, obsolete=allow", {Q, "--sandbox", "enable=on,obsolete=allow"}, 1,
                 "on,obsolete=allow,elevateprivileges=allow,spawn=allow,resourcecontrol=allow"},
                {"off", {Q, "-sandbox", "off,spawn=deny"}, 0, "off"},
                /* one filter per argument: the sets add up (the derived
                 * field read only the last argument) */
                {"two arguments add up", {Q, "-sandbox", "on,spawn=deny", "-sandbox", "on,resourcecontrol=deny"}, 2,
                 "on,obsolete=deny,elevateprivileges=allow,spawn=deny,resourcecontrol=deny"},
                {"a later off removes no filter", {Q, "-sandbox", ALL, "-sandbox", "off"}, 1, ALL},
                {"an allow in a second filter relaxes none", {Q, "-sandbox", ALL, "-sandbox", "on,obsolete=allow"}, 2, ALL},
                /* within one argument the last value counts */
                {"last value of a key", {Q, "-sandbox", "on,spawn=deny,spawn=allow"}, 1,
                 "on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=allow"},
                {"enable given again", {Q, "-sandbox", "on,enable=off"}, 0, "off"},
                {"children denies the set", {Q, "-sandbox", "on,elevateprivileges=children"}, 1,
                 "on,obsolete=deny,elevateprivileges=deny,spawn=allow,resourcecontrol=allow"},
                {"yes is on", {Q, "-sandbox", "yes"}, 1,
                 "on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=allow"},
                /* "-sandbox -sandbox": the second is the first's value */
                {"option as value", {Q, "-sandbox", "-sandbox", "on"}, 0, "off"},
                {"trailing -sandbox", {Q, "-sandbox"}, 0, NULL},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_strv_free_ char **opts = NULL;
                _cleanup_free_ char *joined = NULL;
                QemuSandbox s;
                bool oom;

                qemu_sandbox_parse((char *const *) rows[i].argv, &s);
                opts = qemu_sandbox_options(&s, &oom);
                assert_false(oom);
                joined = opts ? strv_join(opts, ",") : NULL;
                if (s.n_filters != rows[i].n_filters || !same(joined, rows[i].options))
                        print_error("%s: %u filters, \"%s\"; want %u, \"%s\"\n", rows[i].name, s.n_filters,
                                    strna(joined), rows[i].n_filters, strna(rows[i].options));
                assert_int_equal(s.n_filters, rows[i].n_filters);
                assert_true(same(joined, rows[i].options));
        }
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
