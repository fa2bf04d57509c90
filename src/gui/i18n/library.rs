//! The library's sentences in the app's language. The library keeps its English words for the
//! CLI and gives each sentence a stable code and its values; the GUI words them here, at its
//! edge. A code with no message falls back to the library's English (the message test fails
//! on such a code, so a release has none).

use fluent_bundle::{FluentArgs, FluentValue};

use super::{msg, reason_fix, reason_meaning};
use crate::apns::{PAYLOAD_ISSUE_CODES, PayloadIssue, Reason, TokenError};
use crate::words::{Arg, Quote, Said};
use crate::{cert, doctor};

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
    said(&issue.said()).unwrap_or_else(|| issue.message.clone())
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
pub fn cert_finding(finding: &cert::Finding) -> String {
    use cert::Finding;
    match finding {
        Finding::NoPrivateKey { in_p12 } => {
            msg::cert_no_private_key(if *in_p12 { "p12" } else { "other" })
        }
        Finding::KeyMismatch => msg::cert_key_mismatch(),
        Finding::KeyOnly => msg::cert_key_only(),
        Finding::LegacyP12 { detail } => msg::cert_legacy_p12(detail.as_str()),
        Finding::NoKeyId => msg::cert_no_key_id(),
        Finding::Expired { date, days_ago } => msg::cert_expired(date.as_str(), *days_ago),
        Finding::NotYetValid { date } => msg::cert_not_yet_valid(date.as_str()),
        Finding::ExpiresSoon { date, days } => msg::cert_expires_soon(date.as_str(), *days),
        Finding::NotApns => msg::cert_not_apns(),
        Finding::DevelopmentOnly => msg::cert_development_only(),
    }
}

/// A typed sentence quoted where a `Said` is expected.
fn quote(quote: &Quote) -> String {
    match quote {
        Quote::CertFinding(finding) => cert_finding(finding),
    }
}

/// Where pushes go, as History and the batch record it.
pub fn destination(target: &crate::client::Target) -> String {
    use crate::client::TargetLabel;
    match &target.label {
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

/// The id of a library sentence: its kind, then its code with hyphens (`payload-too-large`).
fn id_of(kind: &str, code: &str) -> String {
    format!("{kind}-{}", code.replace('_', "-"))
}

/// Every message id [`said`] may look up, from the library's lists of codes: each must exist
/// in every language (`tests/gui/i18n_messages.rs`).
pub fn library_ids() -> Vec<String> {
    let lists: [(&str, &[&str]); 5] = [
        ("check", crate::client::CHECK_CODES),
        ("payload", PAYLOAD_ISSUE_CODES),
        ("doctor-evidence", doctor::EVIDENCE_CODES),
        ("doctor-remedy", doctor::REMEDY_CODES),
        ("doctor-verdict", doctor::VERDICT_CODES),
    ];
    lists
        .iter()
        .flat_map(|(kind, codes)| codes.iter().map(|c| id_of(kind, c)))
        .collect()
}

/// A library sentence with its values, in the current language; `None` when no language has
/// it (the caller then shows the library's English). Apple's reasons are explained by
/// [`reason_meaning`] and [`reason_fix`].
pub fn said(s: &Said) -> Option<String> {
    match s.kind {
        "reason-meaning" => return Reason::parse(s.code).map(reason_meaning),
        "reason-fix" => return Reason::parse(s.code).map(reason_fix),
        "quote" => {
            if let [(_, Arg::Quote(q))] = s.args.as_slice() {
                return Some(quote(q));
            }
        }
        _ => {}
    }
    let mut fluent = FluentArgs::new();
    for (name, value) in &s.args {
        let value: FluentValue<'_> = match value {
            Arg::Number(n) => (*n).into(),
            Arg::Text(t) => t.clone().into(),
            Arg::Said(inner) => said(inner)?.into(),
            Arg::Quote(q) => quote(q).into(),
            Arg::List(list) => list
                .iter()
                .map(said)
                .collect::<Option<Vec<_>>>()?
                .join(&msg::words_separator())
                .into(),
        };
        fluent.set(*name, value);
    }
    super::lookup(&id_of(s.kind, s.code), Some(&fluent))
}
