//! `--connections auto`: more connections while the round trip, not the CPU, is the limit.
//!
//! One HTTP/2 connection carries at most (stream limit) pushes per round trip. When every
//! stream of every open connection is in use, pushes are still waiting, and answers take
//! about as long as the quickest one did (no queue builds up anywhere), the batch waits on
//! the network: one more connection raises that ceiling by a connection's worth. When the
//! client's CPU or the server is the limit instead, answers queue (the answer time grows far
//! past the quickest), another connection only adds handshakes and contention, and the rate
//! does not rise. So: start with one; at the end of each measuring window in which every
//! connection was full and answers did not queue, double them (as TCP's slow start does: a
//! batch that waits on a 50 ms round trip has sent most of its pushes by the time one-by-one
//! growth would have reached four); stop adding for good as soon as the last step did not
//! raise the rate by at least a tenth; never more than the maximum.

use std::time::{Duration, Instant};

/// A measuring window lasts this many round trips (the answer time, smoothed): long enough
/// that every stream of a full connection turns over once. Two round trips, at least 100 ms,
/// with the first window skipped, doubled only every 200 ms at 50 ms (a judged window and
/// the settling one after it), so eight connections came after about 0.6 s, more than half
/// of a 50,000-push batch: 39,000/s (median of 8) where a fixed `--connections 4` gave
/// 49,000/s. One round trip, the first window judged: 47,600/s (median of 8); at 150 ms
/// 26,700/s against 18,100/s; with no delay unchanged (it stays at one connection there).
const ROUND_TRIPS_PER_WINDOW: f64 = 1.0;
const MIN_WINDOW: Duration = Duration::from_millis(50);
const MAX_WINDOW: Duration = Duration::from_secs(2);
/// What the last step of connections must add to the rate to count as a help.
const MIN_GAIN: f64 = 1.1;
/// Answers that take this many times the quickest are waiting in a queue (the CPU or the
/// server is the limit), not on the network. Half a round trip of queueing is tolerated.
const QUEUEING: f64 = 1.5;

pub(in crate::client::batch) struct Grow {
    max: usize,
    active: usize,
    /// Every open connection was full, with pushes waiting, during this window.
    saturated: bool,
    /// The answer time, smoothed (ms).
    round_trip_ms: Option<f64>,
    /// The quickest answer so far (ms): the round trip with no queue.
    quickest_ms: Option<f64>,
    window_start: Instant,
    answers_in_window: u64,
    /// The rate before the last connection was added, once its first window has passed.
    rate_before: Option<f64>,
    /// The window after adding a connection is not judged: it includes the handshake. The
    /// first is: a queue may not have built yet, so a CPU-bound batch can open a second
    /// connection (a handshake's cost) before the next window finds the rate did not rise and
    /// stops the growth for good.
    settling: bool,
    done: bool,
}

impl Grow {
    pub(in crate::client::batch) fn new(max: usize) -> Self {
        Grow {
            max: max.max(1),
            active: 1,
            saturated: false,
            round_trip_ms: None,
            quickest_ms: None,
            window_start: Instant::now(),
            answers_in_window: 0,
            rate_before: None,
            settling: false,
            done: false,
        }
    }

    /// Connections that may be used now.
    pub(in crate::client::batch) fn active(&self) -> usize {
        self.active
    }

    /// Every open connection was full while pushes were waiting.
    pub(in crate::client::batch) fn saturated(&mut self) {
        self.saturated = true;
    }

    /// An answer came, after `latency_ms`.
    pub(in crate::client::batch) fn answered(&mut self, latency_ms: f64) {
        self.answers_in_window += 1;
        self.quickest_ms = Some(self.quickest_ms.map_or(latency_ms, |q| q.min(latency_ms)));
        self.round_trip_ms = Some(match self.round_trip_ms {
            Some(rtt) => rtt * 0.9 + latency_ms * 0.1,
            None => latency_ms,
        });
    }

    fn window(&self) -> Duration {
        let rtt = self.round_trip_ms.unwrap_or(0.0) * ROUND_TRIPS_PER_WINDOW;
        Duration::from_secs_f64(rtt / 1000.0).clamp(MIN_WINDOW, MAX_WINDOW)
    }

    /// Called after every event of the batch; judges a window when it has passed.
    pub(in crate::client::batch) fn tick(&mut self) {
        self.tick_at(Instant::now());
    }

    fn tick_at(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.window_start);
        if self.done || elapsed < self.window() {
            return;
        }
        let rate = self.answers_in_window as f64 / elapsed.as_secs_f64().max(1e-3);
        let saturated = self.saturated;
        self.window_start = now;
        self.answers_in_window = 0;
        self.saturated = false;
        if self.settling {
            self.settling = false;
            return;
        }
        if let Some(before) = self.rate_before.take()
            && rate < before * MIN_GAIN
        {
            // The last step did not help: the limit is elsewhere. Its connections stay open
            // (their pushes are in flight); no more are added.
            self.done = true;
            return;
        }
        let queueing = match (self.round_trip_ms, self.quickest_ms) {
            (Some(rtt), Some(quickest)) => rtt > quickest * QUEUEING,
            _ => true,
        };
        if saturated && !queueing && self.active < self.max {
            self.active = (self.active * 2).min(self.max);
            self.rate_before = Some(rate);
            self.settling = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives one window: `answers` answers and saturated or not, then the window's end.
    fn window(g: &mut Grow, at: &mut Instant, answers: u64, saturated: bool) {
        window_at(g, at, answers, saturated, 50.0);
    }

    fn window_at(g: &mut Grow, at: &mut Instant, answers: u64, saturated: bool, ms: f64) {
        for _ in 0..answers {
            g.answered(ms);
        }
        if saturated {
            g.saturated();
        }
        *at += Duration::from_millis(250);
        g.tick_at(*at);
    }

    #[test]
    fn grows_while_full_and_faster_and_stops_when_not() {
        let mut g = Grow::new(8);
        let mut at = g.window_start;
        window(&mut g, &mut at, 100, true);
        assert_eq!(g.active(), 2, "full from the first window: twice as many");
        window(&mut g, &mut at, 150, true); // settling: the handshake's window
        assert_eq!(g.active(), 2);
        window(&mut g, &mut at, 200, true);
        assert_eq!(g.active(), 4, "twice the rate: twice as many again");
        window(&mut g, &mut at, 200, true); // settling
        window(&mut g, &mut at, 205, true);
        assert_eq!(g.active(), 4, "no gain: stop");
        window(&mut g, &mut at, 400, true);
        assert_eq!(g.active(), 4, "stopped for good");
    }

    #[test]
    fn does_not_grow_when_connections_have_room() {
        let mut g = Grow::new(8);
        let mut at = g.window_start;
        for _ in 0..10 {
            window(&mut g, &mut at, 100, false);
        }
        assert_eq!(g.active(), 1);
    }

    #[test]
    fn does_not_grow_when_answers_queue() {
        // Full connections, but answers take 20 times the quickest: the CPU or the server is
        // the limit, not the round trip.
        let mut g = Grow::new(8);
        let mut at = g.window_start;
        window_at(&mut g, &mut at, 1, false, 0.5);
        for _ in 0..10 {
            window_at(&mut g, &mut at, 100, true, 10.0);
        }
        assert_eq!(g.active(), 1);
    }

    #[test]
    fn never_beyond_the_maximum() {
        // 1, 2, then 3 where doubling would give 4.
        let mut g = Grow::new(3);
        let mut at = g.window_start;
        for i in 0..20 {
            window(&mut g, &mut at, 100 * (i + 1), true);
        }
        assert_eq!(g.active(), 3);
    }
}
