use std::path::PathBuf;

use egui::RichText;

use super::file_name;
use crate::gui::i18n::msg;
use crate::gui::theme::{self, Palette};

/// The question every export asks before it replaces a file that exists: "ck.pem exists.
/// Replace it?" with Replace and Cancel. A screen writes without permission to replace; when
/// the write reports that the file exists it calls [`ReplacePrompt::ask`] with what to write
/// again, draws the prompt where the user pressed Save, and on Replace writes again with
/// permission.
#[derive(Debug)]
pub struct ReplacePrompt<T> {
    asking: Option<(PathBuf, T)>,
}

impl<T> Default for ReplacePrompt<T> {
    fn default() -> Self {
        ReplacePrompt { asking: None }
    }
}

impl<T> ReplacePrompt<T> {
    /// Asks whether `path`, which exists, may be replaced by `export`.
    pub fn ask(&mut self, path: PathBuf, export: T) {
        self.asking = Some((path, export));
    }

    /// Forgets the question (another export started, or the screen changed).
    pub fn close(&mut self) {
        self.asking = None;
    }

    /// Draws the question if there is one. Returns the path and the export to write again,
    /// now allowed to replace the file, on the frame Replace was pressed.
    pub fn show(&mut self, ui: &mut egui::Ui) -> Option<(PathBuf, T)> {
        let (path, _) = self.asking.as_ref()?;
        let name = file_name(path);
        let folder = path.parent().map(|f| f.display().to_string());
        let p = Palette::of(ui);
        let tone = p.warning;
        let mut answer = None;
        theme::message(tone).show(ui, |ui| {
            ui.add(
                egui::Label::new(
                    RichText::new(msg::replace_exists(name))
                        .strong()
                        .color(tone.fg),
                )
                .wrap(),
            );
            let detail = match folder.filter(|f| !f.is_empty()) {
                Some(folder) => msg::replace_in_folder(folder),
                None => msg::replace_hint(),
            };
            ui.add(egui::Label::new(RichText::new(detail).small().color(tone.fg)).wrap());
            ui.horizontal(|ui| {
                if ui.button(msg::replace_replace()).clicked() {
                    answer = Some(true);
                }
                if ui.button(msg::replace_cancel()).clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => self.asking.take(),
            Some(false) => {
                self.asking = None;
                None
            }
            None => None,
        }
    }
}
