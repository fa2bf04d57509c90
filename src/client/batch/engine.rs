//! The batch engine: slots of connections, the queue of pushes to send again, and the rules
//! that take each answer (or the lack of one) to a final result.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use tokio::sync::mpsc;

use super::{
    BatchEvent, BatchInput, BatchItem, BatchOptions, BatchSummary, CancelFlag, InvalidInput,
    Outcome, RetryPolicy, TokenResult,
};
use crate::apns::Reason;
use crate::client::ResultToken;
use crate::client::{ClientAuth, Connection, PushResponse, SendError, Target, Unprocessed};

struct Pending {
    index: u64,
    item: BatchItem,
    /// Times written.
    attempts: u32,
    /// Attempts that count against `retry.max_attempts` (answered retries, resent unconfirmed).
    budget_used: u32,
    /// Sends the server provably did not process.
    unprocessed: u32,
    not_before: Option<Instant>,
}

impl Pending {
    fn new(index: u64, item: BatchItem) -> Self {
        Pending {
            index,
            item,
            attempts: 0,
            budget_used: 0,
            unprocessed: 0,
            not_before: None,
        }
    }
}

/// A push turned away unprocessed this often (a server that refuses every stream but keeps
/// the connection up) ends "not sent" rather than looping forever.
const MAX_UNPROCESSED_SENDS: u32 = 1000;

/// A connection of a slot, numbered so answers from a connection the slot has since replaced
/// are not counted against the new one.
struct Slot {
    /// Shared with the pushes in flight on it (a clone per push would copy the credential).
    conn: Option<Arc<Connection>>,
    generation: u64,
    in_flight: usize,
    /// Failed connection attempts in a row.
    failures: u32,
    /// Connections in a row that ended before any answer.
    fruitless: u32,
    answered: u64,
    /// Our own limit, lowered when the server refuses streams and raised again as it accepts.
    cap: usize,
}

type Flight = (usize, u64, Pending, Result<PushResponse, SendError>);

/// Why the batch stopped sending before its input ran out.
enum Stop {
    Cancelled,
    Deadline,
    NoConnection(String),
}

impl Stop {
    fn explain(&self) -> String {
        match self {
            Stop::Cancelled => "the batch was cancelled first".to_owned(),
            Stop::Deadline => "the batch ran out of time (its deadline) first".to_owned(),
            Stop::NoConnection(e) => format!("could not connect: {e}"),
        }
    }
}

struct Run<'a> {
    target: &'a Target,
    auth: &'a ClientAuth,
    options: &'a BatchOptions,
    events: mpsc::Sender<BatchEvent>,
    cancel: CancelFlag,
    started: Instant,
    summary: BatchSummary,
    slots: Vec<Slot>,
    retry: VecDeque<Pending>,
    /// Pushes waiting for their answer, polled by the batch's own task: one boxed future per
    /// push rather than a spawned task, which saved the scheduler's bookkeeping and a wake-up
    /// across tasks per push.
    flights: FuturesUnordered<Pin<Box<dyn Future<Output = Flight> + Send>>>,
    next_slot: usize,
    next_index: u64,
    input_done: bool,
    stop: Option<Stop>,
}

