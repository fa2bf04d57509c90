//! Many pushes, each with exactly one final result: multiplexed over one or more connections
//! up to the server's stream limit, streamed so memory does not grow with the token list.
//!
//! What is sent again, and why (RFC 9113 §8.7):
//! - a push the server provably did not process (REFUSED_STREAM, above the last-stream-id of
//!   its GOAWAY, never written) goes out again, on a new connection if the old one is going
//!   away, until it gets an answer or the batch is cancelled or out of time; this does not use
//!   up its attempts;
//! - a 429, 500 or 503 answer is retried with back-off, up to `retry.max_attempts`;
//! - a push that was written and got no answer is [`Outcome::Unconfirmed`] and is not sent
//!   again unless `resend_unconfirmed` is set (then it uses up attempts): the server may have
//!   processed it, and a duplicate on the phone is the user's call.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

mod engine;
mod journal;
mod results;

pub use journal::{BatchJournal, Earlier, JournalError, JournalHeader, JournalState};

use super::outcome::{BatchSummary, Outcome, TokenResult};
use super::{ClientAuth, Target};
use crate::apns::Notification;

/// One push of a batch, with an optional name ("Alice's iPhone") for reports.
#[derive(Debug, Clone)]
pub struct BatchItem {
    /// The push.
    pub notification: Notification,
    /// A name for people ("Alice's iPhone"), for reports.
    pub name: Option<String>,
    /// The input line it came from (1-based), for reports.
    pub line: Option<u64>,
}

impl BatchItem {
    /// An item for this push, with no name or line.
    pub fn new(notification: Notification) -> Self {
        BatchItem {
            notification,
            name: None,
            line: None,
        }
    }
}

/// An input entry that could not become a push; it gets an [`Outcome::InvalidInput`] result
/// in its place, so every input line has exactly one result.
#[derive(Debug, Clone)]
pub struct InvalidInput {
    /// The input line it came from (1-based), for reports.
    pub line: Option<u64>,
    /// The text that was given (a token that does not parse, say).
    pub text: String,
    /// Why it could not become a push.
    pub reason: String,
}

/// One entry of a batch's input.
#[derive(Debug, Clone)]
pub enum BatchInput {
    /// An entry to send.
    Push(BatchItem),
    /// An entry that could not become a push.
    Invalid(InvalidInput),
    /// An entry an earlier, interrupted run of the same batch settled for good (delivered,
    /// rejected, invalid): it keeps its place (index) and gets no result now.
    Skip,
    /// An entry whose result an earlier run knows and that must not be sent again (it may
    /// have reached APNs: unconfirmed), or that the user still needs (a dead token): reported
    /// again as it is, with its index, and never sent.
    Known(Box<TokenResult>),
}

impl From<BatchItem> for BatchInput {
    fn from(item: BatchItem) -> Self {
        BatchInput::Push(item)
    }
}

impl From<InvalidInput> for BatchInput {
    fn from(invalid: InvalidInput) -> Self {
        BatchInput::Invalid(invalid)
    }
}

/// Retry rules for answers that ask for a retry (429, 500, 503).
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per push, the first included.
    pub max_attempts: u32,
    /// First back-off delay; doubles each retry up to `max_delay`.
    pub base_delay: Duration,
    /// Longest back-off delay.
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

/// The most connections `auto` opens unless told a number (`--connections auto`, the app's
/// "Add as needed" ticked while one connection is set): past a handful, a batch on one
/// machine is held back by its CPU rather than the round trip, and Apple asks senders not to
/// open connections by the dozen.
pub const AUTO_MAX_CONNECTIONS: usize = 8;

