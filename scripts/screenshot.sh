#!/usr/bin/env bash
# Takes screenshots of the desktop app in a virtual X server (Xvfb), one PNG per screen, into
# target/screenshots/. Uses a throw-away HOME and XDG folders, and credentials made here with
# the openssl command line. Not part of CI: it needs X packages and looks, it does not test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

packages=(xvfb xauth imagemagick xdotool libgl1 libegl1 libgl1-mesa-dri libxkbcommon-x11-0 openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "screenshot: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PUSHLAB_PROFILE=release to time a large batch as users get it.
profile=${PUSHLAB_PROFILE:-debug}
if [ "$profile" = release ]; then cargo build --release --locked --bin pushlab; else cargo build --locked --bin pushlab; fi
bin=${CARGO_TARGET_DIR:-$root/target}/$profile/pushlab
out=$root/target/screenshots
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

# --- Credentials shaped like Apple's, made with openssl -------------------------------------
files=$work/files
mkdir -p "$files"
push_cert() { # name bundle days extension-oids...
  local name=$1 bundle=$2 days=$3
  shift 3
  local ext=()
  for oid in "$@"; do ext+=(-addext "$oid=DER:0500"); done
  openssl req -x509 -newkey rsa:2048 -nodes -days "$days" -keyout "$files/$name.key" \
    -out "$files/$name.pem" -subj "/UID=$bundle/CN=Apple Push Services: $bundle/OU=PUSHLAB123/O=Screenshot Inc./C=US" \
    -addext "basicConstraints=critical,CA:FALSE" "${ext[@]}" 2>/dev/null
}
dev=1.2.840.113635.100.6.3.1
prod=1.2.840.113635.100.6.3.2
push_cert doorbell com.example.doorbell 365 "$dev"
push_cert shop com.example.shop 12 "$prod"
push_cert chat com.example.chat 300 "$dev" "$prod"
PL_PASS=secret openssl pkcs12 -export -in "$files/doorbell.pem" -inkey "$files/doorbell.key" \
  -passout pass: -out "$files/Push.p12"
PL_PASS=secret openssl pkcs12 -export -in "$files/chat.pem" -inkey "$files/chat.key" \
  -passout env:PL_PASS -out "$files/Chat.p12"
cat "$files/shop.pem" "$files/shop.key" >"$files/shop-ck.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$files/AuthKey_ABC123DEFG.p8" 2>/dev/null

write_state() { # appearance, then name=path pairs
  local appearance=$1
  shift
  local entries=""
  for pair in "$@"; do
    entries+="(name:\\\"${pair%%=*}\\\",path:\\\"${pair#*=}\\\"),"
  done
  printf '{\n    "app": "(settings:(appearance:%s),credentials:[%s])",\n}\n' "$appearance" "$entries" \
    >"$XDG_DATA_HOME/pushlab/app.ron"
}

# --- Running the app and taking pictures ----------------------------------------------------
display=${SCREENSHOT_DISPLAY:-99}
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=:$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

app_pid=""
window=""
start_app() {
  "$bin" >"$work/app.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  window=""
  for _ in $(seq 300); do
    window=$(xdotool search --name '^Pushlab$' 2>/dev/null | head -1 || true)
    [ -n "$window" ] && break
    sleep 0.1
  done
  [ -n "$window" ] || { cat "$work/app.log"; echo "screenshot: the window never appeared" >&2; exit 1; }
  sleep 2 # first frames, fonts, and the worker reading the saved files
}
stop_app() {
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
}
shot() {
  sleep 0.8
  import -window "$window" "$out/$1.png"
  echo "screenshot: $out/$1.png"
}
click() { # x y, relative to the window
  xdotool mousemove --window "$window" "$1" "$2" click 1
}

if [ -z "${ONLY_SENDING:-}" ]; then
# 1. First start: nothing saved, following the system (dark under Xvfb).
write_state System
start_app
shot 01-welcome-dark
click 630 277 # "New test certificate…" on the welcome card
shot 02-generate-form-dark
stop_app

# 2. A saved list, light appearance: the first entry's details, a locked .p12, a .p8.
write_state Light "Push.p12=$files/Push.p12" "shop-ck.pem=$files/shop-ck.pem" \
  "Chat.p12=$files/Chat.p12" "AuthKey_ABC123DEFG.p8=$files/AuthKey_ABC123DEFG.p8"
start_app
shot 03-credential-detail-light
click 330 280 # second row: expiring soon
shot 04-expiring-soon-light
click 330 350 # third row: protected .p12
shot 05-passphrase-prompt-light
click 330 420 # fourth row: auth key
shot 06-auth-key-light
stop_app
fi

# 3. The sending screens, against the embedded simulator on a fixed port: a test certificate
#    from the simulator's CA (as "Generate test certificate" makes), saved devices, and pushes
#    sent from outside with the command line so the inbox has something to show.
sim_port=47123
"$bin" sim issue-cert --bundle-id com.example.doorbell --out "$files/doorbell-test.pem" >/dev/null
demo=740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad
alice=a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1
bob=b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2
devices="(name:\\\"Demo iPhone (simulator)\\\",token:\\\"$demo\\\",group:\\\"demo\\\"),(name:\\\"Alice's iPhone\\\",token:\\\"$alice\\\",group:\\\"Alice's account\\\"),(name:\\\"Bob's iPad\\\",token:\\\"$bob\\\",group:\\\"shared: Bob's iPad\\\")"
printf '{\n    "app": "(settings:(appearance:%s),credentials:[(name:\\"com.example.doorbell (test, development)\\",path:\\"%s\\")],simulator:(port:%s),compose:(token:\\"%s\\"),devices:[%s])",\n}\n' \
  Light "$files/doorbell-test.pem" "$sim_port" "$demo" "$devices" >"$XDG_DATA_HOME/pushlab/app.ron"
start_app
nav() { # section row in the navigation
  case $1 in
    credentials) click 95 93 ;; connection) click 95 129 ;; doctor) click 95 165 ;;
    compose) click 95 223 ;; batch) click 95 259 ;; channels) click 95 295 ;;
    history) click 95 331 ;; simulator) click 95 389 ;;
  esac
}
nav connection
click 763 110 # "Check connection"
shot 07-connection-check-light
cli_send() {
  "$bin" send --server "127.0.0.1:$sim_port" --ca "$XDG_DATA_HOME/pushlab/simulator/ca.pem" \
    --cert "$files/doorbell-test.pem" "$@" >/dev/null
}
cli_send --token "$alice" --title "Someone is at the door" --subtitle "Front door" \
  --alert "Tap to see who it is" --badge 1 --sound default
