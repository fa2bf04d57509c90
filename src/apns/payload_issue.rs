//! What is wrong with a payload, as values: one variant per problem with the facts it quotes.
//! `Display` is the English the CLI prints; the app words each variant in its own language (a
//! new variant without a message does not compile there).

use serde::Serialize;
use serde::ser::SerializeStruct as _;

use super::PushType;

/// One problem with a payload, as APNs and iOS will treat it.
// Each variant's English is its `Display` below; the fields are the facts it quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadIssue {
    /// No payload at all: APNs refuses it (PayloadEmpty).
    Empty,
    /// Over the push type's limit by `over` bytes.
    TooLarge {
        /// The payload's size in bytes, as sent.
        size: usize,
        /// The push type's limit in bytes.
        limit: usize,
        /// The push type whose limit applies (VoIP's is larger than an alert's).
        push_type: PushType,
        /// `size - limit`: how much has to go.
        over: usize,
    },
    /// Not JSON; `line` and `column` point into the text.
    InvalidJson {
        /// The JSON parser's own words.
        error: String,
        /// 1-based line of the first error, so an editor can jump there.
        line: usize,
        /// 1-based column of the first error.
        column: usize,
    },
    /// Valid JSON, but not an object: APNs needs a dictionary at the top.
    NotAnObject,
    /// `aps` is there but is not a dictionary.
    ApsNotObject,
    /// No `aps` dictionary: iOS shows nothing, fine only for data the app reads itself.
    NoAps,
    /// A background push with priority 10, which APNs refuses for that type.
    BackgroundPriority,
    /// A background push with visible `keys` (comma-separated).
    BackgroundVisible {
        /// The visible keys found (`alert`, `badge`, `sound`), comma-separated.
        keys: String,
    },
    /// A background push without `content-available: 1`, so it wakes nothing.
    BackgroundWithoutContentAvailable,
    /// `content-available: 1` beside a visible alert: a silent push should show nothing.
    ContentAvailableWithAlert,
    /// An alert push with no alert, badge or sound: accepted, and nothing appears.
    AlertShowsNothing,
    /// `keys` (comma-separated) inside `aps` that APNs ignores.
    CustomKeysInAps {
        /// The unknown keys inside `aps`, comma-separated.
        keys: String,
    },
    /// An `interruption-level` iOS does not know.
    InterruptionLevel {
        /// The level as sent.
        level: String,
    },
    /// A `relevance-score` outside 0 to 1.
    RelevanceScore,
    /// A `badge` that is not a whole number.
    Badge,
    /// A Live Activity push without `event`.
    LiveEventMissing,
    /// `value` is the event as JSON.
    LiveEvent {
        /// The `event` as sent, as JSON (so a number or a misspelling shows as it was).
        value: String,
    },
    /// A Live Activity push without `timestamp`: iOS keeps the newest and needs it to order.
    LiveTimestampMissing,
    /// A `dismissal-date` on an event other than `end`, where it means nothing.
    LiveDismissalNotEnd,
    /// A start or update without `content-state`, which iOS decodes into the activity.
    LiveContentStateMissing,
    /// A `content-state` that is not a dictionary.
    LiveContentState,
    /// A start without `attributes-type`, the name of the app's `ActivityAttributes`.
    LiveAttributesType,
    /// A start without an `attributes` dictionary.
    LiveAttributes,
    /// A start without an alert: it starts silently, and Apple asks for one.
    LiveStartAlert,
    /// An `input-push-token` other than 1.
    LiveInputPushToken,
    /// An `input-push-token` on an event other than `start`.
    LiveInputPushTokenEvent,
    /// An `input-push-channel` that is not a string, or not on a start.
    LiveInputPushChannel,
    /// A Live Activity's `relevance-score` that is not a number of 0 or more.
    LiveRelevanceScore,
    /// The alert's `key` (title or body) is neither a string nor a localisation dictionary.
    LiveAlert {
        /// `title` or `body`.
        key: &'static str,
    },
    /// A Live Activity update at priority 10, which iOS budgets and then throttles.
    LivePriority,
    /// A Live Activity's `sound` beside its alert: Apple's Live Activity payloads carry it in
    /// `alert` (`"alert": {"sound": …}`), as ActivityKit's alert configuration has it.
    LiveSoundBesideAlert,
    /// A date (`key`) in milliseconds.
    LiveMilliseconds {
        /// The date's key (`timestamp`, `stale-date`, `dismissal-date`).
        key: &'static str,
        /// The value as sent, in milliseconds.
        value: i64,
    },
    /// A date (`key`) that is negative, or not a whole number.
    LiveDate {
        /// The date's key (`timestamp`, `stale-date`, `dismissal-date`).
        key: &'static str,
        /// Negative, rather than not a whole number: the two have different advice.
        negative: bool,
    },
    /// A broadcast over its limit by `over` bytes.
    BroadcastTooLarge {
        /// The payload's size in bytes, as sent.
        size: usize,
        /// The broadcast limit in bytes.
        limit: usize,
        /// `size - limit`: how much has to go.
        over: usize,
    },
    /// A broadcast with `event: start`: channels carry updates and ends only.
    BroadcastStart,
}

