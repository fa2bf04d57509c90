use egui::{RichText, Role, WidgetInfo};

use crate::gui::theme::{LABEL_WIDTH, Palette};

/// Lays out `label: value [Copy]` rows with aligned columns.
pub struct CopyRows;

impl CopyRows {
    /// Shows rows added by `add_rows` in a three-column grid.
    pub fn show(
        ui: &mut egui::Ui,
        id: impl std::hash::Hash + std::fmt::Debug,
        add_rows: impl FnOnce(&mut egui::Ui),
    ) {
        egui::Grid::new(id)
            .num_columns(3)
            .min_col_width(0.0)
            .spacing([10.0, 5.0])
            .show(ui, add_rows);
    }
}

/// One row of a [`CopyRows`] grid: a muted label, the value as selectable text, and a Copy
/// button named after the label ("Copy SHA-256"). `copy` is false for values nobody pastes.
pub fn copy_row(ui: &mut egui::Ui, label: &str, value: &str, copy: bool) {
    let muted = Palette::of(ui).muted;
    ui.add_sized(
        [LABEL_WIDTH, 18.0],
        egui::Label::new(RichText::new(label).color(muted)).selectable(false),
    );
    let max = (ui.available_width() - 60.0).max(120.0);
    ui.scope(|ui| {
        ui.set_max_width(max);
        ui.add(egui::Label::new(value).wrap().selectable(true));
    });
    if copy {
        let button = ui.small_button("Copy");
        let name = format!("Copy {label}");
        button.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
        if button.clicked() {
            ui.ctx().copy_text(value.to_owned());
        }
        button.on_hover_text(format!(
            "Copy the {} to the clipboard",
            label.to_lowercase()
        ));
    } else {
        ui.label("");
    }
    ui.end_row();
}
