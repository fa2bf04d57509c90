//! The Live Activity composer and the simulator's activities, driven headless by label with
//! the real worker and the embedded simulator: start, update and end one activity and read its
//! card after each step; saved devices carry their Live Activity tokens.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{open_section, shows, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::apns::DeviceToken;
use pushlab::gui::App;
use support::gui::step_until;

pub(crate) fn app(data_dir: &std::path::Path) -> Harness<'static, App> {
    support::gui::app(data_dir, [1400.0, 2400.0])
}

pub(crate) fn click(harness: &mut Harness<'_, App>, label: &str) {
    harness.query_all_by_label(label).next().unwrap().click();
    harness.run();
}

/// Replaces what a text field holds.
pub(crate) fn retype(harness: &mut Harness<'_, App>, field: &str, text: &str) {
    harness.get_by_label(field).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(field).type_text(text);
    harness.run();
}

/// The simulator running and a test certificate made, on Compose with the demo device and a
/// Live Activity start.
pub(crate) fn ready_with_certificate(harness: &mut Harness<'_, App>) {
    support::gui::until_simulator_runs(harness);
    open_section(harness, "Connection");
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(harness);
    open_section(harness, "Compose & Send");
    click(harness, "Use the demo device");
    harness.get_by_label("Template").click();
    harness.run();
    click(harness, "Live Activity: start");
}

/// As [`ready_with_certificate`], then the test auth key its warning offers in use: Apple
/// (and the simulator) take Live Activities only over a token-based connection.
pub(crate) fn ready(harness: &mut Harness<'_, App>) {
    ready_with_certificate(harness);
    support::gui::use_a_test_key(harness);
}

/// Sends and waits for the answer; returns its status.
pub(crate) fn send(harness: &mut Harness<'_, App>) -> Option<u16> {
    let before = harness.state().state().history.len();
    harness.get_by_label("Send").click();
    step_until(harness, "the answer", |h| {
        h.state().state().history.len() == before + 1
    });
    harness.state().state().history.last().unwrap().status
}

/// Opens the Simulator screen, waits for `text` on the activity card, and comes back.
pub(crate) fn simulator_shows(harness: &mut Harness<'_, App>, texts: &[&str]) {
    open_section(harness, "Simulator");
    for text in texts {
        wait_for(harness, text);
    }
    open_section(harness, "Compose & Send");
}

pub(crate) fn payload(harness: &Harness<'_, App>) -> serde_json::Value {
    serde_json::from_str(&harness.state().state().compose.payload).unwrap()
}

#[test]
fn the_composer_starts_updates_and_ends_an_activity_the_simulator_shows() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    assert!(shows(&harness, "Attributes type"), "a start's fields");
    assert_eq!(payload(&harness)["aps"]["event"], "start");

    assert_eq!(send(&mut harness), Some(200));
    let sent = &harness.state().state().history[0].draft.payload;
    let started: serde_json::Value = serde_json::from_str(sent).unwrap();
    let stamped = started["aps"]["timestamp"].as_i64().unwrap();
    assert!(stamped > 1_700_000_000, "seconds, set at send time");
    assert_eq!(
        payload(&harness)["aps"]["event"],
        "update",
        "after a start, the next step is an update"
    );
    assert!(!shows(&harness, "Attributes type"));
    // The update goes to the token the simulated phone made for the new activity, as an app
    // tells its server, not to the push-to-start token the start went to.
    let demo = harness.state().state().history[0].draft.token.clone();
    let sim = harness.state().simulator().simulator().unwrap();
    let update_token = sim.inbox().started_from(&demo).unwrap();
    assert_ne!(update_token, demo);
    assert_eq!(harness.state().state().compose.token, update_token);
    assert!(shows(
        &harness,
        "The simulated phone gave the started activity its own update token"
    ));
    // The answer in view is the start's: not "changed since: run it again", since the app,
    // not the person, moved the push on to the update.
    assert!(shows(&harness, "This is the answer to the start you sent"));
    assert!(!shows(&harness, "run it again"));
    simulator_shows(
        &mut harness,
        &["Order placed", "State: Active", "status: preparing"],
    );

    retype(&mut harness, "Field 1 value", "on the way");
    click(&mut harness, "+ Add field");
    retype(&mut harness, "Field 2 name", "eta");
    retype(&mut harness, "Field 2 value", "5");
    let aps = payload(&harness)["aps"].clone();
    assert_eq!(
        aps["content-state"],
        serde_json::json!({"status": "on the way", "eta": 5})
    );
    assert!(
        aps.get("alert").is_none(),
        "the start's alert is not sent again"
    );
    assert_eq!(send(&mut harness), Some(200));
    let updated: serde_json::Value =
        serde_json::from_str(&harness.state().state().history[1].draft.payload).unwrap();
    assert!(
        updated["aps"]["timestamp"].as_i64().unwrap() > stamped,
        "newer than the start, even within the same second"
    );
    simulator_shows(
        &mut harness,
        &["status: on the way", "eta: 5", "State: Active"],
    );

    click(&mut harness, "End");
    assert!(shows(&harness, "Dismissal date"));
    assert_eq!(send(&mut harness), Some(200));
    simulator_shows(&mut harness, &["State: Ended"]);
    assert!(!shows(&harness, "The phone ignored this push"));
}

