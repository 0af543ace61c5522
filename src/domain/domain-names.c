/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain-names.h"
#include "strv.h"
#include "util.h"

int
domain_short_name(const char *name, char **ret, const char **ret_reason)
{
        size_t n = strlen(name);
        char *s;

        /* libvirt cuts with mbstowcs() only when the name has multibyte
         * characters in the daemon's locale; bytes otherwise. */
        if (n > DOMAIN_SHORT_NAME_MAX)
                for (const unsigned char *c = (const unsigned char *) name; *c; c++)
                        if (*c >= 0x80) {
                                *ret_reason = "a name longer than 20 bytes with non-ASCII characters: libvirt "
                                              "shortens it by characters of the daemon's locale, so its "
                                              "runtime file names cannot be known";
                                return -EINVAL;
                        }
        s = strndup(name, DOMAIN_SHORT_NAME_MAX);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int
domain_short_name_unique(const char *name, char *const *other_names, bool others_known, const char **ret_other)
{
        if (strlen(name) <= DOMAIN_SHORT_NAME_MAX)
                return 0; /* the whole name: libvirt keeps names unique */
        if (!others_known)
                return -ENOKEY;
        STRV_FOREACH(o, other_names)
                if (!streq(*o, name) && strlen(*o) >= DOMAIN_SHORT_NAME_MAX &&
                    strneq(*o, name, DOMAIN_SHORT_NAME_MAX)) {
                        *ret_other = *o;
                        return -EEXIST;
                }
        return 0;
}
