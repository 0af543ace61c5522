/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The domain model: one parsed view of a libvirt domain definition, shared
 * by the domain checks and the AppArmor and SELinux profile generators.
 *
 * Pure: the input is XML text (from the libvirt API, a file under
 * /etc/libvirt/qemu/ or --xml); nothing here touches the host or libvirt.
 *
 * Conventions for every type below:
 * - Every char * is owned by the Domain, freed by domain_free(), and is the
 *   attribute or text exactly as written in the XML (not trimmed, not
 *   sanitized: paths may hold quotes, globs, spaces or newlines; a generator
 *   that writes them into a policy must validate or escape them).
 * - NULL means the attribute or element is absent.  The model does not
 *   apply libvirt's defaults; the check that needs a default states it.
 * - Arrays are `T *foo; size_t n_foo;`, in document order.
 * - yes/no and on/off attributes are DomainTristate, so that "absent" stays
 *   distinguishable from an explicit "no".
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* Input bounds (STYLE.md: every size a user controls is bounded). */
#define DOMAIN_XML_MAX       (4U * 1024U * 1024U) /* bytes of XML */
#define DOMAIN_XML_DEPTH_MAX 64U                  /* element nesting, root = 1 */
#define DOMAIN_DEVICES_MAX   4096U                /* element children of <devices> */

typedef enum DomainTristate {
        DOMAIN_TRISTATE_ABSENT,
        DOMAIN_TRISTATE_NO,  /* "no" or "off" */
        DOMAIN_TRISTATE_YES, /* "yes" or "on" */
        _DOMAIN_TRISTATE_MAX,
        _DOMAIN_TRISTATE_INVALID = -EINVAL,
} DomainTristate;

/* "absent", "no", "yes"; NULL for an out-of-range value. */
const char *domain_tristate_to_string(DomainTristate t);

/* <seclabel> at domain level, and under a disk's <source> (where libvirt
 * allows only model, relabel and label; type is then NULL). */
typedef struct DomainSeclabel {
        char *type;       /* dynamic, static, none; NULL: libvirt's dynamic */
        char *model;      /* selinux, apparmor, dac; NULL: the first driver */
        DomainTristate relabel;
        char *label;      /* <label> text */
        char *imagelabel; /* <imagelabel> text */
        char *baselabel;  /* <baselabel> text */
} DomainSeclabel;

typedef struct DomainOs {
        char *type;     /* <type> text: hvm, ... */
        char *arch;     /* <type arch=> */
        char *machine;  /* <type machine=>: pc-q35-7.2, pc-i440fx-*, q35, ... */
        char *firmware; /* <os firmware=>: efi, bios */
        /* <firmware><feature name='secure-boot' enabled=>, and enrolled-keys */
        DomainTristate firmware_secure_boot;
        DomainTristate firmware_enrolled_keys;
        char *loader;   /* <loader> text: the firmware image path */
        DomainTristate loader_readonly;
        DomainTristate loader_secure;
        char *loader_type;    /* pflash, rom */
        char *nvram;          /* <nvram> text, or <nvram><source file=> */
        char *nvram_template; /* <nvram template=> */
        char *kernel, *initrd, *dtb, *cmdline;
} DomainOs;

typedef struct DomainNetHost {
        char *name;      /* <host name=> */
        char *port;      /* <host port=> */
        char *transport; /* tcp, unix, rdma */
        char *socket;    /* <host socket=>, unix transport */
} DomainNetHost;

/* One <backingStore> element of a disk's chain as the XML records it;
 * libvirt writes it only for chains it has probed or been given. */
typedef struct DomainBackingStore {
        char *type;     /* file, block, network, ... */
        char *format;   /* <format type=>: qcow2, raw; NULL: not recorded */
        char *path;     /* <source file= | dev= | dir=> */
        char *protocol; /* <source protocol=>, network images */
        char *name;     /* <source name=>, network images */
} DomainBackingStore;

