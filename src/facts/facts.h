/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

/*
 * Facts are what probes observed, keyed "namespace:name"
 * ("kconfig:CONFIG_KVM", "stat:/dev/kvm").  "Absent" is a value: the file,
 * key or option does not exist.  A fact that could not be read is an
 * error value carrying the errno and a message naming what was wrong.
 */

typedef enum FactKind {
        FACT_ABSENT,
        FACT_STRING,
        FACT_LIST,
        FACT_STAT,
        FACT_ERROR,
        _FACT_KIND_MAX,
        _FACT_KIND_INVALID = -EINVAL,
} FactKind;

typedef struct FactStat {
        mode_t mode;            /* file type and permission bits */
        unsigned uid, gid;
        unsigned major, minor;  /* device nodes */
        char **acl;             /* named ACL entries and mask, "user:1000:rw-" */
} FactStat;

typedef struct Fact {
        FactKind kind;
        char *string;           /* FACT_STRING value, FACT_ERROR message */
        char **list;            /* FACT_LIST */
        FactStat stat;          /* FACT_STAT */
        int error;              /* FACT_ERROR: negative errno */
} Fact;

void fact_done(Fact *f);
/* A deep copy of @f into *ret (written only on success). */
int fact_copy(const Fact *f, Fact *ret);
const char *fact_kind_to_string(FactKind k);
/* Named ACL entries (users and groups, not the mask). */
unsigned fact_stat_acl_named(const FactStat *st);
/* "chr", "blk", "reg", ... of a mode. */
const char *fact_stat_type(mode_t mode);
/* Whether @f is the string @v. */
bool fact_is(const Fact *f, const char *v);
/* A string fact's text, else "(absent)", "(unreadable)" or "(not text)". */
const char *fact_text_or(const Fact *f);
/* Whether @f (a list, or a string split at whitespace and commas) holds
 * the word @w: "--listen" in LIBVIRTD_ARGS, "selinux" in lsm:active. */
bool fact_has_word(const Fact *f, const char *w);
/* Human summary of a fact value: "y", "(absent)", "chr 10:232 0660 0:36". */
char *fact_describe(const Fact *f);

typedef struct FactStore FactStore;
typedef struct Host Host;

/*
 * A namespace is filled by its probe on first use and cached.  load_all
 * fills every key of the namespace at once (kconfig: parse the file);
 * load_one fills a single key (sysctl: read one file).  Either may be
 * NULL.  collect is no longer called: "kvmaudit collect" saves what the
 * catalogue declares (src/scan/scan-collect.c); the member stays until the
 * probe table's rows drop it (they name it positionally).  All return 0
 * or a negative errno; a namespace-wide failure is recorded with
 * fact_store_fail_namespace().
 */
/*
 * What a probe records under its namespace, for validating a facts file
 * against it ("kvmaudit scan --facts"): the first rule whose fnmatch(3)
 * pattern matches the name part of a key decides which kinds the value may
 * have.  null (absent) and {"error": ...} are always allowed.  Strings
 * never hold NUL (host reads refuse it), and with FACT_RULE_ONE_LINE no LF
 * either (values the probe cut out of a line: kconfig, cpuinfo).  A list
 * terminated by {NULL}.
 */
#define FACT_RULE_STRING   (1u << FACT_STRING)
#define FACT_RULE_LIST     (1u << FACT_LIST)
#define FACT_RULE_STAT     (1u << FACT_STAT)
#define FACT_RULE_ONE_LINE (1u << 0)
/* Computed from other facts of the store by the namespace's derive hook:
 * never written to a facts file (its sources are), refused in one, and
 * recomputed from the sources at every scan. */
#define FACT_RULE_DERIVED  (1u << 1)

typedef struct FactRule {
        const char *pattern;
        unsigned kinds;
        unsigned flags;
} FactRule;

typedef struct FactNamespace {
        const char *name;
        int (*load_all)(FactStore *s, Host *h);
        int (*load_one)(FactStore *s, Host *h, const char *name);
        int (*collect)(FactStore *s, Host *h);
        const FactRule *rules;  /* NULL: any kind (test tables only) */
        /* Derived facts (FACT_RULE_DERIVED): computes "ns:@name" from other
         * facts of the store, with a host or from a facts file alike; never
         * opens a host file.  Returns 0 when @name is not a derived one
         * (the usual lookup goes on), 1 when it stored the fact (a value or
         * an error fact naming the source), or a negative errno. */
        int (*derive)(FactStore *s, const char *name);
} FactNamespace;

/* The rule for @key ("ns:name") in @namespaces: NULL when its namespace is
 * unknown; *ret_any set when the namespace has no rules. */
const FactRule *fact_rule_find(const FactNamespace *namespaces, size_t n, const char *key, bool *ret_any);

/* @host may be NULL: then facts come only from fact_store_set*() (a facts
 * file), and a key that was never set is an error ("not collected"). */
