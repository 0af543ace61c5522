/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluators of the domain category: one result per libvirt domain, from
 * the parsed domain model.  Defaults libvirt applies to absent attributes
 * are stated in the catalogue entries; the code follows them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check-evaluators.h"
#include "check-objects.h"
#include "strv.h"
#include "util.h"

static int
qemu_commandline_none(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        _cleanup_strv_free_ char **used = NULL;

        (void) userdata;
        if (d->qemu_commandline && strv_extend(&used, "<qemu:commandline>") < 0)
                return -ENOMEM;
        if (d->qemu_capabilities && strv_extend(&used, "<qemu:capabilities>") < 0)
                return -ENOMEM;
        if (d->qemu_override && strv_extend(&used, "<qemu:override>") < 0)
                return -ENOMEM;
        if (!used)
                return eval_emit(ctx, STATUS_PASS, e->subject, "no QEMU pass-through elements", NULL);
        _cleanup_free_ char *list = strv_join(used, ", ");
        _cleanup_free_ char *args = d->qemu_args ? strv_join(d->qemu_args, " ") : NULL;
        return eval_emitf(ctx, STATUS_FAIL, e->subject, "%s%s%s", list ? list : "?", args ? "; arguments: " : "",
                          args ? args : "");
}

static int
eval_domain_qemu_commandline_none(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, qemu_commandline_none, NULL);
}

static int
no_floppy(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++)
                if (d->disks[i].device && streq(d->disks[i].device, "floppy"))
                        return eval_emitf(ctx, STATUS_FAIL, e->subject, "floppy disk %s (%s)",
                                          strna(d->disks[i].target_dev), strna(d->disks[i].source));
        return eval_emitf(ctx, STATUS_PASS, e->subject, "no floppy among %zu disks", d->n_disks);
}

static int
eval_domain_no_floppy(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, no_floppy, NULL);
}

/*
 * Most rows judge a list of devices: each offending one goes to `bad`, each
 * one that cannot be judged from the facts at hand to `unknown`, each good
 * one to `ok`.  Any bad → fail (unknowns are listed too); else any unknown →
 * skip, or error when a fact was unreadable; else pass, or skip with
 * `none` when the domain has nothing of the kind (CHECKS.md 1.3).
 */
typedef struct DeviceTally {
        StrBuf bad, unknown, ok;
        unsigned n_items;
        bool error;
} DeviceTally;

#define NOTE(b, ...)                                    \
        do {                                            \
                if ((b)->len > 0)                       \
                        strbuf_append((b), "; ");       \
                strbuf_printf((b), __VA_ARGS__);        \
        } while (0)

static void
verdict_done(DeviceTally *v)
{
        strbuf_done(&v->bad);
        strbuf_done(&v->unknown);
        strbuf_done(&v->ok);
}

static int
verdict_emit(EvalContext *ctx, const DomainEntry *e, DeviceTally *v, const char *none)
{
        int r;

        if (v->bad.oom || v->unknown.oom || v->ok.oom)
                r = -ENOMEM;
        else if (v->bad.len > 0)
                r = eval_emitf(ctx, STATUS_FAIL, e->subject, "%s%s%s", v->bad.s,
                               v->unknown.len ? "; not judged: " : "", v->unknown.len ? v->unknown.s : "");
        else if (v->unknown.len > 0)
                r = eval_emit(ctx, v->error ? STATUS_ERROR : STATUS_SKIP, e->subject, v->unknown.s, NULL);
        else if (v->n_items == 0 && none)
                r = eval_emit(ctx, STATUS_SKIP, e->subject, none, NULL);
        else
                r = eval_emit(ctx, STATUS_PASS, e->subject, v->ok.len ? v->ok.s : "nothing to judge", NULL);
        verdict_done(v);
        return r;
}

/* A fact that could not be read goes to `unknown`; returns true then. */
static bool
verdict_fact_unusable(DeviceTally *v, const char *what, const Fact *f)
{
        if (f->kind != FACT_ERROR)
                return false;
        NOTE(&v->unknown, "%s: %s", what, f->string ? f->string : "unreadable");
        if (!fact_error_is_skip(f))
                v->error = true;
        return true;
}

static bool
str_eq(const char *a, const char *b)
{
        return a && b && streq(a, b);
}

static const char *
disk_name(const DomainDisk *k)
{
        return k->target_dev ? k->target_dev : "(no target)";
}

static const char *
disk_type(const DomainDisk *k)
{
        /* libvirt parses <disk> without type as type='file'. */
        return k->type ? k->type : "file";
}

/* 127.0.0.0/8, ::1 (also as [::1] and IPv4-mapped), localhost. */
static bool
addr_is_loopback(const char *a)
{
        struct in_addr v4;
        struct in6_addr v6;
        char buf[INET6_ADDRSTRLEN + 2];
        size_t n;

        if (!a)
                return false;
        if (strcasecmp(a, "localhost") == 0 || strcasecmp(a, "localhost.") == 0)
                return true;
        n = strlen(a);
        if (n >= 2 && a[0] == '[' && a[n - 1] == ']' && n - 2 < sizeof(buf)) {
                memcpy(buf, a + 1, n - 2);
                buf[n - 2] = '\0';
                a = buf;
        }
        if (inet_pton(AF_INET, a, &v4) == 1)
                return (ntohl(v4.s_addr) >> 24) == 127;
        if (inet_pton(AF_INET6, a, &v6) == 1) {
                if (IN6_IS_ADDR_LOOPBACK(&v6))
                        return true;
                return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
        }
        return false;
}

/* ---- graphics ---- */

typedef enum Exposure {
        EXPOSE_NONE,    /* no network listener by design (sdl, egl-headless, dbus) */
        EXPOSE_LOCAL,   /* loopback, a UNIX socket or no listener */
        EXPOSE_UNKNOWN, /* cannot tell from the facts */
        EXPOSE_NETWORK,
} Exposure;

static bool
graphics_remote(const DomainGraphics *g)
{
        return str_eq(g->type, "vnc") || str_eq(g->type, "spice") || str_eq(g->type, "rdp");
}

static Exposure
expose_address(const char *addr, const char *origin, StrBuf *desc)
{
        bool lo = addr_is_loopback(addr);

        NOTE(desc, "listen %s%s", addr, origin);
        return lo ? EXPOSE_LOCAL : EXPOSE_NETWORK;
}

/* The qemu.conf default listen address, for a display that gives none.
 * @bare: no <listen> and no listen= at all (vnc_auto_unix_socket applies). */
static Exposure
expose_default(EvalContext *ctx, const DomainGraphics *g, bool bare, StrBuf *desc)
{
        const char *key;
        const Fact *f;

        if (str_eq(g->type, "vnc")) {
                if (bare) {
                        f = fact_store_get(ctx->facts, "qemu.conf:vnc_auto_unix_socket");
                        if (fact_is(f, "1")) {
                                NOTE(desc, "UNIX socket (qemu.conf vnc_auto_unix_socket = 1)");
                                return EXPOSE_LOCAL;
                        }
                }
                key = "qemu.conf:vnc_listen";
        } else if (str_eq(g->type, "spice"))
                key = "qemu.conf:spice_listen";
        else {
                NOTE(desc, "no listen address, and qemu.conf has no default for %s", g->type);
                return EXPOSE_UNKNOWN;
        }
        f = fact_store_get(ctx->facts, key);
        if (f->kind == FACT_ABSENT)
                return expose_address("127.0.0.1", " (libvirt default)", desc);
        if (f->kind != FACT_STRING) {
                NOTE(desc, "no listen address and %s %s", key, fact_text_or(f));
                return EXPOSE_UNKNOWN;
        }
        _cleanup_free_ char *origin = xasprintf(" (%s)", key);
        return expose_address(f->string, origin ? origin : "", desc);
}