/// The body of [`send_batch`](super::send_batch).
pub(super) async fn run(
    target: &Target,
    auth: &ClientAuth,
    mut inputs: impl Iterator<Item = BatchInput>,
    expected_total: Option<u64>,
    options: &BatchOptions,
    events: mpsc::Sender<BatchEvent>,
    cancel: CancelFlag,
) -> BatchSummary {
    let mut run = Run {
        target,
        auth,
        options,
        events,
        cancel,
        started: Instant::now(),
        summary: BatchSummary::default(),
        slots: (0..options.connections.max(1))
            .map(|_| Slot {
                conn: None,
                generation: 0,
                in_flight: 0,
                failures: 0,
                fruitless: 0,
                answered: 0,
                cap: options.max_in_flight.max(1),
            })
            .collect(),
        retry: VecDeque::new(),
        flights: FuturesUnordered::new(),
        next_slot: 0,
        next_index: 0,
        input_done: false,
        stop: None,
    };
    let mut last_progress = Instant::now();
    loop {
        run.check_stop();
        run.fill(&mut inputs).await;
        if run.flights.is_empty() {
            if run.stop.is_some() {
                run.drain_unsent(&mut inputs).await;
                break;
            }
            if run.retry.is_empty() && run.input_done {
                break;
            }
            // Only delayed retries remain: wait for the first (or the deadline).
            if let Some(t) = run.retry.front().and_then(|p| p.not_before) {
                tokio::time::sleep_until(run.clamp_to_deadline(t).into()).await;
            }
            continue;
        }
        let wake = run.retry.front().and_then(|p| p.not_before);
        let wake = wake.map(|t| run.clamp_to_deadline(t));
        let joined = tokio::select! {
            j = run.flights.next() => j,
            _ = async { match wake { Some(t) => tokio::time::sleep_until(t.into()).await, None => std::future::pending().await } } => continue,
        };
        if let Some(flight) = joined {
            run.settle(flight).await;
        }
        if last_progress.elapsed() >= Duration::from_millis(200) {
            last_progress = Instant::now();
            let total = expected_total.or(run
                .input_done
                .then_some(run.summary.total + run.retry.len() as u64 + run.flights.len() as u64));
            let _ = run
                .events
                .try_send(progress(&run.summary, run.started, total));
        }
    }
    let mut summary = run.summary;
    summary.seconds = run.started.elapsed().as_secs_f64();
    summary.per_second = if summary.seconds > 0.0 {
        summary.total as f64 / summary.seconds
    } else {
        0.0
    };
    let _ = run
        .events
        .send(progress(&summary, run.started, Some(summary.total)))
        .await;
    summary
}

