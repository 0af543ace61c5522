/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running QEMU processes and what the kernel says about each: ids,
 * capabilities, seccomp, no_new_privs, MAC label, arguments, mount
 * namespace.  Read from /proc through the host layer, so a fixture tree
 * with a fake /proc works like the live host; an offline root without
 * /proc makes both namespaces skip. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* QEMU processes recorded; a host runs far fewer guests. */
#define QEMU_PROCESSES_MAX 4096u
/* /proc/PID/cmdline: bytes and arguments.  libvirt's QEMU command lines
 * are a few hundred arguments and tens of KiB. */
#define PROCESS_CMDLINE_MAX (4u * 1024u * 1024u)
#define PROCESS_ARGS_MAX    16384u
/* An LSM label, /proc/PID/attr/current. */
#define PROCESS_LABEL_MAX 4096u
/* The ns/mnt link text, "mnt:[4026531840]". */
#define PROCESS_NSLINK_MAX 256u

/* Fields of /proc/PID/status (fs/proc/array.c) and the fact each becomes. */
static const struct {
        const char *line, *field;
} status_fields[] = {
        {"Uid", "uid"},         {"Gid", "gid"},         {"CapEff", "capeff"},
        {"CapPrm", "capprm"},   {"Seccomp", "seccomp"}, {"NoNewPrivs", "nonewprivs"},
};

static bool
is_qemu_binary(const char *name)
{
        return startswith(name, "qemu-system-") || streq(name, "qemu-kvm");
}

static int
process_set(FactStore *s, const char *pid, const char *field, const char *value)
{
        _cleanup_free_ char *key = xasprintf("process:%s/%s", pid, field);

        if (!key)
                return -ENOMEM;
        return value ? fact_store_set_string(s, key, value) : fact_store_set_absent(s, key);
}

static int
process_set_error(FactStore *s, const char *pid, const char *field, int err, const char *msg)
{
        _cleanup_free_ char *key = xasprintf("process:%s/%s", pid, field);

        if (!key)
                return -ENOMEM;
        return fact_store_set_error(s, key, err, "%s", msg);
}

static bool
all_digits(const char *s, bool hex)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!((*s >= '0' && *s <= '9') || (hex && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))))
                        return false;
        return true;
}

/* The value of "NAME:\tv1\tv2..." with whitespace runs collapsed to one
 * space, or NULL when the line is missing (*ret_oom on OOM). */
static char *
status_value(const char *text, const char *name, bool *ret_oom)
{
        size_t n = strlen(name);

        for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                const char *p, *end;
                StrBuf b = {};

                if (!strneq(l, name, n) || l[n] != ':')
                        continue;
                p = l + n + 1;
                end = strchr(p, '\n');
                if (!end)
                        end = p + strlen(p);
                while (p < end) {
                        size_t w;

                        p += strspn(p, " \t");
                        w = strcspn(p, " \t\n");
                        if (p + w > end)
                                w = (size_t) (end - p);
                        if (w == 0)
                                break;
                        if (b.len > 0)
                                strbuf_append(&b, " ");
                        strbuf_appendn(&b, p, w);
                        p += w;
                }
                char *v = strbuf_steal(&b);
                if (!v)
                        v = strdup("");
                *ret_oom = !v;
                return v;
        }
        *ret_oom = false;
        return NULL;
}

static bool
status_value_valid(const char *field, const char *v)
{
        if (streq(field, "uid") || streq(field, "gid")) {
                _cleanup_free_ char *copy = strdup(v);
                char *tok, *save = NULL;
                unsigned n = 0;

                if (!copy)
                        return false;
                for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save), n++)
                        if (!all_digits(tok, false))
                                return false;
                return n == 4;
        }
        if (streq(field, "capeff") || streq(field, "capprm"))
                return all_digits(v, true) && strlen(v) <= 16;
        if (streq(field, "seccomp"))
                return streq(v, "0") || streq(v, "1") || streq(v, "2");
        return streq(v, "0") || streq(v, "1"); /* nonewprivs */
}

/*
 * The value of QEMU option @key in a "-name" style argument: elements
 * separated by ',', ",," an escaped comma (libvirt's virQEMUBuildBufferEscapeComma),
 * and a first element without '=' is the implied key (@implied).
 */
