/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What host.c and host-lsm.c share: the Host itself. */
#include <stdbool.h>

struct Host {
        int root_fd;
        char *root_path;
        bool live;
        int openat2_state;   /* 0 unknown, 1 works, -1 unavailable */
        void *selabel;       /* libselinux's file-context handle, opened on first use */
        int selabel_error;   /* why it could not be opened (negative errno), 0 until tried */
};

/* Frees what host-lsm.c holds in @h. */
void host_lsm_done(struct Host *h);
