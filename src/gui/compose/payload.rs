//! The payload card: push type and template, the payload as a form or as JSON, its size
//! against the limit, and what the library's check says about it.

use egui::RichText;
use serde_json::Value;

use super::ComposePanel;
use super::form::merge_form;
use super::templates::{Template, default_payload, is_default_payload, set_push_type};
use crate::apns::{PayloadIssue, PushType};
use crate::gui::i18n::{msg, payload_issue};
use crate::gui::state::State;
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{capitalise, json_editor, notice};

/// How the payload is edited.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PayloadView {
    Form,
    Json,
}

/// What a push type is for, in a few words of the app's language.
pub fn push_type_help(t: PushType) -> String {
    match t {
        PushType::Alert => msg::push_type_help_alert(),
        PushType::Background => msg::push_type_help_background(),
        PushType::Complication => msg::push_type_help_complication(),
        PushType::Controls => msg::push_type_help_controls(),
        PushType::FileProvider => msg::push_type_help_fileprovider(),
        PushType::LiveActivity => msg::push_type_help_liveactivity(),
        PushType::Location => msg::push_type_help_location(),
        PushType::Mdm => msg::push_type_help_mdm(),
        PushType::PushToTalk => msg::push_type_help_pushtotalk(),
        PushType::Voip => msg::push_type_help_voip(),
        PushType::Widgets => msg::push_type_help_widgets(),
    }
}

