//! A trust bundle file (`SSL_CERT_FILE`, or OpenSSL's default `cert.pem`) read the first time a
//! chain needs a certificate the store does not already hold, rather than when the store is
//! made.
//!
//! OpenSSL's own default (`X509_STORE_set_default_paths`) reads and parses the whole bundle up
//! front: Debian's 140-odd roots took 236 million instructions (callgrind), about 60 ms of CPU,
//! for every TLS context and before the first push, even for a server whose CA `--ca` gave,
//! whose chain never needs the bundle. Here the bundle is a lookup like the hashed directory's:
//! OpenSSL asks it only when the store's own certificates have no issuer for a chain; it then
//! reads the whole file into the store, once, as OpenSSL would have up front, and answers
//! from it. What is trusted is the same; only when it is read differs.
//!
//! OpenSSL offers lookups of one's own only through its C API, which the `openssl` crate does
//! not wrap: this module calls it directly, and is the only one in the library that does.
#![allow(unsafe_code)]

use std::ffi::{CString, c_char, c_int, c_void};
use std::path::Path;
use std::sync::{Once, OnceLock};

use foreign_types::ForeignTypeRef;
use openssl::error::ErrorStack;
use openssl::x509::store::X509StoreBuilderRef;
use openssl_sys as ffi;

/// `X509_LOOKUP_TYPE`'s certificates and revocation lists.
const X509_LU_X509: c_int = 1;
const X509_LU_CRL: c_int = 2;

type GetBySubject = unsafe extern "C" fn(
    *mut ffi::X509_LOOKUP,
    c_int,
    *const ffi::X509_NAME,
    *mut ffi::X509_OBJECT,
) -> c_int;
type Free = unsafe extern "C" fn(*mut ffi::X509_LOOKUP);

// OpenSSL 1.1.0 and later (`x509_vfy.h`); not declared by `openssl-sys`.
unsafe extern "C" {
    fn X509_LOOKUP_meth_new(name: *const c_char) -> *mut ffi::X509_LOOKUP_METHOD;
    fn X509_LOOKUP_meth_set_get_by_subject(
        method: *mut ffi::X509_LOOKUP_METHOD,
        get_by_subject: Option<GetBySubject>,
    ) -> c_int;
    fn X509_LOOKUP_meth_set_free(method: *mut ffi::X509_LOOKUP_METHOD, free: Option<Free>)
    -> c_int;
    fn X509_LOOKUP_set_method_data(lookup: *mut ffi::X509_LOOKUP, data: *mut c_void) -> c_int;
    fn X509_LOOKUP_get_method_data(lookup: *const ffi::X509_LOOKUP) -> *mut c_void;
    fn X509_LOOKUP_get_store(lookup: *const ffi::X509_LOOKUP) -> *mut ffi::X509_STORE;
    fn X509_STORE_add_lookup(
        store: *mut ffi::X509_STORE,
        method: *mut ffi::X509_LOOKUP_METHOD,
    ) -> *mut ffi::X509_LOOKUP;
    fn X509_load_cert_crl_file(
        lookup: *mut ffi::X509_LOOKUP,
        file: *const c_char,
        kind: c_int,
    ) -> c_int;
    fn X509_STORE_lock(store: *mut ffi::X509_STORE) -> c_int;
    fn X509_STORE_unlock(store: *mut ffi::X509_STORE) -> c_int;
    fn X509_STORE_get0_objects(store: *mut ffi::X509_STORE) -> *mut ffi::stack_st_X509_OBJECT;
    fn X509_OBJECT_retrieve_by_subject(
        objects: *mut ffi::stack_st_X509_OBJECT,
        kind: c_int,
        name: *const ffi::X509_NAME,
    ) -> *mut ffi::X509_OBJECT;
    fn X509_OBJECT_get0_X509(object: *const ffi::X509_OBJECT) -> *mut ffi::X509;
    fn X509_OBJECT_get0_X509_CRL(object: *const ffi::X509_OBJECT) -> *mut ffi::X509_CRL;
    fn X509_OBJECT_set1_X509(object: *mut ffi::X509_OBJECT, cert: *mut ffi::X509) -> c_int;
    fn X509_OBJECT_set1_X509_CRL(object: *mut ffi::X509_OBJECT, crl: *mut ffi::X509_CRL) -> c_int;
    fn ERR_set_mark() -> c_int;
    fn ERR_pop_to_mark() -> c_int;
}

