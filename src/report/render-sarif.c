/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SARIF 2.1.0 for code-scanning UIs: one run, one rule per check that
 * appears in the report, one result per failed or waived check result.
 *
 * Mapping decisions (SARIF 2.1.0 sections in brackets):
 *  - fail -> result, kind "fail" [3.27.9], level by severity [3.27.10]:
 *    critical/high "error", medium "warning", low/info "note".
 *  - waived -> the same result with a suppression [3.35] of kind
 *    "external" (the waiver file lives outside the audited host), status
 *    "accepted", justification = the waiver text.
 *  - error -> not a result: the check could not be evaluated, which
 *    says nothing about the host.  It is a tool execution notification
 *    [3.20.21] of level "error" ("the results are incomplete" [3.58.6])
 *    whose associatedRule names the check.
 *  - pass and skip -> no result; the rule is still listed, and the run's
 *    properties carry the score and the counts of every status.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "report.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

#define SARIF_SCHEMA_URI "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* Bump when the fingerprinted fields change, so old alerts are not
 * matched against new ones. */
#define SARIF_FINGERPRINT_KEY "kvmauditResult/v1"

/* A string of the report as SARIF text: viewers show it as it is, so its
 * control characters are written visibly (tab and newline kept). */
static json_object *
jstr(const char *s)
{
        _cleanup_free_ char *e = text_escape(ESCAPE_LINES, s ? s : "");

        return e ? json_object_new_string(e) : NULL;
}

static json_object *
jtext(const char *s)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "text", jstr(s));
        return o;
}

/* GitHub reads this as a CVSS-like number in a string. */
static const char *
security_severity(Severity s)
{
        static const char *const table[_SEVERITY_MAX] = {
                [SEVERITY_INFO] = "0.0",  [SEVERITY_LOW] = "3.0",      [SEVERITY_MEDIUM] = "5.5",
                [SEVERITY_HIGH] = "8.0",  [SEVERITY_CRITICAL] = "9.5",
        };
        return table[s];
}

static const char *
sarif_level(Severity s)
{
        return s >= SEVERITY_HIGH ? "error" : s == SEVERITY_MEDIUM ? "warning" : "note";
}

/* "devices.kvm-node-mode" -> "DevicesKvmNodeMode": the opaque,
 * identifier-like rule name that SARIF asks for [3.49.7]. */
static char *
rule_name(const char *id)
{
        StrBuf b = {};
        bool up = true;

        for (const char *p = id; *p; p++) {
                if (strchr(".-_:", *p)) {
                        up = true;
                        continue;
                }
                char ch = up && *p >= 'a' && *p <= 'z' ? (char) (*p - 'a' + 'A') : *p;
                strbuf_appendn(&b, &ch, 1);
                up = false;
        }
        return strbuf_steal(&b);
}

/* 64-bit FNV-1a over id, NUL, subject: stable across runs and hosts, so
 * the same finding keeps its alert. */
static void
fingerprint(const char *id, const char *subject, char ret[static 17])
{
        uint64_t h = UINT64_C(0xcbf29ce484222325);
        const char *parts[] = {id, subject};

        for (size_t k = 0; k < ELEMENTSOF(parts); k++) {
                const char *s = parts[k] ? parts[k] : "";
                for (size_t i = 0; i <= strlen(s); i++) { /* includes the NUL separator */
                        h ^= (unsigned char) s[i];
                        h *= UINT64_C(0x100000001b3);
                }
        }
        snprintf(ret, 17, "%016llx", (unsigned long long) h);
}

/* file:// URI of an absolute path: unreserved bytes and '/' as they are,
 * everything else percent-encoded [3.10, RFC 3986]. */
static char *
file_uri(const char *path)
{
        StrBuf b = {};

        strbuf_append(&b, "file://");
        for (const unsigned char *p = (const unsigned char *) path; *p; p++) {
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    strchr("/-._~", *p))
                        strbuf_appendn(&b, (const char *) p, 1);
                else
                        strbuf_printf(&b, "%%%02X", *p);
        }
        return strbuf_steal(&b);
}

