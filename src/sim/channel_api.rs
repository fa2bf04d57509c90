//! The channel management API (create, read, list, delete, with the per-app limit and its
//! errors) and broadcasts, delivered to every device in the registry that subscribed to the
//! channel; the answers are those of Apple's channel pages and error table.
//!
//! Both are served on the simulator's one port: Apple's management hosts (ports 2195/2196)
//! and push hosts differ, but a client pointed at the simulator uses its address for both.
//!
//! The checks, in order: path (404 `BadPath`) and method (405); authentication (as for pushes);
//! the app in the path: a push-type suffix (`TopicDisallowed`), then the certificate's or
//! key's apps (403 `TopicMismatch`); whether broadcasts are enabled (`FeatureNotEnabled`);
//! then the request's own headers and body.

use http::{HeaderMap, Method};

use super::channels::{ChannelStore, SimChannel};
use super::records::{AuthKind, Delivery, Interface};
use super::registry::{DeviceRegistry, TokenState};
use super::validate::{self, Identity, Rejection};
use crate::apns::Environment;
use crate::apns::channel::{ChannelConfig, ChannelId, MessageStoragePolicy};
use crate::apns::{
    BundleId, MAX_BROADCAST_PAYLOAD, PushType, Reason, check_channel_bundle, is_canonical_uuid,
    new_uuid,
};

/// Which channel API a path belongs to, if any.
pub(crate) enum ChannelPath<'a> {
    /// `/1/apps/<bundle>/channels`.
    Channels(&'a str),
    /// `/1/apps/<bundle>/all-channels`.
    AllChannels(&'a str),
    /// `/4/broadcasts/apps/<bundle>`.
    Broadcast(&'a str),
    /// Under `/1/apps/` or `/4/broadcasts/`, but no path the API has.
    Unknown,
}

impl<'a> ChannelPath<'a> {
    /// `None` for every other path (pushes to devices).
    pub(crate) fn of(path: &'a str) -> Option<Self> {
        if let Some(rest) = path.strip_prefix("/1/apps/") {
            return Some(match rest.rsplit_once('/') {
                Some((bundle, "channels")) if !bundle.contains('/') => Self::Channels(bundle),
                Some((bundle, "all-channels")) if !bundle.contains('/') => {
                    Self::AllChannels(bundle)
                }
                _ => Self::Unknown,
            });
        }
        if let Some(bundle) = path.strip_prefix("/4/broadcasts/apps/") {
            return Some(if bundle.is_empty() || bundle.contains('/') {
                Self::Unknown
            } else {
                Self::Broadcast(bundle)
            });
        }
        None
    }

    /// What the request asks, in a word.
    pub(crate) fn action(&self, method: &Method) -> &'static str {
        match (self, method) {
            (Self::Channels(_), &Method::POST) => "create",
            (Self::Channels(_), &Method::GET) => "read",
            (Self::Channels(_), &Method::DELETE) => "delete",
            (Self::AllChannels(_), _) => "list",
            (Self::Broadcast(_), _) => "broadcast",
            _ => "unknown",
        }
    }

    pub(crate) fn bundle(&self) -> Option<&'a str> {
        match self {
            Self::Channels(b) | Self::AllChannels(b) | Self::Broadcast(b) => Some(b),
            Self::Unknown => None,
        }
    }
}

/// The simulator's answer to a channel request.
pub(crate) struct ChannelAnswer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// For a broadcast: a delivery per subscribed device.
    pub deliveries: Vec<Delivery>,
}

/// Checks that come before authentication: path and method.
pub(crate) fn check_route(path: &ChannelPath<'_>, method: &Method) -> Result<(), Rejection> {
    let allowed: &[Method] = match path {
        ChannelPath::Unknown => return Err(Reason::BadPath.into()),
        ChannelPath::Channels(_) => &[Method::POST, Method::GET, Method::DELETE],
        ChannelPath::AllChannels(_) => &[Method::GET],
        ChannelPath::Broadcast(_) => &[Method::POST],
    };
    if !allowed.contains(method) {
        return Err(Reason::MethodNotAllowed.into());
    }
    if path.bundle().is_some_and(|b| BundleId::parse(b).is_err()) {
        return Err(Reason::BadPath.into());
    }
    Ok(())
}

