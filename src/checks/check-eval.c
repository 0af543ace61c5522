/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Evaluation of data checks, with three-valued logic: a term over a fact
 * that could not be read is unknown, so "A or B" still passes when B holds
 * and "A and B" still fails when B fails; only an undecided check turns
 * into skip or error. */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "strv.h"
#include "util.h"

/* Longest evidence string a result carries. */
#define RESULT_EVIDENCE_MAX 1024u

typedef enum Tri {
        TRI_FALSE,
        TRI_TRUE,
        TRI_UNKNOWN,
} Tri;

typedef struct Unknown {
        const Fact *fact;       /* first unusable fact, or NULL */
        char *message;          /* a value of the wrong shape */
} Unknown;

void
results_done(Results *r)
{
        for (size_t i = 0; i < r->n; i++) {
                free(r->v[i].subject);
                free(r->v[i].observed);
                free(r->v[i].expected);
                free(r->v[i].waiver);
                free(r->v[i].location);
        }
        free(r->v);
        *r = (Results) {};
}

int
results_add(Results *r, const Check *c, Status status, const char *subject, const char *observed,
            const char *expected)
{
        Result *n = realloc(r->v, (r->n + 1) * sizeof(Result));
        Result x = {
                .check = c,
                .status = status,
                .subject = strdup(subject ? subject : "host"),
                .observed = strdup(observed ? observed : ""),
                .expected = strdup(expected ? expected : c->expected),
        };

        if (!n || !x.subject || !x.observed || !x.expected) {
                free(x.subject);
                free(x.observed);
                free(x.expected);
                if (n)
                        r->v = n;
                return -ENOMEM;
        }
        r->v = n;
        /* Evidence comes from host files: keep it bounded.  It is kept as
         * it is otherwise, every renderer escapes what it cannot show
         * (text-escape.h): a '?' in its place would hide what was there. */
        if (strlen(x.observed) > RESULT_EVIDENCE_MAX)
                memcpy(x.observed + RESULT_EVIDENCE_MAX - 16, " ... (truncated)", sizeof(" ... (truncated)"));
        r->v[r->n++] = x;
        return 0;
}

static int
cmp_result(const void *a, const void *b)
{
        const Result *x = a, *y = b;
        int r;

        r = strcmp(x->check->category, y->check->category);
        if (r != 0)
                return r;
        r = strcmp(x->check->id, y->check->id);
        if (r != 0)
                return r;
        return strcmp(x->subject, y->subject);
}

void
results_sort(Results *r)
{
        if (r->n > 1)
                qsort(r->v, r->n, sizeof(Result), cmp_result);
}

bool
fact_error_is_skip(const Fact *f)
{
        return f->kind == FACT_ERROR &&
               (f->error == -ENOMEDIUM || f->error == -EOPNOTSUPP || f->error == -ENOPKG);
}

/* The value as text for string operators; lists read comma-joined. */
static char *
fact_text(const Fact *f)
{
        if (f->kind == FACT_STRING)
                return strdup(f->string);
        if (f->kind == FACT_LIST)
                return strv_join(f->list, ",");
        return NULL;
}

static bool
has_word(const Fact *f, const char *w)
{
        if (f->kind == FACT_LIST)
                return strv_contains(f->list, w);
        if (f->kind != FACT_STRING)
                return false;
        for (const char *p = f->string; *p;) {
                size_t n;

                while (*p && (isspace((unsigned char) *p) || *p == ','))
                        p++;
                n = strcspn(p, " \t\n,");
                if (n > 0 && strlen(w) == n && strneq(p, w, n))
                        return true;
                p += n;
        }
        return false;
}

static bool
is_mitigated(const char *s)
{
        return (startswith(s, "Not affected") || startswith(s, "Mitigation")) && !strstr(s, "Vulnerable") &&
               !strstr(s, "vulnerable");
}

static Tri
tri(bool b)
{
        return b ? TRI_TRUE : TRI_FALSE;
}

static Tri
set_unknown_message(Unknown *u, const char *fmt, ...) _printf_(2, 3);

static Tri
set_unknown_message(Unknown *u, const char *fmt, ...)
{
        va_list ap;

        if (u->message)
                return TRI_UNKNOWN;
        va_start(ap, fmt);
        if (vasprintf(&u->message, fmt, ap) < 0)
                u->message = NULL;
        va_end(ap);
        return TRI_UNKNOWN;
}

