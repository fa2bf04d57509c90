//! Reading credential files by what they contain, not by what they are called.

use std::cell::Cell;
use std::path::Path;

use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;
use serde::Serialize;

use super::{AuthKeyFound, CertError, Passphrase, providers};
use crate::der;

/// Credential files are a few KB; anything this large is something else.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// What a file turned out to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// One or more certificates, no key.
    Certificate,
    /// A certificate together with its private key (a `.p12`, or a combined PEM).
    Identity,
    /// A private key on its own.
    PrivateKey,
    /// An APNs auth key (`.p8`) for token-based connections.
    AuthKey,
}

/// How a `.p12` file is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum P12Encryption {
    /// PBES2 / AES-256-CBC, as OpenSSL 3 and current tools write.
    Modern,
    /// RC2-40 and/or 3DES with a SHA-1 MAC, as macOS Keychain exports; needs OpenSSL's legacy
    /// provider.
    Legacy,
}

/// Details of a `.p12` file's encryption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct P12Info {
    /// Modern (AES) or legacy (RC2-40, 3DES) encryption.
    pub encryption: P12Encryption,
    /// e.g. "RC2-40-CBC certificates, 3DES key, SHA-1 MAC".
    pub detail: String,
}

/// The content of one credential file.
#[derive(Clone)]
pub struct LoadedFile {
    /// The file name, for messages.
    pub name: String,
    /// What the file is: certificate, private key, PKCS#12 or auth key.
    pub kind: FileKind,
    /// Present for PKCS#12 files.
    pub p12: Option<P12Info>,
    /// The certificates, in file order.
    pub certificates: Vec<X509>,
    /// The private key, when the file holds one.
    pub private_key: Option<PKey<Private>>,
    /// The key id of an auth key, from a file name `AuthKey_<KEYID>.p8`.
    pub key_id: Option<String>,
}

impl std::fmt::Debug for LoadedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedFile")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("p12", &self.p12)
            .field("certificates", &self.certificates.len())
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "<redacted>"),
            )
            .field("key_id", &self.key_id)
            .finish()
    }
}

/// Reads a credential file from disk. `passphrase` is used only if the file needs one; an
/// unprotected `.p12` (empty passphrase) opens without it.
pub fn load_file(path: &Path, passphrase: Option<&Passphrase>) -> Result<LoadedFile, CertError> {
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => CertError::NotFound {
            path: path.to_owned(),
        },
        _ => CertError::Io {
            path: path.to_owned(),
            source,
        },
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    if meta.is_dir() {
        return Err(CertError::IsDirectory {
            path: path.to_owned(),
        });
    }
    // A FIFO would block the open, and /dev/zero never ends: only regular files are read.
    if !meta.is_file() {
        return Err(CertError::NotAFile {
            path: path.to_owned(),
        });
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(CertError::TooLarge {
            name,
            size: meta.len(),
        });
    }
    // The size can change after the look: read at most one byte past the limit, whatever the
    // metadata said.
    let io = |source| CertError::Io {
        path: path.to_owned(),
        source,
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).map_err(io)?, MAX_FILE_SIZE + 1),
        &mut bytes,
    )
    .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(CertError::TooLarge {
            name,
            size: bytes.len() as u64,
        });
    }
    load_bytes(&name, &bytes, passphrase)
}

/// Reads a credential from memory; `name` is the file name, used in messages and to find an
/// auth key's key id.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    passphrase: Option<&Passphrase>,
) -> Result<LoadedFile, CertError> {
    let name = name.to_owned();
    if bytes.is_empty() {
        return Err(CertError::Empty { name });
    }
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(CertError::TooLarge {
            name,
            size: bytes.len() as u64,
        });
    }
    let wants_auth_key = is_auth_key_name(&name);
    let loaded = if let Some(text) = pem_text(bytes) {
        load_pem(name, text, passphrase)?
    } else if looks_like_p12(bytes) {
        load_p12(name, bytes, passphrase)?
    } else if let Ok(cert) = X509::from_der(bytes) {
        loaded(name, FileKind::Certificate, vec![cert], None)
    } else if let Ok(key) = PKey::private_key_from_der(bytes) {
        loaded(name, FileKind::PrivateKey, Vec::new(), Some(key))
    } else if looks_like_der_certificate(bytes) {
        return Err(CertError::CorruptCertificate { name });
    } else {
        return Err(CertError::Unrecognised { name });
    };
    if wants_auth_key {
        into_auth_key(loaded)
    } else {
        Ok(loaded)
    }
}

