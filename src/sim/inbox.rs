//! What the simulator accepted: the inbox the app shows (what the phone would display), an
//! event per request for the CLI, and an optional JSON Lines log. The records themselves
//! ([`Delivery`], [`RequestEvent`]) are in `records.rs`.

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use time::OffsetDateTime;

use super::activity::{Activities, Activity, ActivityOutcome};
use super::feed::{FEED_CAPACITY, FeedEvent, FeedItem, Refusal};
use super::records::{Delivery, RequestEvent};
use super::tally::{Stats, Tally};
use crate::apns::PushType;

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

    /// Stops the JSON Lines log, writing out what it holds.
    pub(crate) fn stop_log(&self) {
        if let Ok(mut log) = self.inner.log.lock()
            && let Some(mut w) = log.take()
        {
            let _ = w.flush();
        }
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
            // The activity the push changed, or the one a push to its push-to-start token
            // missed (its card now says so).
            let changed = outcome.as_ref().map(|o| match &o.ignored {
                Some(super::IgnoredWhy::ToStartToken { activity }) => activity.as_str(),
                _ => o.activity.as_str(),
            });
            if let Some(activity) = changed.and_then(|id| self.activity(id)) {
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

    /// The update token (hex) of the last activity a start to this push-to-start token began.
    pub fn started_from(&self, start_token: &str) -> Option<String> {
        self.inner.activities.started_from(start_token)
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
    use crate::sim::records::tests::delivery;

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
