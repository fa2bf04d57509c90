//! The embedded simulator's traffic while it runs: deliveries and refusals per second, from
//! its counters as the inbox is refreshed (the window rests when nothing arrives, so the
//! samples come with the traffic).

use std::collections::VecDeque;
use std::time::Instant;

use egui_plot::{Line, PlotPoints};

use super::{Span, time_chart};
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
    /// Takes the counters now (a restarted simulator starts again from zero). `period` is how
    /// soon after a change a sample is taken: after a quiet spell, the counters as they were
    /// are recorded `period` before now, so a single delivery is a spike at its time rather
    /// than one push spread over the minutes since the last sample (a rate of 0.005/s, "0 at
    /// the peak").
    pub fn record(&mut self, delivered: u64, refused: u64, period: std::time::Duration) {
        let since = *self.since.get_or_insert_with(Instant::now);
        self.record_at(
            since.elapsed().as_secs_f64(),
            (delivered, refused),
            period.as_secs_f64(),
        );
    }

    fn record_at(&mut self, now: f64, (delivered, refused): (u64, u64), period: f64) {
        if let Some(&(t, d, r)) = self.samples.back()
            && (d, r) != (delivered, refused)
            && now - period > t
        {
            self.push((now - period, d, r));
        }
        if self
            .samples
            .back()
            .is_some_and(|(_, d, r)| delivered < *d || refused < *r)
        {
            self.samples.clear();
        }
        self.push((now, delivered, refused));
    }

    fn push(&mut self, sample: (f64, u64, u64)) {
        if self.samples.len() == KEPT {
            self.samples.pop_front();
        }
        self.samples.push_back(sample);
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

    /// The rates drawn as steps, (deliveries, refusals): each rate held across the interval it
    /// was measured over. A line from one interval's end to the next drew a quiet spell
    /// before a delivery as a slow slope, traffic that never was.
    pub fn rate_steps(&self) -> (Vec<[f64; 2]>, Vec<[f64; 2]>) {
        let mut delivered = Vec::new();
        let mut refused = Vec::new();
        for (a, b) in self.samples.iter().zip(self.samples.iter().skip(1)) {
            if b.0 <= a.0 {
                continue;
            }
            let dt = b.0 - a.0;
            let (d, r) = ((b.1 - a.1) as f64 / dt, (b.2 - a.2) as f64 / dt);
            delivered.extend([[a.0, d], [b.0, d]]);
            refused.extend([[a.0, r], [b.0, r]]);
        }
        (delivered, refused)
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
    // From the first sample to the last: a lone rate point was drawn on an axis a few
    // milliseconds wide.
    let end = samples.samples.back().map_or(0.0, |s| s.0);
    time_chart(
        ui,
        "simulator-traffic",
        (
            &msg::chart_simulator_traffic(),
            &msg::chart_simulator_traffic_summary(peak.round() as u64),
        ),
        (&msg::chart_seconds(), &msg::chart_per_second()),
        Span::Rates(end),
        |plot| {
            let (delivered, refused) = samples.rate_steps();
            // egui_plot merges points less than a pixel apart into a filled band drawn to the
            // next column: a step's upright (two points at one x) became a wedge sloping from
            // the start of a quiet spell. A few hundred points need no such shortcut.
            plot.line(
                Line::new(msg::chart_delivered(), PlotPoints::from(delivered))
                    .color(p.good.fg)
                    .allow_band(false),
            );
            plot.line(
                Line::new(msg::chart_refused(), PlotPoints::from(refused))
                    .color(p.bad.fg)
                    .allow_band(false),
            );
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One delivery after 203 quiet seconds: a spike in the last quarter second, 0 before it.
    #[test]
    fn a_delivery_after_a_quiet_spell_is_a_spike_at_its_time() {
        let mut t = TrafficSamples::default();
        t.record_at(0.0, (0, 0), 0.25);
        t.record_at(203.3, (1, 0), 0.25);
        let rates = t.rates();
        assert_eq!(rates.len(), 2);
        assert_eq!((rates[0].1, rates[0].2), (0.0, 0.0));
        assert!((rates[1].0 - 203.3).abs() < 1e-9);
        assert!((rates[1].1 - 4.0).abs() < 1e-9, "{rates:?}");
        // Steady traffic sampled every quarter second gets no extra samples.
        t.record_at(203.55, (2, 0), 0.25);
        assert_eq!(t.rates().len(), 3);
    }

    /// A delivery after a quiet spell is drawn as flat zero, then a box as wide as the interval
    /// it was counted in: every segment level or upright, none sloping through the spell.
    #[test]
    fn the_rates_are_drawn_as_steps_not_slopes() {
        let mut t = TrafficSamples::default();
        t.record_at(0.0, (0, 0), 0.25);
        t.record_at(17.0, (1, 0), 0.25);
        t.record_at(28.0, (2, 1), 0.25);
        let (delivered, refused) = t.rate_steps();
        for line in [&delivered, &refused] {
            for w in line.windows(2) {
                let ([x0, y0], [x1, y1]) = (w[0], w[1]);
                assert!(
                    x0 == x1 || y0 == y1,
                    "a slope from {:?} to {:?}",
                    w[0],
                    w[1]
                );
            }
        }
        // Zero from the start to the quarter second before the first delivery.
        assert_eq!(delivered[0], [0.0, 0.0]);
        assert_eq!(delivered[1], [16.75, 0.0]);
        assert_eq!(delivered[2], [16.75, 4.0]);
        assert_eq!(delivered[3], [17.0, 4.0]);
        // And zero again through the spell after it.
        assert_eq!(delivered[4], [17.0, 0.0]);
        assert_eq!(delivered[5], [27.75, 0.0]);
        assert_eq!(refused.last(), Some(&[28.0, 4.0]));
    }

    /// Drawn, a refusal after a quiet spell is lines (flat, upright, flat), not a filled band
    /// sloping from the chart's start to it, which egui_plot made of the step's upright.
    #[test]
    fn a_step_is_drawn_as_lines_not_a_filled_wedge() {
        let mut t = TrafficSamples::default();
        t.record_at(0.0, (0, 0), 0.25);
        t.record_at(16.0, (0, 1), 0.25);
        let ctx = egui::Context::default();
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(800.0, 600.0),
            )),
            ..Default::default()
        };
        let mut shapes = Vec::new();
        // Two passes: the first lays out, the second draws what it measured.
        for _ in 0..2 {
            let mut out = ctx.run_ui(input.clone(), |ui| {
                egui::CentralPanel::default().show(ui, |ui| traffic_chart(ui, &t));
            });
            // No renderer takes the font atlas here.
            out.textures_delta.clear();
            shapes = out.shapes;
        }
        fn bands(shape: &egui::Shape) -> usize {
            match shape {
                egui::Shape::Band(_) => 1,
                egui::Shape::Vec(inner) => inner.iter().map(bands).sum(),
                _ => 0,
            }
        }
        let drawn: usize = shapes.iter().map(|c| bands(&c.shape)).sum();
        assert!(!shapes.is_empty());
        assert_eq!(drawn, 0, "a step drawn as a filled band");
    }

    /// Nothing yet: the axes still span a second and one per second, not ±0.00000001.
    #[test]
    fn an_empty_traffic_chart_has_a_readable_scale() {
        let mut t = TrafficSamples::default();
        t.record_at(0.0, (0, 0), 0.25);
        let ctx = egui::Context::default();
        let mut id = None;
        for _ in 0..2 {
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                traffic_chart(ui, &t);
                id = Some(ui.make_persistent_id(egui::IdSalt::new("simulator-traffic")));
            });
            out.textures_delta.clear();
        }
        let bounds = *egui_plot::PlotMemory::load(&ctx, id.unwrap())
            .unwrap()
            .bounds();
        let ([x0, y0], [x1, y1]) = (bounds.min(), bounds.max());
        assert!(x0 <= 0.0 && x1 >= 1.0, "{x0}..{x1}");
        assert!(y0 <= 0.0 && y1 >= 1.0, "{y0}..{y1}");
    }
}
