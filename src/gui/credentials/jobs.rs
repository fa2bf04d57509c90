//! What the Credentials screen asks the worker to do. Plain functions of plain data: no egui,
//! and every one of them may touch files or do crypto, so none runs on the UI thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cert::{
    self, CertEnvironment, Credential, ExportFormat, FileKind, Inspection, LoadedFile, Passphrase,
    PushCertificateSpec,
};
use crate::gui::JobError;
use crate::gui::i18n::msg;
use crate::gui::state::SavedCredential;
use crate::sim::SimIdentity;

/// Passphrases typed in this session, by file. Kept in memory only.
pub type Passphrases = HashMap<PathBuf, Passphrase>;

/// A credential read from disk and inspected.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file the user chose.
    pub main: LoadedFile,
    /// The key's own file, when it was paired with the certificate's.
    pub key: Option<LoadedFile>,
    /// Present when there is a certificate (with or without a key).
    pub credential: Option<Credential>,
    /// What the screen shows of it: subject, dates, topics, environment, findings.
    pub inspection: Inspection,
    /// The key `pushlab cert request` kept for this certificate, found and paired on load.
    pub paired_key: Option<PathBuf>,
}

impl Loaded {
    /// A certificate still waiting for its key, or a key waiting for its certificate.
    pub fn wants_partner(&self) -> Option<Partner> {
        match self.inspection.kind {
            FileKind::Certificate => Some(Partner::NeedsKey),
            FileKind::PrivateKey => Some(Partner::NeedsCertificate),
            _ => None,
        }
    }
}

/// Which half an unpaired credential is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partner {
    /// A certificate without its private key.
    NeedsKey,
    /// A private key without its certificate.
    NeedsCertificate,
}

fn load_one(path: &Path, passphrases: &Passphrases) -> Result<LoadedFile, JobError> {
    cert::load_file(path, passphrases.get(path)).map_err(|error| JobError::File {
        path: path.to_owned(),
        error,
    })
}

/// Loads a credential file (and its separate key file) and inspects it.
pub fn load(
    path: &Path,
    key_path: Option<&Path>,
    passphrases: &Passphrases,
    waiting: Option<&crate::cert::WaitingKeys>,
) -> Result<Loaded, JobError> {
    let main = load_one(path, passphrases)?;
    let key = key_path.map(|k| load_one(k, passphrases)).transpose()?;
    // A lone certificate from Apple whose key a signing request made here kept: pair them.
    let waiting_key = match (&key, &main.private_key, waiting) {
        (None, None, Some(w)) => main.certificates.iter().find_map(|c| w.matching(c)),
        _ => None,
    };
    if let Some(w) = waiting_key {
        let key = load_one(&w.key_path, passphrases)?;
        let mut loaded = assemble(main, Some(key))?;
        loaded.paired_key = Some(w.key_path);
        return Ok(loaded);
    }
    assemble(main, key)
}

fn assemble(main: LoadedFile, key: Option<LoadedFile>) -> Result<Loaded, JobError> {
    let inspection = cert::inspect(&main, key.as_ref(), time::OffsetDateTime::now_utc())?;
    let credential = if main.certificates.is_empty() {
        None
    } else {
        Credential::from_files(&main, key.as_ref()).ok()
    };
    Ok(Loaded {
        main,
        key,
        credential,
        inspection,
        paired_key: None,
    })
}

/// One half of a possible pair, with the list entry it belongs to.
#[derive(Debug, Clone)]
pub struct Half<Id> {
    /// The list entry it is.
    pub entry: Id,
    /// Its file.
    pub path: PathBuf,
    /// The file as read: certificates, a key, or both.
    pub file: LoadedFile,
}

/// A certificate and a key from two list entries that belong together.
#[derive(Debug)]
pub struct Pairing<Id> {
    /// The entry holding the certificate: it becomes the whole credential.
    pub certificate_entry: Id,
    /// The entry holding the key: it leaves the list.
    pub key_entry: Id,
    /// The key's file, kept as the credential's second file.
    pub key_path: PathBuf,
    /// The two read and inspected together.
    pub loaded: Loaded,
}

/// Finds, among `candidates`, the other half of `half` (a lone certificate or a lone key).
pub fn pair<Id: Copy>(
    half: Half<Id>,
    wants: Partner,
    candidates: Vec<Half<Id>>,
) -> Result<Option<Pairing<Id>>, JobError> {
    for other in candidates {
        let (cert_half, key_half) = match wants {
            Partner::NeedsKey => (&half, &other),
            Partner::NeedsCertificate => (&other, &half),
        };
        let (Some(leaf), Some(key)) = (
            cert_half.file.certificates.first(),
            key_half.file.private_key.as_ref(),
        ) else {
            continue;
        };
        let matches = cert::key_matches(leaf, key)
            || cert_half
                .file
                .certificates
                .iter()
                .any(|c| cert::key_matches(c, key));
        if matches {
            let loaded = assemble(cert_half.file.clone(), Some(key_half.file.clone()))?;
            return Ok(Some(Pairing {
                certificate_entry: cert_half.entry,
                key_entry: key_half.entry,
                key_path: key_half.path.clone(),
                loaded,
            }));
        }
    }
    Ok(None)
}

/// Writes a credential in `format` to `path`, owner-only when it holds a key.
pub fn export(
    credential: &Credential,
    format: ExportFormat,
    passphrase: Option<&Passphrase>,
    path: &Path,
    overwrite: bool,
) -> Result<PathBuf, JobError> {
    let bytes = credential.export(format, passphrase)?;
    cert::write_secret_file(path, &bytes, format.contains_key(), overwrite)?;
    Ok(path.to_owned())
}

