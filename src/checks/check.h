/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "facts.h"
#include "macro.h"

/*
 * The check catalogue (checks/ *.check, see docs/check-format.md) and
 * its evaluation.  A Catalog owns its checks; results borrow them.
 */

typedef enum Severity {
        SEVERITY_INFO,
        SEVERITY_LOW,
        SEVERITY_MEDIUM,
        SEVERITY_HIGH,
        SEVERITY_CRITICAL,
        _SEVERITY_MAX,
        _SEVERITY_INVALID = -EINVAL,
} Severity;

const char *severity_to_string(Severity s);
Severity severity_from_string(const char *s);
/* Scoring weight of CHECKS.md section 3: 0, 1, 3, 5, 10. */
unsigned severity_weight(Severity s);

typedef enum Scope {
        SCOPE_HOST,
        SCOPE_DOMAIN,
        SCOPE_PROCESS,
        SCOPE_DAEMON,
        _SCOPE_MAX,
        _SCOPE_INVALID = -EINVAL,
} Scope;

const char *scope_to_string(Scope s);
Scope scope_from_string(const char *s);

typedef enum Status {
        STATUS_PASS,
        STATUS_FAIL,
        STATUS_SKIP,
        STATUS_ERROR,
        STATUS_WAIVED,
        _STATUS_MAX,
        _STATUS_INVALID = -EINVAL,
} Status;

const char *status_to_string(Status s);
Status status_from_string(const char *s);

typedef enum CondOp {
        OP_PRESENT,
        OP_ABSENT,
        OP_EQ,
        OP_NE,
        OP_IN,
        OP_NOT_IN,
        OP_GE,
        OP_LE,
        OP_CONTAINS,
        OP_NOT_CONTAINS,
        OP_WORD,
        OP_NO_WORD,
        OP_MITIGATED,
        OP_MODE_MAX,
        OP_UID,
        OP_GID,
        OP_TYPE,
        OP_NO_ACL,
        OP_EACH_IN,
        OP_NONE_IN,
        OP_EACH_MATCH,
        OP_NONE_MATCH,
        OP_EMPTY,
        OP_NONEMPTY,
        OP_COUNT_LE,
        OP_SOME_IN,
        _OP_MAX,
        _OP_INVALID = -EINVAL,
} CondOp;

const char *cond_op_to_string(CondOp op);
CondOp cond_op_from_string(const char *s);

typedef struct Term {
        char *fact;     /* "namespace:name"; "ns:@/..." is relative to the object */
        CondOp op;
        char **args;
} Term;

typedef struct Cond {
        Term *terms;    /* joined by "or" */
        size_t n_terms;
        char *text;     /* as written, for reports */
} Cond;

typedef enum IfAbsent {
        IF_ABSENT_EVALUATE,
        IF_ABSENT_PASS,
        IF_ABSENT_FAIL,
        IF_ABSENT_SKIP,
} IfAbsent;

typedef enum Split {
        SPLIT_NONE,
        SPLIT_LINE,
        SPLIT_FAILURES,
} Split;

typedef struct Evaluator Evaluator;
typedef struct Judge Judge;

/* "param = KEY VALUE..." of a check: a judge's parameters (or the
 * engine's, "daemons"), in the order written. */
typedef struct CheckParam {
        char *key;
        char **values;  /* at least one */
} CheckParam;

/* Bound on the params of one check. */
#define CHECK_PARAMS_MAX 32u

/* Compliance frameworks a check can map to (docs/compliance/). */
typedef enum Framework {
        FRAMEWORK_NIST_800_53,
        FRAMEWORK_VMM_SRG,
        FRAMEWORK_CCI,
        FRAMEWORK_CIS,
        _FRAMEWORK_MAX,
        _FRAMEWORK_INVALID = -EINVAL,
} Framework;

/* Bound on the identifiers of one framework in one check. */
#define CONTROLS_PER_CHECK_MAX 64u

