//! A sender for the binary interface that does what the PHP loops of the old tutorials did
//! not: it watches for the error packet while it writes, and resends what the gateway threw
//! away.
//!
//! On the binary interface a gateway answers only bad notifications: a 6-byte packet naming
//! the identifier of the first one it refused, after which it closes the connection and
//! discards everything written after that one. [`LegacyClient::send`] therefore:
//!
//! 1. writes the notifications in order on one TLS connection, reading at the same time;
//! 2. on an error packet, marks the named notification rejected, those before it accepted,
//!    and sends those after it again on a new connection (for status 10, *shutdown*, the
//!    identifier is the last one processed, so only the later ones are resent; a shutdown
//!    packet naming no identifier written on that connection means nothing was processed, and
//!    all of it is sent again);
//! 3. after the last write, closes its sending side and waits a short grace period for a late
//!    error packet or for the gateway to close. **The protocol never confirms success**: a
//!    notification counts as accepted when no error packet named it or an earlier one before
//!    the gateway closed the connection or the grace period ran out. That is the best any
//!    sender could know, and why the HTTP/2 API replaced it.
//!
//! Every notification ends with exactly one [`Outcome`]; none is written again once it counts
//! as accepted. Command 0 carries no identifier, so an error there cannot be tied to a
//! notification: prefer command 2 (the default) or 1.

use std::cell::Cell;
use std::collections::HashSet;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWriteExt as _};

use super::LegacyError;
use super::frame::{self, Command, ERROR_RESPONSE_LEN, ErrorResponse, Notification, Status};
use super::tls::{self, Endpoint};

/// What became of one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// No error packet named it (see the module docs: the protocol has no positive answer).
    Accepted,
    /// The gateway refused it with this status.
    Rejected(Status),
    /// Not sent: it breaks Apple's rules and the gateway would have answered this status.
    Invalid(Status),
    /// Written, but the connection ended without an error packet, so nobody can say whether
    /// the gateway processed it. Not resent, to avoid a duplicate push.
    Unconfirmed,
    /// Never written: the client gave up (see [`BatchReport::gave_up`]).
    NotSent,
}

/// The result of a batch: one outcome per notification, in the order given.
#[derive(Debug)]
pub struct BatchReport {
    pub outcomes: Vec<Outcome>,
    /// TLS connections opened.
    pub connections: usize,
    /// Writes beyond the first, for notifications the gateway had discarded.
    pub resent: usize,
    /// Why the client stopped before every notification was written, if it did.
    pub gave_up: Option<LegacyError>,
    /// One sentence per connection that ended early: the error packet, or what cut it.
    pub notes: Vec<String>,
}

impl BatchReport {
    /// How many ended accepted.
    pub fn accepted(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| **o == Outcome::Accepted)
            .count()
    }

    /// Position and outcome of every notification that did not end accepted.
    pub fn problems(&self) -> Vec<(usize, Outcome)> {
        self.outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| **o != Outcome::Accepted)
            .map(|(i, o)| (i, *o))
            .collect()
    }
}

/// Sends batches over the binary interface. One value per credential and gateway; each
/// [`send`](LegacyClient::send) uses one connection, plus one more after each error packet.
#[derive(Debug, Clone)]
pub struct LegacyClient {
    pub endpoint: Endpoint,
    /// The frame format; command 2 unless changed.
    pub command: Command,
    /// How long to wait after the last write for a late error packet (500 ms by default).
    pub grace_period: Duration,
    /// Limit for writing one notification: a gateway that stops reading is given up on.
    pub write_timeout: Duration,
    /// Give up after this many connections in a row that settled no notification.
    pub max_fruitless_connections: u32,
}

/// How one connection ended.
enum End {
    /// Everything was written and no error packet came: the gateway closed or the grace
    /// period ran out.
    Done,
    Packet(ErrorResponse),
    /// Closed or failed without an error packet before we were done.
    Lost(String),
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
    pub fn new(endpoint: Endpoint) -> Self {
        LegacyClient {
            endpoint,
            command: Command::Framed,
            grace_period: Duration::from_millis(500),
            write_timeout: Duration::from_secs(10),
            max_fruitless_connections: 3,
        }
    }

    pub fn command(mut self, command: Command) -> Self {
        self.command = command;
        self
    }

    pub fn grace_period(mut self, grace: Duration) -> Self {
        self.grace_period = grace;
        self
    }

