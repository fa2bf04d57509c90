//! Where Live Activity pushes go and with what: over a certificate the simulator refuses them,
//! as Apple does, and the warning's test key is then used; a start sent to another server
//! leaves the update at the push-to-start token, which Compose warns of; a batch to saved
//! devices goes to each one's Live Activity token.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::gui_live_activity::{app, click, payload, ready_with_certificate, send};
use crate::support;
use crate::support::gui::{open_section, shows, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::gui::App;
use support::gui::step_until;

/// Beside a Live Activity sent with a certificate to the simulator, the warning offers a test
/// auth key: made, it is the credential sent with, for the same app, the warning is gone and
/// the push goes over a token-based connection, by the simulator's record.
#[test]
fn the_certificate_warning_offers_a_test_key_that_is_then_used() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready_with_certificate(&mut harness);
    const WARNING: &str = support::gui::NEEDS_TOKEN_WARNING;
    assert!(
        shows(&harness, WARNING),
        "a test certificate is no credential for Apple's Live Activities"
    );
    // Sent anyway, the simulator refuses it as Apple would, and the answer names the cause.
    assert_eq!(send(&mut harness), Some(400));
    assert!(shows(&harness, "400 TopicDisallowed"));
    assert!(shows(
        &harness,
        "Fix: Apple takes liveactivity pushes only over a token-based connection"
    ));
    assert!(
        support::gui::deliveries(&harness).is_empty(),
        "no activity was started"
    );
    assert_eq!(
        payload(&harness)["aps"]["event"],
        "start",
        "a refused start is not followed by an update"
    );
    // The Simulator screen's list of refusals says why too.
    open_section(&mut harness, "Simulator");
    support::gui::click_first_containing(&mut harness, "Refused requests");
    wait_for(
        &mut harness,
        "Sent over a certificate: Apple takes liveactivity pushes only over a token-based connection.",
    );
    open_section(&mut harness, "Compose & Send");
    click(&mut harness, "Generate a test auth key");
    step_until(&mut harness, "the key in use", |h| !shows(h, WARNING));
    let chosen = harness
        .state()
        .state()
        .connection
        .credential
        .clone()
        .unwrap();
    assert!(
        chosen
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("AuthKey_"),
        "{chosen:?}"
    );
    assert_eq!(send(&mut harness), Some(200));
    let delivered = support::gui::deliveries(&harness);
    assert_eq!(delivered[0].auth, pushlab::sim::AuthKind::Token);
    assert_eq!(
        delivered[0].topic, "com.example.pushlab.push-type.liveactivity",
        "the same app as the certificate's"
    );
}

/// A start sent somewhere other than the embedded simulator (here a `pushlab sim` process
/// reached as a custom host, as Apple would be): no one tells Compose the activity's own token,
/// so the update that follows still names the push-to-start token, and Compose says it will
/// change nothing there.
#[test]
fn after_a_start_elsewhere_an_update_to_its_token_is_warned_of() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = support::doctor::token(1);
    // Token-based, as Apple takes Live Activities.
    let key = support::doctor::auth_key(dir.path());
    let sim = support::doctor::sim_with_key(dir.path(), "sandbox", &key, &[]);
    let mut state = pushlab::gui::state::State {
        section: pushlab::gui::app::Section::Compose,
        credentials: vec![pushlab::gui::state::SavedCredential {
            name: "AuthKey.p8".to_owned(),
            path: key.clone(),
            key_path: None,
        }],
        ..Default::default()
    };
    state.connection.destination = pushlab::gui::state::Destination::Custom;
    state.connection.custom_host = sim.addr.clone();
    state.connection.custom_ca = sim.ca.display().to_string();
    state.connection.credential = Some(key);
    state.connection.team_id = support::doctor::TEAM_ID.to_owned();
    state.compose.bundle_id = support::doctor::BUNDLE.to_owned();
    state.compose.token = token.clone();
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 2400.0], state);
    support::gui::until_a_credential_is_loaded(&mut harness);
    harness.get_by_label("Template").click();
    harness.run();
    click(&mut harness, "Live Activity: start");
    assert!(!shows(&harness, "This is a push-to-start token"));
    assert_eq!(send(&mut harness), Some(200));
    assert_eq!(payload(&harness)["aps"]["event"], "update");
    assert_eq!(harness.state().state().compose.token, token);
    wait_for(&mut harness, "This is a push-to-start token");
    assert!(!shows(&harness, "The simulated phone gave"));
}

