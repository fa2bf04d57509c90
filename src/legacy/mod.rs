//! The **legacy binary provider API**, which Apple retired on 31 March 2021.
//!
//! Before HTTP/2, providers opened a TLS connection with their push certificate to
//! `gateway.push.apple.com:2195` (or `gateway.sandbox.push.apple.com:2195`) and wrote binary
//! frames. APNs never confirmed a good notification: it only answered a bad one with a 6-byte
//! error packet and closed the connection, discarding everything written after it, and that
//! packet could arrive long after the last write. A separate
//! feedback service on port 2196 listed the tokens of apps that had been removed. Apple no
//! longer runs any of this, but old tutorials and in-house gateways still speak it, so pushlab
//! does too, and marks it as legacy everywhere:
//!
//! - [`frame`]: the byte layouts (commands 0, 1 and 2, error packets, feedback records);
//! - [`gateway`] and [`feedback`]: servers that behave as Apple's did, with client
//!   certificates, for tests and the simulator; [`read_feedback`] reads a feedback service;
//! - [`client`]: a sender that notices error packets, resends what the gateway discarded, and
//!   ends each connection with an end-of-batch marker the gateway must refuse
//!   ([`frame::end_of_batch`]): only the answer to it confirms that the notifications before it
//!   were accepted. Every notification ends with exactly one outcome, and silence is never
//!   taken for acceptance.
//!
//! New code should use the HTTP/2 API, which answers every notification.

pub mod client;
mod error;
pub mod feedback;
pub mod frame;
pub mod gateway;
mod peer;
mod tls;

pub use client::{BatchReport, LegacyClient, LegacyOutcome};
pub use error::LegacyError;
pub use feedback::{
    FeedbackConfig, FeedbackServer, FeedbackSource, MAX_FEEDBACK_RECORDS, read_feedback,
    read_feedback_each,
};
pub use frame::{
    Command, Decoded, Decoder, ErrorResponse, FeedbackDecoder, FeedbackRecord, InvalidFrame,
    Notification, PacketError, ReceivedNotification, Status,
};
pub use gateway::{DeviceDirectory, Gateway, GatewayConfig};
pub use peer::Peer;
pub use tls::{
    APPLE_FEEDBACK, APPLE_FEEDBACK_SANDBOX, APPLE_GATEWAY, APPLE_GATEWAY_SANDBOX, Endpoint,
    ServerTls,
};
