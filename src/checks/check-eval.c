/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Evaluation of data checks, with three-valued logic: a term over a fact
 * that could not be read is unknown, so "A or B" still passes when B holds
 * and "A and B" still fails when B fails; only an undecided check turns
 * into skip or error. */
#include <assert.h>
#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "check-eval-terms.h"
#include "check-objects.h"
#include "strv.h"
#include "util.h"

/* Longest evidence string a result carries. */
#define RESULT_EVIDENCE_MAX 1024u

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

bool
fact_key_is_relative(const char *key)
{
        const char *colon = key ? strchr(key, ':') : NULL;

        return colon && colon[1] == '@' && (colon[2] == '\0' || colon[2] == '/');
}

char *
fact_key_for_object(const char *key, const char *object)
{
        const char *colon;

        if (!object || !fact_key_is_relative(key))
                return strdup(key);
        colon = strchr(key, ':');
        return xasprintf("%.*s%s%s", (int) (colon - key + 1), key, object, colon + 2);
}

char *const *
check_param(const Check *c, const char *key)
{
        for (size_t i = 0; i < c->n_params; i++)
                if (streq(c->params[i].key, key))
                        return c->params[i].values;
        return NULL;
}

bool
op_is_list(CondOp op)
{
        return op == OP_EACH_IN || op == OP_NONE_IN || op == OP_EACH_MATCH || op == OP_NONE_MATCH ||
               op == OP_EMPTY || op == OP_NONEMPTY || op == OP_COUNT_LE || op == OP_SOME_IN;
}

static bool
any_glob_matches(char *const *globs, const char *s)
{
        STRV_FOREACH(g, globs)
                if (fnmatch(*g, s, 0) == 0)
                        return true;
        return false;
}

/*
 * The items of a fact for the list operators: a list's items, a string as
 * one item (qemu.conf takes either for most keys), absent as no item.
 * Returns false for a fact that is neither (file metadata).
 */
bool
list_items(const Fact *f, char *one[static 2], char *const **ret)
{
        switch (f->kind) {
        case FACT_LIST:
                *ret = f->list ? f->list : &one[1];
                return true;
        case FACT_STRING:
                one[0] = f->string;
                *ret = one;
                return true;
        case FACT_ABSENT:
                *ret = &one[1];
                return true;
        default:
                return false;
        }
}

/* Whether @item breaks term @t (each-in, none-in, each-match, none-match,
 * empty: every item breaks it). */
bool
list_item_offends(const Term *t, const char *item)
{
        switch (t->op) {
        case OP_EACH_IN:
                return !strv_contains(t->args, item);
        case OP_NONE_IN:
                return strv_contains(t->args, item);
        case OP_EACH_MATCH:
                return !any_glob_matches(t->args, item);
        case OP_NONE_MATCH:
                return any_glob_matches(t->args, item);
        case OP_EMPTY:
                return true;
        default:
                return false;
        }
}

static Tri
list_term_eval(const Fact *f, const Term *t, const char *key, Unknown *u)
{
        char *one[2] = {};
        char *const *items;
        size_t n;
        int64_t max = 0;

        if (!list_items(f, one, &items))
                return set_unknown_message(u, "%s: operator %s needs a list", key, cond_op_to_string(t->op));
        n = strv_length(items);
        switch (t->op) {
        case OP_NONEMPTY:
                return tri(n > 0);
        case OP_SOME_IN:
                STRV_FOREACH(i, items)
                        if (strv_contains(t->args, *i))
                                return TRI_TRUE;
                return TRI_FALSE;
        case OP_COUNT_LE:
                (void) parse_int64(t->args[0], &max); /* validated by the loader */
                return tri((int64_t) n <= max);
        default:
                STRV_FOREACH(i, items)
                        if (list_item_offends(t, *i))
                                return TRI_FALSE;
                return TRI_TRUE;
        }
}