/* listen type='network': libvirt uses that network's address. */
static Exposure
expose_network(EvalContext *ctx, const char *net, StrBuf *desc)
{
        const Fact *f;
        unsigned n = 0;
        bool all_lo = true;

        if (!net) {
                NOTE(desc, "listen type='network' without a network name");
                return EXPOSE_UNKNOWN;
        }
        f = fact_store_get2(ctx->facts, "network", net);
        if (f->kind != FACT_LIST) {
                NOTE(desc, "listen on network '%s': %s", net,
                     f->kind == FACT_ABSENT ? "network not defined" : fact_text_or(f));
                return EXPOSE_UNKNOWN;
        }
        STRV_FOREACH(p, f->list) {
                _cleanup_free_ char *addr = NULL;
                char *slash;

                if (!startswith(*p, "ip="))
                        continue;
                addr = strdup(*p + 3);
                if (!addr)
                        return EXPOSE_UNKNOWN;
                slash = strrchr(addr, '/');
                if (slash)
                        *slash = '\0';
                n++;
                if (!addr_is_loopback(addr))
                        all_lo = false;
                NOTE(desc, "listen on network '%s' address %s", net, addr);
        }
        if (n == 0) {
                NOTE(desc, "listen on network '%s', which has no IP address", net);
                return EXPOSE_UNKNOWN;
        }
        return all_lo ? EXPOSE_LOCAL : EXPOSE_NETWORK;
}

static Exposure
graphics_exposure(EvalContext *ctx, const DomainGraphics *g, StrBuf *desc)
{
        Exposure worst = EXPOSE_LOCAL;

        strbuf_printf(desc, "%s", strna(g->type));
        if (!graphics_remote(g)) {
                strbuf_append(desc, " no network listener");
                return EXPOSE_NONE;
        }
        if (g->socket) {
                strbuf_printf(desc, " UNIX socket %s", g->socket);
                return EXPOSE_LOCAL;
        }
        if (g->n_listens == 0) {
                StrBuf d = {};
                Exposure x = g->listen ? expose_address(g->listen, "", &d) : expose_default(ctx, g, true, &d);
                strbuf_printf(desc, " %s", d.s ? d.s : "?");
                strbuf_done(&d);
                return x;
        }
        for (size_t i = 0; i < g->n_listens; i++) {
                const DomainGraphicsListen *l = &g->listens[i];
                StrBuf d = {};
                Exposure x;

                if (str_eq(l->type, "socket")) {
                        NOTE(&d, "UNIX socket%s%s", l->socket ? " " : "", l->socket ? l->socket : "");
                        x = EXPOSE_LOCAL;
                } else if (str_eq(l->type, "none")) {
                        NOTE(&d, "listen type='none'");
                        x = EXPOSE_LOCAL;
                } else if (str_eq(l->type, "network"))
                        x = expose_network(ctx, l->network, &d);
                else if (l->address)
                        x = expose_address(l->address, "", &d);
                else
                        x = expose_default(ctx, g, false, &d);
                strbuf_printf(desc, "%s %s", i > 0 ? "," : "", d.s ? d.s : "?");
                strbuf_done(&d);
                if (x > worst)
                        worst = x;
        }
        return worst;
}

static int
graphics_loopback_only(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_graphics; i++) {
                StrBuf desc = {};
                Exposure x = graphics_exposure(ctx, &d->graphics[i], &desc);

                v.n_items++;
                NOTE(x == EXPOSE_NETWORK ? &v.bad : x == EXPOSE_UNKNOWN ? &v.unknown : &v.ok, "%s",
                     desc.s ? desc.s : "?");
                strbuf_done(&desc);
        }
        return verdict_emit(ctx, e, &v, "no graphical console");
}

static int
eval_domain_graphics_loopback_only(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, graphics_loopback_only, NULL);
}

static const char *
conf_nonempty(EvalContext *ctx, const char *key)
{
        const Fact *f = fact_store_get(ctx->facts, key);

        return f->kind == FACT_STRING && f->string[0] ? f->string : NULL;
}

/* What authenticates this display, or NULL. */
static const char *
graphics_auth(EvalContext *ctx, const DomainGraphics *g)
{
        if (g->passwd)
                return "passwd set";
        if (str_eq(g->type, "vnc")) {
                if (fact_is(fact_store_get(ctx->facts, "qemu.conf:vnc_tls"), "1"))
                        return "qemu.conf vnc_tls = 1";
                if (fact_is(fact_store_get(ctx->facts, "qemu.conf:vnc_sasl"), "1"))
                        return "qemu.conf vnc_sasl = 1";
                if (conf_nonempty(ctx, "qemu.conf:vnc_password"))
                        return "qemu.conf vnc_password set";
        } else if (str_eq(g->type, "spice")) {
                if (fact_is(fact_store_get(ctx->facts, "qemu.conf:spice_sasl"), "1"))
                        return "qemu.conf spice_sasl = 1";
                if (conf_nonempty(ctx, "qemu.conf:spice_password"))
                        return "qemu.conf spice_password set";
                if (str_eq(g->default_mode, "secure") &&
                    fact_is(fact_store_get(ctx->facts, "qemu.conf:spice_tls"), "1"))
                        return "defaultMode='secure' with qemu.conf spice_tls = 1";
        }
        return NULL;
}

static int
graphics_authenticated(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        StrBuf local = {};
        DeviceTally v = {};
        int r;

        (void) userdata;
        for (size_t i = 0; i < d->n_graphics; i++) {
                const DomainGraphics *g = &d->graphics[i];
                StrBuf desc = {};
                Exposure x = graphics_exposure(ctx, g, &desc);
                const char *auth;

                if (x == EXPOSE_NONE || x == EXPOSE_LOCAL) {
                        NOTE(&local, "%s", desc.s ? desc.s : "?");
                        strbuf_done(&desc);
                        continue;
                }
                v.n_items++;
                auth = graphics_auth(ctx, g);
                if (auth)
                        NOTE(&v.ok, "%s: %s", desc.s ? desc.s : "?", auth);
                else
                        NOTE(x == EXPOSE_NETWORK ? &v.bad : &v.unknown, "%s: no passwd, TLS or SASL",
                             desc.s ? desc.s : "?");
                strbuf_done(&desc);
        }
        if (v.n_items == 0) {
                verdict_done(&v);
                if (d->n_graphics == 0)
                        r = eval_emit(ctx, STATUS_SKIP, e->subject, "no graphical console", NULL);
                else if (local.oom)
                        r = -ENOMEM;
                else
                        r = eval_emitf(ctx, STATUS_SKIP, e->subject, "no network-facing display: %s", local.s);
                strbuf_done(&local);
                return r;
        }
        strbuf_done(&local);
        return verdict_emit(ctx, e, &v, NULL);
}

static int
eval_domain_graphics_authenticated(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, graphics_authenticated, NULL);
}

/* ---- character devices ---- */

static int
chardev_network_secured(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        const Fact *ctls = fact_store_get(ctx->facts, "qemu.conf:chardev_tls");
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_chardevs; i++) {
                const DomainChardev *c = &d->chardevs[i];
                bool tcp = str_eq(c->type, "tcp");
                StrBuf desc = {};
                bool exposed = false, tls = false;

                if (!tcp && !str_eq(c->type, "udp"))
                        continue;
                v.n_items++;
                strbuf_printf(&desc, "%s %s", domain_chardev_kind_to_string(c->kind), c->type);
                if (c->n_sources == 0) {
                        /* QEMU's socket chardev without host connects to localhost. */
                        strbuf_append(&desc, " without source (QEMU default localhost)");
                }
                for (size_t j = 0; j < c->n_sources; j++) {
                        const DomainChardevSource *s = &c->sources[j];
                        bool bind = str_eq(s->mode, "bind");

                        if (s->host) {
                                strbuf_printf(&desc, " %s %s:%s", strna(s->mode), s->host, strna(s->service));
                                if (!addr_is_loopback(s->host))
                                        exposed = true;
                        } else if (bind) {
                                /* QEMU binds all addresses when no host is given. */
                                strbuf_printf(&desc, " bind *:%s (no host: all addresses)", strna(s->service));
                                exposed = true;
                        } else
                                strbuf_printf(&desc, " %s port %s (no host: QEMU default localhost)",
                                              strna(s->mode), strna(s->service));
                        if (tcp && s->tls == DOMAIN_TRISTATE_YES) {
                                tls = true;
                                strbuf_append(&desc, " tls='yes'");
                        } else if (tcp && s->tls == DOMAIN_TRISTATE_NO)
                                strbuf_append(&desc, " tls='no'");
                        else if (tcp && fact_is(ctls, "1")) {
                                tls = true;
                                strbuf_append(&desc, " (TLS from qemu.conf chardev_tls = 1)");
                        }
                }
                if (!exposed)
                        NOTE(&v.ok, "%s: loopback only", desc.s ? desc.s : "?");
                else if (tls)
                        NOTE(&v.ok, "%s", desc.s ? desc.s : "?");
                else if (tcp && ctls->kind == FACT_ERROR)
                        verdict_fact_unusable(&v, desc.s ? desc.s : "?", ctls);
                else
                        NOTE(&v.bad, "%s: reachable from the network %s", desc.s ? desc.s : "?",
                             tcp ? "without TLS" : "(udp has no TLS)");
                strbuf_done(&desc);
        }
        return verdict_emit(ctx, e, &v, "no tcp or udp serial, console, parallel or channel device");
}