fn loaded(
    name: String,
    kind: FileKind,
    certificates: Vec<X509>,
    private_key: Option<PKey<Private>>,
) -> LoadedFile {
    LoadedFile {
        name,
        kind,
        p12: None,
        certificates,
        private_key,
        key_id: None,
    }
}

fn is_auth_key_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".p8") || lower.starts_with("authkey_")
}

/// The key id in a file name such as `AuthKey_ABC123DEFG.p8`.
pub fn key_id_from_file_name(name: &str) -> Option<String> {
    let rest = name.strip_prefix("AuthKey_")?;
    let id = rest.split('.').next()?;
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())).then(|| id.to_owned())
}

fn into_auth_key(mut file: LoadedFile) -> Result<LoadedFile, CertError> {
    let Some(key) = &file.private_key else {
        return Err(CertError::NotAnAuthKey {
            name: file.name,
            found: AuthKeyFound::NoKey,
        });
    };
    let found = if !super::report::is_p256(key) {
        Some(AuthKeyFound::OtherKey {
            kind: super::report::describe_key(key),
        })
    } else if !file.certificates.is_empty() {
        Some(AuthKeyFound::WithCertificates)
    } else {
        None
    };
    if let Some(found) = found {
        return Err(CertError::NotAnAuthKey {
            name: file.name,
            found,
        });
    }
    file.kind = FileKind::AuthKey;
    file.key_id = key_id_from_file_name(&file.name);
    Ok(file)
}

/// The file as text, if it is PEM (possibly with a byte-order mark or leading notes, such as
/// the "Bag Attributes" lines `openssl pkcs12` writes).
fn pem_text(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.contains("-----BEGIN ").then_some(text)
}

struct PemBlock<'a> {
    label: &'a str,
    /// The whole block, BEGIN and END lines included.
    text: &'a str,
}

fn pem_blocks(text: &str) -> Result<Vec<PemBlock<'_>>, String> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let Some(label_end) = after.find("-----") else {
            return Err("a BEGIN line is not closed".to_owned());
        };
        let label = &after[..label_end];
        let end_marker = format!("-----END {label}-----");
        let Some(end) = rest[start..].find(&end_marker) else {
            return Err(format!("\"{label}\" has no END line"));
        };
        let block_end = start + end + end_marker.len();
        blocks.push(PemBlock {
            label,
            text: &rest[start..block_end],
        });
        rest = &rest[block_end..];
    }
    Ok(blocks)
}

fn load_pem(
    name: String,
    text: &str,
    passphrase: Option<&Passphrase>,
) -> Result<LoadedFile, CertError> {
    let blocks = pem_blocks(text).map_err(|detail| CertError::CorruptPem {
        name: name.clone(),
        label: "PEM".to_owned(),
        detail,
    })?;
    let mut certificates = Vec::new();
    let mut key = None;
    let mut saw_csr = false;
    for block in blocks {
        let corrupt = |e: openssl::error::ErrorStack| CertError::CorruptPem {
            name: name.clone(),
            label: block.label.to_owned(),
            detail: first_reason(&e),
        };
        match block.label {
            "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => {
                certificates.push(X509::from_pem(block.text.as_bytes()).map_err(corrupt)?);
            }
            "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY"
                if key.is_none() =>
            {
                key = Some(pem_private_key(&name, block.text, passphrase)?);
            }
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => saw_csr = true,
            _ => {}
        }
    }
    let kind = match (certificates.is_empty(), key.is_some()) {
        (false, true) => FileKind::Identity,
        (false, false) => FileKind::Certificate,
        (true, true) => FileKind::PrivateKey,
        (true, false) if saw_csr => {
            return Err(CertError::NoCertificate {
                name,
                hint: " — it is a certificate signing request: upload it to the Apple developer portal to get the push certificate (.cer)".to_owned(),
            });
        }
        (true, false) => return Err(CertError::Unrecognised { name }),
    };
    Ok(loaded(name, kind, certificates, key))
}

