//! `pushlab doctor` names the cause, one test per cause: each sets up the simulator (a separate
//! `pushlab sim` process whose tokens file says which token is whose), a certificate, or a
//! server that is not APNs (`openssl s_server`, a closed port) to produce exactly that cause,
//! and reads the verdict from `--json`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::Path;

use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use serde_json::Value;
use support::doctor::{BUNDLE, IOS13_DESCRIPTION, NoHttp2, Sim, sim, sim_with, token};

/// The doctor against `sim` (of its environment) with a development certificate for
/// [`BUNDLE`] and `extra` arguments.
fn run_dev(sim: &Sim, extra: &[&str]) -> (i32, Value) {
    let cert = sim.dev_cert();
    let mut args = vec!["--environment", sim.env, "--cert", cert.to_str().unwrap()];
    args.extend_from_slice(extra);
    doctor(&sim.addr, &sim.ca, &args)
}

/// Runs the doctor against `addr` and returns (exit code, JSON).
fn doctor(addr: &str, ca: &Path, args: &[&str]) -> (i32, Value) {
    let out = support::pushlab()
        .args([
            "doctor",
            "--json",
            "--timeout",
            "5",
            "--server",
            addr,
            "--ca",
        ])
        .arg(ca)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let json: Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("{e}: {text}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

fn cause(json: &Value) -> &str {
    json["verdict"]["cause"].as_str().unwrap()
}

fn finding<'a>(json: &'a Value, cause: &str) -> &'a Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["cause"] == cause)
        .unwrap_or_else(|| panic!("no finding {cause}: {json:#}"))
}

#[test]
fn a_working_setup_is_delivered_and_the_phone_side_is_info() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", &format!("{}\n", token(1)));
    let (code, json) = run_dev(&s, &["--token", &token(1)]);
    assert_eq!((code, cause(&json)), (0, "delivered"), "{json:#}");
    assert!(
        json["verdict"]["sentence"]
            .as_str()
            .unwrap()
            .contains("APNs accepted")
    );
    assert_eq!(finding(&json, "phone_settings")["status"], "info");
    for step in ["dns", "tcp", "tls", "http2", "auth_ok"] {
        assert_eq!(finding(&json, step)["status"], "passed", "{step}");
    }
}

#[test]
fn a_sandbox_token_sent_to_production_is_named_after_one_probe() {
    let dir = tempfile::tempdir().unwrap();
    // The phone's app was run from Xcode: its token is the sandbox's.
    let tokens = format!("{} sandbox\n", token(2));
    let production = sim(dir.path(), "production", "production", &tokens);
    let sandbox = sim(dir.path(), "sandbox", "sandbox", &tokens);
    let universal = production.cert(
        "universal.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Universal),
    );
    // The two simulators have their own CAs: trust both.
    let (code, json) = doctor(
        &production.addr,
        &production.ca,
        &[
            "--ca",
            sandbox.ca.to_str().unwrap(),
            "--environment",
            "production",
            "--cert",
            universal.to_str().unwrap(),
            "--token",
            &token(2),
            "--probe-other-environment",
            "--other-server",
            &sandbox.addr,
        ],
    );
    // The sandbox simulator's CA did not issue the certificate: only the production one
    // accepts it. The probe still proves which environment knows the token, or says why not.
    assert_eq!((code, cause(&json)), (1, "token_environment"), "{json:#}");
    let evidence = finding(&json, "token_environment")["evidence"]
        .as_str()
        .unwrap();
    assert!(evidence.contains("BadDeviceToken"), "{evidence}");
}

#[test]
fn the_probe_names_the_environment_the_token_belongs_to() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = format!("{} sandbox\n", token(3));
    // One CA for both: the sandbox simulator uses the production one's.
    let (production, sandbox) = support::doctor::twin_sims(dir.path(), &tokens);
    let universal = production.cert(
        "universal.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Universal),
    );
    let (code, json) = doctor(
        &production.addr,
        &production.ca,
        &[
            "--environment",
            "production",
            "--cert",
            universal.to_str().unwrap(),
            "--token",
            &token(3),
            "--probe-other-environment",
            "--other-server",
            &sandbox.addr,
        ],
    );
    assert_eq!((code, cause(&json)), (1, "token_environment"), "{json:#}");
    let f = finding(&json, "token_environment");
    let evidence = f["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("this is a sandbox token") && evidence.contains("run from Xcode"),
        "{evidence}"
    );
    assert!(f["fix"].as_str().unwrap().contains("send to sandbox"));
}

