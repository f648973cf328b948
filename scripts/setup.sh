#!/bin/sh
# Idempotent set-up for a fresh clone, run by `npm run demo` and `npm test`:
#  - npm dependencies when missing or stale (npm ci; never downloads a browser: puppeteer-core only);
#  - Debian's chromium for the PDF report when no browser is found (PUPPETEER_EXECUTABLE_PATH, /usr/bin/chromium,
#    or Puppeteer's cache), with fonts;
#  - with --test: every other real part the test suite uses that a package manager can install here: the tools
#    it reads outputs back with (pdftotext, xmllint, qpdf) and, where python3 lacks them, the AWS CLI and
#    botocore (Debian's awscli, python3-botocore); then it checks the parts no package here provides
#    (moto for python3, the SigmaHQ corpus in ../shared).
# What cannot be installed is reported. Outside CI the tests that need it skip with a notice naming it; with CI
# set (to anything but '', 0 or false) a missing part fails here, loudly, before the suite runs: a CI run that
# could not exercise every real part must not end green.
set -eu
cd "$(dirname "$0")/.."

ci=false
case "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" in
  '' | 0 | false) ;;
  *) ci=true ;;
esac

# npm ci empties node_modules first; when node_modules is a link to an install other checkouts share (git
# worktrees), that would empty theirs too, so a linked install is only reported as stale, never reinstalled.
if [ -L node_modules ]; then
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json "$(dirname "$(readlink -f node_modules)")/package-lock.json"; then
    echo "setup: node_modules links to a shared install that may not match package-lock.json; not reinstalling it (run npm ci where it lives)" >&2
  fi
elif [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

have_browser() {
  [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "${PUPPETEER_EXECUTABLE_PATH}" ] && return 0
  [ -x /usr/bin/chromium ] && return 0
  ls "${HOME:-/root}"/.cache/puppeteer/chrome*/*/chrome*/chrome >/dev/null 2>&1 && return 0
  return 1
}
py_has() { python3 -c "import $1" >/dev/null 2>&1; }

# Debian packages for what is missing now.
packages() {
  p=""
  have_browser || p="$p chromium fonts-liberation fonts-dejavu-core"
  if [ "${1:-}" = "--test" ]; then
    command -v pdftotext >/dev/null 2>&1 || p="$p poppler-utils"
    command -v xmllint >/dev/null 2>&1 || p="$p libxml2-utils"
    command -v qpdf >/dev/null 2>&1 || p="$p qpdf"
    # Only when python3 lacks them: a pip-installed awscli/botocore is never shadowed by Debian's.
    py_has awscli.customizations.cloudtrail.validation || p="$p awscli"
    py_has botocore.auth || p="$p python3-botocore"
  fi
  printf '%s' "$p"
}

missing="$(packages "${1:-}")"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages:$missing" >&2
    apt-get update -qq >&2 || echo "setup: apt-get update failed; trying the package index already here" >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2 \
      || echo "setup: apt-get install$missing failed" >&2
  else
    echo "setup: cannot install$missing here (needs root and apt-get); install them with: sudo apt-get install$missing" >&2
  fi
fi

[ "${1:-}" = "--test" ] || exit 0

# What the suite still lacks, each with how to get it. Debian's awscli installs for /usr/bin/python3, which is
# the python3 the tests run only when no other python3 comes first on PATH.
still="$(packages --test)"
lacking=""
for pkg in $still; do lacking="$lacking
  - Debian package $pkg (apt-get install $pkg; for awscli/python3-botocore, or: python3 -m pip install awscli)"; done
command -v python3 >/dev/null 2>&1 || lacking="$lacking
  - python3 (apt-get install python3)"
py_has moto.server || lacking="$lacking
  - moto for python3, the AWS mock the collect, validate-logs, scan-over-S3, Athena and SES tests run against (python3 -m pip install 'moto[server]')"
[ -d ../shared/data/sigmahq-aws-cloudtrail ] || lacking="$lacking
  - the SigmaHQ corpus at ../shared/data/sigmahq-aws-cloudtrail (check out ../shared beside the repository)"

if [ -n "$lacking" ]; then
  if [ "$ci" = true ]; then
    echo "setup: CI is set and the test suite cannot run every real part; missing:$lacking" >&2
    exit 1
  fi
  echo "setup: the tests that need these will skip with a notice (in CI they fail the run):$lacking" >&2
fi
