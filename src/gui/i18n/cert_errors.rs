//! Why a credential file could not be read or written, in the app's language: one arm per
//! [`CertError`] variant (the match keeps the list complete), worded for the app's controls
//! where the library's English names the CLI's options.

use super::tr_with;
use crate::cert::CertError;

/// The sentence for `e`.
pub fn cert_error(e: &CertError) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match e {
        CertError::NotFound { path: p } => {
            tr_with("cert-error-not-found", &[("path", path(p).into())])
        }
        CertError::IsDirectory { path: p } => {
            tr_with("cert-error-is-directory", &[("path", path(p).into())])
        }
        CertError::NotAFile { path: p } => {
            tr_with("cert-error-not-a-file", &[("path", path(p).into())])
        }
        CertError::Io { path: p, source } => tr_with(
            "cert-error-io",
            &[
                ("path", path(p).into()),
                ("error", source.to_string().into()),
            ],
        ),
        CertError::Empty { name } => tr_with("cert-error-empty", &[("name", name.as_str().into())]),
        CertError::TooLarge { name, size } => tr_with(
            "cert-error-too-large",
            &[("name", name.as_str().into()), ("size", (*size).into())],
        ),
        CertError::Unrecognised { name } => {
            tr_with("cert-error-unrecognised", &[("name", name.as_str().into())])
        }
        CertError::CorruptP12 { name } => {
            tr_with("cert-error-corrupt-p12", &[("name", name.as_str().into())])
        }
        CertError::TooManyIterations {
            name,
            iterations,
            limit,
        } => tr_with(
            "cert-error-too-many-iterations",
            &[
                ("name", name.as_str().into()),
                ("iterations", (*iterations).into()),
                ("limit", (*limit).into()),
            ],
        ),
        CertError::CorruptCertificate { name } => tr_with(
            "cert-error-corrupt-certificate",
            &[("name", name.as_str().into())],
        ),
        CertError::CorruptPem {
            name,
            label,
            detail,
        } => tr_with(
            "cert-error-corrupt-pem",
            &[
                ("name", name.as_str().into()),
                ("label", label.as_str().into()),
                ("detail", detail.as_str().into()),
            ],
        ),
        CertError::PassphraseRequired { name } => tr_with(
            "cert-error-passphrase-required",
            &[("name", name.as_str().into())],
        ),
        CertError::WrongPassphrase { name } => tr_with(
            "cert-error-wrong-passphrase",
            &[("name", name.as_str().into())],
        ),
        CertError::PassphraseHasNul { name } => tr_with(
            "cert-error-passphrase-has-nul",
            &[("name", name.as_str().into())],
        ),
        CertError::LegacyProviderMissing { name, detail } => tr_with(
            "cert-error-legacy-provider-missing",
            &[
                ("name", name.as_str().into()),
                ("detail", detail.as_str().into()),
            ],
        ),
        // The hint is the library's (it depends on what the file held instead).
        CertError::NoCertificate { name, hint } => tr_with(
            "cert-error-no-certificate",
            &[
                ("name", name.as_str().into()),
                ("hint", hint.as_str().into()),
            ],
        ),
        CertError::NoPrivateKey { name } => tr_with(
            "cert-error-no-private-key",
            &[("name", name.as_str().into())],
        ),
        CertError::NotAnAuthKey { name, found } => tr_with(
            "cert-error-not-an-auth-key",
            &[
                ("name", name.as_str().into()),
                ("found", found.as_str().into()),
            ],
        ),
        CertError::KeyMismatch { cert, key } => tr_with(
            "cert-error-key-mismatch",
            &[("cert", cert.as_str().into()), ("key", key.as_str().into())],
        ),
        CertError::AlreadyExists { path: p } => {
            tr_with("cert-error-already-exists", &[("path", path(p).into())])
        }
        // A file system error while writing: the system's words.
        CertError::Output(e) => e.to_string(),
        CertError::OpenSsl { action, detail } => tr_with(
            "cert-error-openssl",
            &[
                ("action", (*action).into()),
                ("detail", detail.as_str().into()),
            ],
        ),
    }
}
