//! Sending one notification: the card with the bundle id, headers and the Send button; the
//! request built from the draft; the send on a reused connection; the same request as curl.

use std::time::Duration;

use egui::{RichText, TextEdit};

use super::{ComposePanel, Connections};
use crate::apns::{BundleId, DeviceToken, Headers, Notification, check_payload, new_uuid};
use crate::client::{PushResponse, SingleSendError};
use crate::gui::app::{Command, Section};
use crate::gui::connection::Plan;
use crate::gui::i18n::{msg, payload_issue, token_error};
use crate::gui::made_with::{ResultOrigin, RouteView, draft_digest, warnings_ui};
use crate::gui::state::{Draft, Expiration, HistoryEntry, SavedDevice, State};
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{capitalise, notice};
use crate::gui::worker::Worker;
use crate::gui::{JobError, Sending};

/// A send that finished: the request as history keeps it, and the answer.
pub struct Sent {
    /// The push as History keeps it, with the answer when there was one.
    pub entry: HistoryEntry,
    /// Why the push failed, worded when it is shown.
    pub failure: Option<JobError>,
}

impl ComposePanel {
    /// Builds the notification for `draft`, or says what is wrong.
    pub fn notification(draft: &Draft, plan: &Plan) -> Result<Notification, String> {
        let token = DeviceToken::parse(&draft.token).map_err(|e| capitalise(&token_error(&e)))?;
        let check = check_payload(draft.payload.as_bytes(), draft.push_type, draft.priority);
        if let Some(first) = check.errors.first() {
            return Err(capitalise(&payload_issue(first)));
        }
        // The route's bundle id: the one typed for this credential, else the certificate's.
        let topic = match plan.route.bundle_id.clone() {
            Some(b) => Some(
                BundleId::parse(&b)
                    .map_err(|e| capitalise(&crate::gui::i18n::header_error(&e)))?
                    .topic(draft.push_type),
            ),
            None => None,
        };
        let headers = Headers {
            topic,
            priority: draft.priority,
            expiration: draft.expiration,
            collapse_id: Some(draft.collapse_id.trim().to_owned()),
            apns_id: Some(draft.apns_id.trim().to_owned()),
        };
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let n = headers
            .notification(
                token,
                draft.push_type,
                draft.payload.clone().into_bytes(),
                now,
            )
            .map_err(|e| capitalise(&crate::gui::i18n::header_error(&e)))?;
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
        self.pending_origin = Some(ResultOrigin::new(plan.made_with(), draft_digest(draft)));
        let token = notification.token.to_hex();
        let entry = HistoryEntry {
            time: time::OffsetDateTime::now_utc().unix_timestamp(),
            destination: crate::gui::i18n::destination(&plan.route.target),
            route: Some(plan.route.target.label.clone()),
            credential: plan.credential_name.clone(),
            device: devices
                .iter()
                .find(|d| d.token == notification.token)
                .map(|d| d.name.clone()),
            draft: Draft {
                token,
                bundle_id: plan.route.bundle_id.clone().unwrap_or_default(),
                ..draft.clone()
            },
            topic: notification.topic.clone(),
            over_certificate: matches!(plan.route.auth, crate::client::ClientAuth::Certificate(_)),
            ..Default::default()
        };
        self.pending = Some(entry.clone());
        let connections = connections.clone();
        self.sending = worker.run_async(move |_| async move {
            let mut entry = entry;
            let mut failure = None;
            match send_once(&plan, &notification, &connections).await {
                Ok(r) => {
                    entry.status = Some(r.status);
                    entry.reason = r.reason;
                    entry.apns_id = r.apns_id;
                    entry.apns_unique_id = r.apns_unique_id;
                    entry.latency_ms = Some(r.latency_ms);
                }
                Err(e) => failure = Some(e),
            }
            Ok(Sent { entry, failure })
        });
    }

