/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host checks (cpu, devices, hw, kernel) that have a C judge, on fact
 * tables (judge-harness.h).  Values are shaped as the probes record them
 * (tests/fixtures/hosts/, docs/check-format.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "judge-harness.h"
#include "macro.h"
#include "util.h"

#define INTEL_FLAGS "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge vmx smx est tm2 ssse3 sse4_1 sse4_2"
#define AMD_FLAGS "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge svm extapic cr8_legacy abm sse4a"
#define DOM(name, body) "domain:" name "=<domain type='kvm'><name>" name "</name>" body "</domain>"
#define NOSHARE "<memoryBacking><nosharepages/></memoryBacking>"

static const JudgeCase cases[] = {
        /* cpu.vulnerabilities-other: the cpuvuln entries no other check names */
        {"cpu.vulnerabilities-other", "mitigated and not affected",
         {"cpuvuln:srbds=Not affected", "cpuvuln:spec_rstack_overflow=Mitigation: Safe RET",
          "cpuvuln:spectre_v1=Mitigation: usercopy/swapgs barriers and __user pointer sanitization"},
         {{"cpuvuln:srbds", STATUS_PASS, "Not affected"},
          {"cpuvuln:spectre_v1", STATUS_PASS, "Mitigation: usercopy/swapgs"}}},
        {"cpu.vulnerabilities-other", "vulnerable entry fails, unknown skips",
         {"cpuvuln:itlb_multihit=KVM: Vulnerable", /* kvm.* judges it */
          "cpuvuln:meltdown=Vulnerable",
          "cpuvuln:reg_file_data_sampling=Unknown: Dependent on hypervisor status"},
         {{"cpuvuln:meltdown", STATUS_FAIL, "Vulnerable"},
          {"cpuvuln:reg_file_data_sampling", STATUS_SKIP, "Unknown: Dependent on hypervisor"}}},
        {"cpu.vulnerabilities-other", "entries named by other checks only",
         {"cpuvuln:l1tf=Mitigation: PTE Inversion; VMX: conditional cache flushes, SMT vulnerable",
          "cpuvuln:mds=Mitigation: Clear CPU buffers; SMT vulnerable"},
         {{"host", STATUS_SKIP, "no CPU vulnerability entries"}}},
        {"cpu.vulnerabilities-other", "no entries at all", {"+cpuvuln"},
         {{"host", STATUS_SKIP, "no CPU vulnerability entries"}}},
        {"cpu.vulnerabilities-other", "entry unreadable",
         {"cpuvuln:srbds!=EACCES /sys/devices/system/cpu/vulnerabilities/srbds: Permission denied"},
         {{"cpuvuln:srbds", STATUS_ERROR, "Permission denied"}}},

        /* cpu.microcode-current */
        {"cpu.microcode-current", "loaded is the one on disk",
         {"cpu:microcode=0xf0", "ucode:available=0xf0"}, {{"host", STATUS_PASS, "cpu:microcode = 0xf0; ucode:available = 0xf0; host:microcode-vs-disk = same"}}},
        {"cpu.microcode-current", "loaded newer than disk",
         {"cpu:microcode=0x830107c", "ucode:available=0x830107a"}, {{"host", STATUS_PASS, "host:microcode-vs-disk = newer"}}},
        {"cpu.microcode-current", "older than on disk",
         {"cpu:microcode=0xde", "ucode:available=0xf0"}, {{"host", STATUS_FAIL, "cpu:microcode = 0xde; ucode:available = 0xf0; host:microcode-vs-disk = older"}}},
        {"cpu.microcode-current", "CPUs disagree",
         {"cpu:microcode=0xf0,0xde", "ucode:available=0xf0"}, {{"host", STATUS_FAIL, "cpu:microcode = 0xf0,0xde"}}},
        {"cpu.microcode-current", "no file on disk", {"cpu:microcode=0xf0", "-ucode:available"},
         {{"host", STATUS_SKIP, "not applicable: ucode:available (absent)"}}},
        {"cpu.microcode-current", "no revision reported", {"-cpu:microcode", "ucode:available=0xf0"},
         {{"host", STATUS_SKIP, "cpu:microcode (absent)"}}},
        {"cpu.microcode-current", "unparsable revision", {"cpu:microcode=0xzz", "ucode:available=0xf0"},
         {{"host", STATUS_ERROR, "unparsable microcode revision"}}},
        {"cpu.microcode-current", "microcode directory unreadable",
         {"cpu:microcode=0xf0", "ucode:available!=EACCES /lib/firmware/intel-ucode: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        /* devices.kvm-node-owner */
        {"devices.kvm-node-owner", "root:kvm", {"stat:/dev/kvm@=chr 10:232 0660 0:993", "group:kvm=993",
                                                "qemu.conf:group=kvm"},
         {{"/dev/kvm", STATUS_PASS, "owner 0:993"}}},
        {"devices.kvm-node-owner", "group of qemu.conf by number",
         {"stat:/dev/kvm@=chr 10:232 0660 0:107", "+group", "qemu.conf:group=+107"},
         {{"/dev/kvm", STATUS_PASS, "group kvm = not in /etc/group"}}},
        {"devices.kvm-node-owner", "owned by a user",
         {"stat:/dev/kvm@=chr 10:232 0660 1000:993", "group:kvm=993", "-qemu.conf:group"},
         {{"/dev/kvm", STATUS_FAIL, "owner 1000:993"}}},
        {"devices.kvm-node-owner", "group users",
         {"stat:/dev/kvm@=chr 10:232 0660 0:100", "group:kvm=993", "group:users=100", "qemu.conf:group=kvm"},
         {{"/dev/kvm", STATUS_FAIL, "owner 0:100"}}},
        {"devices.kvm-node-owner", "no /dev/kvm", {"-stat:/dev/kvm", "group:kvm=993"},
         {{"/dev/kvm", STATUS_SKIP, "does not exist"}}},
        {"devices.kvm-node-owner", "stat refused", {"stat:/dev/kvm!=EACCES /dev/kvm: Permission denied"},
         {{"/dev/kvm", STATUS_ERROR, "Permission denied"}}},

        {"devices.kvm-node-owner", "/etc/group unreadable",
         {"stat:/dev/kvm@=chr 10:232 0660 0:993", "group:kvm!=EACCES /etc/group: Permission denied",
          "qemu.conf:group=kvm"},
         /* was a known bug (fail, "not in /etc/group"): an unreadable /etc/group is an error */
         {{"/dev/kvm", STATUS_ERROR, "/etc/group: Permission denied"}}},

        /* devices.vfio-group-nodes */
        {"devices.vfio-group-nodes", "root and the qemu user",
         {"dev:nodes[]=/dev/kvm|/dev/vfio/vfio|/dev/vfio/25|/dev/vfio/26", "stat:/dev/vfio/25@=chr 511:0 0600 0:0",
          "stat:/dev/vfio/26@=chr 511:1 0600 64055:993", "qemu.conf:user=libvirt-qemu", "user:libvirt-qemu=64055"},
         {{"/dev/vfio/25", STATUS_PASS, "chr 0600 owner 0:0"}, {"/dev/vfio/26", STATUS_PASS, "owner 64055:993"}}},
        {"devices.vfio-group-nodes", "world-writable group, foreign owner",
         {"dev:nodes[]=/dev/vfio/vfio|/dev/vfio/25|/dev/vfio/26", "stat:/dev/vfio/25@=chr 511:0 0666 0:0",
          "stat:/dev/vfio/26@=chr 511:1 0600 1000:1000", "-qemu.conf:user", "user:libvirt-qemu=64055"},
         {{"/dev/vfio/25", STATUS_FAIL, "0666"}, {"/dev/vfio/26", STATUS_FAIL, "owner 1000:1000"}}},
        {"devices.vfio-group-nodes", "Fedora's qemu user when qemu.conf names none",
         {"dev:nodes[]=/dev/vfio/7", "stat:/dev/vfio/7@=chr 511:0 0660 107:107", "-qemu.conf:user", "user:qemu=107"},
         {{"/dev/vfio/7", STATUS_PASS, "owner 107:107"}}},
        {"devices.vfio-group-nodes", "only the container node", {"dev:nodes[]=/dev/kvm|/dev/vfio/vfio"},
         {{"host", STATUS_SKIP, "no VFIO group"}}},
        {"devices.vfio-group-nodes", "node not stat-able",
         {"dev:nodes[]=/dev/vfio/25", "stat:/dev/vfio/25!=EACCES /dev/vfio/25: Permission denied", "+qemu.conf",
          "+user"},
         {{"/dev/vfio/25", STATUS_ERROR, "Permission denied"}}},

        {"devices.vfio-group-nodes", "/etc/passwd unreadable",
         {"dev:nodes[]=/dev/vfio/26", "stat:/dev/vfio/26@=chr 511:1 0600 64055:993", "qemu.conf:user=libvirt-qemu",
          "user:libvirt-qemu!=EACCES /etc/passwd: Permission denied"},
         /* was a known bug (fail): the QEMU user's uid could not be looked up */
         {{"/dev/vfio/26", STATUS_ERROR, "/etc/passwd: Permission denied"}}},

        /* devices.no-world-writable-nodes */
        {"devices.no-world-writable-nodes", "exempt nodes only",
         {"dev:nodes[]=/dev/null|/dev/kvm|/dev/sdb|/dev/vfio/vfio", "stat:/dev/sdb@=blk 8:16 0660 0:6"},
         {{"/dev", STATUS_PASS, "1 device nodes checked"}}},
        {"devices.no-world-writable-nodes", "world-readable disk, world-writable mem",
         {"dev:nodes[]=/dev/null|/dev/sdb|/dev/mem", "stat:/dev/sdb@=blk 8:16 0664 0:6",
          "stat:/dev/mem@=chr 1:1 0666 0:15"},
         {{"/dev/sdb", STATUS_FAIL, "is world-readable"}, {"/dev/mem", STATUS_FAIL, "is world-writable"}}},
        {"devices.no-world-writable-nodes", "vanished node is not judged",
         {"dev:nodes[]=/dev/sdb", "-stat:/dev/sdb"}, {{"/dev", STATUS_PASS, "0 device nodes"}}},
        {"devices.no-world-writable-nodes", "no /dev", {"-dev:nodes"}, {{"/dev", STATUS_SKIP, "no /dev"}}},
        {"devices.no-world-writable-nodes", "walk failed", {"dev:nodes!=EACCES /dev: Permission denied"},
         {{"/dev", STATUS_ERROR, "Permission denied"}}},

        /* hw.cpu-virt-extensions */
        {"hw.cpu-virt-extensions", "Intel vmx", {"cpu:vendor=GenuineIntel", "cpu:flags=" INTEL_FLAGS,
                                                 "kvm:module=kvm_intel"},
         {{"host", STATUS_PASS, "cpu:vendor = GenuineIntel; kvm:module = kvm_intel; cpu:flags = fpu"}}},
        {"hw.cpu-virt-extensions", "AMD svm", {"cpu:vendor=AuthenticAMD", "cpu:flags=" AMD_FLAGS},
         {{"host", STATUS_PASS, "cpu:vendor = AuthenticAMD; kvm:module unreadable; cpu:flags = fpu vme"}}},
        {"hw.cpu-virt-extensions", "PVM without vmx", {"cpu:vendor=GenuineIntel", "cpu:flags=fpu vme sse4_2",
                                                       "kvm:module=kvm_pvm"},
         {{"host", STATUS_PASS, "kvm:module = kvm_pvm; cpu:flags = fpu vme sse4_2"}}},
        {"hw.cpu-virt-extensions", "disabled in firmware", {"cpu:vendor=AuthenticAMD", "cpu:flags=fpu vme sse4a",
                                                            "-kvm:module"},
         {{"host", STATUS_FAIL, "cpu:vendor = AuthenticAMD; kvm:module (absent) (offending: fails contains kvm_pvm); cpu:flags = fpu vme sse4a (offending: fails word vmx svm)"}}},
        {"hw.cpu-virt-extensions", "not x86", {"-cpu:vendor", "cpu:flags=fp asimd evtstrm"},
         {{"host", STATUS_SKIP, "cpu:vendor (absent)"}}},
        {"hw.cpu-virt-extensions", "cpuinfo unreadable", {"cpu:vendor!=EIO /proc/cpuinfo: Input/output error"},
         {{"host", STATUS_ERROR, "Input/output error"}}},

        /* hw.kvm-device-usable */
        {"hw.kvm-device-usable", "API version 12", {"stat:/dev/kvm@=chr 10:232 0660 0:993", "kvm:api_version=12",
                                                    "kvm:module=kvm_intel"},
         {{"/dev/kvm", STATUS_PASS, "stat:/dev/kvm = chr 10:232 0660 0:993; devnum:/dev/kvm = 10:232; kvm:api_version = 12; kvm:module = kvm_intel"}}},
        {"hw.kvm-device-usable", "offline: vendor module", {"stat:/dev/kvm@=chr 10:232 0660 0:993", "-kvm:api_version",
                                                           "kvm:module=kvm_amd"},
         {{"/dev/kvm", STATUS_PASS, "kvm:api_version (absent); kvm:module = kvm_amd"}}},
        {"hw.kvm-device-usable", "wrong API version", {"stat:/dev/kvm@=chr 10:232 0660 0:993", "kvm:api_version=11",
                                                       "kvm:module=kvm_intel"},
         {{"/dev/kvm", STATUS_FAIL, "kvm:api_version = 11"}}},
        {"hw.kvm-device-usable", "no module", {"stat:/dev/kvm@=chr 10:232 0660 0:993", "+kvm"},
         {{"/dev/kvm", STATUS_FAIL, "stat:/dev/kvm = chr 10:232 0660 0:993; devnum:/dev/kvm = 10:232 (offending: fails ne 10:232); kvm:api_version (absent) (offending: fails eq 12); kvm:module (absent) (offending: fails present)"}}},
        {"hw.kvm-device-usable", "regular file", {"stat:/dev/kvm@=reg 0644 0:0", "+kvm"},
         {{"/dev/kvm", STATUS_FAIL, "stat:/dev/kvm = reg 0644 0:0 (offending: fails type chr); devnum:/dev/kvm (absent) (offending: fails eq 10:232); kvm:api_version (absent); kvm:module (absent)"}}},
        {"hw.kvm-device-usable", "missing", {"-stat:/dev/kvm", "+kvm"}, {{"/dev/kvm", STATUS_FAIL, "stat:/dev/kvm (absent)"}}},
        {"hw.kvm-device-usable", "ioctl refused", {"stat:/dev/kvm@=chr 10:232 0660 0:993",
                                                   "kvm:api_version!=EACCES /dev/kvm: Permission denied"},
         {{"/dev/kvm", STATUS_ERROR, "Permission denied"}}},

        /* hw.memory-encryption-enabled */
        {"hw.memory-encryption-enabled", "SEV and SEV-ES on",
         {"cpu:flags=" AMD_FLAGS " sev sev_es", "kvmparam:kvm_amd.sev=Y", "kvmparam:kvm_amd.sev_es=1"},
         {{"kvmparam:kvm_amd.sev", STATUS_PASS, "AMD SEV advertised (flag sev); kvmparam:kvm_amd.sev = Y"},
          {"kvmparam:kvm_amd.sev_es", STATUS_PASS, "AMD SEV-ES"}}},
        {"hw.memory-encryption-enabled", "SEV-ES off",
         {"cpu:flags=" AMD_FLAGS " sev sev_es", "kvmparam:kvm_amd.sev=1", "kvmparam:kvm_amd.sev_es=0"},
         {{"kvmparam:kvm_amd.sev", STATUS_PASS, NULL}, {"kvmparam:kvm_amd.sev_es", STATUS_FAIL, "= 0"}}},
        {"hw.memory-encryption-enabled", "TDX module parameter absent",
         {"cpu:flags=" INTEL_FLAGS " tdx_host_platform", "-kvmparam:kvm_intel.tdx"},
         {{"kvmparam:kvm_intel.tdx", STATUS_FAIL, "Intel TDX advertised (flag tdx_host_platform); "
                                                  "kvmparam:kvm_intel.tdx = (absent)"}}},
        {"hw.memory-encryption-enabled", "nothing advertised", {"cpu:flags=" INTEL_FLAGS},
         {{"host", STATUS_SKIP, "advertises no memory encryption"}}},
        {"hw.memory-encryption-enabled", "parameter unreadable",
         {"cpu:flags=" AMD_FLAGS " sev", "kvmparam:kvm_amd.sev!=EACCES /sys/module/kvm_amd/parameters/sev: "
                                          "Permission denied"},
         {{"kvmparam:kvm_amd.sev", STATUS_ERROR, "Permission denied"}}},

        /* kernel.kvm-built */
        {"kernel.kvm-built", "Intel module", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_KVM_INTEL=m",
                                              "kconfig:CONFIG_KVM_AMD=m", "kconfig:CONFIG_X86=y",
                                              "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_PASS, "kconfig:CONFIG_KVM = m; kconfig:CONFIG_X86 = y; kconfig:CONFIG_KVM_PVM (absent); host:kvm-vendor-modules = CONFIG_KVM_INTEL; cpu:vendor = GenuineIntel"}}},
        {"kernel.kvm-built", "AMD CPU, Intel-only kernel", {"kconfig:CONFIG_KVM=y", "kconfig:CONFIG_KVM_INTEL=y",
                                                            "kconfig:CONFIG_X86=y", "cpu:vendor=AuthenticAMD"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_KVM = y; kconfig:CONFIG_X86 = y (offending: fails ne y); kconfig:CONFIG_KVM_PVM (absent) (offending: fails in y m); host:kvm-vendor-modules = (empty) (offending: fails nonempty); cpu:vendor = AuthenticAMD; kconfig:CONFIG_KVM_INTEL = y; kconfig:CONFIG_KVM_AMD (absent)"}}},
        {"kernel.kvm-built", "offline image: either vendor", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_KVM_AMD=m",
                                                              "kconfig:CONFIG_X86=y", "+cpu"},
         {{"host", STATUS_PASS, "host:kvm-vendor-modules = CONFIG_KVM_AMD; cpu:vendor (absent)"}}},
        {"kernel.kvm-built", "PVM only", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_KVM_PVM=m", "kconfig:CONFIG_X86=y",
                                          "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_PASS, "CONFIG_KVM_PVM = m"}}},
        {"kernel.kvm-built", "not x86", {"kconfig:CONFIG_KVM=y", "kconfig:CONFIG_ARM64=y", "+cpu"},
         {{"host", STATUS_PASS, "kconfig:CONFIG_KVM = y; kconfig:CONFIG_X86 (absent)"}}},
        {"kernel.kvm-built", "no KVM", {"kconfig:CONFIG_X86=y", "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_KVM (absent)"}}},
        {"kernel.kvm-built", "no kernel config",
         {"kconfig:CONFIG_KVM!=ENOPKG no kernel configuration found (/proc/config.gz, /boot/config-6.1.0-18-amd64)"},
         {{"host", STATUS_SKIP, "no kernel configuration"}}},

        /* kernel.iommu-built */
        {"kernel.iommu-built", "Intel", {"kconfig:CONFIG_X86_64=y", "kconfig:CONFIG_IOMMU_SUPPORT=y", "kconfig:CONFIG_INTEL_IOMMU=y",
                                         "kconfig:CONFIG_IRQ_REMAP=y", "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_PASS, "CONFIG_INTEL_IOMMU = y"}}},
        {"kernel.iommu-built", "AMD CPU, no AMD driver", {"kconfig:CONFIG_X86_64=y", "kconfig:CONFIG_IOMMU_SUPPORT=y", "kconfig:CONFIG_INTEL_IOMMU=y",
                                                          "kconfig:CONFIG_IRQ_REMAP=y", "cpu:vendor=AuthenticAMD"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_IOMMU_SUPPORT = y (offending: fails ne y); kconfig:CONFIG_IRQ_REMAP = y; host:iommu-vendor-drivers = (empty) (offending: fails nonempty); cpu:vendor = AuthenticAMD; kconfig:CONFIG_INTEL_IOMMU = y; kconfig:CONFIG_AMD_IOMMU (absent); kconfig:CONFIG_X86_64 = y"}}},
        {"kernel.iommu-built", "no interrupt remapping", {"kconfig:CONFIG_X86_64=y", "kconfig:CONFIG_IOMMU_SUPPORT=y", "kconfig:CONFIG_AMD_IOMMU=y",
                                                          "cpu:vendor=AuthenticAMD"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_IRQ_REMAP (absent)"}}},
        {"kernel.iommu-built", "kernel config unreadable",
         {"kconfig:CONFIG_X86_64=y", "kconfig:CONFIG_IOMMU_SUPPORT!=EACCES /boot/config-6.1.0-18-amd64: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        {"kernel.iommu-built", "not x86-64", {"kconfig:CONFIG_ARM64=y", "kconfig:CONFIG_IOMMU_SUPPORT=y"},
         {{"host", STATUS_SKIP, "not applicable: kconfig:CONFIG_X86_64 (absent)"}}},

        /* kernel.iommu-default-translated */
        {"kernel.iommu-default-translated", "iommu.passthrough=0", {"cmdline:iommu.passthrough=0"},
         {{"host", STATUS_PASS, "cmdline:iommu.passthrough = 0"}}},
        {"kernel.iommu-default-translated", "iommu.passthrough=1", {"cmdline:iommu.passthrough=1"},
         {{"host", STATUS_FAIL, "cmdline:iommu.passthrough = 1"}}},
        {"kernel.iommu-default-translated", "iommu=pt", {"cmdline:iommu=pt", "cmdline:amd_iommu=on"},
         {{"host", STATUS_FAIL, "cmdline:iommu = pt"}}},
        {"kernel.iommu-default-translated", "built passthrough by default",
         {"+cmdline", "kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH=y"},
         {{"host", STATUS_FAIL, "cmdline:iommu (absent); kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH = y"}}},
        {"kernel.iommu-default-translated", "built translated", {"+cmdline", "kconfig:CONFIG_IOMMU_DEFAULT_DMA_LAZY=y"},
         {{"host", STATUS_PASS, "kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH (absent)"}}},
        {"kernel.iommu-default-translated", "kernel config missing",
         {"+cmdline", "kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH!=ENOPKG no kernel configuration found"},
         {{"host", STATUS_SKIP, "no kernel configuration"}}},

        /* kernel.kaslr */
        {"kernel.kaslr", "relocated", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline", "kconfig:CONFIG_PHYSICAL_START=0x1000000",
                                       "kernel:text=ffffffff9a000000"},
         {{"host", STATUS_PASS, "host:kernel-offset = 0x19000000; kernel:text = ffffffff9a000000"}}},
        {"kernel.kaslr", "at the link address", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline",
                                                 "kconfig:CONFIG_PHYSICAL_START=0x1000000",
                                                 "kernel:text=ffffffff81000000"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_RANDOMIZE_BASE = y; cmdline:nokaslr (absent); host:kernel-offset = 0x0 (offending: fails ne 0x0); kernel:text = ffffffff81000000; kconfig:CONFIG_PHYSICAL_START = 0x1000000"}}},
        {"kernel.kaslr", "nokaslr", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "cmdline:nokaslr="},
         {{"host", STATUS_FAIL, "cmdline:nokaslr = \"\""}}},
        {"kernel.kaslr", "not built", {"kconfig:CONFIG_X86=y"}, {{"host", STATUS_FAIL, "kconfig:CONFIG_RANDOMIZE_BASE (absent)"}}},
        {"kernel.kaslr", "kallsyms hidden", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline", "+kernel"},
         {{"host", STATUS_SKIP, "no _text line"}}},
        {"kernel.kaslr", "bad physical start", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline",
                                                "kconfig:CONFIG_PHYSICAL_START=sixteen", "kernel:text=ffffffff9a000000"},
         {{"host", STATUS_ERROR, "CONFIG_PHYSICAL_START = sixteen is not a number"}}},

        /* kernel.ksm-off */
        {"kernel.ksm-off", "stopped", {"sysfs:kernel/mm/ksm/run=0"}, {{"host", STATUS_PASS, "sysfs:kernel/mm/ksm/run = 0"}}},
        {"kernel.ksm-off", "stopped and unmerged", {"sysfs:kernel/mm/ksm/run=2"},
         {{"host", STATUS_PASS, "sysfs:kernel/mm/ksm/run = 2"}}},
        {"kernel.ksm-off", "no KSM", {"-sysfs:kernel/mm/ksm/run"}, {{"host", STATUS_PASS, "sysfs:kernel/mm/ksm/run (absent)"}}},
        {"kernel.ksm-off", "running, every domain nosharepages",
         {"sysfs:kernel/mm/ksm/run=1", "libvirt:domains[]=web|db", DOM("web", NOSHARE), DOM("db", NOSHARE)},
         {{"host", STATUS_PASS, "sysfs:kernel/mm/ksm/run = 1; host:ksm-mergeable-domains = (empty); libvirt:domains = web,db"}}},
        {"kernel.ksm-off", "running, no domain", {"sysfs:kernel/mm/ksm/run=1", "libvirt:domains[]="},
         {{"host", STATUS_PASS, "host:ksm-mergeable-domains = (empty); libvirt:domains = (empty)"}}},
        {"kernel.ksm-off", "running, one domain shares",
         {"sysfs:kernel/mm/ksm/run=1", "libvirt:domains[]=web|db", DOM("web", NOSHARE), DOM("db", "")},
         {{"host", STATUS_FAIL, "sysfs:kernel/mm/ksm/run = 1 (offending: fails in 0 2); host:ksm-mergeable-domains = db (offending: fails empty); libvirt:domains = web,db"}}},
        {"kernel.ksm-off", "odd value", {"sysfs:kernel/mm/ksm/run=3"}, {{"host", STATUS_FAIL, "sysfs:kernel/mm/ksm/run = 3"}}},
        {"kernel.ksm-off", "running, unparsable domain",
         {"sysfs:kernel/mm/ksm/run=1", "libvirt:domains[]=web", "domain:web=<domain"},
         {{"host", STATUS_ERROR, "not judged: web"}}},
        {"kernel.ksm-off", "running, no libvirt", {"sysfs:kernel/mm/ksm/run=1", "-libvirt:domains"},
         {{"host", STATUS_SKIP, "no libvirt domain source"}}},
        {"kernel.ksm-off", "sysfs unreadable", {"sysfs:kernel/mm/ksm/run!=EACCES Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        /* Rows of the evaluator tests of test-eval.c that the judge rows
         * above did not hold, kept when the eight checks became data. */
        {"hw.cpu-virt-extensions", "PVM beside the vendor module", {"cpu:vendor=AuthenticAMD", "cpu:flags=fpu sse",
                                                                     "kvm:module=kvm_amd,kvm_pvm"},
         {{"host", STATUS_PASS, "kvm:module = kvm_amd,kvm_pvm"}}},
        {"hw.cpu-virt-extensions", "a flag that only starts with vmx", {"cpu:vendor=GenuineIntel",
                                                                          "cpu:flags=fpu vmxe sse", "-kvm:module"},
         {{"host", STATUS_FAIL, "cpu:flags = fpu vmxe sse"}}},
        {"hw.cpu-virt-extensions", "Hygon without svm", {"cpu:vendor=HygonGenuine", "cpu:flags=fpu",
                                                         "kvm:module=kvm_amd"},
         {{"host", STATUS_FAIL, "cpu:vendor = HygonGenuine"}}},
        {"hw.cpu-virt-extensions", "offline image", {"cpu:vendor!=ENOMEDIUM /proc/cpuinfo: runtime state not available"},
         {{"host", STATUS_SKIP, "runtime state not available"}}},

        {"kernel.kvm-built", "AMD module", {"kconfig:CONFIG_KVM=y", "kconfig:CONFIG_X86=y", "kconfig:CONFIG_KVM_AMD=y",
                                            "cpu:vendor=AuthenticAMD"},
         {{"host", STATUS_PASS, "host:kvm-vendor-modules = CONFIG_KVM_AMD"}}},
        {"kernel.kvm-built", "Intel CPU, AMD-only kernel", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_X86=y",
                                                            "kconfig:CONFIG_KVM_AMD=m", "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_FAIL, "host:kvm-vendor-modules = (empty)"}}},
        {"kernel.kvm-built", "Hygon uses the AMD module", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_X86=y",
                                                           "kconfig:CONFIG_KVM_AMD=m", "cpu:vendor=HygonGenuine"},
         {{"host", STATUS_PASS, "host:kvm-vendor-modules = CONFIG_KVM_AMD"}}},
        {"kernel.kvm-built", "unknown CPU, neither vendor", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_X86=y",
                                                             "kconfig:CONFIG_KVM_INTEL=n", "kconfig:CONFIG_KVM_AMD=n",
                                                             "+cpu"},
         {{"host", STATUS_FAIL, "host:kvm-vendor-modules = (empty)"}}},
        {"kernel.kvm-built", "PVM only, no CPU", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_X86=y",
                                                  "kconfig:CONFIG_KVM_PVM=y", "+cpu"},
         {{"host", STATUS_PASS, "kconfig:CONFIG_KVM_PVM = y"}}},
        {"kernel.kvm-built", "PVM not built", {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_X86=y", "kconfig:CONFIG_KVM_PVM=n",
                                               "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_KVM_PVM = n"}}},
        {"kernel.kvm-built", "KVM n", {"kconfig:CONFIG_KVM=n", "kconfig:CONFIG_X86=y", "kconfig:CONFIG_KVM_INTEL=m",
                                       "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_KVM = n"}}},
        {"kernel.kvm-built", "offline image: cpuinfo not there, either vendor",
         {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_X86=y", "kconfig:CONFIG_KVM_AMD=m",
          "cpu:vendor!=ENOMEDIUM /proc/cpuinfo: runtime state not available"},
         {{"host", STATUS_PASS, "host:kvm-vendor-modules = CONFIG_KVM_AMD"}}},
        {"kernel.kvm-built", "cpuinfo unreadable: which vendor option is needed is not known",
         {"kconfig:CONFIG_KVM=m", "kconfig:CONFIG_X86=y", "kconfig:CONFIG_KVM_AMD=m",
          "cpu:vendor!=EACCES /proc/cpuinfo: Permission denied"},
         /* the C judge accepted either vendor here (pass) */
         {{"host", STATUS_ERROR, "/proc/cpuinfo: Permission denied"}}},
        {"kernel.kvm-built", "kernel config unreadable",
         {"kconfig:CONFIG_KVM!=EACCES /boot/config-6.1.0-18-amd64: Permission denied", "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        {"kernel.iommu-built", "AMD", {"kconfig:CONFIG_X86_64=y", "kconfig:CONFIG_IOMMU_SUPPORT=y",
                                       "kconfig:CONFIG_AMD_IOMMU=y", "kconfig:CONFIG_IRQ_REMAP=y", "cpu:vendor=AuthenticAMD"},
         {{"host", STATUS_PASS, "host:iommu-vendor-drivers = CONFIG_AMD_IOMMU"}}},
        {"kernel.iommu-built", "no CPU: either driver", {"kconfig:CONFIG_X86_64=y", "kconfig:CONFIG_IOMMU_SUPPORT=y",
                                                         "kconfig:CONFIG_INTEL_IOMMU=y", "kconfig:CONFIG_IRQ_REMAP=y",
                                                         "+cpu"},
         {{"host", STATUS_PASS, "host:iommu-vendor-drivers = CONFIG_INTEL_IOMMU"}}},
        {"kernel.iommu-built", "a driver as a module does not count", {"kconfig:CONFIG_X86_64=y",
                                                                       "kconfig:CONFIG_IOMMU_SUPPORT=y",
                                                                       "kconfig:CONFIG_INTEL_IOMMU=m",
                                                                       "kconfig:CONFIG_IRQ_REMAP=y",
                                                                       "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_INTEL_IOMMU = m"}}},
        {"kernel.iommu-built", "no IOMMU support", {"kconfig:CONFIG_X86_64=y", "kconfig:CONFIG_INTEL_IOMMU=y",
                                                    "kconfig:CONFIG_AMD_IOMMU=y", "kconfig:CONFIG_IRQ_REMAP=y",
                                                    "cpu:vendor=GenuineIntel"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_IOMMU_SUPPORT (absent)"}}},

        {"kernel.iommu-default-translated", "iommu.passthrough=off overrides iommu=pt",
         {"cmdline:iommu.passthrough=off", "cmdline:iommu=pt", "kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH=y"},
         {{"host", STATUS_PASS, "cmdline:iommu.passthrough = off"}}},
        {"kernel.iommu-default-translated", "iommu=force", {"cmdline:iommu=force", "+kconfig"},
         {{"host", STATUS_PASS, "cmdline:iommu = force"}}},
        {"kernel.iommu-default-translated", "cmdline unreadable",
         {"cmdline:iommu!=EFBIG /proc/cmdline: larger than 65536 bytes", "+kconfig"},
         {{"host", STATUS_ERROR, "larger than 65536 bytes"}}},

        {"kernel.kaslr", "default physical start", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline",
                                                    "kernel:text=ffffffff81000000"},
         {{"host", STATUS_FAIL, "host:kernel-offset = 0x0"}}},
        {"kernel.kaslr", "linked lower, runs at 16 MiB", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline",
                                                          "kconfig:CONFIG_PHYSICAL_START=0x200000",
                                                          "kernel:text=ffffffff81000000"},
         {{"host", STATUS_PASS, "host:kernel-offset = 0xe00000"}}},
        {"kernel.kaslr", "below the link address", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline",
                                                    "kconfig:CONFIG_PHYSICAL_START=0x2000000",
                                                    "kernel:text=ffffffff81000000"},
         {{"host", STATUS_PASS, "host:kernel-offset = -0x1000000"}}},
        {"kernel.kaslr", "CONFIG_RANDOMIZE_BASE n", {"kconfig:CONFIG_RANDOMIZE_BASE=n", "+cmdline",
                                                     "kernel:text=ffffffff9a200000"},
         {{"host", STATUS_FAIL, "kconfig:CONFIG_RANDOMIZE_BASE = n"}}},
        {"kernel.kaslr", "bad _text", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline", "kernel:text=fffffffz9a200000"},
         {{"host", STATUS_ERROR, "kernel:text = fffffffz9a200000 is not an address"}}},
        {"kernel.kaslr", "addresses hidden", {"kconfig:CONFIG_RANDOMIZE_BASE=y", "+cmdline",
                                              "kernel:text!=EACCES /proc/kallsyms: addresses hidden"},
         {{"host", STATUS_ERROR, "addresses hidden"}}},

        {"cpu.microcode-current", "loaded newer, cpuinfo style", {"cpu:microcode=0xb6", "ucode:available=0xb4"},
         {{"host", STATUS_PASS, "host:microcode-vs-disk = newer"}}},
        {"cpu.microcode-current", "junk revision", {"cpu:microcode=junk", "ucode:available=0xb4"},
         {{"host", STATUS_ERROR, "unparsable microcode revision: cpu:microcode = junk"}}},
        {"cpu.microcode-current", "file on disk unreadable as microcode",
         {"cpu:microcode=0xb4", "ucode:available!=EBADMSG /lib/firmware/intel-ucode/06-55-04: no microcode update"},
         {{"host", STATUS_ERROR, "no microcode update"}}},
        {"cpu.microcode-current", "offline image",
         {"cpu:microcode!=ENOMEDIUM /proc/cpuinfo: runtime state not available", "ucode:available=0xb4"},
         {{"host", STATUS_SKIP, "runtime state not available"}}},

        {"hw.kvm-device-usable", "wrong minor", {"stat:/dev/kvm@=chr 10:233 0660 0:993", "kvm:api_version=12",
                                                 "kvm:module=kvm_intel"},
         {{"/dev/kvm", STATUS_FAIL, "devnum:/dev/kvm = 10:233"}}},
        {"hw.kvm-device-usable", "offline: no ioctl", {"stat:/dev/kvm@=chr 10:232 0660 0:993",
                                                       "kvm:api_version!=ENOMEDIUM no ioctl here", "kvm:module=kvm_amd"},
         {{"/dev/kvm", STATUS_SKIP, "no ioctl here"}}},
        {"hw.kvm-device-usable", "stat refused", {"stat:/dev/kvm!=EACCES /dev/kvm: Permission denied", "+kvm"},
         {{"/dev/kvm", STATUS_ERROR, "Permission denied"}}},

        {"kernel.ksm-off", "running, one shares and one does not parse",
         {"sysfs:kernel/mm/ksm/run=1", "libvirt:domains[]=web|bad", DOM("web", ""), "domain:bad=<domain"},
         /* the C judge failed too, and named "not judged: bad" */
         {{"host", STATUS_FAIL, "host:ksm-mergeable-domains = web"}}},
        {"kernel.ksm-off", "running, libvirt not reachable",
         {"sysfs:kernel/mm/ksm/run=1", "libvirt:domains!=ENOPKG libvirt: not reachable"},
         {{"host", STATUS_SKIP, "libvirt: not reachable"}}},
        {"kernel.ksm-off", "running, domains unreadable",
         {"sysfs:kernel/mm/ksm/run=1", "libvirt:domains!=EACCES /etc/libvirt/qemu: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},
        {"kernel.ksm-off", "offline image", {"sysfs:kernel/mm/ksm/run!=ENOMEDIUM /sys: runtime state not available"},
         {{"host", STATUS_SKIP, "runtime state not available"}}},

        /* kernel.ip-forward-only-when-routing */
        {"kernel.ip-forward-only-when-routing", "off",
         {"sysctl:net.ipv4.ip_forward=0", "sysctl:net.ipv6.conf.all.forwarding=0", "+network"},
         {{"sysctl:net.ipv4.ip_forward", STATUS_PASS, "= 0"},
          {"sysctl:net.ipv6.conf.all.forwarding", STATUS_PASS, "= 0"}}},
        {"kernel.ip-forward-only-when-routing", "on for a NAT network, v6 without a v6 network",
         {"sysctl:net.ipv4.ip_forward=1", "sysctl:net.ipv6.conf.all.forwarding=1",
          "network:default[]=autostart=yes|forward=nat|ip=192.168.122.1/ipv4"},
         {{"sysctl:net.ipv4.ip_forward", STATUS_PASS, "needed by libvirt network \"default\""},
          {"sysctl:net.ipv6.conf.all.forwarding", STATUS_FAIL, "no libvirt network routes ipv6"}}},
        {"kernel.ip-forward-only-when-routing", "isolated network does not route",
         {"sysctl:net.ipv4.ip_forward=1", "-sysctl:net.ipv6.conf.all.forwarding",
          "network:isolated[]=autostart=yes|ip=10.0.0.1/ipv4"},
         {{"sysctl:net.ipv4.ip_forward", STATUS_FAIL, "no libvirt network routes ipv4"},
          {"sysctl:net.ipv6.conf.all.forwarding", STATUS_SKIP, "absent (no ipv6 support)"}}},
        {"kernel.ip-forward-only-when-routing", "sysctl unreadable",
         {"sysctl:net.ipv4.ip_forward!=EACCES Permission denied", "sysctl:net.ipv6.conf.all.forwarding=0",
          "+network"},
         {{"sysctl:net.ipv4.ip_forward", STATUS_ERROR, "Permission denied"},
          {"sysctl:net.ipv6.conf.all.forwarding", STATUS_PASS, NULL}}},
};

/* The checks that were C judges until issue 13 made them data: their rows
 * (above, kept from the judges) must still hold a pass, a fail and a skip
 * or an error each; judge_coverage() counts only the checks with C. */
static const char *const converted[] = {
        "cpu.microcode-current", "hw.cpu-virt-extensions", "hw.kvm-device-usable", "kernel.iommu-built",
        "kernel.iommu-default-translated", "kernel.kaslr", "kernel.ksm-off", "kernel.kvm-built",
};

static void
test_rows(void **state)
{
        (void) state;
        assert_int_equal(judge_run(cases, ELEMENTSOF(cases)), 0);
}

static void
test_coverage(void **state)
{
        static const char *const categories[] = {"cpu", "devices", "hw", "kernel", NULL};

        (void) state;
        assert_int_equal(judge_coverage(cases, ELEMENTSOF(cases), categories), 0);
}

static void
test_coverage_converted(void **state)
{
        size_t missing = 0;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(converted); i++) {
                bool pass = false, fail = false, other = false;

                for (size_t j = 0; j < ELEMENTSOF(cases); j++) {
                        if (!streq(cases[j].check, converted[i]))
                                continue;
                        for (size_t w = 0; w < JUDGE_WANT_MAX && cases[j].want[w].subject; w++) {
                                pass = pass || cases[j].want[w].status == STATUS_PASS;
                                fail = fail || cases[j].want[w].status == STATUS_FAIL;
                                other = other || cases[j].want[w].status == STATUS_SKIP ||
                                        cases[j].want[w].status == STATUS_ERROR;
                        }
                }
                if (!pass || !fail || !other) {
                        print_error("%s: data check without a %s row\n", converted[i],
                                    !pass ? "pass" : !fail ? "fail" : "skip or error");
                        missing++;
                }
        }
        assert_int_equal(missing, 0);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rows),
                cmocka_unit_test(test_coverage),
                cmocka_unit_test(test_coverage_converted),
        };

        return cmocka_run_group_tests(tests, judge_setup, judge_teardown);
}
