//! The bytes of the binary provider API: notification frames (commands 0, 1 and 2), the 6-byte
//! error-response packet, and the 38-byte feedback records. Pure functions, no I/O.
//!
//! All integers are big-endian. Layouts:
//!
//! ```text
//! command 0 (simple):   u8 0 | u16 tokenLen | token | u16 payloadLen | payload
//! command 1 (enhanced): u8 1 | u32 identifier | u32 expiry | u16 tokenLen | token | u16 payloadLen | payload
//! command 2 (framed):   u8 2 | u32 frameLen | items…     item = u8 id | u16 len | data
//!                       items: 1 token, 2 payload, 3 identifier (4), 4 expiry (4), 5 priority (1)
//! error response:       u8 8 | u8 status | u32 identifier
//! feedback record:      u32 time | u16 tokenLen (32) | token
//! ```
//!
//! The gateway never confirms a good notification, so a sender that wants to know where it
//! stands ends each connection's writes with an [end-of-batch marker](end_of_batch): a
//! notification without a device token, which every gateway must refuse with an error packet
//! naming the marker's identifier. Since a gateway processes a connection in order and stops at
//! the first bad notification, that packet proves it read and accepted everything before it.
//!
//! `decode` reads notification frames as a gateway does; `packets` holds the error-response
//! packet and the feedback records.

mod decode;
mod packets;

pub use decode::{Decoded, Decoder, InvalidFrame};
pub use packets::{ErrorResponse, FeedbackDecoder, FeedbackRecord, PacketError};

/// Device tokens on the binary interface are always 32 bytes.
pub const TOKEN_LEN: usize = 32;
/// Payload limit of commands 0 and 1 (the "256 bytes" of the old tutorials).
pub const SIMPLE_PAYLOAD_LIMIT: usize = 256;
/// Payload limit of command 2 (2 KB from iOS 8 on).
pub const FRAMED_PAYLOAD_LIMIT: usize = 2048;
/// Length of an error-response packet.
pub const ERROR_RESPONSE_LEN: usize = 6;
/// Command byte of an error-response packet.
pub const ERROR_RESPONSE_COMMAND: u8 = 8;
/// Length of a feedback record with a 32-byte token.
pub const FEEDBACK_RECORD_LEN: usize = 6 + TOKEN_LEN;
/// Priority the protocol assumes when none is sent: deliver immediately.
pub const DEFAULT_PRIORITY: u8 = 10;

/// The payload of the [end-of-batch marker](end_of_batch). A gateway refuses the marker for
/// its missing token whatever the payload says; the payload only lets pushlab's own gateway
/// tell the marker from a sender's real mistake when it keeps its records.
pub const END_OF_BATCH_PAYLOAD: &[u8] = br#"{"pushlab":"end of batch"}"#;

/// The largest command-2 frame the decoder buffers: every item at its largest allowed size,
/// with room for a payload up to the `u16` maximum so that an oversized payload still gets
/// status 7 rather than a generic error.
const MAX_FRAME_LEN: usize = 3 * 5 + TOKEN_LEN + u16::MAX as usize + 4 + 4 + 1;

/// Which notification format goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Command {
    /// Command 0: token and payload only. Apple never answered it with an error packet, so a
    /// sender cannot tell which notification killed the connection.
    Simple,
    /// Command 1: adds an identifier (echoed in error packets) and an expiry.
    Enhanced,
    /// Command 2: item-based frame with identifier, expiry and priority; 2 KB payloads.
    #[default]
    Framed,
}

impl Command {
    /// The command byte.
    pub fn code(self) -> u8 {
        match self {
            Command::Simple => 0,
            Command::Enhanced => 1,
            Command::Framed => 2,
        }
    }

    /// The command with this byte, if it is a notification command.
    pub fn from_code(code: u8) -> Option<Command> {
        match code {
            0 => Some(Command::Simple),
            1 => Some(Command::Enhanced),
            2 => Some(Command::Framed),
            _ => None,
        }
    }

