#!/usr/bin/env bash
# The hostile corpus: generate it into a temporary folder (tests/hostile/make_hostile.py), build
# the release `ipvi`, and run every case through every command that reads it under a 4 GB
# address space and 30 s per run (tests/hostile/run_hostile.py says what fails). The folder is
# removed afterwards (HOSTILE_KEEP=1 keeps it). Prints one line per case: the slowest run's time
# and peak memory, and each command's exit code.
set -uo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release -p ipvi-cli --bin ipvi || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipvi-hostile.XXXXXX")
if [[ ${HOSTILE_KEEP:-0} == 1 ]]; then
  echo "hostile: keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$tmp/cases" "$tmp/out"
t0=$(date +%s)
python3 tests/hostile/make_hostile.py "$tmp/cases" || exit 1
echo "hostile: corpus generated in $(( $(date +%s) - t0 )) s ($(du -sh "$tmp/cases" | cut -f1))"
python3 tests/hostile/run_hostile.py "$target_dir/release/ipvi" "$tmp/cases" "$tmp/out"
rc=$?
echo "hostile: $(( $(date +%s) - t0 )) s in all"
exit $rc
