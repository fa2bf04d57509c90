//! A push certificate without a Mac: the certificate signing request Keychain Access makes
//! (an RSA 2048 key, a CSR with an email address, a common name and a country), the key kept
//! safe in pushlab's data folder while Apple issues the certificate, and the `.cer` that comes
//! back paired with it by its public key.

use std::path::{Path, PathBuf};

use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::symm::Cipher;
use openssl::x509::{X509NameBuilder, X509Ref, X509Req, X509ReqBuilder};
use serde::{Deserialize, Serialize};

use super::{CertError, Passphrase, write_secret_file};

/// What goes into the request's subject, as Keychain Access asks for it. Checked when made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSubject {
    email: String,
    common_name: String,
    country: Option<String>,
}

/// Why a request's subject was refused, with what was typed. Its `Display` is the English; the
/// app words it in its own language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    /// No email address was given.
    #[error("give an email address (Keychain Access asks for yours)")]
    NoEmail,
    /// The email address has no `@`, no user, no dotted domain, or a space.
    #[error("'{email}' is not an email address")]
    NotAnEmail {
        /// The address as typed, trimmed.
        email: String,
    },
    /// The common name is empty.
    #[error("give a common name (Keychain Access uses your name)")]
    NoCommonName,
    /// The common name is over X.509's 64-character limit.
    #[error("the common name is longer than {limit} characters, the X.509 limit")]
    CommonNameTooLong {
        /// The limit, 64 characters.
        limit: usize,
    },
    /// The country is not two letters.
    #[error("'{code}' is not a two-letter country code (US, DE, CN)")]
    NotACountry {
        /// The country as typed, trimmed.
        code: String,
    },
}

/// X.509's upper bound for a common name (ub-common-name), in characters.
pub const COMMON_NAME_LIMIT: usize = 64;

impl RequestSubject {
    /// Checks a subject: an email address with a domain, a common name of 1–64 characters, and an
    /// optional two-letter country code (upper-cased).
    pub fn new(
        email: &str,
        common_name: &str,
        country: Option<&str>,
    ) -> Result<Self, SubjectError> {
        let email = email.trim();
        if email.is_empty() {
            return Err(SubjectError::NoEmail);
        }
        let not_an_email = || SubjectError::NotAnEmail {
            email: email.to_owned(),
        };
        let (user, domain) = email.split_once('@').ok_or_else(not_an_email)?;
        if user.is_empty() || !domain.contains('.') || email.chars().any(char::is_whitespace) {
            return Err(not_an_email());
        }
        let common_name = common_name.trim();
        if common_name.is_empty() {
            return Err(SubjectError::NoCommonName);
        }
        // X.509's upper bound (ub-common-name) counts characters, as OpenSSL does: a name in
        // Chinese of 64 characters is 192 bytes of UTF-8, and valid.
        if common_name.chars().count() > COMMON_NAME_LIMIT {
            return Err(SubjectError::CommonNameTooLong {
                limit: COMMON_NAME_LIMIT,
            });
        }
        let country = match country.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(c) => return Err(SubjectError::NotACountry { code: c.to_owned() }),
            None => None,
        };
        Ok(RequestSubject {
            email: email.to_owned(),
            common_name: common_name.to_owned(),
            country,
        })
    }

    /// The common name, trimmed.
    pub fn common_name(&self) -> &str {
        &self.common_name
    }
}

/// A new key and the request for it.
pub struct SigningRequest {
    /// The new RSA 2048 private key, which the certificate Apple issues will belong to.
    pub key: PKey<Private>,
    /// The certificate signing request, signed with `key`.
    pub request: X509Req,
}

impl SigningRequest {
    /// An RSA 2048 key (what Apple's portal expects) and a SHA-256 signed request.
    pub fn create(subject: &RequestSubject) -> Result<Self, CertError> {
        let err = |action| move |e| CertError::openssl(action, e);
        let key = PKey::from_rsa(Rsa::generate(2048).map_err(err("generating an RSA key"))?)
            .map_err(err("generating an RSA key"))?;
        let mut name = X509NameBuilder::new().map_err(err("building the subject"))?;
        name.append_entry_by_text("emailAddress", &subject.email)
            .map_err(err("adding the email address"))?;
        name.append_entry_by_text("CN", &subject.common_name)
            .map_err(err("adding the common name"))?;
        if let Some(c) = &subject.country {
            name.append_entry_by_text("C", c)
                .map_err(err("adding the country"))?;
        }
        let name = name.build();
        let mut req = X509ReqBuilder::new().map_err(err("building the request"))?;
        req.set_subject_name(&name)
            .map_err(err("building the request"))?;
        req.set_pubkey(&key).map_err(err("building the request"))?;
        req.sign(&key, MessageDigest::sha256())
            .map_err(err("signing the request"))?;
        Ok(SigningRequest {
            key,
            request: req.build(),
        })
    }

