//! A sender for the binary interface that does what the PHP loops of the old tutorials did
//! not: it watches for the error packet while it writes, resends what the gateway threw away,
//! and counts a notification as accepted only when the gateway has confirmed it.
//!
//! On the binary interface a gateway answers only bad notifications: a 6-byte packet naming
//! the identifier of the first one it refused, after which it closes the connection and
//! discards everything written after that one. Silence proves nothing: the packet may simply
//! not have arrived yet (a slow gateway sent it 1.5 s after the bad notification, long after a
//! sender with a short grace period had declared the whole batch delivered). So
//! [`LegacyClient::send`]:
//!
//! 1. writes the notifications in order on one TLS connection, reading at the same time;
//! 2. ends the connection's writes with an **end-of-batch marker** ([`frame::end_of_batch`]):
//!    a notification without a device token, with an identifier no real notification uses,
//!    which any gateway must refuse (status 2, *missing device token*, in Apple's table);
//! 3. waits up to [`LegacyClient::confirm_timeout`] (10 s by default) for the answer:
//!    - an error packet naming the marker proves the gateway read everything before it
//!      without objecting: all of it is [`LegacyOutcome::Accepted`];
//!    - an error packet naming a notification marks it rejected, those before it accepted,
//!      and sends those after it again on a new connection (for status 10, *shutdown*, the
//!      identifier is the last one processed, so only the later ones are resent; a shutdown
//!      packet naming no identifier written on that connection means nothing was processed,
//!      and all of it is sent again);
//!    - no packet within the timeout, or a connection that ends without one, leaves every
//!      notification written on it [`LegacyOutcome::Unconfirmed`]: **never accepted by silence**, and
//!      never resent, since the gateway may have delivered it.
//!
//! Every notification ends with exactly one [`LegacyOutcome`]; none is written again once it may
//! have been processed. Command 0 carries no identifier and Apple never answered it, so
//! neither a marker nor an error can be tied to a notification: after the writes the client
//! closes its sending side, waits (up to the confirmation timeout) for the gateway to close,
//! and reports everything written as unconfirmed. Prefer command 2 (the default) or 1.

use std::cell::Cell;
use std::collections::HashSet;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWriteExt as _};

use super::LegacyError;
use super::frame::{self, Command, ERROR_RESPONSE_LEN, ErrorResponse, Notification, Status};
use super::tls::{self, Endpoint};

/// What became of one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegacyOutcome {
    /// Confirmed by the gateway's answer to the end-of-batch marker (or by a later
    /// notification's error packet, or a shutdown packet naming it or a later one): the gateway
    /// read it and did not object. The binary interface has no other positive answer.
    Accepted,
    /// The gateway refused it with this status.
    Rejected(Status),
    /// Not sent: it breaks Apple's rules and the gateway would have answered this status.
    Invalid(Status),
    /// Written, but nothing confirmed it: the connection ended, or the confirmation timeout
    /// passed, without an error packet naming it or a later notification; or it was sent with
    /// command 0, which is never answered. The gateway may or may not have delivered it. Not
    /// resent, to avoid a duplicate push.
    Unconfirmed,
    /// Never written: the client gave up (see [`BatchReport::gave_up`]).
    NotSent,
}

/// The result of a batch: one outcome per notification, in the order given.
#[derive(Debug)]
pub struct BatchReport {
    /// One outcome per notification, in the order given.
    pub outcomes: Vec<LegacyOutcome>,
    /// TLS connections opened.
    pub connections: usize,
    /// Writes beyond the first, for notifications the gateway had discarded.
    pub resent: usize,
    /// Why the client stopped before every notification was written, if it did.
    pub gave_up: Option<LegacyError>,
    /// One sentence per connection that did not end with a confirmation: the error packet,
    /// what cut it, or why nothing could be confirmed.
    pub notes: Vec<String>,
}

impl BatchReport {
    /// How many ended accepted (confirmed by the gateway).
    pub fn accepted(&self) -> usize {
        self.count(LegacyOutcome::Accepted)
    }

    /// How many were written but never confirmed or refused.
    pub fn unconfirmed(&self) -> usize {
        self.count(LegacyOutcome::Unconfirmed)
    }

    fn count(&self, outcome: LegacyOutcome) -> usize {
        self.outcomes.iter().filter(|o| **o == outcome).count()
    }

    /// Position and outcome of every notification that did not end accepted.
    pub fn problems(&self) -> Vec<(usize, LegacyOutcome)> {
        self.outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| **o != LegacyOutcome::Accepted)
            .map(|(i, o)| (i, *o))
            .collect()
    }
}

