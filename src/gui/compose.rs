//! The Compose & Send screen: a device token that is checked as it is pasted, saved devices,
//! the push type and its template, the payload as a form or as JSON (kept in sync), headers,
//! and the answer with what it means. Also the first-run guide.

use std::time::Duration;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, TextEdit};
use serde_json::{Value, json};

use super::app::{Command, Section};
use super::connection::{DEMO_BUNDLE_ID, Plan};
use super::state::{Draft, Expiration, HistoryEntry, SavedDevice, State};
use super::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use super::widgets::{CopyRows, capitalise, chip, copy_row, group_digits, json_editor, notice};
use super::worker::{Task, Worker};
use crate::apns::{
    DeviceToken, Notification, PayloadCheck, PayloadFields, PushType, Reason, check_payload,
    is_canonical_uuid, new_uuid, template,
};
use crate::cert::{CertEnvironment, Environment};
use crate::client::{ConnectionPool, PushResponse, SingleSendError};

/// User-facing text of this screen, in one place for translation.
mod text {
    pub const HEADING: &str = "Compose & Send";
    pub const TOKEN: &str = "Device token";
    pub const TOKEN_HINT: &str = "paste the token your app logged, in any form";
    pub const SAVED_DEVICES: &str = "Saved devices";
    pub const NO_DEVICES: &str = "No saved devices";
    pub const SAVE_DEVICE: &str = "Save device…";
    pub const DEVICE_NAME: &str = "Device name";
    pub const DEVICE_GROUP: &str = "Group";
    pub const SAVE: &str = "Save";
    pub const FORGET: &str = "Forget this device";
    pub const DEMO: &str = "Use the demo device";
    pub const PUSH_TYPE: &str = "Push type";
    pub const TEMPLATE: &str = "Template";
    pub const BUNDLE: &str = "Bundle id";
    pub const FORM: &str = "Form";
    pub const JSON: &str = "JSON";
    pub const PAYLOAD: &str = "Payload JSON";
    pub const KEPT_PAYLOAD: &str =
        "Your payload was kept. Pick a template to start from this push type's usual payload.";
    pub const HEADERS: &str = "Headers";
    pub const PRIORITY: &str = "Priority";
    pub const EXPIRATION: &str = "Expiration";
    pub const COLLAPSE_ID: &str = "Collapse id";
    pub const APNS_ID: &str = "apns-id";
    pub const NEW_ID: &str = "New apns-id";
    pub const SEND: &str = "Send";
    pub const SENDING: &str = "Sending…";
    pub const SEND_HINT: &str = "Ctrl+Enter (⌘+Enter on a Mac) sends too.";
    pub const CURL: &str = "Copy as curl";
    pub const CURL_DONE: &str = "Copied. The passphrase and provider token are left as $PEM_PASSPHRASE and $PROVIDER_TOKEN.";
    pub const CURL_LOCAL: &str = "For the local simulator, save its CA as simulator-ca.pem with Export CA… on the Simulator screen.";
    pub const RESPONSE: &str = "Response";
    pub const GUIDE: &str = "First run: send a push in four steps, no Apple account needed";
    pub const HIDE_GUIDE: &str = "Hide the guide";
}

/// A device token that reaches nobody: the simulator accepts any well-formed token.
pub const DEMO_TOKEN: &str = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";
const DEMO_NAME: &str = "Demo iPhone (simulator)";

/// Payloads people start from, and the push type each needs.
const TEMPLATES: [&str; 10] = [
    "Alert",
    "Badge only",
    "Silent / background",
    "VoIP call",
    "Rich (mutable-content)",
    "Live Activity: start",
    "Live Activity: update",
    "Live Activity: end",
    "Widgets",
    "Critical alert",
];

