//! The window never shows a truth that belongs to another route: a check, an answer or a
//! verdict made with one credential is marked once another is chosen; two credentials with
//! one file name read apart (to a screen reader too); a bundle id typed for an auth key stays
//! with that key; a topic the certificate does not cover is said before sending; key and team
//! ids are checked as they are typed. Driven headless by accessible name against the embedded
//! simulator, whose own inbox and answers are the truth.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{open_section, shows, type_into};
use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::state::{SavedCredential, State};
use pushlab::sim::SimIdentity;
use support::gui::step_until;

use support::gui::TOKENS_FIELD;

/// A combined PEM `Push.pem` in `folder`, issued by the app's own simulator CA.
fn push_pem(data: &Path, folder: &str, bundle: &str, env: CertEnvironment) -> PathBuf {
    let ca = SimIdentity::load_or_create(&data.join("simulator"))
        .unwrap()
        .ca;
    let cred = ca
        .issue_push_certificate(&PushCertificateSpec::new(bundle, env))
        .unwrap();
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    let dir = data.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    support::write(&dir, "Push.pem", &pem)
}

fn auth_key(data: &Path) -> PathBuf {
    let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
    let key =
        openssl::pkey::PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap();
    let p8 = data.join("AuthKey_ABC123DEFG.p8");
    std::fs::write(&p8, key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    p8
}

fn saved(path: &Path) -> SavedCredential {
    SavedCredential {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        path: path.to_owned(),
        key_path: None,
    }
}

/// The app with `credentials` in its list, `chosen` on Connection, on `section`, once the
/// simulator runs and every credential is read.
fn app_with(
    data: &Path,
    credentials: &[&Path],
    chosen: &Path,
    section: Section,
) -> Harness<'static, App> {
    let mut state = State {
        section,
        credentials: credentials.iter().map(|p| saved(p)).collect(),
        ..State::default()
    };
    state.connection.credential = Some(chosen.to_owned());
    state.compose.token = "ab".repeat(32);
    let mut harness = support::gui::app_with_state(data, [1400.0, 2400.0], state);
    step_until(&mut harness, "the simulator and the credentials", |h| {
        h.state().simulator().simulator().is_some()
            && h.state()
                .credentials()
                .entries()
                .iter()
                .all(|e| e.loaded().is_some())
    });
    harness
}

/// Chooses on Connection the credential whose picker entry contains `words`.
fn choose(harness: &mut Harness<'_, App>, words: &str) {
    open_section(harness, "Connection");
    harness.get_by_label("Use").click();
    harness.run();
    let option = harness
        .query_all_by_label_contains(words)
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::ComboBox)
        .unwrap_or_else(|| panic!("no picker entry with {words:?}: {:#?}", harness.root()));
    option.click();
    harness.run();
}

fn check(harness: &mut Harness<'_, App>) {
    harness.get_by_label("Check connection").click();
    // One frame takes the click and starts the check (clearing the last report).
    harness.step();
    // A new auth key first restarts the simulator to trust it, and the check waits for that
    // (the last report stays meanwhile): done when a report is there and nothing is pending.
    step_until(harness, "the check", |h| {
        h.state().connection().report().is_some()
            && !h.state().connection().is_busy()
            && !h.state().simulator().is_starting()
    });
}

#[test]
fn a_check_made_with_another_credential_is_not_shown_as_passing() {
    let data = tempfile::tempdir().unwrap();
    let dev = push_pem(
        data.path(),
        "dev",
        "com.example.app",
        CertEnvironment::Development,
    );
    let prod = push_pem(
        data.path(),
        "prod",
        "com.example.app",
        CertEnvironment::Production,
    );
    let mut harness = app_with(data.path(), &[&dev, &prod], &dev, Section::Connection);
    check(&mut harness);
    assert!(shows(&harness, "Connection works"));

    // The production certificate: the pass belonged to the development one.
    choose(&mut harness, "Production");
    assert_eq!(
        harness.state().state().connection.credential.as_deref(),
        Some(prod.as_path())
    );
    assert!(
        !shows(&harness, "Connection works"),
        "a pass for another credential is not shown"
    );
    assert!(shows(
        &harness,
        "Made with Push.pem · com.example.app · Sandbox"
    ));
    assert!(shows(&harness, "run it again"));

    // Back to the one that was checked: the result is its own again.
    choose(&mut harness, "Sandbox");
    assert!(shows(&harness, "Connection works"));
}

