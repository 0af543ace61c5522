#!/usr/bin/env bash
# Live test: boots a throwaway guest under the real libvirt of this machine
# (qemu:///system), scans the host, and compares kvmaudit's domain, seccomp and
# QEMU process verdicts with what virsh and /proc say about that guest.
#
# Usage: live-guest.sh KVMAUDIT SOURCE_ROOT WORK_DIR
# Exit: 0 all passed, 1 a test failed, 77 this machine cannot run a guest.
#
# Starts virtlogd and libvirtd when they are not running (no systemd needed)
# and leaves them running.  Gives /dev/kvm root:kvm 0660 when the QEMU group
# cannot open it.  Defines kvmaudit-live-$$ with known weaknesses (VNC on
# 0.0.0.0 without a password, <seclabel type='none'/>), and on exit destroys
# and undefines exactly that guest and removes its disk.  Falls back to TCG
# when a KVM guest does not start; KVMAUDIT_LIVE_TCG=1 forces TCG.
# ok and bad always succeed, so A && ok || bad is an if-then-else here.
# shellcheck disable=SC2015
set -u
if [ $# -ne 3 ]; then
        echo "usage: $0 KVMAUDIT SOURCE_ROOT WORK_DIR" >&2
        exit 2
fi
K=$1 SRC=$2 WORK=$3
URI=qemu:///system
PY=/usr/bin/python3
NAME=kvmaudit-live-$$
IMGDIR=/var/lib/libvirt/images
DISK=$IMGDIR/$NAME.qcow2
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
note() { echo "# $*"; }
skip() { echo "SKIP: $*"; exit 77; }
finish() {
        echo "$pass passed, $fail failed"
        [ "$fail" = 0 ] && exit 0 || exit 1
}
vsh() { timeout 60 virsh -q -c "$URI" "$@"; }

# --- can this machine run a guest at all? ----------------------------------
[ "$(id -u)" = 0 ] || skip "not root: defining a guest on qemu:///system and fixing /dev/kvm need root"
command -v libvirtd >/dev/null || skip "no libvirtd binary (install libvirt-daemon-system; see scripts/setup-deps)"
command -v virsh >/dev/null || skip "no virsh binary (install libvirt-clients)"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64 (install qemu-system-x86)"
command -v qemu-img >/dev/null || skip "no qemu-img (install qemu-utils)"
if [ ! -x "$PY" ]; then
        bad "$PY is missing: the assertions need it"
        finish
fi
[ -x "$K" ] || { bad "kvmaudit binary $K is not executable"; finish; }
mkdir -p "$WORK" || { bad "cannot create $WORK"; finish; }
rm -f "$WORK"/report.json "$WORK"/facts.json "$WORK"/test-report.json "$WORK"/test-facts.json \
        "$WORK"/dumpxml.xml "$WORK"/status "$WORK"/checks.txt

# --- daemons ---------------------------------------------------------------
running() { pgrep -x "$1" >/dev/null 2>&1; }
if running virtlogd; then
        note "virtlogd already running (pid $(pgrep -x virtlogd | tr '\n' ' '| sed 's/ $//')): left alone"
else
        if command -v virtlogd >/dev/null && virtlogd -d; then
                note "started virtlogd (pid $(pgrep -x virtlogd | tr '\n' ' ' | sed 's/ $//')); it is left running for later tests"
        else
                note "could not start virtlogd: guests with stdio_handler=logd will not start"
        fi
fi
if vsh version >/dev/null 2>&1; then
        note "libvirtd already answers on $URI: left alone"
else
        if running libvirtd; then
                note "libvirtd is running but not answering yet; waiting for it"
        else
                libvirtd -d || { bad "libvirtd -d failed"; finish; }
                note "started libvirtd (pid $(pgrep -x libvirtd | tr '\n' ' ' | sed 's/ $//')); it is left running for later tests"
        fi
        up=no
        for _ in $(seq 1 40); do
                if [ -S /run/libvirt/libvirt-sock ] && vsh version >/dev/null 2>&1; then up=yes; break; fi
                sleep 0.5
        done
        if [ $up != yes ]; then
                bad "libvirtd did not answer on $URI within 20 s"
                finish
        fi
fi
ok "libvirtd answers on $URI ($(vsh version 2>/dev/null | sed -n 's/^Running hypervisor: //p'))"

# --- /dev/kvm for the QEMU user ----------------------------------------------
usekvm=yes
if [ "${KVMAUDIT_LIVE_TCG:-}" = 1 ]; then
        usekvm=no
        note "KVMAUDIT_LIVE_TCG=1: the guest will run under TCG (type='qemu')"
elif [ ! -c /dev/kvm ]; then
        usekvm=no
        note "no /dev/kvm: the guest will run under TCG (type='qemu')"
else
        kvmgid=$(getent group kvm | cut -d: -f3)
        mode=$(stat -c %a /dev/kvm) gid=$(stat -c %g /dev/kvm) owner=$(stat -c %U:%G /dev/kvm)
        if [ -n "$kvmgid" ] && [ $((0$mode & 06)) != 6 ] \
                && { [ "$gid" != "$kvmgid" ] || [ $((0$mode & 060)) != 48 ]; }; then
                chown root:kvm /dev/kvm && chmod 0660 /dev/kvm \
                        && note "/dev/kvm was $owner $mode: changed to root:kvm 0660 so the QEMU user (group kvm) can open it" \
                        || note "could not change /dev/kvm ($owner $mode)"
        fi
fi

# --- leftovers of crashed runs ---------------------------------------------
for d in $(vsh list --all --name 2>/dev/null | grep '^kvmaudit-live-'); do
        p=${d#kvmaudit-live-}
        if [ "$p" != "$$" ] && [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -q 'live-guest\.sh'; then
                note "leaving $d alone: its run (pid $p) is still going"
                continue
        fi
        note "removing leftover guest $d"
        vsh destroy "$d" >/dev/null 2>&1
        vsh undefine "$d" >/dev/null 2>&1
        rm -f "$IMGDIR/$d.qcow2"
done
for f in "$IMGDIR"/kvmaudit-live-*.qcow2; do
        [ -e "$f" ] || continue
        d=$(basename "$f" .qcow2)
        vsh dominfo "$d" >/dev/null 2>&1 || { note "removing leftover disk $f"; rm -f "$f"; }
done

# --- the guest ------------------------------------------------------------
cleanup() {
        vsh destroy "$NAME" >/dev/null 2>&1
        vsh undefine "$NAME" >/dev/null 2>&1
        rm -f "$DISK"
        if vsh dominfo "$NAME" >/dev/null 2>&1; then
                echo "# WARNING: guest $NAME is still defined after cleanup"
        fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$IMGDIR"
if ! qemu-img create -q -f qcow2 "$DISK" 64M; then
        bad "qemu-img create $DISK"
        finish
fi

define() { # define TYPE
        cat >"$WORK/$NAME.xml" <<EOF
<domain type='$1'>
  <name>$NAME</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <emulator>$(command -v qemu-system-x86_64)</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$DISK'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <graphics type='vnc' listen='0.0.0.0' autoport='yes'/>
    <video><model type='vga'/></video>
  </devices>
  <seclabel type='none'/>
</domain>
EOF
        vsh define "$WORK/$NAME.xml" >/dev/null
}
start() { # start TYPE -> 0 when started
        vsh undefine "$NAME" >/dev/null 2>&1
        define "$1" || { note "virsh define (type $1) failed"; return 1; }
        vsh start "$NAME" >"$WORK/start.log" 2>&1 && return 0
        note "virsh start (type $1) failed: $(tr '\n' ' ' <"$WORK/start.log")"
        return 1
}
virttype=
if [ $usekvm = yes ] && start kvm; then
        virttype=kvm
        note "guest $NAME started with KVM (type='kvm')"
elif start qemu; then
        virttype=qemu
        if [ $usekvm = yes ]; then
                note "the KVM guest did not start: fell back to TCG (type='qemu'), guest $NAME started"
        else
                note "guest $NAME started with TCG (type='qemu')"
        fi
else
        bad "guest $NAME did not start with KVM nor with TCG"
        finish
fi
ok "guest $NAME defined and started (type $virttype)"

pid='' state=''
for _ in $(seq 1 60); do
        state=$(vsh domstate "$NAME" 2>/dev/null | head -n1)
        pf=/run/libvirt/qemu/$NAME.pid
        if [ "$state" = running ] && [ -s "$pf" ]; then
                pid=$(tr -dc 0-9 <"$pf")
                [ -n "$pid" ] && [ -d "/proc/$pid" ] && break
                pid=
        fi
        sleep 0.5
done
if [ -z "$pid" ]; then
        bad "guest $NAME not running with a QEMU pid within 30 s (state '$state')"
        finish
fi
ok "guest $NAME is running, QEMU pid $pid"
grep -E '^(Uid|Gid|CapPrm|CapEff|NoNewPrivs|Seccomp):' "/proc/$pid/status" >"$WORK/status"
sed 's/^/#   /' "$WORK/status"
vsh dumpxml "$NAME" >"$WORK/dumpxml.xml" || bad "virsh dumpxml $NAME"

# --- kvmaudit ---------------------------------------------------------------
"$K" checks >"$WORK/checks.txt" 2>&1
"$K" scan --format json --output "$WORK/report.json"; rc=$?
{ [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && ok "kvmaudit scan ran (exit $rc)" || bad "kvmaudit scan exited $rc"
"$K" collect >"$WORK/facts.json"; rc=$?
[ "$rc" = 0 ] && ok "kvmaudit collect ran" || bad "kvmaudit collect exited $rc"
"$K" scan --connect test:///default --format json --output "$WORK/test-report.json"; rc=$?
{ [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && ok "kvmaudit scan --connect test:///default ran (exit $rc)" \
        || bad "kvmaudit scan --connect test:///default exited $rc"
"$K" collect --connect test:///default >"$WORK/test-facts.json"; rc=$?
[ "$rc" = 0 ] && ok "kvmaudit collect --connect test:///default ran" || bad "kvmaudit collect --connect test:///default exited $rc"

for f in report test-report; do
        "$PY" "$SRC/tests/validate-json.py" "$SRC/report/schema/report.schema.json" "$WORK/$f.json" >/dev/null \
                && ok "$f.json validates against report.schema.json" \
                || bad "$f.json does not validate: $("$PY" "$SRC/tests/validate-json.py" "$SRC/report/schema/report.schema.json" "$WORK/$f.json" 2>&1 | head -n3 | tr '\n' ' ')"
done
"$PY" "$SRC/tests/validate-json.py" "$SRC/report/schema/facts.schema.json" "$WORK/facts.json" >/dev/null \
        && ok "facts.json validates against facts.schema.json" \
        || bad "facts.json does not validate: $("$PY" "$SRC/tests/validate-json.py" "$SRC/report/schema/facts.schema.json" "$WORK/facts.json" 2>&1 | head -n3 | tr '\n' ' ')"

# The guest must still be the one we measured.
[ "$(vsh domstate "$NAME" 2>/dev/null | head -n1)" = running ] && [ -d "/proc/$pid" ] \
        || bad "guest $NAME stopped during the scan"

out=$("$PY" - "$WORK" "$NAME" "$pid" <<'EOT'
import json, os, re, subprocess, sys
import xml.etree.ElementTree as ET

work, name, pid = sys.argv[1], sys.argv[2], sys.argv[3]
lines = []
missing_ids = []


def ok(msg):
    lines.append("ok - " + msg)


def bad(msg):
    lines.append("not ok - " + msg)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        bad("%s is not readable JSON: %s" % (os.path.basename(path), e))
        return None


catalogue = set()
try:
    with open(os.path.join(work, "checks.txt")) as f:
        for ln in f:
            m = re.match(r"^([a-z]+\.[a-z0-9-]+)\s", ln)
            if m:
                catalogue.add(m.group(1))
except OSError:
    pass

status = {}
with open(os.path.join(work, "status")) as f:
    for ln in f:
        k, _, v = ln.partition(":")
        status[k] = v.split()

report = load(os.path.join(work, "report.json"))
facts = load(os.path.join(work, "facts.json"))
treport = load(os.path.join(work, "test-report.json"))
tfacts = load(os.path.join(work, "test-facts.json"))
results = (report or {}).get("results", []) or []
present_ids = {r.get("id") for r in results}


def find(cid, subject, res=None):
    """The result of CID for SUBJECT, or None; records why it is missing."""
    res = results if res is None else res
    for r in res:
        if r.get("id") == cid and r.get("subject") == subject:
            return r
    return None


def why_missing(cid, subject, res=None):
    res = results if res is None else res
    if cid not in {r.get("id") for r in res}:
        missing_ids.append(cid)
        where = "listed by 'kvmaudit checks'" if cid in catalogue else \
            "not in this build's catalogue ('kvmaudit checks' does not list it)"
        return "%s is missing from the report (%s)" % (cid, where)
    subs = sorted({r.get("subject") for r in res if r.get("id") == cid})
    return "%s has no result for %s (subjects: %s)" % (cid, subject, ", ".join(map(str, subs)) or "none")


def expect(cid, subject, want, why):
    r = find(cid, subject)
    if r is None:
        bad("%s [%s] should be %s (%s): %s" % (cid, subject, want, why, why_missing(cid, subject)))
        return None
    got = r.get("status")
    msg = "%s [%s] is %s (%s)" % (cid, subject, got, why)
    if got == want:
        ok(msg)
    else:
        bad("%s [%s] is %s, expected %s (%s); observed: %s" % (cid, subject, got, want, why, r.get("observed")))
    return r


# --- the domain ---
dom = "domain:" + name
listen = None
try:
    x = ET.parse(os.path.join(work, "dumpxml.xml")).getroot()
    g = x.find("./devices/graphics[@type='vnc']")
    if g is not None:
        listen = g.get("listen")
        la = g.find("./listen[@type='address']")
        if la is not None and la.get("address"):
            listen = la.get("address")
except (OSError, ET.ParseError) as e:
    bad("virsh dumpxml output unreadable: %s" % e)
if listen:
    ok("virsh dumpxml: VNC listens on %s" % listen)
else:
    bad("virsh dumpxml shows no VNC listen address")

r = expect("domain.graphics-loopback-only", dom, "fail", "VNC listen=%s" % listen)
if r is not None and listen:
    obs = str(r.get("observed") or "")
    if listen in obs:
        ok("domain.graphics-loopback-only evidence names the listen address %s: %s" % (listen, obs))
    else:
        bad("domain.graphics-loopback-only evidence does not name %s (dumpxml): observed %r" % (listen, obs))
expect("domain.graphics-authenticated", dom, "fail", "VNC on %s without passwd, qemu.conf has no vnc auth" % listen)
r = expect("domain.seclabel-confined", dom, "fail", "<seclabel type='none'/>")
if r is not None and r.get("status") != "fail" and "model='none'" in str(r.get("observed")):
    lines.append("# note: with no SELinux/AppArmor, libvirt stores <seclabel type='none'/> as model='none',"
                 " which CHECKS.md 2.11 does not list among the failing models")

# --- the QEMU process: named by its VM (name/UUID), the PID is evidence ---
uuid = subprocess.run(["virsh", "-c", "qemu:///system", "domuuid", name], capture_output=True,
                      text=True).stdout.strip()
proc = "process:%s/%s" % (name, uuid)
r = find("seccomp.process-filter-active", proc)
if r is not None:
    (ok if str(r.get("observed", "")).startswith("pid %s:" % pid) else bad)(
        "%s names the VM, its evidence the pid %s: %r" % (proc, pid, str(r.get("observed"))[:80]))
sc = (status.get("Seccomp") or ["?"])[0]
expect("seccomp.process-filter-active", proc, "pass" if sc == "2" else "fail", "/proc/%s/status Seccomp: %s" % (pid, sc))
uids, gids = status.get("Uid", []), status.get("Gid", [])
root = "0" in uids or "0" in gids
expect("qemu.process-not-root", proc, "fail" if root else "pass",
       "Uid: %s, Gid: %s" % (" ".join(uids), " ".join(gids)))
ce, cp = (status.get("CapEff") or ["?"])[0], (status.get("CapPrm") or ["?"])[0]
nocaps = int(ce, 16) == 0 and int(cp, 16) == 0 if ce != "?" and cp != "?" else False
expect("qemu.process-no-capabilities", proc, "pass" if nocaps else "fail", "CapEff %s, CapPrm %s" % (ce, cp))
nnp = (status.get("NoNewPrivs") or ["?"])[0]
expect("seccomp.process-no-new-privs", proc, "pass" if nnp == "1" else "fail", "NoNewPrivs: %s" % nnp)

# --- only QEMU processes are process subjects ---
def describe(p):
    """(is_qemu, text) for PID p, from /proc (exe, else argv[0])."""
    try:
        exe = os.readlink("/proc/%s/exe" % p)
    except OSError:
        exe = None
    try:
        with open("/proc/%s/cmdline" % p, "rb") as f:
            argv0 = f.read().split(b"\0")[0].decode(errors="replace")
    except OSError:
        argv0 = None
    if exe is None and argv0 is None:
        return True, "gone"  # exited since the scan: cannot judge
    base = os.path.basename((exe or argv0 or "").replace(" (deleted)", ""))
    return bool(re.match(r"^(qemu-system-|qemu-kvm$)", base)), exe or argv0


# a process subject names its VM; the evidence starts with "pid N:"
procsubj = sorted({m.group(1) for r in results if str(r.get("subject", "")).startswith("process:")
                   for m in [re.match(r"pid ([0-9]+):", str(r.get("observed", "")))] if m}, key=int)
notqemu = [(p, describe(p)[1]) for p in procsubj if not describe(p)[0]]
if notqemu:
    bad("report has process:PID results for processes that are not QEMU: %s" %
        ", ".join("%s (%s)" % t for t in notqemu))
elif procsubj:
    ok("every process:PID subject in the report is a QEMU process (%s)" % ", ".join(procsubj))
if facts is not None:
    fpids = [str(p) for p in (facts.get("facts", {}).get("qemu:pids") or [])]
    notqemu = [(p, describe(p)[1]) for p in fpids if not describe(p)[0]]
    if notqemu:
        bad("facts: qemu:pids lists processes that are not QEMU: %s" % ", ".join("%s (%s)" % t for t in notqemu))
    else:
        ok("facts: every pid in qemu:pids is a QEMU process (%s)" % ", ".join(fpids))

# --- facts ---
if facts is not None:
    ff = facts.get("facts", {})
    v = ff.get(dom)
    if isinstance(v, str) and ("<name>%s</name>" % name) in v:
        ok("facts: %s holds the domain XML" % dom)
    else:
        bad("facts: %s is %r, expected the domain XML" % (dom, (v[:80] if isinstance(v, str) else v)))
    doms = ff.get("libvirt:domains")
    if isinstance(doms, list) and name in doms:
        ok("facts: libvirt:domains lists %s (source %s)" % (name, ff.get("libvirt:source")))
    else:
        bad("facts: libvirt:domains = %r does not list %s (source %r)" % (doms, name, ff.get("libvirt:source")))
    st = ff.get("domainstate:" + name)
    (ok if st == "running" else bad)("facts: domainstate:%s = %r (virsh: running)" % (name, st))
    pids = ff.get("qemu:pids")
    if isinstance(pids, list) and pid in [str(p) for p in pids]:
        ok("facts: qemu:pids contains %s" % pid)
    else:
        bad("facts: qemu:pids = %r does not contain %s" % (pids, pid))
    v = ff.get("process:%s/uid" % pid)
    got = [str(t) for t in v] if isinstance(v, list) else re.split(r"[\s,]+", str(v).strip()) if v is not None else None
    if got == uids:
        ok("facts: process:%s/uid = %r matches /proc Uid %s" % (pid, v, " ".join(uids)))
    else:
        bad("facts: process:%s/uid = %r, /proc/%s/status Uid: %s" % (pid, v, pid, " ".join(uids)))
    v = ff.get("process:%s/name" % pid)
    (ok if v == name else bad)("facts: process:%s/name = %r (guest %s)" % (pid, v, name))

# --- test:///default ---
if treport is not None:
    tres = treport.get("results", []) or []
    subs = [r for r in tres if r.get("subject") == "domain:test"]
    if subs:
        ok("test:///default scan reports domain:test (%d results: %s)" %
           (len(subs), ", ".join(sorted("%s=%s" % (r["id"], r["status"]) for r in subs))))
    else:
        dom_ids = sorted({r.get("id") for r in tres if r.get("id", "").startswith("domain.")})
        bad("test:///default scan has no result for subject domain:test (domain.* ids in report: %s)"
            % (", ".join(dom_ids) or "none"))
if tfacts is not None:
    tf = tfacts.get("facts", {})
    v = tf.get("domain:test")
    (ok if isinstance(v, str) and "<name>test</name>" in v else bad)(
        "test:///default facts: domain:test holds the domain XML (libvirt:domains = %r)" % tf.get("libvirt:domains"))

for ln in lines:
    print(ln)
if missing_ids:
    print("# ids missing from the report: " + ", ".join(sorted(set(missing_ids))))
EOT
)
rc=$?
[ -n "$out" ] && echo "$out"
[ "$rc" = 0 ] || bad "the python assertions crashed (exit $rc)"
pass=$((pass + $(grep -c '^ok - ' <<<"$out")))
fail=$((fail + $(grep -c '^not ok - ' <<<"$out")))
finish
