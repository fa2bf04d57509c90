//! Broadcast channels in the simulator: the channel management API (create, read, list,
//! delete, with the per-app limit and its errors) and broadcasts, delivered to every device in
//! the registry that subscribed to the channel.
//!
//! Both are served on the simulator's one port: Apple's management hosts (ports 2195/2196)
//! and push hosts differ, but a client pointed at the simulator uses its address for both.
//!
//! The checks, in order: path (404 `BadPath`) and method (405); authentication (as for pushes);
//! the app in the path against the certificate's or key's topics (`TopicDisallowed`); whether
//! broadcasts are enabled (`FeatureNotEnabled`); then the request's own headers and body.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use http::{HeaderMap, Method};
use serde::Serialize;
use time::OffsetDateTime;

use super::inbox::{AuthKind, Delivery, Interface};
use super::registry::{DeviceRegistry, TokenState};
use super::validate::{self, INVALID_JSON_REASON, Identity, Rejection};
use crate::apns::channel::{CHANNEL_LIMIT, ChannelConfig, ChannelId};
use crate::apns::{BundleId, PushType, Reason, is_canonical_uuid, new_uuid};
use crate::cert::Environment;

/// One channel the simulator holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimChannel {
    pub id: ChannelId,
    /// The app it belongs to; `None` for a channel named in the tokens file without a topic,
    /// which any app may use.
    pub bundle: Option<String>,
    pub config: ChannelConfig,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Broadcasts accepted on it.
    pub broadcasts: u64,
}

/// Every channel of one simulator (one environment), shared by its connections and the app.
#[derive(Debug)]
pub struct ChannelStore {
    channels: RwLock<HashMap<ChannelId, SimChannel>>,
    limit: AtomicUsize,
    enabled: AtomicBool,
}

impl Default for ChannelStore {
    fn default() -> Self {
        ChannelStore {
            channels: RwLock::default(),
            limit: AtomicUsize::new(CHANNEL_LIMIT),
            enabled: AtomicBool::new(true),
        }
    }
}

impl ChannelStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many channels one app may have (Apple's limit by default); creating one more is
    /// refused with `CannotCreateChannelConfig`.
    pub fn set_limit(&self, limit: usize) {
        self.limit.store(limit, Ordering::Relaxed);
    }

    pub fn limit(&self) -> usize {
        self.limit.load(Ordering::Relaxed)
    }

    /// Whether the app has the Broadcast capability; without it every channel request and
    /// broadcast is refused with `FeatureNotEnabled`.
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Creates a channel for `bundle`, or says the app is at its limit.
    pub fn create(&self, bundle: &str, config: ChannelConfig) -> Result<ChannelId, Reason> {
        let mut map = self
            .channels
            .write()
            .map_err(|_| Reason::InternalServerError)?;
        let owned = map
            .values()
            .filter(|c| c.bundle.as_deref() == Some(bundle))
            .count();
        if owned >= self.limit() {
            return Err(Reason::CannotCreateChannelConfig);
        }
        let id = loop {
            let id = ChannelId::random();
            if !map.contains_key(&id) {
                break id;
            }
        };
        map.insert(
            id.clone(),
            SimChannel {
                id: id.clone(),
                bundle: Some(bundle.to_owned()),
                config,
                created: OffsetDateTime::now_utc(),
                broadcasts: 0,
            },
        );
        Ok(id)
    }

    /// Makes sure a channel named in the tokens file exists (for `bundle`, or any app).
    pub fn ensure(&self, id: &ChannelId, bundle: Option<&str>) {
        if let Ok(mut map) = self.channels.write() {
            map.entry(id.clone()).or_insert_with(|| SimChannel {
                id: id.clone(),
                bundle: bundle.map(str::to_owned),
                config: ChannelConfig::new(Default::default()),
                created: OffsetDateTime::now_utc(),
                broadcasts: 0,
            });
        }
    }

    /// The channel `id` of `bundle`.
    pub fn get(&self, bundle: &str, id: &ChannelId) -> Option<SimChannel> {
        let map = self.channels.read().ok()?;
        map.get(id)
            .filter(|c| c.bundle.as_deref().is_none_or(|b| b == bundle))
            .cloned()
    }

    /// Every channel `bundle` may use, oldest first.
    pub fn list(&self, bundle: &str) -> Vec<SimChannel> {
        let mut out: Vec<SimChannel> = self
            .all()
            .into_iter()
            .filter(|c| c.bundle.as_deref().is_none_or(|b| b == bundle))
            .collect();
        out.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        out
    }

    /// Every channel of every app, oldest first.
    pub fn all(&self) -> Vec<SimChannel> {
        let Ok(map) = self.channels.read() else {
            return Vec::new();
        };
        let mut out: Vec<SimChannel> = map.values().cloned().collect();
        out.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        out
    }

    /// Deletes channel `id` of `bundle`; false if it did not exist.
    pub fn delete(&self, bundle: &str, id: &ChannelId) -> bool {
        let Ok(mut map) = self.channels.write() else {
            return false;
        };
        if map
            .get(id)
            .is_some_and(|c| c.bundle.as_deref().is_none_or(|b| b == bundle))
        {
            map.remove(id);
            true
        } else {
            false
        }
    }

    fn count_broadcast(&self, id: &ChannelId) {
        if let Ok(mut map) = self.channels.write()
            && let Some(c) = map.get_mut(id)
        {
            c.broadcasts += 1;
        }
    }

    /// Creates every channel the registry's devices subscribe to, so a tokens file can set up
    /// a broadcast rehearsal on its own.
    pub fn ensure_subscribed(&self, registry: &DeviceRegistry) {
        for (_, entry) in registry.entries() {
            let bundle = entry
                .topic
                .as_deref()
                .map(|t| PushType::LiveActivity.bundle_of(t).unwrap_or(t));
            for id in &entry.channels {
                self.ensure(id, bundle);
            }
        }
    }
}

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
            let channel = registered(headers, bundle, cx.store)?;
            out.deliveries = broadcast(headers, body, bundle, &channel, cx)?;
            cx.store.count_broadcast(&channel.id);
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

