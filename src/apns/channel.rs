//! Broadcast channels (iOS 18 / iPadOS 18): one push on a channel updates a Live Activity on
//! every device subscribed to it. Two APIs, both built here without any I/O:
//!
//! - **channel management**, on its own hosts (`api-manage-broadcast[.sandbox].push.apple.com`,
//!   port 2196 in production and 2195 in the sandbox): create a channel with a message-storage
//!   policy (`POST /1/apps/<bundle id>/channels`), read one (`GET`, channel id in the
//!   `apns-channel-id` header), list all (`GET /1/apps/<bundle id>/all-channels`), delete one
//!   (`DELETE`);
//! - **broadcasts**, on the usual APNs hosts: `POST /4/broadcasts/apps/<bundle id>` with the
//!   channel id in `apns-channel-id` and `apns-push-type: liveactivity`.
//!
//! Sources: Apple's "Sending channel management requests to APNs" and "Sending broadcast push
//! notification requests to APNs"; @parse/node-apn 8.1 implements the same paths and bodies.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::BundleId;
use crate::apns::Environment;

/// The channel management host in production.
pub const MANAGE_PRODUCTION_HOST: &str = "api-manage-broadcast.push.apple.com";
/// The channel management host in the sandbox.
pub const MANAGE_SANDBOX_HOST: &str = "api-manage-broadcast.sandbox.push.apple.com";
/// The channel management port in production.
pub const MANAGE_PRODUCTION_PORT: u16 = 2196;
/// The channel management port in the sandbox.
pub const MANAGE_SANDBOX_PORT: u16 = 2195;

/// The channels one app may have in one environment. Apple documents a limit and the
/// `CannotCreateChannelConfig` reason for reaching it; 10,000 is the figure providers quote.
pub const CHANNEL_LIMIT: usize = 10_000;

/// The longest channel id accepted. Apple's ids are short base64 strings; this bounds what a
/// user pastes or a server returns.
pub const MAX_CHANNEL_ID_BYTES: usize = 256;

/// Where channel management requests go for `environment`.
pub fn manage_host(environment: Environment) -> (&'static str, u16) {
    match environment {
        Environment::Production => (MANAGE_PRODUCTION_HOST, MANAGE_PRODUCTION_PORT),
        Environment::Sandbox => (MANAGE_SANDBOX_HOST, MANAGE_SANDBOX_PORT),
    }
}

/// A broadcast channel's id: the base64 text APNs returned in `apns-channel-id` when the
/// channel was created, which the app passes to ActivityKit (`.channel(id)`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ChannelId(String);

/// Why a text is not a channel id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelIdError {
    /// Nothing but spaces.
    #[error("the channel id is empty")]
    Empty,
    /// Longer than [`MAX_CHANNEL_ID_BYTES`].
    #[error("the channel id is longer than {MAX_CHANNEL_ID_BYTES} bytes")]
    TooLong,
    /// Not standard base64 with its padding (the text, shortened to 40 characters).
    #[error(
        "'{0}' is not a channel id: channel ids are base64 text, as APNs returned it in apns-channel-id when the channel was created (e.g. dHN0LXNyY2gtY2hubA==)"
    )]
    NotBase64(String),
}

impl ChannelId {
    /// Checks a channel id: standard base64 with its padding, as APNs issues them. Spaces
    /// around it are dropped (a pasted id often has them); nothing else is changed.
    pub fn parse(text: &str) -> Result<Self, ChannelIdError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(ChannelIdError::Empty);
        }
        if t.len() > MAX_CHANNEL_ID_BYTES {
            return Err(ChannelIdError::TooLong);
        }
        match base64::engine::general_purpose::STANDARD.decode(t) {
            Ok(bytes) if !bytes.is_empty() => Ok(ChannelId(t.to_owned())),
            _ => Err(ChannelIdError::NotBase64(shorten(t))),
        }
    }

    /// A new random channel id of 16 bytes, as the simulator hands them out.
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        if openssl::rand::rand_bytes(&mut bytes).is_err() {
            // No randomness from the OS: the clock still gives distinct ids per call.
            let t = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
            bytes = t.to_le_bytes();
        }
        ChannelId(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// The id as APNs gave it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ChannelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ChannelId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ChannelId::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn shorten(t: &str) -> String {
    match t.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &t[..at]),
        None => t.to_owned(),
    }
}

/// What APNs keeps of a channel's pushes for a device that is offline when they are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MessageStoragePolicy {
    /// Nothing is stored: an offline device misses the update (Apple's advice for frequent
    /// updates such as a live score).
    #[default]
    NoStorage,
    /// The most recent push is stored and delivered when the device comes back.
    MostRecent,
}

impl MessageStoragePolicy {
    /// Both policies, in the order of their numbers.
    pub const ALL: [MessageStoragePolicy; 2] = [Self::NoStorage, Self::MostRecent];

