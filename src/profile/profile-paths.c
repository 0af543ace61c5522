/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "profile-paths.h"
#include "profile.h"
#include "strv.h"
#include "util.h"

static const char *const deny_kind_table[_PROFILE_DENY_KIND_MAX] = {
        [PROFILE_DENY_ANY] = "any",
        [PROFILE_DENY_WRITE] = "write",
        [PROFILE_DENY_TREE] = "tree",
        [PROFILE_DENY_VMSTATE] = "vmstate",
};
_Static_assert(ELEMENTSOF(deny_kind_table) == _PROFILE_DENY_KIND_MAX, "deny kinds");

void
profile_deny_table_done(ProfileDenyTable *t)
{
        if (!t)
                return;
        for (size_t i = 0; i < t->n_entries; i++) {
                free(t->entries[i].path);
                free(t->entries[i].reason);
        }
        free(t->entries);
        *t = (ProfileDenyTable) {};
}

static char *
next_word(char **p)
{
        char *s = *p, *w;

        while (*s == ' ' || *s == '\t')
                s++;
        if (!*s)
                return NULL;
        w = s;
        while (*s && *s != ' ' && *s != '\t')
                s++;
        if (*s)
                *s++ = '\0';
        *p = s;
        return w;
}

int
profile_deny_table_parse(const char *text, const char *origin, ProfileDenyTable *ret, char **ret_error)
{
        _cleanup_free_ char *copy = strdup(text);
        ProfileDenyTable t = {};
        unsigned line_no = 0;
        char *line, *save = NULL;
        const char *what = NULL;

        if (!copy)
                return -ENOMEM;
        /* strtok_r would merge empty lines and break the line numbers. */
        for (line = copy; line; line = save) {
                char *nl = strchr(line, '\n'), *p, *kind, *path, *reason, *norm = NULL;
                const char *why;
                int k = -1;

                save = nl ? nl + 1 : NULL;
                if (nl)
                        *nl = '\0';
                line_no++;
                strstrip(line);
                if (!*line || *line == '#')
                        continue;
                p = line;
                kind = next_word(&p);
                path = next_word(&p);
                reason = strstrip(p);
                for (size_t i = 0; i < _PROFILE_DENY_KIND_MAX; i++)
                        if (streq(kind, deny_kind_table[i]))
                                k = (int) i;
                if (k < 0) {
                        what = "unknown kind (any, write, tree, vmstate)";
                        goto fail;
                }
                if (!path || !*reason) {
                        what = "expected KIND PATH REASON";
                        goto fail;
                }
                if (domain_path_normalize(path, &norm, &why) < 0) {
                        what = why;
                        goto fail;
                }
                /* The longest entry decides (profile_deny_table_check()):
                 * nothing may weaken an "any" entry it lies under. */
                for (size_t i = 0; i < t.n_entries; i++) {
                        const ProfileDenyEntry *o = &t.entries[i];
                        bool in_o = domain_path_under(norm, o->path), o_in = domain_path_under(o->path, norm);

                        if ((in_o && o->kind == PROFILE_DENY_ANY && k != PROFILE_DENY_ANY &&
                             k != PROFILE_DENY_VMSTATE) ||
                            (o_in && k == PROFILE_DENY_ANY && o->kind != PROFILE_DENY_ANY &&
                             o->kind != PROFILE_DENY_VMSTATE)) {
                                free(norm);
                                what = "only an \"any\" or \"vmstate\" entry may lie under an \"any\" entry";
                                goto fail;
                        }
                        if (streq(norm, o->path)) {
                                free(norm);
                                what = "a second entry for the same path";
                                goto fail;
                        }
                }
                if (t.n_entries >= PROFILE_DENY_ENTRIES_MAX) {
                        free(norm);
                        what = "too many entries";
                        goto fail;
                }
                ProfileDenyEntry *e = realloc(t.entries, (t.n_entries + 1) * sizeof(*e));
                if (!e) {
                        free(norm);
                        profile_deny_table_done(&t);
                        return -ENOMEM;
                }
                t.entries = e;
                e[t.n_entries] = (ProfileDenyEntry) {.kind = k, .path = norm, .reason = strdup(reason)};
                if (!e[t.n_entries++].reason) {
                        profile_deny_table_done(&t);
                        return -ENOMEM;
                }
        }
        *ret = t;
        return 0;
fail:
        profile_deny_table_done(&t);
        if (ret_error)
                *ret_error = xasprintf("%s:%u: %s", origin, line_no, what);
        return -EBADMSG;
}

