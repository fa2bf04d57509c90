//! Apple's reasons explained in the app's language. The reason itself stays as Apple spells
//! it (`Unregistered`); its meaning and fix, which the library keeps in English for the CLI,
//! are translated here. One arm per reason, so every id is written out for the message test.

use super::tr;
use crate::apns::Reason;

/// What the reason means, in a sentence.
pub fn reason_meaning(reason: Reason) -> String {
    match reason {
        Reason::BadCollapseId => tr("reason-bad-collapse-id-meaning"),
        Reason::BadDeviceToken => tr("reason-bad-device-token-meaning"),
        Reason::BadExpirationDate => tr("reason-bad-expiration-date-meaning"),
        Reason::BadMessageId => tr("reason-bad-message-id-meaning"),
        Reason::BadPriority => tr("reason-bad-priority-meaning"),
        Reason::BadTopic => tr("reason-bad-topic-meaning"),
        Reason::DeviceTokenNotForTopic => tr("reason-device-token-not-for-topic-meaning"),
        Reason::DuplicateHeaders => tr("reason-duplicate-headers-meaning"),
        Reason::IdleTimeout => tr("reason-idle-timeout-meaning"),
        Reason::InvalidPushType => tr("reason-invalid-push-type-meaning"),
        Reason::MissingDeviceToken => tr("reason-missing-device-token-meaning"),
        Reason::MissingTopic => tr("reason-missing-topic-meaning"),
        Reason::PayloadEmpty => tr("reason-payload-empty-meaning"),
        Reason::TopicDisallowed => tr("reason-topic-disallowed-meaning"),
        Reason::BadCertificate => tr("reason-bad-certificate-meaning"),
        Reason::BadCertificateEnvironment => tr("reason-bad-certificate-environment-meaning"),
        Reason::ExpiredProviderToken => tr("reason-expired-provider-token-meaning"),
        Reason::Forbidden => tr("reason-forbidden-meaning"),
        Reason::InvalidProviderToken => tr("reason-invalid-provider-token-meaning"),
        Reason::MissingProviderToken => tr("reason-missing-provider-token-meaning"),
        Reason::UnrelatedKeyIdInToken => tr("reason-unrelated-key-id-in-token-meaning"),
        Reason::BadEnvironmentKeyIdInToken => tr("reason-bad-environment-key-id-in-token-meaning"),
        Reason::BadPath => tr("reason-bad-path-meaning"),
        Reason::MethodNotAllowed => tr("reason-method-not-allowed-meaning"),
        Reason::ExpiredToken => tr("reason-expired-token-meaning"),
        Reason::Unregistered => tr("reason-unregistered-meaning"),
        Reason::PayloadTooLarge => tr("reason-payload-too-large-meaning"),
        Reason::TooManyProviderTokenUpdates => tr("reason-too-many-provider-token-updates-meaning"),
        Reason::TooManyRequests => tr("reason-too-many-requests-meaning"),
        Reason::InternalServerError => tr("reason-internal-server-error-meaning"),
        Reason::ServiceUnavailable => tr("reason-service-unavailable-meaning"),
        Reason::Shutdown => tr("reason-shutdown-meaning"),
    }
}

/// What to do about it.
pub fn reason_fix(reason: Reason) -> String {
    match reason {
        Reason::BadCollapseId => tr("reason-bad-collapse-id-fix"),
        Reason::BadDeviceToken => tr("reason-bad-device-token-fix"),
        Reason::BadExpirationDate => tr("reason-bad-expiration-date-fix"),
        Reason::BadMessageId => tr("reason-bad-message-id-fix"),
        Reason::BadPriority => tr("reason-bad-priority-fix"),
        Reason::BadTopic => tr("reason-bad-topic-fix"),
        Reason::DeviceTokenNotForTopic => tr("reason-device-token-not-for-topic-fix"),
        Reason::DuplicateHeaders => tr("reason-duplicate-headers-fix"),
        Reason::IdleTimeout => tr("reason-idle-timeout-fix"),
        Reason::InvalidPushType => tr("reason-invalid-push-type-fix"),
        Reason::MissingDeviceToken => tr("reason-missing-device-token-fix"),
        Reason::MissingTopic => tr("reason-missing-topic-fix"),
        Reason::PayloadEmpty => tr("reason-payload-empty-fix"),
        Reason::TopicDisallowed => tr("reason-topic-disallowed-fix"),
        Reason::BadCertificate => tr("reason-bad-certificate-fix"),
        Reason::BadCertificateEnvironment => tr("reason-bad-certificate-environment-fix"),
        Reason::ExpiredProviderToken => tr("reason-expired-provider-token-fix"),
        Reason::Forbidden => tr("reason-forbidden-fix"),
        Reason::InvalidProviderToken => tr("reason-invalid-provider-token-fix"),
        Reason::MissingProviderToken => tr("reason-missing-provider-token-fix"),
        Reason::UnrelatedKeyIdInToken => tr("reason-unrelated-key-id-in-token-fix"),
        Reason::BadEnvironmentKeyIdInToken => tr("reason-bad-environment-key-id-in-token-fix"),
        Reason::BadPath => tr("reason-bad-path-fix"),
        Reason::MethodNotAllowed => tr("reason-method-not-allowed-fix"),
        Reason::ExpiredToken => tr("reason-expired-token-fix"),
        Reason::Unregistered => tr("reason-unregistered-fix"),
        Reason::PayloadTooLarge => tr("reason-payload-too-large-fix"),
        Reason::TooManyProviderTokenUpdates => tr("reason-too-many-provider-token-updates-fix"),
        Reason::TooManyRequests => tr("reason-too-many-requests-fix"),
        Reason::InternalServerError => tr("reason-internal-server-error-fix"),
        Reason::ServiceUnavailable => tr("reason-service-unavailable-fix"),
        Reason::Shutdown => tr("reason-shutdown-fix"),
    }
}
