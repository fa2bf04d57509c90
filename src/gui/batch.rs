//! The Batch screen: many tokens (pasted, imported from a file, or saved devices and groups),
//! the Compose screen's notification sent to each, live progress with cancel, one result per
//! token in a sortable, filterable table, a summary by reason, and dead tokens to export.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{RichText, TextEdit};
use egui_extras::{Column, TableBuilder};

use super::app::{Command, Section};
use super::connection::Plan;
use super::dialogs::{self, Picked};
use super::error::JobError;
use super::save_flow::SaveFlow;
use super::state::{
    BATCH_SAMPLE, BatchProblem, BatchRecord, BatchSettings, Draft, HistoryEntry, State,
};
use super::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use super::widgets::{Message, chip, group_digits, notice, path_field};
use super::worker::{Task, Worker};
use crate::apns::token_list::{InvalidLine, TokenListReader};
use crate::apns::{DeviceToken, Notification};
use crate::client::{
    BatchEvent, BatchInput, BatchItem, BatchOptions, BatchSummary, CancelFlag, InvalidInput,
    Outcome, TokenResult, send_batch,
};

/// User-facing text of this screen, in one place for translation.
mod text {
    pub const HEADING: &str = "Batch";
    pub const INTRO: &str = "Send the notification from Compose & Send to many devices: one result per token, dead tokens listed so you can remove them from your database.";
    pub const PASTE: &str = "Tokens, one per line (a name after the token is optional)";
    pub const IMPORT: &str = "Import file…";
    pub const IMPORT_PATH: &str = "Token file path";
    pub const LOAD: &str = "Load file";
    pub const CLEAR_IMPORT: &str = "Remove imported file";
    pub const SAVED: &str = "Saved devices and groups";
    pub const SEND: &str = "Send batch";
    pub const CANCEL: &str = "Cancel batch";
    pub const FILTER: &str = "Filter results";
    pub const SHOW: &str = "Show";
    pub const DEAD: &str = "Dead tokens";
    pub const UNCONFIRMED_HINT: &str = "Unconfirmed: sent, but no answer came, so APNs may or may not have them. They were not sent again, so no phone shows a push twice; turn on \"Resend unconfirmed\" if a duplicate is better than a loss.";
    pub const WRONG_ENVIRONMENT: &str = "Most tokens got BadDeviceToken: the environment is probably wrong, not the tokens (apps run from Xcode get sandbox tokens; TestFlight and App Store builds, production ones). Do not delete them.";
    pub const PROBE_OTHER: &str = "Try one token in the other environment";
    pub const BAD_TOKENS_HINT: &str = "got BadDeviceToken: malformed, or from the other environment. Check them; do not delete them.";
    pub const RESEND_UNCONFIRMED: &str = "Resend unconfirmed";
    pub const RESEND_UNCONFIRMED_HINT: &str = "Send pushes that got no answer again. The phone may then show one twice; off, they are reported unconfirmed.";
    pub const DEAD_HINT: &str = "APNs says these tokens will never work again (app deleted, notifications turned off, or the token expired). Remove them from your database.";
    pub const EXPORT: &str = "Export…";
    pub const EXPORT_WHAT: &str = "Export";
    pub const EXPORT_PATH: &str = "Export path";
    pub const SAVE_TO_PATH: &str = "Save to path";
    pub const SUMMARY: &str = "Summary";
    pub const CONNECTIONS: &str = "Connections";
    pub const IN_FLIGHT: &str = "Most in flight per connection";
    pub const SETTINGS_HINT: &str = "More connections spread the load, as Apple suggests; the server may allow fewer pushes in flight than asked.";
}

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    DeadTokens,
    BadTokens,
    Unsettled,
    ResultsCsv,
    ResultsJson,
}

impl ExportKind {
    const ALL: [ExportKind; 5] = [
        ExportKind::DeadTokens,
        ExportKind::BadTokens,
        ExportKind::Unsettled,
        ExportKind::ResultsCsv,
        ExportKind::ResultsJson,
    ];

    fn label(self) -> &'static str {
        match self {
            ExportKind::DeadTokens => "Dead tokens (.txt)",
            ExportKind::BadTokens => "Wrong token or environment (.txt)",
            ExportKind::Unsettled => "Unconfirmed and not sent (.txt)",
            ExportKind::ResultsCsv => "All results (.csv)",
            ExportKind::ResultsJson => "All results (.json)",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            ExportKind::DeadTokens => "dead-tokens.txt",
            ExportKind::BadTokens => "bad-device-tokens.txt",
            ExportKind::Unsettled => "unconfirmed-and-not-sent.txt",
            ExportKind::ResultsCsv => "batch-results.csv",
            ExportKind::ResultsJson => "batch-results.json",
        }
    }
}

/// Which results the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    Outcome(Outcome),
    Dead,
    WrongTokenOrEnvironment,
}

impl Show {
    const ALL: [Show; 8] = [
        Show::All,
        Show::Outcome(Outcome::Delivered),
        Show::Outcome(Outcome::Rejected),
        Show::Dead,
        Show::WrongTokenOrEnvironment,
        Show::Outcome(Outcome::Unconfirmed),
        Show::Outcome(Outcome::NotSent),
        Show::Outcome(Outcome::InvalidInput),
    ];