    /// The same request as a curl command line, copied to the clipboard.
    pub fn copy_curl(&mut self, draft: &Draft, plan: Result<Plan, String>, ctx: &egui::Context) {
        let result = plan.and_then(|plan| {
            let n = Self::notification(draft, &plan)?;
            let command =
                crate::client::curl_command(&plan.route.target, &plan.route.auth, plan.local, &n);
            Ok((command, plan.local))
        });
        match result {
            Ok((command, local)) => {
                ctx.copy_text(command);
                let mut message = msg::compose_curl_done().to_owned();
                if local {
                    message.push(' ');
                    message.push_str(&msg::compose_curl_local());
                }
                self.curl_message = Some(message);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Picks up a finished send and adds it to the history.
    pub fn poll(&mut self, state: &mut State) {
        let language = crate::gui::i18n::language();
        if self.worded_in != Some(language) {
            self.worded_in = Some(language);
            super::templates::follow_language(&mut state.compose);
        }
        if !self.sending.poll() {
            return;
        }
        match self.sending.take_finished() {
            Some(Ok(mut sent)) => {
                // Worded here, on the UI thread, in the app's language.
                if let Some(failure) = sent.failure {
                    // Kept as data where it can be, so History words it in the language on
                    // screen when it is shown, not in today's.
                    match crate::gui::state::SendFailure::of(&failure) {
                        Some(kept) => sent.entry.failure = Some(kept),
                        None => {
                            sent.entry.error =
                                Some(crate::gui::connection::in_app_words(&failure.text()));
                        }
                    }
                }
                state.remember(sent.entry.clone());
                self.answer_was_start = false;
                self.after_live_send(
                    state,
                    &sent.entry.draft,
                    sent.entry.status,
                    sent.entry.route.as_ref(),
                );
                self.last = Some(sent.entry);
                self.last_origin = self.pending_origin.take();
                self.answer_arrived = true;
            }
            Some(Err(e)) => {
                let e = e.text();
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

    pub(super) fn send_card(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        route: &RouteView,
        can_send: bool,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(msg::compose_to()).color(p.muted));
                ui.label(RichText::new(&route.destination).strong());
                if ui.small_button(msg::compose_change()).clicked() {
                    commands.push(Command::ShowSection(Section::Connection));
                }
            });
            ui.add_space(ITEM_GAP);
            if let Some(path) = &route.credential {
                // The bundle id belongs to the credential it is typed for.
                ui.horizontal(|ui| {
                    let label = ui.label(msg::compose_bundle());
                    let hint = route
                        .certificate_bundle
                        .clone()
                        .unwrap_or_else(msg::compose_from_the_certificate);
                    ui.add(
                        TextEdit::singleline(state.connection.bundle_id_mut(path))
                            .hint_text(hint)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                });
            }
            let draft = &mut state.compose;
            if let Some(suffix) = draft.push_type.topic_suffix().filter(|s| !s.is_empty()) {
                ui.label(
                    RichText::new(msg::compose_topic_suffix(suffix, draft.push_type.as_str()))
                        .small()
                        .color(p.muted),
                );
            }
            egui::CollapsingHeader::new(msg::compose_headers())
                .default_open(true)
                .show(ui, |ui| {
                    priority_row(ui, draft);
                    ui.horizontal_wrapped(|ui| expiration_row(ui, draft));
                    id_rows(ui, draft);
                });
            ui.add_space(ITEM_GAP);
            warnings_ui(ui, route, commands);
            if !self.narrow {
                // Two columns: the answer's card is beside the form, with no headline here.
                self.send_row(ui, can_send, None, commands);
            }
        });
    }

    /// Send, Copy as curl, and what became of them: in the send card, or in the bar at the
    /// bottom of a one-column screen (always in view, whatever the payload's length).
    /// Send, Copy as curl, and (in one column) the answer's headline while `now`, the route
    /// and push in the form, is what it answered.
    pub(super) fn send_row(
        &mut self,
        ui: &mut egui::Ui,
        can_send: bool,
        now: Option<&ResultOrigin>,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        ui.horizontal_wrapped(|ui| {
            let send =
                theme::primary_button(ui, msg::compose_send()).min_size(egui::vec2(110.0, 30.0));
            let response = ui.add_enabled(can_send, send);
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, can_send, msg::compose_send())
            });
            if response.clicked() {
                commands.push(Command::Send);
            }
            if ui.button(msg::compose_curl()).clicked() {
                commands.push(Command::CopyCurl);
            }
            if self.sending.is_running() {
                ui.spinner();
                ui.label(msg::compose_sending());
            } else if self.narrow
                && let Some(last) = &self.last
                && self
                    .last_origin
                    .as_ref()
                    .is_none_or(|origin| origin.is_current(now))
            {
                // The answer's headline beside the button, while it is the answer to what the
                // form holds; the whole card is further down, marked when it no longer is.
                super::response::status_chip(ui, last);
            }
        });
        match &self.why_not {
            Some(why) if !can_send => {
                ui.label(RichText::new(why).small().color(p.warning.fg));
            }
            _ => {
                ui.label(
                    RichText::new(msg::compose_send_hint())
                        .small()
                        .color(p.muted),
                );
            }
        }
        if let Some(message) = &self.curl_message {
            notice(ui, "✔", message, p.good);
        }
        if let Some(error) = &self.error {
            notice(ui, "⚠", error, p.bad);
        }
    }
}

