/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The AppArmor generator: what virt-aa-helper writes to
 * libvirt-UUID.files, validated and inline in one profile.  Every path from
 * the XML, an image header or a symlink goes through add_path(), which
 * normalizes it, resolves it to its real target, refuses what the deny
 * table, the host's own disks or another VM's files forbid, and quotes it.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "profile-image.h"
#include "profile-paths.h"
#include "profile.h"
#include "strv.h"
#include "util.h"


typedef struct Rule {
        char *path;   /* AppArmor path expression, quoted and escaped */
        char perms[8];
        bool deny_write; /* read-only file: "deny ... w," unless another
                          * rule grants write */
} Rule;

typedef enum AddFlags {
        ADD_RECURSIVE = 1 << 0, /* the directory and everything under it */
        ADD_READONLY = 1 << 1,  /* also emit deny w */
        ADD_UNTRUSTED = 1 << 2, /* from an image header: no special characters at all */
} AddFlags;

typedef struct Gen {
        const ProfileInput *in;
        const Domain *d;
        ProfileDenyTable deny;
        Rule *rules;
        size_t n_rules;
        char **disk_dirs; /* real directories of the VM's own disk images */
        ProfileVmId self;  /* name and UUID: the VM's own runtime entries */
        char uuid[37];
        char *error;
} Gen;

static int _printf_(3, 4)
fail(Gen *g, int err, const char *fmt, ...)
{
        va_list ap;

        if (!g->error) {
                va_start(ap, fmt);
                if (vasprintf(&g->error, fmt, ap) < 0)
                        g->error = NULL;
                va_end(ap);
        }
        return err;
}

/* A value for a message: escaped, in a static ring so that a message can
 * hold a few of them. */
static const char *
q(const char *s)
{
        static char *ring[4];
        static unsigned i;

        i = (i + 1) % ELEMENTSOF(ring);
        free(ring[i]);
        ring[i] = profile_escape_for_message(s ? s : "(none)");
        return ring[i] ? ring[i] : "?";
}

/* AppArmor quoted string: every character with a meaning escaped. */
static char *
aa_quote(const char *path)
{
        StrBuf b = {};

        strbuf_append(&b, "\"");
        for (const char *c = path; *c; c++) {
                if (strchr("*?[]{}^\"\\", *c))
                        strbuf_appendn(&b, "\\", 1);
                strbuf_appendn(&b, c, 1);
        }
        strbuf_append(&b, "\"");
        return strbuf_steal(&b);
}

static int
push_rule(Gen *g, char *expr, const char *perms, bool deny_write)
{
        Rule *r;

        if (!expr)
                return -ENOMEM;
        if (g->n_rules >= PROFILE_RULES_MAX) {
                free(expr);
                return fail(g, -E2BIG, "more than %u rules", PROFILE_RULES_MAX);
        }
        r = realloc(g->rules, (g->n_rules + 1) * sizeof(*r));
        if (!r) {
                free(expr);
                return -ENOMEM;
        }
        g->rules = r;
        r = &g->rules[g->n_rules++];
        *r = (Rule) {.path = expr, .deny_write = deny_write};
        snprintf(r->perms, sizeof(r->perms), "%s", perms);
        return 0;
}

/* A rule the generator builds from validated identifiers (no user text
 * other than what was checked): written as given. */
static int
add_trusted(Gen *g, const char *expr, const char *perms)
{
        return push_rule(g, strdup(expr), perms, false);
}

static bool
perms_write(const char *perms)
{
        return strpbrk(perms, "wal") != NULL; /* k (lock) only with r */
}

/* Real path of @path: the path itself resolved or, when it does not exist
 * yet (a log file, a socket), its parent resolved plus the last name. */
static int
resolve(Gen *g, const char *elem, const char *path, char **ret)
{
        const char *why = NULL;
        int r;

        r = profile_path_resolve(g->in->host, path, ret, &why);
        if (r == -EINVAL && why)
                return fail(g, r, "%s \"%s\": its real path: %s", elem, q(path), why);
        if (r < 0 && r != -ENOMEM)
                return fail(g, r, "%s \"%s\": cannot resolve: %s", elem, q(path), strerror(-r));
        return r;
}

static int
check_allowed(Gen *g, const char *elem, const char *shown, const char *real, const char *perms, AddFlags flags)
{
        bool write = perms_write(perms), recursive = flags & ADD_RECURSIVE;
        const ProfileDenyEntry *e;
        const char *via = streq(shown, real) ? "" : " (symlink to \"";

        e = profile_deny_table_check(&g->deny, real, write, recursive, &g->self);
        if (e && e->kind == PROFILE_DENY_VMSTATE && domain_path_under(real, e->path) && !streq(real, e->path))
                return fail(g, -EPERM, "%s \"%s\"%s%s%s: not an entry of this VM in %s, refused: %s", elem,
                            q(shown), via, *via ? q(real) : "", *via ? "\")" : "", e->path, e->reason);
        if (e && (e->kind == PROFILE_DENY_TREE || e->kind == PROFILE_DENY_VMSTATE ||
                  !domain_path_under(real, e->path)))
                /* A shared directory that contains a denied path. */
                return fail(g, -EPERM, "%s \"%s\"%s%s%s: sharing it would grant %s, refused: %s", elem,
                            q(shown), via, *via ? q(real) : "", *via ? "\")" : "", e->path, e->reason);
        if (e)
                return fail(g, -EPERM, "%s \"%s\"%s%s%s: %s%s is refused: %s", elem, q(shown), via,
                            *via ? q(real) : "", *via ? "\")" : "",
                            e->kind == PROFILE_DENY_WRITE ? "write access to " : "access to ", e->path, e->reason);
        STRV_FOREACH(hd, g->in->host_disks)
                if (profile_path_same_disk(real, *hd) || (recursive && domain_path_under(*hd, real)))
                        return fail(g, -EPERM, "%s \"%s\": it is the host's own disk %s", elem, q(shown), q(*hd));
        STRV_FOREACH(o, g->in->other_vm_paths)
                if (streq(*o, real) || streq(*o, shown) || (recursive && domain_path_under(*o, real)))
                        return fail(g, -EPERM, "%s \"%s\": %s belongs to another VM", elem, q(shown),
                                    streq(*o, real) || streq(*o, shown) ? "it" : q(*o));
        STRV_FOREACH(o, g->in->other_vm_shared_paths)
                if (((streq(*o, real) || streq(*o, shown)) && write) || (recursive && domain_path_under(*o, real)))
                        return fail(g, -EPERM, "%s \"%s\": another VM uses %s too; only a read-only file may be "
                                    "shared", elem, q(shown), streq(*o, real) || streq(*o, shown) ? "it" : q(*o));
        return 0;
}

