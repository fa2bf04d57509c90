//! The Credentials screen driven headless by accessibility label, with the real worker: files
//! are dropped as a window manager would drop them, and results are awaited by stepping frames.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{shows, type_into};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::cert::{CertEnvironment, ExportFormat, Passphrase};
use pushlab::gui::state::{SavedCredential, State};
use pushlab::gui::{App, AppConfig};
use support::gui::drop_files;
use support::*;

fn app(data_dir: &Path) -> Harness<'static, App> {
    support::gui::app(data_dir, [1280.0, 1500.0])
}

/// A first run opens on Compose & Send; the Credentials screen is one click away.
fn open_credentials(harness: &mut Harness<'_, App>) {
    harness.get_by_label("Credentials").click();
    harness.run();
}

/// Steps frames until `label` (a substring) is on screen; the worker answers meanwhile.
/// Then it waits for the screen to settle: other files may still be loading (a spinner), and
/// on a busy machine they finish later than the one awaited.
fn wait_for(harness: &mut Harness<'_, App>, label: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(shows(harness, label) && harness.try_run().is_ok()) {
        assert!(
            Instant::now() < deadline,
            "{label:?} never appeared, or the screen never settled; it shows: {:#?}",
            harness.root()
        );
        harness.step();
    }
}

fn has_label(harness: &Harness<'_, App>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

fn write_p12(dir: &Path, name: &str, bundle: &str, passphrase: Option<&str>) -> PathBuf {
    let credential = push_cert(&ca(), bundle, CertEnvironment::Development);
    let pass = passphrase.map(Passphrase::new);
    let bytes = credential.export(ExportFormat::P12, pass.as_ref()).unwrap();
    write(dir, name, &bytes)
}

#[test]
fn dropped_p12_shows_bundle_id_and_environment() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let p12 = write_p12(files.path(), "Push.p12", "com.example.doorbell", None);
    let mut harness = app(data.path());
    harness.run();
    assert_eq!(
        harness.state().state().section,
        pushlab::gui::app::Section::Compose,
        "a first run opens where the guide is"
    );
    assert!(shows(&harness, "First run: send a push in four steps"));
    open_credentials(&mut harness);
    assert!(has_label(&harness, "No credentials yet."));

    drop_files(&mut harness, &[&p12]);
    wait_for(&mut harness, "com.example.doorbell");

    assert!(has_label(&harness, "Sandbox"), "environment chip");
    assert!(shows(&harness, "days left"), "expiry badge");
    assert!(has_label(&harness, "Certificate + key"));
    assert!(
        has_label(&harness, "Copy SHA-256"),
        "fingerprints are copyable"
    );
    let entries = harness.state().credentials().entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].saved.path, p12);
}

#[test]
fn protected_p12_asks_for_the_passphrase_and_says_when_it_is_wrong() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let p12 = write_p12(
        files.path(),
        "Secret.p12",
        "com.example.secret",
        Some("s3cret"),
    );
    let mut harness = app(data.path());
    drop_files(&mut harness, &[&p12]);
    wait_for(&mut harness, "Passphrase for Secret.p12");
    assert!(has_label(&harness, "🔒 Passphrase needed"));

    type_into(&mut harness, "Passphrase for Secret.p12", "wrong");
    harness.get_by_label("Unlock").click();
    wait_for(&mut harness, "Wrong passphrase for Secret.p12");

    type_into(&mut harness, "Passphrase for Secret.p12", "s3cret");
    harness.get_by_label("Unlock").click();
    wait_for(&mut harness, "com.example.secret");
    assert!(
        harness
            .query_by_label_contains("Wrong passphrase")
            .is_none()
    );

    // What would be saved holds the path, never the passphrase.
    let saved = serde_json::to_string(&harness.state().state()).unwrap();
    assert!(saved.contains("Secret.p12"));
    assert!(!saved.contains("s3cret"));
}

#[test]
fn certificate_and_key_dropped_together_become_one_credential() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let credential = push_cert(&ca(), "com.example.pair", CertEnvironment::Universal);
    let cer = write(
        files.path(),
        "aps.cer",
        &credential.certificate.to_der().unwrap(),
    );
    let key = write(
        files.path(),
        "key.pem",
        &credential.export(ExportFormat::KeyPem, None).unwrap(),
    );
    let mut harness = app(data.path());
    drop_files(&mut harness, &[&cer, &key]);
    wait_for(&mut harness, "aps.cer + key.pem");

    assert!(has_label(&harness, "Universal"));
    let entries = harness.state().credentials().entries();
    assert_eq!(entries.len(), 1, "the key joined the certificate");
    assert_eq!(entries[0].saved.key_path.as_deref(), Some(key.as_path()));
}