fn pem_private_key(
    name: &str,
    block: &str,
    passphrase: Option<&Passphrase>,
) -> Result<PKey<Private>, CertError> {
    let asked = Cell::new(false);
    let result = PKey::private_key_from_pem_callback(block.as_bytes(), |buf| {
        asked.set(true);
        let Some(pass) = passphrase else {
            return Ok(0);
        };
        let bytes = pass.expose().as_bytes();
        if bytes.len() > buf.len() {
            return Ok(0);
        }
        buf[..bytes.len()].copy_from_slice(bytes);
        Ok(bytes.len())
    });
    match result {
        Ok(key) => Ok(key),
        Err(_) if asked.get() && passphrase.is_none_or(|p| p.expose().is_empty()) => {
            Err(CertError::PassphraseRequired {
                name: name.to_owned(),
            })
        }
        Err(_) if asked.get() => Err(CertError::WrongPassphrase {
            name: name.to_owned(),
        }),
        Err(e) => Err(CertError::CorruptPem {
            name: name.to_owned(),
            label: "PRIVATE KEY".to_owned(),
            detail: first_reason(&e),
        }),
    }
}

/// A PFX starts with SEQUENCE { INTEGER 3, … }: enough to tell a truncated `.p12` from noise.
fn looks_like_p12(bytes: &[u8]) -> bool {
    after_sequence_header(bytes).is_some_and(|inner| inner.starts_with(&[0x02, 0x01, 0x03]))
}

/// A certificate starts with SEQUENCE { SEQUENCE { [0] version … } … }.
fn looks_like_der_certificate(bytes: &[u8]) -> bool {
    after_sequence_header(bytes)
        .and_then(after_sequence_header)
        .is_some_and(|inner| inner.first() == Some(&0xa0))
}

fn after_sequence_header(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.first() != Some(&der::TAG_SEQUENCE) {
        return None;
    }
    let first = *bytes.get(1)?;
    let header = if first < 0x80 {
        2
    } else {
        2 + usize::from(first & 0x7f)
    };
    bytes.get(header..)
}

fn load_p12(
    name: String,
    bytes: &[u8],
    passphrase: Option<&Passphrase>,
) -> Result<LoadedFile, CertError> {
    // Read before OpenSSL runs: OpenSSL honours any count, and a high one pins a CPU.
    if let Some(iterations) = super::p12_iterations(bytes)
        && iterations > super::MAX_P12_ITERATIONS
    {
        return Err(CertError::TooManyIterations {
            name,
            iterations,
            limit: super::MAX_P12_ITERATIONS,
        });
    }
    let info = p12_info(bytes);
    let legacy_status = providers::ensure_legacy_provider();
    let p12 = Pkcs12::from_der(bytes).map_err(|_| CertError::CorruptP12 { name: name.clone() })?;
    let pass = passphrase.map_or("", Passphrase::expose);
    // OpenSSL takes the passphrase as a C string: a NUL inside would make the openssl crate
    // panic, so it is refused here with its own message.
    if pass.contains('\0') {
        return Err(CertError::PassphraseHasNul { name });
    }
    let parsed = match p12.parse2(pass) {
        Ok(parsed) => parsed,
        Err(e) => {
            let reason = first_reason(&e).to_ascii_lowercase();
            return Err(if reason.contains("mac verify") {
                if pass.is_empty() {
                    CertError::PassphraseRequired { name }
                } else {
                    CertError::WrongPassphrase { name }
                }
            } else if reason.contains("unsupported") || reason.contains("fetch") {
                CertError::LegacyProviderMissing {
                    name,
                    detail: legacy_status.err().unwrap_or_else(|| e.to_string()),
                }
            } else {
                CertError::CorruptP12 { name }
            });
        }
    };
    let mut certificates = Vec::new();
    certificates.extend(parsed.cert);
    if let Some(ca) = parsed.ca {
        certificates.extend(ca);
    }
    let kind = match (certificates.is_empty(), parsed.pkey.is_some()) {
        (_, true) if !certificates.is_empty() => FileKind::Identity,
        (_, true) => FileKind::PrivateKey,
        (false, false) => FileKind::Certificate,
        (true, false) => {
            return Err(CertError::NoCertificate {
                name,
                hint: " and no key — the .p12 is empty; export it from Keychain again".to_owned(),
            });
        }
    };
    let mut file = loaded(name, kind, certificates, parsed.pkey);
    file.p12 = Some(info);
    Ok(file)
}