/* The one way a path from the XML, a header or the host becomes a rule. */
static int
add_path(Gen *g, const char *elem, const char *path, const char *perms, AddFlags flags, char **ret_real)
{
        _cleanup_free_ char *norm = NULL, *real = NULL;
        const char *why;
        int r;

        if (!path)
                return 0;
        if ((flags & ADD_UNTRUSTED) && profile_path_has_special(path))
                return fail(g, -EINVAL, "%s \"%s\": glob, quote or space characters in a name read from an "
                            "image header are refused", elem, q(path));
        r = domain_path_normalize(path, &norm, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return fail(g, -EINVAL, "%s \"%s\": %s", elem, q(path), why);
        r = resolve(g, elem, norm, &real);
        if (r < 0)
                return r;
        if ((flags & ADD_UNTRUSTED) && profile_path_has_special(real))
                return fail(g, -EINVAL, "%s \"%s\": its real path \"%s\" holds glob or quote characters", elem,
                            q(path), q(real));
        r = check_allowed(g, elem, norm, real, perms, flags);
        if (r < 0)
                return r;
        if (flags & ADD_RECURSIVE) {
                const char *sep = streq(real, "/") ? "" : "/";
                _cleanup_free_ char *dir = xasprintf("%s%s", real, sep), *qd = NULL;

                if (!dir || !(qd = aa_quote(dir)))
                        return -ENOMEM;
                r = push_rule(g, xasprintf("%s", qd), "r", false);
                if (r < 0)
                        return r;
                /* "dir/" then its tree: the escaped directory and the glob. */
                qd[strlen(qd) - 1] = '\0';
                r = push_rule(g, xasprintf("%s**\"", qd), perms, false);
        } else
                r = push_rule(g, aa_quote(real), perms, flags & ADD_READONLY);
        if (r < 0)
                return r;
        if (ret_real)
                *ret_real = TAKE_PTR(real);
        return 0;
}

/* ---- disks and backing chains ---- */

static int
add_disk_dir(Gen *g, const char *real)
{
        _cleanup_free_ char *dir = strdup(real);
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (slash == dir)
                slash[1] = '\0';
        else
                *slash = '\0';
        if (strv_contains(g->disk_dirs, dir))
                return 0;
        return strv_consume(&g->disk_dirs, TAKE_PTR(dir));
}

static bool
in_disk_dirs(Gen *g, const char *real)
{
        _cleanup_free_ char *dir = strdup(real);
        char *slash;

        if (!dir)
                return false;
        slash = strrchr(dir, '/');
        if (slash == dir)
                slash[1] = '\0';
        else
                *slash = '\0';
        return strv_contains(g->disk_dirs, dir);
}

/* Follows the backing chain in the headers, from @image (a real path) of
 * format @format (NULL: detect). */
static int
backing_add(void *userdata, const char *elem, const char *path, char **ret_real)
{
        return add_path(userdata, elem, path, "rk", ADD_UNTRUSTED | ADD_READONLY, ret_real);
}

static bool
backing_in_disk_dirs(void *userdata, const char *real)
{
        return in_disk_dirs(userdata, real);
}

static int
add_backing_chain(Gen *g, const char *elem, const char *image, const char *format)
{
        const ProfileBackingOps ops = {.userdata = g, .add = backing_add, .in_disk_dirs = backing_in_disk_dirs};
        _cleanup_free_ char *error = NULL;
        int r;

        r = profile_backing_chain_walk(g->in->host, elem, image, format, &ops, &error);
        if (r < 0 && error)
                return fail(g, r, "%s", error);
        return r;
}

static int
add_disks(Gen *g)
{
        const Domain *d = g->d;
        int r;

        /* First pass: the directories the VM's own images live in. */
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *disk = &d->disks[i];
                _cleanup_free_ char *norm = NULL, *real = NULL;
                const char *why;

                if (!disk->source || !disk->type || (!streq(disk->type, "file") && !streq(disk->type, "block")))
                        continue;
                if (domain_path_normalize(disk->source, &norm, &why) < 0)
                        continue; /* refused in the second pass */
                r = resolve(g, "disk", norm, &real);
                if (r < 0)
                        return r;
                r = add_disk_dir(g, real);
                if (r < 0)
                        return r;
        }

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *disk = &d->disks[i];
                const char *type = disk->type ? disk->type : "file";
                bool rw = domain_disk_is_writable(disk);
                const char *perms = rw ? "rwk" : "rk";
                _cleanup_free_ char *elem = xasprintf("<disk type='%s' device='%s'> %s source", q(type),
                                                      q(disk->device ? disk->device : "disk"),
                                                      q(disk->target_dev ? disk->target_dev : "?"));
                _cleanup_free_ char *real = NULL;

                if (!elem)
                        return -ENOMEM;
                if (streq(type, "network"))
                        continue; /* nothing on the host */
                if (streq(type, "volume"))
                        return fail(g, -EOPNOTSUPP, "%s: a volume of pool \"%s\" needs libvirt to resolve its path; "
                                    "generate from the running domain's XML", elem, q(disk->pool));
                if (streq(type, "nvme"))
                        return fail(g, -EOPNOTSUPP, "%s: NVMe disks are not supported", elem);
                if (!streq(type, "file") && !streq(type, "block") && !streq(type, "dir") &&
                    !streq(type, "vhostuser"))
                        return fail(g, -EOPNOTSUPP, "%s: disk type \"%s\" is not supported", elem, q(type));
                if (!disk->source)
                        continue; /* an empty cdrom or floppy */
                if (streq(type, "dir")) {
                        r = add_path(g, elem, disk->source, rw ? "rwk" : "r", ADD_RECURSIVE, NULL);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (streq(type, "vhostuser")) {
                        r = add_path(g, elem, disk->source, "rw", 0, NULL);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (streq(type, "file")) {
                        const char *why = profile_file_disk_refusal(g->in->host, disk->source);

                        if (why)
                                return fail(g, -EPERM, "%s \"%s\": %s", elem, q(disk->source), why);
                }
                r = add_path(g, elem, disk->source, perms, rw ? 0 : ADD_READONLY, &real);
                if (r < 0)
                        return r;
                /* The chain libvirt recorded in the XML... */
                for (size_t j = 0; j < disk->n_backing; j++) {
                        const DomainBackingStore *b = &disk->backing[j];
                        _cleanup_free_ char *belem = xasprintf("%s <backingStore> %zu", elem, j + 1);

                        if (!belem)
                                return -ENOMEM;
                        if (!b->path || (b->type && streq(b->type, "network")))
                                continue;
                        r = add_path(g, belem, b->path, "rk", ADD_READONLY, NULL);
                        if (r < 0)
                                return r;
                }
                /* ...and the one the headers hold (what QEMU will open). */
                r = add_backing_chain(g, elem, real, disk->driver_type);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- firmware, kernel ---- */

static int
add_os(Gen *g)
{
        const DomainOs *os = &g->d->os;
        int r;

        r = add_path(g, "<kernel>", os->kernel, "r", 0, NULL);
        if (r >= 0)
                r = add_path(g, "<initrd>", os->initrd, "r", 0, NULL);
        if (r >= 0)
                r = add_path(g, "<dtb>", os->dtb, "r", 0, NULL);
        if (r >= 0)
                r = add_path(g, "<loader>", os->loader, "rk", ADD_READONLY, NULL);
        if (r >= 0)
                r = add_path(g, "<nvram>", os->nvram, "rwk", 0, NULL);
        return r;
}

/* ---- character devices ---- */

static int
add_chardev_source(Gen *g, const char *elem, const char *type, const char *path)
{
        int r;

        if (!path)
                return 0;
        if (streq(type, "pipe")) {
                _cleanup_free_ char *in = xasprintf("%s.in", path), *out = xasprintf("%s.out", path);

                if (!in || !out)
                        return -ENOMEM;
                r = add_path(g, elem, path, "rw", 0, NULL);
                if (r >= 0)
                        r = add_path(g, elem, in, "rw", 0, NULL);
                if (r >= 0)
                        r = add_path(g, elem, out, "rw", 0, NULL);
                return r;
        }
        if (streq(type, "file") || streq(type, "unix") || streq(type, "dev") || streq(type, "pty"))
                return add_path(g, elem, path, "rw", 0, NULL);
        return 0; /* tcp, udp, spicevmc, null, vc, stdio: no file */
}

static int
add_chardevs(Gen *g)
{
        const Domain *d = g->d;
        int r;

        for (size_t i = 0; i < d->n_chardevs; i++) {
                const DomainChardev *c = &d->chardevs[i];
                const char *kind = domain_chardev_kind_to_string(c->kind);
                _cleanup_free_ char *elem = xasprintf("<%s type='%s'> source", kind, q(c->type)),
                                    *lelem = xasprintf("<%s> <log file>", kind);

                if (!elem || !lelem)
                        return -ENOMEM;
                for (size_t j = 0; c->type && j < c->n_sources; j++) {
                        /* A pty's /dev/pts/N is only known while the VM
                         * runs, and changes at every start: QEMU gets it
                         * from /dev/ptmx (the abstraction grants that). */
                        if (streq(c->type, "pty"))
                                continue;
                        /* Sockets libvirt creates in the VM's runtime
                         * directories (a running VM's guest agent channel):
                         * per-run names, granted by add_runtime(). */
                        if (profile_runtime_covered(c->sources[j].path, &g->self))
                                continue;
                        r = add_chardev_source(g, elem, c->type, c->sources[j].path);
                        if (r < 0)
                                return r;
                }
                r = add_path(g, lelem, c->log_file, "rw", 0, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- TPM ---- */

/* libvirt's short name "ID-NAME" (domain_short_name()) as an AppArmor
 * expression: the id as 1 to DOMAIN_ID_DIGITS_MAX digits, never
 * "*" (that would match another VM's "ID-other-NAME"), and never the id
 * of one run even when the XML is a running domain's: it changes at every
 * start. */
static char *
short_name_expr(const Domain *d)
{
        _cleanup_free_ char *name = NULL, *qn = NULL;
        const char *why;
        StrBuf b = {};

        if (domain_short_name(d->name, &name, &why) < 0 || !(qn = aa_quote(name)))
                return NULL;
        qn[strlen(qn) - 1] = '\0'; /* without the closing quote */
        strbuf_append(&b, "{");
        for (unsigned i = 1; i <= DOMAIN_ID_DIGITS_MAX; i++) {
                for (unsigned k = 0; k < i; k++)
                        strbuf_append(&b, "[0-9]");
                strbuf_append(&b, i < DOMAIN_ID_DIGITS_MAX ? "," : "}");
        }
        strbuf_printf(&b, "-%s", qn + 1);
        return strbuf_steal(&b);
}

static int
add_tpms(Gen *g, const char *uuid)
{
        const Domain *d = g->d;
        int r;

        for (size_t i = 0; i < d->n_tpms; i++) {
                const DomainTpm *t = &d->tpms[i];
                const char *backend = t->backend_type ? t->backend_type : "passthrough";

                if (streq(backend, "passthrough")) {
                        const char *dev = t->device_path ? t->device_path : "/dev/tpm0";
                        _cleanup_free_ char *cancel = NULL;

                        r = add_path(g, "<tpm><backend type='passthrough'> <device path>", dev, "rw", 0, NULL);
                        if (r < 0)
                                return r;
                        /* QEMU writes the cancel file of the TPM's sysfs
                         * node; the device name is validated above. */
                        const char *base = strrchr(dev, '/') + 1;
                        bool simple = *base;
                        for (const char *c = base; *c; c++)
                                if (!isalnum((unsigned char) *c))
                                        simple = false;
                        if (!simple)
                                return fail(g, -EINVAL, "<tpm> <device path=\"%s\">: not a TPM device name", q(dev));
                        cancel = xasprintf("/sys/class/tpm/%s/device/cancel", base);
                        if (!cancel)
                                return -ENOMEM;
                        r = add_trusted(g, cancel, "w");
                        if (r < 0)
                                return r;
                } else if (streq(backend, "emulator")) {
                        /* libvirt runs swtpm under the VM's own label: its
                         * state, log, pid file and socket (qemu_tpm.c). */
                        _cleanup_free_ char *sn = short_name_expr(d), *qn = NULL, *state = NULL, *log = NULL,
                                            *sock = NULL, *pid = NULL, *dir = NULL;
                        const char *ver = t->version && streq(t->version, "1.2") ? "tpm1.2" : "tpm2";

                        if (t->version && !streq(t->version, "1.2") && !streq(t->version, "2.0"))
                                return fail(g, -EINVAL, "<tpm> <backend version=\"%s\">: not 1.2 or 2.0",
                                            q(t->version));
                        if (!sn || !(qn = aa_quote(d->name)))
                                return -ENOMEM;
                        qn[strlen(qn) - 1] = '\0';
                        dir = xasprintf("\"/var/lib/libvirt/swtpm/%s/%s/\"", uuid, ver);
                        state = xasprintf("\"/var/lib/libvirt/swtpm/%s/%s/**\"", uuid, ver);
                        log = xasprintf("\"/var/log/swtpm/libvirt/qemu/%s-swtpm.log\"", qn + 1);
                        sock = xasprintf("\"/run/libvirt/qemu/swtpm/%s-swtpm.sock\"", sn);
                        pid = xasprintf("\"/run/libvirt/qemu/swtpm/%s-swtpm.pid\"", sn);
                        if (!dir || !state || !log || !sock || !pid)
                                return -ENOMEM;
                        /* swtpm (0.7, Debian 12) reads OpenSSL's configuration
                         * at start; the libvirt-qemu abstraction does not grant
                         * it (the lab sees the denial under virt-aa-helper's
                         * profile too). */
                        if ((r = add_trusted(g, "\"/etc/ssl/openssl.cnf\"", "r")) < 0)
                                return r;
                        if ((r = add_trusted(g, dir, "r")) < 0 || (r = add_trusted(g, state, "rwk")) < 0 ||
                            (r = add_trusted(g, log, "w")) < 0 || (r = add_trusted(g, sock, "rw")) < 0 ||
                            (r = add_trusted(g, pid, "rw")) < 0)
                                return r;
                } else if (streq(backend, "external")) {
                        r = add_path(g, "<tpm><backend type='external'> <source path>", t->socket_path, "rw", 0,
                                     NULL);
                        if (r < 0)
                                return r;
                } else
                        return fail(g, -EOPNOTSUPP, "<tpm> <backend type=\"%s\">: not supported", q(backend));
        }
        return 0;
}

/* ---- the VM's runtime files ---- */

/*
 * What libvirt creates for the VM at every start and QEMU opens itself:
 * the master key (-object secret,file=.../master-key.aes), the monitor
 * socket and the other entries of /var/lib/libvirt/qemu/domain-ID-NAME,
 * the guest agent and other channel sockets libvirt names, and the pid
 * file.  virt-aa-helper (libvirt 9.0, src/security/virt-aa-helper.c)
 * writes the same rules with the id of the run; ours holds for any id
 * but only this VM's short name, which must be its own.
 */
static int
add_runtime(Gen *g)
{
        _cleanup_free_ char *sn = NULL, *qn = aa_quote(g->d->name), *dom = NULL, *pid = NULL, *shortn = NULL;
        const char *other = NULL, *why;
        int r;

        if (!qn)
                return -ENOMEM;
        r = domain_short_name(g->d->name, &shortn, &why);
        if (r == -EINVAL)
                return fail(g, r, "<name>%s</name>: %s", q(g->d->name), why);
        if (r < 0 || !(sn = short_name_expr(g->d)))
                return -ENOMEM;
        r = domain_short_name_unique(g->d->name, g->in->other_vm_names, g->in->others_known, &other);
        if (r == -EEXIST)
                return fail(g, r, "<name>%s</name>: libvirt names its runtime files after the first %u bytes "
                            "of the name, which domain \"%s\" shares: a profile for one would open the other's "
                            "master key and sockets; rename one of them", q(g->d->name), DOMAIN_SHORT_NAME_MAX,
                            q(other));
        if (r == -ENOKEY)
                return fail(g, r, "<name>%s</name>: longer than %u bytes, and the host's other domains are not "
                            "known, so no other VM can be proved not to share its runtime file names",
                            q(g->d->name), DOMAIN_SHORT_NAME_MAX);
        qn[strlen(qn) - 1] = '\0';
        dom = xasprintf("\"/var/lib/libvirt/qemu/domain-%s/*\"", sn);
        pid = xasprintf("\"/run/libvirt/qemu/%s.pid\"", qn + 1);
        if (!pid)
                return -ENOMEM;
        if ((r = add_trusted(g, dom, "rw")) < 0 || (r = add_trusted(g, pid, "rwk")) < 0)
                return r;
        /* The libvirt-qemu abstraction (libvirt 9.0) grants
         * "owner .../nvram/ANY_VARS.fd rwk" (a glob): every VM's
         * NVRAM, since all run as one user.  A deny wins over it; the
         * other VMs known now get one each (one defined later does not:
         * regenerate, as for any change of the host's VMs). */
        STRV_FOREACH(o, g->in->other_vm_names) {
                _cleanup_free_ char *qo = aa_quote(*o), *v = NULL, *ms = NULL;

                if (!qo)
                        return -ENOMEM;
                qo[strlen(qo) - 1] = '\0';
                v = xasprintf("deny \"/var/lib/libvirt/qemu/nvram/%s_VARS.fd\"", qo + 1);
                ms = xasprintf("deny \"/var/lib/libvirt/qemu/nvram/%s_VARS.ms.fd\"", qo + 1);
                if (!v || !ms)
                        return -ENOMEM;
                if ((r = add_trusted(g, v, "rwk")) < 0 || (r = add_trusted(g, ms, "rwk")) < 0)
                        return r;
        }
        for (size_t i = 0; i < g->d->n_chardevs; i++) {
                const DomainChardev *c = &g->d->chardevs[i];

                _cleanup_free_ char *qt = NULL, *ch = NULL;
                bool libvirt_path = true;

                if (c->kind != DOMAIN_CHARDEV_CHANNEL || !c->type || !streq(c->type, "unix"))
                        continue;
                /* libvirt names the socket of a channel without a path
                 * (qemu_domain.c, 9.0) channel/target/domain-ID-SHORT/NAME,
                 * NAME its <target name>; a running domain's XML shows it. */
                for (size_t j = 0; j < c->n_sources; j++)
                        if (c->sources[j].path && !profile_runtime_covered(c->sources[j].path, &g->self))
                                libvirt_path = false;
                if (!libvirt_path)
                        continue; /* a path of its own: add_chardevs() */
                if (!c->target_name || !*c->target_name || strchr(c->target_name, '/') ||
                    streq(c->target_name, ".") || streq(c->target_name, "..") ||
                    profile_path_has_special(c->target_name))
                        return fail(g, -EINVAL, "<channel type='unix'> <target name=\"%s\">: libvirt names the "
                                    "channel's socket after it, and it is not one plain file name",
                                    q(c->target_name));
                for (const char *t = c->target_name; *t; t++)
                        if ((unsigned char) *t < 0x20 || *t == 0x7f)
                                return fail(g, -EINVAL, "<channel> <target name=\"%s\">: a control character",
                                            q(c->target_name));
                qt = aa_quote(c->target_name);
                if (!qt)
                        return -ENOMEM;
                ch = xasprintf("\"/var/lib/libvirt/qemu/channel/target/domain-%s/%s", sn, qt + 1);
                if (!ch || (r = add_trusted(g, ch, "rw")) < 0)
                        return ch ? r : -ENOMEM;
        }
        return 0;
}

/* ---- shares ---- */

static int
add_filesystems(Gen *g)
{
        const Domain *d = g->d;
        int r;

        for (size_t i = 0; i < d->n_filesystems; i++) {
                const DomainFilesystem *fs = &d->filesystems[i];
                const char *type = fs->type ? fs->type : "mount";
                const char *drv = fs->driver_type ? fs->driver_type : "path";
                _cleanup_free_ char *elem = xasprintf("<filesystem type='%s' driver='%s' accessmode='%s'> source",
                                                      q(type), q(drv), q(fs->accessmode ? fs->accessmode
                                                                                        : "passthrough"));

                if (!elem)
                        return -ENOMEM;
                if (streq(type, "mount")) {
                        /* 9p (path, handle) opens the tree from QEMU; with
                         * virtiofs it is virtiofsd, which libvirt starts with
                         * the VM's label too.  mapped and squash modes store
                         * ownership in xattrs and need the same file access. */
                        if (!streq(drv, "path") && !streq(drv, "handle") && !streq(drv, "virtiofs"))
                                return fail(g, -EOPNOTSUPP, "%s: driver \"%s\" is not supported", elem, q(drv));
                        if (fs->source_socket) {
                                r = add_path(g, elem, fs->source_socket, "rw", 0, NULL);
                                if (r < 0)
                                        return r;
                                continue; /* virtiofsd run by someone else */
                        }
                        r = add_path(g, elem, fs->source, fs->readonly ? "r" : "rwl", ADD_RECURSIVE, NULL);
                } else if (streq(type, "file") || streq(type, "block"))
                        r = add_path(g, elem, fs->source, fs->readonly ? "rk" : "rwk",
                                     fs->readonly ? ADD_READONLY : 0, NULL);
                else if (streq(type, "ram"))
                        r = 0;
                else
                        return fail(g, -EOPNOTSUPP, "%s: filesystem type \"%s\" is not supported", elem, q(type));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- host devices ---- */

static int
read_sysfs_value(Gen *g, const char *path, char **ret)
{
        const ProfileHost *h = g->in->host;
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        r = h->read_head(h->userdata, path, 64, &buf, &len);
        if (r < 0)
                return r;
        if (memchr(buf, '\0', len))
                return -EBADMSG;
        *ret = strdup(strstrip(buf));
        return *ret ? 0 : -ENOMEM;
}

static bool
all_digits(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (*s < '0' || *s > '9')
                        return false;
        return true;
}

/* /dev/vfio/N of the device whose sysfs directory is @sysdir. */
static int
add_iommu_group(Gen *g, const char *elem, const char *sysdir)
{
        const ProfileHost *h = g->in->host;
        _cleanup_free_ char *link = xasprintf("%s/iommu_group", sysdir), *target = NULL, *dev = NULL;
        const char *group;
        int r;

        if (!link)
                return -ENOMEM;
        if (!h)
                return fail(g, -ENOENT, "%s: its IOMMU group needs the host's sysfs", elem);
        r = h->resolve(h->userdata, link, &target);
        if (r < 0)
                return fail(g, r == -ENOMEDIUM ? -ENOENT : r, "%s: no IOMMU group (%s: %s)", elem, link,
                            strerror(r == -ENOMEDIUM ? ENOENT : -r));
        group = strrchr(target, '/');
        if (!startswith(target, "/sys/kernel/iommu_groups/") || !group || !all_digits(group + 1))
                return fail(g, -EINVAL, "%s: %s points to \"%s\", not an IOMMU group", elem, link, q(target));
        dev = xasprintf("/dev/vfio/%s", group + 1);
        if (!dev)
                return -ENOMEM;
        if ((r = add_trusted(g, "/dev/vfio/vfio", "rw")) < 0 || (r = add_trusted(g, dev, "rw")) < 0)
                return r;
        return 0;
}

static int
add_pci(Gen *g, const DomainHostdev *hd)
{
        const ProfileHost *h = g->in->host;
        _cleanup_free_ char *elem = xasprintf("<hostdev type='pci'> %s", q(hd->pci_address)), *sysdir = NULL,
                            *real = NULL, *rule = NULL;
        int r;

        if (!elem)
                return -ENOMEM;
        if (!hd->pci_address)
                return fail(g, -EINVAL, "%s: no PCI address", elem);
        /* The parser normalized it to DDDD:BB:SS.F hex; check anyway, it
         * becomes a path. */
        for (const char *c = hd->pci_address; *c; c++)
                if (!isxdigit((unsigned char) *c) && *c != ':' && *c != '.')
                        return fail(g, -EINVAL, "%s: not a PCI address", elem);
        if (hd->driver_name && !streq(hd->driver_name, "vfio"))
                return fail(g, -EOPNOTSUPP, "%s: driver \"%s\" (only vfio)", elem, q(hd->driver_name));
        sysdir = xasprintf("/sys/bus/pci/devices/%s", hd->pci_address);
        if (!sysdir)
                return -ENOMEM;
        r = add_iommu_group(g, elem, sysdir);
        if (r < 0)
                return r;
        /* The device's own sysfs files (config, resources, ROM) under its
         * real path in /sys/devices/pci*. */
        r = h->resolve(h->userdata, sysdir, &real);
        if (r < 0)
                return fail(g, r, "%s: %s: %s", elem, sysdir, strerror(-r));
        if (!startswith(real, "/sys/devices/pci") || profile_path_has_special(real) || strstr(real, "/.."))
                return fail(g, -EINVAL, "%s: %s resolves to \"%s\", not a PCI device", elem, sysdir, q(real));
        rule = xasprintf("%s/**", real);
        if (!rule)
                return -ENOMEM;
        return add_trusted(g, rule, "rw");
}

static int
add_usb(Gen *g, const DomainHostdev *hd)
{
        const ProfileHost *h = g->in->host;
        _cleanup_strv_free_ char **entries = NULL;
        _cleanup_free_ char *elem = NULL, *dev = NULL;
        int bus = hd->usb_bus, devno = hd->usb_device;
        unsigned found = 0;
        int r;

        if (bus >= 0 && devno >= 0)
                elem = xasprintf("<hostdev type='usb'> bus %d device %d", bus, devno);
        else
                elem = xasprintf("<hostdev type='usb'> %04x:%04x", (unsigned) hd->usb_vendor,
                                 (unsigned) hd->usb_product);
        if (!elem)
                return -ENOMEM;
        if (bus < 0 || devno < 0) {
                if (hd->usb_vendor < 0 || hd->usb_product < 0)
                        return fail(g, -EINVAL, "%s: neither bus/device nor vendor/product", elem);
                if (!h)
                        return fail(g, -ENOENT, "%s: finding it needs the host's sysfs", elem);
                r = h->list_dir(h->userdata, "/sys/bus/usb/devices", &entries);
                if (r < 0)
                        return fail(g, r == -ENOMEDIUM ? -ENOENT : r, "%s: /sys/bus/usb/devices: %s", elem,
                                    strerror(r == -ENOMEDIUM ? ENOENT : -r));
                STRV_FOREACH(e, entries) {
                        _cleanup_free_ char *pv = NULL, *pp = NULL, *vv = NULL, *vp = NULL, *pb = NULL,
                                            *pd = NULL, *vb = NULL, *vd = NULL;
                        int64_t v, p, b, n;

                        if (strchr(*e, ':') || strchr(*e, '/'))
                                continue; /* interfaces */
                        pv = xasprintf("/sys/bus/usb/devices/%s/idVendor", *e);
                        pp = xasprintf("/sys/bus/usb/devices/%s/idProduct", *e);
                        pb = xasprintf("/sys/bus/usb/devices/%s/busnum", *e);
                        pd = xasprintf("/sys/bus/usb/devices/%s/devnum", *e);
                        if (!pv || !pp || !pb || !pd)
                                return -ENOMEM;
                        if (read_sysfs_value(g, pv, &vv) < 0 || read_sysfs_value(g, pp, &vp) < 0)
                                continue;
                        _cleanup_free_ char *hv = xasprintf("0x%s", vv), *hp = xasprintf("0x%s", vp);
                        if (!hv || !hp)
                                return -ENOMEM;
                        if (parse_int64(hv, &v) < 0 || parse_int64(hp, &p) < 0 || v != hd->usb_vendor ||
                            p != hd->usb_product)
                                continue;
                        if (read_sysfs_value(g, pb, &vb) < 0 || read_sysfs_value(g, pd, &vd) < 0 ||
                            parse_int64(vb, &b) < 0 || parse_int64(vd, &n) < 0 || b < 0 || b > 999 || n < 0 ||
                            n > 999)
                                return fail(g, -EINVAL, "%s: %s has no valid busnum/devnum", elem, *e);
                        bus = (int) b;
                        devno = (int) n;
                        found++;
                }
                if (found == 0)
                        return fail(g, -ENOENT, "%s: no such USB device on the host", elem);
                if (found > 1)
                        return fail(g, -EINVAL, "%s: %u devices match; give bus and device", elem, found);
        }
        if (bus > 999 || devno > 999)
                return fail(g, -EINVAL, "%s: bus or device number out of range", elem);
        dev = xasprintf("/dev/bus/usb/%03d/%03d", bus, devno);
        if (!dev)
                return -ENOMEM;
        return add_trusted(g, dev, "rw");
}

static int
add_scsi(Gen *g, const DomainHostdev *hd)
{
        const ProfileHost *h = g->in->host;
        _cleanup_strv_free_ char **sg = NULL;
        _cleanup_free_ char *elem = xasprintf("<hostdev type='scsi'> %s %s", q(hd->scsi_adapter),
                                              q(hd->scsi_address)),
                            *dir = NULL, *dev = NULL;
        const char *host;
        int r;

        if (!elem)
                return -ENOMEM;
        if (hd->scsi_protocol && streq(hd->scsi_protocol, "iscsi"))
                return 0; /* QEMU connects to the target itself */
        if (!hd->scsi_adapter || !startswith(hd->scsi_adapter, "scsi_host") || !hd->scsi_address)
                return fail(g, -EINVAL, "%s: needs <adapter name='scsi_hostN'> and an address", elem);
        host = hd->scsi_adapter + strlen("scsi_host");
        if (!all_digits(host))
                return fail(g, -EINVAL, "%s: not a SCSI host name", elem);
        for (const char *c = hd->scsi_address; *c; c++)
                if (!isdigit((unsigned char) *c) && *c != ':')
                        return fail(g, -EINVAL, "%s: not a SCSI address", elem);
        if (!h)
                return fail(g, -ENOENT, "%s: finding its sg device needs the host's sysfs", elem);
        dir = xasprintf("/sys/bus/scsi/devices/%s:%s/scsi_generic", host, hd->scsi_address);
        if (!dir)
                return -ENOMEM;
        r = h->list_dir(h->userdata, dir, &sg);
        if (r < 0 || strv_length(sg) != 1 || !startswith(sg[0], "sg") || !all_digits(sg[0] + 2))
                return fail(g, -ENOENT, "%s: no SCSI generic device in %s", elem, dir);
        dev = xasprintf("/dev/%s", sg[0]);
        if (!dev)
                return -ENOMEM;
        return add_trusted(g, dev, hd->readonly == DOMAIN_TRISTATE_YES ? "r" : "rw");
}

static bool
uuid_valid(const char *s)
{
        if (strlen(s) != 36)
                return false;
        for (size_t i = 0; i < 36; i++) {
                bool dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? s[i] != '-' : !isxdigit((unsigned char) s[i]))
                        return false;
        }
        return true;
}

static int
add_hostdevs(Gen *g)
{
        const Domain *d = g->d;
        int r;

        for (size_t i = 0; i < d->n_hostdevs; i++) {
                const DomainHostdev *hd = &d->hostdevs[i];
                const char *mode = hd->mode ? hd->mode : "subsystem";
                const char *type = hd->type ? hd->type : "?";

                if (streq(mode, "capabilities")) {
                        _cleanup_free_ char *elem = xasprintf("<hostdev mode='capabilities' type='%s'>", q(type));
                        if (!elem)
                                return -ENOMEM;
                        r = add_path(g, elem, hd->caps_path, "rw", 0, NULL);
                } else if (streq(type, "pci"))
                        r = add_pci(g, hd);
                else if (streq(type, "usb"))
                        r = add_usb(g, hd);
                else if (streq(type, "scsi"))
                        r = add_scsi(g, hd);
                else if (streq(type, "scsi_host"))
                        r = add_trusted(g, "/dev/vhost-scsi", "rw");
                else if (streq(type, "mdev")) {
                        _cleanup_free_ char *elem = xasprintf("<hostdev type='mdev'> %s", q(hd->mdev_uuid)),
                                            *sysdir = NULL;
                        if (!elem)
                                return -ENOMEM;
                        if (!hd->mdev_uuid || !uuid_valid(hd->mdev_uuid))
                                return fail(g, -EINVAL, "%s: not a UUID", elem);
                        sysdir = xasprintf("/sys/bus/mdev/devices/%s", hd->mdev_uuid);
                        if (!sysdir)
                                return -ENOMEM;
                        r = add_iommu_group(g, elem, sysdir);
                } else
                        return fail(g, -EOPNOTSUPP, "<hostdev type=\"%s\">: not supported", q(type));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- the other devices ---- */

static int
add_misc_devices(Gen *g)
{
        const Domain *d = g->d;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < d->n_interfaces; i++) {
                const DomainInterface *n = &d->interfaces[i];
                if (!n->type)
                        continue;
                if (streq(n->type, "vhostuser"))
                        r = add_path(g, "<interface type='vhostuser'> <source path>", n->source_path, "rw", 0,
                                     NULL);
                else if (streq(n->type, "vdpa"))
                        r = add_path(g, "<interface type='vdpa'> <source dev>", n->source_dev, "rw", 0, NULL);
        }
        for (size_t i = 0; r >= 0 && i < d->n_inputs; i++)
                r = add_path(g, "<input> <source evdev|dev>", d->inputs[i].path, "rw", 0, NULL);
        for (size_t i = 0; r >= 0 && i < d->n_rngs; i++) {
                const DomainRng *rng = &d->rngs[i];
                const char *m = rng->backend_model ? rng->backend_model : "random";
                if (streq(m, "random"))
                        r = add_path(g, "<rng><backend model='random'>", rng->backend_path, "r", 0, NULL);
                else if (streq(m, "egd") && rng->backend_type && streq(rng->backend_type, "unix"))
                        r = add_path(g, "<rng><backend model='egd'> <source path>", rng->backend_path, "rw", 0,
                                     NULL);
        }
        for (size_t i = 0; r >= 0 && i < d->n_shmems; i++) {
                const DomainShmem *s = &d->shmems[i];
                _cleanup_free_ char *elem = xasprintf("<shmem name='%s'>", q(s->name)), *shm = NULL;
                bool sock;

                if (!elem)
                        return -ENOMEM;
                const char *why;

                r = profile_shmem_target(s->name, s->model, s->path, &shm, &sock, &why);
                if (r == -EINVAL)
                        return fail(g, r, "%s: %s", elem, why);
                if (r < 0)
                        return r;
                r = add_path(g, elem, shm, sock ? "rw" : "rwk", 0, NULL);
        }
        for (size_t i = 0; r >= 0 && i < d->n_smartcards; i++) {
                const DomainSmartcard *sc = &d->smartcards[i];
                if (sc->mode && streq(sc->mode, "host-certificates"))
                        r = add_path(g, "<smartcard mode='host-certificates'> <database>",
                                     sc->database ? sc->database : "/etc/pki/nssdb", "rk", ADD_RECURSIVE, NULL);
                else if (sc->mode && streq(sc->mode, "host"))
                        r = add_path(g, "<smartcard mode='host'>", "/etc/pki/nssdb", "rk", ADD_RECURSIVE, NULL);
        }
        for (size_t i = 0; r >= 0 && i < d->n_graphics; i++) {
                const DomainGraphics *gr = &d->graphics[i];
                /* VNC on a socket libvirt made in the VM's runtime directory
                 * (a running domain's XML): granted by add_runtime(). */
                r = profile_runtime_covered(gr->socket, &g->self) ? 0
                                                                  : add_path(g, "<graphics socket>", gr->socket, "rw", 0, NULL);
                for (size_t j = 0; r >= 0 && j < gr->n_listens; j++)
                        r = profile_runtime_covered(gr->listens[j].socket, &g->self)
                                    ? 0
                                    : add_path(g, "<graphics><listen socket>", gr->listens[j].socket, "rw", 0, NULL);
                if (r >= 0)
                        r = add_path(g, "<graphics><gl rendernode>", gr->rendernode, "rw", 0, NULL);
        }
        return r;
}

/* ---- <qemu:commandline> ---- */

/* Options whose next argument is a file QEMU opens, and how. */
static const struct {
        const char *opt, *perms;
} qemu_file_opts[] = {
        {"-bios", "r"},   {"-dtb", "r"},     {"-initrd", "r"}, {"-kernel", "r"},
        {"-pidfile", "rw"}, {"-D", "rw"},
};

/* key=value keys of -drive, -blockdev, -chardev, -object, -fw_cfg, ... that
 * name a file. */
static const struct {
        const char *key, *perms;
} qemu_file_keys[] = {
        {"file", "rwk"}, {"filename", "rwk"}, {"path", "rw"}, {"mem-path", "rw"},
        {"logfile", "rw"}, {"romfile", "r"},
};

/* Keys whose value may hold a '/' without naming a file (-fw_cfg
 * name=opt/org.example/x). */
static const char *const qemu_plain_keys[] = {"name", "string"};

/* Options that take key=value lists we can read, or no file at all. */
static const char *const qemu_kv_opts[] = {
        "-blockdev", "-chardev", "-device", "-drive", "-fw_cfg", "-global", "-machine", "-netdev",
        "-object", "-cpu", "-smp", "-m", "-name", "-msg", "-overcommit", "-rtc", "-boot", "-accel",
        "-set", "-audiodev", "-display", "-vga", "-serial", "-monitor", "-smbios", "-numa",
};

static bool
kv_readonly(const char *v)
{
        return strstr(v, "readonly=on") || strstr(v, "read-only=on") || strstr(v, "readonly=true");
}

static int
add_qemu_kv(Gen *g, const char *opt, const char *val)
{
        _cleanup_free_ char *copy = strdup(val);
        char *save = NULL;
        int r;

        if (!copy)
                return -ENOMEM;
        if (val[0] == '{')
                return fail(g, -EOPNOTSUPP, "<qemu:arg value=\"%s\"> after %s: JSON syntax is not recognised",
                            q(val), opt);
        if (strstr(val, ",,"))
                return fail(g, -EINVAL, "<qemu:arg value=\"%s\">: escaped commas (\",,\") are refused", q(val));
        for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(kv, '=');
                const char *perms = NULL;
                _cleanup_free_ char *elem = NULL;

                if (!eq) {
                        if (strchr(kv, '/'))
                                return fail(g, -EOPNOTSUPP, "<qemu:arg value=\"%s\">: \"%s\" looks like a path "
                                            "and is not recognised", q(val), q(kv));
                        continue;
                }
                *eq = '\0';
                for (size_t i = 0; i < ELEMENTSOF(qemu_file_keys); i++)
                        if (streq(kv, qemu_file_keys[i].key))
                                perms = qemu_file_keys[i].perms;
                for (size_t i = 0; !perms && i < ELEMENTSOF(qemu_plain_keys); i++)
                        if (streq(kv, qemu_plain_keys[i]))
                                perms = "";
                if (perms && !*perms)
                        continue;
                if (!perms) {
                        if (strchr(eq + 1, '/'))
                                return fail(g, -EOPNOTSUPP, "<qemu:arg value=\"%s\">: %s=%s looks like a path and "
                                            "is not recognised", q(val), q(kv), q(eq + 1));
                        continue;
                }
                if (streq(opt, "-fw_cfg") || streq(kv, "romfile") || kv_readonly(val))
                        perms = "r";
                elem = xasprintf("<qemu:arg value=\"%s\"> %s", q(val), kv);
                if (!elem)
                        return -ENOMEM;
                if (strstr(eq + 1, "://") || (streq(kv, "file") && strchr(eq + 1, ':') && eq[1] != '/'))
                        return fail(g, -EOPNOTSUPP, "%s: a protocol URL is not recognised", elem);
                r = add_path(g, elem, eq + 1, perms, streq(perms, "r") ? ADD_READONLY : 0, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int
add_qemu_commandline(Gen *g)
{
        char **a = g->d->qemu_args;
        size_t n = strv_length(a);
        int r;

        if (n > PROFILE_QEMU_ARGS_MAX)
                return fail(g, -E2BIG, "<qemu:commandline>: more than %u arguments", PROFILE_QEMU_ARGS_MAX);
        for (size_t i = 0; i < n; i++) {
                const char *opt = a[i], *perms = NULL;
                bool kv = false;

                if (opt[0] != '-')
                        return fail(g, -EOPNOTSUPP, "<qemu:arg value=\"%s\">: not an option this generator "
                                    "recognises", q(opt));
                for (size_t j = 0; j < ELEMENTSOF(qemu_file_opts); j++)
                        if (streq(opt, qemu_file_opts[j].opt))
                                perms = qemu_file_opts[j].perms;
                for (size_t j = 0; j < ELEMENTSOF(qemu_kv_opts); j++)
                        if (streq(opt, qemu_kv_opts[j]))
                                kv = true;
                if (!perms && !kv) {
                        /* A flag without argument is fine as long as the
                         * next one is an option too. */
                        if (i + 1 < n && a[i + 1][0] != '-')
                                return fail(g, -EOPNOTSUPP, "<qemu:arg value=\"%s\">: option not recognised; "
                                            "its argument \"%s\" cannot be checked", q(opt), q(a[i + 1]));
                        continue;
                }
                if (i + 1 >= n)
                        return fail(g, -EINVAL, "<qemu:arg value=\"%s\">: missing its argument", q(opt));
                i++;
                if (perms) {
                        _cleanup_free_ char *elem = xasprintf("<qemu:arg value=\"%s\"> after %s", q(a[i]), opt);
                        if (!elem)
                                return -ENOMEM;
                        r = add_path(g, elem, a[i], perms, 0, NULL);
                } else
                        r = add_qemu_kv(g, opt, a[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- output ---- */

static int
rule_cmp(const void *a, const void *b)
{
        return strcmp(((const Rule *) a)->path, ((const Rule *) b)->path);
}

/* Union of two permission strings in AppArmor's canonical order. */
static void
perms_merge(char dst[static 8], const char *add)
{
        static const char order[] = "rwalkmix";
        char out[8] = {}, *o = out;

        for (const char *c = order; *c; c++)
                if (strchr(dst, *c) || strchr(add, *c))
                        *o++ = *c;
        memcpy(dst, out, 8);
}

/* Sorts the rules and merges those of one path: afterwards g->rules[i]
 * holds the union of the permissions, and deny_write only when every rule
 * of the path asked for it. */
static void
rules_merge(Gen *g)
{
        size_t k = 0;

        if (g->n_rules > 0)
                qsort(g->rules, g->n_rules, sizeof(*g->rules), rule_cmp);
        for (size_t i = 0; i < g->n_rules;) {
                Rule m = g->rules[i];
                size_t j = i + 1;

                memset(m.perms, 0, sizeof(m.perms));
                perms_merge(m.perms, g->rules[i].perms); /* canonical order */
                for (; j < g->n_rules && streq(g->rules[j].path, m.path); j++) {
                        perms_merge(m.perms, g->rules[j].perms);
                        m.deny_write = m.deny_write && g->rules[j].deny_write;
                        free(g->rules[j].path);
                }
                g->rules[k++] = m;
                i = j;
        }
        g->n_rules = k;
}

/* @template with @PROFILE_NAME@, @UUID@ and @RULES@ replaced. */
static char *
template_fill(const char *tpl, const char *profile_name, const char *rules)
{
        StrBuf out = {};
        const char *at;

        for (const char *p = tpl; *p; p = at) {
                at = strchr(p, '@');
                if (!at) {
                        strbuf_append(&out, p);
                        break;
                }
                strbuf_appendn(&out, p, (size_t) (at - p));
                if (startswith(at, "@PROFILE_NAME@")) {
                        strbuf_append(&out, profile_name);
                        at += strlen("@PROFILE_NAME@");
                } else if (startswith(at, "@UUID@")) {
                        strbuf_append(&out, profile_name + strlen("libvirt-"));
                        at += strlen("@UUID@");
                } else if (startswith(at, "@RULES@")) {
                        strbuf_append(&out, rules);
                        at += strlen("@RULES@");
                } else {
                        strbuf_appendn(&out, "@", 1);
                        at++;
                }
        }
        return strbuf_steal(&out);
}

static char *
render(Gen *g, const char *profile_name)
{
        StrBuf rules = {};

        for (size_t i = 0; i < g->n_rules; i++) {
                const Rule *r = &g->rules[i];

                strbuf_printf(&rules, "  %s %s,\n", r->path, r->perms);
                if (r->deny_write && !strchr(r->perms, 'w'))
                        strbuf_printf(&rules, "  deny %s w,\n", r->path);
        }
        if (!rules.s)
                strbuf_append(&rules, "");
        if (!rules.s)
                return NULL;
        _cleanup_free_ char *text = strbuf_steal(&rules);
        return text ? template_fill(g->in->template_text, profile_name, text) : NULL;
}

/* The grants of the profile as a rule list: the template's own rules
 * (its includes), read by the one profile parser, and the generator's
 * rules from memory, unquoted as the parser unquotes a loaded profile
 * (escapes kept); deny rules grant nothing and are left out.  Bytes
 * outside printable ASCII stay as they are: the parser writes them '?' in
 * a loaded profile, a wildcard that only a wildcard covers, so a
 * comparison stays on the safe side rather than letting a generated '?'
 * cover any character. */
static int
rules_export(Gen *g, const char *profile_name, AaRules *ret)
{
        _cleanup_free_ char *tpl = template_fill(g->in->template_text, profile_name, "");
        _cleanup_strv_free_ char **items = NULL;
        _cleanup_(aa_rules_done) AaRules rs = {};
        int r;

        if (!tpl)
                return -ENOMEM;
        r = aa_rules_parse(tpl, "the AppArmor template", NULL, &items, &g->error);
        if (r < 0)
                return r == -ENOMEM ? r : -EBADMSG;
        STRV_FOREACH(item, items)
                if ((r = aa_rules_add_item(&rs, *item)) < 0)
                        return r;
        for (size_t i = 0; i < g->n_rules; i++) {
                const char *p = g->rules[i].path;
                size_t n = strlen(p);

                if (startswith(p, "deny "))
                        continue;
                if (n >= 2 && p[0] == '"' && p[n - 1] == '"')
                        p++, n -= 2;
                r = aa_rules_add(&rs, p, n, g->rules[i].perms);
                if (r < 0)
                        return r;
        }
        *ret = rs;
        rs = (AaRules) {};
        return 0;
}

static void
gen_done(Gen *g)
{
        for (size_t i = 0; i < g->n_rules; i++)
                free(g->rules[i].path);
        free(g->rules);
        strv_free(g->disk_dirs);
        profile_deny_table_done(&g->deny);
        free(g->error);
}

/* Validates the input and builds the merged rule list into @g. */
static int
gen_run(Gen *g, const ProfileInput *in)
{
        char uuid[37];
        int r;

        if (!in->template_text || !strstr(in->template_text, "@RULES@") ||
            !strstr(in->template_text, "@PROFILE_NAME@")) {
                r = fail(g, -EBADMSG, "the AppArmor template has no @PROFILE_NAME@ or @RULES@");
                return r;
        }
        r = profile_deny_table_parse(in->deny_text ? in->deny_text : "", "deny-paths", &g->deny, &g->error);
        if (r < 0)
                return r;
        /* The UUID names the profile: 8-4-4-4-12 hex (libvirt also takes
         * 32 digits without dashes), written in lower case. */
        {
                const char *u = g->d->uuid;
                size_t k = 0;

                if (!u) {
                        r = fail(g, -EINVAL, "<uuid>: missing; the profile is named after it");
                        return r;
                }
                for (const char *c = u; *c && k < 36; c++) {
                        if (*c == '-')
                                continue;
                        if (!isxdigit((unsigned char) *c))
                                break;
                        if (k == 8 || k == 13 || k == 18 || k == 23)
                                uuid[k++] = '-';
                        uuid[k++] = (char) tolower((unsigned char) *c);
                }
                uuid[k] = '\0';
                size_t digits = 0, dashes = 0;
                for (const char *c = u; *c; c++) {
                        digits += isxdigit((unsigned char) *c) != 0;
                        dashes += *c == '-';
                }
                if (k != 36 || digits != 32 || digits + dashes != strlen(u) || (dashes != 0 && dashes != 4) ||
                    (dashes == 4 && !uuid_valid(u))) {
                        r = fail(g, -EINVAL, "<uuid>\"%s\"</uuid>: not a UUID", q(u));
                        return r;
                }
        }
        if (strchr(g->d->name, '/')) {
                r = fail(g, -EINVAL, "<name>\"%s\"</name>: a '/' in a domain name", q(g->d->name));
                return r;
        }

        memcpy(g->uuid, uuid, sizeof(uuid));
        g->self = (ProfileVmId) {.name = g->d->name, .uuid = g->uuid};
        if ((r = add_runtime(g)) < 0 || (r = add_disks(g)) < 0 || (r = add_os(g)) < 0 ||
            (r = add_chardevs(g)) < 0 || (r = add_tpms(g, uuid)) < 0 || (r = add_filesystems(g)) < 0 ||
            (r = add_hostdevs(g)) < 0 || (r = add_misc_devices(g)) < 0 || (r = add_qemu_commandline(g)) < 0)
                return r;

        rules_merge(g);
        return 0;
}

int
profile_apparmor_generate(const ProfileInput *in, char **ret_profile, char **ret_error)
{
        Gen g = {.in = in, .d = in->domain};
        _cleanup_free_ char *name = NULL;
        char *profile;
        int r;

        r = gen_run(&g, in);
        if (r < 0)
                goto out;
        name = xasprintf("libvirt-%s", g.uuid);
        profile = name ? render(&g, name) : NULL;
        if (!profile) {
                r = -ENOMEM;
                goto out;
        }
        *ret_profile = profile;
        r = 0;
out:
        if (r < 0 && ret_error)
                *ret_error = g.error ? TAKE_PTR(g.error) : strdup(strerror(-r));
        gen_done(&g);
        return r;
}

int
profile_apparmor_rules(const ProfileInput *in, AaRules *ret, char **ret_error)
{
        Gen g = {.in = in, .d = in->domain};
        _cleanup_free_ char *name = NULL;
        int r;

        r = gen_run(&g, in);
        if (r < 0)
                goto out;
        name = xasprintf("libvirt-%s", g.uuid);
        r = name ? rules_export(&g, name, ret) : -ENOMEM;
out:
        if (r < 0 && ret_error)
                *ret_error = g.error ? TAKE_PTR(g.error) : strdup(strerror(-r));
        gen_done(&g);
        return r;
}
