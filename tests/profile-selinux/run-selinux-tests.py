#!/usr/bin/env python3
"""Tests of "kvmaudit profile selinux".

Each case is a domain XML, an optional fixture tree used as --root (fake
images with backing headers, symlinks, other VMs' definitions), and either
what the files must hold or the refusal expected on stderr.  Then:

- every generated module is compiled into a .pp with the reference policy's
  devel Makefile (Debian's selinux-policy-dev: checkmodule and
  semodule_package underneath);
- all of them are linked into a copy of the installed policy store of
  selinux-policy-default (semodule -p TMPROOT -n -i ..., which builds a
  complete binary policy without loading it), and sesearch (setools)
  checks on that policy that each VM's domain reads its own file types and
  reads or writes no other VM's, nor svirt_image_t.

Without the tools the compile and policy steps are skipped with a reason.
Usage: run-selinux-tests.py KVMAUDIT SRC_ROOT WORK_DIR"""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "profile"))

KVMAUDIT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
DEVEL_MK = "/usr/share/selinux/devel/Makefile"
STORE = "/var/lib/selinux/default"
UUID = "8e3a9f3c-1f4b-4c7e-9d2a-0a1b2c3d4e5f"
IMG = "/var/lib/libvirt/images"


def qcow2(backing=None, fmt=None):
    import struct
    ext = b""
    if fmt is not None:
        f = fmt.encode()
        ext += struct.pack(">II", 0xE2792ACA, len(f)) + f + b"\0" * ((8 - len(f) % 8) % 8)
    ext += struct.pack(">II", 0, 0)
    name = (backing or "").encode()
    off = 104 + len(ext) if backing is not None else 0
    h = bytearray(104)
    h[0:4] = b"QFI\xfb"
    struct.pack_into(">IQI", h, 4, 3, off, len(name))
    struct.pack_into(">I", h, 100, 104)
    return bytes(h) + ext + name + b"\0" * 512


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


def domain(devices, name="vm1", extra="", uuid=UUID, seclabel=""):
    return f"""<domain type='kvm'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <os><type arch='x86_64' machine='q35'>hvm</type>{extra}</os>
  <devices>
{devices}
  </devices>{seclabel}
</domain>
"""


def disk(path, extra="", dtype="file", device="disk", driver="qcow2", dev="vda"):
    attr = "file" if dtype == "file" else "dev"
    return (f"<disk type='{dtype}' device='{device}'><driver name='qemu' type='{driver}'/>"
            f"<source {attr}=\"{path}\"/><target dev='{dev}' bus='virtio'/>{extra}</disk>")


def static(label):
    return (f"<seclabel type='static' model='selinux' relabel='yes'><label>{label}</label></seclabel>")


C = []


def case(name, xml, expect, build=None, args=(), compile_it=True):
    C.append((name, xml, build, expect, list(args), compile_it))


# ---- realistic VMs: every virt-install fixture -----------------------------
VI = os.path.join(SRC, "tests/fixtures/domains/virt-install")
for f in sorted(os.listdir(VI)):
    if f.endswith(".xml"):
        with open(os.path.join(VI, f)) as fh:
            case("virt-install-" + f[:-4], fh.read(), {"fc": [], "te": ["virt_domain_template("]})

# ---- the profile fixtures: Linux, Windows, UEFI, chains, shares, TPM, PCI, USB
case("linux-direct-kernel", domain(disk(f"{IMG}/l.qcow2"), extra="<kernel>/var/lib/libvirt/boot/vmlinuz</kernel>"
                                   "<initrd>/var/lib/libvirt/boot/initrd.img</initrd>"),
     {"fc": [r"`/var/lib/libvirt/boot/vmlinuz'	--	gen_context(system_u:object_r:kvmaudit_vm1_content_t",
             r"`/var/lib/libvirt/images/l\.qcow2'	--	gen_context(system_u:object_r:kvmaudit_vm1_image_t"]})