/// What one store's lookup holds: the file, and whether it was read.
struct TrustFile {
    path: CString,
    read: Once,
}

/// Trusts the certificates in the PEM file at `path`, read when a chain first needs one the
/// store does not hold. One file per store: a second call keeps the first.
pub(super) fn add_trust_file(
    store: &mut X509StoreBuilderRef,
    path: &Path,
) -> Result<(), ErrorStack> {
    let Some(path) = c_path(path) else {
        // A path OpenSSL cannot be given (a NUL in it) names no file it could read either.
        return Ok(());
    };
    let method = method();
    if method.is_null() {
        return Err(ErrorStack::get());
    }
    // SAFETY: `store` is a live store we may change (`&mut`); `method` lives for the whole
    // process. The lookup belongs to the store, which frees it (and through `free`, the data
    // set here) when it is freed itself.
    unsafe {
        let lookup = X509_STORE_add_lookup(store.as_ptr(), method);
        if lookup.is_null() {
            return Err(ErrorStack::get());
        }
        // `X509_STORE_add_lookup` gives back the store's lookup of this method if it has one.
        if !X509_LOOKUP_get_method_data(lookup).is_null() {
            return Ok(());
        }
        let file = Box::into_raw(Box::new(TrustFile {
            path,
            read: Once::new(),
        }));
        if X509_LOOKUP_set_method_data(lookup, file.cast()) == 0 {
            drop(Box::from_raw(file));
            return Err(ErrorStack::get());
        }
    }
    Ok(())
}

/// The module is built on Unix only (`client/mod.rs`), where a path is bytes.
fn c_path(path: &Path) -> Option<CString> {
    use std::os::unix::ffi::OsStrExt as _;
    CString::new(path.as_os_str().as_bytes()).ok()
}

/// The lookup method, made once per process (OpenSSL keeps a pointer to it in every lookup).
fn method() -> *mut ffi::X509_LOOKUP_METHOD {
    static METHOD: OnceLock<usize> = OnceLock::new();
    let made = *METHOD.get_or_init(|| {
        // SAFETY: plain calls on a method this function alone owns; the name is a C string
        // with static lifetime, which OpenSSL copies.
        unsafe {
            let m = X509_LOOKUP_meth_new(c"pushlab trust file, read when needed".as_ptr());
            if m.is_null()
                || X509_LOOKUP_meth_set_get_by_subject(m, Some(get_by_subject)) == 0
                || X509_LOOKUP_meth_set_free(m, Some(free)) == 0
            {
                return 0;
            }
            m as usize
        }
    });
    made as *mut ffi::X509_LOOKUP_METHOD
}

