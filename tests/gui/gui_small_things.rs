//! The small things a first-time user trips on: the first-run guide checks in place and ticks
//! every step; the push-type menu says what each type is for; an alert written by hand
//! survives a detour through Live Activity; a push type without an alert is written as JSON;
//! History never replaces a draft without asking.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::shows;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::apns::PushType;
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::state::{HistoryEntry, State};
use support::gui::step_until;

fn ticks(harness: &Harness<'_, App>) -> usize {
    harness.query_all_by_label("✔").count()
}

/// Compose & Send, past the first-run guide.
fn on_compose(data: &std::path::Path) -> Harness<'static, App> {
    let state = State {
        section: Section::Compose,
        guide_hidden: true,
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data, [1400.0, 1600.0], state);
    harness.run();
    harness
}

#[test]
fn the_first_run_guide_checks_in_place_and_ticks_all_four_steps() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = support::gui::app(data.path(), [1400.0, 1600.0]);
    step_until(&mut harness, "the simulator", |h| {
        h.state().simulator().simulator().is_some()
    });
    assert_eq!(harness.state().state().section, Section::Compose);
    harness.get_by_label("Generate a test certificate").click();
    step_until(&mut harness, "step 1", |h| ticks(h) == 1);
    harness.get_by_label("Check").click();
    step_until(&mut harness, "step 2", |h| ticks(h) == 2);
    assert_eq!(
        harness.state().state().section,
        Section::Compose,
        "the user stays on the guide"
    );
    // The guide's button (the device card has one too).
    harness
        .query_all_by_label("Use the demo device")
        .next()
        .unwrap()
        .click();
    harness.run();
    harness.get_by_label("Send").click();
    step_until(&mut harness, "step 3", |h| ticks(h) == 3);
    harness.get_by_label("Open Simulator").click();
    harness.run();
    assert_eq!(harness.state().state().section, Section::Simulator);
    harness.state_mut().show_section(Section::Compose);
    harness.run();
    assert_eq!(ticks(&harness), 4, "the inbox step is ticked too");
}

#[test]
fn the_push_type_menu_says_what_each_type_is_for() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = on_compose(data.path());
    harness.get_by_label("Push type").click();
    harness.run();
    for words in [
        "controls — reloads a control",
        "complication — updates a watchOS complication",
        "voip — an incoming VoIP call",
    ] {
        assert!(shows(&harness, words), "{words}");
    }
}

#[test]
fn an_alert_written_by_hand_survives_a_detour_through_live_activity() {
    let data = tempfile::tempdir().unwrap();
    let mut state = State {
        section: Section::Compose,
        guide_hidden: true,
        ..State::default()
    };
    state.compose.payload =
        r#"{"aps":{"alert":{"title":"Door open","body":"Back door, 3 min"}}}"#.to_owned();
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 1600.0], state);
    harness.run();
    for t in ["liveactivity — starts", "alert — a notification"] {
        harness.get_by_label("Push type").click();
        harness.run();
        harness.get_by_label_contains(t).click();
        harness.run();
    }
    let compose = harness.state().state().compose;
    assert_eq!(compose.push_type, PushType::Alert);
    assert!(compose.payload.contains("Door open"), "{}", compose.payload);
    assert!(compose.payload.contains("Back door, 3 min"));
}

/// The form is an alert's: a push type that shows no alert is written as JSON, with no title,
/// sound or badge field to invite keys that do not belong; back on alert, the form returns.
#[test]
fn a_push_type_without_an_alert_is_written_as_json() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = on_compose(data.path());
    assert!(harness.query_all_by_label("Title").next().is_some());
    for (t, name) in [
        ("background — wakes", "background"),
        ("complication — ", "complication"),
        ("location — ", "location"),
    ] {
        harness.get_by_label("Push type").click();
        harness.run();
        harness.get_by_label_contains(t).click();
        harness.run();
        assert!(
            harness.query_all_by_label("Title").next().is_none(),
            "{name}: no alert form"
        );
        assert_eq!(harness.state().state().compose.push_type.as_str(), name);
        assert!(
            harness.query_all_by_label("Form").next().is_none(),
            "{name}"
        );
        assert!(
            shows(&harness, &format!("A {name} push has no alert to fill in")),
            "{name}"
        );
        assert!(harness.query_all_by_label("Payload JSON").next().is_some());
    }
    harness.get_by_label("Push type").click();
    harness.run();
    harness
        .get_by_label_contains("alert — a notification")
        .click();
    harness.run();
    assert!(harness.query_all_by_label("Title").next().is_some());
}

