//! The library's sentences in the app's language. The library keeps its English words for the
//! CLI and gives each sentence a stable code and its values; the GUI words them here, at its
//! edge. A code with no message falls back to the library's English (the message test fails
//! on such a code, so a release has none).

use super::doctor_words::evidence;
use super::msg;
use crate::apns::{PayloadIssue, TokenError};
use crate::{cert, doctor};

/// Why a header cannot be sent (a bundle id, an expiration, a collapse id, an apns-id typed).
pub fn header_error(e: &crate::apns::HeaderError) -> String {
    use crate::apns::{BundleIdProblem, HeaderError, MAX_COLLAPSE_ID_BYTES};
    match e {
        HeaderError::Priority(p) => msg::header_error_priority(*p),
        HeaderError::Expiration(text) => msg::header_error_expiration(text.as_str()),
        HeaderError::CollapseIdTooLong { bytes } => {
            msg::header_error_collapse_id_too_long(*bytes, MAX_COLLAPSE_ID_BYTES)
        }
        HeaderError::ApnsId(text) => msg::header_error_apns_id(text.as_str()),
        HeaderError::BundleId { text, why } => msg::header_error_bundle_id(
            text.as_str(),
            match why {
                BundleIdProblem::Empty => "empty",
                BundleIdProblem::TooLong => "too-long",
                BundleIdProblem::Space => "space",
                BundleIdProblem::Character => "character",
                BundleIdProblem::EmptyPart => "empty-part",
            },
        ),
    }
}

/// Why a text is not a channel id.
pub fn channel_id_error(e: &crate::apns::ChannelIdError) -> String {
    use crate::apns::ChannelIdError;
    match e {
        ChannelIdError::Empty => msg::channel_id_error_empty(),
        ChannelIdError::TooLong => {
            msg::channel_id_error_too_long(crate::apns::channel::MAX_CHANNEL_ID_BYTES)
        }
        ChannelIdError::NotBase64(text) => msg::channel_id_error_not_base64(text.as_str()),
    }
}

/// What a certificate is for, as the credential's details say it ("development (sandbox
/// only)"); the library's `label` is the CLI's English.
pub fn cert_environment(environment: cert::CertEnvironment) -> String {
    msg::cert_environment_label(super::doctor_words::certificate_kind(environment))
}

/// Apple's environment, as a word ("sandbox").
pub fn apns_environment(environment: crate::apns::Environment) -> String {
    msg::apns_environment_label(environment.label())
}

/// A result's outcome, as a word ("not sent"); the library's `label` is the CLI's English.
pub fn outcome(outcome: crate::client::Outcome) -> String {
    use crate::client::Outcome;
    match outcome {
        Outcome::Delivered => msg::batch_delivered(),
        Outcome::Rejected => msg::batch_rejected(),
        Outcome::Unconfirmed => msg::batch_unconfirmed(),
        Outcome::NotSent => msg::batch_not_sent(),
        Outcome::InvalidInput => msg::batch_invalid_input(),
    }
}

/// Why a pasted token is not usable.
pub fn token_error(e: &TokenError) -> String {
    match e {
        TokenError::Empty => msg::token_error_empty(),
        TokenError::DescriptionForm => msg::token_error_description_form(),
        TokenError::NotHex { found, position } => {
            msg::token_error_not_hex(found.to_string(), *position)
        }
        TokenError::OddLength { digits } => msg::token_error_odd_length(*digits),
        TokenError::TooShort { bytes } => {
            msg::token_error_too_short(*bytes, crate::apns::MIN_TOKEN_BYTES)
        }
        TokenError::TooLong { bytes } => {
            msg::token_error_too_long(*bytes, crate::apns::MAX_TOKEN_BYTES)
        }
    }
}

