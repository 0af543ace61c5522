/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluators of the lsm, svirt, seccomp, qemu and libvirtd categories:
 * MAC state, configuration of the QEMU driver and the daemons, and what
 * the running QEMU processes actually got.  Defaults libvirt applies to
 * absent keys are stated (with their source) in the catalogue entries and
 * docs/catalogue-verify-notes-confinement.md; the code follows them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check-evaluators.h"
#include "check-objects.h"
#include "profile.h"
#include "strv.h"
#include "util.h"

static const Fact *
get(EvalContext *ctx, const char *key)
{
        return fact_store_get(ctx->facts, key);
}

/* Emits skip/error for an unusable fact: returns from the caller with 0
 * (result emitted) or the negative errno. */
#define RETURN_IF_UNUSABLE(ctx, subject, f)                               \
        do {                                                              \
                int _q = eval_fact_unusable((ctx), (subject), (f));       \
                if (_q != 0)                                              \
                        return _q < 0 ? _q : 0;                           \
        } while (0)

/* Whether @f (a string split at whitespace and commas, or a list) holds @w. */
static bool
fact_has_word(const Fact *f, const char *w)
{
        if (f->kind == FACT_LIST)
                return strv_contains(f->list, w);
        if (f->kind != FACT_STRING)
                return false;
        for (const char *p = f->string; *p;) {
                size_t n;

                p += strspn(p, " \t,");
                n = strcspn(p, " \t,");
                if (n > 0 && n == strlen(w) && strneq(p, w, n))
                        return true;
                p += n;
        }
        return false;
}

/* The value as text: strings as they are, lists as "[a, b]". */
static char *
fact_value_text(const Fact *f)
{
        if (f->kind == FACT_LIST) {
                _cleanup_free_ char *j = strv_join(f->list, ", ");
                return j ? xasprintf("[%s]", j) : NULL;
        }
        return strdup(fact_text_or(f));
}

/* ------------------------------------------------------------------ */
/* MAC state                                                          */

typedef struct Mac {
        bool selinux, apparmor;
        const char *source; /* what decided it, for evidence */
} Mac;

/*
 * Which MAC LSMs are active: lsm:active, else (no securityfs) selinuxfs
 * mounted or AppArmor's enabled parameter.  Returns 1 when it emitted a
 * skip/error result for @subject, 0 with *ret filled, or a negative errno.
 */
static int
mac_state(EvalContext *ctx, const char *subject, Mac *ret)
{
        const Fact *lsm = get(ctx, "lsm:active"), *sefs, *aa;
        int r;

        if ((r = eval_fact_unusable(ctx, subject, lsm)) != 0)
                return r;
        if (lsm->kind == FACT_STRING) {
                *ret = (Mac) {
                        .selinux = fact_has_word(lsm, "selinux"),
                        .apparmor = fact_has_word(lsm, "apparmor"),
                        .source = "lsm:active",
                };
                return 0;
        }
        sefs = get(ctx, "sysfs:fs/selinux");
        aa = get(ctx, "sysfs:module/apparmor/parameters/enabled");
        if ((r = eval_fact_unusable(ctx, subject, sefs)) != 0)
                return r;
        if ((r = eval_fact_unusable(ctx, subject, aa)) != 0)
                return r;
        *ret = (Mac) {
                .selinux = sefs->kind != FACT_ABSENT,
                .apparmor = fact_is(aa, "Y"),
                /* The LSM list is a securityfs file: its absence means
                 * securityfs is not mounted, not that no LSM runs. */
                .source = "securityfs not mounted (no /sys/kernel/security/lsm), so judged by /sys/fs/selinux "
                          "and /sys/module/apparmor/parameters/enabled",
        };
        return 0;
}

static int
eval_mac_active(EvalContext *ctx)
{
        const Fact *lsm = get(ctx, "lsm:active");
        Mac m;
        int r;

        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r < 0 ? r : 0;
        if (lsm->kind == FACT_STRING)
                return eval_emitf(ctx, m.selinux || m.apparmor ? STATUS_PASS : STATUS_FAIL, "host",
                                  "lsm:active = %s", lsm->string);
        return eval_emitf(ctx, m.selinux || m.apparmor ? STATUS_PASS : STATUS_FAIL, "host",
                          "%s: SELinux %s, AppArmor %s", m.source, m.selinux ? "mounted" : "absent",
                          m.apparmor ? "enabled" : "not enabled");
}

/* SELINUX= values are compared without case by libselinux. */
static int
eval_selinux_config(EvalContext *ctx)
{
        const Fact *conf = get(ctx, "selinux:config"), *enf = get(ctx, "cmdline:enforcing"),
                   *sel = get(ctx, "cmdline:selinux"), *lsm = get(ctx, "lsm:active");

        Mac m;
        int r;

        RETURN_IF_UNUSABLE(ctx, "host", conf);
        /* The file decides nothing on a kernel that does not run SELinux
         * (Debian's selinux-policy-default writes it, permissive, on
         * AppArmor hosts too): lsm.mac-active judges which MAC runs. */
        if (conf->kind == FACT_STRING) {
                if ((r = mac_state(ctx, "host", &m)) != 0)
                        return r < 0 ? r : 0;
                if (!m.selinux)
                        return eval_emitf(ctx, STATUS_SKIP, "host",
                                          "SELinux is not active (%s; AppArmor %s): /etc/selinux/config "
                                          "(SELINUX=%s) takes effect only on a kernel that runs SELinux",
                                          m.source, m.apparmor ? "active" : "not active", conf->string);
        }
        if (conf->kind == FACT_ABSENT) {
                RETURN_IF_UNUSABLE(ctx, "host", lsm);
                if ((r = mac_state(ctx, "host", &m)) != 0)
                        return r < 0 ? r : 0;
                if (!m.selinux)
                        return eval_emitf(ctx, STATUS_SKIP, "host",
                                          "SELinux is not active (%s%s%s) and /etc/selinux/config does not exist",
                                          m.source, lsm->kind == FACT_STRING ? " = " : "",
                                          lsm->kind == FACT_STRING ? lsm->string : "");
                return eval_emit(ctx, STATUS_FAIL, "host",
                                 "SELinux is active but /etc/selinux/config does not exist: no policy loads at boot",
                                 NULL);
        }
        RETURN_IF_UNUSABLE(ctx, "host", enf);
        RETURN_IF_UNUSABLE(ctx, "host", sel);
        bool ok = strcasecmp(conf->string, "enforcing") == 0 && !fact_is(enf, "0") && !fact_is(sel, "0");
        return eval_emitf(ctx, ok ? STATUS_PASS : STATUS_FAIL, "host",
                          "SELINUX=%s; kernel command line enforcing=%s, selinux=%s", conf->string,
                          enf->kind == FACT_STRING ? enf->string : "(not given)",
                          sel->kind == FACT_STRING ? sel->string : "(not given)");
}

static int
eval_selinux_permissive_types(EvalContext *ctx)
{
        static const char *const virt_types[] = {"svirt_t", "svirt_tcg_t", "virtd_t", "virtqemud_t"};
        const Fact *lsm = get(ctx, "lsm:active"), *perm;
        _cleanup_strv_free_ char **bad = NULL;
        Mac m;
        int r;

        /* mac_state: without securityfs, selinuxfs decides */
        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r < 0 ? r : 0;
        if (!m.selinux)
                return eval_emitf(ctx, STATUS_SKIP, "host", "SELinux is not active (%s%s%s)", m.source,
                                  lsm->kind == FACT_STRING ? " = " : "", lsm->kind == FACT_STRING ? lsm->string : "");
        perm = get(ctx, "selinux:permissive");
        RETURN_IF_UNUSABLE(ctx, "host", perm);
        if (perm->kind != FACT_LIST)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no SELinux policy module store (SELINUXTYPE unknown or /var/lib/selinux absent): "
                                 "permissive types cannot be read; check with semanage permissive -l", NULL);
        for (size_t i = 0; i < ELEMENTSOF(virt_types); i++)
                if (strv_contains(perm->list, virt_types[i]) && strv_extend(&bad, virt_types[i]) < 0)
                        return -ENOMEM;
        _cleanup_free_ char *all = strv_join(perm->list, ", ");
        if (!all)
                return -ENOMEM;
        if (bad) {
                _cleanup_free_ char *b = strv_join(bad, ", ");
                return b ? eval_emitf(ctx, STATUS_FAIL, "host", "permissive virtualization types: %s (all permissive: %s)",
                                      b, all)
                         : -ENOMEM;
        }
        return eval_emitf(ctx, STATUS_PASS, "host", "permissive types: %s", *all ? all : "none");
}

/*
 * Whether AppArmor is libvirt's security driver: security_driver names
 * it, or is absent while AppArmor is active and SELinux is not (libvirt
 * tries SELinux first).  1: emitted a result (skip or error); 0: yes.
 */
static int
apparmor_is_driver(EvalContext *ctx)
{
        const Fact *drv = get(ctx, "qemu.conf:security_driver");
        Mac m;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", drv)) != 0)
                return r;
        if (drv->kind != FACT_ABSENT) {
                if (fact_has_word(drv, "apparmor"))
                        return 0;
                _cleanup_free_ char *v = fact_value_text(drv);
                r = eval_emitf(ctx, STATUS_SKIP, "host", "libvirt's security driver is not AppArmor (security_driver = %s)",
                               strna(v));
                return r < 0 ? r : 1;
        }
        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r;
        if (m.apparmor && !m.selinux)
                return 0;
        r = eval_emitf(ctx, STATUS_SKIP, "host",
                       "AppArmor is not libvirt's default security driver here (security_driver absent; AppArmor %s, SELinux %s)",
                       m.apparmor ? "active" : "not active", m.selinux ? "active" : "not active");
        return r < 0 ? r : 1;
}

/* "NAME (MODE)" of apparmor:profiles: the mode of profile @name, or NULL. */
static const char *
apparmor_profile_mode(const Fact *profiles, const char *name, char *buf, size_t size)
{
        size_t n = strlen(name);

        if (profiles->kind != FACT_LIST)
                return NULL;
        STRV_FOREACH(p, profiles->list) {
                const char *open, *close;

                if (!strneq(*p, name, n) || !startswith(*p + n, " ("))
                        continue;
                open = *p + n + 2;
                close = strchr(open, ')');
                if (!close || close[1] != '\0' || (size_t) (close - open) >= size)
                        continue;
                memcpy(buf, open, (size_t) (close - open));
                buf[close - open] = '\0';
                return buf;
        }
        return NULL;
}

static int
eval_apparmor_daemons(EvalContext *ctx)
{
        /* Profile names of the shipped profiles, and the path-named form
         * older releases used (Ubuntu before 20.04). */
        static const struct {
                const char *names[3];
                const char *what;
        } daemons[] = {
                {{"libvirtd", "/usr/sbin/libvirtd", NULL}, "daemon"},
                {{"virtqemud", "/usr/sbin/virtqemud", NULL}, "daemon"},
                {{"virt-aa-helper", "/usr/lib/libvirt/virt-aa-helper", "/usr/libexec/libvirt/virt-aa-helper"}, "helper"},
        };
        const Fact *profiles;
        StrBuf b = {};
        bool daemon_ok = false, helper_ok = false, bad = false;
        char mode[32];
        int r;

        if ((r = apparmor_is_driver(ctx)) != 0)
                return r < 0 ? r : 0;
        profiles = get(ctx, "apparmor:profiles");
        RETURN_IF_UNUSABLE(ctx, "host", profiles);
        if (profiles->kind != FACT_LIST)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no AppArmor profile list to read (/sys/kernel/security/apparmor/profiles absent)",
                                 NULL);
        for (size_t i = 0; i < ELEMENTSOF(daemons); i++) {
                const char *m = NULL, *found = NULL;

                for (size_t j = 0; j < ELEMENTSOF(daemons[i].names) && daemons[i].names[j] && !m; j++)
                        if ((m = apparmor_profile_mode(profiles, daemons[i].names[j], mode, sizeof(mode))))
                                found = daemons[i].names[j];
                if (!m)
                        continue;
                if (b.len > 0)
                        strbuf_append(&b, "; ");
                strbuf_printf(&b, "%s (%s)", found, m);
                if (!streq(m, "enforce"))
                        bad = true;
                else if (streq(daemons[i].what, "daemon"))
                        daemon_ok = true;
                else
                        helper_ok = true;
        }
        _cleanup_free_ char *seen = strbuf_steal(&b);
        if (!seen)
                return -ENOMEM;
        bool ok = daemon_ok && helper_ok && !bad;
        return eval_emitf(ctx, ok ? STATUS_PASS : STATUS_FAIL, "host", "%s%s%s", *seen ? seen : "no libvirt profile loaded",
                          !daemon_ok ? "; no libvirtd or virtqemud profile in enforce mode" : "",
                          !helper_ok ? "; no virt-aa-helper profile in enforce mode" : "");
}

static int
apparmor_domain(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Fact *profiles = userdata;
        const DomainSeclabel *sl = domain_seclabel_find(e->model, "apparmor");
        _cleanup_free_ char *name = NULL;
        char mode[32];
        const char *m;

        if (!domain_entry_running(e))
                return eval_emitf(ctx, STATUS_SKIP, e->subject, "domain is %s, not running", strna(e->state));
        if (sl && sl->type && streq(sl->type, "none"))
                return eval_emit(ctx, STATUS_FAIL, e->subject, "<seclabel type='none' model='apparmor'>: no profile", NULL);
        if (sl && sl->type && streq(sl->type, "static") && sl->label)
                name = strdup(sl->label);
        else if (e->model->uuid)
                name = xasprintf("libvirt-%s", e->model->uuid);
        else
                return eval_emit(ctx, STATUS_ERROR, e->subject, "domain definition without <uuid>", NULL);
        if (!name)
                return -ENOMEM;
        m = apparmor_profile_mode(profiles, name, mode, sizeof(mode));
        if (!m)
                return eval_emitf(ctx, STATUS_FAIL, e->subject, "no loaded AppArmor profile %s", name);
        return eval_emitf(ctx, streq(m, "enforce") ? STATUS_PASS : STATUS_FAIL, e->subject, "%s (%s)", name, m);
}

static int
eval_apparmor_domain_profiles(EvalContext *ctx)
{
        const Fact *profiles;
        int r;

        if ((r = apparmor_is_driver(ctx)) != 0)
                return r < 0 ? r : 0;
        profiles = get(ctx, "apparmor:profiles");
        RETURN_IF_UNUSABLE(ctx, "host", profiles);
        if (profiles->kind != FACT_LIST)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no AppArmor profile list to read (/sys/kernel/security/apparmor/profiles absent)",
                                 NULL);
        return eval_for_each_domain(ctx, apparmor_domain, (void *) profiles);
}

