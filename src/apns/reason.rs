//! Every reason APNs gives for refusing a push, with its status, what it means and what to do.

use serde::{Deserialize, Serialize};

macro_rules! reasons {
    ($( $variant:ident = $status:literal, $wire:literal, $meaning:literal, $fix:literal; )*) => {
        /// A reason string from APNs' error table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Reason { $( $variant, )* }

        impl Reason {
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
    BadCertificate = 403, "BadCertificate", "The client certificate is invalid.", "Use the push certificate from the Apple developer portal with its private key.";
    BadCertificateEnvironment = 403, "BadCertificateEnvironment", "The client certificate is for the other environment.", "Use a production (or Sandbox & Production) certificate for production, a development one for the sandbox.";
    ExpiredProviderToken = 403, "ExpiredProviderToken", "The provider token (JWT) is older than one hour.", "Make a new token; if it is fresh, this computer's clock is wrong.";
    Forbidden = 403, "Forbidden", "The action is not allowed.", "Check the key or certificate has push enabled for this app.";
    InvalidProviderToken = 403, "InvalidProviderToken", "The provider token is invalid or its signature does not verify.", "Check key id, team id and the .p8 key belong together.";
    MissingProviderToken = 403, "MissingProviderToken", "No client certificate and no provider token were sent.", "Connect with a push certificate, or send authorization: bearer <JWT>.";
    UnrelatedKeyIdInToken = 403, "UnrelatedKeyIdInToken", "The token's key id is unrelated to the key used first on this connection.", "Use a separate connection per key.";
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
        assert_eq!(Reason::ALL.len(), 32);
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
}
