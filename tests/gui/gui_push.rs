//! The embedded simulator, connection check, sending and batches, driven headless by
//! accessibility label with the real worker. Credentials are made by the tests; frames are
//! stepped (bounded by a deadline) until results arrive.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{
    app_tall as app, click_first, click_first_containing, generate_test_certificate, open_section,
    shows, simulator_running, type_into, wait_for,
};
use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::apns::Environment;
use pushlab::apns::{DeviceToken, Notification, PushType};
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::client::{ClientAuth, Connection, Target};
use pushlab::gui::App;
use pushlab::sim::SimIdentity;

use support::gui::step_until;

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
