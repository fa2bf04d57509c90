//! The progress and summary card: how far the batch is, the outcomes counted by the
//! library's rules, what they mean, and the dead tokens.

use egui::RichText;

use super::BatchPanel;
use crate::client::Outcome;
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::made_with::{ResultOrigin, stale_notice};
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{chip, group_digits, notice};

/// No time left is shown before this much of a batch has run: the first seconds (connecting,
/// the server warming up) say little of the rest ("about 6 h 19 min" after a second).
const ETA_AFTER: std::time::Duration = std::time::Duration::from_secs(3);
const ETA_AFTER_RESULTS: u64 = 200;

impl BatchPanel {
    /// The bar, drawn from the same counts as the chips: results counted so far, of the
    /// batch's total.
    pub(super) fn progress_bar(&self, ui: &mut egui::Ui, progress: &super::job::Progress) {
        let total = progress.total.unwrap_or(0);
        let done = self.counts.total.min(total.max(self.counts.total));
        let fraction = if total > 0 {
            done as f32 / total as f32
        } else {
            0.0
        };
        let running = self.running.is_running();
        let mut line = format!("{} / {}", group_digits(done), group_digits(total));
        if progress.per_second > 0.0 {
            line.push_str(&format!(
                " · {}/s",
                group_digits(progress.per_second as u64)
            ));
        }
        let settled =
            self.started.is_some_and(|t| t.elapsed() >= ETA_AFTER) && done >= ETA_AFTER_RESULTS;
        if running
            && settled
            && let Some(eta) = progress.eta_seconds
        {
            line.push_str(&msg::batch_time_left(duration_words(eta)));
        }
        ui.add(egui::ProgressBar::new(fraction).text(line));
    }

    /// One chip per outcome, counted by the library's rules.
    pub(super) fn outcome_chips(&self, ui: &mut egui::Ui) {
        let p = Palette::of(ui);
        ui.horizontal_wrapped(|ui| {
            chip(
                ui,
                &msg::batch_count_delivered(self.counts.delivered),
                p.good,
            );
            for outcome in [
                Outcome::Rejected,
                Outcome::Unconfirmed,
                Outcome::NotSent,
                Outcome::InvalidInput,
            ] {
                let n = self.counts.count(outcome);
                if n == 0 && outcome != Outcome::Rejected {
                    continue;
                }
                let tone = match outcome {
                    _ if n == 0 => p.neutral,
                    Outcome::Rejected => p.bad,
                    _ => p.warning,
                };
                chip(
                    ui,
                    &match outcome {
                        Outcome::Rejected => msg::batch_count_rejected(n),
                        Outcome::Unconfirmed => msg::batch_count_unconfirmed(n),
                        Outcome::NotSent => msg::batch_count_not_sent(n),
                        _ => msg::batch_count_invalid(n),
                    },
                    tone,
                );
            }
        });
    }

