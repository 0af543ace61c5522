#!/usr/bin/env python3
"""Table-driven tests of "kvmaudit profile apparmor", in the manner of
libvirt's tests/virt-aa-helper-test: each case is a domain XML (devices
inline), an optional fixture tree (fake images, sysfs, symlinks: built here,
since git stores neither qcow2 headers nor sysfs links well) used as --root,
and either rules that must appear or the refusal expected on stderr.
Every generated profile is compiled with apparmor_parser -Q when present.

Usage: run-profile-tests.py KVMAUDIT SRC_ROOT WORK_DIR"""
import os
import shutil
import struct
import subprocess
import sys

KVMAUDIT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
UUID = "8e3a9f3c-1f4b-4c7e-9d2a-0a1b2c3d4e5f"
PARSER = shutil.which("apparmor_parser") or next(
    (p for p in ("/sbin/apparmor_parser", "/usr/sbin/apparmor_parser") if os.path.exists(p)), None)
IMG = "/var/lib/libvirt/images"


def domain(devices, name="vm1", extra="", uuid=UUID):
    return f"""<domain type='kvm'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <os><type arch='x86_64' machine='q35'>hvm</type>{extra}</os>
  <devices>
{devices}
  </devices>
</domain>
"""


def disk(path, extra="", dtype="file", device="disk", driver="qcow2", dev="vda"):
    attr = "file" if dtype == "file" else "dev"
    return (f"<disk type='{dtype}' device='{device}'><driver name='qemu' type='{driver}'/>"
            f"<source {attr}=\"{path}\"/><target dev='{dev}' bus='virtio'/>{extra}</disk>")


# ---- fixture trees -------------------------------------------------------

def qcow2(backing=None, fmt=None, version=3):
    """A qcow2 header: magic, version, backing offset/size, and the
    backing-format extension 0xE2792ACA."""
    hdr_len = 104 if version == 3 else 72
    ext = b""
    if fmt is not None:
        f = fmt.encode()
        ext += struct.pack(">II", 0xE2792ACA, len(f)) + f + b"\0" * ((8 - len(f) % 8) % 8)
    ext += struct.pack(">II", 0, 0)
    name = backing.encode() if isinstance(backing, str) else (backing or b"")
    off = hdr_len + len(ext) if backing is not None else 0
    h = bytearray(hdr_len)
    h[0:4] = b"QFI\xfb"
    struct.pack_into(">IQI", h, 4, version, off, len(name))
    if version == 3:
        struct.pack_into(">I", h, 100, hdr_len)
    return bytes(h) + ext + name + b"\0" * 512


def qed(backing, raw=False):
    h = bytearray(64)
    h[0:4] = b"QED\0"
    struct.pack_into("<QQQ", h, 16, 0x01 | (0x04 if raw else 0), 0, 0)
    name = backing.encode()
    struct.pack_into("<II", h, 56, 64, len(name))
    return bytes(h) + name


def vmdk(parent):
    return (f'# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n'
            f'createType="monolithicSparse"\nparentFileNameHint="{parent}"\n').encode()


def tree(root, files=None, links=None, dirs=()):
    for p, data in (files or {}).items():
        full = root + p
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode())
    for p, target in (links or {}).items():
        full = root + p
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink(target, full)
    for d in dirs:
        os.makedirs(root + d, exist_ok=True)


def pci_tree(root, addr="0000:01:00.0", group="12"):
    real = f"/sys/devices/pci0000:00/0000:00:01.0/{addr}"
    tree(root, files={real + "/config": b"\0" * 64},
         links={f"/sys/bus/pci/devices/{addr}": "../../.." + real[len("/sys"):],
                real + "/iommu_group": f"../../../../kernel/iommu_groups/{group}"},
         dirs=[f"/sys/kernel/iommu_groups/{group}"])


def usb_tree(root, vendor="0781", product="5567", bus=3, dev=7):
    d = "/sys/bus/usb/devices/3-1"
    tree(root, files={d + "/idVendor": vendor + "\n", d + "/idProduct": product + "\n",
                      d + "/busnum": f"{bus}\n", d + "/devnum": f"{dev}\n"},
         dirs=["/sys/bus/usb/devices/3-1:1.0"])