static int
eval_domain_chardev_network_secured(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, chardev_network_secured, NULL);
}

/* ---- security labels ---- */

static int
seclabel_confined(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_seclabels; i++) {
                const DomainSeclabel *s = &d->seclabels[i];
                /* Live XML spells a model-less type='none' with the
                 * host's driver, which may be model='none'; only DAC may
                 * be switched off on its own. */
                bool none = str_eq(s->type, "none") && !str_eq(s->model, "dac");

                v.n_items++;
                if (none)
                        NOTE(&v.bad, "<seclabel type='none'%s%s%s>", s->model ? " model='" : "", s->model ? s->model : "",
                             s->model ? "'" : "");
                /* A static SELinux label with relabel='no' is how a VM runs in
                 * its own policy module (kvmaudit profile selinux): its files
                 * are labelled by restorecon, and whether they carry the VM's
                 * label is judged by svirt.static-label-relabeled. */
                bool own_policy = s->relabel == DOMAIN_TRISTATE_NO && str_eq(s->type, "static") &&
                                  str_eq(s->model, "selinux") && s->label;
                if (own_policy)
                        NOTE(&v.ok, "<seclabel type='static' model='selinux' relabel='no'> with label %s: image labels "
                             "judged by svirt.static-label-relabeled", s->label);
                else if (s->relabel == DOMAIN_TRISTATE_NO)
                        NOTE(&v.bad, "<seclabel type='%s' model='%s' relabel='no'>", strna(s->type), strna(s->model));
                if (!none && s->relabel != DOMAIN_TRISTATE_NO)
                        NOTE(&v.ok, "<seclabel type='%s' model='%s' relabel='%s'>", s->type ? s->type : "dynamic",
                             strna(s->model), domain_tristate_to_string(s->relabel));
        }
        if (d->n_seclabels == 0)
                NOTE(&v.ok, "no <seclabel>: libvirt's default (dynamic, relabelled) applies");
        return verdict_emit(ctx, e, &v, NULL);
}

static int
eval_domain_seclabel_confined(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, seclabel_confined, NULL);
}

static int
disk_relabel_enabled(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};
        unsigned labelled = 0;

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];

                for (size_t j = 0; j < k->n_seclabels; j++) {
                        labelled++;
                        if (k->seclabels[j].relabel == DOMAIN_TRISTATE_NO)
                                NOTE(&v.bad, "disk %s %s: <seclabel model='%s' relabel='no'>", disk_name(k),
                                     strna(k->source), strna(k->seclabels[j].model));
                }
        }
        NOTE(&v.ok, "%zu disks, %u source seclabels, none with relabel='no'", d->n_disks, labelled);
        return verdict_emit(ctx, e, &v, NULL);
}

static int
eval_domain_disk_relabel_enabled(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, disk_relabel_enabled, NULL);
}

/* ---- host devices ---- */

static bool
hostdev_is_pci(const DomainHostdev *h)
{
        return h->from_interface || (str_eq(h->mode, "subsystem") && str_eq(h->type, "pci"));
}

static const char *
hostdev_name(const DomainHostdev *h)
{
        return h->pci_address ? h->pci_address : "(no address)";
}

static int
hostdev_iommu(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        const Fact *groups = fact_store_get(ctx->facts, "iommu:groups");
        const Fact *noiommu = fact_store_get(ctx->facts, "kvmparam:vfio.enable_unsafe_noiommu_mode");
        DeviceTally v = {};
        uint64_t n_groups = 0;
        bool host_ok = true;

        (void) userdata;
        for (size_t i = 0; i < d->n_hostdevs; i++) {
                const DomainHostdev *h = &d->hostdevs[i];

                if (!hostdev_is_pci(h))
                        continue;
                v.n_items++;
                if (h->driver_name && !streq(h->driver_name, "vfio"))
                        NOTE(&v.bad, "PCI %s%s: driver '%s' (legacy assignment, not VFIO)", hostdev_name(h),
                             h->from_interface ? " (interface)" : "", h->driver_name);
                else
                        NOTE(&v.ok, "PCI %s%s: driver %s", hostdev_name(h), h->from_interface ? " (interface)" : "",
                             h->driver_name ? "vfio" : "vfio (default)");
        }
        if (v.n_items == 0)
                return verdict_emit(ctx, e, &v, "no PCI host device");
        if (verdict_fact_unusable(&v, "iommu:groups", groups))
                host_ok = false;
        else if (groups->kind != FACT_STRING || parse_uint64(groups->string, &n_groups) < 0 || n_groups == 0) {
                NOTE(&v.bad, "no IOMMU groups (iommu:groups = %s)", fact_text_or(groups));
                host_ok = false;
        }
        if (verdict_fact_unusable(&v, "vfio noiommu mode", noiommu))
                host_ok = false;
        else if (fact_is(noiommu, "Y") || fact_is(noiommu, "1")) {
                NOTE(&v.bad, "vfio.enable_unsafe_noiommu_mode = %s", noiommu->string);
                host_ok = false;
        }
        if (host_ok)
                NOTE(&v.ok, "%" PRIu64 " IOMMU groups, vfio.enable_unsafe_noiommu_mode = %s", n_groups,
                     fact_text_or(noiommu));
        return verdict_emit(ctx, e, &v, NULL);
}

static int
eval_domain_hostdev_iommu(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, hostdev_iommu, NULL);
}

static int
hostdev_managed(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_hostdevs; i++) {
                const DomainHostdev *h = &d->hostdevs[i];

                if (!hostdev_is_pci(h))
                        continue;
                v.n_items++;
                NOTE(h->managed == DOMAIN_TRISTATE_YES ? &v.ok : &v.bad, "PCI %s%s: managed='%s'", hostdev_name(h),
                     h->from_interface ? " (interface)" : "",
                     h->managed == DOMAIN_TRISTATE_ABSENT ? "no' (absent" : domain_tristate_to_string(h->managed));
        }
        return verdict_emit(ctx, e, &v, "no PCI host device");
}

static int
eval_domain_hostdev_managed(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, hostdev_managed, NULL);
}

static int
tpm_not_passthrough(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_tpms; i++) {
                const DomainTpm *t = &d->tpms[i];

                v.n_items++;
                if (str_eq(t->backend_type, "passthrough"))
                        NOTE(&v.bad, "tpm %s: passthrough of host %s", strna(t->model),
                             t->device_path ? t->device_path : "/dev/tpm0 (default)");
                else
                        NOTE(&v.ok, "tpm %s: backend %s%s%s", strna(t->model), strna(t->backend_type),
                             t->version ? " version " : "", t->version ? t->version : "");
        }
        return verdict_emit(ctx, e, &v, "no TPM");
}

static int
eval_domain_tpm_not_passthrough(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, tpm_not_passthrough, NULL);
}

/* ---- disks ---- */

/* What names a disk's storage across domains: its local path, its network
 * volume or its storage pool volume.  NULL when it has none (empty cdrom). */
static char *
disk_identity(const DomainDisk *k)
{
        const char *type = disk_type(k);

        if (streq(type, "network")) {
                if (!k->protocol || !k->source_name)
                        return NULL;
                /* An rbd image is the same whichever monitors are listed. */
                if (streq(k->protocol, "rbd") || k->n_hosts == 0 || !k->hosts[0].name)
                        return xasprintf("%s:%s", k->protocol, k->source_name);
                return xasprintf("%s://%s:%s/%s", k->protocol, k->hosts[0].name, strna(k->hosts[0].port),
                                 k->source_name);
        }
        if (streq(type, "volume")) {
                if (k->pool && k->volume)
                        return xasprintf("volume %s/%s", k->pool, k->volume);
                return k->source ? strdup(k->source) : NULL;
        }
        return k->source ? strdup(k->source) : NULL;
}

/*
 * Who uses what, across all domains: a sorted index built once per scan
 * (cached in the fact store), so the cross-domain checks cost
 * O(n log n) instead of comparing every domain with every other one.
 */
