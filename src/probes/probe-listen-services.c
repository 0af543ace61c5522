/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * process:PID/listener-services, a derived fact: each TCP socket a QEMU
 * process listens on (process:PID/listeners, probe-listen.c) named by what
 * QEMU serves there as its command line (process:PID/cmdline) says: VNC
 * display, SPICE, a socket chardev such as a telnet serial, incoming
 * migration, gdbstub, monitor.  Computed from those facts alone, live or
 * from a facts file.
 */
#include <stdlib.h>
#include <string.h>

#include "probes.h"
#include "strv.h"
#include "util.h"

/* VNC display N listens on 5900 + N (QEMU ui/vnc.c). */
#define VNC_PORT_BASE 5900u
/* libvirt's default migration_port_min..max (qemu.conf). */
#define MIGRATION_PORT_MIN 49152u
#define MIGRATION_PORT_MAX 49215u

/* The value of KEY= in QEMU option text "a,KEY=V,b", copied into @buf;
 * NULL when absent.  ",," escapes are rare in these options and not
 * unescaped. */
static const char *
opt_get(const char *opts, const char *key, char *buf, size_t size)
{
        size_t klen = strlen(key);

        for (const char *p = opts; p && *p;) {
                size_t n = strcspn(p, ",");

                if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
                        size_t vlen = n - klen - 1;
                        if (vlen >= size)
                                vlen = size - 1;
                        memcpy(buf, p + klen + 1, vlen);
                        buf[vlen] = '\0';
                        return buf;
                }
                p += n;
                if (*p == ',')
                        p++;
        }
        return NULL;
}

static bool
opt_on(const char *opts, const char *key)
{
        char b[16];
        const char *v = opt_get(opts, key, b, sizeof(b));

        return v && (streq(v, "on") || streq(v, "yes") || streq(v, "true"));
}

static bool
port_of(const char *s, unsigned *ret)
{
        uint64_t v;

        if (!s || !*s || parse_uint64(s, &v) < 0 || v > 65535)
                return false;
        *ret = (unsigned) v;
        return true;
}

/* The port after the last ':' of "HOST:PORT" (up to @stop), 0 when none. */
static unsigned
last_port(const char *s, size_t len)
{
        char buf[16];
        const char *colon = NULL;
        unsigned port = 0;

        for (size_t i = 0; i < len; i++)
                if (s[i] == ':')
                        colon = s + i;
        if (!colon || (size_t) (s + len - colon - 1) >= sizeof(buf))
                return 0;
        memcpy(buf, colon + 1, s + len - colon - 1);
        buf[s + len - colon - 1] = '\0';
        return port_of(buf, &port) ? port : 0;
}

