//! What is wrong with a certificate or key file, as values: one variant per finding with the
//! facts it quotes. `Display` is the English the CLI prints; the app words each variant in its
//! own language (a new variant without a message does not compile there).

use serde::Serialize;
use serde::ser::SerializeStruct as _;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing fails.
    Info,
    /// Something will fail in some cases (soon, or in one environment).
    Warning,
    /// The credential cannot work as it is.
    Error,
}

/// One thing worth telling the user about a certificate or key file, in plain language.
// Each variant's English is its `Display` below; the fields are the facts it quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertIssue {
    /// A certificate without its private key; `in_p12` when a .p12 held only the certificate.
    NoPrivateKey {
        /// The key was missing from a .p12 (exported without it), not merely not given.
        in_p12: bool,
    },
    /// The private key is not the certificate's.
    KeyMismatch,
    /// A private key without its certificate.
    KeyOnly,
    /// A .p12 with the legacy encryption Keychain uses; `detail` names the algorithms.
    LegacyP12 {
        /// What the file is encrypted with, e.g. "RC2-40-CBC certificates, 3DES key, SHA-1
        /// MAC".
        detail: String,
    },
    /// A .p8 whose file name does not carry the key id.
    NoKeyId,
    /// Expired on `date` (YYYY-MM-DD), `days_ago` days ago.
    Expired {
        /// The day it expired (its notAfter), YYYY-MM-DD.
        date: String,
        /// Days since then.
        days_ago: i64,
    },
    /// Valid only from `date` on.
    NotYetValid {
        /// The day it becomes valid (its notBefore), YYYY-MM-DD.
        date: String,
    },
    /// Expires on `date`, in `days` days (fewer than 30).
    ExpiresSoon {
        /// The day it expires (its notAfter), YYYY-MM-DD.
        date: String,
        /// Days left until then.
        days: i64,
    },
    /// Neither of Apple's push extensions.
    NotApns,
    /// A development certificate: sandbox only.
    DevelopmentOnly,
}

impl CertIssue {
    /// How much it matters.
    pub fn severity(&self) -> Severity {
        match self {
            CertIssue::KeyMismatch
            | CertIssue::Expired { .. }
            | CertIssue::NotYetValid { .. }
            | CertIssue::NotApns => Severity::Error,
            CertIssue::NoPrivateKey { .. }
            | CertIssue::NoKeyId
            | CertIssue::ExpiresSoon { .. }
            | CertIssue::DevelopmentOnly => Severity::Warning,
            CertIssue::KeyOnly | CertIssue::LegacyP12 { .. } => Severity::Info,
        }
    }

    /// A stable machine-readable name (`expired`, `key_mismatch`), as `--json` prints it.
    pub fn code(&self) -> &'static str {
        match self {
            CertIssue::NoPrivateKey { .. } => "no_private_key",
            CertIssue::KeyMismatch => "key_mismatch",
            CertIssue::KeyOnly => "key_only",
            CertIssue::LegacyP12 { .. } => "legacy_p12",
            CertIssue::NoKeyId => "no_key_id",
            CertIssue::Expired { .. } => "expired",
            CertIssue::NotYetValid { .. } => "not_yet_valid",
            CertIssue::ExpiresSoon { .. } => "expires_soon",
            CertIssue::NotApns => "not_apns",
            CertIssue::DevelopmentOnly => "development_only",
        }
    }
}

impl std::fmt::Display for CertIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CertIssue::NoPrivateKey { in_p12: true } => f.write_str(
                "the .p12 holds only the certificate, not its private key — in Keychain Access, expand the certificate and export it together with its key",
            ),
            CertIssue::NoPrivateKey { in_p12: false } => f.write_str(
                "no private key — sending needs the key too: pair this certificate with the .p12 or key file exported from Keychain (--key)",
            ),
            CertIssue::KeyMismatch => f.write_str(
                "the private key does not belong to this certificate — export the key that was created with this certificate's signing request",
            ),
            CertIssue::KeyOnly => f.write_str(
                "a private key without its certificate — pair it with the .cer from the Apple developer portal",
            ),
            CertIssue::LegacyP12 { detail } => write!(
                f,
                "legacy encryption ({detail}), as macOS Keychain exports: OpenSSL 3 opens it only with `-legacy`; pushlab handles it"
            ),
            CertIssue::NoKeyId => f.write_str(
                "the key id is not in the file name (Apple names it AuthKey_<KEYID>.p8) — give it with --key-id; it is listed under Keys in the developer portal",
            ),
            CertIssue::Expired { date, days_ago } => write!(
                f,
                "expired on {date} ({days_ago} days ago) — create a new push certificate in the Apple developer portal"
            ),
            CertIssue::NotYetValid { date } => write!(
                f,
                "not valid until {date} — check this computer's clock, or wait"
            ),
            CertIssue::ExpiresSoon { date, days } => write!(
                f,
                "expires on {date} (in {days} days) — renew it before pushes stop"
            ),
            CertIssue::NotApns => f.write_str(
                "not an Apple Push Notification certificate (it has neither Apple push extension) — download the push certificate for your App ID from the Apple developer portal",
            ),
            CertIssue::DevelopmentOnly => f.write_str(
                "development certificate: it works only with the sandbox (apps run from Xcode); TestFlight and App Store builds need a production or \"Sandbox & Production\" certificate",
            ),
        }
    }
}

/// `{"severity", "code", "message"}`, as `pushlab cert inspect --json` has always printed it.
impl Serialize for CertIssue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("CertIssue", 3)?;
        s.serialize_field("severity", &self.severity())?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}
