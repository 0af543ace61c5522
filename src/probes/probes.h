/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

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

/* Shared helpers. */

/* Records the result of reading a single value file at @path as fact @key:
 * the trimmed text, absent for ENOENT, an error naming @path otherwise. */
int probe_record_value(FactStore *s, Host *h, const char *key, const char *path);

/* Records @err for @key with a message naming @path. */
int probe_record_error(FactStore *s, const char *key, const char *path, int err);

/* Validates the name part of a key that becomes a path component
 * sequence: no "..", no empty components, no leading '/'. */
int probe_name_is_safe_path(const char *name);

/* Kernel parameter names compare with '-' and '_' equal; we store '_'. */
void probe_normalize_param(char *name);
