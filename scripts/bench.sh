#!/usr/bin/env bash
# Measures `pushlab batch` fairly, on loopback, with N *distinct* device tokens:
#   1. against nginx (one worker, `return 200` for every /3/device/<token>: no work per path),
#      with `h2load -i` over the same N URIs as the ceiling and @parse/node-apn as the peer,
#      for 1 connection and for BENCH_MULTI connections (default 4);
#   2. against `pushlab sim` (a separate process): pushlab and node-apn with a certificate, and
#      the simulator's own ceiling with h2load and a provider token (h2load has no client
#      certificates), the JWT in an `authorization: bearer …` header;
#   3. the peak memory of `pushlab batch` for 100,000 and 1,000,000 streamed tokens.
# Each figure is the median of BENCH_RUNS runs (default 3); a run only counts if every token
# got exactly one result and all were delivered. Ratios are pushlab / h2load and
# pushlab / node-apn from the same run of this script.
#
# Installs what it needs (Debian: nginx-light, nghttp2-client, time; npm: @parse/node-apn into
# target/bench-node). Everything listens on 127.0.0.1 only and is stopped at the end.
#
# Usage: scripts/bench.sh
# Env:   BENCH_N (200000), BENCH_RUNS (3), BENCH_MULTI (4), BENCH_SKIP_RSS=1,
#        BENCH_RSS_N (1000000), BENCH_RSS_SMALL_N (100000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

N=${BENCH_N:-200000}
RUNS=${BENCH_RUNS:-3}
MULTI=${BENCH_MULTI:-4}
RSS_N=${BENCH_RSS_N:-1000000}
RSS_SMALL_N=${BENCH_RSS_SMALL_N:-100000}
NODE_APN_VERSION=8.1.0
TOPIC=com.example.bench
KEY_ID=BENCH12345
TEAM_ID=TEAM123456

# --- install -----------------------------------------------------------------------------------
bash scripts/setup.sh
need=()
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
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

# BENCH_BIN=path measures another pushlab binary (an older build, to compare).
if [ -n "${BENCH_BIN:-}" ]; then
  pushlab=$BENCH_BIN
else
  echo "bench: building pushlab (release)"
  cargo build --release --locked --bin pushlab
  pushlab=$root/target/release/pushlab
fi

# --- scratch space and clean-up ----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/pushlab-bench.XXXXXX")
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
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else print v[int((NR + 1) / 2)] }'; }

# Rows go to a file: the measuring functions run in $(…) subshells.
row() { printf '| %-34s | %-30s | %5s | %10s | %9s | %8s |\n' "$@" >>"$work/rows"; }

# pushlab batch, RUNS times: SERVER PORT CONNECTIONS TOKENS → prints the median rate; adds a row.
pushlab_rate() {
  local server=$1 port=$2 conns=$3 tokens=$4
  local n rates=() out rate wall rss
  n=$(wc -l <"$tokens")
  for _ in $(seq 1 "$RUNS"); do
    out=$work/pushlab.json
    /usr/bin/time -f 'TIME %e %M' -o "$out.time" \
      "$pushlab" batch --tokens "$tokens" --server "127.0.0.1:$port" --ca "$work/ca.pem" --cert "$work/ck.pem" \
      --topic "$TOPIC" --alert bench --json --connections "$conns" >"$out" 2>"$out.err" || true
    # Exactly one result per token, then the summary; all delivered.
    local results delivered
    results=$(grep -c '"outcome"' "$out" || true)
    delivered=$(tail -1 "$out" | sed -nE 's/.*"delivered":([0-9]+).*/\1/p')
    if [ "$results" != "$n" ] || [ "$delivered" != "$n" ]; then
      echo "bench: pushlab run discarded: $results results, ${delivered:-?} delivered of $n" >&2
      tail -3 "$out.err" >&2
      continue
    fi
    rate=$(tail -1 "$out" | sed -nE 's/.*"per_second":([0-9]+).*/\1/p')
    rates+=("$rate")
    read -r _ wall rss < <(grep '^TIME' "$out.time")
  done
  rate=$(printf '%s\n' "${rates[@]}" | median)
  row "pushlab batch --json" "$server" "$conns" "$rate" "${wall:-?}" "$((${rss:-0} / 1024)) MB"
  echo "  pushlab → $server, $conns connection(s): ${rates[*]:-none} /s" >&2
  echo "$rate"
}

