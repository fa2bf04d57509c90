//! What the simulator records of each request: the [`Delivery`] it accepted (and the
//! [`Banner`] a phone would show of it), and the [`RequestEvent`] the CLI prints for every
//! request, accepted or refused. The inbox keeps the deliveries; these are its records.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::activity::ActivityOutcome;
use crate::apns::{ChannelId, DeviceToken, PushType};

/// How a connection authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthKind {
    /// A client certificate.
    Certificate,
    /// A provider token (JWT).
    Token,
}

/// Which of the simulator's interfaces a notification came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interface {
    /// The HTTP/2 provider API, today's only interface.
    #[default]
    Http2,
    /// The binary interface (gateway port 2195), retired by Apple on 31 March 2021.
    Legacy,
}

/// One accepted notification.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// When it was accepted.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// The device it went to.
    pub token: DeviceToken,
    /// The topic it was accepted under: `apns-topic`, or the certificate's bundle id.
    pub topic: String,
    /// From `apns-push-type` (`alert` for the legacy interface).
    pub push_type: PushType,
    /// 10, 5 or 1: `apns-priority`, the push type's default, or the legacy frame's priority.
    pub priority: u8,
    /// From `apns-id`, or the UUID the simulator gave it.
    pub apns_id: String,
    /// From `apns-collapse-id`, when sent.
    pub collapse_id: Option<String>,
    /// From `apns-expiration` (or the legacy frame's expiry): a Unix time in seconds, or 0;
    /// `None` when absent.
    pub expiration: Option<i64>,
    /// How the connection authenticated.
    pub auth: AuthKind,
    /// Request headers, `authorization` redacted (none for the binary interface).
    pub headers: Vec<(String, String)>,
    /// The payload as received, as JSON (a JSON string when a legacy payload is not JSON).
    pub payload: Value,
    /// The interface it came through.
    pub interface: Interface,
    /// The broadcast channel it came through; `None` for a push to the device itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelId>,
    /// For a Live Activity push: what it did to its activity (set by the inbox as it records
    /// the delivery).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_activity: Option<ActivityOutcome>,
}

/// A request's headers as the inbox keeps them: text, the provider token redacted.
pub(crate) fn shown_headers(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let value = if k == "authorization" {
                "bearer <redacted>".to_owned()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (k.as_str().to_owned(), value)
        })
        .collect()
}

/// What the phone would show for a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Banner {
    /// The `apns-topic`, standing for the app.
    pub app: String,
    /// The alert's title (`aps.alert.title`).
    pub title: Option<String>,
    /// The alert's subtitle (`aps.alert.subtitle`).
    pub subtitle: Option<String>,
    /// The alert's body (`aps.alert.body`, or `aps.alert` when it is a string).
    pub body: Option<String>,
    /// The badge number (`aps.badge`).
    pub badge: Option<u64>,
    /// The sound's name (`aps.sound`, or its `name` for a critical sound).
    pub sound: Option<String>,
    /// No alert, badge or sound: the app is woken (or not) but the user sees nothing.
    pub silent: bool,
}

