//! The commands that send or check: they need to know where pushes go now and with which
//! credential (the plan), and the simulator may first have to learn a new auth key.

use super::{App, Section};
use crate::gui::batch::Recipients;
use crate::gui::compose::{ComposePanel, DEMO_TOKEN};
use crate::gui::connection::{self, Plan};
use crate::gui::i18n::msg;
use crate::gui::state::{ConnectionSettings, Destination, Draft};

impl App {
    /// Where pushes go now and with which credential, or why that is not settled.
    pub(super) fn plan(&self) -> Result<Plan, String> {
        let plan = self.plan_for(&self.state.connection)?;
        if plan.route.bundle_id.is_none() {
            return Err(connection::no_bundle_id());
        }
        Ok(plan)
    }

    /// The plan for `settings`: the bundle id is the one typed for the chosen credential
    /// (on Connection or Compose & Send), else the certificate's.
    pub(super) fn plan_for(&self, settings: &ConnectionSettings) -> Result<Plan, String> {
        connection::plan(settings, self.simulator.simulator(), &self.credentials)
    }

    /// A test key made beside a push type that needs one becomes the credential sent with,
    /// for the app the one before was for (a key does not say; a certificate does).
    pub(super) fn use_test_key(&mut self) {
        let Some(path) = self.credentials.take_key_to_use() else {
            return;
        };
        let bundle = self
            .plan_for(&self.state.connection)
            .ok()
            .and_then(|p| p.route.bundle_id);
        let settings = &mut self.state.connection;
        settings.credential = Some(path.clone());
        if let Some(bundle) = bundle {
            settings.bundle_ids.entry(path).or_insert(bundle);
        }
    }

    /// What Compose & Send and Batch show of the current route.
    pub(super) fn route_view(&self) -> crate::gui::made_with::RouteView {
        let plan = self.plan_for(&self.state.connection);
        self.route_view_of(plan, self.state.compose.push_type)
    }

    /// [`Self::route_view`] of a plan already made, warned about for `push_type`.
    pub(super) fn route_view_of(
        &self,
        plan: Result<Plan, String>,
        push_type: crate::apns::PushType,
    ) -> crate::gui::made_with::RouteView {
        let chosen = connection::chosen_credential(&self.credentials, &self.state.connection);
        crate::gui::made_with::RouteView {
            destination: connection::summary(
                &self.state.connection,
                self.simulator.simulator(),
                &self.credentials,
            ),
            credential: chosen.map(|e| e.saved.path.clone()),
            certificate_bundle: chosen
                .and_then(|e| e.loaded())
                .and_then(|l| l.inspection.certificate.as_ref())
                .and_then(|c| c.bundle_id.clone()),
            warnings: plan
                .as_ref()
                .map(|p| p.warnings(push_type))
                .unwrap_or_default(),
            to_simulator: plan.as_ref().is_ok_and(|p| {
                matches!(
                    p.route.target.label,
                    crate::client::TargetLabel::Simulator { .. }
                )
            }),
            // What checks and sends are made with: `plan()`, which also wants a bundle id.
            made: plan
                .ok()
                .filter(|p| p.route.bundle_id.is_some())
                .map(|p| p.made_with()),
        }
    }

    /// The embedded simulator accepts provider tokens only from keys it knows: a `.p8` used
    /// against it for the first time is registered, in the running simulator (its inbox, its
    /// channels and its address stay) and for its later starts. Returns true when the
    /// simulator had to be started for it (the command then runs once it is up).
    pub(super) fn start_to_trust_auth_key(&mut self) -> bool {
        let Ok(plan) = self.plan() else { return false };
        let crate::client::ClientAuth::Token(signer) = &plan.route.auth else {
            return false;
        };
        let key = signer.key();
        if !plan.local || self.simulator.trusts(&key.key_id, &key.team_id) {
            return false;
        }
        let Ok(registered) = crate::sim::RegisteredKey::from_auth_key(key) else {
            return false;
        };
        self.simulator.trust(registered.clone());
        if let Some(running) = self.simulator.simulator() {
            running.keys().trust(registered);
            return false;
        }
        self.simulator.start(&self.state.simulator, &self.worker);
        true
    }

    pub(super) fn check_connection(&mut self) {
        let plan = self.plan();
        self.connection.start_check(plan, &self.worker, &self.ctx);
    }

    /// The doctor on what Connection and Compose hold; the other Apple environment's plan
    /// goes along for the probe the user may allow.
    /// The connection settings with Apple's other environment; `None` unless pushes go to
    /// one of Apple's.
    fn other_environment(&self) -> Option<crate::gui::state::ConnectionSettings> {
        let mut settings = self.state.connection.clone();
        settings.destination = match settings.destination {
            Destination::Sandbox => Destination::Production,
            Destination::Production => Destination::Sandbox,
            _ => return None,
        };
        Some(settings)
    }

