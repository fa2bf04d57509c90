//! Many pushes, each with exactly one final result: multiplexed over one or more connections
//! up to the server's stream limit, retried by Apple's rules, resent after a lost connection,
//! and streamed so memory does not grow with the token list.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::{ClientAuth, Connection, PushResponse, SendError, Target};
use crate::apns::{Notification, Reason};

/// One push of a batch, with an optional name ("Alice's iPhone") for reports.
#[derive(Debug, Clone)]
pub struct BatchItem {
    pub notification: Notification,
    pub name: Option<String>,
}

/// How a push ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 200: APNs accepted it.
    Delivered,
    /// APNs refused it (status and reason say why).
    Rejected,
    /// No answer after every attempt (connection failures, timeouts).
    Failed,
    /// Not sent: the batch was cancelled first.
    Cancelled,
}

/// The final result for one token.
#[derive(Debug, Clone, Serialize)]
pub struct TokenResult {
    /// Position in the input, from 0.
    pub index: u64,
    pub token: String,
    pub name: Option<String>,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub reason: Option<String>,
    pub apns_id: Option<String>,
    pub apns_unique_id: Option<String>,
    pub timestamp: Option<i64>,
    pub latency_ms: Option<f64>,
    pub attempts: u32,
    /// What went wrong when there was no answer.
    pub error: Option<String>,
}

impl TokenResult {
    /// Whether the token should be removed from the provider's database.
    pub fn is_dead_token(&self) -> bool {
        self.reason
            .as_deref()
            .and_then(Reason::parse)
            .is_some_and(Reason::is_dead_token)
    }
}

/// Retry rules.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per push, the first included.
    pub max_attempts: u32,
    /// First back-off delay; doubles each retry up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// How to send.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Connections to open (Apple suggests spreading load over several).
    pub connections: usize,
    /// Most pushes in flight per connection (the server's limit applies too).
    pub max_in_flight: usize,
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Give up after this many connection attempts in a row that fail.
    pub max_reconnects: u32,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            connections: 1,
            max_in_flight: 1000,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_reconnects: 5,
        }
    }
}

/// Counts by outcome and reason.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BatchSummary {
    pub total: u64,
    pub delivered: u64,
    pub rejected: u64,
    pub failed: u64,
    pub cancelled: u64,
    /// Reason → count, for rejections.
    pub reasons: std::collections::BTreeMap<String, u64>,
    /// Tokens to remove: 410 `Unregistered`/`ExpiredToken` and `BadDeviceToken`.
    pub dead_tokens: u64,
    pub retries: u64,
    pub connections_opened: u64,
    pub seconds: f64,
    pub per_second: f64,
}

/// What a batch reports while it runs.
#[derive(Debug, Clone)]
pub enum BatchEvent {
    /// A connection could not be opened (it is retried).
    ConnectFailed(String),
    Result(TokenResult),
    Progress {
        done: u64,
        /// Known once the input is exhausted, or given up front.
        total: Option<u64>,
        delivered: u64,
        rejected: u64,
        per_second: f64,
        eta_seconds: Option<f64>,
    },
}

/// Stops a running batch; pushes already in flight still get their answer.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

struct Pending {
    index: u64,
    item: BatchItem,
    attempts: u32,
    refusals: u32,
    not_before: Option<Instant>,
}

/// A push refused (REFUSED_STREAM) this often while its connection stays up gets a final
/// failure rather than looping forever.
const MAX_REFUSALS: u32 = 1000;

struct Slot {
    conn: Option<Connection>,
    in_flight: usize,
    failures: u32,
    /// Our own limit, lowered when the server refuses streams and raised again as it accepts.
    cap: usize,
}

type Flight = (usize, Pending, Result<PushResponse, SendError>);

