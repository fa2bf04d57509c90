#!/usr/bin/env bash
# Starts pushlab under Xvfb with the accessibility bus enabled and prints its accessibility
# tree (roles and names), as a screen reader would see it. Usage: scripts/a11y-tree.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
need=(xvfb xauth at-spi2-core python3-pyatspi dbus dbus-x11 libgl1 libegl1 libgl1-mesa-dri libxkbcommon-x11-0)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bin=${1:-target/debug/pushlab}
[ -x "$bin" ] || cargo build --locked
home=$(mktemp -d)
export HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# A11Y_SECTION=Channels (any screen's name in the navigation's order: Credentials, Connection,
# Doctor, Compose, Batch, Channels, History, Simulator) opens on that screen.
if [ -n "${A11Y_SECTION:-}" ]; then
  mkdir -p "$XDG_DATA_HOME/pushlab"
  # A saved credential (a missing file is fine) keeps the first-run guide from taking over.
  printf '{\n    "app": "(section:%s,credentials:[(name:\\"example\\",path:\\"/nonexistent.p12\\")])",\n}\n' \
    "$A11Y_SECTION" >"$XDG_DATA_HOME/pushlab/app.ron"
fi
exec dbus-run-session -- bash -c '
  set -u
  Xvfb :97 -screen 0 1400x900x24 >/dev/null 2>&1 & xvfb=$!
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 & bus=$!
  for _ in $(seq 50); do
    dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus org.freedesktop.DBus.Properties.Get string:org.a11y.Status string:IsEnabled >/dev/null 2>&1 && break
    sleep 0.1
  done
  dbus-send --session --type=method_call --dest=org.a11y.Bus /org/a11y/bus org.freedesktop.DBus.Properties.Set string:org.a11y.Status string:IsEnabled variant:boolean:true
  DISPLAY=:97 '"$bin"' >/dev/null 2>&1 & app=$!
  /usr/bin/python3 scripts/a11y-tree.py; code=$?
  kill $app $bus $xvfb 2>/dev/null
  exit $code
'
