/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the domain model (src/domain/) against the XML fixtures in
 * tests/fixtures/domains (virt-install output and hand-written edge cases)
 * and against generated hostile input.  $DOMAIN_FIXTURES names the fixture
 * directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "domain.h"
#include "fileio.h"
#include "strv.h"
#include "util.h"

static const char *
fixtures_dir(void)
{
        const char *d = getenv("DOMAIN_FIXTURES");

        if (!d)
                fail_msg("DOMAIN_FIXTURES is not set");
        return d;
}

static int
parse_fixture(const char *rel, Domain **ret, char **ret_error)
{
        _cleanup_free_ char *path = xasprintf("%s/%s", fixtures_dir(), rel);
        _cleanup_free_ char *xml = NULL;

        assert_non_null(path);
        assert_int_equal(read_input_file(path, DOMAIN_XML_MAX, &xml), 0);
        return domain_parse(xml, strlen(xml), rel, ret, ret_error);
}

static Domain *
load(const char *rel)
{
        Domain *d = NULL;
        _cleanup_free_ char *err = NULL;
        int r;

        r = parse_fixture(rel, &d, &err);
        if (r < 0)
                fail_msg("%s: %d %s", rel, r, strna(err));
        assert_non_null(d);
        return d;
}

/* Parses @rel expecting @code; returns the message (caller frees). */
static char *
load_bad(const char *rel, int code)
{
        Domain *d = NULL;
        char *err = NULL;
        int r;

        r = parse_fixture(rel, &d, &err);
        if (r != code)
                fail_msg("%s: expected %d, got %d (%s)", rel, code, r, strna(err));
        assert_null(d);
        assert_non_null(err);
        assert_true(startswith(err, rel));
        assert_true(text_is_printable(err, strlen(err)));
        assert_null(strchr(err, '\n'));
        return err;
}

static char *
parse_string_err(const char *xml, int code)
{
        Domain *d = NULL;
        char *err = NULL;
        int r;

        r = domain_parse(xml, strlen(xml), "test", &d, &err);
        if (r != code)
                fail_msg("expected %d, got %d (%s)", code, r, strna(err));
        assert_null(d);
        return err;
}

#define assert_str(a, b) assert_string_equal(strna(a), (b))

static void
test_every_fixture(void **state _unused_)
{
        static const char *const subdirs[] = { "", "virt-install/" };
        size_t good = 0, bad = 0;

        for (size_t i = 0; i < ELEMENTSOF(subdirs); i++) {
                _cleanup_strv_free_ char **names = NULL;
                _cleanup_free_ char *dir = xasprintf("%s/%s", fixtures_dir(), subdirs[i]);

                assert_int_equal(list_input_dir(dir, ".xml", &names), 0);
                STRV_FOREACH(n, names) {
                        _cleanup_free_ char *rel = xasprintf("%s%s", subdirs[i], *n);
                        _cleanup_free_ char *err = NULL;
                        Domain *d = NULL;
                        int r;

                        r = parse_fixture(rel, &d, &err);
                        if (startswith(*n, "bad-")) {
                                if (r >= 0)
                                        fail_msg("%s parsed but must not", rel);
                                assert_int_not_equal(r, -ENOMEM);
                                assert_non_null(err);
                                bad++;
                        } else {
                                if (r < 0)
                                        fail_msg("%s: %d %s", rel, r, strna(err));
                                assert_non_null(d->name);
                                good++;
                        }
                        domain_free(d);
                }
        }
        assert_true(good >= 19);
        assert_true(bad >= 6);
}

