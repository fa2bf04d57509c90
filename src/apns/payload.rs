//! Payloads: built from fields, or written as JSON and checked the way APNs and iOS will treat
//! them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::PushType;
pub use super::payload_issue::PayloadIssue;

/// The `aps` keys Apple documents; anything else inside `aps` is ignored by APNs.
const APS_KEYS: &[&str] = &[
    "alert",
    "badge",
    "sound",
    "thread-id",
    "category",
    "content-available",
    "mutable-content",
    "target-content-id",
    "interruption-level",
    "relevance-score",
    "filter-criteria",
    "stale-date",
    "content-state",
    "timestamp",
    "event",
    "dismissal-date",
    "attributes-type",
    "attributes",
    "input-push-token",
    "input-push-channel",
    "content-changed",
    "url-args",
];

/// A notification described by its fields, as the form in the app and the CLI flags fill it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PayloadFields {
    /// `aps.alert.title`: the alert's first line.
    pub title: Option<String>,
    /// `aps.alert.subtitle`: the line under the title.
    pub subtitle: Option<String>,
    /// `aps.alert.body`: the alert's text.
    pub body: Option<String>,
    /// `aps.badge`: the number on the app's icon (0 removes it).
    pub badge: Option<u32>,
    /// A sound file name or "default".
    pub sound: Option<String>,
    /// Play the sound as a critical alert (needs Apple's entitlement).
    pub critical: bool,
    /// Critical alert volume, 0 to 1.
    pub volume: Option<f64>,
    /// `aps.category`: the notification category whose actions iOS shows.
    pub category: Option<String>,
    /// `aps.thread-id`: notifications with the same one are grouped.
    pub thread_id: Option<String>,
    /// `aps.content-available: 1`: wakes the app in the background (a background push).
    pub content_available: bool,
    /// `aps.mutable-content: 1`: lets the app's notification service extension change it.
    pub mutable_content: bool,
    /// `aps.interruption-level`: `passive`, `active`, `time-sensitive` or `critical`.
    pub interruption_level: Option<String>,
    /// `aps.relevance-score`, 0 to 1: which notification of a group a summary puts first.
    pub relevance_score: Option<f64>,
    /// `aps.target-content-id`: the window or content the app brings forward when opened.
    pub target_content_id: Option<String>,
    /// Keys beside `aps`, for the app's own use.
    pub custom: Map<String, Value>,
}

impl PayloadFields {
    /// The payload JSON.
    pub fn to_json(&self) -> Value {
        let mut aps = Map::new();
        let mut alert = Map::new();
        for (key, value) in [
            ("title", &self.title),
            ("subtitle", &self.subtitle),
            ("body", &self.body),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                alert.insert(key.to_owned(), json!(v));
            }
        }
        if !alert.is_empty() {
            aps.insert("alert".to_owned(), Value::Object(alert));
        }
        if let Some(b) = self.badge {
            aps.insert("badge".to_owned(), json!(b));
        }
        if let Some(s) = self.sound.as_ref().filter(|s| !s.is_empty()) {
            if self.critical {
                let mut sound = Map::new();
                sound.insert("critical".to_owned(), json!(1));
                sound.insert("name".to_owned(), json!(s));
                sound.insert("volume".to_owned(), json!(self.volume.unwrap_or(1.0)));
                aps.insert("sound".to_owned(), Value::Object(sound));
            } else {
                aps.insert("sound".to_owned(), json!(s));
            }
        }
        for (key, value) in [
            ("category", &self.category),
            ("thread-id", &self.thread_id),
            ("interruption-level", &self.interruption_level),
            ("target-content-id", &self.target_content_id),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                aps.insert(key.to_owned(), json!(v));
            }
        }
        if self.content_available {
            aps.insert("content-available".to_owned(), json!(1));
        }
        if self.mutable_content {
            aps.insert("mutable-content".to_owned(), json!(1));
        }
        if let Some(r) = self.relevance_score {
            aps.insert("relevance-score".to_owned(), json!(r));
        }
        let mut root = Map::new();
        root.insert("aps".to_owned(), Value::Object(aps));
        for (k, v) in &self.custom {
            if k != "aps" {
                root.insert(k.clone(), v.clone());
            }
        }
        Value::Object(root)
    }

    /// Reads the fields back from a payload, for the form view of a JSON edit. Keys the form
    /// has no field for stay in `custom` (top level) or are dropped from `aps`.
    pub fn from_json(value: &Value) -> Self {
        let mut f = PayloadFields::default();
        let Some(root) = value.as_object() else {
            return f;
        };
        let aps = root.get("aps").and_then(Value::as_object);
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        if let Some(aps) = aps {
            match aps.get("alert") {
                Some(Value::String(s)) => f.body = Some(s.clone()),
                Some(Value::Object(a)) => {
                    f.title = text(a.get("title"));
                    f.subtitle = text(a.get("subtitle"));
                    f.body = text(a.get("body"));
                }
                _ => {}
            }
            f.badge = aps.get("badge").and_then(Value::as_u64).map(|b| b as u32);
            match aps.get("sound") {
                Some(Value::String(s)) => f.sound = Some(s.clone()),
                Some(Value::Object(s)) => {
                    f.sound = text(s.get("name"));
                    f.critical = s.get("critical").and_then(Value::as_i64) == Some(1);
                    f.volume = s.get("volume").and_then(Value::as_f64);
                }
                _ => {}
            }
            f.category = text(aps.get("category"));
            f.thread_id = text(aps.get("thread-id"));
            f.interruption_level = text(aps.get("interruption-level"));
            f.target_content_id = text(aps.get("target-content-id"));
            f.content_available = aps.get("content-available").and_then(Value::as_i64) == Some(1);
            f.mutable_content = aps.get("mutable-content").and_then(Value::as_i64) == Some(1);
            f.relevance_score = aps.get("relevance-score").and_then(Value::as_f64);
        }
        for (k, v) in root {
            if k != "aps" {
                f.custom.insert(k.clone(), v.clone());
            }
        }
        f
    }
}

