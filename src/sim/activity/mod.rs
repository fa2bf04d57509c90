//! Live Activities as the simulated phone keeps them, changed by each accepted `liveactivity`
//! push by the rules iOS applies. APNs answers 200 to a push the phone then drops (an update
//! older than the last one, an update after the end); such a push is recorded as ignored, with
//! why, and changes nothing.
//!
//! Two kinds of token, as ActivityKit has them: a start goes to the app's push-to-start token
//! and begins a new activity, which gets an update token of its own (the phone hands it to the
//! app, which sends it to its server); updates and ends go to that update token. An update to
//! the push-to-start token reaches no activity: a backend that does that passes against a
//! lenient server and fails on a phone, so the simulator says so.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::Delivery;
use crate::apns::{LiveActivityEvent, PushType};

/// How many activities the simulator keeps; beyond it the one changed longest ago goes.
pub const ACTIVITIES_KEPT: usize = 1_000;

/// iOS removes an ended activity without a dismissal date after at most four hours.
const DEFAULT_DISMISSAL_SECS: i64 = 4 * 3600;

/// Why the phone dropped a push APNs accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum IgnoredWhy {
    /// Its `timestamp` is older than the last accepted push's (named `not_newer` in JSON, as
    /// it was when an equal one was ignored too).
    NotNewer {
        /// The timestamp of the last push applied, seconds since 1970.
        last: i64,
    },
    /// The activity has ended; only a new start changes it now.
    Ended,
    /// No usable `event` or `timestamp`: the phone cannot place it.
    Unreadable,
    /// A start that came on a broadcast channel: Apple's pages say a broadcast cannot start
    /// a Live Activity (starts go to push-to-start tokens). APNs names no reason to refuse it.
    StartOnChannel,
    /// An update or end sent to a push-to-start token: only a start goes there; the activities
    /// it started take updates at their own tokens.
    ToStartToken {
        /// The update token of the last activity this push-to-start token started.
        activity: String,
    },
}

impl std::fmt::Display for IgnoredWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IgnoredWhy::NotNewer { last } => write!(
                f,
                "older than the last update (timestamp {last}): a phone ignores it"
            ),
            IgnoredWhy::Ended => f.write_str("the activity has ended: a phone ignores it"),
            IgnoredWhy::Unreadable => {
                f.write_str("no valid event or timestamp: a phone ignores it")
            }
            IgnoredWhy::StartOnChannel => {
                f.write_str("a broadcast cannot start a Live Activity: a phone ignores it")
            }
            IgnoredWhy::ToStartToken { activity } => write!(
                f,
                "sent to the push-to-start token: updates go to the activity's own token ({activity})"
            ),
        }
    }
}

/// What one Live Activity push did: applied, or ignored and why. Kept on the delivery and
/// written to the inbox's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityOutcome {
    /// The activity: its update token (hex). For a start, the token the phone made for the
    /// new activity; otherwise the token the push went to.
    pub activity: String,
    /// The push's `event` (`start`, `update` or `end`), when it had a valid one.
    pub event: Option<LiveActivityEvent>,
    /// The push's `timestamp` (seconds since 1970), when it had one.
    pub timestamp: Option<i64>,
    /// `None`: the activity changed.
    pub ignored: Option<IgnoredWhy>,
}

impl ActivityOutcome {
    /// A start that began its activity (not dropped).
    pub fn started(&self) -> bool {
        self.event == Some(LiveActivityEvent::Start) && self.ignored.is_none()
    }
}

/// Where an activity is, as the Lock Screen shows it at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityPhase {
    /// Started (or updated) and neither stale nor ended.
    Active,
    /// Its stale date passed without an update.
    Stale,
    /// Ended, still on the Lock Screen.
    Ended,
    /// Ended and gone: its dismissal date (or four hours) passed.
    Dismissed,
}

/// A push the phone dropped, the last one per activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IgnoredPush {
    /// The dropped push's `event`, when it had a valid one.
    pub event: Option<LiveActivityEvent>,
    /// The dropped push's `timestamp` (seconds since 1970), when it had one.
    pub timestamp: Option<i64>,
    /// Why the phone dropped it.
    pub why: IgnoredWhy,
}

