/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of check selection (src/scan/scan-selection.c): gate files,
 * --profile, --only and --skip, on tables; every error names its file and
 * line or its option. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"
#include "probes.h"
#include "scan.h"
#include "strv.h"
#include "util.h"

#define HEAD(id, c)                                                             \
        "[" id "]\ntitle = t\ncategory = " c "\nseverity = high\nscope = host\n" \
        "rationale = r\nremediation = m\nfact = sysctl:x\nexpect = eq 1\n"

/* Four checks in three categories; selections are written as the string of
 * the checks they keep, in catalogue order: "ab-d". */
static const char catalogue_text[] =
        HEAD("kernel.a", "kernel") HEAD("kernel.b", "kernel") HEAD("cpu.c", "cpu") HEAD("devices.d", "devices");

static Catalog cat;

static int
setup(void **state)
{
        _cleanup_free_ char *err = NULL;

        (void) state;
        if (catalog_load_text(&cat, catalogue_text, "t.check", probe_namespaces, probe_namespaces_count, &err) < 0 ||
            catalog_finish(&cat, &err) < 0) {
                print_error("%s\n", strna(err));
                return -1;
        }
        return 0;
}

static int
teardown(void **state)
{
        (void) state;
        catalog_done(&cat);
        return 0;
}

/* "ab-d" when kernel.a, kernel.b and devices.d are selected (the
 * catalogue keeps its own order). */
static void
selected_string(const bool *sel, char ret[static 5])
{
        static const char *const ids[] = {"kernel.a", "kernel.b", "cpu.c", "devices.d"};

        for (size_t i = 0; i < 4; i++) {
                const Check *c = catalog_find(&cat, ids[i]);

                assert_non_null(c);
                ret[i] = sel[c - cat.checks] ? "abcd"[i] : '-';
        }
        ret[4] = '\0';
}

/* @tmpl with its one "PATH" replaced by @path. */
static char *
with_path(const char *tmpl, const char *path)
{
        const char *at = strstr(tmpl, "PATH");
        StrBuf b = {};

        if (!at)
                return strdup(tmpl);
        strbuf_appendn(&b, tmpl, at - tmpl);
        strbuf_append(&b, path);
        strbuf_append(&b, at + strlen("PATH"));
        return strbuf_steal(&b);
}

typedef struct GateRow {
        const char *text;
        const char *selected;   /* NULL: an error */
        double min_coverage;
        const char *error;      /* the message, exactly */
} GateRow;

