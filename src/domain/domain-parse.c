/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvirt domain XML → Domain.  The only file of the domain layer that
 * includes libxml2.
 *
 * Hostile input is expected (a tenant may write the XML that an operator
 * later audits or turns into a profile), so the text is read by the one
 * hardened reader (src/xml/xml-read.h: bounded size and depth, no network,
 * no DTD, a DOCTYPE refused outright so no entity can exist to expand) and
 * the walk below bounds the device count.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "domain.h"
#include "macro.h"
#include "strv.h"
#include "util.h"
#include "xml-read.h"

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

static inline const char *
strempty(const char *s)
{
        return s ? s : "";
}

typedef struct Parser {
        const char *origin;
        int r;       /* the first error, 0 if none */
        char *error; /* its message */
} Parser;

static void
parser_failv(Parser *p, int r, long line, const char *fmt, va_list ap)
{
        _cleanup_free_ char *msg = NULL;

        if (p->r < 0)
                return; /* the first error is the one reported */
        p->r = r;
        if (r == -ENOMEM)
                return;
        if (vasprintf(&msg, fmt, ap) < 0)
                return;
        p->error = line > 0 ? xasprintf("%s:%ld: %s", p->origin, line, msg)
                            : xasprintf("%s: %s", p->origin, msg);
        if (p->error)
                text_sanitize(p->error); /* it quotes the input */
}

static _printf_(4, 5) void
parser_fail(Parser *p, int r, const xmlNode *n, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        parser_failv(p, r, n ? xmlGetLineNo(n) : 0, fmt, ap);
        va_end(ap);
}

static void
parser_oom(Parser *p)
{
        if (p->r == 0)
                p->r = -ENOMEM;
}

/* Elements of libvirt's own vocabulary are in no namespace. */
static bool
is_elem(const xmlNode *n, const char *name)
{
        return n->type == XML_ELEMENT_NODE && !n->ns &&
               xmlStrEqual(n->name, (const xmlChar *) name);
}

static xmlNode *
child(const xmlNode *n, const char *name)
{
        if (!n)
                return NULL;
        for (xmlNode *c = n->children; c; c = c->next)
                if (is_elem(c, name))
                        return c;
        return NULL;
}

static bool
has_element_children(const xmlNode *n)
{
        for (xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE)
                        return true;
        return false;
}

/* The text of an element or attribute; the document is at most
 * DOMAIN_XML_MAX bytes and holds no entity, so neither is its text. */
static char *
node_text(Parser *p, const xmlNode *n)
{
        char *s = NULL;
        int r;

        r = xml_node_text(n, DOMAIN_XML_MAX, &s);
        if (r < 0) {
                if (r == -ENOMEM)
                        parser_oom(p);
                else
                        parser_fail(p, r, n, "text longer than %u bytes", DOMAIN_XML_MAX);
                return NULL;
        }
        return s;
}

/* A copy of attribute @name (no namespace) of @n, NULL if absent. */
static char *
attr(Parser *p, const xmlNode *n, const char *name)
{
        xmlAttr *a;

        if (!n)
                return NULL;
        a = xmlHasNsProp((xmlNode *) n, (const xmlChar *) name, NULL);
        if (!a || a->type != XML_ATTRIBUTE_NODE)
                return NULL;
        return node_text(p, (const xmlNode *) a);
}

static bool
has_attr(const xmlNode *n, const char *name)
{
        return n && xmlHasNsProp((xmlNode *) n, (const xmlChar *) name, NULL);
}

/* A copy of the text of @n, NULL if @n is NULL. */
static char *
text(Parser *p, const xmlNode *n)
{
        if (!n)
                return NULL;
        return node_text(p, n);
}

/* The attribute of the first child element @elem. */
static char *
child_attr(Parser *p, const xmlNode *n, const char *elem, const char *name)
{
        return attr(p, child(n, elem), name);
}

