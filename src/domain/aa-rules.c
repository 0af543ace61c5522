/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The AppArmor policy engine (aa-rules.h): the one parser of profile text,
 * the brace expansion and glob cover test, and virt-aa-helper's own rules.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aa-rules.h"
#include "domain-names.h"
#include "strv.h"
#include "util.h"

/* ---- the profile text parser ---- */

/* Keywords of AppArmor rules that are not file rules; recorded as written
 * (whitespace collapsed), so that a check can list them. */
static const char *const non_file_keywords[] = {
        "all", "capability", "change_hat", "change_profile", "dbus", "file", "io_uring", "link",
        "mount", "mqueue", "network", "pivot_root", "ptrace", "remount", "rlimit", "set", "signal",
        "umount", "unix", "userns",
};

/* Words that may precede a rule: audit and the owner/other conditionals
 * only narrow or log a grant, so the rule counts as written; allow is the
 * default. */
static const char *const qualifiers[] = {"allow", "audit", "other", "owner"};

static bool
word_in(const char *w, size_t n, const char *const *set, size_t n_set)
{
        for (size_t i = 0; i < n_set; i++)
                if (strlen(set[i]) == n && strneq(w, set[i], n))
                        return true;
        return false;
}

/* End of the token at @p: a quoted string (with backslash escapes) or a
 * run of non-space characters.  NULL for an unterminated quote. */
/* Whitespace as token_end() sees it: a \r or \f must end a token and be
 * skipped the same way, or a tokenizer loop stands still on it. */
static const char *
skip_space(const char *p)
{
        while (*p && isspace((unsigned char) *p))
                p++;
        return p;
}

static const char *
token_end(const char *p)
{
        if (*p == '"') {
                for (p++; *p && *p != '"'; p++)
                        if (*p == '\\' && p[1])
                                p++;
                return *p == '"' ? p + 1 : NULL;
        }
        while (*p && !isspace((unsigned char) *p))
                p++;
        return p;
}

static bool
perms_valid(const char *p, size_t n)
{
        if (n == 0 || n > 16)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!strchr("rwaklmixpucPUCI", p[i]))
                        return false;
        return true;
}

/* A path token: "/x", "@{VAR}/x" or a quoted one.  Quotes are removed,
 * escapes kept (the rule stays an AppArmor expression). */
static char *
path_from_token(const char *p, size_t n)
{
        if (n >= 2 && p[0] == '"')
                p++, n -= 2;
        if (n == 0 || n > AA_RULES_PATH_MAX || (p[0] != '/' && p[0] != '@'))
                return NULL;
        return strndup(p, n);
}

/* Removes a '#' comment that is outside quotes (not "#include"). */
static void
strip_comment(char *line)
{
        bool quoted = false;

        for (char *c = line; *c; c++) {
                if (*c == '\\' && c[1])
                        c++;
                else if (*c == '"')
                        quoted = !quoted;
                else if (*c == '#' && !quoted) {
                        *c = '\0';
                        return;
                }
        }
}

static int _printf_(3, 4)
parse_fail(char **ret_error, int err, const char *fmt, ...)
{
        va_list ap;

        if (ret_error) {
                va_start(ap, fmt);
                if (vasprintf(ret_error, fmt, ap) < 0)
                        *ret_error = NULL;
                va_end(ap);
        }
        return err;
}

/* "include <X>" for "#include <X>", "include <X>", "include if exists <X>". */
static int
parse_include(const char *line, char **ret)
{
        const char *p = line + (line[0] == '#' ? 1 : 0);

        p += strlen("include");
        p = skip_space(p);
        if (startswith(p, "if exists")) {
                p += strlen("if exists");
                p = skip_space(p);
        }
        if ((p[0] != '<' || !endswith(p, ">")) && (p[0] != '"' || !endswith(p, "\"") || strlen(p) < 2))
                return -EBADMSG;
        if (strlen(p) < 3)
                return -EBADMSG;
        *ret = xasprintf("include %s", p);
        return *ret ? 0 : -ENOMEM;
}

/* One rule line without its comma: the normalized item, NULL for a rule
 * that grants nothing (deny). */
