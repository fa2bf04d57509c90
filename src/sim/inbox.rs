//! What the simulator accepted: the inbox the app shows (what the phone would display), an
//! event per request for the CLI, and an optional JSON Lines log.

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::activity::{Activities, Activity, ActivityOutcome};
use super::feed::{FEED_CAPACITY, FeedEvent, FeedItem, Refusal};
use super::tally::{Stats, Tally};
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
    /// How the connection authenticated; `None` for a refused HTTP/2 request and for channel
    /// requests.
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

/// At most this many refused requests are kept, whatever the inbox's capacity: as many as
/// the control API lists at once, and a few hundred kilobytes however long an attack lasts.
pub const REFUSALS_KEPT: usize = 1_000;

/// The newest deliveries (bounded), a count of all, and the optional log.
#[derive(Clone)]
pub struct Inbox {
    inner: Arc<InboxInner>,
}

struct InboxInner {
    capacity: usize,
    /// Shared, so a reader copies references under the lock, not payloads.
    items: Mutex<VecDeque<Arc<Delivery>>>,
    total: AtomicU64,
    rejected: AtomicU64,
    log: Mutex<Option<std::io::BufWriter<std::fs::File>>>,
    events: tokio::sync::broadcast::Sender<RequestEvent>,
    activities: Activities,
    /// The newest refused requests (as many as deliveries are kept, at most
    /// [`REFUSALS_KEPT`]).
    refusals: Mutex<VecDeque<Refusal>>,
    /// Deliveries, refusals and activity changes for followers (the API's event stream).
    feed: tokio::sync::broadcast::Sender<FeedEvent>,
    /// Bumped on every delivery, refusal and clear, so a waiter looks again only then.
    changes: tokio::sync::watch::Sender<u64>,
    tally: Tally,
    /// Called after each delivery or refusal: a window showing the inbox redraws then,
    /// instead of looking again on a timer.
    waker: std::sync::RwLock<Option<Waker>>,
}

/// What [`Inbox::set_waker`] calls.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox")
            .field("total", &self.total())
            .finish()
    }
}

impl Inbox {
    /// An inbox keeping the newest `capacity` deliveries.
    pub fn new(capacity: usize) -> Self {
        let (events, _) = tokio::sync::broadcast::channel(4096);
        let (feed, _) = tokio::sync::broadcast::channel(FEED_CAPACITY);
        let (changes, _) = tokio::sync::watch::channel(0);
        Inbox {
            inner: Arc::new(InboxInner {
                capacity: capacity.max(1),
                items: Mutex::new(VecDeque::new()),
                total: AtomicU64::new(0),
                rejected: AtomicU64::new(0),
                log: Mutex::new(None),
                events,
                activities: Activities::default(),
                refusals: Mutex::new(VecDeque::new()),
                feed,
                changes,
                tally: Tally::default(),
                waker: std::sync::RwLock::new(None),
            }),
        }
    }