/// One Live Activity as the phone holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    /// Its update token (hex): the one updates and ends go to. A started activity's was made
    /// by the phone; one the app started on the device has the token the pushes went to.
    pub id: String,
    /// The push-to-start token (hex) of the start that began it, if a push began it.
    pub start_token: Option<String>,
    /// The `apns-topic` of the push that began it.
    pub topic: String,
    /// Started by a push (`false`: the first push was an update or end, so the app must have
    /// started it on the device).
    pub started_by_push: bool,
    /// The start push's `attributes-type`, if it had one.
    pub attributes_type: Option<String>,
    /// The `attributes` of the start push.
    pub attributes: Map<String, Value>,
    /// The last `content-state` a push carried.
    pub content_state: Map<String, Value>,
    /// The last alert's title and body (a localisation key when the alert was localised).
    pub alert_title: Option<String>,
    /// The last alert's body (a localisation key when the alert was localised).
    pub alert_body: Option<String>,
    /// The last `relevance-score` a push carried.
    pub relevance_score: Option<f64>,
    /// The timestamp of the last push applied.
    pub timestamp: i64,
    /// How many pushes were applied (the start included).
    pub pushes: u64,
    /// When an end was applied (its timestamp).
    pub ended_at: Option<i64>,
    /// The last `stale-date` a push carried (seconds since 1970); later pushes may move it.
    pub stale_date: Option<i64>,
    /// The `dismissal-date` of the end push (seconds since 1970), if it gave one.
    pub dismissal_date: Option<i64>,
    /// iOS 18: the start asked for the activity's own update token (`input-push-token`).
    pub token_requested: bool,
    /// iOS 18: the broadcast channel the start subscribed it to (`input-push-channel`).
    pub channel: Option<String>,
    /// The last push dropped for this activity, and why.
    pub last_ignored: Option<IgnoredPush>,
    /// The delivery time of the last push applied, or dropped as not newer or after the end.
    #[serde(with = "time::serde::rfc3339")]
    pub changed: OffsetDateTime,
}

impl Activity {
    /// Where the activity is at `now` (seconds since 1970).
    pub fn phase(&self, now: i64) -> ActivityPhase {
        match self.ended_at {
            Some(ended) => {
                let gone = self
                    .dismissal_date
                    .unwrap_or(ended.saturating_add(DEFAULT_DISMISSAL_SECS));
                if gone <= now {
                    ActivityPhase::Dismissed
                } else {
                    ActivityPhase::Ended
                }
            }
            None if self.stale_date.is_some_and(|s| s <= now) => ActivityPhase::Stale,
            None => ActivityPhase::Active,
        }
    }

    /// The title a Lock Screen card shows: the alert's, else the attributes type, else the
    /// app's bundle.
    pub fn title(&self) -> &str {
        self.alert_title
            .as_deref()
            .or(self.attributes_type.as_deref())
            .unwrap_or(self.topic.as_str())
    }
}

/// The activities, by id, bounded by [`ACTIVITIES_KEPT`].
#[derive(Debug, Default)]
pub struct Activities {
    inner: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    /// By update token.
    all: HashMap<String, Activity>,
    /// Push-to-start tokens that started an activity, each with the last one's update token.
    started_from: HashMap<String, String>,
}

impl Activities {
    /// Applies a delivery if it is a Live Activity push; the activity is the token's.
    pub fn apply(&self, delivery: &Delivery) -> Option<ActivityOutcome> {
        if delivery.push_type != PushType::LiveActivity {
            return None;
        }
        Some(self.apply_inner(
            &delivery.token.to_hex(),
            &delivery.topic,
            &delivery.payload,
            delivery.time,
            delivery.channel.is_some(),
        ))
    }

    /// Applies a Live Activity payload to the activity `id`: the entry point for pushes that
    /// do not come to a device token (a broadcast channel's id works as an id too).
    pub fn apply_to(
        &self,
        id: &str,
        topic: &str,
        payload: &Value,
        at: OffsetDateTime,
    ) -> ActivityOutcome {
        self.apply_inner(id, topic, payload, at, false)
    }