static char *
qemu_opt_get(const char *opts, const char *key, const char *implied)
{
        bool first = true;

        for (const char *p = opts;;) {
                _cleanup_free_ char *elem = NULL;
                StrBuf b = {};
                char *eq;

                while (*p) {
                        if (*p == ',' && p[1] == ',') {
                                strbuf_appendn(&b, ",", 1);
                                p += 2;
                        } else if (*p == ',')
                                break;
                        else
                                strbuf_appendn(&b, p++, 1);
                }
                elem = strbuf_steal(&b);
                if (!elem)
                        return NULL;
                eq = strchr(elem, '=');
                if (first && !eq && implied && streq(key, implied))
                        return TAKE_PTR(elem);
                if (eq) {
                        *eq = '\0';
                        if (streq(elem, key))
                                return strdup(eq + 1);
                }
                first = false;
                if (!*p)
                        return NULL;
                p++;
        }
}

static const char *
cmdline_arg_after(char *const *args, const char *opt, const char *alt)
{
        for (size_t i = 0; args[i]; i++)
                if ((streq(args[i], opt) || streq(args[i], alt)) && args[i + 1])
                        return args[i + 1];
        return NULL;
}

/* Secrets on a QEMU command line never leave the probe: the data of a
 * "-object secret" (libvirt passes it encrypted with the master key, but
 * a hand-written <qemu:commandline> may not) and an old-style
 * "-spice ...,password=X" become "(redacted)".  Returns a new string, or
 * NULL for an argument without one (or on ENOMEM, with *ret_oom). */
static char *
cmdline_arg_redacted(const char *a, bool *ret_oom)
{
        bool secret_object = startswith(a, "secret,") || strstr(a, "\"qom-type\":\"secret\"");

        *ret_oom = false;
        if (secret_object && strstr(a, "data")) {
                char *r = strdup("secret object (redacted)");
                *ret_oom = !r;
                return r;
        }
        for (const char *p = strstr(a, "password="); p; p = strstr(p + 1, "password=")) {
                const char *v = p + strlen("password="), *end = strchrnul(v, ',');

                if ((p != a && p[-1] != ',') || (size_t) (end - v) == 0 || strneq(v, "on", 2) || strneq(v, "off", 3))
                        continue;
                char *r = xasprintf("%.*s(redacted)%s", (int) (v - a), a, end);
                *ret_oom = !r;
                return r;
        }
        return NULL;
}

