#!/usr/bin/env bash
# The case register's benchmark (docs/BENCHMARKS.md, "The case register"), in one run:
#
# 1. `simulate` writes the whole history (2020-01-20 … 2022-09-14) as events to a CSV file;
# 2. `check` imports the file into a new register (every event validated and applied, the
#    figures of every day derived) and compares them with the shipped history: events/s, and
#    peak memory by /usr/bin/time -v;
# 3. DuckDB (the PyPI wheel, in a venv under target/) reads the same file into a table and
#    groups it by day, province, origin and kind (scripts/cases-duckdb.py).
#
#   scripts/cases-bench.sh [DIR]     files and logs go to DIR (default target/cases-bench)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${1:-$ROOT/target/cases-bench}
mkdir -p "$OUT"
FILE=$OUT/history.csv

echo "== build (release, -j1)"
cargo build -j1 --release -p epiledger-register --example simulate --example check 2>&1 | tail -1

TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
  apt-get install -y -q time >/dev/null
fi

echo "== simulate the whole history"
"$TIME" -v "$ROOT/target/release/examples/simulate" --out "$FILE" 2>"$OUT/simulate.time" | tee "$OUT/simulate.out"
grep -E "Elapsed|Maximum resident" "$OUT/simulate.time"
ls -l "$FILE" | awk '{printf "file: %.2f GB, ", $5/1e9}'
echo "$(($(wc -l <"$FILE") - 1)) rows"

echo "== import and derive (check)"
set +e
"$TIME" -v "$ROOT/target/release/examples/check" "$FILE" >"$OUT/check.out" 2>"$OUT/check.time"
status=$?
set -e
grep -v "^[0-9]\{4\}-" "$OUT/check.out" | tail -3
grep -E "Elapsed|Maximum resident|Percent of CPU" "$OUT/check.time"
if [ "$status" -ne 0 ]; then
  echo "check exited $status"
fi

echo "== DuckDB: read the same file into a table, group by day, province, origin and kind"
VENV=$ROOT/target/duckdb-venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q duckdb
fi
"$TIME" -v "$VENV/bin/python" scripts/cases-duckdb.py "$FILE" --threads 2 >"$OUT/duckdb.out" 2>"$OUT/duckdb.time"
cat "$OUT/duckdb.out"
grep -E "Elapsed|Maximum resident|Percent of CPU" "$OUT/duckdb.time"

echo "== commit $(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
