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
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

typedef struct Writer {
        FILE *out;
        unsigned depth;
        bool first;             /* no member written yet at this depth */
        size_t len;             /* bytes waiting in buf */
        char buf[64 * 1024];
} Writer;

static void
flush(Writer *w)
{
        if (w->len > 0)
                fwrite_unlocked(w->buf, 1, w->len, w->out);
        w->len = 0;
}

static void
put(Writer *w, const char *s, size_t n)
{
        if (n > sizeof(w->buf) - w->len) {
                flush(w);
                if (n > sizeof(w->buf)) {
                        fwrite_unlocked(s, 1, n, w->out);
                        return;
                }
        }
        memcpy(w->buf + w->len, s, n);
        w->len += n;
}

#define PUT(w, lit) put((w), (lit), sizeof(lit) - 1)

static void
indent(Writer *w)
{
        static const char spaces[] = "                                ";

        put(w, spaces, w->depth * 2 < sizeof(spaces) - 1 ? w->depth * 2 : sizeof(spaces) - 1);
}

/* Runs of characters that need no escaping go out in one fwrite: the
 * report of a large host is tens of megabytes of text.  Besides what JSON
 * must escape, DEL, C1 and bidi controls are written as \u escapes (the
 * same string to a reader, nothing raw for a terminal), and a byte that
 * is not UTF-8 as the visible text \xNN (JSON is UTF-8). */
static void
put_string(Writer *w, const char *s)
{
        const unsigned char *p = (const unsigned char *) s, *run = p;

        PUT(w, "\"");
        for (;;) {
                unsigned char c = *p;
                char esc[16];
                uint32_t cp = c;
                size_t n = 1;

                if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                        p++;
                        continue;
                }
                if (c >= 0x7f) {
                        n = utf8_decode((const char *) p, &cp);
                        if (n > 0 && !escape_codepoint_special(cp)) {
                                p += n;
                                continue;
                        }
                }
                if (p > run)
                        put(w, (const char *) run, (size_t) (p - run));
                if (c == '\0')
                        break;
                switch (n == 0 ? 0x100 : cp) {
                case '"': PUT(w, "\\\""); break;
                case '\\': PUT(w, "\\\\"); break;
                case '\n': PUT(w, "\\n"); break;
                case '\r': PUT(w, "\\r"); break;
                case '\t': PUT(w, "\\t"); break;
                case '\b': PUT(w, "\\b"); break;
                case '\f': PUT(w, "\\f"); break;
                case 0x100:
                        put(w, esc, (size_t) snprintf(esc, sizeof(esc), "\\\\x%02x", c));
                        n = 1;
                        break;
                default:
                        put(w, esc, (size_t) snprintf(esc, sizeof(esc), "\\u%04x", (unsigned) cp));
                        break;
                }
                p += n;
                run = p;
        }
        PUT(w, "\"");
}

/* Starts a member ("key": ) or an array element at the current depth. */
static void
member(Writer *w, const char *key)
{
        if (!w->first)
                PUT(w, ",");
        PUT(w, "\n");
        w->first = false;
        indent(w);
        if (key) {
                put_string(w, key);
                PUT(w, ": ");
        }
}

static void
open_(Writer *w, const char *key, char c)
{
        member(w, key);
        put(w, &c, 1);
        w->depth++;
        w->first = true;
}

static void
close_(Writer *w, char c)
{
        w->depth--;
        PUT(w, "\n");
        indent(w);
        put(w, &c, 1);
        w->first = false;
}

static void
str(Writer *w, const char *key, const char *v)
{
        member(w, key);
        if (v)
                put_string(w, v);
        else
                PUT(w, "null");
}

static void
num(Writer *w, const char *key, long long v)
{
        char buf[32];
        int n = snprintf(buf, sizeof(buf), "%lld", v);

        member(w, key);
        put(w, buf, (size_t) n);
}