/* ---- lsm.apparmor-profile-minimal ---- */

/* Uncovered rules quoted in the evidence. */
#define AA_EVIDENCE_RULES_MAX 8U
/* Alternatives one {a,b} expression may expand to. */
#define AA_BRACE_ALTS_MAX 64U
/* Longest rule path compared (PATH_MAX). */
#define AA_PATH_MAX 4096U
/* libvirt's short domain name in runtime paths (virDomainDefGetShortName). */
#define AA_SHORT_NAME_MAX 20

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

/* {a,b} alternatives of @expr expanded into *list (escapes kept). */
static int
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
                if (strv_length(*list) >= AA_BRACE_ALTS_MAX)
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

        if (n > AA_PATH_MAX)
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

/* Whether pattern @pattern covers every path of the expression @expr. */
static int
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

/* A generated or loaded rule: a file rule (path and perms), or any other
 * rule or include as text (perms NULL). */
typedef struct AaRule {
        char *path;
        char *perms;
} AaRule;

typedef struct AaRules {
        AaRule *v;
        size_t n;
} AaRules;

static void
aa_rules_done(AaRules *rs)
{
        for (size_t i = 0; i < rs->n; i++) {
                free(rs->v[i].path);
                free(rs->v[i].perms);
        }
        free(rs->v);
        *rs = (AaRules) {};
}

static int
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

/* An item of aaprofile: "PATH PERMS" for a file rule (the path begins
 * with '/' or '@'), anything else as text. */
static int
aa_rules_add_item(AaRules *rs, const char *item)
{
        const char *sp = strrchr(item, ' ');

        if ((item[0] == '/' || item[0] == '@') && sp)
                return aa_rules_add(rs, item, (size_t) (sp - item), sp + 1);
        return aa_rules_add(rs, item, strlen(item), NULL);
}

/* The rules of a profile the generator wrote: its includes and its file
 * rules ("  \"PATH\" PERMS," or "  /PATH PERMS,"); deny rules take
 * nothing away from a comparison of grants. */
static int
aa_rules_from_generated(AaRules *rs, const char *text)
{
        _cleanup_free_ char *copy = strdup(text);
        char *save = NULL;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (char *line = strtok_r(copy, "\n", &save); line && r >= 0; line = strtok_r(NULL, "\n", &save)) {
                char *sp;

                line = strstrip(line);
                if (startswith(line, "#include ")) {
                        _cleanup_free_ char *inc = xasprintf("include %s", line + strlen("#include "));
                        r = inc ? aa_rules_add(rs, inc, strlen(inc), NULL) : -ENOMEM;
                        continue;
                }
                if ((line[0] != '"' && line[0] != '/') || !endswith(line, ","))
                        continue;
                line[strlen(line) - 1] = '\0';
                sp = strrchr(line, ' ');
                if (!sp)
                        continue;
                *sp = '\0';
                if (line[0] == '"' && endswith(line, "\"") && strlen(line) >= 2)
                        r = aa_rules_add(rs, line + 1, strlen(line) - 2, sp + 1);
                else
                        r = aa_rules_add(rs, line, strlen(line), sp + 1);
        }
        return r;
}

/* @s with AppArmor's special characters escaped, for a path literal. */
static char *
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

/*
 * The rules virt-aa-helper itself writes at the top of every .files for
 * libvirt's own bookkeeping (the domain log, monitor socket, runtime
 * directory, pid file, tunnelled migration), in the forms of libvirt 5 to
 * 10 (src/security/virt-aa-helper.c).  The kvmaudit profile leaves them
 * to the abstraction; they are expected here, exactly.
 */
