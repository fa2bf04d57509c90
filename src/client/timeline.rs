//! A batch over time, for charts: per interval since the start, how many results of each
//! outcome arrived, how many needed more than one attempt, and their latencies (a small
//! logarithmic histogram per interval, so percentiles over time cost bounded memory).
//!
//! Memory stays bounded however long a batch runs: past [`MAX_POINTS`] intervals, pairs of
//! neighbours are merged and the interval doubles.

use super::{Outcome, TokenResult};

/// At most this many intervals are kept.
pub const MAX_POINTS: usize = 1200;

/// Latency bins: bin `i` holds round trips up to `FIRST_EDGE_MS × GROWTH^i`.
const BINS: usize = 72;
const FIRST_EDGE_MS: f64 = 0.05;
const GROWTH: f64 = 1.25;

/// Round trips of one interval, binned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatencyBins {
    counts: [u32; BINS],
    total: u32,
}

impl Default for LatencyBins {
    fn default() -> Self {
        LatencyBins {
            counts: [0; BINS],
            total: 0,
        }
    }
}

fn edge(i: usize) -> f64 {
    FIRST_EDGE_MS * GROWTH.powi(i as i32)
}

impl LatencyBins {
    /// Counts one round trip of `ms` milliseconds (a negative or non-finite one as 0).
    pub fn record(&mut self, ms: f64) {
        let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
        let i = (0..BINS).find(|&i| ms <= edge(i)).unwrap_or(BINS - 1);
        self.counts[i] = self.counts[i].saturating_add(1);
        self.total = self.total.saturating_add(1);
    }

    fn merge(&mut self, other: &LatencyBins) {
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a = a.saturating_add(*b);
        }
        self.total = self.total.saturating_add(other.total);
    }

    /// The round trip under which a share `p` (0–1) of them lies, to the bin's upper edge
    /// (at most 25 % above the true value); `None` with no round trips.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let want = (f64::from(self.total) * p.clamp(0.0, 1.0)).ceil().max(1.0) as u64;
        let mut seen = 0u64;
        for (i, n) in self.counts.iter().enumerate() {
            seen += u64::from(*n);
            if seen >= want {
                return Some(edge(i));
            }
        }
        Some(edge(BINS - 1))
    }

    /// The round trips in each bin, with the bin's upper edge, for a histogram.
    pub fn bins(&self) -> impl Iterator<Item = (f64, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (edge(i), *n))
    }

    /// How many round trips were counted.
    pub fn total(&self) -> u32 {
        self.total
    }
}

/// What arrived in one interval.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interval {
    /// Results [`Outcome::Delivered`](super::Outcome::Delivered).
    pub delivered: u64,
    /// Results [`Outcome::Rejected`](super::Outcome::Rejected).
    pub rejected: u64,
    /// Results [`Outcome::Unconfirmed`](super::Outcome::Unconfirmed).
    pub unconfirmed: u64,
    /// Results [`Outcome::NotSent`](super::Outcome::NotSent).
    pub not_sent: u64,
    /// Results [`Outcome::InvalidInput`](super::Outcome::InvalidInput).
    pub invalid: u64,
    /// Results that took more than one attempt (resent after REFUSED_STREAM or GOAWAY).
    pub retried: u64,
    /// Round trips of the interval's answered pushes.
    pub latency: LatencyBins,
}

impl Interval {
    /// Every result of the interval.
    pub fn results(&self) -> u64 {
        self.sent() + self.not_sent + self.invalid
    }

    /// The interval's pushes that went out (delivered, rejected or unconfirmed): its
    /// throughput. A stopped batch settles every unsent entry in its last interval, which is
    /// no rate at which anything was sent.
    pub fn sent(&self) -> u64 {
        self.delivered + self.rejected + self.unconfirmed
    }

    fn merge(&mut self, o: &Interval) {
        self.delivered += o.delivered;
        self.rejected += o.rejected;
        self.unconfirmed += o.unconfirmed;
        self.not_sent += o.not_sent;
        self.invalid += o.invalid;
        self.retried += o.retried;
        self.latency.merge(&o.latency);
    }
}

/// A batch's results over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Seconds each interval spans (1 at first, doubled as the batch grows long).
    width: f64,
    intervals: Vec<Interval>,
    /// When the latest result arrived: the last interval's rate is over the part of it used.
    last_at: f64,
}

/// The least of a last interval a rate is taken over, as a share of its width, once earlier
/// intervals hold the batch's pace: a tail of a few results that came within a millisecond is
/// not a spike of thousands a second. A batch all in its first interval is rated over the time
/// it took (at least [`LEAST_SECONDS`]), which is its pace.
const LEAST_SPAN: f64 = 0.1;

/// The least time a batch's first interval is rated over.
const LEAST_SECONDS: f64 = 0.001;

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            width: 1.0,
            intervals: Vec::new(),
            last_at: 0.0,
        }
    }
}