    fn label(self) -> &'static str {
        match self {
            Show::All => "All",
            Show::Outcome(Outcome::Delivered) => "Delivered",
            Show::Outcome(Outcome::Rejected) => "Rejected",
            Show::Outcome(Outcome::Unconfirmed) => "Unconfirmed",
            Show::Outcome(Outcome::NotSent) => "Not sent",
            Show::Outcome(Outcome::InvalidInput) => "Invalid input",
            Show::Dead => "Dead tokens",
            Show::WrongTokenOrEnvironment => "Wrong token or environment",
        }
    }

    fn keeps(self, r: &TokenResult) -> bool {
        match self {
            Show::All => true,
            Show::Outcome(o) => r.outcome == o,
            Show::Dead => r.is_dead_token(),
            Show::WrongTokenOrEnvironment => r.is_bad_device_token(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Index,
    Device,
    Status,
    Reason,
    Latency,
}

/// One recipient: a token and the name people know it by.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub token: DeviceToken,
    pub name: Option<String>,
    /// Its line in the pasted text or imported file.
    pub line: Option<u64>,
}

/// What a batch goes to: pushes, and the input lines that could not become one (each gets
/// an "invalid input" result).
#[derive(Debug, Default)]
pub struct Recipients {
    pub recipients: Vec<Recipient>,
    pub invalid: Vec<InvalidInput>,
}

/// Most invalid lines kept to show and send as results; the rest are counted.
const MAX_INVALID_KEPT: usize = 10_000;

/// Tokens read from text, and the lines that are not tokens.
#[derive(Debug, Default)]
pub struct Parsed {
    pub recipients: Vec<Recipient>,
    /// Lines that are not tokens, with their numbers and why (the first
    /// [`MAX_INVALID_KEPT`]).
    pub invalid: Vec<InvalidLine>,
    pub invalid_count: usize,
    /// Lines read as Latin-1 because they were not UTF-8.
    pub latin1_lines: usize,
    /// Lines that hold a token or should have.
    pub lines: usize,
}

impl Parsed {
    /// One sentence per invalid line, for notices.
    pub fn problems(&self) -> impl Iterator<Item = String> + '_ {
        self.invalid.iter().map(ToString::to_string)
    }
}

/// Reads pasted text or a file's bytes with the library's one token-list reader.
pub fn parse_tokens(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    for entry in TokenListReader::new(bytes) {
        parsed.lines += 1;
        match entry {
            Ok(listed) => {
                parsed.latin1_lines += usize::from(listed.latin1);
                parsed.recipients.push(Recipient {
                    name: listed.name().map(str::to_owned),
                    line: Some(listed.line),
                    token: listed.token,
                });
            }
            Err(bad) => {
                parsed.invalid_count += 1;
                if parsed.invalid.len() < MAX_INVALID_KEPT {
                    parsed.invalid.push(bad);
                }
            }
        }
    }
    parsed
}

/// A token file that was read.
struct Imported {
    name: String,
    parsed: Arc<Parsed>,
}

/// What the batch job shares with the screen while it runs.
#[derive(Default)]
struct Live {
    results: Vec<TokenResult>,
    progress: Option<Progress>,
    connect_errors: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Progress {
    done: u64,
    total: Option<u64>,
    per_second: f64,
    eta_seconds: Option<f64>,
}

/// The Batch screen.
pub struct BatchPanel {
    pasted: String,
    pasted_parsed: Parsed,
    picked: BTreeSet<String>,
    /// Bumped when the recipients may have changed; the count is cached per generation.
    generation: u64,
    recipient_count: Option<(u64, usize, usize)>,
    import_path: String,
    import_dialog: Task<Picked, String>,
    importing: Task<(String, Parsed), String>,
    imported: Option<Imported>,
    import_message: Option<Message>,
    running: Task<BatchSummary, String>,
    /// The History entry of the running batch, finished when it ends.
    pending: Option<HistoryEntry>,
    live: Arc<Mutex<Live>>,
    cancel: CancelFlag,
    results: Vec<TokenResult>,
    /// Counted as results arrive, by the library's own rules.
    counts: BatchSummary,
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
}

impl Default for BatchPanel {
    fn default() -> Self {
        BatchPanel {
            pasted: String::new(),
            pasted_parsed: Parsed::default(),
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
            export_kind: ExportKind::DeadTokens,
            export: SaveFlow::new("~/dead-tokens.txt", dialogs::NO_DIALOG_HINT, |path| {
                format!("Saved {}.", path.display())
            }),
        }
    }
}

impl BatchPanel {
    pub fn is_running(&self) -> bool {
        self.running.is_running()
    }

    pub fn is_busy(&self) -> bool {
        self.is_running() || self.importing.is_running() || self.export.is_writing()
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

    /// Everyone the batch would go to now, without duplicates.
    pub fn recipients(&self, state: &State) -> Vec<Recipient> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let imported = self
            .imported
            .as_ref()
            .map(|i| i.parsed.recipients.as_slice());
        let saved = state.devices.iter().filter_map(|d| {
            let picked = self.picked.contains(&device_key(&d.name))
                || (!d.group.is_empty() && self.picked.contains(&group_key(&d.group)));
            if !picked {
                return None;
            }
            DeviceToken::parse(&d.token).ok().map(|token| Recipient {
                token,
                name: Some(d.name.clone()),
                line: None,
            })
        });
        let all = self
            .pasted_parsed
            .recipients
            .iter()
            .chain(imported.unwrap_or_default())
            .cloned()
            .chain(saved);
        for r in all {
            if seen.insert(r.token.clone()) {
                out.push(r);
            }
        }
        out
    }

