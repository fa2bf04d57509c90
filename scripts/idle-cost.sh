#!/usr/bin/env bash
# Idle memory (RSS) and CPU of the release app on each screen, under Xvfb, with the system's
# fonts loaded and the embedded simulator running: start on a screen, wait for it to settle,
# then read /proc for 10 seconds of doing nothing. Needs the X packages scripts/screenshot.sh
# installs. Prints one line per screen.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cargo build --release --locked --bin pushlab
bin=${CARGO_TARGET_DIR:-$root/target}/release/pushlab
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
display=${IDLE_DISPLAY:-97}
Xvfb ":$display" -screen 0 1366x768x24 -nolisten tcp -noreset >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=:$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
printf '%-12s %8s %10s\n' screen rss_mb idle_cpu
for section in ${SCREENS:-Credentials Connection Doctor Compose Batch Channels History Simulator}; do
  for lang in English ChineseSimplified; do
    printf '{\n    "app": "(section:%s,guide_hidden:true,settings:(language:Fixed(%s)),credentials:[(name:\\"doorbell.pem\\",path:\\"%s\\")])",\n}\n' \
      "$section" "$lang" "$work/doorbell.pem" >"$XDG_DATA_HOME/pushlab/app.ron"
    "$bin" >"$work/app.log" 2>&1 &
    app=$!
    sleep 6
    before=$(cpu "$app")
    sleep 10
    after=$(cpu "$app")
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$app/status")
    printf '%-12s %-8s %6.1f MB %6.2f %%\n' "$section" "${lang:0:7}" "$(echo "$rss / 1024" | bc -l)" \
      "$(echo "($after - $before) * 100 / $ticks / 10" | bc -l)"
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
  done
done
