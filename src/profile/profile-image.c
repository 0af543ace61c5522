/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile-image.h"
#include "strv.h"
#include "profile-paths.h"
#include "profile.h"
#include "util.h"

#define QCOW2_EXT_BACKING_FORMAT 0xE2792ACAU
#define QCOW2_EXT_END            0x00000000U
#define QCOW2_V2_HEADER_LEN      72U
#define QCOW2_EXTENSIONS_MAX     64U
#define QED_F_BACKING_FILE       0x01U
#define QED_F_BACKING_NO_PROBE   0x04U
#define VMDK_SECTOR              512U

static uint32_t
be32(const unsigned char *p)
{
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static uint64_t
be64(const unsigned char *p)
{
        return (uint64_t) be32(p) << 32 | be32(p + 4);
}

static uint32_t
le32(const unsigned char *p)
{
        return (uint32_t) p[3] << 24 | (uint32_t) p[2] << 16 | (uint32_t) p[1] << 8 | p[0];
}

static uint64_t
le64(const unsigned char *p)
{
        return (uint64_t) le32(p + 4) << 32 | le32(p);
}

/* A copy of @n bytes at @off of the head, refused when outside it, empty,
 * too long or holding a NUL byte. */
static int
copy_name(const unsigned char *h, size_t len, uint64_t off, uint64_t n, char **ret, const char **ret_reason)
{
        char *s;

        if (n == 0 || n > PROFILE_BACKING_NAME_MAX) {
                *ret_reason = "backing file name empty or longer than 1023 bytes";
                return -EBADMSG;
        }
        if (off > len || n > len - off) {
                *ret_reason = "backing file name lies outside the image header";
                return -EBADMSG;
        }
        if (memchr(h + off, '\0', n)) {
                *ret_reason = "NUL byte in the backing file name";
                return -EBADMSG;
        }
        s = strndup((const char *) h + off, n);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

static int
qcow2_backing(const unsigned char *h, size_t len, char **ret_backing, char **ret_format, const char **ret_reason)
{
        _cleanup_free_ char *name = NULL, *fmt = NULL;
        uint32_t version, ext_off, name_size;
        uint64_t name_off;
        int r;

        if (len < QCOW2_V2_HEADER_LEN) {
                *ret_reason = "qcow2 header truncated";
                return -EBADMSG;
        }
        version = be32(h + 4);
        if (version != 2 && version != 3) {
                *ret_reason = "qcow2 version neither 2 nor 3";
                return -EBADMSG;
        }
        name_off = be64(h + 8);
        name_size = be32(h + 16);
        if (name_off == 0) {
                *ret_backing = NULL;
                *ret_format = NULL;
                return 0;
        }
        r = copy_name(h, len, name_off, name_size, &name, ret_reason);
        if (r < 0)
                return r;

        ext_off = QCOW2_V2_HEADER_LEN;
        if (version == 3) {
                if (len < 104) {
                        *ret_reason = "qcow2 v3 header truncated";
                        return -EBADMSG;
                }
                ext_off = be32(h + 100);
        }
        /* Extensions run from the end of the header to the backing name. */
        for (unsigned i = 0; i < QCOW2_EXTENSIONS_MAX; i++) {
                uint32_t type, n;

                if ((uint64_t) ext_off + 8 > len || ext_off + 8 > name_off)
                        break;
                type = be32(h + ext_off);
                n = be32(h + ext_off + 4);
                if (type == QCOW2_EXT_END)
                        break;
                if ((uint64_t) ext_off + 8 + n > len) {
                        *ret_reason = "qcow2 header extension runs past the header";
                        return -EBADMSG;
                }
                if (type == QCOW2_EXT_BACKING_FORMAT) {
                        free(fmt);
                        fmt = NULL;
                        r = copy_name(h, len, ext_off + 8, n, &fmt, ret_reason);
                        if (r < 0)
                                return r;
                }
                ext_off += 8 + ((n + 7U) & ~7U);
        }
        *ret_backing = TAKE_PTR(name);
        *ret_format = TAKE_PTR(fmt);
        return 0;
}

static int
qed_backing(const unsigned char *h, size_t len, char **ret_backing, char **ret_format, const char **ret_reason)
{
        uint64_t features;
        int r;

        if (len < 64) {
                *ret_reason = "qed header truncated";
                return -EBADMSG;
        }
        features = le64(h + 16);
        if (!(features & QED_F_BACKING_FILE)) {
                *ret_backing = NULL;
                *ret_format = NULL;
                return 0;
        }
        r = copy_name(h, len, le32(h + 56), le32(h + 60), ret_backing, ret_reason);
        if (r < 0)
                return r;
        *ret_format = NULL;
        if (features & QED_F_BACKING_NO_PROBE) {
                *ret_format = strdup("raw");
                if (!*ret_format) {
                        free(*ret_backing);
                        *ret_backing = NULL;
                        return -ENOMEM;
                }
        }
        return 0;
}

/* parentFileNameHint="NAME" in a vmdk text descriptor. */
static int
vmdk_descriptor_backing(const char *d, size_t len, char **ret_backing, char **ret_format, const char **ret_reason)
{
        static const char key[] = "parentFileNameHint=\"";
        const char *p = d, *end = d + len;

        *ret_backing = NULL;
        *ret_format = NULL;
        while (p < end) {
                const char *eol = memchr(p, '\n', (size_t) (end - p));
                size_t n = eol ? (size_t) (eol - p) : (size_t) (end - p);

                if (n > sizeof(key) - 1 && strneq(p, key, sizeof(key) - 1)) {
                        const char *v = p + sizeof(key) - 1, *q = memchr(v, '"', n - (sizeof(key) - 1));

                        if (!q) {
                                *ret_reason = "vmdk parentFileNameHint without closing quote";
                                return -EBADMSG;
                        }
                        int r = copy_name((const unsigned char *) d, len, (uint64_t) (v - d), (uint64_t) (q - v),
                                          ret_backing, ret_reason);
                        if (r < 0)
                                return r;
                        *ret_format = strdup("vmdk");
                        if (!*ret_format) {
                                free(*ret_backing);
                                *ret_backing = NULL;
                                return -ENOMEM;
                        }
                        return 0;
                }
                p += n + 1;
        }
        return 0;
}

static int
vmdk_backing(const unsigned char *h, size_t len, char **ret_backing, char **ret_format, const char **ret_reason)
{
        if (len >= 4 && memcmp(h, "KDMV", 4) == 0) {
                uint64_t off, size;

                if (len < 44) {
                        *ret_reason = "vmdk header truncated";
                        return -EBADMSG;
                }
                off = le64(h + 28);
                size = le64(h + 36);
                if (off == 0 || size == 0) {
                        *ret_backing = NULL;
                        *ret_format = NULL;
                        return 0;
                }
                if (off > len / VMDK_SECTOR || size > len / VMDK_SECTOR ||
                    off * VMDK_SECTOR + size * VMDK_SECTOR > len) {
                        *ret_reason = "vmdk descriptor lies outside the bytes read";
                        return -EBADMSG;
                }
                const char *d = (const char *) h + off * VMDK_SECTOR;
                size_t n = strnlen(d, size * VMDK_SECTOR);
                return vmdk_descriptor_backing(d, n, ret_backing, ret_format, ret_reason);
        }
        return vmdk_descriptor_backing((const char *) h, strnlen((const char *) h, len), ret_backing, ret_format,
                                       ret_reason);
}

int
profile_image_backing(const char *head, size_t len, const char *format, char **ret_backing,
                      char **ret_backing_format, const char **ret_reason)
{
        const unsigned char *h = (const unsigned char *) head;
        bool qcow2 = len >= 4 && memcmp(h, "QFI\xfb", 4) == 0;
        bool qed = len >= 4 && memcmp(h, "QED\0", 4) == 0;
        bool vmdk = (len >= 4 && memcmp(h, "KDMV", 4) == 0) ||
                    (len >= 21 && memcmp(h, "# Disk DescriptorFile", 21) == 0);

        if (format) {
                /* The stated format wins; a header that does not match it
                 * is an error, not something to probe around. */
                if (streq(format, "qcow2") || streq(format, "qcow")) {
                        if (!qcow2) {
                                *ret_reason = "format qcow2 stated but the image has no qcow2 magic";
                                return -EBADMSG;
                        }
                } else if (streq(format, "qed")) {
                        if (!qed) {
                                *ret_reason = "format qed stated but the image has no qed magic";
                                return -EBADMSG;
                        }
                } else if (streq(format, "vmdk")) {
                        if (!vmdk) {
                                *ret_reason = "format vmdk stated but the image has no vmdk header";
                                return -EBADMSG;
                        }
                } else {
                        *ret_backing = NULL;
                        *ret_backing_format = NULL;
                        return 0;
                }
        }
        if (qcow2)
                return qcow2_backing(h, len, ret_backing, ret_backing_format, ret_reason);
        if (qed)
                return qed_backing(h, len, ret_backing, ret_backing_format, ret_reason);
        if (vmdk)
                return vmdk_backing(h, len, ret_backing, ret_backing_format, ret_reason);
        *ret_backing = NULL;
        *ret_backing_format = NULL;
        return 0;
}

int
profile_backing_chain_walk(const ProfileHost *h, const char *elem, const char *image, const char *format,
                           const ProfileBackingOps *ops, char **ret_error)
{
        _cleanup_strv_free_ char **seen = NULL;
        _cleanup_free_ char *cur = strdup(image), *fmt = format ? strdup(format) : NULL;
        int r;

#define REFUSE(err, ...)                                                  \
        do {                                                              \
                *ret_error = xasprintf(__VA_ARGS__);                      \
                return *ret_error ? (err) : -ENOMEM;                      \
        } while (0)

        if (!cur || (format && !fmt))
                return -ENOMEM;
        if (!h || !h->read_head)
                return 0;
        /* A raw image has no header naming another file: nothing to open
         * (and a block device is never opened to find out). */
        if (fmt && (streq(fmt, "raw") || streq(fmt, "host_device")))
                return 0;
        for (unsigned depth = 0;; depth++) {
                _cleanup_free_ char *head = NULL, *backing = NULL, *bfmt = NULL, *full = NULL, *real = NULL,
                                    *qcur = NULL, *qb = NULL, *belem = NULL;
                size_t len;
                const char *why;

                qcur = profile_escape_for_message(cur);
                if (!qcur)
                        return -ENOMEM;
                if (strv_contains(seen, cur))
                        REFUSE(-ELOOP, "%s: backing chain loops at \"%s\"", elem, qcur);
                r = strv_extend(&seen, cur);
                if (r < 0)
                        return r;
                r = h->read_head(h->userdata, cur, PROFILE_IMAGE_HEAD_MAX, &head, &len);
                if (r == -ENOENT || r == -EISDIR || r == -EBADFD)
                        /* Not there yet, a directory or a device: no header
                         * to read (libvirt does not probe block devices
                         * either). */
                        return 0;
                if (r < 0)
                        REFUSE(r, "%s: cannot read the header of \"%s\": %s", elem, qcur, strerror(-r));
                r = profile_image_backing(head, len, fmt, &backing, &bfmt, &why);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        REFUSE(-EINVAL, "%s: image \"%s\": %s", elem, qcur, why);
                if (!backing)
                        return 0;
                qb = profile_escape_for_message(backing);
                if (!qb)
                        return -ENOMEM;
                if (depth + 1 >= PROFILE_BACKING_DEPTH_MAX)
                        REFUSE(-ELOOP, "%s: backing chain deeper than %u images at \"%s\"", elem,
                               PROFILE_BACKING_DEPTH_MAX, qcur);
                if (startswith(backing, "json:"))
                        REFUSE(-EOPNOTSUPP, "%s: image \"%s\" names a json: backing file \"%s\"", elem, qcur, qb);
                if (strstr(backing, "://"))
                        return 0; /* a network image: nothing on the host */
                if (backing[0] == '/')
                        full = strdup(backing);
                else {
                        /* relative to the directory of the image naming it */
                        const char *slash = strrchr(cur, '/');
                        full = xasprintf("%.*s/%s", slash ? (int) (slash - cur) : 0, cur, backing);
                }
                belem = xasprintf("%s backing file \"%s\" (from the header of \"%s\")", elem, qb, qcur);
                if (!full || !belem)
                        return -ENOMEM;
                r = ops->add(ops->userdata, belem, full, &real);
                if (r < 0)
                        return r;
                if (!ops->in_disk_dirs(ops->userdata, real)) {
                        _cleanup_free_ char *qreal = profile_escape_for_message(real);
                        REFUSE(-EPERM, "%s: \"%s\" lies outside the directories of the VM's own disks", belem,
                               qreal ? qreal : "?");
                }
                free(cur);
                cur = TAKE_PTR(real);
                free(fmt);
                fmt = TAKE_PTR(bfmt);
                if (fmt && (streq(fmt, "raw") || streq(fmt, "host_device")))
                        return 0;
        }
#undef REFUSE
}
