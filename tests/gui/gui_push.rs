//! The embedded simulator, connection check, sending and batches, driven headless by
//! accessibility label with the real worker. Credentials are made by the tests; frames are
//! stepped (bounded by a deadline) until results arrive.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::Path;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::apns::Environment;
use pushlab::apns::{DeviceToken, Notification, PushType};
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::client::{ClientAuth, Connection, Target};
use pushlab::gui::{App, AppConfig};
use pushlab::sim::SimIdentity;

fn app(data_dir: &Path) -> Harness<'static, App> {
    support::gui::app(data_dir, [1400.0, 2400.0])
}

use support::gui::step_until;

fn shows(harness: &Harness<'_, App>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

fn wait_for(harness: &mut Harness<'_, App>, text: &str) {
    step_until(harness, &format!("{text:?} on screen"), |h| shows(h, text));
}

fn simulator_running(harness: &mut Harness<'_, App>) -> std::net::SocketAddr {
    support::gui::until_simulator_runs(harness);
    harness.state().simulator().simulator().unwrap().addr()
}

fn open_section(harness: &mut Harness<'_, App>, label: &str) {
    // By role: the screen's heading has the same name.
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.run();
}

#[test]
fn the_simulator_runs_at_launch_and_its_inbox_shows_pushes_from_app_issued_certificates() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    let addr = simulator_running(&mut harness);
    open_section(&mut harness, "Simulator");
    assert!(shows(&harness, &addr.to_string()), "the address is shown");
    assert!(shows(&harness, "Nothing delivered yet"));

    // A certificate from the same CA the app uses for "Generate test certificate".
    let identity = SimIdentity::load_or_create(&data.path().join("simulator")).unwrap();
    let credential = identity
        .ca
        .issue_push_certificate(&PushCertificateSpec::new(
            "com.example.doorbell",
            CertEnvironment::Development,
        ))
        .unwrap();
    let target = Target::simulator(addr, identity.ca.certificate.clone(), Environment::Sandbox);
    let auth = ClientAuth::Certificate(credential);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        let conn = Connection::open(&target, &auth, Duration::from_secs(10))
            .await
            .unwrap();
        let token = DeviceToken::parse(&"ab".repeat(32)).unwrap();
        let mut n = Notification::new(
            token,
            PushType::Alert,
            r#"{"aps":{"alert":{"title":"Someone is at the door","subtitle":"Front door","body":"Ding dong"},"badge":3,"sound":"default"}}"#,
        );
        n.topic = Some("com.example.doorbell".to_owned());
        conn.send(&n).await.unwrap().status
    });
    assert_eq!(status, 200);
    wait_for(&mut harness, "Someone is at the door");
    assert!(shows(&harness, "Front door"));
    assert!(shows(&harness, "Badge 3"));
    assert!(shows(&harness, "COM.EXAMPLE.DOORBELL"));

    harness.get_by_label("Clear inbox").click();
    wait_for(&mut harness, "Nothing delivered yet");
}

/// The first-run path: a test certificate made from the Connection screen, then a check
/// against the embedded simulator with every step passed.
fn generate_test_certificate(harness: &mut Harness<'_, App>) {
    open_section(harness, "Connection");
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(harness);
}

#[test]
fn connection_check_passes_against_the_embedded_simulator() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    open_section(&mut harness, "Connection");
    assert!(
        shows(&harness, "com.example.pushlab"),
        "the chosen certificate's bundle id"
    );
    harness.get_by_label("Check connection").click();
    wait_for(&mut harness, "Connection works");
    for step in [
        "DNS lookup",
        "TCP connection",
        "TLS handshake",
        "HTTP/2 session",
        "Authenticated request",
    ] {
        assert!(
            shows(&harness, &format!("{step} — passed")),
            "{step} is shown as passed"
        );
    }
    let report = harness.state().connection().report().unwrap();
    assert!(report.passed());
    assert!(harness.query_by_label_contains("— failed").is_none());
}

fn type_into(harness: &mut Harness<'_, App>, field: &str, text: &str) {
    harness.get_by_label(field).focus();
    harness.run();
    harness.get_by_label(field).type_text(text);
    harness.run();
}

fn click_first(harness: &mut Harness<'_, App>, label: &str) {
    harness.query_all_by_label(label).next().unwrap().click();
    harness.run();
}

