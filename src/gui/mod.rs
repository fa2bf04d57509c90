//! The desktop app (eframe/egui). The only module that imports egui, eframe or rfd; it calls
//! the library like the CLI does and never blocks its UI thread (see [`worker`]).
//!
//! Each screen is a folder (a small one a single file): `mod.rs` holds the panel struct, its
//! accessors and `ui()`, and each other file one job of the screen (a card, the job it starts,
//! an export). Panels reach their parent's private fields from those files, so nothing is made
//! public for the split. Files are written through `save_flow`, which every export shares.
//!
//! Adding a screen: a variant in [`app::Section`] (and its place in the navigation), a
//! `<screen>/` folder with a panel struct whose `ui()` pushes [`app::Command`]s, the commands'
//! variants and their handling in `app/commands.rs`, and `poll()` for the panel's
//! [`worker::Task`]s.

pub mod app;
pub mod batch;
pub mod channels;
pub mod charts;
pub mod compose;
pub mod connection;
pub mod credentials;
mod devices;

mod dialogs;
pub mod doctor;
mod error;
pub mod fonts;
#[doc(hidden)]
pub mod fuzz;
mod history;
pub mod i18n;
pub mod instance;
pub mod made_with;
mod save_flow;
pub mod simulator;
pub mod state;
pub mod theme;
mod widgets;
pub mod worker;

use std::process::ExitCode;

pub use app::{App, AppConfig};
pub use error::{JobError, Sending};

/// The window icon (the 256 px rendering of `icons/`).
const ICON_PNG: &[u8] = include_bytes!("../../icons/pushlab-256.png");
/// The logo in the navigation (64 px, shown at 26 points: sharp up to 2× scaling).
const LOGO_PNG: &[u8] = include_bytes!("../../icons/pushlab-64.png");

/// Opens the main window with `files` imported, and runs until it is closed; or, when a
/// window is already open on this data folder, hands `files` to it.
pub fn run(files: Vec<std::path::PathBuf>) -> ExitCode {
    app::mark_start();
    let mut config = AppConfig::from_system();
    let _lock = match config
        .data_dir
        .as_deref()
        .map(|d| instance::launch(d, &files))
    {
        Some(Ok(instance::Launch::First(lock))) => Some(lock),
        Some(Ok(instance::Launch::HandedOver { files })) => {
            println!(
                "pushlab is already open: {files} file(s) handed to its window, which imports them"
            );
            return ExitCode::SUCCESS;
        }
        Some(Ok(instance::Launch::AlreadyRunning)) => {
            eprintln!(
                "pushlab is already open on this computer, with its simulator: use that window (a second one would need the same simulator ports). Files given as arguments are handed to it."
            );
            return ExitCode::from(2);
        }
        // No data folder, or the lock cannot be taken (a read-only home): run alone.
        Some(Err(_)) | None => None,
    };
    config.initial_files = files;
    // Legacy Keychain .p12 files need OpenSSL's legacy provider; load it before any file.
    let _ = crate::cert::ensure_legacy_provider();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Pushlab")
        .with_app_id("pushlab")
        .with_inner_size(theme::START_WINDOW)
        .with_min_inner_size(theme::MIN_WINDOW)
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let result = eframe::run_native(
        "pushlab",
        options,
        Box::new(move |cc| Ok(Box::new(App::new(cc, config)?))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "pushlab: the window could not be opened ({e}). The command line works without a display: try `pushlab --help`."
            );
            ExitCode::FAILURE
        }
    }
}
