//! "Where and with what to send", as one value: the server, the credential, the bundle id.
//!
//! Every front builds a [`Route`] before it sends or checks. Its [`RouteId`] is what a result
//! remembers it was made with, so a screen can tell that a check, a verdict or an answer
//! belongs to another route; its [`RouteWarning`]s say what will go wrong before anything is
//! sent (the same list for the CLI and the app).

use openssl::hash::MessageDigest;
use time::OffsetDateTime;

use super::{ClientAuth, CredentialId, Target};
use crate::apns::Environment;
use crate::apns::PushType;
use crate::cert::{CertEnvironment, CertificateReport};

/// What a push certificate says of itself that decides where it can be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    /// Sandbox, production or both, from Apple's environment extension.
    pub environment: CertEnvironment,
    /// The topics extension, else the subject UID.
    pub topics: Vec<String>,
    /// The bundle id: the subject UID, else the first topic.
    pub bundle_id: Option<String>,
    /// The start of its validity (`notBefore`).
    pub not_before: OffsetDateTime,
    /// The end of its validity (`notAfter`).
    pub not_after: OffsetDateTime,
}

impl CertificateFacts {
    /// The facts of a certificate's report.
    pub fn of(report: &CertificateReport) -> Self {
        CertificateFacts {
            environment: report.environment,
            topics: report.topics.clone(),
            bundle_id: report.bundle_id.clone(),
            not_before: report.not_before,
            not_after: report.not_after,
        }
    }

    /// Whether pushes of `push_type` to `topic` are covered: the topic itself, or the bundle
    /// id it is made from, is the certificate's.
    pub fn covers(&self, topic: &str, push_type: PushType) -> bool {
        let base = push_type.bundle_of(topic).unwrap_or(topic);
        self.bundle_id.as_deref() == Some(base)
            || self.bundle_id.as_deref() == Some(topic)
            || self.topics.iter().any(|t| t == topic || t == base)
    }
}

/// Where pushes go and with what: built and checked in one place for every front.
#[derive(Clone)]
pub struct Route {
    /// The server pushes go to.
    pub target: Target,
    /// The certificate or auth key pushes are sent with.
    pub auth: ClientAuth,
    /// The app pushes are addressed to (the topic without a push type's suffix).
    pub bundle_id: Option<String>,
    /// What the certificate says of itself; `None` for auth keys.
    pub certificate: Option<CertificateFacts>,
}

/// A route's identity: equal ids mean the same server, proxy, trust, credential and bundle id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteId(String);

impl RouteId {
    /// The id as text, to keep beside what was made with the route (an app batch's journal).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same id with something the front adds to the route (a CA file it reads later).
    pub fn with(self, extra: &str) -> RouteId {
        RouteId(format!("{}|{extra}", self.0))
    }
}

/// Something about a route that will make APNs refuse its pushes, known before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteWarning {
    /// The certificate's validity ended `days` whole days ago (0: today).
    Expired {
        /// Whole days since it ended.
        days: i64,
    },
    /// The certificate is valid only from a later date, `days` whole days from now.
    NotYetValid {
        /// Whole days until it starts.
        days: i64,
    },
    /// The certificate is for the other environment than the server's.
    WrongEnvironment {
        /// The certificate's environment.
        certificate: CertEnvironment,
        /// The server's environment.
        server: Environment,
    },
    /// Apple accepts this push type only over a token-based connection (an auth key).
    NeedsToken {
        /// The push type.
        push_type: PushType,
    },
    /// The certificate does not cover the topic pushes go to.
    TopicNotCovered {
        /// The topic pushes go to.
        topic: String,
        /// The topics the certificate covers.
        topics: Vec<String>,
    },
}

impl std::fmt::Display for RouteWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteWarning::Expired { days } => write!(
                f,
                "the certificate expired {days} days ago: the server will refuse the TLS connection; renew it and give the new one with --cert FILE"
            ),
            RouteWarning::NotYetValid { days } => write!(
                f,
                "the certificate is not valid yet (it starts in {days} days): the server will refuse the TLS connection; check this computer's clock"
            ),
            RouteWarning::WrongEnvironment {
                certificate,
                server,
            } => write!(
                f,
                "this is a {} certificate and the server is {server}: APNs will answer BadCertificateEnvironment",
                certificate.label()
            ),
            RouteWarning::NeedsToken { push_type } => write!(
                f,
                "Apple accepts {push_type} pushes only over a token-based connection (an auth key: --auth-key FILE --team-id ID), not a certificate"
            ),
            RouteWarning::TopicNotCovered { topic, topics } => write!(
                f,
                "the topic {topic} is not among the certificate's topics ({}): APNs will answer BadTopic",
                topics.join(", ")
            ),
        }
    }
}

impl Route {
    /// The route's identity (see [`RouteId`]).
    pub fn id(&self) -> RouteId {
        let t = &self.target;
        let roots: Vec<String> = t
            .extra_roots
            .iter()
            .map(|c| {
                c.digest(MessageDigest::sha256())
                    .map(hex::encode)
                    .unwrap_or_default()
            })
            .collect();
        let proxy = t.proxy.as_ref().map(|p| {
            let user = p
                .credentials
                .as_ref()
                .map(|c| c.user.as_str())
                .unwrap_or("");
            // The password is part of what was tried: hash it rather than keep it.
            let secret = p
                .credentials
                .as_ref()
                .and_then(|c| {
                    openssl::hash::hash(MessageDigest::sha256(), c.password.as_bytes()).ok()
                })
                .map(hex::encode)
                .unwrap_or_default();
            format!("{}:{}:{user}:{secret}", p.host, p.port)
        });
        RouteId(format!(
            "{}:{}|{}|{:?}|{}|{}|{:?}|{:?}",
            t.host,
            t.port,
            t.server_name,
            proxy,
            roots.join(","),
            t.system_roots,
            CredentialId::of(&self.auth),
            self.bundle_id
        ))
    }