fn send_button_enabled(harness: &Harness<'_, App>) -> bool {
    use egui_kittest::kittest::NodeT as _;
    !harness.get_by_label("Send").accesskit_node().is_disabled()
}

#[test]
fn a_sent_push_shows_200_and_appears_in_the_simulator_inbox() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    open_section(&mut harness, "Compose & Send");
    click_first(&mut harness, "Use the demo device");
    assert!(shows(&harness, "32-byte token"));
    type_into(&mut harness, "Title", " from the kittest");
    assert!(send_button_enabled(&harness));
    harness.get_by_label("Send").click();
    wait_for(&mut harness, "200 Delivered");
    let last = harness.state().compose().last().unwrap();
    assert_eq!(last.status, Some(200));
    assert!(last.apns_id.is_some());
    assert_eq!(
        harness.state().state().history.len(),
        1,
        "kept in the history"
    );

    open_section(&mut harness, "Simulator");
    wait_for(&mut harness, "Hello from the kittest");

    // The history keeps it, finds it, and sends it again.
    open_section(&mut harness, "History");
    type_into(&mut harness, "Search history", "kittest");
    click_first_containing(
        &mut harness,
        "Hello from the kittest, Demo iPhone (simulator)",
    );
    assert!(shows(&harness, "740f4707bebcf74f"), "the request's token");
    harness.get_by_label("Send again").click();
    step_until(&mut harness, "the second send", |h| {
        h.state().state().history.len() == 2
    });
    let state = harness.state().state();
    assert!(state.history.iter().all(|h| h.status == Some(200)));
    let saved = serde_json::to_string(&state).unwrap();
    assert!(
        saved.contains("Hello from the kittest"),
        "payloads are kept"
    );
    assert!(!saved.contains("PRIVATE KEY"), "secrets are not");
}

/// Types a number into a drag value, replacing what it held.
fn set_number(harness: &mut Harness<'_, App>, field: &str, value: &str) {
    harness.get_by_label(field).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(field).type_text(value);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

fn click_first_containing(harness: &mut Harness<'_, App>, label: &str) {
    harness
        .query_all_by_label_contains(label)
        .next()
        .unwrap()
        .click();
    harness.run();
}

#[test]
fn a_pasted_token_is_normalised_and_a_bad_one_explained() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    open_section(&mut harness, "Compose & Send");
    type_into(
        &mut harness,
        "Device token",
        "<740f4707 bebcf74f 9b7c25d4 8e335894 5f6aa01d a5ddb387 462c7eaf 61bb78ad>",
    );
    assert_eq!(
        harness.state().state().compose.token,
        "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad"
    );
    assert!(shows(&harness, "tidied up"));
    type_into(&mut harness, "Device token", "zz");
    assert!(shows(&harness, "is not a hex digit"));
    assert!(!send_button_enabled(&harness));
}

#[test]
fn an_oversized_payload_shows_its_size_and_cannot_be_sent() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    open_section(&mut harness, "Compose & Send");
    click_first(&mut harness, "Use the demo device");
    assert!(send_button_enabled(&harness));
    type_into(&mut harness, "Body", &"x".repeat(4_900));
    let size = harness.state().state().compose.payload.len();
    assert!((5_000..5_100).contains(&size), "payload is {size} bytes");
    let meter = format!("5,0{:02} / 4,096 bytes", size - 5_000);
    assert!(shows(&harness, &meter), "the meter shows {meter}");
    assert!(
        shows(&harness, "over the 4,096-byte limit"),
        "the size error says the limit"
    );
    assert!(!send_button_enabled(&harness), "Send is disabled");
}

/// The app with its simulator running and answering every push after `latency_ms`, and a
/// test certificate made for it: ready to send a batch.
fn app_with_slow_simulator(data_dir: &Path, latency_ms: u64) -> Harness<'static, App> {
    let mut state = pushlab::gui::state::State::default();
    state.simulator.latency_ms = latency_ms;
    let mut harness = support::gui::app_with_state(data_dir, [1400.0, 2400.0], state);
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    harness
}

/// Types `tokens` into the Batch screen's token field, as a paste would put them.
fn type_tokens(harness: &mut Harness<'_, App>, tokens: &str) {
    let field = "Tokens, one per line (a name after the token is optional)";
    harness.get_by_label(field).focus();
    harness.run();
    harness.get_by_label(field).type_text(tokens);
    harness.run();
}

