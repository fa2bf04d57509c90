//! Causes in the order of what is known: an expired certificate is named before any network
//! explanation, a TLS alert is read for what it says, and a GOAWAY is named as a GOAWAY, not
//! as a rejected credential. The servers are `pushlab sim` (which refuses expired and
//! foreign certificates itself) and a server written here that answers with GOAWAY.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use serde_json::Value;
use support::doctor::{BUNDLE, sim, token};

/// A development certificate for [`BUNDLE`] from the simulator's CA that expired 35 days ago.
fn expired_cert(s: &support::doctor::Sim) -> PathBuf {
    let now = support::now();
    s.cert(
        "old.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Development)
            .valid(now - 400 * support::DAY, now - 35 * support::DAY),
    )
}

fn run(args: &[&str], paths: &[(&str, &Path)]) -> (i32, String, String) {
    let mut c = support::pushlab();
    c.args(args);
    for (flag, path) in paths {
        c.arg(flag).arg(path);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Where `word` first appears in `text` (the end when it does not).
fn first(text: &str, word: &str) -> usize {
    text.find(word).unwrap_or(text.len())
}

#[test]
fn send_with_an_expired_certificate_names_the_expiry_first() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", &format!("{}\n", token(1)));
    let cert = expired_cert(&s);
    let (code, _, stderr) = run(
        &["send", "--server", &s.addr, "--token", &token(1)],
        &[("--cert", &cert), ("--ca", &s.ca)],
    );
    assert_eq!(code, 2, "{stderr}");
    let error = stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line: {stderr}"));
    assert!(
        error.starts_with("error: the client certificate expired on "),
        "{stderr}"
    );
    // The expiry comes before anything about the handshake, the CA or the network.
    let expired = first(&stderr, "expired");
    for later in ["handshake", "TLS", "CA ", "issue-cert"] {
        assert!(expired < first(&stderr, later), "{later}: {stderr}");
    }
    // The server's alert is read for what it says.
    assert!(
        error.contains("TLS alert 45 (certificate expired)"),
        "{stderr}"
    );
}

#[test]
fn batch_with_an_expired_certificate_names_the_expiry_first() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", &format!("{}\n", token(1)));
    let cert = expired_cert(&s);
    let tokens = support::write(
        dir.path(),
        "tokens.txt",
        format!("{}\n", token(1)).as_bytes(),
    );
    let (code, stdout, stderr) = run(
        &["batch", "--json", "--server", &s.addr, "--alert", "Ding"],
        &[("--cert", &cert), ("--ca", &s.ca), ("--tokens", &tokens)],
    );
    assert_ne!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("expired 35 days ago"), "{stderr}");
    // The push was not sent, and its result says why: the expiry first.
    let results: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let result = results
        .iter()
        .find(|r| r["token"].as_str() == Some(&token(1)))
        .unwrap_or_else(|| panic!("{stdout}"));
    let said = result.to_string();
    assert!(
        said.contains("the client certificate expired on "),
        "{said}"
    );
    assert!(first(&said, "expired") < first(&said, "TLS"), "{said}");
}

#[test]
fn check_with_an_expired_certificate_fails_the_tls_step_with_the_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let cert = expired_cert(&s);
    let (code, stdout, stderr) = run(
        &["check", "--json", "--server", &s.addr],
        &[("--cert", &cert), ("--ca", &s.ca)],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    let steps = report["steps"].as_array().unwrap();
    let failed: Vec<&Value> = steps.iter().filter(|s| s["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{report:#}");
    assert_eq!(failed[0]["name"], "tls", "{report:#}");
    let detail = failed[0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("the client certificate expired on "),
        "{detail}"
    );
    assert!(failed[0]["fix"].as_str().unwrap().contains("--cert FILE"));
    // Nothing after the TLS step ran, so nothing contradicts it.
    for step in ["http2", "auth"] {
        let s = steps.iter().find(|s| s["name"] == step).unwrap();
        assert_eq!(s["status"], "skipped", "{report:#}");
    }

    // Without --json the expiry is the first thing said, as a warning before the steps.
    let (_, stdout, _) = run(
        &["check", "--server", &s.addr],
        &[("--cert", &cert), ("--ca", &s.ca)],
    );
    let warning = stdout.lines().find(|l| l.contains("warning:")).unwrap();
    assert!(warning.contains("expired 35 days ago"), "{stdout}");
    assert!(
        first(&stdout, "expired") < first(&stdout, "tls"),
        "{stdout}"
    );
    assert!(!stdout.contains("ok   tls"), "{stdout}");
}

#[test]
fn a_certificate_from_another_ca_is_named_by_the_servers_alert() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    // A certificate the simulator's CA did not issue.
    let other = support::push_cert(&support::ca(), BUNDLE, CertEnvironment::Development);
    let mut pem = other.certificate.to_pem().unwrap();
    pem.extend(
        other
            .private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    let foreign = support::write(dir.path(), "foreign.pem", &pem);
    let (code, stdout, _) = run(
        &["check", "--json", "--server", &s.addr],
        &[("--cert", &foreign), ("--ca", &s.ca)],
    );
    assert_eq!(code, 1, "{stdout}");
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    let steps = report["steps"].as_array().unwrap();
    let tls = steps.iter().find(|s| s["name"] == "tls").unwrap();
    assert_eq!(tls["status"], "failed", "{report:#}");
    let detail = tls["detail"].as_str().unwrap();
    assert!(detail.contains("TLS alert 48 (unknown CA)"), "{detail}");
    assert!(!detail.contains("expired"), "{detail}");
    // The server's refusal is the TLS step's; nothing after it ran to contradict it.
    for step in ["http2", "auth"] {
        let s = steps.iter().find(|s| s["name"] == step).unwrap();
        assert_eq!(s["status"], "skipped", "{report:#}");
    }

    // A certificate from another CA of the same name: its signature does not verify.
    let twin = support::doctor::issue(
        &dir.path().join("elsewhere"),
        "twin.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Development),
    );
    let (_, stdout, _) = run(
        &["check", "--json", "--server", &s.addr],
        &[("--cert", &twin), ("--ca", &s.ca)],
    );
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    let tls = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "tls")
        .unwrap()
        .clone();
    assert_eq!(tls["status"], "failed", "{report:#}");
    let detail = tls["detail"].as_str().unwrap();
    assert!(
        detail.contains("refused the client certificate") && detail.contains("TLS alert 51"),
        "{detail}"
    );
}

