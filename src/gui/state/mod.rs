//! What the app remembers between runs (in eframe's `app.ron`). Never passphrases or key
//! material: only where files are and what the user called them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::app::Section;
use super::i18n::LanguageChoice;
use super::theme::Appearance;
use crate::apns::Environment;
use crate::apns::PushType;

/// The saved state. New fields need `#[serde(default)]` semantics (the struct has it), so an
/// older `app.ron` still loads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The screen shown at start: the one open when the app was last closed.
    pub section: Section,
    /// Appearance and language.
    pub settings: Settings,
    /// The credential list, by file (loaded again at start; protected ones wait for a passphrase).
    pub credentials: Vec<SavedCredential>,
    /// The folder of the last import or export, where dialogs open next time.
    pub last_folder: Option<PathBuf>,
    /// What the "Generate test certificate" form held.
    pub test_bundle_id: String,
    /// Where pushes go and with which credential (shared by Connection, Compose and Batch).
    pub connection: ConnectionSettings,
    /// How the embedded simulator is started.
    pub simulator: SimulatorSettings,
    /// The Compose screen's notification.
    pub compose: Draft,
    /// Devices the user named, for Compose and Batch.
    pub devices: SavedDevices,
    /// Every single send, newest last, at most [`HISTORY_LIMIT`].
    pub history: Vec<HistoryEntry>,
    /// The user closed the first-run guide.
    pub guide_hidden: bool,
    /// The first-run guide's last step: the simulator's inbox was opened after a delivery.
    pub guide_inbox_seen: bool,
    /// How the Batch screen sends.
    pub batch: BatchSettings,
}

impl State {
    /// Brings a state saved by an older version up to date: a bundle id typed on Compose (or
    /// for a `.p8` on Connection) used to apply to every credential; it now belongs to the
    /// credential that was chosen.
    pub fn migrate(&mut self) {
        let typed = std::mem::take(&mut self.compose.bundle_id);
        if let Some(path) = self.connection.credential.clone()
            && !typed.trim().is_empty()
            && self.connection.bundle_id_for(&path).is_none()
        {
            *self.connection.bundle_id_mut(&path) = typed;
        }
    }

    /// Adds a send to the history, dropping the oldest of its kind beyond
    /// [`HISTORY_LIMIT`] single sends or [`BATCH_HISTORY_LIMIT`] batches.
    pub fn remember(&mut self, entry: HistoryEntry) {
        let batch = entry.batch.is_some();
        self.history.push(entry);
        let limit = if batch {
            BATCH_HISTORY_LIMIT
        } else {
            HISTORY_LIMIT
        };
        let of_kind = self
            .history
            .iter()
            .filter(|e| e.batch.is_some() == batch)
            .count();
        let mut excess = of_kind.saturating_sub(limit);
        self.history.retain(|e| {
            if excess > 0 && e.batch.is_some() == batch {
                excess -= 1;
                false
            } else {
                true
            }
        });
    }
}

/// Where pushes go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Destination {
    /// The simulator running inside the app.
    #[default]
    LocalSimulator,
    /// Apple's development servers, for apps signed for development.
    Sandbox,
    /// Apple's servers for App Store, TestFlight and Ad Hoc builds.
    Production,
    /// Any `host:port`, e.g. a company gateway or a `pushlab sim` elsewhere.
    Custom,
}

/// Where pushes go and with which credential. Only paths and ids: never key material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectionSettings {
    /// Which server the pushes go to.
    pub destination: Destination,
    /// 443 or 2197, for Apple's hosts.
    pub port: u16,
    /// `host:port` for [`Destination::Custom`].
    pub custom_host: String,
    /// A PEM file with the custom server's CA (empty: the system's roots).
    pub custom_ca: String,
    /// The chosen credential, by its file; `None` picks the first usable one.
    pub credential: Option<PathBuf>,
    /// For `.p8` auth keys: the key id (when the file name does not say) and the team id.
    pub key_id: String,
    /// For `.p8` auth keys: the team id that signs the provider token with the key.
    pub team_id: String,
    /// The proxy every connection goes through (`http://user@host:port`, `socks5://…`);
    /// empty connects directly. Saved without a password, whatever was typed.
    #[serde(serialize_with = "proxy_without_password")]
    pub proxy: String,
    /// The proxy's password, for this session only.
    #[serde(skip)]
    pub proxy_password: SessionSecret,
    /// The bundle id typed for a credential (required for `.p8` auth keys; for a
    /// certificate it replaces the certificate's own), by the credential's file. Kept per
    /// credential so one typed for a key never follows the user to a certificate.
    pub bundle_ids: std::collections::BTreeMap<PathBuf, String>,
}

/// A secret typed for this session: never saved, never shown by `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SessionSecret(pub String);

impl std::fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