int fact_store_new(Host *host, const FactNamespace *namespaces, size_t n_namespaces, FactStore **ret);
FactStore *fact_store_free(FactStore *s);
DEFINE_CLEANUP_FUNC(FactStore *, fact_store_free)

Host *fact_store_host(FactStore *s);

/* Looks up (and loads on first use) a fact.  Never NULL: on OOM returns a
 * static error fact.  The fact is owned by the store. */
const Fact *fact_store_get(FactStore *s, const char *key);
/*
 * Read log: between start and stop, every key fact_store_get() returns is
 * recorded once, so that evidence can mention what a check read (notes on
 * repeated settings, check-eval.c).  stop returns the keys (owned by the
 * store; the array is valid until the next start).
 */
void fact_store_log_start(FactStore *s);
const char *const *fact_store_log_stop(FactStore *s, size_t *ret_n);
/* fact_store_get() outside the read log: for the engine's own wording of
 * a result (why a fact is absent), not for what a check judges. */
const Fact *fact_store_get_unlogged(FactStore *s, const char *key);

/* The fact if it was already loaded, without loading anything; else NULL. */
const Fact *fact_store_peek(FactStore *s, const char *key);

/* Convenience: "namespace", "name". */
const Fact *fact_store_get2(FactStore *s, const char *ns, const char *name);

/* Store a fact; takes ownership of the contents of @f (even on failure). */
int fact_store_put(FactStore *s, const char *key, Fact *f);
int fact_store_set_string(FactStore *s, const char *key, const char *value);
int fact_store_set_absent(FactStore *s, const char *key);
int fact_store_set_error(FactStore *s, const char *key, int err, const char *fmt, ...) _printf_(4, 5);

/* Records that a whole namespace failed to load: every key of it then
 * reads as this error. */
int fact_store_fail_namespace(FactStore *s, const char *ns, int err, const char *fmt, ...) _printf_(4, 5);

/* Marks namespace @ns as fully loaded (facts-file mode), so that missing
 * keys read as absent rather than "not collected". */
int fact_store_mark_complete(FactStore *s, const char *ns);

/* Loads all of @ns (if it has load_all) and returns sorted keys that begin
 * with "ns:prefix".  Caller frees the list (strv). */
int fact_store_list(FactStore *s, const char *ns, const char *prefix, char ***ret);

/* Whether @ns was loaded whole (its missing keys are absent, not unknown). */
bool fact_store_namespace_loaded(FactStore *s, const char *ns);

/*
 * The keys of a namespace that loads whole (load_all) matching the
 * fnmatch(3) pattern @pattern ("cpuvuln:*", "domain:*"), after
 * loading it: what a declared pattern stands for on this host ("kvmaudit
 * collect").  Derived keys are left out (their sources are saved).
 * Sorted; caller frees.  -EOPNOTSUPP for a namespace that fills one key at
 * a time (its probe alone can say which keys exist: probe-expand.c).
 */
int fact_store_expand(FactStore *s, const char *pattern, char ***ret);

/* The namespace-wide failure of @ns (negative errno, *ret_message owned
 * by the store), or 0 when it loaded or was never loaded. */
int fact_store_namespace_failure(FactStore *s, const char *ns, const char **ret_message);
/* The names of the namespaces that failed as a whole.  Caller frees. */
int fact_store_failed_namespaces(FactStore *s, char ***ret);

/*
 * Sources log: between start and stop, every key a derive hook reads
 * itself (fact_store_get() or a fact_store_peek() that finds it; not what
 * a probe reads while loading) is recorded once.  These are the facts a
 * facts file must hold for the derived facts to be recomputed from it.
 * stop hands the keys over (caller frees); -ENOMEM when the log was lost.
 */
void fact_store_sources_start(FactStore *s);
int fact_store_sources_stop(FactStore *s, char ***ret);

/* All stored keys, sorted; caller frees (strv). */
int fact_store_keys(FactStore *s, char ***ret);

/*
 * Derived data cached with the facts it comes from (parsed domain
 * definitions, say), so that it is computed once per store.  The store
 * frees @data with @free_fn.  Returns -EEXIST when @name is taken.
 */
int fact_store_attach(FactStore *s, const char *name, void *data, void (*free_fn)(void *));
void *fact_store_attachment(FactStore *s, const char *name);

bool fact_namespace_known(const FactNamespace *namespaces, size_t n, const char *key);
/* The same against the store's namespaces. */
bool fact_store_namespace_known(FactStore *s, const char *key);
const FactRule *fact_store_rule(FactStore *s, const char *key, bool *ret_any);

/* Whether @key is a derived fact of its namespace (FACT_RULE_DERIVED). */
bool fact_store_key_derived(FactStore *s, const char *key);

/* Validates "namespace:name" syntax. */
bool fact_key_valid(const char *key);
