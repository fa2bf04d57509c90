//! The batch job: sending on the worker, results and progress shared while it runs, cancel,
//! and the History entry it leaves.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::Recipients;
use super::chart_card::ChartTimeline;
use super::resume::{self, AppBatch, Interrupted};
use super::summary::Results;
use crate::apns::Notification;
use crate::client::{
    BatchEvent, BatchInput, BatchItem, BatchJournal, BatchOptions, BatchSummary, CancelFlag,
    Outcome, TokenResult, send_batch_journaled,
};
use crate::gui::JobError;
use crate::gui::connection::Plan;
use crate::gui::i18n::msg;
use crate::gui::state::{BATCH_SAMPLE, BatchProblem, BatchRecord, Draft, HistoryEntry};
use crate::gui::worker::{Task, Worker};

/// Delivered results listed in the table; the rest are counted, not kept, so a batch of
/// millions does not keep millions of rows (a row is about half a kilobyte). The CLI's
/// `--json` streams every result.
pub(super) const LISTED_DELIVERED: u64 = 100_000;
/// All results listed, whatever their outcome; past it every result is only counted.
pub(super) const LISTED_MAX: u64 = 250_000;
/// How often the running batch's chart points are copied for drawing.
const TIMELINE_EVERY: std::time::Duration = std::time::Duration::from_millis(250);
/// While a batch sends, its figures change thousands of times a second, and each bunch of
/// them used to ask for a frame at once (about 50 a second under Xvfb). Now it asks for one
/// within this long: at most 30 a second, more than a person reads, and each frame's Xvfb
/// round trips and software rendering wait less for the previous one's. Input and the
/// batch's end still repaint at once.
pub(super) const LIVE_FRAME: std::time::Duration = std::time::Duration::from_millis(33);
/// Points drawn live: one per 2 px of a chart about 400 px wide. More only cost frame time
/// during a long batch (each chart's lines and filled areas are tessellated every frame).
const LIVE_POINTS: usize = 200;

/// What the batch job shares with the screen while it runs.
#[derive(Default)]
pub(super) struct Live {
    /// Listed results not yet taken by the screen.
    results: Vec<TokenResult>,
    /// Every result, listed or not, counted here as it arrives (so a window that draws no
    /// frames meanwhile, minimised say, does not make this grow).
    counts: BatchSummary,
    listed: u64,
    listed_delivered: u64,
    unlisted: u64,
    progress: Option<Progress>,
    connect_errors: Vec<String>,
    /// Why the batch keeps no journal (it cannot be resumed if interrupted).
    journal_problem: Option<String>,
    /// Every result by when it arrived, for the charts.
    timeline: crate::client::Timeline,
    started: Option<Instant>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Progress {
    pub(super) done: u64,
    pub(super) total: Option<u64>,
    pub(super) per_second: f64,
    pub(super) eta_seconds: Option<f64>,
}

impl Live {
    /// Counts a result and lists it while the listing has room.
    fn accept(&mut self, r: TokenResult) {
        self.counts.record(&r);
        let at = self.started.get_or_insert_with(Instant::now).elapsed();
        self.timeline.record(at.as_secs_f64(), &r);
        let delivered = r.outcome == Outcome::Delivered;
        if self.listed >= LISTED_MAX || (delivered && self.listed_delivered >= LISTED_DELIVERED) {
            self.unlisted += 1;
            return;
        }
        self.listed += 1;
        self.listed_delivered += u64::from(delivered);
        self.results.push(r);
    }
}

/// Where a batch's entries come from.
pub(super) enum Source {
    /// Recipients and invalid lines, as the screen has them now.
    Fresh(Recipients),
    /// What an interrupted batch left to send.
    Resumed(Box<Interrupted>),
}

/// A batch that ended: its summary, and what is left of it to resume (cancelled, or not every
/// push sent) when it kept a journal.
pub(super) struct Finished {
    pub(super) summary: BatchSummary,
    pub(super) left: Option<Interrupted>,
}

/// The running (or last) batch job: the task on the worker, what it shares while it runs,
/// its cancel flag and progress, and the History entry it will finish.
#[derive(Default)]
pub(super) struct Job {
    running: Task<Finished, JobError>,
    /// The History entry of the running batch, finished when it ends.
    pending: Option<HistoryEntry>,
    live: Arc<Mutex<Live>>,
    cancel: CancelFlag,
    progress: Option<Progress>,
    started: Option<Instant>,
    /// Why the running batch keeps no journal.
    journal_problem: Option<String>,
}

/// What a job sends, where and how.
pub(super) struct Sending {
    pub(super) source: Source,
    pub(super) total: u64,
    /// Where a fresh batch's journal goes, and what the app keeps beside it.
    pub(super) journal: Option<(std::path::PathBuf, AppBatch)>,
    pub(super) template: Notification,
    pub(super) plan: Plan,
    pub(super) options: BatchOptions,
}

impl Job {
    pub(super) fn is_running(&self) -> bool {
        self.running.is_running()
    }

    pub(super) fn cancel(&self) {
        self.cancel.cancel();
    }