    /// The largest payload this format allows.
    pub fn payload_limit(self) -> usize {
        match self {
            Command::Simple | Command::Enhanced => SIMPLE_PAYLOAD_LIMIT,
            Command::Framed => FRAMED_PAYLOAD_LIMIT,
        }
    }

    /// Whether the identifier travels on the wire (so error packets can name the notification).
    pub fn carries_identifier(self) -> bool {
        self != Command::Simple
    }
}

/// One push as the binary interface sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Notification {
    /// The device token, 32 bytes.
    pub token: Vec<u8>,
    /// The JSON payload, as bytes.
    pub payload: Vec<u8>,
    /// Echoed back in the error packet that rejects this notification (commands 1 and 2).
    pub identifier: u32,
    /// Seconds since the epoch after which Apple gives up; 0 = deliver once or not at all.
    pub expiry: u32,
    /// 10 = immediately, 5 = when convenient for the device's battery (command 2 only).
    pub priority: u8,
}

impl Notification {
    /// A notification with identifier 0, no expiry and priority 10.
    pub fn new(token: impl Into<Vec<u8>>, payload: impl Into<Vec<u8>>) -> Self {
        Notification {
            token: token.into(),
            payload: payload.into(),
            identifier: 0,
            expiry: 0,
            priority: DEFAULT_PRIORITY,
        }
    }

    /// Same notification with another identifier.
    pub fn with_identifier(mut self, identifier: u32) -> Self {
        self.identifier = identifier;
        self
    }

    /// Same notification with an expiry (seconds since the epoch).
    pub fn with_expiry(mut self, expiry: u32) -> Self {
        self.expiry = expiry;
        self
    }

    /// Same notification with another priority (5 or 10).
    pub fn with_priority(mut self, priority: u8) -> Self {
        self.priority = priority;
        self
    }

    /// The token as lowercase hex, the form apps log and providers store.
    pub fn token_hex(&self) -> String {
        hex::encode(&self.token)
    }
}

/// A notification as a gateway received it: which command carried it, and its fields. Command
/// 0 carries no identifier, expiry or priority: they read as 0, 0 and 10.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReceivedNotification {
    /// The frame format that carried it (command 0, 1 or 2).
    pub command: Command,
    /// Its token, payload, identifier, expiry and priority.
    pub notification: Notification,
}

/// The status byte of an error-response packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 0
    NoErrors,
    /// 1
    ProcessingError,
    /// 2
    MissingDeviceToken,
    /// 3
    MissingTopic,
    /// 4
    MissingPayload,
    /// 5
    InvalidTokenSize,
    /// 6
    InvalidTopicSize,
    /// 7
    InvalidPayloadSize,
    /// 8
    InvalidToken,
    /// 10
    Shutdown,
    /// 255
    Unknown,
    /// A code Apple never documented.
    Other(u8),
}

impl Status {
    /// The status byte.
    pub fn code(self) -> u8 {
        match self {
            Status::NoErrors => 0,
            Status::ProcessingError => 1,
            Status::MissingDeviceToken => 2,
            Status::MissingTopic => 3,
            Status::MissingPayload => 4,
            Status::InvalidTokenSize => 5,
            Status::InvalidTopicSize => 6,
            Status::InvalidPayloadSize => 7,
            Status::InvalidToken => 8,
            Status::Shutdown => 10,
            Status::Unknown => 255,
            Status::Other(code) => code,
        }
    }

    /// The status with this byte.
    pub fn from_code(code: u8) -> Status {
        match code {
            0 => Status::NoErrors,
            1 => Status::ProcessingError,
            2 => Status::MissingDeviceToken,
            3 => Status::MissingTopic,
            4 => Status::MissingPayload,
            5 => Status::InvalidTokenSize,
            6 => Status::InvalidTopicSize,
            7 => Status::InvalidPayloadSize,
            8 => Status::InvalidToken,
            10 => Status::Shutdown,
            255 => Status::Unknown,
            other => Status::Other(other),
        }
    }

