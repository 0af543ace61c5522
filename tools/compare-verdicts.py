#!/usr/bin/env python3
"""compare-verdicts: do two kvmaudit JSON reports give the same verdicts?

Issue 13 (the engine redesign) keeps every verdict: the JSON of every fixture
host must hold the same (check id, subject, status) triples before and after,
except where a bug the redesign fixed is named.  This tool compares exactly
those triples, as multisets (a check may give one subject two results), and
prints what differs:

  - ID SUBJECT: STATUS -> STATUS     a verdict changed
  - ID SUBJECT: only in OLD (STATUS) a result disappeared
  - ID SUBJECT: only in NEW (STATUS) a result appeared

With --evidence it also lists the results whose triple is unchanged but whose
evidence ("observed") changed, which the redesign may do only where the engine
now generates the text (to be listed in its closing note).

Usage:
  compare-verdicts.py [--evidence] OLD.json NEW.json
  compare-verdicts.py [--evidence] OLD_DIR NEW_DIR
      every *.json report of OLD_DIR against the one of the same name in
      NEW_DIR (a name missing on either side is a difference), e.g. the
      fixture goldens before and after: git worktree add /tmp/old main, then
      compare-verdicts.py /tmp/old/tests/golden tests/golden

Exit status: 0 same verdicts, 1 differences, 2 an input is unusable (the
message names the file and what is wrong with it).  It is a tool for the lead
engineer, not a test: the golden suite already fails on any JSON change.
"""
import collections
import json
import os
import sys


class Unusable(Exception):
    pass


def load(path):
    """The results of a report as {(id, subject, status): [observed, ...]}."""
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except OSError as e:
        raise Unusable("%s: %s" % (path, e.strerror or e))
    except (ValueError, UnicodeDecodeError) as e:
        raise Unusable("%s: not JSON: %s" % (path, e))
    if not isinstance(report, dict) or not isinstance(report.get("results"), list):
        raise Unusable("%s: not a kvmaudit report (no \"results\" list)" % path)
    triples = collections.defaultdict(list)
    for i, res in enumerate(report["results"]):
        if not isinstance(res, dict):
            raise Unusable("%s: results[%d] is not an object" % (path, i))
        key = []
        for field in ("id", "subject", "status"):
            v = res.get(field)
            if not isinstance(v, str):
                raise Unusable("%s: results[%d] has no string \"%s\" (got %r)" % (path, i, field, v))
            key.append(v)
        triples[tuple(key)].append(res.get("observed") if isinstance(res.get("observed"), str) else "")
    return triples


def compare(old_path, new_path, evidence, label=""):
    """Prints the differences; returns how many there are."""
    old, new = load(old_path), load(new_path)
    # (id, subject) -> Counter of statuses, to pair "fail -> pass"
    def by_object(t):
        d = collections.defaultdict(collections.Counter)
        for (cid, subject, status), obs in t.items():
            d[(cid, subject)][status] += len(obs)
        return d

    o, n = by_object(old), by_object(new)
    lines = []
    for key in sorted(set(o) | set(n)):
        gone = o.get(key, collections.Counter()) - n.get(key, collections.Counter())
        came = n.get(key, collections.Counter()) - o.get(key, collections.Counter())
        gone_l, came_l = sorted(gone.elements()), sorted(came.elements())
        while gone_l and came_l:
            lines.append("%s %s: %s -> %s" % (key[0], key[1], gone_l.pop(0), came_l.pop(0)))
        for s in gone_l:
            lines.append("%s %s: only in OLD (%s)" % (key[0], key[1], s))
        for s in came_l:
            lines.append("%s %s: only in NEW (%s)" % (key[0], key[1], s))
    n_diff = len(lines)
    if evidence:
        for key in sorted(set(old) & set(new)):
            a, b = sorted(old[key]), sorted(new[key])
            if a != b and len(a) == len(b):
                for x, y in zip(a, b):
                    if x != y:
                        lines.append("%s %s (%s): evidence\n    old: %s\n    new: %s" % (key + (x, y)))
    for line in lines:
        print("%s%s" % (label, line))
    return n_diff


def main(argv):
    args = [a for a in argv if a != "--evidence"]
    evidence = len(args) != len(argv)
    if len(args) != 2 or any(a.startswith("-") and a != "-" for a in args):
        print(__doc__.split("Usage:")[1].split("Exit status")[0].rstrip(), file=sys.stderr)
        return 2
    old, new = args
    try:
        if os.path.isdir(old) and os.path.isdir(new):
            total = 0
            names = sorted({f for d in (old, new) for f in os.listdir(d) if f.endswith(".json")})
            for name in names:
                a, b = os.path.join(old, name), os.path.join(new, name)
                if not os.path.exists(a) or not os.path.exists(b):
                    print("%s: only in %s" % (name, "NEW" if not os.path.exists(a) else "OLD"))
                    total += 1
                    continue
                total += compare(a, b, evidence, name + ": ")
            print("%d reports, %d verdict differences" % (len(names), total))
        elif os.path.isdir(old) or os.path.isdir(new):
            raise Unusable("%s and %s: give two reports or two directories" % (old, new))
        else:
            total = compare(old, new, evidence)
            print("%d verdict differences" % total)
    except Unusable as e:
        print("compare-verdicts: %s" % e, file=sys.stderr)
        return 2
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
