#!/usr/bin/env bash
# Regenerates the screenshots in docs/ from the built app: runs the browser tests that take them
# with IPVI_SCREENSHOTS_TO_DOCS=1, so every screen at 1280×800 and 1920×1080 goes to
# docs/screens/ (listed in docs/screens/README.md) and the report and evaluation pictures to docs/.
# The test command itself writes its screenshots under target/screenshots/, so a clean clone
# stays clean after the tests.
# Usage: bash scripts/screenshots.sh   (after bash scripts/build.sh; the report test also needs
# the shared NIBRS extract, see tests/e2e/harness.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f dist/index.html ]]; then
  echo "screenshots: dist/ is missing; build the app first: bash scripts/build.sh" >&2
  exit 1
fi
if [[ ! -d tests/e2e/node_modules ]]; then
  echo "screenshots: the browser tests' packages are missing: (cd tests/e2e && npm ci), or bash scripts/setup.sh" >&2
  exit 1
fi
# Captures of screens that no longer exist must not linger.
rm -f docs/screens/*.png
IPVI_SCREENSHOTS_TO_DOCS=1 node --test --test-concurrency=1 --test-reporter=spec \
  tests/e2e/report.test.mjs tests/e2e/evaluation.test.mjs tests/e2e/screens.test.mjs
# Every capture is described in docs/screens/README.md.
missing=0
for f in docs/screens/*.png; do
  if ! grep -qF "$(basename "$f")" docs/screens/README.md; then
    echo "screenshots: $(basename "$f") is not described in docs/screens/README.md" >&2
    missing=1
  fi
done
du -ch docs/screens/*.png | tail -1 | sed 's/total/docs\/screens in total/'
git status --short docs/
exit "$missing"
