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

/*
 * Files the tool writes (profile -o, profile selinux --output-dir, scan,
 * collect, report and diff -o).  One rule for all, by what is at @path:
 *   - nothing, or a regular file: the text goes to a temporary file in the
 *     same directory, fsync()ed and rename()d over @path on commit, so a
 *     reader sees the old file or the new one, never half; an existing
 *     file keeps its permission bits (and its owner where we may);
 *   - a character device or a FIFO (-o /dev/stdout on a terminal or a pipe,
 *     /dev/null, a named pipe): written through, opened O_WRONLY without
 *     O_CREAT or O_TRUNC, never replaced;
 *   - a socket: written through too, never replaced: our own standard
 *     output or error is duplicated, a named socket is connected to
 *     (-ECONNREFUSED when nobody listens);
 *   - a block device: refused (-EBADFD), a directory: -EISDIR;
 *   - a symbolic link: the rule applies to its target (the kernel's
 *     protected_symlinks applies), which is replaced in place so the link
 *     stays a link; a dangling link is refused (-ENOLINK) rather than
 *     creating whatever it names.
 * The type is read through an O_PATH descriptor first, so nothing is
 * open()ed before it is known.
 */
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct OutputFile {
        FILE *f;        /* write here */
        char *path;     /* the file written (a symbolic link resolved) */
        char *tmp;      /* temporary name, NULL when written through */
        /* The directory of a replaced file, opened with the temporary
         * file: the commit renames (and an abort unlinks) relative to it,
         * so a process sandboxed after the open can be allowed exactly
         * these calls on this descriptor (kvmaudit's own seccomp filter). */
        int dir_fd;
        bool finished;  /* flushed, synced and closed */
} OutputFile;

/* Refuse what cannot be replaced atomically (write-through targets):
 * for a set of files written all or none. */
#define OUTPUT_REGULAR_ONLY (1u << 0)

/* Opens @path for writing by the rule above.  @mode: permission bits of a
 * new file (the umask applies).  On success *ret owns the stream. */
int output_file_open(const char *path, mode_t mode, unsigned flags, OutputFile *ret);

/* Flushes, fsync()s (a temporary file) and closes; -EIO (or the errno) when
 * any write failed.  The target is not touched yet. */
int output_file_finish(OutputFile *o);

/* output_file_finish() if not done, then renames the temporary file over
 * the target.  On failure the temporary file is removed and the target is
 * unchanged.  Frees what @o holds either way. */
int output_file_commit(OutputFile *o);

/* Drops the output: the temporary file is removed, the target unchanged.
 * Accepts a zeroed or already committed OutputFile. */
void output_file_abort(OutputFile *o);

/*
 * Moves the directory descriptors of the outputs among @v (n of them) that
 * are replaced atomically onto consecutive descriptor numbers, so that a
 * seccomp filter can allow renameat()/unlinkat() on exactly that range.
 * *ret_first and *ret_count describe it (count 0: no such output).
 * Returns 0 or a negative errno (no free block below RLIMIT_NOFILE).
 */
int output_files_pack_dirs(OutputFile *const *v, size_t n, int *ret_first, unsigned *ret_count);

/* output_file_open(), the text, output_file_commit(). */
int write_output_file(const char *path, const char *text, mode_t mode);

/* Text for the errors above that strerror() says badly. */
const char *output_strerror(int err);
