//! Counts of what the simulator answered, for the control API's stats and `/metrics`: by
//! outcome, reason and push type, and answer latency over the most recent requests.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

/// How many recent answer times the percentiles are taken over: enough for a stable p99,
/// small enough to sort on every read.
pub const LATENCIES_KEPT: usize = 4096;

/// The counts as a reader sees them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Pushes delivered.
    pub delivered: u64,
    /// Requests refused with an error.
    pub rejected: u64,
    /// Deliveries by push type (`alert`, `liveactivity`, …).
    pub delivered_by_push_type: BTreeMap<String, u64>,
    /// Rejections by Apple's reason (`BadDeviceToken`, …).
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// Rejections by the push type the request named (`unknown` when it named none).
    pub rejected_by_push_type: BTreeMap<String, u64>,
    /// Rejections by HTTP status.
    pub rejected_by_status: BTreeMap<u16, u64>,
    /// HTTP/2 answer times over the last [`LATENCIES_KEPT`] requests; `None` before any.
    pub latency_ms: Option<Percentiles>,
}

/// Answer time percentiles, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percentiles {
    /// The median.
    pub p50: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The slowest.
    pub max: f64,
    /// How many answers they were taken over.
    pub samples: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Tally {
    counts: Mutex<Stats>,
    latencies: Mutex<VecDeque<Duration>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Counting never panics mid-update, and a count is better than none.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Tally {
    pub(crate) fn delivered(&self, push_type: &str) {
        let mut c = lock(&self.counts);
        c.delivered += 1;
        *c.delivered_by_push_type
            .entry(push_type.to_owned())
            .or_default() += 1;
    }

    pub(crate) fn rejected(&self, status: u16, reason: Option<&str>, push_type: Option<&str>) {
        let mut c = lock(&self.counts);
        c.rejected += 1;
        *c.rejected_by_reason
            .entry(reason.unwrap_or("none").to_owned())
            .or_default() += 1;
        *c.rejected_by_push_type
            .entry(push_type.unwrap_or("unknown").to_owned())
            .or_default() += 1;
        *c.rejected_by_status.entry(status).or_default() += 1;
    }

    pub(crate) fn answered_in(&self, took: Duration) {
        let mut l = lock(&self.latencies);
        if l.len() == LATENCIES_KEPT {
            l.pop_front();
        }
        l.push_back(took);
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let mut stats = lock(&self.counts).clone();
        let mut ms: Vec<f64> = lock(&self.latencies)
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        ms.sort_by(f64::total_cmp);
        stats.latency_ms = percentiles(&ms);
        stats
    }

    pub(crate) fn clear(&self) {
        *lock(&self.counts) = Stats::default();
        lock(&self.latencies).clear();
    }
}

/// Nearest-rank percentiles of sorted values.
fn percentiles(sorted: &[f64]) -> Option<Percentiles> {
    let last = sorted.len().checked_sub(1)?;
    let at = |q: f64| sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, last + 1) - 1];
    Some(Percentiles {
        p50: at(0.50),
        p90: at(0.90),
        p99: at(0.99),
        max: sorted[last],
        samples: sorted.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_outcome_reason_and_type() {
        let t = Tally::default();
        t.delivered("alert");
        t.delivered("alert");
        t.rejected(410, Some("Unregistered"), Some("alert"));
        t.rejected(400, Some("BadDeviceToken"), None);
        let s = t.snapshot();
        assert_eq!((s.delivered, s.rejected), (2, 2));
        assert_eq!(s.delivered_by_push_type["alert"], 2);
        assert_eq!(s.rejected_by_reason["Unregistered"], 1);
        assert_eq!(s.rejected_by_push_type["unknown"], 1);
        assert_eq!(s.rejected_by_status[&410], 1);
        assert!(s.latency_ms.is_none());
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let t = Tally::default();
        for ms in 1..=100 {
            t.answered_in(Duration::from_millis(ms));
        }
        let p = t.snapshot().latency_ms.unwrap();
        assert_eq!((p.p50, p.p90, p.p99, p.max), (50.0, 90.0, 99.0, 100.0));
        for _ in 0..LATENCIES_KEPT {
            t.answered_in(Duration::from_millis(1));
        }
        assert_eq!(t.snapshot().latency_ms.unwrap().max, 1.0);
    }
}
