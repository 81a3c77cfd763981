#!/usr/bin/env bash
# Benchmarks on fixed generated data (fixed seeds), natively in release; with --browser also in
# headless Chromium (tests/e2e/bench.mjs). Prints wall time and peak memory of each step and
# writes the outputs under bench/out/. Not part of the test command: numbers, not pass/fail.
#
#   bash scripts/bench.sh            # native
#   bash scripts/bench.sh --browser  # native, then the same core in headless Chromium
#   BENCH_LARGE=1 bash scripts/bench.sh   # adds the 1,000,000-person / 1,000,000-record runs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${IPVI_SHARED_DATA:-$ROOT/../shared/data}
OUT=$ROOT/bench/out
mkdir -p "$OUT"
cargo build --release -p ipvi-cli
B=${CARGO_TARGET_DIR:-$ROOT/target}/release/ipvi

run() { # run <label> <command...>: wall time and peak resident memory
  local label=$1
  shift
  echo
  echo "=== $label"
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f "bench: $label: %e s wall, %U s user, peak %M KB" "$@"
  else
    local s=$(date +%s.%N)
    "$@"
    echo "bench: $label: $(echo "$(date +%s.%N) - $s" | bc) s wall"
  fi
}

run "classify AZ_2019 (NIBRS, 42 files)" "$B" classify --nibrs "$SHARED/nibrs/AZ_2019" --out "$OUT/az-pairs.csv"
run "synth 100,000 people, 5 years" "$B" synth --seed 1 --population 100000 --years 5 --out "$OUT/synth-100k"
run "audit synth 100,000 (read, import, audit)" "$B" audit "$OUT/synth-100k" --json "$OUT/audit-100k.json"
node tests/bench/flat_export.mjs 100 "$OUT/flat-100mb.csv"
run "audit: generated flat export, 100 MB, one row per person" "$B" audit "$OUT/flat-100mb.csv" --json "$OUT/audit-flat-100mb.json"
run "analyze synth 100,000 (classify, link, score, lists)" "$B" analyze "$OUT/synth-100k" --out "$OUT/analyze-100k"
run "report synth 100,000" "$B" report "$OUT/synth-100k" --out "$OUT/report-100k.html"
run "link 100,000 generated records" "$B" bench-link --records 100000 --seed 1
run "link the person records of a 100,000-person jurisdiction" "$B" bench-link --synthetic-population 100000 --years 5 --seed 1
run "rank validation (seed 1, 100,000 people)" "$B" bench-rank --seed 1 --population 100000 --years 5 --json "$OUT/rank.json"
run "import: synthetic export of 100,000 people, 5 years, in memory (read_tables + import_tables)" "$B" bench-import --population 100000 --years 5 --seed 1
run "import: NIBRS AZ_2019 through the generic path" "$B" bench-import "$SHARED/nibrs/AZ_2019"
run "text classifier throughput: 20,000 relationship texts and narratives" "$B" bench-text --count 20000 --seed 1
run "text classifier: relationships" "$B" score-text --kind relationship --in tests/eval/relationships.csv
run "text classifier: narratives" "$B" score-text --kind narrative --in tests/eval/narratives.csv
if [[ -n "${BENCH_LARGE:-}" ]]; then
  run "synth 1,000,000 people, 5 years" "$B" synth --seed 1 --population 1000000 --years 5 --out "$OUT/synth-1m"
  run "link 1,000,000 generated records" "$B" bench-link --records 1000000 --seed 1
  run "audit synth 1,000,000 (read, import, audit)" "$B" audit "$OUT/synth-1m" --json "$OUT/audit-1m.json"
  run "analyze synth 1,000,000 (classify, link, score, lists)" "$B" analyze "$OUT/synth-1m" --out "$OUT/analyze-1m"
  node tests/bench/flat_export.mjs 500 "$OUT/flat-500mb.csv"
  run "audit: generated flat export, 500 MB, one row per person" "$B" audit "$OUT/flat-500mb.csv" --json "$OUT/audit-flat-500mb.json"
  rm -f "$OUT/flat-500mb.csv"
fi
if [[ "${1:-}" == "--browser" ]]; then
  bash scripts/build.sh
  node tests/e2e/bench.mjs
fi
