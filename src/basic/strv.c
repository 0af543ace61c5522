/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "strv.h"

char **
strv_free(char **l)
{
        STRV_FOREACH(s, l)
                free(*s);
        free(l);
        return NULL;
}

size_t
strv_length(char *const *l)
{
        size_t n = 0;

        STRV_FOREACH(s, l)
                n++;
        return n;
}

int
strv_consume(char ***l, char *s)
{
        size_t n = strv_length(*l);
        char **m;

        if (!s)
                return -ENOMEM;
        m = realloc(*l, sizeof(char *) * (n + 2));
        if (!m) {
                free(s);
                return -ENOMEM;
        }
        m[n] = s;
        m[n + 1] = NULL;
        *l = m;
        return 0;
}

int
strv_extend(char ***l, const char *s)
{
        return strv_consume(l, strdup(s));
}

bool
strv_contains(char *const *l, const char *s)
{
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

static int
cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

void
strv_sort(char **l)
{
        size_t n = strv_length(l);

        if (n > 1)
                qsort(l, n, sizeof(char *), cmp_str);
}

void
strv_uniq(char **l)
{
        size_t w = 0;

        if (!l)
                return;
        for (size_t r = 0; l[r]; r++) {
                if (w > 0 && streq(l[w - 1], l[r])) {
                        free(l[r]);
                        continue;
                }
                l[w++] = l[r];
        }
        l[w] = NULL;
}

char *
strv_join(char *const *l, const char *sep)
{
        size_t len = 1, seplen = strlen(sep);
        char *r, *p;

        STRV_FOREACH(s, l)
                len += strlen(*s) + seplen;
        r = p = malloc(len);
        if (!r)
                return NULL;
        *p = '\0';
        STRV_FOREACH(s, l) {
                if (s != l) {
                        memcpy(p, sep, seplen);
                        p += seplen;
                }
                size_t sl = strlen(*s);
                memcpy(p, *s, sl);
                p += sl;
        }
        *p = '\0';
        return r;
}