impl Run<'_> {
    fn check_stop(&mut self) {
        if self.stop.is_some() {
            return;
        }
        if self.cancel.is_cancelled() {
            self.stop = Some(Stop::Cancelled);
        } else if self
            .options
            .deadline
            .is_some_and(|d| self.started.elapsed() >= d)
        {
            self.stop = Some(Stop::Deadline);
        }
    }

    fn clamp_to_deadline(&self, t: Instant) -> Instant {
        match self.options.deadline {
            Some(d) => t.min(self.started + d),
            None => t,
        }
    }

    async fn emit(&mut self, r: TokenResult) {
        self.summary.record(&r);
        let _ = self.events.send(BatchEvent::Result(r)).await;
    }

    /// Starts pushes while a connection has room: due retries first, then new input.
    async fn fill(&mut self, inputs: &mut impl Iterator<Item = BatchInput>) {
        loop {
            self.check_stop();
            if self.stop.is_some() {
                return;
            }
            let now = Instant::now();
            let due = self
                .retry
                .front()
                .is_some_and(|p| p.not_before.is_none_or(|t| t <= now));
            if !due && (self.input_done || self.retry.len() >= self.options.max_in_flight) {
                return;
            }
            let Some(s) = self.slot_with_room().await else {
                return;
            };
            let pending = if due {
                self.retry.pop_front()
            } else {
                match inputs.next() {
                    Some(BatchInput::Push(item)) => {
                        let index = self.next_index;
                        self.next_index += 1;
                        Some(Pending::new(index, item))
                    }
                    Some(BatchInput::Invalid(bad)) => {
                        let index = self.next_index;
                        self.next_index += 1;
                        self.emit(invalid_result(index, bad)).await;
                        None
                    }
                    None => {
                        self.input_done = true;
                        None
                    }
                }
            };
            let Some(mut pending) = pending else { continue };
            let slot = &mut self.slots[s];
            let Some(conn) = slot.conn.clone() else {
                self.retry.push_front(pending);
                continue;
            };
            pending.attempts += 1;
            slot.in_flight += 1;
            let generation = slot.generation;
            self.next_slot = (s + 1) % self.slots.len();
            self.flights.push(Box::pin(async move {
                let r = conn.send(&pending.item.notification).await;
                (s, generation, pending, r)
            }));
        }
    }

    /// A slot whose connection has room, opening a connection where one is needed; `None`
    /// when all are full or the batch has to stop.
    async fn slot_with_room(&mut self) -> Option<usize> {
        for i in 0..self.slots.len() {
            let s = (self.next_slot + i) % self.slots.len();
            if self.slots[s].conn.as_ref().is_some_and(|c| !c.is_alive()) {
                self.drop_connection(s);
            }
            if self.slots[s].conn.is_none() && !self.connect(s).await {
                if self.stop.is_some() {
                    return None;
                }
                continue;
            }
            let slot = &self.slots[s];
            let limit = slot
                .conn
                .as_ref()
                .map_or(0, |c| c.max_concurrent_streams().min(slot.cap).max(1));
            if slot.in_flight < limit {
                return Some(s);
            }
        }
        None
    }

    /// Opens the slot's connection, backing off after failures and after connections that
    /// ended before answering anything; gives up the batch after `max_reconnects` of either.
    async fn connect(&mut self, s: usize) -> bool {
        let max = self.options.max_reconnects.max(1);
        let fruitless = self.slots[s].fruitless;
        if fruitless >= max {
            self.stop = Some(Stop::NoConnection(format!(
                "the server closed {fruitless} connections in a row before answering any push"
            )));
            return false;
        }
        if fruitless > 0 {
            tokio::time::sleep(backoff(&self.options.retry, fruitless)).await;
        }
        match Connection::open(self.target, self.auth, self.options.connect_timeout).await {
            Ok(mut c) => {
                c.request_timeout = self.options.request_timeout;
                let slot = &mut self.slots[s];
                slot.conn = Some(Arc::new(c));
                slot.generation += 1;
                slot.in_flight = 0;
                slot.answered = 0;
                slot.failures = 0;
                slot.cap = self.options.max_in_flight.max(1);
                self.summary.connections_opened += 1;
                true
            }
            Err(e) => {
                let slot = &mut self.slots[s];
                slot.failures += 1;
                let failures = slot.failures;
                let _ = self
                    .events
                    .send(BatchEvent::ConnectFailed(e.to_string()))
                    .await;
                if failures >= max {
                    self.stop = Some(Stop::NoConnection(e.to_string()));
                } else {
                    tokio::time::sleep(backoff(&self.options.retry, failures)).await;
                }
                false
            }
        }
    }

    /// Forgets the slot's connection; pushes still in flight on it finish on their own.
    fn drop_connection(&mut self, s: usize) {
        let slot = &mut self.slots[s];
        if slot.conn.take().is_some() {
            if slot.answered == 0 {
                slot.fruitless += 1;
            } else {
                slot.fruitless = 0;
            }
        }
        slot.in_flight = 0;
    }

    /// Takes one answer (or the lack of one) to its final result or back into the queue.
    async fn settle(&mut self, (s, generation, pending, result): Flight) {
        let current = self.slots[s].generation == generation;
        if current {
            self.slots[s].in_flight = self.slots[s].in_flight.saturating_sub(1);
        }
        let stopping = self.stop.is_some() || self.cancel.is_cancelled();
        match result {
            Ok(resp) => {
                if current {
                    let slot = &mut self.slots[s];
                    slot.answered += 1;
                    slot.fruitless = 0;
                    if slot.cap < self.options.max_in_flight {
                        slot.cap += 1;
                    }
                }
                let reason = resp.known_reason();
                // The status decides, as Apple documents it: a 500 is retried whatever text
                // its body holds (a 500 "Unregistered" is not a dead token), and a 200 never
                // is. The one 429 not to retry is the provider-token one: resending with the
                // same token makes it worse.
                let retryable = matches!(resp.status, 429 | 500 | 503)
                    && reason != Some(Reason::TooManyProviderTokenUpdates);
                if retryable
                    && pending.budget_used + 1 < self.options.retry.max_attempts
                    && !stopping
                {
                    self.summary.retries += 1;
                    if reason == Some(Reason::Shutdown) && current {
                        self.drop_connection(s);
                    }
                    let delay = backoff(&self.options.retry, pending.budget_used + 1);
                    self.retry.push_back(Pending {
                        budget_used: pending.budget_used + 1,
                        not_before: Some(Instant::now() + delay),
                        ..pending
                    });
                    sort_retries(&mut self.retry);
                } else {
                    self.emit(answered(pending, resp)).await;
                }
            }
            Err(e) if e.is_unprocessed() => {
                if current && e.ends_connection() {
                    self.drop_connection(s);
                }
                if let SendError::NotProcessed {
                    cause: Unprocessed::RefusedStream,
                    ..
                } = e
                    && current
                {
                    // The server wants fewer in flight: follow it down.
                    let slot = &mut self.slots[s];
                    slot.cap = slot.in_flight.max(1);
                }
                if pending.unprocessed + 1 >= MAX_UNPROCESSED_SENDS {
                    let why = format!(
                        "the server turned it away {MAX_UNPROCESSED_SENDS} times without processing it ({e})"
                    );
                    self.emit(no_answer(pending, Outcome::NotSent, why)).await;
                    return;
                }
                // Safe to send again, whatever happens next: a stop makes it "not sent".
                self.summary.resent_unprocessed += 1;
                self.retry.push_front(Pending {
                    unprocessed: pending.unprocessed + 1,
                    not_before: None,
                    ..pending
                });
            }
            Err(e) if e.is_unconfirmed() => {
                if current && e.ends_connection() {
                    self.drop_connection(s);
                }
                if self.options.resend_unconfirmed
                    && pending.budget_used + 1 < self.options.retry.max_attempts
                    && !stopping
                {
                    self.summary.resent_unconfirmed += 1;
                    self.retry.push_front(Pending {
                        budget_used: pending.budget_used + 1,
                        not_before: None,
                        ..pending
                    });
                } else {
                    let r = no_answer(pending, Outcome::Unconfirmed, e.to_string());
                    self.emit(r).await;
                }
            }
            Err(e) => {
                let r = no_answer(pending, Outcome::NotSent, e.to_string());
                self.emit(r).await;
            }
        }
    }

    /// After a stop: everything queued or not yet read is "not sent", with why.
    async fn drain_unsent(&mut self, inputs: &mut impl Iterator<Item = BatchInput>) {
        let why = self.stop.as_ref().map_or_else(String::new, Stop::explain);
        while let Some(p) = self.retry.pop_front() {
            let r = no_answer(p, Outcome::NotSent, why.clone());
            self.emit(r).await;
        }
        for input in inputs.by_ref() {
            let index = self.next_index;
            self.next_index += 1;
            let r = match input {
                BatchInput::Push(item) => {
                    no_answer(Pending::new(index, item), Outcome::NotSent, why.clone())
                }
                BatchInput::Invalid(bad) => invalid_result(index, bad),
            };
            self.emit(r).await;
        }
    }
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
        line: p.item.line,
        token: ResultToken::Device(p.item.notification.token.clone()),
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

fn no_answer(p: Pending, outcome: Outcome, error: String) -> TokenResult {
    TokenResult {
        index: p.index,
        line: p.item.line,
        token: ResultToken::Device(p.item.notification.token.clone()),
        name: p.item.name,
        outcome,
        status: None,
        reason: None,
        apns_id: None,
        apns_unique_id: None,
        timestamp: None,
        latency_ms: None,
        attempts: p.attempts,
        error: Some(error),
    }
}

fn invalid_result(index: u64, bad: InvalidInput) -> TokenResult {
    TokenResult {
        index,
        line: bad.line,
        token: ResultToken::Unparsed(bad.text),
        name: None,
        outcome: Outcome::InvalidInput,
        status: None,
        reason: None,
        apns_id: None,
        apns_unique_id: None,
        timestamp: None,
        latency_ms: None,
        attempts: 0,
        error: Some(bad.reason),
    }
}