typedef struct DomainDisk {
        char *type;   /* file, block, network, volume, dir, nvme, vhostuser */
        char *device; /* disk, cdrom, floppy, lun; NULL: libvirt's disk */
        char *source; /* <source file= | dev= | dir=> */
        /* network disks */
        char *protocol;    /* rbd, iscsi, nbd, http, https, gluster, ... */
        char *source_name; /* <source name=>: pool/image, iqn/lun, export */
        DomainNetHost *hosts;
        size_t n_hosts;
        DomainTristate tls; /* <source tls=> */
        /* <auth> inside <source>, or directly in <disk> (older libvirt) */
        bool has_auth;
        char *auth_username;
        char *auth_secret_type;  /* ceph, iscsi */
        char *auth_secret_uuid;
        char *auth_secret_usage;
        /* volume disks */
        char *pool, *volume;
        char *driver_name; /* qemu */
        char *driver_type; /* raw, qcow2, ...; NULL: format probed */
        bool readonly, shareable, transient;
        DomainTristate rawio; /* <disk rawio=> */
        char *sgio;           /* filtered, unfiltered */
        DomainSeclabel *seclabels; /* <source><seclabel> */
        size_t n_seclabels;
        char *target_dev, *target_bus;
        /* backing[0] backs the disk's own source, backing[1] backs
         * backing[0], and so on.  backing_end: the chain ends with an empty
         * <backingStore/> (libvirt knows there is nothing further). */
        DomainBackingStore *backing;
        size_t n_backing;
        bool backing_end;
} DomainDisk;

typedef struct DomainGraphicsListen {
        char *type;    /* address, network, socket, none */
        char *address;
        char *network;
        char *socket;
} DomainGraphicsListen;

typedef struct DomainGraphicsChannel {
        char *name; /* main, display, inputs, ... (SPICE) */
        char *mode; /* secure, insecure, any */
} DomainGraphicsChannel;

typedef struct DomainGraphics {
        char *type;      /* vnc, spice, rdp, sdl, egl-headless, dbus */
        int port;        /* <graphics port=>; -1 when absent or automatic */
        int tls_port;    /* SPICE tlsPort=; -1 when absent or automatic */
        DomainTristate autoport;
        char *listen;    /* the legacy listen= attribute */
        char *socket;    /* VNC socket= attribute */
        DomainGraphicsListen *listens;
        size_t n_listens;
        bool passwd;     /* a passwd= is set; its text is never kept */
        char *default_mode; /* SPICE defaultMode= */
        DomainGraphicsChannel *channels;
        size_t n_channels;
        char *rendernode; /* <gl rendernode=> or <rendernode> */
} DomainGraphics;

typedef enum DomainChardevKind {
        DOMAIN_CHARDEV_SERIAL,
        DOMAIN_CHARDEV_CONSOLE,
        DOMAIN_CHARDEV_PARALLEL,
        DOMAIN_CHARDEV_CHANNEL,
        _DOMAIN_CHARDEV_KIND_MAX,
        _DOMAIN_CHARDEV_KIND_INVALID = -EINVAL,
} DomainChardevKind;

/* The element name: "serial", "console", "parallel", "channel". */
const char *domain_chardev_kind_to_string(DomainChardevKind k);

typedef struct DomainChardevSource {
        char *mode;    /* bind, connect (tcp, udp, unix) */
        char *path;    /* file, dev, pipe, unix */
        char *host;
        char *service;
        DomainTristate tls;
        DomainTristate append; /* file */
} DomainChardevSource;

typedef struct DomainChardev {
        DomainChardevKind kind;
        char *type; /* pty, file, unix, tcp, udp, pipe, dev, spicevmc, ... */
        /* udp has two sources (connect and bind); most have one or none */
        DomainChardevSource *sources;
        size_t n_sources;
        char *protocol;    /* <protocol type=>: raw, telnet, telnets, tls */
        char *log_file;    /* <log file=> */
        DomainTristate log_append;
        char *target_type; /* serial, virtio, guestfwd, isa-serial, ... */
        char *target_name; /* channel name, e.g. org.qemu.guest_agent.0 */
} DomainChardev;