# ---- the cases -----------------------------------------------------------
# (name, xml, tree builder or None, {"rules": [...]} or {"refuse": "text"})

C = []


def case(name, xml, expect, build=None, args=()):
    C.append((name, xml, build, expect, list(args)))


# disks
case("disk-file-rw", domain(disk(f"{IMG}/a.qcow2")), {"rules": [f'"{IMG}/a.qcow2" rwk,']})
case("disk-readonly", domain(disk(f"{IMG}/ro.raw", "<readonly/>", driver="raw")),
     {"rules": [f'"{IMG}/ro.raw" rk,', f'deny "{IMG}/ro.raw" w,']})
case("disk-shareable", domain(disk(f"{IMG}/shared.raw", "<shareable/>", driver="raw")),
     {"rules": [f'"{IMG}/shared.raw" rwk,']})
case("disk-block", domain(disk("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", dtype="block", driver="raw")),
     {"rules": ['"/dev/disk/by-id/wwn-0x5000c500a1b2c3d4" rwk,']})
case("disk-volume", domain("<disk type='volume' device='disk'><source pool='default' volume='v.qcow2'/>"
                           "<target dev='vda'/></disk>"), {"refuse": "volume of pool \"default\""})
case("disk-network-nothing", domain("<disk type='network' device='disk'><source protocol='rbd' "
                                    "name='pool/img'><host name='mon'/></source><target dev='vda'/></disk>"),
     {"rules": [], "absent": ["pool/img"]})
case("cdrom", domain(disk(f"{IMG}/debian.iso", device="cdrom", driver="raw", dev="sda")),
     {"rules": [f'"{IMG}/debian.iso" rk,', f'deny "{IMG}/debian.iso" w,']})
case("floppy", domain(disk(f"{IMG}/fd.img", device="floppy", driver="raw", dev="fda")),
     {"rules": [f'"{IMG}/fd.img" rwk,']})
case("cdrom-empty", domain("<disk type='file' device='cdrom'><target dev='sda'/></disk>"), {"rules": []})
case("backing-xml", domain(disk(f"{IMG}/top.qcow2",
                                f"<backingStore type='file'><format type='qcow2'/><source file='{IMG}/base.qcow2'/>"
                                "<backingStore/></backingStore>")),
     {"rules": [f'"{IMG}/base.qcow2" rk,']})

# backing chains read from headers (fixture tree)
case("backing-qcow2-chain", domain(disk(f"{IMG}/top.qcow2")),
     {"rules": [f'"{IMG}/top.qcow2" rwk,', f'"{IMG}/mid.qcow2" rk,', f'"{IMG}/base.raw" rk,',
                f'deny "{IMG}/base.raw" w,']},
     lambda r: tree(r, files={f"{IMG}/top.qcow2": qcow2("mid.qcow2", "qcow2"),
                              f"{IMG}/mid.qcow2": qcow2(f"{IMG}/base.raw", "raw", version=2),
                              f"{IMG}/base.raw": b"\0" * 1024}))
case("backing-qed", domain(disk(f"{IMG}/q.qed", driver="qed")),
     {"rules": [f'"{IMG}/q-base.raw" rk,']},
     lambda r: tree(r, files={f"{IMG}/q.qed": qed("q-base.raw", raw=True), f"{IMG}/q-base.raw": b"x"}))
case("backing-vmdk", domain(disk(f"{IMG}/child.vmdk", driver="vmdk")),
     {"rules": [f'"{IMG}/parent.vmdk" rk,']},
     lambda r: tree(r, files={f"{IMG}/child.vmdk": vmdk("parent.vmdk"), f"{IMG}/parent.vmdk": vmdk("")[:40]}))
case("backing-forbidden", domain(disk(f"{IMG}/evil.qcow2")), {"refuse": "/etc/shadow"},
     lambda r: tree(r, files={f"{IMG}/evil.qcow2": qcow2("/etc/shadow")}))
case("backing-outside-disk-dirs", domain(disk(f"{IMG}/evil2.qcow2")),
     {"refuse": "lies outside the directories of the VM's own disks"},
     lambda r: tree(r, files={f"{IMG}/evil2.qcow2": qcow2("/srv/other/secret.img")}))
