#!/usr/bin/env python3
"""Validate JSON files against a JSON Schema.

usage: validate-json.py SCHEMA FILE...

FILE may be "-" for standard input. Each error is printed as
"FILE: $.json.path: message". Duplicate object keys are reported as errors too
(Python's json module would silently keep the last one).

Exit status: 0 all valid; 1 at least one file is invalid; 2 usage error, an
unreadable or unparsable schema or file (this wins over 1).

Works with python3-jsonschema 4.10 (Debian 12) and later.
"""

import json
import sys

try:
    import jsonschema
    from jsonschema.exceptions import best_match
except ImportError:  # pragma: no cover
    sys.stderr.write("validate-json.py: python3-jsonschema is not installed\n")
    sys.exit(2)


class DuplicateKey(Exception):
    pass


def json_path(parts):
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        elif p.replace("_", "a").isalnum() and not p[:1].isdigit():
            out += "." + p
        else:
            out += "[%s]" % json.dumps(p)
    return out


def load(path):
    """Return (document, duplicate-key messages). Raises OSError / ValueError."""
    dups = []

    def hook(pairs):
        obj = {}
        for k, v in pairs:
            if k in obj:
                dups.append(k)
            obj[k] = v
        return obj

    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
    doc = json.loads(text, object_pairs_hook=hook)
    return doc, dups


def format_checker():
    try:
        return jsonschema.FormatChecker()
    except Exception:  # pragma: no cover
        return None


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: validate-json.py SCHEMA FILE...\n")
        return 2

    schema_path = argv[1]
    try:
        schema, _ = load(schema_path)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: cannot read schema: %s\n" % (schema_path, e))
        return 2

    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write("%s: invalid schema: %s at %s\n"
                         % (schema_path, e.message, json_path(e.absolute_path)))
        return 2
    validator = cls(schema, format_checker=format_checker())

    unreadable = False
    invalid = False
    for path in argv[2:]:
        try:
            doc, dups = load(path)
        except (OSError, ValueError) as e:
            sys.stderr.write("%s: cannot read: %s\n" % (path, e))
            unreadable = True
            continue

        nerr = 0
        for k in dups:
            print("%s: duplicate key %s" % (path, json.dumps(k)))
            nerr += 1
        errors = sorted(validator.iter_errors(doc),
                        key=lambda e: (list(map(str, e.absolute_path)), e.message))
        for e in errors:
            msg = e.message
            if len(msg) > 300:
                msg = msg[:300] + "..."
            print("%s: %s: %s" % (path, json_path(e.absolute_path), msg))
            if e.context:  # oneOf / anyOf: show the closest alternative's reason
                sub = best_match(e.context)
                print("%s:     closest: %s: %s"
                      % (path, json_path(sub.absolute_path), sub.message[:300]))
            nerr += 1
        if nerr:
            invalid = True
            print("%s: INVALID (%d error%s)" % (path, nerr, "" if nerr == 1 else "s"))
        else:
            print("%s: ok" % path)

    if unreadable:
        return 2
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
