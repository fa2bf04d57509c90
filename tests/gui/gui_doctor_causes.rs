//! One test per cause on the Doctor screen, as `tests/cli/cli_doctor.rs` has for the CLI, with
//! the same setups (`support::doctor`): the app starts from a saved state that points at the
//! setup (as it would after the user chose it on Connection and Compose), the doctor runs,
//! and the verdict must name that cause first, with its fix, both found by accessible name.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use pushlab::apns::Environment;
use pushlab::apns::PushType;
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::credentials::Status;
use pushlab::gui::state::{Destination, SavedCredential, State};
use support::doctor::{BUNDLE, Sim, closed_port, sim, sim_with, token};
use support::gui::step_until;

/// The saved state of an app that pushes to `host` (trusting `ca`) with the certificate
/// `cert`, to `token`, on the Doctor screen.
fn custom_host(host: &str, ca: &Path, cert: &Path, token: Option<String>) -> State {
    let mut state = State {
        section: Section::Doctor,
        credentials: vec![SavedCredential {
            name: "cert.pem".to_owned(),
            path: cert.to_owned(),
            key_path: None,
        }],
        ..State::default()
    };
    state.connection.destination = Destination::Custom;
    state.connection.custom_host = host.to_owned();
    state.connection.custom_ca = ca.display().to_string();
    state.connection.credential = Some(cert.to_owned());
    state.compose.bundle_id = BUNDLE.to_owned();
    state.compose.token = token.unwrap_or_default();
    state
}

/// The same, against the process simulator `sim` with its development certificate.
fn against(sim: &Sim, token: Option<String>) -> State {
    custom_host(&sim.addr, &sim.ca, &sim.dev_cert(), token)
}

/// What the user says on the Doctor screen before pressing Diagnose.
#[derive(Default)]
struct Answers {
    /// The "How was the app on the phone built?" choice, by its label.
    build: Option<&'static str>,
    /// Untick "Send a test push".
    no_send: bool,
    /// Allow the probe of the other environment, listening at this `host:port`.
    probe_other: Option<String>,
}

/// Starts the app from `state`, answers the Doctor screen and runs the doctor.
fn diagnose(data: &Path, state: State, answers: Answers) -> Harness<'static, App> {
    let mut harness = support::gui::app_with_state(data, [1400.0, 2400.0], state);
    // The verdict's arrow is drawn with the system's fonts: a verdict found faster than they
    // load would have no glyph for it.
    step_until(&mut harness, "the system's fonts", |h| {
        h.state().fonts().is_ready()
    });
    // The app's own simulator starts at launch, whatever the destination.
    support::gui::until_simulator_runs(&mut harness);
    step_until(&mut harness, "the credential loading", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .all(|e| !matches!(e.status, Status::Loading(_)))
    });
    if let Some(build) = answers.build {
        harness
            .get_by_label("How was the app on the phone built?")
            .click();
        harness.run();
        harness.get_by_label(build).click();
        harness.run();
    }
    if answers.no_send {
        harness
            .get_by_label("Send a test push to the token (it shows on the phone)")
            .click();
        harness.run();
    }
    if let Some(other) = &answers.probe_other {
        harness
            .get_by_label(
                "If APNs answers BadDeviceToken, send it once to the other environment to find out where the token belongs",
            )
            .click();
        harness.run();
        harness
            .get_by_label("The other environment (host:port)")
            .focus();
        harness.run();
        harness
            .get_by_label("The other environment (host:port)")
            .type_text(other);
        harness.run();
    }
    harness.get_by_label("Diagnose").click();
    step_until(&mut harness, "the diagnosis", |h| {
        h.state().doctor().diagnosis().is_some()
    });
    harness
}

