"""A throwaway libvirt guest for the live tests of issue 16: a transient
TCG domain with no disk, no network and 64 MiB (virsh create), destroyed
by stop().  start() returns None when there is no virsh or no
qemu:///system to talk to."""
import os
import shutil
import subprocess
import tempfile
import time

XML = """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>%s</emulator><memballoon model='none'/></devices>
</domain>
"""


def start(tag):
    virsh, qemu = shutil.which("virsh"), shutil.which("qemu-system-x86_64")
    if not virsh or not qemu:
        return None
    name = "kvmaudit-test-%s-%d" % (tag, os.getpid())
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
        f.write(XML % (name, qemu))
        path = f.name
    try:
        r = subprocess.run([virsh, "-c", "qemu:///system", "create", path], capture_output=True, text=True,
                           timeout=120)
    finally:
        os.unlink(path)
    if r.returncode != 0:
        return None
    for _ in range(100):
        if os.path.exists("/run/libvirt/qemu/%s.pid" % name):
            break
        time.sleep(0.05)
    return name


def pid(name):
    try:
        with open("/run/libvirt/qemu/%s.pid" % name) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def stop(name):
    if name:
        subprocess.run(["virsh", "-c", "qemu:///system", "destroy", name], capture_output=True, timeout=120)