/// The apns-priority header, "default" naming the push type's own.
fn priority_row(ui: &mut egui::Ui, draft: &mut Draft) {
    ui.horizontal(|ui| {
        let label = ui.label(msg::compose_priority());
        let default = draft.push_type.default_priority();
        let shown = |p: Option<u8>| match p {
            None => msg::compose_priority_default(default),
            Some(10) => msg::compose_10_immediately().to_owned(),
            Some(5) => msg::compose_5_when_power_allows().to_owned(),
            Some(1) => msg::compose_1_lowest_may_be_grouped().to_owned(),
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
}

/// The apns-expiration header: none, now or never, after some seconds, or at a Unix time.
fn expiration_row(ui: &mut egui::Ui, draft: &mut Draft) {
    ui.label(msg::compose_expiration());
    let mut kind = match draft.expiration {
        Expiration::None => 0,
        Expiration::Immediately => 1,
        Expiration::In(_) => 2,
        Expiration::At(_) => 3,
    };
    let before = kind;
    ui.radio_value(&mut kind, 0, msg::compose_expiration_none());
    ui.radio_value(&mut kind, 1, msg::compose_0_now_or_never());
    let after = ui.radio_value(&mut kind, 2, msg::compose_now());
    let at_time = ui.radio_value(&mut kind, 3, msg::compose_at_unix_time());
    if kind != before {
        draft.expiration = match kind {
            1 => Expiration::Immediately,
            2 => Expiration::In(3600),
            3 => Expiration::At(time::OffsetDateTime::now_utc().unix_timestamp() + 86_400),
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
}

/// The apns-collapse-id and apns-id headers, with a button for a fresh id.
fn id_rows(ui: &mut egui::Ui, draft: &mut Draft) {
    ui.horizontal(|ui| {
        let label = ui.label(msg::compose_collapse_id());
        ui.add(
            TextEdit::singleline(&mut draft.collapse_id)
                .hint_text(msg::compose_optional_up_to_64_bytes())
                .desired_width(200.0),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(msg::compose_apns_id());
        ui.add(
            TextEdit::singleline(&mut draft.apns_id)
                .hint_text(msg::compose_empty_apns_makes_one())
                .desired_width(280.0),
        )
        .labelled_by(label.id);
        if ui.small_button(msg::compose_new_id()).clicked() {
            draft.apns_id = new_uuid();
        }
    });
}

/// Sends on the pool's connection for this server and credential, by the batch's rules: sent
/// again only when APNs provably did not process it.
async fn send_once(
    plan: &Plan,
    n: &Notification,
    connections: &Connections,
) -> Result<PushResponse, JobError> {
    let target = plan.target().await?;
    connections
        .send(&target, &plan.route.auth, n, Duration::from_secs(10))
        .await
        .map_err(|e| match e {
            SingleSendError::Connect(e) => JobError::Connect {
                sending: Sending::Push,
                error: e.to_string(),
            },
            SingleSendError::Send(e) => JobError::unanswered(Sending::Push, e),
        })
}
