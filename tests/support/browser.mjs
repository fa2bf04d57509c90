// Drives Debian's headless chromium over the DevTools protocol for tests/sim_api/: opens
// URL, says "ready" once the page reports its event stream live, waits for a line on stdin
// (the test has sent a push), then waits until the rendered DOM shows WANT without a reload,
// saves a screenshot to SHOT and prints the list's HTML and the Live Activities'. Node 20: `--experimental-websocket`.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

const { URL: PAGE, WANT, SHOT } = process.env;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "pushlab-chromium-"));
const chrome = spawn("chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
  `--user-data-dir=${profile}`, "--window-size=900,1000", "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });

function fail(why) {
  console.error(why);
  chrome.kill();
  process.exit(1);
}
setTimeout(() => fail("timed out"), 60_000).unref();

const browserWs = await new Promise((resolve) => {
  let text = "";
  chrome.stderr.on("data", (d) => {
    text += d;
    const m = text.match(/DevTools listening on (ws:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
});
const port = new globalThis.URL(browserWs).port;
const target = await (await fetch(`http://127.0.0.1:${port}/json/new?${PAGE}`, { method: "PUT" })).json();
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener("open", r));
let next = 1;
const waiting = new Map();
ws.addEventListener("message", (e) => {
  const msg = JSON.parse(e.data);
  if (msg.id && waiting.has(msg.id)) {
    waiting.get(msg.id)(msg);
    waiting.delete(msg.id);
  }
});
function call(method, params = {}) {
  const id = next++;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((r) => waiting.set(id, r));
}
async function evaluate(expression) {
  const r = await call("Runtime.evaluate", { expression, returnByValue: true });
  return r.result && r.result.result ? r.result.result.value : undefined;
}
async function until(what, expression) {
  for (;;) {
    const v = await evaluate(expression);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50)); // polling the browser, with the 60 s deadline above
  }
}

await until("live", `document.getElementById("live") && document.getElementById("live").textContent === "live"`);
console.log("ready");
const stdin = readline.createInterface({ input: process.stdin });
await new Promise((r) => stdin.once("line", r));
await until("the push", `[...document.querySelectorAll("#list article.notif")].some(a => a.textContent.includes(${JSON.stringify(WANT)}))`);
await until("still", `document.getAnimations().length === 0`);
const shot = await call("Page.captureScreenshot", { format: "png" });
if (SHOT) fs.writeFileSync(SHOT, Buffer.from(shot.result.data, "base64"));
console.log(await evaluate(`document.getElementById("list").outerHTML`));
console.log(await evaluate(`(document.getElementById("activities") || {outerHTML: ""}).outerHTML`));
console.log("scripts-in-list:" + await evaluate(`document.querySelectorAll("#list script, #list img").length`));
chrome.kill();
ws.close();
process.exit(0);
