//! Broadcast channels in the simulator: what channels exist, for which app. The API that
//! creates, reads, lists and deletes them and broadcasts on them is `channel_api`.
//!
//! A simulator stands for one environment, so its store holds that environment's channels;
//! within it channels belong to an app. Apple keys channels by app and environment, and two
//! apps' ids are unrelated: the same id named under two apps is two channels.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde::Serialize;
use time::OffsetDateTime;

use super::registry::DeviceRegistry;
use crate::apns::channel::{CHANNEL_LIMIT, ChannelConfig, ChannelId};
use crate::apns::{PushType, Reason};

/// One channel the simulator holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimChannel {
    /// The channel's id, as `apns-channel-id` names it.
    pub id: ChannelId,
    /// The app it belongs to; `None` for a channel named in the tokens file without a topic,
    /// which any app may use.
    pub bundle: Option<String>,
    /// What the channel was created with (its message storage policy).
    pub config: ChannelConfig,
    /// When the channel was created (or first named).
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Broadcasts accepted on it.
    pub broadcasts: u64,
}

/// One app's channels (or, under `None`, those any app may use).
type AppChannels = HashMap<ChannelId, SimChannel>;

/// Every channel of one simulator (one environment), shared by its connections and the app.
#[derive(Debug)]
pub struct ChannelStore {
    channels: RwLock<HashMap<Option<String>, AppChannels>>,
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

fn new_channel(id: &ChannelId, bundle: Option<&str>, config: ChannelConfig) -> SimChannel {
    SimChannel {
        id: id.clone(),
        bundle: bundle.map(str::to_owned),
        config,
        created: OffsetDateTime::now_utc(),
        broadcasts: 0,
    }
}

fn sorted(mut list: Vec<SimChannel>) -> Vec<SimChannel> {
    list.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    list
}

impl ChannelStore {
    /// An empty store with Apple's per-app channel limit, broadcasting enabled.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many channels one app may have (Apple's limit by default); creating one more is
    /// refused with `CannotCreateChannelConfig`.
    pub fn set_limit(&self, limit: usize) {
        self.limit.store(limit, Ordering::Relaxed);
    }

    /// How many channels one app may have.
    pub fn limit(&self) -> usize {
        self.limit.load(Ordering::Relaxed)
    }

    /// Whether the app has the Broadcast capability; without it every channel request and
    /// broadcast is refused with `FeatureNotEnabled`.
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// Whether the app has the Broadcast capability (see [`set_enabled`](Self::set_enabled)).
    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Creates a channel for `bundle`, or says the app is at its limit.
    pub fn create(&self, bundle: &str, config: ChannelConfig) -> Result<ChannelId, Reason> {
        let mut map = self
            .channels
            .write()
            .map_err(|_| Reason::InternalServerError)?;
        let limit = self.limit();
        // An id no app-less channel has either, so a lookup by this app finds only the new one.
        let taken = |id: &ChannelId, map: &HashMap<Option<String>, AppChannels>| {
            map.values().any(|app| app.contains_key(id))
        };
        let id = loop {
            let id = ChannelId::random();
            if !taken(&id, &map) {
                break id;
            }
        };
        let app = map.entry(Some(bundle.to_owned())).or_default();
        if app.len() >= limit {
            return Err(Reason::CannotCreateChannelConfig);
        }
        app.insert(id.clone(), new_channel(&id, Some(bundle), config));
        Ok(id)
    }

    /// Makes sure a channel named in the tokens file exists for `bundle` (or for any app).
    pub fn ensure(&self, id: &ChannelId, bundle: Option<&str>) {
        if let Ok(mut map) = self.channels.write() {
            map.entry(bundle.map(str::to_owned))
                .or_default()
                .entry(id.clone())
                .or_insert_with(|| new_channel(id, bundle, ChannelConfig::new(Default::default())));
        }
    }

    /// The channel `id` of `bundle`: its own, else one any app may use.
    pub fn get(&self, bundle: &str, id: &ChannelId) -> Option<SimChannel> {
        let map = self.channels.read().ok()?;
        map.get(&Some(bundle.to_owned()))
            .and_then(|app| app.get(id))
            .or_else(|| map.get(&None).and_then(|any| any.get(id)))
            .cloned()
    }

    /// Every channel `bundle` may use, oldest first.
    pub fn list(&self, bundle: &str) -> Vec<SimChannel> {
        let Ok(map) = self.channels.read() else {
            return Vec::new();
        };
        let own = map.get(&Some(bundle.to_owned())).into_iter();
        let any = map.get(&None).into_iter();
        sorted(
            own.chain(any)
                .flat_map(|app| app.values().cloned())
                .collect(),
        )
    }

    /// Every channel of every app, oldest first.
    pub fn all(&self) -> Vec<SimChannel> {
        let Ok(map) = self.channels.read() else {
            return Vec::new();
        };
        sorted(map.values().flat_map(|app| app.values().cloned()).collect())
    }

    /// Deletes channel `id` of `bundle` (its own, else one any app may use); false if there
    /// was none.
    pub fn delete(&self, bundle: &str, id: &ChannelId) -> bool {
        let Ok(mut map) = self.channels.write() else {
            return false;
        };
        [Some(bundle.to_owned()), None]
            .iter()
            .any(|key| map.get_mut(key).and_then(|app| app.remove(id)).is_some())
    }

    /// Counts a broadcast accepted on `channel`.
    pub(crate) fn count_broadcast(&self, channel: &SimChannel) {
        if let Ok(mut map) = self.channels.write()
            && let Some(c) = map
                .get_mut(&channel.bundle)
                .and_then(|app| app.get_mut(&channel.id))
        {
            c.broadcasts += 1;
        }
    }

    /// Creates every channel the registry's devices subscribe to, each for the app of the
    /// device's topic, so a tokens file can set up a broadcast rehearsal on its own.
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
    fn one_id_under_two_apps_is_two_channels_whatever_the_order() {
        let id = "c2hhcmVk";
        for lines in [
            format!(
                "{} com.a channel:{id}\n{} com.b channel:{id}\n",
                "aa".repeat(32),
                "bb".repeat(32)
            ),
            format!(
                "{} com.b channel:{id}\n{} com.a channel:{id}\n",
                "aa".repeat(32),
                "bb".repeat(32)
            ),
        ] {
            let registry = DeviceRegistry::parse(&lines).unwrap();
            let store = ChannelStore::new();
            store.ensure_subscribed(&registry);
            let id = ChannelId::parse(id).unwrap();
            let a = store.get("com.a", &id).unwrap();
            let b = store.get("com.b", &id).unwrap();
            assert_eq!(a.bundle.as_deref(), Some("com.a"));
            assert_eq!(b.bundle.as_deref(), Some("com.b"));
            assert_eq!(store.all().len(), 2);
            // Deleting one app's leaves the other's.
            assert!(store.delete("com.a", &id));
            assert!(store.get("com.a", &id).is_none() && store.get("com.b", &id).is_some());
            store.count_broadcast(&b);
            assert_eq!(store.get("com.b", &id).map(|c| c.broadcasts), Some(1));
        }
    }
}