static DomainTristate
tristate(Parser *p, const xmlNode *n, const char *name)
{
        _cleanup_free_ char *v = attr(p, n, name);

        if (!v)
                return DOMAIN_TRISTATE_ABSENT;
        if (streq(v, "yes") || streq(v, "on"))
                return DOMAIN_TRISTATE_YES;
        if (streq(v, "no") || streq(v, "off"))
                return DOMAIN_TRISTATE_NO;
        parser_fail(p, -EBADMSG, n, "invalid %s='%s' on <%s>, expected yes/no or on/off",
                    name, v, (const char *) n->name);
        return DOMAIN_TRISTATE_ABSENT;
}

/* Unsigned attribute in [0, max]; @def when absent, -1 after an error. */
static int64_t
uint_attr(Parser *p, const xmlNode *n, const char *name, uint64_t max, int64_t def)
{
        _cleanup_free_ char *v = attr(p, n, name);
        uint64_t u;

        if (!v)
                return def;
        if (parse_uint64(v, &u) < 0 || u > max) {
                parser_fail(p, -EBADMSG, n, "invalid %s='%s' on <%s>", name, v,
                            (const char *) n->name);
                return -1;
        }
        return (int64_t) u;
}

/* A port attribute: -1 when absent or -1 (automatic). */
static int
port_attr(Parser *p, const xmlNode *n, const char *name)
{
        _cleanup_free_ char *v = attr(p, n, name);
        int64_t i;

        if (!v)
                return -1;
        if (parse_int64(v, &i) < 0 || i < -1 || i > 65535) {
                parser_fail(p, -EBADMSG, n, "invalid %s='%s' on <%s>", name, v,
                            (const char *) n->name);
                return -1;
        }
        return (int) i;
}

/* Appends a zeroed element; NULL on OOM (recorded in @p). */
static void *
grow(Parser *p, void **arr, size_t *n, size_t size)
{
        void *a;
        void *e;

        a = reallocarray(*arr, *n + 1, size);
        if (!a) {
                parser_oom(p);
                return NULL;
        }
        *arr = a;
        e = (char *) a + *n * size;
        memset(e, 0, size);
        (*n)++;
        return e;
}
#define APPEND(p, arr, n) ((__typeof__(arr)) grow((p), (void **) &(arr), &(n), sizeof(*(arr))))

/* "dddd:bb:ss.f" from <address domain= bus= slot= function=>. */
static char *
pci_address(Parser *p, const xmlNode *a)
{
        int64_t dom, bus, slot, fn;
        char *s;

        dom = uint_attr(p, a, "domain", 0xffff, 0);
        bus = uint_attr(p, a, "bus", 0xff, 0);
        slot = uint_attr(p, a, "slot", 0x1f, 0);
        fn = uint_attr(p, a, "function", 0x7, 0);
        if (dom < 0 || bus < 0 || slot < 0 || fn < 0)
                return NULL;
        s = xasprintf("%04x:%02x:%02x.%x", (unsigned) dom, (unsigned) bus,
                      (unsigned) slot, (unsigned) fn);
        if (!s)
                parser_oom(p);
        return s;
}

static void
parse_seclabel(Parser *p, const xmlNode *n, DomainSeclabel *s)
{
        s->type = attr(p, n, "type");
        s->model = attr(p, n, "model");
        s->relabel = tristate(p, n, "relabel");
        s->label = text(p, child(n, "label"));
        s->imagelabel = text(p, child(n, "imagelabel"));
        s->baselabel = text(p, child(n, "baselabel"));
}

