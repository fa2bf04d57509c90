#!/usr/bin/env bash
# Benchmarks `pushlab batch` side by side with @parse/node-apn (chunks of 1,000), on loopback:
#   1. against the embedded simulator (`pushlab sim`, a separate process);
#   2. against nghttpd -m 1000 (nghttp2's HTTP/2 server) answering an empty 200 for every
#      /3/device/<token>, with `h2load -c 1 -m 1000` as the ceiling;
#   3. the peak memory (max RSS) of `pushlab batch` for 100,000 and 1,000,000 streamed tokens.
# Installs what it needs (Debian: nghttp2-server, nghttp2-client, time; npm: @parse/node-apn
# into target/bench-node). Everything listens on 127.0.0.1 only and is stopped at the end.
#
# Usage: scripts/bench.sh            (N = 200,000)
# Env:   BENCH_N (default 200000), BENCH_RSS_N (1000000), BENCH_RSS_SMALL_N (100000),
#        BENCH_SKIP_RSS=1 to skip part 3, BENCH_CONNECTIONS (pushlab --connections, 1).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

N=${BENCH_N:-200000}
RSS_N=${BENCH_RSS_N:-1000000}
RSS_SMALL_N=${BENCH_RSS_SMALL_N:-100000}
CONNECTIONS=${BENCH_CONNECTIONS:-1}
NODE_APN_VERSION=8.1.0
TOPIC=com.example.bench

# --- install -----------------------------------------------------------------------------------
bash scripts/setup.sh
need=()
command -v nghttpd >/dev/null || need+=(nghttp2-server)
command -v h2load >/dev/null || need+=(nghttp2-client)
[ -x /usr/bin/time ] || need+=(time)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "bench: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
node_dir=$root/target/bench-node
if [ ! -f "$node_dir/node_modules/@parse/node-apn/package.json" ] ||
  ! grep -q "\"version\": \"$NODE_APN_VERSION\"" "$node_dir/node_modules/@parse/node-apn/package.json"; then
  echo "bench: installing @parse/node-apn@$NODE_APN_VERSION into target/bench-node"
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error "@parse/node-apn@$NODE_APN_VERSION" >/dev/null
fi
export BENCH_NODE_DIR=$node_dir

echo "bench: building pushlab (release)"
cargo build --release --locked --bin pushlab
pushlab=$root/target/release/pushlab

# --- scratch space and clean-up ----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/pushlab-bench.XXXXXX")
docroot=$work/doc # what nghttpd serves
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (bounded) until FILE has a line matching REGEX; prints the first match.
wait_for_line() {
  local file=$1 regex=$2
  for _ in $(seq 1 200); do
    if grep -m1 -E "$regex" "$file" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "bench: timed out waiting for '$regex' in $file" >&2
  cat "$file" >&2
  return 1
}
# Waits (bounded) until 127.0.0.1:PORT accepts connections.
wait_for_port() {
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "bench: nothing listens on 127.0.0.1:$1" >&2
  return 1
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}
tokens_file() { # N FILE: N distinct 64-hex-digit tokens, one a line
  awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "%064x\n", i }' >"$2"
}

rows=()
row() { rows+=("$(printf '| %-30s | %-36s | %9s | %9s | %8s | %10s | %8s | %8s |' "$@")"); }

# pushlab batch: LABEL SERVER TOKENS PORT CA  → a row
run_pushlab() {
  local label=$1 server=$2 tokens=$3 port=$4 ca=$5
  local n out
  n=$(wc -l <"$tokens")
  out=$work/pushlab-$RANDOM.out
  /usr/bin/time -f 'TIME %e %M' -o "$out.time" \
    "$pushlab" batch --tokens "$tokens" --env "127.0.0.1:$port" --ca "$ca" --cert "$work/ck.pem" \
    --topic "$TOPIC" --alert bench --quiet --connections "$CONNECTIONS" >"$out" 2>&1 || {
    echo "bench: pushlab batch failed:" >&2
    tail -5 "$out" >&2
  }
  # "200000 sent in 3.21 s (62305/s) over 1 connection(s): 200000 delivered, ..."
  local line secs rate ok wall rss
  line=$(grep -m1 ' sent in ' "$out" || echo "")
  secs=$(sed -E 's/.* sent in ([0-9.]+) s.*/\1/' <<<"$line")
  rate=$(sed -E 's/.*\(([0-9]+)\/s\).*/\1/' <<<"$line")
  ok=$(sed -E 's/.*: ([0-9]+) delivered.*/\1/' <<<"$line")
  read -r _ wall rss < <(grep '^TIME' "$out.time")
  row "$label" "$server" "$n" "${ok:-?}" "${secs:-?}" "${rate:-?}" "$wall" "$((rss / 1024)) MB"
  echo "  $label → $server: ${line:-no summary}" >&2
}

# node-apn: LABEL SERVER TOKENS PORT CA → a row
run_node_apn() {
  local label=$1 server=$2 tokens=$3 port=$4 ca=$5
  local n out json
  n=$(wc -l <"$tokens")
  out=$work/node-$RANDOM.out
  /usr/bin/time -f 'TIME %e %M' -o "$out.time" \
    node "$root/scripts/bench/node-apn-batch.js" --tokens "$tokens" --host 127.0.0.1 --port "$port" \
    --cert "$work/ck.pem" --key "$work/ck.pem" --ca "$ca" --topic "$TOPIC" --alert bench \
    --chunk 1000 >"$out" 2>&1 || {
    echo "bench: node-apn failed:" >&2
    tail -5 "$out" >&2
  }
  json=$(grep -m1 '^{' "$out" || echo '{}')
  local secs rate ok wall rss
  secs=$(node -e 'const j=JSON.parse(process.argv[1]); console.log(j.seconds ?? "?")' "$json")
  rate=$(node -e 'const j=JSON.parse(process.argv[1]); console.log(j.per_second ?? "?")' "$json")
  ok=$(node -e 'const j=JSON.parse(process.argv[1]); console.log(j.ok ?? "?")' "$json")
  read -r _ wall rss < <(grep '^TIME' "$out.time")
  row "$label" "$server" "$n" "$ok" "$secs" "$rate" "$wall" "$((rss / 1024)) MB"
  echo "  $label → $server: $json" >&2
}

