//! The History screen: every single send with its request and answer, searchable, and sent
//! again with one click. Kept in the saved state (tokens and payloads, never secrets), bounded
//! to the newest [`super::state::HISTORY_LIMIT`].

use egui::{RichText, TextEdit};

use super::app::Command;
use super::compose::response_ui;
use super::state::{BATCH_HISTORY_LIMIT, BatchRecord, Draft, HISTORY_LIMIT, HistoryEntry, State};
use super::theme::{self, DETAIL_MIN_WIDTH, ITEM_GAP, LIST_WIDTH, Palette, SECTION_GAP};
use super::widgets::{chip, group_digits, icon_label, named_by_words, notice};
use crate::gui::i18n::msg;

/// The list's height when it sits above the entry: two or three rows at least.
const LIST_MIN_HEIGHT: f32 = 140.0;

/// The History screen.
#[derive(Default)]
pub struct HistoryPanel {
    search: String,
    /// The chosen entry, by its time and position from the end (stable while new sends arrive).
    selected: Option<usize>,
    confirm_clear: bool,
    /// "Send again" or "Load" asked to replace the Compose draft: (entry, send too).
    confirm_replace: Option<(usize, bool)>,
    /// The dashboard instead of the list.
    show_dashboard: bool,
    dashboard: crate::gui::charts::Dashboard,
    chart_export: Option<crate::gui::charts::ChartExport>,
}

impl HistoryPanel {
    /// The CSV and picture export under the dashboard's charts, made when first asked for.
    pub fn chart_export(&mut self) -> &mut crate::gui::charts::ChartExport {
        self.chart_export
            .get_or_insert_with(|| crate::gui::charts::ChartExport::new("~/pushlab-history.csv"))
    }

