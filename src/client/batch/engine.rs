//! The batch engine: slots of connections, the queue of pushes to send again, and the rules
//! that take each answer (or the lack of one) to a final result. The slots' connections are in
//! `slots.rs`, `--connections auto` in `grow.rs`, answers to results in `settle.rs`.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use tokio::sync::mpsc;

use super::results::{
    InFlight, InFlightMap, Pending, in_flight_result, invalid_result, no_answer, progress,
};
use super::{
    BatchEvent, BatchInput, BatchJournal, BatchOptions, BatchSummary, CancelFlag, Outcome,
    TokenResult,
};
use crate::client::{ClientAuth, ConnectError, Connection, PushResponse, SendError, Target};

/// A connection of a slot, numbered so answers from a connection the slot has since replaced
/// are not counted against the new one.
struct Slot {
    /// Shared with the pushes in flight on it (a clone per push would copy the credential).
    conn: Option<Arc<Connection>>,
    /// A connection is being opened for it.
    opening: bool,
    /// Why the slot gave up (`max_reconnects` failures, or connections that all ended before
    /// any answer); the batch goes on over the other slots and stops when all gave up.
    retired: Option<String>,
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

/// Answers settled in a row before the freed streams are filled again (see
/// [`Run::settle_ready`]). Each costs a few microseconds, so the first new push waits well
/// under a millisecond, and the journal's record of pushes being sent is one write per this
/// many pushes rather than one per push.
const SETTLE_AT_ONCE: usize = 64;

/// A slot's connection being opened: the slot, and the connection or why not.
type Opening = (usize, Result<Connection, ConnectError>);

use crate::client::outcome::{BatchStop as Stop, ResultError};

/// Where and how a batch runs (the arguments of [`send_batch_journaled`](super::send_batch_journaled)).
pub(super) struct Setup<'a> {
    pub target: &'a Target,
    pub auth: &'a ClientAuth,
    pub expected_total: Option<u64>,
    pub options: &'a BatchOptions,
    pub events: mpsc::Sender<BatchEvent>,
    pub cancel: CancelFlag,
    pub journal: Option<&'a mut BatchJournal>,
}

mod grow;
mod settle;
mod slots;

struct Run<'a> {
    target: &'a Target,
    auth: &'a ClientAuth,
    options: &'a BatchOptions,
    events: mpsc::Sender<BatchEvent>,
    cancel: CancelFlag,
    journal: Option<&'a mut BatchJournal>,
    /// Pushes in flight by index: kept only while a journal or an abort may need them.
    in_flight: InFlightMap,
    started: Instant,
    summary: BatchSummary,
    slots: Vec<Slot>,
    retry: VecDeque<Pending>,
    /// Pushes waiting for their answer, polled by the batch's own task: one boxed future per
    /// push rather than a spawned task, which saved the scheduler's bookkeeping and a wake-up
    /// across tasks per push.
    flights: FuturesUnordered<Pin<Box<dyn Future<Output = Flight> + Send>>>,
    /// Connections being opened, all at once and polled beside the pushes: sending starts on
    /// the first that is ready, and one that fails or hangs holds up no other.
    openings: FuturesUnordered<Pin<Box<dyn Future<Output = Opening> + Send + 'a>>>,
    /// With `--connections auto`: how many slots may be used now, and the rule that adds one.
    grow: Option<grow::Grow>,
    next_slot: usize,
    next_index: u64,
    input_done: bool,
    stop: Option<Stop>,
    /// Streams refused in a row over the batch, with no push answered since.
    refused_in_a_row: u64,
}

