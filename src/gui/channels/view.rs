//! Drawing the Channels screen: the app, creating and listing channels, a broadcast, the
//! last answer, and subscriptions in the embedded simulator.

use egui::RichText;

use super::{AnswerPlace, ChannelAction, ChannelsPanel, JobDone};
use crate::apns::{ChannelApi, ChannelRequest, MessageStoragePolicy};
use crate::client::ChannelOutcome;
use crate::gui::app::Command;
use crate::gui::i18n::{channel_note, msg, payload_issue, reason_fix, reason_meaning};
use crate::gui::theme::{self, ITEM_GAP, LABEL_WIDTH, Palette, SECTION_GAP};
use crate::gui::widgets::{capitalise, json_editor, notice};

/// What the screen shows of the rest of the app.
pub struct ChannelsContext {
    /// The plan's bundle id, shown as the app field's hint.
    pub default_bundle: Option<String>,
    /// Where requests go, in a line.
    pub destination: String,
    /// The embedded simulator is where requests go, and it runs.
    pub simulator: bool,
    /// The route, with the warnings for a broadcast (a Live Activity push).
    pub route: crate::gui::made_with::RouteView,
}

fn policy_label(p: MessageStoragePolicy) -> String {
    match p {
        MessageStoragePolicy::NoStorage => msg::channels_policy_no_storage(),
        MessageStoragePolicy::MostRecent => msg::channels_policy_most_recent(),
    }
}