case("windows-uefi-tpm", domain(disk(f"{IMG}/win.qcow2", dev="sda") +
                                disk(f"{IMG}/Win11.iso", device="cdrom", driver="raw", dev="sdb") +
                                "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>",
                                name="win11", extra="<loader readonly='yes' type='pflash'>"
                                "/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>"
                                "<nvram>/var/lib/libvirt/qemu/nvram/win11_VARS.fd</nvram>"),
     {"fc": [r"`/var/lib/libvirt/images/Win11\.iso'	--	gen_context(system_u:object_r:kvmaudit_win11_content_t",
             r"`/var/lib/libvirt/qemu/nvram/win11_VARS\.fd'	--	gen_context(system_u:object_r:kvmaudit_win11_image_t",
             f"`/var/lib/libvirt/swtpm/{UUID}/tpm2(/.*)?'"],
      "te": ["files_read_usr_files(kvmaudit_win11_t)"], "absent": ["OVMF"]})
case("backing-chain", domain(disk(f"{IMG}/top.qcow2"), name="chain"),
     {"fc": [r"`/var/lib/libvirt/images/top\.qcow2'	--	gen_context(system_u:object_r:kvmaudit_chain_image_t",
             # backing files: virt_content_t at s0, as libvirt labels
             # every chain member below the top (shared by design)
             r"`/var/lib/libvirt/images/mid\.qcow2'	--	gen_context(system_u:object_r:virt_content_t,s0)",
             r"`/var/lib/libvirt/images/base\.raw'	--	gen_context(system_u:object_r:virt_content_t,s0)"],
      "te": ["virt_read_content(kvmaudit_chain_t)"], "absent": ["kvmaudit_chain_content_t"]},
     lambda r: tree(r, files={f"{IMG}/top.qcow2": qcow2("mid.qcow2", "qcow2"),
                              f"{IMG}/mid.qcow2": qcow2(f"{IMG}/base.raw", "raw"), f"{IMG}/base.raw": b"\0" * 64}))
case("shares", domain(disk(f"{IMG}/s.qcow2") +
                      "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
                      "<source dir='/srv/share/vm-data'/><target dir='data'/></filesystem>"
                      "<filesystem type='mount'><source dir='/srv/share/ro-docs'/><target dir='docs'/><readonly/>"
                      "</filesystem>", name="shares"),
     {"fc": [r"`/srv/share/vm-data(/.*)?'		gen_context(system_u:object_r:kvmaudit_shares_image_t",
             r"`/srv/share/ro-docs(/.*)?'		gen_context(system_u:object_r:kvmaudit_shares_content_t"]})
case("pci-usb-passthrough", domain(disk(f"{IMG}/p.qcow2") +
                                   "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' "
                                   "bus='1' slot='0' function='0'/></source></hostdev>"
                                   "<hostdev mode='subsystem' type='usb'><source><address bus='3' device='7'/>"
                                   "</source></hostdev>", name="passthru"),
     {"te": ["dev_rw_vfio_dev(kvmaudit_passthru_t)", "dev_rw_generic_usb_dev(kvmaudit_passthru_t)"]})
case("network-sockets", domain(disk(f"{IMG}/n.qcow2") +
                               "<interface type='network'><source network='default'/><model type='virtio'/></interface>"
                               "<interface type='vhostuser'><source type='unix' path='/run/vhost/n-net0.sock' "
                               "mode='client'/><model type='virtio'/></interface>"
                               "<serial type='unix'><source mode='bind' path='/run/vm/n-serial.sock'/></serial>"
                               "<serial type='file'><source path='/var/log/vm/n-console.log'/></serial>"
                               "<disk type='network' device='disk'><source protocol='iscsi' name='iqn.x/1'>"
                               "<host name='san'/></source><target dev='vdb'/></disk>", name="netvm"),
     {"te": ["virt_attach_tun_iface(kvmaudit_netvm_t)", "corenet_tcp_connect_iscsi_port(kvmaudit_netvm_t)"],
      "fc": [r"`/run/vhost/n-net0\.sock'	-s	", r"`/run/vm/n-serial\.sock'	-s	"],
      # a serial file is written by virtlogd (stdio_handler "logd"), not
      # QEMU: never labelled as the VM's image
      "absent": ["n-console"]})
case("block-readonly", domain(disk("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", dtype="block", driver="raw") +
                              disk(f"{IMG}/ro.raw", "<readonly/>", driver="raw", dev="vdb"), name="blk"),
     {"fc": [r"`/dev/disk/by-id/wwn-0x5000c500a1b2c3d4'	-b	gen_context(system_u:object_r:kvmaudit_blk_image_t",
             r"`/var/lib/libvirt/images/ro\.raw'	--	gen_context(system_u:object_r:kvmaudit_blk_content_t"]})