static void
test_gate_file(void **state)
{
        _cleanup_free_ char *long_line = NULL, *long_comment = NULL;
        char buf[300];

        (void) state;
        /* a 257-byte line on line 2; a 256-byte comment is fine */
        memset(buf, 'x', 257);
        buf[257] = '\0';
        long_line = xasprintf("kernel.a\n%s\n", buf);
        buf[0] = '#';
        buf[256] = '\0';
        long_comment = xasprintf("%s\ncpu.c\n", buf);
        assert_non_null(long_line);
        assert_non_null(long_comment);

        const GateRow rows[] = {
                {"kernel.a\n", "a---", -1, NULL},
                {"# comment\n\ncategory:kernel\n", "ab--", -1, NULL},
                {"*\n", "abcd", -1, NULL},
                {"*\nkernel.a\n", "abcd", -1, NULL},
                {"min-coverage = 50\ncpu.c\n", "--c-", 50, NULL},
                {"  kernel.a\t \ndevices.d", "a--d", -1, NULL},           /* blanks, no final newline */
                {"min-coverage=0\nkernel.b\n", "-b--", 0, NULL},
                {"min-coverage =\t100 \nkernel.b\n", "-b--", 100, NULL},
                {"\n\n", "----", -1, NULL},                             /* parses; selection_build refuses it */
                {long_comment, "--c-", -1, NULL},
                {"kernel.nope\n", NULL, -1, "g.profile:1: no such check id \"kernel.nope\" in the catalogue"},
                {"kernel.a\ncategory:zzz\n", NULL, -1, "g.profile:2: no such category \"zzz\" in the catalogue"},
                {"category:\n", NULL, -1, "g.profile:1: no such category \"\" in the catalogue"},
                {"category:kernel.a\n", NULL, -1, "g.profile:1: no such category \"kernel.a\" in the catalogue"},
                {"kernel\n", NULL, -1, "g.profile:1: no such check id \"kernel\" in the catalogue"},
                {"kernel.a kernel.b\n", NULL, -1,
                 "g.profile:1: expected one check id, category:NAME, * or min-coverage = PERCENT per line (the line has blanks or a '#'; its content is not shown: a file given to --profile may hold secrets)"},
                {"\n\nkernel.a # why\n", NULL, -1,
                 "g.profile:3: expected one check id, category:NAME, * or min-coverage = PERCENT per line (the line has blanks or a '#'; its content is not shown: a file given to --profile may hold secrets)"},
                {"min-coverage = 50\n\nmin-coverage = 60\n", NULL, -1, "g.profile:3: min-coverage given twice"},
                {"min-coverage = 101\n", NULL, -1,
                 "g.profile:1: expected min-coverage = PERCENT (0 to 100)"},
                {"min-coverage = -1\n", NULL, -1,
                 "g.profile:1: expected min-coverage = PERCENT (0 to 100)"},
                {"min-coverage = abc\n", NULL, -1,
                 "g.profile:1: expected min-coverage = PERCENT (0 to 100)"},
                {"min-coverage = 50x\n", NULL, -1,
                 "g.profile:1: expected min-coverage = PERCENT (0 to 100)"},
                {"min-coverage 50\n", NULL, -1,
                 "g.profile:1: expected min-coverage = PERCENT (0 to 100)"},
                {"min-coverage =\n", NULL, -1,
                 "g.profile:1: expected min-coverage = PERCENT (0 to 100)"},
                /* an invalid second one is named as invalid, not as repeated */
                {"min-coverage = 5\nmin-coverage = x\n", NULL, -1,
                 "g.profile:2: expected min-coverage = PERCENT (0 to 100)"},
                {long_line, NULL, -1, "g.profile:2: line longer than 256 bytes"},
                /* a file that is no gate file: its lines are never quoted
                 * (--profile /etc/shadow), only what reads as a gate name */
                {"root:$6$salt$hash:19000:0:99999:7:::\n", NULL, -1,
                 "g.profile:1: no such check id in the catalogue: expected one check id, category:NAME, * or min-coverage = PERCENT per line (its content is not shown: a file given to --profile may hold secrets)"},
                {"0123456789abcdef0123456789abcdef\n", NULL, -1,
                 "g.profile:1: no such check id in the catalogue: expected one check id, category:NAME, * or min-coverage = PERCENT per line (its content is not shown: a file given to --profile may hold secrets)"},
                {"hunter2.secret\n", NULL, -1,
                 "g.profile:1: no such check id in the catalogue: expected one check id, category:NAME, * or min-coverage = PERCENT per line (its content is not shown: a file given to --profile may hold secrets)"},
                {"category:Hunter2!\n", NULL, -1,
                 "g.profile:1: no such category in the catalogue: expected one check id, category:NAME, * or min-coverage = PERCENT per line (its content is not shown: a file given to --profile may hold secrets)"},
                {"password = hunter2\n", NULL, -1,
                 "g.profile:1: expected one check id, category:NAME, * or min-coverage = PERCENT per line (the line has blanks or a '#'; its content is not shown: a file given to --profile may hold secrets)"},
                {"min-coverage = hunter2\n", NULL, -1, "g.profile:1: expected min-coverage = PERCENT (0 to 100)"},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_free_ char *err = NULL;
                bool sel[4] = {};
                double min_coverage = -7;
                char got[5];
                int r;

                r = selection_parse_gate(&cat, rows[i].text, "g.profile", sel, &min_coverage, &err);
                if (!rows[i].selected) {
                        if (r != -EINVAL || !err || !streq(err, rows[i].error))
                                print_error("row %zu: r=%d error \"%s\", want \"%s\"\n", i, r, strna(err),
                                            rows[i].error);
                        assert_int_equal(r, -EINVAL);
                        assert_non_null(err);
                        assert_string_equal(err, rows[i].error);
                        assert_true(min_coverage == -7); /* written only on success */
                        continue;
                }
                if (r < 0)
                        print_error("row %zu: %s\n", i, strna(err));
                assert_int_equal(r, 0);
                assert_null(err);
                selected_string(sel, got);
                if (!streq(got, rows[i].selected))
                        print_error("row %zu: selected %s, want %s\n", i, got, rows[i].selected);
                assert_string_equal(got, rows[i].selected);
                assert_true(min_coverage == rows[i].min_coverage);
        }
}

