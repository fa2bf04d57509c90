//! The inbox: what the simulator delivered, copied when it changes and drawn like the
//! banners a phone would show (or what a push the user does not see does).

use std::time::Instant;

use egui::RichText;

use super::{BANNERS_SHOWN, INBOX_REFRESH, SimulatorPanel};
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{chip, notice};
use crate::sim::{Banner, Delivery};

impl SimulatorPanel {
    /// Empties the inbox and the kept refusals, of the simulator (running or not: the next
    /// start carries the same inbox on) and of the screen.
    pub fn clear_inbox(&mut self) {
        self.kept_inbox.clear();
        self.kept_inbox.clear_refusals();
        self.inbox.clear();
        self.refusals.clear();
        self.activities.clear();
        self.inbox_seen = None;
    }

    /// Copies the newest deliveries when the inbox changed, at most every [`INBOX_REFRESH`].
    pub(super) fn refresh_inbox(&mut self) {
        let Some(sim) = &self.running else { return };
        let inbox = sim.inbox();
        let total = (inbox.total(), inbox.rejected());
        if self.inbox_seen == Some(total) {
            return;
        }
        let recently = self.refreshed.is_some_and(|t| t.elapsed() < INBOX_REFRESH);
        if recently && self.inbox_seen.is_some() {
            return;
        }
        self.inbox = inbox.newest_first();
        self.inbox.truncate(BANNERS_SHOWN);
        self.activities = inbox.activities();
        self.activities
            .truncate(super::activities::ACTIVITIES_SHOWN);
        // On the UI thread, up to four times a second: only the rows shown are copied.
        self.refusals = inbox
            .newest_refusals(REFUSALS_SHOWN)
            .into_iter()
            .map(|r| r.request)
            .collect();
        self.inbox_seen = Some(total);
        self.refreshed = Some(Instant::now());
    }

    pub(super) fn inbox_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(msg::simulator_inbox()).strong().size(16.0));
                if let Some(sim) = &self.running {
                    ui.label(
                        RichText::new(msg::simulator_inbox_counts(
                            sim.inbox().total(),
                            sim.inbox().rejected(),
                        ))
                        .color(p.muted),
                    );
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .add_enabled(
                            !self.inbox.is_empty() || !self.refusals.is_empty(),
                            egui::Button::new(msg::simulator_clear()),
                        )
                        .clicked()
                    {
                        commands.push(Command::ClearInbox);
                    }
                });
            });
            ui.add_space(ITEM_GAP);
            if self.inbox.is_empty() {
                ui.label(RichText::new(msg::simulator_empty_inbox()).color(p.muted));
            }
            super::activities::activities_ui(ui, &self.activities, commands);
            for delivery in &self.inbox {
                banner_ui(ui, delivery);
            }
            if !self.refusals.is_empty() {
                ui.add_space(ITEM_GAP);
                refusals_ui(ui, &self.refusals);
            }
            if self.running.is_some() {
                ui.add_space(ITEM_GAP);
                let picture = ui
                    .scope(|ui| crate::gui::charts::traffic_chart(ui, &self.traffic))
                    .response
                    .rect;
                let csv = self.traffic.csv();
                self.chart_export().ui(
                    ui,
                    crate::gui::charts::ChartId::Simulator,
                    picture,
                    || csv,
                    commands,
                );
            }
        });
    }
}

/// How many of the simulator's kept refusals the screen lists.
const REFUSALS_SHOWN: usize = 20;

/// The refused requests the count speaks of: status, reason, token, topic. The connection
/// check's probe is one, refused on purpose, and said so.
fn refusals_ui(ui: &mut egui::Ui, refusals: &[crate::sim::RequestEvent]) {
    let p = Palette::of(ui);
    egui::CollapsingHeader::new(msg::simulator_refused_heading(refusals.len()))
        .id_salt("simulator-refusals")
        .default_open(false)
        .show(ui, |ui| {
            for r in refusals {
                let what = if r.token == crate::client::PROBE_TOKEN_PATH {
                    msg::simulator_refused_probe()
                } else {
                    crate::gui::widgets::shorten(&r.token, 16)
                };
                ui.label(
                    RichText::new(format!(
                        "{} {} · {what} · {}",
                        r.status,
                        r.reason.unwrap_or_default(),
                        r.topic.as_deref().unwrap_or("—")
                    ))
                    .color(p.muted),
                );
                if r.refused_over_certificate() {
                    let push_type = r.push_type.map(|t| t.as_str()).unwrap_or_default();
                    ui.label(
                        RichText::new(msg::simulator_refused_over_certificate(push_type))
                            .color(p.muted),
                    );
                }
            }
        });
}

