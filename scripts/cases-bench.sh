#!/usr/bin/env bash
# The case register's benchmark (docs/BENCHMARKS.md, "The case register"), in one run:
#
# 1. `epiledger cases simulate` writes the whole history (2020-01-20 … 2022-09-14) as events
#    to a CSV file;
# 2. `epiledger cases import` imports it into a new SQLite ledger (which holds the shipped
#    history, as every new ledger does): every event validated and applied, the figures of
#    every day derived, the batch stored durably (committed) with its audit entry: events/s,
#    and peak memory by /usr/bin/time -v;
# 3. `epiledger cases check` replays the stored events and compares the derived figures with
#    the ledger (0 differences expected);
# 4. DuckDB (the PyPI wheel, in a venv under target/) reads the same file into a table and
#    groups it by day, province, origin and kind (scripts/cases-duckdb.py).
#
#   scripts/cases-bench.sh [DIR]     files and logs go to DIR (default target/cases-bench)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${1:-$ROOT/target/cases-bench}
mkdir -p "$OUT"
FILE=$OUT/history.csv
DB=$OUT/ledger.db
BIN=$ROOT/target/release/epiledger

echo "== build (release, -j1)"
cargo build -j1 --release -p epiledger 2>&1 | tail -1

TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
  apt-get install -y -q time >/dev/null
fi

echo "== simulate the whole history"
"$TIME" -v "$BIN" cases simulate --out "$FILE" 2>"$OUT/simulate.time" | tee "$OUT/simulate.out"
grep -E "Elapsed|Maximum resident" "$OUT/simulate.time"
ls -l "$FILE" | awk '{printf "file: %.2f GB, ", $5/1e9}'
echo "$(($(wc -l <"$FILE") - 1)) rows"

sync  # the file written, so that its write-back does not fall into the import's time
echo "== import into a new ledger: validate, derive, store (durable)"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" --db "$DB" migrate >/dev/null 2>&1
"$TIME" -v "$BIN" --db "$DB" cases import "$FILE" >"$OUT/import.out" 2>"$OUT/import.time"
cat "$OUT/import.out"
grep -E "Elapsed|Maximum resident|Percent of CPU" "$OUT/import.time"
ls -l "$DB" | awk '{printf "ledger: %.2f GB\n", $5/1e9}'

echo "== check: replay the stored events, compare with the ledger"
set +e
"$TIME" -v "$BIN" --db "$DB" cases check >"$OUT/check.out" 2>"$OUT/check.time"
status=$?
set -e
grep -v "^[0-9]\{4\}-[0-9-]* [0-9]" "$OUT/check.out" | tail -3
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
