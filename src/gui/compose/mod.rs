//! The Compose & Send screen: a device token that is checked as it is pasted, saved devices,
//! the push type and its template, the payload as a form or as JSON (kept in sync), headers,
//! and the answer with what it means. Also the first-run guide.

mod activity_token;
mod device;
mod device_form;
mod form;
mod guide;
mod live;
mod live_ui;
mod payload;
mod response;
mod send;
mod templates;

pub(crate) use templates::default_payload;

use egui::{Key, KeyboardShortcut, Modifiers};
use serde_json::Value;

use super::JobError;
use super::app::Command;
use super::made_with::{ResultOrigin, RouteView, draft_digest, stale_notice};
use super::state::{Draft, HistoryEntry, State};
use super::theme::{ITEM_GAP, SECTION_GAP};
use super::worker::Task;
use crate::apns::{DeviceToken, PayloadCheck, PayloadFields, PushType, check_payload};
use crate::client::ConnectionPool;

use crate::gui::i18n::msg;
pub use guide::GuideStatus;
use guide::guide_ui;
use payload::PayloadView;
pub use response::response_ui;
pub use send::Sent;

/// A device token that reaches nobody: the simulator accepts any well-formed token.
pub const DEMO_TOKEN: &str = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

/// Connections reused across sends, per server and credential identity.
pub type Connections = ConnectionPool;

/// The Compose & Send screen.
pub struct ComposePanel {
    view: PayloadView,
    fields: PayloadFields,
    /// The payload text `fields` were read from.
    fields_from: Option<String>,
    check: Option<PayloadCheck>,
    checked: Option<(String, PushType, Option<u8>)>,
    normalised: bool,
    sending: Task<Sent, JobError>,
    pending: Option<HistoryEntry>,
    last: Option<HistoryEntry>,
    error: Option<String>,
    new_device: Option<device_form::DeviceForm>,
    curl_message: Option<String>,
    /// The push type changed but the user's own payload was kept.
    kept_payload: bool,
    /// The Live Activity composer, shown for push type `liveactivity`.
    live: live::LiveComposer,
    /// The route and push the send in flight was made with.
    pending_origin: Option<ResultOrigin>,
    /// The route and push the answer in view was made with.
    last_origin: Option<ResultOrigin>,
    /// A new answer arrived: scrolled into view on the next frame.
    answer_arrived: bool,
    /// The screen is one column this frame: Send lives in a bar at the bottom.
    narrow: bool,
    /// Why Send is disabled this frame, if it is.
    why_not: Option<String>,
    /// The payload last written for each push type this session, restored on coming back.
    payloads_by_type: std::collections::HashMap<PushType, String>,
    /// The language an untouched starting payload was last worded in.
    worded_in: Option<crate::gui::i18n::Language>,
    /// A Live Activity start the embedded simulator (at this address) accepted, to the
    /// push-to-start token (hex): the app looks up the update token its phone made.
    started: Option<(String, std::net::SocketAddr)>,
    /// The update token the simulated phone gave the activity last started, and to whom.
    followed: Option<activity_token::Followed>,
    /// The token the last Live Activity start that APNs accepted went to, as typed.
    started_at: Option<String>,
    /// The answer in view is to a Live Activity start, after which Compose moved on to the
    /// update: the push changed because the app moved it on, not because the answer is out
    /// of date for something the person means to send again.
    answer_was_start: bool,
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
            live: live::LiveComposer::default(),
            pending_origin: None,
            last_origin: None,
            answer_arrived: false,
            narrow: false,
            payloads_by_type: std::collections::HashMap::new(),
            why_not: None,
            started: None,
            followed: None,
            answer_was_start: false,
            started_at: None,
            worded_in: None,
        }
    }
}

impl ComposePanel {
    /// A push is on its way: Send waits.
    pub fn is_busy(&self) -> bool {
        self.sending.is_running()
    }

    /// The answer to the last send.
    pub fn last(&self) -> Option<&HistoryEntry> {
        self.last.as_ref()
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

    /// Draws the screen: the guide, the form or JSON, the route and the answer.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        route: &RouteView,
        guide: &GuideStatus,
        commands: &mut Vec<Command>,
    ) {
        let now = route
            .made
            .clone()
            .map(|m| ResultOrigin::new(m, draft_digest(&state.compose)));
        self.refresh(&state.compose);
        let token_result = DeviceToken::parse(&state.compose.token);
        let payload_ok = self.check.as_ref().is_some_and(PayloadCheck::is_ok);
        let can_send = payload_ok && token_result.is_ok() && !self.sending.is_running();
        // Why Send is greyed out, said beside it (the field at fault may be out of view).
        self.why_not = if self.sending.is_running() {
            None
        } else if let Err(e) = &token_result {
            Some(crate::gui::widgets::capitalise(
                &crate::gui::i18n::token_error(e),
            ))
        } else {
            self.check
                .as_ref()
                .and_then(|c| c.errors.first())
                .map(|e| crate::gui::widgets::capitalise(&crate::gui::i18n::payload_issue(e)))
        };
        if can_send
            && ui.input_mut(|i| {
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter))
            })
        {
            commands.push(Command::Send);
        }
        self.narrow = ui.available_width() < crate::gui::theme::TWO_COLUMNS_FROM;
        if self.narrow {
            egui::Panel::bottom("compose-send-bar").show(ui, |ui| {
                ui.add_space(ITEM_GAP);
                self.send_row(ui, can_send, now.as_ref(), commands);
            });
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(msg::compose_heading());
                ui.add_space(ITEM_GAP);
                if !state.guide_hidden {
                    guide_ui(ui, state, guide, commands);
                    ui.add_space(SECTION_GAP);
                }
                self.device_card(ui, state);
                ui.add_space(SECTION_GAP);
                crate::gui::theme::two_columns(ui, |i, ui| match i {
                    0 => {
                        ui.vertical(|ui| {
                            // The payload card (with the push-type menu) stays where it is;
                            // the Live Activity composer appears below it, not above.
                            self.payload_card(ui, state);
                            if state.compose.push_type == PushType::LiveActivity {
                                ui.add_space(SECTION_GAP);
                                self.live_card(ui, state);
                            }
                        });
                    }
                    _ => {
                        ui.vertical(|ui| {
                            self.send_card(ui, state, route, can_send, commands);
                            ui.add_space(SECTION_GAP);
                            self.response_card(ui, now.as_ref());
                        });
                    }
                });
            });
    }

    fn response_card(&mut self, ui: &mut egui::Ui, now: Option<&ResultOrigin>) {
        let Some(entry) = &self.last else { return };
        if let Some(origin) = &self.last_origin
            && !origin.is_current(now)
        {
            if self.answer_was_start && now.is_some_and(|n| n.made == origin.made) {
                // Same route: only the push moved on, to the start's next step. Sending the
                // start again is not what to do, so the notice does not say "run it again".
                let p = crate::gui::theme::Palette::of(ui);
                crate::gui::widgets::notice(ui, "ℹ", &msg::result_was_the_start(), p.info);
            } else {
                // The answer stays (it happened), marked as made with what was changed since.
                stale_notice(ui, origin);
            }
            ui.add_space(ITEM_GAP);
        }
        let card = ui.scope(|ui| response_ui(ui, entry)).response;
        if std::mem::take(&mut self.answer_arrived) {
            // The answer is where the eye goes next, even when it lands below the fold.
            card.scroll_to_me(None);
        }
    }
}