typedef struct DomainHostdev {
        char *mode; /* subsystem, capabilities; NULL for <interface type='hostdev'> */
        char *type; /* pci, usb, scsi, scsi_host, mdev (subsystem);
                     * storage, misc, net (capabilities) */
        bool from_interface; /* an <interface type='hostdev'> */
        DomainTristate managed;
        char *driver_name; /* vfio, kvm, xen */
        char *pci_address; /* "0000:01:00.0", normalized from the attributes */
        int usb_vendor, usb_product; /* -1 when absent */
        int usb_bus, usb_device;     /* -1 when absent */
        char *mdev_uuid;
        char *mdev_model;   /* <hostdev model=>: vfio-pci, vfio-ccw, ... */
        char *scsi_adapter; /* <adapter name=>: scsi_host0 */
        char *scsi_address; /* "bus:target:unit" */
        char *scsi_protocol; /* iscsi for network SCSI hostdevs */
        char *scsi_name;     /* iscsi: the IQN/LUN */
        char *wwpn;          /* scsi_host (vhost-scsi) */
        char *caps_path;     /* capabilities: <block> or <char> text */
        DomainTristate readonly, shareable; /* SCSI */
} DomainHostdev;

typedef struct DomainParam {
        char *name;
        char *value;
} DomainParam;

typedef struct DomainInterface {
        char *type;  /* network, bridge, direct, user, ethernet, vhostuser,
                      * hostdev, vdpa, ... */
        char *model; /* virtio, e1000, rtl8139, ...; NULL: libvirt's default */
        char *source_network;
        char *source_bridge;
        char *source_dev;  /* direct: host NIC; vdpa: /dev/vhost-vdpa-N */
        char *source_mode; /* direct: vepa, bridge, private, passthrough;
                            * vhostuser: server, client */
        char *source_path; /* vhostuser socket */
        char *target_dev;
        char *script;      /* ethernet <script path=> */
        char *filterref;   /* <filterref filter=> */
        DomainParam *filter_params;
        size_t n_filter_params;
} DomainInterface;

typedef struct DomainController {
        char *type;  /* usb, pci, scsi, sata, ide, fdc, virtio-serial, ... */
        char *model; /* qemu-xhci, ich9-ehci1, piix3-uhci, none, ... */
        char *index;
} DomainController;

typedef struct DomainRng {
        char *model;         /* virtio */
        char *backend_model; /* random, egd, builtin */
        char *backend_type;  /* egd: tcp, udp, unix, ... */
        char *backend_path;  /* random: <backend> text; egd unix: <source path=> */
} DomainRng;

typedef struct DomainTpm {
        char *model;        /* tpm-tis, tpm-crb, spapr-tpm-proxy */
        char *backend_type; /* emulator, passthrough, external */
        char *device_path;  /* passthrough <device path=> */
        char *socket_path;  /* external <source path=> */
        char *version;      /* 1.2, 2.0 */
} DomainTpm;

typedef struct DomainFilesystem {
        char *type;        /* mount, file, block, ram, bind, template */
        char *driver_type; /* path, handle, virtiofs, loop, nbd; NULL: path */
        char *accessmode;  /* passthrough, mapped, squash; NULL: passthrough */
        char *source;      /* <source dir= | file= | dev= | name=> */
        char *source_socket; /* virtiofs started by someone else */
        char *target;      /* <target dir=> */
        char *binary;      /* <binary path=> (virtiofsd) */
        bool readonly;
} DomainFilesystem;

typedef struct DomainInput {
        char *type; /* mouse, tablet, keyboard, passthrough, evdev */
        char *bus;
        char *path; /* <source evdev=> (passthrough) or <source dev=> (evdev) */
} DomainInput;

typedef struct DomainSmartcard {
        char *mode;     /* host, host-certificates, passthrough */
        char *type;     /* passthrough: tcp, spicevmc, ... */
        char *database; /* host-certificates <database> */
        char *host, *service; /* passthrough tcp <source> */
} DomainSmartcard;

typedef struct DomainShmem {
        char *name;
        char *model; /* ivshmem-plain, ivshmem-doorbell */
        char *path;  /* <server path=> */
} DomainShmem;

typedef struct DomainDeviceModel {
        char *model; /* <sound model=>, <video><model type=> */
} DomainDeviceModel;