/// The app in the path must be one the certificate or key may push to.
fn check_app(bundle: &str, identity: &Identity) -> Result<(), Rejection> {
    let allowed = match identity {
        Identity::Certificate {
            topics, bundle_id, ..
        } => bundle_id.as_deref() == Some(bundle) || topics.iter().any(|t| t == bundle),
        Identity::Token { topics, .. } => topics.is_empty() || topics.iter().any(|t| t == bundle),
    };
    if allowed {
        Ok(())
    } else {
        Err(Reason::TopicDisallowed.into())
    }
}

fn read_config(body: &[u8]) -> Result<ChannelConfig, Rejection> {
    let bad_body = || Rejection {
        status: 400,
        reason: INVALID_JSON_REASON,
        timestamp_ms: None,
    };
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|_| bad_body())?;
    // A push type other than Live Activity has its own reason; anything else wrong with the
    // body (no policy, a policy other than 0 or 1) is the simulator's `BadPayload`.
    match json.get("push-type").and_then(|t| t.as_str()) {
        None => return Err(Reason::MissingPushType.into()),
        Some(t) if !t.eq_ignore_ascii_case("LiveActivity") => {
            return Err(Reason::InvalidPushType.into());
        }
        Some(_) => {}
    }
    serde_json::from_value(json).map_err(|_| bad_body())
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

/// A broadcast's headers and body, then a delivery per subscribed device.
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
    let priority = validate::priority(headers, 10)?;
    let expiration = validate::expiration(headers)?;
    let payload: serde_json::Value = validate::parse_body(body, PushType::LiveActivity)?;
    let topic = PushType::LiveActivity.topic_for(bundle);
    let shown_headers = super::inbox::shown_headers(headers);
    let now = OffsetDateTime::now_utc();
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
            expiration,
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
    use crate::apns::MessageStoragePolicy;

    #[test]
    fn the_store_keeps_each_apps_channels_apart_and_within_the_limit() {
        let store = ChannelStore::new();
        store.set_limit(2);
        let config = ChannelConfig::new(MessageStoragePolicy::MostRecent);
        let a = store.create("com.a", config).unwrap();
        let _b = store.create("com.a", config).unwrap();
        assert_eq!(
            store.create("com.a", config),
            Err(Reason::CannotCreateChannelConfig)
        );
        // Another app has its own limit, and cannot see com.a's channels.
        let c = store.create("com.b", config).unwrap();
        assert!(store.get("com.b", &a).is_none());
        assert_eq!(store.list("com.a").len(), 2);
        assert!(!store.delete("com.b", &a));
        assert!(store.delete("com.a", &a));
        assert!(store.get("com.a", &a).is_none());
        assert_eq!(store.get("com.b", &c).map(|ch| ch.config), Some(config));
        // A channel from the tokens file without a topic is any app's.
        let any = ChannelId::parse("YW55").unwrap();
        store.ensure(&any, None);
        assert!(store.get("com.zzz", &any).is_some());
    }

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
        let reason = |b: &[u8]| read_config(b).map_err(|r| r.reason).err();
        assert_eq!(
            reason(br#"{"message-storage-policy":1}"#),
            Some("MissingPushType")
        );
        assert_eq!(
            reason(br#"{"message-storage-policy":1,"push-type":"alert"}"#),
            Some("InvalidPushType")
        );
        assert_eq!(
            reason(br#"{"message-storage-policy":9,"push-type":"LiveActivity"}"#),
            Some(INVALID_JSON_REASON)
        );
        assert_eq!(reason(b"nope"), Some(INVALID_JSON_REASON));
    }
}
