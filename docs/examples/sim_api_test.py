"""A backend's test against `pushlab sim --api-port N`, in Python with the standard library.

Needs API, APNS, CERT, CA, TOPIC, TOKEN in the environment. `backend_send` stands in for your
backend (Python's standard library has no HTTP/2, so it calls curl); `dead_tokens` is what
your backend does with a 410.
"""
import json
import os
import subprocess
import urllib.request

API = os.environ["API"]
TOKEN = os.environ["TOKEN"]
dead_tokens = set()


def api(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(API + path, data=data, method=method,
                                 headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            return r.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode() or "null")


def backend_send(token, alert):
    port = os.environ["APNS"].rsplit(":", 1)[1]
    out = subprocess.run(
        ["curl", "-sS", "-w", "\n%{http_code}", "--http2", "--cert", os.environ["CERT"],
         "--cacert", os.environ["CA"], "-H", "apns-topic: " + os.environ["TOPIC"],
         "-H", "apns-push-type: alert", "--data", json.dumps({"aps": {"alert": alert}}),
         f"https://localhost:{port}/3/device/{token}"],
        capture_output=True, text=True, check=True).stdout
    body, status = out.rsplit("\n", 1)
    if status == "410":  # the backend's 410 handling under test
        dead_tokens.add(token)
    return int(status), json.loads(body) if body else None


api("DELETE", "/api/v1/deliveries")
assert backend_send(TOKEN, "Your order shipped")[0] == 200
status, got = api("GET", f"/api/v1/deliveries/wait?count=1&timeout=5000&token={TOKEN}")
assert status == 200 and got["items"][0]["payload"]["aps"]["alert"] == "Your order shipped", got

api("PUT", f"/api/v1/devices/{TOKEN}", {"state": "unregistered", "unregistered_at_ms": 1764460800000})
status, answer = backend_send(TOKEN, "Second")
assert status == 410 and answer == {"reason": "Unregistered", "timestamp": 1764460800000}, answer
assert TOKEN in dead_tokens
print("ok: delivered, then 410 Unregistered")