/* Splits NUL-separated arguments; -E2BIG beyond PROCESS_ARGS_MAX. */
static int
cmdline_split(const char *buf, size_t len, char ***ret)
{
        _cleanup_strv_free_ char **args = NULL;
        size_t n = 0;

        for (size_t off = 0; off < len;) {
                size_t l = strnlen(buf + off, len - off);
                char *a;

                if (++n > PROCESS_ARGS_MAX)
                        return -E2BIG;
                a = strndup(buf + off, l);
                if (!a)
                        return -ENOMEM;
                {
                        bool oom;
                        char *red = cmdline_arg_redacted(a, &oom);

                        if (oom) {
                                free(a);
                                return -ENOMEM;
                        }
                        if (red) {
                                free(a);
                                a = red;
                        }
                }
                text_sanitize(a);
                if (strv_consume(&args, a) < 0)
                        return -ENOMEM;
                off += l + 1;
        }
        if (!args && !(args = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(args);
        return 0;
}

/* The LSM label: AppArmor's own attribute (Linux 5.8+) when AppArmor
 * answers it, else the shared attr/current.  *ret NULL: no label. */
static int
process_label(Host *h, const char *pid, char **ret, char **ret_path)
{
        static const char *const files[] = {"attr/apparmor/current", "attr/current"};

        *ret = NULL;
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *path = xasprintf("/proc/%s/%s", pid, files[i]), *v = NULL;
                size_t len;
                int r;

                if (!path)
                        return -ENOMEM;
                r = host_read_file(h, path, PROCESS_LABEL_MAX, &v, &len);
                /* EINVAL: that LSM is not active; ENOENT: kernel too old. */
                if (r == -ENOENT || r == -EINVAL)
                        continue;
                if (r < 0) {
                        *ret_path = TAKE_PTR(path);
                        return r;
                }
                while (len > 0 && (v[len - 1] == '\0' || v[len - 1] == '\n'))
                        v[--len] = '\0';
                if (len == 0)
                        continue;
                if (strlen(v) != len) {
                        *ret_path = TAKE_PTR(path);
                        return -EBADMSG;
                }
                text_sanitize(v);
                *ret = TAKE_PTR(v);
                return 0;
        }
        return 0;
}

static bool
vanished(int r)
{
        return r == -ENOENT || r == -ESRCH;
}

/* Records process:PID/...; returns 1 when recorded, 0 when the process
 * went away while we read it. */
static int
process_record(FactStore *s, Host *h, const char *pid)
{
        _cleanup_free_ char *status_path = xasprintf("/proc/%s/status", pid),
                            *cmdline_path = xasprintf("/proc/%s/cmdline", pid),
                            *pid_dir = xasprintf("/proc/%s", pid), *ns_path = xasprintf("/proc/%s/ns/mnt", pid);
        _cleanup_free_ char *status = NULL, *cmdbuf = NULL, *label = NULL, *label_path = NULL, *mntns = NULL;
        _cleanup_strv_free_ char **args = NULL;
        size_t cmdlen = 0;
        int r_status, r_cmd, r_label, r_ns, r;

        if (!status_path || !cmdline_path || !pid_dir || !ns_path)
                return -ENOMEM;
        r_status = host_read_text(h, status_path, HOST_SMALL_FILE_MAX, &status);
        r_cmd = host_read_file(h, cmdline_path, PROCESS_CMDLINE_MAX, &cmdbuf, &cmdlen);
        r_label = process_label(h, pid, &label, &label_path);
        r_ns = host_readlink(h, ns_path, PROCESS_NSLINK_MAX, &mntns);
        if (r_label == -ENOMEM || r_ns == -ENOMEM)
                return -ENOMEM;
        if (vanished(r_status) || vanished(r_cmd) || r_label == -ESRCH || r_ns == -ESRCH)
                return 0;
        r = host_exists(h, pid_dir);
        if (r == 0)
                return 0;

        /* status */
        for (size_t i = 0; i < ELEMENTSOF(status_fields); i++) {
                _cleanup_free_ char *v = NULL, *msg = NULL;
                bool oom;
                int err = 0;

                if (r_status < 0) {
                        err = r_status;
                        msg = r_status == -EFBIG ? xasprintf("%s: file exceeds the size limit", status_path)
                                                 : xasprintf("%s: %s", status_path, host_strerror(r_status));
                } else {
                        v = status_value(status, status_fields[i].line, &oom);
                        if (oom)
                                return -ENOMEM;
                        /* All six lines exist since Linux 4.10; a missing one
                         * means a truncated or foreign file. */
                        if (!v) {
                                err = -EBADMSG;
                                msg = xasprintf("%s: no %s: line", status_path, status_fields[i].line);
                        } else if (!status_value_valid(status_fields[i].field, v)) {
                                err = -EBADMSG;
                                text_sanitize(v);
                                msg = xasprintf("%s: malformed %s: \"%.64s\"", status_path, status_fields[i].line, v);
                        }
                }
                if (err < 0) {
                        if (!msg)
                                return -ENOMEM;
                        r = process_set_error(s, pid, status_fields[i].field, err, msg);
                } else
                        r = process_set(s, pid, status_fields[i].field, v);
                if (r < 0)
                        return r;
        }

        /* cmdline, and the name and uuid libvirt passed on it */
        if (r_cmd == 0)
                r_cmd = cmdline_split(cmdbuf, cmdlen, &args);
        if (r_cmd == -ENOMEM)
                return r_cmd;
        if (r_cmd < 0) {
                _cleanup_free_ char *msg =
                        r_cmd == -E2BIG ? xasprintf("%s: more than %u arguments", cmdline_path, PROCESS_ARGS_MAX)
                        : r_cmd == -EFBIG ? xasprintf("%s: larger than %u bytes", cmdline_path, PROCESS_CMDLINE_MAX)
                                          : xasprintf("%s: %s", cmdline_path, host_strerror(r_cmd));
                if (!msg)
                        return -ENOMEM;
                r = process_set_error(s, pid, "cmdline", r_cmd, msg);
                if (r >= 0)
                        r = process_set_error(s, pid, "name", r_cmd, msg);
                if (r >= 0)
                        r = process_set_error(s, pid, "uuid", r_cmd, msg);
                if (r < 0)
                        return r;
        } else {
                _cleanup_free_ char *key = xasprintf("process:%s/cmdline", pid), *name = NULL;
                const char *name_arg = cmdline_arg_after(args, "-name", "--name");
                const char *uuid = cmdline_arg_after(args, "-uuid", "--uuid");

                if (!key)
                        return -ENOMEM;
                if (name_arg) {
                        name = qemu_opt_get(name_arg, "guest", "guest");
                        if (!name)
                                return -ENOMEM;
                }
                r = process_set(s, pid, "name", name);
                if (r >= 0)
                        r = process_set(s, pid, "uuid", uuid);
                if (r < 0)
                        return r;
                Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(args)};
                r = fact_store_put(s, key, &f);
                if (r < 0)
                        return r;
        }

        /* label */
        if (r_label < 0) {
                _cleanup_free_ char *msg = xasprintf("%s: %s", label_path, host_strerror(r_label));
                r = msg ? process_set_error(s, pid, "label", r_label, msg) : -ENOMEM;
        } else
                r = process_set(s, pid, "label", label);
        if (r < 0)
                return r;

        /* mntns */
        if (r_ns < 0 && r_ns != -ENOENT) {
                _cleanup_free_ char *msg = xasprintf("%s: %s", ns_path, host_strerror(r_ns));
                r = msg ? process_set_error(s, pid, "mntns", r_ns, msg) : -ENOMEM;
        } else {
                if (mntns)
                        text_sanitize(mntns);
                r = process_set(s, pid, "mntns", mntns);
        }
        if (r >= 0)
                r = probe_listen_record(s, h, pid);
        return r < 0 ? r : 1;
}

