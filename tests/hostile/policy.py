#!/usr/bin/env python3
"""Hostile input, surface "policy": domain definitions and image headers
that try to make "kvmaudit profile apparmor|selinux" grant one VM another
VM's files, libvirt's control sockets or the host's own disks (issue 11,
classes 1-4).  One row a case; every row runs against both generators
(AppArmor and SELinux) unless it says otherwise.  A row expects either a
refusal (exit 2, nothing on stdout / no files, the reason on stderr) or a
policy (exit 0, and for AppArmor the rules that must appear and the text
that must not).

The host is a --root tree built here: other VMs defined in
/etc/libvirt/qemu (and one running, in /run/libvirt/qemu), the images and
qcow2 headers, and for the block-device rows /proc/self/mountinfo,
/proc/swaps and /sys/class/block with a root on LVM over sda2, images on
sdb1 and swap on sdc1.  With a reachable libvirtd, one live row defines a
throwaway domain and checks "profile --xml" refuses its disk without --root.

Usage: policy.py KVMAUDIT SRC_ROOT WORK_DIR"""
import os
import shutil
import stat
import struct
import subprocess
import sys

KVMAUDIT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
UUID = "8e3a9f3c-1f4b-4c7e-9d2a-0a1b2c3d4e5f"
IMG = "/var/lib/libvirt/images"
Q = "/var/lib/libvirt/qemu"


def domain(devices, name="tenant", uuid=UUID, extra=""):
    return (f"<domain type='kvm'><name>{name}</name><uuid>{uuid}</uuid><memory>65536</memory>"
            f"<os><type arch='x86_64' machine='q35'>hvm</type>{extra}</os><devices>{devices}</devices></domain>\n")


def disk(path, dtype="file", driver="qcow2", dev="vda"):
    attr = "file" if dtype == "file" else "dev"
    return (f"<disk type='{dtype}' device='disk'><driver name='qemu' type='{driver}'/>"
            f"<source {attr}='{path}'/><target dev='{dev}' bus='virtio'/></disk>")


def unix_serial(path, mode="connect"):
    return f"<serial type='unix'><source mode='{mode}' path='{path}'/><target port='0'/></serial>"


def share(path):
    return (f"<filesystem type='mount' accessmode='passthrough'><source dir='{path}'/>"
            f"<target dir='s'/></filesystem>")


def tpm():
    return "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"


def qcow2(backing=None):
    name = backing.encode() if backing else b""
    h = bytearray(72)
    h[0:4] = b"QFI\xfb"
    struct.pack_into(">IQI", h, 4, 2, 72 if backing else 0, len(name))
    return bytes(h) + name + b"\0" * 512


# ---- the host ----------------------------------------------------------

OTHERS = {
    "victim": domain(disk(f"{IMG}/victim.qcow2") + unix_serial("/srv/victim/console.sock", "bind"),
                     name="victim", uuid="aaaaaaaa-0000-4000-8000-000000000001",
                     extra=f"<nvram>{Q}/nvram/victim_VARS.fd</nvram>"),
    "reader": domain(disk(f"{IMG}/base.qcow2").replace("</disk>", "<readonly/></disk>"),
                     name="reader", uuid="aaaaaaaa-0000-4000-8000-000000000002"),
    "customer-a-webserver-02": domain(tpm(), name="customer-a-webserver-02",
                                      uuid="aaaaaaaa-0000-4000-8000-000000000003"),
}

# major:minor of the fake disks: sda 8:0, sda2 8:2, sdb 8:16, sdb1 8:17,
# sdc1 8:33, sdd 8:48, dm-0 253:0 (root LV on sda2)
BLOCK = {"sda": "8:0", "sda2": "8:2", "sdb": "8:16", "sdb1": "8:17", "sdc": "8:32", "sdc1": "8:33",
         "sdd": "8:48", "dm-0": "253:0"}
PARENT = {"sda2": "sda", "sdb1": "sdb", "sdc1": "sdc"}


def write(root, path, data, mode=0o644):
    p = root + path
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.chmod(p, mode)


