//! Every bad input a user can hand the workbench gets its own clear error, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use crate::support;
use pushlab::cert::{self, CertEnvironment, CertError, Credential, ExportFormat, Passphrase};
use support::*;

fn p12(dir: &std::path::Path, cred: &Credential, pass: &str) -> std::path::PathBuf {
    write(
        dir,
        "Push.p12",
        &cred
            .export(ExportFormat::P12, Some(&Passphrase::new(pass)))
            .unwrap(),
    )
}

#[test]
fn wrong_passphrase_names_where_it_comes_from() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let path = p12(dir.path(), &cred, "right");
    let err = cert::load_file(&path, Some(&Passphrase::new("wrong"))).unwrap_err();
    assert!(matches!(err, CertError::WrongPassphrase { .. }), "{err}");
    assert!(
        err.to_string().contains("wrong passphrase for Push.p12"),
        "{err}"
    );
    assert!(err.to_string().contains("Keychain"), "{err}");
    let err = cert::load_file(&path, None).unwrap_err();
    assert!(matches!(err, CertError::PassphraseRequired { .. }), "{err}");
}

#[test]
fn truncated_and_corrupt_p12() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let bytes = cred
        .export(ExportFormat::P12, Some(&Passphrase::new("p")))
        .unwrap();
    let cut = write(dir.path(), "cut.p12", &bytes[..bytes.len() / 2]);
    let err = cert::load_file(&cut, Some(&Passphrase::new("p"))).unwrap_err();
    assert!(matches!(err, CertError::CorruptP12 { .. }), "{err}");
    assert!(err.to_string().contains("truncated or corrupt"));
}

#[test]
fn p12_holding_only_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let pem = write(
        dir.path(),
        "cert.pem",
        &cred.export(ExportFormat::CertPem, None).unwrap(),
    );
    let out = dir.path().join("certonly.p12");
    openssl(
        &[
            "pkcs12",
            "-export",
            "-nokeys",
            "-in",
            pem.to_str().unwrap(),
            "-out",
            out.to_str().unwrap(),
            "-passout",
            "env:P",
        ],
        &[("P", "x")],
    );
    let file = cert::load_file(&out, Some(&Passphrase::new("x"))).unwrap();
    let r = cert::inspect(&file, None, time::OffsetDateTime::now_utc()).unwrap();
    let finding = r
        .findings
        .iter()
        .find(|f| f.code() == "no_private_key")
        .unwrap();
    assert!(
        finding
            .to_string()
            .contains("export it together with its key"),
        "{finding}"
    );
    let err = Credential::from_files(&file, None)
        .unwrap()
        .export(ExportFormat::Pem, None)
        .unwrap_err();
    assert!(matches!(err, CertError::NoPrivateKey { .. }), "{err}");
}

#[test]
fn cer_that_is_really_pem_or_really_p12_opens_anyway() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let pem_as_cer = write(
        dir.path(),
        "aps.cer",
        &cred.export(ExportFormat::CertPem, None).unwrap(),
    );
    assert_eq!(
        cert::load_file(&pem_as_cer, None).unwrap().kind,
        cert::FileKind::Certificate
    );
    let p12_as_cer = write(
        dir.path(),
        "other.cer",
        &cred.export(ExportFormat::P12, None).unwrap(),
    );
    assert_eq!(
        cert::load_file(&p12_as_cer, None).unwrap().kind,
        cert::FileKind::Identity
    );
}

#[test]
fn pem_with_no_key_cannot_become_a_combined_pem() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let path = write(
        dir.path(),
        "ck.pem",
        &cred.export(ExportFormat::CertPem, None).unwrap(),
    );
    let file = cert::load_file(&path, None).unwrap();
    let r = cert::inspect(&file, None, time::OffsetDateTime::now_utc()).unwrap();
    assert!(!r.has_private_key);
    assert!(r.findings.iter().any(|f| f.code() == "no_private_key"));
    let err = Credential::from_files(&file, None)
        .unwrap()
        .export(ExportFormat::Pem, None)
        .unwrap_err();
    assert!(err.to_string().contains("holds no private key"), "{err}");
}

#[test]
fn encrypted_key_without_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let path = write(
        dir.path(),
        "key.pem",
        &cred
            .export(ExportFormat::KeyPem, Some(&Passphrase::new("k")))
            .unwrap(),
    );
    let err = cert::load_file(&path, None).unwrap_err();
    assert!(matches!(err, CertError::PassphraseRequired { .. }), "{err}");
    assert!(err.to_string().contains("protected by a passphrase"));
}

