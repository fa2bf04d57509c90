//! Why a credential file could not be read or written, in the app's language: one arm per
//! [`CertError`] variant (the match keeps the list complete), worded for the app's controls
//! where the library's English names the CLI's options.

use super::msg;
use crate::cert::{CertError, SubjectError};

/// The sentence for `e`.
pub fn cert_error(e: &CertError) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match e {
        CertError::NotFound { path: p } => msg::cert_error_not_found(path(p)),
        CertError::IsDirectory { path: p } => msg::cert_error_is_directory(path(p)),
        CertError::NotAFile { path: p } => msg::cert_error_not_a_file(path(p)),
        CertError::Io { path: p, source } => msg::cert_error_io(source.to_string(), path(p)),
        CertError::Empty { name } => msg::cert_error_empty(name.as_str()),
        CertError::TooLarge { name, size } => msg::cert_error_too_large(name.as_str(), *size),
        CertError::Unrecognised { name } => msg::cert_error_unrecognised(name.as_str()),
        CertError::CorruptP12 { name } => msg::cert_error_corrupt_p12(name.as_str()),
        CertError::TooManyIterations {
            name,
            iterations,
            limit,
        } => msg::cert_error_too_many_iterations(*iterations, *limit, name.as_str()),
        CertError::CorruptCertificate { name } => {
            msg::cert_error_corrupt_certificate(name.as_str())
        }
        CertError::CorruptPem {
            name,
            label,
            detail,
        } => msg::cert_error_corrupt_pem(detail.as_str(), label.as_str(), name.as_str()),
        CertError::PassphraseRequired { name } => {
            msg::cert_error_passphrase_required(name.as_str())
        }
        CertError::WrongPassphrase { name } => msg::cert_error_wrong_passphrase(name.as_str()),
        CertError::PassphraseHasNul { name } => msg::cert_error_passphrase_has_nul(name.as_str()),
        CertError::LegacyProviderMissing { name, detail } => {
            msg::cert_error_legacy_provider_missing(detail.as_str(), name.as_str())
        }
        // The hint is the library's (it depends on what the file held instead).
        CertError::NoCertificate { name, hint } => {
            msg::cert_error_no_certificate(hint.as_str(), name.as_str())
        }
        CertError::NoPrivateKey { name } => msg::cert_error_no_private_key(name.as_str()),
        CertError::NotAnAuthKey { name, found } => {
            use crate::cert::AuthKeyFound;
            let (found, kind) = match found {
                AuthKeyFound::NoKey => ("none", ""),
                AuthKeyFound::OtherKey { kind } => ("other", kind.as_str()),
                AuthKeyFound::WithCertificates => ("certificates", ""),
            };
            msg::cert_error_not_an_auth_key(found, kind, name.as_str())
        }
        CertError::KeyMismatch { cert, key } => {
            msg::cert_error_key_mismatch(cert.as_str(), key.as_str())
        }
        CertError::AlreadyExists { path: p } => msg::cert_error_already_exists(path(p)),
        // A file system error while writing: the system's words.
        CertError::Output(e) => e.to_string(),
        CertError::OpenSsl { action, detail } => msg::cert_error_openssl(*action, detail.as_str()),
    }
}

/// Why a certificate signing request's subject was refused.
pub fn subject_error(e: &SubjectError) -> String {
    match e {
        SubjectError::NoEmail => msg::csr_subject_no_email(),
        SubjectError::NotAnEmail { email } => msg::csr_subject_not_an_email(email.as_str()),
        SubjectError::NoCommonName => msg::csr_subject_no_common_name(),
        SubjectError::CommonNameTooLong { limit } => msg::csr_subject_name_too_long(*limit),
        SubjectError::NotACountry { code } => msg::csr_subject_not_a_country(code.as_str()),
    }
}
