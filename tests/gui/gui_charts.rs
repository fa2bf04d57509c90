//! The charts, found by accessible name with the sentence a screen reader hears: a batch's
//! throughput, outcomes and latency (updating while it runs, saved as CSV with the numbers
//! shown), kept with the batch in History; the latency histogram with the run before; the
//! History dashboard; the simulator's traffic.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::state::{BatchRecord, HistoryEntry, State};
use support::gui::{TOKENS_FIELD, step_until};

/// The accessible name of the chart whose name starts with `title`.
fn chart(harness: &Harness<'_, App>, title: &str) -> Option<String> {
    harness
        .query_all_by_label_contains(&format!("{title}: "))
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Image)
        .and_then(|n| n.accesskit_node().label())
}

/// Screenshots the app asked of the renderer on the last frame.
fn screenshot_requests(harness: &Harness<'_, App>) -> Vec<egui::ScreenshotCallback> {
    harness
        .output()
        .viewport_output
        .values()
        .flat_map(|v| v.commands.iter())
        .filter_map(|c| match c {
            egui::ViewportCommand::Screenshot(callback) => Some(callback.clone()),
            _ => None,
        })
        .collect()
}

/// A window picture whose every pixel says where it is: red and green the low bits of x
/// and y, blue their high bits.
fn where_am_i_image(width: usize, height: usize) -> egui::ColorImage {
    let pixels = (0..width * height)
        .map(|i| {
            let (x, y) = (i % width, i / width);
            egui::Color32::from_rgb(
                (x & 0xff) as u8,
                (y & 0xff) as u8,
                ((x >> 8) | ((y >> 8) << 4)) as u8,
            )
        })
        .collect();
    egui::ColorImage::new([width, height], pixels)
}

/// A PNG's size and where its top-left pixel was in the window.
fn read_png(path: &std::path::Path) -> (u32, u32, (u32, u32)) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (r, g, b) = (u32::from(buf[0]), u32::from(buf[1]), u32::from(buf[2]));
    let x = r | ((b & 0x0f) << 8);
    let y = g | ((b >> 4) << 8);
    (info.width, info.height, (x, y))
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
    support::gui::until_a_credential_is_loaded(harness);
}

/// The Batch screen with the simulator running and a test certificate of its own chosen.
fn on_the_batch_screen(data: &std::path::Path) -> Harness<'static, App> {
    let mut harness = app(data, State::default());
    with_test_certificate(&mut harness);
    harness.state_mut().show_section(Section::Batch);
    harness.run();
    harness
}

/// A batch of 1,500 tokens just sent to the simulator, answered after 80 ms with 20 in
/// flight: six seconds or more (75 waves), so a loaded machine still draws its first chart,
/// or cancels it, while it runs (at 40 ms it sometimes did not).
fn slow_batch_sent(data: &std::path::Path) -> Harness<'static, App> {
    let mut state = State::default();
    state.simulator.latency_ms = 80;
    state.batch.max_in_flight = 20;
    let mut harness = app(data, state);
    with_test_certificate(&mut harness);
    harness.state_mut().show_section(Section::Batch);
    harness.run();
    let tokens: String = (0..1500u32).map(|i| format!("{i:064x}\n")).collect();
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    harness.get_by_label(TOKENS_FIELD).type_text(&tokens);
    harness.run();
    harness.get_by_label("Send batch").click();
    harness
}

#[test]
fn a_batch_draws_its_charts_while_it_runs_and_saves_what_they_show() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = slow_batch_sent(data.path());
    harness.step();
    step_until(&mut harness, "the first chart", |h| {
        chart(h, "Outcomes as they arrive").is_some()
    });
    let early = chart(&harness, "Outcomes as they arrive").unwrap();
    let running = harness.state().batch().is_running();
    eprintln!("first seen: {early} (running: {running})");
    // While it runs the window asks for its next frame within a pace (about 30 a second), not
    // at once: the spinner and the figures used to redraw as fast as the machine could, which
    // took CPU from the batch itself.
    let delay = harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
    if harness.state().batch().is_running() {
        assert!(
            delay >= std::time::Duration::from_millis(20),
            "asked for the next frame after {delay:?}"
        );
    }
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

    // The picture: the renderer's screenshot of the window (made here as the backend would,
    // each pixel saying where it is), cut to the charts, saved beside the CSV.
    harness.get_by_label_contains("Save picture").click();
    let throughput_box = harness
        .query_all_by_label_contains("Throughput: ")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Image)
        .and_then(|n| n.accesskit_node().bounding_box())
        .unwrap();
    let mut requests = Vec::new();
    for _ in 0..10 {
        harness.step();
        requests.extend(screenshot_requests(&harness));
        if !requests.is_empty() {
            break;
        }
    }
    assert_eq!(requests.len(), 1, "one screenshot asked of the renderer");
    let ppp = harness.ctx.pixels_per_point();
    let window = where_am_i_image((1400.0 * ppp) as usize, (3000.0 * ppp) as usize);
    requests.remove(0).complete(std::sync::Arc::new(window));
    let png_path = data.path().join("timeline.png");
    step_until(&mut harness, "the PNG", |_| png_path.exists());
    let (width, height, top_left) = read_png(&png_path);
    // Three charts of 150 points with their titles and sentences, the card's width.
    assert!(
        width as f32 > 300.0 * ppp && height as f32 > 450.0 * ppp,
        "{width}×{height}"
    );
    let (x0, y0) = top_left;
    let (bx, by) = (
        throughput_box.x0 * f64::from(ppp),
        throughput_box.y0 * f64::from(ppp),
    );
    assert!(
        f64::from(x0) <= bx + 1.0
            && f64::from(y0) <= by + 1.0
            && bx < f64::from(x0 + width)
            && by < f64::from(y0 + height),
        "the throughput chart at ({bx}, {by}) lies in the picture at ({x0}, {y0}) {width}×{height}"
    );

    // Kept with the batch in History.
    let record = harness.state().state().history.last().cloned().unwrap();
    assert!(!record.batch.unwrap().timeline.is_empty());
    harness.state_mut().show_section(Section::History);
    harness.run();
    assert!(chart(&harness, "Outcomes as they arrive").is_some());
}

