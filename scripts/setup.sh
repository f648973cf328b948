#!/bin/sh
# Idempotent set-up for a fresh clone, run by `npm run demo` and `npm test`:
#  - npm dependencies when missing or stale (npm ci; never downloads a browser: puppeteer-core only);
#  - Debian's chromium for the PDF report when no browser is found (PUPPETEER_EXECUTABLE_PATH, /usr/bin/chromium,
#    or Puppeteer's cache), with fonts;
#  - with --test: the tools the test suite reads its outputs back with (pdftotext, xmllint, qpdf).
# What cannot be installed (no root, no package index) is reported; the tests that need it skip with a notice.
set -eu
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

missing=""
have_browser() {
  [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "${PUPPETEER_EXECUTABLE_PATH}" ] && return 0
  [ -x /usr/bin/chromium ] && return 0
  ls "${HOME:-/root}"/.cache/puppeteer/chrome*/*/chrome*/chrome >/dev/null 2>&1 && return 0
  return 1
}
have_browser || missing="$missing chromium fonts-liberation fonts-dejavu-core"
if [ "${1:-}" = "--test" ]; then
  command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
  command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
fi

if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages:$missing" >&2
    apt-get update -qq >&2 || true
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
  else
    echo "setup: cannot install$missing here (needs root and apt-get); install them with: sudo apt-get install$missing" >&2
  fi
fi