/*
 * Every result has a physical location [3.28.3], which GitHub code scanning
 * requires: the file behind the finding on the audited host (Result.location:
 * the configuration file and line, the domain's XML, /proc/cmdline, the
 * sysfs entry), else the subject when it is a path, else the host's root.
 * A subject that is not a file (domain:NAME, process:PID, a fact key) is
 * a logical location as well.
 */
static json_object *
location(const Result *res)
{
        const char *subject = res->subject;
        const char *path = res->location ? res->location : subject && subject[0] == '/' ? subject : "/";
        json_object *loc = json_object_new_object(), *phys = json_object_new_object(),
                    *art = json_object_new_object();
        char *uri = file_uri(path);

        if (!uri) {
                json_object_put(loc);
                json_object_put(phys);
                json_object_put(art);
                return NULL;
        }
        json_object_object_add(art, "uri", json_object_new_string(uri));
        free(uri);
        json_object_object_add(phys, "artifactLocation", art);
        if (res->location && res->location_line > 0) {
                json_object *region = json_object_new_object();

                json_object_object_add(region, "startLine", json_object_new_int64(res->location_line));
                json_object_object_add(phys, "region", region);
        }
        json_object_object_add(loc, "physicalLocation", phys);
        if (subject && subject[0] != '/') {
                json_object *logs = json_object_new_array(), *l = json_object_new_object();

                /* host, domain:NAME, process:PID or a fact key: a thing
                 * on the host that is not a file */
                json_object_object_add(l, "name", jstr(subject));
                json_object_object_add(l, "fullyQualifiedName", jstr(subject));
                json_object_object_add(l, "kind", json_object_new_string("resource"));
                json_object_array_add(logs, l);
                json_object_object_add(loc, "logicalLocations", logs);
        }
        return loc;
}

static json_object *
rule_object(const Check *c)
{
        json_object *rule = json_object_new_object(), *o, *tags;
        _cleanup_free_ char *name = rule_name(c->id);

        json_object_object_add(rule, "id", jstr(c->id));
        json_object_object_add(rule, "name", jstr(name ? name : c->id));
        json_object_object_add(rule, "shortDescription", jtext(c->title));
        json_object_object_add(rule, "fullDescription", jtext(c->rationale));
        json_object_object_add(rule, "help", jtext(c->remediation));
        if (c->refs && c->refs[0] && (startswith(c->refs[0], "https://") || startswith(c->refs[0], "http://")))
                json_object_object_add(rule, "helpUri", jstr(c->refs[0]));
        o = json_object_new_object();
        json_object_object_add(o, "level", json_object_new_string(sarif_level(c->severity)));
        json_object_object_add(rule, "defaultConfiguration", o);

        o = json_object_new_object();
        json_object_object_add(o, "security-severity", json_object_new_string(security_severity(c->severity)));
        json_object_object_add(o, "severity", json_object_new_string(severity_to_string(c->severity)));
        tags = json_object_new_array();
        json_object_array_add(tags, json_object_new_string("security"));
        json_object_array_add(tags, jstr(c->category));
        json_object_object_add(o, "tags", tags);
        if (c->source && c->source[0])
                json_object_object_add(o, "source", jstr(c->source));
        /* control identifiers: one array per framework, and a tag each so
         * code-scanning UIs can filter by control */
        for (Framework f = 0; f < _FRAMEWORK_MAX; f++) {
                json_object *ids;

                if (!c->controls[f])
                        continue;
                ids = json_object_new_array();
                STRV_FOREACH(id, c->controls[f]) {
                        _cleanup_free_ char *tag = xasprintf("%s:%s", framework_to_string(f), *id);

                        json_object_array_add(ids, jstr(*id));
                        if (tag)
                                json_object_array_add(tags, jstr(tag));
                }
                json_object_object_add(o, framework_to_string(f), ids);
        }
        json_object_object_add(rule, "properties", o);
        return rule;
}

static json_object *
result_message(const Result *res)
{
        _cleanup_free_ char *text = xasprintf("observed: %s; expected: %s", res->observed ? res->observed : "",
                                              res->expected ? res->expected : "");
        return text ? jtext(text) : NULL;
}