/* What QEMU serves on @port according to its arguments; caller frees. */
static char *
service_name(char *const *args, unsigned port)
{
        char b[256];
        unsigned p;

        for (size_t i = 0; args && args[i] && args[i + 1]; i++) {
                const char *opt = args[i], *v = args[i + 1];

                if (streq(opt, "-vnc")) {
                        size_t n = strcspn(v, ",");
                        unsigned disp = startswith(v, "unix:") ? 0 : last_port(v, n);

                        if (!startswith(v, "unix:") && n > 0 && VNC_PORT_BASE + disp == port)
                                return xasprintf("VNC display %u", disp);
                        if (opt_get(v, "websocket", b, sizeof(b)) && port_of(b, &p) && p == port)
                                return strdup("VNC websocket");
                } else if (streq(opt, "-spice")) {
                        if (opt_get(v, "port", b, sizeof(b)) && port_of(b, &p) && p == port)
                                return strdup("SPICE (plain)");
                        if (opt_get(v, "tls-port", b, sizeof(b)) && port_of(b, &p) && p == port)
                                return strdup("SPICE (TLS)");
                } else if (streq(opt, "-chardev") && startswith(v, "socket,")) {
                        char id[128];

                        if (!opt_get(v, "port", b, sizeof(b)) || !port_of(b, &p) || p != port)
                                continue;
                        if (!opt_get(v, "id", id, sizeof(id)))
                                snprintf(id, sizeof(id), "?");
                        text_sanitize(id);
                        /* libvirt names a <serial>'s chardev "charserialN" */
                        return xasprintf("%s %s (chardev %s)", opt_on(v, "telnet") ? "telnet" : "raw TCP",
                                         strstr(id, "serial") ? "serial console" : "character device", id);
                } else if (streq(opt, "-incoming")) {
                        if (startswith(v, "tcp:") && last_port(v, strcspn(v, ",")) == port)
                                return strdup("incoming migration (-incoming)");
                } else if (streq(opt, "-gdb")) {
                        if (startswith(v, "tcp:") && last_port(v, strcspn(v, ",")) == port)
                                return strdup("gdbstub (-gdb): full control of the guest");
                } else if (streq(opt, "-monitor") || streq(opt, "-qmp")) {
                        if (startswith(v, "tcp:") && last_port(v, strcspn(v, ",")) == port)
                                return xasprintf("QEMU monitor (%s): full control of the VM", opt);
                }
        }
        if (port >= MIGRATION_PORT_MIN && port <= MIGRATION_PORT_MAX)
                return strdup("libvirt's migration port range");
        if (port >= VNC_PORT_BASE && port < VNC_PORT_BASE + 100)
                return strdup("VNC/SPICE port range");
        return strdup("not named on the command line");
}

/* The wildcard addresses, named in the evidence. */
static const char *
listener_scope(const char *l)
{
        if (startswith(l, "tcp 0.0.0.0:"))
                return "all IPv4 addresses";
        if (startswith(l, "tcp6 [::]:"))
                return "all addresses";
        return NULL;
}

/* "LISTENER[ (SCOPE)]: SERVICE" for each listener, in the order of
 * process:PID/listeners; absent when the listeners are (not recorded). */
int
probe_listen_derive_services(FactStore *s, const char *key, const char *pid)
{
        _cleanup_free_ char *lk = xasprintf("process:%s/listeners", pid), *ck = xasprintf("process:%s/cmdline", pid);
        _cleanup_strv_free_ char **out = NULL;
        const Fact *ls, *cmd;
        char *const *args;
        int r;

        if (!lk || !ck)
                return -ENOMEM;
        ls = fact_store_get(s, lk);
        if (ls->kind == FACT_ERROR) {
                r = fact_store_set_error(s, key, ls->error, "%s", ls->string ? ls->string : "unreadable");
                return r < 0 ? r : 1;
        }
        if (ls->kind == FACT_ABSENT) {
                r = fact_store_set_absent(s, key);
                return r < 0 ? r : 1;
        }
        if (ls->kind != FACT_LIST) {
                r = fact_store_set_error(s, key, -EBADMSG, "%s: process listeners are not a list", lk);
                return r < 0 ? r : 1;
        }
        /* without a command line the listeners are still judged, unnamed */
        cmd = fact_store_get(s, ck);
        args = cmd->kind == FACT_LIST ? cmd->list : NULL;
        STRV_FOREACH(l, ls->list) {
                const char *colon = strrchr(*l, ':'), *scope = listener_scope(*l);
                _cleanup_free_ char *what = NULL;
                unsigned port = 0;

                if (!colon || !port_of(colon + 1, &port)) {
                        r = fact_store_set_error(s, key, -EBADMSG, "%s: malformed listener \"%s\"", lk, *l);
                        return r < 0 ? r : 1;
                }
                what = service_name(args, port);
                if (!what || strv_consume(&out, xasprintf("%s%s%s%s: %s", *l, scope ? " (" : "", scope ? scope : "",
                                                           scope ? ")" : "", what)) < 0)
                        return -ENOMEM;
        }
        if (!out && !(out = calloc(1, sizeof(char *))))
                return -ENOMEM;
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(out)};
        r = fact_store_put(s, key, &f);
        return r < 0 ? r : 1;
}
