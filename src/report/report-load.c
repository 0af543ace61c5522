/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a JSON report back (the contract of DESIGN.md, schema_version 1):
 * strict about types, because CI pipelines feed us files we did not
 * write; lenient about keys we do not know, because a later kvmaudit may
 * add optional ones without a new schema_version. */
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check-objects.h"
#include "report-load.h"
#include "strv.h"
#include "util.h"

void
loaded_report_done(LoadedReport *l)
{
        report_done(&l->report);
        catalog_done(&l->checks);
}

typedef struct Loader {
        const char *file;
        char *error;
} Loader;

static int
load_fail(Loader *l, const char *fmt, ...) _printf_(2, 3);

static int
load_fail(Loader *l, const char *fmt, ...)
{
        _cleanup_free_ char *m = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);
        free(l->error);
        l->error = xasprintf("%s: %s", l->file, m ? m : "out of memory");
        return -EBADMSG;
}

static const char *
type_name(json_object *v)
{
        switch (json_object_get_type(v)) {
        case json_type_null: return "null";
        case json_type_boolean: return "a boolean";
        case json_type_double:
        case json_type_int: return "a number";
        case json_type_string: return "a string";
        case json_type_array: return "an array";
        case json_type_object: return "an object";
        }
        return "something else";
}

/* "PREFIX.KEY", or "KEY" at the top level. */
#define PATH(prefix, key) (prefix)[0] ? (prefix) : "", (prefix)[0] ? "." : "", (key)

/*
 * Looks up @key in @obj.  Missing keys fail; null is returned as NULL when
 * @nullable, and fails otherwise; any other value must be of @type.
 */
static int
member(Loader *l, json_object *obj, const char *prefix, const char *key, json_type type, bool nullable,
       json_object **ret)
{
        json_object *v;
        static const char *const wanted[] = {
                [json_type_boolean] = "a boolean", [json_type_double] = "a number",
                [json_type_int] = "an integer",    [json_type_object] = "an object",
                [json_type_array] = "an array",    [json_type_string] = "a string",
        };

        if (!json_object_object_get_ex(obj, key, &v))
                return load_fail(l, "%s%s%s: missing", PATH(prefix, key));
        if (!v && nullable) {
                *ret = NULL;
                return 0;
        }
        /* An integer is a number too (a hand-written score of 100). */
        if (!v || !(json_object_is_type(v, type) ||
                    (type == json_type_double && json_object_is_type(v, json_type_int))))
                return load_fail(l, "%s%s%s: must be %s%s, not %s", PATH(prefix, key), wanted[type],
                                 nullable ? " or null" : "", type_name(v));
        *ret = v;
        return 0;
}

/*
 * What is wrong with a string value, or NULL: a NUL (json-c would cut the
 * string there).  Control characters are data like any other: a report
 * that kvmaudit wrote of a host whose name holds a CR must read back, and
 * every renderer writes them visibly (text-escape.h).
 */
static const char *
string_problem(json_object *v)
{
        const char *s = json_object_get_string(v);
        size_t len = (size_t) json_object_get_string_len(v);

        if (strlen(s) != len)
                return "contains a NUL byte";
        return NULL;
}