static json_object *
result_object(const Result *res, size_t rule_index)
{
        const Check *c = res->check;
        json_object *o = json_object_new_object(), *fp, *locs, *loc, *props;
        char hash[17];

        json_object_object_add(o, "ruleId", jstr(c->id));
        json_object_object_add(o, "ruleIndex", json_object_new_int64((int64_t) rule_index));
        json_object_object_add(o, "kind", json_object_new_string("fail"));
        json_object_object_add(o, "level", json_object_new_string(sarif_level(c->severity)));
        json_object_object_add(o, "message", result_message(res));

        loc = location(res);
        if (!loc) {
                json_object_put(o);
                return NULL;
        }
        locs = json_object_new_array();
        json_object_array_add(locs, loc);
        json_object_object_add(o, "locations", locs);

        fingerprint(c->id, res->subject, hash);
        fp = json_object_new_object();
        json_object_object_add(fp, SARIF_FINGERPRINT_KEY, json_object_new_string(hash));
        json_object_object_add(o, "partialFingerprints", fp);

        if (res->status == STATUS_WAIVED) {
                json_object *sups = json_object_new_array(), *sup = json_object_new_object();

                json_object_object_add(sup, "kind", json_object_new_string("external"));
                json_object_object_add(sup, "status", json_object_new_string("accepted"));
                json_object_object_add(sup, "justification", jstr(res->waiver));
                json_object_array_add(sups, sup);
                json_object_object_add(o, "suppressions", sups);
        }

        props = json_object_new_object();
        json_object_object_add(props, "subject", jstr(res->subject));
        json_object_object_add(props, "severity", json_object_new_string(severity_to_string(c->severity)));
        json_object_object_add(props, "category", jstr(c->category));
        json_object_object_add(props, "status", json_object_new_string(status_to_string(res->status)));
        json_object_object_add(o, "properties", props);
        return o;
}

static json_object *
error_notification(const Result *res, size_t rule_index)
{
        json_object *n = json_object_new_object(), *rule = json_object_new_object(), *locs, *loc;
        _cleanup_free_ char *text = xasprintf("check could not be evaluated: %s",
                                              res->observed ? res->observed : "");

        json_object_object_add(n, "level", json_object_new_string("error"));
        json_object_object_add(n, "message", jtext(text ? text : "check could not be evaluated"));
        json_object_object_add(rule, "id", jstr(res->check->id));
        json_object_object_add(rule, "index", json_object_new_int64((int64_t) rule_index));
        json_object_object_add(n, "associatedRule", rule);
        loc = location(res);
        if (loc) {
                locs = json_object_new_array();
                json_object_array_add(locs, loc);
                json_object_object_add(n, "locations", locs);
        }
        return n;
}

static json_object *
counts_object(const unsigned *c)
{
        json_object *o = json_object_new_object();

        for (Status s = 0; s < _STATUS_MAX; s++)
                json_object_object_add(o, status_to_string(s), json_object_new_int64(c[s]));
        return o;
}

static json_object *
score_value(bool has, double v)
{
        char buf[32];

        if (!has)
                return NULL;
        snprintf(buf, sizeof(buf), "%.1f", v);
        return json_object_new_double_s(v, buf);
}

/* {"checks": N, "judged": J, "percent": P}, as the JSON report's
 * "coverage": what share of the selection was judged (pass, fail, waived). */
static json_object *
coverage_object(unsigned checks, unsigned judged)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "checks", json_object_new_int64(checks));
        json_object_object_add(o, "judged", json_object_new_int64(judged));
        json_object_object_add(o, "percent", score_value(true, checks ? score_round1(100.0 * judged / checks) : 0));
        return o;
}

static json_object *
run_properties(const Report *r)
{
        json_object *p = json_object_new_object(), *cats = json_object_new_object();

        json_object_object_add(p, "score", score_value(r->has_score, r->score));
        json_object_object_add(p, "summary", counts_object(r->summary));
        json_object_object_add(p, "coverage", coverage_object(r->checks, r->judged));
        for (size_t k = 0; k < r->n_categories; k++) {
                json_object *o = counts_object(r->categories[k].counts);
                _cleanup_free_ char *name = text_escape(ESCAPE_LINES, r->categories[k].name);

                json_object_object_add(o, "score", score_value(r->categories[k].has_score, r->categories[k].score));
                json_object_object_add(o, "coverage", coverage_object(r->categories[k].checks, r->categories[k].judged));
                if (!name) {
                        json_object_put(o);
                        json_object_put(cats);
                        json_object_put(p);
                        return NULL;
                }
                json_object_object_add(cats, name, o);
        }
        json_object_object_add(p, "categories", cats);
        if (r->hostname)
                json_object_object_add(p, "hostname", jstr(r->hostname));
        if (r->kernel)
                json_object_object_add(p, "kernel", jstr(r->kernel));
        return p;
}

