/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

/* NULL-terminated arrays of owned strings. */

char **strv_free(char **l);
DEFINE_CLEANUP_FUNC(char **, strv_free)
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l);
/* Appends a copy of @s; on failure @l is unchanged. */
int strv_extend(char ***l, const char *s);
/* Appends @s itself, taking ownership (freed on failure too). */
int strv_consume(char ***l, char *s);
bool strv_contains(char *const *l, const char *s);
void strv_sort(char **l);
/* Removes adjacent duplicates of a sorted list. */
void strv_uniq(char **l);
/* Joins with @sep; returns NULL on OOM. */
char *strv_join(char *const *l, const char *sep);

#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)
