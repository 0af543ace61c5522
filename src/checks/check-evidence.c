/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The evidence of a data check: what was read, and for a failing check
 * which term of which condition is to blame and why. */
#include <stdlib.h>
#include <string.h>

#include "check-eval-terms.h"
#include "strv.h"
#include "util.h"

/* The file system whose files fact @key reads when it is not mounted on
 * the audited host (mount:fstypes lists the others), else NULL: then the
 * fact is absent because nothing is mounted there, not because the state
 * is off (docs/check-format.md, "A missing runtime file is not off"). */
static const char *
absent_unmounted(FactStore *facts, const char *key)
{
        static const struct {
                const char *prefix, *fstype;
        } fs[] = {
                {"lsm:", "securityfs"},          {"sysfs:kernel/security/", "securityfs"},
                {"apparmor:profiles", "securityfs"}, {"sysfs:fs/selinux", "selinuxfs"},
                {"selinux:enforce", "selinuxfs"}, {"selinux:bool.", "selinuxfs"},
        };

        for (size_t i = 0; i < ELEMENTSOF(fs); i++) {
                const Fact *m;

                if (!startswith(key, fs[i].prefix))
                        continue;
                /* wording only, not an input of the check: unlogged */
                m = fact_store_get_unlogged(facts, "mount:fstypes");
                if (m->kind == FACT_LIST && !strv_contains(m->list, fs[i].fstype))
                        return fs[i].fstype;
                return NULL;
        }
        return NULL;
}

/* Adds @key, resolved against @obj, to @keys once.  Declared patterns
 * ("process:*\/label") name no one fact and are left out. */
static int
keys_add(char ***keys, const char *key, const char *obj)
{
        _cleanup_free_ char *k = NULL;

        if (strchr(key, '*'))
                return 0;
        k = fact_key_for_object(key, obj);
        if (!k)
                return -ENOMEM;
        if (strv_contains(*keys, k))
                return 0;
        return strv_consume(keys, TAKE_PTR(k));
}

/* Whether list item @item must be quoted for items joined with commas to
 * read back one way: it is empty, holds a comma, or holds a '"' other than
 * as the two ends of a word ("(absent)" written as a value, as vm: facts
 * write it, stays as it is). */
static bool
item_needs_quotes(const char *item)
{
        size_t len = strlen(item), quotes = 0;

        if (len == 0 || strchr(item, ','))
                return true;
        for (const char *c = item; *c; c++)
                quotes += *c == '"';
        return quotes > 0 && !(quotes == 2 && len >= 2 && item[0] == '"' && item[len - 1] == '"');
}

/* Appends list item @item, in double quotes (a '"' or '\\' in it escaped)
 * when item_needs_quotes(): "-device,\"ivshmem-plain,memdev=hostmem\"" is
 * two arguments, not three. */
static void
item_append(StrBuf *b, const char *item)
{
        if (!item_needs_quotes(item)) {
                strbuf_append(b, item);
                return;
        }
        strbuf_append(b, "\"");
        for (const char *c = item; *c; c++)
                strbuf_printf(b, "%s%c", *c == '"' || *c == '\\' ? "\\" : "", *c);
        strbuf_append(b, "\"");
}

/* "ge 1", "not-contains \"SMT vulnerable\"": a term as it reads in a
 * .check file, without its fact. */
static void
term_describe(StrBuf *b, const Term *t)
{
        strbuf_append(b, cond_op_to_string(t->op));
        STRV_FOREACH(a, t->args) {
                bool quote = !**a || strpbrk(*a, " \t\"");

                strbuf_printf(b, quote ? " \"%s\"" : " %s", *a);
        }
}

/* What is wrong with the facts of a failing check: for each key the
 * listing names, the terms its value fails (fails[i] for keys[i]); and the
 * fragments naming offending list items, after the listing. */
