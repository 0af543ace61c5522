/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/*
 * Parser for libvirt's configuration syntax (qemu.conf, libvirtd.conf,
 * virtqemud.conf, ...), following src/util/virconf.c:
 *   name = value          value: "string", 'string', """multi-line""",
 *                         integer (optional sign), or [ list, of, values ]
 *   # comments to the end of a line, statements end at a newline or ';',
 *   lists may span lines and hold comments.
 * Pure: no host access, unit-tested.
 */

typedef enum LibvirtConfType {
        LIBVIRT_CONF_STRING,
        LIBVIRT_CONF_LONG,
        LIBVIRT_CONF_LIST,
} LibvirtConfType;

typedef struct LibvirtConfEntry {
        char *name;
        LibvirtConfType type;
        char *value;      /* string, or the integer as decimal text */
        char **list;      /* LIST: the elements (strings or integers as text) */
        unsigned line;    /* where the entry starts */
} LibvirtConfEntry;

void libvirt_conf_entries_free(LibvirtConfEntry *e, size_t n);

/* Parses @text.  On a syntax error returns -EBADMSG and sets *ret_line and
 * *ret_error (a static message).  The last assignment of a name wins, as
 * in libvirt; all are returned in order. */
int libvirt_conf_parse(const char *text, LibvirtConfEntry **ret, size_t *ret_n, unsigned *ret_line,
                       const char **ret_error);
