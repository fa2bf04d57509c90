//! The Channels screen (iOS 18 broadcast channels): create, list, read and delete an app's
//! channels and broadcast a Live Activity update on one, through the credential and
//! destination chosen on Connection. Requests run on the worker; `view` draws the screen.
//! With the embedded simulator, devices are subscribed to a channel here too.

mod view;

pub use view::ChannelsContext;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::apns::{
    Broadcast, BundleId, ChannelConfig, ChannelId, ChannelRequest, DeviceToken,
    MessageStoragePolicy,
};
use crate::client::{BroadcastResponse, ChannelResponse, Connection, Target};
use crate::gui::connection::Plan;
use crate::gui::i18n::channel_id_error;
use crate::gui::worker::{Task, Worker};
use crate::gui::{JobError, Sending};
use crate::sim::DeviceRegistry;

/// What the user asked of the channel API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelAction {
    /// Create a channel for the app, with the screen's storage policy.
    Create,
    /// List the app's channels.
    List,
    /// Read one channel's settings.
    Read(ChannelId),
    /// Asked from the list; runs once confirmed.
    Delete(ChannelId),
    /// Send the screen's broadcast on its channel.
    Broadcast,
}

/// Which card an answer belongs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AnswerPlace {
    App,
    List,
    Broadcast,
}

/// A finished request.
#[derive(Debug, Clone)]
pub enum JobDone {
    /// The channel API answered a management request.
    Managed {
        /// What was asked.
        request: ChannelRequest,
        /// What the request did, and the id Apple asks for when reporting a problem.
        response: ChannelResponse,
    },
    /// APNs answered a broadcast.
    Broadcast {
        /// The channel it went to.
        channel: ChannelId,
        /// Accepted, or refused with a reason.
        response: BroadcastResponse,
        /// With the embedded simulator: how many subscribed devices it had then.
        subscribers: Option<usize>,
    },
}

/// The Channels screen.
pub struct ChannelsPanel {
    /// The app whose channels these are; empty: the plan's bundle id.
    pub bundle: String,
    /// Whether APNs keeps the latest broadcast for a device that is offline, for a channel created
    /// here.
    pub policy: MessageStoragePolicy,
    /// Channels as last listed (or created here), with their settings once read.
    known: BTreeMap<ChannelId, Option<ChannelConfig>>,
    /// The channel a broadcast goes to, as typed or picked.
    pub channel: String,
    /// The broadcast's Live Activity payload (JSON), checked before it is sent.
    pub payload: String,
    /// The broadcast's `apns-priority`: 10, 5 or 1 (Apple budgets 10).
    pub priority: u8,
    /// Stamp each broadcast's `timestamp` with the time it is sent.
    pub stamp_now: bool,
    /// The last timestamp broadcast: the next is newer, so two within a second both count.
    last_stamp: i64,
    /// A device token to subscribe in the embedded simulator.
    pub subscribe_token: String,
    job: Task<JobDone, JobError>,
    last: Option<Result<JobDone, JobError>>,
    /// The card whose button asked for `last`: the answer is drawn there, next to it.
    last_from: AnswerPlace,
    /// A delete waiting for the user's yes.
    confirm_delete: Option<ChannelId>,
    /// The outcome of the last subscription change, for the screen.
    subscribed: Option<Result<(ChannelId, usize), String>>,
}

impl Default for ChannelsPanel {
    fn default() -> Self {
        ChannelsPanel {
            bundle: String::new(),
            policy: MessageStoragePolicy::NoStorage,
            known: BTreeMap::new(),
            channel: String::new(),
            payload: update_template(),
            stamp_now: true,
            last_stamp: 0,
            // Apple budgets priority 10 Live Activity updates; 5 is its advice for frequent
            // ones, which is what a channel usually carries.
            priority: 5,
            subscribe_token: String::new(),
            job: Task::default(),
            last: None,
            last_from: AnswerPlace::App,
            confirm_delete: None,
            subscribed: None,
        }
    }
}

