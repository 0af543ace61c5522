/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The libvirtd checks (one result per libvirt daemon whose configuration
 * is judged: libvirtd, virtqemud, virtproxyd), on fact tables
 * (judge-harness.h): the daemons' configuration files, their socket
 * units, LIBVIRTD_ARGS, SASL and the host's audit state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge-harness.h"
#include "macro.h"

#define LIBVIRTD "/etc/libvirt/libvirtd.conf"
#define VIRTQEMUD "/etc/libvirt/virtqemud.conf"
#define VIRTPROXYD "/etc/libvirt/virtproxyd.conf"

/* A monolithic libvirtd host (Debian 12's default): libvirtd.conf exists,
 * the modular daemons are not installed.  The row adds libvirtd.conf keys. */
#define MONOLITHIC                                                                               \
        "meta:libvirtd.conf=" LIBVIRTD, "+libvirtd.conf", "+virtqemud.conf", "+virtproxyd.conf", \
        "-stat:/usr/sbin/virtqemud", "-stat:/usr/sbin/virtproxyd"
/* libvirtd without socket activation (LIBVIRTD_ARGS read by the unit). */
#define NO_SOCKETS(args)                                                                        \
        "unit:libvirtd-tcp.socket=disabled", "unit:libvirtd-tls.socket=disabled",                \
        "unit:libvirtd.socket=disabled", "unit:libvirtd.args=" args
/* A modular host: virtqemud and virtproxyd installed, their files absent,
 * libvirtd not installed. */
#define MODULAR                                                                                   \
        "+libvirtd.conf", "+virtqemud.conf", "+virtproxyd.conf", "-stat:/usr/sbin/libvirtd",      \
        "stat:/usr/sbin/virtqemud@=reg 0755 0:0", "stat:/usr/sbin/virtproxyd@=reg 0755 0:0"
/* No libvirt at all. */
#define NO_LIBVIRT                                                                                 \
        "+libvirtd.conf", "+virtqemud.conf", "+virtproxyd.conf", "-stat:/usr/sbin/libvirtd",       \
        "-stat:/usr/sbin/virtqemud", "-stat:/usr/sbin/virtproxyd"
#define CONF_BROKEN "libvirtd.conf:audit_level!=EBADMSG " LIBVIRTD ":7: expected a value after '='", \
        "libvirtd.conf:listen_tcp!=EBADMSG " LIBVIRTD ":7: expected a value after '='", \
        "libvirtd.conf:auth_unix_rw!=EBADMSG " LIBVIRTD ":7: expected a value after '='", \
        "libvirtd.conf:unix_sock_admin_perms!=EBADMSG " LIBVIRTD ":7: expected a value after '='", \
        "libvirtd.conf:access_drivers!=EBADMSG " LIBVIRTD ":7: expected a value after '='", \
        "+virtqemud.conf", "+virtproxyd.conf", "-stat:/usr/sbin/virtqemud", "-stat:/usr/sbin/virtproxyd"

