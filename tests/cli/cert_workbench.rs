//! The certificate workbench: inspection of every kind of push certificate, and conversions
//! checked against the `openssl` command line the tutorials use.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use crate::support;
use pushlab::cert::{
    self, CertEnvironment, CertError, Credential, ExportFormat, FileKind, P12Encryption,
    Passphrase, Severity,
};
use support::*;

fn inspect_credential(cred: &Credential) -> cert::Inspection {
    let pem = cred.export(ExportFormat::Pem, None).unwrap();
    let file = cert::load_bytes("ck.pem", &pem, None).unwrap();
    cert::inspect(&file, None, time::OffsetDateTime::now_utc()).unwrap()
}

fn codes(r: &cert::Inspection) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code()).collect()
}

#[test]
fn development_certificate_is_sandbox_only_for_its_bundle() {
    let ca = ca();
    let r = inspect_credential(&push_cert(
        &ca,
        "com.example.doorbell",
        CertEnvironment::Development,
    ));
    let c = r.certificate.as_ref().unwrap();
    assert_eq!(c.environment, CertEnvironment::Development);
    assert_eq!(c.bundle_id.as_deref(), Some("com.example.doorbell"));
    assert_eq!(c.topics, vec!["com.example.doorbell"]);
    assert_eq!(c.team_id.as_deref(), Some("PUSHLAB123"));
    assert_eq!(r.kind, FileKind::Identity);
    assert_eq!(r.key_matches, Some(true));
    assert_eq!(codes(&r), vec!["development_only"]);
    assert!((364..=365).contains(&c.days_left));
}

#[test]
fn production_and_universal_certificates() {
    let ca = ca();
    let prod = inspect_credential(&push_cert(
        &ca,
        "com.example.app",
        CertEnvironment::Production,
    ));
    assert_eq!(
        prod.certificate.as_ref().unwrap().environment,
        CertEnvironment::Production
    );
    assert!(prod.findings.is_empty(), "{:?}", prod.findings);

    let uni = inspect_credential(&push_cert(
        &ca,
        "com.example.app",
        CertEnvironment::Universal,
    ));
    let c = uni.certificate.as_ref().unwrap();
    assert_eq!(c.environment, CertEnvironment::Universal);
    assert_eq!(
        c.topics,
        vec![
            "com.example.app",
            "com.example.app.voip",
            "com.example.app.complication"
        ]
    );
    assert_eq!(uni.chain.len(), 0, "a combined PEM holds the leaf only");
}

#[test]
fn validity_findings() {
    let ca = ca();
    let expired = inspect_credential(&push_cert_valid(
        &ca,
        "com.x",
        CertEnvironment::Production,
        now() - 400 * DAY,
        now() - 3 * DAY,
    ));
    assert_eq!(codes(&expired), vec!["expired"]);
    assert_eq!(expired.worst(), Some(Severity::Error));
    assert!(expired.certificate.as_ref().unwrap().days_left <= -3);

    let future = inspect_credential(&push_cert_valid(
        &ca,
        "com.x",
        CertEnvironment::Production,
        now() + 2 * DAY,
        now() + 300 * DAY,
    ));
    assert_eq!(codes(&future), vec!["not_yet_valid"]);

    let soon = inspect_credential(&push_cert_valid(
        &ca,
        "com.x",
        CertEnvironment::Production,
        now() - 300 * DAY,
        now() + 10 * DAY,
    ));
    assert_eq!(codes(&soon), vec!["expires_soon"]);
    assert_eq!(soon.worst(), Some(Severity::Warning));
}

#[test]
fn non_apns_certificate_is_an_error() {
    let ca = ca();
    let server = ca.issue_server_certificate(&["localhost"]).unwrap();
    let r = inspect_credential(&server);
    assert!(codes(&r).contains(&"not_apns"));
    assert_eq!(
        r.certificate.as_ref().unwrap().environment,
        CertEnvironment::None
    );
}

