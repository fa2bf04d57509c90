//! The answer to one send, as Compose & Send and History show it.

use egui::RichText;

use crate::apns::Reason;
use crate::gui::i18n::{msg, reason_fix, reason_meaning};
use crate::gui::state::HistoryEntry;
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{CopyRows, capitalise, chip, copy_row, notice};

/// The answer's headline: "200 Delivered", the status and reason, or no answer.
pub fn status_chip(ui: &mut egui::Ui, entry: &HistoryEntry) {
    let p = Palette::of(ui);
    match entry.status {
        Some(200) => {
            chip(ui, &msg::compose_200_delivered(), p.good);
        }
        Some(status) => {
            let text = format!("{status} {}", entry.reason.as_deref().unwrap_or_default());
            chip(ui, &text, p.bad);
        }
        None => {
            chip(ui, &msg::compose_no_answer(), p.bad);
        }
    }
}

/// The answer to one send: status, reason and what it means, ids, latency.
pub fn response_ui(ui: &mut egui::Ui, entry: &HistoryEntry) {
    let p = Palette::of(ui);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(msg::compose_response()).strong().size(16.0));
            status_chip(ui, entry);
        });
        if let Some(error) = entry.error_text() {
            notice(ui, "⚠", &capitalise(&error), p.bad);
        }
        if let Some(reason) = entry.reason.as_deref().and_then(Reason::parse) {
            ui.add(egui::Label::new(RichText::new(reason_meaning(reason))).wrap());
            let fix = if entry.refused_for_certificate() {
                msg::reason_topic_disallowed_over_certificate_fix(entry.draft.push_type.as_str())
            } else {
                reason_fix(reason)
            };
            notice(ui, "ℹ", &msg::fix_prefix(fix), p.warning);
        }
        ui.add_space(ITEM_GAP);
        CopyRows::show(ui, |ui| {
            if let Some(status) = entry.status {
                copy_row(ui, &msg::compose_status(), &status.to_string(), false);
            }
            if let Some(id) = &entry.apns_id {
                copy_row(ui, "apns-id", id, true);
            }
            if let Some(id) = &entry.apns_unique_id {
                copy_row(ui, "apns-unique-id", id, true);
            }
            if let Some(ms) = entry.latency_ms {
                copy_row(ui, &msg::compose_latency(), &format!("{ms:.1} ms"), false);
            }
            if let Some(topic) = &entry.topic {
                copy_row(ui, &msg::compose_topic(), topic, false);
            }
            copy_row(
                ui,
                &msg::compose_sent_to(),
                &entry.destination_words(),
                false,
            );
        });
    });
}