const OID_PKCS12_PBE_PREFIX: &[u8] = &[
    0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01,
];
const OID_PBES2: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d,
];
const OID_SHA1: &[u8] = &[0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a];
const OID_SHA256: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];

/// Names a `.p12`'s encryption family. The algorithm identifiers of the encrypted bags sit in
/// clear inside the file, so finding their OIDs is enough; an 11-byte OID match by chance
/// inside ciphertext is negligible.
pub fn p12_info(bytes: &[u8]) -> P12Info {
    let mut legacy_parts = Vec::new();
    for (suffix, label) in [(0x06u8, "RC2-40-CBC"), (0x03, "3DES"), (0x01, "RC4-128")] {
        let mut oid = OID_PKCS12_PBE_PREFIX.to_vec();
        oid.push(suffix);
        if der::contains(bytes, &oid) {
            legacy_parts.push(label);
        }
    }
    let modern = der::contains(bytes, OID_PBES2);
    let mac = if der::contains(bytes, OID_SHA256) {
        "SHA-256 MAC"
    } else if der::contains(bytes, OID_SHA1) {
        "SHA-1 MAC"
    } else {
        "no MAC"
    };
    if legacy_parts.is_empty() {
        P12Info {
            encryption: P12Encryption::Modern,
            detail: format!(
                "{}, {mac}",
                if modern {
                    "PBES2 (AES-256-CBC)"
                } else {
                    "unencrypted bags"
                }
            ),
        }
    } else {
        P12Info {
            encryption: P12Encryption::Legacy,
            detail: format!("{}, {mac}", legacy_parts.join(" + ")),
        }
    }
}

fn first_reason(e: &openssl::error::ErrorStack) -> String {
    e.errors()
        .first()
        .and_then(|err| err.reason().map(str::to_owned))
        .unwrap_or_else(|| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_comes_from_apple_file_names() {
        assert_eq!(
            key_id_from_file_name("AuthKey_ABC123DEFG.p8").as_deref(),
            Some("ABC123DEFG")
        );
        assert_eq!(key_id_from_file_name("key.p8"), None);
        assert_eq!(key_id_from_file_name("AuthKey_.p8"), None);
    }

    #[test]
    fn pem_blocks_are_found_among_bag_attributes() {
        let text = "Bag Attributes\n    friendlyName: x\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\njunk\n-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n";
        let blocks = pem_blocks(text).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[1].label, "PRIVATE KEY");
        assert!(pem_blocks("-----BEGIN CERTIFICATE-----\nAAA").is_err());
    }

    #[test]
    fn noise_is_not_a_p12() {
        assert!(!looks_like_p12(b"hello"));
        assert!(looks_like_p12(&[0x30, 0x82, 0x10, 0x00, 0x02, 0x01, 0x03]));
    }
}