#[test]
fn mismatched_key_is_found_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = ca();
    let cred = push_cert(&ca, "com.x", CertEnvironment::Production);
    let other = push_cert(&ca, "com.x", CertEnvironment::Production);
    let cer = write(dir.path(), "aps.cer", &cred.certificate.to_der().unwrap());
    let key = write(
        dir.path(),
        "key.pem",
        &other.export(ExportFormat::KeyPem, None).unwrap(),
    );
    let cer_file = cert::load_file(&cer, None).unwrap();
    let key_file = cert::load_file(&key, None).unwrap();
    let r = cert::inspect(&cer_file, Some(&key_file), time::OffsetDateTime::now_utc()).unwrap();
    assert_eq!(r.key_matches, Some(false));
    assert!(codes(&r).contains(&"key_mismatch"));
    let err = Credential::from_files(&cer_file, Some(&key_file)).unwrap_err();
    assert!(matches!(err, CertError::KeyMismatch { .. }), "{err}");
    assert!(err.to_string().contains("does not belong"));
}

/// A `.p12` as Keychain would export it, made by the `openssl` CLI (not by pushlab).
fn p12_via_openssl(
    dir: &std::path::Path,
    cred: &Credential,
    pass: &str,
    legacy: bool,
) -> std::path::PathBuf {
    let pem = write(
        dir,
        "in.pem",
        &cred.export(ExportFormat::Pem, None).unwrap(),
    );
    let out = dir.join(if legacy { "legacy.p12" } else { "modern.p12" });
    let mut args = vec![
        "pkcs12",
        "-export",
        "-in",
        pem.to_str().unwrap(),
        "-out",
        out.to_str().unwrap(),
        "-passout",
        "env:PL_PASS",
        "-name",
        "Apple Push Services: com.example.app",
    ];
    if legacy {
        args.push("-legacy");
    }
    openssl(&args, &[("PL_PASS", pass)]);
    out
}

#[test]
fn p12_in_both_encryptions_with_and_without_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let ca = ca();
    let cred = push_cert(&ca, "com.example.app", CertEnvironment::Universal);
    for legacy in [false, true] {
        for pass in ["", "s3cret pass"] {
            let path = p12_via_openssl(dir.path(), &cred, pass, legacy);
            let given = (!pass.is_empty()).then(|| Passphrase::new(pass));
            let file = cert::load_file(&path, given.as_ref()).unwrap();
            assert_eq!(file.kind, FileKind::Identity);
            let info = file.p12.as_ref().unwrap();
            let want = if legacy {
                P12Encryption::Legacy
            } else {
                P12Encryption::Modern
            };
            assert_eq!(info.encryption, want, "{}", info.detail);
            if legacy {
                assert!(
                    info.detail.contains("RC2-40") && info.detail.contains("SHA-1"),
                    "{}",
                    info.detail
                );
            }
            let r = cert::inspect(&file, None, time::OffsetDateTime::now_utc()).unwrap();
            assert_eq!(r.key_matches, Some(true));
            assert_eq!(
                r.certificate.unwrap().sha256,
                cert::CertificateReport::of(&cred.certificate, time::OffsetDateTime::now_utc())
                    .unwrap()
                    .sha256
            );
        }
    }
}

