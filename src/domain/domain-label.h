/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Security labels of VMs: the one grammar of SELinux contexts and MCS
 * levels, and of AppArmor process labels, used by the checks, the SELinux
 * generator and the CLI.  Pure: strings in, parsed values out.
 *
 * The SELinux grammar is what the kernel accepts from a context string
 * (security/selinux/ss/mls.c, mls_context_to_sid(), Linux 6.1) with the
 * symbols of the reference policy's default build (build.conf: MLS_SENS 16,
 * MCS_CATS 1024), which is what libvirt 9.0 hands it: sVirt labels are
 * "s0:cX,cY" with X < Y (virSecuritySELinuxMCSFind() discards X == Y, a
 * subset of every other pair), static labels go through libselinux's
 * context_new() to the kernel unchanged.
 *
 *   range    = level [ "-" level ]       high must dominate low
 *   level    = sens [ ":" catset ]
 *   sens     = "s" number                 s0 .. s15
 *   catset   = item *( "," item )         no empty item: "c1," is refused
 *   item     = cat [ "." cat ]            low < high: "c3.c3" is refused
 *   cat      = "c" number                 c0 .. c1023
 *   number   = "0" | [1-9] [0-9]*         no leading zero: a policy
 *                                         defines "c1", never "c01"
 *
 * Categories may repeat or come in any order ("c5,c1,c5" is {c1, c5}):
 * the kernel sets bits in a bitmap.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sensitivities and categories of the reference policy (build.conf). */
#define DOMAIN_SELINUX_SENS 16U
#define DOMAIN_SELINUX_CATS 1024U
/* Longest SELinux type name kept (libvirt's VIR_SECURITY_LABEL_BUFLEN is
 * 4097 for the whole context; no policy type comes near this). */
#define DOMAIN_SELINUX_TYPE_MAX 256U
/* Longest label looked at (VIR_SECURITY_LABEL_BUFLEN - 1). */
#define DOMAIN_LABEL_MAX 4096U

typedef struct SelinuxLevel {
        unsigned sens;
        unsigned n_cats; /* categories in the set */
        uint8_t cats[DOMAIN_SELINUX_CATS / 8];
} SelinuxLevel;

/* A range "low-high"; a single level has high equal to low. */
typedef struct SelinuxRange {
        SelinuxLevel low, high;
        bool is_range; /* written with '-' */
} SelinuxRange;

/*
 * One category token "cN" at @s.  Returns 0 with *ret and *ret_end (the
 * first character after it); -ERANGE for N >= DOMAIN_SELINUX_CATS (no
 * overflow whatever the number of digits); -EINVAL for anything else,
 * "c01" included.
 */
int domain_label_category_parse(const char *s, const char **ret_end, unsigned *ret);

/*
 * A level or range as the grammar above writes it.  Returns 0 and *ret;
 * -ERANGE (a sensitivity or category the policy does not have) or -EINVAL
 * with *ret_reason (static text; @ret_reason may be NULL).
 */
int domain_label_range_parse(const char *s, SelinuxRange *ret, const char **ret_reason);

/*
 * Splits "user:role:type:range" (user, role and type non-empty, the type
 * shorter than DOMAIN_SELINUX_TYPE_MAX) into the type, copied to @type,
 * and a pointer to the range in @ctx.  The range is not checked (parse it
 * with domain_label_range_parse()).  false when @ctx is no context with a
 * range ("system_u:system_r:svirt_t" has none: MLS/MCS is off).
 */
bool domain_label_selinux_split(const char *ctx, char type[static DOMAIN_SELINUX_TYPE_MAX],
                                const char **ret_range);

/* Whether @range is one level "s0:cX,cY" of exactly two different
 * categories: the kind of pair libvirt's sVirt gives each VM. */
bool domain_label_is_vm_pair(const char *range);

/* Whether @a and @b are the same level (sensitivity and category set). */
bool domain_label_level_equal(const SelinuxLevel *a, const SelinuxLevel *b);

/* Categories in both sets; the lowest of them in *ret_first (untouched
 * when none). */
unsigned domain_label_level_shared(const SelinuxLevel *a, const SelinuxLevel *b, unsigned *ret_first);

/* Whether category @c is in @l (false for c >= DOMAIN_SELINUX_CATS). */
bool domain_label_level_has(const SelinuxLevel *l, unsigned c);

/* The canonical text of @r ("s0:c1,c2", "s0-s0:c0.c1023": categories in
 * order, runs of three or more written as "cN.cM", as the kernel writes a
 * context, mls_sid_to_context()), so that two ranges equal by value have
 * the same text.  Caller frees; NULL on OOM. */
char *domain_label_range_format(const SelinuxRange *r);

/*
 * An AppArmor process label "NAME (MODE)", or "NAME" alone ("unconfined").
 * Copies the name to @name (@size bytes) and points *ret_mode at the text
 * after '(' ("enforce)"), NULL when there is no mode.  false when the name
 * does not fit.
 */
bool domain_label_apparmor_split(const char *label, char *name, size_t size, const char **ret_mode);

/* Whether @label is written as AppArmor writes process labels:
 * "unconfined" or ending in ")" (SELinux contexts never do). */
bool domain_label_looks_apparmor(const char *label);
