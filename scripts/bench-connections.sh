#!/usr/bin/env bash
# Connections that cost nothing (issue 30), measured on loopback:
#   cost: the CPU and wall time of `pushlab batch` with 16 tokens over 1, 4 and 16 connections,
#         with a combined PEM and with a legacy .p12, directly and through a proxy that delays
#         every chunk 25 ms each way (a 50 ms round trip: do the handshakes overlap?);
#   rate: N tokens against nginx answering after 0, 50 and 150 ms (the echo module's
#         `echo_sleep`) over 1, 4 and 8 connections: pushlab (and `--connections auto`),
#         h2load over the same URIs, @parse/node-apn (MultiProvider beyond one connection),
#         the Rust crate a2 (scripts/bench/a2-batch, a bench-only crate: one a2::Client per
#         connection) and the wire limit (connections × 1,000 streams / delay); then what
#         each client's runs cost nginx's worker in CPU time;
#   instructions: what each push costs in CPU instructions (callgrind counts them the same
#         however busy the machine is, where rates on a shared machine move by a third):
#         pushlab, h2load and a2 against nginx answering at once, over 1, 4 and 8
#         connections; a run of as many pushes as connections is taken from one of
#         BENCH_INSTR_N, so starting up and opening the connections cancel out. Not in `all`.
# Every client talks to the same nginx on 127.0.0.1:443 (a2 only knows Apple's host names on
# port 443: it runs in a private mount namespace whose /etc/hosts maps
# api.development.push.apple.com to 127.0.0.1, and trusts only the bench's CA). Each figure is
# the median of RUNS runs, the clients taking turns run by run; a run counts only if every
# token got exactly one result and all were delivered ("-": no run counted).
# Needs (installed if missing): nginx-light, libnginx-mod-http-echo, nghttp2-client, linux-perf,
# python3, nodejs, npm; @parse/node-apn into target/bench-node; a2 0.10 from crates.io.
# The kernel's TCP congestion control decides how nginx's many small writes become segments
# (see the README): every table says which one was in force, and BENCH_CONGESTION sets it for
# the run (as root; the machine's setting comes back at the end).
# Usage: scripts/bench-connections.sh [cost|rate|instructions|all]
# Env:   BENCH_BIN (default: a release build of this tree), BENCH_N (50000), BENCH_RUNS (3),
#        BENCH_DELAYS ("0 50 150"), BENCH_CONNECTIONS ("1 4 8"), BENCH_INSTR_N (10000),
#        BENCH_CONGESTION (e.g. cubic; default: the machine's)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PART=${1:-all}
N=${BENCH_N:-50000}
RUNS=${BENCH_RUNS:-3}
DELAYS=${BENCH_DELAYS:-0 50 150}
CONNS=${BENCH_CONNECTIONS:-1 4 8}
NODE_APN_VERSION=8.1.0
TOPIC=com.example.bench
A2_HOST=api.development.push.apple.com

# --- install -----------------------------------------------------------------------------------
need=()
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || need+=(libnginx-mod-http-echo)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v perf >/dev/null || need+=(linux-perf)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
[ "$PART" = instructions ] && ! command -v valgrind >/dev/null && need+=(valgrind)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
node_dir=$root/target/bench-node
if ! grep -qs "\"version\": \"$NODE_APN_VERSION\"" "$node_dir/node_modules/@parse/node-apn/package.json"; then
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error "@parse/node-apn@$NODE_APN_VERSION" >/dev/null
fi
export BENCH_NODE_DIR=$node_dir
if [ -n "${BENCH_BIN:-}" ]; then
  pushlab=$BENCH_BIN
else
  cargo build --release --locked --bin pushlab
  pushlab=$root/target/release/pushlab
fi

# The bench's own CA and a server certificate for Apple's sandbox host name and 127.0.0.1,
# kept in target/ so a2-batch (which compiles the CA in) is not rebuilt every time.
pki=$root/target/bench-a2/pki
if [ ! -f "$pki/server.pem" ]; then
  mkdir -p "$pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca-key.pem" \
    -out "$pki/ca.pem" -days 3650 -subj "/CN=pushlab bench CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/server-key.pem" \
    -out "$pki/server.csr" -subj "/CN=$A2_HOST" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
    "$A2_HOST" >"$pki/ext.cnf"
  openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca-key.pem" \
    -CAcreateserial -out "$pki/server.pem" -days 3650 -extfile "$pki/ext.cnf" 2>/dev/null
