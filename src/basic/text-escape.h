/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Escaping for every human-readable output, in one place.  Strings in a
 * report come from hostile sources (host names, file names under /boot,
 * facts files, report files given to "kvmaudit report" and "diff"), so
 * every renderer and every message that echoes input writes them through
 * one of these styles.  Nothing is ever dropped: a character that cannot
 * be written as it is becomes a visible escape,
 *
 *   C0 controls, DEL      \n \r \t \x1b \x7f
 *   C1 controls           \u009b   (U+0080-U+009F: 0x9b is a CSI to a terminal)
 *   line separators,
 *   bidi controls         \u2028 \u202e ...   (they reorder or break lines)
 *   U+FFFE, U+FFFF        \uFFFE \uFFFF       (not XML 1.0 characters)
 *   bytes not UTF-8       \xff     (also overlong forms and surrogates)
 *
 * and the syntax characters of the output are escaped the way it wants.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

typedef enum EscapeStyle {
        /* One line of terminal text (text report, diff, error messages):
         * every control visible, tab and newline too. */
        ESCAPE_LINE,
        /* Text that may span lines (XML character data and attributes,
         * SARIF strings): tab and newline kept, every other control
         * visible.  What remains is valid XML 1.0 and valid UTF-8. */
        ESCAPE_LINES,
        /* HTML text or quoted attribute value: ESCAPE_LINES plus & < > " '
         * as entities. */
        ESCAPE_HTML,
        /* As ESCAPE_HTML, and newlines visible: HTML inside markdown,
         * where a blank line ends the HTML block. */
        ESCAPE_HTML_LINE,
        /* Markdown inline text, safe in a table cell: markdown punctuation
         * backslash-escaped (a "|" never splits a cell, a "<" never opens
         * HTML), newlines as <br>. */
        ESCAPE_MARKDOWN,
        /* A check id in markdown: a `code span` when it is a plain slug
         * (nothing in it can end the span or split a cell), otherwise
         * ESCAPE_MARKDOWN text. */
        ESCAPE_MARKDOWN_CODE,
        /* Markdown prose from the catalogue (remediation): its `code
         * spans` are kept, matched by backtick runs as CommonMark matches
         * them; outside them as ESCAPE_MARKDOWN. */
        ESCAPE_MARKDOWN_PROSE,
        /* A Prometheus label value (exposition format 0.0.4): backslash,
         * double quote and newline escaped; other controls visible. */
        ESCAPE_PROMETHEUS,
        _ESCAPE_STYLE_MAX,
        _ESCAPE_STYLE_INVALID = -EINVAL,
} EscapeStyle;

/*
 * Length of the valid UTF-8 sequence at @p (1 to 4) and its code point in
 * @ret_cp; 0 when the bytes at @p are not one (a stray continuation byte,
 * an overlong form, a surrogate, beyond U+10FFFF, cut short).  @p is
 * NUL-terminated; a NUL ends any sequence.
 */
size_t utf8_decode(const char *p, uint32_t *ret_cp);

/*
 * True for the code points every style writes as a visible escape
 * (controls, line separators, bidi controls, U+FFFE, U+FFFF); JSON
 * writers use it to pick what to write as \uXXXX.
 */
bool escape_codepoint_special(uint32_t cp);

/* True when @s needs no escaping in @style: the fast path of a writer. */
bool escape_is_plain(EscapeStyle style, const char *s);

/* Appends @s (NULL as "") escaped for @style. */
void strbuf_append_escaped(StrBuf *b, EscapeStyle style, const char *s);

/* @s escaped for @style as a new string (caller frees); NULL on OOM. */
char *text_escape(EscapeStyle style, const char *s);

/* Writes @s escaped for @style to @f; allocates nothing (errors show in
 * ferror(@f)). */
void fputs_escaped(FILE *f, EscapeStyle style, const char *s);

/*
 * JSON text, as json-c or a writer serialized it, made safe to show: DEL
 * and C1 controls inside strings become \u007f..\u009f (the same
 * characters to a JSON reader), bytes that are not UTF-8 become the
 * visible text \xNN ("\\xff" in JSON).  Outside strings JSON is ASCII, so
 * this never changes structure.  Appends to @b.
 */
void strbuf_append_json_safe(StrBuf *b, const char *json);
/* The same, written to @f. */
void fputs_json_safe(FILE *f, const char *json);
