//! Every reason APNs gives for refusing a push, with its status, what it means and what to do.

use serde::{Deserialize, Serialize};

macro_rules! reasons {
    ($( $variant:ident = $status:literal, $wire:literal, $meaning:literal, $fix:literal; )*) => {
        /// A reason string from APNs' error table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Reason { $( #[doc = $meaning] $variant, )* }

        impl Reason {
            /// Every reason, in the order of Apple's table.
            pub const ALL: &'static [Reason] = &[ $( Reason::$variant, )* ];

            /// The string in the JSON body, as Apple documents it.
            pub fn as_str(self) -> &'static str {
                match self { $( Reason::$variant => $wire, )* }
            }

            /// The HTTP status APNs pairs it with.
            pub fn status(self) -> u16 {
                match self { $( Reason::$variant => $status, )* }
            }

            /// What it means, in a sentence.
            pub fn meaning(self) -> &'static str {
                match self { $( Reason::$variant => $meaning, )* }
            }

            /// What to do about it.
            pub fn fix(self) -> &'static str {
                match self { $( Reason::$variant => $fix, )* }
            }
        }
    };
}

reasons! {
    BadCollapseId = 400, "BadCollapseId", "The collapse id is longer than 64 bytes.", "Shorten apns-collapse-id to at most 64 bytes.";
    BadDeviceToken = 400, "BadDeviceToken", "The device token is invalid, or belongs to the other environment.", "Check the token; a token from an app run from Xcode works only with the sandbox, TestFlight/App Store tokens only with production.";
    BadExpirationDate = 400, "BadExpirationDate", "The apns-expiration value is not valid.", "Send a UNIX time in seconds, or 0 to try once.";
    BadMessageId = 400, "BadMessageId", "The apns-id value is not a valid UUID.", "Use a lower-case 8-4-4-4-12 UUID, or leave apns-id out.";
    BadPriority = 400, "BadPriority", "The apns-priority value is not valid.", "Use 10 (now), 5 (power-friendly) or 1; background pushes must use 5.";
    BadTopic = 400, "BadTopic", "The apns-topic is not valid.", "Use the bundle id, plus the suffix the push type needs (e.g. .voip), covered by your certificate or key.";
    DeviceTokenNotForTopic = 400, "DeviceTokenNotForTopic", "The device token does not belong to this topic.", "Send to a token of the app whose bundle id is the topic.";
    DuplicateHeaders = 400, "DuplicateHeaders", "A header was sent more than once.", "Send each header once.";
    IdleTimeout = 400, "IdleTimeout", "The connection was idle too long.", "Open a new connection; send a PING on idle connections.";
    InvalidPushType = 400, "InvalidPushType", "The apns-push-type value is not valid.", "Use one of alert, background, complication, controls, fileprovider, liveactivity, location, mdm, pushtotalk, voip, widgets.";
    MissingDeviceToken = 400, "MissingDeviceToken", "The request path has no device token.", "Send to /3/device/<token>.";
    MissingTopic = 400, "MissingTopic", "The apns-topic header is required and missing.", "Add apns-topic (always required with multi-topic certificates and token auth).";
    PayloadEmpty = 400, "PayloadEmpty", "The request had no payload.", "Send a JSON payload, at least {\"aps\":{}}.";
    TopicDisallowed = 400, "TopicDisallowed", "Pushing to this topic is not allowed.", "Check the topic is one your app may push to.";
    MissingChannelId = 400, "MissingChannelId", "The apns-channel-id header is missing.", "Send the channel id APNs returned when the channel was created, in apns-channel-id.";
    BadChannelId = 400, "BadChannelId", "The apns-channel-id value is not a valid channel id.", "Send the channel id exactly as APNs returned it: base64 text, padding included.";
    ChannelNotRegistered = 400, "ChannelNotRegistered", "No channel with this id exists for this app in this environment.", "Channels belong to one app and one environment: list the channels, or create the channel in this environment.";
    CannotCreateChannelConfig = 400, "CannotCreateChannelConfig", "The app has reached its limit of channels.", "Delete channels no longer in use (list them first), then create it again.";
    FeatureNotEnabled = 400, "FeatureNotEnabled", "Broadcast push notifications are not enabled for this app.", "Enable the Broadcast capability for the app's identifier in the developer portal.";
    MissingPushType = 400, "MissingPushType", "The apns-push-type header is missing.", "Send apns-push-type: liveactivity with every broadcast.";
    BadRequestParams = 400, "BadRequestParams", "The channel request has a parameter that is missing, unknown or not valid.", "Create a channel with exactly two attributes: message-storage-policy (0 or 1) and push-type (LiveActivity).";
    BadRequestPayload = 400, "BadRequestPayload", "The channel request's body is not valid JSON.", "Send a JSON object, such as {\"message-storage-policy\":1,\"push-type\":\"LiveActivity\"}.";
    BadCertificate = 403, "BadCertificate", "The client certificate is invalid.", "Use the push certificate from the Apple developer portal with its private key.";
    BadCertificateEnvironment = 403, "BadCertificateEnvironment", "The client certificate is for the other environment.", "Use a production (or Sandbox & Production) certificate for production, a development one for the sandbox.";
    ExpiredProviderToken = 403, "ExpiredProviderToken", "The provider token (JWT) is older than one hour.", "Make a new token; if it is fresh, this computer's clock is wrong.";
    Forbidden = 403, "Forbidden", "The action is not allowed.", "Check the key or certificate has push enabled for this app.";
    InvalidProviderToken = 403, "InvalidProviderToken", "The provider token is invalid or its signature does not verify.", "Check key id, team id and the .p8 key belong together.";
    MissingProviderToken = 403, "MissingProviderToken", "No client certificate and no provider token were sent.", "Connect with a push certificate, or send authorization: bearer <JWT>.";
    UnrelatedKeyIdInToken = 403, "UnrelatedKeyIdInToken", "The token's key id is unrelated to the key used first on this connection.", "Use a separate connection per key.";
    TopicMismatch = 403, "TopicMismatch", "The certificate or key belongs to another app than the one in the request path.", "Use the certificate or key of the app whose channels these are, or name the certificate's own app.";
    BadEnvironmentKeyIdInToken = 403, "BadEnvironmentKeyIdInToken", "The token's key is for the other environment.", "Use a key configured for this environment, or a new connection.";
    BadPath = 404, "BadPath", "The request path is not valid.", "Send to /3/device/<token>.";
    MethodNotAllowed = 405, "MethodNotAllowed", "Only POST is supported.", "Use POST.";
    ExpiredToken = 410, "ExpiredToken", "The device token has expired.", "Stop sending to this token and remove it.";
    Unregistered = 410, "Unregistered", "The token is no longer active for the topic (app deleted or notifications turned off).", "Stop sending to this token and remove it from your database.";
    PayloadTooLarge = 413, "PayloadTooLarge", "The payload is too large.", "Keep the payload within 4096 bytes (5120 for VoIP).";
    TooManyProviderTokenUpdates = 429, "TooManyProviderTokenUpdates", "The provider token was replaced too often.", "Reuse one token for 20 to 60 minutes.";
    TooManyRequests = 429, "TooManyRequests", "Too many requests to the same device token in a row.", "Slow down and retry later.";
    InternalServerError = 500, "InternalServerError", "APNs had an internal error.", "Retry later with back-off.";
    ServiceUnavailable = 503, "ServiceUnavailable", "The service is unavailable.", "Retry later with back-off.";
    Shutdown = 503, "Shutdown", "The APNs server is shutting down.", "Retry on a new connection.";
}

