//! The doctor's checks that need no network: the credential, the device token, the payload
//! and headers, and what a phone does with a push APNs accepted.

use time::OffsetDateTime;

use super::{Area, Case, Check, Evidence, Finding, Remedy, Status, remedy, says};
use crate::apns::Environment;
use crate::apns::{DeviceToken, PayloadIssue, PushType, TokenError, check_payload};
use crate::cert;
use crate::client::ClientAuth;

pub(super) fn credential(
    case: &Case,
    target_env: Option<Environment>,
    now: OffsetDateTime,
    out: &mut Vec<Finding>,
) {
    let title = Check::CredentialReadable;
    let auth = match &case.credential {
        None => {
            out.push(Finding::new(
                Area::Credential,
                "credential_missing",
                Status::Skipped,
                title,
                says(
                    Evidence::CredentialMissing,
                    "no certificate or auth key given",
                ),
            ));
            return;
        }
        Some(Err(e)) => {
            out.push(
                Finding::new(
                    Area::Credential,
                    "credential_unreadable",
                    Status::Failed,
                    title,
                    says(
                        Evidence::CredentialUnreadable { error: e.clone() },
                        format!("the credential could not be read: {e}"),
                    ),
                )
                .fix(remedy(Remedy::ExportAgain)),
            );
            return;
        }
        Some(Ok(auth)) => auth,
    };
    match auth {
        ClientAuth::Certificate(cred) => certificate(case, cred, target_env, now, out),
        ClientAuth::Token(signer) => auth_key(case, signer.key(), out),
    }
}

fn certificate(
    case: &Case,
    cred: &cert::Credential,
    target_env: Option<Environment>,
    now: OffsetDateTime,
    out: &mut Vec<Finding>,
) {
    let report = match cert::CertificateReport::of(&cred.certificate, now) {
        Ok(r) => r,
        Err(e) => {
            out.push(Finding::new(
                Area::Credential,
                "credential_unreadable",
                Status::Failed,
                Check::CredentialReadable,
                says(
                    Evidence::CertificateUnreadable {
                        error: e.to_string(),
                    },
                    format!("the certificate could not be read: {e}"),
                ),
            ));
            return;
        }
    };
    let name = report
        .subject
        .common_name
        .as_deref()
        .unwrap_or(&report.subject.text);
    out.push(Finding::new(
        Area::Credential,
        "credential_readable",
        Status::Passed,
        Check::CredentialReadable,
        says(
            Evidence::CredentialReadable {
                name: name.to_owned(),
                environment: report.environment,
                days: report.days_left,
            },
            format!(
                "{name} ({}), {} days left",
                report.environment.label(),
                report.days_left
            ),
        ),
    ));
    out.push(key_finding(cred));
    if !case.push_type.works_with_certificate() {
        // A warning here, before anything is sent; the test push's refusal, if it is that,
        // names it as the cause (`scope::certificate_scope`).
        out.push(
            Finding::new(
                Area::Credential,
                "certificate_for_token_push",
                Status::Warning,
                Check::CredentialForPushType,
                says(
                    Evidence::NeedsToken {
                        push_type: case.push_type.as_str(),
                    },
                    format!(
                        "Apple accepts {} pushes only over a token-based connection (an auth key, .p8), not with a certificate",
                        case.push_type.as_str()
                    ),
                ),
            )
            .fix(remedy(Remedy::UseAuthKey)),
        );
    }
    dates_and_purpose(&report, now, out);
    if let Some(env) = target_env {
        out.push(environment_finding(&report, env));
    }
    if let Some(topic) = case.topic() {
        out.push(topic_finding(case, &report, topic));
    }
}

/// Whether the private key is the certificate's.
fn key_finding(cred: &cert::Credential) -> Finding {
    let key_ok = cred
        .private_key
        .as_ref()
        .is_some_and(|k| cert::key_matches(&cred.certificate, k));
    if key_ok {
        Finding::new(
            Area::Credential,
            "certificate_key",
            Status::Passed,
            Check::PrivateKeyMatches,
            says(
                Evidence::CertificateKey,
                "the private key is the certificate's",
            ),
        )
    } else {
        Finding::new(
            Area::Credential,
            "certificate_key_mismatch",
            Status::Failed,
            Check::PrivateKeyMatches,
            if cred.private_key.is_some() {
                says(
                    Evidence::CertificateKeyMismatch,
                    "the private key does not belong to this certificate",
                )
            } else {
                says(
                    Evidence::CertificateKeyMissing,
                    "there is no private key with the certificate",
                )
            },
        )
        .fix(remedy(Remedy::ExportWithKey))
    }
}

