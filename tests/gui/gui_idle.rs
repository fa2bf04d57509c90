//! A window that is only looked at rests: on every screen, once the app has settled, a frame
//! asks for no repaint within 2 seconds (egui's own record of the frame's repaint delay). The
//! Simulator screen included: a delivery wakes it, a timer does not.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::time::Duration;

use egui_kittest::Harness;
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::state::State;
use support::gui::step_until;

const SECTIONS: [Section; 8] = [
    Section::Credentials,
    Section::Connection,
    Section::Doctor,
    Section::Compose,
    Section::Batch,
    Section::Channels,
    Section::History,
    Section::Simulator,
];

/// How long after the last frame the app asked to be drawn again.
fn repaint_delay(harness: &Harness<'_, App>) -> Duration {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map_or(Duration::MAX, |v| v.repaint_delay)
}

#[test]
fn every_screen_rests_when_nothing_happens() {
    let data = tempfile::tempdir().unwrap();
    let state = State::default();
    let mut harness = support::gui::app_with_state(data.path(), [1366.0, 768.0], state);
    step_until(&mut harness, "the app settling", |h| {
        h.state().fonts().is_ready() && h.state().simulator().simulator().is_some()
    });
    let mut busy = Vec::new();
    for section in SECTIONS {
        harness.state_mut().show_section(section);
        // Settle: the section change and whatever it starts.
        for _ in 0..20 {
            harness.step();
            if repaint_delay(&harness) >= Duration::from_secs(2) {
                break;
            }
        }
        let delay = repaint_delay(&harness);
        if delay < Duration::from_secs(2) {
            busy.push(format!(
                "{section:?} asks to be drawn again after {delay:?}"
            ));
        }
    }
    assert!(busy.is_empty(), "{busy:#?}");
}

#[test]
fn a_delivery_wakes_the_resting_simulator_screen() {
    use pushlab::apns::Environment;
    use pushlab::apns::{DeviceToken, Notification, PushType};
    use pushlab::cert::{CertEnvironment, PushCertificateSpec};
    use pushlab::client::{ClientAuth, Connection, Target};
    use pushlab::sim::SimIdentity;

    let data = tempfile::tempdir().unwrap();
    let state = State {
        section: Section::Simulator,
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data.path(), [1366.0, 768.0], state);
    step_until(&mut harness, "the simulator", |h| {
        h.state().simulator().simulator().is_some()
    });
    // A first run opens on Compose & Send's guide.
    harness.state_mut().show_section(Section::Simulator);
    for _ in 0..20 {
        harness.step();
        if repaint_delay(&harness) >= Duration::from_secs(2) {
            break;
        }
    }
    assert!(repaint_delay(&harness) >= Duration::from_secs(2), "at rest");
    assert!(!harness.ctx.has_requested_repaint());

    let addr = harness.state().simulator().simulator().unwrap().addr();
    let identity = SimIdentity::load_or_create(&data.path().join("simulator")).unwrap();
    let credential = identity
        .ca
        .issue_push_certificate(&PushCertificateSpec::new(
            "com.example.doorbell",
            CertEnvironment::Development,
        ))
        .unwrap();
    let target = Target::simulator(addr, identity.ca.certificate.clone(), Environment::Sandbox);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        let conn = Connection::open(
            &target,
            &ClientAuth::Certificate(credential),
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        let mut n = Notification::new(
            DeviceToken::parse(&"ab".repeat(32)).unwrap(),
            PushType::Alert,
            r#"{"aps":{"alert":"Woken up"}}"#,
        );
        n.topic = Some("com.example.doorbell".to_owned());
        conn.send(&n).await.unwrap().status
    });
    assert_eq!(status, 200);
    assert!(
        harness.ctx.has_requested_repaint(),
        "the delivery asked the window to redraw"
    );
    step_until(&mut harness, "the banner", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_all_by_label_contains("Woken up").next().is_some()
    });
}