impl Reason {
    /// Reads a reason string. Also takes `BadEnvironmentKeyInToken`, the spelling some
    /// production code quotes from the wire.
    pub fn parse(value: &str) -> Option<Self> {
        if value == "BadEnvironmentKeyInToken" {
            return Some(Reason::BadEnvironmentKeyIdInToken);
        }
        Reason::ALL.iter().copied().find(|r| r.as_str() == value)
    }

    /// Apple says never to retry these: the push will fail the same way every time.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Reason::BadDeviceToken
                | Reason::DeviceTokenNotForTopic
                | Reason::Forbidden
                | Reason::ExpiredToken
                | Reason::Unregistered
                | Reason::PayloadTooLarge
        )
    }

    /// Whether retrying the same request later may succeed (429, 5xx, shutdown).
    pub fn is_retryable(self) -> bool {
        matches!(self.status(), 429 | 500 | 503) && self != Reason::TooManyProviderTokenUpdates
    }

    /// Whether the token should be removed from the provider's database: only a 410
    /// (`Unregistered`, `ExpiredToken`) says the token is dead. `BadDeviceToken` is not one:
    /// it most often means the token belongs to the other environment, and deleting on it
    /// would wipe every valid token of a batch aimed at the wrong host.
    pub fn is_dead_token(self) -> bool {
        matches!(self, Reason::Unregistered | Reason::ExpiredToken)
    }

    /// A token that is malformed or from the other environment: check it, do not delete it.
    pub fn is_wrong_token_or_environment(self) -> bool {
        self == Reason::BadDeviceToken
    }
}

