/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daemonconf: the configuration of one libvirt daemon, addressed by the
 * daemon's name so that a check of scope daemon reads "daemonconf:@/KEY"
 * whichever daemon it judges.  Derived from other facts (never a host
 * file): KEY is NAME.conf:KEY as the libvirt configuration probe read it,
 * and a few fields say what libvirt makes of the file:
 *
 *   tcp-listener, tls-listener          "on" or "off"
 *   tcp-listener-why, tls-listener-why  the evidence for it
 *   auth-unix-rw                        auth_unix_rw, or its build default
 *   auth-unix-rw-why                    "set in the file" or which default
 *   file                                the file's path, absent without one
 */
#include <stdlib.h>
#include <string.h>

#include "probes.h"
#include "strv.h"
#include "util.h"

/*
 * What differs between the daemons beyond their file (libvirt 11.x,
 * src/remote/remote_daemon_config.c and the unit files): listen_tls
 * defaults to 1 only in the monolithic libvirtd, whose listen_* settings
 * also count only when it runs with --listen (LIBVIRTD_ARGS).  The socket
 * units are named after the daemon: NAME.socket, NAME-tcp.socket,
 * NAME-tls.socket.
 */
static const struct {
        const char *name;
        bool listen_tls_default;
        bool needs_listen_arg;
} daemon_defaults[] = {
        {"libvirtd", true, true},
};

/* "auth_tcp" and the like: what a configuration file key looks like. */
static bool
is_conf_key(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
                        return false;
        return true;
}

/* Stores @f's copy under @key. */
static int
put_copy(FactStore *s, const char *key, const Fact *f)
{
        Fact c;
        int r = fact_copy(f, &c);

        if (r < 0)
                return r;
        r = fact_store_put(s, key, &c);
        return r < 0 ? r : 1;
}

/* Stores the pair "@field" and "@field-why" (or both as the error of
 * @err_fact when it is one). */
static int
put_pair(FactStore *s, const char *daemon, const char *field, const char *value, const char *why,
         const Fact *err_fact)
{
        _cleanup_free_ char *k = xasprintf("daemonconf:%s/%s", daemon, field),
                            *kw = xasprintf("daemonconf:%s/%s-why", daemon, field);
        int r;

        if (!k || !kw)
                return -ENOMEM;
        if (err_fact) {
                r = put_copy(s, k, err_fact);
                if (r >= 0)
                        r = put_copy(s, kw, err_fact);
                return r < 0 ? r : 1;
        }
        r = fact_store_set_string(s, k, value);
        if (r >= 0)
                r = fact_store_set_string(s, kw, why);
        return r < 0 ? r : 1;
}

/* A derived field read from the file's KEY carries KEY's note on a
 * repeated setting (meta:NAME.conf:KEY@repeated), so that the evidence of a
 * check reading the field still names every place KEY is set. */
static int
copy_repeated(FactStore *s, const char *daemon, const char *field, const char *conf_key)
{
        _cleanup_free_ char *rep_src = xasprintf("meta:%s.conf:%s@repeated", daemon, conf_key),
                            *rep = xasprintf("meta:daemonconf:%s/%s@repeated", daemon, field);
        const Fact *repeated;

        if (!rep_src || !rep)
                return -ENOMEM;
        repeated = fact_store_peek(s, rep_src);
        return repeated ? put_copy(s, rep, repeated) : 0;
}

/*
 * Whether the daemon's TCP or TLS listener is on (shared/CHECKS.md 2.10):
 * its socket unit is enabled, or, without socket activation, listen_tcp /
 * listen_tls is 1 (and for libvirtd the daemon runs with --listen).
 */
static int
derive_listener(FactStore *s, const char *daemon, bool tls)
{
        const char *field = tls ? "tls-listener" : "tcp-listener", *key = tls ? "listen_tls" : "listen_tcp";
        _cleanup_free_ char *unit = xasprintf("%s-%s.socket", daemon, tls ? "tls" : "tcp"),
                            *main_socket = xasprintf("%s.socket", daemon), *conf = xasprintf("%s.conf", daemon),
                            *why = NULL;
        bool listen_tls_default = false, needs_listen_arg = false, value, flag = true;
        const Fact *u, *sa, *v, *args = NULL;

        if (!unit || !main_socket || !conf)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(daemon_defaults); i++)
                if (streq(daemon_defaults[i].name, daemon)) {
                        listen_tls_default = daemon_defaults[i].listen_tls_default;
                        needs_listen_arg = daemon_defaults[i].needs_listen_arg;
                }
        u = fact_store_get2(s, "unit", unit);
        if (u->kind == FACT_ERROR)
                return put_pair(s, daemon, field, NULL, NULL, u);
        if (fact_is(u, "enabled")) {
                why = xasprintf("%s is enabled", unit);
                return why ? put_pair(s, daemon, field, "on", why, NULL) : -ENOMEM;
        }
        sa = fact_store_get2(s, "unit", main_socket);
        if (sa->kind == FACT_ERROR)
                return put_pair(s, daemon, field, NULL, NULL, sa);
        if (fact_is(sa, "enabled")) {
                why = xasprintf("%s is %s; socket activation via %s, so %s is ignored", unit,
                                u->kind == FACT_STRING ? u->string : "not installed", main_socket, key);
                return why ? put_pair(s, daemon, field, "off", why, NULL) : -ENOMEM;
        }
        v = fact_store_get2(s, conf, key);
        if (v->kind == FACT_ERROR)
                return put_pair(s, daemon, field, NULL, NULL, v);
        if (copy_repeated(s, daemon, field, key) < 0)
                return -ENOMEM;
        value = v->kind == FACT_ABSENT ? listen_tls_default && tls : fact_is(v, "1");
        if (needs_listen_arg) {
                _cleanup_free_ char *ak = xasprintf("%s.args", daemon);
                if (!ak)
                        return -ENOMEM;
                args = fact_store_get2(s, "unit", ak);
                if (args->kind == FACT_ERROR)
                        return put_pair(s, daemon, field, NULL, NULL, args);
                flag = fact_has_word(args, "--listen") || fact_has_word(args, "-l");
        }
        why = xasprintf("%s is %s; %s = %s%s%s", unit, u->kind == FACT_STRING ? u->string : "not installed", key,
                        v->kind == FACT_ABSENT ? (listen_tls_default && tls ? "1 (default)" : "0 (default)")
                                               : fact_text_or(v),
                        needs_listen_arg ? "; LIBVIRTD_ARGS " : "",
                        needs_listen_arg ? (flag ? "has --listen" : "without --listen") : "");
        return why ? put_pair(s, daemon, field, value && flag ? "on" : "off", why, NULL) : -ENOMEM;
}

