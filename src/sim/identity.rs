//! The simulator's TLS identity: a local CA (which also issues test push certificates) and a
//! server certificate for `localhost` and Apple's host names, kept in the app's data folder.

use std::path::{Path, PathBuf};

use openssl::pkey::PKey;
use openssl::x509::X509;

use crate::cert::{CertError, CertificateAuthority, Credential, write_secret_file};

/// Names the server certificate answers to.
pub const SERVER_NAMES: &[&str] = &[
    "localhost",
    "127.0.0.1",
    "::1",
    crate::apns::SANDBOX_HOST,
    crate::apns::PRODUCTION_HOST,
    crate::apns::SANDBOX_HOST_ALIAS,
];

const CA_CERT: &str = "ca.pem";
const CA_KEY: &str = "ca-key.pem";
const SERVER_CERT: &str = "server.pem";
const SERVER_KEY: &str = "server-key.pem";

/// The CA and the server certificate it issued.
#[derive(Clone)]
pub struct SimIdentity {
    /// The simulator's own CA, which clients must trust.
    pub ca: CertificateAuthority,
    /// The server certificate and key, for the names in [`SERVER_NAMES`].
    pub server: Credential,
    /// Where it is kept, if on disk.
    pub dir: Option<PathBuf>,
}

impl std::fmt::Debug for SimIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimIdentity")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SimIdentity {
    /// A fresh identity in memory only (tests, throwaway simulators).
    pub fn ephemeral() -> Result<Self, CertError> {
        let ca = new_ca()?;
        let server = ca.issue_server_certificate(SERVER_NAMES)?;
        Ok(SimIdentity {
            ca,
            server,
            dir: None,
        })
    }

    /// The default folder: the platform's data directory for pushlab.
    pub fn default_dir() -> Option<PathBuf> {
        crate::files::data_dir().map(|d| d.join("simulator"))
    }

    /// Loads the identity kept in `dir`, creating (or renewing) what is missing or expired.
    ///
    /// Under an exclusive lock on the folder's lock file, so processes starting at once (the
    /// app's simulator and a CLI, CI jobs sharing a home) never write halves of two CAs; and
    /// the CA's key must belong to its certificate on every load: a broken pair is an error
    /// naming both files, never replaced behind the user's back (clients trust that CA).
    pub fn load_or_create(dir: &Path) -> Result<Self, CertError> {
        crate::files::create_private_dir(dir).map_err(|source| CertError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let _lock = lock(dir)?;
        let ca = match load_pair(dir, CA_CERT, CA_KEY)? {
            Some((cert, key)) if !same_key(&cert, &key) => {
                return Err(CertError::KeyMismatch {
                    cert: dir.join(CA_CERT).display().to_string(),
                    key: dir.join(CA_KEY).display().to_string(),
                });
            }
            Some((cert, key)) if still_valid(&cert) => CertificateAuthority::from_parts(cert, key),
            _ => {
                let ca = new_ca()?;
                save_pair(dir, CA_CERT, CA_KEY, &ca.certificate, ca.private_key())?;
                ca
            }
        };
        let server = match load_pair(dir, SERVER_CERT, SERVER_KEY)? {
            // The server pair is the CA's to reissue: a broken one is made again.
            Some((cert, key))
                if still_valid(&cert)
                    && same_key(&cert, &key)
                    && cert
                        .verify(
                            ca.certificate
                                .public_key()
                                .map_err(|e| CertError::openssl("reading the CA key", e))?
                                .as_ref(),
                        )
                        .unwrap_or(false) =>
            {
                Credential {
                    certificate: cert,
                    chain: vec![ca.certificate.clone()],
                    private_key: Some(key),
                    source: SERVER_CERT.to_owned(),
                }
            }
            _ => {
                let server = ca.issue_server_certificate(SERVER_NAMES)?;
                let key = server.require_key()?;
                save_pair(dir, SERVER_CERT, SERVER_KEY, &server.certificate, key)?;
                server
            }
        };
        Ok(SimIdentity {
            ca,
            server,
            dir: Some(dir.to_owned()),
        })
    }

    /// The files it is kept in (none for a throwaway identity): outputs must not replace them.
    pub fn files(&self) -> Vec<PathBuf> {
        self.dir.as_deref().map_or_else(Vec::new, |dir| {
            [CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY]
                .iter()
                .map(|name| dir.join(name))
                .collect()
        })
    }

    /// The CA certificate as PEM, for clients to trust.
    pub fn ca_pem(&self) -> Result<Vec<u8>, CertError> {
        self.ca
            .certificate
            .to_pem()
            .map_err(|e| CertError::openssl("writing the CA certificate", e))
    }
}