/// The verdict names `cause` and says `sentence`, and the fix says `fix`, on screen.
#[track_caller]
fn verdict(harness: &Harness<'_, App>, cause: &str, sentence: &str, fix: &str) {
    let diagnosis = harness.state().doctor().diagnosis().unwrap();
    assert_eq!(diagnosis.verdict.cause, cause, "{diagnosis:#?}");
    let shown = format!("Most likely cause: {sentence}");
    assert!(
        harness.query_all_by_label_contains(&shown).next().is_some(),
        "the verdict {shown:?} is not on screen: {:#?}",
        diagnosis.verdict
    );
    // A label's text is its accessible name or its value, depending on the widget.
    let is_fix = |n: egui_kittest::Node<'_>| {
        let node = n.accesskit_node();
        [node.label(), node.value()]
            .into_iter()
            .flatten()
            .any(|text| text.starts_with("Fix: "))
    };
    assert!(
        harness.query_all_by_label_contains(fix).any(is_fix),
        "no fix saying {fix:?} on screen: {:#?}",
        diagnosis.verdict
    );
}

#[test]
fn a_development_certificate_against_production() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "production", "production", "");
    let harness = diagnose(dir.path(), against(&s, Some(token(4))), Answers::default());
    verdict(
        &harness,
        "certificate_environment",
        "the server refused the credential with BadCertificateEnvironment: The client certificate is for the other environment.",
        "Use a production (or Sandbox & Production) certificate for production",
    );
}

#[test]
fn an_expired_certificate_is_named_before_what_it_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let now = support::now();
    let old = s.cert(
        "old.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Development)
            .valid(now - 400 * support::DAY, now - 35 * support::DAY),
    );
    let state = custom_host(&s.addr, &s.ca, &old, Some(token(5)));
    let harness = diagnose(dir.path(), state, Answers::default());
    verdict(
        &harness,
        "certificate_expired",
        "expired on ",
        "create a new Apple Push Notification service certificate",
    );
}

#[test]
fn a_bundle_id_the_certificate_does_not_cover() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let mut state = against(&s, Some(token(6)));
    state.compose.bundle_id = "com.example.other".to_owned();
    let harness = diagnose(dir.path(), state, Answers::default());
    verdict(
        &harness,
        "topic_not_in_certificate",
        "the topic com.example.other is not among the certificate's topics",
        "use the certificate made for this app's bundle id",
    );
}

#[test]
fn an_unregistered_token_says_the_app_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = format!("{} unregistered\n", token(7));
    let s = sim(dir.path(), "sandbox", "sandbox", &tokens);
    let harness = diagnose(dir.path(), against(&s, Some(token(7))), Answers::default());
    verdict(
        &harness,
        "token_unregistered",
        "APNs answered 410 Unregistered: The token is no longer active",
        "Stop sending to this token",
    );
}

#[test]
fn a_payload_too_large_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let mut state = against(&s, Some(token(8)));
    let body = format!(r#"{{"aps":{{"alert":"{}"}}}}"#, "门".repeat(1400));
    state.compose.payload = body.clone();
    let harness = diagnose(dir.path(), state, Answers::default());
    let size = body.len();
    verdict(
        &harness,
        "payload",
        &format!("the payload is {},{:03} bytes", size / 1000, size % 1000),
        "make the payload smaller",
    );
}

#[test]
fn a_background_push_at_priority_10() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let mut state = against(&s, None);
    state.compose.push_type = PushType::Background;
    state.compose.priority = Some(10);
    state.compose.payload = r#"{"aps":{"content-available":1}}"#.to_owned();
    let harness = diagnose(dir.path(), state, Answers::default());
    verdict(
        &harness,
        "headers",
        "background pushes must use priority 5",
        "send background pushes with apns-priority 5",
    );
}

#[test]
fn nothing_listening_is_a_tcp_failure() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let state = custom_host(&closed_port(), &s.ca, &s.dev_cert(), Some(token(9)));
    let harness = diagnose(dir.path(), state, Answers::default());
    verdict(
        &harness,
        "tcp",
        "connection to 127.0.0.1:",
        "start the server",
    );
}

