#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright cannot download its own here)
# and inject axe-core from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --no-save axe-core@4.14.1 >/dev/null
fi
