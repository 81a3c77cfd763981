#!/usr/bin/env bash
# Builds the app and serves dist/ on http://127.0.0.1:8080 (PORT=… to change). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_NET_OFFLINE=true
bash scripts/build.sh
port=${PORT:-8080}
echo
echo "IPVI Analyzer: http://127.0.0.1:$port/"
echo "Single file (open from disk, no server needed): $PWD/dist/ipvi-analyzer.html"
echo "Press Ctrl-C to stop."
exec node scripts/serve.mjs dist "$port"