static const JudgeCase cases[] = {
        /* libvirtd.tcp-listener-off */
        {"libvirtd.tcp-listener-off", "listen_tcp off by default",
         {MONOLITHIC, NO_SOCKETS("--timeout 120")},
         {{LIBVIRTD, STATUS_PASS, "tcp-listener = off; daemonconf:libvirtd/tcp-listener-why = libvirtd-tcp.socket is "
                                  "disabled; listen_tcp = 0 (default); LIBVIRTD_ARGS without --listen"}}},
        {"libvirtd.tcp-listener-off", "listen_tcp = 1 with --listen",
         {MONOLITHIC, NO_SOCKETS("--listen"), "libvirtd.conf:listen_tcp=1"},
         {{LIBVIRTD, STATUS_FAIL, "daemonconf:libvirtd/tcp-listener = on (offending: fails eq off); daemonconf:libvirtd/tcp-listener-why = libvirtd-tcp.socket is disabled; listen_tcp = 1; LIBVIRTD_ARGS has --listen"}}},
        {"libvirtd.tcp-listener-off", "listen_tcp = 1 without --listen",
         {MONOLITHIC, NO_SOCKETS(""), "libvirtd.conf:listen_tcp=1"},
         {{LIBVIRTD, STATUS_PASS, "without --listen"}}},
        {"libvirtd.tcp-listener-off", "tcp socket unit enabled",
         {MONOLITHIC, "unit:libvirtd-tcp.socket=enabled"},
         {{LIBVIRTD, STATUS_FAIL, "daemonconf:libvirtd/tcp-listener = on (offending: fails eq off); daemonconf:libvirtd/tcp-listener-why = libvirtd-tcp.socket is enabled"}}},
        {"libvirtd.tcp-listener-off", "socket activation ignores listen_tcp",
         {MONOLITHIC, "unit:libvirtd-tcp.socket=disabled", "unit:libvirtd.socket=enabled", "libvirtd.conf:listen_tcp=1"},
         {{LIBVIRTD, STATUS_PASS, "socket activation via libvirtd.socket, so listen_tcp is ignored"}}},
        {"libvirtd.tcp-listener-off", "modular daemons: virtproxyd only, defaults",
         {MODULAR, "-unit:virtproxyd-tcp.socket", "unit:virtproxyd.socket=enabled"},
         {{VIRTPROXYD, STATUS_PASS, "virtproxyd-tcp.socket is not installed; socket activation via virtproxyd.socket"}}},
        {"libvirtd.tcp-listener-off", "no libvirt daemon", {NO_LIBVIRT},
         {{"host", STATUS_SKIP, "no libvirt daemon: none of /etc/libvirt/libvirtd.conf, /usr/sbin/libvirtd; "
                                "/etc/libvirt/virtproxyd.conf, /usr/sbin/virtproxyd exists"}}},
        {"libvirtd.tcp-listener-off", "libvirtd.conf unparsable", {CONF_BROKEN},
         {{LIBVIRTD, STATUS_ERROR, "libvirtd.conf:7: expected a value"}}},
        {"libvirtd.tcp-listener-off", "unit state unreadable",
         {MONOLITHIC, "unit:libvirtd-tcp.socket!=EACCES /etc/systemd/system/sockets.target.wants: Permission denied"},
         {{LIBVIRTD, STATUS_ERROR, "Permission denied"}}},

        /* libvirtd.tcp-auth-not-none */
        {"libvirtd.tcp-auth-not-none", "default sasl", {MONOLITHIC, NO_SOCKETS("--listen"), "libvirtd.conf:listen_tcp=1"},
         {{LIBVIRTD, STATUS_PASS, "daemonconf:libvirtd/auth_tcp (absent)"}}},
        {"libvirtd.tcp-auth-not-none", "auth_tcp none",
         {MONOLITHIC, NO_SOCKETS("--listen"), "libvirtd.conf:listen_tcp=1", "libvirtd.conf:auth_tcp=none"},
         {{LIBVIRTD, STATUS_FAIL, "auth_tcp = none"}}},
        {"libvirtd.tcp-auth-not-none", "auth_tcp polkit over the socket unit",
         {MONOLITHIC, "unit:libvirtd-tcp.socket=enabled", "libvirtd.conf:auth_tcp=polkit"},
         {{LIBVIRTD, STATUS_PASS, "auth_tcp = polkit"}}},
        {"libvirtd.tcp-auth-not-none", "no TCP listener", {MONOLITHIC, NO_SOCKETS("")},
         {{LIBVIRTD, STATUS_SKIP, "not applicable: daemonconf:libvirtd/tcp-listener = off"}}},
        {"libvirtd.tcp-auth-not-none", "no daemon", {NO_LIBVIRT}, {{"host", STATUS_SKIP, "no libvirt daemon"}}},
        {"libvirtd.tcp-auth-not-none", "file unparsable", {CONF_BROKEN}, {{LIBVIRTD, STATUS_ERROR, "expected a value"}}},

        /* libvirtd.tls-client-verified (libvirtd's listen_tls defaults to 1) */
        {"libvirtd.tls-client-verified", "verification on by default", {MONOLITHIC, NO_SOCKETS("--listen")},
         {{LIBVIRTD, STATUS_PASS, "tls_no_verify_certificate (absent); daemonconf:libvirtd/auth_tls (absent); daemonconf:libvirtd/tls-listener-why = libvirtd-tls.socket is disabled; listen_tls = 1 (default); LIBVIRTD_ARGS has --listen"}}},
        {"libvirtd.tls-client-verified", "verification off, no auth",
         {MONOLITHIC, NO_SOCKETS("--listen"), "libvirtd.conf:tls_no_verify_certificate=1"},
         {{LIBVIRTD, STATUS_FAIL, "daemonconf:libvirtd/tls_no_verify_certificate = 1 (offending: fails ne 1); daemonconf:libvirtd/auth_tls (absent) (offending: fails present); daemonconf:libvirtd/tls-listener-why = libvirtd-tls.socket is disabled; listen_tls = 1 (default); LIBVIRTD_ARGS has --listen; daemonconf:libvirtd/tls-listener = on"}}},
        {"libvirtd.tls-client-verified", "verification off, SASL",
         {MONOLITHIC, "unit:libvirtd-tls.socket=enabled", "libvirtd.conf:tls_no_verify_certificate=1",
          "libvirtd.conf:auth_tls=sasl"},
         {{LIBVIRTD, STATUS_PASS, "tls_no_verify_certificate = 1; daemonconf:libvirtd/auth_tls = sasl; daemonconf:libvirtd/tls-listener-why = libvirtd-tls.socket is enabled"}}},
        {"libvirtd.tls-client-verified", "not applicable: daemonconf:libvirtd/tls-listener = off", {MONOLITHIC, NO_SOCKETS("")},
         {{LIBVIRTD, STATUS_SKIP, "not applicable: daemonconf:libvirtd/tls-listener = off"}}},
        {"libvirtd.tls-client-verified", "virtproxyd: listen_tls defaults to 0",
         {MODULAR, "unit:virtproxyd-tls.socket=disabled", "unit:virtproxyd.socket=disabled"},
         {{VIRTPROXYD, STATUS_SKIP, "not applicable: daemonconf:virtproxyd/tls-listener = off"}}},
        {"libvirtd.tls-client-verified", "file unparsable", {CONF_BROKEN}, {{LIBVIRTD, STATUS_ERROR, "expected a value"}}},

        /* libvirtd.tls-allowed-dn-list */
        {"libvirtd.tls-allowed-dn-list", "list set",
         {MONOLITHIC, "unit:libvirtd-tls.socket=enabled",
          "libvirtd.conf:tls_allowed_dn_list[]=C=GB,ST=London,L=London,O=Example,CN=admin1|C=GB,O=Example,CN=admin2"},
         {{LIBVIRTD, STATUS_PASS, "tls_allowed_dn_list = "}}},
        {"libvirtd.tls-allowed-dn-list", "absent", {MONOLITHIC, "unit:libvirtd-tls.socket=enabled"},
         {{LIBVIRTD, STATUS_FAIL, "daemonconf:libvirtd/tls_allowed_dn_list (absent) (offending: fails nonempty); daemonconf:libvirtd/tls-listener-why = libvirtd-tls.socket is enabled; daemonconf:libvirtd/tls-listener = on"}}},
        {"libvirtd.tls-allowed-dn-list", "empty list", {MONOLITHIC, "unit:libvirtd-tls.socket=enabled",
                                                        "libvirtd.conf:tls_allowed_dn_list[]="},
         {{LIBVIRTD, STATUS_FAIL, "tls_allowed_dn_list = "}}},
        {"libvirtd.tls-allowed-dn-list", "not applicable: daemonconf:libvirtd/tls-listener = off", {MONOLITHIC, NO_SOCKETS("")},
         {{LIBVIRTD, STATUS_SKIP, "not applicable: daemonconf:libvirtd/tls-listener = off"}}},
        {"libvirtd.tls-allowed-dn-list", "LIBVIRTD_ARGS unreadable",
         {MONOLITHIC, "unit:libvirtd-tls.socket=disabled", "unit:libvirtd.socket=disabled",
          "unit:libvirtd.args!=EACCES /etc/default/libvirtd: Permission denied"},
         {{LIBVIRTD, STATUS_ERROR, "/etc/default/libvirtd: Permission denied"}}},

        /* libvirtd.sasl-mech-strong */
        {"libvirtd.sasl-mech-strong", "gssapi on TCP", {MONOLITHIC, NO_SOCKETS("--listen"), "libvirtd.conf:listen_tcp=1",
                                                        "libvirtd.conf:listen_tls=0", "sasl:libvirt.mech_list=gssapi"},
         {{LIBVIRTD, STATUS_PASS, "mech_list: gssapi (SASL on the TCP listener)"}}},
        {"libvirtd.sasl-mech-strong", "digest-md5 offered",
         {MONOLITHIC, NO_SOCKETS("--listen"), "libvirtd.conf:listen_tcp=1", "libvirtd.conf:auth_tcp=sasl",
          "sasl:libvirt.mech_list=digest-md5 scram-sha-256"},
         {{LIBVIRTD, STATUS_FAIL, "mech_list: digest-md5 scram-sha-256; weak: digest-md5"}}},
        {"libvirtd.sasl-mech-strong", "no mech_list",
         {MONOLITHIC, "unit:libvirtd-tcp.socket=disabled", "unit:libvirtd-tls.socket=enabled",
          "unit:libvirtd.socket=disabled", "unit:libvirtd.args=", "libvirtd.conf:auth_tls=sasl", "+sasl"},
         {{LIBVIRTD, STATUS_FAIL, "the TLS listener uses SASL; /etc/sasl2/libvirt.conf has no mech_list"}}},
        {"libvirtd.sasl-mech-strong", "no SASL listener", {MONOLITHIC, NO_SOCKETS("--listen"), "+sasl"},
         {{LIBVIRTD, STATUS_SKIP, "no active listener uses SASL: TCP off (auth_tcp = sasl (default)), TLS on (auth_tls = none (default))"}}},
        {"libvirtd.sasl-mech-strong", "SASL file unreadable",
         {MONOLITHIC, NO_SOCKETS("--listen"), "libvirtd.conf:listen_tcp=1",
          "sasl:libvirt.mech_list!=EACCES /etc/sasl2/libvirt.conf: Permission denied"},
         {{LIBVIRTD, STATUS_ERROR, "/etc/sasl2/libvirt.conf: Permission denied"}}},

        /* libvirtd.unix-rw-socket-restricted */
        {"libvirtd.unix-rw-socket-restricted", "polkit build by default",
         {MONOLITHIC, "stat:/usr/share/polkit-1/actions/org.libvirt.unix.policy@=reg 0644 0:0"},
         {{LIBVIRTD, STATUS_PASS, "auth_unix_rw = polkit (absent: default for a polkit build, org.libvirt.unix.policy is installed); unix_sock_rw_perms = 0777 (default with polkit)"}}},
        {"libvirtd.unix-rw-socket-restricted", "no polkit, default 0700",
         {MONOLITHIC, "-stat:/usr/share/polkit-1/actions/org.libvirt.unix.policy"},
         {{LIBVIRTD, STATUS_PASS, "auth_unix_rw = none (absent: default none, no org.libvirt.unix.policy shows a polkit build); unix_sock_rw_perms = 0700 (default without polkit)"}}},
        {"libvirtd.unix-rw-socket-restricted", "auth none, 0777",
         {MONOLITHIC, "libvirtd.conf:auth_unix_rw=none", "libvirtd.conf:unix_sock_rw_perms=0777"},
         {{LIBVIRTD, STATUS_FAIL, "unix_sock_rw_perms = 0777: every local user gets root-equivalent access"}}},
        {"libvirtd.unix-rw-socket-restricted", "auth none, group 0770",
         {MONOLITHIC, "libvirtd.conf:auth_unix_rw=none", "libvirtd.conf:unix_sock_rw_perms=0770",
          "libvirtd.conf:unix_sock_group=libvirt"},
         {{LIBVIRTD, STATUS_PASS, "unix_sock_rw_perms = 0770"}}},
        {"libvirtd.unix-rw-socket-restricted", "mode not octal",
         {MONOLITHIC, "libvirtd.conf:auth_unix_rw=none", "libvirtd.conf:unix_sock_rw_perms=rw-rw----"},
         {{LIBVIRTD, STATUS_ERROR, "unix_sock_rw_perms = rw-rw----: not an octal mode"}}},
        {"libvirtd.unix-rw-socket-restricted", "virtqemud defaults, libvirtd file",
         {"meta:libvirtd.conf=" LIBVIRTD, "+libvirtd.conf", "+virtqemud.conf", "+virtproxyd.conf",
          "stat:/usr/sbin/virtqemud@=reg 0755 0:0", "libvirtd.conf:auth_unix_rw=sasl",
          "stat:/usr/share/polkit-1/actions/org.libvirt.unix.policy@=reg 0644 0:0"},
         {{LIBVIRTD, STATUS_PASS, "auth_unix_rw = sasl"},
          {VIRTQEMUD, STATUS_PASS, "(file absent: libvirt's defaults apply)"}}},
        {"libvirtd.unix-rw-socket-restricted", "no daemon", {NO_LIBVIRT}, {{"host", STATUS_SKIP, "no libvirt daemon"}}},
        {"libvirtd.unix-rw-socket-restricted", "file unparsable", {CONF_BROKEN},
         {{LIBVIRTD, STATUS_ERROR, "expected a value"}}},

        /* libvirtd.admin-socket-restricted */
        {"libvirtd.admin-socket-restricted", "default", {MONOLITHIC},
         {{LIBVIRTD, STATUS_PASS, "unix_sock_admin_perms absent: default 0700"}}},
        {"libvirtd.admin-socket-restricted", "0700", {MONOLITHIC, "libvirtd.conf:unix_sock_admin_perms=0700"},
         {{LIBVIRTD, STATUS_PASS, "unix_sock_admin_perms = 0700"}}},
        {"libvirtd.admin-socket-restricted", "group access", {MONOLITHIC, "libvirtd.conf:unix_sock_admin_perms=0770"},
         {{LIBVIRTD, STATUS_FAIL, "unix_sock_admin_perms = 0770"}}},
        {"libvirtd.admin-socket-restricted", "not octal", {MONOLITHIC, "libvirtd.conf:unix_sock_admin_perms=0x1c0"},
         {{LIBVIRTD, STATUS_ERROR, "not an octal mode"}}},
        {"libvirtd.admin-socket-restricted", "modular, three daemons",
         {MODULAR, "-stat:/usr/sbin/libvirtd", "meta:virtqemud.conf=" VIRTQEMUD,
          "virtqemud.conf:unix_sock_admin_perms=0777"},
         {{VIRTQEMUD, STATUS_FAIL, "unix_sock_admin_perms = 0777"},
          {VIRTPROXYD, STATUS_PASS, "default 0700 (file absent: libvirt's defaults apply)"}}},
        {"libvirtd.admin-socket-restricted", "no daemon", {NO_LIBVIRT}, {{"host", STATUS_SKIP, "no libvirt daemon"}}},
        {"libvirtd.admin-socket-restricted", "binary stat refused",
         {"+libvirtd.conf", "+virtqemud.conf", "+virtproxyd.conf",
          "stat:/usr/sbin/libvirtd!=EACCES /usr/sbin/libvirtd: Permission denied", "-stat:/usr/sbin/virtqemud",
          "-stat:/usr/sbin/virtproxyd"},
         {{LIBVIRTD, STATUS_ERROR, "/usr/sbin/libvirtd: Permission denied"}}},

        /* libvirtd.socket-modes */
        {"libvirtd.socket-modes", "Debian's modes with polkit",
         {"stat:/run/libvirt/libvirt-sock@=sock 0666 0:0", "stat:/run/libvirt/libvirt-admin-sock@=sock 0700 0:0",
          "-stat:/run/libvirt/virtqemud-sock", "-stat:/run/libvirt/virtqemud-admin-sock", MONOLITHIC,
          "stat:/usr/share/polkit-1/actions/org.libvirt.unix.policy@=reg 0644 0:0"},
         {{"/run/libvirt/libvirt-sock", STATUS_PASS, "sock 0666 owner 0:0; libvirtd.conf auth_unix_rw = polkit"},
          {"/run/libvirt/libvirt-admin-sock", STATUS_PASS, "(admin socket: at most 0700)"}}},
        {"libvirtd.socket-modes", "world-writable without auth, open admin socket",
         {"stat:/run/libvirt/libvirt-sock@=sock 0777 0:0", "stat:/run/libvirt/libvirt-admin-sock@=sock 0770 0:114",
          "-stat:/run/libvirt/virtqemud-sock", "-stat:/run/libvirt/virtqemud-admin-sock", MONOLITHIC,
          "libvirtd.conf:auth_unix_rw=none"},
         {{"/run/libvirt/libvirt-sock", STATUS_FAIL, "sock 0777 owner 0:0; libvirtd.conf auth_unix_rw = none"},
          {"/run/libvirt/libvirt-admin-sock", STATUS_FAIL, "sock 0770 owner 0:114"}}},
        {"libvirtd.socket-modes", "offline root",
         {"stat:/run/libvirt/libvirt-sock!=ENOMEDIUM /run/libvirt/libvirt-sock: empty in an offline root: runtime state not available"},
         {{"host", STATUS_SKIP, "empty in an offline root"}}},
        {"libvirtd.socket-modes", "no socket",
         {"-stat:/run/libvirt/libvirt-sock", "-stat:/run/libvirt/libvirt-admin-sock",
          "-stat:/run/libvirt/virtqemud-sock", "-stat:/run/libvirt/virtqemud-admin-sock"},
         {{"host", STATUS_SKIP, "no libvirt socket in /run/libvirt"}}},
        {"libvirtd.socket-modes", "socket stat refused",
         {"-stat:/run/libvirt/libvirt-sock", "-stat:/run/libvirt/libvirt-admin-sock",
          "stat:/run/libvirt/virtqemud-sock!=EACCES /run/libvirt/virtqemud-sock: Permission denied",
          "-stat:/run/libvirt/virtqemud-admin-sock"},
         {{"/run/libvirt/virtqemud-sock", STATUS_ERROR, "Permission denied"}}},

        /* libvirtd.access-drivers-polkit */
        {"libvirtd.access-drivers-polkit", "polkit", {MONOLITHIC, "libvirtd.conf:access_drivers[]=polkit"},
         {{LIBVIRTD, STATUS_PASS, "access_drivers = "}}},
        {"libvirtd.access-drivers-polkit", "absent", {MONOLITHIC},
         {{LIBVIRTD, STATUS_FAIL, "daemonconf:libvirtd/access_drivers (absent) (offending: fails word polkit)"}}},
        {"libvirtd.access-drivers-polkit", "nop", {MONOLITHIC, "libvirtd.conf:access_drivers[]=nop"},
         {{LIBVIRTD, STATUS_FAIL, "access_drivers = "}}},
        {"libvirtd.access-drivers-polkit", "no daemon", {NO_LIBVIRT}, {{"host", STATUS_SKIP, "no libvirt daemon"}}},
        {"libvirtd.access-drivers-polkit", "file unparsable", {CONF_BROKEN}, {{LIBVIRTD, STATUS_ERROR, "expected a value"}}},

        /* libvirtd.audit-enabled */
        {"libvirtd.audit-enabled", "default level, auditd running",
         {MONOLITHIC, "kconfig:CONFIG_AUDIT=y", "-cmdline:audit", "unit:auditd.service=enabled",
          "-unit:systemd-journald-audit.socket"},
         {{LIBVIRTD, STATUS_PASS, "audit_level absent: default 1 (audit only when the host audits); host audit on (CONFIG_AUDIT = y, audit= (not given), auditd.service enabled, systemd-journald-audit.socket absent)"}}},
        {"libvirtd.audit-enabled", "default level, host audit off",
         {MONOLITHIC, "kconfig:CONFIG_AUDIT=y", "-cmdline:audit", "-unit:auditd.service",
          "unit:systemd-journald-audit.socket=disabled"},
         {{LIBVIRTD, STATUS_FAIL, "host audit off"}}},
        {"libvirtd.audit-enabled", "level 0", {MONOLITHIC, "libvirtd.conf:audit_level=0"},
         {{LIBVIRTD, STATUS_FAIL, "audit_level = 0"}}},
        {"libvirtd.audit-enabled", "level 2, audit=0",
         {MONOLITHIC, "libvirtd.conf:audit_level=2", "kconfig:CONFIG_AUDIT=y", "cmdline:audit=0",
          "unit:auditd.service=enabled", "-unit:systemd-journald-audit.socket"},
         {{LIBVIRTD, STATUS_PASS, "audit_level = 2; host audit off (CONFIG_AUDIT = y, audit= 0, auditd.service enabled, systemd-journald-audit.socket absent): libvirt refuses to start without it"}}},
        {"libvirtd.audit-enabled", "kernel config missing",
         {MONOLITHIC, "kconfig:CONFIG_AUDIT!=ENOPKG no kernel configuration found (/proc/config.gz, /boot/config-*)"},
         {{LIBVIRTD, STATUS_SKIP, "no kernel configuration found"}}},
        {"libvirtd.audit-enabled", "file unparsable", {CONF_BROKEN}, {{LIBVIRTD, STATUS_ERROR, "expected a value"}}},

        /* libvirtd.tls-key-private */
        {"libvirtd.tls-key-private", "root 0600 and QEMU's group 0640",
         {"stat:/etc/pki/libvirt/private/serverkey.pem@=reg 0600 0:0",
          "stat:/etc/pki/qemu/server-key.pem@=reg 0640 0:64055", "qemu.conf:group=libvirt-qemu",
          "group:libvirt-qemu=64055"},
         {{"/etc/pki/libvirt/private/serverkey.pem", STATUS_PASS, "reg 0600 owner 0:0"},
          {"/etc/pki/qemu/server-key.pem", STATUS_PASS, "reg 0640 owner 0:64055"}}},
        {"libvirtd.tls-key-private", "readable by another group, world, ACL",
         {"stat:/etc/pki/libvirt/private/serverkey.pem@=reg 0640 0:100",
          "stat:/etc/pki/qemu/server-key.pem@=reg 0644 0:0 acl=user:1000:r--,mask::r--", "+qemu.conf",
          "group:libvirt-qemu=64055"},
         {{"/etc/pki/libvirt/private/serverkey.pem", STATUS_FAIL, "group-readable by a group other than root"},
          {"/etc/pki/qemu/server-key.pem", STATUS_FAIL, "reg 0644 owner 0:0; named ACL entries grant more readers"}}},
        {"libvirtd.tls-key-private", "no key",
         {"-stat:/etc/pki/libvirt/private/serverkey.pem", "-stat:/etc/pki/qemu/server-key.pem"},
         {{"host", STATUS_SKIP, "no TLS server key"}}},
        {"libvirtd.tls-key-private", "stat refused",
         {"stat:/etc/pki/libvirt/private/serverkey.pem!=EACCES /etc/pki/libvirt/private: Permission denied",
          "-stat:/etc/pki/qemu/server-key.pem"},
         {{"/etc/pki/libvirt/private/serverkey.pem", STATUS_ERROR, "Permission denied"}}},
};

JUDGE_MAIN(cases, "libvirtd")
