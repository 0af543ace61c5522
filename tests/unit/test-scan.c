/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of whole scans (src/scan/scan.c) without a host: the facts come
 * from a facts file the test writes from a table, the checks from a site
 * catalogue it writes; a table of requests says what each scan gives (the
 * statuses, the gate and its reasons, waivers, coverage) or which error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "facts-json.h"
#include "probes.h"
#include "scan.h"
#include "strv.h"
#include "util.h"

#define SITE(id, sev, key, extra)                                                       \
        "[" id "]\ntitle = t\ncategory = kernel\nseverity = " sev "\nscope = host\n"    \
        "rationale = r\nremediation = m\nfact = " key "\nexpect = eq 1\n" extra

static const char site_checks[] =
        SITE("kernel.site-a", "high", "sysctl:site_a", "")
        SITE("kernel.site-b", "medium", "sysctl:site_b", "")
        SITE("kernel.site-c", "low", "sysctl:site_c", "")
        SITE("kernel.site-d", "high", "sysctl:site_d", "if-absent = skip\n");

/* What the facts say: a passes, b fails, c cannot be read (error), d is
 * absent (skip). */
static const struct {
        const char *key;
        const char *value;      /* NULL: absent */
        int error;
} facts_table[] = {
        {"sysctl:site_a", "1", 0},
        {"sysctl:site_b", "0", 0},
        {"sysctl:site_c", NULL, -EACCES},
        {"sysctl:site_d", NULL, 0},
        {"sysctl:kernel.osrelease", "6.1.0-test", 0},
        {"sysctl:kernel.hostname", "h1", 0},
        {"meta:root", "/srv/image", 0},
};

static char dir[] = "/tmp/test-scan.XXXXXX";
static char *checks_dir, *facts_path, *bad_facts_path;
static char *const *check_dirs;
static char **check_dirs_owned;

static bool
streq_ptr(const char *a, const char *b)
{
        return a && b ? streq(a, b) : a == b;
}

static char *
path_in(const char *name)
{
        char *p = xasprintf("%s/%s", dir, name);

        assert_non_null(p);
        return p;
}

/* Writes @text to DIR/@name; returns the path (caller frees). */
static char *
write_file(const char *name, const char *text)
{
        char *p = path_in(name);
        FILE *f = fopen(p, "we");

        assert_non_null(f);
        assert_int_equal(fputs(text, f) >= 0, 1);
        assert_int_equal(fclose(f), 0);
        return p;
}

static int
setup(void **state)
{
        FactStore *s = NULL;
        FILE *f;

        (void) state;
        if (!mkdtemp(dir))
                return -1;
        checks_dir = path_in("checks");
        if (mkdir(checks_dir, 0755) < 0)
                return -1;
        free(write_file("checks/site.check", site_checks));
        if (strv_extend(&check_dirs_owned, checks_dir) < 0)
                return -1;
        check_dirs = check_dirs_owned;

        if (fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s) < 0)
                return -1;
        for (size_t i = 0; i < ELEMENTSOF(facts_table); i++) {
                int r = facts_table[i].error ? fact_store_set_error(s, facts_table[i].key, facts_table[i].error,
                                                                    "%s: Permission denied (needs root)",
                                                                    facts_table[i].key)
                      : facts_table[i].value ? fact_store_set_string(s, facts_table[i].key, facts_table[i].value)
                                             : fact_store_set_absent(s, facts_table[i].key);
                if (r < 0)
                        return -1;
        }
        facts_path = path_in("facts.json");
        f = fopen(facts_path, "we");
        if (!f || facts_write_json(s, PROJECT_VERSION, "/srv/image", f) < 0 || fclose(f) != 0)
                return -1;
        fact_store_free(s);
        bad_facts_path = write_file("bad.json", "{\"schema_version\": 1,");
        return 0;
}