impl Timeline {
    /// Counts `r`, which arrived `at_secs` seconds after the batch started.
    pub fn record(&mut self, at_secs: f64, r: &TokenResult) {
        let at = if at_secs.is_finite() {
            at_secs.max(0.0)
        } else {
            0.0
        };
        self.last_at = self.last_at.max(at);
        let mut i = (at / self.width) as usize;
        while i >= MAX_POINTS {
            self.halve();
            i = (at / self.width) as usize;
        }
        if self.intervals.len() <= i {
            self.intervals.resize_with(i + 1, Interval::default);
        }
        let slot = &mut self.intervals[i];
        match r.outcome {
            Outcome::Delivered => slot.delivered += 1,
            Outcome::Rejected => slot.rejected += 1,
            Outcome::Unconfirmed => slot.unconfirmed += 1,
            Outcome::NotSent => slot.not_sent += 1,
            Outcome::InvalidInput => slot.invalid += 1,
        }
        if r.attempts > 1 {
            slot.retried += 1;
        }
        if let Some(ms) = r.latency_ms {
            slot.latency.record(ms);
        }
    }

    /// Merges neighbours: half the points, each twice as wide.
    fn halve(&mut self) {
        let merged = self
            .intervals
            .chunks(2)
            .map(|pair| {
                let mut one = pair[0].clone();
                if let Some(second) = pair.get(1) {
                    one.merge(second);
                }
                one
            })
            .collect();
        self.intervals = merged;
        self.width *= 2.0;
    }

    /// The same batch in at most `points` intervals (neighbours merged), for a picture
    /// that is kept (History) or drawn small.
    pub fn coarsened(&self, points: usize) -> Timeline {
        let mut t = self.clone();
        while t.intervals.len() > points.max(1) {
            t.halve();
        }
        t
    }

    /// Seconds per interval.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// The intervals, oldest first, each [`width`](Self::width) seconds.
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// Pushes sent per second in interval `n`. The last is still filling (or the batch ended
    /// in it): its rate is over the part used so far, up to the latest result, so a batch
    /// that took a tenth of a second reads at its rate, not at a tenth of it.
    pub fn per_second(&self, n: usize) -> f64 {
        let Some(interval) = self.intervals.get(n) else {
            return 0.0;
        };
        let used = self.last_at - n as f64 * self.width;
        let span = if n + 1 < self.intervals.len() {
            self.width
        } else if n == 0 {
            used.clamp(LEAST_SECONDS, self.width)
        } else {
            used.clamp(self.width * LEAST_SPAN, self.width)
        };
        interval.sent() as f64 / span
    }

    /// When interval `n` ends, in seconds since the start: where the next begins, or for the
    /// last one the latest result (the batch's end so far), so a chart's last point is where
    /// the batch is and not a whole interval later.
    pub fn end_of(&self, n: usize) -> f64 {
        let start = n as f64 * self.width;
        if n + 1 < self.intervals.len() {
            start + self.width
        } else {
            self.last_at.clamp(start, start + self.width)
        }
    }

    /// The highest rate, pushes sent per second.
    pub fn peak_per_second(&self) -> f64 {
        (0..self.intervals.len())
            .map(|n| self.per_second(n))
            .fold(0.0, f64::max)
    }

    /// All round trips of the batch, binned.
    pub fn latency(&self) -> LatencyBins {
        let mut all = LatencyBins::default();
        for i in &self.intervals {
            all.merge(&i.latency);
        }
        all
    }