# ---- names ------------------------------------------------------------------
case("name-dots-dashes", domain(disk(f"{IMG}/d.qcow2"), name="web-01.example.com"),
     {"te": ["policy_module(kvmaudit_web_01_example_com, 1.0.0)"]})
for word in ("allow", "define", "module", "gen_context", "dnl", "type"):
    case(f"name-reserved-{word}", domain(disk(f"{IMG}/{word}.qcow2"), name=word),
         {"te": [f"virt_domain_template(kvmaudit_{word})"]})
case("name-unicode", domain("", name="vm-\u00e9t\u00e9"), {"refuse": "<name>vm-"})
case("name-unicode-why", domain("", name="\u0432\u043c"), {"refuse": "non-ASCII characters"})
case("name-300", domain("", name="a" * 300), {"refuse": "longer than 48 bytes"})
case("name-space", domain("", name="my vm"), {"refuse": "only ASCII letters, digits"})
case("name-only-punct", domain("", name="-.-"), {"refuse": "no letter or digit"})
case("name-type-suffix", domain("", name="web_image"), {"refuse": "ends in _image"})
case("name-type-suffix-dash", domain("", name="web-tmpfs"), {"refuse": "ends in _image, _tmp"})
case("name-clash-other-vm", domain(disk(f"{IMG}/c1.qcow2"), name="web-1"), {"refuse": "gives the same module name"},
     lambda r: tree(r, files={"/etc/libvirt/qemu/web.1.xml": domain("", name="web.1",
                                                                    uuid="11111111-2222-3333-4444-555555555555")}))

# ---- paths ------------------------------------------------------------------
case("path-regex-escaped", domain(disk(f"{IMG}/a.b+(c)|d^e$f{{1}}.qcow2"), name="rx"),
     {"fc": [r"`/var/lib/libvirt/images/a\.b\+\(c\)\|d\^e\$f\{1\}\.qcow2'	--	"]})
case("path-space-escaped", domain(disk(f"{IMG}/my disk.qcow2"), name="sp"),
     {"fc": [r"`/var/lib/libvirt/images/my\x20disk\.qcow2'	--	"]})
case("path-m4-words", domain(disk(f"/srv/vm/define/gen_context/dnl.qcow2"), name="m4w"),
     {"fc": [r"`/srv/vm/define/gen_context/dnl\.qcow2'	--	"]})
case("path-glob", domain(disk(f"{IMG}/a*.qcow2")), {"refuse": "glob characters"})
case("path-bracket", domain(disk(f"{IMG}/a[1].qcow2")), {"refuse": "glob characters"})
case("path-quote", domain(disk(f"{IMG}/it&quot;s.qcow2")), {"refuse": "quote characters"})
case("path-backquote", domain(disk(f"{IMG}/x`y.qcow2")), {"refuse": "quote characters"})
case("path-apostrophe", domain(disk(f"{IMG}/x&apos;y.qcow2")), {"refuse": "quote characters"})
case("path-newline", domain("", extra="<kernel>/var/lib/libvirt/boot/k\n/** rwx</kernel>"),
     {"refuse": "control character"})
case("path-traversal", domain(disk(f"{IMG}/../../../etc/shadow")), {"refuse": "path traversal"})
case("path-relative", domain(disk("images/a.qcow2")), {"refuse": "not an absolute path"})
case("path-shadow", domain(disk("/etc/shadow", driver="raw")), {"refuse": "/etc/shadow"})
case("path-system-write", domain(disk("/usr/share/x.img", driver="raw")), {"refuse": "write access to /usr"})
case("path-proc", domain("", extra="<kernel>/proc/kcore</kernel>"), {"refuse": "access to /proc"})
case("share-images-dir", domain("<filesystem type='mount'><source dir='/var/lib/libvirt/images'/>"
                                "<target dir='x'/></filesystem>"), {"refuse": "/var/lib/libvirt/images"})
case("share-root", domain("<filesystem type='mount'><source dir='/'/><target dir='x'/></filesystem>"),
     {"refuse": "refused"})
