#!/usr/bin/env python3
"""Every command that writes a file, against every kind of target
(issue 11, item 10).

One rule (src/basic/fileio.h): nothing or a regular file -> replaced
atomically (a new inode renamed over it; its mode kept); a character
device, a FIFO or a socket someone listens on -> written through, never
replaced (issue 17); a socket nobody listens on, a block device, a
directory -> refused; a symlink -> the rule applies
to its target and the link stays; a dangling symlink -> refused, nothing
created.  No temporary file is ever left behind.  profile selinux writes
four files all or none, so there a non-regular entry is refused and
nothing is written.

Usage: outputs.py KVMAUDIT SOURCE_ROOT WORK_DIR   (root needed for mknod; 77 = skip)"""
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import io_run  # noqa: E402

VM = ("<domain type='kvm'><name>vm1</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
      "<memory>1024</memory><os><type>hvm</type></os></domain>\n")
OLD = "old content\n"


def writers(kvmaudit, work):
    """name -> (argv builder for target T, check of the written text)."""
    tree, xml, saved = os.path.join(work, "tree"), os.path.join(work, "vm.xml"), os.path.join(work, "saved.json")

    def is_json(t):
        try:
            return isinstance(json.loads(t), dict)
        except ValueError:
            return False
    return {
        "profile apparmor -o": (lambda t: [kvmaudit, "profile", "apparmor", "--xml", xml, "--root", tree, "-o", t],
                                lambda t: "profile libvirt-11111111" in t),
        "scan -o": (lambda t: [kvmaudit, "scan", "--root", tree, "--reproducible", "-f", "json", "-o", t],
                    is_json),
        "collect -o": (lambda t: [kvmaudit, "collect", "--root", tree, "-o", t], is_json),
        "report -o": (lambda t: [kvmaudit, "report", saved, "-f", "json", "-o", t], is_json),
        "diff -o": (lambda t: [kvmaudit, "diff", saved, saved, "-f", "json", "-o", t], is_json),
    }


def mknod(path, kind, dev):
    os.mknod(path, 0o666 | kind, dev)


def bind(path):
    cwd = os.getcwd()
    os.chdir(os.path.dirname(path))
    try:
        s = socket.socket(socket.AF_UNIX)
        s.bind(os.path.basename(path))
        s.close()
    finally:
        os.chdir(cwd)


def ident(path):
    st = os.lstat(path)
    return (stat.S_IFMT(st.st_mode), st.st_ino, st.st_rdev)


# Each target: setup(dir) -> (path passed to -o, state), then verify(rc, text
# read, state, dir) -> list of problems.  "ok" is the exit codes of success.
def target_absent(d):
    return os.path.join(d, "out"), None


def verify_absent(r, out, d, good):
    p = os.path.join(d, "out")
    problems = []
    if not os.path.isfile(p) or os.path.islink(p):
        return ["no regular file created"]
    if not good(open(p).read()):
        problems.append("wrong content")
    return problems


def target_regular(d):
    p = os.path.join(d, "out")
    io_run.write(p, OLD, 0o600)
    return p, ident(p)


def verify_regular(r, out, d, good, before):
    p = os.path.join(d, "out")
    problems = []
    st = os.lstat(p)
    if not stat.S_ISREG(st.st_mode):
        return ["not a regular file any more"]
    if st.st_ino == before[1]:
        problems.append("written in place (same inode), not replaced atomically")
    if stat.S_IMODE(st.st_mode) != 0o600:
        problems.append("mode %o, not the old file's 0600" % stat.S_IMODE(st.st_mode))
    if not good(open(p).read()):
        problems.append("wrong content")
    return problems


def refused(msg):
    def verify(r, out, d, good, before, path):
        problems = []
        if r.rc in (0, 1):
            problems.append("exit %d: not refused" % r.rc)
        if msg not in r.err:
            problems.append("no message %r (stderr: %s)" % (msg, r.err.strip()[:200]))
        if ident(path) != before:
            problems.append("the target was replaced or changed")
        return problems
    return verify


