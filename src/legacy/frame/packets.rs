//! The 6-byte error-response packet and the feedback service's records.

use super::decode::{be16, be32};
use super::*;

/// The 6-byte packet a gateway sends before it closes the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorResponse {
    /// Why the notification was refused, or `Shutdown`.
    pub status: Status,
    /// The identifier of the rejected notification; for [`Status::Shutdown`], the identifier
    /// of the last notification processed.
    pub identifier: u32,
}

/// Bytes that are not a valid packet or record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// An error-response packet that is not 6 bytes long (the length read).
    #[error(
        "an error-response packet is 6 bytes, got {0} — the server is probably not an APNs gateway"
    )]
    Length(usize),
    /// An error-response packet whose first byte is not command 8 (the byte read).
    #[error(
        "an error-response packet starts with command 8, got {0} — the server is probably not an APNs gateway"
    )]
    Command(u8),
    /// The data ended inside a record (the bytes left over).
    #[error(
        "the feedback data ended in the middle of a record ({0} bytes left over) — the connection was cut; read the feedback again"
    )]
    TruncatedRecord(usize),
    /// A record's token length is outside 32–100 bytes (the length read).
    #[error(
        "a feedback record with a {0}-byte device token (tokens are {min} to {max} bytes) — the server is probably not a feedback service; records before it were kept",
        min = MIN_FEEDBACK_TOKEN,
        max = MAX_FEEDBACK_TOKEN
    )]
    TokenLength(usize),
}

/// The shortest device token a feedback record may hold (Apple's are 32 bytes).
pub const MIN_FEEDBACK_TOKEN: usize = 32;
/// The longest (the HTTP/2 API allows tokens up to 100 bytes); a longer length is a server
/// that is not a feedback service, and is not held in memory.
pub const MAX_FEEDBACK_TOKEN: usize = 100;

impl ErrorResponse {
    /// A packet for this status and identifier.
    pub fn new(status: Status, identifier: u32) -> Self {
        ErrorResponse { status, identifier }
    }

    /// The packet's 6 bytes: command 8, the status, the identifier big-endian.
    pub fn encode(&self) -> [u8; ERROR_RESPONSE_LEN] {
        let id = self.identifier.to_be_bytes();
        [
            ERROR_RESPONSE_COMMAND,
            self.status.code(),
            id[0],
            id[1],
            id[2],
            id[3],
        ]
    }

    /// Reads a packet from exactly 6 bytes.
    pub fn decode(bytes: &[u8]) -> Result<ErrorResponse, PacketError> {
        let [command, status, a, b, c, d] = *bytes else {
            return Err(PacketError::Length(bytes.len()));
        };
        if command != ERROR_RESPONSE_COMMAND {
            return Err(PacketError::Command(command));
        }
        Ok(ErrorResponse {
            status: Status::from_code(status),
            identifier: u32::from_be_bytes([a, b, c, d]),
        })
    }
}

/// One record of the feedback service: a token the device no longer accepts, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FeedbackRecord {
    /// Seconds since the epoch when APNs found the app gone from the device.
    pub time: u32,
    /// The device token.
    pub token: Vec<u8>,
}

impl FeedbackRecord {
    /// A record for this token, gone since `time` (seconds since the epoch).
    pub fn new(time: u32, token: impl Into<Vec<u8>>) -> Self {
        FeedbackRecord {
            time,
            token: token.into(),
        }
    }

    /// The token as lowercase hex.
    pub fn token_hex(&self) -> String {
        hex::encode(&self.token)
    }

    /// `u32 time | u16 tokenLen | token`: 38 bytes for a 32-byte token. Tokens longer than
    /// 65,535 bytes are cut to that length (no device token comes close).
    pub fn encode(&self) -> Vec<u8> {
        let token = &self.token[..self.token.len().min(u16::MAX as usize)];
        let mut out = Vec::with_capacity(6 + token.len());
        out.extend_from_slice(&self.time.to_be_bytes());
        out.extend_from_slice(&(token.len() as u16).to_be_bytes());
        out.extend_from_slice(token);
        out
    }
}

/// Decodes feedback records from bytes that arrive in arbitrary chunks.
#[derive(Debug, Default)]
pub struct FeedbackDecoder {
    buf: Vec<u8>,
    /// A record with a token length out of range: decoding stops there.
    bad_length: Option<usize>,
}

impl FeedbackDecoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        FeedbackDecoder::default()
    }

    /// Appends bytes read from the connection.
    pub fn push(&mut self, bytes: &[u8]) {
        // After a bad record nothing more is kept: the buffer never outgrows a record and a
        // read.
        if self.bad_length.is_none() {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// The next whole record, or `None` until more bytes arrive (or for good after a record
    /// whose token length is out of range: see [`error`](Self::error)).
    pub fn next_record(&mut self) -> Option<FeedbackRecord> {
        if self.bad_length.is_some() {
            return None;
        }
        let time = be32(&self.buf, 0)?;
        let len = be16(&self.buf, 4)?;
        if !(MIN_FEEDBACK_TOKEN..=MAX_FEEDBACK_TOKEN).contains(&len) {
            self.bad_length = Some(len);
            self.buf = Vec::new();
            return None;
        }
        let token = self.buf.get(6..6 + len)?.to_vec();
        self.buf.drain(..6 + len);
        Some(FeedbackRecord { time, token })
    }

    /// Why decoding stopped before the data ended, if it did.
    pub fn error(&self) -> Option<PacketError> {
        self.bad_length.map(PacketError::TokenLength)
    }

    /// Call at end of data: fails if a record was cut off or one was out of range.
    pub fn finish(&self) -> Result<(), PacketError> {
        if let Some(e) = self.error() {
            return Err(e);
        }
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(PacketError::TruncatedRecord(self.buf.len()))
        }
    }
}