#[test]
fn a_development_certificate_against_production() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "production", "production", "");
    let (code, json) = run_dev(&s, &["--token", &token(4)]);
    assert_eq!(
        (code, cause(&json)),
        (1, "certificate_environment"),
        "{json:#}"
    );
    assert!(
        json["verdict"]["fix"]
            .as_str()
            .unwrap()
            .contains("production")
    );
}

#[test]
fn an_expired_certificate_is_named_before_what_it_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let now = support::now();
    let cert = s.cert(
        "old.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Development)
            .valid(now - 400 * support::DAY, now - 35 * support::DAY),
    );
    let (code, json) = doctor(
        &s.addr,
        &s.ca,
        &[
            "--environment",
            "sandbox",
            "--cert",
            cert.to_str().unwrap(),
            "--token",
            &token(5),
        ],
    );
    assert_eq!((code, cause(&json)), (1, "certificate_expired"), "{json:#}");
    assert!(
        json["verdict"]["sentence"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

#[test]
fn a_bundle_id_the_certificate_does_not_cover() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let (code, json) = run_dev(
        &s,
        &["--bundle-id", "com.example.other", "--token", &token(6)],
    );
    assert_eq!(
        (code, cause(&json)),
        (1, "topic_not_in_certificate"),
        "{json:#}"
    );
}

#[test]
fn the_ios13_description_is_not_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let (code, json) = run_dev(&s, &["--token", IOS13_DESCRIPTION]);
    assert_eq!((code, cause(&json)), (1, "token_malformed"), "{json:#}");
    assert!(json["verdict"]["fix"].as_str().unwrap().contains("%02x"));
}

#[test]
fn an_unregistered_token_says_the_app_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(
        dir.path(),
        "sandbox",
        "sandbox",
        &format!("{} unregistered\n", token(7)),
    );
    let (code, json) = run_dev(&s, &["--token", &token(7)]);
    assert_eq!((code, cause(&json)), (1, "token_unregistered"), "{json:#}");
    assert!(
        json["verdict"]["sentence"]
            .as_str()
            .unwrap()
            .contains("Unregistered")
    );
}

#[test]
fn a_payload_too_large_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let cert = s.dev_cert();
    let body = format!(r#"{{"aps":{{"alert":"{}"}}}}"#, "门".repeat(1400));
    let payload = support::write(dir.path(), "big.json", body.as_bytes());
    let (code, json) = doctor(
        &s.addr,
        &s.ca,
        &[
            "--environment",
            "sandbox",
            "--cert",
            cert.to_str().unwrap(),
            "--token",
            &token(8),
            "--payload",
            payload.to_str().unwrap(),
        ],
    );
    assert_eq!((code, cause(&json)), (1, "payload"), "{json:#}");
    let evidence = finding(&json, "payload")["evidence"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(evidence.contains(&body.len().to_string()), "{evidence}");
}

#[test]
fn a_background_push_at_priority_10() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let (code, json) = run_dev(
        &s,
        &["--no-send", "--push-type", "background", "--priority", "10"],
    );
    assert_eq!((code, cause(&json)), (1, "headers"), "{json:#}");
    assert_eq!(finding(&json, "background_throttled")["status"], "info");
}

#[test]
fn nothing_listening_is_a_tcp_failure() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let cert = s.dev_cert();
    let (code, json) = doctor(
        &support::doctor::closed_port(),
        &s.ca,
        &[
            "--environment",
            "sandbox",
            "--cert",
            cert.to_str().unwrap(),
            "--token",
            &token(9),
        ],
    );
    assert_eq!((code, cause(&json)), (1, "tcp"), "{json:#}");
    assert_eq!(finding(&json, "tls")["status"], "skipped");
}

