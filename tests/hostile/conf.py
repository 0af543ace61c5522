#!/usr/bin/env python3
"""Hostile input: libvirt configuration files (qemu.conf, libvirtd.conf,
virtqemud.conf, virtproxyd.conf, and libvirt's /etc/sasl2/libvirt.conf) with
repeated settings and syntax libvirt refuses.  libvirt uses the FIRST assignment of a repeated name
(virConfGetValue() in src/util/virconf.c walks the entry list from its head,
libvirt 9.0), so a safe value written after an unsafe one must not pass, an
unsafe one after a safe one must not fail, and the evidence names both places.

When libvirt0 is installed, a second table compares what kvmaudit records
for qemu.conf:user with what libvirt itself reads from the same text
(virConfReadString + virConfGetValue through ctypes).

Usage: conf.py KVMAUDIT SOURCE_ROOT
Prints "hostile conf: N cases, N failed"; exits 1 on any failure."""
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile

Q, D, QD, PD = "qemu.conf", "libvirtd.conf", "virtqemud.conf", "virtproxyd.conf"

# Files the daemon checks need besides the .conf: a daemon binary (so its
# defaults apply), and LIBVIRTD_ARGS with --listen for libvirtd's listeners.
LIBVIRTD = {"usr/sbin/libvirtd": "", "etc/default/libvirtd": 'LIBVIRTD_ARGS="--listen"\n'}
VIRTPROXYD = {"usr/sbin/virtproxyd": ""}
VIRTQEMUD = {"usr/sbin/virtqemud": ""}


def rep(conf, *lines):
    """The note the evidence must carry: every place of the setting."""
    return ["/etc/libvirt/%s:%d" % (conf, n) for n in lines]