typedef struct UseRef {
        char *key;              /* disk identity, or "nvram:" + path */
        size_t domain;          /* index in the DomainSet */
        size_t item;            /* disk index */
} UseRef;

typedef struct UseIndex {
        UseRef *v;
        size_t n;
} UseIndex;

static void
use_index_free(void *p)
{
        UseIndex *x = p;

        if (!x)
                return;
        for (size_t i = 0; i < x->n; i++)
                free(x->v[i].key);
        free(x->v);
        free(x);
}

static int
use_ref_cmp(const void *a, const void *b)
{
        const UseRef *x = a, *y = b;
        int r = strcmp(x->key, y->key);

        if (r != 0)
                return r;
        if (x->domain != y->domain)
                return x->domain < y->domain ? -1 : 1;
        return (x->item > y->item) - (x->item < y->item);
}

static int
use_index_add(UseIndex *x, size_t *cap, char *key, size_t domain, size_t item)
{
        if (!key)
                return -ENOMEM;
        if (x->n == *cap) {
                size_t ncap = *cap ? *cap * 2 : 256;
                UseRef *nv = realloc(x->v, ncap * sizeof(UseRef));
                if (!nv) {
                        free(key);
                        return -ENOMEM;
                }
                x->v = nv;
                *cap = ncap;
        }
        x->v[x->n++] = (UseRef) {.key = key, .domain = domain, .item = item};
        return 0;
}

static const UseIndex *
use_index(EvalContext *ctx, const DomainSet *ds)
{
        UseIndex *x = fact_store_attachment(ctx->facts, "use-index");
        size_t cap = 0;

        if (x || !ds)
                return x;
        x = calloc(1, sizeof(*x));
        if (!x)
                return NULL;
        for (size_t i = 0; i < ds->n; i++) {
                const Domain *d = ds->v[i].model;

                if (!d)
                        continue;
                for (size_t k = 0; k < d->n_disks; k++) {
                        char *id = disk_identity(&d->disks[k]);
                        if (id && use_index_add(x, &cap, id, i, k) < 0)
                                goto fail;
                }
                if (d->os.nvram && use_index_add(x, &cap, xasprintf("nvram:%s", d->os.nvram), i, 0) < 0)
                        goto fail;
        }
        if (x->n > 1)
                qsort(x->v, x->n, sizeof(UseRef), use_ref_cmp);
        if (fact_store_attach(ctx->facts, "use-index", x, use_index_free) < 0)
                goto fail;
        return x;
fail:
        use_index_free(x);
        return NULL;
}

/* The first entry with @key, or NULL. */
static const UseRef *
use_index_first(const UseIndex *x, const char *key)
{
        size_t lo = 0, hi = x->n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(x->v[mid].key, key) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < x->n && streq(x->v[lo].key, key) ? &x->v[lo] : NULL;
}

static int
disk_not_shared_writable(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const DomainSet *ds = userdata;
        const Domain *d = e->model;
        DeviceTally v = {};

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                _cleanup_free_ char *id = NULL;
                unsigned users = 0;

                if (!domain_disk_is_writable(k))
                        continue;
                id = disk_identity(k);
                if (!id)
                        continue;
                v.n_items++;
                const UseIndex *x = use_index(ctx, ds);
                if (!x)
                        return -ENOMEM;
                for (const UseRef *u = use_index_first(x, id); u && u < x->v + x->n && streq(u->key, id); u++) {
                        const DomainEntry *o = &ds->v[u->domain];

                        if (o == e)
                                continue;
                        {
                                const DomainDisk *ok = &o->model->disks[u->item];

                                users++;
                                if (k->shareable && ok->shareable)
                                        NOTE(&v.ok, "disk %s %s shared with domain %s (%s), both <shareable/>",
                                             disk_name(k), id, o->name, disk_name(ok));
                                else
                                        NOTE(&v.bad, "disk %s %s (writable%s) also used by domain %s as %s (%s%s)",
                                             disk_name(k), id, k->shareable ? ", shareable" : "", o->name,
                                             disk_name(ok), domain_disk_is_writable(ok) ? "writable" : "read-only",
                                             ok->shareable ? ", shareable" : "");
                        }
                }
                if (users == 0)
                        NOTE(&v.ok, "disk %s %s used by no other domain", disk_name(k), id);
        }
        return verdict_emit(ctx, e, &v, "no writable disk with a source");
}

static int
eval_domain_disk_not_shared_writable(EvalContext *ctx)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);

        /* Without a domain set eval_for_each_domain reports why. */
        return eval_for_each_domain(ctx, disk_not_shared_writable, (void *) ds);
}

/* The parent disk of a partition by the kernel's naming (sda1 → sda,
 * nvme0n1p2 → nvme0n1); false when @name is not a partition name we know. */
static bool
block_parent(const char *name, char *buf, size_t size)
{
        size_t n = strlen(name), end = n;

        if (n == 0 || n >= size || !isdigit((unsigned char) name[n - 1]))
                return false;
        while (end > 0 && isdigit((unsigned char) name[end - 1]))
                end--;
        if (startswith(name, "nvme") || startswith(name, "mmcblk") || startswith(name, "loop") ||
            startswith(name, "nbd")) {
                if (end < 2 || name[end - 1] != 'p' || !isdigit((unsigned char) name[end - 2]))
                        return false;
                end--;
        } else if (!(startswith(name, "sd") || startswith(name, "vd") || startswith(name, "hd") ||
                     startswith(name, "xvd")) || end == 0 || isdigit((unsigned char) name[end - 1]))
                return false;
        memcpy(buf, name, end);
        buf[end] = '\0';
        return true;
}

/* How block device path @disk relates to host device @host ("is",
 * "contains", "is inside"), or NULL. */
static const char *
block_relation(EvalContext *ctx, const char *disk, const char *host)
{
        const Fact *a, *b;
        const char *da, *hb;
        char pa[64], pb[64];

        if (streq(disk, host))
                return "is";
        a = fact_store_get2(ctx->facts, "stat", disk);
        b = fact_store_get2(ctx->facts, "stat", host);
        if (a->kind == FACT_STAT && b->kind == FACT_STAT && S_ISBLK(a->stat.mode) && S_ISBLK(b->stat.mode) &&
            a->stat.major == b->stat.major && a->stat.minor == b->stat.minor)
                return "is";
        if (!startswith(disk, "/dev/") || !startswith(host, "/dev/"))
                return NULL;
        da = disk + 5;
        hb = host + 5;
        if (strchr(da, '/') || strchr(hb, '/'))
                return NULL;
        if (block_parent(hb, pb, sizeof(pb)) && streq(pb, da))
                return "contains";
        if (block_parent(da, pa, sizeof(pa)) && streq(pa, hb))
                return "is inside";
        return NULL;
}

/* The value of "FIELD=" in a blockdev: fact ("parent", "name"), or NULL. */
static const char *
blockdev_field(const Fact *f, const char *field)
{
        size_t n = strlen(field);

        if (f->kind != FACT_LIST)
                return NULL;
        STRV_FOREACH(p, f->list)
                if (strneq(*p, field, n) && (*p)[n] == '=')
                        return *p + n + 1;
        return NULL;
}

/* "8:16 (sdb)" for evidence. */
static char *
blockdev_label(EvalContext *ctx, const char *dev)
{
        const char *name = blockdev_field(fact_store_get2(ctx->facts, "blockdev", dev), "name");

        return name ? xasprintf("%s (%s)", dev, name) : strdup(dev);
}

/* Compares disk @k, whose device is @dev ("MAJ:MIN"), with the devices the
 * host uses: it is one, a partition of one, or contains one.  Returns 1
 * when it noted a finding or an unknown, 0 when the disk is clear. */
