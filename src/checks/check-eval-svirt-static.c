/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judges of the svirt category for static SELinux labels: relabelling,
 * MCS separation between domains, and the domain type.
 */
#include "check-eval-virt.h"

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
 * the static-key of domlabel:NAME, probe-derived-mac.c). */
const DomainSeclabel *
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
bool
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

void
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

int
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

int
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
