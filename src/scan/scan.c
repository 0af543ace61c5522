/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scan as a library call (scan.h): request in, report and gate out. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "facts-json.h"
#include "fileio.h"
#include "host.h"
#include "probes.h"
#include "scan.h"
#include "sha256.h"
#include "strv.h"
#include "util.h"
#include "waiver.h"

void
scan_error_done(ScanError *e)
{
        free(e->message);
        *e = (ScanError) {};
}

void
scan_result_done(ScanResult *r)
{
        report_done(&r->report);
        strv_free(r->gate_reasons);
        catalog_done(&r->catalog);
        *r = (ScanResult) {};
}

void
scan_facts_done(ScanFacts *f)
{
        /* the store reads through the host: it goes first */
        fact_store_free(f->store);
        host_free(f->host);
        strv_free(f->keys);
        *f = (ScanFacts) {};
}

/* Fills *e (taking @message, which may be NULL) and returns @error. */
static int
scan_fail(ScanError *e, int error, bool input, char *message)
{
        *e = (ScanError) {.error = error, .input = input, .message = message};
        return error;
}

#define scan_failf(e, error, input, ...) scan_fail((e), (error), (input), xasprintf(__VA_ARGS__))

/* What "FILE: " read errors of read_input_file() say. */
static const char *
input_strerror(int r)
{
        return r == -EFBIG ? "file too large" : r == -EBADMSG ? "contains NUL bytes" : strerror(-r);
}

/* The options that only make sense together are refused here too, not
 * only by the CLI: a library caller gets the same answer. */
static int
scan_request_check(const ScanRequest *req, ScanError *e)
{
        if (req->root && req->facts_file)
                return scan_failf(e, -EINVAL, true, "--root and --facts exclude each other");
        if (req->libvirt_uri && (req->root || req->facts_file))
                return scan_failf(e, -EINVAL, true, "--connect applies to the live host, not to --root or --facts");
        if (req->inspect_seccomp && (req->root || req->facts_file))
                return scan_failf(e, -EINVAL, true,
                                  "--inspect-seccomp reads the filters of running processes: "
                                  "not with --root or --facts");
        return 0;
}

static int
scan_catalog(const ScanRequest *req, Catalog *ret, ScanError *e)
{
        char *err = NULL;
        int r;

        r = scan_catalog_load(req->check_dirs, ret, &err);
        /* A catalogue that does not load is the user's to fix (exit 2),
         * whatever the errno. */
        return r < 0 ? scan_fail(e, r, true, err) : 0;
}

/* The facts: a facts file, or a store reading the host at the root. */
static int
scan_open_facts(const ScanRequest *req, Host **ret_host, FactStore **ret_store, ScanError *e)
{
        _cleanup_(fact_store_freep) FactStore *store = NULL;
        Host *host = NULL;
        int r;

        if (req->facts_file) {
                _cleanup_free_ char *text = NULL;
                char *err = NULL;

                r = read_input_file(req->facts_file, FACTS_FILE_MAX, &text);
                if (r < 0)
                        return scan_failf(e, r, r != -ENOMEM, "--facts %s: %s", req->facts_file, input_strerror(r));
                r = fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &store);
                if (r < 0)
                        return scan_fail(e, r, false, NULL);
                r = facts_load_json(store, text, req->facts_file, &err);
                if (r < 0)
                        return scan_fail(e, r == -ENOMEM ? r : -EINVAL, r != -ENOMEM,
                                         err ? err : strdup(strerror(-r)));
        } else {
                const char *root = req->root ? req->root : "/";

                r = host_new(root, &host);
                if (r < 0)
                        return scan_failf(e, -EINVAL, true, "--root %s: %s", root, strerror(-r));
                r = fact_store_new(host, probe_namespaces, probe_namespaces_count, &store);
                if (r >= 0)
                        r = probe_virt_set_uri(store, req->libvirt_uri);
                if (r >= 0)
                        r = probe_seccomp_set_inspect(store, req->inspect_seccomp);
                if (r < 0) {
                        store = fact_store_free(store);
                        host_free(host);
                        return scan_fail(e, r, false, NULL);
                }
        }
        /* The filters are read back now, before the caller's own sandbox
         * (the kernel refuses ptrace to a filtered tracer). */
        r = probe_seccomp_inspect_now(store);
        if (r < 0) {
                store = fact_store_free(store);
                host_free(host);
                return scan_failf(e, r, false, "--inspect-seccomp: %s", strerror(-r));
        }
        *ret_host = host;
        *ret_store = TAKE_PTR(store);
        return 0;
}

