//! The embedded simulator's traffic while it runs: deliveries and refusals per second, from
//! its counters as the inbox is refreshed (the window rests when nothing arrives, so the
//! samples come with the traffic).

use std::collections::VecDeque;
use std::time::Instant;

use egui_plot::{Line, PlotPoints};

use super::chart;
use crate::gui::i18n::msg;
use crate::gui::theme::Palette;

/// Samples kept: a few minutes of traffic at the inbox's refresh rate.
const KEPT: usize = 600;

/// The simulator's counters, sampled.
#[derive(Debug, Default)]
pub struct TrafficSamples {
    since: Option<Instant>,
    /// (seconds since the first sample, deliveries so far, refusals so far)
    samples: VecDeque<(f64, u64, u64)>,
}

impl TrafficSamples {
    /// Takes the counters now (a restarted simulator starts again from zero).
    pub fn record(&mut self, delivered: u64, refused: u64) {
        let since = *self.since.get_or_insert_with(Instant::now);
        if self
            .samples
            .back()
            .is_some_and(|(_, d, r)| delivered < *d || refused < *r)
        {
            self.samples.clear();
        }
        if self.samples.len() == KEPT {
            self.samples.pop_front();
        }
        self.samples
            .push_back((since.elapsed().as_secs_f64(), delivered, refused));
    }

    /// The counters at the last sample.
    pub fn last(&self) -> Option<(u64, u64)> {
        self.samples.back().map(|&(_, d, r)| (d, r))
    }

    /// Whether the last sample is younger than `period`.
    pub fn recorded_within(&self, period: std::time::Duration) -> bool {
        match (self.since, self.samples.back()) {
            (Some(since), Some(&(t, _, _))) => {
                since.elapsed().as_secs_f64() - t < period.as_secs_f64()
            }
            _ => false,
        }
    }

    /// Per second between samples: (time, deliveries/s, refusals/s).
    pub fn rates(&self) -> Vec<(f64, f64, f64)> {
        self.samples
            .iter()
            .zip(self.samples.iter().skip(1))
            .filter(|(a, b)| b.0 > a.0)
            .map(|(a, b)| {
                let dt = b.0 - a.0;
                (b.0, (b.1 - a.1) as f64 / dt, (b.2 - a.2) as f64 / dt)
            })
            .collect()
    }

    /// The rates as CSV: one row per interval, seconds since the first sample.
    pub fn csv(&self) -> String {
        let mut out = String::from("second,delivered_per_second,refused_per_second\n");
        for (t, d, r) in self.rates() {
            out.push_str(&format!("{t:.2},{d:.1},{r:.1}\n"));
        }
        out
    }
}

/// Draws the simulator's deliveries and refusals per second while it runs.
pub fn traffic_chart(ui: &mut egui::Ui, samples: &TrafficSamples) {
    let p = Palette::of(ui);
    let rates = samples.rates();
    let peak = rates.iter().map(|r| r.1).fold(0.0, f64::max);
    chart(
        ui,
        "simulator-traffic",
        &msg::chart_simulator_traffic(),
        &msg::chart_simulator_traffic_summary(peak.round() as u64),
        (&msg::chart_seconds(), &msg::chart_per_second()),
        |plot| {
            let delivered: Vec<[f64; 2]> = rates.iter().map(|r| [r.0, r.1]).collect();
            let refused: Vec<[f64; 2]> = rates.iter().map(|r| [r.0, r.2]).collect();
            plot.line(
                Line::new(msg::chart_delivered(), PlotPoints::from(delivered)).color(p.good.fg),
            );
            plot.line(Line::new(msg::chart_refused(), PlotPoints::from(refused)).color(p.bad.fg));
        },
    );
}