typedef struct Blame {
        char **fails;           /* parallel to the keys; NULL: nothing to say */
        char **fragments;       /* "KEY offending (OP): a, b", each once */
} Blame;

static void
blame_done(Blame *bl, size_t n)
{
        for (size_t i = 0; bl->fails && i < n; i++)
                free(bl->fails[i]);
        free(bl->fails);
        strv_free(bl->fragments);
}

/* "KEY offending (each-in): a, b" or "KEY has 3 items, more than 1" for
 * a list term that failed, or NULL for the operators whose value says it
 * all once it is marked (empty, nonempty, some-in). */
static char *
list_term_fragment(const Term *t, const char *key, const Fact *f)
{
        char *one[2] = {};
        char *const *items;
        StrBuf b = {};
        size_t shown = 0;

        if (t->op == OP_EMPTY || t->op == OP_NONEMPTY || t->op == OP_SOME_IN || !list_items(f, one, &items))
                return NULL;
        if (t->op == OP_COUNT_LE)
                return xasprintf("%s has %zu items, more than %s", key, strv_length(items), t->args[0]);
        strbuf_printf(&b, "%s offending (%s):", key, cond_op_to_string(t->op));
        STRV_FOREACH(it, items)
                if (list_item_offends(t, *it)) {
                        strbuf_append(&b, shown++ ? ", " : " ");
                        item_append(&b, *it);
                }
        return strbuf_steal(&b);
}

/* Whether @d is one of the terms joined in @fails. */
static bool
fails_has(const char *fails, const char *d)
{
        size_t l = strlen(d);

        for (const char *p = strstr(fails, d); p; p = strstr(p + 1, d))
                if ((p == fails || startswith(p - 2, ", ")) && (p[l] == '\0' || startswith(p + l, ", ")))
                        return true;
        return false;
}

/* Adds "OP ARGS" of term @t to the terms the value of key @k fails.  Each
 * is a statement about the value alone ("fails eq efi"), true whatever
 * the other terms of its line say; a term written twice is named once. */
static void
blame_fails(Blame *bl, size_t k, const Term *t)
{
        StrBuf d = {};
        char *w;

        term_describe(&d, t);
        if (!d.s)
                return;
        if (!bl->fails[k])
                w = strdup(d.s);
        else if (fails_has(bl->fails[k], d.s))
                w = NULL;
        else
                w = xasprintf("%s, %s", bl->fails[k], d.s);
        strbuf_done(&d);
        if (!w)
                return;
        free(bl->fails[k]);
        bl->fails[k] = w;
}

/* Marks every term of every false condition of @conds.  A condition that
 * held (through any of its "or" terms) or stayed undecided offends nothing.
 * Best effort: on ENOMEM the evidence says less. */
static void
blame_collect(Blame *bl, FactStore *facts, const Cond *conds, size_t n, const char *obj, char *const *keys)
{
        size_t n_keys = strv_length(keys);

        bl->fails = calloc(n_keys + 1, sizeof(char *));
        if (!bl->fails)
                return;
        for (size_t i = 0; i < n; i++) {
                Unknown cu = {};
                Tri held = cond_eval(facts, &conds[i], obj, &cu);

                free(cu.message);
                if (held != TRI_FALSE)
                        continue;
                for (size_t j = 0; j < conds[i].n_terms; j++) {
                        const Term *t = &conds[i].terms[j];
                        _cleanup_free_ char *key = fact_key_for_object(t->fact, obj);
                        _cleanup_free_ char *frag = NULL;
                        size_t k;

                        if (!key)
                                continue;
                        if (op_is_list(t->op))
                                frag = list_term_fragment(t, key, fact_store_get(facts, key));
                        if (frag) {
                                if (!strv_contains(bl->fragments, frag))
                                        (void) strv_consume(&bl->fragments, TAKE_PTR(frag));
                                continue;
                        }
                        for (k = 0; k < n_keys && !streq(keys[k], key); k++)
                                ;
                        if (k < n_keys)
                                blame_fails(bl, k, t);
                }
        }
}

