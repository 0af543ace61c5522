#!/usr/bin/env python3
"""Device nodes, FIFOs, sockets and symlinks to devices wherever kvmaudit
reads a file (issue 11, item 9).

The safe behaviour: a path that is not a regular file or a directory is
never open()ed (only an O_PATH descriptor, which opens nothing, to learn its
type), and the run still ends normally with that input reported.  strace
shows every open: a row fails when its planted path is opened without
O_PATH, or when an O_PATH descriptor of it is reopened through
/proc/self/fd.

Rows:
  - every regular file that "collect --root" reads from a fixture host tree
    (found by a first, clean run under strace), planted as each KIND in turn;
  - <disk> sources of "profile apparmor" and "profile selinux" (the
    generators read image headers: /dev/ptmx was opened);
  - files the user names: --xml, --facts, --waivers, report FILE, diff A B
    (a FIFO is allowed there: "--facts /dev/stdin" from a pipe).
Device nodes are made with the numbers of /dev/null (1:3) and of loop0
(7:0), so an open on a broken build has no side effect beyond the row
failing.

Usage: devices.py KVMAUDIT SOURCE_ROOT WORK_DIR   (root and strace needed; 77 = skip)"""
import os
import re
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import io_run  # noqa: E402

SCENARIOS = ["libvirt-secure", "mac-apparmor"]
KINDS = ["chr", "blk", "fifo", "sock", "symlink-chr"]
DEVICE_LINK_TARGET = "/dev/hostile-kmsg"  # inside the root: a chr 1:3 node
TIME_MAX = 30.0

LINE = re.compile(r'^(\d+)\s+(open|openat|openat2)\((?:(AT_FDCWD|-?\d+), )?"((?:[^"\\]|\\.)*)", (.*)\) = (-?\d+)')


