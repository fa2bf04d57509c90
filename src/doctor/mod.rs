//! The doctor: "why doesn't my push arrive?" answered from what the user has (a credential, a
//! bundle id, a device token, how the app was built), by walking every cause pushlab knows,
//! offline first and then against the server, and naming the most likely one with its fix.
//!
//! Each check is one [`Finding`] with a stable `cause` code; the [`Verdict`] is the failed
//! finding whose cause is most fundamental (an unreadable credential hides everything after
//! it; a bad payload matters only once the connection works). Things APNs accepts but a phone
//! may still not show are [`Status::Info`], never a pass.

mod offline;
mod online;

use serde::Serialize;

pub use online::{Probes, diagnose_online};

use crate::apns::PushType;
use crate::cert::Environment;
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
}

impl Finding {
    fn new(area: Area, cause: &'static str, status: Status, title: &str, evidence: String) -> Self {
        Finding {
            area,
            cause,
            status,
            title: title.to_owned(),
            evidence,
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// The one sentence at the top: the most likely cause and its fix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub cause: &'static str,
    pub sentence: String,
    pub fix: Option<String>,
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

/// The verdict over the findings.
pub fn verdict(findings: &[Finding]) -> Verdict {
    let rank = |f: &Finding| {
        CAUSE_ORDER
            .iter()
            .position(|c| *c == f.cause)
            .unwrap_or(CAUSE_ORDER.len())
    };
    if let Some(worst) = findings
        .iter()
        .filter(|f| f.status == Status::Failed)
        .min_by_key(|f| rank(f))
    {
        return Verdict {
            cause: worst.cause,
            sentence: format!("Most likely cause: {}", sentence_case(&worst.evidence)),
            fix: worst.fix.clone(),
        };
    }
    if let Some(sent) = findings
        .iter()
        .find(|f| f.cause == "delivered" && f.status == Status::Passed)
    {
        return Verdict {
            cause: "delivered",
            sentence: format!(
                "APNs accepted the push ({}). If the phone does not show it, the cause is on the phone: see \"On the phone\" below.",
                sent.evidence
            ),
            fix: None,
        };
    }
    Verdict {
        cause: "none_found",
        sentence: "No problem found in what could be checked; give a device token to send a test push, which settles it.".to_owned(),
        fix: None,
    }
}

/// Lower-cases the first letter to follow "Most likely cause:", unless it starts a name
/// ("APNs").
fn sentence_case(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.clone().next()) {
        (Some(c), Some(next)) if !next.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}