case("backing-other-vm", domain(disk(f"{IMG}/evil3.qcow2")), {"refuse": "belongs to another VM"},
     lambda r: tree(r, files={f"{IMG}/evil3.qcow2": qcow2("victim.qcow2"), f"{IMG}/victim.qcow2": b"x",
                              "/etc/libvirt/qemu/victim.xml": domain(disk(f"{IMG}/victim.qcow2"), name="victim",
                                                                      uuid="11111111-2222-3333-4444-555555555555")}))
case("backing-glob", domain(disk(f"{IMG}/glob.qcow2")), {"refuse": "glob, quote or space characters"},
     lambda r: tree(r, files={f"{IMG}/glob.qcow2": qcow2("*")}))
case("backing-quote-injection", domain(disk(f"{IMG}/inj.qcow2")), {"refuse": "glob, quote or space"},
     lambda r: tree(r, files={f"{IMG}/inj.qcow2": qcow2('x" rw,\n  /** rwx,\n  "y')}))
case("backing-newline", domain(disk(f"{IMG}/nl.qcow2")), {"refuse": "glob, quote or space"},
     lambda r: tree(r, files={f"{IMG}/nl.qcow2": qcow2("a\nb")}))
case("backing-traversal", domain(disk(f"{IMG}/trav.qcow2")), {"refuse": "path traversal"},
     lambda r: tree(r, files={f"{IMG}/trav.qcow2": qcow2("../../../../etc/passwd")}))
case("backing-loop", domain(disk(f"{IMG}/l1.qcow2")), {"refuse": "backing chain loops"},
     lambda r: tree(r, files={f"{IMG}/l1.qcow2": qcow2("l2.qcow2", "qcow2"),
                              f"{IMG}/l2.qcow2": qcow2("l1.qcow2", "qcow2")}))
case("backing-too-deep", domain(disk(f"{IMG}/d0.qcow2")), {"refuse": "deeper than 16"},
     lambda r: tree(r, files={f"{IMG}/d{i}.qcow2": qcow2(f"d{i + 1}.qcow2", "qcow2") for i in range(20)}))
case("backing-json", domain(disk(f"{IMG}/js.qcow2")), {"refuse": "json: backing file"},
     lambda r: tree(r, files={f"{IMG}/js.qcow2": qcow2('json:{"file":{"filename":"/etc/shadow"}}')}))
case("backing-truncated-header", domain(disk(f"{IMG}/tr.qcow2")), {"refuse": "outside the image header"},
     lambda r: tree(r, files={f"{IMG}/tr.qcow2": qcow2("x")[:72] + b"\0" * 0 if False else
                              bytes(qcow2("abc"))[:80]}))
case("backing-symlink-forbidden", domain(disk(f"{IMG}/sl.qcow2")), {"refuse": "/etc/shadow"},
     lambda r: tree(r, files={f"{IMG}/sl.qcow2": qcow2("base-link.qcow2"), "/etc/shadow": "x"},
                    links={f"{IMG}/base-link.qcow2": "/etc/shadow"}))

# symlinks in the XML
case("symlink-resolved", domain(disk(f"{IMG}/link.qcow2")),
     {"rules": [f'"{IMG}/real.qcow2" rwk,'], "absent": ["link.qcow2"]},
     lambda r: tree(r, files={f"{IMG}/real.qcow2": qcow2()}, links={f"{IMG}/link.qcow2": "real.qcow2"}))
case("symlink-to-forbidden", domain(disk(f"{IMG}/passwd.img", driver="raw")),
     {"refuse": '(symlink to "/etc/passwd"): write access to /etc is refused'},
     lambda r: tree(r, files={"/etc/passwd": "root:x:0:0::/root:/bin/sh\n"},
                    links={f"{IMG}/passwd.img": "/etc/passwd"}))

# path safety from the XML
case("path-glob-escaped", domain(disk(f"{IMG}/we*ird?[1]{{a,b}}^.qcow2")),
     {"rules": [f'"{IMG}/we\\*ird\\?\\[1\\]\\{{a,b\\}}\\^.qcow2" rwk,']})
