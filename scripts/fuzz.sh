#!/usr/bin/env bash
# Run every fuzz target (fuzz/fuzz_targets/) for SECONDS each (default 600), one after another,
# and print a line per target: exec/s, coverage (libFuzzer's last cov:/ft: line), corpus files
# and crashes. Installs the nightly toolchain and cargo-fuzz when missing.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# The committed seeds (fuzz/corpus/<target>/) are only read: new inputs go to a work corpus
# under the target dir ($CARGO_TARGET_DIR/fuzz-corpus/<target>, kept between runs), crashes to
# fuzz/artifacts/<target>/ (ignored by git). Exits non-zero when a target found a crash, a
# timeout or ran out of memory. See docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
if [[ ${#targets[@]} == 0 ]]; then
  targets=(csv_stream workbook nibrs mapping textclass date)
fi
target_dir=${CARGO_TARGET_DIR:-$PWD/fuzz/target}
work=$target_dir/fuzz-corpus

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal || exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked || exit 1
fi

build() { cargo +nightly fuzz build --debug-assertions --target-dir "$target_dir" "$@"; }
build || exit 1
bin=$target_dir/$(rustc +nightly -vV | sed -n 's/^host: //p')/release

rows=()
bad=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "fuzz/artifacts/$t"
  log=$work/$t.log
  before=$(ls "fuzz/artifacts/$t" | wc -l)
  echo "=== $t: ${secs} s (log: $log)"
  # The binaries built above are run as they are (what `cargo fuzz run` does, without building
  # again: an edit made while the targets run does not change the later ones).
  "$bin/$t" -artifact_prefix="$PWD/fuzz/artifacts/$t/" -max_total_time="$secs" -rss_limit_mb=4096 -timeout=30 \
    -print_final_stats=1 "$work/$t" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  execs=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
  files=$(ls "$work/$t" | wc -l)
  crashes=$(( $(ls "fuzz/artifacts/$t" | wc -l) - before ))
  echo "$last"
  [[ $rc != 0 ]] && { bad=1; grep -E 'ERROR|panicked|deadly signal|SUMMARY' "$log" | head -n 5; }
  rows+=("$(printf '%-11s %6s s %9s exec/s %6s cov %7s ft %7s runs %6s files %3s crashes rc=%s' \
    "$t" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${runs:-?}" "$files" "$crashes" "$rc")")
done
echo
echo "=== fuzz summary ($(date -u +%Y-%m-%d), $(nproc) cores)"
printf '%s\n' "${rows[@]}"
exit $bad