static int
teardown(void **state)
{
        (void) state;
        /* the files the tests wrote, then the directories */
        static const char *const names[] = {
                "checks/site.check", "facts.json", "bad.json", "gate-a-d.profile", "gate-typo.profile",
                "w-b.waivers", "w-b-expired.waivers", "w-c.waivers", "w-typo.waivers", "checks", "",
        };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_free_ char *p = path_in(names[i]);

                if (unlink(p) < 0)
                        (void) rmdir(p);
        }
        strv_free(check_dirs_owned);
        free(checks_dir);
        free(facts_path);
        free(bad_facts_path);
        return 0;
}

/* The four site checks, by id. */
static char *all_four[] = {(char *) "kernel.site-a", (char *) "kernel.site-b", (char *) "kernel.site-c",
                           (char *) "kernel.site-d", NULL};
static char *only_a[] = {(char *) "kernel.site-a", NULL};
static char *only_typo[] = {(char *) "kernel.site-zz", NULL};

/* The file a row names, written on first use. */
typedef enum FileId {
        FILE_NONE,
        GATE_A_D,               /* a and d, min-coverage 60 */
        GATE_TYPO,
        WAIVE_B,                /* b, until 2099 */
        WAIVE_B_EXPIRED,
        WAIVE_C,                /* c (an error), until 2099 */
        WAIVE_TYPO,
        _FILE_MAX,
} FileId;

static const struct {
        const char *name;
        const char *text;
} files[_FILE_MAX] = {
        [GATE_A_D] = {"gate-a-d.profile", "# two checks\nkernel.site-a\nkernel.site-d\nmin-coverage = 60\n"},
        [GATE_TYPO] = {"gate-typo.profile", "kernel.site-a\nkernel.site-zz\n"},
        [WAIVE_B] = {"w-b.waivers", "[kernel.site-b]\nreason = accepted\nowner = ops\nexpires = 2099-12-31\n"},
        [WAIVE_B_EXPIRED] = {"w-b-expired.waivers",
                             "[kernel.site-b]\nreason = accepted\nowner = ops\nexpires = 2026-01-01\n"},
        [WAIVE_C] = {"w-c.waivers", "[kernel.site-c]\nreason = no root in CI\nowner = ops\nexpires = 2099-12-31\n"},
        [WAIVE_TYPO] = {"w-typo.waivers", "[kernel.site-zz]\nreason = r\nowner = o\nexpires = 2099-12-31\n"},
};

static char *
file_path(FileId id)
{
        if (id == FILE_NONE)
                return NULL;
        return write_file(files[id].name, files[id].text);
}

typedef struct Row {
        const char *what;
        /* the request */
        char **only;
        FileId gate;
        FileId waivers;
        double fail_under;
        int fail_on;
        bool fail_on_error;
        double min_coverage;
        /* the outcome: statuses of a, b, c, d ("p", "f", "s", "e", "w"; "-"
         * when it did not run), the gate, its reasons */
        const char *statuses;
        bool gate_failed;
        const char *reasons[3];
        const char *warning;            /* a substring of the one warning, or NULL for none */
        double coverage;
        double recorded_min_coverage;   /* report.selection.min_coverage */
} Row;

