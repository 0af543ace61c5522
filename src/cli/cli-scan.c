/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit scan and kvmaudit collect. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog-embedded.h"
#include "cli-output.h"
#include "cli.h"
#include "config.h"
#include "facts-json.h"
#include "fileio.h"
#include "host.h"
#include "probes.h"
#include "report.h"
#include "sandbox.h"
#include "sha256.h"
#include "util.h"
#include "waiver.h"

typedef struct ScanOptions {
        const char *root;
        const char *connect;
        const char *facts_file;
        const char *format;     /* --format; NULL when not given */
        OutputSet outputs;      /* -o, repeatable */
        const char *waivers_file;
        const char *profile;
        char **only;
        char **skip;
        char **check_dirs;
        bool reproducible;
        bool no_color;
        bool quiet;
        bool fail_on_error;
        bool inspect_seccomp;
        bool debug;             /* --debug: log what the sandbox denies */
        double fail_under;
        int fail_on;
        Framework framework;
        double min_coverage;    /* -1: the profile's, or DEFAULT_MIN_COVERAGE */
} ScanOptions;

static void
scan_options_done(ScanOptions *o)
{
        strv_free(o->only);
        strv_free(o->skip);
        strv_free(o->check_dirs);
}

enum {
        ARG_ROOT = 0x100,
        ARG_CONNECT,
        ARG_FACTS,
        ARG_ONLY,
        ARG_SKIP,
        ARG_CHECKS,
        ARG_REPRODUCIBLE,
        ARG_FAIL_UNDER,
        ARG_FAIL_ON,
        ARG_NO_COLOR,
        ARG_WAIVERS,
        ARG_PROFILE,
        ARG_FAIL_ON_ERROR,
        ARG_INSPECT_SECCOMP,
        ARG_FRAMEWORK,
        ARG_MIN_COVERAGE,
        ARG_DEBUG,
};