#[test]
fn generated_test_certificate_is_listed_with_its_environment() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    harness.run();
    open_credentials(&mut harness);
    harness
        .query_all_by_label("New test certificate or key…")
        .next()
        .unwrap()
        .click();
    harness.run();
    type_into(&mut harness, "Bundle id", "com.example.generated");
    harness.get_by_label("Production").click();
    harness.run();
    harness.get_by_label("Generate test certificate").click();
    wait_for(&mut harness, "com.example.generated (test, production)");

    assert!(has_label(&harness, "Production"), "environment chip");
    assert!(shows(&harness, "Issued a test certificate"));
    let ca_key = data.path().join("simulator/ca-key.pem");
    assert!(
        ca_key.exists(),
        "the simulator CA is kept in the data folder"
    );
    assert_eq!(mode(&ca_key), 0o600);
    let entries = harness.state().credentials().entries();
    assert!(entries[0].saved.path.starts_with(data.path()));
}

#[test]
fn combined_pem_export_holds_cert_and_key_and_is_owner_only() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let p12 = write_p12(files.path(), "Push.p12", "com.example.export", None);
    let out = files.path().join("ck.pem");
    let mut harness = app(data.path());
    drop_files(&mut harness, &[&p12]);
    wait_for(&mut harness, "com.example.export");

    harness.get_by_label("Combined PEM (cert + key)").click();
    type_into(&mut harness, "Save to path", out.to_str().unwrap());
    harness.get_by_label("Save").click();
    wait_for(&mut harness, "Saved to");

    let pem = std::fs::read_to_string(&out).unwrap();
    assert!(pem.contains("-----BEGIN CERTIFICATE-----"));
    assert!(pem.contains("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(mode(&out), 0o600);

    // A second save to the same path asks first, where the user pressed Save.
    harness.get_by_label("Save").click();
    wait_for(&mut harness, "ck.pem exists. Replace it?");
}

#[test]
fn a_typed_path_that_exists_is_replaced_only_after_asking() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let p12 = write_p12(files.path(), "Push.p12", "com.example.replace", None);
    let out = files.path().join("ck.pem");
    std::fs::write(&out, "keep me").unwrap();
    let mut harness = app(data.path());
    drop_files(&mut harness, &[&p12]);
    wait_for(&mut harness, "com.example.replace");
    harness.get_by_label("Combined PEM (cert + key)").click();
    type_into(&mut harness, "Save to path", out.to_str().unwrap());

    harness.get_by_label("Save").click();
    wait_for(&mut harness, "ck.pem exists. Replace it?");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    assert!(!shows(&harness, "Saved to"));

    // Cancel: the question goes, the file stays.
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(!shows(&harness, "Replace it?"));
    assert!(!has_label(&harness, "Replace"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");

    // Asked again, Replace writes it.
    harness.get_by_label("Save").click();
    wait_for(&mut harness, "ck.pem exists. Replace it?");
    harness.get_by_label("Replace").click();
    wait_for(&mut harness, "Saved to");
    assert!(!shows(&harness, "Replace it?"));
    let pem = std::fs::read_to_string(&out).unwrap();
    assert!(pem.contains("-----BEGIN PRIVATE KEY-----"), "{pem}");
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);
    assert_eq!(names(files.path()), ["Push.p12", "ck.pem"]);
}

#[test]
fn on_restart_plain_files_reload_and_protected_ones_wait_for_their_passphrase() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let plain = write_p12(files.path(), "Plain.p12", "com.example.plain", None);
    let locked = write_p12(files.path(), "Locked.p12", "com.example.locked", Some("pw"));
    let state = State {
        credentials: vec![
            SavedCredential {
                name: "Plain.p12".to_owned(),
                path: plain,
                key_path: None,
            },
            SavedCredential {
                name: "Locked.p12".to_owned(),
                path: locked,
                key_path: None,
            },
        ],
        ..State::default()
    };
    let data_dir = data.path().to_owned();
    let mut harness = Harness::builder()
        .with_size([1280.0, 1500.0])
        .build_eframe(move |cc| {
            App::with_state(
                cc,
                AppConfig {
                    data_dir: Some(data_dir),
                    ..AppConfig::default()
                },
                state,
            )
            .unwrap()
        });
    wait_for(&mut harness, "Passphrase needed");
    // The row is named with what tells it apart: "Show Plain.p12 · com.example.plain · …".
    harness
        .get_by_label_contains("Show Plain.p12 · com.example.plain · Sandbox")
        .click();
    wait_for(&mut harness, "com.example.plain");
    assert!(has_label(&harness, "Sandbox"));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The passphrase field takes the keyboard when it appears, and again after a wrong try:
/// typing goes straight into it, and Enter unlocks.
#[test]
fn the_passphrase_field_is_focused_when_it_appears() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let p12 = write_p12(
        files.path(),
        "Secret.p12",
        "com.example.secret",
        Some("s3cret"),
    );
    let mut harness = app(data.path());
    drop_files(&mut harness, &[&p12]);
    wait_for(&mut harness, "Passphrase for Secret.p12");
    harness.run();
    assert!(
        harness
            .get_by_label("Passphrase for Secret.p12")
            .is_focused()
    );
    harness
        .get_by_label("Passphrase for Secret.p12")
        .type_text("wrong");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "Wrong passphrase for Secret.p12");
    harness.run();
    assert!(
        harness
            .get_by_label("Passphrase for Secret.p12")
            .is_focused()
    );
    harness
        .get_by_label("Passphrase for Secret.p12")
        .type_text("s3cret");
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "com.example.secret");
}
