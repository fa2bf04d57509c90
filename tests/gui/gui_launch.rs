//! `pushlab FILE…`, what a double-click on a `.p12` runs: the files given at start are in
//! Credentials, and a second launch hands its files to the open window (the real binary, run
//! with the same data folder) instead of opening another app and simulator.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use pushlab::cert::CertEnvironment;
use pushlab::gui::{App, AppConfig};
use support::gui::step_until;

fn combined_pem(dir: &Path, name: &str) -> PathBuf {
    let cred = support::push_cert(
        &support::ca(),
        "com.example.doorbell",
        CertEnvironment::Development,
    );
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    support::write(dir, name, &pem)
}

fn app_with(config: AppConfig) -> Harness<'static, App> {
    Harness::builder()
        .with_size([1280.0, 900.0])
        .with_max_steps(16)
        .build_eframe(move |cc| App::new(cc, config).unwrap())
}

fn has_credential(h: &Harness<'_, App>, path: &Path) -> bool {
    h.state()
        .credentials()
        .entries()
        .iter()
        .any(|e| e.saved.path == path && e.loaded().is_some())
}

#[test]
fn files_given_at_start_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let pem = combined_pem(dir.path(), "doorbell.pem");
    let mut harness = app_with(AppConfig {
        data_dir: Some(dir.path().join("data")),
        initial_files: vec![pem.clone()],
        ..AppConfig::default()
    });
    step_until(&mut harness, "the file given at start", |h| {
        has_credential(h, &pem)
    });
}

#[test]
fn a_second_launch_hands_its_files_to_the_open_window() {
    let dir = tempfile::tempdir().unwrap();
    // pushlab's data folder on Linux: $XDG_DATA_HOME/pushlab.
    let xdg = dir.path().join("xdg");
    let data = xdg.join("pushlab");
    let lock = pushlab::gui::instance::launch(&data, &[]).unwrap();
    assert!(matches!(lock, pushlab::gui::instance::Launch::First(_)));
    let mut harness = app_with(AppConfig {
        data_dir: Some(data.clone()),
        accept_handoffs: true,
        ..AppConfig::default()
    });
    let pem = combined_pem(dir.path(), "handed.pem");
    let out = support::pushlab()
        .arg(&pem)
        .env("XDG_DATA_HOME", &xdg)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("handed to its window"));
    step_until(&mut harness, "the handed-over file", |h| {
        has_credential(h, &pem)
    });
    drop(lock);
}

/// Apple's `.cer` for a request made here (`pushlab cert request`) pairs with the kept key as
/// it is imported: no key file to find, and the pair is remembered.
#[test]
fn a_certificate_for_a_waiting_key_is_paired_on_import() {
    use openssl::hash::MessageDigest;
    use pushlab::cert::{RequestSubject, SigningRequest, WaitingKeys};

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let subject = RequestSubject::new("dev@example.com", "Ada", Some("GB")).unwrap();
    let request = SigningRequest::create(&subject).unwrap();
    let kept = WaitingKeys::in_data_dir(&data)
        .keep(&request, &subject, None, support::now())
        .unwrap();
    // The portal's part: a certificate over the request's public key.
    let portal = support::ec_key();
    let mut b = openssl::x509::X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    b.set_pubkey(&request.key).unwrap();
    let mut name = openssl::x509::X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "Apple Push Services: com.example.doorbell")
        .unwrap();
    let name = name.build();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_not_before(&openssl::asn1::Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&openssl::asn1::Asn1Time::days_from_now(365).unwrap())
        .unwrap();
    b.sign(&portal, MessageDigest::sha256()).unwrap();
    let cer = support::write(dir.path(), "aps.cer", &b.build().to_der().unwrap());

    let mut harness = app_with(AppConfig {
        data_dir: Some(data),
        ..AppConfig::default()
    });
    support::gui::drop_files(&mut harness, &[&cer]);
    step_until(&mut harness, "the certificate paired with its key", |h| {
        h.state().credentials().entries().iter().any(|e| {
            e.saved.path == cer
                && e.saved.key_path.as_ref() == Some(&kept.key_path)
                && e.loaded().is_some_and(|l| {
                    l.credential
                        .as_ref()
                        .is_some_and(|c| c.private_key.is_some())
                })
        })
    });
    use egui_kittest::kittest::Queryable as _;
    assert!(
        harness
            .query_all_by_label_contains("is paired with the private key kept")
            .next()
            .is_some()
    );
}

/// "New signing request…": the request is written where asked (openssl verifies it), its key
/// waits in the data folder, and removing that key takes a confirmation.
#[test]
fn a_signing_request_made_in_the_app() {
    use egui_kittest::kittest::Queryable as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut harness = app_with(AppConfig {
        data_dir: Some(data.clone()),
        ..AppConfig::default()
    });
    harness.get_by_label("Credentials").click();
    harness.run();
    harness.get_by_label("New signing request…").click();
    step_until(&mut harness, "the signing request page", |h| {
        h.query_all_by_label_contains("New certificate signing request")
            .next()
            .is_some()
    });
    let out = dir.path().join("mine.certSigningRequest");
    for (field, text) in [
        ("Email address", "dev@example.com"),
        ("Common name", "Ada"),
        ("Country (two letters)", "GB"),
    ] {
        harness.get_by_label(field).focus();
        harness.run();
        harness.get_by_label(field).type_text(text);
        harness.run();
    }
    harness.get_by_label("Save the request as").focus();
    harness.run();
    harness
        .get_by_label("Save the request as")
        .type_text(out.to_str().unwrap());
    harness.run();
    harness.get_by_label("Create request").click();
    step_until(&mut harness, "the request written", |h| {
        h.query_all_by_label_contains("Wrote ").next().is_some()
    });
    let verified = support::openssl(
        &[
            "req",
            "-in",
            out.to_str().unwrap(),
            "-noout",
            "-verify",
            "-subject",
        ],
        &[],
    );
    let said = String::from_utf8_lossy(&verified.stdout).into_owned()
        + &String::from_utf8_lossy(&verified.stderr);
    assert!(
        said.contains("CN = Ada") && said.contains("verify OK"),
        "{said}"
    );
    assert!(
        harness
            .query_all_by_label_contains("Ada <dev@example.com>")
            .next()
            .is_some()
    );
    harness.get_by_label("Remove…").click();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("Apple's certificate for the request is useless")
            .next()
            .is_some()
    );
    harness.get_by_label("Remove the key").click();
    harness.run();
    assert!(
        pushlab::cert::WaitingKeys::in_data_dir(&data)
            .list()
            .is_empty()
    );
}
