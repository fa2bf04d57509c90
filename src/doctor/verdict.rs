//! The one sentence at the top of a diagnosis: the most likely cause and its fix.

use serde::Serialize;

use super::{CAUSE_ORDER, Evidence, Finding, FixSaid, Status};

/// The verdict over the findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The deciding finding's cause code; `delivered` when APNs accepted the test push,
    /// `none_found` when nothing failed and nothing was settled.
    pub cause: &'static str,
    /// Serialized as its English.
    pub sentence: VerdictSentence,
    /// The deciding finding's fix in English; `None` when nothing failed.
    pub fix: Option<String>,
    /// `fix` as data.
    #[serde(skip)]
    pub fix_said: Option<FixSaid>,
}

/// What the verdict says. `Display` is the English (and `--json`'s `sentence`); the app words
/// each variant in its own language. The evidence it quotes is a finding's, in English and as
/// data, as the finding has it.
#[derive(Debug, Clone, PartialEq)]
pub enum VerdictSentence {
    /// The worst failed check is the most likely cause.
    Cause {
        /// The failed finding's evidence in English.
        evidence: String,
        /// The same evidence as data, for fronts in other languages.
        evidence_value: Evidence,
    },
    /// APNs accepted the test push.
    Delivered {
        /// The test push's evidence in English: the server that accepted it and the apns-id.
        evidence: String,
        /// The same evidence as data, for fronts in other languages.
        evidence_value: Evidence,
    },
    /// Nothing found, and no credential given to go further.
    NoneFoundNoCredential,
    /// Nothing found, and no device token given to send a test push.
    NoneFound,
    /// Nothing found, and the test push was not sent.
    NoneFoundNotSent,
}

impl std::fmt::Display for VerdictSentence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerdictSentence::Cause { evidence, .. } => {
                write!(f, "Most likely cause: {}", sentence_case(evidence))
            }
            VerdictSentence::Delivered { evidence, .. } => write!(
                f,
                "APNs accepted the push ({evidence}). If the phone does not show it, the cause is on the phone: see \"On the phone\" below."
            ),
            VerdictSentence::NoneFoundNoCredential => f.write_str(
                "No problem found in what could be checked without a credential; give one (--cert FILE, or --auth-key FILE --key-id ID --team-id ID) to check the server and send a test push, which settles it.",
            ),
            VerdictSentence::NoneFound => f.write_str(
                "No problem found in what could be checked; give a device token to send a test push, which settles it.",
            ),
            VerdictSentence::NoneFoundNotSent => f.write_str(
                "No problem found in what could be checked; the test push was not sent (--no-send): send it to settle it.",
            ),
        }
    }
}

impl Serialize for VerdictSentence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

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
            sentence: VerdictSentence::Cause {
                evidence: worst.evidence.clone(),
                evidence_value: worst.evidence_value.clone(),
            },
            fix: worst.fix.clone(),
            fix_said: worst.fix_said.clone(),
        };
    }
    if let Some(sent) = findings
        .iter()
        .find(|f| f.cause == "delivered" && f.status == Status::Passed)
    {
        return Verdict {
            cause: "delivered",
            sentence: VerdictSentence::Delivered {
                evidence: sent.evidence.clone(),
                evidence_value: sent.evidence_value.clone(),
            },
            fix: None,
            fix_said: None,
        };
    }
    // What kept the doctor from settling it: the first input missing, never one it was given.
    let missing = |cause: &str| findings.iter().any(|f| f.cause == cause);
    let sentence = if missing("credential_missing") {
        VerdictSentence::NoneFoundNoCredential
    } else if missing("token_missing") {
        VerdictSentence::NoneFound
    } else {
        VerdictSentence::NoneFoundNotSent
    };
    Verdict {
        cause: "none_found",
        sentence,
        fix: None,
        fix_said: None,
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
