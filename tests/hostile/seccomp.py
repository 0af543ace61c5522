#!/usr/bin/env python3
"""Hostile input: the seccomp facts ("kvmaudit scan --facts FILE" of a
"collect --inspect-seccomp"), the surface of issue 16.  The raw programs
(seccomp:PID/filters) are checked as the kernel checks a filter before
anything trusts the decoded table (seccomp:PID/table), whose rows are held
to "ARCH SYSCALL ACTION".  Every hostile value makes the filter checks of
that process "error" with the key, the filter, the instruction or the row
and what is wrong; a value of the wrong kind rejects the file (exit 2).
Never a crash, never a pass.

The base file is tests/fixtures/facts/seccomp-filters.json (process 101:
the full -sandbox set, which passes every check).

Usage: seccomp.py KVMAUDIT SOURCE_ROOT
Prints "hostile seccomp: N cases, N failed"; exits 1 on any failure."""
import json
import os
import subprocess
import sys
import tempfile

PID = "101"
CHECKS = ["seccomp.filter-denies-spawn", "seccomp.filter-denies-elevate", "seccomp.filter-denies-obsolete",
          "seccomp.filter-denies-resourcecontrol", "seccomp.filter-matches-sandbox-option"]


def insn(code, jt, jf, k):
    return "%04x%02x%02x%08x" % (code, jt, jf, k)


RET_ALLOW = insn(0x06, 0, 0, 0x7fff0000)


def set_filter(prog):
    def edit(f):
        f["seccomp:%s/filters" % PID] = [prog]
    return edit


def set_filters(progs):
    def edit(f):
        f["seccomp:%s/filters" % PID] = progs
    return edit


def table_row(row):
    def edit(f):
        f["seccomp:%s/table" % PID] = f["seccomp:%s/table" % PID] + [row]
    return edit


def table_replace(rows):
    def edit(f):
        f["seccomp:%s/table" % PID] = rows
    return edit


def setv(key, value):
    def edit(f):
        f[key] = value
    return edit