def run_case(writer, argv_of, good, kind, d, ok_rc):
    """Returns a list of problems for @writer writing to a target of @kind in @d."""
    problems = []
    if kind == "absent":
        path, before = target_absent(d)
        r = io_run.run(argv_of(path))
        problems += [] if r.rc in ok_rc else ["exit %d: %s" % (r.rc, r.err.strip()[:200])]
        problems += verify_absent(r, None, d, good)
    elif kind == "regular":
        path, before = target_regular(d)
        r = io_run.run(argv_of(path))
        problems += [] if r.rc in ok_rc else ["exit %d: %s" % (r.rc, r.err.strip()[:200])]
        problems += verify_regular(r, None, d, good, before)
    elif kind in ("chr", "symlink-to-chr"):
        # Our own 1:3 node, never the real /dev/null: a broken build
        # replaces what it is given (it did replace /dev/null).
        dev = os.path.join(d, "null")
        mknod(dev, stat.S_IFCHR, os.makedev(1, 3))
        path = dev
        if kind == "symlink-to-chr":
            path = os.path.join(d, "link")
            os.symlink("null", path)
        watched = [path] + ([os.path.join(d, "null")] if kind == "symlink-to-chr" else [])
        before = [ident(p) for p in watched]
        r = io_run.run(argv_of(path))
        problems += [] if r.rc in ok_rc else ["exit %d: %s" % (r.rc, r.err.strip()[:200])]
        if [ident(p) for p in watched] != before:
            problems.append("the device (or the link to it) was replaced")
    elif kind == "fifo":
        path = os.path.join(d, "fifo")
        os.mkfifo(path)
        got = []
        # daemon: a build that replaces the FIFO leaves the reader blocked
        reader = threading.Thread(target=lambda: got.append(open(path).read()), daemon=True)
        reader.start()
        r = io_run.run(argv_of(path), timeout=30)
        if r.timed_out:
            open(path, "w").close()  # release the reader
        reader.join(10)
        problems += [] if r.rc in ok_rc else ["exit %d: %s" % (r.rc, r.err.strip()[:200])]
        if not stat.S_ISFIFO(os.lstat(path).st_mode):
            problems.append("the FIFO was replaced")
        if not got or not good(got[0]):
            problems.append("the reader did not get the output")
    elif kind == "stdout link (pipe)":
        # What /dev/stdout is, a link to /proc/self/fd/1, made in our own
        # directory: a broken build replaces the link it is given, and it
        # must not be the machine's /dev/stdout.
        path = os.path.join(d, "stdout")
        os.symlink("/proc/self/fd/1", path)
        r = io_run.run(argv_of(path))
        problems += [] if r.rc in ok_rc else ["exit %d: %s" % (r.rc, r.err.strip()[:200])]
        if not good(r.out):
            problems.append("standard output did not get the output")
        if not os.path.islink(path) or os.readlink(path) != "/proc/self/fd/1":
            problems.append("the stdout link was replaced")
    elif kind == "listening socket":
        # node_exporter-style consumers and log collectors listen on a
        # named socket: the report goes through it, the socket stays.
        path = os.path.join(d, "sock")
        cwd = os.getcwd()
        os.chdir(d)
        try:
            srv = socket.socket(socket.AF_UNIX)
            srv.bind("sock")
            srv.listen(1)
        finally:
            os.chdir(cwd)
        srv.settimeout(30)
        got = []

        def serve():
            try:
                c, _ = srv.accept()
                data = b""
                while True:
                    b = c.recv(65536)
                    if not b:
                        break
                    data += b
                got.append(data.decode("utf-8", "replace"))
                c.close()
            except OSError:
                pass
        t = threading.Thread(target=serve, daemon=True)
        t.start()
        before = ident(path)
        r = io_run.run(argv_of(path), timeout=30)
        t.join(10)
        srv.close()
        problems += [] if r.rc in ok_rc else ["exit %d: %s" % (r.rc, r.err.strip()[:200])]
        if ident(path) != before:
            problems.append("the socket was replaced")
        if not got or not good(got[0]):
            problems.append("the listener did not get the output")
    elif kind == "symlink-to-regular":
        target = os.path.join(d, "real")
        io_run.write(target, OLD, 0o640)
        path = os.path.join(d, "out")
        os.symlink("real", path)
        r = io_run.run(argv_of(path))
        problems += [] if r.rc in ok_rc else ["exit %d: %s" % (r.rc, r.err.strip()[:200])]
        if not os.path.islink(path) or os.readlink(path) != "real":
            problems.append("the symlink was replaced")
        elif not good(open(target).read()):
            problems.append("its target was not written")
        elif stat.S_IMODE(os.stat(target).st_mode) != 0o640:
            problems.append("the target lost its mode")
    elif kind in ("blk", "socket", "directory", "dangling-symlink"):
        path = os.path.join(d, "out")
        if kind == "blk":
            mknod(path, stat.S_IFBLK, os.makedev(7, 0))
            msg = "block devices are refused"
        elif kind == "socket":
            bind(path)
            msg = "a socket nobody listens on"
        elif kind == "directory":
            os.mkdir(path)
            msg = "Is a directory"
        else:
            os.symlink("nowhere", path)
            msg = "dangling symbolic link"
        before = ident(path)
        r = io_run.run(argv_of(path))
        problems += refused(msg)(r, None, d, good, before, path)
        if kind == "dangling-symlink" and os.path.lexists(os.path.join(d, "nowhere")):
            problems.append("the link's target was created")
    else:
        raise ValueError(kind)
    leftovers = [f for f in os.listdir(d) if f.startswith(".") or "XXXXXX" in f or f.startswith("out.")]
    if leftovers:
        problems.append("left behind: %s" % ", ".join(sorted(leftovers)))
    return problems, r


