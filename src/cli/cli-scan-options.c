/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options of "kvmaudit scan" and "kvmaudit collect" (cli-scan.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli-scan.h"
#include "cli.h"
#include "strv.h"
#include "util.h"

void
scan_options_done(ScanOptions *o)
{
        strv_free(o->only);
        strv_free(o->skip);
        strv_free(o->check_dirs);
}

enum {
        ARG_ROOT = 0x100,
        ARG_CONNECT,
        ARG_FACTS,
        ARG_ONLY,
        ARG_SKIP,
        ARG_CHECKS,
        ARG_REPRODUCIBLE,
        ARG_FAIL_UNDER,
        ARG_FAIL_ON,
        ARG_NO_COLOR,
        ARG_WAIVERS,
        ARG_GATE,
        ARG_FAIL_ON_ERROR,
        ARG_INSPECT_SECCOMP,
        ARG_FRAMEWORK,
        ARG_MIN_COVERAGE,
        ARG_DEBUG,
};

int
scan_options_parse(int argc, char **argv, bool collect, ScanOptions *o)
{
        static const struct option opts[] = {
                {"root", required_argument, NULL, ARG_ROOT},
                {"connect", required_argument, NULL, ARG_CONNECT},
                {"facts", required_argument, NULL, ARG_FACTS},
                {"format", required_argument, NULL, 'f'},
                {"output", required_argument, NULL, 'o'},
                {"only", required_argument, NULL, ARG_ONLY},
                {"skip", required_argument, NULL, ARG_SKIP},
                {"checks", required_argument, NULL, ARG_CHECKS},
                {"reproducible", no_argument, NULL, ARG_REPRODUCIBLE},
                {"fail-under", required_argument, NULL, ARG_FAIL_UNDER},
                {"fail-on", required_argument, NULL, ARG_FAIL_ON},
                {"no-color", no_argument, NULL, ARG_NO_COLOR},
                {"waivers", required_argument, NULL, ARG_WAIVERS},
                {"profile", required_argument, NULL, ARG_GATE},      /* a gate: gates/NAME.profile */
                {"fail-on-error", no_argument, NULL, ARG_FAIL_ON_ERROR},
                {"inspect-seccomp", no_argument, NULL, ARG_INSPECT_SECCOMP},
                {"framework", required_argument, NULL, ARG_FRAMEWORK},
                {"min-coverage", required_argument, NULL, ARG_MIN_COVERAGE},
                {"debug", no_argument, NULL, ARG_DEBUG},
                {"quiet", no_argument, NULL, 'q'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        *o = (ScanOptions) {.req = SCAN_REQUEST_INIT};
        optind = 0;
        while ((c = getopt_long(argc, argv, "f:o:qh", opts, NULL)) >= 0) {
                switch (c) {
                case ARG_ROOT:
                        o->req.root = optarg;
                        break;
                case ARG_CONNECT:
                        o->req.libvirt_uri = optarg;
                        break;
                case ARG_FACTS:
                        if (collect) {
                                cli_error("kvmaudit collect: --facts is an option of scan");
                                return -EINVAL;
                        }
                        o->req.facts_file = optarg;
                        break;
                case 'f':
                        if (collect) {
                                cli_error("kvmaudit collect: facts are always JSON; --format is an option of scan");
                                return -EINVAL;
                        }
                        if (!renderer_find(optarg)) {
                                cli_error("kvmaudit: unknown format \"%s\" (known: %s)", optarg, renderer_names());
                                return -EINVAL;
                        }
                        o->format = optarg;
                        break;
                case 'o':
                        if (collect && o->outputs.n > 0) {
                                cli_error("kvmaudit collect: one -o FILE (facts are one JSON file)");
                                return -EINVAL;
                        }
                        if (output_set_add(&o->outputs, collect ? "collect" : "scan", optarg) < 0)
                                return -EINVAL;
                        if (collect && o->outputs.v[0].explicit_format &&
                            !streq(o->outputs.v[0].renderer->name, "json")) {
                                cli_error("kvmaudit collect: -o %s: facts are always JSON", optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_ONLY:
                        if (strv_extend(&o->only, optarg) < 0)
                                return -ENOMEM;
                        break;
                case ARG_SKIP:
                        if (strv_extend(&o->skip, optarg) < 0)
                                return -ENOMEM;
                        break;
                case ARG_CHECKS:
                        if (strv_extend(&o->check_dirs, optarg) < 0)
                                return -ENOMEM;
                        break;
                case ARG_REPRODUCIBLE:
                        o->req.reproducible = true;
                        break;
                case ARG_FAIL_UNDER: {
                        if (parse_double(optarg, &o->req.fail_under) < 0 || o->req.fail_under < 0 ||
                            o->req.fail_under > 100) {
                                cli_error("kvmaudit: --fail-under needs a score from 0 to 100, not \"%s\"",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                }
                case ARG_DEBUG:
                        o->debug = true;
                        break;
                case ARG_MIN_COVERAGE:
                        if (collect) {
                                cli_error("kvmaudit collect: --min-coverage is an option of scan");
                                return -EINVAL;
                        }
                        if (parse_double(optarg, &o->req.min_coverage) < 0 || o->req.min_coverage < 0 ||
                            o->req.min_coverage > 100) {
                                cli_error("kvmaudit: --min-coverage needs a percentage from 0 to 100, not \"%s\"",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_FAIL_ON:
                        o->req.fail_on = severity_from_string(optarg);
                        if (o->req.fail_on < 0) {
                                cli_error("kvmaudit: --fail-on needs critical, high, medium, low or info, not \"%s\"",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_NO_COLOR:
                        o->no_color = true;
                        break;
                case ARG_WAIVERS:
                        if (collect) {
                                cli_error("kvmaudit collect: --waivers is an option of scan");
                                return -EINVAL;
                        }
                        o->req.waivers_file = optarg;
                        break;
                case ARG_GATE:
                case ARG_FAIL_ON_ERROR:
                        if (collect) {
                                cli_error("kvmaudit collect: --%s is an option of scan",
                                        c == ARG_GATE ? "profile" : "fail-on-error");
                                return -EINVAL;
                        }
                        if (c == ARG_GATE)
                                o->req.gate = optarg;
                        else
                                o->req.fail_on_error = true;
                        break;
                case ARG_INSPECT_SECCOMP:
                        o->req.inspect_seccomp = true;
                        break;
                case ARG_FRAMEWORK:
                        if (collect) {
                                cli_error("kvmaudit collect: --framework is an option of scan");
                                return -EINVAL;
                        }
                        if (cli_parse_framework("scan", optarg, &o->req.framework) < 0)
                                return -EINVAL;
                        break;
                case 'q':
                        o->quiet = true;
                        break;
                case 'h':
                        cli_help();
                        return 1;
                default:
                        return -EINVAL;
                }
        }
        if (optind < argc) {
                cli_error("kvmaudit %s: unexpected argument \"%s\"", collect ? "collect" : "scan", argv[optind]);
                return -EINVAL;
        }
        if (o->req.root && o->req.facts_file) {
                cli_error("kvmaudit scan: --root and --facts exclude each other");
                return -EINVAL;
        }
        if (o->req.libvirt_uri && (o->req.root || o->req.facts_file)) {
                cli_error("kvmaudit: --connect applies to the live host, not to --root or --facts");
                return -EINVAL;
        }
        if (o->req.inspect_seccomp && (o->req.root || o->req.facts_file)) {
                cli_error("kvmaudit: --inspect-seccomp reads the filters of running processes: "
                        "not with --root or --facts");
                return -EINVAL;
        }
        if (!collect && output_set_resolve(&o->outputs, "scan", o->format) < 0)
                return -EINVAL;
        o->req.only = o->only;
        o->req.skip = o->skip;
        o->req.check_dirs = o->check_dirs;
        return 0;
}