static void
test_full(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("full.xml");
        const DomainDisk *disk;
        const DomainGraphics *g;
        const DomainChardev *c;
        const DomainHostdev *h;
        const DomainInterface *i;

        assert_str(d->origin, "full.xml");
        assert_str(d->name, "full");
        assert_str(d->uuid, "11111111-2222-3333-4444-555555555555");
        assert_str(d->type, "kvm");
        assert_int_equal(d->id, 42);
        assert_str(d->emulator, "/usr/bin/qemu-system-x86_64");

        /* os */
        assert_str(d->os.type, "hvm");
        assert_str(d->os.arch, "x86_64");
        assert_str(d->os.machine, "pc-q35-8.2");
        assert_str(d->os.firmware, "efi");
        assert_int_equal(d->os.firmware_secure_boot, DOMAIN_TRISTATE_YES);
        assert_int_equal(d->os.firmware_enrolled_keys, DOMAIN_TRISTATE_NO);
        assert_str(d->os.loader, "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd");
        assert_int_equal(d->os.loader_readonly, DOMAIN_TRISTATE_YES);
        assert_int_equal(d->os.loader_secure, DOMAIN_TRISTATE_YES);
        assert_str(d->os.loader_type, "pflash");
        assert_str(d->os.nvram, "/var/lib/libvirt/qemu/nvram/full_VARS.fd");
        assert_str(d->os.nvram_template, "/usr/share/OVMF/OVMF_VARS_4M.ms.fd");
        assert_str(d->os.kernel, "/var/lib/libvirt/boot/vmlinuz");
        assert_str(d->os.initrd, "/var/lib/libvirt/boot/initrd.img");
        assert_str(d->os.dtb, "/var/lib/libvirt/boot/board.dtb");
        assert_str(d->os.cmdline, "console=ttyS0 root=/dev/vda1");
        assert_int_equal(d->smm, DOMAIN_TRISTATE_YES);
        assert_true(d->has_cpu);
        assert_str(d->cpu_mode, "host-model");
        assert_true(d->nosharepages);
        assert_str(d->launch_security, "sev");

        assert_int_equal(d->n_seclabels, 1);
        assert_str(d->seclabels[0].type, "dynamic");
        assert_str(d->seclabels[0].model, "apparmor");
        assert_int_equal(d->seclabels[0].relabel, DOMAIN_TRISTATE_YES);
        assert_str(d->seclabels[0].label, "libvirt-11111111-2222-3333-4444-555555555555");
        assert_ptr_equal(domain_seclabel_find(d, "apparmor"), &d->seclabels[0]);
        assert_null(domain_seclabel_find(d, "selinux"));
        assert_null(domain_seclabel_find(d, NULL));

        /* disks */
        assert_int_equal(d->n_disks, 4);
        disk = &d->disks[0];
        assert_str(disk->type, "file");
        assert_str(disk->device, "disk");
        assert_str(disk->source, "/var/lib/libvirt/images/full-top.qcow2");
        assert_str(disk->driver_name, "qemu");
        assert_str(disk->driver_type, "qcow2");
        assert_true(disk->transient);
        assert_false(disk->readonly);
        assert_str(disk->target_dev, "vda");
        assert_str(disk->target_bus, "virtio");
        assert_int_equal(disk->n_backing, 2);
        assert_str(disk->backing[0].type, "file");
        assert_str(disk->backing[0].format, "qcow2");
        assert_str(disk->backing[0].path, "/var/lib/libvirt/images/full-mid.qcow2");
        assert_str(disk->backing[1].type, "block");
        assert_str(disk->backing[1].format, "raw");
        assert_str(disk->backing[1].path, "/dev/vg0/base");
        assert_true(disk->backing_end);
        assert_true(domain_disk_is_writable(disk));
        assert_true(domain_disk_has_local_source(disk));

        disk = &d->disks[1];
        assert_null(disk->driver_type);
        assert_int_equal(disk->n_backing, 1);
        assert_null(disk->backing[0].format);
        assert_false(disk->backing_end);

        disk = &d->disks[2];
        assert_str(disk->type, "network");
        assert_null(disk->source);
        assert_str(disk->protocol, "rbd");
        assert_str(disk->source_name, "pool/full");
        assert_int_equal(disk->n_hosts, 1);
        assert_str(disk->hosts[0].name, "10.0.0.1");
        assert_str(disk->hosts[0].port, "6789");
        assert_true(disk->has_auth); /* the old place, directly under <disk> */
        assert_str(disk->auth_username, "admin");
        assert_str(disk->auth_secret_type, "ceph");
        assert_str(disk->auth_secret_uuid, "2ec115d7-3a88-3ceb-bc12-0ac909a6fd87");
        assert_null(disk->auth_secret_usage);
        assert_false(domain_disk_has_local_source(disk));

        disk = &d->disks[3];
        assert_str(disk->type, "dir");
        assert_str(disk->source, "/srv/fat");
        assert_true(disk->readonly);
        assert_false(domain_disk_is_writable(disk));

        /* graphics: passwords are never stored */
        assert_int_equal(d->n_graphics, 3);
        g = &d->graphics[0];
        assert_str(g->type, "spice");
        assert_int_equal(g->port, 5901);
        assert_int_equal(g->tls_port, 5902);
        assert_int_equal(g->autoport, DOMAIN_TRISTATE_NO);
        assert_str(g->listen, "0.0.0.0");
        assert_true(g->passwd);
        assert_str(g->default_mode, "secure");
        assert_int_equal(g->n_listens, 2);
        assert_str(g->listens[0].type, "address");
        assert_str(g->listens[0].address, "0.0.0.0");
        assert_str(g->listens[1].type, "network");
        assert_str(g->listens[1].network, "mgmt");
        assert_int_equal(g->n_channels, 2);
        assert_str(g->channels[1].name, "inputs");
        assert_str(g->channels[1].mode, "insecure");
        assert_str(g->rendernode, "/dev/dri/renderD128");
        assert_str(domain_graphics_listen_address(g), "0.0.0.0");
        g = &d->graphics[1];
        assert_str(g->type, "vnc");
        assert_int_equal(g->port, -1);
        assert_int_equal(g->autoport, DOMAIN_TRISTATE_YES);
        assert_false(g->passwd);
        assert_str(g->listens[0].type, "socket");
        assert_str(g->listens[0].socket, "/run/libvirt/qemu/full-vnc.sock");
        assert_null(domain_graphics_listen_address(g));
        assert_str(d->graphics[2].listens[0].type, "none");

        /* chardevs */
        assert_int_equal(d->n_chardevs, 5);
        c = &d->chardevs[0];
        assert_int_equal(c->kind, DOMAIN_CHARDEV_SERIAL);
        assert_str(domain_chardev_kind_to_string(c->kind), "serial");
        assert_str(c->type, "tcp");
        assert_int_equal(c->n_sources, 1);
        assert_str(c->sources[0].mode, "bind");
        assert_str(c->sources[0].host, "0.0.0.0");
        assert_str(c->sources[0].service, "2445");
        assert_int_equal(c->sources[0].tls, DOMAIN_TRISTATE_YES);
        assert_str(c->protocol, "telnet");
        c = &d->chardevs[1];
        assert_str(c->type, "udp");
        assert_int_equal(c->n_sources, 2);
        assert_str(c->sources[1].mode, "connect");
        assert_str(c->sources[1].host, "192.0.2.1");
        assert_int_equal(c->sources[1].tls, DOMAIN_TRISTATE_ABSENT);
        c = &d->chardevs[2];
        assert_int_equal(c->kind, DOMAIN_CHARDEV_CONSOLE);
        assert_str(c->type, "pty");
        assert_str(c->log_file, "/var/log/libvirt/qemu/full-console.log");
        assert_int_equal(c->log_append, DOMAIN_TRISTATE_YES);
        assert_str(c->target_type, "serial");
        c = &d->chardevs[3];
        assert_int_equal(c->kind, DOMAIN_CHARDEV_PARALLEL);
        assert_str(c->sources[0].path, "/var/log/full-lpt.log");
        assert_int_equal(c->sources[0].append, DOMAIN_TRISTATE_NO);
        c = &d->chardevs[4];
        assert_int_equal(c->kind, DOMAIN_CHARDEV_CHANNEL);
        assert_str(c->sources[0].path, "/var/lib/libvirt/qemu/channel/target/full.agent");
        assert_str(c->target_type, "virtio");
        assert_str(c->target_name, "org.qemu.guest_agent.0");

        /* interfaces, and the hostdev one among the hostdevs */
        assert_int_equal(d->n_interfaces, 6);
        i = &d->interfaces[0];
        assert_str(i->type, "bridge");
        assert_str(i->source_bridge, "br0");
        assert_str(i->model, "virtio");
        assert_str(i->filterref, "clean-traffic");
        assert_int_equal(i->n_filter_params, 2);
        assert_str(i->filter_params[0].name, "IP");
        assert_str(i->filter_params[0].value, "10.0.0.5");
        assert_str(i->filter_params[1].name, "CTRL_IP_LEARNING");
        i = &d->interfaces[1];
        assert_str(i->type, "direct");
        assert_str(i->source_dev, "eth1");
        assert_str(i->source_mode, "vepa");
        assert_str(i->model, "e1000e");
        i = &d->interfaces[2];
        assert_str(i->type, "vhostuser");
        assert_str(i->source_path, "/run/openvswitch/vhu0.sock");
        assert_str(i->source_mode, "server");
        i = &d->interfaces[3];
        assert_str(i->type, "ethernet");
        assert_str(i->target_dev, "tap-full");
        assert_str(i->script, "/etc/qemu-ifup");
        assert_null(i->model);
        assert_str(d->interfaces[4].type, "hostdev");
        assert_str(d->interfaces[5].type, "vdpa");
        assert_str(d->interfaces[5].source_dev, "/dev/vhost-vdpa-0");

        assert_int_equal(d->n_hostdevs, 7);
        h = &d->hostdevs[0]; /* <interface type='hostdev'> comes first */
        assert_true(h->from_interface);
        assert_null(h->mode);
        assert_str(h->type, "pci");
        assert_int_equal(h->managed, DOMAIN_TRISTATE_YES);
        assert_str(h->driver_name, "vfio");
        assert_str(h->pci_address, "0000:3b:10.2");
        h = &d->hostdevs[1];
        assert_false(h->from_interface);
        assert_str(h->mode, "subsystem");
        assert_str(h->type, "pci");
        assert_int_equal(h->managed, DOMAIN_TRISTATE_NO);
        assert_str(h->driver_name, "kvm");
        assert_str(h->pci_address, "0001:02:1f.7");
        h = &d->hostdevs[2];
        assert_str(h->type, "usb");
        assert_int_equal(h->usb_vendor, 0x1d6b);
        assert_int_equal(h->usb_product, 0x0002);
        assert_int_equal(h->usb_bus, 3);
        assert_int_equal(h->usb_device, 12);
        assert_null(h->pci_address);
        h = &d->hostdevs[3];
        assert_str(h->type, "mdev");
        assert_str(h->mdev_model, "vfio-pci");
        assert_str(h->mdev_uuid, "c2177883-f1bb-47f0-914d-32a22e3a8804");
        assert_int_equal(h->usb_vendor, -1);
        h = &d->hostdevs[4];
        assert_str(h->type, "scsi");
        assert_str(h->scsi_adapter, "scsi_host0");
        assert_str(h->scsi_address, "0:1:5");
        assert_int_equal(h->readonly, DOMAIN_TRISTATE_YES);
        h = &d->hostdevs[5];
        assert_str(h->type, "scsi_host");
        assert_str(h->wwpn, "naa.50014057667280d8");
        h = &d->hostdevs[6];
        assert_str(h->mode, "capabilities");
        assert_str(h->type, "storage");
        assert_str(h->caps_path, "/dev/sdf1");

        /* the rest of <devices> */
        assert_int_equal(d->n_controllers, 2);
        assert_str(d->controllers[0].type, "usb");
        assert_str(d->controllers[0].model, "qemu-xhci");
        assert_str(d->controllers[0].index, "0");
        assert_int_equal(d->n_sounds, 1);
        assert_str(d->sounds[0].model, "ich9");
        assert_int_equal(d->n_videos, 1);
        assert_str(d->videos[0].model, "virtio");
        assert_int_equal(d->n_rngs, 2);
        assert_str(d->rngs[0].model, "virtio");
        assert_str(d->rngs[0].backend_model, "egd");
        assert_str(d->rngs[0].backend_type, "unix");
        assert_str(d->rngs[0].backend_path, "/run/egd.sock");
        assert_str(d->rngs[1].backend_model, "builtin");
        assert_null(d->rngs[1].backend_path);
        assert_int_equal(d->n_tpms, 2);
        assert_str(d->tpms[0].model, "tpm-tis");
        assert_str(d->tpms[0].backend_type, "passthrough");
        assert_str(d->tpms[0].device_path, "/dev/tpm0");
        assert_str(d->tpms[1].backend_type, "emulator");
        assert_str(d->tpms[1].version, "2.0");
        assert_int_equal(d->n_filesystems, 2);
        assert_str(d->filesystems[0].type, "mount");
        assert_str(d->filesystems[0].driver_type, "virtiofs");
        assert_str(d->filesystems[0].accessmode, "passthrough");
        assert_str(d->filesystems[0].source, "/srv/share");
        assert_str(d->filesystems[0].target, "share");
        assert_str(d->filesystems[0].binary, "/usr/libexec/virtiofsd");
        assert_null(d->filesystems[1].source);
        assert_str(d->filesystems[1].source_socket, "/run/virtiofsd/full.sock");
        assert_int_equal(d->n_inputs, 3);
        assert_str(d->inputs[0].type, "tablet");
        assert_null(d->inputs[0].path);
        assert_str(d->inputs[1].path, "/dev/input/event1");
        assert_str(d->inputs[2].type, "evdev");
        assert_str(d->inputs[2].path, "/dev/input/by-id/kbd-event-kbd");
        assert_int_equal(d->n_smartcards, 2);
        assert_str(d->smartcards[0].mode, "host-certificates");
        assert_str(d->smartcards[0].database, "/etc/pki/nssdb/");
        assert_str(d->smartcards[1].type, "tcp");
        assert_str(d->smartcards[1].host, "127.0.0.1");
        assert_str(d->smartcards[1].service, "2001");
        assert_int_equal(d->n_shmems, 1);
        assert_str(d->shmems[0].name, "ivshmem0");
        assert_str(d->shmems[0].model, "ivshmem-doorbell");
        assert_str(d->shmems[0].path, "/tmp/ivshmem_socket");

        assert_null(d->qemu_args);
        assert_false(domain_has_qemu_passthrough(d));
}