static Tri
term_eval(FactStore *facts, const Term *t, Unknown *u)
{
        const Fact *f = fact_store_get(facts, t->fact);
        _cleanup_free_ char *text = NULL;

        if (f->kind == FACT_ERROR) {
                if (!u->fact)
                        u->fact = f;
                return TRI_UNKNOWN;
        }
        if (t->op == OP_PRESENT)
                return tri(f->kind != FACT_ABSENT);
        if (t->op == OP_ABSENT)
                return tri(f->kind == FACT_ABSENT);
        if (f->kind == FACT_ABSENT)
                return tri(t->op == OP_NE || t->op == OP_NOT_IN || t->op == OP_NOT_CONTAINS || t->op == OP_NO_WORD);

        if (f->kind == FACT_STAT) {
                const FactStat *st = &f->stat;
                switch (t->op) {
                case OP_MODE_MAX: {
                        mode_t m = 0;
                        (void) parse_mode(t->args[0], &m);
                        return tri(((st->mode & 07777) & ~m) == 0);
                }
                case OP_UID:
                case OP_GID: {
                        int64_t want = -1; /* validated by the loader */
                        (void) parse_int64(t->args[0], &want);
                        return tri((int64_t) (t->op == OP_UID ? st->uid : st->gid) == want);
                }
                case OP_TYPE:
                        return tri(streq(fact_stat_type(st->mode), t->args[0]));
                case OP_NO_ACL:
                        return tri(fact_stat_acl_named(st) == 0);
                default:
                        return set_unknown_message(u, "%s: operator %s needs a text value", t->fact,
                                                   cond_op_to_string(t->op));
                }
        }
        if (t->op == OP_WORD || t->op == OP_NO_WORD) {
                bool any = false;
                STRV_FOREACH(a, t->args)
                        if (has_word(f, *a))
                                any = true;
                return tri(t->op == OP_WORD ? any : !any);
        }
        text = fact_text(f);
        if (!text)
                return set_unknown_message(u, "%s: operator %s needs a text value", t->fact, cond_op_to_string(t->op));

        switch (t->op) {
        case OP_EQ:
                return tri(streq(text, t->args[0]));
        case OP_NE:
                return tri(!streq(text, t->args[0]));
        case OP_IN:
                return tri(strv_contains(t->args, text));
        case OP_NOT_IN:
                return tri(!strv_contains(t->args, text));
        case OP_CONTAINS:
                return tri(strstr(text, t->args[0]) != NULL);
        case OP_NOT_CONTAINS:
                return tri(strstr(text, t->args[0]) == NULL);
        case OP_MITIGATED:
                return tri(is_mitigated(text));
        case OP_GE:
        case OP_LE: {
                int64_t v, want = 0;
                if (parse_int64(text, &v) < 0)
                        return set_unknown_message(u, "%s: value \"%s\" is not an integer", t->fact, text);
                (void) parse_int64(t->args[0], &want);
                return tri(t->op == OP_GE ? v >= want : v <= want);
        }
        default:
                return set_unknown_message(u, "%s: operator %s needs file metadata", t->fact,
                                           cond_op_to_string(t->op));
        }
}

/* Records in @u what left the condition undecided, and only then: an
 * unreadable fact in a branch that another term decided is not to blame. */
static Tri
cond_eval(FactStore *facts, const Cond *c, Unknown *u)
{
        Unknown lu = {};
        Tri acc = TRI_FALSE;

        for (size_t i = 0; i < c->n_terms; i++) {
                Tri t = term_eval(facts, &c->terms[i], &lu);
                if (t == TRI_TRUE) {
                        acc = TRI_TRUE;
                        break;
                }
                if (t == TRI_UNKNOWN)
                        acc = TRI_UNKNOWN;
        }
        if (acc == TRI_UNKNOWN && !u->fact && !u->message) {
                *u = lu;
                return acc;
        }
        free(lu.message);
        return acc;
}

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
                m = fact_store_get(facts, "mount:fstypes");
                if (m->kind == FACT_LIST && !strv_contains(m->list, fs[i].fstype))
                        return fs[i].fstype;
                return NULL;
        }
        return NULL;
}

