/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* SHA-256 (FIPS 180-4) of @len bytes, as 64 lower-case hex digits and a
 * NUL.  For recording which waivers file a report was made with; not for
 * anything that needs a constant-time implementation. */
void sha256_hex(const void *data, size_t len, char ret[static 65]);