    /// The pasted and imported lines that are not tokens: each becomes an "invalid input"
    /// result with its line number, so the summary accounts for every line.
    pub fn invalid_inputs(&self) -> Vec<InvalidInput> {
        let pasted = self.pasted_parsed.invalid.iter().map(|bad| (bad, "pasted"));
        let imported = self.imported.iter().flat_map(|i| {
            i.parsed
                .invalid
                .iter()
                .map(move |bad| (bad, i.name.as_str()))
        });
        pasted
            .chain(imported)
            .map(|(bad, source)| InvalidInput {
                line: Some(bad.line),
                text: bad.text.clone(),
                reason: format!("{source}, line {}: {}", bad.line, bad.reason),
            })
            .collect()
    }

    /// Shows an error on the Batch screen.
    pub fn set_error(&mut self, message: &str) {
        self.error = Some(message.to_owned());
    }

    /// Picked saved devices whose tokens the destination will refuse, one sentence per
    /// environment.
    fn environment_warnings(&self, state: &State) -> Vec<String> {
        let mut by_environment: BTreeMap<&str, (crate::cert::Environment, Vec<&str>)> =
            BTreeMap::new();
        for d in &state.devices {
            let picked = self.picked.contains(&device_key(&d.name))
                || (!d.group.is_empty() && self.picked.contains(&group_key(&d.group)));
            if picked {
                by_environment
                    .entry(d.environment.label())
                    .or_insert_with(|| (d.environment, Vec::new()))
                    .1
                    .push(&d.name);
            }
        }
        by_environment
            .into_values()
            .filter_map(|(environment, names)| {
                let subject = match names.as_slice() {
                    [one] => format!("The token of {one} is"),
                    [first @ .., last] if names.len() <= 4 => {
                        format!("The tokens of {} and {last} are", first.join(", "))
                    }
                    _ => format!(
                        "The tokens of {} and {} more devices are",
                        names[..3].join(", "),
                        names.len() - 3
                    ),
                };
                super::connection::environment_warning(&subject, environment, &state.connection)
            })
            .collect()
    }

    /// How many recipients there are, recounted only when the inputs changed.
    fn recipient_count(&mut self, state: &State) -> usize {
        match self.recipient_count {
            Some((generation, devices, count))
                if generation == self.generation && devices == state.devices.len() =>
            {
                count
            }
            _ => {
                let count = self.recipients(state).len();
                self.recipient_count = Some((self.generation, state.devices.len(), count));
                count
            }
        }
    }

    /// Starts sending `template` (its token replaced) to every recipient.
    pub fn start(
        &mut self,
        Recipients {
            recipients,
            invalid,
        }: Recipients,
        draft: &Draft,
        template: Result<(Notification, Plan), String>,
        options: BatchOptions,
        worker: &Worker,
        ctx: &egui::Context,
    ) {
        let (template, plan) = match template {
            Ok(ok) => ok,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        if recipients.is_empty() && invalid.is_empty() {
            self.error = Some(
                "Add tokens first: paste them, import a file, or pick saved devices.".to_owned(),
            );
            return;
        }
        self.error = None;
        self.results.clear();
        self.counts = BatchSummary::default();
        self.summary = None;
        self.view_key = None;
        self.started = Some(Instant::now());
        let total = (recipients.len() + invalid.len()) as u64;
        self.pending = Some(HistoryEntry {
            time: time::OffsetDateTime::now_utc().unix_timestamp(),
            destination: plan.target.label.clone(),
            credential: plan.credential_name.clone(),
            device: Some(format!("Batch of {} devices", group_digits(total))),
            draft: Draft {
                token: String::new(),
                ..draft.clone()
            },
            topic: template.topic.clone(),
            batch: Some(BatchRecord {
                total,
                ..Default::default()
            }),
            ..Default::default()
        });
        self.progress = Some(Progress {
            done: 0,
            total: Some(total),
            per_second: 0.0,
            eta_seconds: None,
        });
        let live = Arc::new(Mutex::new(Live::default()));
        self.live = live.clone();
        self.cancel = CancelFlag::default();
        let cancel = self.cancel.clone();
        let ctx = ctx.clone();
        self.running = worker.run_async(move |_| async move {
            let target = plan.target().await?;
            let (tx, mut rx) = tokio::sync::mpsc::channel::<BatchEvent>(4096);
            let forward = tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(1024);
                while rx.recv_many(&mut buffer, 1024).await > 0 {
                    if let Ok(mut live) = live.lock() {
                        for event in buffer.drain(..) {
                            match event {
                                BatchEvent::Result(r) => live.results.push(r),
                                BatchEvent::Progress {
                                    done,
                                    total,
                                    per_second,
                                    eta_seconds,
                                    ..
                                } => {
                                    live.progress = Some(Progress {
                                        done,
                                        total,
                                        per_second,
                                        eta_seconds,
                                    });
                                }
                                BatchEvent::ConnectFailed(e) => {
                                    if live.connect_errors.len() < 20 {
                                        live.connect_errors.push(e);
                                    }
                                }
                            }
                        }
                    }
                    buffer.clear();
                    ctx.request_repaint();
                }
            });
            let pushes = recipients.into_iter().map(move |r| {
                BatchInput::Push(BatchItem {
                    notification: Notification {
                        token: r.token,
                        ..template.clone()
                    },
                    name: r.name,
                    line: r.line,
                })
            });
            let items = invalid.into_iter().map(BatchInput::Invalid).chain(pushes);
            let summary = send_batch(
                &target,
                &plan.auth,
                items,
                Some(total),
                &options,
                tx,
                cancel,
            )
            .await;
            let _ = forward.await;
            Ok(summary)
        });
    }

