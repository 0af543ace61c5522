/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The SELinux state of the live host read through libselinux, as the
 * system's own tools read it: it finds selinuxfs wherever it is mounted
 * (is_selinux_enabled(), security_getenforce()) and knows the loaded
 * policy's file contexts (selabel_lookup(): the context restorecon would
 * give a path, with file_contexts.local and the substitutions).  Under
 * --root, and in a build without libselinux, every function here returns
 * -EOPNOTSUPP and the probes read the files themselves.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "host.h"
#include "host-private.h"
#include "util.h"

#if HAVE_SELINUX
#include <selinux/label.h>
#include <selinux/selinux.h>
#endif

int
host_selinux_getenforce(const Host *h, int *ret)
{
        assert(h && ret);
        if (!host_is_live(h))
                return -EOPNOTSUPP;
#if HAVE_SELINUX
        int r;

        /* 0: SELinux is disabled or selinuxfs is not mounted: the file
         * readers then say which (they name the missing file). */
        if (is_selinux_enabled() <= 0)
                return -EOPNOTSUPP;
        r = security_getenforce();
        if (r < 0)
                return errno > 0 ? -errno : -EIO;
        *ret = r;
        return 0;
#else
        return -EOPNOTSUPP;
#endif
}

int
host_selinux_file_context(const Host *h, const char *path, mode_t mode, char **ret)
{
        assert(h && path && ret);
        if (!host_is_live(h))
                return -EOPNOTSUPP;
#if HAVE_SELINUX
        /* One handle per Host: the file contexts are loaded once, and a
         * scan asks for a few dozen paths. */
        Host *mh = (Host *) h;
        char *con = NULL;

        if (!mh->selabel && !mh->selabel_error) {
                mh->selabel = selabel_open(SELABEL_CTX_FILE, NULL, 0);
                if (!mh->selabel)
                        mh->selabel_error = errno > 0 ? -errno : -EIO;
        }
        if (!mh->selabel)
                return mh->selabel_error == -ENOENT ? -EOPNOTSUPP : mh->selabel_error;
        if (selabel_lookup_raw(mh->selabel, &con, path, (int) (mode & S_IFMT)) < 0)
                return errno == ENOENT ? -ENODATA : (errno > 0 ? -errno : -EIO);
        *ret = strdup(con);
        freecon(con);
        return *ret ? 0 : -ENOMEM;
#else
        (void) mode;
        return -EOPNOTSUPP;
#endif
}

void
host_lsm_done(Host *h)
{
#if HAVE_SELINUX
        if (h->selabel)
                selabel_close(h->selabel);
#endif
        h->selabel = NULL;
}
