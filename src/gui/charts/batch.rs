//! A batch over time: throughput (retries marked), outcomes as they arrive, and latency
//! percentiles; live on the Batch screen and kept with the batch's record in History.

use egui_plot::{Line, MarkerShape, PlotPoints, PlotUi, Points};
use serde::{Deserialize, Serialize};

use super::{Span, time_chart};
use crate::client::Timeline;
use crate::gui::i18n::msg;
use crate::gui::theme::Palette;

/// How many points a batch's record keeps for its chart.
pub const KEPT_POINTS: usize = 240;

/// One interval of a batch, as drawn (and as History keeps it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelinePoint {
    /// Seconds since the start, when the interval begins.
    pub t: f64,
    /// When it ends: the next one's start, or the latest result for the last. 0 in records
    /// History kept before it was kept; `span` then takes the intervals' width.
    pub end: f64,
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
            end: t.end_of(n),
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

/// The three charts of a batch; `id` keeps two sets apart (the live one, History's). Each
/// spans the batch from 0 s to the end of its last interval.
pub fn batch_charts(ui: &mut egui::Ui, id: &str, points: &[TimelinePoint]) {
    let seconds = axis_seconds();
    let end = points
        .len()
        .checked_sub(1)
        .map_or(0.0, |i| span(points, i).1);
    throughput_chart(ui, id, points, (&seconds, end));
    outcomes_chart(ui, id, points, (&seconds, end));
    latency_over_time(ui, id, points, (&seconds, end));
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

/// Where interval `i` of `points` begins and ends. Records kept before the end was (its 0)
/// take the intervals' width: the gap to the next point, or 1 second when there is one.
pub(crate) fn span(points: &[TimelinePoint], i: usize) -> (f64, f64) {
    let pt = &points[i];
    if pt.end > pt.t {
        return (pt.t, pt.end);
    }
    let width = match points {
        [first, second, ..] if second.t > first.t => second.t - first.t,
        _ => 1.0,
    };
    (pt.t, pt.t + width)
}

/// `(middle of the interval, y)` for each point where `f` has a value: a rate or a latency
/// is of the whole interval, not of its first instant.
fn xy(points: &[TimelinePoint], f: &dyn Fn(&TimelinePoint) -> Option<f64>) -> Vec<[f64; 2]> {
    (0..points.len())
        .filter_map(|i| {
            let (start, end) = span(points, i);
            f(&points[i]).map(|y| [(start + end) / 2.0, y])
        })
        .collect()
}

/// The outcomes so far, stacked (each line the sum of itself and those below it: delivered,
/// rejected, unconfirmed, never sent), from nothing at 0 to each interval's end: a count is
/// of what had arrived by then, so the first interval's results are not drawn at 0 s.
pub(crate) fn stacked_outcomes(points: &[TimelinePoint]) -> ([Vec<[f64; 2]>; 4], [u64; 4], u64) {
    let mut sums = [0u64; 4];
    let mut invalid = 0u64;
    let mut stacked: [Vec<[f64; 2]>; 4] = Default::default();
    if !points.is_empty() {
        for line in &mut stacked {
            line.push([0.0, 0.0]);
        }
    }
    for (i, pt) in points.iter().enumerate() {
        sums[0] += pt.delivered;
        sums[1] += pt.rejected;
        sums[2] += pt.unconfirmed;
        // The grey band is everything that never went out, invalid lines with it.
        sums[3] += pt.not_sent + pt.invalid;
        invalid += pt.invalid;
        let end = span(points, i).1;
        let mut running = 0;
        for (k, line) in stacked.iter_mut().enumerate() {
            running += sums[k];
            line.push([end, running as f64]);
        }
    }
    (stacked, sums, invalid)
}

/// Pushes answered per second, with the intervals that retried marked.
fn throughput_chart(
    ui: &mut egui::Ui,
    id: &str,
    points: &[TimelinePoint],
    (seconds, end): (&str, f64),
) {
    let p = Palette::of(ui);
    let peak = points.iter().map(|pt| pt.per_second).fold(0.0, f64::max);
    let throughput = xy(points, &|pt| Some(pt.per_second));
    let retries = xy(points, &|pt| (pt.retried > 0).then_some(pt.per_second));
    time_chart(
        ui,
        &format!("{id}-throughput"),
        (
            &msg::chart_throughput(),
            &msg::chart_throughput_summary(
                peak.round() as u64,
                points.iter().map(|pt| pt.retried).sum::<u64>(),
            ),
        ),
        (seconds, &msg::chart_per_second()),
        Span::Batch(end),
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
fn outcomes_chart(
    ui: &mut egui::Ui,
    id: &str,
    points: &[TimelinePoint],
    (seconds, end): (&str, f64),
) {
    let p = Palette::of(ui);
    let (stacked, sums, invalid) = stacked_outcomes(points);
    let [delivered, rejected, unconfirmed, never_out] = sums;
    let not_sent = never_out - invalid;
    time_chart(
        ui,
        &format!("{id}-outcomes"),
        (
            &msg::chart_outcomes(),
            &msg::chart_outcomes_summary(delivered, invalid, not_sent, rejected, unconfirmed),
        ),
        (seconds, &msg::chart_pushes()),
        Span::Totals(end),
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
fn latency_over_time(
    ui: &mut egui::Ui,
    id: &str,
    points: &[TimelinePoint],
    (seconds, end): (&str, f64),
) {
    let p = Palette::of(ui);
    let last = |f: fn(&TimelinePoint) -> Option<f64>| {
        points.iter().rev().find_map(f).map(|v| format!("{v:.1}"))
    };
    time_chart(
        ui,
        &format!("{id}-latency"),
        (
            &msg::chart_latency_over_time(),
            &msg::chart_latency_over_time_summary(
                last(|pt| pt.p50_ms).unwrap_or_else(|| "–".into()),
                last(|pt| pt.p99_ms).unwrap_or_else(|| "–".into()),
            ),
        ),
        (seconds, &msg::chart_ms()),
        Span::Batch(end),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn point(t: f64, end: f64, delivered: u64, rejected: u64) -> TimelinePoint {
        TimelinePoint {
            t,
            end,
            delivered,
            rejected,
            ..TimelinePoint::default()
        }
    }

    /// The outcomes chart counts what had arrived by each interval's end, from nothing at 0:
    /// it drew 50,000 delivered at 0 s for a batch whose first second brought them.
    #[test]
    fn outcomes_start_at_nothing_and_count_at_each_intervals_end() {
        let points = [point(0.0, 1.0, 50_000, 0), point(1.0, 1.7, 49_996, 4)];
        let (lines, sums, _) = stacked_outcomes(&points);
        assert_eq!(lines[0], vec![[0.0, 0.0], [1.0, 50_000.0], [1.7, 99_996.0]]);
        assert_eq!(
            lines[1],
            vec![[0.0, 0.0], [1.0, 50_000.0], [1.7, 100_000.0]]
        );
        assert_eq!(sums, [99_996, 4, 0, 0]);
    }

    /// A rate is drawn in the middle of its interval; a record kept before intervals had
    /// an end takes their width from the gap between points.
    #[test]
    fn rates_sit_mid_interval_and_old_records_take_the_gap() {
        let points = [point(0.0, 1.0, 10, 0), point(1.0, 1.5, 5, 0)];
        assert_eq!(
            xy(&points, &|pt| Some(pt.delivered as f64)),
            vec![[0.5, 10.0], [1.25, 5.0]]
        );
        let kept_before = [point(0.0, 0.0, 10, 0), point(2.0, 0.0, 5, 0)];
        assert_eq!(span(&kept_before, 1), (2.0, 4.0));
        assert_eq!(span(&kept_before[..1], 0), (0.0, 1.0));
    }

    /// A batch that ended within one interval: its charts span 0 s to its end and start at
    /// nothing on the y axis. Before, egui centred the axes on the lone point: the throughput
    /// chart ran from negative seconds, its y axis only around 11,417/s.
    #[test]
    fn a_batch_of_one_interval_is_drawn_from_nothing_at_0_s_to_its_end() {
        let mut only = point(0.0, 0.2, 2_000, 0);
        only.per_second = 11_417.0;
        only.p50_ms = Some(40.0);
        let ctx = egui::Context::default();
        let mut ids = Vec::new();
        for _ in 0..2 {
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                batch_charts(ui, "t", std::slice::from_ref(&only));
                ids = ["t-throughput", "t-outcomes", "t-latency"]
                    .map(|id| ui.make_persistent_id(egui::IdSalt::new(id)))
                    .to_vec();
            });
            out.textures_delta.clear();
        }
        for id in ids {
            let bounds = *egui_plot::PlotMemory::load(&ctx, id).unwrap().bounds();
            let ([x0, y0], [x1, _]) = (bounds.min(), bounds.max());
            assert!((-0.05..=0.0).contains(&x0), "{x0}");
            assert!((0.2..0.25).contains(&x1), "{x1}");
            assert!(y0 <= 0.0, "{y0}");
        }
    }
}