static void
test_minimal(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("no-seclabel.xml");

        assert_str(d->name, "plain");
        assert_int_equal(d->id, 7);
        assert_int_equal(d->n_seclabels, 0);
        assert_int_equal(d->smm, DOMAIN_TRISTATE_ABSENT);
        assert_false(d->has_cpu);
        assert_null(d->cpu_mode);
        assert_null(d->launch_security);
        assert_null(d->os.firmware);
        assert_null(d->os.loader);
        assert_null(d->os.nvram);
        assert_int_equal(d->os.loader_readonly, DOMAIN_TRISTATE_ABSENT);
        assert_int_equal(d->n_disks, 1);
        assert_int_equal(d->disks[0].n_backing, 0);
        assert_false(d->disks[0].backing_end);
        assert_int_equal(d->disks[0].n_seclabels, 0);
        assert_int_equal(d->disks[0].rawio, DOMAIN_TRISTATE_ABSENT);
        assert_int_equal(d->n_graphics + d->n_chardevs + d->n_hostdevs + d->n_interfaces, 0);
}

static void
test_seclabels(void **state _unused_)
{
        _cleanup_domain_free_ Domain *none = load("seclabel-none.xml");
        _cleanup_domain_free_ Domain *st = load("seclabel-static-selinux.xml");
        const DomainDisk *disk;

        assert_int_equal(none->n_seclabels, 2);
        assert_str(none->seclabels[0].type, "none");
        assert_null(none->seclabels[0].model);
        assert_int_equal(none->seclabels[0].relabel, DOMAIN_TRISTATE_ABSENT);
        assert_null(none->seclabels[0].label);
        assert_ptr_equal(domain_seclabel_find(none, NULL), &none->seclabels[0]);
        assert_str(none->seclabels[1].model, "dac");
        assert_int_equal(none->seclabels[1].relabel, DOMAIN_TRISTATE_NO);
        assert_str(none->disks[0].type, "block");
        assert_str(none->disks[0].source, "/dev/vg0/unconfined");

        assert_int_equal(st->n_seclabels, 2);
        assert_str(st->seclabels[0].type, "static");
        assert_str(st->seclabels[0].model, "selinux");
        assert_int_equal(st->seclabels[0].relabel, DOMAIN_TRISTATE_YES);
        assert_str(st->seclabels[0].label, "system_u:system_r:svirt_t:s0:c10,c20");
        assert_str(st->seclabels[0].imagelabel, "system_u:object_r:svirt_image_t:s0:c10,c20");
        assert_null(st->seclabels[0].baselabel);
        assert_str(st->seclabels[1].baselabel, "+107:+107");
        disk = &st->disks[0];
        assert_int_equal(disk->n_seclabels, 2);
        assert_null(disk->seclabels[0].type);
        assert_str(disk->seclabels[0].model, "selinux");
        assert_int_equal(disk->seclabels[0].relabel, DOMAIN_TRISTATE_NO);
        assert_str(disk->seclabels[1].model, "dac");
        assert_int_equal(disk->seclabels[1].relabel, DOMAIN_TRISTATE_YES);
        assert_str(disk->seclabels[1].label, "+0:+0");
}

