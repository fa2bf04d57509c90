//! The doctor: "why doesn't my push arrive?" answered from what the user has (a credential, a
//! bundle id, a device token, how the app was built), by walking every cause pushlab knows,
//! offline first and then against the server, and naming the most likely one with its fix.
//!
//! Each check is one [`Finding`] with a stable `cause` code; the [`Verdict`] is the failed
//! finding whose cause is most fundamental (an unreadable credential hides everything after
//! it; a bad payload matters only once the connection works). Things APNs accepts but a phone
//! may still not show are [`Status::Info`], never a pass.

mod evidence;
mod offline;
mod online;
mod remedy;
mod scope;
mod verdict;

use serde::Serialize;

pub use evidence::Evidence;
pub use online::{Probes, diagnose_online, diagnose_without_server};
pub use remedy::Remedy;
pub use verdict::{Verdict, VerdictSentence, verdict};

use crate::apns::Environment;
use crate::apns::PushType;
use crate::client::ClientAuth;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    Warning,
    /// Not run: its input is missing or an earlier step failed.
    Skipped,
    /// True and worth knowing, but not something pushlab can pass or fail.
    Info,
}

/// Which part of the path a finding is about, in the order the checklist shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Credential,
    Token,
    Payload,
    Network,
    TokenAuth,
    Delivery,
    /// What happens on the phone after APNs accepts a push.
    Phone,
}

impl Area {
    pub fn label(self) -> &'static str {
        match self {
            Area::Credential => "Credential",
            Area::Token => "Device token",
            Area::Payload => "Payload and headers",
            Area::Network => "Network path",
            Area::TokenAuth => "Provider token",
            Area::Delivery => "Delivery",
            Area::Phone => "On the phone",
        }
    }
}

/// What a line of the checklist checks; its title in English is [`Check::title`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    CredentialReadable,
    PrivateKeyMatches,
    CertificateValidToday,
    ApnsCertificate,
    CertificateEnvironment,
    TopicInCertificate,
    AuthKeyUsable,
    KeyIdWellFormed,
    TeamIdWellFormed,
    TopicGiven,
    KeyScope,
    TokenWellFormed,
    TokenEnvironment,
    PayloadAccepted,
    PayloadOnIos,
    TopicSuffix,
    BackgroundThrottled,
    TriedOnce,
    PushesReplaceEachOther,
    NotificationSettings,
    NetworkPath,
    NameLookup,
    TcpConnection,
    ReachingProxy,
    ProxyTunnel,
    Tls,
    Http2,
    CredentialAccepted,
    Proxy,
    ProxySettings,
    OtherPort,
    ProviderTokenFresh,
    TestPush,
    Clock,
}

impl Check {
    /// What was checked, in a few words.
    pub fn title(self) -> &'static str {
        match self {
            Check::CredentialReadable => "Credential readable",
            Check::PrivateKeyMatches => "Private key matches",
            Check::CertificateValidToday => "Certificate valid today",
            Check::ApnsCertificate => "An APNs certificate",
            Check::CertificateEnvironment => "Certificate fits the environment",
            Check::TopicInCertificate => "Topic covered by the certificate",
            Check::AuthKeyUsable => "Auth key usable",
            Check::KeyIdWellFormed => "Key id well formed",
            Check::TeamIdWellFormed => "Team id well formed",
            Check::TopicGiven => "Topic given",
            Check::KeyScope => "Key scope",
            Check::TokenWellFormed => "Device token well formed",
            Check::TokenEnvironment => "Token from the environment pushes go to",
            Check::PayloadAccepted => "Payload accepted by APNs",
            Check::PayloadOnIos => "Payload as iOS will treat it",
            Check::TopicSuffix => "Topic carries the push type's suffix",
            Check::BackgroundThrottled => "Background pushes are throttled",
            Check::TriedOnce => "Tried once",
            Check::PushesReplaceEachOther => "Pushes replace each other",
            Check::NotificationSettings => "Notification settings and Focus",
            Check::NetworkPath => "Network path",
            Check::NameLookup => "Name lookup",
            Check::TcpConnection => "TCP connection",
            Check::ReachingProxy => "Reaching the proxy",
            Check::ProxyTunnel => "The proxy's tunnel to the server",
            Check::Tls => "TLS handshake and server certificate",
            Check::Http2 => "HTTP/2 and its settings",
            Check::CredentialAccepted => "Credential accepted by the server",
            Check::Proxy => "Proxy",
            Check::ProxySettings => "Proxy settings",
            Check::OtherPort => "Apple's other port",
            Check::ProviderTokenFresh => "Provider token fresh",
            Check::TestPush => "Test push accepted by APNs",
            Check::Clock => "Clock agrees with the server",
        }
    }
}

