# kvmaudit profile "baseline": the critical and high checks that every KVM
# host should pass.  Gate a fleet with
#   kvmaudit scan --profile baseline --fail-on high --fail-on-error
#
# Format (every profile in gates/): one check id or category:NAME per line,
# or "*" for every check; "#" starts a comment line; "min-coverage = N" sets
# the gate's minimum coverage in percent (at most once).  An id or category that
# is not in the catalogue fails the build's tests and exits 2 at run time.

# The gate fails when fewer than this share of the selected checks was
# judged (pass, fail or waived): a live host judges 60-80% of these; half
# skipped or in error (libvirt down, no root) is not an audit.
# --min-coverage overrides it.
min-coverage = 50



# cpu
cpu.gds-mitigated
cpu.l1tf-mitigated
cpu.mds-mitigated
cpu.mmio-stale-data-mitigated
cpu.retbleed-mitigated
cpu.spectre-v2-mitigated
cpu.srso-mitigated
cpu.taa-mitigated
cpu.tsa-mitigated
cpu.vmscape-mitigated
cpu.vulnerabilities-other

# devices
devices.no-world-writable-nodes
devices.vfio-group-nodes

# domain
domain.block-disk-not-host-used
domain.chardev-network-secured
domain.disk-format-explicit
domain.disk-not-shared-writable
domain.fs-share-safe
domain.graphics-authenticated
domain.graphics-loopback-only
domain.hostdev-iommu
domain.lun-rawio-off
domain.no-floppy
domain.qemu-commandline-none
domain.seclabel-confined
domain.tpm-not-passthrough

# hw
hw.cpu-virt-extensions
hw.iommu-enabled
hw.iommu-firmware-present
hw.kvm-device-usable

# kernel
kernel.cmdline-iommu-not-disabled
kernel.cmdline-mitigations-not-off
kernel.cmdline-no-mitigation-overrides
kernel.cpu-mitigations-built
kernel.iommu-built
kernel.kvm-built
kernel.mac-lsm-built
kernel.page-table-isolation-built
kernel.retpoline-built
kernel.seccomp-filter-built

# kvm
kvm.nx-huge-pages
kvm.vfio-noiommu-off
kvm.vfio-safe-interrupts
kvm.vmentry-l1d-flush

# libvirtd
libvirtd.socket-modes
libvirtd.tcp-auth-not-none
libvirtd.tls-client-verified
libvirtd.unix-rw-socket-restricted

# lsm
lsm.apparmor-domain-profiles-enforce
lsm.mac-active
lsm.selinux-enforcing
lsm.selinux-virt-types-enforced

# qemu
qemu.clear-emulator-capabilities
qemu.process-no-capabilities
qemu.process-not-root
qemu.spice-default-auth
qemu.spice-listen-local
qemu.user-not-root
qemu.vnc-default-auth
qemu.vnc-listen-local

# seccomp
seccomp.process-filter-active
seccomp.qemu-conf-sandbox-on

# svirt
svirt.default-confined
svirt.disk-images-labeled
svirt.domain-label-unique
svirt.process-confined
svirt.running-labels-unique
svirt.security-driver-enabled
