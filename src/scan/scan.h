/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "facts.h"
#include "report.h"

/*
 * The scan as a library call: what "kvmaudit scan" and "kvmaudit collect"
 * do between parsing their options and writing their output.  Nothing in
 * this layer prints: errors come back as a ScanError naming the file, line
 * or value that was wrong, warnings and progress go through ScanHooks.
 *
 * kvmaudit says "profile" for two different things, and this layer keeps
 * them apart in its names:
 *   - a GATE (gates/NAME.profile, "scan --profile NAME|PATH"): a named
 *     check SELECTION and the coverage its gate needs (selection_*, gate_*);
 *   - a MAC POLICY (src/profile/, profiles/, "kvmaudit profile"): what one
 *     VM may touch; nothing here.
 * The option keeps its name (--profile, as OpenSCAP users expect) and the
 * report its JSON key ("selection": {"profile": ...}).
 */

/* Bounds of a gate file: a shipped one is ~2 KiB and ~100 lines. */
#define GATE_FILE_MAX (64u * 1024u)
#define GATE_LINE_MAX 256u

/* The coverage a gate needs when neither --min-coverage nor the gate file
 * says; as gates/strict.profile (every check, many not applicable). */
#define GATE_DEFAULT_MIN_COVERAGE 40.0

/* ---- catalogue (scan-catalog.c) ---- */

/* Loads the embedded catalogue plus every *.check in @extra_dirs (--checks
 * DIR).  On bad input returns a negative errno with *ret_error set to
 * "FILE:LINE: message" or "--checks DIR: message" (caller frees; NULL on
 * -ENOMEM). */
int scan_catalog_load(char *const *extra_dirs, Catalog *ret, char **ret_error);

/* ---- check selection (scan-selection.c) ---- */

/* Which checks of a catalogue run. */
typedef struct Selection {
        bool *selected;         /* one per check of the catalogue (owned) */
        size_t n_checks;
        size_t n_selected;
        double min_coverage;    /* the gate file's "min-coverage =", -1 when none */
} Selection;

void selection_done(Selection *s);

/*
 * Marks in @sel (one per check of @cat) the checks a gate file's @text
 * selects: one check id, "category:NAME" or "*" per line, "#" comment lines,
 * and at most one "min-coverage = PERCENT", returned in *ret_min_coverage
 * (-1 when the file has none).  A line that names nothing in the catalogue
 * is an error, so that a typo in a gate fails loudly, not open: -EINVAL
 * with *ret_error = "FILENAME:LINE: message" (caller frees).  @sel may be
 * partly marked on error.
 */
int selection_parse_gate(const Catalog *cat, const char *text, const char *filename, bool *sel,
                         double *ret_min_coverage, char **ret_error);

/* The same for --profile NAME (a shipped gate, reported as
 * "gates/NAME.profile:LINE") or --profile PATH (a file; any value with a
 * "/"). */
int selection_load_gate(const Catalog *cat, const char *name, bool *sel, double *ret_min_coverage,
                        char **ret_error);

/* "baseline, ci-image, strict": the shipped gates (caller frees). */
char *selection_gate_names(void);

/*
 * Which checks run: every check, or the gate's (@gate: --profile NAME|PATH,
 * may be NULL); then --only CATEGORY|ID narrows and --skip ID|CATEGORY
 * removes.  An --only or --skip that names nothing, and a selection that
 * leaves no check, are -EINVAL with *ret_error saying which.
 */
int selection_build(const Catalog *cat, const char *gate, char *const *only, char *const *skip,
                    Selection *ret, char **ret_error);

/* ---- gate (scan-gate.c) ---- */

/* The gate of "scan --fail-under/--fail-on/--fail-on-error/--min-coverage".
 * Negative values disable a threshold. */
typedef struct Gate {
        double fail_under;
        int fail_on;            /* a Severity */
        bool fail_on_error;
        double min_coverage;    /* applies whenever the gate is active */
        bool min_coverage_given; /* --min-coverage alone makes a gate */
} Gate;

/* The gate from the options (each < 0 when not given) and the gate file's
 * min-coverage (< 0 when none): --min-coverage wins, then the gate file,
 * then GATE_DEFAULT_MIN_COVERAGE. */
Gate gate_make(double fail_under, int fail_on, bool fail_on_error, double min_coverage,
               double gate_min_coverage);

/* True when a threshold is set at all. */
bool gate_active(const Gate *g);

/* Whether @r (scored) fails @g: 1 when it does, 0 when not; with
 * @ret_reasons (may be NULL) a strv of one line per failed threshold,
 * naming the threshold and the results that failed it (caller frees).
 * -ENOMEM on allocation failure. */
int gate_check(const Report *r, const Gate *g, char ***ret_reasons);