static bool
pid_valid(const char *s, uint64_t *ret)
{
        return all_digits(s, false) && strlen(s) <= 10 && parse_uint64(s, ret) >= 0 && *ret > 0;
}

static int
cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

        return x < y ? -1 : x > y;
}

static int
pids_add(uint64_t **pids, size_t *n, uint64_t pid)
{
        uint64_t *np;

        for (size_t i = 0; i < *n; i++)
                if ((*pids)[i] == pid)
                        return 0;
        if (*n >= QEMU_PROCESSES_MAX)
                return -E2BIG;
        np = realloc(*pids, (*n + 1) * sizeof(uint64_t));
        if (!np)
                return -ENOMEM;
        np[(*n)++] = pid;
        *pids = np;
        return 0;
}

/* Both namespaces fail with "@path: <error>"; returns @err once recorded. */
static int
fail_both(FactStore *s, int err, const char *path)
{
        int r = fact_store_fail_namespace(s, "qemu", err, "%s: %s", path, host_strerror(err));

        if (r >= 0)
                r = fact_store_fail_namespace(s, "process", err, "%s: %s", path, host_strerror(err));
        return r < 0 ? r : err;
}

/* QEMU processes: /run/libvirt/qemu/NAME.pid of running guests (when the
 * process still exists) plus every qemu-system-* or qemu-kvm in /proc,
 * by comm or, when a process renamed itself, by executable. */
