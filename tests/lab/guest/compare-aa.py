#!/usr/bin/env python3
"""Ours grants no more than virt-aa-helper: every rule of our profile for a
VM must be granted, with at least its permissions, by libvirt's own profile
for the same VM started by the dynamic driver (libvirt-UUID, the
libvirt-UUID.files it includes, both copied from the running lab, and the
libvirt-qemu abstraction both include), unless
MORE lists it with the reason.  Other abstractions are the same on both
sides and not read.  A rule of ours that is itself a
pattern is checked on sample paths ([0-9]* -> 1, * -> x, ** -> x/y, each
{a,b} alternative).

Usage: compare-aa.py NAME OURS_PROFILE VAH_PROFILE VAH_FILES [ABSTRACTION...]
Prints one line per rule ours has beyond virt-aa-helper's; exit 1 if any."""
import itertools
import re
import sys

# (definition, rule of ours) -> why ours grants it and virt-aa-helper's does not
MORE = {
    ("uefi1", '"/etc/ssl/openssl.cnf" r,'):
        "swtpm reads it at start; virt-aa-helper's profile (libvirt 9.0) lacks it and the lab logs the denial",
}

RULE = re.compile(r'^\s*(deny\s+|audit\s+|owner\s+)*("(?:[^"\\]|\\.)*"|/\S*)\s+([a-zA-Z]+),\s*(#.*)?$')


def unquote(p):
    return p[1:-1] if p.startswith('"') else p


def pattern_regex(p):
    """An AppArmor path expression as a Python regex."""
    out, i = "", 0
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            out += re.escape(p[i + 1])
            i += 2
        elif p.startswith("**", i):
            out += ".*"
            i += 2
        elif c == "*":
            out += "[^/]*"
            i += 1
        elif c == "?":
            out += "[^/]"
            i += 1
        elif c == "[":
            j = p.index("]", i)
            out += "[" + p[i + 1:j].replace("^", "\\^", 0) + "]"
            i = j + 1
        elif c == "{":
            j = p.index("}", i)
            out += "(?:" + "|".join(pattern_regex(a) for a in p[i + 1:j].split(",")) + ")"
            i = j + 1
        else:
            out += re.escape(c)
            i += 1
    return out


def samples(p):
    """Concrete paths a pattern of ours matches."""
    m = re.search(r"\{([^{}]*)\}", p)
    if m:
        return list(itertools.chain.from_iterable(
            samples(p[:m.start()] + a + p[m.end():]) for a in m.group(1).split(",")))
    p = re.sub(r"\[[^]]*\]\*", "1", p)
    p = re.sub(r"\[[^]]*\]", "1", p)
    p = p.replace("**", "x/y").replace("*", "x").replace("?", "x")
    return [re.sub(r"\\(.)", r"\1", p)]


def rules(path):
    """(path rules [(pattern, perms)], other rule lines) of a profile body."""
    paths, other = [], []
    for line in open(path):
        s = line.strip()
        if not s or s.startswith("#") or s.startswith("profile ") or s in ("{", "}"):
            continue
        if s.startswith("deny "):
            continue
        m = RULE.match(line)
        if m:
            paths.append((unquote(m.group(2)), m.group(3)))
        else:
            other.append(s)
    return paths, other


def main():
    name, ours, vah_profile, vah_files = sys.argv[1:5]
    our_paths, our_other = rules(ours)
    vah_paths, vah_other = [], []
    for f in [vah_profile, vah_files] + sys.argv[5:]:
        p, o = rules(f)
        vah_paths += p
        vah_other += o
    compiled = [(re.compile(pattern_regex(p) + r"\Z"), perms) for p, perms in vah_paths]
    # The run id: ours grants a VM's runtime names for any id (an
    # alternation of 1 to 7 digits), virt-aa-helper's for the id of the run
    # it was written for; the same rule, so ours is judged on that id.
    run_ids = sorted({m for p, _ in vah_paths for m in re.findall(r"(?:domain-|swtpm/)(\d+)-", p)})
    ids_group = re.compile(r"\{\[0-9\](?:,(?:\[0-9\])+)+\}")
    more = []
    for pat, perms in our_paths:
        if ids_group.search(pat) and run_ids:
            cands = [ids_group.sub(i, pat) for i in run_ids]
            ok = False
            for c in cands:
                s0 = samples(c)[0]
                granted = set()
                for rx, vperms in compiled:
                    if rx.match(s0):
                        granted |= set(vperms)
                if "w" in granted:
                    granted.add("a")
                if not set(perms) - granted:
                    ok = True
            if not ok:
                more.append((f'"{pat}" {perms},', f"not granted for the run ids {run_ids}"))
            continue
        for s in samples(pat):
            granted = set()
            for rx, vperms in compiled:
                if rx.match(s):
                    granted |= set(vperms)
            if "w" in granted:
                granted.add("a")
            missing = set(perms) - granted
            if missing:
                more.append((f'"{pat}" {perms},', f"{''.join(sorted(missing))} on {s}"))
                break
    for o in our_other:
        if o not in vah_other:
            more.append((o, "no such line in virt-aa-helper's profile"))
    bad = 0
    for rule, why in more:
        if (name, rule) in MORE:
            print(f"{name}: more, documented: {rule} ({MORE[(name, rule)]})")
        else:
            print(f"{name}: ours grants more: {rule} -- {why}")
            bad += 1
    print(f"{name}: {len(our_paths)} path rules of ours, {len(vah_paths)} of virt-aa-helper's, "
          f"{bad} beyond")
    return 1 if bad else 0


sys.exit(main())
