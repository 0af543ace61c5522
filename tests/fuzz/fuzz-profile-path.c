/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain_path_normalize() and the other lexical path helpers of
 * profile-paths.h.  Input: PATH [ '\n' OTHER ] (OTHER: a dir or host disk). */
#include "fuzz-common.h"
#include "profile-paths.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        char *other, *norm = NULL, *esc;
        const char *reason = NULL;

        if (!text)
                return 0;
        other = strchr(text, '\n');
        if (other)
                *other++ = '\0';
        else
                other = "/";

        if (domain_path_normalize(text, &norm, &reason) >= 0) {
                char *again = NULL;
                /* idempotent: a normalized path normalizes to itself */
                if (domain_path_normalize(norm, &again, &reason) < 0 || strcmp(again, norm) != 0)
                        abort();
                free(again);
                (void) domain_path_under(norm, other);
                (void) domain_path_under(other, norm);
                (void) profile_path_has_special(norm);
                free(norm);
        }
        (void) profile_path_same_disk(text, other);
        (void) profile_path_same_disk(other, text);
        esc = profile_escape_for_message(text);
        free(esc);
        free(text);
        return 0;
}