    pub(super) fn progress(&self) -> Option<Progress> {
        self.progress
    }

    /// When the running or last batch began.
    pub(super) fn started(&self) -> Option<Instant> {
        self.started
    }

    /// True on the frame the job ends.
    pub(super) fn poll(&mut self) -> bool {
        self.running.poll()
    }

    /// How the job ended (its failure in words), once.
    pub(super) fn take_finished(&mut self) -> Option<Result<Finished, String>> {
        self.running
            .take_finished()
            .map(|r| r.map_err(|e| e.text()))
    }

    /// The History entry of the job that ended, once.
    pub(super) fn take_pending(&mut self) -> Option<HistoryEntry> {
        self.pending.take()
    }

    /// Why the running batch keeps no journal, if it keeps none.
    pub(super) fn journal_problem(&self) -> Option<&str> {
        self.journal_problem.as_deref()
    }

    /// Starts `sending` on the worker; `pending` goes to History when it ends.
    pub(super) fn run(
        &mut self,
        sending: Sending,
        pending: HistoryEntry,
        worker: &Worker,
        ctx: &egui::Context,
    ) {
        let Sending {
            source,
            total,
            journal,
            template,
            plan,
            options,
        } = sending;
        self.started = Some(Instant::now());
        self.pending = Some(pending);
        self.progress = Some(Progress {
            done: 0,
            total: Some(total),
            per_second: 0.0,
            eta_seconds: None,
        });
        let live = Arc::new(Mutex::new(Live {
            started: Some(Instant::now()),
            ..Live::default()
        }));
        self.live = live.clone();
        self.cancel = CancelFlag::default();
        let cancel = self.cancel.clone();
        let ctx = ctx.clone();
        // Alone: see `Worker::run_async_alone`.
        self.running = worker.run_async_alone(move |_| async move {
            let target = plan.target().await?;
            let (tx, rx) = tokio::sync::mpsc::channel::<BatchEvent>(4096);
            let forward = tokio::spawn(forward_events(live.clone(), rx, ctx));
            let (inputs, mut journal) = inputs_of(source, journal, template, &live)?;
            let summary = send_batch_journaled(
                &target,
                &plan.route.auth,
                inputs,
                Some(total),
                &options,
                tx,
                cancel.clone(),
                journal.as_mut().map(|(_, j)| j),
            )
            .await;
            let _ = forward.await;
            let left = journal.and_then(|(files, journal)| {
                let complete = journal.failure().is_none();
                drop(journal);
                if complete && summary.not_sent == 0 && !cancel.is_cancelled() {
                    let _ = files.remove();
                    None
                } else {
                    resume::read_interrupted(files)
                }
            });
            Ok(Finished { summary, left })
        });
    }

    /// Moves what the job shared since the last look into `results` and `chart`; the last
    /// connection error, if the engine is retrying one.
    pub(super) fn take_live(
        &mut self,
        results: &mut Results,
        chart: &mut ChartTimeline,
    ) -> Option<String> {
        let running = self.running.is_running();
        let Ok(mut live) = self.live.lock() else {
            return None;
        };
        let live = &mut *live;
        results.take(&mut live.results, &live.counts, live.unlisted);
        if let Some(p) = live.progress {
            self.progress = Some(p);
        }
        // The charts' points, a few times a second (copying them every frame of a long
        // batch would cost more than drawing).
        if chart.due(TIMELINE_EVERY) || !running {
            chart.set(crate::gui::charts::points_of(&live.timeline, LIVE_POINTS));
        }
        if let Some(e) = live.journal_problem.take() {
            self.journal_problem = Some(e);
        }
        let error = live.connect_errors.pop();
        if error.is_some() {
            live.connect_errors.clear();
        }
        error
    }

