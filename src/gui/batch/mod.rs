//! The Batch screen: many tokens (pasted, imported from a file, or saved devices and groups),
//! the Compose screen's notification sent to each, live progress with cancel, one result per
//! token in a sortable, filterable table, a summary by reason, and dead tokens to export.

mod chart_card;
mod export;
mod input;
mod job;
mod launch;
mod paste;
mod recipients;
pub mod resume;
mod resume_card;
mod summary;
mod table;

use egui::RichText;

use super::app::Command;
use super::made_with::{ResultOrigin, RouteView};
use super::state::State;
use super::theme::{Palette, SECTION_GAP};
use crate::client::{BatchSummary, TokenResult};

use crate::gui::i18n::msg;
use chart_card::ChartTimeline;
use export::Export;
pub use export::ExportKind;
use job::Job;
use recipients::RecipientInput;
pub use recipients::{Parsed, Recipient, RecipientSources, Recipients, parse_tokens};
use resume_card::Resume;
use summary::Results;
use table::ResultsTable;

/// What a batch's result depends on besides the route: the notification (the token is each
/// recipient's).
pub fn batch_digest(draft: &crate::gui::state::Draft) -> u64 {
    crate::gui::made_with::draft_digest(&crate::gui::state::Draft {
        token: String::new(),
        ..draft.clone()
    })
}

impl BatchPanel {
    /// What a batch's result depends on besides the route: the notification and the
    /// recipients (their generation).
    fn inputs_digest(&self, draft: &crate::gui::state::Draft) -> u64 {
        crate::gui::made_with::digest(&[
            &batch_digest(draft).to_string(),
            &self.input.generation().to_string(),
        ])
    }
}

/// The Batch screen: one part per concern, each in the file that draws and runs it.
#[derive(Default)]
pub struct BatchPanel {
    /// The recipients being entered (`recipients.rs`, `paste.rs`, `input.rs`).
    input: RecipientInput,
    /// The running or last batch job (`job.rs`).
    job: Job,
    /// Its results and counts (`summary.rs`).
    results: Results,
    /// The table's filter, sort and rows shown (`table.rs`).
    table: ResultsTable,
    export: Export,
    /// The batch over time, for the charts (`chart_card.rs`).
    chart: ChartTimeline,
    /// Batches with pushes left to send (`resume_card.rs`).
    resume: Resume,
    /// What went wrong last, said under the Send button.
    error: Option<String>,
    /// The screen is one column this frame (the summary card is below the input card).
    narrow: bool,
}

impl BatchPanel {
    /// A batch is sending.
    pub fn is_running(&self) -> bool {
        self.job.is_running()
    }

    /// A batch is sending, a token list is being read or an export written: the buttons that would
    /// start another wait.
    pub fn is_busy(&self) -> bool {
        self.is_running() || self.input.is_busy() || self.export.is_writing()
    }

    /// Results so far.
    pub fn results(&self) -> &[TokenResult] {
        self.results.listed()
    }

    /// The summary of the last finished batch.
    pub fn summary(&self) -> Option<&BatchSummary> {
        self.results.summary()
    }

    /// `(done, total)` of the running or last batch.
    pub fn progress(&self) -> Option<(u64, Option<u64>)> {
        self.job.progress().map(|p| (p.done, p.total))
    }

    /// Shows an error on the Batch screen.
    pub fn set_error(&mut self, message: &str) {
        self.error = Some(message.to_owned());
    }

    /// The running or last batch over time.
    pub fn timeline(&self) -> &[crate::gui::charts::TimelinePoint] {
        self.chart.points()
    }

    /// The CSV and picture export under the batch's charts, made when first asked for.
    pub fn chart_export(&mut self) -> &mut crate::gui::charts::ChartExport {
        self.chart.export()
    }

    /// Where the batch's recipients come from now: the pasted and imported lists shared,
    /// not copied, and the picked saved devices. [`RecipientSources::merge`] (run on the
    /// worker: a list can hold a million tokens) removes duplicates.
    pub fn recipient_sources(&self, state: &State) -> RecipientSources {
        self.input.sources(state)
    }

    /// The pasted and imported lines that are not tokens: each becomes an "invalid input"
    /// result with its line number, so the summary accounts for every line.
    pub fn invalid_inputs(&self) -> Vec<crate::client::InvalidInput> {
        self.input.invalid_inputs()
    }

    /// How many recipients there are, recounted only when the inputs changed.
    pub fn recipient_count(&mut self, state: &State) -> usize {
        self.input.count(state)
    }

    /// Picks up results, progress and finished jobs. Every frame.
    pub fn poll(&mut self, state: &mut State, commands: &mut Vec<Command>) {
        self.chart.export().poll();
        self.poll_interrupted();
        self.poll_job(state);
        self.input.poll(commands);
        self.export.poll(commands);
    }

    /// Draws the screen: recipients, how to send, the running or finished batch and its results.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        payload_line: &str,
        route: &RouteView,
        commands: &mut Vec<Command>,
    ) {
        self.table
            .refresh(self.results.listed(), self.job.is_running());
        self.narrow = ui.available_width() < super::theme::TWO_COLUMNS_FROM;
        let now = route
            .made
            .clone()
            .map(|m| ResultOrigin::new(m, self.inputs_digest(&state.compose)));
        egui::ScrollArea::vertical()
            .id_salt("batch-page")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(msg::batch_heading());
                ui.label(RichText::new(msg::batch_intro()).color(Palette::of(ui).muted));
                ui.add_space(SECTION_GAP);
                self.interrupted_card(ui, route, commands);
                super::theme::two_columns(ui, |i, ui| match i {
                    0 => self.input_card(ui, state, payload_line, route, now.as_ref(), commands),
                    _ => {
                        self.progress_card(ui, now.as_ref(), commands);
                        self.charts_card(ui, commands);
                    }
                });
                ui.add_space(SECTION_GAP);
                self.table_ui(ui);
            });
    }
}