#[test]
fn an_update_typed_with_an_old_timestamp_is_shown_as_ignored() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    assert_eq!(send(&mut harness), Some(200));
    // The content state as JSON: nested values go through as they are.
    click(&mut harness, "Edit as JSON");
    retype(
        &mut harness,
        "Content state (JSON)",
        r#"{"score": {"home": 1, "away": 0}}"#,
    );
    assert_eq!(
        payload(&harness)["aps"]["content-state"],
        serde_json::json!({"score": {"home": 1, "away": 0}})
    );
    click(&mut harness, "Set to now when sending");
    retype(&mut harness, "Timestamp", "1000");
    assert_eq!(payload(&harness)["aps"]["timestamp"], 1000);
    assert_eq!(send(&mut harness), Some(200), "APNs accepts it");
    open_section(&mut harness, "Simulator");
    wait_for(&mut harness, "The phone ignored this push");
    assert!(shows(&harness, "Ignored update (timestamp 1000)"));
    assert!(shows(&harness, "State: Active"));
    assert!(
        !shows(&harness, "score: {\"away\":0,\"home\":1}"),
        "the ignored update changed nothing"
    );
}

#[test]
fn a_saved_device_keeps_its_live_activity_tokens_and_the_composer_uses_them() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    let start_token = "1a".repeat(32);
    let update_token = "2b".repeat(32);
    support::gui::until_simulator_runs(&mut harness);
    open_section(&mut harness, "Compose & Send");
    click(&mut harness, "Use the demo device");
    click(&mut harness, "Edit device");
    retype(
        &mut harness,
        "Live Activity push-to-start token",
        "not a token",
    );
    assert!(shows(&harness, "not hex") || shows(&harness, "hex"), "why");
    retype(
        &mut harness,
        "Live Activity push-to-start token",
        &start_token,
    );
    retype(&mut harness, "Live Activity update token", &update_token);
    click(&mut harness, "Save");
    let device = harness.state().state().devices[0].clone();
    assert_eq!(
        device.push_to_start_token,
        Some(DeviceToken::parse(&start_token).unwrap())
    );
    assert_eq!(
        device.activity_token,
        Some(DeviceToken::parse(&update_token).unwrap())
    );
    let short = DeviceToken::parse(&start_token).unwrap().short();
    assert!(shows(
        &harness,
        &format!("Live Activity push-to-start token: {short}")
    ));
    assert!(shows(&harness, "Live Activity update token: "));

    // A start goes to the push-to-start token, the update after it to the update token.
    harness.get_by_label("Template").click();
    harness.run();
    click(&mut harness, "Live Activity: start");
    assert_eq!(harness.state().state().compose.token, start_token);
    assert!(shows(
        &harness,
        "Goes to the push-to-start token of Demo iPhone (simulator)"
    ));
    click(&mut harness, "Update");
    assert_eq!(harness.state().state().compose.token, update_token);
    click(&mut harness, "Start");
    assert_eq!(harness.state().state().compose.token, start_token);

    // A start the simulator takes: the device remembers the update token its phone made, as
    // the app tells its server, and the update goes there.
    open_section(&mut harness, "Connection");
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(&mut harness);
    open_section(&mut harness, "Compose & Send");
    support::gui::use_a_test_key(&mut harness);
    assert_eq!(send(&mut harness), Some(200));
    let sim = harness.state().simulator().simulator().unwrap();
    let made = sim.inbox().started_from(&start_token).unwrap();
    assert_ne!(made, update_token);
    assert_eq!(
        harness.state().state().devices[0].activity_token,
        Some(DeviceToken::parse(&made).unwrap())
    );
    assert_eq!(harness.state().state().compose.token, made);
    wait_for(&mut harness, "now saved on Demo iPhone (simulator)");

    // Kept across a restart of the app, in app.ron.
    let saved = serde_json::to_string(&harness.state().state()).unwrap();
    assert!(saved.contains(&start_token) && saved.contains(&made));
}

