// Drives the channel API with @parse/node-apn 8.1, an independent client, against a server
// (`pushlab sim` in tests/cli/cli_channels.rs). Two steps, so a test can subscribe a device to the
// new channel in between:
//
//   node channels.js create --port P --ca ca.pem --cert ck.pem --key ck.pem --bundle ID
//   node channels.js use --channel ID --port P --ca ca.pem --cert ck.pem --key ck.pem --bundle ID
//
// `create` makes a Most Recent Message Stored channel; `use` lists, reads, broadcasts one update
// on it and deletes it. Each answer is printed as one JSON line {"step", "sent", "failed"}; the
// exit code is 1 if any request failed.
'use strict';

const path = require('path');

function args() {
  const argv = process.argv.slice(2);
  const out = { step: argv[0] };
  for (let i = 1; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ['port', 'ca', 'cert', 'key', 'bundle']) {
    if (!out[k]) throw new Error(`--${k} is required`);
  }
  return out;
}

// node-apn lives in target/test-node (see the test), or NODE_APN_DIR.
const apn = require(
  require.resolve('@parse/node-apn', {
    paths: [process.env.NODE_APN_DIR || path.join(__dirname, '..', '..', 'target', 'test-node')],
  })
);

async function main() {
  const a = args();
  const provider = new apn.Provider({
    cert: a.cert,
    key: a.key,
    ca: a.ca,
    address: '127.0.0.1',
    port: Number(a.port),
    manageChannelsAddress: '127.0.0.1',
    manageChannelsPort: Number(a.port),
    production: false,
  });
  let failed = 0;
  const report = (step, result) => {
    failed += result.failed.length;
    console.log(JSON.stringify({ step, sent: result.sent, failed: result.failed }));
  };
  try {
    if (a.step === 'create') {
      const note = new apn.Notification();
      note.payload = { 'message-storage-policy': 1 };
      report('create', await provider.manageChannels(note, a.bundle, 'create'));
    } else if (a.step === 'use') {
      const named = () => {
        const note = new apn.Notification();
        note.channelId = a.channel;
        return note;
      };
      report('list', await provider.manageChannels(new apn.Notification(), a.bundle, 'readAll'));
      report('read', await provider.manageChannels(named(), a.bundle, 'read'));
      const update = named();
      update.pushType = 'liveactivity';
      update.priority = 5;
      update.expiry = 0;
      update.rawPayload = {
        aps: { event: 'update', timestamp: 1764460800, 'content-state': { home: 3, away: 1 } },
      };
      report('broadcast', await provider.broadcast(update, a.bundle));
      report('delete', await provider.manageChannels(named(), a.bundle, 'delete'));
    } else {
      throw new Error(`unknown step ${a.step}`);
    }
  } finally {
    await provider.shutdown();
  }
  process.exit(failed === 0 ? 0 : 1);
}

main().catch(e => {
  console.error(e);
  process.exit(2);
});