static int
aa_rules_add_libvirt_own(AaRules *rs, const Domain *d)
{
        _cleanup_free_ char *name = aa_escape(d->name, SIZE_MAX), *shrt = aa_escape(d->name, AA_SHORT_NAME_MAX),
                            *id = NULL;
        int r;

        if (!name || !shrt)
                return -ENOMEM;
        id = d->id >= 0 ? xasprintf("%ld", d->id)
                        : strdup("{[0-9],[0-9][0-9],[0-9][0-9][0-9],[0-9][0-9][0-9][0-9],[0-9][0-9][0-9][0-9][0-9],"
                                 "[0-9][0-9][0-9][0-9][0-9][0-9],[0-9][0-9][0-9][0-9][0-9][0-9][0-9]}");
        if (!id)
                return -ENOMEM;
        const struct {
                char *path;
                const char *perms;
        } own[] = {
                {xasprintf("/var/log/libvirt/**/%s.log", name), "w"},
                {xasprintf("/var/lib/libvirt/qemu/domain-%s/monitor.sock", name), "rw"},
                {xasprintf("/var/lib/libvirt/qemu/domain-%s-%s/*", id, shrt), "rw"},
                {xasprintf("/var/lib/libvirt/qemu/channel/target/domain-%s-%s/*", id, shrt), "rw"},
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

/* Loaded rules for host devices: judged only when the generator could
 * list the domain's <hostdev>s (it needs sysfs listings no fact holds). */
static bool
aa_path_is_hostdev(const char *path)
{
        static const char *const prefixes[] = {"/dev/vfio/", "/sys/", "/dev/bus/usb/", "/dev/sg", "/dev/vhost-scsi"};

        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith(path, prefixes[i]))
                        return true;
        return false;
}

/* The loaded permissions that no covering generated rule grants ("a" is
 * covered by "w"); "" when all are. */
static int
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

typedef struct AaFactHost {
        EvalContext *ctx;
} AaFactHost;

static const Fact *
aa_fact(AaFactHost *fh, const char *ns, const char *path)
{
        _cleanup_free_ char *key = xasprintf("%s:%s", ns, path);
        static const Fact oom = {.kind = FACT_ERROR, .error = -ENOMEM};

        return key ? get(fh->ctx, key) : &oom;
}

static int
aa_fact_errno(const Fact *f)
{
        if (f->kind == FACT_ABSENT)
                return -ENOENT;
        if (f->kind == FACT_ERROR)
                return f->error < 0 ? f->error : -EIO;
        return -EBADMSG;
}

static int
aa_cb_resolve(void *userdata, const char *path, char **ret)
{
        const Fact *f = aa_fact(userdata, "realpath", path);

        if (f->kind != FACT_STRING)
                return aa_fact_errno(f);
        *ret = strdup(f->string);
        return *ret ? 0 : -ENOMEM;
}

static int
aa_hex(char c)
{
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int
aa_cb_read_head(void *userdata, const char *path, size_t max, char **ret, size_t *ret_len)
{
        const Fact *f = aa_fact(userdata, "imagehead", path);
        size_t n;
        char *buf;

        if (f->kind != FACT_STRING)
                return aa_fact_errno(f);
        if (streq(f->string, "dir"))
                return -EISDIR;
        if (streq(f->string, "other"))
                return -EBADFD;
        n = strlen(f->string);
        if (n % 2 != 0)
                return -EBADMSG;
        n = n / 2 < max ? n / 2 : max;
        buf = malloc(n + 1);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                int hi = aa_hex(f->string[2 * i]), lo = aa_hex(f->string[2 * i + 1]);
                if (hi < 0 || lo < 0) {
                        free(buf);
                        return -EBADMSG;
                }
                buf[i] = (char) (hi << 4 | lo);
        }
        buf[n] = '\0';
        *ret = buf;
        *ret_len = n;
        return 0;
}

static int
aa_cb_list_dir(void *userdata, const char *path, char ***ret)
{
        (void) userdata, (void) path, (void) ret;
        return -EOPNOTSUPP; /* no fact lists sysfs directories */
}

/* Writable disks and NVRAM of the other defined domains: the generator
 * never grants them (as `kvmaudit profile` does). */
static int
aa_other_vm_paths(EvalContext *ctx, const DomainEntry *self, char ***ret)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);
        _cleanup_strv_free_ char **l = NULL;

        for (size_t k = 0; ds && k < ds->n; k++) {
                const Domain *d = ds->v[k].model;

                if (&ds->v[k] == self || !d || streq(ds->v[k].name, self->name) ||
                    (d->uuid && self->model->uuid && strcasecmp(d->uuid, self->model->uuid) == 0))
                        continue;
                for (size_t i = 0; i < d->n_disks; i++) {
                        const DomainDisk *disk = &d->disks[i];
                        if (disk->source && domain_disk_has_local_source(disk) && domain_disk_is_writable(disk) &&
                            !disk->shareable && strv_extend(&l, disk->source) < 0)
                                return -ENOMEM;
                }
                if (d->os.nvram && strv_extend(&l, d->os.nvram) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static int
apparmor_minimal_domain(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Fact *profiles = userdata, *loaded;
        const DomainSeclabel *sl = domain_seclabel_find(e->model, "apparmor");
        _cleanup_free_ char *name = NULL, *key = NULL, *profile = NULL, *error = NULL;
        _cleanup_strv_free_ char **others = NULL, **extra = NULL;
        _cleanup_(aa_rules_done) AaRules gen = {};
        AaFactHost fh = {.ctx = ctx};
        size_t unjudged = 0, n_file = 0;
        bool no_hostdevs = false;
        char mode[32];
        int r;

        if (!domain_entry_running(e))
                return eval_emitf(ctx, STATUS_SKIP, e->subject, "domain is %s, not running", strna(e->state));
        if (sl && sl->type && streq(sl->type, "none"))
                return eval_emit(ctx, STATUS_SKIP, e->subject,
                                 "<seclabel type='none' model='apparmor'>: not confined by AppArmor", NULL);
        if (sl && sl->type && streq(sl->type, "static"))
                return eval_emitf(ctx, STATUS_SKIP, e->subject,
                                  "static AppArmor label %s: libvirt does not generate that profile",
                                  strna(sl->label));
        if (!e->model->uuid || strlen(e->model->uuid) != 36)
                return eval_emit(ctx, STATUS_ERROR, e->subject, "domain definition without a <uuid> in 8-4-4-4-12 form",
                                 NULL);
        name = xasprintf("libvirt-%s", e->model->uuid);
        if (!name)
                return -ENOMEM;
        for (char *c = name; *c; c++)
                *c = (char) tolower((unsigned char) *c);
        if (profiles->kind == FACT_LIST && !apparmor_profile_mode(profiles, name, mode, sizeof(mode)))
                return eval_emitf(ctx, STATUS_SKIP, e->subject, "no loaded AppArmor profile %s", name);
        key = xasprintf("aaprofile:%s", name);
        if (!key)
                return -ENOMEM;
        loaded = get(ctx, key);
        r = eval_fact_unusable(ctx, e->subject, loaded);
        if (r != 0)
                return r < 0 ? r : 0;
        if (loaded->kind != FACT_LIST)
                return eval_emitf(ctx, STATUS_SKIP, e->subject, "no /etc/apparmor.d/libvirt/%s.files", name);

        r = aa_other_vm_paths(ctx, e, &others);
        if (r < 0)
                return r;
        ProfileHost ph = {
                .userdata = &fh,
                .resolve = aa_cb_resolve,
                .read_head = aa_cb_read_head,
                .list_dir = aa_cb_list_dir,
        };
        Domain stripped = *e->model;
        ProfileInput in = {
                .domain = e->model,
                .host = &ph,
                .template_text = profile_data_get("apparmor/TEMPLATE.qemu"),
                .deny_text = profile_data_get("apparmor/deny-paths"),
                .other_vm_paths = others,
        };
        r = profile_apparmor_generate(&in, &profile, &error);
        if (r < 0 && r != -ENOMEM && e->model->n_hostdevs > 0) {
                /* Host devices need sysfs listings: compare the rest. */
                stripped.n_hostdevs = 0;
                in.domain = &stripped;
                free(error);
                error = NULL;
                r = profile_apparmor_generate(&in, &profile, &error);
                no_hostdevs = true;
        }
        if (r == -ENOMEM)
                return r;
        if (r == -EPERM)
                return eval_emitf(ctx, STATUS_FAIL, e->subject,
                                  "%s: kvmaudit would not generate a profile for this domain: %s", name, strna(error));
        if (r == -EOPNOTSUPP)
                return eval_emitf(ctx, STATUS_SKIP, e->subject, "%s: kvmaudit's generator cannot express: %s", name,
                                  strna(error));
        if (r < 0)
                return eval_emitf(ctx, STATUS_ERROR, e->subject, "%s: generating the expected profile: %s", name,
                                  strna(error));
        if ((r = aa_rules_from_generated(&gen, profile)) < 0 || (r = aa_rules_add_libvirt_own(&gen, e->model)) < 0)
                return r;

        STRV_FOREACH(item, loaded->list) {
                _cleanup_(aa_rules_done) AaRules one = {};
                char missing[32];
                bool covered = false;

                r = aa_rules_add_item(&one, *item);
                if (r < 0)
                        return r;
                const AaRule *l = &one.v[0];
                if (l->perms) {
                        n_file++;
                        if (no_hostdevs && aa_path_is_hostdev(l->path)) {
                                unjudged++;
                                continue;
                        }
                        r = aa_rule_missing_perms(&gen, l, missing, sizeof(missing));
                        if (r < 0)
                                return r;
                        covered = !*missing;
                } else
                        for (size_t i = 0; i < gen.n && !covered; i++)
                                covered = !gen.v[i].perms && streq(gen.v[i].path, l->path);
                if (!covered && strv_extend(&extra, *item) < 0)
                        return -ENOMEM;
        }

        size_t n_extra = strv_length(extra);
        StrBuf b = {};
        strbuf_printf(&b, "%s: %zu rules (%zu file rules)", name, strv_length(loaded->list), n_file);
        if (n_extra == 0)
                strbuf_append(&b, ", none beyond kvmaudit's profile for this domain");
        else {
                strbuf_printf(&b, ", %zu beyond kvmaudit's profile for this domain: ", n_extra);
                for (size_t i = 0; i < n_extra && i < AA_EVIDENCE_RULES_MAX; i++)
                        strbuf_printf(&b, "%s\"%s\"", i > 0 ? ", " : "", extra[i]);
                if (n_extra > AA_EVIDENCE_RULES_MAX)
                        strbuf_printf(&b, " ... and %zu more", n_extra - AA_EVIDENCE_RULES_MAX);
        }
        if (no_hostdevs)
                strbuf_printf(&b, "; %zu host device rules not judged (the <hostdev> lookup needs sysfs listings)",
                              unjudged);
        _cleanup_free_ char *text = strbuf_steal(&b);
        if (!text)
                return -ENOMEM;
        return eval_emit(ctx, n_extra > 0 ? STATUS_FAIL : STATUS_PASS, e->subject, text, NULL);
}

static int
eval_apparmor_profile_minimal(EvalContext *ctx)
{
        const Fact *profiles;
        int r;

        if ((r = apparmor_is_driver(ctx)) != 0)
                return r < 0 ? r : 0;
        profiles = get(ctx, "apparmor:profiles");
        RETURN_IF_UNUSABLE(ctx, "host", profiles);
        return eval_for_each_domain(ctx, apparmor_minimal_domain, (void *) profiles);
}

/* ------------------------------------------------------------------ */
/* sVirt                                                              */

static int
eval_security_driver(EvalContext *ctx)
{
        const Fact *drv = get(ctx, "qemu.conf:security_driver");
        Mac m;
        int r;

        RETURN_IF_UNUSABLE(ctx, "host", drv);
        if (drv->kind != FACT_ABSENT) {
                _cleanup_free_ char *v = fact_value_text(drv);
                if (!v)
                        return -ENOMEM;
                if (fact_has_word(drv, "none"))
                        return eval_emitf(ctx, STATUS_FAIL, "host", "security_driver = %s: sVirt is off", v);
                if (drv->kind == FACT_LIST && !drv->list[0])
                        return eval_emit(ctx, STATUS_FAIL, "host", "security_driver = []: no security driver", NULL);
                return eval_emitf(ctx, STATUS_PASS, "host", "security_driver = %s", v);
        }
        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r < 0 ? r : 0;
        if (m.selinux || m.apparmor)
                return eval_emitf(ctx, STATUS_PASS, "host",
                                  "security_driver absent: libvirt uses the first available driver, %s (from %s)",
                                  m.selinux ? "selinux" : "apparmor", m.source);
        return eval_emitf(ctx, STATUS_FAIL, "host",
                          "security_driver absent and neither SELinux nor AppArmor is active (%s): no sVirt driver",
                          m.source);
}

/* security_default_confined = 0 leaves new VMs unconfined; but only a
 * driver confines at all: without one, no VM is, whatever the setting. */
static int
eval_default_confined(EvalContext *ctx)
{
        const Fact *drv = get(ctx, "qemu.conf:security_driver"), *dc = get(ctx, "qemu.conf:security_default_confined");
        Mac m;
        int r;

        RETURN_IF_UNUSABLE(ctx, "host", drv);
        RETURN_IF_UNUSABLE(ctx, "host", dc);
        if (fact_has_word(drv, "none") || (drv->kind == FACT_LIST && !drv->list[0]))
                return eval_emit(ctx, STATUS_FAIL, "host", "security_driver = none: no sVirt driver, no VM is confined",
                                 NULL);
        if (drv->kind == FACT_ABSENT) {
                if ((r = mac_state(ctx, "host", &m)) != 0)
                        return r < 0 ? r : 0;
                if (!m.selinux && !m.apparmor)
                        return eval_emitf(ctx, STATUS_FAIL, "host",
                                          "no sVirt driver (security_driver absent, neither SELinux nor AppArmor "
                                          "active: %s): no VM is confined, whatever security_default_confined says",
                                          m.source);
        }
        if (dc->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_PASS, "host", "security_default_confined absent (default 1)", NULL);
        if (fact_is(dc, "0"))
                return eval_emit(ctx, STATUS_FAIL, "host", "security_default_confined = 0", NULL);
        return eval_emitf(ctx, STATUS_PASS, "host", "security_default_confined = %s", fact_text_or(dc));
}

/* Splits "user:role:type:level" into the type and the level (the rest,
 * "s0:c1,c2" or "s0-s0:c0.c1023"); false when it is no SELinux context. */
static bool
selinux_context_split(const char *ctx, char *type, size_t size, const char **ret_level)
{
        const char *a = strchr(ctx, ':'), *b = a ? strchr(a + 1, ':') : NULL, *c = b ? strchr(b + 1, ':') : NULL;

        if (!c || c == b + 1 || (size_t) (c - b - 1) >= size)
                return false;
        memcpy(type, b + 1, (size_t) (c - b - 1));
        type[c - b - 1] = '\0';
        *ret_level = c + 1;
        return true;
}

/* "s0:cX,cY" with X != Y: the pair libvirt's sVirt picks per VM. */
static bool
mcs_pair_unique(const char *level)
{
        uint64_t x, y;
        char a[16], b[16];
        const char *comma;

        if (!startswith(level, "s0:c"))
                return false;
        level += strlen("s0:c");
        comma = strchr(level, ',');
        if (!comma || (size_t) (comma - level) >= sizeof(a) || !startswith(comma, ",c") ||
            strlen(comma + 2) >= sizeof(b))
                return false;
        memcpy(a, level, (size_t) (comma - level));
        a[comma - level] = '\0';
        snprintf(b, sizeof(b), "%s", comma + 2);
        if (!*a || !*b || strspn(a, "0123456789") != strlen(a) || strspn(b, "0123456789") != strlen(b))
                return false;
        if (parse_uint64(a, &x) < 0 || parse_uint64(b, &y) < 0)
                return false;
        return x != y;
}

/* An AppArmor label "NAME (MODE)" or "unconfined". */
static bool
apparmor_label_split(const char *label, char *name, size_t size, const char **ret_mode)
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

static bool
looks_apparmor(const char *label)
{
        return streq(label, "unconfined") || endswith(label, ")");
}

/* The key two processes' labels must differ in: the SELinux type and
 * level, or the AppArmor profile name. */
static char *
label_identity(const char *label)
{
        char type[256], name[4096];
        const char *level, *mode;

        if (looks_apparmor(label) && apparmor_label_split(label, name, sizeof(name), &mode))
                return strdup(name);
        if (selinux_context_split(label, type, sizeof(type), &level))
                return xasprintf("%s:%s", type, level);
        return strdup(label);
}

static int
running_label_unique(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *pids = userdata, *f = eval_process_fact(ctx, pid, "label");
        _cleanup_strv_free_ char **same = NULL;
        _cleanup_free_ char *id = NULL;
        int r;

        if ((r = eval_fact_unusable(ctx, subject, f)) != 0)
                return r < 0 ? r : 0;
        if (f->kind != FACT_STRING)
                return eval_emit(ctx, STATUS_SKIP, subject, "the process has no LSM label (no MAC LSM active)", NULL);
        id = label_identity(f->string);
        if (!id)
                return -ENOMEM;
        STRV_FOREACH(p, pids->list) {
                const Fact *o;
                _cleanup_free_ char *oid = NULL;

                if (streq(*p, pid))
                        continue;
                o = eval_process_fact(ctx, *p, "label");
                if (o->kind != FACT_STRING)
                        continue;
                oid = label_identity(o->string);
                if (!oid)
                        return -ENOMEM;
                if (streq(oid, id) && strv_consume(&same, eval_process_subject(ctx, *p)) < 0)
                        return -ENOMEM;
        }
        if (same) {
                _cleanup_free_ char *l = strv_join(same, ", ");
                return l ? eval_emitf(ctx, STATUS_FAIL, subject, "label %s is shared with %s", f->string, l) : -ENOMEM;
        }
        return eval_emitf(ctx, STATUS_PASS, subject, "label %s held by no other QEMU process", f->string);
}

static int
eval_running_labels_unique(EvalContext *ctx)
{
        return eval_for_each_process(ctx, running_label_unique, (void *) get(ctx, "qemu:pids"));
}

static const DomainSeclabel *static_selinux_seclabel(const Domain *d);

/* The defined domain of a QEMU process: by -uuid, else by -name guest=
 * (the reverse of domain_process()). */
static const DomainEntry *
process_domain(EvalContext *ctx, const char *pid)
{
        const Fact *list, *uuid = eval_process_fact(ctx, pid, "uuid"), *name = eval_process_fact(ctx, pid, "name");
        const DomainSet *ds = eval_domains(ctx, &list);

        if (!ds)
                return NULL;
        if (uuid->kind == FACT_STRING)
                for (size_t i = 0; i < ds->n; i++)
                        if (ds->v[i].model && ds->v[i].model->uuid &&
                            strcasecmp(ds->v[i].model->uuid, uuid->string) == 0)
                                return &ds->v[i];
        if (name->kind == FACT_STRING)
                for (size_t i = 0; i < ds->n; i++)
                        if (ds->v[i].model && streq(ds->v[i].name, name->string))
                                return &ds->v[i];
        return NULL;
}

static int
process_confined(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Mac *m = userdata;
        const Fact *f = eval_process_fact(ctx, pid, "label");
        int r;

        if ((r = eval_fact_unusable(ctx, subject, f)) != 0)
                return r < 0 ? r : 0;
        if (f->kind != FACT_STRING)
                return eval_emit(ctx, STATUS_FAIL, subject, "no LSM label on the process although a MAC LSM is active",
                                 NULL);
        if (m->apparmor && (looks_apparmor(f->string) || !m->selinux)) {
                const Fact *uuid = eval_process_fact(ctx, pid, "uuid");
                char name[4096];
                const char *mode;

                if (!apparmor_label_split(f->string, name, sizeof(name), &mode))
                        return eval_emitf(ctx, STATUS_FAIL, subject, "AppArmor label %.64s... is not libvirt's", f->string);
                if (!mode)
                        return eval_emitf(ctx, STATUS_FAIL, subject, "AppArmor: %s", f->string);
                if ((r = eval_fact_unusable(ctx, subject, uuid)) != 0)
                        return r < 0 ? r : 0;
                if (uuid->kind != FACT_STRING)
                        return eval_emitf(ctx, STATUS_FAIL, subject,
                                          "AppArmor: %s, and no -uuid on the command line to tie it to a VM", f->string);
                bool own = startswith(name, "libvirt-") && strcasecmp(name + strlen("libvirt-"), uuid->string) == 0;
                bool enforce = startswith(mode, "enforce)");
                return eval_emitf(ctx, own && enforce ? STATUS_PASS : STATUS_FAIL, subject, "AppArmor: %s; -uuid %s%s%s",
                                  f->string, uuid->string, own ? "" : "; not the VM's own libvirt-<uuid> profile",
                                  enforce ? "" : "; not in enforce mode");
        }
        if (m->selinux) {
                char type[256];
                const char *level;

                if (!selinux_context_split(f->string, type, sizeof(type), &level))
                        return eval_emitf(ctx, STATUS_FAIL, subject, "SELinux: %s is not an sVirt context", f->string);
                bool mcs_ok = mcs_pair_unique(level);
                const char *mcs_why = mcs_ok ? "" : "; level is not s0:cX,cY with two different categories";
                if (streq(type, "svirt_t") || streq(type, "svirt_tcg_t"))
                        return eval_emitf(ctx, mcs_ok ? STATUS_PASS : STATUS_FAIL, subject,
                                          "SELinux: %s (libvirt's sVirt type %s)%s", f->string, type, mcs_why);

                /* A VM confined by a static label of its own (kvmaudit profile
                 * selinux): the type of its domain's static <label>. */
                const DomainEntry *de = process_domain(ctx, pid);
                const DomainSeclabel *st = de ? static_selinux_seclabel(de->model) : NULL;
                char stype[256];
                const char *slevel;

                if (!de)
                        return eval_emitf(ctx, STATUS_FAIL, subject,
                                          "SELinux: %s; type is not svirt_t or svirt_tcg_t, and the process belongs "
                                          "to no defined domain (by -uuid or -name guest=) whose static <label> "
                                          "could name it%s",
                                          f->string, mcs_why);
                if (!st || !st->label || !selinux_context_split(st->label, stype, sizeof(stype), &slevel))
                        return eval_emitf(ctx, STATUS_FAIL, subject,
                                          "SELinux: %s; type is not svirt_t or svirt_tcg_t, and domain %s has no "
                                          "static SELinux <label>%s",
                                          f->string, de->name, mcs_why);
                if (!streq(stype, type))
                        return eval_emitf(ctx, STATUS_FAIL, subject,
                                          "SELinux: %s; type is not svirt_t or svirt_tcg_t, nor %s, the type of "
                                          "domain %s's static <label>%s",
                                          f->string, stype, de->name, mcs_why);
                if (streq(type, "unconfined_t") || streq(type, "virtd_t") || streq(type, "virtqemud_t"))
                        return eval_emitf(ctx, STATUS_FAIL, subject,
                                          "SELinux: %s; the static <label> type of domain %s, but %s is %s%s",
                                          f->string, de->name, type,
                                          streq(type, "unconfined_t") ? "unconfined"
                                                                      : "a libvirt daemon's domain, not a VM's",
                                          mcs_why);
                const Fact *perm = get(ctx, "selinux:permissive");
                RETURN_IF_UNUSABLE(ctx, subject, perm);
                if (perm->kind != FACT_LIST)
                        return eval_emitf(ctx, STATUS_SKIP, subject,
                                          "SELinux: %s, the static <label> type of domain %s; the loaded policy's "
                                          "permissive types cannot be read (no module store): check with "
                                          "semanage permissive -l",
                                          f->string, de->name);
                if (strv_contains(perm->list, type))
                        return eval_emitf(ctx, STATUS_FAIL, subject,
                                          "SELinux: %s; the static <label> type of domain %s, but %s is a "
                                          "permissive type%s",
                                          f->string, de->name, type, mcs_why);
                return eval_emitf(ctx, mcs_ok ? STATUS_PASS : STATUS_FAIL, subject,
                                  "SELinux: %s (the static <label> type of domain %s, confined and not "
                                  "permissive)%s",
                                  f->string, de->name, mcs_why);
        }
        return eval_emitf(ctx, STATUS_FAIL, subject, "label %s", f->string);
}

static int
process_unconfined(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Mac *m = userdata;
        const Fact *f = eval_process_fact(ctx, pid, "label");

        return eval_emitf(ctx, STATUS_FAIL, subject, "no MAC LSM is active (%s): QEMU runs unconfined (label %s)",
                          m->source, f->kind == FACT_STRING ? f->string : "none");
}

static int
eval_process_confined(EvalContext *ctx)
{
        const Fact *pids = get(ctx, "qemu:pids");
        Mac m;
        int r;

        /* No QEMU: one skip, whatever the LSM state. */
        if (pids->kind == FACT_ERROR || pids->kind != FACT_LIST || !pids->list || !pids->list[0])
                return eval_for_each_process(ctx, process_confined, &m);
        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r < 0 ? r : 0;
        /* No MAC LSM is itself the finding: each running QEMU is
         * demonstrably unconfined, which a skip would hide. */
        if (!m.selinux && !m.apparmor)
                return eval_for_each_process(ctx, process_unconfined, &m);
        return eval_for_each_process(ctx, process_confined, &m);
}

/* The MAC seclabel of a domain: the first with a model other than dac. */
static const DomainSeclabel *
domain_mac_seclabel(const Domain *d)
{
        for (size_t i = 0; i < d->n_seclabels; i++)
                if (!d->seclabels[i].model || !streq(d->seclabels[i].model, "dac"))
                        return &d->seclabels[i];
        return NULL;
}

static bool
seclabel_is_static(const DomainSeclabel *sl)
{
        return sl && sl->type && streq(sl->type, "static");
}

/* What must be unique about a static label: "selinux s0:c1,c2" or
 * "apparmor NAME"; NULL (with *ret_why) when the label cannot be unique. */
static char *
static_label_key(const DomainSeclabel *sl, const char **ret_why)
{
        char type[256];
        const char *level;

        *ret_why = NULL;
        if (!sl->label) {
                *ret_why = "static <seclabel> without <label>";
                return NULL;
        }
        if (sl->model ? streq(sl->model, "apparmor") : !strchr(sl->label, ':'))
                return xasprintf("apparmor %s", sl->label);
        if (!selinux_context_split(sl->label, type, sizeof(type), &level)) {
                *ret_why = "static SELinux label is not a context";
                return NULL;
        }
        if (!mcs_pair_unique(level)) {
                *ret_why = "static SELinux label has no MCS category pair s0:cX,cY";
                return NULL;
        }
        return xasprintf("selinux %s", level);
}

static int
domain_label_unique(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const DomainSet *ds = userdata;
        const DomainSeclabel *sl = domain_mac_seclabel(e->model);
        _cleanup_strv_free_ char **same = NULL;
        _cleanup_free_ char *key = NULL;
        const char *why;

        if (!sl)
                return eval_emit(ctx, STATUS_PASS, e->subject, "no MAC <seclabel>: libvirt assigns a dynamic label",
                                 NULL);
        if (sl->type && streq(sl->type, "none"))
                return eval_emit(ctx, STATUS_SKIP, e->subject,
                                 "<seclabel type='none'>: unconfined (reported by domain.seclabel-confined)", NULL);
        if (!seclabel_is_static(sl))
                return eval_emitf(ctx, STATUS_PASS, e->subject, "<seclabel type='%s'%s%s>: libvirt picks a unique label",
                                  sl->type ? sl->type : "dynamic", sl->model ? " model=" : "", sl->model ? sl->model : "");
        key = static_label_key(sl, &why);
        if (!key) {
                if (why)
                        return eval_emitf(ctx, STATUS_FAIL, e->subject, "%s: %s", why, strna(sl->label));
                return -ENOMEM;
        }
        for (size_t i = 0; i < ds->n; i++) {
                const DomainSeclabel *o;
                _cleanup_free_ char *okey = NULL;
                const char *owhy;

                if (&ds->v[i] == e || !ds->v[i].model)
                        continue;
                o = domain_mac_seclabel(ds->v[i].model);
                if (!seclabel_is_static(o))
                        continue;
                okey = static_label_key(o, &owhy);
                if (!okey && !owhy)
                        return -ENOMEM;
                if (okey && streq(okey, key) && strv_extend(&same, ds->v[i].name) < 0)
                        return -ENOMEM;
        }
        if (same) {
                _cleanup_free_ char *l = strv_join(same, ", ");
                return l ? eval_emitf(ctx, STATUS_FAIL, e->subject, "static label %s is also used by %s", sl->label, l)
                         : -ENOMEM;
        }
        return eval_emitf(ctx, STATUS_PASS, e->subject, "static label %s used by no other domain", sl->label);
}

static int
eval_domain_label_unique(EvalContext *ctx)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);

        return eval_for_each_domain(ctx, domain_label_unique, (void *) ds);
}

