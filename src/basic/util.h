/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* Trims ASCII whitespace at both ends, in place; returns @s. */
char *strstrip(char *s);
bool startswith(const char *s, const char *prefix);
bool endswith(const char *s, const char *suffix);

/* The only integer parsers of the project: whole string, decimal or 0x hex,
 * optional sign, no trailing garbage.  -EINVAL or -ERANGE on failure. */
int parse_int64(const char *s, int64_t *ret);
int parse_uint64(const char *s, uint64_t *ret);
/* A finite decimal number, whole string. */
int parse_double(const char *s, double *ret);
/* Octal permission bits, "0660" or "660", at most 07777. */
int parse_mode(const char *s, mode_t *ret);

/* asprintf() that returns the string or NULL on OOM. */
char *xasprintf(const char *fmt, ...) _printf_(1, 2);

/* True when @len bytes of @p are printable text (tabs and newlines allowed). */
bool text_is_printable(const char *p, size_t len);

/* Replaces every byte outside printable ASCII with '?', in place. */
void text_sanitize(char *s);

/* Growable string. */
typedef struct StrBuf {
        char *s;
        size_t len, cap;
        bool oom;
} StrBuf;

void strbuf_append(StrBuf *b, const char *s);
void strbuf_appendn(StrBuf *b, const char *s, size_t n);
void strbuf_printf(StrBuf *b, const char *fmt, ...) _printf_(2, 3);
/* Returns the string (caller frees) or NULL if any append failed. */
char *strbuf_steal(StrBuf *b);
void strbuf_done(StrBuf *b);
