/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judges of the qemu and libvirtd categories: the QEMU user and cgroup
 * device ACL, and the daemons' authentication, sockets, audit and TLS keys.
 */
#include "check-eval-virt.h"

/* ------------------------------------------------------------------ */
/* Seccomp and the QEMU processes                                     */

/* ------------------------------------------------------------------ */
/* qemu.conf                                                          */

static bool
is_root_id(const char *v)
{
        return streq(v, "root") || streq(v, "0") || streq(v, "+0");
}

int
judge_qemu_user_not_root(const JudgeCall *call, Verdict *ret)
{
        const Fact *user = judge_fact(call, "qemu.conf:user"), *group = judge_fact(call, "qemu.conf:group");
        _cleanup_free_ char *u = NULL, *g = NULL;

        if (verdict_unusable(ret, user) || verdict_unusable(ret, group))
                return 0;
        if (user->kind == FACT_ABSENT && group->kind == FACT_ABSENT)
                return verdict_set(ret, STATUS_PASS,
                                   "user and group not set: build default (non-root on Debian, Ubuntu, Fedora, RHEL, "
                                   "SUSE; root on unlisted distributions; see qemu.process-not-root)");
        u = user->kind == FACT_ABSENT ? strdup("(absent: build default)") : fact_value_text(user);
        g = group->kind == FACT_ABSENT ? strdup("(absent: build default)") : fact_value_text(group);
        if (!u || !g)
                return -ENOMEM;
        bool root = (user->kind == FACT_STRING && is_root_id(user->string)) ||
                    (group->kind == FACT_STRING && is_root_id(group->string));
        bool odd = user->kind == FACT_LIST || group->kind == FACT_LIST;
        return verdict_set(ret, root || odd ? STATUS_FAIL : STATUS_PASS, "user = %s; group = %s%s", u, g,
                           odd ? " (a list is not a valid user or group)" : "");
}

/* libvirt 11.x qemu.conf.in defaults, plus the historic ones. */
static const char *const cgroup_acl_defaults[] = {
        "/dev/null", "/dev/full", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/ptmx", "/dev/kvm",
        "/dev/userfaultfd", "/dev/rtc", "/dev/hpet", "/dev/kqemu", "/dev/vfio/vfio",
};

int
eval_cgroup_device_acl(EvalContext *ctx)
{
        const Fact *acl = get(ctx, "qemu.conf:cgroup_device_acl");
        char *single[2] = {};
        char *const *entries;
        unsigned extra = 0;
        int r;

        RETURN_IF_UNUSABLE(ctx, "host", acl);
        if (acl->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_PASS, "host", "cgroup_device_acl absent: libvirt's defaults", NULL);
        if (acl->kind == FACT_LIST)
                entries = acl->list;
        else {
                single[0] = acl->string;
                entries = single;
        }
        for (size_t i = 0; entries[i]; i++) {
                bool dflt = false;

                for (size_t j = 0; j < ELEMENTSOF(cgroup_acl_defaults) && !dflt; j++)
                        dflt = streq(entries[i], cgroup_acl_defaults[j]);
                if (dflt)
                        continue;
                extra++;
                r = eval_emitf(ctx, STATUS_FAIL, entries[i], "cgroup_device_acl grants %s to every QEMU", entries[i]);
                if (r < 0)
                        return r;
        }
        if (extra == 0) {
                _cleanup_free_ char *v = fact_value_text(acl);
                return v ? eval_emitf(ctx, STATUS_PASS, "host", "cgroup_device_acl = %s: defaults only", v) : -ENOMEM;
        }
        return 0;
}

/* ------------------------------------------------------------------ */
/* The libvirt daemons: judges of one daemon each (scope daemon; the
 * engine iterates the daemons of "param = daemons" and reads their
 * configuration as daemonconf:@/KEY, probe-daemonconf.c).             */