/// "Add as needed" is `--connections auto`: a batch starts on one connection and opens more,
/// never more than the Connections number, only while each is full and answers wait on the
/// network (here the simulator answers after 100 ms). Every token is delivered once a batch,
/// by the simulator's own record.
#[test]
fn a_batch_adds_connections_as_needed_up_to_the_number_set() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app_with_slow_simulator(data.path(), 100);
    open_section(&mut harness, "Batch");
    let tokens: String = (1..=40).map(|i| format!("{i:064x}\n")).collect();
    type_tokens(&mut harness, &tokens);
    assert!(shows(&harness, "40 tokens entered"));
    // Ticked while one connection is set, it could add none: the most becomes eight.
    harness.get_by_label("Add as needed").click();
    harness.run();
    let settings = harness.state().state().batch;
    assert_eq!((settings.auto_connections, settings.connections), (true, 8));
    harness.get_by_label("Add as needed").click();
    harness.run();
    assert!(!harness.state().state().batch.auto_connections);
    set_number(&mut harness, "Connections", "3");
    harness.get_by_label("Add as needed").click();
    harness.run();
    let settings = harness.state().state().batch;
    assert_eq!((settings.auto_connections, settings.connections), (true, 3));
    let send = |harness: &mut Harness<'_, App>, batches: usize| {
        harness.get_by_label("Send batch").click();
        step_until(harness, "the batch finishing", |h| {
            h.state().state().history.len() == batches && h.state().batch().summary().is_some()
        });
        let summary = harness.state().batch().summary().unwrap().clone();
        assert_eq!(summary.delivered, 40);
        summary.connections_opened
    };
    // All forty fit in one connection's 1,000 streams: it is never full, none is added (a
    // fixed three would open three at once).
    assert_eq!(send(&mut harness, 1), 1, "auto starts with one connection");
    // Two a connection: each is full while answers take 100 ms, so more are opened.
    set_number(&mut harness, "Most in flight per connection", "2");
    let opened = send(&mut harness, 2);
    assert!(
        (2..=3).contains(&opened),
        "connections are added, up to three: {opened} opened"
    );
    let mut delivered: Vec<String> = support::gui::deliveries(&harness)
        .iter()
        .map(|d| d.token.to_hex())
        .collect();
    delivered.sort();
    let mut sent: Vec<String> = tokens
        .lines()
        .chain(tokens.lines())
        .map(str::to_owned)
        .collect();
    sent.sort();
    assert_eq!(
        delivered, sent,
        "each token reached the simulator once a batch"
    );
}

