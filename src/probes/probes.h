/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "facts.h"

/*
 * Probes read the host through src/host/ and record facts; they never
 * judge.  probe_namespaces is the table handed to the fact store: one
 * entry per fact namespace, sorted by name.
 */
extern const FactNamespace probe_namespaces[];
extern const size_t probe_namespaces_count;

/* Loaders, one file per source. */
int probe_kconfig_load(FactStore *s, Host *h);
int probe_cmdline_load(FactStore *s, Host *h);
int probe_sysctl_load_one(FactStore *s, Host *h, const char *name);
int probe_sysctl_collect(FactStore *s, Host *h);
int probe_sysfs_load_one(FactStore *s, Host *h, const char *name);
int probe_kvmparam_load_one(FactStore *s, Host *h, const char *name);
int probe_kvmparam_collect(FactStore *s, Host *h);
int probe_cpu_load(FactStore *s, Host *h);
int probe_kvm_load(FactStore *s, Host *h);
int probe_kernel_load(FactStore *s, Host *h);
int probe_cpuvuln_load(FactStore *s, Host *h);
int probe_ucode_load(FactStore *s, Host *h);
int probe_iommu_load(FactStore *s, Host *h);
int probe_efivar_load_one(FactStore *s, Host *h, const char *name);
int probe_stat_load_one(FactStore *s, Host *h, const char *name);
int probe_stat_collect(FactStore *s, Host *h);
int probe_dev_load(FactStore *s, Host *h);
int probe_group_load(FactStore *s, Host *h);
int probe_user_load(FactStore *s, Host *h);
int probe_libvirt_conf_load_qemu(FactStore *s, Host *h);
int probe_network_load(FactStore *s, Host *h);
/* os:id, os:id_like, os:version_id from os-release (probe-os.c). */
int probe_os_load(FactStore *s, Host *h);
/* Host block device use (probe-mount.c): mount:devices, blockdev:MAJ:MIN,
 * realdev:PATH. */
int probe_mount_load(FactStore *s, Host *h);
int probe_blockdev_load_one(FactStore *s, Host *h, const char *name);
int probe_realdev_load_one(FactStore *s, Host *h, const char *name);

/* VM confinement (docs/check-format.md, "Namespaces for VM confinement"). */
int probe_lsm_load(FactStore *s, Host *h);
int probe_selinux_load(FactStore *s, Host *h);
int probe_selinux_load_one(FactStore *s, Host *h, const char *name);
int probe_selinux_collect(FactStore *s, Host *h);
int probe_label_load_one(FactStore *s, Host *h, const char *name);
int probe_filecon_load_one(FactStore *s, Host *h, const char *name);
int probe_apparmor_load(FactStore *s, Host *h);
int probe_unit_load_one(FactStore *s, Host *h, const char *name);
int probe_unit_collect(FactStore *s, Host *h);
int probe_sasl_load(FactStore *s, Host *h);
/* lsm.apparmor-profile-minimal: the per-VM profile source libvirt keeps,
 * and the host answers the profile generator needs (probe-apparmor-files.c). */
int probe_aaprofile_load_one(FactStore *s, Host *h, const char *name);
int probe_realpath_load_one(FactStore *s, Host *h, const char *name);
int probe_imagehead_load_one(FactStore *s, Host *h, const char *name);

/* The rules are read by aa_rules_parse() (src/domain/aa-rules.h). */
/* process:PID/listeners (probe-listen.c): "tcp ADDR:PORT" / "tcp6
 * [ADDR]:PORT" of each listening TCP socket the process holds. */
int probe_listen_record(FactStore *s, Host *h, const char *pid);
/* libvirt, domain and domainstate share one listing; qemu and process one
 * /proc scan.  Loading any of them fills its siblings. */
int probe_libvirt_load(FactStore *s, Host *h);
int probe_domain_load(FactStore *s, Host *h);
int probe_domainstate_load(FactStore *s, Host *h);
int probe_qemu_load(FactStore *s, Host *h);
int probe_process_load(FactStore *s, Host *h);
/* Derived process:PID/FIELD facts (uids, gids, euid, egid, capeff-names,
 * capprm-names, sandbox, domain), from the facts above. */
int probe_process_derive(FactStore *s, const char *name);
/* daemonconf:NAME/KEY, a libvirt daemon's configuration by daemon name,
 * and what libvirt makes of it (probe-daemonconf.c). */
int probe_daemonconf_derive(FactStore *s, const char *name);

/* vm:NAME/FIELD (probe-vm.c): derived from the domain:NAME fact through
 * the domain model, never from a host file; the fields and their kinds
 * are probe_vm_rules (docs/check-format.md, "vm" rows).  An unparsable
 * definition makes every field of that domain an error naming why. */
