use std::path::Path;

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::symm::Cipher;
use serde::{Deserialize, Serialize};

use super::{CertError, Credential, Passphrase, providers};
use crate::files::{self, WriteOptions};

/// What `pushlab cert convert` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Certificate then private key in one PEM (`ck.pem`), as PHP, Ruby and Node providers want.
    Pem,
    /// The certificate alone (`cert.pem`).
    CertPem,
    /// The private key alone (`key.pem`).
    KeyPem,
    /// PKCS#12 with AES-256 and a SHA-256 MAC.
    P12,
    /// PKCS#12 with RC2-40/3DES and a SHA-1 MAC, for old Keychains that refuse AES.
    P12Legacy,
}

impl ExportFormat {
    /// Whether the output holds a private key (and so must be owner-only).
    pub fn contains_key(self) -> bool {
        !matches!(self, ExportFormat::CertPem)
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::P12 | ExportFormat::P12Legacy => "p12",
            _ => "pem",
        }
    }
}

impl Credential {
    /// Encodes the credential. `passphrase` encrypts the key in PEM output (PKCS#8,
    /// AES-256-CBC) and protects `.p12` output (empty when `None`).
    pub fn export(
        &self,
        format: ExportFormat,
        passphrase: Option<&Passphrase>,
    ) -> Result<Vec<u8>, CertError> {
        let cert_pem = || {
            self.certificate
                .to_pem()
                .map_err(|e| CertError::openssl("writing the certificate", e))
        };
        let key_pem = || -> Result<Vec<u8>, CertError> {
            let key = self.require_key()?;
            match passphrase.filter(|p| !p.expose().is_empty()) {
                Some(p) => key.private_key_to_pem_pkcs8_passphrase(
                    Cipher::aes_256_cbc(),
                    p.expose().as_bytes(),
                ),
                None => key.private_key_to_pem_pkcs8(),
            }
            .map_err(|e| CertError::openssl("writing the private key", e))
        };
        match format {
            ExportFormat::CertPem => cert_pem(),
            ExportFormat::KeyPem => key_pem(),
            ExportFormat::Pem => {
                let mut out = cert_pem()?;
                out.extend(key_pem()?);
                Ok(out)
            }
            ExportFormat::P12 | ExportFormat::P12Legacy => self.to_p12(
                format == ExportFormat::P12Legacy,
                passphrase.map_or("", Passphrase::expose),
            ),
        }
    }

    fn to_p12(&self, legacy: bool, pass: &str) -> Result<Vec<u8>, CertError> {
        if pass.contains('\0') {
            return Err(CertError::PassphraseHasNul {
                name: "the new .p12".to_owned(),
            });
        }
        let key = self.require_key()?;
        let mut builder = Pkcs12::builder();
        builder.pkey(key).cert(&self.certificate);
        if let Some(name) = self.friendly_name() {
            builder.name(&name);
        }
        if !self.chain.is_empty() {
            let mut stack = openssl::stack::Stack::new()
                .map_err(|e| CertError::openssl("building the .p12", e))?;
            for c in &self.chain {
                stack
                    .push(c.clone())
                    .map_err(|e| CertError::openssl("building the .p12", e))?;
            }
            builder.ca(stack);
        }
        if legacy {
            providers::ensure_legacy_provider().map_err(|detail| {
                CertError::LegacyProviderMissing {
                    name: "the legacy .p12".to_owned(),
                    detail,
                }
            })?;
            builder
                .key_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
                .cert_algorithm(Nid::PBE_WITHSHA1AND40BITRC2_CBC)
                .mac_md(MessageDigest::sha1());
        } else {
            builder
                .key_algorithm(Nid::AES_256_CBC)
                .cert_algorithm(Nid::AES_256_CBC)
                .mac_md(MessageDigest::sha256());
        }
        builder
            .build2(pass)
            .and_then(|p| p.to_der())
            .map_err(|e| CertError::openssl("building the .p12", e))
    }

    /// Keychain shows a `.p12` by its friendly name: use the certificate's common name.
    fn friendly_name(&self) -> Option<String> {
        self.certificate
            .subject_name()
            .entries_by_nid(Nid::COMMONNAME)
            .next()
            .and_then(|e| e.data().to_string().ok())
    }
}

/// Writes `bytes` to `path` through [`crate::files`]: files holding a key are owner-only (0600
/// on Unix) before any byte is written, and an existing file is replaced only when `overwrite`
/// is set — in one rename once the new file is complete, so a crash or a full disk never loses
/// the old key.
pub fn write_secret_file(
    path: &Path,
    bytes: &[u8],
    secret: bool,
    overwrite: bool,
) -> Result<(), CertError> {
    files::write_file(path, bytes, WriteOptions { overwrite, secret }).map_err(CertError::from)
}
