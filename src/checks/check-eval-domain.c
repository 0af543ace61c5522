/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judges of the domain category that a condition over vm: facts cannot
 * express: they resolve listeners through qemu.conf and network facts
 * (graphics), compare a domain with the other domains (shared disks,
 * NVRAM), with the host's block devices, or judge its files' metadata.
 * Each is a pure function of one parsed domain; the other domain checks
 * are data (checks/domain.check).  Defaults libvirt applies to absent
 * attributes are stated in the catalogue entries; the code follows them.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check-domain-judge.h"
#include "strv.h"
#include "util.h"

void
domain_tally_done(DeviceTally *v)
{
        strbuf_done(&v->bad);
        strbuf_done(&v->unknown);
        strbuf_done(&v->ok);
}

int
domain_tally_verdict(DeviceTally *v, const char *none, Verdict *ret)
{
        int r;

        if (v->bad.oom || v->unknown.oom || v->ok.oom)
                r = -ENOMEM;
        else if (v->bad.len > 0)
                r = verdict_set(ret, STATUS_FAIL, "%s%s%s", v->bad.s, v->unknown.len ? "; not judged: " : "",
                                v->unknown.len ? v->unknown.s : "");
        else if (v->unknown.len > 0)
                r = verdict_set(ret, v->error ? STATUS_ERROR : STATUS_SKIP, "%s", v->unknown.s);
        else if (v->n_items == 0 && none)
                r = verdict_set(ret, STATUS_SKIP, "%s", none);
        else
                r = verdict_set(ret, STATUS_PASS, "%s", v->ok.len ? v->ok.s : "nothing to judge");
        domain_tally_done(v);
        return r;
}

bool
domain_tally_unusable(DeviceTally *v, const char *what, const Fact *f)
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

/* ---- graphics ---- */

typedef enum Exposure {
        EXPOSE_NONE,    /* no network listener by design (sdl, egl-headless, dbus) */
        EXPOSE_LOCAL,   /* loopback, a UNIX socket or no listener */
        EXPOSE_UNKNOWN, /* cannot tell from the facts */
        EXPOSE_BROKEN,  /* cannot tell: a source that should be readable is not */
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
        bool lo = domain_address_is_loopback(addr);

        NOTE(desc, "listen %s%s", addr, origin);
        return lo ? EXPOSE_LOCAL : EXPOSE_NETWORK;
}

/* The qemu.conf default listen address, for a display that gives none.
 * @bare: no <listen> and no listen= at all (vnc_auto_unix_socket applies). */