fn proxy_without_password<S: serde::Serializer>(url: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::proxy::without_password(url))
}

impl ConnectionSettings {
    /// The proxy to go through, with the session's password when the URL names a user
    /// without one; `None` when the field is empty.
    pub fn proxy(&self) -> Result<Option<crate::proxy::Proxy>, String> {
        if self.proxy.trim().is_empty() {
            return Ok(None);
        }
        let mut proxy =
            crate::proxy::Proxy::parse(&self.proxy).map_err(|e| format!("Proxy: {e}"))?;
        if let Some(c) = proxy.credentials.as_mut()
            && c.password.is_empty()
        {
            c.password.clone_from(&self.proxy_password.0);
        }
        Ok(Some(proxy))
    }

    /// The library's destination for these settings (a custom host is checked here).
    pub fn destination(&self) -> Result<crate::client::Destination, String> {
        use crate::apns::Environment;
        use crate::client::{CustomHost, Destination as To};
        Ok(match self.destination {
            Destination::LocalSimulator => To::LocalSimulator,
            Destination::Sandbox => To::Apple(Environment::Sandbox),
            Destination::Production => To::Apple(Environment::Production),
            Destination::Custom => To::Custom(CustomHost::parse(&self.custom_host)?),
        })
    }
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        ConnectionSettings {
            destination: Destination::LocalSimulator,
            port: 443,
            custom_host: String::new(),
            custom_ca: String::new(),
            credential: None,
            key_id: String::new(),
            team_id: String::new(),
            proxy: String::new(),
            proxy_password: SessionSecret::default(),
            bundle_ids: std::collections::BTreeMap::new(),
        }
    }
}

impl ConnectionSettings {
    /// The bundle id typed for the credential in `path`, if any.
    pub fn bundle_id_for(&self, path: &std::path::Path) -> Option<&str> {
        self.bundle_ids
            .get(path)
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
    }

    /// The field holding the bundle id typed for the credential in `path`.
    pub fn bundle_id_mut(&mut self, path: &std::path::Path) -> &mut String {
        self.bundle_ids.entry(path.to_owned()).or_default()
    }
}

/// How the embedded simulator runs, and the failures it injects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimulatorSettings {
    /// Which APNs environment the simulator plays: a push meant for the other one is refused as
    /// Apple would.
    pub environment: Environment,
    /// 0 picks a free port.
    pub port: u16,
    /// Answer this share (0–100 %) of requests with [`SimulatorSettings::error_reason`].
    pub error_percent: f64,
    /// `TooManyRequests`, `ServiceUnavailable` or `InternalServerError`.
    pub error_reason: String,
    /// Send GOAWAY after this many requests on a connection (0: never).
    pub goaway_after: u64,
    /// Wait this long before each answer.
    pub latency_ms: u64,
    /// Deliver every Nth push, then reset its stream unanswered (0: never).
    pub reset_processed_every: u64,
    /// Drop a connection without GOAWAY after it delivered this many pushes (0: never).
    pub drop_after_processing: u64,
    /// Answer what a push's headers decide before reading its body (`Faults::answer_from_headers`).
    pub answer_from_headers: bool,
    /// Also serve the control API and web inbox (loopback only) on [`Self::api_port`].
    pub api_enabled: bool,
    /// 0 picks a free port.
    pub api_port: u16,
}

impl Default for SimulatorSettings {
    fn default() -> Self {
        SimulatorSettings {
            environment: Environment::Sandbox,
            port: 0,
            error_percent: 0.0,
            error_reason: "TooManyRequests".to_owned(),
            goaway_after: 0,
            latency_ms: 0,
            reset_processed_every: 0,
            drop_after_processing: 0,
            answer_from_headers: false,
            api_enabled: false,
            api_port: 0,
        }
    }
}

/// The notification being composed: what the form and the JSON editor show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// As typed (normalised to hex once it parses).
    pub token: String,
    /// The push type, which sets the `apns-push-type` header, the topic's suffix and the default
    /// priority.
    pub push_type: PushType,
    /// The bundle id this push went to, as History records it. What is sent is the route's
    /// (the credential's own, or the one typed for that credential on Connection or here).
    pub bundle_id: String,
    /// The payload JSON, exactly as sent.
    pub payload: String,
    /// `None`: the push type's default.
    pub priority: Option<u8>,
    /// The `apns-expiration` header: how long APNs keeps the push for an offline device.
    pub expiration: Expiration,
    /// The `apns-collapse-id` header (empty: none): newer pushes with it replace older ones on the
    /// device.
    pub collapse_id: String,
    /// The `apns-id` header (empty: APNs picks one).
    pub apns_id: String,
}