static int
processes_find(FactStore *s, Host *h, uint64_t **ret, size_t *ret_n)
{
        _cleanup_strv_free_ char **entries = NULL, **pidfiles = NULL;
        _cleanup_free_ uint64_t *pids = NULL;
        size_t n = 0;
        uint64_t pid;
        int r;

        r = host_list_dir(h, "/proc", &entries);
        if (r < 0)
                return fail_both(s, r, "/proc");
        STRV_FOREACH(e, entries) {
                _cleanup_free_ char *comm = NULL, *path = NULL, *exe = NULL;
                bool qemu;

                if (!pid_valid(*e, &pid))
                        continue;
                path = xasprintf("/proc/%s/comm", *e);
                if (!path)
                        return -ENOMEM;
                qemu = host_read_value(h, path, &comm) >= 0 && is_qemu_binary(comm);
                if (!qemu) {
                        free(path);
                        path = xasprintf("/proc/%s/exe", *e);
                        if (!path)
                                return -ENOMEM;
                        if (host_readlink(h, path, 4096, &exe) >= 0) {
                                char *b = strrchr(exe, '/');
                                qemu = is_qemu_binary(b ? b + 1 : exe);
                        }
                }
                if (qemu && (r = pids_add(&pids, &n, pid)) < 0)
                        goto add_failed;
        }

        r = host_list_dir(h, "/run/libvirt/qemu", &pidfiles);
        if (r < 0 && r != -ENOENT && r != -ENOMEDIUM)
                return fail_both(s, r, "/run/libvirt/qemu");
        STRV_FOREACH(f, pidfiles) {
                _cleanup_free_ char *path = NULL, *v = NULL, *dir = NULL;

                /* driver.pid is the QEMU driver's lock file: it holds the
                 * pid of libvirtd (virtqemud), not of a guest. */
                if (!endswith(*f, ".pid") || streq(*f, "driver.pid"))
                        continue;
                path = xasprintf("/run/libvirt/qemu/%s", *f);
                if (!path)
                        return -ENOMEM;
                if (host_read_value(h, path, &v) < 0 || !pid_valid(v, &pid))
                        continue; /* half-written or stale: /proc has the truth */
                dir = xasprintf("/proc/%s", v);
                if (!dir)
                        return -ENOMEM;
                if (host_exists(h, dir) > 0 && (r = pids_add(&pids, &n, pid)) < 0)
                        goto add_failed;
        }
        if (n > 0)
                qsort(pids, n, sizeof(*pids), cmp_u64);
        *ret = TAKE_PTR(pids);
        *ret_n = n;
        return 0;

add_failed:
        if (r == -E2BIG) {
                r = fact_store_fail_namespace(s, "qemu", r, "/proc: more than %u QEMU processes", QEMU_PROCESSES_MAX);
                if (r >= 0)
                        r = fact_store_fail_namespace(s, "process", -E2BIG, "/proc: more than %u QEMU processes",
                                                      QEMU_PROCESSES_MAX);
                return r < 0 ? r : -E2BIG;
        }
        return r;
}

static int
qemu_processes_load(FactStore *s, Host *h)
{
        _cleanup_free_ uint64_t *pids = NULL;
        _cleanup_strv_free_ char **recorded = NULL;
        size_t n = 0;
        int r;

        /* One scan fills both namespaces. */
        (void) fact_store_mark_complete(s, "qemu");
        (void) fact_store_mark_complete(s, "process");

        r = host_runtime_available(h, "/proc/");
        if (r < 0)
                return fail_both(s, r, "/proc");
        r = processes_find(s, h, &pids, &n);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n; i++) {
                char buf[32];

                snprintf(buf, sizeof(buf), "%" PRIu64, pids[i]);
                r = process_record(s, h, buf);
                if (r < 0)
                        return r;
                if (r > 0 && strv_extend(&recorded, buf) < 0)
                        return -ENOMEM;
        }
        if (!recorded && !(recorded = calloc(1, sizeof(char *))))
                return -ENOMEM;
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(recorded)};
        return fact_store_put(s, "qemu:pids", &f);
}

int
probe_qemu_load(FactStore *s, Host *h)
{
        return qemu_processes_load(s, h);
}

int
probe_process_load(FactStore *s, Host *h)
{
        return qemu_processes_load(s, h);
}

/* ------------------------------------------------------------------ */
/* Derived per-process facts: computed from the facts above (live or from
 * a facts file alike), so that checks judge them as data.               */

/* Capability names by bit (include/uapi/linux/capability.h, Linux 6.x),
 * as capsh(1) prints them. */
static const char *const cap_names[] = {
        "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid", "cap_kill",
        "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable", "cap_net_bind_service",
        "cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module",
        "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot",
        "cap_sys_nice", "cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease",
        "cap_audit_write", "cap_audit_control", "cap_setfcap", "cap_mac_override", "cap_mac_admin", "cap_syslog",
        "cap_wake_alarm", "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
};

static int
derived_put_list(FactStore *s, const char *key, char **l)
{
        Fact f = {.kind = FACT_LIST, .list = l};

        if (!f.list && !(f.list = calloc(1, sizeof(char *))))
                return -ENOMEM;
        return fact_store_put(s, key, &f);
}

/* The source fact @field of @pid as a string, or stores why it cannot be
 * used under @key and returns NULL (*ret_r: 1, or -ENOMEM). */