/* The QEMU process of a running domain: by -uuid, else by -name guest=. */
static const char *
domain_process(EvalContext *ctx, const DomainEntry *e)
{
        const Fact *pids = get(ctx, "qemu:pids");

        if (pids->kind != FACT_LIST)
                return NULL;
        STRV_FOREACH(p, pids->list) {
                const Fact *uuid = eval_process_fact(ctx, *p, "uuid"), *name = eval_process_fact(ctx, *p, "name");

                if (e->model->uuid && uuid->kind == FACT_STRING && strcasecmp(uuid->string, e->model->uuid) == 0)
                        return *p;
                if (name->kind == FACT_STRING && streq(name->string, e->name))
                        return *p;
        }
        return NULL;
}

typedef struct ImageCheck {
        StrBuf bad;
        StrBuf good;
        StrBuf errors;
        unsigned n;
} ImageCheck;

/* Judges label:@path against type @want_type and level @want_level (NULL:
 * any level). */
static void
image_check(EvalContext *ctx, ImageCheck *ic, const char *what, const char *path, const char *want_type,
            const char *want_level)
{
        const Fact *f = fact_store_get2(ctx->facts, "label", path);
        char type[256];
        const char *level;

        ic->n++;
        if (f->kind == FACT_ERROR) {
                strbuf_printf(&ic->errors, "%s%s", ic->errors.len ? "; " : "", f->string ? f->string : path);
                return;
        }
        if (f->kind != FACT_STRING) {
                strbuf_printf(&ic->bad, "%s%s %s has no SELinux label (want %s%s%s)", ic->bad.len ? "; " : "", what,
                              path, want_type, want_level ? ":" : "", want_level ? want_level : "");
                return;
        }
        if (!selinux_context_split(f->string, type, sizeof(type), &level) || !streq(type, want_type) ||
            (want_level && !streq(level, want_level))) {
                strbuf_printf(&ic->bad, "%s%s %s is %s (want %s%s%s)", ic->bad.len ? "; " : "", what, path, f->string,
                              want_type, want_level ? ":" : "", want_level ? want_level : "");
                return;
        }
        strbuf_printf(&ic->good, "%s%s %s", ic->good.len ? ", " : "", what, path);
}

static bool static_label_norelabel(const Domain *d, char *prefix, size_t size, bool *ret_prefix);
static void image_check_static(EvalContext *ctx, ImageCheck *ic, const DomainEntry *self, const char *prefix,
                               const char *what, const char *path, const char *level, bool writable);

static int
disk_images_labeled(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        const DomainSeclabel *sl = domain_mac_seclabel(d);
        _cleanup_free_ char *level = NULL;
        const char *pid, *source = NULL;
        ImageCheck ic = {};
        char type[256];
        const char *lv;
        int r;

        (void) userdata;
        if (!domain_entry_running(e))
                return eval_emitf(ctx, STATUS_SKIP, e->subject, "domain is %s, not running", strna(e->state));
        if (sl && sl->type && streq(sl->type, "none"))
                return eval_emit(ctx, STATUS_SKIP, e->subject,
                                 "<seclabel type='none'>: unconfined, images are not labelled per VM", NULL);
        /* The categories the VM runs with: its process, else the live XML. */
        pid = domain_process(ctx, e);
        if (pid) {
                const Fact *f = eval_process_fact(ctx, pid, "label");
                if ((r = eval_fact_unusable(ctx, e->subject, f)) != 0)
                        return r < 0 ? r : 0;
                if (f->kind == FACT_STRING && selinux_context_split(f->string, type, sizeof(type), &lv)) {
                        level = strdup(lv);
                        source = "process";
                }
        }
        if (!level && sl && sl->label && selinux_context_split(sl->label, type, sizeof(type), &lv)) {
                level = strdup(lv);
                source = "live XML <label>";
        }
        if (!level && source)
                return -ENOMEM;
        if (!level)
                return eval_emit(ctx, STATUS_SKIP, e->subject,
                                 "the domain's SELinux categories are unknown (no QEMU process label, no live <label>)",
                                 NULL);
        /* A static label with relabel='no': libvirt labels nothing, the files
         * keep what restorecon (a module's .fc) or chcon gave them, which may
         * be the VM's own types (kvmaudit profile selinux). */
        char prefix[256];
        bool have_prefix = false;
        bool norelabel = static_label_norelabel(d, prefix, sizeof(prefix), &have_prefix);
        const char *pfx = have_prefix ? prefix : NULL;

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *disk = &d->disks[i];

                if (!domain_disk_has_local_source(disk) || streq(disk->type, "dir") || streq(disk->type, "volume"))
                        continue; /* network disks: nothing local to label; dir/volume: not resolved here */
                if (disk->shareable)
                        image_check(ctx, &ic, "shareable disk", disk->source, "svirt_image_t", "s0");
                else if (!domain_disk_is_writable(disk)) {
                        if (norelabel)
                                image_check_static(ctx, &ic, e, pfx, "read-only disk", disk->source, level, false);
                        else
                                image_check(ctx, &ic, "read-only disk", disk->source, "virt_content_t", NULL);
                } else if (norelabel)
                        image_check_static(ctx, &ic, e, pfx, "disk", disk->source, level, true);
                else
                        image_check(ctx, &ic, "disk", disk->source, "svirt_image_t", level);
                for (size_t j = 0; j < disk->n_backing; j++)
                        if (disk->backing[j].path && disk->backing[j].type &&
                            (streq(disk->backing[j].type, "file") || streq(disk->backing[j].type, "block"))) {
                                if (norelabel)
                                        image_check_static(ctx, &ic, e, pfx, "backing file", disk->backing[j].path,
                                                           level, false);
                                else
                                        image_check(ctx, &ic, "backing file", disk->backing[j].path,
                                                    "virt_content_t", NULL);
                        }
        }
        if (d->os.nvram && d->os.nvram[0] == '/') {
                if (norelabel)
                        image_check_static(ctx, &ic, e, pfx, "NVRAM", d->os.nvram, level, true);
                else
                        image_check(ctx, &ic, "NVRAM", d->os.nvram, "svirt_image_t", level);
        }

        _cleanup_free_ char *bad = strbuf_steal(&ic.bad), *good = strbuf_steal(&ic.good),
                            *errors = strbuf_steal(&ic.errors);
        if (!bad || !good || !errors)
                return -ENOMEM;
        if (*errors)
                return eval_emitf(ctx, STATUS_ERROR, e->subject, "%s", errors);
        if (ic.n == 0)
                return eval_emit(ctx, STATUS_SKIP, e->subject, "no local file or block disk and no NVRAM file", NULL);
        const char *how = norelabel ? "; static label, relabel='no'" : "";
        if (*bad)
                return eval_emitf(ctx, STATUS_FAIL, e->subject, "categories %s (from the %s)%s: %s", level, source, how,
                                  bad);
        return eval_emitf(ctx, STATUS_PASS, e->subject, "categories %s (from the %s)%s: %s labelled as expected", level,
                          source, how, good);
}

static int
eval_disk_images_labeled(EvalContext *ctx)
{
        Mac m;
        int r;

        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r < 0 ? r : 0;
        if (!m.selinux)
                return eval_emitf(ctx, STATUS_SKIP, "host", "SELinux is not active (%s): image labels are not checked%s",
                                  m.source, m.apparmor ? " on AppArmor hosts" : "");
        return eval_for_each_domain(ctx, disk_images_labeled, NULL);
}

/* ---- static SELinux labels: relabelling, MCS separation, domain type ---- */

/* Categories of the targeted and MLS reference policies: c0..c1023. */
#define MCS_CATS 1024U

typedef struct McsSet {
        uint8_t bits[MCS_CATS / 8];
        unsigned n;            /* categories in the set */
        char sens[16];         /* the (high) sensitivity, "s0" */
} McsSet;

static int
mcs_parse_category(const char *s, const char **end, unsigned *ret)
{
        unsigned v = 0;
        const char *c = s;

        if (*c++ != 'c' || !isdigit((unsigned char) *c))
                return -EINVAL;
        for (; isdigit((unsigned char) *c); c++) {
                v = v * 10 + (unsigned) (*c - '0');
                if (v >= MCS_CATS)
                        return -ERANGE;
        }
        *end = c;
        *ret = v;
        return 0;
}

static bool
mcs_has(const McsSet *s, unsigned c)
{
        return s->bits[c / 8] & (1U << (c % 8));
}

/*
 * The categories of an SELinux level "s0:c1,c2" or range
 * "s0-s0:c0.c1023": the high end counts, it is what the process may
 * reach.  false when the level is not written that way.
 */
static bool
mcs_categories(const char *level, McsSet *ret)
{
        const char *p = level, *dash = strchr(level, '-'), *colon;
        size_t n;

        memset(ret, 0, sizeof(*ret));
        if (dash)
                p = dash + 1;
        colon = strchr(p, ':');
        n = colon ? (size_t) (colon - p) : strlen(p);
        if (n < 2 || n >= sizeof(ret->sens) || p[0] != 's' || strspn(p + 1, "0123456789") != n - 1)
                return false;
        memcpy(ret->sens, p, n);
        ret->sens[n] = '\0';
        if (!colon)
                return true; /* "s0": no category */
        p = colon + 1;
        if (!*p)
                return false;
        while (*p) {
                unsigned lo, hi;
                const char *e;

                if (mcs_parse_category(p, &e, &lo) < 0)
                        return false;
                hi = lo;
                if (*e == '.' && (mcs_parse_category(e + 1, &e, &hi) < 0 || hi < lo))
                        return false;
                for (unsigned c = lo; c <= hi; c++)
                        if (!mcs_has(ret, c)) {
                                ret->bits[c / 8] |= (uint8_t) (1U << (c % 8));
                                ret->n++;
                        }
                if (*e == ',') {
                        e++;
                        if (!*e)
                                return false;
                } else if (*e)
                        return false;
                p = e;
        }
        return true;
}

/* Categories in both sets; the first of them in *ret_first. */
static unsigned
mcs_shared(const McsSet *a, const McsSet *b, unsigned *ret_first)
{
        unsigned n = 0;

        for (unsigned c = 0; c < MCS_CATS; c++)
                if (mcs_has(a, c) && mcs_has(b, c) && n++ == 0)
                        *ret_first = c;
        return n;
}

/* Whether two levels are the same, by sensitivity and category set (so
 * "s0:c2,c1" equals "s0:c1,c2"). */
static bool
selinux_level_equal(const char *la, const char *lb)
{
        McsSet sa, sb;

        if (streq(la, lb))
                return true;
        return mcs_categories(la, &sa) && mcs_categories(lb, &sb) && streq(sa.sens, sb.sens) &&
               memcmp(sa.bits, sb.bits, sizeof(sa.bits)) == 0;
}

/* Whether two contexts have the same type and the same level. */
static bool
selinux_context_equal_type_level(const char *a, const char *b)
{
        char ta[256], tb[256];
        const char *la, *lb;

        if (!selinux_context_split(a, ta, sizeof(ta), &la) || !selinux_context_split(b, tb, sizeof(tb), &lb) ||
            !streq(ta, tb))
                return false;
        return selinux_level_equal(la, lb);
}

/* The domain's static SELinux seclabel, or NULL: type='static' with model
 * selinux, or without a model and a label that is a context (as in
 * static_label_key()). */