/// How long the simulator's CA lives; it is renewed a week before it ends (so is every
/// certificate it issued: clients must trust the new CA, `pushlab sim export-ca`).
pub const CA_DAYS: i64 = 365;

/// The simulator's CA: a year's life, and name constraints that let it vouch for the names
/// the simulator serves and nothing else (a copy of its key cannot impersonate other sites).
fn new_ca() -> Result<CertificateAuthority, CertError> {
    CertificateAuthority::generate_with("Pushlab Simulator CA", CA_DAYS, SERVER_NAMES)
}

/// The lock file's name in the identity's folder.
const LOCK: &str = ".lock";

/// Holds the folder's lock until dropped (closing the file releases it).
struct Lock(#[allow(dead_code)] std::fs::File);

/// Takes the folder's exclusive lock, waiting for another process that holds it. The lock
/// file is owner-only: another user able to read it could otherwise hold the lock.
fn lock(dir: &Path) -> Result<Lock, CertError> {
    let path = dir.join(LOCK);
    let io = |source| CertError::Io {
        path: path.clone(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let file = options.open(&path).map_err(io)?;
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        loop {
            match flock(&file, FlockOperation::LockExclusive) {
                Ok(()) => break,
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(io(e.into())),
            }
        }
    }
    Ok(Lock(file))
}

/// Whether the private key belongs to the certificate.
fn same_key(cert: &X509, key: &PKey<openssl::pkey::Private>) -> bool {
    cert.public_key().is_ok_and(|public| public.public_eq(key))
}

fn still_valid(cert: &X509) -> bool {
    // Renew a week early so a long-running session does not cross the expiry.
    openssl::asn1::Asn1Time::days_from_now(7)
        .ok()
        .and_then(|soon| cert.not_after().compare(&soon).ok())
        .is_some_and(|o| o == std::cmp::Ordering::Greater)
}

fn load_pair(
    dir: &Path,
    cert_name: &str,
    key_name: &str,
) -> Result<Option<(X509, PKey<openssl::pkey::Private>)>, CertError> {
    let (cert_path, key_path) = (dir.join(cert_name), dir.join(key_name));
    if !cert_path.exists() || !key_path.exists() {
        return Ok(None);
    }
    let read = |p: &Path| {
        std::fs::read(p).map_err(|source| CertError::Io {
            path: p.to_owned(),
            source,
        })
    };
    let cert = X509::from_pem(&read(&cert_path)?);
    let key = PKey::private_key_from_pem(&read(&key_path)?);
    // A damaged file is replaced rather than fatal: it holds nothing the user made.
    Ok(cert.ok().zip(key.ok()))
}

fn save_pair(
    dir: &Path,
    cert_name: &str,
    key_name: &str,
    cert: &X509,
    key: &PKey<openssl::pkey::Private>,
) -> Result<(), CertError> {
    let pem = key
        .private_key_to_pem_pkcs8()
        .map_err(|e| CertError::openssl("writing a key", e))?;
    write_secret_file(&dir.join(key_name), &pem, true, true)?;
    let cert_pem = cert
        .to_pem()
        .map_err(|e| CertError::openssl("writing a certificate", e))?;
    write_secret_file(&dir.join(cert_name), &cert_pem, false, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = SimIdentity::load_or_create(dir.path()).unwrap();
        let b = SimIdentity::load_or_create(dir.path()).unwrap();
        assert_eq!(
            a.ca.certificate.to_der().unwrap(),
            b.ca.certificate.to_der().unwrap()
        );
        assert_eq!(
            a.server.certificate.to_der().unwrap(),
            b.server.certificate.to_der().unwrap()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join(CA_KEY))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_broken_pair_is_named_and_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        SimIdentity::load_or_create(dir.path()).unwrap();
        let other = new_ca().unwrap();
        let key = other.private_key().private_key_to_pem_pkcs8().unwrap();
        std::fs::write(dir.path().join(CA_KEY), &key).unwrap();
        let err = SimIdentity::load_or_create(dir.path()).unwrap_err();
        assert!(matches!(err, CertError::KeyMismatch { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains(CA_KEY) && text.contains(CA_CERT), "{text}");
        assert_eq!(std::fs::read(dir.path().join(CA_KEY)).unwrap(), key);
    }
}
