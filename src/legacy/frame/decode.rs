//! Notification frames decoded as a gateway reads them: in arbitrary chunks, each frame to a
//! notification or to the status Apple would have answered.

use super::*;

/// Why a gateway refuses a frame: the status and identifier it answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFrame {
    /// The command byte that started the frame (may be an unknown one).
    pub command: u8,
    /// The status byte the gateway answers with.
    pub status: Status,
    /// The frame's identifier when it could be read, else 0.
    pub identifier: u32,
    /// What exactly was wrong, for logs and the simulator's display.
    pub reason: String,
    /// The frame is a sender's [end-of-batch marker](end_of_batch) (no token, the marker's
    /// payload) rather than a mistake: refused all the same, but not a rejection worth listing.
    pub end_of_batch: bool,
}

impl InvalidFrame {
    /// The error packet a gateway sends for this frame.
    pub fn response(&self) -> ErrorResponse {
        ErrorResponse {
            status: self.status,
            identifier: self.identifier,
        }
    }
}

/// One step of the incremental decoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// The buffered bytes do not yet hold a whole frame.
    NeedMore,
    /// A whole, valid notification.
    Notification(ReceivedNotification),
    /// A frame Apple would refuse. The stream cannot be resynchronised after it: the decoder
    /// keeps returning the same error, and a gateway answers it and closes the connection.
    Invalid(InvalidFrame),
}

/// Decodes notification frames from bytes that arrive in arbitrary chunks, as a gateway reads
/// them from a connection.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    failed: Option<InvalidFrame>,
}

impl Decoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        Decoder::default()
    }

    /// Appends bytes read from the connection.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// Bytes buffered but not yet decoded.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The next frame, if the buffer holds one. Call repeatedly until [`Decoded::NeedMore`].
    pub fn next_frame(&mut self) -> Decoded {
        if let Some(failed) = &self.failed {
            return Decoded::Invalid(failed.clone());
        }
        match decode_one(&self.buf) {
            Step::NeedMore => Decoded::NeedMore,
            Step::Done(used, received) => {
                self.buf.drain(..used);
                Decoded::Notification(received)
            }
            Step::Invalid(invalid) => {
                self.buf.clear();
                self.failed = Some(invalid.clone());
                Decoded::Invalid(invalid)
            }
        }
    }
}

enum Step {
    NeedMore,
    Done(usize, ReceivedNotification),
    Invalid(InvalidFrame),
}

pub(super) fn be16(b: &[u8], at: usize) -> Option<usize> {
    let bytes = b.get(at..at + 2)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]) as usize)
}

pub(super) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let bytes = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

fn invalid(command: u8, status: Status, identifier: u32, reason: impl Into<String>) -> Step {
    Step::Invalid(InvalidFrame {
        command,
        status,
        identifier,
        reason: reason.into(),
        end_of_batch: false,
    })
}

fn end_of_batch_marker(command: u8, identifier: u32) -> Step {
    Step::Invalid(InvalidFrame {
        command,
        status: Status::MissingDeviceToken,
        identifier,
        reason: "end-of-batch marker (no device token): everything before it was accepted"
            .to_owned(),
        end_of_batch: true,
    })
}

fn decode_one(b: &[u8]) -> Step {
    let Some(&code) = b.first() else {
        return Step::NeedMore;
    };
    match Command::from_code(code) {
        Some(Command::Simple) => decode_classic(b, Command::Simple, 1, 0, 0),
        Some(Command::Enhanced) => {
            let (Some(identifier), Some(expiry)) = (be32(b, 1), be32(b, 5)) else {
                return Step::NeedMore;
            };
            decode_classic(b, Command::Enhanced, 9, identifier, expiry)
        }
        Some(Command::Framed) => decode_framed(b),
        None => invalid(
            code,
            Status::ProcessingError,
            0,
            format!("unknown command {code}: notifications use commands 0, 1 or 2"),
        ),
    }
}