fn template_payload(name: &str) -> (PushType, Value) {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match name {
        "Badge only" => (PushType::Alert, json!({"aps": {"badge": 1}})),
        "Silent / background" => (PushType::Background, template(PushType::Background)),
        "VoIP call" => (PushType::Voip, template(PushType::Voip)),
        "Rich (mutable-content)" => (
            PushType::Alert,
            json!({"aps": {"alert": {"title": "Photo from Alice", "body": "Tap to see it"}, "mutable-content": 1}, "image-url": "https://example.com/photo.jpg"}),
        ),
        "Live Activity: start" => (
            PushType::LiveActivity,
            json!({"aps": {"timestamp": now, "event": "start", "attributes-type": "DeliveryAttributes", "attributes": {"orderId": "42"}, "content-state": {"status": "preparing"}, "alert": {"title": "Order placed", "body": "We are preparing your order"}}}),
        ),
        "Live Activity: update" => (PushType::LiveActivity, template(PushType::LiveActivity)),
        "Live Activity: end" => (
            PushType::LiveActivity,
            json!({"aps": {"timestamp": now, "event": "end", "content-state": {"status": "delivered"}, "dismissal-date": now + 3600}}),
        ),
        "Widgets" => (PushType::Widgets, template(PushType::Widgets)),
        "Critical alert" => (
            PushType::Alert,
            json!({"aps": {"alert": {"title": "Smoke detected", "body": "Kitchen"}, "sound": {"critical": 1, "name": "default", "volume": 1.0}, "interruption-level": "critical"}}),
        ),
        _ => (PushType::Alert, template(PushType::Alert)),
    }
}

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

/// Connections reused across sends, per server and credential identity.
pub type Connections = ConnectionPool;

/// What the first-run guide knows.
pub struct GuideStatus {
    pub has_credential: bool,
    pub check_passed: bool,
}

/// A send that finished: the request as history keeps it, and the answer.
pub struct Sent {
    pub entry: HistoryEntry,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PayloadView {
    Form,
    Json,
}

/// The Compose & Send screen.
pub struct ComposePanel {
    view: PayloadView,
    fields: PayloadFields,
    /// The payload text `fields` were read from.
    fields_from: Option<String>,
    check: Option<PayloadCheck>,
    checked: Option<(String, PushType, Option<u8>)>,
    normalised: bool,
    sending: Task<Sent, String>,
    pending: Option<HistoryEntry>,
    last: Option<HistoryEntry>,
    error: Option<String>,
    new_device: Option<SavedDevice>,
    curl_message: Option<String>,
    /// The push type changed but the user's own payload was kept.
    kept_payload: bool,
}

impl Default for ComposePanel {
    fn default() -> Self {
        ComposePanel {
            view: PayloadView::Form,
            fields: PayloadFields::default(),
            fields_from: None,
            check: None,
            checked: None,
            normalised: false,
            sending: Task::Idle,
            pending: None,
            last: None,
            error: None,
            new_device: None,
            curl_message: None,
            kept_payload: false,
        }
    }
}

impl ComposePanel {
    pub fn is_busy(&self) -> bool {
        self.sending.is_running()
    }

    /// The answer to the last send.
    pub fn last(&self) -> Option<&HistoryEntry> {
        self.last.as_ref()
    }

    /// Builds the notification for `draft`, or says what is wrong.
    pub fn notification(draft: &Draft, plan: &Plan) -> Result<Notification, String> {
        let token = DeviceToken::parse(&draft.token).map_err(|e| capitalise(&e.to_string()))?;
        let check = check_payload(draft.payload.as_bytes(), draft.push_type, draft.priority);
        if let Some(first) = check.errors.first() {
            return Err(capitalise(&first.message));
        }
        let mut n = Notification::new(token, draft.push_type, draft.payload.clone().into_bytes());
        let bundle = match draft.bundle_id.trim() {
            "" => plan.bundle_id.clone(),
            typed => Some(typed.to_owned()),
        };
        n.topic = bundle.map(|b| match draft.push_type {
            PushType::Mdm => b,
            t => t.topic_for(&b),
        });
        n.priority = draft.priority;
        n.expiration = match draft.expiration {
            Expiration::None => None,
            Expiration::Immediately => Some(0),
            Expiration::In(seconds) => Some(
                time::OffsetDateTime::now_utc().unix_timestamp()
                    + i64::try_from(seconds).unwrap_or(i64::MAX / 2),
            ),
            Expiration::At(t) => Some(t),
        };
        let collapse = draft.collapse_id.trim();
        if collapse.len() > 64 {
            return Err("The collapse id is longer than 64 bytes; APNs refuses it.".to_owned());
        }
        n.collapse_id = (!collapse.is_empty()).then(|| collapse.to_owned());
        let id = draft.apns_id.trim();
        if !id.is_empty() && !is_canonical_uuid(id) {
            return Err("The apns-id must be a lower-case UUID such as 123e4567-e89b-12d3-a456-4266554400a0 (or empty).".to_owned());
        }
        n.apns_id = (!id.is_empty()).then(|| id.to_owned());
        Ok(n)
    }

