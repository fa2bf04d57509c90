#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# .ci/run has run it already.
[ -n "${PUSHLAB_SETUP_DONE:-}" ] || bash scripts/setup.sh
cargo test --all-targets --locked "$@"
# The library alone, as `default-features = false` users get it (no app, no command line): its
# own tests again, with what the `gui` and `cli` features add left out. The dev-dependencies
# are built exactly as above (see Cargo.toml), so this builds only the library itself.
cargo test --no-default-features --lib --locked "$@"
cargo test --doc --locked
