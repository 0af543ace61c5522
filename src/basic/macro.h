/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((__cleanup__(f)))
#define _unused_ __attribute__((__unused__))
#define _printf_(a, b) __attribute__((__format__(printf, a, b)))
#define _warn_unused_result_ __attribute__((__warn_unused_result__))

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * DEFINE_CLEANUP_FUNC(type, destroy) defines destroyp(type *), suitable for
 * _cleanup_(destroyp).  Skips NULL so @destroy need not accept it.
 */
#define DEFINE_CLEANUP_FUNC(type, destroy)                     \
        static inline void destroy##p(type *p)                 \
        {                                                      \
                if (*p)                                        \
                        (void) destroy(*p);                    \
        }

static inline void
freep(void *p)
{
        free(*(void **) p);
}

static inline void
closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno; /* cleanup must not clobber errno */
                (void) close(*fd);
                errno = saved;
        }
}

DEFINE_CLEANUP_FUNC(FILE *, fclose)

#define _cleanup_free_   _cleanup_(freep)
#define _cleanup_close_  _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Move ownership out of a cleanup-managed variable. */
#define TAKE_PTR(p)                         \
        ({                                  \
                __typeof__(p) _taken = (p); \
                (p) = NULL;                 \
                _taken;                     \
        })

#define TAKE_FD(fd)                \
        ({                         \
                int _taken = (fd); \
                (fd) = -EBADF;     \
                _taken;            \
        })

#define streq(a, b) (strcmp((a), (b)) == 0)
#define strneq(a, b, n) (strncmp((a), (b), (n)) == 0)

static inline const char *
strna(const char *s)
{
        return s ? s : "n/a";
}
