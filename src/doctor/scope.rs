//! Auth keys limited in scope (Apple, February 2025): a team-scoped key works in one
//! environment only (`BadEnvironmentKeyIdInToken` in the other), a topic-specific key for its
//! bundle ids only (`TopicDisallowed` for others). APNs's reason names neither the key nor
//! the scope; the doctor does, from the refusal and the credential it sent. Likewise a
//! certificate's: Live Activities and location pushes go only token-based (WWDC23 session
//! 10185, "token-based connection only"), so their `TopicDisallowed` over a certificate is
//! that, not the topic.

use super::{Case, Evidence, FixWords, Remedy, Words, remedy, says};
use crate::apns::Environment;
use crate::apns::Reason;
use crate::client::ClientAuth;

/// The cause, evidence and fix of a refusal that comes from the key's scope; `None` for any
/// other refusal.
pub(super) fn key_scope(
    reason: Reason,
    auth: &ClientAuth,
    case: &Case,
    environment: Option<Environment>,
) -> Option<(&'static str, Words, FixWords)> {
    let ClientAuth::Token(signer) = auth else {
        return certificate_scope(reason, case);
    };
    let key = signer.key().key_id.as_str();
    match reason {
        Reason::BadEnvironmentKeyIdInToken => Some((
            "auth_key_environment",
            says(
                Evidence::KeyOtherEnvironment {
                    key: key.to_owned(),
                    environment,
                },
                format!(
                    "the auth key {key} is limited to the other environment (a team-scoped key) and pushes go to {}: APNs answered BadEnvironmentKeyIdInToken",
                    environment.map_or("this server", Environment::label)
                ),
            ),
            remedy(Remedy::KeyForEnvironment),
        )),
        Reason::TopicDisallowed => {
            let topic = case.topic().unwrap_or_default();
            let bundle = case
                .push_type
                .bundle_of(&topic)
                .unwrap_or(&topic)
                .to_owned();
            Some((
                "auth_key_topic",
                says(
                    Evidence::KeyOtherTopics {
                        key: key.to_owned(),
                        topic: topic.clone(),
                    },
                    format!(
                        "the auth key {key} is topic-specific and {topic} is not one of its topics: APNs answered TopicDisallowed"
                    ),
                ),
                remedy(Remedy::KeyForTopic {
                    bundle: bundle.to_string(),
                }),
            ))
        }
        _ => None,
    }
}

/// A push type Apple takes only over a token-based connection, refused over a certificate.
fn certificate_scope(reason: Reason, case: &Case) -> Option<(&'static str, Words, FixWords)> {
    if !case.push_type.refused_for_certificate(Some(reason)) {
        return None;
    }
    let push_type = case.push_type.as_str();
    Some((
        "certificate_for_token_push",
        says(
            Evidence::NeedsToken { push_type },
            format!(
                "Apple accepts {push_type} pushes only over a token-based connection (an auth key, .p8), not with a certificate: APNs answered TopicDisallowed"
            ),
        ),
        remedy(Remedy::UseAuthKey),
    ))
}
