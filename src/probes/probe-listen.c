/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process:PID/listeners: the TCP sockets a QEMU process listens on, so a
 * check can tell a VNC console or a telnet serial reachable from the
 * network from one bound to loopback (issue 14).  A socket counts only
 * when the process holds it: its inode is the target of one of
 * /proc/PID/fd/N ("socket:[INODE]") and it is in state LISTEN in the
 * process's own view of /proc/PID/net/tcp or tcp6. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* Open descriptors looked at per process: QEMU holds a few hundred (one
 * per disk, vhost queue, eventfd), far below the default nofile limit. */
#define LISTEN_FDS_MAX 65536u
/* /proc/PID/net/tcp{,6} is one 150-byte line per socket of the network
 * namespace: 16 MiB is about 100000 sockets. */
#define LISTEN_NET_TCP_MAX (16u * 1024u * 1024u)
/* Listening sockets recorded per process. */
#define LISTEN_SOCKETS_MAX 1024u
/* "socket:[INODE]" */
#define LISTEN_FDLINK_MAX 64u

/* TCP_LISTEN in include/net/tcp_states.h, as /proc/net/tcp prints it. */
#define TCP_STATE_LISTEN 0x0A

static int
cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

        return x < y ? -1 : x > y;
}

/* The inodes of the sockets /proc/PID/fd holds, sorted. */
static int
socket_inodes(Host *h, const char *pid, uint64_t **ret, size_t *ret_n, char **ret_error)
{
        _cleanup_free_ char *dir = xasprintf("/proc/%s/fd", pid);
        _cleanup_strv_free_ char **fds = NULL;
        _cleanup_free_ uint64_t *v = NULL;
        size_t n = 0, count;
        int r;

        if (!dir)
                return -ENOMEM;
        r = host_list_dir(h, dir, &fds);
        if (r < 0) {
                *ret_error = xasprintf("%s: %s", dir, host_strerror(r));
                return r;
        }
        count = strv_length(fds);
        if (count > LISTEN_FDS_MAX) {
                *ret_error = xasprintf("%s: more than %u descriptors", dir, LISTEN_FDS_MAX);
                return -E2BIG;
        }
        v = calloc(count ? count : 1, sizeof(uint64_t));
        if (!v)
                return -ENOMEM;
        STRV_FOREACH(fd, fds) {
                _cleanup_free_ char *path = xasprintf("%s/%s", dir, *fd), *target = NULL;
                size_t len;
                uint64_t ino;

                if (!path)
                        return -ENOMEM;
                r = host_readlink(h, path, LISTEN_FDLINK_MAX, &target);
                if (r == -ENOMEM)
                        return r;
                /* closed meanwhile, or not a link (a fixture's stray file) */
                if (r < 0 || !startswith(target, "socket:["))
                        continue;
                len = strlen(target);
                if (target[len - 1] != ']')
                        continue;
                target[len - 1] = '\0';
                if (parse_uint64(target + strlen("socket:["), &ino) < 0)
                        continue;
                v[n++] = ino;
        }
        qsort(v, n, sizeof(uint64_t), cmp_u64);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

static bool
hex_u32(const char *s, size_t len, uint32_t *ret)
{
        uint32_t v = 0;

        if (len == 0 || len > 8)
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d < 0)
                        return false;
                v = v << 4 | (uint32_t) d;
        }
        *ret = v;
        return true;
}

/*
 * "0100007F:170C" (tcp) or 32 hex digits and a port (tcp6) -> "127.0.0.1:5900"
 * or "[::1]:5900".  The kernel prints each 32-bit word of the address as
 * an integer in host byte order (net/ipv4/tcp_ipv4.c get_tcp4_sock()); the
 * audited host is x86, little-endian, so the word's low byte comes first.
 */
static char *
address_format(const char *hex, bool v6)
{
        unsigned char b[16];
        char text[INET6_ADDRSTRLEN];
        const char *colon = strchr(hex, ':');
        size_t words = v6 ? 4 : 1;
        uint32_t port;

        if (!colon || (size_t) (colon - hex) != words * 8 || !hex_u32(colon + 1, strlen(colon + 1), &port) ||
            port > 65535)
                return NULL;
        for (size_t i = 0; i < words; i++) {
                uint32_t w;

                if (!hex_u32(hex + i * 8, 8, &w))
                        return NULL;
                for (size_t k = 0; k < 4; k++)
                        b[i * 4 + k] = (unsigned char) (w >> (8 * k));
        }
        if (!inet_ntop(v6 ? AF_INET6 : AF_INET, b, text, sizeof(text)))
                return NULL;
        return v6 ? xasprintf("tcp6 [%s]:%" PRIu32, text, port) : xasprintf("tcp %s:%" PRIu32, text, port);
}

