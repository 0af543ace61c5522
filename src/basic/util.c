/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *
strstrip(char *s)
{
        size_t n;

        while (*s && isspace((unsigned char) *s))
                memmove(s, s + 1, strlen(s));
        n = strlen(s);
        while (n > 0 && isspace((unsigned char) s[n - 1]))
                s[--n] = '\0';
        return s;
}

bool
startswith(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
endswith(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int
parse_uint64(const char *s, uint64_t *ret)
{
        unsigned long long v;
        char *end;
        int base = 10;

        if (!s || !*s || isspace((unsigned char) *s) || *s == '-' || *s == '+')
                return -EINVAL;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                base = 16;
                s += 2;
                if (!isxdigit((unsigned char) *s))
                        return -EINVAL;
        }
        errno = 0;
        v = strtoull(s, &end, base);
        if (errno == ERANGE)
                return -ERANGE;
        if (errno != 0 || end == s || *end != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

int
parse_int64(const char *s, int64_t *ret)
{
        bool neg = false;
        uint64_t u;
        int r;

        if (!s)
                return -EINVAL;
        if (*s == '-' || *s == '+') {
                neg = *s == '-';
                s++;
        }
        r = parse_uint64(s, &u);
        if (r < 0)
                return r;
        if (neg) {
                if (u > (uint64_t) INT64_MAX + 1)
                        return -ERANGE;
                *ret = u == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) u;
        } else {
                if (u > INT64_MAX)
                        return -ERANGE;
                *ret = (int64_t) u;
        }
        return 0;
}

int
parse_double(const char *s, double *ret)
{
        char *end;
        double v;

        if (!s || !*s || isspace((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        v = strtod(s, &end);
        if (errno != 0 || *end != '\0' || v != v || v > 1e300 || v < -1e300)
                return -EINVAL;
        *ret = v;
        return 0;
}

int
parse_mode(const char *s, mode_t *ret)
{
        unsigned long v;
        char *end;

        if (!s || !*s || strlen(s) > 5)
                return -EINVAL;
        for (const char *p = s; *p; p++)
                if (*p < '0' || *p > '7')
                        return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 8);
        if (errno != 0 || *end != '\0' || v > 07777)
                return -EINVAL;
        *ret = (mode_t) v;
        return 0;
}

char *
xasprintf(const char *fmt, ...)
{
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? NULL : s;
}

bool
text_is_printable(const char *p, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char) p[i];

                if (c == '\t' || c == '\n' || c == '\r')
                        continue;
                if (c < 0x20 || c == 0x7f)
                        return false;
        }
        return true;
}

void
text_sanitize(char *s)
{
        for (; s && *s; s++)
                if ((unsigned char) *s < 0x20 || (unsigned char) *s >= 0x7f)
                        *s = '?';
}

static bool
strbuf_reserve(StrBuf *b, size_t extra)
{
        size_t need;
        char *n;

        if (b->oom)
                return false;
        need = b->len + extra + 1;
        if (need <= b->cap)
                return true;
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
                cap *= 2;
        n = realloc(b->s, cap);
        if (!n) {
                b->oom = true;
                return false;
        }
        b->s = n;
        b->cap = cap;
        return true;
}

void
strbuf_appendn(StrBuf *b, const char *s, size_t n)
{
        if (!strbuf_reserve(b, n))
                return;
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = '\0';
}

void
strbuf_append(StrBuf *b, const char *s)
{
        strbuf_appendn(b, s, strlen(s));
}

void
strbuf_printf(StrBuf *b, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0 || !strbuf_reserve(b, (size_t) n)) {
                b->oom = true;
                return;
        }
        va_start(ap, fmt);
        vsnprintf(b->s + b->len, (size_t) n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t) n;
}

char *
strbuf_steal(StrBuf *b)
{
        char *s;

        if (b->oom) {
                strbuf_done(b);
                return NULL;
        }
        s = b->s ? b->s : strdup("");
        *b = (StrBuf) {};
        return s;
}

void
strbuf_done(StrBuf *b)
{
        free(b->s);
        *b = (StrBuf) {};
}
