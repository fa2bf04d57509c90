//! `pushlab cert` as a user runs it: JSON output, exit codes, files it writes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use crate::support;
use support::cli::json_lines;

use pushlab::cert::{CertEnvironment, ExportFormat, Passphrase};
use support::*;

#[test]
fn inspect_json_schema_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let ca = ca();
    let good = push_cert(&ca, "com.example.app", CertEnvironment::Universal);
    let p12 = write(
        dir.path(),
        "Push.p12",
        &good
            .export(ExportFormat::P12Legacy, Some(&Passphrase::new("pw")))
            .unwrap(),
    );
    let out = pushlab()
        .args([
            "cert",
            "inspect",
            "--json",
            "--password-env",
            "PW",
            p12.to_str().unwrap(),
        ])
        .env("PW", "pw")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = &json_lines(&out)[0];
    assert_eq!(v["kind"], "identity");
    assert_eq!(v["encryption"], "legacy");
    assert_eq!(v["environment"], "universal");
    assert_eq!(v["bundle_id"], "com.example.app");
    assert_eq!(v["team_id"], "PUSHLAB123");
    assert_eq!(v["topics"].as_array().unwrap().len(), 3);
    assert_eq!(v["has_private_key"], true);
    assert_eq!(v["key_matches"], true);
    assert_eq!(v["subject"]["user_id"], "com.example.app");
    assert!(v["not_after"].as_str().unwrap().ends_with('Z'));
    assert_eq!(v["sha256"].as_str().unwrap().len(), 32 * 3 - 1);
    for key in [
        "path",
        "issuer",
        "serial",
        "sha1",
        "not_before",
        "days_left",
        "findings",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }

    let expired = push_cert_valid(
        &ca,
        "com.old",
        CertEnvironment::Production,
        now() - 500 * DAY,
        now() - DAY,
    );
    let cer = write(
        dir.path(),
        "old.cer",
        &expired.certificate.to_der().unwrap(),
    );
    let out = pushlab()
        .args(["cert", "inspect", "--json", cer.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = &json_lines(&out)[0];
    assert_eq!(v["findings"][0]["code"], "expired");
    assert_eq!(v["findings"][0]["severity"], "error");
    assert_eq!(v["key_matches"], serde_json::Value::Null);

    let out = pushlab()
        .args([
            "cert",
            "inspect",
            "--json",
            "--password-env",
            "PW",
            p12.to_str().unwrap(),
        ])
        .env("PW", "not it")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json_lines(&out)[0]["error"]["code"], "wrong_passphrase");
}