static const Fact *
derived_source(FactStore *s, const char *key, const char *pid, const char *field, FactKind want,
               const char *missing, int *ret_r)
{
        _cleanup_free_ char *src = xasprintf("process:%s/%s", pid, field);
        const Fact *f;
        int r;

        *ret_r = -ENOMEM;
        if (!src)
                return NULL;
        f = fact_store_get(s, src);
        if (f->kind == want)
                return f;
        if (f->kind == FACT_ERROR)
                r = fact_store_set_error(s, key, f->error, "%s", f->string ? f->string : "unreadable");
        else
                r = fact_store_set_error(s, key, -ENODATA, "%s: %s", src, missing);
        *ret_r = r < 0 ? r : 1;
        return NULL;
}

/* "uids"/"gids": the four ids of Uid:/Gid: (real, effective, saved, fs)
 * as a list; "euid"/"egid": the effective one. */
static int
derive_ids(FactStore *s, const char *key, const char *pid, const char *field, bool effective)
{
        const Fact *f;
        _cleanup_strv_free_ char **ids = NULL;
        int r;

        f = derived_source(s, key, pid, field, FACT_STRING, streq(field, "uid") ? "no Uid: recorded" : "no Gid: recorded",
                           &r);
        if (!f)
                return r;
        for (const char *p = f->string; *p;) {
                size_t n;

                p += strspn(p, " \t");
                n = strcspn(p, " \t");
                if (n == 0)
                        break;
                if (strv_consume(&ids, strndup(p, n)) < 0)
                        return -ENOMEM;
                p += n;
        }
        if (strv_length(ids) != 4) {
                r = fact_store_set_error(s, key, -EBADMSG, "process:%s/%s: \"%.64s\" is not four ids", pid, field,
                                         f->string);
                return r < 0 ? r : 1;
        }
        if (effective) {
                r = fact_store_set_string(s, key, ids[1]);
                return r < 0 ? r : 1;
        }
        r = derived_put_list(s, key, TAKE_PTR(ids));
        return r < 0 ? r : 1;
}

/* "capeff-names"/"capprm-names": the capabilities of a CapEff:/CapPrm:
 * mask by name (bits without a name as cap_N); empty when none. */
static int
derive_cap_names(FactStore *s, const char *key, const char *pid, const char *field)
{
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *hex = NULL;
        const Fact *f;
        uint64_t mask;
        int r;

        f = derived_source(s, key, pid, field, FACT_STRING, "not recorded", &r);
        if (!f)
                return r;
        hex = xasprintf("0x%s", f->string);
        if (!hex)
                return -ENOMEM;
        if (!all_digits(f->string, true) || strlen(f->string) > 16 || parse_uint64(hex, &mask) < 0) {
                r = fact_store_set_error(s, key, -EBADMSG, "process:%s/%s: \"%.64s\" is not a capability mask", pid,
                                         field, f->string);
                return r < 0 ? r : 1;
        }
        for (unsigned bit = 0; bit < 64; bit++) {
                if (!(mask & (UINT64_C(1) << bit)))
                        continue;
                r = bit < ELEMENTSOF(cap_names) ? strv_extend(&names, cap_names[bit])
                                                : strv_consume(&names, xasprintf("cap_%u", bit));
                if (r < 0)
                        return r;
        }
        r = derived_put_list(s, key, TAKE_PTR(names));
        return r < 0 ? r : 1;
}

/* "sandbox": the elements of the last -sandbox argument (QEMU keeps the
 * last), ",," unescaped to ","; absent without -sandbox. */
static int
derive_sandbox(FactStore *s, const char *key, const char *pid)
{
        _cleanup_strv_free_ char **elems = NULL;
        const char *opts = NULL;
        const Fact *f;
        int r;

        f = derived_source(s, key, pid, "cmdline", FACT_LIST, "no command line recorded", &r);
        if (!f)
                return r;
        for (size_t i = 0; f->list && f->list[i]; i++)
                if ((streq(f->list[i], "-sandbox") || streq(f->list[i], "--sandbox")) && f->list[i + 1])
                        opts = f->list[i + 1];
        if (!opts) {
                r = fact_store_set_absent(s, key);
                return r < 0 ? r : 1;
        }
        for (const char *p = opts;;) {
                StrBuf b = {};

                while (*p && !(*p == ',' && p[1] != ',')) {
                        if (*p == ',') /* ",," */
                                p++;
                        strbuf_appendn(&b, p++, 1);
                }
                if (strv_consume(&elems, strbuf_steal(&b)) < 0)
                        return -ENOMEM;
                if (!*p)
                        break;
                p++;
        }
        r = derived_put_list(s, key, TAKE_PTR(elems));
        return r < 0 ? r : 1;
}