    pub fn cancel(&mut self) {
        self.cancel.cancel();
    }

    pub fn pick_file(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.import_message = None;
        self.import_dialog = worker.run_blocking(move |_| {
            Ok(dialogs::open(
                "Import device tokens",
                start,
                ("Token lists", &["txt", "csv", "tsv"]),
            ))
        });
    }

    pub fn import(&mut self, path: PathBuf, worker: &Worker) {
        self.import_message = None;
        self.import_path = path.display().to_string();
        self.importing = worker.run_blocking(move |_| {
            let text = std::fs::read(&path)
                .map_err(|e| format!("could not read the file: {e} ({})", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, parse_tokens(&text)))
        });
    }

    pub fn pick_export_path(&mut self, kind: ExportKind, start: Option<PathBuf>, worker: &Worker) {
        self.export_kind = kind;
        let name = kind.file_name().to_owned();
        self.export
            .choose(worker, "Export batch results", start, name, kind);
    }

    /// Writes an export; an existing file only with `overwrite` (the user was asked).
    pub fn export(&mut self, kind: ExportKind, path: PathBuf, overwrite: bool, worker: &Worker) {
        self.export.path = path.display().to_string();
        self.export_kind = kind;
        let keep = |r: &TokenResult| match kind {
            ExportKind::DeadTokens => r.is_dead_token(),
            ExportKind::BadTokens => r.is_bad_device_token(),
            ExportKind::Unsettled => matches!(r.outcome, Outcome::Unconfirmed | Outcome::NotSent),
            ExportKind::ResultsCsv | ExportKind::ResultsJson => true,
        };
        let results: Vec<TokenResult> = self.results.iter().filter(|r| keep(r)).cloned().collect();
        self.export.write(worker, kind, overwrite, move || {
            let bytes = match kind {
                // One token per line, with its name: the list reads back in as it is.
                ExportKind::DeadTokens | ExportKind::BadTokens | ExportKind::Unsettled => results
                    .iter()
                    .map(|r| match &r.name {
                        Some(name) => format!("{} {name}\n", r.token),
                        None => format!("{}\n", r.token),
                    })
                    .collect::<String>()
                    .into_bytes(),
                ExportKind::ResultsCsv => csv(&results).into_bytes(),
                ExportKind::ResultsJson => serde_json::to_vec_pretty(&results)
                    .map_err(|e| JobError::message(e.to_string()))?,
            };
            dialogs::write_file(&path, &bytes, overwrite)
        });
    }

    /// Picks up results, progress and finished jobs. Every frame.
    pub fn poll(&mut self, state: &mut State, commands: &mut Vec<Command>) {
        self.take_live();
        if self.running.poll() {
            // Results that arrived after this frame's first look.
            self.take_live();
            let finished = self.running.take_finished();
            match &finished {
                Some(Ok(summary)) => {
                    if summary.total > 0 && summary.delivered + summary.rejected > 0 {
                        self.error = None;
                    }
                    self.summary = Some(summary.clone());
                }
                Some(Err(e)) => self.error = Some(e.clone()),
                None => {}
            }
            if let (Some(entry), Some(finished)) = (self.pending.take(), finished) {
                state.remember(self.history_entry(entry, finished));
            }
            self.view_key = None;
        }
        if self.import_dialog.poll()
            && let Some(Ok(picked)) = self.import_dialog.take_finished()
        {
            if picked.no_dialog() {
                self.import_message = Some(Message::bad(dialogs::NO_DIALOG_HINT));
            } else if let Some(path) = picked.path() {
                commands.push(Command::ImportTokens(path));
            }
        }
        if self.importing.poll() {
            match self.importing.take_finished() {
                Some(Ok((name, parsed))) => {
                    self.import_message = Some(Message::info(format!(
                        "{name}: {} tokens{}{}",
                        group_digits(parsed.recipients.len() as u64),
                        if parsed.invalid_count == 0 {
                            String::new()
                        } else {
                            match parsed.invalid_count {
                                1 => ", 1 line is not a token (it is reported as invalid input)"
                                    .to_owned(),
                                n => format!(
                                    ", {} lines are not tokens (each is reported as invalid input)",
                                    group_digits(n as u64)
                                ),
                            }
                        },
                        if parsed.latin1_lines == 0 {
                            String::new()
                        } else {
                            match parsed.latin1_lines {
                                1 => "; 1 line is not UTF-8 and was read as Latin-1".to_owned(),
                                n => format!(
                                    "; {} lines are not UTF-8 and were read as Latin-1",
                                    group_digits(n as u64)
                                ),
                            }
                        }
                    )));
                    self.imported = Some(Imported {
                        name,
                        parsed: Arc::new(parsed),
                    });
                    self.generation += 1;
                }
                Some(Err(e)) => self.import_message = Some(Message::bad(e)),
                None => {}
            }
        }
        if let Some((path, kind)) = self.export.poll() {
            // The native dialog already asked before replacing a file.
            commands.push(Command::ExportBatch {
                kind,
                path,
                overwrite: true,
            });
        }
    }