# node-apn, RUNS times: SERVER PORT TOKENS → median rate; adds a row.
node_rate() {
  local server=$1 port=$2 tokens=$3
  local rates=() out json rate wall rss
  for _ in $(seq 1 "$RUNS"); do
    out=$work/node.out
    /usr/bin/time -f 'TIME %e %M' -o "$out.time" \
      node "$root/scripts/bench/node-apn-batch.js" --tokens "$tokens" --host 127.0.0.1 --port "$port" \
      --cert "$work/ck.pem" --key "$work/ck.pem" --ca "$work/ca.pem" --topic "$TOPIC" --alert bench \
      --chunk 1000 >"$out" 2>&1 || true
    json=$(grep -m1 '^{' "$out" || echo '{}')
    rate=$(node -e 'const j=JSON.parse(process.argv[1]); console.log(j.ok === j.sent ? Math.round(j.per_second) : "")' "$json")
    if [ -z "$rate" ]; then
      echo "bench: node-apn run discarded: $json" >&2
      continue
    fi
    rates+=("$rate")
    read -r _ wall rss < <(grep '^TIME' "$out.time")
  done
  rate=$(printf '%s\n' "${rates[@]}" | median)
  row "node-apn $NODE_APN_VERSION (chunks of 1,000)" "$server" 1 "$rate" "${wall:-?}" "$((${rss:-0} / 1024)) MB"
  echo "  node-apn → $server: ${rates[*]:-none} /s" >&2
  echo "$rate"
}

# h2load, RUNS times: SERVER CONNECTIONS URIS [h2load args…] → median rate; adds a row.
h2load_rate() {
  local server=$1 conns=$2 uris=$3
  shift 3
  local rates=() out rate wall rss ok
  for _ in $(seq 1 "$RUNS"); do
    out=$work/h2load.out
    /usr/bin/time -f 'TIME %e %M' -o "$out.time" \
      h2load -n "$N" -c "$conns" -m 1000 -i "$uris" -d "$work/body.json" "$@" >"$out" 2>&1 || true
    ok=$(sed -nE 's/^status codes: ([0-9]+) 2xx.*/\1/p' "$out")
    if [ "$ok" != "$N" ]; then
      echo "bench: h2load run discarded: $(grep -E '^status codes' "$out" || tail -2 "$out")" >&2
      continue
    fi
    rates+=("$(sed -nE 's/^finished in [0-9.]+m?s, ([0-9.]+) req\/s.*/\1/p' "$out" | cut -d. -f1)")
    read -r _ wall rss < <(grep '^TIME' "$out.time")
  done
  rate=$(printf '%s\n' "${rates[@]}" | median)
  row "h2load -m 1000 -i (ceiling)" "$server" "$conns" "$rate" "${wall:-?}" "$((${rss:-0} / 1024)) MB"
  echo "  h2load → $server, $conns connection(s): ${rates[*]:-none} /s" >&2
  echo "$rate"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "?" }'; }

# --- machine -----------------------------------------------------------------------------------
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load before: $(uptime | sed 's/.*load average/load average/')"
echo "pushlab $("$pushlab" --version 2>/dev/null | awk '{print $2}'), node $(node --version), @parse/node-apn $NODE_APN_VERSION, $(h2load --version 2>&1 | head -1), $(/usr/sbin/nginx -v 2>&1)"
echo "N = $N distinct tokens, 1,000 streams in flight per connection, median of $RUNS runs"

tokens=$work/tokens-$N.txt
tokens_file "$N" "$tokens"
printf '{"aps":{"alert":"bench"}}' >"$work/body.json"

simdir=$work/sim
"$pushlab" sim issue-cert --bundle-id "$TOPIC" --out "$work/ck.pem" --data-dir "$simdir" >/dev/null
"$pushlab" sim export-ca --out "$work/ca.pem" --data-dir "$simdir" >/dev/null 2>&1

# --- 1. nginx: no work per path ----------------------------------------------------------------
ng_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  # One connection carries the whole batch: no GOAWAY after 1,000 requests (the default).
  keepalive_requests 100000000;
  http2_max_concurrent_streams 1000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$ng_port ssl http2;
    ssl_certificate $simdir/server.pem;
    ssl_certificate_key $simdir/server-key.pem;
    location /3/device/ { return 200; }
  }
}
EOF
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$work/nginx/out" 2>&1 &
pids+=($!)
wait_for_port "$ng_port"
echo "nginx on 127.0.0.1:$ng_port"
sed "s|^|https://127.0.0.1:$ng_port/3/device/|" "$tokens" >"$work/uris-nginx.txt"

