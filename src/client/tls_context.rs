//! The TLS client context (trust store, client certificate and key, ALPN h2), built once per
//! credential and trust set and shared by every connection that uses them.
//!
//! Building one is the costly part of connecting: `SSL_CTX_new` fetches every algorithm from
//! OpenSSL's providers (more with the legacy provider a `.p12` needs), the key is checked
//! against the certificate, and the system's trust store was read and parsed from disk (now
//! looked up root by root where the system allows, or read when a chain first needs it:
//! [`trust_system_roots`]). That was 20–43 ms of CPU per connection; a handshake on a shared
//! context costs a few. The server name is not part of the context: each connection sets its
//! own SNI and host name check.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::ssl::SslFiletype;
use openssl::ssl::{
    Ssl, SslContext, SslContextBuilder, SslMethod, SslMode, SslOptions, SslVerifyMode, SslVersion,
};
use openssl::x509::X509;
use openssl::x509::store::{X509Lookup, X509StoreBuilderRef};
use openssl::x509::verify::X509CheckFlags;

use super::{ClientAuth, ConnectError, CredentialId, Target};

/// Contexts kept at once; an app with more credentials and servers than this rebuilds the
/// least recently used one when it comes back.
const MAX_CONTEXTS: usize = 32;

/// What a context depends on: the client certificate (with its chain) and the trust set.
/// Token connections offer no certificate, so every token key shares one context per trust set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ContextKey {
    /// SHA-256 of the certificate and of each chain certificate; empty for tokens.
    credential: Vec<Vec<u8>>,
    system_roots: bool,
    /// SHA-256 of each extra root, in order.
    extra_roots: Vec<Vec<u8>>,
}

struct Entry {
    /// The certificate's identity, so the contexts (which hold its private key) of a
    /// credential the app forgot can be dropped with it; `None` for tokens (no secret).
    credential: Option<CredentialId>,
    connector: Option<Arc<SslContext>>,
    /// Times built in this process, kept across invalidation so tests can count.
    builds: u64,
    last_used: u64,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<ContextKey, Entry>,
    clock: u64,
}

static CACHE: Mutex<Option<Cache>> = Mutex::new(None);

fn digest(c: &X509) -> Vec<u8> {
    // A digest that fails (it does not, for a parsed certificate) gives a key that never
    // matches another: the context is then built afresh rather than shared by mistake.
    c.digest(MessageDigest::sha256())
        .map(|d| d.to_vec())
        .unwrap_or_else(|_| c.to_der().unwrap_or_default())
}

fn key(target: &Target, auth: &ClientAuth) -> ContextKey {
    let credential = match auth {
        ClientAuth::Certificate(cred) => std::iter::once(&cred.certificate)
            .chain(cred.chain.iter())
            .map(digest)
            .collect(),
        ClientAuth::Token(_) => Vec::new(),
    };
    ContextKey {
        credential,
        system_roots: target.system_roots,
        extra_roots: target.extra_roots.iter().map(digest).collect(),
    }
}

/// The shared context for `target`'s trust and `auth`'s certificate, built on first use.
pub(super) fn connector(
    target: &Target,
    auth: &ClientAuth,
) -> Result<Arc<SslContext>, ConnectError> {
    let key = key(target, auth);
    if let Some(c) = with_cache(|cache| {
        cache.clock += 1;
        let now = cache.clock;
        cache.entries.get_mut(&key).and_then(|e| {
            e.last_used = now;
            e.connector.clone()
        })
    }) {
        return Ok(c);
    }
    // Built outside the lock: two connections that race here both build, and one context
    // wins; that happens once, and nobody waits behind a build for another credential.
    let built = Arc::new(build(target, auth)?);
    let shared = with_cache(|cache| {
        cache.clock += 1;
        let now = cache.clock;
        if !cache.entries.contains_key(&key) && cache.entries.len() >= MAX_CONTEXTS {
            let oldest = cache
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                cache.entries.remove(&oldest);
            }
        }
        let entry = cache.entries.entry(key).or_insert(Entry {
            credential: matches!(auth, ClientAuth::Certificate(_)).then(|| CredentialId::of(auth)),
            connector: None,
            builds: 0,
            last_used: now,
        });
        entry.builds += 1;
        entry.last_used = now;
        entry.connector.get_or_insert_with(|| built.clone()).clone()
    });
    Ok(shared)
}

