//! The Live Activity composer's state: one activity's start, update or end as fields, turned
//! into the payload by the library's [`LiveActivityPush`], and read back from the payload when
//! it is edited as JSON or a template is picked.

use serde_json::{Map, Value};

use super::ComposePanel;
use crate::apns::{
    DeviceToken, KeptKeys, LiveActivityEvent, LiveActivityPush, PushType, text_from_value,
    value_from_text,
};
use crate::gui::i18n::msg;
use crate::gui::state::{Draft, LiveTokenKind, State};

/// One `name: value` row of a key/value form.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Row {
    pub name: String,
    pub value: String,
}

/// The composer's fields, as typed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LiveComposer {
    pub event: LiveActivityEvent,
    pub content: Vec<Row>,
    /// The content state edited as JSON instead of rows.
    pub raw: bool,
    pub raw_text: String,
    pub attributes_type: String,
    pub attributes: Vec<Row>,
    /// iOS 18, a start: ask for the activity's own update token.
    pub input_push_token: bool,
    /// iOS 18, a start: the broadcast channel the activity follows (empty: none).
    pub input_push_channel: String,
    pub alert_title: String,
    pub alert_body: String,
    pub alert_sound: String,
    pub relevance_score: String,
    pub stale_date: String,
    pub dismissal_date: String,
    /// Seconds since 1970, as typed when `timestamp_now` is off.
    pub timestamp: String,
    /// Stamp each send with the time it is sent.
    pub timestamp_now: bool,
    /// The payload text the fields were read from or written to.
    pub read_from: Option<String>,
    /// The last timestamp sent: the next is newer, so of two sends within a second the later
    /// one wins on the phone whatever order APNs delivers them in.
    pub last_sent: i64,
    /// Why the fields do not make a payload.
    pub error: Option<String>,
    /// What the payload held that no field shows, written back with the fields.
    pub kept: KeptKeys,
}

impl Default for LiveComposer {
    fn default() -> Self {
        LiveComposer {
            event: LiveActivityEvent::Start,
            content: Vec::new(),
            raw: false,
            raw_text: String::new(),
            attributes_type: String::new(),
            attributes: Vec::new(),
            input_push_token: false,
            input_push_channel: String::new(),
            alert_title: String::new(),
            alert_body: String::new(),
            alert_sound: String::new(),
            relevance_score: String::new(),
            stale_date: String::new(),
            dismissal_date: String::new(),
            timestamp: String::new(),
            timestamp_now: true,
            read_from: None,
            last_sent: 0,
            error: None,
            kept: KeptKeys::default(),
        }
    }
}

fn rows(map: &Map<String, Value>) -> Vec<Row> {
    map.iter()
        .map(|(name, value)| Row {
            name: name.clone(),
            value: text_from_value(value),
        })
        .collect()
}

fn map(rows: &[Row]) -> Map<String, Value> {
    rows.iter()
        .filter(|r| !r.name.trim().is_empty())
        .map(|r| (r.name.trim().to_owned(), value_from_text(&r.value)))
        .collect()
}

fn optional<T: std::str::FromStr>(
    text: &str,
    field: &str,
    id_ok: bool,
) -> Result<Option<T>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| {
            if id_ok {
                msg::compose_la_bad_date(field)
            } else {
                msg::compose_la_bad_number(field)
            }
        }),
    }
}

impl LiveComposer {
    /// The timestamp the next send gets: now, or one past the last send.
    pub fn next_timestamp(&self) -> i64 {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        now.max(self.last_sent.saturating_add(1))
    }

    /// The next step of an activity the phone holds: an update carrying on from its content
    /// state, without the start's alert (it told the person already).
    pub fn continue_activity(&mut self, content_state: &Map<String, Value>) {
        self.event = LiveActivityEvent::Update;
        self.content = rows(content_state);
        self.alert_title.clear();
        self.alert_body.clear();
        self.alert_sound.clear();
        self.kept.alert.clear();
    }

    /// Fills the fields from a payload (a template, the JSON edited by hand).
    pub fn read(&mut self, payload: &str) {
        self.read_from = Some(payload.to_owned());
        let Some(push) = serde_json::from_str::<Value>(payload)
            .ok()
            .and_then(|v| LiveActivityPush::from_json(&v))
        else {
            return;
        };
        self.event = push.event;
        self.content = rows(&push.content_state);
        self.raw_text = serde_json::to_string_pretty(&push.content_state).unwrap_or_default();
        self.attributes_type = push.attributes_type;
        self.attributes = rows(&push.attributes);
        self.input_push_token = push.input_push_token;
        self.input_push_channel = push.input_push_channel.unwrap_or_default();
        self.alert_title = push.alert_title.unwrap_or_default();
        self.alert_body = push.alert_body.unwrap_or_default();
        self.alert_sound = push.alert_sound.unwrap_or_default();
        self.kept = push.kept;
        self.relevance_score = push
            .relevance_score
            .map(|s| s.to_string())
            .unwrap_or_default();
        self.stale_date = push.stale_date.map(|d| d.to_string()).unwrap_or_default();
        self.dismissal_date = push
            .dismissal_date
            .map(|d| d.to_string())
            .unwrap_or_default();
        self.timestamp = push.timestamp.to_string();
        self.error = None;
    }