/* " (file absent: defaults)" for evidence. */
static const char *
defaults_note(const JudgeCall *call)
{
        return judge_fact(call, "daemonconf:@/file")->kind == FACT_STRING ? ""
                                                                          : " (file absent: libvirt's defaults apply)";
}

/*
 * The listener's state (daemonconf:@/tcp-listener or tls-listener and its
 * -why).  Returns true with *ret_on and *ret_why, or false when the state
 * could not be read (the verdict then says why).
 */
static bool
listener(const JudgeCall *call, Verdict *v, bool tls, bool *ret_on, const char **ret_why)
{
        const Fact *on = judge_fact(call, tls ? "daemonconf:@/tls-listener" : "daemonconf:@/tcp-listener"),
                   *why = judge_fact(call, tls ? "daemonconf:@/tls-listener-why" : "daemonconf:@/tcp-listener-why");

        if (verdict_unusable(v, on) || verdict_unusable(v, why))
                return false;
        *ret_on = fact_is(on, "on");
        *ret_why = fact_text_or(why);
        return true;
}

static bool
sasl_mech_strong(const char *m)
{
        return strcasecmp(m, "gssapi") == 0 || strcasecmp(m, "scram-sha-256") == 0 ||
               strcasecmp(m, "scram-sha-512") == 0;
}

int
judge_libvirtd_sasl_mech_strong(const JudgeCall *call, Verdict *v)
{
        const Fact *auth_tcp = judge_fact(call, "daemonconf:@/auth_tcp"), *auth_tls = judge_fact(call, "daemonconf:@/auth_tls"),
                   *mech;
        const char *tcp_why, *tls_why;
        bool tcp_on, tls_on;
        StrBuf weak = {};

        if (!listener(call, v, false, &tcp_on, &tcp_why) || !listener(call, v, true, &tls_on, &tls_why))
                return 0;
        if (verdict_unusable(v, auth_tcp) || verdict_unusable(v, auth_tls))
                return 0;
        bool tcp_sasl = tcp_on && (auth_tcp->kind == FACT_ABSENT || fact_is(auth_tcp, "sasl"));
        bool tls_sasl = tls_on && fact_is(auth_tls, "sasl");
        if (!tcp_sasl && !tls_sasl)
                return verdict_set(v, STATUS_SKIP, "no active listener uses SASL: TCP %s (auth_tcp = %s), TLS %s (auth_tls = %s)",
                                   tcp_on ? "on" : "off",
                                   auth_tcp->kind == FACT_ABSENT ? "sasl (default)" : fact_text_or(auth_tcp),
                                   tls_on ? "on" : "off",
                                   auth_tls->kind == FACT_ABSENT ? "none (default)" : fact_text_or(auth_tls));
        mech = judge_fact(call, "sasl:libvirt.mech_list");
        if (verdict_unusable(v, mech))
                return 0;
        if (mech->kind != FACT_STRING)
                return verdict_set(v, STATUS_FAIL,
                                   "%s uses SASL; /etc/sasl2/libvirt.conf has no mech_list: every installed mechanism is offered",
                                   tcp_sasl ? "the TCP listener" : "the TLS listener");
        unsigned n = 0;
        for (const char *p = mech->string; *p;) {
                size_t len;

                p += strspn(p, " \t,");
                len = strcspn(p, " \t,");
                if (len == 0)
                        break;
                _cleanup_free_ char *m = strndup(p, len);
                if (!m) {
                        strbuf_done(&weak);
                        return -ENOMEM;
                }
                n++;
                if (!sasl_mech_strong(m))
                        strbuf_printf(&weak, "%s%s", weak.len ? ", " : "", m);
                p += len;
        }
        _cleanup_free_ char *w = strbuf_steal(&weak);
        if (!w)
                return -ENOMEM;
        if (n == 0)
                return verdict_set(v, STATUS_FAIL, "mech_list is empty");
        if (*w)
                return verdict_set(v, STATUS_FAIL, "mech_list: %s; weak: %s", mech->string, w);
        return verdict_set(v, STATUS_PASS, "mech_list: %s (SASL on the %s listener)", mech->string,
                           tcp_sasl && tls_sasl ? "TCP and TLS" : tcp_sasl ? "TCP" : "TLS");
}