/* Reasons name each result as "ID [SUBJECT]"; a host check's subject is "host". */
static const Row rows[] = {
        {"no gate", all_four, 0, 0, -1, -1, false, -1,
         "pfes", false, {}, NULL, 50.0, -1},
        {"--fail-on medium: b fails it", all_four, 0, 0, -1, SEVERITY_MEDIUM, false, -1,
         "pfes", true, {"--fail-on medium: findings of that severity or higher: kernel.site-b [host]"}, NULL, 50.0,
         GATE_DEFAULT_MIN_COVERAGE},
        {"--fail-on medium, b waived: passes, and b still counts as judged", all_four, 0, WAIVE_B, -1,
         SEVERITY_MEDIUM, false, -1,
         "pwes", false, {}, NULL, 50.0, GATE_DEFAULT_MIN_COVERAGE},
        {"an expired waiver waives nothing and says so", all_four, 0, WAIVE_B_EXPIRED, -1, SEVERITY_MEDIUM, false,
         -1,
         "pfes", true, {"--fail-on medium: findings of that severity or higher: kernel.site-b [host]"},
         "expired", 50.0, GATE_DEFAULT_MIN_COVERAGE},
        {"--fail-on-error: c's error fails it", all_four, 0, 0, -1, -1, true, -1,
         "pfes", true, {"--fail-on-error: 1 results could not be evaluated: kernel.site-c [host]"}, NULL, 50.0,
         GATE_DEFAULT_MIN_COVERAGE},
        {"--fail-on-error, c waived: passes; a waived error is judged", all_four, 0, WAIVE_C, -1, -1, true, -1,
         "pfws", false, {}, NULL, 75.0, GATE_DEFAULT_MIN_COVERAGE},
        {"--fail-under 70: 5 of 8 points", all_four, 0, 0, 70, -1, false, -1,
         "pfes", true, {"score 62.5 is under --fail-under 70.0; results that lost points: kernel.site-b [host]"},
         NULL, 50.0, GATE_DEFAULT_MIN_COVERAGE},
        {"--fail-under 70, b waived: a waived failure costs no points", all_four, 0, WAIVE_B, 70, -1, false, -1,
         "pwes", false, {}, NULL, 50.0, GATE_DEFAULT_MIN_COVERAGE},
        {"--min-coverage 60: 2 of 4 judged", all_four, 0, 0, -1, -1, false, 60,
         "pfes", true,
         {"coverage 50.0% is under the minimum 60.0%: 2 of 4 checks judged; by category: kernel 2/4"}, NULL,
         50.0, 60},
        {"the gate file selects a and d; its min-coverage 60 fails 1 of 2", NULL, GATE_A_D, 0, -1,
         SEVERITY_CRITICAL, false, -1,
         "p--s", true,
         {"coverage 50.0% is under the minimum 60.0%: 1 of 2 checks judged; by category: kernel 1/2"}, NULL,
         50.0, 60},
        {"--min-coverage 40 overrides the gate file's 60", NULL, GATE_A_D, 0, -1, SEVERITY_CRITICAL, false, 40,
         "p--s", false, {}, NULL, 50.0, 40},
        {"the gate file and --only: only what both select", only_a, GATE_A_D, 0, -1, -1, false, -1,
         "p---", false, {}, NULL, 100.0, -1},
        {"a waiver of a check the selection left out waived nothing: a warning", only_a, 0, WAIVE_B, -1, -1, false,
         -1,
         "p---", false, {}, "kernel.site-b", 100.0, -1},
};

static Status
status_of(const Report *rep, const char *id, bool *ret_found)
{
        for (size_t i = 0; i < rep->results.n; i++)
                if (streq(rep->results.v[i].check->id, id)) {
                        *ret_found = true;
                        return rep->results.v[i].status;
                }
        *ret_found = false;
        return _STATUS_INVALID;
}

/* What the hooks saw. */
typedef struct Seen {
        unsigned ready, warnings, progress;
        size_t last_done, last_total;
        bool progress_before_ready;
        int ready_returns;
} Seen;

static void
seen_warning(const char *message, void *userdata)
{
        Seen *s = userdata;

        (void) message;
        s->warnings++;
}

static int
seen_ready(void *userdata)
{
        Seen *s = userdata;

        s->ready++;
        return s->ready_returns;
}

static void
seen_progress(size_t done, size_t total, void *userdata)
{
        Seen *s = userdata;

        if (!s->ready)
                s->progress_before_ready = true;
        s->progress++;
        s->last_done = done;
        s->last_total = total;
}

static ScanRequest
request(void)
{
        ScanRequest req = SCAN_REQUEST_INIT;

        req.facts_file = facts_path;
        req.check_dirs = check_dirs;
        req.today = "2026-06-01";
        req.reproducible = true;
        return req;
}