# Never a path outside the test's directory: the code before the fix
# replaced /dev/null and /dev/stdout when run with -o on them.
KINDS = ["absent", "regular", "chr", "fifo", "stdout link (pipe)", "symlink-to-regular",
         "symlink-to-chr", "blk", "socket", "listening socket", "directory", "dangling-symlink"]


SELINUX_FILES = ["kvmaudit_vm1.te", "kvmaudit_vm1.fc", "kvmaudit_vm1.seclabel.xml", "README"]


def selinux_rows(kvmaudit, work, failures):
    xml = os.path.join(work, "vm.xml")
    total = 0

    # --root: the other VMs from a fixed tree, not this host's libvirt
    # (whose connection the ASan build cannot make: see scripts/test-all)
    tree = os.path.join(work, "tree")

    def run(outdir):
        return io_run.run([kvmaudit, "profile", "selinux", "--xml", xml, "--root", tree, "--output-dir", outdir],
                          timeout=30)

    cases = ["dir absent", "dir with old files", "dir symlink", "dir is a regular file"] + \
        ["%s as %s" % (f, k) for f in ("kvmaudit_vm1.te", "README") for k in ("chr", "fifo", "socket")]
    for case in cases:
        total += 1
        base = io_run.fresh_dir(os.path.join(work, "selinux"))
        outdir = os.path.join(base, "out")
        problems = []
        if case == "dir absent":
            r = run(outdir)
            if r.rc != 0 or sorted(os.listdir(outdir)) != sorted(SELINUX_FILES):
                problems.append("exit %d, files %s" % (r.rc, os.listdir(outdir) if os.path.isdir(outdir) else None))
        elif case == "dir with old files":
            os.mkdir(outdir)
            inodes = {}
            for f in SELINUX_FILES:
                io_run.write(os.path.join(outdir, f), OLD)
                inodes[f] = os.lstat(os.path.join(outdir, f)).st_ino
            r = run(outdir)
            if r.rc != 0:
                problems.append("exit %d: %s" % (r.rc, r.err.strip()[:200]))
            for f in SELINUX_FILES:
                p = os.path.join(outdir, f)
                if open(p).read() == OLD or os.lstat(p).st_ino == inodes[f]:
                    problems.append("%s not replaced atomically" % f)
        elif case == "dir symlink":
            os.mkdir(os.path.join(base, "real"))
            os.symlink("real", outdir)
            r = run(outdir)
            if r.rc != 0 or not os.path.islink(outdir) or \
                    sorted(os.listdir(os.path.join(base, "real"))) != sorted(SELINUX_FILES):
                problems.append("exit %d; link kept %s" % (r.rc, os.path.islink(outdir)))
        elif case == "dir is a regular file":
            io_run.write(outdir, OLD)
            r = run(outdir)
            if r.rc in (0, 1) or open(outdir).read() != OLD:
                problems.append("exit %d: not refused, or the file changed" % r.rc)
        else:
            name, kind = case.split(" as ")
            os.mkdir(outdir)
            p = os.path.join(outdir, name)
            if kind == "chr":
                mknod(p, stat.S_IFCHR, os.makedev(1, 3))
            elif kind == "fifo":
                os.mkfifo(p)
            else:
                bind(p)
            before = ident(p)
            r = run(outdir)
            if r.rc in (0, 1) or r.timed_out:
                problems.append("exit %d: not refused" % r.rc)
            if ident(p) != before:
                problems.append("the %s was replaced" % kind)
            if "nothing written" not in r.err:
                problems.append("no message (stderr: %s)" % r.err.strip()[:200])
            if sorted(os.listdir(outdir)) != [name]:
                problems.append("files written or left: %s" % sorted(os.listdir(outdir)))
        if os.path.isdir(base):
            left = [f for f in os.listdir(base) if f not in ("out", "real")]
            if left:
                problems.append("left behind: %s" % left)
        label = "profile selinux --output-dir: %s" % case
        print("%s %s: %r" % ("ok" if not problems else "not ok", label, r))
        if problems:
            failures.append("%s: %s" % (label, "; ".join(problems)))
    return total


