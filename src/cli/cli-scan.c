/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit scan and kvmaudit collect: options in, the scan library
 * (src/scan/) in the middle, outputs and messages out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli-scan.h"
#include "cli.h"
#include "config.h"
#include "facts-json.h"
#include "fileio.h"
#include "host.h"
#include "sandbox.h"
#include "util.h"

/* "kvmaudit: N/M checks" on a terminal's stderr, only once the scan has
 * run PROGRESS_AFTER_MS (a fast scan prints nothing), one line rewritten
 * with \r and cleared at the end.  KVMAUDIT_PROGRESS_AFTER_MS overrides the
 * delay, for tests. */
#define PROGRESS_AFTER_MS 1000

static int64_t
now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the hooks of one scan or collect share. */
typedef struct Run {
        const ScanOptions *o;
        bool collect;
        /* scan: the report targets, opened by the ready hook */
        OutputHandles oh;
        /* collect: its one output */
        OutputFile of;
        FILE *out;
        /* progress */
        bool show_progress;
        int64_t t0;
        int64_t after_ms;
        int width;      /* of the progress line shown, 0 when none is */
} Run;

static void
on_progress(size_t done, size_t total, void *userdata)
{
        Run *run = userdata;
        int n;

        if (!run->show_progress || now_ms() - run->t0 < run->after_ms)
                return;
        n = fprintf(stderr, "\rkvmaudit: %zu/%zu checks", done, total);
        if (n > run->width)
                run->width = n;
        fflush(stderr);
}

static void
progress_clear(Run *run)
{
        if (run->width > 0)
                fprintf(stderr, "\r%*s\r", run->width, "");
        run->width = 0;
}

static void
on_warning(const char *message, void *userdata)
{
        (void) userdata;
        cli_error("kvmaudit: warning: %s", message);
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

/* collect's one output: standard output for none or "-", otherwise the
 * file by the rule of fileio.h; prints what was wrong. */
static int
open_facts_output(Run *run)
{
        const OutputSet *outputs = &run->o->outputs;
        const char *path = outputs->n ? outputs->v[0].path : "-";
        int r;

        if (streq(path, "-"))
                run->out = stdout;
        else {
                r = output_file_open(path, 0666, 0, &run->of);
                if (r < 0) {
                        cli_error("kvmaudit: --output %s: %s", path, output_strerror(r));
                        return -EINVAL;
                }
                run->out = run->of.f;
        }
        (void) setvbuf(run->out, NULL, _IOFBF, 256 * 1024);
        return 0;
}

/* Commits collect's output, or drops it (the old file stays) when writing
 * failed with @error. */
static int
close_facts_output(Run *run, int error)
{
        FILE *f = TAKE_PTR(run->out);
        int r;

        if (f == stdout)
                return fflush(f) == 0 && !ferror(f) && error >= 0 ? 0 : -EIO;
        if (error < 0) {
                output_file_abort(&run->of);
                return error;
        }
        r = output_file_commit(&run->of);
        if (r < 0)
                cli_error("kvmaudit: --output: %s", strerror(-r));
        return r;
}

/* Every input read: open the outputs, then kvmaudit's own sandbox. */
static int
on_ready(void *userdata)
{
        Run *run = userdata;
        OutputFile *ofs[OUTPUTS_MAX] = {};
        int r;

        if (run->collect) {
                r = open_facts_output(run);
                if (r < 0)
                        return r;
                ofs[0] = run->out != stdout ? &run->of : NULL;
                sandbox_enter(ofs, 1, run->o->debug);
                return 0;
        }
        r = output_set_open(&run->o->outputs, run->o->quiet, &run->oh);
        if (r < 0)
                return r;
        for (size_t i = 0; i < OUTPUTS_MAX; i++)
                ofs[i] = run->oh.f[i] && run->oh.f[i] != stdout ? &run->oh.of[i] : NULL;
        sandbox_enter(ofs, OUTPUTS_MAX, run->o->debug);
        return 0;
}

/* Says why the scan library stopped; the exit code for it. */
static int
report_scan_error(const char *verb, const ScanError *e)
{
        if (e->message)
                cli_error("kvmaudit: %s", e->message);
        else if (!e->hook)
                cli_error("kvmaudit: %s failed: %s", verb, strerror(-e->error));
        return e->input ? EXIT_USAGE : EXIT_CANNOT_RUN;
}

int
verb_scan(int argc, char **argv)
{
        _cleanup_(scan_options_done) ScanOptions o = {};
        Run run = {.o = &o, .t0 = now_ms(), .after_ms = PROGRESS_AFTER_MS};
        const ScanHooks hooks = {
                .warning = on_warning, .ready = on_ready, .progress = on_progress, .userdata = &run,
        };
        const char *env = getenv("KVMAUDIT_PROGRESS_AFTER_MS");
        ScanResult res = {};
        ScanError e = {};
        int r, ret = EXIT_CANNOT_RUN;

        r = scan_options_parse(argc, argv, false, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        run.show_progress = !o.quiet && isatty(STDERR_FILENO);
        if (env && (parse_int64(env, &run.after_ms) < 0 || run.after_ms < 0))
                run.after_ms = PROGRESS_AFTER_MS;
        r = scan_run(&o.req, &hooks, &res, &e);
        progress_clear(&run);
        if (r < 0) {
                ret = report_scan_error("scan", &e);
                goto out;
        }
        STRV_FOREACH(w, res.report.warnings)
                cli_error("kvmaudit: warning: %s", *w);
        r = output_set_write_opened(&o.outputs, &run.oh, &res.report, o.no_color);
        if (r < 0) {
                ret = r == -EINVAL ? EXIT_USAGE : EXIT_CANNOT_RUN;
                goto out;
        }
        /* A failed gate says which threshold failed and on what, on
         * stderr whatever the format: CI logs show it next to the exit code. */
        STRV_FOREACH(reason, res.gate_reasons)
                cli_error("kvmaudit: gate failed: %s", *reason);
        ret = res.gate_failed ? EXIT_GATE_FAILED : EXIT_GATE_PASSED;
out:
        /* A scan that failed leaves the old outputs in place. */
        output_set_abort(&o.outputs, &run.oh);
        scan_result_done(&res);
        scan_error_done(&e);
        return ret;
}

int
verb_collect(int argc, char **argv)
{
        _cleanup_(scan_options_done) ScanOptions o = {};
        Run run = {.o = &o, .collect = true};
        const ScanHooks hooks = {.ready = on_ready, .userdata = &run};
        ScanFacts facts = {};
        ScanError e = {};
        int r, ret = EXIT_CANNOT_RUN;

        r = scan_options_parse(argc, argv, true, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        r = scan_collect(&o.req, &hooks, &facts, &e);
        if (r < 0) {
                ret = report_scan_error("collect", &e);
                goto out;
        }
        r = facts_write_json_keys(facts.store, facts.keys, PROJECT_VERSION, host_root(facts.host), run.out);
        if (close_facts_output(&run, r) < 0) {
                fprintf(stderr, "kvmaudit: writing the facts failed\n");
                goto out;
        }
        ret = EXIT_SUCCESS;
out:
        if (run.out && run.out != stdout)
                output_file_abort(&run.of);
        scan_facts_done(&facts);
        scan_error_done(&e);
        return ret;
}
