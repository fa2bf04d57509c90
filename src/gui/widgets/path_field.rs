use egui::TextEdit;

/// `Label [path field] [Button]`: where a file is read from or written to, typed, with the
/// button that acts on it (enabled with `enabled` once a path is typed). Returns true on the
/// frame the button was pressed, or Enter was pressed in the field. The field takes what is
/// left of the row up to `width`, so the button never falls off a narrow window.
pub fn path_field(
    ui: &mut egui::Ui,
    label: &str,
    path: &mut String,
    width: f32,
    (button, enabled): (String, bool),
) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let button_room = 16.0 + button.chars().count() as f32 * 9.0;
        let room = (ui.available_width() - button_room).max(80.0);
        let field = ui
            .add(TextEdit::singleline(path).desired_width(width.min(room)))
            .labelled_by(label.id);
        let can = enabled && !path.trim().is_empty();
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui.add_enabled(can, egui::Button::new(button)).clicked();
        clicked || (can && enter)
    })
    .inner
}
