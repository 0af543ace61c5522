/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The svirt and lsm checks that have a C judge, on fact tables
 * (judge-harness.h): the active LSMs, SELinux and AppArmor state, the QEMU
 * driver's security settings, domains' seclabels, QEMU processes' labels
 * and image labels.  Shapes from tests/fixtures/hosts/mac-*. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge-harness.h"
#include "macro.h"

#define LSM_SELINUX "lsm:active=lockdown,capability,landlock,yama,selinux"
#define LSM_APPARMOR "lsm:active=lockdown,capability,landlock,yama,apparmor"
#define LSM_NONE "lsm:active=lockdown,capability,landlock,yama"

#define U1 "11111111-2222-4333-8444-555555555555"
#define U2 "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
#define VM1 "6f3e1d2a-7b6c-4a1e-9d0f-1a2b3c4d5e6f"

/* A domain NAME with uuid UUID, extra top-level XML @top, devices @dev. */
#define DOMU(name, uuid, top, dev)                                                         \
        "domain:" name "=<domain type='kvm'><name>" name "</name><uuid>" uuid "</uuid>"    \
        "<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>" top                  \
        "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>" dev "</devices></domain>"
#define QCOW(path) "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" path \
        "'/><target dev='vda' bus='virtio'/></disk>"
/* One running QEMU process PID of VM NAME/UUID with LSM label LABEL. */
#define QPROC(pid, name, uuid, label)                                                        \
        "process:" pid "/name=" name, "process:" pid "/uuid=" uuid, "process:" pid "/label=" label
#define SEL_STATIC(label, relabel) "<seclabel type='static' model='selinux' relabel='" relabel "'><label>" label \
        "</label></seclabel>"

