/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

/*
 * A fleet report ("kvmaudit report --merge"): many host reports folded
 * into one, a host at a time, so that memory grows with the hosts and
 * their failing checks, not with their whole reports (a host report is
 * hundreds of kilobytes; a fleet is thousands of hosts).  Per host: its
 * score, counts, worst findings and the change since its previous report
 * when one was given; per check: the hosts that fail it.
 */

#define FLEET_SCHEMA_VERSION 1
/* Hosts in one fleet report. */
#define FLEET_HOSTS_MAX     100000u
/* Worst findings kept per host, and new failures listed per host. */
#define FLEET_WORST_MAX     5u
#define FLEET_CHANGES_MAX   10u

typedef struct FleetFinding {
        char *id;
        char *subject;
        Severity severity;
        Status status;          /* fail or error */
} FleetFinding;

typedef struct FleetHost {
        char *label;            /* the name the fleet knows it by (inventory) */
        char *hostname;         /* from the report; NULL when not recorded */
        char *kernel;
        char *started_at;
        char *tool_version;
        bool has_score;
        double score;
        unsigned summary[_STATUS_MAX];
        FleetFinding worst[FLEET_WORST_MAX];    /* most severe first */
        size_t n_worst;
        unsigned n_findings;    /* fail and error results */

        bool has_previous;
        bool has_delta;
        double delta;           /* score change since the previous report */
        unsigned n_new_failures, n_fixed;
        FleetFinding new_failures[FLEET_CHANGES_MAX];
        size_t n_new_listed;
} FleetHost;

typedef struct FleetCheck {
        char *id;
        char *title;
        char *category;
        Severity severity;
        size_t *hosts;          /* indices into Fleet.hosts, ascending */
        size_t n_hosts;
        size_t n_alloc;
} FleetCheck;

typedef struct Fleet {
        FleetHost *hosts;
        size_t n_hosts, n_hosts_alloc;
        FleetCheck *checks;     /* failing checks, sorted by id */
        size_t n_checks, n_checks_alloc;
        unsigned summary[_STATUS_MAX];
        bool has_score;         /* mean of the hosts that have one */
        double score;
} Fleet;

void fleet_done(Fleet *f);

/* Adds one host: its current report and, when not NULL, its previous one
 * (the change is computed here; neither is kept).  -EEXIST when @label is
 * already in the fleet, -E2BIG beyond FLEET_HOSTS_MAX, -ENOMEM. */
int fleet_add_host(Fleet *f, const char *label, const Report *current, const Report *previous);

/* Sorts checks by how many hosts fail them and computes the fleet score;
 * call once, after the last host. */
void fleet_finish(Fleet *f);

typedef struct FleetRenderer {
        const char *name;
        int (*render)(const Fleet *f, const RenderOptions *o, FILE *out);
} FleetRenderer;

const FleetRenderer *merge_renderer_find(const char *name);
/* "html, markdown, json"; static string. */
const char *merge_renderer_names(void);

int render_fleet_html(const Fleet *f, const RenderOptions *o, FILE *out);
int render_fleet_markdown(const Fleet *f, const RenderOptions *o, FILE *out);
int render_fleet_json(const Fleet *f, const RenderOptions *o, FILE *out);