/// What the simulator needs to answer an authenticated channel request.
pub(crate) struct ChannelContext<'a> {
    pub store: &'a ChannelStore,
    pub registry: &'a DeviceRegistry,
    pub environment: Environment,
    pub identity: &'a Identity,
    pub auth: AuthKind,
}

/// Answers an authenticated channel request (after [`check_route`]).
pub(crate) fn answer(
    path: &ChannelPath<'_>,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
    cx: &ChannelContext<'_>,
) -> Result<ChannelAnswer, Rejection> {
    let bundle = path.bundle().ok_or(Rejection::from(Reason::BadPath))?;
    check_app(bundle, cx.identity)?;
    if !cx.store.enabled() {
        return Err(Reason::FeatureNotEnabled.into());
    }
    let request_id = match text(headers, "apns-request-id") {
        Some(id) if is_canonical_uuid(id) => id.to_owned(),
        Some(_) => return Err(Reason::BadMessageId.into()),
        None => new_uuid(),
    };
    let mut out = ChannelAnswer {
        status: 200,
        headers: vec![("apns-request-id", request_id)],
        body: Vec::new(),
        deliveries: Vec::new(),
    };
    match (path, method) {
        (ChannelPath::Channels(_), &Method::POST) => {
            let config = read_config(body)?;
            let id = cx.store.create(bundle, config).map_err(Rejection::from)?;
            out.status = 201;
            out.headers.push(("apns-channel-id", id.to_string()));
        }
        (ChannelPath::Channels(_), &Method::GET) => {
            let channel = registered(headers, bundle, cx.store)?;
            out.body = serde_json::to_vec(&channel.config).unwrap_or_default();
        }
        (ChannelPath::Channels(_), _) => {
            let channel = registered(headers, bundle, cx.store)?;
            cx.store.delete(bundle, &channel.id);
            out.status = 204;
        }
        (ChannelPath::AllChannels(_), _) => {
            let ids: Vec<ChannelId> = cx.store.list(bundle).into_iter().map(|c| c.id).collect();
            out.body =
                serde_json::to_vec(&serde_json::json!({ "channels": ids })).unwrap_or_default();
        }
        (ChannelPath::Broadcast(_), _) => {
            let apns_id = broadcast_id(headers)?;
            let channel = registered(headers, bundle, cx.store)?;
            out.deliveries = broadcast(headers, body, bundle, &channel, cx)?;
            cx.store.count_broadcast(&channel);
            out.headers.push(("apns-id", apns_id));
            if cx.environment == Environment::Sandbox {
                out.headers.push(("apns-unique-id", new_uuid()));
            }
        }
        (ChannelPath::Unknown, _) => return Err(Reason::BadPath.into()),
    }
    Ok(out)
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The app in the path: its plain bundle id (a push-type suffix is `TopicDisallowed`), and one
/// the certificate or key belongs to (else 403 `TopicMismatch`).
fn check_app(bundle: &str, identity: &Identity) -> Result<(), Rejection> {
    let parsed = BundleId::parse(bundle).map_err(|_| Rejection::from(Reason::BadPath))?;
    if check_channel_bundle(&parsed).is_err() {
        return Err(Reason::TopicDisallowed.into());
    }
    let allowed = match identity {
        Identity::Certificate {
            topics, bundle_id, ..
        } => bundle_id.as_deref() == Some(bundle) || topics.iter().any(|t| t == bundle),
        Identity::Token { topics, .. } => topics.is_empty() || topics.iter().any(|t| t == bundle),
    };
    if allowed {
        Ok(())
    } else {
        Err(Reason::TopicMismatch.into())
    }
}

/// The create body: a JSON object with exactly Apple's two attributes, both required.
fn read_config(body: &[u8]) -> Result<ChannelConfig, Rejection> {
    let Ok(serde_json::Value::Object(json)) = serde_json::from_slice(body) else {
        return Err(Reason::BadRequestPayload.into());
    };
    if json
        .keys()
        .any(|k| k != "message-storage-policy" && k != "push-type")
    {
        return Err(Reason::BadRequestParams.into());
    }
    match json.get("push-type") {
        None => return Err(Reason::MissingPushType.into()),
        // Apple's pages spell it LiveActivity, Liveactivity and liveactivity.
        Some(t)
            if t.as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case("LiveActivity")) => {}
        Some(_) => return Err(Reason::InvalidPushType.into()),
    }
    let policy = json
        .get("message-storage-policy")
        .and_then(serde_json::Value::as_u64)
        .and_then(MessageStoragePolicy::from_number)
        .ok_or(Rejection::from(Reason::BadRequestParams))?;
    Ok(ChannelConfig::new(policy))
}

