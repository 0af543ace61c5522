/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Backing file names from the headers of qcow2, qed and vmdk images.  Pure:
 * the caller reads the first PROFILE_IMAGE_HEAD_MAX bytes.  The name
 * returned is guest-controlled data (whoever wrote the image chose it).
 */

#include <stdbool.h>
#include <stddef.h>

/*
 * @format: the format the XML or the parent header states ("qcow2", "raw",
 * ...), or NULL to detect it from the magic.  Returns 0 with *ret_backing
 * (NULL when the image has no backing file) and *ret_backing_format (NULL
 * when the header does not say); caller frees both.  -EBADMSG with
 * *ret_reason (static text) for a header that is truncated or inconsistent,
 * or a name longer than PROFILE_BACKING_NAME_MAX or holding a NUL byte.
 * A format other than qcow2, qed and vmdk has no backing file.
 */
int profile_image_backing(const char *head, size_t len, const char *format, char **ret_backing,
                          char **ret_backing_format, const char **ret_reason);

typedef struct ProfileHost ProfileHost;

/*
 * Called for each backing file of a chain: @elem names it for messages
 * ("disk vda backing file \"b.qcow2\" (from the header of ...)"), @path is
 * the name from the header made absolute.  Grants the file and returns its
 * real path in *ret_real, or a negative errno after recording its own
 * message.  @in_disk_dirs tells whether a real path lies in a directory of
 * the VM's own disks (backing names are guest data: nowhere else).
 */
typedef struct ProfileBackingOps {
        void *userdata;
        int (*add)(void *userdata, const char *elem, const char *path, char **ret_real);
        bool (*in_disk_dirs)(void *userdata, const char *real);
} ProfileBackingOps;

/*
 * Walks the backing chain of @image (format @format, NULL to detect) through
 * @host's read_head, at most PROFILE_BACKING_DEPTH_MAX images, refusing
 * loops, json: names and files outside the VM's disk directories; stops at
 * a network image, a raw one or an image that cannot be read (not there
 * yet, a directory, a device).  Returns 0, a negative errno from @ops->add
 * (message already recorded), or a negative errno with *ret_error set
 * (caller frees).
 */
int profile_backing_chain_walk(const ProfileHost *host, const char *elem, const char *image, const char *format,
                               const ProfileBackingOps *ops, char **ret_error);