/* QEMU's boolean option words (util/qapi-util.c qapi_bool_parse). */
static bool
qemu_bool(const char *v, bool *ret)
{
        if (streq(v, "on") || streq(v, "yes") || streq(v, "true") || streq(v, "y"))
                *ret = true;
        else if (streq(v, "off") || streq(v, "no") || streq(v, "false") || streq(v, "n"))
                *ret = false;
        else
                return false;
        return true;
}

/* QEMU's seccomp sets (softmmu/qemu-seccomp.c, QEMU_SECCOMP_SET_*), as
 * the items of "sandbox-claims". */
enum {
        CLAIM_DEFAULT = 1 << 0,
        CLAIM_OBSOLETE = 1 << 1,
        CLAIM_PRIVILEGED = 1 << 2,
        CLAIM_SPAWN = 1 << 3,
        CLAIM_RESOURCECTL = 1 << 4,
};

/* The sets one "-sandbox" option string asks for, as QEMU 7.2's
 * parse_sandbox() reads it: "enable" is the implied key, obsolete is
 * denied unless obsolete=allow, elevateprivileges=deny|children,
 * spawn=deny and resourcecontrol=deny add theirs; nothing unless enabled.
 * ",," escapes a comma. */
static unsigned
sandbox_claims_one(const char *opts)
{
        bool first = true, enable = false, obsolete_allow = false;
        unsigned sets = 0;

        for (const char *p = opts; *p || first;) {
                _cleanup_free_ char *elem = NULL;
                StrBuf b = {};
                char *eq;

                while (*p && !(*p == ',' && p[1] != ',')) {
                        strbuf_appendn(&b, p, 1);
                        p += (*p == ',' && p[1] == ',') ? 2 : 1;
                }
                elem = strbuf_steal(&b);
                if (elem) {
                        eq = strchr(elem, '=');
                        if (!eq && first)
                                (void) qemu_bool(elem, &enable);
                        else if (eq) {
                                *eq = '\0';
                                if (streq(elem, "enable"))
                                        (void) qemu_bool(eq + 1, &enable);
                                else if (streq(elem, "obsolete"))
                                        obsolete_allow = streq(eq + 1, "allow");
                                else if (streq(elem, "elevateprivileges") &&
                                         (streq(eq + 1, "deny") || streq(eq + 1, "children")))
                                        sets |= CLAIM_PRIVILEGED;
                                else if (streq(elem, "spawn") && streq(eq + 1, "deny"))
                                        sets |= CLAIM_SPAWN;
                                else if (streq(elem, "resourcecontrol") && streq(eq + 1, "deny"))
                                        sets |= CLAIM_RESOURCECTL;
                        }
                }
                first = false;
                if (!*p)
                        break;
                p++;
        }
        if (!enable)
                return 0;
        return sets | CLAIM_DEFAULT | (obsolete_allow ? 0 : CLAIM_OBSOLETE);
}

/* "sandbox-claims": the seccomp sets the command line asks QEMU to deny,
 * summed over every -sandbox argument (QEMU installs one filter per
 * enabled -sandbox): default, obsolete, privileged, spawn, resourcectl.
 * Empty when no -sandbox enables the filter. */
static int
derive_sandbox_claims(FactStore *s, const char *key, const char *pid)
{
        static const char *const names[] = {"default", "obsolete", "privileged", "spawn", "resourcectl"};
        _cleanup_strv_free_ char **claims = NULL;
        unsigned sets = 0;
        const Fact *f;
        int r;

        f = derived_source(s, key, pid, "cmdline", FACT_LIST, "no command line recorded", &r);
        if (!f)
                return r;
        for (size_t i = 0; f->list && f->list[i]; i++)
                if ((streq(f->list[i], "-sandbox") || streq(f->list[i], "--sandbox")) && f->list[i + 1])
                        sets |= sandbox_claims_one(f->list[i + 1]);
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if ((sets & (1u << i)) && strv_extend(&claims, names[i]) < 0)
                        return -ENOMEM;
        r = derived_put_list(s, key, TAKE_PTR(claims));
        return r < 0 ? r : 1;
}

