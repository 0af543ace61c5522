/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compliance control identifiers of the catalogue (docs/compliance/):
 * which frameworks exist, how their identifiers are spelled, and the
 * parser of a check's comma-separated list of them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strv.h"
#include "util.h"

/* The requirements of the vendored VMM SRG, sorted (vmm-srg.c, generated
 * from docs/compliance/vmm-srg-v2r2.tsv by tools/compliance.py). */
extern const char vmm_srg_release[];
extern const char *const vmm_srg_requirements[];
extern const size_t vmm_srg_requirements_count;

/* The catalogue key, the --framework name and the title of each. */
static const struct {
        const char *key;
        const char *name;
        const char *title;
} framework_table[_FRAMEWORK_MAX] = {
        [FRAMEWORK_NIST_800_53] = {"nist-800-53", "nist-800-53", "NIST SP 800-53 rev. 5"},
        [FRAMEWORK_VMM_SRG] = {"srg", "vmm-srg", "DISA Virtual Machine Manager SRG"},
        [FRAMEWORK_CCI] = {"cci", "cci", "DISA Control Correlation Identifiers"},
        [FRAMEWORK_CIS] = {"cis", "cis", "CIS benchmark of the host OS"},
};
_Static_assert(ELEMENTSOF(framework_table) == _FRAMEWORK_MAX, "framework_table out of sync");

/* The control families of SP 800-53 rev. 5 (section 2.2, table 1). */
static const char *const nist_families[] = {
        "AC", "AT", "AU", "CA", "CM", "CP", "IA", "IR", "MA", "MP",
        "PE", "PL", "PM", "PS", "PT", "RA", "SA", "SC", "SI", "SR",
};

const char *
framework_key(Framework f)
{
        return f >= 0 && f < _FRAMEWORK_MAX ? framework_table[f].key : NULL;
}

const char *
framework_to_string(Framework f)
{
        return f >= 0 && f < _FRAMEWORK_MAX ? framework_table[f].name : NULL;
}

const char *
framework_title(Framework f)
{
        return f >= 0 && f < _FRAMEWORK_MAX ? framework_table[f].title : NULL;
}

Framework
framework_from_key(const char *s)
{
        for (int i = 0; s && i < _FRAMEWORK_MAX; i++)
                if (streq(framework_table[i].key, s))
                        return (Framework) i;
        return _FRAMEWORK_INVALID;
}

Framework
framework_from_string(const char *s)
{
        for (int i = 0; s && i < _FRAMEWORK_MAX; i++)
                if (streq(framework_table[i].name, s))
                        return (Framework) i;
        return _FRAMEWORK_INVALID;
}

/* Exactly @n decimal digits at @p; the pointer after them, or NULL. */
static const char *
digits(const char *p, size_t n)
{
        for (size_t i = 0; i < n; i++, p++)
                if (!isdigit((unsigned char) *p))
                        return NULL;
        return p;
}

/* 1 to 2 decimal digits without a leading zero; NULL otherwise. */
static const char *
small_number(const char *p)
{
        if (*p < '1' || *p > '9')
                return NULL;
        p++;
        if (isdigit((unsigned char) *p))
                p++;
        return isdigit((unsigned char) *p) ? NULL : p;
}

/* "SC-39", "AC-6(9)": a rev. 5 family, a control number and at most one
 * enhancement, written without spaces as the rev. 5 catalogue does.  Parts
 * of a control ("CM-6 b") are not identifiers of a control. */
static bool
nist_id_valid(const char *s)
{
        const char *p = s + 2;
        bool family = false;

        for (size_t i = 0; i < ELEMENTSOF(nist_families); i++)
                if (strncmp(s, nist_families[i], 2) == 0)
                        family = true;
        if (!family || *p++ != '-')
                return false;
        p = small_number(p);
        if (!p)
                return false;
        if (*p == '\0')
                return true;
        if (*p++ != '(')
                return false;
        p = small_number(p);
        return p && p[0] == ')' && p[1] == '\0';
}

