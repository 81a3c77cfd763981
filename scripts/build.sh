#!/usr/bin/env bash
# Builds the browser app into dist/ (served version) and dist/ipvi-analyzer.html (one
# self-contained file for use from disk). Needs: the wasm32-unknown-unknown target, wasm-bindgen
# at Cargo.lock's version and Node (run scripts/setup.sh once); wasm-opt (binaryen) is optional.
# Cargo works offline when CARGO_NET_OFFLINE=true (scripts/setup.sh fetches the crates first).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PROFILE=release-wasm
OUT=$ROOT/dist
MIN_WASM_OPT=116 # binaryen 108 (Debian 12) corrupts wasm-bindgen's externref table
start=$(date +%s)

lock_version() { # the version of package $1 in Cargo.lock
  awk -v name="$1" '$1 == "name" && $3 == "\"" name "\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

want=$(lock_version wasm-bindgen)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$want" ]]; then
  echo "build: wasm-bindgen ${have:-is not installed} but Cargo.lock needs $want. Run:" >&2
  echo "    cargo install wasm-bindgen-cli --version $want" >&2
  echo "(or: bash scripts/setup.sh)" >&2
  exit 1
fi

echo "build: cargo build --profile $PROFILE --target wasm32-unknown-unknown -p ipvi-analyzer --lib"
cargo build --profile "$PROFILE" --target wasm32-unknown-unknown -p ipvi-analyzer --lib

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "build: wasm-bindgen --target no-modules"
wasm-bindgen --target no-modules --no-typescript --out-dir "$work" \
  "$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/ipvi_analyzer.wasm"

wasm=$work/ipvi_analyzer_bg.wasm
opt_version=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
if [[ "${IPVI_WASM_OPT:-1}" == 0 ]]; then
  echo "build: IPVI_WASM_OPT=0: skipping wasm-opt"
elif [[ -n "$opt_version" && "$opt_version" -lt "$MIN_WASM_OPT" ]]; then
  echo "build: wasm-opt $opt_version is older than $MIN_WASM_OPT (it breaks reference types); skipping it"
elif [[ -n "$opt_version" ]]; then
  echo "build: wasm-opt -Oz ($(wasm-opt --version))"
  # The features rustc enables by default for wasm32-unknown-unknown; older binaryen needs them named.
  if wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$wasm" -o "$work/opt.wasm"; then
    wasm=$work/opt.wasm
  else
    echo "build: wasm-opt failed; keeping the unoptimised module" >&2
  fi
else
  echo "build: wasm-opt not found (apt-get install binaryen); skipping size optimisation"
fi

rm -rf "$OUT"
node scripts/assemble.mjs --glue "$work/ipvi_analyzer.js" --wasm "$wasm" --out "$OUT"
echo "build: done in $(( $(date +%s) - start )) s -> $OUT/index.html and $OUT/ipvi-analyzer.html"
