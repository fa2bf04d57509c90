#!/usr/bin/env bash
# Builds and starts pushlab (release build), passing any arguments on.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run --release --locked -- "$@"
