//! How the simulator judges a request, as pure functions of the request and the connection's
//! identity. The order of checks (documented in the README):
//!
//! 1. method (405), path (404 `BadPath`, 400 `MissingDeviceToken`), duplicate headers;
//! 2. `apns-id`, `apns-push-type`, `apns-priority` (incl. background + 10), `apns-expiration`,
//!    `apns-collapse-id`;
//! 3. authentication (certificate environment, or the provider token — see `auth`);
//! 4. topic (`MissingTopic`, `BadTopic`, `TopicDisallowed`);
//! 5. device token format and registry (`BadDeviceToken`, 410, `DeviceTokenNotForTopic`);
//! 6. body (`PayloadEmpty`, `PayloadTooLarge`, invalid JSON).

use http::{HeaderMap, Method};

use super::registry::{DeviceRegistry, TokenState};
use crate::apns::Environment;
use crate::apns::{DeviceToken, PushType, Reason, is_canonical_uuid};
use crate::cert::CertEnvironment;

/// A refusal: status, reason string, and for 410 `Unregistered` the time in ms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status, e.g. 400 or 410.
    pub status: u16,
    /// Apple's reason string, e.g. `BadDeviceToken`.
    pub reason: &'static str,
    /// For 410 `Unregistered`: when the token stopped being valid, milliseconds since 1970.
    pub timestamp_ms: Option<i64>,
}

/// The reason the simulator gives for a body that is not JSON. Apple's table has no reason for
/// it, so this string is the simulator's own.
pub const INVALID_JSON_REASON: &str = "BadPayload";

impl From<Reason> for Rejection {
    fn from(r: Reason) -> Self {
        Rejection {
            status: r.status(),
            reason: r.as_str(),
            timestamp_ms: None,
        }
    }
}

/// The request line and headers, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// The token as it appeared in the path (checked later, after authentication).
    pub token_hex: String,
    /// From `apns-push-type`; `alert` when absent.
    pub push_type: PushType,
    /// From `apns-priority` (10, 5 or 1), or the push type's default.
    pub priority: u8,
    /// From `apns-topic`, when sent.
    pub topic: Option<String>,
    /// From `apns-id`, when sent.
    pub apns_id: Option<String>,
    /// From `apns-collapse-id`, when sent (at most 64 bytes).
    pub collapse_id: Option<String>,
    /// From `apns-expiration`: a Unix time in seconds, or 0; `None` when absent.
    pub expiration: Option<i64>,
}

const SINGLE_HEADERS: &[&str] = &[
    "apns-id",
    "apns-push-type",
    "apns-priority",
    "apns-topic",
    "apns-expiration",
    "apns-collapse-id",
    "authorization",
];

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Steps 1 and 2.
pub fn check_head(method: &Method, path: &str, headers: &HeaderMap) -> Result<Head, Rejection> {
    if method != Method::POST {
        return Err(Reason::MethodNotAllowed.into());
    }
    let Some(token_hex) = path.strip_prefix("/3/device/") else {
        return Err(Reason::BadPath.into());
    };
    if token_hex.is_empty() {
        return Err(Reason::MissingDeviceToken.into());
    }
    if token_hex.contains('/') || token_hex.contains('?') {
        return Err(Reason::BadPath.into());
    }
    if SINGLE_HEADERS
        .iter()
        .any(|h| headers.get_all(*h).iter().count() > 1)
    {
        return Err(Reason::DuplicateHeaders.into());
    }
    let apns_id = match headers.get("apns-id") {
        None => None,
        Some(v) => match v.to_str() {
            Ok(s) if is_canonical_uuid(s) => Some(s.to_owned()),
            _ => return Err(Reason::BadMessageId.into()),
        },
    };
    let push_type = match headers.get("apns-push-type") {
        None => PushType::Alert,
        Some(v) => v
            .to_str()
            .ok()
            .and_then(PushType::parse)
            .ok_or(Rejection::from(Reason::InvalidPushType))?,
    };
    let priority = priority(headers, push_type.default_priority())?;
    if push_type == PushType::Background && priority == 10 {
        return Err(Reason::BadPriority.into());
    }
    let expiration = expiration(headers)?;
    let collapse_id = match headers.get("apns-collapse-id") {
        None => None,
        Some(v) if v.len() > crate::apns::MAX_COLLAPSE_ID_BYTES => {
            return Err(Reason::BadCollapseId.into());
        }
        Some(v) => Some(String::from_utf8_lossy(v.as_bytes()).into_owned()),
    };
    let topic = match headers.get("apns-topic") {
        None => None,
        Some(v) => match v.to_str() {
            Ok(s) if !s.is_empty() => Some(s.to_owned()),
            _ => return Err(Reason::BadTopic.into()),
        },
    };
    Ok(Head {
        token_hex: token_hex.to_owned(),
        push_type,
        priority,
        topic,
        apns_id,
        collapse_id,
        expiration,
    })
}

