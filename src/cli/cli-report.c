/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit report FILE.json and kvmaudit diff OLD.json NEW.json. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli-output.h"
#include "cli.h"
#include "fileio.h"
#include "report-diff.h"
#include "report-load.h"
#include "report-merge.h"
#include "util.h"

typedef struct ReportOptions {
        const char *format;     /* --format; NULL when not given */
        const char *output;     /* diff's -o */
        OutputSet outputs;      /* report's -o, repeatable */
        bool no_color;
        bool merge;
        const char *previous_dir;       /* --merge --previous DIR */
        Framework framework;
} ReportOptions;

enum {
        ARG_NO_COLOR = 0x100,
        ARG_MERGE,
        ARG_PREVIOUS,
        ARG_FRAMEWORK,
};

int
cli_parse_framework(const char *verb, const char *value, Framework *ret)
{
        static const Framework views[] = {FRAMEWORK_NIST_800_53, FRAMEWORK_VMM_SRG, FRAMEWORK_CCI};
        Framework f = framework_from_string(value);

        for (size_t i = 0; i < ELEMENTSOF(views); i++)
                if (f == views[i]) {
                        *ret = f;
                        return 0;
                }
        cli_error("kvmaudit %s: unknown framework \"%s\" (known: nist-800-53, vmm-srg, cci)", verb, value);
        return -EINVAL;
}

/* Parses the options of @verb; 1 after --help, -EINVAL on bad usage. */
static int
parse_report_options(int argc, char **argv, const char *verb, bool diff, ReportOptions *o)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"output", required_argument, NULL, 'o'},
                {"no-color", no_argument, NULL, ARG_NO_COLOR},
                {"merge", no_argument, NULL, ARG_MERGE},
                {"previous", required_argument, NULL, ARG_PREVIOUS},
                {"framework", required_argument, NULL, ARG_FRAMEWORK},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        *o = (ReportOptions) {.framework = _FRAMEWORK_INVALID};
        /* --merge changes what --format accepts: look for it first. */
        for (int i = 1; i < argc && !streq(argv[i], "--"); i++)
                if (streq(argv[i], "--merge")) {
                        if (diff) {
                                cli_error("kvmaudit diff: --merge is an option of report");
                                return -EINVAL;
                        }
                        o->merge = true;
                }
        optind = 0;
        while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) >= 0) {
                switch (c) {
                case 'f':
                        if (o->merge && !diff && !merge_renderer_find(optarg)) {
                                cli_error("kvmaudit report --merge: unknown format \"%s\" (known: %s)",
                                        optarg, merge_renderer_names());
                                return -EINVAL;
                        }
                        if (!o->merge && (diff ? !diff_renderer_find(optarg) : !renderer_find(optarg))) {
                                cli_error("kvmaudit %s: unknown format \"%s\" (known: %s)", verb, optarg,
                                        diff ? diff_renderer_names() : renderer_names());
                                return -EINVAL;
                        }
                        o->format = optarg;
                        break;
                case 'o':
                        if (diff) {
                                if (o->output) {
                                        cli_error("kvmaudit diff: one -o FILE");
                                        return -EINVAL;
                                }
                                o->output = optarg;
                        } else if (output_set_add(&o->outputs, verb, optarg) < 0)
                                return -EINVAL;
                        break;
                case ARG_NO_COLOR:
                        o->no_color = true;
                        break;
                case ARG_MERGE:
                        break;
                case ARG_PREVIOUS:
                        if (!o->merge) {
                                cli_error("kvmaudit %s: --previous DIR is an option of report --merge", verb);
                                return -EINVAL;
                        }
                        o->previous_dir = optarg;
                        break;
                case ARG_FRAMEWORK:
                        if (diff) {
                                cli_error("kvmaudit diff: --framework is an option of scan and report");
                                return -EINVAL;
                        }
                        if (cli_parse_framework(verb, optarg, &o->framework) < 0)
                                return -EINVAL;
                        break;
                case 'h':
                        cli_help();
                        return 1;
                default:
                        return -EINVAL;
                }
        }
        if (!diff && output_set_resolve(&o->outputs, verb, o->format) < 0)
                return -EINVAL;
        if (diff && !o->format)
                o->format = "text";
        return 0;
}

