/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Waiver files (see waiver.h) and applying them to results. */
#include <assert.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "util.h"
#include "waiver.h"

enum {
        KEY_SUBJECT,
        KEY_REASON,
        KEY_OWNER,
        KEY_EXPIRES,
        _KEY_MAX,
};

static const char *const key_names[] = {
        [KEY_SUBJECT] = "subject",
        [KEY_REASON] = "reason",
        [KEY_OWNER] = "owner",
        [KEY_EXPIRES] = "expires",
};
static_assert(ELEMENTSOF(key_names) == _KEY_MAX, "key_names");

/* One [id] section while it is read. */
typedef struct RawWaiver {
        char *id;
        unsigned line;
        char *values[_KEY_MAX];
        unsigned lines[_KEY_MAX];
        int last_key;           /* for continuation lines; -1 before the first */
} RawWaiver;

typedef struct Parser {
        const char *file;
        const Catalog *catalog;
        char *error;
} Parser;

static void
raw_done(RawWaiver *w)
{
        free(w->id);
        for (size_t k = 0; k < _KEY_MAX; k++)
                free(w->values[k]);
        *w = (RawWaiver) {.last_key = -1};
}

static void
waiver_done(Waiver *w)
{
        free(w->check_id);
        free(w->subject);
        free(w->reason);
        free(w->owner);
        free(w->file);
}

void
waiver_set_done(WaiverSet *s)
{
        for (size_t i = 0; i < s->n; i++)
                waiver_done(&s->v[i]);
        free(s->v);
        *s = (WaiverSet) {};
}

static int
parser_fail(Parser *p, unsigned line, const char *fmt, ...) _printf_(3, 4);

static int
parser_fail(Parser *p, unsigned line, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (!msg)
                return -ENOMEM;
        free(p->error);
        p->error = xasprintf("%s:%u: %s", p->file, line, msg);
        return p->error ? -EBADMSG : -ENOMEM;
}

static int
digits(const char *s, size_t n)
{
        int v = 0;

        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        return v;
}

bool
waiver_date_valid(const char *s)
{
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int y, m, d, max;

        if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
                return false;
        y = digits(s, 4);
        m = digits(s + 5, 2);
        d = digits(s + 8, 2);
        if (y < 1 || m < 1 || m > 12 || d < 1)
                return false;
        max = mdays[m - 1];
        if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
                max = 29;
        return d <= max;
}

/* Checks a finished section and appends it to @out. */
static int
finish_section(Parser *p, RawWaiver *raw, WaiverSet *out)
{
        static const int required[] = {KEY_REASON, KEY_OWNER, KEY_EXPIRES};
        Waiver *nv;

        if (!raw->id)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(required); i++)
                if (!raw->values[required[i]])
                        return parser_fail(p, raw->line, "waiver [%s] has no \"%s\"", raw->id,
                                           key_names[required[i]]);
        if (!waiver_date_valid(raw->values[KEY_EXPIRES]))
                return parser_fail(p, raw->lines[KEY_EXPIRES],
                                   "expires = \"%s\" is not a date of the form YYYY-MM-DD",
                                   raw->values[KEY_EXPIRES]);
        if (out->n >= WAIVERS_MAX)
                return parser_fail(p, raw->line, "more than %u waivers", WAIVERS_MAX);

        nv = realloc(out->v, (out->n + 1) * sizeof(Waiver));
        if (!nv)
                return -ENOMEM;
        out->v = nv;
        Waiver *w = &out->v[out->n];
        *w = (Waiver) {
                .check_id = TAKE_PTR(raw->id),
                .subject = TAKE_PTR(raw->values[KEY_SUBJECT]),
                .reason = TAKE_PTR(raw->values[KEY_REASON]),
                .owner = TAKE_PTR(raw->values[KEY_OWNER]),
                .file = strdup(p->file),
                .line = raw->line,
        };
        memcpy(w->expires, raw->values[KEY_EXPIRES], sizeof(w->expires));
        out->n++;
        raw_done(raw);
        return w->file ? 0 : -ENOMEM;
}