/// How to send.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Connections to open (Apple suggests spreading load over several), all at once; with
    /// `auto_connections`, the most to open.
    pub connections: usize,
    /// Start with one connection and add one while every connection is full and answers do
    /// not queue (the round trip is the limit), up to `connections`.
    pub auto_connections: bool,
    /// Most pushes in flight per connection (the server's limit applies too).
    pub max_in_flight: usize,
    /// Retry rules for 429, 500 and 503 answers.
    pub retry: RetryPolicy,
    /// Limit for each step of opening a connection (DNS, TCP, TLS, HTTP/2), 10 s by default.
    pub connect_timeout: Duration,
    /// How long a push waits for its answer before it is [`Outcome::Unconfirmed`] (30 s by
    /// default).
    pub request_timeout: Duration,
    /// Give up after this many failed connection attempts in a row, or this many connections
    /// in a row that the server closed before answering any push.
    pub max_reconnects: u32,
    /// Send unconfirmed pushes again (at-least-once: a duplicate rather than a loss). Uses up
    /// attempts like a retry.
    pub resend_unconfirmed: bool,
    /// Stop sending after this long: what has not gone out is [`Outcome::NotSent`]; answers
    /// already in flight are still awaited (up to `request_timeout`).
    pub deadline: Option<Duration>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            connections: 1,
            auto_connections: false,
            max_in_flight: 1000,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_reconnects: 5,
            resend_unconfirmed: false,
            deadline: None,
        }
    }
}

/// What a batch reports while it runs.
#[derive(Debug, Clone)]
pub enum BatchEvent {
    /// A connection could not be opened (it is retried).
    ConnectFailed(String),
    /// The final result of one push or input entry.
    Result(TokenResult),
    /// Counts so far.
    Progress {
        /// Results so far.
        done: u64,
        /// Known once the input is exhausted, or given up front.
        total: Option<u64>,
        /// Results [`Outcome::Delivered`] so far.
        delivered: u64,
        /// Results [`Outcome::Rejected`] so far.
        rejected: u64,
        /// Results per second since the batch started.
        per_second: f64,
        /// Seconds still to go at the current rate, once the total is known.
        eta_seconds: Option<f64>,
    },
}

/// Stops a running batch: [`cancel`](Self::cancel) lets pushes already in flight get their
/// answer; [`abort`](Self::abort) (a second Ctrl-C) stops at once, and those pushes end
/// [`Outcome::Unconfirmed`] (they may have reached the server).
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<Cancel>);

#[derive(Debug, Default)]
struct Cancel {
    cancelled: AtomicBool,
    aborted: AtomicBool,
    /// Wakes a batch waiting for answers when it is aborted.
    wake: Notify,
}

impl CancelFlag {
    /// Stops sending new pushes; those in flight still get their answer.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }
    /// Whether [`cancel`](Self::cancel) (or [`abort`](Self::abort)) was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }
    /// Stops at once, without waiting for answers in flight.
    pub fn abort(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
        self.0.aborted.store(true, Ordering::SeqCst);
        self.0.wake.notify_waiters();
    }
    /// Whether [`abort`](Self::abort) was called.
    pub fn is_aborted(&self) -> bool {
        self.0.aborted.load(Ordering::SeqCst)
    }
    /// Returns once [`abort`](Self::abort) was called.
    pub async fn aborted(&self) {
        loop {
            let woken = self.0.wake.notified();
            if self.is_aborted() {
                return;
            }
            woken.await;
        }
    }
}

/// Sends every entry of `inputs` and reports each result through `events` (which also gets
/// progress every 200 ms). Returns the summary once every entry has its final result.
pub async fn send_batch(
    target: &Target,
    auth: &ClientAuth,
    inputs: impl IntoIterator<Item = impl Into<BatchInput>>,
    expected_total: Option<u64>,
    options: &BatchOptions,
    events: mpsc::Sender<BatchEvent>,
    cancel: CancelFlag,
) -> BatchSummary {
    send_batch_journaled(
        target,
        auth,
        inputs,
        expected_total,
        options,
        events,
        cancel,
        None,
    )
    .await
}

/// [`send_batch`] that keeps a journal: each push is recorded as being sent before any of it
/// is written to a connection, and each final result after, so an interrupted batch can be
/// resumed without sending a push twice ([`JournalState`]). A journal that cannot be written
/// stops the batch: nothing goes out that the journal does not know of.
#[allow(clippy::too_many_arguments)]
pub async fn send_batch_journaled(
    target: &Target,
    auth: &ClientAuth,
    inputs: impl IntoIterator<Item = impl Into<BatchInput>>,
    expected_total: Option<u64>,
    options: &BatchOptions,
    events: mpsc::Sender<BatchEvent>,
    cancel: CancelFlag,
    journal: Option<&mut BatchJournal>,
) -> BatchSummary {
    engine::run(
        engine::Setup {
            target,
            auth,
            expected_total,
            options,
            events,
            cancel,
            journal,
        },
        inputs.into_iter().map(Into::into),
    )
    .await
}