static void
test_qemu_namespace(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("qemu-commandline.xml");

        assert_true(d->qemu_commandline);
        assert_true(d->qemu_capabilities);
        assert_true(d->qemu_override);
        assert_true(domain_has_qemu_passthrough(d));
        assert_int_equal(strv_length(d->qemu_args), 4);
        assert_str(d->qemu_args[0], "-device");
        assert_str(d->qemu_args[3], "memory-backend-file,id=hostmem,share=on,mem-path=/dev/shm/x,size=1M");
        assert_int_equal(d->n_qemu_env, 1);
        assert_str(d->qemu_env[0].name, "QEMU_AUDIO_DRV");
        assert_str(d->qemu_env[0].value, "none");
        /* the namespaced elements are not mistaken for libvirt's own */
        assert_int_equal(d->n_inputs, 0);
}

static void
test_legacy_devices(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("floppy.xml");

        assert_str(d->os.machine, "pc-i440fx-7.2");
        assert_int_equal(d->n_disks, 2);
        assert_str(d->disks[0].device, "floppy");
        assert_str(d->disks[0].target_bus, "fdc");
        assert_str(d->disks[1].device, "cdrom");
        assert_false(d->disks[1].readonly);
        assert_false(domain_disk_is_writable(&d->disks[1]));
        assert_int_equal(d->n_controllers, 3);
        assert_str(d->controllers[0].model, "ich9-ehci1");
        assert_str(d->controllers[2].type, "fdc");
        assert_null(d->controllers[2].model);
        assert_str(d->interfaces[0].type, "network");
        assert_str(d->interfaces[0].source_network, "default");
        assert_str(d->interfaces[0].model, "rtl8139");
        assert_null(d->interfaces[0].filterref);
        assert_str(d->sounds[0].model, "ac97");
        assert_str(d->videos[0].model, "cirrus");
}

