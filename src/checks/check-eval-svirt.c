/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judges of the svirt category: whether each running QEMU process is
 * confined, and the labels of disk images.  The security driver, the
 * default confinement and the uniqueness of labels are data checks over
 * derived facts (probe-derived-mac.c).
 */
#include "check-eval-virt.h"

/* ------------------------------------------------------------------ */
/* sVirt                                                              */

/* Splits "user:role:type:level" into the type and the level (the rest,
 * "s0:c1,c2" or "s0-s0:c0.c1023"); false when it is no SELinux context
 * (domain-label.h has the grammar). */
bool
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

int
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
const DomainSeclabel *
domain_mac_seclabel(const Domain *d)
{
        for (size_t i = 0; i < d->n_seclabels; i++)
                if (!d->seclabels[i].model || !streq(d->seclabels[i].model, "dac"))
                        return &d->seclabels[i];
        return NULL;
}

bool
seclabel_is_static(const DomainSeclabel *sl)
{
        return sl && sl->type && streq(sl->type, "static");
}

/* The QEMU process of a running domain: the first whose matched domain
 * (process:PID/domain, the one process-to-VM match) it is. */
const char *
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

int
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
