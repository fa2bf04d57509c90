//! The local test CA, kept on disk so that every test certificate the app issues and the
//! embedded simulator that must trust them agree on one authority.

use std::path::{Path, PathBuf};

use openssl::pkey::PKey;
use openssl::x509::X509;

use super::{CertError, CertificateAuthority, write_secret_file};

/// The common name of the local CA, as it shows in inspected test certificates' issuer.
pub const LOCAL_CA_NAME: &str = "Pushlab Local Test CA";

const CERT_FILE: &str = "ca.pem";
const KEY_FILE: &str = "ca-key.pem";

/// A certificate authority stored in a folder: `ca.pem` (the certificate, world-readable) and
/// `ca-key.pem` (its key, owner-only).
#[derive(Debug, Clone)]
pub struct LocalCa {
    pub authority: CertificateAuthority,
    /// Where the CA certificate is, for a simulator or a client to trust.
    pub certificate_path: PathBuf,
    /// Whether this call created the CA (the folder held none).
    pub created: bool,
}

impl LocalCa {
    /// Loads the CA kept in `dir`, or creates one there (and the folder) when there is none.
    /// A folder holding only half a CA (certificate without key, or the reverse) is an error
    /// rather than silently replaced: certificates issued before would stop being trusted.
    pub fn load_or_create(dir: &Path) -> Result<Self, CertError> {
        let cert_path = dir.join(CERT_FILE);
        let key_path = dir.join(KEY_FILE);
        match (cert_path.exists(), key_path.exists()) {
            (true, true) => Self::load(&cert_path, &key_path),
            (false, false) => Self::create(dir, &cert_path, &key_path),
            (true, false) => Err(CertError::NoPrivateKey {
                name: format!("the local test CA ({})", cert_path.display()),
            }),
            (false, true) => Err(CertError::NotFound { path: cert_path }),
        }
    }

    fn load(cert_path: &Path, key_path: &Path) -> Result<Self, CertError> {
        let read = |path: &Path| {
            std::fs::read(path).map_err(|source| CertError::Io {
                path: path.to_owned(),
                source,
            })
        };
        let corrupt =
            |path: &Path, label: &str, e: openssl::error::ErrorStack| CertError::CorruptPem {
                name: path.display().to_string(),
                label: label.to_owned(),
                detail: e.to_string(),
            };
        let certificate =
            X509::from_pem(&read(cert_path)?).map_err(|e| corrupt(cert_path, "CERTIFICATE", e))?;
        let key = PKey::private_key_from_pem(&read(key_path)?)
            .map_err(|e| corrupt(key_path, "PRIVATE KEY", e))?;
        if !super::key_matches(&certificate, &key) {
            return Err(CertError::KeyMismatch {
                cert: cert_path.display().to_string(),
                key: key_path.display().to_string(),
            });
        }
        Ok(LocalCa {
            authority: CertificateAuthority::from_parts(certificate, key),
            certificate_path: cert_path.to_owned(),
            created: false,
        })
    }

    fn create(dir: &Path, cert_path: &Path, key_path: &Path) -> Result<Self, CertError> {
        std::fs::create_dir_all(dir).map_err(|source| CertError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let authority = CertificateAuthority::generate(LOCAL_CA_NAME)?;
        let key_pem = authority
            .private_key()
            .private_key_to_pem_pkcs8()
            .map_err(|e| CertError::openssl("writing the CA key", e))?;
        let cert_pem = authority
            .certificate
            .to_pem()
            .map_err(|e| CertError::openssl("writing the CA certificate", e))?;
        // Key first: a certificate on disk without its key would block the next start.
        write_secret_file(key_path, &key_pem, true, false)?;
        write_secret_file(cert_path, &cert_pem, false, false)?;
        Ok(LocalCa {
            authority,
            certificate_path: cert_path.to_owned(),
            created: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_then_reloads_the_same_ca() {
        let dir = tempfile::tempdir().unwrap();
        let ca_dir = dir.path().join("nested/local-ca");
        let first = LocalCa::load_or_create(&ca_dir).unwrap();
        assert!(first.created);
        let again = LocalCa::load_or_create(&ca_dir).unwrap();
        assert!(!again.created);
        assert_eq!(
            first.authority.certificate.to_der().unwrap(),
            again.authority.certificate.to_der().unwrap()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(ca_dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn half_a_ca_is_an_error_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        LocalCa::load_or_create(dir.path()).unwrap();
        std::fs::remove_file(dir.path().join(KEY_FILE)).unwrap();
        let err = LocalCa::load_or_create(dir.path()).unwrap_err();
        assert!(matches!(err, CertError::NoPrivateKey { .. }), "{err}");
        assert!(dir.path().join(CERT_FILE).exists());
    }
}
