#!/usr/bin/env bash
# The API contract: schemathesis (PyPI) with every check, against a live `epiledger serve` on a
# fresh ledger (the shipped history), as the public and with a reporter, a compiler and an admin
# token. Fails on any failure or server error.
#
#   tests/contract/run.sh                      # builds the release binary, makes a venv
#   BIN=target/release/epiledger MAX_EXAMPLES=50 tests/contract/run.sh
#
# The virtual environment is target/contract-venv (schemathesis pinned below).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
MAX_EXAMPLES=${MAX_EXAMPLES:-40}
PORT=${PORT:-18181}
VENV=${VENV:-$PWD/target/contract-venv}

if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "== installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p epiledger
  BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/epiledger
fi

TMP=${KEEP_DIR:-$(mktemp -d)}
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  [ -n "${KEEP_DIR:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
DB=$TMP/ledger.db
ADMIN=$("$BIN" --db "$DB" token create --role admin 2>/dev/null | head -1)
REPORTER=$("$BIN" --db "$DB" token create --role reporter --unit 110000 2>/dev/null | head -1)
COMPILER=$("$BIN" --db "$DB" token create --role compiler 2>/dev/null | head -1)
"$BIN" --db "$DB" serve --listen "127.0.0.1:$PORT" --rate-limit 0 >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done

status=0
for role in public reporter compiler admin; do
  case $role in
    public) auth=() ;;
    reporter) auth=(-H "Authorization: Bearer $REPORTER") ;;
    compiler) auth=(-H "Authorization: Bearer $COMPILER") ;;
    admin) auth=(-H "Authorization: Bearer $ADMIN") ;;
  esac
  echo "== schemathesis as $role"
  out=$TMP/$role.txt
  if "$VENV/bin/schemathesis" --config-file tests/contract/schemathesis.toml run \
      "http://127.0.0.1:$PORT/api/v1/openapi.json" \
      --checks all --max-examples "$MAX_EXAMPLES" --seed 1 --workers 1 \
      --suppress-health-check all --warnings off "${auth[@]}" >"$out" 2>&1; then
    echo "$role: $(grep -E '^=+ .* in [0-9.]+s =+$' "$out" | tail -1)"
  else
    status=1
    # The failures, one line each (the bodies can be megabytes).
    grep -E '^_{3,} |^- ST|^    (Invalid|Expected|Valid|Got)|^\[[0-9]{3}\]' "$out" | cut -c1-300
    grep -E '^\s+[❌✅].*(generated|failure)|^=+ .* in [0-9.]+s' "$out" | tail -2
    echo "$role: FAILED"
  fi
done
if grep -qi "panicked\|a handler panicked" "$TMP/serve.log"; then
  echo "the server logged a panic:" >&2
  grep -i "panic" "$TMP/serve.log" >&2
  status=1
fi
exit $status