char *
evidence_observed(FactStore *facts, const Cond *conds, size_t n, char *const *extra, const char *obj,
                  bool failed)
{
        _cleanup_strv_free_ char **keys = NULL;
        Blame bl = {};
        StrBuf b = {};
        size_t i = 0;

        STRV_FOREACH(k, extra)
                if (keys_add(&keys, *k, obj) < 0)
                        return NULL;
        for (size_t c = 0; c < n; c++)
                for (size_t t = 0; t < conds[c].n_terms; t++)
                        if (keys_add(&keys, conds[c].terms[t].fact, obj) < 0)
                                return NULL;
        if (failed)
                blame_collect(&bl, facts, conds, n, obj, keys);

        STRV_FOREACH(k, keys) {
                const Fact *f = fact_store_get(facts, *k);
                _cleanup_free_ char *d = fact_describe(f);
                const char *unmounted = f->kind == FACT_ABSENT ? absent_unmounted(facts, *k) : NULL;
                const char *fails = bl.fails ? bl.fails[i++] : NULL;

                if (k != keys)
                        strbuf_append(&b, "; ");
                if (unmounted)
                        strbuf_printf(&b, "%s (absent: %s not mounted)", *k, unmounted);
                else if (f->kind == FACT_ABSENT)
                        strbuf_printf(&b, "%s (absent)", *k);
                else if (f->kind == FACT_ERROR)
                        strbuf_printf(&b, "%s unreadable", *k);
                else if (f->kind == FACT_LIST && (!f->list || !f->list[0]))
                        strbuf_printf(&b, "%s = (empty)", *k);
                else if (f->kind == FACT_LIST) {
                        strbuf_printf(&b, "%s = ", *k);
                        STRV_FOREACH(it, f->list) {
                                if (it != f->list)
                                        strbuf_append(&b, ",");
                                item_append(&b, *it);
                        }
                } else
                        strbuf_printf(&b, "%s = %s", *k, d ? d : "?");
                if (fails)
                        strbuf_printf(&b, " (offending: fails %s)", fails);
        }
        STRV_FOREACH(fr, bl.fragments)
                strbuf_printf(&b, "%s%s", b.len ? "; " : "", *fr);
        blame_done(&bl, strv_length(keys));
        return strbuf_steal(&b);
}

/* At most this many places are named in a note on a repeated setting. */
#define REPEATED_PLACES_SHOWN 4u

/*
 * "KEY is set at A (used: the first counts) and B (ignored)" for every key
 * the check read that a probe found assigned more than once
 * (meta:KEY@repeated, "PATH:LINE" of each assignment, the used one first).
 */
char *
evidence_repeated_notes(FactStore *facts, const char *const *keys, size_t n)
{
        StrBuf b = {};

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *rk = NULL;
                const Fact *f;
                size_t count;

                if (startswith(keys[i], "meta:"))
                        continue;
                rk = xasprintf("meta:%s@repeated", keys[i]);
                if (!rk)
                        return strbuf_steal(&b);
                f = fact_store_peek(facts, rk);
                if (!f || f->kind != FACT_LIST || (count = strv_length(f->list)) < 2)
                        continue;
                strbuf_printf(&b, "%s%s is set %zu times: at %s (used: the first counts) and ", b.len ? "; " : "",
                              keys[i], count, f->list[0]);
                for (size_t j = 1; j < count && j <= REPEATED_PLACES_SHOWN; j++)
                        strbuf_printf(&b, "%s%s", j > 1 ? ", " : "", f->list[j]);
                if (count - 1 > REPEATED_PLACES_SHOWN)
                        strbuf_printf(&b, " and %zu more", count - 1 - REPEATED_PLACES_SHOWN);
                strbuf_append(&b, " (ignored)");
        }
        return strbuf_steal(&b);
}
