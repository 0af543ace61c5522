#!/usr/bin/env python3
"""Agreement with OpenSCAP where both check the same thing (docs/compliance/).

Runs "oscap xccdf eval" with SCAP Security Guide content from Debian's
ssg-debian on this machine and on fixture hosts (OSCAP_PROBE_ROOT, as
oscap-chroot does), runs "kvmaudit scan" on the same roots, and compares
the verdicts of every kvmaudit check that has an SSG counterpart.  Every
pair agrees, or the difference is one of the KNOWN ones below, each decided
from evidence in the root (not assumed) and printed with its reason.  Any
other difference fails the test.

ssg-debian 0.1.65 (Debian 12) ships Debian 10 and 11 content only; every
rule carries the platform cpe:/o:debian:debian_linux:11, so on Debian 12
oscap marks all of them notapplicable.  The test evaluates a copy of the
Debian 11 XCCDF with the platform elements removed (the OVAL checks are
unchanged); that is the only change made to the content.

Usage: openscap-agreement.py KVMAUDIT SOURCE_ROOT WORK_DIR
Prints the agreement table and "openscap agreement: N pairs, N agree,
N explained, N failed"; exit 1 on an unexplained difference.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

K, SRC, WORK = sys.argv[1:4]
SSG = "/usr/share/xml/scap/ssg/content"
X = "{http://checklists.nist.gov/xccdf/1.2}"
RULE = "xccdf_org.ssgproject.content_rule_"

# (SSG rule, kvmaudit check, subject of the kvmaudit result or None for the
# check's only result)
PAIRS = [
    ("sysctl_kernel_kptr_restrict", "kernel.kptr-restrict", None),
    ("sysctl_fs_protected_hardlinks", "kernel.fs-protected", "sysctl:fs.protected_hardlinks"),
    ("sysctl_fs_protected_symlinks", "kernel.fs-protected", "sysctl:fs.protected_symlinks"),
    ("selinux_state", "lsm.selinux-config-enforcing", None),
    ("kernel_config_randomize_base", "kernel.kaslr", None),
    ("kernel_config_page_table_isolation", "kernel.page-table-isolation-built", None),
    ("kernel_config_retpoline", "kernel.retpoline-built", None),
    ("kernel_config_seccomp_filter", "kernel.seccomp-filter-built", None),
    ("kernel_config_module_sig_force", "kernel.module-signatures-enforced", None),
]

HOSTS = ["hardened-intel", "insecure-intel", "debian-default-intel", "mac-selinux-bad", "mac-selinux-good"]


def sysctl_persisted(root, key):
    """Whether a sysctl configuration file in @root sets @key (SSG's
    "configuration setting check" reads these)."""
    pats = ["etc/sysctl.conf", "etc/sysctl.d/*.conf", "run/sysctl.d/*.conf", "usr/lib/sysctl.d/*.conf",
            "lib/sysctl.d/*.conf", "usr/local/lib/sysctl.d/*.conf"]
    rx = re.compile(r"^\s*%s\s*=" % re.escape(key).replace(r"\.", "[./]"), re.M)
    for p in pats:
        for f in glob.glob(os.path.join(root, p)):
            try:
                if rx.search(open(f, encoding="utf-8", errors="replace").read()):
                    return True
            except OSError:
                pass
    return False


def boot_configs(root):
    return sorted(glob.glob(os.path.join(root, "boot/config-*")))


# Known differences: (SSG rule prefix, predicate(ctx) -> reason or None).
# ctx: root, ssg verdict, ours (result dict), report (kvmaudit JSON).
def sysctl_not_persisted(ctx):
    key = {"sysctl_kernel_kptr_restrict": "kernel.kptr_restrict",
           "sysctl_fs_protected_hardlinks": "fs.protected_hardlinks",
           "sysctl_fs_protected_symlinks": "fs.protected_symlinks"}[ctx["rule"]]
    if ctx["ssg"] == "fail" and ctx["ours"] == "pass" and not sysctl_persisted(ctx["root"], key):
        return (f"SSG also requires {key} persisted in sysctl.conf/sysctl.d; none in this root sets it, and "
                f"kvmaudit judges the value the running kernel enforces ({ctx['observed']})")
    return None


def kptr_two(ctx):
    if ctx["ssg"] == "fail" and ctx["ours"] == "pass" and "kernel.kptr_restrict = 2" in ctx["observed"]:
        return "kptr_restrict = 2 is stricter than SSG's exact value 1; kvmaudit accepts 1 or 2"
    return None


def kconfig_not_in_boot(ctx):
    if ctx["ssg"] != "fail" or ctx["ours"] != "pass":
        return None
    src = ctx["report"].get("kconfig_source") or "(unknown)"
    cfgs = boot_configs(ctx["root"])
    if not cfgs:
        return (f"SSG reads only /boot/config-*, and this root has none; kvmaudit read the running kernel's "
                f"configuration ({src})")
    return None


def kconfig_renamed(ctx):
    m = re.search(r"kconfig:(CONFIG_MITIGATION_\w+) = y", ctx["observed"])
    if ctx["ssg"] == "fail" and ctx["ours"] == "pass" and m:
        return (f"Linux 6.9 renamed the option to {m.group(1)}; SSG 0.1.65 checks only the old name, kvmaudit "
                f"both")
    return None


def modules_other_ways(ctx):
    o = ctx["observed"]
    if ctx["ssg"] == "fail" and ctx["ours"] == "pass" and (
            "CONFIG_MODULES = n" in o or "sig_enforce = Y" in o or re.search(r"lockdown = .*\[(integrity|confidentiality)\]", o)):
        return ("kvmaudit also accepts a kernel without loadable modules, module.sig_enforce=1 or lockdown; "
                "SSG only CONFIG_MODULE_SIG_FORCE=y (" + o[:120] + ")")
    return None


def selinux_cmdline(ctx):
    if ctx["ssg"] == "pass" and ctx["ours"] == "fail" and re.search(r"(enforcing|selinux) ?= ?0", ctx["observed"]):
        return "the kernel command line overrides SELINUX=enforcing; SSG reads only /etc/selinux/config"
    return None


KNOWN = [
    ("sysctl_", sysctl_not_persisted),
    ("sysctl_kernel_kptr_restrict", kptr_two),
    ("kernel_config_", kconfig_not_in_boot),
    ("kernel_config_page_table_isolation", kconfig_renamed),
    ("kernel_config_retpoline", kconfig_renamed),
    ("kernel_config_module_sig_force", modules_other_ways),
    ("selinux_state", selinux_cmdline),
]


def ssg_content(work):
    """The Debian 11 XCCDF without its platform elements, with its OVAL."""
    d = os.path.join(work, "ssg")
    os.makedirs(d, exist_ok=True)
    text = open(os.path.join(SSG, "ssg-debian11-xccdf.xml"), encoding="utf-8").read()
    text, n = re.subn(r'<xccdf-1\.2:platform idref="[^"]*"/>', "", text)
    if n == 0:
        sys.exit("ssg-debian11-xccdf.xml: no platform element found; the content changed")
    open(os.path.join(d, "ssg-debian11-xccdf.xml"), "w", encoding="utf-8").write(text)
    for f in ("ssg-debian11-oval.xml", "ssg-debian11-ocil.xml"):
        shutil.copy(os.path.join(SSG, f), d)
    return os.path.join(d, "ssg-debian11-xccdf.xml")


def oscap_eval(xccdf, root, out):
    env = dict(os.environ)
    if root != "/":
        env["OSCAP_PROBE_ROOT"] = root
    args = ["oscap", "xccdf", "eval", "--results", out]
    for rule, _, _ in PAIRS:
        args += ["--rule", RULE + rule]
    subprocess.run(args + [xccdf], capture_output=True, env=env, timeout=600)
    res = {}
    for rr in ET.parse(out).getroot().iter(X + "rule-result"):
        res[rr.get("idref")[len(RULE):]] = rr.find(X + "result").text
    return res


def main():
    if not shutil.which("oscap") or not os.path.exists(os.path.join(SSG, "ssg-debian11-xccdf.xml")):
        print("not ok - oscap or ssg-debian missing (scripts/setup-deps installs openscap-scanner and ssg-debian)")
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    xccdf = ssg_content(WORK)
    roots = [("this machine", "/")]
    if os.getuid() == 0:
        for h in HOSTS:
            dst = os.path.join(WORK, h)
            if subprocess.run([sys.executable, os.path.join(SRC, "tests/mkfixture.py"),
                               os.path.join(SRC, "tests/fixtures/hosts", h), dst], capture_output=True).returncode == 0:
                roots.append((h, dst))
            else:
                print(f"not ok - building the {h} fixture")
                return 1
    counts = {"agree": 0, "explained": 0, "failed": 0, "not compared": 0}
    print("| host | SSG rule | SSG | kvmaudit check | kvmaudit | verdict |")
    print("|---|---|---|---|---|---|")
    notes = []
    for name, root in roots:
        tag = re.sub(r"\W", "_", name)
        ssg = oscap_eval(xccdf, root, os.path.join(WORK, f"ssg-{tag}.xml"))
        args = ["scan", "-f", "json", "-o", os.path.join(WORK, f"kvmaudit-{tag}.json"), "-q"]
        if root != "/":
            args += ["--root", root, "--reproducible"]
        subprocess.run([K] + args, capture_output=True)
        report = json.load(open(os.path.join(WORK, f"kvmaudit-{tag}.json"), encoding="utf-8"))
        for rule, check, subject in PAIRS:
            rs = [r for r in report["results"] if r["id"] == check and (subject is None or r["subject"] == subject)]
            ours = rs[0]["status"] if len(rs) == 1 else "missing"
            observed = rs[0]["observed"] if len(rs) == 1 else ""
            theirs = ssg.get(rule, "missing")
            if theirs in ("notapplicable", "notchecked", "missing") or ours in ("skip", "missing"):
                verdict = "not compared"
                why = f"SSG {theirs}, kvmaudit {ours}" + (f": {observed}" if ours == "skip" else "")
            elif theirs == ours:
                verdict, why = "agree", None
            else:
                ctx = {"rule": rule, "root": root, "ssg": theirs, "ours": ours, "observed": observed,
                       "report": report}
                why = next((r for p, f in KNOWN if rule.startswith(p) for r in [f(ctx)] if r), None)
                verdict = "explained" if why else "failed"
            counts[verdict] += 1
            label = verdict if not why else f"{verdict} [{len(notes) + 1}]"
            if why:
                notes.append(why)
            print(f"| {name} | {rule} | {theirs} | {check}{' ' + subject if subject else ''} | {ours} | {label} |")
    print()
    for i, n in enumerate(notes, 1):
        print(f"[{i}] {n}")
    total = sum(counts.values())
    print(f"openscap agreement: {total} pairs, {counts['agree']} agree, {counts['explained']} explained, "
          f"{counts['not compared']} not compared, {counts['failed']} failed")
    return 1 if counts["failed"] or counts["agree"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
