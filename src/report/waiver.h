/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "check.h"

/*
 * Waivers: accepted failures, read from "kvmaudit scan --waivers FILE".
 *
 * The file is a strict keyfile like the .check files (docs/check-format.md):
 *
 *     # a comment (only at the start of a line)
 *     [kernel.kaslr]
 *     subject = domain:web-*
 *     reason = Needed for the crash-dump kernel
 *     owner = platform-team@example.com
 *     expires = 2027-03-31
 *
 * One [check.id] section per waiver; the id must be a check of the loaded
 * catalogue, and the same id may head several sections (say, one per
 * subject).  Keys:
 *   subject  optional; an fnmatch(3) glob on the result subject ("host",
 *            a path, "domain:NAME", a sysctl name, ...); default: every one
 *   reason   required; why the failure is accepted
 *   owner    required; who answers for it
 *   expires  required; YYYY-MM-DD, a real date; the waiver applies up to
 *            and including that day (UTC)
 * A line that starts with whitespace continues the previous value.
 * Unknown or repeated keys, empty values, missing required keys, bad dates
 * and unknown check ids are errors reported as "FILE:LINE: message".
 *
 * A waiver turns a fail or error result of its check, whose subject
 * matches, into waived.  An expired waiver does not waive; it and a waiver
 * that waived nothing are reported as warnings.
 */

#define WAIVER_FILE_MAX  (1024u * 1024u)
#define WAIVER_LINE_MAX  4096u
#define WAIVER_VALUE_MAX 4096u
#define WAIVERS_MAX      4096u

typedef struct Waiver {
        char *check_id;
        char *subject;          /* glob; NULL: every subject */
        char *reason;
        char *owner;
        char expires[11];       /* YYYY-MM-DD */
        char *file;             /* where it was defined */
        unsigned line;
        unsigned n_waived;      /* set by waivers_apply() */
} Waiver;

typedef struct WaiverSet {
        Waiver *v;
        size_t n;
} WaiverSet;

void waiver_set_done(WaiverSet *s);

/*
 * Parses one waiver file's text and appends its waivers; ids are checked
 * against @catalog.  On a bad input returns -EBADMSG and sets *ret_error
 * to "FILE:LINE: message" (caller frees); the set is then unchanged.
 */
int waiver_set_load_text(WaiverSet *s, const char *text, const char *filename, const Catalog *catalog,
                         char **ret_error);

/* True when @s is YYYY-MM-DD and a real date of the Gregorian calendar. */
bool waiver_date_valid(const char *s);

/*
 * Waives the fail and error results that a waiver of @s, not expired on
 * @today (YYYY-MM-DD), matches; the first matching waiver in file order
 * wins.  Appends one warning (caller owns) per expired waiver and per
 * waiver that waived nothing to *ret_warnings.  Returns 0 or -ENOMEM.
 */
int waivers_apply(WaiverSet *s, Results *results, const char *today, char ***ret_warnings);