static Exposure
expose_default(FactStore *facts, const DomainGraphics *g, bool bare, StrBuf *desc)
{
        const char *key;
        const Fact *f;

        if (str_eq(g->type, "vnc")) {
                if (bare) {
                        f = fact_store_get(facts, "qemu.conf:vnc_auto_unix_socket");
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
        f = fact_store_get(facts, key);
        if (f->kind == FACT_ABSENT)
                return expose_address("127.0.0.1", " (libvirt default)", desc);
        if (f->kind != FACT_STRING) {
                NOTE(desc, "no listen address and %s %s", key, fact_text_or(f));
                return f->kind == FACT_ERROR && !fact_error_is_skip(f) ? EXPOSE_BROKEN : EXPOSE_UNKNOWN;
        }
        _cleanup_free_ char *origin = xasprintf(" (%s)", key);
        return expose_address(f->string, origin ? origin : "", desc);
}

/* listen type='network': libvirt uses that network's address. */
static Exposure
expose_network(FactStore *facts, const char *net, StrBuf *desc)
{
        const Fact *f;
        unsigned n = 0;
        bool all_lo = true;

        if (!net) {
                NOTE(desc, "listen type='network' without a network name");
                return EXPOSE_UNKNOWN;
        }
        f = fact_store_get2(facts, "network", net);
        if (f->kind != FACT_LIST) {
                NOTE(desc, "listen on network '%s': %s", net,
                     f->kind == FACT_ABSENT ? "network not defined" : fact_text_or(f));
                return f->kind == FACT_ERROR && !fact_error_is_skip(f) ? EXPOSE_BROKEN : EXPOSE_UNKNOWN;
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
                if (!domain_address_is_loopback(addr))
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
graphics_exposure(FactStore *facts, const DomainGraphics *g, StrBuf *desc)
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
                Exposure x = g->listen ? expose_address(g->listen, "", &d) : expose_default(facts, g, true, &d);
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
                        x = expose_network(facts, l->network, &d);
                else if (l->address)
                        x = expose_address(l->address, "", &d);
                else
                        x = expose_default(facts, g, false, &d);
                strbuf_printf(desc, "%s %s", i > 0 ? "," : "", d.s ? d.s : "?");
                strbuf_done(&d);
                if (x > worst)
                        worst = x;
        }
        return worst;
}

static int
graphics_loopback_only(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) ds;
        for (size_t i = 0; i < d->n_graphics; i++) {
                StrBuf desc = {};
                Exposure x = graphics_exposure(facts, &d->graphics[i], &desc);

                v.n_items++;
                if (x == EXPOSE_BROKEN)
                        v.error = true;
                NOTE(x == EXPOSE_NETWORK                          ? &v.bad
                     : x == EXPOSE_UNKNOWN || x == EXPOSE_BROKEN ? &v.unknown
                                                                  : &v.ok,
                     "%s", desc.s ? desc.s : "?");
                strbuf_done(&desc);
        }
        return domain_tally_verdict(&v, "no graphical console", ret);
}

/* The qemu.conf setting @key; remembers in *broken the first one that
 * could not be read (not "not installed"), so that "no authentication
 * found" is never concluded from a file nobody read. */
static const Fact *
conf_get(FactStore *facts, const char *key, const Fact **broken)
{
        const Fact *f = fact_store_get(facts, key);

        if (f->kind == FACT_ERROR && !fact_error_is_skip(f) && !*broken)
                *broken = f;
        return f;
}

static const char *
conf_nonempty(FactStore *facts, const char *key, const Fact **broken)
{
        const Fact *f = conf_get(facts, key, broken);

        return f->kind == FACT_STRING && f->string[0] ? f->string : NULL;
}

/* What authenticates this display, or NULL. */
static const char *
graphics_auth(FactStore *facts, const DomainGraphics *g, const Fact **broken)
{
        if (g->passwd)
                return "passwd set";
        if (str_eq(g->type, "vnc")) {
                if (fact_is(conf_get(facts, "qemu.conf:vnc_tls", broken), "1"))
                        return "qemu.conf vnc_tls = 1";
                if (fact_is(conf_get(facts, "qemu.conf:vnc_sasl", broken), "1"))
                        return "qemu.conf vnc_sasl = 1";
                if (conf_nonempty(facts, "qemu.conf:vnc_password", broken))
                        return "qemu.conf vnc_password set";
        } else if (str_eq(g->type, "spice")) {
                if (fact_is(conf_get(facts, "qemu.conf:spice_sasl", broken), "1"))
                        return "qemu.conf spice_sasl = 1";
                if (conf_nonempty(facts, "qemu.conf:spice_password", broken))
                        return "qemu.conf spice_password set";
                if (str_eq(g->default_mode, "secure") &&
                    fact_is(conf_get(facts, "qemu.conf:spice_tls", broken), "1"))
                        return "defaultMode='secure' with qemu.conf spice_tls = 1";
        }
        return NULL;
}

static int
graphics_authenticated(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret)
{
        const Domain *d = e->model;
        StrBuf local = {};
        DeviceTally v = {};
        int r;

        (void) ds;
        for (size_t i = 0; i < d->n_graphics; i++) {
                const DomainGraphics *g = &d->graphics[i];
                StrBuf desc = {};
                Exposure x = graphics_exposure(facts, g, &desc);
                const Fact *broken = NULL;
                const char *auth;

                if (x == EXPOSE_NONE || x == EXPOSE_LOCAL) {
                        NOTE(&local, "%s", desc.s ? desc.s : "?");
                        strbuf_done(&desc);
                        continue;
                }
                v.n_items++;
                auth = graphics_auth(facts, g, &broken);
                if (x == EXPOSE_BROKEN)
                        v.error = true;
                if (auth)
                        NOTE(&v.ok, "%s: %s", desc.s ? desc.s : "?", auth);
                else if (broken)
                        (void) domain_tally_unusable(&v, desc.s ? desc.s : "?", broken);
                else
                        NOTE(x == EXPOSE_NETWORK ? &v.bad : &v.unknown, "%s: no passwd, TLS or SASL",
                             desc.s ? desc.s : "?");
                strbuf_done(&desc);
        }
        if (v.n_items == 0) {
                domain_tally_done(&v);
                if (d->n_graphics == 0)
                        r = verdict_set(ret, STATUS_SKIP, "no graphical console");
                else if (local.oom)
                        r = -ENOMEM;
                else
                        r = verdict_set(ret, STATUS_SKIP, "no network-facing display: %s", local.s);
                strbuf_done(&local);
                return r;
        }
        strbuf_done(&local);
        return domain_tally_verdict(&v, NULL, ret);
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
use_index(FactStore *facts, const DomainSet *ds)
{
        UseIndex *x = fact_store_attachment(facts, "use-index");
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
        if (fact_store_attach(facts, "use-index", x, use_index_free) < 0)
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
disk_not_shared_writable(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret)
{
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
                const UseIndex *x = use_index(facts, ds);
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
        return domain_tally_verdict(&v, "no writable disk with a source", ret);
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
block_relation(FactStore *facts, const char *disk, const char *host)
{
        const Fact *a, *b;
        const char *da, *hb;
        char pa[64], pb[64];

        if (streq(disk, host))
                return "is";
        a = fact_store_get2(facts, "stat", disk);
        b = fact_store_get2(facts, "stat", host);
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
blockdev_label(FactStore *facts, const char *dev)
{
        const char *name = blockdev_field(fact_store_get2(facts, "blockdev", dev), "name");

        return name ? xasprintf("%s (%s)", dev, name) : strdup(dev);
}

/* Compares disk @k, whose device is @dev ("MAJ:MIN"), with the devices the
 * host uses: it is one, a partition of one, or contains one.  Returns 1
 * when it noted a finding or an unknown, 0 when the disk is clear. */
static int
block_disk_vs_used(FactStore *facts, DeviceTally *v, const DomainDisk *k, const char *dev, char *const *used)
{
        static const char *const relations[] = {"is host-used device", "is a partition of host-used device",
                                                "contains host-used device"};
        const Fact *self = fact_store_get2(facts, "blockdev", dev);
        StrBuf found[ELEMENTSOF(relations)] = {};
        const char *parent;
        bool noted = false;

        if (domain_tally_unusable(v, disk_name(k), self))
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
                        const Fact *uf = fact_store_get2(facts, "blockdev", *u);
                        if (domain_tally_unusable(v, *u, uf)) {
                                noted = true;
                                continue;
                        }
                        if (!str_eq(blockdev_field(uf, "parent"), dev))
                                continue;
                        rel = 2;
                }
                label = blockdev_label(facts, *u);
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
block_disk_not_host_used(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret)
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

        (void) ds;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                const char *type = disk_type(k);
                const Fact *rd;

                if (!k->source)
                        continue;
                if (streq(type, "file")) {
                        const Fact *st = fact_store_get2(facts, "stat", k->source);
                        if (st->kind != FACT_STAT || !S_ISBLK(st->stat.mode))
                                continue;
                } else if (!streq(type, "block"))
                        continue;
                v.n_items++;
                rd = fact_store_get2(facts, "realdev", k->source);
                if (!used)
                        used = fact_store_get(facts, "mount:devices");
                if (rd->kind == FACT_STRING && used->kind == FACT_LIST) {
                        r = block_disk_vs_used(facts, &v, k, rd->string, used->list);
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
                if (domain_tally_unusable(&v, disk_name(k), rd))
                        continue;
                /* Host use unknown: the kernel command line still names
                 * the root and resume devices. */
                for (size_t j = 0; j < ELEMENTSOF(params); j++) {
                        const Fact *p = fact_store_get(facts, params[j]);
                        const char *rel;

                        if (p->kind != FACT_STRING || !startswith(p->string, "/dev/"))
                                continue;
                        rel = block_relation(facts, k->source, p->string);
                        if (rel)
                                NOTE(&v.bad, "disk %s %s %s the host's %s=%s", disk_name(k), k->source, rel,
                                     params[j] + strlen("cmdline:"), p->string);
                }
                if (!used_noted && !domain_tally_unusable(&v, "mount:devices", used)) {
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
        return domain_tally_verdict(&v, none ? none : "no disk is a block device", ret);
}

/* ---- devices ---- */

/* ---- files ---- */

static int
nvram_loader_private(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret)
{
        const DomainOs *os = &e->model->os;
        DeviceTally v = {};

        /* <loader secure='yes'/> without a path: the firmware is
         * autoselected, there is no file to judge (and "stat:" is no key) */
        if (os->loader && os->loader[0]) {
                const Fact *f = fact_store_get2(facts, "stat", os->loader);
                bool pflash = str_eq(os->loader_type, "pflash");

                v.n_items++;
                if (pflash && os->loader_readonly != DOMAIN_TRISTATE_YES)
                        NOTE(&v.bad, "pflash loader %s: readonly='%s'", os->loader,
                             domain_tristate_to_string(os->loader_readonly));
                if (f->kind == FACT_ERROR)
                        (void) domain_tally_unusable(&v, os->loader, f);
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
                const Fact *f = fact_store_get2(facts, "stat", os->nvram);
                bool shared = false;

                v.n_items++;
                const UseIndex *x = use_index(facts, ds);
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
                        (void) domain_tally_unusable(&v, os->nvram, f);
                else if (f->kind == FACT_ABSENT) {
                        if (!shared)
                                NOTE(&v.ok, "NVRAM %s not created yet, used by no other domain", os->nvram);
                } else if (f->stat.mode & S_IRWXO)
                        NOTE(&v.bad, "NVRAM %s: mode %04o has world bits", os->nvram, f->stat.mode & 07777);
                else if (!shared)
                        NOTE(&v.ok, "NVRAM %s: mode %04o, used by no other domain", os->nvram, f->stat.mode & 07777);
        }
        return domain_tally_verdict(&v, str_eq(os->firmware, "efi") ? "firmware autoselected: no loader or NVRAM path in the definition"
                                                        : "no firmware loader or NVRAM file", ret);
}

/*
 * The judges are pure functions of one domain (the engine iterates the
 * domains, reports an unparsable definition and "no domain"); those that
 * compare it with the other domains read the whole parsed set, which is
 * built once per scan.
 */
static int
cmp_entry_name(const void *a, const void *b)
{
        const DomainEntry *const *x = a, *const *y = b;

        return strcmp((*x)->name, (*y)->name);
}

typedef struct DomainIndex {
        const DomainEntry **v; /* by name */
        size_t n;
} DomainIndex;

static void
domain_index_free(void *p)
{
        DomainIndex *x = p;

        if (x)
                free(x->v);
        free(x);
}

/* The entry of domain @name in @ds, through an index by name built once
 * (a facts file's list need not be sorted). */
static const DomainEntry *
domain_entry_find(FactStore *facts, const DomainSet *ds, const char *name)
{
        DomainIndex *x = fact_store_attachment(facts, "domain-index");
        const DomainEntry key = {.name = (char *) name}, *kp = &key, **found;

        if (!x) {
                x = calloc(1, sizeof(*x));
                if (!x)
                        return NULL;
                x->v = calloc(ds->n ? ds->n : 1, sizeof(*x->v));
                if (!x->v) {
                        free(x);
                        return NULL;
                }
                for (size_t i = 0; i < ds->n; i++)
                        x->v[x->n++] = &ds->v[i];
                qsort(x->v, x->n, sizeof(*x->v), cmp_entry_name);
                if (fact_store_attach(facts, "domain-index", x, domain_index_free) < 0) {
                        domain_index_free(x);
                        return NULL;
                }
        }
        found = bsearch(&kp, x->v, x->n, sizeof(*x->v), cmp_entry_name);
        return found ? *found : NULL;
}

int
domain_judge(const JudgeCall *call, DomainJudgeFunc fn, Verdict *ret)
{
        EvalContext ctx = {.check = call->check, .facts = call->facts};
        const DomainEntry *e;
        const DomainSet *ds;
        const Fact *list;

        if (!call->object)
                return -EINVAL; /* a domain judge in a check of another scope */
        ds = eval_domains(&ctx, &list);
        if (!ds)
                return list->kind == FACT_LIST ? -ENOMEM : -ENODATA;
        e = domain_entry_find(call->facts, ds, call->object);
        if (!e)
                return -ENOMEM;
        if (!e->model)
                return verdict_set(ret, STATUS_ERROR, "%s", e->error ? e->error : "unparsable definition");
        return fn(call->facts, ds, e, ret);
}

#define DOMAIN_JUDGE(name, fn)                                                  \
        static int judge_domain_##name(const JudgeCall *call, Verdict *ret)     \
        {                                                                       \
                return domain_judge(call, fn, ret);                             \
        }

DOMAIN_JUDGE(block_disk_not_host_used, block_disk_not_host_used)
DOMAIN_JUDGE(disk_not_shared_writable, disk_not_shared_writable)
DOMAIN_JUDGE(graphics_authenticated, graphics_authenticated)
DOMAIN_JUDGE(graphics_loopback_only, graphics_loopback_only)
DOMAIN_JUDGE(nvram_loader_private, nvram_loader_private)

/* Sorted by name; a new judge is one line here plus its function. */
const Judge judges_domain[] = {
        {"domain-block-disk-not-host-used", judge_domain_block_disk_not_host_used, NULL},
        {"domain-console-log-private",      judge_domain_console_log_private,      NULL},
        {"domain-disk-not-shared-writable", judge_domain_disk_not_shared_writable, NULL},
        {"domain-files-private",            judge_domain_files_private,            NULL},
        {"domain-graphics-authenticated",   judge_domain_graphics_authenticated,   NULL},
        {"domain-graphics-loopback-only",   judge_domain_graphics_loopback_only,   NULL},
        {"domain-nvram-loader-private",     judge_domain_nvram_loader_private,     NULL},
};

const size_t judges_domain_count = ELEMENTSOF(judges_domain);