static const DomainSeclabel *
static_selinux_seclabel(const Domain *d)
{
        const DomainSeclabel *sl = domain_mac_seclabel(d);

        if (!seclabel_is_static(sl))
                return NULL;
        if (sl->model ? !streq(sl->model, "selinux") : !sl->label || !strchr(sl->label, ':'))
                return NULL;
        return sl;
}

/*
 * Whether @d has a static SELinux label that libvirt does not relabel
 * for: relabel='no', or absent (libvirt's default for a static label).
 * *ret_prefix tells whether @prefix holds the <label> type without its
 * "_t" ("kvmaudit_web2" for kvmaudit_web2_t), the prefix of the VM's own
 * types as virt_domain_template() and kvmaudit profile selinux name them.
 */
static bool
static_label_norelabel(const Domain *d, char *prefix, size_t size, bool *ret_prefix)
{
        const DomainSeclabel *sl = static_selinux_seclabel(d);
        const char *level;

        *ret_prefix = false;
        if (!sl || sl->relabel == DOMAIN_TRISTATE_YES)
                return false;
        /* svirt_t and svirt_tcg_t: libvirt's own types, no VM's. */
        if (sl->label && selinux_context_split(sl->label, prefix, size, &level) && endswith(prefix, "_t") &&
            strlen(prefix) > 2 && !streq(prefix, "svirt_t") && !streq(prefix, "svirt_tcg_t")) {
                prefix[strlen(prefix) - 2] = '\0';
                *ret_prefix = true;
        }
        return true;
}

static bool
path_label_type_is(EvalContext *ctx, const char *path, const char *type)
{
        const Fact *f = fact_store_get2(ctx->facts, "label", path);
        char t[256];
        const char *level;

        return f->kind == FACT_STRING && selinux_context_split(f->string, t, sizeof(t), &level) && streq(t, type);
}

/* The first other domain whose local disks, backing files or NVRAM carry
 * type @type, or NULL. */
static const char *
image_type_used_elsewhere(EvalContext *ctx, const DomainEntry *self, const char *type)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);

        if (!ds)
                return NULL;
        for (size_t i = 0; i < ds->n; i++) {
                const DomainEntry *o = &ds->v[i];
                const Domain *od = o->model;

                if (o == self || !od || (self->model && od == self->model))
                        continue;
                for (size_t k = 0; k < od->n_disks; k++) {
                        const DomainDisk *disk = &od->disks[k];

                        if (!domain_disk_has_local_source(disk) || streq(disk->type, "dir") ||
                            streq(disk->type, "volume"))
                                continue;
                        if (path_label_type_is(ctx, disk->source, type))
                                return o->name;
                        for (size_t j = 0; j < disk->n_backing; j++)
                                if (disk->backing[j].path && disk->backing[j].type &&
                                    (streq(disk->backing[j].type, "file") || streq(disk->backing[j].type, "block")) &&
                                    path_label_type_is(ctx, disk->backing[j].path, type))
                                        return o->name;
                }
                if (od->os.nvram && od->os.nvram[0] == '/' && path_label_type_is(ctx, od->os.nvram, type))
                        return o->name;
        }
        return NULL;
}

/*
 * Judges a file of a domain whose static SELinux label libvirt does not
 * relabel for: the file keeps what restorecon (a policy module's .fc) or
 * chcon gave it.  Writable: exactly the categories @level, and type
 * svirt_image_t or the VM's own image type, <prefix>_image_t or a type no
 * other domain's images carry (not the shared virt_image_t or
 * virt_content_t).  Read-only: virt_content_t or <prefix>_content_t.
 */
/*
 * With relabel='no' nothing puts a file's label back but the policy's file
 * contexts: a label they do not give (a chcon) is lost at the next
 * restorecon or relabel, and the VM then cannot open its image or, worse,
 * shares a type with every VM.  filecon:PATH is what they give (live hosts
 * with libselinux; absent otherwise, and then not judged).
 */
static bool
label_survives_relabel(EvalContext *ctx, ImageCheck *ic, const char *what, const char *path, const char *label)
{
        const Fact *f = fact_store_get2(ctx->facts, "filecon", path);

        if (f->kind == FACT_ERROR) {
                strbuf_printf(&ic->errors, "%s%s", ic->errors.len ? "; " : "", f->string ? f->string : path);
                return false;
        }
        if (f->kind != FACT_STRING || selinux_context_equal_type_level(f->string, label))
                return true;
        strbuf_printf(&ic->bad, "%s%s %s is %s, but the policy's file contexts give %s: the next restorecon or "
                      "relabel takes its label away (label it with semanage fcontext, or the module's .fc)",
                      ic->bad.len ? "; " : "", what, path, label, f->string);
        return false;
}

static void
image_check_static(EvalContext *ctx, ImageCheck *ic, const DomainEntry *self, const char *prefix, const char *what,
                   const char *path, const char *level, bool writable)
{
        const Fact *f = fact_store_get2(ctx->facts, "label", path);
        _cleanup_free_ char *want = NULL, *own = NULL;
        char type[256];
        const char *flevel, *other;

        ic->n++;
        if (writable)
                want = prefix ? xasprintf("svirt_image_t or %s_image_t (or a type of its own), level %s", prefix,
                                          level)
                              : xasprintf("svirt_image_t or a type of its own, level %s", level);
        else
                want = prefix ? xasprintf("virt_content_t or %s_content_t", prefix) : strdup("virt_content_t");
        if (prefix)
                own = xasprintf("%s_%s_t", prefix, writable ? "image" : "content");
        if (!want || (prefix && !own)) {
                ic->bad.oom = true;
                return;
        }
        if (f->kind == FACT_ERROR) {
                strbuf_printf(&ic->errors, "%s%s", ic->errors.len ? "; " : "", f->string ? f->string : path);
                return;
        }
        if (f->kind != FACT_STRING) {
                strbuf_printf(&ic->bad, "%s%s %s has no SELinux label (want %s)", ic->bad.len ? "; " : "", what, path,
                              want);
                return;
        }
        if (!selinux_context_split(f->string, type, sizeof(type), &flevel)) {
                strbuf_printf(&ic->bad, "%s%s %s is %s (want %s)", ic->bad.len ? "; " : "", what, path, f->string,
                              want);
                return;
        }
        if (!writable) {
                if (!streq(type, "virt_content_t") && !(own && streq(type, own)))
                        strbuf_printf(&ic->bad, "%s%s %s is %s (want %s)", ic->bad.len ? "; " : "", what, path,
                                      f->string, want);
                else if (label_survives_relabel(ctx, ic, what, path, f->string))
                        strbuf_printf(&ic->good, "%s%s %s (%s)", ic->good.len ? ", " : "", what, path, type);
                return;
        }
        if (!selinux_level_equal(flevel, level)) {
                strbuf_printf(&ic->bad, "%s%s %s is %s (want %s)", ic->bad.len ? "; " : "", what, path, f->string,
                              want);
                return;
        }
        if (streq(type, "svirt_image_t") || (own && streq(type, own))) {
                if (label_survives_relabel(ctx, ic, what, path, f->string))
                        strbuf_printf(&ic->good, "%s%s %s (%s)", ic->good.len ? ", " : "", what, path, type);
                return;
        }
        if (streq(type, "virt_image_t") || streq(type, "virt_content_t")) {
                strbuf_printf(&ic->bad, "%s%s %s is %s, a type shared by every VM's images (want %s)",
                              ic->bad.len ? "; " : "", what, path, f->string, want);
                return;
        }
        other = image_type_used_elsewhere(ctx, self, type);
        if (other) {
                strbuf_printf(&ic->bad, "%s%s %s is %s, a type domain %s's images carry too (want %s)",
                              ic->bad.len ? "; " : "", what, path, f->string, other, want);
                return;
        }
        if (label_survives_relabel(ctx, ic, what, path, f->string))
                strbuf_printf(&ic->good, "%s%s %s (%s, on no other domain's images)", ic->good.len ? ", " : "", what, path,
                      type);
}

/* Compares label:@path with @want (type and level). */
static void
image_check_context(EvalContext *ctx, ImageCheck *ic, const char *what, const char *path, const char *want)
{
        const Fact *f = fact_store_get2(ctx->facts, "label", path);

        ic->n++;
        if (f->kind == FACT_ERROR) {
                strbuf_printf(&ic->errors, "%s%s", ic->errors.len ? "; " : "", f->string ? f->string : path);
                return;
        }
        if (f->kind != FACT_STRING) {
                strbuf_printf(&ic->bad, "%s%s %s has no SELinux label", ic->bad.len ? "; " : "", what, path);
                return;
        }
        if (!selinux_context_equal_type_level(f->string, want)) {
                strbuf_printf(&ic->bad, "%s%s %s is %s", ic->bad.len ? "; " : "", what, path, f->string);
                return;
        }
        strbuf_printf(&ic->good, "%s%s %s", ic->good.len ? ", " : "", what, path);
}

/* A disk's own SELinux <seclabel><label>, which overrides the domain's
 * image label for that disk. */
static const char *
disk_selinux_label(const DomainDisk *disk)
{
        for (size_t i = 0; i < disk->n_seclabels; i++) {
                const DomainSeclabel *s = &disk->seclabels[i];

                if ((!s->model || streq(s->model, "selinux")) && s->label)
                        return s->label;
        }
        return NULL;
}

static int
static_label_relabeled(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        const DomainSeclabel *sl = static_selinux_seclabel(d);
        const char *relabel, *level;
        char prefix[256];
        bool have_prefix = false;
        ImageCheck ic = {};

        (void) userdata;
        if (!sl)
                return eval_emit(ctx, STATUS_SKIP, e->subject, "no static SELinux <seclabel>", NULL);
        if (sl->relabel == DOMAIN_TRISTATE_YES)
                return eval_emitf(ctx, STATUS_PASS, e->subject,
                                  "static label %s with relabel='yes': libvirt labels the images with its categories",
                                  strna(sl->label));
        /* relabel='no', or absent: libvirt's default for a static label.
         * libvirt then labels no file (and ignores an <imagelabel>: it is
         * output only); the files keep what restorecon or chcon gave them. */
        relabel = sl->relabel == DOMAIN_TRISTATE_NO ? "relabel='no'"
                                                     : "relabel absent (libvirt's default for a static label: 'no')";
        if (!sl->label || !selinux_context_split(sl->label, prefix, sizeof(prefix), &level))
                return eval_emitf(ctx, STATUS_FAIL, e->subject,
                                  "static SELinux <seclabel>, %s, and no context in <label> (%s): nothing names the "
                                  "images' categories",
                                  relabel, strna(sl->label));
        _cleanup_free_ char *lvl = strdup(level);
        if (!lvl)
                return -ENOMEM;
        (void) static_label_norelabel(d, prefix, sizeof(prefix), &have_prefix);
        const char *pfx = have_prefix ? prefix : NULL;

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *disk = &d->disks[i];
                const char *own;

                if (!domain_disk_has_local_source(disk) || streq(disk->type, "dir") || streq(disk->type, "volume"))
                        continue; /* network disks: nothing local; dir/volume: not resolved here */
                if (disk->shareable || !domain_disk_is_writable(disk))
                        continue; /* shared with other VMs by design: not the VM's own label */
                own = disk_selinux_label(disk);
                if (own)
                        image_check_context(ctx, &ic, "disk (own <seclabel>)", disk->source, own);
                else
                        image_check_static(ctx, &ic, e, pfx, "disk", disk->source, lvl, true);
        }
        if (d->os.nvram && d->os.nvram[0] == '/')
                image_check_static(ctx, &ic, e, pfx, "NVRAM", d->os.nvram, lvl, true);

        _cleanup_free_ char *bad = strbuf_steal(&ic.bad), *good = strbuf_steal(&ic.good),
                            *errors = strbuf_steal(&ic.errors);
        _cleanup_free_ char *want = pfx ? xasprintf("svirt_image_t or the VM's own image type (%s_image_t, or one "
                                                    "no other domain's images carry) with the <label>'s categories %s",
                                                    pfx, lvl)
                                        : xasprintf("svirt_image_t or the VM's own image type (one no other "
                                                    "domain's images carry) with the <label>'s categories %s",
                                                    lvl);
        if (!bad || !good || !errors || !want)
                return -ENOMEM;
        if (*errors)
                return eval_emitf(ctx, STATUS_ERROR, e->subject, "%s", errors);
        if (ic.n == 0)
                return eval_emit(ctx, STATUS_SKIP, e->subject,
                                 "relabel='no' but no local writable disk and no NVRAM file to judge", NULL);
        if (*bad)
                return eval_emitf(ctx, STATUS_FAIL, e->subject, "%s; images must be %s: %s", relabel, want, bad);
        return eval_emitf(ctx, STATUS_PASS, e->subject, "%s; labelled %s: %s", relabel, want, good);
}

static int
eval_static_label_relabeled(EvalContext *ctx)
{
        Mac m;
        int r;

        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r < 0 ? r : 0;
        if (!m.selinux)
                return eval_emitf(ctx, STATUS_SKIP, "host", "SELinux is not active (%s): static SELinux labels are not enforced",
                                  m.source);
        return eval_for_each_domain(ctx, static_label_relabeled, NULL);
}

static int
static_mcs_unique(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const DomainSet *ds = userdata;
        const DomainSeclabel *sl = static_selinux_seclabel(e->model);
        char type[256];
        const char *level;
        McsSet mine;
        StrBuf b = {};

        if (!sl)
                return eval_emit(ctx, STATUS_SKIP, e->subject, "no static SELinux <seclabel>", NULL);
        if (!sl->label)
                return eval_emit(ctx, STATUS_FAIL, e->subject, "static SELinux <seclabel> without <label>", NULL);
        if (!selinux_context_split(sl->label, type, sizeof(type), &level) || !mcs_categories(level, &mine))
                return eval_emitf(ctx, STATUS_FAIL, e->subject,
                                  "static label %s has no level of the form sN:cX,cY (categories c0..c%u)", sl->label,
                                  MCS_CATS - 1);
        if (mine.n == 0)
                return eval_emitf(ctx, STATUS_FAIL, e->subject,
                                  "static label %s has no MCS category: every confined QEMU's categories cover it",
                                  sl->label);
        for (size_t i = 0; i < ds->n; i++) {
                const DomainSeclabel *o;
                char otype[256];
                const char *olevel;
                McsSet theirs;
                unsigned first = 0, shared;

                if (&ds->v[i] == e || !ds->v[i].model)
                        continue;
                o = static_selinux_seclabel(ds->v[i].model);
                if (!o || !o->label || !selinux_context_split(o->label, otype, sizeof(otype), &olevel) ||
                    !mcs_categories(olevel, &theirs))
                        continue; /* reported on that domain */
                shared = mcs_shared(&mine, &theirs, &first);
                if (theirs.n > 0 && shared == 0)
                        continue;
                if (b.len > 0)
                        strbuf_append(&b, "; ");
                if (theirs.n == 0)
                        strbuf_printf(&b, "%s (%s) has no category and lies within them", ds->v[i].name, olevel);
                else if (shared == mine.n && shared == theirs.n)
                        strbuf_printf(&b, "%s (%s) has the same categories", ds->v[i].name, olevel);
                else if (shared == mine.n)
                        strbuf_printf(&b, "%s (%s) covers them", ds->v[i].name, olevel);
                else if (shared == theirs.n)
                        strbuf_printf(&b, "%s (%s) lies within them", ds->v[i].name, olevel);
                else
                        strbuf_printf(&b, "%s (%s) shares c%u%s", ds->v[i].name, olevel, first,
                                      shared > 1 ? " and more" : "");
        }
        _cleanup_free_ char *clash = strbuf_steal(&b);
        if (!clash)
                return -ENOMEM;
        if (*clash)
                return eval_emitf(ctx, STATUS_FAIL, e->subject, "static label %s: %s", sl->label, clash);
        return eval_emitf(ctx, STATUS_PASS, e->subject,
                          "static label %s: no other static SELinux label shares, covers or lies within its categories",
                          sl->label);
}

