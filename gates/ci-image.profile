# kvmaudit profile "ci-image": the checks that mean something for an offline
# image audited with --root (a built disk image, a container of the host
# tree): the kernel's build configuration, device nodes and configuration
# files.  Runtime state (CPU vulnerabilities, sysctls, the running kernel's
# command line, module parameters, firmware tables, processes) is left out:
# an image does not have it.
#   kvmaudit scan --root /mnt/image --profile ci-image --fail-on high
#
# Format: see baseline.profile.

# The gate fails when fewer than this share of the selected checks was
# judged (pass, fail or waived): an image has no runtime state: a real one
# judges about 40% (its kernel config, libvirt files, device nodes); an
# empty tree judges nothing.
# --min-coverage overrides it.
min-coverage = 30

# kernel build configuration (/boot/config-*)
kernel.kvm-built
kernel.iommu-built
kernel.iommu-default-translated
kernel.mac-lsm-built
kernel.seccomp-filter-built
kernel.devmem-restricted
kernel.kaslr
kernel.stackprotector-strong
kernel.hardened-usercopy
kernel.page-table-isolation-built
kernel.retpoline-built
kernel.cpu-mitigations-built
kernel.init-on-alloc

# device nodes and their owners (and qemu.conf's group)
category:devices

# the VMs' definitions (/etc/libvirt/qemu/*.xml)
category:domain

# libvirt daemons' configuration (/etc/libvirt/*.conf, sasl, systemd units)
# and the TLS key's mode; not the sockets, which exist only at run time
libvirtd.tcp-listener-off
libvirtd.tcp-auth-not-none
libvirtd.tls-client-verified
libvirtd.tls-allowed-dn-list
libvirtd.sasl-mech-strong
libvirtd.unix-rw-socket-restricted
libvirtd.admin-socket-restricted
libvirtd.access-drivers-polkit
libvirtd.audit-enabled
libvirtd.tls-key-private

# QEMU driver configuration (/etc/libvirt/qemu.conf)
qemu.user-not-root
qemu.dynamic-ownership
qemu.clear-emulator-capabilities
qemu.mount-namespace
qemu.cgroup-device-acl-default
qemu.vnc-listen-local
qemu.spice-listen-local
qemu.vnc-default-auth
qemu.spice-default-auth
qemu.dump-guest-core-off
qemu.stdio-handler-logd
seccomp.qemu-conf-sandbox-on
svirt.default-confined
svirt.require-confined