static const JudgeCase cases[] = {
        /* lsm.mac-active */
        {"lsm.mac-active", "AppArmor", {LSM_APPARMOR}, {{"host", STATUS_PASS, "lsm:active = lockdown,capability,landlock,yama,apparmor"}}},
        {"lsm.mac-active", "no MAC LSM", {LSM_NONE}, {{"host", STATUS_FAIL, "lsm:active = lockdown,capability,landlock,yama"}}},
        {"lsm.mac-active", "securityfs not mounted, selinuxfs present",
         {"-lsm:active", "sysfs:fs/selinux=present", "-sysfs:module/apparmor/parameters/enabled"},
         {{"host", STATUS_PASS, "mac:active = selinux; mac:decided-by = sysfs:fs/selinux and sysfs:module/apparmor/parameters/enabled (securityfs not mounted: no lsm:active); lsm:active (absent); sysfs:fs/selinux = present; sysfs:module/apparmor/parameters/enabled (absent)"}}},
        {"lsm.mac-active", "securityfs not mounted, nothing", {"-lsm:active", "-sysfs:fs/selinux",
                                                               "sysfs:module/apparmor/parameters/enabled=N"},
         {{"host", STATUS_FAIL, "mac:active = (empty) (offending: fails nonempty); mac:decided-by = sysfs:fs/selinux and sysfs:module/apparmor/parameters/enabled (securityfs not mounted: no lsm:active); lsm:active (absent); sysfs:fs/selinux (absent); sysfs:module/apparmor/parameters/enabled = N"}}},
        {"lsm.mac-active", "offline root",
         {"lsm:active!=ENOMEDIUM /sys/kernel/security/lsm: empty in an offline root: runtime state not available"},
         {{"host", STATUS_SKIP, "empty in an offline root"}}},
        {"lsm.mac-active", "unreadable", {"lsm:active!=EACCES /sys/kernel/security/lsm: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        /* lsm.selinux-config-enforcing */
        {"lsm.selinux-config-enforcing", "enforcing", {"selinux:config=enforcing", LSM_SELINUX, "+cmdline"},
         {{"host", STATUS_PASS, "mac:selinux-config = enforcing; cmdline:enforcing (absent); cmdline:selinux (absent)"}}},
        {"lsm.selinux-config-enforcing", "case-insensitive", {"selinux:config=Enforcing", LSM_SELINUX, "+cmdline"},
         {{"host", STATUS_PASS, "mac:selinux-config = enforcing; cmdline:enforcing (absent); cmdline:selinux (absent); selinux:config = Enforcing"}}},
        {"lsm.selinux-config-enforcing", "permissive", {"selinux:config=permissive", LSM_SELINUX, "+cmdline"},
         {{"host", STATUS_FAIL, "mac:selinux-config = permissive"}}},
        {"lsm.selinux-config-enforcing", "enforcing=0 on the command line",
         {"selinux:config=enforcing", LSM_SELINUX, "cmdline:enforcing=0"},
         {{"host", STATUS_FAIL, "mac:selinux-config = enforcing; cmdline:enforcing = 0 (offending: fails ne 0); cmdline:selinux (absent); selinux:config = enforcing; lsm:active = lockdown,capability,landlock,yama,selinux; sysfs:fs/selinux unreadable"}}},
        {"lsm.selinux-config-enforcing", "config on an AppArmor host", {"selinux:config=permissive", LSM_APPARMOR, "+cmdline", "-sysfs:fs/selinux"},
         {{"host", STATUS_SKIP, "not applicable: lsm:active = lockdown,capability,landlock,yama,apparmor; sysfs:fs/selinux (absent) (applies when lsm:active word selinux or sysfs:fs/selinux present)"}}},
        {"lsm.selinux-config-enforcing", "no SELinux at all", {"+selinux", LSM_APPARMOR, "-sysfs:fs/selinux"},
         {{"host", STATUS_SKIP, "not applicable: lsm:active = lockdown,capability,landlock,yama,apparmor; sysfs:fs/selinux (absent)"}}},
        {"lsm.selinux-config-enforcing", "active without config", {"+selinux", LSM_SELINUX},
         {{"host", STATUS_FAIL, "mac:selinux-config (absent)"}}},
        /* Data since issue 13: whether SELinux runs is read first (applies),
         * so the row names the LSMs; an unreadable file on a host without
         * SELinux skips (the judge gave an error for a file it says decides
         * nothing there). */
        {"lsm.selinux-config-enforcing", "config unreadable",
         {"selinux:config!=EACCES /etc/selinux/config: Permission denied", LSM_SELINUX, "+cmdline"},
         {{"host", STATUS_ERROR, "Permission denied"}}},
        {"lsm.selinux-config-enforcing", "config unreadable, SELinux not active",
         {"selinux:config!=EACCES /etc/selinux/config: Permission denied", LSM_APPARMOR, "-sysfs:fs/selinux"},
         {{"host", STATUS_SKIP, "not applicable: lsm:active = lockdown,capability,landlock,yama,apparmor; sysfs:fs/selinux (absent)"}}},

        /* lsm.selinux-virt-types-enforced */
        {"lsm.selinux-virt-types-enforced", "no permissive virt type",
         {LSM_SELINUX, "selinux:permissive[]=sanlock_t"}, {{"host", STATUS_PASS, "selinux:permissive = sanlock_t"}}},
        {"lsm.selinux-virt-types-enforced", "none permissive", {LSM_SELINUX, "selinux:permissive[]="},
         {{"host", STATUS_PASS, "selinux:permissive = (empty)"}}},
        {"lsm.selinux-virt-types-enforced", "svirt_t permissive", {LSM_SELINUX, "selinux:permissive[]=svirt_t|sanlock_t"},
         {{"host", STATUS_FAIL, "selinux:permissive = svirt_t,sanlock_t; lsm:active = lockdown,capability,landlock,yama,selinux; sysfs:fs/selinux unreadable; selinux:permissive offending (none-in): svirt_t"}}},
        {"lsm.selinux-virt-types-enforced", "no module store", {LSM_SELINUX, "+selinux"},
         {{"host", STATUS_SKIP, "selinux:permissive (absent)"}}},
        {"lsm.selinux-virt-types-enforced", "not SELinux", {LSM_APPARMOR, "-sysfs:fs/selinux"},
         {{"host", STATUS_SKIP, "not applicable: lsm:active = lockdown,capability,landlock,yama,apparmor; sysfs:fs/selinux (absent)"}}},
        {"lsm.selinux-virt-types-enforced", "module store unreadable",
         {LSM_SELINUX, "selinux:permissive!=EACCES /var/lib/selinux/targeted/active/modules: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        /* lsm.apparmor-libvirtd-enforce */
        {"lsm.apparmor-libvirtd-enforce", "libvirtd and the helper enforced",
         {"+qemu.conf", LSM_APPARMOR,
          "apparmor:profiles[]=/usr/sbin/cups-browsed (enforce)|libvirtd (enforce)|libvirtd//qemu_bridge_helper (enforce)|virt-aa-helper (enforce)"},
         {{"host", STATUS_PASS, "libvirtd (enforce); virt-aa-helper (enforce)"}}},
        {"lsm.apparmor-libvirtd-enforce", "old path-named profiles",
         {"qemu.conf:security_driver=apparmor", LSM_APPARMOR,
          "apparmor:profiles[]=/usr/sbin/libvirtd (enforce)|/usr/lib/libvirt/virt-aa-helper (enforce)"},
         {{"host", STATUS_PASS, "/usr/sbin/libvirtd (enforce); /usr/lib/libvirt/virt-aa-helper (enforce)"}}},
        {"lsm.apparmor-libvirtd-enforce", "daemon in complain",
         {"+qemu.conf", LSM_APPARMOR, "apparmor:profiles[]=virtqemud (complain)|virt-aa-helper (enforce)"},
         {{"host", STATUS_FAIL, "virtqemud (complain); virt-aa-helper (enforce); no libvirtd or virtqemud profile in enforce mode"}}},
        {"lsm.apparmor-libvirtd-enforce", "no libvirt profile",
         {"+qemu.conf", LSM_APPARMOR, "apparmor:profiles[]=/usr/sbin/cups-browsed (enforce)"},
         {{"host", STATUS_FAIL, "no libvirt profile loaded; no libvirtd or virtqemud profile in enforce mode; no virt-aa-helper profile in enforce mode"}}},
        {"lsm.apparmor-libvirtd-enforce", "SELinux is the driver", {"qemu.conf:security_driver=selinux", LSM_SELINUX},
         {{"host", STATUS_SKIP, "libvirt's security driver is not AppArmor (security_driver = selinux)"}}},
        {"lsm.apparmor-libvirtd-enforce", "both LSMs, no driver set",
         {"+qemu.conf", "lsm:active=lockdown,capability,selinux,apparmor"},
         {{"host", STATUS_SKIP, "AppArmor is not libvirt's default security driver here (security_driver absent; AppArmor active, SELinux active)"}}},
        {"lsm.apparmor-libvirtd-enforce", "no profile list", {"+qemu.conf", LSM_APPARMOR, "+apparmor"},
         {{"host", STATUS_SKIP, "no AppArmor profile list to read"}}},
        {"lsm.apparmor-libvirtd-enforce", "profile list unreadable",
         {"+qemu.conf", LSM_APPARMOR, "apparmor:profiles!=EACCES /sys/kernel/security/apparmor/profiles: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        /* lsm.apparmor-domain-profiles-enforce */
        {"lsm.apparmor-domain-profiles-enforce", "enforce, complain, shut off",
         {"+qemu.conf", LSM_APPARMOR, "libvirt:domains[]=vm1|vm2|vm3", "domainstate:vm1=running",
          "domainstate:vm2=running", "domainstate:vm3=shutoff", DOMU("vm1", VM1, "", ""), DOMU("vm2", U2, "", ""),
          DOMU("vm3", U1, "", ""),
          "apparmor:profiles[]=libvirt-" U2 " (complain)|libvirt-" VM1 " (enforce)|libvirtd (enforce)"},
         {{"domain:vm1", STATUS_PASS, "libvirt-" VM1 " (enforce)"},
          {"domain:vm2", STATUS_FAIL, "libvirt-" U2 " (complain)"},
          {"domain:vm3", STATUS_SKIP, "domain is shutoff, not running"}}},
        {"lsm.apparmor-domain-profiles-enforce", "no profile, type none, static",
         {"+qemu.conf", LSM_APPARMOR, "libvirt:domains[]=vm1|vm2|vm3", "domainstate:vm1=running",
          "domainstate:vm2=running", "domainstate:vm3=running", DOMU("vm1", VM1, "", ""),
          DOMU("vm2", U2, "<seclabel type='none' model='apparmor'/>", ""),
          DOMU("vm3", U1, "<seclabel type='static' model='apparmor'><label>vm3-site</label></seclabel>", ""),
          "apparmor:profiles[]=vm3-site (enforce)"},
         {{"domain:vm1", STATUS_FAIL, "no loaded AppArmor profile libvirt-" VM1},
          {"domain:vm2", STATUS_FAIL, "<seclabel type='none' model='apparmor'>: no profile"},
          {"domain:vm3", STATUS_PASS, "vm3-site (enforce)"}}},
        {"lsm.apparmor-domain-profiles-enforce", "running domain without uuid",
         {"+qemu.conf", LSM_APPARMOR, "libvirt:domains[]=vm1", "domainstate:vm1=running",
          "domain:vm1=<domain type='kvm'><name>vm1</name><devices/></domain>", "apparmor:profiles[]=libvirtd (enforce)"},
         {{"domain:vm1", STATUS_ERROR, "domain definition without <uuid>"}}},
        {"lsm.apparmor-domain-profiles-enforce", "SELinux host", {"+qemu.conf", LSM_SELINUX},
         {{"host", STATUS_SKIP, "AppArmor is not libvirt's default security driver"}}},

        /* lsm.apparmor-profile-minimal (mac-apparmor-extra's two VMs) */
        {"lsm.apparmor-profile-minimal", "libvirt's rules and two added by hand",
         {"+qemu.conf", LSM_APPARMOR, "libvirt:domains[]=vm1|vm2", "domainstate:vm1=running", "domainstate:vm2=running",
          DOMU("vm1", VM1, "<seclabel type='dynamic' model='apparmor' relabel='yes'/>", QCOW("/var/lib/libvirt/images/vm1.qcow2")),
          DOMU("vm2", U2, "<seclabel type='dynamic' model='apparmor' relabel='yes'/>", QCOW("/var/lib/libvirt/images/vm2.qcow2")),
          "apparmor:profiles[]=libvirt-" U2 " (enforce)|libvirt-" VM1 " (enforce)|libvirtd (enforce)",
          "aaprofile:libvirt-" VM1 "[]=include <tunables/global>|include <abstractions/libvirt-qemu>|"
          "/var/log/libvirt/**/vm1.log w|/var/lib/libvirt/qemu/domain-vm1/monitor.sock rw|"
          "/var/lib/libvirt/qemu/domain-1-vm1/* rw|/run/libvirt/**/vm1.pid rwk|"
          "/run/libvirt/**/*.tunnelmigrate.dest.vm1 rw|/var/lib/libvirt/images/vm1.qcow2 rwk|/home/** rw|/srv/share/ r",
          "aaprofile:libvirt-" U2 "[]=include <tunables/global>|include <abstractions/libvirt-qemu>|"
          "/var/log/libvirt/**/vm2.log w|/var/lib/libvirt/qemu/domain-vm2/monitor.sock rw|"
          "/var/lib/libvirt/qemu/domain-2-vm2/* rw|/run/libvirt/**/vm2.pid rwk|"
          "/run/libvirt/**/*.tunnelmigrate.dest.vm2 rw|/var/lib/libvirt/images/vm2.qcow2 rwk",
          "-realpath:/var/lib/libvirt/images", "-realpath:/var/lib/libvirt/images/vm1.qcow2",
          "-realpath:/var/lib/libvirt/images/vm2.qcow2", "-imagehead:/var/lib/libvirt/images/vm1.qcow2",
          "-imagehead:/var/lib/libvirt/images/vm2.qcow2"},
         {{"domain:vm1", STATUS_FAIL, "10 rules (8 file rules), 2 beyond kvmaudit's profile for this domain: \"/home/** rw\", \"/srv/share/ r\""},
          {"domain:vm2", STATUS_PASS, "8 rules (6 file rules), none beyond kvmaudit's profile"}}},
        {"lsm.apparmor-profile-minimal", "not running, static, not loaded",
         {"+qemu.conf", LSM_APPARMOR, "libvirt:domains[]=vm1|vm2|vm3", "domainstate:vm1=shutoff",
          "domainstate:vm2=running", "domainstate:vm3=running", DOMU("vm1", VM1, "", ""),
          DOMU("vm2", U2, "<seclabel type='static' model='apparmor'><label>vm2-site</label></seclabel>", ""),
          DOMU("vm3", U1, "", ""), "apparmor:profiles[]=libvirtd (enforce)"},
         {{"domain:vm1", STATUS_SKIP, "domain is shutoff, not running"},
          {"domain:vm2", STATUS_SKIP, "static AppArmor label vm2-site: libvirt does not generate that profile"},
          {"domain:vm3", STATUS_SKIP, "no loaded AppArmor profile libvirt-" U1}}},
        {"lsm.apparmor-profile-minimal", "no .files, bad uuid",
         {"+qemu.conf", LSM_APPARMOR, "libvirt:domains[]=vm1|vm2", "domainstate:vm1=running", "domainstate:vm2=running",
          DOMU("vm1", VM1, "", ""), "domain:vm2=<domain type='kvm'><name>vm2</name><uuid>0a9b8c7d6e5f4a3b8c2d1e0f9a8b7c6d</uuid><devices/></domain>",
          "apparmor:profiles[]=libvirt-" VM1 " (enforce)", "-aaprofile:libvirt-" VM1},
         {{"domain:vm1", STATUS_SKIP, "no /etc/apparmor.d/libvirt/libvirt-" VM1 ".files"},
          {"domain:vm2", STATUS_ERROR, "domain definition without a <uuid> in 8-4-4-4-12 form"}}},

        /* svirt.security-driver-enabled */
        {"svirt.security-driver-enabled", "selinux named", {"qemu.conf:security_driver=selinux"},
         {{"host", STATUS_PASS, "qemu.conf:security_driver = selinux"}}},
        {"svirt.security-driver-enabled", "list", {"qemu.conf:security_driver[]=selinux|apparmor"},
         {{"host", STATUS_PASS, "qemu.conf:security_driver = selinux,apparmor"}}},
        {"svirt.security-driver-enabled", "absent, AppArmor active", {"+qemu.conf", LSM_APPARMOR},
         {{"host", STATUS_PASS, "qemu.conf:security_driver (absent); mac:active = apparmor"}}},
        {"svirt.security-driver-enabled", "none", {"qemu.conf:security_driver=none"},
         {{"host", STATUS_FAIL, "qemu.conf:security_driver = none"}}},
        {"svirt.security-driver-enabled", "empty list", {"qemu.conf:security_driver[]="},
         {{"host", STATUS_FAIL, "qemu.conf:security_driver = (empty)"}}},
        {"svirt.security-driver-enabled", "absent, no MAC", {"+qemu.conf", LSM_NONE},
         {{"host", STATUS_FAIL, "qemu.conf:security_driver (absent) (offending: fails present); mac:active = (empty) (offending: fails nonempty); mac:decided-by = lsm:active; lsm:active = lockdown,capability,landlock,yama; sysfs:fs/selinux unreadable; sysfs:module/apparmor/parameters/enabled unreadable"}}},
        {"svirt.security-driver-enabled", "qemu.conf unparsable",
         {"qemu.conf:security_driver!=EBADMSG /etc/libvirt/qemu.conf:12: unterminated string"},
         {{"host", STATUS_ERROR, "qemu.conf:12: unterminated string"}}},

        /* svirt.default-confined */
        {"svirt.default-confined", "default", {"+qemu.conf", LSM_SELINUX},
         {{"host", STATUS_PASS, "qemu.conf:security_default_confined (absent); qemu.conf:security_driver (absent); mac:active = selinux"}}},
        {"svirt.default-confined", "explicit 1", {"qemu.conf:security_driver=apparmor", "qemu.conf:security_default_confined=1"},
         {{"host", STATUS_PASS, "qemu.conf:security_default_confined = 1; qemu.conf:security_driver = apparmor"}}},
        {"svirt.default-confined", "0", {"qemu.conf:security_default_confined=0", LSM_SELINUX},
         {{"host", STATUS_FAIL, "qemu.conf:security_default_confined = 0"}}},
        {"svirt.default-confined", "driver none", {"qemu.conf:security_driver=none", "qemu.conf:security_default_confined=1"},
         {{"host", STATUS_FAIL, "qemu.conf:security_default_confined = 1; qemu.conf:security_driver = none"}}},
        {"svirt.default-confined", "no MAC", {"qemu.conf:security_default_confined=1", LSM_NONE},
         {{"host", STATUS_FAIL, "qemu.conf:security_default_confined = 1; qemu.conf:security_driver (absent) (offending: fails present); mac:active = (empty) (offending: fails nonempty); mac:decided-by = lsm:active; lsm:active = lockdown,capability,landlock,yama; sysfs:fs/selinux unreadable; sysfs:module/apparmor/parameters/enabled unreadable"}}},
        {"svirt.default-confined", "unreadable",
         {"qemu.conf:security_driver!=EACCES /etc/libvirt/qemu.conf: Permission denied",
          "qemu.conf:security_default_confined!=EACCES /etc/libvirt/qemu.conf: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        /* svirt.domain-label-unique */
        {"svirt.domain-label-unique", "dynamic, default and a unique static",
         {"libvirt:domains[]=a|b|c", DOMU("a", U1, "", ""),
          DOMU("b", U2, "<seclabel type='dynamic' model='selinux' relabel='yes'/>", ""),
          DOMU("c", VM1, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20", "yes"), "")},
         {{"domain:a", STATUS_PASS, "domlabel:a/type (absent); domlabel:a/label (absent); domlabel:a/static-key (absent); domlabel:a/static-key-shared-with = (empty)"},
          {"domain:b", STATUS_PASS, "domlabel:b/type = dynamic"},
          {"domain:c", STATUS_PASS, "domlabel:c/static-key = selinux s0:c10,c20; domlabel:c/static-key-shared-with = (empty)"}}},
        {"svirt.domain-label-unique", "two statics share categories, one without a pair",
         {"libvirt:domains[]=a|b|c", DOMU("a", U1, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20", "yes"), ""),
          DOMU("b", U2, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20", "yes"), ""),
          DOMU("c", VM1, SEL_STATIC("system_u:system_r:svirt_t:s0", "yes"), "")},
         {{"domain:a", STATUS_FAIL, "domlabel:a/static-key = selinux s0:c10,c20; domlabel:a/static-key-shared-with = b"},
          {"domain:b", STATUS_FAIL, "static-key-shared-with = a"},
          {"domain:c", STATUS_FAIL, "domlabel:c/type = static (offending: fails ne static); domlabel:c/label = system_u:system_r:svirt_t:s0; domlabel:c/static-key (absent) (offending: fails present); domlabel:c/static-key-shared-with = (empty)"}}},
        {"svirt.domain-label-unique", "two AppArmor statics share a profile",
         {"libvirt:domains[]=a|b", DOMU("a", U1, "<seclabel type='static' model='apparmor'><label>site-vm</label></seclabel>", ""),
          DOMU("b", U2, "<seclabel type='static' model='apparmor'><label>site-vm</label></seclabel>", "")},
         {{"domain:a", STATUS_FAIL, "domlabel:a/static-key = apparmor site-vm; domlabel:a/static-key-shared-with = b"},
          {"domain:b", STATUS_FAIL, "static-key-shared-with = a"}}},
        {"svirt.domain-label-unique", "type none", {"libvirt:domains[]=a", DOMU("a", U1, "<seclabel type='none'/>", "")},
         {{"domain:a", STATUS_SKIP, "not applicable: domlabel:a/type = none (applies when domlabel:@/type ne none)"}}},
        {"svirt.domain-label-unique", "no domain", {"libvirt:domains[]=", "libvirt:source=files"},
         {{"host", STATUS_SKIP, "no libvirt domains defined"}}},

        /* svirt.running-labels-unique */
        {"svirt.running-labels-unique", "distinct categories",
         {"qemu:pids[]=2001|2002", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"),
          QPROC("2002", "s2", U2, "system_u:system_r:svirt_t:s0:c3,c4")},
         {{"process:s1/" U1, STATUS_PASS, "pid 2001: process:2001/label = system_u:system_r:svirt_t:s0:c1,c2; proclabel:2001/shared-with = (empty)"},
          {"process:s2/" U2, STATUS_PASS, "pid 2002: process:2002/label"}}},
        {"svirt.running-labels-unique", "shared label",
         {"qemu:pids[]=2001|2002", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"),
          QPROC("2002", "s2", U2, "system_u:system_r:svirt_t:s0:c1,c2")},
         {{"process:s1/" U1, STATUS_FAIL, "pid 2001: process:2001/label = system_u:system_r:svirt_t:s0:c1,c2; proclabel:2001/shared-with = 2002"},
          {"process:s2/" U2, STATUS_FAIL, "proclabel:2002/shared-with = 2001"}}},
        {"svirt.running-labels-unique", "AppArmor profiles by name, one without uuid",
         {"qemu:pids[]=3001|3002", QPROC("3001", "vm1", VM1, "libvirt-" VM1 " (enforce)"),
          "process:3002/name=vm2", "-process:3002/uuid", "process:3002/label=libvirt-" VM1 " (complain)"},
         {{"process:vm1/" VM1, STATUS_FAIL, "proclabel:3001/shared-with = 3002"},
          {"process:vm2", STATUS_FAIL, "pid 3002: process:3002/label = libvirt-" VM1 " (complain); proclabel:3002/shared-with = 3001"}}},
        {"svirt.running-labels-unique", "no label", {"qemu:pids[]=2001", "process:2001/name=s1", "process:2001/uuid=" U1,
                                                     "-process:2001/label"},
         {{"process:s1/" U1, STATUS_SKIP, "pid 2001: process:2001/label (absent)"}}},
        {"svirt.running-labels-unique", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},
        {"svirt.running-labels-unique", "label unreadable",
         {"qemu:pids[]=2001", "process:2001/name=s1", "process:2001/uuid=" U1,
          "process:2001/label!=EACCES /proc/2001/attr/current: Permission denied"},
         {{"process:s1/" U1, STATUS_ERROR, "pid 2001: /proc/2001/attr/current: Permission denied"}}},

        /* svirt.process-confined */
        {"svirt.process-confined", "sVirt types and categories",
         {LSM_SELINUX, "qemu:pids[]=2001|2002|2003", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"),
          QPROC("2002", "s2", U2, "system_u:system_r:svirt_tcg_t:s0:c5,c5"),
          "process:2003/name=manual", "-process:2003/uuid", "process:2003/label=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023",
          "libvirt:domains[]="},
         {{"process:s1/" U1, STATUS_PASS, "SELinux: system_u:system_r:svirt_t:s0:c1,c2 (libvirt's sVirt type svirt_t)"},
          {"process:s2/" U2, STATUS_FAIL, "level is not s0:cX,cY with two different categories"},
          {"process:manual", STATUS_FAIL, "pid 2003: SELinux: unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023; type is not svirt_t or svirt_tcg_t, and the process belongs to no defined domain"}}},
        /* c01 is no category name of the SELinux reference policies (c0..c1023, no
         * leading zero); the one MCS grammar of src/domain/domain-label.c refuses it
         * (was a known bug when two grammars disagreed). */
        {"svirt.process-confined", "MCS categories with leading zeros",
         {LSM_SELINUX, "qemu:pids[]=2001", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c01,c02")},
         {{"process:s1/" U1, STATUS_FAIL, "level is not s0:cX,cY with two different categories"}}},
        {"svirt.process-confined", "a VM's own static type",
         {LSM_SELINUX, "qemu:pids[]=2001", QPROC("2001", "web", U1, "system_u:system_r:kvmaudit_web_t:s0:c10,c20"),
          "libvirt:domains[]=web", DOMU("web", U1, SEL_STATIC("system_u:system_r:kvmaudit_web_t:s0:c10,c20", "no"), ""),
          "selinux:permissive[]="},
         {{"process:web/" U1, STATUS_PASS, "(the static <label> type of domain web, confined and not permissive)"}}},
        {"svirt.process-confined", "a VM's own static type, permissive",
         {LSM_SELINUX, "qemu:pids[]=2001", QPROC("2001", "web", U1, "system_u:system_r:kvmaudit_web_t:s0:c10,c20"),
          "libvirt:domains[]=web", DOMU("web", U1, SEL_STATIC("system_u:system_r:kvmaudit_web_t:s0:c10,c20", "no"), ""),
          "selinux:permissive[]=kvmaudit_web_t"},
         {{"process:web/" U1, STATUS_FAIL, "but kvmaudit_web_t is a permissive type"}}},
        {"svirt.process-confined", "AppArmor: own profile enforced, other complain",
         {LSM_APPARMOR, "qemu:pids[]=3001|3002", QPROC("3001", "vm1", VM1, "libvirt-" VM1 " (enforce)"),
          QPROC("3002", "vm2", U2, "libvirt-" U2 " (complain)")},
         {{"process:vm1/" VM1, STATUS_PASS, "AppArmor: libvirt-" VM1 " (enforce); -uuid " VM1},
          {"process:vm2/" U2, STATUS_FAIL, "; not in enforce mode"}}},
        {"svirt.process-confined", "AppArmor: unconfined, another VM's profile",
         {LSM_APPARMOR, "qemu:pids[]=3001|3002", QPROC("3001", "vm1", VM1, "unconfined"),
          QPROC("3002", "vm2", U2, "libvirt-" VM1 " (enforce)")},
         {{"process:vm1/" VM1, STATUS_FAIL, "AppArmor: unconfined"},
          {"process:vm2/" U2, STATUS_FAIL, "not the VM's own libvirt-<uuid> profile"}}},
        {"svirt.process-confined", "no MAC LSM",
         {LSM_NONE, "qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" VM1, "-process:3001/label"},
         {{"process:vm1/" VM1, STATUS_FAIL, "no MAC LSM is active (lsm:active): QEMU runs unconfined (label none)"}}},
        {"svirt.process-confined", "no QEMU", {"qemu:pids[]=", LSM_SELINUX}, {{"host", STATUS_SKIP, "no running QEMU process"}}},
        {"svirt.process-confined", "process list unreadable", {"qemu:pids!=EACCES /proc: Permission denied"},
         {{"host", STATUS_ERROR, "/proc: Permission denied"}}},

        /* svirt.disk-images-labeled */
        {"svirt.disk-images-labeled", "image at the process's categories",
         {LSM_SELINUX, "libvirt:domains[]=s1", "domainstate:s1=running",
          DOMU("s1", U1, "", QCOW("/var/lib/libvirt/images/s1.qcow2")
               "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/boot/debian.iso'/><target dev='sda' bus='sata'/><readonly/></disk>"),
          "qemu:pids[]=2001", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"),
          "label:/var/lib/libvirt/images/s1.qcow2=system_u:object_r:svirt_image_t:s0:c1,c2",
          "label:/var/lib/libvirt/boot/debian.iso=system_u:object_r:virt_content_t:s0"},
         {{"domain:s1", STATUS_PASS, "categories s0:c1,c2 (from the process): disk /var/lib/libvirt/images/s1.qcow2, read-only disk /var/lib/libvirt/boot/debian.iso labelled as expected"}}},
        {"svirt.disk-images-labeled", "image without the VM's categories",
         {LSM_SELINUX, "libvirt:domains[]=s1", "domainstate:s1=running", DOMU("s1", U1, "", QCOW("/var/lib/libvirt/images/s1.qcow2")),
          "qemu:pids[]=2001", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"),
          "label:/var/lib/libvirt/images/s1.qcow2=system_u:object_r:svirt_image_t:s0"},
         {{"domain:s1", STATUS_FAIL, "disk /var/lib/libvirt/images/s1.qcow2 is system_u:object_r:svirt_image_t:s0 (want svirt_image_t:s0:c1,c2)"}}},
        {"svirt.disk-images-labeled", "shut off, type none, categories unknown",
         {LSM_SELINUX, "libvirt:domains[]=a|b|c", "domainstate:a=shutoff", "domainstate:b=running", "domainstate:c=running",
          DOMU("a", U1, "", ""), DOMU("b", U2, "<seclabel type='none'/>", ""), DOMU("c", VM1, "", QCOW("/srv/c.qcow2")),
          "qemu:pids[]="},
         {{"domain:a", STATUS_SKIP, "domain is shutoff, not running"},
          {"domain:b", STATUS_SKIP, "<seclabel type='none'>: unconfined"},
          {"domain:c", STATUS_SKIP, "the domain's SELinux categories are unknown"}}},
        {"svirt.disk-images-labeled", "label unreadable",
         {LSM_SELINUX, "libvirt:domains[]=s1", "domainstate:s1=running", DOMU("s1", U1, "", QCOW("/var/lib/libvirt/images/s1.qcow2")),
          "qemu:pids[]=2001", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"),
          "label:/var/lib/libvirt/images/s1.qcow2!=EACCES /var/lib/libvirt/images/s1.qcow2: Permission denied"},
         {{"domain:s1", STATUS_ERROR, "Permission denied"}}},
        {"svirt.disk-images-labeled", "AppArmor host", {LSM_APPARMOR},
         {{"host", STATUS_SKIP, "SELinux is not active (lsm:active): image labels are not checked on AppArmor hosts"}}},

        /* svirt.static-label-relabeled */
        {"svirt.static-label-relabeled", "relabel yes, own image type, no static label",
         {LSM_SELINUX, "libvirt:domains[]=a|web|c",
          DOMU("a", U1, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20", "yes"), ""),
          DOMU("web", U2, SEL_STATIC("system_u:system_r:kvmaudit_web_t:s0:c30,c40", "no"), QCOW("/var/lib/libvirt/images/web.qcow2")),
          DOMU("c", VM1, "", ""),
          "label:/var/lib/libvirt/images/web.qcow2=system_u:object_r:kvmaudit_web_image_t:s0:c30,c40",
          "filecon:/var/lib/libvirt/images/web.qcow2=system_u:object_r:kvmaudit_web_image_t:s0:c30,c40"},
         {{"domain:a", STATUS_PASS, "relabel='yes': libvirt labels the images"},
          {"domain:web", STATUS_PASS, "relabel='no'; labelled svirt_image_t or the VM's own image type (kvmaudit_web_image_t"},
          {"domain:c", STATUS_SKIP, "no static SELinux <seclabel>"}}},
        {"svirt.static-label-relabeled", "shared type, chcon'd label, no context",
         {LSM_SELINUX, "libvirt:domains[]=web|db|x",
          DOMU("web", U2, SEL_STATIC("system_u:system_r:kvmaudit_web_t:s0:c30,c40", "no"), QCOW("/var/lib/libvirt/images/web.qcow2")),
          "domain:db=<domain type='kvm'><name>db</name><uuid>" U1 "</uuid><os><type arch='x86_64' machine='q35'>hvm</type></os>"
          "<seclabel type='static' model='selinux'><label>system_u:system_r:svirt_t:s0:c50,c60</label></seclabel>"
          "<devices>" QCOW("/var/lib/libvirt/images/db.qcow2") "</devices></domain>",
          DOMU("x", VM1, "<seclabel type='static' model='selinux' relabel='no'/>", ""),
          "label:/var/lib/libvirt/images/web.qcow2=system_u:object_r:virt_image_t:s0:c30,c40",
          "label:/var/lib/libvirt/images/db.qcow2=system_u:object_r:svirt_image_t:s0:c50,c60",
          "filecon:/var/lib/libvirt/images/db.qcow2=system_u:object_r:virt_image_t:s0"},
         {{"domain:web", STATUS_FAIL, "a type shared by every VM's images"},
          {"domain:db", STATUS_FAIL, "relabel absent (libvirt's default for a static label: 'no'); images must be svirt_image_t or the VM's own image type (one no other domain's images carry) with the <label>'s categories s0:c50,c60: disk /var/lib/libvirt/images/db.qcow2 is system_u:object_r:svirt_image_t:s0:c50,c60, but the policy's file contexts give system_u:object_r:virt_image_t:s0"},
          {"domain:x", STATUS_FAIL, "and no context in <label> (n/a): nothing names the images' categories"}}},
        {"svirt.static-label-relabeled", "nothing to judge, label unreadable",
         {LSM_SELINUX, "libvirt:domains[]=a|b",
          DOMU("a", U1, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20", "no"), ""),
          DOMU("b", U2, SEL_STATIC("system_u:system_r:svirt_t:s0:c11,c21", "no"), QCOW("/srv/b.qcow2")),
          "label:/srv/b.qcow2!=EACCES /srv/b.qcow2: Permission denied"},
         {{"domain:a", STATUS_SKIP, "relabel='no' but no local writable disk and no NVRAM file to judge"},
          {"domain:b", STATUS_ERROR, "/srv/b.qcow2: Permission denied"}}},
        {"svirt.static-label-relabeled", "AppArmor host", {LSM_APPARMOR},
         {{"host", STATUS_SKIP, "static SELinux labels are not enforced"}}},

        /* svirt.static-mcs-unique */
        {"svirt.static-mcs-unique", "disjoint categories",
         {"libvirt:domains[]=a|b|c", DOMU("a", U1, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20", "yes"), ""),
          DOMU("b", U2, SEL_STATIC("system_u:system_r:svirt_t:s0:c11,c21", "yes"), ""), DOMU("c", VM1, "", "")},
         {{"domain:a", STATUS_PASS, "domlabel:a/static-mcs = c10,c20; domlabel:a/static-mcs-problem (absent); domlabel:a/static-mcs-overlaps = (empty)"},
          {"domain:b", STATUS_PASS, NULL},
          {"domain:c", STATUS_SKIP, "not applicable: domlabel:c/type (absent)"}}},
        {"svirt.static-mcs-unique", "same (reordered), covering range, shared category",
         {"libvirt:domains[]=a|b|c|d", DOMU("a", U1, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20", "yes"), ""),
          DOMU("b", U2, SEL_STATIC("system_u:system_r:svirt_t:s0:c20,c10", "yes"), ""),
          DOMU("c", VM1, SEL_STATIC("system_u:system_r:svirt_t:s0-s0:c0.c1023", "yes"), ""),
          DOMU("d", "22222222-2222-4333-8444-555555555555", SEL_STATIC("system_u:system_r:svirt_t:s0:c20,c30", "yes"), "")},
         {{"domain:a", STATUS_FAIL, "domlabel:a/label = system_u:system_r:svirt_t:s0:c10,c20; domlabel:a/static-mcs = c10,c20; domlabel:a/static-mcs-problem (absent); domlabel:a/static-mcs-overlaps = \"b (s0:c20,c10) has the same categories\",c (s0-s0:c0.c1023) covers them,\"d (s0:c20,c30) shares c20\" (offending: fails empty); domlabel:a/type = static; domlabel:a/model = selinux"},
          {"domain:b", STATUS_FAIL, "domlabel:b/label = system_u:system_r:svirt_t:s0:c20,c10; domlabel:b/static-mcs = c10,c20; domlabel:b/static-mcs-problem (absent); domlabel:b/static-mcs-overlaps = \"a (s0:c10,c20) has the same categories\",c (s0-s0:c0.c1023) covers them,\"d (s0:c20,c30) shares c20\" (offending: fails empty); domlabel:b/type = static; domlabel:b/model = selinux"},
          {"domain:c", STATUS_FAIL, "domlabel:c/label = system_u:system_r:svirt_t:s0-s0:c0.c1023; domlabel:c/static-mcs = c0.c1023; domlabel:c/static-mcs-problem (absent); domlabel:c/static-mcs-overlaps = \"a (s0:c10,c20) lies within them\",\"b (s0:c20,c10) lies within them\",\"d (s0:c20,c30) lies within them\" (offending: fails empty); domlabel:c/type = static; domlabel:c/model = selinux"},
          {"domain:d", STATUS_FAIL, "shares c20"}}},
        {"svirt.static-mcs-unique", "no category, no label, not a level",
         {"libvirt:domains[]=a|b|c", DOMU("a", U1, SEL_STATIC("system_u:system_r:svirt_t:s0", "yes"), ""),
          DOMU("b", U2, "<seclabel type='static' model='selinux'/>", ""),
          DOMU("c", VM1, SEL_STATIC("system_u:system_r:svirt_t:s0:c10,c20,", "yes"), "")},
         {{"domain:a", STATUS_FAIL, "domlabel:a/label = system_u:system_r:svirt_t:s0; domlabel:a/static-mcs = (empty)"},
          {"domain:b", STATUS_FAIL, "domlabel:b/static-mcs-problem = static SELinux <seclabel> without <label>"},
          {"domain:c", STATUS_FAIL, "domlabel:c/label = system_u:system_r:svirt_t:s0:c10,c20,; domlabel:c/static-mcs (absent) (offending: fails nonempty); domlabel:c/static-mcs-problem = a category is \"c\" and a number without leading zeros (an empty item, as after a trailing comma, is none); domlabel:c/static-mcs-overlaps (absent); domlabel:c/type = static; domlabel:c/model = selinux"}}},
        {"svirt.static-mcs-unique", "no domain source", {"-libvirt:domains"}, {{"host", STATUS_SKIP, "no libvirt domain source"}}},

        /* svirt.domain-type-confined */
        {"svirt.domain-type-confined", "svirt_t process and static own type",
         {LSM_SELINUX, "libvirt:domains[]=s1|web", "domainstate:s1=running", "domainstate:web=shutoff",
          DOMU("s1", U1, "", ""), DOMU("web", U2, SEL_STATIC("system_u:system_r:kvmaudit_web_t:s0:c30,c40", "no"), ""),
          "qemu:pids[]=2001", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"), "selinux:permissive[]=sanlock_t"},
         {{"domain:s1", STATUS_PASS, "QEMU process label system_u:system_r:svirt_t:s0:c1,c2: svirt_t is confined and not permissive"},
          {"domain:web", STATUS_PASS, "static <label> system_u:system_r:kvmaudit_web_t:s0:c30,c40: kvmaudit_web_t is confined"}}},
        {"svirt.domain-type-confined", "unconfined static, permissive svirt_t",
         {LSM_SELINUX, "libvirt:domains[]=s1|bad", "domainstate:s1=running", "domainstate:bad=shutoff",
          DOMU("s1", U1, "", ""), DOMU("bad", U2, SEL_STATIC("unconfined_u:unconfined_r:unconfined_t:s0", "no"), ""),
          "qemu:pids[]=2001", QPROC("2001", "s1", U1, "system_u:system_r:svirt_t:s0:c1,c2"), "selinux:permissive[]=svirt_t"},
         {{"domain:s1", STATUS_FAIL, "svirt_t is a permissive type"},
          {"domain:bad", STATUS_FAIL, "static <label> unconfined_u:unconfined_r:unconfined_t:s0: unconfined_t is unconfined"}}},
        {"svirt.domain-type-confined", "AppArmor seclabel, shut off, no module store",
         {LSM_SELINUX, "libvirt:domains[]=a|b|c", "domainstate:a=running", "domainstate:b=shutoff", "domainstate:c=running",
          DOMU("a", U1, "<seclabel type='dynamic' model='apparmor'/>", ""), DOMU("b", U2, "", ""),
          DOMU("c", VM1, "<seclabel type='dynamic' model='selinux' relabel='yes'><label>system_u:system_r:svirt_t:s0:c7,c8</label></seclabel>", ""),
          "qemu:pids[]=", "+selinux"},
         {{"domain:a", STATUS_SKIP, "AppArmor <seclabel>: no SELinux domain type"},
          {"domain:b", STATUS_SKIP, "dynamic label on a domain that is shutoff"},
          {"domain:c", STATUS_SKIP, "live XML <label> system_u:system_r:svirt_t:s0:c7,c8: the loaded policy's permissive types cannot be read"}}},
        {"svirt.domain-type-confined", "process label unreadable",
         {LSM_SELINUX, "libvirt:domains[]=s1", "domainstate:s1=running", DOMU("s1", U1, "", ""), "qemu:pids[]=2001",
          "process:2001/name=s1", "process:2001/uuid=" U1, "process:2001/label!=EACCES /proc/2001/attr/current: Permission denied"},
         {{"domain:s1", STATUS_ERROR, "Permission denied"}}},
        {"svirt.domain-type-confined", "AppArmor host", {LSM_APPARMOR}, {{"host", STATUS_SKIP, "no SELinux domain types"}}},
};

JUDGE_MAIN(cases, "svirt", "lsm")
