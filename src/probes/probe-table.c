/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "probes.h"

int probe_libvirt_conf_load_libvirtd(FactStore *s, Host *h);
int probe_libvirt_conf_load_virtqemud(FactStore *s, Host *h);
int probe_libvirt_conf_load_virtproxyd(FactStore *s, Host *h);

/* Sorted by name; a new namespace is one line here plus its probe. */
const FactNamespace probe_namespaces[] = {
        {"aaprofile",       NULL,                             probe_aaprofile_load_one, NULL},
        {"apparmor",        probe_apparmor_load,              NULL,                    NULL},
        {"blockdev",        NULL,                             probe_blockdev_load_one, NULL},
        {"cmdline",         probe_cmdline_load,               NULL,                    NULL},
        {"cpu",             probe_cpu_load,                   NULL,                    NULL},
        {"cpuvuln",         probe_cpuvuln_load,               NULL,                    NULL},
        {"dev",             probe_dev_load,                   NULL,                    NULL},
        {"domain",          probe_domain_load,                NULL,                    NULL},
        {"domainstate",     probe_domainstate_load,           NULL,                    NULL},
        {"efivar",          NULL,                             probe_efivar_load_one,   NULL},
        {"group",           probe_group_load,                 NULL,                    NULL},
        {"imagehead",       NULL,                             probe_imagehead_load_one, NULL},
        {"iommu",           probe_iommu_load,                 NULL,                    NULL},
        {"kconfig",         probe_kconfig_load,               NULL,                    NULL},
        {"kvm",             probe_kvm_load,                   NULL,                    NULL},
        {"kvmparam",        NULL,                             probe_kvmparam_load_one, probe_kvmparam_collect},
        {"label",           NULL,                             probe_label_load_one,    NULL},
        {"libvirt",         probe_libvirt_load,               NULL,                    NULL},
        {"libvirtd.conf",   probe_libvirt_conf_load_libvirtd, NULL,                    NULL},
        {"lsm",             probe_lsm_load,                   NULL,                    NULL},
        {"meta",            NULL,                             NULL,                    NULL},
        {"mount",           probe_mount_load,                 NULL,                    NULL},
        {"network",         probe_network_load,               NULL,                    NULL},
        {"process",         probe_process_load,               NULL,                    NULL},
        {"qemu",            probe_qemu_load,                  NULL,                    NULL},
        {"qemu.conf",       probe_libvirt_conf_load_qemu,     NULL,                    NULL},
        {"realdev",         NULL,                             probe_realdev_load_one,  NULL},
        {"realpath",        NULL,                             probe_realpath_load_one, NULL},
        {"sasl",            probe_sasl_load,                  NULL,                    NULL},
        {"selinux",         probe_selinux_load,               probe_selinux_load_one,  probe_selinux_collect},
        {"stat",            NULL,                             probe_stat_load_one,     probe_stat_collect},
        {"sysctl",          NULL,                             probe_sysctl_load_one,   NULL},
        {"sysfs",           NULL,                             probe_sysfs_load_one,    NULL},
        {"ucode",           probe_ucode_load,                 NULL,                    NULL},
        {"unit",            NULL,                             probe_unit_load_one,     probe_unit_collect},
        {"user",            probe_user_load,                  NULL,                    NULL},
        {"virtproxyd.conf", probe_libvirt_conf_load_virtproxyd, NULL,                  NULL},
        {"virtqemud.conf",  probe_libvirt_conf_load_virtqemud, NULL,                   NULL},
};

const size_t probe_namespaces_count = ELEMENTSOF(probe_namespaces);
