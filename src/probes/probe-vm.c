/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vm:NAME/FIELD, a derived namespace: what a domain's definition says, one
 * fact per observation, computed from the domain:NAME facts through the
 * domain model (src/domain/).  Nothing here opens a host file, so the
 * namespace is the same whether the domain facts came from libvirt, from
 * /etc/libvirt/qemu or from a facts file.
 *
 * Observations, not verdicts: a list has one item per device of the kind
 * its field names, in document order, and an attribute the XML leaves out
 * is the item "(absent)" (a scalar field is then an absent fact).  Where a
 * field applies a libvirt default or a classification (the loopback test,
 * the i440fx machine names), docs/check-format.md says which and why.
 * The fields are listed in probe_vm_rules below and documented in
 * docs/check-format.md ("vm" rows).  The first read of any field of a
 * domain parses its definition once and stores every field of it.
 */
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "domain-files.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* The item a list gets for an attribute the XML leaves out. */
#define VM_ABSENT "(absent)"

/*
 * Every field, with the kind of its value: the facts-file rules of the
 * namespace and the list of keys an unparsable definition turns into
 * errors.  Keep docs/check-format.md in step.
 */
const FactRule probe_vm_rules[] = {
        {"*/chardev.exposed",          FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/chardev.network",          FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/cpu.mode",                 FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/disk.backing.format",      FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.backing.unformatted", FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.buses",               FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.devices",             FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.floppy",              FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.local.format",        FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.local.source",        FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.local.unformatted",   FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.lun.rawio",           FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.lun.sgio",            FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.network.auth",        FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.network.nbd-tls",     FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.network.protocol",    FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.norelabel",           FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/disk.source-relabel",      FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/features.smm",             FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/filesystem.9p.accessmode", FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/filesystem.drivers",       FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/filesystem.source",        FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/graphics.listen",          FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/graphics.passwd",          FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/graphics.types",           FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/hostdev.pci.address",      FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/hostdev.pci.driver",       FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/hostdev.pci.managed",      FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/interface.custom-filter-rules", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/interface.filterref",      FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/interface.types",          FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/interface.unfiltered",     FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/launch-security",          FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/nic.models",               FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/os.arch",                  FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.firmware",              FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.firmware.secure-boot",  FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.i440fx",                FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.loader",                FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.loader.readonly",       FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.loader.secure",         FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.loader.type",           FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.machine",               FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.nvram",                 FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/os.x86",                   FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/qemu.args",                FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/qemu.elements",            FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/rng.backends",             FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/rng.models",               FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/rng.sources",              FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/seclabel.none-models",     FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/seclabel.norelabel",       FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/sound.models",             FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/tpm.backends",             FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/tpm.models",               FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/tpm.passthrough.devices",  FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/usb.models",               FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/video.models",             FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

/* Facts of one domain under construction: the key prefix "vm:NAME/" and
 * the first error, after which every put is a no-op. */
typedef struct VmOut {
        FactStore *store;
        const char *name;
        int error;
} VmOut;

static bool
str_eq(const char *a, const char *b)
{
        return a && b && streq(a, b);
}

/* A value written as "(absent)" is quoted, so that it never reads as the
 * attribute left out (which a condition may accept). */
static const char *
or_absent(const char *s)
{
        if (!s)
                return VM_ABSENT;
        return streq(s, VM_ABSENT) ? "\"" VM_ABSENT "\"" : s;
}

static const char *
tristate_item(DomainTristate t)
{
        return t == DOMAIN_TRISTATE_ABSENT ? VM_ABSENT : domain_tristate_to_string(t);
}

static void
put_fact(VmOut *o, const char *field, Fact *f)
{
        _cleanup_free_ char *key = NULL;
        int r;

        if (o->error < 0) {
                fact_done(f);
                return;
        }
        key = xasprintf("vm:%s/%s", o->name, field);
        if (!key) {
                fact_done(f);
                o->error = -ENOMEM;
                return;
        }
        r = fact_store_put(o->store, key, f);
        if (r < 0)
                o->error = r;
}

/* A scalar: the value, or an absent fact for NULL. */
static void
put_string(VmOut *o, const char *field, const char *value)
{
        Fact f = {.kind = value ? FACT_STRING : FACT_ABSENT};

        if (value && !(f.string = strdup(value))) {
                o->error = o->error < 0 ? o->error : -ENOMEM;
                return;
        }
        put_fact(o, field, &f);
}

static void
put_tristate(VmOut *o, const char *field, DomainTristate t)
{
        put_string(o, field, t == DOMAIN_TRISTATE_ABSENT ? NULL : domain_tristate_to_string(t));
}

/* Takes *list (NULL: the empty list). */
static void
put_list(VmOut *o, const char *field, char ***list)
{
        Fact f = {.kind = FACT_LIST, .list = *list ? *list : calloc(1, sizeof(char *))};

        *list = NULL;
        if (!f.list) {
                o->error = o->error < 0 ? o->error : -ENOMEM;
                return;
        }
        put_fact(o, field, &f);
}

/*
 * "interface.custom-filter-rules": what the nwfilters other than
 * clean-traffic and clean-traffic-gateway that interfaces name let
 * through.  kvmaudit collects no nwfilter definition, so with any such
 * filter this is unknown: an error that skips ("not collected"), not an
 * empty list that would read as "no rule".  Takes *names.
 */
static void
put_filter_rules(VmOut *o, char ***names)
{
        _cleanup_strv_free_ char **l = TAKE_PTR(*names);
        _cleanup_free_ char *key = NULL, *joined = NULL;
        int r;

        if (!l) {
                put_list(o, "interface.custom-filter-rules", &l);
                return;
        }
        if (o->error < 0)
                return;
        key = xasprintf("vm:%s/interface.custom-filter-rules", o->name);
        joined = strv_join(l, ", ");
        if (!key || !joined) {
                o->error = -ENOMEM;
                return;
        }
        r = fact_store_set_error(o->store, key, -EOPNOTSUPP,
                                 "nwfilter %s: its rules are not collected (kvmaudit reads no nwfilter definition), "
                                 "so the anti-spoofing it gives is not judged",
                                 joined);
        if (r < 0)
                o->error = r;
}

/* Appends @s to *l, recording ENOMEM in @o. */
static void
add(VmOut *o, char ***l, const char *s)
{
        if (o->error >= 0 && strv_extend(l, s) < 0)
                o->error = -ENOMEM;
}

/* Takes @s (NULL: ENOMEM). */
static void
add_take(VmOut *o, char ***l, char *s)
{
        if (!s) {
                o->error = o->error < 0 ? o->error : -ENOMEM;
                return;
        }
        if (o->error < 0) {
                free(s);
                return;
        }
        if (strv_consume(l, s) < 0)
                o->error = -ENOMEM;
}

/* libvirt reads a <disk> without type as type='file'. */
static const char *
disk_type(const DomainDisk *k)
{
        return k->type ? k->type : "file";
}

/* PCI passthrough: <hostdev mode='subsystem' type='pci'> and
 * <interface type='hostdev'> (which libvirt also assigns with VFIO). */
static bool
hostdev_is_pci(const DomainHostdev *h)
{
        return h->from_interface || (str_eq(h->mode, "subsystem") && str_eq(h->type, "pci"));
}

static void
publish_os(VmOut *o, const Domain *d)
{
        const DomainOs *os = &d->os;
        const char *a = os->arch, *m = os->machine;
        bool x86, i440fx;

        /* Without an arch, the machine names the architecture: libvirt's
         * x86 machines are "pc", "pc-*", "q35" and "pc-q35-*". */
        if (a)
                x86 = streq(a, "x86_64") || streq(a, "i686");
        else
                x86 = m && (startswith(m, "pc") || startswith(m, "q35"));
        /* libvirt's x86 default machine is "pc", the i440fx PC; every
         * "pc-*" but "pc-q35-*" is i440fx too. */
        i440fx = x86 && (!m || streq(m, "pc") || (startswith(m, "pc-") && !startswith(m, "pc-q35")));

        put_string(o, "os.arch", a);
        put_string(o, "os.machine", m);
        put_string(o, "os.x86", x86 ? "yes" : "no");
        put_string(o, "os.i440fx", i440fx ? "yes" : "no");
        put_string(o, "os.firmware", os->firmware);
        put_tristate(o, "os.firmware.secure-boot", os->firmware_secure_boot);
        put_string(o, "os.loader", os->loader);
        put_string(o, "os.loader.type", os->loader_type);
        put_tristate(o, "os.loader.secure", os->loader_secure);
        put_tristate(o, "os.loader.readonly", os->loader_readonly);
        put_string(o, "os.nvram", os->nvram);
        put_tristate(o, "features.smm", d->smm);
        put_string(o, "launch-security", d->launch_security);
        /* <cpu> without mode is libvirt's custom mode. */
        put_string(o, "cpu.mode", d->has_cpu ? (d->cpu_mode ? d->cpu_mode : "custom") : NULL);
}

static void
publish_qemu(VmOut *o, const Domain *d)
{
        _cleanup_strv_free_ char **elements = NULL, **args = NULL;

        if (d->qemu_commandline)
                add(o, &elements, "commandline");
        if (d->qemu_capabilities)
                add(o, &elements, "capabilities");
        if (d->qemu_override)
                add(o, &elements, "override");
        STRV_FOREACH(p, d->qemu_args)
                add(o, &args, *p);
        put_list(o, "qemu.elements", &elements);
        put_list(o, "qemu.args", &args);
}

static void
publish_seclabels(VmOut *o, const Domain *d)
{
        _cleanup_strv_free_ char **none = NULL, **norelabel = NULL;

        for (size_t i = 0; i < d->n_seclabels; i++) {
                const DomainSeclabel *s = &d->seclabels[i];

                if (str_eq(s->type, "none"))
                        add(o, &none, or_absent(s->model));
                /* TYPE:MODEL:label|nolabel; a static label in the
                 * definition is how a VM runs in its own policy module. */
                if (s->relabel == DOMAIN_TRISTATE_NO)
                        add_take(o, &norelabel,
                                 xasprintf("%s:%s:%s", s->type ? s->type : "dynamic", or_absent(s->model),
                                           s->label ? "label" : "nolabel"));
        }
        put_list(o, "seclabel.none-models", &none);
        put_list(o, "seclabel.norelabel", &norelabel);
}

static void
publish_disks(VmOut *o, const Domain *d)
{
        _cleanup_strv_free_ char **devices = NULL, **buses = NULL, **relabel = NULL, **rawio = NULL, **sgio = NULL,
                                 **protocol = NULL, **auth = NULL, **nbd_tls = NULL, **format = NULL,
                                 **source = NULL, **backing = NULL, **floppy = NULL, **norelabel = NULL,
                                 **unformatted = NULL, **local_unformatted = NULL;

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                const char *type = disk_type(k);

                /* libvirt's default device is disk */
                add(o, &devices, k->device ? k->device : "disk");
                add(o, &buses, or_absent(k->target_bus));
                if (str_eq(k->device, "floppy"))
                        add(o, &floppy, or_absent(k->target_dev));
                for (size_t j = 0; j < k->n_seclabels; j++) {
                        const DomainSeclabel *l = &k->seclabels[j];

                        add(o, &relabel, tristate_item(l->relabel));
                        if (l->relabel == DOMAIN_TRISTATE_NO)
                                add_take(o, &norelabel, xasprintf("%s %s", or_absent(k->target_dev),
                                                                  l->model ? l->model : "(every model)"));
                }
                if (str_eq(k->device, "lun")) {
                        add(o, &rawio, tristate_item(k->rawio));
                        add(o, &sgio, or_absent(k->sgio));
                }
                if (streq(type, "network")) {
                        add(o, &protocol, or_absent(k->protocol));
                        if (str_eq(k->protocol, "rbd") || str_eq(k->protocol, "iscsi"))
                                add(o, &auth, !k->has_auth                                        ? VM_ABSENT
                                              : k->auth_secret_uuid || k->auth_secret_usage ? "secret"
                                                                                            : "no-secret");
                        else if (str_eq(k->protocol, "nbd"))
                                add(o, &nbd_tls, tristate_item(k->tls));
                }
                /* what QEMU opens as an image file: an empty removable
                 * drive opens nothing */
                if ((streq(type, "file") || streq(type, "block")) && k->source) {
                        add(o, &source, k->source);
                        add(o, &format, or_absent(k->driver_type));
                        if (!k->driver_type)
                                add(o, &local_unformatted, k->source);
                        for (size_t j = 0; j < k->n_backing; j++) {
                                const DomainBackingStore *b = &k->backing[j];

                                if (!b->path && !b->name)
                                        continue;
                                add(o, &backing, or_absent(b->format));
                                if (!b->format)
                                        add(o, &unformatted, b->path ? b->path : b->name);
                        }
                }
        }
        put_list(o, "disk.devices", &devices);
        put_list(o, "disk.buses", &buses);
        put_list(o, "disk.source-relabel", &relabel);
        put_list(o, "disk.lun.rawio", &rawio);
        put_list(o, "disk.lun.sgio", &sgio);
        put_list(o, "disk.network.protocol", &protocol);
        put_list(o, "disk.network.auth", &auth);
        put_list(o, "disk.network.nbd-tls", &nbd_tls);
        put_list(o, "disk.local.source", &source);
        put_list(o, "disk.local.format", &format);
        put_list(o, "disk.backing.format", &backing);
        put_list(o, "disk.backing.unformatted", &unformatted);
        put_list(o, "disk.local.unformatted", &local_unformatted);
        put_list(o, "disk.floppy", &floppy);
        put_list(o, "disk.norelabel", &norelabel);
}

/* The item of a tcp or udp character device reachable from other hosts,
 * or NULL when it binds and connects to loopback only.  QEMU binds every
 * address when a bind source has no host, and connects to localhost when
 * a connect source has none.  The item starts with what decides: "udp"
 * (no TLS), or for tcp "tcp:tls=yes" when a source says tls='yes', else
 * "tcp:tls=default" when one leaves tls out (qemu.conf chardev_tls then
 * decides), else "tcp:tls=no"; then the device and its first exposed
 * source ("serial bind 0.0.0.0:4555").  Caller frees. */
static char *
chardev_exposure(const DomainChardev *c, bool *ret_oom)
{
        bool tcp = str_eq(c->type, "tcp"), yes = false, dflt = false;
        const DomainChardevSource *exposed = NULL;

        *ret_oom = false;
        for (size_t j = 0; j < c->n_sources; j++) {
                const DomainChardevSource *s = &c->sources[j];

                if (!exposed && (s->host ? !domain_address_is_loopback(s->host) : str_eq(s->mode, "bind")))
                        exposed = s;
                if (s->tls == DOMAIN_TRISTATE_YES)
                        yes = true;
                else if (s->tls == DOMAIN_TRISTATE_ABSENT)
                        dflt = true;
        }
        if (!exposed)
                return NULL;
        char *item = xasprintf("%s %s %s %s:%s",
                               !tcp ? "udp" : yes ? "tcp:tls=yes" : dflt ? "tcp:tls=default" : "tcp:tls=no",
                               domain_chardev_kind_to_string(c->kind), or_absent(exposed->mode),
                               exposed->host ? exposed->host : "*", or_absent(exposed->service));
        *ret_oom = !item;
        return item;
}

static void
publish_chardevs(VmOut *o, const Domain *d)
{
        _cleanup_strv_free_ char **network = NULL, **exposed = NULL;

        for (size_t i = 0; i < d->n_chardevs; i++) {
                const DomainChardev *c = &d->chardevs[i];
                char *x;
                bool oom;

                if (!str_eq(c->type, "tcp") && !str_eq(c->type, "udp"))
                        continue;
                add_take(o, &network, xasprintf("%s %s", domain_chardev_kind_to_string(c->kind), c->type));
                x = chardev_exposure(c, &oom);
                if (x || oom)
                        add_take(o, &exposed, x);
        }
        put_list(o, "chardev.network", &network);
        put_list(o, "chardev.exposed", &exposed);
}

/* "address 0.0.0.0", "socket", "network default", "none", one per
 * <listen> (or the listen= attribute), comma-joined; "(absent)" for a
 * display that names no listener. */
static char *
graphics_listen(const DomainGraphics *g)
{
        StrBuf b = {};

        if (g->socket)
                strbuf_printf(&b, "socket %s", g->socket);
        else if (g->n_listens == 0 && g->listen)
                strbuf_printf(&b, "address %s", g->listen);
        for (size_t i = 0; !g->socket && i < g->n_listens; i++) {
                const DomainGraphicsListen *l = &g->listens[i];
                const char *arg = str_eq(l->type, "network") ? l->network
                                  : str_eq(l->type, "socket") ? l->socket
                                                              : l->address;

                strbuf_printf(&b, "%s%s%s%s", i > 0 ? "," : "", l->type ? l->type : "address", arg ? " " : "",
                              arg ? arg : "");
        }
        if (b.len == 0)
                strbuf_append(&b, VM_ABSENT);
        return strbuf_steal(&b);
}

static void
publish_graphics(VmOut *o, const Domain *d)
{
        _cleanup_strv_free_ char **types = NULL, **listen = NULL, **passwd = NULL;

        for (size_t i = 0; i < d->n_graphics; i++) {
                const DomainGraphics *g = &d->graphics[i];

                add(o, &types, or_absent(g->type));
                add_take(o, &listen, graphics_listen(g));
                add(o, &passwd, g->passwd ? "yes" : "no");
        }
        put_list(o, "graphics.types", &types);
        put_list(o, "graphics.listen", &listen);
        put_list(o, "graphics.passwd", &passwd);
}

static void
publish_devices(VmOut *o, const Domain *d)
{
        _cleanup_strv_free_ char **pci_addr = NULL, **pci_driver = NULL, **pci_managed = NULL, **tpm_models = NULL,
                                 **tpm_backends = NULL, **iftypes = NULL, **nics = NULL, **filterref = NULL,
                                 **sounds = NULL, **usb = NULL, **videos = NULL, **rng_models = NULL,
                                 **rng_backends = NULL, **rng_sources = NULL, **accessmode = NULL,
                                 **fs_source = NULL, **fs_drivers = NULL, **unfiltered = NULL,
                                 **tpm_passthrough = NULL, **custom_filters = NULL;

        for (size_t i = 0; i < d->n_hostdevs; i++) {
                const DomainHostdev *h = &d->hostdevs[i];

                if (!hostdev_is_pci(h))
                        continue;
                add(o, &pci_addr, or_absent(h->pci_address));
                add(o, &pci_driver, or_absent(h->driver_name));
                add(o, &pci_managed, tristate_item(h->managed));
        }
        for (size_t i = 0; i < d->n_tpms; i++) {
                add(o, &tpm_models, or_absent(d->tpms[i].model));
                add(o, &tpm_backends, or_absent(d->tpms[i].backend_type));
                /* libvirt's passthrough device when <device path=> is left out */
                if (str_eq(d->tpms[i].backend_type, "passthrough"))
                        add(o, &tpm_passthrough, d->tpms[i].device_path ? d->tpms[i].device_path : "/dev/tpm0");
        }
        for (size_t i = 0; i < d->n_interfaces; i++) {
                const DomainInterface *n = &d->interfaces[i];

                add(o, &iftypes, or_absent(n->type));
                /* hostdev and vdpa interfaces are host hardware: no
                 * emulated NIC, so no model */
                if (!str_eq(n->type, "hostdev") && !str_eq(n->type, "vdpa"))
                        add(o, &nics, or_absent(n->model));
                if (str_eq(n->type, "bridge") || str_eq(n->type, "network")) {
                        const char *src = streq(n->type, "bridge") ? n->source_bridge : n->source_network;

                        add(o, &filterref, or_absent(n->filterref));
                        if (n->filterref && !streq(n->filterref, "clean-traffic") &&
                            !streq(n->filterref, "clean-traffic-gateway") && !strv_contains(custom_filters, n->filterref))
                                add(o, &custom_filters, n->filterref);
                        if (!n->filterref)
                                add_take(o, &unfiltered, xasprintf("%s %s", n->type, or_absent(src)));
                }
        }
        for (size_t i = 0; i < d->n_sounds; i++)
                add(o, &sounds, or_absent(d->sounds[i].model));
        for (size_t i = 0; i < d->n_controllers; i++)
                if (str_eq(d->controllers[i].type, "usb"))
                        add(o, &usb, or_absent(d->controllers[i].model));
        for (size_t i = 0; i < d->n_videos; i++)
                add(o, &videos, or_absent(d->videos[i].model));
        for (size_t i = 0; i < d->n_rngs; i++) {
                const DomainRng *g = &d->rngs[i];

                add(o, &rng_models, or_absent(g->model));
                add(o, &rng_backends, or_absent(g->backend_model));
                /* the host source the guest reads: the random backend's
                 * device (the <backend> text; empty is no file name, as
                 * libvirt's virXPathString() reads it), the model of any
                 * other */
                if (str_eq(g->backend_model, "random"))
                        add_take(o, &rng_sources,
                                 xasprintf("%s random %s", or_absent(g->model),
                                           or_absent(g->backend_path && g->backend_path[0] ? g->backend_path : NULL)));
                else
                        add_take(o, &rng_sources, xasprintf("%s %s", or_absent(g->model),
                                                            or_absent(g->backend_model)));
        }
        for (size_t i = 0; i < d->n_filesystems; i++) {
                const DomainFilesystem *f = &d->filesystems[i];

                /* a shared host directory: type='mount' (the default) */
                if (f->type && !streq(f->type, "mount"))
                        continue;
                add(o, &fs_drivers, or_absent(f->driver_type));
                if (!str_eq(f->driver_type, "virtiofs"))
                        add(o, &accessmode, or_absent(f->accessmode));
                if (f->source) {
                        /* the one lexical reading of src/domain/; a path it
                         * refuses (a ".." component, relative) is kept as
                         * written, for the check to name */
                        char *norm = NULL;
                        const char *why;

                        if (domain_path_normalize(f->source, &norm, &why) < 0)
                                norm = NULL;
                        add_take(o, &fs_source, norm ? norm : strdup(f->source));
                }
        }
        put_list(o, "hostdev.pci.address", &pci_addr);
        put_list(o, "hostdev.pci.driver", &pci_driver);
        put_list(o, "hostdev.pci.managed", &pci_managed);
        put_list(o, "tpm.models", &tpm_models);
        put_list(o, "tpm.backends", &tpm_backends);
        put_list(o, "tpm.passthrough.devices", &tpm_passthrough);
        put_filter_rules(o, &custom_filters);
        put_list(o, "interface.types", &iftypes);
        put_list(o, "nic.models", &nics);
        put_list(o, "interface.filterref", &filterref);
        put_list(o, "interface.unfiltered", &unfiltered);
        put_list(o, "sound.models", &sounds);
        put_list(o, "usb.models", &usb);
        put_list(o, "video.models", &videos);
        put_list(o, "rng.models", &rng_models);
        put_list(o, "rng.backends", &rng_backends);
        put_list(o, "rng.sources", &rng_sources);
        put_list(o, "filesystem.9p.accessmode", &accessmode);
        put_list(o, "filesystem.source", &fs_source);
        put_list(o, "filesystem.drivers", &fs_drivers);
}

/* Every field of domain @name reads as error @err with @message. */
static int
publish_error(FactStore *s, const char *name, int err, const char *message)
{
        for (const FactRule *r = probe_vm_rules; r->pattern; r++) {
                _cleanup_free_ char *key = xasprintf("vm:%s/%s", name, r->pattern + strlen("*/"));
                int k;

                if (!key)
                        return -ENOMEM;
                k = fact_store_set_error(s, key, err, "%s", message);
                if (k < 0)
                        return k;
        }
        return 0;
}

int
probe_vm_publish(FactStore *s, const char *name, const Domain *d)
{
        VmOut o = {.store = s, .name = name};

        publish_os(&o, d);
        publish_qemu(&o, d);
        publish_seclabels(&o, d);
        publish_disks(&o, d);
        publish_chardevs(&o, d);
        publish_graphics(&o, d);
        publish_devices(&o, d);
        return o.error;
}

/* Every field of domain @name reads as absent. */
static int
publish_absent(FactStore *s, const char *name)
{
        for (const FactRule *r = probe_vm_rules; r->pattern; r++) {
                _cleanup_free_ char *key = xasprintf("vm:%s/%s", name, r->pattern + strlen("*/"));
                int k;

                if (!key)
                        return -ENOMEM;
                k = fact_store_set_absent(s, key);
                if (k < 0)
                        return k;
        }
        return 0;
}

static bool
vm_field_known(const char *field)
{
        for (const FactRule *r = probe_vm_rules; r->pattern; r++)
                if (streq(r->pattern + strlen("*/"), field))
                        return true;
        return false;
}

int
probe_vm_derive(FactStore *s, const char *name)
{
        const char *slash = strrchr(name, '/');
        _cleanup_free_ char *domain = NULL, *origin = NULL, *error = NULL, *key = NULL;
        _cleanup_domain_free_ Domain *d = NULL;
        const Fact *xml;
        int r;

        /* NAME/FIELD: a domain name may hold '/' in a facts file, a field
         * never does */
        if (!slash || slash == name || !vm_field_known(slash + 1)) {
                key = xasprintf("vm:%s", name);
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_error(s, key, -EINVAL, "%s: no such field of the vm namespace (docs/check-format.md)",
                                         key);
                return r < 0 ? r : 1;
        }
        domain = strndup(name, slash - name);
        if (!domain)
                return -ENOMEM;
        xml = fact_store_get2(s, "domain", domain);
        if (xml->kind == FACT_ERROR)
                r = publish_error(s, domain, xml->error, xml->string ? xml->string : "unreadable");
        else if (xml->kind != FACT_STRING)
                r = publish_absent(s, domain); /* no such domain */
        else {
                origin = xasprintf("domain %s", domain);
                if (!origin)
                        return -ENOMEM;
                r = domain_parse(xml->string, strlen(xml->string), origin, &d, &error);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        r = publish_error(s, domain, r, error ? error : strerror(-r));
                else
                        r = probe_vm_publish(s, domain, d);
        }
        return r < 0 ? r : 1;
}