static int
parse_scan_options(int argc, char **argv, bool collect, ScanOptions *o)
{
        static const struct option opts[] = {
                {"root", required_argument, NULL, ARG_ROOT},
                {"connect", required_argument, NULL, ARG_CONNECT},
                {"facts", required_argument, NULL, ARG_FACTS},
                {"format", required_argument, NULL, 'f'},
                {"output", required_argument, NULL, 'o'},
                {"only", required_argument, NULL, ARG_ONLY},
                {"skip", required_argument, NULL, ARG_SKIP},
                {"checks", required_argument, NULL, ARG_CHECKS},
                {"reproducible", no_argument, NULL, ARG_REPRODUCIBLE},
                {"fail-under", required_argument, NULL, ARG_FAIL_UNDER},
                {"fail-on", required_argument, NULL, ARG_FAIL_ON},
                {"no-color", no_argument, NULL, ARG_NO_COLOR},
                {"waivers", required_argument, NULL, ARG_WAIVERS},
                {"profile", required_argument, NULL, ARG_PROFILE},
                {"fail-on-error", no_argument, NULL, ARG_FAIL_ON_ERROR},
                {"inspect-seccomp", no_argument, NULL, ARG_INSPECT_SECCOMP},
                {"framework", required_argument, NULL, ARG_FRAMEWORK},
                {"min-coverage", required_argument, NULL, ARG_MIN_COVERAGE},
                {"debug", no_argument, NULL, ARG_DEBUG},
                {"quiet", no_argument, NULL, 'q'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        *o = (ScanOptions) {.fail_under = -1, .fail_on = -1, .framework = _FRAMEWORK_INVALID, .min_coverage = -1};
        optind = 0;
        while ((c = getopt_long(argc, argv, "f:o:qh", opts, NULL)) >= 0) {
                switch (c) {
                case ARG_ROOT:
                        o->root = optarg;
                        break;
                case ARG_CONNECT:
                        o->connect = optarg;
                        break;
                case ARG_FACTS:
                        if (collect) {
                                cli_error("kvmaudit collect: --facts is an option of scan");
                                return -EINVAL;
                        }
                        o->facts_file = optarg;
                        break;
                case 'f':
                        if (collect) {
                                cli_error("kvmaudit collect: facts are always JSON; --format is an option of scan");
                                return -EINVAL;
                        }
                        if (!renderer_find(optarg)) {
                                cli_error("kvmaudit: unknown format \"%s\" (known: %s)", optarg, renderer_names());
                                return -EINVAL;
                        }
                        o->format = optarg;
                        break;
                case 'o':
                        if (collect && o->outputs.n > 0) {
                                cli_error("kvmaudit collect: one -o FILE (facts are one JSON file)");
                                return -EINVAL;
                        }
                        if (output_set_add(&o->outputs, collect ? "collect" : "scan", optarg) < 0)
                                return -EINVAL;
                        if (collect && o->outputs.v[0].explicit_format &&
                            !streq(o->outputs.v[0].renderer->name, "json")) {
                                cli_error("kvmaudit collect: -o %s: facts are always JSON", optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_ONLY:
                        if (strv_extend(&o->only, optarg) < 0)
                                return -ENOMEM;
                        break;
                case ARG_SKIP:
                        if (strv_extend(&o->skip, optarg) < 0)
                                return -ENOMEM;
                        break;
                case ARG_CHECKS:
                        if (strv_extend(&o->check_dirs, optarg) < 0)
                                return -ENOMEM;
                        break;
                case ARG_REPRODUCIBLE:
                        o->reproducible = true;
                        break;
                case ARG_FAIL_UNDER: {
                        if (parse_double(optarg, &o->fail_under) < 0 || o->fail_under < 0 ||
                            o->fail_under > 100) {
                                cli_error("kvmaudit: --fail-under needs a score from 0 to 100, not \"%s\"",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                }
                case ARG_DEBUG:
                        o->debug = true;
                        break;
                case ARG_MIN_COVERAGE:
                        if (collect) {
                                cli_error("kvmaudit collect: --min-coverage is an option of scan");
                                return -EINVAL;
                        }
                        if (parse_double(optarg, &o->min_coverage) < 0 || o->min_coverage < 0 ||
                            o->min_coverage > 100) {
                                cli_error("kvmaudit: --min-coverage needs a percentage from 0 to 100, not \"%s\"",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_FAIL_ON:
                        o->fail_on = severity_from_string(optarg);
                        if (o->fail_on < 0) {
                                cli_error("kvmaudit: --fail-on needs critical, high, medium, low or info, not \"%s\"",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_NO_COLOR:
                        o->no_color = true;
                        break;
                case ARG_WAIVERS:
                        if (collect) {
                                cli_error("kvmaudit collect: --waivers is an option of scan");
                                return -EINVAL;
                        }
                        o->waivers_file = optarg;
                        break;
                case ARG_PROFILE:
                case ARG_FAIL_ON_ERROR:
                        if (collect) {
                                cli_error("kvmaudit collect: --%s is an option of scan",
                                        c == ARG_PROFILE ? "profile" : "fail-on-error");
                                return -EINVAL;
                        }
                        if (c == ARG_PROFILE)
                                o->profile = optarg;
                        else
                                o->fail_on_error = true;
                        break;
                case ARG_INSPECT_SECCOMP:
                        o->inspect_seccomp = true;
                        break;
                case ARG_FRAMEWORK:
                        if (collect) {
                                cli_error("kvmaudit collect: --framework is an option of scan");
                                return -EINVAL;
                        }
                        if (cli_parse_framework("scan", optarg, &o->framework) < 0)
                                return -EINVAL;
                        break;
                case 'q':
                        o->quiet = true;
                        break;
                case 'h':
                        cli_help();
                        return 1;
                default:
                        return -EINVAL;
                }
        }
        if (optind < argc) {
                cli_error("kvmaudit %s: unexpected argument \"%s\"", collect ? "collect" : "scan", argv[optind]);
                return -EINVAL;
        }
        if (o->root && o->facts_file) {
                cli_error("kvmaudit scan: --root and --facts exclude each other");
                return -EINVAL;
        }
        if (o->connect && (o->root || o->facts_file)) {
                cli_error("kvmaudit: --connect applies to the live host, not to --root or --facts");
                return -EINVAL;
        }
        if (o->inspect_seccomp && (o->root || o->facts_file)) {
                cli_error("kvmaudit: --inspect-seccomp reads the filters of running processes: "
                        "not with --root or --facts");
                return -EINVAL;
        }
        if (o->connect && probe_virt_set_uri(o->connect) < 0)
                return -ENOMEM;
        if (!collect && output_set_resolve(&o->outputs, "scan", o->format) < 0)
                return -EINVAL;
        probe_seccomp_set_inspect(o->inspect_seccomp);
        return 0;
}

/* The shipped profiles, gates/NAME.profile, embedded at build time by
 * tools/embed-gates.py (names without ".profile"). */
extern const EmbeddedFile embedded_gates[];
extern const unsigned embedded_gates_count;

#define PROFILE_FILE_MAX (64u * 1024u)
#define PROFILE_LINE_MAX 256u

static char *
profile_names(void)
{
        StrBuf b = {};

        for (unsigned i = 0; i < embedded_gates_count; i++)
                strbuf_printf(&b, "%s%s", i ? ", " : "", embedded_gates[i].name);
        return strbuf_steal(&b);
}

/* The coverage a gate needs when neither --min-coverage nor the profile
 * says; as gates/strict.profile (every check, many not applicable). */
#define DEFAULT_MIN_COVERAGE 40.0

/* Marks in @sel the checks a profile's @text selects: one check id,
 * "category:NAME" or "*" per line, "#" comment lines, and at most one
 * "min-coverage = PERCENT" (the gate's default minimum coverage, stored in
 * *min_coverage).  Prints "FILE:LINE: message" and returns -EINVAL on a
 * line that names nothing in the catalogue, so that a typo in a gate
 * fails loudly, not open. */
static int
profile_select(const Catalog *cat, const char *text, const char *filename, bool *sel, double *min_coverage)
{
        bool have_min = false;

        unsigned lineno = 0;

        for (const char *p = text; *p; ) {
                const char *eol = strchrnul(p, '\n');
                size_t len = eol - p;
                char line[PROFILE_LINE_MAX + 1];
                const char *what = NULL;
                bool found = false;
                char *l;

                lineno++;
                if (len > PROFILE_LINE_MAX) {
                        cli_error("kvmaudit: %s:%u: line longer than %u bytes",
                                filename, lineno, PROFILE_LINE_MAX);
                        return -EINVAL;
                }
                memcpy(line, p, len);
                line[len] = '\0';
                p = *eol ? eol + 1 : eol;
                l = strstrip(line);
                if (!*l || *l == '#')
                        continue;
                if (startswith(l, "min-coverage")) {
                        const char *v = l + strlen("min-coverage");
                        double d;

                        v += strspn(v, " \t");
                        if (*v != '=' || parse_double(strstrip((char *) v + 1), &d) < 0 || d < 0 || d > 100) {
                                cli_error("kvmaudit: %s:%u: \"%s\": expected min-coverage = PERCENT (0 to 100)",
                                        filename, lineno, l);
                                return -EINVAL;
                        }
                        if (have_min) {
                                cli_error("kvmaudit: %s:%u: min-coverage given twice", filename, lineno);
                                return -EINVAL;
                        }
                        have_min = true;
                        *min_coverage = d;
                        continue;
                }
                if (strpbrk(l, " \t#")) {
                        cli_error("kvmaudit: %s:%u: \"%s\": expected one check id, "
                                "category:NAME or *",
                                filename, lineno, l);
                        return -EINVAL;
                }
                if (streq(l, "*")) {
                        for (size_t i = 0; i < cat->n_checks; i++)
                                sel[i] = true;
                        continue;
                }
                if (startswith(l, "category:")) {
                        l += strlen("category:");
                        what = "category";
                        for (size_t i = 0; i < cat->n_checks; i++)
                                if (streq(cat->checks[i].category, l))
                                        sel[i] = found = true;
                } else {
                        const Check *c = catalog_find(cat, l);

                        what = "check id";
                        if (c) {
                                sel[c - cat->checks] = true;
                                found = true;
                        }
                }
                if (!found) {
                        cli_error("kvmaudit: %s:%u: no such %s \"%s\" in the catalogue",
                                filename, lineno, what, l);
                        return -EINVAL;
                }
        }
        return 0;
}

/* --profile NAME (a shipped profile) or --profile PATH (a file; any value
 * with a "/"). */
static int
profile_load(const Catalog *cat, const char *name, bool *sel, double *min_coverage)
{
        _cleanup_free_ char *text = NULL, *known = NULL;
        int r;

        if (strchr(name, '/')) {
                r = read_input_file(name, PROFILE_FILE_MAX, &text);
                if (r < 0) {
                        cli_error("kvmaudit: --profile %s: %s", name,
                                r == -EFBIG ? "file too large" :
                                r == -EBADMSG ? "contains NUL bytes" : strerror(-r));
                        return r == -ENOMEM ? r : -EINVAL;
                }
                return profile_select(cat, text, name, sel, min_coverage);
        }
        for (unsigned i = 0; i < embedded_gates_count; i++)
                if (streq(embedded_gates[i].name, name)) {
                        _cleanup_free_ char *file = xasprintf("gates/%s.profile", name);
                        return profile_select(cat, embedded_gates[i].text, file ? file : name, sel, min_coverage);
                }
        known = profile_names();
        cli_error("kvmaudit: --profile %s: no such profile (known: %s; or a file path)",
                name, strna(known));
        return -EINVAL;
}

/* Marks which checks run: --profile first, then --only CATEGORY|ID narrows
 * and --skip ID|CATEGORY removes. */
static int
select_checks(const Catalog *cat, const ScanOptions *o, bool *ret_selected, double *ret_min_coverage)
{
        size_t n = 0;
        int r;

        for (size_t i = 0; i < cat->n_checks; i++)
                ret_selected[i] = !o->profile;
        if (o->profile) {
                r = profile_load(cat, o->profile, ret_selected, ret_min_coverage);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(s, o->only) {
                bool found = false;
                for (size_t i = 0; i < cat->n_checks; i++)
                        if (streq(cat->checks[i].category, *s) || streq(cat->checks[i].id, *s))
                                found = true;
                if (!found) {
                        cli_error("kvmaudit: --only %s: no such category or check id", *s);
                        return -EINVAL;
                }
        }
        STRV_FOREACH(s, o->skip)
                if (!catalog_find(cat, *s)) {
                        bool cat_found = false;
                        for (size_t i = 0; i < cat->n_checks; i++)
                                if (streq(cat->checks[i].category, *s))
                                        cat_found = true;
                        if (!cat_found) {
                                cli_error("kvmaudit: --skip %s: no such check id or category", *s);
                                return -EINVAL;
                        }
                }
        for (size_t i = 0; i < cat->n_checks; i++) {
                const Check *c = &cat->checks[i];
                bool sel = !o->only || strv_contains(o->only, c->category) || strv_contains(o->only, c->id);
                if (strv_contains(o->skip, c->id) || strv_contains(o->skip, c->category))
                        sel = false;
                ret_selected[i] = ret_selected[i] && sel;
                n += ret_selected[i];
        }
        /* An empty selection would "pass" every gate on nothing at all. */
        if (n == 0) {
                StrBuf b = {};

                if (o->profile)
                        strbuf_printf(&b, " --profile %s", o->profile);
                STRV_FOREACH(s, o->only)
                        strbuf_printf(&b, " --only %s", *s);
                STRV_FOREACH(s, o->skip)
                        strbuf_printf(&b, " --skip %s", *s);
                _cleanup_free_ char *what = strbuf_steal(&b);
                cli_error("kvmaudit: the selection leaves no check to run:%s", strna(what));
                return -EINVAL;
        }
        return 0;
}

static int
open_store(const ScanOptions *o, Host **ret_host, FactStore **ret_store)
{
        Host *host = NULL;
        FactStore *store = NULL;
        int r;

        if (o->facts_file) {
                _cleanup_free_ char *text = NULL, *err = NULL;

                r = read_input_file(o->facts_file, FACTS_FILE_MAX, &text);
                if (r < 0) {
                        cli_error("kvmaudit: --facts %s: %s", o->facts_file,
                                r == -EFBIG ? "file too large" : r == -EBADMSG ? "contains NUL bytes" : strerror(-r));
                        return r;
                }
                r = fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &store);
                if (r < 0)
                        return r;
                r = facts_load_json(store, text, o->facts_file, &err);
                if (r < 0) {
                        cli_error("kvmaudit: %s", err ? err : strerror(-r));
                        fact_store_free(store);
                        return r == -ENOMEM ? r : -EINVAL;
                }
        } else {
                const char *root = o->root ? o->root : "/";
                r = host_new(root, &host);
                if (r < 0) {
                        cli_error("kvmaudit: --root %s: %s", root, strerror(-r));
                        return -EINVAL;
                }
                r = fact_store_new(host, probe_namespaces, probe_namespaces_count, &store);
                if (r < 0) {
                        host_free(host);
                        return r;
                }
        }
        *ret_host = host;
        *ret_store = store;
        return 0;
}

static char *
fact_string_dup(FactStore *s, const char *key)
{
        const Fact *f = fact_store_get(s, key);

        return f->kind == FACT_STRING ? strdup(f->string) : NULL;
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

/* Today's UTC date as YYYY-MM-DD; KVMAUDIT_TODAY overrides it, for tests. */
static int
today_utc(char ret[static 11])
{
        const char *env = getenv("KVMAUDIT_TODAY");
        time_t t = time(NULL);
        struct tm tm;

        if (env) {
                if (!waiver_date_valid(env)) {
                        cli_error("kvmaudit: KVMAUDIT_TODAY=%s is not a date of the form YYYY-MM-DD", env);
                        return -EINVAL;
                }
                memcpy(ret, env, 11);
                return 0;
        }
        if (!gmtime_r(&t, &tm) || strftime(ret, 11, "%Y-%m-%d", &tm) != 10)
                return -EIO;
        return 0;
}

/* Records what the scan was asked to run, for the report. */
static int
selection_record(const ScanOptions *o, const Gate *g, ReportSelection *sel)
{
        sel->recorded = true;
        sel->min_coverage = gate_active(g) ? g->min_coverage : -1;
        if ((o->profile && !(sel->profile = strdup(o->profile))) ||
            (o->waivers_file && !(sel->waivers = strdup(o->waivers_file))))
                return -ENOMEM;
        STRV_FOREACH(s, o->only)
                if (strv_extend(&sel->only, *s) < 0)
                        return -ENOMEM;
        STRV_FOREACH(s, o->skip)
                if (strv_extend(&sel->skip, *s) < 0)
                        return -ENOMEM;
        return 0;
}

/* Reads --waivers FILE; prints what was wrong and returns -EINVAL on bad
 * input.  *ret_sha256: the digest of the file as read (caller frees). */
static int
load_waivers(const char *path, const Catalog *cat, WaiverSet *ret, char **ret_sha256)
{
        _cleanup_free_ char *text = NULL, *err = NULL;
        int r;

        r = read_input_file(path, WAIVER_FILE_MAX, &text);
        if (r < 0) {
                cli_error("kvmaudit: --waivers %s: %s", path,
                        r == -EFBIG ? "file too large" : r == -EBADMSG ? "contains NUL bytes" : strerror(-r));
                return r == -ENOMEM ? r : -EINVAL;
        }
        char digest[65];
        sha256_hex(text, strlen(text), digest);
        if (!(*ret_sha256 = strdup(digest)))
                return -ENOMEM;
        r = waiver_set_load_text(ret, text, path, cat, &err);
        if (r < 0) {
                cli_error("kvmaudit: %s", err ? err : strerror(-r));
                return r == -ENOMEM ? r : -EINVAL;
        }
        return 0;
}

/* Called after each evaluated check with how many are done of how many. */
typedef void (*ProgressFn)(size_t done, size_t total, void *userdata);

static int
evaluate_all(const Catalog *cat, const bool *selected, FactStore *store, Results *out,
             ProgressFn progress, void *userdata)
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
                if (progress)
                        progress(++done, total, userdata);
        }
        return 0;
}

/* "kvmaudit: N/M checks" on a terminal's stderr, only once the scan has
 * run PROGRESS_AFTER_MS (a fast scan prints nothing), one line rewritten
 * with \r and cleared at the end.  KVMAUDIT_PROGRESS_AFTER_MS overrides the
 * delay, for tests. */
#define PROGRESS_AFTER_MS 1000

typedef struct Progress {
        int64_t t0;
        int64_t after_ms;
        int width;      /* of the line shown, 0 when none is */
} Progress;

static void
progress_show(size_t done, size_t total, void *userdata)
{
        Progress *p = userdata;
        int n;

        if (now_ms() - p->t0 < p->after_ms)
                return;
        n = fprintf(stderr, "\rkvmaudit: %zu/%zu checks", done, total);
        if (n > p->width)
                p->width = n;
        fflush(stderr);
}

static void
progress_clear(Progress *p)
{
        if (p->width > 0)
                fprintf(stderr, "\r%*s\r", p->width, "");
        p->width = 0;
}

/* collect's one output: standard output for none or "-", otherwise the
 * file by the rule of fileio.h; prints what was wrong. */
static FILE *
open_facts_output(const OutputSet *outputs, OutputFile *of)
{
        const char *path = outputs->n ? outputs->v[0].path : "-";
        FILE *f;
        int r;

        if (streq(path, "-"))
                f = stdout;
        else {
                r = output_file_open(path, 0666, 0, of);
                if (r < 0) {
                        cli_error("kvmaudit: --output %s: %s", path, output_strerror(r));
                        return NULL;
                }
                f = of->f;
        }
        (void) setvbuf(f, NULL, _IOFBF, 256 * 1024);
        return f;
}

/* Commits the output, or drops it (the old file stays) when writing
 * failed with @error. */
static int
close_facts_output(FILE *f, OutputFile *of, int error)
{
        int r;

        if (f == stdout)
                return fflush(f) == 0 && !ferror(f) && error >= 0 ? 0 : -EIO;
        if (error < 0) {
                output_file_abort(of);
                return error;
        }
        r = output_file_commit(of);
        if (r < 0)
                cli_error("kvmaudit: --output: %s", strerror(-r));
        return r;
}

/* --debug or KVMAUDIT_DEBUG=1: log what the sandbox denies. */
static bool
debug_enabled(bool option)
{
        const char *e = getenv("KVMAUDIT_DEBUG");

        return option || (e && *e && !streq(e, "0"));
}

/* Inputs read, the filters of --inspect-seccomp read back, the output
 * open: from here kvmaudit cannot change the host (sandbox.h).  Without
 * seccomp support it says so and goes on: the audit is still wanted. */
static void
sandbox_enter(OutputFile *const *outputs, size_t n, bool debug_option)
{
        bool debug = debug_enabled(debug_option);
        unsigned count = 0;
        int first = -1, r;

        /* The outputs' directories on consecutive descriptors: the filter
         * allows renameat()/unlinkat() on that range only. */
        r = output_files_pack_dirs(outputs, n, &first, &count);
        if (r >= 0)
                r = sandbox_self_install(first, count, debug);
        if (r < 0)
                cli_error("kvmaudit: warning: could not install kvmaudit's own seccomp filter: %s",
                        r == -EOPNOTSUPP ? "built without libseccomp" : strerror(-r));
        else if (debug)
                cli_error("kvmaudit: sandbox: installed (no writes, renames, unlinks, exec, fork or ptrace%s)",
                        count > 0 ? "; the outputs' renames allowed in their directories" : "");
}

int
verb_scan(int argc, char **argv)
{
        _cleanup_(scan_options_done) ScanOptions o = {};
        _cleanup_free_ bool *selected = NULL;
        _cleanup_(fact_store_freep) FactStore *store = NULL;
        Catalog cat = {};
        WaiverSet waivers = {};
        char today[11] = "";
        Report rep = {.duration_ms = -1};
        OutputHandles oh = {};
        Host *host = NULL;
        int64_t t0 = now_ms();
        double profile_min_coverage = -1;
        Gate gate = {};
        _cleanup_strv_free_ char **reasons = NULL;
        int r, ret = EXIT_CANNOT_RUN;

        r = parse_scan_options(argc, argv, false, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (cli_load_catalog(o.check_dirs, &cat) < 0)
                return EXIT_USAGE;
        selected = calloc(cat.n_checks ? cat.n_checks : 1, sizeof(bool));
        if (!selected)
                goto out;
        if (select_checks(&cat, &o, selected, &profile_min_coverage) < 0) {
                ret = EXIT_USAGE;
                goto out;
        }
        if (o.waivers_file) {
                r = today_utc(today);
                if (r >= 0)
                        r = load_waivers(o.waivers_file, &cat, &waivers, &rep.selection.waivers_sha256);
                if (r < 0) {
                        ret = r == -EINVAL ? EXIT_USAGE : EXIT_CANNOT_RUN;
                        goto out;
                }
        }
        gate = (Gate) {
                .fail_under = o.fail_under,
                .fail_on = o.fail_on,
                .fail_on_error = o.fail_on_error,
                .min_coverage = o.min_coverage >= 0 ? o.min_coverage
                              : profile_min_coverage >= 0 ? profile_min_coverage : DEFAULT_MIN_COVERAGE,
                .min_coverage_given = o.min_coverage >= 0,
        };
        r = selection_record(&o, &gate, &rep.selection);
        if (r < 0)
                goto out;
        /* Without root much of the host cannot be read; say so before the
         * results do (each such result is an error naming the file). */
        if (!o.facts_file && (!o.root || streq(o.root, "/")) && geteuid() != 0)
                cli_error("kvmaudit: warning: running as uid %u, not root: what only root can read "
                          "(libvirt's files, /dev/kvm, firmware tables) gives errors that say "
                          "\"needs root\", not verdicts; --fail-on-error fails the gate on them",
                          (unsigned) geteuid());
        r = open_store(&o, &host, &store);
        if (r < 0) {
                ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                goto out;
        }
        r = probe_seccomp_inspect_now(store);
        if (r < 0) {
                cli_error("kvmaudit: --inspect-seccomp: %s", strerror(-r));
                goto out;
        }
        r = output_set_open(&o.outputs, o.quiet, &oh);
        if (r < 0) {
                ret = r == -EINVAL ? EXIT_USAGE : EXIT_CANNOT_RUN;
                goto out;
        }
        {
                OutputFile *ofs[OUTPUTS_MAX];

                for (size_t i = 0; i < OUTPUTS_MAX; i++)
                        ofs[i] = oh.f[i] && oh.f[i] != stdout ? &oh.of[i] : NULL;
                sandbox_enter(ofs, OUTPUTS_MAX, o.debug);
        }
        rep.started_at = o.reproducible ? NULL : rfc3339_now();
        {
                const char *env = getenv("KVMAUDIT_PROGRESS_AFTER_MS");
                int64_t after = PROGRESS_AFTER_MS;
                Progress progress = {.t0 = t0};
                bool show = !o.quiet && isatty(STDERR_FILENO);

                if (env && (parse_int64(env, &after) < 0 || after < 0))
                        after = PROGRESS_AFTER_MS;
                progress.after_ms = after;
                r = evaluate_all(&cat, selected, store, &rep.results, show ? progress_show : NULL,
                                 &progress);
                progress_clear(&progress);
        }
        if (r >= 0)
                r = results_locate(&rep.results, store);
        if (r < 0) {
                cli_error("kvmaudit: scan failed: %s", strerror(-r));
                goto out;
        }
        rep.tool_version = strdup(PROJECT_VERSION);
        rep.root = strdup(o.facts_file ? "(facts file)" : host_root(host));
        if (o.facts_file) {
                const Fact *f = fact_store_get(store, "meta:root");
                if (f->kind == FACT_STRING) {
                        free(rep.root);
                        rep.root = strdup(f->string);
                }
        }
        if (!o.reproducible) {
                rep.hostname = fact_string_dup(store, "sysctl:kernel.hostname");
                rep.duration_ms = now_ms() - t0;
        }
        rep.kernel = fact_string_dup(store, "sysctl:kernel.osrelease");
        {
                /* "api URI" when the domains came from the libvirt API; only
                 * when a check read them: a kernel-only scan never connects. */
                const Fact *src = fact_store_peek(store, "libvirt:source");
                if (src && src->kind == FACT_STRING && startswith(src->string, "api "))
                        rep.libvirt_uri = strdup(src->string + 4);
        }
        rep.kconfig_source = fact_string_dup(store, "meta:kconfig_source");
        {
                /* Remediations for the distribution of the audited root
                 * (os-release); the plain one where it names none we know
                 * or a facts file predates the os namespace. */
                _cleanup_free_ char *os_id = fact_string_dup(store, "os:id");
                _cleanup_free_ char *os_like = fact_string_dup(store, "os:id_like");

                r = catalog_remediation_select(&cat, distro_family_of(os_id, os_like));
                if (r < 0)
                        goto out;
        }
        /* Reproducible reports name no temporary paths: "/" or "(root)". */
        if (o.reproducible && rep.root && !streq(rep.root, "/")) {
                free(rep.root);
                rep.root = strdup("(root)");
        }
        /* Waived results are not scored, so this comes before report_score(). */
        if (o.waivers_file) {
                r = waivers_apply(&waivers, &rep.results, today, &rep.warnings);
                if (r < 0)
                        goto out;
                STRV_FOREACH(w, rep.warnings)
                        cli_error("kvmaudit: warning: %s", *w);
        }
        r = report_score(&rep);
        if (r < 0)
                goto out;
        r = report_controls(&rep, o.framework);
        if (r < 0)
                goto out;

        r = output_set_write_opened(&o.outputs, &oh, &rep, o.no_color);
        if (r < 0) {
                ret = r == -EINVAL ? EXIT_USAGE : EXIT_CANNOT_RUN;
                goto out;
        }
        /* A failed gate says which threshold failed and on what, on
         * stderr whatever the format: CI logs show it next to the exit code. */
        r = report_gate_check(&rep, &gate, &reasons);
        if (r < 0)
                goto out;
        STRV_FOREACH(reason, reasons)
                cli_error("kvmaudit: gate failed: %s", *reason);
        ret = r > 0 ? EXIT_GATE_FAILED : EXIT_GATE_PASSED;
out:
        /* A scan that failed leaves the old outputs in place. */
        output_set_abort(&o.outputs, &oh);
        report_done(&rep);
        waiver_set_done(&waivers);
        catalog_done(&cat);
        store = fact_store_free(store);
        host_free(host);
        return ret;
}

int
verb_collect(int argc, char **argv)
{
        _cleanup_(scan_options_done) ScanOptions o = {};
        _cleanup_(fact_store_freep) FactStore *store = NULL;
        Results discard = {};
        Catalog cat = {};
        OutputFile of = {};
        FILE *out = NULL;
        Host *host = NULL;
        int r, ret = EXIT_CANNOT_RUN;

        r = parse_scan_options(argc, argv, true, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (cli_load_catalog(o.check_dirs, &cat) < 0)
                return EXIT_USAGE;
        r = open_store(&o, &host, &store);
        if (r < 0) {
                ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                goto out;
        }
        r = probe_seccomp_inspect_now(store);
        if (r < 0) {
                cli_error("kvmaudit: --inspect-seccomp: %s", strerror(-r));
                goto out;
        }
        out = open_facts_output(&o.outputs, &of);
        if (!out) {
                ret = EXIT_USAGE;
                goto out;
        }
        {
                OutputFile *ofs[1] = {out != stdout ? &of : NULL};
                sandbox_enter(ofs, 1, o.debug);
        }
        /* Evaluating every check records every fact a later "scan --facts"
         * will read, whatever evaluator reads it; collect hooks add the rest. */
        r = evaluate_all(&cat, NULL, store, &discard, NULL, NULL);
        if (r >= 0)
                r = fact_store_collect(store);
        (void) fact_store_get(store, "sysctl:kernel.hostname");
        (void) fact_store_get(store, "sysctl:kernel.osrelease");
        (void) fact_store_get(store, "os:id");
        if (r >= 0)
                r = fact_store_set_string(store, "meta:root", host_root(host));
        if (r < 0) {
                cli_error("kvmaudit: collect failed: %s", strerror(-r));
                goto out;
        }
        r = facts_write_json(store, PROJECT_VERSION, host_root(host), out);
        if (close_facts_output(TAKE_PTR(out), &of, r) < 0) {
                fprintf(stderr, "kvmaudit: writing the facts failed\n");
                goto out;
        }
        ret = EXIT_SUCCESS;
out:
        if (out && out != stdout)
                output_file_abort(&of);
        results_done(&discard);
        catalog_done(&cat);
        store = fact_store_free(store);
        host_free(host);
        return ret;
}