/// OpenSSL's question to a lookup: an object of `kind` whose subject is `name`, for a chain
/// being built. Only asked when the store's own objects have none.
///
/// # Safety
/// Called by OpenSSL with a lookup of [`method`], a name, and an empty object to fill.
unsafe extern "C" fn get_by_subject(
    lookup: *mut ffi::X509_LOOKUP,
    kind: c_int,
    name: *const ffi::X509_NAME,
    found: *mut ffi::X509_OBJECT,
) -> c_int {
    if kind != X509_LU_X509 && kind != X509_LU_CRL {
        return 0;
    }
    // SAFETY: the data is the `TrustFile` `add_trust_file` set, freed only with the lookup.
    let Some(file) = (unsafe {
        X509_LOOKUP_get_method_data(lookup)
            .cast::<TrustFile>()
            .as_ref()
    }) else {
        return 0;
    };
    file.read.call_once(|| {
        // SAFETY: the lookup is live and belongs to its store (the certificates go there);
        // the path is a C string. OpenSSL holds no lock of the store while asking a lookup.
        unsafe {
            // A missing or unreadable bundle adds nothing, as with OpenSSL's own default; its
            // errors are not the handshake's, so they leave the error queue as they came.
            ERR_set_mark();
            X509_load_cert_crl_file(lookup, file.path.as_ptr(), ffi::X509_FILETYPE_PEM);
            ERR_pop_to_mark();
        }
    });
    // SAFETY: the store outlives its lookups; its objects are read under its lock, as
    // OpenSSL's own lookups do.
    unsafe {
        let store = X509_LOOKUP_get_store(lookup);
        if store.is_null() || X509_STORE_lock(store) == 0 {
            return 0;
        }
        let object = X509_OBJECT_retrieve_by_subject(X509_STORE_get0_objects(store), kind, name);
        let answered = !object.is_null() && lend(found, object, kind);
        X509_STORE_unlock(store);
        c_int::from(answered)
    }
}

/// Puts the store's `object` into `found` without a reference of its own, as OpenSSL's own
/// lookups answer (the caller takes one; the store keeps the object alive meanwhile). The
/// `set1` functions take a reference, which is given back at once.
///
/// # Safety
/// `found` is an empty object; `object` is one of the store's, of `kind`, read under its lock.
unsafe fn lend(found: *mut ffi::X509_OBJECT, object: *mut ffi::X509_OBJECT, kind: c_int) -> bool {
    // SAFETY: as the function's contract says; after `set1` the object has the store's
    // reference and this one, so giving this one back leaves it alive.
    unsafe {
        if kind == X509_LU_X509 {
            let cert = X509_OBJECT_get0_X509(object);
            if cert.is_null() || X509_OBJECT_set1_X509(found, cert) == 0 {
                return false;
            }
            ffi::X509_free(cert);
        } else {
            let crl = X509_OBJECT_get0_X509_CRL(object);
            if crl.is_null() || X509_OBJECT_set1_X509_CRL(found, crl) == 0 {
                return false;
            }
            ffi::X509_CRL_free(crl);
        }
    }
    true
}

/// Frees what [`add_trust_file`] gave a lookup, when OpenSSL frees the lookup.
///
/// # Safety
/// Called by OpenSSL once, for a lookup of [`method`] being freed.
unsafe extern "C" fn free(lookup: *mut ffi::X509_LOOKUP) {
    // SAFETY: the data is the `TrustFile` boxed by `add_trust_file`, or null; it is taken
    // out before it is dropped, so it is dropped once.
    unsafe {
        let file = X509_LOOKUP_get_method_data(lookup).cast::<TrustFile>();
        if !file.is_null() {
            X509_LOOKUP_set_method_data(lookup, std::ptr::null_mut());
            drop(Box::from_raw(file));
        }
    }
}

/// OpenSSL's default bundle file (`<OPENSSLDIR>/cert.pem`), as it was built.
pub(super) fn openssl_default_file() -> std::path::PathBuf {
    // SAFETY: returns a pointer to a static C string (or null on a broken build).
    openssl_path(unsafe { ffi::X509_get_default_cert_file() })
}

/// OpenSSL's default certificate directory (`<OPENSSLDIR>/certs`), as it was built.
pub(super) fn openssl_default_dir() -> std::path::PathBuf {
    // SAFETY: as above.
    openssl_path(unsafe { ffi::X509_get_default_cert_dir() })
}