/// A payload check's message, with its values.
pub fn payload_issue(issue: &PayloadIssue) -> String {
    match issue {
        PayloadIssue::Empty => msg::payload_empty(),
        PayloadIssue::TooLarge {
            size,
            limit,
            push_type,
            over,
        } => msg::payload_too_large(*limit, *over, *size, push_type.to_string()),
        PayloadIssue::InvalidJson { error, .. } => msg::payload_invalid_json(error.as_str()),
        PayloadIssue::NotAnObject => msg::payload_not_an_object(),
        PayloadIssue::ApsNotObject => msg::payload_aps_not_object(),
        PayloadIssue::NoAps => msg::payload_no_aps(),
        PayloadIssue::BackgroundPriority => msg::payload_background_priority(),
        PayloadIssue::BackgroundVisible { keys } => msg::payload_background_visible(keys.as_str()),
        PayloadIssue::BackgroundWithoutContentAvailable => {
            msg::payload_background_without_content_available()
        }
        PayloadIssue::ContentAvailableWithAlert => msg::payload_content_available_with_alert(),
        PayloadIssue::AlertShowsNothing => msg::payload_alert_shows_nothing(),
        PayloadIssue::CustomKeysInAps { keys } => msg::payload_custom_keys_in_aps(keys.as_str()),
        PayloadIssue::InterruptionLevel { level } => {
            msg::payload_interruption_level(level.as_str())
        }
        PayloadIssue::RelevanceScore => msg::payload_relevance_score(),
        PayloadIssue::Badge => msg::payload_badge(),
        PayloadIssue::LiveEventMissing => msg::payload_live_event_missing(),
        PayloadIssue::LiveEvent { value } => msg::payload_live_event(value.as_str()),
        PayloadIssue::LiveTimestampMissing => msg::payload_live_timestamp_missing(),
        PayloadIssue::LiveDismissalNotEnd => msg::payload_live_dismissal_not_end(),
        PayloadIssue::LiveContentStateMissing => msg::payload_live_content_state_missing(),
        PayloadIssue::LiveContentState => msg::payload_live_content_state(),
        PayloadIssue::LiveAttributesType => msg::payload_live_attributes_type(),
        PayloadIssue::LiveAttributes => msg::payload_live_attributes(),
        PayloadIssue::LiveStartAlert => msg::payload_live_start_alert(),
        PayloadIssue::LiveInputPushToken => msg::payload_live_input_push_token(),
        PayloadIssue::LiveInputPushTokenEvent => msg::payload_live_input_push_token_event(),
        PayloadIssue::LiveInputPushChannel => msg::payload_live_input_push_channel(),
        PayloadIssue::LiveRelevanceScore => msg::payload_live_relevance_score(),
        PayloadIssue::LiveAlert { key } => msg::payload_live_alert(*key),
        PayloadIssue::LivePriority => msg::payload_live_priority(),
        PayloadIssue::LiveSoundBesideAlert => msg::payload_live_sound_beside_alert(),
        // Digits as written: a date is no quantity to group.
        PayloadIssue::LiveMilliseconds { key, value } => {
            msg::payload_live_milliseconds(*key, (value / 1000).to_string(), value.to_string())
        }
        PayloadIssue::LiveDate { key, negative } => {
            msg::payload_live_date(*key, if *negative { "negative" } else { "not_whole" })
        }
        PayloadIssue::BroadcastTooLarge { size, limit, over } => {
            msg::payload_broadcast_too_large(*limit, *over, *size)
        }
        PayloadIssue::BroadcastStart => msg::payload_broadcast_start(),
    }
}

/// What Apple's channel pages say about a channel request.
pub fn channel_note(note: &crate::apns::ChannelNote) -> String {
    use crate::apns::ChannelNote;
    match note {
        ChannelNote::BundlePushTypeSuffix {
            bundle,
            suffix,
            plain,
        } => msg::channel_bundle_push_type_suffix(bundle.as_str(), plain.as_str(), *suffix),
        ChannelNote::BadPathManage {
            sandbox,
            production,
        } => msg::channel_bad_path_manage(production.as_str(), sandbox.as_str()),
        ChannelNote::BadPathBroadcast {
            sandbox,
            production,
        } => msg::channel_bad_path_broadcast(*production, *sandbox),
        ChannelNote::TopicDisallowed => msg::channel_topic_disallowed(),
    }
}

/// What a certificate or key file's inspection found.
pub fn cert_finding(finding: &cert::CertIssue) -> String {
    use cert::CertIssue;
    match finding {
        CertIssue::NoPrivateKey { in_p12 } => {
            msg::cert_no_private_key(if *in_p12 { "p12" } else { "other" })
        }
        CertIssue::KeyMismatch => msg::cert_key_mismatch(),
        CertIssue::KeyOnly => msg::cert_key_only(),
        CertIssue::LegacyP12 { detail } => msg::cert_legacy_p12(detail.as_str()),
        CertIssue::NoKeyId => msg::cert_no_key_id(),
        CertIssue::Expired { date, days_ago } => msg::cert_expired(date.as_str(), *days_ago),
        CertIssue::NotYetValid { date } => msg::cert_not_yet_valid(date.as_str()),
        CertIssue::ExpiresSoon { date, days } => msg::cert_expires_soon(date.as_str(), *days),
        CertIssue::NotApns => msg::cert_not_apns(),
        CertIssue::DevelopmentOnly => msg::cert_development_only(),
    }
}