static int
block_disk_vs_used(EvalContext *ctx, DeviceTally *v, const DomainDisk *k, const char *dev, char *const *used)
{
        static const char *const relations[] = {"is host-used device", "is a partition of host-used device",
                                                "contains host-used device"};
        const Fact *self = fact_store_get2(ctx->facts, "blockdev", dev);
        StrBuf found[ELEMENTSOF(relations)] = {};
        const char *parent;
        bool noted = false;

        if (verdict_fact_unusable(v, disk_name(k), self))
                return 1;
        parent = blockdev_field(self, "parent");
        STRV_FOREACH(u, used) {
                _cleanup_free_ char *label = NULL;
                size_t rel;

                if (streq(*u, dev))
                        rel = 0;
                else if (parent && streq(*u, parent))
                        rel = 1;
                else {
                        const Fact *uf = fact_store_get2(ctx->facts, "blockdev", *u);
                        if (verdict_fact_unusable(v, *u, uf)) {
                                noted = true;
                                continue;
                        }
                        if (!str_eq(blockdev_field(uf, "parent"), dev))
                                continue;
                        rel = 2;
                }
                label = blockdev_label(ctx, *u);
                if (found[rel].len > 0)
                        strbuf_append(&found[rel], ", ");
                strbuf_append(&found[rel], label ? label : *u);
        }
        for (size_t i = 0; i < ELEMENTSOF(relations); i++) {
                if (found[i].oom)
                        v->bad.oom = true;
                else if (found[i].len > 0) {
                        NOTE(&v->bad, "disk %s %s (%s) %s %s", disk_name(k), k->source, dev, relations[i],
                             found[i].s);
                        noted = true;
                }
                strbuf_done(&found[i]);
        }
        return noted;
}

static int
block_disk_not_host_used(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        static const char *const params[] = {"cmdline:root", "cmdline:resume"};
        const Domain *d = e->model;
        _cleanup_free_ char *none = xasprintf("no disk is a block device (%zu disk%s)", d->n_disks,
                                              d->n_disks == 1 ? "" : "s");
        const Fact *used = NULL;
        bool used_noted = false;
        StrBuf compared = {};
        DeviceTally v = {};
        int r;

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                const char *type = disk_type(k);
                const Fact *rd;

                if (!k->source)
                        continue;
                if (streq(type, "file")) {
                        const Fact *st = fact_store_get2(ctx->facts, "stat", k->source);
                        if (st->kind != FACT_STAT || !S_ISBLK(st->stat.mode))
                                continue;
                } else if (!streq(type, "block"))
                        continue;
                v.n_items++;
                rd = fact_store_get2(ctx->facts, "realdev", k->source);
                if (!used)
                        used = fact_store_get(ctx->facts, "mount:devices");
                if (rd->kind == FACT_STRING && used->kind == FACT_LIST) {
                        r = block_disk_vs_used(ctx, &v, k, rd->string, used->list);
                        if (r == 0)
                                NOTE(&compared, "%s %s (%s)", disk_name(k), k->source, rd->string);
                        continue;
                }
                /* A missing node on a live host is a VM that cannot start,
                 * not host use; in an offline root /dev is not populated. */
                if (rd->kind == FACT_ABSENT && !fact_error_is_skip(used)) {
                        NOTE(&v.unknown, "disk %s: block device %s does not exist", disk_name(k), k->source);
                        v.error = true;
                        continue;
                }
                if (verdict_fact_unusable(&v, disk_name(k), rd))
                        continue;
                /* Host use unknown: the kernel command line still names
                 * the root and resume devices. */
                for (size_t j = 0; j < ELEMENTSOF(params); j++) {
                        const Fact *p = fact_store_get(ctx->facts, params[j]);
                        const char *rel;

                        if (p->kind != FACT_STRING || !startswith(p->string, "/dev/"))
                                continue;
                        rel = block_relation(ctx, k->source, p->string);
                        if (rel)
                                NOTE(&v.bad, "disk %s %s %s the host's %s=%s", disk_name(k), k->source, rel,
                                     params[j] + strlen("cmdline:"), p->string);
                }
                if (!used_noted && !verdict_fact_unusable(&v, "mount:devices", used)) {
                        NOTE(&v.unknown, "mount:devices: not a list");
                        v.error = true;
                }
                used_noted = true;
        }
        if (compared.oom)
                v.bad.oom = true;
        else if (compared.len > 0 && used && used->kind == FACT_LIST) {
                _cleanup_free_ char *host = strv_join(used->list, ", ");
                NOTE(&v.ok, "host uses block devices %s; no block disk is, contains or is a partition of one: %s",
                     host && host[0] ? host : "(none)", compared.s);
        }
        strbuf_done(&compared);
        return verdict_emit(ctx, e, &v, none ? none : "no disk is a block device");
}

static int
eval_domain_block_disk_not_host_used(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, block_disk_not_host_used, NULL);
}

static int
lun_rawio_off(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                bool rawio = k->rawio == DOMAIN_TRISTATE_YES, unfiltered = str_eq(k->sgio, "unfiltered");

                if (!str_eq(k->device, "lun"))
                        continue;
                v.n_items++;
                NOTE(rawio || unfiltered ? &v.bad : &v.ok, "lun %s %s: rawio='%s' sgio='%s'", disk_name(k),
                     strna(k->source ? k->source : k->source_name), domain_tristate_to_string(k->rawio),
                     k->sgio ? k->sgio : "filtered (default)");
        }
        return verdict_emit(ctx, e, &v, "no device='lun' disk");
}

static int
eval_domain_lun_rawio_off(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, lun_rawio_off, NULL);
}

static int
network_disk_secured(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        const Fact *nbd_tls = fact_store_get(ctx->facts, "qemu.conf:nbd_tls");
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                const char *proto = k->protocol ? k->protocol : "(no protocol)";
                _cleanup_free_ char *what = NULL;

                if (!str_eq(k->type, "network"))
                        continue;
                v.n_items++;
                what = xasprintf("disk %s %s %s%s%s", disk_name(k), proto, strna(k->source_name),
                                 k->n_hosts && k->hosts[0].name ? " on " : "",
                                 k->n_hosts && k->hosts[0].name ? k->hosts[0].name : "");
                if (!what)
                        return -ENOMEM;
                if (streq(proto, "rbd") || streq(proto, "iscsi")) {
                        if (k->has_auth && (k->auth_secret_uuid || k->auth_secret_usage))
                                NOTE(&v.ok, "%s: <auth username='%s'> with %s secret %s", what,
                                     strna(k->auth_username), strna(k->auth_secret_type),
                                     k->auth_secret_uuid ? k->auth_secret_uuid : k->auth_secret_usage);
                        else
                                NOTE(&v.bad, "%s: %s", what, k->has_auth ? "<auth> without a secret" : "no <auth>");
                } else if (streq(proto, "nbd")) {
                        if (k->tls == DOMAIN_TRISTATE_YES)
                                NOTE(&v.ok, "%s: tls='yes'", what);
                        else if (k->tls == DOMAIN_TRISTATE_NO)
                                NOTE(&v.bad, "%s: tls='no'", what);
                        else if (fact_is(nbd_tls, "1"))
                                NOTE(&v.ok, "%s: TLS from qemu.conf nbd_tls = 1", what);
                        else if (!verdict_fact_unusable(&v, what, nbd_tls))
                                NOTE(&v.bad, "%s: no TLS (qemu.conf nbd_tls = %s)", what,
                                     nbd_tls->kind == FACT_ABSENT ? "0 (default)" : fact_text_or(nbd_tls));
                } else if (streq(proto, "http") || streq(proto, "ftp") || streq(proto, "tftp"))
                        NOTE(&v.bad, "%s: unauthenticated cleartext protocol", what);
                else
                        NOTE(&v.ok, "%s: protocol %s not judged", what, proto);
        }
        return verdict_emit(ctx, e, &v, "no network disk");
}

static int
eval_domain_network_disk_secured(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, network_disk_secured, NULL);
}

static int
disk_format_explicit(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                const char *type = disk_type(k);
                unsigned missing = 0;

                if (!streq(type, "file") && !streq(type, "block"))
                        continue;
                if (!k->source)
                        continue; /* empty removable drive: nothing is opened */
                v.n_items++;
                if (!k->driver_type) {
                        NOTE(&v.bad, "disk %s %s: no <driver type> (format probed)", disk_name(k), k->source);
                        missing++;
                }
                for (size_t j = 0; j < k->n_backing; j++) {
                        const DomainBackingStore *b = &k->backing[j];

                        if (!b->path && !b->name)
                                continue;
                        if (!b->format) {
                                NOTE(&v.bad, "disk %s: backing file %s has no recorded format", disk_name(k),
                                     b->path ? b->path : b->name);
                                missing++;
                        }
                }
                if (missing == 0 && k->n_backing > 0)
                        NOTE(&v.ok, "disk %s %s: %s, %zu backing images with recorded formats", disk_name(k),
                             k->source, k->driver_type, k->n_backing);
                else if (missing == 0)
                        NOTE(&v.ok, "disk %s %s: %s", disk_name(k), k->source, k->driver_type);
        }
        return verdict_emit(ctx, e, &v, "no file or block disk");
}