static void
test_rows(void **state)
{
        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                const Row *row = &rows[i];
                _cleanup_free_ char *gate = file_path(row->gate), *waivers = file_path(row->waivers);
                ScanRequest req = request();
                Seen seen = {};
                ScanHooks hooks = {seen_warning, seen_ready, seen_progress, &seen};
                ScanResult res = {};
                ScanError e = {};
                size_t n_ran = 0, n_reasons = 0;
                int r;

                req.only = row->only;
                req.gate = gate;
                req.waivers_file = waivers;
                req.fail_under = row->fail_under;
                req.fail_on = row->fail_on;
                req.fail_on_error = row->fail_on_error;
                req.min_coverage = row->min_coverage;
                r = scan_run(&req, &hooks, &res, &e);
                if (r < 0)
                        print_error("%s: %s\n", row->what, strna(e.message));
                assert_int_equal(r, 0);

                for (size_t k = 0; k < 4; k++) {
                        bool found;
                        Status st = status_of(&res.report, all_four[k], &found);
                        char got = found ? "pfsew"[st] : '-';

                        n_ran += found;
                        if (got != row->statuses[k])
                                print_error("%s: %s is %c, want %c\n", row->what, all_four[k], got,
                                            row->statuses[k]);
                        assert_int_equal(got, row->statuses[k]);
                }
                /* only the selected checks ran: none of the shipped catalogue */
                assert_int_equal(res.report.results.n, n_ran);
                assert_int_equal(res.report.checks, n_ran);
                if (res.report.coverage != row->coverage)
                        print_error("%s: coverage %.1f\n", row->what, res.report.coverage);
                assert_true(res.report.coverage == row->coverage);

                if (res.gate_failed != row->gate_failed)
                        print_error("%s: gate_failed %d\n", row->what, res.gate_failed);
                assert_int_equal(res.gate_failed, row->gate_failed);
                while (n_reasons < 3 && row->reasons[n_reasons])
                        n_reasons++;
                assert_int_equal(strv_length(res.gate_reasons), n_reasons);
                for (size_t k = 0; k < n_reasons; k++) {
                        if (!streq(res.gate_reasons[k], row->reasons[k]))
                                print_error("%s: reason \"%s\"\n", row->what, res.gate_reasons[k]);
                        assert_string_equal(res.gate_reasons[k], row->reasons[k]);
                }

                /* waiver warnings are data in the report, not hook calls */
                assert_int_equal(seen.warnings, 0);
                if (row->warning) {
                        assert_int_equal(strv_length(res.report.warnings), 1);
                        if (!strstr(res.report.warnings[0], row->warning))
                                print_error("%s: warning \"%s\"\n", row->what, res.report.warnings[0]);
                        assert_non_null(strstr(res.report.warnings[0], row->warning));
                } else
                        assert_null(res.report.warnings);

                /* what was asked is recorded */
                assert_true(res.report.selection.recorded);
                assert_true(res.report.selection.min_coverage == row->recorded_min_coverage);
                if (gate)
                        assert_string_equal(res.report.selection.gate, gate);
                else
                        assert_null(res.report.selection.gate);
                assert_int_equal(strv_length(res.report.selection.only), strv_length(row->only));
                if (waivers) {
                        assert_string_equal(res.report.selection.waivers, waivers);
                        assert_non_null(res.report.selection.waivers_sha256);
                        assert_int_equal(strlen(res.report.selection.waivers_sha256), 64);
                } else
                        assert_null(res.report.selection.waivers_sha256);

                /* the hooks: ready once, before any check; progress per check */
                assert_int_equal(seen.ready, 1);
                assert_false(seen.progress_before_ready);
                assert_int_equal(seen.progress, n_ran);
                assert_int_equal(seen.last_done, n_ran);
                assert_int_equal(seen.last_total, n_ran);
                scan_result_done(&res);
        }
}