typedef struct Domain {
        char *origin; /* as given to domain_parse() */
        char *name;   /* never NULL; has no control characters */
        char *uuid;
        char *type;   /* kvm, qemu */
        long id;      /* <domain id=>, present while running; -1 otherwise */
        char *emulator; /* <devices><emulator> */
        DomainOs os;
        DomainTristate smm; /* <features><smm>; <smm/> alone means on */
        bool has_cpu;
        char *cpu_mode; /* host-passthrough, host-model, custom, maximum; NULL
                         * with has_cpu: custom */
        bool nosharepages; /* <memoryBacking><nosharepages/> */
        char *launch_security; /* <launchSecurity type=>: sev, sev-snp, tdx, s390-pv */

        DomainSeclabel *seclabels;
        size_t n_seclabels;
        DomainDisk *disks;
        size_t n_disks;
        DomainGraphics *graphics;
        size_t n_graphics;
        DomainChardev *chardevs; /* serial, console, parallel, channel */
        size_t n_chardevs;
        DomainHostdev *hostdevs; /* includes <interface type='hostdev'> */
        size_t n_hostdevs;
        DomainInterface *interfaces; /* all, type='hostdev' too */
        size_t n_interfaces;
        DomainController *controllers;
        size_t n_controllers;
        DomainDeviceModel *sounds;
        size_t n_sounds;
        DomainDeviceModel *videos;
        size_t n_videos;
        DomainRng *rngs;
        size_t n_rngs;
        DomainTpm *tpms;
        size_t n_tpms;
        DomainFilesystem *filesystems;
        size_t n_filesystems;
        DomainInput *inputs;
        size_t n_inputs;
        DomainSmartcard *smartcards;
        size_t n_smartcards;
        DomainShmem *shmems;
        size_t n_shmems;

        /* http://libvirt.org/schemas/domain/qemu/1.0, any prefix */
        char **qemu_args;       /* NULL-terminated strv; NULL when none */
        DomainParam *qemu_env;
        size_t n_qemu_env;
        bool qemu_commandline;  /* a <qemu:commandline> element exists */
        bool qemu_capabilities; /* a <qemu:capabilities> element exists */
        bool qemu_override;     /* a <qemu:override> element exists */
} Domain;

/*
 * Parses @len bytes of domain XML.  @origin names where it came from
 * ("/etc/libvirt/qemu/web.xml", "libvirt API") and starts every message.
 *
 * The XML is read without network access, without DTD loading and without
 * entity substitution; a document with a DOCTYPE is refused, so neither
 * external entities nor entity expansion (billion laughs) can happen.
 *
 * Returns 0 and *ret_domain (caller frees with domain_free()), or:
 *   -EFBIG    more than DOMAIN_XML_MAX bytes
 *   -E2BIG    deeper than DOMAIN_XML_DEPTH_MAX or more than DOMAIN_DEVICES_MAX devices
 *   -EBADMSG  not well-formed XML, a DOCTYPE, root not <domain>, no <name>,
 *             a name with control characters, an invalid yes/no value or
 *             PCI/USB address
 *   -ENOMEM
 * On failure other than -ENOMEM, *ret_error (when @ret_error is not NULL)
 * gets a message "ORIGIN:LINE: what" (caller frees); it is untouched on
 * success.
 */
int domain_parse(const char *xml, size_t len, const char *origin,
                 Domain **ret_domain, char **ret_error);

/* Frees @d and everything it owns; accepts NULL; returns NULL. */
Domain *domain_free(Domain *d);

static inline void
domain_freep(Domain **d)
{
        if (*d)
                (void) domain_free(*d);
}
#define _cleanup_domain_free_ __attribute__((__cleanup__(domain_freep)))

/* Helpers for checks and generators.  All take non-NULL pointers. */

/* QEMU may write to it: no <readonly/> and not a cdrom (libvirt always
 * opens cdroms read-only). */
bool domain_disk_is_writable(const DomainDisk *disk);

/* type is file, block or dir (or volume) and a local path is known. */
bool domain_disk_has_local_source(const DomainDisk *disk);

/* The first listen address of a graphics device: the first <listen
 * type='address'>'s address, else the listen= attribute; NULL if none. */
const char *domain_graphics_listen_address(const DomainGraphics *g);

/* The domain-level seclabel for @model ("selinux", "apparmor", "dac"), or the
 * one with no model when @model is NULL; NULL when none matches. */
const DomainSeclabel *domain_seclabel_find(const Domain *d, const char *model);

/* The qemu namespace was used in any way (commandline, capabilities,
 * override). */
bool domain_has_qemu_passthrough(const Domain *d);

/* Whether a host or listen address as written in a definition reaches
 * only this host: 127.0.0.0/8, ::1 (also as [::1] and IPv4-mapped
 * 127/8), localhost.  A name that merely starts like one is not. */
bool domain_address_is_loopback(const char *address);
