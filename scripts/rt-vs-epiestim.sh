#!/usr/bin/env bash
# Rt from epiledger-analytics and from EpiEstim 2.2-4, side by side on the same inputs, and the
# largest relative differences between them.
#
#   scripts/rt-vs-epiestim.sh                    # compare on the fixture inputs
#   scripts/rt-vs-epiestim.sh --update-fixtures  # rewrite the inputs and EpiEstim's outputs in
#                                                # crates/epiledger-analytics/tests/fixtures/
#   scripts/rt-vs-epiestim.sh --bench            # also time every region's whole history (see
#                                                # docs/BENCHMARKS.md)
#
# Our side is the crate's example binary `rt` (later: `epiledger analytics rt --incidence`; set
# OURS to a command that reads a CSV file argument and prints the same columns). The inputs are
# the shipped history's confirmed_new by origin, written by the example `incidence` (origins
# and implied zeros as in epiledger_analytics::input), on ranges without an absent day, and our
# own incidence file with imported cases. Needs Rscript and r-cran-epiestim (apt-get install -y
# r-cran-epiestim), and hyperfine for --bench.
set -euo pipefail
cd "$(dirname "$0")/.."

update=0; bench=0
for a in "$@"; do
  case "$a" in
    --update-fixtures) update=1 ;;
    --bench) bench=1 ;;
    *) echo "unknown argument $a" >&2; exit 2 ;;
  esac
done

command -v Rscript >/dev/null || { echo "Rscript is missing: apt-get install -y r-cran-epiestim" >&2; exit 1; }
version=$(Rscript -e 'cat(as.character(packageVersion("EpiEstim")))' 2>/dev/null)
echo "EpiEstim $version ($(Rscript --version 2>&1 | head -n1))"
[ "$version" = "2.2.4" ] || echo "warning: the reference is EpiEstim 2.2-4, this is $version" >&2

cargo build -j1 --release -q -p epiledger-analytics --examples
examples=target/release/examples
OURS=${OURS:-$examples/rt}
fixtures=crates/epiledger-analytics/tests/fixtures
work=target/rt-vs-epiestim
rm -rf "$work"; mkdir -p "$work/in" "$work/epiestim" "$work/ours"

# name region from to
series=(
  "national 100000 - -"
  "hubei 420000 2020-02-01 2020-04-30"
  "shanghai 310000 2020-05-02 2022-09-14"
  "jilin 220000 2020-05-02 2022-09-14"
)
for s in "${series[@]}"; do
  read -r name region from to <<<"$s"
  range=()
  [ "$from" = - ] || range+=(--from "$from")
  [ "$to" = - ] || range+=(--to "$to")
  "$examples/incidence" "$region" "${range[@]}" > "$work/in/$name.csv"
  if grep -q ',,$' "$work/in/$name.csv"; then
    echo "$name: the input has absent days; EpiEstim would read them as 0" >&2; exit 1
  fi
done
cp "$fixtures/own-imported.input.csv" "$work/in/own-imported.csv"

