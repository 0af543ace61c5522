/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .check loader: strict keyfile, every mistake named with file:line. */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strv.h"
#include "util.h"

/* Bounds on what a catalogue file may hold. */
#define CATALOG_LINE_MAX   8192u
#define CATALOG_VALUE_MAX  16384u
#define CATALOG_CHECKS_MAX 4096u
#define COND_TERMS_MAX     32u

static const char *const severity_table[_SEVERITY_MAX] = {
        [SEVERITY_INFO] = "info",
        [SEVERITY_LOW] = "low",
        [SEVERITY_MEDIUM] = "medium",
        [SEVERITY_HIGH] = "high",
        [SEVERITY_CRITICAL] = "critical",
};
_Static_assert(ELEMENTSOF(severity_table) == _SEVERITY_MAX, "severity_table out of sync");

static const unsigned severity_weights[_SEVERITY_MAX] = {
        [SEVERITY_INFO] = 0,
        [SEVERITY_LOW] = 1,
        [SEVERITY_MEDIUM] = 3,
        [SEVERITY_HIGH] = 5,
        [SEVERITY_CRITICAL] = 10,
};

static const char *const scope_table[_SCOPE_MAX] = {
        [SCOPE_HOST] = "host",
        [SCOPE_DOMAIN] = "domain",
        [SCOPE_PROCESS] = "process",
        [SCOPE_DAEMON] = "daemon",
};
_Static_assert(ELEMENTSOF(scope_table) == _SCOPE_MAX, "scope_table out of sync");

static const char *const status_table[_STATUS_MAX] = {
        [STATUS_PASS] = "pass",
        [STATUS_FAIL] = "fail",
        [STATUS_SKIP] = "skip",
        [STATUS_ERROR] = "error",
        [STATUS_WAIVED] = "waived",
};
_Static_assert(ELEMENTSOF(status_table) == _STATUS_MAX, "status_table out of sync");

static const char *const op_table[_OP_MAX] = {
        [OP_PRESENT] = "present",
        [OP_ABSENT] = "absent",
        [OP_EQ] = "eq",
        [OP_NE] = "ne",
        [OP_IN] = "in",
        [OP_NOT_IN] = "not-in",
        [OP_GE] = "ge",
        [OP_LE] = "le",
        [OP_CONTAINS] = "contains",
        [OP_NOT_CONTAINS] = "not-contains",
        [OP_WORD] = "word",
        [OP_NO_WORD] = "no-word",
        [OP_MITIGATED] = "mitigated",
        [OP_MODE_MAX] = "mode-max",
        [OP_UID] = "uid",
        [OP_GID] = "gid",
        [OP_TYPE] = "type",
        [OP_NO_ACL] = "no-acl",
        [OP_EACH_IN] = "each-in",
        [OP_NONE_IN] = "none-in",
        [OP_EACH_MATCH] = "each-match",
        [OP_NONE_MATCH] = "none-match",
        [OP_EMPTY] = "empty",
        [OP_NONEMPTY] = "nonempty",
        [OP_COUNT_LE] = "count-le",
        [OP_SOME_IN] = "some-in",
};
_Static_assert(ELEMENTSOF(op_table) == _OP_MAX, "op_table out of sync");

/* Arguments each operator takes: exactly n, or at least 1 when -1. */
static const int op_arity[_OP_MAX] = {
        [OP_PRESENT] = 0, [OP_ABSENT] = 0, [OP_EQ] = 1, [OP_NE] = 1, [OP_IN] = -1, [OP_NOT_IN] = -1,
        [OP_GE] = 1, [OP_LE] = 1, [OP_CONTAINS] = 1, [OP_NOT_CONTAINS] = 1, [OP_WORD] = -1,
        [OP_NO_WORD] = -1, [OP_MITIGATED] = 0, [OP_MODE_MAX] = 1, [OP_UID] = 1, [OP_GID] = 1,
        [OP_TYPE] = 1, [OP_NO_ACL] = 0, [OP_EACH_IN] = -1, [OP_NONE_IN] = -1, [OP_EACH_MATCH] = -1,
        [OP_NONE_MATCH] = -1, [OP_EMPTY] = 0, [OP_NONEMPTY] = 0, [OP_COUNT_LE] = 1,
        [OP_SOME_IN] = -1,
};

static bool
op_is_stat(CondOp op)
{
        return op == OP_MODE_MAX || op == OP_UID || op == OP_GID || op == OP_TYPE || op == OP_NO_ACL;
}