static void
parse_os(Parser *p, const xmlNode *n, DomainOs *os)
{
        if (!os->firmware)
                os->firmware = attr(p, n, "firmware");
        for (xmlNode *c = n->children; c; c = c->next) {
                if (is_elem(c, "type") && !os->type) {
                        os->type = text(p, c);
                        os->arch = attr(p, c, "arch");
                        os->machine = attr(p, c, "machine");
                } else if (is_elem(c, "loader") && !os->loader) {
                        os->loader = text(p, c);
                        os->loader_readonly = tristate(p, c, "readonly");
                        os->loader_secure = tristate(p, c, "secure");
                        os->loader_type = attr(p, c, "type");
                } else if (is_elem(c, "nvram") && !os->nvram && !os->nvram_template) {
                        xmlNode *src = child(c, "source");

                        /* libvirt ≥ 8.5 also writes <nvram type='file'><source file=/> */
                        os->nvram = src ? attr(p, src, "file") : NULL;
                        if (!src && (c->children || !has_attr(c, "template")))
                                os->nvram = text(p, c);
                        if (os->nvram && !os->nvram[0]) {
                                free(os->nvram);
                                os->nvram = NULL;
                        }
                        os->nvram_template = attr(p, c, "template");
                } else if (is_elem(c, "kernel") && !os->kernel)
                        os->kernel = text(p, c);
                else if (is_elem(c, "initrd") && !os->initrd)
                        os->initrd = text(p, c);
                else if (is_elem(c, "dtb") && !os->dtb)
                        os->dtb = text(p, c);
                else if (is_elem(c, "cmdline") && !os->cmdline)
                        os->cmdline = text(p, c);
                else if (is_elem(c, "firmware")) {
                        for (xmlNode *f = c->children; f; f = f->next) {
                                _cleanup_free_ char *name = NULL;

                                if (!is_elem(f, "feature"))
                                        continue;
                                name = attr(p, f, "name");
                                if (name && streq(name, "secure-boot"))
                                        os->firmware_secure_boot = tristate(p, f, "enabled");
                                else if (name && streq(name, "enrolled-keys"))
                                        os->firmware_enrolled_keys = tristate(p, f, "enabled");
                        }
                }
        }
}

static void
parse_auth(Parser *p, const xmlNode *auth, DomainDisk *d)
{
        xmlNode *secret = child(auth, "secret");

        if (d->has_auth)
                return;
        d->has_auth = true;
        d->auth_username = attr(p, auth, "username");
        d->auth_secret_type = attr(p, secret, "type");
        d->auth_secret_uuid = attr(p, secret, "uuid");
        d->auth_secret_usage = attr(p, secret, "usage");
}

/* The local path of a <source>: file=, dev= or dir=. */
static char *
source_path(Parser *p, const xmlNode *src)
{
        static const char *const names[] = { "file", "dev", "dir" };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (has_attr(src, names[i]))
                        return attr(p, src, names[i]);
        return NULL;
}

static void
parse_disk_source(Parser *p, const xmlNode *src, DomainDisk *d)
{
        d->source = source_path(p, src);
        d->protocol = attr(p, src, "protocol");
        d->source_name = attr(p, src, "name");
        d->pool = attr(p, src, "pool");
        d->volume = attr(p, src, "volume");
        d->tls = tristate(p, src, "tls");
        for (xmlNode *c = src->children; c; c = c->next) {
                if (is_elem(c, "host")) {
                        DomainNetHost *h = APPEND(p, d->hosts, d->n_hosts);

                        if (!h)
                                return;
                        h->name = attr(p, c, "name");
                        h->port = attr(p, c, "port");
                        h->transport = attr(p, c, "transport");
                        h->socket = attr(p, c, "socket");
                } else if (is_elem(c, "auth"))
                        parse_auth(p, c, d);
                else if (is_elem(c, "seclabel")) {
                        DomainSeclabel *s = APPEND(p, d->seclabels, d->n_seclabels);

                        if (!s)
                                return;
                        parse_seclabel(p, c, s);
                }
        }
}

static void
parse_backing_chain(Parser *p, const xmlNode *disk, DomainDisk *d)
{
        /* Each <backingStore> nests the next; DOMAIN_XML_DEPTH_MAX bounds the
         * chain.  An empty <backingStore/> says the chain ends there. */
        for (xmlNode *bs = child(disk, "backingStore"); bs; bs = child(bs, "backingStore")) {
                DomainBackingStore *b;
                xmlNode *src;

                if (!has_element_children(bs) && !has_attr(bs, "type")) {
                        d->backing_end = true;
                        return;
                }
                b = APPEND(p, d->backing, d->n_backing);
                if (!b)
                        return;
                src = child(bs, "source");
                b->type = attr(p, bs, "type");
                b->format = child_attr(p, bs, "format", "type");
                b->path = source_path(p, src);
                b->protocol = attr(p, src, "protocol");
                b->name = attr(p, src, "name");
        }
}

