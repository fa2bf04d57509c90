//! The batch job: sending on the worker, results and progress shared while it runs, cancel,
//! and the History entry it leaves.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::resume::{self, AppBatch, Interrupted};
use super::{BatchPanel, Recipients};
use crate::apns::Notification;
use crate::client::{
    BatchEvent, BatchInput, BatchItem, BatchJournal, BatchOptions, BatchSummary, CancelFlag,
    Outcome, TokenResult, send_batch_journaled,
};
use crate::gui::Failure;
use crate::gui::connection::Plan;
use crate::gui::i18n::msg;
use crate::gui::made_with::ResultOrigin;
use crate::gui::state::{BATCH_SAMPLE, BatchProblem, BatchRecord, Draft, HistoryEntry, State};
use crate::gui::worker::Worker;

/// Delivered results listed in the table; the rest are counted, not kept, so a batch of
/// millions does not keep millions of rows (a row is about half a kilobyte). The CLI's
/// `--json` streams every result.
pub(super) const LISTED_DELIVERED: u64 = 100_000;
/// All results listed, whatever their outcome; past it every result is only counted.
pub(super) const LISTED_MAX: u64 = 250_000;
/// How often the running batch's chart points are copied for drawing.
const TIMELINE_EVERY: std::time::Duration = std::time::Duration::from_millis(250);
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
    summary: BatchSummary,
    left: Option<Interrupted>,
}

impl BatchPanel {
    /// Starts sending `template` (its token replaced) to every recipient.
    pub fn start(
        &mut self,
        recipients: Recipients,
        draft: &Draft,
        template: Result<(Notification, Plan), String>,
        options: BatchOptions,
        worker: &Worker,
        ctx: &egui::Context,
    ) {
        if recipients.count == 0 && recipients.invalid.is_empty() {
            self.error = Some(msg::batch_add_tokens_first());
            return;
        }
        let total = (recipients.count + recipients.invalid.len()) as u64;
        self.launch(
            Source::Fresh(recipients),
            total,
            draft,
            template,
            options,
            worker,
            ctx,
        );
    }