/// An update sent to the push-to-start token is accepted and changes nothing, as on a phone:
/// Compose warns before, the Simulator's card says why after, and its "Send an update to it"
/// composes the update to the activity's own token, which then applies it.
#[test]
fn an_update_to_the_push_to_start_token_is_warned_of_and_the_card_sends_to_the_right_one() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    assert_eq!(send(&mut harness), Some(200));
    let demo = harness.state().state().history[0].draft.token.clone();
    let sim = harness.state().simulator().simulator().unwrap();
    let update_token = sim.inbox().started_from(&demo).unwrap();
    // Back to the push-to-start token, by hand.
    retype(&mut harness, "Device token", &demo);
    assert!(shows(&harness, "This is a push-to-start token"));
    retype(&mut harness, "Field 1 value", "lost");
    assert_eq!(send(&mut harness), Some(200), "APNs accepts it");
    open_section(&mut harness, "Simulator");
    wait_for(&mut harness, "sent to the push-to-start token");
    assert!(!shows(&harness, "status: lost"), "no activity changed");
    assert!(shows(&harness, "Started by a push to"));

    click(&mut harness, "Send an update to it");
    assert!(shows(&harness, "Live Activity"), "back on Compose");
    assert_eq!(harness.state().state().compose.token, update_token);
    assert_eq!(payload(&harness)["aps"]["event"], "update");
    assert_eq!(
        payload(&harness)["aps"]["content-state"]["status"],
        "preparing",
        "carried on from the activity's state"
    );
    assert!(!shows(&harness, "This is a push-to-start token"));
    retype(&mut harness, "Field 1 value", "delivered");
    assert_eq!(send(&mut harness), Some(200));
    simulator_shows(&mut harness, &["status: delivered"]);
}

/// A Live Activity is written in its own card: the alert form (whose sound, subtitle and badge
/// sit where a Live Activity does not read them) is not offered, the alert's sound goes in the
/// alert, and keys typed by hand that no field shows survive an edit of the fields.
#[test]
fn the_live_activity_card_is_the_form_and_keeps_what_it_has_no_field_for() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    assert!(shows(
        &harness,
        "A Live Activity is written in its own card below"
    ));
    assert!(
        harness.query_all_by_label("Subtitle").next().is_none(),
        "no alert form for a Live Activity"
    );

    retype(&mut harness, "Alert sound", "chime.aiff");
    let aps = payload(&harness)["aps"].clone();
    assert_eq!(aps["alert"]["sound"], "chime.aiff");
    assert_eq!(aps.get("sound"), None, "not beside the alert");

    // By hand: iOS 18's request for the activity's update token, and the app's own key.
    let mut typed = payload(&harness);
    typed["aps"]["input-push-token"] = 1.into();
    typed["order"] = serde_json::json!({"id": 42});
    click(&mut harness, "JSON");
    retype(&mut harness, "Payload JSON", &typed.to_string());
    click(&mut harness, "Form");
    retype(&mut harness, "Field 1 value", "packed");
    let edited = payload(&harness);
    assert_eq!(edited["aps"]["content-state"]["status"], "packed");
    assert_eq!(edited["aps"]["input-push-token"], 1);
    assert_eq!(edited["order"]["id"], 42);
    assert_eq!(edited["aps"]["alert"]["sound"], "chime.aiff");
    assert_eq!(send(&mut harness), Some(200));
}

