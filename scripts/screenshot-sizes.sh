#!/usr/bin/env bash
# Screenshots of the main screens at the sizes people use (800×600, 1024×640, 1366×768), light
# and dark, English and Chinese, under Xvfb, into target/screenshots-sizes/. Needs the X
# packages scripts/screenshot.sh installs. Looks; does not test (tests/gui/gui_layout.rs does).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profile=${PUSHLAB_PROFILE:-debug}
if [ "$profile" = release ]; then cargo build --release --locked --bin pushlab; else cargo build --locked --bin pushlab; fi
bin=${CARGO_TARGET_DIR:-$root/target}/$profile/pushlab
out=$root/target/screenshots-sizes
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work/home XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
export XDG_CACHE_HOME=$work/cache XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_DATA_HOME/pushlab" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
mkdir -m 0700 -p "$XDG_RUNTIME_DIR"
"$bin" sim issue-cert --bundle-id com.example.doorbell --out "$work/doorbell.pem" >/dev/null
demo=740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad

display=${SCREENSHOT_DISPLAY:-98}
Xvfb ":$display" -screen 0 1400x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=:$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

for size in 800x600 1024x640 1366x768; do
  w=${size%x*}
  h=${size#*x}
  for appearance in Light Dark; do
    for lang in English ChineseSimplified; do
      for section in Connection Compose Batch Simulator; do
        printf '{\n    "app": "(section:%s,guide_hidden:true,settings:(appearance:%s,language:Fixed(%s)),credentials:[(name:\\"doorbell.pem\\",path:\\"%s\\")],compose:(token:\\"%s\\"))",\n}\n' \
          "$section" "$appearance" "$lang" "$work/doorbell.pem" "$demo" >"$XDG_DATA_HOME/pushlab/app.ron"
        "$bin" >"$work/app.log" 2>&1 &
        app=$!
        window=""
        for _ in $(seq 300); do
          window=$(xdotool search --name '^Pushlab$' 2>/dev/null | head -1 || true)
          [ -n "$window" ] && break
          sleep 0.1
        done
        [ -n "$window" ] || { cat "$work/app.log"; exit 1; }
        xdotool windowsize "$window" "$w" "$h"
        sleep 3
        name="$out/$size-$appearance-$lang-$section.png"
        import -window "$window" "$name"
        echo "screenshot: $name"
        kill "$app" 2>/dev/null || true
        wait "$app" 2>/dev/null || true
      done
    done
  done
done
