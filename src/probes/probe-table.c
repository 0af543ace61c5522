/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "probes.h"

int probe_libvirt_conf_load_libvirtd(FactStore *s, Host *h);
int probe_libvirt_conf_load_virtqemud(FactStore *s, Host *h);
int probe_libvirt_conf_load_virtproxyd(FactStore *s, Host *h);

/*
 * What each probe records (docs/check-format.md, "Fact namespaces"): a
 * facts file is held to it, so a value of another kind or with bytes no
 * probe writes is refused instead of turning a verdict.
 */
static const FactRule rules_string[] = {{"*", FACT_RULE_STRING, 0}, {NULL, 0, 0}};
static const FactRule rules_list[] = {{"*", FACT_RULE_LIST, 0}, {NULL, 0, 0}};
static const FactRule rules_stat[] = {{"*", FACT_RULE_STAT, 0}, {NULL, 0, 0}};
/* values cut out of one line of a file (kernel config, /proc/cpuinfo) */
static const FactRule rules_line[] = {{"*", FACT_RULE_STRING, FACT_RULE_ONE_LINE}, {NULL, 0, 0}};
static const FactRule rules_cpu[] = {
        {"smt_*", FACT_RULE_STRING, 0}, /* sysfs files */
        {"*", FACT_RULE_STRING, FACT_RULE_ONE_LINE},
        {NULL, 0, 0},
};
/* a libvirt setting is a string (integers as text) or a list, whichever
 * the file has */
