//! The doctor's evidence and fixes in the app's language: every variant of the library's
//! [`Evidence`] and [`FixSaid`] matched here, so a new one does not compile until it has its
//! words.

use super::check_words::{step_fix, step_sentence};
use super::library::{cert_finding, payload_issue, remedy, token_error};
use super::{msg, reason_fix, reason_meaning};
use crate::cert::CertEnvironment;
use crate::doctor::{Evidence, FixSaid};

/// What the doctor saw.
// One arm per variant: split in two, each half would need a catch-all arm, and a new variant
// would no longer fail to compile until it has its words.
#[allow(clippy::too_many_lines)]
pub fn evidence(evidence: &Evidence) -> String {
    use Evidence as E;
    match evidence {
        E::CredentialMissing => msg::doctor_evidence_credential_missing(),
        E::CredentialUnreadable { error } => {
            msg::doctor_evidence_credential_unreadable(error.as_str())
        }
        E::CertificateUnreadable { error } => {
            msg::doctor_evidence_certificate_unreadable(error.as_str())
        }
        E::CredentialReadable {
            name,
            environment,
            days,
        } => msg::doctor_evidence_credential_readable(
            *days,
            certificate_kind(*environment),
            name.as_str(),
        ),
        E::CertificateKey => msg::doctor_evidence_certificate_key(),
        E::CertificateKeyMismatch => msg::doctor_evidence_certificate_key_mismatch(),
        E::CertificateKeyMissing => msg::doctor_evidence_certificate_key_missing(),
        E::CertificateEnvironmentOk {
            certificate,
            environment,
        } => msg::doctor_evidence_certificate_environment_ok(
            certificate_kind(*certificate),
            environment.label(),
        ),
        E::CertificateEnvironment {
            certificate,
            environment,
        } => msg::doctor_evidence_certificate_environment(
            certificate_kind(*certificate),
            environment.label(),
        ),
        E::TopicInCertificate { topic, topics } => {
            msg::doctor_evidence_topic_in_certificate(topic.as_str(), topics.as_str())
        }
        E::TopicNotInCertificate { topic, topics } => {
            msg::doctor_evidence_topic_not_in_certificate(topic.as_str(), topics.as_str())
        }
        E::AuthKeyReadable { key } => msg::doctor_evidence_auth_key_readable(key.as_str()),
        E::AuthKeyCurve { curve } => msg::doctor_evidence_auth_key_curve(curve.as_str()),
        E::AuthKeyId { key } => msg::doctor_evidence_auth_key_id(key.as_str()),
        E::AuthKeyTeamIdOk { team } => msg::doctor_evidence_auth_key_team_id_ok(team.as_str()),
        E::AuthKeyTeamId { team } => msg::doctor_evidence_auth_key_team_id(team.as_str()),
        E::TopicMissing => msg::doctor_evidence_topic_missing(),
        E::AuthKeyScope => msg::doctor_evidence_auth_key_scope(),
        E::TokenMissing => msg::doctor_evidence_token_missing(),
        E::TokenOk { bytes } => msg::doctor_evidence_token_ok(*bytes),
        E::TokenTidied { bytes } => msg::doctor_evidence_token_tidied(*bytes),
        E::Token(e) => token_error(e),
        E::TokenEnvironmentOk {
            build,
            tokens,
            environment,
        } => msg::doctor_evidence_token_environment_ok(
            build.code(),
            environment.label(),
            tokens.label(),
        ),
        E::TokenEnvironment {
            build,
            tokens,
            environment,
        } => msg::doctor_evidence_token_environment(
            build.code(),
            environment.label(),
            tokens.label(),
        ),
        E::PayloadErrors(errors) => msg::doctor_evidence_payload_errors(
            errors
                .iter()
                .map(payload_issue)
                .collect::<Vec<_>>()
                .join(&msg::words_separator()),
        ),
        E::PayloadOk {
            size,
            limit,
            push_type,
        } => msg::doctor_evidence_payload_ok(*limit, *size, *push_type),
        E::Payload(issue) => payload_issue(issue),
        E::NeedsToken { push_type } => msg::doctor_evidence_needs_token(*push_type),
        E::TopicSuffix { topic, suffix } => {
            msg::doctor_evidence_topic_suffix(*suffix, topic.as_str())
        }
        E::BackgroundThrottled => msg::doctor_evidence_background_throttled(),
        E::ExpirationZero => msg::doctor_evidence_expiration_zero(),
        E::CollapseId { id } => msg::doctor_evidence_collapse_id(id.as_str()),
        E::PhoneSettings => msg::doctor_evidence_phone_settings(),
        E::NetworkSkipped => msg::doctor_evidence_network_skipped(),
        E::ServerRefused { reason } => {
            msg::doctor_evidence_server_refused(reason_meaning(*reason), reason.as_str())
        }
        E::Step(sentence) => step_sentence(sentence),
        E::ServerConfirms { first, then } => {
            msg::doctor_evidence_server_confirms(self::evidence(first), self::evidence(then))
        }
        E::ProxyInUse { proxy, host } => {
            msg::doctor_evidence_proxy_in_use(host.as_str(), proxy.as_str())
        }
        E::ProxyVariables { variables, host } => {
            msg::doctor_evidence_proxy_variables(host.as_str(), variables.as_str())
        }
        // A port is a name, not a quantity: as written.
        E::AlternatePort { host, port } => {
            msg::doctor_evidence_alternate_port(host.as_str(), port.to_string())
        }
        E::AlternatePortBlocked { host, port, error } => {
            msg::doctor_evidence_alternate_port_blocked(
                error.as_str(),
                host.as_str(),
                port.to_string(),
            )
        }
        E::ProviderToken { age, minutes } => msg::doctor_evidence_provider_token(*age, *minutes),
        E::ProviderTokenUnsigned { error } => {
            msg::doctor_evidence_provider_token_unsigned(error.as_str())
        }
        E::NoAnswer { error } => msg::doctor_evidence_no_answer(error.as_str()),
        E::Delivered { server, id } => {
            msg::doctor_evidence_delivered(id.as_str(), super::library::destination_label(server))
        }
        E::ApnsAnswered { answer, reason } => {
            msg::doctor_evidence_apns_answered(answer.as_str(), reason_meaning(*reason))
        }
        E::ServerAnswered { answer } => msg::doctor_evidence_server_answered(answer.as_str()),
        E::OtherEnvironmentNotAsked { first } => {
            msg::doctor_evidence_other_environment_not_asked(self::evidence(first))
        }
        E::TokenOfOtherEnvironment { there, here } => {
            msg::doctor_evidence_token_of_other_environment(here.label(), there.label())
        }
        E::TokenInNeither => msg::doctor_evidence_token_in_neither(),
        E::OtherEnvironmentAnswered {
            first,
            there,
            answer,
        } => msg::doctor_evidence_other_environment_answered(
            answer.as_str(),
            self::evidence(first),
            there.label(),
        ),
        E::OtherEnvironmentUnreachable {
            first,
            there,
            error,
        } => msg::doctor_evidence_other_environment_unreachable(
            error.as_str(),
            self::evidence(first),
            there.label(),
        ),
        E::ClockOk => msg::doctor_evidence_clock_ok(),
        E::ClockRefusesTokens { minutes, ahead } => {
            msg::doctor_evidence_clock_refuses_tokens(direction(*ahead), *minutes)
        }
        E::Clock { minutes, ahead } => msg::doctor_evidence_clock(direction(*ahead), *minutes),
        E::KeyOtherEnvironment { key, environment } => msg::doctor_evidence_key_other_environment(
            environment.map_or("other", |e| e.label()),
            key.as_str(),
        ),
        E::KeyOtherTopics { key, topic } => {
            msg::doctor_evidence_key_other_topics(key.as_str(), topic.as_str())
        }
        E::Certificate(finding) => cert_finding(finding),
    }
}

/// A doctor's fix: its own remedy, or another part's it quotes.
pub fn doctor_fix(fix: &FixSaid) -> String {
    match fix {
        FixSaid::Remedy(r) => remedy(r),
        FixSaid::Step(fix) => step_fix(fix),
        FixSaid::Reason(reason) => reason_fix(*reason),
    }
}

/// The selector the messages use for which environments a certificate is for.
pub(super) fn certificate_kind(environment: CertEnvironment) -> &'static str {
    match environment {
        CertEnvironment::Development => "development",
        CertEnvironment::Production => "production",
        CertEnvironment::Universal => "universal",
        CertEnvironment::None => "none",
    }
}

/// The selector for a clock ahead of the server's or behind it.
fn direction(ahead: bool) -> &'static str {
    if ahead { "ahead" } else { "behind" }
}