#[test]
fn an_untrusted_server_is_a_tls_failure() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let other_ca = support::doctor::untrusted_ca(dir.path());
    let state = custom_host(&s.addr, &other_ca, &s.dev_cert(), Some(token(10)));
    let harness = diagnose(dir.path(), state, Answers::default());
    // The connection check's advice names the app's controls, not the CLI's options.
    verdict(
        &harness,
        "tls",
        "the server's certificate is not trusted",
        "for the simulator or a proxy, choose \"Custom host\" and give its CA file",
    );
}

#[test]
fn a_server_without_http2_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let server = support::doctor::NoHttp2::start(&s);
    let state = custom_host(&server.addr, &s.ca, &s.dev_cert(), Some(token(11)));
    let harness = diagnose(dir.path(), state, Answers::default());
    verdict(
        &harness,
        "http2",
        "the server did not agree to HTTP/2",
        "this is not an HTTP/2 APNs server",
    );
}

/// The app's own simulator, set to production: the environment is known before sending.
#[test]
fn an_xcode_build_against_production_is_caught_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let universal = support::doctor::issue(
        &dir.path().join("simulator"),
        "universal.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Universal),
    );
    let mut state = custom_host("", Path::new(""), &universal, Some(token(13)));
    state.connection.destination = Destination::LocalSimulator;
    state.simulator.environment = Environment::Production;
    let answers = Answers {
        build: Some("Run from Xcode (sandbox tokens)"),
        no_send: true,
        ..Answers::default()
    };
    let harness = diagnose(dir.path(), state, answers);
    verdict(
        &harness,
        "token_environment",
        "an app run from Xcode has sandbox tokens, but pushes go to production",
        "send to sandbox, or install a build whose tokens belong to production",
    );
}

/// A server whose `date` header is 15 minutes ahead: with a certificate, a warning under a
/// push that was delivered.
#[test]
fn a_clock_off_by_fifteen_minutes_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim_with(dir.path(), "skewed", "sandbox", &["--clock-offset", "900"]);
    let harness = diagnose(dir.path(), against(&s, Some(token(14))), Answers::default());
    let diagnosis = harness.state().doctor().diagnosis().unwrap();
    assert_eq!(diagnosis.verdict.cause, "delivered", "{diagnosis:#?}");
    assert!(
        harness
            .query_all_by_label_contains("this computer's clock is 15 minutes behind the server's")
            .next()
            .is_some(),
        "the clock's finding is on screen"
    );
    assert!(
        harness
            .query_all_by_label_contains("Fix: set this computer's clock automatically")
            .next()
            .is_some(),
        "and its fix"
    );
}

/// The doctor runs even when the chosen credential could not be read: that is the cause, and
/// the server is not asked.
#[test]
fn an_unreadable_credential_comes_first() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let junk = support::write(dir.path(), "Push.p12", b"not a p12 at all");
    let state = custom_host(&s.addr, &s.ca, &junk, Some(token(12)));
    let harness = diagnose(dir.path(), state, Answers::default());
    verdict(
        &harness,
        "credential_unreadable",
        "the credential could not be read: ",
        "export the certificate with its private key again",
    );
    let diagnosis = harness.state().doctor().diagnosis().unwrap();
    let network = diagnosis.finding("network_skipped").unwrap();
    assert_eq!(network.status, pushlab::doctor::Status::Skipped);
}

/// The saved state of an app that signs provider tokens with `key` for the team, against
/// `sim`.
fn with_key(sim: &Sim, key: &Path) -> State {
    let mut state = custom_host(&sim.addr, &sim.ca, key, Some(token(15)));
    state.connection.team_id = support::doctor::TEAM_ID.to_owned();
    state
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
    let harness = diagnose(dir.path(), with_key(&s, &key), Answers::default());
    verdict(
        &harness,
        "auth_key_environment",
        "the auth key ABCDE12345 is limited to the other environment (a team-scoped key)",
        "use a key made for this environment",
    );
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
    let harness = diagnose(dir.path(), with_key(&s, &key), Answers::default());
    verdict(
        &harness,
        "auth_key_topic",
        "the auth key ABCDE12345 is topic-specific and com.example.doorbell is not one of its topics",
        "add com.example.doorbell to the key's topics",
    );
}