#[test]
fn empty_file_noise_directory_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.cer", b"");
    assert!(matches!(
        cert::load_file(&empty, None).unwrap_err(),
        CertError::Empty { .. }
    ));

    let noise: Vec<u8> = (0..50 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let big = write(dir.path(), "noise.p12", &noise);
    let err = cert::load_file(&big, None).unwrap_err();
    assert!(matches!(err, CertError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("not a credential file"));

    let small_noise = write(dir.path(), "noise.cer", &noise[..3000]);
    let err = cert::load_file(&small_noise, None).unwrap_err();
    assert!(matches!(err, CertError::Unrecognised { .. }), "{err}");

    let err = cert::load_file(dir.path(), None).unwrap_err();
    assert!(matches!(err, CertError::IsDirectory { .. }), "{err}");

    let err = cert::load_file(&dir.path().join("nope.p12"), None).unwrap_err();
    assert!(matches!(err, CertError::NotFound { .. }), "{err}");
}

#[test]
fn truncated_der_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let der = push_cert(&ca(), "com.x", CertEnvironment::Production)
        .certificate
        .to_der()
        .unwrap();
    let path = write(dir.path(), "aps.cer", &der[..der.len() - 40]);
    let err = cert::load_file(&path, None).unwrap_err();
    assert!(matches!(err, CertError::CorruptCertificate { .. }), "{err}");
}

#[test]
fn rsa_p8_and_p8_that_is_not_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let rsa = write(
        dir.path(),
        "AuthKey_ABCDEFGHIJ.p8",
        &cred.export(ExportFormat::KeyPem, None).unwrap(),
    );
    let err = cert::load_file(&rsa, None).unwrap_err();
    assert!(matches!(err, CertError::NotAnAuthKey { .. }), "{err}");
    assert!(err.to_string().contains("RSA 2048"), "{err}");
    assert!(err.to_string().contains("EC P-256"), "{err}");

    let cert_p8 = write(
        dir.path(),
        "AuthKey_X.p8",
        &cred.export(ExportFormat::CertPem, None).unwrap(),
    );
    let err = cert::load_file(&cert_p8, None).unwrap_err();
    assert!(matches!(err, CertError::NotAnAuthKey { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("AuthKey_X.p8 holds no private key, but an APNs auth key"),
        "{err}"
    );

    // A P-256 key with a certificate is a certificate's key: said so, not "holds a EC P-256
    // key, but APNs auth keys are EC P-256".
    let mut both = cred.export(ExportFormat::CertPem, None).unwrap();
    both.extend(ec_key().private_key_to_pem_pkcs8().unwrap());
    let with_cert = write(dir.path(), "AuthKey_Y.p8", &both);
    let err = cert::load_file(&with_cert, None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("AuthKey_Y.p8 holds certificates besides its EC P-256 key"),
        "{err}"
    );

    let text = write(dir.path(), "key.p8", b"this is not a key\n");
    let err = cert::load_file(&text, None).unwrap_err();
    assert!(matches!(err, CertError::Unrecognised { .. }), "{err}");
}

#[test]
fn certificate_signing_request_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let key = ec_key();
    let mut req = openssl::x509::X509ReqBuilder::new().unwrap();
    req.set_pubkey(&key).unwrap();
    req.sign(&key, openssl::hash::MessageDigest::sha256())
        .unwrap();
    let path = write(
        dir.path(),
        "CertificateSigningRequest.certSigningRequest",
        &req.build().to_pem().unwrap(),
    );
    let err = cert::load_file(&path, None).unwrap_err();
    assert!(
        err.to_string().contains("certificate signing request"),
        "{err}"
    );
}

#[test]
fn damaged_pem_block() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "cert.pem",
        b"-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n",
    );
    let err = cert::load_file(&path, None).unwrap_err();
    assert!(matches!(err, CertError::CorruptPem { .. }), "{err}");
    let path = write(
        dir.path(),
        "cut.pem",
        b"-----BEGIN CERTIFICATE-----\nMIIB\n",
    );
    let err = cert::load_file(&path, None).unwrap_err();
    assert!(matches!(err, CertError::CorruptPem { .. }), "{err}");
}

#[test]
fn existing_output_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "ck.pem", b"keep me");
    let err = cert::write_secret_file(&path, b"new", true, false).unwrap_err();
    assert!(matches!(err, CertError::AlreadyExists { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    cert::write_secret_file(&path, b"new", true, true).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
}

/// A NUL inside a passphrase (possible through --password-stdin or --password-file) cannot
/// reach OpenSSL, which takes C strings: its own message, on import and on export, no panic.
#[test]
fn a_passphrase_with_a_nul_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let path = p12(dir.path(), &cred, "right");
    let err = cert::load_file(&path, Some(&Passphrase::new("ri\0ght"))).unwrap_err();
    assert!(matches!(err, CertError::PassphraseHasNul { .. }), "{err}");
    assert_eq!(err.code(), "passphrase_has_nul");
    assert!(err.to_string().contains("NUL"), "{err}");
    let err = cred
        .export(ExportFormat::P12, Some(&Passphrase::new("a\0b")))
        .unwrap_err();
    assert!(matches!(err, CertError::PassphraseHasNul { .. }), "{err}");
}

/// Files that are not files: a device that never ends and a pipe that would block the open.
/// Neither is read; each gets a sentence.
#[cfg(unix)]
#[test]
fn devices_and_pipes_are_not_read() {
    let err = cert::load_file("/dev/zero".as_ref(), None).unwrap_err();
    assert!(matches!(err, CertError::NotAFile { .. }), "{err}");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("Push.p12");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let err = cert::load_file(&fifo, None).unwrap_err();
    assert!(matches!(err, CertError::NotAFile { .. }), "{err}");
}