    /// The dashboard: sends over days by outcome, by reason, by push type and priority.
    fn dashboard_ui(&mut self, ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
        egui::ScrollArea::vertical()
            .id_salt("history-dashboard")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let shown = ui.scope(|ui| {
                    crate::gui::charts::dashboard_ui(ui, &mut self.dashboard, &state.history)
                });
                let (tally, picture) = (shown.inner, shown.response.rect);
                let csv = tally.csv();
                self.chart_export().ui(
                    ui,
                    crate::gui::charts::ChartId::History,
                    picture,
                    || csv,
                    commands,
                );
            });
    }

    /// The screen with this entry (by position from the end) chosen.
    pub(super) fn choosing(selected: Option<usize>) -> Self {
        HistoryPanel {
            selected,
            ..Default::default()
        }
    }

    /// Draws the screen: the searchable list and the chosen entry, or the dashboard.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        ui.horizontal_wrapped(|ui| {
            ui.heading(msg::history_heading());
            if !state.history.is_empty() {
                ui.label(
                    RichText::new(msg::history_kept(
                        BATCH_HISTORY_LIMIT,
                        state.history.len(),
                        HISTORY_LIMIT,
                    ))
                    .color(p.muted),
                );
            }
        });
        ui.add_space(ITEM_GAP);
        if state.history.is_empty() {
            ui.label(RichText::new(msg::history_empty()).color(p.muted));
            return;
        }
        self.toolbar_ui(ui, state.history.len(), commands);
        ui.add_space(SECTION_GAP);
        if self.show_dashboard {
            self.dashboard_ui(ui, state, commands);
            return;
        }
        self.list_and_detail_ui(ui, state, commands);
    }

    /// Search, clear (asked first) and the dashboard switch.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, entries: usize, commands: &mut Vec<Command>) {
        // Wrapped: in a narrow window the buttons go to the next line rather than off its edge.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(msg::history_search());
            ui.add(
                TextEdit::singleline(&mut self.search)
                    .hint_text(msg::history_device_token_title_reason_topic())
                    .desired_width(300.0_f32.min(ui.available_width() * 0.6)),
            )
            .labelled_by(label.id);
            ui.add_space(SECTION_GAP);
            if self.confirm_clear {
                ui.label(msg::history_forget_all(entries));
                if ui.button(msg::history_clear()).clicked() {
                    commands.push(Command::ClearHistory);
                    self.selected = None;
                    self.confirm_clear = false;
                }
                if ui.button(msg::history_keep_them()).clicked() {
                    self.confirm_clear = false;
                }
            } else if ui.button(format!("{}…", msg::history_clear())).clicked() {
                self.confirm_clear = true;
            }
            ui.add_space(SECTION_GAP);
            let words = msg::history_dashboard();
            let dashboard = ui.selectable_label(self.show_dashboard, icon_label("📊", &words));
            if named_by_words(dashboard, &words).clicked() {
                self.show_dashboard = !self.show_dashboard;
            }
        });
    }

    /// The entries that match the search, and the one selected in detail.
    fn list_and_detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &State,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        let needle = self.search.trim().to_lowercase();
        let matches: Vec<usize> = (0..state.history.len())
            .rev()
            .filter(|&i| needle.is_empty() || matches(&state.history[i], &needle))
            .collect();
        if self.selected.is_none_or(|i| !matches.contains(&i)) {
            self.selected = matches.first().copied();
        }
        let height = ui.available_height();
        let list = |panel: &mut Self, ui: &mut egui::Ui, height: f32| {
            egui::ScrollArea::vertical()
                .id_salt("history-list-scroll")
                .max_height(height)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if matches.is_empty() {
                        ui.label(RichText::new(msg::history_no_match()).color(p.muted));
                    }
                    for &i in &matches {
                        let entry = &state.history[i];
                        if row_ui(ui, entry, panel.selected == Some(i)).clicked() {
                            panel.selected = Some(i);
                        }
                    }
                });
        };
        let detail = |panel: &mut Self, ui: &mut egui::Ui, height: f32, commands| {
            egui::ScrollArea::vertical()
                .id_salt("history-detail")
                .max_height(height)
                .auto_shrink([false, false])
                .show(ui, |ui| panel.detail_ui(ui, state, commands));
        };
        if ui.available_width() < LIST_WIDTH + SECTION_GAP + DETAIL_MIN_WIDTH {
            // One column: the list above, a third of the height, and the entry below it.
            let list_height = (height * 0.35).max(LIST_MIN_HEIGHT);
            list(self, ui, list_height);
            ui.add_space(ITEM_GAP);
            detail(
                self,
                ui,
                (height - list_height - ITEM_GAP).max(0.0),
                commands,
            );
            return;
        }
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(LIST_WIDTH);
                list(self, ui, height);
            });
            ui.add_space(SECTION_GAP);
            ui.vertical(|ui| detail(self, ui, height, commands));
        });
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        let Some(entry) = self.selected.and_then(|i| state.history.get(i)) else {
            ui.label(RichText::new(msg::history_pick()).color(p.muted));
            return;
        };
        let index = self.selected.unwrap_or_default();
        // What Compose holds would be replaced: asked first, unless it is this entry's or
        // nothing was written.
        // (The entry's bundle id is a record of where it went, not part of the draft.)
        let same = Draft {
            bundle_id: state.compose.bundle_id.clone(),
            ..entry.draft.clone()
        };
        let replaces = state.compose != same && state.compose != Draft::default();
        ui.horizontal(|ui| {
            // A batch is sent again from the Batch screen, with its recipients.
            let words = msg::history_resend();
            if entry.batch.is_none()
                && named_by_words(ui.button(icon_label("🔁", &words)), &words).clicked()
            {
                if replaces {
                    self.confirm_replace = Some((index, true));
                } else {
                    commands.push(Command::Resend(index));
                }
            }
            if ui.button(msg::history_load()).clicked() {
                if replaces {
                    self.confirm_replace = Some((index, false));
                } else {
                    commands.push(Command::OpenInCompose(index));
                }
            }
        });
        if let Some((asked, send)) = self.confirm_replace
            && asked == index
        {
            notice(ui, "⚠", &msg::history_replace_draft(), p.warning);
            ui.horizontal(|ui| {
                let yes = if send {
                    msg::history_replace_and_send()
                } else {
                    msg::history_replace()
                };
                if ui.button(yes).clicked() {
                    commands.push(if send {
                        Command::Resend(index)
                    } else {
                        Command::OpenInCompose(index)
                    });
                    self.confirm_replace = None;
                }
                if ui.button(msg::history_keep_draft()).clicked() {
                    self.confirm_replace = None;
                }
            });
        }
        ui.add_space(ITEM_GAP);
        request_ui(ui, entry);
        ui.add_space(SECTION_GAP);
        match &entry.batch {
            Some(batch) => {
                batch_ui(ui, entry, batch);
                if !batch.timeline.is_empty() {
                    ui.add_space(SECTION_GAP);
                    crate::gui::charts::batch_charts(ui, "history-batch", &batch.timeline);
                }
            }
            None => response_ui(ui, entry),
        }
    }
}