impl ComposePanel {
    pub(super) fn payload_card(&mut self, ui: &mut egui::Ui, state: &mut State) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                self.push_type_picker(ui, state);
                self.template_picker(ui, state);
            });
            if self.kept_payload {
                notice(ui, "ℹ", &msg::compose_kept_payload(), p.info);
            }
            ui.add_space(ITEM_GAP);
            let push_type = state.compose.push_type;
            let has_form = matches!(push_type, PushType::Alert | PushType::LiveActivity);
            self.view_row(ui, p, has_form);
            ui.add_space(ITEM_GAP);
            let parses = serde_json::from_str::<Value>(&state.compose.payload).is_ok();
            if !has_form {
                // The form is an alert's (title, sound, badge): for a background, VoIP or MDM
                // push it would only invite keys that do not belong. Its payload is JSON.
                notice(ui, "ℹ", &msg::compose_json_only(push_type.as_str()), p.info);
                self.json_view(ui, state, p);
            } else if self.view == PayloadView::Form && !parses {
                notice(ui, "ℹ", &msg::compose_the_json_does_not_parse(), p.info);
            } else if self.view == PayloadView::Form
                && state.compose.push_type == PushType::LiveActivity
            {
                // The alert form writes `aps.sound`, a subtitle, a badge: keys a Live Activity
                // does not read, which its own card below would then drop. That card is the form.
                notice(ui, "ℹ", &msg::compose_la_form_below(), p.info);
            } else if self.view == PayloadView::Form {
                if self.form_ui(ui)
                    && let Ok(old) = serde_json::from_str::<Value>(&state.compose.payload)
                {
                    let merged = merge_form(&self.fields, &old);
                    if let Ok(text) = serde_json::to_string_pretty(&merged) {
                        state.compose.payload = text.clone();
                        self.fields_from = Some(text);
                    }
                }
            } else {
                self.json_view(ui, state, p);
            }
            self.check_notices(ui, p);
        });
    }

    /// The push type; a change swaps the payload for the new type's unless the user wrote it.
    fn push_type_picker(&mut self, ui: &mut egui::Ui, state: &mut State) {
        let label = ui.label(msg::compose_push_type());
        let mut chosen = state.compose.push_type;
        let combo = egui::ComboBox::from_id_salt("compose-push-type")
            .selected_text(chosen.as_str())
            .show_ui(ui, |ui| {
                for t in PushType::ALL {
                    // The API's name, and in a few words what it is for.
                    let text = format!("{} — {}", t.as_str(), push_type_help(t));
                    ui.selectable_value(&mut chosen, t, text);
                }
            })
            .response;
        let _ = combo
            .labelled_by(label.id)
            .on_hover_text(push_type_help(state.compose.push_type));
        if chosen != state.compose.push_type {
            let from = state.compose.push_type;
            self.payloads_by_type
                .insert(from, state.compose.payload.clone());
        }
        if chosen != state.compose.push_type
            && let Some(earlier) = self.payloads_by_type.get(&chosen).cloned()
        {
            // Back to a type used before: its payload as it was left (an alert's
            // title and body survive a detour through the Live Activity composer).
            state.compose.push_type = chosen;
            state.compose.priority = Some(chosen.default_priority());
            state.compose.payload = earlier;
            self.kept_payload = false;
        } else if chosen != state.compose.push_type {
            if is_default_payload(state.compose.push_type, &state.compose.payload) {
                set_push_type(&mut state.compose, chosen, default_payload(chosen));
                self.kept_payload = false;
            } else {
                // The user wrote this payload: keep it, and say how to replace it.
                state.compose.push_type = chosen;
                state.compose.priority = Some(chosen.default_priority());
                self.kept_payload = true;
            }
        }
    }

    /// A template to start from: it sets the push type and the payload.
    fn template_picker(&mut self, ui: &mut egui::Ui, state: &mut State) {
        let label = ui.label(msg::compose_template());
        let mut picked = None;
        let combo = egui::ComboBox::from_id_salt("compose-template")
            .selected_text(msg::compose_choose())
            .show_ui(ui, |ui| {
                for t in Template::ALL {
                    if ui.selectable_label(false, t.label()).clicked() {
                        picked = Some(t);
                    }
                }
            })
            .response;
        let _ = combo.labelled_by(label.id);
        if let Some(t) = picked {
            let (push_type, payload) = t.payload();
            set_push_type(&mut state.compose, push_type, payload);
            self.kept_payload = false;
        }
    }

    /// Form or JSON (when the push type has a form), with the payload's size against its
    /// limit on the right.
    fn view_row(&mut self, ui: &mut egui::Ui, p: Palette, has_form: bool) {
        ui.horizontal(|ui| {
            if has_form {
                ui.selectable_value(&mut self.view, PayloadView::Form, msg::compose_form());
                ui.selectable_value(&mut self.view, PayloadView::Json, msg::compose_json());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(check) = &self.check {
                    let over = check.size > check.limit;
                    let meter = msg::compose_byte_meter(check.limit, check.size);
                    let color = if over { p.bad.fg } else { p.muted };
                    ui.label(RichText::new(meter).color(color).strong());
                }
            });
        });
    }

    /// The JSON editor, its first error's line marked, and buttons to format or compact it.
    fn json_view(&self, ui: &mut egui::Ui, state: &mut State, p: Palette) {
        let error_line = self
            .check
            .as_ref()
            .and_then(|c| c.errors.iter().find_map(PayloadIssue::line));
        let label = ui.label(RichText::new(msg::compose_payload()).color(p.muted));
        json_editor(ui, &label, &mut state.compose.payload, error_line, 14);
        ui.horizontal(|ui| {
            if ui.small_button(msg::compose_format_json()).clicked()
                && let Ok(value) = serde_json::from_str::<Value>(&state.compose.payload)
                && let Ok(text) = serde_json::to_string_pretty(&value)
            {
                state.compose.payload = text;
            }
            if ui.small_button(msg::compose_compact_json()).clicked()
                && let Ok(value) = serde_json::from_str::<Value>(&state.compose.payload)
                && let Ok(text) = serde_json::to_string(&value)
            {
                state.compose.payload = text;
            }
        });
    }

    /// What the library's check says about the payload: errors, then warnings.
    fn check_notices(&self, ui: &mut egui::Ui, p: Palette) {
        if let Some(check) = &self.check {
            for error in &check.errors {
                let text = match (error.line(), error.column()) {
                    (Some(line), Some(column)) => {
                        msg::compose_json_error_at(column, payload_issue(error), line)
                    }
                    (Some(line), None) => msg::compose_json_error_line(payload_issue(error), line),
                    _ => capitalise(&payload_issue(error)),
                };
                notice(ui, "✖", &text, p.bad);
            }
            for warning in &check.warnings {
                notice(ui, "⚠", &capitalise(&payload_issue(warning)), p.warning);
            }
        }
    }
}
