/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The SELinux generator.  The VM gets its own domain from the reference
 * policy's virt_domain_template(): MODULE_t, MODULE_image_t (what the
 * template lets it manage), and this generator adds MODULE_content_t (what
 * it may only read).  The .fc labels exactly the VM's own files with them;
 * devices and networks are granted through the policy's interfaces.
 *
 * Every path from the XML, an image header or a symlink goes through
 * add_path(): normalized, resolved to its real target, checked against the
 * deny table of the AppArmor generator (same rules), the host's own disks
 * and the other VMs' files, then written as an escaped regular expression.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain-label.h"
#include "profile-image.h"
#include "profile-paths.h"
#include "profile-selinux.h"
#include "strv.h"
#include "util.h"

/* Lines of the small data tables (system-read, network-disks). */
#define TABLE_ENTRIES_MAX 256U

/* Suffixes the template (and this generator) append to the module name:
 * a VM whose name ends in one would own another VM's type name. */
static const char *const reserved_suffixes[] = {"_image", "_tmp", "_tmpfs", "_devpts", "_content"};

typedef enum FcKind {
        FC_TREE, /* a directory and everything under it */
        FC_FILE,
        FC_DIR,
        FC_BLK,
        FC_CHR,
        FC_SOCK,
        FC_PIPE,
        FC_ANY,  /* one path, any file type */
        _FC_KIND_MAX,
} FcKind;

static const char *const fc_flag[_FC_KIND_MAX] = {
        [FC_TREE] = "", [FC_FILE] = "--", [FC_DIR] = "-d", [FC_BLK] = "-b",
        [FC_CHR] = "-c", [FC_SOCK] = "-s", [FC_PIPE] = "-p", [FC_ANY] = "",
};
_Static_assert(ELEMENTSOF(fc_flag) == _FC_KIND_MAX, "fc kinds");

/* What an entry of the .fc labels a path with. */
typedef enum FcLabel {
        FC_CONTENT, /* MODULE_content_t: this VM reads it */
        FC_IMAGE,   /* MODULE_image_t: this VM writes it */
        FC_SHARED,  /* virt_content_t, s0: a base image every VM may read */
} FcLabel;

typedef struct FcEntry {
        char *regex; /* escaped, without the tree suffix */
        FcKind kind;
        FcLabel label;
} FcEntry;

typedef enum AddFlags {
        ADD_RW = 1 << 0,
        ADD_UNTRUSTED = 1 << 1, /* from an image header */
        ADD_BACKING = 1 << 2,   /* below the top of a disk's chain */
} AddFlags;