static void
test_filesystems_9p(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("fs-9p-passthrough.xml");

        assert_int_equal(d->n_filesystems, 2);
        assert_str(d->filesystems[0].type, "mount");
        assert_str(d->filesystems[0].accessmode, "passthrough");
        assert_str(d->filesystems[0].driver_type, "path");
        assert_str(d->filesystems[0].source, "/");
        assert_str(d->filesystems[0].target, "hostroot");
        assert_false(d->filesystems[0].readonly);
        assert_str(d->filesystems[1].accessmode, "mapped");
        assert_null(d->filesystems[1].driver_type);
        assert_true(d->filesystems[1].readonly);
}

static void
test_network_disks(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("disk-network.xml");
        const DomainDisk *disk;

        assert_int_equal(d->n_disks, 5);
        disk = &d->disks[0];
        assert_str(disk->protocol, "rbd");
        assert_str(disk->source_name, "rbd-pool/netdisks-root");
        assert_false(disk->has_auth);
        assert_int_equal(disk->n_hosts, 2);
        assert_str(disk->hosts[1].name, "ceph-mon2.example.org");
        assert_int_equal(disk->tls, DOMAIN_TRISTATE_ABSENT);
        disk = &d->disks[1];
        assert_str(disk->protocol, "iscsi");
        assert_true(disk->has_auth);
        assert_str(disk->auth_username, "myuser");
        assert_str(disk->auth_secret_type, "iscsi");
        assert_str(disk->auth_secret_usage, "libvirtiscsi");
        assert_null(disk->auth_secret_uuid);
        disk = &d->disks[2];
        assert_str(disk->protocol, "nbd");
        assert_int_equal(disk->tls, DOMAIN_TRISTATE_YES);
        disk = &d->disks[3];
        assert_str(disk->protocol, "http");
        assert_str(disk->device, "cdrom");
        assert_true(disk->readonly);
        disk = &d->disks[4];
        assert_str(disk->type, "volume");
        assert_str(disk->pool, "default");
        assert_str(disk->volume, "netdisks-data.qcow2");
        assert_null(disk->source);
}