/* SRG-OS-000408-VMM-001680: the VMM SRG's requirement ids (the general
 * purpose OS SRG's GPOS ids are another framework, not accepted here). */
static bool
srg_id_valid(const char *s)
{
        const char *p;

        if (!startswith(s, "SRG-OS-"))
                return false;
        p = digits(s + strlen("SRG-OS-"), 6);
        if (!p || !startswith(p, "-VMM-"))
                return false;
        p = digits(p + strlen("-VMM-"), 6);
        return p && *p == '\0';
}

static bool
cci_id_valid(const char *s)
{
        const char *p;

        if (!startswith(s, "CCI-"))
                return false;
        p = digits(s + 4, 6);
        return p && *p == '\0';
}

/* A CIS recommendation number: "1.5.2". */
static bool
cis_id_valid(const char *s)
{
        const char *p = s;

        for (unsigned n = 0;; n++) {
                size_t len = strspn(p, "0123456789");

                if (len == 0 || len > 3 || n >= 6)
                        return false;
                p += len;
                if (*p == '\0')
                        return true;
                if (*p++ != '.')
                        return false;
        }
}

bool
control_id_valid(Framework f, const char *id)
{
        switch (f) {
        case FRAMEWORK_NIST_800_53:
                return nist_id_valid(id);
        case FRAMEWORK_VMM_SRG:
                return srg_id_valid(id);
        case FRAMEWORK_CCI:
                return cci_id_valid(id);
        case FRAMEWORK_CIS:
                return cis_id_valid(id);
        default:
                return false;
        }
}

static int
cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

bool
control_id_known(Framework f, const char *id)
{
        if (!control_id_valid(f, id))
                return false;
        if (f != FRAMEWORK_VMM_SRG)
                return true;
        return bsearch(&id, vmm_srg_requirements, vmm_srg_requirements_count, sizeof(char *), cmp_str) != NULL;
}

static const char *const id_examples[_FRAMEWORK_MAX] = {
        [FRAMEWORK_NIST_800_53] = "a rev. 5 control such as SC-39 or AC-6(9)",
        [FRAMEWORK_VMM_SRG] = "a VMM SRG requirement such as SRG-OS-000408-VMM-001680",
        [FRAMEWORK_CCI] = "CCI- and six digits, such as CCI-002530",
        [FRAMEWORK_CIS] = "a CIS recommendation number such as 1.5.2",
};

int
control_list_parse(Framework f, const char *value, char ***ret, char **ret_error)
{
        _cleanup_strv_free_ char **l = NULL;
        const char *p = value;
        size_t n = 0;

        for (;;) {
                size_t len = strcspn(p, ",");
                _cleanup_free_ char *item = strndup(p, len);

                if (!item)
                        return -ENOMEM;
                strstrip(item);
                if (item[0] == '\0') {
                        *ret_error = xasprintf("empty item in the %s list \"%s\"", framework_key(f), value);
                        return -EBADMSG;
                }
                if (!control_id_valid(f, item)) {
                        *ret_error = xasprintf("\"%s\" is not a %s identifier (expected %s)", item, framework_key(f),
                                               id_examples[f]);
                        return -EBADMSG;
                }
                if (!control_id_known(f, item)) {
                        *ret_error = xasprintf("\"%s\" is not a requirement of the VMM SRG %s "
                                               "(docs/compliance/vmm-srg-v2r2.tsv)", item, vmm_srg_release);
                        return -EBADMSG;
                }
                if (strv_contains(l, item)) {
                        *ret_error = xasprintf("\"%s\" is listed twice in \"%s\"", item, framework_key(f));
                        return -EBADMSG;
                }
                if (++n > CONTROLS_PER_CHECK_MAX) {
                        *ret_error = xasprintf("more than %u %s identifiers in one check", CONTROLS_PER_CHECK_MAX,
                                               framework_key(f));
                        return -EBADMSG;
                }
                if (strv_extend(&l, item) < 0)
                        return -ENOMEM;
                p += len;
                if (*p == '\0')
                        break;
                p++;
        }
        *ret = TAKE_PTR(l);
        return 0;
}