typedef struct Gen {
        const ProfileSelinuxInput *in;
        const Domain *d;
        ProfileDenyTable deny;
        char **system_read;  /* "PATH INTERFACE" pairs, flattened */
        char **net_disks;    /* "PROTOCOL INTERFACE" pairs, flattened */
        FcEntry *fc;
        size_t n_fc;
        char **rules;        /* interface calls, "name" (the domain is added) */
        char **notes;        /* lines for the README */
        char **disk_dirs;
        ProfileVmId self;    /* name and UUID: the VM's own runtime entries */
        bool swtpm;          /* an emulated TPM: swtpm under the VM's label */
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

/* ---- names and MCS ---- */

int
profile_selinux_module_name(const char *vm_name, char **ret, const char **ret_reason)
{
        size_t n = strlen(vm_name);
        bool alnum = false;
        char *out;

        if (n == 0) {
                *ret_reason = "empty name";
                return -EINVAL;
        }
        if (n > PROFILE_SELINUX_NAME_MAX) {
                *ret_reason = "longer than 48 bytes, too long for the SELinux type names made from it";
                return -EINVAL;
        }
        for (const char *c = vm_name; *c; c++) {
                if (isalnum((unsigned char) *c) && !((unsigned char) *c & 0x80))
                        alnum = true;
                else if (*c != '_' && *c != '-' && *c != '.') {
                        *ret_reason = (unsigned char) *c >= 0x80
                                              ? "non-ASCII characters cannot be in an SELinux identifier"
                                              : "only ASCII letters, digits, '_', '-' and '.' can make an SELinux "
                                                "identifier";
                        return -EINVAL;
                }
        }
        if (!alnum) {
                *ret_reason = "no letter or digit";
                return -EINVAL;
        }
        out = xasprintf(PROFILE_SELINUX_PREFIX "%s", vm_name);
        if (!out)
                return -ENOMEM;
        for (char *c = out; *c; c++)
                if (*c == '-' || *c == '.')
                        *c = '_';
        for (size_t i = 0; i < ELEMENTSOF(reserved_suffixes); i++)
                if (endswith(out, reserved_suffixes[i])) {
                        free(out);
                        *ret_reason = "ends in _image, _tmp, _tmpfs, _devpts or _content: its domain type would "
                                      "be a type of another VM's module";
                        return -EINVAL;
                }
        *ret = out;
        return 0;
}

int
profile_selinux_mcs(const char *mcs, const char *uuid, char **ret, const char **ret_reason)
{
        unsigned a, b;

        if (mcs) {
                const char *p;
                int r;

                r = domain_label_category_parse(mcs, &p, &a);
                if (r >= 0 && *p == ',')
                        r = domain_label_category_parse(p + 1, &p, &b);
                else if (r >= 0)
                        r = -EINVAL;
                if (r == -ERANGE) {
                        *ret_reason = "a category outside c0..c1023";
                        return -EINVAL;
                }
                if (r < 0 || *p) {
                        *ret_reason = "not two categories \"cN,cM\"";
                        return -EINVAL;
                }
                if (a == b) {
                        *ret_reason = "the two categories must differ";
                        return -EINVAL;
                }
        } else {
                uint64_t h = UINT64_C(0xcbf29ce484222325);
                unsigned digits = 0;

                if (!uuid) {
                        *ret_reason = "no <uuid> to derive the MCS pair from";
                        return -EINVAL;
                }
                for (const char *c = uuid; *c; c++) {
                        if (*c == '-')
                                continue;
                        if (!isxdigit((unsigned char) *c)) {
                                *ret_reason = "<uuid> is not a UUID";
                                return -EINVAL;
                        }
                        h ^= (uint64_t) tolower((unsigned char) *c);
                        h *= UINT64_C(0x100000001b3);
                        digits++;
                }
                if (digits != 32) {
                        *ret_reason = "<uuid> is not a UUID";
                        return -EINVAL;
                }
                a = (unsigned) (h % PROFILE_SELINUX_CATS);
                b = (unsigned) ((h >> 10) % (PROFILE_SELINUX_CATS - 1));
                if (b >= a)
                        b++;
        }
        *ret = a < b ? xasprintf("c%u,c%u", a, b) : xasprintf("c%u,c%u", b, a);
        return *ret ? 0 : -ENOMEM;
}

/* The categories a process or file labelled @label may reach: the high
 * level of its range (domain-label.h).  false when it has none. */
static bool
label_categories(const char *label, SelinuxLevel *ret)
{
        char type[DOMAIN_SELINUX_TYPE_MAX];
        const char *range;
        SelinuxRange r;

        if (!domain_label_selinux_split(label, type, &range) || domain_label_range_parse(range, &r, NULL) < 0)
                return false;
        *ret = r.high;
        return true;
}

/* ---- tables ---- */

/* "KEY VALUE" lines, '#' comments, into a flat strv of pairs. */
static int
table_parse(Gen *g, const char *text, const char *origin, char ***ret)
{
        _cleanup_free_ char *copy = strdup(text ? text : "");
        _cleanup_strv_free_ char **l = NULL;
        char *save = NULL;
        unsigned n = 0;

        if (!copy)
                return -ENOMEM;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char key[256], val[256];

                line = strstrip(line);
                if (!*line || *line == '#')
                        continue;
                if (++n > TABLE_ENTRIES_MAX || sscanf(line, "%255s %255s", key, val) != 2)
                        return fail(g, -EBADMSG, "%s: bad line \"%s\"", origin, q(line));
                if (strv_extend(&l, key) < 0 || strv_extend(&l, val) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* ---- paths ---- */

/* A path written into the .fc: refused when it holds what a regular
 * expression, m4 or the .fc syntax cannot carry safely. */
static const char *
fc_unsafe(const char *path)
{
        if (strpbrk(path, "*?[]"))
                return "glob characters (* ? [ ]) in a path are refused";
        if (strpbrk(path, "\"'`"))
                return "quote characters in a path are refused";
        if (strchr(path, '#'))
                return "'#' in a path is refused";
        return NULL;
}

/* The path as an exact regular expression: metacharacters escaped, a space
 * as \x20 (a .fc line is split at white space). */
static char *
fc_escape(const char *path)
{
        StrBuf b = {};

        for (const char *c = path; *c; c++) {
                if (*c == ' ')
                        strbuf_append(&b, "\\x20");
                else {
                        if (strchr(".^$+(){}|\\", *c))
                                strbuf_appendn(&b, "\\", 1);
                        strbuf_appendn(&b, c, 1);
                }
        }
        return strbuf_steal(&b);
}

/* A path listed twice keeps the label that grants the most: written
 * beats read, and this VM's own read-only label beats the shared one (the
 * file is then this VM's, which the other VMs' modules will see). */
static int
push_fc(Gen *g, char *regex, FcKind kind, FcLabel label)
{
        FcEntry *e;

        if (!regex)
                return -ENOMEM;
        for (size_t i = 0; i < g->n_fc; i++)
                if (streq(g->fc[i].regex, regex) && g->fc[i].kind == kind) {
                        if (label == FC_IMAGE || (label == FC_CONTENT && g->fc[i].label == FC_SHARED))
                                g->fc[i].label = label;
                        free(regex);
                        return 0;
                }
        if (g->n_fc >= PROFILE_RULES_MAX) {
                free(regex);
                return fail(g, -E2BIG, "more than %u file contexts", PROFILE_RULES_MAX);
        }
        e = realloc(g->fc, (g->n_fc + 1) * sizeof(*e));
        if (!e) {
                free(regex);
                return -ENOMEM;
        }
        g->fc = e;
        g->fc[g->n_fc++] = (FcEntry) {.regex = regex, .kind = kind, .label = label};
        return 0;
}

static int
add_rule(Gen *g, const char *iface)
{
        if (strv_contains(g->rules, iface))
                return 0;
        return strv_extend(&g->rules, iface);
}

static int
add_note(Gen *g, char *note)
{
        if (!note)
                return -ENOMEM;
        if (strv_contains(g->notes, note)) {
                free(note);
                return 0;
        }
        return strv_consume(&g->notes, note);
}

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

static bool
listed(char *const *l, const char *norm, const char *real, bool tree)
{
        STRV_FOREACH(o, l)
                if (streq(*o, real) || streq(*o, norm) || (tree && domain_path_under(*o, real)))
                        return true;
        return false;
}

/* The interface of profiles/selinux/system-read for a file under a system
 * location; NULL when no entry covers it. */
static const char *
system_read_interface(Gen *g, const char *real)
{
        const char *best = NULL;
        size_t best_len = 0;

        for (char **p = g->system_read; p && p[0] && p[1]; p += 2)
                if (domain_path_under(real, p[0]) && strlen(p[0]) >= best_len) {
                        best = p[1];
                        best_len = strlen(p[0]);
                }
        return best;
}

/*
 * The one way a path becomes a file context.  Read-write files get
 * MODULE_image_t, read-only ones MODULE_content_t; a read-only file in a
 * system location is read through an interface and never relabelled.  A
 * backing file, and a read-only file another VM uses too, is labelled
 * virt_content_t at s0, as libvirt labels them (libvirt 9.0,
 * src/security/security_selinux.c, virSecuritySELinuxSetImageLabelInternal:
 * every chain member below the top gets the content context): a base image
 * is shared by design, and two modules that both label it say the same
 * thing (libsemanage merges identical specifications; a VM whose module
 * labelled it as its own makes the next module fail to install, loudly).
 */
static int
add_path(Gen *g, const char *elem, const char *path, FcKind kind, AddFlags flags, char **ret_real)
{
        _cleanup_free_ char *norm = NULL, *real = NULL;
        bool rw = flags & ADD_RW, tree = kind == FC_TREE, shared;
        const ProfileDenyEntry *e;
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
        if ((why = fc_unsafe(norm)))
                return fail(g, -EINVAL, "%s \"%s\": %s", elem, q(path), why);
        r = resolve(g, elem, norm, &real);
        if (r < 0)
                return r;
        if ((why = fc_unsafe(real)) || ((flags & ADD_UNTRUSTED) && profile_path_has_special(real)))
                return fail(g, -EINVAL, "%s \"%s\": its real path \"%s\": %s", elem, q(path), q(real),
                            why ? why : "glob, quote or space characters");
        const char *via = streq(norm, real) ? "" : " (symlink to \"";
        e = profile_deny_table_check(&g->deny, real, rw, tree, &g->self);
        if (e && e->kind == PROFILE_DENY_VMSTATE && domain_path_under(real, e->path) && !streq(real, e->path))
                return fail(g, -EPERM, "%s \"%s\"%s%s%s: not an entry of this VM in %s, refused: %s", elem,
                            q(norm), via, *via ? q(real) : "", *via ? "\")" : "", e->path, e->reason);
        if (e && (e->kind == PROFILE_DENY_TREE || e->kind == PROFILE_DENY_VMSTATE ||
                  !domain_path_under(real, e->path)))
                return fail(g, -EPERM, "%s \"%s\"%s%s%s: labelling it would label %s, refused: %s", elem,
                            q(norm), via, *via ? q(real) : "", *via ? "\")" : "", e->path, e->reason);
        if (e)
                return fail(g, -EPERM, "%s \"%s\"%s%s%s: %s%s is refused: %s", elem, q(norm), via,
                            *via ? q(real) : "", *via ? "\")" : "",
                            e->kind == PROFILE_DENY_WRITE ? "write access to " : "access to ", e->path, e->reason);
        STRV_FOREACH(hd, g->in->host_disks)
                if (profile_path_same_disk(real, *hd) || (tree && domain_path_under(*hd, real)))
                        return fail(g, -EPERM, "%s \"%s\": it is the host's own disk %s", elem, q(norm), q(*hd));
        if (listed(g->in->other_vm_paths, norm, real, tree))
                return fail(g, -EPERM, "%s \"%s\": it belongs to another VM", elem, q(norm));
        shared = listed(g->in->other_vm_shared_paths, norm, real, tree);
        if (shared && (rw || tree))
                return fail(g, -EPERM, "%s \"%s\": another VM uses it too; only a read-only file may be "
                            "shared", elem, q(norm));
        /* Under a "write" entry of the deny table: a system location. */
        e = profile_deny_table_check(&g->deny, real, true, false, &g->self);
        if (e && e->kind == PROFILE_DENY_WRITE) {
                const char *iface = system_read_interface(g, real);

                if (!iface || tree)
                        return fail(g, -EPERM, "%s \"%s\": %s is a system location; its files are never "
                                    "relabelled and no interface of system-read covers it", elem, q(norm), e->path);
                r = add_rule(g, iface);
                goto done;
        }
        if (shared || ((flags & ADD_BACKING) && !rw)) {
                r = add_rule(g, "virt_read_content");
                if (r >= 0 && shared)
                        r = add_note(g, xasprintf("%s is shared with another VM: labelled virt_content_t, which "
                                                  "every VM may read.", real));
                if (r >= 0)
                        r = push_fc(g, fc_escape(real), kind, FC_SHARED);
        } else
                r = push_fc(g, fc_escape(real), kind, rw ? FC_IMAGE : FC_CONTENT);
done:
        if (r < 0)
                return r;
        if (ret_real)
                *ret_real = TAKE_PTR(real);
        return 0;
}

/* A context generated from validated identifiers (the TPM state of the
 * UUID, the short name escaped): written as given. */
static int
add_trusted(Gen *g, char *regex, FcKind kind)
{
        return push_fc(g, regex, kind, FC_IMAGE);
}

/* ---- disks ---- */

static char *
dir_of(const char *real)
{
        char *dir = strdup(real), *slash;

        if (!dir)
                return NULL;
        slash = strrchr(dir, '/');
        if (slash == dir)
                slash[1] = '\0';
        else
                *slash = '\0';
        return dir;
}

static int
backing_add(void *userdata, const char *elem, const char *path, char **ret_real)
{
        return add_path(userdata, elem, path, FC_FILE, ADD_UNTRUSTED | ADD_BACKING, ret_real);
}

static bool
backing_in_disk_dirs(void *userdata, const char *real)
{
        Gen *g = userdata;
        _cleanup_free_ char *dir = dir_of(real);

        return dir && strv_contains(g->disk_dirs, dir);
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

static const char *
table_lookup(char **pairs, const char *key)
{
        for (char **p = pairs; p && p[0] && p[1]; p += 2)
                if (streq(p[0], key))
                        return p[1];
        return NULL;
}

static int
add_disks(Gen *g)
{
        const Domain *d = g->d;
        int r;

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *disk = &d->disks[i];
                _cleanup_free_ char *norm = NULL, *real = NULL, *dir = NULL;
                const char *why;

                if (!disk->source || !disk->type || (!streq(disk->type, "file") && !streq(disk->type, "block")))
                        continue;
                if (domain_path_normalize(disk->source, &norm, &why) < 0)
                        continue; /* refused below */
                r = resolve(g, "disk", norm, &real);
                if (r < 0)
                        return r;
                dir = dir_of(real);
                if (!dir)
                        return -ENOMEM;
                if (!strv_contains(g->disk_dirs, dir) && strv_consume(&g->disk_dirs, TAKE_PTR(dir)) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *disk = &d->disks[i];
                const char *type = disk->type ? disk->type : "file";
                bool rw = domain_disk_is_writable(disk);
                _cleanup_free_ char *elem = xasprintf("<disk type='%s' device='%s'> %s source", q(type),
                                                      q(disk->device ? disk->device : "disk"),
                                                      q(disk->target_dev ? disk->target_dev : "?"));
                _cleanup_free_ char *real = NULL;

                if (!elem)
                        return -ENOMEM;
                if (streq(type, "network")) {
                        const char *iface = disk->protocol ? table_lookup(g->net_disks, disk->protocol) : NULL;
                        if (!iface)
                                return fail(g, -EOPNOTSUPP, "%s: network protocol \"%s\" is not in network-disks",
                                            elem, q(disk->protocol));
                        r = add_rule(g, iface);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (streq(type, "volume"))
                        return fail(g, -EOPNOTSUPP, "%s: a volume of pool \"%s\" needs libvirt to resolve its path; "
                                    "generate from the running domain's XML", elem, q(disk->pool));
                if (streq(type, "nvme"))
                        return fail(g, -EOPNOTSUPP, "%s: NVMe disks are not supported", elem);
                if (!streq(type, "file") && !streq(type, "block") && !streq(type, "dir") &&
                    !streq(type, "vhostuser"))
                        return fail(g, -EOPNOTSUPP, "%s: disk type \"%s\" is not supported", elem, q(type));
                if (!disk->source)
                        continue;
                if (streq(type, "dir"))
                        r = add_path(g, elem, disk->source, FC_TREE, rw ? ADD_RW : 0, NULL);
                else if (streq(type, "vhostuser"))
                        r = add_path(g, elem, disk->source, FC_SOCK, ADD_RW, NULL);
                else {
                        if (streq(type, "file")) {
                                const char *why = profile_file_disk_refusal(g->in->host, disk->source);

                                if (why)
                                        return fail(g, -EPERM, "%s \"%s\": %s", elem, q(disk->source), why);
                        }
                        r = add_path(g, elem, disk->source, streq(type, "block") ? FC_BLK : FC_FILE,
                                     rw ? ADD_RW : 0, &real);
                }
                if (r < 0)
                        return r;
                if (!real)
                        continue;
                for (size_t j = 0; j < disk->n_backing; j++) {
                        const DomainBackingStore *b = &disk->backing[j];
                        _cleanup_free_ char *belem = xasprintf("%s <backingStore> %zu", elem, j + 1);

                        if (!belem)
                                return -ENOMEM;
                        if (!b->path || (b->type && streq(b->type, "network")))
                                continue;
                        r = add_path(g, belem, b->path, b->type && streq(b->type, "block") ? FC_BLK : FC_FILE,
                                     ADD_BACKING, NULL);
                        if (r < 0)
                                return r;
                }
                if (!streq(type, "block")) {
                        r = add_backing_chain(g, elem, real, disk->driver_type);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* ---- firmware, chardevs, TPM, shares ---- */

static int
add_os(Gen *g)
{
        const DomainOs *os = &g->d->os;
        int r;

        r = add_path(g, "<kernel>", os->kernel, FC_FILE, 0, NULL);
        if (r >= 0)
                r = add_path(g, "<initrd>", os->initrd, FC_FILE, 0, NULL);
        if (r >= 0)
                r = add_path(g, "<dtb>", os->dtb, FC_FILE, 0, NULL);
        if (r >= 0)
                r = add_path(g, "<loader>", os->loader, FC_FILE, 0, NULL);
        if (r >= 0)
                r = add_path(g, "<nvram>", os->nvram, FC_FILE, ADD_RW, NULL);
        return r;
}

/* The rules for a TCP server on @service (a port number): reserved ports
 * (below 1024) are refused, a VM has no business there. */
static int
tcp_bind_rules(Gen *g, const char *elem, const char *service)
{
        unsigned port = 0;
        int r;

        if (!service || !*service || strlen(service) > 5)
                return fail(g, -EINVAL, "%s <source service=\"%s\">: not a port number", elem, q(service));
        for (const char *c = service; *c; c++) {
                if (*c < '0' || *c > '9')
                        return fail(g, -EINVAL, "%s <source service=\"%s\">: not a port number", elem, q(service));
                port = port * 10 + (unsigned) (*c - '0');
        }
        if (port == 0 || port > 65535)
                return fail(g, -EINVAL, "%s <source service=\"%s\">: not a port number", elem, q(service));
        if (port < 1024)
                return fail(g, -EPERM, "%s <source service=\"%s\">: a reserved port (below 1024) is refused",
                            elem, q(service));
        r = add_rule(g, "corenet_tcp_bind_generic_node");
        if (r >= 0)
                r = add_rule(g, "corenet_tcp_bind_all_unreserved_ports");
        return r;
}

static int
add_chardevs(Gen *g)
{
        const Domain *d = g->d;
        int r;

        for (size_t i = 0; i < d->n_chardevs; i++) {
                const DomainChardev *c = &d->chardevs[i];
                const char *kind = domain_chardev_kind_to_string(c->kind);
                _cleanup_free_ char *elem = xasprintf("<%s type='%s'> source", kind, q(c->type));

                if (!elem)
                        return -ENOMEM;
                for (size_t j = 0; c->type && j < c->n_sources; j++) {
                        const DomainChardevSource *src = &c->sources[j];
                        const char *path = src->path;

                        /* A TCP server (a serial console on a port): QEMU
                         * binds the port, of whatever type the policy gives
                         * it; svirt_t may bind every port. */
                        if (streq(c->type, "tcp") && (!src->mode || streq(src->mode, "bind"))) {
                                r = tcp_bind_rules(g, elem, src->service);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        if (streq(c->type, "udp") && src->mode && streq(src->mode, "bind")) {
                                r = add_rule(g, "corenet_udp_bind_generic_node");
                                if (r >= 0)
                                        r = add_rule(g, "corenet_udp_bind_all_unreserved_ports");
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        if (!path)
                                continue;
                        /* Runtime sockets libvirt names per run: labelled
                         * by libvirt itself, not by this module. */
                        if (profile_runtime_covered(path, &g->self))
                                continue;
                        if (streq(c->type, "pipe")) {
                                _cleanup_free_ char *in = xasprintf("%s.in", path), *out = xasprintf("%s.out", path);
                                if (!in || !out)
                                        return -ENOMEM;
                                r = add_path(g, elem, path, FC_PIPE, ADD_RW, NULL);
                                if (r >= 0)
                                        r = add_path(g, elem, in, FC_PIPE, ADD_RW, NULL);
                                if (r >= 0)
                                        r = add_path(g, elem, out, FC_PIPE, ADD_RW, NULL);
                        } else if (streq(c->type, "file"))
                                /* With qemu.conf's default stdio_handler
                                 * "logd" virtlogd opens and writes it, QEMU
                                 * only a pipe; labelling it the VM's image
                                 * made virtlogd fail to rotate it (the lab:
                                 * virtlogd_t unlink denied).  Left alone. */
                                r = 0;
                        else if (streq(c->type, "unix"))
                                r = add_path(g, elem, path, FC_SOCK, ADD_RW, NULL);
                        else if (streq(c->type, "dev"))
                                r = add_path(g, elem, path, FC_CHR, ADD_RW, NULL);
                        else
                                r = 0; /* pty: the template's devpts type; tcp, udp, ...: no file */
                        if (r < 0)
                                return r;
                }
                /* <log file>: written by virtlogd, as above. */
        }
        return 0;
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
                        /* The device node keeps its tpm_device_t label (the
                         * host may use it too); QEMU writes the cancel file
                         * in sysfs. */
                        _cleanup_free_ char *norm = NULL;
                        const char *why;

                        if (domain_path_normalize(dev, &norm, &why) < 0 || !startswith(norm, "/dev/tpm"))
                                return fail(g, -EINVAL, "<tpm> <device path=\"%s\">: not a TPM device", q(dev));
                        if ((r = add_rule(g, "dev_rw_tpm")) < 0 || (r = add_rule(g, "dev_rw_sysfs")) < 0)
                                return r;
                } else if (streq(backend, "emulator")) {
                        /* swtpm runs under the VM's label (libvirt's
                         * qemu_tpm.c): its state, log, socket and pid file. */
                        _cleanup_free_ char *sn = NULL, *esn = NULL, *en = NULL;
                        const char *why, *other = NULL;

                        r = domain_short_name(d->name, &sn, &why);
                        if (r == -EINVAL)
                                return fail(g, r, "<name>%s</name>: %s", q(d->name), why);
                        if (r < 0)
                                return r;
                        r = domain_short_name_unique(d->name, g->in->other_vm_names, g->in->others_known, &other);
                        if (r == -EEXIST)
                                return fail(g, r, "<name>%s</name>: libvirt names swtpm's socket after the first %u "
                                            "bytes of the name, which domain \"%s\" shares: its file contexts "
                                            "would label the other VM's socket; rename one of them",
                                            q(d->name), DOMAIN_SHORT_NAME_MAX, q(other));
                        if (r == -ENOKEY)
                                return fail(g, r, "<name>%s</name>: longer than %u bytes, and the host's other "
                                            "domains are not known, so no other VM can be proved not to share "
                                            "its swtpm file names", q(d->name), DOMAIN_SHORT_NAME_MAX);
                        const char *ver = t->version && streq(t->version, "1.2") ? "tpm1\\.2" : "tpm2";

                        if (t->version && !streq(t->version, "1.2") && !streq(t->version, "2.0"))
                                return fail(g, -EINVAL, "<tpm> <backend version=\"%s\">: not 1.2 or 2.0",
                                            q(t->version));
                        if (!sn || !(esn = fc_escape(sn)) || !(en = fc_escape(d->name)))
                                return -ENOMEM;
                        /* libvirt runs swtpm (bin_t) under the VM's own
                         * label: the domain must be entered through it
                         * (the lab: entrypoint on bin_t denied). */
                        if ((r = add_rule(g, "corecmd_bin_entry_type")) < 0)
                                return r;
                        /* swtpm's libcrypto reads /etc/ssl/openssl.cnf
                         * (cert_t) at start (the lab) */
                        if ((r = add_rule(g, "miscfiles_read_generic_certs")) < 0)
                                return r;
                        g->swtpm = true;
                        if ((r = add_trusted(g, xasprintf("/var/lib/libvirt/swtpm/%s", uuid), FC_DIR)) < 0 ||
                            (r = add_trusted(g, xasprintf("/var/lib/libvirt/swtpm/%s/%s", uuid, ver), FC_TREE)) < 0 ||
                            (r = add_trusted(g, xasprintf("/var/log/swtpm/libvirt/qemu/%s-swtpm\\.log", en),
                                             FC_FILE)) < 0 ||
                            (r = add_trusted(g, xasprintf("/run/libvirt/qemu/swtpm/[0-9]+-%s-swtpm\\.sock", esn),
                                             FC_SOCK)) < 0 ||
                            (r = add_trusted(g, xasprintf("/run/libvirt/qemu/swtpm/[0-9]+-%s-swtpm\\.pid", esn),
                                             FC_FILE)) < 0)
                                return r;
                } else if (streq(backend, "external")) {
                        r = add_path(g, "<tpm><backend type='external'> <source path>", t->socket_path, FC_SOCK,
                                     ADD_RW, NULL);
                        if (r < 0)
                                return r;
                } else
                        return fail(g, -EOPNOTSUPP, "<tpm> <backend type=\"%s\">: not supported", q(backend));
        }
        return 0;
}

static int
add_filesystems(Gen *g)
{
        const Domain *d = g->d;
        int r;

        for (size_t i = 0; i < d->n_filesystems; i++) {
                const DomainFilesystem *fs = &d->filesystems[i];
                const char *type = fs->type ? fs->type : "mount";
                const char *drv = fs->driver_type ? fs->driver_type : "path";
                _cleanup_free_ char *elem = xasprintf("<filesystem type='%s' driver='%s'> source", q(type), q(drv));

                if (!elem)
                        return -ENOMEM;
                if (streq(type, "mount")) {
                        if (!streq(drv, "path") && !streq(drv, "handle") && !streq(drv, "virtiofs"))
                                return fail(g, -EOPNOTSUPP, "%s: driver \"%s\" is not supported", elem, q(drv));
                        if (fs->source_socket)
                                r = add_path(g, elem, fs->source_socket, FC_SOCK, ADD_RW, NULL);
                        else
                                r = add_path(g, elem, fs->source, FC_TREE, fs->readonly ? 0 : ADD_RW, NULL);
                } else if (streq(type, "file") || streq(type, "block"))
                        r = add_path(g, elem, fs->source, streq(type, "file") ? FC_FILE : FC_BLK,
                                     fs->readonly ? 0 : ADD_RW, NULL);
                else if (streq(type, "ram"))
                        r = 0;
                else
                        return fail(g, -EOPNOTSUPP, "%s: filesystem type \"%s\" is not supported", elem, q(type));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- host devices, networks, the rest ---- */

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
                        r = add_path(g, elem, hd->caps_path, streq(type, "storage") ? FC_BLK : FC_CHR, ADD_RW,
                                     NULL);
                } else if (streq(type, "pci") || streq(type, "mdev")) {
                        /* /dev/vfio/vfio and the group node are
                         * vfio_device_t; QEMU reads the device's sysfs. */
                        if (hd->driver_name && !streq(hd->driver_name, "vfio"))
                                return fail(g, -EOPNOTSUPP, "<hostdev type='%s'>: driver \"%s\" (only vfio)",
                                            type, q(hd->driver_name));
                        if ((r = add_rule(g, "dev_rw_vfio_dev")) >= 0)
                                r = add_rule(g, "dev_rw_sysfs");
                } else if (streq(type, "usb")) {
                        if ((r = add_rule(g, "dev_rw_generic_usb_dev")) >= 0 && (r = add_rule(g, "dev_rw_usbfs")) >= 0)
                                r = add_rule(g, "dev_read_sysfs");
                } else if (streq(type, "scsi")) {
                        if (hd->scsi_protocol && streq(hd->scsi_protocol, "iscsi"))
                                r = add_rule(g, "corenet_tcp_connect_iscsi_port");
                        else if ((r = add_rule(g, "storage_read_scsi_generic")) >= 0 &&
                                 hd->readonly != DOMAIN_TRISTATE_YES)
                                r = add_rule(g, "storage_write_scsi_generic");
                } else if (streq(type, "scsi_host"))
                        r = add_rule(g, "dev_rw_vhost");
                else
                        return fail(g, -EOPNOTSUPP, "<hostdev type=\"%s\">: not supported", q(type));
                if (r < 0)
                        return r;
        }
        return 0;
}

static int
add_misc_devices(Gen *g)
{
        const Domain *d = g->d;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < d->n_interfaces; i++) {
                const DomainInterface *n = &d->interfaces[i];
                const char *t = n->type ? n->type : "?";

                if (streq(t, "network") || streq(t, "bridge") || streq(t, "ethernet") || streq(t, "direct")) {
                        /* libvirt opens the tap (or macvtap) and hands QEMU
                         * the descriptor; vhost-net for virtio. */
                        r = add_rule(g, "virt_attach_tun_iface");
                        if (r >= 0)
                                r = add_rule(g, "corenet_rw_tun_tap_dev");
                        if (r >= 0)
                                r = add_rule(g, "dev_rw_vhost");
                } else if (streq(t, "user"))
                        r = add_rule(g, "corenet_tcp_connect_all_ports");
                else if (streq(t, "vhostuser"))
                        r = add_path(g, "<interface type='vhostuser'> <source path>", n->source_path, FC_SOCK,
                                     ADD_RW, NULL);
                else if (streq(t, "vdpa"))
                        r = add_path(g, "<interface type='vdpa'> <source dev>", n->source_dev, FC_CHR, ADD_RW, NULL);
                else if (streq(t, "hostdev"))
                        r = 0; /* its <hostdev> grants vfio */
                else
                        r = fail(g, -EOPNOTSUPP, "<interface type=\"%s\">: not supported", q(t));
        }
        for (size_t i = 0; r >= 0 && i < d->n_inputs; i++)
                r = add_path(g, "<input> <source evdev|dev>", d->inputs[i].path, FC_CHR, ADD_RW, NULL);
        for (size_t i = 0; r >= 0 && i < d->n_rngs; i++) {
                const DomainRng *rng = &d->rngs[i];
                const char *m = rng->backend_model ? rng->backend_model : "random";
                const char *p = rng->backend_path ? rng->backend_path : "/dev/urandom";

                if (streq(m, "random")) {
                        if (streq(p, "/dev/urandom"))
                                r = add_rule(g, "dev_read_urand");
                        else if (streq(p, "/dev/random"))
                                r = add_rule(g, "dev_read_rand");
                        else
                                r = add_path(g, "<rng><backend model='random'>", p, FC_CHR, 0, NULL);
                } else if (streq(m, "egd") && rng->backend_type && streq(rng->backend_type, "unix"))
                        r = add_path(g, "<rng><backend model='egd'> <source path>", rng->backend_path, FC_SOCK,
                                     ADD_RW, NULL);
        }
        for (size_t i = 0; r >= 0 && i < d->n_shmems; i++) {
                const DomainShmem *s = &d->shmems[i];
                _cleanup_free_ char *elem = xasprintf("<shmem name='%s'>", q(s->name)), *shm = NULL;
                bool sock;
                const char *why;

                if (!elem)
                        return -ENOMEM;
                r = profile_shmem_target(s->name, s->model, s->path, &shm, &sock, &why);
                if (r == -EINVAL)
                        return fail(g, r, "%s: %s", elem, why);
                if (r < 0)
                        return r;
                r = add_path(g, elem, shm, sock ? FC_SOCK : FC_FILE, ADD_RW, NULL);
        }
        for (size_t i = 0; r >= 0 && i < d->n_smartcards; i++) {
                const DomainSmartcard *sc = &d->smartcards[i];
                if (sc->mode && (streq(sc->mode, "host-certificates") || streq(sc->mode, "host")))
                        r = add_path(g, "<smartcard> <database>", sc->database ? sc->database : "/etc/pki/nssdb",
                                     FC_FILE, 0, NULL);
        }
        for (size_t i = 0; r >= 0 && i < d->n_graphics; i++) {
                const DomainGraphics *gr = &d->graphics[i];
                r = profile_runtime_covered(gr->socket, &g->self)
                            ? 0
                            : add_path(g, "<graphics socket>", gr->socket, FC_SOCK, ADD_RW, NULL);
                for (size_t j = 0; r >= 0 && j < gr->n_listens; j++)
                        r = profile_runtime_covered(gr->listens[j].socket, &g->self)
                                    ? 0
                                    : add_path(g, "<graphics><listen socket>", gr->listens[j].socket, FC_SOCK,
                                               ADD_RW, NULL);
                if (r >= 0 && gr->rendernode)
                        r = add_rule(g, "dev_rw_dri");
        }
        if (r >= 0 && d->qemu_args)
                r = fail(g, -EOPNOTSUPP, "<qemu:commandline>: arguments passed to QEMU directly cannot be checked "
                         "by the SELinux generator (\"%s\")", q(d->qemu_args[0]));
        return r;
}

/* ---- output ---- */

static int
fc_cmp(const void *a, const void *b)
{
        const FcEntry *x = a, *y = b;
        int c = strcmp(x->regex, y->regex);

        return c ? c : (int) x->kind - (int) y->kind;
}

static int
str_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static char *
substitute(const char *tpl, char *const *vars)
{
        StrBuf out = {};

        for (const char *p = tpl; *p;) {
                const char *at = strchr(p, '@');
                bool done = false;

                if (!at) {
                        strbuf_append(&out, p);
                        break;
                }
                strbuf_appendn(&out, p, (size_t) (at - p));
                for (char *const *v = vars; v[0] && v[1] && !done; v += 2)
                        if (startswith(at, v[0])) {
                                strbuf_append(&out, v[1]);
                                p = at + strlen(v[0]);
                                done = true;
                        }
                if (!done) {
                        strbuf_appendn(&out, "@", 1);
                        p = at + 1;
                }
        }
        return strbuf_steal(&out);
}

static int
render(Gen *g, const char *module, const char *uuid, const char *mcs, ProfileSelinuxOutput *ret)
{
        StrBuf decl = {}, rules = {}, fc = {}, restore = {}, notes = {};
        bool content = false, tree_ro = false;
        _cleanup_free_ char *label = xasprintf("system_u:system_r:%s_t:s0:%s", module, mcs);
        int r = -ENOMEM;

        if (!label)
                return -ENOMEM;
        if (g->n_fc > 0)
                qsort(g->fc, g->n_fc, sizeof(*g->fc), fc_cmp);
        if (g->rules)
                qsort(g->rules, strv_length(g->rules), sizeof(char *), str_cmp);
        for (size_t i = 0; i < g->n_fc; i++) {
                const FcEntry *e = &g->fc[i];

                content = content || e->label == FC_CONTENT;
                tree_ro = tree_ro || (e->label == FC_CONTENT && e->kind == FC_TREE);
                /* Each expression in m4 quotes: a path component that is a
                 * macro name (define, gen_context, ...) stays text. */
                if (e->label == FC_SHARED)
                        strbuf_printf(&fc, "`%s%s'\t%s\tgen_context(system_u:object_r:virt_content_t,s0)\n",
                                      e->regex, e->kind == FC_TREE ? "(/.*)?" : "", fc_flag[e->kind]);
                else
                        strbuf_printf(&fc, "`%s%s'\t%s\tgen_context(system_u:object_r:%s_%s_t,s0,`%s')\n",
                                      e->regex, e->kind == FC_TREE ? "(/.*)?" : "", fc_flag[e->kind], module,
                                      e->label == FC_IMAGE ? "image" : "content", mcs);
        }
        /* restorecon takes the real paths, not the expressions: each path
         * again, without the escapes (the generator made them). */
        for (size_t i = 0; i < g->n_fc; i++) {
                const char *s = g->fc[i].regex;
                StrBuf p = {};

                if (strstr(s, "[0-9]+") || g->fc[i].kind == FC_SOCK)
                        continue; /* sockets: created by QEMU at start */
                for (; *s; s++) {
                        if (startswith(s, "\\x20")) {
                                strbuf_appendn(&p, " ", 1);
                                s += 3;
                        } else if (*s == '\\' && s[1])
                                strbuf_appendn(&p, ++s, 1);
                        else
                                strbuf_appendn(&p, s, 1);
                }
                _cleanup_free_ char *path = strbuf_steal(&p);
                if (!path)
                        goto out;
                /* -F: without it restorecon sets the type alone and keeps
                 * the file's range, so a file made at s0 would keep s0, not
                 * the VM's categories (the lab: every disk stayed s0). */
                if (startswith(path, "/var/lib/libvirt/swtpm/"))
                        /* libvirt makes it at the first start */
                        strbuf_printf(&restore, "  mkdir -p '%s' && restorecon -F -R -v '%s'\n", path, path);
                else
                        strbuf_printf(&restore, "  restorecon -F -R -v '%s'\n", path);
        }
        if (content) {
                strbuf_printf(&decl, "\n# What the VM may read but not write: read-only disks, backing files,\n"
                                     "# kernel, initrd, firmware and read-only shares of its own.\n"
                                     "type %s_content_t;\nvirt_image(%s_content_t)\n",
                              module, module);
                strbuf_printf(&rules, "\nlist_dirs_pattern(%s_t, %s_content_t, %s_content_t)\n"
                                      "read_files_pattern(%s_t, %s_content_t, %s_content_t)\n"
                                      "read_lnk_files_pattern(%s_t, %s_content_t, %s_content_t)\n"
                                      "read_blk_files_pattern(%s_t, %s_content_t, %s_content_t)\n",
                              module, module, module, module, module, module, module, module, module, module,
                              module, module);
        }
        if (g->swtpm)
                /* libvirt labels swtpm's state directory and log with the
                 * VM's image label at every start, whatever relabel says
                 * (libvirt 9.0, src/security/security_selinux.c,
                 * virSecuritySELinuxSetTPMLabels); the template's
                 * mcs_constrained() keeps it to this VM's categories. */
                strbuf_printf(&rules, "\n# swtpm's state and log: libvirt labels them svirt_image_t at this VM's\n"
                                      "# categories at every start (virSecuritySELinuxSetTPMLabels, relabel or not);\n"
                                      "# the categories keep every other VM's svirt_image_t out of reach.\n"
                                      "gen_require(`\n\ttype svirt_image_t;\n')\n"
                                      "manage_dirs_pattern(%s_t, svirt_image_t, svirt_image_t)\n"
                                      "manage_files_pattern(%s_t, svirt_image_t, svirt_image_t)\n"
                                      "# QEMU connects to swtpm's socket, both under the VM's label\n"
                                      "allow %s_t self:unix_stream_socket connectto;\n",
                              module, module, module);
        if (g->rules) {
                strbuf_append(&rules, "\n");
                STRV_FOREACH(i, g->rules)
                        strbuf_printf(&rules, "%s(%s_t)\n", *i, module);
        }
        STRV_FOREACH(n, g->notes)
                strbuf_printf(&notes, "\nNote: %s\n", *n);
        if (!decl.s)
                strbuf_append(&decl, "");
        if (!rules.s)
                strbuf_append(&rules, "");
        if (!fc.s)
                strbuf_append(&fc, "");
        if (!restore.s)
                strbuf_append(&restore, "  (no file to label)\n");
        if (!notes.s)
                strbuf_append(&notes, "");
        if (decl.oom || rules.oom || fc.oom || restore.oom || notes.oom)
                goto out;

        char *vars[] = {
                "@MODULE@", (char *) module, "@UUID@", (char *) uuid, "@DECLARATIONS@", decl.s,
                "@RULES@", rules.s, "@LABEL@", label, "@MCS@", (char *) mcs,
                "@MCS_ORIGIN@", g->in->mcs ? "given with --mcs" : "derived from the UUID",
                "@RESTORECON@", restore.s, "@NOTES@", notes.s, NULL, NULL,
        };
        ret->te = substitute(g->in->template_text, vars);
        ret->readme = substitute(g->in->readme_text, vars);
        ret->fc = xasprintf("# File contexts of the VM with UUID %s (kvmaudit profile selinux):\n"
                            "# exactly its own files, as escaped regular expressions.\n%s",
                            uuid, fc.s);
        /* relabel='no' and no <imagelabel>: libvirt ignores an <imagelabel>
         * in a definition (it is output only), and with relabel='yes' it
         * would label every image with the policy's virtual_image_context
         * (svirt_image_t) and the <label>'s categories, replacing the VM's
         * own types of the .fc.  With relabel='no' it labels nothing: the
         * files keep what restorecon gives them from the .fc. */
        ret->seclabel = xasprintf("<seclabel type='static' model='selinux' relabel='no'>\n"
                                  "  <label>%s</label>\n</seclabel>\n",
                                  label);
        ret->module = strdup(module);
        if (ret->te && ret->readme && ret->fc && ret->seclabel && ret->module)
                r = 0;
out:
        strbuf_done(&decl);
        strbuf_done(&rules);
        strbuf_done(&fc);
        strbuf_done(&restore);
        strbuf_done(&notes);
        return r;
}

void
profile_selinux_output_done(ProfileSelinuxOutput *o)
{
        if (!o)
                return;
        free(o->module);
        free(o->te);
        free(o->fc);
        free(o->seclabel);
        free(o->readme);
        *o = (ProfileSelinuxOutput) {};
}

static void
gen_done(Gen *g)
{
        for (size_t i = 0; i < g->n_fc; i++)
                free(g->fc[i].regex);
        free(g->fc);
        strv_free(g->rules);
        strv_free(g->notes);
        strv_free(g->disk_dirs);
        strv_free(g->system_read);
        strv_free(g->net_disks);
        profile_deny_table_done(&g->deny);
        free(g->error);
}

/* The UUID in its canonical form, lower case; NULL when not a UUID. */
static char *
canonical_uuid(const char *u)
{
        char out[37];
        size_t k = 0, digits = 0;

        for (const char *c = u; *c; c++) {
                if (*c == '-')
                        continue;
                if (!isxdigit((unsigned char) *c) || digits >= 32)
                        return NULL;
                if (k == 8 || k == 13 || k == 18 || k == 23)
                        out[k++] = '-';
                out[k++] = (char) tolower((unsigned char) *c);
                digits++;
        }
        if (digits != 32)
                return NULL;
        out[k] = '\0';
        return strdup(out);
}

int
profile_selinux_generate(const ProfileSelinuxInput *in, ProfileSelinuxOutput *ret, char **ret_error)
{
        Gen g = {.in = in, .d = in->domain};
        _cleanup_free_ char *module = NULL, *mcs = NULL, *uuid = NULL;
        ProfileSelinuxOutput out = {};
        const char *why;
        int r;

        if (!in->template_text || !strstr(in->template_text, "@MODULE@") || !strstr(in->template_text, "@RULES@") ||
            !in->readme_text) {
                r = fail(&g, -EBADMSG, "the SELinux template has no @MODULE@ or @RULES@, or no README");
                goto out;
        }
        r = profile_deny_table_parse(in->deny_text ? in->deny_text : "", "deny-paths", &g.deny, &g.error);
        if (r < 0)
                goto out;
        if ((r = table_parse(&g, in->system_read_text, "system-read", &g.system_read)) < 0 ||
            (r = table_parse(&g, in->network_disks_text, "network-disks", &g.net_disks)) < 0)
                goto out;
        if (!g.d->uuid || !(uuid = canonical_uuid(g.d->uuid))) {
                r = fail(&g, -EINVAL, "<uuid>\"%s\"</uuid>: not a UUID", q(g.d->uuid));
                goto out;
        }
        r = profile_selinux_module_name(g.d->name, &module, &why);
        if (r == -ENOMEM)
                goto out;
        if (r < 0) {
                r = fail(&g, -EINVAL, "<name>%s</name>: no SELinux module name can be made from it: %s",
                         q(g.d->name), why);
                goto out;
        }
        STRV_FOREACH(o, in->other_vm_names) {
                _cleanup_free_ char *om = NULL;
                if (streq(*o, g.d->name) || profile_selinux_module_name(*o, &om, &why) < 0)
                        continue;
                if (streq(om, module)) {
                        r = fail(&g, -EEXIST, "<name>%s</name>: domain \"%s\" gives the same module name %s",
                                 q(g.d->name), q(*o), module);
                        goto out;
                }
        }
        r = profile_selinux_mcs(in->mcs, g.d->uuid, &mcs, &why);
        if (r == -ENOMEM)
                goto out;
        if (r < 0) {
                r = fail(&g, -EINVAL, "%s%s%s: %s", in->mcs ? "--mcs \"" : "<uuid>", in->mcs ? q(in->mcs) : "",
                         in->mcs ? "\"" : "", why);
                goto out;
        }
        {
                SelinuxLevel mine, theirs;
                _cleanup_free_ char *ml = xasprintf("a:b:c:s0:%s", mcs);

                if (!ml || !label_categories(ml, &mine)) {
                        r = -ENOMEM;
                        goto out;
                }
                for (size_t i = 0; in->other_vm_labels && in->other_vm_labels[i]; i++) {
                        unsigned first, shared;
                        bool sup, sub;

                        if (!label_categories(in->other_vm_labels[i], &theirs))
                                continue;
                        shared = domain_label_level_shared(&mine, &theirs, &first);
                        sup = shared == mine.n_cats;                   /* theirs covers mine */
                        sub = theirs.n_cats > 0 && shared == theirs.n_cats; /* theirs lies within */
                        if (sup || sub) {
                                r = fail(&g, -EEXIST, "MCS pair %s (%s): the static label \"%s\" of domain \"%s\" "
                                         "%s; choose another pair with --mcs", mcs,
                                         in->mcs ? "given with --mcs" : "derived from the UUID",
                                         q(in->other_vm_labels[i]),
                                         q(in->other_vm_label_owners ? in->other_vm_label_owners[i] : "?"),
                                         sup ? "covers it: that VM could open this one's files"
                                             : "lies within it: this VM could open that one's files");
                                goto out;
                        }
                }
        }

        g.self = (ProfileVmId) {.name = g.d->name, .uuid = uuid};
        if ((r = add_disks(&g)) < 0 || (r = add_os(&g)) < 0 || (r = add_chardevs(&g)) < 0 ||
            (r = add_tpms(&g, uuid)) < 0 || (r = add_filesystems(&g)) < 0 || (r = add_hostdevs(&g)) < 0 ||
            (r = add_misc_devices(&g)) < 0)
                goto out;
        r = render(&g, module, uuid, mcs, &out);
        if (r < 0) {
                profile_selinux_output_done(&out);
                goto out;
        }
        *ret = out;
out:
        if (r < 0 && ret_error)
                *ret_error = g.error ? TAKE_PTR(g.error) : strdup(strerror(-r));
        gen_done(&g);
        return r;
}