/* One decimal, printed exactly as computed ("73.5", "100.0"). */
static void
score(Writer *w, const char *key, bool has, double v)
{
        char buf[32];
        int n = has ? snprintf(buf, sizeof(buf), "%.1f", v) : snprintf(buf, sizeof(buf), "null");

        member(w, key);
        put(w, buf, (size_t) n);
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
        /* 64 KiB of buffer: on the heap, not the stack. */
        _cleanup_free_ Writer *w = calloc(1, sizeof(Writer));

        (void) o;
        if (!w)
                return -ENOMEM;
        w->out = out;
        w->first = true;
        PUT(w, "{");
        w->depth = 1;
        num(w, "schema_version", REPORT_SCHEMA_VERSION);
        open_(w, "tool", '{');
        str(w, "name", "kvmaudit");
        str(w, "version", r->tool_version);
        close_(w, '}');
        open_(w, "host", '{');
        str(w, "hostname", r->hostname);
        str(w, "kernel", r->kernel);
        str(w, "root", r->root);
        str(w, "libvirt_uri", r->libvirt_uri);
        close_(w, '}');
        str(w, "started_at", r->started_at);
        if (r->duration_ms >= 0)
                num(w, "duration_ms", r->duration_ms);
        else
                str(w, "duration_ms", NULL);
        if (r->kconfig_source)
                str(w, "kconfig_source", r->kconfig_source);
        if (r->selection.recorded) {
                const ReportSelection *sel = &r->selection;

                open_(w, "selection", '{');
                /* the gate keeps the key of its option, --profile (schema) */
                str(w, "profile", sel->gate);
                open_(w, "only", '[');
                STRV_FOREACH(s, sel->only)
                        str(w, NULL, *s);
                close_(w, ']');
                open_(w, "skip", '[');
                STRV_FOREACH(s, sel->skip)
                        str(w, NULL, *s);
                close_(w, ']');
                str(w, "waivers", sel->waivers);
                str(w, "waivers_sha256", sel->waivers_sha256);
                score(w, "min_coverage", sel->min_coverage >= 0, sel->min_coverage);
                close_(w, '}');
        }
        score(w, "score", r->has_score, r->score);
        open_(w, "coverage", '{');
        num(w, "checks", r->checks);
        num(w, "judged", r->judged);
        score(w, "percent", true, r->coverage);
        close_(w, '}');

        open_(w, "categories", '{');
        for (size_t i = 0; i < r->n_categories; i++) {
                open_(w, r->categories[i].name, '{');
                counts(w, r->categories[i].counts);
                score(w, "score", r->categories[i].has_score, r->categories[i].score);
                num(w, "checks", r->categories[i].checks);
                num(w, "judged", r->categories[i].judged);
                close_(w, '}');
        }
        close_(w, '}');
        open_(w, "summary", '{');
        counts(w, r->summary);
        close_(w, '}');
        if (r->warnings && r->warnings[0]) {
                open_(w, "warnings", '[');
                STRV_FOREACH(s, r->warnings)
                        str(w, NULL, *s);
                close_(w, ']');
        }

        open_(w, "results", '[');
        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i];
                const Check *c = res->check;

                open_(w, NULL, '{');
                str(w, "id", c->id);
                str(w, "category", c->category);
                str(w, "severity", severity_to_string(c->severity));
                str(w, "status", status_to_string(res->status));
                str(w, "subject", res->subject);
                str(w, "observed", res->observed);
                str(w, "expected", res->expected);
                if (res->waiver)
                        str(w, "waiver", res->waiver);
                if (res->location) {
                        /* the file behind the finding, on the audited host */
                        open_(w, "location", '{');
                        str(w, "path", res->location);
                        if (res->location_line > 0)
                                num(w, "line", res->location_line);
                        close_(w, '}');
                }
                str(w, "title", c->title);
                str(w, "rationale", c->rationale);
                str(w, "remediation", c->remediation);
                open_(w, "refs", '[');
                STRV_FOREACH(ref, c->refs)
                        str(w, NULL, *ref);
                close_(w, ']');
                str(w, "source", c->source ? c->source : "");
                open_(w, "controls", '{');
                for (Framework f = 0; f < _FRAMEWORK_MAX; f++) {
                        if (!c->controls[f])
                                continue;
                        open_(w, framework_to_string(f), '[');
                        STRV_FOREACH(id, c->controls[f])
                                str(w, NULL, *id);
                        close_(w, ']');
                }
                close_(w, '}');
                close_(w, '}');
        }
        close_(w, ']');
        if (r->has_framework) {
                open_(w, "framework", '{');
                str(w, "name", framework_to_string(r->framework));
                str(w, "title", framework_title(r->framework));
                open_(w, "controls", '[');
                for (size_t i = 0; i < r->n_controls; i++) {
                        const ControlView *v = &r->controls[i];

                        open_(w, NULL, '{');
                        str(w, "id", v->id);
                        str(w, "status", control_status_to_string(v->status));
                        open_(w, "counts", '{');
                        counts(w, v->counts);
                        close_(w, '}');
                        open_(w, "checks", '[');
                        STRV_FOREACH(id, v->checks)
                                str(w, NULL, *id);
                        close_(w, ']');
                        close_(w, '}');
                }
                close_(w, ']');
                close_(w, '}');
        }
        PUT(w, "\n}\n");
        flush(w);
        return ferror(out) ? -EIO : 0;
}