/*
 * The effective auth_unix_rw.  Absent: "polkit" when libvirt was built
 * with polkit, else "none" (remote_daemon_config.c); a polkit build
 * installs org.libvirt.unix.policy, which is the evidence used here.
 */
static int
derive_auth_unix_rw(FactStore *s, const char *daemon)
{
        _cleanup_free_ char *conf = xasprintf("%s.conf", daemon);
        const Fact *auth, *pol;

        if (!conf)
                return -ENOMEM;
        auth = fact_store_get2(s, conf, "auth_unix_rw");
        if (auth->kind == FACT_ERROR)
                return put_pair(s, daemon, "auth-unix-rw", NULL, NULL, auth);
        if (copy_repeated(s, daemon, "auth-unix-rw", "auth_unix_rw") < 0)
                return -ENOMEM;
        if (auth->kind == FACT_STRING)
                return put_pair(s, daemon, "auth-unix-rw", auth->string, "set in the file", NULL);
        pol = fact_store_get(s, "stat:/usr/share/polkit-1/actions/org.libvirt.unix.policy");
        if (pol->kind == FACT_ERROR)
                return put_pair(s, daemon, "auth-unix-rw", NULL, NULL, pol);
        if (pol->kind != FACT_ABSENT)
                return put_pair(s, daemon, "auth-unix-rw", "polkit",
                                "absent: default for a polkit build, org.libvirt.unix.policy is installed", NULL);
        return put_pair(s, daemon, "auth-unix-rw", "none",
                        "absent: default none, no org.libvirt.unix.policy shows a polkit build", NULL);
}

/* KEY: the file's value as read, and the note on a repeated setting
 * (meta:NAME.conf:KEY@repeated) under the name the check read. */
static int
derive_conf_key(FactStore *s, const char *daemon, const char *name, const char *conf_key)
{
        _cleanup_free_ char *src = xasprintf("%s.conf:%s", daemon, conf_key), *key = xasprintf("daemonconf:%s", name),
                            *rep_src = NULL, *rep = NULL;
        const Fact *f, *repeated;
        int r;

        if (!src || !key)
                return -ENOMEM;
        f = fact_store_get(s, src);
        r = put_copy(s, key, f);
        if (r < 0)
                return r;
        rep_src = xasprintf("meta:%s@repeated", src);
        rep = xasprintf("meta:%s@repeated", key);
        if (!rep_src || !rep)
                return -ENOMEM;
        repeated = fact_store_peek(s, rep_src);
        if (repeated) {
                r = put_copy(s, rep, repeated);
                if (r < 0)
                        return r;
        }
        return 1;
}

/* Every name of the namespace is derived: one that names nothing is an
 * error, not an absent setting. */
static int
fail_name(FactStore *s, const char *name, const char *why)
{
        _cleanup_free_ char *key = xasprintf("daemonconf:%s", name);
        int r;

        if (!key)
                return -ENOMEM;
        r = fact_store_set_error(s, key, -EINVAL, "daemonconf:%s: %s", name, why);
        return r < 0 ? r : 1;
}

int
probe_daemonconf_derive(FactStore *s, const char *name)
{
        _cleanup_free_ char *daemon = NULL, *ns = NULL;
        const char *slash = strchr(name, '/'), *field;

        if (!slash || strchr(slash + 1, '/'))
                return fail_name(s, name, "not DAEMON/FIELD");
        daemon = strndup(name, (size_t) (slash - name));
        if (!daemon)
                return -ENOMEM;
        field = slash + 1;
        /* A daemon is known by its configuration's namespace. */
        ns = xasprintf("%s.conf:x", daemon);
        if (!ns)
                return -ENOMEM;
        if (!is_conf_key(daemon) || !fact_store_namespace_known(s, ns))
                return fail_name(s, name, "no libvirt daemon of that name");
        if (streq(field, "tcp-listener") || streq(field, "tcp-listener-why"))
                return derive_listener(s, daemon, false);
        if (streq(field, "tls-listener") || streq(field, "tls-listener-why"))
                return derive_listener(s, daemon, true);
        if (streq(field, "auth-unix-rw") || streq(field, "auth-unix-rw-why"))
                return derive_auth_unix_rw(s, daemon);
        if (streq(field, "file")) {
                /* the file's path when it exists (meta:NAME.conf), else absent */
                _cleanup_free_ char *key = xasprintf("daemonconf:%s", name), *conf = xasprintf("%s.conf", daemon);
                if (!key || !conf)
                        return -ENOMEM;
                return put_copy(s, key, fact_store_get2(s, "meta", conf));
        }
        if (is_conf_key(field))
                return derive_conf_key(s, daemon, name, field);
        return fail_name(s, name, "neither a configuration key nor a derived field");
}
