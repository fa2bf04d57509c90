//! What is wrong with a payload, as values: one variant per problem with the facts it quotes.
//! `Display` is the English the CLI prints; the app words each variant in its own language (a
//! new variant without a message does not compile there).

use serde::Serialize;
use serde::ser::SerializeStruct as _;

use super::PushType;

/// One problem with a payload, as APNs and iOS will treat it.
// Each variant's English is its `Display` below; the fields are the facts it quotes.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadIssue {
    Empty,
    /// Over the push type's limit by `over` bytes.
    TooLarge {
        size: usize,
        limit: usize,
        push_type: PushType,
        over: usize,
    },
    /// Not JSON; `line` and `column` point into the text.
    InvalidJson {
        error: String,
        line: usize,
        column: usize,
    },
    NotAnObject,
    ApsNotObject,
    NoAps,
    BackgroundPriority,
    /// A background push with visible `keys` (comma-separated).
    BackgroundVisible {
        keys: String,
    },
    BackgroundWithoutContentAvailable,
    ContentAvailableWithAlert,
    AlertShowsNothing,
    /// `keys` (comma-separated) inside `aps` that APNs ignores.
    CustomKeysInAps {
        keys: String,
    },
    InterruptionLevel {
        level: String,
    },
    RelevanceScore,
    Badge,
    LiveEventMissing,
    /// `value` is the event as JSON.
    LiveEvent {
        value: String,
    },
    LiveTimestampMissing,
    LiveDismissalNotEnd,
    LiveContentStateMissing,
    LiveContentState,
    LiveAttributesType,
    LiveAttributes,
    LiveStartAlert,
    LiveInputPushToken,
    LiveInputPushTokenEvent,
    LiveInputPushChannel,
    LiveRelevanceScore,
    /// The alert's `key` (title or body) is neither a string nor a localisation dictionary.
    LiveAlert {
        key: &'static str,
    },
    LivePriority,
    /// A date (`key`) in milliseconds.
    LiveMilliseconds {
        key: &'static str,
        value: i64,
    },
    /// A date (`key`) that is negative, or not a whole number.
    LiveDate {
        key: &'static str,
        negative: bool,
    },
    /// A broadcast over its limit by `over` bytes.
    BroadcastTooLarge {
        size: usize,
        limit: usize,
        over: usize,
    },
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