    /// Sends `draft` as planned (or shows why not). The connection is reused while it lives.
    pub fn send(
        &mut self,
        draft: &Draft,
        devices: &[SavedDevice],
        plan: Result<Plan, String>,
        connections: &Connections,
        worker: &Worker,
    ) {
        self.curl_message = None;
        let prepared = plan.and_then(|plan| Ok((Self::notification(draft, &plan)?, plan)));
        let (notification, plan) = match prepared {
            Ok(ok) => ok,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        let token = notification.token.to_hex();
        let entry = HistoryEntry {
            time: time::OffsetDateTime::now_utc().unix_timestamp(),
            destination: plan.target.label.clone(),
            credential: plan.credential_name.clone(),
            device: devices
                .iter()
                .find(|d| d.token == token)
                .map(|d| d.name.clone()),
            draft: Draft {
                token,
                ..draft.clone()
            },
            topic: notification.topic.clone(),
            ..Default::default()
        };
        self.pending = Some(entry.clone());
        let connections = connections.clone();
        self.sending = worker.run_async(move |_| async move {
            let mut entry = entry;
            match send_once(&plan, &notification, &connections).await {
                Ok(r) => {
                    entry.status = Some(r.status);
                    entry.reason = r.reason;
                    entry.apns_id = r.apns_id;
                    entry.apns_unique_id = r.apns_unique_id;
                    entry.latency_ms = Some(r.latency_ms);
                }
                Err(e) => entry.error = Some(super::connection::in_app_words(&e)),
            }
            Ok(Sent { entry })
        });
    }

    /// The same request as a curl command line, copied to the clipboard.
    pub fn copy_curl(&mut self, draft: &Draft, plan: Result<Plan, String>, ctx: &egui::Context) {
        let result = plan.and_then(|plan| {
            let n = Self::notification(draft, &plan)?;
            let command = crate::client::curl_command(&plan.target, &plan.auth, plan.local, &n);
            Ok((command, plan.local))
        });
        match result {
            Ok((command, local)) => {
                ctx.copy_text(command);
                let mut message = text::CURL_DONE.to_owned();
                if local {
                    message.push(' ');
                    message.push_str(text::CURL_LOCAL);
                }
                self.curl_message = Some(message);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Picks up a finished send and adds it to the history.
    pub fn poll(&mut self, state: &mut State) {
        if !self.sending.poll() {
            return;
        }
        match self.sending.take_finished() {
            Some(Ok(sent)) => {
                state.remember(sent.entry.clone());
                self.last = Some(sent.entry);
            }
            Some(Err(e)) => {
                if let Some(mut entry) = self.pending.take() {
                    entry.error = Some(e.clone());
                    state.remember(entry);
                }
                self.error = Some(e);
            }
            None => {}
        }
        self.pending = None;
    }

    /// Loads a history entry's request into the form.
    pub fn load(&mut self, state: &mut State, draft: Draft) {
        state.compose = draft;
        self.fields_from = None;
        self.checked = None;
        self.error = None;
    }

    fn refresh(&mut self, draft: &Draft) {
        let key = (draft.payload.clone(), draft.push_type, draft.priority);
        if self.checked.as_ref() != Some(&key) {
            self.check = Some(check_payload(
                draft.payload.as_bytes(),
                draft.push_type,
                draft.priority,
            ));
            self.checked = Some(key);
        }
        if self.fields_from.as_deref() != Some(draft.payload.as_str())
            && let Ok(value) = serde_json::from_str::<Value>(&draft.payload)
        {
            self.fields = PayloadFields::from_json(&value);
            self.fields_from = Some(draft.payload.clone());
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        destination: &str,
        guide: &GuideStatus,
        commands: &mut Vec<Command>,
    ) {
        self.refresh(&state.compose);
        let token_result = DeviceToken::parse(&state.compose.token);
        let payload_ok = self.check.as_ref().is_some_and(PayloadCheck::is_ok);
        let can_send = payload_ok && token_result.is_ok() && !self.sending.is_running();
        if can_send
            && ui.input_mut(|i| {
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter))
            })
        {
            commands.push(Command::Send);
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(text::HEADING);
                ui.add_space(ITEM_GAP);
                if !state.guide_hidden {
                    guide_ui(ui, state, guide, commands);
                    ui.add_space(SECTION_GAP);
                }
                self.device_card(ui, state);
                ui.add_space(SECTION_GAP);
                ui.columns(2, |columns| {
                    columns[0].vertical(|ui| {
                        self.payload_card(ui, state);
                    });
                    columns[1].vertical(|ui| {
                        self.send_card(ui, state, destination, can_send, commands);
                        ui.add_space(SECTION_GAP);
                        self.response_card(ui);
                    });
                });
            });
    }

    fn device_card(&mut self, ui: &mut egui::Ui, state: &mut State) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let label = ui.label(RichText::new(text::TOKEN).strong());
            let field = ui
                .add(
                    TextEdit::singleline(&mut state.compose.token)
                        .hint_text(text::TOKEN_HINT)
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
                    let mut line = format!("✔ {bytes}-byte token");
                    if self.normalised {
                        line.push_str(" — tidied up from what was pasted (spaces, brackets, case)");
                    }
                    ui.label(RichText::new(line).color(p.good.fg).small());
                }
                Err(_) if state.compose.token.trim().is_empty() => {}
                Err(e) => {
                    notice(ui, "⚠", &capitalise(&e.to_string()), p.bad);
                }
            }
            if let Some(warning) = state
                .devices
                .iter()
                .find(|d| d.token == state.compose.token)
                .and_then(|d| {
                    super::connection::environment_warning(
                        "This device's token is",
                        d.environment,
                        &state.connection,
                    )
                })
            {
                notice(ui, "⚠", &warning, p.warning);
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(text::SAVED_DEVICES);
                let current = state
                    .devices
                    .iter()
                    .find(|d| d.token == state.compose.token)
                    .map(device_label);
                let mut picked = None;
                let combo = egui::ComboBox::from_id_salt("compose-saved-device")
                    .selected_text(current.clone().unwrap_or_else(|| {
                        if state.devices.is_empty() {
                            text::NO_DEVICES.to_owned()
                        } else {
                            "Choose…".to_owned()
                        }
                    }))
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for device in &state.devices {
                            if ui
                                .selectable_label(
                                    device.token == state.compose.token,
                                    device_label(device),
                                )
                                .clicked()
                            {
                                picked = Some(device.token.clone());
                            }
                        }
                    })
                    .response;
                let _ = combo.labelled_by(label.id);
                if let Some(token) = picked {
                    state.compose.token = token;
                    self.normalised = false;
                }
                if current.is_some() {
                    if ui.small_button(text::FORGET).clicked() {
                        let token = state.compose.token.clone();
                        state.devices.retain(|d| d.token != token);
                    }
                } else if ui
                    .add_enabled(
                        DeviceToken::parse(&state.compose.token).is_ok(),
                        egui::Button::new(text::SAVE_DEVICE).small(),
                    )
                    .clicked()
                {
                    self.new_device = Some(SavedDevice {
                        token: state.compose.token.clone(),
                        ..Default::default()
                    });
                }
                if ui.small_button(text::DEMO).clicked() {
                    use_demo_device(state);
                }
            });
            let mut close = false;
            if let Some(device) = &mut self.new_device {
                ui.add_space(ITEM_GAP);
                ui.horizontal(|ui| {
                    let label = ui.label(text::DEVICE_NAME);
                    ui.add(
                        TextEdit::singleline(&mut device.name)
                            .hint_text("Alice's iPhone")
                            .desired_width(160.0),
                    )
                    .labelled_by(label.id);
                    let label = ui.label(text::DEVICE_GROUP);
                    ui.add(
                        TextEdit::singleline(&mut device.group)
                            .hint_text("shared: Bob's iPad")
                            .desired_width(140.0),
                    )
                    .labelled_by(label.id);
                });
                ui.horizontal(|ui| {
                    ui.radio_value(&mut device.environment, Environment::Sandbox, "Sandbox");
                    ui.radio_value(
                        &mut device.environment,
                        Environment::Production,
                        "Production",
                    );
                    if ui
                        .add_enabled(
                            !device.name.trim().is_empty(),
                            egui::Button::new(text::SAVE),
                        )
                        .clicked()
                    {
                        device.name = device.name.trim().to_owned();
                        device.group = device.group.trim().to_owned();
                        state.devices.retain(|d| d.token != device.token);
                        state.devices.push(device.clone());
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            }
            if close {
                self.new_device = None;
            }
        });
    }

    fn payload_card(&mut self, ui: &mut egui::Ui, state: &mut State) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let label = ui.label(text::PUSH_TYPE);
                let mut chosen = state.compose.push_type;
                let combo = egui::ComboBox::from_id_salt("compose-push-type")
                    .selected_text(chosen.as_str())
                    .show_ui(ui, |ui| {
                        for t in PushType::ALL {
                            ui.selectable_value(&mut chosen, t, t.as_str());
                        }
                    })
                    .response;
                let _ = combo.labelled_by(label.id);
                if chosen != state.compose.push_type {
                    let untouched =
                        serde_json::to_string_pretty(&template(state.compose.push_type))
                            .is_ok_and(|t| t == state.compose.payload);
                    if untouched {
                        set_push_type(&mut state.compose, chosen, template(chosen));
                        self.kept_payload = false;
                    } else {
                        // The user wrote this payload: keep it, and say how to replace it.
                        state.compose.push_type = chosen;
                        state.compose.priority = Some(chosen.default_priority());
                        self.kept_payload = true;
                    }
                }
                let label = ui.label(text::TEMPLATE);
                let mut picked = None;
                let combo = egui::ComboBox::from_id_salt("compose-template")
                    .selected_text("Choose…")
                    .show_ui(ui, |ui| {
                        for name in TEMPLATES {
                            if ui.selectable_label(false, name).clicked() {
                                picked = Some(name);
                            }
                        }
                    })
                    .response;
                let _ = combo.labelled_by(label.id);
                if let Some(name) = picked {
                    let (push_type, payload) = template_payload(name);
                    set_push_type(&mut state.compose, push_type, payload);
                    self.kept_payload = false;
                }
            });
            if self.kept_payload {
                notice(ui, "ℹ", text::KEPT_PAYLOAD, p.info);
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.view, PayloadView::Form, text::FORM);
                ui.selectable_value(&mut self.view, PayloadView::Json, text::JSON);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(check) = &self.check {
                        let over = check.size > check.limit;
                        let meter = format!(
                            "{} / {} bytes",
                            group_digits(check.size as u64),
                            group_digits(check.limit as u64)
                        );
                        let color = if over { p.bad.fg } else { p.muted };
                        ui.label(RichText::new(meter).color(color).strong());
                    }
                });
            });
            ui.add_space(ITEM_GAP);
            let parses = serde_json::from_str::<Value>(&state.compose.payload).is_ok();
            if self.view == PayloadView::Form && !parses {
                notice(
                    ui,
                    "ℹ",
                    "The JSON does not parse, so the form cannot show it: fix it in the JSON view.",
                    p.info,
                );
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
                let error_line = self
                    .check
                    .as_ref()
                    .and_then(|c| c.errors.iter().find_map(|e| e.line));
                let label = ui.label(RichText::new(text::PAYLOAD).color(p.muted));
                json_editor(ui, &label, &mut state.compose.payload, error_line, 14);
                ui.horizontal(|ui| {
                    if ui.small_button("Format JSON").clicked()
                        && let Ok(value) = serde_json::from_str::<Value>(&state.compose.payload)
                        && let Ok(text) = serde_json::to_string_pretty(&value)
                    {
                        state.compose.payload = text;
                    }
                    if ui.small_button("Compact JSON").clicked()
                        && let Ok(value) = serde_json::from_str::<Value>(&state.compose.payload)
                        && let Ok(text) = serde_json::to_string(&value)
                    {
                        state.compose.payload = text;
                    }
                });
            }
            if let Some(check) = &self.check {
                for error in &check.errors {
                    let text = match (error.line, error.column) {
                        (Some(line), Some(column)) => {
                            format!("Line {line}, column {column}: {}", error.message)
                        }
                        (Some(line), None) => format!("Line {line}: {}", error.message),
                        _ => capitalise(&error.message),
                    };
                    notice(ui, "✖", &text, p.bad);
                }
                for warning in &check.warnings {
                    notice(ui, "⚠", &capitalise(&warning.message), p.warning);
                }
            }
        });
    }

    /// The form view. Returns true when a field changed.
    fn form_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let f = &mut self.fields;
        let mut changed = false;
        egui::Grid::new("payload-form")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for (label, value, hint) in [
                    ("Title", &mut f.title, "Someone is at the door"),
                    ("Subtitle", &mut f.subtitle, "Front door"),
                    ("Body", &mut f.body, "Tap to see who it is"),
                    ("Sound", &mut f.sound, "default"),
                    ("Category", &mut f.category, "DOORBELL"),
                    ("Thread id", &mut f.thread_id, "front-door"),
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
                let l = ui.label("Badge");
                ui.horizontal(|ui| {
                    let mut on = f.badge.is_some();
                    if ui.checkbox(&mut on, "Set the badge").changed() {
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
                let l = ui.label("Interruption level");
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
                ui.label("");
                ui.vertical(|ui| {
                    changed |= ui
                        .checkbox(
                            &mut f.content_available,
                            "content-available (wake the app in the background)",
                        )
                        .changed();
                    changed |= ui
                        .checkbox(
                            &mut f.mutable_content,
                            "mutable-content (let a service extension change it)",
                        )
                        .changed();
                });
                ui.end_row();
            });
        changed
    }

    fn send_card(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        destination: &str,
        can_send: bool,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("To").color(p.muted));
                ui.label(RichText::new(destination).strong());
                if ui.small_button("Change…").clicked() {
                    commands.push(Command::ShowSection(Section::Connection));
                }
            });
            ui.add_space(ITEM_GAP);
            let draft = &mut state.compose;
            ui.horizontal(|ui| {
                let label = ui.label(text::BUNDLE);
                ui.add(
                    TextEdit::singleline(&mut draft.bundle_id)
                        .hint_text("from the certificate")
                        .desired_width(200.0),
                )
                .labelled_by(label.id);
            });
            if let Some(suffix) = draft.push_type.topic_suffix().filter(|s| !s.is_empty()) {
                ui.label(
                    RichText::new(format!(
                        "apns-topic gets \"{suffix}\" after the bundle id for {} pushes.",
                        draft.push_type
                    ))
                    .small()
                    .color(p.muted),
                );
            }
            egui::CollapsingHeader::new(text::HEADERS)
                .default_open(true)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let label = ui.label(text::PRIORITY);
                        let default = draft.push_type.default_priority();
                        let shown = |p: Option<u8>| match p {
                            None => format!("default ({default})"),
                            Some(10) => "10 — immediately".to_owned(),
                            Some(5) => "5 — when power allows".to_owned(),
                            Some(1) => "1 — lowest, may be grouped".to_owned(),
                            Some(other) => other.to_string(),
                        };
                        let combo = egui::ComboBox::from_id_salt("compose-priority")
                            .selected_text(shown(draft.priority))
                            .show_ui(ui, |ui| {
                                for choice in [None, Some(10), Some(5), Some(1)] {
                                    ui.selectable_value(&mut draft.priority, choice, shown(choice));
                                }
                            })
                            .response;
                        let _ = combo.labelled_by(label.id);
                    });
                    ui.horizontal_wrapped(|ui| {
                        ui.label(text::EXPIRATION);
                        let mut kind = match draft.expiration {
                            Expiration::None => 0,
                            Expiration::Immediately => 1,
                            Expiration::In(_) => 2,
                            Expiration::At(_) => 3,
                        };
                        let before = kind;
                        ui.radio_value(&mut kind, 0, "none");
                        ui.radio_value(&mut kind, 1, "0 (now or never)");
                        let after = ui.radio_value(&mut kind, 2, "now +");
                        let at_time = ui.radio_value(&mut kind, 3, "at (UNIX time)");
                        if kind != before {
                            draft.expiration = match kind {
                                1 => Expiration::Immediately,
                                2 => Expiration::In(3600),
                                3 => Expiration::At(
                                    time::OffsetDateTime::now_utc().unix_timestamp() + 86_400,
                                ),
                                _ => Expiration::None,
                            };
                        }
                        // The value sits after the choices; it is named by its choice.
                        match &mut draft.expiration {
                            Expiration::In(seconds) => {
                                ui.add(
                                    egui::DragValue::new(seconds)
                                        .range(0..=30 * 86_400)
                                        .suffix(" s"),
                                )
                                .labelled_by(after.id);
                            }
                            Expiration::At(at) => {
                                ui.add(egui::DragValue::new(at)).labelled_by(at_time.id);
                            }
                            _ => {}
                        }
                    });
                    ui.horizontal(|ui| {
                        let label = ui.label(text::COLLAPSE_ID);
                        ui.add(
                            TextEdit::singleline(&mut draft.collapse_id)
                                .hint_text("optional, up to 64 bytes")
                                .desired_width(200.0),
                        )
                        .labelled_by(label.id);
                    });
                    ui.horizontal(|ui| {
                        let label = ui.label(text::APNS_ID);
                        ui.add(
                            TextEdit::singleline(&mut draft.apns_id)
                                .hint_text("empty: APNs makes one")
                                .desired_width(280.0),
                        )
                        .labelled_by(label.id);
                        if ui.small_button(text::NEW_ID).clicked() {
                            draft.apns_id = new_uuid();
                        }
                    });
                });
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                let send = egui::Button::new(RichText::new(text::SEND).strong())
                    .min_size(egui::vec2(110.0, 30.0));
                let response = ui.add_enabled(can_send, send);
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, can_send, text::SEND)
                });
                if response.clicked() {
                    commands.push(Command::Send);
                }
                if ui.button(text::CURL).clicked() {
                    commands.push(Command::CopyCurl);
                }
                if self.sending.is_running() {
                    ui.spinner();
                    ui.label(text::SENDING);
                }
            });
            ui.label(RichText::new(text::SEND_HINT).small().color(p.muted));
            if let Some(message) = &self.curl_message {
                notice(ui, "✔", message, p.good);
            }
            if let Some(error) = &self.error {
                notice(ui, "⚠", error, p.bad);
            }
        });
    }

    fn response_card(&mut self, ui: &mut egui::Ui) {
        let Some(entry) = &self.last else { return };
        response_ui(ui, entry);
    }
}

