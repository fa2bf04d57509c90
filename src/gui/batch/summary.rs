//! The progress and summary card: how far the batch is, the outcomes counted by the
//! library's rules, what they mean, and the dead tokens.

use egui::RichText;

use super::BatchPanel;
use crate::client::{BatchSummary, Outcome, TokenResult};
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::made_with::{ResultOrigin, stale_notice_saying};
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{chip, group_digits, notice, paced_spinner};

/// No time left is shown before this much of a batch has run: the first seconds (connecting,
/// the server warming up) say little of the rest ("about 6 h 19 min" after a second).
const ETA_AFTER: std::time::Duration = std::time::Duration::from_secs(3);
const ETA_AFTER_RESULTS: u64 = 200;

/// The running or last batch's results: the rows listed, every result counted, its summary
/// once it ends, and the route and notification it was sent with.
#[derive(Default)]
pub(super) struct Results {
    listed: Vec<TokenResult>,
    /// Counted as results arrive, by the library's own rules.
    counts: BatchSummary,
    /// Results counted but not listed (see [`super::job::LISTED_DELIVERED`]).
    unlisted: u64,
    /// The summary of the last finished batch.
    summary: Option<BatchSummary>,
    /// The route and notification the batch in view was sent with.
    origin: Option<ResultOrigin>,
    /// The push type of the batch in view when it went over a certificate and Apple takes it
    /// only token-based: its `TopicDisallowed` answers are that, not the topic.
    over_certificate: Option<crate::apns::PushType>,
}

impl Results {
    pub(super) fn listed(&self) -> &[TokenResult] {
        &self.listed
    }

    pub(super) fn counts(&self) -> &BatchSummary {
        &self.counts
    }

    pub(super) fn unlisted(&self) -> u64 {
        self.unlisted
    }

    pub(super) fn summary(&self) -> Option<&BatchSummary> {
        self.summary.as_ref()
    }

    /// Forgets the last batch's results; room for `listed` rows is taken now.
    pub(super) fn begin(
        &mut self,
        listed: usize,
        origin: ResultOrigin,
        over_certificate: Option<crate::apns::PushType>,
    ) {
        self.origin = Some(origin);
        self.over_certificate = over_certificate;
        self.listed = Vec::with_capacity(listed);
        self.counts = BatchSummary::default();
        self.unlisted = 0;
        self.summary = None;
    }

    /// Takes the rows that arrived, and the counts as they are now.
    pub(super) fn take(
        &mut self,
        rows: &mut Vec<TokenResult>,
        counts: &BatchSummary,
        unlisted: u64,
    ) {
        if !rows.is_empty() || unlisted != self.unlisted {
            self.listed.append(rows);
            self.counts = counts.clone();
            self.unlisted = unlisted;
        }
    }

    pub(super) fn finish(&mut self, summary: BatchSummary) {
        self.summary = Some(summary);
    }

