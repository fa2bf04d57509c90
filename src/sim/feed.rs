//! What the simulator tells followers as it happens (the control API's event stream), and the
//! refused requests it keeps for the API's list.

use std::sync::Arc;

use serde::Serialize;
use time::OffsetDateTime;

use super::activity::Activity;
use super::records::{Delivery, RequestEvent};

/// A refused request, as the API lists it: the request's event and when it was answered.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    /// When the refusal was answered.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// The refused request, with the status and reason it got.
    #[serde(flatten)]
    pub request: RequestEvent,
}

/// One thing that happened, in the same JSON as the API's lists.
#[derive(Debug, Clone)]
pub enum FeedItem {
    /// A push the simulator accepted and delivered to the inbox.
    Delivery(Delivery),
    /// A request the simulator refused.
    Rejection(Refusal),
    /// A Live Activity as it is after a push applied to it (or was ignored by it).
    Activity(Activity),
}

impl FeedItem {
    /// The event's name on the stream: `delivery`, `rejection` or `activity`.
    pub fn kind(&self) -> &'static str {
        match self {
            FeedItem::Delivery(_) => "delivery",
            FeedItem::Rejection(_) => "rejection",
            FeedItem::Activity(_) => "activity",
        }
    }

    /// The item's JSON, as the list endpoints show it.
    pub fn to_json(&self) -> serde_json::Result<String> {
        match self {
            FeedItem::Delivery(d) => serde_json::to_string(d),
            FeedItem::Rejection(r) => serde_json::to_string(r),
            FeedItem::Activity(a) => serde_json::to_string(a),
        }
    }
}

/// Items are shared by every follower rather than copied to each.
pub type FeedEvent = Arc<FeedItem>;

/// How many items a follower may fall behind before it is cut off. The channel is a ring of
/// this many: a follower that does not keep up costs no more memory, it misses items and is
/// told so (`RecvError::Lagged`).
pub const FEED_CAPACITY: usize = 1024;
