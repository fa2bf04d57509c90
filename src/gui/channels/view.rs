//! Drawing the Channels screen: the app, creating and listing channels, a broadcast, the
//! last answer, and subscriptions in the embedded simulator.

use egui::RichText;

use super::{AnswerPlace, ChannelAction, ChannelsPanel, JobDone, JobError};
use crate::apns::{ChannelApi, ChannelRequest, MessageStoragePolicy};
use crate::client::ChannelOutcome;
use crate::gui::app::Command;
use crate::gui::i18n::{
    channel_note, payload_issue, reason_fix, reason_meaning, send_error, tr, tr_with,
};
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
}

fn policy_label(p: MessageStoragePolicy) -> String {
    match p {
        MessageStoragePolicy::NoStorage => tr("channels-policy-no-storage"),
        MessageStoragePolicy::MostRecent => tr("channels-policy-most-recent"),
    }
}

impl ChannelsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &ChannelsContext, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(tr("channels-heading"));
                ui.label(RichText::new(tr("channels-intro")).color(p.muted));
                ui.label(RichText::new(&cx.destination).color(p.muted));
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
            ui.label(tr("channels-working"));
        }
        !running
    }

    fn app_card(&mut self, ui: &mut egui::Ui, cx: &ChannelsContext, commands: &mut Vec<Command>) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let label = ui.add_sized([LABEL_WIDTH, 20.0], egui::Label::new(tr("channels-app")));
                let hint = cx
                    .default_bundle
                    .clone()
                    .unwrap_or_else(|| tr("channels-app-hint"));
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
                    egui::Label::new(tr("channels-storage-policy")),
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
                    .add_enabled(idle, egui::Button::new(tr("channels-create")))
                    .clicked()
                {
                    commands.push(Command::Channels(ChannelAction::Create));
                }
                if ui
                    .add_enabled(idle, egui::Button::new(tr("channels-list")))
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
            ui.label(RichText::new(tr("channels-known")).strong());
            if self.known.is_empty() {
                ui.label(RichText::new(tr("channels-none-known")).color(p.muted));
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
                    let name = [("channel", id.as_str().into())];
                    let use_it = egui::Button::new(tr("channels-use"));
                    if ui
                        .add(use_it)
                        .on_hover_text(tr_with("channels-use-hover", &name))
                        .clicked()
                    {
                        self.channel = id.to_string();
                    }
                    if ui
                        .add_enabled(idle, egui::Button::new(tr("channels-read")))
                        .clicked()
                    {
                        commands.push(Command::Channels(ChannelAction::Read(id.clone())));
                    }
                    if ui
                        .add_enabled(idle, egui::Button::new(tr("channels-delete")))
                        .clicked()
                    {
                        commands.push(Command::Channels(ChannelAction::Delete(id.clone())));
                    }
                });
                if self.confirm_delete.as_ref() == Some(&id) {
                    notice(
                        ui,
                        "⚠",
                        &tr_with(
                            "channels-confirm-delete",
                            &[("channel", id.as_str().into())],
                        ),
                        p.warning,
                    );
                    ui.horizontal(|ui| {
                        if ui.button(tr("channels-delete-confirmed")).clicked() {
                            commands.push(Command::Channels(ChannelAction::Delete(id.clone())));
                        }
                        if ui.button(tr("channels-keep")).clicked() {
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
            ui.label(RichText::new(tr("channels-broadcast-heading")).strong());
            ui.label(RichText::new(tr("channels-broadcast-intro")).color(p.muted));
            ui.horizontal(|ui| {
                let label = ui.add_sized(
                    [LABEL_WIDTH, 20.0],
                    egui::Label::new(tr("channels-channel-id")),
                );
                ui.add(egui::TextEdit::singleline(&mut self.channel).desired_width(320.0))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.add_sized(
                    [LABEL_WIDTH, 20.0],
                    egui::Label::new(tr("channels-priority")),
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
            ui.label(RichText::new(tr("channels-expiration-zero")).color(p.muted));
            let label = ui.label(tr("channels-payload"));
            let check =
                crate::apns::check_broadcast_payload(self.payload.as_bytes(), Some(self.priority));
            let error_line = check.errors.first().and_then(|e| e.line);
            json_editor(ui, &label, &mut self.payload, error_line, 8);
            ui.label(
                RichText::new(tr_with(
                    "channels-payload-size",
                    &[("size", check.size.into())],
                ))
                .color(p.muted),
            );
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
                    .add_enabled(idle, egui::Button::new(tr("channels-send-broadcast")))
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
                let text = match e {
                    JobError::Setup(why) => why.clone(),
                    JobError::Target(failure) => failure.text(),
                    JobError::Payload(issue) => capitalise(&payload_issue(issue)),
                    JobError::Channel(note) => capitalise(&channel_note(note)),
                    JobError::Connect(why) => {
                        tr_with("channels-no-connection", &[("why", why.as_str().into())])
                    }
                    JobError::Unconfirmed(why) => {
                        tr_with("channels-unconfirmed", &[("why", send_error(why).into())])
                    }
                    JobError::NotSent(why) => {
                        tr_with("channels-not-sent", &[("why", send_error(why).into())])
                    }
                };
                notice(ui, "⚠", &text, p.bad);
            }
            Ok(JobDone::Managed { request, response }) => {
                let text = match (&response.outcome, request) {
                    (ChannelOutcome::Created { channel_id }, _) => tr_with(
                        "channels-created",
                        &[("channel", channel_id.as_str().into())],
                    ),
                    (ChannelOutcome::Listed { channels }, _) => {
                        tr_with("channels-listed", &[("count", channels.len().into())])
                    }
                    (ChannelOutcome::Read { config }, _) => tr_with(
                        "channels-read-answer",
                        &[("policy", policy_label(config.message_storage_policy).into())],
                    ),
                    (ChannelOutcome::Deleted, ChannelRequest::Delete(id)) => {
                        tr_with("channels-deleted", &[("channel", id.as_str().into())])
                    }
                    (ChannelOutcome::Deleted, _) => tr("channels-done"),
                    (ChannelOutcome::Rejected { status, reason }, _) => {
                        self.refusal(ui, *status, reason.as_deref(), ChannelApi::Manage);
                        return;
                    }
                    (ChannelOutcome::Unreadable { status, why }, _) => {
                        notice(
                            ui,
                            "⚠",
                            &tr_with(
                                "channels-unreadable",
                                &[("status", (*status).into()), ("why", why.as_str().into())],
                            ),
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
                let mut text = tr_with(
                    "channels-broadcast-accepted",
                    &[("channel", channel.as_str().into())],
                );
                if let Some(n) = subscribers {
                    text.push(' ');
                    text.push_str(&tr_with(
                        "channels-broadcast-subscribers",
                        &[("count", (*n).into())],
                    ));
                }
                notice(ui, "✔", &text, p.good);
            }
        }
    }

    fn refusal(&self, ui: &mut egui::Ui, status: u16, reason: Option<&str>, api: ChannelApi) {
        let p = Palette::of(ui);
        let reason_text = reason.unwrap_or("-");
        notice(
            ui,
            "⛔",
            &tr_with(
                "channels-refused",
                &[("status", status.into()), ("reason", reason_text.into())],
            ),
            p.bad,
        );
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
            ui.label(RichText::new(tr("channels-simulator-heading")).strong());
            ui.label(RichText::new(tr("channels-simulator-intro")).color(p.muted));
            ui.horizontal(|ui| {
                let label = ui.add_sized(
                    [LABEL_WIDTH, 20.0],
                    egui::Label::new(tr("channels-device-token")),
                );
                ui.add(
                    egui::TextEdit::singleline(&mut self.subscribe_token)
                        .desired_width(480.0)
                        .font(egui::TextStyle::Monospace),
                )
                .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                if ui.button(tr("channels-subscribe")).clicked() {
                    commands.push(Command::SubscribeInSimulator(true));
                }
                if ui.button(tr("channels-unsubscribe")).clicked() {
                    commands.push(Command::SubscribeInSimulator(false));
                }
            });
            match &self.subscribed {
                Some(Ok((channel, count))) => {
                    notice(
                        ui,
                        "✔",
                        &tr_with(
                            "channels-subscribers",
                            &[
                                ("channel", channel.as_str().into()),
                                ("count", (*count).into()),
                            ],
                        ),
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