fi
if [ "$PART" != cost ]; then
  (cd scripts/bench/a2-batch && BENCH_A2_CA=$pki/ca.pem CARGO_TARGET_DIR=$root/target/bench-a2/target \
    cargo build --release --locked --quiet)
fi
a2=$root/target/bench-a2/target/release/a2-batch

# --- scratch space and clean-up ----------------------------------------------------------------
w=$(mktemp -d "${TMPDIR:-/tmp}/pushlab-conns.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$w"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cc_file=/proc/sys/net/ipv4/tcp_congestion_control
if [ -n "${BENCH_CONGESTION:-}" ]; then
  cc_before=$(cat "$cc_file")
  if ! echo "$BENCH_CONGESTION" 2>/dev/null >"$cc_file"; then
    echo "could not set the congestion control to $BENCH_CONGESTION (root, and one of: $(cat /proc/sys/net/ipv4/tcp_available_congestion_control))" >&2
    exit 1
  fi
  trap 'echo "$cc_before" >"$cc_file"; cleanup' EXIT
fi
# What each table's heading says about the machine: its load and the TCP congestion control.
machine() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg), TCP congestion control $(cat "$cc_file" 2>/dev/null || echo unknown)"; }

"$pushlab" sim issue-cert --bundle-id "$TOPIC" --out "$w/ck.pem" --data-dir "$w/sim" >/dev/null
openssl pkcs12 -export -legacy -in "$w/ck.pem" -inkey "$w/ck.pem" -out "$w/ck.p12" -passout pass:bench
printf '127.0.0.1 localhost\n127.0.0.1 %s\n' "$A2_HOST" >"$w/hosts"
printf '{"aps":{"alert":"bench"}}' >"$w/body.json"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }
tokens() { awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "%064x\n", i }' >"$2"; }

# nginx with one worker on PORT, answering every /3/device/ path 200 after DELAY ms.
nginx_pid=
start_nginx() {
  local port=$1 delay=$2 d=$w/nginx-$1
  local answer="return 200;"
  [ "$delay" -gt 0 ] && answer="echo_read_request_body; echo_sleep $(awk -v d="$delay" 'BEGIN { print d / 1000 }'); echo_status 200;"
  mkdir -p "$d"
  cat >"$d/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  http2_max_concurrent_streams 1000;
  client_body_temp_path $d/body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  ssl_certificate $pki/server.pem;
  ssl_certificate_key $pki/server-key.pem;
  server { listen 127.0.0.1:$port ssl http2; location /3/device/ { $answer } }
}
CONF
  /usr/sbin/nginx -c "$d/nginx.conf" -p "$d" >"$d/out" 2>&1 &
  nginx_pid=$!
  pids+=("$nginx_pid")
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nginx did not start on $port: $(cat "$d/out")" >&2
  exit 1
}
stop_nginx() {
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
}

# One pushlab run: CRED PORT CONNECTIONS TOKENS → "wall_s cpu_ms per_second" (CPU: perf's
# task-clock of the whole process), or nothing if the run does not count.
pushlab_run() {
  local cred=(--cert "$w/ck.pem") n start end
  [ "$1" = p12 ] && cred=(--cert "$w/ck.p12" --password-env BENCH_PW)
  n=$(wc -l <"$4")
  start=$(date +%s.%N)
  BENCH_PW=bench perf stat -x, -e task-clock -o "$w/perf" "$pushlab" batch --tokens "$4" \
    --server "127.0.0.1:$2" --ca "$pki/ca.pem" "${cred[@]}" --topic "$TOPIC" --alert bench \
    --json --connections "$3" >"$w/out.json" 2>/dev/null || true
  end=$(date +%s.%N)
  [ "$(grep -c '"outcome"' "$w/out.json")" = "$n" ] || return 0
  [ "$(tail -1 "$w/out.json" | sed -nE 's/.*"delivered":([0-9]+).*/\1/p')" = "$n" ] || return 0
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')" \
    "$(grep task-clock "$w/perf" | cut -d, -f1)" \
    "$(tail -1 "$w/out.json" | sed -nE 's/.*"per_second":([0-9]+).*/\1/p')"
}