/// What a push the user does not see does on the phone.
fn quiet_description(delivery: &Delivery) -> String {
    use crate::apns::PushType;
    match delivery.push_type {
        PushType::Alert | PushType::Background => msg::simulator_silent().to_owned(),
        PushType::Voip => msg::simulator_voip().to_owned(),
        PushType::LiveActivity => {
            let event = delivery
                .payload
                .pointer("/aps/event")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("update");
            format!("{} ({event})", msg::simulator_live_activity())
        }
        PushType::Widgets => msg::simulator_widgets().to_owned(),
        other => format!("{other} {}", msg::simulator_other_quiet()),
    }
}

/// One delivery, drawn like an iOS banner.
fn banner_ui(ui: &mut egui::Ui, delivery: &Delivery) {
    let p = Palette::of(ui);
    let banner = delivery.banner();
    egui::Frame::new()
        .fill(p.neutral.bg)
        .corner_radius(egui::CornerRadius::same(14))
        .inner_margin(egui::Margin::symmetric(12, 9))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            banner_header(ui, delivery, &banner);
            if let Some(channel) = &delivery.channel {
                ui.label(
                    RichText::new(msg::simulator_via_channel(channel.as_str()))
                        .small()
                        .color(p.muted),
                );
            }
            if let Some(why) = delivery
                .live_activity
                .as_ref()
                .and_then(|o| o.ignored.as_ref())
            {
                let line = msg::simulator_la_delivery_ignored(super::activities::why_text(why));
                notice(ui, "⚠", &line, p.warning);
            }
            if banner.silent {
                quiet_body(ui, delivery);
            } else {
                alert_body(ui, &banner);
            }
        });
    ui.add_space(ITEM_GAP);
}

/// The app's initial and name, the time, and the push type when it is not an alert.
fn banner_header(ui: &mut egui::Ui, delivery: &Delivery, banner: &Banner) {
    let p = Palette::of(ui);
    ui.horizontal(|ui| {
        let app = delivery
            .push_type
            .bundle_of(&banner.app)
            .unwrap_or(&banner.app);
        let initial = app
            .rsplit('.')
            .next()
            .and_then(|s| s.chars().next())
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default();
        egui::Frame::new()
            .fill(p.brand)
            .corner_radius(egui::CornerRadius::same(5))
            .inner_margin(egui::Margin::symmetric(5, 1))
            .show(ui, |ui| {
                ui.add(
                    egui::Label::new(RichText::new(initial).color(egui::Color32::WHITE).strong())
                        .selectable(false),
                );
            });
        ui.label(
            RichText::new(banner.app.to_uppercase())
                .small()
                .color(p.muted),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let time = delivery
                .time
                .format(time::macros::format_description!(
                    "[hour]:[minute]:[second]"
                ))
                .unwrap_or_default();
            ui.label(RichText::new(time).small().color(p.muted));
            if delivery.push_type != crate::apns::PushType::Alert {
                chip(ui, delivery.push_type.as_str(), p.info);
            }
        });
    });
}

/// A push the user does not see: what it does, and the start of its payload.
fn quiet_body(ui: &mut egui::Ui, delivery: &Delivery) {
    let p = Palette::of(ui);
    ui.label(
        RichText::new(quiet_description(delivery))
            .italics()
            .color(p.muted),
    );
    let mut preview = delivery.payload.to_string();
    if preview.len() > 160 {
        let mut cut = 160;
        while !preview.is_char_boundary(cut) {
            cut -= 1;
        }
        preview.truncate(cut);
        preview.push('…');
    }
    ui.add(egui::Label::new(RichText::new(preview).monospace().small().color(p.muted)).wrap());
}

/// An alert: title, subtitle, body, badge and sound.
fn alert_body(ui: &mut egui::Ui, banner: &Banner) {
    let p = Palette::of(ui);
    if let Some(title) = &banner.title {
        ui.label(RichText::new(title).strong());
    }
    if let Some(subtitle) = &banner.subtitle {
        ui.label(RichText::new(subtitle).strong().small());
    }
    if let Some(body) = &banner.body {
        ui.add(egui::Label::new(body).wrap());
    }
    if banner.badge.is_some() || banner.sound.is_some() {
        ui.horizontal(|ui| {
            if let Some(badge) = banner.badge {
                chip(ui, &msg::simulator_badge(badge), p.bad);
            }
            if let Some(sound) = &banner.sound {
                chip(ui, &format!("🔊 {sound}"), p.neutral);
            }
        });
    }
}
