/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt-conf.h"
#include "strv.h"
#include "util.h"

/* Bounds on what a configuration file may make us hold. */
#define CONF_ENTRIES_MAX 4096u
#define CONF_LIST_MAX    4096u

typedef struct Parser {
        const char *p;
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

static int
fail(Parser *ps, const char *msg)
{
        ps->error = msg;
        return -EBADMSG;
}

/* Skips blanks (not newlines) and, with @newlines, newlines and comments. */
static void
skip_space(Parser *ps, bool newlines)
{
        for (;;) {
                char c = *ps->p;

                if (c == ' ' || c == '\t' || c == '\r')
                        ps->p++;
                else if (newlines && c == '\n') {
                        ps->line++;
                        ps->p++;
                } else if (newlines && c == '#') {
                        while (*ps->p && *ps->p != '\n')
                                ps->p++;
                } else
                        return;
        }
}

static int
parse_string(Parser *ps, char **ret)
{
        char q = *ps->p;
        const char *start, *end;

        if (q == '"' && strneq(ps->p, "\"\"\"", 3)) {
                start = ps->p + 3;
                end = strstr(start, "\"\"\"");
                if (!end)
                        return fail(ps, "unterminated \"\"\" string");
                for (const char *c = start; c < end; c++)
                        if (*c == '\n')
                                ps->line++;
                ps->p = end + 3;
        } else {
                start = ps->p + 1;
                end = start;
                while (*end && *end != q && *end != '\n')
                        end++;
                if (*end != q)
                        return fail(ps, "unterminated string");
                ps->p = end + 1;
        }
        *ret = strndup(start, (size_t) (end - start));
        return *ret ? 0 : -ENOMEM;
}

static int
parse_long(Parser *ps, char **ret)
{
        const char *start = ps->p;
        int64_t v;

        if (*ps->p == '-' || *ps->p == '+')
                ps->p++;
        if (!isdigit((unsigned char) *ps->p))
                return fail(ps, "expected a value");
        while (isdigit((unsigned char) *ps->p))
                ps->p++;
        _cleanup_free_ char *text = strndup(start, (size_t) (ps->p - start));
        if (!text)
                return -ENOMEM;
        /* libvirt reads integers with virStrToLong_ll: decimal only, a '+' is
         * accepted by strtoll. */
        if (parse_int64(text, &v) < 0 || strchr(text + 1, 'x'))
                return fail(ps, "integer out of range");
        *ret = xasprintf("%lld", (long long) v);
        return *ret ? 0 : -ENOMEM;
}

static int
parse_scalar(Parser *ps, LibvirtConfType *ret_type, char **ret)
{
        if (*ps->p == '"' || *ps->p == '\'') {
                *ret_type = LIBVIRT_CONF_STRING;
                return parse_string(ps, ret);
        }
        *ret_type = LIBVIRT_CONF_LONG;
        return parse_long(ps, ret);
}

static int
parse_value(Parser *ps, LibvirtConfEntry *e)
{
        int r;

        if (*ps->p != '[')
                return parse_scalar(ps, &e->type, &e->value);

        e->type = LIBVIRT_CONF_LIST;
        e->list = calloc(1, sizeof(char *));
        if (!e->list)
                return -ENOMEM;
        ps->p++;
        skip_space(ps, true);
        if (*ps->p == ']') {
                ps->p++;
                return 0;
        }
        for (size_t n = 0;; n++) {
                LibvirtConfType t;
                char *v = NULL;

                if (n >= CONF_LIST_MAX)
                        return fail(ps, "list too long");
                if (*ps->p == '[')
                        return fail(ps, "nested lists are not allowed");
                r = parse_scalar(ps, &t, &v);
                if (r < 0)
                        return r;
                r = strv_consume(&e->list, v);
                if (r < 0)
                        return r;
                skip_space(ps, true);
                if (*ps->p == ',') {
                        ps->p++;
                        skip_space(ps, true);
                        if (*ps->p == ']') { /* trailing comma */
                                ps->p++;
                                return 0;
                        }
                        continue;
                }
                if (*ps->p == ']') {
                        ps->p++;
                        return 0;
                }
                return fail(ps, "expected ',' or ']' in list");
        }
}

int
libvirt_conf_parse(const char *text, LibvirtConfEntry **ret, size_t *ret_n, unsigned *ret_line,
                   const char **ret_error)
{
        Parser ps = {.p = text, .line = 1};
        LibvirtConfEntry *entries = NULL;
        size_t n = 0;
        int r;

        for (;;) {
                LibvirtConfEntry e = {};
                const char *start;

                skip_space(&ps, true);
                if (*ps.p == ';') {
                        ps.p++;
                        continue;
                }
                if (!*ps.p)
                        break;
                if (n >= CONF_ENTRIES_MAX) {
                        r = fail(&ps, "too many entries");
                        goto error;
                }
                start = ps.p;
                if (!(isalpha((unsigned char) *ps.p) || *ps.p == '_')) {
                        r = fail(&ps, "expected a setting name");
                        goto error;
                }
                while (isalnum((unsigned char) *ps.p) || *ps.p == '_' || *ps.p == '.')
                        ps.p++;
                e.name = strndup(start, (size_t) (ps.p - start));
                e.line = ps.line;
                if (!e.name) {
                        r = -ENOMEM;
                        goto error;
                }
                skip_space(&ps, false);
                if (*ps.p != '=') {
                        free(e.name);
                        r = fail(&ps, "expected '=' after the setting name");
                        goto error;
                }
                ps.p++;
                skip_space(&ps, false);
                r = parse_value(&ps, &e);
                if (r < 0) {
                        free(e.name);
                        free(e.value);
                        strv_free(e.list);
                        goto error;
                }
                LibvirtConfEntry *ne = realloc(entries, (n + 1) * sizeof(*entries));
                if (!ne) {
                        free(e.name);
                        free(e.value);
                        strv_free(e.list);
                        r = -ENOMEM;
                        goto error;
                }
                entries = ne;
                entries[n++] = e;

                skip_space(&ps, false);
                if (*ps.p == '#')
                        while (*ps.p && *ps.p != '\n')
                                ps.p++;
                if (*ps.p == ';' || *ps.p == '\n' || *ps.p == '\0')
                        continue;
                r = fail(&ps, "expected the end of the line after the value");
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