    /// Sends what the interrupted batch shown first left unsent, with the notification it was
    /// begun with (`template` is built from its draft) and only along the same route.
    pub fn resume(
        &mut self,
        template: Result<(Notification, Plan), String>,
        options: BatchOptions,
        worker: &Worker,
        ctx: &egui::Context,
    ) {
        if self.running.is_running() || self.interrupted.is_empty() {
            return;
        }
        if let Ok((_, plan)) = &template
            && plan.made_with().id.as_str() != self.interrupted[0].batch.route
        {
            self.error = Some(msg::batch_resume_other_route(
                self.interrupted[0].batch.credential.clone(),
            ));
            return;
        }
        let interrupted = self.interrupted.remove(0);
        let total = interrupted.batch.total;
        let draft = interrupted.batch.draft.clone();
        self.launch(
            Source::Resumed(Box::new(interrupted)),
            total,
            &draft,
            template,
            options,
            worker,
            ctx,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn launch(
        &mut self,
        source: Source,
        total: u64,
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
                if let Source::Resumed(interrupted) = source {
                    self.interrupted.insert(0, *interrupted);
                }
                return;
            }
        };
        self.error = None;
        // The same digest the screen compares with (the notification and the recipients):
        // anything else marks every finished batch as made with something else.
        self.origin = Some(ResultOrigin::new(
            plan.made_with(),
            self.inputs_digest(draft),
        ));
        // The listed rows' room is taken now: grown as results stream in, the vector would
        // be copied (tens of megabytes at 100,000 rows) in the middle of a frame. Pages are
        // only touched as rows arrive.
        let listed = usize::try_from(total.min(LISTED_MAX)).unwrap_or(usize::MAX);
        self.results = Vec::with_capacity(listed);
        self.view = Vec::with_capacity(listed);
        self.counts = BatchSummary::default();
        self.unlisted = 0;
        self.summary = None;
        self.view_key = None;
        self.started = Some(Instant::now());
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let kept_draft = Draft {
            token: String::new(),
            ..draft.clone()
        };
        let journal = match &source {
            Source::Fresh(_) => self.journal_dir.clone().map(|dir| {
                (
                    dir,
                    AppBatch {
                        draft: kept_draft.clone(),
                        route: plan.made_with().id.as_str().to_owned(),
                        credential: plan.credential_label.clone(),
                        total,
                        started: now,
                    },
                )
            }),
            Source::Resumed(_) => None,
        };
        self.pending = Some(HistoryEntry {
            time: now,
            destination: crate::gui::i18n::destination(&plan.target),
            credential: plan.credential_name.clone(),
            device: Some(msg::batch_history_device(total)),
            draft: kept_draft,
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
        let live = Arc::new(Mutex::new(Live {
            started: Some(Instant::now()),
            ..Live::default()
        }));
        self.timeline = Vec::new();
        self.timeline_taken = None;
        self.live = live.clone();
        self.cancel = CancelFlag::default();
        let cancel = self.cancel.clone();
        let ctx = ctx.clone();
        self.running = worker.run_async(move |_| async move {
            let target = plan.target().await?;
            let (tx, rx) = tokio::sync::mpsc::channel::<BatchEvent>(4096);
            let forward = tokio::spawn(forward_events(live.clone(), rx, ctx));
            let (inputs, mut journal) = inputs_of(source, journal, template, &live)?;
            let summary = send_batch_journaled(
                &target,
                &plan.auth,
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

    pub fn cancel(&mut self) {
        self.cancel.cancel();
    }

    pub(super) fn poll_job(&mut self, state: &mut State) {
        self.take_live();
        if self.running.poll() {
            // Results that arrived after this frame's first look.
            self.take_live();
            let finished = self
                .running
                .take_finished()
                .map(|r| r.map_err(|e| e.text()));
            let finished = finished.map(|r| {
                r.map(|Finished { summary, left }| {
                    if let Some(left) = left {
                        self.interrupted.insert(0, left);
                    }
                    summary
                })
            });
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
            // The last rows join the view through its incremental rebuild (no longer held
            // back once the batch is over); a full rebuild would re-sort every row in one
            // frame.
        }
    }

    fn take_live(&mut self) {
        if let Ok(mut live) = self.live.lock() {
            if !live.results.is_empty() || live.unlisted != self.unlisted {
                self.results.append(&mut live.results);
                self.counts = live.counts.clone();
                self.unlisted = live.unlisted;
            }
            if let Some(p) = live.progress {
                self.progress = Some(p);
            }
            // The charts' points, a few times a second (copying them every frame of a long
            // batch would cost more than drawing).
            let due = self
                .timeline_taken
                .is_none_or(|t| t.elapsed() >= TIMELINE_EVERY);
            if due || !self.running.is_running() {
                self.timeline = crate::gui::charts::points_of(&live.timeline, LIVE_POINTS);
                self.timeline_taken = Some(Instant::now());
            }
            if let Some(e) = live.journal_problem.take() {
                self.journal_problem = Some(e);
            }
            if let Some(e) = live.connect_errors.pop() {
                self.error = Some(msg::batch_connect_retrying(e.to_string()));
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
                token: r.token.to_string(),
                name: r.name.clone(),
                reason: r
                    .reason
                    .as_ref()
                    .map(ToString::to_string)
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
        if let Ok(live) = self.live.lock() {
            record.timeline =
                crate::gui::charts::points_of(&live.timeline, crate::gui::charts::KEPT_POINTS);
        }
        entry.batch = Some(record);
        entry
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
    Failure,
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
                .map_err(|e| Failure::from(format!("{}: {e}", files.journal.display())))?;
            let inputs = resume::resumed_inputs(*interrupted, template)
                .map_err(|e| Failure::from(e.to_string()))?;
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
        ctx.request_repaint();
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
