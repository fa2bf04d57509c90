//! Driving the desktop app headless: files dropped onto the window as a window manager would.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::gui::{App, AppConfig};

/// The app on a window of `size`, keeping its data in `data_dir`, headless.
pub fn app(data_dir: &Path, size: [f32; 2]) -> Harness<'static, App> {
    let data_dir = data_dir.to_owned();
    Harness::builder()
        .with_size(size)
        // Worker results wake the UI at their own pace (later on a busy machine): a few
        // extra frames to settle.
        .with_max_steps(16)
        .build_eframe(move |cc| {
            App::new(
                cc,
                AppConfig {
                    data_dir: Some(data_dir),
                    ..AppConfig::default()
                },
            )
            .unwrap()
        })
}

/// The app started from a saved `state`, as on a restart, keeping its data in `data_dir`.
pub fn app_with_state(
    data_dir: &Path,
    size: [f32; 2],
    state: pushlab::gui::state::State,
) -> Harness<'static, App> {
    let data_dir = data_dir.to_owned();
    Harness::builder()
        .with_size(size)
        .with_max_steps(16)
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
        })
}

/// Steps frames until `done` holds, for at most a minute.
pub fn step_until(
    harness: &mut Harness<'_, App>,
    what: &str,
    done: impl Fn(&Harness<'_, App>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness) {
        assert!(
            Instant::now() < deadline,
            "{what} never happened; the screen shows: {:#?}",
            harness.root()
        );
        harness.step();
    }
    // Settle; a spinner still turning (a worker finishing something else) is not a failure.
    let _ = harness.try_run();
}

/// Steps frames until the app's simulator is running.
pub fn until_simulator_runs(harness: &mut Harness<'_, App>) {
    step_until(harness, "the simulator starting", |h| {
        h.state().simulator().simulator().is_some()
    });
}

/// Steps frames until a credential is loaded (after "Generate a test certificate", an import).
pub fn until_a_credential_is_loaded(harness: &mut Harness<'_, App>) {
    step_until(harness, "the test certificate", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .any(|e| e.loaded().is_some())
    });
}

/// What Compose says beside a push type Apple takes only token-based, with a certificate.
pub const NEEDS_TOKEN_WARNING: &str =
    "Apple accepts liveactivity pushes only over a token-based connection";

/// With a certificate chosen and a Live Activity in Compose: the warning's *Generate a test
/// auth key*, then frames until the key is the credential (the warning gone), as a person
/// rehearsing one against the simulator does.
pub fn use_a_test_key(harness: &mut Harness<'_, App>) {
    harness.get_by_label("Generate a test auth key").click();
    step_until(harness, "the test auth key in use", |h| {
        !shows(h, NEEDS_TOKEN_WARNING)
    });
}

/// The Batch screen's token field, by its label.
pub const TOKENS_FIELD: &str = "Tokens, one per line (a name after the token is optional)";

/// On the Batch screen: `tokens` typed into the token field, Send pressed, and frames stepped
/// until the batch's summary is in.
pub fn send_batch_and_wait(harness: &mut Harness<'_, App>, tokens: &str) {
    harness.get_by_label(TOKENS_FIELD).focus();
    harness.run();
    harness.get_by_label(TOKENS_FIELD).type_text(tokens);
    harness.run();
    harness.get_by_label("Send batch").click();
    step_until(harness, "the batch finishing", |h| {
        h.state().batch().summary().is_some()
    });
}

/// What the embedded simulator has delivered so far (it must be running).
pub fn deliveries(harness: &Harness<'_, App>) -> Vec<pushlab::sim::Delivery> {
    harness
        .state()
        .simulator()
        .simulator()
        .expect("the simulator runs")
        .inbox()
        .deliveries()
}

/// Switches the app to Chinese through its Language menu, once the system's fonts (which draw
/// Chinese) are loaded.
pub fn to_chinese(harness: &mut Harness<'_, App>) {
    step_until(harness, "the system's fonts", |h| {
        h.state().fonts().is_ready()
    });
    harness.get_by_label("Language").click();
    harness.run();
    harness.get_by_label("简体中文").click();
    harness.run();
}

/// A file dropped onto the window, as eframe hands it over.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops `paths` onto the window and steps one frame.
pub fn drop_files(harness: &mut Harness<'_, App>, paths: &[&Path]) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path.to_path_buf())));
    }
    harness.step();
}

/// Whether some node's label contains `text`.
pub fn shows(harness: &Harness<'_, App>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Steps frames until some label contains `text`.
pub fn wait_for(harness: &mut Harness<'_, App>, text: &str) {
    step_until(harness, &format!("{text:?} on screen"), |h| shows(h, text));
}

/// Opens a screen by its button in the side bar (by role: the screen's heading has the same
/// name).
pub fn open_section(harness: &mut Harness<'_, App>, label: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, label)
        .click();
    harness.run();
}

/// Focuses the field labelled `field` and types `text` into it.
pub fn type_into(harness: &mut Harness<'_, App>, field: &str, text: &str) {
    harness.get_by_label(field).focus();
    harness.run();
    harness.get_by_label(field).type_text(text);
    harness.run();
}

/// The app on a window tall enough to show a whole screen without scrolling.
pub fn app_tall(data_dir: &Path) -> Harness<'static, App> {
    app(data_dir, [1400.0, 2400.0])
}

/// Waits for the embedded simulator and says where it listens.
pub fn simulator_running(harness: &mut Harness<'_, App>) -> std::net::SocketAddr {
    until_simulator_runs(harness);
    harness
        .state()
        .simulator()
        .simulator()
        .expect("the simulator runs")
        .addr()
}

/// The first-run path: a test certificate made from the Connection screen.
pub fn generate_test_certificate(harness: &mut Harness<'_, App>) {
    open_section(harness, "Connection");
    harness.get_by_label("Generate a test certificate").click();
    until_a_credential_is_loaded(harness);
}

/// Types a number into a drag value, replacing what it held.
pub fn set_number(harness: &mut Harness<'_, App>, field: &str, value: &str) {
    harness.get_by_label(field).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(field).type_text(value);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

/// Clicks the first node whose label contains `label`.
pub fn click_first_containing(harness: &mut Harness<'_, App>, label: &str) {
    harness
        .query_all_by_label_contains(label)
        .next()
        .expect("a node with that label")
        .click();
    harness.run();
}

/// Clicks the first node labelled `label` (a screen may show the same button twice).
pub fn click_first(harness: &mut Harness<'_, App>, label: &str) {
    harness
        .query_all_by_label(label)
        .next()
        .expect("a node with that label")
        .click();
    harness.run();
}