    /// The topic pushes of `push_type` go to: `topic` if given, else the bundle id's.
    pub fn topic(&self, push_type: PushType) -> Option<String> {
        self.bundle_id.as_deref().map(|b| match push_type {
            PushType::Mdm => b.to_owned(),
            t => t.topic_for(b),
        })
    }

    /// What will go wrong with pushes of `push_type` to `topic` (the route's own when `None`),
    /// most fundamental first: a certificate out of its dates fails before anything else.
    pub fn warnings(
        &self,
        topic: Option<&str>,
        push_type: PushType,
        now: OffsetDateTime,
    ) -> Vec<RouteWarning> {
        let Some(cert) = &self.certificate else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if now > cert.not_after {
            out.push(RouteWarning::Expired {
                days: (now - cert.not_after).whole_days(),
            });
        } else if now < cert.not_before {
            out.push(RouteWarning::NotYetValid {
                days: (cert.not_before - now).whole_days(),
            });
        }
        if let Some(server) = self.target.environment
            && cert.environment != CertEnvironment::None
            && !cert.environment.supports(server)
        {
            out.push(RouteWarning::WrongEnvironment {
                certificate: cert.environment,
                server,
            });
        }
        if !push_type.works_with_certificate() {
            out.push(RouteWarning::NeedsToken { push_type });
        }
        let own = self.topic(push_type);
        if let Some(topic) = topic.map(str::to_owned).or(own)
            && !cert.covers(&topic, push_type)
        {
            out.push(RouteWarning::TopicNotCovered {
                topic,
                topics: cert.topics.clone(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::{CertificateAuthority, PushCertificateSpec};

    fn route(env: CertEnvironment, server: Environment, bundle: Option<&str>) -> Route {
        let ca = CertificateAuthority::generate("Route test CA").unwrap();
        let cred = ca
            .issue_push_certificate(&PushCertificateSpec::new("com.example.app", env))
            .unwrap();
        let report = CertificateReport::of(&cred.certificate, OffsetDateTime::now_utc()).unwrap();
        let addr = "127.0.0.1:4000".parse().unwrap();
        Route {
            target: Target::simulator(addr, ca.certificate.clone(), server),
            auth: ClientAuth::Certificate(cred),
            bundle_id: bundle.map(str::to_owned),
            certificate: Some(CertificateFacts::of(&report)),
        }
    }

    #[test]
    fn a_topic_of_another_app_is_warned_about() {
        let r = route(
            CertEnvironment::Development,
            Environment::Sandbox,
            Some("com.other.app"),
        );
        let now = OffsetDateTime::now_utc();
        let w = r.warnings(None, PushType::Alert, now);
        assert!(
            matches!(&w[..], [RouteWarning::TopicNotCovered { topic, .. }] if topic == "com.other.app"),
            "{w:?}"
        );
        let own = route(
            CertEnvironment::Development,
            Environment::Sandbox,
            Some("com.example.app"),
        );
        for t in PushType::ALL
            .into_iter()
            .filter(|t| t.works_with_certificate())
        {
            assert_eq!(own.warnings(None, t, now), vec![], "{t:?}");
        }
    }

    /// Location pushes and Live Activities go only over a token-based connection at Apple:
    /// with a certificate, that is said before anything is sent.
    #[test]
    fn a_push_type_that_needs_an_auth_key_is_warned_about_with_a_certificate() {
        let r = route(
            CertEnvironment::Development,
            Environment::Sandbox,
            Some("com.example.app"),
        );
        let now = OffsetDateTime::now_utc();
        for push_type in [PushType::LiveActivity, PushType::Location] {
            assert_eq!(
                r.warnings(None, push_type, now),
                vec![RouteWarning::NeedsToken { push_type }]
            );
        }
        let w = RouteWarning::NeedsToken {
            push_type: PushType::LiveActivity,
        };
        assert!(
            w.to_string()
                .contains("liveactivity pushes only over a token-based")
        );
    }

    #[test]
    fn a_development_certificate_against_production_is_warned_about() {
        let r = route(
            CertEnvironment::Development,
            Environment::Production,
            Some("com.example.app"),
        );
        let w = r.warnings(None, PushType::Alert, OffsetDateTime::now_utc());
        assert_eq!(
            w,
            vec![RouteWarning::WrongEnvironment {
                certificate: CertEnvironment::Development,
                server: Environment::Production
            }]
        );
    }

    #[test]
    fn an_expired_certificate_comes_first() {
        let r = route(
            CertEnvironment::Development,
            Environment::Production,
            Some("com.example.app"),
        );
        let later = r.certificate.as_ref().unwrap().not_after + time::Duration::days(3);
        let w = r.warnings(None, PushType::Alert, later);
        assert_eq!(w[0], RouteWarning::Expired { days: 3 });
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn the_id_follows_the_bundle_id_and_the_credential() {
        let a = route(
            CertEnvironment::Development,
            Environment::Sandbox,
            Some("com.example.app"),
        );
        let mut b = a.clone();
        assert_eq!(a.id(), b.id());
        b.bundle_id = Some("com.example.other".into());
        assert_ne!(a.id(), b.id());
        let c = route(
            CertEnvironment::Development,
            Environment::Sandbox,
            Some("com.example.app"),
        );
        assert_ne!(a.id(), c.id(), "another certificate is another route");
    }
}
