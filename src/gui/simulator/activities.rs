//! The simulator's Live Activities, drawn the way a Lock Screen would show them: a card per
//! activity with its title, its content state field by field, where it is (active, stale,
//! ended, dismissed), and the last push the phone dropped, with why.

use egui::RichText;
use serde_json::Value;

use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::theme::{ITEM_GAP, Palette};
use crate::gui::widgets::{chip, notice};
use crate::sim::{Activity, ActivityPhase, IgnoredWhy};

/// How many activities the screen draws (the simulator keeps more).
pub(super) const ACTIVITIES_SHOWN: usize = 50;

/// The activities, most recently changed first; nothing when there are none.
pub(super) fn activities_ui(
    ui: &mut egui::Ui,
    activities: &[Activity],
    commands: &mut Vec<Command>,
) {
    if activities.is_empty() {
        return;
    }
    let p = Palette::of(ui);
    ui.label(RichText::new(msg::simulator_la_heading()).strong());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for activity in activities {
        egui::Frame::new()
            .fill(p.neutral.bg)
            .corner_radius(egui::CornerRadius::same(14))
            .inner_margin(egui::Margin::symmetric(12, 9))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                card_ui(ui, activity, now, commands);
            });
        ui.add_space(ITEM_GAP);
    }
}

fn phase_text(phase: ActivityPhase) -> String {
    match phase {
        ActivityPhase::Active => msg::simulator_la_active(),
        ActivityPhase::Stale => msg::simulator_la_stale(),
        ActivityPhase::Ended => msg::simulator_la_ended(),
        ActivityPhase::Dismissed => msg::simulator_la_dismissed(),
    }
}

/// A content-state value as the card shows it: text as it is, anything else as compact JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Why the phone dropped a push, in the user's language.
pub(super) fn why_text(why: &IgnoredWhy) -> String {
    match why {
        IgnoredWhy::NotNewer { last } => msg::simulator_la_why_not_newer(last.to_string()),
        IgnoredWhy::Ended => msg::simulator_la_why_ended(),
        IgnoredWhy::Unreadable => msg::simulator_la_why_unreadable(),
        IgnoredWhy::StartOnChannel => msg::simulator_la_why_start_on_channel(),
        IgnoredWhy::ToStartToken { activity } => {
            msg::simulator_la_why_to_start_token(short_token(activity))
        }
    }
}

/// A token as the card shows it: its first and last characters.
fn short_token(hex: &str) -> String {
    crate::apns::DeviceToken::parse(hex)
        .map(|t| t.short())
        .unwrap_or_else(|_| hex.to_owned())
}

fn card_ui(ui: &mut egui::Ui, a: &Activity, now: i64, commands: &mut Vec<Command>) {
    let p = Palette::of(ui);
    let phase = a.phase(now);
    ui.horizontal(|ui| {
        ui.label(RichText::new(a.title()).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let tone = match phase {
                ActivityPhase::Active => p.good,
                ActivityPhase::Stale => p.warning,
                ActivityPhase::Ended | ActivityPhase::Dismissed => p.neutral,
            };
            chip(
                ui,
                &msg::simulator_la_state(phase_text(phase).as_str()),
                tone,
            );
        });
    });
    if let Some(body) = &a.alert_body {
        ui.add(egui::Label::new(body.as_str()).wrap());
    }
    for (name, value) in &a.content_state {
        ui.add(egui::Label::new(format!("{name}: {}", shown(value))).wrap());
    }
    let kind = a
        .attributes_type
        .clone()
        .unwrap_or_else(msg::simulator_la_started_in_app);
    let token = short_token(&a.id);
    ui.label(
        RichText::new(msg::simulator_la_details(
            kind,
            a.pushes,
            a.timestamp.to_string(),
            token.clone(),
        ))
        .small()
        .color(p.muted),
    );
    // A started activity's update token is the phone's: the one thing a backend must learn
    // from the app before it can update it.
    if let Some(start) = &a.start_token {
        ui.label(
            RichText::new(msg::simulator_la_started_at(
                short_token(start),
                token.as_str(),
            ))
            .small()
            .color(p.muted),
        );
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button(msg::simulator_la_copy_token()).clicked() {
            ui.ctx().copy_text(a.id.clone());
        }
        if a.ended_at.is_none()
            && ui
                .button(msg::simulator_la_send_update())
                .on_hover_text(msg::simulator_la_send_update_hint())
                .clicked()
        {
            commands.push(Command::UpdateActivity {
                update_token: a.id.clone(),
                start_token: a.start_token.clone(),
                content_state: a.content_state.clone(),
            });
        }
    });
    // What its start asked of iOS 18: said, since the app decides what to do with it.
    if let Some(channel) = &a.channel {
        ui.label(
            RichText::new(msg::simulator_la_follows_channel(channel.as_str()))
                .small()
                .color(p.muted),
        );
    }
    if a.token_requested {
        ui.label(
            RichText::new(msg::simulator_la_token_requested())
                .small()
                .color(p.muted),
        );
    }
    if let Some(ignored) = &a.last_ignored {
        let event = ignored.event.map(|e| e.as_str()).unwrap_or("?");
        let timestamp = ignored
            .timestamp
            .map(|t| t.to_string())
            .unwrap_or_else(|| "?".to_owned());
        let line = msg::simulator_la_ignored(event, timestamp, why_text(&ignored.why));
        notice(ui, "⚠", &line, p.warning);
    }
}