/// The certificate's dates and whether it is an APNs certificate at all, as its own findings
/// say.
fn dates_and_purpose(
    report: &cert::CertificateReport,
    now: OffsetDateTime,
    out: &mut Vec<Finding>,
) {
    for f in report.findings(now) {
        let (cause, status, title) = match f {
            cert::CertIssue::Expired { .. } => (
                "certificate_expired",
                Status::Failed,
                Check::CertificateValidToday,
            ),
            cert::CertIssue::NotYetValid { .. } => (
                "certificate_not_yet_valid",
                Status::Failed,
                Check::CertificateValidToday,
            ),
            cert::CertIssue::ExpiresSoon { .. } => (
                "certificate_expires_soon",
                Status::Warning,
                Check::CertificateValidToday,
            ),
            cert::CertIssue::NotApns => (
                "certificate_not_apns",
                Status::Failed,
                Check::ApnsCertificate,
            ),
            _ => continue,
        };
        let fix = match cause {
            "certificate_expired" | "certificate_expires_soon" => {
                Some(remedy(Remedy::NewCertificate))
            }
            "certificate_not_apns" => Some(remedy(Remedy::PushCertificate)),
            _ => None,
        };
        let english = f.to_string();
        let evidence = says(Evidence::Certificate(f), english);
        let mut finding = Finding::new(Area::Credential, cause, status, title, evidence);
        finding.set_fix(fix);
        out.push(finding);
    }
}

/// Whether the certificate works with the environment pushes go to.
fn environment_finding(report: &cert::CertificateReport, env: Environment) -> Finding {
    if report.environment.supports(env) {
        Finding::new(
            Area::Credential,
            "certificate_environment_ok",
            Status::Passed,
            Check::CertificateEnvironment,
            says(
                Evidence::CertificateEnvironmentOk {
                    certificate: report.environment,
                    environment: env,
                },
                format!(
                    "a {} certificate works with {env}",
                    report.environment.label()
                ),
            ),
        )
    } else {
        Finding::new(
                Area::Credential,
                "certificate_environment",
                Status::Failed,
                Check::CertificateEnvironment,
                says(Evidence::CertificateEnvironment { certificate: report.environment, environment: env }, format!(
                        "this is a {} certificate and pushes go to {env}: APNs answers BadCertificateEnvironment",
                        report.environment.label()
                    )),
            )
            .fix(match env {
                Environment::Production => remedy(Remedy::ProductionCertificate),
                Environment::Sandbox => remedy(Remedy::SandboxCertificate),
            })
    }
}

/// Whether the push's topic is among the certificate's.
fn topic_finding(case: &Case, report: &cert::CertificateReport, topic: String) -> Finding {
    let base = case
        .push_type
        .bundle_of(&topic)
        .unwrap_or(&topic)
        .to_owned();
    let covered = report.topics.iter().any(|t| *t == topic || *t == base)
        || report.bundle_id.as_deref() == Some(base.as_str());
    if covered {
        Finding::new(
            Area::Credential,
            "topic_in_certificate",
            Status::Passed,
            Check::TopicInCertificate,
            says(
                Evidence::TopicInCertificate {
                    topic: topic.clone(),
                    topics: report.topics.join(", "),
                },
                format!("{topic} is covered ({})", report.topics.join(", ")),
            ),
        )
    } else {
        Finding::new(
                Area::Credential,
                "topic_not_in_certificate",
                Status::Failed,
                Check::TopicInCertificate,
                says(Evidence::TopicNotInCertificate { topic: topic.clone(), topics: report.topics.join(", ") }, format!(
                        "the topic {topic} is not among the certificate's topics ({}): APNs answers BadTopic or DeviceTokenNotForTopic",
                        report.topics.join(", ")
                    )),
            )
            .fix(remedy(Remedy::CertificateForBundle))
    }
}