/* The report's metadata from a facts file, with and without --reproducible. */
static void
test_metadata(void **state)
{
        ScanRequest req = request();
        ScanResult res = {};
        ScanError e = {};

        (void) state;
        req.only = all_four;
        assert_int_equal(scan_run(&req, NULL, &res, &e), 0);
        assert_string_equal(res.report.tool_version, PROJECT_VERSION);
        assert_string_equal(res.report.root, "(root)");         /* no temporary paths */
        assert_string_equal(res.report.kernel, "6.1.0-test");
        assert_null(res.report.hostname);
        assert_null(res.report.started_at);
        assert_int_equal(res.report.duration_ms, -1);
        assert_null(res.report.libvirt_uri);
        assert_false(res.report.has_framework);
        assert_true(res.report.has_score);
        assert_true(res.report.score == 62.5);  /* a 5 of 5, b 0 of 3 */
        scan_result_done(&res);

        req.reproducible = false;
        req.framework = FRAMEWORK_NIST_800_53;
        assert_int_equal(scan_run(&req, NULL, &res, &e), 0);
        assert_string_equal(res.report.root, "/srv/image");     /* the facts file's meta:root */
        assert_string_equal(res.report.hostname, "h1");
        assert_non_null(res.report.started_at);
        assert_true(res.report.duration_ms >= 0);
        assert_true(res.report.has_framework);
        assert_int_equal(res.report.framework, FRAMEWORK_NIST_800_53);
        scan_result_done(&res);
}

typedef enum Tweak {
        TWEAK_NONE,
        TWEAK_ROOT_AND_FACTS,
        TWEAK_URI_WITH_FACTS,
        TWEAK_INSPECT_WITH_FACTS,
        TWEAK_MISSING_CHECKS_DIR,
        TWEAK_MISSING_FACTS,
        TWEAK_BAD_FACTS,
        TWEAK_BAD_TODAY,
        TWEAK_MISSING_ROOT,
} Tweak;

typedef struct ErrorRow {
        const char *what;
        char **only;
        FileId gate;
        FileId waivers;
        Tweak tweak;
        int ready_returns;              /* what the ready hook returns */
        int error;
        bool input;
        const char *message;            /* exactly; DIR is the test directory; NULL: none */
} ErrorRow;

static const ErrorRow error_rows[] = {
        {"--only names nothing", only_typo, 0, 0, TWEAK_NONE, 0, -EINVAL, true,
         "--only kernel.site-zz: no such category or check id"},
        {"a gate file's typo, by file and line", NULL, GATE_TYPO, 0, TWEAK_NONE, 0, -EINVAL, true,
         "DIR/gate-typo.profile:2: no such check id \"kernel.site-zz\" in the catalogue"},
        {"a waiver of an unknown check, by file and line", all_four, 0, WAIVE_TYPO, TWEAK_NONE, 0, -EINVAL, true,
         "DIR/w-typo.waivers:1: unknown check id \"kernel.site-zz\""},
        {"a bad date for the waivers", all_four, 0, WAIVE_B, TWEAK_BAD_TODAY, 0, -EINVAL, true,
         "today \"2026-13-01\" is not a date of the form YYYY-MM-DD"},
        {"--root and --facts", all_four, 0, 0, TWEAK_ROOT_AND_FACTS, 0, -EINVAL, true,
         "--root and --facts exclude each other"},
        {"--connect with --facts", all_four, 0, 0, TWEAK_URI_WITH_FACTS, 0, -EINVAL, true,
         "--connect applies to the live host, not to --root or --facts"},
        {"--inspect-seccomp with --facts", all_four, 0, 0, TWEAK_INSPECT_WITH_FACTS, 0, -EINVAL, true,
         "--inspect-seccomp reads the filters of running processes: not with --root or --facts"},
        {"a missing --checks directory", all_four, 0, 0, TWEAK_MISSING_CHECKS_DIR, 0, -ENOENT, true,
         "--checks DIR/none: No such file or directory"},
        {"a missing facts file", all_four, 0, 0, TWEAK_MISSING_FACTS, 0, -ENOENT, true,
         "--facts DIR/none.json: No such file or directory"},
        {"a facts file that is not JSON", all_four, 0, 0, TWEAK_BAD_FACTS, 0, -EINVAL, true,
         "DIR/bad.json: not valid JSON: unexpected end of data (at byte 21)"},
        {"a missing root", all_four, 0, 0, TWEAK_MISSING_ROOT, 0, -EINVAL, true,
         "--root DIR/none: No such file or directory"},
        {"the ready hook refuses the request (an output it cannot open)", all_four, 0, 0, TWEAK_NONE, -EINVAL,
         -EINVAL, true, NULL},
        {"the ready hook cannot run", all_four, 0, 0, TWEAK_NONE, -EIO, -EIO, false, NULL},
};