/// The channel the `apns-channel-id` header names, which must exist for this app.
fn registered(
    headers: &HeaderMap,
    bundle: &str,
    store: &ChannelStore,
) -> Result<SimChannel, Rejection> {
    if headers.get_all("apns-channel-id").iter().count() > 1 {
        return Err(Reason::DuplicateHeaders.into());
    }
    let Some(value) = headers.get("apns-channel-id") else {
        return Err(Reason::MissingChannelId.into());
    };
    let id = value
        .to_str()
        .ok()
        .and_then(|t| ChannelId::parse(t).ok())
        .ok_or(Rejection::from(Reason::BadChannelId))?;
    store
        .get(bundle, &id)
        .ok_or(Rejection::from(Reason::ChannelNotRegistered))
}

/// The headers a broadcast may carry once; a second copy is `DuplicateHeaders`.
const BROADCAST_HEADERS: &[&str] = &[
    "apns-id",
    "apns-push-type",
    "apns-priority",
    "apns-expiration",
    "authorization",
];

/// A broadcast's `apns-id`: optional, a canonical UUID when given (else `BadMessageId`); one
/// is made when absent. Checked first, as for a push.
fn broadcast_id(headers: &HeaderMap) -> Result<String, Rejection> {
    if BROADCAST_HEADERS
        .iter()
        .any(|h| headers.get_all(*h).iter().count() > 1)
    {
        return Err(Reason::DuplicateHeaders.into());
    }
    match headers.get("apns-id") {
        None => Ok(new_uuid()),
        Some(v) => match v.to_str() {
            Ok(id) if is_canonical_uuid(id) => Ok(id.to_owned()),
            _ => Err(Reason::BadMessageId.into()),
        },
    }
}