#[test]
fn two_credentials_with_one_file_name_have_two_names_everywhere() {
    let data = tempfile::tempdir().unwrap();
    let dev = push_pem(
        data.path(),
        "dev",
        "com.example.app",
        CertEnvironment::Development,
    );
    let prod = push_pem(
        data.path(),
        "prod",
        "com.example.app",
        CertEnvironment::Production,
    );
    let mut harness = app_with(data.path(), &[&dev, &prod], &dev, Section::Credentials);

    // The list, as a screen reader hears its rows.
    let rows: Vec<String> = harness
        .query_all_by_label_contains("Show Push.pem")
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_ne!(rows[0], rows[1], "two files named Push.pem read apart");
    assert!(
        rows.iter()
            .any(|r| r.contains("Sandbox") && r.contains("dev"))
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Production") && r.contains("prod"))
    );

    // The Connection picker.
    open_section(&mut harness, "Connection");
    harness.get_by_label("Use").click();
    harness.run();
    let mut options: Vec<String> = harness
        .query_all_by_label_contains("Push.pem ·")
        .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::ComboBox)
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect();
    options.sort();
    options.dedup();
    assert_eq!(options.len(), 2, "{options:?}");
    harness.key_press(egui::Key::Escape);
    harness.run();

    // The "To … with …" lines of Compose & Send and Batch, and the Doctor's list.
    for section in ["Compose & Send", "Batch"] {
        open_section(&mut harness, section);
        assert!(
            shows(&harness, "with Push.pem · com.example.app · Sandbox"),
            "{section} names the chosen one apart"
        );
    }
    open_section(&mut harness, "Doctor");
    assert!(shows(&harness, "Push.pem · com.example.app · Production"));
}

#[test]
fn the_same_certificate_imported_twice_is_recognised() {
    let data = tempfile::tempdir().unwrap();
    let first = push_pem(
        data.path(),
        "a",
        "com.example.app",
        CertEnvironment::Development,
    );
    let copy = data.path().join("b").join("Push.pem");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(&first, &copy).unwrap();
    let mut harness = app_with(data.path(), &[&first], &first, Section::Credentials);
    support::gui::drop_files(&mut harness, &[&copy]);
    step_until(&mut harness, "the copy read", |h| {
        let entries = h.state().credentials().entries();
        entries.len() == 2 && entries.iter().all(|e| e.loaded().is_some())
    });
    assert!(shows(&harness, "holds the same certificate as Push.pem"));
    assert!(shows(&harness, "The same certificate as Push.pem"));
}

