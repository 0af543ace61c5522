/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * MAC profile generators: a parsed Domain in, one complete policy text out.
 *
 * Pure: the generators never open a file and never talk to libvirt.  What
 * they need from the host (symlink targets, image headers for backing
 * chains, IOMMU groups and USB/SCSI device numbers from sysfs) comes through
 * ProfileHost, which the CLI implements on src/host/ (and tests on a fixture
 * tree).  Every answer from it is untrusted: it is validated like the XML.
 */

#include <stdbool.h>
#include <stddef.h>

#include "aa-rules.h"
#include "domain.h"

/* Bounds on what an image header or the host controls. */
#define PROFILE_BACKING_DEPTH_MAX 16U       /* images in one backing chain */
#define PROFILE_IMAGE_HEAD_MAX    (64U * 1024U) /* bytes of a header read */
#define PROFILE_BACKING_NAME_MAX  1023U     /* QEMU's own limit */
#define PROFILE_RULES_MAX         65536U    /* rules in one profile */
#define PROFILE_QEMU_ARGS_MAX     1024U     /* <qemu:arg> elements looked at */

typedef struct ProfileHost {
        void *userdata;
        /* Real path of @path (every symlink resolved), absolute from the
         * audited root.  -ENOENT when it (or a parent) does not exist. */
        int (*resolve)(void *userdata, const char *path, char **ret);
        /* The first bytes (at most @max) of a regular file. */
        int (*read_head)(void *userdata, const char *path, size_t max, char **ret, size_t *ret_len);
        /* Sorted entries of a directory. */
        int (*list_dir)(void *userdata, const char *path, char ***ret);
} ProfileHost;

typedef struct ProfileInput {
        const Domain *domain;
        /* NULL: no host access; paths are taken as written, backing chains
         * are what the XML records, hostdevs needing sysfs are refused. */
        const ProfileHost *host;
        const char *template_text; /* profiles/apparmor/TEMPLATE.qemu */
        const char *deny_text;     /* profiles/apparmor/deny-paths */
        /* Block devices the host itself runs from (/, /boot, /usr, ...):
         * never granted, nor the disks they are partitions of. */
        char *const *host_disks;
        /* Writable disks, NVRAM and shares of the host's other VMs: never
         * granted. */
        char *const *other_vm_paths;
        /* Every other path the other VMs use (read-only disks, backing
         * files, kernels): read-only at most. */
        char *const *other_vm_shared_paths;
        /* Names of the other defined domains; @others_known false when
         * the host's domain list could not be read (then a name libvirt
         * shortens is refused: its runtime names cannot be proved its own). */
        char *const *other_vm_names;
        bool others_known;
} ProfileInput;

/*
 * The AppArmor profile "libvirt-UUID" for in->domain: the base template
 * with the VM's rules inline, sorted and without duplicates, so the same
 * input gives the same bytes.
 *
 * Returns 0 and *ret_profile (caller frees), or a negative errno and
 * *ret_error (caller frees) naming the element and the value refused:
 *   -EPERM      a path the deny table or the other VMs' paths forbid
 *   -EINVAL     an input that cannot be written safely (a relative or
 *               traversing path, a control character, an unknown
 *               qemu:commandline argument, a bad backing file name)
 *   -ENOENT     a host device that the generator must look up is missing
 *   -ELOOP      a backing chain that loops or is deeper than allowed
 *   -EOPNOTSUPP a device the generator cannot express
 *   -EBADMSG    the template or deny table is malformed
 *   -ENOMEM
 * Never a partial profile: on failure *ret_profile is untouched.
 */
int profile_apparmor_generate(const ProfileInput *in, char **ret_profile, char **ret_error);

/*
 * The grants of the same profile as a rule list, without rendering it:
 * the template's includes and every rule of the VM with its permissions
 * merged, paths unquoted as aa_rules_parse() unquotes a loaded profile
 * (escapes kept; other bytes as they are); deny rules left out.
 * What lsm.apparmor-profile-minimal compares a loaded profile with.
 * Returns 0 and *ret (free with aa_rules_done()), or the errors of
 * profile_apparmor_generate() with *ret_error.
 */
int profile_apparmor_rules(const ProfileInput *in, AaRules *ret, char **ret_error);

/* Embedded data files of profiles/ ("apparmor/TEMPLATE.qemu",
 * "apparmor/deny-paths"); NULL for an unknown name. */
const char *profile_data_get(const char *name);