/// The body of [`send_batch`](super::send_batch).
pub(super) async fn run(
    setup: Setup<'_>,
    mut inputs: impl Iterator<Item = BatchInput>,
) -> BatchSummary {
    let expected_total = setup.expected_total;
    // The TLS context (the credential's key and the trust store, read and parsed) is built
    // before the batch's clock starts, as other clients build theirs before they send: the
    // rate and the deadline measure the sending. With `SSL_CERT_FILE` set, reading the
    // system's bundle took 30-50 ms, 1-2 % of a 50,000-push batch at 50 ms a round trip. An
    // error is left to the first connection, which reports it in its own words.
    let _ = crate::client::tls_context::connector(setup.target, setup.auth);
    let mut run = Run::new(setup);
    let mut last_progress = Instant::now();
    loop {
        run.check_stop();
        run.start_openings();
        run.fill(&mut inputs).await;
        if run.cancel.is_aborted() {
            run.abandon_in_flight().await;
            run.drain_unsent(&mut inputs).await;
            break;
        }
        if run.flights.is_empty() {
            if run.stop.is_some() {
                run.drain_unsent(&mut inputs).await;
                break;
            }
            if run.retry.is_empty() && run.input_done {
                break;
            }
        }
        let wake = run.wake_at();
        if run.flights.is_empty() && run.openings.is_empty() && wake.is_none() {
            // Nothing can happen any more: no push in flight, no connection opening, no retry
            // waiting. Only slots that gave up are left; say so rather than wait forever.
            run.stop_without_connections();
            continue;
        }
        let cancel = run.cancel.clone();
        tokio::select! {
            Some(flight) = run.flights.next(), if !run.flights.is_empty() => {
                run.settle(flight).await;
                run.settle_ready().await;
            }
            Some(opened) = run.openings.next(), if !run.openings.is_empty() => {
                run.opened(opened).await;
            }
            () = cancel.aborted() => {}
            _ = async { match wake { Some(t) => tokio::time::sleep_until(t.into()).await, None => std::future::pending().await } } => {}
        }
        if let Some(g) = run.grow.as_mut() {
            g.tick();
        }
        if last_progress.elapsed() >= Duration::from_millis(200) {
            last_progress = Instant::now();
            run.report_progress(expected_total);
        }
    }
    run.finish().await
}