#[test]
fn a_bundle_id_typed_for_an_auth_key_stays_with_the_key() {
    let data = tempfile::tempdir().unwrap();
    let p8 = auth_key(data.path());
    let cert = push_pem(
        data.path(),
        "cert",
        "com.example.doorbell",
        CertEnvironment::Development,
    );
    let mut harness = app_with(data.path(), &[&p8, &cert], &p8, Section::Connection);
    type_into(&mut harness, "Team id", "TEAM123456");
    type_into(&mut harness, "App bundle id", "com.example.keyapp");
    check(&mut harness);
    assert!(shows(&harness, "Connection works"));

    choose(&mut harness, "com.example.doorbell");
    open_section(&mut harness, "Batch");
    assert!(
        !shows(&harness, "is not among the certificate's topics"),
        "nothing to warn about: the key's bundle id did not follow"
    );
    let tokens: String = (0..5u8)
        .map(|i| format!("{}{i:02x}\n", "c0".repeat(31)))
        .collect();
    type_into(&mut harness, TOKENS_FIELD, &tokens);
    harness.get_by_label("Send batch").click();
    step_until(&mut harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
    let summary = harness.state().batch().summary().unwrap().clone();
    assert_eq!((summary.delivered, summary.rejected), (5, 0), "{summary:?}");
    // The simulator's own inbox: every push went to the certificate's topic.
    let inbox = harness
        .state()
        .simulator()
        .simulator()
        .unwrap()
        .inbox()
        .deliveries();
    let batch: Vec<_> = inbox
        .iter()
        .filter(|d| d.token.to_hex().starts_with("c0c0"))
        .collect();
    assert_eq!(batch.len(), 5);
    assert!(
        batch.iter().all(|d| d.topic == "com.example.doorbell"),
        "{:?}",
        batch.iter().map(|d| &d.topic).collect::<Vec<_>>()
    );

    // And the key keeps its own.
    choose(&mut harness, "AuthKey_ABC123DEFG.p8");
    assert_eq!(
        harness.state().state().connection.bundle_id_for(&p8),
        Some("com.example.keyapp")
    );
}

#[test]
fn a_topic_the_certificate_does_not_cover_is_said_before_sending() {
    let data = tempfile::tempdir().unwrap();
    let cert = push_pem(
        data.path(),
        "cert",
        "com.example.doorbell",
        CertEnvironment::Development,
    );
    let mut harness = app_with(data.path(), &[&cert], &cert, Section::Compose);
    type_into(&mut harness, "Bundle id", "com.example.other");
    let warning = "The topic com.example.other is not among the certificate's topics";
    assert!(shows(&harness, warning), "on Compose & Send");
    open_section(&mut harness, "Batch");
    assert!(shows(&harness, warning), "on Batch");
}

#[test]
fn a_development_certificate_against_production_is_said_before_sending() {
    let data = tempfile::tempdir().unwrap();
    let cert = push_pem(
        data.path(),
        "cert",
        "com.example.doorbell",
        CertEnvironment::Development,
    );
    let mut harness = app_with(data.path(), &[&cert], &cert, Section::Connection);
    harness.get_by_label("Apple production").click();
    harness.run();
    for section in ["Compose & Send", "Batch"] {
        open_section(&mut harness, section);
        assert!(
            shows(
                &harness,
                "pushes go to production: APNs will answer BadCertificateEnvironment"
            ),
            "{section}"
        );
    }
}

#[test]
fn key_and_team_ids_are_checked_as_typed_and_a_fixed_team_replaces_the_wrong_one() {
    let data = tempfile::tempdir().unwrap();
    let p8 = auth_key(data.path());
    let mut harness = app_with(data.path(), &[&p8], &p8, Section::Connection);
    type_into(&mut harness, "App bundle id", "com.example.keyapp");
    type_into(&mut harness, "Team id", "AB");
    assert!(shows(
        &harness,
        "A team id has 10 letters and digits; this one has 2 characters."
    ));
    harness.get_by_label("Check connection").click();
    harness.run();
    assert!(
        harness.state().connection().report().is_none(),
        "no check with a bad team id"
    );

    // A wrong team of the right length is trusted by the simulator once used…
    type_into(&mut harness, "Team id", "WRONG123");
    assert!(!shows(&harness, "A team id has 10 letters"));
    check(&mut harness);
    assert!(
        harness
            .state()
            .simulator()
            .trusts("ABC123DEFG", "ABWRONG123")
    );
    // …and fixed, the right one replaces it: the simulator no longer takes the wrong one.
    harness.get_by_label("Team id").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label("Team id").type_text("TEAM123456");
    harness.run();
    assert_eq!(harness.state().state().connection.team_id, "TEAM123456");
    check(&mut harness);
    assert!(harness.state().connection().report().unwrap().passed());
    assert!(
        harness
            .state()
            .simulator()
            .trusts("ABC123DEFG", "TEAM123456")
    );
    assert!(
        !harness
            .state()
            .simulator()
            .trusts("ABC123DEFG", "ABWRONG123")
    );
}

#[test]
fn a_verdict_and_an_answer_for_another_route_or_push_are_marked() {
    let data = tempfile::tempdir().unwrap();
    let a = push_pem(
        data.path(),
        "a",
        "com.example.alpha",
        CertEnvironment::Development,
    );
    let b = push_pem(
        data.path(),
        "b",
        "com.example.beta",
        CertEnvironment::Development,
    );
    let mut harness = app_with(data.path(), &[&a, &b], &a, Section::Doctor);
    step_until(&mut harness, "the system's fonts", |h| {
        h.state().fonts().is_ready()
    });
    harness.get_by_label("Diagnose").click();
    harness.step();
    step_until(&mut harness, "the verdict", |h| {
        h.state().doctor().diagnosis().is_some() && !h.state().doctor().is_busy()
    });
    assert!(
        !shows(&harness, "Made with"),
        "a fresh verdict is shown as it is"
    );
    assert!(shows(&harness, "APNs accepted the push"));

    // Another push (a new token on Compose): the verdict was about the old one.
    open_section(&mut harness, "Compose & Send");
    harness.get_by_label("Send").click();
    harness.step();
    step_until(&mut harness, "the answer", |h| {
        h.state().compose().last().is_some()
    });
    assert_eq!(harness.state().compose().last().unwrap().status, Some(200));
    assert!(!shows(&harness, "Made with"));
    type_into(&mut harness, "Device token", "cd");
    assert!(
        shows(&harness, "Made with Push.pem · com.example.alpha"),
        "the answer is marked once the push changed"
    );
    open_section(&mut harness, "Doctor");
    assert!(shows(&harness, "Made with Push.pem · com.example.alpha"));
    assert!(
        !shows(&harness, "Verdict") && !shows(&harness, "APNs accepted the push"),
        "the old verdict is not shown as this one's"
    );

    // Another credential, same story for the verdict.
    choose(&mut harness, "com.example.beta");
    open_section(&mut harness, "Doctor");
    assert!(shows(&harness, "Made with Push.pem · com.example.alpha"));
}

#[test]
fn an_expired_certificate_is_flagged_and_never_chosen_for_the_user() {
    let data = tempfile::tempdir().unwrap();
    let ca = SimIdentity::load_or_create(&data.path().join("simulator"))
        .unwrap()
        .ca;
    let mut spec = PushCertificateSpec::new("com.example.old", CertEnvironment::Development);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    spec.not_before = now - 400 * 86_400;
    spec.not_after = now - 3 * 86_400;
    let cred = ca.issue_push_certificate(&spec).unwrap();
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    let expired = support::write(data.path(), "Old.pem", &pem);
    let fresh = push_pem(
        data.path(),
        "new",
        "com.example.new",
        CertEnvironment::Development,
    );
    // Nothing chosen yet, the expired one first in the list.
    let mut state = State {
        section: Section::Connection,
        credentials: vec![saved(&expired), saved(&fresh)],
        ..State::default()
    };
    state.compose.token = "ab".repeat(32);
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 2400.0], state);
    step_until(&mut harness, "the credentials", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .all(|e| e.loaded().is_some())
    });
    open_section(&mut harness, "Compose & Send");
    assert!(
        shows(&harness, "with Push.pem · com.example.new"),
        "the fresh one is used, not the first (expired) one"
    );
    open_section(&mut harness, "Connection");
    harness.get_by_label("Use").click();
    harness.run();
    assert!(shows(
        &harness,
        "⚠ Old.pem · com.example.old · Sandbox · Expired"
    ));
    harness.get_by_label_contains("⚠ Old.pem").click();
    harness.run();
    open_section(&mut harness, "Compose & Send");
    assert!(
        shows(&harness, "The certificate expired 3 days ago"),
        "chosen by hand, it is warned about before sending"
    );
}