/// Evidence in English for the CLI, and as a value for front ends in other languages.
#[derive(Debug, Clone, PartialEq)]
struct Words {
    english: String,
    value: Evidence,
}

/// Evidence: the value and its English.
fn says(value: Evidence, english: impl Into<String>) -> Words {
    Words {
        english: english.into(),
        value,
    }
}

/// What to do, as a value: one of the doctor's own remedies, or another part's fix quoted
/// (the connection check's, Apple's for a reason).
#[derive(Debug, Clone, PartialEq)]
pub enum FixSaid {
    /// One of the doctor's own remedies.
    Remedy(Remedy),
    /// The connection check's fix for the step that failed.
    Step(crate::client::StepFix),
    /// Apple's fix for the reason it gave.
    Reason(crate::apns::Reason),
}

/// A fix: in English for the CLI, and as a value.
#[derive(Debug, Clone, PartialEq)]
struct FixWords {
    english: String,
    said: FixSaid,
}

impl FixWords {
    /// Another part's fix.
    fn quoting(said: FixSaid, english: impl Into<String>) -> Self {
        FixWords {
            english: english.into(),
            said,
        }
    }
}

/// One of the doctor's own fixes.
fn remedy(remedy: Remedy) -> FixWords {
    FixWords {
        english: remedy.to_string(),
        said: FixSaid::Remedy(remedy),
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub area: Area,
    /// A stable machine-readable name of the cause (`certificate_expired`, `token_environment`).
    pub cause: &'static str,
    pub status: Status,
    /// What was checked, in a few words.
    pub title: String,
    /// What pushlab saw.
    pub evidence: String,
    /// What to do, when something is wrong.
    pub fix: Option<String>,
    /// What was checked, as data.
    #[serde(skip)]
    pub check: Check,
    /// `evidence` as a value.
    #[serde(skip)]
    pub evidence_value: Evidence,
    /// `fix` as data.
    #[serde(skip)]
    pub fix_said: Option<FixSaid>,
}

impl Finding {
    fn new(area: Area, cause: &'static str, status: Status, check: Check, evidence: Words) -> Self {
        Finding {
            area,
            cause,
            status,
            title: check.title().to_owned(),
            evidence: evidence.english,
            fix: None,
            check,
            evidence_value: evidence.value,
            fix_said: None,
        }
    }

    fn fix(mut self, fix: FixWords) -> Self {
        self.set_fix(Some(fix));
        self
    }

    fn set_fix(&mut self, fix: Option<FixWords>) {
        (self.fix, self.fix_said) = match fix {
            Some(w) => (Some(w.english), Some(w.said)),
            None => (None, None),
        };
    }

    fn set_evidence(&mut self, evidence: Words) {
        self.evidence = evidence.english;
        self.evidence_value = evidence.value;
    }
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

impl Diagnosis {
    /// Whether any check failed.
    pub fn has_failures(&self) -> bool {
        self.findings.iter().any(|f| f.status == Status::Failed)
    }

    /// The finding with this cause, if it was reported.
    pub fn finding(&self, cause: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.cause == cause)
    }
}

/// How the app on the phone was built, which decides the environment of its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppBuild {
    /// Run from Xcode: development signing, sandbox tokens.
    Xcode,
    /// TestFlight or the App Store: production tokens.
    TestFlightOrAppStore,
}