#[test]
fn an_untrusted_server_is_a_tls_failure() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let cert = s.dev_cert();
    // Trust some other CA, not the simulator's.
    let other_ca = support::doctor::untrusted_ca(dir.path());
    let (code, json) = doctor(
        &s.addr,
        &other_ca,
        &[
            "--environment",
            "sandbox",
            "--cert",
            cert.to_str().unwrap(),
            "--token",
            &token(10),
        ],
    );
    assert_eq!((code, cause(&json)), (1, "tls"), "{json:#}");
}

/// A TLS server that does not speak HTTP/2: `openssl s_server`, written by others.
#[test]
fn a_server_without_http2_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let cert = s.dev_cert();
    let server = NoHttp2::start(&s);
    let (code, json) = doctor(
        &server.addr,
        &s.ca,
        &[
            "--environment",
            "sandbox",
            "--cert",
            cert.to_str().unwrap(),
            "--token",
            &token(11),
        ],
    );
    drop(server);
    assert_eq!((code, cause(&json)), (1, "http2"), "{json:#}");
}

#[test]
fn an_unreadable_credential_comes_first() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let junk = support::write(dir.path(), "Push.p12", b"not a p12 at all");
    let (code, json) = doctor(
        &s.addr,
        &s.ca,
        &[
            "--environment",
            "sandbox",
            "--cert",
            junk.to_str().unwrap(),
            "--token",
            &token(12),
        ],
    );
    assert_eq!(
        (code, cause(&json)),
        (1, "credential_unreadable"),
        "{json:#}"
    );
    assert_eq!(finding(&json, "network_skipped")["status"], "skipped");
}

#[test]
fn an_xcode_build_against_production_is_caught_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "production", "production", "");
    let universal = s.cert(
        "universal.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Universal),
    );
    let (code, json) = doctor(
        &s.addr,
        &s.ca,
        &[
            "--environment",
            "production",
            "--cert",
            universal.to_str().unwrap(),
            "--token",
            &token(13),
            "--built-with",
            "xcode",
            "--no-send",
        ],
    );
    assert_eq!((code, cause(&json)), (1, "token_environment"), "{json:#}");
    assert!(
        json["verdict"]["fix"]
            .as_str()
            .unwrap()
            .contains("send to sandbox")
    );
}

/// `check --repeat N`: round trips on one connection, against a simulator told to wait 30 ms
/// before each answer, so the figures cannot be under it.
#[test]
fn check_repeat_measures_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim_with(dir.path(), "slow", "sandbox", &["--latency-ms", "30"]);
    let cert = s.dev_cert();
    let out = support::pushlab()
        .args([
            "check", "--json", "--repeat", "20", "--server", &s.addr, "--ca",
        ])
        .arg(&s.ca)
        .arg("--cert")
        .arg(&cert)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let l = &json["latency"];
    assert_eq!(l["requests"], 20, "{json:#}");
    let p = |k: &str| l[k].as_f64().unwrap();
    assert!(p("min_ms") >= 30.0, "{l}");
    assert!(p("p50_ms") <= p("p95_ms") && p("p95_ms") <= p("p99_ms") && p("p99_ms") <= p("max_ms"));
}

/// A server whose `date` header is 15 minutes ahead: the doctor says by how much, from the
/// header, and with a certificate it is a warning, not the cause.
#[test]
fn a_clock_off_by_fifteen_minutes_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim_with(dir.path(), "skewed", "sandbox", &["--clock-offset", "900"]);
    let (code, json) = run_dev(&s, &["--token", &token(14)]);
    assert_eq!((code, cause(&json)), (0, "delivered"), "{json:#}");
    let clock = finding(&json, "clock");
    assert_eq!(clock["status"], "warning");
    let evidence = clock["evidence"].as_str().unwrap();
    assert!(evidence.contains("minutes behind the server"), "{evidence}");
}

