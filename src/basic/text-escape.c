/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One escaping helper per output syntax (see text-escape.h). */
#include <string.h>

#include "text-escape.h"

size_t
utf8_decode(const char *s, uint32_t *ret_cp)
{
        const unsigned char *p = (const unsigned char *) s;
        uint32_t cp;
        size_t n;

        if (p[0] < 0x80) {
                *ret_cp = p[0];
                return 1;
        }
        if (p[0] >= 0xc2 && p[0] <= 0xdf)
                n = 2, cp = p[0] & 0x1f;
        else if (p[0] >= 0xe0 && p[0] <= 0xef)
                n = 3, cp = p[0] & 0x0f;
        else if (p[0] >= 0xf0 && p[0] <= 0xf4)
                n = 4, cp = p[0] & 0x07;
        else
                return 0;       /* continuation byte, 0xc0/0xc1, 0xf5.. */
        for (size_t i = 1; i < n; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;       /* also stops at the NUL */
                cp = cp << 6 | (p[i] & 0x3f);
        }
        /* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        *ret_cp = cp;
        return n;
}

/* Where escaped text goes: a StrBuf, or a FILE without any allocation. */
typedef struct Sink {
        StrBuf *b;
        FILE *f;
} Sink;

static void
sink_put(Sink *o, const char *s, size_t n)
{
        if (o->b)
                strbuf_appendn(o->b, s, n);
        else
                fwrite(s, 1, n, o->f);
}

static void
sink_puts(Sink *o, const char *s)
{
        sink_put(o, s, strlen(s));
}

bool
escape_codepoint_special(uint32_t cp)
{
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
               /* ALM, LRM and RLM; line and paragraph separators (a line
                * break to JavaScript and some viewers); the embedding,
                * override and isolate controls that reorder a line as it
                * is shown ("Trojan Source", CVE-2021-42574) */
               cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
               (cp >= 0x2066 && cp <= 0x2069) ||
               /* not characters in XML 1.0; dropped or fatal in libxml2 */
               cp == 0xfffe || cp == 0xffff;
}

static bool
style_keeps_newline(EscapeStyle style)
{
        return style == ESCAPE_LINES || style == ESCAPE_HTML;
}

/* The visible form of a special code point or an invalid byte (@cp
 * < 0x100 and @invalid): "\n", "\x1b", "\u009b", "\xff". */
static void
append_visible(Sink *o, EscapeStyle style, uint32_t cp, bool invalid)
{
        /* A Prometheus label value knows only \\, \" and \n: the
         * backslash of our escape is a backslash of the value. */
        const char *bs = style == ESCAPE_PROMETHEUS ? "\\\\" : "\\";
        char buf[16];

        if (invalid || cp < 0x20 || cp == 0x7f) {
                switch (invalid ? 0x100 : cp) {
                case '\n': snprintf(buf, sizeof(buf), "%sn", bs); break;
                case '\r': snprintf(buf, sizeof(buf), "%sr", bs); break;
                case '\t': snprintf(buf, sizeof(buf), "%st", bs); break;
                default: snprintf(buf, sizeof(buf), "%sx%02x", bs, (unsigned) cp); break;
                }
        } else
                snprintf(buf, sizeof(buf), "%su%04x", bs, (unsigned) cp);
        sink_puts(o, buf);
}

static bool
isalnum_ascii(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A plain check id: nothing in it ends a code span or splits a cell. */
static bool
is_slug(const char *s)
{
        return s[0] && s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:")] == '\0';
}

/* The markdown punctuation escaped in inline text; in catalogue prose only
 * what opens HTML, an entity, a table cell, a link or an image ("![](URL)"
 * fetches like <img>): emphasis there is harmless and stays readable. */
#define MARKDOWN_SYNTAX "\\|`*_[]<>&~#"
#define MARKDOWN_PROSE_SYNTAX "\\|<>&[]"

/* One character of markdown text.  @start is the whole string, for the
 * intraword test. */
static void
append_markdown_char(Sink *o, EscapeStyle style, const char *start, const char *p)
{
        /* An underscore inside a word never starts emphasis: leave
         * "kvm_intel" readable. */
        bool intraword = *p == '_' && p > start && isalnum_ascii(p[-1]) && isalnum_ascii(p[1]);

        if (strchr(style == ESCAPE_MARKDOWN_PROSE ? MARKDOWN_PROSE_SYNTAX : MARKDOWN_SYNTAX, *p) && !intraword)
                sink_put(o, "\\", 1);
        sink_put(o, p, 1);
}

static void
append_html_char(Sink *o, char c)
{
        switch (c) {
        case '&': sink_puts(o, "&amp;"); break;
        case '<': sink_puts(o, "&lt;"); break;
        case '>': sink_puts(o, "&gt;"); break;
        case '"': sink_puts(o, "&quot;"); break;
        case '\'': sink_puts(o, "&#39;"); break;
        default: sink_put(o, &c, 1); break;
        }
}

/*
 * Appends @s[0..@len) in @style; @code is true inside a markdown code
 * span (ESCAPE_MARKDOWN_PROSE), where only controls are escaped and a
 * newline is a space.
 */
static void
append_span(Sink *o, EscapeStyle style, const char *start, const char *s, size_t len, bool code)
{
        const char *end = s + len;

        for (const char *p = s; p < end;) {
                uint32_t cp;
                size_t n = utf8_decode(p, &cp);

                if (n == 0 || p + n > end) {
                        append_visible(o, style, (unsigned char) *p, true);
                        p++;
                        continue;
                }
                if (escape_codepoint_special(cp)) {
                        if (cp == '\n' && code)
                                sink_puts(o, " ");
                        else if (cp == '\n' && (style == ESCAPE_MARKDOWN || style == ESCAPE_MARKDOWN_CODE ||
                                                style == ESCAPE_MARKDOWN_PROSE))
                                sink_puts(o, "<br>");
                        else if (cp == '\n' && style == ESCAPE_PROMETHEUS)
                                sink_puts(o, "\\n");
                        else if ((cp == '\n' || cp == '\t') && style_keeps_newline(style))
                                sink_put(o, p, 1);
                        else
                                append_visible(o, style, cp, false);
                        p += n;
                        continue;
                }
                if (n > 1 || code) {
                        sink_put(o, p, n);
                        p += n;
                        continue;
                }
                switch (style) {
                case ESCAPE_HTML:
                case ESCAPE_HTML_LINE:
                        append_html_char(o, *p);
                        break;
                case ESCAPE_MARKDOWN:
                case ESCAPE_MARKDOWN_CODE:
                case ESCAPE_MARKDOWN_PROSE:
                        append_markdown_char(o, style, start, p);
                        break;
                case ESCAPE_PROMETHEUS:
                        if (*p == '\\' || *p == '"')
                                sink_put(o, "\\", 1);
                        sink_put(o, p, 1);
                        break;
                default:
                        sink_put(o, p, 1);
                        break;
                }
                p++;
        }
}

/* Length of the run of backticks at @p. */
static size_t
backtick_run(const char *p)
{
        return strspn(p, "`");
}

/* The next run of exactly @n backticks at or after @p, or NULL. */
static const char *
find_closing_run(const char *p, size_t n)
{
        for (p = strchr(p, '`'); p; p = strchr(p, '`')) {
                size_t k = backtick_run(p);

                if (k == n)
                        return p;
                p += k;
        }
        return NULL;
}

/* Catalogue prose: a run of N backticks opens a code span when a run of
 * exactly N follows (CommonMark 6.1), and stays literal otherwise. */
static void
append_markdown_prose(Sink *o, const char *s)
{
        const char *p = s;

        while (*p) {
                const char *tick = strchr(p, '`'), *close;
                size_t n;

                if (!tick) {
                        append_span(o, ESCAPE_MARKDOWN_PROSE, s, p, strlen(p), false);
                        return;
                }
                append_span(o, ESCAPE_MARKDOWN_PROSE, s, p, (size_t) (tick - p), false);
                n = backtick_run(tick);
                close = find_closing_run(tick + n, n);
                if (!close) {
                        for (size_t i = 0; i < n; i++)
                                sink_puts(o, "\\`");
                        p = tick + n;
                        continue;
                }
                sink_put(o, tick, n);
                append_span(o, ESCAPE_MARKDOWN_PROSE, s, tick + n, (size_t) (close - tick - n), true);
                sink_put(o, close, n);
                p = close + n;
        }
}

bool
escape_is_plain(EscapeStyle style, const char *s)
{
        static const char *const syntax[_ESCAPE_STYLE_MAX] = {
                [ESCAPE_HTML] = "&<>\"'",
                [ESCAPE_HTML_LINE] = "&<>\"'",
                [ESCAPE_MARKDOWN] = MARKDOWN_SYNTAX,
                [ESCAPE_MARKDOWN_CODE] = MARKDOWN_SYNTAX,
                [ESCAPE_MARKDOWN_PROSE] = MARKDOWN_PROSE_SYNTAX "`",
                [ESCAPE_PROMETHEUS] = "\\\"",
        };

        if (!s)
                return true;
        if (style == ESCAPE_MARKDOWN_CODE)
                return false;   /* a slug still gets its backticks */
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                if (*p < 0x20 || *p >= 0x7f || (syntax[style] && strchr(syntax[style], *p)))
                        return false;
        return true;
}

static void
escape_to(Sink *o, EscapeStyle style, const char *s)
{
        if (!s)
                return;
        if (style == ESCAPE_MARKDOWN_CODE && is_slug(s)) {
                sink_puts(o, "`");
                sink_puts(o, s);
                sink_puts(o, "`");
                return;
        }
        if (style == ESCAPE_MARKDOWN_PROSE) {
                append_markdown_prose(o, s);
                return;
        }
        append_span(o, style, s, s, strlen(s), false);
}

void
strbuf_append_escaped(StrBuf *b, EscapeStyle style, const char *s)
{
        escape_to(&(Sink) {.b = b}, style, s);
}

char *
text_escape(EscapeStyle style, const char *s)
{
        StrBuf b = {};

        strbuf_append_escaped(&b, style, s);
        return strbuf_steal(&b);
}

void
fputs_escaped(FILE *f, EscapeStyle style, const char *s)
{
        if (escape_is_plain(style, s)) {
                if (s)
                        fputs(s, f);
                return;
        }
        escape_to(&(Sink) {.f = f}, style, s);
}

static void
json_safe_to(Sink *o, const char *json)
{
        const char *p = json, *run = json;

        while (*p) {
                char buf[16];
                uint32_t cp;
                size_t n;

                if ((unsigned char) *p < 0x7f) {
                        p++;
                        continue;
                }
                n = utf8_decode(p, &cp);
                if (n > 0 && !escape_codepoint_special(cp)) {
                        p += n;
                        continue;
                }
                sink_put(o, run, (size_t) (p - run));
                if (n == 0) {
                        /* "\\xff": the visible text \xff in the string */
                        snprintf(buf, sizeof(buf), "\\\\x%02x", (unsigned char) *p);
                        p++;
                } else {
                        snprintf(buf, sizeof(buf), "\\u%04x", (unsigned) cp);
                        p += n;
                }
                sink_puts(o, buf);
                run = p;
        }
        sink_put(o, run, (size_t) (p - run));
}

void
strbuf_append_json_safe(StrBuf *b, const char *json)
{
        json_safe_to(&(Sink) {.b = b}, json);
}

void
fputs_json_safe(FILE *f, const char *json)
{
        json_safe_to(&(Sink) {.f = f}, json);
}
