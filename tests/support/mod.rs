//! Fixtures made by the tests themselves: a CA, push certificates of every kind, keys, and the
//! `openssl` command line as an independent oracle.
#![allow(dead_code, clippy::unwrap_used)]

pub mod cli;
pub mod doctor;
#[cfg(feature = "gui")]
pub mod gui;
pub mod h2client;
pub mod h2peer;
pub mod proxy;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use openssl::pkey::{PKey, Private};
use pushlab::cert::{CertEnvironment, CertificateAuthority, Credential, PushCertificateSpec};

pub const DAY: i64 = 86_400;

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn ca() -> CertificateAuthority {
    CertificateAuthority::generate("Pushlab Test WWDR").unwrap()
}

pub fn push_cert(ca: &CertificateAuthority, bundle: &str, env: CertEnvironment) -> Credential {
    ca.issue_push_certificate(&PushCertificateSpec::new(bundle, env))
        .unwrap()
}

pub fn push_cert_valid(
    ca: &CertificateAuthority,
    bundle: &str,
    env: CertEnvironment,
    not_before: i64,
    not_after: i64,
) -> Credential {
    ca.issue_push_certificate(&PushCertificateSpec::new(bundle, env).valid(not_before, not_after))
        .unwrap()
}

pub fn ec_key() -> PKey<Private> {
    let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap()
}

/// A test auth key trusted by `config` (its team `TESTTEAM01`): Live Activities and location
/// pushes go only over a token-based connection.
pub fn trusted_key(config: &mut pushlab::sim::SimConfig) -> pushlab::cert::AuthKey {
    let key = pushlab::cert::TestAuthKey::generate()
        .unwrap()
        .auth_key(pushlab::cert::TEST_TEAM_ID)
        .unwrap();
    config
        .auth_keys
        .push(pushlab::sim::RegisteredKey::from_auth_key(&key).unwrap());
    key
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs the `openssl` command line; secrets go through environment variables.
pub fn openssl(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("openssl");
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the openssl command line is installed");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The unencrypted PKCS#8 DER of the key in a PEM file, as the `openssl` CLI reads it.
pub fn key_der_via_openssl(path: &Path, pass: Option<&str>) -> Vec<u8> {
    let p = path.to_str().unwrap();
    let mut args = vec!["pkey", "-in", p, "-outform", "DER"];
    if pass.is_some() {
        args.extend(["-passin", "env:PL_PASS"]);
    }
    openssl(&args, &[("PL_PASS", pass.unwrap_or(""))]).stdout
}

/// The DER of the first certificate in a PEM file, as the `openssl` CLI reads it.
pub fn cert_der_via_openssl(path: &Path) -> Vec<u8> {
    openssl(
        &["x509", "-in", path.to_str().unwrap(), "-outform", "DER"],
        &[],
    )
    .stdout
}

/// Every name in a folder, sorted: a temporary file left behind shows up here.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `pushlab` binary, with its data folder (`$XDG_DATA_HOME/pushlab`: batch journals, the
/// simulator's CA) under `target/tmp` rather than in the home of whoever runs the tests, which
/// they used to fill with the journals of batches that fail on purpose and whose simulator CA
/// they would have used. A test that needs a folder of its own sets `XDG_DATA_HOME` again.
pub fn pushlab() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pushlab"));
    cmd.env(
        "XDG_DATA_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-data"),
    );
    cmd
}

pub mod legacy;

/// DER: a header for `tag` with `len` content bytes.
fn der_header(tag: u8, len: usize) -> Vec<u8> {
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out
}

/// DER: the elements inside a SEQUENCE (definite lengths), as whole encodings.
fn der_elements(seq: &[u8]) -> Vec<Vec<u8>> {
    let header = |b: &[u8]| -> (usize, usize) {
        if b[1] < 0x80 {
            (2, b[1] as usize)
        } else {
            let n = (b[1] & 0x7f) as usize;
            (
                2 + n,
                b[2..2 + n].iter().fold(0, |l, &x| (l << 8) | x as usize),
            )
        }
    };
    let (h, len) = header(seq);
    let mut rest = &seq[h..h + len];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (h, len) = header(rest);
        out.push(rest[..h + len].to_vec());
        rest = &rest[h + len..];
    }
    out
}

/// A `.p12` (PFX) with its MAC's iteration count replaced, lengths re-encoded: what a
/// hostile file can ask of OpenSSL without breaking anything else.
pub fn p12_with_mac_iterations(p12: &[u8], iterations: u64) -> Vec<u8> {
    let pfx = der_elements(p12);
    assert_eq!(pfx.len(), 3, "version, authSafe, macData");
    let mac = der_elements(&pfx[2]);
    let count: Vec<u8> = {
        let mut b: Vec<u8> = iterations
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        if b.first().is_none_or(|&x| x & 0x80 != 0) {
            b.insert(0, 0);
        }
        b
    };
    let mut integer = der_header(0x02, count.len());
    integer.extend(count);
    let mac_body: Vec<u8> = [mac[0].clone(), mac[1].clone(), integer].concat();
    let mut mac_data = der_header(0x30, mac_body.len());
    mac_data.extend(mac_body);
    let body: Vec<u8> = [pfx[0].clone(), pfx[1].clone(), mac_data].concat();
    let mut out = der_header(0x30, body.len());
    out.extend(body);
    out
}