/// `apns-priority`: 10, 5 or 1; `default` when the header is absent.
pub(crate) fn priority(headers: &HeaderMap, default: u8) -> Result<u8, Rejection> {
    match text(headers, "apns-priority") {
        None if headers.contains_key("apns-priority") => Err(Reason::BadPriority.into()),
        None => Ok(default),
        Some("10") => Ok(10),
        Some("5") => Ok(5),
        Some("1") => Ok(1),
        Some(_) => Err(Reason::BadPriority.into()),
    }
}

/// `apns-expiration`: a Unix time, or 0; `None` when the header is absent.
pub(crate) fn expiration(headers: &HeaderMap) -> Result<Option<i64>, Rejection> {
    match headers.get("apns-expiration") {
        None => Ok(None),
        Some(v) => match v.to_str().ok().and_then(|s| s.parse::<i64>().ok()) {
            Some(e) if e >= 0 => Ok(Some(e)),
            _ => Err(Reason::BadExpirationDate.into()),
        },
    }
}

/// Who a connection is, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A client certificate: what Apple's extensions say it may do.
    Certificate {
        /// The environment the certificate is for: sandbox, production or both.
        environment: CertEnvironment,
        /// From the topics extension, or the subject UID.
        topics: Vec<String>,
        /// The bundle id the certificate names, if any.
        bundle_id: Option<String>,
        /// The certificate carried a topics extension (so a topic header is required).
        multi_topic: bool,
    },
    /// A provider token: the bundle ids its key may push to (empty = any of the team's).
    Token {
        /// The team the token's key belongs to.
        team_id: String,
        /// The bundle ids the key may push to; empty means any of the team's.
        topics: Vec<String>,
    },
}

/// Checks a certificate identity against the simulator's environment (part of step 3).
pub fn check_certificate(identity: &Identity, env: Environment) -> Result<(), Rejection> {
    match identity {
        Identity::Certificate {
            environment: CertEnvironment::None,
            ..
        } => Err(Reason::BadCertificate.into()),
        Identity::Certificate { environment, .. } if !environment.supports(env) => {
            Err(Reason::BadCertificateEnvironment.into())
        }
        _ => Ok(()),
    }
}

/// Step 4: the topic the push goes to.
pub fn check_topic(head: &Head, identity: &Identity) -> Result<String, Rejection> {
    match identity {
        Identity::Certificate {
            topics,
            bundle_id,
            multi_topic,
            ..
        } => {
            let topic = match &head.topic {
                Some(t) => t.clone(),
                None if *multi_topic => return Err(Reason::MissingTopic.into()),
                None => match bundle_id {
                    // APNs uses the certificate's bundle id as the default topic.
                    Some(b) => head.push_type.topic_for(b),
                    None => return Err(Reason::MissingTopic.into()),
                },
            };
            if !head.push_type.works_with_certificate() {
                // Location pushes and Live Activities go only over a token-based connection
                // (Apple's WWDC23 session 10185: "token-based connection only"). The reason
                // Apple answers with is not documented; the simulator says TopicDisallowed.
                return Err(Reason::TopicDisallowed.into());
            }
            if head.push_type == PushType::Mdm {
                return if topics.contains(&topic) || bundle_id.as_ref() == Some(&topic) {
                    Ok(topic)
                } else {
                    Err(Reason::BadTopic.into())
                };
            }
            let Some(base) = head.push_type.bundle_of(&topic) else {
                return Err(Reason::BadTopic.into());
            };
            let covered = topics.contains(&topic)
                || bundle_id.as_deref() == Some(base)
                || topics.iter().any(|t| t == base);
            if covered {
                Ok(topic)
            } else {
                Err(Reason::BadTopic.into())
            }
        }
        Identity::Token { topics, .. } => {
            let Some(topic) = head.topic.clone() else {
                return Err(Reason::MissingTopic.into());
            };
            let Some(base) = head.push_type.bundle_of(&topic) else {
                return Err(Reason::BadTopic.into());
            };
            if !topics.is_empty() && !topics.iter().any(|t| t == base) {
                return Err(Reason::TopicDisallowed.into());
            }
            Ok(topic)
        }
    }
}

