#!/bin/sh
# The GitHub Action's Gate step: fail the job by trailproof's exit code, after the SARIF upload has run.
set -u
code="${EXIT_CODE:-}"
case "$code" in
  0) echo "trailproof: gate passed (${OUTCOME:-passed})"; exit 0 ;;
  1|2|3) echo "::error title=trailproof::gate ${OUTCOME:-failed} (exit $code): see the job summary and findings.json"; exit "$code" ;;
  *) echo "::error title=trailproof::the audit step recorded no exit code"; exit 2 ;;
esac