static int
eval_domain_disk_format_explicit(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, disk_format_explicit, NULL);
}

/* ---- devices ---- */

static int
nic_virtio(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_interfaces; i++) {
                const DomainInterface *n = &d->interfaces[i];

                v.n_items++;
                if (str_eq(n->type, "hostdev") || str_eq(n->type, "vdpa"))
                        NOTE(&v.ok, "interface %s: type %s", strna(n->type), n->type);
                else if (str_eq(n->model, "virtio") || str_eq(n->model, "virtio-transitional") ||
                         str_eq(n->model, "virtio-non-transitional"))
                        NOTE(&v.ok, "interface %s: model %s", strna(n->type), n->model);
                else
                        NOTE(&v.bad, "interface %s: model %s", strna(n->type),
                             n->model ? n->model : "not set (libvirt's emulated default)");
        }
        return verdict_emit(ctx, e, &v, "no network interface");
}

static int
eval_domain_nic_virtio(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, nic_virtio, NULL);
}

static bool
domain_is_x86(const Domain *d)
{
        const char *a = d->os.arch, *m = d->os.machine;

        if (a)
                return streq(a, "x86_64") || streq(a, "i686");
        return m && (startswith(m, "pc") || startswith(m, "q35"));
}

static bool
machine_is_i440fx(const char *m)
{
        return streq(m, "pc") || (startswith(m, "pc-") && !startswith(m, "pc-q35"));
}

static int
legacy_devices_absent(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        bool i440fx = false;
        StrBuf usb = {};
        DeviceTally v = {};

        (void) userdata;
        if (domain_is_x86(d)) {
                if (!d->os.machine) {
                        NOTE(&v.bad, "machine not stated (libvirt's x86 default 'pc' is i440fx)");
                        i440fx = true;
                } else if (machine_is_i440fx(d->os.machine)) {
                        NOTE(&v.bad, "machine %s (i440fx, always has an ISA floppy controller)", d->os.machine);
                        i440fx = true;
                } else
                        NOTE(&v.ok, "machine %s", d->os.machine);
        } else
                NOTE(&v.ok, "machine %s on %s", strna(d->os.machine), strna(d->os.arch));
        for (size_t i = 0; i < d->n_sounds; i++)
                NOTE(&v.bad, "sound %s", strna(d->sounds[i].model));
        for (size_t i = 0; i < d->n_controllers; i++) {
                const DomainController *c = &d->controllers[i];
                const char *m = c->model;

                if (!str_eq(c->type, "usb"))
                        continue;
                if (!m) {
                        /* libvirt's default USB controller: piix3-uhci on
                         * i440fx, qemu-xhci on q35 when QEMU has it. */
                        if (i440fx)
                                NOTE(&v.bad, "USB controller without model (libvirt default piix3-uhci)");
                        else
                                NOTE(&usb, "usb (default model)");
                } else if (strstr(m, "ehci") || strstr(m, "uhci") || strstr(m, "ohci"))
                        NOTE(&v.bad, "USB controller %s", m);
                else
                        NOTE(&usb, "usb %s", m);
        }
        for (size_t i = 0; i < d->n_videos; i++) {
                const char *m = d->videos[i].model;

                if (str_eq(m, "cirrus"))
                        NOTE(&v.bad, "video cirrus");
                else
                        NOTE(&usb, "video %s", strna(m));
        }
        if (usb.len)
                NOTE(&v.ok, "%s", usb.s);
        if (usb.oom)
                v.ok.oom = true;
        strbuf_done(&usb);
        if (d->n_sounds == 0)
                NOTE(&v.ok, "no sound device");
        return verdict_emit(ctx, e, &v, NULL);
}

static int
eval_domain_legacy_devices_absent(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, legacy_devices_absent, NULL);
}

static int
virtio_rng(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_rngs; i++) {
                const DomainRng *g = &d->rngs[i];
                bool good = false;

                if (str_eq(g->model, "virtio")) {
                        if (str_eq(g->backend_model, "builtin"))
                                good = true;
                        /* <backend model='random'/> without a path is /dev/urandom. */
                        else if (str_eq(g->backend_model, "random"))
                                good = !g->backend_path || streq(g->backend_path, "/dev/urandom") ||
                                       streq(g->backend_path, "/dev/random");
                }
                NOTE(good ? &v.ok : &v.unknown, "rng %s backend %s%s%s", strna(g->model), strna(g->backend_model),
                     g->backend_path ? " " : "", g->backend_path ? g->backend_path : "");
        }
        if (v.ok.len > 0) {
                strbuf_done(&v.unknown);
                return verdict_emit(ctx, e, &v, NULL);
        }
        if (v.unknown.len > 0) {
                NOTE(&v.bad, "no virtio RNG with a host random source: %s", v.unknown.s ? v.unknown.s : "?");
                strbuf_done(&v.unknown);
        } else
                NOTE(&v.bad, "no <rng> device");
        return verdict_emit(ctx, e, &v, NULL);
}

static int
eval_domain_virtio_rng(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, virtio_rng, NULL);
}

static int
uefi_secure_boot(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        const DomainOs *os = &d->os;
        bool efi, secure;
        DeviceTally v = {};

        (void) userdata;
        if (!domain_is_x86(d))
                return eval_emitf(ctx, STATUS_SKIP, e->subject, "not x86 (arch %s)", strna(os->arch));
        efi = str_eq(os->firmware, "efi") || str_eq(os->loader_type, "pflash") ||
              os->firmware_secure_boot != DOMAIN_TRISTATE_ABSENT;
        if (!efi && !os->loader)
                NOTE(&v.bad, "BIOS firmware (no UEFI loader)");
        else {
                secure = os->loader_secure == DOMAIN_TRISTATE_YES ||
                         (str_eq(os->firmware, "efi") && os->firmware_secure_boot == DOMAIN_TRISTATE_YES);
                if (secure)
                        NOTE(&v.ok, "%s", os->loader_secure == DOMAIN_TRISTATE_YES ? "<loader secure='yes'>"
                                                                                  : "firmware autoselection with secure-boot");
                else
                        NOTE(&v.bad, "UEFI without Secure Boot (%s%s, loader secure='%s', secure-boot feature %s)",
                             os->loader ? "loader " : "firmware autoselected", os->loader ? os->loader : "",
                             domain_tristate_to_string(os->loader_secure),
                             domain_tristate_to_string(os->firmware_secure_boot));
        }
        NOTE(d->smm == DOMAIN_TRISTATE_YES ? &v.ok : &v.bad, "<smm> %s", domain_tristate_to_string(d->smm));
        return verdict_emit(ctx, e, &v, NULL);
}

static int
eval_domain_uefi_secure_boot(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, uefi_secure_boot, NULL);
}

static const char *const launch_params[] = {
        "kvmparam:kvm_amd.sev",
        "kvmparam:kvm_amd.sev_snp",
        "kvmparam:kvm_intel.tdx",
};

static int
launch_security(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const char *host = userdata;
        const Domain *d = e->model;

        if (d->launch_security)
                return eval_emitf(ctx, STATUS_PASS, e->subject, "<launchSecurity type='%s'>; host: %s",
                                  d->launch_security, host);
        return eval_emitf(ctx, STATUS_FAIL, e->subject, "no <launchSecurity> although the host supports %s", host);
}

static int
eval_domain_launch_security(EvalContext *ctx)
{
        _cleanup_strv_free_ char **on = NULL;
        const Fact *broken = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(launch_params); i++) {
                const Fact *f = fact_store_get(ctx->facts, launch_params[i]);

                if (fact_is(f, "Y") || fact_is(f, "1")) {
                        if (strv_extend(&on, launch_params[i] + strlen("kvmparam:")) < 0)
                                return -ENOMEM;
                } else if (f->kind == FACT_ERROR && !broken)
                        broken = f;
        }
        if (!on) {
                if (broken && (r = eval_fact_unusable(ctx, "host", broken)) != 0)
                        return r < 0 ? r : 0;
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "the host enables no memory encryption for guests (kvm_amd.sev, kvm_amd.sev_snp, "
                                 "kvm_intel.tdx not Y)",
                                 NULL);
        }
        _cleanup_free_ char *host = strv_join(on, ", ");
        if (!host)
                return -ENOMEM;
        return eval_for_each_domain(ctx, launch_security, host);
}

