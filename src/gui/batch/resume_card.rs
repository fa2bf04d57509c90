//! The Batch screen's card for a batch with pushes left to send: found when the app starts
//! (the window was closed or the app crashed mid-batch) or left by a cancelled batch. It says
//! what is left and what went out without an answer, and resumes or discards it.

use egui::RichText;

use super::BatchPanel;
use super::resume::{self, Interrupted};
use crate::gui::JobError;
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::made_with::RouteView;
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::worker::{Task, Worker};

/// Batches with pushes left to send, and where their journals are kept.
#[derive(Default)]
pub(super) struct Resume {
    /// Where the app keeps batch journals (`None`: no data folder, no journals).
    journal_dir: Option<std::path::PathBuf>,
    /// Batches with pushes left to send (interrupted, cancelled), newest first.
    interrupted: Vec<Interrupted>,
    finding: Task<Vec<Interrupted>, JobError>,
}

impl Resume {
    pub(super) fn journal_dir(&self) -> Option<&std::path::Path> {
        self.journal_dir.as_deref()
    }

    pub(super) fn first(&self) -> Option<&Interrupted> {
        self.interrupted.first()
    }

    /// The batch offered first, no longer offered.
    pub(super) fn take_first(&mut self) -> Option<Interrupted> {
        (!self.interrupted.is_empty()).then(|| self.interrupted.remove(0))
    }

    /// Offers `batch` first.
    pub(super) fn offer(&mut self, batch: Interrupted) {
        self.interrupted.insert(0, batch);
    }

    fn poll(&mut self) {
        if self.finding.poll()
            && let Some(found) = self.finding.take_done()
        {
            self.interrupted.extend(found);
        }
    }

    /// What is left of the batch offered first, with Resume (only along its route) and
    /// Discard.
    fn card_ui(&self, ui: &mut egui::Ui, route: &RouteView, commands: &mut Vec<Command>) {
        let Some(first) = self.interrupted.first() else {
            return;
        };
        let p = Palette::of(ui);
        let same_route = route
            .made
            .as_ref()
            .is_some_and(|m| m.id.as_str() == first.batch.route);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::batch_resume_title()).strong());
            self.what_is_left(ui, first);
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

    /// What the batch was, what it delivered and refused, and what went out unanswered.
    fn what_is_left(&self, ui: &mut egui::Ui, first: &Interrupted) {
        let p = Palette::of(ui);
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
                RichText::new(msg::batch_resume_unconfirmed(first.unconfirmed)).color(p.warning.fg),
            );
        }
        if self.interrupted.len() > 1 {
            ui.label(
                RichText::new(msg::batch_resume_more(self.interrupted.len() - 1)).color(p.muted),
            );
        }
    }
}

impl BatchPanel {
    /// Keeps the journals of batches in `data_dir`, and looks there (on the worker) for
    /// batches an earlier run of the app left unfinished.
    pub fn keep_journals(&mut self, data_dir: &std::path::Path, worker: &Worker) {
        let dir = resume::journal_dir(data_dir);
        self.resume.journal_dir = Some(dir.clone());
        self.resume.finding = worker.run_blocking(move |_| {
            let mut found = resume::find(&dir);
            found.reverse();
            Ok(found)
        });
    }

    /// Batches with pushes left to send, newest first.
    pub fn interrupted(&self) -> &[Interrupted] {
        &self.resume.interrupted
    }

    pub(super) fn poll_interrupted(&mut self) {
        self.resume.poll();
    }

    /// The notification the batch offered first was begun with, to resume it.
    pub fn interrupted_draft(&self) -> Option<&crate::gui::state::Draft> {
        self.resume.first().map(|i| &i.batch.draft)
    }

    /// Forgets the batch offered first and removes its files.
    pub fn discard_interrupted(&mut self) {
        if self.job.is_running() {
            return;
        }
        let Some(gone) = self.resume.take_first() else {
            return;
        };
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
        if !self.job.is_running() {
            self.resume.card_ui(ui, route, commands);
            return;
        }
        if let Some(problem) = self.job.journal_problem() {
            crate::gui::widgets::notice(
                ui,
                "⚠",
                &msg::batch_no_journal(problem.to_owned()),
                Palette::of(ui).warning,
            );
            ui.add_space(ITEM_GAP);
        }
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