/// Sends batches over the binary interface. One value per credential and gateway; each
/// [`send`](LegacyClient::send) uses one connection, plus one more after each error packet.
#[derive(Debug, Clone)]
pub struct LegacyClient {
    /// The gateway to connect to, with the push certificate.
    pub endpoint: Endpoint,
    /// The frame format; command 2 unless changed.
    pub command: Command,
    /// How long to wait, after the end-of-batch marker is written, for the gateway's answer
    /// (10 s by default). What is still unanswered then is [`LegacyOutcome::Unconfirmed`]. Generous
    /// on purpose: a gateway answers the marker as soon as it has read up to it, so the wait
    /// is only long when the gateway is slow or does not answer at all.
    pub confirm_timeout: Duration,
    /// Limit for writing one notification: a gateway that stops reading is given up on.
    pub write_timeout: Duration,
    /// Give up after this many connections in a row that settled no notification.
    pub max_fruitless_connections: u32,
}

/// How one connection ended.
enum End {
    Packet(ErrorResponse),
    /// Closed or failed without an error packet.
    Lost(String),
    /// Everything was written, and no packet came within the confirmation timeout.
    Silent(Duration),
    /// Command 0: everything was written; nothing can be confirmed.
    Unanswerable,
    /// The server refused our certificate (a TLS alert on the first read, TLS 1.3).
    Refused(String),
}

enum Answer {
    Packet(ErrorResponse),
    Eof,
    Garbage(String),
    Failed(std::io::Error),
}

impl LegacyClient {
    /// A client for this gateway sending command 2 frames, with 10 s confirmation and write
    /// timeouts, giving up after 3 fruitless connections in a row.
    pub fn new(endpoint: Endpoint) -> Self {
        LegacyClient {
            endpoint,
            command: Command::Framed,
            confirm_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_fruitless_connections: 3,
        }
    }

    /// Same client with another frame format.
    pub fn command(mut self, command: Command) -> Self {
        self.command = command;
        self
    }

    /// Same client with another [confirmation timeout](LegacyClient::confirm_timeout).
    pub fn confirm_timeout(mut self, timeout: Duration) -> Self {
        self.confirm_timeout = timeout;
        self
    }

    /// Sends every notification and returns one outcome for each.
    ///
    /// Fails without sending anything when two notifications share an identifier (commands 1
    /// and 2), or when the first connection cannot be made or the certificate is refused.
    /// Later connection failures end the batch early: the report says why in `gave_up` and
    /// marks the rest [`LegacyOutcome::NotSent`].
    pub async fn send(&self, notifications: &[Notification]) -> Result<BatchReport, LegacyError> {
        let (marker, frames, mut ledger) = self.prepare(notifications)?;
        let mut writes = vec![0usize; notifications.len()];
        let mut connections = 0;
        let mut fruitless = 0;
        let mut gave_up = None;
        while !ledger.queue.is_empty() {
            let settled_before = ledger.settled();
            let stream = match self.endpoint.connect().await {
                Ok(stream) => stream,
                Err(e) if connections == 0 => return Err(e),
                Err(e) => {
                    fruitless += 1;
                    if fruitless >= self.max_fruitless_connections {
                        gave_up = Some(e);
                        break;
                    }
                    continue;
                }
            };
            connections += 1;
            let (written, end) = self
                .run_connection(stream, &ledger.queue, &frames, marker.as_ref())
                .await;
            for &i in &written {
                writes[i] += 1;
            }
            let ended = self.settle_connection(
                &mut ledger,
                notifications,
                marker.as_ref(),
                (connections, &written),
                end,
            );
            if let Err(err) = ended {
                if ledger
                    .outcomes
                    .iter()
                    .all(|o| o.is_none() || matches!(o, Some(LegacyOutcome::Invalid(_))))
                {
                    return Err(err);
                }
                gave_up = Some(err);
                break;
            }
            if ledger.settled() > settled_before {
                fruitless = 0;
            } else {
                fruitless += 1;
                if fruitless >= self.max_fruitless_connections && !ledger.queue.is_empty() {
                    gave_up = Some(LegacyError::NoProgress {
                        attempts: fruitless,
                        last: ledger.notes.last().cloned().unwrap_or_else(|| {
                            "the gateway closed every connection before processing anything"
                                .to_owned()
                        }),
                    });
                    break;
                }
            }
        }
        Ok(BatchReport {
            outcomes: ledger
                .outcomes
                .into_iter()
                .map(|o| o.unwrap_or(LegacyOutcome::NotSent))
                .collect(),
            connections,
            resent: writes.iter().map(|w| w.saturating_sub(1)).sum(),
            gave_up,
            notes: ledger.notes,
        })
    }