/* Reads and loads one report; prints what was wrong, naming @path. */
static int
load_report(const char *path, LoadedReport *ret)
{
        _cleanup_free_ char *text = NULL, *err = NULL;
        int r;

        r = read_input_file(path, REPORT_FILE_MAX, &text);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                cli_error("kvmaudit: %s: %s", path,
                        r == -EFBIG    ? "file too large for a report"
                        : r == -EBADMSG ? "contains NUL bytes, not a JSON report"
                        : r == -EBADFD  ? "not a regular file"
                                        : strerror(-r));
                return -EINVAL;
        }
        r = report_load_json(text, path, ret, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                cli_error("kvmaudit: %s", err ? err : strerror(-r));
                return -EINVAL;
        }
        return 0;
}

/* Standard output for no path or "-", otherwise @path by the rule of
 * fileio.h (a regular file replaced atomically, a device or FIFO written
 * through); prints what was wrong. */
static FILE *
open_output(const char *path, OutputFile *of)
{
        int r;

        if (!path || streq(path, "-"))
                return stdout;
        r = output_file_open(path, 0666, 0, of);
        if (r < 0) {
                cli_error("kvmaudit: --output %s: %s", path, output_strerror(r));
                return NULL;
        }
        return of->f;
}

/* Commits @f (stdout is flushed), or drops it when rendering failed: the
 * old file stays.  Prints and returns -EIO on failure. */
static int
close_output(FILE *f, OutputFile *of, const char *path, int render_error)
{
        bool failed = render_error < 0;

        if (f == stdout)
                failed = fflush(f) != 0 || ferror(f) || failed;
        else if (failed)
                output_file_abort(of);
        else
                failed = output_file_commit(of) < 0;
        if (failed) {
                cli_error("kvmaudit: writing %s failed", path && !streq(path, "-") ? path : "the output");
                return -EIO;
        }
        return 0;
}

static RenderOptions
render_options(const ReportOptions *o, FILE *out)
{
        return (RenderOptions) {
                .color = !o->no_color && !getenv("NO_COLOR") && out == stdout && isatty(fileno(stdout)),
        };
}

/* The name a host goes by in the fleet report: its report's file name
 * without the directory and ".json" (the Ansible role names them by
 * inventory host). */
static char *
merge_label(const char *path)
{
        const char *base = strrchr(path, '/');
        size_t n;

        base = base ? base + 1 : path;
        n = strlen(base);
        if (n > 5 && endswith(base, ".json"))
                n -= 5;
        return strndup(base, n);
}

static int
render_fleet(const void *userdata, const char *format, const RenderOptions *o, FILE *out)
{
        return merge_renderer_find(format)->render(userdata, o, out);
}

/* kvmaudit report --merge [--previous DIR] FILE... : one fleet report.  A
 * host's previous report, when --previous is given, is DIR/ + the same
 * file name; a missing one is no change to show, not an error. */