/// The tutorial's three steps with the real `openssl` CLI, compared with pushlab's combined PEM.
#[test]
fn combined_pem_matches_the_openssl_tutorial_steps() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    let ca = ca();
    let cred = push_cert(&ca, "com.example.app", CertEnvironment::Development);
    let cer = write(
        dir.path(),
        "aps_developer_identity.cer",
        &cred.certificate.to_der().unwrap(),
    );
    for legacy in [false, true] {
        let p12 = p12_via_openssl(dir.path(), &cred, "keychain", legacy);
        // openssl x509 -in aps.cer -inform der -out cert.pem
        openssl(
            &[
                "x509",
                "-in",
                cer.to_str().unwrap(),
                "-inform",
                "der",
                "-out",
                d("cert.pem").to_str().unwrap(),
            ],
            &[],
        );
        // openssl pkcs12 -nocerts -in Push.p12 -out key.pem (import passphrase, then a PEM one)
        let key_pem = d("key.pem");
        let mut args = vec![
            "pkcs12",
            "-nocerts",
            "-in",
            p12.to_str().unwrap(),
            "-out",
            key_pem.to_str().unwrap(),
            "-passin",
            "env:IN",
            "-passout",
            "env:OUT",
        ];
        if legacy {
            args.push("-legacy");
        }
        openssl(&args, &[("IN", "keychain"), ("OUT", "pempass")]);
        let tutorial_cert = cert_der_via_openssl(&d("cert.pem"));
        let tutorial_key = key_der_via_openssl(&d("key.pem"), Some("pempass"));

        for out_pass in [None, Some("newpass")] {
            let out = d(&format!("ck-{legacy}-{}.pem", out_pass.is_some()));
            let status = pushlab()
                .args([
                    "cert",
                    "convert",
                    cer.to_str().unwrap(),
                    "--key",
                    p12.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--password-env",
                    "KEYCHAIN_PASS",
                ])
                .args(
                    out_pass
                        .map(|_| ["--out-password-env", "OUT_PASS"])
                        .into_iter()
                        .flatten(),
                )
                .env("KEYCHAIN_PASS", "keychain")
                .env("OUT_PASS", out_pass.unwrap_or(""))
                .status()
                .unwrap();
            assert!(status.success());
            assert_eq!(
                cert_der_via_openssl(&out),
                tutorial_cert,
                "same certificate"
            );
            assert_eq!(
                key_der_via_openssl(&out, out_pass),
                tutorial_key,
                "same private key"
            );
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(
                text.find("BEGIN CERTIFICATE").unwrap() < text.find("PRIVATE KEY").unwrap(),
                "certificate first"
            );
            assert_eq!(text.contains("ENCRYPTED PRIVATE KEY"), out_pass.is_some());
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                assert_eq!(
                    std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
                    0o600
                );
            }
        }
    }
}

