//! The payloads people start from, each with the push type it needs.

use serde_json::{Value, json};

use crate::apns::{PushType, template};
use crate::gui::i18n::msg;
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
            Template::Alert => (PushType::Alert, template(PushType::Alert)),
            Template::BadgeOnly => (PushType::Alert, json!({"aps": {"badge": 1}})),
            Template::Silent => (PushType::Background, template(PushType::Background)),
            Template::VoipCall => (PushType::Voip, template(PushType::Voip)),
            Template::Rich => (
                PushType::Alert,
                json!({"aps": {"alert": {"title": "Photo from Alice", "body": "Tap to see it"}, "mutable-content": 1}, "image-url": "https://example.com/photo.jpg"}),
            ),
            Template::LiveActivityStart => (
                PushType::LiveActivity,
                json!({"aps": {"timestamp": now, "event": "start", "attributes-type": "DeliveryAttributes", "attributes": {"orderId": "42"}, "content-state": {"status": "preparing"}, "alert": {"title": "Order placed", "body": "We are preparing your order"}}}),
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
                json!({"aps": {"alert": {"title": "Smoke detected", "body": "Kitchen"}, "sound": {"critical": 1, "name": "default", "volume": 1.0}, "interruption-level": "critical"}}),
            ),
        }
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
