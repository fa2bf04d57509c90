//! The screen's side of a batch job: starting one for the recipients entered or for an
//! interrupted batch, cancelling it, and picking up what it shares and leaves behind.

use super::job::{Finished, LISTED_MAX, Sending, Source, pending_entry};
use super::resume::AppBatch;
use super::{BatchPanel, Recipients};
use crate::apns::Notification;
use crate::client::BatchOptions;
use crate::gui::connection::Plan;
use crate::gui::i18n::msg;
use crate::gui::made_with::ResultOrigin;
use crate::gui::state::{Draft, State};
use crate::gui::worker::Worker;

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
        if self.job.is_running() {
            return;
        }
        let Some(first) = self.resume.first() else {
            return;
        };
        if let Ok((_, plan)) = &template
            && plan.made_with().id.as_str() != first.batch.route
        {
            self.error = Some(msg::batch_resume_other_route(
                first.batch.credential.clone(),
            ));
            return;
        }
        let Some(interrupted) = self.resume.take_first() else {
            return;
        };
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
                    self.resume.offer(*interrupted);
                }
                return;
            }
        };
        self.error = None;
        // The same digest the screen compares with (the notification and the recipients):
        // anything else marks every finished batch as made with something else.
        let origin = ResultOrigin::new(plan.made_with(), self.inputs_digest(draft));
        // The listed rows' room is taken now: grown as results stream in, the vector would
        // be copied (tens of megabytes at 100,000 rows) in the middle of a frame. Pages are
        // only touched as rows arrive.
        let listed = usize::try_from(total.min(LISTED_MAX)).unwrap_or(usize::MAX);
        let over_certificate =
            (matches!(plan.route.auth, crate::client::ClientAuth::Certificate(_))
                && !draft.push_type.works_with_certificate())
            .then_some(draft.push_type);
        self.results.begin(listed, origin, over_certificate);
        self.table.begin(listed);
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let kept_draft = Draft {
            token: String::new(),
            ..draft.clone()
        };
        let journal = match &source {
            Source::Fresh(_) => self.resume.journal_dir().map(|dir| {
                (
                    dir.to_owned(),
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
        let invalid = match &source {
            Source::Fresh(recipients) => recipients.invalid.len() as u64,
            // Counted when it ends, from the journal's results.
            Source::Resumed(_) => 0,
        };
        let pending = pending_entry(now, &plan, &template, kept_draft, (total, invalid));
        self.chart.clear();
        let sending = Sending {
            source,
            total,
            journal,
            template,
            plan,
            options,
        };
        self.job.run(sending, pending, worker, ctx);
    }

    /// Stops the running batch: nothing more is sent.
    pub fn cancel(&mut self) {
        self.job.cancel();
    }

    pub(super) fn poll_job(&mut self, state: &mut State) {
        self.take_live();
        if !self.job.poll() {
            return;
        }
        // Results that arrived after this frame's first look.
        self.take_live();
        let finished = self.job.take_finished().map(|r| {
            r.map(|Finished { summary, left }| {
                if let Some(left) = left {
                    self.resume.offer(left);
                }
                summary
            })
        });
        match &finished {
            Some(Ok(summary)) => {
                if summary.total > 0 && summary.delivered + summary.rejected > 0 {
                    self.error = None;
                }
                self.results.finish(summary.clone());
            }
            Some(Err(e)) => self.error = Some(e.clone()),
            None => {}
        }
        if let (Some(entry), Some(finished)) = (self.job.take_pending(), finished) {
            state.remember(self.job.history_entry(entry, finished, &self.results));
        }
        // The last rows join the view through its incremental rebuild (no longer held
        // back once the batch is over); a full rebuild would re-sort every row in one
        // frame.
    }

    fn take_live(&mut self) {
        if let Some(e) = self.job.take_live(&mut self.results, &mut self.chart) {
            self.error = Some(msg::batch_connect_retrying(e.to_string()));
        }
    }
}