/* A shipped gate is named as gates/NAME.profile in its errors: against this
 * four-check catalogue, baseline's first check id does not exist. */
static void
test_gate_shipped_name(void **state)
{
        _cleanup_free_ char *err = NULL, *names = NULL;
        bool sel[4] = {};
        double mc = -1;

        (void) state;
        assert_int_equal(selection_load_gate(&cat, "baseline", sel, &mc, &err), -EINVAL);
        assert_non_null(err);
        assert_true(startswith(err, "gates/baseline.profile:"));
        assert_non_null(strstr(err, ": no such check id \""));

        free(err);
        err = NULL;
        names = selection_gate_names();
        assert_non_null(names);
        assert_string_equal(names, "baseline, ci-image, strict");
        assert_int_equal(selection_load_gate(&cat, "nope", sel, &mc, &err), -EINVAL);
        assert_string_equal(err, "--profile nope: no such profile (known: baseline, ci-image, strict; or a file path)");
}

/* Every shipped gate selects only checks of the shipped catalogue, and says
 * its minimum coverage. */
static void
test_gate_shipped_load(void **state)
{
        static const struct {
                const char *name;
                double min_coverage;
        } gates[] = {
                {"baseline", 50},
                {"ci-image", -2},       /* -2: whatever it says, but it parses */
                {"strict", -2},
        };
        _cleanup_free_ char *err = NULL;
        Catalog shipped = {};

        (void) state;
        assert_int_equal(scan_catalog_load(NULL, &shipped, &err), 0);
        for (size_t i = 0; i < ELEMENTSOF(gates); i++) {
                Selection s = {};

                if (selection_build(&shipped, gates[i].name, NULL, NULL, &s, &err) < 0)
                        print_error("%s: %s\n", gates[i].name, strna(err));
                assert_null(err);
                assert_true(s.n_selected > 0);
                assert_int_equal(s.n_checks, shipped.n_checks);
                if (gates[i].min_coverage != -2)
                        assert_true(s.min_coverage == gates[i].min_coverage);
                if (streq(gates[i].name, "strict"))
                        assert_int_equal(s.n_selected, shipped.n_checks); /* "*" */
                selection_done(&s);
        }
        catalog_done(&shipped);
}

/* --profile PATH: read errors and errors inside the file both name it. */
static void
test_gate_path(void **state)
{
        char dir[] = "/tmp/test-scan-selection.XXXXXX";
        _cleanup_free_ char *good = NULL, *bad = NULL, *nul = NULL, *big = NULL, *missing = NULL;
        _cleanup_free_ char *want = NULL, *err = NULL;
        bool sel[4] = {};
        double mc = -1;
        FILE *f;

        (void) state;
        assert_non_null(mkdtemp(dir));
        good = xasprintf("%s/good.profile", dir);
        bad = xasprintf("%s/bad.profile", dir);
        nul = xasprintf("%s/nul.profile", dir);
        big = xasprintf("%s/big.profile", dir);
        missing = xasprintf("%s/missing.profile", dir);

        assert_non_null(f = fopen(good, "we"));
        fputs("min-coverage = 25\ncategory:cpu\n", f);
        fclose(f);
        assert_non_null(f = fopen(bad, "we"));
        fputs("cpu.c\n# two\ncpu.x\n", f);
        fclose(f);
        assert_non_null(f = fopen(nul, "we"));
        fwrite("cpu.c\n\0\n", 1, 8, f);
        fclose(f);
        assert_non_null(f = fopen(big, "we"));
        for (unsigned i = 0; i <= GATE_FILE_MAX / 8; i++)
                fputs("# 45678\n", f);
        fclose(f);

        assert_int_equal(selection_load_gate(&cat, good, sel, &mc, &err), 0);
        assert_true(mc == 25);
        char got[5];
        selected_string(sel, got);
        assert_string_equal(got, "--c-");

        struct {
                const char *path;
                const char *what;
        } rows[] = {
                {bad, "PATH:3: no such check id \"cpu.x\" in the catalogue"},
                {nul, "--profile PATH: contains NUL bytes"},
                {big, "--profile PATH: file too large"},
                {missing, "--profile PATH: No such file or directory"},
        };
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                free(err);
                err = NULL;
                free(want);
                want = with_path(rows[i].what, rows[i].path);
                assert_int_equal(selection_load_gate(&cat, rows[i].path, sel, &mc, &err), -EINVAL);
                assert_string_equal(err, want);
        }
        unlink(good);
        unlink(bad);
        unlink(nul);
        unlink(big);
        rmdir(dir);
}