fn matches(entry: &HistoryEntry, needle: &str) -> bool {
    let shown = device_words(entry).unwrap_or_default();
    let destination = entry.destination_words();
    let error = entry.error_text().unwrap_or_default();
    [
        entry.device.as_deref().unwrap_or(""),
        &shown,
        &entry.draft.token,
        &entry.draft.payload,
        entry.reason.as_deref().unwrap_or(""),
        entry.topic.as_deref().unwrap_or(""),
        &destination,
        &error,
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(needle))
        || entry.batch.as_ref().is_some_and(|b| {
            "batch".contains(needle)
                || msg::history_batch_chip().to_lowercase().contains(needle)
                || b.reasons.keys().any(|r| r.to_lowercase().contains(needle))
                || b.problems.iter().any(|p| {
                    p.token.contains(needle)
                        || p.name
                            .as_deref()
                            .is_some_and(|n| n.to_lowercase().contains(needle))
                })
        })
}

fn when(entry: &HistoryEntry) -> String {
    time::OffsetDateTime::from_unix_timestamp(entry.time)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// Who an entry went to, in the language on screen: a batch's recipients are counted in it
/// now (the entry keeps the words of the language it was sent in), lines that were not tokens
/// left out, as the Batch screen's "Send batch to N devices" leaves them; a single send's
/// named device is the user's own name for it.
fn device_words(entry: &HistoryEntry) -> Option<String> {
    match &entry.batch {
        Some(batch) => Some(msg::batch_history_device(
            batch.total.saturating_sub(batch.invalid_input),
        )),
        None => entry.device.clone(),
    }
}

fn row_ui(ui: &mut egui::Ui, entry: &HistoryEntry, selected: bool) -> egui::Response {
    let p = Palette::of(ui);
    let fill = if selected { p.selected_row } else { p.card };
    let title = serde_json::from_str::<serde_json::Value>(&entry.draft.payload)
        .ok()
        .map(|v| crate::apns::PayloadFields::from_json(&v))
        .and_then(|f| f.title.or(f.body))
        .unwrap_or_else(|| entry.draft.push_type.as_str().to_owned());
    // The token comes from a state file a person may have edited: any text, any script.
    let device =
        device_words(entry).unwrap_or_else(|| super::widgets::shorten(&entry.draft.token, 16));
    let response = egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, p.card_stroke))
        .corner_radius(egui::CornerRadius::same(theme::RADIUS))
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let (status, tone) = match (&entry.batch, entry.status) {
                    (Some(b), _) if b.all_delivered() && entry.error_text().is_none() => {
                        (msg::history_batch_chip(), p.good)
                    }
                    (Some(_), _) => (msg::history_batch_chip(), p.warning),
                    (None, Some(200)) => ("200".to_owned(), p.good),
                    (None, Some(s)) => (s.to_string(), p.bad),
                    (None, None) => ("—".to_owned(), p.bad),
                };
                chip(ui, &status, tone);
                ui.add(egui::Label::new(RichText::new(&title).strong()).truncate());
            });
            ui.label(
                RichText::new(format!("{device} · {}", when(entry)))
                    .small()
                    .color(p.muted),
            );
        })
        .response
        .interact(egui::Sense::click());
    let name = format!("{title}, {device}, {}", when(entry));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    ui.add_space(4.0);
    response
}

/// A batch's answers, counted.
fn batch_ui(ui: &mut egui::Ui, entry: &HistoryEntry, batch: &BatchRecord) {
    let p = Palette::of(ui);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(msg::history_batch_result())
                    .strong()
                    .size(16.0),
            );
            if batch.cancelled {
                chip(ui, &msg::history_batch_cancelled(), p.warning);
            }
        });
        if let Some(error) = entry.error_text() {
            super::widgets::notice(ui, "⚠", &error, p.bad);
        }
        batch_counts_ui(ui, batch);
        batch_sample_ui(ui, batch);
        ui.add_space(ITEM_GAP);
        ui.label(RichText::new(msg::history_sent_to(entry.destination_words())).color(p.muted));
    });
}

