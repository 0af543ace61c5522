/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The SELinux generator: a parsed Domain in, a reference-policy module out
 * (NAME.te, NAME.fc, the <seclabel> element and a README).  Pure, like the
 * AppArmor generator: the host is seen through ProfileHost only, and every
 * path goes through the same normalization and deny table
 * (profiles/apparmor/deny-paths).
 */

#include "domain-label.h"
#include "profile.h"

/* Longest VM name a module name is made from: the types add up to
 * "kvmaudit_" + name + "_content_t". */
#define PROFILE_SELINUX_NAME_MAX 48U
/* MCS categories of the reference policy (MCS_CATS of build.conf). */
#define PROFILE_SELINUX_CATS DOMAIN_SELINUX_CATS
/* Prefix of every module: no type of the reference policy starts with it,
 * so a VM named "svirt", "virtd" or "allow" cannot collide with one. */
#define PROFILE_SELINUX_PREFIX "kvmaudit_"

typedef struct ProfileSelinuxInput {
        const Domain *domain;
        const ProfileHost *host; /* NULL: paths taken as written */
        const char *deny_text;   /* profiles/apparmor/deny-paths */
        const char *template_text; /* profiles/selinux/TEMPLATE.te */
        const char *readme_text;   /* profiles/selinux/README.in */
        const char *system_read_text; /* profiles/selinux/system-read */
        const char *network_disks_text; /* profiles/selinux/network-disks */
        const char *mcs;         /* "cN,cM" from --mcs; NULL: from the UUID */
        char *const *host_disks; /* as in ProfileInput */
        /* Writable disks and NVRAM of the other VMs: refused. */
        char *const *other_vm_paths;
        /* Every other path of the other VMs (read-only disks, backing
         * files): never labelled, the VM reads them as virt_content_t. */
        char *const *other_vm_shared_paths;
        /* Names of the other defined domains (module name clashes), and
         * their static SELinux labels, index for index (MCS clashes);
         * NULL when the domain list is not known. */
        char *const *other_vm_names;
        char *const *other_vm_label_owners;
        char *const *other_vm_labels;
        /* false when the host's domain list could not be read */
        bool others_known;
} ProfileSelinuxInput;

typedef struct ProfileSelinuxOutput {
        char *module;   /* kvmaudit_NAME */
        char *te, *fc;  /* MODULE.te, MODULE.fc */
        char *seclabel; /* MODULE.seclabel.xml */
        char *readme;   /* README */
} ProfileSelinuxOutput;

/*
 * The module name of the VM called @vm_name: PROFILE_SELINUX_PREFIX and
 * the name with '-' and '.' written as '_'.  -EINVAL with *ret_reason
 * (static text) for a name no safe identifier can be made from: empty,
 * longer than PROFILE_SELINUX_NAME_MAX, a character other than ASCII
 * letters, digits, '_', '-', '.', no letter or digit, or ending in a
 * suffix the template gives types (_image, _tmp, ...: another VM's types).
 */
int profile_selinux_module_name(const char *vm_name, char **ret, const char **ret_reason);

/*
 * "cN,cM" with N < M from @mcs ("c5,c3" too); NULL @mcs: the pair derived
 * from @uuid (FNV-1a 64 of its 32 hex digits in lower case: N = hash mod
 * 1024, M = (hash >> 10) mod 1023, one more when >= N, ordered).
 * -EINVAL with *ret_reason (static) for anything else.
 */
int profile_selinux_mcs(const char *mcs, const char *uuid, char **ret, const char **ret_reason);

/*
 * The module for in->domain.  Returns 0 and *ret (free with
 * profile_selinux_output_done()), or a negative errno and *ret_error
 * (caller frees) naming the element and the value refused; the errors of
 * profile_apparmor_generate(), and -EEXIST for an MCS pair or module name
 * another domain already has.  Never a partial module.
 */
int profile_selinux_generate(const ProfileSelinuxInput *in, ProfileSelinuxOutput *ret, char **ret_error);

void profile_selinux_output_done(ProfileSelinuxOutput *o);