Tri
term_eval(FactStore *facts, const Term *t, const char *obj, Unknown *u)
{
        _cleanup_free_ char *key = fact_key_for_object(t->fact, obj);
        _cleanup_free_ char *text = NULL;
        const Fact *f;

        if (!key)
                return set_unknown_message(u, "out of memory");
        f = fact_store_get(facts, key);
        if (f->kind == FACT_ERROR) {
                if (!u->fact)
                        u->fact = f;
                return TRI_UNKNOWN;
        }
        if (op_is_list(t->op))
                return list_term_eval(f, t, key, u);
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
                        return set_unknown_message(u, "%s: operator %s needs a text value", key,
                                                   cond_op_to_string(t->op));
                }
        }
        if (t->op == OP_WORD || t->op == OP_NO_WORD) {
                bool any = false;
                STRV_FOREACH(a, t->args)
                        if (fact_has_word(f, *a))
                                any = true;
                return tri(t->op == OP_WORD ? any : !any);
        }
        text = fact_text(f);
        if (!text)
                return set_unknown_message(u, "%s: operator %s needs a text value", key, cond_op_to_string(t->op));

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
                        return set_unknown_message(u, "%s: value \"%s\" is not an integer", key, text);
                (void) parse_int64(t->args[0], &want);
                return tri(t->op == OP_GE ? v >= want : v <= want);
        }
        default:
                return set_unknown_message(u, "%s: operator %s needs file metadata", key,
                                           cond_op_to_string(t->op));
        }
}

/* Records in @u what left the condition undecided, and only then: an
 * unreadable fact in a branch that another term decided is not to blame. */
