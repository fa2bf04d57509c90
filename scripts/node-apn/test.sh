#!/usr/bin/env bash
# Installs @parse/node-apn 8.1 into target/test-node (npm) and runs the test in which it drives
# the simulator's channel API: tests/cli/cli_channels.rs `node_apn_drives_the_channel_api`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/target/test-node
version=8.1.0
command -v node >/dev/null || { echo "node-apn test: node is not installed" >&2; exit 2; }
if ! grep -qs "\"version\": \"$version\"" "$dir/node_modules/@parse/node-apn/package.json"; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "@parse/node-apn@$version" >/dev/null
fi
cd "$root"
NODE_APN_DIR=$dir cargo test --test cli -- --ignored node_apn_drives_the_channel_api
