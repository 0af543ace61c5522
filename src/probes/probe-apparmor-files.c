/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What lsm.apparmor-profile-minimal compares, read from the host:
 *
 *   aaprofile:libvirt-UUID  the rules of the per-VM profile source libvirt
 *                           keeps (/etc/apparmor.d/libvirt/libvirt-UUID and
 *                           the libvirt-UUID.files it includes, written by
 *                           virt-aa-helper), one normalized rule per item
 *   realpath:PATH           PATH with every symlink resolved
 *   imagehead:PATH          the first bytes of a file, in hex ("dir" for a
 *                           directory, "other" for a device, FIFO, socket)
 *
 * The last two are what the profile generator asks its ProfileHost, so
 * that a check can run the generator on facts.  The kernel holds the
 * loaded profile only in compiled form; the source on disk is what can be
 * compared, and libvirt rewrites it each time it (re)loads the profile.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aa-rules.h"
#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

#define AAPROFILE_DIR "/etc/apparmor.d/libvirt"
/* A .files of a VM with hundreds of disks stays far below this. */
#define AAPROFILE_FILE_MAX (1024U * 1024U)
/* As PROFILE_IMAGE_HEAD_MAX: what the generator reads of an image. */
#define IMAGEHEAD_MAX (64U * 1024U)
#define REALPATH_MAX 4096U

static bool
profile_name_valid(const char *name)
{
        const char *u;

        if (!startswith(name, "libvirt-"))
                return false;
        u = name + strlen("libvirt-");
        if (strlen(u) != 36)
                return false;
        for (size_t i = 0; i < 36; i++) {
                bool dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? u[i] != '-' : !isxdigit((unsigned char) u[i]))
                        return false;
        }
        return true;
}

int
probe_aaprofile_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("aaprofile:%s", name), *main_path = NULL, *files_path = NULL,
                            *main_text = NULL, *files_text = NULL, *include = NULL, *error = NULL;
        _cleanup_strv_free_ char **rules = NULL;
        int r;

        if (!key)
                return -ENOMEM;
        if (!profile_name_valid(name))
                return fact_store_set_error(s, key, -EINVAL, "%s: not a libvirt-UUID profile name", name);
        main_path = xasprintf(AAPROFILE_DIR "/%s", name);
        files_path = xasprintf(AAPROFILE_DIR "/%s.files", name);
        include = xasprintf("<libvirt/%s.files>", name);
        if (!main_path || !files_path || !include)
                return -ENOMEM;
        r = host_read_text(h, files_path, AAPROFILE_FILE_MAX, &files_text);
        if (r < 0)
                return probe_record_error(s, key, files_path, r); /* ENOENT: absent */
        r = host_read_text(h, main_path, AAPROFILE_FILE_MAX, &main_text);
        if (r < 0 && r != -ENOENT)
                return probe_record_error(s, key, main_path, r);
        if (main_text) {
                r = aa_rules_parse(main_text, main_path, include, &rules, &error);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return fact_store_set_error(s, key, r, "%s", strna(error));
        }
        r = aa_rules_parse(files_text, files_path, NULL, &rules, &error);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return fact_store_set_error(s, key, r, "%s", strna(error));
        if (!rules && !(rules = calloc(1, sizeof(char *))))
                return -ENOMEM;
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(rules)};
        return fact_store_put(s, key, &f);
}

int
probe_realpath_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("realpath:%s", name), *real = NULL;
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || strlen(name) > REALPATH_MAX)
                return fact_store_set_error(s, key, -EINVAL, "%s: expected an absolute path", name);
        r = host_resolve(h, name, &real);
        if (r == -ENOTDIR)
                r = -ENOENT;
        if (r < 0)
                return probe_record_error(s, key, name, r);
        return fact_store_set_string(s, key, real);
}

int
probe_imagehead_load_one(FactStore *s, Host *h, const char *name)
{
        static const char hex[] = "0123456789abcdef";
        _cleanup_free_ char *key = xasprintf("imagehead:%s", name), *buf = NULL, *out = NULL;
        size_t len = 0;
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || strlen(name) > REALPATH_MAX)
                return fact_store_set_error(s, key, -EINVAL, "%s: expected an absolute path", name);
        /* Disk sources are often block devices: host_read_head() reports
         * them (-EBADFD) without opening them. */
        r = host_read_head(h, name, IMAGEHEAD_MAX, &buf, &len);
        if (r == -ENOTDIR)
                r = -ENOENT;
        if (r == -EISDIR)
                return fact_store_set_string(s, key, "dir");
        if (r == -EBADFD)
                return fact_store_set_string(s, key, "other");
        if (r < 0)
                return probe_record_error(s, key, name, r);
        out = malloc(len * 2 + 1);
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < len; i++) {
                out[2 * i] = hex[(unsigned char) buf[i] >> 4];
                out[2 * i + 1] = hex[(unsigned char) buf[i] & 0xf];
        }
        out[len * 2] = '\0';
        return fact_store_set_string(s, key, out);
}
