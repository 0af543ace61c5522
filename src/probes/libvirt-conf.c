/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvirt's configuration syntax, statement for statement as
 * src/util/virconf.c (libvirt 9.0) reads it: virConfParse() loops over
 * virConfParseStatement() and virConfParseSeparator(); a value is
 * virConfParseValue().  Where libvirt refuses a file the daemon does not
 * start, so we refuse it too, with libvirt's message and line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt-conf.h"
#include "strv.h"
#include "util.h"

/* Bounds on what a configuration file may make us hold. */
#define CONF_ENTRIES_MAX    4096u
#define CONF_LIST_MAX       4096u   /* elements of one list, nested ones included */
#define CONF_LIST_DEPTH_MAX 16u     /* libvirt recurses without a bound */

typedef struct Parser {
        const char *p, *end;
        unsigned line;
        const char *error;
} Parser;

void
libvirt_conf_entries_free(LibvirtConfEntry *e, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(e[i].name);
                free(e[i].value);
                strv_free(e[i].list);
        }
        free(e);
}

const LibvirtConfEntry *
libvirt_conf_lookup(const LibvirtConfEntry *e, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (streq(e[i].name, name))
                        return &e[i];
        return NULL;
}

static int
fail(Parser *ps, const char *msg)
{
        ps->error = msg;
        return -EBADMSG;
}

