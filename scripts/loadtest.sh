#!/usr/bin/env bash
# Load benchmark of `epiledger serve` (not a test): requests per second and latency percentiles
# for reading a published bulletin and for submitting reports (each acknowledged only once
# committed), with a real load generator (wrk) against loopback.
#
#   scripts/loadtest.sh                 # 64 connections, 2 wrk threads, 10 s each
#   CONNS=64 THREADS=2 DURATION=10s scripts/loadtest.sh
#   DB=postgres://postgres@127.0.0.1:5432/epiledger_bench scripts/loadtest.sh
#
# It builds the release binary, starts the server on a temporary SQLite ledger, or on the
# PostgreSQL database DB names (a new, empty one: createdb -h 127.0.0.1 -U postgres
# epiledger_bench), filled with the shipped history, creates a reporter token for each of the
# 32 units, then runs:
#   1. GET /api/v1/bulletins/2022-04-01 (the published bulletin, Chinese text)
#   2. POST /api/v1/reports: JSON reports of the 32 units over ~4 years of days; every request
#      stores a new version (a revision with a reason once a day has been reported).
# The server and wrk share the machine's cores. Needs wrk (apt-get install -y wrk) and curl.
set -euo pipefail

cd "$(dirname "$0")/.."
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
DAY=${DAY:-2022-04-01}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }

cargo build --release -q -p epiledger
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/epiledger
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
DB=${DB:-$TMP/ledger.db}
case "$DB" in
  postgres://*|postgresql://*)
    command -v psql >/dev/null || { echo "psql is missing" >&2; exit 1; }
    [ "$(psql "$DB" -tAc "select count(*) from pg_tables where schemaname = current_schema()")" = 0 ] \
      || { echo "$DB is not empty: give a new database (createdb)" >&2; exit 1; } ;;
esac

UNITS="110000 120000 130000 140000 150000 210000 220000 230000 310000 320000 330000 340000 350000
360000 370000 410000 420000 430000 440000 450000 460000 500000 510000 520000 530000 540000 610000
620000 630000 640000 650000 660000"
TOKENS=""
for u in $UNITS; do
  t=$("$BIN" --db "$DB" token create --role reporter --unit "$u" 2>/dev/null)
  TOKENS="$TOKENS [\"$u\"] = \"$t\","
done

# Days from 2022-09-16 (after the shipped history) to yesterday.
FIRST=1663286400
NDAYS=$(( ( $(date -u +%s) - FIRST ) / 86400 - 1 ))

cat > "$TMP/submit.lua" <<EOF
local units = { $(for u in $UNITS; do printf '"%s",' "$u"; done) }
local tokens = { $TOKENS }
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
local counter = 0
local half = math.floor($NDAYS / 2)
request = function()
  counter = counter + 1
  local u = units[(counter % 32) + 1]
  -- Each wrk thread has its own half of the days; a second pass revises them (with a reason).
  local slot = math.floor(counter / 32)
  local pass = math.floor(slot / half)
  local date = os.date("!%Y-%m-%d", $FIRST + (tid * half + slot % half) * 86400)
  local n = (counter + pass) % 5
  local body = string.format(
    '{"date":"%s","unit":"%s","reason":"load test %d.%d","figures":['
    .. '{"measure":"confirmed_new","origin":"all","value":%d},'
    .. '{"measure":"confirmed_new","origin":"imported","value":1},'
    .. '{"measure":"confirmed_new","origin":"local","value":%d},'
    .. '{"measure":"deaths_new","origin":"all","value":0},'
    .. '{"measure":"discharged_new","origin":"all","value":%d}]}',
    date, u, tid, counter, n + 1, n, pass % 3)
  return wrk.format("POST", "/api/v1/reports",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[u] }, body)
end
EOF

"$BIN" --db "$DB" serve --listen 127.0.0.1:0 --rate-limit 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!
URL=
for _ in $(seq 1 600); do
  URL=$(grep -o 'http://[0-9.:]*' "$TMP/serve.out" 2>/dev/null || true)
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { cat "$TMP/serve.err" >&2; echo "the server did not start" >&2; exit 1; }
curl -sf "$URL/api/v1/bulletins/$DAY" >/dev/null

echo "== machine: $(nproc) cores, $(uname -sr); epiledger $("$BIN" --version | cut -d' ' -f2)"
echo "== 1. bulletin reads: GET /api/v1/bulletins/$DAY ($CONNS connections, $THREADS threads, $DURATION)"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$URL/api/v1/bulletins/$DAY"
echo
echo "== 2. report submissions: POST /api/v1/reports ($CONNS connections, $THREADS threads, $DURATION)"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$TMP/submit.lua" "$URL"
echo
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
echo "== after: $("$BIN" --db "$DB" audit-log verify | cut -c1-60)…"
case "$DB" in
  postgres://*|postgresql://*) STORED=$(psql "$DB" -tAc "select count(*) from reports" || echo "?") ;;
  *) STORED=$(python3 - "$DB" <<'PY' 2>/dev/null || echo "?"
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from reports").fetchone()[0])
PY
) ;;
esac
echo "== report versions stored: $STORED"