/// A TLS server that speaks just enough HTTP/2 to say goodbye: SETTINGS, then GOAWAY with
/// `error_code` (0: NO_ERROR, as APNs closes) and APNs's debug data `{"reason":"Shutdown"}`.
struct GoAwayServer {
    addr: String,
    ca: PathBuf,
    /// Connections it said goodbye to: its own record.
    goodbyes: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

fn goaway_server(dir: &Path, error_code: u8) -> GoAwayServer {
    use openssl::ssl::{AlpnError, SslAcceptor, SslMethod};
    let ca = support::ca();
    let server = ca
        .issue_server_certificate(&["localhost", "127.0.0.1"])
        .unwrap();
    let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
    b.set_private_key(server.private_key.as_ref().unwrap())
        .unwrap();
    b.set_certificate(&server.certificate).unwrap();
    b.set_alpn_select_callback(|_, offered| {
        openssl::ssl::select_next_proto(b"\x02h2", offered).ok_or(AlpnError::ALERT_FATAL)
    });
    let acceptor = b.build();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("localhost:{}", listener.local_addr().unwrap().port());
    let goodbyes = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = goodbyes.clone();
    let serve = move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { return };
            let Ok(mut tls) = acceptor.accept(tcp) else {
                continue;
            };
            let debug = br#"{"reason":"Shutdown"}"#;
            let mut frames = vec![0, 0, 0, 4, 0, 0, 0, 0, 0]; // SETTINGS, empty
            let len = 8 + debug.len();
            frames.extend_from_slice(&[0, 0, len as u8, 7, 0, 0, 0, 0, 0]); // GOAWAY
            frames.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, error_code]); // last stream 0
            frames.extend_from_slice(debug);
            if tls.write_all(&frames).is_ok() {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            // Keep the connection open until the client has read it and gone.
            let mut sink = [0u8; 4096];
            while matches!(tls.read(&mut sink), Ok(n) if n > 0) {}
        }
    };
    std::thread::Builder::new()
        .name("goaway-server".into())
        .spawn(serve)
        .unwrap();
    GoAwayServer {
        addr,
        ca: support::write(dir, "goaway-ca.pem", &ca.certificate.to_pem().unwrap()),
        goodbyes,
    }
}

#[test]
fn a_goaway_shutdown_is_named_as_goaway_not_as_the_credential() {
    let dir = tempfile::tempdir().unwrap();
    let server = goaway_server(dir.path(), 0);
    let cert = support::doctor::issue(
        &dir.path().join("sim"),
        "dev.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Development),
    );
    let (code, stdout, stderr) = run(
        &["check", "--json", "--server", &server.addr],
        &[("--cert", &cert), ("--ca", &server.ca)],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    let steps = report["steps"].as_array().unwrap();
    let http2 = steps.iter().find(|s| s["name"] == "http2").unwrap();
    assert_eq!(http2["status"], "failed", "{report:#}");
    let said = format!("{} {}", http2["detail"], http2["fix"]);
    assert!(
        said.contains("GOAWAY") && said.contains("Shutdown"),
        "{said}"
    );
    assert!(!said.contains("client certificate"), "{said}");
    let tls = steps.iter().find(|s| s["name"] == "tls").unwrap();
    assert_eq!(tls["status"], "passed", "{report:#}");

    let (code, _, stderr) = run(
        &["send", "--server", &server.addr, "--token", &token(2)],
        &[("--cert", &cert), ("--ca", &server.ca)],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("GOAWAY"), "{stderr}");
    assert!(
        !stderr.contains("client certificate") && !stderr.contains("refused the TLS"),
        "{stderr}"
    );
    // Both commands reached the server and were told goodbye.
    assert_eq!(server.goodbyes.load(std::sync::atomic::Ordering::SeqCst), 2);
}

/// A flow-control error is an HTTP/2 error, named so: not the credential, not the handshake.
#[test]
fn a_flow_control_error_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = goaway_server(dir.path(), 0x3);
    let cert = support::doctor::issue(
        &dir.path().join("sim"),
        "dev.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Development),
    );
    let (code, stdout, stderr) = run(
        &["check", "--json", "--server", &server.addr],
        &[("--cert", &cert), ("--ca", &server.ca)],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    let http2 = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "http2")
        .unwrap()
        .clone();
    assert_eq!(http2["status"], "failed", "{report:#}");
    let said = format!("{} {}", http2["detail"], http2["fix"]);
    assert!(said.contains("FLOW_CONTROL_ERROR"), "{said}");
    assert!(!said.contains("client certificate"), "{said}");
    assert_eq!(server.goodbyes.load(std::sync::atomic::Ordering::SeqCst), 1);
}
