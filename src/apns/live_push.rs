//! Building a Live Activity push (`apns-push-type: liveactivity`) from what a person fills in:
//! the event, the content state and, for a start, the attributes. The GUI only translates its
//! fields into a [`LiveActivityPush`]; the `aps` dictionary is made here, once.

use serde_json::{Map, Value, json};

/// What a Live Activity push does to its activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LiveActivityEvent {
    /// Starts a new activity (sent to the app's push-to-start token, iOS 17.2+).
    Start,
    /// Replaces the activity's content state (sent to the activity's update token).
    Update,
    /// Ends the activity; it stays on the Lock Screen until its dismissal date.
    End,
}

impl LiveActivityEvent {
    /// Every event, in an activity's order.
    pub const ALL: [LiveActivityEvent; 3] = [
        LiveActivityEvent::Start,
        LiveActivityEvent::Update,
        LiveActivityEvent::End,
    ];

    /// The `event` value in `aps`.
    pub fn as_str(self) -> &'static str {
        match self {
            LiveActivityEvent::Start => "start",
            LiveActivityEvent::Update => "update",
            LiveActivityEvent::End => "end",
        }
    }

    /// Reads an `event` value.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// One Live Activity push, as its fields. Dates are seconds since 1970.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveActivityPush {
    /// `event`: start, update or end.
    pub event: LiveActivityEvent,
    /// When the content was current; iOS keeps the newest and drops older or equal ones.
    pub timestamp: i64,
    /// Decoded by the app into its `ContentState`. Sent on every start and update, and on an
    /// end when not empty (the final state).
    pub content_state: Map<String, Value>,
    /// The name of the app's `ActivityAttributes` struct (start only).
    pub attributes_type: String,
    /// The attributes' fields (start only).
    pub attributes: Map<String, Value>,
    /// The alert's title (`alert.title`).
    pub alert_title: Option<String>,
    /// The alert's body (`alert.body`).
    pub alert_body: Option<String>,
    /// The alert's sound (`alert.sound`: in a Live Activity's alert, not beside it).
    pub alert_sound: Option<String>,
    /// Which of several activities the Dynamic Island shows: the highest.
    pub relevance_score: Option<f64>,
    /// When the content goes out of date if no update came.
    pub stale_date: Option<i64>,
    /// When an ended activity leaves the Lock Screen (end only; a past date removes it now).
    pub dismissal_date: Option<i64>,
    /// iOS 18, a start only: ask the started activity for an update token of its own
    /// (`input-push-token: 1`), which the app then sends its server.
    pub input_push_token: bool,
    /// iOS 18, a start only: subscribe the started activity to this broadcast channel
    /// (`input-push-channel`), so broadcasts on it update it.
    pub input_push_channel: Option<String>,
    /// The payload's keys that have no field here, as they were read.
    pub kept: KeptKeys,
}

/// Keys of a Live Activity payload that [`LiveActivityPush`] has no field for: iOS 18's
/// `input-push-token`, a localised title (`{"loc-key": …}`), the app's own keys beside `aps`.
/// Kept as they were read, so an edit of the fields loses none of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeptKeys {
    /// In `aps`.
    pub aps: Map<String, Value>,
    /// In `aps.alert`.
    pub alert: Map<String, Value>,
    /// Beside `aps`.
    pub outside: Map<String, Value>,
}

/// The `aps` keys [`LiveActivityPush`] writes from its fields.
const FIELD_KEYS: [&str; 9] = [
    "event",
    "timestamp",
    "content-state",
    "attributes-type",
    "attributes",
    "alert",
    "relevance-score",
    "stale-date",
    "dismissal-date",
];

/// Kept `aps` keys that only a start carries (iOS 18: ask for the new activity's update token,
/// or subscribe it to a channel); left out of an update or an end.
const START_ONLY_KEYS: [&str; 2] = ["input-push-token", "input-push-channel"];

impl LiveActivityPush {
    /// An empty push of this event at `timestamp`.
    pub fn new(event: LiveActivityEvent, timestamp: i64) -> Self {
        LiveActivityPush {
            event,
            timestamp,
            content_state: Map::new(),
            attributes_type: String::new(),
            attributes: Map::new(),
            alert_title: None,
            alert_body: None,
            alert_sound: None,
            relevance_score: None,
            stale_date: None,
            dismissal_date: None,
            input_push_token: false,
            input_push_channel: None,
            kept: KeptKeys::default(),
        }
    }

