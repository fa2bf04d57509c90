//! What the engine keeps of each push, and the results it makes of them.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Duration, Instant};

use super::{BatchEvent, BatchItem, BatchSummary, InvalidInput, Outcome, RetryPolicy, TokenResult};
use crate::client::outcome::ResultError;
use crate::client::{PushResponse, ResultToken};

pub(super) struct Pending {
    pub(super) index: u64,
    pub(super) item: BatchItem,
    /// Times written.
    pub(super) attempts: u32,
    /// Attempts that count against `retry.max_attempts` (answered retries, resent unconfirmed).
    pub(super) budget_used: u32,
    /// Sends the server provably did not process.
    pub(super) unprocessed: u32,
    /// Of those, the ones refused (REFUSED_STREAM), which are resent after a back-off.
    pub(super) refusals: u32,
    pub(super) not_before: Option<Instant>,
}

impl Pending {
    pub(super) fn new(index: u64, item: BatchItem) -> Self {
        Pending {
            index,
            item,
            attempts: 0,
            budget_used: 0,
            unprocessed: 0,
            refusals: 0,
            not_before: None,
        }
    }
}

/// Pushes in flight by index. The indexes are the batch's own counter, not text from outside
/// that could be chosen to collide, so they need no SipHash: [`IndexHasher`] spreads them with
/// one multiplication (SipHash, three times a push, was a fiftieth of a batch's instructions).
pub(super) type InFlightMap = HashMap<u64, InFlight, BuildHasherDefault<IndexHasher>>;

/// Fibonacci hashing of a push's index: consecutive indexes land in different buckets (the
/// multiplier is odd, so the low bits of the product are a permutation of the index's), and
/// the top bits the table also reads are mixed by the carries.
#[derive(Default)]
pub(super) struct IndexHasher(u64);

const FIBONACCI: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed; any other bytes are still mixed in, one at a time.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(FIBONACCI);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(FIBONACCI);
    }
}

/// What is known of a push in flight, so a batch stopped at once can still give it a result.
pub(super) struct InFlight {
    pub(super) item_token: crate::apns::DeviceToken,
    pub(super) line: Option<u64>,
    pub(super) name: Option<String>,
    pub(super) attempts: u32,
}

pub(super) fn in_flight_result(
    index: u64,
    f: InFlight,
    outcome: Outcome,
    error: ResultError,
) -> TokenResult {
    TokenResult {
        line: f.line,
        name: f.name,
        attempts: f.attempts,
        ..without_answer(index, ResultToken::Device(f.item_token), outcome, error)
    }
}

/// A result with no answer from the server behind it, and `error` saying why: no status,
/// reason, ids or latency; no line, name or attempts until the caller gives them.
pub(super) fn without_answer(
    index: u64,
    token: ResultToken,
    outcome: Outcome,
    error: ResultError,
) -> TokenResult {
    TokenResult {
        index,
        line: None,
        token,
        name: None,
        outcome,
        status: None,
        reason: None,
        apns_id: None,
        apns_unique_id: None,
        timestamp: None,
        latency_ms: None,
        attempts: 0,
        error: Some(error),
    }
}

pub(super) fn sort_retries(retry: &mut VecDeque<Pending>) {
    retry.make_contiguous().sort_by_key(|p| p.not_before);
}

/// The first pause after a refusal; it doubles with each refusal of the same push, up to
/// [`MAX_REFUSED_BACKOFF`]. A server refuses a stream when it is over its limit: sending the
/// same push again at once only meets the same limit.
const REFUSED_BACKOFF: Duration = Duration::from_millis(5);
const MAX_REFUSED_BACKOFF: Duration = Duration::from_millis(250);

/// The pause before a push refused `refusals` times is sent again.
pub(super) fn refused_backoff(refusals: u32) -> Duration {
    let factor = 2u32.saturating_pow(refusals.saturating_sub(1).min(16));
    REFUSED_BACKOFF
        .saturating_mul(factor)
        .min(MAX_REFUSED_BACKOFF)
}

pub(super) fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
    policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay)
}

pub(super) fn progress(s: &BatchSummary, started: Instant, total: Option<u64>) -> BatchEvent {
    let secs = started.elapsed().as_secs_f64();
    // Pushes sent per second: the unsent entries a stop settles at once are not a rate.
    let rate = if secs > 0.0 {
        s.sent() as f64 / secs
    } else {
        0.0
    };
    BatchEvent::Progress {
        done: s.total,
        total,
        delivered: s.delivered,
        rejected: s.rejected,
        per_second: rate,
        eta_seconds: total
            .filter(|_| rate > 0.0)
            .map(|t| t.saturating_sub(s.total) as f64 / rate),
    }
}

pub(super) fn answered(p: Pending, r: PushResponse) -> TokenResult {
    TokenResult {
        index: p.index,
        line: p.item.line,
        token: ResultToken::Device(p.item.notification.token),
        name: p.item.name,
        outcome: if r.status == 200 {
            Outcome::Delivered
        } else {
            Outcome::Rejected
        },
        status: Some(r.status),
        reason: r.reason,
        apns_id: r.apns_id,
        apns_unique_id: r.apns_unique_id,
        timestamp: r.timestamp,
        latency_ms: Some(r.latency_ms),
        attempts: p.attempts,
        error: None,
    }
}

pub(super) fn no_answer(p: Pending, outcome: Outcome, error: ResultError) -> TokenResult {
    TokenResult {
        line: p.item.line,
        name: p.item.name,
        attempts: p.attempts,
        ..without_answer(
            p.index,
            ResultToken::Device(p.item.notification.token),
            outcome,
            error,
        )
    }
}

pub(super) fn invalid_result(index: u64, bad: InvalidInput) -> TokenResult {
    TokenResult {
        line: bad.line,
        ..without_answer(
            index,
            ResultToken::Unparsed(bad.text),
            Outcome::InvalidInput,
            ResultError::Invalid(bad.reason),
        )
    }
}