fn auth_key(case: &Case, key: &cert::AuthKey, out: &mut Vec<Finding>) {
    let report = cert::AuthKeyReport::of(&key.key, Some(key.key_id.clone()));
    out.push(if report.usable_for_es256 {
        Finding::new(
            Area::Credential,
            "auth_key_readable",
            Status::Passed,
            Check::AuthKeyUsable,
            says(
                Evidence::AuthKeyReadable {
                    key: key.key_id.clone(),
                },
                format!("EC P-256 key {}, signs ES256 provider tokens", key.key_id),
            ),
        )
    } else {
        Finding::new(
            Area::Credential,
            "auth_key_curve",
            Status::Failed,
            Check::AuthKeyUsable,
            says(
                Evidence::AuthKeyCurve {
                    curve: report.curve.clone(),
                },
                format!(
                    "the key is {}, and APNs accepts only ES256 (EC P-256) tokens",
                    report.curve
                ),
            ),
        )
        .fix(remedy(Remedy::DownloadP8))
    });
    let id_ok = |s: &str| s.len() == 10 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if !id_ok(&key.key_id) {
        out.push(
            Finding::new(
                Area::Credential,
                "auth_key_id",
                Status::Failed,
                Check::KeyIdWellFormed,
                says(
                    Evidence::AuthKeyId {
                        key: key.key_id.clone(),
                    },
                    format!("the key id '{}' is not 10 letters and digits", key.key_id),
                ),
            )
            .fix(remedy(Remedy::KeyIdFromPortal)),
        );
    }
    out.push(if id_ok(&key.team_id) {
        Finding::new(
            Area::Credential,
            "auth_key_team_id_ok",
            Status::Passed,
            Check::TeamIdWellFormed,
            says(Evidence::AuthKeyTeamIdOk { team: key.team_id.clone() }, format!("team {}", key.team_id)),
        )
    } else {
        Finding::new(
            Area::Credential,
            "auth_key_team_id",
            Status::Failed,
            Check::TeamIdWellFormed,
            says(Evidence::AuthKeyTeamId { team: key.team_id.clone() }, format!(
                    "the team id '{}' is not 10 letters and digits: APNs answers InvalidProviderToken",
                    key.team_id
                )),
        )
        .fix(remedy(Remedy::TeamIdFromPortal))
    });
    if case.bundle_id.is_none() {
        out.push(
            Finding::new(
                Area::Credential,
                "topic_missing",
                Status::Failed,
                Check::TopicGiven,
                says(Evidence::TopicMissing, "an auth key covers every app of the team, so APNs needs the topic: none was given (MissingTopic)"),
            )
            .fix(remedy(Remedy::GiveBundleId)),
        );
    }
    out.push(Finding::new(
        Area::Credential,
        "auth_key_scope",
        Status::Info,
        Check::KeyScope,
        says(Evidence::AuthKeyScope, "since February 2025 a key can be limited to one environment (team-scoped) or to some bundle ids (topic-specific): APNs then answers BadEnvironmentKeyIdInToken or TopicDisallowed; the server's answer below shows which"),
    ));
}

pub(super) fn token(case: &Case, target_env: Option<Environment>, out: &mut Vec<Finding>) {
    let title = Check::TokenWellFormed;
    let Some(text) = &case.token else {
        out.push(Finding::new(
            Area::Token,
            "token_missing",
            Status::Skipped,
            title,
            says(
                Evidence::TokenMissing,
                "no device token given: no test push is sent",
            ),
        ));
        return;
    };
    match DeviceToken::parse(text) {
        Ok(token) => {
            let tidy = token.to_hex();
            let bytes = token.as_bytes().len();
            let evidence = if tidy == text.trim() {
                says(Evidence::TokenOk { bytes }, format!("{bytes}-byte token"))
            } else {
                says(
                    Evidence::TokenTidied { bytes },
                    format!(
                        "{bytes}-byte token, tidied from what was pasted (brackets, spaces, case)"
                    ),
                )
            };
            out.push(Finding::new(
                Area::Token,
                "token_ok",
                Status::Passed,
                title,
                evidence,
            ));
        }
        Err(e) => {
            let fix = match e {
                TokenError::DescriptionForm => remedy(Remedy::LogTokenAsHex),
                TokenError::TooShort { .. }
                | TokenError::TooLong { .. }
                | TokenError::OddLength { .. } => remedy(Remedy::CopyWholeToken),
                TokenError::NotHex { .. } | TokenError::Empty => remedy(Remedy::PasteHexToken),
            };
            out.push(
                Finding::new(
                    Area::Token,
                    "token_malformed",
                    Status::Failed,
                    title,
                    says(Evidence::Token(e.clone()), e.to_string()),
                )
                .fix(fix),
            );
        }
    }
    if let (Some(build), Some(env)) = (case.build, target_env) {
        let token_env = build.environment();
        out.push(if token_env == env {
            Finding::new(
                Area::Token,
                "token_environment_ok",
                Status::Passed,
                Check::TokenEnvironment,
                says(Evidence::TokenEnvironmentOk { build, tokens: token_env, environment: env }, format!("an app {} has {token_env} tokens, and pushes go to {env}", build.label())),
            )
        } else {
            Finding::new(
                Area::Token,
                "token_environment",
                Status::Failed,
                Check::TokenEnvironment,
                says(Evidence::TokenEnvironment { build, tokens: token_env, environment: env }, format!(
                        "an app {} has {token_env} tokens, but pushes go to {env}: APNs answers BadDeviceToken",
                        build.label()
                    )),
            )
            .fix(
                remedy(Remedy::SendToTokenEnvironment { tokens: token_env.to_string(), environment: env.to_string() }),
            )
        });
    }
}

