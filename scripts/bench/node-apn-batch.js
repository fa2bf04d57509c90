// Sends one alert to every token of a file with @parse/node-apn (apn.Provider, HTTP/2), in
// chunks of --chunk (default 1,000) recipients per provider.send(), as node-apn users do.
// --connections N (default 1) uses apn.MultiProvider with N clients (one HTTP/2 connection
// each, taken in turn per recipient), node-apn's own way to spread load.
// Prints one JSON line: {"client":"node-apn","sent":N,"ok":N,"failed":N,"seconds":S,...}.
//
// node node-apn-batch.js --tokens FILE --host 127.0.0.1 --port PORT --cert ck.pem --key ck.pem
//                        --ca ca.pem [--topic ID] [--alert TEXT] [--chunk 1000] [--connections 1]
'use strict';

const fs = require('fs');
const path = require('path');

function args() {
  const out = { topic: 'com.example.bench', alert: 'bench', chunk: '1000', connections: '1' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ['tokens', 'host', 'port', 'cert', 'key', 'ca']) {
    if (!out[k]) throw new Error(`--${k} is required`);
  }
  return out;
}

async function main() {
  const a = args();
  // node-apn lives in target/bench-node (installed by scripts/bench.sh), or NODE_PATH.
  const apn = require(
    require.resolve('@parse/node-apn', {
      paths: [process.env.BENCH_NODE_DIR || path.join(__dirname, '..', '..', 'target', 'bench-node')],
    })
  );
  const tokens = fs
    .readFileSync(a.tokens, 'utf8')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l.length > 0);
  const connections = Number(a.connections);
  const Provider = connections > 1 ? apn.MultiProvider : apn.Provider;
  const provider = new Provider({
    clientCount: connections,
    cert: a.cert,
    key: a.key,
    ca: a.ca,
    address: a.host,
    port: Number(a.port),
    production: false,
    requestTimeout: 30000,
  });
  const chunk = Number(a.chunk);
  let ok = 0;
  let failed = 0;
  const statuses = {};
  let alpn = null;
  const started = process.hrtime.bigint();
  for (let i = 0; i < tokens.length; i += chunk) {
    const note = new apn.Notification();
    note.alert = a.alert;
    note.topic = a.topic;
    const result = await provider.send(note, tokens.slice(i, i + chunk));
    ok += result.sent.length;
    failed += result.failed.length;
    statuses[200] = (statuses[200] || 0) + result.sent.length;
    for (const f of result.failed) {
      const key = f.status || (f.error ? String(f.error.message || f.error) : 'unknown');
      statuses[key] = (statuses[key] || 0) + 1;
    }
    const client = provider.client && provider.client.clients ? provider.client.clients[0] : provider.client;
    if (alpn === null && client && client.session) {
      // Proof it is HTTP/2 over TLS: the protocol ALPN settled on.
      alpn = client.session.alpnProtocol || null;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  provider.shutdown();
  console.log(
    JSON.stringify({
      client: 'node-apn',
      version: require(
        require.resolve('@parse/node-apn/package.json', {
          paths: [process.env.BENCH_NODE_DIR || path.join(__dirname, '..', '..', 'target', 'bench-node')],
        })
      ).version,
      node: process.version,
      alpn,
      sent: tokens.length,
      ok,
      failed,
      statuses,
      chunk,
      connections,
      seconds: Number(seconds.toFixed(3)),
      per_second: Math.round(ok / seconds),
    })
  );
  process.exit(failed === 0 ? 0 : 1);
}

main().catch(e => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(2);
});
