#!/usr/bin/env bash
# What the browser tests need, installed only when missing: Debian's Chromium
# (Playwright's own download cannot reach its servers here) and axe-core from the
# npm registry, which the accessibility tests inject into each page.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION=4.14.1
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi

apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x "$CHROMIUM" ]; then
  echo "Installing Chromium for the browser tests"
  apt_install chromium
fi

if ! grep -qs "\"version\": \"$AXE_VERSION\"" node_modules/axe-core/package.json; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing npm to fetch axe-core"
    apt_install npm
  fi
  echo "Installing axe-core $AXE_VERSION for the accessibility tests"
  npm install --silent --no-audit --no-fund --no-save "axe-core@$AXE_VERSION" >/dev/null
fi