def make(path, kind):
    if os.path.lexists(path):
        os.unlink(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if kind == "chr":
        os.mknod(path, 0o644 | 0o020000, os.makedev(1, 3))
    elif kind == "blk":
        os.mknod(path, 0o644 | 0o060000, os.makedev(7, 0))
    elif kind == "fifo":
        os.mkfifo(path, 0o644)
    elif kind == "sock":
        cwd = os.getcwd()
        os.chdir(os.path.dirname(path))  # sun_path holds 108 bytes
        try:
            s = socket.socket(socket.AF_UNIX)
            s.bind(os.path.basename(path))
            s.close()
        finally:
            os.chdir(cwd)
    elif kind == "symlink-chr":
        os.symlink(DEVICE_LINK_TARGET, path)
    else:
        raise ValueError(kind)


def strace(argv, log, cwd=None):
    env = None
    if io_run.sanitized(argv[0]):  # LeakSanitizer cannot run under ptrace
        env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    return io_run.run(["strace", "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", log] + argv,
                      timeout=120, cwd=cwd, limit_as=False, env=env)


def opens(log, root):
    """(path, o_path) of every open attempt, paths made relative to @root
    (absolute ones under it too); reopens through /proc/self/fd/N resolved
    to the O_PATH open that gave N, with o_path False."""
    events, fds = [], {}
    root = root.rstrip("/") + "/"
    with open(log, errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            pid, call, dirfd, path, args, rc = m.groups()
            rc = int(rc)
            o_path = "O_PATH" in args
            reopen = re.match(r"^/proc/self/fd/(\d+)$", path)
            if reopen:
                target = fds.get((pid, int(reopen.group(1))))
                if target is not None:
                    events.append((target, False))
                continue
            if path.startswith(root):
                path = path[len(root):]
            elif path.startswith("/") and (dirfd in (None, "AT_FDCWD")):
                path = path  # outside the root: kept absolute
            path = path.lstrip("/") if not path.startswith("/") else path
            events.append((path, o_path))
            if rc >= 0 and o_path:
                fds[(pid, rc)] = path
    return events


def files_read(events):
    """Paths actually opened for reading (not just O_PATH)."""
    return sorted({p for p, o in events if not o})


def violations(events, planted):
    bad = {}
    for p, o in events:
        if not o and (p in planted or p == DEVICE_LINK_TARGET.lstrip("/")):
            bad[p] = bad.get(p, 0) + 1
    return bad


def build_tree(src, scenario, dest):
    r = subprocess.run([sys.executable, os.path.join(src, "tests", "mkfixture.py"),
                        os.path.join(src, "tests", "fixtures", "hosts", scenario), dest],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("mkfixture %s: %s" % (scenario, r.stderr.strip()))


def collect_rows(kvmaudit, src, work, failures):
    total = 0
    for scenario in SCENARIOS:
        tree = os.path.join(work, scenario)
        build_tree(src, scenario, tree)
        log = os.path.join(work, "clean.strace")
        r = strace([kvmaudit, "collect", "--root", tree, "-o", os.path.join(work, "clean.json")], log)
        if r.rc != 0:
            failures.append("%s: clean collect failed: %r %s" % (scenario, r, r.err[:300]))
            continue
        targets = [p for p in files_read(opens(log, tree))
                   if not p.startswith("/") and os.path.isfile(os.path.join(tree, p))
                   and not os.path.islink(os.path.join(tree, p))]
        if len(targets) < 20:
            failures.append("%s: only %d files read in the clean run: strace parse?" % (scenario, len(targets)))
        for kind in KINDS:
            build_tree(src, scenario, tree)
            make(os.path.join(tree, DEVICE_LINK_TARGET.lstrip("/")), "chr")
            for p in targets:
                make(os.path.join(tree, p), kind)
            out = os.path.join(work, "collect.json")
            r = strace([kvmaudit, "collect", "--root", tree, "-o", out], log)
            run_bad = []
            if r.timed_out or r.seconds > TIME_MAX:
                run_bad.append("took %.1f s" % r.seconds)
            if r.rc != 0:
                run_bad.append("exit %d: %s" % (r.rc, r.err.strip()[:300]))
            bad = violations(opens(log, tree), set(targets))
            for p in targets:
                total += 1
                problems = list(run_bad)
                if p in bad:
                    problems.append("opened %d time(s) without O_PATH" % bad[p])
                label = "collect/%s/%s as %s" % (scenario, p, kind)
                if problems:
                    failures.append("%s: %s" % (label, "; ".join(problems)))
            print("%s collect/%s as %s: %d paths, %d opened, %r" % (
                "ok" if not bad and not run_bad else "not ok", scenario, kind, len(targets), len(bad), r))
    return total


DISKS = [  # (path in the tree, kind)
    ("dev/ptmx", "chr"),
    ("dev/hostile-watchdog", "chr"),  # never a real watchdog name: a build
    # that escaped --root would arm it
    ("dev/loop0", "blk"),
    ("img/fifo.qcow2", "fifo"),
    ("img/sock.img", "sock"),
    ("img/link.qcow2", "symlink-chr"),
]


# What "profile" must answer for each disk, one domain per disk: a
# character device (or a link to one) given as an image file is refused
# (exit 2, "device node"); a block device is granted; a FIFO or a socket
# as an image file gets its rule (QEMU opens it; nothing to read here).
# Whatever the answer, nothing is opened without O_PATH.
DISK_EXPECT = {"chr": 2, "symlink-chr": 2, "blk": 0, "fifo": 0, "sock": 0}


def profile_rows(kvmaudit, work, failures):
    total = 0
    tree = io_run.fresh_dir(os.path.join(work, "profile-tree"))
    make(os.path.join(tree, DEVICE_LINK_TARGET.lstrip("/")), "chr")
    for p, kind in DISKS:
        make(os.path.join(tree, p), kind)
    log = os.path.join(work, "profile.strace")
    for i, (p, kind) in enumerate(DISKS):
        disk = ("<disk type='%s' device='disk'><driver name='qemu' type='qcow2'/><source %s='/%s'/>"
                "<target dev='vda'/></disk>" % ("block" if kind == "blk" else "file",
                                                "dev" if kind == "blk" else "file", p))
        xml = os.path.join(work, "vm%d.xml" % i)
        io_run.write(xml, "<domain type='kvm'><name>vm1</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
                          "<memory>1024</memory><os><type>hvm</type></os><devices>%s</devices></domain>\n" % disk)
        for gen, extra in (("apparmor", ["-o", os.path.join(work, "profile.out")]),
                           ("selinux", ["--output-dir", os.path.join(work, "selinux.out")])):
            if os.path.isdir(os.path.join(work, "selinux.out")):
                shutil.rmtree(os.path.join(work, "selinux.out"))
            r = strace([kvmaudit, "profile", gen, "--xml", xml, "--root", tree] + extra, log)
            bad = violations(opens(log, tree), {p})
            total += 1
            problems = []
            if r.rc != DISK_EXPECT[kind]:
                problems.append("exit %d, want %d: %s" % (r.rc, DISK_EXPECT[kind], r.err.strip()[:300]))
            if DISK_EXPECT[kind] == 2 and "device node" not in r.err:
                problems.append("the refusal does not say it is a device node: %s" % r.err.strip()[:200])
            if p in bad:
                problems.append("opened %d time(s) without O_PATH" % bad[p])
            if kind == "symlink-chr" and DEVICE_LINK_TARGET.lstrip("/") in bad:
                problems.append("the device behind the link was opened")
            label = "profile %s/disk %s (%s)" % (gen, p, kind)
            print("%s %s: %r" % ("ok" if not problems else "not ok", label, r))
            if problems:
                failures.append("%s: %s" % (label, "; ".join(problems)))
    return total


def input_rows(kvmaudit, work, failures):
    """Files named on the command line: read_input_file() (src/basic/fileio.c)."""
    total = 0
    d = io_run.fresh_dir(os.path.join(work, "inputs"))
    make(os.path.join(d, DEVICE_LINK_TARGET.lstrip("/")), "chr")
    commands = {
        "profile --xml": lambda p: [kvmaudit, "profile", "apparmor", "--xml", p],
        "scan --facts": lambda p: [kvmaudit, "scan", "--facts", p],
        "scan --waivers": lambda p: [kvmaudit, "scan", "--facts", p, "--waivers", p],
        "report FILE": lambda p: [kvmaudit, "report", p],
        "diff OLD NEW": lambda p: [kvmaudit, "diff", p, p],
    }
    for name, argv in commands.items():
        for kind in ["chr", "blk", "sock"]:
            p = os.path.join(d, "input-" + kind)
            make(p if kind != "symlink-chr" else p, kind)
            log = os.path.join(work, "input.strace")
            r = strace(argv(p), log)
            total += 1
            problems = []
            if r.rc != 2:
                problems.append("exit %d, want 2 (input error)" % r.rc)
            if any(not o and path == p for path, o in opens(log, "/nonexistent")):
                problems.append("opened without O_PATH")
            if r.timed_out:
                problems.append("hung")
            label = "%s %s" % (name, kind)
            print("%s %s: %r" % ("ok" if not problems else "not ok", label, r))
            if problems:
                failures.append("%s: %s" % (label, "; ".join(problems)))
    return total


def main():
    kvmaudit, src, work = sys.argv[1:4]
    kvmaudit, src = os.path.abspath(kvmaudit), os.path.abspath(src)
    if os.geteuid() != 0 or not shutil.which("strace"):
        print("hostile devices: skipped (needs root for mknod and strace to see the opens)")
        return 77
    work = io_run.fresh_dir(os.path.abspath(work))
    failures = []
    total = collect_rows(kvmaudit, src, work, failures)
    total += profile_rows(kvmaudit, work, failures)
    total += input_rows(kvmaudit, work, failures)
    return io_run.report("devices", failures, total)


if __name__ == "__main__":
    sys.exit(main())