    /// The payload: `{"aps": {…}}`. Fields that do not belong to the event (attributes on an
    /// update, a dismissal date on a start) are left out rather than sent for iOS to ignore.
    pub fn to_json(&self) -> Value {
        let mut aps: Map<String, Value> = self
            .kept
            .aps
            .iter()
            .filter(|(k, _)| !FIELD_KEYS.contains(&k.as_str()))
            .filter(|(k, _)| {
                self.event == LiveActivityEvent::Start || !START_ONLY_KEYS.contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        aps.insert("event".into(), self.event.as_str().into());
        aps.insert("timestamp".into(), self.timestamp.into());
        if self.event != LiveActivityEvent::End || !self.content_state.is_empty() {
            aps.insert(
                "content-state".into(),
                Value::Object(self.content_state.clone()),
            );
        }
        if self.event == LiveActivityEvent::Start {
            // Empty is left out, so the payload check says a start needs it.
            let kind = self.attributes_type.trim();
            if !kind.is_empty() {
                aps.insert("attributes-type".into(), kind.into());
            }
            aps.insert("attributes".into(), Value::Object(self.attributes.clone()));
            if self.input_push_token {
                aps.insert("input-push-token".into(), 1.into());
            }
            if let Some(channel) = &self.input_push_channel {
                aps.insert("input-push-channel".into(), channel.as_str().into());
            }
        }
        let mut alert = self.kept.alert.clone();
        for (key, text) in [
            ("title", &self.alert_title),
            ("body", &self.alert_body),
            ("sound", &self.alert_sound),
        ] {
            if let Some(text) = text.as_deref().filter(|t| !t.is_empty()) {
                alert.insert(key.into(), text.into());
            }
        }
        if !alert.is_empty() {
            aps.insert("alert".into(), Value::Object(alert));
        }
        if let Some(score) = self.relevance_score {
            aps.insert("relevance-score".into(), json!(score));
        }
        if let Some(stale) = self.stale_date {
            aps.insert("stale-date".into(), stale.into());
        }
        if self.event == LiveActivityEvent::End
            && let Some(dismissal) = self.dismissal_date
        {
            aps.insert("dismissal-date".into(), dismissal.into());
        }
        let mut payload = self.kept.outside.clone();
        payload.insert("aps".into(), Value::Object(aps));
        Value::Object(payload)
    }

    /// Reads a payload back into fields, leniently: what is missing or of the wrong type is
    /// left empty (the payload check says what is wrong with it). `None` when the payload has
    /// no `aps` dictionary.
    pub fn from_json(payload: &Value) -> Option<Self> {
        let aps = payload.get("aps")?.as_object()?;
        let event = aps
            .get("event")
            .and_then(Value::as_str)
            .and_then(LiveActivityEvent::parse)
            .unwrap_or(LiveActivityEvent::Update);
        let timestamp = aps.get("timestamp").and_then(Value::as_i64).unwrap_or(0);
        let mut push = LiveActivityPush::new(event, timestamp);
        let object = |key: &str| aps.get(key).and_then(Value::as_object).cloned();
        push.content_state = object("content-state").unwrap_or_default();
        push.attributes = object("attributes").unwrap_or_default();
        push.attributes_type = aps
            .get("attributes-type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut alert = aps
            .get("alert")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        // A string is a field; anything else (a `loc-key` dictionary) is kept as it is.
        let mut text = |key: &str| match alert.get(key) {
            Some(Value::String(s)) => {
                let s = s.clone();
                alert.remove(key);
                Some(s)
            }
            _ => None,
        };
        push.alert_title = text("title");
        push.alert_body = text("body");
        push.alert_sound = text("sound");
        push.kept.alert = alert;
        // Read as fields when they have the values iOS reads; anything else is kept as it is
        // (the payload check says what is wrong with it).
        push.input_push_token = aps.get("input-push-token").and_then(Value::as_i64) == Some(1);
        push.input_push_channel = aps
            .get("input-push-channel")
            .and_then(Value::as_str)
            .map(str::to_owned);
        push.kept.aps = aps
            .iter()
            .filter(|(k, _)| !FIELD_KEYS.contains(&k.as_str()))
            .filter(|(k, _)| match k.as_str() {
                "input-push-token" => !push.input_push_token,
                "input-push-channel" => push.input_push_channel.is_none(),
                _ => true,
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        push.kept.outside = payload
            .as_object()
            .map(|top| {
                top.iter()
                    .filter(|(k, _)| k.as_str() != "aps")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        push.relevance_score = aps.get("relevance-score").and_then(Value::as_f64);
        push.stale_date = aps.get("stale-date").and_then(Value::as_i64);
        push.dismissal_date = aps.get("dismissal-date").and_then(Value::as_i64);
        Some(push)
    }
}

/// Sets a Live Activity payload's `aps.timestamp` to `seconds`: a phone keeps an update only
/// when it is newer than the one it has, so the same payload sent again with its old
/// timestamp changes nothing. False when the payload has no `aps` dictionary.
pub fn set_timestamp(payload: &mut Value, seconds: i64) -> bool {
    match payload.get_mut("aps").and_then(Value::as_object_mut) {
        Some(aps) => {
            aps.insert("timestamp".into(), seconds.into());
            true
        }
        None => false,
    }
}

/// A value as typed in a key/value form: JSON when it reads as JSON (`3`, `2.5`, `true`,
/// `"42"`, `{"a":1}`), otherwise the text itself as a string. So `preparing` is a string, `3` a
/// number, and `"3"` the string `3`.
pub fn value_from_text(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// The text [`value_from_text`] reads back as `value`.
pub fn text_from_value(value: &Value) -> String {
    match value {
        Value::String(s) if serde_json::from_str::<Value>(s.trim()).is_err() => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::{PushType, check_payload};

    fn checked(push: &LiveActivityPush) -> crate::apns::PayloadCheck {
        let text = serde_json::to_vec(&push.to_json()).unwrap();
        check_payload(&text, PushType::LiveActivity, Some(5))
    }

    #[test]
    fn a_start_has_attributes_and_passes_the_check() {
        let mut push = LiveActivityPush::new(LiveActivityEvent::Start, 1_764_460_800);
        push.content_state
            .insert("status".into(), "preparing".into());
        push.attributes_type = " DeliveryAttributes ".into();
        push.attributes.insert("orderId".into(), "42".into());
        push.alert_title = Some("Order placed".into());
        push.alert_body = Some(String::new());
        push.relevance_score = Some(0.5);
        push.stale_date = Some(1_764_464_400);
        push.dismissal_date = Some(1);
        let json = push.to_json();
        assert_eq!(
            json,
            json!({"aps": {
                "event": "start", "timestamp": 1_764_460_800,
                "content-state": {"status": "preparing"},
                "attributes-type": "DeliveryAttributes", "attributes": {"orderId": "42"},
                "alert": {"title": "Order placed"}, "relevance-score": 0.5,
                "stale-date": 1_764_464_400
            }}),
            "no dismissal date on a start, no empty body"
        );
        let check = checked(&push);
        assert!(check.is_ok(), "{:?}", check.errors);
        assert_eq!(
            LiveActivityPush::from_json(&json).unwrap().attributes_type,
            "DeliveryAttributes"
        );
    }

    #[test]
    fn an_update_has_no_attributes_and_an_end_may_have_no_state() {
        let mut update = LiveActivityPush::new(LiveActivityEvent::Update, 10);
        update.attributes_type = "X".into();
        update.content_state.insert("score".into(), 2.into());
        assert_eq!(
            update.to_json(),
            json!({"aps": {"event": "update", "timestamp": 10, "content-state": {"score": 2}}})
        );
        assert!(checked(&update).is_ok());
        let mut end = LiveActivityPush::new(LiveActivityEvent::End, 11);
        end.dismissal_date = Some(20);
        assert_eq!(
            end.to_json(),
            json!({"aps": {"event": "end", "timestamp": 11, "dismissal-date": 20}})
        );
        assert!(checked(&end).is_ok());
    }

    #[test]
    fn the_check_still_catches_what_the_fields_allow() {
        let push = LiveActivityPush::new(LiveActivityEvent::Start, 1_764_460_800_000);
        let codes: Vec<_> = checked(&push).errors.iter().map(|e| e.code()).collect();
        assert_eq!(codes, vec!["live_milliseconds", "live_attributes_type"]);
    }

    #[test]
    fn read_back_is_the_same_push() {
        let mut push = LiveActivityPush::new(LiveActivityEvent::End, 5);
        push.content_state.insert("n".into(), json!({"a": [1]}));
        push.alert_body = Some("Done".into());
        push.stale_date = Some(6);
        push.dismissal_date = Some(7);
        push.relevance_score = Some(1.0);
        assert_eq!(LiveActivityPush::from_json(&push.to_json()), Some(push));
        assert_eq!(LiveActivityPush::from_json(&json!([1])), None);
    }

    /// A start written by hand, with what the fields do not cover: iOS 18's request for the
    /// activity's token, a localised title, a sound, the app's own key. Read into fields and
    /// written again, it is the same payload; as an update it drops only what a start alone
    /// carries.
    #[test]
    fn keys_without_a_field_survive_an_edit() {
        let typed = json!({
            "aps": {
                "event": "start", "timestamp": 1_764_460_800,
                "content-state": {"status": "preparing"},
                "attributes-type": "DeliveryAttributes", "attributes": {"orderId": "42"},
                "input-push-token": 1,
                "alert": {
                    "title": {"loc-key": "%@ is on the way", "loc-args": ["Anna"]},
                    "body": "Order 42",
                    "sound": "chime.aiff"
                }
            },
            "order": {"id": 42}
        });
        let mut push = LiveActivityPush::from_json(&typed).unwrap();
        assert_eq!(push.alert_sound.as_deref(), Some("chime.aiff"));
        assert_eq!(push.alert_title, None, "a localised title is no text field");
        assert!(push.input_push_token, "read as its field");
        assert_eq!(push.to_json(), typed);

        push.event = LiveActivityEvent::Update;
        push.alert_body = Some("Almost there".into());
        let update = push.to_json();
        assert_eq!(update["aps"].get("input-push-token"), None);
        assert_eq!(update["aps"].get("attributes"), None);
        assert_eq!(
            update["aps"]["alert"]["title"]["loc-key"],
            "%@ is on the way"
        );
        assert_eq!(update["aps"]["alert"]["body"], "Almost there");
        assert_eq!(update["aps"]["alert"]["sound"], "chime.aiff");
        assert_eq!(update["order"]["id"], 42);
        assert!(checked(&push).is_ok(), "{:?}", checked(&push).errors);
    }

    /// iOS 18's start-only requests are fields: set, they are written on a start only; a
    /// value iOS does not read (`input-push-token: 2`) is kept as typed for the check to name.
    #[test]
    fn a_start_asks_for_its_token_and_channel_and_an_update_does_not() {
        let mut push = LiveActivityPush::new(LiveActivityEvent::Start, 1_764_460_800);
        push.attributes_type = "Match".into();
        push.input_push_token = true;
        push.input_push_channel = Some("dHN0LXVuaXF1ZS1jaGFubmVsLWlk".into());
        let start = push.to_json();
        assert_eq!(start["aps"]["input-push-token"], 1);
        assert_eq!(
            start["aps"]["input-push-channel"],
            "dHN0LXVuaXF1ZS1jaGFubmVsLWlk"
        );
        assert_eq!(LiveActivityPush::from_json(&start).unwrap(), push);
        push.event = LiveActivityEvent::Update;
        let update = push.to_json();
        assert_eq!(update["aps"].get("input-push-token"), None);
        assert_eq!(update["aps"].get("input-push-channel"), None);

        let odd = json!({"aps": {"event": "start", "timestamp": 1, "input-push-token": 2}});
        let read = LiveActivityPush::from_json(&odd).unwrap();
        assert!(!read.input_push_token);
        assert_eq!(read.to_json()["aps"]["input-push-token"], 2);
    }

    #[test]
    fn typed_values_are_numbers_strings_or_json() {
        assert_eq!(value_from_text("3"), json!(3));
        assert_eq!(value_from_text("2.5"), json!(2.5));
        assert_eq!(value_from_text("preparing"), json!("preparing"));
        assert_eq!(value_from_text("\"3\""), json!("3"));
        assert_eq!(value_from_text("{\"a\":1}"), json!({"a": 1}));
        assert_eq!(value_from_text("门铃 响了"), json!("门铃 响了"));
        for v in [
            json!(3),
            json!("3"),
            json!("on the way"),
            json!({"a": [1]}),
            json!(true),
        ] {
            assert_eq!(value_from_text(&text_from_value(&v)), v);
        }
    }
}