/// A TLS session for one connection to `target` on the shared context: the server's name for
/// SNI (not when it is an IP address) and the check that its certificate is for that name,
/// as `SslConnector::configure().into_ssl()` sets them.
pub(super) fn session(target: &Target, auth: &ClientAuth) -> Result<Ssl, ConnectError> {
    let err = |e: openssl::error::ErrorStack| ConnectError::Tls {
        message: e.to_string(),
    };
    let context = connector(target, auth)?;
    let mut ssl = Ssl::new(&context).map_err(err)?;
    let name = target.server_name.as_str();
    let ip = name.parse::<std::net::IpAddr>().ok();
    if ip.is_none() {
        ssl.set_hostname(name).map_err(err)?;
    }
    let param = ssl.param_mut();
    param.set_hostflags(X509CheckFlags::NO_PARTIAL_WILDCARDS);
    match ip {
        Some(ip) => param.set_ip(ip),
        None => param.set_host(name),
    }
    .map_err(err)?;
    Ok(ssl)
}

/// Forgets the context for `target` and `auth`, so the next connection reads the trust store
/// again: after the server's certificate was not trusted, the user may have updated the
/// system's roots and tries again without restarting the app.
pub(super) fn invalidate(target: &Target, auth: &ClientAuth) {
    let key = key(target, auth);
    with_cache(|cache| {
        if let Some(e) = cache.entries.get_mut(&key) {
            e.connector = None;
        }
    });
}

/// Drops the contexts of every certificate not in `keep` (with the pool's connections, after
/// a credential was removed or replaced): its private key should not outlive it in memory.
pub(super) fn retain(keep: &[CredentialId]) {
    with_cache(|cache| {
        cache
            .entries
            .retain(|_, e| e.credential.as_ref().is_none_or(|c| keep.contains(c)));
    });
}

/// How many times this process built the TLS client context for `target`'s trust set and
/// `auth`'s certificate: once, however many connections use it, unless it was forgotten after
/// an untrusted server (or evicted for others). For tests and diagnostics.
pub fn tls_context_builds(target: &Target, auth: &ClientAuth) -> u64 {
    let key = key(target, auth);
    with_cache(|cache| cache.entries.get(&key).map_or(0, |e| e.builds))
}

fn with_cache<T>(f: impl FnOnce(&mut Cache) -> T) -> T {
    // A poisoned lock only means another thread panicked while holding it; the map is still
    // consistent (every update is a single insert or field write), so keep using it.
    let mut guard = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    f(guard.get_or_insert_with(Cache::default))
}