impl AppBuild {
    pub fn environment(self) -> Environment {
        match self {
            AppBuild::Xcode => Environment::Sandbox,
            AppBuild::TestFlightOrAppStore => Environment::Production,
        }
    }

    /// A stable name, for front ends that word [`AppBuild::label`] in another language.
    pub fn code(self) -> &'static str {
        match self {
            AppBuild::Xcode => "xcode",
            AppBuild::TestFlightOrAppStore => "testflight",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppBuild::Xcode => "run from Xcode",
            AppBuild::TestFlightOrAppStore => "TestFlight or App Store",
        }
    }
}

impl std::str::FromStr for AppBuild {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xcode" | "development" | "debug" => Ok(AppBuild::Xcode),
            "testflight" | "app-store" | "appstore" | "production" | "release" => {
                Ok(AppBuild::TestFlightOrAppStore)
            }
            other => Err(format!(
                "'{other}': say xcode (run from Xcode) or testflight / app-store"
            )),
        }
    }
}

/// What the user has. Everything is optional: the doctor checks what it is given and says
/// what it skipped.
#[derive(Clone, Default)]
pub struct Case {
    /// The credential, loaded; or why it could not be.
    pub credential: Option<Result<ClientAuth, String>>,
    /// The app's bundle id (the topic, before the push type's suffix).
    pub bundle_id: Option<String>,
    /// The device token as pasted.
    pub token: Option<String>,
    pub build: Option<AppBuild>,
    pub push_type: PushType,
    /// The payload to send; `None`: a small alert.
    pub payload: Option<Vec<u8>>,
    pub priority: Option<u8>,
    /// `apns-expiration`, Unix seconds (0 = try once).
    pub expiration: Option<i64>,
    pub collapse_id: Option<String>,
}

impl Case {
    /// The topic the push goes with: the bundle id plus the push type's suffix, or the
    /// certificate's own bundle id.
    pub fn topic(&self) -> Option<String> {
        let base = self.bundle_id.clone().or_else(|| match &self.credential {
            Some(Ok(auth)) => auth.default_topic(),
            _ => None,
        })?;
        Some(self.push_type.topic_for(&base))
    }

    /// The payload as sent.
    pub fn payload_bytes(&self) -> Vec<u8> {
        self.payload.clone().unwrap_or_else(|| {
            serde_json::to_vec(&crate::apns::template(self.push_type)).unwrap_or_default()
        })
    }
}

/// Checks that need no network: the credential, the token, the payload, and what a phone does
/// with a push. `target_env` is the environment pushes go to, when known.
pub fn diagnose_offline(case: &Case, target_env: Option<Environment>) -> Vec<Finding> {
    let now = time::OffsetDateTime::now_utc();
    let mut out = Vec::new();
    offline::credential(case, target_env, now, &mut out);
    offline::token(case, target_env, &mut out);
    offline::payload(case, &mut out);
    offline::phone(case, &mut out);
    out
}

/// Causes from the most fundamental to the least: the verdict names the first that failed.
const CAUSE_ORDER: &[&str] = &[
    "credential_unreadable",
    "certificate_not_apns",
    "certificate_key_mismatch",
    "certificate_expired",
    "certificate_not_yet_valid",
    "auth_key_curve",
    "auth_key_team_id",
    "dns",
    "proxy",
    "tunnel",
    "tcp",
    "tls",
    "http2",
    "certificate_environment",
    "auth_key_environment",
    "clock",
    "auth_rejected",
    "token_malformed",
    "token_environment",
    "topic_not_in_certificate",
    "topic_rejected",
    "auth_key_topic",
    "token_unregistered",
    "payload",
    "headers",
    "push_rejected",
    "no_answer",
];
