/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Remediations that work on the distribution the audited host runs
 * (issue 14 item 9): a check may carry "remediation.debian" and
 * "remediation.rhel" next to its plain "remediation", and the scan shows the
 * one for the family named by the root's os-release (os:id, os:id_like). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "macro.h"
#include "util.h"

static const char *const distro_family_table[_DISTRO_MAX] = {
        [DISTRO_DEBIAN] = "debian",
        [DISTRO_RHEL] = "rhel",
};
_Static_assert(ELEMENTSOF(distro_family_table) == _DISTRO_MAX, "distro families");

/* os-release IDs of each family (os-release(5) ID and ID_LIKE values as
 * the distributions ship them: Ubuntu says ID_LIKE=debian, Rocky
 * "rhel centos fedora", Fedora has no ID_LIKE). */
static const struct {
        const char *id;
        DistroFamily family;
} distro_ids[] = {
        {"debian", DISTRO_DEBIAN}, {"ubuntu", DISTRO_DEBIAN}, {"rhel", DISTRO_RHEL},
        {"fedora", DISTRO_RHEL},   {"centos", DISTRO_RHEL},   {"rocky", DISTRO_RHEL},
        {"almalinux", DISTRO_RHEL},
};

const char *
distro_family_to_string(DistroFamily f)
{
        return f >= 0 && f < _DISTRO_MAX ? distro_family_table[f] : NULL;
}

DistroFamily
distro_family_from_key(const char *key)
{
        if (!startswith(key, "remediation."))
                return _DISTRO_INVALID;
        for (DistroFamily f = 0; f < _DISTRO_MAX; f++)
                if (streq(key + strlen("remediation."), distro_family_table[f]))
                        return f;
        return _DISTRO_INVALID;
}

static DistroFamily
family_of_word(const char *w, size_t n)
{
        for (size_t i = 0; i < ELEMENTSOF(distro_ids); i++)
                if (strlen(distro_ids[i].id) == n && strncmp(distro_ids[i].id, w, n) == 0)
                        return distro_ids[i].family;
        return _DISTRO_INVALID;
}

DistroFamily
distro_family_of(const char *id, const char *id_like)
{
        DistroFamily f;

        if (id) {
                f = family_of_word(id, strlen(id));
                if (f >= 0)
                        return f;
        }
        /* ID_LIKE is a space-separated list, closest relative first. */
        for (const char *p = id_like; p && *p;) {
                size_t n;

                p += strspn(p, " \t");
                n = strcspn(p, " \t");
                if (n == 0)
                        break;
                f = family_of_word(p, n);
                if (f >= 0)
                        return f;
                p += n;
        }
        return _DISTRO_INVALID;
}

const char *
check_remediation(const Check *c, DistroFamily f)
{
        if (f >= 0 && f < _DISTRO_MAX && c->remediation_for[f])
                return c->remediation_for[f];
        return c->remediation;
}

int
catalog_remediation_select(Catalog *cat, DistroFamily f)
{
        if (f < 0 || f >= _DISTRO_MAX)
                return 0;
        for (size_t i = 0; i < cat->n_checks; i++) {
                Check *c = &cat->checks[i];
                char *v;

                if (!c->remediation_for[f])
                        continue;
                v = strdup(c->remediation_for[f]);
                if (!v)
                        return -ENOMEM;
                free(c->remediation);
                c->remediation = v;
        }
        return 0;
}
