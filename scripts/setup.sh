#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and test pushlab. Safe to re-run.
set -euo pipefail

# Fonts: a small CJK font (1.6 MB download; Chinese, Japanese, Korean) and DejaVu Sans (Arabic,
# Hebrew) for the tests that check every script has glyphs; the app finds them via fontconfig.
packages=(pkg-config libssl-dev openssl curl ca-certificates fonts-wqy-microhei fonts-dejavu-core)
missing=()
if command -v dpkg >/dev/null; then
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "pushlab setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if command -v rustup >/dev/null; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
  done
fi