    /// [`apply_to`](Self::apply_to), knowing whether the push came on a broadcast channel.
    fn apply_inner(
        &self,
        id: &str,
        topic: &str,
        payload: &Value,
        at: OffsetDateTime,
        on_channel: bool,
    ) -> ActivityOutcome {
        let aps = payload.get("aps").and_then(Value::as_object);
        let field = |key: &str| aps.and_then(|a| a.get(key));
        let event = field("event")
            .and_then(Value::as_str)
            .and_then(LiveActivityEvent::parse);
        let timestamp = field("timestamp").and_then(Value::as_i64);
        let mut outcome = ActivityOutcome {
            activity: id.to_owned(),
            event,
            timestamp,
            ignored: None,
        };
        let Ok(mut kept) = self.inner.lock() else {
            return outcome;
        };
        let Kept { all, started_from } = &mut *kept;
        let (Some(event), Some(timestamp), Some(aps)) = (event, timestamp, aps) else {
            outcome.ignored = Some(IgnoredWhy::Unreadable);
            if let Some(a) = all.get_mut(id) {
                a.last_ignored = Some(ignored(&outcome, IgnoredWhy::Unreadable));
            }
            return outcome;
        };
        if event == LiveActivityEvent::Start {
            if on_channel {
                outcome.ignored = Some(IgnoredWhy::StartOnChannel);
                if let Some(a) = all.get_mut(id) {
                    a.last_ignored = Some(ignored(&outcome, IgnoredWhy::StartOnChannel));
                    a.changed = at;
                }
                return outcome;
            }
            // Each start begins a new activity with an update token of its own, whatever the
            // push-to-start token started before.
            let update_token = mint_update_token(id, all);
            if all.len() >= ACTIVITIES_KEPT {
                forget_oldest(all, started_from);
            }
            let mut activity = new_activity(&update_token, topic, event, at);
            activity.start_token = Some(id.to_owned());
            apply_fields(&mut activity, event, timestamp, aps, at);
            all.insert(update_token.clone(), activity);
            // Bounded with the activities: each entry names a kept activity, a different one
            // (forgetting an activity forgets what pointed at it).
            started_from.insert(id.to_owned(), update_token.clone());
            outcome.activity = update_token;
            return outcome;
        }
        // A subscription in the simulator's registry stands for the app subscribing its
        // activity: a broadcast reaching a push-to-start token updates the last activity it
        // started, which is what followed the channel.
        let followed;
        let id = match started_from.get(id) {
            Some(last) if on_channel && !all.contains_key(id) => {
                followed = last.clone();
                outcome.activity.clone_from(&followed);
                followed.as_str()
            }
            _ => id,
        };
        let why = match all.get(id) {
            None => started_from.get(id).map(|last| IgnoredWhy::ToStartToken {
                activity: last.clone(),
            }),
            Some(a) if a.ended_at.is_some() => Some(IgnoredWhy::Ended),
            // Apple: "If this is older than a previous update or push payload, the system
            // ignores this update" (ActivityKit's update(_:alertConfiguration:timestamp:)). One
            // of the same second is not older.
            Some(a) if timestamp < a.timestamp => Some(IgnoredWhy::NotNewer { last: a.timestamp }),
            Some(_) => None,
        };
        if let Some(why) = why {
            // Said on the activity the push missed: the last one a push-to-start token began.
            let on = match &why {
                IgnoredWhy::ToStartToken { activity } => activity.as_str(),
                _ => id,
            };
            if let Some(a) = all.get_mut(on) {
                a.last_ignored = Some(ignored(&outcome, why.clone()));
                a.changed = at;
            }
            outcome.ignored = Some(why);
            return outcome;
        }
        if !all.contains_key(id) {
            // An update to a token the simulator does not know: the app started this activity
            // on the device and sent its server the token.
            if all.len() >= ACTIVITIES_KEPT {
                forget_oldest(all, started_from);
            }
            all.insert(id.to_owned(), new_activity(id, topic, event, at));
        }
        if let Some(activity) = all.get_mut(id) {
            apply_fields(activity, event, timestamp, aps, at);
        }
        outcome
    }

    /// A snapshot, the most recently changed first.
    pub fn snapshot(&self) -> Vec<Activity> {
        let mut all: Vec<Activity> = self
            .inner
            .lock()
            .map(|kept| kept.all.values().cloned().collect())
            .unwrap_or_default();
        all.sort_by(|a, b| b.changed.cmp(&a.changed).then_with(|| a.id.cmp(&b.id)));
        all
    }