    /// The `.certSigningRequest` file: PEM, as Keychain Access writes it.
    pub fn to_pem(&self) -> Result<Vec<u8>, CertError> {
        self.request
            .to_pem()
            .map_err(|e| CertError::openssl("writing the request", e))
    }
}

/// What is kept beside a waiting key: no secret, so the list shows without a passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingKeyInfo {
    /// The request's common name.
    pub common_name: String,
    /// The request's email address.
    pub email: String,
    /// Unix seconds.
    pub created: i64,
    /// SHA-256 of the public key (DER, hex): what a returning certificate is matched by.
    pub public_key_sha256: String,
    /// The key file is encrypted with a passphrase.
    pub encrypted: bool,
}

/// A key made for a signing request, waiting for Apple's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingKey {
    /// The key's `.key.pem` file.
    pub key_path: PathBuf,
    /// What is kept beside it.
    pub info: WaitingKeyInfo,
}

/// The folder of waiting keys (`<data>/waiting-keys`): one `.key.pem` (0600) and one `.json`
/// per request, named by the public key's fingerprint.
#[derive(Debug, Clone)]
pub struct WaitingKeys {
    dir: PathBuf,
}

fn public_key_sha256<T: openssl::pkey::HasPublic>(
    key: &openssl::pkey::PKeyRef<T>,
) -> Result<String, CertError> {
    let der = key
        .public_key_to_der()
        .map_err(|e| CertError::openssl("reading the public key", e))?;
    let digest = openssl::sha::sha256(&der);
    Ok(hex::encode(digest))
}

impl WaitingKeys {
    /// The waiting keys under this data folder (`<data_dir>/waiting-keys`).
    pub fn in_data_dir(data_dir: &Path) -> Self {
        WaitingKeys {
            dir: data_dir.join("waiting-keys"),
        }
    }

    /// The folder the keys are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps the key of a new request, encrypted (AES-256) when a passphrase is given.
    pub fn keep(
        &self,
        request: &SigningRequest,
        subject: &RequestSubject,
        passphrase: Option<&Passphrase>,
        now: i64,
    ) -> Result<WaitingKey, CertError> {
        let fingerprint = public_key_sha256(&request.key)?;
        crate::files::create_private_dir(&self.dir).map_err(|e| CertError::Io {
            path: self.dir.clone(),
            source: e,
        })?;
        let pem = match passphrase {
            Some(p) => request
                .key
                .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), p.expose().as_bytes()),
            None => request.key.private_key_to_pem_pkcs8(),
        }
        .map_err(|e| CertError::openssl("writing the key", e))?;
        let stem = fingerprint[..16].to_owned();
        let key_path = self.dir.join(format!("{stem}.key.pem"));
        write_secret_file(&key_path, &pem, true, false)?;
        let info = WaitingKeyInfo {
            common_name: subject.common_name.clone(),
            email: subject.email.clone(),
            created: now,
            public_key_sha256: fingerprint,
            encrypted: passphrase.is_some(),
        };
        let json = serde_json::to_vec_pretty(&info).unwrap_or_default();
        write_secret_file(&self.dir.join(format!("{stem}.json")), &json, true, true)?;
        Ok(WaitingKey { key_path, info })
    }

    /// Every waiting key, oldest first. Unreadable entries are left out (and left alone).
    pub fn list(&self) -> Vec<WaitingKey> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<WaitingKey> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| {
                let info: WaitingKeyInfo = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
                let key_path = p.with_extension("key.pem");
                key_path.is_file().then_some(WaitingKey { key_path, info })
            })
            .collect();
        out.sort_by_key(|k| k.info.created);
        out
    }

    /// Deletes a waiting key and what is kept beside it (the caller asked the user first:
    /// without the key, Apple's certificate for its request is useless).
    pub fn forget(&self, key: &WaitingKey) -> std::io::Result<()> {
        std::fs::remove_file(&key.key_path)?;
        // `<stem>.key.pem` → `<stem>.json`
        let _ = std::fs::remove_file(key.key_path.with_extension("").with_extension("json"));
        Ok(())
    }

    /// The waiting key whose public key is the certificate's.
    pub fn matching(&self, cert: &X509Ref) -> Option<WaitingKey> {
        let fingerprint = cert
            .public_key()
            .ok()
            .and_then(|k| public_key_sha256(&k).ok())?;
        self.list()
            .into_iter()
            .find(|k| k.info.public_key_sha256 == fingerprint)
    }
}