/// The answer to one send: status, reason and what it means, ids, latency.
pub fn response_ui(ui: &mut egui::Ui, entry: &HistoryEntry) {
    let p = Palette::of(ui);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(text::RESPONSE).strong().size(16.0));
            match (entry.status, &entry.error) {
                (Some(200), _) => {
                    chip(ui, "200 Delivered", p.good);
                }
                (Some(status), _) => {
                    let text = format!("{status} {}", entry.reason.clone().unwrap_or_default());
                    chip(ui, &text, p.bad);
                }
                (None, _) => {
                    chip(ui, "No answer", p.bad);
                }
            }
        });
        if let Some(error) = &entry.error {
            notice(ui, "⚠", &capitalise(error), p.bad);
        }
        if let Some(reason) = entry.reason.as_deref().and_then(Reason::parse) {
            ui.add(egui::Label::new(RichText::new(reason.meaning())).wrap());
            notice(ui, "ℹ", &format!("Fix: {}", reason.fix()), p.warning);
        }
        ui.add_space(ITEM_GAP);
        CopyRows::show(ui, |ui| {
            if let Some(status) = entry.status {
                copy_row(ui, "Status", &status.to_string(), false);
            }
            if let Some(id) = &entry.apns_id {
                copy_row(ui, "apns-id", id, true);
            }
            if let Some(id) = &entry.apns_unique_id {
                copy_row(ui, "apns-unique-id", id, true);
            }
            if let Some(ms) = entry.latency_ms {
                copy_row(ui, "Latency", &format!("{ms:.1} ms"), false);
            }
            if let Some(topic) = &entry.topic {
                copy_row(ui, "Topic", topic, false);
            }
            copy_row(ui, "Sent to", &entry.destination, false);
        });
    });
}