static void
test_lun(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("disk-lun-rawio.xml");

        assert_str(d->disks[0].device, "lun");
        assert_int_equal(d->disks[0].rawio, DOMAIN_TRISTATE_YES);
        assert_str(d->disks[0].sgio, "unfiltered");
        assert_true(d->disks[0].shareable);
        assert_str(d->disks[0].source, "/dev/disk/by-id/scsi-36001405abcdef");
}

static void
test_paths_verbatim(void **state _unused_)
{
        _cleanup_domain_free_ Domain *d = load("path-glob-quotes.xml");

        assert_str(d->os.kernel, "/boot/vmlinuz-*");
        assert_str(d->disks[0].source, "/srv/vm/**/\"evil\" [a-z]{x,y}?.img, /etc/shadow rw,");
        assert_str(d->chardevs[0].sources[0].path, "/var/log/it's \"quoted\".log");
}

static void
test_virt_install(void **state _unused_)
{
        _cleanup_domain_free_ Domain *linux1 = load("virt-install/linux1.xml");
        _cleanup_domain_free_ Domain *vnc = load("virt-install/vnc-public.xml");
        _cleanup_domain_free_ Domain *hd = load("virt-install/hostdev.xml");
        _cleanup_domain_free_ Domain *uefi = load("virt-install/uefi-sb.xml");
        _cleanup_domain_free_ Domain *tpm = load("virt-install/tpm.xml");
        _cleanup_domain_free_ Domain *fs = load("virt-install/virtiofs.xml");
        _cleanup_domain_free_ Domain *ser = load("virt-install/serial-file.xml");
        _cleanup_domain_free_ Domain *srv = load("virt-install/server1.xml");

        assert_str(linux1->name, "linux1");
        assert_str(linux1->type, "test");
        assert_int_equal(linux1->id, -1);
        assert_str(linux1->os.arch, "i686");
        assert_str(linux1->disks[0].source, "/var/lib/libvirt/images/linux1.qcow2");
        assert_null(linux1->disks[0].driver_type);
        assert_int_equal(linux1->n_controllers, 4);
        assert_str(linux1->controllers[0].model, "ich9-ehci1");
        assert_str(linux1->interfaces[0].type, "user");
        assert_str(linux1->interfaces[0].model, "e1000");
        assert_str(linux1->graphics[0].type, "spice");
        assert_int_equal(linux1->graphics[0].port, -1);
        assert_int_equal(linux1->graphics[0].autoport, DOMAIN_TRISTATE_YES);
        assert_null(domain_graphics_listen_address(&linux1->graphics[0]));
        assert_str(linux1->chardevs[1].type, "spicevmc");
        assert_str(linux1->chardevs[1].target_name, "com.redhat.spice.0");

        assert_str(vnc->graphics[0].type, "vnc");
        assert_str(vnc->graphics[0].listen, "0.0.0.0");
        assert_true(vnc->graphics[0].passwd);
        assert_str(domain_graphics_listen_address(&vnc->graphics[0]), "0.0.0.0");

        assert_int_equal(hd->n_hostdevs, 2);
        assert_str(hd->hostdevs[0].pci_address, "0000:01:00.0");
        assert_int_equal(hd->hostdevs[0].managed, DOMAIN_TRISTATE_YES);
        assert_str(hd->hostdevs[0].driver_name, "vfio");
        assert_str(hd->hostdevs[1].type, "usb");
        assert_int_equal(hd->hostdevs[1].usb_vendor, 0x0781);
        assert_int_equal(hd->hostdevs[1].usb_product, 0x5567);
        assert_int_equal(hd->hostdevs[1].usb_bus, -1);
        assert_null(hd->hostdevs[1].pci_address);

        assert_str(uefi->os.loader, "/usr/share/OVMF/OVMF_CODE_4M.ms.fd");
        assert_int_equal(uefi->os.loader_secure, DOMAIN_TRISTATE_YES);
        assert_int_equal(uefi->os.loader_readonly, DOMAIN_TRISTATE_YES);
        assert_null(uefi->os.nvram);
        assert_str(uefi->os.nvram_template, "/usr/share/OVMF/OVMF_VARS_4M.ms.fd");
        assert_int_equal(uefi->smm, DOMAIN_TRISTATE_YES);

        assert_int_equal(tpm->n_tpms, 1);
        assert_str(tpm->tpms[0].model, "tpm-crb");
        assert_str(tpm->tpms[0].backend_type, "emulator");

        assert_str(fs->filesystems[0].driver_type, "virtiofs");
        assert_str(fs->filesystems[0].source, "/srv/share");
        assert_null(fs->filesystems[0].accessmode);
        assert_false(fs->nosharepages);

        assert_int_equal(ser->chardevs[0].kind, DOMAIN_CHARDEV_SERIAL);
        assert_str(ser->chardevs[0].type, "file");
        assert_str(ser->chardevs[0].sources[0].path, "/var/log/vm.log");

        assert_str(srv->cpu_mode, "host-passthrough");
        assert_true(srv->disks[1].readonly);
        assert_str(srv->interfaces[0].filterref, "clean-traffic");
        assert_str(srv->rngs[0].backend_model, "random");
        assert_str(srv->rngs[0].backend_path, "/dev/urandom");
        assert_str(srv->chardevs[1].type, "unix");
        assert_str(srv->chardevs[1].sources[0].mode, "bind");
        assert_null(srv->chardevs[1].sources[0].path);
        assert_int_equal(srv->n_graphics, 0);
        assert_int_equal(srv->n_sounds, 0);
}