bool
profile_path_has_special(const char *path)
{
        return strpbrk(path, "*?[]{}^\"\\@, \t\n") != NULL;
}

/* @c is "PREFIX" 1..DOMAIN_ID_DIGITS_MAX digits "-" @short @suffix. */
static bool
id_short_name(const char *c, const char *prefix, const char *short_name, const char *suffix)
{
        size_t digits = 0;

        if (!startswith(c, prefix))
                return false;
        c += strlen(prefix);
        while (c[digits] >= '0' && c[digits] <= '9')
                digits++;
        if (digits == 0 || digits > DOMAIN_ID_DIGITS_MAX || c[digits] != '-')
                return false;
        c += digits + 1;
        return startswith(c, short_name) && streq(c + strlen(short_name), suffix);
}

static bool
suffixed(const char *c, const char *name, const char *suffix)
{
        return startswith(c, name) && streq(c + strlen(name), suffix);
}

bool
profile_vmstate_owned(const char *path, const char *dir, const ProfileVmId *self)
{
        _cleanup_free_ char *short_name = NULL;
        const char *why, *p;

        if (!self || !self->name || !*self->name || !domain_path_under(path, dir) || streq(path, dir))
                return false;
        if (domain_short_name(self->name, &short_name, &why) < 0)
                return false;
        p = path + strlen(dir);
        while (*p == '/') {
                const char *end = strchrnul(p + 1, '/');
                _cleanup_free_ char *c = strndup(p + 1, (size_t) (end - p - 1));

                if (!c)
                        return false;
                if (id_short_name(c, "domain-", short_name, "") ||
                    id_short_name(c, "", short_name, "-swtpm.sock") ||
                    id_short_name(c, "", short_name, "-swtpm.pid") || suffixed(c, self->name, "_VARS.fd") ||
                    suffixed(c, self->name, "_VARS.ms.fd") || suffixed(c, self->name, "-swtpm.log") ||
                    (self->uuid && streq(c, self->uuid)))
                        return true;
                p = end;
        }
        return false;
}

bool
profile_runtime_covered(const char *path, const ProfileVmId *self)
{
        static const char *const dirs[] = {
                "/var/lib/libvirt/qemu/",
                "/var/lib/libvirt/qemu/channel/target/",
        };
        _cleanup_free_ char *norm = NULL, *short_name = NULL;
        const char *why;

        if (!path || !self || !self->name || domain_path_normalize(path, &norm, &why) < 0 ||
            domain_short_name(self->name, &short_name, &why) < 0)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                const char *rest = norm + strlen(dirs[i]), *slash;
                _cleanup_free_ char *c = NULL;

                if (!startswith(norm, dirs[i]) || !(slash = strchr(rest, '/')) || strchr(slash + 1, '/') || !slash[1])
                        continue;
                c = strndup(rest, (size_t) (slash - rest));
                if (c && id_short_name(c, "domain-", short_name, ""))
                        return true;
        }
        return false;
}

const char *
profile_file_disk_refusal(const ProfileHost *host, const char *source)
{
        _cleanup_free_ char *norm = NULL, *real = NULL;
        const char *why;

        if (domain_path_normalize(source, &norm, &why) < 0 || profile_path_resolve(host, norm, &real, &why) < 0)
                return NULL;
        if (domain_path_under(real, "/dev") && !domain_path_under(real, "/dev/shm"))
                return "a device node given as an image file: a disk that is a device must be type='block'";
        return NULL;
}

int
profile_shmem_target(const char *name, const char *model, const char *server_path, char **ret, bool *ret_socket,
                     const char **ret_reason)
{
        bool doorbell = model && streq(model, "ivshmem-doorbell");
        char *s;

        if (doorbell && server_path) {
                s = strdup(server_path);
                if (!s)
                        return -ENOMEM;
                *ret = s;
                *ret_socket = true;
                return 0;
        }
        if (!name || !*name || strchr(name, '/') || streq(name, ".") || streq(name, "..")) {
                *ret_reason = "not a valid shared memory name";
                return -EINVAL;
        }
        s = doorbell ? xasprintf("/var/lib/libvirt/shmem-%s-sock", name) : xasprintf("/dev/shm/%s", name);
        if (!s)
                return -ENOMEM;
        *ret = s;
        *ret_socket = doorbell;
        return 0;
}

