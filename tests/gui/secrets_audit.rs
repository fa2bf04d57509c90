//! A secrets audit: a command-line session and an app session that use a passphrase-protected
//! `.p12` and a `.p8` auth key, then a search of everything they left behind (data and config
//! folders, the simulator's log, saved state, History, standard output and error) for the
//! passphrase, the private keys and the provider tokens (JWTs). None may be found.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
#[cfg(feature = "gui")]
use egui_kittest::kittest::Queryable as _;
use pushlab::cert::{CertEnvironment, ExportFormat, Passphrase, PushCertificateSpec};
use pushlab::sim::SimIdentity;
use support::cli::{addr_in, spawn_with_lines};
#[cfg(feature = "gui")]
use support::gui::step_until;
use support::pushlab;

const PASSPHRASE: &str = "Audit-8c1f-passphrase";
const BUNDLE: &str = "com.example.audit";
const KEY_ID: &str = "AUDIT12345";
const TEAM_ID: &str = "TEAM123456";
/// The password of the proxy the command-line session goes through.
const PROXY_PASSWORD: &str = "Audit-proxy-7d2e";
/// Every ES256 provider token starts with this: base64url of `{"alg":"ES256"`.
const JWT_START: &str = "eyJhbGciOiJFUzI1NiIs";

/// What must never be found: the passphrase, a line of each private key's PEM body, and the
/// start of any provider token.
fn secrets(keys: &[&openssl::pkey::PKey<openssl::pkey::Private>]) -> Vec<String> {
    let mut out = vec![
        PASSPHRASE.to_owned(),
        JWT_START.to_owned(),
        PROXY_PASSWORD.to_owned(),
        base64::engine::general_purpose::STANDARD.encode(format!("audit:{PROXY_PASSWORD}")),
    ];
    for key in keys {
        let der = key.private_key_to_der().unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        // A run from the middle of the key: it shows up in any PEM of it.
        out.push(b64[b64.len() / 2..b64.len() / 2 + 40].to_owned());
    }
    out
}

/// A push certificate from the simulator CA kept in `sim_dir`, written to `out` as a `.p12`
/// protected by [`PASSPHRASE`].
fn protected_p12(sim_dir: &Path, out: &Path) -> (pushlab::cert::Credential, PathBuf) {
    let identity = SimIdentity::load_or_create(sim_dir).unwrap();
    let cred = identity
        .ca
        .issue_push_certificate(&PushCertificateSpec::new(
            BUNDLE,
            CertEnvironment::Development,
        ))
        .unwrap();
    let bytes = cred
        .export(ExportFormat::P12, Some(&Passphrase::new(PASSPHRASE)))
        .unwrap();
    let p12 = support::write(out, "Push.p12", &bytes);
    (cred, p12)
}

/// Every file below `dir`, with its bytes.
fn files_below(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((p, bytes));
            }
        }
    }
    out
}

fn assert_clean(what: &str, bytes: &[u8], secrets: &[String]) {
    let text = String::from_utf8_lossy(bytes);
    for s in secrets {
        assert!(
            !text.contains(s.as_str()),
            "{what} holds a secret ({s:.12}…)"
        );
    }
}

