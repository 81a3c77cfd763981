#!/usr/bin/env bash
# The one test command (run by .ci/run): setup, format, lints, native tests, the hostile corpus
# (scripts/hostile.sh), the core's purity check, the web build, and the browser end-to-end tests in headless Chromium.
# Ends with a summary line; exits non-zero if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
t0=$(date +%s)
results=()
failed=0

step() { # step <name> <command...>
  local name=$1
  shift
  local s
  s=$(date +%s)
  echo
  echo "=== $name"
  if "$@"; then
    results+=("ok    $name ($(( $(date +%s) - s )) s)")
  else
    results+=("FAIL  $name ($(( $(date +%s) - s )) s)")
    failed=$((failed + 1))
    return 1
  fi
}

summary() {
  echo
  echo "=== summary"
  printf '%s\n' "${results[@]}"
  local total=$(( $(date +%s) - t0 ))
  if [[ $failed == 0 ]]; then
    echo "test.sh: all ${#results[@]} steps passed in ${total} s"
  else
    echo "test.sh: $failed of ${#results[@]} steps FAILED in ${total} s"
  fi
}
trap summary EXIT

if ! step "setup" bash scripts/setup.sh --tests; then
  exit 1
fi
export CARGO_NET_OFFLINE=true # everything below works offline

# The core must stay pure: no web crates anywhere in its dependency graph, and it builds for wasm32.
purity() {
  local bad=0 crate out err rc
  for crate in web-sys js-sys wasm-bindgen yew gloo; do
    out=$(cargo tree -p ipvi-core -i "$crate" --target all -e normal,build 2>/tmp/ipvi-tree-err.$$)
    rc=$?
    err=$(cat /tmp/ipvi-tree-err.$$)
    if [[ -n "$out" ]]; then
      echo "purity: ipvi-core depends on $crate:"
      echo "$out"
      bad=1
    elif [[ $rc != 0 && "$err" != *"did not match any packages"* ]]; then
      echo "purity: cargo tree failed: $err"
      bad=1
    fi
  done
  rm -f /tmp/ipvi-tree-err.$$
  [[ $bad == 0 ]] && echo "purity: ipvi-core has no web dependencies" || return 1
  cargo check -p ipvi-core --target wasm32-unknown-unknown
}

step "cargo fmt --check" cargo fmt --all --check
step "cargo clippy (native, -D warnings)" cargo clippy --workspace --all-targets -- -D warnings
step "cargo clippy (app for wasm32, -D warnings)" \
  cargo clippy -p ipvi-analyzer --lib --target wasm32-unknown-unknown -- -D warnings
step "cargo test --workspace" cargo test --workspace
step "hostile corpus (4 GB, 30 s per run)" bash scripts/hostile.sh
step "core purity" purity
if step "build (dist/ and dist/ipvi-analyzer.html)" bash scripts/build.sh; then
  step "browser end-to-end tests (headless Chromium)" \
    node --test --test-concurrency=1 --test-reporter=spec "$ROOT"/tests/e2e/*.test.mjs
fi
[[ $failed == 0 ]]