typedef struct Domain Domain;
extern const FactRule probe_vm_rules[];
int probe_vm_derive(FactStore *s, const char *name);
/* Records the vm:NAME/FIELD facts of parsed domain @d. */
int probe_vm_publish(FactStore *s, const char *name, const Domain *d);

/* host:FIELD and devnum:PATH (probe-derived-host.c): derived from other
 * facts (the CPU vendor's kconfig options, the loaded microcode against the
 * one on disk, the kernel's offset from its link address, the domains KSM
 * may merge; a device node's number), never from a host file
 * (docs/check-format.md, "host" and "devnum" rows). */
extern const FactRule probe_host_rules[];
extern const FactRule probe_devnum_rules[];
int probe_host_derive(FactStore *s, const char *name);
int probe_devnum_derive(FactStore *s, const char *name);
/* mac:FIELD, proclabel:PID/FIELD and domlabel:NAME/FIELD
 * (probe-derived-mac.c): the host's MAC state, a QEMU process's label and a
 * domain's <seclabel> as the lsm and svirt checks judge them, derived from
 * other facts (docs/check-format.md). */
extern const FactRule probe_mac_rules[];
extern const FactRule probe_proclabel_rules[];
extern const FactRule probe_domlabel_rules[];
int probe_mac_derive(FactStore *s, const char *name);
int probe_proclabel_derive(FactStore *s, const char *name);
int probe_domlabel_derive(FactStore *s, const char *name);

/* seccomp:PID/... (probe-seccomp.c): QEMU's filters read back with ptrace;
 * only when enabled for the store ("--inspect-seccomp"; before its first
 * seccomp key is read), else every key is a skip-class error saying so. */
int probe_seccomp_load(FactStore *s, Host *h);
int probe_seccomp_set_inspect(FactStore *s, bool on);
bool probe_seccomp_inspect_enabled(FactStore *s);
/* Reads every QEMU process's filters now, when enabled: the read-back must
 * come before kvmaudit's own sandbox (the kernel refuses it to a filtered
 * tracer), and the guest threads are stopped one after the other, early. */
int probe_seccomp_inspect_now(FactStore *s);
/* "clone(flags=fork)", ...: the argument variants the decoder evaluates
 * where a filter reads the arguments (caller frees). */
int probe_seccomp_variant_labels(char ***ret);
/* process:PID/seccomp-allows (probe-seccomp-allows.c), stored under @key:
 * the syscalls and variants the filter of @pid lets through. */
int probe_seccomp_derive_allows(FactStore *s, const char *key, const char *pid);
/* process:PID/listener-services (probe-listen-services.c), stored under
 * @key: each listener of @pid named from its command line. */
int probe_listen_derive_services(FactStore *s, const char *key, const char *pid);

/* The libvirt URI the domains of @s are listed from on a live host (NULL:
 * the default, qemu:///system), set before the first libvirt, domain or
 * domainstate key is read.  The string is copied and kept with the store,
 * not in a global.  -EEXIST when already set. */
int probe_virt_set_uri(FactStore *s, const char *uri);

/* Shared helpers. */

/* Records the result of reading a single value file at @path as fact @key:
 * the trimmed text, absent for ENOENT, an error naming @path otherwise. */
int probe_record_value(FactStore *s, Host *h, const char *key, const char *path);

/*
 * Whether @text, read from @path, is an offline image's placeholder rather
 * than runtime state: not a live host, @path under /proc, /sys or /run, and
 * @text empty or blanks only.  An image's empty /proc/cmdline is not "no
 * mitigations=off"; such a fact is -ENOMEDIUM (skip), like a missing /proc.
 */
bool probe_offline_placeholder(const Host *h, const char *path, const char *text);
#define PROBE_PLACEHOLDER_REASON "empty in an offline root: runtime state not available"

/* Records @err for @key with a message naming @path. */
int probe_record_error(FactStore *s, const char *key, const char *path, int err);

/* The first path that says libvirt's QEMU driver is installed in the
 * audited root (configuration directory, daemon binary or socket), NULL
 * when none exists: then libvirt's defaults describe nothing and checks of
 * its configuration skip with probe_libvirt_absent_reason() (caller
 * frees; NULL on ENOMEM). */
const char *probe_libvirt_installed(const Host *h);
char *probe_libvirt_absent_reason(void);

/* Validates the name part of a key that becomes a path component
 * sequence: no "..", no empty components, no leading '/'. */
int probe_name_is_safe_path(const char *name);

/* Kernel parameter names compare with '-' and '_' equal; we store '_'. */
void probe_normalize_param(char *name);

/* The file on the audited host behind fact @key ("ns:name"), and its line
 * when a probe recorded one (0 otherwise): *ret_path is a host path the
 * caller frees.  -ENOENT for a namespace with no file behind it. */
int probe_fact_source(FactStore *s, const char *key, char **ret_path, unsigned *ret_line);