impl ChannelsPanel {
    /// Draws the screen: the app, its channels, a broadcast, the last answer and subscriptions in
    /// the embedded simulator.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &ChannelsContext, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(msg::channels_heading());
                ui.label(RichText::new(msg::channels_intro()).color(p.muted));
                ui.label(RichText::new(&cx.destination).color(p.muted));
                crate::gui::made_with::warnings_ui(ui, &cx.route, commands);
                ui.add_space(SECTION_GAP);
                // Each answer under the card whose button asked for it, where the eye is.
                self.app_card(ui, cx, commands);
                self.answer_at(ui, AnswerPlace::App);
                ui.add_space(SECTION_GAP);
                self.list_card(ui, commands);
                self.answer_at(ui, AnswerPlace::List);
                ui.add_space(SECTION_GAP);
                self.broadcast_card(ui, commands);
                self.answer_at(ui, AnswerPlace::Broadcast);
                if cx.simulator {
                    ui.add_space(SECTION_GAP);
                    self.simulator_card(ui, commands);
                }
            });
    }

    fn busy_buttons(&self, ui: &mut egui::Ui) -> bool {
        let running = self.is_busy();
        if running {
            ui.spinner();
            ui.label(msg::channels_working());
        }
        !running
    }

    fn app_card(&mut self, ui: &mut egui::Ui, cx: &ChannelsContext, commands: &mut Vec<Command>) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let label =
                    ui.add_sized([LABEL_WIDTH, 20.0], egui::Label::new(msg::channels_app()));
                let hint = cx
                    .default_bundle
                    .clone()
                    .unwrap_or_else(msg::channels_app_hint);
                ui.add(
                    egui::TextEdit::singleline(&mut self.bundle)
                        .hint_text(hint)
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            });
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                let label = ui.add_sized(
                    [LABEL_WIDTH, 20.0],
                    egui::Label::new(msg::channels_storage_policy()),
                );
                egui::ComboBox::from_id_salt("channels-policy")
                    .selected_text(policy_label(self.policy))
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for policy in MessageStoragePolicy::ALL {
                            ui.selectable_value(&mut self.policy, policy, policy_label(policy));
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                let idle = self.busy_buttons(ui);
                if ui
                    .add_enabled(idle, egui::Button::new(msg::channels_create()))
                    .clicked()
                {
                    commands.push(Command::Channels(ChannelAction::Create));
                }
                if ui
                    .add_enabled(idle, egui::Button::new(msg::channels_list()))
                    .clicked()
                {
                    commands.push(Command::Channels(ChannelAction::List));
                }
            });
        });
    }

    fn list_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::channels_known()).strong());
            if self.known.is_empty() {
                ui.label(RichText::new(msg::channels_none_known()).color(p.muted));
                return;
            }
            let idle = !self.is_busy();
            let rows: Vec<_> = self
                .known
                .iter()
                .map(|(id, config)| (id.clone(), *config))
                .collect();
            for (id, config) in rows {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(id.as_str()).monospace());
                    if let Some(config) = config {
                        ui.label(
                            RichText::new(policy_label(config.message_storage_policy))
                                .color(p.muted),
                        );
                    }
                });
                ui.horizontal(|ui| {
                    let use_it = egui::Button::new(msg::channels_use());
                    if ui
                        .add(use_it)
                        .on_hover_text(msg::channels_use_hover(id.as_str()))
                        .clicked()
                    {
                        self.channel = id.to_string();
                    }
                    if ui
                        .add_enabled(idle, egui::Button::new(msg::channels_read()))
                        .clicked()
                    {
                        commands.push(Command::Channels(ChannelAction::Read(id.clone())));
                    }
                    if ui
                        .add_enabled(idle, egui::Button::new(msg::channels_delete()))
                        .clicked()
                    {
                        commands.push(Command::Channels(ChannelAction::Delete(id.clone())));
                    }
                });
                if self.confirm_delete.as_ref() == Some(&id) {
                    notice(
                        ui,
                        "⚠",
                        &msg::channels_confirm_delete(id.as_str()),
                        p.warning,
                    );
                    ui.horizontal(|ui| {
                        if ui.button(msg::channels_delete_confirmed()).clicked() {
                            commands.push(Command::Channels(ChannelAction::Delete(id.clone())));
                        }
                        if ui.button(msg::channels_keep()).clicked() {
                            self.confirm_delete = None;
                        }
                    });
                }
                ui.add_space(ITEM_GAP);
            }
        });
    }

    fn broadcast_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::channels_broadcast_heading()).strong());
            ui.label(RichText::new(msg::channels_broadcast_intro()).color(p.muted));
            ui.horizontal(|ui| {
                let label = ui.add_sized(
                    [LABEL_WIDTH, 20.0],
                    egui::Label::new(msg::channels_channel_id()),
                );
                ui.add(egui::TextEdit::singleline(&mut self.channel).desired_width(320.0))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.add_sized(
                    [LABEL_WIDTH, 20.0],
                    egui::Label::new(msg::channels_priority()),
                );
                egui::ComboBox::from_id_salt("channels-priority")
                    .selected_text(self.priority.to_string())
                    .show_ui(ui, |ui| {
                        for priority in [10u8, 5, 1] {
                            ui.selectable_value(&mut self.priority, priority, priority.to_string());
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            // APNs requires apns-expiration on a broadcast; 0 is the value every channel takes.
            ui.label(RichText::new(msg::channels_expiration_zero()).color(p.muted));
            let label = ui.label(msg::channels_payload());
            let check =
                crate::apns::check_broadcast_payload(self.payload.as_bytes(), Some(self.priority));
            let error_line = check.errors.first().and_then(|e| e.line());
            json_editor(ui, &label, &mut self.payload, error_line, 8);
            ui.checkbox(&mut self.stamp_now, msg::channels_stamp_now());
            // Against a broadcast's own limit (5,120 bytes, not a device push's 4,096).
            let over = check.size > check.limit;
            let meter = msg::compose_byte_meter(check.limit, check.size);
            ui.label(RichText::new(meter).color(if over { p.bad.fg } else { p.muted }));
            for e in &check.errors {
                notice(ui, "⛔", &capitalise(&payload_issue(e)), p.bad);
            }
            for w in &check.warnings {
                notice(ui, "⚠", &capitalise(&payload_issue(w)), p.warning);
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                let idle = self.busy_buttons(ui);
                if ui
                    .add_enabled(idle, egui::Button::new(msg::channels_send_broadcast()))
                    .clicked()
                {
                    commands.push(Command::Channels(ChannelAction::Broadcast));
                }
            });
        });
    }

    fn answer_at(&self, ui: &mut egui::Ui, place: AnswerPlace) {
        if self.last.is_some() && self.last_from == place {
            ui.add_space(ITEM_GAP);
            self.answer(ui);
        }
    }

    fn answer(&self, ui: &mut egui::Ui) {
        let p = Palette::of(ui);
        let Some(last) = &self.last else { return };
        match last {
            Err(e) => {
                let text = e.text();
                notice(ui, "⚠", &text, p.bad);
            }
            Ok(JobDone::Managed { request, response }) => {
                let text = match (&response.outcome, request) {
                    (ChannelOutcome::Created { channel_id }, _) => {
                        msg::channels_created(channel_id.as_str())
                    }
                    (ChannelOutcome::Listed { channels }, _) => {
                        msg::channels_listed(channels.len())
                    }
                    (ChannelOutcome::Read { config }, _) => {
                        msg::channels_read_answer(policy_label(config.message_storage_policy))
                    }
                    (ChannelOutcome::Deleted, ChannelRequest::Delete(id)) => {
                        msg::channels_deleted(id.as_str())
                    }
                    (ChannelOutcome::Deleted, _) => msg::channels_done(),
                    (ChannelOutcome::Rejected { status, reason }, _) => {
                        self.refusal(ui, *status, reason.as_deref(), ChannelApi::Manage);
                        return;
                    }
                    (ChannelOutcome::Unreadable { status, why }, _) => {
                        notice(
                            ui,
                            "⚠",
                            &msg::channels_unreadable(*status, why.as_str()),
                            p.warning,
                        );
                        return;
                    }
                };
                notice(ui, "✔", &text, p.good);
            }
            Ok(JobDone::Broadcast {
                channel,
                response,
                subscribers,
            }) => {
                if !response.is_success() {
                    self.refusal(
                        ui,
                        response.status,
                        response.reason.as_deref(),
                        ChannelApi::Broadcast,
                    );
                    return;
                }
                let mut text = msg::channels_broadcast_accepted(channel.as_str());
                if let Some(n) = subscribers {
                    text.push(' ');
                    text.push_str(&msg::channels_broadcast_subscribers(*n));
                }
                notice(ui, "✔", &text, p.good);
            }
        }
    }

    fn refusal(&self, ui: &mut egui::Ui, status: u16, reason: Option<&str>, api: ChannelApi) {
        let p = Palette::of(ui);
        let reason_text = reason.unwrap_or("-");
        notice(ui, "⛔", &msg::channels_refused(reason_text, status), p.bad);
        if let Some(known) = reason.and_then(crate::apns::Reason::parse) {
            ui.label(reason_meaning(known));
            // Apple's channel pages advise otherwise than the device-push fix for some reasons.
            let fix = match crate::apns::channel_note(known, api) {
                Some(note) => capitalise(&channel_note(&note)),
                None => reason_fix(known),
            };
            ui.label(RichText::new(fix).strong());
        }
    }

    fn simulator_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::channels_simulator_heading()).strong());
            ui.label(RichText::new(msg::channels_simulator_intro()).color(p.muted));
            ui.horizontal(|ui| {
                let label = ui.add_sized(
                    [LABEL_WIDTH, 20.0],
                    egui::Label::new(msg::channels_device_token()),
                );
                ui.add(
                    egui::TextEdit::singleline(&mut self.subscribe_token)
                        .desired_width(480.0)
                        .font(egui::TextStyle::Monospace),
                )
                .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                if ui.button(msg::channels_subscribe()).clicked() {
                    commands.push(Command::SubscribeInSimulator(true));
                }
                if ui.button(msg::channels_unsubscribe()).clicked() {
                    commands.push(Command::SubscribeInSimulator(false));
                }
            });
            match &self.subscribed {
                Some(Ok((channel, count))) => {
                    notice(
                        ui,
                        "✔",
                        &msg::channels_subscribers(channel.as_str(), *count),
                        p.good,
                    );
                }
                Some(Err(e)) => {
                    notice(ui, "⚠", e, p.bad);
                }
                None => {}
            }
        });
    }
}
