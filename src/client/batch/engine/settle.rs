//! How each answer, or the lack of one, becomes a final result or goes back into the queue.

use std::time::Instant;

use super::{Flight, Run, Stop};
use crate::apns::Reason;
use crate::client::batch::Outcome;
use crate::client::batch::results::{
    Pending, answered, backoff, no_answer, refused_backoff, sort_retries,
};
use crate::client::outcome::ResultError;
use crate::client::{SendError, Unprocessed};

/// A push turned away unprocessed this often (a server that refuses every stream but keeps
/// the connection up) ends "not sent" rather than looping forever.
const MAX_UNPROCESSED_SENDS: u32 = 1000;

/// Refusals (REFUSED_STREAM) one push takes before it ends "not sent". A server at its
/// stream limit refuses some pushes many times while it answers others (that is not a reason
/// to give up: the batch-wide budget below is), so this only bounds one push the server will
/// never take: each refusal is followed by a back-off (`refused_backoff`, up to 250 ms), so
/// about 25 s.
const MAX_REFUSALS_PER_PUSH: u32 = 100;

/// Refusals in a row, over the whole batch, with no push answered in between, after which the
/// batch stops (what is left is "not sent"): a server that refuses every stream is not
/// busy, it is not taking pushes. At least this many, and twice the streams the batch may
/// have open at once (a burst at a connection's start, before the server's limit is known).
const MIN_REFUSED_IN_A_ROW: u64 = 200;

impl Run<'_> {
    /// Takes one answer (or the lack of one) to its final result or back into the queue.
    pub(super) async fn settle(&mut self, (s, generation, pending, result): Flight) {
        // Back in the engine's hands: a result or the queue, never both.
        self.in_flight.remove(&pending.index);
        let current = self.slots[s].generation == generation;
        if current {
            self.slots[s].in_flight = self.slots[s].in_flight.saturating_sub(1);
        }
        let stopping = self.stop.is_some() || self.cancel.is_cancelled();
        match result {
            Ok(resp) => {
                self.settle_answered(s, current, stopping, pending, resp)
                    .await
            }
            Err(e) if e.is_unprocessed() => self.settle_unprocessed(s, current, pending, e).await,
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
                    let r = no_answer(pending, Outcome::Unconfirmed, ResultError::Send(e));
                    self.emit(r).await;
                }
            }
            Err(e) => {
                let r = no_answer(pending, Outcome::NotSent, ResultError::Send(e));
                self.emit(r).await;
            }
        }
    }

    /// An answer from the server: final, or retried when Apple says to try again.
    async fn settle_answered(
        &mut self,
        s: usize,
        current: bool,
        stopping: bool,
        pending: Pending,
        resp: crate::client::PushResponse,
    ) {
        self.refused_in_a_row = 0;
        if let Some(g) = self.grow.as_mut() {
            g.answered(resp.latency_ms);
        }
        if current {
            let slot = &mut self.slots[s];
            slot.answered += 1;
            slot.fruitless = 0;
            if slot.cap < self.options.max_in_flight {
                slot.cap += 1;
            }
        }
        let reason = resp.known_reason();
        // The status decides, as Apple documents it: a 500 is retried whatever text its body
        // holds (a 500 "Unregistered" is not a dead token), and a 200 never is. The one 429
        // not to retry is the provider-token one: resending with the same token makes it worse.
        let retryable = matches!(resp.status, 429 | 500 | 503)
            && reason != Some(Reason::TooManyProviderTokenUpdates);
        if retryable && pending.budget_used + 1 < self.options.retry.max_attempts && !stopping {
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

    /// A push the server provably did not process: sent again (a refused one after a
    /// back-off), unless it or the batch has been turned away too often.
    async fn settle_unprocessed(
        &mut self,
        s: usize,
        current: bool,
        pending: Pending,
        e: SendError,
    ) {
        if current && e.ends_connection() {
            self.drop_connection(s);
        }
        let refused = matches!(
            e,
            SendError::NotProcessed {
                cause: Unprocessed::RefusedStream,
                ..
            }
        );
        if refused && current {
            // The server wants fewer in flight: follow it down.
            let slot = &mut self.slots[s];
            slot.cap = slot.in_flight.max(1);
        }
        if refused {
            self.refused_in_a_row += 1;
            let budget = MIN_REFUSED_IN_A_ROW
                .max(2 * (self.options.max_in_flight.max(1) * self.slots.len()) as u64);
            if self.refused_in_a_row >= budget && self.stop.is_none() {
                self.stop = Some(Stop::Refused(self.refused_in_a_row));
            }
        }
        let refusals = pending.refusals + u32::from(refused);
        let why = if pending.unprocessed + 1 >= MAX_UNPROCESSED_SENDS {
            Some(ResultError::TurnedAway {
                times: MAX_UNPROCESSED_SENDS,
                last: e,
            })
        } else if refusals >= MAX_REFUSALS_PER_PUSH {
            Some(ResultError::Refused {
                times: refusals,
                last: e,
            })
        } else if let Some(stop @ Stop::Refused(_)) = &self.stop {
            Some(ResultError::Stopped(stop.clone()))
        } else {
            None
        };
        if let Some(why) = why {
            self.emit(no_answer(pending, Outcome::NotSent, why)).await;
            return;
        }
        // Safe to send again, whatever happens next: a stop makes it "not sent". A refused one
        // waits first (it would meet the same limit at once).
        self.summary.resent_unprocessed += 1;
        let not_before = refused.then(|| Instant::now() + refused_backoff(refusals));
        self.retry.push_front(Pending {
            unprocessed: pending.unprocessed + 1,
            refusals,
            not_before,
            ..pending
        });
        if refused {
            sort_retries(&mut self.retry);
        }
    }
}