/* libvirt's character classes are ASCII (g_ascii_*), whatever the locale. */
static bool
is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static bool
is_eol(char c)
{
        return c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
at_end(const Parser *ps)
{
        return ps->p >= ps->end;
}

/* The current character; at the end the text's terminating NUL, as in
 * libvirt, where CUR reads it too. */
static char
cur(const Parser *ps)
{
        return at_end(ps) ? '\0' : *ps->p;
}

static void
next(Parser *ps)
{
        if (!at_end(ps))
                ps->p++;
}

static void
skip_blanks(Parser *ps)
{
        while (!at_end(ps) && is_blank(*ps->p))
                ps->p++;
}

static void
skip_blanks_and_eol(Parser *ps)
{
        while (!at_end(ps) && (is_blank(*ps->p) || is_eol(*ps->p))) {
                if (*ps->p == '\n')
                        ps->line++;
                ps->p++;
        }
}

static void
skip_to_eol(Parser *ps)
{
        while (!at_end(ps) && !is_eol(*ps->p))
                ps->p++;
}

static int
parse_long(Parser *ps, char **ret)
{
        bool neg = false;
        uint64_t v = 0;

        if (cur(ps) == '-') {
                neg = true;
                next(ps);
        } else if (cur(ps) == '+')
                next(ps);
        if (at_end(ps) || !is_digit(cur(ps)))
                return fail(ps, "unterminated number");
        while (!at_end(ps) && is_digit(cur(ps))) {
                unsigned d = (unsigned) (cur(ps) - '0');

                /* libvirt accumulates in a long long and wraps; a value
                 * that does not fit is refused here instead. */
                if (v > (UINT64_MAX - d) / 10)
                        return fail(ps, "integer out of range");
                v = v * 10 + d;
                next(ps);
        }
        if (neg && v > (uint64_t) INT64_MAX + 1)
                return fail(ps, "integer out of range");
        *ret = xasprintf("%s%llu", neg && v > 0 ? "-" : "", (unsigned long long) v);
        return *ret ? 0 : -ENOMEM;
}

static int
parse_string(Parser *ps, char **ret)
{
        const char *base;

        if (cur(ps) == '\'' || (cur(ps) == '"' && !(ps->p + 6 < ps->end && strneq(ps->p, "\"\"\"", 3)))) {
                char q = cur(ps);

                next(ps);
                base = ps->p;
                while (!at_end(ps) && cur(ps) != q && !is_eol(cur(ps)))
                        next(ps);
                if (cur(ps) != q)
                        return fail(ps, "unterminated string");
                *ret = strndup(base, (size_t) (ps->p - base));
                next(ps);
        } else {
                /* python-style """...""": only when at least 7 bytes remain */
                ps->p += 3;
                base = ps->p;
                while (ps->p + 2 < ps->end && !strneq(ps->p, "\"\"\"", 3)) {
                        if (*ps->p == '\n')
                                ps->line++;
                        next(ps);
                }
                if (!strneq(ps->p, "\"\"\"", 3))
                        return fail(ps, "unterminated string");
                *ret = strndup(base, (size_t) (ps->p - base));
                ps->p += 3;
        }
        return *ret ? 0 : -ENOMEM;
}

typedef struct Value {
        LibvirtConfType type;
        char *scalar;
        char **list;
        bool nested;
} Value;

static void
value_done(Value *v)
{
        free(v->scalar);
        strv_free(v->list);
        *v = (Value) {};
}

static int parse_value(Parser *ps, unsigned depth, size_t *n_items, Value *ret);

/* Appends one parsed element to the list @v. */
static int
list_add(Parser *ps, unsigned depth, size_t *n_items, Value *v)
{
        Value e = {};
        int r;

        if (++*n_items > CONF_LIST_MAX)
                return fail(ps, "list too long");
        r = parse_value(ps, depth + 1, n_items, &e);
        if (r < 0)
                return r;
        if (e.type == LIBVIRT_CONF_LIST) {
                v->nested = true; /* kept as a mark only: no setting takes one */
                value_done(&e);
                return 0;
        }
        return strv_consume(&v->list, TAKE_PTR(e.scalar));
}

static int
parse_value(Parser *ps, unsigned depth, size_t *n_items, Value *ret)
{
        Value v = {};
        int r;

        skip_blanks(ps);
        if (at_end(ps))
                return fail(ps, "expecting a value");
        if (cur(ps) == '"' || cur(ps) == '\'') {
                v.type = LIBVIRT_CONF_STRING;
                r = parse_string(ps, &v.scalar);
        } else if (cur(ps) == '[') {
                if (depth >= CONF_LIST_DEPTH_MAX)
                        return fail(ps, "lists nested too deeply");
                v.type = LIBVIRT_CONF_LIST;
                v.list = calloc(1, sizeof(char *));
                if (!v.list)
                        return -ENOMEM;
                next(ps);
                skip_blanks_and_eol(ps);
                r = 0;
                if (!at_end(ps) && cur(ps) != ']') {
                        r = list_add(ps, depth, n_items, &v);
                        skip_blanks_and_eol(ps);
                }
                while (r >= 0 && !at_end(ps) && cur(ps) != ']') {
                        if (cur(ps) != ',') {
                                r = fail(ps, "expecting a separator in list");
                                break;
                        }
                        next(ps);
                        skip_blanks_and_eol(ps);
                        if (cur(ps) == ']')
                                break;
                        r = list_add(ps, depth, n_items, &v);
                        skip_blanks_and_eol(ps);
                }
                if (r >= 0) {
                        if (cur(ps) == ']')
                                next(ps);
                        else
                                r = fail(ps, "list is not closed with ]");
                }
        } else if (is_digit(cur(ps)) || cur(ps) == '-' || cur(ps) == '+') {
                v.type = LIBVIRT_CONF_LONG;
                r = parse_long(ps, &v.scalar);
        } else
                return fail(ps, "expecting a value");
        if (r < 0) {
                value_done(&v);
                return r;
        }
        *ret = v;
        return 0;
}

/* One statement: a comment, or NAME = VALUE [# comment].  *ret_e->name is
 * NULL for a comment. */
static int
parse_statement(Parser *ps, size_t *n_items, LibvirtConfEntry *ret_e)
{
        const char *base;
        Value v = {};
        int r;

        skip_blanks_and_eol(ps);
        if (cur(ps) == '#') {
                skip_to_eol(ps);
                *ret_e = (LibvirtConfEntry) {};
                return 0;
        }
        skip_blanks(ps);
        base = ps->p;
        if (!is_alpha(cur(ps)))
                return fail(ps, "expecting a name");
        while (!at_end(ps) && (is_alpha(cur(ps)) || is_digit(cur(ps)) || cur(ps) == '_'))
                next(ps);
        unsigned line = ps->line;
        _cleanup_free_ char *name = strndup(base, (size_t) (ps->p - base));
        if (!name)
                return -ENOMEM;
        skip_blanks(ps);
        if (cur(ps) != '=')
                return fail(ps, "expecting an assignment");
        next(ps);
        skip_blanks(ps);
        *n_items = 0;
        r = parse_value(ps, 0, n_items, &v);
        if (r < 0)
                return r;
        skip_blanks(ps);
        if (cur(ps) == '#')
                skip_to_eol(ps);
        *ret_e = (LibvirtConfEntry) {
                .name = TAKE_PTR(name),
                .type = v.type,
                .value = v.scalar,
                .list = v.list,
                .nested = v.nested,
                .line = line,
        };
        return 0;
}

static int
parse_separator(Parser *ps)
{
        skip_blanks(ps);
        if (at_end(ps))
                return 0;
        if (is_eol(cur(ps)))
                skip_blanks_and_eol(ps);
        else if (cur(ps) == ';') {
                next(ps);
                skip_blanks_and_eol(ps);
        } else
                return fail(ps, "expecting a separator");
        return 0;
}

int
libvirt_conf_parse(const char *text, LibvirtConfEntry **ret, size_t *ret_n, unsigned *ret_line,
                   const char **ret_error)
{
        Parser ps = {.p = text, .end = text + strlen(text), .line = 1};
        LibvirtConfEntry *entries = NULL;
        size_t n = 0;
        int r = 0;

        while (!at_end(&ps)) {
                LibvirtConfEntry e = {};
                size_t n_items = 0;

                r = parse_statement(&ps, &n_items, &e);
                if (r < 0)
                        goto error;
                if (e.name) {
                        LibvirtConfEntry *ne = NULL;

                        if (n >= CONF_ENTRIES_MAX)
                                r = fail(&ps, "too many entries");
                        else if (!(ne = realloc(entries, (n + 1) * sizeof(*entries))))
                                r = -ENOMEM;
                        if (r < 0) {
                                free(e.name);
                                free(e.value);
                                strv_free(e.list);
                                goto error;
                        }
                        entries = ne;
                        entries[n++] = e;
                }
                r = parse_separator(&ps);
                if (r < 0)
                        goto error;
        }
        *ret = entries;
        *ret_n = n;
        return 0;
error:
        libvirt_conf_entries_free(entries, n);
        if (ret_line)
                *ret_line = ps.line;
        if (ret_error)
                *ret_error = ps.error ? ps.error : "out of memory";
        return r;
}