    /// The History entry of a finished (or cancelled) batch: counts and a short sample of
    /// the tokens that were not delivered.
    pub(super) fn history_entry(
        &self,
        mut entry: HistoryEntry,
        finished: Result<BatchSummary, String>,
        results: &Results,
    ) -> HistoryEntry {
        let mut record = entry.batch.take().unwrap_or_default();
        record.cancelled = self.cancel.is_cancelled();
        record.problems = results
            .listed()
            .iter()
            .filter(|r| r.outcome != Outcome::Delivered)
            .take(BATCH_SAMPLE)
            .map(problem)
            .collect();
        match finished {
            Ok(summary) => record.count(&summary),
            Err(e) => {
                record.count(results.counts());
                entry.error = Some(e);
            }
        }
        if let Ok(live) = self.live.lock() {
            record.timeline =
                crate::gui::charts::points_of(&live.timeline, crate::gui::charts::KEPT_POINTS);
        }
        entry.batch = Some(record);
        entry
    }
}

/// A result that was not delivered, as History keeps it.
fn problem(r: &TokenResult) -> BatchProblem {
    let why = crate::gui::state::ProblemWhy::of(r);
    BatchProblem {
        token: r.token.to_string(),
        name: r.name.clone(),
        // Words only where there is no typed value to word when shown: then the result has
        // an error (a stop's or a list's words), and no reason or status.
        reason: match &why {
            Some(_) => String::new(),
            None => r
                .error
                .as_ref()
                .map(crate::gui::i18n::result_error)
                .unwrap_or_default(),
        },
        why,
    }
}

/// The History entry a batch begins with, its counts filled in when it ends. `invalid` of the
/// `total` entries are lines that are not tokens (known now for a fresh batch): not devices.
pub(super) fn pending_entry(
    time: i64,
    plan: &Plan,
    template: &Notification,
    draft: Draft,
    (total, invalid): (u64, u64),
) -> HistoryEntry {
    HistoryEntry {
        time,
        destination: crate::gui::i18n::destination(&plan.route.target),
        route: Some(plan.route.target.label.clone()),
        credential: plan.credential_name.clone(),
        device: Some(msg::batch_history_device(total.saturating_sub(invalid))),
        draft,
        topic: template.topic.clone(),
        batch: Some(BatchRecord {
            total,
            invalid_input: invalid,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Pushes in the engine's order, and the journal they are recorded in: a fresh batch's
/// recipients merged (off the UI thread: a million tokens take a while to de-duplicate) with
/// a new journal, or what an interrupted one left with its journal continued. A journal that
/// cannot be started is said on screen and the batch goes on without one.
#[allow(clippy::type_complexity)]
fn inputs_of(
    source: Source,
    journal: Option<(std::path::PathBuf, AppBatch)>,
    template: Notification,
    live: &Mutex<Live>,
) -> Result<
    (
        Box<dyn Iterator<Item = BatchInput> + Send>,
        Option<(resume::JournalFiles, BatchJournal)>,
    ),
    JobError,
> {
    Ok(match source {
        Source::Fresh(Recipients {
            recipients,
            invalid,
            ..
        }) => {
            let merged = recipients.merge();
            let journal = journal.and_then(|(dir, batch)| {
                match resume::begin(&dir, &batch, &invalid, &merged) {
                    Ok(j) => Some(j),
                    Err(e) => {
                        if let Ok(mut live) = live.lock() {
                            live.journal_problem = Some(e.to_string());
                        }
                        None
                    }
                }
            });
            let pushes = merged.into_iter().map(move |r| {
                BatchInput::Push(BatchItem {
                    notification: Notification {
                        token: r.token,
                        ..template.clone()
                    },
                    name: r.name,
                    line: r.line,
                })
            });
            let inputs = invalid.into_iter().map(BatchInput::Invalid).chain(pushes);
            (
                Box::new(inputs) as Box<dyn Iterator<Item = _> + Send>,
                journal,
            )
        }
        Source::Resumed(interrupted) => {
            let files = interrupted.files.clone();
            let appended = BatchJournal::append(&files.journal)
                .map_err(|e| JobError::from(format!("{}: {e}", files.journal.display())))?;
            let inputs = resume::resumed_inputs(*interrupted, template)
                .map_err(|e| JobError::from(e.to_string()))?;
            (
                Box::new(inputs) as Box<dyn Iterator<Item = _> + Send>,
                Some((files, appended)),
            )
        }
    })
}

/// Moves the engine's events into what the screen reads, waking it after each bunch.
async fn forward_events(
    live: Arc<Mutex<Live>>,
    mut rx: tokio::sync::mpsc::Receiver<BatchEvent>,
    ctx: egui::Context,
) {
    let mut buffer = Vec::with_capacity(1024);
    while rx.recv_many(&mut buffer, 1024).await > 0 {
        if let Ok(mut live) = live.lock() {
            for event in buffer.drain(..) {
                match event {
                    BatchEvent::Result(r) => live.accept(r),
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
        ctx.request_repaint_after(LIVE_FRAME);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ResultToken;

    fn result(index: u64, outcome: Outcome) -> TokenResult {
        TokenResult {
            index,
            line: None,
            token: ResultToken::Unparsed(String::new()),
            name: None,
            outcome,
            status: Some(if outcome == Outcome::Delivered {
                200
            } else {
                410
            }),
            reason: None,
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: None,
            attempts: 1,
            error: None,
        }
    }

    #[test]
    fn the_listing_is_bounded_and_the_counts_are_not() {
        let mut live = Live::default();
        let extra = 10;
        for i in 0..LISTED_DELIVERED + extra {
            live.accept(result(i, Outcome::Delivered));
        }
        // Refusals still listed after the delivered cap: they are what the user acts on.
        for i in 0..5 {
            live.accept(result(LISTED_DELIVERED + extra + i, Outcome::Rejected));
        }
        assert_eq!(live.results.len() as u64, LISTED_DELIVERED + 5);
        assert_eq!(live.unlisted, extra);
        assert_eq!(live.counts.delivered, LISTED_DELIVERED + extra);
        assert_eq!(live.counts.rejected, 5);
        assert_eq!(live.counts.total, LISTED_DELIVERED + extra + 5);

        // Past the overall cap, nothing more is listed.
        let mut live = Live::default();
        for i in 0..LISTED_MAX + 3 {
            live.accept(result(i, Outcome::Rejected));
        }
        assert_eq!((live.results.len() as u64, live.unlisted), (LISTED_MAX, 3));
    }
}