static bool
auth_restricts(const char *auth)
{
        return streq(auth, "polkit") || streq(auth, "sasl");
}

/* " (absent: default ...)" after an effective auth_unix_rw. */
static const char *
auth_how(const Fact *why)
{
        return why->kind == FACT_STRING && startswith(why->string, "absent") ? why->string : NULL;
}

int
judge_libvirtd_unix_rw_socket_restricted(const JudgeCall *call, Verdict *v)
{
        const Fact *auth = judge_fact(call, "daemonconf:@/auth-unix-rw"), *why = judge_fact(call, "daemonconf:@/auth-unix-rw-why"),
                   *perms;
        mode_t mode;

        if (verdict_unusable(v, auth) || verdict_unusable(v, why))
                return 0;
        const char *how = auth_how(why), *a = fact_text_or(auth);
        perms = judge_fact(call, "daemonconf:@/unix_sock_rw_perms");
        if (verdict_unusable(v, perms))
                return 0;
        if (auth_restricts(a))
                return verdict_set(v, STATUS_PASS, "auth_unix_rw = %s%s%s%s; unix_sock_rw_perms = %s%s", a,
                                   how ? " (" : "", how ? how : "", how ? ")" : "",
                                   perms->kind == FACT_ABSENT ? "0777 (default with polkit)" : fact_text_or(perms),
                                   defaults_note(call));
        if (perms->kind == FACT_ABSENT)
                mode = 0700;
        else if (perms->kind != FACT_STRING || parse_mode(perms->string, &mode) < 0)
                return verdict_set(v, STATUS_ERROR, "unix_sock_rw_perms = %s: not an octal mode", fact_text_or(perms));
        return verdict_set(v, mode & 0007 ? STATUS_FAIL : STATUS_PASS, "auth_unix_rw = %s%s%s%s; unix_sock_rw_perms = %s%s",
                           a, how ? " (" : "", how ? how : "", how ? ")" : "",
                           perms->kind == FACT_ABSENT ? "0700 (default without polkit)" : perms->string,
                           mode & 0007 ? ": every local user gets root-equivalent access" : "");
}

int
judge_libvirtd_admin_socket_restricted(const JudgeCall *call, Verdict *v)
{
        const Fact *perms = judge_fact(call, "daemonconf:@/unix_sock_admin_perms");
        mode_t mode;

        if (verdict_unusable(v, perms))
                return 0;
        if (perms->kind == FACT_ABSENT)
                return verdict_set(v, STATUS_PASS, "unix_sock_admin_perms absent: default 0700%s", defaults_note(call));
        if (perms->kind != FACT_STRING || parse_mode(perms->string, &mode) < 0)
                return verdict_set(v, STATUS_ERROR, "unix_sock_admin_perms = %s: not an octal mode", fact_text_or(perms));
        return verdict_set(v, mode & ~(mode_t) 0700 ? STATUS_FAIL : STATUS_PASS, "unix_sock_admin_perms = %s",
                           perms->string);
}

/*
 * Whether the host's audit trail is on: the kernel built with CONFIG_AUDIT,
 * not booted with audit=0, and enabled (audit=1, or a daemon that enables
 * it at start: auditd, or journald through systemd-journald-audit.socket;
 * kernel/audit.c starts with audit_default = AUDIT_OFF otherwise).  Fills
 * *ret_why with the evidence either way; false when a fact is unusable
 * (the verdict says so).
 */
