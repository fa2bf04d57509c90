//! The event stream (`/api/v1/events`, Server-Sent Events): every delivery, refusal and
//! activity change as it happens, in the same JSON as the lists.
//!
//! Bounded at every step: at most `max_followers` readers; each has a queue of
//! `follower_queue` events between the simulator's feed and its socket; a reader whose queue
//! is full (it stopped reading, or reads slower than pushes arrive) is cut off — its
//! connection is dropped — rather than buffered for.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use http_body_util::{BodyExt as _, StreamBody};
use hyper::body::Frame;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

use super::http::{Answer, Kill, State, event_stream, problem};
use crate::sim::{FeedEvent, Inbox};

/// A comment line every so often, so a reader that went away is noticed (the write fails)
/// and proxies keep the stream open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The readers of the stream: how many now, and how many were cut off for falling behind.
#[derive(Debug)]
pub(crate) struct Followers {
    max: usize,
    queue: usize,
    count: Arc<AtomicUsize>,
    dropped: Arc<AtomicU64>,
}

impl Followers {
    pub(crate) fn new(max: usize, queue: usize) -> Self {
        Followers {
            max: max.max(1),
            queue: queue.max(1),
            count: Arc::new(AtomicUsize::new(0)),
            dropped: Arc::new(AtomicU64::new(0)),
        }
    }

    pub(crate) fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Takes a reader's place, or `None` when all are taken.
    fn join(&self) -> Option<Place> {
        let taken = self
            .count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            });
        taken.is_ok().then(|| Place(self.count.clone()))
    }
}

/// A reader's place; given back when its forwarder ends.
struct Place(Arc<AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// One event as the stream writes it.
pub(crate) fn frame(item: &FeedEvent) -> Option<Bytes> {
    let data = item.to_json().ok()?;
    // JSON from serde_json has no raw newlines, so one `data:` line carries it whole.
    Some(Bytes::from(format!(
        "event: {}\ndata: {data}\n\n",
        item.kind()
    )))
}

pub(super) fn open(state: &State, kill: Kill) -> Answer {
    let Some(place) = state.followers.join() else {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many event stream readers; close one",
        );
    };
    let queue = follow(
        &state.sim.inbox,
        state.followers.queue,
        place,
        kill,
        state.followers.dropped.clone(),
    );
    let stream = futures_util::stream::unfold(queue, |mut queue| async move {
        let bytes = queue.recv().await?;
        Some((Ok::<_, Infallible>(Frame::data(bytes)), queue))
    });
    event_stream(StreamBody::new(stream).boxed())
}

/// Starts a forwarder from the inbox's feed into a queue of `queue_len` for one reader. When
/// the queue is full or the feed went past the reader, the reader is cut off: `kill` is
/// pulled and `dropped` counted.
fn follow(
    inbox: &Inbox,
    queue_len: usize,
    place: Place,
    kill: Kill,
    dropped: Arc<AtomicU64>,
) -> mpsc::Receiver<Bytes> {
    let mut feed = inbox.follow_feed();
    let (tx, rx) = mpsc::channel::<Bytes>(queue_len);
    let _ = tx.try_send(Bytes::from_static(b": pushlab simulator events\n\n"));
    tokio::spawn(async move {
        let _place = place;
        let mut beat = tokio::time::interval(KEEP_ALIVE);
        beat.tick().await;
        let cut_off = || {
            dropped.fetch_add(1, Ordering::Relaxed);
            kill.notify_one();
        };
        loop {
            let next = tokio::select! {
                item = feed.recv() => match item {
                    Ok(item) => frame(&item),
                    Err(RecvError::Lagged(_)) => return cut_off(),
                    Err(RecvError::Closed) => return,
                },
                _ = beat.tick() => Some(Bytes::from_static(b": keep-alive\n\n")),
                () = tx.closed() => return,
            };
            let Some(bytes) = next else { continue };
            match tx.try_send(bytes) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(_)) => return cut_off(),
                Err(mpsc::error::TrySendError::Closed(_)) => return,
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::{DeviceToken, PushType};
    use crate::sim::{AuthKind, Delivery, Interface};

    fn delivery(i: usize) -> Delivery {
        Delivery {
            time: time::OffsetDateTime::now_utc(),
            token: DeviceToken::parse(&"ab".repeat(32)).unwrap(),
            topic: "com.x".into(),
            push_type: PushType::Alert,
            priority: 10,
            apns_id: i.to_string(),
            collapse_id: None,
            expiration: None,
            auth: AuthKind::Token,
            headers: vec![],
            payload: serde_json::json!({"aps": {"alert": "<b>hi</b>\nthere"}}),
            interface: Interface::Http2,
            channel: None,
            live_activity: None,
        }
    }

    async fn settle(done: impl Fn() -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while !done() && tokio::time::Instant::now() < deadline {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_reader_that_never_reads_is_cut_off_and_its_place_given_back() {
        let inbox = Inbox::new(100);
        let followers = Followers::new(1, 4);
        let kill: Kill = Arc::new(tokio::sync::Notify::new());
        let place = followers.join().unwrap();
        assert!(followers.join().is_none(), "one place only");
        let mut queue = follow(&inbox, 4, place, kill.clone(), followers.dropped.clone());
        for i in 0..20 {
            inbox.record(delivery(i));
            tokio::task::yield_now().await;
        }
        tokio::time::timeout(Duration::from_secs(5), kill.notified())
            .await
            .expect("the slow reader is cut off");
        assert_eq!(followers.dropped(), 1);
        settle(|| followers.count() == 0).await;
        assert_eq!(followers.count(), 0, "its place is free again");
        // What it had queued is at most the queue's length.
        let mut queued = 0;
        while queue.try_recv().is_ok() {
            queued += 1;
        }
        assert!(queued <= 4, "{queued}");
    }

    #[tokio::test]
    async fn a_reader_gets_the_same_json_as_the_list() {
        let inbox = Inbox::new(100);
        let followers = Followers::new(1, 16);
        let kill: Kill = Arc::new(tokio::sync::Notify::new());
        let mut queue = follow(
            &inbox,
            16,
            followers.join().unwrap(),
            kill,
            followers.dropped.clone(),
        );
        inbox.record(delivery(7));
        let hello = queue.recv().await.unwrap();
        assert!(hello.starts_with(b":"));
        let event = queue.recv().await.unwrap();
        let text = std::str::from_utf8(&event).unwrap();
        let data = text
            .strip_prefix("event: delivery\ndata: ")
            .and_then(|t| t.strip_suffix("\n\n"))
            .unwrap();
        let listed = serde_json::to_value(&inbox.newest_first()[0]).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(data).unwrap(),
            listed
        );
    }
}
