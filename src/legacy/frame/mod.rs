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
mod tests {
    use super::*;

    fn token(seed: u8) -> Vec<u8> {
        (0..32).map(|i| seed.wrapping_add(i)).collect()
    }

    fn sample() -> Notification {
        Notification::new(token(1), br#"{"aps":{"alert":"Ding dong"}}"#.to_vec())
            .with_identifier(0x0102_0304)
    }

    fn decode_all(bytes: &[u8]) -> Decoded {
        let mut d = Decoder::new();
        d.push(bytes);
        d.next_frame()
    }

    fn status_of(bytes: &[u8]) -> (Status, u32) {
        match decode_all(bytes) {
            Decoded::Invalid(f) => (f.status, f.identifier),
            other => panic!("expected an invalid frame, got {other:?}"),
        }
    }

    #[test]
    fn simple_layout() {
        let n = sample();
        let bytes = encode(Command::Simple, &n).unwrap();
        let mut expected = vec![0, 0, 32];
        expected.extend_from_slice(&n.token);
        expected.extend_from_slice(&(n.payload.len() as u16).to_be_bytes());
        expected.extend_from_slice(&n.payload);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn enhanced_layout() {
        let n = sample().with_expiry(0x0a0b_0c0d);
        let bytes = encode(Command::Enhanced, &n).unwrap();
        assert_eq!(
            &bytes[..11],
            &[1, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d, 0, 32]
        );
        assert_eq!(&bytes[11..43], &n.token[..]);
        assert_eq!(&bytes[43..45], &(n.payload.len() as u16).to_be_bytes());
        assert_eq!(&bytes[45..], &n.payload[..]);
    }

    #[test]
    fn framed_layout_leaves_out_default_expiry_and_priority() {
        let n = sample();
        let bytes = encode(Command::Framed, &n).unwrap();
        let items_len = 3 + 32 + 3 + n.payload.len() + 3 + 4;
        assert_eq!(bytes[0], 2);
        assert_eq!(&bytes[1..5], &(items_len as u32).to_be_bytes());
        assert_eq!(bytes.len(), 5 + items_len);
        assert_eq!(&bytes[5..8], &[1, 0, 32]);
        assert_eq!(&bytes[8..40], &n.token[..]);
        assert_eq!(bytes[40], 2);
        let p_end = 43 + n.payload.len();
        assert_eq!(&bytes[43..p_end], &n.payload[..]);
        assert_eq!(&bytes[p_end..], &[3, 0, 4, 1, 2, 3, 4]);
    }

    #[test]
    fn framed_layout_with_expiry_and_priority() {
        let n = sample().with_expiry(7).with_priority(5);
        let bytes = encode(Command::Framed, &n).unwrap();
        assert!(bytes.ends_with(&[3, 0, 4, 1, 2, 3, 4, 4, 0, 4, 0, 0, 0, 7, 5, 0, 1, 5]));
    }

    #[test]
    fn every_command_round_trips_byte_by_byte() {
        let n = sample().with_expiry(99).with_priority(5);
        for command in [Command::Simple, Command::Enhanced, Command::Framed] {
            let bytes = encode(command, &n).unwrap();
            let mut d = Decoder::new();
            let mut got = None;
            for (i, byte) in bytes.iter().enumerate() {
                d.push(std::slice::from_ref(byte));
                match d.next_frame() {
                    Decoded::NeedMore => assert!(i + 1 < bytes.len(), "{command:?}"),
                    Decoded::Notification(r) => got = Some(r),
                    Decoded::Invalid(e) => panic!("{command:?}: {e:?}"),
                }
            }
            let got = got.unwrap();
            assert_eq!(got.command, command);
            assert_eq!(got.notification.token, n.token);
            assert_eq!(got.notification.payload, n.payload);
            match command {
                Command::Simple => {
                    assert_eq!(got.notification.identifier, 0);
                    assert_eq!(got.notification.expiry, 0);
                    assert_eq!(got.notification.priority, 10);
                }
                Command::Enhanced => {
                    assert_eq!(got.notification.identifier, n.identifier);
                    assert_eq!(got.notification.expiry, 99);
                    assert_eq!(got.notification.priority, 10);
                }
                Command::Framed => assert_eq!(got.notification, n),
            }
            assert_eq!(d.buffered(), 0);
        }
    }

    #[test]
    fn several_frames_in_one_chunk() {
        let mut bytes = Vec::new();
        for id in 0..3 {
            bytes.extend(encode(Command::Framed, &sample().with_identifier(id)).unwrap());
        }
        bytes.extend(encode(Command::Enhanced, &sample().with_identifier(3)).unwrap());
        bytes.extend_from_slice(&[2, 0]); // start of the next frame
        let mut d = Decoder::new();
        d.push(&bytes);
        for id in 0..4 {
            let Decoded::Notification(r) = d.next_frame() else {
                panic!("frame {id}");
            };
            assert_eq!(r.notification.identifier, id);
        }
        assert_eq!(d.next_frame(), Decoded::NeedMore);
        assert_eq!(d.buffered(), 2);
    }

    #[test]
    fn unknown_command_is_a_processing_error() {
        assert_eq!(status_of(&[7, 0, 0]), (Status::ProcessingError, 0));
        assert_eq!(status_of(&[8]), (Status::ProcessingError, 0));
    }

    #[test]
    fn classic_token_and_payload_errors() {
        for command in [Command::Simple, Command::Enhanced] {
            let n = sample();
            let id = if command == Command::Enhanced {
                n.identifier
            } else {
                0
            };
            let mut empty_token = n.clone();
            empty_token.token.clear();
            let bytes = encode(command, &empty_token).unwrap();
            assert_eq!(status_of(&bytes), (Status::MissingDeviceToken, id));
            let mut short_token = n.clone();
            short_token.token.truncate(31);
            let bytes = encode(command, &short_token).unwrap();
            assert_eq!(status_of(&bytes), (Status::InvalidTokenSize, id));
            let mut empty_payload = n.clone();
            empty_payload.payload.clear();
            let bytes = encode(command, &empty_payload).unwrap();
            assert_eq!(status_of(&bytes), (Status::MissingPayload, id));
            let mut big = n.clone();
            big.payload = vec![b'x'; 257];
            let bytes = encode(command, &big).unwrap();
            // Refused as soon as the length is known, without waiting for the payload.
            assert_eq!(
                status_of(&bytes[..bytes.len() - 200]),
                (Status::InvalidPayloadSize, id)
            );
            big.payload.truncate(256);
            assert!(matches!(
                decode_all(&encode(command, &big).unwrap()),
                Decoded::Notification(_)
            ));
        }
    }

    #[test]
    fn framed_errors() {
        let n = sample();
        let id = n.identifier;
        let mut bad = n.clone();
        bad.token = vec![1; 33];
        assert_eq!(
            status_of(&encode(Command::Framed, &bad).unwrap()),
            (Status::InvalidTokenSize, id)
        );
        let mut bad = n.clone();
        bad.payload = vec![b'x'; 2049];
        assert_eq!(
            status_of(&encode(Command::Framed, &bad).unwrap()),
            (Status::InvalidPayloadSize, id)
        );
        bad.payload.truncate(2048);
        assert!(matches!(
            decode_all(&encode(Command::Framed, &bad).unwrap()),
            Decoded::Notification(_)
        ));
        let mut bad = n.clone();
        bad.payload.clear();
        assert_eq!(
            status_of(&encode(Command::Framed, &bad).unwrap()),
            (Status::MissingPayload, id)
        );
        let bad = n.clone().with_priority(7);
        assert_eq!(
            status_of(&encode(Command::Framed, &bad).unwrap()),
            (Status::ProcessingError, id)
        );
        // Frames built by hand: no token item; no payload item; an item running past the end.
        let only_payload = [2, 0, 0, 0, 11, 2, 0, 1, b'x', 3, 0, 4, 0, 0, 0, 9];
        assert_eq!(status_of(&only_payload), (Status::MissingDeviceToken, 9));
        let mut only_token = vec![2, 0, 0, 0, 35, 1, 0, 32];
        only_token.extend_from_slice(&token(3));
        assert_eq!(status_of(&only_token), (Status::MissingPayload, 0));
        let overrun = [2, 0, 0, 0, 4, 2, 0, 9, b'x'];
        assert_eq!(status_of(&overrun), (Status::ProcessingError, 0));
        let empty = [2, 0, 0, 0, 0];
        assert_eq!(status_of(&empty), (Status::MissingDeviceToken, 0));
        let huge = [2, 0x7f, 0, 0, 0];
        assert_eq!(status_of(&huge), (Status::InvalidPayloadSize, 0));
    }

    #[test]
    fn end_of_batch_marker_is_refused_for_its_missing_token() {
        assert_eq!(end_of_batch(Command::Simple, 7), None);
        for command in [Command::Enhanced, Command::Framed] {
            let bytes = end_of_batch(command, 0xfeed_f00d).unwrap();
            // Byte by byte: the decoder never answers before the marker is complete.
            let mut d = Decoder::new();
            for (i, byte) in bytes.iter().enumerate() {
                d.push(std::slice::from_ref(byte));
                let step = d.next_frame();
                if i + 1 < bytes.len() {
                    assert_eq!(step, Decoded::NeedMore, "{command:?} at byte {i}");
                } else {
                    let Decoded::Invalid(f) = step else {
                        panic!("{command:?}: {step:?}");
                    };
                    assert_eq!(
                        (f.status, f.identifier),
                        (Status::MissingDeviceToken, 0xfeed_f00d)
                    );
                    assert!(f.end_of_batch, "{command:?}");
                    assert_eq!(f.command, command.code());
                }
            }
        }
        // Command 2: identifier item first, then the payload, then a token item of length 0.
        let framed = end_of_batch(Command::Framed, 1).unwrap();
        assert_eq!(
            &framed[..12],
            &[
                2,
                0,
                0,
                0,
                7 + 3 + END_OF_BATCH_PAYLOAD.len() as u8 + 3,
                3,
                0,
                4,
                0,
                0,
                0,
                1
            ]
        );
        assert!(framed.ends_with(&[1, 0, 0]));
        // Command 1 is Apple's layout with token length 0.
        let enhanced = end_of_batch(Command::Enhanced, 1).unwrap();
        assert_eq!(&enhanced[..11], &[1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&enhanced[13..], END_OF_BATCH_PAYLOAD);
        // A real notification without a token is a mistake, not a marker.
        for command in [Command::Enhanced, Command::Framed] {
            let mut n = sample();
            n.token.clear();
            let Decoded::Invalid(f) = decode_all(&encode(command, &n).unwrap()) else {
                panic!("{command:?}");
            };
            assert_eq!(f.status, Status::MissingDeviceToken);
            assert!(!f.end_of_batch);
        }
    }

    #[test]
    fn decoder_stays_failed() {
        let mut d = Decoder::new();
        d.push(&[9]);
        assert!(matches!(d.next_frame(), Decoded::Invalid(_)));
        d.push(&encode(Command::Framed, &sample()).unwrap());
        assert!(matches!(d.next_frame(), Decoded::Invalid(_)));
    }

    #[test]
    fn check_applies_apple_limits() {
        let n = sample();
        assert_eq!(check(Command::Framed, &n), Ok(()));
        let mut big = n.clone();
        big.payload = vec![b'x'; 300];
        assert_eq!(
            check(Command::Simple, &big),
            Err(Status::InvalidPayloadSize)
        );
        assert_eq!(
            check(Command::Enhanced, &big),
            Err(Status::InvalidPayloadSize)
        );
        assert_eq!(check(Command::Framed, &big), Ok(()));
        let mut short = n.clone();
        short.token.pop();
        assert_eq!(
            check(Command::Framed, &short),
            Err(Status::InvalidTokenSize)
        );
        assert_eq!(
            encode(
                Command::Framed,
                &Notification::new(vec![0; 70_000], b"x".to_vec())
            ),
            Err(Status::InvalidTokenSize)
        );
    }

    #[test]
    fn error_response_round_trip() {
        let r = ErrorResponse::new(Status::InvalidToken, 0xdead_beef);
        assert_eq!(r.encode(), [8, 8, 0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(ErrorResponse::decode(&r.encode()), Ok(r));
        assert_eq!(
            ErrorResponse::decode(&[8, 8, 0]),
            Err(PacketError::Length(3))
        );
        assert_eq!(
            ErrorResponse::decode(&[7, 8, 0, 0, 0, 0]),
            Err(PacketError::Command(7))
        );
        assert_eq!(
            ErrorResponse::decode(&[8, 42, 0, 0, 0, 1]).map(|r| r.status),
            Ok(Status::Other(42))
        );
    }

    #[test]
    fn status_codes_and_explanations() {
        let codes = [0u8, 1, 2, 3, 4, 5, 6, 7, 8, 10, 255];
        for code in codes {
            let s = Status::from_code(code);
            assert!(!matches!(s, Status::Other(_)), "{code}");
            assert_eq!(s.code(), code);
            assert!(s.explanation().len() > 30);
        }
        assert_eq!(Status::from_code(9), Status::Other(9));
        assert_eq!(Status::InvalidToken.to_string(), "Invalid token (8)");
    }

    #[test]
    fn feedback_records_round_trip_in_chunks() {
        let a = FeedbackRecord::new(1_600_000_000, token(1));
        let b = FeedbackRecord::new(1_600_000_001, token(2));
        let ea = a.encode();
        assert_eq!(ea.len(), FEEDBACK_RECORD_LEN);
        assert_eq!(&ea[..6], &[0x5f, 0x5e, 0x10, 0x00, 0, 32]);
        let mut bytes = ea.clone();
        bytes.extend(b.encode());
        let mut d = FeedbackDecoder::new();
        let mut got = Vec::new();
        for chunk in bytes.chunks(5) {
            d.push(chunk);
            while let Some(r) = d.next_record() {
                got.push(r);
            }
        }
        assert_eq!(got, vec![a, b]);
        assert_eq!(d.finish(), Ok(()));
        d.push(&ea[..20]);
        assert_eq!(d.next_record(), None);
        assert_eq!(d.finish(), Err(PacketError::TruncatedRecord(20)));
    }
}