# XML normalizes the newlines of an attribute to spaces: what arrives is
# one path with quotes and globs, written escaped as one literal rule.
case("path-quote-injection", domain(disk(f'{IMG}/x&quot; rwk,\n  /** rwk,\n  &quot;y.qcow2')),
     {"rules": [f'"{IMG}/x\\" rwk,   /\\*\\* rwk,   \\"y.qcow2" rwk,'], "absent": ['\n  /** rwk']})
case("path-quote-injection-text", domain("", extra='<kernel>/var/lib/libvirt/boot/k" r,\n  /** rwx,\n  "x</kernel>'),
     {"refuse": "control character"})
case("path-quote-escaped", domain(disk(f'{IMG}/it&quot;s.qcow2')), {"rules": [f'"{IMG}/it\\"s.qcow2" rwk,']})
case("path-newline", domain(disk(f"{IMG}/a&#10;b.qcow2")), {"refuse": "a\\nb.qcow2"})
case("path-relative", domain(disk("images/a.qcow2")), {"refuse": "not an absolute path"})
case("path-traversal", domain(disk(f"{IMG}/../../../etc/shadow")), {"refuse": "path traversal"})
case("path-etc-write", domain(disk("/etc/passwd", driver="raw")), {"refuse": "write access to /etc is refused"})
case("path-etc-shadow-read", domain(disk("/etc/shadow", "<readonly/>", driver="raw")),
     {"refuse": "access to /etc/shadow is refused"})
case("path-usr", domain(disk("/usr/bin/qemu-system-x86_64", driver="raw")), {"refuse": "/usr is refused"})
case("path-boot", domain(disk("/boot/vmlinuz", "<readonly/>", driver="raw")), {"refuse": "/boot is refused"})
case("path-dev-mem", domain(disk("/dev/mem", dtype="block", driver="raw")), {"refuse": "/dev/mem is refused"})
case("path-proc", domain(disk("/proc/self/mem", driver="raw")), {"refuse": "/proc is refused"})
case("path-sys", domain(disk("/sys/firmware/efi/efivars/x", driver="raw")), {"refuse": "/sys is refused"})
case("path-var-run-alias", domain("<serial type='unix'><source mode='bind' path='/var/run/x.sock'/></serial>"),
     {"refuse": "/var/run is refused"})
case("host-root-disk", domain(disk("/dev/sda", dtype="block", driver="raw")), {"refuse": "the host's own disk"},
     lambda r: tree(r, files={"/proc/self/mounts": "/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /srv ext4 rw 0 0\n"}))
case("host-other-disk-ok", domain(disk("/dev/sdb", dtype="block", driver="raw")), {"rules": ['"/dev/sdb" rwk,']},
     lambda r: tree(r, files={"/proc/self/mounts": "/dev/sda1 / ext4 rw 0 0\n"}))
case("other-vm-disk", domain(disk(f"{IMG}/victim.qcow2")), {"refuse": "belongs to another VM"},
     lambda r: tree(r, files={"/etc/libvirt/qemu/victim.xml": domain(disk(f"{IMG}/victim.qcow2"), name="victim",
                                                                     uuid="11111111-2222-3333-4444-555555555555")}))
case("uuid-missing", domain(disk(f"{IMG}/a.qcow2")).replace(f"<uuid>{UUID}</uuid>", ""), {"refuse": "<uuid>"})
case("name-quote", domain(disk(f"{IMG}/a.qcow2"), name="we&quot;ird*name") +
     "", {"rules": ["profile libvirt-" + UUID]})

# firmware and direct kernel boot
case("uefi", domain("", extra="<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"
                           "<nvram>/var/lib/libvirt/qemu/nvram/vm1_VARS.fd</nvram>"),
     {"rules": ['"/usr/share/OVMF/OVMF_CODE_4M.fd" rk,', 'deny "/usr/share/OVMF/OVMF_CODE_4M.fd" w,',
                '"/var/lib/libvirt/qemu/nvram/vm1_VARS.fd" rwk,']})