static void
parse_disk(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainDisk *d = APPEND(p, dom->disks, dom->n_disks);
        bool seen_source = false;

        if (!d)
                return;
        d->type = attr(p, n, "type");
        d->device = attr(p, n, "device");
        d->rawio = tristate(p, n, "rawio");
        d->sgio = attr(p, n, "sgio");
        for (xmlNode *c = n->children; c; c = c->next) {
                if (is_elem(c, "source") && !seen_source) {
                        seen_source = true;
                        parse_disk_source(p, c, d);
                } else if (is_elem(c, "driver") && !d->driver_name && !d->driver_type) {
                        d->driver_name = attr(p, c, "name");
                        d->driver_type = attr(p, c, "type");
                } else if (is_elem(c, "readonly"))
                        d->readonly = true;
                else if (is_elem(c, "shareable"))
                        d->shareable = true;
                else if (is_elem(c, "transient"))
                        d->transient = true;
                else if (is_elem(c, "auth"))
                        parse_auth(p, c, d);
                else if (is_elem(c, "target") && !d->target_dev && !d->target_bus) {
                        /* the first <target> wins, as for the other elements */
                        d->target_dev = attr(p, c, "dev");
                        d->target_bus = attr(p, c, "bus");
                }
        }
        parse_backing_chain(p, n, d);
}

static void
parse_graphics(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainGraphics *g = APPEND(p, dom->graphics, dom->n_graphics);

        if (!g)
                return;
        g->type = attr(p, n, "type");
        g->port = port_attr(p, n, "port");
        g->tls_port = port_attr(p, n, "tlsPort");
        g->autoport = tristate(p, n, "autoport");
        g->listen = attr(p, n, "listen");
        g->socket = attr(p, n, "socket");
        /* Only whether a password is set; its text never leaves libxml2. */
        g->passwd = has_attr(n, "passwd");
        g->default_mode = attr(p, n, "defaultMode");
        for (xmlNode *c = n->children; c; c = c->next) {
                if (is_elem(c, "listen")) {
                        DomainGraphicsListen *l = APPEND(p, g->listens, g->n_listens);

                        if (!l)
                                return;
                        l->type = attr(p, c, "type");
                        l->address = attr(p, c, "address");
                        l->network = attr(p, c, "network");
                        l->socket = attr(p, c, "socket");
                } else if (is_elem(c, "channel")) {
                        DomainGraphicsChannel *ch = APPEND(p, g->channels, g->n_channels);

                        if (!ch)
                                return;
                        ch->name = attr(p, c, "name");
                        ch->mode = attr(p, c, "mode");
                } else if (is_elem(c, "gl") && has_attr(c, "rendernode") && !g->rendernode)
                        g->rendernode = attr(p, c, "rendernode");
                else if (is_elem(c, "rendernode") && !g->rendernode)
                        g->rendernode = text(p, c);
        }
}

static void
parse_chardev(Parser *p, const xmlNode *n, DomainChardevKind kind, Domain *dom)
{
        DomainChardev *cd = APPEND(p, dom->chardevs, dom->n_chardevs);

        if (!cd)
                return;
        cd->kind = kind;
        cd->type = attr(p, n, "type");
        for (xmlNode *c = n->children; c; c = c->next) {
                if (is_elem(c, "source")) {
                        DomainChardevSource *s = APPEND(p, cd->sources, cd->n_sources);

                        if (!s)
                                return;
                        s->mode = attr(p, c, "mode");
                        s->path = attr(p, c, "path");
                        s->host = attr(p, c, "host");
                        s->service = attr(p, c, "service");
                        s->tls = tristate(p, c, "tls");
                        s->append = tristate(p, c, "append");
                } else if (is_elem(c, "protocol") && !cd->protocol)
                        cd->protocol = attr(p, c, "type");
                else if (is_elem(c, "log") && !cd->log_file) {
                        cd->log_file = attr(p, c, "file");
                        cd->log_append = tristate(p, c, "append");
                } else if (is_elem(c, "target") && !cd->target_type && !cd->target_name) {
                        cd->target_type = attr(p, c, "type");
                        cd->target_name = attr(p, c, "name");
                }
        }
}