static bool
host_audit_on(const JudgeCall *call, Verdict *v, bool *ret_on, char **ret_why)
{
        const Fact *cfg = judge_fact(call, "kconfig:CONFIG_AUDIT"), *cmd = judge_fact(call, "cmdline:audit"),
                   *auditd = judge_fact(call, "unit:auditd.service"),
                   *jd = judge_fact(call, "unit:systemd-journald-audit.socket");

        if (verdict_unusable(v, cfg) || verdict_unusable(v, cmd) || verdict_unusable(v, auditd) ||
            verdict_unusable(v, jd))
                return false;
        *ret_on = fact_is(cfg, "y") && !fact_is(cmd, "0") &&
                  (fact_is(cmd, "1") || fact_is(auditd, "enabled") || fact_is(jd, "enabled"));
        *ret_why = xasprintf("CONFIG_AUDIT = %s, audit= %s, auditd.service %s, systemd-journald-audit.socket %s",
                             fact_text_or(cfg), cmd->kind == FACT_STRING ? cmd->string : "(not given)",
                             auditd->kind == FACT_STRING ? auditd->string : "absent",
                             jd->kind == FACT_STRING ? jd->string : "absent");
        return true;
}

int
judge_libvirtd_audit_enabled(const JudgeCall *call, Verdict *v)
{
        const Fact *lvl = judge_fact(call, "daemonconf:@/audit_level");
        _cleanup_free_ char *why = NULL;
        bool on = false;

        if (verdict_unusable(v, lvl))
                return 0;
        if (fact_is(lvl, "0"))
                return verdict_set(v, STATUS_FAIL, "audit_level = 0");
        /* Level 1 (the default) audits only when the host does
         * (libvirtd.conf.in): with the host's audit off it records nothing. */
        if (!host_audit_on(call, v, &on, &why))
                return 0;
        if (!why)
                return -ENOMEM;
        if (lvl->kind == FACT_ABSENT)
                return verdict_set(v, on ? STATUS_PASS : STATUS_FAIL,
                                   "audit_level absent: default 1 (audit only when the host audits)%s; host audit %s (%s)",
                                   defaults_note(call), on ? "on" : "off", why);
        return verdict_set(v, on || fact_is(lvl, "2") ? STATUS_PASS : STATUS_FAIL, "audit_level = %s; host audit %s (%s)%s",
                           fact_text_or(lvl), on ? "on" : "off", why,
                           fact_is(lvl, "2") && !on ? ": libvirt refuses to start without it" : "");
}