# (name, check, {conf file: text}, extra files, subject, status, evidence must contain)
CASES = [
    # qemu.conf: unsafe first (libvirt's value) must fail, whatever follows
    ("qemu user root then libvirt-qemu", "qemu.user-not-root",
     {Q: 'user = "root"\nuser = "libvirt-qemu"\ngroup = "kvm"\n'}, {}, "host", "fail",
     ["user = root"] + rep(Q, 1, 2)),
    ("qemu user +0 then qemu", "qemu.user-not-root",
     {Q: 'group = "kvm"\nuser = "+0"\n# later\nuser = "qemu"\n'}, {}, "host", "fail", rep(Q, 2, 4)),
    ("qemu group root then kvm", "qemu.user-not-root",
     {Q: 'user = "libvirt-qemu"\ngroup = "root"\ngroup = "kvm"\n'}, {}, "host", "fail", rep(Q, 2, 3)),
    ("qemu user three times", "qemu.user-not-root",
     {Q: 'user = "root"\nuser = "a"\nuser = "b"\ngroup = "kvm"\n'}, {}, "host", "fail", rep(Q, 1, 2, 3)),
    # safe first: libvirt uses it, the later unsafe line is ignored (reported, not judged)
    ("qemu user libvirt-qemu then root", "qemu.user-not-root",
     {Q: 'user = "libvirt-qemu"\nuser = "root"\ngroup = "kvm"\n'}, {}, "host", "pass", rep(Q, 1, 2)),
    ("qemu dynamic_ownership 0 then 1", "qemu.dynamic-ownership",
     {Q: 'dynamic_ownership = 0\ndynamic_ownership = 1\n'}, {}, "host", "fail", rep(Q, 1, 2)),
    ("qemu clear_emulator_capabilities 0 then 1", "qemu.clear-emulator-capabilities",
     {Q: 'clear_emulator_capabilities = 0\nclear_emulator_capabilities = 1\n'}, {}, "host", "fail",
     rep(Q, 1, 2)),
    ("qemu dump_guest_core 1 then 0", "qemu.dump-guest-core-off",
     {Q: 'dump_guest_core = 1\ndump_guest_core = 0\n'}, {}, "host", "fail", rep(Q, 1, 2)),
    ("qemu namespaces [] then [mount]", "qemu.mount-namespace",
     {Q: 'namespaces = []\nnamespaces = [ "mount" ]\n'}, {}, "host", "fail", rep(Q, 1, 2)),
    ("qemu repeat on one line with ;", "qemu.user-not-root",
     {Q: 'group = "kvm"\nuser = "root"; user = "qemu"\n'}, {}, "host", "fail", rep(Q, 2, 2)),
    # libvirtd.conf
    ("libvirtd auth_tcp none then sasl", "libvirtd.tcp-auth-not-none",
     {D: 'listen_tcp = 1\nauth_tcp = "none"\nauth_tcp = "sasl"\n'}, LIBVIRTD, "/etc/libvirt/libvirtd.conf",
     "fail", ["auth_tcp = none"] + rep(D, 2, 3)),
    ("libvirtd auth_tcp sasl then none", "libvirtd.tcp-auth-not-none",
     {D: 'listen_tcp = 1\nauth_tcp = "sasl"\nauth_tcp = "none"\n'}, LIBVIRTD, "/etc/libvirt/libvirtd.conf",
     "pass", rep(D, 2, 3)),
    ("libvirtd listen_tcp 1 then 0", "libvirtd.tcp-listener-off",
     {D: 'listen_tcp = 1\nlisten_tcp = 0\n'}, LIBVIRTD, "/etc/libvirt/libvirtd.conf", "fail", rep(D, 1, 2)),
    ("libvirtd unix_sock_rw_perms 0777 then 0770", "libvirtd.unix-rw-socket-restricted",
     {D: 'auth_unix_rw = "none"\nunix_sock_rw_perms = "0777"\nunix_sock_rw_perms = "0770"\n'}, LIBVIRTD,
     "/etc/libvirt/libvirtd.conf", "fail", rep(D, 2, 3)),
    ("libvirtd auth_unix_rw none then polkit", "libvirtd.unix-rw-socket-restricted",
     {D: 'auth_unix_rw = "none"\nauth_unix_rw = "polkit"\nunix_sock_rw_perms = "0777"\n'}, LIBVIRTD,
     "/etc/libvirt/libvirtd.conf", "fail", rep(D, 1, 2)),
    # virtproxyd.conf
    ("virtproxyd auth_tcp none then sasl", "libvirtd.tcp-auth-not-none",
     {PD: 'listen_tcp = 1\nauth_tcp = "none"\nauth_tcp = "sasl"\n'}, VIRTPROXYD,
     "/etc/libvirt/virtproxyd.conf", "fail", rep(PD, 2, 3)),
    ("virtproxyd admin perms 0777 then 0700", "libvirtd.admin-socket-restricted",
     {PD: 'unix_sock_admin_perms = "0777"\nunix_sock_admin_perms = "0700"\n'}, VIRTPROXYD,
     "/etc/libvirt/virtproxyd.conf", "fail", rep(PD, 1, 2)),
    # virtqemud.conf
    ("virtqemud auth_unix_rw none then polkit", "libvirtd.unix-rw-socket-restricted",
     {QD: 'auth_unix_rw = "none"\nauth_unix_rw = "polkit"\nunix_sock_rw_perms = "0777"\n'}, VIRTQEMUD,
     "/etc/libvirt/virtqemud.conf", "fail", rep(QD, 1, 2)),
    ("virtqemud admin perms 0777 then 0700", "libvirtd.admin-socket-restricted",
     {QD: 'unix_sock_admin_perms = "0777"\nunix_sock_admin_perms = "0700"\n'}, VIRTQEMUD,
     "/etc/libvirt/virtqemud.conf", "fail", rep(QD, 1, 2)),
    # /etc/sasl2/libvirt.conf: libsasl2 lower-cases keys and its
    # sasl_config_getstring() returns the first entry of a repeated key
    ("sasl mech_list plain then gssapi", "libvirtd.sasl-mech-strong",
     {D: 'listen_tcp = 1\nauth_tcp = "sasl"\n'},
     dict(LIBVIRTD, **{"etc/sasl2/libvirt.conf": "mech_list: plain\nmech_list: gssapi\n"}),
     "/etc/libvirt/libvirtd.conf", "fail", ["/etc/sasl2/libvirt.conf:1", "/etc/sasl2/libvirt.conf:2"]),
    ("sasl MECH_LIST in capitals", "libvirtd.sasl-mech-strong",
     {D: 'listen_tcp = 1\nauth_tcp = "sasl"\n'},
     dict(LIBVIRTD, **{"etc/sasl2/libvirt.conf": "MECH_LIST: plain\n"}),
     "/etc/libvirt/libvirtd.conf", "fail", ["plain"]),
    # syntax libvirt refuses (the daemon would not start): error with file:line, never a verdict
    ("qemu comment inside a list", "qemu.user-not-root",
     {Q: 'user = "root"\ncgroup_device_acl = [ "/dev/null", # c\n "/dev/kvm" ]\n'}, {}, "host", "error",
     ["/etc/libvirt/qemu.conf:2: expecting a value"]),
    ("qemu name starting with _", "qemu.user-not-root",
     {Q: 'user = "qemu"\n_user = "root"\n'}, {}, "host", "error", ["/etc/libvirt/qemu.conf:2: expecting a name"]),
    ("qemu name with a dot", "qemu.user-not-root",
     {Q: 'user.x = "root"\n'}, {}, "host", "error", ["/etc/libvirt/qemu.conf:1: expecting an assignment"]),
    ("qemu CR inside a string", "qemu.user-not-root",
     {Q: 'group = "kvm"\nuser = "qe\rmu"\n'}, {}, "host", "error", ["/etc/libvirt/qemu.conf:2: unterminated string"]),
    ("qemu empty statement ;;", "qemu.user-not-root",
     {Q: 'user = "qemu";;\n'}, {}, "host", "error", ["/etc/libvirt/qemu.conf:1: expecting a name"]),
    ("qemu nested list for a list setting", "qemu.mount-namespace",
     {Q: 'namespaces = [ [ "mount" ] ]\n'}, {}, "host", "error", ["list inside a list"]),
    ("libvirtd integer beyond 64 bits", "libvirtd.tcp-listener-off",
     {D: 'listen_tcp = 18446744073709551617\n'}, LIBVIRTD, "/etc/libvirt/libvirtd.conf", "error",
     ["integer out of range"]),
]