#[test]
fn a_batch_lists_the_token_the_simulator_knows_as_unregistered_as_dead() {
    let data = tempfile::tempdir().unwrap();
    // Answers take half a second: the batch's connections open at once and sending starts
    // on the first, so three pushes could all be answered before the second connection is
    // up. With slow answers both are open before the batch ends.
    let mut harness = app_with_slow_simulator(data.path(), 500);
    let dead = "dead".repeat(16);
    harness
        .state()
        .simulator()
        .registry()
        .unregister(&DeviceToken::parse(&dead).unwrap());

    open_section(&mut harness, "Batch");
    let tokens = format!(
        "{} Alice's iPhone\n{dead} Old iPad\n{} shared: Bob's iPad\n",
        "a1".repeat(32),
        "b2".repeat(32)
    );
    type_tokens(&mut harness, &tokens);
    assert!(shows(&harness, "3 tokens entered"));
    set_number(&mut harness, "Connections", "2");
    set_number(&mut harness, "Most in flight per connection", "50");
    let settings = harness.state().state().batch;
    assert_eq!((settings.connections, settings.max_in_flight), (2, 50));
    harness.get_by_label("Send batch").click();
    step_until(&mut harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
    let summary = harness.state().batch().summary().unwrap().clone();
    assert_eq!(
        (summary.delivered, summary.rejected, summary.dead_tokens),
        (2, 1, 1)
    );
    assert_eq!(
        summary.connections_opened, 2,
        "the Connections setting is used"
    );
    assert!(shows(&harness, "Dead tokens (1)"));
    assert!(shows(
        &harness,
        &format!("Old iPad · {dead} — Unregistered")
    ));
    assert!(shows(&harness, "2 delivered"));
    assert!(shows(&harness, "1 rejected"));

    // Only the dead one when filtered.
    harness.get_by_label("Filter results").focus();
    harness.run();
    harness
        .get_by_label("Filter results")
        .type_text("unregistered");
    harness.run();
    assert!(shows(&harness, "1 of 3 rows"));

    // History keeps the batch as one entry: counts and the dead token, found by search.
    let history = harness.state().state().history;
    assert_eq!(history.len(), 1, "one entry for the whole batch");
    let batch = history[0].batch.as_ref().unwrap();
    assert_eq!((batch.total, batch.delivered, batch.dead), (3, 2, 1));
    assert_eq!(batch.problems.len(), 1);
    open_section(&mut harness, "History");
    type_into(&mut harness, "Search history", "old ipad");
    click_first_containing(&mut harness, "Batch of 3 devices");
    assert!(shows(&harness, "2 delivered"));
    assert!(shows(&harness, "1 dead"));
    assert!(shows(
        &harness,
        &format!("Old iPad · {dead} — Unregistered")
    ));
    harness.get_by_label("Open in Compose").click();
    harness.run();
    let state = harness.state().state();
    assert_eq!(state.section, pushlab::gui::app::Section::Compose);
    assert_eq!(state.compose.payload, history[0].draft.payload);
}

/// Sets the embedded simulator to deliver every `n`th push and then reset its stream
/// unanswered (the Simulator screen's fault; 0: never). A fault goes to the running simulator
/// as it runs: no restart, so its address and inbox stay.
fn reset_every(harness: &mut Harness<'_, App>, n: u32) {
    open_section(harness, "Simulator");
    let sim = harness.state().simulator().simulator().unwrap();
    let (addr, delivered) = (sim.addr(), sim.inbox().total());
    set_number(
        harness,
        "Deliver, then reset without an answer: every Nth push (0: never)",
        &n.to_string(),
    );
    assert!(harness.query_by_label("Apply and restart").is_none());
    harness.get_by_label("Apply").click();
    harness.run();
    assert!(shows(harness, "Applied to the running simulator"));
    assert!(!harness.state().simulator().is_starting());
    let sim = harness.state().simulator().simulator().unwrap();
    assert_eq!((sim.addr(), sim.inbox().total()), (addr, delivered));
    assert_eq!(
        sim.faults().current().reset_processed_every,
        (n > 0).then_some(u64::from(n))
    );
}

/// A simulator that delivers every second push and then resets it unanswered: the Batch
/// screen and History count those as unconfirmed, apart from delivered, and the pushes that
/// most got BadDeviceToken for are not called dead.
#[test]
fn unanswered_pushes_are_unconfirmed_and_bad_device_tokens_are_not_dead() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    reset_every(&mut harness, 2);

    open_section(&mut harness, "Batch");
    let tokens: String = (1..=4).map(|i| format!("{i:064x} phone {i}\n")).collect();
    type_into(
        &mut harness,
        "Tokens, one per line (a name after the token is optional)",
        &format!("{tokens}not a token\n"),
    );
    harness.get_by_label("Send batch").click();
    step_until(&mut harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
    let summary = harness.state().batch().summary().unwrap().clone();
    assert_eq!(
        (
            summary.delivered,
            summary.unconfirmed,
            summary.invalid_input,
            summary.total
        ),
        (2, 2, 1, 5)
    );
    let inbox = harness
        .state()
        .simulator()
        .simulator()
        .unwrap()
        .inbox()
        .total();
    assert_eq!(inbox, 4, "the unconfirmed ones did arrive, once");
    assert!(shows(&harness, "2 delivered"));
    assert!(shows(&harness, "2 unconfirmed"));
    assert!(shows(&harness, "1 invalid input"));
    assert!(shows(&harness, "may or may not have them"));
    let batch = harness.state().state().history[0].batch.clone().unwrap();
    assert_eq!(
        (batch.delivered, batch.unconfirmed, batch.invalid_input),
        (2, 2, 1)
    );

    // Tokens the simulator knows as the other environment's: BadDeviceToken, not dead.
    reset_every(&mut harness, 0);
    for i in 1..=4u64 {
        let token = DeviceToken::parse(&format!("{i:064x}")).unwrap();
        let mut entry = pushlab::sim::DeviceEntry::active();
        entry.environment = Some(Environment::Production);
        harness.state().simulator().registry().insert(&token, entry);
    }
    open_section(&mut harness, "Batch");
    harness.get_by_label("Send batch").click();
    step_until(&mut harness, "the second batch finishing", |h| {
        h.state()
            .batch()
            .summary()
            .is_some_and(|s| s.bad_device_tokens > 0)
    });
    let summary = harness.state().batch().summary().unwrap().clone();
    assert_eq!((summary.bad_device_tokens, summary.dead_tokens), (4, 0));
    assert!(shows(&harness, "the environment is probably wrong"));
    assert!(
        harness
            .query_by_label("Try one token in the other environment")
            .is_some()
    );
    assert!(!shows(&harness, "Dead tokens ("));
}

/// On the Batch screen, tokens 1 to `n` typed and sent, until the batch's summary is in.
fn send_batch_to(harness: &mut Harness<'_, App>, n: u32) {
    open_section(harness, "Batch");
    let tokens: String = (1..=n).map(|i| format!("{i:064x} phone {i}\n")).collect();
    type_into(
        harness,
        "Tokens, one per line (a name after the token is optional)",
        &tokens,
    );
    harness.get_by_label("Send batch").click();
    step_until(harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
}

/// Why a push has no answer is kept as a value and worded by the app in the language shown,
/// whatever the language when the batch ran: the table said it in the library's English.
#[test]
fn a_results_why_is_worded_in_the_language_shown() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    reset_every(&mut harness, 2);
    send_batch_to(&mut harness, 2);
    assert_eq!(harness.state().batch().summary().unwrap().unconfirmed, 1);
    assert!(shows(&harness, "sent, but no answer came"));

    support::gui::to_chinese(&mut harness);
    assert!(
        shows(&harness, "已发送，但没有收到回应"),
        "{:#?}",
        harness.root()
    );
    assert!(!shows(&harness, "sent, but no answer came"));
}

/// The batch summary explains each reason in the language on screen: it was the library's
/// English in Chinese.
#[test]
fn a_batchs_reasons_are_explained_in_the_language_shown() {
    use pushlab::apns::Reason;
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    // Tokens the simulator knows as production's: the sandbox answers BadDeviceToken.
    for i in 1..=2u64 {
        let token = DeviceToken::parse(&format!("{i:064x}")).unwrap();
        let mut entry = pushlab::sim::DeviceEntry::active();
        entry.environment = Some(Environment::Production);
        harness.state().simulator().registry().insert(&token, entry);
    }
    send_batch_to(&mut harness, 2);
    assert_eq!(
        harness.state().batch().summary().unwrap().bad_device_tokens,
        2
    );
    let english = Reason::BadDeviceToken.meaning();
    assert!(shows(&harness, english), "{:#?}", harness.root());

    support::gui::to_chinese(&mut harness);
    let chinese = pushlab::gui::i18n::reason_meaning(Reason::BadDeviceToken);
    assert_ne!(chinese, english);
    assert!(shows(&harness, &chinese), "{:#?}", harness.root());
    assert!(!shows(&harness, english));
}

/// Two credentials with the same file name (`Push.pem` from two folders, for two apps): each
/// send goes out over a connection made with the credential chosen for it. Keyed by file name,
/// the second send went out over the first certificate's connection and APNs refused its
/// topic.
#[test]
fn two_credentials_with_one_file_name_never_share_a_connection() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    let ca = SimIdentity::load_or_create(&data.path().join("simulator"))
        .unwrap()
        .ca;
    let mut paths = Vec::new();
    for (folder, bundle) in [("a", "com.example.alpha"), ("b", "com.example.beta")] {
        let cred = ca
            .issue_push_certificate(&PushCertificateSpec::new(
                bundle,
                CertEnvironment::Development,
            ))
            .unwrap();
        let mut pem = cred.certificate.to_pem().unwrap();
        pem.extend(
            cred.private_key
                .unwrap()
                .private_key_to_pem_pkcs8()
                .unwrap(),
        );
        let dir = data.path().join(folder);
        std::fs::create_dir(&dir).unwrap();
        paths.push(support::write(&dir, "Push.pem", &pem));
    }
    support::gui::drop_files(&mut harness, &[&paths[0], &paths[1]]);
    step_until(&mut harness, "both credentials loaded", |h| {
        let entries = h.state().credentials().entries();
        entries.len() == 2 && entries.iter().all(|e| e.loaded().is_some())
    });
    for (i, bundle) in ["com.example.alpha", "com.example.beta"].iter().enumerate() {
        open_section(&mut harness, "Connection");
        // Both entries are called Push.pem: the picker names each with its bundle id.
        harness.get_by_label("Use").click();
        harness.run();
        harness
            .query_all_by_label_contains(&format!("Push.pem · {bundle}"))
            .find(|n| {
                use egui_kittest::kittest::NodeT as _;
                n.accesskit_node().role() != egui::accesskit::Role::ComboBox
            })
            .unwrap()
            .click();
        harness.run();
        assert_eq!(
            harness.state().state().connection.credential.as_deref(),
            Some(paths[i].as_path())
        );
        open_section(&mut harness, "Compose & Send");
        click_first(&mut harness, "Use the demo device");
        harness.get_by_label("Send").click();
        step_until(&mut harness, "the answer", |h| {
            h.state().state().history.len() == i + 1
        });
        let last = harness.state().compose().last().unwrap().clone();
        assert_eq!(last.topic.as_deref(), Some(*bundle));
        assert_eq!(
            (last.status, last.reason.as_deref()),
            (Some(200), None),
            "sent with {bundle}'s own certificate"
        );
    }
}

