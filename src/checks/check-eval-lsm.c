/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judges of the lsm category: AppArmor confinement of the daemons and
 * domains, and whether a domain's AppArmor profile grants no more than
 * ours.  Which MAC is active, SELinux's boot configuration and its
 * permissive types are data checks over the derived mac: facts
 * (probe-derived-mac.c).
 */
#include "check-eval-virt.h"

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

int
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

int
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

int
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
