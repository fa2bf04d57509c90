#!/usr/bin/env bash
# Builds the Debian package with cargo-deb: the release binary, the desktop entry, AppStream
# metainfo, hicolor icons, and the man pages and shell completions generated from the CLI
# definition. Output: target/debian/pushlab_<version>_<arch>.deb.
#
# scripts/package.sh          build the .deb
# scripts/package.sh --test   build it, then (as root) install it with dpkg, check what it
#                             installed with the tools that own each format, and remove it
# scripts/package.sh --test --built
#                             the same with the binary `cargo test` has just left in
#                             target/debug (CI: the tests ran it; building it again as
#                             `cargo build` would recompile pushlab: dev-dependencies
#                             turn on other features of shared crates)
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
need=()
for p in dpkg-dev desktop-file-utils appstream man-db bash-completion; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "package: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! command -v cargo-deb >/dev/null; then
  echo "package: installing cargo-deb"
  # Built as its authors build it: not with the lint settings CI gives pushlab's own build.
  env -u RUSTC_WORKSPACE_WRAPPER -u RUSTFLAGS \
    cargo install cargo-deb --locked --version 3.8.0 --quiet
fi
# `--install-tool`: only the above (CI installs it before its own build settings apply).
[ "${1:-}" = "--install-tool" ] && exit 0

# The shipped package is built from the release profile. `--test` checks what the package holds
# and how it installs, which the optimisation level does not change, so it packs the dev-profile
# binary the test suite has just built instead of spending ten minutes of CI on a release build.
profile=release
[ "${1:-}" = "--test" ] && profile=dev
if [ "$profile" = release ]; then
  cargo build --release --locked --bin pushlab
  bin=target/release/pushlab
else
  [ "${2:-}" = "--built" ] && [ -x target/debug/pushlab ] || cargo build --locked --bin pushlab
  bin=target/debug/pushlab
fi
out=target/package
rm -rf "$out"
mkdir -p "$out/man" "$out/completions"
"$bin" man --out "$out/man"
gzip -9n "$out"/man/*.1
"$bin" completions bash >"$out/completions/pushlab"
"$bin" completions zsh >"$out/completions/_pushlab"
"$bin" completions fish >"$out/completions/pushlab.fish"
# cargo-deb warns that a dev profile is meant for testing only, which is what it is here.
deb=$(cargo deb --profile "$profile" --no-build --locked 2>/dev/null | tail -1)
echo "package: $deb"

[ "${1:-}" = "--test" ] || exit 0

# --- install, check with each format's own tool, remove --------------------------------------
fail() { echo "package test: $*" >&2; exit 1; }
$sudo dpkg -i "$deb" >/dev/null
installed=$(dpkg -L pushlab)
command -v pushlab >/dev/null || fail "pushlab is not on the PATH"
version=$(pushlab --version)
[ "$version" = "pushlab $(sed -nE 's/^version = "(.*)"/\1/p' Cargo.toml | head -1)" ] || fail "pushlab --version said '$version'"
desktop-file-validate /usr/share/applications/dev.pushlab.Pushlab.desktop || fail "desktop entry"
appstreamcli validate --no-net /usr/share/metainfo/dev.pushlab.Pushlab.metainfo.xml >/dev/null || fail "metainfo"
for size in 32 64 128 256 512; do
  [ -f "/usr/share/icons/hicolor/${size}x${size}/apps/dev.pushlab.Pushlab.png" ] || fail "icon ${size}px"
done
man -w pushlab >/dev/null || fail "man -w pushlab"
man -w pushlab-doctor >/dev/null || fail "man -w pushlab-doctor"
bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null; source /usr/share/bash-completion/completions/pushlab && complete -p pushlab' >/dev/null ||
  fail "the bash completion does not source"
ldd "$(command -v pushlab)" | grep -q "not found" && fail "a library the binary needs is missing"
$sudo dpkg -r pushlab >/dev/null
while read -r path; do
  [ -f "$path" ] && fail "$path is still there after dpkg -r"
done <<<"$installed"
echo "package test: installed, checked and removed $(basename "$deb")"