/// A batch stamps a Live Activity push with the time it is sent, as Compose does: the same
/// update sent to the same devices twice is newer the second time, not dropped as old.
#[test]
fn a_batch_of_live_activity_updates_is_stamped_when_sent() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    click(&mut harness, "Update");
    let edited = payload(&harness)["aps"]["timestamp"].as_i64().unwrap();
    harness
        .state_mut()
        .show_section(pushlab::gui::app::Section::Batch);
    harness.run();
    let tokens = format!("{}\n{}\n", "1a".repeat(32), "2b".repeat(32));
    support::gui::send_batch_and_wait(&mut harness, &tokens);
    let stamp = |h: &Harness<'_, App>| {
        let entry = h.state().state().history.last().unwrap().clone();
        let v: serde_json::Value = serde_json::from_str(&entry.draft.payload).unwrap();
        v["aps"]["timestamp"].as_i64().unwrap()
    };
    let first = stamp(&harness);
    assert!(first >= edited, "stamped at sending");
    let before = harness.state().state().history.len();
    harness.get_by_label("Send batch").click();
    step_until(&mut harness, "the second batch", |h| {
        h.state().state().history.len() == before + 1 && h.state().batch().summary().is_some()
    });
    assert!(stamp(&harness) > first, "the second batch is newer");
}

/// iOS 18's start requests from the card: the activity's own update token and a channel to
/// follow. Written into the start only; the simulator subscribes the device to the app's
/// channel, and its card says what the start asked for.
#[test]
fn a_start_asks_for_its_token_and_follows_a_channel() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    let sim = harness.state().simulator().simulator().unwrap();
    let channel = sim
        .channels()
        .create(
            "com.example.pushlab",
            pushlab::apns::ChannelConfig::new(pushlab::apns::MessageStoragePolicy::NoStorage),
        )
        .unwrap();
    retype(&mut harness, "Follow a channel (iOS 18)", "not base64!");
    assert!(
        shows(&harness, "not a channel id") || shows(&harness, "base64"),
        "a bad id is named"
    );
    retype(&mut harness, "Follow a channel (iOS 18)", channel.as_str());
    click(
        &mut harness,
        "Ask for the activity's own update token (iOS 18: input-push-token)",
    );
    let aps = payload(&harness)["aps"].clone();
    assert_eq!(aps["input-push-token"], 1);
    assert_eq!(aps["input-push-channel"], channel.as_str());

    assert_eq!(send(&mut harness), Some(200));
    let demo = DeviceToken::parse(&support::gui::deliveries(&harness)[0].token.to_hex()).unwrap();
    let sim = harness.state().simulator().simulator().unwrap();
    let subscribers = sim.registry().subscribers(&channel);
    assert_eq!(subscribers.len(), 1, "the activity follows the channel");
    let update_token = sim.inbox().started_from(&demo.to_hex()).unwrap();
    assert_eq!(
        subscribers[0].0.to_hex(),
        update_token,
        "at the update token the phone made for it"
    );
    assert!(
        payload(&harness)["aps"].get("input-push-channel").is_none(),
        "the update that follows asks for nothing"
    );
    simulator_shows(
        &mut harness,
        &[
            "Its start asked to follow channel",
            "Its start asked for an update token of its own",
        ],
    );
}