/// What to do next, in the portal's words.
pub const NEXT_STEP: &str = "Upload the request at developer.apple.com → Certificates, Identifiers & Profiles → Certificates → + → \"Apple Push Notification service SSL (Sandbox & Production)\", pick the App ID, and download the .cer Apple makes. Then give that .cer to pushlab: it pairs it with the key kept here.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_checked() {
        assert!(RequestSubject::new("dev@example.com", "Ada Lovelace", Some("gb")).is_ok());
        assert_eq!(
            RequestSubject::new(" not-an-email ", "Ada", None),
            Err(SubjectError::NotAnEmail {
                email: "not-an-email".into()
            })
        );
        assert_eq!(
            RequestSubject::new("  ", "Ada", None),
            Err(SubjectError::NoEmail)
        );
        assert_eq!(
            RequestSubject::new("dev@example.com", "  ", None),
            Err(SubjectError::NoCommonName)
        );
        assert_eq!(
            RequestSubject::new("dev@example.com", "Ada", Some("GBR")),
            Err(SubjectError::NotACountry { code: "GBR".into() })
        );
        assert_eq!(
            RequestSubject::new("dev@example.com", "Ada", Some("GBR"))
                .unwrap_err()
                .to_string(),
            "'GBR' is not a two-letter country code (US, DE, CN)"
        );
        let s = RequestSubject::new("dev@example.com", "李雷", Some("cn")).unwrap();
        assert_eq!(s.country.as_deref(), Some("CN"));
    }

    #[test]
    fn the_common_name_limit_counts_characters_as_openssl_does() {
        let long = "雷".repeat(64);
        let subject = RequestSubject::new("dev@example.com", &long, None).unwrap();
        // OpenSSL takes it: its table for commonName allows 64 characters.
        let request = SigningRequest::create(&subject).unwrap();
        let pem = String::from_utf8(request.to_pem().unwrap()).unwrap();
        let parsed = X509Req::from_pem(pem.as_bytes()).unwrap();
        let cn = parsed
            .subject_name()
            .entries_by_nid(openssl::nid::Nid::COMMONNAME)
            .next()
            .unwrap()
            .data()
            .to_string()
            .unwrap();
        assert_eq!(cn, long);
        let err = RequestSubject::new("dev@example.com", &"雷".repeat(65), None).unwrap_err();
        assert_eq!(err, SubjectError::CommonNameTooLong { limit: 64 });
        assert!(err.to_string().contains("64 characters"), "{err}");
    }

    #[test]
    fn a_key_waits_and_is_found_by_its_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let subject = RequestSubject::new("dev@example.com", "Ada", None).unwrap();
        let request = SigningRequest::create(&subject).unwrap();
        let store = WaitingKeys::in_data_dir(dir.path());
        let kept = store
            .keep(&request, &subject, Some(&Passphrase::new("s3cret")), 1)
            .unwrap();
        assert!(kept.info.encrypted);
        let pem = std::fs::read_to_string(&kept.key_path).unwrap();
        assert!(pem.contains("ENCRYPTED PRIVATE KEY"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&kept.key_path)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A certificate over the request's key, as Apple would issue.
        let ca_key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let mut b = openssl::x509::X509Builder::new().unwrap();
        b.set_pubkey(&request.key).unwrap();
        b.sign(&ca_key, MessageDigest::sha256()).unwrap();
        let cert = b.build();
        assert_eq!(store.matching(&cert), Some(kept));
        let other = SigningRequest::create(&subject).unwrap();
        let mut b = openssl::x509::X509Builder::new().unwrap();
        b.set_pubkey(&other.key).unwrap();
        b.sign(&ca_key, MessageDigest::sha256()).unwrap();
        assert_eq!(store.matching(&b.build()), None);
    }
}
