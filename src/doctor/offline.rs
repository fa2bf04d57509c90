//! The doctor's checks that need no network: the credential, the device token, the payload
//! and headers, and what a phone does with a push APNs accepted.

use time::OffsetDateTime;

use super::{Area, Case, Finding, Status};
use crate::apns::{DeviceToken, PushType, TokenError, check_payload};
use crate::cert::{self, Environment};
use crate::client::ClientAuth;

pub(super) fn credential(
    case: &Case,
    target_env: Option<Environment>,
    now: OffsetDateTime,
    out: &mut Vec<Finding>,
) {
    let title = "Credential readable";
    let auth = match &case.credential {
        None => {
            out.push(Finding::new(
                Area::Credential,
                "credential_missing",
                Status::Skipped,
                title,
                "no certificate or auth key given".to_owned(),
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
                    format!("the credential could not be read: {e}"),
                )
                .fix("export the certificate with its private key again (a .p12 from Keychain Access), and check the passphrase"),
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
                "Credential readable",
                format!("the certificate could not be read: {e}"),
            ));
            return;
        }
    };
    out.push(Finding::new(
        Area::Credential,
        "credential_readable",
        Status::Passed,
        "Credential readable",
        format!(
            "{} ({}), {} days left",
            report
                .subject
                .common_name
                .as_deref()
                .unwrap_or(&report.subject.text),
            report.environment.label(),
            report.days_left
        ),
    ));
    let key_ok = cred
        .private_key
        .as_ref()
        .is_some_and(|k| cert::key_matches(&cred.certificate, k));
    out.push(if key_ok {
        Finding::new(
            Area::Credential,
            "certificate_key",
            Status::Passed,
            "Private key matches",
            "the private key is the certificate's".to_owned(),
        )
    } else {
        Finding::new(
            Area::Credential,
            "certificate_key_mismatch",
            Status::Failed,
            "Private key matches",
            if cred.private_key.is_some() {
                "the private key does not belong to this certificate".to_owned()
            } else {
                "there is no private key with the certificate".to_owned()
            },
        )
        .fix("export the certificate together with its private key from Keychain Access (as .p12), or give the key made with the certificate request")
    });
    for f in report.findings(now) {
        let (cause, status, title) = match f.code {
            "expired" => (
                "certificate_expired",
                Status::Failed,
                "Certificate valid today",
            ),
            "not_yet_valid" => (
                "certificate_not_yet_valid",
                Status::Failed,
                "Certificate valid today",
            ),
            "expires_soon" => (
                "certificate_expires_soon",
                Status::Warning,
                "Certificate valid today",
            ),
            "not_apns" => (
                "certificate_not_apns",
                Status::Failed,
                "An APNs certificate",
            ),
            _ => continue,
        };
        let fix = match cause {
            "certificate_expired" | "certificate_expires_soon" => Some(
                "create a new Apple Push Notification service certificate for the App ID in the developer portal (or switch to a .p8 auth key, which does not expire)",
            ),
            "certificate_not_apns" => Some(
                "download the push certificate (Apple Push Notification service SSL) for your App ID, not a development or distribution signing certificate",
            ),
            _ => None,
        };
        let mut finding = Finding::new(Area::Credential, cause, status, title, f.message);
        finding.fix = fix.map(str::to_owned);
        out.push(finding);
    }
    if let Some(env) = target_env {
        out.push(if report.environment.supports(env) {
            Finding::new(
                Area::Credential,
                "certificate_environment_ok",
                Status::Passed,
                "Certificate fits the environment",
                format!("a {} certificate works with {env}", report.environment.label()),
            )
        } else {
            Finding::new(
                Area::Credential,
                "certificate_environment",
                Status::Failed,
                "Certificate fits the environment",
                format!(
                    "this is a {} certificate and pushes go to {env}: APNs answers BadCertificateEnvironment",
                    report.environment.label()
                ),
            )
            .fix(match env {
                Environment::Production => "for production (TestFlight, App Store) use a production or \"Sandbox & Production\" certificate",
                Environment::Sandbox => "for the sandbox (apps run from Xcode) use a development or \"Sandbox & Production\" certificate",
            })
        });
    }
    if let Some(topic) = case.topic() {
        let base = case
            .push_type
            .bundle_of(&topic)
            .unwrap_or(&topic)
            .to_owned();
        let covered = report.topics.iter().any(|t| *t == topic || *t == base)
            || report.bundle_id.as_deref() == Some(base.as_str());
        out.push(if covered {
            Finding::new(
                Area::Credential,
                "topic_in_certificate",
                Status::Passed,
                "Topic covered by the certificate",
                format!("{topic} is covered ({})", report.topics.join(", ")),
            )
        } else {
            Finding::new(
                Area::Credential,
                "topic_not_in_certificate",
                Status::Failed,
                "Topic covered by the certificate",
                format!(
                    "the topic {topic} is not among the certificate's topics ({}): APNs answers BadTopic or DeviceTokenNotForTopic",
                    report.topics.join(", ")
                ),
            )
            .fix("use the certificate made for this app's bundle id, or check the bundle id (with the push type's suffix, e.g. .voip)")
        });
    }
}

