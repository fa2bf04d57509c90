//! The bad-input catalogue: every bad input a person, a file or a server can hand pushlab,
//! each with the specific words of its own message (not just "an error"), and no two alike.
//! To add one, add a row: what it is, what to run, a phrase its message must contain.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
#[path = "catalogue/issue25.rs"]
mod issue25;

use pushlab::apns::token_list::read_token_list;
use pushlab::apns::{BundleId, DeviceToken, Expiration, Headers, PushType, check_payload};
use pushlab::cert::{self, CertEnvironment, ExportFormat, Passphrase};
use pushlab::client::{ClientAuth, Connection, Destination, Target};
use support::{ca, push_cert, pushlab, write};

/// One row: the bad input, and the phrase its message must hold.
struct Case {
    what: &'static str,
    message: String,
    must_say: &'static str,
}

fn case(what: &'static str, message: impl std::fmt::Display, must_say: &'static str) -> Case {
    Case {
        what,
        message: message.to_string(),
        must_say,
    }
}

fn cli_stderr(args: &[&str]) -> String {
    let out = pushlab().args(args).output().unwrap();
    assert_ne!(out.status.code(), Some(0), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn files(dir: &std::path::Path) -> Vec<Case> {
    let credential = push_cert(&ca(), "com.example.app", CertEnvironment::Development);
    let p12 = |pass: &str| {
        credential
            .export(ExportFormat::P12, Some(&Passphrase::new(pass)))
            .unwrap()
    };
    let load = |name: &str, bytes: &[u8], pass: Option<&str>| {
        let path = write(dir, name, bytes);
        cert::load_file(&path, pass.map(Passphrase::new).as_ref())
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string())
    };
    let der = credential.certificate.to_der().unwrap();
    let big = vec![b'A'; 2 << 20];
    let rsa = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let encrypted_key = credential
        .export(ExportFormat::KeyPem, Some(&Passphrase::new("k")))
        .unwrap();
    let csr = {
        let key = credential.private_key.clone().unwrap();
        let mut req = openssl::x509::X509ReqBuilder::new().unwrap();
        req.set_pubkey(&key).unwrap();
        req.sign(&key, openssl::hash::MessageDigest::sha256())
            .unwrap();
        req.build().to_pem().unwrap()
    };
    let cert_only = credential.export(ExportFormat::CertPem, None).unwrap();
    vec![
        case(
            "a file that is not there",
            cert::load_file(&dir.join("nope.p12"), None).unwrap_err(),
            "no such file",
        ),
        case(
            "a folder given as a file",
            cert::load_file(dir, None).unwrap_err(),
            "is a directory",
        ),
        case(
            "a device that never ends",
            cert::load_file("/dev/zero".as_ref(), None).unwrap_err(),
            "not a regular file",
        ),
        case("an empty file", load("empty.p12", b"", None), "is empty"),
        case(
            "2 MB of anything",
            load("big.pem", &big, None),
            "far larger",
        ),
        case(
            "text that is no credential",
            load("notes.txt", b"hello there", None),
            "not a certificate, private key or PKCS#12",
        ),
        case(
            "a .p12 cut in half",
            load("cut.p12", &p12("pw")[..200], Some("pw")),
            "truncated or corrupt — export it from Keychain",
        ),
        case(
            "a .p12 whose MAC asks for 2^31-1 iterations",
            load(
                "billions.p12",
                &support::p12_with_mac_iterations(&p12("pw"), (1 << 31) - 1),
                Some("pw"),
            ),
            "key-derivation iterations",
        ),
        case(
            "a .cer cut in half",
            load("cut.cer", &der[..der.len() / 2], None),
            "truncated or corrupt — download the .cer",
        ),
        case(
            "a .p12 without its passphrase",
            load("locked.p12", &p12("pw"), None),
            "protected by a passphrase",
        ),
        case(
            "a .p12 with the wrong passphrase",
            load("wrong.p12", &p12("pw"), Some("nope")),
            "wrong passphrase",
        ),
        case(
            "a passphrase with a NUL in it",
            load("nul.p12", &p12("pw"), Some("p\0w")),
            "NUL character",
        ),
        case(
            "an encrypted key without its passphrase",
            load("key.pem", &encrypted_key, None),
            "protected by a passphrase",
        ),
        case(
            "a signing request instead of a certificate",
            load("push.certSigningRequest", &csr, None),
            "portal",
        ),
        case(
            "an RSA key named like an auth key",
            load(
                "AuthKey_ABC123DEFG.p8",
                &rsa.private_key_to_pem_pkcs8().unwrap(),
                None,
            ),
            "EC P-256",
        ),
        case(
            "a certificate with no key, used to connect",
            cert::Credential::from_files(
                &cert::load_file(&write(dir, "cert.pem", &cert_only), None).unwrap(),
                None,
            )
            .and_then(|c| c.require_key().map(|_| ()))
            .unwrap_err(),
            "holds no private key",
        ),
    ]
}

fn typed_values() -> Vec<Case> {
    let token = |t: &str| DeviceToken::parse(t).unwrap_err();
    let header = |h: Headers| h.check().unwrap_err();
    let payload = |p: &str, t: PushType, prio: Option<u8>| {
        check_payload(p.as_bytes(), t, prio).errors[0].message()
    };
    vec![
        case("an empty token", token(""), "empty"),
        case(
            "the iOS 13 description of a token",
            token("{length = 32, bytes = 0x740f4707 ... 61bb78ad }"),
            "description",
        ),
        case(
            "a token with a typo",
            token(&format!("{}g", "ab".repeat(16))),
            "not a hex digit",
        ),
        case(
            "a token missing a digit",
            token(&"a".repeat(63)),
            "odd number",
        ),
        case("a token cut short", token("abcd"), "cut short"),
        case(
            "two tokens pasted together",
            token(&"ab".repeat(120)),
            "pasted together",
        ),
        case(
            "priority 7",
            header(Headers {
                priority: Some(7),
                ..Headers::default()
            }),
            "10 (now), 5",
        ),
        case(
            "a negative expiration",
            Expiration::parse("-5").unwrap_err(),
            "not a Unix time",
        ),
        case(
            "a 65-byte collapse id",
            header(Headers {
                collapse_id: Some("c".repeat(65)),
                ..Headers::default()
            }),
            "allows 64",
        ),
        case(
            "an apns-id that is no UUID",
            header(Headers {
                apns_id: Some("not-a-uuid".into()),
                ..Headers::default()
            }),
            "not a UUID",
        ),
        case(
            "a bundle id with a space",
            BundleId::parse("com.example app").unwrap_err(),
            "has a space",
        ),
        case(
            "a bundle id with two dots",
            BundleId::parse("com..app").unwrap_err(),
            "empty part",
        ),
        case(
            "a bundle id with an underscore",
            BundleId::parse("com.ex_ample").unwrap_err(),
            "only letters, digits",
        ),
        case(
            "a payload that is no JSON",
            payload("{\"aps\":", PushType::Alert, None),
            "not valid JSON",
        ),
        case(
            "a payload over 4 KB",
            payload(
                &format!("{{\"aps\":{{\"alert\":\"{}\"}}}}", "x".repeat(5000)),
                PushType::Alert,
                None,
            ),
            "4096",
        ),
        case(
            "a background push with priority 10",
            payload(
                "{\"aps\":{\"content-available\":1}}",
                PushType::Background,
                Some(10),
            ),
            "priority",
        ),
        case(
            "a token-list line that is no token",
            read_token_list(b"not-a-token\n")[0].clone().unwrap_err(),
            "line 1",
        ),
        case(
            "a token-list line of 100 KB",
            read_token_list(&vec![b'a'; 100 * 1024])[0]
                .clone()
                .unwrap_err(),
            "longer than 64 KiB",
        ),
        case(
            "a port out of range",
            "gw.corp:99999".parse::<Destination>().unwrap_err(),
            "port must be a number",
        ),
        case(
            "no destination at all",
            "".parse::<Destination>().unwrap_err(),
            "name a destination",
        ),
        case(
            "an IPv6 address without its ]",
            "[::1:443".parse::<Destination>().unwrap_err(),
            "closing ]",
        ),
    ]
}

fn command_lines(dir: &std::path::Path) -> Vec<Case> {
    let p = |n: &str| dir.join(n).to_str().unwrap().to_owned();
    std::fs::write(p("tokens.txt"), "ab\n").unwrap();
    vec![
        case(
            "one file for dead and bad tokens",
            cli_stderr(&[
                "batch",
                "--tokens",
                &p("tokens.txt"),
                "--alert",
                "x",
                "--dead-tokens",
                &p("l.txt"),
                "--bad-tokens",
                &p("l.txt"),
            ]),
            "need two files",
        ),
        case(
            "a token list that is not there",
            cli_stderr(&["batch", "--tokens", &p("missing.txt"), "--alert", "x"]),
            "could not open",
        ),
        case(
            "a passphrase on the command line",
            cli_stderr(&["cert", "inspect", &p("tokens.txt"), "--password", "secret"]),
            "--password",
        ),
        case(
            "the simulator named for the legacy feedback service",
            cli_stderr(&["feedback", "--server", "local", "--cert", &p("x.pem")]),
            "--legacy-port",
        ),
        case(
            "a shell no completion exists for",
            cli_stderr(&["completions", "tcsh"]),
            "invalid value",
        ),
    ]
}

async fn servers() -> Vec<Case> {
    let auth = ClientAuth::Certificate(push_cert(&ca(), "com.x", CertEnvironment::Development));
    // A port where nothing listens.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = free.local_addr().unwrap();
    drop(free);
    let refused = Connection::open(
        &Target::custom(&closed.to_string()).unwrap(),
        &auth,
        std::time::Duration::from_secs(5),
    )
    .await
    .unwrap_err();
    // A server that answers in plain text, not TLS.
    let plain = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = plain.local_addr().unwrap();
    tokio::spawn(async move {
        if let Ok((mut s, _)) = plain.accept().await {
            use tokio::io::AsyncWriteExt as _;
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let garbage = Connection::open(
        &Target::custom(&addr.to_string()).unwrap(),
        &auth,
        std::time::Duration::from_secs(5),
    )
    .await
    .unwrap_err();
    vec![
        case("nothing listening", refused, "nothing listens there"),
        case("a server that speaks no TLS", garbage, "TLS"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_has_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = files(dir.path());
    cases.extend(typed_values());
    cases.extend(command_lines(dir.path()));
    cases.extend(issue25::endless_inputs(dir.path()));
    cases.extend(issue25::outputs_over_inputs(dir.path()));
    cases.extend(servers().await);
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut report = Vec::new();
    for c in &cases {
        if !c.message.contains(c.must_say) {
            report.push(format!(
                "{}: {:?} lacks {:?}",
                c.what, c.message, c.must_say
            ));
        }
    }
    assert!(report.is_empty(), "{report:#?}");
    let mut seen = std::collections::HashMap::new();
    for c in &cases {
        if let Some(other) = seen.insert(c.message.clone(), c.what) {
            panic!("'{}' and '{}' say the same: {}", other, c.what, c.message);
        }
    }
}
