//! A batch over time: throughput (retries marked), outcomes as they arrive, and latency
//! percentiles; live on the Batch screen and kept with the batch's record in History.

use egui_plot::{Line, MarkerShape, PlotPoints, PlotUi, Points};
use serde::{Deserialize, Serialize};

use super::{chart, cumulative_chart};
use crate::client::Timeline;
use crate::gui::i18n::msg;
use crate::gui::theme::Palette;

/// How many points a batch's record keeps for its chart.
pub const KEPT_POINTS: usize = 240;

/// One interval of a batch, as drawn (and as History keeps it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelinePoint {
    /// Seconds since the start.
    pub t: f64,
    /// Pushes sent (delivered, rejected or unconfirmed) per second over the interval.
    pub per_second: f64,
    /// Pushes delivered (a 200) in the interval.
    pub delivered: u64,
    /// Pushes refused with a reason in the interval.
    pub rejected: u64,
    /// Pushes whose fate is unknown (written, no answer) in the interval.
    pub unconfirmed: u64,
    /// Pushes never sent (the batch stopped) in the interval.
    pub not_sent: u64,
    /// Lines that were not tokens, settled in the interval (kept apart from the pushes never
    /// sent, which the caption once counted them as).
    pub invalid: u64,
    /// Pushes sent again because they were provably unprocessed, in the interval.
    pub retried: u64,
    /// The answers' median latency, when there were answers.
    pub p50_ms: Option<f64>,
    /// Their 95th percentile.
    pub p95_ms: Option<f64>,
    /// Their 99th percentile.
    pub p99_ms: Option<f64>,
}

/// The points of `timeline`, at most `max` of them.
pub fn points_of(timeline: &Timeline, max: usize) -> Vec<TimelinePoint> {
    let t = timeline.coarsened(max);
    t.intervals()
        .iter()
        .enumerate()
        .map(|(n, i)| TimelinePoint {
            t: n as f64 * t.width(),
            per_second: t.per_second(n),
            delivered: i.delivered,
            rejected: i.rejected,
            unconfirmed: i.unconfirmed,
            not_sent: i.not_sent,
            invalid: i.invalid,
            retried: i.retried,
            p50_ms: i.latency.percentile(0.5),
            p95_ms: i.latency.percentile(0.95),
            p99_ms: i.latency.percentile(0.99),
        })
        .collect()
}

/// The three charts of a batch; `id` keeps two sets apart (the live one, History's).
pub fn batch_charts(ui: &mut egui::Ui, id: &str, points: &[TimelinePoint]) {
    let seconds = axis_seconds();
    throughput_chart(ui, id, points, &seconds);
    outcomes_chart(ui, id, points, &seconds);
    latency_over_time(ui, id, points, &seconds);
}

/// A series as a line, and as a dot too where it has a single point and `dot` allows it: a
/// batch that ends within one sample has one, and a line through one point draws nothing.
/// `style` finishes the line (colour, width, fill); the points move into it, not copied.
fn series<'a>(
    plot: &mut PlotUi<'a>,
    name: &str,
    pts: Vec<[f64; 2]>,
    (colour, dot): (egui::Color32, bool),
    style: impl FnOnce(Line<'a>) -> Line<'a>,
) {
    if let (true, [only]) = (dot, &pts[..]) {
        plot.points(
            Points::new(name.to_owned(), PlotPoints::from(vec![*only]))
                .radius(4.0)
                .color(colour),
        );
    }
    plot.line(style(Line::new(name.to_owned(), PlotPoints::from(pts))).color(colour));
}

/// `(t, y)` for each point where `f` has a value.
fn xy(points: &[TimelinePoint], f: &dyn Fn(&TimelinePoint) -> Option<f64>) -> Vec<[f64; 2]> {
    points
        .iter()
        .filter_map(|pt| f(pt).map(|y| [pt.t, y]))
        .collect()
}

/// Pushes answered per second, with the intervals that retried marked.
fn throughput_chart(ui: &mut egui::Ui, id: &str, points: &[TimelinePoint], seconds: &str) {
    let p = Palette::of(ui);
    let peak = points.iter().map(|pt| pt.per_second).fold(0.0, f64::max);
    let throughput = xy(points, &|pt| Some(pt.per_second));
    let retries = xy(points, &|pt| (pt.retried > 0).then_some(pt.per_second));
    chart(
        ui,
        &format!("{id}-throughput"),
        &msg::chart_throughput(),
        &msg::chart_throughput_summary(
            peak.round() as u64,
            points.iter().map(|pt| pt.retried).sum::<u64>(),
        ),
        (seconds, &msg::chart_per_second()),
        |plot| {
            series(
                plot,
                &msg::chart_throughput(),
                throughput,
                (p.brand, true),
                |l| l,
            );
            if !retries.is_empty() {
                plot.points(
                    Points::new(msg::chart_retries(), PlotPoints::from(retries))
                        .shape(MarkerShape::Diamond)
                        .radius(4.0)
                        .color(p.warning.fg),
                );
            }
        },
    );
}

