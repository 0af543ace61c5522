#!/usr/bin/env python3
"""kvmaudit is read-only, proven: full live "scan" and "collect" (with and
without --inspect-seccomp, against a throwaway sandboxed QEMU of this test)
under "strace -f", asserting

  - no open/openat/creat with O_WRONLY, O_RDWR, O_CREAT or O_TRUNC except
    the requested output's temporary file (DIR/.NAME.XXXXXX, created
    O_EXCL) in the output's directory;
  - no rename, unlink, rmdir or mkdir, except the one renameat() of that
    temporary file onto the requested output, inside its directory;
  - no fork, vfork, clone without CLONE_THREAD, and no exec after the
    first (strace starting kvmaudit);
  - ptrace only under --inspect-seccomp, and only PTRACE_SEIZE,
    PTRACE_INTERRUPT, PTRACE_SECCOMP_GET_FILTER and PTRACE_DETACH;
  - KVMAUDIT_DEBUG=1 shows the sandbox installed and nothing denied.
A self-test first feeds the checker strace lines that break each rule.
Exit 77 without root or strace.

Usage: readonly-strace.py KVMAUDIT WORKDIR"""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "live"))
import transient_guest  # noqa: E402

SYSCALLS = ("open,openat,openat2,creat,rename,renameat,renameat2,unlink,unlinkat,rmdir,mkdir,mkdirat,"
            "link,linkat,symlink,symlinkat,chmod,fchmod,fchmodat,chown,fchown,fchownat,lchown,truncate,"
            "clone,clone3,fork,vfork,execve,execveat,ptrace,mount,umount2")
WRITE_FLAGS = re.compile(r"\bO_(WRONLY|RDWR|CREAT|TRUNC)\b")
PTRACE_OK = ("PTRACE_SEIZE", "PTRACE_INTERRUPT", "PTRACE_SECCOMP_GET_FILTER", "PTRACE_DETACH")


def violations(lines, output, inspect):
    """The lines of an strace -f log that break the rules above."""
    bad = []
    outputs = [output] if isinstance(output, str) else list(output or [])
    tmp_res = [re.compile(r'"%s/\.%s\.[A-Za-z0-9]{6}"' % (re.escape(os.path.dirname(o)), re.escape(os.path.basename(o))))
               for o in outputs]
    execs = 0
    for line in lines:
        m = re.match(r"^\d+\s+(\w+)\((.*)$", line)
        if not m:
            continue  # "<... resumed>" halves and exit lines: the call was judged at its start
        call, rest = m.group(1), m.group(2)
        if call in ("open", "openat", "openat2", "creat"):
            if call == "creat" or WRITE_FLAGS.search(rest):
                if not (any(t.search(rest) for t in tmp_res) and "O_EXCL" in rest):
                    bad.append(line)
        elif call in ("rename", "renameat", "renameat2"):
            ok = call != "rename" and any(
                re.match(r'(\d+), "\.%s\.[A-Za-z0-9]{6}", \1, "%s"' % (re.escape(os.path.basename(o)),
                                                                    re.escape(os.path.basename(o))), rest)
                for o in outputs)
            if not ok:
                bad.append(line)
        elif call in ("unlink", "unlinkat", "rmdir", "mkdir", "mkdirat", "link", "linkat", "symlink",
                      "symlinkat", "chmod", "fchmodat", "chown", "fchownat", "lchown", "truncate",
                      "mount", "umount2"):
            bad.append(line)
        elif call in ("fchmod", "fchown"):
            # the output's temporary file gets the old file's mode before
            # the sandbox; anything else is a violation
            if not outputs:
                bad.append(line)
        elif call in ("fork", "vfork"):
            bad.append(line)
        elif call == "clone":
            if "CLONE_THREAD" not in rest:
                bad.append(line)
        elif call in ("execve", "execveat"):
            execs += 1
            if execs > 1:
                bad.append(line)
        elif call == "ptrace":
            if not inspect or not rest.startswith(PTRACE_OK):
                bad.append(line)
    return bad


def self_test():
    out = "/w/r.json"
    cases = [
        ('1 openat(AT_FDCWD, "/etc/passwd", O_WRONLY|O_CLOEXEC) = 3', None, False),
        ('1 openat(AT_FDCWD, "/etc/x", O_RDONLY|O_CREAT, 0600) = 3', None, False),
        ('1 open("/etc/x", O_RDWR) = 3', None, False),
        ('1 openat(AT_FDCWD, "/w/.r.json.AbC123", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 3', None, False),
        ('1 openat(AT_FDCWD, "/w/.other.AbC123", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 3', out, False),
        ('1 rename("/w/.r.json.AbC123", "/w/r.json") = 0', out, False),
        ('1 renameat(4, ".r.json.AbC123", 5, "r.json") = 0', out, False),
        ('1 unlinkat(4, ".r.json.AbC123", 0) = 0', out, False),
        ('1 mkdir("/tmp/x", 0700) = 0', None, False),
        ('1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD) = 7', None, False),
        ('1 vfork() = 7', None, False),
        ('1 ptrace(PTRACE_SEIZE, 42, NULL, 0) = 0', None, False),
        ('1 ptrace(PTRACE_POKEDATA, 42, 0x1, 0x2) = 0', None, True),
    ]
    first = '1 execve("/bin/kvmaudit", ["kvmaudit"], 0x0 /* 1 vars */) = 0'
    failed = 0
    for line, output, inspect in cases:
        if not violations([first, line], output, inspect):
            print("FAIL self-test: not caught: %s" % line)
            failed += 1
    good = [first,
            '1 openat(AT_FDCWD, "/w/.r.json.AbC123", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 3',
            '1 renameat(4, ".r.json.AbC123", 4, "r.json") = 0',
            '1 clone(child_stack=0x1, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD) = 8',
            '1 ptrace(PTRACE_SEIZE, 42, NULL, 0) = 0']
    if violations(good, out, True):
        print("FAIL self-test: a clean log was flagged: %s" % violations(good, out, True))
        failed += 1
    print("self-test: %d cases, %d failed" % (len(cases) + 1, failed))
    return failed


