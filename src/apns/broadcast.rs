//! A push on a broadcast channel, and what Apple's channel pages say that differs from a push
//! to a device: the headers a broadcast must carry, its larger payload limit, that it cannot
//! start a Live Activity, the plain bundle id in every channel path, and where each of the two
//! APIs lives.
//!
//! Source: Apple's "Sending broadcast push notification requests to APNs", "Sending channel
//! management requests to APNs" and "Handling error responses from APNs".

use serde_json::Value;

use super::channel::{ChannelId, MANAGE_PRODUCTION_HOST, MANAGE_SANDBOX_HOST};
use super::payload::{PayloadCheck, PayloadIssue, check_payload};
use super::{BundleId, PushType, Reason};

/// The largest broadcast payload APNs takes: 5,120 bytes, not a device push's 4,096.
pub const MAX_BROADCAST_PAYLOAD: usize = 5120;

/// The priority a broadcast gets when none is chosen. APNs requires the header on broadcasts;
/// 5 is Apple's advice for frequent Live Activity updates, which is what a channel carries,
/// and it does not draw on the budget iOS keeps for priority 10.
pub const DEFAULT_BROADCAST_PRIORITY: u8 = 5;

/// The expiration a broadcast gets when none is chosen. APNs requires the header on
/// broadcasts, and a No Message Stored channel takes only 0; 0 is accepted on every channel.
pub const DEFAULT_BROADCAST_EXPIRATION: i64 = 0;

/// A push on a channel: `POST /4/broadcasts/apps/<bundle id>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Broadcast {
    /// The app whose channel it is (its plain bundle id).
    pub bundle: BundleId,
    /// The channel it goes to (`apns-channel-id`).
    pub channel: ChannelId,
    /// 10, 5 or 1. APNs refuses a broadcast without it; `None` leaves it out all the same
    /// (to rehearse that refusal).
    pub priority: Option<u8>,
    /// Unix seconds, or 0. APNs refuses a broadcast without it; `None` leaves it out.
    pub expiration: Option<i64>,
    /// `apns-request-id`, a canonical UUID; APNs makes one when absent.
    pub request_id: Option<String>,
    /// The Live Activity payload, as sent.
    pub payload: bytes::Bytes,
}

impl Broadcast {
    /// A broadcast with [`DEFAULT_BROADCAST_PRIORITY`] and [`DEFAULT_BROADCAST_EXPIRATION`].
    pub fn new(bundle: BundleId, channel: ChannelId, payload: impl Into<bytes::Bytes>) -> Self {
        Broadcast {
            bundle,
            channel,
            priority: Some(DEFAULT_BROADCAST_PRIORITY),
            expiration: Some(DEFAULT_BROADCAST_EXPIRATION),
            request_id: None,
            payload: payload.into(),
        }
    }

    /// The request path: `/4/broadcasts/apps/<bundle id>`.
    pub fn path(&self) -> String {
        format!("/4/broadcasts/apps/{}", self.bundle.as_str())
    }

    /// The headers in the order they are sent (without pseudo-headers and `authorization`).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("apns-channel-id", self.channel.to_string()),
            ("apns-push-type", "liveactivity".to_owned()),
        ];
        if let Some(p) = self.priority {
            out.push(("apns-priority", p.to_string()));
        }
        if let Some(e) = self.expiration {
            out.push(("apns-expiration", e.to_string()));
        }
        if let Some(id) = &self.request_id {
            out.push(("apns-request-id", id.clone()));
        }
        out
    }

    /// The HTTP/2 request to `authority` (the push host and port), with a provider token when
    /// `bearer` is given; pure, so tests check every header without a network.
    pub fn to_request(
        &self,
        authority: &str,
        bearer: Option<&str>,
    ) -> Result<http::Request<()>, http::Error> {
        let mut b = http::Request::builder()
            .method(http::Method::POST)
            .version(http::Version::HTTP_2)
            .uri(format!("https://{authority}{}", self.path()))
            .header("content-length", self.payload.len());
        for (name, value) in self.headers() {
            b = b.header(name, value);
        }
        if let Some(token) = bearer {
            b = b.header("authorization", format!("bearer {token}"));
        }
        b.body(())
    }
}

