//! `--stats-every SECONDS`: a progress line for scripts, on standard error, one JSON object
//! every so often while the batch runs (standard output keeps the results).

use std::io::Write as _;
use std::time::{Duration, Instant};

use pushlab::client::{BatchSummary, TokenResult};
use serde::Serialize;

/// Counts results and says them every `every`.
pub struct Stats {
    every: Duration,
    started: Instant,
    last: Instant,
    /// Pushes sent at the previous line.
    last_sent: u64,
    counts: BatchSummary,
}

/// One line: `{"stats":{…}}`.
#[derive(Serialize)]
struct Line {
    stats: Figures,
}

#[derive(Serialize)]
struct Figures {
    elapsed_seconds: f64,
    done: u64,
    /// Known once the input is read to the end (or given up front).
    total: Option<u64>,
    /// Pushes sent (delivered, rejected or unconfirmed) per second since the start, as the
    /// engine measures it.
    per_second: f64,
    /// Pushes sent per second since the previous line.
    recent_per_second: f64,
    delivered: u64,
    rejected: u64,
    unconfirmed: u64,
    not_sent: u64,
    invalid_input: u64,
    dead_tokens: u64,
    retries: u64,
}

impl Stats {
    pub fn new(every_seconds: u64) -> Self {
        let now = Instant::now();
        Stats {
            every: Duration::from_secs(every_seconds.max(1)),
            started: now,
            last: now,
            last_sent: 0,
            counts: BatchSummary::default(),
        }
    }

    pub fn record(&mut self, r: &TokenResult) {
        self.counts.record(r);
    }

    /// On each progress report: a line when one is due.
    pub fn progress(&mut self, done: u64, total: Option<u64>, per_second: f64) {
        let now = Instant::now();
        let since = now.duration_since(self.last);
        if since < self.every {
            return;
        }
        // Pushes sent, as `per_second` counts them: not the unsent entries a stop settles.
        let sent = self.counts.sent();
        let recent = sent.saturating_sub(self.last_sent) as f64 / since.as_secs_f64();
        self.last = now;
        self.last_sent = sent;
        let c = &self.counts;
        let line = Line {
            stats: Figures {
                elapsed_seconds: round1(now.duration_since(self.started).as_secs_f64()),
                done,
                total,
                per_second: per_second.round(),
                recent_per_second: recent.round(),
                delivered: c.delivered,
                rejected: c.rejected,
                unconfirmed: c.unconfirmed,
                not_sent: c.not_sent,
                invalid_input: c.invalid_input,
                dead_tokens: c.dead_tokens,
                retries: c.retries,
            },
        };
        if let Ok(text) = serde_json::to_string(&line) {
            // Never a panic: after SIGHUP standard error may be gone.
            let _ = writeln!(std::io::stderr(), "{text}");
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
