use egui::{CornerRadius, Margin, RichText};

use crate::gui::theme::{RADIUS, Tone};

/// A small coloured label: an environment chip or an expiry badge. Screen readers read its
/// text like any label.
pub fn chip(ui: &mut egui::Ui, text: &str, tone: Tone) -> egui::Response {
    egui::Frame::new()
        .fill(tone.bg)
        .corner_radius(CornerRadius::same(RADIUS))
        .inner_margin(Margin::symmetric(7, 2))
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(text).color(tone.fg).small().strong())
                    .selectable(false),
            )
        })
        .inner
}