/// Cancelled early, a batch says it stopped and why, not that it finished; its rate and its
/// throughput chart are what it sent, not the unsent entries the stop settled at once (which
/// drew a spike of a thousand or more a second at the end).
#[test]
fn a_cancelled_batch_says_it_stopped_and_its_rate_is_what_it_sent() {
    let data = tempfile::tempdir().unwrap();
    // 20 in flight, answered after 80 ms: at most 250 a second.
    let mut harness = slow_batch_sent(data.path());
    step_until(&mut harness, "the first answers", |h| {
        h.state().batch().results().len() >= 20
    });
    // Offered in two places while it runs; either stops it.
    harness
        .query_all_by_label("Cancel batch")
        .next()
        .unwrap()
        .click();
    step_until(&mut harness, "the batch stopping", |h| {
        h.state().batch().summary().is_some()
    });
    harness.run();
    let summary = harness.state().batch().summary().unwrap().clone();
    assert!(summary.not_sent > 0, "{summary:?}");
    let line = format!(
        "over 1 connection, {} retries: the batch was cancelled first.",
        summary.retries
    );
    assert!(
        harness.query_by_label_contains("Stopped after").is_some()
            && harness.query_by_label_contains(&line).is_some(),
        "the summary says it stopped, and why"
    );
    assert!(harness.query_by_label_contains("Finished in").is_none());
    // The bar stops where the sending stopped, not at 1,500 / 1,500.
    let sent = summary.delivered + summary.rejected + summary.unconfirmed;
    let sent = if sent >= 1000 {
        format!("{},{:03}", sent / 1000, sent % 1000)
    } else {
        sent.to_string()
    };
    assert!(
        harness
            .query_by_label_contains(&format!("{sent} / 1,500"))
            .is_some(),
        "{summary:?}"
    );
    assert!(harness.query_by_label_contains("1,500 / 1,500").is_none());
    let throughput = chart(&harness, "Throughput").unwrap();
    let peak: f64 = throughput
        .split(" per second at the peak")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .map(|n| n.replace(',', ""))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{throughput}"));
    assert!(peak <= 400.0, "{throughput}");
    assert!(summary.per_second <= 400.0, "{summary:?}");
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
    harness.get_by_label("Dashboard").click();
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
    harness.get_by_label("Other.p12").click();
    harness.run();
    let by_day = chart(&harness, "Sends by day").unwrap();
    assert!(
        by_day.contains("1 History entry over 1 day: 90 delivered"),
        "{by_day}"
    );
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

/// A dashboard with nothing rejected says so under the chart's title, with no axes: an empty
/// plot ran from -0.4 to 0.4 pushes.
#[test]
fn a_chart_with_nothing_to_draw_says_so_without_axes() {
    let data = tempfile::tempdir().unwrap();
    let mut state = State {
        section: Section::History,
        ..State::default()
    };
    state.remember(HistoryEntry {
        time: 1_764_460_800,
        status: Some(200),
        ..Default::default()
    });
    let mut harness = app(data.path(), state);
    harness.get_by_label("Dashboard").click();
    harness.run();
    assert!(chart(&harness, "Sends by day").is_some());
    assert!(chart(&harness, "Rejections by reason").is_none());
    assert!(harness.query_by_label("Rejections by reason").is_some());
    assert!(harness.query_by_label("Nothing yet.").is_some());
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

/// Pushes sent while another screen was shown are the simulator's traffic too. It was sampled
/// only while its own screen was drawn, and read "0 deliveries per second at the peak" beside
/// an inbox of 31.
#[test]
fn the_simulators_traffic_counts_pushes_sent_from_another_screen() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = on_the_batch_screen(data.path());
    let tokens: String = (1..=31u32).map(|i| format!("{i:064x}\n")).collect();
    support::gui::send_batch_and_wait(&mut harness, &tokens);
    harness.state_mut().show_section(Section::Simulator);
    harness.run();
    let peak = |h: &Harness<'_, App>| -> f64 {
        let name = chart(h, "Simulator traffic").unwrap();
        name.split(": ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .map(|n| n.replace(',', ""))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{name}"))
    };
    // Sampled at most every 250 ms: the batch's last answers may come a sample later.
    step_until(&mut harness, "the 31 deliveries rated", |h| peak(h) > 0.0);
}

/// Lines that are not tokens never went out, but they are not pushes a stop left unsent: the
/// outcomes chart's sentence counts them apart ("… 0 not sent, 1 invalid input."), as the
/// summary's chips do, where it once said "1 not sent".
#[test]
fn the_outcomes_chart_counts_invalid_lines_apart_from_unsent_pushes() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = on_the_batch_screen(data.path());
    let tokens: String = (1..=3u32)
        .map(|i| format!("{i:064x}\n"))
        .chain(["not-a-token\n".to_owned()])
        .collect();
    support::gui::send_batch_and_wait(&mut harness, &tokens);
    harness.run();
    let outcomes = chart(&harness, "Outcomes as they arrive").unwrap();
    assert!(
        outcomes.ends_with("3 delivered, 0 rejected, 0 unconfirmed, 0 not sent, 1 invalid input."),
        "{outcomes}"
    );
}