    /// For a server that is not Apple's: the other environment the Doctor screen names
    /// (`host:port`), with the same credential and CA file.
    fn other_environment_typed(&self) -> Option<crate::gui::state::ConnectionSettings> {
        let host = self.doctor.other_env.trim();
        if host.is_empty() || self.state.connection.destination.is_apple() {
            return None;
        }
        let mut settings = self.state.connection.clone();
        settings.destination = Destination::Custom;
        settings.custom_host = host.to_owned();
        Some(settings)
    }

    pub(super) fn run_doctor(&mut self) {
        let plan = self.plan();
        if plan.is_err()
            && let Some(error) = self.unreadable_credential()
        {
            self.doctor
                .start_unreadable(error, &self.state.compose, &self.worker);
            return;
        }
        let other = self
            .other_environment()
            .or_else(|| self.other_environment_typed())
            .map(|s| self.plan_for(&s));
        self.doctor
            .start(plan, other, &self.state.compose, &self.worker);
    }

    /// A channel request or broadcast with the current plan. Management requests to Apple go
    /// to its channel management host; the simulator and custom hosts serve both APIs.
    pub(super) fn channel_request(&mut self, action: crate::gui::channels::ChannelAction) {
        let plan = self.plan_for(&self.state.connection);
        let manage = connection::apple_environment(&self.state.connection)
            .map(crate::client::Target::apple_channels);
        let registry = plan
            .as_ref()
            .is_ok_and(|p| p.local)
            .then(|| self.simulator.registry().clone());
        self.channels
            .start(action, plan, manage, registry, &self.worker);
    }

    /// Why the credential chosen on Connection (or the only one saved) could not be read.
    fn unreadable_credential(&self) -> Option<String> {
        let entries = self.credentials.entries();
        let entry = match &self.state.connection.credential {
            Some(path) => entries.iter().find(|e| &e.saved.path == path),
            None if entries.len() == 1 => entries.first(),
            None => None,
        }?;
        match &entry.status {
            crate::gui::credentials::Status::Failed(error) => Some(error.text()),
            _ => None,
        }
    }

    pub(super) fn send(&mut self) {
        self.compose.prepare_send(&mut self.state.compose);
        let plan = self.plan();
        self.compose.send(
            &self.state.compose,
            &self.state.devices,
            plan,
            &self.connections,
            &self.worker,
        );
    }

    /// Sends the composed notification to `token` in the other Apple environment; the answer
    /// shows on Compose & Send.
    pub(super) fn probe_other_environment(&mut self, token: String) {
        let Some(settings) = self.other_environment() else {
            self.batch
                .set_error(&msg::app_the_other_environment_exists_only());
            return;
        };
        let plan = self.plan_for(&settings);
        let draft = Draft {
            token,
            ..self.state.compose.clone()
        };
        self.state.section = Section::Compose;
        self.compose.send(
            &draft,
            &self.state.devices,
            plan,
            &self.connections,
            &self.worker,
        );
    }

    pub(super) fn copy_curl(&mut self) {
        let plan = self.plan();
        self.compose.copy_curl(&self.state.compose, plan, &self.ctx);
    }

    pub(super) fn start_batch(&mut self) {
        // "Set to now when sending" holds for a batch too: a Live Activity update sent with
        // the timestamp of its last edit would be dropped, as not newer, by every device that
        // had the same update from an earlier batch.
        self.compose.prepare_send(&mut self.state.compose);
        let recipients = Recipients {
            recipients: self.batch.recipient_sources(&self.state),
            count: self.batch.recipient_count(&self.state),
            invalid: self.batch.invalid_inputs(),
        };
        let template = self.plan().and_then(|plan| {
            let draft = Draft {
                token: DEMO_TOKEN.to_owned(),
                ..self.state.compose.clone()
            };
            let n =
                ComposePanel::notification(&draft, &plan).map_err(msg::batch_compose_problem)?;
            Ok((n, plan))
        });
        self.batch.start(
            recipients,
            &self.state.compose,
            template,
            self.state.batch.options(),
            &self.worker,
            &self.ctx,
        );
    }

    /// Sends what an interrupted batch left unsent, with the notification it was begun with
    /// (not what Compose holds now) along the current route, which must be the batch's.
    pub(super) fn resume_batch(&mut self) {
        let Some(draft) = self.batch.interrupted_draft().cloned() else {
            return;
        };
        let template = self.plan().and_then(|plan| {
            let draft = Draft {
                token: DEMO_TOKEN.to_owned(),
                ..draft
            };
            let n =
                ComposePanel::notification(&draft, &plan).map_err(msg::batch_compose_problem)?;
            Ok((n, plan))
        });
        self.batch.resume(
            template,
            self.state.batch.options(),
            &self.worker,
            &self.ctx,
        );
    }

    /// Loads a history entry's request into Compose & Send and shows it.
    pub(super) fn open_in_compose(&mut self, index: usize) {
        if let Some(entry) = self.state.history.get(index) {
            let mut draft = entry.draft.clone();
            if entry.batch.is_some() {
                // A batch went to many tokens: keep the one Compose has.
                draft.token.clone_from(&self.state.compose.token);
            }
            self.compose.load(&mut self.state, draft);
            self.state.section = Section::Compose;
        }
    }
}