static int
parse_rule(char *rule, char **ret)
{
        const char *p = rule, *e, *first, *second;
        size_t n1, n2;

        /* qualifiers */
        for (;;) {
                p = skip_space(p);
                e = token_end(p);
                if (!e)
                        return -EBADMSG;
                if (e - p == 4 && strneq(p, "deny", 4)) {
                        *ret = NULL; /* a deny rule only removes */
                        return 0;
                }
                if (!word_in(p, (size_t) (e - p), qualifiers, ELEMENTSOF(qualifiers)))
                        break;
                p = e;
        }
        if (!*p)
                return -EBADMSG;
        /* "file PATH PERMS" is a file rule; "file" alone grants everything. */
        if (startswith(p, "file") && isspace((unsigned char) p[4])) {
                const char *q = skip_space(p + 4);
                if (*q == '/' || *q == '"' || *q == '@' || isalpha((unsigned char) *q))
                        p = q;
        }
        first = p;
        e = token_end(first);
        if (!e)
                return -EBADMSG;
        n1 = (size_t) (e - first);
        if (word_in(first, n1, non_file_keywords, ELEMENTSOF(non_file_keywords))) {
                StrBuf b = {};
                for (const char *c = first; *c;) {
                        const char *te = token_end(c);
                        if (!te) {
                                strbuf_done(&b);
                                return -EBADMSG;
                        }
                        if (b.len > 0)
                                strbuf_append(&b, " ");
                        strbuf_appendn(&b, c, (size_t) (te - c));
                        c = skip_space(te);
                }
                *ret = strbuf_steal(&b);
                return *ret ? 0 : -ENOMEM;
        }
        second = skip_space(e);
        e = token_end(second);
        if (!e || e == second)
                return -EBADMSG;
        n2 = (size_t) (e - second);
        /* Anything after the permissions must be "-> TARGET" (an exec
         * transition or link target), which does not widen the grant. */
        e = skip_space(e);
        if (*e && !startswith(e, "->"))
                return -EBADMSG;

        _cleanup_free_ char *path = NULL;
        const char *perms;
        size_t pn;
        if (perms_valid(second, n2)) {
                path = path_from_token(first, n1);
                perms = second, pn = n2;
        } else if (perms_valid(first, n1)) {
                path = path_from_token(second, n2);
                perms = first, pn = n1;
        } else
                return -EBADMSG;
        if (!path)
                return -EBADMSG;
        *ret = xasprintf("%s %.*s", path, (int) pn, perms);
        return *ret ? 0 : -ENOMEM;
}

int
aa_rules_parse(const char *text, const char *origin, const char *skip_include, char ***rules,
                           char **ret_error)
{
        _cleanup_free_ char *copy = strdup(text);
        unsigned lineno = 0, depth = 0;
        char *line, *next;
        int r;

        if (!copy)
                return -ENOMEM;
        for (line = copy; line; line = next) {
                _cleanup_free_ char *item = NULL;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                lineno++;
                line = strstrip(line);
                if (strlen(line) > AA_RULES_LINE_MAX)
                        return parse_fail(ret_error, -EBADMSG, "%s:%u: line longer than %u bytes", origin, lineno,
                                          AA_RULES_LINE_MAX);
                if (startswith(line, "#include") || (startswith(line, "include") && isspace((unsigned char) line[7]))) {
                        r = parse_include(line, &item);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return parse_fail(ret_error, -EBADMSG, "%s:%u: cannot parse include \"%.64s\"",
                                                  origin, lineno, line);
                        if (skip_include && streq(item + strlen("include "), skip_include))
                                continue;
                } else {
                        strip_comment(line);
                        line = strstrip(line);
                        if (!*line)
                                continue;
                        if (endswith(line, "{")) {
                                if (depth > 0 || !startswith(line, "profile "))
                                        return parse_fail(ret_error, -EBADMSG,
                                                          "%s:%u: nested profile or block \"%.64s\" is not supported",
                                                          origin, lineno, line);
                                depth++;
                                continue;
                        }
                        if (streq(line, "}")) {
                                if (depth == 0)
                                        return parse_fail(ret_error, -EBADMSG, "%s:%u: '}' without a block", origin,
                                                          lineno);
                                depth--;
                                continue;
                        }
                        if (!endswith(line, ","))
                                return parse_fail(ret_error, -EBADMSG, "%s:%u: cannot parse \"%.64s\" (a rule ends "
                                                  "with ',')", origin, lineno, line);
                        line[strlen(line) - 1] = '\0';
                        r = parse_rule(line, &item);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return parse_fail(ret_error, -EBADMSG, "%s:%u: cannot parse rule \"%.64s\"", origin,
                                                  lineno, line);
                        if (!item)
                                continue;
                }
                if (strv_length(*rules) >= AA_RULES_MAX)
                        return parse_fail(ret_error, -E2BIG, "%s: more than %u rules", origin, AA_RULES_MAX);
                text_sanitize(item);
                r = strv_consume(rules, TAKE_PTR(item));
                if (r < 0)
                        return r;
        }
        if (depth != 0)
                return parse_fail(ret_error, -EBADMSG, "%s: unterminated profile block", origin);
        return 0;
}

