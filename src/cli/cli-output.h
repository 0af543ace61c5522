/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "fileio.h"
#include "report.h"

/*
 * The outputs of one "scan" or "report": -o FORMAT:FILE and -o FILE,
 * repeatable, plus --format.  How a target's format is decided, in order:
 *   1. -o FORMAT:FILE names it (FORMAT one of renderer_names());
 *   2. -o FILE: the extension (.json, .xccdf.xml, .xml, .sarif, .prom, .html, .md,
 *      .txt) and --format must agree when both say something; either
 *      alone decides;
 *   3. neither: text.
 * No -o at all is one target, standard output, in --format (or text).
 * "-" is standard output.  Refused, naming the argument: an unknown
 * FORMAT: prefix, an empty FILE, two targets on one file (or two on
 * standard output), and a --format that no target uses (every -o named
 * its format).  A file name with a colon is written "./a:b".
 * Each file is written by the rule of fileio.h: a regular or new file
 * replaced atomically, a device, FIFO or socket written through.
 */

#define OUTPUTS_MAX 16u

typedef struct OutputTarget {
        const char *arg;                /* the -o argument as given */
        const char *path;               /* within @arg; "-" for standard output */
        const Renderer *renderer;       /* set by output_set_resolve() */
        bool explicit_format;           /* FORMAT: prefix */
        bool implicit;                  /* no -o given: standard output */
} OutputTarget;

typedef struct OutputSet {
        OutputTarget v[OUTPUTS_MAX];
        size_t n;
} OutputSet;

/* The format an extension names ("r.json" -> json), NULL for none. */
const Renderer *output_format_from_extension(const char *path);

/* One -o ARG (borrowed: argv outlives the set); prints and returns -EINVAL
 * on a bad one.  @verb names the command in messages. */
int output_set_add(OutputSet *s, const char *verb, const char *arg);

/* Decides every target's format, given --format (NULL when not given);
 * prints and returns -EINVAL on an ambiguous or conflicting set. */
int output_set_resolve(OutputSet *s, const char *verb, const char *format);

/* True when a target is standard output. */
bool output_set_has_stdout(const OutputSet *s);

/* Renders @rep to every target (with --quiet, to files only).  Every
 * target is opened first: -EINVAL (printed) when one cannot be, and none
 * is written.  A target whose rendering or commit fails is reported and
 * left as it was, the others are still written: -EIO. */
int output_set_write(const OutputSet *s, const Report *rep, bool no_color, bool quiet);

/* The same for any renderer: @render writes @userdata in the format named
 * (a target's renderer name) to @out. */
typedef int (*OutputRenderFn)(const void *userdata, const char *format, const RenderOptions *o, FILE *out);
int output_set_write_with(const OutputSet *s, OutputRenderFn render, const void *userdata, bool no_color,
                          bool quiet);

/* output_set_write() in two steps, for scan: every target opened before
 * the scan (so that kvmaudit's own sandbox can be installed after it),
 * rendered and committed after.  output_set_open() prints and returns
 * -EINVAL as output_set_write() does; output_set_write_opened() consumes
 * @h; output_set_abort() drops what is still open (accepts a zeroed or
 * consumed one). */
typedef struct OutputHandles {
        OutputFile of[OUTPUTS_MAX];
        FILE *f[OUTPUTS_MAX];
        bool open;
} OutputHandles;
int output_set_open(const OutputSet *s, bool quiet, OutputHandles *h);
int output_set_write_opened(const OutputSet *s, OutputHandles *h, const Report *rep, bool no_color);
void output_set_abort(const OutputSet *s, OutputHandles *h);
