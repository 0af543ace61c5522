/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu.listeners-loopback-only: the TCP sockets each QEMU process listens
 * on (process:PID/listeners), named by what QEMU serves there as its
 * command line says (VNC display, SPICE, a socket chardev such as a telnet
 * serial, incoming migration, gdbstub, monitor). */
#include <stdlib.h>
#include <string.h>

#include "check-evaluators.h"
#include "check-objects.h"
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

/* "tcp 127.0.0.1:5900" and "tcp6 [::1]:5900" (and v4-mapped loopback). */
static bool
listener_loopback(const char *l)
{
        return startswith(l, "tcp 127.") || startswith(l, "tcp6 [::1]:") || startswith(l, "tcp6 [::ffff:127.");
}

static const char *
listener_scope(const char *l)
{
        if (startswith(l, "tcp 0.0.0.0:"))
                return "all IPv4 addresses";
        if (startswith(l, "tcp6 [::]:"))
                return "all addresses";
        return NULL;
}

static int
listeners_judge(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *ls = eval_process_fact(ctx, pid, "listeners"), *cmd = eval_process_fact(ctx, pid, "cmdline");
        _cleanup_(strbuf_done) StrBuf exposed = {}, local = {};
        char *const *args = cmd->kind == FACT_LIST ? cmd->list : NULL;
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, ls)) != 0)
                return r < 0 ? r : 0;
        if (ls->kind == FACT_ABSENT)
                return eval_emitf(ctx, STATUS_SKIP, subject,
                                  "process:%s/listeners absent: /proc/%s/fd or /proc/%s/net/tcp missing (a process "
                                  "that exited, or a copied tree without them)",
                                  pid, pid, pid);
        if (ls->kind != FACT_LIST)
                return eval_emit(ctx, STATUS_ERROR, subject, "process listeners are not a list", NULL);
        STRV_FOREACH(l, ls->list) {
                const char *colon = strrchr(*l, ':'), *scope = listener_scope(*l);
                unsigned port = 0;
                _cleanup_free_ char *what = NULL;
                StrBuf *b = listener_loopback(*l) ? &local : &exposed;

                if (!colon || !port_of(colon + 1, &port))
                        return eval_emitf(ctx, STATUS_ERROR, subject, "malformed listener \"%s\"", *l);
                what = service_name(args, port);
                if (!what)
                        return -ENOMEM;
                strbuf_printf(b, "%s%s%s%s%s: %s", b->len ? "; " : "", *l, scope ? " (" : "", scope ? scope : "",
                              scope ? ")" : "", what);
        }
        if (exposed.oom || local.oom)
                return -ENOMEM;
        if (exposed.len)
                return eval_emitf(ctx, STATUS_FAIL, subject, "reachable from the network: %s%s%s", exposed.s,
                                  local.len ? "; on loopback: " : "", local.len ? local.s : "");
        if (local.len)
                return eval_emitf(ctx, STATUS_PASS, subject, "listening on loopback only: %s", local.s);
        return eval_emit(ctx, STATUS_PASS, subject, "no listening TCP socket", NULL);
}

static int
eval_qemu_listeners_loopback_only(EvalContext *ctx)
{
        return eval_for_each_process(ctx, listeners_judge, NULL);
}

/* Sorted by name. */
const Evaluator evaluators_listen[] = {
        {"qemu-listeners-loopback-only", eval_qemu_listeners_loopback_only},
};
const size_t evaluators_listen_count = ELEMENTSOF(evaluators_listen);