static int
eval_static_mcs_unique(EvalContext *ctx)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);

        return eval_for_each_domain(ctx, static_mcs_unique, (void *) ds);
}

static int
domain_type_confined(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        /* The daemons' domains, and the unconfined one. */
        static const char *const unconfined_types[] = {"unconfined_t", "virtd_t", "virtqemud_t"};
        const Fact *perm = userdata;
        const DomainSeclabel *sl = domain_mac_seclabel(e->model), *st = static_selinux_seclabel(e->model);
        const char *context = NULL, *source, *level;
        char type[256];
        int r;

        if (sl && sl->model && streq(sl->model, "apparmor"))
                return eval_emit(ctx, STATUS_SKIP, e->subject, "AppArmor <seclabel>: no SELinux domain type", NULL);
        if (st) {
                if (!st->label)
                        return eval_emit(ctx, STATUS_FAIL, e->subject, "static SELinux <seclabel> without <label>",
                                         NULL);
                context = st->label;
                source = "static <label>";
        } else {
                const char *pid;

                if (!domain_entry_running(e))
                        return eval_emitf(ctx, STATUS_SKIP, e->subject,
                                          "%s label on a domain that is %s: its type is known only while it runs",
                                          sl && sl->type ? sl->type : "dynamic", strna(e->state));
                pid = domain_process(ctx, e);
                if (pid) {
                        const Fact *f = eval_process_fact(ctx, pid, "label");

                        if ((r = eval_fact_unusable(ctx, e->subject, f)) != 0)
                                return r < 0 ? r : 0;
                        if (f->kind == FACT_STRING) {
                                context = f->string;
                                source = "QEMU process label";
                        }
                }
                if (!context && sl && sl->label) {
                        context = sl->label;
                        source = "live XML <label>";
                }
                if (!context)
                        return eval_emit(ctx, STATUS_SKIP, e->subject,
                                         "no QEMU process label and no live <label>: the domain type is unknown", NULL);
        }
        if (!selinux_context_split(context, type, sizeof(type), &level))
                return eval_emitf(ctx, STATUS_FAIL, e->subject, "%s %s is not an SELinux context", source, context);
        for (size_t i = 0; i < ELEMENTSOF(unconfined_types); i++)
                if (streq(type, unconfined_types[i]))
                        return eval_emitf(ctx, STATUS_FAIL, e->subject, "%s %s: %s is %s", source, context, type,
                                          streq(type, "unconfined_t") ? "unconfined"
                                                                      : "a libvirt daemon's domain, not a VM's");
        RETURN_IF_UNUSABLE(ctx, e->subject, perm);
        if (perm->kind != FACT_LIST)
                return eval_emitf(ctx, STATUS_SKIP, e->subject,
                                  "%s %s: the loaded policy's permissive types cannot be read (no module store); "
                                  "check with semanage permissive -l",
                                  source, context);
        if (strv_contains(perm->list, type))
                return eval_emitf(ctx, STATUS_FAIL, e->subject, "%s %s: %s is a permissive type", source, context, type);
        return eval_emitf(ctx, STATUS_PASS, e->subject, "%s %s: %s is confined and not permissive", source, context,
                          type);
}

static int
eval_domain_type_confined(EvalContext *ctx)
{
        Mac m;
        int r;

        if ((r = mac_state(ctx, "host", &m)) != 0)
                return r < 0 ? r : 0;
        if (!m.selinux)
                return eval_emitf(ctx, STATUS_SKIP, "host", "SELinux is not active (%s): no SELinux domain types",
                                  m.source);
        return eval_for_each_domain(ctx, domain_type_confined, (void *) get(ctx, "selinux:permissive"));
}

/* ------------------------------------------------------------------ */
/* Seccomp and the QEMU processes                                     */

static int
process_seccomp(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *f = eval_process_fact(ctx, pid, "seccomp");
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, f)) != 0)
                return r < 0 ? r : 0;
        if (fact_is(f, "2"))
                return eval_emit(ctx, STATUS_PASS, subject, "Seccomp: 2 (filter mode)", NULL);
        return eval_emitf(ctx, STATUS_FAIL, subject, "Seccomp: %s%s", fact_text_or(f),
                          fact_is(f, "0") ? " (no filter: the QEMU sandbox is off)" : "");
}

static int
eval_process_seccomp(EvalContext *ctx)
{
        return eval_for_each_process(ctx, process_seccomp, NULL);
}

/* Whether the -sandbox option string holds element @want (",," escapes a
 * comma, as in every QEMU option string). */
static bool
sandbox_has(const char *opts, const char *want)
{
        size_t n = strlen(want);

        for (const char *p = opts; *p;) {
                const char *end = p;

                while (*end && !(*end == ',' && end[1] != ','))
                        end += (*end == ',' && end[1] == ',') ? 2 : 1;
                if ((size_t) (end - p) == n && strneq(p, want, n))
                        return true;
                p = *end ? end + 1 : end;
        }
        return false;
}

static int
process_sandbox_options(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        static const char *const want[] = {"obsolete=deny", "elevateprivileges=deny", "spawn=deny",
                                           "resourcecontrol=deny"};
        const Fact *f = eval_process_fact(ctx, pid, "cmdline");
        const char *opts = NULL;
        StrBuf missing = {};
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, f)) != 0)
                return r < 0 ? r : 0;
        if (f->kind != FACT_LIST)
                return eval_emit(ctx, STATUS_ERROR, subject, "no command line recorded", NULL);
        /* QEMU keeps the last -sandbox. */
        for (size_t i = 0; f->list[i]; i++)
                if ((streq(f->list[i], "-sandbox") || streq(f->list[i], "--sandbox")) && f->list[i + 1])
                        opts = f->list[i + 1];
        if (!opts)
                return eval_emit(ctx, STATUS_FAIL, subject, "no -sandbox argument on the QEMU command line", NULL);
        if (!sandbox_has(opts, "on") && !sandbox_has(opts, "enable=on"))
                strbuf_append(&missing, "on");
        for (size_t i = 0; i < ELEMENTSOF(want); i++)
                if (!sandbox_has(opts, want[i]))
                        strbuf_printf(&missing, "%s%s", missing.len ? ", " : "", want[i]);
        _cleanup_free_ char *m = strbuf_steal(&missing);
        if (!m)
                return -ENOMEM;
        if (*m)
                return eval_emitf(ctx, STATUS_FAIL, subject, "-sandbox %s lacks %s", opts, m);
        return eval_emitf(ctx, STATUS_PASS, subject, "-sandbox %s", opts);
}

static int
eval_process_sandbox_options(EvalContext *ctx)
{
        return eval_for_each_process(ctx, process_sandbox_options, NULL);
}

static int
process_no_new_privs(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *f = eval_process_fact(ctx, pid, "nonewprivs");
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, f)) != 0)
                return r < 0 ? r : 0;
        return eval_emitf(ctx, fact_is(f, "1") ? STATUS_PASS : STATUS_FAIL, subject, "NoNewPrivs: %s",
                          fact_text_or(f));
}

static int
eval_process_no_new_privs(EvalContext *ctx)
{
        return eval_for_each_process(ctx, process_no_new_privs, NULL);
}

/* Whether any of the four ids ("R E S FS") is 0. */
static bool
ids_have_root(const char *ids)
{
        for (const char *p = ids; *p;) {
                size_t n;

                p += strspn(p, " \t");
                n = strcspn(p, " \t");
                if (n == 1 && *p == '0')
                        return true;
                p += n;
        }
        return false;
}

static int
process_not_root(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *uid = eval_process_fact(ctx, pid, "uid"), *gid = eval_process_fact(ctx, pid, "gid");
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, uid)) != 0)
                return r < 0 ? r : 0;
        if ((r = eval_fact_unusable(ctx, subject, gid)) != 0)
                return r < 0 ? r : 0;
        if (uid->kind != FACT_STRING || gid->kind != FACT_STRING)
                return eval_emit(ctx, STATUS_ERROR, subject, "no Uid:/Gid: recorded", NULL);
        bool root = ids_have_root(uid->string) || ids_have_root(gid->string);
        return eval_emitf(ctx, root ? STATUS_FAIL : STATUS_PASS, subject, "Uid: %s; Gid: %s", uid->string,
                          gid->string);
}

static int
eval_process_not_root(EvalContext *ctx)
{
        return eval_for_each_process(ctx, process_not_root, NULL);
}

static bool
cap_empty(const Fact *f)
{
        uint64_t v;
        _cleanup_free_ char *hex = f->kind == FACT_STRING ? xasprintf("0x%s", f->string) : NULL;

        return hex && parse_uint64(hex, &v) >= 0 && v == 0;
}

static int
process_no_capabilities(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *eff = eval_process_fact(ctx, pid, "capeff"), *prm = eval_process_fact(ctx, pid, "capprm");
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, eff)) != 0)
                return r < 0 ? r : 0;
        if ((r = eval_fact_unusable(ctx, subject, prm)) != 0)
                return r < 0 ? r : 0;
        if (eff->kind != FACT_STRING || prm->kind != FACT_STRING)
                return eval_emit(ctx, STATUS_ERROR, subject, "no CapEff:/CapPrm: recorded", NULL);
        return eval_emitf(ctx, cap_empty(eff) && cap_empty(prm) ? STATUS_PASS : STATUS_FAIL, subject,
                          "CapEff: %s; CapPrm: %s", eff->string, prm->string);
}

static int
eval_process_no_capabilities(EvalContext *ctx)
{
        return eval_for_each_process(ctx, process_no_capabilities, NULL);
}

/* ------------------------------------------------------------------ */
/* qemu.conf                                                          */

static bool
is_root_id(const char *v)
{
        return streq(v, "root") || streq(v, "0") || streq(v, "+0");
}

static int
eval_qemu_user_not_root(EvalContext *ctx)
{
        const Fact *user = get(ctx, "qemu.conf:user"), *group = get(ctx, "qemu.conf:group");
        _cleanup_free_ char *u = NULL, *g = NULL;

        RETURN_IF_UNUSABLE(ctx, "host", user);
        RETURN_IF_UNUSABLE(ctx, "host", group);
        if (user->kind == FACT_ABSENT && group->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_PASS, "host",
                                 "user and group not set: build default (non-root on Debian, Ubuntu, Fedora, RHEL, "
                                 "SUSE; root on unlisted distributions; see qemu.process-not-root)", NULL);
        u = user->kind == FACT_ABSENT ? strdup("(absent: build default)") : fact_value_text(user);
        g = group->kind == FACT_ABSENT ? strdup("(absent: build default)") : fact_value_text(group);
        if (!u || !g)
                return -ENOMEM;
        bool root = (user->kind == FACT_STRING && is_root_id(user->string)) ||
                    (group->kind == FACT_STRING && is_root_id(group->string));
        bool odd = user->kind == FACT_LIST || group->kind == FACT_LIST;
        return eval_emitf(ctx, root || odd ? STATUS_FAIL : STATUS_PASS, "host", "user = %s; group = %s%s", u, g,
                          odd ? " (a list is not a valid user or group)" : "");
}

/* libvirt 11.x qemu.conf.in defaults, plus the historic ones. */
static const char *const cgroup_acl_defaults[] = {
        "/dev/null", "/dev/full", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/ptmx", "/dev/kvm",
        "/dev/userfaultfd", "/dev/rtc", "/dev/hpet", "/dev/kqemu", "/dev/vfio/vfio",
};

static int
eval_cgroup_device_acl(EvalContext *ctx)
{
        const Fact *acl = get(ctx, "qemu.conf:cgroup_device_acl");
        char *single[2] = {};
        char *const *entries;
        unsigned extra = 0;
        int r;

        RETURN_IF_UNUSABLE(ctx, "host", acl);
        if (acl->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_PASS, "host", "cgroup_device_acl absent: libvirt's defaults", NULL);
        if (acl->kind == FACT_LIST)
                entries = acl->list;
        else {
                single[0] = acl->string;
                entries = single;
        }
        for (size_t i = 0; entries[i]; i++) {
                bool dflt = false;

                for (size_t j = 0; j < ELEMENTSOF(cgroup_acl_defaults) && !dflt; j++)
                        dflt = streq(entries[i], cgroup_acl_defaults[j]);
                if (dflt)
                        continue;
                extra++;
                r = eval_emitf(ctx, STATUS_FAIL, entries[i], "cgroup_device_acl grants %s to every QEMU", entries[i]);
                if (r < 0)
                        return r;
        }
        if (extra == 0) {
                _cleanup_free_ char *v = fact_value_text(acl);
                return v ? eval_emitf(ctx, STATUS_PASS, "host", "cgroup_device_acl = %s: defaults only", v) : -ENOMEM;
        }
        return 0;
}

/* ------------------------------------------------------------------ */
/* The libvirt daemons                                                */

typedef struct Daemon {
        const char *conf;        /* fact namespace and file name under /etc/libvirt */
        const char *binary;      /* defaults apply when only this exists */
        const char *tcp_unit;    /* NULL: the daemon has no network listener */
        const char *tls_unit;
        const char *main_socket; /* socket activation of the daemon itself */
        bool listen_tls_default; /* remote_daemon_config.c: 1 only for libvirtd */
        bool needs_listen_arg;   /* listen_* only count with --listen (LIBVIRTD_ARGS) */
} Daemon;

