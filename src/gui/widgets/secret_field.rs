use crate::gui::i18n::msg;
use egui::{Role, TextEdit, WidgetInfo};

/// A masked text field with a Show/Hide toggle, tied to its visible label so screen readers
/// and tests find it by that label. Returns the text field's response.
pub fn secret_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    shown: &mut bool,
    width: f32,
) -> egui::Response {
    ui.horizontal(|ui| {
        let label_response = ui.label(label);
        let field = ui
            .add(
                TextEdit::singleline(value)
                    .password(!*shown)
                    .desired_width(width),
            )
            .labelled_by(label_response.id);
        let toggle_text = if *shown {
            msg::widgets_hide()
        } else {
            msg::widgets_show()
        };
        let toggle = ui.button(&toggle_text);
        let accessible = if *shown {
            msg::widgets_hide_field(label.to_lowercase())
        } else {
            msg::widgets_show_field(label.to_lowercase())
        };
        toggle.widget_info(|| WidgetInfo::labeled(Role::Button, true, &accessible));
        if toggle.clicked() {
            *shown = !*shown;
        }
        field
    })
    .inner
}
