//! The payloads people start from, each with the push type it needs. What they show on a lock
//! screen is in the language on screen: the library's templates are English, for the command
//! line, and a tester in another language would otherwise send English to their phone.

use serde_json::{Value, json};

use crate::apns::{PushType, template};
use crate::gui::i18n::{self, Language, msg};
use crate::gui::state::Draft;

/// A payload to start from, as listed under Template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Template {
    Alert,
    BadgeOnly,
    Silent,
    VoipCall,
    Rich,
    LiveActivityStart,
    LiveActivityUpdate,
    LiveActivityEnd,
    Widgets,
    CriticalAlert,
}

impl Template {
    /// In the order of the list.
    pub(super) const ALL: [Template; 10] = [
        Template::Alert,
        Template::BadgeOnly,
        Template::Silent,
        Template::VoipCall,
        Template::Rich,
        Template::LiveActivityStart,
        Template::LiveActivityUpdate,
        Template::LiveActivityEnd,
        Template::Widgets,
        Template::CriticalAlert,
    ];

    pub(super) fn label(self) -> String {
        match self {
            Template::Alert => msg::compose_alert(),
            Template::BadgeOnly => msg::compose_badge_only(),
            Template::Silent => msg::compose_silent_background(),
            Template::VoipCall => msg::compose_voip_call(),
            Template::Rich => msg::compose_rich_mutable_content(),
            Template::LiveActivityStart => msg::compose_live_activity_start(),
            Template::LiveActivityUpdate => msg::compose_live_activity_update(),
            Template::LiveActivityEnd => msg::compose_live_activity_end(),
            Template::Widgets => msg::compose_widgets(),
            Template::CriticalAlert => msg::compose_critical_alert(),
        }
    }

    /// The push type and the payload; Live Activity timestamps are now.
    pub(super) fn payload(self) -> (PushType, Value) {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match self {
            Template::Alert => (PushType::Alert, default_payload(PushType::Alert)),
            Template::BadgeOnly => (PushType::Alert, json!({"aps": {"badge": 1}})),
            Template::Silent => (PushType::Background, template(PushType::Background)),
            Template::VoipCall => (PushType::Voip, template(PushType::Voip)),
            Template::Rich => (
                PushType::Alert,
                json!({"aps": {"alert": {"title": msg::compose_template_rich_title(), "body": msg::compose_template_rich_body()}, "mutable-content": 1}, "image-url": "https://example.com/photo.jpg"}),
            ),
            Template::LiveActivityStart => (
                PushType::LiveActivity,
                json!({"aps": {"timestamp": now, "event": "start", "attributes-type": "DeliveryAttributes", "attributes": {"orderId": "42"}, "content-state": {"status": "preparing"}, "alert": {"title": msg::compose_template_order_title(), "body": msg::compose_template_order_body()}}}),
            ),
            Template::LiveActivityUpdate => {
                (PushType::LiveActivity, template(PushType::LiveActivity))
            }
            Template::LiveActivityEnd => (
                PushType::LiveActivity,
                json!({"aps": {"timestamp": now, "event": "end", "content-state": {"status": "delivered"}, "dismissal-date": now + 3600}}),
            ),
            Template::Widgets => (PushType::Widgets, template(PushType::Widgets)),
            Template::CriticalAlert => (
                PushType::Alert,
                json!({"aps": {"alert": {"title": msg::compose_template_smoke_title(), "body": msg::compose_template_smoke_body()}, "sound": {"critical": 1, "name": "default", "volume": 1.0}, "interruption-level": "critical"}}),
            ),
        }
    }
}

/// The payload a push type starts with: the library's template, an alert's title and body in
/// the language on screen.
pub(crate) fn default_payload(push_type: PushType) -> Value {
    let mut payload = template(push_type);
    if push_type == PushType::Alert {
        payload["aps"]["alert"] = json!({
            "title": msg::compose_template_alert_title(),
            "body": msg::compose_template_alert_body(),
        });
    }
    payload
}

/// Whether `text` is `push_type`'s starting payload as the app writes it, in any language:
/// nobody wrote it, so another push type's, or the same in another language, may replace it.
pub(super) fn is_default_payload(push_type: PushType, text: &str) -> bool {
    Language::ALL.iter().any(|&language| {
        let payload = i18n::in_language(language, || default_payload(push_type));
        serde_json::to_string_pretty(&payload).is_ok_and(|t| t == text)
    })
}

/// An untouched starting payload follows the language on screen; one the user changed stays
/// as written.
pub(super) fn follow_language(draft: &mut Draft) {
    if is_default_payload(draft.push_type, &draft.payload)
        && let Ok(text) = serde_json::to_string_pretty(&default_payload(draft.push_type))
    {
        draft.payload = text;
    }
}

pub(super) fn set_push_type(draft: &mut Draft, push_type: PushType, payload: Value) {
    draft.push_type = push_type;
    draft.priority = Some(push_type.default_priority());
    if let Ok(text) = serde_json::to_string_pretty(&payload) {
        draft.payload = text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::check_payload;

    #[test]
    fn every_template_passes_its_own_check() {
        for t in Template::ALL {
            let (push_type, payload) = t.payload();
            let text = serde_json::to_vec(&payload).unwrap();
            let check = check_payload(&text, push_type, Some(push_type.default_priority()));
            assert!(check.is_ok(), "{}: {:?}", t.label(), check.errors);
        }
    }
}
