//! The device card: the token, checked and tidied as it is pasted, saved devices to pick,
//! save or forget, and the demo device.

use egui::{RichText, TextEdit};

use super::device_form::{DeviceForm, live_tokens_ui};
use super::{ComposePanel, DEMO_TOKEN};
use crate::apns::DeviceToken;
use crate::apns::Environment;
use crate::gui::i18n::{msg, token_error};
use crate::gui::state::{SavedDevice, State};
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{capitalise, notice};

impl ComposePanel {
    pub(super) fn device_card(&mut self, ui: &mut egui::Ui, state: &mut State) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            self.token_field(ui, state, p);
            ui.add_space(ITEM_GAP);
            ui.horizontal_wrapped(|ui| self.saved_devices_row(ui, state));
            for (device, why) in state.devices.unreadable() {
                // A hand-edited app.ron: the entry is kept in the file, but not offered.
                let line = msg::compose_device_left_out(device.name.as_str(), token_error(why));
                notice(ui, "⚠", &line, p.warning);
            }
            if let Some(device) = DeviceToken::parse(&state.compose.token)
                .ok()
                .and_then(|t| state.devices.find_any(&t))
            {
                live_tokens_ui(ui, device);
            }
            let close = self
                .new_device
                .as_mut()
                .is_some_and(|form| form.ui(ui, state));
            if close {
                self.new_device = None;
            }
        });
    }

    /// The token field, tidied to hex as it is pasted, and what is known of the token under it:
    /// its length, why it does not parse, or that its saved device is for the other server.
    fn token_field(&mut self, ui: &mut egui::Ui, state: &mut State, p: Palette) {
        let label = ui.label(RichText::new(msg::compose_token()).strong());
        let field = ui
            .add(
                TextEdit::singleline(&mut state.compose.token)
                    .hint_text(msg::compose_token_hint())
                    .font(egui::TextStyle::Monospace)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if field.changed() {
            self.normalised = false;
            if let Ok(token) = DeviceToken::parse(&state.compose.token) {
                let hex = token.to_hex();
                if hex != state.compose.token {
                    state.compose.token = hex;
                    self.normalised = true;
                }
            }
        }
        match DeviceToken::parse(&state.compose.token) {
            Ok(token) => {
                let bytes = token.as_bytes().len();
                let line = if self.normalised {
                    msg::compose_token_ok_tidied(bytes)
                } else {
                    msg::compose_token_ok(bytes)
                };
                ui.label(RichText::new(line).color(p.good.fg).small());
            }
            Err(_) if state.compose.token.trim().is_empty() => {}
            Err(e) => {
                notice(ui, "⚠", &capitalise(&token_error(&e)), p.bad);
            }
        }
        if let Some(warning) = state.devices.find_text(&state.compose.token).and_then(|d| {
            crate::gui::connection::environment_warning(
                &msg::compose_this_devices_token_is(),
                d.environment,
                &state.connection,
            )
        }) {
            notice(ui, "⚠", &warning, p.warning);
        }
    }

    /// The saved-devices picker, then what can be done with the token typed in: edit or forget
    /// its device, or save it as one; and the demo device.
    fn saved_devices_row(&mut self, ui: &mut egui::Ui, state: &mut State) {
        let label = ui.label(msg::compose_saved_devices());
        let typed = DeviceToken::parse(&state.compose.token).ok();
        // A Live Activity token finds its device too.
        let device = typed.as_ref().and_then(|t| state.devices.find_any(t));
        let current = device.map(device_label);
        let device_token = device.map(|d| d.token.clone());
        let mut picked = None;
        let combo = egui::ComboBox::from_id_salt("compose-saved-device")
            .selected_text(current.clone().unwrap_or_else(|| {
                if state.devices.is_empty() {
                    msg::compose_no_devices().to_owned()
                } else {
                    msg::compose_choose()
                }
            }))
            .width(260.0)
            .show_ui(ui, |ui| {
                for device in &state.devices {
                    if ui
                        .selectable_label(
                            typed.as_ref().is_some_and(|t| device.has_token(t)),
                            device_label(device),
                        )
                        .clicked()
                    {
                        picked = Some(device.token.to_hex());
                    }
                }
            })
            .response;
        let _ = combo.labelled_by(label.id);
        if let Some(token) = picked {
            state.compose.token = token;
            self.normalised = false;
            self.route_live_token(state);
        }
        self.device_actions(ui, state, device_token, typed);
        if ui.small_button(msg::compose_demo()).clicked() {
            use_demo_device(state);
        }
    }

    /// Edit or forget the token's saved device, or, when it has none, save it as one.
    fn device_actions(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        device_token: Option<DeviceToken>,
        typed: Option<DeviceToken>,
    ) {
        match (device_token, typed) {
            (Some(token), Some(_)) => {
                if ui.small_button(msg::compose_edit_device()).clicked()
                    && let Some(d) = state.devices.find(&token)
                {
                    self.new_device = Some(DeviceForm::new(d.clone()));
                }
                if ui.small_button(msg::compose_forget()).clicked() {
                    state.devices.retain(|d| d.token != token);
                }
            }
            (_, typed) => {
                let save = ui.add_enabled(
                    typed.is_some(),
                    egui::Button::new(msg::compose_save_device()).small(),
                );
                if let (true, Some(token)) = (save.clicked(), typed) {
                    self.new_device = Some(DeviceForm::new(SavedDevice::new(
                        String::new(),
                        token,
                        Environment::Sandbox,
                        String::new(),
                    )));
                }
            }
        }
    }
}

pub(super) fn use_demo_device(state: &mut State) {
    state.compose.token = DEMO_TOKEN.to_owned();
    // A constant that parses; should it ever stop to, the token is still typed in, just not
    // saved as a device.
    let Ok(token) = DeviceToken::parse(DEMO_TOKEN) else {
        return;
    };
    // Named in the language on screen when it is made; from then on the name and group are
    // the user's, like any saved device's.
    if state.devices.find(&token).is_none() {
        state.devices.push(SavedDevice::new(
            msg::compose_demo_device_name(),
            token,
            Environment::Sandbox,
            msg::compose_demo_device_group(),
        ));
    }
}

fn device_label(device: &SavedDevice) -> String {
    let env = crate::gui::i18n::apns_environment(device.environment);
    if device.group.is_empty() {
        msg::compose_device_alone(env, device.name.as_str())
    } else {
        msg::compose_device_in_group(env, device.group.as_str(), device.name.as_str())
    }
}
