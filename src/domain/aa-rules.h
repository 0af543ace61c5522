/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The AppArmor policy engine: one parser of profile text (the loaded
 * per-VM profiles the probes read, and the profile kvmaudit's generator
 * writes), brace expansion and a glob "covers" test, and the rules
 * virt-aa-helper writes for libvirt's own bookkeeping.  Pure: strings in,
 * rule lists and verdicts out; used by the apparmor probe and
 * lsm.apparmor-profile-minimal.  Here rather than in src/profile/ because
 * the probes layer must not link the generators, and here rather than in
 * src/basic/ because it is knowledge of libvirt's VMs, not libc mechanism.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* Bounds of a profile source. */
#define AA_RULES_LINE_MAX 8192U
#define AA_RULES_MAX      8192U
/* Longest rule path parsed or compared (PATH_MAX). */
#define AA_RULES_PATH_MAX 4096U
/* Alternatives one {a,b} expression may expand to. */
#define AA_RULES_BRACE_ALTS_MAX 64U

/*
 * Appends the rules of the AppArmor profile text @text to *rules (strv),
 * normalized: file rules as "PATH PERMS" (quotes removed, backslash
 * escapes kept, "-> TARGET" and the audit/owner/allow qualifiers dropped),
 * includes as "include <X>" (the one equal to @skip_include, e.g.
 * "<libvirt/libvirt-UUID.files>", left out), other rules (capability,
 * network, ...) as written with whitespace collapsed.  Comments, deny
 * rules, and the one "profile NAME ... {" block are skipped; bytes outside
 * printable ASCII become '?'.  Returns 0, -EBADMSG or -E2BIG with
 * *ret_error = "ORIGIN:LINE: what" (caller frees), or -ENOMEM.
 */
int aa_rules_parse(const char *text, const char *origin, const char *skip_include, char ***rules,
                   char **ret_error);

/* The {a,b} alternatives of @expr expanded and appended to *list (escapes
 * kept, nested braces too).  -E2BIG past AA_RULES_BRACE_ALTS_MAX. */
int aa_expand_braces(const char *expr, char ***list);

/*
 * Whether the pattern @pattern covers every path the expression @expr
 * matches (both AppArmor globs: * within a component, ** across, ?, [...]
 * classes, {a,b}, backslash escapes).  Conservative: a wildcard of @expr
 * is covered only by a pattern wildcard at least as wide.  -E2BIG for an
 * expression longer than AA_RULES_PATH_MAX or with too many alternatives.
 */
int aa_glob_covers(const char *pattern, const char *expr, bool *ret);

/* A file rule (path expression and perms), or any other rule or include
 * as text (perms NULL). */
typedef struct AaRule {
        char *path;
        char *perms;
} AaRule;

typedef struct AaRules {
        AaRule *v;
        size_t n;
} AaRules;

void aa_rules_done(AaRules *rs);
int aa_rules_add(AaRules *rs, const char *path, size_t path_len, const char *perms);
/* An item of aa_rules_parse(): "PATH PERMS" for a file rule (the path
 * begins with '/' or '@'), anything else as text. */
int aa_rules_add_item(AaRules *rs, const char *item);

/* @s (at most @max bytes of it) with AppArmor's special characters
 * escaped, for a path literal.  Caller frees; NULL on OOM. */
char *aa_escape(const char *s, size_t max);

/*
 * The rules virt-aa-helper itself writes at the top of every .files for
 * libvirt's own bookkeeping (the domain log, monitor socket, runtime
 * directory, pid file, tunnelled migration), in the forms of libvirt 5 to
 * 10 (src/security/virt-aa-helper.c), for the domain @name with id @id
 * (-1: not running, any id of 1 to 7 digits).  kvmaudit's profile leaves
 * them to the abstraction; a comparison expects them exactly.
 */
int aa_rules_add_libvirt_own(AaRules *rs, const char *name, long id);

/* Whether a rule path is one of a host device's (VFIO, sysfs, USB, SCSI
 * generic, vhost-scsi): the generator needs sysfs listings to write them. */
bool aa_rule_path_is_hostdev(const char *path);

/* The permissions of @l that no rule of @gen covering its path grants
 * ("a" is covered by "w"), into @missing (@size bytes); "" when all are. */
int aa_rule_missing_perms(const AaRules *gen, const AaRule *l, char *missing, size_t size);
