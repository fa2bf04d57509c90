use egui::RichText;

use crate::gui::theme::{self, Palette, Tone};

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

/// A sentence kept under the control that produced it until the next action: "Saved to …",
/// "Already in the list: …", or what went wrong.
#[derive(Debug, Clone)]
pub struct Message {
    tone: MessageTone,
    text: String,
}

#[derive(Debug, Clone, Copy)]
enum MessageTone {
    Good,
    Info,
    Bad,
}

impl Message {
    /// A result the user wanted: shown with ✔.
    pub fn good(text: impl Into<String>) -> Self {
        Message {
            tone: MessageTone::Good,
            text: text.into(),
        }
    }

    /// A fact with no judgement: shown with ℹ.
    pub fn info(text: impl Into<String>) -> Self {
        Message {
            tone: MessageTone::Info,
            text: text.into(),
        }
    }

    /// Something went wrong: shown with ⚠.
    pub fn bad(text: impl Into<String>) -> Self {
        Message {
            tone: MessageTone::Bad,
            text: text.into(),
        }
    }

    /// Draws it as a [`notice`]: ✔ good, ℹ information, ⚠ a problem.
    pub fn show(&self, ui: &mut egui::Ui) {
        let p = Palette::of(ui);
        let (icon, tone) = match self.tone {
            MessageTone::Good => ("✔", p.good),
            MessageTone::Info => ("ℹ", p.info),
            MessageTone::Bad => ("⚠", p.bad),
        };
        notice(ui, icon, &self.text, tone);
    }
}
