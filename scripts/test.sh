#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# .ci/run has run it already.
[ -n "${PUSHLAB_SETUP_DONE:-}" ] || bash scripts/setup.sh
cargo test --all-targets --locked "$@"
cargo test --doc --locked