const ProfileDenyEntry *
profile_deny_table_check(const ProfileDenyTable *t, const char *path, bool write, bool recursive,
                         const ProfileVmId *self)
{
        const ProfileDenyEntry *best = NULL;

        for (size_t i = 0; i < t->n_entries; i++) {
                const ProfileDenyEntry *e = &t->entries[i];

                /* A tree granted over an entry: every kind refuses it, a
                 * "write" entry only a writable tree. */
                if (recursive && domain_path_under(e->path, path) && (e->kind != PROFILE_DENY_WRITE || write))
                        return e;
                if (domain_path_under(path, e->path) && (!best || strlen(e->path) > strlen(best->path)))
                        best = e;
        }
        if (!best)
                return NULL;
        switch (best->kind) {
        case PROFILE_DENY_ANY:
                return best;
        case PROFILE_DENY_WRITE:
                return write ? best : NULL;
        case PROFILE_DENY_TREE:
                return NULL; /* a single file under a shared directory (covers handled above) */
        case PROFILE_DENY_VMSTATE:
                return profile_vmstate_owned(path, best->path, self) ? NULL : best;
        default:
                return best;
        }
}

const ProfileDenyEntry *
profile_deny_table_match(const ProfileDenyTable *t, const char *path, bool write, bool recursive)
{
        return profile_deny_table_check(t, path, write, recursive, NULL);
}

/* "sda2" -> 3 ("sda"), "nvme0n1p2" -> 7 ("nvme0n1"); the length of the
 * whole-disk name, or the whole length when it is not a partition name. */
static size_t
disk_stem(const char *name)
{
        size_t n = strlen(name), d = n;

        while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
                d--;
        if (d == n || d == 0)
                return n;
        /* nvme0n1p2, mmcblk0p1, loop0p1: the stem ends in a digit then 'p' */
        if (name[d - 1] == 'p' && d >= 2 && name[d - 2] >= '0' && name[d - 2] <= '9')
                return d - 1;
        /* sda2, vdb1, xvda1: a letter stem */
        if (name[d - 1] >= 'a' && name[d - 1] <= 'z' &&
            (startswith(name, "sd") || startswith(name, "vd") || startswith(name, "hd") ||
             startswith(name, "xvd")))
                return d;
        return n;
}

bool
profile_path_same_disk(const char *dev, const char *host_dev)
{
        const char *a, *b;
        size_t sa, sb;

        if (streq(dev, host_dev))
                return true;
        if (!startswith(dev, "/dev/") || !startswith(host_dev, "/dev/"))
                return false;
        a = dev + 5;
        b = host_dev + 5;
        if (strchr(a, '/') || strchr(b, '/'))
                return false;
        sa = disk_stem(a);
        sb = disk_stem(b);
        return sa == sb && strneq(a, b, sa);
}

char *
profile_escape_for_message(const char *s)
{
        StrBuf b = {};

        for (const unsigned char *c = (const unsigned char *) s; *c; c++) {
                if (*c == '\n')
                        strbuf_append(&b, "\\n");
                else if (*c == '\t')
                        strbuf_append(&b, "\\t");
                else if (*c == '"' || *c == '\\') {
                        char e[3] = {'\\', (char) *c, '\0'};
                        strbuf_append(&b, e);
                } else if (*c < 0x20 || *c == 0x7f)
                        strbuf_printf(&b, "\\x%02x", *c);
                else
                        strbuf_appendn(&b, (const char *) c, 1);
        }
        if (!b.s && !b.oom)
                strbuf_append(&b, "");
        return strbuf_steal(&b);
}

int
profile_path_resolve(const ProfileHost *h, const char *path, char **ret, const char **ret_why)
{
        _cleanup_free_ char *res = NULL, *parent = NULL, *pres = NULL;
        char *slash;
        int r;

        if (!h || !h->resolve)
                return (*ret = strdup(path)) ? 0 : -ENOMEM;
        r = h->resolve(h->userdata, path, &res);
        if (r < 0) {
                if (r != -ENOENT && r != -ENOTDIR && r != -ENOMEDIUM)
                        return r;
                parent = strdup(path);
                if (!parent)
                        return -ENOMEM;
                slash = strrchr(parent, '/');
                if (!slash)
                        return -EINVAL;
                *slash = '\0';
                r = h->resolve(h->userdata, *parent ? parent : "/", &pres);
                if (r < 0) {
                        if (r != -ENOENT && r != -ENOTDIR && r != -ENOMEDIUM)
                                return r;
                        return (*ret = strdup(path)) ? 0 : -ENOMEM;
                }
                res = xasprintf("%s/%s", streq(pres, "/") ? "" : pres, slash + 1);
                if (!res)
                        return -ENOMEM;
        }
        return domain_path_normalize(res, ret, ret_why);
}