typedef struct DomainIds {
        char **names;   /* parsed domains, in the order of libvirt:domains */
        char **uuids;   /* parallel; "" when the definition has none */
} DomainIds;

static void
domain_ids_free(void *p)
{
        DomainIds *d = p;

        if (!d)
                return;
        strv_free(d->names);
        strv_free(d->uuids);
        free(d);
}

/* Name and UUID of every defined domain whose definition parses, once per
 * store.  NULL when there is no readable domain list. */
static const DomainIds *
domain_ids(FactStore *s)
{
        const Fact *list = fact_store_get(s, "libvirt:domains");
        DomainIds *d = fact_store_attachment(s, "process-domain-ids");

        if (d)
                return d;
        if (list->kind != FACT_LIST)
                return NULL;
        d = calloc(1, sizeof(*d));
        if (!d)
                return NULL;
        STRV_FOREACH(name, list->list) {
                const Fact *xml = fact_store_get2(s, "domain", *name);
                Domain *dom = NULL;
                _cleanup_free_ char *err = NULL;

                if (xml->kind != FACT_STRING ||
                    domain_parse(xml->string, strlen(xml->string), *name, &dom, &err) < 0)
                        continue;
                if (strv_extend(&d->names, *name) < 0 || strv_extend(&d->uuids, dom->uuid ? dom->uuid : "") < 0) {
                        domain_free(dom);
                        domain_ids_free(d);
                        return NULL;
                }
                domain_free(dom);
        }
        if (fact_store_attach(s, "process-domain-ids", d, domain_ids_free) < 0) {
                domain_ids_free(d);
                return NULL;
        }
        return d;
}

/*
 * "domain": the defined domain a QEMU process runs, the one match of a
 * process to its VM: by -uuid first (unique by construction), then by
 * -name guest= (a name can be reused once the first VM is undefined).
 * Only domains whose definition parses are candidates.  Absent when none
 * matches or no domain list can be read.
 */
static int
derive_domain(FactStore *s, const char *key, const char *pid)
{
        _cleanup_free_ char *uk = xasprintf("process:%s/uuid", pid), *nk = xasprintf("process:%s/name", pid);
        const Fact *uuid, *name;
        const DomainIds *d;
        const char *match = NULL;
        int r;

        if (!uk || !nk)
                return -ENOMEM;
        uuid = fact_store_get(s, uk);
        name = fact_store_get(s, nk);
        d = domain_ids(s);
        for (size_t i = 0; d && uuid->kind == FACT_STRING && d->names && d->names[i] && !match; i++)
                if (d->uuids[i][0] && strcasecmp(d->uuids[i], uuid->string) == 0)
                        match = d->names[i];
        for (size_t i = 0; d && name->kind == FACT_STRING && d->names && d->names[i] && !match; i++)
                if (streq(d->names[i], name->string))
                        match = d->names[i];
        r = match ? fact_store_set_string(s, key, match) : fact_store_set_absent(s, key);
        return r < 0 ? r : 1;
}

int
probe_process_derive(FactStore *s, const char *name)
{
        _cleanup_free_ char *key = xasprintf("process:%s", name), *pid = NULL;
        const char *slash = strchr(name, '/'), *field;

        if (!key)
                return -ENOMEM;
        if (!slash || strchr(slash + 1, '/'))
                return 0;
        pid = strndup(name, (size_t) (slash - name));
        if (!pid)
                return -ENOMEM;
        field = slash + 1;
        if (streq(field, "uids") || streq(field, "gids") || streq(field, "euid") || streq(field, "egid"))
                return derive_ids(s, key, pid, field[0] == 'e' ? field + 1 : field[0] == 'u' ? "uid" : "gid",
                                  field[0] == 'e');
        if (streq(field, "capeff-names") || streq(field, "capprm-names"))
                return derive_cap_names(s, key, pid, streq(field, "capeff-names") ? "capeff" : "capprm");
        if (streq(field, "sandbox"))
                return derive_sandbox(s, key, pid);
        if (streq(field, "domain"))
                return derive_domain(s, key, pid);
        if (streq(field, "sandbox-claims"))
                return derive_sandbox_claims(s, key, pid);
        if (streq(field, "listener-services"))
                return probe_listen_derive_services(s, key, pid);
        if (streq(field, "seccomp-allows"))
                return probe_seccomp_derive_allows(s, key, pid);
        return 0;
}
