/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one grammar of VM security labels (domain-label.h has the grammar
 * and its sources).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain-label.h"
#include "util.h"

/* "N" of a sensitivity or category: decimal, no leading zero, below @max;
 * stops at the first non-digit. */
static int
number_parse(const char *s, unsigned max, const char **ret_end, unsigned *ret)
{
        unsigned v = 0;
        const char *c = s;

        if (!isdigit((unsigned char) *c))
                return -EINVAL;
        if (*c == '0' && isdigit((unsigned char) c[1]))
                return -EINVAL; /* "c01": no policy defines that name */
        for (; isdigit((unsigned char) *c); c++) {
                v = v * 10 + (unsigned) (*c - '0');
                if (v >= max) {
                        /* the rest of the digits could only make it larger */
                        return -ERANGE;
                }
        }
        *ret_end = c;
        *ret = v;
        return 0;
}

int
domain_label_category_parse(const char *s, const char **ret_end, unsigned *ret)
{
        if (*s != 'c')
                return -EINVAL;
        return number_parse(s + 1, DOMAIN_SELINUX_CATS, ret_end, ret);
}

bool
domain_label_level_has(const SelinuxLevel *l, unsigned c)
{
        return c < DOMAIN_SELINUX_CATS && (l->cats[c / 8] & (1U << (c % 8)));
}

static void
level_add(SelinuxLevel *l, unsigned c)
{
        if (!domain_label_level_has(l, c)) {
                l->cats[c / 8] |= (uint8_t) (1U << (c % 8));
                l->n_cats++;
        }
}

static int
fail(const char **ret_reason, int err, const char *why)
{
        if (ret_reason)
                *ret_reason = why;
        return err;
}

/* One level at @s, up to '-' or the end. */
static int
level_parse(const char *s, SelinuxLevel *ret, const char **ret_end, const char **ret_reason)
{
        const char *p;
        int r;

        *ret = (SelinuxLevel) {};
        if (*s != 's')
                return fail(ret_reason, -EINVAL, "a level starts with a sensitivity \"sN\"");
        r = number_parse(s + 1, DOMAIN_SELINUX_SENS, &p, &ret->sens);
        if (r == -ERANGE)
                return fail(ret_reason, r, "a sensitivity outside s0..s15");
        if (r < 0)
                return fail(ret_reason, r, "a sensitivity is \"s\" and a number without leading zeros");
        if (*p != ':') {
                *ret_end = p;
                return 0;
        }
        p++;
        for (;;) {
                unsigned lo, hi;

                r = domain_label_category_parse(p, &p, &lo);
                if (r == -ERANGE)
                        return fail(ret_reason, r, "a category outside c0..c1023");
                if (r < 0)
                        return fail(ret_reason, r,
                                    "a category is \"c\" and a number without leading zeros (an empty item, "
                                    "as after a trailing comma, is none)");
                hi = lo;
                if (*p == '.') {
                        r = domain_label_category_parse(p + 1, &p, &hi);
                        if (r == -ERANGE)
                                return fail(ret_reason, r, "a category outside c0..c1023");
                        if (r < 0)
                                return fail(ret_reason, r, "a category range is \"cN.cM\"");
                        if (hi <= lo)
                                return fail(ret_reason, -EINVAL,
                                            "a category range \"cN.cM\" needs N < M (the kernel refuses others)");
                }
                for (unsigned c = lo; c <= hi; c++)
                        level_add(ret, c);
                if (*p != ',')
                        break;
                p++;
        }
        *ret_end = p;
        return 0;
}

static bool
level_dominates(const SelinuxLevel *high, const SelinuxLevel *low)
{
        if (high->sens < low->sens)
                return false;
        for (size_t i = 0; i < sizeof(low->cats); i++)
                if ((low->cats[i] & high->cats[i]) != low->cats[i])
                        return false;
        return true;
}

