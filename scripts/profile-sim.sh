#!/usr/bin/env bash
# Where the simulator's time goes: a release `pushlab sim` with token auth under h2load (the
# JWT in an `authorization: bearer …` header, since h2load has no client certificates), over
# N distinct tokens on one connection, sampled by `perf record` for the whole run.
#
#   bash scripts/profile-sim.sh            # N=200000
#   N=500000 bash scripts/profile-sim.sh
#
# Prints h2load's rate, then the hottest functions (self time) and the share of time in each
# part of the stack (TLS, HTTP/2, the simulator's own judging, allocation, the kernel).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
N=${N:-200000}
for tool in perf h2load node openssl; do
  command -v "$tool" >/dev/null || { echo "profile-sim: needs $tool (linux-perf, nghttp2-client, nodejs, openssl)" >&2; exit 2; }
done
cargo build --release --locked --bin pushlab
pushlab=$root/target/release/pushlab
work=$(mktemp -d "${TMPDIR:-/tmp}/pushlab-profile.XXXXXX")
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

KEY_ID=ABC123DEFG
TEAM_ID=DEF123GHIJ
TOPIC=com.example.bench
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/AuthKey_$KEY_ID.p8" 2>/dev/null
"$pushlab" sim --port 0 --quiet --data-dir "$work/sim" --auth-key "$work/AuthKey_$KEY_ID.p8" \
  --team-id "$TEAM_ID" >"$work/sim.out" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do
  grep -qE 'listening on 127\.0\.0\.1:[0-9]+' "$work/sim.out" && break
  sleep 0.1
done
port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$work/sim.out" | head -1 | sed -E 's/.*://')
jwt=$(node "$root/scripts/make-jwt.js" "$work/AuthKey_$KEY_ID.p8" "$KEY_ID" "$TEAM_ID")
# N distinct 32-byte tokens.
python3 -c "
import sys
for i in range($N):
    sys.stdout.write('https://127.0.0.1:$port/3/device/' + ('%064x' % (i * 2654435761 + 1)) + '\n')
" >"$work/uris.txt"
echo '{"aps":{"alert":"bench"}}' >"$work/body.json"

perf record -F 1999 -g -p "$sim_pid" -o "$work/perf.data" 2>"$work/perf.err" &
perf_pid=$!
sleep 0.5
h2load -n "$N" -c 1 -m 1000 -i "$work/uris.txt" -d "$work/body.json" \
  -H "authorization: bearer $jwt" -H "apns-topic: $TOPIC" -H "apns-push-type: alert" |
  grep -E '^(finished in|requests:|status codes)'
kill -INT "$perf_pid"
wait "$perf_pid" 2>/dev/null || true

# `head` closes the pipe early: that is not a failure.
set +o pipefail
echo
echo "hottest functions (self time, % of the simulator's samples):"
perf report -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
  grep -E '^ +[0-9]' | head -25 | sed -E 's/ +- +- *$//' | cut -c1-110

echo
echo "self time by part (% of the simulator's samples):"
perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null |
  awk '$1 ~ /^[0-9.]+%$/ {
    pct = $1; sub("%", "", pct); dso = $2; line = $0; g = "other"
    if (line ~ /\[k\]/) g = "kernel (TCP, scheduling, syscalls)"
    else if (dso ~ /libssl|libcrypto/) g = "TLS (OpenSSL)"
    else if (line ~ /h2::hpack/) g = "HPACK (h2)"
    else if (line ~ /h2::/) g = "HTTP/2 frames and streams (h2)"
    else if (line ~ /http::/) g = "header maps and names (http)"
    else if (line ~ /mi_|malloc|free/) g = "allocation (mimalloc)"
    else if (line ~ /memmove|memcpy|memcmp|memset/) g = "memory copies"
    else if (line ~ /pushlab::sim/) g = "the simulator itself (judging, inbox)"
    else if (line ~ /serde_json/) g = "JSON (serde_json)"
    else if (line ~ /tokio|mio|futures/) g = "async runtime (tokio)"
    else if (line ~ /tracing/) g = "tracing (h2 spans)"
    sum[g] += pct
  }
  END { for (g in sum) printf "  %5.1f %%  %s\n", sum[g], g }' | sort -rn
