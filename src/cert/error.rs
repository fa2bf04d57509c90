use std::path::PathBuf;

use crate::files::FileError;

/// Why a credential file could not be read or written. Each variant's message says what is
/// wrong and what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// No file at the path.
    #[error("{path}: no such file — check the path")]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The path is a folder.
    #[error("{path} is a directory — pick the certificate or key file inside it")]
    IsDirectory {
        /// The path given.
        path: PathBuf,
    },
    /// The path is a pipe, a device or a socket.
    #[error(
        "{path} is not a regular file (a pipe, a device or a socket) — save the credential to a file and give that"
    )]
    NotAFile {
        /// The path given.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("{path}: could not be read ({source})")]
    Io {
        /// The path given.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file is 0 bytes.
    #[error("{name} is empty (0 bytes) — download or export it again")]
    Empty {
        /// The file's name.
        name: String,
    },
    /// The file is larger than any credential could be.
    #[error(
        "{name} is {size} bytes, far larger than any certificate or key (a few KB): it is not a credential file"
    )]
    TooLarge {
        /// The file's name.
        name: String,
        /// Its size, in bytes.
        size: u64,
    },
    /// The file is none of the formats pushlab reads.
    #[error(
        "{name} is not a certificate, private key or PKCS#12 file — expected a .cer/.der (DER), .pem, .p12/.pfx or .p8"
    )]
    Unrecognised {
        /// The file's name.
        name: String,
    },
    /// A PKCS#12 file that does not parse.
    #[error(
        "{name} looks like a PKCS#12 (.p12) file but is truncated or corrupt — export it from Keychain again"
    )]
    CorruptP12 {
        /// The file's name.
        name: String,
    },
    /// A PKCS#12 file asks for more key-derivation iterations than pushlab allows.
    #[error(
        "{name} asks for {iterations} key-derivation iterations, more than the {limit} pushlab allows (Keychain and OpenSSL write about 2,000; a count this high keeps the CPU busy for minutes per passphrase try) — export it again"
    )]
    TooManyIterations {
        /// The file's name.
        name: String,
        /// The iterations it asks for.
        iterations: u64,
        /// The most pushlab allows.
        limit: u64,
    },
    /// A DER certificate that does not parse.
    #[error(
        "{name} looks like a DER certificate but is truncated or corrupt — download the .cer again"
    )]
    CorruptCertificate {
        /// The file's name.
        name: String,
    },
    /// A PEM block that does not decode or parse.
    #[error(
        "{name}: the PEM block \"{label}\" is damaged ({detail}) — the file may have been cut or edited"
    )]
    CorruptPem {
        /// The file's name.
        name: String,
        /// The block's label, e.g. "CERTIFICATE".
        label: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The file is encrypted and no passphrase was given.
    #[error(
        "{name} is protected by a passphrase — supply it (for a .p12, the one chosen when exporting from Keychain)"
    )]
    PassphraseRequired {
        /// The file's name.
        name: String,
    },
    /// The passphrase does not open the file.
    #[error(
        "wrong passphrase for {name} — for a .p12 it is the one chosen when exporting from Keychain; for an encrypted key, the PEM pass phrase"
    )]
    WrongPassphrase {
        /// The file's name.
        name: String,
    },
    /// The passphrase holds a NUL character.
    #[error(
        "the passphrase for {name} contains a NUL character (\\0), which no .p12 passphrase can hold — type it again without it (a file given with --password-file is read up to its first line end)"
    )]
    PassphraseHasNul {
        /// The file's name.
        name: String,
    },
    /// The file needs OpenSSL's legacy provider (RC2-40, 3DES), which did not load.
    #[error(
        "{name} uses legacy encryption (RC2-40/3DES, as macOS Keychain exports) and OpenSSL's legacy provider could not be loaded ({detail}). Install the OpenSSL 3 legacy module (Debian/Ubuntu: libssl3 ships ossl-modules/legacy.so) or point OPENSSL_MODULES at its folder"
    )]
    LegacyProviderMissing {
        /// The file's name.
        name: String,
        /// OpenSSL's error, as text.
        detail: String,
    },
    /// The files hold no certificate.
    #[error("{name} holds no certificate{hint}")]
    NoCertificate {
        /// The main file's name.
        name: String,
        /// What the file is instead, as a clause starting " — ", or empty.
        hint: String,
    },
    /// The files hold no private key where one is needed.
    #[error(
        "{name} holds no private key — add the key with --key (for example the .p12 exported from Keychain)"
    )]
    NoPrivateKey {
        /// The file's name.
        name: String,
    },
    /// A file given as an auth key that is not one EC P-256 key alone.
    #[error(
        "{name} {found}, but an APNs auth key (.p8) is one EC P-256 key alone — download the key again from the Apple developer portal (Keys)"
    )]
    NotAnAuthKey {
        /// The file's name.
        name: String,
        /// What the file holds instead.
        found: AuthKeyFound,
    },
    /// The private key is not the certificate's.
    #[error(
        "the private key in {key} does not belong to the certificate in {cert} — pick the key exported with this certificate"
    )]
    KeyMismatch {
        /// The certificate file's name.
        cert: String,
        /// The key file's name.
        key: String,
    },
    /// The output exists and replacing it was not allowed.
    #[error("{path} exists: pass --force to replace it, or choose another name")]
    AlreadyExists {
        /// The output's path.
        path: PathBuf,
    },
    /// Writing the output failed, it is a folder, or it would have replaced one of the inputs.
    #[error(transparent)]
    Output(FileError),
    /// OpenSSL failed at a step.
    #[error("OpenSSL failed while {action}: {detail}")]
    OpenSsl {
        /// What was being done.
        action: &'static str,
        /// OpenSSL's error, as text.
        detail: String,
    },
}