/// Builds a context: TLS 1.2 or later, the trust set, peer verification (never off), ALPN h2,
/// and the client certificate with its chain.
fn build(target: &Target, auth: &ClientAuth) -> Result<SslContext, ConnectError> {
    let err = |e: openssl::error::ErrorStack| ConnectError::Tls {
        message: e.to_string(),
    };
    // What `SslConnector::builder` sets, except that the system's trust store is read only
    // when it is used: with `--ca` alone it was read, parsed and thrown away, 60 ms of CPU.
    let mut b = SslContextBuilder::new(SslMethod::tls_client()).map_err(err)?;
    let options = SslOptions::ALL
        | SslOptions::NO_COMPRESSION
        | SslOptions::NO_SSLV2
        | SslOptions::NO_SSLV3
        | SslOptions::SINGLE_DH_USE
        | SslOptions::SINGLE_ECDH_USE;
    b.set_options(options & !SslOptions::DONT_INSERT_EMPTY_FRAGMENTS);
    // Not `RELEASE_BUFFERS`, which `SslConnector` sets: it frees a connection's read buffer
    // whenever it is drained and allocates it again for the next record, and an APNs answer
    // is a record of its own (an allocation and a free per push, for 17 KB a connection).
    b.set_mode(
        SslMode::AUTO_RETRY | SslMode::ACCEPT_MOVING_WRITE_BUFFER | SslMode::ENABLE_PARTIAL_WRITE,
    );
    b.set_cipher_list("DEFAULT:!aNULL:!eNULL:!MD5:!3DES:!DES:!RC4:!IDEA:!SEED:!aDSS:!SRP:!PSK")
        .map_err(err)?;
    b.set_min_proto_version(Some(SslVersion::TLS1_2))
        .map_err(err)?;
    if target.system_roots {
        trust_system_roots(b.cert_store_mut(), !target.extra_roots.is_empty()).map_err(err)?;
    }
    for root in &target.extra_roots {
        b.cert_store_mut().add_cert(root.clone()).map_err(err)?;
    }
    b.set_verify(SslVerifyMode::PEER);
    b.set_alpn_protos(b"\x02h2").map_err(err)?;
    // No read-ahead: the connection reads through its own buffer (`connection::TlsStream`),
    // one system call for many records without OpenSSL moving its buffer for each.
    if let ClientAuth::Certificate(cred) = auth {
        let key = cred
            .require_key()
            .map_err(|e| ConnectError::Credential(e.to_string()))?;
        b.set_certificate(&cred.certificate).map_err(err)?;
        b.set_private_key(key).map_err(err)?;
        b.check_private_key().map_err(|_| {
            ConnectError::Credential("the private key does not match the certificate".to_owned())
        })?;
        for c in &cred.chain {
            // A self-signed root in the chain is not sent; servers have their own.
            if c.issued(c) != openssl::x509::X509VerifyResult::OK {
                b.add_extra_chain_cert(c.clone()).map_err(err)?;
            }
        }
    }
    Ok(b.build())
}