Rscript scripts/rt-epiestim.R --out "$work/epiestim" "$work"/in/*.csv 2> "$work/epiestim.log" \
  || { cat "$work/epiestim.log" >&2; exit 1; }
for f in "$work"/in/*.csv; do
  $OURS "$f" > "$work/ours/$(basename "$f")"
done

python3 - "$work" <<'PY'
import csv, sys, os
work = sys.argv[1]
cols = ["mean", "std", "q025", "q05", "q25", "median", "q75", "q95", "q975"]
worst = {"mean/std": 0.0, "quantiles": 0.0}
print(f"{'series':<14}{'windows':>8}{'max rel. diff mean/std':>25}{'max rel. diff quantiles':>26}")
bad = False
for name in sorted(os.listdir(f"{work}/in")):
    ref = list(csv.DictReader(open(f"{work}/epiestim/{name}")))
    ours = [r for r in csv.DictReader(open(f"{work}/ours/{name}")) if r["mean"] != ""]
    if [r["date"] for r in ref] != [r["date"] for r in ours]:
        print(f"{name}: the windows differ"); bad = True; continue
    ms = qs = 0.0
    for a, b in zip(ours, ref):
        for c in cols:
            x, y = float(a[c]), float(b[c])
            d = abs(x - y) / abs(y)
            if c in ("mean", "std"): ms = max(ms, d)
            else: qs = max(qs, d)
    worst["mean/std"] = max(worst["mean/std"], ms); worst["quantiles"] = max(worst["quantiles"], qs)
    print(f"{name[:-4]:<14}{len(ref):>8}{ms:>25.3e}{qs:>26.3e}")
ok = worst["mean/std"] <= 1e-9 and worst["quantiles"] <= 1e-6 and not bad
print(f"tolerance: mean/std 1e-9, quantiles 1e-6: {'met' if ok else 'NOT MET'}")
sys.exit(0 if ok else 1)
PY

if [ "$update" = 1 ]; then
  for f in "$work"/in/*.csv; do
    name=$(basename "$f" .csv)
    [ "$name" = own-imported ] || cp "$f" "$fixtures/$name.input.csv"
    cp "$work/epiestim/$name.csv" "$fixtures/$name.epiestim.csv"
  done
  echo "fixtures written to $fixtures"
fi

if [ "$bench" = 1 ]; then
  command -v hyperfine >/dev/null || apt-get install -y -q hyperfine >/dev/null
  mkdir -p "$work/all" "$work/all-out" "$work/all-ours"
  # Every region's whole history (the nation, the 31 provinces and the XPCC); absent days are
  # given to EpiEstim as 0, which it reads them as anyway (our side keeps them absent).
  for r in 100000 110000 120000 130000 140000 150000 210000 220000 230000 310000 320000 330000 \
           340000 350000 360000 370000 410000 420000 430000 440000 450000 460000 500000 510000 \
           520000 530000 540000 610000 620000 630000 640000 650000 660000; do
    "$examples/incidence" "$r" | sed 's/,,$/,0,0/' > "$work/all/$r.csv"
  done
  echo "EpiEstim, 33 regions, inside R (estimate_R calls only):"
  Rscript scripts/rt-epiestim.R --out "$work/all-out" "$work"/all/*.csv 2>&1 | grep estimate_R
  echo "epiledger-analytics, 33 regions, inside the process (estimate_rt calls only):"
  $examples/rt --out "$work/all-ours" "$work"/all/*.csv 2>&1 | grep estimate_rt
  hyperfine -N --warmup 1 --runs 5 --export-json "$work/hyperfine.json" \
    -n "EpiEstim (Rscript), 33 regions" \
    "Rscript scripts/rt-epiestim.R --out $work/all-out $(echo "$work"/all/*.csv)" \
    -n "epiledger-analytics (example rt), 33 regions" \
    "$examples/rt --out $work/all-ours $(echo "$work"/all/*.csv)"

  # Through the API: GET /api/v1/analytics/rt of each region's whole history, one request at a
  # time on one connection, on a new ledger (the shipped history), after a warm-up round (which
  # builds the kept ledger).
  cargo build -j1 --release -q -p epiledger
  bin=${CARGO_TARGET_DIR:-target}/release/epiledger
  rm -rf "$work/api"; mkdir -p "$work/api"
  "$bin" --db "$work/api/ledger.db" show 2020-06-19 >/dev/null 2>&1
  "$bin" --db "$work/api/ledger.db" serve --listen 127.0.0.1:0 --rate-limit 0 \
    >"$work/api/serve.out" 2>"$work/api/serve.log" &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do grep -q http "$work/api/serve.out" 2>/dev/null && break; sleep 0.1; done
  base=$(grep -o 'http://[0-9.:]*' "$work/api/serve.out" | head -n1)
  paths=()
  for r in $(ls "$work"/all | sed 's/\.csv$//'); do paths+=("/api/v1/analytics/rt?region=$r"); done
  # Computed: each round a serial interval mean the server has not seen (4.70001, 4.70002, …),
  # so that every answer is estimated; kept: the same requests again, answered from the answers
  # kept with the ledger.
  echo "GET /api/v1/analytics/rt, 33 regions' whole history, JSON, computed each time:"
  computed=(); for p in "${paths[@]}"; do computed+=("$p&si_mean=4.7000{i}"); done
  python3 scripts/api-latency.py "$base" 30 "${computed[@]}"
  echo "GET /api/v1/analytics/rt, 33 regions' whole history, JSON, kept:"
  python3 scripts/api-latency.py "$base" 30 "${paths[@]}"
  kill $server 2>/dev/null || true
fi