    /// Appends every delivery to `path` as JSON Lines. A new log is created owner-only
    /// (0600): it holds device tokens and payloads.
    pub fn log_to(&self, path: &Path) -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let file = options.open(path)?;
        if let Ok(mut log) = self.inner.log.lock() {
            *log = Some(std::io::BufWriter::new(file));
        }
        Ok(())
    }

    /// Keeps a delivery; a Live Activity push is applied to its activity first, and what it
    /// did is returned (and kept on the delivery).
    pub(crate) fn record(&self, mut delivery: Delivery) -> Option<ActivityOutcome> {
        self.inner.total.fetch_add(1, Ordering::Relaxed);
        self.inner.tally.delivered(delivery.push_type.as_str());
        delivery.live_activity = self.inner.activities.apply(&delivery);
        let outcome = delivery.live_activity.clone();
        if self.has_followers() {
            self.follow(FeedItem::Delivery(delivery.clone()));
            if let Some(activity) = outcome.as_ref().and_then(|o| self.activity(&o.activity)) {
                self.follow(FeedItem::Activity(activity));
            }
        }
        if let Ok(mut log) = self.inner.log.lock()
            && let Some(w) = log.as_mut()
            && let Ok(line) = serde_json::to_string(&delivery)
        {
            // A full disk must not stop the simulator answering; the log is best effort.
            let _ = writeln!(w, "{line}").and_then(|_| w.flush());
        }
        if let Ok(mut items) = self.inner.items.lock() {
            if items.len() == self.inner.capacity {
                items.pop_front();
            }
            items.push_back(Arc::new(delivery));
        }
        self.changed();
        self.wake();
        outcome
    }

    fn has_followers(&self) -> bool {
        self.inner.feed.receiver_count() > 0
    }

    fn follow(&self, item: FeedItem) {
        // No follower is normal (no event stream open).
        let _ = self.inner.feed.send(std::sync::Arc::new(item));
    }

    fn changed(&self) {
        self.inner.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Follows deliveries, refusals and activity changes from now on. The receiver is
    /// bounded ([`super::FEED_CAPACITY`]): one that falls behind misses items.
    pub fn follow_feed(&self) -> tokio::sync::broadcast::Receiver<FeedEvent> {
        self.inner.feed.subscribe()
    }

    /// Changes whenever a delivery or refusal is kept or the inbox is cleared: a waiter
    /// subscribes, looks, and looks again only after `changed()`, so it never misses one.
    pub fn watch_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changes.subscribe()
    }

    /// The kept refused requests, newest first.
    pub fn refusals(&self) -> Vec<Refusal> {
        self.newest_refusals(usize::MAX)
    }

    /// The newest `n` kept refused requests, newest first: a screen that lists a few copies
    /// only those, not the whole list.
    pub fn newest_refusals(&self, n: usize) -> Vec<Refusal> {
        self.inner
            .refusals
            .lock()
            .map(|r| r.iter().rev().take(n).cloned().collect())
            .unwrap_or_default()
    }

    /// Counts by outcome, reason and push type, and answer latency.
    pub fn stats(&self) -> Stats {
        self.inner.tally.snapshot()
    }

    /// Notes how long a request took to answer, for the latency percentiles.
    pub(crate) fn answered_in(&self, took: std::time::Duration) {
        self.inner.tally.answered_in(took);
    }

    /// Forgets the kept refused requests.
    pub fn clear_refusals(&self) {
        if let Ok(mut r) = self.inner.refusals.lock() {
            r.clear();
        }
        self.changed();
    }

    /// Starts the counts again from zero.
    pub fn clear_stats(&self) {
        self.inner.tally.clear();
    }

    /// Calls `waker` after every delivery or refusal from now on (replacing an earlier one).
    pub fn set_waker(&self, waker: Waker) {
        if let Ok(mut w) = self.inner.waker.write() {
            *w = Some(waker);
        }
    }

    fn wake(&self) {
        if let Ok(w) = self.inner.waker.read()
            && let Some(w) = w.as_ref()
        {
            w();
        }
    }

    /// The Live Activities the pushes made, the most recently changed first (at most
    /// [`super::ACTIVITIES_KEPT`]).
    pub fn activities(&self) -> Vec<Activity> {
        self.inner.activities.snapshot()
    }

    /// The activity of this token (hex), as it is now.
    pub fn activity(&self, id: &str) -> Option<Activity> {
        self.inner.activities.get(id)
    }

    /// Applies a Live Activity payload that came by another path than a device token (a
    /// broadcast channel: `id` is then the channel's).
    pub fn apply_live_activity(&self, id: &str, topic: &str, payload: &Value) -> ActivityOutcome {
        let outcome = self
            .inner
            .activities
            .apply_to(id, topic, payload, OffsetDateTime::now_utc());
        if self.has_followers()
            && let Some(activity) = self.activity(id)
        {
            self.follow(FeedItem::Activity(activity));
        }
        outcome
    }

    pub(crate) fn event(&self, event: RequestEvent) {
        if event.status != 200 {
            self.inner.rejected.fetch_add(1, Ordering::Relaxed);
            self.inner.tally.rejected(
                event.status,
                event.reason,
                event.push_type.map(PushType::as_str),
            );
            let refusal = Refusal {
                time: OffsetDateTime::now_utc(),
                request: event.clone(),
            };
            if self.has_followers() {
                self.follow(FeedItem::Rejection(refusal.clone()));
            }
            if let Ok(mut r) = self.inner.refusals.lock() {
                if r.len() >= self.inner.capacity.min(REFUSALS_KEPT) {
                    r.pop_front();
                }
                r.push_back(refusal);
            }
            self.changed();
            self.wake();
        }
        // No subscriber is normal (nobody is printing).
        let _ = self.inner.events.send(event);
    }

    /// Whether anyone listens for request events.
    pub(crate) fn has_subscribers(&self) -> bool {
        self.inner.events.receiver_count() > 0
    }

    /// Subscribes to one event per request.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<RequestEvent> {
        self.inner.events.subscribe()
    }

    /// The kept deliveries, newest first.
    pub fn newest_first(&self) -> Vec<Delivery> {
        self.inner
            .items
            .lock()
            .map(|items| items.iter().rev().map(|d| (**d).clone()).collect())
            .unwrap_or_default()
    }

    /// The kept deliveries, newest first, shared: cheap to take while pushes arrive (the
    /// lock is held only to copy references), for readers that filter before they copy.
    pub fn newest_shared(&self) -> Vec<Arc<Delivery>> {
        self.inner
            .items
            .lock()
            .map(|items| items.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// How many deliveries are kept now.
    pub fn kept(&self) -> usize {
        self.inner.items.lock().map(|i| i.len()).unwrap_or(0)
    }

    /// The kept deliveries, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner
            .items
            .lock()
            .map(|items| items.iter().map(|d| (**d).clone()).collect())
            .unwrap_or_default()
    }

    /// All deliveries ever accepted (not only those kept).
    pub fn total(&self) -> u64 {
        self.inner.total.load(Ordering::Relaxed)
    }

    /// All requests answered with an error.
    pub fn rejected(&self) -> u64 {
        self.inner.rejected.load(Ordering::Relaxed)
    }

    /// Forgets every delivery and Live Activity; the totals stay.
    pub fn clear(&self) {
        if let Ok(mut items) = self.inner.items.lock() {
            items.clear();
        }
        self.inner.activities.clear();
        self.changed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(payload: Value) -> Delivery {
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

    #[test]
    fn keeps_the_newest() {
        let inbox = Inbox::new(2);
        for i in 0..3 {
            let mut d = delivery(Value::Null);
            d.apns_id = i.to_string();
            inbox.record(d);
        }
        assert_eq!(inbox.total(), 3);
        let ids: Vec<_> = inbox
            .newest_first()
            .into_iter()
            .map(|d| d.apns_id)
            .collect();
        assert_eq!(ids, vec!["2", "1"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_log_is_owner_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deliveries.jsonl");
        let inbox = Inbox::new(10);
        inbox.log_to(&path).unwrap();
        inbox.record(delivery(serde_json::json!({"aps": {"alert": "hi"}})));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("\"alert\"")
        );
    }
}
