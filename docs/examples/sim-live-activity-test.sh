#!/bin/sh
# A backend's Live Activity test against `pushlab sim --api-port N`, in shell with curl. The
# start goes to the app's push-to-start token; updates go to the token the phone made for the
# new activity, which your app reports to your server (here the API says it).
# Apple takes Live Activity pushes only over a token-based connection, and so does the
# simulator: start it with `--auth-key KEY --team-id TEAM_ID` (a key from `pushlab sim issue-key`).
# Needs: API, APNS, KEY (the .p8), KEY_ID, TEAM_ID, CA, TOPIC, TOKEN (the push-to-start token).
set -eu
# The provider token, made with openssl as Apple's "Sending push notifications using
# command-line tools" shows (ES256; valid for up to an hour).
b64url() { openssl base64 -e -A | tr -- '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"ES256","kid":"%s"}' "$KEY_ID" | b64url)
claims=$(printf '{"iss":"%s","iat":%s}' "$TEAM_ID" "$(date +%s)" | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -binary -sha256 -sign "$KEY" | b64url)
JWT="$header.$claims.$signature"
push() { # TOKEN PAYLOAD: prints the HTTP status APNs answered
  curl -sS -o /dev/null -w '%{http_code}' --http2 --cacert "$CA" \
    -H "authorization: bearer $JWT" \
    -H "apns-topic: $TOPIC.push-type.liveactivity" -H 'apns-push-type: liveactivity' \
    -H 'apns-priority: 10' --data "$2" "https://localhost:${APNS##*:}/3/device/$1"
}
now=$(date +%s)
start='{"aps":{"event":"start","timestamp":'$now',"attributes-type":"Order","attributes":{},"content-state":{"status":"placed"},"alert":{"title":"Order placed"}}}'
update='{"aps":{"event":"update","timestamp":'$((now + 1))',"content-state":{"status":"shipped"}}}'
[ "$(push "$TOKEN" "$start")" = 200 ]
curl -sSf "$API/api/v1/deliveries/wait?count=1&timeout=5000&token=$TOKEN" > /dev/null
activity=$(curl -sSf "$API/api/v1/activities?start_token=$TOKEN" |
  sed -n 's/.*"id":"\([0-9a-f]\{64\}\)".*/\1/p')
[ -n "$activity" ]
# Sent to the push-to-start token: APNs answers 200, and no activity changes.
[ "$(push "$TOKEN" "$update")" = 200 ]
curl -sSf "$API/api/v1/activities/$activity" | grep -q '"why":"to_start_token"'
# At the activity's own token it is applied.
[ "$(push "$activity" "$update")" = 200 ]
curl -sSf "$API/api/v1/activities/$activity" | grep -q '"status":"shipped"'
echo "ok: started, then updated at the activity's own token"