pub(super) fn payload(case: &Case, out: &mut Vec<Finding>) {
    let bytes = case.payload_bytes();
    let check = check_payload(&bytes, case.push_type, case.priority);
    let title = Check::PayloadAccepted;
    if let Some(first) = check.errors.first() {
        // A header that does not fit the push type is the headers' fault, not the JSON's.
        let cause = if matches!(first, PayloadIssue::BackgroundPriority) {
            "headers"
        } else {
            "payload"
        };
        out.push(
            Finding::new(
                Area::Payload,
                cause,
                Status::Failed,
                title,
                says(
                    Evidence::PayloadErrors(check.errors.clone()),
                    check
                        .errors
                        .iter()
                        .map(PayloadIssue::message)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            )
            .fix(match first {
                PayloadIssue::TooLarge { .. } => remedy(Remedy::SmallerPayload),
                PayloadIssue::BackgroundPriority => remedy(Remedy::BackgroundPriority),
                _ => remedy(Remedy::FixPayload),
            }),
        );
    } else {
        out.push(Finding::new(
            Area::Payload,
            "payload_ok",
            Status::Passed,
            title,
            says(
                Evidence::PayloadOk {
                    size: check.size,
                    limit: check.limit,
                    push_type: case.push_type.as_str(),
                },
                format!(
                    "{} of {} bytes for push type {}",
                    check.size,
                    check.limit,
                    case.push_type.as_str()
                ),
            ),
        ));
    }
    for w in &check.warnings {
        out.push(Finding::new(
            Area::Payload,
            "payload_warning",
            Status::Warning,
            Check::PayloadOnIos,
            says(Evidence::Payload(w.clone()), w.message()),
        ));
    }
    if let Some(topic) = case.topic()
        && let Some(suffix) = case.push_type.topic_suffix().filter(|s| !s.is_empty())
    {
        out.push(Finding::new(
            Area::Payload,
            "topic_suffix",
            Status::Passed,
            Check::TopicSuffix,
            says(
                Evidence::TopicSuffix {
                    topic: topic.clone(),
                    suffix,
                },
                format!("{topic} ends with {suffix}"),
            ),
        ));
    }
}

pub(super) fn phone(case: &Case, out: &mut Vec<Finding>) {
    let info =
        |cause, title, evidence| Finding::new(Area::Phone, cause, Status::Info, title, evidence);
    if case.push_type == PushType::Background {
        out.push(info(
            "background_throttled",
            Check::BackgroundThrottled,
            says(Evidence::BackgroundThrottled, "iOS delivers background (content-available) pushes at its discretion: Apple suggests no more than two or three an hour, none while Low Power Mode is on, and none after the user force-quits the app"),
        ));
    }
    if case.expiration == Some(0) {
        out.push(info(
            "expiration_zero",
            Check::TriedOnce,
            says(Evidence::ExpirationZero, "apns-expiration 0: if the phone is offline when APNs tries, the push is dropped, not stored"),
        ));
    }
    if let Some(id) = &case.collapse_id {
        out.push(info(
            "collapse_id",
            Check::PushesReplaceEachOther,
            says(Evidence::CollapseId { id: id.clone() }, format!(
                    "collapse id '{id}': a newer push with the same id replaces this one on the phone"
                )),
        ));
    }
    if matches!(case.push_type, PushType::Alert) {
        out.push(info(
            "phone_settings",
            Check::NotificationSettings,
            says(Evidence::PhoneSettings, "an accepted alert still shows only if the app's notifications are allowed (Settings → Notifications), no Focus mode silences it, and the app in the foreground shows it itself"),
        ));
    }
}