# (name, edit, expected exit, text every error result holds / stderr holds on exit 2)
CASES = [
    ("unchanged", lambda f: None, 0, None),
    # programs no kernel installs
    ("jump past the end", set_filter(insn(0x05, 0, 0, 5) + RET_ALLOW), 1,
     "filter 0, instruction 0: jump beyond the end of the program"),
    ("jump wraps around", set_filter(insn(0x05, 0, 0, 0xffffffff) + RET_ALLOW), 1, "jump beyond the end"),
    ("conditional jump out", set_filter(insn(0x15, 200, 0, 0) + RET_ALLOW), 1, "conditional jump beyond"),
    ("load beyond seccomp_data", set_filter(insn(0x20, 0, 0, 64) + RET_ALLOW), 1,
     "load outside struct seccomp_data"),
    ("load at 2^32-4", set_filter(insn(0x20, 0, 0, 0xfffffffc) + RET_ALLOW), 1, "load outside struct seccomp_data"),
    ("unaligned load", set_filter(insn(0x20, 0, 0, 6) + RET_ALLOW), 1, "not 4-byte aligned"),
    ("scratch slot 4096", set_filter(insn(0x02, 0, 0, 4096) + RET_ALLOW), 1, "scratch memory index out of range"),
    ("division by constant 0", set_filter(insn(0x34, 0, 0, 0) + RET_ALLOW), 1, "division by the constant 0"),
    ("packet byte load", set_filter(insn(0x30, 0, 0, 0) + RET_ALLOW), 1, "instruction not allowed"),
    ("no final return", set_filter(insn(0x00, 0, 0, 1)), 1, "the last instruction is not a return"),
    ("4097 instructions", set_filter(insn(0x00, 0, 0, 0) * 4096 + RET_ALLOW), 1, "more than 4096 instructions"),
    ("33 full filters", set_filters([insn(0x00, 0, 0, 0) * 1023 + RET_ALLOW] * 33), 1,
     "more than 32768 instructions"),
    ("half an instruction", set_filter(RET_ALLOW + "0006"), 1, "not a whole number of 16-digit instructions"),
    ("empty program", set_filter(""), 1, "not a whole number"),
    ("upper-case hex", set_filter(RET_ALLOW.upper()), 1, "not lower-case hex"),
    ("non-hex", set_filter("zz" + RET_ALLOW[2:]), 1, "not lower-case hex"),
    # tables no probe writes
    ("row without action", table_row("x86_64 execve"), 1, "not ARCH SYSCALL ACTION"),
    ("row with four fields", table_row("x86_64 execve allow now"), 1, "not ARCH SYSCALL ACTION"),
    ("unknown architecture", table_row("arm64 execve allow"), 1, "unknown architecture"),
    ("unknown action", table_row("x86_64 execve permit"), 1, "unknown action"),
    ("errno without number", table_row("x86_64 execve errno()"), 1, "unknown action"),
    ("errno huge", table_row("x86_64 execve errno(99999999999)"), 1, "unknown action"),
    ("second default row", table_row("x86_64 * kill-process"), 1, 'a second "x86_64 *" row'),
    ("control character in a name", table_row("x86_64 exec\u001bve allow"), 1, "bad character"),
    ("no default row", table_replace(["x86_64 execve kill-process"]), 1, 'no "x86_64 *" row'),
    ("row too long", table_row("x86_64 " + "a" * 300 + " allow"), 1, "longer than 256 bytes"),
    ("too many rows", table_replace(["x86_64 * allow", "x32 * allow", "i386 * allow"] +
                                    ["x86_64 s%d allow" % i for i in range(12300)]), 1, "more than 12288 rows"),
    # the facts disagree
    ("no filter, yet denials", setv("seccomp:%s/filters" % PID, []), 1, "but seccomp:101/filters is empty"),
    # kinds: the whole file is refused
    ("table as a string", setv("seccomp:%s/table" % PID, "x86_64 * allow"), 2,
     '"seccomp:101/table" is a string'),
    ("filters as a string", setv("seccomp:%s/filters" % PID, RET_ALLOW), 2, '"seccomp:101/filters" is a string'),
    ("stop time as a list", setv("seccomp:%s/stop_us" % PID, ["1"]), 2, '"seccomp:101/stop_us" is a list'),
    ("line break in stop time", setv("seccomp:%s/stop_us" % PID, "1\n2"), 2, "seccomp:101/stop_us"),
]


def main():
    kvmaudit, src = sys.argv[1:3]
    with open(os.path.join(src, "tests", "fixtures", "facts", "seccomp-filters.json")) as f:
        base = json.load(f)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kvmaudit-hostile-seccomp-") as tmp:
        for name, edit, want_exit, text in CASES:
            doc = json.loads(json.dumps(base))
            edit(doc["facts"])
            path = os.path.join(tmp, "facts.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            r = subprocess.run([kvmaudit, "scan", "--facts", path, "--only", "seccomp", "-f", "json"],
                               capture_output=True, text=True, timeout=120)
            why = None
            if r.returncode < 0 or r.returncode not in (0, 1, 2):
                why = "exit %d (crash?): %s" % (r.returncode, r.stderr[-500:])
            elif want_exit == 2:
                if r.returncode != 2 or text not in r.stderr:
                    why = "want exit 2 naming %r, got exit %d: %s" % (text, r.returncode, r.stderr[-300:])
            else:
                if r.returncode == 2:
                    why = "refused: %s" % r.stderr[-300:]
                else:
                    res = {x["id"]: x for x in json.loads(r.stdout)["results"]
                           if x["id"] in CHECKS and (x.get("observed") or "").find(PID) >= 0}
                    for cid in CHECKS:
                        x = res.get(cid)
                        if text is None:
                            if not x or x["status"] != "pass":
                                why = "%s: %r, want pass" % (cid, x and (x["status"], x.get("observed")))
                        else:
                            if not x or x["status"] != "error" or text not in (x.get("observed") or ""):
                                why = "%s: %r, want error with %r" % (cid, x and (x["status"], x.get("observed")),
                                                                      text)
                        if why:
                            break
            if why:
                print("FAIL %s: %s" % (name, why))
                failed += 1
            else:
                print("ok %s" % name)
    print("hostile seccomp: %d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