/// A Live Activity update with this moment's timestamp, ready to edit.
fn update_template() -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut push = crate::apns::LiveActivityPush::new(crate::apns::LiveActivityEvent::Update, now);
    push.content_state.insert("home".into(), 1.into());
    push.content_state.insert("away".into(), 0.into());
    serde_json::to_string_pretty(&push.to_json()).unwrap_or_default()
}

impl ChannelsPanel {
    /// A request or broadcast is on its way: the screen's buttons wait.
    pub fn is_busy(&self) -> bool {
        self.job.is_running()
    }

    /// The channels the screen knows of, with their settings once read.
    pub fn known(&self) -> impl Iterator<Item = (&ChannelId, Option<&ChannelConfig>)> {
        self.known.iter().map(|(k, v)| (k, v.as_ref()))
    }

    /// The last answer, or why there was none.
    pub fn last(&self) -> Option<&Result<JobDone, JobError>> {
        self.last.as_ref()
    }

    /// The app to use: typed here, else the plan's.
    fn bundle_for(&self, plan: &Plan) -> Result<BundleId, JobError> {
        let typed = self.bundle.trim();
        let text = if typed.is_empty() {
            plan.route.bundle_id.clone().unwrap_or_default()
        } else {
            typed.to_owned()
        };
        let bundle = BundleId::parse(&text)
            .map_err(|e| JobError::message(crate::gui::i18n::header_error(&e)))?;
        crate::apns::check_channel_bundle(&bundle).map_err(JobError::Channel)?;
        Ok(bundle)
    }

    /// Starts `action` with `plan`; `manage` is where management requests go (Apple's
    /// management host, or the plan's own server), `registry` the embedded simulator's.
    pub fn start(
        &mut self,
        action: ChannelAction,
        plan: Result<Plan, String>,
        manage: Option<Target>,
        registry: Option<Arc<DeviceRegistry>>,
        worker: &Worker,
    ) {
        if let ChannelAction::Delete(id) = &action
            && self.confirm_delete.as_ref() != Some(id)
        {
            self.confirm_delete = Some(id.clone());
            return;
        }
        self.confirm_delete = None;
        self.last_from = match action {
            ChannelAction::Create | ChannelAction::List => AnswerPlace::App,
            ChannelAction::Read(_) | ChannelAction::Delete(_) => AnswerPlace::List,
            ChannelAction::Broadcast => AnswerPlace::Broadcast,
        };
        let prepared = plan
            .map_err(JobError::Message)
            .and_then(|plan| Ok((self.bundle_for(&plan)?, plan)));
        let (bundle, plan) = match prepared {
            Ok(p) => p,
            Err(e) => {
                self.last = Some(Err(e));
                return;
            }
        };
        let work = match action {
            ChannelAction::Create => Work::Manage(ChannelRequest::Create(self.policy)),
            ChannelAction::List => Work::Manage(ChannelRequest::ListAll),
            ChannelAction::Read(id) => Work::Manage(ChannelRequest::Read(id)),
            ChannelAction::Delete(id) => Work::Manage(ChannelRequest::Delete(id)),
            ChannelAction::Broadcast => {
                self.stamp();
                match self.broadcast(bundle.clone()) {
                    Ok(b) => Work::Broadcast(Box::new(b)),
                    Err(e) => {
                        self.last = Some(Err(e));
                        return;
                    }
                }
            }
        };
        self.last = None;
        self.job = worker.run_async(move |_| async move {
            let mut target = plan.target().await?;
            if let (Work::Manage(_), Some(manage)) = (&work, manage) {
                let roots = std::mem::take(&mut target.extra_roots);
                target = Target {
                    extra_roots: roots,
                    proxy: target.proxy.clone(),
                    ..manage
                };
            }
            let conn = Connection::open(&target, &plan.route.auth, Duration::from_secs(10))
                .await
                .map_err(|e| JobError::Connect {
                    sending: Sending::Channels,
                    error: e.to_string(),
                })?;
            match work {
                Work::Manage(request) => {
                    let response = conn
                        .manage_channel(&bundle, &request, None)
                        .await
                        .map_err(unanswered)?;
                    Ok(JobDone::Managed { request, response })
                }
                Work::Broadcast(b) => {
                    let response = conn.broadcast(&b).await.map_err(unanswered)?;
                    let subscribers = registry.map(|r| r.subscribers(&b.channel).len());
                    Ok(JobDone::Broadcast {
                        channel: b.channel,
                        response,
                        subscribers,
                    })
                }
            }
        });
    }

