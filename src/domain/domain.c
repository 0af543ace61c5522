/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The domain model's destructors, string tables and query helpers; the
 * parser is in domain-parse.c. */
#include <arpa/inet.h>
#include <assert.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"
#include "macro.h"
#include "strv.h"

static const char *const tristate_table[] = {
        [DOMAIN_TRISTATE_ABSENT] = "absent",
        [DOMAIN_TRISTATE_NO] = "no",
        [DOMAIN_TRISTATE_YES] = "yes",
};
_Static_assert(ELEMENTSOF(tristate_table) == _DOMAIN_TRISTATE_MAX, "tristate table");

const char *
domain_tristate_to_string(DomainTristate t)
{
        if (t < 0 || t >= _DOMAIN_TRISTATE_MAX)
                return NULL;
        return tristate_table[t];
}

static const char *const chardev_kind_table[] = {
        [DOMAIN_CHARDEV_SERIAL] = "serial",
        [DOMAIN_CHARDEV_CONSOLE] = "console",
        [DOMAIN_CHARDEV_PARALLEL] = "parallel",
        [DOMAIN_CHARDEV_CHANNEL] = "channel",
};
_Static_assert(ELEMENTSOF(chardev_kind_table) == _DOMAIN_CHARDEV_KIND_MAX, "chardev kind table");

const char *
domain_chardev_kind_to_string(DomainChardevKind k)
{
        if (k < 0 || k >= _DOMAIN_CHARDEV_KIND_MAX)
                return NULL;
        return chardev_kind_table[k];
}

/* Frees each element of an array with @done, then the array. */
#define FREE_ARRAY(a, n, done)                          \
        do {                                            \
                for (size_t _i = 0; _i < (n); _i++)     \
                        done(&(a)[_i]);                 \
                free(a);                                \
        } while (0)

static void
seclabel_done(DomainSeclabel *s)
{
        free(s->type);
        free(s->model);
        free(s->label);
        free(s->imagelabel);
        free(s->baselabel);
}

static void
os_done(DomainOs *os)
{
        free(os->type);
        free(os->arch);
        free(os->machine);
        free(os->firmware);
        free(os->loader);
        free(os->loader_type);
        free(os->nvram);
        free(os->nvram_template);
        free(os->kernel);
        free(os->initrd);
        free(os->dtb);
        free(os->cmdline);
}

static void
net_host_done(DomainNetHost *h)
{
        free(h->name);
        free(h->port);
        free(h->transport);
        free(h->socket);
}

static void
backing_done(DomainBackingStore *b)
{
        free(b->type);
        free(b->format);
        free(b->path);
        free(b->protocol);
        free(b->name);
}

static void
disk_done(DomainDisk *d)
{
        free(d->type);
        free(d->device);
        free(d->source);
        free(d->protocol);
        free(d->source_name);
        FREE_ARRAY(d->hosts, d->n_hosts, net_host_done);
        free(d->auth_username);
        free(d->auth_secret_type);
        free(d->auth_secret_uuid);
        free(d->auth_secret_usage);
        free(d->pool);
        free(d->volume);
        free(d->driver_name);
        free(d->driver_type);
        free(d->sgio);
        FREE_ARRAY(d->seclabels, d->n_seclabels, seclabel_done);
        free(d->target_dev);
        free(d->target_bus);
        FREE_ARRAY(d->backing, d->n_backing, backing_done);
}

static void
listen_done(DomainGraphicsListen *l)
{
        free(l->type);
        free(l->address);
        free(l->network);
        free(l->socket);
}

static void
graphics_channel_done(DomainGraphicsChannel *c)
{
        free(c->name);
        free(c->mode);
}

static void
graphics_done(DomainGraphics *g)
{
        free(g->type);
        free(g->listen);
        free(g->socket);
        FREE_ARRAY(g->listens, g->n_listens, listen_done);
        free(g->default_mode);
        FREE_ARRAY(g->channels, g->n_channels, graphics_channel_done);
        free(g->rendernode);
}

static void
chardev_source_done(DomainChardevSource *s)
{
        free(s->mode);
        free(s->path);
        free(s->host);
        free(s->service);
}

static void
chardev_done(DomainChardev *c)
{
        free(c->type);
        FREE_ARRAY(c->sources, c->n_sources, chardev_source_done);
        free(c->protocol);
        free(c->log_file);
        free(c->target_type);
        free(c->target_name);
}

static void
hostdev_done(DomainHostdev *h)
{
        free(h->mode);
        free(h->type);
        free(h->driver_name);
        free(h->pci_address);
        free(h->mdev_uuid);
        free(h->mdev_model);
        free(h->scsi_adapter);
        free(h->scsi_address);
        free(h->scsi_protocol);
        free(h->scsi_name);
        free(h->wwpn);
        free(h->caps_path);
}