#[test]
fn history_asks_before_replacing_a_draft() {
    let data = tempfile::tempdir().unwrap();
    let mut state = State {
        section: Section::History,
        guide_hidden: true,
        ..State::default()
    };
    let mut old = state.compose.clone();
    old.payload = r#"{"aps":{"alert":"from history"}}"#.to_owned();
    state.remember(HistoryEntry {
        time: 1,
        draft: old,
        status: Some(200),
        ..Default::default()
    });
    state.compose.payload = r#"{"aps":{"alert":"my unsent work"}}"#.to_owned();
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 1600.0], state);
    harness.run();
    harness.get_by_label("Send again").click();
    harness.run();
    assert!(shows(&harness, "This replaces the notification"));
    assert!(
        harness
            .state()
            .state()
            .compose
            .payload
            .contains("my unsent work"),
        "nothing replaced or sent yet"
    );
    assert_eq!(harness.state().state().history.len(), 1);
    harness.get_by_label("Keep mine").click();
    harness.run();
    assert!(
        harness
            .state()
            .state()
            .compose
            .payload
            .contains("my unsent work")
    );
    harness.get_by_label("Open in Compose").click();
    harness.run();
    harness.get_by_label("Replace it").click();
    harness.run();
    assert!(
        harness
            .state()
            .state()
            .compose
            .payload
            .contains("from history")
    );
}

#[test]
fn the_inbox_lists_the_refusals_it_counts() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = support::gui::app(data.path(), [1400.0, 1600.0]);
    step_until(&mut harness, "the simulator", |h| {
        h.state().simulator().simulator().is_some()
    });
    harness.get_by_label("Generate a test certificate").click();
    step_until(&mut harness, "step 1", |h| ticks(h) == 1);
    harness.get_by_label("Check").click();
    step_until(&mut harness, "step 2", |h| ticks(h) == 2);
    harness.state_mut().show_section(Section::Simulator);
    harness.run();
    assert!(shows(&harness, "0 delivered, 1 refused"));
    harness.get_by_label_contains("Refused requests").click();
    harness.run();
    assert!(shows(&harness, "the connection check's probe"));
}

#[test]
fn why_send_is_greyed_out_is_said_beside_it() {
    use egui_kittest::kittest::NodeT as _;
    let data = tempfile::tempdir().unwrap();
    let state = State {
        section: Section::Compose,
        guide_hidden: true,
        ..State::default()
    };
    let size = [1024.0, 640.0];
    let mut harness = support::gui::app_with_state(data.path(), size, state);
    harness.run();
    assert!(harness.get_by_label("Send").accesskit_node().is_disabled());
    let said = harness
        .query_all_by_label_contains("The device token is empty")
        .any(|n| {
            n.accesskit_node().bounding_box().is_some_and(|b| {
                b.y1 <= f64::from(size[1]) && b.x1 <= f64::from(size[0]) && b.y0 >= 0.0
            })
        });
    assert!(said, "the reason is in view beside the button");
}

/// A batch of 100,000 lines of which 4 were not tokens went to 99,996 devices, as the Batch
/// screen's button said; History counted its recipients as 100,000 devices.
#[test]
fn history_counts_a_batchs_devices_without_its_invalid_lines() {
    use pushlab::gui::state::BatchRecord;
    let data = tempfile::tempdir().unwrap();
    let mut state = State {
        section: Section::History,
        guide_hidden: true,
        ..State::default()
    };
    state.remember(HistoryEntry {
        time: 1,
        batch: Some(BatchRecord {
            total: 100_000,
            delivered: 99_996,
            invalid_input: 4,
            ..BatchRecord::default()
        }),
        ..Default::default()
    });
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 1600.0], state);
    harness.run();
    assert!(shows(&harness, "Batch of 99,996 devices"));
    assert!(!shows(&harness, "Batch of 100,000 devices"));
}
