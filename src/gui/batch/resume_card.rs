//! The Batch screen's card for a batch with pushes left to send: found when the app starts
//! (the window was closed or the app crashed mid-batch) or left by a cancelled batch. It says
//! what is left and what went out without an answer, and resumes or discards it.

use egui::RichText;

use super::BatchPanel;
use super::resume::{self, Interrupted};
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::made_with::RouteView;
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::worker::Worker;

impl BatchPanel {
    /// Keeps the journals of batches in `data_dir`, and looks there (on the worker) for
    /// batches an earlier run of the app left unfinished.
    pub fn keep_journals(&mut self, data_dir: &std::path::Path, worker: &Worker) {
        let dir = resume::journal_dir(data_dir);
        self.journal_dir = Some(dir.clone());
        self.finding_interrupted = worker.run_blocking(move |_| {
            let mut found = resume::find(&dir);
            found.reverse();
            Ok(found)
        });
    }

    /// Batches with pushes left to send, newest first.
    pub fn interrupted(&self) -> &[Interrupted] {
        &self.interrupted
    }

    pub(super) fn poll_interrupted(&mut self) {
        if self.finding_interrupted.poll()
            && let Some(found) = self.finding_interrupted.take_done()
        {
            self.interrupted.extend(found);
        }
    }

    /// The notification the batch offered first was begun with, to resume it.
    pub fn interrupted_draft(&self) -> Option<&crate::gui::state::Draft> {
        self.interrupted.first().map(|i| &i.batch.draft)
    }

    /// Forgets the batch offered first and removes its files.
    pub fn discard_interrupted(&mut self) {
        if self.interrupted.is_empty() || self.running.is_running() {
            return;
        }
        let gone = self.interrupted.remove(0);
        if let Err(e) = gone.files.remove() {
            self.error = Some(msg::batch_resume_discard_failed(
                e.to_string(),
                gone.files.journal.display().to_string(),
            ));
        }
    }

    pub(super) fn interrupted_card(
        &mut self,
        ui: &mut egui::Ui,
        route: &RouteView,
        commands: &mut Vec<Command>,
    ) {
        if let Some(problem) = &self.journal_problem
            && self.running.is_running()
        {
            crate::gui::widgets::notice(
                ui,
                "⚠",
                &msg::batch_no_journal(problem.clone()),
                Palette::of(ui).warning,
            );
            ui.add_space(ITEM_GAP);
        }
        let Some(first) = self.interrupted.first() else {
            return;
        };
        if self.running.is_running() {
            return;
        }
        let p = Palette::of(ui);
        let same_route = route
            .made
            .as_ref()
            .is_some_and(|m| m.id.as_str() == first.batch.route);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::batch_resume_title()).strong());
            ui.label(msg::batch_resume_what(
                first.batch.credential.clone(),
                first.to_send,
                started(first.batch.started),
                first.batch.total,
            ));
            let earlier = &first.state;
            ui.label(
                RichText::new(msg::batch_resume_earlier(
                    earlier.earlier_delivered,
                    earlier.earlier_rejected,
                ))
                .color(p.muted),
            );
            if first.unconfirmed > 0 {
                ui.label(
                    RichText::new(msg::batch_resume_unconfirmed(first.unconfirmed))
                        .color(p.warning.fg),
                );
            }
            if self.interrupted.len() > 1 {
                ui.label(
                    RichText::new(msg::batch_resume_more(self.interrupted.len() - 1))
                        .color(p.muted),
                );
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal_wrapped(|ui| {
                let resume = ui
                    .add_enabled(
                        same_route,
                        theme::primary_button(ui, msg::batch_resume_button(first.to_send)),
                    )
                    .on_disabled_hover_text(msg::batch_resume_other_route(
                        first.batch.credential.clone(),
                    ));
                if resume.clicked() {
                    commands.push(Command::ResumeBatch);
                }
                if ui.button(msg::batch_resume_discard()).clicked() {
                    commands.push(Command::DiscardInterruptedBatch);
                }
            });
            if !same_route {
                ui.label(
                    RichText::new(msg::batch_resume_other_route(
                        first.batch.credential.clone(),
                    ))
                    .color(p.muted),
                );
            }
        });
        ui.add_space(SECTION_GAP);
    }
}

/// When the batch began, in UTC as History shows times.
fn started(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}
