/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

typedef struct EmbeddedFile {
        const char *name;
        const char *text;
} EmbeddedFile;

/* checks/ *.check as shipped, embedded at build time. */
extern const EmbeddedFile embedded_catalog[];
extern const unsigned embedded_catalog_count;