    /// One line per interval: start (s), pushes sent per second, each outcome, retried, and the
    /// interval's p50 / p95 / p99 round trip (ms, empty without answers).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "second,per_second,delivered,rejected,unconfirmed,not_sent,invalid,retried,p50_ms,p95_ms,p99_ms\n",
        );
        for (n, i) in self.intervals.iter().enumerate() {
            let p = |q: f64| {
                i.latency
                    .percentile(q)
                    .map(|v| format!("{v:.2}"))
                    .unwrap_or_default()
            };
            out.push_str(&format!(
                "{},{:.1},{},{},{},{},{},{},{},{},{}\n",
                n as f64 * self.width,
                self.per_second(n),
                i.delivered,
                i.rejected,
                i.unconfirmed,
                i.not_sent,
                i.invalid,
                i.retried,
                p(0.5),
                p(0.95),
                p(0.99)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::DeviceToken;
    use crate::client::ResultToken;

    fn result(outcome: Outcome, ms: Option<f64>, attempts: u32) -> TokenResult {
        TokenResult {
            index: 0,
            line: None,
            token: ResultToken::Device(DeviceToken::parse(&"ab".repeat(32)).unwrap()),
            name: None,
            outcome,
            status: None,
            reason: None,
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: ms,
            attempts,
            error: None,
        }
    }

    /// An interval ends where the next begins; the last where the latest result is, so a
    /// batch of 1.7 s ends its chart at 1.7, not at 2 (and not at 1, where it begins).
    #[test]
    fn the_last_interval_ends_at_the_latest_result() {
        let mut t = Timeline::default();
        t.record(0.3, &result(Outcome::Delivered, Some(2.0), 1));
        t.record(1.7, &result(Outcome::Delivered, Some(2.0), 1));
        assert_eq!((t.end_of(0), t.end_of(1)), (1.0, 1.7));
        let mut short = Timeline::default();
        short.record(0.4, &result(Outcome::Delivered, Some(2.0), 1));
        assert_eq!(short.end_of(0), 0.4);
    }

    #[test]
    fn results_land_in_their_second_with_their_outcome() {
        let mut t = Timeline::default();
        for _ in 0..10 {
            t.record(0.2, &result(Outcome::Delivered, Some(2.0), 1));
        }
        t.record(2.5, &result(Outcome::Rejected, Some(3.0), 1));
        t.record(2.7, &result(Outcome::Unconfirmed, None, 2));
        assert_eq!(t.intervals().len(), 3);
        assert_eq!(t.intervals()[0].delivered, 10);
        assert_eq!(t.intervals()[1].results(), 0);
        assert_eq!(t.intervals()[2].rejected, 1);
        assert_eq!(t.intervals()[2].retried, 1);
        assert_eq!(t.peak_per_second(), 10.0);
        let csv = t.to_csv();
        assert_eq!(csv.lines().count(), 4);
        assert!(csv.lines().nth(1).unwrap().starts_with("0,10.0,10,0,"));
    }

    /// A batch stopped after sending 10 a second settles its 5,000 unsent entries at once:
    /// its throughput stays 10 a second, with the unsent counted in their own column.
    #[test]
    fn unsent_entries_settled_by_a_stop_are_not_throughput() {
        let mut t = Timeline::default();
        for _ in 0..10 {
            t.record(0.5, &result(Outcome::Delivered, Some(2.0), 1));
            t.record(1.5, &result(Outcome::Delivered, Some(2.0), 1));
        }
        for _ in 0..5_000 {
            t.record(1.999, &result(Outcome::NotSent, None, 0));
        }
        t.record(1.999, &result(Outcome::InvalidInput, None, 0));
        assert_eq!(t.intervals()[1].results(), 5_011);
        assert_eq!(t.intervals()[1].sent(), 10);
        assert!(
            (t.peak_per_second() - 10.0).abs() < 0.1,
            "{}",
            t.peak_per_second()
        );
        let csv = t.to_csv();
        let second = csv.lines().nth(2).unwrap();
        assert!(second.starts_with("1,10.0,10,0,0,5000,1,0,"), "{second}");
    }

    /// A batch that ends within its first second reads at its rate (2,000 in 0.105 s is
    /// about 19,000 a second, as its summary says), not at 2,000 a second; a last interval
    /// of three results a millisecond apart is not a spike of thousands a second.
    #[test]
    fn the_last_interval_is_rated_over_the_part_used() {
        let mut t = Timeline::default();
        for k in 0..2_000u32 {
            t.record(
                f64::from(k) * 0.105 / 1_999.0,
                &result(Outcome::Delivered, Some(1.0), 1),
            );
        }
        let rate = t.peak_per_second();
        assert!((rate - 2_000.0 / 0.105).abs() < 1.0, "{rate}");
        let csv = t.to_csv();
        assert!(
            csv.lines().nth(1).unwrap().starts_with("0,19047.6,2000,"),
            "{csv}"
        );

        let mut t = Timeline::default();
        for s in 0..5 {
            for _ in 0..100 {
                t.record(
                    f64::from(s) + 0.5,
                    &result(Outcome::Delivered, Some(1.0), 1),
                );
            }
        }
        for k in 0..3 {
            t.record(
                5.0 + f64::from(k) * 0.0005,
                &result(Outcome::Delivered, Some(1.0), 1),
            );
        }
        // Three in a tenth of a second at the least: 30 a second.
        assert!((t.per_second(5) - 30.0).abs() < 1e-9, "{}", t.per_second(5));
        assert_eq!(t.peak_per_second(), 100.0);
    }

    #[test]
    fn percentiles_are_within_a_bin_of_the_truth() {
        let mut bins = LatencyBins::default();
        for ms in 1..=100 {
            bins.record(f64::from(ms));
        }
        let p50 = bins.percentile(0.5).unwrap();
        let p99 = bins.percentile(0.99).unwrap();
        assert!((50.0..=50.0 * GROWTH).contains(&p50), "{p50}");
        assert!((99.0..=99.0 * GROWTH).contains(&p99), "{p99}");
        assert_eq!(LatencyBins::default().percentile(0.5), None);
    }

    #[test]
    fn a_long_batch_keeps_bounded_points_and_every_count() {
        let mut t = Timeline::default();
        for s in 0..(MAX_POINTS * 3) {
            t.record(s as f64 + 0.5, &result(Outcome::Delivered, Some(1.0), 1));
        }
        assert!(t.intervals().len() <= MAX_POINTS);
        assert!(t.width() >= 2.0);
        let total: u64 = t.intervals().iter().map(Interval::results).sum();
        assert_eq!(total, (MAX_POINTS * 3) as u64);
        // Hostile times stay bounded too.
        t.record(
            f64::NAN,
            &result(Outcome::Delivered, Some(f64::INFINITY), 1),
        );
        t.record(1e12, &result(Outcome::Delivered, None, 1));
        assert!(t.intervals().len() <= MAX_POINTS);
    }
}