/// Step 5: the device token's format and what the registry says of it.
pub fn check_device(
    head: &Head,
    topic: &str,
    registry: &DeviceRegistry,
    env: Environment,
    accept_unknown: bool,
) -> Result<DeviceToken, Rejection> {
    let bad = || Rejection::from(Reason::BadDeviceToken);
    if !head.token_hex.bytes().all(|b| b.is_ascii_hexdigit()) || head.token_hex.len() % 2 == 1 {
        return Err(bad());
    }
    let bytes = hex::decode(&head.token_hex).map_err(|_| bad())?;
    let token = DeviceToken::from_bytes(bytes).map_err(|_| bad())?;
    let Some(entry) = registry.get(token.as_bytes()) else {
        return if accept_unknown {
            Ok(token)
        } else {
            Err(bad())
        };
    };
    if entry.environment.is_some_and(|e| e != env) {
        return Err(bad());
    }
    match entry.state {
        TokenState::Expired => return Err(Reason::ExpiredToken.into()),
        TokenState::Unregistered { since_ms } => {
            return Err(Rejection {
                timestamp_ms: Some(since_ms),
                ..Reason::Unregistered.into()
            });
        }
        TokenState::Active => {}
    }
    if let Some(registered) = &entry.topic {
        let base = head.push_type.bundle_of(topic).unwrap_or(topic);
        if registered != base && registered != topic {
            return Err(Reason::DeviceTokenNotForTopic.into());
        }
    }
    Ok(token)
}

/// Step 6: the body.
pub fn check_body(body: &[u8], push_type: PushType) -> Result<(), Rejection> {
    parse_body::<serde::de::IgnoredAny>(body, push_type).map(drop)
}