/// A test certificate issued by the simulator's CA and saved in the app's data folder.
#[derive(Debug)]
pub struct Generated {
    /// Named in English on the worker; [`Generated::name`] words it on the UI thread.
    pub saved: SavedCredential,
    /// The certificate and its key, read and inspected.
    pub loaded: Loaded,
    /// Whether the simulator's CA was created for it (first use).
    pub created_ca: bool,
}

impl Generated {
    /// The name the list shows, in the app's language: "com.example.app (test, development)".
    pub fn name(bundle_id: &str, environment: CertEnvironment) -> String {
        let environment = match environment {
            CertEnvironment::Development => "development",
            CertEnvironment::Production => "production",
            _ => "universal",
        };
        msg::credentials_test_certificate_name(bundle_id, environment)
    }
}

/// The simulator's identity folder inside the app's data folder: the same folder as
/// [`SimIdentity::default_dir`] for the app's real data folder, so `pushlab sim` and the
/// embedded simulator trust the certificates the app issues.
pub fn simulator_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("simulator")
}

/// Issues a push certificate for `bundle_id` from the simulator's CA (creating it on first
/// use) and saves it as an unencrypted combined PEM, owner-only, in
/// `data_dir/test-certificates`.
pub fn generate(
    data_dir: &Path,
    bundle_id: &str,
    environment: CertEnvironment,
) -> Result<Generated, JobError> {
    let dir = simulator_dir(data_dir);
    let created_ca = !dir.join("ca.pem").exists();
    let identity = SimIdentity::load_or_create(&dir)?;
    let credential = identity
        .ca
        .issue_push_certificate(&PushCertificateSpec::new(bundle_id, environment))?;
    let folder = data_dir.join("test-certificates");
    crate::files::create_private_dir(&folder).map_err(|source| cert::CertError::Io {
        path: folder.clone(),
        source,
    })?;
    let env = match environment {
        CertEnvironment::Development => "development",
        CertEnvironment::Production => "production",
        _ => "universal",
    };
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let path = folder.join(format!("{bundle_id}-{env}-{stamp}.pem"));
    let pem = credential.export(ExportFormat::Pem, None)?;
    cert::write_secret_file(&path, &pem, true, false)?;
    let loaded = load(&path, None, &Passphrases::new(), None)?;
    Ok(Generated {
        saved: SavedCredential {
            name: format!("{bundle_id} (test, {env})"),
            path,
            key_path: None,
        },
        loaded,
        created_ca,
    })
}

/// Makes a test auth key and saves it, owner-only, as `data_dir/test-keys/AuthKey_<KEYID>.p8`
/// (its key id in its name, as Apple names them).
pub fn generate_key(data_dir: &Path) -> Result<Generated, JobError> {
    let key = cert::TestAuthKey::generate()?;
    let folder = data_dir.join("test-keys");
    crate::files::create_private_dir(&folder).map_err(|source| cert::CertError::Io {
        path: folder.clone(),
        source,
    })?;
    let path = folder.join(key.file_name());
    cert::write_secret_file(&path, &key.pem, true, false)?;
    let loaded = load(&path, None, &Passphrases::new(), None)?;
    Ok(Generated {
        saved: SavedCredential {
            name: format!("Test auth key {}", key.key_id),
            path,
            key_path: None,
        },
        loaded,
        created_ca: false,
    })
}

/// Whether `text` can be a bundle id: letters, digits, dots and hyphens, not starting or
/// ending with a dot. Checked before a certificate is issued for it.
pub fn bundle_id_problem(text: &str) -> Option<String> {
    if text.is_empty() {
        return Some(msg::credentials_type_the_bundle_id());
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Some(msg::credentials_a_bundle_id_holds_only());
    }
    if text.starts_with('.') || text.ends_with('.') || text.contains("..") {
        return Some(msg::credentials_a_bundle_id_has_no());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_ids() {
        assert_eq!(bundle_id_problem("com.example.app"), None);
        assert_eq!(bundle_id_problem("com.example-co.app2"), None);
        assert!(bundle_id_problem("").is_some());
        assert!(bundle_id_problem("com example").is_some());
        assert!(bundle_id_problem("com..x").is_some());
        assert!(bundle_id_problem(".com").is_some());
    }

    #[test]
    fn a_lone_certificate_and_its_key_pair_up() {
        let dir = tempfile::tempdir().unwrap();
        let generated =
            generate(dir.path(), "com.example.pair", CertEnvironment::Production).unwrap();
        assert!(generated.created_ca);
        let credential = generated.loaded.credential.unwrap();
        let cert_path = dir.path().join("aps.cer");
        let key_path = dir.path().join("key.pem");
        std::fs::write(&cert_path, credential.certificate.to_der().unwrap()).unwrap();
        std::fs::write(
            &key_path,
            credential.export(ExportFormat::KeyPem, None).unwrap(),
        )
        .unwrap();
        let none = Passphrases::new();
        let cert_only = load(&cert_path, None, &none, None).unwrap();
        assert_eq!(cert_only.wants_partner(), Some(Partner::NeedsKey));
        let key_only = load(&key_path, None, &none, None).unwrap();
        assert_eq!(key_only.wants_partner(), Some(Partner::NeedsCertificate));
        let pairing = pair(
            Half {
                entry: 1,
                path: cert_path,
                file: cert_only.main,
            },
            Partner::NeedsKey,
            vec![Half {
                entry: 2,
                path: key_path.clone(),
                file: key_only.main,
            }],
        )
        .unwrap()
        .unwrap();
        assert_eq!((pairing.certificate_entry, pairing.key_entry), (1, 2));
        assert_eq!(pairing.key_path, key_path);
        assert_eq!(pairing.loaded.inspection.kind, FileKind::Identity);
        assert!(pairing.loaded.credential.unwrap().private_key.is_some());
    }
}
