/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* -o FORMAT:FILE, -o FILE and --format of scan and report (cli-output.h). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-output.h"
#include "cli.h"
#include "fileio.h"
#include "util.h"

/* Longest suffix first: "r.sarif.json" is SARIF, "r.junit.xml" JUnit. */
static const struct {
        const char *suffix;
        const char *format;
} extensions[] = {
        {".sarif.json", "sarif"},
        {".junit.xml", "junit"},
        {".json", "json"},
        /* before ".xml": the longer suffix wins (OpenSCAP's results are
         * conventionally NAME.xccdf.xml or NAME-xccdf.xml) */
        {".xccdf.xml", "xccdf"},
        {"-xccdf.xml", "xccdf"},
        {".xml", "junit"},
        {".sarif", "sarif"},
        {".prom", "prometheus"},
        {".html", "html"},
        {".htm", "html"},
        {".md", "markdown"},
        {".markdown", "markdown"},
        {".txt", "text"},
};

const Renderer *
output_format_from_extension(const char *path)
{
        const char *base = strrchr(path, '/');

        base = base ? base + 1 : path;
        for (size_t i = 0; i < ELEMENTSOF(extensions); i++)
                /* a name that is only the suffix (".json") is a hidden file */
                if (endswith(base, extensions[i].suffix) && strlen(base) > strlen(extensions[i].suffix))
                        return renderer_find(extensions[i].format);
        return NULL;
}

static bool
is_stdout(const char *path)
{
        return streq(path, "-");
}

int
output_set_add(OutputSet *s, const char *verb, const char *arg)
{
        OutputTarget t = {.arg = arg, .path = arg};
        const char *colon = strchr(arg, ':');

        if (s->n >= OUTPUTS_MAX) {
                cli_error("kvmaudit %s: -o %s: at most %u outputs", verb, arg, OUTPUTS_MAX);
                return -EINVAL;
        }
        /* "FORMAT:" is a word of lower-case letters before the first
         * colon; anything else with a colon ("./a:b", "/x/y:z") is a path. */
        if (colon && colon > arg && strspn(arg, "abcdefghijklmnopqrstuvwxyz") == (size_t) (colon - arg)) {
                _cleanup_free_ char *name = strndup(arg, colon - arg);

                if (!name)
                        return -ENOMEM;
                t.renderer = renderer_find(name);
                if (!t.renderer) {
                        cli_error("kvmaudit %s: -o %s: unknown format \"%s\" (known: %s); "
                                  "a file name with a colon is written ./%s",
                                  verb, arg, name, renderer_names(), arg);
                        return -EINVAL;
                }
                t.path = colon + 1;
                t.explicit_format = true;
        }
        if (!*t.path) {
                cli_error("kvmaudit %s: -o %s: no file name (use - for standard output)", verb, arg);
                return -EINVAL;
        }
        s->v[s->n++] = t;
        return 0;
}

/* Same file: the same name, both standard output, or one inode that is not
 * a character device (two reports into /dev/null are harmless). */
static bool
same_target(const char *a, const char *b)
{
        struct stat sa, sb, so;
        bool a_out, b_out;

        if (streq(a, b))
                return true;
        a_out = is_stdout(a) || (fstat(STDOUT_FILENO, &so) == 0 && stat(a, &sa) == 0 &&
                                 sa.st_dev == so.st_dev && sa.st_ino == so.st_ino && !S_ISCHR(sa.st_mode));
        b_out = is_stdout(b) || (fstat(STDOUT_FILENO, &so) == 0 && stat(b, &sb) == 0 &&
                                 sb.st_dev == so.st_dev && sb.st_ino == so.st_ino && !S_ISCHR(sb.st_mode));
        if (a_out && b_out)
                return true;
        if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
                return false;
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !S_ISCHR(sa.st_mode);
}