/// The longest reason text kept from a server; APNs' own are under 30 bytes, so anything
/// longer is a server sending garbage, which should not cost memory per push.
pub const MAX_REASON_BYTES: usize = 128;

/// A reason as a server sent it: one Apple documents, or any other text kept as it came (cut
/// to [`MAX_REASON_BYTES`] at a character). Reads as the text it holds, so output shows what
/// the server said, never a renamed version of it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ServerReason(Sent);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Sent {
    Known(Reason),
    Other(Box<str>),
}

impl ServerReason {
    /// Takes the text of a `reason` field. Only Apple's exact spellings become [`Reason`]s;
    /// anything else (an alias, a typo, a gateway's own words) stays as sent.
    pub fn from_wire(text: &str) -> Self {
        match Reason::ALL.iter().find(|r| r.as_str() == text) {
            Some(r) => ServerReason(Sent::Known(*r)),
            None => {
                let mut end = text.len().min(MAX_REASON_BYTES);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                ServerReason(Sent::Other(text[..end].into()))
            }
        }
    }

    /// The documented reason this is, aliases included (`BadEnvironmentKeyInToken`).
    pub fn known(&self) -> Option<Reason> {
        match &self.0 {
            Sent::Known(r) => Some(*r),
            Sent::Other(text) => Reason::parse(text),
        }
    }

    /// The text as the server sent it.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Sent::Known(r) => r.as_str(),
            Sent::Other(text) => text,
        }
    }
}

impl From<Reason> for ServerReason {
    fn from(r: Reason) -> Self {
        ServerReason(Sent::Known(r))
    }
}

impl std::ops::Deref for ServerReason {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for ServerReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for ServerReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialOrd for ServerReason {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ServerReason {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for ServerReason {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl Serialize for ServerReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServerReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(ServerReason::from_wire(&text))
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_round_trips_and_is_explained() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(*r));
            assert!(!r.meaning().is_empty() && !r.fix().is_empty());
        }
        assert_eq!(Reason::ALL.len(), 41);
        // Apple's channel reasons: 400 for all but TopicMismatch.
        assert_eq!(Reason::BadRequestParams.status(), 400);
        assert_eq!(Reason::BadRequestPayload.status(), 400);
        assert_eq!(Reason::TopicMismatch.status(), 403);
        assert_eq!(
            Reason::parse("BadEnvironmentKeyInToken"),
            Some(Reason::BadEnvironmentKeyIdInToken)
        );
        assert_eq!(Reason::Unregistered.status(), 410);
        assert!(Reason::ServiceUnavailable.is_retryable());
        assert!(!Reason::BadDeviceToken.is_retryable());
        assert!(!Reason::BadDeviceToken.is_dead_token());
        assert!(Reason::BadDeviceToken.is_wrong_token_or_environment());
        assert!(Reason::Unregistered.is_dead_token() && Reason::ExpiredToken.is_dead_token());
    }

    #[test]
    fn server_reasons_keep_what_was_sent() {
        let known = ServerReason::from_wire("Unregistered");
        assert_eq!(known.known(), Some(Reason::Unregistered));
        assert_eq!(&*known, "Unregistered");

        // An alias is understood but shown as the server spelled it.
        let alias = ServerReason::from_wire("BadEnvironmentKeyInToken");
        assert_eq!(alias.known(), Some(Reason::BadEnvironmentKeyIdInToken));
        assert_eq!(alias.as_str(), "BadEnvironmentKeyInToken");

        let other = ServerReason::from_wire("网关拒绝");
        assert_eq!((other.known(), other.as_str()), (None, "网关拒绝"));

        // A flood is cut at a character, never inside one.
        let long = ServerReason::from_wire(&"é".repeat(1000));
        assert!(long.len() <= MAX_REASON_BYTES && long.chars().all(|c| c == 'é'));

        let json = serde_json::to_string(&known).unwrap();
        assert_eq!(json, "\"Unregistered\"");
        let back: ServerReason = serde_json::from_str("\"TooManyRequests\"").unwrap();
        assert_eq!(back.known(), Some(Reason::TooManyRequests));
    }
}
