/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON report of DESIGN.md, schema_version 1. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "util.h"

static json_object *
jstr(const char *s)
{
        return s ? json_object_new_string(s) : NULL; /* NULL serializes as null */
}

/* One decimal, printed exactly as computed ("73.5", "100.0"). */
static json_object *
jscore(bool has, double v)
{
        char buf[32];

        if (!has)
                return NULL;
        snprintf(buf, sizeof(buf), "%.1f", v);
        return json_object_new_double_s(v, buf);
}

static json_object *
counts(const unsigned *c)
{
        json_object *o = json_object_new_object();

        for (Status s = 0; s < _STATUS_MAX; s++)
                json_object_object_add(o, status_to_string(s), json_object_new_int64(c[s]));
        return o;
}

json_object *report_to_json(const Report *r);

json_object *
report_to_json(const Report *r)
{
        json_object *root = json_object_new_object(), *o, *cats, *results;

        json_object_object_add(root, "schema_version", json_object_new_int(REPORT_SCHEMA_VERSION));
        o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string("kvmaudit"));
        json_object_object_add(o, "version", jstr(r->tool_version));
        json_object_object_add(root, "tool", o);

        o = json_object_new_object();
        json_object_object_add(o, "hostname", jstr(r->hostname));
        json_object_object_add(o, "kernel", jstr(r->kernel));
        json_object_object_add(o, "root", jstr(r->root));
        json_object_object_add(o, "libvirt_uri", jstr(r->libvirt_uri));
        json_object_object_add(root, "host", o);
        json_object_object_add(root, "started_at", jstr(r->started_at));
        json_object_object_add(root, "duration_ms", r->duration_ms >= 0 ? json_object_new_int64(r->duration_ms) : NULL);
        if (r->kconfig_source)
                json_object_object_add(root, "kconfig_source", jstr(r->kconfig_source));
        json_object_object_add(root, "score", jscore(r->has_score, r->score));

        cats = json_object_new_object();
        for (size_t i = 0; i < r->n_categories; i++) {
                o = counts(r->categories[i].counts);
                json_object_object_add(o, "score", jscore(r->categories[i].has_score, r->categories[i].score));
                json_object_object_add(cats, r->categories[i].name, o);
        }
        json_object_object_add(root, "categories", cats);
        json_object_object_add(root, "summary", counts(r->summary));

        /* Only when there are any, so reports without them stay as they were. */
        if (r->warnings && r->warnings[0]) {
                json_object *warnings = json_object_new_array();
                for (char **w = r->warnings; *w; w++)
                        json_object_array_add(warnings, json_object_new_string(*w));
                json_object_object_add(root, "warnings", warnings);
        }

        results = json_object_new_array();
        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i];
                const Check *c = res->check;
                json_object *refs = json_object_new_array();

                o = json_object_new_object();
                json_object_object_add(o, "id", jstr(c->id));
                json_object_object_add(o, "category", jstr(c->category));
                json_object_object_add(o, "severity", jstr(severity_to_string(c->severity)));
                json_object_object_add(o, "status", jstr(status_to_string(res->status)));
                json_object_object_add(o, "subject", jstr(res->subject));
                json_object_object_add(o, "observed", jstr(res->observed));
                json_object_object_add(o, "expected", jstr(res->expected));
                if (res->waiver)
                        json_object_object_add(o, "waiver", jstr(res->waiver));
                json_object_object_add(o, "title", jstr(c->title));
                json_object_object_add(o, "rationale", jstr(c->rationale));
                json_object_object_add(o, "remediation", jstr(c->remediation));
                for (char **ref = c->refs; ref && *ref; ref++)
                        json_object_array_add(refs, json_object_new_string(*ref));
                json_object_object_add(o, "refs", refs);
                json_object_object_add(o, "source", jstr(c->source ? c->source : ""));
                json_object_array_add(results, o);
        }
        json_object_object_add(root, "results", results);
        return root;
}

int
render_json(const Report *r, const RenderOptions *o, FILE *out)
{
        json_object *root = report_to_json(r);
        const char *s;

        (void) o;
        if (!root)
                return -ENOMEM;
        s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE);
        fputs(s, out);
        fputc('\n', out);
        json_object_put(root);
        return ferror(out) ? -EIO : 0;
}