    pub(super) fn progress_card(
        &mut self,
        ui: &mut egui::Ui,
        now: Option<&ResultOrigin>,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        let Some(progress) = self.progress else {
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(msg::batch_summary()).strong());
                ui.label(RichText::new(msg::batch_results_appear_here_while_the()).color(p.muted));
            });
            return;
        };
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            if let Some(origin) = &self.origin
                && !self.running.is_running()
                && !origin.is_current(now)
            {
                // The counts below belong to the route and notification it was sent with.
                stale_notice(ui, origin);
                ui.add_space(ITEM_GAP);
            }
            self.progress_bar(ui, &progress);
            let running = self.running.is_running();
            if running {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(msg::batch_sending());
                    if ui.button(msg::batch_cancel()).clicked() {
                        commands.push(Command::CancelBatch);
                    }
                });
            } else if let Some(summary) = &self.summary {
                ui.label(
                    RichText::new(msg::batch_finished(
                        summary.connections_opened,
                        summary.retries,
                        format!("{:.1}", summary.seconds),
                    ))
                    .color(p.muted),
                );
            }
            ui.add_space(ITEM_GAP);
            ui.label(RichText::new(msg::batch_summary()).strong());
            self.outcome_chips(ui);
            if self.counts.unconfirmed > 0 {
                notice(ui, "⚠", &msg::batch_unconfirmed_hint(), p.warning);
            }
            if self.counts.wrong_environment_likely() {
                notice(ui, "⚠", &msg::batch_wrong_environment(), p.warning);
                ui.horizontal(|ui| {
                    if ui.button(msg::batch_probe_other()).clicked()
                        && let Some(r) = self.results.iter().find(|r| r.is_bad_device_token())
                    {
                        commands.push(Command::ProbeOtherEnvironment(r.token.to_string()));
                    }
                });
            } else if self.counts.bad_device_tokens > 0 {
                notice(
                    ui,
                    "ℹ",
                    &format!(
                        "{} {}",
                        group_digits(self.counts.bad_device_tokens),
                        msg::batch_bad_tokens_hint()
                    ),
                    p.info,
                );
            }
            if !self.counts.reasons.is_empty() {
                egui::Grid::new("batch-reasons")
                    .striped(true)
                    .show(ui, |ui| {
                        for (reason, n) in &self.counts.reasons {
                            ui.label(reason);
                            ui.label(group_digits(*n));
                            let meaning = crate::apns::Reason::parse(reason)
                                .map(|r| r.meaning())
                                .unwrap_or("");
                            ui.add(
                                egui::Label::new(RichText::new(meaning).small().color(p.muted))
                                    .truncate(),
                            );
                            ui.end_row();
                        }
                    });
            }
            if self.counts.dead_tokens > 0 {
                ui.add_space(ITEM_GAP);
                ui.label(
                    RichText::new(format!(
                        "{} ({})",
                        msg::batch_dead(),
                        group_digits(self.counts.dead_tokens)
                    ))
                    .strong()
                    .color(p.bad.fg),
                );
                ui.label(RichText::new(msg::batch_dead_hint()).small().color(p.muted));
                for r in self.results.iter().filter(|r| r.is_dead_token()).take(10) {
                    let name = r
                        .name
                        .as_deref()
                        .map(|n| format!("{n} · "))
                        .unwrap_or_default();
                    ui.label(
                        RichText::new(format!(
                            "{name}{} — {}",
                            r.token,
                            r.reason.as_deref().unwrap_or("")
                        ))
                        .monospace()
                        .small(),
                    );
                }
                if self.counts.dead_tokens > 10 {
                    ui.label(
                        RichText::new(msg::batch_export_the_full_list_below())
                            .small()
                            .color(p.muted),
                    );
                }
            }
            if !self.results.is_empty() {
                self.export_ui(ui, commands);
            }
        });
    }

    /// The batch over time, in its own card under the summary (drawn from the first results,
    /// before the first progress report).
    pub(super) fn charts_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if self.timeline.is_empty() {
            return;
        }
        ui.add_space(theme::SECTION_GAP);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::CollapsingHeader::new(msg::chart_batch_heading())
                .id_salt("batch-charts")
                .default_open(true)
                .show(ui, |ui| {
                    let picture = ui
                        .scope(|ui| {
                            crate::gui::charts::batch_charts(ui, "batch-live", &self.timeline)
                        })
                        .response
                        .rect;
                    let points = &self.timeline;
                    self.chart_export.ui(
                        ui,
                        crate::gui::charts::ChartId::Batch,
                        picture,
                        || crate::gui::charts::points_csv(points),
                        commands,
                    );
                });
        });
    }
}

fn duration_words(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s < 60 {
        msg::duration_seconds(s)
    } else if s < 3600 {
        msg::duration_minutes(s / 60, s % 60)
    } else {
        msg::duration_hours(s / 3600, (s % 3600) / 60)
    }
}