/* ---- brace expansion and glob cover ---- */

typedef enum AaTokKind {
        AA_TOK_LIT,
        AA_TOK_ANY,   /* ? */
        AA_TOK_CLASS, /* [...] */
        AA_TOK_STAR,  /* * : within one path component */
        AA_TOK_DSTAR, /* ** : across components */
} AaTokKind;

typedef struct AaTok {
        AaTokKind kind;
        char c;
        const char *cls; /* AA_TOK_CLASS: between the brackets */
        size_t cls_len;
} AaTok;

int
aa_expand_braces(const char *expr, char ***list)
{
        const char *open = NULL, *close = NULL;
        unsigned depth = 0;
        int r;

        for (const char *c = expr; *c; c++) {
                if (*c == '\\' && c[1]) {
                        c++;
                        continue;
                }
                if (*c == '{') {
                        if (depth++ == 0)
                                open = c;
                } else if (*c == '}' && depth > 0 && --depth == 0) {
                        close = c;
                        break;
                }
        }
        if (!open || !close) {
                if (strv_length(*list) >= AA_RULES_BRACE_ALTS_MAX)
                        return -E2BIG;
                return strv_extend(list, expr);
        }
        /* Split the inside at top-level commas. */
        const char *alt = open + 1;
        depth = 0;
        for (const char *c = open + 1; c <= close; c++) {
                if (*c == '\\' && c < close) {
                        c++;
                        continue;
                }
                if (*c == '{')
                        depth++;
                else if (*c == '}' && depth > 0)
                        depth--;
                else if ((*c == ',' && depth == 0) || c == close) {
                        _cleanup_free_ char *e = xasprintf("%.*s%.*s%s", (int) (open - expr), expr, (int) (c - alt),
                                                           alt, close + 1);
                        if (!e)
                                return -ENOMEM;
                        r = aa_expand_braces(e, list);
                        if (r < 0)
                                return r;
                        alt = c + 1;
                }
        }
        return 0;
}

static int
aa_tokenize(const char *s, AaTok **ret, size_t *ret_n)
{
        size_t n = strlen(s), k = 0;
        AaTok *t;

        if (n > AA_RULES_PATH_MAX)
                return -E2BIG;
        t = calloc(n + 1, sizeof(*t));
        if (!t)
                return -ENOMEM;
        for (const char *c = s; *c; c++) {
                if (*c == '\\' && c[1])
                        t[k++] = (AaTok) {.kind = AA_TOK_LIT, .c = *++c};
                else if (*c == '*') {
                        bool dstar = c[1] == '*';
                        while (c[1] == '*')
                                c++;
                        t[k++] = (AaTok) {.kind = dstar ? AA_TOK_DSTAR : AA_TOK_STAR};
                } else if (*c == '?')
                        t[k++] = (AaTok) {.kind = AA_TOK_ANY};
                else if (*c == '[' && strchr(c + 1, ']')) {
                        const char *end = strchr(c + 1, ']');
                        t[k++] = (AaTok) {.kind = AA_TOK_CLASS, .cls = c + 1, .cls_len = (size_t) (end - c - 1)};
                        c = end;
                } else
                        t[k++] = (AaTok) {.kind = AA_TOK_LIT, .c = *c};
        }
        *ret = t;
        *ret_n = k;
        return 0;
}

static bool
aa_class_has(const AaTok *t, char ch)
{
        const char *p = t->cls, *end = t->cls + t->cls_len;
        bool neg = p < end && *p == '^', hit = false;

        if (neg)
                p++;
        for (; p < end; p++) {
                char lo = *p == '\\' && p + 1 < end ? *++p : *p, hi = lo;
                if (p + 2 < end && p[1] == '-') {
                        hi = p[2];
                        p += 2;
                }
                if (ch >= lo && ch <= hi)
                        hit = true;
        }
        return ch != '/' && hit != neg;
}

