//! The Batch screen: many tokens (pasted, imported from a file, or saved devices and groups),
//! the Compose screen's notification sent to each, live progress with cancel, one result per
//! token in a sortable, filterable table, a summary by reason, and dead tokens to export.

mod export;
mod input;
mod job;
mod recipients;
pub mod resume;
mod resume_card;
mod summary;
mod table;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use egui::RichText;

use super::Failure;
use super::app::Command;
use super::dialogs::{self, Picked};
use super::made_with::{ResultOrigin, RouteView};
use super::save_flow::SaveFlow;
use super::state::{HistoryEntry, State};
use super::theme::{Palette, SECTION_GAP};
use super::widgets::Message;
use super::worker::Task;
use crate::client::{BatchSummary, CancelFlag, TokenResult};

use crate::gui::i18n::msg;
pub use export::ExportKind;
use input::Imported;
use job::{Live, Progress};
pub use recipients::{Parsed, Recipient, RecipientSources, Recipients, parse_tokens};
use table::{Show, SortBy};

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
            &self.generation.to_string(),
        ])
    }
}

/// The Batch screen.
pub struct BatchPanel {
    pasted: String,
    pasted_parsed: std::sync::Arc<Parsed>,
    /// A large paste is shown as a list on request.
    show_pasted: bool,
    /// A large paste being read on the worker.
    pasting: Task<Parsed, Failure>,
    /// The lines of a large paste, found when the list is first shown.
    pasted_line_starts: Option<std::sync::Arc<Vec<std::ops::Range<usize>>>>,
    picked: BTreeSet<String>,
    /// Bumped when the recipients may have changed; the count is cached per generation.
    generation: u64,
    recipient_count: Option<(u64, usize, usize)>,
    import_path: String,
    import_dialog: Task<Picked, String>,
    importing: Task<(String, Parsed), Failure>,
    imported: Option<Imported>,
    import_message: Option<Message>,
    running: Task<job::Finished, Failure>,
    /// The History entry of the running batch, finished when it ends.
    pending: Option<HistoryEntry>,
    live: Arc<Mutex<Live>>,
    cancel: CancelFlag,
    results: Vec<TokenResult>,
    /// Counted as results arrive, by the library's own rules.
    counts: BatchSummary,
    /// Results counted but not listed (see [`job::LISTED_DELIVERED`]).
    unlisted: u64,
    progress: Option<Progress>,
    summary: Option<BatchSummary>,
    error: Option<String>,
    started: Option<Instant>,
    filter: String,
    show: Show,
    sort: (SortBy, bool),
    view: Vec<usize>,
    view_key: Option<(usize, String, Show, (SortBy, bool))>,
    view_built: Option<Instant>,
    export_kind: ExportKind,
    export: SaveFlow<ExportKind>,
    /// The route and notification the batch in view was sent with.
    origin: Option<ResultOrigin>,
    /// The screen is one column this frame (the summary card is below the input card).
    narrow: bool,
    /// The running or last batch over time, as the charts draw it.
    timeline: Vec<crate::gui::charts::TimelinePoint>,
    timeline_taken: Option<Instant>,
    chart_export: crate::gui::charts::ChartExport,
    /// Where the app keeps batch journals (`None`: no data folder, no journals).
    journal_dir: Option<std::path::PathBuf>,
    /// Batches with pushes left to send (interrupted, cancelled), newest first.
    interrupted: Vec<resume::Interrupted>,
    finding_interrupted: Task<Vec<resume::Interrupted>, Failure>,
    /// Why the running batch keeps no journal.
    journal_problem: Option<String>,
}

impl Default for BatchPanel {
    fn default() -> Self {
        BatchPanel {
            pasted: String::new(),
            pasted_parsed: std::sync::Arc::default(),
            show_pasted: false,
            pasting: Task::Idle,
            pasted_line_starts: None,
            picked: BTreeSet::new(),
            generation: 0,
            recipient_count: None,
            import_path: String::new(),
            import_dialog: Task::Idle,
            importing: Task::Idle,
            imported: None,
            import_message: None,
            running: Task::Idle,
            pending: None,
            live: Arc::default(),
            cancel: CancelFlag::default(),
            results: Vec::new(),
            counts: BatchSummary::default(),
            unlisted: 0,
            progress: None,
            summary: None,
            error: None,
            started: None,
            filter: String::new(),
            show: Show::All,
            sort: (SortBy::Index, true),
            view: Vec::new(),
            view_key: None,
            view_built: None,
            origin: None,
            narrow: false,
            timeline: Vec::new(),
            timeline_taken: None,
            chart_export: crate::gui::charts::ChartExport::new("~/pushlab-batch-timeline.csv"),
            journal_dir: None,
            interrupted: Vec::new(),
            finding_interrupted: Task::Idle,
            journal_problem: None,
            export_kind: ExportKind::DeadTokens,
            export: SaveFlow::new("~/dead-tokens.txt", dialogs::no_dialog_hint, |path| {
                msg::batch_saved_to(path.display().to_string())
            }),
        }
    }
}

impl BatchPanel {
    pub fn is_running(&self) -> bool {
        self.running.is_running()
    }

    pub fn is_busy(&self) -> bool {
        self.is_running()
            || self.importing.is_running()
            || self.pasting.is_running()
            || self.export.is_writing()
    }

    /// Results so far.
    pub fn results(&self) -> &[TokenResult] {
        &self.results
    }

    /// The summary of the last finished batch.
    pub fn summary(&self) -> Option<&BatchSummary> {
        self.summary.as_ref()
    }

    /// `(done, total)` of the running or last batch.
    pub fn progress(&self) -> Option<(u64, Option<u64>)> {
        self.progress.map(|p| (p.done, p.total))
    }

    /// Shows an error on the Batch screen.
    pub fn set_error(&mut self, message: &str) {
        self.error = Some(message.to_owned());
    }

    /// The running or last batch over time.
    pub fn timeline(&self) -> &[crate::gui::charts::TimelinePoint] {
        &self.timeline
    }

    pub fn chart_export(&mut self) -> &mut crate::gui::charts::ChartExport {
        &mut self.chart_export
    }

    /// Picks up results, progress and finished jobs. Every frame.
    pub fn poll(&mut self, state: &mut State, commands: &mut Vec<Command>) {
        self.chart_export.poll();
        self.poll_interrupted();
        self.poll_job(state);
        self.poll_import(commands);
        self.poll_export(commands);
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        payload_line: &str,
        route: &RouteView,
        commands: &mut Vec<Command>,
    ) {
        self.refresh_view();
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
                    0 => self.input_card(ui, state, payload_line, route, commands),
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
