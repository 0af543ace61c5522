/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "facts.h"

/*
 * Which concrete keys a declared pattern ("stat:*", "label:*",
 * "process:*" "/domain") stands for on the host of a store: what "kvmaudit
 * collect" saves for it.  Each namespace answers from facts the store
 * already holds or loads (never by listing host directories itself):
 *
 *   namespaces that load whole   every key the probe recorded
 *                                (fact_store_expand())
 *   stat                         dev:nodes; the files of every domain and
 *                                the directories above them; the devices
 *                                cmdline:root and cmdline:resume name
 *   label, filecon, realdev      the files of every domain
 *   blockdev                     the devices realdev: gives for the disks
 *                                of every domain, and mount:devices
 *   aaprofile                    libvirt-UUID of every domain
 *   process (derived fields)     every derived field of every QEMU PID
 *
 * A namespace not in this list that fills one key at a time cannot say
 * which keys exist: -EOPNOTSUPP, and the caller names the pattern.
 * ("realpath" and "imagehead" are the AppArmor generator's questions:
 * src/scan/scan-collect.c asks the generator.)
 */
typedef struct ProbeExpand ProbeExpand;

int probe_expand_new(FactStore *s, ProbeExpand **ret);
ProbeExpand *probe_expand_free(ProbeExpand *x);
DEFINE_CLEANUP_FUNC(ProbeExpand *, probe_expand_free)

/* The keys @pattern ("ns:glob", fnmatch(3) without flags) stands for,
 * sorted, without derived keys of a namespace that derives none of its
 * objects' fields.  Caller frees.  -EOPNOTSUPP (see above), -ENOMEM. */
int probe_expand(ProbeExpand *x, const char *pattern, char ***ret);

/* Every file a domain definition names (disks and their recorded backing
 * files, firmware, NVRAM, kernel, initrd, character device files and
 * logs, the files domain_files_add() keeps, an emulated TPM's state),
 * absolute paths only, sorted and unique, for every domain of
 * libvirt:domains that parses.  Owned by @x. */
int probe_expand_domain_paths(ProbeExpand *x, char *const **ret);