impl PayloadIssue {
    /// A stable machine-readable name (`too_large`, `live_date`), as `--json` prints it.
    pub fn code(&self) -> &'static str {
        match self {
            PayloadIssue::Empty => "empty",
            PayloadIssue::TooLarge { .. } => "too_large",
            PayloadIssue::InvalidJson { .. } => "invalid_json",
            PayloadIssue::NotAnObject => "not_an_object",
            PayloadIssue::ApsNotObject => "aps_not_object",
            PayloadIssue::NoAps => "no_aps",
            PayloadIssue::BackgroundPriority => "background_priority",
            PayloadIssue::BackgroundVisible { .. } => "background_visible",
            PayloadIssue::BackgroundWithoutContentAvailable => {
                "background_without_content_available"
            }
            PayloadIssue::ContentAvailableWithAlert => "content_available_with_alert",
            PayloadIssue::AlertShowsNothing => "alert_shows_nothing",
            PayloadIssue::CustomKeysInAps { .. } => "custom_keys_in_aps",
            PayloadIssue::InterruptionLevel { .. } => "interruption_level",
            PayloadIssue::RelevanceScore => "relevance_score",
            PayloadIssue::Badge => "badge",
            PayloadIssue::LiveEventMissing => "live_event_missing",
            PayloadIssue::LiveEvent { .. } => "live_event",
            PayloadIssue::LiveTimestampMissing => "live_timestamp_missing",
            PayloadIssue::LiveDismissalNotEnd => "live_dismissal_not_end",
            PayloadIssue::LiveContentStateMissing => "live_content_state_missing",
            PayloadIssue::LiveContentState => "live_content_state",
            PayloadIssue::LiveAttributesType => "live_attributes_type",
            PayloadIssue::LiveAttributes => "live_attributes",
            PayloadIssue::LiveStartAlert => "live_start_alert",
            PayloadIssue::LiveInputPushToken => "live_input_push_token",
            PayloadIssue::LiveInputPushTokenEvent => "live_input_push_token_event",
            PayloadIssue::LiveInputPushChannel => "live_input_push_channel",
            PayloadIssue::LiveRelevanceScore => "live_relevance_score",
            PayloadIssue::LiveAlert { .. } => "live_alert",
            PayloadIssue::LivePriority => "live_priority",
            PayloadIssue::LiveSoundBesideAlert => "live_sound_beside_alert",
            PayloadIssue::LiveMilliseconds { .. } => "live_milliseconds",
            PayloadIssue::LiveDate { .. } => "live_date",
            PayloadIssue::BroadcastTooLarge { .. } => "broadcast_too_large",
            PayloadIssue::BroadcastStart => "broadcast_start",
        }
    }

    /// The line of the JSON text it is on, when known (1-based).
    pub fn line(&self) -> Option<usize> {
        match self {
            PayloadIssue::InvalidJson { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The column of the JSON text it is at, when known (1-based).
    pub fn column(&self) -> Option<usize> {
        match self {
            PayloadIssue::InvalidJson { column, .. } => Some(*column),
            _ => None,
        }
    }

    /// The English sentence (the same as `to_string()`).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for PayloadIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PayloadIssue::TooLarge {
                size,
                limit,
                push_type,
                over,
            } => write!(
                f,
                "the payload is {size} bytes, over the {limit}-byte limit for {push_type} pushes by {over} — APNs answers 413 PayloadTooLarge"
            ),
            PayloadIssue::InvalidJson { error, .. } => write!(f, "not valid JSON: {error}"),
            PayloadIssue::BackgroundVisible { keys } => write!(
                f,
                "a background push carries {keys}: use push type alert for anything the user sees"
            ),
            PayloadIssue::CustomKeysInAps { keys } => write!(
                f,
                "{keys} inside \"aps\" will be ignored by APNs — put custom keys beside \"aps\""
            ),
            PayloadIssue::InterruptionLevel { level } => write!(
                f,
                "interruption-level \"{level}\" is not passive, active, time-sensitive or critical"
            ),
            PayloadIssue::LiveEvent { value } => write!(
                f,
                "\"event\" is {value}: it must be \"start\", \"update\" or \"end\""
            ),
            PayloadIssue::LiveAlert { key } => write!(
                f,
                "the alert's \"{key}\" must be a string or a localisation dictionary with \"loc-key\" (and \"loc-args\")"
            ),
            PayloadIssue::LiveMilliseconds { key, value } => write!(
                f,
                "\"{key}\" is {value}, milliseconds: it must be seconds since 1970 ({}), or iOS treats the update as stale",
                value / 1000
            ),
            PayloadIssue::LiveDate {
                key,
                negative: true,
            } => write!(f, "\"{key}\" is negative: it must be seconds since 1970"),
            PayloadIssue::LiveDate {
                key,
                negative: false,
            } => write!(f, "\"{key}\" must be a whole number of seconds since 1970"),
            PayloadIssue::BroadcastTooLarge { size, limit, over } => write!(
                f,
                "the payload is {size} bytes, over the {limit}-byte limit for broadcasts by {over} — APNs answers 413 PayloadTooLarge"
            ),
            PayloadIssue::Empty => f.write_str("the payload is empty — APNs answers PayloadEmpty"),
            PayloadIssue::NotAnObject => f.write_str("the payload must be a JSON object such as {\"aps\":{…}}"),
            PayloadIssue::ApsNotObject => f.write_str("\"aps\" must be a dictionary"),
            PayloadIssue::NoAps => f.write_str("there is no \"aps\" dictionary: iOS shows nothing (fine only for data the app reads itself)"),
            PayloadIssue::BackgroundPriority => f.write_str("background pushes must use priority 5; priority 10 is an error"),
            PayloadIssue::BackgroundWithoutContentAvailable => f.write_str("a background push needs \"content-available\": 1 to wake the app"),
            PayloadIssue::ContentAvailableWithAlert => f.write_str("\"content-available\": 1 together with a visible alert: silent pushes should carry no alert, badge or sound"),
            PayloadIssue::AlertShowsNothing => f.write_str("an alert push with no alert, badge or sound shows nothing"),
            PayloadIssue::RelevanceScore => f.write_str("relevance-score should be between 0 and 1"),
            PayloadIssue::Badge => f.write_str("\"badge\" must be a whole number (0 clears it)"),
            PayloadIssue::LiveEventMissing => f.write_str("a Live Activity push needs \"event\": \"start\", \"update\" or \"end\""),
            PayloadIssue::LiveTimestampMissing => f.write_str("a Live Activity push needs \"timestamp\" (seconds since 1970): iOS keeps the newest and ignores older ones"),
            PayloadIssue::LiveDismissalNotEnd => f.write_str("\"dismissal-date\" only counts with \"event\": \"end\": it says when the ended activity leaves the Lock Screen"),
            PayloadIssue::LiveContentStateMissing => f.write_str("\"content-state\" is missing: iOS decodes it into the activity's ContentState, so a start or update needs it"),
            PayloadIssue::LiveContentState => f.write_str("\"content-state\" must be a dictionary matching the activity's ContentState"),
            PayloadIssue::LiveAttributesType => f.write_str("a start needs \"attributes-type\": the name of the app's ActivityAttributes struct, as a string"),
            PayloadIssue::LiveAttributes => f.write_str("a start needs \"attributes\": a dictionary with the ActivityAttributes' fields"),
            PayloadIssue::LiveStartAlert => f.write_str("a start without \"alert\" starts silently; Apple asks for an alert so the person notices the new activity"),
            PayloadIssue::LiveInputPushToken => f.write_str("\"input-push-token\" must be 1 (ask the started activity for its update token)"),
            PayloadIssue::LiveInputPushTokenEvent => f.write_str("\"input-push-token\" goes with \"event\": \"start\" only"),
            PayloadIssue::LiveInputPushChannel => f.write_str("\"input-push-channel\" is a channel id (a string) and goes with \"event\": \"start\" only (iOS 18 broadcast)"),
            PayloadIssue::LiveRelevanceScore => f.write_str("\"relevance-score\" must be a number, 0 or more: the highest is shown in the Dynamic Island"),
            PayloadIssue::LiveSoundBesideAlert => f.write_str("a Live Activity's sound goes in \"alert\" (\"alert\": {\"sound\": \"chime.aiff\"}), as in Apple's Live Activity payloads; \"sound\" beside it is not part of the activity's alert"),
            PayloadIssue::LivePriority => f.write_str("priority 10 updates are budgeted by iOS: past the budget they are throttled. Send frequent updates with priority 5, and 10 only for what the person must see now"),
            PayloadIssue::BroadcastStart => f.write_str("a broadcast cannot start a Live Activity: \"event\": \"start\" goes to a push-to-start token as a device push; a channel carries \"update\" and \"end\" only"),
        }
    }
}

/// `{"code", "message", "line", "column"}`, as `--json` has always printed an issue.
impl Serialize for PayloadIssue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PayloadIssue", 4)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("line", &self.line())?;
        s.serialize_field("column", &self.column())?;
        s.end()
    }
}
