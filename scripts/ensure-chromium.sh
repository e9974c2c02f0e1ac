#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests.
# As root (CI, a fresh machine) it installs it; otherwise it says what to do.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "warning: /usr/bin/chromium is missing and cannot be installed without root;" \
     "run 'sudo apt-get install chromium'. Browser tests will be skipped (and fail under CI=true)." >&2