/* The catalogue key ("srg"), the --framework name ("vmm-srg") and a title. */
const char *framework_key(Framework f);
const char *framework_to_string(Framework f);
const char *framework_title(Framework f);
Framework framework_from_key(const char *s);
Framework framework_from_string(const char *s);
/* Well-formed for its framework (what a saved report is held to). */
bool control_id_valid(Framework f, const char *id);
/* Well-formed and, for the VMM SRG, a requirement of the vendored SRG
 * (what the catalogue is held to: no invented ids). */
bool control_id_known(Framework f, const char *id);
/* Parses "SC-39, AC-3" into a list of known identifiers (caller frees); on a bad item returns
 * -EBADMSG with *ret_error naming it (caller frees). */
int control_list_parse(Framework f, const char *value, char ***ret, char **ret_error);

/* Distribution families a remediation is written for (check-remediation.c):
 * "remediation.debian" and "remediation.rhel" in a .check file. */
typedef enum DistroFamily {
        DISTRO_DEBIAN,          /* Debian, Ubuntu and their derivatives */
        DISTRO_RHEL,            /* RHEL, Fedora, CentOS, Rocky, Alma */
        _DISTRO_MAX,
        _DISTRO_INVALID = -EINVAL,
} DistroFamily;

typedef struct Check {
        char *id;
        char *title;
        char *category;
        char *subject;          /* subject of a data check's result: "host" or a path */
        Severity severity;
        Scope scope;
        char **facts;           /* declared and referenced facts, primary first */
        Cond *expect;
        size_t n_expect;
        bool match_any;
        Split split;
        IfAbsent if_absent;
        Cond *applies;
        size_t n_applies;
        const Evaluator *evaluator;     /* a whole-check evaluator (iterates itself) */
        const Judge *judge;             /* a judge of one object (the engine iterates) */
        CheckParam *params;
        size_t n_params;
        char *expected;         /* human wording; generated when not given */
        char *rationale;
        char *remediation;      /* the fallback; see remediation_for */
        char *remediation_for[_DISTRO_MAX]; /* remediation.FAMILY; NULL when none */
        char **refs;
        char *source;
        char **controls[_FRAMEWORK_MAX]; /* identifiers per framework, as listed; NULL when none */
        char *file;             /* where it was defined */
        unsigned line;
} Check;

typedef struct Catalog {
        Check *checks;
        size_t n_checks;
} Catalog;

void catalog_done(Catalog *c);

/* check-remediation.c */
const char *distro_family_to_string(DistroFamily f);
/* "remediation.debian" -> DISTRO_DEBIAN; _DISTRO_INVALID for other keys. */
DistroFamily distro_family_from_key(const char *key);
/* The family of an os-release ID and ID_LIKE (either may be NULL): the ID
 * first, then each ID_LIKE word in order; _DISTRO_INVALID when none is
 * known. */
DistroFamily distro_family_of(const char *id, const char *id_like);
/* The remediation of @c for @f: its variant, else the plain one.  Owned
 * by @c. */
const char *check_remediation(const Check *c, DistroFamily f);
/* Makes each check's remediation the one for @f (the plain one stays where
 * no variant exists), so every renderer shows what works on the audited
 * host.  -ENOMEM. */
int catalog_remediation_select(Catalog *cat, DistroFamily f);

/*
 * Parses one .check file's text and appends its checks.  On a bad input
 * returns -EBADMSG and sets *ret_error to "FILE:LINE: message" (caller
 * frees); the catalogue is then unchanged.  @namespaces validates facts.
 */
int catalog_load_text(Catalog *c, const char *text, const char *filename, const FactNamespace *namespaces,
                      size_t n_namespaces, char **ret_error);

/* Sorts checks by id; fails with -EEXIST (and *ret_error) on duplicates. */
int catalog_finish(Catalog *c, char **ret_error);

const Check *catalog_find(const Catalog *c, const char *id);

/* Results. */
typedef struct Result {
        const Check *check;
        Status status;
        char *subject;          /* "host", a path, "domain:NAME", "process:PID", a fact key */
        char *observed;         /* evidence, or the reason for skip/error */
        char *expected;
        char *waiver;           /* reason when waived */
        char *location;         /* the file behind the finding (a path on
                                 * the audited host), NULL when unknown */
        unsigned location_line; /* its line, 0 when not one line */
} Result;

