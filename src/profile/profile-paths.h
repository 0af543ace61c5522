/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Path validation shared by the profile generators (AppArmor now, SELinux
 * later).  Pure: strings in, verdicts out; nothing here touches the host.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* Longest path a generator accepts (PATH_MAX of Linux). */
#define PROFILE_PATH_MAX 4096U
/* Entries of a deny table. */
#define PROFILE_DENY_ENTRIES_MAX 1024U

typedef enum ProfileDenyKind {
        PROFILE_DENY_ANY,   /* no access at all */
        PROFILE_DENY_WRITE, /* read only */
        PROFILE_DENY_TREE,  /* no recursive grant may cover it */
        _PROFILE_DENY_KIND_MAX,
        _PROFILE_DENY_KIND_INVALID = -EINVAL,
} ProfileDenyKind;

typedef struct ProfileDenyEntry {
        ProfileDenyKind kind;
        char *path;   /* absolute, canonical, no trailing '/' */
        char *reason;
} ProfileDenyEntry;

typedef struct ProfileDenyTable {
        ProfileDenyEntry *entries;
        size_t n_entries;
} ProfileDenyTable;

/*
 * Parses a deny table (profiles/apparmor/deny-paths): "KIND PATH REASON"
 * lines, '#' comments.  -EBADMSG with *ret_error = "ORIGIN:LINE: what"
 * (caller frees) on a bad line.  Free with profile_deny_table_done().
 */
int profile_deny_table_parse(const char *text, const char *origin, ProfileDenyTable *ret, char **ret_error);
void profile_deny_table_done(ProfileDenyTable *t);

/*
 * Lexical checks of a path taken from a domain or an image header.  Returns
 * 0 and *ret (caller frees): the path with repeated and trailing slashes
 * removed.  Otherwise -EINVAL and *ret_reason (static text): not absolute,
 * empty, longer than PROFILE_PATH_MAX, a control character (newline, tab,
 * NUL cannot occur in a C string), a "." or ".." component.
 */
int profile_path_normalize(const char *path, char **ret, const char **ret_reason);

/* @path is @dir or lies under it (component-wise: /etc2 is not under /etc). */
bool profile_path_under(const char *path, const char *dir);

/* Any of the characters AppArmor gives a meaning in a path: * ? [ ] { } ^
 * " \ and '@' (variables), ',' (end of a rule) and whitespace. */
bool profile_path_has_special(const char *path);

/*
 * The entry of @t that refuses a grant of @path: write (w, a, l or k) or
 * read only, for the path alone or, with @recursive, everything under it.
 * NULL when the grant is allowed.
 */
const ProfileDenyEntry *profile_deny_table_match(const ProfileDenyTable *t, const char *path, bool write,
                                                 bool recursive);

/* Whether @dev (a block device such as /dev/sda) is @host_dev or the whole
 * disk @host_dev is a partition of ("/dev/sda" for "/dev/sda2",
 * "/dev/nvme0n1" for "/dev/nvme0n1p2"), or a partition of it. */
bool profile_path_same_disk(const char *dev, const char *host_dev);

typedef struct ProfileHost ProfileHost;

/*
 * The real path of @path through @host (every symlink resolved) or, when
 * it does not exist yet (a log file, a socket), its parent resolved plus
 * the last name; @path itself when there is no host, or when neither
 * exists.  What the host answered is checked like the XML.  Returns 0 and
 * *ret (caller frees); -EINVAL with *ret_why (static text) when the real
 * path is not acceptable; another negative errno when resolving failed.
 */
int profile_path_resolve(const ProfileHost *host, const char *path, char **ret, const char **ret_why);

/* @s with control characters, quotes and backslashes written as C escapes
 * (\n, \", \x01), for messages.  Caller frees; NULL on OOM. */
char *profile_escape_for_message(const char *s);
