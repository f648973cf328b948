#!/bin/sh
# Idempotent set-up for a fresh clone: installs the npm dependencies when they are missing or stale.
# (The reports issue adds Chromium for PDF here: Debian's package, never a downloaded browser.)
set -eu
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
