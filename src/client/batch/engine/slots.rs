//! The slots' connections: opened all at once (each after its own back-off), used as soon as
//! each is ready, dropped when they end, and given up one slot at a time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Opening, Run, Stop};
use crate::client::Connection;
use crate::client::batch::BatchEvent;
use crate::client::batch::results::backoff;

/// While a connection is being opened the batch looks up this often, so a cancel or the
/// deadline is noticed even when the server never answers the handshake.
const LOOK_UP_WHILE_OPENING: Duration = Duration::from_millis(200);

impl<'a> Run<'a> {
    /// Slots that may be used: all of them, or as many as `--connections auto` allows now.
    pub(super) fn usable(&self) -> usize {
        let all = self.slots.len();
        self.grow
            .as_ref()
            .map_or(all, |g| g.active().min(all))
            .max(1)
    }

    /// A slot whose connection is open and has room; `None` when every open one is full.
    pub(super) fn slot_with_room(&mut self) -> Option<usize> {
        let usable = self.usable();
        for i in 0..usable {
            let s = (self.next_slot + i) % usable;
            if self.slots[s].conn.as_ref().is_some_and(|c| !c.is_alive()) {
                self.drop_connection(s);
            }
            let slot = &self.slots[s];
            let Some(conn) = slot.conn.as_ref() else {
                continue;
            };
            let limit = conn.max_concurrent_streams().min(slot.cap).max(1);
            if slot.in_flight < limit {
                return Some(s);
            }
        }
        None
    }

    /// Whether every usable slot that has not given up has its connection open (and all were
    /// full): then the round trip, not connecting, is what holds the batch back.
    pub(super) fn all_open(&self) -> bool {
        self.slots[..self.usable()]
            .iter()
            .all(|s| s.retired.is_some() || s.conn.is_some())
    }

    /// Starts opening a connection for every usable slot that has none, while there is work
    /// left. Each waits out its own back-off first; none waits for another.
    pub(super) fn start_openings(&mut self) {
        if self.stop.is_some() || (self.input_done && self.retry.is_empty()) {
            return;
        }
        let max = self.options.max_reconnects.max(1);
        for s in 0..self.usable() {
            if self.slots[s].conn.as_ref().is_some_and(|c| !c.is_alive()) {
                self.drop_connection(s);
            }
            let slot = &mut self.slots[s];
            if slot.conn.is_some() || slot.opening || slot.retired.is_some() {
                continue;
            }
            if slot.fruitless >= max {
                slot.retired = Some(format!(
                    "the server closed {} connections in a row before answering any push",
                    slot.fruitless
                ));
                continue;
            }
            let after = slot.failures.max(slot.fruitless);
            let delay = (after > 0).then(|| backoff(&self.options.retry, after));
            slot.opening = true;
            let (target, auth, timeout) = (self.target, self.auth, self.options.connect_timeout);
            self.openings.push(Box::pin(async move {
                if let Some(d) = delay {
                    tokio::time::sleep(d).await;
                }
                (s, Connection::open(target, auth, timeout).await)
            }));
        }
        if self.slots[..self.usable()]
            .iter()
            .all(|s| s.retired.is_some())
        {
            self.stop_without_connections();
        }
    }

    /// Takes a connection that opened into its slot, or counts the failure (the slot tries
    /// again after a back-off, and gives up after `max_reconnects` in a row).
    pub(super) async fn opened(&mut self, (s, result): Opening) {
        let max = self.options.max_reconnects.max(1);
        let slot = &mut self.slots[s];
        slot.opening = false;
        match result {
            Ok(mut c) => {
                c.request_timeout = self.options.request_timeout;
                slot.conn = Some(Arc::new(c));
                slot.generation += 1;
                slot.in_flight = 0;
                slot.answered = 0;
                slot.failures = 0;
                slot.cap = self.options.max_in_flight.max(1);
                self.summary.connections_opened += 1;
            }
            Err(e) => {
                slot.failures += 1;
                if slot.failures >= max {
                    slot.retired = Some(e.to_string());
                }
                let _ = self
                    .events
                    .send(BatchEvent::ConnectFailed(e.to_string()))
                    .await;
            }
        }
    }

    /// Forgets the slot's connection; pushes still in flight on it finish on their own.
    pub(super) fn drop_connection(&mut self, s: usize) {
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

    /// When to look up again with nothing else to wake the batch: the first delayed retry
    /// that is not yet due, the deadline, and every so often while a connection is opening.
    pub(super) fn wake_at(&self) -> Option<Instant> {
        let now = Instant::now();
        let mut wake = self
            .retry
            .front()
            .and_then(|p| p.not_before)
            .map(|t| self.clamp_to_deadline(t))
            // A retry that is already due waits for room, which an answer or an opened
            // connection makes: waking for it now would only spin.
            .filter(|t| *t > now || (self.flights.is_empty() && self.openings.is_empty()));
        let mut earliest = |t: Instant| wake = Some(wake.map_or(t, |w| w.min(t)));
        if !self.openings.is_empty() {
            earliest(now + LOOK_UP_WHILE_OPENING);
        }
        if self.stop.is_none()
            && let Some(d) = self.options.deadline
        {
            earliest(self.started + d);
        }
        // Answers the journal holds in memory go to disk in time even if nothing else
        // happens: a batch killed while it waits must not lose what it learned.
        if let Some(t) = self
            .journal
            .as_deref()
            .and_then(super::BatchJournal::flush_due)
        {
            earliest(t);
        }
        wake
    }

    /// Every usable slot gave up: the batch stops, with the last reason.
    pub(super) fn stop_without_connections(&mut self) {
        if self.stop.is_some() {
            return;
        }
        let why = self.slots[..self.usable()]
            .iter()
            .rev()
            .find_map(|s| s.retired.clone())
            .unwrap_or_else(|| "no connection could be opened".to_owned());
        self.stop = Some(Stop::NoConnection(why));
    }
}