impl From<FileError> for CertError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::Exists { path } => CertError::AlreadyExists { path },
            other => CertError::Output(other),
        }
    }
}

/// What a file given as an auth key holds instead of one EC P-256 key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKeyFound {
    /// No private key at all.
    NoKey,
    /// A key of another kind.
    OtherKey {
        /// The kind, e.g. "RSA 2048".
        kind: String,
    },
    /// An EC P-256 key, but with certificates: a certificate's key, not an auth key.
    WithCertificates,
}

impl std::fmt::Display for AuthKeyFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthKeyFound::NoKey => f.write_str("holds no private key"),
            AuthKeyFound::OtherKey { kind } => write!(f, "holds a {kind} key"),
            AuthKeyFound::WithCertificates => {
                f.write_str("holds certificates besides its EC P-256 key")
            }
        }
    }
}

impl CertError {
    pub(crate) fn openssl(action: &'static str, err: impl std::fmt::Display) -> Self {
        CertError::OpenSsl {
            action,
            detail: err.to_string(),
        }
    }
}

impl CertError {
    /// A stable machine-readable name for the error, used in `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            CertError::NotFound { .. } => "not_found",
            CertError::IsDirectory { .. } => "is_directory",
            CertError::NotAFile { .. } => "not_a_file",
            CertError::Io { .. } => "io",
            CertError::Empty { .. } => "empty",
            CertError::TooLarge { .. } => "too_large",
            CertError::Unrecognised { .. } => "unrecognised",
            CertError::CorruptP12 { .. } => "corrupt_p12",
            CertError::TooManyIterations { .. } => "too_many_iterations",
            CertError::CorruptCertificate { .. } => "corrupt_certificate",
            CertError::CorruptPem { .. } => "corrupt_pem",
            CertError::PassphraseRequired { .. } => "passphrase_required",
            CertError::WrongPassphrase { .. } => "wrong_passphrase",
            CertError::PassphraseHasNul { .. } => "passphrase_has_nul",
            CertError::LegacyProviderMissing { .. } => "legacy_provider_missing",
            CertError::NoCertificate { .. } => "no_certificate",
            CertError::NoPrivateKey { .. } => "no_private_key",
            CertError::NotAnAuthKey { .. } => "not_an_auth_key",
            CertError::KeyMismatch { .. } => "key_mismatch",
            CertError::AlreadyExists { .. } => "already_exists",
            CertError::Output(FileError::SameAsInput { .. }) => "same_as_input",
            CertError::Output(_) => "write_failed",
            CertError::OpenSsl { .. } => "openssl",
        }
    }

    /// Whether the input was readable but the credential is wrong (exit 1), rather than
    /// unreadable (exit 2).
    pub fn is_credential_problem(&self) -> bool {
        matches!(
            self,
            CertError::KeyMismatch { .. } | CertError::NoPrivateKey { .. }
        )
    }
}
