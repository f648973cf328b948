#!/bin/sh
# The GitHub Action's install step: build trailproof inside the action's own checkout once. Idempotent: a
# built checkout (dist/ and node_modules present) is left alone, so a job that runs the action
# twice installs once. npm ci never downloads a browser (puppeteer-core); PDFs need a Chromium on the runner.
set -eu
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this as a step of the trailproof action}"
cd "$root"
if [ -f dist/src/cli/main.js ] && [ -d node_modules ]; then
  echo "trailproof: already built in $root"
  exit 0
fi
npm ci --no-audit --no-fund
