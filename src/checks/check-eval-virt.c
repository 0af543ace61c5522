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
#include "aa-rules.h"
#include "check-objects.h"
#include "domain-files.h"
#include "domain-label.h"
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

/* The files of the other defined domains (domain-files.h): the generator
 * never grants what they write and grants only read of what they read,
 * as `kvmaudit profile` does. */
static int
aa_other_vm_files(EvalContext *ctx, const DomainEntry *self, DomainFiles *ret)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);
        _cleanup_(domain_files_done) DomainFiles f = {};

        for (size_t k = 0; ds && k < ds->n; k++) {
                const Domain *d = ds->v[k].model;

                if (&ds->v[k] == self || !d || streq(ds->v[k].name, self->name) ||
                    (d->uuid && self->model->uuid && strcasecmp(d->uuid, self->model->uuid) == 0))
                        continue;
                if (domain_files_add(&f, d) < 0)
                        return -ENOMEM;
        }
        domain_files_finish(&f);
        *ret = f;
        f = (DomainFiles) {};
        return 0;
}

static int
apparmor_minimal_domain(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Fact *profiles = userdata, *loaded;
        const DomainSeclabel *sl = domain_seclabel_find(e->model, "apparmor");
        _cleanup_free_ char *name = NULL, *key = NULL, *error = NULL;
        _cleanup_strv_free_ char **extra = NULL;
        _cleanup_(domain_files_done) DomainFiles others = {};
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

        r = aa_other_vm_files(ctx, e, &others);
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
                .other_vm_paths = others.private_paths,
                .other_vm_shared_paths = others.shared_paths,
        };
        r = profile_apparmor_rules(&in, &gen, &error);
        if (r < 0 && r != -ENOMEM && e->model->n_hostdevs > 0) {
                /* Host devices need sysfs listings: compare the rest. */
                stripped.n_hostdevs = 0;
                in.domain = &stripped;
                free(error);
                error = NULL;
                r = profile_apparmor_rules(&in, &gen, &error);
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
        if ((r = aa_rules_add_libvirt_own(&gen, e->model->name, e->model->id)) < 0)
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
                        if (no_hostdevs && aa_rule_path_is_hostdev(l->path)) {
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
 * "s0:c1,c2" or "s0-s0:c0.c1023"); false when it is no SELinux context
 * (domain-label.h has the grammar). */
static bool
selinux_context_split(const char *ctx, char *type, size_t size, const char **ret_level)
{
        char t[DOMAIN_SELINUX_TYPE_MAX];

        if (!domain_label_selinux_split(ctx, t, ret_level) || strlen(t) >= size)
                return false;
        memcpy(type, t, strlen(t) + 1);
        return true;
}

/* "s0:cX,cY" with X != Y: the pair libvirt's sVirt picks per VM. */
static bool
mcs_pair_unique(const char *level)
{
        return domain_label_is_vm_pair(level);
}

/* An AppArmor label "NAME (MODE)" or "unconfined". */
static bool
apparmor_label_split(const char *label, char *name, size_t size, const char **ret_mode)
{
        return domain_label_apparmor_split(label, name, size, ret_mode);
}

static bool
looks_apparmor(const char *label)
{
        return domain_label_looks_apparmor(label);
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

/* The defined domain of a QEMU process: the probe's one match
 * (process:PID/domain: by -uuid, else by -name guest=). */
static const DomainEntry *
process_domain(EvalContext *ctx, const char *pid)
{
        const Fact *list, *dom = eval_process_fact(ctx, pid, "domain");
        const DomainSet *ds = eval_domains(ctx, &list);

        if (!ds || dom->kind != FACT_STRING)
                return NULL;
        for (size_t i = 0; i < ds->n; i++)
                if (ds->v[i].model && streq(ds->v[i].name, dom->string))
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
        SelinuxRange range;

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
        if (!mcs_pair_unique(level) || domain_label_range_parse(level, &range, NULL) < 0) {
                *ret_why = "static SELinux label has no MCS category pair s0:cX,cY";
                return NULL;
        }
        /* by value: "s0:c2,c1" is the pair "s0:c1,c2" */
        _cleanup_free_ char *canon = domain_label_range_format(&range);
        return canon ? xasprintf("selinux %s", canon) : NULL;
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

/* The QEMU process of a running domain: the first whose matched domain
 * (process:PID/domain, the one process-to-VM match) it is. */
static const char *
domain_process(EvalContext *ctx, const DomainEntry *e)
{
        const Fact *pids = get(ctx, "qemu:pids");

        if (pids->kind != FACT_LIST)
                return NULL;
        STRV_FOREACH(p, pids->list) {
                const Fact *dom = eval_process_fact(ctx, *p, "domain");

                if (dom->kind == FACT_STRING && streq(dom->string, e->name))
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

/* Whether two levels are the same, by the sensitivity and category set
 * of their high end, what a process may reach (so "s0:c2,c1" equals
 * "s0:c1,c2"). */
static bool
selinux_level_equal(const char *la, const char *lb)
{
        SelinuxRange ra, rb;

        if (streq(la, lb))
                return true;
        return domain_label_range_parse(la, &ra, NULL) >= 0 && domain_label_range_parse(lb, &rb, NULL) >= 0 &&
               domain_label_level_equal(&ra.high, &rb.high);
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
        SelinuxRange mine;
        const char *why = "not user:role:type:level";
        StrBuf b = {};

        if (!sl)
                return eval_emit(ctx, STATUS_SKIP, e->subject, "no static SELinux <seclabel>", NULL);
        if (!sl->label)
                return eval_emit(ctx, STATUS_FAIL, e->subject, "static SELinux <seclabel> without <label>", NULL);
        if (!selinux_context_split(sl->label, type, sizeof(type), &level) ||
            domain_label_range_parse(level, &mine, &why) < 0)
                return eval_emitf(ctx, STATUS_FAIL, e->subject,
                                  "static label %s has no level of the form sN:cX,cY (categories c0..c%u): %s",
                                  sl->label, DOMAIN_SELINUX_CATS - 1, why);
        if (mine.high.n_cats == 0)
                return eval_emitf(ctx, STATUS_FAIL, e->subject,
                                  "static label %s has no MCS category: every confined QEMU's categories cover it",
                                  sl->label);
        for (size_t i = 0; i < ds->n; i++) {
                const DomainSeclabel *o;
                char otype[256];
                const char *olevel;
                SelinuxRange theirs;
                unsigned first = 0, shared;

                if (&ds->v[i] == e || !ds->v[i].model)
                        continue;
                o = static_selinux_seclabel(ds->v[i].model);
                if (!o || !o->label || !selinux_context_split(o->label, otype, sizeof(otype), &olevel) ||
                    domain_label_range_parse(olevel, &theirs, NULL) < 0)
                        continue; /* reported on that domain */
                /* the high ends: what each QEMU may reach */
                shared = domain_label_level_shared(&mine.high, &theirs.high, &first);
                if (theirs.high.n_cats > 0 && shared == 0)
                        continue;
                if (b.len > 0)
                        strbuf_append(&b, "; ");
                if (theirs.high.n_cats == 0)
                        strbuf_printf(&b, "%s (%s) has no category and lies within them", ds->v[i].name, olevel);
                else if (shared == mine.high.n_cats && shared == theirs.high.n_cats)
                        strbuf_printf(&b, "%s (%s) has the same categories", ds->v[i].name, olevel);
                else if (shared == mine.high.n_cats)
                        strbuf_printf(&b, "%s (%s) covers them", ds->v[i].name, olevel);
                else if (shared == theirs.high.n_cats)
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

/* ------------------------------------------------------------------ */
/* qemu.conf                                                          */

static bool
is_root_id(const char *v)
{
        return streq(v, "root") || streq(v, "0") || streq(v, "+0");
}

static int
judge_qemu_user_not_root(const JudgeCall *call, Verdict *ret)
{
        const Fact *user = judge_fact(call, "qemu.conf:user"), *group = judge_fact(call, "qemu.conf:group");
        _cleanup_free_ char *u = NULL, *g = NULL;

        if (verdict_unusable(ret, user) || verdict_unusable(ret, group))
                return 0;
        if (user->kind == FACT_ABSENT && group->kind == FACT_ABSENT)
                return verdict_set(ret, STATUS_PASS,
                                   "user and group not set: build default (non-root on Debian, Ubuntu, Fedora, RHEL, "
                                   "SUSE; root on unlisted distributions; see qemu.process-not-root)");
        u = user->kind == FACT_ABSENT ? strdup("(absent: build default)") : fact_value_text(user);
        g = group->kind == FACT_ABSENT ? strdup("(absent: build default)") : fact_value_text(group);
        if (!u || !g)
                return -ENOMEM;
        bool root = (user->kind == FACT_STRING && is_root_id(user->string)) ||
                    (group->kind == FACT_STRING && is_root_id(group->string));
        bool odd = user->kind == FACT_LIST || group->kind == FACT_LIST;
        return verdict_set(ret, root || odd ? STATUS_FAIL : STATUS_PASS, "user = %s; group = %s%s", u, g,
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
/* The libvirt daemons: judges of one daemon each (scope daemon; the
 * engine iterates the daemons of "param = daemons" and reads their
 * configuration as daemonconf:@/KEY, probe-daemonconf.c).             */

/* " (file absent: defaults)" for evidence. */
static const char *
defaults_note(const JudgeCall *call)
{
        return judge_fact(call, "daemonconf:@/file")->kind == FACT_STRING ? ""
                                                                          : " (file absent: libvirt's defaults apply)";
}

/*
 * The listener's state (daemonconf:@/tcp-listener or tls-listener and its
 * -why).  Returns true with *ret_on and *ret_why, or false when the state
 * could not be read (the verdict then says why).
 */
static bool
listener(const JudgeCall *call, Verdict *v, bool tls, bool *ret_on, const char **ret_why)
{
        const Fact *on = judge_fact(call, tls ? "daemonconf:@/tls-listener" : "daemonconf:@/tcp-listener"),
                   *why = judge_fact(call, tls ? "daemonconf:@/tls-listener-why" : "daemonconf:@/tcp-listener-why");

        if (verdict_unusable(v, on) || verdict_unusable(v, why))
                return false;
        *ret_on = fact_is(on, "on");
        *ret_why = fact_text_or(why);
        return true;
}

static bool
sasl_mech_strong(const char *m)
{
        return strcasecmp(m, "gssapi") == 0 || strcasecmp(m, "scram-sha-256") == 0 ||
               strcasecmp(m, "scram-sha-512") == 0;
}

static int
judge_libvirtd_sasl_mech_strong(const JudgeCall *call, Verdict *v)
{
        const Fact *auth_tcp = judge_fact(call, "daemonconf:@/auth_tcp"), *auth_tls = judge_fact(call, "daemonconf:@/auth_tls"),
                   *mech;
        const char *tcp_why, *tls_why;
        bool tcp_on, tls_on;
        StrBuf weak = {};

        if (!listener(call, v, false, &tcp_on, &tcp_why) || !listener(call, v, true, &tls_on, &tls_why))
                return 0;
        if (verdict_unusable(v, auth_tcp) || verdict_unusable(v, auth_tls))
                return 0;
        bool tcp_sasl = tcp_on && (auth_tcp->kind == FACT_ABSENT || fact_is(auth_tcp, "sasl"));
        bool tls_sasl = tls_on && fact_is(auth_tls, "sasl");
        if (!tcp_sasl && !tls_sasl)
                return verdict_set(v, STATUS_SKIP, "no active listener uses SASL: TCP %s (auth_tcp = %s), TLS %s (auth_tls = %s)",
                                   tcp_on ? "on" : "off",
                                   auth_tcp->kind == FACT_ABSENT ? "sasl (default)" : fact_text_or(auth_tcp),
                                   tls_on ? "on" : "off",
                                   auth_tls->kind == FACT_ABSENT ? "none (default)" : fact_text_or(auth_tls));
        mech = judge_fact(call, "sasl:libvirt.mech_list");
        if (verdict_unusable(v, mech))
                return 0;
        if (mech->kind != FACT_STRING)
                return verdict_set(v, STATUS_FAIL,
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
                if (!m) {
                        strbuf_done(&weak);
                        return -ENOMEM;
                }
                n++;
                if (!sasl_mech_strong(m))
                        strbuf_printf(&weak, "%s%s", weak.len ? ", " : "", m);
                p += len;
        }
        _cleanup_free_ char *w = strbuf_steal(&weak);
        if (!w)
                return -ENOMEM;
        if (n == 0)
                return verdict_set(v, STATUS_FAIL, "mech_list is empty");
        if (*w)
                return verdict_set(v, STATUS_FAIL, "mech_list: %s; weak: %s", mech->string, w);
        return verdict_set(v, STATUS_PASS, "mech_list: %s (SASL on the %s listener)", mech->string,
                           tcp_sasl && tls_sasl ? "TCP and TLS" : tcp_sasl ? "TCP" : "TLS");
}

static bool
auth_restricts(const char *auth)
{
        return streq(auth, "polkit") || streq(auth, "sasl");
}

/* " (absent: default ...)" after an effective auth_unix_rw. */
static const char *
auth_how(const Fact *why)
{
        return why->kind == FACT_STRING && startswith(why->string, "absent") ? why->string : NULL;
}

static int
judge_libvirtd_unix_rw_socket_restricted(const JudgeCall *call, Verdict *v)
{
        const Fact *auth = judge_fact(call, "daemonconf:@/auth-unix-rw"), *why = judge_fact(call, "daemonconf:@/auth-unix-rw-why"),
                   *perms;
        mode_t mode;

        if (verdict_unusable(v, auth) || verdict_unusable(v, why))
                return 0;
        const char *how = auth_how(why), *a = fact_text_or(auth);
        perms = judge_fact(call, "daemonconf:@/unix_sock_rw_perms");
        if (verdict_unusable(v, perms))
                return 0;
        if (auth_restricts(a))
                return verdict_set(v, STATUS_PASS, "auth_unix_rw = %s%s%s%s; unix_sock_rw_perms = %s%s", a,
                                   how ? " (" : "", how ? how : "", how ? ")" : "",
                                   perms->kind == FACT_ABSENT ? "0777 (default with polkit)" : fact_text_or(perms),
                                   defaults_note(call));
        if (perms->kind == FACT_ABSENT)
                mode = 0700;
        else if (perms->kind != FACT_STRING || parse_mode(perms->string, &mode) < 0)
                return verdict_set(v, STATUS_ERROR, "unix_sock_rw_perms = %s: not an octal mode", fact_text_or(perms));
        return verdict_set(v, mode & 0007 ? STATUS_FAIL : STATUS_PASS, "auth_unix_rw = %s%s%s%s; unix_sock_rw_perms = %s%s",
                           a, how ? " (" : "", how ? how : "", how ? ")" : "",
                           perms->kind == FACT_ABSENT ? "0700 (default without polkit)" : perms->string,
                           mode & 0007 ? ": every local user gets root-equivalent access" : "");
}

static int
judge_libvirtd_admin_socket_restricted(const JudgeCall *call, Verdict *v)
{
        const Fact *perms = judge_fact(call, "daemonconf:@/unix_sock_admin_perms");
        mode_t mode;

        if (verdict_unusable(v, perms))
                return 0;
        if (perms->kind == FACT_ABSENT)
                return verdict_set(v, STATUS_PASS, "unix_sock_admin_perms absent: default 0700%s", defaults_note(call));
        if (perms->kind != FACT_STRING || parse_mode(perms->string, &mode) < 0)
                return verdict_set(v, STATUS_ERROR, "unix_sock_admin_perms = %s: not an octal mode", fact_text_or(perms));
        return verdict_set(v, mode & ~(mode_t) 0700 ? STATUS_FAIL : STATUS_PASS, "unix_sock_admin_perms = %s",
                           perms->string);
}

/*
 * Whether the host's audit trail is on: the kernel built with CONFIG_AUDIT,
 * not booted with audit=0, and enabled (audit=1, or a daemon that enables
 * it at start: auditd, or journald through systemd-journald-audit.socket;
 * kernel/audit.c starts with audit_default = AUDIT_OFF otherwise).  Fills
 * *ret_why with the evidence either way; false when a fact is unusable
 * (the verdict says so).
 */
static bool
host_audit_on(const JudgeCall *call, Verdict *v, bool *ret_on, char **ret_why)
{
        const Fact *cfg = judge_fact(call, "kconfig:CONFIG_AUDIT"), *cmd = judge_fact(call, "cmdline:audit"),
                   *auditd = judge_fact(call, "unit:auditd.service"),
                   *jd = judge_fact(call, "unit:systemd-journald-audit.socket");

        if (verdict_unusable(v, cfg) || verdict_unusable(v, cmd) || verdict_unusable(v, auditd) ||
            verdict_unusable(v, jd))
                return false;
        *ret_on = fact_is(cfg, "y") && !fact_is(cmd, "0") &&
                  (fact_is(cmd, "1") || fact_is(auditd, "enabled") || fact_is(jd, "enabled"));
        *ret_why = xasprintf("CONFIG_AUDIT = %s, audit= %s, auditd.service %s, systemd-journald-audit.socket %s",
                             fact_text_or(cfg), cmd->kind == FACT_STRING ? cmd->string : "(not given)",
                             auditd->kind == FACT_STRING ? auditd->string : "absent",
                             jd->kind == FACT_STRING ? jd->string : "absent");
        return true;
}

static int
judge_libvirtd_audit_enabled(const JudgeCall *call, Verdict *v)
{
        const Fact *lvl = judge_fact(call, "daemonconf:@/audit_level");
        _cleanup_free_ char *why = NULL;
        bool on = false;

        if (verdict_unusable(v, lvl))
                return 0;
        if (fact_is(lvl, "0"))
                return verdict_set(v, STATUS_FAIL, "audit_level = 0");
        /* Level 1 (the default) audits only when the host does
         * (libvirtd.conf.in): with the host's audit off it records nothing. */
        if (!host_audit_on(call, v, &on, &why))
                return 0;
        if (!why)
                return -ENOMEM;
        if (lvl->kind == FACT_ABSENT)
                return verdict_set(v, on ? STATUS_PASS : STATUS_FAIL,
                                   "audit_level absent: default 1 (audit only when the host audits)%s; host audit %s (%s)",
                                   defaults_note(call), on ? "on" : "off", why);
        return verdict_set(v, on || fact_is(lvl, "2") ? STATUS_PASS : STATUS_FAIL, "audit_level = %s; host audit %s (%s)%s",
                           fact_text_or(lvl), on ? "on" : "off", why,
                           fact_is(lvl, "2") && !on ? ": libvirt refuses to start without it" : "");
}

static int
eval_libvirtd_socket_modes(EvalContext *ctx)
{
        static const struct {
                const char *path;
                const char *daemon; /* whose auth_unix_rw guards it; NULL: admin socket */
        } sockets[] = {
                {"/run/libvirt/libvirt-sock", "libvirtd"},
                {"/run/libvirt/virtqemud-sock", "virtqemud"},
                {"/run/libvirt/libvirt-admin-sock", NULL},
                {"/run/libvirt/virtqemud-admin-sock", NULL},
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
                if (!sockets[i].daemon) {
                        r = eval_emitf(ctx, mode & ~(mode_t) 0700 ? STATUS_FAIL : STATUS_PASS, p,
                                       "%s %04o owner %u:%u (admin socket: at most 0700)", fact_stat_type(st->stat.mode),
                                       mode, st->stat.uid, st->stat.gid);
                } else {
                        _cleanup_free_ char *ka = xasprintf("daemonconf:%s/auth-unix-rw", sockets[i].daemon),
                                            *kw = xasprintf("daemonconf:%s/auth-unix-rw-why", sockets[i].daemon);
                        const Fact *auth, *why;

                        if (!ka || !kw)
                                return -ENOMEM;
                        auth = get(ctx, ka);
                        why = get(ctx, kw);
                        if ((r = eval_fact_unusable(ctx, p, auth)) != 0 || (r = eval_fact_unusable(ctx, p, why)) != 0) {
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        const char *how = auth_how(why);
                        bool bad = (mode & 0002) && !auth_restricts(fact_text_or(auth));
                        r = eval_emitf(ctx, bad ? STATUS_FAIL : STATUS_PASS, p,
                                       "%s %04o owner %u:%u; %s.conf auth_unix_rw = %s%s%s%s",
                                       fact_stat_type(st->stat.mode), mode, st->stat.uid, st->stat.gid,
                                       sockets[i].daemon, fact_text_or(auth), how ? " (" : "", how ? how : "",
                                       how ? ")" : "");
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
        {"libvirtd-socket-modes",             eval_libvirtd_socket_modes             },
        {"libvirtd-tls-key-private",          eval_libvirtd_tls_key_private          },
        {"mac-active",                        eval_mac_active                        },
        {"process-confined",                  eval_process_confined                  },
        {"running-labels-unique",             eval_running_labels_unique             },
        {"security-driver",                   eval_security_driver                   },
        {"selinux-config",                    eval_selinux_config                    },
        {"selinux-permissive-types",          eval_selinux_permissive_types          },
        {"static-label-relabeled",            eval_static_label_relabeled            },
        {"static-mcs-unique",                 eval_static_mcs_unique                 },
};

const size_t evaluators_virt_count = ELEMENTSOF(evaluators_virt);

/* Judges of one object each; sorted by name. */
const Judge judges_virt[] = {
        {"libvirtd-admin-socket-restricted", judge_libvirtd_admin_socket_restricted, NULL},
        {"libvirtd-audit-enabled", judge_libvirtd_audit_enabled, NULL},
        {"libvirtd-sasl-mech-strong", judge_libvirtd_sasl_mech_strong, NULL},
        {"libvirtd-unix-rw-socket-restricted", judge_libvirtd_unix_rw_socket_restricted, NULL},
        {"qemu-user-not-root", judge_qemu_user_not_root, NULL},
};

const size_t judges_virt_count = ELEMENTSOF(judges_virt);