typedef struct Results {
        Result *v;
        size_t n;
} Results;

void results_done(Results *r);
/* Appends a result; takes copies of the strings. */
int results_add(Results *r, const Check *c, Status status, const char *subject, const char *observed,
                const char *expected);
/* Sorted by category, id, subject. */
void results_sort(Results *r);

/* Whether @c may read fact @key: one of its "fact =" declarations matches
 * it ("@" standing for any object, "*" for anything), or the engine reads
 * it to find the objects of the check's scope (check_object_sources()). */
bool check_declares(const Check *c, const char *key);
/* The facts the engine reads to find the objects of @c's scope, as
 * declarations ("domain:*"); an empty list for host scope.  Caller frees. */
int check_object_sources(const Check *c, char ***ret);

/* Evaluates @c against @facts, appending its results.  @catalog is the
 * whole catalogue, for evaluators that cover "everything not named
 * elsewhere". */
int check_evaluate(const Check *c, const Catalog *catalog, FactStore *facts, Results *out);

/*
 * Objects.  A fact key whose name part is "@" or starts with "@/" is
 * relative to the object a check of scope domain, process or daemon
 * judges: "process:@/uid" reads "process:1234/uid" for PID 1234.  Only the
 * first segment counts ("meta:KEY@repeated" is not relative).
 */
bool fact_key_is_relative(const char *key);
/* @key with its "@" replaced by @object (a copy when not relative or when
 * @object is NULL).  Caller frees; NULL on ENOMEM. */
char *fact_key_for_object(const char *key, const char *object);

/* The values of param @key, or NULL when the check has none. */
char *const *check_param(const Check *c, const char *key);

/*
 * Judges: C for a check whose verdict a condition cannot express, as a
 * pure function of one object.  The engine iterates the objects of the
 * check's scope (host: one call, object NULL), handles "no object" and
 * emits the result; the judge reads facts through judge_fact() and fills
 * the verdict.  A judge returns 0, or a negative errno (the check is then
 * an error for that object).
 */
typedef struct JudgeCall {
        const Check *check;
        FactStore *facts;
        const char *object;     /* domain name, PID, daemon name; NULL for host scope */
} JudgeCall;

typedef struct Verdict {
        Status status;
        char *observed;         /* evidence (required) */
        char *expected;         /* NULL: the check's "expected" */
} Verdict;

struct Judge {
        const char *name;
        int (*judge)(const JudgeCall *call, Verdict *ret);
        const char *const *params;      /* param keys it reads, NULL-terminated; NULL: none */
};

const Judge *judge_find(const char *name);
/* For tests: the table, sorted by name. */
const Judge *judge_table(size_t *ret_n);

/* The fact @key, relative keys resolved against the call's object. */
const Fact *judge_fact(const JudgeCall *call, const char *key);
char *const *judge_param(const JudgeCall *call, const char *key);
int verdict_set(Verdict *v, Status status, const char *fmt, ...) _printf_(3, 4);
/* When @f could not be read: fills @v with skip (not applicable here) or
 * error and its reason, and returns true. */
bool verdict_unusable(Verdict *v, const Fact *f);

/* Evaluators: C code for checks that iterate or combine objects. */
typedef struct EvalContext {
        const Check *check;
        const Catalog *catalog;
        FactStore *facts;
        Results *out;
} EvalContext;

struct Evaluator {
        const char *name;
        int (*run)(EvalContext *ctx);
};

const Evaluator *evaluator_find(const char *name);
/* For tests: the table. */
const Evaluator *evaluator_table(size_t *ret_n);

/* Emit one result from an evaluator. */
int eval_emit(EvalContext *ctx, Status status, const char *subject, const char *observed, const char *expected);
int eval_emitf(EvalContext *ctx, Status status, const char *subject, const char *fmt, ...) _printf_(4, 5);
/* Emits skip or error for an unreadable fact; returns 1 if it did (f is
 * an error), 0 otherwise. */
int eval_fact_unusable(EvalContext *ctx, const char *subject, const Fact *f);
/* True for fact errors that mean "not applicable here" rather than "broken". */
bool fact_error_is_skip(const Fact *f);