static int
cpu_host_passthrough(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        const char *m = d->cpu_mode;

        (void) userdata;
        if (!d->has_cpu)
                return eval_emit(ctx, STATUS_PASS, e->subject, "no <cpu>: the hypervisor's default model", NULL);
        if (str_eq(m, "host-passthrough") || str_eq(m, "maximum"))
                return eval_emitf(ctx, STATUS_FAIL, e->subject, "<cpu mode='%s'> exposes the host CPU", m);
        return eval_emitf(ctx, STATUS_PASS, e->subject, "<cpu mode='%s'>", m ? m : "custom");
}

static int
eval_domain_cpu_host_passthrough(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, cpu_host_passthrough, NULL);
}

/* ---- files ---- */

/* Judges the file at @path (if it exists: no world bits) and its
 * directory (not world-writable). */
static void
judge_private_file(EvalContext *ctx, DeviceTally *v, const char *what, const char *path)
{
        _cleanup_free_ char *dir = NULL;
        const Fact *f, *df;
        char *slash;

        v->n_items++;
        if (path[0] != '/') {
                NOTE(&v->unknown, "%s %s: not an absolute path", what, path);
                return;
        }
        f = fact_store_get2(ctx->facts, "stat", path);
        if (verdict_fact_unusable(v, path, f))
                return;
        dir = strdup(path);
        if (!dir) {
                v->bad.oom = true;
                return;
        }
        slash = strrchr(dir, '/');
        if (slash == dir)
                slash[1] = '\0';
        else
                *slash = '\0';
        df = fact_store_get2(ctx->facts, "stat", dir);
        if (verdict_fact_unusable(v, dir, df))
                return;
        if (df->kind == FACT_STAT && (df->stat.mode & S_IWOTH))
                NOTE(&v->bad, "%s %s: directory %s is world-writable (%04o)", what, path, dir, df->stat.mode & 07777);
        if (f->kind == FACT_ABSENT)
                NOTE(&v->ok, "%s %s: not created yet%s", what, path,
                     df->kind == FACT_STAT && !(df->stat.mode & S_IWOTH) ? ", directory not world-writable" : "");
        else if (S_ISLNK(f->stat.mode))
                NOTE(&v->bad, "%s %s: is a symbolic link", what, path);
        else if (f->stat.mode & S_IRWXO)
                NOTE(&v->bad, "%s %s: mode %04o has world bits", what, path, f->stat.mode & 07777);
        else if (!(df->kind == FACT_STAT && (df->stat.mode & S_IWOTH)))
                NOTE(&v->ok, "%s %s: mode %04o, directory not world-writable", what, path, f->stat.mode & 07777);
}

static int
console_log_private(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_chardevs; i++) {
                const DomainChardev *c = &d->chardevs[i];
                const char *kind = domain_chardev_kind_to_string(c->kind);
                _cleanup_free_ char *what = NULL;

                if (c->log_file) {
                        what = xasprintf("%s log", kind);
                        if (!what)
                                return -ENOMEM;
                        judge_private_file(ctx, &v, what, c->log_file);
                }
                if (str_eq(c->type, "file")) {
                        for (size_t j = 0; j < c->n_sources; j++) {
                                if (!c->sources[j].path)
                                        continue;
                                free(what);
                                what = xasprintf("%s file", kind);
                                if (!what)
                                        return -ENOMEM;
                                judge_private_file(ctx, &v, what, c->sources[j].path);
                        }
                }
        }
        return verdict_emit(ctx, e, &v, "no <log file> and no file character device");
}

static int
eval_domain_console_log_private(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, console_log_private, NULL);
}

/* Lexically normalized absolute path: no "//", "/./" or trailing "/";
 * NULL when it has a ".." component (then it cannot be judged lexically). */
static char *
path_normalize(const char *p)
{
        StrBuf b = {};

        for (const char *s = p; *s;) {
                size_t n;

                s += strspn(s, "/");
                n = strcspn(s, "/");
                if (n == 0)
                        break;
                if (n == 2 && strneq(s, "..", 2)) {
                        strbuf_done(&b);
                        return NULL;
                }
                if (!(n == 1 && s[0] == '.')) {
                        strbuf_append(&b, "/");
                        strbuf_appendn(&b, s, n);
                }
                s += n;
        }
        if (b.len == 0)
                strbuf_append(&b, "/");
        return strbuf_steal(&b);
}

static bool
path_inside(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        return strneq(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static const char *const system_dirs[] = {
        "/etc", "/boot", "/usr", "/root", "/var/lib/libvirt", "/proc", "/sys", "/dev",
};

static int
fs_share_safe(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_filesystems; i++) {
                const DomainFilesystem *f = &d->filesystems[i];
                bool virtiofs = str_eq(f->driver_type, "virtiofs");
                _cleanup_free_ char *norm = NULL, *what = NULL;
                bool bad = false;

                if (f->type && !streq(f->type, "mount"))
                        continue;
                v.n_items++;
                what = xasprintf("%s share %s -> %s", virtiofs ? "virtiofs" : "9p",
                                 f->source ? f->source : f->source_socket ? f->source_socket : "(no source)",
                                 strna(f->target));
                if (!what)
                        return -ENOMEM;
                if (!virtiofs && !str_eq(f->accessmode, "mapped") && !str_eq(f->accessmode, "squash")) {
                        NOTE(&v.bad, "%s: accessmode %s", what, f->accessmode ? f->accessmode : "passthrough (default)");
                        bad = true;
                }
                if (f->source) {
                        norm = path_normalize(f->source);
                        if (!norm) {
                                NOTE(&v.bad, "%s: source path has a '..' component", what);
                                bad = true;
                        } else if (streq(norm, "/")) {
                                NOTE(&v.bad, "%s: shares the host's root directory", what);
                                bad = true;
                        } else
                                for (size_t j = 0; j < ELEMENTSOF(system_dirs); j++)
                                        if (path_inside(norm, system_dirs[j]) || path_inside(system_dirs[j], norm)) {
                                                NOTE(&v.bad, "%s: %s system directory %s", what,
                                                     path_inside(norm, system_dirs[j]) ? "inside" : "contains",
                                                     system_dirs[j]);
                                                bad = true;
                                                break;
                                        }
                }
                if (!bad)
                        NOTE(&v.ok, "%s: %s", what,
                             virtiofs ? "virtiofs (mode not judged)" : f->accessmode);
        }
        return verdict_emit(ctx, e, &v, "no shared host directory");
}

static int
eval_domain_fs_share_safe(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, fs_share_safe, NULL);
}

static int
nvram_loader_private(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const DomainSet *ds = userdata;
        const DomainOs *os = &e->model->os;
        DeviceTally v = {};

        if (os->loader) {
                const Fact *f = fact_store_get2(ctx->facts, "stat", os->loader);
                bool pflash = str_eq(os->loader_type, "pflash");

                v.n_items++;
                if (pflash && os->loader_readonly != DOMAIN_TRISTATE_YES)
                        NOTE(&v.bad, "pflash loader %s: readonly='%s'", os->loader,
                             domain_tristate_to_string(os->loader_readonly));
                if (f->kind == FACT_ERROR)
                        (void) verdict_fact_unusable(&v, os->loader, f);
                else if (f->kind == FACT_ABSENT)
                        NOTE(&v.unknown, "loader %s does not exist in the audited root", os->loader);
                else if (f->stat.uid != 0 || (f->stat.mode & (S_IWGRP | S_IWOTH)))
                        NOTE(&v.bad, "loader %s: owner %u:%u mode %04o (want root, not group- or world-writable)",
                             os->loader, f->stat.uid, f->stat.gid, f->stat.mode & 07777);
                else
                        NOTE(&v.ok, "loader %s%s: owner %u:%u mode %04o", os->loader,
                             pflash ? " (pflash, readonly)" : "", f->stat.uid, f->stat.gid, f->stat.mode & 07777);
        }
        if (os->nvram) {
                const Fact *f = fact_store_get2(ctx->facts, "stat", os->nvram);
                bool shared = false;

                v.n_items++;
                const UseIndex *x = use_index(ctx, ds);
                _cleanup_free_ char *key = xasprintf("nvram:%s", os->nvram);
                if (!x || !key)
                        return -ENOMEM;
                for (const UseRef *u = use_index_first(x, key); u && u < x->v + x->n && streq(u->key, key); u++) {
                        const DomainEntry *o = &ds->v[u->domain];

                        if (o != e) {
                                NOTE(&v.bad, "NVRAM %s also used by domain %s", os->nvram, o->name);
                                shared = true;
                        }
                }
                if (f->kind == FACT_ERROR)
                        (void) verdict_fact_unusable(&v, os->nvram, f);
                else if (f->kind == FACT_ABSENT) {
                        if (!shared)
                                NOTE(&v.ok, "NVRAM %s not created yet, used by no other domain", os->nvram);
                } else if (f->stat.mode & S_IRWXO)
                        NOTE(&v.bad, "NVRAM %s: mode %04o has world bits", os->nvram, f->stat.mode & 07777);
                else if (!shared)
                        NOTE(&v.ok, "NVRAM %s: mode %04o, used by no other domain", os->nvram, f->stat.mode & 07777);
        }
        return verdict_emit(ctx, e, &v,
                            str_eq(os->firmware, "efi") ? "firmware autoselected: no loader or NVRAM path in the definition"
                                                        : "no firmware loader or NVRAM file");
}