# --- machine -----------------------------------------------------------------------------------
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load before: $(uptime | sed 's/.*load average/load average/')"
echo "pushlab $("$pushlab" --version 2>/dev/null | awk '{print $2}'), node $(node --version), @parse/node-apn $NODE_APN_VERSION, $(nghttpd --version 2>&1 | head -1)"
echo "N = $N, one connection per client (pushlab --connections $CONNECTIONS), 1,000 streams in flight"

tokens=$work/tokens-$N.txt
tokens_file "$N" "$tokens"

# --- 1. the embedded simulator -----------------------------------------------------------------
simdir=$work/sim
"$pushlab" sim issue-cert --bundle-id "$TOPIC" --out "$work/ck.pem" --data-dir "$simdir" >/dev/null
"$pushlab" sim export-ca --out "$work/ca.pem" --data-dir "$simdir" >/dev/null
"$pushlab" sim --port 0 --quiet --data-dir "$simdir" >"$work/sim.out" 2>&1 &
pids+=($!)
sim_port=$(wait_for_line "$work/sim.out" 'listening on 127\.0\.0\.1:[0-9]+' | sed -E 's/.*127\.0\.0\.1:([0-9]+).*/\1/')
echo "simulator on 127.0.0.1:$sim_port"
run_pushlab "pushlab batch" "pushlab sim (separate process)" "$tokens" "$sim_port" "$work/ca.pem"
run_node_apn "node-apn (chunks of 1,000)" "pushlab sim (separate process)" "$tokens" "$sim_port" "$work/ca.pem"

# --- 2. nghttpd --------------------------------------------------------------------------------
# nghttpd opens the file of each new path, which costs it more than answering: with N
# distinct paths it, not the client, is the limit (h2load -i with 200,000 distinct URIs gets
# ~170,000/s where one URI gets ~250,000/s). So, like h2load's usual single-URI run, every
# client here sends the same token N times (N requests, one empty file).
one_token=$(head -1 "$tokens")
same=$work/tokens-same-$N.txt
awk -v n="$N" -v t="$one_token" 'BEGIN { for (i = 1; i <= n; i++) print t }' >"$same"
mkdir -p "$docroot/3/device"
: >"$docroot/3/device/$one_token"
ng_port=$(free_port)
nghttpd -m 1000 -d "$docroot" "$ng_port" "$simdir/server-key.pem" "$simdir/server.pem" >"$work/nghttpd.out" 2>&1 &
pids+=($!)
wait_for_port "$ng_port"
echo "nghttpd on 127.0.0.1:$ng_port"
printf '{"aps":{"alert":"bench"}}' >"$work/body.json"
h2out=$work/h2load.out
/usr/bin/time -f 'TIME %e %M' -o "$h2out.time" \
  h2load -n "$N" -c 1 -m 1000 -d "$work/body.json" \
  "https://127.0.0.1:$ng_port/3/device/$one_token" >"$h2out" 2>&1 || true
# "finished in 0.80s, 250000.00 req/s, ..." and "status codes: 200000 2xx, ..."
# (h2load says "101.60ms" under a second)
h2secs=$(sed -nE 's/^finished in ([0-9.]+)(m?s), .*/\1 \2/p' "$h2out" | awk '{ printf "%.2f", $2 == "ms" ? $1 / 1000 : $1 }')
h2rate=$(sed -nE 's/^finished in [0-9.]+m?s, ([0-9.]+) req\/s.*/\1/p' "$h2out" | cut -d. -f1)
h2ok=$(sed -nE 's/^status codes: ([0-9]+) 2xx.*/\1/p' "$h2out")
read -r _ h2wall h2rss < <(grep '^TIME' "$h2out.time")
row "h2load -c 1 -m 1000 (ceiling)" "nghttpd -m 1000" "$N" "${h2ok:-?}" "${h2secs:-?}" "${h2rate:-?}" "$h2wall" "$((h2rss / 1024)) MB"
echo "  h2load → nghttpd: $(grep -E '^finished|^status codes' "$h2out" | tr '\n' ' ')" >&2
run_pushlab "pushlab batch" "nghttpd -m 1000" "$same" "$ng_port" "$work/ca.pem"
run_node_apn "node-apn (chunks of 1,000)" "nghttpd -m 1000" "$same" "$ng_port" "$work/ca.pem"

# --- 3. memory: tokens streamed from a file ----------------------------------------------------
if [ "${BENCH_SKIP_RSS:-0}" != 1 ]; then
  for n in "$RSS_SMALL_N" "$RSS_N"; do
    f=$work/tokens-rss-$n.txt
    tokens_file "$n" "$f"
    run_pushlab "pushlab batch (memory)" "pushlab sim (separate process)" "$f" "$sim_port" "$work/ca.pem"
    rm -f "$f"
  done
fi

echo "load after: $(uptime | sed 's/.*load average/load average/')"
echo
printf '| %-30s | %-36s | %9s | %9s | %8s | %10s | %8s | %8s |\n' client server sent "200 OK" "seconds" "per second" "wall s" "max RSS"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..38})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})"
printf '%s\n' "${rows[@]}"
echo
echo "seconds and per second: as each client measures them (first connection to last answer);"
echo "wall s and max RSS: /usr/bin/time for the whole process (start-up and token file included)."