    fn take_live(&mut self) {
        if let Ok(mut live) = self.live.lock() {
            for r in live.results.drain(..) {
                self.counts.record(&r);
                self.results.push(r);
            }
            if let Some(p) = live.progress {
                self.progress = Some(p);
            }
            if let Some(e) = live.connect_errors.pop() {
                self.error = Some(format!("Could not connect (retrying): {e}"));
                live.connect_errors.clear();
            }
        }
    }

    /// The History entry of a finished (or cancelled) batch: counts and a short sample of
    /// the tokens that were not delivered.
    fn history_entry(
        &self,
        mut entry: HistoryEntry,
        finished: Result<BatchSummary, String>,
    ) -> HistoryEntry {
        let mut record = entry.batch.take().unwrap_or_default();
        record.cancelled = self.cancel.is_cancelled();
        record.problems = self
            .results
            .iter()
            .filter(|r| r.outcome != Outcome::Delivered)
            .take(BATCH_SAMPLE)
            .map(|r| BatchProblem {
                token: r.token.clone(),
                name: r.name.clone(),
                reason: r
                    .reason
                    .clone()
                    .or_else(|| r.error.clone())
                    .unwrap_or_else(|| match r.status {
                        Some(status) => format!("HTTP {status}"),
                        None => r.outcome.label().to_owned(),
                    }),
            })
            .collect();
        match finished {
            Ok(summary) => record.count(&summary),
            Err(e) => {
                record.count(&self.counts);
                entry.error = Some(e);
            }
        }
        entry.batch = Some(record);
        entry
    }

