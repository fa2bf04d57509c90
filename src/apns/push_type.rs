//! The `apns-push-type` values and the topic each one needs.

use serde::{Deserialize, Serialize};

/// Every push type APNs knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PushType {
    /// `alert`: shows an alert, plays a sound or sets the badge; topic is the bundle id.
    #[default]
    Alert,
    /// `background`: wakes the app (`content-available`) and shows nothing; priority 5.
    Background,
    /// `complication`: updates a watchOS complication; topic suffix `.complication`.
    Complication,
    /// `controls`: reloads the app's controls; topic suffix `.push-type.controls`.
    Controls,
    /// `fileprovider`: tells a File Provider extension to sync; topic suffix
    /// `.pushkit.fileprovider`.
    FileProvider,
    /// `liveactivity`: starts, updates or ends a Live Activity; topic suffix
    /// `.push-type.liveactivity`.
    LiveActivity,
    /// `location`: asks a location push service extension for the location; topic suffix
    /// `.location-query`; token auth only.
    Location,
    /// `mdm`: tells a managed device to check in with its MDM server; topic is the MDM
    /// certificate's UID.
    Mdm,
    /// `pushtotalk`: a Push to Talk update; topic suffix `.voip-ptt`.
    PushToTalk,
    /// `voip`: an incoming VoIP call for PushKit; topic suffix `.voip`; payloads up to 5120 bytes.
    Voip,
    /// `widgets`: reloads the app's widgets; topic suffix `.push-type.widgets`.
    Widgets,
}

impl PushType {
    /// Every push type, in alphabetical order of its header value.
    pub const ALL: [PushType; 11] = [
        PushType::Alert,
        PushType::Background,
        PushType::Complication,
        PushType::Controls,
        PushType::FileProvider,
        PushType::LiveActivity,
        PushType::Location,
        PushType::Mdm,
        PushType::PushToTalk,
        PushType::Voip,
        PushType::Widgets,
    ];

    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            PushType::Alert => "alert",
            PushType::Background => "background",
            PushType::Complication => "complication",
            PushType::Controls => "controls",
            PushType::FileProvider => "fileprovider",
            PushType::LiveActivity => "liveactivity",
            PushType::Location => "location",
            PushType::Mdm => "mdm",
            PushType::PushToTalk => "pushtotalk",
            PushType::Voip => "voip",
            PushType::Widgets => "widgets",
        }
    }

    /// Parses a header value (exact, lower case, as APNs does).
    pub fn parse(value: &str) -> Option<Self> {
        PushType::ALL.into_iter().find(|t| t.as_str() == value)
    }

    /// What the bundle id must be followed by in `apns-topic`. `None` for MDM, whose topic is
    /// the UID of the MDM push certificate.
    pub fn topic_suffix(self) -> Option<&'static str> {
        Some(match self {
            PushType::Alert | PushType::Background => "",
            PushType::Complication => ".complication",
            PushType::Controls => ".push-type.controls",
            PushType::FileProvider => ".pushkit.fileprovider",
            PushType::LiveActivity => ".push-type.liveactivity",
            PushType::Location => ".location-query",
            PushType::PushToTalk => ".voip-ptt",
            PushType::Voip => ".voip",
            PushType::Widgets => ".push-type.widgets",
            PushType::Mdm => return None,
        })
    }

    /// The topic for a bundle id: `com.example.app` → `com.example.app.voip` for VoIP.
    pub fn topic_for(self, bundle_id: &str) -> String {
        let base = PushType::ALL
            .iter()
            .filter_map(|t| t.topic_suffix())
            .filter(|s| !s.is_empty())
            .find_map(|s| bundle_id.strip_suffix(s))
            .unwrap_or(bundle_id);
        format!("{base}{}", self.topic_suffix().unwrap_or(""))
    }

    /// The bundle id a topic belongs to, if the topic is right for this push type.
    pub fn bundle_of(self, topic: &str) -> Option<&str> {
        match self.topic_suffix() {
            None => Some(topic),
            Some("") => Some(topic),
            Some(suffix) => topic.strip_suffix(suffix).filter(|b| !b.is_empty()),
        }
    }

    /// The push type a topic is for, read from its suffix (`com.x.voip` → VoIP); a topic
    /// without a known suffix is an alert's (or a background push's: the same topic).
    pub fn of_topic(topic: &str) -> PushType {
        PushType::ALL
            .into_iter()
            .filter(|t| {
                t.topic_suffix()
                    .is_some_and(|s| !s.is_empty() && t.bundle_of(topic).is_some())
            })
            .max_by_key(|t| t.topic_suffix().map_or(0, str::len))
            .unwrap_or(PushType::Alert)
    }

    /// The largest payload APNs accepts for this type.
    pub fn max_payload(self) -> usize {
        match self {
            PushType::Voip => 5120,
            _ => 4096,
        }
    }

    /// The priority to use when the user picks none.
    pub fn default_priority(self) -> u8 {
        match self {
            PushType::Background | PushType::Widgets | PushType::FileProvider => 5,
            _ => 10,
        }
    }

    /// Whether a certificate-based connection can send it. Location pushes need token
    /// authentication (Apple's push type table); so do Live Activities ("Certificate-based
    /// authentication is not supported for these APNs pushes", Apple's ActivityKit engineer
    /// on the developer forums, thread 712499).
    pub fn works_with_certificate(self) -> bool {
        !matches!(self, PushType::Location | PushType::LiveActivity)
    }

    /// Whether `reason`, the answer to a push of this type sent over a certificate, is the
    /// refusal of a push type that goes only token-based (`TopicDisallowed`, as the simulator
    /// answers; Apple does not document its reason) rather than anything about the topic.
    pub fn refused_for_certificate(self, reason: Option<super::Reason>) -> bool {
        !self.works_with_certificate() && reason == Some(super::Reason::TopicDisallowed)
    }
}

impl std::fmt::Display for PushType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for PushType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PushType::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
            format!(
                "unknown push type '{s}' — one of: {}",
                PushType::ALL.map(PushType::as_str).join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_follow_the_type() {
        assert_eq!(PushType::Voip.topic_for("com.x"), "com.x.voip");
        assert_eq!(PushType::Alert.topic_for("com.x.voip"), "com.x");
        assert_eq!(
            PushType::LiveActivity.topic_for("com.x"),
            "com.x.push-type.liveactivity"
        );
        assert_eq!(PushType::Voip.bundle_of("com.x.voip"), Some("com.x"));
        assert_eq!(PushType::Voip.bundle_of("com.x"), None);
        assert_eq!(PushType::Voip.bundle_of(".voip"), None);
        for t in PushType::ALL {
            assert_eq!(PushType::parse(t.as_str()), Some(t));
        }
    }

    #[test]
    fn a_topic_names_its_push_type() {
        for t in PushType::ALL {
            let expected = match t {
                // Their topic is the bundle id (or the MDM certificate's UID).
                PushType::Background | PushType::Mdm => PushType::Alert,
                other => other,
            };
            assert_eq!(PushType::of_topic(&t.topic_for("com.x")), expected, "{t}");
        }
        assert_eq!(PushType::of_topic("com.x.voip-ptt"), PushType::PushToTalk);
        assert_eq!(PushType::of_topic(".voip"), PushType::Alert);
    }
}