/// A broadcast's headers and body, then a delivery per subscribed device. Apple requires
/// `apns-priority` and `apns-expiration` on a broadcast without naming a reason for their
/// absence: the simulator answers `BadPriority` and `BadExpirationDate`.
fn broadcast(
    headers: &HeaderMap,
    body: &[u8],
    bundle: &str,
    channel: &SimChannel,
    cx: &ChannelContext<'_>,
) -> Result<Vec<Delivery>, Rejection> {
    match text(headers, "apns-push-type") {
        None if !headers.contains_key("apns-push-type") => {
            return Err(Reason::MissingPushType.into());
        }
        Some("liveactivity") => {}
        _ => return Err(Reason::InvalidPushType.into()),
    }
    if !headers.contains_key("apns-priority") {
        return Err(Reason::BadPriority.into());
    }
    let priority = validate::priority(headers, 10)?;
    let Some(expiration) = validate::expiration(headers)? else {
        return Err(Reason::BadExpirationDate.into());
    };
    if channel.config.message_storage_policy == MessageStoragePolicy::NoStorage && expiration != 0 {
        return Err(Reason::BadExpirationDate.into());
    }
    if body.is_empty() {
        return Err(Reason::PayloadEmpty.into());
    }
    if body.len() > MAX_BROADCAST_PAYLOAD {
        return Err(Reason::PayloadTooLarge.into());
    }
    let payload: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| Rejection::from(Reason::BadRequestPayload))?;
    let topic = PushType::LiveActivity.topic_for(bundle);
    let shown_headers = super::records::shown_headers(headers);
    let now = time::OffsetDateTime::now_utc();
    let reached = cx
        .registry
        .subscribers(&channel.id)
        .into_iter()
        .filter(|(_, e)| e.state == TokenState::Active)
        .filter(|(_, e)| e.environment.is_none_or(|env| env == cx.environment))
        .filter(|(_, e)| e.topic.as_deref().is_none_or(|t| t == bundle || t == topic));
    Ok(reached
        .map(|(token, _)| Delivery {
            time: now,
            token,
            topic: topic.clone(),
            push_type: PushType::LiveActivity,
            priority,
            apns_id: new_uuid(),
            collapse_id: None,
            expiration: Some(expiration),
            auth: cx.auth,
            headers: shown_headers.clone(),
            payload: payload.clone(),
            interface: Interface::Http2,
            channel: Some(channel.id.clone()),
            live_activity: None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_methods() {
        assert!(matches!(
            ChannelPath::of("/1/apps/com.a/channels"),
            Some(ChannelPath::Channels("com.a"))
        ));
        assert!(matches!(
            ChannelPath::of("/1/apps/com.a/all-channels"),
            Some(ChannelPath::AllChannels("com.a"))
        ));
        assert!(matches!(
            ChannelPath::of("/4/broadcasts/apps/com.a"),
            Some(ChannelPath::Broadcast("com.a"))
        ));
        assert!(matches!(
            ChannelPath::of("/1/apps/com.a/x/channels"),
            Some(ChannelPath::Unknown)
        ));
        assert!(ChannelPath::of("/3/device/ab").is_none());
        let all = ChannelPath::AllChannels("com.a");
        assert_eq!(
            check_route(&all, &Method::DELETE).map_err(|r| r.reason),
            Err("MethodNotAllowed")
        );
        let bad_app = ChannelPath::Channels("com a");
        assert_eq!(
            check_route(&bad_app, &Method::POST).map_err(|r| r.reason),
            Err("BadPath")
        );
    }

    #[test]
    fn create_bodies() {
        let ok = read_config(br#"{"message-storage-policy":1,"push-type":"LiveActivity"}"#);
        assert_eq!(
            ok.map(|c| c.message_storage_policy),
            Ok(MessageStoragePolicy::MostRecent)
        );
        let lower = read_config(br#"{"message-storage-policy":0,"push-type":"liveactivity"}"#);
        assert!(lower.is_ok());
        let reason = |b: &[u8]| read_config(b).map_err(|r| r.reason).err();
        assert_eq!(
            reason(br#"{"message-storage-policy":1}"#),
            Some("MissingPushType")
        );
        assert_eq!(
            reason(br#"{"push-type":"LiveActivity"}"#),
            Some("BadRequestParams")
        );
        assert_eq!(
            reason(br#"{"message-storage-policy":1,"push-type":"LiveActivity","ttl":3}"#),
            Some("BadRequestParams")
        );
        assert_eq!(
            reason(br#"{"message-storage-policy":1,"push-type":"alert"}"#),
            Some("InvalidPushType")
        );
        assert_eq!(
            reason(br#"{"message-storage-policy":9,"push-type":"LiveActivity"}"#),
            Some("BadRequestParams")
        );
        assert_eq!(reason(b"nope"), Some("BadRequestPayload"));
        assert_eq!(reason(b"[1]"), Some("BadRequestPayload"));
    }

    #[test]
    fn the_app_in_the_path() {
        let cert = Identity::Certificate {
            environment: crate::cert::CertEnvironment::Development,
            topics: Vec::new(),
            bundle_id: Some("com.a".into()),
            multi_topic: false,
        };
        assert!(check_app("com.a", &cert).is_ok());
        let reason = |b: &str| check_app(b, &cert).map_err(|r| (r.status, r.reason)).err();
        assert_eq!(
            reason("com.a.push-type.liveactivity"),
            Some((400, "TopicDisallowed"))
        );
        assert_eq!(reason("com.b"), Some((403, "TopicMismatch")));
    }
}