int
eval_libvirtd_socket_modes(EvalContext *ctx)
{
        static const struct {
                const char *path;
                const char *daemon; /* whose auth_unix_rw guards it; NULL: admin socket */
        } sockets[] = {
                {"/run/libvirt/libvirt-sock", "libvirtd"},
                {"/run/libvirt/virtqemud-sock", "virtqemud"},
                {"/run/libvirt/libvirt-admin-sock", NULL},
                {"/run/libvirt/virtqemud-admin-sock", NULL},
        };
        const Fact *first = fact_store_get2(ctx->facts, "stat", sockets[0].path);
        unsigned n = 0;
        int r;

        /* An offline root has no /run: one skip, not one per socket. */
        if (fact_error_is_skip(first))
                return eval_emit(ctx, STATUS_SKIP, "host", first->string ? first->string : "runtime state not available",
                                 NULL);
        for (size_t i = 0; i < ELEMENTSOF(sockets); i++) {
                const char *p = sockets[i].path;
                const Fact *st = fact_store_get2(ctx->facts, "stat", p);
                mode_t mode;

                if (st->kind == FACT_ABSENT)
                        continue;
                n++;
                if ((r = eval_fact_unusable(ctx, p, st)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                mode = st->stat.mode & 07777;
                if (!sockets[i].daemon) {
                        r = eval_emitf(ctx, mode & ~(mode_t) 0700 ? STATUS_FAIL : STATUS_PASS, p,
                                       "%s %04o owner %u:%u (admin socket: at most 0700)", fact_stat_type(st->stat.mode),
                                       mode, st->stat.uid, st->stat.gid);
                } else {
                        _cleanup_free_ char *ka = xasprintf("daemonconf:%s/auth-unix-rw", sockets[i].daemon),
                                            *kw = xasprintf("daemonconf:%s/auth-unix-rw-why", sockets[i].daemon);
                        const Fact *auth, *why;

                        if (!ka || !kw)
                                return -ENOMEM;
                        auth = get(ctx, ka);
                        why = get(ctx, kw);
                        if ((r = eval_fact_unusable(ctx, p, auth)) != 0 || (r = eval_fact_unusable(ctx, p, why)) != 0) {
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        const char *how = auth_how(why);
                        bool bad = (mode & 0002) && !auth_restricts(fact_text_or(auth));
                        r = eval_emitf(ctx, bad ? STATUS_FAIL : STATUS_PASS, p,
                                       "%s %04o owner %u:%u; %s.conf auth_unix_rw = %s%s%s%s",
                                       fact_stat_type(st->stat.mode), mode, st->stat.uid, st->stat.gid,
                                       sockets[i].daemon, fact_text_or(auth), how ? " (" : "", how ? how : "",
                                       how ? ")" : "");
                }
                if (r < 0)
                        return r;
        }
        if (n == 0)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no libvirt socket in /run/libvirt (libvirt-sock, virtqemud-sock and their -admin-sock)",
                                 NULL);
        return 0;
}

/* The gid of the QEMU group: qemu.conf group, else the Debian and Fedora
 * build defaults; -1 when unknown. */
static int64_t
qemu_group_gid(EvalContext *ctx)
{
        static const char *const defaults[] = {"libvirt-qemu", "qemu"};
        const Fact *g = get(ctx, "qemu.conf:group"), *f;
        int64_t gid;

        if (g->kind == FACT_STRING) {
                if (g->string[0] == '+')
                        return parse_int64(g->string + 1, &gid) >= 0 ? gid : -1;
                f = fact_store_get2(ctx->facts, "group", g->string);
                return f->kind == FACT_STRING && parse_int64(f->string, &gid) >= 0 ? gid : -1;
        }
        for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
                f = fact_store_get2(ctx->facts, "group", defaults[i]);
                if (f->kind == FACT_STRING && parse_int64(f->string, &gid) >= 0)
                        return gid;
        }
        return -1;
}

int
eval_libvirtd_tls_key_private(EvalContext *ctx)
{
        static const struct {
                const char *path;
                bool qemu; /* read by QEMU: its group may read it */
        } keys[] = {
                {"/etc/pki/libvirt/private/serverkey.pem", false},
                {"/etc/pki/qemu/server-key.pem", true},
        };
        unsigned n = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const Fact *st = fact_store_get2(ctx->facts, "stat", keys[i].path);
                mode_t mode;

                if (st->kind == FACT_ABSENT)
                        continue;
                n++;
                if ((r = eval_fact_unusable(ctx, keys[i].path, st)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                mode = st->stat.mode & 07777;
                int64_t qgid = keys[i].qemu ? qemu_group_gid(ctx) : -1;
                bool group_ok = !(mode & 0040) || st->stat.gid == 0 || (qgid >= 0 && (int64_t) st->stat.gid == qgid);
                bool ok = S_ISREG(st->stat.mode) && st->stat.uid == 0 && !(mode & ~(mode_t) 0640) && group_ok &&
                          fact_stat_acl_named(&st->stat) == 0;
                r = eval_emitf(ctx, ok ? STATUS_PASS : STATUS_FAIL, keys[i].path, "%s %04o owner %u:%u%s%s",
                               fact_stat_type(st->stat.mode), mode, st->stat.uid, st->stat.gid,
                               group_ok ? "" : keys[i].qemu ? "; group-readable by a group other than root or QEMU's"
                                                            : "; group-readable by a group other than root",
                               fact_stat_acl_named(&st->stat) ? "; named ACL entries grant more readers" : "");
                if (r < 0)
                        return r;
        }
        if (n == 0)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no TLS server key (/etc/pki/libvirt/private/serverkey.pem, /etc/pki/qemu/server-key.pem)",
                                 NULL);
        return 0;
}

/* Sorted by name; a new evaluator is one line here plus its function. */