fn openssl_path(p: *const c_char) -> std::path::PathBuf {
    if p.is_null() {
        return std::path::PathBuf::new();
    }
    // SAFETY: OpenSSL's static, NUL-terminated string.
    let bytes = unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes();
    std::path::PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::CertificateAuthority;
    use openssl::stack::Stack;
    use openssl::x509::store::{X509Store, X509StoreBuilder};
    use openssl::x509::{X509, X509StoreContext};

    /// Two CAs in one PEM bundle, and a server certificate from the first.
    fn bundle(dir: &Path) -> (std::path::PathBuf, X509) {
        let a = CertificateAuthority::generate("bundle CA one").unwrap();
        let b = CertificateAuthority::generate("bundle CA two").unwrap();
        let path = dir.join("bundle.pem");
        let mut pem = a.certificate.to_pem().unwrap();
        pem.extend(b.certificate.to_pem().unwrap());
        std::fs::write(&path, pem).unwrap();
        let leaf = a.issue_server_certificate(&["localhost"]).unwrap();
        (path, leaf.certificate)
    }

    fn verifies(store: &X509Store, cert: &X509) -> bool {
        let mut ctx = X509StoreContext::new().unwrap();
        ctx.init(store, cert, &Stack::new().unwrap(), |c| c.verify_cert())
            .unwrap()
    }

    fn store_with(file: &Path, extra: Option<&X509>) -> X509Store {
        let mut b = X509StoreBuilder::new().unwrap();
        if let Some(root) = extra {
            b.add_cert(root.clone()).unwrap();
        }
        add_trust_file(&mut b, file).unwrap();
        b.build()
    }

    #[test]
    fn the_bundle_is_read_when_a_chain_first_needs_it_and_trusted_as_a_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (file, leaf) = bundle(dir.path());
        let store = store_with(&file, None);
        assert_eq!(store.all_certificates().len(), 0, "nothing read up front");
        assert!(verifies(&store, &leaf));
        assert_eq!(store.all_certificates().len(), 2, "the whole bundle, once");
        assert!(verifies(&store, &leaf));
        assert_eq!(store.all_certificates().len(), 2);
        // A certificate from a CA in no bundle is not trusted.
        let stranger = CertificateAuthority::generate("stranger").unwrap();
        let other = stranger.issue_server_certificate(&["localhost"]).unwrap();
        assert!(!verifies(&store, &other.certificate));
    }

    #[test]
    fn a_chain_the_store_already_trusts_never_reads_the_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let (file, _) = bundle(dir.path());
        let own = CertificateAuthority::generate("--ca").unwrap();
        let leaf = own.issue_server_certificate(&["localhost"]).unwrap();
        let store = store_with(&file, Some(&own.certificate));
        assert!(verifies(&store, &leaf.certificate));
        assert_eq!(store.all_certificates().len(), 1, "only --ca's");
    }

    #[test]
    fn a_missing_or_garbled_bundle_trusts_nothing_and_leaves_no_error_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (_, leaf) = bundle(dir.path());
        let garbled = dir.path().join("garbled.pem");
        std::fs::write(&garbled, b"-----BEGIN CERTIFICATE-----\nnot base64\n").unwrap();
        for file in [dir.path().join("missing.pem"), garbled] {
            let store = store_with(&file, None);
            assert!(!verifies(&store, &leaf), "{}", file.display());
            assert!(ErrorStack::get().errors().is_empty(), "{}", file.display());
        }
    }

    #[test]
    fn handshakes_at_once_read_the_bundle_once() {
        let dir = tempfile::tempdir().unwrap();
        let (file, leaf) = bundle(dir.path());
        let store = std::sync::Arc::new(store_with(&file, None));
        let threads: Vec<_> = (0..8)
            .map(|n| {
                let (store, leaf) = (store.clone(), leaf.clone());
                std::thread::Builder::new()
                    .name(format!("handshake {n}"))
                    .spawn(move || verifies(&store, &leaf))
                    .unwrap()
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap());
        }
        assert_eq!(store.all_certificates().len(), 2);
    }

    #[test]
    fn a_second_file_for_one_store_is_not_added() {
        let dir = tempfile::tempdir().unwrap();
        let (file, leaf) = bundle(dir.path());
        let mut b = X509StoreBuilder::new().unwrap();
        add_trust_file(&mut b, &file).unwrap();
        add_trust_file(&mut b, &dir.path().join("missing.pem")).unwrap();
        let store = b.build();
        assert!(verifies(&store, &leaf), "the first file still answers");
    }
}
