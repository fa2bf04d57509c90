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
    /// Checked, and nothing stands in the push's way here.
    Passed,
    /// Checked, and this alone keeps the push from arriving; the verdict picks among these.
    Failed,
    /// The push may still arrive, but something here is likely to bite (a certificate that
    /// expires soon, a proxy setting that is ignored, a port that is blocked).
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
    /// The certificate or auth key, checked offline: readable, matched, valid, for this topic.
    Credential,
    /// The device token as pasted, and whether it belongs to the environment pushes go to.
    Token,
    /// The payload and headers by APNs's rules and by how iOS treats them.
    Payload,
    /// The way to the server: name lookup, proxy, TCP, TLS, HTTP/2, the other port.
    Network,
    /// The provider token an auth key signs: its age and the clock it depends on.
    TokenAuth,
    /// APNs's answer to the test push, and what the other environment says on BadDeviceToken.
    Delivery,
    /// What happens on the phone after APNs accepts a push.
    Phone,
}

impl Area {
    /// The heading the CLI prints above the area's findings (the app words [`Area`] itself).
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
    /// The credential was given and could be loaded: nothing else about it can be checked
    /// before this passes.
    CredentialReadable,
    /// The private key is the certificate's own; with another key the TLS handshake fails.
    PrivateKeyMatches,
    /// Today lies within the certificate's validity (a warning when it ends soon).
    CertificateValidToday,
    /// The certificate is Apple's push certificate, not a development or distribution
    /// signing certificate that APNs refuses.
    ApnsCertificate,
    /// The certificate's environment (sandbox, production or both) covers the server pushes
    /// go to.
    CertificateEnvironment,
    /// The push's topic is among the topics the certificate was issued for.
    TopicInCertificate,
    /// The auth key is EC P-256, the only key that signs the ES256 tokens APNs accepts.
    AuthKeyUsable,
    /// The key id has the 10 letters and digits Apple gives every key.
    KeyIdWellFormed,
    /// The team id has the 10 letters and digits Apple gives every team.
    TeamIdWellFormed,
    /// A topic was given: an auth key covers every app of the team, so APNs cannot guess it.
    TopicGiven,
    /// What a key limited to one environment or to some topics means for this push; APNs's
    /// answer decides it.
    KeyScope,
    /// The pasted device token parses as one (hex, 8 to 100 bytes), tidied if need be.
    TokenWellFormed,
    /// The token comes from the environment pushes go to, judged by how the app was built.
    TokenEnvironment,
    /// The payload and headers pass APNs's own rules (size, JSON, priority for the type).
    PayloadAccepted,
    /// What APNs accepts but iOS may not show as meant.
    PayloadOnIos,
    /// The credential is of a kind Apple takes for the push type: Live Activity and location
    /// pushes only over a token-based connection (an auth key).
    CredentialForPushType,
    /// The topic ends with the suffix the push type needs (`.voip`,
    /// `.push-type.liveactivity`, …), shown so a wrong type is seen in the topic.
    TopicSuffix,
    /// Background pushes arrive at iOS's discretion, not on every send.
    BackgroundThrottled,
    /// `apns-expiration` 0: APNs tries once and keeps nothing for an offline phone.
    TriedOnce,
    /// A collapse id: a newer push with it replaces this one on the phone.
    PushesReplaceEachOther,
    /// An accepted alert still needs the app's notifications allowed and no Focus silencing
    /// it.
    NotificationSettings,
    /// The whole way to the server, as one line when it could not be checked.
    NetworkPath,
    /// The server's name resolves.
    NameLookup,
    /// A TCP connection to the server opens.
    TcpConnection,
    /// A TCP connection to the proxy opens.
    ReachingProxy,
    /// The proxy opens its tunnel (CONNECT or SOCKS5) to the server.
    ProxyTunnel,
    /// The TLS handshake completes and the server's certificate is trusted.
    Tls,
    /// The server speaks HTTP/2 and sends its settings.
    Http2,
    /// The server accepts the client certificate or the provider token.
    CredentialAccepted,
    /// Which proxy the connections go through.
    Proxy,
    /// Proxy variables that are set but not used for this server.
    ProxySettings,
    /// Apple's other port (2197 beside 443) is reachable, to tell a firewall that blocks one.
    OtherPort,
    /// A provider token can be signed, and how old the one in use is: APNs refuses one older
    /// than an hour.
    ProviderTokenFresh,
    /// APNs's answer to a real push to the device token.
    TestPush,
    /// This computer's clock agrees with the server's: provider tokens carry their time.
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
            Check::CredentialForPushType => "Credential fits the push type",
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
    /// The part of the path it is about, which groups the checklist.
    pub area: Area,
    /// A stable machine-readable name of the cause (`certificate_expired`, `token_environment`).
    pub cause: &'static str,
    /// Whether the check passed, failed, warns, was skipped or only informs.
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
    /// The most likely cause and its fix, or why nothing could be settled.
    pub verdict: Verdict,
    /// Every check made, in the order the checklist shows them.
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
    /// The environment whose tokens an app built this way registers for.
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

    /// How the build is named in the doctor's English sentences ("an app run from Xcode").
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
    /// How the app was built, which tells the token's environment; `None`: not checked.
    pub build: Option<AppBuild>,
    /// The push type to check the payload, topic suffix and phone's handling against.
    pub push_type: PushType,
    /// The payload to send; `None`: a small alert.
    pub payload: Option<Vec<u8>>,
    /// `apns-priority` (10, 5 or 1); `None`: the push type's default.
    pub priority: Option<u8>,
    /// `apns-expiration`, Unix seconds (0 = try once).
    pub expiration: Option<i64>,
    /// `apns-collapse-id`, reported because pushes with the same id replace each other.
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
