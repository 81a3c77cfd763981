#!/usr/bin/env bash
# Regenerates the screenshots in docs/ (README's pictures) from the built app: runs the browser
# tests that take them with IPVI_SCREENSHOTS_TO_DOCS=1 (every screen at 1280×800 and 1920×1080 goes
# to docs/screens/). The test command itself writes its
# screenshots under target/screenshots/, so a clean clone stays clean after the tests.
# Usage: bash scripts/screenshots.sh   (after bash scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
IPVI_SCREENSHOTS_TO_DOCS=1 node --test --test-concurrency=1 --test-reporter=spec \
  tests/e2e/report.test.mjs tests/e2e/evaluation.test.mjs tests/e2e/screens.test.mjs
git status --short docs/
