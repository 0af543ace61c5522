/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Parser for libvirt's configuration syntax (qemu.conf, libvirtd.conf,
 * virtqemud.conf, ...), accepting and refusing exactly what
 * src/util/virconf.c of libvirt 9.0 (Debian 12) does with flags 0:
 *   name = value     name: an ASCII letter, then letters, digits and '_'
 *                    value: "string", 'string', """multi-line""", an
 *                    integer (optional sign, decimal) or [ a, list, ]
 *   '#' starts a comment at the start of a statement or after a value
 *   (not inside a list); statements end at a newline (LF or CR) or ';'.
 * Differences, each towards an error rather than a guess: an integer that
 * does not fit 64 bits is refused (libvirt wraps it silently).
 * Pure: no host access, unit-tested (tests/unit/test-libvirt-conf.c; the
 * hostile table tests/hostile/conf.py compares with libvirt0 itself when
 * it is installed).
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
        bool nested;      /* LIST holding a list: libvirt parses it, but no
                           * setting accepts one (its getters refuse it) */
        unsigned line;    /* where the entry starts */
} LibvirtConfEntry;

void libvirt_conf_entries_free(LibvirtConfEntry *e, size_t n);

/* Parses @text.  On a syntax error returns -EBADMSG and sets *ret_line and
 * *ret_error (a static message, libvirt's wording).  Every assignment is
 * returned, in file order, repeated names included. */
int libvirt_conf_parse(const char *text, LibvirtConfEntry **ret, size_t *ret_n, unsigned *ret_line,
                       const char **ret_error);

/* The entry libvirt uses for @name: the FIRST assignment.  virConfGetValue()
 * walks the entry list from its head and returns the first match, so a
 * later repeat of a setting is ignored by libvirt.  NULL when unset. */
const LibvirtConfEntry *libvirt_conf_lookup(const LibvirtConfEntry *e, size_t n, const char *name);
