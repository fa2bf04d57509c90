//! The APNs HTTP/2 provider API: device tokens, push types, payloads, provider tokens, the
//! request itself, and every reason APNs gives for a refusal. Pure code: nothing here touches
//! the network.

mod broadcast;
pub mod channel;
mod environment;
mod headers;
pub mod jwt;
mod live_activity;
mod live_push;
mod notification;
mod payload;
mod payload_issue;
mod push_type;
mod reason;
mod token;
pub mod token_list;

pub use broadcast::{
    Broadcast, ChannelApi, ChannelNote, DEFAULT_BROADCAST_EXPIRATION, DEFAULT_BROADCAST_PRIORITY,
    MAX_BROADCAST_PAYLOAD, channel_note, check_broadcast_payload, check_channel_bundle,
    explain_channel_reason,
};
pub use channel::{ChannelConfig, ChannelId, ChannelIdError, ChannelRequest, MessageStoragePolicy};
pub use environment::Environment;
pub use headers::{
    BundleId, BundleIdProblem, Expiration, HeaderError, Headers, MAX_COLLAPSE_ID_BYTES,
};
pub use live_push::{
    KeptKeys, LiveActivityEvent, LiveActivityPush, set_timestamp, text_from_value, value_from_text,
};
pub use notification::{Notification, is_canonical_uuid, new_uuid, request_from_parts};
pub use payload::{PayloadCheck, PayloadFields, PayloadIssue, check_payload, template};
pub use push_type::PushType;
pub use reason::{MAX_REASON_BYTES, Reason, ServerReason};
pub(crate) use token::HEX_PAIRS;
pub use token::{DeviceToken, MAX_TOKEN_BYTES, MIN_TOKEN_BYTES, TokenError};

/// Apple's production host.
pub const PRODUCTION_HOST: &str = "api.push.apple.com";
/// Apple's sandbox (development) host.
pub const SANDBOX_HOST: &str = "api.sandbox.push.apple.com";
/// The sandbox alias Apple's own `openssl s_client` example uses.
pub const SANDBOX_HOST_ALIAS: &str = "api.development.push.apple.com";
/// The alternative port for firewalls that block other HTTPS.
pub const ALTERNATE_PORT: u16 = 2197;
