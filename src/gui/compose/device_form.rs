//! Saving a device, or editing a saved one: its name, group, environment and Live Activity
//! tokens (push-to-start, and the running activity's update token).

use egui::{RichText, TextEdit};

use crate::apns::DeviceToken;
use crate::apns::Environment;
use crate::gui::i18n::msg;
use crate::gui::state::{LiveTokenKind, SavedDevice, State};
use crate::gui::theme::{ITEM_GAP, Palette};
use crate::gui::widgets::{capitalise, notice};

/// The device being saved, with its Live Activity tokens as typed.
pub(super) struct DeviceForm {
    device: SavedDevice,
    push_to_start: String,
    activity: String,
}

impl DeviceForm {
    pub(super) fn new(device: SavedDevice) -> Self {
        let text = |kind: LiveTokenKind| {
            device
                .live_token(kind)
                .map(DeviceToken::to_hex)
                .or_else(|| {
                    device
                        .unreadable_tokens
                        .iter()
                        .find(|u| u.kind == kind)
                        .map(|u| u.text.clone())
                })
                .unwrap_or_default()
        };
        DeviceForm {
            push_to_start: text(LiveTokenKind::PushToStart),
            activity: text(LiveTokenKind::Activity),
            device,
        }
    }

    /// Draws the form; true when it is done (saved or cancelled).
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, state: &mut State) -> bool {
        let p = Palette::of(ui);
        let device = &mut self.device;
        let mut close = false;
        ui.add_space(ITEM_GAP);
        ui.horizontal(|ui| {
            let label = ui.label(msg::compose_device_name());
            ui.add(
                TextEdit::singleline(&mut device.name)
                    .hint_text(msg::compose_alices_iphone())
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            let label = ui.label(msg::compose_device_group());
            ui.add(
                TextEdit::singleline(&mut device.group)
                    .hint_text(msg::compose_shared_bobs_ipad())
                    .desired_width(140.0),
            )
            .labelled_by(label.id);
        });
        let mut tokens_ok = true;
        for (label, text) in [
            (msg::compose_push_to_start_token(), &mut self.push_to_start),
            (msg::compose_activity_token(), &mut self.activity),
        ] {
            ui.horizontal(|ui| {
                let l = ui.label(label);
                ui.add(
                    TextEdit::singleline(text)
                        .hint_text(msg::compose_optional())
                        .font(egui::TextStyle::Monospace)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            });
            if let Err(e) = optional_token(text) {
                tokens_ok = false;
                notice(
                    ui,
                    "⚠",
                    &capitalise(&crate::gui::i18n::token_error(&e)),
                    p.bad,
                );
            }
        }
        ui.horizontal(|ui| {
            ui.radio_value(
                &mut device.environment,
                Environment::Sandbox,
                msg::compose_sandbox(),
            );
            ui.radio_value(
                &mut device.environment,
                Environment::Production,
                msg::connection_chip_production(),
            );
            if ui
                .add_enabled(
                    tokens_ok && !device.name.trim().is_empty(),
                    egui::Button::new(msg::compose_save()),
                )
                .clicked()
            {
                device.name = device.name.trim().to_owned();
                device.group = device.group.trim().to_owned();
                for (kind, text) in [
                    (LiveTokenKind::PushToStart, &self.push_to_start),
                    (LiveTokenKind::Activity, &self.activity),
                ] {
                    // A token kept unreadable from app.ron stays as it was unless retyped.
                    let unchanged_bad = device
                        .unreadable_tokens
                        .iter()
                        .any(|u| u.kind == kind && &u.text == text);
                    if let (false, Ok(token)) = (unchanged_bad, optional_token(text)) {
                        device.set_live_token(kind, token);
                    }
                }
                state.devices.retain(|d| d.token != device.token);
                state.devices.push(device.clone());
                close = true;
            }
            if ui.button(msg::compose_cancel()).clicked() {
                close = true;
            }
        });
        close
    }
}

/// A Live Activity token field: empty is none.
fn optional_token(text: &str) -> Result<Option<DeviceToken>, crate::apns::TokenError> {
    match text.trim() {
        "" => Ok(None),
        t => DeviceToken::parse(t).map(Some),
    }
}

/// The saved device's Live Activity tokens, each labelled, and those app.ron held that do not
/// parse.
pub(super) fn live_tokens_ui(ui: &mut egui::Ui, device: &SavedDevice) {
    let p = Palette::of(ui);
    for (kind, label) in [
        (
            LiveTokenKind::PushToStart,
            msg::compose_push_to_start_token(),
        ),
        (LiveTokenKind::Activity, msg::compose_activity_token()),
    ] {
        if let Some(token) = device.live_token(kind) {
            ui.label(
                RichText::new(msg::compose_device_live_token(
                    label.as_str(),
                    token.short(),
                ))
                .small()
                .color(p.muted),
            );
        }
    }
    for bad in &device.unreadable_tokens {
        let kind = match bad.kind {
            LiveTokenKind::PushToStart => msg::compose_push_to_start_token(),
            LiveTokenKind::Activity => msg::compose_activity_token(),
        };
        let line = msg::compose_device_live_token_unreadable(kind.as_str(), bad.error.to_string());
        notice(ui, "⚠", &line, p.warning);
    }
}
