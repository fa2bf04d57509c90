//! The latency measurement as a histogram with p50 / p95 / p99 marked, and the run before it
//! on the same chart (say, direct and through the proxy, or port 443 and 2197).

use egui_plot::{Bar, BarChart, VLine};

use super::chart;
use crate::client::Latency;
use crate::gui::i18n::msg;
use crate::gui::theme::Palette;
use crate::gui::widgets::millis;

/// Bars of 1/20 of the range between the fastest and the slowest round trip of both runs.
const BARS: usize = 20;

/// The histogram of `now`, with `before` (named by what it was measured with) beside it.
pub fn latency_chart(ui: &mut egui::Ui, now: &Latency, before: Option<(&str, &Latency)>) {
    let p = Palette::of(ui);
    let all = now
        .samples_ms
        .iter()
        .chain(before.iter().flat_map(|(_, l)| l.samples_ms.iter()));
    let (lo, hi) = all.fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let width = ((hi - lo) / BARS as f64).max(0.01);
    let bars = |samples: &[f64], shift: f64| -> Vec<Bar> {
        let mut counts = [0u32; BARS + 1];
        for v in samples {
            let i = (((v - lo) / width) as usize).min(BARS);
            counts[i] += 1;
        }
        counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| {
                Bar::new(lo + (i as f64 + 0.5) * width + shift, f64::from(*n)).width(width * 0.45)
            })
            .collect()
    };
    let summary = msg::chart_latency_summary(
        now.requests,
        millis(now.p50_ms),
        millis(now.p95_ms),
        millis(now.p99_ms),
    );
    let summary = match before {
        Some((with, b)) => format!(
            "{summary} {}",
            msg::chart_latency_before(millis(b.p50_ms), with.to_owned())
        ),
        None => summary,
    };
    chart(
        ui,
        "latency-histogram",
        &msg::chart_latency_histogram(),
        &summary,
        (&msg::chart_ms(), &msg::chart_round_trips()),
        |plot| {
            if let Some((with, b)) = before {
                plot.bar_chart(
                    BarChart::new(with.to_owned(), bars(&b.samples_ms, -width * 0.22))
                        .color(p.neutral.fg),
                );
            }
            plot.bar_chart(
                BarChart::new(msg::chart_this_run(), bars(&now.samples_ms, width * 0.22))
                    .color(p.brand),
            );
            plot.vline(VLine::new("p50", now.p50_ms).color(p.good.fg));
            plot.vline(VLine::new("p95", now.p95_ms).color(p.warning.fg));
            plot.vline(VLine::new("p99", now.p99_ms).color(p.bad.fg));
        },
    );
}

/// Both runs' round trips as CSV: run, milliseconds.
pub fn latency_csv(now: &Latency, before: Option<(&str, &Latency)>) -> String {
    let mut out = String::from("run,round_trip_ms\n");
    if let Some((with, b)) = before {
        for v in &b.samples_ms {
            out.push_str(&format!("\"{}\",{v:.3}\n", with.replace('"', "\"\"")));
        }
    }
    for v in &now.samples_ms {
        out.push_str(&format!("this run,{v:.3}\n"));
    }
    out
}
