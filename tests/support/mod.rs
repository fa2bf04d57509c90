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

pub fn pushlab() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pushlab"))
}

pub mod legacy;