impl<'a> Run<'a> {
    fn new(setup: Setup<'a>) -> Self {
        let Setup {
            target,
            auth,
            expected_total: _,
            options,
            events,
            cancel,
            journal,
        } = setup;
        Run {
            target,
            auth,
            options,
            events,
            cancel,
            journal,
            in_flight: InFlightMap::default(),
            started: Instant::now(),
            summary: BatchSummary::default(),
            slots: (0..options.connections.max(1))
                .map(|_| Slot {
                    conn: None,
                    opening: false,
                    retired: None,
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
            openings: FuturesUnordered::new(),
            grow: options
                .auto_connections
                .then(|| grow::Grow::new(options.connections.max(1))),
            next_slot: 0,
            next_index: 0,
            input_done: false,
            stop: None,
            refused_in_a_row: 0,
        }
    }

    /// A progress event; the total is known once the input has ended, when the caller did not
    /// know it beforehand.
    fn report_progress(&self, expected_total: Option<u64>) {
        let total = expected_total.or(self
            .input_done
            .then_some(self.summary.total + self.retry.len() as u64 + self.flights.len() as u64));
        let _ = self
            .events
            .try_send(progress(&self.summary, self.started, total));
    }

    /// The batch's summary, once the journal has said all it will.
    async fn finish(mut self) -> BatchSummary {
        if let Some(journal) = self.journal.as_deref_mut() {
            // Whatever it says now is all it will say; an error here loses no push (each was
            // recorded as being sent before it went), only results a resume will call
            // unconfirmed.
            let _ = journal.flush(true);
        }
        let mut summary = std::mem::take(&mut self.summary);
        // A stop that came once everything had gone out stopped nothing.
        summary.stopped = self
            .stop
            .take()
            .filter(|_| summary.not_sent > 0 || self.cancel.is_aborted());
        summary.seconds = self.started.elapsed().as_secs_f64();
        summary.per_second = if summary.seconds > 0.0 {
            summary.sent() as f64 / summary.seconds
        } else {
            0.0
        };
        let _ = self
            .events
            .send(progress(&summary, self.started, Some(summary.total)))
            .await;
        summary
    }
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
        self.in_flight.remove(&r.index);
        if let Some(journal) = self.journal.as_deref_mut() {
            journal.result(&r);
        }
        self.report(r).await;
    }

    /// Settles the answers that are already in, up to [`SETTLE_AT_ONCE`], before the next
    /// fill: the pushes that replace them are then recorded in the journal with one write,
    /// not one each, and the loop's bookkeeping (timers, stop checks) runs once for the lot.
    /// Bounded so a stream of answers never holds back the pushes that replace them.
    async fn settle_ready(&mut self) {
        for _ in 1..SETTLE_AT_ONCE {
            let ready = std::future::poll_fn(|cx| {
                std::task::Poll::Ready(match self.flights.poll_next_unpin(cx) {
                    std::task::Poll::Ready(flight) => flight,
                    std::task::Poll::Pending => None,
                })
            })
            .await;
            let Some(flight) = ready else { return };
            self.settle(flight).await;
        }
    }

    /// Counts and passes on a result without journaling it (one the journal already has).
    async fn report(&mut self, r: TokenResult) {
        self.summary.record(&r);
        let _ = self.events.send(BatchEvent::Result(r)).await;
    }

    /// Starts pushes while a connection has room: due retries first, then new input. With a
    /// journal, the pushes started here are recorded as being sent (and the record written
    /// out) before any of them is polled, that is before any byte of them reaches a
    /// connection.
    async fn fill(&mut self, inputs: &mut impl Iterator<Item = BatchInput>) {
        let mut started: Vec<Pin<Box<dyn Future<Output = Flight> + Send>>> = Vec::new();
        self.fill_into(inputs, &mut started).await;
        let Some(journal) = self.journal.as_deref_mut() else {
            self.flights.extend(started);
            return;
        };
        match journal.flush(false) {
            Ok(()) => self.flights.extend(started),
            Err(e) => {
                // None of them was polled, so none was written: all are safely not sent.
                drop(started);
                self.stop.get_or_insert(Stop::Journal(e.to_string()));
                let why = ResultError::Stopped(Stop::Journal(e.to_string()));
                let indexes: Vec<u64> = journal.take_unflushed_intents();
                for index in indexes {
                    if let Some(f) = self.in_flight.remove(&index) {
                        let r = in_flight_result(index, f, Outcome::NotSent, why.clone());
                        self.report(r).await;
                    }
                }
            }
        }
    }

    async fn fill_into(
        &mut self,
        inputs: &mut impl Iterator<Item = BatchInput>,
        started: &mut Vec<Pin<Box<dyn Future<Output = Flight> + Send>>>,
    ) {
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
            let Some(s) = self.slot_with_room() else {
                if self.all_open()
                    && let Some(g) = self.grow.as_mut()
                {
                    // Every connection full with pushes waiting: the signal to add one.
                    g.saturated();
                }
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
                    Some(BatchInput::Skip) => {
                        self.next_index += 1;
                        None
                    }
                    Some(BatchInput::Known(known)) => {
                        self.next_index += 1;
                        self.report(*known).await;
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
            self.next_slot = (s + 1) % self.usable();
            if let Some(journal) = self.journal.as_deref_mut() {
                journal.sending(pending.index);
            }
            self.in_flight.insert(
                pending.index,
                InFlight {
                    item_token: pending.item.notification.token.clone(),
                    line: pending.item.line,
                    name: pending.item.name.clone(),
                    attempts: pending.attempts,
                },
            );
            started.push(Box::pin(async move {
                let r = conn.send(&pending.item.notification).await;
                (s, generation, pending, r)
            }));
        }
    }

    /// Stopped at once: pushes still waiting for their answer are unconfirmed (they may have
    /// reached the server), and their streams are dropped unanswered.
    async fn abandon_in_flight(&mut self) {
        self.flights = FuturesUnordered::new();
        let mut waiting: Vec<(u64, InFlight)> = self.in_flight.drain().collect();
        waiting.sort_by_key(|(index, _)| *index);
        for (index, f) in waiting {
            let r = in_flight_result(index, f, Outcome::Unconfirmed, ResultError::StoppedInFlight);
            self.emit(r).await;
        }
        self.stop.get_or_insert(Stop::Cancelled);
    }

    /// After a stop: everything queued or not yet read is "not sent", with why.
    async fn drain_unsent(&mut self, inputs: &mut impl Iterator<Item = BatchInput>) {
        let why = ResultError::Stopped(self.stop.clone().unwrap_or(Stop::Cancelled));
        while let Some(p) = self.retry.pop_front() {
            let r = no_answer(p, Outcome::NotSent, why.clone());
            self.emit(r).await;
        }
        for input in inputs.by_ref() {
            let index = self.next_index;
            self.next_index += 1;
            // Never read before: the journal needs no word on them (nothing recorded is "send
            // it"), which keeps it small when a long list is cancelled early.
            let r = match input {
                BatchInput::Push(item) => {
                    no_answer(Pending::new(index, item), Outcome::NotSent, why.clone())
                }
                BatchInput::Invalid(bad) => invalid_result(index, bad),
                BatchInput::Skip => continue,
                BatchInput::Known(known) => *known,
            };
            self.report(r).await;
        }
    }
}
