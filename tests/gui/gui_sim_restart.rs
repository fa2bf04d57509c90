//! A restart of the embedded simulator (a new port or environment) keeps its inbox: what was
//! delivered, as a phone keeps its notifications. Its channels stay with a new port and go
//! with a new environment, as Apple's channels belong to one. Only *Clear inbox* empties it.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use pushlab::apns::{ChannelConfig, MessageStoragePolicy};
use pushlab::gui::app::{App, Section};
use support::gui::{deliveries, send_batch_and_wait, step_until, until_a_credential_is_loaded};

const BUNDLE: &str = "com.example.app";

/// Clicks "Apply and restart" and waits for the simulator `restarted` says is the new one.
/// While it restarts, the screen says "Starting…" once.
fn apply_and_restart(
    harness: &mut Harness<'_, App>,
    restarted: impl Fn(&pushlab::sim::Simulator) -> bool,
) -> std::net::SocketAddr {
    harness.get_by_label("Apply and restart").click();
    step_until(harness, "the restart", |h| {
        assert!(h.query_all_by_label("Starting…").count() <= 1);
        h.state().simulator().simulator().is_some_and(&restarted)
    });
    harness.state().simulator().simulator().unwrap().addr()
}

fn channels(harness: &Harness<'_, App>) -> usize {
    let sim = harness.state().simulator().simulator().unwrap();
    sim.channels().list(BUNDLE).len()
}

#[test]
fn a_restart_keeps_the_inbox_and_a_new_environment_starts_without_channels() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = support::gui::app(data.path(), [1366.0, 900.0]);
    support::gui::until_simulator_runs(&mut harness);
    harness.get_by_label("Generate a test certificate").click();
    until_a_credential_is_loaded(&mut harness);
    harness.state_mut().show_section(Section::Batch);
    harness.run();
    send_batch_and_wait(&mut harness, &format!("{:064x}\n{:064x}\n", 1, 2));
    assert_eq!(deliveries(&harness).len(), 2);
    let sim = harness.state().simulator().simulator().unwrap();
    sim.channels()
        .create(BUNDLE, ChannelConfig::new(MessageStoragePolicy::NoStorage))
        .unwrap();
    assert_eq!(channels(&harness), 1);

    // A new port: the same inbox and channels on another address.
    harness.state_mut().show_section(Section::Simulator);
    harness.run();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    harness.get_by_label("Port").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label("Port").type_text(&port.to_string());
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let addr = apply_and_restart(&mut harness, |s| s.addr().port() == port);
    assert_eq!(addr.port(), port);
    assert_eq!(deliveries(&harness).len(), 2, "the inbox was kept");
    assert!(
        harness
            .query_all_by_label("2 delivered, 0 refused")
            .next()
            .is_some(),
        "the screen shows them"
    );
    assert_eq!(channels(&harness), 1, "the channel was kept");

    // Production (a word on its own, capitalised): the inbox stays; sandbox's channels are not production's.
    harness
        .query_all_by_label("Environment")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::ComboBox)
        .unwrap()
        .click();
    harness.run();
    harness.get_by_label("Production").click();
    harness.run();
    apply_and_restart(&mut harness, |s| {
        s.environment() == pushlab::apns::Environment::Production
    });
    assert_eq!(deliveries(&harness).len(), 2);
    assert_eq!(channels(&harness), 0);

    // Cleared, it is empty, and stays so through a stop and start.
    harness.get_by_label("Clear inbox").click();
    harness.run();
    assert!(deliveries(&harness).is_empty());
    harness.get_by_label("Stop simulator").click();
    step_until(&mut harness, "the stop", |h| {
        h.state().simulator().simulator().is_none()
    });
    harness.get_by_label("Start simulator").click();
    support::gui::until_simulator_runs(&mut harness);
    assert!(deliveries(&harness).is_empty());
}