# qemu.conf texts whose "user" kvmaudit and libvirt must read alike.
DIFFERENTIAL = [
    'user = "root"\nuser = "qemu"\n',
    'user = "qemu"\nuser = "root"\n',
    'user = "root"; user = "qemu"\n',
    "user = 'root'\n# user = \"qemu\"\nuser = \"qemu\"\n",
    'user = """root"""\nuser = "qemu"\n',
    'User = "root"\nuser = "qemu"\n',
    'user = "root" # c\r\nuser = "qemu"\r\n',
    'x = [ "a",\n "b" ]\nuser = "+0"\nuser = "qemu"\n',
    'x = [ "a", # c\n "b" ]\nuser = "qemu"\n',
    'user = "qemu";;\n',
    '_user = "root"\nuser = "qemu"\n',
    'user.x = "root"\n',
    'user = "ro\rot"\n',
    '\n',
    'x = [ [ "a" ] ]\nuser = "root"\n',
    'user = "a" user = "b"\n',
    'user = """"""',
    'user = """x"""\n',
    '# only a comment',
    '',
]


def libvirt_reader():
    """A function text -> ("value", str) | ("error",) | ("absent",) backed by
    libvirt0's own parser, or None when libvirt0 cannot be loaded."""
    try:
        lv = ctypes.CDLL("libvirt.so.0")
    except OSError:
        return None

    class Value(ctypes.Structure):
        pass
    # struct _virConfValue of libvirt 9.0 (src/util/virconf.h)
    Value._fields_ = [("type", ctypes.c_int), ("next", ctypes.POINTER(Value)), ("l", ctypes.c_longlong),
                      ("str", ctypes.c_char_p), ("list", ctypes.POINTER(Value))]
    try:
        lv.virConfReadString.restype = ctypes.c_void_p
        lv.virConfReadString.argtypes = [ctypes.c_char_p, ctypes.c_uint]
        lv.virConfGetValue.restype = ctypes.POINTER(Value)
        lv.virConfGetValue.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lv.virConfFree.argtypes = [ctypes.c_void_p]
    except AttributeError:
        return None  # private symbols not exported by this build
    lv.virInitialize()
    quiet = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(lambda a, b: None)
    lv.virSetErrorFunc(None, quiet)

    def read(text, key):
        conf = lv.virConfReadString(text.encode(), 0)
        if not conf:
            return ("error",)
        v = lv.virConfGetValue(conf, key.encode())
        out = ("absent",)
        if v:
            t = v.contents.type
            out = ("value", v.contents.str.decode()) if t == 3 else ("value", str(v.contents.l)) if t in (1, 2) \
                else ("list",)
        lv.virConfFree(conf)
        return out
    read.keepalive = quiet
    return read