def build_host(root, others=OTHERS, disks=False, broken_other=False):
    for name, xml in others.items():
        write(root, f"/etc/libvirt/qemu/{name}.xml", xml)
    if broken_other:
        write(root, "/etc/libvirt/qemu/garbled.xml", "<domain><name>garbled</name><uuid>x</uu")
    for img in ("victim.qcow2", "base.qcow2", "tenant.qcow2"):
        write(root, f"{IMG}/{img}", qcow2())
    # a header naming the victim's writable disk, one naming the shared base
    write(root, f"{IMG}/evil.qcow2", qcow2(f"{IMG}/victim.qcow2"))
    write(root, f"{IMG}/ok.qcow2", qcow2(f"{IMG}/base.qcow2"))
    os.makedirs(root + f"{Q}/domain-4-victim", exist_ok=True)
    os.makedirs(root + "/srv/tenant", exist_ok=True)
    if not disks:
        return
    write(root, "/proc/self/mountinfo",
          "22 1 253:0 / / rw,relatime - ext4 /dev/mapper/vg-root rw\n"
          "23 22 8:17 / /var/lib/libvirt/images rw,relatime - ext4 /dev/sdb1 rw\n"
          "24 22 0:5 / /proc rw - proc proc rw\n")
    write(root, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n/dev/sdc1 partition 1024 0 -2\n")
    for name, num in BLOCK.items():
        parent = PARENT.get(name)
        sysdir = (f"/sys/devices/pci0000:00/block/{parent}/{name}" if parent else
                  (f"/sys/devices/virtual/block/{name}" if name.startswith("dm-")
                   else f"/sys/devices/pci0000:00/block/{name}"))
        os.makedirs(root + sysdir + "/holders", exist_ok=True)
        write(root, sysdir + "/dev", num + "\n")
        for link in (f"/sys/class/block/{name}", f"/sys/dev/block/{num}"):
            os.makedirs(os.path.dirname(root + link), exist_ok=True)
            os.symlink(os.path.relpath(root + sysdir, os.path.dirname(root + link)), root + link)
        os.makedirs(root + "/dev", exist_ok=True)
        major, minor = (int(x) for x in num.split(":"))
        os.mknod(root + f"/dev/{name}", 0o600 | stat.S_IFBLK, os.makedev(major, minor))
    # the LVM volume group's physical volume: sda2 is held by dm-0
    os.symlink("../../../../virtual/block/dm-0",
               root + "/sys/devices/pci0000:00/block/sda/sda2/holders/dm-0")
    os.makedirs(root + "/dev/mapper", exist_ok=True)
    os.symlink("../dm-0", root + "/dev/mapper/vg-root")


# ---- the cases ----------------------------------------------------------
# (name, devices XML or whole XML, expect, options)
#   expect: ("refuse", text) | ("allow", [rules that must appear], [text that must not])
#   options: kinds (apparmor, selinux), host builder flags, name

C = []


def case(name, xml, expect, kinds=("apparmor", "selinux"), **host):
    if not xml.startswith("<domain"):
        xml = domain(xml)
    C.append((name, xml, expect, kinds, host))


DAEMON_SOCKETS = ["libvirt-sock", "libvirt-sock-ro", "libvirt-admin-sock", "virtproxyd-sock",
                  "virtproxyd-admin-sock", "virtqemud-sock", "virtqemud-sock-ro", "virtqemud-admin-sock",
                  "virtlogd-sock", "virtlogd-admin-sock", "virtlockd-sock", "virtsecretd-sock",
                  "virtnetworkd-sock", "virtnodedevd-sock", "virtstoraged-sock"]
# 1. libvirt's own sockets
for s in DAEMON_SOCKETS:
    case(f"serial-connect-{s}", unix_serial(f"/run/libvirt/{s}"), ("refuse", "/run/libvirt"))
case("channel-connect-virtlogd", "<channel type='unix'><source mode='connect' path='/run/libvirt/virtlogd-sock'/>"
     "<target type='virtio' name='x'/></channel>", ("refuse", "/run/libvirt"))
for s in ("libvirt-admin-sock", "virtqemud-admin-sock", "virtsecretd-sock"):
    case(f"qemu-commandline-chardev-{s}",
         domain("", extra="").replace("<devices></devices>", "<devices></devices><qemu:commandline "
                "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:arg value='-chardev'/>"
                f"<qemu:arg value='socket,id=c0,path=/run/libvirt/{s}'/></qemu:commandline>"),
         ("refuse", "/run/libvirt"), kinds=("apparmor",))
# 1. other VMs' runtime state
for path in (f"{Q}/domain-4-victim/monitor.sock", f"{Q}/domain-4-victim/master-key.aes",
             f"{Q}/channel/target/domain-4-victim/org.qemu.guest_agent.0", "/run/libvirt/qemu/victim.xml",
             "/run/libvirt/qemu/victim.pid", "/run/libvirt/qemu/swtpm/4-victim-swtpm.sock",
             f"{Q}/nvram/victim_VARS.fd", f"{Q}/domain-4-tenant-2/master-key.aes",
             "/var/lib/libvirt/swtpm/aaaaaaaa-0000-4000-8000-000000000001/tpm2/tpm2-00.permall"):
    case("other-vm-state-" + path.replace("/", "_"), unix_serial(path), ("refuse", "refused"))
case("selinux-fc-other-master-key", domain(disk(f"{Q}/domain-4-victim/master-key.aes", driver="raw")),
     ("refuse", "not an entry of this VM"))
case("nvram-other", domain("", extra=f"<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
                           f"<nvram>{Q}/nvram/victim_VARS.fd</nvram>"), ("refuse", "refused"))
# 1. shares of the per-VM state trees
for d in (f"{Q}/ram", f"{Q}/channel", f"{Q}/nvram", f"{Q}/dump", f"{Q}/domain-4-victim", Q, "/run/libvirt/qemu",
          "/run/libvirt/qemu/swtpm", "/run/libvirt", "/var/lib/libvirt/swtpm", "/var/log/swtpm/libvirt/qemu"):
    case("share-" + d.replace("/", "_"), share(d), ("refuse", "refused"))
# 2. other VMs' disks, directly and through a header
case("disk-other-vm-writable", disk(f"{IMG}/victim.qcow2"), ("refuse", "another VM"))
case("disk-other-vm-readonly-base-rw", disk(f"{IMG}/base.qcow2"), ("refuse", "another VM uses"))
case("backing-header-other-vm", disk(f"{IMG}/evil.qcow2"), ("refuse", "another VM"))
case("serial-file-other-vm-socket", unix_serial("/srv/victim/console.sock"), ("refuse", "another VM"))
case("share-containing-other-vm-disk", share(f"{IMG}"), ("refuse", "refused"))
# 3. the host's own block devices
for dev in ("/dev/sda", "/dev/sda2", "/dev/sdb1", "/dev/sdb", "/dev/sdc1", "/dev/dm-0", "/dev/mapper/vg-root"):
    case("hostdisk-" + dev.replace("/", "_"), disk(dev, dtype="block", driver="raw"), ("refuse", "host's own disk"),
         disks=True)
# a device node handed to QEMU as an image file (it opened /dev/ptmx)
for dev in ("/dev/ptmx", "/dev/tty0", "/dev/watchdog"):
    case("file-disk-device-" + dev.replace("/", "_"), disk(dev, driver="raw"), ("refuse", "device node"))
# 4. names libvirt shortens
LONG = "customer-a-webserver-01"
case("shortname-collision-tpm", domain(tpm(), name=LONG), ("refuse", "customer-a-webserver-02"))
case("shortname-collision-runtime", domain("", name=LONG), ("refuse", "customer-a-webserver-02"),
     kinds=("apparmor",))
case("shortname-unknown-others", domain(tpm(), name=LONG), ("refuse", "not known"),
     others={}, broken_other=True)
case("shortname-nonascii-long", domain(tpm(), name="k\u00e4se-und-brot-server-01"), ("refuse", "non-ASCII"),
     kinds=("apparmor",))

# positive controls: what the VM needs stays granted
case("own-disk", disk(f"{IMG}/tenant.qcow2"), ("allow", [f'"{IMG}/tenant.qcow2" rwk,'], []))
case("own-backing-shared-base", disk(f"{IMG}/ok.qcow2"),
     ("allow", [f'"{IMG}/base.qcow2" rk,'], ["victim"]))
case("own-runtime-dir", "", ("allow", [f'"{Q}/domain-{{[0-9],'], ["victim", "/run/libvirt/libvirt"]),
     kinds=("apparmor",))
# the abstraction's "owner .../nvram/*_VARS.fd rwk" is denied for every known other VM
case("abstraction-nvram-denied", "", ("allow", [f'deny "{Q}/nvram/victim_VARS.fd" rwk,'], []),
     kinds=("apparmor",))
case("own-nvram", domain("", extra=f"<nvram>{Q}/nvram/tenant_VARS.fd</nvram>"),
     ("allow", [f'"{Q}/nvram/tenant_VARS.fd" rwk,'], []))
case("own-channel-running", "<channel type='unix'><source mode='bind' "
     f"path='{Q}/channel/target/domain-9-tenant/org.qemu.guest_agent.0'/><target type='virtio' "
     "name='org.qemu.guest_agent.0'/></channel>",
     ("allow", [f'"{Q}/channel/target/domain-{{[0-9],'], ["domain-9-tenant"]), kinds=("apparmor",))
case("channel-target-name-traversal", "<channel type='unix'><target type='virtio' name='../../domain-4-victim/x'/>"
     "</channel>", ("refuse", "not one plain file name"), kinds=("apparmor",))
case("own-vnc-socket-running", "<graphics type='vnc'><listen type='socket' "
     f"socket='{Q}/domain-9-tenant/vnc.sock'/></graphics>", ("allow", [], ["domain-9-tenant"]))
case("unused-block-device", disk("/dev/sdd", dtype="block", driver="raw"), ("allow", ['"/dev/sdd" rwk,'], []),
     disks=True)
# the two generators grant the same file for a shared memory device
case("shmem-doorbell-socket", "<shmem name='sh0'><model type='ivshmem-doorbell'/></shmem>",
     ("allow", ['"/var/lib/libvirt/shmem-sh0-sock" rw,'], ["/dev/shm/sh0"]))
case("shmem-plain", "<shmem name='sh1'><model type='ivshmem-plain'/></shmem>",
     ("allow", ['"/dev/shm/sh1" rwk,'], ["shmem-sh1-sock"]))
case("shmem-name-traversal", "<shmem name='../../etc/shadow'><model type='ivshmem-plain'/></shmem>",
     ("refuse", "not a valid shared memory name"))
# a TCP serial server binds its port (the lab's probe1: 0.0.0.0:4555)
case("tcp-serial-server", "<serial type='tcp'><source mode='bind' host='0.0.0.0' service='4555'/>"
     "<protocol type='raw'/><target port='1'/></serial>",
     ("allow", [], [], ["corenet_tcp_bind_all_unreserved_ports(kvmaudit_tenant_t)",
                        "corenet_tcp_bind_generic_node(kvmaudit_tenant_t)"]), kinds=("selinux",))
case("tcp-serial-server-reserved-port", "<serial type='tcp'><source mode='bind' host='0.0.0.0' service='23'/>"
     "<protocol type='telnet'/><target port='1'/></serial>", ("refuse", "reserved port"), kinds=("selinux",))
case("swtpm-entrypoint", domain(tpm(), name="tenant"), ("allow", [], [], ["corecmd_bin_entry_type(kvmaudit_tenant_t)"]),
     kinds=("selinux",))
case("shortname-unique-long", domain(tpm(), name="customer-b-webserver-01"), ("allow", [], []))


# ---- runner -------------------------------------------------------------

def run(name, xml, expect, kind, host):
    d = os.path.join(WORK, name, kind)
    shutil.rmtree(d, ignore_errors=True)
    root = os.path.join(d, "root")
    os.makedirs(root)
    build_host(root, **host)
    xf = os.path.join(d, "domain.xml")
    with open(xf, "w") as f:
        f.write(xml)
    out = os.path.join(d, "out")
    cmd = [KVMAUDIT, "profile", kind, "--xml", xf, "--root", root]
    if kind == "selinux":
        cmd += ["--output-dir", out]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    errs = []
    if p.returncode < 0 or p.returncode > 3:
        return [f"crashed: exit {p.returncode}: {p.stderr[-300:]}"]
    if expect[0] == "refuse":
        if p.returncode != 2:
            errs.append(f"expected a refusal (exit 2), got exit {p.returncode}")
        if p.stdout.strip() or os.path.exists(out):
            errs.append("a refusal wrote a policy")
        if expect[1] not in p.stderr:
            errs.append(f"stderr lacks {expect[1]!r}: {p.stderr.strip()[:300]!r}")
        return errs
    if p.returncode != 0:
        return [f"exit {p.returncode}: {p.stderr.strip()[:300]}"]
    if kind == "selinux" and name.startswith("shmem-"):
        fc = open(os.path.join(out, "kvmaudit_tenant.fc")).read()
        want = {"shmem-doorbell-socket": "/var/lib/libvirt/shmem-sh0-sock", "shmem-plain": "/dev/shm/sh1"}[name]
        if want.replace("-", "\\-") not in fc.replace("\\.", ".") and want not in fc:
            errs.append(f"the .fc does not label {want}: {fc!r}")
    if kind == "selinux" and len(expect) > 3:
        te = open(os.path.join(out, "kvmaudit_tenant.te")).read()
        for want in expect[3]:
            if want not in te:
                errs.append(f"the .te lacks {want!r}")
    if kind == "apparmor":
        lines = [ln.strip() for ln in p.stdout.splitlines()]
        for rule in expect[1]:
            if not any(ln.startswith(rule) for ln in lines):
                errs.append(f"missing rule {rule!r}")
        grants = "\n".join(ln for ln in lines if not ln.startswith("deny "))
        for a in expect[2]:
            if a in grants:
                errs.append(f"unexpected {a!r} granted by the profile")
    return errs


def live_case():
    """profile --xml on the live host checks the VMs libvirt knows."""
    if os.environ.get("KVMAUDIT_SANITIZED"):
        return None  # the ASan build crashes inside libvirt's XDR (libtirpc interceptors)
    if os.geteuid() != 0 or subprocess.run(["virsh", "-c", "qemu:///system", "list"], capture_output=True,
                                           timeout=30).returncode != 0:
        return None
    name = f"kvmaudit-hostile-victim-{os.getpid()}"
    vuuid = "bbbbbbbb-0000-4000-8000-%012d" % os.getpid()
    victim_disk = f"{IMG}/{name}.qcow2"
    d = os.path.join(WORK, "live")
    os.makedirs(d, exist_ok=True)
    vx, ax = os.path.join(d, "victim.xml"), os.path.join(d, "attacker.xml")
    with open(vx, "w") as f:
        f.write(domain(disk(victim_disk), name=name, uuid=vuuid).replace("type='kvm'", "type='qemu'"))
    with open(ax, "w") as f:
        f.write(domain(disk(victim_disk)))
    if subprocess.run(["virsh", "-c", "qemu:///system", "define", vx], capture_output=True).returncode != 0:
        return ["could not define the throwaway victim domain"]
    try:
        errs = []
        for kind in ("apparmor", "selinux"):
            cmd = [KVMAUDIT, "profile", kind, "--xml", ax]
            if kind == "selinux":
                cmd += ["--output-dir", os.path.join(d, "out")]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            if p.returncode != 2 or "another VM" not in p.stderr:
                errs.append(f"{kind}: live --xml granted a defined VM's disk: exit {p.returncode} {p.stderr[:200]!r}")
        return errs
    finally:
        subprocess.run(["virsh", "-c", "qemu:///system", "undefine", name], capture_output=True)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    n = failed = 0
    per_kind = {}
    for name, xml, expect, kinds, host in C:
        for kind in kinds:
            n += 1
            per_kind[kind] = per_kind.get(kind, 0) + 1
            errs = run(name, xml, expect, kind, host)
            if errs:
                failed += 1
                print(f"not ok {n} - {kind} {name}")
                for e in errs:
                    print(f"#   {e}")
            else:
                print(f"ok {n} - {kind} {name}")
    errs = live_case()
    if errs is None:
        print("# live: not run (no libvirtd reachable as root, or a sanitizer build)")
    else:
        n += 1
        if errs:
            failed += 1
            print(f"not ok {n} - live profile --xml against a defined domain")
            for e in errs:
                print(f"#   {e}")
        else:
            print(f"ok {n} - live profile --xml against a defined domain")
    print("# cases per generator: " + ", ".join(f"{k} {v}" for k, v in sorted(per_kind.items())))
    print(f"hostile policy: {n} cases, {failed} failed")
    return 1 if failed else 0


sys.exit(main())