def main():
    kvmaudit, src, work = sys.argv[1:4]
    kvmaudit, src = os.path.abspath(kvmaudit), os.path.abspath(src)
    if os.geteuid() != 0:
        print("hostile outputs: skipped (needs root for mknod)")
        return 77
    work = io_run.fresh_dir(os.path.abspath(work))
    r = subprocess.run([sys.executable, os.path.join(src, "tests", "mkfixture.py"),
                        os.path.join(src, "tests", "fixtures", "hosts", "offline-image"),
                        os.path.join(work, "tree")], capture_output=True, text=True)
    if r.returncode != 0:
        print("mkfixture: %s" % r.stderr)
        return 1
    io_run.write(os.path.join(work, "vm.xml"), VM)
    r = io_run.run([kvmaudit, "scan", "--root", os.path.join(work, "tree"), "--reproducible", "-f", "json"])
    if r.rc not in (0, 1):
        print("scan for the saved report failed: %s" % r.err)
        return 1
    io_run.write(os.path.join(work, "saved.json"), r.out)

    failures, total = [], 0
    for name, (argv_of, good) in writers(kvmaudit, work).items():
        ok_rc = (0, 1) if name in ("scan -o", "diff -o") else (0,)
        for kind in KINDS:
            total += 1
            d = io_run.fresh_dir(os.path.join(work, "t"))
            problems, r = run_case(name, argv_of, good, kind, d, ok_rc)
            label = "%s -> %s" % (name, kind)
            print("%s %s: %r" % ("ok" if not problems else "not ok", label, r))
            if problems:
                failures.append("%s: %s" % (label, "; ".join(problems)))
    total += selinux_rows(kvmaudit, work, failures)
    return io_run.report("outputs", failures, total)


if __name__ == "__main__":
    sys.exit(main())