enum {
        DAEMON_LIBVIRTD = 1u << 0,
        DAEMON_VIRTQEMUD = 1u << 1,
        DAEMON_VIRTPROXYD = 1u << 2,
        DAEMON_ALL = DAEMON_LIBVIRTD | DAEMON_VIRTQEMUD | DAEMON_VIRTPROXYD,
        DAEMON_NETWORK = DAEMON_LIBVIRTD | DAEMON_VIRTPROXYD,
        DAEMON_LOCAL = DAEMON_LIBVIRTD | DAEMON_VIRTQEMUD,
};

static const Daemon daemon_table[] = {
        {"libvirtd.conf", "/usr/sbin/libvirtd", "libvirtd-tcp.socket", "libvirtd-tls.socket", "libvirtd.socket", true,
         true},
        {"virtqemud.conf", "/usr/sbin/virtqemud", NULL, NULL, "virtqemud.socket", false, false},
        {"virtproxyd.conf", "/usr/sbin/virtproxyd", "virtproxyd-tcp.socket", "virtproxyd-tls.socket",
         "virtproxyd.socket", false, false},
};

static const Fact *
conf_get(EvalContext *ctx, const Daemon *d, const char *key)
{
        return fact_store_get2(ctx->facts, d->conf, key);
}

typedef int (*DaemonFunc)(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists);

/*
 * Runs @fn once per daemon of @mask whose configuration file exists, or
 * whose binary exists (then libvirt's defaults apply); the subject is the
 * file's path.  An unreadable or unparsable file gives that subject an
 * error.  No daemon at all: one skip.
 */
static int
for_each_daemon(EvalContext *ctx, unsigned mask, DaemonFunc fn)
{
        unsigned n = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(daemon_table); i++) {
                const Daemon *d = &daemon_table[i];
                _cleanup_free_ char *path = NULL;
                const Fact *any, *meta, *bin;

                if (!(mask & (1u << i)))
                        continue;
                path = xasprintf("/etc/libvirt/%s", d->conf);
                if (!path)
                        return -ENOMEM;
                /* Any key loads the file; a parse error fails every key. */
                any = conf_get(ctx, d, "audit_level");
                if ((r = eval_fact_unusable(ctx, path, any)) != 0) {
                        if (r < 0)
                                return r;
                        n++;
                        continue;
                }
                meta = fact_store_get2(ctx->facts, "meta", d->conf);
                if (meta->kind != FACT_STRING) {
                        bin = fact_store_get2(ctx->facts, "stat", d->binary);
                        if (bin->kind == FACT_ABSENT)
                                continue;
                        if ((r = eval_fact_unusable(ctx, path, bin)) != 0) {
                                if (r < 0)
                                        return r;
                                n++;
                                continue;
                        }
                }
                n++;
                r = fn(ctx, d, path, meta->kind == FACT_STRING);
                if (r < 0)
                        return r;
        }
        if (n == 0) {
                StrBuf b = {};

                for (size_t i = 0; i < ELEMENTSOF(daemon_table); i++)
                        if (mask & (1u << i))
                                strbuf_printf(&b, "%s/etc/libvirt/%s, %s", b.len ? "; " : "", daemon_table[i].conf,
                                              daemon_table[i].binary);
                _cleanup_free_ char *l = strbuf_steal(&b);
                return l ? eval_emitf(ctx, STATUS_SKIP, "host", "no libvirt daemon: none of %s exists", l) : -ENOMEM;
        }
        return 0;
}

/* " (file absent: defaults)" for evidence. */
static const char *
defaults_note(bool file_exists)
{
        return file_exists ? "" : " (file absent: libvirt's defaults apply)";
}

/*
 * Whether the daemon's TCP or TLS listener is on (shared/CHECKS.md 2.10):
 * its socket unit is enabled, or, without socket activation, listen_tcp /
 * listen_tls is 1 (and for libvirtd the daemon runs with --listen).
 * Returns 1 when it emitted a skip/error result for @subject.
 */
static int
listener_state(EvalContext *ctx, const Daemon *d, const char *subject, bool tls, bool *ret_on, char **ret_why)
{
        const char *unit = tls ? d->tls_unit : d->tcp_unit, *key = tls ? "listen_tls" : "listen_tcp";
        const Fact *u, *sa, *v, *args = NULL;
        bool value, flag = true;
        int r;

        u = fact_store_get2(ctx->facts, "unit", unit);
        if ((r = eval_fact_unusable(ctx, subject, u)) != 0)
                return r;
        if (fact_is(u, "enabled")) {
                *ret_on = true;
                *ret_why = xasprintf("%s is enabled", unit);
                return *ret_why ? 0 : -ENOMEM;
        }
        sa = fact_store_get2(ctx->facts, "unit", d->main_socket);
        if ((r = eval_fact_unusable(ctx, subject, sa)) != 0)
                return r;
        if (fact_is(sa, "enabled")) {
                *ret_on = false;
                *ret_why = xasprintf("%s is %s; socket activation via %s, so %s is ignored", unit,
                                     u->kind == FACT_STRING ? u->string : "not installed", d->main_socket, key);
                return *ret_why ? 0 : -ENOMEM;
        }
        v = conf_get(ctx, d, key);
        if ((r = eval_fact_unusable(ctx, subject, v)) != 0)
                return r;
        value = v->kind == FACT_ABSENT ? d->listen_tls_default && tls : fact_is(v, "1");
        if (d->needs_listen_arg) {
                args = fact_store_get(ctx->facts, "unit:libvirtd.args");
                if ((r = eval_fact_unusable(ctx, subject, args)) != 0)
                        return r;
                flag = fact_has_word(args, "--listen") || fact_has_word(args, "-l");
        }
        *ret_on = value && flag;
        *ret_why = xasprintf("%s is %s; %s = %s%s%s%s", unit, u->kind == FACT_STRING ? u->string : "not installed", key,
                             v->kind == FACT_ABSENT ? (d->listen_tls_default && tls ? "1 (default)" : "0 (default)")
                                                    : fact_text_or(v),
                             d->needs_listen_arg ? "; LIBVIRTD_ARGS " : "",
                             d->needs_listen_arg ? (flag ? "has --listen" : "without --listen") : "",
                             d->needs_listen_arg && args->kind == FACT_STRING ? "" : "");
        return *ret_why ? 0 : -ENOMEM;
}

static int
tcp_listener_off(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        _cleanup_free_ char *why = NULL;
        bool on;
        int r;

        if ((r = listener_state(ctx, d, subject, false, &on, &why)) != 0)
                return r < 0 ? r : 0;
        return eval_emitf(ctx, on ? STATUS_FAIL : STATUS_PASS, subject, "TCP listener %s: %s%s", on ? "on" : "off", why,
                          defaults_note(file_exists));
}

static int
eval_libvirtd_tcp_listener_off(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_NETWORK, tcp_listener_off);
}

static int
tcp_auth_not_none(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        _cleanup_free_ char *why = NULL;
        const Fact *auth;
        bool on;
        int r;

        if ((r = listener_state(ctx, d, subject, false, &on, &why)) != 0)
                return r < 0 ? r : 0;
        if (!on)
                return eval_emitf(ctx, STATUS_SKIP, subject, "no TCP listener: %s", why);
        auth = conf_get(ctx, d, "auth_tcp");
        RETURN_IF_UNUSABLE(ctx, subject, auth);
        if (auth->kind == FACT_ABSENT)
                return eval_emitf(ctx, STATUS_PASS, subject, "TCP listener on (%s); auth_tcp absent: default sasl%s", why,
                                  defaults_note(file_exists));
        return eval_emitf(ctx, fact_is(auth, "none") ? STATUS_FAIL : STATUS_PASS, subject,
                          "TCP listener on (%s); auth_tcp = %s", why, fact_text_or(auth));
}

static int
eval_libvirtd_tcp_auth_not_none(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_NETWORK, tcp_auth_not_none);
}

static int
tls_client_verified(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        _cleanup_free_ char *why = NULL;
        const Fact *nv, *auth;
        bool on;
        int r;

        if ((r = listener_state(ctx, d, subject, true, &on, &why)) != 0)
                return r < 0 ? r : 0;
        if (!on)
                return eval_emitf(ctx, STATUS_SKIP, subject, "no TLS listener: %s", why);
        nv = conf_get(ctx, d, "tls_no_verify_certificate");
        auth = conf_get(ctx, d, "auth_tls");
        RETURN_IF_UNUSABLE(ctx, subject, nv);
        RETURN_IF_UNUSABLE(ctx, subject, auth);
        bool verify = !fact_is(nv, "1");
        bool authn = auth->kind != FACT_ABSENT && !fact_is(auth, "none");
        return eval_emitf(ctx, verify || authn ? STATUS_PASS : STATUS_FAIL, subject,
                          "TLS listener on (%s); tls_no_verify_certificate = %s; auth_tls = %s%s", why,
                          nv->kind == FACT_ABSENT ? "0 (default)" : fact_text_or(nv),
                          auth->kind == FACT_ABSENT ? "none (default)" : fact_text_or(auth), defaults_note(file_exists));
}

static int
eval_libvirtd_tls_client_verified(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_NETWORK, tls_client_verified);
}

static int
tls_allowed_dn_list(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        _cleanup_free_ char *why = NULL, *v = NULL;
        const Fact *dn;
        bool on;
        int r;

        if ((r = listener_state(ctx, d, subject, true, &on, &why)) != 0)
                return r < 0 ? r : 0;
        if (!on)
                return eval_emitf(ctx, STATUS_SKIP, subject, "no TLS listener: %s", why);
        dn = conf_get(ctx, d, "tls_allowed_dn_list");
        RETURN_IF_UNUSABLE(ctx, subject, dn);
        if (dn->kind == FACT_ABSENT)
                return eval_emitf(ctx, STATUS_FAIL, subject,
                                  "TLS listener on (%s); tls_allowed_dn_list absent: any certificate the CA signed is "
                                  "accepted%s", why, defaults_note(file_exists));
        v = fact_value_text(dn);
        if (!v)
                return -ENOMEM;
        bool set = dn->kind == FACT_LIST ? dn->list[0] != NULL : dn->kind == FACT_STRING && dn->string[0];
        return eval_emitf(ctx, set ? STATUS_PASS : STATUS_FAIL, subject, "TLS listener on (%s); tls_allowed_dn_list = %s",
                          why, v);
}

static int
eval_libvirtd_tls_allowed_dn_list(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_NETWORK, tls_allowed_dn_list);
}

static bool
sasl_mech_strong(const char *m)
{
        return strcasecmp(m, "gssapi") == 0 || strcasecmp(m, "scram-sha-256") == 0 ||
               strcasecmp(m, "scram-sha-512") == 0;
}

static int
sasl_mech_strong_one(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        _cleanup_free_ char *tcp_why = NULL, *tls_why = NULL;
        const Fact *auth_tcp, *auth_tls, *mech;
        bool tcp_on, tls_on;
        StrBuf weak = {};
        int r;

        (void) file_exists;
        if ((r = listener_state(ctx, d, subject, false, &tcp_on, &tcp_why)) != 0)
                return r < 0 ? r : 0;
        if ((r = listener_state(ctx, d, subject, true, &tls_on, &tls_why)) != 0)
                return r < 0 ? r : 0;
        auth_tcp = conf_get(ctx, d, "auth_tcp");
        auth_tls = conf_get(ctx, d, "auth_tls");
        RETURN_IF_UNUSABLE(ctx, subject, auth_tcp);
        RETURN_IF_UNUSABLE(ctx, subject, auth_tls);
        bool tcp_sasl = tcp_on && (auth_tcp->kind == FACT_ABSENT || fact_is(auth_tcp, "sasl"));
        bool tls_sasl = tls_on && fact_is(auth_tls, "sasl");
        if (!tcp_sasl && !tls_sasl)
                return eval_emitf(ctx, STATUS_SKIP, subject, "no active listener uses SASL: TCP %s (auth_tcp = %s), TLS %s (auth_tls = %s)",
                                  tcp_on ? "on" : "off", auth_tcp->kind == FACT_ABSENT ? "sasl (default)" : fact_text_or(auth_tcp),
                                  tls_on ? "on" : "off", auth_tls->kind == FACT_ABSENT ? "none (default)" : fact_text_or(auth_tls));
        mech = get(ctx, "sasl:libvirt.mech_list");
        RETURN_IF_UNUSABLE(ctx, subject, mech);
        if (mech->kind != FACT_STRING)
                return eval_emitf(ctx, STATUS_FAIL, subject,
                                  "%s uses SASL; /etc/sasl2/libvirt.conf has no mech_list: every installed mechanism is offered",
                                  tcp_sasl ? "the TCP listener" : "the TLS listener");
        unsigned n = 0;
        for (const char *p = mech->string; *p;) {
                size_t len;

                p += strspn(p, " \t,");
                len = strcspn(p, " \t,");
                if (len == 0)
                        break;
                _cleanup_free_ char *m = strndup(p, len);
                if (!m)
                        return -ENOMEM;
                n++;
                if (!sasl_mech_strong(m))
                        strbuf_printf(&weak, "%s%s", weak.len ? ", " : "", m);
                p += len;
        }
        _cleanup_free_ char *w = strbuf_steal(&weak);
        if (!w)
                return -ENOMEM;
        if (n == 0)
                return eval_emit(ctx, STATUS_FAIL, subject, "mech_list is empty", NULL);
        if (*w)
                return eval_emitf(ctx, STATUS_FAIL, subject, "mech_list: %s; weak: %s", mech->string, w);
        return eval_emitf(ctx, STATUS_PASS, subject, "mech_list: %s (SASL on the %s listener)", mech->string,
                          tcp_sasl && tls_sasl ? "TCP and TLS" : tcp_sasl ? "TCP" : "TLS");
}

static int
eval_libvirtd_sasl_mech_strong(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_NETWORK, sasl_mech_strong_one);
}

/*
 * The effective auth_unix_rw.  Absent: "polkit" when libvirt was built
 * with polkit, else "none" (remote_daemon_config.c); a polkit build
 * installs org.libvirt.unix.policy, which is the evidence used here.
 */
static int
auth_unix_rw(EvalContext *ctx, const Daemon *d, const char *subject, const char **ret_auth, const char **ret_how)
{
        const Fact *auth = conf_get(ctx, d, "auth_unix_rw"), *pol;
        int r;

        if ((r = eval_fact_unusable(ctx, subject, auth)) != 0)
                return r;
        if (auth->kind == FACT_STRING) {
                *ret_auth = auth->string;
                *ret_how = "";
                return 0;
        }
        pol = get(ctx, "stat:/usr/share/polkit-1/actions/org.libvirt.unix.policy");
        if ((r = eval_fact_unusable(ctx, subject, pol)) != 0)
                return r;
        if (pol->kind != FACT_ABSENT) {
                *ret_auth = "polkit";
                *ret_how = " (absent: default for a polkit build, org.libvirt.unix.policy is installed)";
        } else {
                *ret_auth = "none";
                *ret_how = " (absent: default none, no org.libvirt.unix.policy shows a polkit build)";
        }
        return 0;
}