/* A copy of string member @key (NULL for null when @nullable). */
static int
member_string(Loader *l, json_object *obj, const char *prefix, const char *key, bool nullable, bool nonempty,
              char **ret)
{
        const char *why;
        json_object *v;
        char *s;
        int r;

        r = member(l, obj, prefix, key, json_type_string, nullable, &v);
        if (r < 0)
                return r;
        if (!v) {
                *ret = NULL;
                return 0;
        }
        why = string_problem(v);
        if (why)
                return load_fail(l, "%s%s%s: %s", PATH(prefix, key), why);
        if (nonempty && json_object_get_string_len(v) == 0)
                return load_fail(l, "%s%s%s: must not be empty", PATH(prefix, key));
        s = strdup(json_object_get_string(v));
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

/* An array of strings into a NULL-terminated list (empty, not NULL). */
static int
string_array(Loader *l, json_object *a, const char *prefix, const char *key, size_t max, char ***ret)
{
        _cleanup_strv_free_ char **list = calloc(1, sizeof(char *));
        size_t n = json_object_array_length(a);
        char path[64];

        if (!list)
                return -ENOMEM;
        if (n > max)
                return load_fail(l, "%s%s%s: more than %zu entries", PATH(prefix, key), max);
        for (size_t i = 0; i < n; i++) {
                json_object *e = json_object_array_get_idx(a, i);
                const char *why;

                snprintf(path, sizeof(path), "%s%s%s[%zu]", PATH(prefix, key), i);
                if (!json_object_is_type(e, json_type_string))
                        return load_fail(l, "%s: must be a string, not %s", path, type_name(e));
                why = string_problem(e);
                if (why)
                        return load_fail(l, "%s: %s", path, why);
                if (strv_extend(&list, json_object_get_string(e)) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(list);
        return 0;
}

/* A score member: a number from 0 to 100 or null. */
static int
member_score(Loader *l, json_object *obj, const char *prefix, const char *key, bool *ret_has, double *ret)
{
        json_object *v;
        double d;
        int r;

        r = member(l, obj, prefix, key, json_type_double, true, &v);
        if (r < 0)
                return r;
        if (!v) {
                *ret_has = false;
                *ret = 0;
                return 0;
        }
        d = json_object_get_double(v);
        if (!isfinite(d) || d < 0 || d > 100)
                return load_fail(l, "%s%s%s: must be a score from 0 to 100", PATH(prefix, key));
        *ret_has = true;
        *ret = d;
        return 0;
}

/* The pass/fail/skip/error/waived counts of "summary" or a category. */
static int
member_counts(Loader *l, json_object *obj, const char *prefix, unsigned ret[static _STATUS_MAX])
{
        for (Status s = 0; s < _STATUS_MAX; s++) {
                json_object *v;
                int64_t n;
                int r;

                r = member(l, obj, prefix, status_to_string(s), json_type_int, false, &v);
                if (r < 0)
                        return r;
                n = json_object_get_int64(v);
                if (n < 0 || n > (int64_t) REPORT_RESULTS_MAX)
                        return load_fail(l, "%s.%s: count %lld out of range", prefix, status_to_string(s),
                                         (long long) n);
                ret[s] = (unsigned) n;
        }
        return 0;
}

/* The per-result fields of one check, kept until the checks are built. */
typedef struct RawResult {
        size_t index;
        char *id, *category, *title, *rationale, *remediation, *source;
        char **refs;
        char **controls[_FRAMEWORK_MAX];
        Severity severity;
} RawResult;

static void
raw_result_done(RawResult *x)
{
        free(x->id);
        free(x->category);
        free(x->title);
        free(x->rationale);
        free(x->remediation);
        free(x->source);
        strv_free(x->refs);
        for (size_t f = 0; f < _FRAMEWORK_MAX; f++)
                strv_free(x->controls[f]);
}

/* "controls": {"nist-800-53": ["SC-39"], ...}: optional (reports before
 * the mappings have none), each list held to the catalogue loader's rules. */
static int
load_controls(Loader *l, json_object *o, const char *p, RawResult *raw)
{
        json_object *c;
        char q[64];

        if (!json_object_object_get_ex(o, "controls", &c))
                return 0;
        snprintf(q, sizeof(q), "%s.controls", p);
        if (!json_object_is_type(c, json_type_object))
                return load_fail(l, "%s: must be an object, not %s", q, type_name(c));
        json_object_object_foreach(c, key, v) {
                _cleanup_strv_free_ char **ids = NULL;
                Framework f = framework_from_string(key);
                int r;

                if (f < 0)
                        return load_fail(l, "%s.%s: unknown framework (known: nist-800-53, vmm-srg, cci, cis)", q,
                                         key);
                if (!json_object_is_type(v, json_type_array))
                        return load_fail(l, "%s.%s: must be an array, not %s", q, key, type_name(v));
                r = string_array(l, v, q, key, CONTROLS_PER_CHECK_MAX, &ids);
                if (r < 0)
                        return r;
                if (!ids[0])
                        return load_fail(l, "%s.%s: empty; a framework the check does not map to is left out", q,
                                         key);
                STRV_FOREACH(id, ids) {
                        if (!control_id_valid(f, *id))
                                return load_fail(l, "%s.%s: \"%s\" is not a %s identifier", q, key, *id, key);
                        for (char **other = ids; other < id; other++)
                                if (streq(*other, *id))
                                        return load_fail(l, "%s.%s: \"%s\" is listed twice", q, key, *id);
                }
                raw->controls[f] = TAKE_PTR(ids);
        }
        return 0;
}

static int
load_result(Loader *l, json_object *o, size_t i, RawResult *raw, Result *res)
{
        _cleanup_free_ char *sev = NULL, *status = NULL;
        json_object *refs, *w;
        char p[48];
        int r;

        snprintf(p, sizeof(p), "results[%zu]", i);
        if (!json_object_is_type(o, json_type_object))
                return load_fail(l, "%s: must be an object, not %s", p, type_name(o));
        raw->index = i;
        if ((r = member_string(l, o, p, "id", false, true, &raw->id)) < 0 ||
            (r = member_string(l, o, p, "category", false, true, &raw->category)) < 0 ||
            (r = member_string(l, o, p, "severity", false, false, &sev)) < 0 ||
            (r = member_string(l, o, p, "status", false, false, &status)) < 0 ||
            (r = member_string(l, o, p, "subject", false, true, &res->subject)) < 0 ||
            (r = member_string(l, o, p, "observed", false, false, &res->observed)) < 0 ||
            (r = member_string(l, o, p, "expected", false, false, &res->expected)) < 0 ||
            (r = member_string(l, o, p, "title", false, false, &raw->title)) < 0 ||
            (r = member_string(l, o, p, "rationale", false, false, &raw->rationale)) < 0 ||
            (r = member_string(l, o, p, "remediation", false, false, &raw->remediation)) < 0 ||
            (r = member_string(l, o, p, "source", false, false, &raw->source)) < 0)
                return r;
        raw->severity = severity_from_string(sev);
        if (raw->severity < 0)
                return load_fail(l, "%s.severity: unknown severity \"%s\" (known: critical, high, medium, low, info)",
                                 p, sev);
        res->status = status_from_string(status);
        if (res->status < 0)
                return load_fail(l, "%s.status: unknown status \"%s\" (known: pass, fail, skip, error, waived)", p,
                                 status);
        r = member(l, o, p, "refs", json_type_array, false, &refs);
        if (r < 0)
                return r;
        r = string_array(l, refs, p, "refs", 256, &raw->refs);
        if (r < 0)
                return r;
        /* Optional: only waived results carry one. */
        if (json_object_object_get_ex(o, "waiver", &w)) {
                r = member_string(l, o, p, "waiver", false, false, &res->waiver);
                if (r < 0)
                        return r;
        }
        /* Optional: reports before issue 17 have none. */
        if (json_object_object_get_ex(o, "location", &w)) {
                _cleanup_free_ char *lp = xasprintf("%s.location", p);
                json_object *line;

                if (!lp)
                        return -ENOMEM;
                r = member(l, o, p, "location", json_type_object, false, &w);
                if (r < 0)
                        return r;
                r = member_string(l, w, lp, "path", false, true, &res->location);
                if (r < 0)
                        return r;
                if (res->location[0] != '/')
                        return load_fail(l, "%s.path: \"%s\" is not an absolute path", lp, res->location);
                if (json_object_object_get_ex(w, "line", &line)) {
                        int64_t v;

                        r = member(l, w, lp, "line", json_type_int, false, &line);
                        if (r < 0)
                                return r;
                        v = json_object_get_int64(line);
                        if (v < 1 || v > UINT32_MAX)
                                return load_fail(l, "%s.line: %lld is not a line number", lp, (long long) v);
                        res->location_line = (unsigned) v;
                }
        }
        return load_controls(l, o, p, raw);
}

static int
raw_cmp(const void *a, const void *b)
{
        const RawResult *x = a, *y = b;
        int c = strcmp(x->id, y->id);

        if (c != 0)
                return c;
        return x->index < y->index ? -1 : x->index > y->index;
}

static bool
strv_equal(char **a, char **b)
{
        for (; *a && *b; a++, b++)
                if (!streq(*a, *b))
                        return false;
        return !*a && !*b;
}

/* What differs between two results of one check, or NULL. */
static const char *
raw_differs(const RawResult *a, const RawResult *b)
{
        if (!streq(a->category, b->category))
                return "category";
        if (a->severity != b->severity)
                return "severity";
        if (!streq(a->title, b->title))
                return "title";
        if (!streq(a->rationale, b->rationale))
                return "rationale";
        if (!streq(a->remediation, b->remediation))
                return "remediation";
        if (!strv_equal(a->refs, b->refs))
                return "refs";
        if (!streq(a->source, b->source))
                return "source";
        for (size_t f = 0; f < _FRAMEWORK_MAX; f++)
                if (!a->controls[f] != !b->controls[f] ||
                    (a->controls[f] && !strv_equal(a->controls[f], b->controls[f])))
                        return "controls";
        return NULL;
}

/*
 * The scope whose objects carry @subject (the subjects of
 * docs/check-format.md, "Objects: scope and @"): a report does not store
 * the scope, its subjects say it.  A daemon is named by its configuration
 * file, /etc/libvirt/NAME.conf, for the daemons the engine knows.  The one
 * result of a check that found no object at all is on "host", and reads
 * back as host.
 */
static Scope
scope_of_subject(const char *subject)
{
        const char *name = startswith(subject, "/etc/libvirt/") ? subject + strlen("/etc/libvirt/") : NULL;

        if (startswith(subject, "domain:"))
                return SCOPE_DOMAIN;
        if (startswith(subject, "process:"))
                return SCOPE_PROCESS;
        STRV_FOREACH(d, name ? daemon_names_all : NULL) {
                if (startswith(name, *d) && streq(name + strlen(*d), ".conf"))
                        return SCOPE_DAEMON;
        }
        return SCOPE_HOST;
}

/* A Check made of copies of @raw's fields. */
static int
check_from_raw(const RawResult *raw, const Result *res, Check *ret)
{
        Check c = {
                .id = strdup(raw->id),
                .title = strdup(raw->title),
                .category = strdup(raw->category),
                .severity = raw->severity,
                .scope = scope_of_subject(res->subject),
                .expected = strdup(res->expected),
                .rationale = strdup(raw->rationale),
                .remediation = strdup(raw->remediation),
                .refs = calloc(strv_length(raw->refs) + 1, sizeof(char *)),
                .source = strdup(raw->source),
        };

        *ret = c;       /* freed by catalog_done() whatever failed */
        if (!c.id || !c.title || !c.category || !c.expected || !c.rationale || !c.remediation || !c.refs ||
            !c.source)
                return -ENOMEM;
        STRV_FOREACH(ref, raw->refs)
                if (strv_extend(&ret->refs, *ref) < 0)
                        return -ENOMEM;
        for (size_t f = 0; f < _FRAMEWORK_MAX; f++)
                STRV_FOREACH(id, raw->controls[f])
                        if (strv_extend(&ret->controls[f], *id) < 0)
                                return -ENOMEM;
        return 0;
}

/*
 * One Check per id, from the first result that names it; every other
 * result of that id must carry the same metadata.  Points @results at
 * them.  Sorts @raw.
 */
static int
build_checks(Loader *l, RawResult *raw, size_t n, Results *results, Catalog *cat)
{
        size_t n_checks = 0, first = 0;

        qsort(raw, n, sizeof(RawResult), raw_cmp);
        for (size_t i = 0; i < n; i++)
                n_checks += i == 0 || !streq(raw[i].id, raw[i - 1].id);
        cat->checks = calloc(n_checks ? n_checks : 1, sizeof(Check));
        if (!cat->checks)
                return -ENOMEM;

        for (size_t i = 0; i < n; i++) {
                Result *res = &results->v[raw[i].index];
                int r;

                if (i > 0 && streq(raw[i].id, raw[first].id)) {
                        const char *what = raw_differs(&raw[first], &raw[i]);
                        if (what)
                                return load_fail(l,
                                                 "results[%zu].%s: differs from results[%zu], a result of the same check %s",
                                                 raw[i].index, what, raw[first].index, raw[i].id);
                } else {
                        first = i;
                        r = check_from_raw(&raw[i], res, &cat->checks[cat->n_checks++]);
                        if (r < 0)
                                return r;
                }
                res->check = &cat->checks[cat->n_checks - 1];
        }
        return 0;
}

static int
load_results(Loader *l, json_object *top, Report *rep, Catalog *cat)
{
        json_object *a;
        RawResult *raw;
        size_t n;
        int r = 0;

        r = member(l, top, "", "results", json_type_array, false, &a);
        if (r < 0)
                return r;
        n = json_object_array_length(a);
        if (n > REPORT_RESULTS_MAX)
                return load_fail(l, "results: %zu results, more than the %u this kvmaudit reads", n,
                                 REPORT_RESULTS_MAX);
        raw = calloc(n ? n : 1, sizeof(RawResult));
        rep->results.v = calloc(n ? n : 1, sizeof(Result));
        if (!raw || !rep->results.v) {
                free(raw);
                return -ENOMEM;
        }
        rep->results.n = n;     /* zeroed entries free as nothing */
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = load_result(l, json_object_array_get_idx(a, i), i, &raw[i], &rep->results.v[i]);
        if (r >= 0)
                r = build_checks(l, raw, n, &rep->results, cat);
        for (size_t i = 0; i < n; i++)
                raw_result_done(&raw[i]);
        free(raw);
        return r;
}

static int
load_metadata(Loader *l, json_object *top, Report *rep)
{
        json_object *tool, *host, *v;
        int r;

        r = member(l, top, "", "tool", json_type_object, false, &tool);
        if (r < 0)
                return r;
        r = member_string(l, tool, "tool", "version", false, false, &rep->tool_version);
        if (r < 0)
                return r;
        r = member(l, top, "", "host", json_type_object, false, &host);
        if (r < 0)
                return r;
        if ((r = member_string(l, host, "host", "hostname", true, false, &rep->hostname)) < 0 ||
            (r = member_string(l, host, "host", "kernel", true, false, &rep->kernel)) < 0 ||
            (r = member_string(l, host, "host", "root", false, false, &rep->root)) < 0 ||
            (r = member_string(l, host, "host", "libvirt_uri", true, false, &rep->libvirt_uri)) < 0 ||
            (r = member_string(l, top, "", "started_at", true, false, &rep->started_at)) < 0)
                return r;
        r = member(l, top, "", "duration_ms", json_type_int, true, &v);
        if (r < 0)
                return r;
        rep->duration_ms = v ? json_object_get_int64(v) : -1;
        if (v && rep->duration_ms < 0)
                return load_fail(l, "duration_ms: must not be negative");
        if (json_object_object_get_ex(top, "kconfig_source", &v)) {
                r = member_string(l, top, "", "kconfig_source", false, false, &rep->kconfig_source);
                if (r < 0)
                        return r;
        }
        /* "selection": absent in reports of kvmaudit before it was recorded. */
        if (json_object_object_get_ex(top, "selection", &v)) {
                ReportSelection *sel = &rep->selection;
                json_object *sobj, *a;
                bool has = false;

                r = member(l, top, "", "selection", json_type_object, false, &sobj);
                if (r < 0)
                        return r;
                sel->recorded = true;
                if ((r = member_string(l, sobj, "selection", "profile", true, false, &sel->gate)) < 0 ||
                    (r = member_string(l, sobj, "selection", "waivers", true, false, &sel->waivers)) < 0 ||
                    (r = member_string(l, sobj, "selection", "waivers_sha256", true, false,
                                       &sel->waivers_sha256)) < 0)
                        return r;
                if ((r = member(l, sobj, "selection", "only", json_type_array, false, &a)) < 0 ||
                    (r = string_array(l, a, "selection", "only", REPORT_WARNINGS_MAX, &sel->only)) < 0 ||
                    (r = member(l, sobj, "selection", "skip", json_type_array, false, &a)) < 0 ||
                    (r = string_array(l, a, "selection", "skip", REPORT_WARNINGS_MAX, &sel->skip)) < 0)
                        return r;
                r = member_score(l, sobj, "selection", "min_coverage", &has, &sel->min_coverage);
                if (r < 0)
                        return r;
                if (!has)
                        sel->min_coverage = -1;
        }
        if (json_object_object_get_ex(top, "warnings", &v)) {
                r = member(l, top, "", "warnings", json_type_array, false, &v);
                if (r < 0)
                        return r;
                r = string_array(l, v, "", "warnings", REPORT_WARNINGS_MAX, &rep->warnings);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void
format_score(char buf[static 16], bool has, double v)
{
        if (has)
                snprintf(buf, 16, "%.1f", v);
        else
                snprintf(buf, 16, "null");
}

/* @what's score and counts in the file against the recomputed ones. */
static int
verify_scores(Loader *l, json_object *obj, const char *what, bool has, double score, const unsigned *counts)
{
        unsigned file_counts[_STATUS_MAX];
        char file_buf[16], ours[16];
        bool file_has = false;
        double file_score = 0;
        int r;

        if (!streq(what, "summary")) {
                r = member_score(l, obj, what, "score", &file_has, &file_score);
                if (r < 0)
                        return r;
                format_score(file_buf, file_has, file_score);
                format_score(ours, has, score);
                if (!streq(file_buf, ours))
                        return load_fail(l, "%s%sscore: %s does not match the results, which score %s", what,
                                         what[0] ? "." : "", file_buf, ours);
        }
        if (!counts)
                return 0;
        r = member_counts(l, obj, what, file_counts);
        if (r < 0)
                return r;
        for (Status s = 0; s < _STATUS_MAX; s++)
                if (file_counts[s] != counts[s])
                        return load_fail(l, "%s.%s: %u does not match the results, which have %u", what,
                                         status_to_string(s), file_counts[s], counts[s]);
        return 0;
}

static int
verify_report(Loader *l, json_object *top, const Report *rep)
{
        json_object *summary, *cats;
        int r;

        r = verify_scores(l, top, "", rep->has_score, rep->score, NULL);
        if (r < 0)
                return r;
        r = member(l, top, "", "summary", json_type_object, false, &summary);
        if (r < 0)
                return r;
        r = verify_scores(l, summary, "summary", false, 0, rep->summary);
        if (r < 0)
                return r;
        r = member(l, top, "", "categories", json_type_object, false, &cats);
        if (r < 0)
                return r;
        for (size_t k = 0; k < rep->n_categories; k++) {
                const CategoryStats *cat = &rep->categories[k];
                _cleanup_free_ char *path = xasprintf("categories.%s", cat->name);
                json_object *o;

                if (!path)
                        return -ENOMEM;
                if (!json_object_object_get_ex(cats, cat->name, &o))
                        return load_fail(l, "%s: missing, but results have that category", path);
                if (!json_object_is_type(o, json_type_object))
                        return load_fail(l, "%s: must be an object, not %s", path, type_name(o));
                r = verify_scores(l, o, path, cat->has_score, cat->score, cat->counts);
                if (r < 0)
                        return r;
        }
        json_object_object_foreach(cats, name, val) {
                bool known = false;

                (void) val;
                for (size_t k = 0; k < rep->n_categories && !known; k++)
                        known = streq(rep->categories[k].name, name);
                if (!known)
                        return load_fail(l, "categories.%s: no result has that category", name);
        }
        return 0;
}

static int
parse_text(Loader *l, const char *text, json_object **ret)
{
        json_tokener *tok = json_tokener_new_ex(REPORT_JSON_DEPTH);
        enum json_tokener_error e;
        json_object *top;
        size_t end;

        if (!tok)
                return -ENOMEM;
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
        top = json_tokener_parse_ex(tok, text, (int) strlen(text));
        e = json_tokener_get_error(tok);
        end = json_tokener_get_parse_end(tok);
        json_tokener_free(tok);
        if (!top || e != json_tokener_success) {
                json_object_put(top);
                if (e == json_tokener_continue || e == json_tokener_success)
                        e = json_tokener_error_parse_eof;
                return load_fail(l, "not valid JSON: %s (at byte %zu)", json_tokener_error_desc(e), end);
        }
        if (text[end + strspn(text + end, " \t\r\n")] != '\0') {
                json_object_put(top);
                return load_fail(l, "not valid JSON: unexpected data after the report (at byte %zu)", end);
        }
        *ret = top;
        return 0;
}

int
report_load_json(const char *text, const char *filename, LoadedReport *ret, char **ret_error)
{
        Loader l = {.file = filename};
        LoadedReport lr = {.report.duration_ms = -1};
        json_object *top = NULL, *v;
        int64_t version;
        int r;

        r = parse_text(&l, text, &top);
        if (r < 0)
                goto out;
        if (!json_object_is_type(top, json_type_object)) {
                r = load_fail(&l, "the top level must be an object, not %s", type_name(top));
                goto out;
        }
        r = member(&l, top, "", "schema_version", json_type_int, false, &v);
        if (r < 0)
                goto out;
        version = json_object_get_int64(v);
        if (version != REPORT_SCHEMA_VERSION) {
                r = load_fail(&l, "schema_version %lld is %s than this kvmaudit reads (%d)", (long long) version,
                              version > REPORT_SCHEMA_VERSION ? "newer" : "other", REPORT_SCHEMA_VERSION);
                if (version > REPORT_SCHEMA_VERSION)
                        r = -EPROTONOSUPPORT;
                goto out;
        }
        r = load_metadata(&l, top, &lr.report);
        if (r >= 0)
                r = load_results(&l, top, &lr.report, &lr.checks);
        if (r >= 0)
                r = report_score(&lr.report);
        if (r >= 0)
                r = verify_report(&l, top, &lr.report);
out:
        json_object_put(top);
        if (r < 0) {
                loaded_report_done(&lr);
                if (r == -ENOMEM) {
                        free(l.error);
                        l.error = NULL;
                }
                *ret_error = l.error;
                return r;
        }
        free(l.error);
        *ret = lr;
        return 0;
}
