//! The simulator's device registry: which tokens exist, for which topic and environment, and
//! which have gone stale.

use std::collections::HashMap;
use std::sync::RwLock;

use crate::apns::Environment;
use crate::apns::token_list::read_token_list;
use crate::apns::{ChannelId, DeviceToken};

/// What the simulator knows of one device token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    /// Valid: pushes to it are delivered.
    Active,
    /// The app was removed or its notifications turned off; `since_ms` is the 410 timestamp.
    Unregistered {
        /// Milliseconds since 1970.
        since_ms: i64,
    },
    /// The token expired (410 `ExpiredToken`).
    Expired,
}

/// A registered token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceEntry {
    /// Whether pushes to it are delivered, or refused with 410.
    pub state: TokenState,
    /// The topic (bundle id) the token belongs to; `None` = any.
    pub topic: Option<String>,
    /// The environment the token was issued for; `None` = the simulator's own.
    pub environment: Option<Environment>,
    /// A name for people ("Alice's iPhone").
    pub name: Option<String>,
    /// The broadcast channels the device has subscribed to (an app does it through
    /// ActivityKit); a broadcast on one of them reaches this device.
    pub channels: Vec<ChannelId>,
}

impl DeviceEntry {
    /// An active token for any topic, in the simulator's environment, with no name or channels.
    pub fn active() -> Self {
        DeviceEntry {
            state: TokenState::Active,
            topic: None,
            environment: None,
            name: None,
            channels: Vec::new(),
        }
    }
}

/// Tokens by their bytes. Shared by every connection of one simulator.
#[derive(Debug, Default)]
pub struct DeviceRegistry {
    entries: RwLock<HashMap<Vec<u8>, DeviceEntry>>,
}