    /// Apple's short name for the status.
    pub fn name(self) -> &'static str {
        match self {
            Status::NoErrors => "No errors encountered",
            Status::ProcessingError => "Processing error",
            Status::MissingDeviceToken => "Missing device token",
            Status::MissingTopic => "Missing topic",
            Status::MissingPayload => "Missing payload",
            Status::InvalidTokenSize => "Invalid token size",
            Status::InvalidTopicSize => "Invalid topic size",
            Status::InvalidPayloadSize => "Invalid payload size",
            Status::InvalidToken => "Invalid token",
            Status::Shutdown => "Shutdown",
            Status::Unknown => "None (unknown)",
            Status::Other(_) => "Undocumented status",
        }
    }

    /// What the status means and what to do about it, in plain words.
    pub fn explanation(self) -> &'static str {
        match self {
            Status::NoErrors => {
                "The gateway reported no error. Apple never sent this code in practice."
            }
            Status::ProcessingError => {
                "The gateway could not process the frame: an unknown command, a damaged frame or \
                 an internal problem. Check the frame layout; if it is right, send again later."
            }
            Status::MissingDeviceToken => {
                "The notification had no device token (length 0). Every notification needs the \
                 32-byte token the app received from iOS."
            }
            Status::MissingTopic => {
                "No topic. The binary interface takes the topic from the certificate's bundle id, \
                 so this points to a certificate without one."
            }
            Status::MissingPayload => {
                "The payload was empty. Send at least a JSON dictionary such as {\"aps\":{}}."
            }
            Status::InvalidTokenSize => {
                "The device token was not 32 bytes. Decode the 64 hex characters the app logged \
                 (without spaces or angle brackets) into 32 bytes."
            }
            Status::InvalidTopicSize => {
                "The topic had the wrong length. Check the bundle id in the certificate."
            }
            Status::InvalidPayloadSize => {
                "The payload was too large: 256 bytes for commands 0 and 1, 2048 bytes for \
                 command 2. Shorten the alert text or move data out of the payload."
            }
            Status::InvalidToken => {
                "The device token is not valid for this certificate and environment: the app was \
                 deleted, or a sandbox token was sent to production (or the reverse). Stop sending \
                 to it; everything written after it on the connection was discarded."
            }
            Status::Shutdown => {
                "The gateway is shutting down for maintenance. The identifier is the last \
                 notification it processed; send everything after it again on a new connection."
            }
            Status::Unknown => "The gateway reported an unknown error. Send again later.",
            Status::Other(_) => {
                "The gateway sent a status code Apple never documented: it is probably not an \
                 APNs gateway, or a modified one."
            }
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

/// Checks a notification against the rules Apple applied, giving the status Apple would have
/// answered with.
pub fn check(command: Command, notification: &Notification) -> Result<(), Status> {
    check_fields(
        command,
        notification.token.len(),
        notification.payload.len(),
        notification.priority,
    )
}

fn check_fields(
    command: Command,
    token_len: usize,
    payload_len: usize,
    priority: u8,
) -> Result<(), Status> {
    if token_len == 0 {
        return Err(Status::MissingDeviceToken);
    }
    if token_len != TOKEN_LEN {
        return Err(Status::InvalidTokenSize);
    }
    if payload_len == 0 {
        return Err(Status::MissingPayload);
    }
    if payload_len > command.payload_limit() {
        return Err(Status::InvalidPayloadSize);
    }
    if command == Command::Framed && priority != 5 && priority != 10 {
        return Err(Status::ProcessingError);
    }
    Ok(())
}

/// Encodes a notification in the given format.
///
/// Only fails when a field cannot be represented at all (token or payload over 65,535 bytes);
/// it does not apply Apple's limits, so that tests can build frames a gateway must refuse. Call
/// [`check`] first to apply them.
pub fn encode(command: Command, n: &Notification) -> Result<Vec<u8>, Status> {
    let token_len = u16::try_from(n.token.len()).map_err(|_| Status::InvalidTokenSize)?;
    let payload_len = u16::try_from(n.payload.len()).map_err(|_| Status::InvalidPayloadSize)?;
    let mut out = Vec::with_capacity(n.token.len() + n.payload.len() + 32);
    out.push(command.code());
    match command {
        Command::Simple | Command::Enhanced => {
            if command == Command::Enhanced {
                out.extend_from_slice(&n.identifier.to_be_bytes());
                out.extend_from_slice(&n.expiry.to_be_bytes());
            }
            out.extend_from_slice(&token_len.to_be_bytes());
            out.extend_from_slice(&n.token);
            out.extend_from_slice(&payload_len.to_be_bytes());
            out.extend_from_slice(&n.payload);
        }
        Command::Framed => {
            let mut items = Vec::with_capacity(n.token.len() + n.payload.len() + 24);
            push_item(&mut items, 1, token_len, &n.token);
            push_item(&mut items, 2, payload_len, &n.payload);
            push_item(&mut items, 3, 4, &n.identifier.to_be_bytes());
            if n.expiry != 0 {
                push_item(&mut items, 4, 4, &n.expiry.to_be_bytes());
            }
            if n.priority != DEFAULT_PRIORITY {
                push_item(&mut items, 5, 1, &[n.priority]);
            }
            // At most 3 * 5 + 2 * 65535 + 9 bytes: always fits in a u32.
            let frame_len = u32::try_from(items.len()).map_err(|_| Status::InvalidPayloadSize)?;
            out.extend_from_slice(&frame_len.to_be_bytes());
            out.extend_from_slice(&items);
        }
    }
    Ok(out)
}

fn push_item(out: &mut Vec<u8>, id: u8, len: u16, data: &[u8]) {
    out.push(id);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(data);
}

/// The end-of-batch marker: a notification with `identifier`, the [`END_OF_BATCH_PAYLOAD`]
/// and a device token of length 0, which a gateway refuses with status 2 (*missing device
/// token*) and an error packet naming `identifier`. `None` for command 0, which has no
/// identifier and which Apple never answered.
///
/// Why a missing token: Apple's status table has a code for exactly this case (2), and the
/// token rule is the one every gateway applies: without a token there is no device to deliver
/// to. A gateway that checks token sizes rather than presence answers 5 (*invalid token
/// size*) or 8 (*invalid token*) instead, naming the same identifier. In the command-2 frame
/// the identifier item comes first, so that a gateway that stops reading items at the first
/// bad one still knows which notification it refuses.
pub fn end_of_batch(command: Command, identifier: u32) -> Option<Vec<u8>> {
    let payload_len = END_OF_BATCH_PAYLOAD.len() as u16;
    match command {
        Command::Simple => None,
        Command::Enhanced => {
            let mut out = vec![command.code()];
            out.extend_from_slice(&identifier.to_be_bytes());
            out.extend_from_slice(&0u32.to_be_bytes());
            out.extend_from_slice(&0u16.to_be_bytes());
            out.extend_from_slice(&payload_len.to_be_bytes());
            out.extend_from_slice(END_OF_BATCH_PAYLOAD);
            Some(out)
        }
        Command::Framed => {
            let mut items = Vec::with_capacity(END_OF_BATCH_PAYLOAD.len() + 16);
            push_item(&mut items, 3, 4, &identifier.to_be_bytes());
            push_item(&mut items, 2, payload_len, END_OF_BATCH_PAYLOAD);
            push_item(&mut items, 1, 0, &[]);
            let mut out = vec![command.code()];
            out.extend_from_slice(&(items.len() as u32).to_be_bytes());
            out.extend_from_slice(&items);
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests;
