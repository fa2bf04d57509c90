//! The rules of a Live Activity push's `aps` dictionary (push type `liveactivity`), each
//! mistake with its own message: what iOS does with it, and what to send instead.

use serde_json::{Map, Value};

use super::payload::PayloadIssue;

/// Seconds since 1970 stay under this until the year 5138; a date above it is milliseconds,
/// the commonest Live Activity mistake (JavaScript's `Date.now()`): the update then looks far
/// newer than every later one, which iOS drops as stale.
const MILLISECONDS_FROM: i64 = 100_000_000_000;

/// Adds the issues of a Live Activity `aps` to `errors` and `warnings`.
pub(super) fn check(
    aps: &Map<String, Value>,
    priority: Option<u8>,
    errors: &mut Vec<PayloadIssue>,
    warnings: &mut Vec<PayloadIssue>,
) {
    let event = match aps.get("event") {
        None => {
            errors.push(PayloadIssue::LiveEventMissing);
            None
        }
        Some(Value::String(e)) if ["start", "update", "end"].contains(&e.as_str()) => {
            Some(e.as_str())
        }
        Some(other) => {
            errors.push(PayloadIssue::LiveEvent {
                value: other.to_string(),
            });
            None
        }
    };
    match aps.get("timestamp") {
        None => errors.push(PayloadIssue::LiveTimestampMissing),
        Some(t) => seconds(t, "timestamp", errors),
    }
    for key in ["stale-date", "dismissal-date"] {
        if let Some(t) = aps.get(key) {
            seconds(t, key, errors);
        }
    }
    if aps.contains_key("dismissal-date") && event.is_some_and(|e| e != "end") {
        warnings.push(PayloadIssue::LiveDismissalNotEnd);
    }
    match aps.get("content-state") {
        None if event.is_some_and(|e| e != "end") => {
            errors.push(PayloadIssue::LiveContentStateMissing)
        }
        Some(v) if !v.is_object() => errors.push(PayloadIssue::LiveContentState),
        _ => {}
    }
    if event == Some("start") {
        if !aps.get("attributes-type").is_some_and(Value::is_string) {
            errors.push(PayloadIssue::LiveAttributesType);
        }
        if !aps.get("attributes").is_some_and(Value::is_object) {
            errors.push(PayloadIssue::LiveAttributes);
        }
        if !aps.contains_key("alert") {
            warnings.push(PayloadIssue::LiveStartAlert);
        }
    }
    if let Some(token) = aps.get("input-push-token") {
        if token.as_i64() != Some(1) {
            errors.push(PayloadIssue::LiveInputPushToken);
        }
        if event != Some("start") {
            errors.push(PayloadIssue::LiveInputPushTokenEvent);
        }
    }
    if let Some(channel) = aps.get("input-push-channel")
        && (!channel.is_string() || event != Some("start"))
    {
        errors.push(PayloadIssue::LiveInputPushChannel);
    }
    if let Some(score) = aps.get("relevance-score")
        && !score.as_f64().is_some_and(|s| s >= 0.0)
    {
        errors.push(PayloadIssue::LiveRelevanceScore);
    }
    if let Some(alert) = aps.get("alert").and_then(Value::as_object) {
        for key in ["title", "body"] {
            match alert.get(key) {
                None | Some(Value::String(_)) => {}
                Some(Value::Object(loc)) if loc.get("loc-key").is_some_and(Value::is_string) => {}
                Some(_) => errors.push(PayloadIssue::LiveAlert { key }),
            }
        }
    }
    if aps.contains_key("sound") {
        warnings.push(PayloadIssue::LiveSoundBesideAlert);
    }
    if priority.unwrap_or(10) == 10 && event == Some("update") {
        warnings.push(PayloadIssue::LivePriority);
    }
}

/// A date that must be whole seconds since 1970.
fn seconds(value: &Value, key: &'static str, errors: &mut Vec<PayloadIssue>) {
    match value.as_i64() {
        Some(t) if t >= MILLISECONDS_FROM => {
            errors.push(PayloadIssue::LiveMilliseconds { key, value: t })
        }
        Some(t) if t < 0 => errors.push(PayloadIssue::LiveDate {
            key,
            negative: true,
        }),
        Some(_) => {}
        None => errors.push(PayloadIssue::LiveDate {
            key,
            negative: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::apns::{PayloadIssue, PushType, check_payload};

    fn codes(json: &str, priority: Option<u8>) -> (Vec<&'static str>, Vec<&'static str>) {
        let c = check_payload(json.as_bytes(), PushType::LiveActivity, priority);
        (
            c.errors.iter().map(PayloadIssue::code).collect(),
            c.warnings.iter().map(PayloadIssue::code).collect(),
        )
    }

    #[test]
    fn each_mistake_has_its_own_message() {
        let ok = r#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"score":2}}}"#;
        assert_eq!(codes(ok, Some(5)), (vec![], vec![]));
        assert_eq!(codes(ok, None).1, vec!["live_priority"]);
        let ms = r#"{"aps":{"event":"update","timestamp":1764460800000,"content-state":{}}}"#;
        assert_eq!(codes(ms, Some(5)).0, vec!["live_milliseconds"]);
        let c = check_payload(ms.as_bytes(), PushType::LiveActivity, Some(5));
        assert!(
            c.errors[0].message().contains("1764460800)"),
            "{}",
            c.errors[0].message()
        );
        assert_eq!(
            codes(r#"{"aps":{"timestamp":1,"content-state":{}}}"#, Some(5)).0,
            vec!["live_event_missing"]
        );
        assert_eq!(
            codes(r#"{"aps":{"event":"begin","timestamp":1}}"#, Some(5)).0,
            vec!["live_event"]
        );
        assert_eq!(
            codes(r#"{"aps":{"event":"update","content-state":{}}}"#, Some(5)).0,
            vec!["live_timestamp_missing"]
        );
        assert_eq!(
            codes(
                r#"{"aps":{"event":"update","timestamp":1,"content-state":[1]}}"#,
                Some(5)
            )
            .0,
            vec!["live_content_state"]
        );
        let start =
            r#"{"aps":{"event":"start","timestamp":1,"content-state":{},"alert":{"title":"Go"}}}"#;
        assert_eq!(
            codes(start, Some(5)).0,
            vec!["live_attributes_type", "live_attributes"]
        );
        let token_on_update =
            r#"{"aps":{"event":"update","timestamp":1,"content-state":{},"input-push-token":1}}"#;
        assert_eq!(
            codes(token_on_update, Some(5)).0,
            vec!["live_input_push_token_event"]
        );
        let end = r#"{"aps":{"event":"end","timestamp":1,"dismissal-date":1764460800000}}"#;
        assert_eq!(codes(end, Some(5)).0, vec!["live_milliseconds"]);
        let loc = r#"{"aps":{"event":"update","timestamp":1,"content-state":{},"alert":{"title":{"loc-key":"T"},"body":3}}}"#;
        assert_eq!(codes(loc, Some(5)).0, vec!["live_alert"]);
        let sound =
            r#"{"aps":{"event":"update","timestamp":1,"content-state":{},"sound":"chime.aiff"}}"#;
        assert_eq!(
            codes(sound, Some(5)),
            (vec![], vec!["live_sound_beside_alert"])
        );
        let in_alert = r#"{"aps":{"event":"update","timestamp":1,"content-state":{},"alert":{"title":"Go","sound":"chime.aiff"}}}"#;
        assert_eq!(codes(in_alert, Some(5)), (vec![], vec![]));
    }
}
