#!/bin/sh
# A backend's test against `pushlab sim --api-port N`, in shell with curl.
# Needs: API (http://127.0.0.1:PORT), APNS (127.0.0.1:PORT), CERT (pushlab sim issue-cert),
# CA (pushlab sim export-ca), TOPIC, TOKEN. `backend_send` stands in for your backend.
set -eu
backend_send() { # prints the HTTP status APNs answered
  curl -sS -o /dev/null -w '%{http_code}' --http2 --cert "$CERT" --cacert "$CA" \
    -H "apns-topic: $TOPIC" -H 'apns-push-type: alert' \
    --data '{"aps":{"alert":"Your order shipped"}}' "https://localhost:${APNS##*:}/3/device/$TOKEN"
}
curl -sSf -X DELETE "$API/api/v1/deliveries"                       # a clean inbox
[ "$(backend_send)" = 200 ]
# Answers as soon as the push is there (408 after 5 s): no sleep.
curl -sSf "$API/api/v1/deliveries/wait?count=1&timeout=5000&token=$TOKEN" | grep -q 'Your order shipped'
# The user deletes the app: the next push must get 410, and the backend must drop the token.
curl -sSf -X PUT -H 'content-type: application/json' \
  -d '{"state":"unregistered"}' "$API/api/v1/devices/$TOKEN" > /dev/null
[ "$(backend_send)" = 410 ]
curl -sSf "$API/api/v1/rejections?reason=Unregistered&token=$TOKEN" | grep -q '"count":1'
echo "ok: delivered, then 410 Unregistered"
