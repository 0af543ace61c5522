/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

typedef struct EmbeddedFile {
        const char *name;
        const char *text;
} EmbeddedFile;

/* checks/ *.check as shipped, embedded at build time. */
extern const EmbeddedFile embedded_catalog[];
extern const unsigned embedded_catalog_count;

/* The shipped gates, gates/NAME.profile (named check selections of
 * "scan --profile NAME"), embedded by tools/embed-gates.py; names without
 * ".profile". */
extern const EmbeddedFile embedded_gates[];
extern const unsigned embedded_gates_count;
