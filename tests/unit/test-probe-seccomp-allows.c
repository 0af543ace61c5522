/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The derived process fields of the seccomp checks, computed in a fact
 * store without a host (as from a facts file): process:PID/seccomp-allows
 * (src/probes/probe-seccomp-allows.c) from seccomp:PID/filters, table and
 * seccomp:names/ARCH, and process:PID/sandbox-claims (probe-process.c)
 * from the command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "facts-json.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* One instruction, "return ALLOW": a sound program (the table says what
 * it does; the derivation trusts the decoded table once the programs
 * pass the kernel's checks). */
#define RET_ALLOW "000600007fff0000"

/* "a|b|c" as a list fact, "" the empty list. */
static void
put_list(FactStore *s, const char *key, const char *items)
{
        _cleanup_strv_free_ char **l = NULL;
        Fact f = {.kind = FACT_LIST};

        for (const char *p = items; *p;) {
                size_t n = strcspn(p, "|");
                assert_int_equal(strv_consume(&l, strndup(p, n)), 0);
                p += n + (p[n] == '|');
        }
        if (!l)
                l = calloc(1, sizeof(char *));
        assert_non_null(l);
        f.list = TAKE_PTR(l);
        assert_int_equal(fact_store_put(s, key, &f), 0);
}

static FactStore *
store_new(void)
{
        FactStore *s = NULL;

        assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
        assert_int_equal(fact_store_mark_complete(s, "seccomp"), 0);
        assert_int_equal(fact_store_mark_complete(s, "process"), 0);
        return s;
}

static char *
describe(FactStore *s, const char *key)
{
        const Fact *f = fact_store_get(s, key);

        if (f->kind == FACT_ERROR)
                return xasprintf("error: %s", f->string ? f->string : "?");
        return fact_describe(f);
}

static void
assert_fact(FactStore *s, const char *key, const char *want)
{
        _cleanup_free_ char *got = describe(s, key);

        if (!got || !streq(got, want))
                fail_msg("%s: got \"%s\", want \"%s\"", key, strna(got), want);
}

/* Names: x86_64 has clone, execve, fork, setuid; i386 adds readdir and
 * setuid32; x32 as x86_64. */
static void
put_names(FactStore *s)
{
        put_list(s, "seccomp:names/x86_64", "clone|execve|fork|setuid");
        put_list(s, "seccomp:names/x32", "clone|execve|fork|setuid");
        put_list(s, "seccomp:names/i386", "clone|execve|fork|readdir|setuid|setuid32");
}