int
output_set_resolve(OutputSet *s, const char *verb, const char *format)
{
        const Renderer *fmt = format ? renderer_find(format) : NULL;
        bool format_used = false;

        if (s->n == 0) {
                s->v[s->n++] = (OutputTarget) {.arg = "-", .path = "-", .renderer = fmt, .implicit = true};
                format_used = true;
        }
        for (size_t i = 0; i < s->n; i++) {
                OutputTarget *t = &s->v[i];
                const Renderer *ext;

                if (t->explicit_format)
                        continue;
                format_used = true;
                ext = output_format_from_extension(t->path);
                if (ext && fmt && ext != fmt) {
                        cli_error("kvmaudit %s: -o %s: the extension says %s but --format says %s; "
                                  "write -o %s:%s to mean it",
                                  verb, t->arg, ext->name, fmt->name, fmt->name, t->path);
                        return -EINVAL;
                }
                t->renderer = ext ? ext : fmt;
        }
        if (fmt && !format_used) {
                cli_error("kvmaudit %s: --format %s applies to no output: every -o names its format "
                          "(drop --format, or add -o %s:FILE)",
                          verb, fmt->name, fmt->name);
                return -EINVAL;
        }
        for (size_t i = 0; i < s->n; i++) {
                if (!s->v[i].renderer)
                        s->v[i].renderer = renderer_find("text");
                for (size_t j = 0; j < i; j++)
                        if (same_target(s->v[j].path, s->v[i].path)) {
                                cli_error("kvmaudit %s: -o %s and -o %s write the same %s", verb,
                                          s->v[j].arg, s->v[i].arg,
                                          is_stdout(s->v[i].path) || is_stdout(s->v[j].path)
                                                  ? "standard output" : "file");
                                return -EINVAL;
                        }
        }
        return 0;
}

bool
output_set_has_stdout(const OutputSet *s)
{
        for (size_t i = 0; i < s->n; i++)
                if (is_stdout(s->v[i].path))
                        return true;
        return false;
}

/* Every target is opened before anything is rendered: a target that
 * cannot be written (a missing directory, a block device) is a usage
 * error and leaves every other target as it was.  Then each is rendered
 * into its temporary file (or through) and committed only when its whole
 * report was written. */
int
output_set_open(const OutputSet *s, bool quiet, OutputHandles *h)
{
        int r;

        *h = (OutputHandles) {};
        for (size_t i = 0; i < s->n; i++) {
                const OutputTarget *t = &s->v[i];

                /* --quiet silences the default standard output only */
                if (quiet && t->implicit)
                        continue;
                if (is_stdout(t->path)) {
                        h->f[i] = stdout;
                        continue;
                }
                r = output_file_open(t->path, 0666, 0, &h->of[i]);
                if (r < 0) {
                        cli_error("kvmaudit: -o %s: %s", t->arg, output_strerror(r));
                        for (size_t j = 0; j < i; j++)
                                output_file_abort(&h->of[j]);
                        *h = (OutputHandles) {};
                        return -EINVAL;
                }
                h->f[i] = h->of[i].f;
        }
        h->open = true;
        return 0;
}

void
output_set_abort(const OutputSet *s, OutputHandles *h)
{
        if (!h->open)
                return;
        for (size_t i = 0; i < s->n; i++)
                if (h->f[i] && h->f[i] != stdout)
                        output_file_abort(&h->of[i]);
        *h = (OutputHandles) {};
}

static int
output_set_render(const OutputSet *s, OutputHandles *h, OutputRenderFn render, const void *userdata, bool no_color)
{
        int r, ret = 0;

        for (size_t i = 0; i < s->n; i++) {
                const OutputTarget *t = &s->v[i];
                RenderOptions ro = {};
                FILE *f = h->f[i];

                if (!f)
                        continue;
                h->f[i] = NULL;
                if (f == stdout)
                        ro.color = !no_color && !getenv("NO_COLOR") && isatty(STDOUT_FILENO);
                /* Reports of large hosts run to tens of megabytes: write in big chunks. */
                (void) setvbuf(f, NULL, _IOFBF, 256 * 1024);
                r = render(userdata, t->renderer->name, &ro, f);
                if (f == stdout) {
                        if (fflush(stdout) != 0 || ferror(stdout))
                                r = r < 0 ? r : -EIO;
                } else if (r < 0)
                        output_file_abort(&h->of[i]);
                else
                        r = output_file_commit(&h->of[i]);
                if (r < 0) {
                        cli_error("kvmaudit: -o %s: writing the %s report failed: %s", t->arg,
                                  t->renderer->name, output_strerror(r));
                        ret = -EIO;
                }
        }
        h->open = false;
        return ret;
}

int
output_set_write_with(const OutputSet *s, OutputRenderFn render, const void *userdata, bool no_color,
                      bool quiet)
{
        OutputHandles h;
        int r = output_set_open(s, quiet, &h);

        if (r < 0)
                return r;
        return output_set_render(s, &h, render, userdata, no_color);
}

static int
render_report(const void *userdata, const char *format, const RenderOptions *o, FILE *out)
{
        return renderer_find(format)->render(userdata, o, out);
}

int
output_set_write(const OutputSet *s, const Report *rep, bool no_color, bool quiet)
{
        return output_set_write_with(s, render_report, rep, no_color, quiet);
}

int
output_set_write_opened(const OutputSet *s, OutputHandles *h, const Report *rep, bool no_color)
{
        return output_set_render(s, h, render_report, rep, no_color);
}