case("nvram-in-etc", domain("", extra="<nvram>/etc/vm1_VARS.fd</nvram>"), {"refuse": "<nvram> \"/etc/vm1_VARS.fd\""})
case("kernel-initrd-dtb", domain("", extra="<kernel>/var/lib/libvirt/boot/vmlinuz</kernel>"
                                        "<initrd>/var/lib/libvirt/boot/initrd.img</initrd>"
                                        "<dtb>/var/lib/libvirt/boot/board.dtb</dtb>"),
     {"rules": ['"/var/lib/libvirt/boot/vmlinuz" r,', '"/var/lib/libvirt/boot/initrd.img" r,',
                '"/var/lib/libvirt/boot/board.dtb" r,']})

# TPM
case("tpm-emulator", domain("<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"),
     {"rules": [f'"/var/lib/libvirt/swtpm/{UUID}/tpm2/**" rwk,', '"/var/log/swtpm/libvirt/qemu/vm1-swtpm.log" w,']})
case("tpm-passthrough", domain("<tpm model='tpm-tis'><backend type='passthrough'><device path='/dev/tpm0'/>"
                               "</backend></tpm>"),
     {"rules": ['"/dev/tpm0" rw,', "/sys/class/tpm/tpm0/device/cancel w,"]})

# character devices
case("chardev-file", domain("<serial type='file'><source path='/var/log/libvirt/vm1-serial.log'/></serial>"),
     {"rules": ['"/var/log/libvirt/vm1-serial.log" rw,']})
case("chardev-pipe", domain("<channel type='pipe'><source path='/var/lib/libvirt/pipes/p'/>"
                            "<target type='virtio' name='x'/></channel>"),
     {"rules": ['"/var/lib/libvirt/pipes/p" rw,', '"/var/lib/libvirt/pipes/p.in" rw,',
                '"/var/lib/libvirt/pipes/p.out" rw,']})
# A socket path named after the VM in the shared channel directory (the
# old naming) could be another VM's ("vm1.org" with channel "qemu..."):
# only the VM's own runtime directory domain-ID-NAME is granted there.
case("chardev-unix-shared-dir", domain("<channel type='unix'><source mode='bind' path='/var/lib/libvirt/qemu/"
                                       "channel/target/vm1.org.qemu.guest_agent.0'/><target type='virtio' "
                                       "name='org.qemu.guest_agent.0'/></channel>"),
     {"refuse": "not an entry of this VM in /var/lib/libvirt/qemu"})
# A running VM's agent socket: a per-run path, granted by the pattern for
# every run and never as the literal of this one.
case("chardev-unix-runtime", domain("<channel type='unix'><source mode='bind' path='/var/lib/libvirt/qemu/"
                                    "channel/target/domain-7-vm1/org.qemu.guest_agent.0'/><target type='virtio' "
                                    "name='org.qemu.guest_agent.0'/></channel>"),
     {"rules": ['"/var/lib/libvirt/qemu/channel/target/domain-{[0-9],[0-9][0-9],'],
      "absent": ["domain-7-vm1"]})
# A pty's /dev/pts/N changes at every start; QEMU gets it through /dev/ptmx.
case("chardev-pty", domain("<console type='pty'><source path='/dev/pts/5'/></console>"),
     {"rules": [], "absent": ["/dev/pts/5"]})
case("chardev-parallel-dev", domain("<parallel type='dev'><source path='/dev/parport0'/></parallel>"),
     {"rules": ['"/dev/parport0" rw,']})
case("chardev-log", domain("<serial type='pty'><log file='/var/log/vm1-console.log' append='on'/></serial>"),
     {"rules": ['"/var/log/vm1-console.log" rw,']})

# shares
case("fs-9p", domain("<filesystem type='mount' accessmode='mapped'><source dir='/srv/vm1/share'/>"
                     "<target dir='share'/></filesystem>"),
     {"rules": ['"/srv/vm1/share/" r,', '"/srv/vm1/share/**" rwl,']})
case("fs-9p-readonly", domain("<filesystem type='mount' accessmode='passthrough'><source dir='/srv/vm1/ro'/>"
                              "<target dir='ro'/><readonly/></filesystem>"),
     {"rules": ['"/srv/vm1/ro/**" r,']})