if [ "$PART" != rate ]; then
  start_nginx 18430 0
  python3 scripts/bench/delayproxy.py 18440 18430 0.025 &
  pids+=($!)
  sleep 1
  tokens 16 "$w/t16"
  echo "## 16 tokens: wall s / CPU ms (median of $RUNS); $(machine)"
  echo "| credential | path | 1 | 4 | 16 |"
  echo "|---|---|---|---|---|"
  for cred in pem p12; do
    for port in 18430 18440; do
      path=loopback
      [ "$port" = 18440 ] && path="50 ms round trip"
      row="| $cred | $path |"
      for c in 1 4 16; do
        for _ in $(seq "$RUNS"); do pushlab_run "$cred" "$port" "$c" "$w/t16"; done >"$w/runs"
        row="$row $(awk '{ print $1 }' "$w/runs" | median) / $(awk '{ print $2 }' "$w/runs" | median) |"
      done
      echo "$row"
    done
  done
  stop_nginx
  echo
fi

[ "$PART" = cost ] && exit 0

# CPU instructions of one run under callgrind: COMMAND... → the total, or nothing.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$w/cg" "$@" >"$w/cg.out" 2>/dev/null || true
  sed -nE 's/^summary: ([0-9]+)$/\1/p' "$w/cg"
}
# Instructions per push of a client: (a run of ALL pushes - a run of FEW) / (ALL - FEW), where
# FEW is one push a connection; "-" unless both runs delivered every push (CHECK FILE N says).
per_push() {
  local few=$1 all=$2 a b
  a=$(cat "$w/i.$few") b=$(cat "$w/i.$all")
  if [ -n "$a" ] && [ -n "$b" ]; then echo $(((b - a) / (all - few))); else echo -; fi
}
if [ "$PART" = instructions ]; then
  IN=${BENCH_INSTR_N:-10000}
  start_nginx 443 0
  echo "## CPU instructions per push (callgrind; $IN pushes less one a connection; nginx answers at once)"
  echo "| connections | pushlab | h2load \`-m 1000\` | a2 | pushlab / h2load |"
  echo "|---|---|---|---|---|"
  for c in $CONNS; do
    row="| $c |"
    for n in "$c" "$IN"; do
      tokens "$n" "$w/t$n"
      sed "s|^|https://127.0.0.1:443/3/device/|" "$w/t$n" >"$w/u$n"
      instructions "$pushlab" batch --tokens "$w/t$n" --server 127.0.0.1:443 --ca "$pki/ca.pem" \
        --cert "$w/ck.pem" --topic "$TOPIC" --alert bench --json --connections "$c" >"$w/i.$n"
      grep -qs "\"delivered\":$n," "$w/cg.out" || : >"$w/i.$n"
    done
    p=$(per_push "$c" "$IN")
    for n in "$c" "$IN"; do
      instructions h2load -n "$n" -c "$c" -m 1000 -i "$w/u$n" -d "$w/body.json" >"$w/i.$n"
      grep -qs "^status codes: $n 2xx" "$w/cg.out" || : >"$w/i.$n"
    done
    h=$(per_push "$c" "$IN")
    for n in "$c" "$IN"; do
      # valgrind inside the namespace: it does not follow the `exec` that enters it.
      unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$w/hosts" \
        valgrind --tool=callgrind --callgrind-out-file="$w/cg" "$a2" --tokens "$w/t$n" \
        --cert "$w/ck.pem" --topic "$TOPIC" --connections "$c" >"$w/cg.out" 2>/dev/null || true
      sed -nE 's/^summary: ([0-9]+)$/\1/p' "$w/cg" >"$w/i.$n"
      grep -qs "\"ok\":$n[,}]" "$w/cg.out" || : >"$w/i.$n"
    done
    a=$(per_push "$c" "$IN")
    ratio=-
    [ "$p" != - ] && [ "$h" != - ] && ratio=$(awk -v p="$p" -v h="$h" 'BEGIN { printf "%.2f", p / h }')
    echo "$row $p | $h | $a | $ratio |"
  done
  stop_nginx
  exit 0