fn guide_ui(
    ui: &mut egui::Ui,
    state: &mut State,
    guide: &GuideStatus,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let sent = state.history.iter().any(|h| h.status == Some(200));
    theme::message(p.info).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(text::GUIDE).strong().color(p.info.fg));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.small_button(text::HIDE_GUIDE).clicked() {
                    state.guide_hidden = true;
                }
            });
        });
        let step = |ui: &mut egui::Ui, n: usize, done: bool, text: &str| {
            let mark = if done {
                "✔".to_owned()
            } else {
                format!("{n}.")
            };
            ui.label(
                RichText::new(mark)
                    .strong()
                    .color(if done { p.good.fg } else { p.info.fg }),
            );
            ui.label(RichText::new(text).color(p.info.fg));
        };
        ui.horizontal_wrapped(|ui| {
            step(ui, 1, guide.has_credential, "Make a test certificate");
            if !guide.has_credential && ui.small_button("Generate a test certificate").clicked() {
                commands.push(Command::GenerateTestCertificate {
                    bundle_id: DEMO_BUNDLE_ID.to_owned(),
                    environment: CertEnvironment::Development,
                });
            }
            ui.add_space(12.0);
            step(ui, 2, guide.check_passed, "Check the connection");
            if guide.has_credential && !guide.check_passed && ui.small_button("Check").clicked() {
                commands.push(Command::ShowSection(Section::Connection));
                commands.push(Command::CheckConnection);
            }
            ui.add_space(12.0);
            step(ui, 3, sent, "Send to the demo device");
            if !sent && state.compose.token.is_empty() && ui.small_button(text::DEMO).clicked() {
                use_demo_device(state);
            }
            ui.add_space(12.0);
            step(ui, 4, false, "See it in the simulator's inbox");
            if sent && ui.small_button("Open Simulator").clicked() {
                commands.push(Command::ShowSection(Section::Simulator));
            }
        });
    });
}