    /// Rebuilds the filtered, sorted list of rows when it changed (at most every 300 ms while
    /// results stream in).
    fn refresh_view(&mut self) {
        let key = (
            self.results.len(),
            self.filter.clone(),
            self.show,
            self.sort,
        );
        if self.view_key.as_ref() == Some(&key) {
            return;
        }
        let only_new_rows = self
            .view_key
            .as_ref()
            .is_some_and(|k| (&k.1, k.2, k.3) == (&key.1, key.2, key.3));
        if only_new_rows
            && self.running.is_running()
            && self
                .view_built
                .is_some_and(|t| t.elapsed() < Duration::from_millis(300))
        {
            return;
        }
        let needle = self.filter.trim().to_lowercase();
        let show = self.show;
        // Only rows that arrived since the last build need filtering; the sort below is
        // stable and adaptive, so a sorted prefix plus a short tail costs about one pass.
        let (mut view, first_new) = match (&self.view_key, only_new_rows) {
            (Some((old_len, ..)), true) if *old_len <= self.results.len() => {
                (std::mem::take(&mut self.view), *old_len)
            }
            _ => (Vec::new(), 0),
        };
        view.extend(
            self.results
                .iter()
                .enumerate()
                .skip(first_new)
                .filter(|(_, r)| show.keeps(r))
                .filter(|(_, r)| {
                    needle.is_empty()
                        || r.token.contains(&needle)
                        || r.name
                            .as_deref()
                            .is_some_and(|n| n.to_lowercase().contains(&needle))
                        || r.reason
                            .as_deref()
                            .is_some_and(|n| n.to_lowercase().contains(&needle))
                })
                .map(|(i, _)| i),
        );
        let results = &self.results;
        let (by, ascending) = self.sort;
        view.sort_by(|&a, &b| {
            let (a, b) = (&results[a], &results[b]);
            let order = match by {
                SortBy::Index => a.index.cmp(&b.index),
                SortBy::Device => a.name.cmp(&b.name).then_with(|| a.token.cmp(&b.token)),
                SortBy::Status => a.status.cmp(&b.status),
                SortBy::Reason => a.reason.cmp(&b.reason),
                SortBy::Latency => a
                    .latency_ms
                    .partial_cmp(&b.latency_ms)
                    .unwrap_or(std::cmp::Ordering::Equal),
            };
            if ascending { order } else { order.reverse() }
        });
        self.view = view;
        self.view_key = Some(key);
        self.view_built = Some(Instant::now());
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        payload_line: &str,
        destination: &str,
        commands: &mut Vec<Command>,
    ) {
        self.refresh_view();
        egui::ScrollArea::vertical()
            .id_salt("batch-page")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(text::HEADING);
                ui.label(RichText::new(text::INTRO).color(Palette::of(ui).muted));
                ui.add_space(SECTION_GAP);
                ui.columns(2, |columns| {
                    self.input_card(&mut columns[0], state, payload_line, destination, commands);
                    self.progress_card(&mut columns[1], commands);
                });
                ui.add_space(SECTION_GAP);
                self.table_ui(ui);
            });
    }

    /// The results table, below the two columns.
    fn table_ui(&mut self, ui: &mut egui::Ui) {
        if self.results.is_empty() {
            return;
        }
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let label = ui.label(text::FILTER);
                ui.add(
                    TextEdit::singleline(&mut self.filter)
                        .hint_text("token, name or reason")
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
                let label = ui.label(text::SHOW);
                let combo = egui::ComboBox::from_id_salt("batch-show")
                    .selected_text(self.show.label())
                    .show_ui(ui, |ui| {
                        for show in Show::ALL {
                            ui.selectable_value(&mut self.show, show, show.label());
                        }
                    })
                    .response;
                let _ = combo.labelled_by(label.id);
                ui.label(
                    RichText::new(format!(
                        "{} of {} rows",
                        group_digits(self.view.len() as u64),
                        group_digits(self.results.len() as u64)
                    ))
                    .color(p.muted),
                );
            });
            ui.add_space(ITEM_GAP);
            let mut sort = self.sort;
            let results = &self.results;
            let view = &self.view;
            TableBuilder::new(ui)
                .id_salt("batch-results")
                .striped(true)
                .resizable(true)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::exact(60.0))
                .column(Column::initial(220.0).at_least(120.0).clip(true))
                .column(Column::exact(70.0))
                .column(Column::initial(150.0).clip(true))
                .column(Column::initial(250.0).clip(true))
                .column(Column::remainder().at_least(70.0))
                .min_scrolled_height(200.0)
                .max_scroll_height(420.0)
                .header(24.0, |mut header| {
                    for (by, title) in [
                        (SortBy::Index, "#"),
                        (SortBy::Device, "Device"),
                        (SortBy::Status, "Status"),
                        (SortBy::Reason, "Reason"),
                        (SortBy::Index, "apns-id"),
                        (SortBy::Latency, "Latency"),
                    ] {
                        header.col(|ui| {
                            let arrow = if sort.0 == by && title != "apns-id" {
                                if sort.1 { " ⏶" } else { " ⏷" }
                            } else {
                                ""
                            };
                            let button = ui.add(
                                egui::Button::new(
                                    RichText::new(format!("{title}{arrow}")).strong(),
                                )
                                .frame(false),
                            );
                            let name = format!("Sort by {title}");
                            button.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &name)
                            });
                            if button.clicked() && title != "apns-id" {
                                sort = if sort.0 == by {
                                    (by, !sort.1)
                                } else {
                                    (by, true)
                                };
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, view.len(), |mut row| {
                        let Some(r) = view.get(row.index()).and_then(|&i| results.get(i)) else {
                            return;
                        };
                        row.col(|ui| {
                            ui.label((r.index + 1).to_string());
                        });
                        row.col(|ui| {
                            let short = short_token(&r.token);
                            match &r.name {
                                Some(name) => ui.label(format!("{name} · {short}")),
                                None => ui.label(RichText::new(short).monospace()),
                            };
                        });
                        row.col(|ui| {
                            let (text, tone) = match (r.status, r.outcome) {
                                (Some(200), _) => ("200".to_owned(), p.good),
                                (Some(s), _) => (s.to_string(), p.bad),
                                (None, Outcome::NotSent) => ("—".to_owned(), p.neutral),
                                (None, Outcome::InvalidInput) => ("—".to_owned(), p.warning),
                                (None, _) => ("none".to_owned(), p.warning),
                            };
                            chip(ui, &text, tone);
                        });
                        row.col(|ui| {
                            let reason = r
                                .reason
                                .clone()
                                .or_else(|| r.error.clone())
                                .unwrap_or_default();
                            let reason = match r.outcome {
                                Outcome::Delivered | Outcome::Rejected => reason,
                                other => format!("{}: {reason}", other.label()),
                            };
                            ui.label(reason);
                        });
                        row.col(|ui| {
                            ui.label(
                                RichText::new(r.apns_id.as_deref().unwrap_or(""))
                                    .monospace()
                                    .small(),
                            );
                        });
                        row.col(|ui| {
                            if let Some(ms) = r.latency_ms {
                                ui.label(format!("{ms:.1} ms"));
                            }
                        });
                    });
                });
            self.sort = sort;
        });
    }

    fn input_card(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        payload_line: &str,
        destination: &str,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let label = ui.label(RichText::new(text::PASTE).strong());
            let field = ui
                .add(
                    TextEdit::multiline(&mut self.pasted)
                        .hint_text("740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad Alice's iPhone")
                        .font(egui::TextStyle::Monospace)
                        .desired_rows(6)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if field.changed() {
                self.pasted_parsed = parse_tokens(self.pasted.as_bytes());
                self.generation += 1;
            }
            if self.pasted_parsed.lines > 0 {
                ui.label(
                    RichText::new(format!(
                        "{} tokens pasted",
                        group_digits(self.pasted_parsed.recipients.len() as u64)
                    ))
                    .color(p.muted),
                );
            }
            for problem in self.pasted_parsed.problems().take(5) {
                notice(ui, "⚠", &problem, p.warning);
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                if ui.button(text::IMPORT).clicked() {
                    commands.push(Command::PickTokenFile);
                }
                if self.importing.is_running() {
                    ui.spinner();
                }
                if let Some(imported) = &self.imported {
                    chip(
                        ui,
                        &format!(
                            "{} · {} tokens",
                            imported.name,
                            group_digits(imported.parsed.recipients.len() as u64)
                        ),
                        p.info,
                    );
                    if ui.small_button(text::CLEAR_IMPORT).clicked() {
                        self.imported = None;
                        self.generation += 1;
                    }
                }
            });
            let load = (text::LOAD, true);
            if path_field(ui, text::IMPORT_PATH, &mut self.import_path, 220.0, load) {
                commands.push(Command::ImportTokens(dialogs::expand_home(&self.import_path)));
            }
            if let Some(message) = &self.import_message {
                message.show(ui);
            }
            if let Some(imported) = &self.imported {
                for problem in imported.parsed.problems().take(3) {
                    notice(ui, "⚠", &problem, p.warning);
                }
            }
            if !state.devices.is_empty() {
                ui.add_space(ITEM_GAP);
                ui.label(RichText::new(text::SAVED).strong());
                let groups: BTreeSet<&str> = state
                    .devices
                    .iter()
                    .map(|d| d.group.as_str())
                    .filter(|g| !g.is_empty())
                    .collect();
                for warning in self.environment_warnings(state) {
                    notice(ui, "⚠", &warning, p.warning);
                }
                ui.horizontal_wrapped(|ui| {
                    for group in groups {
                        let key = group_key(group);
                        let mut on = self.picked.contains(&key);
                        if ui.checkbox(&mut on, format!("Group: {group}")).changed() {
                            toggle(&mut self.picked, key, on);
                            self.generation += 1;
                        }
                    }
                    for device in &state.devices {
                        let key = device_key(&device.name);
                        let mut on = self.picked.contains(&key);
                        if ui.checkbox(&mut on, &device.name).changed() {
                            toggle(&mut self.picked, key, on);
                            self.generation += 1;
                        }
                    }
                });
            }
            ui.add_space(SECTION_GAP);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Notification").color(p.muted));
                ui.label(payload_line);
                if ui.small_button("Edit…").clicked() {
                    commands.push(Command::ShowSection(Section::Compose));
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("To").color(p.muted));
                ui.label(destination);
                if ui.small_button("Change…").clicked() {
                    commands.push(Command::ShowSection(Section::Connection));
                }
            });
            ui.add_space(ITEM_GAP);
            settings_ui(ui, &mut state.batch);
            ui.label(RichText::new(text::SETTINGS_HINT).small().color(p.muted));
            ui.add_space(ITEM_GAP);
            let count = self.recipient_count(state);
            ui.horizontal(|ui| {
                let running = self.running.is_running();
                let label = if count > 0 {
                    format!("{} to {} devices", text::SEND, group_digits(count as u64))
                } else {
                    text::SEND.to_owned()
                };
                let send = ui.add_enabled(
                    !running && count > 0,
                    egui::Button::new(RichText::new(label).strong()),
                );
                send.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, !running && count > 0, text::SEND)
                });
                if send.clicked() {
                    commands.push(Command::StartBatch);
                }
                if running && ui.button(text::CANCEL).clicked() {
                    commands.push(Command::CancelBatch);
                }
            });
            if let Some(error) = &self.error {
                notice(ui, "⚠", error, p.bad);
            }
        });
    }

    fn progress_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        let Some(progress) = self.progress else {
            theme::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(text::SUMMARY).strong());
                ui.label(RichText::new("Results appear here while the batch runs.").color(p.muted));
            });
            return;
        };
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let total = progress.total.unwrap_or(0);
            let fraction = if total > 0 {
                progress.done as f32 / total as f32
            } else {
                0.0
            };
            let running = self.running.is_running();
            let mut line = format!("{} / {}", group_digits(progress.done), group_digits(total));
            if progress.per_second > 0.0 {
                line.push_str(&format!(
                    " · {}/s",
                    group_digits(progress.per_second as u64)
                ));
            }
            if running && let Some(eta) = progress.eta_seconds {
                line.push_str(&format!(" · about {} left", duration_words(eta)));
            }
            ui.add(egui::ProgressBar::new(fraction).text(line));
            if running {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Sending…");
                    if ui.button(text::CANCEL).clicked() {
                        commands.push(Command::CancelBatch);
                    }
                });
            } else if let Some(summary) = &self.summary {
                ui.label(
                    RichText::new(format!(
                        "Finished in {:.1} s over {} connection(s), {} retries.",
                        summary.seconds, summary.connections_opened, summary.retries
                    ))
                    .color(p.muted),
                );
            }
            ui.add_space(ITEM_GAP);
            ui.label(RichText::new(text::SUMMARY).strong());
            ui.horizontal_wrapped(|ui| {
                chip(
                    ui,
                    &format!("{} delivered", group_digits(self.counts.delivered)),
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
                        &format!("{} {}", group_digits(n), outcome.label()),
                        tone,
                    );
                }
            });
            if self.counts.unconfirmed > 0 {
                notice(ui, "⚠", text::UNCONFIRMED_HINT, p.warning);
            }
            if self.counts.wrong_environment_likely() {
                notice(ui, "⚠", text::WRONG_ENVIRONMENT, p.warning);
                ui.horizontal(|ui| {
                    if ui.button(text::PROBE_OTHER).clicked()
                        && let Some(r) = self.results.iter().find(|r| r.is_bad_device_token())
                    {
                        commands.push(Command::ProbeOtherEnvironment(r.token.clone()));
                    }
                });
            } else if self.counts.bad_device_tokens > 0 {
                notice(
                    ui,
                    "ℹ",
                    &format!(
                        "{} {}",
                        group_digits(self.counts.bad_device_tokens),
                        text::BAD_TOKENS_HINT
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
                        text::DEAD,
                        group_digits(self.counts.dead_tokens)
                    ))
                    .strong()
                    .color(p.bad.fg),
                );
                ui.label(RichText::new(text::DEAD_HINT).small().color(p.muted));
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
                        RichText::new("… export the full list below.")
                            .small()
                            .color(p.muted),
                    );
                }
            }
            if !self.results.is_empty() {
                ui.add_space(SECTION_GAP);
                ui.horizontal(|ui| {
                    let label = ui.label(text::EXPORT_WHAT);
                    let before = self.export_kind;
                    let combo = egui::ComboBox::from_id_salt("batch-export-kind")
                        .selected_text(self.export_kind.label())
                        .show_ui(ui, |ui| {
                            for kind in ExportKind::ALL {
                                ui.selectable_value(&mut self.export_kind, kind, kind.label());
                            }
                        })
                        .response;
                    let _ = combo.labelled_by(label.id);
                    if before != self.export_kind {
                        self.export.path = format!("~/{}", self.export_kind.file_name());
                    }
                    if ui.button(text::EXPORT).clicked() {
                        commands.push(Command::PickBatchExportPath(self.export_kind));
                    }
                });
                let save = (text::SAVE_TO_PATH, true);
                if path_field(ui, text::EXPORT_PATH, &mut self.export.path, 220.0, save) {
                    commands.push(Command::ExportBatch {
                        kind: self.export_kind,
                        path: dialogs::expand_home(&self.export.path),
                        overwrite: false,
                    });
                }
                if let Some((path, kind)) = self.export.show(ui) {
                    commands.push(Command::ExportBatch {
                        kind,
                        path,
                        overwrite: true,
                    });
                }
            }
        });
    }
}