static int
report_merge_main(ReportOptions *o, int n_files, char **files)
{
        Fleet fleet = {};
        int r, ret = EXIT_USAGE;

        if (n_files < 1) {
                cli_error("kvmaudit report --merge: needs the host reports, FILE.json...");
                return EXIT_USAGE;
        }
        for (size_t i = 0; i < o->outputs.n; i++)
                if (!merge_renderer_find(o->outputs.v[i].renderer->name)) {
                        cli_error("kvmaudit report --merge: -o %s: a fleet report is %s, not %s "
                                  "(give --format or a .html, .md or .json name)",
                                  o->outputs.v[i].arg, merge_renderer_names(), o->outputs.v[i].renderer->name);
                        return EXIT_USAGE;
                }
        for (int i = 0; i < n_files; i++) {
                _cleanup_free_ char *label = merge_label(files[i]), *prev_path = NULL;
                LoadedReport cur = {}, prev = {};
                bool has_prev = false;

                if (!label)
                        goto oom;
                if (!*label) {
                        cli_error("kvmaudit report --merge: %s: no host name in the file name", files[i]);
                        goto out;
                }
                r = load_report(files[i], &cur);
                if (r < 0) {
                        ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                        goto out;
                }
                if (o->previous_dir) {
                        const char *base = strrchr(files[i], '/');

                        prev_path = xasprintf("%s/%s", o->previous_dir, base ? base + 1 : files[i]);
                        if (!prev_path) {
                                loaded_report_done(&cur);
                                goto oom;
                        }
                        if (access(prev_path, F_OK) == 0) {
                                r = load_report(prev_path, &prev);
                                if (r < 0) {
                                        loaded_report_done(&cur);
                                        ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                                        goto out;
                                }
                                has_prev = true;
                        }
                }
                r = fleet_add_host(&fleet, label, &cur.report, has_prev ? &prev.report : NULL);
                loaded_report_done(&cur);
                loaded_report_done(&prev);
                if (r == -EEXIST) {
                        cli_error("kvmaudit report --merge: %s: a second report of host \"%s\" "
                                  "(hosts are named by file name)", files[i], label);
                        goto out;
                }
                if (r == -E2BIG) {
                        cli_error("kvmaudit report --merge: more than %u hosts", FLEET_HOSTS_MAX);
                        goto out;
                }
                if (r < 0)
                        goto oom;
        }
        fleet_finish(&fleet);
        r = output_set_write_with(&o->outputs, render_fleet, &fleet, o->no_color, false);
        ret = r == -EINVAL ? EXIT_USAGE : r < 0 ? EXIT_CANNOT_RUN : EXIT_SUCCESS;
out:
        fleet_done(&fleet);
        return ret;
oom:
        cli_error("kvmaudit report --merge: out of memory");
        fleet_done(&fleet);
        return EXIT_CANNOT_RUN;
}

int
verb_report(int argc, char **argv)
{
        ReportOptions o;
        LoadedReport rep = {};
        int r;

        r = parse_report_options(argc, argv, "report", false, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (o.merge)
                return report_merge_main(&o, argc - optind, argv + optind);
        if (argc - optind != 1) {
                cli_error("kvmaudit report: needs one saved JSON report, FILE.json");
                return EXIT_USAGE;
        }
        r = load_report(argv[optind], &rep);
        if (r < 0)
                return r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
        if (report_controls(&rep.report, o.framework) < 0) {
                loaded_report_done(&rep);
                return EXIT_CANNOT_RUN;
        }

        r = output_set_write(&o.outputs, &rep.report, o.no_color, false);
        loaded_report_done(&rep);
        return r == -EINVAL ? EXIT_USAGE : r < 0 ? EXIT_CANNOT_RUN : EXIT_SUCCESS;
}

int
verb_diff(int argc, char **argv)
{
        ReportOptions o;
        LoadedReport old = {}, new = {};
        ReportDiff d = {};
        OutputFile of = {};
        RenderOptions ro;
        FILE *out;
        int r, ret;

        r = parse_report_options(argc, argv, "diff", true, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (argc - optind != 2) {
                cli_error("kvmaudit diff: needs two saved JSON reports, OLD.json NEW.json");
                return EXIT_USAGE;
        }
        r = load_report(argv[optind], &old);
        if (r >= 0)
                r = load_report(argv[optind + 1], &new);
        if (r < 0) {
                ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                goto out;
        }
        r = report_diff(&old.report, &new.report, &d);
        if (r < 0) {
                cli_error("kvmaudit diff: %s", strerror(-r));
                ret = EXIT_CANNOT_RUN;
                goto out;
        }
        if (d.selection_note)
                cli_error("kvmaudit diff: warning: %s", d.selection_note);
        out = open_output(o.output, &of);
        if (!out) {
                ret = EXIT_USAGE;
                goto out;
        }
        ro = render_options(&o, out);
        r = diff_renderer_find(o.format)->render(&d, &ro, out);
        if (close_output(out, &of, o.output, r) < 0)
                ret = EXIT_CANNOT_RUN;
        else
                ret = report_diff_worse(&d) ? EXIT_GATE_FAILED : EXIT_GATE_PASSED;
out:
        report_diff_done(&d);
        loaded_report_done(&new);
        loaded_report_done(&old);
        return ret;
}