#define DEFINE_STRING_TABLE(name, type, table, max, invalid)            \
        const char *name##_to_string(type v)                            \
        {                                                               \
                return (int) v >= 0 && (int) v < (max) ? table[v] : NULL; \
        }                                                               \
        type name##_from_string(const char *s)                          \
        {                                                               \
                for (int i = 0; s && i < (max); i++)                    \
                        if (streq(table[i], s))                         \
                                return (type) i;                        \
                return invalid;                                         \
        }

DEFINE_STRING_TABLE(severity, Severity, severity_table, _SEVERITY_MAX, _SEVERITY_INVALID)
DEFINE_STRING_TABLE(scope, Scope, scope_table, _SCOPE_MAX, _SCOPE_INVALID)
DEFINE_STRING_TABLE(status, Status, status_table, _STATUS_MAX, _STATUS_INVALID)
DEFINE_STRING_TABLE(cond_op, CondOp, op_table, _OP_MAX, _OP_INVALID)

unsigned
severity_weight(Severity s)
{
        return s >= 0 && s < _SEVERITY_MAX ? severity_weights[s] : 0;
}

static void
cond_done(Cond *c)
{
        for (size_t i = 0; i < c->n_terms; i++) {
                free(c->terms[i].fact);
                strv_free(c->terms[i].args);
        }
        free(c->terms);
        free(c->text);
}

static void
check_done(Check *c)
{
        free(c->id);
        free(c->title);
        free(c->category);
        free(c->subject);
        strv_free(c->facts);
        for (size_t i = 0; i < c->n_expect; i++)
                cond_done(&c->expect[i]);
        free(c->expect);
        for (size_t i = 0; i < c->n_applies; i++)
                cond_done(&c->applies[i]);
        free(c->applies);
        for (size_t i = 0; i < c->n_params; i++) {
                free(c->params[i].key);
                strv_free(c->params[i].values);
        }
        free(c->params);
        free(c->expected);
        free(c->rationale);
        free(c->remediation);
        for (size_t i = 0; i < _DISTRO_MAX; i++)
                free(c->remediation_for[i]);
        strv_free(c->refs);
        free(c->source);
        for (size_t i = 0; i < _FRAMEWORK_MAX; i++)
                strv_free(c->controls[i]);
        free(c->file);
}

void
catalog_done(Catalog *c)
{
        for (size_t i = 0; i < c->n_checks; i++)
                check_done(&c->checks[i]);
        free(c->checks);
        *c = (Catalog) {};
}

typedef struct Loader {
        const char *file;
        const FactNamespace *namespaces;
        size_t n_namespaces;
        char *error;
} Loader;

static int
loader_fail(Loader *l, unsigned line, const char *fmt, ...) _printf_(3, 4);

static int
loader_fail(Loader *l, unsigned line, const char *fmt, ...)
{
        _cleanup_free_ char *m = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);
        free(l->error);
        l->error = xasprintf("%s:%u: %s", l->file, line, m ? m : "out of memory");
        return -EBADMSG;
}

/* A quoted word is never an operator, a fact or the keyword "or": the
 * tokenizer marks it with this prefix, stripped when it becomes an argument. */
#define QUOTED_MARK '\x01'