def make_tree(base, confs, extra):
    root = tempfile.mkdtemp(dir=base)
    os.makedirs(os.path.join(root, "etc/libvirt"))
    for name, text in confs.items():
        with open(os.path.join(root, "etc/libvirt", name), "w", newline="") as f:
            f.write(text)
    for path, text in extra.items():
        p = os.path.join(root, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    return root


def scan(kvmaudit, root, check):
    p = subprocess.run([kvmaudit, "scan", "--root", root, "--only", check, "--format", "json", "--reproducible"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr.strip())
    return json.loads(p.stdout)["results"], None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    kvmaudit = os.path.abspath(sys.argv[1])
    base = tempfile.mkdtemp(prefix="hostile-conf.")
    failed = total = 0
    try:
        for name, check, confs, extra, subject, status, needles in CASES:
            total += 1
            root = make_tree(base, confs, extra)
            results, err = scan(kvmaudit, root, check)
            why = err
            if not why:
                mine = [r for r in results if r["id"] == check and r["subject"] == subject]
                if len(mine) != 1:
                    why = "expected one result for %s, got %s" % (subject, [(r["subject"], r["status"]) for r in results])
                else:
                    r = mine[0]
                    missing = [n for n in needles if n not in r["observed"]]
                    if r["status"] != status:
                        why = "status %s, expected %s (%s)" % (r["status"], status, r["observed"])
                    elif missing:
                        why = "evidence lacks %s: %s" % (missing, r["observed"])
            if why:
                failed += 1
                print("FAIL %s: %s" % (name, why))

        read = libvirt_reader()
        if read is None:
            print("note: libvirt0 not loadable: the differential table is skipped")
        for i, text in enumerate(DIFFERENTIAL if read else []):
            total += 1
            want = read(text, "user")
            root = make_tree(base, {Q: text}, {})
            p = subprocess.run([kvmaudit, "collect", "--root", root], capture_output=True, text=True, timeout=120)
            facts = json.loads(p.stdout)["facts"] if p.returncode == 0 else {}
            v = facts.get("qemu.conf:user", "missing")
            got = ("value", v) if isinstance(v, str) else ("absent",) if v is None else \
                ("error",) if isinstance(v, dict) and "error" in v else ("other", v)
            if p.returncode != 0 or got != want:
                failed += 1
                print("FAIL differential %d %r: kvmaudit %s, libvirt %s" % (i, text, got, want))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print("hostile conf: %d cases, %d failed" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