/* libvirt's swtpm state directory of a domain (qemu_tpm.c:
 * SWTPM_STORAGE_DIR/UUID, /var/lib/libvirt/swtpm on every distribution). */
#define SWTPM_STATE_DIR "/var/lib/libvirt/swtpm"
/* Directories judged above a VM file, from the nearest up. */
#define VM_FILE_DIRS_MAX 16u

/* Judges one VM file and every directory on the path to it: the file
 * must give other users nothing (@need_private; else only no write), and
 * no directory above may be writable by others without the sticky bit
 * (they could swap the file).  Paths are absolute; at most
 * VM_FILE_DIRS_MAX directories are looked at. */
static void
vm_file_judge(EvalContext *ctx, DeviceTally *v, const char *what, const char *path, bool need_private)
{
        const Fact *f = fact_store_get2(ctx->facts, "stat", path);
        _cleanup_free_ char *dir = strdup(path);
        mode_t m;

        v->n_items++;
        if (!dir) {
                v->bad.oom = true;
                return;
        }
        if (f->kind == FACT_ERROR) {
                (void) verdict_fact_unusable(v, path, f);
                return;
        }
        if (f->kind == FACT_ABSENT) {
                NOTE(&v->ok, "%s %s does not exist yet", what, path);
                return;
        }
        m = f->stat.mode & 07777;
        if (need_private && (m & S_IRWXO))
                NOTE(&v->bad, "%s %s: mode %04o: %s by other users", what, path, m,
                     m & S_IWOTH ? "readable and writable" : (m & S_IROTH) ? "readable" : "accessible");
        else if (!need_private && (m & S_IWOTH))
                NOTE(&v->bad, "%s %s: mode %04o: writable by other users", what, path, m);
        else if (fact_stat_acl_named(&f->stat) > 0)
                NOTE(&v->bad, "%s %s: named ACL entries grant other users access", what, path);
        else
                NOTE(&v->ok, "%s %s: mode %04o owner %u:%u", what, path, m, f->stat.uid, f->stat.gid);
        for (unsigned depth = 0; depth < VM_FILE_DIRS_MAX; depth++) {
                char *slash = strrchr(dir, '/');
                const Fact *d;

                if (!slash || slash == dir)
                        break;
                *slash = '\0';
                d = fact_store_get2(ctx->facts, "stat", dir);
                if (d->kind != FACT_STAT)
                        continue;
                if ((d->stat.mode & S_IWOTH) && !(d->stat.mode & S_ISVTX))
                        NOTE(&v->bad, "%s %s: directory %s (mode %04o) is writable by other users", what, path, dir,
                             d->stat.mode & 07777);
        }
}

/* issue 14: a VM's disks, NVRAM and TPM state readable or writable by
 * other local users (a 0644 qcow2 under /var/lib/libvirt/images is read
 * by "nobody"). */
static int
vm_files_private(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                bool media = str_eq(k->device, "cdrom") || str_eq(k->device, "floppy");

                if (!str_eq(k->type, "file") || !k->source || k->source[0] != '/')
                        continue;
                /* A read-only installation medium may be world-readable;
                 * nothing may let others write what a VM runs from. */
                vm_file_judge(ctx, &v, media ? "medium" : "disk", k->source, !(k->readonly || media));
        }
        if (d->os.nvram && d->os.nvram[0] == '/')
                vm_file_judge(ctx, &v, "NVRAM", d->os.nvram, true);
        for (size_t i = 0; i < d->n_tpms; i++)
                if (str_eq(d->tpms[i].backend_type, "emulator") && d->uuid) {
                        _cleanup_free_ char *p = xasprintf("%s/%s", SWTPM_STATE_DIR, d->uuid);
                        if (!p)
                                return -ENOMEM;
                        vm_file_judge(ctx, &v, "TPM state", p, true);
                }
        return verdict_emit(ctx, e, &v, "no local disk, NVRAM or TPM state file");
}

static int
eval_domain_files_private(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, vm_files_private, NULL);
}

static int
eval_domain_nvram_loader_private(EvalContext *ctx)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);

        return eval_for_each_domain(ctx, nvram_loader_private, (void *) ds);
}

static int
interface_anti_spoofing(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) userdata;
        for (size_t i = 0; i < d->n_interfaces; i++) {
                const DomainInterface *n = &d->interfaces[i];
                const char *src;

                if (!str_eq(n->type, "bridge") && !str_eq(n->type, "network"))
                        continue;
                v.n_items++;
                src = streq(n->type, "bridge") ? n->source_bridge : n->source_network;
                if (str_eq(n->filterref, "clean-traffic") || str_eq(n->filterref, "clean-traffic-gateway"))
                        NOTE(&v.ok, "%s %s: filterref %s", n->type, strna(src), n->filterref);
                else if (n->filterref)
                        /* Custom filters would need the nwfilter definitions. */
                        NOTE(&v.unknown, "%s %s: filterref %s (nwfilter contents not collected)", n->type, strna(src),
                             n->filterref);
                else
                        NOTE(&v.bad, "%s %s: no <filterref>", n->type, strna(src));
        }
        return verdict_emit(ctx, e, &v, "no bridge or network interface");
}

static int
eval_domain_interface_anti_spoofing(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, interface_anti_spoofing, NULL);
}

/* Sorted by name; a new evaluator is one line here plus its function. */
const Evaluator evaluators_domain[] = {
        {"domain-block-disk-not-host-used", eval_domain_block_disk_not_host_used   },
        {"domain-chardev-network-secured",  eval_domain_chardev_network_secured    },
        {"domain-console-log-private",      eval_domain_console_log_private        },
        {"domain-cpu-host-passthrough",     eval_domain_cpu_host_passthrough       },
        {"domain-disk-format-explicit",     eval_domain_disk_format_explicit       },
        {"domain-disk-not-shared-writable", eval_domain_disk_not_shared_writable   },
        {"domain-disk-relabel-enabled",     eval_domain_disk_relabel_enabled       },
        {"domain-files-private",            eval_domain_files_private              },
        {"domain-fs-share-safe",            eval_domain_fs_share_safe              },
        {"domain-graphics-authenticated",   eval_domain_graphics_authenticated     },
        {"domain-graphics-loopback-only",   eval_domain_graphics_loopback_only     },
        {"domain-hostdev-iommu",            eval_domain_hostdev_iommu              },
        {"domain-hostdev-managed",          eval_domain_hostdev_managed            },
        {"domain-interface-anti-spoofing",  eval_domain_interface_anti_spoofing    },
        {"domain-launch-security",          eval_domain_launch_security            },
        {"domain-legacy-devices-absent",    eval_domain_legacy_devices_absent      },
        {"domain-lun-rawio-off",            eval_domain_lun_rawio_off              },
        {"domain-network-disk-secured",     eval_domain_network_disk_secured       },
        {"domain-nic-virtio",               eval_domain_nic_virtio                 },
        {"domain-no-floppy",                eval_domain_no_floppy                  },
        {"domain-nvram-loader-private",     eval_domain_nvram_loader_private       },
        {"domain-qemu-commandline-none",    eval_domain_qemu_commandline_none      },
        {"domain-seclabel-confined",        eval_domain_seclabel_confined          },
        {"domain-tpm-not-passthrough",      eval_domain_tpm_not_passthrough        },
        {"domain-uefi-secure-boot",         eval_domain_uefi_secure_boot           },
        {"domain-virtio-rng",               eval_domain_virtio_rng                 },
};

const size_t evaluators_domain_count = ELEMENTSOF(evaluators_domain);