/// Frame times while a 100,000-token batch runs against the embedded simulator. Slow in a
/// debug build, so only on demand: `cargo test --test gui frame_times -- --ignored
/// --nocapture`. Headless frames measure the UI thread's own work (layout, polling), not
/// the GPU.
#[test]
#[ignore]
fn frame_times_during_a_100k_batch() {
    let data = tempfile::tempdir().unwrap();
    let tokens = data.path().join("tokens.txt");
    let mut text = String::with_capacity(100_000 * 80);
    for i in 0..100_000u32 {
        text.push_str(&format!("{i:064x} device {i}\n"));
    }
    std::fs::write(&tokens, text).unwrap();
    let mut harness = Harness::builder().with_size([1180.0, 760.0]).build_eframe({
        let data_dir = data.path().to_owned();
        move |cc| {
            App::new(
                cc,
                AppConfig {
                    data_dir: Some(data_dir),
                    ..AppConfig::default()
                },
            )
            .unwrap()
        }
    });
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    open_section(&mut harness, "Batch");
    type_into(&mut harness, "Token file path", tokens.to_str().unwrap());
    harness.get_by_label("Load file").click();
    wait_for(&mut harness, "100,000 tokens");
    harness.get_by_label("Send batch").click();
    harness.step();
    let started = Instant::now();
    let mut frames = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(600);
    while harness.state().batch().summary().is_none() {
        assert!(Instant::now() < deadline, "the batch never finished");
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let total = started.elapsed().as_secs_f64();
    let summary = harness.state().batch().summary().unwrap().clone();
    // And the table with all rows, sorted by latency (the most expensive view rebuild).
    harness.get_by_label("Sort by Latency").click();
    let t = Instant::now();
    harness.step();
    let sort_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    harness.step();
    let settled_ms = t.elapsed().as_secs_f64() * 1000.0;
    frames.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| frames[((frames.len() - 1) as f64 * p) as usize];
    println!(
        "100k batch: {} delivered in {total:.1} s ({:.0}/s), {} frames during it: \
         median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         sort 100k rows by latency: {sort_ms:.1} ms; a frame after: {settled_ms:.1} ms",
        summary.delivered,
        summary.delivered as f64 / total,
        frames.len(),
        pct(0.5),
        pct(0.95),
        pct(0.99),
        frames[frames.len() - 1],
    );
    assert_eq!(summary.delivered, 100_000);
}

/// A file dropped onto the window, as eframe hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn an_auth_key_is_trusted_by_the_embedded_simulator_once_used() {
    let data = tempfile::tempdir().unwrap();
    let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
    let key =
        openssl::pkey::PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap();
    let p8 = data.path().join("AuthKey_ABC123DEFG.p8");
    std::fs::write(&p8, key.private_key_to_pem_pkcs8().unwrap()).unwrap();

    let mut harness = app(data.path());
    simulator_running(&mut harness);
    let addr = harness.state().simulator().simulator().unwrap().addr();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(p8)));
    harness.step();
    step_until(&mut harness, "the auth key loading", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .any(|e| e.loaded().is_some())
    });
    open_section(&mut harness, "Connection");
    assert!(shows(&harness, "Token-based"));
    // The key id in grey is the one in use (from AuthKey_ABC123DEFG.p8), and says so.
    assert!(shows(&harness, "from the file name"));
    harness.get_by_label("Check connection").click();
    harness.run();
    assert!(shows(&harness, "Type your team id"), "asks for the team id");
    type_into(&mut harness, "Team id", "TEAM123456");
    harness.get_by_label("Check connection").click();
    harness.run();
    assert!(shows(&harness, "Type the app's bundle id"));
    type_into(&mut harness, "App bundle id", "com.example.doorbell");
    harness.get_by_label("Check connection").click();
    step_until(&mut harness, "the check", |h| {
        h.state().connection().report().is_some()
    });
    let report = harness.state().connection().report().unwrap();
    assert!(report.passed(), "{:#?}", report.steps);
    assert!(shows(&harness, "Connection works"));
    assert!(harness.state().connection().report().unwrap().passed());
    // Trusted by the simulator as it ran: not restarted, so at the same address.
    assert_eq!(
        harness.state().simulator().simulator().unwrap().addr(),
        addr
    );
}