    /// The activity whose update token is `id` (hex), as it is now.
    pub fn get(&self, id: &str) -> Option<Activity> {
        self.inner
            .lock()
            .ok()
            .and_then(|kept| kept.all.get(id).cloned())
    }

    /// The update token of the last activity the push-to-start token `start_token` began.
    pub fn started_from(&self, start_token: &str) -> Option<String> {
        self.inner
            .lock()
            .ok()
            .and_then(|kept| kept.started_from.get(start_token).cloned())
    }

    /// Forgets every activity.
    pub fn clear(&self) {
        if let Ok(mut kept) = self.inner.lock() {
            kept.all.clear();
            kept.started_from.clear();
        }
    }
}

fn ignored(outcome: &ActivityOutcome, why: IgnoredWhy) -> IgnoredPush {
    IgnoredPush {
        event: outcome.event,
        timestamp: outcome.timestamp,
        why,
    }
}

fn forget_oldest(all: &mut HashMap<String, Activity>, started_from: &mut HashMap<String, String>) {
    let oldest = all.values().min_by_key(|a| a.changed).map(|a| a.id.clone());
    if let Some(id) = oldest {
        all.remove(&id);
        started_from.retain(|_, last| *last != id);
    }
}

/// The update token the phone makes for an activity a push started: 32 random bytes, as
/// Apple's tokens are, and none the simulator already holds.
fn mint_update_token(start_token: &str, all: &HashMap<String, Activity>) -> String {
    let mut attempt = 0u64;
    loop {
        let mut bytes = [0u8; 32];
        if openssl::rand::rand_bytes(&mut bytes).is_err() {
            // Without the random source, a digest of the push-to-start token, the count of
            // activities and the attempt is as good for a test phone.
            let seed = format!("{start_token}/{}/{attempt}", all.len());
            bytes = openssl::sha::sha256(seed.as_bytes());
        }
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        if !all.contains_key(&token) {
            return token;
        }
        attempt += 1;
    }
}

fn new_activity(id: &str, topic: &str, event: LiveActivityEvent, at: OffsetDateTime) -> Activity {
    Activity {
        id: id.to_owned(),
        start_token: None,
        topic: topic.to_owned(),
        started_by_push: event == LiveActivityEvent::Start,
        attributes_type: None,
        attributes: Map::new(),
        content_state: Map::new(),
        alert_title: None,
        alert_body: None,
        relevance_score: None,
        timestamp: 0,
        pushes: 0,
        ended_at: None,
        stale_date: None,
        dismissal_date: None,
        token_requested: false,
        channel: None,
        last_ignored: None,
        changed: at,
    }
}

fn apply_fields(
    a: &mut Activity,
    event: LiveActivityEvent,
    timestamp: i64,
    aps: &Map<String, Value>,
    at: OffsetDateTime,
) {
    a.timestamp = timestamp;
    a.pushes += 1;
    a.changed = at;
    if event == LiveActivityEvent::Start {
        a.attributes_type = aps
            .get("attributes-type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        a.attributes = aps
            .get("attributes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        a.token_requested = aps.get("input-push-token").and_then(Value::as_i64) == Some(1);
        a.channel = aps
            .get("input-push-channel")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    if let Some(state) = aps.get("content-state").and_then(Value::as_object) {
        a.content_state = state.clone();
    }
    if let Some(alert) = aps.get("alert") {
        a.alert_title = alert_text(alert.get("title"));
        a.alert_body = alert_text(alert.get("body"));
    }
    if let Some(score) = aps.get("relevance-score").and_then(Value::as_f64) {
        a.relevance_score = Some(score);
    }
    // Each update may move the stale date; without one the last stays.
    if let Some(stale) = aps.get("stale-date").and_then(Value::as_i64) {
        a.stale_date = Some(stale);
    }
    if event == LiveActivityEvent::End {
        a.ended_at = Some(timestamp);
        a.dismissal_date = aps.get("dismissal-date").and_then(Value::as_i64);
    }
}

/// An alert string, or the key of a localised one (the phone would look it up in the app).
fn alert_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Object(loc) => loc
            .get("loc-key")
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