#[test]
fn command_line_sessions_leave_no_secret_behind() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let data = root.path().join("data");
    let inputs = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(&home).unwrap();
    // Every connection goes through a proxy that wants a password (it runs on its own runtime,
    // alive until the test ends).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let proxy = runtime.block_on(support::proxy::Proxy::start(
        support::proxy::Behaviour::Http {
            login: Some(("audit", PROXY_PASSWORD)),
        },
    ));
    let proxy_url = format!("http://audit:{PROXY_PASSWORD}@{}", proxy.addr);
    let env = |cmd: &mut std::process::Command| {
        cmd.env("HOME", &home)
            .env("HTTPS_PROXY", &proxy_url)
            .env_remove("https_proxy")
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .env("XDG_DATA_HOME", root.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", root.path().join("xdg-config"))
            .env("P12_PASS", PASSPHRASE);
    };
    let (cred, p12) = protected_p12(&data, inputs.path());
    let p8_key = support::ec_key();
    let p8 = support::write(
        inputs.path(),
        &format!("AuthKey_{KEY_ID}.p8"),
        &p8_key.private_key_to_pem_pkcs8().unwrap(),
    );
    let log = root.path().join("deliveries.jsonl");
    let mut sim = pushlab();
    sim.args([
        "sim",
        "--port",
        "0",
        "--duration",
        "60",
        "--team-id",
        TEAM_ID,
    ])
    .arg("--data-dir")
    .arg(&data)
    .arg("--log")
    .arg(&log)
    .arg("--auth-key")
    .arg(&p8);
    env(&mut sim);
    let (_running, mut lines) = spawn_with_lines(sim);
    let addr = addr_in(&lines.wait_for(|l| l.contains("listening on")));
    let token = "ab".repeat(32);
    let tokens = support::write(root.path(), "tokens.txt", format!("{token}\n").as_bytes());
    let ca = data.join("ca.pem");
    let mut outputs = Vec::new();
    let mut run = |args: &[&std::ffi::OsStr]| {
        let mut cmd = pushlab();
        cmd.args(args);
        env(&mut cmd);
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(out);
    };
    let s = |t: &str| std::ffi::OsString::from(t);
    run(&[
        &s("send"),
        &s("--server"),
        &s(&addr),
        &s("--ca"),
        ca.as_os_str(),
        &s("--cert"),
        p12.as_os_str(),
        &s("--password-env"),
        &s("P12_PASS"),
        &s("--token"),
        &s(&token),
        &s("--alert"),
        &s("hi"),
    ]);
    run(&[
        &s("batch"),
        &s("--server"),
        &s(&addr),
        &s("--ca"),
        ca.as_os_str(),
        &s("--auth-key"),
        p8.as_os_str(),
        &s("--team-id"),
        &s(TEAM_ID),
        &s("--topic"),
        &s(BUNDLE),
        &s("--tokens"),
        tokens.as_os_str(),
        &s("--alert"),
        &s("hi"),
        &s("--json"),
    ]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(&log).map_or(0, |t| t.lines().count()) < 2 {
        assert!(Instant::now() < deadline, "both pushes reach the log");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        proxy.record().connects.len(),
        2,
        "both went through the proxy"
    );
    let secrets = secrets(&[&cred.private_key.clone().unwrap(), &p8_key]);
    for out in &outputs {
        assert_clean("standard output", &out.stdout, &secrets);
        assert_clean("standard error", &out.stderr, &secrets);
    }
    assert_clean(
        "the simulator's output",
        lines.printed.join("\n").as_bytes(),
        &secrets,
    );
    let left = files_below(root.path());
    assert!(left.iter().any(|(p, _)| p == &log), "the log was searched");
    for (path, bytes) in left {
        // The simulator's own CA and server keys are not the user's secrets.
        if path.starts_with(&data) && path.extension().is_some_and(|e| e == "pem") {
            continue;
        }
        assert_clean(&path.display().to_string(), &bytes, &secrets);
    }
}

#[cfg(feature = "gui")]
#[test]
fn an_app_session_saves_no_secret() {
    let data = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let mut harness = support::gui::app(data.path(), [1400.0, 2400.0]);
    step_until(&mut harness, "the app", |h| {
        h.state().simulator().simulator().is_some()
    });
    let (cred, p12) = protected_p12(&data.path().join("simulator"), inputs.path());
    support::gui::drop_files(&mut harness, &[&p12]);
    step_until(&mut harness, "the app", |h| {
        h.query_by_label("Passphrase for Push.p12").is_some()
    });
    harness.get_by_label("Passphrase for Push.p12").focus();
    harness.step();
    harness
        .get_by_label("Passphrase for Push.p12")
        .type_text(PASSPHRASE);
    harness.step();
    harness.get_by_label("Unlock").click();
    step_until(&mut harness, "the app", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .any(|e| e.loaded().is_some())
    });
    // The push goes through a proxy whose password is typed in the URL, the worst case.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let proxy = runtime.block_on(support::proxy::Proxy::start(
        support::proxy::Behaviour::Http {
            login: Some(("audit", PROXY_PASSWORD)),
        },
    ));
    harness.get_by_label("Connection").click();
    let _ = harness.try_run();
    harness.get_by_label("Proxy (optional)").focus();
    harness.step();
    harness
        .get_by_label("Proxy (optional)")
        .type_text(&format!("http://audit:{PROXY_PASSWORD}@{}", proxy.addr));
    harness.step();
    harness.get_by_label("Compose & Send").click();
    let _ = harness.try_run();
    harness
        .query_all_by_label("Use the demo device")
        .next()
        .unwrap()
        .click();
    let _ = harness.try_run();
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the app", |h| {
        h.state().state().history.len() == 1
    });
    assert_eq!(harness.state().state().history[0].status, Some(200));
    assert_eq!(
        proxy.record().connects.len(),
        1,
        "the push went through the proxy"
    );
    let secrets = secrets(&[&cred.private_key.clone().unwrap()]);
    let saved = serde_json::to_vec(&harness.state().state()).unwrap();
    assert_clean("the saved state", &saved, &secrets);
    for (path, bytes) in files_below(data.path()) {
        if path.starts_with(data.path().join("simulator")) {
            continue; // the simulator's own CA and server keys
        }
        assert_clean(&path.display().to_string(), &bytes, &secrets);
    }
}