/// A line of a tokens file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TokensFileError {
    /// The line, from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl DeviceRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a tokens file: one token per line, optionally followed by a state (`active`,
    /// `unregistered`, `expired`), an environment (`sandbox`, `production`), a topic and any
    /// number of `channel:<id>` subscriptions, in any order; `#` starts a comment. Lines are read
    /// by the one token-list reader every list in
    /// pushlab goes through.
    pub fn parse(text: &str) -> Result<Self, TokensFileError> {
        Self::parse_bytes(text.as_bytes())
    }

    /// [`parse`](Self::parse) from bytes, in any of the list reader's encodings.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Self, TokensFileError> {
        let registry = DeviceRegistry::new();
        let now_ms = now_ms();
        for entry in read_token_list(bytes) {
            let listed = entry.map_err(|bad| TokensFileError {
                line: usize::try_from(bad.line).unwrap_or(usize::MAX),
                message: bad.reason,
            })?;
            let line = usize::try_from(listed.line).unwrap_or(usize::MAX);
            let mut entry = DeviceEntry::active();
            for word in listed
                .rest
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|w| !w.is_empty())
            {
                match word.to_ascii_lowercase().as_str() {
                    "active" => entry.state = TokenState::Active,
                    "unregistered" => entry.state = TokenState::Unregistered { since_ms: now_ms },
                    "expired" => entry.state = TokenState::Expired,
                    "sandbox" | "development" => entry.environment = Some(Environment::Sandbox),
                    "production" => entry.environment = Some(Environment::Production),
                    _ if word.len() > 8 && word[..8].eq_ignore_ascii_case("channel:") => {
                        let id = ChannelId::parse(&word[8..]).map_err(|e| TokensFileError {
                            line,
                            message: e.to_string(),
                        })?;
                        if !entry.channels.contains(&id) {
                            entry.channels.push(id);
                        }
                    }
                    _ if word.contains('.') => entry.topic = Some(word.to_owned()),
                    _ => {
                        return Err(TokensFileError {
                            line,
                            message: format!(
                                "'{word}' is not a state (active, unregistered, expired), an environment (sandbox, production), a topic or channel:<id>"
                            ),
                        });
                    }
                }
            }
            registry.insert(&listed.token, entry);
        }
        Ok(registry)
    }

    /// Replaces every entry with those of `other`: a tokens file read again is the whole truth,
    /// so a line taken out ends that device's registration and subscriptions.
    pub fn replace_with(&self, other: DeviceRegistry) {
        let Ok(new) = other.entries.into_inner() else {
            return;
        };
        if let Ok(mut map) = self.entries.write() {
            *map = new;
        }
    }

    /// Registers a token, replacing what was known of it.
    pub fn insert(&self, token: &DeviceToken, entry: DeviceEntry) {
        if let Ok(mut map) = self.entries.write() {
            map.insert(token.as_bytes().to_vec(), entry);
        }
    }

    /// What is known of the token with these bytes, if it is registered.
    pub fn get(&self, token: &[u8]) -> Option<DeviceEntry> {
        self.entries.read().ok()?.get(token).cloned()
    }

    /// Forgets a token (its subscriptions too); false if it was not registered.
    pub fn remove(&self, token: &DeviceToken) -> bool {
        self.entries
            .write()
            .is_ok_and(|mut map| map.remove(token.as_bytes()).is_some())
    }

    /// Marks a token unregistered now (as if the app had been deleted).
    pub fn unregister(&self, token: &DeviceToken) {
        let mut entry = self
            .get(token.as_bytes())
            .unwrap_or_else(DeviceEntry::active);
        entry.state = TokenState::Unregistered { since_ms: now_ms() };
        self.insert(token, entry);
    }

    /// Subscribes a device to a channel, or ends the subscription; a device the registry does
    /// not know is added, active.
    pub fn set_subscribed(&self, token: &DeviceToken, channel: &ChannelId, subscribed: bool) {
        if let Ok(mut map) = self.entries.write() {
            let entry = map
                .entry(token.as_bytes().to_vec())
                .or_insert_with(DeviceEntry::active);
            entry.channels.retain(|c| c != channel);
            if subscribed {
                entry.channels.push(channel.clone());
            }
        }
    }

    /// The devices subscribed to `channel`, sorted by token.
    pub fn subscribers(&self, channel: &ChannelId) -> Vec<(DeviceToken, DeviceEntry)> {
        let Ok(map) = self.entries.read() else {
            return Vec::new();
        };
        // Only the subscribed entries are copied: a broadcast looks this up every time, and
        // the registry may hold a whole tokens file.
        let mut out: Vec<_> = map
            .iter()
            .filter(|(_, e)| e.channels.contains(channel))
            .filter_map(|(k, v)| Some((DeviceToken::from_bytes(k.clone()).ok()?, v.clone())))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Every token and its entry, sorted by token.
    pub fn entries(&self) -> Vec<(DeviceToken, DeviceEntry)> {
        let Ok(map) = self.entries.read() else {
            return Vec::new();
        };
        let mut out: Vec<_> = map
            .iter()
            .filter_map(|(k, v)| Some((DeviceToken::from_bytes(k.clone()).ok()?, v.clone())))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// How many tokens are registered.
    pub fn len(&self) -> usize {
        self.entries.read().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether no token is registered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub(crate) fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_file() {
        let a = "aa".repeat(32);
        let b = "bb".repeat(32);
        let c = "cc".repeat(32);
        let text = format!(
            "# devices\n{a}\n<{b}> unregistered com.example.app\n{c} expired production # old phone\n\n"
        );
        let r = DeviceRegistry::parse(&text).unwrap();
        assert_eq!(r.len(), 3);
        let eb = r.get(&hex::decode(&b).unwrap()).unwrap();
        assert!(matches!(eb.state, TokenState::Unregistered { .. }));
        assert_eq!(eb.topic.as_deref(), Some("com.example.app"));
        let ec = r.get(&hex::decode(&c).unwrap()).unwrap();
        assert_eq!(ec.state, TokenState::Expired);
        assert_eq!(ec.environment, Some(Environment::Production));
        let d = "dd".repeat(32);
        let r2 = DeviceRegistry::parse(&format!("{d} channel:dHN0 CHANNEL:c2Vjb25k")).unwrap();
        let ed = r2.get(&hex::decode(&d).unwrap()).unwrap();
        assert_eq!(ed.channels.len(), 2);
        assert_eq!(r2.subscribers(&ChannelId::parse("dHN0").unwrap()).len(), 1);
        let bad = DeviceRegistry::parse(&format!("{d} channel:!!")).unwrap_err();
        assert!(bad.message.contains("not a channel id"), "{}", bad.message);
        let err = DeviceRegistry::parse(&format!("{a} sleepy")).unwrap_err();
        assert_eq!(err.line, 1);
        assert!(DeviceRegistry::parse("xyz").is_err());
    }

    #[test]
    fn a_file_read_again_replaces_every_entry() {
        let (a, b) = ("aa".repeat(32), "bb".repeat(32));
        let r = DeviceRegistry::parse(&format!("{a} channel:dHN0\n{b}\n")).unwrap();
        r.replace_with(DeviceRegistry::parse(&format!("{b} channel:dHN0\n")).unwrap());
        assert_eq!(r.len(), 1);
        let subscribed = r.subscribers(&ChannelId::parse("dHN0").unwrap());
        assert_eq!(subscribed.len(), 1);
        assert_eq!(subscribed[0].0.to_hex(), b);
    }
}
