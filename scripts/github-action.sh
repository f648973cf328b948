#!/bin/sh
# The GitHub Action's audit step. Inputs arrive as INPUT_* environment variables (action.yml maps them, so
# no input is ever pasted into shell text). Runs `trailproof audit`, then: the exit code, the outcome and the
# count of each status go to $GITHUB_OUTPUT, summary.md is appended to $GITHUB_STEP_SUMMARY, and the step
# itself succeeds so that the SARIF upload still runs; the action's Gate step fails the job by the exit code.
set -u
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this as a step of the trailproof action}"
output="${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
out="${INPUT_OUT:-trailproof}"
formats="json,sarif,junit,markdown"
[ -n "${INPUT_FORMATS:-}" ] && formats="$formats,$INPUT_FORMATS"

set -- audit --out "$out" --format "$formats" --fail-on "${INPUT_FAIL_ON:-high}" --no-progress
[ -n "${INPUT_BUNDLE:-}" ] && set -- "$@" --bundle "$INPUT_BUNDLE"
[ -n "${INPUT_ACCOUNTS:-}" ] && set -- "$@" --accounts "$INPUT_ACCOUNTS"
[ "${INPUT_GATE:-false}" = "true" ] && set -- "$@" --gate
[ -n "${INPUT_ASSUME_ROLE:-}" ] && set -- "$@" --assume-role "$INPUT_ASSUME_ROLE"
[ -n "${INPUT_REGION:-}" ] && set -- "$@" --region "$INPUT_REGION"
[ -n "${INPUT_CONFIG:-}" ] && set -- "$@" --config "$INPUT_CONFIG"

mkdir -p "$out"
errors="$out/.trailproof-stderr.txt"
node "$root/bin/trailproof.js" "$@" 2>"$errors"
code=$?
cat "$errors" >&2

# Counts and outcome from findings.json (the run's one outcome: never recomputed here). Without a findings
# file (bad usage, exit 2) the outcome is "error" and the summary quotes trailproof's message.
node "$root/scripts/github-action-outputs.mjs" "$out" "$code" "$errors" >>"$output" 2>>"$summary" || {
  echo "trailproof: could not read $out/findings.json" >&2
  printf 'exit-code=%s\noutcome=error\n' "$code" >>"$output"
}
if [ -f "$out/summary.md" ]; then
  cat "$out/summary.md" >>"$summary"
fi
rm -f "$errors"
exit 0