fn request_close(harness: &mut Harness<'_, App>) {
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run_steps(3);
}

#[test]
fn closing_the_window_during_a_batch_asks_first() {
    let data = tempfile::tempdir().unwrap();
    let mut state = pushlab::gui::state::State::default();
    state.simulator.latency_ms = 3_000; // answers take long enough to try closing
    let mut harness = Harness::builder()
        .with_size([1400.0, 2400.0])
        // Worker results wake the UI at their own pace; a few extra frames to settle.
        .with_max_steps(16)
        .build_eframe({
            let data_dir = data.path().to_owned();
            move |cc| {
                App::with_state(
                    cc,
                    AppConfig {
                        data_dir: Some(data_dir),
                        ..AppConfig::default()
                    },
                    state,
                )
                .unwrap()
            }
        });
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    open_section(&mut harness, "Batch");
    type_into(
        &mut harness,
        "Tokens, one per line (a name after the token is optional)",
        &"c3".repeat(32),
    );
    harness.get_by_label("Send batch").click();
    harness.run_steps(3);
    assert!(harness.state().batch().is_running());

    request_close(&mut harness);
    assert!(harness.state().is_confirming_close());
    assert!(shows(&harness, "A batch is still sending"));
    harness.get_by_label("Keep sending").click();
    harness.run_steps(3);
    assert!(!harness.state().is_confirming_close());
    assert!(harness.state().batch().is_running(), "still sending");

    request_close(&mut harness);
    harness.get_by_label("Stop the batch and close").click();
    harness.run_steps(3);
    assert!(!harness.state().is_confirming_close());
}

