use openssl::pkey::{PKey, Private};
use openssl::x509::X509;

use super::{CertError, FileKind, LoadedFile, report};

/// A push certificate ready to use or export: the certificate, its chain, and its key.
#[derive(Clone)]
pub struct Credential {
    /// The push certificate itself (the leaf).
    pub certificate: X509,
    /// Other certificates that came with it (intermediates), leaf excluded.
    pub chain: Vec<X509>,
    /// The certificate's private key, when it came with one.
    pub private_key: Option<PKey<Private>>,
    /// Where it came from, for messages: "Push.p12" or "aps.cer + key.pem".
    pub source: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("source", &self.source)
            .field("has_private_key", &self.private_key.is_some())
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// Assembles a credential from a certificate file and, optionally, a separate key file.
    /// A key that belongs to another certificate is an error.
    pub fn from_files(main: &LoadedFile, key_file: Option<&LoadedFile>) -> Result<Self, CertError> {
        let key = match key_file {
            Some(k) => k.private_key.clone().or_else(|| main.private_key.clone()),
            None => main.private_key.clone(),
        };
        let mut certs = main.certificates.clone();
        if let Some(k) = key_file {
            certs.extend(k.certificates.iter().cloned());
        }
        let Some(leaf) = report::pick_leaf(&certs, key.as_deref()).cloned() else {
            let hint = match main.kind {
                FileKind::AuthKey => " — it is an APNs auth key (.p8): use it for token-based connections".to_owned(),
                FileKind::PrivateKey => " — it is a private key: give the certificate (.cer) first and this file as the key".to_owned(),
                _ => String::new(),
            };
            return Err(CertError::NoCertificate {
                name: main.name.clone(),
                hint,
            });
        };
        if let Some(key) = &key
            && !report::key_matches(&leaf, key)
        {
            return Err(CertError::KeyMismatch {
                cert: main.name.clone(),
                key: key_file.map_or_else(|| main.name.clone(), |k| k.name.clone()),
            });
        }
        let leaf_der = leaf.to_der().ok();
        let chain = certs
            .into_iter()
            .filter(|c| c.to_der().ok() != leaf_der)
            .collect();
        Ok(Credential {
            certificate: leaf,
            chain,
            private_key: key,
            source: match key_file {
                Some(k) => format!("{} + {}", main.name, k.name),
                None => main.name.clone(),
            },
        })
    }

    /// The key, or an error saying the credential has none.
    pub fn require_key(&self) -> Result<&PKey<Private>, CertError> {
        self.private_key
            .as_ref()
            .ok_or_else(|| CertError::NoPrivateKey {
                name: self.source.clone(),
            })
    }
}

/// An APNs auth key (`.p8`) with the ids token authentication needs.
#[derive(Clone)]
pub struct AuthKey {
    /// The EC P-256 private key.
    pub key: PKey<Private>,
    /// The 10-character key id from the developer portal.
    pub key_id: String,
    /// The 10-character team id.
    pub team_id: String,
}

impl std::fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthKey")
            .field("key_id", &self.key_id)
            .field("team_id", &self.team_id)
            .finish_non_exhaustive()
    }
}