/* The <source> of a <hostdev>, or of an <interface type='hostdev'>. */
static void
parse_hostdev_source(Parser *p, const xmlNode *src, DomainHostdev *h)
{
        bool pci = h->type && streq(h->type, "pci");
        bool usb = h->type && streq(h->type, "usb");
        bool mdev = h->type && streq(h->type, "mdev");
        xmlNode *addr = child(src, "address");

        if (pci && addr)
                h->pci_address = pci_address(p, addr);
        if (usb) {
                h->usb_vendor = (int) uint_attr(p, child(src, "vendor"), "id", 0xffff, -1);
                h->usb_product = (int) uint_attr(p, child(src, "product"), "id", 0xffff, -1);
                h->usb_bus = (int) uint_attr(p, addr, "bus", INT32_MAX, -1);
                h->usb_device = (int) uint_attr(p, addr, "device", INT32_MAX, -1);
        }
        if (mdev)
                h->mdev_uuid = attr(p, addr, "uuid");
        if (h->type && streq(h->type, "scsi")) {
                h->scsi_adapter = child_attr(p, src, "adapter", "name");
                h->scsi_protocol = attr(p, src, "protocol");
                h->scsi_name = attr(p, src, "name");
                if (addr) {
                        int64_t bus = uint_attr(p, addr, "bus", UINT32_MAX, 0);
                        int64_t target = uint_attr(p, addr, "target", UINT32_MAX, 0);
                        int64_t unit = uint_attr(p, addr, "unit", UINT64_MAX >> 1, 0);

                        if (bus >= 0 && target >= 0 && unit >= 0) {
                                h->scsi_address = xasprintf("%lld:%lld:%lld", (long long) bus,
                                                            (long long) target, (long long) unit);
                                if (!h->scsi_address)
                                        parser_oom(p);
                        }
                }
        }
        if (h->type && streq(h->type, "scsi_host"))
                h->wwpn = attr(p, src, "wwpn");
        if (h->mode && streq(h->mode, "capabilities")) {
                xmlNode *c = child(src, "block");

                if (!c)
                        c = child(src, "char");
                if (!c)
                        c = child(src, "interface");
                h->caps_path = text(p, c);
        }
}

static DomainHostdev *
hostdev_new(Parser *p, Domain *dom)
{
        DomainHostdev *h = APPEND(p, dom->hostdevs, dom->n_hostdevs);

        if (h)
                h->usb_vendor = h->usb_product = h->usb_bus = h->usb_device = -1;
        return h;
}

static void
parse_hostdev(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainHostdev *h = hostdev_new(p, dom);
        xmlNode *src;

        if (!h)
                return;
        h->mode = attr(p, n, "mode");
        h->type = attr(p, n, "type");
        h->managed = tristate(p, n, "managed");
        h->mdev_model = attr(p, n, "model");
        h->driver_name = child_attr(p, n, "driver", "name");
        h->readonly = child(n, "readonly") ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_ABSENT;
        h->shareable = child(n, "shareable") ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_ABSENT;
        src = child(n, "source");
        if (src)
                parse_hostdev_source(p, src, h);
}

static void
parse_interface(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainInterface *i = APPEND(p, dom->interfaces, dom->n_interfaces);
        xmlNode *src, *filter;

        if (!i)
                return;
        i->type = attr(p, n, "type");
        i->model = child_attr(p, n, "model", "type");
        src = child(n, "source");
        i->source_network = attr(p, src, "network");
        i->source_bridge = attr(p, src, "bridge");
        i->source_dev = attr(p, src, "dev");
        i->source_mode = attr(p, src, "mode");
        i->source_path = attr(p, src, "path");
        i->target_dev = child_attr(p, n, "target", "dev");
        i->script = child_attr(p, n, "script", "path");
        filter = child(n, "filterref");
        i->filterref = attr(p, filter, "filter");
        for (xmlNode *c = filter ? filter->children : NULL; c; c = c->next) {
                DomainParam *prm;

                if (!is_elem(c, "parameter"))
                        continue;
                prm = APPEND(p, i->filter_params, i->n_filter_params);
                if (!prm)
                        return;
                prm->name = attr(p, c, "name");
                prm->value = attr(p, c, "value");
        }

        if (i->type && streq(i->type, "hostdev")) {
                /* SR-IOV VF passthrough: a hostdev for every check that
                 * cares about device assignment. */
                DomainHostdev *h = hostdev_new(p, dom);
                xmlNode *addr = child(src, "address");

                if (!h)
                        return;
                h->from_interface = true;
                /* the address type defaults to pci here */
                h->type = has_attr(addr, "type") ? attr(p, addr, "type") : strdup("pci");
                if (!h->type)
                        parser_oom(p);
                h->managed = tristate(p, n, "managed");
                h->driver_name = child_attr(p, n, "driver", "name");
                if (src)
                        parse_hostdev_source(p, src, h);
        }
}