static void
param_done(DomainParam *p)
{
        free(p->name);
        free(p->value);
}

static void
interface_done(DomainInterface *i)
{
        free(i->type);
        free(i->model);
        free(i->source_network);
        free(i->source_bridge);
        free(i->source_dev);
        free(i->source_mode);
        free(i->source_path);
        free(i->target_dev);
        free(i->script);
        free(i->filterref);
        FREE_ARRAY(i->filter_params, i->n_filter_params, param_done);
}

static void
controller_done(DomainController *c)
{
        free(c->type);
        free(c->model);
        free(c->index);
}

static void
device_model_done(DomainDeviceModel *m)
{
        free(m->model);
}

static void
rng_done(DomainRng *r)
{
        free(r->model);
        free(r->backend_model);
        free(r->backend_type);
        free(r->backend_path);
}

static void
tpm_done(DomainTpm *t)
{
        free(t->model);
        free(t->backend_type);
        free(t->device_path);
        free(t->socket_path);
        free(t->version);
}

static void
filesystem_done(DomainFilesystem *f)
{
        free(f->type);
        free(f->driver_type);
        free(f->accessmode);
        free(f->source);
        free(f->source_socket);
        free(f->target);
        free(f->binary);
}

static void
input_done(DomainInput *i)
{
        free(i->type);
        free(i->bus);
        free(i->path);
}

static void
smartcard_done(DomainSmartcard *s)
{
        free(s->mode);
        free(s->type);
        free(s->database);
        free(s->host);
        free(s->service);
}

static void
shmem_done(DomainShmem *s)
{
        free(s->name);
        free(s->model);
        free(s->path);
}

Domain *
domain_free(Domain *d)
{
        if (!d)
                return NULL;

        free(d->origin);
        free(d->name);
        free(d->uuid);
        free(d->type);
        free(d->emulator);
        os_done(&d->os);
        free(d->cpu_mode);
        free(d->launch_security);
        FREE_ARRAY(d->seclabels, d->n_seclabels, seclabel_done);
        FREE_ARRAY(d->disks, d->n_disks, disk_done);
        FREE_ARRAY(d->graphics, d->n_graphics, graphics_done);
        FREE_ARRAY(d->chardevs, d->n_chardevs, chardev_done);
        FREE_ARRAY(d->hostdevs, d->n_hostdevs, hostdev_done);
        FREE_ARRAY(d->interfaces, d->n_interfaces, interface_done);
        FREE_ARRAY(d->controllers, d->n_controllers, controller_done);
        FREE_ARRAY(d->sounds, d->n_sounds, device_model_done);
        FREE_ARRAY(d->videos, d->n_videos, device_model_done);
        FREE_ARRAY(d->rngs, d->n_rngs, rng_done);
        FREE_ARRAY(d->tpms, d->n_tpms, tpm_done);
        FREE_ARRAY(d->filesystems, d->n_filesystems, filesystem_done);
        FREE_ARRAY(d->inputs, d->n_inputs, input_done);
        FREE_ARRAY(d->smartcards, d->n_smartcards, smartcard_done);
        FREE_ARRAY(d->shmems, d->n_shmems, shmem_done);
        strv_free(d->qemu_args);
        FREE_ARRAY(d->qemu_env, d->n_qemu_env, param_done);
        free(d);
        return NULL;
}

bool
domain_disk_is_writable(const DomainDisk *disk)
{
        assert(disk);

        if (disk->readonly)
                return false;
        return !(disk->device && streq(disk->device, "cdrom"));
}

bool
domain_disk_has_local_source(const DomainDisk *disk)
{
        assert(disk);

        if (!disk->source || !disk->type)
                return false;
        return streq(disk->type, "file") || streq(disk->type, "block") ||
               streq(disk->type, "dir") || streq(disk->type, "volume");
}

const char *
domain_graphics_listen_address(const DomainGraphics *g)
{
        assert(g);

        for (size_t i = 0; i < g->n_listens; i++)
                if (g->listens[i].type && streq(g->listens[i].type, "address") &&
                    g->listens[i].address)
                        return g->listens[i].address;
        return g->listen;
}

const DomainSeclabel *
domain_seclabel_find(const Domain *d, const char *model)
{
        assert(d);

        for (size_t i = 0; i < d->n_seclabels; i++) {
                const char *m = d->seclabels[i].model;

                if (model ? (m && streq(m, model)) : !m)
                        return &d->seclabels[i];
        }
        return NULL;
}

bool
domain_has_qemu_passthrough(const Domain *d)
{
        assert(d);

        return d->qemu_commandline || d->qemu_capabilities || d->qemu_override;
}

bool
domain_address_is_loopback(const char *a)
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