/// Sends every item from `items` and reports each result through `events` (which also gets
/// progress every 200 ms). Returns the summary once every item has its final result.
pub async fn send_batch(
    target: &Target,
    auth: &ClientAuth,
    items: impl Iterator<Item = BatchItem> + Send,
    expected_total: Option<u64>,
    options: &BatchOptions,
    events: mpsc::Sender<BatchEvent>,
    cancel: CancelFlag,
) -> BatchSummary {
    let started = Instant::now();
    let mut items = items.enumerate();
    let mut input_done = false;
    let mut summary = BatchSummary::default();
    let mut slots: Vec<Slot> = (0..options.connections.max(1))
        .map(|_| Slot {
            conn: None,
            in_flight: 0,
            failures: 0,
            cap: options.max_in_flight.max(1),
        })
        .collect();
    let mut retry: VecDeque<Pending> = VecDeque::new();
    let mut flights: JoinSet<Flight> = JoinSet::new();
    let mut next_slot = 0usize;
    let mut last_progress = Instant::now();
    let mut gave_up: Option<String> = None;

    let finish = |summary: &mut BatchSummary, result: &TokenResult| {
        summary.total += 1;
        match result.outcome {
            Outcome::Delivered => summary.delivered += 1,
            Outcome::Rejected => {
                summary.rejected += 1;
                *summary
                    .reasons
                    .entry(
                        result
                            .reason
                            .clone()
                            .unwrap_or_else(|| format!("HTTP {}", result.status.unwrap_or(0))),
                    )
                    .or_default() += 1;
            }
            Outcome::Failed => summary.failed += 1,
            Outcome::Cancelled => summary.cancelled += 1,
        }
        if result.is_dead_token() {
            summary.dead_tokens += 1;
        }
    };

    loop {
        // Fill free slots: due retries first, then new input.
        'fill: loop {
            if cancel.is_cancelled() || gave_up.is_some() {
                break;
            }
            let now = Instant::now();
            let due = retry
                .front()
                .is_some_and(|p| p.not_before.is_none_or(|t| t <= now));
            if !due && (input_done || retry.len() >= options.max_in_flight) {
                break;
            }
            // Pick a connection with room, opening it if needed.
            let mut chosen = None;
            for i in 0..slots.len() {
                let s = (next_slot + i) % slots.len();
                let slot = &mut slots[s];
                if slot.conn.as_ref().is_some_and(|c| !c.is_alive()) {
                    slot.conn = None;
                }
                if slot.conn.is_none() {
                    if slot.in_flight > 0 {
                        continue; // let the old connection's requests finish failing first
                    }
                    match Connection::open(target, auth, options.connect_timeout).await {
                        Ok(mut c) => {
                            c.request_timeout = options.request_timeout;
                            slot.conn = Some(c);
                            slot.failures = 0;
                            slot.cap = options.max_in_flight.max(1);
                            summary.connections_opened += 1;
                        }
                        Err(e) => {
                            slot.failures += 1;
                            let _ = events.send(BatchEvent::ConnectFailed(e.to_string())).await;
                            if slot.failures >= options.max_reconnects {
                                gave_up = Some(e.to_string());
                                break 'fill;
                            }
                            tokio::time::sleep(backoff(&options.retry, slot.failures)).await;
                            continue;
                        }
                    }
                }
                let limit = slot
                    .conn
                    .as_ref()
                    .map_or(0, |c| c.max_concurrent_streams().min(slot.cap).max(1));
                if slot.in_flight < limit {
                    chosen = Some(s);
                    break;
                }
            }
            let Some(s) = chosen else { break };
            let pending = if due {
                retry.pop_front()
            } else {
                match items.next() {
                    Some((i, item)) => Some(Pending {
                        index: i as u64,
                        item,
                        attempts: 0,
                        refusals: 0,
                        not_before: None,
                    }),
                    None => {
                        input_done = true;
                        None
                    }
                }
            };
            let Some(mut pending) = pending else { continue };
            let Some(conn) = slots[s].conn.clone() else {
                continue;
            };
            pending.attempts += 1;
            slots[s].in_flight += 1;
            next_slot = (s + 1) % slots.len();
            flights.spawn(async move {
                let r = conn.send(&pending.item.notification).await;
                (s, pending, r)
            });
        }

        let cancelled = cancel.is_cancelled() || gave_up.is_some();
        if flights.is_empty() {
            if cancelled {
                // Everything not yet answered is reported as cancelled (or failed, if we gave up).
                for p in retry.drain(..) {
                    let r = unfinished(p, gave_up.as_deref());
                    finish(&mut summary, &r);
                    let _ = events.send(BatchEvent::Result(r)).await;
                }
                for (i, item) in items.by_ref() {
                    let p = Pending {
                        index: i as u64,
                        item,
                        attempts: 0,
                        refusals: 0,
                        not_before: None,
                    };
                    let r = unfinished(p, gave_up.as_deref());
                    finish(&mut summary, &r);
                    let _ = events.send(BatchEvent::Result(r)).await;
                }
                break;
            }
            if retry.is_empty() && input_done {
                break;
            }
            // Only delayed retries remain: wait for the first.
            if let Some(t) = retry.front().and_then(|p| p.not_before) {
                tokio::time::sleep_until(t.into()).await;
            }
            continue;
        }

        let wake = retry.front().and_then(|p| p.not_before);
        let joined = tokio::select! {
            j = flights.join_next() => j,
            _ = async { match wake { Some(t) => tokio::time::sleep_until(t.into()).await, None => std::future::pending().await } } => continue,
        };
        let Some(Ok((s, pending, result))) = joined else {
            continue;
        };
        slots[s].in_flight -= 1;
        match result {
            Ok(resp) => {
                if slots[s].cap < options.max_in_flight {
                    slots[s].cap += 1;
                }
                let reason = resp.known_reason();
                let retryable = reason.is_some_and(Reason::is_retryable)
                    || (reason.is_none() && matches!(resp.status, 429 | 500 | 503));
                if retryable
                    && pending.attempts < options.retry.max_attempts
                    && !cancel.is_cancelled()
                {
                    summary.retries += 1;
                    if reason == Some(Reason::Shutdown) {
                        slots[s].conn = None;
                    }
                    let delay = backoff(&options.retry, pending.attempts);
                    retry.push_back(Pending {
                        not_before: Some(Instant::now() + delay),
                        ..pending
                    });
                    sort_retries(&mut retry);
                } else {
                    let r = answered(pending, resp);
                    finish(&mut summary, &r);
                    let _ = events.send(BatchEvent::Result(r)).await;
                }
            }
            Err(SendError::Connection { refused: true, .. })
                if slots[s].conn.as_ref().is_some_and(Connection::is_alive)
                    && pending.refusals < MAX_REFUSALS
                    && !cancel.is_cancelled() =>
            {
                // The server refused the stream without processing it: it wants fewer in
                // flight. Follow it down and send again; this is not a failed attempt.
                slots[s].cap = slots[s].in_flight.max(1);
                summary.retries += 1;
                retry.push_front(Pending {
                    attempts: pending.attempts - 1,
                    refusals: pending.refusals + 1,
                    not_before: None,
                    ..pending
                });
            }
            Err(e) => {
                let connection_lost =
                    matches!(e, SendError::Connection { .. } | SendError::Timeout(_));
                if connection_lost {
                    slots[s].conn = None;
                }
                if connection_lost
                    && pending.attempts < options.retry.max_attempts
                    && !cancel.is_cancelled()
                {
                    summary.retries += 1;
                    // Resend at once on a new connection: nothing was processed.
                    retry.push_front(Pending {
                        not_before: None,
                        ..pending
                    });
                } else {
                    let r = TokenResult {
                        error: Some(e.to_string()),
                        ..unfinished(pending, None)
                    };
                    let r = TokenResult {
                        outcome: Outcome::Failed,
                        ..r
                    };
                    finish(&mut summary, &r);
                    let _ = events.send(BatchEvent::Result(r)).await;
                }
            }
        }

        if last_progress.elapsed() >= Duration::from_millis(200) {
            last_progress = Instant::now();
            let _ = events.try_send(progress(
                &summary,
                started,
                expected_total
                    .or(input_done
                        .then_some(summary.total + retry.len() as u64 + flights.len() as u64)),
            ));
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary.per_second = if summary.seconds > 0.0 {
        summary.total as f64 / summary.seconds
    } else {
        0.0
    };
    let _ = events
        .send(progress(&summary, started, Some(summary.total)))
        .await;
    summary
}

fn sort_retries(retry: &mut VecDeque<Pending>) {
    retry.make_contiguous().sort_by_key(|p| p.not_before);
}

fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
    policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay)
}

fn progress(s: &BatchSummary, started: Instant, total: Option<u64>) -> BatchEvent {
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        s.total as f64 / secs
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

fn answered(p: Pending, r: PushResponse) -> TokenResult {
    TokenResult {
        index: p.index,
        token: p.item.notification.token.to_hex(),
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

fn unfinished(p: Pending, gave_up: Option<&str>) -> TokenResult {
    TokenResult {
        index: p.index,
        token: p.item.notification.token.to_hex(),
        name: p.item.name,
        outcome: if gave_up.is_some() {
            Outcome::Failed
        } else {
            Outcome::Cancelled
        },
        status: None,
        reason: None,
        apns_id: None,
        apns_unique_id: None,
        timestamp: None,
        latency_ms: None,
        attempts: p.attempts,
        error: gave_up.map(|e| format!("not sent: could not connect ({e})")),
    }
}