    /// The number in `message-storage-policy`.
    pub fn as_number(self) -> u8 {
        match self {
            Self::NoStorage => 0,
            Self::MostRecent => 1,
        }
    }

    /// The policy for a `message-storage-policy` number (0 or 1); `None` for any other.
    pub fn from_number(n: u64) -> Option<Self> {
        match n {
            0 => Some(Self::NoStorage),
            1 => Some(Self::MostRecent),
            _ => None,
        }
    }

    /// The word the CLI takes and prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoStorage => "no-storage",
            Self::MostRecent => "most-recent",
        }
    }

    /// Reads the CLI's word, or the number.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "no-storage" | "0" => Ok(Self::NoStorage),
            "most-recent" | "1" => Ok(Self::MostRecent),
            other => Err(format!(
                "'{other}' is not a message-storage policy: use no-storage (0) or most-recent (1)"
            )),
        }
    }
}

impl Serialize for MessageStoragePolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.as_number())
    }
}

impl<'de> Deserialize<'de> for MessageStoragePolicy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(d)?;
        Self::from_number(n).ok_or_else(|| {
            serde::de::Error::custom(format!("message-storage-policy {n} is not 0 or 1"))
        })
    }
}

/// The only push type a channel carries, as the management API spells it.
pub const CHANNEL_PUSH_TYPE: &str = "LiveActivity";

/// A channel's settings: the body of a create request and of a read answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelConfig {
    /// `message-storage-policy`: what APNs keeps for offline devices.
    #[serde(rename = "message-storage-policy")]
    pub message_storage_policy: MessageStoragePolicy,
    /// Always `LiveActivity`; kept as a field so the JSON is what Apple documents.
    #[serde(rename = "push-type", with = "push_type_field")]
    pub push_type: ChannelPushType,
}

impl ChannelConfig {
    /// Settings for a Live Activity channel with this storage policy.
    pub fn new(policy: MessageStoragePolicy) -> Self {
        ChannelConfig {
            message_storage_policy: policy,
            push_type: ChannelPushType::LiveActivity,
        }
    }
}

/// The push types a channel may carry: Live Activities only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChannelPushType {
    /// `LiveActivity`, the only type Apple allows.
    #[default]
    LiveActivity,
}

mod push_type_field {
    use super::{CHANNEL_PUSH_TYPE, ChannelPushType};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(_: &ChannelPushType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(CHANNEL_PUSH_TYPE)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ChannelPushType, D::Error> {
        let s = String::deserialize(d)?;
        // Node's client sends `liveactivity`; Apple documents `LiveActivity`.
        if s.eq_ignore_ascii_case(CHANNEL_PUSH_TYPE) {
            Ok(ChannelPushType::LiveActivity)
        } else {
            Err(serde::de::Error::custom(format!(
                "push-type '{s}': channels carry LiveActivity only"
            )))
        }
    }
}

/// A channel management request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelRequest {
    /// Create a channel with this storage policy (`POST …/channels`).
    Create(MessageStoragePolicy),
    /// Read one channel's settings (`GET …/channels`).
    Read(ChannelId),
    /// List every channel id of the app (`GET …/all-channels`).
    ListAll,
    /// Delete a channel (`DELETE …/channels`).
    Delete(ChannelId),
}

impl ChannelRequest {
    /// The HTTP method the request uses.
    pub fn method(&self) -> http::Method {
        match self {
            ChannelRequest::Create(_) => http::Method::POST,
            ChannelRequest::Read(_) | ChannelRequest::ListAll => http::Method::GET,
            ChannelRequest::Delete(_) => http::Method::DELETE,
        }
    }

    /// `/1/apps/<bundle id>/channels`, or `…/all-channels` to list.
    pub fn path(&self, bundle: &BundleId) -> String {
        match self {
            ChannelRequest::ListAll => format!("/1/apps/{}/all-channels", bundle.as_str()),
            _ => format!("/1/apps/{}/channels", bundle.as_str()),
        }
    }

    /// The channel the request names, sent in `apns-channel-id`.
    pub fn channel(&self) -> Option<&ChannelId> {
        match self {
            ChannelRequest::Read(id) | ChannelRequest::Delete(id) => Some(id),
            _ => None,
        }
    }