#[test]
fn a_json_error_is_shown_with_its_line_and_the_form_follows_the_json() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    open_section(&mut harness, "Compose & Send");
    click_first(&mut harness, "Use the demo device");
    harness.get_by_label("JSON").click();
    harness.run();
    // A trailing comma on the last line of the object.
    type_into(&mut harness, "Payload JSON", ",");
    assert!(shows(&harness, "Line "), "the error names its line");
    assert!(!send_button_enabled(&harness));
    // Ctrl/Cmd+Enter does nothing while the payload is wrong.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    harness.run();
    assert!(harness.state().state().history.is_empty());

    // The form shows what the JSON says once it parses again.
    harness.get_by_label("Payload JSON").focus();
    harness.run();
    harness.key_press(egui::Key::Backspace);
    harness.run();
    assert!(send_button_enabled(&harness));
    harness.get_by_label("Form").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Title").value().as_deref(),
        Some("Hello")
    );
}

/// Every screen and the forms that only show on demand, so the harness checks that each
/// input on them has a name people and screen readers can use.
#[test]
fn every_screen_and_form_is_labelled() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    for destination in [
        "Custom host",
        "Apple sandbox",
        "Apple production",
        "Local simulator",
    ] {
        harness.get_by_label(destination).click();
        harness.run();
    }
    assert!(shows(&harness, "Local simulator (127.0.0.1:") || shows(&harness, "Running on"));

    open_section(&mut harness, "Compose & Send");
    click_first(&mut harness, "Use the demo device");
    harness.get_by_label("Forget this device").click();
    harness.run();
    harness.get_by_label("Save device…").click();
    harness.run();
    type_into(&mut harness, "Device name", "Alice's iPhone");
    type_into(&mut harness, "Group", "shared: Bob's iPad");
    harness.get_by_label("Save").click();
    harness.run();
    let devices = harness.state().state().devices;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].name, "Alice's iPhone");
    assert_eq!(devices[0].group, "shared: Bob's iPad");
    harness.get_by_label("now +").click();
    harness.run();
    harness.get_by_label("at (UNIX time)").click();
    harness.run();
    harness.get_by_label("New apns-id").click();
    harness.run();
    harness.get_by_label("Set the badge").click();
    harness.run();
    assert!(
        harness
            .state()
            .state()
            .compose
            .payload
            .contains("\"badge\": 1")
    );

    for section in ["Batch", "History", "Simulator", "Credentials"] {
        open_section(&mut harness, section);
    }
}