#[test]
fn inspect_text_output_reads_like_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.example.doorbell", CertEnvironment::Development);
    let pem = write(
        dir.path(),
        "ck.pem",
        &cred.export(ExportFormat::Pem, None).unwrap(),
    );
    let out = pushlab()
        .args(["cert", "inspect", pem.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Bundle id    com.example.doorbell"), "{text}");
    assert!(text.contains("development (sandbox only)"), "{text}");
    assert!(text.contains("matches the certificate"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn convert_refuses_to_overwrite_and_writes_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let p12 = write(
        dir.path(),
        "Push.p12",
        &cred.export(ExportFormat::P12, None).unwrap(),
    );
    let out = dir.path().join("ck.pem");
    std::fs::write(&out, "existing").unwrap();
    let run = |force: bool| {
        let mut cmd = pushlab();
        cmd.args([
            "cert",
            "convert",
            p12.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "existing");
    let done = run(true);
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("BEGIN PRIVATE KEY")
    );
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);
    assert_eq!(
        names(dir.path()),
        ["Push.p12", "ck.pem"],
        "no temporary file left"
    );
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn convert_never_writes_over_its_own_input_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let pem = cred.export(ExportFormat::Pem, None).unwrap();
    write(dir.path(), "ck.pem", &pem);
    write(dir.path(), "aps.cer", &cred.certificate.to_der().unwrap());
    let key = cred.export(ExportFormat::KeyPem, None).unwrap();
    write(dir.path(), "key.pem", &key);
    #[cfg(unix)]
    std::os::unix::fs::symlink("ck.pem", dir.path().join("link.pem")).unwrap();

    let mut cases: Vec<Vec<&str>> = vec![
        vec!["ck.pem", "--out", "ck.pem"],
        vec!["ck.pem", "--out", "./ck.pem", "--to", "p12"],
        vec!["aps.cer", "--key", "key.pem", "--out", "key.pem"],
    ];
    #[cfg(unix)]
    cases.push(vec!["ck.pem", "--out", "link.pem", "--to", "cert-pem"]);
    for case in &cases {
        let out = pushlab()
            .current_dir(dir.path())
            .args(["cert", "convert", "--force"])
            .args(case)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{case:?}: {err}");
        assert!(err.contains("is also an input"), "{case:?}: {err}");
        assert_eq!(std::fs::read(dir.path().join("ck.pem")).unwrap(), pem);
        assert_eq!(std::fs::read(dir.path().join("key.pem")).unwrap(), key);
    }
}

/// A disk that fills up while the new key is written: `ulimit -f 0` makes every write to a
/// regular file fail (with SIGXFSZ ignored, as EFBIG), the way ENOSPC would.
#[cfg(unix)]
#[test]
fn convert_force_on_a_full_disk_keeps_the_old_key() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let p12 = write(
        dir.path(),
        "Push.p12",
        &cred.export(ExportFormat::P12, None).unwrap(),
    );
    let out = dir.path().join("ck.pem");
    std::fs::write(&out, "the only copy of the old key").unwrap();
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_pushlab"))
        .args(["cert", "convert", "--force", "--out"])
        .arg(&out)
        .arg(&p12)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the only copy of the old key",
        "{err}"
    );
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("could not write"), "{err}");
    assert_eq!(
        names(dir.path()),
        ["Push.p12", "ck.pem"],
        "no temporary file left"
    );
}

#[test]
fn sim_commands_never_replace_the_simulators_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sim");
    let ca_key = data.join("ca-key.pem");
    let made = pushlab()
        .args(["sim", "export-ca", "--out"])
        .arg(dir.path().join("ca-copy.pem"))
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(made.status.success());
    let before = std::fs::read(&ca_key).unwrap();
    let out = pushlab()
        .args([
            "sim",
            "issue-cert",
            "--bundle-id",
            "com.x",
            "--force",
            "--out",
        ])
        .arg(&ca_key)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is also an input"), "{err}");
    assert_eq!(std::fs::read(&ca_key).unwrap(), before);
}

#[test]
fn convert_to_p12_round_trips_through_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let cred = push_cert(&ca(), "com.x", CertEnvironment::Production);
    let pem = write(
        dir.path(),
        "ck.pem",
        &cred.export(ExportFormat::Pem, None).unwrap(),
    );
    let out = dir.path().join("new.p12");
    let status = pushlab()
        .args([
            "cert",
            "convert",
            pem.to_str().unwrap(),
            "--to",
            "p12-legacy",
            "--out",
            out.to_str().unwrap(),
            "--out-password-env",
            "NEWPASS",
        ])
        .env("NEWPASS", "fresh")
        .status()
        .unwrap();
    assert!(status.success());
    let key = openssl(
        &[
            "pkcs12",
            "-legacy",
            "-in",
            out.to_str().unwrap(),
            "-nocerts",
            "-nodes",
            "-passin",
            "env:P",
        ],
        &[("P", "fresh")],
    );
    let key_pem = write(dir.path(), "key.pem", &key.stdout);
    let original = write(
        dir.path(),
        "orig.pem",
        &cred.export(ExportFormat::KeyPem, None).unwrap(),
    );
    assert_eq!(
        key_der_via_openssl(&key_pem, None),
        key_der_via_openssl(&original, None)
    );
}

#[test]
fn passphrase_is_never_a_command_line_value() {
    let out = pushlab()
        .args(["cert", "inspect", "--password", "x", "f.p12"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
