/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit report FILE.json and kvmaudit diff OLD.json NEW.json. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "report-diff.h"
#include "report-load.h"
#include "util.h"

typedef struct ReportOptions {
        const char *format;
        const char *output;
        bool no_color;
} ReportOptions;

enum {
        ARG_NO_COLOR = 0x100,
};

/* Parses the options of @verb; 1 after --help, -EINVAL on bad usage. */
static int
parse_report_options(int argc, char **argv, const char *verb, bool diff, ReportOptions *o)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"output", required_argument, NULL, 'o'},
                {"no-color", no_argument, NULL, ARG_NO_COLOR},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        *o = (ReportOptions) {.format = "text"};
        optind = 0;
        while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) >= 0) {
                switch (c) {
                case 'f':
                        if (diff ? !diff_renderer_find(optarg) : !renderer_find(optarg)) {
                                cli_error("kvmaudit %s: unknown format \"%s\" (known: %s)", verb, optarg,
                                        diff ? diff_renderer_names() : renderer_names());
                                return -EINVAL;
                        }
                        o->format = optarg;
                        break;
                case 'o':
                        o->output = optarg;
                        break;
                case ARG_NO_COLOR:
                        o->no_color = true;
                        break;
                case 'h':
                        cli_help();
                        return 1;
                default:
                        return -EINVAL;
                }
        }
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

int
verb_report(int argc, char **argv)
{
        ReportOptions o;
        LoadedReport rep = {};
        OutputFile of = {};
        RenderOptions ro;
        FILE *out;
        int r;

        r = parse_report_options(argc, argv, "report", false, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (argc - optind != 1) {
                cli_error("kvmaudit report: needs one saved JSON report, FILE.json");
                return EXIT_USAGE;
        }
        r = load_report(argv[optind], &rep);
        if (r < 0)
                return r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;

        out = open_output(o.output, &of);
        if (!out) {
                loaded_report_done(&rep);
                return EXIT_USAGE;
        }
        ro = render_options(&o, out);
        r = renderer_find(o.format)->render(&rep.report, &ro, out);
        r = close_output(out, &of, o.output, r);
        loaded_report_done(&rep);
        return r < 0 ? EXIT_CANNOT_RUN : EXIT_SUCCESS;
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
