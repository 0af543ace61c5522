/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Path validation shared by the profile generators (AppArmor now, SELinux
 * later).  Pure: strings in, verdicts out; nothing here touches the host.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain-files.h"
#include "domain-names.h"

/* Entries of a deny table. */
#define PROFILE_DENY_ENTRIES_MAX 1024U

/* The VM a policy is generated for, as its runtime file names show it. */
typedef struct ProfileVmId {
        const char *name; /* <name> */
        const char *uuid; /* lower case, 8-4-4-4-12 */
} ProfileVmId;

typedef enum ProfileDenyKind {
        PROFILE_DENY_ANY,   /* no access at all */
        PROFILE_DENY_WRITE, /* read only */
        PROFILE_DENY_TREE,  /* no recursive grant may cover it */
        PROFILE_DENY_VMSTATE, /* per-VM state of every VM: only this VM's own
                               * entries, never the directory or a tree */
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

/* Any of the characters AppArmor gives a meaning in a path: * ? [ ] { } ^
 * " \ and '@' (variables), ',' (end of a rule) and whitespace. */
bool profile_path_has_special(const char *path);

/*
 * The entry of @t that refuses a grant of @path: write (w, a, l or k) or
 * read only, for the path alone or, with @recursive, everything under it.
 * NULL when the grant is allowed.
 *
 * A recursive grant that covers any entry is refused.  Otherwise the
 * longest entry containing @path decides (the parser allows only "any" and
 * "vmstate" entries under an "any" entry, so a longer entry never weakens
 * an "any"): under a "vmstate" directory only the entries of @self are
 * granted (profile_vmstate_owned()); with @self NULL, none.
 */
const ProfileDenyEntry *profile_deny_table_check(const ProfileDenyTable *t, const char *path, bool write,
                                                 bool recursive, const ProfileVmId *self);
/* profile_deny_table_check() for no VM: every per-VM state path refused. */
const ProfileDenyEntry *profile_deny_table_match(const ProfileDenyTable *t, const char *path, bool write,
                                                 bool recursive);

/*
 * Whether @path, which lies under the per-VM state directory @dir, is one
 * of @self's own runtime entries or under one: a component that is
 * "domain-ID-SHORT" (the domain's directory, its channel directory),
 * "ID-SHORT-swtpm.sock|.pid", "NAME_VARS.fd", "NAME_VARS.ms.fd",
 * "NAME-swtpm.log" or the UUID (swtpm state), where ID is 1 to
 * DOMAIN_ID_DIGITS_MAX digits and SHORT is the short name.  Names
 * are compared exactly: "web" owns nothing of "web-2".
 */
bool profile_vmstate_owned(const char *path, const char *dir, const ProfileVmId *self);

/*
 * Whether @path is an entry directly inside one of the runtime
 * directories libvirt makes for @self at every start,
 * /var/lib/libvirt/qemu/domain-ID-SHORT and
 * /var/lib/libvirt/qemu/channel/target/domain-ID-SHORT (any ID): the
 * generators grant those by pattern, so a running domain's XML, which names
 * them with the id of one run, gives the same policy as its definition.
 */
bool profile_runtime_covered(const char *path, const ProfileVmId *self);

/*
 * The file a <shmem> device opens, as libvirt 9.0 sets it up
 * (virt-aa-helper.c, qemu_command.c): the <server path> of an
 * ivshmem-doorbell device, or /var/lib/libvirt/shmem-NAME-sock when it has
 * none (a socket: *ret_socket true); /dev/shm/NAME for the other models.
 * -EINVAL with *ret_reason (static) for a name that is not one file name.
 * Both generators call this, so they grant the same file.
 */
int profile_shmem_target(const char *name, const char *model, const char *server_path, char **ret,
                         bool *ret_socket, const char **ret_reason);



/* Whether @dev (a block device such as /dev/sda) is @host_dev or the whole
 * disk @host_dev is a partition of ("/dev/sda" for "/dev/sda2",
 * "/dev/nvme0n1" for "/dev/nvme0n1p2"), or a partition of it. */
bool profile_path_same_disk(const char *dev, const char *host_dev);

typedef struct ProfileHost ProfileHost;

/*
 * Whether @source of a <disk type='file'> may be one: NULL, or the reason
 * it may not (static): a device node under /dev (its real path through
 * @host) handed to QEMU as an image file (/dev/ptmx, a tty, a watchdog) is
 * refused; a disk that is a device must say type='block' and pass the
 * block-device rules.  A path that cannot be normalized or resolved gives
 * NULL: the generator's own path checks report it.
 */
const char *profile_file_disk_refusal(const ProfileHost *host, const char *source);

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