impl Delivery {
    /// Reads the payload the way iOS would present it.
    pub fn banner(&self) -> Banner {
        let aps = self.payload.get("aps");
        let field = |alert: Option<&Value>, key: &str| {
            alert
                .and_then(|a| a.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let alert = aps.and_then(|a| a.get("alert"));
        let (title, subtitle, body) = match alert {
            Some(Value::String(s)) => (None, None, Some(s.clone())),
            Some(a @ Value::Object(_)) => (
                field(Some(a), "title"),
                field(Some(a), "subtitle"),
                field(Some(a), "body"),
            ),
            _ => (None, None, None),
        };
        let badge = aps.and_then(|a| a.get("badge")).and_then(Value::as_u64);
        let sound = match aps.and_then(|a| a.get("sound")) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(o)) => o.get("name").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        let silent = title.is_none()
            && subtitle.is_none()
            && body.is_none()
            && badge.is_none()
            && sound.is_none();
        Banner {
            app: self.topic.clone(),
            title,
            subtitle,
            body,
            badge,
            sound,
            silent,
        }
    }
}

/// One request and its answer, for the CLI's line per request.
#[derive(Debug, Clone, Serialize)]
pub struct RequestEvent {
    /// The HTTP status answered (200 when delivered).
    pub status: u16,
    /// Apple's reason string, when refused.
    pub reason: Option<&'static str>,
    /// The device token as the request named it, in hex (possibly malformed); empty for a
    /// channel request.
    pub token: String,
    /// The topic accepted, else the `apns-topic` sent.
    pub topic: Option<String>,
    /// The push type, when `apns-push-type` (or the kind of request) says.
    pub push_type: Option<PushType>,
    /// The `apns-id` answered with; empty for a channel request.
    pub apns_id: String,
    /// How the connection authenticated; for a refused HTTP/2 request only a certificate is
    /// said (a provider token may be the refused part); `None` for channel requests.
    pub auth: Option<AuthKind>,
    /// For [`Interface::Legacy`], a refused notification was answered with the binary error
    /// status 8 (invalid token); `status` and `reason` then say what the HTTP/2 API answers
    /// for the same token (e.g. 410 `Unregistered`), and `apns_id` is made up by the simulator.
    pub interface: Interface,
    /// For a request to the channel API (iOS 18 broadcast channels): what it asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelEvent>,
    /// For a delivered Live Activity push: what it did to its activity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_activity: Option<ActivityOutcome>,
}

impl RequestEvent {
    /// Whether this is the refusal a push type Apple takes only over a token-based connection
    /// (Live Activities, location) gets over a certificate.
    pub fn refused_over_certificate(&self) -> bool {
        self.auth == Some(AuthKind::Certificate)
            && self.push_type.is_some_and(|p| {
                p.refused_for_certificate(self.reason.and_then(crate::apns::Reason::parse))
            })
    }
}

/// A channel management request or broadcast as the simulator handled it.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelEvent {
    /// `create`, `read`, `list`, `delete` or `broadcast`.
    pub action: &'static str,
    /// The app the path names.
    pub bundle: String,
    /// The channel: the one created, or the one the request named (as sent, so it may not be
    /// a channel id).
    pub channel: Option<String>,
    /// For an accepted broadcast: the subscribed devices it was delivered to.
    pub devices: Option<usize>,
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A delivery of `payload` with every other field fixed, for the records' and the inbox's
    /// tests.
    pub(in crate::sim) fn delivery(payload: Value) -> Delivery {
        Delivery {
            time: OffsetDateTime::now_utc(),
            token: DeviceToken::parse(&"ab".repeat(32)).unwrap(),
            topic: "com.x".into(),
            push_type: PushType::Alert,
            priority: 10,
            apns_id: "id".into(),
            collapse_id: None,
            expiration: None,
            auth: AuthKind::Token,
            headers: vec![],
            payload,
            interface: Interface::Http2,
            channel: None,
            live_activity: None,
        }
    }

    #[test]
    fn banners_read_like_the_phone() {
        let b = delivery(serde_json::json!({"aps":{"alert":{"title":"Door","body":"Ring"},"badge":2,"sound":{"critical":1,"name":"bell.caf"}}})).banner();
        assert_eq!(
            (
                b.title.as_deref(),
                b.body.as_deref(),
                b.badge,
                b.sound.as_deref(),
                b.silent
            ),
            (Some("Door"), Some("Ring"), Some(2), Some("bell.caf"), false)
        );
        assert!(
            delivery(serde_json::json!({"aps":{"content-available":1}}))
                .banner()
                .silent
        );
        assert_eq!(
            delivery(serde_json::json!({"aps":{"alert":"hi"}}))
                .banner()
                .body
                .as_deref(),
            Some("hi")
        );
    }

    #[test]
    fn interface_is_lowercase_in_json() {
        let d = delivery(Value::Null);
        assert_eq!(serde_json::to_value(&d).unwrap()["interface"], "http2");
        assert_eq!(
            serde_json::to_value(Interface::Legacy).unwrap(),
            serde_json::json!("legacy")
        );
    }
}