static json_object *
sarif_build(const Report *r)
{
        json_object *root = json_object_new_object(), *runs = json_object_new_array(), *run = json_object_new_object();
        json_object *tool = json_object_new_object(), *driver = json_object_new_object();
        json_object *rules = json_object_new_array(), *results = json_object_new_array();
        json_object *invocations = json_object_new_array(), *inv = json_object_new_object();
        json_object *notes = json_object_new_array();
        size_t n_rules = 0;

        json_object_object_add(root, "$schema", json_object_new_string(SARIF_SCHEMA_URI));
        json_object_object_add(root, "version", json_object_new_string("2.1.0"));

        json_object_object_add(driver, "name", json_object_new_string("kvmaudit"));
        if (r->tool_version) {
                json_object_object_add(driver, "version", jstr(r->tool_version));
                json_object_object_add(driver, "semanticVersion", jstr(r->tool_version));
        }
        /* Optional [3.19.17]: the build's -Dhomepage=URL; a placeholder
         * would send every dashboard user to a page that does not exist. */
        if (PROJECT_HOMEPAGE[0])
                json_object_object_add(driver, "informationUri", json_object_new_string(PROJECT_HOMEPAGE));

        /* Results are sorted by category then id: a check's results are
         * adjacent, and its rule index is the count of checks before it. */
        for (size_t i = 0; i < r->results.n;) {
                const Check *c = r->results.v[i].check;
                size_t j;

                json_object_array_add(rules, rule_object(c));
                for (j = i; j < r->results.n && r->results.v[j].check == c; j++) {
                        const Result *res = &r->results.v[j];
                        json_object *o = NULL;

                        if (res->status == STATUS_FAIL || res->status == STATUS_WAIVED) {
                                o = result_object(res, n_rules);
                                if (!o)
                                        goto oom;
                                json_object_array_add(results, o);
                        } else if (res->status == STATUS_ERROR)
                                json_object_array_add(notes, error_notification(res, n_rules));
                }
                n_rules++;
                i = j;
        }
        json_object_object_add(driver, "rules", rules);
        rules = NULL;
        json_object_object_add(tool, "driver", driver);
        driver = NULL;
        json_object_object_add(run, "tool", tool);
        tool = NULL;

        /* Errored checks do not stop a scan: the run completed. */
        json_object_object_add(inv, "executionSuccessful", json_object_new_boolean(1));
        if (r->started_at)
                json_object_object_add(inv, "startTimeUtc", jstr(r->started_at));
        json_object_object_add(inv, "toolExecutionNotifications", notes);
        notes = NULL;
        json_object_array_add(invocations, inv);
        inv = NULL;
        json_object_object_add(run, "invocations", invocations);
        invocations = NULL;

        json_object_object_add(run, "results", results);
        results = NULL;
        json_object_object_add(run, "properties", run_properties(r));
        json_object_array_add(runs, run);
        json_object_object_add(root, "runs", runs);
        return root;

oom:
        json_object_put(root);
        json_object_put(runs);
        json_object_put(run);
        json_object_put(tool);
        json_object_put(driver);
        json_object_put(rules);
        json_object_put(results);
        json_object_put(invocations);
        json_object_put(inv);
        json_object_put(notes);
        return NULL;
}

int
render_sarif(const Report *r, const RenderOptions *o, FILE *out)
{
        json_object *root;
        const char *s;

        (void) o;
        root = sarif_build(r);
        if (!root)
                return -ENOMEM;
        s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s) {
                json_object_put(root);
                return -ENOMEM;
        }
        /* json-c writes C1 controls and bytes that are not UTF-8 (an
         * object key, a file URI) as they are */
        fputs_json_safe(out, s);
        fputc('\n', out);
        json_object_put(root);
        return ferror(out) ? -EIO : 0;
}