/* "kconfig:CONFIG_X = y; cmdline:nokaslr (absent)" for the facts of @conds. */
static char *
observed_for(FactStore *facts, const Cond *conds, size_t n, char *const *extra)
{
        _cleanup_strv_free_ char **keys = NULL;
        StrBuf b = {};

        STRV_FOREACH(k, extra)
                if (!strv_contains(keys, *k) && strv_extend(&keys, *k) < 0)
                        return NULL;
        for (size_t i = 0; i < n; i++)
                for (size_t t = 0; t < conds[i].n_terms; t++)
                        if (!strv_contains(keys, conds[i].terms[t].fact) && strv_extend(&keys, conds[i].terms[t].fact) < 0)
                                return NULL;
        STRV_FOREACH(k, keys) {
                const Fact *f = fact_store_get(facts, *k);
                _cleanup_free_ char *d = fact_describe(f);

                if (k != keys)
                        strbuf_append(&b, "; ");
                if (f->kind == FACT_ABSENT && absent_unmounted(facts, *k))
                        strbuf_printf(&b, "%s (absent: %s not mounted)", *k, absent_unmounted(facts, *k));
                else if (f->kind == FACT_ABSENT)
                        strbuf_printf(&b, "%s %s", *k, d ? d : "?");
                else if (f->kind == FACT_ERROR)
                        strbuf_printf(&b, "%s unreadable", *k);
                else
                        strbuf_printf(&b, "%s = %s", *k, d ? d : "?");
        }
        return strbuf_steal(&b);
}

static int
emit_unknown(const Check *c, Results *out, const char *subject, Unknown *u, const char *expected)
{
        Status st = STATUS_ERROR;
        const char *why = "undecided";

        if (u->message)
                why = u->message;
        else if (u->fact) {
                why = u->fact->string ? u->fact->string : "unreadable";
                if (fact_error_is_skip(u->fact))
                        st = STATUS_SKIP;
        }
        return results_add(out, c, st, subject, why, expected);
}

int
eval_emit(EvalContext *ctx, Status status, const char *subject, const char *observed, const char *expected)
{
        return results_add(ctx->out, ctx->check, status, subject, observed, expected);
}

int
eval_emitf(EvalContext *ctx, Status status, const char *subject, const char *fmt, ...)
{
        _cleanup_free_ char *m = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);
        if (!m)
                return -ENOMEM;
        return eval_emit(ctx, status, subject, m, NULL);
}

int
eval_fact_unusable(EvalContext *ctx, const char *subject, const Fact *f)
{
        int r;

        if (f->kind != FACT_ERROR)
                return 0;
        r = eval_emit(ctx, fact_error_is_skip(f) ? STATUS_SKIP : STATUS_ERROR, subject,
                      f->string ? f->string : "unreadable", NULL);
        return r < 0 ? r : 1;
}