fn auth_key(case: &Case, key: &cert::AuthKey, out: &mut Vec<Finding>) {
    let report = cert::AuthKeyReport::of(&key.key, Some(key.key_id.clone()));
    out.push(if report.usable_for_es256 {
        Finding::new(
            Area::Credential,
            "auth_key_readable",
            Status::Passed,
            "Auth key usable",
            format!("EC P-256 key {}, signs ES256 provider tokens", key.key_id),
        )
    } else {
        Finding::new(
            Area::Credential,
            "auth_key_curve",
            Status::Failed,
            "Auth key usable",
            format!(
                "the key is {}, and APNs accepts only ES256 (EC P-256) tokens",
                report.curve
            ),
        )
        .fix("download the .p8 key from the developer portal's Keys page (it is EC P-256)")
    });
    let id_ok = |s: &str| s.len() == 10 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if !id_ok(&key.key_id) {
        out.push(
            Finding::new(
                Area::Credential,
                "auth_key_id",
                Status::Failed,
                "Key id well formed",
                format!("the key id '{}' is not 10 letters and digits", key.key_id),
            )
            .fix("use the key id shown beside the key in the developer portal (also in the file name AuthKey_<KEYID>.p8)"),
        );
    }
    out.push(if id_ok(&key.team_id) {
        Finding::new(
            Area::Credential,
            "auth_key_team_id_ok",
            Status::Passed,
            "Team id well formed",
            format!("team {}", key.team_id),
        )
    } else {
        Finding::new(
            Area::Credential,
            "auth_key_team_id",
            Status::Failed,
            "Team id well formed",
            format!(
                "the team id '{}' is not 10 letters and digits: APNs answers InvalidProviderToken",
                key.team_id
            ),
        )
        .fix("copy the team id from the Membership page of the developer portal")
    });
    if case.bundle_id.is_none() {
        out.push(
            Finding::new(
                Area::Credential,
                "topic_missing",
                Status::Failed,
                "Topic given",
                "an auth key covers every app of the team, so APNs needs the topic: none was given (MissingTopic)".to_owned(),
            )
            .fix("give the app's bundle id"),
        );
    }
    out.push(Finding::new(
        Area::Credential,
        "auth_key_scope",
        Status::Info,
        "Key scope",
        "since February 2025 a key can be limited to one environment (team-scoped) or to some bundle ids (topic-specific): APNs then answers BadEnvironmentKeyIdInToken or TopicDisallowed; the server's answer below shows which".to_owned(),
    ));
}