/// Commands 0 and 1: the token length starts at `at`.
fn decode_classic(b: &[u8], command: Command, at: usize, identifier: u32, expiry: u32) -> Step {
    let code = command.code();
    let Some(token_len) = be16(b, at) else {
        return Step::NeedMore;
    };
    if token_len == 0 {
        // Read on only as far as needed to tell the end-of-batch marker from a mistake.
        let Some(payload_len) = be16(b, at + 2) else {
            return Step::NeedMore;
        };
        if payload_len == END_OF_BATCH_PAYLOAD.len() {
            let Some(payload) = b.get(at + 4..at + 4 + payload_len) else {
                return Step::NeedMore;
            };
            if payload == END_OF_BATCH_PAYLOAD {
                return end_of_batch_marker(code, identifier);
            }
        }
        return invalid(
            code,
            Status::MissingDeviceToken,
            identifier,
            "token length 0",
        );
    }
    if token_len != TOKEN_LEN {
        return invalid(
            code,
            Status::InvalidTokenSize,
            identifier,
            format!("token length {token_len}, expected {TOKEN_LEN}"),
        );
    }
    let token_at = at + 2;
    let payload_len_at = token_at + token_len;
    let Some(payload_len) = be16(b, payload_len_at) else {
        return Step::NeedMore;
    };
    if payload_len == 0 {
        return invalid(code, Status::MissingPayload, identifier, "payload length 0");
    }
    if payload_len > command.payload_limit() {
        return invalid(
            code,
            Status::InvalidPayloadSize,
            identifier,
            format!(
                "payload of {payload_len} bytes, over the {} byte limit of command {code}",
                command.payload_limit()
            ),
        );
    }
    let payload_at = payload_len_at + 2;
    let end = payload_at + payload_len;
    if b.len() < end {
        return Step::NeedMore;
    }
    Step::Done(
        end,
        ReceivedNotification {
            command,
            notification: Notification {
                token: b[token_at..payload_len_at].to_vec(),
                payload: b[payload_at..end].to_vec(),
                identifier,
                expiry,
                priority: DEFAULT_PRIORITY,
            },
        },
    )
}

fn decode_framed(b: &[u8]) -> Step {
    let Some(frame_len) = be32(b, 1) else {
        return Step::NeedMore;
    };
    let frame_len = frame_len as usize;
    if frame_len > MAX_FRAME_LEN {
        return invalid(
            2,
            Status::InvalidPayloadSize,
            0,
            format!("frame of {frame_len} bytes, larger than any valid notification"),
        );
    }
    let end = 5 + frame_len;
    if b.len() < end {
        return Step::NeedMore;
    }
    let items = &b[5..end];
    let mut token: Option<&[u8]> = None;
    let mut payload: Option<&[u8]> = None;
    let mut identifier = None;
    let mut expiry = 0;
    let mut priority = DEFAULT_PRIORITY;
    let mut problem: Option<String> = None;
    let mut at = 0;
    while at < items.len() {
        let (Some(&id), Some(len)) = (items.get(at), be16(items, at + 1)) else {
            problem = Some(format!("item header cut off at byte {at} of the frame"));
            break;
        };
        let Some(data) = items.get(at + 3..at + 3 + len) else {
            problem = Some(format!(
                "item {id} says {len} bytes but the frame ends first"
            ));
            break;
        };
        match (id, len) {
            (1, _) => token = Some(data),
            (2, _) => payload = Some(data),
            (3, 4) => identifier = be32(data, 0),
            (4, 4) => expiry = be32(data, 0).unwrap_or(0),
            (5, 1) => priority = data[0],
            (3..=5, _) => {
                problem.get_or_insert(format!("item {id} has length {len}"));
            }
            _ => {
                problem.get_or_insert(format!("unknown item {id}"));
            }
        }
        at += 3 + len;
    }
    let identifier = identifier.unwrap_or(0);
    if let Some(problem) = problem {
        return invalid(2, Status::ProcessingError, identifier, problem);
    }
    let token = token.unwrap_or_default();
    if token.is_empty() && payload == Some(END_OF_BATCH_PAYLOAD) {
        return end_of_batch_marker(2, identifier);
    }
    let Some(payload) = payload else {
        if token.is_empty() {
            return invalid(2, Status::MissingDeviceToken, identifier, "no token item");
        }
        return invalid(2, Status::MissingPayload, identifier, "no payload item");
    };
    if let Err(status) = check_fields(Command::Framed, token.len(), payload.len(), priority) {
        let reason = match status {
            Status::InvalidTokenSize => format!("token of {} bytes", token.len()),
            Status::InvalidPayloadSize => format!("payload of {} bytes", payload.len()),
            Status::ProcessingError => format!("priority {priority}, expected 5 or 10"),
            other => other.name().to_owned(),
        };
        return invalid(2, status, identifier, reason);
    }
    Step::Done(
        end,
        ReceivedNotification {
            command: Command::Framed,
            notification: Notification {
                token: token.to_vec(),
                payload: payload.to_vec(),
                identifier,
                expiry,
                priority,
            },
        },
    )
}