case("symlink-to-system", domain(disk(f"{IMG}/passwd.img", driver="raw")),
     {"refuse": '(symlink to "/etc/passwd"): write access to /etc is refused'},
     lambda r: tree(r, files={"/etc/passwd": "root:x:0:0::/root:/bin/sh\n"},
                    links={f"{IMG}/passwd.img": "/etc/passwd"}))
case("symlink-resolved", domain(disk(f"{IMG}/link.qcow2"), name="sym"),
     {"fc": [r"`/var/lib/libvirt/images/real\.qcow2'"], "absent": ["link"]},
     lambda r: tree(r, files={f"{IMG}/real.qcow2": qcow2()}, links={f"{IMG}/link.qcow2": "real.qcow2"}))
case("backing-shadow", domain(disk(f"{IMG}/evil.qcow2")), {"refuse": "/etc/shadow"},
     lambda r: tree(r, files={f"{IMG}/evil.qcow2": qcow2("/etc/shadow")}))
case("backing-glob", domain(disk(f"{IMG}/g.qcow2")), {"refuse": "glob, quote or space characters"},
     lambda r: tree(r, files={f"{IMG}/g.qcow2": qcow2("*")}))
case("backing-newline", domain(disk(f"{IMG}/nl.qcow2")), {"refuse": "glob, quote or space characters"},
     lambda r: tree(r, files={f"{IMG}/nl.qcow2": qcow2("a\nb")}))
case("backing-outside", domain(disk(f"{IMG}/o.qcow2")), {"refuse": "outside the directories of the VM's own disks"},
     lambda r: tree(r, files={f"{IMG}/o.qcow2": qcow2("/srv/other/secret.img")}))
case("backing-loop", domain(disk(f"{IMG}/l1.qcow2")), {"refuse": "backing chain loops"},
     lambda r: tree(r, files={f"{IMG}/l1.qcow2": qcow2("l2.qcow2", "qcow2"),
                              f"{IMG}/l2.qcow2": qcow2("l1.qcow2", "qcow2")}))
VICTIM = domain(disk(f"{IMG}/victim.qcow2") + disk(f"{IMG}/golden.qcow2", "<readonly/>", dev="vdb"),
                name="victim", uuid="11111111-2222-3333-4444-555555555555",
                seclabel=static("system_u:system_r:svirt_t:s0:c10,c20"))
case("other-vm-disk", domain(disk(f"{IMG}/victim.qcow2")), {"refuse": "belongs to another VM"},
     lambda r: tree(r, files={"/etc/libvirt/qemu/victim.xml": VICTIM}))
case("other-vm-backing", domain(disk(f"{IMG}/e3.qcow2")), {"refuse": "belongs to another VM"},
     lambda r: tree(r, files={f"{IMG}/e3.qcow2": qcow2("victim.qcow2"), f"{IMG}/victim.qcow2": b"x",
                              "/etc/libvirt/qemu/victim.xml": VICTIM}))
case("shared-base-virt-content", domain(disk(f"{IMG}/mine.qcow2"), name="sharer"),
     {"fc": [r"`/var/lib/libvirt/images/mine\.qcow2'",
             r"`/var/lib/libvirt/images/golden\.qcow2'	--	gen_context(system_u:object_r:virt_content_t,s0)"],
      "absent": ["golden\\.qcow2'	--	gen_context(system_u:object_r:kvmaudit"],
      "te": ["virt_read_content(kvmaudit_sharer_t)"]},
     lambda r: tree(r, files={f"{IMG}/mine.qcow2": qcow2("golden.qcow2", "qcow2"),
                              f"{IMG}/golden.qcow2": qcow2(), "/etc/libvirt/qemu/victim.xml": VICTIM}))
case("qemu-commandline", domain("") .replace("<domain type='kvm'>",
                                            "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>")
     .replace("</domain>", "<qemu:commandline><qemu:arg value='-snapshot'/></qemu:commandline></domain>"),
     {"refuse": "<qemu:commandline>"})

# ---- MCS --------------------------------------------------------------------
case("mcs-given-ordered", domain(disk(f"{IMG}/m.qcow2"), name="mcs1"),
     {"seclabel": ["relabel='no'>", "<label>system_u:system_r:kvmaudit_mcs1_t:s0:c3,c1023</label>"]},
     args=["--mcs", "c1023,c3"])