def main():
    kvmaudit, work = sys.argv[1:3]
    if self_test():
        return 1
    strace, qemu = shutil.which("strace"), shutil.which("qemu-system-x86_64")
    if os.geteuid() != 0 or not strace:
        print("SKIP: needs root and strace")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    q = None
    if qemu:
        q = subprocess.Popen([qemu, "-accel", "tcg", "-nodefaults", "-display", "none", "-S",
                              "-name", "guest=kvmaudit-test-ro-%d" % os.getpid(), "-sandbox",
                              "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
    # a libvirt guest, so that the domain probes talk to libvirtd under
    # the sandbox and strace
    guest = transient_guest.start("ro")
    print("libvirt guest: %s" % (guest or "none (no virsh or qemu:///system)"))
    failed = 0
    runs = []
    for verb in ("scan", "collect"):
        for inspect in (False, True):
            for to_file in (False, True):
                if verb == "collect" and not to_file and inspect:
                    continue
                runs.append((verb, inspect, to_file))
    runs.append(("scan", True, "multi"))
    try:
        for verb, inspect, to_file in runs:
            output = os.path.join(work, "%s-%d.out" % (verb, len(os.listdir(work)))) if to_file else None
            args = [kvmaudit, verb] + (["-f", "json"] if verb == "scan" else [])
            args += (["--inspect-seccomp"] if inspect else []) + (["-o", output] if output else [])
            if to_file == "multi":
                # several outputs in two directories (issue 17's -o, repeatable)
                os.makedirs(os.path.join(work, "second"), exist_ok=True)
                extra = [os.path.join(work, "second", "r.sarif"), os.path.join(work, "r.html")]
                args += ["-o", "sarif:" + extra[0], "-o", "html:" + extra[1]]
                output = [output] + extra
            log = os.path.join(work, "strace-%s-%d-%s.log" % (verb, inspect, to_file))
            r = subprocess.run([strace, "-f", "-qq", "-e", "trace=" + SYSCALLS, "-o", log] + args,
                               capture_output=True, text=True, timeout=600,
                               env=dict(os.environ, KVMAUDIT_DEBUG="1"))
            label = " ".join(args[1:])
            if r.returncode not in (0, 1):
                print("FAIL %s: exit %d: %s" % (label, r.returncode, r.stderr[-2000:]))
                failed += 1
                continue
            if "sandbox: installed" not in r.stderr or "sandbox: denied" in r.stderr:
                print("FAIL %s: sandbox not installed or something denied:\n%s" % (label, r.stderr[-2000:]))
                failed += 1
            with open(log) as f:
                lines = f.readlines()
            bad = violations(lines, output, inspect)
            for o in ([output] if isinstance(output, str) else output or []):
                if not os.path.getsize(o):
                    bad.append("%s was not written" % o)
            seized = sum(1 for x in lines if "PTRACE_SEIZE" in x)
            if inspect and q and not seized:
                print("FAIL %s: --inspect-seccomp seized no QEMU" % label)
                failed += 1
            if guest and verb == "scan" and output:
                # the libvirt client worked under the sandbox: the guest's
                # definition was read and judged
                import json
                with open(output if isinstance(output, str) else output[0]) as f:
                    res = [x for x in json.load(f)["results"] if guest in (x.get("subject") or "")]
                errors = [x for x in res if x["status"] == "error"]
                if not res or errors:
                    print("FAIL %s: libvirt guest %s: %d results, errors: %s" % (label, guest, len(res), errors[:3]))
                    failed += 1
                else:
                    print("ok %s: libvirt guest %s read over the API under the sandbox (%d results)"
                          % (label, guest, len(res)))
            if bad:
                print("FAIL %s: %d forbidden call(s):\n  %s" % (label, len(bad), "  ".join(bad[:10])))
                failed += 1
            else:
                print("ok %s: %d traced calls, none forbidden (%d QEMU threads seized)" % (label, len(lines), seized))
    finally:
        if q:
            q.kill()
            q.wait()
        transient_guest.stop(guest)
    print("readonly-strace: %d runs, %d failed" % (len(runs), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
