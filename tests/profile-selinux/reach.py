#!/usr/bin/python3
"""What sesearch would answer, for many domains at once: the policy is loaded
once through setools (the library under sesearch; run with sesearch's own
interpreter).  Prints one line per domain and permission:
  DOMAIN read|write TYPE TYPE ...
the file types (attributes expanded) the domain may read or write files or
block devices of.  Also "DOMAIN rules N" and "DOMAIN own N": the count of
allow rules "sesearch -A -s DOMAIN" and "sesearch -A -s DOMAIN -ds" list.
Usage: reach.py POLICY DOMAIN..."""
import sys

import setools


def main():
    p = setools.SELinuxPolicy(sys.argv[1])
    for dom in sys.argv[2:]:
        for perm in ("read", "write"):
            types = set()
            q = setools.TERuleQuery(p, ruletype=["allow"], source=dom, tclass=["file", "blk_file"], perms=[perm])
            for r in q.results():
                t = r.target
                try:
                    types.update(str(x) for x in t.expand())
                except (AttributeError, TypeError):
                    types.add(str(t))
            print(dom, perm, " ".join(sorted(types)))
        print(dom, "rules", sum(1 for _ in setools.TERuleQuery(p, ruletype=["allow"], source=dom).results()))
        print(dom, "own", sum(1 for _ in setools.TERuleQuery(p, ruletype=["allow"], source=dom,
                                                             source_indirect=False).results()))


if __name__ == "__main__":
    main()