    /// The push the fields describe, or why they do not make one.
    pub fn build(&self, field_names: &FieldNames) -> Result<LiveActivityPush, String> {
        let timestamp = if self.timestamp_now {
            self.next_timestamp()
        } else {
            optional(&self.timestamp, &field_names.timestamp, true)?.unwrap_or(0)
        };
        let mut push = LiveActivityPush::new(self.event, timestamp);
        push.content_state = if self.raw {
            match serde_json::from_str::<Value>(&self.raw_text) {
                Ok(Value::Object(m)) => m,
                Ok(_) => {
                    return Err(msg::compose_la_raw_not_object(""));
                }
                Err(e) => {
                    return Err(msg::compose_la_raw_not_object(e.to_string()));
                }
            }
        } else {
            map(&self.content)
        };
        push.attributes_type = self.attributes_type.clone();
        push.attributes = map(&self.attributes);
        push.input_push_token = self.input_push_token;
        push.input_push_channel = match self.input_push_channel.trim() {
            "" => None,
            typed => Some(
                crate::apns::ChannelId::parse(typed)
                    .map_err(|e| crate::gui::i18n::channel_id_error(&e))?
                    .to_string(),
            ),
        };
        let text = |t: &str| (!t.trim().is_empty()).then(|| t.to_owned());
        push.alert_title = text(&self.alert_title);
        push.alert_body = text(&self.alert_body);
        push.alert_sound = text(&self.alert_sound);
        push.kept = self.kept.clone();
        push.relevance_score = optional(&self.relevance_score, &field_names.relevance, false)?;
        push.stale_date = optional(&self.stale_date, &field_names.stale, true)?;
        push.dismissal_date = optional(&self.dismissal_date, &field_names.dismissal, true)?;
        Ok(push)
    }

