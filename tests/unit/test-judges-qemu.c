/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The qemu checks that have a C judge, on fact tables (judge-harness.h):
 * qemu.conf's user, group and cgroup_device_acl, and the ids and
 * capabilities of each running QEMU process (/proc/PID/status). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge-harness.h"
#include "macro.h"

#define U1 "11111111-2222-4333-8444-555555555555"
/* A QEMU process PID of VM NAME/U1 with /proc/PID/status ids and capabilities. */
#define QSTATUS(pid, name, uid, gid, capeff, capprm)                                             \
        "process:" pid "/name=" name, "process:" pid "/uuid=" U1, "process:" pid "/uid=" uid,    \
        "process:" pid "/gid=" gid, "process:" pid "/capeff=" capeff, "process:" pid "/capprm=" capprm

static const JudgeCase cases[] = {
        /* qemu.user-not-root */
        {"qemu.user-not-root", "Debian's user and group", {"qemu.conf:user=libvirt-qemu", "qemu.conf:group=kvm"},
         {{"host", STATUS_PASS, "user = libvirt-qemu; group = kvm"}}},
        {"qemu.user-not-root", "build default", {"+qemu.conf"}, {{"host", STATUS_PASS, "user and group not set: build default"}}},
        {"qemu.user-not-root", "group only", {"qemu.conf:group=+107"},
         {{"host", STATUS_PASS, "user = (absent: build default); group = +107"}}},
        {"qemu.user-not-root", "root", {"qemu.conf:user=root", "qemu.conf:group=root"}, {{"host", STATUS_FAIL, "user = root; group = root"}}},
        {"qemu.user-not-root", "uid 0 by number", {"qemu.conf:user=+0", "-qemu.conf:group"}, {{"host", STATUS_FAIL, "user = +0"}}},
        {"qemu.user-not-root", "a list", {"qemu.conf:user[]=qemu|root"},
         {{"host", STATUS_FAIL, "user = [qemu, root]; group = (absent: build default) (a list is not a valid user or group)"}}},
        {"qemu.user-not-root", "qemu.conf unparsable",
         {"qemu.conf:user!=EBADMSG /etc/libvirt/qemu.conf:3: expected a value after '='",
          "qemu.conf:group!=EBADMSG /etc/libvirt/qemu.conf:3: expected a value after '='"},
         {{"host", STATUS_ERROR, "qemu.conf:3: expected a value"}}},

        /* qemu.cgroup-device-acl-default */
        {"qemu.cgroup-device-acl-default", "absent", {"+qemu.conf"}, {{"host", STATUS_PASS, "cgroup_device_acl absent: libvirt's defaults"}}},
        {"qemu.cgroup-device-acl-default", "the shipped list",
         {"qemu.conf:cgroup_device_acl[]=/dev/null|/dev/full|/dev/zero|/dev/random|/dev/urandom|/dev/ptmx|/dev/kvm|/dev/userfaultfd"},
         {{"host", STATUS_PASS, "cgroup_device_acl = [/dev/null, /dev/full, /dev/zero, /dev/random, /dev/urandom, /dev/ptmx, /dev/kvm, /dev/userfaultfd]: defaults only"}}},
        {"qemu.cgroup-device-acl-default", "a disk and the input devices added",
         {"qemu.conf:cgroup_device_acl[]=/dev/null|/dev/full|/dev/zero|/dev/kvm|/dev/sda|/dev/input/event0"},
         {{"/dev/sda", STATUS_FAIL, "cgroup_device_acl grants /dev/sda to every QEMU"},
          {"/dev/input/event0", STATUS_FAIL, "grants /dev/input/event0"}}},
        {"qemu.cgroup-device-acl-default", "a single string", {"qemu.conf:cgroup_device_acl=/dev/mem"},
         {{"/dev/mem", STATUS_FAIL, "cgroup_device_acl grants /dev/mem to every QEMU"}}},
        {"qemu.cgroup-device-acl-default", "qemu.conf unreadable",
         {"qemu.conf:cgroup_device_acl!=EACCES /etc/libvirt/qemu.conf: Permission denied"},
         {{"host", STATUS_ERROR, "Permission denied"}}},

        /* qemu.process-not-root */
        {"qemu.process-not-root", "libvirt-qemu",
         {"qemu:pids[]=3001", QSTATUS("3001", "vm1", "64055 64055 64055 64055", "64055 64055 64055 64055", "0000000000000000", "0000000000000000")},
         {{"process:vm1/" U1, STATUS_PASS, "pid 3001: process:3001/uids = 64055,64055,64055,64055; process:3001/gids = 64055,64055,64055,64055"}}},
        {"qemu.process-not-root", "root, and a saved root gid",
         {"qemu:pids[]=2003|2004", QSTATUS("2003", "manual", "0 0 0 0", "0 0 0 0", "000001ffffffffff", "000001ffffffffff"),
          "process:2004/name=vm2", "-process:2004/uuid", "process:2004/uid=107 107 107 107", "process:2004/gid=107 107 0 107"},
         {{"process:manual/" U1, STATUS_FAIL, "process:2003/uids offending (none-in): 0, 0, 0, 0"}, {"process:vm2", STATUS_FAIL, "process:2004/gids offending (none-in): 0"}}},
        {"qemu.process-not-root", "ids not recorded",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1, "-process:3001/uid", "-process:3001/gid"},
         {{"process:vm1/" U1, STATUS_ERROR, "process:3001/uid: no Uid: recorded"}}},
        {"qemu.process-not-root", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},

        /* qemu.process-no-capabilities */
        {"qemu.process-no-capabilities", "none",
         {"qemu:pids[]=3001", QSTATUS("3001", "vm1", "64055 64055 64055 64055", "64055 64055 64055 64055", "0000000000000000", "0000000000000000")},
         {{"process:vm1/" U1, STATUS_PASS, "process:3001/capeff-names = (empty); process:3001/capprm-names = (empty)"}}},
        {"qemu.process-no-capabilities", "full set, permitted only",
         {"qemu:pids[]=2003|3001", QSTATUS("2003", "manual", "0 0 0 0", "0 0 0 0", "000001ffffffffff", "000001ffffffffff"),
          "process:3001/name=vm1", "-process:3001/uuid", "process:3001/capeff=0000000000000000", "process:3001/capprm=0000000000003000"},
         {{"process:manual/" U1, STATUS_FAIL, "process:2003/capeff = 000001ffffffffff"}, {"process:vm1", STATUS_FAIL, "process:3001/capprm-names = cap_net_admin,cap_net_raw"}}},
        {"qemu.process-no-capabilities", "status gone",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1, "process:3001/capeff!=ESRCH /proc/3001/status: No such process"},
         {{"process:vm1/" U1, STATUS_ERROR, "No such process"}}},
        {"qemu.process-no-capabilities", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},

        /* qemu.listeners-loopback-only */
        {"qemu.listeners-loopback-only", "loopback VNC, IPv6 loopback",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1,
          "process:3001/cmdline[]=qemu-system-x86_64|-vnc|127.0.0.1:0",
          "process:3001/listeners[]=tcp 127.0.0.1:5900|tcp6 [::1]:5900"},
         {{"process:vm1/" U1, STATUS_PASS, "pid 3001: process:3001/listener-services = tcp 127.0.0.1:5900: VNC display 0,tcp6 [::1]:5900: VNC display 0"}}},
        {"qemu.listeners-loopback-only", "no listener",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1,
          "process:3001/cmdline[]=qemu-system-x86_64", "process:3001/listeners[]="},
         {{"process:vm1/" U1, STATUS_PASS, "pid 3001: process:3001/listener-services = (empty)"}}},
        {"qemu.listeners-loopback-only", "telnet serial, SPICE, monitor, migration range on the network",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1,
          "process:3001/cmdline[]=qemu-system-x86_64|-spice|port=5930,addr=0.0.0.0|-chardev|"
          "socket,id=charserial0,host=0.0.0.0,port=4555,telnet=on,server=on,wait=off|-monitor|tcp:0.0.0.0:4444,server",
          "process:3001/listeners[]=tcp 0.0.0.0:4444|tcp 0.0.0.0:4555|tcp 0.0.0.0:5930|tcp6 [::]:49152|tcp 10.0.0.5:7000"},
         {{"process:vm1/" U1, STATUS_FAIL,
           "process:3001/listener-services offending (each-match): tcp 0.0.0.0:4444 (all IPv4 addresses): QEMU monitor (-monitor): "
           "full control of the VM, tcp 0.0.0.0:4555 (all IPv4 addresses): telnet serial console (chardev "
           "charserial0), tcp 0.0.0.0:5930 (all IPv4 addresses): SPICE (plain), tcp6 [::]:49152 (all addresses): "
           "libvirt's migration port range, tcp 10.0.0.5:7000: not named on the command line"}}},
        {"qemu.listeners-loopback-only", "a listener no probe writes",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1,
          "process:3001/cmdline[]=qemu-system-x86_64", "process:3001/listeners[]=tcp 0.0.0.0"},
         {{"process:vm1/" U1, STATUS_ERROR, "process:3001/listeners: malformed listener \"tcp 0.0.0.0\""}}},
        {"qemu.listeners-loopback-only", "not recorded",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1, "-process:3001/listeners"},
         {{"process:vm1/" U1, STATUS_SKIP, "pid 3001: process:3001/listener-services (absent)"}}},
        {"qemu.listeners-loopback-only", "unreadable descriptors",
         {"qemu:pids[]=3001", "process:3001/name=vm1", "process:3001/uuid=" U1,
          "process:3001/listeners!=EACCES /proc/3001/fd: Permission denied"},
         {{"process:vm1/" U1, STATUS_ERROR, "/proc/3001/fd: Permission denied"}}},
        {"qemu.listeners-loopback-only", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},
};

JUDGE_MAIN(cases, "qemu")