/* Whether one character-wide pattern token @g covers the loaded token @l. */
static bool
aa_tok_covers(const AaTok *g, const AaTok *l)
{
        switch (g->kind) {
        case AA_TOK_LIT:
                return l->kind == AA_TOK_LIT && l->c == g->c;
        case AA_TOK_ANY:
                return (l->kind == AA_TOK_LIT && l->c != '/') || l->kind == AA_TOK_ANY || l->kind == AA_TOK_CLASS;
        case AA_TOK_CLASS:
                return (l->kind == AA_TOK_LIT && aa_class_has(g, l->c)) ||
                       (l->kind == AA_TOK_CLASS && l->cls_len == g->cls_len && strneq(l->cls, g->cls, g->cls_len));
        default:
                return false;
        }
}

/*
 * Whether every path the loaded expression @l matches is matched by the
 * pattern @g (both tokenized, braces expanded).  Conservative: a loaded
 * wildcard is covered only by a pattern wildcard at least as wide.
 */
static int
aa_tokens_cover(const AaTok *g, size_t ng, const AaTok *l, size_t nl, bool *ret)
{
        /* m[j]: g[i..] covers l[j..], one row per i, from the end. */
        _cleanup_free_ bool *next = calloc(nl + 1, sizeof(bool)), *cur = calloc(nl + 1, sizeof(bool));

        if (!next || !cur)
                return -ENOMEM;
        next[nl] = true;
        for (size_t i = ng; i-- > 0;) {
                bool star = g[i].kind == AA_TOK_STAR || g[i].kind == AA_TOK_DSTAR;
                for (size_t j = nl + 1; j-- > 0;) {
                        if (star) {
                                bool eat = j < nl &&
                                           (g[i].kind == AA_TOK_DSTAR ||
                                            (l[j].kind == AA_TOK_LIT && l[j].c != '/') || l[j].kind == AA_TOK_ANY ||
                                            l[j].kind == AA_TOK_CLASS || l[j].kind == AA_TOK_STAR);
                                cur[j] = next[j] || (eat && cur[j + 1]);
                        } else
                                cur[j] = j < nl && aa_tok_covers(&g[i], &l[j]) && next[j + 1];
                }
                bool *tmp = next;
                next = cur;
                cur = tmp;
        }
        *ret = next[0];
        return 0;
}

int
aa_glob_covers(const char *pattern, const char *expr, bool *ret)
{
        _cleanup_strv_free_ char **pats = NULL, **exprs = NULL;
        int r;

        if ((r = aa_expand_braces(pattern, &pats)) < 0 || (r = aa_expand_braces(expr, &exprs)) < 0)
                return r;
        STRV_FOREACH(e, exprs) {
                _cleanup_free_ AaTok *lt = NULL;
                size_t nl;
                bool hit = false;

                r = aa_tokenize(*e, &lt, &nl);
                if (r < 0)
                        return r;
                STRV_FOREACH(p, pats) {
                        _cleanup_free_ AaTok *gt = NULL;
                        size_t ng;

                        r = aa_tokenize(*p, &gt, &ng);
                        if (r < 0)
                                return r;
                        r = aa_tokens_cover(gt, ng, lt, nl, &hit);
                        if (r < 0)
                                return r;
                        if (hit)
                                break;
                }
                if (!hit) {
                        *ret = false;
                        return 0;
                }
        }
        *ret = true;
        return 0;
}

/* ---- rule lists ---- */

void
aa_rules_done(AaRules *rs)
{
        for (size_t i = 0; i < rs->n; i++) {
                free(rs->v[i].path);
                free(rs->v[i].perms);
        }
        free(rs->v);
        *rs = (AaRules) {};
}

int
aa_rules_add(AaRules *rs, const char *path, size_t path_len, const char *perms)
{
        AaRule *v = realloc(rs->v, (rs->n + 1) * sizeof(*v));

        if (!v)
                return -ENOMEM;
        rs->v = v;
        v[rs->n] = (AaRule) {.path = strndup(path, path_len), .perms = perms ? strdup(perms) : NULL};
        if (!v[rs->n].path || (perms && !v[rs->n].perms)) {
                free(v[rs->n].path);
                free(v[rs->n].perms);
                return -ENOMEM;
        }
        rs->n++;
        return 0;
}