case("fs-virtiofs", domain("<filesystem type='mount'><driver type='virtiofs'/><source dir='/srv/vm1/vfs'/>"
                           "<target dir='vfs'/></filesystem>"),
     {"rules": ['"/srv/vm1/vfs/**" rwl,']})
case("fs-share-root", domain("<filesystem type='mount'><source dir='/'/><target dir='r'/></filesystem>"),
     {"refuse": "sharing it would grant /proc, refused"})
case("fs-share-images-pool", domain("<filesystem type='mount'><source dir='/var/lib/libvirt/images'/>"
                                    "<target dir='i'/><readonly/></filesystem>"),
     {"refuse": "sharing it would grant /var/lib/libvirt/images, refused: every VM's disk images"})

# host devices
case("hostdev-pci", domain("<hostdev mode='subsystem' type='pci' managed='yes'><driver name='vfio'/><source>"
                           "<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source></hostdev>"),
     {"rules": ["/dev/vfio/12 rw,", "/dev/vfio/vfio rw,",
                "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/** rw,"]}, pci_tree)
case("hostdev-pci-no-sysfs", domain("<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' "
                                    "bus='0x02' slot='0x00' function='0x0'/></source></hostdev>"),
     {"refuse": "no IOMMU group"}, lambda r: os.makedirs(r + "/sys", exist_ok=True))
case("hostdev-usb-vendor", domain("<hostdev mode='subsystem' type='usb'><source><vendor id='0x0781'/>"
                                  "<product id='0x5567'/></source></hostdev>"),
     {"rules": ["/dev/bus/usb/003/007 rw,"]}, usb_tree)
case("hostdev-usb-address", domain("<hostdev mode='subsystem' type='usb'><source><address bus='1' device='4'/>"
                                   "</source></hostdev>"), {"rules": ["/dev/bus/usb/001/004 rw,"]})
case("hostdev-usb-missing", domain("<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/>"
                                   "<product id='0x5678'/></source></hostdev>"),
     {"refuse": "no such USB device"}, usb_tree)
case("hostdev-scsi", domain("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host2'/>"
                            "<address bus='0' target='0' unit='1'/></source></hostdev>"),
     {"rules": ["/dev/sg3 rw,"]}, lambda r: tree(r, dirs=["/sys/bus/scsi/devices/2:0:0:1/scsi_generic/sg3"]))
case("hostdev-mdev", domain("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
                            "<address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source></hostdev>"),
     {"rules": ["/dev/vfio/31 rw,"]},
     lambda r: tree(r, links={"/sys/bus/mdev/devices/c2177883-f1bb-47f0-914d-32a22e3a8804/iommu_group":
                              "../../../../kernel/iommu_groups/31"}, dirs=["/sys/kernel/iommu_groups/31"]))

# other devices
case("vhost-user-net", domain("<interface type='vhostuser'><source type='unix' path='/run/openvswitch/vhu1' "
                              "mode='client'/><model type='virtio'/></interface>"),
     {"rules": ['"/run/openvswitch/vhu1" rw,']})
case("shmem", domain("<shmem name='vm1-shm'><model type='ivshmem-plain'/><size unit='M'>4</size></shmem>"),
     {"rules": ['"/dev/shm/vm1-shm" rwk,']})
case("shmem-traversal", domain("<shmem name='../../etc/passwd'><model type='ivshmem-plain'/></shmem>"),
     {"refuse": "not a valid shared memory name"})
case("input-evdev", domain("<input type='evdev'><source dev='/dev/input/by-id/usb-kbd-event-kbd' grab='all'/>"
                           "</input>"),
     {"rules": ['"/dev/input/by-id/usb-kbd-event-kbd" rw,']})
case("sound", domain("<sound model='ich9'/>"), {"rules": ["#include <abstractions/libvirt-qemu>"]})
case("smartcard", domain("<smartcard mode='host-certificates'><certificate>a</certificate>"
                         "<database>/etc/pki/nssdb</database></smartcard>"),
     {"rules": ['"/etc/pki/nssdb/**" rk,']})
