#!/usr/bin/env bash
# npm test: make sure there is a browser for the browser tests, check that every installed package supports
# this Node.js, prepare one PostgreSQL for the whole run
# (scripts/with-test-db.ts), run tap, and end with one plain line "N passed, N failed".
# Arguments go to tap, e.g. `npm test -- test/auth.test.ts`. The exit code is tap's.
set -o pipefail
cd "$(dirname "$0")/.." || exit 1

find_browser() {
  node --import tsx --input-type=module \
    -e "import { findChromium } from './src/lib/chromium.ts'; process.exit((await findChromium()) ? 0 : 1);" \
    2>/dev/null
}

if ! find_browser || ! command -v pdftotext >/dev/null 2>&1; then
  if [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ ! -x "$PUPPETEER_EXECUTABLE_PATH" ]; then
    echo "PUPPETEER_EXECUTABLE_PATH=$PUPPETEER_EXECUTABLE_PATH does not exist: the browser tests will fail." >&2
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium and poppler-utils with apt-get (needed by the browser and PDF tests)…"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; } \
      >/tmp/stafett-apt.log 2>&1; then
      echo "apt-get failed (see /tmp/stafett-apt.log): the browser and PDF tests will fail." >&2
    fi
  else
    echo "No Chromium (or no pdftotext) found. Install them (Debian: sudo apt-get install chromium poppler-utils)" >&2
    echo "or set PUPPETEER_EXECUTABLE_PATH to a Chrome/Chromium; the browser and PDF tests will fail without." >&2
  fi
fi

# Every installed package must support this Node.js (an EBADENGINE warning fails the run here).
if ! node --import tsx scripts/check-engines.ts; then
  echo "0 passed, 1 failed"
  exit 1
fi

node --import tsx scripts/with-test-db.ts node_modules/.bin/tap "$@" | node scripts/tap-summary.mjs