/// Checks a broadcast's payload as APNs and iOS treat it: a Live Activity push (see
/// [`check_payload`]) of at most [`MAX_BROADCAST_PAYLOAD`] bytes that does not start an
/// activity.
pub fn check_broadcast_payload(text: &[u8], priority: Option<u8>) -> PayloadCheck {
    let mut check = check_payload(text, PushType::LiveActivity, priority);
    // The device-push limit does not apply; the broadcast one does.
    check
        .errors
        .retain(|e| !matches!(e, PayloadIssue::TooLarge { .. }));
    check.limit = MAX_BROADCAST_PAYLOAD;
    if text.len() > MAX_BROADCAST_PAYLOAD {
        let over = text.len() - MAX_BROADCAST_PAYLOAD;
        check.errors.insert(
            0,
            PayloadIssue::BroadcastTooLarge {
                size: text.len(),
                limit: MAX_BROADCAST_PAYLOAD,
                over,
            },
        );
    }
    let event = serde_json::from_slice::<Value>(text)
        .ok()
        .and_then(|v| v.get("aps")?.get("event")?.as_str().map(str::to_owned));
    if event.as_deref() == Some("start") {
        // What a start would need (attributes, an alert) is beside the point: no broadcast
        // starts anything. The reason comes first.
        let about_starting = |i: &PayloadIssue| {
            matches!(
                i,
                PayloadIssue::LiveAttributesType
                    | PayloadIssue::LiveAttributes
                    | PayloadIssue::LiveStartAlert
            )
        };
        check.errors.retain(|i| !about_starting(i));
        check.warnings.retain(|i| !about_starting(i));
        check.errors.insert(0, PayloadIssue::BroadcastStart);
    }
    check
}

/// Which of the two channel APIs a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelApi {
    /// Create, read, list, delete: the channel management hosts.
    Manage,
    /// `POST /4/broadcasts/apps/…`: the push hosts.
    Broadcast,
}

/// Something Apple's channel pages say about a channel request. `Display` is the English;
/// the app words each variant in its own language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelNote {
    /// The bundle id ends in a push-type suffix; channel paths take the `plain` id.
    BundlePushTypeSuffix {
        /// The bundle id as given.
        bundle: String,
        /// The suffix it ends in, such as `.push-type.liveactivity`.
        suffix: &'static str,
        /// The bundle id without it.
        plain: String,
    },
    /// 404 BadPath on a management request: it went to a push host.
    BadPathManage {
        /// The sandbox management host and port.
        sandbox: String,
        /// The production management host and port.
        production: String,
    },
    /// 404 BadPath on a broadcast: it went to a management host.
    BadPathBroadcast {
        /// Apple's sandbox push host.
        sandbox: &'static str,
        /// Apple's production push host.
        production: &'static str,
    },
    /// TopicDisallowed on a channel request.
    TopicDisallowed,
}

impl std::fmt::Display for ChannelNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChannelNote::BundlePushTypeSuffix {
                bundle,
                suffix,
                plain,
            } => write!(
                f,
                "{bundle} ends in the push-type suffix {suffix}: channel requests and broadcasts name the app by its plain bundle id, {plain} — APNs answers TopicDisallowed"
            ),
            ChannelNote::BadPathManage {
                sandbox,
                production,
            } => write!(
                f,
                "channel management has its own hosts, {sandbox} (sandbox) and {production} (production); a push host answers 404 BadPath to it — send the request there"
            ),
            ChannelNote::BadPathBroadcast {
                sandbox,
                production,
            } => write!(
                f,
                "broadcasts go to the push hosts, {sandbox} and {production} (port 443 or 2197), at /4/broadcasts/apps/<bundle id>; a channel management host answers 404 BadPath to them"
            ),
            ChannelNote::TopicDisallowed => f.write_str(
                "channel requests name the app by its plain bundle id, with no push-type suffix such as .push-type.liveactivity",
            ),
        }
    }
}

/// The push-type suffixes that never end a real bundle id. `.voip` and `.complication` are
/// left out: an app may well be called `com.example.voip`, and APNs will say if it is not.
fn suffixes() -> impl Iterator<Item = &'static str> {
    PushType::ALL
        .into_iter()
        .filter_map(PushType::topic_suffix)
        .filter(|s| !s.is_empty() && *s != ".voip" && *s != ".complication")
}

/// A channel path names the app by its plain bundle id: a topic with a push-type suffix
/// (`com.example.app.push-type.liveactivity`) is `TopicDisallowed`. Caught before sending.
pub fn check_channel_bundle(bundle: &BundleId) -> Result<(), ChannelNote> {
    let text = bundle.as_str();
    let Some((plain, suffix)) = suffixes().find_map(|s| {
        text.strip_suffix(s)
            .filter(|p| !p.is_empty())
            .map(|p| (p, s))
    }) else {
        return Ok(());
    };
    Err(ChannelNote::BundlePushTypeSuffix {
        bundle: text.to_owned(),
        suffix,
        plain: plain.to_owned(),
    })
}

/// What Apple's channel pages add to a reason on a channel request, where the device-push fix
/// would mislead: `None` when the reason's own fix holds.
pub fn channel_note(reason: Reason, api: ChannelApi) -> Option<ChannelNote> {
    Some(match (reason, api) {
        (Reason::BadPath, ChannelApi::Manage) => ChannelNote::BadPathManage {
            sandbox: format!("{MANAGE_SANDBOX_HOST}:2195"),
            production: format!("{MANAGE_PRODUCTION_HOST}:2196"),
        },
        (Reason::BadPath, ChannelApi::Broadcast) => ChannelNote::BadPathBroadcast {
            sandbox: super::SANDBOX_HOST,
            production: super::PRODUCTION_HOST,
        },
        (Reason::TopicDisallowed, _) => ChannelNote::TopicDisallowed,
        _ => return None,
    })
}

