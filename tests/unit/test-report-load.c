/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A JSON report read back (src/report/report-load.c): the scope of each
 * check comes back as the scan had it, through a second round trip too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fileio.h"
#include "report-load.h"
#include "util.h"

static void
load(const char *text, const char *name, LoadedReport *ret)
{
        _cleanup_free_ char *err = NULL;
        int r = report_load_json(text, name, ret, &err);

        if (r < 0)
                print_error("%s\n", strna(err));
        assert_int_equal(r, 0);
}

static Scope
scope_of(const LoadedReport *l, const char *id)
{
        for (size_t i = 0; i < l->checks.n_checks; i++)
                if (streq(l->checks.checks[i].id, id))
                        return l->checks.checks[i].scope;
        print_error("no check %s in the report\n", id);
        fail();
        return _SCOPE_INVALID;
}

/* A golden report of the fixture hosts, loaded, rendered and loaded again. */
static void
round_trip(const char *golden, const char *const *ids, const Scope *scopes, size_t n)
{
        const char *root = getenv("KVMAUDIT_SOURCE_ROOT");
        _cleanup_free_ char *path = NULL, *text = NULL, *again = NULL;
        LoadedReport a = {}, b = {};
        RenderOptions o = {};
        size_t len = 0;
        FILE *f;

        assert_non_null(root);
        path = xasprintf("%s/tests/golden/%s", root, golden);
        assert_non_null(path);
        assert_int_equal(read_input_file(path, REPORT_FILE_MAX, &text), 0);
        load(text, path, &a);
        f = open_memstream(&again, &len);
        assert_non_null(f);
        assert_int_equal(render_json(&a.report, &o, f), 0);
        assert_int_equal(fclose(f), 0);
        load(again, "again.json", &b);
        for (size_t i = 0; i < n; i++) {
                if (scope_of(&a, ids[i]) != scopes[i])
                        print_error("%s: %s is %s, want %s\n", golden, ids[i], scope_to_string(scope_of(&a, ids[i])),
                                    scope_to_string(scopes[i]));
                assert_int_equal(scope_of(&a, ids[i]), scopes[i]);
                assert_int_equal(scope_of(&b, ids[i]), scopes[i]);
        }
        loaded_report_done(&a);
        loaded_report_done(&b);
}

static void
test_scope_round_trip(void **state)
{
        (void) state;
        /* daemon checks judged per daemon file; host checks that name a
         * libvirt file of their own; a check of a daemon scope that found
         * no daemon stays on the host */
        round_trip("conf-insecure.json",
                   (const char *const[]) {"libvirtd.tcp-listener-off", "libvirtd.tls-client-verified",
                                          "libvirtd.audit-enabled", "qemu.vnc-listen-local", "kernel.kptr-restrict"},
                   (const Scope[]) {SCOPE_DAEMON, SCOPE_DAEMON, SCOPE_DAEMON, SCOPE_HOST, SCOPE_HOST}, 5);
        round_trip("libvirt-insecure.json", (const char *const[]) {"domain.no-floppy", "domain.nic-virtio"},
                   (const Scope[]) {SCOPE_DOMAIN, SCOPE_DOMAIN}, 2);
        round_trip("mac-selinux-bad.json", (const char *const[]) {"qemu.process-not-root", "svirt.static-mcs-unique"},
                   (const Scope[]) {SCOPE_PROCESS, SCOPE_DOMAIN}, 2);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_scope_round_trip),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