    /// The JSON body: only a create has one.
    pub fn body(&self) -> Vec<u8> {
        match self {
            ChannelRequest::Create(policy) => {
                serde_json::to_vec(&ChannelConfig::new(*policy)).unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    /// The status APNs answers a success with: 201 for a create, 204 for a delete, else 200.
    pub fn success_status(&self) -> u16 {
        match self {
            ChannelRequest::Create(_) => 201,
            ChannelRequest::Delete(_) => 204,
            _ => 200,
        }
    }

    /// What the request does, for people: "create a channel", "delete channel X".
    pub fn describe(&self) -> String {
        match self {
            ChannelRequest::Create(p) => format!("create a channel ({})", p.as_str()),
            ChannelRequest::Read(id) => format!("read channel {id}"),
            ChannelRequest::ListAll => "list every channel".to_owned(),
            ChannelRequest::Delete(id) => format!("delete channel {id}"),
        }
    }

    /// The HTTP request (no body) for `authority`, with an optional provider token and
    /// `apns-request-id`.
    pub fn to_request(
        &self,
        authority: &str,
        bundle: &BundleId,
        bearer: Option<&str>,
        request_id: Option<&str>,
    ) -> Result<http::Request<()>, http::Error> {
        let body_len = self.body().len();
        let mut b = http::Request::builder()
            .method(self.method())
            .version(http::Version::HTTP_2)
            .uri(format!("https://{authority}{}", self.path(bundle)));
        if let Some(id) = self.channel() {
            b = b.header("apns-channel-id", id.as_str());
        }
        if let Some(id) = request_id {
            b = b.header("apns-request-id", id);
        }
        if body_len > 0 {
            b = b
                .header("content-type", "application/json")
                .header("content-length", body_len);
        }
        if let Some(token) = bearer {
            b = b.header("authorization", format!("bearer {token}"));
        }
        b.body(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> BundleId {
        BundleId::parse("com.example.scores").unwrap()
    }

    #[test]
    fn channel_ids_are_base64() {
        let id = ChannelId::parse(" dHN0LXNyY2gtY2hubA== ").unwrap();
        assert_eq!(id.as_str(), "dHN0LXNyY2gtY2hubA==");
        assert_eq!(ChannelId::parse(""), Err(ChannelIdError::Empty));
        assert!(matches!(
            ChannelId::parse("not base64!"),
            Err(ChannelIdError::NotBase64(_))
        ));
        assert!(matches!(
            ChannelId::parse("dHN0"),
            Ok(ChannelId(ref s)) if s == "dHN0"
        ));
        assert_eq!(
            ChannelId::parse(&"A".repeat(400)),
            Err(ChannelIdError::TooLong)
        );
        let a = ChannelId::random();
        assert!(ChannelId::parse(a.as_str()).is_ok() && a != ChannelId::random());
    }

    #[test]
    fn management_requests_are_what_apple_documents() {
        let create = ChannelRequest::Create(MessageStoragePolicy::MostRecent);
        let req = create
            .to_request(
                "api-manage-broadcast.sandbox.push.apple.com:2195",
                &bundle(),
                Some("jwt"),
                None,
            )
            .unwrap();
        assert_eq!(req.method(), http::Method::POST);
        assert_eq!(req.uri().path(), "/1/apps/com.example.scores/channels");
        assert_eq!(req.headers()["authorization"], "bearer jwt");
        let body: serde_json::Value = serde_json::from_slice(&create.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"message-storage-policy": 1, "push-type": "LiveActivity"})
        );

        let id = ChannelId::parse("dHN0LXNyY2gtY2hubA==").unwrap();
        let read = ChannelRequest::Read(id.clone())
            .to_request("h", &bundle(), None, Some("r1"))
            .unwrap();
        assert_eq!(read.method(), http::Method::GET);
        assert_eq!(read.headers()["apns-channel-id"], id.as_str());
        assert_eq!(read.headers()["apns-request-id"], "r1");
        let list = ChannelRequest::ListAll
            .to_request("h", &bundle(), None, None)
            .unwrap();
        assert_eq!(list.uri().path(), "/1/apps/com.example.scores/all-channels");
        let delete = ChannelRequest::Delete(id);
        assert_eq!(delete.method(), http::Method::DELETE);
        assert_eq!(delete.success_status(), 204);
        assert!(delete.body().is_empty());
        assert_eq!(
            manage_host(Environment::Production),
            ("api-manage-broadcast.push.apple.com", 2196)
        );
        assert_eq!(manage_host(Environment::Sandbox).1, 2195);
    }

    #[test]
    fn configs_read_back_and_refuse_what_apple_would() {
        let c: ChannelConfig =
            serde_json::from_str(r#"{"message-storage-policy":0,"push-type":"LiveActivity"}"#)
                .unwrap();
        assert_eq!(c, ChannelConfig::new(MessageStoragePolicy::NoStorage));
        assert!(
            serde_json::from_str::<ChannelConfig>(
                r#"{"message-storage-policy":2,"push-type":"LiveActivity"}"#
            )
            .is_err()
        );
        assert!(
            serde_json::from_str::<ChannelConfig>(
                r#"{"message-storage-policy":0,"push-type":"alert"}"#
            )
            .is_err()
        );
        assert_eq!(
            MessageStoragePolicy::parse("most-recent"),
            Ok(MessageStoragePolicy::MostRecent)
        );
        assert!(MessageStoragePolicy::parse("forever").is_err());
    }
}
