//! The **legacy binary provider API**, which Apple retired on 31 March 2021.
//!
//! Before HTTP/2, providers opened a TLS connection with their push certificate to
//! `gateway.push.apple.com:2195` (or `gateway.sandbox.push.apple.com:2195`) and wrote binary
//! frames; APNs never confirmed a notification, it only answered a bad one with a 6-byte error
//! packet and closed the connection, discarding everything written after it. A separate
//! feedback service on port 2196 listed tokens of apps that had been removed. Apple no longer
//! runs any of this, but old tutorials and in-house gateways still speak it, so pushlab does too:
//!
//! - [`frame`]: the byte layouts (commands 0, 1 and 2, error packets, feedback records).
//!
//! New code should use the HTTP/2 API, which answers every notification.

pub mod frame;

pub use frame::{
    Command, Decoded, Decoder, ErrorResponse, FeedbackDecoder, FeedbackRecord, InvalidFrame,
    Notification, PacketError, ReceivedNotification, Status,
};
