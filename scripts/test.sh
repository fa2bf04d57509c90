#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# .ci/run has run it already.
[ -n "${PUSHLAB_SETUP_DONE:-}" ] || bash scripts/setup.sh
cargo test --all-targets --locked "$@"
# The library alone, as `default-features = false` users get it (no app, no command line),
# with its own tests, and the command line without the app, with its own: the compiler holds
# the layers apart (the library cannot use clap, anyhow or eframe; the CLI cannot use eframe).
# The dev-dependencies are built exactly as above (see Cargo.toml), so these build only
# pushlab itself: about 15 s each on 2 cores.
cargo test --no-default-features --lib --locked "$@"
cargo test --no-default-features --features cli --bins --locked "$@"
cargo test --doc --locked