    /// Sends every notification and returns one outcome for each.
    ///
    /// Fails without sending anything when two notifications share an identifier (commands 1
    /// and 2), or when the first connection cannot be made or the certificate is refused.
    /// Later connection failures end the batch early: the report says why in `gave_up` and
    /// marks the rest [`Outcome::NotSent`].
    pub async fn send(&self, notifications: &[Notification]) -> Result<BatchReport, LegacyError> {
        if self.command.carries_identifier() {
            let mut seen = HashSet::new();
            for n in notifications {
                if !seen.insert(n.identifier) {
                    return Err(LegacyError::DuplicateIdentifier {
                        identifier: n.identifier,
                    });
                }
            }
        }
        let mut outcomes: Vec<Option<Outcome>> = vec![None; notifications.len()];
        let mut frames = vec![Vec::new(); notifications.len()];
        for (i, n) in notifications.iter().enumerate() {
            match frame::check(self.command, n).and_then(|()| frame::encode(self.command, n)) {
                Ok(bytes) => frames[i] = bytes,
                Err(status) => outcomes[i] = Some(Outcome::Invalid(status)),
            }
        }
        let mut queue: Vec<usize> = (0..notifications.len())
            .filter(|&i| outcomes[i].is_none())
            .collect();
        let mut writes = vec![0usize; notifications.len()];
        let mut connections = 0;
        let mut fruitless = 0;
        let mut gave_up = None;
        let mut notes = Vec::new();
        while !queue.is_empty() {
            let settled_before = outcomes.iter().filter(|o| o.is_some()).count();
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
            let (written, end) = self.run_connection(stream, &queue, &frames).await;
            for &i in &written {
                writes[i] += 1;
            }
            match end {
                End::Done => {
                    for &i in &written {
                        outcomes[i] = Some(Outcome::Accepted);
                    }
                    queue.drain(..written.len());
                }
                End::Packet(response) => {
                    notes.push(format!(
                        "connection {connections}: error packet {} for identifier {}",
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
                        (Status::Shutdown, Some(p)) => {
                            for &i in &written[..=p] {
                                outcomes[i] = Some(Outcome::Accepted);
                            }
                            queue.drain(..=p);
                        }
                        // Nothing processed on this connection: send it all again.
                        (Status::Shutdown, None) => {}
                        (status, Some(p)) => {
                            for &i in &written[..p] {
                                outcomes[i] = Some(Outcome::Accepted);
                            }
                            outcomes[written[p]] = Some(Outcome::Rejected(status));
                            queue.drain(..=p);
                        }
                        (_, None) => {
                            for &i in &written {
                                outcomes[i] = Some(Outcome::Unconfirmed);
                            }
                            queue.drain(..written.len());
                        }
                    }
                }
                End::Lost(reason) => {
                    notes.push(format!("connection {connections}: {reason}"));
                    for &i in &written {
                        outcomes[i] = Some(Outcome::Unconfirmed);
                    }
                    queue.drain(..written.len());
                }
                End::Refused(detail) => {
                    let err = LegacyError::CertificateRefused {
                        host: self.endpoint.host.clone(),
                        port: self.endpoint.port,
                        detail,
                    };
                    if outcomes
                        .iter()
                        .all(|o| o.is_none() || matches!(o, Some(Outcome::Invalid(_))))
                    {
                        return Err(err);
                    }
                    gave_up = Some(err);
                    break;
                }
            }
            let settled = outcomes.iter().filter(|o| o.is_some()).count();
            if settled > settled_before {
                fruitless = 0;
            } else {
                fruitless += 1;
                if fruitless >= self.max_fruitless_connections && !queue.is_empty() {
                    gave_up = Some(LegacyError::NoProgress {
                        attempts: fruitless,
                        last: notes.last().cloned().unwrap_or_else(|| {
                            "the gateway closed every connection before processing anything"
                                .to_owned()
                        }),
                    });
                    break;
                }
            }
        }
        Ok(BatchReport {
            outcomes: outcomes
                .into_iter()
                .map(|o| o.unwrap_or(Outcome::NotSent))
                .collect(),
            connections,
            resent: writes.iter().map(|w| w.saturating_sub(1)).sum(),
            gave_up,
            notes,
        })
    }

    /// Writes `queue` in order while watching for an answer. Returns the notifications that
    /// may have reached the gateway (a prefix of `queue`) and how the connection ended.
    async fn run_connection<S>(
        &self,
        stream: S,
        queue: &[usize],
        frames: &[Vec<u8>],
    ) -> (Vec<usize>, End)
    where
        S: AsyncRead + tokio::io::AsyncWrite + Unpin,
    {
        let (mut rd, mut wr) = tokio::io::split(stream);
        let reader = read_answer(&mut rd);
        tokio::pin!(reader);
        let mut written = Vec::with_capacity(queue.len());
        let mut answer = None;
        let mut finished = false;
        let mut write_problem = None;
        for &i in queue {
            let started = Cell::new(false);
            let write = async {
                started.set(true);
                tokio::time::timeout(self.write_timeout, wr.write_all(&frames[i])).await
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
            if started.get() {
                written.push(i);
            }
            if answer.is_some() || write_problem.is_some() {
                break;
            }
        }
        if answer.is_none() && write_problem.is_none() {
            // Half-close: a gateway that reads to the end and then closes tells us it has
            // processed everything, without waiting out the grace period.
            let closed = tokio::time::timeout(self.grace_period, async {
                wr.flush().await?;
                wr.shutdown().await
            })
            .await;
            finished = matches!(closed, Ok(Ok(())));
            if !finished {
                write_problem = Some("closing the sending side failed".to_owned());
            }
        }
        let answer = match answer {
            Some(a) => Some(a),
            None => tokio::time::timeout(self.grace_period, &mut reader)
                .await
                .ok(),
        };
        let end = match answer {
            Some(Answer::Packet(p)) => End::Packet(p),
            None | Some(Answer::Eof) if finished => End::Done,
            Some(Answer::Failed(e))
                if finished && e.kind() == std::io::ErrorKind::UnexpectedEof =>
            {
                End::Done
            }
            Some(Answer::Failed(e)) => match tls::peer_alert(&e) {
                Some(detail) => End::Refused(detail),
                None => End::Lost(e.to_string()),
            },
            Some(Answer::Garbage(what)) => End::Lost(what),
            None | Some(Answer::Eof) => End::Lost(
                write_problem
                    .unwrap_or_else(|| "the gateway closed without an error packet".to_owned()),
            ),
        };
        (written, end)
    }
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
mod tests {
    use super::*;
    use crate::cert::CertificateAuthority;

    fn client() -> LegacyClient {
        let ca = CertificateAuthority::generate("unit").unwrap();
        let cred = ca.issue_server_certificate(&["127.0.0.1"]).unwrap();
        LegacyClient::new(Endpoint::new("127.0.0.1", 9, cred))
            .grace_period(Duration::from_millis(50))
    }

    fn frames(count: u32) -> Vec<Vec<u8>> {
        (0..count)
            .map(|i| {
                let n = Notification::new(vec![i as u8; 32], b"{}".to_vec()).with_identifier(i);
                frame::encode(Command::Framed, &n).unwrap()
            })
            .collect()
    }

    #[tokio::test]
    async fn a_silent_gateway_means_accepted_after_the_grace_period() {
        // The far end neither answers nor closes: only the grace period ends the wait.
        let (near, _far) = tokio::io::duplex(1 << 20);
        let (written, end) = client().run_connection(near, &[0, 1, 2], &frames(3)).await;
        assert_eq!(written, vec![0, 1, 2]);
        assert!(matches!(end, End::Done));
    }

    #[tokio::test]
    async fn an_early_error_packet_stops_the_writing() {
        let (near, mut far) = tokio::io::duplex(1 << 20);
        far.write_all(&ErrorResponse::new(Status::InvalidToken, 0).encode())
            .await
            .unwrap();
        let (written, end) = client().run_connection(near, &[0, 1, 2], &frames(3)).await;
        assert!(written.is_empty());
        assert!(matches!(
            end,
            End::Packet(ErrorResponse {
                status: Status::InvalidToken,
                identifier: 0
            })
        ));
    }

    #[tokio::test]
    async fn garbage_or_a_close_mid_batch_is_lost() {
        let (near, mut far) = tokio::io::duplex(1 << 20);
        far.write_all(b"HTTP/1.1 400").await.unwrap();
        let (_, end) = client().run_connection(near, &[0], &frames(1)).await;
        assert!(matches!(end, End::Lost(_)));

        // A tiny buffer nobody reads: the writer blocks, then the peer goes away.
        let (near, far) = tokio::io::duplex(8);
        let reader = tokio::spawn(async move { drop(far) });
        let (_, end) = client().run_connection(near, &[0, 1], &frames(2)).await;
        reader.await.unwrap();
        assert!(matches!(end, End::Lost(_)));
    }
}
