#!/usr/bin/env python3
"""The floor of any importer of the corpus: read every bulletin and find its digit runs.

    python3 scripts/digits.py ../shared/nhc/zh

scripts/bench.sh times it side by side with `epiledger import nhc` (issue #10's yardstick):
whatever an importer does, it must at least read the files and find their numbers.
"""

import pathlib
import re
import sys

DIGITS = re.compile(r"\d+")


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: digits.py CORPUS_DIR", file=sys.stderr)
        return 2
    files = sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))
    runs = sum(len(DIGITS.findall(f.read_text(encoding="utf-8"))) for f in files)
    print(f"{len(files)} files, {runs} digit runs")
    return 0 if files else 1


if __name__ == "__main__":
    sys.exit(main())