/// Outcomes so far, stacked.
fn outcomes_chart(ui: &mut egui::Ui, id: &str, points: &[TimelinePoint], seconds: &str) {
    let p = Palette::of(ui);
    // Outcomes stacked: each line is the sum of itself and those below it.
    let mut sums = [0u64; 4];
    let mut invalid = 0u64;
    let mut stacked: [Vec<[f64; 2]>; 4] = Default::default();
    for pt in points {
        sums[0] += pt.delivered;
        sums[1] += pt.rejected;
        sums[2] += pt.unconfirmed;
        // The grey band is everything that never went out, invalid lines with it.
        sums[3] += pt.not_sent + pt.invalid;
        invalid += pt.invalid;
        let mut running = 0;
        for (k, line) in stacked.iter_mut().enumerate() {
            running += sums[k];
            line.push([pt.t, running as f64]);
        }
    }
    let [delivered, rejected, unconfirmed, never_out] = sums;
    let not_sent = never_out - invalid;
    cumulative_chart(
        ui,
        &format!("{id}-outcomes"),
        &msg::chart_outcomes(),
        &msg::chart_outcomes_summary(delivered, invalid, not_sent, rejected, unconfirmed),
        (seconds, &msg::chart_pushes()),
        |plot| {
            let names = [
                (msg::chart_delivered(), p.good.fg),
                (msg::chart_rejected(), p.bad.fg),
                (msg::chart_unconfirmed(), p.warning.fg),
                (msg::chart_not_sent(), p.neutral.fg),
            ];
            // The delivered band filled; the others as lines stacked on it (fills of every
            // band blend into one muddy colour).
            for (k, ((name, colour), pts)) in names.into_iter().zip(stacked).enumerate() {
                // A band with nothing of its own lies on the one below: no dot of its colour
                // over the other's.
                let own = k == 0 || sums[k] > 0;
                series(plot, &name, pts, (colour, own), |line| {
                    let line = line.width(2.0);
                    if k == 0 {
                        line.fill(0.0).fill_alpha(0.25)
                    } else {
                        line
                    }
                });
            }
        },
    );
}

/// One latency percentile of a point, if it has answers.
type Percentile = fn(&TimelinePoint) -> Option<f64>;

/// Latency percentiles (p50, p95, p99) over time.
fn latency_over_time(ui: &mut egui::Ui, id: &str, points: &[TimelinePoint], seconds: &str) {
    let p = Palette::of(ui);
    let last = |f: fn(&TimelinePoint) -> Option<f64>| {
        points.iter().rev().find_map(f).map(|v| format!("{v:.1}"))
    };
    chart(
        ui,
        &format!("{id}-latency"),
        &msg::chart_latency_over_time(),
        &msg::chart_latency_over_time_summary(
            last(|pt| pt.p50_ms).unwrap_or_else(|| "–".into()),
            last(|pt| pt.p99_ms).unwrap_or_else(|| "–".into()),
        ),
        (seconds, &msg::chart_ms()),
        |plot| {
            let percentiles: [(&str, Percentile, egui::Color32); 3] = [
                ("p50", |pt| pt.p50_ms, p.good.fg),
                ("p95", |pt| pt.p95_ms, p.warning.fg),
                ("p99", |pt| pt.p99_ms, p.bad.fg),
            ];
            for (name, f, colour) in percentiles {
                series(plot, name, xy(points, &f), (colour, true), |l| l);
            }
        },
    );
}

fn axis_seconds() -> String {
    msg::chart_seconds()
}

/// The points as CSV, for the export.
pub fn points_csv(points: &[TimelinePoint]) -> String {
    let mut out = String::from(
        "second,per_second,delivered,rejected,unconfirmed,not_sent,invalid,retried,p50_ms,p95_ms,p99_ms\n",
    );
    let ms = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    for pt in points {
        out.push_str(&format!(
            "{},{:.1},{},{},{},{},{},{},{},{},{}\n",
            pt.t,
            pt.per_second,
            pt.delivered,
            pt.rejected,
            pt.unconfirmed,
            pt.not_sent,
            pt.invalid,
            pt.retried,
            ms(pt.p50_ms),
            ms(pt.p95_ms),
            ms(pt.p99_ms)
        ));
    }
    out
}
