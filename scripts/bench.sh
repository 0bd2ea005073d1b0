#!/usr/bin/env bash
# Reproduces every figure of docs/BENCHMARKS.md from the committed tree, in one run.
#
#   scripts/bench.sh                 every section below, in this order
#   scripts/bench.sh cli rt          only the sections named
#
# Sections:
#   criterion  the criterion benches (release): parsing the corpus and the English and Chinese
#              renderings, rendering, importing into SQLite, the reads on the full history
#   cli        the command line end to end with hyperfine: `import nhc` side by side with
#              python3 finding the corpus's digit runs (scripts/digits.py), `bulletin --check`,
#              a first command on a new database, `show`, `series`, `export facts`, `audit`
#   server     `epiledger serve` under load with wrk (scripts/loadtest.sh), on SQLite, then on a
#              new PostgreSQL database when psql and the local server are there
#   postgres   the PostgreSQL store beside SQLite (crates/epiledger-store-postgres/tests/
#              postgres_bench.rs; EPILEDGER_TEST_POSTGRES_URL, default the local `test`)
#   dashboard  the dashboard's first load in Chromium (tests/e2e/bench.mjs, 9 cold runs)
#   rt         Rt: the criterion bench, then EpiEstim side by side (scripts/rt-vs-epiestim.sh)
#   cases      the case register against DuckDB (scripts/cases-bench.sh)
#
# The corpus is ../shared/nhc/zh relative to the workspace root, or $EPILEDGER_CORPUS; without
# it, what needs it is skipped. Each section's log goes to target/bench/<section>.log, the
# criterion and command-line summary to target/bench/summary.md; criterion's reports to
# target/criterion/. Tools a section needs (hyperfine, wrk, r-cran-epiestim, chromium) are
# installed from Debian's packages when missing. Run it on an idle machine: every figure is a
# time on this machine's two cores.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${EPILEDGER_CORPUS:-$ROOT/../shared/nhc/zh}
OUT=$ROOT/target/bench
BIN=$ROOT/target/release/epiledger
ALL=(criterion cli server postgres dashboard rt cases)
SECTIONS=("$@")
((${#SECTIONS[@]})) || SECTIONS=("${ALL[@]}")
for s in "${SECTIONS[@]}"; do
    [[ " ${ALL[*]} " == *" $s "* ]] || { echo "unknown section $s (sections: ${ALL[*]})" >&2; exit 2; }
done
want() { [[ " ${SECTIONS[*]} " == *" $1 "* ]]; }

SUDO=""
if [[ $(id -u) != 0 ]] && command -v sudo >/dev/null; then SUDO=sudo; fi
# need COMMAND PACKAGE: installs PACKAGE from Debian's packages when COMMAND is missing.
need() {
    command -v "$1" >/dev/null && return 0
    echo "$1 is missing: installing $2 from Debian's packages"
    $SUDO apt-get install -y -q "$2" >/dev/null 2>&1 ||
        { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q "$2" >/dev/null 2>&1; }
    command -v "$1" >/dev/null
}

mkdir -p "$OUT"
START=$(date +%s)

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "sections: ${SECTIONS[*]}"
    echo "nproc: $(nproc)"
    lscpu | grep -E "^(Architecture|Model name|CPU\(s\)|Thread|Core|Socket|Hypervisor|L1d|L2|L3)" || true
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel: $(uname -sr)"
    echo "rustc: $(rustc --version)"
    if REV=$(git rev-parse --short HEAD 2>/dev/null); then
        git diff --quiet HEAD 2>/dev/null || REV="$REV (working tree modified)"
    else
        REV=${EPILEDGER_BENCH_REV:-unknown}
    fi
    echo "commit: $REV"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.log"

if [[ -d $CORPUS ]]; then
    echo "corpus: $CORPUS ($(find "$CORPUS" -maxdepth 1 -name '*.txt' | wc -l) files)"
else
    echo "corpus: none at $CORPUS; parsing and import nhc are skipped"
fi
cargo build --release -q -p epiledger

# --- criterion ----------------------------------------------------------------------------
echo
echo "== cargo bench (criterion) =="
if want criterion; then
    rm -f "$OUT/cargo-bench.log"
    EPILEDGER_CORPUS=$CORPUS cargo bench \
        -p epiledger-bulletin --bench parse --bench render \
        -p epiledger-store-sqlite --bench import --bench read 2>&1 | tee "$OUT/cargo-bench.log"
    echo "cargo bench: $(($(date +%s) - START)) s, build included" | tee -a "$OUT/machine.log"
fi

# --- the command line -----------------------------------------------------------------------
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if want cli; then
    echo
    echo "== the command line, end to end (hyperfine) =="
    need hyperfine hyperfine
    rm -f "$OUT"/cli-*.json

    # time_cli NAME WARMUP RUNS PREPARE -- COMMAND…: hyperfine's JSON to $OUT/cli-NAME.json
    time_cli() {
        local name=$1 warmup=$2 runs=$3 prepare=$4
        shift 5
        local args=(-N --style basic --warmup "$warmup" --runs "$runs"
                    --export-json "$OUT/cli-$name.json" --command-name "$name")
        [[ -n $prepare ]] && args+=(--prepare "$prepare")
        hyperfine "${args[@]}" "$*"
    }

    if [[ -d $CORPUS ]]; then
        # One run first, to see that the import succeeds and what it says.
        "$BIN" --db "$TMP/check.db" import nhc "$CORPUS" >"$OUT/import.log" 2>"$OUT/import-stderr.log"
        echo "import nhc: $(cat "$OUT/import.log"); $(wc -l <"$OUT/import-stderr.log") lines on standard error" |
            tee -a "$OUT/machine.log"
        echo "digits.py: $(python3 scripts/digits.py "$CORPUS")" | tee -a "$OUT/machine.log"
        # Side by side in one hyperfine run: the least any importer must do (python3 reading the
        # 969 files and finding their digit runs), and the import into a new database.
        hyperfine -N --style basic --warmup 2 --runs 20 --export-json "$OUT/cli-import_vs_python.json" \
            --prepare "rm -f $TMP/import.db $TMP/import.db-wal $TMP/import.db-shm" \
            --command-name python3_digits "python3 scripts/digits.py $CORPUS" \
            --command-name import_nhc "$BIN --db $TMP/import.db import nhc $CORPUS"
        time_cli bulletin_check 2 20 "" -- "$BIN" bulletin --check "$CORPUS"
    fi
    # A command on a new database first fills it with the shipped history.
    time_cli first_show 1 10 "rm -f $TMP/seed.db $TMP/seed.db-wal $TMP/seed.db-shm" -- \
        "$BIN" --db "$TMP/seed.db" show 2020-06-19
    # The cost of starting the program at all: a command that opens no database.
    time_cli start_no_db 5 100 "" -- "$BIN" measures
    # The reads, on a database filled by a first run.
    "$BIN" --db "$TMP/read.db" show 2020-06-19 >/dev/null
    time_cli show 5 100 "" -- "$BIN" --db "$TMP/read.db" show 2020-06-19
    time_cli series 5 100 "" -- "$BIN" --db "$TMP/read.db" series --measure confirmed_new
    time_cli series_province 5 100 "" -- \
        "$BIN" --db "$TMP/read.db" series --measure confirmed_new --region 420000
    time_cli export_facts 2 20 "" -- "$BIN" --db "$TMP/read.db" export facts
    time_cli audit 2 20 "" -- "$BIN" --db "$TMP/read.db" audit
fi

# --- the server under load ------------------------------------------------------------------
if want server; then
    echo
    echo "== epiledger serve under load (wrk) =="
    need wrk wrk
    echo "-- SQLite" | tee "$OUT/server.log"
    scripts/loadtest.sh 2>&1 | tee -a "$OUT/server.log"
    if command -v psql >/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        PGDB=epiledger_bench_$$
        psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $PGDB" >/dev/null
        echo "-- PostgreSQL ($(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'show server_version'))" | tee -a "$OUT/server.log"
        DB=postgres://postgres@127.0.0.1:5432/$PGDB scripts/loadtest.sh 2>&1 | tee -a "$OUT/server.log" || true
        psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database $PGDB" >/dev/null || true
    else
        echo "-- PostgreSQL: no server at 127.0.0.1:5432, skipped" | tee -a "$OUT/server.log"
    fi
fi

# --- the PostgreSQL store ---------------------------------------------------------------------
if want postgres; then
    echo
    echo "== the PostgreSQL store beside SQLite =="
    EPILEDGER_TEST_POSTGRES_URL=${EPILEDGER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test} \
        cargo test --release -q -p epiledger-store-postgres --test postgres_bench -- --ignored --nocapture \
        2>&1 | tee "$OUT/postgres.log"
    need hyperfine hyperfine
    PGDB=epiledger_bench_cli_$$
    PGURL=postgres://postgres@127.0.0.1:5432/$PGDB
    psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $PGDB" >/dev/null
    "$BIN" --db "$PGURL" show 2020-06-19 >/dev/null
    "$BIN" --db "$TMP/pgsrc.db" show 2020-06-19 >/dev/null
    {
        hyperfine -N --style basic --warmup 3 --runs 30 \
            -n "show (PostgreSQL)" "$BIN --db $PGURL show 2020-06-19" \
            -n "series (PostgreSQL)" "$BIN --db $PGURL series --measure confirmed_new"
        if [[ -d $CORPUS ]]; then
            hyperfine -N --style basic --warmup 1 --runs 10 \
                --prepare "psql -h 127.0.0.1 -U postgres -d $PGDB -qc 'drop schema public cascade; create schema public'" \
                -n "import nhc (PostgreSQL, new schema)" "$BIN --db $PGURL import nhc $CORPUS" \
                -n "copy sqlite → PostgreSQL (new schema)" "$BIN copy --from sqlite:$TMP/pgsrc.db --to $PGURL"
        fi
    } 2>&1 | tee -a "$OUT/postgres.log"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database $PGDB" >/dev/null || true
fi

# --- the dashboard's first load ---------------------------------------------------------------
if want dashboard; then
    echo
    echo "== the dashboard's first load (Chromium) =="
    need chromium chromium
    (cd tests/e2e && { [[ -d node_modules ]] || npm ci --silent; })
    node tests/e2e/bench.mjs --runs 9 2>&1 | tee "$OUT/dashboard.log"
fi

# --- Rt against EpiEstim ----------------------------------------------------------------------
if want rt; then
    echo
    echo "== Rt: criterion, then EpiEstim side by side =="
    need Rscript r-cran-epiestim
    need hyperfine hyperfine
    cargo bench -p epiledger-analytics --bench rt 2>&1 | tee "$OUT/rt.log"
    scripts/rt-vs-epiestim.sh --bench 2>&1 | tee -a "$OUT/rt.log"
fi

# --- the case register ------------------------------------------------------------------------
if want cases; then
    echo
    echo "== the case register against DuckDB =="
    scripts/cases-bench.sh "$ROOT/target/cases-bench" 2>&1 | tee "$OUT/cases.log"
fi

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.log"
echo "wall time of scripts/bench.sh: $(($(date +%s) - START)) s" | tee -a "$OUT/machine.log"

# --- the summary ----------------------------------------------------------------------------
python3 - "$ROOT" "$OUT" "$CORPUS" hyperfine <<'PY' | tee "$OUT/summary.md"
import json, math, os, re, sys

root, out, corpus, timer = sys.argv[1:5]
crit = os.path.join(root, "target", "criterion")
try:
    log = open(os.path.join(out, "cargo-bench.log"), encoding="utf-8").read()
except OSError:
    log = ""

def fmt(ns):
    if ns is None:
        return "–"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"

def criterion(bench):
    d = os.path.join(crit, bench, "new")
    try:
        est = json.load(open(os.path.join(d, "estimates.json")))
        sample = json.load(open(os.path.join(d, "sample.json")))
        meta = json.load(open(os.path.join(d, "benchmark.json")))
    except OSError:
        return None
    per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
    return {
        "median": est["median"]["point_estimate"],
        "lo": min(per_iter),
        "hi": max(per_iter),
        "throughput": (meta.get("throughput") or {}).get("Elements"),
    }

latency = {}
for m in re.finditer(r"^latency (\S+) n=(\d+) median_us=([\d.]+) p99_us=([\d.]+) max_us=([\d.]+)", log, re.M):
    latency[m[1]] = {"n": int(m[2]), "median": float(m[3]) * 1e3, "p99": float(m[4]) * 1e3, "max": float(m[5]) * 1e3}

corpus_bytes = None
if m := re.search(r"^corpus (\d+) bulletins, (\d+) bytes", log, re.M):
    corpus_bytes = int(m[2])

print("## Machine")
print()
print("```")
print(open(os.path.join(out, "machine.log"), encoding="utf-8").read().rstrip())
print("```")
print()
print("## Criterion (release build, in process)")
print()
print("| benchmark | median | samples min–max | per-call p99 (n) | throughput |")
print("|---|---|---|---|---|")
rows = [
    ("parse/corpus", "parse/bulletin", "bulletins"),
    ("parse/zh_renderings", None, "bulletins"),
    ("parse/en_renderings", None, "reports"),
    ("render/all_days_zh", None, "days"),
    ("render/all_days_en", None, "days"),
    ("render_one/build", None, None),
    ("render_one/text_zh", None, None),
    ("render_one/text_en", None, None),
    ("render_one/json", None, None),
    ("render_one/html", None, None),
    ("render_one/md", None, None),
    ("import/put_days_new", "import/put_days_new", "days"),
    ("import/put_days_unchanged", None, "days"),
    ("import/open_new", None, None),
    ("history/load", None, "days"),
    ("read/day", "read/day", None),
    (None, "read/day_all_dates", None),
    ("read/open_filled", "read/open_filled", None),
    ("read/is_empty", None, None),
    ("read/series_nation", "read/series_nation", "points"),
    ("read/series_province", "read/series_province", "points"),
    ("read/facts_all", "read/facts_all", "facts"),
    ("read/days_all", None, "days"),
    ("audit/ledger", None, "days"),
    ("audit/from_store", "audit/from_store", "days"),
]
results = {}
for bench, probe, unit in rows:
    c = criterion(bench) if bench else None
    p = latency.get(probe) if probe else None
    if c is None and p is None:
        if bench and log:
            print(f"| {bench} | skipped | | | |")
        continue
    results[bench or probe] = (c, p)
    thr = ""
    if c and c["throughput"] and unit:
        thr = f"{c['throughput'] / (c['median'] / 1e9):,.0f} {unit}/s"
        if bench == "parse/corpus" and corpus_bytes:
            thr += f", {corpus_bytes / (c['median'] / 1e9) / 1e6:.1f} MB/s"
    pcol = f"{fmt(p['p99'])} ({p['n']})" if p else "–"
    if c:
        print(f"| {bench} | {fmt(c['median'])} | {fmt(c['lo'])} – {fmt(c['hi'])} | {pcol} | {thr} |")
    else:
        print(f"| {probe} (per call) | {fmt(p['median'])} | – | {pcol} | |")
print()
for line in re.findall(r"^(corpus .*|store: .*|shipped history: .*|slowest .*)$", log, re.M):
    print(f"    {line}")

cli = {}
names = ("import_vs_python", "bulletin_check", "first_show", "start_no_db", "show", "series",
         "series_province", "export_facts", "audit")
for name in names:
    path = os.path.join(out, f"cli-{name}.json")
    if not os.path.exists(path):
        continue
    for res in json.load(open(path))["results"]:
        times = sorted(res["times"])
        user = res.get("user")
        q = lambda f: times[min(len(times), max(1, math.ceil(len(times) * f))) - 1]
        cli[res["command"]] = {"n": len(times), "median": q(0.5) * 1e9, "p99": q(0.99) * 1e9,
                               "min": times[0] * 1e9, "max": times[-1] * 1e9,
                               "cpu": (res.get("user", 0) + res.get("system", 0)) * 1e9}
if cli:
    print()
    print(f"## The command line, end to end ({timer})")
    print()
    print("| command | runs | median | p99 | min – max | mean CPU (user + system) |")
    print("|---|---|---|---|---|---|")
    for name, r in cli.items():
        print(f"| {name} | {r['n']} | {fmt(r['median'])} | {fmt(r['p99'])} | {fmt(r['min'])} – {fmt(r['max'])} | {fmt(r['cpu'])} |")

print()
print("## Targets")
print()
def verdict(ok):
    return "MET" if ok else "NOT MET"
imp = results.get("import/put_days_new", (None, None))[0]
if imp:
    print(f"- import of the 969 days (put_days, file-backed SQLite): median {fmt(imp['median'])}: "
          f"{verdict(imp['median'] < 0.5e9)} (target: well under 1 s, taken as < 0.5 s)")
if "import_nhc" in cli:
    r = cli["import_nhc"]
    print(f"- `epiledger import nhc` of the 969 bulletins (read, parse, store): median {fmt(r['median'])}, "
          f"max {fmt(r['max'])}: {verdict(r['median'] < 0.5e9)} (target: well under 1 s, taken as < 0.5 s)")
    if "python3_digits" in cli:
        p = cli["python3_digits"]
        ratio = r["median"] / p["median"]
        print(f"- the import beside python3 finding the corpus's digit runs (median {fmt(p['median'])}, same run): "
              f"{ratio:.2f}×: {verdict(ratio <= 1.0)} (aim: within 1×)")
for name in ("show", "series"):
    if name in cli:
        r = cli[name]
        print(f"- `epiledger {name}`: median {fmt(r['median'])}, p99 {fmt(r['p99'])}: "
              f"{verdict(r['p99'] < 100e6)} (target: milliseconds, taken as p99 < 100 ms)")
PY