    /// One chip per outcome, counted by the library's rules.
    fn outcome_chips(&self, ui: &mut egui::Ui) {
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

    /// What the outcomes mean: unconfirmed pushes, a likely wrong environment (with a probe
    /// of the other one), tokens the server does not know.
    fn hints_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        if self.counts.unconfirmed > 0 {
            notice(ui, "⚠", &msg::batch_unconfirmed_hint(), p.warning);
        }
        if self.counts.wrong_environment_likely() {
            notice(ui, "⚠", &msg::batch_wrong_environment(), p.warning);
            ui.horizontal(|ui| {
                if ui.button(msg::batch_probe_other()).clicked()
                    && let Some(r) = self.listed.iter().find(|r| r.is_bad_device_token())
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
    }

    /// Each reason the server gave, how often, and what it means.
    fn reasons_ui(&self, ui: &mut egui::Ui) {
        if self.counts.reasons.is_empty() {
            return;
        }
        let p = Palette::of(ui);
        egui::Grid::new("batch-reasons")
            .striped(true)
            .show(ui, |ui| {
                for (reason, n) in &self.counts.reasons {
                    ui.label(reason);
                    ui.label(group_digits(*n));
                    // In the app's language: the library's `meaning` is the CLI's English.
                    let known = crate::apns::Reason::parse(reason);
                    let meaning = match self.over_certificate {
                        Some(push_type) if push_type.refused_for_certificate(known) => {
                            msg::reason_topic_disallowed_over_certificate_fix(push_type.as_str())
                        }
                        _ => known
                            .map(crate::gui::i18n::reason_meaning)
                            .unwrap_or_default(),
                    };
                    ui.add(
                        egui::Label::new(RichText::new(meaning).small().color(p.muted)).truncate(),
                    );
                    ui.end_row();
                }
            });
    }

    /// The dead tokens: how many, the first ten, and where the rest are.
    fn dead_tokens_ui(&self, ui: &mut egui::Ui) {
        if self.counts.dead_tokens == 0 {
            return;
        }
        let p = Palette::of(ui);
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
        for r in self.listed.iter().filter(|r| r.is_dead_token()).take(10) {
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
}

impl BatchPanel {
    /// The bar, drawn from the same counts as the chips: entries dealt with so far (sent, or
    /// found invalid), of the batch's total. Not-sent results are left out: a stop settles them
    /// all at once, and counting them filled the bar of a batch cancelled a minute in.
    pub(super) fn progress_bar(&self, ui: &mut egui::Ui, progress: &super::job::Progress) {
        let counts = self.results.counts();
        let counted = counts.total - counts.not_sent;
        let total = progress.total.unwrap_or(0);
        let done = counted.min(total.max(counted));
        let fraction = if total > 0 {
            done as f32 / total as f32
        } else {
            0.0
        };
        let running = self.job.is_running();
        let mut line = format!("{} / {}", group_digits(done), group_digits(total));
        if progress.per_second > 0.0 {
            line.push_str(&format!(
                " · {}/s",
                group_digits(progress.per_second as u64)
            ));
        }
        let settled = self.job.started().is_some_and(|t| t.elapsed() >= ETA_AFTER)
            && done >= ETA_AFTER_RESULTS;
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
        self.results.outcome_chips(ui);
    }

    /// What the finished batch on screen was made with, when the route or the push has
    /// changed since: its counts are then no longer about what the screen shows.
    pub(super) fn stale_origin(&self, now: Option<&ResultOrigin>) -> Option<&ResultOrigin> {
        self.results
            .origin
            .as_ref()
            .filter(|origin| !self.job.is_running() && !origin.is_current(now))
    }

    pub(super) fn progress_card(
        &mut self,
        ui: &mut egui::Ui,
        now: Option<&ResultOrigin>,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        let Some(progress) = self.job.progress() else {
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(msg::batch_summary()).strong());
                ui.label(RichText::new(msg::batch_results_appear_here_while_the()).color(p.muted));
            });
            return;
        };
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            if let Some(origin) = self.stale_origin(now) {
                // The counts below belong to the recipients, route and notification it was
                // sent with.
                stale_notice_saying(ui, &msg::batch_result_stale(origin.made.credential.clone()));
                ui.add_space(ITEM_GAP);
            }
            self.progress_bar(ui, &progress);
            self.state_line(ui, commands);
            ui.add_space(ITEM_GAP);
            ui.label(RichText::new(msg::batch_summary()).strong());
            self.results.outcome_chips(ui);
            self.results.hints_ui(ui, commands);
            self.results.reasons_ui(ui);
            self.results.dead_tokens_ui(ui);
            if !self.results.listed().is_empty() {
                self.export.ui(ui, commands);
            }
        });
    }

    /// Sending (with Cancel), or how the finished batch went.
    fn state_line(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if self.job.is_running() {
            ui.horizontal(|ui| {
                paced_spinner(ui, super::job::LIVE_FRAME);
                ui.label(msg::batch_sending());
                if ui.button(msg::batch_cancel()).clicked() {
                    commands.push(Command::CancelBatch);
                }
            });
        } else if let Some(summary) = self.results.summary() {
            let seconds = format!("{:.1}", summary.seconds);
            // A stopped batch did not finish: saying so keeps a full bar of results, unsent
            // ones among them, from reading as a batch that sent everything.
            let text = match &summary.stopped {
                Some(stop) => msg::batch_stopped(
                    summary.connections_opened,
                    summary.retries,
                    seconds,
                    crate::gui::i18n::batch_stop(stop),
                ),
                None => msg::batch_finished(summary.connections_opened, summary.retries, seconds),
            };
            ui.label(RichText::new(text).color(Palette::of(ui).muted));
        }
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
