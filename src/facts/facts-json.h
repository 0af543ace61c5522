/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "facts.h"

#define FACTS_SCHEMA_VERSION 1
/* A facts file larger than this is not one of ours. */
#define FACTS_FILE_MAX (64u * 1024u * 1024u)

/* Writes {"schema_version":1, "tool":..., "root":..., "complete":[...], "facts":{...}}. */
int facts_write_json(FactStore *s, const char *tool_version, const char *root, FILE *out);
/* The same with only the facts @only names (NULL: all), as "collect"
 * saves them: a namespace is "complete" only when every key of it the
 * store holds is saved. */
int facts_write_json_keys(FactStore *s, char *const *only, const char *tool_version, const char *root, FILE *out);

/* Loads a facts file's text into @s (a store without host).  On bad
 * input returns -EBADMSG or -EPROTONOSUPPORT and sets *ret_error. */
int facts_load_json(FactStore *s, const char *text, const char *filename, char **ret_error);