/* Splits at whitespace; "double quoted" words keep their spaces. */
static int
tokenize(const char *s, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));

        if (!l)
                return -ENOMEM;
        for (;;) {
                StrBuf b = {};

                while (*s && isspace((unsigned char) *s))
                        s++;
                if (!*s)
                        break;
                if (*s == '"') {
                        const char *end = strchr(s + 1, '"');
                        char mark = QUOTED_MARK;
                        if (!end)
                                return -EBADMSG;
                        strbuf_appendn(&b, &mark, 1);
                        strbuf_appendn(&b, s + 1, (size_t) (end - s - 1));
                        s = end + 1;
                        if (*s && !isspace((unsigned char) *s)) {
                                strbuf_done(&b);
                                return -EBADMSG;
                        }
                } else {
                        while (*s && !isspace((unsigned char) *s))
                                strbuf_appendn(&b, s++, 1);
                }
                char *w = strbuf_steal(&b);
                if (strv_consume(&l, w) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static bool
looks_like_fact(const char *s)
{
        return s[0] != QUOTED_MARK && strchr(s, ':') && fact_key_valid(s) && cond_op_from_string(s) < 0;
}

static bool
is_or(const char *s)
{
        return streq(s, "or");
}

static const char *
unquoted(const char *s)
{
        return s[0] == QUOTED_MARK ? s + 1 : s;
}

static int
parse_cond(Loader *l, unsigned line, const char *text, const char *primary, Cond *ret)
{
        _cleanup_strv_free_ char **tok = NULL;
        Cond c = {};
        size_t i = 0;
        int r;

        r = tokenize(text, &tok);
        if (r == -EBADMSG)
                return loader_fail(l, line, "unbalanced quote in condition \"%s\"", text);
        if (r < 0)
                return r;
        if (!tok[0])
                return loader_fail(l, line, "empty condition");

        while (tok[i]) {
                Term t = {};
                size_t start;

                if (c.n_terms >= COND_TERMS_MAX) {
                        r = loader_fail(l, line, "more than %u terms in one condition", COND_TERMS_MAX);
                        goto fail;
                }
                if (looks_like_fact(tok[i])) {
                        if (!fact_namespace_known(l->namespaces, l->n_namespaces, tok[i])) {
                                r = loader_fail(l, line, "unknown fact namespace in \"%s\"", tok[i]);
                                goto fail;
                        }
                        t.fact = strdup(tok[i++]);
                } else if (primary)
                        t.fact = strdup(primary);
                else {
                        r = loader_fail(l, line, "condition names no fact and the check has no \"fact\"");
                        goto fail;
                }
                if (!t.fact) {
                        r = -ENOMEM;
                        goto fail;
                }
                if (!tok[i]) {
                        free(t.fact);
                        r = loader_fail(l, line, "missing operator after \"%s\"", tok[i - 1]);
                        goto fail;
                }
                t.op = tok[i][0] == QUOTED_MARK ? _OP_INVALID : cond_op_from_string(tok[i]);
                if (t.op < 0) {
                        free(t.fact);
                        r = loader_fail(l, line, "unknown operator \"%s\"", unquoted(tok[i]));
                        goto fail;
                }
                i++;
                start = i;
                while (tok[i] && !is_or(tok[i]))
                        i++;
                size_t nargs = i - start;
                if ((op_arity[t.op] >= 0 && nargs != (size_t) op_arity[t.op]) ||
                    (op_arity[t.op] < 0 && nargs == 0)) {
                        free(t.fact);
                        r = loader_fail(l, line, "operator \"%s\" takes %s argument%s, got %zu",
                                        op_table[t.op],
                                        op_arity[t.op] < 0 ? "one or more" : op_arity[t.op] == 0 ? "no" : "one",
                                        op_arity[t.op] == 1 ? "" : "s", nargs);
                        goto fail;
                }
                bool stat_fact = startswith(t.fact, "stat:");
                if (stat_fact != op_is_stat(t.op) && t.op != OP_PRESENT && t.op != OP_ABSENT) {
                        r = loader_fail(l, line, "operator \"%s\" does not apply to %s", op_table[t.op], t.fact);
                        free(t.fact);
                        goto fail;
                }
                t.args = calloc(nargs + 1, sizeof(char *));
                if (!t.args) {
                        free(t.fact);
                        r = -ENOMEM;
                        goto fail;
                }
                for (size_t a = 0; a < nargs; a++)
                        if (!(t.args[a] = strdup(unquoted(tok[start + a])))) {
                                free(t.fact);
                                strv_free(t.args);
                                r = -ENOMEM;
                                goto fail;
                        }
                /* Validate numeric arguments now, not at scan time. */
                if (t.op == OP_GE || t.op == OP_LE || t.op == OP_UID || t.op == OP_GID || t.op == OP_COUNT_LE) {
                        int64_t v;
                        if (parse_int64(t.args[0], &v) < 0) {
                                r = loader_fail(l, line, "operator \"%s\" needs an integer, got \"%s\"",
                                                op_table[t.op], t.args[0]);
                                free(t.fact);
                                strv_free(t.args);
                                goto fail;
                        }
                }
                if (t.op == OP_MODE_MAX) {
                        mode_t m;
                        if (parse_mode(t.args[0], &m) < 0) {
                                r = loader_fail(l, line, "mode-max needs an octal mode, got \"%s\"", t.args[0]);
                                free(t.fact);
                                strv_free(t.args);
                                goto fail;
                        }
                }
                if (t.op == OP_TYPE && !strv_contains((char *[]) {"reg", "dir", "chr", "blk", "lnk", "fifo", "sock", NULL},
                                                      t.args[0])) {
                        r = loader_fail(l, line, "unknown file type \"%s\"", t.args[0]);
                        free(t.fact);
                        strv_free(t.args);
                        goto fail;
                }
                Term *nt = realloc(c.terms, (c.n_terms + 1) * sizeof(Term));
                if (!nt) {
                        free(t.fact);
                        strv_free(t.args);
                        r = -ENOMEM;
                        goto fail;
                }
                c.terms = nt;
                c.terms[c.n_terms++] = t;
                if (tok[i]) { /* "or" */
                        i++;
                        if (!tok[i]) {
                                r = loader_fail(l, line, "condition ends with \"or\"");
                                goto fail;
                        }
                }
        }
        c.text = strdup(text);
        if (!c.text) {
                r = -ENOMEM;
                goto fail;
        }
        *ret = c;
        return 0;
fail:
        cond_done(&c);
        return r;
}

typedef struct RawKey {
        char *key;
        char *value;
        unsigned line;
} RawKey;

typedef struct RawSection {
        char *id;
        unsigned line;
        RawKey *keys;
        size_t n_keys;
} RawSection;

static void
raw_done(RawSection *s)
{
        for (size_t i = 0; i < s->n_keys; i++) {
                free(s->keys[i].key);
                free(s->keys[i].value);
        }
        free(s->keys);
        free(s->id);
        *s = (RawSection) {};
}

static const char *const known_keys[] = {
        "applies", "category", "evaluator", "expect", "expected", "fact", "if-absent", "judge", "match",
        "param", "rationale", "ref", "remediation", "remediation.debian", "remediation.rhel", "scope", "severity",
        "source", "split", "subject", "title",
        /* control identifiers, one key per framework (framework_key()) */
        "nist-800-53", "srg", "cci", "cis",
};
static const char *const multi_keys[] = {"applies", "expect", "fact", "param", "ref"};

/* Params the engine itself reads, on any check of the scope. */
static const char *const engine_params_daemon[] = {"daemons", NULL};

static bool
in_list(const char *const *list, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (streq(list[i], s))
                        return true;
        return false;
}

static const char *const categories[] = {
        "cpu", "devices", "domain", "hw", "kernel", "kvm", "libvirtd", "lsm", "qemu", "seccomp", "svirt",
};

/* ^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$, by hand: it runs for every check at
 * every start, and a regcomp() per id cost more than the rest of the load. */
static bool
id_valid(const char *id)
{
        const char *p = id;

        if (!(*p >= 'a' && *p <= 'z'))
                return false;
        while (*p >= 'a' && *p <= 'z')
                p++;
        if (*p++ != '.')
                return false;
        for (;;) {
                const char *start = p;

                while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
                        p++;
                if (p == start)
                        return false;
                if (*p == '\0')
                        return true;
                if (*p++ != '-')
                        return false;
        }
}

static int
add_fact(char ***facts, const char *f)
{
        if (strv_contains(*facts, f))
                return 0;
        return strv_extend(facts, f);
}

/* "KEY VALUE..." into the check's params. */
static int
parse_param(Loader *l, unsigned line, const char *value, Check *c)
{
        _cleanup_strv_free_ char **tok = NULL;
        CheckParam *n;
        int r;

        r = tokenize(value, &tok);
        if (r == -EBADMSG)
                return loader_fail(l, line, "unbalanced quote in param \"%s\"", value);
        if (r < 0)
                return r;
        if (!tok[0] || tok[0][0] == QUOTED_MARK || !tok[1])
                return loader_fail(l, line, "param must be \"KEY VALUE...\", got \"%s\"", value);
        for (const char *p = tok[0]; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
                        return loader_fail(l, line, "param key \"%s\" is not [a-z0-9-]+", tok[0]);
        for (size_t i = 0; i < c->n_params; i++)
                if (streq(c->params[i].key, tok[0]))
                        return loader_fail(l, line, "param \"%s\" given twice", tok[0]);
        if (c->n_params >= CHECK_PARAMS_MAX)
                return loader_fail(l, line, "more than %u params", CHECK_PARAMS_MAX);
        n = realloc(c->params, (c->n_params + 1) * sizeof(CheckParam));
        if (!n)
                return -ENOMEM;
        c->params = n;
        for (size_t i = 1; tok[i]; i++)
                if (tok[i][0] == QUOTED_MARK)
                        memmove(tok[i], tok[i] + 1, strlen(tok[i]));
        CheckParam p = {.key = strdup(tok[0])};
        if (!p.key)
                return -ENOMEM;
        for (size_t i = 1; tok[i]; i++)
                if (strv_extend(&p.values, tok[i]) < 0) {
                        free(p.key);
                        strv_free(p.values);
                        return -ENOMEM;
                }
        c->params[c->n_params++] = p;
        return 0;
}

/* Every param is one the judge (or, for a data check, the engine) reads:
 * a misspelt key would otherwise be silently ignored. */
static int
check_params_valid(Loader *l, const RawSection *s, const Check *c)
{
        for (size_t i = 0; i < c->n_params; i++) {
                const char *key = c->params[i].key;
                const char *const *known = c->judge ? c->judge->params : NULL;
                bool ok = false;
                unsigned line = s->line;

                for (size_t j = 0; j < s->n_keys; j++)
                        if (streq(s->keys[j].key, "param") && startswith(s->keys[j].value, key) &&
                            strchr(" \t", s->keys[j].value[strlen(key)]))
                                line = s->keys[j].line;
                if (c->evaluator)
                        return loader_fail(l, line, "param \"%s\": evaluator \"%s\" takes no params (a judge does)",
                                           key, c->evaluator->name);
                for (const char *const *p = known; p && *p && !ok; p++)
                        ok = streq(*p, key);
                if (c->scope == SCOPE_DAEMON)
                        for (const char *const *p = engine_params_daemon; *p && !ok; p++)
                                ok = streq(*p, key);
                if (!ok)
                        return loader_fail(l, line, "unknown param \"%s\" for %s", key,
                                           c->judge ? c->judge->name : "a data check");
                /* A daemon is known by its configuration's namespace. */
                if (c->scope == SCOPE_DAEMON && streq(key, "daemons"))
                        STRV_FOREACH(d, c->params[i].values) {
                                _cleanup_free_ char *ns = xasprintf("%s.conf:x", *d);
                                if (!ns)
                                        return -ENOMEM;
                                if (!fact_namespace_known(l->namespaces, l->n_namespaces, ns))
                                        return loader_fail(l, line,
                                                           "daemon \"%s\" has no configuration namespace \"%s.conf\"",
                                                           *d, *d);
                        }
        }
        return 0;
}

static char *
generate_expected(const Check *c)
{
        StrBuf b = {};

        for (size_t i = 0; i < c->n_expect; i++) {
                if (i > 0)
                        strbuf_append(&b, c->match_any ? "; or " : "; and ");
                strbuf_append(&b, c->expect[i].text);
        }
        return strbuf_steal(&b);
}

static int
build_check(Loader *l, RawSection *s, Check *ret)
{
        _cleanup_(check_done) Check c = {};
        const RawKey *applies[64], *expects[64];
        size_t n_applies = 0, n_expects = 0;
        const char *primary = NULL;
        int r;

        c.id = strdup(s->id);
        c.file = strdup(l->file);
        c.line = s->line;
        c.severity = _SEVERITY_INVALID;
        c.scope = _SCOPE_INVALID;
        if (!c.id || !c.file)
                return -ENOMEM;

        for (size_t i = 0; i < s->n_keys; i++) {
                const RawKey *k = &s->keys[i];
                const char *v = k->value;

                if (!in_list(known_keys, ELEMENTSOF(known_keys), k->key))
                        return loader_fail(l, k->line, "unknown key \"%s\"", k->key);
                if (!in_list(multi_keys, ELEMENTSOF(multi_keys), k->key))
                        for (size_t j = 0; j < i; j++)
                                if (streq(s->keys[j].key, k->key))
                                        return loader_fail(l, k->line, "key \"%s\" given twice (first on line %u)",
                                                           k->key, s->keys[j].line);
                if (*v == '\0')
                        return loader_fail(l, k->line, "empty value for \"%s\"", k->key);

#define SET_STRING(field)                       \
        do {                                    \
                if (!(c.field = strdup(v)))     \
                        return -ENOMEM;         \
        } while (0)

                if (streq(k->key, "title"))
                        SET_STRING(title);
                else if (streq(k->key, "category")) {
                        if (!in_list(categories, ELEMENTSOF(categories), v))
                                return loader_fail(l, k->line, "unknown category \"%s\"", v);
                        SET_STRING(category);
                } else if (streq(k->key, "severity")) {
                        c.severity = severity_from_string(v);
                        if (c.severity < 0)
                                return loader_fail(l, k->line, "unknown severity \"%s\"", v);
                } else if (streq(k->key, "scope")) {
                        c.scope = scope_from_string(v);
                        if (c.scope < 0)
                                return loader_fail(l, k->line, "unknown scope \"%s\"", v);
                } else if (streq(k->key, "fact")) {
                        if (!fact_key_valid(v) || strchr(v, ' '))
                                return loader_fail(l, k->line, "invalid fact \"%s\" (expected namespace:name)", v);
                        if (!fact_namespace_known(l->namespaces, l->n_namespaces, v))
                                return loader_fail(l, k->line, "unknown fact namespace in \"%s\"", v);
                        if (!primary)
                                primary = v;
                        if (add_fact(&c.facts, v) < 0)
                                return -ENOMEM;
                } else if (streq(k->key, "expect")) {
                        if (n_expects >= ELEMENTSOF(expects))
                                return loader_fail(l, k->line, "too many \"expect\" lines");
                        expects[n_expects++] = k;
                } else if (streq(k->key, "applies")) {
                        if (n_applies >= ELEMENTSOF(applies))
                                return loader_fail(l, k->line, "too many \"applies\" lines");
                        applies[n_applies++] = k;
                } else if (streq(k->key, "match")) {
                        if (!streq(v, "all") && !streq(v, "any"))
                                return loader_fail(l, k->line, "match must be \"all\" or \"any\", not \"%s\"", v);
                        c.match_any = streq(v, "any");
                } else if (streq(k->key, "split")) {
                        if (streq(v, "none"))
                                c.split = SPLIT_NONE;
                        else if (streq(v, "line"))
                                c.split = SPLIT_LINE;
                        else if (streq(v, "failures"))
                                c.split = SPLIT_FAILURES;
                        else
                                return loader_fail(l, k->line, "split must be none, line or failures, not \"%s\"", v);
                } else if (streq(k->key, "if-absent")) {
                        if (streq(v, "pass"))
                                c.if_absent = IF_ABSENT_PASS;
                        else if (streq(v, "fail"))
                                c.if_absent = IF_ABSENT_FAIL;
                        else if (streq(v, "skip"))
                                c.if_absent = IF_ABSENT_SKIP;
                        else
                                return loader_fail(l, k->line, "if-absent must be pass, fail or skip, not \"%s\"", v);
                } else if (streq(k->key, "evaluator") || streq(k->key, "judge")) {
                        /* "evaluator" is the old name of the key: one of the two. */
                        if (c.evaluator || c.judge)
                                return loader_fail(l, k->line, "\"%s\" given, but the check already has a judge",
                                                   k->key);
                        c.judge = judge_find(v);
                        if (!c.judge)
                                c.evaluator = evaluator_find(v);
                        if (!c.judge && !c.evaluator)
                                return loader_fail(l, k->line, "unknown judge \"%s\"", v);
                } else if (streq(k->key, "param")) {
                        r = parse_param(l, k->line, v, &c);
                        if (r < 0)
                                return r;
                } else if (streq(k->key, "expected"))
                        SET_STRING(expected);
                else if (streq(k->key, "subject")) {
                        if (!streq(v, "host") && v[0] != '/')
                                return loader_fail(l, k->line, "subject must be \"host\" or an absolute path, not \"%s\"", v);
                        SET_STRING(subject);
                }
                else if (streq(k->key, "rationale"))
                        SET_STRING(rationale);
                else if (streq(k->key, "remediation"))
                        SET_STRING(remediation);
                else if (distro_family_from_key(k->key) >= 0)
                        SET_STRING(remediation_for[distro_family_from_key(k->key)]);
                else if (streq(k->key, "source"))
                        SET_STRING(source);
                else if (streq(k->key, "ref")) {
                        if (!startswith(v, "https://") && !startswith(v, "http://"))
                                return loader_fail(l, k->line, "ref must be a URL, got \"%s\"", v);
                        if (strchr(v, ' '))
                                return loader_fail(l, k->line, "ref must be one URL without spaces");
                        if (strv_extend(&c.refs, v) < 0)
                                return -ENOMEM;
                } else if (framework_from_key(k->key) >= 0) {
                        _cleanup_free_ char *err = NULL;
                        Framework f = framework_from_key(k->key);

                        r = control_list_parse(f, v, &c.controls[f], &err);
                        if (r == -EBADMSG)
                                return loader_fail(l, k->line, "%s", err);
                        if (r < 0)
                                return r;
                }
#undef SET_STRING
        }

        static const char *const required[] = {"title", "category", "severity", "scope", "rationale", "remediation"};
        for (size_t i = 0; i < ELEMENTSOF(required); i++) {
                bool found = false;
                for (size_t j = 0; j < s->n_keys; j++)
                        if (streq(s->keys[j].key, required[i]))
                                found = true;
                if (!found)
                        return loader_fail(l, s->line, "check \"%s\" has no \"%s\"", s->id, required[i]);
        }
        if (!startswith(c.id, c.category) || c.id[strlen(c.category)] != '.')
                return loader_fail(l, s->line, "id \"%s\" does not start with its category \"%s.\"", c.id, c.category);
        bool has_c = c.evaluator || c.judge;
        if (has_c && n_expects > 0)
                return loader_fail(l, expects[0]->line, "a check has either \"expect\" or \"judge\", not both");
        if (!has_c && n_expects == 0)
                return loader_fail(l, s->line, "check \"%s\" has neither \"expect\" nor \"judge\"", s->id);
        if (has_c && !c.expected)
                return loader_fail(l, s->line, "check \"%s\" uses a judge and needs \"expected\"", s->id);
        if (c.if_absent != IF_ABSENT_EVALUATE && !primary)
                return loader_fail(l, s->line, "\"if-absent\" needs a \"fact\" to apply to");
        if (c.subject && (c.evaluator || c.split != SPLIT_NONE))
                return loader_fail(l, s->line, "\"subject\" names the one result of a data check without \"split\"");
        if (c.subject && c.scope != SCOPE_HOST)
                return loader_fail(l, s->line, "\"subject\" is for scope host: a %s check names its objects",
                                   scope_to_string(c.scope));
        if (c.split != SPLIT_NONE && has_c)
                return loader_fail(l, s->line, "\"split\" applies to \"expect\" lines, not to a judge");
        if (c.split != SPLIT_NONE && c.scope != SCOPE_HOST)
                return loader_fail(l, s->line, "\"split\" is for scope host: a %s check has one result per object",
                                   scope_to_string(c.scope));
        r = check_params_valid(l, s, &c);
        if (r < 0)
                return r;

        c.expect = calloc(n_expects ? n_expects : 1, sizeof(Cond));
        c.applies = calloc(n_applies ? n_applies : 1, sizeof(Cond));
        if (!c.expect || !c.applies)
                return -ENOMEM;
        for (size_t i = 0; i < n_expects; i++) {
                r = parse_cond(l, expects[i]->line, expects[i]->value, primary, &c.expect[i]);
                if (r < 0)
                        return r;
                c.n_expect++;
                for (size_t t = 0; t < c.expect[i].n_terms; t++)
                        if (add_fact(&c.facts, c.expect[i].terms[t].fact) < 0)
                                return -ENOMEM;
        }
        for (size_t i = 0; i < n_applies; i++) {
                r = parse_cond(l, applies[i]->line, applies[i]->value, primary, &c.applies[i]);
                if (r < 0)
                        return r;
                c.n_applies++;
                for (size_t t = 0; t < c.applies[i].n_terms; t++)
                        if (add_fact(&c.facts, c.applies[i].terms[t].fact) < 0)
                                return -ENOMEM;
        }
        /* "@" needs an object: a host check has none.  (Legacy evaluators
         * iterate by themselves and read absolute keys.) */
        if (c.scope == SCOPE_HOST)
                STRV_FOREACH(f, c.facts)
                        if (fact_key_is_relative(*f))
                                return loader_fail(l, s->line, "\"%s\" is relative to an object (\"@\"), but the "
                                                   "check has scope host", *f);
        if (!c.expected) {
                c.expected = generate_expected(&c);
                if (!c.expected)
                        return -ENOMEM;
        }
        *ret = c;
        c = (Check) {};
        return 0;
}

static int
append_check(Catalog *cat, Check *c)
{
        Check *n = realloc(cat->checks, (cat->n_checks + 1) * sizeof(Check));

        if (!n)
                return -ENOMEM;
        cat->checks = n;
        cat->checks[cat->n_checks++] = *c;
        *c = (Check) {};
        return 0;
}

int
catalog_load_text(Catalog *cat, const char *text, const char *filename, const FactNamespace *namespaces,
                  size_t n_namespaces, char **ret_error)
{
        Loader l = {.file = filename, .namespaces = namespaces, .n_namespaces = n_namespaces};
        RawSection *sections = NULL;
        size_t n_sections = 0, old_n = cat->n_checks;
        unsigned lineno = 0;
        const char *p = text, *next;
        int r = 0;

        assert(cat && text && filename);

        for (; *p; p = next) {
                size_t len;
                char *line;

                lineno++;
                next = strchr(p, '\n');
                len = next ? (size_t) (next - p) : strlen(p);
                next = next ? next + 1 : p + len;
                if (len > CATALOG_LINE_MAX) {
                        r = loader_fail(&l, lineno, "line longer than %u bytes", CATALOG_LINE_MAX);
                        goto finish;
                }
                line = strndup(p, len);
                if (!line) {
                        r = -ENOMEM;
                        goto finish;
                }
                if (len > 0 && line[len - 1] == '\r')
                        line[len - 1] = '\0';
                for (char *c = line; *c; c++)
                        if ((unsigned char) *c < 0x20 && *c != '\t') {
                                free(line);
                                r = loader_fail(&l, lineno, "control character in the file");
                                goto finish;
                        }

                if (line[0] == '#' || line[strspn(line, " \t")] == '\0') {
                        free(line);
                        continue;
                }
                if (line[0] == ' ' || line[0] == '\t') {
                        /* continuation of the previous value */
                        RawSection *s = n_sections ? &sections[n_sections - 1] : NULL;
                        if (!s || s->n_keys == 0) {
                                free(line);
                                r = loader_fail(&l, lineno, "continuation line without a key before it");
                                goto finish;
                        }
                        RawKey *k = &s->keys[s->n_keys - 1];
                        char *joined = xasprintf("%s %s", k->value, strstrip(line));
                        free(line);
                        if (!joined) {
                                r = -ENOMEM;
                                goto finish;
                        }
                        free(k->value);
                        k->value = joined;
                        if (strlen(joined) > CATALOG_VALUE_MAX) {
                                r = loader_fail(&l, lineno, "value longer than %u bytes", CATALOG_VALUE_MAX);
                                goto finish;
                        }
                        continue;
                }
                if (line[0] == '[') {
                        char *end = strchr(line, ']');
                        if (!end || end[1 + strspn(end + 1, " \t")] != '\0') {
                                free(line);
                                r = loader_fail(&l, lineno, "malformed section header");
                                goto finish;
                        }
                        *end = '\0';
                        if (!id_valid(line + 1)) {
                                r = loader_fail(&l, lineno, "invalid check id \"%s\"", line + 1);
                                free(line);
                                goto finish;
                        }
                        if (n_sections >= CATALOG_CHECKS_MAX) {
                                free(line);
                                r = loader_fail(&l, lineno, "more than %u checks", CATALOG_CHECKS_MAX);
                                goto finish;
                        }
                        RawSection *ns = realloc(sections, (n_sections + 1) * sizeof(RawSection));
                        if (!ns) {
                                free(line);
                                r = -ENOMEM;
                                goto finish;
                        }
                        sections = ns;
                        sections[n_sections] = (RawSection) {.id = strdup(line + 1), .line = lineno};
                        free(line);
                        if (!sections[n_sections++].id) {
                                r = -ENOMEM;
                                goto finish;
                        }
                        continue;
                }
                char *eq = strchr(line, '=');
                if (!eq) {
                        r = loader_fail(&l, lineno, "expected \"key = value\"");
                        free(line);
                        goto finish;
                }
                if (n_sections == 0) {
                        free(line);
                        r = loader_fail(&l, lineno, "key outside of a [check.id] section");
                        goto finish;
                }
                *eq = '\0';
                RawSection *s = &sections[n_sections - 1];
                RawKey *nk = realloc(s->keys, (s->n_keys + 1) * sizeof(RawKey));
                if (!nk) {
                        free(line);
                        r = -ENOMEM;
                        goto finish;
                }
                s->keys = nk;
                s->keys[s->n_keys] = (RawKey) {
                        .key = strdup(strstrip(line)),
                        .value = strdup(strstrip(eq + 1)),
                        .line = lineno,
                };
                free(line);
                if (!s->keys[s->n_keys].key || !s->keys[s->n_keys].value) {
                        free(s->keys[s->n_keys].key);
                        free(s->keys[s->n_keys].value);
                        r = -ENOMEM;
                        goto finish;
                }
                s->n_keys++;
        }

        for (size_t i = 0; i < n_sections; i++) {
                Check c = {};
                r = build_check(&l, &sections[i], &c);
                if (r < 0)
                        goto finish;
                r = append_check(cat, &c);
                if (r < 0) {
                        check_done(&c);
                        goto finish;
                }
        }
finish:
        for (size_t i = 0; i < n_sections; i++)
                raw_done(&sections[i]);
        free(sections);
        if (r < 0) {
                /* leave the catalogue as it was */
                for (size_t i = old_n; i < cat->n_checks; i++)
                        check_done(&cat->checks[i]);
                cat->n_checks = old_n;
                if (ret_error)
                        *ret_error = l.error ? TAKE_PTR(l.error) : xasprintf("%s: %s", filename, strerror(-r));
        }
        free(l.error);
        return r;
}

static int
cmp_check(const void *a, const void *b)
{
        return strcmp(((const Check *) a)->id, ((const Check *) b)->id);
}

int
catalog_finish(Catalog *c, char **ret_error)
{
        if (c->n_checks > 1)
                qsort(c->checks, c->n_checks, sizeof(Check), cmp_check);
        for (size_t i = 1; i < c->n_checks; i++)
                if (streq(c->checks[i - 1].id, c->checks[i].id)) {
                        const Check *a = &c->checks[i - 1], *b = &c->checks[i];
                        if (ret_error)
                                *ret_error = xasprintf("%s:%u: duplicate check id \"%s\" (also %s:%u)", b->file, b->line,
                                                       b->id, a->file, a->line);
                        return -EEXIST;
                }
        return 0;
}

const Check *
catalog_find(const Catalog *c, const char *id)
{
        Check key = {.id = (char *) id};

        if (c->n_checks == 0)
                return NULL;
        return bsearch(&key, c->checks, c->n_checks, sizeof(Check), cmp_check);
}
