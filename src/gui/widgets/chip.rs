use egui::{CornerRadius, Margin, RichText, TextWrapMode};

use crate::gui::theme::{RADIUS, Tone};

/// The longest chip text kept on one line. Chips are a few words ("364 days left",
/// "0 unconfirmed"); text from outside (a payload's sound name) can be any length, and that
/// wraps rather than running off the window.
const WHOLE_UP_TO: usize = 32;

/// A small coloured label: an environment chip or an expiry badge. Screen readers read its
/// text like any label.
///
/// Kept whole: at the end of a row with too little room, egui broke a chip over lines
/// ("364 / days / left") where a row that wraps now moves it to the next line.
pub fn chip(ui: &mut egui::Ui, text: &str, tone: Tone) -> egui::Response {
    let whole = text.chars().count() <= WHOLE_UP_TO;
    let rich = RichText::new(text).color(tone.fg).small().strong();
    if whole && ui.layout().main_wrap() && ui.layout().is_horizontal() {
        // A frame does not know its size before it is drawn, so a wrapping row would not
        // move it down by itself: measured here, and the row ended when it does not fit.
        let margin = Margin::symmetric(7, 2);
        let galley = egui::WidgetText::from(rich.clone()).into_galley(
            ui,
            Some(TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Small,
        );
        let needed = galley.size().x + f32::from(margin.left + margin.right);
        let row_started = ui.cursor().min.x > ui.max_rect().min.x + 0.5;
        if row_started && needed > ui.available_size_before_wrap().x {
            ui.end_row();
        }
    }
    let wrap = if whole {
        TextWrapMode::Extend
    } else {
        TextWrapMode::Wrap
    };
    egui::Frame::new()
        .fill(tone.bg)
        .corner_radius(CornerRadius::same(RADIUS))
        .inner_margin(Margin::symmetric(7, 2))
        .show(ui, |ui| {
            ui.add(egui::Label::new(rich).wrap_mode(wrap).selectable(false))
        })
        .inner
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rectangle of a chip drawn after `before` in a wrapping row `width` wide.
    fn chip_after(before: f32, text: &str, width: f32) -> egui::Rect {
        let ctx = egui::Context::default();
        let mut rect = egui::Rect::NOTHING;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| {
            ui.set_max_width(width);
            ui.horizontal_wrapped(|ui| {
                ui.add_space(before);
                let tone = Tone {
                    fg: egui::Color32::WHITE,
                    bg: egui::Color32::DARK_GREEN,
                };
                rect = chip(ui, text, tone).rect;
            });
        });
        // No renderer here to take the font atlas.
        output.textures_delta.clear();
        rect
    }

    #[test]
    fn a_chip_at_the_end_of_a_full_row_moves_down_whole() {
        let alone = chip_after(0.0, "364 days left", 400.0);
        // 30 points left on the row: the chip goes to the next one, on one line, whole.
        let squeezed = chip_after(370.0, "364 days left", 400.0);
        assert!(
            (squeezed.height() - alone.height()).abs() < 0.5,
            "one line: {squeezed:?} against {alone:?}"
        );
        assert!((squeezed.width() - alone.width()).abs() < 0.5);
        assert!(
            squeezed.min.x <= alone.min.x + 0.5 && squeezed.min.y > alone.max.y - 0.5,
            "{squeezed:?} against {alone:?}"
        );
        assert!(squeezed.max.x <= 400.0 + 0.5, "{squeezed:?}");
        // A long text from outside still wraps inside the row.
        let long = chip_after(0.0, &"sound-name ".repeat(20), 400.0);
        assert!(long.max.x <= 400.0 + 0.5, "{long:?}");
    }
}