case("mcs-out-of-range", domain(""), {"refuse": "outside c0..c1023"}, args=["--mcs", "c1024,c2"])
case("mcs-same", domain(""), {"refuse": "must differ"}, args=["--mcs", "c7,c7"])
case("mcs-one", domain(""), {"refuse": "not two categories"}, args=["--mcs", "c7"])
case("mcs-three", domain(""), {"refuse": "not two categories"}, args=["--mcs", "c1,c2,c3"])
case("mcs-leading-zero", domain(""), {"refuse": "not two categories"}, args=["--mcs", "c01,c2"])
case("mcs-clash", domain(disk(f"{IMG}/k.qcow2")), {"refuse": "the static label \"system_u:system_r:svirt_t:s0:c10,c20\" of domain \"victim\""},
     lambda r: tree(r, files={"/etc/libvirt/qemu/victim.xml": VICTIM}), args=["--mcs", "c20,c10"])
case("mcs-clash-range", domain(disk(f"{IMG}/k.qcow2")), {"refuse": "covers it"},
     lambda r: tree(r, files={"/etc/libvirt/qemu/wide.xml": domain(
         "", name="wide", uuid="22222222-2222-3333-4444-555555555555",
         seclabel=static("system_u:system_r:svirt_t:s0:c0.c1023"))}), args=["--mcs", "c5,c6"])
case("mcs-free", domain(disk(f"{IMG}/k2.qcow2"), name="mcsfree"), {"seclabel": [":s0:c11,c20<"]},
     lambda r: tree(r, files={"/etc/libvirt/qemu/victim.xml": VICTIM}), args=["--mcs", "c11,c20"])


def check_case(name, xml, build, expect, args):
    errs = []
    root = os.path.join(WORK, "roots", name)
    os.makedirs(root)
    if build:
        build(root)
    xf = os.path.join(WORK, "xml", name + ".xml")
    os.makedirs(os.path.dirname(xf), exist_ok=True)
    with open(xf, "w") as fh:
        fh.write(xml)
    out = os.path.join(WORK, "out", name)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cmd = [KVMAUDIT, "profile", "selinux", "--xml", xf, "--root", root, "--output-dir", out, "--timing"] + args
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    gen_ms = (time.monotonic() - t0) * 1000
    if "refuse" in expect:
        if p.returncode != 2:
            errs.append(f"expected exit 2, got {p.returncode}")
        if expect["refuse"] not in p.stderr:
            errs.append(f"stderr lacks {expect['refuse']!r}: {p.stderr.strip()!r}")
        if os.path.exists(out):
            errs.append("an output directory was written for a refused domain")
        return errs, None, gen_ms
    if p.returncode != 0:
        return [f"exit {p.returncode}: {p.stderr.strip()}"], None, gen_ms
    files = {f: open(os.path.join(out, f)).read() for f in os.listdir(out)}
    mod = next(f[:-3] for f in files if f.endswith(".te"))
    if set(files) != {mod + ".te", mod + ".fc", mod + ".seclabel.xml", "README"}:
        errs.append(f"unexpected files {sorted(files)}")
    for key, ext in (("te", ".te"), ("fc", ".fc"), ("seclabel", ".seclabel.xml")):
        for want in expect.get(key, []):
            if want not in files[mod + ext]:
                errs.append(f"{mod}{ext} lacks {want!r}")
    for bad in expect.get("absent", []):
        if bad in files[mod + ".fc"]:
            errs.append(f"{mod}.fc has {bad!r}")
    for tool in ("make -f /usr/share/selinux/devel/Makefile", "semodule -i", "restorecon", "virsh edit"):
        if tool not in files["README"]:
            errs.append(f"README lacks {tool!r}")
    # libvirt ignores <imagelabel> in a definition, and relabel='yes' would
    # relabel the images svirt_image_t: relabel='no', the .fc's types stay.
    sl = files[mod + ".seclabel.xml"]
    if not sl.startswith("<seclabel type='static' model='selinux' relabel='no'>\n  <label>system_u:system_r:"
                         f"{mod}_t:s0:c") or "imagelabel" in sl:
        errs.append(f"{mod}.seclabel.xml is not a static relabel='no' <label> alone: {sl!r}")
    if files["README"].find("restorecon -R -v") > files["README"].find("virsh edit") >= 0 and \
            "(no file to label)" not in files["README"]:
        errs.append("README applies the <seclabel> before labelling the files")
    for why in ("relabel='no'", "svirt_image_t", "after every new disk"):
        if why not in files["README"]:
            errs.append(f"README lacks {why!r}")
    # byte-identical on a second run, into an existing directory
    p2 = subprocess.run(cmd, capture_output=True, text=True)
    again = {f: open(os.path.join(out, f)).read() for f in os.listdir(out)}
    if p2.returncode != 0 or again != files:
        errs.append("a second run gave different files")
    return errs, (mod, out, files), gen_ms