static void
parse_rng(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainRng *r = APPEND(p, dom->rngs, dom->n_rngs);
        xmlNode *backend;

        if (!r)
                return;
        r->model = attr(p, n, "model");
        backend = child(n, "backend");
        r->backend_model = attr(p, backend, "model");
        r->backend_type = attr(p, backend, "type");
        if (r->backend_model && streq(r->backend_model, "random"))
                r->backend_path = text(p, backend);
        else
                r->backend_path = child_attr(p, backend, "source", "path");
}

static void
parse_tpm(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainTpm *t = APPEND(p, dom->tpms, dom->n_tpms);
        xmlNode *backend;

        if (!t)
                return;
        t->model = attr(p, n, "model");
        backend = child(n, "backend");
        t->backend_type = attr(p, backend, "type");
        t->version = attr(p, backend, "version");
        t->device_path = child_attr(p, backend, "device", "path");
        t->socket_path = child_attr(p, backend, "source", "path");
}

static void
parse_filesystem(Parser *p, const xmlNode *n, Domain *dom)
{
        static const char *const names[] = { "dir", "file", "dev", "name" };
        DomainFilesystem *f = APPEND(p, dom->filesystems, dom->n_filesystems);
        xmlNode *src;

        if (!f)
                return;
        f->type = attr(p, n, "type");
        f->accessmode = attr(p, n, "accessmode");
        f->driver_type = child_attr(p, n, "driver", "type");
        src = child(n, "source");
        for (size_t i = 0; i < ELEMENTSOF(names) && !f->source; i++)
                if (has_attr(src, names[i]))
                        f->source = attr(p, src, names[i]);
        f->source_socket = attr(p, src, "socket");
        f->target = child_attr(p, n, "target", "dir");
        f->binary = child_attr(p, n, "binary", "path");
        f->readonly = child(n, "readonly") != NULL;
}

static void
parse_input(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainInput *in = APPEND(p, dom->inputs, dom->n_inputs);
        xmlNode *src;

        if (!in)
                return;
        in->type = attr(p, n, "type");
        in->bus = attr(p, n, "bus");
        src = child(n, "source");
        in->path = has_attr(src, "evdev") ? attr(p, src, "evdev") : attr(p, src, "dev");
}

static void
parse_smartcard(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainSmartcard *s = APPEND(p, dom->smartcards, dom->n_smartcards);
        xmlNode *src;

        if (!s)
                return;
        s->mode = attr(p, n, "mode");
        s->type = attr(p, n, "type");
        s->database = text(p, child(n, "database"));
        src = child(n, "source");
        s->host = attr(p, src, "host");
        s->service = attr(p, src, "service");
}

static void
parse_shmem(Parser *p, const xmlNode *n, Domain *dom)
{
        DomainShmem *s = APPEND(p, dom->shmems, dom->n_shmems);

        if (!s)
                return;
        s->name = attr(p, n, "name");
        s->model = child_attr(p, n, "model", "type");
        s->path = child_attr(p, n, "server", "path");
}