/// The verdict on a payload: errors stop a send, warnings do not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayloadCheck {
    /// Bytes as sent (UTF-8).
    pub size: usize,
    /// The most the push type allows, in bytes.
    pub limit: usize,
    /// Problems that stop the send: APNs or iOS would refuse or drop the push.
    pub errors: Vec<PayloadIssue>,
    /// Problems that let the push through but that a person would want to know about.
    pub warnings: Vec<PayloadIssue>,
}

impl PayloadCheck {
    /// No error: the payload may be sent.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Checks a payload for a push type and priority, as APNs and iOS will treat it.
pub fn check_payload(text: &[u8], push_type: PushType, priority: Option<u8>) -> PayloadCheck {
    let limit = push_type.max_payload();
    let mut check = PayloadCheck {
        size: text.len(),
        limit,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if text.iter().all(u8::is_ascii_whitespace) {
        check.errors.push(PayloadIssue::Empty);
        return check;
    }
    if text.len() > limit {
        check.errors.push(PayloadIssue::TooLarge {
            size: text.len(),
            limit,
            push_type,
            over: text.len() - limit,
        });
    }
    let value: Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => {
            check.errors.push(PayloadIssue::InvalidJson {
                error: e.to_string(),
                line: e.line(),
                column: e.column(),
            });
            return check;
        }
    };
    let Some(root) = value.as_object() else {
        check.errors.push(PayloadIssue::NotAnObject);
        return check;
    };
    let aps = root.get("aps");
    let aps_map = aps.and_then(Value::as_object);
    if aps.is_some() && aps_map.is_none() {
        check.errors.push(PayloadIssue::ApsNotObject);
    }
    if aps.is_none() && push_type != PushType::Mdm {
        check.warnings.push(PayloadIssue::NoAps);
    }
    let Some(aps) = aps_map else { return check };
    check_visibility(aps, push_type, priority, &mut check);
    check_aps_values(aps, push_type, priority, &mut check);
    check
}

/// Whether the push shows what its type promises: a background push is silent and low
/// priority, an alert shows something.
fn check_visibility(
    aps: &serde_json::Map<String, Value>,
    push_type: PushType,
    priority: Option<u8>,
    check: &mut PayloadCheck,
) {
    let visible = ["alert", "badge", "sound"]
        .iter()
        .filter(|k| aps.contains_key(**k))
        .copied()
        .collect::<Vec<_>>();
    let silent = aps.get("content-available").and_then(Value::as_i64) == Some(1);
    if push_type == PushType::Background {
        if priority == Some(10) {
            check.errors.push(PayloadIssue::BackgroundPriority);
        }
        if !visible.is_empty() {
            check.warnings.push(PayloadIssue::BackgroundVisible {
                keys: visible.join(", "),
            });
        }
        if !silent {
            check
                .warnings
                .push(PayloadIssue::BackgroundWithoutContentAvailable);
        }
    } else if silent && !visible.is_empty() && push_type == PushType::Alert {
        check.warnings.push(PayloadIssue::ContentAvailableWithAlert);
    }
    if push_type == PushType::Alert && visible.is_empty() && !silent {
        check.warnings.push(PayloadIssue::AlertShowsNothing);
    }
}

/// The keys of `aps` and their values: unknown keys, levels, scores, badges, and a Live
/// Activity's own rules.
fn check_aps_values(
    aps: &serde_json::Map<String, Value>,
    push_type: PushType,
    priority: Option<u8>,
    check: &mut PayloadCheck,
) {
    let custom: Vec<&str> = aps
        .keys()
        .map(String::as_str)
        .filter(|k| !APS_KEYS.contains(k))
        .collect();
    if !custom.is_empty() {
        check.warnings.push(PayloadIssue::CustomKeysInAps {
            keys: custom.join(", "),
        });
    }
    if let Some(level) = aps.get("interruption-level").and_then(Value::as_str)
        && !["passive", "active", "time-sensitive", "critical"].contains(&level)
    {
        check.warnings.push(PayloadIssue::InterruptionLevel {
            level: level.to_owned(),
        });
    }
    if let Some(score) = aps.get("relevance-score").and_then(Value::as_f64)
        && push_type != PushType::LiveActivity
        && !(0.0..=1.0).contains(&score)
    {
        check.warnings.push(PayloadIssue::RelevanceScore);
    }
    if push_type == PushType::LiveActivity {
        super::live_activity::check(aps, priority, &mut check.errors, &mut check.warnings);
    }
    if let Some(badge) = aps.get("badge")
        && !badge.is_u64()
    {
        check.errors.push(PayloadIssue::Badge);
    }
}

/// Ready-made payloads for the push types people try first.
pub fn template(push_type: PushType) -> Value {
    match push_type {
        PushType::Background => json!({"aps": {"content-available": 1}}),
        PushType::Voip => json!({"aps": {}, "caller": "Pushlab"}),
        PushType::Widgets => json!({"aps": {"content-changed": true}}),
        PushType::LiveActivity => json!({"aps": {
            "timestamp": time::OffsetDateTime::now_utc().unix_timestamp(),
            "event": "update",
            "content-state": {"status": "on the way"}
        }}),
        PushType::Location => json!({"aps": {}}),
        PushType::Mdm => json!({"mdm": "00000000-0000-0000-0000-000000000000"}),
        _ => {
            json!({"aps": {"alert": {"title": "Hello", "body": "Sent with pushlab"}, "sound": "default"}})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[PayloadIssue]) -> Vec<&'static str> {
        list.iter().map(PayloadIssue::code).collect()
    }

    #[test]
    fn fields_round_trip() {
        let f = PayloadFields {
            title: Some("Doorbell".into()),
            body: Some("Someone is at the door".into()),
            badge: Some(1),
            sound: Some("ring.caf".into()),
            thread_id: Some("door".into()),
            mutable_content: true,
            custom: [("door".to_owned(), json!("front"))].into_iter().collect(),
            ..Default::default()
        };
        let v = f.to_json();
        assert_eq!(v["aps"]["alert"]["title"], "Doorbell");
        assert_eq!(v["aps"]["mutable-content"], 1);
        assert_eq!(v["door"], "front");
        assert_eq!(PayloadFields::from_json(&v), f);
    }

    #[test]
    fn size_limits_count_exact_bytes() {
        let body = "x".repeat(5000);
        let text = serde_json::to_vec(&json!({"aps": {"alert": body}})).unwrap();
        let c = check_payload(&text, PushType::Alert, None);
        assert_eq!(c.size, text.len());
        assert_eq!(codes(&c.errors), vec!["too_large"]);
        assert!(c.errors[0].to_string().contains(&text.len().to_string()));
        assert!(check_payload(&text, PushType::Voip, None).is_ok());
    }

    #[test]
    fn invalid_json_points_at_the_line() {
        let c = check_payload(
            b"{\n  \"aps\": {\n    \"alert\": \"hi\",\n  }\n}",
            PushType::Alert,
            None,
        );
        assert_eq!(c.errors[0].code(), "invalid_json");
        assert_eq!(c.errors[0].line(), Some(4));
    }

    #[test]
    fn background_rules() {
        let c = check_payload(br#"{"aps":{"alert":"hi"}}"#, PushType::Background, Some(10));
        assert_eq!(codes(&c.errors), vec!["background_priority"]);
        assert!(codes(&c.warnings).contains(&"background_visible"));
        assert!(codes(&c.warnings).contains(&"background_without_content_available"));
        let ok = check_payload(
            br#"{"aps":{"content-available":1}}"#,
            PushType::Background,
            Some(5),
        );
        assert!(ok.is_ok() && ok.warnings.is_empty(), "{ok:?}");
    }

    #[test]
    fn custom_keys_inside_aps_and_silent_alerts_warn() {
        let c = check_payload(
            br#"{"aps":{"alert":"hi","content-available":1,"doorId":3}}"#,
            PushType::Alert,
            None,
        );
        assert_eq!(
            codes(&c.warnings),
            vec!["content_available_with_alert", "custom_keys_in_aps"]
        );
        assert!(c.warnings[1].to_string().contains("doorId"));
        assert_eq!(
            codes(&check_payload(b"  ", PushType::Alert, None).errors),
            vec!["empty"]
        );
    }
}
