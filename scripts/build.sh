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
MIN_WASM_OPT=116 # binaryen 108 (Debian 12) corrupts wasm-bindgen's externref table; see tools/wasm-opt
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

# Reuse dist/ when nothing that makes it changed: the compiled module, the page's own files, the
# assembler and this script, the tool versions and whether wasm-opt runs. (cargo above is a no-op
# when the sources did not change; wasm-opt is the slow step, about two minutes.)
stamp_of() {
  {
    sha256sum "$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/ipvi_analyzer.wasm" index.html scripts/assemble.mjs scripts/build.sh
    find www -type f -print0 | sort -z | xargs -0 sha256sum
    echo "wasm-bindgen $want; wasm-opt ${IPVI_WASM_OPT:-1}"
  } | sha256sum | cut -d' ' -f1
}
stamp=$(stamp_of)
if [[ -f "$OUT/.build-stamp" && -f "$OUT/index.html" && -f "$OUT/ipvi-analyzer.html" && "$(cat "$OUT/.build-stamp")" == "$stamp" ]]; then
  echo "build: nothing changed since the last build; dist/ reused ($(( $(date +%s) - start )) s)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "build: wasm-bindgen --target no-modules"
wasm-bindgen --target no-modules --no-typescript --out-dir "$work" \
  "$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/ipvi_analyzer.wasm"

wasm=$work/ipvi_analyzer_bg.wasm
# wasm-opt: the system's if it is recent enough, else binaryen from npm (tools/wasm-opt, installed
# by scripts/setup.sh), else none (the app works unoptimised, only larger).
wasm_opt=""
sys_version=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
if [[ -n "$sys_version" && "$sys_version" -ge "$MIN_WASM_OPT" ]]; then
  wasm_opt=wasm-opt
elif [[ -x tools/wasm-opt/node_modules/.bin/wasm-opt ]]; then
  wasm_opt=$ROOT/tools/wasm-opt/node_modules/.bin/wasm-opt
fi
if [[ "${IPVI_WASM_OPT:-1}" == 0 ]]; then
  echo "build: IPVI_WASM_OPT=0: skipping wasm-opt"
elif [[ -z "$wasm_opt" ]]; then
  echo "build: no wasm-opt >= $MIN_WASM_OPT (run scripts/setup.sh); the module is not size-optimised"
else
  echo "build: wasm-opt -Oz ($("$wasm_opt" --version))"
  s=$(date +%s)
  # The features rustc enables by default for wasm32-unknown-unknown, named for older binaryen.
  if "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$wasm" -o "$work/opt.wasm"; then
    wasm=$work/opt.wasm
    echo "build: wasm-opt took $(( $(date +%s) - s )) s"
  else
    echo "build: wasm-opt failed; keeping the unoptimised module" >&2
  fi
fi

rm -rf "$OUT"
node scripts/assemble.mjs --glue "$work/ipvi_analyzer.js" --wasm "$wasm" --out "$OUT"
echo "$stamp" > "$OUT/.build-stamp"
echo "build: done in $(( $(date +%s) - start )) s -> $OUT/index.html and $OUT/ipvi-analyzer.html"
