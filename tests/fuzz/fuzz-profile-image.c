/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* profile_image_backing(): qcow2/qed/vmdk headers (guest-controlled).
 * The first input byte picks the stated format; the rest is the head. */
#include "fuzz-common.h"
#include "profile-image.h"
#include "profile.h"

static const char *const formats[] = { NULL, "qcow2", "qed", "vmdk", "raw" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *backing = NULL, *fmt = NULL, *head;
        const char *reason = NULL;

        if (size < 1 || size - 1 > PROFILE_IMAGE_HEAD_MAX)
                return 0;
        /* an exact-size copy, so reads past the head trip ASan */
        head = malloc(size - 1 ? size - 1 : 1);
        if (!head)
                return 0;
        memcpy(head, data + 1, size - 1);
        if (profile_image_backing(head, size - 1, formats[data[0] % 5], &backing, &fmt, &reason) >= 0) {
                if (backing)
                        (void) strlen(backing);
                if (fmt)
                        (void) strlen(fmt);
        }
        free(backing);
        free(fmt);
        free(head);
        return 0;
}