static const FactRule rules_conf[] = {{"*", FACT_RULE_STRING | FACT_RULE_LIST, 0}, {NULL, 0, 0}};
static const FactRule rules_apparmor[] = {
        {"profiles", FACT_RULE_LIST, 0},
        {"*", FACT_RULE_STRING, 0},
        {NULL, 0, 0},
};
static const FactRule rules_libvirt[] = {
        {"domains", FACT_RULE_LIST, 0},
        {"*", FACT_RULE_STRING, 0},
        {NULL, 0, 0},
};
static const FactRule rules_selinux[] = {
        {"permissive", FACT_RULE_LIST, 0},
        {"*", FACT_RULE_STRING, 0},
        {NULL, 0, 0},
};
static const FactRule rules_daemonconf[] = {
        {"*", FACT_RULE_STRING | FACT_RULE_LIST, FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

static const FactRule rules_process[] = {
        /* derived (probe_process_derive) */
        {"*/uids", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/gids", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/euid", FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/egid", FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/capeff-names", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/capprm-names", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/sandbox", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/domain", FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/seccomp-allows", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/sandbox-claims", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/listener-services", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*/cmdline", FACT_RULE_LIST, 0},
        {"*/listeners", FACT_RULE_LIST, 0},
        {"*", FACT_RULE_STRING, 0},
        {NULL, 0, 0},
};
static const FactRule rules_seccomp[] = {
        {"names/*", FACT_RULE_LIST, 0},
        {"*/filters", FACT_RULE_LIST, 0},
        {"*/table", FACT_RULE_LIST, 0},
        {"*", FACT_RULE_STRING, FACT_RULE_ONE_LINE},
        {NULL, 0, 0},
};
/* where facts came from: paths, lines, the places of a repeated setting */
static const FactRule rules_meta[] = {
        /* daemonconf's copy of a note (probe-daemonconf.c) */
        {"daemonconf:*@repeated", FACT_RULE_LIST, FACT_RULE_DERIVED},
        {"*@repeated", FACT_RULE_LIST, 0},
        {"*", FACT_RULE_STRING, 0},
        {NULL, 0, 0},
};

/* Sorted by name; a new namespace is one line here plus its probe. */
const FactNamespace probe_namespaces[] = {
        {"aaprofile",       NULL,                             probe_aaprofile_load_one, NULL, rules_list},
        {"apparmor",        probe_apparmor_load,              NULL,                    NULL, rules_apparmor},
        {"blockdev",        NULL,                             probe_blockdev_load_one, NULL, rules_list},
        {"cmdline",         probe_cmdline_load,               NULL,                    NULL, rules_string},
        {"cpu",             probe_cpu_load,                   NULL,                    NULL, rules_cpu},
        {"cpuvuln",         probe_cpuvuln_load,               NULL,                    NULL, rules_string},
        {"daemonconf",      NULL,                             NULL,                    NULL, rules_daemonconf,
         probe_daemonconf_derive},
        {"dev",             probe_dev_load,                   NULL,                    NULL, rules_list},
        {"devnum",          NULL,                             NULL,                    NULL, probe_devnum_rules,
         probe_devnum_derive},
        {"domain",          probe_domain_load,                NULL,                    NULL, rules_string},
        {"domainstate",     probe_domainstate_load,           NULL,                    NULL, rules_string},
        {"domlabel",        NULL,                             NULL,                    NULL, probe_domlabel_rules,
         probe_domlabel_derive},
        {"efivar",          NULL,                             probe_efivar_load_one,   NULL, rules_string},
        {"filecon",         NULL,                             probe_filecon_load_one,  NULL, rules_string},
        {"group",           probe_group_load,                 NULL,                    NULL, rules_string},
        {"host",            NULL,                             NULL,                    NULL, probe_host_rules,
         probe_host_derive},
        {"imagehead",       NULL,                             probe_imagehead_load_one, NULL, rules_string},
        {"iommu",           probe_iommu_load,                 NULL,                    NULL, rules_string},
        {"kconfig",         probe_kconfig_load,               NULL,                    NULL, rules_line},
        {"kernel",          probe_kernel_load,                NULL,                    NULL, rules_line},
        {"kvm",             probe_kvm_load,                   NULL,                    NULL, rules_string},
        {"kvmparam",        NULL,                             probe_kvmparam_load_one, probe_kvmparam_collect, rules_string},
        {"label",           NULL,                             probe_label_load_one,    NULL, rules_string},
        {"libvirt",         probe_libvirt_load,               NULL,                    NULL, rules_libvirt},
        {"libvirtd.conf",   probe_libvirt_conf_load_libvirtd, NULL,                    NULL, rules_conf},
        {"lsm",             probe_lsm_load,                   NULL,                    NULL, rules_string},
        {"mac",             NULL,                             NULL,                    NULL, probe_mac_rules,
         probe_mac_derive},
        {"meta",            NULL,                             NULL,                    NULL, rules_meta},
        {"mount",           probe_mount_load,                 NULL,                    NULL, rules_list},
        {"network",         probe_network_load,               NULL,                    NULL, rules_list},
        {"os",              probe_os_load,                    NULL,                    NULL, rules_line},
        {"process",         probe_process_load,               NULL,                    NULL, rules_process,
         probe_process_derive},
        {"proclabel",       NULL,                             NULL,                    NULL, probe_proclabel_rules,
         probe_proclabel_derive},
        {"qemu",            probe_qemu_load,                  NULL,                    NULL, rules_list},
        {"qemu.conf",       probe_libvirt_conf_load_qemu,     NULL,                    NULL, rules_conf},
        {"realdev",         NULL,                             probe_realdev_load_one,  NULL, rules_string},
        {"realpath",        NULL,                             probe_realpath_load_one, NULL, rules_string},
        {"sasl",            probe_sasl_load,                  NULL,                    NULL, rules_string},
        {"seccomp",         probe_seccomp_load,               NULL,                    NULL, rules_seccomp},
        {"selinux",         probe_selinux_load,               probe_selinux_load_one,  probe_selinux_collect, rules_selinux},
        {"stat",            NULL,                             probe_stat_load_one,     probe_stat_collect, rules_stat},
        {"sysctl",          NULL,                             probe_sysctl_load_one,   NULL, rules_string},
        {"sysfs",           NULL,                             probe_sysfs_load_one,    NULL, rules_string},
        {"ucode",           probe_ucode_load,                 NULL,                    NULL, rules_string},
        {"unit",            NULL,                             probe_unit_load_one,     probe_unit_collect, rules_string},
        {"user",            probe_user_load,                  NULL,                    NULL, rules_string},
        {"virtproxyd.conf", probe_libvirt_conf_load_virtproxyd, NULL,                  NULL, rules_conf},
        {"virtqemud.conf",  probe_libvirt_conf_load_virtqemud, NULL,                   NULL, rules_conf},
        {"vm",              NULL,                             NULL,                    NULL, probe_vm_rules,
         probe_vm_derive},
};

const size_t probe_namespaces_count = ELEMENTSOF(probe_namespaces);
