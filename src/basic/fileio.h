/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/*
 * The tool's own inputs (catalogue directories, facts files, waivers),
 * named by the user on the command line.  Host files are read only
 * through src/host/.
 */

/* Reads a whole regular file of at most @max bytes; -EFBIG beyond,
 * -EBADMSG when it holds NUL bytes. */
int read_input_file(const char *path, size_t max, char **ret);

/* Sorted names in @dir that end with @suffix. */
int list_input_dir(const char *dir, const char *suffix, char ***ret);