/// A reason on a channel request, explained: what it means, then Apple's channel advice or
/// else the reason's own fix.
pub fn explain_channel_reason(reason: Reason, api: ChannelApi) -> String {
    match channel_note(reason, api) {
        Some(note) => format!("{} {}", reason.meaning(), capitalised(&note.to_string())),
        None => format!("{} {}", reason.meaning(), reason.fix()),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> BundleId {
        BundleId::parse("com.example.scores").unwrap()
    }

    fn codes(list: &[PayloadIssue]) -> Vec<&'static str> {
        list.iter().map(PayloadIssue::code).collect()
    }

    const UPDATE: &str =
        r#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"home":1}}}"#;

    #[test]
    fn broadcasts_carry_the_headers_apple_requires() {
        let id = ChannelId::parse("dHN0LXNyY2gtY2hubA==").unwrap();
        let b = Broadcast::new(bundle(), id, UPDATE.as_bytes().to_vec());
        let req = b.to_request("api.push.apple.com", None).unwrap();
        assert_eq!(req.uri().path(), "/4/broadcasts/apps/com.example.scores");
        assert_eq!(req.headers()["apns-push-type"], "liveactivity");
        assert_eq!(req.headers()["apns-channel-id"], "dHN0LXNyY2gtY2hubA==");
        assert_eq!(req.headers()["apns-priority"], "5");
        assert_eq!(req.headers()["apns-expiration"], "0");
        assert!(req.headers().get("apns-topic").is_none());
    }

    #[test]
    fn a_broadcast_may_be_5120_bytes_and_cannot_start_an_activity() {
        let sized = |n: usize| {
            let pad = n - UPDATE.len() - r#","pad":"""#.len();
            let text = format!(
                "{},\"pad\":\"{}\"}}",
                &UPDATE[..UPDATE.len() - 1],
                "x".repeat(pad)
            );
            assert_eq!(text.len(), n);
            text
        };
        let at_limit = check_broadcast_payload(sized(5120).as_bytes(), Some(5));
        assert!(at_limit.is_ok(), "{:?}", at_limit.errors);
        assert_eq!(at_limit.limit, 5120);
        let over = check_broadcast_payload(sized(5121).as_bytes(), Some(5));
        assert_eq!(codes(&over.errors), ["broadcast_too_large"]);
        assert!(over.errors[0].to_string().contains("5121 bytes"));
        let start = UPDATE.replace("update", "start");
        let refused = check_broadcast_payload(start.as_bytes(), Some(5));
        assert_eq!(codes(&refused.errors), ["broadcast_start"]);
        assert!(refused.warnings.is_empty(), "{:?}", refused.warnings);
        let end = UPDATE.replace("update", "end");
        assert!(check_broadcast_payload(end.as_bytes(), Some(5)).is_ok());
    }

    #[test]
    fn a_bundle_with_a_push_type_suffix_is_caught() {
        assert!(check_channel_bundle(&bundle()).is_ok());
        let suffixed = BundleId::parse("com.example.scores.push-type.liveactivity").unwrap();
        let note = check_channel_bundle(&suffixed).unwrap_err();
        assert!(matches!(note, ChannelNote::BundlePushTypeSuffix { .. }));
        assert!(
            note.to_string()
                .contains("plain bundle id, com.example.scores ")
        );
        // A real app may end in .voip.
        let voip = BundleId::parse("com.example.voip").unwrap();
        assert!(check_channel_bundle(&voip).is_ok());
    }

    #[test]
    fn channel_reasons_get_apples_channel_advice() {
        let manage = explain_channel_reason(Reason::BadPath, ChannelApi::Manage);
        assert!(manage.contains("api-manage-broadcast.sandbox.push.apple.com:2195"));
        assert!(!manage.contains("/3/device"), "{manage}");
        let broadcast = explain_channel_reason(Reason::BadPath, ChannelApi::Broadcast);
        assert!(broadcast.contains("/4/broadcasts/apps/"), "{broadcast}");
        let topic = explain_channel_reason(Reason::TopicDisallowed, ChannelApi::Manage);
        assert!(topic.contains("no push-type suffix"), "{topic}");
        assert_eq!(
            explain_channel_reason(Reason::ChannelNotRegistered, ChannelApi::Manage),
            format!(
                "{} {}",
                Reason::ChannelNotRegistered.meaning(),
                Reason::ChannelNotRegistered.fix()
            )
        );
    }
}
