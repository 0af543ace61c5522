/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The verb table, and nothing else. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "util.h"

typedef struct Verb {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
} Verb;

static const Verb verbs[] = {
        {"checks",  verb_checks,  "List the checks of the catalogue"},
        {"collect", verb_collect, "Gather the facts only, as JSON, for evaluation elsewhere"},
        {"diff",    verb_diff,    "What got worse or better between two JSON reports (OLD.json NEW.json)"},
        {"explain", verb_explain, "Show one check: rationale, remediation, references"},
        {"profile", verb_profile, "Generate an AppArmor profile or SELinux module for one VM (--xml FILE | --domain NAME)"},
        {"report",  verb_report,  "Render a saved JSON report (FILE.json) in any format, or --merge many into a fleet report"},
        {"scan",    verb_scan,    "Audit this host (or --root DIR, or --facts FILE) and print a scored report"},
};

void
cli_help(void)
{
        printf("Usage: kvmaudit COMMAND [OPTIONS]\n\n"
               "Security audit of KVM hypervisor hosts.\n\nCommands:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                printf("  %-9s %s\n", verbs[i].name, verbs[i].summary);
        printf("\nscan options:\n"
               "  --root DIR          audit the host tree at DIR (a mounted image) instead of /\n"
               "  --facts FILE        evaluate facts written by \"kvmaudit collect\"; reads no host\n"
               "  --connect URI       libvirt connection for the domains (default qemu:///system)\n"
               "  --inspect-seccomp   read back each running QEMU's seccomp filter (ptrace) and\n"
               "                      judge what it lets through (seccomp.filter-* checks)\n"
               "  --debug             log each call kvmaudit's own seccomp filter denies (also\n"
               "                      KVMAUDIT_DEBUG=1)\n"
               "  -f, --format F      text (default), json, junit, markdown, sarif, prometheus,\n"
               "                      html or xccdf\n"
               "  -o, --output [FORMAT:]FILE\n"
               "                      write the report to FILE instead of standard output\n"
               "                      (repeatable: one scan, several reports); the format is\n"
               "                      FORMAT, else FILE's extension (.json .xccdf.xml .xml .sarif .prom\n"
               "                      .html .md .txt), else --format; - is standard output\n"
               "  --profile NAME      start from a named selection of checks: baseline, strict,\n"
               "                      ci-image (or a profile file, a path with a \"/\")\n"
               "  --only CATEGORY|ID  run only these checks (repeatable)\n"
               "  --skip ID|CATEGORY  do not run these checks (repeatable)\n"
               "  --checks DIR        add site checks from DIR/*.check (repeatable)\n"
               "  --reproducible      leave out times and host names, for byte-for-byte comparison\n"
               "  --waivers FILE      waive accepted failures: [check.id] sections with reason,\n"
               "                      owner, expires = YYYY-MM-DD and an optional subject glob\n"
               "  --fail-under SCORE  exit 1 when the score is below SCORE (0-100)\n"
               "  --fail-on SEVERITY  exit 1 when a check of SEVERITY or above fails\n"
               "                      (critical, high, medium, low, info)\n"
               "  --fail-on-error     exit 1 when a check could not be evaluated (error)\n"
               "  --min-coverage PCT  a gate fails when fewer of the checks run were judged\n"
               "                      (default: the profile's min-coverage, else 40)\n"
               "  --framework F       add a per-control view: nist-800-53, vmm-srg or cci\n"
               "  --no-color          no colours (also when NO_COLOR is set or not on a terminal)\n"
               "  -q, --quiet         no report on standard output and no progress line;\n"
               "                      the exit code tells\n"
               "\ncollect options: --root DIR, --connect URI, --inspect-seccomp, --debug, -o FILE, --checks DIR\n"
               "checks: --checks DIR, -f text|json (the catalogue as JSON)\n"
               "explain ID: --checks DIR\n"
               "profile apparmor (--xml FILE | --domain NAME [--connect URI]) [-o FILE]:\n"
               "                      the profile libvirt-UUID, on standard output or FILE\n"
               "profile selinux (--xml FILE | --domain NAME [--connect URI]) [--output-dir DIR]\n"
               "                [--mcs cN,cM]: the module kvmaudit_NAME (.te, .fc, .seclabel.xml,\n"
               "                      README) in DIR (default .); MCS pair from the UUID by default\n"
               "report FILE.json: -f FORMAT (any of scan's), -o [FORMAT:]FILE (repeatable),\n"
               "                      --no-color, --framework F\n"
               "report --merge [--previous DIR] FILE.json...: one fleet report, -f html|markdown|json,\n"
               "                      -o [FORMAT:]FILE; a host is named by its file name, and\n"
               "                      DIR/FILE.json is its previous report (the change shown)\n"
               "diff OLD.json NEW.json: -f text|json|markdown, -o FILE, --no-color;\n"
               "                      exit 1 when NEW has a new failure or a lower score\n"
               "\nExit codes: 0 gate passed, 1 gate failed, 2 usage or input error, 3 the scan could not run.\n"
               "  --help     show this help\n"
               "  --version  show the version\n");
}

int
main(int argc, char **argv)
{
        const char *name = argc > 1 ? argv[1] : NULL;

        if (!name || streq(name, "--help") || streq(name, "-h") || streq(name, "help")) {
                cli_help();
                return name ? EXIT_SUCCESS : EXIT_USAGE;
        }
        if (streq(name, "--version")) {
                printf("kvmaudit %s\n", PROJECT_VERSION);
                return EXIT_SUCCESS;
        }
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(verbs[i].name, name))
                        return verbs[i].run(argc - 1, argv + 1);

        cli_error("kvmaudit: unknown command \"%s\" (see kvmaudit --help)", name);
        return EXIT_USAGE;
}