fi

# Runs of the other clients: each prints its rate, or nothing if the run does not count.
h2load_run() {
  h2load -n "$N" -c "$1" -m 1000 -i "$w/uris" -d "$w/body.json" 2>/dev/null |
    awk -v n="$N" '/^status codes:/ { ok = ($3 == n) } /^finished in/ { r = $4 } END { if (ok) print int(r) }'
}
node_apn_run() {
  node scripts/bench/node-apn-batch.js --tokens "$w/tN" --host 127.0.0.1 --port 443 \
    --cert "$w/ck.pem" --key "$w/ck.pem" --ca "$pki/ca.pem" --topic "$TOPIC" \
    --connections "$1" --chunk $(($1 * 1000)) 2>/dev/null |
    python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); n=int(sys.argv[1])
if r["sent"] == n and r["ok"] == n and r["failed"] == 0: print(r["per_second"])' "$N" || true
}
a2_run() {
  unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$w/hosts" \
    "$a2" --tokens "$w/tN" --cert "$w/ck.pem" --topic "$TOPIC" --connections "$1" 2>/dev/null |
    python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); n=int(sys.argv[1])
if r["sent"] == n and r["ok"] == n: print(int(r["per_second"]))' "$N" || true
}

# The nginx worker's CPU time so far (user + system, ms): what a run cost the server. Clients
# that send the same pushes can cost it very differently (see the second table).
server_cpu() {
  local worker
  worker=$(pgrep -P "$nginx_pid" | head -1)
  awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$worker/stat"
}
# TCP segments the machine has received so far: on loopback, every segment either side sent.
segments() { awk '/^Tcp:/ { if (n++) print $11 }' /proc/net/snmp; }
# One counted run of a client: FILE FUNCTION ARGS... appends its rate to FILE, the server's
# CPU during it to FILE.cpu and the TCP segments to FILE.segs.
counted() {
  local file=$1 before segs rate
  shift
  before=$(server_cpu)
  segs=$(segments)
  rate=$("$@")
  [ -n "$rate" ] || return 0
  echo "$rate" >>"$file"
  echo $(($(server_cpu) - before)) >>"$file.cpu"
  echo $(($(segments) - segs)) >>"$file.segs"
}
pushlab_rate() { pushlab_run pem 443 "$1" "$w/tN" | awk '{ print $3 }'; }

tokens "$N" "$w/tN"
sed "s|^|https://127.0.0.1:443/3/device/|" "$w/tN" >"$w/uris"
echo "## $N tokens: pushes per second (median of $RUNS); $(machine)"
echo "| per answer | connections | pushlab | h2load \`-m 1000\` | node-apn | a2 | wire limit |"
echo "|---|---|---|---|---|---|---|"
cpu_rows=()
for delay in $DELAYS; do
  start_nginx 443 "$delay"
  for c in $CONNS auto; do
    for f in p h n a; do : >"$w/$f" && : >"$w/$f.cpu" && : >"$w/$f.segs"; done
    for _ in $(seq "$RUNS"); do
      counted "$w/p" pushlab_rate "$c"
      [ "$c" = auto ] && continue
      counted "$w/h" h2load_run "$c"
      counted "$w/n" node_apn_run "$c"
      counted "$w/a" a2_run "$c"
    done
    limit=-
    [ "$c" != auto ] && [ "$delay" -gt 0 ] && limit=$((c * 1000 * 1000 / delay))
    row="| $delay ms | $c | $(median <"$w/p") |"
    for f in h n a; do
      [ "$c" = auto ] && row="$row - |" && continue
      row="$row $(median <"$w/$f") |"
    done
    echo "$row $limit |"
    cpu_row="| $delay ms | $c |"
    for f in p h n a; do cpu_row="$cpu_row $(median <"$w/$f.cpu") / $(median <"$w/$f.segs") |"; done
    cpu_rows+=("$cpu_row")
  done
  stop_nginx
done
echo
echo "## The server's CPU per run (nginx's worker, user + system ms for the $N pushes) / TCP segments (both ways); median of the counted runs"
echo "| per answer | connections | serving pushlab | h2load | node-apn | a2 |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${cpu_rows[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
