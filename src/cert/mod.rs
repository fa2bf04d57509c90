//! The certificate workbench: import every credential an APNs provider uses, inspect it, and
//! export it the way the classic `openssl` steps would.
//!
//! Files are recognised by content: a `.cer` that is really PEM, or a `.p12` renamed `.cer`,
//! opens all the same.

mod apple;
mod authority;
mod credential;
mod error;
mod export;
mod import;
mod inspect;
mod issue;
mod p12_cost;
mod providers;
mod report;
mod request;
mod test_key;

pub use apple::{
    CertEnvironment, OID_APNS_DEVELOPMENT, OID_APNS_PRODUCTION, OID_APNS_TOPICS, encode_topics,
    parse_topics,
};
pub use authority::{CertificateAuthority, PushCertificateSpec};
pub use credential::{AuthKey, Credential};
pub use error::{AuthKeyFound, CertError};
pub use export::{ExportFormat, write_secret_file};
pub use import::{
    FileKind, LoadedFile, MAX_FILE_SIZE, P12Encryption, P12Info, key_id_from_file_name, load_bytes,
    load_file, p12_info,
};
pub use inspect::{Inspection, inspect};
pub use issue::{CertIssue, Severity};
pub use p12_cost::{MAX_P12_ITERATIONS, p12_iterations};
pub use providers::ensure_legacy_provider;
pub use report::{
    AuthKeyReport, CertificateReport, NameFields, describe_key, is_p256, key_matches, pick_leaf,
};
pub use request::{
    COMMON_NAME_LIMIT, NEXT_STEP, RequestSubject, SigningRequest, SubjectError, WaitingKey,
    WaitingKeyInfo, WaitingKeys,
};
pub use test_key::{TEST_TEAM_ID, TestAuthKey};

/// A passphrase held in memory only. Its `Debug` output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(String);

impl Passphrase {
    /// Holds this passphrase.
    pub fn new(value: impl Into<String>) -> Self {
        Passphrase(value.into())
    }

    /// The secret itself, for handing to OpenSSL.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}
