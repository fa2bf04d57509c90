//! Driving the desktop app headless: files dropped onto the window as a window manager would.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::Harness;
use pushlab::gui::App;

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
