//! The Doctor screen, driven by accessible name: a working setup against the embedded
//! simulator is "delivered"; a pasted iOS 13 description is named as the cause, first; the
//! saved credential shows its days left; the screen reads in Chinese too.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::shows;
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::gui::App;
use support::gui::step_until;

fn app(data_dir: &Path) -> Harness<'static, App> {
    support::gui::app(data_dir, [1400.0, 2400.0])
}

/// The simulator running and a test certificate from it chosen on Connection.
fn ready(harness: &mut Harness<'_, App>) {
    support::gui::until_simulator_runs(harness);
    harness.get_by_label("Connection").click();
    harness.run();
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(harness);
}

fn diagnose(harness: &mut Harness<'_, App>) -> String {
    // The verdict's arrow is drawn with the system's fonts.
    step_until(harness, "the system's fonts", |h| {
        h.state().fonts().is_ready()
    });
    harness.get_by_label("Doctor").click();
    harness.run();
    harness.get_by_label("Diagnose").click();
    step_until(harness, "the diagnosis", |h| {
        h.state().doctor().diagnosis().is_some()
    });
    harness
        .state()
        .doctor()
        .diagnosis()
        .unwrap()
        .verdict
        .cause
        .to_owned()
}

#[test]
fn a_working_setup_is_delivered_and_the_credential_shows_its_days() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    harness.get_by_label("Compose & Send").click();
    harness.run();
    harness
        .query_all_by_label("Use the demo device")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(diagnose(&mut harness), "delivered");
    assert!(shows(&harness, "Verdict"));
    assert!(shows(&harness, "APNs accepted the push"));
    assert!(
        shows(&harness, "On the phone"),
        "phone-side causes are listed"
    );
    // The test certificate lives a year: its days left are shown in its chip, and not again
    // in the line naming it ("… · Sandbox · 364 days left [364 days left]").
    assert!(shows(&harness, "days left"));
    assert!(
        !shows(&harness, "Sandbox · 364 days left") && !shows(&harness, "Sandbox · 365 days left")
    );
}

#[test]
fn a_pasted_ios13_description_is_named_first() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    harness.get_by_label("Compose & Send").click();
    harness.run();
    harness.get_by_label("Device token").focus();
    harness.run();
    harness
        .get_by_label("Device token")
        .type_text("{length = 32, bytes = 0x740f4707 bebcf74f ... 462c7eaf 61bb78ad}");
    harness.run();
    assert_eq!(diagnose(&mut harness), "token_malformed");
    assert!(shows(&harness, "is cut short"), "the evidence is on screen");
    assert!(shows(&harness, "%02x"), "and the fix");
}

#[test]
fn the_doctor_reads_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    harness.get_by_label("Doctor").click();
    harness.run();
    assert!(shows(&harness, "Diagnose"));
    harness.get_by_label("Language").click();
    harness.run();
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(
        shows(&harness, "诊断"),
        "the navigation follows the language"
    );
    assert!(
        harness.query_by_label("开始诊断").is_some(),
        "the Diagnose button is named in Chinese"
    );
    assert!(shows(&harness, "已保存的凭证"));
}

/// A combined PEM of a push certificate that ends `days` from now, dropped onto the window.
fn import_cert_ending_in(harness: &mut Harness<'_, App>, dir: &Path, name: &str, days: i64) {
    let ca = support::ca();
    let now = support::now();
    let cred = support::push_cert_valid(
        &ca,
        "com.example.doorbell",
        pushlab::cert::CertEnvironment::Development,
        now - 300 * support::DAY,
        now + days * support::DAY + 3600,
    );
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    let path = support::write(dir, name, &pem);
    support::gui::drop_files(harness, &[&path]);
    step_until(harness, "the certificate loading", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .any(|e| e.saved.name == name && e.loaded().is_some())
    });
}

#[test]
fn a_certificate_expiring_within_a_week_is_warned_about_on_every_screen() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    import_cert_ending_in(&mut harness, data.path(), "fine.pem", 200);
    assert!(
        !shows(&harness, "renew it before pushes stop"),
        "200 days: no warning"
    );
    import_cert_ending_in(&mut harness, data.path(), "soon.pem", 5);
    harness.get_by_label("History").click();
    harness.run();
    assert!(shows(&harness, "soon.pem expires in 5 days"));
    assert_eq!(
        harness.state().expiring_credentials(),
        vec![("soon.pem".to_owned(), 5)]
    );
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(!shows(&harness, "soon.pem expires in"));
}

#[test]
fn the_doctors_verdict_and_fix_read_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    harness.get_by_label("Compose & Send").click();
    harness.run();
    harness.get_by_label("Device token").focus();
    harness.run();
    harness
        .get_by_label("Device token")
        .type_text("{length = 32, bytes = 0x740f4707 bebcf74f ... 462c7eaf 61bb78ad}");
    harness.run();
    support::gui::to_chinese(&mut harness);
    harness.get_by_label("诊断").click();
    harness.run();
    harness.get_by_label("开始诊断").click();
    step_until(&mut harness, "the diagnosis", |h| {
        h.state().doctor().diagnosis().is_some()
    });
    assert!(
        shows(&harness, "最可能的原因：这是 iOS 13+ 的"),
        "the verdict, in Chinese"
    );
    assert!(
        shows(&harness, "请在应用中把令牌记录为十六进制"),
        "its fix, in Chinese"
    );
    assert!(shows(&harness, "设备令牌格式正确"), "the check's title");
    assert!(
        shows(&harness, "证书可用于沙盒环境"),
        "a passed check's evidence"
    );
    assert!(!shows(&harness, "Most likely cause"), "no English left");
}

/// A saved credential whose file is gone is listed as one that could not be read, as the
/// Credentials list says: it was a neutral "not loaded", as if it were still to come.
#[test]
fn a_saved_credential_that_cannot_be_read_says_so() {
    use pushlab::gui::state::{SavedCredential, State};
    let data = tempfile::tempdir().unwrap();
    let state = State {
        credentials: vec![SavedCredential {
            name: "gone.p12".to_owned(),
            path: data.path().join("gone.p12"),
            key_path: None,
        }],
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 2400.0], state);
    harness.get_by_label("Doctor").click();
    harness.run();
    step_until(&mut harness, "the credential read, and failed", |h| {
        shows(h, "Could not be read")
    });
    assert!(!shows(&harness, "not loaded"));
}

/// Compose holds a Live Activity and the credential is a certificate: the doctor warns that
/// Apple takes these only with an auth key, with the fix, and the simulator's refusal of the
/// test push is put down to that.
#[test]
fn a_live_activity_with_a_certificate_is_warned_of() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready(&mut harness);
    harness.get_by_label("Compose & Send").click();
    harness.run();
    support::gui::click_first(&mut harness, "Use the demo device");
    harness.get_by_label("Template").click();
    harness.run();
    harness.get_by_label("Live Activity: start").click();
    harness.run();
    assert_eq!(diagnose(&mut harness), "certificate_for_token_push");
    assert!(shows(&harness, "Credential fits the push type"));
    assert!(shows(
        &harness,
        "Apple accepts liveactivity pushes only over a token-based connection"
    ));
    assert!(
        shows(&harness, "developer portal's Keys page"),
        "and the fix"
    );
}