/* Appends to *list each LISTEN socket of /proc/PID/net/@file whose inode is
 * in @inodes.  -ENOENT when the file does not exist. */
static int
listeners_read(Host *h, const char *pid, const char *file, const uint64_t *inodes, size_t n_inodes, char ***list,
               char **ret_error)
{
        _cleanup_free_ char *path = xasprintf("/proc/%s/net/%s", pid, file), *text = NULL;
        char *line, *save = NULL;
        unsigned lineno = 0;
        int r;

        if (!path)
                return -ENOMEM;
        r = host_read_text(h, path, LISTEN_NET_TCP_MAX, &text);
        if (r == -ENOENT)
                return r;
        if (r < 0) {
                *ret_error = r == -EFBIG ? xasprintf("%s: larger than %u bytes", path, LISTEN_NET_TCP_MAX)
                                         : xasprintf("%s: %s", path, host_strerror(r));
                return r;
        }
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                /* sl local rem st queues tr retrnsmt uid timeout inode */
                char *f[10], *tok, *fsave = NULL;
                size_t nf = 0;
                uint32_t st;
                uint64_t ino;

                if (++lineno == 1)
                        continue; /* the header */
                for (tok = strtok_r(line, " \t", &fsave); tok && nf < ELEMENTSOF(f); tok = strtok_r(NULL, " \t", &fsave))
                        f[nf++] = tok;
                if (nf < ELEMENTSOF(f) || !hex_u32(f[3], strlen(f[3]), &st)) {
                        *ret_error = xasprintf("%s:%u: not a socket line", path, lineno);
                        return -EBADMSG;
                }
                if (st != TCP_STATE_LISTEN)
                        continue;
                if (parse_uint64(f[9], &ino) < 0) {
                        *ret_error = xasprintf("%s:%u: malformed inode \"%.32s\"", path, lineno, f[9]);
                        return -EBADMSG;
                }
                if (!bsearch(&ino, inodes, n_inodes, sizeof(uint64_t), cmp_u64))
                        continue; /* another process's socket */
                if (strv_length(*list) >= LISTEN_SOCKETS_MAX) {
                        *ret_error = xasprintf("%s: more than %u listening sockets", path, LISTEN_SOCKETS_MAX);
                        return -E2BIG;
                }
                char *a = address_format(f[1], streq(file, "tcp6"));
                if (!a) {
                        text_sanitize(f[1]);
                        *ret_error = xasprintf("%s:%u: malformed address \"%.64s\"", path, lineno, f[1]);
                        return -EBADMSG;
                }
                r = strv_consume(list, a);
                if (r < 0)
                        return r;
        }
        return 0;
}

int
probe_listen_record(FactStore *s, Host *h, const char *pid)
{
        _cleanup_free_ char *key = xasprintf("process:%s/listeners", pid), *error = NULL;
        _cleanup_free_ uint64_t *inodes = NULL;
        _cleanup_strv_free_ char **list = NULL;
        size_t n = 0;
        int r, r6;

        if (!key)
                return -ENOMEM;
        r = socket_inodes(h, pid, &inodes, &n, &error);
        if (r == -ENOMEM)
                return r;
        if (r == -ENOENT)
                /* a copied tree without the fd directory: not recorded */
                return fact_store_set_absent(s, key);
        if (r < 0)
                return fact_store_set_error(s, key, r, "%s", error ? error : "cannot list descriptors");

        r = listeners_read(h, pid, "tcp", inodes, n, &list, &error);
        if (r == -ENOMEM)
                return r;
        if (r == -ENOENT)
                /* no IPv4 TCP table: no /proc/PID/net in this tree */
                return fact_store_set_absent(s, key);
        if (r < 0)
                return fact_store_set_error(s, key, r, "%s", error ? error : "cannot read the TCP table");
        /* tcp6 is missing when IPv6 is disabled: then no IPv6 listener */
        r6 = listeners_read(h, pid, "tcp6", inodes, n, &list, &error);
        if (r6 == -ENOMEM)
                return r6;
        if (r6 < 0 && r6 != -ENOENT)
                return fact_store_set_error(s, key, r6, "%s", error ? error : "cannot read the TCP6 table");
        if (!list && !(list = calloc(1, sizeof(char *))))
                return -ENOMEM;
        strv_sort(list);
        strv_uniq(list);
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(list)};
        return fact_store_put(s, key, &f);
}
