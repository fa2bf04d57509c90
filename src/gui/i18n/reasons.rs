//! Apple's reasons explained in the app's language. The reason itself stays as Apple spells
//! it (`Unregistered`); its meaning and fix, which the library keeps in English for the CLI,
//! are translated here. One arm per reason, so every id is written out for the message test.

use super::msg;
use crate::apns::Reason;

/// What the reason means, in a sentence.
pub fn reason_meaning(reason: Reason) -> String {
    match reason {
        Reason::BadCollapseId => msg::reason_bad_collapse_id_meaning(),
        Reason::BadDeviceToken => msg::reason_bad_device_token_meaning(),
        Reason::BadExpirationDate => msg::reason_bad_expiration_date_meaning(),
        Reason::BadMessageId => msg::reason_bad_message_id_meaning(),
        Reason::BadPriority => msg::reason_bad_priority_meaning(),
        Reason::BadTopic => msg::reason_bad_topic_meaning(),
        Reason::DeviceTokenNotForTopic => msg::reason_device_token_not_for_topic_meaning(),
        Reason::DuplicateHeaders => msg::reason_duplicate_headers_meaning(),
        Reason::IdleTimeout => msg::reason_idle_timeout_meaning(),
        Reason::InvalidPushType => msg::reason_invalid_push_type_meaning(),
        Reason::MissingDeviceToken => msg::reason_missing_device_token_meaning(),
        Reason::MissingTopic => msg::reason_missing_topic_meaning(),
        Reason::PayloadEmpty => msg::reason_payload_empty_meaning(),
        Reason::TopicDisallowed => msg::reason_topic_disallowed_meaning(),
        Reason::MissingChannelId => msg::reason_missing_channel_id_meaning(),
        Reason::BadChannelId => msg::reason_bad_channel_id_meaning(),
        Reason::ChannelNotRegistered => msg::reason_channel_not_registered_meaning(),
        Reason::CannotCreateChannelConfig => msg::reason_cannot_create_channel_config_meaning(),
        Reason::FeatureNotEnabled => msg::reason_feature_not_enabled_meaning(),
        Reason::MissingPushType => msg::reason_missing_push_type_meaning(),
        Reason::BadRequestParams => msg::reason_bad_request_params_meaning(),
        Reason::BadRequestPayload => msg::reason_bad_request_payload_meaning(),
        Reason::TopicMismatch => msg::reason_topic_mismatch_meaning(),
        Reason::BadCertificate => msg::reason_bad_certificate_meaning(),
        Reason::BadCertificateEnvironment => msg::reason_bad_certificate_environment_meaning(),
        Reason::ExpiredProviderToken => msg::reason_expired_provider_token_meaning(),
        Reason::Forbidden => msg::reason_forbidden_meaning(),
        Reason::InvalidProviderToken => msg::reason_invalid_provider_token_meaning(),
        Reason::MissingProviderToken => msg::reason_missing_provider_token_meaning(),
        Reason::UnrelatedKeyIdInToken => msg::reason_unrelated_key_id_in_token_meaning(),
        Reason::BadEnvironmentKeyIdInToken => msg::reason_bad_environment_key_id_in_token_meaning(),
        Reason::BadPath => msg::reason_bad_path_meaning(),
        Reason::MethodNotAllowed => msg::reason_method_not_allowed_meaning(),
        Reason::ExpiredToken => msg::reason_expired_token_meaning(),
        Reason::Unregistered => msg::reason_unregistered_meaning(),
        Reason::PayloadTooLarge => msg::reason_payload_too_large_meaning(),
        Reason::TooManyProviderTokenUpdates => {
            msg::reason_too_many_provider_token_updates_meaning()
        }
        Reason::TooManyRequests => msg::reason_too_many_requests_meaning(),
        Reason::InternalServerError => msg::reason_internal_server_error_meaning(),
        Reason::ServiceUnavailable => msg::reason_service_unavailable_meaning(),
        Reason::Shutdown => msg::reason_shutdown_meaning(),
    }
}

/// What to do about it.
pub fn reason_fix(reason: Reason) -> String {
    match reason {
        Reason::BadCollapseId => msg::reason_bad_collapse_id_fix(),
        Reason::BadDeviceToken => msg::reason_bad_device_token_fix(),
        Reason::BadExpirationDate => msg::reason_bad_expiration_date_fix(),
        Reason::BadMessageId => msg::reason_bad_message_id_fix(),
        Reason::BadPriority => msg::reason_bad_priority_fix(),
        Reason::BadTopic => msg::reason_bad_topic_fix(),
        Reason::DeviceTokenNotForTopic => msg::reason_device_token_not_for_topic_fix(),
        Reason::DuplicateHeaders => msg::reason_duplicate_headers_fix(),
        Reason::IdleTimeout => msg::reason_idle_timeout_fix(),
        Reason::InvalidPushType => msg::reason_invalid_push_type_fix(),
        Reason::MissingDeviceToken => msg::reason_missing_device_token_fix(),
        Reason::MissingTopic => msg::reason_missing_topic_fix(),
        Reason::PayloadEmpty => msg::reason_payload_empty_fix(),
        Reason::TopicDisallowed => msg::reason_topic_disallowed_fix(),
        Reason::MissingChannelId => msg::reason_missing_channel_id_fix(),
        Reason::BadChannelId => msg::reason_bad_channel_id_fix(),
        Reason::ChannelNotRegistered => msg::reason_channel_not_registered_fix(),
        Reason::CannotCreateChannelConfig => msg::reason_cannot_create_channel_config_fix(),
        Reason::FeatureNotEnabled => msg::reason_feature_not_enabled_fix(),
        Reason::MissingPushType => msg::reason_missing_push_type_fix(),
        Reason::BadRequestParams => msg::reason_bad_request_params_fix(),
        Reason::BadRequestPayload => msg::reason_bad_request_payload_fix(),
        Reason::TopicMismatch => msg::reason_topic_mismatch_fix(),
        Reason::BadCertificate => msg::reason_bad_certificate_fix(),
        Reason::BadCertificateEnvironment => msg::reason_bad_certificate_environment_fix(),
        Reason::ExpiredProviderToken => msg::reason_expired_provider_token_fix(),
        Reason::Forbidden => msg::reason_forbidden_fix(),
        Reason::InvalidProviderToken => msg::reason_invalid_provider_token_fix(),
        Reason::MissingProviderToken => msg::reason_missing_provider_token_fix(),
        Reason::UnrelatedKeyIdInToken => msg::reason_unrelated_key_id_in_token_fix(),
        Reason::BadEnvironmentKeyIdInToken => msg::reason_bad_environment_key_id_in_token_fix(),
        Reason::BadPath => msg::reason_bad_path_fix(),
        Reason::MethodNotAllowed => msg::reason_method_not_allowed_fix(),
        Reason::ExpiredToken => msg::reason_expired_token_fix(),
        Reason::Unregistered => msg::reason_unregistered_fix(),
        Reason::PayloadTooLarge => msg::reason_payload_too_large_fix(),
        Reason::TooManyProviderTokenUpdates => msg::reason_too_many_provider_token_updates_fix(),
        Reason::TooManyRequests => msg::reason_too_many_requests_fix(),
        Reason::InternalServerError => msg::reason_internal_server_error_fix(),
        Reason::ServiceUnavailable => msg::reason_service_unavailable_fix(),
        Reason::Shutdown => msg::reason_shutdown_fix(),
    }
}
