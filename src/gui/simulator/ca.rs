//! The simulator's CA, which clients must trust: saved to a file through the screens' one
//! save flow.

use std::path::PathBuf;

use egui::RichText;

use super::SimulatorPanel;
use crate::gui::app::Command;
use crate::gui::dialogs;
use crate::gui::i18n::msg;
use crate::gui::theme::{Palette, SECTION_GAP};
use crate::gui::widgets::path_field;
use crate::gui::worker::Worker;

impl SimulatorPanel {
    /// Asks the native dialog where to save the simulator's CA, starting in `start`, then saves it
    /// there.
    pub fn pick_export_path(&mut self, start: Option<PathBuf>, worker: &Worker) {
        let name = "pushlab-simulator-ca.pem".to_owned();
        self.export.choose(
            worker,
            msg::simulator_export_the_simulators_ca(),
            start,
            name,
            (),
        );
    }

    /// Saves the CA; an existing file only with `overwrite` (the user was asked).
    pub fn export_ca(&mut self, path: PathBuf, overwrite: bool, worker: &Worker) {
        let Some(sim) = &self.running else {
            self.export.fail(msg::simulator_not_running_for_ca());
            return;
        };
        let pem = match sim.ca_certificate().to_pem() {
            Ok(pem) => pem,
            Err(e) => {
                self.export
                    .fail(msg::simulator_ca_write_failed(e.to_string()));
                return;
            }
        };
        self.export.path = path.display().to_string();
        self.export.write(worker, (), overwrite, move || {
            dialogs::write_file(&path, &pem, overwrite)
        });
    }

    pub(super) fn poll_ca_export(&mut self, commands: &mut Vec<Command>) {
        if let Some((path, ())) = self.export.poll() {
            // The native dialog already asked before replacing a file.
            commands.push(Command::ExportSimulatorCa {
                path,
                overwrite: true,
            });
        }
    }

    /// Where the CA is saved, at the bottom of the server card.
    pub(super) fn ca_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        ui.add_space(SECTION_GAP);
        ui.label(RichText::new(msg::simulator_ca_certificate()).strong());
        ui.label(RichText::new(msg::simulator_export_hint()).color(p.muted));
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    self.running.is_some(),
                    egui::Button::new(msg::simulator_export_ca()),
                )
                .clicked()
            {
                commands.push(Command::PickSimulatorCaPath);
            }
        });
        let save = (msg::simulator_save_ca(), self.running.is_some());
        if path_field(
            ui,
            &msg::simulator_export_path(),
            &mut self.export.path,
            240.0,
            save,
        ) {
            commands.push(Command::ExportSimulatorCa {
                path: dialogs::expand_home(&self.export.path),
                overwrite: false,
            });
        }
        if let Some((path, ())) = self.export.show(ui) {
            commands.push(Command::ExportSimulatorCa {
                path,
                overwrite: true,
            });
        }
    }
}