/// The doctor with the auth key `key` against `sim`, for [`BUNDLE`], with `extra` options.
fn run_with_key(sim: &Sim, key: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "--environment",
        sim.env,
        "--auth-key",
        key.to_str().unwrap(),
        "--team-id",
        support::doctor::TEAM_ID,
        "--bundle-id",
        BUNDLE,
    ];
    let token = token(15);
    args.extend(["--token", &token]);
    args.extend_from_slice(extra);
    doctor(&sim.addr, &sim.ca, &args)
}

/// A team-scoped key (Apple, February 2025) made for production, used against the sandbox.
#[test]
fn a_key_scoped_to_the_other_environment_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let key = support::doctor::auth_key(dir.path());
    let s = support::doctor::sim_with_key(
        dir.path(),
        "sandbox",
        &key,
        &["--key-environment", "production"],
    );
    let (code, json) = run_with_key(&s, &key, &[]);
    assert_eq!(
        (code, cause(&json)),
        (1, "auth_key_environment"),
        "{json:#}"
    );
    let sentence = json["verdict"]["sentence"].as_str().unwrap();
    assert!(sentence.contains("team-scoped"), "{sentence}");
    let fix = json["verdict"]["fix"].as_str().unwrap();
    assert!(fix.contains("a key made for this environment"), "{fix}");
}

/// A topic-specific key whose topics do not include the app's bundle id.
#[test]
fn a_topic_specific_key_for_other_apps_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let key = support::doctor::auth_key(dir.path());
    let s = support::doctor::sim_with_key(
        dir.path(),
        "sandbox",
        &key,
        &["--key-topic", "com.example.other"],
    );
    let (code, json) = run_with_key(&s, &key, &[]);
    assert_eq!((code, cause(&json)), (1, "auth_key_topic"), "{json:#}");
    let fix = json["verdict"]["fix"].as_str().unwrap();
    assert!(
        fix.contains("add com.example.doorbell to the key's topics"),
        "{fix}"
    );
}

/// A Live Activity with a certificate: Apple takes it only over a token-based connection.
/// The doctor says so before sending, and when the simulator refuses the test push as Apple
/// would (`TopicDisallowed`) that is named as the cause, not the topic; with an auth key it
/// is delivered and nothing is said of it.
#[test]
fn a_live_activity_with_a_certificate_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sim(dir.path(), "sandbox", "sandbox", &format!("{}\n", token(1)));
    let (code, json) = run_dev(&s, &["--token", &token(1), "--push-type", "liveactivity"]);
    assert_eq!(
        (code, cause(&json)),
        (1, "certificate_for_token_push"),
        "{json:#}"
    );
    // `pushlab sim`'s own line for the refusal says why.
    let line = s.lines.wait_for(|l| l.contains("TopicDisallowed"));
    assert!(
        line.contains("(over a certificate: Apple takes these only token-based)"),
        "{line}"
    );
    let warned = finding(&json, "certificate_for_token_push");
    assert_eq!(warned["status"], "warning", "{warned:#}");
    let text = warned.to_string();
    assert!(
        text.contains("liveactivity") && text.contains("auth key"),
        "{text}"
    );
    let sentence = json["verdict"]["sentence"].as_str().unwrap();
    assert!(
        sentence.contains("token-based") && sentence.contains("TopicDisallowed"),
        "{sentence}"
    );
    assert!(
        json["verdict"]["fix"]
            .as_str()
            .unwrap()
            .contains("auth key"),
        "{json:#}"
    );
    let (_, alert) = run_dev(&s, &["--token", &token(1)]);
    assert!(
        !alert.to_string().contains("certificate_for_token_push"),
        "an alert over a certificate is fine"
    );

    let key = support::doctor::auth_key(dir.path());
    let keyed = support::doctor::sim_with_key(dir.path(), "sandbox", &key, &[]);
    let (code, json) = run_with_key(&keyed, &key, &["--push-type", "liveactivity"]);
    assert_eq!((code, cause(&json)), (0, "delivered"), "{json:#}");
    assert!(!json.to_string().contains("certificate_for_token_push"));
}
