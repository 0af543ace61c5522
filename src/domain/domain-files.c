/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain-files.h"
#include "strv.h"
#include "util.h"

int
domain_path_normalize(const char *path, char **ret, const char **ret_reason)
{
        size_t len = strlen(path);
        char *out, *o;

        if (len == 0) {
                *ret_reason = "empty path";
                return -EINVAL;
        }
        if (path[0] != '/') {
                *ret_reason = "not an absolute path";
                return -EINVAL;
        }
        if (len > DOMAIN_PATH_MAX) {
                *ret_reason = "path too long";
                return -EINVAL;
        }
        for (const char *c = path; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f) {
                        *ret_reason = "control character (newline, tab, ...) in path";
                        return -EINVAL;
                }
        out = malloc(len + 1);
        if (!out)
                return -ENOMEM;
        o = out;
        for (const char *c = path; *c;) {
                const char *end;
                size_t n;

                while (*c == '/')
                        c++;
                if (!*c)
                        break;
                end = strchrnul(c, '/');
                n = (size_t) (end - c);
                /* "." is the directory it is in, whatever the file system
                 * holds: the kernel and libvirt (virFileCanonicalizePath)
                 * read "/etc/./x" as "/etc/x", and so does every question
                 * asked of it here. */
                if (n == 1 && c[0] == '.') {
                        c = end;
                        continue;
                }
                if (n == 2 && c[0] == '.' && c[1] == '.') {
                        free(out);
                        *ret_reason = "\"..\" component (path traversal) in path";
                        return -EINVAL;
                }
                *o++ = '/';
                memcpy(o, c, n);
                o += n;
                c = end;
        }
        if (o == out)
                *o++ = '/';
        *o = '\0';
        *ret = out;
        return 0;
}

bool
domain_path_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        if (streq(dir, "/"))
                return true;
        return strneq(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static int
files_add(char ***l, const char *path)
{
        if (!path || !*path || strv_contains(*l, path))
                return 0;
        return strv_extend(l, path);
}

/* An emulated TPM's files, named as qemu_tpm.c names them: the state
 * directory by the UUID (lower case, as libvirt formats it), the log by
 * the whole name. */
static int
files_add_swtpm(DomainFiles *f, const Domain *d)
{
        _cleanup_free_ char *state = NULL, *log = NULL;
        char uuid[37];
        size_t k = 0;

        if (d->uuid) {
                for (const char *c = d->uuid; *c && k < 36; c++) {
                        if (*c == '-')
                                continue;
                        if (!isxdigit((unsigned char) *c)) {
                                k = 0;
                                break;
                        }
                        if (k == 8 || k == 13 || k == 18 || k == 23)
                                uuid[k++] = '-';
                        uuid[k++] = (char) tolower((unsigned char) *c);
                }
        }
        uuid[k] = '\0';
        if (k == 36 && !(state = xasprintf(DOMAIN_SWTPM_STATE_DIR "/%s", uuid)))
                return -ENOMEM;
        if (!strchr(d->name, '/') && !(log = xasprintf(DOMAIN_SWTPM_LOG_DIR "/%s-swtpm.log", d->name)))
                return -ENOMEM;
        if (files_add(&f->private_paths, state) < 0 || files_add(&f->private_paths, log) < 0)
                return -ENOMEM;
        return 0;
}

int
domain_files_add(DomainFiles *f, const Domain *d)
{
        bool swtpm = false;

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *disk = &d->disks[i];
                bool own = domain_disk_is_writable(disk) && !disk->shareable;

                if (disk->source && domain_disk_has_local_source(disk) &&
                    files_add(own ? &f->private_paths : &f->shared_paths, disk->source) < 0)
                        return -ENOMEM;
                for (size_t j = 0; j < disk->n_backing; j++)
                        if (files_add(&f->shared_paths, disk->backing[j].path) < 0)
                                return -ENOMEM;
        }
        if (files_add(&f->private_paths, d->os.nvram) < 0 || files_add(&f->shared_paths, d->os.kernel) < 0 ||
            files_add(&f->shared_paths, d->os.initrd) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < d->n_filesystems; i++)
                if (files_add(d->filesystems[i].readonly ? &f->shared_paths : &f->private_paths,
                              d->filesystems[i].source) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < d->n_chardevs; i++) {
                const DomainChardev *c = &d->chardevs[i];

                for (size_t j = 0; j < c->n_sources; j++)
                        if (files_add(&f->private_paths, c->sources[j].path) < 0)
                                return -ENOMEM;
                if (files_add(&f->private_paths, c->log_file) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < d->n_tpms; i++) {
                if (files_add(&f->private_paths, d->tpms[i].socket_path) < 0)
                        return -ENOMEM;
                if (d->tpms[i].backend_type && streq(d->tpms[i].backend_type, "emulator"))
                        swtpm = true;
        }
        return swtpm ? files_add_swtpm(f, d) : 0;
}

void
domain_files_finish(DomainFiles *f)
{
        size_t n = strv_length(f->shared_paths);

        for (size_t i = 0; i < n;)
                if (strv_contains(f->private_paths, f->shared_paths[i])) {
                        free(f->shared_paths[i]);
                        memmove(f->shared_paths + i, f->shared_paths + i + 1, (n - i) * sizeof(char *));
                        n--;
                } else
                        i++;
}

void
domain_files_done(DomainFiles *f)
{
        f->private_paths = strv_free(f->private_paths);
        f->shared_paths = strv_free(f->shared_paths);
}
