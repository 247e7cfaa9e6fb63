#!/usr/bin/env bash
# npm test: make sure there is a browser, pdftotext, the Noto fonts and Java (for the Nu HTML checker) for
# the browser, PDF and HTML tests, check that every installed package supports
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

# What the browser, PDF and HTML tests need: Chromium, poppler's pdftotext, the Noto fonts, and Java for the
# Nu HTML checker.
missing=()
if ! find_browser && [ -z "${PUPPETEER_EXECUTABLE_PATH:-}" ]; then missing+=(chromium); fi
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# The consent paperwork's PDFs name Debian's Noto fonts (Latin, Cyrillic, Arabic): fonts-noto-core.
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || missing+=(fonts-noto-core)
if [ -z "${JAVA_HOME:-}" ] && ! command -v java >/dev/null 2>&1; then missing+=(default-jre-headless); fi

if [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ ! -x "$PUPPETEER_EXECUTABLE_PATH" ]; then
  echo "PUPPETEER_EXECUTABLE_PATH=$PUPPETEER_EXECUTABLE_PATH does not exist: the browser tests will fail." >&2
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} with apt-get (needed by the browser, PDF and HTML tests)…"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
      >/tmp/stafett-apt.log 2>&1; then
      echo "apt-get failed (see /tmp/stafett-apt.log): the browser, PDF and HTML tests will fail." >&2
    fi
  else
    echo "Missing: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]}), or set" >&2
    echo "PUPPETEER_EXECUTABLE_PATH to a Chrome/Chromium and JAVA_HOME to a Java runtime; the browser, PDF" >&2
    echo "and HTML tests will fail without." >&2
  fi
fi

# The backup test needs a PostgreSQL server that Debian's pg_dump can read (Debian's own), and the cluster
# test needs nginx: install them the same way when missing.
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} with apt-get (needed by the backup and cluster tests)…"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
      >>/tmp/stafett-apt.log 2>&1; then
      echo "apt-get failed (see /tmp/stafett-apt.log): the backup and cluster tests will fail." >&2
    fi
  else
    echo "Missing ${missing[*]} (Debian: sudo apt-get install ${missing[*]}): the backup and cluster tests will fail." >&2
  fi
fi

# Every installed package must support this Node.js (an EBADENGINE warning fails the run here).
if ! node --import tsx scripts/check-engines.ts; then
  echo "0 passed, 1 failed"
  exit 1
fi

node --import tsx scripts/with-test-db.ts node_modules/.bin/tap "$@" | node scripts/tap-summary.mjs
