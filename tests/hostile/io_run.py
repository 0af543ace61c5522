"""Shared by the hostile tables of the io-xml surfaces (xml.py, devices.py,
outputs.py): run kvmaudit with a deadline and an address-space cap, and
measure the child's own peak RSS (os.wait4), so that an entity bomb or a
blocking open shows up as a number, not as a hung or swapping machine."""
import os
import resource
import shutil
import signal
import subprocess
import threading
import time

# A refusal must be quick and small; a parse that expands entities is
# neither (6.6 GB and 43 s for the 40 KB domain).
AS_LIMIT = 2 << 30  # bytes of address space for the child


class Run:
    def __init__(self, rc, out, err, seconds, maxrss_kb, timed_out):
        self.rc, self.out, self.err = rc, out, err
        self.seconds, self.maxrss_kb, self.timed_out = seconds, maxrss_kb, timed_out

    def __repr__(self):
        return "rc=%s %.2fs %d KB%s" % (self.rc, self.seconds, self.maxrss_kb,
                                        " TIMEOUT" if self.timed_out else "")


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


_sanitized = {}


def sanitized(binary):
    """Whether @binary is built with ASan: it reserves terabytes of shadow
    address space (no RLIMIT_AS then) and its leak checker cannot run
    under ptrace (strace)."""
    if binary not in _sanitized:
        try:
            with open(binary, "rb") as f:
                _sanitized[binary] = b"__asan_init" in f.read()
        except OSError:
            _sanitized[binary] = False
    return _sanitized[binary]


def run(argv, timeout=30, cwd=None, stdin=subprocess.DEVNULL, limit_as=None, env=None):
    """Runs @argv; stdout and stderr are returned as text (errors replaced).
    @limit_as: cap the address space (default: unless argv[0] is an ASan build)."""
    if limit_as is None:
        limit_as = not sanitized(argv[0])
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin, cwd=cwd,
                         preexec_fn=_limit if limit_as else None, env=env)
    out, err = [], []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read())) for s, b in
               ((p.stdout, out), (p.stderr, err))]
    for r in readers:
        r.start()
    timed_out = False
    timer = threading.Timer(timeout, lambda: p.send_signal(signal.SIGKILL))
    timer.start()
    _, status, ru = os.wait4(p.pid, 0)
    if not timer.is_alive():
        timed_out = True
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    return Run(p.returncode, out[0].decode(errors="replace"), err[0].decode(errors="replace"),
               time.monotonic() - t0, ru.ru_maxrss, timed_out)


def fresh_dir(path):
    if os.path.lexists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def report(surface, failures, total):
    for f in failures:
        print("FAIL", f)
    print("hostile %s: %d cases, %d failed" % (surface, total, len(failures)))
    return 1 if failures else 0
