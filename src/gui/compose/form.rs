//! The payload as a form: the common `aps` fields, merged back into the JSON so that keys the
//! form has no field for survive an edit.

use egui::TextEdit;
use serde_json::Value;

use super::ComposePanel;
use crate::apns::PayloadFields;
use crate::gui::i18n::msg;

/// Keys of `aps` that the form edits; others survive a form edit untouched.
const FORM_KEYS: [&str; 10] = [
    "alert",
    "badge",
    "sound",
    "category",
    "thread-id",
    "interruption-level",
    "target-content-id",
    "content-available",
    "mutable-content",
    "relevance-score",
];

const INTERRUPTION_LEVELS: [&str; 4] = ["passive", "active", "time-sensitive", "critical"];

impl ComposePanel {
    /// The form view. Returns true when a field changed.
    pub(super) fn form_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let f = &mut self.fields;
        let mut changed = false;
        egui::Grid::new("payload-form")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                // `|=`, not `||`: every row is drawn whatever the rows above it did.
                changed |= text_rows(ui, f);
                changed |= badge_row(ui, f);
                changed |= interruption_row(ui, f);
                changed |= flag_rows(ui, f);
            });
        changed
    }
}

/// The free-text fields, one row each. Returns true when one changed.
fn text_rows(ui: &mut egui::Ui, f: &mut PayloadFields) -> bool {
    let mut changed = false;
    for (label, value, hint) in [
        (
            msg::compose_field_title(),
            &mut f.title,
            msg::compose_field_title_hint(),
        ),
        (
            msg::compose_field_subtitle(),
            &mut f.subtitle,
            msg::compose_field_subtitle_hint(),
        ),
        (
            msg::compose_field_body(),
            &mut f.body,
            msg::compose_field_body_hint(),
        ),
        (
            msg::compose_field_sound(),
            &mut f.sound,
            "default".to_owned(),
        ),
        (
            msg::compose_field_category(),
            &mut f.category,
            "DOORBELL".to_owned(),
        ),
        (
            msg::compose_field_thread_id(),
            &mut f.thread_id,
            "front-door".to_owned(),
        ),
    ] {
        let l = ui.label(label);
        let mut text = value.clone().unwrap_or_default();
        if ui
            .add(
                TextEdit::singleline(&mut text)
                    .hint_text(hint)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id)
            .changed()
        {
            *value = (!text.is_empty()).then_some(text);
            changed = true;
        }
        ui.end_row();
    }
    changed
}

/// The badge: whether to set it, and to what. Returns true when it changed.
fn badge_row(ui: &mut egui::Ui, f: &mut PayloadFields) -> bool {
    let mut changed = false;
    let l = ui.label(msg::compose_badge());
    ui.horizontal(|ui| {
        let mut on = f.badge.is_some();
        if ui.checkbox(&mut on, msg::compose_set_the_badge()).changed() {
            f.badge = on.then_some(1);
            changed = true;
        }
        if let Some(badge) = &mut f.badge
            && ui
                .add(egui::DragValue::new(badge).range(0..=99_999))
                .labelled_by(l.id)
                .changed()
        {
            changed = true;
        }
    });
    ui.end_row();
    changed
}

/// The interruption level, "default" meaning none set. Returns true when it changed.
fn interruption_row(ui: &mut egui::Ui, f: &mut PayloadFields) -> bool {
    let mut changed = false;
    let l = ui.label(msg::compose_interruption_level());
    let current = f.interruption_level.clone().unwrap_or_default();
    let combo = egui::ComboBox::from_id_salt("payload-interruption")
        .selected_text(if current.is_empty() {
            "default".to_owned()
        } else {
            current.clone()
        })
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_empty(), "default").clicked() {
                f.interruption_level = None;
                changed = true;
            }
            for level in INTERRUPTION_LEVELS {
                if ui.selectable_label(current == level, level).clicked() {
                    f.interruption_level = Some(level.to_owned());
                    changed = true;
                }
            }
        })
        .response;
    let _ = combo.labelled_by(l.id);
    ui.end_row();
    changed
}

/// The content-available and mutable-content flags. Returns true when one changed.
fn flag_rows(ui: &mut egui::Ui, f: &mut PayloadFields) -> bool {
    let mut changed = false;
    ui.label("");
    ui.vertical(|ui| {
        changed |= ui
            .checkbox(
                &mut f.content_available,
                msg::compose_content_available_wake_the_app(),
            )
            .changed();
        changed |= ui
            .checkbox(
                &mut f.mutable_content,
                msg::compose_mutable_content_let_a_service(),
            )
            .changed();
    });
    ui.end_row();
    changed
}

/// The form's payload, keeping the `aps` keys the form has no field for.
pub(super) fn merge_form(fields: &PayloadFields, old: &Value) -> Value {
    let mut new = fields.to_json();
    if let Some(old_aps) = old.get("aps").and_then(Value::as_object)
        && let Some(new_aps) = new.get_mut("aps").and_then(Value::as_object_mut)
    {
        for (k, v) in old_aps {
            if !FORM_KEYS.contains(&k.as_str()) && !new_aps.contains_key(k) {
                new_aps.insert(k.clone(), v.clone());
            }
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_edits_keep_keys_the_form_does_not_know() {
        let old = json!({"aps": {"event": "update", "alert": {"title": "a"}}, "x": 1});
        let mut fields = PayloadFields::from_json(&old);
        fields.title = Some("b".into());
        let merged = merge_form(&fields, &old);
        assert_eq!(merged["aps"]["event"], "update");
        assert_eq!(merged["aps"]["alert"]["title"], "b");
        assert_eq!(merged["x"], 1);
    }
}