static void
parse_devices(Parser *p, const xmlNode *devices, Domain *dom)
{
        size_t count = 0;

        for (xmlNode *c = devices->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && ++count > DOMAIN_DEVICES_MAX) {
                        parser_fail(p, -E2BIG, c, "more than %u devices", DOMAIN_DEVICES_MAX);
                        return;
                }

        for (xmlNode *c = devices->children; c && p->r == 0; c = c->next) {
                if (c->type != XML_ELEMENT_NODE || c->ns)
                        continue;
                if (is_elem(c, "emulator") && !dom->emulator)
                        dom->emulator = text(p, c);
                else if (is_elem(c, "disk"))
                        parse_disk(p, c, dom);
                else if (is_elem(c, "graphics"))
                        parse_graphics(p, c, dom);
                else if (is_elem(c, "serial"))
                        parse_chardev(p, c, DOMAIN_CHARDEV_SERIAL, dom);
                else if (is_elem(c, "console"))
                        parse_chardev(p, c, DOMAIN_CHARDEV_CONSOLE, dom);
                else if (is_elem(c, "parallel"))
                        parse_chardev(p, c, DOMAIN_CHARDEV_PARALLEL, dom);
                else if (is_elem(c, "channel"))
                        parse_chardev(p, c, DOMAIN_CHARDEV_CHANNEL, dom);
                else if (is_elem(c, "hostdev"))
                        parse_hostdev(p, c, dom);
                else if (is_elem(c, "interface"))
                        parse_interface(p, c, dom);
                else if (is_elem(c, "controller")) {
                        DomainController *ctl = APPEND(p, dom->controllers, dom->n_controllers);

                        if (!ctl)
                                return;
                        ctl->type = attr(p, c, "type");
                        ctl->model = attr(p, c, "model");
                        ctl->index = attr(p, c, "index");
                } else if (is_elem(c, "sound")) {
                        DomainDeviceModel *m = APPEND(p, dom->sounds, dom->n_sounds);

                        if (!m)
                                return;
                        m->model = attr(p, c, "model");
                } else if (is_elem(c, "video")) {
                        DomainDeviceModel *m = APPEND(p, dom->videos, dom->n_videos);

                        if (!m)
                                return;
                        m->model = child_attr(p, c, "model", "type");
                } else if (is_elem(c, "rng"))
                        parse_rng(p, c, dom);
                else if (is_elem(c, "tpm"))
                        parse_tpm(p, c, dom);
                else if (is_elem(c, "filesystem"))
                        parse_filesystem(p, c, dom);
                else if (is_elem(c, "input"))
                        parse_input(p, c, dom);
                else if (is_elem(c, "smartcard"))
                        parse_smartcard(p, c, dom);
                else if (is_elem(c, "shmem"))
                        parse_shmem(p, c, dom);
                /* memballoon, watchdog, redirdev, panic, ... are not modelled */
        }
}

static bool
is_qemu_elem(const xmlNode *n, const char *name)
{
        return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
               xmlStrEqual(n->ns->href, (const xmlChar *) QEMU_NS) &&
               xmlStrEqual(n->name, (const xmlChar *) name);
}

static void
parse_qemu_commandline(Parser *p, const xmlNode *n, Domain *dom)
{
        dom->qemu_commandline = true;
        for (xmlNode *c = n->children; c && p->r == 0; c = c->next) {
                if (is_qemu_elem(c, "arg")) {
                        char *v = attr(p, c, "value");

                        if (v && strv_consume(&dom->qemu_args, v) < 0)
                                parser_oom(p);
                } else if (is_qemu_elem(c, "env")) {
                        DomainParam *e = APPEND(p, dom->qemu_env, dom->n_qemu_env);

                        if (!e)
                                return;
                        e->name = attr(p, c, "name");
                        e->value = attr(p, c, "value");
                }
        }
}

static bool
has_control_chars(const char *s)
{
        for (; *s; s++)
                if ((unsigned char) *s < 0x20 || (unsigned char) *s == 0x7f)
                        return true;
        return false;
}