int
domain_label_range_parse(const char *s, SelinuxRange *ret, const char **ret_reason)
{
        SelinuxRange out = {};
        const char *p;
        int r;

        if (!s || !*s)
                return fail(ret_reason, -EINVAL, "no level");
        if (strlen(s) > DOMAIN_LABEL_MAX)
                return fail(ret_reason, -EINVAL, "longer than 4096 bytes");
        r = level_parse(s, &out.low, &p, ret_reason);
        if (r < 0)
                return r;
        if (*p == '-') {
                out.is_range = true;
                r = level_parse(p + 1, &out.high, &p, ret_reason);
                if (r < 0)
                        return r;
                if (!level_dominates(&out.high, &out.low))
                        return fail(ret_reason, -EINVAL, "the high level of the range does not dominate the low one");
        } else
                out.high = out.low;
        if (*p)
                return fail(ret_reason, -EINVAL, "unexpected text after the level");
        *ret = out;
        return 0;
}

bool
domain_label_selinux_split(const char *ctx, char type[static DOMAIN_SELINUX_TYPE_MAX], const char **ret_range)
{
        const char *a = strchr(ctx, ':'), *b = a ? strchr(a + 1, ':') : NULL, *c = b ? strchr(b + 1, ':') : NULL;

        if (!c || a == ctx || b == a + 1 || c == b + 1 || (size_t) (c - b - 1) >= DOMAIN_SELINUX_TYPE_MAX)
                return false;
        memcpy(type, b + 1, (size_t) (c - b - 1));
        type[c - b - 1] = '\0';
        *ret_range = c + 1;
        return true;
}

bool
domain_label_is_vm_pair(const char *range)
{
        SelinuxRange r;

        return domain_label_range_parse(range, &r, NULL) >= 0 && !r.is_range && r.low.sens == 0 &&
               r.low.n_cats == 2;
}

bool
domain_label_level_equal(const SelinuxLevel *a, const SelinuxLevel *b)
{
        return a->sens == b->sens && memcmp(a->cats, b->cats, sizeof(a->cats)) == 0;
}

unsigned
domain_label_level_shared(const SelinuxLevel *a, const SelinuxLevel *b, unsigned *ret_first)
{
        unsigned n = 0;

        for (unsigned c = 0; c < DOMAIN_SELINUX_CATS; c++)
                if (domain_label_level_has(a, c) && domain_label_level_has(b, c) && n++ == 0)
                        *ret_first = c;
        return n;
}

static void
level_format(StrBuf *b, const SelinuxLevel *l)
{
        bool first = true;

        strbuf_printf(b, "s%u", l->sens);
        for (unsigned c = 0; c < DOMAIN_SELINUX_CATS; c++) {
                unsigned end = c;

                if (!domain_label_level_has(l, c))
                        continue;
                while (end + 1 < DOMAIN_SELINUX_CATS && domain_label_level_has(l, end + 1))
                        end++;
                strbuf_printf(b, "%sc%u", first ? ":" : ",", c);
                if (end >= c + 2)
                        strbuf_printf(b, ".c%u", end);
                else if (end == c + 1)
                        strbuf_printf(b, ",c%u", end);
                first = false;
                c = end;
        }
}

char *
domain_label_range_format(const SelinuxRange *r)
{
        StrBuf b = {};

        level_format(&b, &r->low);
        if (r->is_range) {
                strbuf_append(&b, "-");
                level_format(&b, &r->high);
        }
        return strbuf_steal(&b);
}

bool
domain_label_apparmor_split(const char *label, char *name, size_t size, const char **ret_mode)
{
        const char *open = strrchr(label, '(');
        size_t n;

        if (!open || open < label + 2 || open[-1] != ' ' || !endswith(label, ")")) {
                if (strlen(label) >= size)
                        return false;
                snprintf(name, size, "%s", label);
                *ret_mode = NULL;
                return true;
        }
        n = (size_t) (open - 1 - label);
        if (n >= size)
                return false;
        memcpy(name, label, n);
        name[n] = '\0';
        *ret_mode = open + 1;
        return true;
}

bool
domain_label_looks_apparmor(const char *label)
{
        return streq(label, "unconfined") || endswith(label, ")");
}
