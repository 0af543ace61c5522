/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The names libvirt derives from a domain's <name> for its runtime files:
 * the one short-name rule of checks, generators and CLI.  Pure.
 */

#include <stdbool.h>

/* libvirt's virDomainDefGetShortName() (src/conf/domain_conf.c, libvirt
 * 9.0): runtime paths hold "ID-SHORT" with SHORT the name cut at 20
 * characters (VIR_DOMAIN_SHORT_NAME_MAX); for an ASCII name, 20 bytes. */
#define DOMAIN_SHORT_NAME_MAX 20U
/* Digits of a domain id in a runtime name (libvirt ids are int, and a
 * host does not start ten million domains between reboots). */
#define DOMAIN_ID_DIGITS_MAX 7U

/*
 * libvirt's short name of @name: the name, or its first
 * DOMAIN_SHORT_NAME_MAX bytes.  -EINVAL with *ret_reason (static) for a
 * name longer than that with a non-ASCII byte (libvirt cuts characters
 * there, by the daemon's locale: the runtime names cannot be known).
 * Caller frees.
 */
int domain_short_name(const char *name, char **ret, const char **ret_reason);

/*
 * Whether the runtime names of @name (its short name) can be told from
 * those of every other defined domain: 0, or -EEXIST with *ret_other (an
 * entry of @other_names) when another domain has the same short name, or
 * -ENOKEY when @name is cut and the other domains are not known
 * (@others_known false), so that no name can be proved unique.
 */
int domain_short_name_unique(const char *name, char *const *other_names, bool others_known,
                             const char **ret_other);