fn use_demo_device(state: &mut State) {
    state.compose.token = DEMO_TOKEN.to_owned();
    if !state.devices.iter().any(|d| d.token == DEMO_TOKEN) {
        state.devices.push(SavedDevice {
            name: DEMO_NAME.to_owned(),
            token: DEMO_TOKEN.to_owned(),
            environment: Environment::Sandbox,
            group: "demo".to_owned(),
        });
    }
}

fn set_push_type(draft: &mut Draft, push_type: PushType, payload: Value) {
    draft.push_type = push_type;
    draft.priority = Some(push_type.default_priority());
    if let Ok(text) = serde_json::to_string_pretty(&payload) {
        draft.payload = text;
    }
}

fn device_label(device: &SavedDevice) -> String {
    let env = device.environment.label();
    if device.group.is_empty() {
        format!("{} ({env})", device.name)
    } else {
        format!("{} — {} ({env})", device.name, device.group)
    }
}

/// The form's payload, keeping the `aps` keys the form has no field for.
fn merge_form(fields: &PayloadFields, old: &Value) -> Value {
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

/// Sends on the pool's connection for this server and credential, by the batch's rules: sent
/// again only when APNs provably did not process it.
async fn send_once(
    plan: &Plan,
    n: &Notification,
    connections: &Connections,
) -> Result<PushResponse, String> {
    let target = plan.target().await?;
    connections
        .send(&target, &plan.auth, n, Duration::from_secs(10))
        .await
        .map_err(|e| match e {
            SingleSendError::Connect(e) => {
                format!("{e} (the Connection screen's check says step by step what fails)")
            }
            SingleSendError::Send(e) if e.is_unconfirmed() => format!(
                "Unconfirmed: {e}. It was not sent again, so the phone never shows it twice; send it again if it did not arrive."
            ),
            SingleSendError::Send(e) => format!("Not sent: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn every_template_passes_its_own_check() {
        for name in TEMPLATES {
            let (push_type, payload) = template_payload(name);
            let text = serde_json::to_vec(&payload).unwrap();
            let check = check_payload(&text, push_type, Some(push_type.default_priority()));
            assert!(check.is_ok(), "{name}: {:?}", check.errors);
        }
    }
}