/// Connections and pushes in flight, each named by its label.
fn settings_ui(ui: &mut egui::Ui, settings: &mut BatchSettings) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(text::CONNECTIONS);
        ui.add(egui::DragValue::new(&mut settings.connections).range(BatchSettings::CONNECTIONS))
            .labelled_by(label.id);
        ui.add_space(SECTION_GAP);
        let label = ui.label(text::IN_FLIGHT);
        ui.add(
            egui::DragValue::new(&mut settings.max_in_flight).range(BatchSettings::MAX_IN_FLIGHT),
        )
        .labelled_by(label.id);
        ui.add_space(SECTION_GAP);
        ui.checkbox(&mut settings.resend_unconfirmed, text::RESEND_UNCONFIRMED)
            .on_hover_text(text::RESEND_UNCONFIRMED_HINT);
    });
}

fn toggle(set: &mut BTreeSet<String>, key: String, on: bool) {
    if on {
        set.insert(key);
    } else {
        set.remove(&key);
    }
}

fn device_key(name: &str) -> String {
    format!("device:{name}")
}

fn group_key(group: &str) -> String {
    format!("group:{group}")
}

fn short_token(token: &str) -> String {
    if token.len() > 16 {
        format!("{}…{}", &token[..8], &token[token.len() - 8..])
    } else {
        token.to_owned()
    }
}

