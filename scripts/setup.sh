#!/usr/bin/env bash
# Prepares a fresh Debian machine (idempotent; only package registries are contacted):
#   the wasm32 target, wasm-bindgen-cli at Cargo.lock's version, binaryen's wasm-opt from npm
#   (when the system has none recent enough), the crates (cargo fetch), and
#   with --tests also Debian's chromium and the browser-test packages (npm ci in tests/e2e).
# Usage: bash scripts/setup.sh [--tests]
set -euo pipefail
cd "$(dirname "$0")/.."
with_tests=0
[[ "${1:-}" == "--tests" ]] && with_tests=1
say() { echo "setup: $*"; }

lock_version() { # the version of package $1 in Cargo.lock
  awk -v name="$1" '$1 == "name" && $3 == "\"" name "\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust (rustup) first" >&2; exit 1; }
command -v node >/dev/null || { echo "setup: node is missing; apt-get install nodejs npm" >&2; exit 1; }

if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
fi

want=$(lock_version wasm-bindgen)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$want" ]]; then
  say "cargo install wasm-bindgen-cli --version $want (have: ${have:-none}; takes a few minutes)"
  # Not --locked: the CLI's own lockfile pins a crate the registry mirror may not carry.
  cargo install wasm-bindgen-cli --version "$want"
fi

sys_opt=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
if [[ -z "$sys_opt" || "$sys_opt" -lt 116 ]] && \
   [[ ! -x tools/wasm-opt/node_modules/.bin/wasm-opt || tools/wasm-opt/package-lock.json -nt tools/wasm-opt/node_modules/.package-lock.json ]]; then
  say "npm ci in tools/wasm-opt (binaryen's wasm-opt; the system's is missing or too old)"
  (cd tools/wasm-opt && npm ci --no-audit --no-fund)
fi

say "cargo fetch (crates from crates.io; later steps run offline)"
cargo fetch --locked

if [[ $with_tests == 1 ]]; then
  # Debian packages the tests need: Chromium for the browser tests; python3 and GNU time for the
  # hostile corpus (tests/hostile: it generates the cases and measures each run's peak memory).
  packages=()
  [[ -x /usr/bin/chromium ]] || packages+=(chromium chromium-driver)
  command -v python3 >/dev/null || packages+=(python3)
  [[ -x /usr/bin/time ]] || packages+=(time)
  if [[ ${#packages[@]} -gt 0 ]]; then
    sudo=""
    [[ $(id -u) != 0 ]] && sudo=sudo
    say "apt-get install ${packages[*]}"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
  fi
  if [[ ! -d tests/e2e/node_modules/playwright-core || tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]]; then
    say "npm ci in tests/e2e (playwright-core, axe-core; no browser download)"
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
say "ready"