/// A Live Activity batch to saved devices goes to each device's Live Activity token for the
/// step, as Compose sends one: the push-to-start token for a start, the activity's update
/// token for an update. A device without that token is left out, and the screen says so,
/// rather than sent to its device token, where no activity listens.
#[test]
fn a_live_activity_batch_to_saved_devices_goes_to_their_live_activity_tokens() {
    use pushlab::gui::state::{SavedDevices, State, StoredDevice};
    let data = tempfile::tempdir().unwrap();
    let (alice_start, alice_update) = ("a1".repeat(32), "a2".repeat(32));
    let device =
        |name: &str, token: &str, start: Option<&str>, update: Option<&str>| StoredDevice {
            name: name.to_owned(),
            token: token.to_owned(),
            group: "testers".to_owned(),
            push_to_start_token: start.map(str::to_owned),
            activity_token: update.map(str::to_owned),
            ..StoredDevice::default()
        };
    let state = State {
        devices: SavedDevices::from(vec![
            device(
                "Alice",
                &"a0".repeat(32),
                Some(&alice_start),
                Some(&alice_update),
            ),
            device("Bob", &"b0".repeat(32), None, None),
        ]),
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 2400.0], state);
    support::gui::until_simulator_runs(&mut harness);
    open_section(&mut harness, "Connection");
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(&mut harness);
    open_section(&mut harness, "Compose & Send");
    harness.get_by_label("Template").click();
    harness.run();
    click(&mut harness, "Live Activity: start");
    support::gui::use_a_test_key(&mut harness);

    let batch = |harness: &mut Harness<'_, App>, n: usize| -> Vec<String> {
        harness.get_by_label("Send batch").click();
        step_until(harness, "the batch finishing", |h| {
            h.state().state().history.len() == n && h.state().batch().summary().is_some()
        });
        support::gui::deliveries(harness)
            .iter()
            .map(|d| d.token.to_hex())
            .collect()
    };
    open_section(&mut harness, "Batch");
    click(&mut harness, "Group: testers");
    wait_for(
        &mut harness,
        "1 picked device has no Live Activity push-to-start token",
    );
    assert!(shows(&harness, "(Bob)"));
    let sent = batch(&mut harness, 1);
    assert_eq!(
        sent,
        vec![alice_start.clone()],
        "the start to the push-to-start token"
    );

    open_section(&mut harness, "Compose & Send");
    click(&mut harness, "Update");
    open_section(&mut harness, "Batch");
    wait_for(
        &mut harness,
        "1 picked device has no Live Activity update token",
    );
    let sent = batch(&mut harness, 2);
    assert_eq!(sent.len(), 2);
    assert!(
        sent.contains(&alice_update),
        "the update to the activity's own token: {sent:?}"
    );
    assert!(
        !sent
            .iter()
            .any(|t| t.starts_with("b0") || t.starts_with("a0"))
    );
}

/// A Live Activity batch over a certificate: the simulator refuses each push as Apple does,
/// and the Batch summary puts the refusals down to the certificate, not the topic.
#[test]
fn a_live_activity_batch_over_a_certificate_is_refused_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready_with_certificate(&mut harness);
    click(&mut harness, "Update");
    open_section(&mut harness, "Batch");
    let tokens = format!("{}\n{}\n", "b1".repeat(32), "b2".repeat(32));
    support::gui::send_batch_and_wait(&mut harness, &tokens);
    let summary = harness.state().batch().summary().unwrap().clone();
    assert_eq!(summary.rejected, 2, "{summary:?}");
    assert_eq!(summary.reasons.get("TopicDisallowed"), Some(&2));
    assert!(shows(
        &harness,
        "Apple takes liveactivity pushes only over a token-based connection"
    ));
    assert!(
        support::gui::deliveries(&harness).is_empty(),
        "nothing reached the simulated phone"
    );
}