int
aa_rules_add_item(AaRules *rs, const char *item)
{
        const char *sp = strrchr(item, ' ');

        if ((item[0] == '/' || item[0] == '@') && sp)
                return aa_rules_add(rs, item, (size_t) (sp - item), sp + 1);
        return aa_rules_add(rs, item, strlen(item), NULL);
}

char *
aa_escape(const char *s, size_t max)
{
        StrBuf b = {};

        strbuf_append(&b, "");
        for (size_t i = 0; s[i] && i < max; i++) {
                if (strchr("*?[]{}^\"\\", s[i]))
                        strbuf_appendn(&b, "\\", 1);
                strbuf_appendn(&b, &s[i], 1);
        }
        return strbuf_steal(&b);
}

int
aa_rules_add_libvirt_own(AaRules *rs, const char *domain_name, long id)
{
        _cleanup_free_ char *name = aa_escape(domain_name, SIZE_MAX), *sn = NULL, *shrt = NULL, *ids = NULL;
        const char *why;
        int r;

        r = domain_short_name(domain_name, &sn, &why);
        if (r == -EINVAL)
                /* A long non-ASCII name: libvirtd cuts it by bytes when
                 * mbstowcs() fails, as in the C locale systemd starts it
                 * with; a daemon in a UTF-8 locale cuts characters, and
                 * its rules then count as beyond the expected ones. */
                sn = strndup(domain_name, DOMAIN_SHORT_NAME_MAX), r = sn ? 0 : -ENOMEM;
        if (r < 0)
                return r;
        shrt = aa_escape(sn, SIZE_MAX);
        if (!name || !shrt)
                return -ENOMEM;
        ids = id >= 0 ? xasprintf("%ld", id)
                        : strdup("{[0-9],[0-9][0-9],[0-9][0-9][0-9],[0-9][0-9][0-9][0-9],[0-9][0-9][0-9][0-9][0-9],"
                                 "[0-9][0-9][0-9][0-9][0-9][0-9],[0-9][0-9][0-9][0-9][0-9][0-9][0-9]}");
        if (!ids)
                return -ENOMEM;
        const struct {
                char *path;
                const char *perms;
        } own[] = {
                {xasprintf("/var/log/libvirt/**/%s.log", name), "w"},
                {xasprintf("/var/lib/libvirt/qemu/domain-%s/monitor.sock", name), "rw"},
                {xasprintf("/var/lib/libvirt/qemu/domain-%s-%s/*", ids, shrt), "rw"},
                {xasprintf("/var/lib/libvirt/qemu/channel/target/domain-%s-%s/*", ids, shrt), "rw"},
                {xasprintf("{/var,}/run/libvirt/**/%s.pid", name), "rwk"},
                {xasprintf("{/var,}/run/libvirt/**/*.tunnelmigrate.dest.%s", name), "rw"},
        };
        r = 0;
        for (size_t i = 0; i < ELEMENTSOF(own); i++) {
                if (r >= 0)
                        r = own[i].path ? aa_rules_add(rs, own[i].path, strlen(own[i].path), own[i].perms) : -ENOMEM;
                free(own[i].path);
        }
        return r;
}

bool
aa_rule_path_is_hostdev(const char *path)
{
        static const char *const prefixes[] = {"/dev/vfio/", "/sys/", "/dev/bus/usb/", "/dev/sg", "/dev/vhost-scsi"};

        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith(path, prefixes[i]))
                        return true;
        return false;
}

int
aa_rule_missing_perms(const AaRules *gen, const AaRule *l, char *missing, size_t size)
{
        char granted[32] = "";
        size_t k = 0;
        int r;

        for (size_t i = 0; i < gen->n; i++) {
                bool hit = false;

                if (!gen->v[i].perms)
                        continue;
                r = aa_glob_covers(gen->v[i].path, l->path, &hit);
                if (r == -E2BIG)
                        continue; /* too many alternatives: not counted as covering */
                if (r < 0)
                        return r;
                if (!hit)
                        continue;
                for (const char *c = gen->v[i].perms; *c; c++)
                        if (!strchr(granted, *c) && strlen(granted) + 1 < sizeof(granted))
                                strncat(granted, c, 1);
        }
        for (const char *c = l->perms; *c && k + 1 < size; c++)
                if (!strchr(granted, *c) && !(*c == 'a' && strchr(granted, 'w')) && !memchr(missing, *c, k))
                        missing[k++] = *c;
        missing[k] = '\0';
        return 0;
}

