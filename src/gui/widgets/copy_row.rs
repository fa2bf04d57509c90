use egui::{RichText, Role, WidgetInfo};

use crate::gui::i18n::msg;
use crate::gui::theme::{LABEL_WIDTH, Palette};

/// Width kept for the Copy button column.
const BUTTON_COLUMN: f32 = 64.0;

/// Lays out `label  value  [Copy]` rows: labels in a fixed column, values wrapping in the
/// rest of the width, each row aligned to its top line.
pub struct CopyRows;

impl CopyRows {
    /// Shows the rows added by `add_rows` (with [`copy_row`]).
    pub fn show(ui: &mut egui::Ui, add_rows: impl FnOnce(&mut egui::Ui)) {
        ui.scope(|ui| {
            ui.spacing_mut().item_spacing.y = 7.0;
            add_rows(ui);
        });
    }
}

/// One row of [`CopyRows`]: a muted label, the value as selectable text, and a Copy button
/// named after the label ("Copy SHA-256"). `copy` is false for values nobody pastes.
pub fn copy_row(ui: &mut egui::Ui, label: &str, value: &str, copy: bool) {
    let muted = Palette::of(ui).muted;
    let gap = ui.spacing().item_spacing.x;
    let value_width = (ui.available_width() - LABEL_WIDTH - BUTTON_COLUMN - 2.0 * gap).max(120.0);
    ui.horizontal_top(|ui| {
        ui.scope(|ui| {
            ui.set_width(LABEL_WIDTH);
            ui.add(egui::Label::new(RichText::new(label).color(muted)).selectable(false));
        });
        ui.scope(|ui| {
            ui.set_width(value_width);
            ui.add(egui::Label::new(value).wrap().selectable(true));
        });
        if copy {
            let button = ui.small_button(msg::widgets_copy());
            let name = msg::widgets_copy_field(label);
            button.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
            if button.clicked() {
                ui.ctx().copy_text(value.to_owned());
            }
        }
    });
}