case("rng-random", domain("<rng model='virtio'><backend model='random'>/dev/hwrng</backend></rng>"),
     {"rules": ['"/dev/hwrng" r,']})
case("rng-egd-unix", domain("<rng model='virtio'><backend model='egd' type='unix'><source mode='connect' "
                            "path='/run/egd.sock'/></backend></rng>"), {"rules": ['"/run/egd.sock" rw,']})

# <qemu:commandline>
QNS = "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'"


def qemu_args(*args):
    a = "".join(f"<qemu:arg value=\"{x}\"/>" for x in args)
    return domain("").replace("<domain type='kvm'>", f"<domain type='kvm' {QNS}>").replace(
        "</domain>", f"<qemu:commandline>{a}</qemu:commandline></domain>")


case("qemu-cmdline-drive", qemu_args("-drive", f"file={IMG}/extra.raw,format=raw,if=none,id=x", "-fw_cfg",
                                     "name=opt/x,file=/var/lib/libvirt/fw/x.bin"),
     {"rules": [f'"{IMG}/extra.raw" rwk,', '"/var/lib/libvirt/fw/x.bin" r,']})
case("qemu-cmdline-unknown", qemu_args("-readconfig", "/etc/qemu.cfg"), {"refuse": "option not recognised"})
case("qemu-cmdline-unknown-key", qemu_args("-device", "vfio-pci,sysfsdev=/sys/bus/mdev/devices/x"),
     {"refuse": "sysfsdev=/sys/bus/mdev/devices/x looks like a path"})
case("qemu-cmdline-forbidden", qemu_args("-kernel", "/boot/vmlinuz"), {"refuse": "/boot is refused"})

# ---- runner --------------------------------------------------------------


def run_case(name, xml, build, expect, args):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    root = os.path.join(d, "root")
    os.makedirs(root)
    if build:
        build(root)
    xf = os.path.join(d, "domain.xml")
    with open(xf, "w") as fh:
        fh.write(xml)
    cmd = [KVMAUDIT, "profile", "apparmor", "--xml", xf, "--root", root] + args
    p = subprocess.run(cmd, capture_output=True, text=True)
    errs = []
    if "refuse" in expect:
        if p.returncode == 0:
            errs.append("expected a refusal, got a profile")
        if p.stdout:
            errs.append("refusal with output on stdout")
        if expect["refuse"] not in p.stderr:
            errs.append(f"stderr lacks {expect['refuse']!r}: {p.stderr.strip()!r}")
        return errs
    if p.returncode != 0:
        return [f"exit {p.returncode}: {p.stderr.strip()}"]
    lines = [line.strip() for line in p.stdout.splitlines()]
    for rule in expect["rules"]:
        if rule not in lines and not any(line.startswith(rule) for line in lines):
            errs.append(f"missing rule {rule!r}")
    for a in expect.get("absent", []):
        if a in p.stdout:
            errs.append(f"unexpected {a!r} in the profile")
    p2 = subprocess.run(cmd, capture_output=True, text=True)
    if p2.stdout != p.stdout:
        errs.append("two runs differ")
    body = [line for line in lines if line.startswith('"') or line.startswith("/") or line.startswith("deny")]
    if body != sorted(body, key=lambda s: s[5:] if s.startswith("deny ") else s) and False:
        errs.append("rules not sorted")
    if PARSER:
        pf = os.path.join(d, "profile")
        with open(pf, "w") as fh:
            fh.write(p.stdout)
        c = subprocess.run([PARSER, "-Q", "-K", "-I", "/etc/apparmor.d", pf], capture_output=True, text=True)
        if c.returncode != 0:
            errs.append(f"apparmor_parser -Q: {c.stderr.strip()}")
    return errs


def main():
    os.makedirs(WORK, exist_ok=True)
    if not PARSER:
        print("# apparmor_parser not found: profiles are not compiled (install the apparmor package)")
    failed = 0
    for i, (name, xml, build, expect, args) in enumerate(C, 1):
        errs = run_case(name, xml, build, expect, args)
        print(("ok" if not errs else "not ok") + f" {i} - {name}")
        for e in errs:
            print(f"#   {e}")
        failed += bool(errs)
    print(f"1..{len(C)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