    /// Writes the fields into the draft's payload, or keeps the payload and says why not.
    pub fn write(&mut self, draft: &mut Draft, field_names: &FieldNames) {
        match self.build(field_names) {
            Ok(push) => {
                self.error = None;
                self.timestamp = push.timestamp.to_string();
                if let Ok(text) = serde_json::to_string_pretty(&push.to_json()) {
                    draft.payload = text.clone();
                    self.read_from = Some(text);
                }
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Switches between rows and JSON for the content state; stays in JSON while it does not
    /// parse into a dictionary.
    pub fn set_raw(&mut self, raw: bool) {
        if raw {
            self.raw_text = serde_json::to_string_pretty(&map(&self.content)).unwrap_or_default();
            self.raw = true;
            return;
        }
        match serde_json::from_str::<Value>(&self.raw_text) {
            Ok(Value::Object(m)) => {
                self.content = rows(&m);
                self.raw = false;
            }
            _ => self.raw = true,
        }
    }

    /// Stamps the draft's Live Activity payload with the time of sending.
    pub fn stamp(&mut self, draft: &mut Draft) {
        let Ok(mut value) = serde_json::from_str::<Value>(&draft.payload) else {
            return;
        };
        if self.timestamp_now {
            let now = self.next_timestamp();
            if !crate::apns::set_timestamp(&mut value, now) {
                return;
            }
            if let Ok(text) = serde_json::to_string_pretty(&value) {
                draft.payload = text.clone();
                self.read_from = Some(text);
                self.timestamp = now.to_string();
            }
        }
        if let Some(t) = value.pointer("/aps/timestamp").and_then(Value::as_i64) {
            self.last_sent = self.last_sent.max(t);
        }
    }
}

/// The translated names of the fields, for error messages.
pub(super) struct FieldNames {
    pub timestamp: String,
    pub relevance: String,
    pub stale: String,
    pub dismissal: String,
}

impl FieldNames {
    pub fn new() -> Self {
        use crate::gui::i18n::msg;
        FieldNames {
            timestamp: msg::compose_la_timestamp(),
            relevance: msg::compose_la_relevance_score(),
            stale: msg::compose_la_stale_date(),
            dismissal: msg::compose_la_dismissal_date(),
        }
    }
}

impl ComposePanel {
    /// Before a send: a Live Activity payload gets the time of sending as its timestamp.
    pub fn prepare_send(&mut self, draft: &mut Draft) {
        if draft.push_type == PushType::LiveActivity {
            self.live.stamp(draft);
        }
    }

    /// A start went out: the next step is an update of the same activity.
    pub(super) fn after_live_send(
        &mut self,
        state: &mut State,
        sent: &Draft,
        status: Option<u16>,
        route: Option<&crate::client::TargetLabel>,
    ) {
        let started = serde_json::from_str::<Value>(&sent.payload)
            .ok()
            .and_then(|v| {
                v.pointer("/aps/event")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        if sent.push_type != PushType::LiveActivity
            || status != Some(200)
            || started.as_deref() != Some("start")
            || state.compose.push_type != PushType::LiveActivity
        {
            return;
        }
        self.answer_was_start = true;
        self.live.read(&state.compose.payload);
        self.live.event = LiveActivityEvent::Update;
        // The start's alert told the person about the new activity; an update with the same
        // alert would tell them again.
        self.live.alert_title.clear();
        self.live.alert_body.clear();
        self.live.alert_sound.clear();
        self.live.kept.alert.clear();
        self.live.write(&mut state.compose, &FieldNames::new());
        self.route_live_token(state);
        // Wherever it went, the token the start went to is a push-to-start token: an update
        // typed to it is warned of.
        self.started_at = Some(sent.token.trim().to_owned());
        // The embedded simulator's phone makes the new activity's update token: the app
        // polls for it (the phone hands it to the app, which tells its server).
        if let Some(crate::client::TargetLabel::Simulator { addr, .. }) = route {
            self.started = Some((sent.token.trim().to_ascii_lowercase(), *addr));
        }
    }

    /// Points the token at the chosen saved device's Live Activity token for this step: its
    /// push-to-start token for a start, its activity's update token otherwise (when it has it).
    pub(super) fn route_live_token(&mut self, state: &mut State) {
        if state.compose.push_type != PushType::LiveActivity {
            return;
        }
        let kind = match self.live.event {
            LiveActivityEvent::Start => LiveTokenKind::PushToStart,
            _ => LiveTokenKind::Activity,
        };
        let token = DeviceToken::parse(&state.compose.token)
            .ok()
            .and_then(|t| state.devices.find_any(&t))
            .and_then(|d| d.live_token(kind))
            .map(DeviceToken::to_hex);
        if let Some(token) = token {
            state.compose.token = token;
            self.normalised = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names() -> FieldNames {
        FieldNames {
            timestamp: "Timestamp".into(),
            relevance: "Relevance score".into(),
            stale: "Stale date".into(),
            dismissal: "Dismissal date".into(),
        }
    }

    #[test]
    fn rows_become_the_content_state_and_read_back() {
        let mut c = LiveComposer {
            content: vec![
                Row {
                    name: "status".into(),
                    value: "on the way".into(),
                },
                Row {
                    name: " eta ".into(),
                    value: "5".into(),
                },
                Row {
                    name: "".into(),
                    value: "dropped".into(),
                },
            ],
            attributes_type: "DeliveryAttributes".into(),
            alert_title: "Order".into(),
            ..LiveComposer::default()
        };
        let mut draft = Draft::default();
        c.write(&mut draft, &names());
        let v: Value = serde_json::from_str(&draft.payload).unwrap();
        assert_eq!(
            v["aps"]["content-state"],
            json!({"status": "on the way", "eta": 5})
        );
        assert_eq!(v["aps"]["event"], "start");
        assert!(v["aps"]["timestamp"].as_i64().unwrap() > 1_700_000_000);
        let mut back = LiveComposer::default();
        back.read(&draft.payload);
        assert!(back.content.contains(&Row {
            name: "eta".into(),
            value: "5".into()
        }));
        assert_eq!(back.alert_title, "Order");
    }

    #[test]
    fn bad_numbers_and_json_say_which_field() {
        let mut c = LiveComposer {
            relevance_score: "high".into(),
            ..LiveComposer::default()
        };
        assert!(c.build(&names()).unwrap_err().contains("Relevance score"));
        c.relevance_score = "0.5".into();
        c.stale_date = "1.5".into();
        assert!(c.build(&names()).unwrap_err().contains("Stale date"));
        c.stale_date.clear();
        c.raw = true;
        c.raw_text = "[1]".into();
        assert!(c.build(&names()).is_err());
        c.set_raw(false);
        assert!(c.raw, "stays JSON while it is not a dictionary");
        c.raw_text = r#"{"score": {"home": 1}}"#.into();
        c.set_raw(false);
        assert_eq!(c.content[0].value, r#"{"home":1}"#);
    }

    #[test]
    fn each_send_is_newer_than_the_last() {
        let mut c = LiveComposer::default();
        let mut draft = Draft {
            push_type: PushType::LiveActivity,
            payload: r#"{"aps":{"event":"update","timestamp":1,"content-state":{}}}"#.into(),
            ..Draft::default()
        };
        c.stamp(&mut draft);
        let first = c.last_sent;
        c.stamp(&mut draft);
        assert_eq!(c.last_sent, first + 1, "two sends in one second");
        let v: Value = serde_json::from_str(&draft.payload).unwrap();
        assert_eq!(v["aps"]["timestamp"], first + 1);
        c.timestamp_now = false;
        draft.payload = r#"{"aps":{"event":"update","timestamp":5,"content-state":{}}}"#.into();
        c.stamp(&mut draft);
        assert!(draft.payload.contains("\"timestamp\":5"), "kept as typed");
    }
}
