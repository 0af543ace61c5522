/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSON report of DESIGN.md, schema_version 1.
 *
 * Written as a stream, not built as a json-c tree: a fleet host with a
 * thousand VMs has tens of thousands of results, and a tree of them cost
 * more time and memory than the whole scan.  The layout is json-c's
 * PRETTY|SPACED|NOSLASHESCAPE output (two-space indent, "key": value),
 * which report-load.c and every consumer read back.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "util.h"

typedef struct Writer {
        FILE *out;
        unsigned depth;
        bool first;             /* no member written yet at this depth */
} Writer;

static void
indent(Writer *w)
{
        static const char spaces[] = "                                ";

        fwrite_unlocked(spaces, 1, w->depth * 2 < sizeof(spaces) - 1 ? w->depth * 2 : sizeof(spaces) - 1, w->out);
}

/* Runs of characters that need no escaping go out in one fwrite: the
 * report of a large host is tens of megabytes of text. */
static void
put_string(FILE *out, const char *s)
{
        const unsigned char *p = (const unsigned char *) s, *run = p;

        fputc_unlocked('"', out);
        for (;; p++) {
                unsigned char c = *p;

                if (c >= 0x20 && c != '"' && c != '\\')
                        continue;
                if (p > run)
                        fwrite_unlocked(run, 1, (size_t) (p - run), out);
                if (c == '\0')
                        break;
                switch (c) {
                case '"': fputs_unlocked("\\\"", out); break;
                case '\\': fputs_unlocked("\\\\", out); break;
                case '\n': fputs_unlocked("\\n", out); break;
                case '\r': fputs_unlocked("\\r", out); break;
                case '\t': fputs_unlocked("\\t", out); break;
                case '\b': fputs_unlocked("\\b", out); break;
                case '\f': fputs_unlocked("\\f", out); break;
                default: fprintf(out, "\\u%04x", c); break;
                }
                run = p + 1;
        }
        fputc_unlocked('"', out);
}

/* Starts a member ("key": ) or an array element at the current depth. */
static void
member(Writer *w, const char *key)
{
        if (!w->first)
                fputc(',', w->out);
        fputc('\n', w->out);
        w->first = false;
        indent(w);
        if (key) {
                put_string(w->out, key);
                fputs(": ", w->out);
        }
}

static void
open_(Writer *w, const char *key, char c)
{
        member(w, key);
        fputc(c, w->out);
        w->depth++;
        w->first = true;
}

static void
close_(Writer *w, char c)
{
        w->depth--;
        fputc('\n', w->out);
        indent(w);
        fputc(c, w->out);
        w->first = false;
}

static void
str(Writer *w, const char *key, const char *v)
{
        member(w, key);
        if (v)
                put_string(w->out, v);
        else
                fputs("null", w->out);
}

static void
num(Writer *w, const char *key, long long v)
{
        member(w, key);
        fprintf(w->out, "%lld", v);
}

/* One decimal, printed exactly as computed ("73.5", "100.0"). */
static void
score(Writer *w, const char *key, bool has, double v)
{
        member(w, key);
        if (has)
                fprintf(w->out, "%.1f", v);
        else
                fputs("null", w->out);
}

static void
counts(Writer *w, const unsigned *c)
{
        for (Status s = 0; s < _STATUS_MAX; s++)
                num(w, status_to_string(s), c[s]);
}

int
render_json(const Report *r, const RenderOptions *o, FILE *out)
{
        Writer w = {.out = out, .first = true};

        (void) o;
        fputc('{', out);
        w.depth = 1;
        num(&w, "schema_version", REPORT_SCHEMA_VERSION);
        open_(&w, "tool", '{');
        str(&w, "name", "kvmaudit");
        str(&w, "version", r->tool_version);
        close_(&w, '}');
        open_(&w, "host", '{');
        str(&w, "hostname", r->hostname);
        str(&w, "kernel", r->kernel);
        str(&w, "root", r->root);
        str(&w, "libvirt_uri", r->libvirt_uri);
        close_(&w, '}');
        str(&w, "started_at", r->started_at);
        if (r->duration_ms >= 0)
                num(&w, "duration_ms", r->duration_ms);
        else
                str(&w, "duration_ms", NULL);
        if (r->kconfig_source)
                str(&w, "kconfig_source", r->kconfig_source);
        score(&w, "score", r->has_score, r->score);

        open_(&w, "categories", '{');
        for (size_t i = 0; i < r->n_categories; i++) {
                open_(&w, r->categories[i].name, '{');
                counts(&w, r->categories[i].counts);
                score(&w, "score", r->categories[i].has_score, r->categories[i].score);
                close_(&w, '}');
        }
        close_(&w, '}');
        open_(&w, "summary", '{');
        counts(&w, r->summary);
        close_(&w, '}');
        if (r->warnings && r->warnings[0]) {
                open_(&w, "warnings", '[');
                STRV_FOREACH(s, r->warnings)
                        str(&w, NULL, *s);
                close_(&w, ']');
        }

        open_(&w, "results", '[');
        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i];
                const Check *c = res->check;

                open_(&w, NULL, '{');
                str(&w, "id", c->id);
                str(&w, "category", c->category);
                str(&w, "severity", severity_to_string(c->severity));
                str(&w, "status", status_to_string(res->status));
                str(&w, "subject", res->subject);
                str(&w, "observed", res->observed);
                str(&w, "expected", res->expected);
                if (res->waiver)
                        str(&w, "waiver", res->waiver);
                str(&w, "title", c->title);
                str(&w, "rationale", c->rationale);
                str(&w, "remediation", c->remediation);
                open_(&w, "refs", '[');
                STRV_FOREACH(ref, c->refs)
                        str(&w, NULL, *ref);
                close_(&w, ']');
                str(&w, "source", c->source ? c->source : "");
                close_(&w, '}');
        }
        close_(&w, ']');
        fputs("\n}\n", out);
        return ferror(out) ? -EIO : 0;
}
