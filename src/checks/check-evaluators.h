/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "check.h"

/* Each file of evaluators exports one table, sorted by name. */
extern const Evaluator evaluators_host[];
extern const size_t evaluators_host_count;
extern const Evaluator evaluators_virt[];
extern const size_t evaluators_virt_count;

/* Judges (check.h), one table per file, sorted by name. */
extern const Judge judges_domain[];
extern const size_t judges_domain_count;
extern const Judge judges_virt[];
extern const size_t judges_virt_count;

/* Shared helpers for evaluator files. */