/// In one column the answer's headline sits beside Send. Once the push in the form is no
/// longer the one answered, the headline goes (the answer's card further down says it was
/// made with something that changed), rather than reading as the answer to what Send would
/// send now.
#[test]
fn the_headline_beside_send_goes_when_the_push_changes() {
    let data = tempfile::tempdir().unwrap();
    let cert = push_pem(
        data.path(),
        "one",
        "com.example.pushlab",
        CertEnvironment::Development,
    );
    let mut state = State {
        section: Section::Compose,
        credentials: vec![SavedCredential {
            name: "Push.pem".into(),
            path: cert.clone(),
            key_path: None,
        }],
        ..State::default()
    };
    state.connection.credential = Some(cert);
    state.compose.token = "ab".repeat(32);
    state.guide_hidden = true;
    let mut harness = support::gui::app_with_state(data.path(), [1024.0, 640.0], state);
    step_until(&mut harness, "the simulator and the credential", |h| {
        h.state().simulator().simulator().is_some()
            && h.state()
                .credentials()
                .entries()
                .iter()
                .all(|e| e.loaded().is_some())
    });
    harness.get_by_label("Send").click();
    harness.step();
    step_until(&mut harness, "the answer", |h| {
        h.state().compose().last().is_some()
    });
    harness.run_steps(2);
    let delivered = |h: &Harness<'_, App>| h.query_all_by_label("200 Delivered").count();
    assert_eq!(delivered(&harness), 2, "the card's and the one beside Send");
    type_into(&mut harness, "Title", " again");
    harness.run_steps(2);
    assert_eq!(
        delivered(&harness),
        1,
        "only the card's, marked as made before"
    );
    assert!(shows(&harness, "has changed since"));
}
