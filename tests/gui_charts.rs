//! The charts, found by accessible name with the sentence a screen reader hears: a batch's
//! throughput, outcomes and latency (updating while it runs, saved as CSV with the numbers
//! shown), kept with the batch in History; the latency histogram with the run before; the
//! History dashboard; the simulator's traffic.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used)]

mod support;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::state::{BatchRecord, HistoryEntry, State};
use support::gui::step_until;

const TOKENS_FIELD: &str = "Tokens, one per line (a name after the token is optional)";

/// The accessible name of the chart whose name starts with `title`.
fn chart(harness: &Harness<'_, App>, title: &str) -> Option<String> {
    harness
        .query_all_by_label_contains(&format!("{title}: "))
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Image)
        .and_then(|n| n.accesskit_node().label())
}

fn app(data: &std::path::Path, state: State) -> Harness<'static, App> {
    let mut harness = support::gui::app_with_state(data, [1400.0, 3000.0], state);
    step_until(&mut harness, "the simulator", |h| {
        h.state().simulator().simulator().is_some()
    });
    harness
}

fn with_test_certificate(harness: &mut Harness<'_, App>) {
    harness.state_mut().show_section(Section::Connection);
    harness.run();
    harness.get_by_label("Generate a test certificate").click();
    step_until(harness, "the test certificate", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .any(|e| e.loaded().is_some())
    });
}

#[test]
fn a_batch_draws_its_charts_while_it_runs_and_saves_what_they_show() {
    let data = tempfile::tempdir().unwrap();
    let mut state = State::default();
    // Slow answers, few in flight: the batch takes a few seconds.
    state.simulator.latency_ms = 40;
    state.batch.max_in_flight = 20;
    let mut harness = app(data.path(), state);
    with_test_certificate(&mut harness);
    harness.state_mut().show_section(Section::Batch);
    harness.run();
    let tokens: String = (0..1500u32).map(|i| format!("{i:064x}\n")).collect();
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    harness.get_by_label(TOKENS_FIELD).type_text(&tokens);
    harness.run();
    harness.get_by_label("Send batch").click();
    harness.step();
    step_until(&mut harness, "the first chart", |h| {
        chart(h, "Outcomes as they arrive").is_some()
    });
    let early = chart(&harness, "Outcomes as they arrive").unwrap();
    let running = harness.state().batch().is_running();
    eprintln!("first seen: {early} (running: {running})");
    step_until(&mut harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
    harness.run();
    eprintln!(
        "took {} s",
        harness.state().batch().summary().unwrap().seconds
    );
    assert!(running, "seen while running");
    let late = chart(&harness, "Outcomes as they arrive").unwrap();
    assert_ne!(early, late, "the chart updates during the batch");
    assert!(late.contains("1,500 delivered"), "{late}");
    let throughput = chart(&harness, "Throughput").unwrap();
    assert!(
        throughput.contains("per second at the peak"),
        "{throughput}"
    );
    assert!(chart(&harness, "Latency").is_some());

    // Its data, saved: the rows add up to what the chart says.
    let csv = data.path().join("timeline.csv");
    let field = "Save the data as";
    harness.get_by_label(field).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label(field)
        .type_text(&csv.display().to_string());
    harness.run();
    harness.get_by_label("Save CSV").click();
    step_until(&mut harness, "the CSV", |_| csv.exists());
    let text = std::fs::read_to_string(&csv).unwrap();
    let delivered: u64 = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(delivered, 1500);
    assert_eq!(
        text.lines().count() - 1,
        harness.state().batch().timeline().len(),
        "one line per point drawn"
    );

    // Kept with the batch in History.
    let record = harness.state().state().history.last().cloned().unwrap();
    assert!(!record.batch.unwrap().timeline.is_empty());
    harness.state_mut().show_section(Section::History);
    harness.run();
    assert!(chart(&harness, "Outcomes as they arrive").is_some());
}

#[test]
fn the_latency_histogram_shows_the_run_before_beside_this_one() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path(), State::default());
    with_test_certificate(&mut harness);
    for run in 0..2 {
        harness.get_by_label("Measure latency").click();
        harness.step();
        step_until(&mut harness, "the measurement", |h| {
            h.state().connection().latency().is_some() && !h.state().connection().is_busy()
        });
        harness.run();
        let name = chart(&harness, "Round trips").unwrap();
        assert!(name.contains("20 round trips: p50"), "{name}");
        assert_eq!(name.contains("The run before"), run == 1, "{name}");
    }
}

#[test]
fn the_history_dashboard_counts_by_day_reason_and_kind() {
    let data = tempfile::tempdir().unwrap();
    let mut state = State {
        section: Section::History,
        ..State::default()
    };
    let day = 20_000 * 86_400;
    for (i, status, reason) in [
        (0, Some(200), None),
        (1, Some(400), Some("BadDeviceToken")),
        (86_400, Some(200), None),
    ] {
        state.remember(HistoryEntry {
            time: day + i,
            credential: "Push.p12".into(),
            destination: "local simulator".into(),
            status,
            reason: reason.map(pushlab::apns::ServerReason::from_wire),
            ..Default::default()
        });
    }
    state.remember(HistoryEntry {
        time: day + 86_500,
        credential: "Other.p12".into(),
        destination: "local simulator".into(),
        batch: Some(BatchRecord {
            total: 100,
            delivered: 90,
            rejected: 10,
            reasons: [("Unregistered".to_owned(), 10)].into_iter().collect(),
            ..Default::default()
        }),
        ..Default::default()
    });
    let mut harness = app(data.path(), state);
    harness.get_by_label("📊 Dashboard").click();
    harness.run();
    let by_day = chart(&harness, "Sends by day").unwrap();
    assert!(
        by_day.contains("4 History entries over 2 days: 92 delivered, 11 rejected"),
        "{by_day}"
    );
    let reasons = chart(&harness, "Rejections by reason").unwrap();
    assert!(
        reasons.contains("Unregistered 10, BadDeviceToken 1"),
        "{reasons}"
    );
    let kinds = chart(&harness, "By push type and priority").unwrap();
    assert!(kinds.contains("alert · 10 103"), "{kinds}");

    // Filtered by credential.
    harness.get_by_label("Credential").click();
    harness.run();
    harness.get_by_label("Push.p12").click();
    harness.run();
    let by_day = chart(&harness, "Sends by day").unwrap();
    assert!(
        by_day.contains("3 History entries over 2 days: 2 delivered, 1 rejected"),
        "{by_day}"
    );
}

#[test]
fn the_simulator_draws_its_traffic() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path(), State::default());
    harness.state_mut().show_section(Section::Simulator);
    harness.run();
    let name = chart(&harness, "Simulator traffic").unwrap();
    assert!(name.contains("deliveries per second at the peak"), "{name}");
}