/* @tmpl with each "DIR" replaced by the test directory. */
static char *
with_dir(const char *tmpl)
{
        StrBuf b = {};

        for (const char *p = tmpl; *p; ) {
                const char *at = strstr(p, "DIR");

                if (!at) {
                        strbuf_append(&b, p);
                        break;
                }
                strbuf_appendn(&b, p, at - p);
                strbuf_append(&b, dir);
                p = at + strlen("DIR");
        }
        return strbuf_steal(&b);
}

static void
test_errors(void **state)
{
        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(error_rows); i++) {
                const ErrorRow *row = &error_rows[i];
                _cleanup_free_ char *gate = file_path(row->gate), *waivers = file_path(row->waivers);
                _cleanup_free_ char *none = path_in("none"), *none_json = path_in("none.json");
                _cleanup_free_ char *want = row->message ? with_dir(row->message) : NULL;
                char *missing_dirs[] = {none, NULL};
                ScanRequest req = request();
                Seen seen = {.ready_returns = row->ready_returns};
                ScanHooks hooks = {seen_warning, seen_ready, seen_progress, &seen};
                ScanResult res = {.gate_failed = true};
                ScanError e = {};
                int r;

                req.only = row->only;
                req.gate = gate;
                req.waivers_file = waivers;
                switch (row->tweak) {
                case TWEAK_ROOT_AND_FACTS:
                        req.root = dir;
                        break;
                case TWEAK_URI_WITH_FACTS:
                        req.libvirt_uri = "qemu:///system";
                        break;
                case TWEAK_INSPECT_WITH_FACTS:
                        req.inspect_seccomp = true;
                        break;
                case TWEAK_MISSING_CHECKS_DIR:
                        req.check_dirs = missing_dirs;
                        break;
                case TWEAK_MISSING_FACTS:
                        req.facts_file = none_json;
                        break;
                case TWEAK_BAD_FACTS:
                        req.facts_file = bad_facts_path;
                        break;
                case TWEAK_BAD_TODAY:
                        req.today = "2026-13-01";
                        break;
                case TWEAK_MISSING_ROOT:
                        req.facts_file = NULL;
                        req.root = none;
                        break;
                default:
                        break;
                }
                r = scan_run(&req, &hooks, &res, &e);
                if (r != row->error || e.input != row->input || !streq_ptr(e.message, want))
                        print_error("%s: r=%d input=%d \"%s\", want %d %d \"%s\"\n", row->what, r, e.input,
                                    strna(e.message), row->error, row->input, strna(want));
                assert_int_equal(r, row->error);
                assert_int_equal(e.error, row->error);
                assert_int_equal(e.input, row->input);
                assert_true(streq_ptr(e.message, want));
                assert_int_equal(e.hook, row->ready_returns < 0);
                /* nothing evaluated after a failure, and *ret untouched */
                assert_int_equal(seen.progress, 0);
                assert_true(res.gate_failed);
                assert_int_equal(res.report.results.n, 0);
                scan_error_done(&e);
        }
}

/* collect reads a host: a facts file is a wrong request. */
static void
test_collect_refuses_facts(void **state)
{
        ScanRequest req = request();
        ScanFacts f = {};
        ScanError e = {};

        (void) state;
        assert_int_equal(scan_collect(&req, NULL, &f, &e), -EINVAL);
        assert_true(e.input);
        assert_string_equal(e.message, "collect reads a host: --facts is an option of scan");
        assert_null(f.store);
        scan_error_done(&e);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rows),
                cmocka_unit_test(test_metadata),
                cmocka_unit_test(test_errors),
                cmocka_unit_test(test_collect_refuses_facts),
        };

        /* KVMAUDIT_TODAY would only apply without req.today; keep it out */
        unsetenv("KVMAUDIT_TODAY");
        return cmocka_run_group_tests(tests, setup, teardown);
}
