use egui::RichText;

use crate::gui::theme::{self, Tone};

/// A message shown where the user acted: an error under a field, a result under a button.
/// The icon is decoration; the text says it all.
pub fn notice(ui: &mut egui::Ui, icon: &str, text: &str, tone: Tone) -> egui::Response {
    theme::message(tone)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.add(egui::Label::new(RichText::new(icon).color(tone.fg)).selectable(false));
                ui.add(egui::Label::new(RichText::new(text).color(tone.fg)).wrap());
            });
        })
        .response
}