/* ---- where each finding points (scan-locate.c) ---- */

/* Sets each result's location (Result.location, .location_line): the file
 * behind it on the audited host, by probe_fact_source(): the subject when
 * it is a path, a domain's definition, a process's status, else the first
 * of the check's facts that has a file.  -ENOMEM only. */
int results_locate(Results *results, FactStore *store);

/* ---- the scan (scan.c) ---- */

typedef struct ScanRequest {
        /* Where the facts come from: the live host ("/"), --root DIR or
         * --facts FILE (at most one of root and facts_file). */
        const char *root;
        const char *facts_file;
        const char *libvirt_uri;        /* --connect: live host only; NULL: qemu:///system */
        bool inspect_seccomp;           /* live host only */
        char *const *check_dirs;        /* --checks DIR, NULL-terminated or NULL */

        /* What runs: the gate (--profile NAME|PATH), --only, --skip. */
        const char *gate;
        char *const *only;
        char *const *skip;
        const char *waivers_file;
        const char *today;              /* waivers expire against it (YYYY-MM-DD); NULL: today, UTC */

        /* The gate's thresholds, each < 0 (false) when not given. */
        double fail_under;
        int fail_on;                    /* a Severity */
        bool fail_on_error;
        double min_coverage;

        Framework framework;            /* _FRAMEWORK_INVALID: no per-control view */
        bool reproducible;              /* no times, host names or temporary paths */
} ScanRequest;

/* A request with nothing given: every threshold off, no framework. */
#define SCAN_REQUEST_INIT                                                       \
        ((ScanRequest) {.fail_under = -1, .fail_on = -1, .min_coverage = -1,  \
                        .framework = _FRAMEWORK_INVALID})

/* What the caller does at fixed points of a scan; any may be NULL. */
typedef struct ScanHooks {
        /* Something the user should know that does not stop the scan. */
        void (*warning)(const char *message, void *userdata);
        /* Once every input is read and the facts are open (with
         * inspect_seccomp, the filters read back), before any check runs:
         * the CLI opens its outputs and installs its own sandbox here.  A
         * negative return stops the scan with that error, which the hook
         * reported itself. */
        int (*ready)(void *userdata);
        /* After each evaluated check: how many are done of how many. */
        void (*progress)(size_t done, size_t total, void *userdata);
        void *userdata;
} ScanHooks;

typedef struct ScanError {
        int error;              /* negative errno */
        bool input;             /* the request or a file it names is wrong (exit 2);
                                 * otherwise the scan could not run (exit 3) */
        bool hook;              /* the ready hook failed (and reported it) */
        char *message;          /* "FILE:LINE: what", "--only X: what", ...; NULL
                                 * on -ENOMEM or a failed hook */
} ScanError;

void scan_error_done(ScanError *e);

typedef struct ScanResult {
        Catalog catalog;        /* what ran: the report's results borrow its checks */
        Report report;          /* results, scores and metadata; waiver warnings
                                 * in report.warnings */
        bool gate_failed;
        char **gate_reasons;    /* one line per failed threshold; NULL when none */
} ScanResult;

void scan_result_done(ScanResult *r);

/*
 * Runs the scan @req asks for: the catalogue, the selection, the waivers,
 * the facts, every selected check, the report's metadata, score and
 * per-control view, and the gate.  0 with *ret filled, or a negative errno
 * with *ret_error filled (*ret untouched).
 */
int scan_run(const ScanRequest *req, const ScanHooks *hooks, ScanResult *ret, ScanError *ret_error);

/* The facts of one "collect", for the caller to write
 * (facts_write_json_keys() with @keys and host_root(host)). */
typedef struct ScanFacts {
        Host *host;
        FactStore *store;
        char **keys;            /* what to write (facts_write_json_keys()) */
} ScanFacts;

void scan_facts_done(ScanFacts *f);

/* "kvmaudit collect": @req's catalogue and source (root, libvirt_uri,
 * inspect_seccomp, check_dirs; the rest is ignored), every fact
 * scan_collect_facts() decides to save.  Errors as scan_run(). */
int scan_collect(const ScanRequest *req, const ScanHooks *hooks, ScanFacts *ret, ScanError *ret_error);

/*
 * What "collect" saves of @store (scan-collect.c, the one place that
 * decides it): every fact the checks of @cat declare, "@" expanded for
 * each object of the check's scope and a pattern for each key it stands
 * for on this host (probe-expand.h), the sources of the derived ones,
 * what the engine and the report read, and where each came from; no
 * check is evaluated.  0 and *ret_keys (sorted; caller frees), or a
 * negative errno; -EINVAL with *ret_error (caller frees) for a
 * declaration no probe can expand.
 */
int scan_collect_facts(const Catalog *cat, FactStore *store, char ***ret_keys, char **ret_error);