/// The doctor's verdict, quoting a finding's evidence.
pub fn verdict_sentence(sentence: &doctor::VerdictSentence) -> String {
    use doctor::VerdictSentence;
    match sentence {
        VerdictSentence::Cause { evidence_value, .. } => {
            msg::doctor_verdict_cause(evidence(evidence_value))
        }
        VerdictSentence::Delivered { evidence_value, .. } => {
            msg::doctor_verdict_delivered(evidence(evidence_value))
        }
        VerdictSentence::NoneFoundNoCredential => msg::doctor_verdict_none_found_no_credential(),
        VerdictSentence::NoneFound => msg::doctor_verdict_none_found(),
        VerdictSentence::NoneFoundNotSent => msg::doctor_verdict_none_found_not_sent(),
    }
}

/// One of the doctor's own fixes.
pub fn remedy(remedy: &doctor::Remedy) -> String {
    use doctor::Remedy;
    match remedy {
        Remedy::ExportAgain => msg::doctor_remedy_export_again(),
        Remedy::ExportWithKey => msg::doctor_remedy_export_with_key(),
        Remedy::NewCertificate => msg::doctor_remedy_new_certificate(),
        Remedy::PushCertificate => msg::doctor_remedy_push_certificate(),
        Remedy::ProductionCertificate => msg::doctor_remedy_production_certificate(),
        Remedy::SandboxCertificate => msg::doctor_remedy_sandbox_certificate(),
        Remedy::CertificateForBundle => msg::doctor_remedy_certificate_for_bundle(),
        Remedy::DownloadP8 => msg::doctor_remedy_download_p8(),
        Remedy::KeyIdFromPortal => msg::doctor_remedy_key_id_from_portal(),
        Remedy::TeamIdFromPortal => msg::doctor_remedy_team_id_from_portal(),
        Remedy::GiveBundleId => msg::doctor_remedy_give_bundle_id(),
        Remedy::LogTokenAsHex => msg::doctor_remedy_log_token_as_hex(),
        Remedy::CopyWholeToken => msg::doctor_remedy_copy_whole_token(),
        Remedy::PasteHexToken => msg::doctor_remedy_paste_hex_token(),
        Remedy::UseAuthKey => msg::doctor_remedy_use_auth_key(),
        Remedy::SmallerPayload => msg::doctor_remedy_smaller_payload(),
        Remedy::BackgroundPriority => msg::doctor_remedy_background_priority(),
        Remedy::FixPayload => msg::doctor_remedy_fix_payload(),
        Remedy::UseProxy => msg::doctor_remedy_use_proxy(),
        Remedy::CheckP8 => msg::doctor_remedy_check_p8(),
        Remedy::RunAgain => msg::doctor_remedy_run_again(),
        Remedy::CopyTokenAgain => msg::doctor_remedy_copy_token_again(),
        Remedy::SetClock => msg::doctor_remedy_set_clock(),
        Remedy::KeyForEnvironment => msg::doctor_remedy_key_for_environment(),
        Remedy::SendToTokenEnvironment {
            tokens,
            environment,
        } => msg::doctor_remedy_send_to_token_environment(environment.as_str(), tokens.as_str()),
        Remedy::Step { fix } => msg::doctor_remedy_step(fix.as_str()),
        Remedy::KeyForTopic { bundle } => msg::doctor_remedy_key_for_topic(bundle.as_str()),
    }
}

/// Where pushes go, as History and the batch record it.
pub fn destination(target: &crate::client::Target) -> String {
    destination_label(&target.label)
}

/// A server's name for people, in the app's language.
pub fn destination_label(label: &crate::client::TargetLabel) -> String {
    use crate::client::TargetLabel;
    match label {
        TargetLabel::Apple {
            environment,
            host,
            port,
        } => msg::destination_apple(environment.label(), host.as_str(), port.to_string()),
        TargetLabel::AppleChannels {
            environment,
            host,
            port,
        } => msg::destination_apple_channels(environment.label(), host.as_str(), port.to_string()),
        TargetLabel::Simulator { environment, addr } => {
            msg::destination_simulator(addr.to_string(), environment.label())
        }
        TargetLabel::Custom { host, port } => {
            msg::destination_custom(host.as_str(), port.to_string())
        }
    }
}
