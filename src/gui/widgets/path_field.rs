use egui::TextEdit;

/// `Label [path field] [Button]`: where a file is read from or written to, typed, with the
/// button that acts on it (enabled with `enabled` once a path is typed). Returns true on the
/// frame the button was pressed.
pub fn path_field(
    ui: &mut egui::Ui,
    label: &str,
    path: &mut String,
    width: f32,
    (button, enabled): (String, bool),
) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(TextEdit::singleline(path).desired_width(width))
            .labelled_by(label.id);
        ui.add_enabled(
            enabled && !path.trim().is_empty(),
            egui::Button::new(button),
        )
        .clicked()
    })
    .inner
}
