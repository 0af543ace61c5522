#!/usr/bin/env python3
"""Hostile input: gate files ("kvmaudit scan --profile FILE").  The file may
be any file the user (or a script running as root) names, /etc/shadow
included: an error names the file, the line and what was expected, and
never quotes a line's content unless it reads as a gate name (a check id
of a known category, a category name), so no secret reaches a terminal or
a CI log.  Every case exits 2, never crashes and never scans.  What
still reads as a gate name is quoted (a typo is worth showing): the rows of
tests/unit/test-scan-selection.c hold that side.

Usage: gate.py KVMAUDIT SOURCE_ROOT
Prints "hostile gate: N cases, N failed"; exits 1 on any failure."""
import os
import subprocess
import sys
import tempfile

SHADOW = "root:$6$Zx9Q$S3cr3tHashValue0123456789abcdef:19000:0:99999:7:::\n"
TOKEN = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"

# (name, file content, stderr must contain (all), stderr must not contain (any))
CASES = [
    ("shadow file", SHADOW + "daemon:*:19000:0:99999:7:::\n",
     [":1: no such check id in the catalogue", "content is not shown"], ["S3cr3t", "root", "$6$", "daemon"]),
    ("hex token (machine-id, API key)", TOKEN, [":1: no such check id", "not shown"], [TOKEN.strip(), "9f86d0"]),
    ("password with a dot", "hunter2.letmein\n", [":1: no such check id", "not shown"], ["hunter2", "letmein"]),
    ("key = value line", "password = hunter2\n", [":1: expected one check id", "not shown"],
     ["hunter2", "password"]),
    ("secret after a valid line", "kernel.kaslr\ns3cr3t-t0ken\n", [":2: no such check id", "not shown"],
     ["s3cr3t"]),
    ("comment-like secret", "token # hunter2\n", [":1: expected one check id", "not shown"], ["hunter2", "token"]),
    ("min-coverage with a secret", "min-coverage = hunter2\n", [":1: expected min-coverage = PERCENT"],
     ["hunter2"]),
    ("category with a secret", "category:Hunter2!\n", [":1: no such category in the catalogue", "not shown"],
     ["Hunter2"]),
]


def main():
    kvmaudit, _src = sys.argv[1], sys.argv[2]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        os.mkdir(root)
        for name, content, want, never in CASES:
            path = os.path.join(tmp, "gate")
            with open(path, "w") as f:
                f.write(content)
            p = subprocess.run([kvmaudit, "scan", "--root", root, "--profile", path, "--format", "json"],
                               capture_output=True, text=True, errors="replace", timeout=60)
            problems = []
            if p.returncode != 2:
                problems.append("exit %d, want 2" % p.returncode)
            if p.stdout:
                problems.append("printed a report")
            if path not in p.stderr:
                problems.append("stderr does not name the file")
            problems += ["stderr lacks %r" % w for w in want if w not in p.stderr]
            problems += ["stderr quotes %r" % n for n in never if n in p.stderr]
            if problems:
                failed += 1
                print("not ok - %s: %s\n#   stderr: %s" % (name, "; ".join(problems), p.stderr.strip()))
            else:
                print("ok - %s" % name)
    print("hostile gate: %d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
