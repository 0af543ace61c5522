/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Internal to the data-check engine: the three-valued term evaluation of
 * check-eval.c, and the evidence built from it (check-evidence.c).  Not
 * an interface of the checks layer.
 */
#include "check.h"
#include "util.h"

typedef enum Tri {
        TRI_FALSE,
        TRI_TRUE,
        TRI_UNKNOWN,
} Tri;

typedef struct Unknown {
        const Fact *fact;       /* first unusable fact, or NULL */
        char *message;          /* a value of the wrong shape */
} Unknown;

bool op_is_list(CondOp op);
/* The items of @f for the list operators (@one is scratch space that
 * *ret may point into); false for a fact that is no list (file metadata). */
bool list_items(const Fact *f, char *one[static 2], char *const **ret);
/* Whether @item breaks list term @t. */
bool list_item_offends(const Term *t, const char *item);
Tri term_eval(FactStore *facts, const Term *t, const char *obj, Unknown *u);
/* Records in @u what left the condition undecided, and only then. */
Tri cond_eval(FactStore *facts, const Cond *c, const char *obj, Unknown *u);

/*
 * "KEY = VALUE; KEY2 (absent)" for the facts of @conds (and the keys of
 * @extra first), resolved against @obj.  With @failed, every term of a
 * condition that is false is marked: the offending items of a list term,
 * the terms the value fails beside the value for any other.  Returns NULL on ENOMEM.
 */
char *evidence_observed(FactStore *facts, const Cond *conds, size_t n, char *const *extra, const char *obj,
                        bool failed);
/* "KEY is set N times: at A (used: the first counts) and B (ignored)" for
 * the keys of @keys a probe found assigned more than once, or "". */
char *evidence_repeated_notes(FactStore *facts, const char *const *keys, size_t n);
