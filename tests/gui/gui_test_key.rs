//! A test auth key made in the app: listed with its key id, a team id filled in where none was
//! typed, and used as it is made, with no Apple account: the connection check passes against
//! the embedded simulator (which trusts the key as it is first used) and a Live Activity
//! goes without the warning a certificate gets.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{click_first, open_section, shows, type_into, wait_for};
use egui_kittest::kittest::Queryable as _;

#[test]
fn a_test_auth_key_checks_and_sends_a_live_activity_without_an_apple_account() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = support::gui::app_tall(data.path());
    support::gui::until_simulator_runs(&mut harness);
    open_section(&mut harness, "Credentials");
    click_first(&mut harness, "New test certificate or key…");
    harness.get_by_label("Generate a test auth key").click();
    wait_for(&mut harness, "Made test auth key");
    let entries = harness.state().credentials().entries();
    assert_eq!(entries.len(), 1);
    let path = entries[0].saved.path.clone();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("AuthKey_") && name.ends_with(".p8"),
        "{name}"
    );
    assert!(path.starts_with(data.path()), "kept in the data folder");
    let key_id = &name["AuthKey_".len()..name.len() - 3];
    assert_eq!(entries[0].saved.name, format!("Test auth key {key_id}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(harness.state().state().connection.team_id, "TESTTEAM01");

    open_section(&mut harness, "Connection");
    // A key, unlike a certificate, does not say which app it is for.
    type_into(&mut harness, "App bundle id", "com.example.pushlab");
    harness.get_by_label("Check connection").click();
    wait_for(&mut harness, "Connection works");
    let report = harness.state().connection().report().unwrap();
    assert!(report.passed());

    open_section(&mut harness, "Compose & Send");
    click_first(&mut harness, "Use the demo device");
    harness.get_by_label("Template").click();
    harness.run();
    click_first(&mut harness, "Live Activity: start");
    assert!(
        !shows(&harness, "only over a token-based connection"),
        "an auth key is what Apple wants for Live Activities"
    );
    harness.get_by_label("Send").click();
    support::gui::step_until(&mut harness, "the answer", |h| {
        !h.state().state().history.is_empty()
    });
    assert_eq!(harness.state().state().history[0].status, Some(200));
    let delivered = support::gui::deliveries(&harness);
    assert_eq!(delivered.len(), 1);
    assert_eq!(
        delivered[0].topic,
        "com.example.pushlab.push-type.liveactivity"
    );
}