#[test]
fn openssl_reads_every_file_pushlab_writes() {
    let dir = tempfile::tempdir().unwrap();
    let ca = ca();
    let cred = push_cert(&ca, "com.example.app", CertEnvironment::Universal);
    let pass = Passphrase::new("export-pass");
    for format in [ExportFormat::P12, ExportFormat::P12Legacy] {
        let path = write(
            dir.path(),
            "out.p12",
            &cred.export(format, Some(&pass)).unwrap(),
        );
        let mut args = vec![
            "pkcs12",
            "-info",
            "-noout",
            "-in",
            path.to_str().unwrap(),
            "-passin",
            "env:P",
        ];
        if format == ExportFormat::P12Legacy {
            args.push("-legacy");
        }
        let out = openssl(&args, &[("P", "export-pass")]);
        let info = String::from_utf8_lossy(&out.stderr).to_string()
            + &String::from_utf8_lossy(&out.stdout);
        if format == ExportFormat::P12Legacy {
            assert!(info.contains("MAC: sha1"), "{info}");
            assert!(info.contains("pbeWithSHA1And40BitRC2-CBC"), "{info}");
            assert!(info.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{info}");
        } else {
            assert!(info.contains("MAC: sha256"), "{info}");
            assert!(info.contains("AES-256-CBC"), "{info}");
        }
        // And pushlab reads its own file back to the same credential.
        let back = cert::load_file(&path, Some(&pass)).unwrap();
        assert_eq!(
            back.p12.unwrap().encryption,
            if format == ExportFormat::P12 {
                P12Encryption::Modern
            } else {
                P12Encryption::Legacy
            }
        );
        std::fs::remove_file(&path).unwrap();
    }
    for (format, pass) in [
        (ExportFormat::KeyPem, None),
        (ExportFormat::KeyPem, Some("k")),
        (ExportFormat::Pem, None),
    ] {
        let p = pass.map(Passphrase::new);
        let path = write(
            dir.path(),
            "key.pem",
            &cred.export(format, p.as_ref()).unwrap(),
        );
        let mut args = vec!["pkey", "-check", "-noout", "-in", path.to_str().unwrap()];
        if pass.is_some() {
            args.extend(["-passin", "env:P"]);
        }
        openssl(&args, &[("P", pass.unwrap_or(""))]);
        std::fs::remove_file(&path).unwrap();
    }
    let path = write(
        dir.path(),
        "cert.pem",
        &cred.export(ExportFormat::CertPem, None).unwrap(),
    );
    assert_eq!(
        cert_der_via_openssl(&path),
        cred.certificate.to_der().unwrap()
    );
    assert!(
        !std::fs::read_to_string(&path)
            .unwrap()
            .contains("PRIVATE KEY")
    );
}

#[test]
fn auth_key_p8_with_key_id_from_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let key = ec_key();
    let path = write(
        dir.path(),
        "AuthKey_ABC123DEFG.p8",
        &key.private_key_to_pem_pkcs8().unwrap(),
    );
    let file = cert::load_file(&path, None).unwrap();
    assert_eq!(file.kind, FileKind::AuthKey);
    assert_eq!(file.key_id.as_deref(), Some("ABC123DEFG"));
    let r = cert::inspect(&file, None, time::OffsetDateTime::now_utc()).unwrap();
    let a = r.auth_key.unwrap();
    assert_eq!(a.curve, "P-256");
    assert!(a.usable_for_es256);

    let unnamed = write(
        dir.path(),
        "key.p8",
        &key.private_key_to_pem_pkcs8().unwrap(),
    );
    let r = cert::inspect(
        &cert::load_file(&unnamed, None).unwrap(),
        None,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    assert!(codes(&r).contains(&"no_key_id"));
}

#[test]
fn traditional_and_pkcs8_encrypted_pem_keys() {
    let dir = tempfile::tempdir().unwrap();
    let ca = ca();
    let cred = push_cert(&ca, "com.x", CertEnvironment::Production);
    let plain = write(
        dir.path(),
        "plain.pem",
        &cred.export(ExportFormat::KeyPem, None).unwrap(),
    );
    // Traditional `Proc-Type: 4,ENCRYPTED` form, written by the openssl CLI.
    let trad = dir.path().join("trad.key");
    openssl(
        &[
            "rsa",
            "-in",
            plain.to_str().unwrap(),
            "-out",
            trad.to_str().unwrap(),
            "-aes128",
            "-traditional",
            "-passout",
            "env:P",
        ],
        &[("P", "tradpass")],
    );
    assert!(
        std::fs::read_to_string(&trad)
            .unwrap()
            .contains("Proc-Type: 4,ENCRYPTED")
    );
    let pkcs8 = write(
        dir.path(),
        "enc.pem",
        &cred
            .export(ExportFormat::KeyPem, Some(&Passphrase::new("p8pass")))
            .unwrap(),
    );
    for (path, pass) in [(&trad, "tradpass"), (&pkcs8, "p8pass")] {
        let err = cert::load_file(path, None).unwrap_err();
        assert!(matches!(err, CertError::PassphraseRequired { .. }), "{err}");
        let err = cert::load_file(path, Some(&Passphrase::new("wrong"))).unwrap_err();
        assert!(matches!(err, CertError::WrongPassphrase { .. }), "{err}");
        let file = cert::load_file(path, Some(&Passphrase::new(pass))).unwrap();
        assert_eq!(file.kind, FileKind::PrivateKey);
        assert!(pushlab::cert::key_matches(
            &cred.certificate,
            file.private_key.as_ref().unwrap()
        ));
    }
}