/// Trusts the system's roots, as `set_default_verify_paths` does, but without reading them all
/// when the system keeps them as a hashed directory (Debian, Ubuntu, Arch, Alpine: the
/// `<hash>.0` links `openssl rehash` makes): OpenSSL then looks up the one a chain needs, when
/// it needs it. Reading and parsing the whole bundle up front cost 30–50 ms of CPU per
/// context, before the first push, even for a server whose CA `--ca` gave. The roots are the
/// same: the distribution makes the directory and the bundle from one list. With
/// `SSL_CERT_FILE` or `SSL_CERT_DIR` set, or no hashed directory, it is OpenSSL's own
/// default. When the store trusts other roots too (`--ca`), the bundle is read only when a
/// chain first needs it ([`trust_default_paths`]): a chain from those roots never does. When
/// it trusts nothing else, every chain needs it, so it is read now, as OpenSSL does: with the
/// context, before a batch's clock starts, not in the first handshake.
fn trust_system_roots(store: &mut X509StoreBuilderRef, others: bool) -> Result<(), ErrorStack> {
    let set_by_user = ["SSL_CERT_FILE", "SSL_CERT_DIR"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    trust_system_roots_unless(set_by_user, others, store)
}

fn trust_system_roots_unless(
    set_by_user: bool,
    others: bool,
    store: &mut X509StoreBuilderRef,
) -> Result<(), ErrorStack> {
    match default_hashed_dir() {
        Some(dir) if !set_by_user => store
            .add_lookup(X509Lookup::hash_dir())?
            .add_dir(&dir, SslFiletype::PEM),
        _ if others => trust_default_paths(store),
        _ => store.set_default_paths(),
    }
}

/// OpenSSL's own default trust, as `X509_STORE_set_default_paths` sets it on Unix: the bundle
/// file (`SSL_CERT_FILE`, or OpenSSL's `cert.pem`), then the hashed directories (`SSL_CERT_DIR`,
/// or OpenSSL's `certs`), but with the bundle read when a chain first needs it rather than
/// now ([`trust_file`](super::trust_file)): with `--ca`, a chain from that CA never does.
/// (OpenSSL 3 also adds a `store` lookup, left out here: in OpenSSL 3.0, the version here,
/// its default is that same directory.)
#[cfg(unix)]
fn trust_default_paths(store: &mut X509StoreBuilderRef) -> Result<(), ErrorStack> {
    use super::trust_file;
    let file = std::env::var_os("SSL_CERT_FILE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(trust_file::openssl_default_file);
    let dirs = std::env::var_os("SSL_CERT_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(trust_file::openssl_default_dir);
    trust_default_paths_from(&file, &dirs, store)
}

/// Elsewhere OpenSSL's defaults can be more than a file and directories (Windows' own store),
/// so they are OpenSSL's to set.
#[cfg(not(unix))]
fn trust_default_paths(store: &mut X509StoreBuilderRef) -> Result<(), ErrorStack> {
    store.set_default_paths()
}

/// The bundle `file`, read when needed, then the hashed directories `dirs` (`:`-separated).
#[cfg(unix)]
fn trust_default_paths_from(
    file: &std::path::Path,
    dirs: &std::path::Path,
    store: &mut X509StoreBuilderRef,
) -> Result<(), ErrorStack> {
    super::trust_file::add_trust_file(store, file)?;
    match dirs.to_str() {
        Some(dirs) => store
            .add_lookup(X509Lookup::hash_dir())?
            .add_dir(dirs, SslFiletype::PEM),
        // A directory name that is not UTF-8 cannot be handed over: OpenSSL could not have
        // found it through the environment on most systems either.
        None => Ok(()),
    }
}

/// OpenSSL's default certificate directory (`<OPENSSLDIR>/certs`), when it holds hashed links.
/// Looked for once per process: every context (one per credential and trust set) asks.
fn default_hashed_dir() -> Option<String> {
    static DIR: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    DIR.get_or_init(find_default_hashed_dir).clone()
}

fn find_default_hashed_dir() -> Option<String> {
    // `OPENSSLDIR: "/usr/lib/ssl"`: the same value `X509_get_default_cert_dir` is made from.
    let dir = openssl::version::dir()
        .strip_prefix("OPENSSLDIR: \"")?
        .strip_suffix('"')?;
    let certs = format!("{dir}/certs");
    let hashed = |name: &str| {
        name.split_once('.').is_some_and(|(hash, n)| {
            hash.len() == 8
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        })
    };
    std::fs::read_dir(&certs)
        .ok()?
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_str().is_some_and(hashed))
        .then_some(certs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::Environment;
    use crate::cert::{CertEnvironment, CertificateAuthority, PushCertificateSpec};

    /// The system's roots are still trusted when looked up on demand: a root from the
    /// system's directory verifies against a store set up this way, and not against an empty
    /// one. (Skipped where the system keeps no hashed directory: then the bundle is read.)
    #[test]
    fn system_roots_looked_up_on_demand_are_trusted() {
        use openssl::stack::Stack;
        use openssl::x509::X509StoreContext;
        use openssl::x509::store::X509StoreBuilder;
        let Some(dir) = default_hashed_dir() else {
            eprintln!("no hashed certificate directory here: nothing to check");
            return;
        };
        let root = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_str().is_some_and(|n| n.ends_with(".0")))
            .find_map(|e| X509::from_pem(&std::fs::read(e.path()).ok()?).ok())
            .expect("a root in the hashed directory");
        let verifies = |store: &openssl::x509::store::X509Store| {
            let mut ctx = X509StoreContext::new().unwrap();
            ctx.init(store, &root, &Stack::new().unwrap(), |c| c.verify_cert())
                .unwrap()
        };
        // As on a machine where neither SSL_CERT_FILE nor SSL_CERT_DIR is set.
        let mut system = X509StoreBuilder::new().unwrap();
        trust_system_roots_unless(false, false, &mut system).unwrap();
        let system = system.build();
        assert_eq!(system.all_certificates().len(), 0, "nothing read up front");
        assert!(verifies(&system), "a system root, found when needed");
        assert!(!verifies(&X509StoreBuilder::new().unwrap().build()));
        // With them set, OpenSSL's own default: beside other roots (`--ca`), the bundle is
        // read once a chain needs it; alone, now, since every chain needs it.
        let mut beside = X509StoreBuilder::new().unwrap();
        trust_system_roots_unless(true, true, &mut beside).unwrap();
        let beside = beside.build();
        assert_eq!(beside.all_certificates().len(), 0, "nothing read up front");
        assert!(verifies(&beside), "a system root, found when needed");
        let mut alone = X509StoreBuilder::new().unwrap();
        trust_system_roots_unless(true, false, &mut alone).unwrap();
        let alone = alone.build();
        assert!(!alone.all_certificates().is_empty(), "the bundle, read now");
        assert!(verifies(&alone));
    }

    /// OpenSSL's default paths with the bundle read when needed: the directory's roots and
    /// the bundle's are trusted, and a chain from `--ca`'s CA reads neither.
    #[test]
    fn the_default_bundle_is_read_only_for_a_chain_that_needs_it() {
        use openssl::stack::Stack;
        use openssl::x509::X509StoreContext;
        use openssl::x509::store::X509StoreBuilder;
        let dir = tempfile::tempdir().unwrap();
        let bundled = CertificateAuthority::generate("bundled CA").unwrap();
        let file = dir.path().join("bundle.pem");
        std::fs::write(&file, bundled.certificate.to_pem().unwrap()).unwrap();
        let own = CertificateAuthority::generate("--ca CA").unwrap();
        let store = || {
            let mut b = X509StoreBuilder::new().unwrap();
            b.add_cert(own.certificate.clone()).unwrap();
            trust_default_paths_from(&file, dir.path(), &mut b).unwrap();
            b.build()
        };
        let verifies = |store: &openssl::x509::store::X509Store, ca: &CertificateAuthority| {
            let leaf = ca.issue_server_certificate(&["localhost"]).unwrap();
            let mut ctx = X509StoreContext::new().unwrap();
            ctx.init(store, &leaf.certificate, &Stack::new().unwrap(), |c| {
                c.verify_cert()
            })
            .unwrap()
        };
        let s = store();
        assert!(verifies(&s, &own));
        assert_eq!(
            s.all_certificates().len(),
            1,
            "--ca's CA alone: the bundle unread"
        );
        assert!(verifies(&s, &bundled), "the bundle's CA, read when needed");
        assert_eq!(s.all_certificates().len(), 2);
    }

    #[test]
    fn built_once_shared_and_dropped_with_its_credential() {
        let ca = CertificateAuthority::generate("context test CA").unwrap();
        let cred = ca
            .issue_push_certificate(&PushCertificateSpec::new(
                "com.example.context",
                CertEnvironment::Development,
            ))
            .unwrap();
        let auth = ClientAuth::Certificate(cred);
        let target = Target::simulator(
            "127.0.0.1:9".parse().unwrap(),
            ca.certificate.clone(),
            Environment::Sandbox,
        );
        let a = connector(&target, &auth).unwrap();
        let b = connector(&target, &auth).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "one context, shared");
        assert_eq!(tls_context_builds(&target, &auth), 1);
        // Another trust set is another context.
        let mut other = target.clone();
        other.extra_roots.clear();
        let c = connector(&other, &auth).unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
        invalidate(&target, &auth);
        connector(&target, &auth).unwrap();
        assert_eq!(
            tls_context_builds(&target, &auth),
            2,
            "rebuilt after invalidate"
        );
        retain(&[]);
        assert_eq!(
            tls_context_builds(&target, &auth),
            0,
            "gone with its credential"
        );
    }
}
