//! Batches from the Batch screen against the embedded simulator, driven headless by
//! accessibility label with the real worker: connections added as needed, dead and
//! unconfirmed tokens told apart, reasons worded in the language shown, a close asked about
//! while one runs. Truth comes from the simulator's own record.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{
    app_tall as app, click_first_containing, generate_test_certificate, open_section, set_number,
    shows, simulator_running, type_into, wait_for,
};
use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::apns::{DeviceToken, Environment};
use pushlab::gui::{App, AppConfig};
use support::gui::step_until;

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
    // History keeps why the unconfirmed ones have no answer as data, to word in the language
    // on screen when shown; the line that is not a token keeps the words it was given.
    let typed = batch
        .problems
        .iter()
        .filter(|p| matches!(p.why, Some(pushlab::gui::state::ProblemWhy::Send(_))))
        .count();
    assert_eq!(typed, 2, "{:?}", batch.problems);
    let chinese =
        pushlab::gui::i18n::in_language(pushlab::gui::i18n::Language::ChineseSimplified, || {
            batch
                .problems
                .iter()
                .map(|p| p.why_text())
                .collect::<Vec<_>>()
        });
    assert!(
        chinese
            .iter()
            .filter(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
            .count()
            >= 2,
        "{chinese:?}"
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
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 2400.0], state);
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
