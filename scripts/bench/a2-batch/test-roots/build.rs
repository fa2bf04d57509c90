//! Writes TLS_SERVER_ROOTS from the CA certificate in the PEM file BENCH_A2_CA.
use std::io::Write as _;

fn main() {
    println!("cargo:rerun-if-env-changed=BENCH_A2_CA");
    let path = std::env::var("BENCH_A2_CA").expect("BENCH_A2_CA: the bench CA's PEM file");
    println!("cargo:rerun-if-changed={path}");
    let pem = std::fs::read(&path).expect("BENCH_A2_CA could not be read");
    let der = rustls_pemfile::certs(&mut &pem[..])
        .next()
        .expect("no certificate in BENCH_A2_CA")
        .expect("a bad certificate in BENCH_A2_CA");
    let anchor = webpki::anchor_from_trusted_cert(&der).expect("not a usable trust anchor");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("roots.rs");
    let mut f = std::fs::File::create(out).unwrap();
    writeln!(
        f,
        "pub const TLS_SERVER_ROOTS: &[pki_types::TrustAnchor<'static>] = &[pki_types::TrustAnchor {{ subject: pki_types::Der::from_slice(&{:?}), subject_public_key_info: pki_types::Der::from_slice(&{:?}), name_constraints: None }}];",
        anchor.subject.as_ref(),
        anchor.subject_public_key_info.as_ref()
    )
    .unwrap();
}
