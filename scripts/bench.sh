#!/usr/bin/env bash
# Runs every benchmark of epiledger and prints a summary (see docs/BENCHMARKS.md).
#
#   scripts/bench.sh            criterion benches + the command line timed with hyperfine
#   scripts/bench.sh --no-cli   criterion benches only
#
# - criterion (release build): parsing the corpus, importing into SQLite, reads on the full
#   history (crates/epiledger-bulletin/benches, crates/epiledger-store/benches);
# - hyperfine: `epiledger import nhc`, `show`, `series`, `export facts`, `audit` end to end with
#   target/release/epiledger. hyperfine is installed from Debian's packages if missing; failing
#   that, a plain timing loop stands in for it.
#
# The corpus is ../shared/nhc/zh relative to the workspace root, or $EPILEDGER_CORPUS. Without
# it, the parsing bench and `import nhc` are skipped. Results go to target/bench/ (logs, JSON,
# summary.md); criterion's own reports to target/criterion/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${EPILEDGER_CORPUS:-$ROOT/../shared/nhc/zh}
OUT=$ROOT/target/bench
BIN=$ROOT/target/release/epiledger
CLI=1
[[ ${1:-} == --no-cli ]] && CLI=0

mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.log "$OUT"/summary.md
START=$(date +%s)

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    lscpu | head -n 20
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

# --- criterion ----------------------------------------------------------------------------
echo
echo "== cargo bench (criterion) =="
EPILEDGER_CORPUS=$CORPUS cargo bench \
    -p epiledger-bulletin --bench parse --bench render \
    -p epiledger-store --bench import --bench read 2>&1 | tee "$OUT/cargo-bench.log"
echo "cargo bench: $(($(date +%s) - START)) s, build included" | tee -a "$OUT/machine.log"

# --- the command line -----------------------------------------------------------------------
HF=""
if ((CLI)); then
    echo
    echo "== the command line, end to end =="
    cargo build --release -p epiledger
    if ! command -v hyperfine >/dev/null; then
        echo "hyperfine is missing: installing it from Debian's packages"
        SUDO=""
        if [[ $(id -u) != 0 ]] && command -v sudo >/dev/null; then SUDO=sudo; fi
        $SUDO apt-get install -y hyperfine >/dev/null 2>&1 ||
            { $SUDO apt-get update >/dev/null 2>&1 && $SUDO apt-get install -y hyperfine >/dev/null 2>&1; } ||
            echo "could not install hyperfine: timing with a plain loop instead"
    fi
    command -v hyperfine >/dev/null && HF=$(command -v hyperfine)

    IGNORE=0
    TMP=$(mktemp -d)
    trap 'rm -rf "$TMP"' EXIT

    # time NAME WARMUP RUNS [PREPARE] -- COMMAND…: hyperfine, or a loop; JSON to $OUT/cli-NAME.json
    time_cli() {
        local name=$1 warmup=$2 runs=$3 prepare=$4
        shift 5
        local json=$OUT/cli-$name.json
        if [[ -n $HF ]]; then
            local args=(-N --style basic --warmup "$warmup" --runs "$runs" --export-json "$json"
                        --command-name "$name")
            [[ -n $prepare ]] && args+=(--prepare "$prepare")
            ((IGNORE)) && args+=(--ignore-failure)
            hyperfine "${args[@]}" "$*"
        else
            python3 - "$json" "$name" "$warmup" "$runs" "$prepare" "$@" <<'PY'
import json, shlex, subprocess, sys, time
path, name, warmup, runs, prepare, cmd = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6:]
times = []
for i in range(warmup + runs):
    if prepare:
        subprocess.run(shlex.split(prepare), check=True)
    t = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if i >= warmup:
        times.append(time.perf_counter() - t)
s = sorted(times)
print(f"{name}: median {s[len(s)//2]*1e3:.1f} ms over {runs} runs (plain loop)")
json.dump({"results": [{"command": name, "times": times, "median": s[len(s)//2]}]}, open(path, "w"))
PY
        fi
    }

    if [[ -d $CORPUS ]]; then
        # One run first, to see that the import succeeds and what it says: a non-zero exit
        # (unplaced numbers, files that do not parse) is reported and then timed all the same.
        rc=0
        "$BIN" --db "$TMP/check.db" import nhc "$CORPUS" >"$OUT/import.log" 2>"$OUT/import-stderr.log" || rc=$?
        echo "import nhc: $(cat "$OUT/import.log"); exit $rc; $(wc -l <"$OUT/import-stderr.log") lines on standard error" |
            tee -a "$OUT/machine.log"
        ((rc == 0)) || IGNORE=1
        time_cli import_nhc 1 10 "rm -f $TMP/import.db $TMP/import.db-wal $TMP/import.db-shm" -- \
            "$BIN" --db "$TMP/import.db" import nhc "$CORPUS"
        IGNORE=0
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

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.log"
echo "wall time of scripts/bench.sh: $(($(date +%s) - START)) s" | tee -a "$OUT/machine.log"

# --- the summary ----------------------------------------------------------------------------
python3 - "$ROOT" "$OUT" "$CORPUS" "${HF:-plain loop}" <<'PY' | tee "$OUT/summary.md"
import json, math, os, re, sys

root, out, corpus, timer = sys.argv[1:5]
crit = os.path.join(root, "target", "criterion")
log = open(os.path.join(out, "cargo-bench.log"), encoding="utf-8").read()

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
        if bench:
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
for name in ("import_nhc", "first_show", "start_no_db", "show", "series", "series_province", "export_facts", "audit"):
    path = os.path.join(out, f"cli-{name}.json")
    if not os.path.exists(path):
        continue
    times = sorted(json.load(open(path))["results"][0]["times"])
    q = lambda f: times[min(len(times), max(1, math.ceil(len(times) * f))) - 1]
    cli[name] = {"n": len(times), "median": q(0.5) * 1e9, "p99": q(0.99) * 1e9, "min": times[0] * 1e9, "max": times[-1] * 1e9}
if cli:
    print()
    print(f"## The command line, end to end ({timer})")
    print()
    print("| command | runs | median | p99 | min – max |")
    print("|---|---|---|---|---|")
    for name, r in cli.items():
        print(f"| {name} | {r['n']} | {fmt(r['median'])} | {fmt(r['p99'])} | {fmt(r['min'])} – {fmt(r['max'])} |")

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
for name in ("show", "series"):
    if name in cli:
        r = cli[name]
        print(f"- `epiledger {name}`: median {fmt(r['median'])}, p99 {fmt(r['p99'])}: "
              f"{verdict(r['p99'] < 100e6)} (target: milliseconds, taken as p99 < 100 ms)")
PY
