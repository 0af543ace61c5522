/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the libFuzzer harnesses: the input as a NUL-terminated copy. */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'ed copy of @data with a NUL appended (the parsers take C
 * strings; embedded NULs simply end the text early).  NULL on OOM. */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
        char *s = malloc(size + 1);

        if (!s)
                return NULL;
        memcpy(s, data, size);
        s[size] = '\0';
        return s;
}