static int
parse_line(Parser *p, char *line, unsigned lineno, RawWaiver *raw, WaiverSet *out)
{
        if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
                return 0;

        if (line[0] == ' ' || line[0] == '\t') {
                /* continuation of the previous value, as in .check files */
                if (!raw->id || raw->last_key < 0)
                        return parser_fail(p, lineno, "continuation line without a key before it");
                char **v = &raw->values[raw->last_key];
                char *joined = xasprintf("%s %s", *v, strstrip(line));
                if (!joined)
                        return -ENOMEM;
                free(*v);
                *v = joined;
                if (strlen(joined) > WAIVER_VALUE_MAX)
                        return parser_fail(p, lineno, "value longer than %u bytes", WAIVER_VALUE_MAX);
                return 0;
        }

        if (line[0] == '[') {
                char *end = strchr(line, ']');
                int r;

                if (!end || end[1 + strspn(end + 1, " \t")] != '\0')
                        return parser_fail(p, lineno, "malformed section header");
                *end = '\0';
                r = finish_section(p, raw, out);
                if (r < 0)
                        return r;
                if (!catalog_find(p->catalog, line + 1))
                        return parser_fail(p, lineno, "unknown check id \"%s\"", line + 1);
                raw->id = strdup(line + 1);
                raw->line = lineno;
                return raw->id ? 0 : -ENOMEM;
        }

        char *eq = strchr(line, '=');
        if (!eq)
                return parser_fail(p, lineno, "expected \"key = value\"");
        if (!raw->id)
                return parser_fail(p, lineno, "key outside of a [check.id] section");
        *eq = '\0';
        const char *key = strstrip(line), *value = strstrip(eq + 1);
        int k;
        for (k = 0; k < _KEY_MAX; k++)
                if (streq(key, key_names[k]))
                        break;
        if (k == _KEY_MAX)
                return parser_fail(p, lineno, "unknown key \"%s\" (known: subject, reason, owner, expires)", key);
        if (raw->values[k])
                return parser_fail(p, lineno, "repeated key \"%s\" (first on line %u)", key, raw->lines[k]);
        if (!*value)
                return parser_fail(p, lineno, "empty value for \"%s\"", key);
        raw->values[k] = strdup(value);
        if (!raw->values[k])
                return -ENOMEM;
        raw->lines[k] = lineno;
        raw->last_key = k;
        return 0;
}

int
waiver_set_load_text(WaiverSet *s, const char *text, const char *filename, const Catalog *catalog,
                     char **ret_error)
{
        Parser p = {.file = filename, .catalog = catalog};
        RawWaiver raw = {.last_key = -1};
        size_t old_n = s->n;
        unsigned lineno = 0;
        const char *next;
        int r = 0;

        assert(s && text && filename && catalog);

        for (const char *c = text; *c; c = next) {
                size_t len;

                lineno++;
                next = strchr(c, '\n');
                len = next ? (size_t) (next - c) : strlen(c);
                next = next ? next + 1 : c + len;
                if (len > WAIVER_LINE_MAX) {
                        r = parser_fail(&p, lineno, "line longer than %u bytes", WAIVER_LINE_MAX);
                        break;
                }
                _cleanup_free_ char *line = strndup(c, len);
                if (!line) {
                        r = -ENOMEM;
                        break;
                }
                if (len > 0 && line[len - 1] == '\r')
                        line[len - 1] = '\0';
                for (const char *q = line; *q; q++)
                        if ((unsigned char) *q < 0x20 && *q != '\t') {
                                r = parser_fail(&p, lineno, "control character in the file");
                                break;
                        }
                if (r < 0)
                        break;
                r = parse_line(&p, line, lineno, &raw, s);
                if (r < 0)
                        break;
        }
        if (r >= 0)
                r = finish_section(&p, &raw, s);
        raw_done(&raw);

        if (r < 0) {
                /* leave the set as it was */
                for (size_t i = old_n; i < s->n; i++)
                        waiver_done(&s->v[i]);
                s->n = old_n;
                if (ret_error)
                        *ret_error = p.error ? TAKE_PTR(p.error) : xasprintf("%s: %s", filename, strerror(-r));
        }
        free(p.error);
        return r;
}

static bool
waiver_matches(const Waiver *w, const Result *res)
{
        return streq(w->check_id, res->check->id) &&
               (!w->subject || fnmatch(w->subject, res->subject ? res->subject : "", 0) == 0);
}

int
waivers_apply(WaiverSet *s, Results *results, const char *today, char ***ret_warnings)
{
        assert(s && results && today && ret_warnings);

        for (size_t i = 0; i < results->n; i++) {
                Result *res = &results->v[i];

                if (res->status != STATUS_FAIL && res->status != STATUS_ERROR)
                        continue;
                for (size_t j = 0; j < s->n; j++) {
                        Waiver *w = &s->v[j];

                        /* same-width YYYY-MM-DD strings compare as dates */
                        if (strcmp(w->expires, today) < 0 || !waiver_matches(w, res))
                                continue;
                        char *text = xasprintf("%s (owner %s, expires %s)", w->reason, w->owner, w->expires);
                        if (!text)
                                return -ENOMEM;
                        free(res->waiver);
                        res->waiver = text;
                        res->status = STATUS_WAIVED;
                        w->n_waived++;
                        break;
                }
        }

        for (size_t j = 0; j < s->n; j++) {
                const Waiver *w = &s->v[j];
                char *msg;

                if (strcmp(w->expires, today) < 0)
                        msg = xasprintf("waiver %s (%s:%u) expired on %s; not applied", w->check_id, w->file,
                                        w->line, w->expires);
                else if (w->n_waived == 0)
                        msg = xasprintf("waiver %s (%s:%u) matched no result", w->check_id, w->file, w->line);
                else
                        continue;
                if (!msg || strv_consume(ret_warnings, msg) < 0)
                        return -ENOMEM;
        }
        return 0;
}
