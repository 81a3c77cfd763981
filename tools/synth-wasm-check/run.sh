#!/usr/bin/env bash
# Development check (not part of the product or CI): the synthetic jurisdiction must give the same
# bytes natively and in wasm32. Builds this crate for both targets, prints both hashes, and fails
# if they differ. Needs the wasm32-unknown-unknown target and Node.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --quiet --target wasm32-unknown-unknown --lib
cargo build --quiet --bin native
native=$("$CARGO_TARGET_DIR/debug/native")
wasm=$(node run.js "$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug/wasmcheck.wasm")
echo "native:"; echo "$native"
echo "wasm32:"; echo "$wasm"
[ "$native" = "$wasm" ] && echo "same bytes" || { echo "DIFFERENT"; exit 1; }