fn duration_words(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    }
}

/// Results as CSV, one row per token.
fn csv(results: &[TokenResult]) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = String::from(
        "index,line,token,name,outcome,status,reason,apns_id,apns_unique_id,latency_ms,attempts,dead_token,error\n",
    );
    for r in results {
        let outcome = r.outcome.as_str();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.index,
            r.line.map(|l| l.to_string()).unwrap_or_default(),
            quote(&r.token),
            quote(r.name.as_deref().unwrap_or("")),
            outcome,
            r.status.map(|s| s.to_string()).unwrap_or_default(),
            quote(r.reason.as_deref().unwrap_or("")),
            r.apns_id.as_deref().unwrap_or(""),
            r.apns_unique_id.as_deref().unwrap_or(""),
            r.latency_ms.map(|l| format!("{l:.1}")).unwrap_or_default(),
            r.attempts,
            r.is_dead_token(),
            quote(r.error.as_deref().unwrap_or("")),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lines_in_every_shape() {
        let t = "ab".repeat(32);
        let text =
            format!("# comment\n{t}\n{t} Alice's iPhone\nBob's iPad,{t}\n<{t}>\nnot a token\n\n");
        let parsed = parse_tokens(text.as_bytes());
        assert_eq!(parsed.recipients.len(), 4);
        assert_eq!(parsed.recipients[1].name.as_deref(), Some("Alice's iPhone"));
        assert_eq!(parsed.recipients[2].name.as_deref(), Some("Bob's iPad"));
        assert_eq!(parsed.invalid.len(), 1);
        assert!(parsed.problems().next().unwrap().starts_with("line 6"));
    }

    #[test]
    fn csv_quotes_names() {
        let r = TokenResult {
            index: 0,
            line: None,
            token: "ab".into(),
            name: Some("Alice, \"home\"".into()),
            outcome: Outcome::Rejected,
            status: Some(410),
            reason: Some("Unregistered".into()),
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: Some(1.25),
            attempts: 1,
            error: None,
        };
        let text = csv(&[r]);
        assert!(text.contains("\"Alice, \"\"home\"\"\""));
        assert!(text.contains(",410,Unregistered,"));
        assert!(text.contains(",true,"));
    }
}
