//! A push certificate without a Mac: `pushlab cert request` makes the request, the `openssl`
//! command line plays Apple's portal and signs it, and the `.cer` that comes back pairs with
//! the kept key on its own. Every check of the request and of the result is openssl's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::Path;

use support::{openssl, pushlab};

const APNS_DEVELOPMENT: &str = "1.2.840.113635.100.6.3.1";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Signs `csr` as the portal would: a push certificate (DER) from a CA made here.
fn portal_signs(dir: &Path, csr: &Path, out: &Path) {
    let ca_key = dir.join("portal-ca.key");
    let ca = dir.join("portal-ca.pem");
    let o = openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "30",
            "-subj",
            "/CN=Apple Worldwide Developer Relations Test CA",
            "-keyout",
            ca_key.to_str().unwrap(),
            "-out",
            ca.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let ext = support::write(
        dir,
        "apns.ext",
        format!("{APNS_DEVELOPMENT}=DER:0500\nbasicConstraints=critical,CA:FALSE\n").as_bytes(),
    );
    let o = openssl(
        &[
            "x509",
            "-req",
            "-in",
            csr.to_str().unwrap(),
            "-CA",
            ca.to_str().unwrap(),
            "-CAkey",
            ca_key.to_str().unwrap(),
            "-set_serial",
            "7",
            "-days",
            "365",
            "-extfile",
            ext.to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn request_sign_pair_export_without_a_mac() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csr = dir.path().join("pushlab.certSigningRequest");
    let out = pushlab()
        .args([
            "cert",
            "request",
            "--email",
            "dev@example.com",
            "--name",
            "Ada Lovelace",
            "--country",
            "gb",
            "--out-password-env",
            "KEY_PASS",
            "--out",
        ])
        .arg(&csr)
        .arg("--data-dir")
        .arg(&data)
        .env("KEY_PASS", "kept-safe")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("Apple Push Notification service SSL (Sandbox & Production)"),
        "{said}"
    );

    // openssl: the request verifies, says what Keychain Access would, over an RSA 2048 key.
    let o = openssl(
        &[
            "req",
            "-in",
            csr.to_str().unwrap(),
            "-noout",
            "-verify",
            "-text",
        ],
        &[],
    );
    let shown = text(&o.stdout) + &text(&o.stderr);
    assert!(o.status.success() && shown.contains("verify OK"), "{shown}");
    assert!(shown.contains("emailAddress = dev@example.com"), "{shown}");
    assert!(
        shown.contains("CN = Ada Lovelace") && shown.contains("C = GB"),
        "{shown}"
    );
    assert!(shown.contains("Public-Key: (2048 bit)"), "{shown}");

    // The key waits in the data folder: owner-only, encrypted (a wrong passphrase fails).
    let keys: Vec<_> = std::fs::read_dir(data.join("waiting-keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().ends_with(".key.pem"))
        .collect();
    assert_eq!(keys.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&keys[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let wrong = std::process::Command::new("openssl")
        .args(["pkey", "-passin", "pass:wrong", "-noout", "-in"])
        .arg(&keys[0])
        .output()
        .unwrap();
    assert!(!wrong.status.success(), "the kept key is encrypted");
    let listed = pushlab()
        .args(["cert", "waiting", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(text(&listed.stdout).contains("Ada Lovelace <dev@example.com>, made"));

    // Apple's certificate comes back; converting it finds the key by itself.
    let cer = dir.path().join("aps_development.cer");
    portal_signs(dir.path(), &csr, &cer);
    let p12 = dir.path().join("Push.p12");
    let out = pushlab()
        .args(["cert", "convert"])
        .arg(&cer)
        .args([
            "--to",
            "p12",
            "--password-env",
            "KEY_PASS",
            "--out-password-env",
            "P12_PASS",
            "--out",
        ])
        .arg(&p12)
        .arg("--data-dir")
        .arg(&data)
        .env("KEY_PASS", "kept-safe")
        .env("P12_PASS", "for-the-server")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("paired with the key kept by `pushlab cert request`"));

    // openssl: the .p12 opens with its passphrase, and its key is the certificate's.
    let pem = dir.path().join("from-p12.pem");
    let o = openssl(
        &[
            "pkcs12",
            "-in",
            p12.to_str().unwrap(),
            "-passin",
            "env:P12_PASS",
            "-nodes",
            "-out",
            pem.to_str().unwrap(),
        ],
        &[("P12_PASS", "for-the-server")],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let cert_pub = openssl(
        &["x509", "-in", pem.to_str().unwrap(), "-noout", "-pubkey"],
        &[],
    );
    let key_pub = openssl(&["pkey", "-in", pem.to_str().unwrap(), "-pubout"], &[]);
    assert!(!cert_pub.stdout.is_empty());
    assert_eq!(cert_pub.stdout, key_pub.stdout);
}

#[test]
fn a_certificate_for_another_key_is_not_paired() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ours = dir.path().join("ours.certSigningRequest");
    let out = pushlab()
        .args([
            "cert",
            "request",
            "--email",
            "dev@example.com",
            "--name",
            "Ada",
            "--out",
        ])
        .arg(&ours)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A request made elsewhere, with a key pushlab never saw.
    let theirs = dir.path().join("theirs.csr");
    let o = openssl(
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=Someone else",
            "-keyout",
            dir.path().join("theirs.key").to_str().unwrap(),
            "-out",
            theirs.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let cer = dir.path().join("theirs.cer");
    portal_signs(dir.path(), &theirs, &cer);
    let out = pushlab()
        .args(["cert", "convert"])
        .arg(&cer)
        .args(["--to", "pem", "--out"])
        .arg(dir.path().join("ck.pem"))
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        !text(&out.stderr).contains("paired"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_bad_subject_is_refused_before_any_key_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = pushlab()
        .args([
            "cert",
            "request",
            "--email",
            "not-an-address",
            "--name",
            "Ada",
            "--out",
        ])
        .arg(dir.path().join("x.certSigningRequest"))
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("'not-an-address' is not an email address"));
    assert!(!data.join("waiting-keys").exists());
}