impl Default for Draft {
    fn default() -> Self {
        let payload =
            serde_json::to_string_pretty(&crate::gui::compose::default_payload(PushType::Alert))
                .unwrap_or_default();
        Draft {
            token: String::new(),
            push_type: PushType::Alert,
            bundle_id: String::new(),
            payload,
            priority: None,
            expiration: Expiration::default(),
            collapse_id: String::new(),
            apns_id: String::new(),
        }
    }
}

/// The `apns-expiration` header (the library's own type, saved as it is).
pub use crate::apns::Expiration;

pub use super::devices::{LiveTokenKind, SavedDevice, SavedDevices, StoredDevice, UnreadableToken};

mod history_entry;
pub use history_entry::{
    BATCH_HISTORY_LIMIT, BATCH_SAMPLE, BatchProblem, BatchRecord, HISTORY_LIMIT, HistoryEntry,
    ProblemWhy, SendFailure,
};

/// How batches are sent: connections and pushes in flight on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchSettings {
    /// 1–8 connections opened at once; with `auto_connections`, the most to open.
    pub connections: usize,
    /// Start with one connection and add one, up to `connections`, while every connection is
    /// full and answers wait on the network (`--connections auto`).
    pub auto_connections: bool,
    /// 1–1000 pushes waiting for an answer on each connection (the server's limit applies
    /// too).
    pub max_in_flight: usize,
    /// Send pushes that got no answer again (a duplicate rather than a loss).
    pub resend_unconfirmed: bool,
}

impl BatchSettings {
    /// How many connections a batch may open at once; the slider's range.
    pub const CONNECTIONS: std::ops::RangeInclusive<usize> = 1..=8;
    /// How many pushes may wait for an answer on one connection; the slider's range.
    pub const MAX_IN_FLIGHT: std::ops::RangeInclusive<usize> = 1..=1000;

    /// Turns "Add as needed" on or off. Turned on while one connection is set, it could add
    /// none: the most becomes [`AUTO_MAX_CONNECTIONS`](crate::client::AUTO_MAX_CONNECTIONS),
    /// as `--connections auto` has, shown in the Connections field.
    pub fn set_auto_connections(&mut self, on: bool) {
        self.auto_connections = on;
        if on && self.connections <= 1 {
            self.connections = crate::client::AUTO_MAX_CONNECTIONS.min(*Self::CONNECTIONS.end());
        }
    }

    /// The batch options these settings ask for, kept within their ranges.
    pub fn options(&self) -> crate::client::BatchOptions {
        crate::client::BatchOptions {
            connections: self
                .connections
                .clamp(*Self::CONNECTIONS.start(), *Self::CONNECTIONS.end()),
            max_in_flight: self
                .max_in_flight
                .clamp(*Self::MAX_IN_FLIGHT.start(), *Self::MAX_IN_FLIGHT.end()),
            auto_connections: self.auto_connections,
            resend_unconfirmed: self.resend_unconfirmed,
            ..Default::default()
        }
    }
}

impl Default for BatchSettings {
    fn default() -> Self {
        BatchSettings {
            connections: 1,
            auto_connections: false,
            max_in_flight: 1000,
            resend_unconfirmed: false,
        }
    }
}

/// The user's preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Light, dark, or as the system is.
    pub appearance: Appearance,
    /// The app's language: the system's, or one the user picked.
    pub language: LanguageChoice,
}

