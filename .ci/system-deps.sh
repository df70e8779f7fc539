#!/usr/bin/env bash
# System packages for the browser tests of the desk: Debian's Chromium and its driver.
# Idempotent: does nothing when /usr/bin/chromium is already there. Exits 0 on success.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "system-deps: chromium already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: apt-get not found; browser tests will skip" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium chromium-driver
echo "system-deps: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