static void
parse_domain(Parser *p, const xmlNode *root, Domain *dom)
{
        xmlNode *name = child(root, "name");
        _cleanup_free_ char *id = NULL;

        dom->name = text(p, name);
        if (p->r < 0)
                return;
        if (!dom->name || !dom->name[0])
                return parser_fail(p, -EBADMSG, name ? name : root, "domain has no <name>");
        if (has_control_chars(dom->name))
                return parser_fail(p, -EBADMSG, name, "domain name contains control characters");

        dom->type = attr(p, root, "type");
        dom->id = -1;
        id = attr(p, root, "id");
        if (id) {
                int64_t v;

                if (parse_int64(id, &v) < 0 || v < -1 || v > INT32_MAX)
                        return parser_fail(p, -EBADMSG, root, "invalid id='%s' on <domain>", id);
                dom->id = (long) v;
        }

        for (xmlNode *c = root->children; c && p->r == 0; c = c->next) {
                if (is_elem(c, "uuid") && !dom->uuid)
                        dom->uuid = text(p, c);
                else if (is_elem(c, "os"))
                        parse_os(p, c, &dom->os);
                else if (is_elem(c, "features")) {
                        xmlNode *smm = child(c, "smm");

                        if (smm) {
                                /* <smm/> with no state turns SMM on */
                                dom->smm = tristate(p, smm, "state");
                                if (dom->smm == DOMAIN_TRISTATE_ABSENT)
                                        dom->smm = DOMAIN_TRISTATE_YES;
                        }
                } else if (is_elem(c, "cpu") && !dom->has_cpu) {
                        dom->has_cpu = true;
                        dom->cpu_mode = attr(p, c, "mode");
                } else if (is_elem(c, "memoryBacking"))
                        dom->nosharepages = child(c, "nosharepages") != NULL;
                else if (is_elem(c, "launchSecurity") && !dom->launch_security)
                        dom->launch_security = attr(p, c, "type");
                else if (is_elem(c, "seclabel")) {
                        DomainSeclabel *s = APPEND(p, dom->seclabels, dom->n_seclabels);

                        if (!s)
                                return;
                        parse_seclabel(p, c, s);
                } else if (is_elem(c, "devices"))
                        parse_devices(p, c, dom);
                else if (is_qemu_elem(c, "commandline"))
                        parse_qemu_commandline(p, c, dom);
                else if (is_qemu_elem(c, "capabilities"))
                        dom->qemu_capabilities = true;
                else if (is_qemu_elem(c, "override"))
                        dom->qemu_override = true;
        }
}

int
domain_parse(const char *xml, size_t len, const char *origin, Domain **ret_domain,
             char **ret_error)
{
        Parser p = { .origin = origin ? origin : "domain XML" };
        const XmlReadLimits limits = {
                .max_bytes = DOMAIN_XML_MAX,
                .max_depth = DOMAIN_XML_DEPTH_MAX,
                .what = "domain XML",
        };
        _cleanup_domain_free_ Domain *dom = NULL;
        xmlDocPtr doc = NULL;
        xmlNode *root;

        assert(xml || len == 0);
        assert(ret_domain);

        p.r = xml_read(xml, len, p.origin, &limits, &doc, &p.error);
        if (p.r < 0)
                goto finish;

        root = xmlDocGetRootElement(doc);
        if (!root || !is_elem(root, "domain")) {
                const char *prefix = root && root->ns && root->ns->prefix ?
                                             (const char *) root->ns->prefix : NULL;

                parser_fail(&p, -EBADMSG, root, "root element is <%s%s%s>, not <domain>",
                            strempty(prefix), prefix ? ":" : "",
                            root ? (const char *) root->name : "");
                goto finish;
        }

        dom = calloc(1, sizeof(*dom));
        if (!dom) {
                parser_oom(&p);
                goto finish;
        }
        dom->id = -1;
        dom->origin = strdup(p.origin);
        if (!dom->origin)
                parser_oom(&p);
        parse_domain(&p, root, dom);

finish:
        xmlFreeDoc(doc);
        if (p.r < 0 && p.r != -ENOMEM && !p.error)
                p.r = -ENOMEM; /* the message itself could not be built */
        if (p.r < 0) {
                if (ret_error && p.r != -ENOMEM)
                        *ret_error = TAKE_PTR(p.error);
                free(p.error);
                return p.r;
        }
        *ret_domain = TAKE_PTR(dom);
        return 0;
}
