/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Backing file names from the headers of qcow2, qed and vmdk images.  Pure:
 * the caller reads the first PROFILE_IMAGE_HEAD_MAX bytes.  The name
 * returned is guest-controlled data (whoever wrote the image chose it).
 */

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