/// A batch's outcomes, one chip each, of its total.
fn batch_counts_ui(ui: &mut egui::Ui, batch: &BatchRecord) {
    let p = Palette::of(ui);
    ui.horizontal_wrapped(|ui| {
        chip(ui, &msg::batch_count_delivered(batch.delivered), p.good);
        let tone = |n: u64, bad| if n > 0 { bad } else { p.neutral };
        chip(
            ui,
            &msg::batch_count_rejected(batch.rejected),
            tone(batch.rejected, p.bad),
        );
        chip(
            ui,
            &msg::batch_count_unconfirmed(batch.unconfirmed),
            tone(batch.unconfirmed, p.warning),
        );
        chip(
            ui,
            &msg::batch_count_not_sent(batch.not_sent),
            tone(batch.not_sent, p.warning),
        );
        if batch.invalid_input > 0 {
            chip(
                ui,
                &msg::batch_count_invalid(batch.invalid_input),
                p.warning,
            );
        }
        if batch.no_answer > 0 {
            chip(ui, &msg::batch_count_no_answer(batch.no_answer), p.warning);
        }
        chip(
            ui,
            &msg::batch_count_dead(batch.dead),
            tone(batch.dead, p.bad),
        );
        if batch.bad_device_tokens > 0 {
            chip(
                ui,
                &msg::batch_count_wrong_environment(batch.bad_device_tokens),
                p.warning,
            );
        }
        ui.label(RichText::new(msg::batch_count_of_total(batch.total)).color(p.muted));
    });
}

/// What the server answered, by reason, and a sample of the tokens not delivered.
fn batch_sample_ui(ui: &mut egui::Ui, batch: &BatchRecord) {
    if !batch.reasons.is_empty() {
        egui::Grid::new("history-batch-reasons")
            .striped(true)
            .show(ui, |ui| {
                for (reason, n) in &batch.reasons {
                    ui.label(reason);
                    ui.label(group_digits(*n));
                    ui.end_row();
                }
            });
    }
    if !batch.problems.is_empty() {
        ui.add_space(ITEM_GAP);
        ui.label(RichText::new(msg::history_batch_sample()).strong());
        for problem in &batch.problems {
            let name = problem
                .name
                .as_deref()
                .map(|n| format!("{n} · "))
                .unwrap_or_default();
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{name}{} — {}", problem.token, problem.why_text()))
                        .monospace()
                        .small(),
                )
                .wrap(),
            );
        }
    }
}

fn request_ui(ui: &mut egui::Ui, entry: &HistoryEntry) {
    let p = Palette::of(ui);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(msg::history_request()).strong().size(16.0));
        ui.label(RichText::new(when(entry)).color(p.muted));
        let d = &entry.draft;
        let mut rows = vec![
            (
                msg::history_row_device(),
                device_words(entry).unwrap_or_default(),
            ),
            (msg::history_row_token(), d.token.clone()),
            (
                msg::history_row_push_type(),
                d.push_type.as_str().to_owned(),
            ),
            (
                msg::history_row_topic(),
                entry.topic.clone().unwrap_or_default(),
            ),
            (msg::history_row_credential(), entry.credential.clone()),
        ];
        if let Some(priority) = d.priority {
            rows.push((msg::history_row_priority(), priority.to_string()));
        }
        if !d.collapse_id.is_empty() {
            rows.push((msg::history_row_collapse_id(), d.collapse_id.clone()));
        }
        egui::Grid::new("history-request")
            .num_columns(2)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (k, v) in rows {
                    if v.is_empty() {
                        continue;
                    }
                    ui.label(RichText::new(k).color(p.muted));
                    ui.add(egui::Label::new(RichText::new(v).monospace()).wrap());
                    ui.end_row();
                }
            });
        ui.add_space(ITEM_GAP);
        ui.add(egui::Label::new(RichText::new(&d.payload).monospace()).wrap());
    });
}