static bool
auth_restricts(const char *auth)
{
        return streq(auth, "polkit") || streq(auth, "sasl");
}

static int
unix_rw_socket_restricted(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        const char *auth, *how;
        const Fact *perms;
        mode_t mode;
        int r;

        if ((r = auth_unix_rw(ctx, d, subject, &auth, &how)) != 0)
                return r < 0 ? r : 0;
        perms = conf_get(ctx, d, "unix_sock_rw_perms");
        RETURN_IF_UNUSABLE(ctx, subject, perms);
        if (auth_restricts(auth))
                return eval_emitf(ctx, STATUS_PASS, subject, "auth_unix_rw = %s%s; unix_sock_rw_perms = %s%s", auth, how,
                                  perms->kind == FACT_ABSENT ? "0777 (default with polkit)" : fact_text_or(perms),
                                  defaults_note(file_exists));
        if (perms->kind == FACT_ABSENT)
                mode = 0700;
        else if (perms->kind != FACT_STRING || parse_mode(perms->string, &mode) < 0)
                return eval_emitf(ctx, STATUS_ERROR, subject, "unix_sock_rw_perms = %s: not an octal mode",
                                  fact_text_or(perms));
        return eval_emitf(ctx, mode & 0007 ? STATUS_FAIL : STATUS_PASS, subject,
                          "auth_unix_rw = %s%s; unix_sock_rw_perms = %s%s", auth, how,
                          perms->kind == FACT_ABSENT ? "0700 (default without polkit)" : perms->string,
                          mode & 0007 ? ": every local user gets root-equivalent access" : "");
}

static int
eval_libvirtd_unix_rw_socket_restricted(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_LOCAL, unix_rw_socket_restricted);
}

static int
admin_socket_restricted(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        const Fact *perms = conf_get(ctx, d, "unix_sock_admin_perms");
        mode_t mode;

        RETURN_IF_UNUSABLE(ctx, subject, perms);
        if (perms->kind == FACT_ABSENT)
                return eval_emitf(ctx, STATUS_PASS, subject, "unix_sock_admin_perms absent: default 0700%s",
                                  defaults_note(file_exists));
        if (perms->kind != FACT_STRING || parse_mode(perms->string, &mode) < 0)
                return eval_emitf(ctx, STATUS_ERROR, subject, "unix_sock_admin_perms = %s: not an octal mode",
                                  fact_text_or(perms));
        return eval_emitf(ctx, mode & ~(mode_t) 0700 ? STATUS_FAIL : STATUS_PASS, subject, "unix_sock_admin_perms = %s",
                          perms->string);
}

static int
eval_libvirtd_admin_socket_restricted(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_ALL, admin_socket_restricted);
}

static int
access_drivers_polkit(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        const Fact *drv = conf_get(ctx, d, "access_drivers");
        _cleanup_free_ char *v = NULL;

        RETURN_IF_UNUSABLE(ctx, subject, drv);
        if (drv->kind == FACT_ABSENT)
                return eval_emitf(ctx, STATUS_FAIL, subject,
                                  "access_drivers absent: no access control beyond the socket (nop driver)%s",
                                  defaults_note(file_exists));
        v = fact_value_text(drv);
        if (!v)
                return -ENOMEM;
        return eval_emitf(ctx, fact_has_word(drv, "polkit") ? STATUS_PASS : STATUS_FAIL, subject, "access_drivers = %s",
                          v);
}

static int
eval_libvirtd_access_drivers_polkit(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_LOCAL, access_drivers_polkit);
}

/*
 * Whether the host's audit trail is on: the kernel built with CONFIG_AUDIT,
 * not booted with audit=0, and enabled (audit=1, or a daemon that enables
 * it at start: auditd, or journald through systemd-journald-audit.socket;
 * kernel/audit.c starts with audit_default = AUDIT_OFF otherwise).  Fills
 * *ret_why with the evidence either way.  1 when it emitted a skip/error.
 */
static int
host_audit_on(EvalContext *ctx, const char *subject, bool *ret_on, char **ret_why)
{
        const Fact *cfg = get(ctx, "kconfig:CONFIG_AUDIT"), *cmd = get(ctx, "cmdline:audit"),
                   *auditd = get(ctx, "unit:auditd.service"), *jd = get(ctx, "unit:systemd-journald-audit.socket");
        int r;

        if ((r = eval_fact_unusable(ctx, subject, cfg)) != 0 || (r = eval_fact_unusable(ctx, subject, cmd)) != 0 ||
            (r = eval_fact_unusable(ctx, subject, auditd)) != 0 || (r = eval_fact_unusable(ctx, subject, jd)) != 0)
                return r;
        *ret_on = fact_is(cfg, "y") && !fact_is(cmd, "0") &&
                  (fact_is(cmd, "1") || fact_is(auditd, "enabled") || fact_is(jd, "enabled"));
        *ret_why = xasprintf("CONFIG_AUDIT = %s, audit= %s, auditd.service %s, systemd-journald-audit.socket %s",
                             fact_text_or(cfg), cmd->kind == FACT_STRING ? cmd->string : "(not given)",
                             auditd->kind == FACT_STRING ? auditd->string : "absent",
                             jd->kind == FACT_STRING ? jd->string : "absent");
        return *ret_why ? 0 : -ENOMEM;
}

static int
audit_enabled(EvalContext *ctx, const Daemon *d, const char *subject, bool file_exists)
{
        const Fact *lvl = conf_get(ctx, d, "audit_level");
        _cleanup_free_ char *why = NULL;
        bool on = false;
        int r;

        RETURN_IF_UNUSABLE(ctx, subject, lvl);
        if (fact_is(lvl, "0"))
                return eval_emit(ctx, STATUS_FAIL, subject, "audit_level = 0", NULL);
        /* Level 1 (the default) audits only when the host does
         * (libvirtd.conf.in): with the host's audit off it records nothing. */
        if ((r = host_audit_on(ctx, subject, &on, &why)) != 0)
                return r < 0 ? r : 0;
        if (lvl->kind == FACT_ABSENT)
                return eval_emitf(ctx, on ? STATUS_PASS : STATUS_FAIL, subject,
                                  "audit_level absent: default 1 (audit only when the host audits)%s; host audit %s (%s)",
                                  defaults_note(file_exists), on ? "on" : "off", why);
        return eval_emitf(ctx, on || fact_is(lvl, "2") ? STATUS_PASS : STATUS_FAIL, subject,
                          "audit_level = %s; host audit %s (%s)%s", fact_text_or(lvl), on ? "on" : "off", why,
                          fact_is(lvl, "2") && !on ? ": libvirt refuses to start without it" : "");
}

static int
eval_libvirtd_audit_enabled(EvalContext *ctx)
{
        return for_each_daemon(ctx, DAEMON_LOCAL, audit_enabled);
}

static int
eval_libvirtd_socket_modes(EvalContext *ctx)
{
        static const struct {
                const char *path;
                size_t daemon; /* index into daemon_table; SIZE_MAX: admin socket */
        } sockets[] = {
                {"/run/libvirt/libvirt-sock", 0},
                {"/run/libvirt/virtqemud-sock", 1},
                {"/run/libvirt/libvirt-admin-sock", SIZE_MAX},
                {"/run/libvirt/virtqemud-admin-sock", SIZE_MAX},
        };
        const Fact *first = fact_store_get2(ctx->facts, "stat", sockets[0].path);
        unsigned n = 0;
        int r;

        /* An offline root has no /run: one skip, not one per socket. */
        if (fact_error_is_skip(first))
                return eval_emit(ctx, STATUS_SKIP, "host", first->string ? first->string : "runtime state not available",
                                 NULL);
        for (size_t i = 0; i < ELEMENTSOF(sockets); i++) {
                const char *p = sockets[i].path;
                const Fact *st = fact_store_get2(ctx->facts, "stat", p);
                mode_t mode;

                if (st->kind == FACT_ABSENT)
                        continue;
                n++;
                if ((r = eval_fact_unusable(ctx, p, st)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                mode = st->stat.mode & 07777;
                if (sockets[i].daemon == SIZE_MAX) {
                        r = eval_emitf(ctx, mode & ~(mode_t) 0700 ? STATUS_FAIL : STATUS_PASS, p,
                                       "%s %04o owner %u:%u (admin socket: at most 0700)", fact_stat_type(st->stat.mode),
                                       mode, st->stat.uid, st->stat.gid);
                } else {
                        const char *auth, *how;

                        r = auth_unix_rw(ctx, &daemon_table[sockets[i].daemon], p, &auth, &how);
                        if (r != 0) {
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        bool bad = (mode & 0002) && !auth_restricts(auth);
                        r = eval_emitf(ctx, bad ? STATUS_FAIL : STATUS_PASS, p, "%s %04o owner %u:%u; %s auth_unix_rw = %s%s",
                                       fact_stat_type(st->stat.mode), mode, st->stat.uid, st->stat.gid,
                                       daemon_table[sockets[i].daemon].conf, auth, how);
                }
                if (r < 0)
                        return r;
        }
        if (n == 0)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no libvirt socket in /run/libvirt (libvirt-sock, virtqemud-sock and their -admin-sock)",
                                 NULL);
        return 0;
}

/* The gid of the QEMU group: qemu.conf group, else the Debian and Fedora
 * build defaults; -1 when unknown. */
static int64_t
qemu_group_gid(EvalContext *ctx)
{
        static const char *const defaults[] = {"libvirt-qemu", "qemu"};
        const Fact *g = get(ctx, "qemu.conf:group"), *f;
        int64_t gid;

        if (g->kind == FACT_STRING) {
                if (g->string[0] == '+')
                        return parse_int64(g->string + 1, &gid) >= 0 ? gid : -1;
                f = fact_store_get2(ctx->facts, "group", g->string);
                return f->kind == FACT_STRING && parse_int64(f->string, &gid) >= 0 ? gid : -1;
        }
        for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
                f = fact_store_get2(ctx->facts, "group", defaults[i]);
                if (f->kind == FACT_STRING && parse_int64(f->string, &gid) >= 0)
                        return gid;
        }
        return -1;
}

static int
eval_libvirtd_tls_key_private(EvalContext *ctx)
{
        static const struct {
                const char *path;
                bool qemu; /* read by QEMU: its group may read it */
        } keys[] = {
                {"/etc/pki/libvirt/private/serverkey.pem", false},
                {"/etc/pki/qemu/server-key.pem", true},
        };
        unsigned n = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const Fact *st = fact_store_get2(ctx->facts, "stat", keys[i].path);
                mode_t mode;

                if (st->kind == FACT_ABSENT)
                        continue;
                n++;
                if ((r = eval_fact_unusable(ctx, keys[i].path, st)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                mode = st->stat.mode & 07777;
                int64_t qgid = keys[i].qemu ? qemu_group_gid(ctx) : -1;
                bool group_ok = !(mode & 0040) || st->stat.gid == 0 || (qgid >= 0 && (int64_t) st->stat.gid == qgid);
                bool ok = S_ISREG(st->stat.mode) && st->stat.uid == 0 && !(mode & ~(mode_t) 0640) && group_ok &&
                          fact_stat_acl_named(&st->stat) == 0;
                r = eval_emitf(ctx, ok ? STATUS_PASS : STATUS_FAIL, keys[i].path, "%s %04o owner %u:%u%s%s",
                               fact_stat_type(st->stat.mode), mode, st->stat.uid, st->stat.gid,
                               group_ok ? "" : keys[i].qemu ? "; group-readable by a group other than root or QEMU's"
                                                            : "; group-readable by a group other than root",
                               fact_stat_acl_named(&st->stat) ? "; named ACL entries grant more readers" : "");
                if (r < 0)
                        return r;
        }
        if (n == 0)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no TLS server key (/etc/pki/libvirt/private/serverkey.pem, /etc/pki/qemu/server-key.pem)",
                                 NULL);
        return 0;
}

/* Sorted by name; a new evaluator is one line here plus its function. */
const Evaluator evaluators_virt[] = {
        {"apparmor-daemons",                  eval_apparmor_daemons                  },
        {"apparmor-domain-profiles",          eval_apparmor_domain_profiles          },
        {"apparmor-profile-minimal",          eval_apparmor_profile_minimal          },
        {"cgroup-device-acl",                 eval_cgroup_device_acl                 },
        {"default-confined",                  eval_default_confined                  },
        {"disk-images-labeled",               eval_disk_images_labeled               },
        {"domain-label-unique",               eval_domain_label_unique               },
        {"domain-type-confined",              eval_domain_type_confined              },
        {"libvirtd-access-drivers-polkit",    eval_libvirtd_access_drivers_polkit    },
        {"libvirtd-admin-socket-restricted",  eval_libvirtd_admin_socket_restricted  },
        {"libvirtd-audit-enabled",            eval_libvirtd_audit_enabled            },
        {"libvirtd-sasl-mech-strong",         eval_libvirtd_sasl_mech_strong         },
        {"libvirtd-socket-modes",             eval_libvirtd_socket_modes             },
        {"libvirtd-tcp-auth-not-none",        eval_libvirtd_tcp_auth_not_none        },
        {"libvirtd-tcp-listener-off",         eval_libvirtd_tcp_listener_off         },
        {"libvirtd-tls-allowed-dn-list",      eval_libvirtd_tls_allowed_dn_list      },
        {"libvirtd-tls-client-verified",      eval_libvirtd_tls_client_verified      },
        {"libvirtd-tls-key-private",          eval_libvirtd_tls_key_private          },
        {"libvirtd-unix-rw-socket-restricted", eval_libvirtd_unix_rw_socket_restricted},
        {"mac-active",                        eval_mac_active                        },
        {"process-confined",                  eval_process_confined                  },
        {"process-no-capabilities",           eval_process_no_capabilities           },
        {"process-no-new-privs",              eval_process_no_new_privs              },
        {"process-not-root",                  eval_process_not_root                  },
        {"process-sandbox-options",           eval_process_sandbox_options           },
        {"process-seccomp",                   eval_process_seccomp                   },
        {"qemu-user-not-root",                eval_qemu_user_not_root                },
        {"running-labels-unique",             eval_running_labels_unique             },
        {"security-driver",                   eval_security_driver                   },
        {"selinux-config",                    eval_selinux_config                    },
        {"selinux-permissive-types",          eval_selinux_permissive_types          },
        {"static-label-relabeled",            eval_static_label_relabeled            },
        {"static-mcs-unique",                 eval_static_mcs_unique                 },
};

const size_t evaluators_virt_count = ELEMENTSOF(evaluators_virt);
