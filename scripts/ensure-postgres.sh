#!/usr/bin/env bash
# Make sure PostgreSQL's server programs (initdb, pg_ctl) are installed for the storage tests.
# As root (CI, a fresh machine) it installs Debian's postgresql; otherwise it says what to do.
# The tests start their own throwaway server on a loopback port; nothing is left running.
set -euo pipefail

have_pg() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && return 0
  done
  return 1
}

if have_pg; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's postgresql for the storage tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "warning: PostgreSQL (initdb, pg_ctl) is missing and cannot be installed without root;" \
     "run 'sudo apt-get install postgresql'. PostgreSQL tests will be skipped" \
     "(and fail under CI=true)." >&2