typedef struct BuildRow {
        const char *gate;               /* a gate file's text, or NULL for none */
        const char *only[3];
        const char *skip[3];
        const char *selected;           /* NULL: an error */
        const char *error;              /* the message; PATH is the gate file's path */
} BuildRow;

static void
test_build(void **state)
{
        char path[] = "/tmp/test-scan-selection.XXXXXX";
        int fd;

        static const BuildRow rows[] = {
                {NULL, {}, {}, "abcd", NULL},
                {NULL, {"kernel"}, {}, "ab--", NULL},
                {NULL, {"kernel", "cpu.c"}, {}, "abc-", NULL},
                {NULL, {}, {"kernel.a"}, "-bcd", NULL},
                {NULL, {}, {"cpu", "devices.d"}, "ab--", NULL},
                {NULL, {"kernel"}, {"kernel.a"}, "-b--", NULL},
                /* --only widens nothing the gate left out */
                {"category:kernel\ncpu.c\n", {}, {}, "abc-", NULL},
                {"category:kernel\ncpu.c\n", {"cpu"}, {}, "--c-", NULL},
                {"category:kernel\n", {"devices"}, {}, NULL,
                 "the selection leaves no check to run: --profile PATH --only devices"},
                {"category:kernel\n", {}, {"kernel"}, NULL,
                 "the selection leaves no check to run: --profile PATH --skip kernel"},
                {"\n", {}, {}, NULL, "the selection leaves no check to run: --profile PATH"},
                {"kernel.zz\n", {}, {}, NULL, "PATH:1: no such check id \"kernel.zz\" in the catalogue"},
                {NULL, {"zzz"}, {}, NULL, "--only zzz: no such category or check id"},
                {NULL, {"kernel", "kernel.zz"}, {}, NULL, "--only kernel.zz: no such category or check id"},
                {NULL, {}, {"zzz"}, NULL, "--skip zzz: no such check id or category"},
                {NULL, {"kernel.a"}, {"kernel"}, NULL,
                 "the selection leaves no check to run: --only kernel.a --skip kernel"},
                {NULL, {}, {"kernel", "cpu", "devices"}, NULL,
                 "the selection leaves no check to run: --skip kernel --skip cpu --skip devices"},
        };

        (void) state;
        fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_strv_free_ char **only = NULL, **skip = NULL;
                _cleanup_free_ char *err = NULL, *want = NULL;
                Selection s = {.min_coverage = -5};
                char got[5];
                int r;

                for (size_t k = 0; k < 3 && rows[i].only[k]; k++)
                        assert_int_equal(strv_extend(&only, rows[i].only[k]), 0);
                for (size_t k = 0; k < 3 && rows[i].skip[k]; k++)
                        assert_int_equal(strv_extend(&skip, rows[i].skip[k]), 0);
                if (rows[i].gate) {
                        FILE *f = fopen(path, "we");

                        assert_non_null(f);
                        fputs(rows[i].gate, f);
                        fclose(f);
                }
                r = selection_build(&cat, rows[i].gate ? path : NULL, only, skip, &s, &err);
                if (!rows[i].selected) {
                        want = with_path(rows[i].error, path);
                        if (r != -EINVAL || !err || !streq(err, want))
                                print_error("row %zu: r=%d \"%s\", want \"%s\"\n", i, r, strna(err), want);
                        assert_int_equal(r, -EINVAL);
                        assert_string_equal(err, want);
                        assert_null(s.selected);        /* untouched */
                        continue;
                }
                if (r < 0)
                        print_error("row %zu: %s\n", i, strna(err));
                assert_int_equal(r, 0);
                selected_string(s.selected, got);
                if (!streq(got, rows[i].selected))
                        print_error("row %zu: selected %s, want %s\n", i, got, rows[i].selected);
                assert_string_equal(got, rows[i].selected);
                size_t n = 0;
                for (size_t k = 0; k < 4; k++)
                        n += got[k] != '-';
                assert_int_equal(s.n_selected, n);
                assert_true(s.min_coverage == -1);
                selection_done(&s);
        }
        unlink(path);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_gate_file),
                cmocka_unit_test(test_gate_shipped_name),
                cmocka_unit_test(test_gate_shipped_load),
                cmocka_unit_test(test_gate_path),
                cmocka_unit_test(test_build),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