    /// Refuses duplicate identifiers, picks the end-of-batch marker, and encodes every
    /// notification: one that cannot be sent is settled as invalid at once.
    fn prepare(&self, notifications: &[Notification]) -> Result<Prepared, LegacyError> {
        let mut used = HashSet::new();
        if self.command.carries_identifier() {
            for n in notifications {
                if !used.insert(n.identifier) {
                    return Err(LegacyError::DuplicateIdentifier {
                        identifier: n.identifier,
                    });
                }
            }
        }
        // The marker's identifier: the highest one no notification uses (there are fewer than
        // 2^32 notifications, so one is always free).
        let marker_id = (0..=u32::MAX)
            .rev()
            .find(|id| !used.contains(id))
            .unwrap_or(u32::MAX);
        let marker = frame::end_of_batch(self.command, marker_id).map(|bytes| Marker {
            identifier: marker_id,
            bytes,
        });
        let mut outcomes: Vec<Option<LegacyOutcome>> = vec![None; notifications.len()];
        let mut frames = vec![Vec::new(); notifications.len()];
        for (i, n) in notifications.iter().enumerate() {
            match frame::check(self.command, n).and_then(|()| frame::encode(self.command, n)) {
                Ok(bytes) => frames[i] = bytes,
                Err(status) => outcomes[i] = Some(LegacyOutcome::Invalid(status)),
            }
        }
        let queue: Vec<usize> = (0..notifications.len())
            .filter(|&i| outcomes[i].is_none())
            .collect();
        let ledger = Ledger {
            outcomes,
            queue,
            notes: Vec::new(),
        };
        Ok((marker, frames, ledger))
    }

    /// What one connection's end tells of the notifications `written` on it (a prefix of the
    /// queue). An error when the gateway refused the certificate.
    fn settle_connection(
        &self,
        ledger: &mut Ledger,
        notifications: &[Notification],
        marker: Option<&Marker>,
        (connection, written): (usize, &[usize]),
        end: End,
    ) -> Result<(), LegacyError> {
        match end {
            End::Packet(response)
                if marker.is_some_and(|m| m.identifier == response.identifier) =>
            {
                // The marker's answer: everything written before it was read and accepted.
                ledger.accepted(written);
            }
            End::Packet(response) => {
                ledger.notes.push(format!(
                    "connection {connection}: error packet {} for identifier {}",
                    response.status, response.identifier
                ));
                let position = if self.command.carries_identifier() {
                    written
                        .iter()
                        .position(|&i| notifications[i].identifier == response.identifier)
                } else {
                    None
                };
                match (response.status, position) {
                    (Status::Shutdown, Some(p)) => ledger.accepted(&written[..=p]),
                    // Nothing processed on this connection: send it all again.
                    (Status::Shutdown, None) => {}
                    (status, Some(p)) => {
                        ledger.accepted(&written[..p]);
                        ledger.outcomes[written[p]] = Some(LegacyOutcome::Rejected(status));
                        ledger.queue.drain(..1);
                    }
                    (_, None) => ledger.unconfirmed(written),
                }
            }
            End::Lost(reason) => {
                ledger.notes.push(format!(
                    "connection {connection}: {reason}; {} notification(s) written on it stay unconfirmed",
                    written.len()
                ));
                ledger.unconfirmed(written);
            }
            End::Silent(after) => {
                ledger.notes.push(format!(
                    "connection {connection}: no answer to the end-of-batch marker within {after:?}; {} notification(s) written on it stay unconfirmed",
                    written.len()
                ));
                ledger.unconfirmed(written);
            }
            End::Unanswerable => {
                ledger.notes.push(format!(
                    "connection {connection}: command 0 is never answered, so none of the {} notification(s) written on it can be confirmed",
                    written.len()
                ));
                ledger.unconfirmed(written);
            }
            End::Refused(detail) => {
                return Err(LegacyError::CertificateRefused {
                    host: self.endpoint.host.clone(),
                    port: self.endpoint.port,
                    detail,
                });
            }
        }
        Ok(())
    }