static int
scan_hook_ready(const ScanHooks *hooks, ScanError *e)
{
        int r;

        if (!hooks || !hooks->ready)
                return 0;
        r = hooks->ready(hooks->userdata);
        if (r < 0) {
                *e = (ScanError) {.error = r, .input = r == -EINVAL, .hook = true};
                return r;
        }
        return 0;
}

static int
evaluate_all(const Catalog *cat, const bool *selected, FactStore *store, Results *out, const ScanHooks *hooks)
{
        size_t total = 0, done = 0;

        for (size_t i = 0; i < cat->n_checks; i++)
                total += !selected || selected[i];
        for (size_t i = 0; i < cat->n_checks; i++) {
                int r;

                if (selected && !selected[i])
                        continue;
                r = check_evaluate(&cat->checks[i], cat, store, out);
                if (r < 0)
                        return r;
                done++;
                if (hooks && hooks->progress)
                        hooks->progress(done, total, hooks->userdata);
        }
        return 0;
}

static int64_t
now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
rfc3339_now(void)
{
        char buf[64];
        time_t t = time(NULL);
        struct tm tm;

        if (!gmtime_r(&t, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return NULL;
        return strdup(buf);
}

/* The day waivers expire against: the request's, else KVMAUDIT_TODAY (for
 * tests), else today's UTC date. */
static int
scan_today(const ScanRequest *req, char ret[static 11], ScanError *e)
{
        const char *env = getenv("KVMAUDIT_TODAY");
        time_t t = time(NULL);
        struct tm tm;

        if (req->today) {
                if (!waiver_date_valid(req->today))
                        return scan_failf(e, -EINVAL, true, "today \"%s\" is not a date of the form YYYY-MM-DD",
                                          req->today);
                memcpy(ret, req->today, 11);
                return 0;
        }
        if (env) {
                if (!waiver_date_valid(env))
                        return scan_failf(e, -EINVAL, true, "KVMAUDIT_TODAY=%s is not a date of the form YYYY-MM-DD",
                                          env);
                memcpy(ret, env, 11);
                return 0;
        }
        if (!gmtime_r(&t, &tm) || strftime(ret, 11, "%Y-%m-%d", &tm) != 10)
                return scan_failf(e, -EIO, false, "cannot tell today's date");
        return 0;
}

/* --waivers FILE; *ret_sha256: the digest of the file as read. */
static int
scan_load_waivers(const char *path, const Catalog *cat, WaiverSet *waivers, char **ret_sha256, ScanError *e)
{
        _cleanup_free_ char *text = NULL;
        char digest[65], *err = NULL;
        int r;

        r = read_input_file(path, WAIVER_FILE_MAX, &text);
        if (r < 0)
                return scan_failf(e, r == -ENOMEM ? r : -EINVAL, r != -ENOMEM, "--waivers %s: %s", path,
                                  input_strerror(r));
        sha256_hex(text, strlen(text), digest);
        r = waiver_set_load_text(waivers, text, path, cat, &err);
        if (r < 0)
                return scan_fail(e, r == -ENOMEM ? r : -EINVAL, r != -ENOMEM, err ? err : strdup(strerror(-r)));
        *ret_sha256 = strdup(digest);
        return *ret_sha256 ? 0 : scan_fail(e, -ENOMEM, false, NULL);
}

/* Records what the scan was asked to run, for the report. */
static int
scan_record_selection(const ScanRequest *req, const Gate *g, ReportSelection *sel)
{
        sel->recorded = true;
        sel->min_coverage = gate_active(g) ? g->min_coverage : -1;
        if ((req->gate && !(sel->gate = strdup(req->gate))) ||
            (req->waivers_file && !(sel->waivers = strdup(req->waivers_file))))
                return -ENOMEM;
        STRV_FOREACH(s, req->only)
                if (strv_extend(&sel->only, *s) < 0)
                        return -ENOMEM;
        STRV_FOREACH(s, req->skip)
                if (strv_extend(&sel->skip, *s) < 0)
                        return -ENOMEM;
        return 0;
}

static char *
fact_string_dup(FactStore *s, const char *key)
{
        const Fact *f = fact_store_get(s, key);

        return f->kind == FACT_STRING ? strdup(f->string) : NULL;
}

/* The report's host metadata.  What cannot be allocated stays unknown. */
static void
scan_report_metadata(const ScanRequest *req, Host *host, FactStore *store, int64_t t0, Report *rep)
{
        const Fact *src;

        rep->tool_version = strdup(PROJECT_VERSION);
        rep->root = strdup(req->facts_file ? "(facts file)" : host_root(host));
        if (req->facts_file) {
                const Fact *f = fact_store_get(store, "meta:root");

                if (f->kind == FACT_STRING) {
                        free(rep->root);
                        rep->root = strdup(f->string);
                }
        }
        if (!req->reproducible) {
                rep->hostname = fact_string_dup(store, "sysctl:kernel.hostname");
                rep->duration_ms = now_ms() - t0;
        }
        rep->kernel = fact_string_dup(store, "sysctl:kernel.osrelease");
        /* "api URI" when the domains came from the libvirt API; only when a
         * check read them: a kernel-only scan never connects. */
        src = fact_store_peek(store, "libvirt:source");
        if (src && src->kind == FACT_STRING && startswith(src->string, "api "))
                rep->libvirt_uri = strdup(src->string + 4);
        rep->kconfig_source = fact_string_dup(store, "meta:kconfig_source");
        /* Reproducible reports name no temporary paths: "/" or "(root)". */
        if (req->reproducible && rep->root && !streq(rep->root, "/")) {
                free(rep->root);
                rep->root = strdup("(root)");
        }
}

/* What the scan holds between its steps. */
typedef struct Scan {
        Catalog cat;
        Selection selection;
        WaiverSet waivers;
        char today[11];
        Gate gate;
        Host *host;
        FactStore *store;
        Report rep;
        char **reasons;
} Scan;

static void
scan_done(Scan *s)
{
        strv_free(s->reasons);
        report_done(&s->rep);
        s->store = fact_store_free(s->store);
        host_free(s->host);
        waiver_set_done(&s->waivers);
        selection_done(&s->selection);
        catalog_done(&s->cat);
}

/* What was asked, checked against the catalogue, before any fact is read. */
static int
scan_prepare(const ScanRequest *req, Scan *s, ScanError *e)
{
        char *err = NULL;
        int r;

        r = scan_request_check(req, e);
        if (r < 0)
                return r;
        r = scan_catalog(req, &s->cat, e);
        if (r < 0)
                return r;
        r = selection_build(&s->cat, req->gate, req->only, req->skip, &s->selection, &err);
        if (r < 0)
                return scan_fail(e, r, r != -ENOMEM, err);
        if (req->waivers_file) {
                r = scan_today(req, s->today, e);
                if (r < 0)
                        return r;
                r = scan_load_waivers(req->waivers_file, &s->cat, &s->waivers, &s->rep.selection.waivers_sha256, e);
                if (r < 0)
                        return r;
        }
        s->gate = gate_make(req->fail_under, req->fail_on, req->fail_on_error, req->min_coverage,
                            s->selection.min_coverage);
        r = scan_record_selection(req, &s->gate, &s->rep.selection);
        return r < 0 ? scan_fail(e, r, false, NULL) : 0;
}

/* After evaluation: waivers, score, per-control view, gate. */
static int
scan_judge(const ScanRequest *req, Scan *s)
{
        int r;

        /* Waived results are not scored, so this comes before report_score(). */
        if (req->waivers_file) {
                r = waivers_apply(&s->waivers, &s->rep.results, s->today, &s->rep.warnings);
                if (r < 0)
                        return r;
        }
        r = report_score(&s->rep);
        if (r < 0)
                return r;
        r = report_controls(&s->rep, req->framework);
        if (r < 0)
                return r;
        return gate_check(&s->rep, &s->gate, &s->reasons);
}

int
scan_run(const ScanRequest *req, const ScanHooks *hooks, ScanResult *ret, ScanError *ret_error)
{
        Scan s = {.rep = {.duration_ms = -1}};
        int64_t t0 = now_ms();
        int r, failed;

        r = scan_prepare(req, &s, ret_error);
        if (r < 0)
                goto out;
        /* Without root much of the host cannot be read; say so before the
         * results do (each such result is an error naming the file). */
        if (!req->facts_file && (!req->root || streq(req->root, "/")) && geteuid() != 0 && hooks &&
            hooks->warning) {
                _cleanup_free_ char *m = xasprintf(
                        "running as uid %u, not root: what only root can read (libvirt's files, /dev/kvm, "
                        "firmware tables) gives errors that say \"needs root\", not verdicts; "
                        "--fail-on-error fails the gate on them", (unsigned) geteuid());
                if (m)
                        hooks->warning(m, hooks->userdata);
        }
        r = scan_open_facts(req, &s.host, &s.store, ret_error);
        if (r < 0)
                goto out;
        r = scan_hook_ready(hooks, ret_error);
        if (r < 0)
                goto out;
        s.rep.started_at = req->reproducible ? NULL : rfc3339_now();
        r = evaluate_all(&s.cat, s.selection.selected, s.store, &s.rep.results, hooks);
        if (r >= 0)
                r = results_locate(&s.rep.results, s.store);
        if (r < 0) {
                scan_failf(ret_error, r, false, "scan failed: %s", strerror(-r));
                goto out;
        }
        scan_report_metadata(req, s.host, s.store, t0, &s.rep);
        {
                /* Remediations for the distribution of the audited root
                 * (os-release); the plain one where it names none we know
                 * or a facts file predates the os namespace. */
                _cleanup_free_ char *os_id = fact_string_dup(s.store, "os:id");
                _cleanup_free_ char *os_like = fact_string_dup(s.store, "os:id_like");

                r = catalog_remediation_select(&s.cat, distro_family_of(os_id, os_like));
                if (r < 0) {
                        scan_failf(ret_error, r, false, "scan failed: %s", strerror(-r));
                        goto out;
                }
        }
        failed = scan_judge(req, &s);
        if (failed < 0) {
                r = scan_failf(ret_error, failed, false, "scan failed: %s", strerror(-failed));
                goto out;
        }
        *ret = (ScanResult) {
                .catalog = s.cat,
                .report = s.rep,
                .gate_failed = failed > 0,
                .gate_reasons = TAKE_PTR(s.reasons),
        };
        s.rep = (Report) {};
        s.cat = (Catalog) {};
        r = 0;
out:
        scan_done(&s);
        return r;
}

int
scan_collect(const ScanRequest *req, const ScanHooks *hooks, ScanFacts *ret, ScanError *ret_error)
{
        _cleanup_strv_free_ char **keys = NULL;
        char *err = NULL;
        Scan s = {};
        int r;

        if (req->facts_file) {
                r = scan_failf(ret_error, -EINVAL, true, "collect reads a host: --facts is an option of scan");
                goto out;
        }
        r = scan_request_check(req, ret_error);
        if (r >= 0)
                r = scan_catalog(req, &s.cat, ret_error);
        if (r >= 0)
                r = scan_open_facts(req, &s.host, &s.store, ret_error);
        if (r >= 0)
                r = scan_hook_ready(hooks, ret_error);
        if (r < 0)
                goto out;
        r = fact_store_set_string(s.store, "meta:root", host_root(s.host));
        if (r >= 0)
                r = scan_collect_facts(&s.cat, s.store, &keys, &err);
        if (r < 0) {
                if (err)
                        scan_fail(ret_error, r, true, TAKE_PTR(err));
                else
                        scan_failf(ret_error, r, false, "collect failed: %s", strerror(-r));
                goto out;
        }
        *ret = (ScanFacts) {.host = TAKE_PTR(s.host), .store = TAKE_PTR(s.store), .keys = TAKE_PTR(keys)};
out:
        scan_done(&s);
        return r;
}
