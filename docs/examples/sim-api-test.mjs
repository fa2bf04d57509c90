// A backend's test against `pushlab sim --api-port N`, in Node (18+: fetch, http2).
// Needs API, APNS, CERT, CA, TOPIC, TOKEN in the environment. `backendSend` stands in for your
// backend; `deadTokens` is what it does with a 410.
import http2 from "node:http2";
import fs from "node:fs";
import assert from "node:assert/strict";

const { API, APNS, CERT, CA, TOPIC, TOKEN } = process.env;
const deadTokens = new Set();

async function api(method, path, body) {
  const r = await fetch(API + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

function backendSend(token, alert) {
  const pem = fs.readFileSync(CERT);
  const client = http2.connect(`https://localhost:${APNS.split(":").pop()}`, {
    ca: fs.readFileSync(CA), cert: pem, key: pem,
  });
  return new Promise((resolve, reject) => {
    const req = client.request({
      ":method": "POST", ":path": `/3/device/${token}`,
      "apns-topic": TOPIC, "apns-push-type": "alert",
    });
    let status = 0, body = "";
    req.on("response", (h) => (status = h[":status"]));
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      client.close();
      if (status === 410) deadTokens.add(token); // the backend's 410 handling under test
      resolve({ status, json: body ? JSON.parse(body) : null });
    });
    req.on("error", reject);
    req.end(JSON.stringify({ aps: { alert } }));
  });
}

await api("DELETE", "/api/v1/deliveries");
assert.equal((await backendSend(TOKEN, "Your order shipped")).status, 200);
const got = await api("GET", `/api/v1/deliveries/wait?count=1&timeout=5000&token=${TOKEN}`);
assert.equal(got.status, 200);
assert.equal(got.json.items[0].payload.aps.alert, "Your order shipped");

await api("PUT", `/api/v1/devices/${TOKEN}`, { state: "unregistered" });
const gone = await backendSend(TOKEN, "Second");
assert.equal(gone.status, 410);
assert.equal(gone.json.reason, "Unregistered");
assert.ok(deadTokens.has(TOKEN));
console.log("ok: delivered, then 410 Unregistered");