/// A saved sandbox device sent to Apple production: a warning, not a block.
#[test]
fn a_sandbox_device_sent_to_production_is_warned_about() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    let warning =
        "This device's token is from the sandbox; Apple production will answer BadDeviceToken.";
    open_section(&mut harness, "Compose & Send");
    click_first(&mut harness, "Use the demo device");
    assert!(!shows(&harness, warning), "the simulator takes any token");

    open_section(&mut harness, "Connection");
    harness.get_by_label("Apple production").click();
    harness.run();
    open_section(&mut harness, "Compose & Send");
    assert!(shows(&harness, warning));

    open_section(&mut harness, "Batch");
    harness.get_by_label("Demo iPhone (simulator)").click();
    harness.run();
    assert!(shows(
        &harness,
        "The token of Demo iPhone (simulator) is from the sandbox; Apple production will answer BadDeviceToken."
    ));

    open_section(&mut harness, "Connection");
    harness.get_by_label("Apple sandbox").click();
    harness.run();
    open_section(&mut harness, "Compose & Send");
    assert!(!shows(&harness, warning));
}

#[test]
fn saving_the_ca_to_a_typed_path_that_exists_asks_first() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let out = files.path().join("ca.pem");
    std::fs::write(&out, "keep me").unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    open_section(&mut harness, "Simulator");
    // Replace the suggested path with the typed one.
    harness.get_by_label("CA file path").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_label("CA file path")
        .type_text(out.to_str().unwrap());
    harness.run();

    harness.get_by_label("Save CA to path").click();
    wait_for(&mut harness, "ca.pem exists. Replace it?");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    harness.get_by_label("Replace").click();
    wait_for(&mut harness, "Saved the CA to");
    assert!(!shows(&harness, "Replace it?"));
    let pem = std::fs::read_to_string(&out).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    let names: Vec<_> = std::fs::read_dir(files.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["ca.pem"], "no temporary file left");
}

#[test]
fn latency_is_measured_on_one_connection_from_the_connection_screen() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    simulator_running(&mut harness);
    generate_test_certificate(&mut harness);
    open_section(&mut harness, "Connection");
    let rejected_before = harness
        .state()
        .simulator()
        .simulator()
        .unwrap()
        .inbox()
        .rejected();
    harness.get_by_label("Measure latency").click();
    let _ = harness.try_run();
    wait_for(&mut harness, "p50 ");
    assert!(shows(&harness, "20 round trips"));
    let latency = harness
        .state()
        .connection()
        .latency()
        .unwrap()
        .as_ref()
        .unwrap()
        .clone();
    assert_eq!(latency.requests, 20);
    assert!(latency.p50_ms <= latency.p95_ms && latency.p95_ms <= latency.p99_ms);
    // The simulator's own count: twenty probes, each refused (nothing delivered).
    let sim = harness.state().simulator().simulator().unwrap();
    assert_eq!(sim.inbox().rejected() - rejected_before, 20);
    assert_eq!(sim.inbox().total(), 0);
}