/// The connection check's failures are the library's sentences too: in Chinese, the verdict
/// and its fix read in Chinese.
#[test]
fn nothing_listening_reads_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(dir.path(), "sandbox", "sandbox", "");
    let state = custom_host(&closed_port(), &s.ca, &s.dev_cert(), Some(token(9)));
    let mut harness = support::gui::app_with_state(dir.path(), [1400.0, 2400.0], state);
    // Chinese is drawn with the system's fonts: switch once they are loaded.
    support::gui::to_chinese(&mut harness);
    step_until(&mut harness, "the credential loading", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .all(|e| !matches!(e.status, Status::Loading(_)))
    });
    harness.get_by_label("开始诊断").click();
    step_until(&mut harness, "the diagnosis", |h| {
        h.state().doctor().diagnosis().is_some()
    });
    for text in [
        "最可能的原因：到 127.0.0.1:",
        "的连接被拒绝 — 那里没有服务在监听",
        "请启动服务器",
    ] {
        assert!(
            harness.query_all_by_label_contains(text).next().is_some(),
            "{text:?} is not on screen"
        );
    }
}

/// A token from the sandbox (an Xcode build) sent to production: with the user's consent,
/// one probe of the other environment (here a second simulator, sharing the first one's CA)
/// names where the token belongs.
#[test]
fn a_sandbox_token_is_named_after_one_probe_of_the_other_environment() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = format!("{} sandbox\n", token(3));
    let (production, sandbox) = support::doctor::twin_sims(dir.path(), &tokens);
    let universal = production.cert(
        "universal.pem",
        &PushCertificateSpec::new(BUNDLE, CertEnvironment::Universal),
    );
    let state = custom_host(&production.addr, &production.ca, &universal, Some(token(3)));
    let answers = Answers {
        probe_other: Some(sandbox.addr.clone()),
        ..Answers::default()
    };
    let harness = diagnose(dir.path(), state, answers);
    verdict(
        &harness,
        "token_environment",
        "this is a sandbox token",
        "send to sandbox",
    );
}

/// A Live Activity push the simulator delivers (over a token-based connection, as Apple takes
/// them) is diagnosed as delivered on the Doctor screen, not BadTopic under "Topic covered by
/// the certificate — passed" (the probe went as an alert). Over a certificate it is refused,
/// and the verdict names the token-based connection, not the topic.
#[test]
fn a_live_activity_push_that_is_delivered_is_called_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let key = support::doctor::auth_key(dir.path());
    let s = support::doctor::sim_with_key(dir.path(), "sandbox", &key, &[]);
    let live = |mut state: State| {
        state.compose.push_type = PushType::LiveActivity;
        state.compose.priority = Some(5);
        state.compose.payload =
            serde_json::to_string(&pushlab::apns::template(PushType::LiveActivity)).unwrap();
        state
    };
    let harness = diagnose(dir.path(), live(with_key(&s, &key)), Answers::default());
    let diagnosis = harness.state().doctor().diagnosis().unwrap();
    assert_eq!(diagnosis.verdict.cause, "delivered", "{diagnosis:#?}");
    assert!(
        harness
            .query_all_by_label_contains("APNs accepted the push")
            .next()
            .is_some(),
        "{:#?}",
        diagnosis.verdict
    );
    assert!(
        harness
            .query_all_by_label_contains("Most likely cause")
            .next()
            .is_none()
    );
    drop(harness);

    let harness = diagnose(
        dir.path(),
        live(against(&s, Some(token(20)))),
        Answers::default(),
    );
    verdict(
        &harness,
        "certificate_for_token_push",
        "Apple accepts liveactivity pushes only over a token-based connection",
        "send these with an auth key (.p8)",
    );
}