static void
test_allows(void **state)
{
        static const struct {
                const char *what, *table, *want;
        } cases[] = {
                /* a denylist on x86_64, every other architecture killed:
                 * clone is judged by its variants where the filter reads
                 * its arguments, and the variants the decoder knows but
                 * the table leaves out fall back to the "*" row; the
                 * variants of syscalls no architecture has here
                 * (socket, ioctl, sched_setscheduler) are not listed */
                {"denylist",
                 "x86_64 * allow|x86_64 clone(flags=fork) kill-process|x86_64 clone(flags=thread) allow|"
                 "x86_64 execve kill-process|x86_64 fork errno(1)|x32 * kill-thread|i386 * kill-thread",
                 "clone(flags=newuser),clone(flags=thread),clone(flags=vfork),setuid"},
                /* the filter does not read clone's arguments: the plain
                 * row decides every variant, and plain clone is listed */
                {"plain clone row",
                 "x86_64 * kill-process|x86_64 clone allow|x32 * kill-thread|i386 * kill-thread",
                 "clone,clone(flags=fork),clone(flags=newuser),clone(flags=thread),clone(flags=vfork)"},
                /* i386-only names count on i386 alone; a syscall no
                 * architecture has is not listed */
                {"i386 allows",
                 "x86_64 * kill-process|x32 * kill-thread|i386 * kill-thread|i386 readdir allow|"
                 "i386 setuid32 log|x86_64 nosuch allow",
                 "readdir,setuid32"},
                /* "log" and "trace" let the call through, "trap" denies */
                {"actions",
                 "x86_64 * trap|x86_64 fork log|x86_64 execve trace(1)|x86_64 setuid user-notif|"
                 "x32 * errno(13)|i386 * kill-process",
                 "execve,fork,setuid"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(fact_store_freep) FactStore *s = store_new();

                put_names(s);
                put_list(s, "seccomp:7/filters", RET_ALLOW);
                put_list(s, "seccomp:7/table", cases[i].table);
                print_message("%s\n", cases[i].what);
                assert_fact(s, "process:7/seccomp-allows", cases[i].want);
        }
}

/* No filter: everything some architecture has, and every variant of it. */
static void
test_allows_no_filter(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = store_new();

        (void) state;
        put_names(s);
        put_list(s, "seccomp:7/filters", "");
        put_list(s, "seccomp:7/table", "x86_64 * allow|x32 * allow|i386 * allow");
        assert_fact(s, "process:7/seccomp-allows",
                    "clone,clone(flags=fork),clone(flags=newuser),clone(flags=thread),clone(flags=vfork),"
                    "execve,fork,readdir,setuid,setuid32");
}

/* An architecture without a names list counts as having every name of
 * the others (and of the table). */
static void
test_allows_names_missing(void **state)
{
        _cleanup_(fact_store_freep) FactStore *s = store_new();

        (void) state;
        put_list(s, "seccomp:names/x86_64", "fork|setuid");
        put_list(s, "seccomp:7/filters", RET_ALLOW);
        put_list(s, "seccomp:7/table", "x86_64 * kill-process|x32 * kill-thread|i386 * kill-thread|i386 fork allow");
        assert_fact(s, "process:7/seccomp-allows", "fork");
}

static void
test_allows_unusable(void **state)
{
        static const struct {
                const char *what, *filters, *table, *want;
        } cases[] = {
                {"no default row", RET_ALLOW, "x86_64 fork allow|x32 * allow|i386 * allow",
                 "error: seccomp:7/table: no \"x86_64 *\" row"},
                {"half an instruction", "0006", "x86_64 * allow|x32 * allow|i386 * allow",
                 "error: seccomp:7/filters: filter 0: 4 hex digits, not a whole number of 16-digit instructions"},
                {"no return", "0000000000000001", "x86_64 * allow|x32 * allow|i386 * allow",
                 "error: seccomp:7/filters: filter 0, instruction 0: the last instruction is not a return"},
                {"no filter, yet a denial", "", "x86_64 * allow|x86_64 fork kill-process|x32 * allow|i386 * allow",
                 "error: seccomp:7/table: \"x86_64 fork kill-process\" but seccomp:7/filters is empty"},
                {"unknown action", RET_ALLOW, "x86_64 * allow|x86_64 fork permit|x32 * allow|i386 * allow",
                 "error: seccomp:7/table: row 2: \"x86_64 fork permit\": unknown action"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(fact_store_freep) FactStore *s = store_new();

                put_names(s);
                put_list(s, "seccomp:7/filters", cases[i].filters);
                put_list(s, "seccomp:7/table", cases[i].table);
                print_message("%s\n", cases[i].what);
                assert_fact(s, "process:7/seccomp-allows", cases[i].want);
        }

        /* nothing read back */
        _cleanup_(fact_store_freep) FactStore *s = store_new();
        put_names(s);
        assert_fact(s, "process:7/seccomp-allows", "error: no seccomp filter table recorded");
        /* no names at all */
        _cleanup_(fact_store_freep) FactStore *t = store_new();
        put_list(t, "seccomp:7/filters", RET_ALLOW);
        put_list(t, "seccomp:7/table", "x86_64 * allow|x32 * allow|i386 * allow");
        assert_fact(t, "process:7/seccomp-allows",
                    "error: seccomp:names/ARCH: no syscall names recorded for any architecture");
        /* an unreadable source: its error, with its class */
        _cleanup_(fact_store_freep) FactStore *u = store_new();
        assert_int_equal(fact_store_set_error(u, "seccomp:7/filters", -EOPNOTSUPP, "only with --inspect-seccomp"), 0);
        assert_fact(u, "process:7/seccomp-allows", "error: only with --inspect-seccomp");
        assert_int_equal(fact_store_get(u, "process:7/seccomp-allows")->error, -EOPNOTSUPP);
}

static void
test_sandbox_claims(void **state)
{
        static const struct {
                const char *cmdline, *want;
        } cases[] = {
                {"qemu-system-x86_64|-sandbox|on", "default,obsolete"},
                {"qemu-system-x86_64|-sandbox|on,obsolete=allow", "default"},
                {"qemu-system-x86_64|-sandbox|on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
                 "default,obsolete,privileged,spawn,resourcectl"},
                {"qemu-system-x86_64|-sandbox|enable=yes,elevateprivileges=children", "default,obsolete,privileged"},
                {"qemu-system-x86_64|-sandbox|off,spawn=deny", ""},
                {"qemu-system-x86_64|-sandbox|spawn=deny", ""},
                {"qemu-system-x86_64", ""},
                /* one filter per enabled -sandbox: the claims add up */
                {"qemu-system-x86_64|-sandbox|on,spawn=deny|--sandbox|on,obsolete=allow,resourcecontrol=deny",
                 "default,obsolete,spawn,resourcectl"},
                {"qemu-system-x86_64|-sandbox|on,spawn=deny|-sandbox|off,elevateprivileges=deny",
                 "default,obsolete,spawn"},
                /* ",," is a comma inside a value */
                {"qemu-system-x86_64|-sandbox|on,spawn=deny,,x", "default,obsolete"},
                {"qemu-system-x86_64|-sandbox", ""},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(fact_store_freep) FactStore *s = store_new();

                put_list(s, "process:7/cmdline", cases[i].cmdline);
                print_message("%s\n", cases[i].cmdline);
                assert_fact(s, "process:7/sandbox-claims", cases[i].want);
        }
        _cleanup_(fact_store_freep) FactStore *s = store_new();
        assert_fact(s, "process:7/sandbox-claims", "error: process:7/cmdline: no command line recorded");
}

/* Derived: never in a facts file. */
static void
test_refused_in_facts_file(void **state)
{
        static const char *const forged[] = {
                "{\"schema_version\": 1, \"facts\": {\"process:7/seccomp-allows\": [\"fork\"]}}",
                "{\"schema_version\": 1, \"facts\": {\"process:7/sandbox-claims\": []}}",
                "{\"schema_version\": 1, \"facts\": {\"process:7/listener-services\": []}}",
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(forged); i++) {
                _cleanup_(fact_store_freep) FactStore *s = NULL;
                _cleanup_free_ char *err = NULL;

                assert_int_equal(fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s), 0);
                assert_true(facts_load_json(s, forged[i], "forged.json", &err) < 0);
                assert_non_null(err);
                assert_non_null(strstr(err, "derived"));
        }
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_allows),
                cmocka_unit_test(test_allows_no_filter),
                cmocka_unit_test(test_allows_names_missing),
                cmocka_unit_test(test_allows_unusable),
                cmocka_unit_test(test_sandbox_claims),
                cmocka_unit_test(test_refused_in_facts_file),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