static int
evaluate_one(const Check *c, const Catalog *catalog, FactStore *facts, Results *out)
{
        Unknown u = {};
        int r;

        assert(c && facts && out);

        /* Applicability first: a check for another CPU vendor is a skip. */
        /* Any false line makes the check not applicable, even when another
         * line could not be decided. */
        bool applies_unknown = false;
        for (size_t i = 0; i < c->n_applies; i++) {
                Tri t = cond_eval(facts, &c->applies[i], &u);
                if (t == TRI_FALSE) {
                        /* The reason in observed terms: what was read, then
                         * the condition it did not meet. */
                        _cleanup_free_ char *obs = observed_for(facts, &c->applies[i], 1, NULL);
                        _cleanup_free_ char *why = xasprintf("not applicable: %s (applies when %s)", strna(obs),
                                                             c->applies[i].text);
                        free(u.message);
                        return results_add(out, c, STATUS_SKIP, "host", why ? why : "not applicable", NULL);
                }
                if (t == TRI_UNKNOWN)
                        applies_unknown = true;
        }
        if (applies_unknown) {
                r = emit_unknown(c, out, "host", &u, NULL);
                free(u.message);
                return r;
        }

        if (c->evaluator) {
                EvalContext ctx = {.check = c, .catalog = catalog, .facts = facts, .out = out};
                size_t before = out->n;
                r = c->evaluator->run(&ctx);
                if (r < 0 && r != -ENOMEM)
                        r = results_add(out, c, STATUS_ERROR, "host", strerror(-r), NULL);
                else if (r >= 0 && out->n == before)
                        /* An evaluator that says nothing has a bug; never a silent pass. */
                        r = results_add(out, c, STATUS_ERROR, "host", "evaluator produced no result", NULL);
                return r < 0 ? r : 0;
        }

        const char *subject = c->subject ? c->subject : "host";

        if (c->if_absent != IF_ABSENT_EVALUATE && c->facts) {
                const Fact *f = fact_store_get(facts, c->facts[0]);
                if (f->kind == FACT_ABSENT) {
                        _cleanup_free_ char *obs = xasprintf("%s (absent)", c->facts[0]);
                        static const Status map[] = {
                                [IF_ABSENT_PASS] = STATUS_PASS,
                                [IF_ABSENT_FAIL] = STATUS_FAIL,
                                [IF_ABSENT_SKIP] = STATUS_SKIP,
                        };
                        return results_add(out, c, map[c->if_absent], subject, obs ? obs : "absent", NULL);
                }
        }

        if (c->split == SPLIT_NONE) {
                Tri acc = c->match_any ? TRI_FALSE : TRI_TRUE;

                for (size_t i = 0; i < c->n_expect; i++) {
                        Tri t = cond_eval(facts, &c->expect[i], &u);
                        if (c->match_any) {
                                if (t == TRI_TRUE) {
                                        acc = TRI_TRUE;
                                        break;
                                }
                                if (t == TRI_UNKNOWN)
                                        acc = TRI_UNKNOWN;
                        } else {
                                if (t == TRI_FALSE) {
                                        acc = TRI_FALSE;
                                        break;
                                }
                                if (t == TRI_UNKNOWN)
                                        acc = TRI_UNKNOWN;
                        }
                }
                if (acc == TRI_UNKNOWN)
                        r = emit_unknown(c, out, subject, &u, NULL);
                else {
                        _cleanup_free_ char *obs = observed_for(facts, c->expect, c->n_expect, c->facts);
                        r = results_add(out, c, acc == TRI_TRUE ? STATUS_PASS : STATUS_FAIL, subject,
                                        obs ? obs : "?", NULL);
                }
                free(u.message);
                return r;
        }

        /* One result per line (SPLIT_LINE) or per failing line (SPLIT_FAILURES). */
        size_t failures = 0;
        for (size_t i = 0; i < c->n_expect; i++) {
                const Cond *cond = &c->expect[i];
                Unknown lu = {};
                Tri t = cond_eval(facts, cond, &lu);
                const char *line_subject = cond->terms[0].fact;

                if (t == TRI_UNKNOWN) {
                        r = emit_unknown(c, out, line_subject, &lu, cond->text);
                        failures++;
                } else if (t == TRI_FALSE || c->split == SPLIT_LINE) {
                        _cleanup_free_ char *obs = observed_for(facts, cond, 1, NULL);
                        r = results_add(out, c, t == TRI_TRUE ? STATUS_PASS : STATUS_FAIL, line_subject, obs ? obs : "?",
                                        cond->text);
                        if (t == TRI_FALSE)
                                failures++;
                } else
                        r = 0;
                free(lu.message);
                if (r < 0)
                        return r;
        }
        if (c->split == SPLIT_FAILURES && failures == 0) {
                _cleanup_free_ char *obs = observed_for(facts, c->expect, c->n_expect, NULL);
                return results_add(out, c, STATUS_PASS, "host", obs ? obs : "?", NULL);
        }
        return 0;
}

/* At most this many places are named in a note on a repeated setting. */
#define REPEATED_PLACES_SHOWN 4u

/*
 * "KEY is set at A (used: the first counts) and B (ignored)" for every key
 * the check read that a probe found assigned more than once
 * (meta:KEY@repeated, "PATH:LINE" of each assignment, the used one first).
 */
static char *
repeated_notes(FactStore *facts, const char *const *keys, size_t n)
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

/* Appends "; @note" to a result's evidence, within the evidence bound. */
static int
result_add_note(Result *x, const char *note)
{
        char *o = xasprintf("%s%s%s", x->observed, x->observed[0] ? "; " : "", note);

        if (!o)
                return -ENOMEM;
        if (strlen(o) > RESULT_EVIDENCE_MAX)
                memcpy(o + RESULT_EVIDENCE_MAX - 16, " ... (truncated)", sizeof(" ... (truncated)"));
        text_sanitize(o);
        free(x->observed);
        x->observed = o;
        return 0;
}

int
check_evaluate(const Check *c, const Catalog *catalog, FactStore *facts, Results *out)
{
        const char *const *keys;
        size_t before = out->n, n_keys;
        int r;

        fact_store_log_start(facts);
        r = evaluate_one(c, catalog, facts, out);
        keys = fact_store_log_stop(facts, &n_keys);
        if (r < 0 || out->n == before)
                return r;
        /* A setting assigned twice is worth a line wherever it was read,
         * whatever the verdict: the file says two things. */
        _cleanup_free_ char *note = repeated_notes(facts, keys, n_keys);
        for (size_t i = before; note && *note && i < out->n; i++) {
                r = result_add_note(&out->v[i], note);
                if (r < 0)
                        return r;
        }
        return 0;
}
