//! The Batch screen at the volumes people paste: 2,000 tokens on a 1024×640 window are sent
//! with the button found by its name, and the summary is in view without scrolling; 100,000
//! pasted lines leave the screen responsive (every frame after the paste within a budget); on
//! a narrow window a finished batch's counts leave the space under the button once the
//! recipients change.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::state::State;
use support::gui::step_until;

use support::gui::TOKENS_FIELD;

fn batch_app(data: &std::path::Path, size: [f32; 2]) -> Harness<'static, App> {
    let state = State {
        section: Section::Batch,
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data, size, state);
    step_until(&mut harness, "the simulator", |h| {
        h.state().simulator().simulator().is_some()
    });
    // A credential, as a first-time user makes it (Connection → Generate).
    harness.state_mut().show_section(Section::Connection);
    harness.run();
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(&mut harness);
    harness.state_mut().show_section(Section::Batch);
    harness.run();
    harness
}

fn tokens(n: u32) -> String {
    (0..n).map(|i| format!("{i:064x} device {i}\n")).collect()
}

/// Whether a node whose name contains `text` is drawn inside the window.
fn in_view(harness: &Harness<'_, App>, text: &str, size: [f32; 2]) -> bool {
    harness.query_all_by_label_contains(text).any(|n| {
        n.accesskit_node().bounding_box().is_some_and(|b| {
            b.x0 >= 0.0 && b.y0 >= 0.0 && b.x1 <= f64::from(size[0]) && b.y1 <= f64::from(size[1])
        })
    })
}

#[test]
fn two_thousand_pasted_tokens_are_sent_and_summed_up_in_view() {
    let data = tempfile::tempdir().unwrap();
    let size = [1024.0, 640.0];
    let mut harness = batch_app(data.path(), size);
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    harness.get_by_label(TOKENS_FIELD).type_text(&tokens(2_000));
    harness.run();
    assert!(in_view(&harness, "2,000 tokens entered", size));
    assert!(
        in_view(&harness, "Send batch", size),
        "the button stays in view: {:#?}",
        harness.root()
    );
    harness.get_by_label("Send batch").click();
    harness.step();
    step_until(&mut harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
    assert_eq!(harness.state().batch().summary().unwrap().delivered, 2_000);
    assert!(
        in_view(&harness, "2,000 delivered", size),
        "the summary is in view, without scrolling"
    );
    assert!(
        harness.query_by_label_contains("Sent with").is_none(),
        "a batch just sent is not marked as sent with something else: {:#?}",
        harness.root()
    );
    // The simulator's own inbox holds them (it keeps the newest, with a count of all).
    let inbox = harness
        .state()
        .simulator()
        .simulator()
        .unwrap()
        .inbox()
        .deliveries();
    assert!(!inbox.is_empty());
}

/// Three lines that are not tokens are shown with why; the rest are counted, not left out.
#[test]
fn lines_that_are_not_tokens_past_the_third_are_counted() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = batch_app(data.path(), [1024.0, 640.0]);
    let text: String = (0..10u32)
        .map(|i| {
            if i % 2 == 0 {
                format!("not-a-token-{i}\n")
            } else {
                format!("{i:064x}\n")
            }
        })
        .collect();
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    harness.get_by_label(TOKENS_FIELD).type_text(&text);
    harness.run();
    assert_eq!(
        harness
            .query_all_by_label_contains("is not a hex digit")
            .count(),
        3
    );
    assert!(
        harness
            .query_by_label_contains("…and 2 more lines that are not tokens")
            .is_some(),
        "{:#?}",
        harness.root()
    );
}

#[test]
fn a_hundred_thousand_pasted_lines_stay_responsive() {
    let data = tempfile::tempdir().unwrap();
    let size = [1024.0, 640.0];
    let mut harness = batch_app(data.path(), size);
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    let paste = Instant::now();
    harness
        .get_by_label(TOKENS_FIELD)
        .type_text(&tokens(100_000));
    harness.step();
    let paste_frame = paste.elapsed();
    step_until(&mut harness, "the paste read", |h| {
        !h.state().batch().is_busy()
    });
    assert!(
        in_view(&harness, "100,000 tokens entered", size),
        "{:#?}",
        harness.root()
    );
    assert!(in_view(&harness, "100,000 lines pasted", size));
    // Every later frame: the list is summed up, not laid out as text.
    let mut frames = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed());
    }
    // And with the list shown, drawn a screenful at a time.
    harness.get_by_label("Show the list").click();
    harness.step();
    for _ in 0..30 {
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed());
    }
    frames.sort();
    let worst = *frames.last().unwrap();
    eprintln!(
        "paste frame {paste_frame:?}; later frames median {:?}, worst {worst:?}",
        frames[frames.len() / 2]
    );
    // A debug build on a shared 2-core machine; release frames are about 10× faster.
    assert!(worst < Duration::from_millis(100), "a frame took {worst:?}");
    assert!(in_view(&harness, "Send batch", size));
    assert!(
        paste_frame < Duration::from_secs(1),
        "the paste's own frame took {paste_frame:?} (the list is read on the worker)"
    );
}

#[test]
fn a_finished_batch_is_not_shown_under_the_button_once_the_recipients_change() {
    // One column (800 wide): the summary card is below the recipients, so the bar and counts
    // are also drawn under the Send button, beside the line naming the destination.
    let data = tempfile::tempdir().unwrap();
    let size = [800.0, 600.0];
    let mut harness = batch_app(data.path(), size);
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    harness.get_by_label(TOKENS_FIELD).type_text(&tokens(20));
    harness.run();
    harness.get_by_label("Send batch").click();
    harness.step();
    step_until(&mut harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
    harness.run();
    // The outcome chips ("20 delivered"), not the charts' own account of the run.
    let counts = |h: &Harness<'_, App>| h.query_all_by_value("20 delivered").count();
    assert_eq!(
        counts(&harness),
        2,
        "under the button and in the summary card"
    );
    assert!(harness.query_by_label_contains("Sent with").is_none());

    // Another recipient: the counts are about the 20 sent, not about these 21.
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    harness
        .get_by_label(TOKENS_FIELD)
        .type_text(&format!("{:064x}\n", 20));
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Sent with ")
            .is_some_and(|n| format!("{:?}", n.accesskit_node().value()).contains("recipients")),
        "the summary card says what its counts were made with, recipients first: {:#?}",
        harness.root()
    );
    assert_eq!(
        counts(&harness),
        1,
        "only the marked card still shows them, not the space under the button"
    );
}