Tri
cond_eval(FactStore *facts, const Cond *c, const char *obj, Unknown *u)
{
        Unknown lu = {};
        Tri acc = TRI_FALSE;

        for (size_t i = 0; i < c->n_terms; i++) {
                Tri t = term_eval(facts, &c->terms[i], obj, &lu);
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

/* Applicability: lines over the object's own facts ("@") when
 * @relative, the others when not.  Any false line makes the check not
 * applicable, even when another line could not be decided.  Returns 1
 * when it emitted the skip (or the undecided result), 0 when the check
 * applies. */
static int
applies_eval(const Check *c, FactStore *facts, Results *out, const char *obj, const char *subject, bool relative)
{
        Unknown u = {};
        bool applies_unknown = false;
        int r;

        for (size_t i = 0; i < c->n_applies; i++) {
                bool rel = false;
                Tri t;

                for (size_t j = 0; j < c->applies[i].n_terms; j++)
                        rel = rel || fact_key_is_relative(c->applies[i].terms[j].fact);
                if (rel != relative)
                        continue;
                t = cond_eval(facts, &c->applies[i], obj, &u);
                if (t == TRI_FALSE) {
                        /* The reason in observed terms: what was read, then
                         * the condition it did not meet. */
                        _cleanup_free_ char *obs = evidence_observed(facts, &c->applies[i], 1, NULL, obj, false);
                        _cleanup_free_ char *why = xasprintf("not applicable: %s (applies when %s)", strna(obs),
                                                             c->applies[i].text);
                        free(u.message);
                        r = results_add(out, c, STATUS_SKIP, subject, why ? why : "not applicable", NULL);
                        return r < 0 ? r : 1;
                }
                if (t == TRI_UNKNOWN)
                        applies_unknown = true;
        }
        if (applies_unknown) {
                r = emit_unknown(c, out, subject, &u, NULL);
                free(u.message);
                return r < 0 ? r : 1;
        }
        return 0;
}

/* The expect lines of a data check, for one object (or the host). */
static int
evaluate_data(const Check *c, FactStore *facts, Results *out, const char *obj, const char *subject)
{
        Unknown u = {};
        int r;

        if (c->if_absent != IF_ABSENT_EVALUATE && c->facts) {
                _cleanup_free_ char *primary = fact_key_for_object(c->facts[0], obj);
                const Fact *f;

                if (!primary)
                        return -ENOMEM;
                f = fact_store_get(facts, primary);
                if (f->kind == FACT_ABSENT) {
                        _cleanup_free_ char *obs = xasprintf("%s (absent)", primary);
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
                        Tri t = cond_eval(facts, &c->expect[i], obj, &u);
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
                        _cleanup_free_ char *obs = evidence_observed(facts, c->expect, c->n_expect, c->facts, obj, acc == TRI_FALSE);
                        r = results_add(out, c, acc == TRI_TRUE ? STATUS_PASS : STATUS_FAIL, subject,
                                        obs ? obs : "?", NULL);
                }
                free(u.message);
                return r;
        }

        /* One result per line (SPLIT_LINE) or per failing line (SPLIT_FAILURES);
         * host scope only (the loader says so). */
        size_t failures = 0;
        for (size_t i = 0; i < c->n_expect; i++) {
                const Cond *cond = &c->expect[i];
                Unknown lu = {};
                Tri t = cond_eval(facts, cond, NULL, &lu);
                const char *line_subject = cond->terms[0].fact;

                if (t == TRI_UNKNOWN) {
                        r = emit_unknown(c, out, line_subject, &lu, cond->text);
                        failures++;
                } else if (t == TRI_FALSE || c->split == SPLIT_LINE) {
                        _cleanup_free_ char *obs = evidence_observed(facts, cond, 1, NULL, NULL, t == TRI_FALSE);
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
                _cleanup_free_ char *obs = evidence_observed(facts, c->expect, c->n_expect, NULL, NULL, false);
                return results_add(out, c, STATUS_PASS, "host", obs ? obs : "?", NULL);
        }
        return 0;
}

const Fact *
judge_fact(const JudgeCall *call, const char *key)
{
        _cleanup_free_ char *k = fact_key_for_object(key, call->object);

        /* On OOM the store answers with its static error fact. */
        return fact_store_get(call->facts, k ? k : "?");
}

char *const *
judge_param(const JudgeCall *call, const char *key)
{
        return check_param(call->check, key);
}

int
verdict_set(Verdict *v, Status status, const char *fmt, ...)
{
        char *m = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);
        if (!m)
                return -ENOMEM;
        free(v->observed);
        v->observed = m;
        v->status = status;
        return 0;
}

bool
verdict_unusable(Verdict *v, const Fact *f)
{
        if (f->kind != FACT_ERROR)
                return false;
        /* On OOM the verdict stays without evidence: the engine reports that. */
        (void) verdict_set(v, fact_error_is_skip(f) ? STATUS_SKIP : STATUS_ERROR, "%s",
                           f->string ? f->string : "unreadable");
        return true;
}

/* Calls the judge for one object and emits its verdict. */
static int
evaluate_judge(const Check *c, FactStore *facts, Results *out, const char *obj, const char *subject)
{
        JudgeCall call = {.check = c, .facts = facts, .object = obj};
        Verdict v = {.status = _STATUS_INVALID};
        int r;

        r = c->judge->judge(&call, &v);
        if (r == -ENOMEM)
                ;
        else if (r < 0)
                r = results_add(out, c, STATUS_ERROR, subject, strerror(-r), NULL);
        else if (!v.observed || v.status < 0 || v.status >= _STATUS_MAX || v.status == STATUS_WAIVED)
                /* A judge that decides nothing has a bug; never a silent pass. */
                r = results_add(out, c, STATUS_ERROR, subject, "judge gave no verdict", NULL);
        else
                r = results_add(out, c, v.status, subject, v.observed, v.expected);
        free(v.observed);
        free(v.expected);
        return r;
}

static int
evaluate_object(const Check *c, FactStore *facts, Results *out, const char *obj, const char *subject)
{
        int r = applies_eval(c, facts, out, obj, subject, true);

        if (r != 0)
                return r < 0 ? r : 0;
        if (c->judge)
                return evaluate_judge(c, facts, out, obj, subject);
        return evaluate_data(c, facts, out, obj, subject);
}

static int
domain_object(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        (void) userdata;
        return evaluate_object(ctx->check, ctx->facts, ctx->out, e->name, e->subject);
}

static int
process_object(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        (void) userdata;
        return evaluate_object(ctx->check, ctx->facts, ctx->out, pid, subject);
}

static int
daemon_object(EvalContext *ctx, const char *name, const char *subject, void *userdata)
{
        (void) userdata;
        return evaluate_object(ctx->check, ctx->facts, ctx->out, name, subject);
}

static int
evaluate_one(const Check *c, const Catalog *catalog, FactStore *facts, Results *out)
{
        EvalContext ctx = {.check = c, .catalog = catalog, .facts = facts, .out = out};
        int r;

        assert(c && facts && out);

        /* Applicability first (a check for another CPU vendor is a skip),
         * over the host's facts: those of an object come with it. */
        r = applies_eval(c, facts, out, NULL, "host", false);
        if (r != 0)
                return r < 0 ? r : 0;

        if (c->evaluator) {
                size_t before = out->n;
                r = c->evaluator->run(&ctx);
                if (r < 0 && r != -ENOMEM)
                        r = results_add(out, c, STATUS_ERROR, "host", strerror(-r), NULL);
                else if (r >= 0 && out->n == before)
                        /* An evaluator that says nothing has a bug; never a silent pass. */
                        r = results_add(out, c, STATUS_ERROR, "host", "evaluator produced no result", NULL);
                return r < 0 ? r : 0;
        }

        switch (c->scope) {
        case SCOPE_DOMAIN:
                return eval_for_each_domain(&ctx, domain_object, NULL);
        case SCOPE_PROCESS:
                return eval_for_each_process(&ctx, process_object, NULL);
        case SCOPE_DAEMON:
                return eval_for_each_daemon(&ctx, check_param(c, "daemons"), daemon_object, NULL);
        default:
                return evaluate_object(c, facts, out, NULL, c->subject ? c->subject : "host");
        }
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

/* Whether @key matches declaration @decl: "@" stands for any object,
 * "*" for anything (fnmatch(3) without flags). */
static bool
declaration_matches(const char *decl, const char *key)
{
        _cleanup_free_ char *pattern = NULL;

        if (!strchr(decl, '@') && !strchr(decl, '*') && !strchr(decl, '?') && !strchr(decl, '['))
                return streq(decl, key);
        if (fact_key_is_relative(decl)) {
                const char *colon = strchr(decl, ':');
                pattern = xasprintf("%.*s*%s", (int) (colon - decl + 1), decl, colon + 2);
        } else
                pattern = strdup(decl);
        return pattern && fnmatch(pattern, key, 0) == 0;
}

bool
check_declares(const Check *c, const char *key)
{
        _cleanup_strv_free_ char **implicit = NULL;

        STRV_FOREACH(d, c->facts)
                if (declaration_matches(*d, key))
                        return true;
        /* what the engine reads to find the objects of the scope */
        if (check_object_sources(c, &implicit) < 0)
                return false;
        STRV_FOREACH(d, implicit)
                if (declaration_matches(*d, key))
                        return true;
        return false;
}

/* At most this many undeclared keys are named in the error. */
#define UNDECLARED_SHOWN 4u

/* "reads undeclared facts: A, B" for the keys of the read log no
 * declaration of @c covers, or NULL when there is none (or on ENOMEM). */
static char *
undeclared_reads(const Check *c, const char *const *keys, size_t n)
{
        StrBuf b = {};
        size_t found = 0;

        for (size_t i = 0; i < n; i++) {
                if (check_declares(c, keys[i]))
                        continue;
                if (found++ < UNDECLARED_SHOWN)
                        strbuf_printf(&b, "%s%s", found > 1 ? ", " : "", keys[i]);
        }
        if (found == 0)
                return NULL;
        if (found > UNDECLARED_SHOWN)
                strbuf_printf(&b, " and %zu more", found - UNDECLARED_SHOWN);
        _cleanup_free_ char *l = strbuf_steal(&b);
        return l ? xasprintf("check bug: reads %s, not declared by a \"fact =\" line of %s:%u", l, c->file, c->line)
                 : NULL;
}

static void
results_truncate(Results *r, size_t n)
{
        while (r->n > n) {
                Result *x = &r->v[--r->n];
                free(x->subject);
                free(x->observed);
                free(x->expected);
                free(x->waiver);
                free(x->location);
        }
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
        /* Declared inputs are what "collect" saves and "explain" lists: a
         * check that reads anything else is broken, whatever it found. */
        _cleanup_free_ char *undeclared = undeclared_reads(c, keys, n_keys);
        if (undeclared) {
                results_truncate(out, before);
                return results_add(out, c, STATUS_ERROR, "host", undeclared, NULL);
        }
        /* A setting assigned twice is worth a line wherever it was read,
         * whatever the verdict: the file says two things. */
        _cleanup_free_ char *note = evidence_repeated_notes(facts, keys, n_keys);
        for (size_t i = before; note && *note && i < out->n; i++) {
                r = result_add_note(&out->v[i], note);
                if (r < 0)
                        return r;
        }
        return 0;
}