    /// Sets the payload's `timestamp` to now (or one past the last broadcast): every device on
    /// the channel ignores an update older than the one it has, so a broadcast sent again with
    /// an old timestamp would change nothing anywhere, and two of one second would be kept in
    /// whatever order they arrived. A payload that does not parse is left for the check to
    /// explain.
    fn stamp(&mut self) {
        if !self.stamp_now {
            return;
        }
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&self.payload) else {
            return;
        };
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let stamp = now.max(self.last_stamp.saturating_add(1));
        if !crate::apns::set_timestamp(&mut value, stamp) {
            return;
        }
        if let Ok(text) = serde_json::to_string_pretty(&value) {
            self.payload = text;
            self.last_stamp = stamp;
        }
    }

    /// The broadcast the screen describes, checked as a Live Activity push.
    fn broadcast(&self, bundle: BundleId) -> Result<Broadcast, JobError> {
        let channel =
            ChannelId::parse(&self.channel).map_err(|e| JobError::message(channel_id_error(&e)))?;
        let check =
            crate::apns::check_broadcast_payload(self.payload.as_bytes(), Some(self.priority));
        if let Some(e) = check.errors.first() {
            return Err(JobError::Payload(e.clone()));
        }
        // With the library's apns-expiration (0), which APNs requires on a broadcast.
        let mut b = Broadcast::new(bundle, channel, self.payload.clone().into_bytes());
        b.priority = Some(self.priority);
        Ok(b)
    }

    /// Subscribes the typed token to the chosen channel in the embedded simulator.
    pub fn subscribe(&mut self, registry: &DeviceRegistry, subscribed: bool) {
        let result = DeviceToken::parse(&self.subscribe_token)
            .map_err(|e| crate::gui::i18n::token_error(&e))
            .and_then(|token| {
                let channel = ChannelId::parse(&self.channel).map_err(|e| channel_id_error(&e))?;
                registry.set_subscribed(&token, &channel, subscribed);
                let count = registry.subscribers(&channel).len();
                Ok((channel, count))
            });
        self.subscribed = Some(result);
    }

    /// Picks up a finished request. Every frame.
    pub fn poll(&mut self) {
        if !self.job.poll() {
            return;
        }
        let Some(result) = self.job.take_finished() else {
            return;
        };
        if let Ok(JobDone::Managed { request, response }) = &result {
            use crate::client::ChannelOutcome;
            match (&response.outcome, request) {
                (ChannelOutcome::Created { channel_id }, _) => {
                    self.known.insert(channel_id.clone(), None);
                    self.channel = channel_id.to_string();
                }
                (ChannelOutcome::Listed { channels }, _) => {
                    let old = std::mem::take(&mut self.known);
                    for id in channels {
                        let config = old.get(id).cloned().flatten();
                        self.known.insert(id.clone(), config);
                    }
                }
                (ChannelOutcome::Read { config }, ChannelRequest::Read(id)) => {
                    self.known.insert(id.clone(), Some(*config));
                }
                (ChannelOutcome::Deleted, ChannelRequest::Delete(id)) => {
                    self.known.remove(id);
                }
                _ => {}
            }
        }
        self.last = Some(result);
    }
}

/// A channel request or broadcast that got no answer, worded for the Channels screen.
fn unanswered(e: crate::client::SendError) -> JobError {
    JobError::unanswered(Sending::Channels, e)
}

enum Work {
    Manage(ChannelRequest),
    Broadcast(Box<Broadcast>),
}