pub(super) fn token(case: &Case, target_env: Option<Environment>, out: &mut Vec<Finding>) {
    let title = "Device token well formed";
    let Some(text) = &case.token else {
        out.push(Finding::new(
            Area::Token,
            "token_missing",
            Status::Skipped,
            title,
            "no device token given: no test push is sent".to_owned(),
        ));
        return;
    };
    match DeviceToken::parse(text) {
        Ok(token) => {
            let tidy = token.to_hex();
            let evidence = if tidy == text.trim() {
                format!("{}-byte token", token.as_bytes().len())
            } else {
                format!(
                    "{}-byte token, tidied from what was pasted (brackets, spaces, case)",
                    token.as_bytes().len()
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
                TokenError::DescriptionForm => {
                    "log the token as hex in the app: token.map { String(format: \"%02x\", $0) }.joined()"
                }
                TokenError::TooShort { .. }
                | TokenError::TooLong { .. }
                | TokenError::OddLength { .. } => {
                    "copy the whole token again, exactly as the app logged it"
                }
                TokenError::NotHex { .. } | TokenError::Empty => {
                    "paste the hex token the app logged in didRegisterForRemoteNotificationsWithDeviceToken"
                }
            };
            out.push(
                Finding::new(
                    Area::Token,
                    "token_malformed",
                    Status::Failed,
                    title,
                    e.to_string(),
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
                "Token from the environment pushes go to",
                format!("an app {} has {token_env} tokens, and pushes go to {env}", build.label()),
            )
        } else {
            Finding::new(
                Area::Token,
                "token_environment",
                Status::Failed,
                "Token from the environment pushes go to",
                format!(
                    "an app {} has {token_env} tokens, but pushes go to {env}: APNs answers BadDeviceToken",
                    build.label()
                ),
            )
            .fix(format!("send to {token_env}, or install a build whose tokens belong to {env}"))
        });
    }
}

pub(super) fn payload(case: &Case, out: &mut Vec<Finding>) {
    let bytes = case.payload_bytes();
    let check = check_payload(&bytes, case.push_type, case.priority);
    let title = "Payload accepted by APNs";
    if let Some(first) = check.errors.first() {
        // A header that does not fit the push type is the headers' fault, not the JSON's.
        let cause = if first.code == "background_priority" {
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
                check
                    .errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .fix(match first.code {
                "too_large" => {
                    "make the payload smaller: move data out of it and fetch it when the app opens"
                }
                "background_priority" => "send background pushes with apns-priority 5",
                _ => "fix the payload JSON as described",
            }),
        );
    } else {
        out.push(Finding::new(
            Area::Payload,
            "payload_ok",
            Status::Passed,
            title,
            format!(
                "{} of {} bytes for push type {}",
                check.size,
                check.limit,
                case.push_type.as_str()
            ),
        ));
    }
    for w in &check.warnings {
        out.push(Finding::new(
            Area::Payload,
            "payload_warning",
            Status::Warning,
            "Payload as iOS will treat it",
            w.message.clone(),
        ));
    }
    if let Some(topic) = case.topic()
        && let Some(suffix) = case.push_type.topic_suffix().filter(|s| !s.is_empty())
    {
        out.push(Finding::new(
            Area::Payload,
            "topic_suffix",
            Status::Passed,
            "Topic carries the push type's suffix",
            format!("{topic} ends with {suffix}"),
        ));
    }
}

pub(super) fn phone(case: &Case, out: &mut Vec<Finding>) {
    let info = |cause, title: &str, evidence: &str| {
        Finding::new(Area::Phone, cause, Status::Info, title, evidence.to_owned())
    };
    if case.push_type == PushType::Background {
        out.push(info(
            "background_throttled",
            "Background pushes are throttled",
            "iOS delivers background (content-available) pushes at its discretion: Apple suggests no more than two or three an hour, none while Low Power Mode is on, and none after the user force-quits the app",
        ));
    }
    if case.expiration == Some(0) {
        out.push(info(
            "expiration_zero",
            "Tried once",
            "apns-expiration 0: if the phone is offline when APNs tries, the push is dropped, not stored",
        ));
    }
    if let Some(id) = &case.collapse_id {
        out.push(info(
            "collapse_id",
            "Pushes replace each other",
            &format!(
                "collapse id '{id}': a newer push with the same id replaces this one on the phone"
            ),
        ));
    }
    if matches!(case.push_type, PushType::Alert) {
        out.push(info(
            "phone_settings",
            "Notification settings and Focus",
            "an accepted alert still shows only if the app's notifications are allowed (Settings → Notifications), no Focus mode silences it, and the app in the foreground shows it itself",
        ));
    }
}