static void
test_bad_fixtures(void **state _unused_)
{
        _cleanup_free_ char *name = load_bad("bad-name-newline.xml", -EBADMSG);
        _cleanup_free_ char *root = load_bad("bad-root.xml", -EBADMSG);
        _cleanup_free_ char *noname = load_bad("bad-no-name.xml", -EBADMSG);
        _cleanup_free_ char *trunc = load_bad("bad-truncated.xml", -EBADMSG);
        _cleanup_free_ char *xxe = load_bad("bad-xxe.xml", -EBADMSG);

        assert_string_equal(name, "bad-name-newline.xml:3: domain name contains control characters");
        assert_string_equal(root, "bad-root.xml:2: root element is <network>, not <domain>");
        assert_string_equal(noname, "bad-no-name.xml:2: domain has no <name>");
        assert_true(startswith(trunc, "bad-truncated.xml:6: not well-formed XML: "));
        assert_string_equal(xxe, "bad-xxe.xml:3: a DOCTYPE is not allowed in domain XML "
                                 "(entities are never expanded)");
}

static void
test_billion_laughs(void **state _unused_)
{
        struct timespec a, b;
        _cleanup_free_ char *err = NULL;

        clock_gettime(CLOCK_MONOTONIC, &a);
        err = load_bad("bad-billion-laughs.xml", -EBADMSG);
        clock_gettime(CLOCK_MONOTONIC, &b);
        assert_non_null(strstr(err, "DOCTYPE is not allowed"));
        assert_null(strstr(err, "lollol"));
        /* refused at the DOCTYPE, before any entity is even declared */
        assert_true((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 1000000000L);
}

/* <domain><name>n</name> + @extra nested elements inside <metadata>. */
static char *
nested(size_t extra)
{
        StrBuf b = {};

        strbuf_append(&b, "<domain type='kvm'><name>n</name><metadata>");
        for (size_t i = 0; i < extra; i++)
                strbuf_append(&b, "<a>");
        for (size_t i = 0; i < extra; i++)
                strbuf_append(&b, "</a>");
        strbuf_append(&b, "</metadata></domain>");
        return strbuf_steal(&b);
}

static void
test_depth(void **state _unused_)
{
        _cleanup_free_ char *ok = nested(DOMAIN_XML_DEPTH_MAX - 2);
        _cleanup_free_ char *over = nested(DOMAIN_XML_DEPTH_MAX - 1);
        _cleanup_free_ char *deep = nested(10000);
        _cleanup_free_ char *e1 = NULL, *e2 = NULL;
        Domain *d = NULL;

        assert_non_null(ok);
        assert_int_equal(domain_parse(ok, strlen(ok), "test", &d, NULL), 0);
        d = domain_free(d);

        e1 = parse_string_err(over, -E2BIG);
        assert_string_equal(e1, "test:1: elements nested deeper than 64");
        e2 = parse_string_err(deep, -E2BIG);
        assert_string_equal(e2, "test:1: elements nested deeper than 64");
}

static char *
devices(size_t n)
{
        StrBuf b = {};

        strbuf_append(&b, "<domain type='kvm'><name>n</name><devices>\n");
        for (size_t i = 0; i < n; i++)
                strbuf_append(&b, "<input type='tablet' bus='usb'/>\n");
        strbuf_append(&b, "</devices></domain>");
        return strbuf_steal(&b);
}

static void
test_device_count(void **state _unused_)
{
        _cleanup_free_ char *ok = devices(DOMAIN_DEVICES_MAX);
        _cleanup_free_ char *over = devices(DOMAIN_DEVICES_MAX + 1);
        _cleanup_free_ char *err = NULL;
        _cleanup_domain_free_ Domain *d = NULL;

        assert_int_equal(domain_parse(ok, strlen(ok), "test", &d, NULL), 0);
        assert_int_equal(d->n_inputs, DOMAIN_DEVICES_MAX);
        err = parse_string_err(over, -E2BIG);
        assert_string_equal(err, "test:4098: more than 4096 devices");
}

static void
test_size(void **state _unused_)
{
        _cleanup_free_ char *big = malloc(DOMAIN_XML_MAX + 2);
        _cleanup_free_ char *err = NULL;
        Domain *d = NULL;
        const char *head = "<domain><name>big</name><!--";

        assert_non_null(big);
        memset(big, ' ', DOMAIN_XML_MAX + 1);
        memcpy(big, head, strlen(head));
        big[DOMAIN_XML_MAX + 1] = 0;
        assert_int_equal(domain_parse(big, DOMAIN_XML_MAX + 1, "big.xml", &d, &err), -EFBIG);
        assert_null(d);
        assert_string_equal(err, "big.xml: 4194305 bytes of XML, more than the 4194304 allowed");
}

static void
test_invalid_values(void **state _unused_)
{
        static const struct {
                const char *xml;
                const char *error;
        } cases[] = {
                { "hello", "test:1: not well-formed XML: Start tag expected, '<' not found" },
                { "<domain><name>a</name><seclabel relabel='maybe'/></domain>",
                  "test:1: invalid relabel='maybe' on <seclabel>, expected yes/no or on/off" },
                { "<domain><name>a</name><devices><hostdev mode='subsystem' type='pci'><source>"
                  "<address domain='0' bus='0x100' slot='0' function='0'/></source></hostdev>"
                  "</devices></domain>",
                  "test:1: invalid bus='0x100' on <address>" },
                { "<domain><name>a</name><devices><graphics type='vnc' port='70000'/>"
                  "</devices></domain>",
                  "test:1: invalid port='70000' on <graphics>" },
                { "<domain id='x'><name>a</name></domain>", "test:1: invalid id='x' on <domain>" },
                { "<domain><name></name></domain>", "test:1: domain has no <name>" },
                { "<domain><name>a&#127;</name></domain>",
                  "test:1: domain name contains control characters" },
                { "<x:domain xmlns:x='urn:x'><name>a</name></x:domain>",
                  "test:1: root element is <x:domain>, not <domain>" },
                { "<domain><name>a</name></domain><domain/>",
                  "test:1: not well-formed XML: Extra content at the end of the document" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *err = parse_string_err(cases[i].xml, -EBADMSG);

                assert_non_null(err);
                assert_string_equal(err, cases[i].error);
        }

        /* empty input; and no error string asked for */
        Domain *d = NULL;
        assert_int_equal(domain_parse("", 0, "test", &d, NULL), -EBADMSG);
        assert_null(d);
}

static void
test_error_untouched_on_success(void **state _unused_)
{
        const char *xml = "<domain><name>a</name></domain>";
        char *err = (char *) "sentinel";
        _cleanup_domain_free_ Domain *d = NULL;

        assert_int_equal(domain_parse(xml, strlen(xml), NULL, &d, &err), 0);
        assert_string_equal(err, "sentinel");
        assert_str(d->origin, "domain XML");
        assert_int_equal(d->id, -1);
        assert_null(domain_free(NULL));
        assert_str(domain_tristate_to_string(DOMAIN_TRISTATE_NO), "no");
        assert_null(domain_tristate_to_string(_DOMAIN_TRISTATE_MAX));
        assert_null(domain_chardev_kind_to_string(_DOMAIN_CHARDEV_KIND_INVALID));
}

/* Repeated elements keep the first and leak nothing (ASan checks that). */
static void
test_duplicates(void **state _unused_)
{
        const char *xml =
                "<domain><name>a</name><name>b</name>"
                "<os firmware='efi'><loader>/a</loader><loader>/b</loader></os>"
                "<os firmware='bios'><nvram template='/t1'/><nvram template='/t2'/></os>"
                "<cpu mode='custom'/><cpu mode='maximum'/>"
                "<devices><disk type='network'><source name='x' protocol='nbd'/>"
                "<source name='y'/><driver type='raw'/><driver type='qcow2'/></disk>"
                "<interface type='hostdev'><source><address domain='0' bus='5' slot='0'"
                " function='1'/></source></interface></devices></domain>";
        _cleanup_domain_free_ Domain *d = NULL;

        assert_int_equal(domain_parse(xml, strlen(xml), "dup", &d, NULL), 0);
        assert_str(d->name, "a");
        assert_str(d->os.firmware, "efi");
        assert_str(d->os.loader, "/a");
        assert_str(d->os.nvram_template, "/t1");
        assert_str(d->cpu_mode, "custom");
        assert_str(d->disks[0].source_name, "x");
        assert_str(d->disks[0].driver_type, "raw");
        assert_str(d->hostdevs[0].type, "pci");
        assert_str(d->hostdevs[0].pci_address, "0000:05:00.1");
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_every_fixture),
                cmocka_unit_test(test_full),
                cmocka_unit_test(test_minimal),
                cmocka_unit_test(test_seclabels),
                cmocka_unit_test(test_qemu_namespace),
                cmocka_unit_test(test_legacy_devices),
                cmocka_unit_test(test_filesystems_9p),
                cmocka_unit_test(test_network_disks),
                cmocka_unit_test(test_lun),
                cmocka_unit_test(test_paths_verbatim),
                cmocka_unit_test(test_virt_install),
                cmocka_unit_test(test_bad_fixtures),
                cmocka_unit_test(test_billion_laughs),
                cmocka_unit_test(test_depth),
                cmocka_unit_test(test_device_count),
                cmocka_unit_test(test_size),
                cmocka_unit_test(test_invalid_values),
                cmocka_unit_test(test_error_untouched_on_success),
                cmocka_unit_test(test_duplicates),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
