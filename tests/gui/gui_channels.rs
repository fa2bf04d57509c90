//! The Channels screen, driven headless by accessible name against the embedded simulator: a
//! channel created, a device subscribed, a broadcast that reaches exactly that device (as the
//! simulator's inbox records), an error explained, and a delete that waits for a yes.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{shows, type_into, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::gui::App;
use support::gui::step_until;

fn click(harness: &mut Harness<'_, App>, label: &str) {
    harness.get_by_label(label).click();
    // A request starts a spinner: settle what can settle, and wait for answers by text.
    let _ = harness.try_run();
}

/// The app with its simulator running and a test certificate for com.example.pushlab, on
/// the Channels screen.
fn ready(data: &std::path::Path) -> Harness<'static, App> {
    let mut harness = support::gui::app(data, [1400.0, 2400.0]);
    support::gui::until_simulator_runs(&mut harness);
    click(&mut harness, "Connection");
    click(&mut harness, "Generate a test certificate");
    support::gui::until_a_credential_is_loaded(&mut harness);
    click(&mut harness, "Channels");
    harness
}

#[test]
fn a_channel_created_in_the_app_reaches_exactly_its_subscribed_device() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = ready(data.path());
    assert!(shows(&harness, "No channels yet"));
    assert!(shows(&harness, " / 5,120 bytes"), "a broadcast's own limit");
    // A broadcast is a Live Activity push, but Apple's broadcast page takes a certificate as
    // well as a token: no warning that only a token will do.
    assert_eq!(
        harness.state().state().compose.push_type,
        pushlab::apns::PushType::Alert
    );
    assert!(!shows(
        &harness,
        "Apple accepts liveactivity pushes only over a token-based connection"
    ));
    click(&mut harness, "Create channel");
    wait_for(&mut harness, "Created channel");
    let id = harness
        .state()
        .channels()
        .known()
        .next()
        .unwrap()
        .0
        .to_string();
    // The simulator holds it, for the app's bundle id.
    let sim_channels = harness
        .state()
        .simulator()
        .simulator()
        .unwrap()
        .channels()
        .list("com.example.pushlab");
    assert_eq!(sim_channels.len(), 1);
    assert_eq!(sim_channels[0].id.as_str(), id);

    let subscribed = "5a".repeat(32);
    type_into(&mut harness, "Device token", &subscribed);
    click(&mut harness, "Subscribe device");
    wait_for(&mut harness, "1 device is subscribed");

    click(&mut harness, "Send broadcast");
    wait_for(&mut harness, "APNs accepted the broadcast");
    assert!(shows(
        &harness,
        "1 device is subscribed to it in the simulator"
    ));
    let inbox = harness
        .state()
        .simulator()
        .simulator()
        .unwrap()
        .inbox()
        .deliveries();
    assert_eq!(inbox.len(), 1, "one subscribed device, one delivery");
    assert_eq!(inbox[0].token.to_hex(), subscribed);
    // APNs requires apns-expiration on a broadcast (the simulator refuses one without): the
    // screen sends 0, the value every channel takes.
    assert_eq!(inbox[0].expiration, Some(0));
    assert!(shows(&harness, "apns-expiration: 0"));
    assert_eq!(
        inbox[0].channel.as_ref().map(|c| c.as_str()),
        Some(id.as_str())
    );

    // Sent again as it stands: newer, so the device takes it rather than drop it as old.
    click(&mut harness, "Send broadcast");
    step_until(&mut harness, "the second delivery", |h| {
        support::gui::deliveries(h).len() == 2
    });
    let stamps: Vec<i64> = support::gui::deliveries(&harness)
        .iter()
        .map(|d| d.payload["aps"]["timestamp"].as_i64().unwrap())
        .collect();
    assert!(stamps[1] > stamps[0], "{stamps:?}");

    click(&mut harness, "Simulator");
    wait_for(&mut harness, &format!("Broadcast on channel {id}"));
    click(&mut harness, "Channels");

    // List, then delete: the first click only asks.
    click(&mut harness, "List channels");
    wait_for(&mut harness, "The app has 1 channel");
    click(&mut harness, "Delete…");
    assert!(shows(&harness, "cannot be brought back"));
    assert_eq!(
        harness
            .state()
            .simulator()
            .simulator()
            .unwrap()
            .channels()
            .all()
            .len(),
        1,
        "nothing deleted before the yes"
    );
    click(&mut harness, "Delete channel");
    wait_for(&mut harness, "Deleted channel");
    assert!(
        harness
            .state()
            .simulator()
            .simulator()
            .unwrap()
            .channels()
            .all()
            .is_empty()
    );

    // The broadcast now names a channel that is gone: Apple's reason, explained.
    click(&mut harness, "Send broadcast");
    wait_for(&mut harness, "ChannelNotRegistered");
    assert!(shows(&harness, "list the channels, or create the channel"));
}

#[test]
fn a_payload_that_is_not_a_live_activity_is_stopped_before_sending() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = ready(data.path());
    type_into(&mut harness, "Channel id", "bWF0Y2g=");
    harness.get_by_label("Live Activity payload").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Live Activity payload")
        .type_text(r#"{"aps":{"alert":"hi"}}"#);
    harness.run();
    assert!(
        shows(&harness, "\"event\""),
        "the check shows before sending"
    );
    click(&mut harness, "Send broadcast");
    let total = harness
        .state()
        .simulator()
        .simulator()
        .unwrap()
        .inbox()
        .rejected();
    assert_eq!(total, 0, "nothing reached the simulator");
}

#[test]
fn a_broadcast_that_would_start_an_activity_or_names_a_suffixed_app_is_stopped() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = ready(data.path());
    type_into(&mut harness, "Channel id", "bWF0Y2g=");
    harness.get_by_label("Live Activity payload").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Live Activity payload").type_text(
        r#"{"aps":{"event":"start","timestamp":1764460800,"content-state":{},"attributes-type":"Score","attributes":{}}}"#,
    );
    harness.run();
    assert!(shows(&harness, "A broadcast cannot start a Live Activity"));
    click(&mut harness, "Send broadcast");
    assert!(shows(&harness, "A broadcast cannot start a Live Activity"));

    // The app named with a push-type suffix: caught before anything is sent.
    type_into(
        &mut harness,
        "App (bundle id)",
        "com.example.pushlab.push-type.liveactivity",
    );
    click(&mut harness, "List channels");
    wait_for(&mut harness, "plain bundle id, com.example.pushlab");
    // Stopped on this side: the answer is the note, not a list or a refusal.
    assert!(!shows(&harness, "The app has"));
    assert!(!shows(&harness, "TopicDisallowed ("));
    let sim = harness.state().simulator().simulator().unwrap();
    assert_eq!(sim.inbox().total(), 0, "no broadcast was delivered");

    // Another app than the certificate's: Apple's 403 TopicMismatch, explained.
    harness.get_by_label("App (bundle id)").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("App (bundle id)")
        .type_text("com.other.app");
    harness.run();
    click(&mut harness, "List channels");
    wait_for(&mut harness, "TopicMismatch");
    assert!(shows(&harness, "403"));
    assert!(shows(&harness, "belongs to another app"));
}