/// [`check_body`], keeping what was parsed (the simulator parses each payload once).
pub fn parse_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    push_type: PushType,
) -> Result<T, Rejection> {
    if body.is_empty() {
        return Err(Reason::PayloadEmpty.into());
    }
    if body.len() > push_type.max_payload() {
        return Err(Reason::PayloadTooLarge.into());
    }
    serde_json::from_slice::<T>(body).map_err(|_| Rejection {
        status: 400,
        reason: INVALID_JSON_REASON,
        timestamp_ms: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                http::HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn head(pairs: &[(&str, &str)]) -> Result<Head, Rejection> {
        check_head(
            &Method::POST,
            &format!("/3/device/{}", "ab".repeat(32)),
            &headers(pairs),
        )
    }

    fn reason(r: Result<impl std::fmt::Debug, Rejection>) -> &'static str {
        r.unwrap_err().reason
    }

    #[test]
    fn head_checks_in_order() {
        let h = HeaderMap::new();
        assert_eq!(
            reason(check_head(&Method::GET, "/3/device/ab", &h)),
            "MethodNotAllowed"
        );
        assert_eq!(
            reason(check_head(&Method::POST, "/4/device/ab", &h)),
            "BadPath"
        );
        assert_eq!(
            reason(check_head(&Method::POST, "/3/device/", &h)),
            "MissingDeviceToken"
        );
        assert_eq!(
            reason(head(&[("apns-topic", "a"), ("apns-topic", "b")])),
            "DuplicateHeaders"
        );
        assert_eq!(reason(head(&[("apns-id", "nope")])), "BadMessageId");
        assert_eq!(
            reason(head(&[("apns-push-type", "fax")])),
            "InvalidPushType"
        );
        assert_eq!(reason(head(&[("apns-priority", "7")])), "BadPriority");
        assert_eq!(
            reason(head(&[
                ("apns-push-type", "background"),
                ("apns-priority", "10")
            ])),
            "BadPriority"
        );
        assert_eq!(
            reason(head(&[("apns-expiration", "soon")])),
            "BadExpirationDate"
        );
        assert_eq!(
            reason(head(&[("apns-collapse-id", &"c".repeat(65))])),
            "BadCollapseId"
        );
        let ok = head(&[("apns-push-type", "background")]).unwrap();
        assert_eq!(ok.priority, 5);
        assert!(head(&[("apns-collapse-id", &"c".repeat(64))]).is_ok());
    }

    fn cert(env: CertEnvironment, topics: &[&str], multi: bool) -> Identity {
        Identity::Certificate {
            environment: env,
            topics: topics.iter().map(|s| s.to_string()).collect(),
            bundle_id: Some("com.x".into()),
            multi_topic: multi,
        }
    }

    #[test]
    fn certificate_environment_and_topics() {
        let dev = cert(CertEnvironment::Development, &["com.x"], false);
        assert!(check_certificate(&dev, Environment::Sandbox).is_ok());
        assert_eq!(
            reason(check_certificate(&dev, Environment::Production)),
            "BadCertificateEnvironment"
        );
        assert_eq!(
            reason(check_certificate(
                &cert(CertEnvironment::None, &[], false),
                Environment::Sandbox
            )),
            "BadCertificate"
        );

        let h = head(&[]).unwrap();
        assert_eq!(check_topic(&h, &dev).unwrap(), "com.x");
        let voip = head(&[("apns-push-type", "voip"), ("apns-topic", "com.x.voip")]).unwrap();
        assert_eq!(check_topic(&voip, &dev).unwrap(), "com.x.voip");
        let wrong_suffix = head(&[("apns-push-type", "voip"), ("apns-topic", "com.x")]).unwrap();
        assert_eq!(reason(check_topic(&wrong_suffix, &dev)), "BadTopic");
        let other = head(&[("apns-topic", "com.other")]).unwrap();
        assert_eq!(reason(check_topic(&other, &dev)), "BadTopic");
        let multi = cert(CertEnvironment::Universal, &["com.x", "com.x.voip"], true);
        assert_eq!(reason(check_topic(&h, &multi)), "MissingTopic");
        let loc = head(&[
            ("apns-push-type", "location"),
            ("apns-topic", "com.x.location-query"),
        ])
        .unwrap();
        assert_eq!(reason(check_topic(&loc, &dev)), "TopicDisallowed");
        let live = head(&[
            ("apns-push-type", "liveactivity"),
            ("apns-topic", "com.x.push-type.liveactivity"),
        ])
        .unwrap();
        assert_eq!(reason(check_topic(&live, &dev)), "TopicDisallowed");
        let tok = Identity::Token {
            team_id: "T".into(),
            topics: vec!["com.x".into()],
        };
        assert_eq!(check_topic(&loc, &tok).unwrap(), "com.x.location-query");
        assert_eq!(
            check_topic(&live, &tok).unwrap(),
            "com.x.push-type.liveactivity"
        );
        assert_eq!(reason(check_topic(&h, &tok)), "MissingTopic");
        assert_eq!(reason(check_topic(&other, &tok)), "TopicDisallowed");
    }

    #[test]
    fn device_registry_answers() {
        use super::super::registry::DeviceEntry;
        let reg = DeviceRegistry::new();
        let t = |b: &str| DeviceToken::parse(&b.repeat(32)).unwrap();
        reg.insert(
            &t("01"),
            DeviceEntry {
                state: TokenState::Unregistered { since_ms: 42 },
                ..DeviceEntry::active()
            },
        );
        reg.insert(
            &t("02"),
            DeviceEntry {
                state: TokenState::Expired,
                ..DeviceEntry::active()
            },
        );
        reg.insert(
            &t("03"),
            DeviceEntry {
                topic: Some("com.y".into()),
                ..DeviceEntry::active()
            },
        );
        reg.insert(
            &t("04"),
            DeviceEntry {
                environment: Some(Environment::Production),
                ..DeviceEntry::active()
            },
        );
        let check = |hex: &str, accept: bool| {
            let h = check_head(
                &Method::POST,
                &format!("/3/device/{hex}"),
                &HeaderMap::new(),
            )
            .unwrap();
            check_device(&h, "com.x", &reg, Environment::Sandbox, accept)
        };
        let gone = check(&"01".repeat(32), true).unwrap_err();
        assert_eq!(
            (gone.status, gone.reason, gone.timestamp_ms),
            (410, "Unregistered", Some(42))
        );
        assert_eq!(reason(check(&"02".repeat(32), true)), "ExpiredToken");
        assert_eq!(
            reason(check(&"03".repeat(32), true)),
            "DeviceTokenNotForTopic"
        );
        assert_eq!(reason(check(&"04".repeat(32), true)), "BadDeviceToken");
        assert_eq!(reason(check("abc", true)), "BadDeviceToken");
        assert_eq!(reason(check(&"zz".repeat(32), true)), "BadDeviceToken");
        assert!(check(&"05".repeat(32), true).is_ok());
        assert_eq!(reason(check(&"05".repeat(32), false)), "BadDeviceToken");
        assert!(
            check(&"06".repeat(100), true).is_ok(),
            "no fixed 32-byte assumption"
        );
    }

    #[test]
    fn body_checks() {
        assert_eq!(reason(check_body(b"", PushType::Alert)), "PayloadEmpty");
        assert_eq!(
            reason(check_body(&vec![b' '; 4097], PushType::Alert)),
            "PayloadTooLarge"
        );
        let voip = format!("{{\"a\":\"{}\"}}", "x".repeat(5000));
        assert!(check_body(voip.as_bytes(), PushType::Voip).is_ok());
        assert_eq!(
            reason(check_body(b"{nope", PushType::Alert)),
            INVALID_JSON_REASON
        );
    }
}