/// One entry of the credential list: a file and, when the key is in another file, that file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCredential {
    /// What the list shows: the file name, or a name the app chose for generated certificates.
    pub name: String,
    /// The certificate, `.p12`, `.p8` or combined PEM file.
    pub path: PathBuf,
    /// The private key's own file, when the certificate's file does not hold it.
    #[serde(default)]
    pub key_path: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::TokenError;

    #[test]
    fn the_proxy_is_saved_without_its_password() {
        let mut state = State::default();
        state.connection.proxy = "http://alice:typed-pw@proxy.corp:3128".to_owned();
        state.connection.proxy_password = SessionSecret("session-pw".to_owned());
        let saved = serde_json::to_string(&state).unwrap();
        assert!(saved.contains("http://alice@proxy.corp:3128"), "{saved}");
        assert!(!saved.contains("typed-pw") && !saved.contains("session-pw"));
        assert!(!format!("{state:?}").contains("session-pw"));
        let loaded: State = serde_json::from_str(&saved).unwrap();
        assert_eq!(loaded.connection.proxy, "http://alice@proxy.corp:3128");
        state.connection.proxy = loaded.connection.proxy;
        let proxy = state.connection.proxy().unwrap().unwrap();
        assert_eq!(proxy.credentials.unwrap().password, "session-pw");
    }

    #[test]
    fn older_or_partial_state_still_loads() {
        let state: State =
            serde_json::from_str(r#"{"credentials":[{"name":"a","path":"/a.p12"}]}"#).unwrap();
        assert_eq!(state.credentials[0].key_path, None);
        assert_eq!(state.settings, Settings::default());
        let back: State = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
        assert_eq!(back, state);
        assert_eq!(state.connection.destination, Destination::LocalSimulator);
    }

    /// Where a push went is kept as data and comes back as it was saved; an entry saved before
    /// that (its words only) still loads, and shows those words.
    #[test]
    fn a_history_entry_keeps_where_it_went_as_data() {
        let entry = HistoryEntry {
            destination: "Apple production (api.push.apple.com:443)".into(),
            route: Some(crate::client::TargetLabel::Apple {
                environment: crate::apns::Environment::Production,
                host: "api.push.apple.com".into(),
                port: 443,
            }),
            ..HistoryEntry::default()
        };
        let saved = serde_json::to_string(&entry).unwrap();
        assert!(saved.contains(r#""kind":"apple""#), "{saved}");
        let back: HistoryEntry = serde_json::from_str(&saved).unwrap();
        assert_eq!(back, entry);
        let older: HistoryEntry =
            serde_json::from_str(r#"{"destination":"本地模拟器（沙盒环境，127.0.0.1:2197）"}"#)
                .unwrap();
        assert_eq!(older.route, None);
        assert_eq!(
            older.destination_words(),
            "本地模拟器（沙盒环境，127.0.0.1:2197）"
        );
    }

    #[test]
    fn batch_settings_stay_in_range() {
        let options = BatchSettings {
            connections: 0,
            auto_connections: true,
            max_in_flight: 5000,
            resend_unconfirmed: false,
        }
        .options();
        assert_eq!((options.connections, options.max_in_flight), (1, 1000));
        assert!(options.auto_connections);
        let mut one = BatchSettings::default();
        one.set_auto_connections(true);
        assert_eq!((one.connections, one.options().connections), (8, 8));
        let mut three = BatchSettings {
            connections: 3,
            ..BatchSettings::default()
        };
        three.set_auto_connections(true);
        three.set_auto_connections(false);
        assert_eq!((three.connections, three.auto_connections), (3, false));
        let state: State = serde_json::from_str("{}").unwrap();
        assert_eq!(state.batch, BatchSettings::default());
    }

    #[test]
    fn a_bad_saved_token_is_set_aside_not_fatal_and_not_lost() {
        let good = "a".repeat(64);
        let json = format!(
            r#"{{"devices":[{{"name":"Alice","token":"{good}"}},{{"name":"门铃","token":"not a token","group":"g"}}]}}"#
        );
        let state: State = serde_json::from_str(&json).unwrap();
        assert_eq!(state.devices.len(), 1);
        assert_eq!(state.devices[0].name, "Alice");
        assert_eq!(state.devices[0].token.to_hex(), good);
        let unreadable = state.devices.unreadable();
        assert_eq!(unreadable.len(), 1);
        assert_eq!(unreadable[0].0.name, "门铃");
        assert!(matches!(unreadable[0].1, TokenError::NotHex { .. }));

        // Written back, the bad entry is there as it was.
        let again = serde_json::to_value(&state).unwrap();
        assert_eq!(again["devices"][1]["token"], "not a token");
        assert_eq!(again["devices"][1]["group"], "g");
        let back: State = serde_json::from_value(again).unwrap();
        assert_eq!(back, state);
    }

    #[test]
    fn history_is_bounded() {
        let mut state = State::default();
        for i in 0..(HISTORY_LIMIT + 20) {
            state.remember(HistoryEntry {
                time: i as i64,
                ..Default::default()
            });
        }
        assert_eq!(state.history.len(), HISTORY_LIMIT);
        assert_eq!(state.history[0].time, 20);
    }

    #[test]
    fn single_sends_never_push_out_a_batch_record() {
        let mut state = State::default();
        state.remember(HistoryEntry {
            time: -1,
            batch: Some(BatchRecord {
                total: 100_000,
                ..Default::default()
            }),
            ..Default::default()
        });
        for i in 0..(HISTORY_LIMIT + 50) {
            state.remember(HistoryEntry {
                time: i as i64,
                ..Default::default()
            });
        }
        assert_eq!(state.history.len(), HISTORY_LIMIT + 1);
        assert_eq!(state.history[0].batch.as_ref().unwrap().total, 100_000);
        for i in 0..(BATCH_HISTORY_LIMIT + 5) {
            state.remember(HistoryEntry {
                time: 10_000 + i as i64,
                batch: Some(BatchRecord::default()),
                ..Default::default()
            });
        }
        let batches = state.history.iter().filter(|e| e.batch.is_some()).count();
        assert_eq!(batches, BATCH_HISTORY_LIMIT);
        assert_eq!(state.history.len(), HISTORY_LIMIT + BATCH_HISTORY_LIMIT);
    }
}
