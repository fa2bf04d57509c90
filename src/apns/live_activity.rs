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
            errors.push(PayloadIssue::new(
                "live_event_missing",
                "a Live Activity push needs \"event\": \"start\", \"update\" or \"end\"",
            ));
            None
        }
        Some(Value::String(e)) if ["start", "update", "end"].contains(&e.as_str()) => {
            Some(e.as_str())
        }
        Some(other) => {
            errors.push(
                PayloadIssue::new(
                    "live_event",
                    format!("\"event\" is {other}: it must be \"start\", \"update\" or \"end\""),
                )
                .arg("value", other.to_string()),
            );
            None
        }
    };
    match aps.get("timestamp") {
        None => errors.push(PayloadIssue::new(
            "live_timestamp_missing",
            "a Live Activity push needs \"timestamp\" (seconds since 1970): iOS keeps the newest and ignores older ones",
        )),
        Some(t) => seconds(t, "timestamp", errors),
    }
    for key in ["stale-date", "dismissal-date"] {
        if let Some(t) = aps.get(key) {
            seconds(t, key, errors);
        }
    }
    if aps.contains_key("dismissal-date") && event.is_some_and(|e| e != "end") {
        warnings.push(PayloadIssue::new(
            "live_dismissal_not_end",
            "\"dismissal-date\" only counts with \"event\": \"end\": it says when the ended activity leaves the Lock Screen",
        ));
    }
    match aps.get("content-state") {
        None if event.is_some_and(|e| e != "end") => errors.push(PayloadIssue::new(
            "live_content_state_missing",
            "\"content-state\" is missing: iOS decodes it into the activity's ContentState, so a start or update needs it",
        )),
        Some(v) if !v.is_object() => errors.push(PayloadIssue::new(
            "live_content_state",
            "\"content-state\" must be a dictionary matching the activity's ContentState",
        )),
        _ => {}
    }
    if event == Some("start") {
        if !aps.get("attributes-type").is_some_and(Value::is_string) {
            errors.push(PayloadIssue::new(
                "live_attributes_type",
                "a start needs \"attributes-type\": the name of the app's ActivityAttributes struct, as a string",
            ));
        }
        if !aps.get("attributes").is_some_and(Value::is_object) {
            errors.push(PayloadIssue::new(
                "live_attributes",
                "a start needs \"attributes\": a dictionary with the ActivityAttributes' fields",
            ));
        }
        if !aps.contains_key("alert") {
            warnings.push(PayloadIssue::new(
                "live_start_alert",
                "a start without \"alert\" starts silently; Apple asks for an alert so the person notices the new activity",
            ));
        }
    }
    if let Some(token) = aps.get("input-push-token") {
        if token.as_i64() != Some(1) {
            errors.push(PayloadIssue::new(
                "live_input_push_token",
                "\"input-push-token\" must be 1 (ask the started activity for its update token)",
            ));
        }
        if event != Some("start") {
            errors.push(PayloadIssue::new(
                "live_input_push_token_event",
                "\"input-push-token\" goes with \"event\": \"start\" only",
            ));
        }
    }
    if let Some(channel) = aps.get("input-push-channel")
        && (!channel.is_string() || event != Some("start"))
    {
        errors.push(PayloadIssue::new(
            "live_input_push_channel",
            "\"input-push-channel\" is a channel id (a string) and goes with \"event\": \"start\" only (iOS 18 broadcast)",
        ));
    }
    if let Some(score) = aps.get("relevance-score")
        && !score.as_f64().is_some_and(|s| s >= 0.0)
    {
        errors.push(PayloadIssue::new(
            "live_relevance_score",
            "\"relevance-score\" must be a number, 0 or more: the highest is shown in the Dynamic Island",
        ));
    }
    if let Some(alert) = aps.get("alert").and_then(Value::as_object) {
        for key in ["title", "body"] {
            match alert.get(key) {
                None | Some(Value::String(_)) => {}
                Some(Value::Object(loc)) if loc.get("loc-key").is_some_and(Value::is_string) => {}
                Some(_) => errors.push(
                    PayloadIssue::new(
                        "live_alert",
                        format!(
                            "the alert's \"{key}\" must be a string or a localisation dictionary with \"loc-key\" (and \"loc-args\")"
                        ),
                    )
                    .arg("key", key),
                ),
            }
        }
    }
    if priority.unwrap_or(10) == 10 && event == Some("update") {
        warnings.push(PayloadIssue::new(
            "live_priority",
            "priority 10 updates are budgeted by iOS: past the budget they are throttled. Send frequent updates with priority 5, and 10 only for what the person must see now",
        ));
    }
}

/// A date that must be whole seconds since 1970.
fn seconds(value: &Value, key: &str, errors: &mut Vec<PayloadIssue>) {
    match value.as_i64() {
        // Digits as written: a date is no quantity to group.
        Some(t) if t >= MILLISECONDS_FROM => errors.push(
            PayloadIssue::new(
                "live_milliseconds",
                format!(
                    "\"{key}\" is {t}, milliseconds: it must be seconds since 1970 ({}), or iOS treats the update as stale",
                    t / 1000
                ),
            )
            .arg("key", key)
            .arg("value", t.to_string())
            .arg("seconds", (t / 1000).to_string()),
        ),
        Some(t) if t < 0 => errors.push(
            PayloadIssue::new(
                "live_date",
                format!("\"{key}\" is negative: it must be seconds since 1970"),
            )
            .arg("key", key)
            .arg("problem", "negative"),
        ),
        Some(_) => {}
        None => errors.push(
            PayloadIssue::new(
                "live_date",
                format!("\"{key}\" must be a whole number of seconds since 1970"),
            )
            .arg("key", key)
            .arg("problem", "not_whole"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::apns::{PushType, check_payload};

    fn codes(json: &str, priority: Option<u8>) -> (Vec<&'static str>, Vec<&'static str>) {
        let c = check_payload(json.as_bytes(), PushType::LiveActivity, priority);
        (
            c.errors.iter().map(|i| i.code).collect(),
            c.warnings.iter().map(|i| i.code).collect(),
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
            c.errors[0].message.contains("1764460800)"),
            "{}",
            c.errors[0].message
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
    }
}