def compile_module(mod, out):
    d = os.path.join(WORK, "pp", mod)
    os.makedirs(d, exist_ok=True)
    for ext in (".te", ".fc"):
        shutil.copy(os.path.join(out, mod + ext), d)
    t0 = time.monotonic()
    p = subprocess.run(["make", "-f", DEVEL_MK, mod + ".pp"], cwd=d, capture_output=True, text=True)
    ms = (time.monotonic() - t0) * 1000
    pp = os.path.join(d, mod + ".pp")
    if p.returncode != 0 or not os.path.exists(pp):
        return None, [f"make {mod}.pp failed: {(p.stdout + p.stderr).strip()[-600:]}"], ms
    return pp, [], ms


def main():
    if os.path.exists(WORK):
        shutil.rmtree(WORK)
    os.makedirs(WORK)
    have_mk = os.path.exists(DEVEL_MK) and shutil.which("checkmodule") and shutil.which("make")
    have_store = os.path.isdir(STORE) and shutil.which("semodule") and shutil.which("sesearch")
    if not have_mk:
        print("# selinux-policy-dev/checkpolicy not installed: modules are not compiled")
    if not have_store:
        print("# selinux-policy-default/semodule/setools not installed: no policy is built, no sesearch")
    results, fails, n = [], 0, 0
    modules = []
    gen_times, cc_times = [], []
    for name, xml, build, expect, args, compile_it in C:
        n += 1
        errs, made, gen_ms = check_case(name, xml, build, expect, args)
        gen_times.append(gen_ms)
        if made and have_mk and compile_it:
            pp, e2, ms = compile_module(made[0], made[1])
            cc_times.append(ms)
            errs += e2
            if pp:
                modules.append((made[0], pp, made[2]))
        print(("ok" if not errs else "not ok") + f" {n} - {name}")
        for e in errs:
            print(f"#   {e}")
        fails += bool(errs)
    if gen_times:
        print(f"# kvmaudit profile selinux: {sum(gen_times) / len(gen_times):.1f} ms a VM (process included)")
    if cc_times:
        print(f"# make NAME.pp: {sum(cc_times) / len(cc_times):.0f} ms a module")

    if have_store and modules:
        # one policy with every module linked in
        root = os.path.join(WORK, "policyroot")
        os.makedirs(root + "/var/lib/selinux")
        shutil.copytree(STORE, root + "/var/lib/selinux/default", symlinks=True)
        shutil.copytree("/etc/selinux", root + "/etc/selinux", symlinks=True)
        cmd = ["semodule", "-p", root, "-s", "default", "-n"]
        for _, pp, _ in modules:
            cmd += ["-i", pp]
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True)
        print(f"# semodule: {len(modules)} modules linked into the default policy in "
              f"{time.monotonic() - t0:.1f} s")
        n += 1
        policy = root + "/etc/selinux/default/policy/policy.33"
        pols = [os.path.join(root, "etc/selinux/default/policy", f)
                for f in os.listdir(os.path.join(root, "etc/selinux/default/policy"))]
        policy = max(pols, key=os.path.getmtime) if pols else policy
        ok = p.returncode == 0 and os.path.exists(policy)
        print(("ok" if ok else "not ok") + f" {n} - policy with all modules builds")
        if not ok:
            print(f"#   {(p.stdout + p.stderr).strip()[-800:]}")
            fails += 1
        else:
            all_types = {}  # the types of each module's .fc
            for mod, _, files in modules:
                all_types[mod] = sorted(set(re.findall(r"object_r:(\w+_t),", files[mod + ".fc"])))
            fc_text = open(root + "/etc/selinux/default/contexts/files/file_contexts").read()
            # sesearch's own interpreter has setools: the policy is loaded once
            with open(shutil.which("sesearch")) as fh:
                interp = fh.readline()[2:].strip()
            doms = [m + "_t" for m, _, _ in modules] + ["svirt_t"]
            q = subprocess.run([interp, os.path.join(SRC, "tests/profile-selinux/reach.py"), policy] + doms,
                               capture_output=True, text=True)
            sq = subprocess.run(["seinfo", policy, "-a", "mcs_constrained_type", "-x"],
                                capture_output=True, text=True)
            mcs_constrained = set(re.findall(r"^\s+(\w+_t)\s*$", sq.stdout, re.M))
            if sq.returncode != 0 or not mcs_constrained:
                print(f"#   seinfo listed no mcs_constrained_type: {sq.stderr.strip()[-300:]}")
            reach = {}
            for line in q.stdout.splitlines():
                d, what, *rest = line.split(" ")
                reach[(d, what)] = set(rest)
            for mod, _, files in modules:
                n += 1
                errs = []
                dom = mod + "_t"
                if (dom, "read") not in reach:
                    errs.append(f"no answer from reach.py: {q.stderr.strip()[-300:]}")
                rd, wr = reach.get((dom, "read"), set()), reach.get((dom, "write"), set())
                for t in all_types[mod]:
                    if t not in rd:
                        errs.append(f"{dom} cannot read {t}")
                    if t.endswith("_content_t") and t in wr:
                        errs.append(f"{dom} can write its read-only {t}")
                    if t not in fc_text:
                        errs.append(f"{t} missing from the policy's file_contexts")
                # the VM's files of every other VM: their image and content
                # types (declared or not used), and svirt's
                others = {f"{m}_{k}_t" for m in all_types if m != mod for k in ("image", "content")}
                # svirt_image_t only for an emulated TPM (libvirt labels
                # swtpm's state and log with it at the VM's categories), and
                # only for a domain the MCS constraints hold to them
                swtpm = f"manage_files_pattern({dom}, svirt_image_t, svirt_image_t)" in files[mod + ".te"]
                if not (swtpm and dom in mcs_constrained):
                    others.add("svirt_image_t")
                elif "svirt_image_t" not in rd:
                    errs.append(f"{dom} has an emulated TPM but cannot read svirt_image_t (swtpm's state)")
                for t in sorted(others & (rd | wr)):
                    errs.append(f"{dom} reaches {t}")
                print(("ok" if not errs else "not ok") + f" {n} - sesearch {mod}")
                for e in errs:
                    print(f"#   {e}")
                fails += bool(errs)
            for d in ("svirt_t", modules[0][0] + "_t"):
                print(f"# sesearch -A -s {d}: {' '.join(reach.get((d, 'rules'), {'?'}))} rules, "
                      f"{' '.join(reach.get((d, 'own'), {'?'}))} of them on {d} itself (-ds)")

    # output directory: all or none
    n += 1
    blocker = os.path.join(WORK, "not-a-dir")
    open(blocker, "w").close()
    p = subprocess.run([KVMAUDIT, "profile", "selinux", "--xml", os.path.join(VI, "linux1.xml"), "--root",
                        os.path.join(WORK, "roots", "name-300"), "--output-dir", blocker], capture_output=True,
                       text=True)
    ok = p.returncode != 0 and open(blocker).read() == "" and "nothing written" in p.stderr
    print(("ok" if ok else "not ok") + f" {n} - --output-dir on a file: refused, nothing written")
    fails += not ok
    n += 1
    p = subprocess.run([KVMAUDIT, "profile", "selinux", "--xml", os.path.join(VI, "linux1.xml"), "-o", "x"],
                       capture_output=True, text=True)
    ok = p.returncode == 2 and "--output-dir" in p.stderr
    print(("ok" if ok else "not ok") + f" {n} - -o is refused for selinux")
    fails += not ok

    print(f"1..{n}")
    print(f"{n - fails} passed, {fails} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