ceiling1=$(h2load_rate "nginx, return 200" 1 "$work/uris-nginx.txt")
pushlab1=$(pushlab_rate "nginx, return 200" "$ng_port" 1 "$tokens")
node1=$(node_rate "nginx, return 200" "$ng_port" "$tokens")
ceilingM=$(h2load_rate "nginx, return 200" "$MULTI" "$work/uris-nginx.txt")
pushlabM=$(pushlab_rate "nginx, return 200" "$ng_port" "$MULTI" "$tokens")

# --- 2. the simulator --------------------------------------------------------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/AuthKey_$KEY_ID.p8" 2>/dev/null
sim_out=$work/sim.out
"$pushlab" sim --port 0 --quiet --data-dir "$simdir" --auth-key "$work/AuthKey_$KEY_ID.p8" \
  --team-id "$TEAM_ID" >"$sim_out" 2>&1 &
pids+=($!)
sim_port=$(wait_for_line "$sim_out" 'listening on 127\.0\.0\.1:[0-9]+' | sed -E 's/.*127\.0\.0\.1:([0-9]+).*/\1/')
echo "simulator on 127.0.0.1:$sim_port"
jwt=$(node "$root/scripts/make-jwt.js" "$work/AuthKey_$KEY_ID.p8" "$KEY_ID" "$TEAM_ID")
sed "s|^|https://127.0.0.1:$sim_port/3/device/|" "$tokens" >"$work/uris-sim.txt"
sim_ceiling=$(h2load_rate "pushlab sim (token auth)" 1 "$work/uris-sim.txt" \
  -H "authorization: bearer $jwt" -H "apns-topic: $TOPIC" -H "apns-push-type: alert")
sim_pushlab=$(pushlab_rate "pushlab sim (certificate)" "$sim_port" 1 "$tokens")
sim_node=$(node_rate "pushlab sim (certificate)" "$sim_port" "$tokens")

# --- 3. memory: tokens streamed from a file ----------------------------------------------------
rss_rows=()
if [ "${BENCH_SKIP_RSS:-0}" != 1 ]; then
  for n in "$RSS_SMALL_N" "$RSS_N"; do
    f=$work/tokens-rss-$n.txt
    tokens_file "$n" "$f"
    /usr/bin/time -f 'TIME %e %M' -o "$work/rss.time" \
      "$pushlab" batch --tokens "$f" --server "127.0.0.1:$ng_port" --ca "$work/ca.pem" --cert "$work/ck.pem" \
      --topic "$TOPIC" --alert bench --json >"$work/rss.json" 2>/dev/null || true
    read -r _ wall rss < <(grep '^TIME' "$work/rss.time")
    results=$(grep -c '"outcome"' "$work/rss.json" || true)
    rss_rows+=("$(printf '| %9s | %9s | %7s s | %7s MB |' "$n" "$results" "$wall" "$((rss / 1024))")")
    rm -f "$f" "$work/rss.json"
  done
fi

echo "load after: $(uptime | sed 's/.*load average/load average/')"
echo
printf '| %-34s | %-30s | %5s | %10s | %9s | %8s |\n' client server conns "per second" "wall s" "max RSS"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..7})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..10})"
cat "$work/rows"
echo
echo "pushlab / h2load ceiling (nginx): $(ratio "$pushlab1" "$ceiling1") with 1 connection, $(ratio "$pushlabM" "$ceilingM") with $MULTI"
echo "pushlab / node-apn (nginx, 1 connection): $(ratio "$pushlab1" "$node1")"
echo "pushlab / node-apn (simulator): $(ratio "$sim_pushlab" "$sim_node"); pushlab / the simulator's own ceiling: $(ratio "$sim_pushlab" "$sim_ceiling")"
if [ ${#rss_rows[@]} -gt 0 ]; then
  echo
  echo "| tokens    | results   | wall      | max RSS    |"
  echo "|-----------|-----------|-----------|------------|"
  printf '%s\n' "${rss_rows[@]}"
fi
echo
echo "per second: as each client measures it (first connection to last answer; pushlab's own"
echo "summary, node-apn's script, h2load's 'finished in'); wall s and max RSS: /usr/bin/time for"
echo "the whole process of the last counted run (start-up and the token file included)."