cli_send --token "$bob" --push-type background --payload <(echo '{"aps":{"content-available":1}}')
cli_send --token "$demo" --alert "Battery low (15 %)"
nav compose
shot 08-compose-form-light
click 756 533 # "Send"
shot 09-compose-sent-light
click 294 329 # "JSON"
shot 10-compose-json-light
click 236 329 # back to "Form"
nav simulator
shot 11-simulator-inbox-light
# A token file of 2,000 devices (BATCH_TOKENS to change; with PUSHLAB_FRAME_STATS=1 the app
# logs frame times, printed at the end) and two lines that are not tokens, then saved groups.
batch_tokens=${BATCH_TOKENS:-2000}
{
  echo "# exported from the doorbell database"
  seq 1 "$batch_tokens" | awk '{ printf "%064x Doorbell user %d\n", $1, $1 }'
  echo "<740f4707 bebcf74f> cut short"
  echo "not a token"
} >"$files/tokens.txt"
nav batch
click 217 313 # "Group: Alice's account"
click 472 313 # "Group: shared: Bob's iPad"
xdotool windowfocus --sync "$window" 2>/dev/null || true
click 415 256 # "Token file path"
xdotool type --delay 40 "$files/tokens.txt"
sleep 1
click 567 256 # "Load file"
sleep $((batch_tokens / 20000)) # reading a large file moves the Send button down when done
shot 12-batch-ready-light
click 300 660 # "Send batch to 2,003 devices"
sleep $((3 + batch_tokens / 4000))
shot 13-batch-results-light
xdotool mousemove --window "$window" 680 500
for _ in $(seq 12); do xdotool click 5; done
shot 14-batch-table-light
nav history
shot 15-history-light
nav channels
shot 15-channels-light
nav doctor
shot 16-doctor-light
click 247 287 # "Diagnose"
sleep 2
shot 16-doctor-diagnosed-light
memory=$(grep -E '^Vm(RSS|HWM)' "/proc/$app_pid/status" | tr -s ' \t' ' ' | tr '\n' ' ')
stop_app
if [ -n "${PUSHLAB_FRAME_STATS:-}" ]; then
  grep "pushlab frames" "$work/app.log" || true
  echo "app memory with the batch's results: $memory"
  # The batch as History saved it: how long it took from the first connection to the last answer.
  grep -oE 'batch:Some\(\(total:[0-9]+,delivered:[0-9]+' "$XDG_DATA_HOME/pushlab/app.ron" | tail -1 || true
  grep -oE 'seconds:[0-9.e-]+' "$XDG_DATA_HOME/pushlab/app.ron" | tail -1 || true
fi

# 4. The same in dark mode, the guide hidden.
# The app may have saved `guide_hidden` already: a second one would make the state unreadable.
sed -i 's/appearance:Light/appearance:Dark/; s/guide_hidden:false/guide_hidden:true/;
  /guide_hidden/!s/devices:\[/guide_hidden:true,devices:[/' "$XDG_DATA_HOME/pushlab/app.ron"
start_app
cli_send --token "$alice" --title "Someone is at the door" --subtitle "Front door" \
  --alert "Tap to see who it is" --badge 2 --sound default
cli_send --token "$demo" --push-type voip --topic com.example.doorbell.voip \
  --payload <(echo '{"aps":{},"caller":"Front door"}')
nav compose
click 294 259 # "JSON" (no guide above)
shot 16-compose-json-dark
nav simulator
shot 17-simulator-inbox-dark
nav connection
click 763 110 # "Check connection"
shot 18-connection-check-dark
click 217 161 # "Apple sandbox": offline here, so a failure with its cause and fix
click 763 110 # "Check connection"
sleep 4
shot 19-connection-failed-dark
stop_app

echo "screenshot: done, $(ls "$out" | wc -l) pictures in $out"