    /// Writes `queue` in order while watching for an answer, then the end-of-batch `marker`
    /// (commands 1 and 2), and waits for the answer. Returns the notifications that may have
    /// reached the gateway (a prefix of `queue`) and how the connection ended.
    async fn run_connection<S>(
        &self,
        stream: S,
        queue: &[usize],
        frames: &[Vec<u8>],
        marker: Option<&Marker>,
    ) -> (Vec<usize>, End)
    where
        S: AsyncRead + tokio::io::AsyncWrite + Unpin,
    {
        let (mut rd, mut wr) = tokio::io::split(stream);
        let reader = read_answer(&mut rd);
        tokio::pin!(reader);
        let mut written = Vec::with_capacity(queue.len());
        let mut answer = None;
        let mut write_problem = None;
        // The notifications, then the marker (which has no index).
        let notifications = queue.iter().map(|&i| (Some(i), frames[i].as_slice()));
        let end_marker = marker.map(|m| (None, m.bytes.as_slice()));
        for (index, bytes) in notifications.chain(end_marker) {
            let started = Cell::new(false);
            let write = async {
                started.set(true);
                tokio::time::timeout(self.write_timeout, async {
                    wr.write_all(bytes).await?;
                    wr.flush().await
                })
                .await
            };
            tokio::select! {
                biased;
                a = &mut reader => answer = Some(a),
                w = write => match w {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => write_problem = Some(format!("writing failed: {e}")),
                    Err(_) => write_problem = Some("the gateway stopped reading".to_owned()),
                },
            }
            if let (Some(i), true) = (index, started.get()) {
                written.push(i);
            }
            if answer.is_some() || write_problem.is_some() {
                break;
            }
        }
        let all_written = answer.is_none() && write_problem.is_none();
        if all_written && marker.is_none() {
            // Command 0: nothing to wait for but the gateway closing after our close.
            let _ = tokio::time::timeout(self.write_timeout, wr.shutdown()).await;
        }
        let answer = match answer {
            Some(a) => Some(a),
            None => tokio::time::timeout(self.confirm_timeout, &mut reader)
                .await
                .ok(),
        };
        let end = match answer {
            Some(Answer::Failed(e)) => match tls::peer_alert(&e) {
                Some(detail) => End::Refused(detail),
                None if all_written && marker.is_none() => End::Unanswerable,
                None => End::Lost(e.to_string()),
            },
            _ if all_written && marker.is_none() => End::Unanswerable,
            Some(Answer::Packet(p)) => End::Packet(p),
            None if all_written => End::Silent(self.confirm_timeout),
            Some(Answer::Garbage(what)) => End::Lost(what),
            Some(Answer::Eof) if all_written => End::Lost(
                "the gateway closed the connection without answering the end-of-batch marker"
                    .to_owned(),
            ),
            None | Some(Answer::Eof) => End::Lost(
                write_problem
                    .unwrap_or_else(|| "the gateway closed without an error packet".to_owned()),
            ),
        };
        (written, end)
    }
}

/// The end-of-batch marker of a batch: its identifier and its bytes.
/// A batch ready to send: the end-of-batch marker, each notification's frame, the ledger.
type Prepared = (Option<Marker>, Vec<Vec<u8>>, Ledger);

/// What a batch has learnt so far: each notification's outcome (`None` while it is still to be
/// sent), the queue still to send, in order, and a note on how each connection ended.
struct Ledger {
    outcomes: Vec<Option<LegacyOutcome>>,
    queue: Vec<usize>,
    notes: Vec<String>,
}

impl Ledger {
    fn settled(&self) -> usize {
        self.outcomes.iter().filter(|o| o.is_some()).count()
    }

    /// `written`, the head of the queue, was accepted: it leaves the queue.
    fn accepted(&mut self, written: &[usize]) {
        for &i in written {
            self.outcomes[i] = Some(LegacyOutcome::Accepted);
        }
        self.queue.drain(..written.len());
    }

    /// `written`, the head of the queue, may or may not have been processed: never sent again.
    fn unconfirmed(&mut self, written: &[usize]) {
        for &i in written {
            self.outcomes[i] = Some(LegacyOutcome::Unconfirmed);
        }
        self.queue.drain(..written.len());
    }
}

struct Marker {
    identifier: u32,
    bytes: Vec<u8>,
}

/// Reads the gateway's answer: an error packet, or the end of the connection.
async fn read_answer<R: AsyncRead + Unpin>(rd: &mut R) -> Answer {
    let mut buf = [0u8; ERROR_RESPONSE_LEN];
    let mut filled = 0;
    while filled < buf.len() {
        match rd.read(&mut buf[filled..]).await {
            Ok(0) if filled == 0 => return Answer::Eof,
            Ok(0) => {
                return Answer::Garbage(format!(
                    "the gateway sent {filled} bytes, not a 6-byte error packet"
                ));
            }
            Ok(n) => filled += n,
            Err(e) => return Answer::Failed(e),
        }
    }
    match ErrorResponse::decode(&buf) {
        Ok(p) => Answer::Packet(p),
        Err(e) => Answer::Garbage(e.to_string()),
    }
}

#[cfg(test)]
mod tests;
