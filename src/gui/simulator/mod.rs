//! The Simulator screen and the simulator it shows: started with the app on the worker's
//! runtime, restarted when its settings change, and its inbox drawn like the banners a phone
//! would show.

mod activities;
mod ca;
mod inbox;
mod settings;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::RichText;

use super::JobError;
use super::app::Command;
use super::dialogs;
use super::save_flow::SaveFlow;
use super::state::{SimulatorSettings, State};
use super::theme::{Palette, SECTION_GAP};
use super::worker::{Task, Worker};
use crate::apns::Environment;
use crate::apns::Reason;
use crate::gui::i18n::msg;
use crate::sim::api::{ApiConfig, ApiServer};
use crate::sim::{
    Delivery, DeviceRegistry, Faults, RegisteredKey, SimConfig, SimIdentity, Simulator,
};

/// How many deliveries the embedded simulator keeps (and the screen can show).
const INBOX_CAPACITY: usize = 500;
/// How many banners are drawn.
const BANNERS_SHOWN: usize = 100;
/// The inbox is copied at most this often while it changes.
const INBOX_REFRESH: Duration = Duration::from_millis(250);

/// The Simulator screen and the running simulator.
pub struct SimulatorPanel {
    /// Where the identity is kept; `None` (no data folder) uses a throw-away one.
    identity_dir: Option<PathBuf>,
    /// Kept across restarts, so registered and unregistered tokens survive.
    registry: Arc<DeviceRegistry>,
    /// Kept across restarts, so a new port, environment or API switch does not lose what was
    /// delivered (nor the Live Activities and refusals): only *Clear inbox* empties it.
    kept_inbox: crate::sim::Inbox,
    /// Kept across restarts in one environment. Apple's channels belong to an environment
    /// (each has its own management host), so another one starts with none.
    channels: (Environment, Arc<crate::sim::ChannelStore>),
    /// Auth keys (.p8) the simulator accepts provider tokens from, added as they are used.
    auth_keys: Vec<RegisteredKey>,
    running: Option<Simulator>,
    /// The settings the running (or starting) simulator was started with: what a change of
    /// only its faults is measured against.
    started_with: Option<SimulatorSettings>,
    /// The last Apply changed the faults of the running simulator, without a restart.
    applied_live: bool,
    /// The control API and web inbox of the running simulator, when switched on.
    api: Option<ApiServer>,
    starting: Task<(Simulator, Option<ApiServer>), JobError>,
    /// Why it did not start: worded when shown, in the language on screen (it starts with the
    /// app, while the window is still English until its CJK font has loaded).
    error: Option<JobError>,
    inbox: Vec<Delivery>,
    /// The Live Activities, copied with the inbox.
    activities: Vec<crate::sim::Activity>,
    /// The inbox total when it was last copied.
    inbox_seen: Option<(u64, u64)>,
    /// The newest refused requests, copied with the inbox.
    refusals: Vec<crate::sim::RequestEvent>,
    /// Deliveries and refusals over time, for the traffic chart.
    traffic: crate::gui::charts::TrafficSamples,
    chart_export: Option<crate::gui::charts::ChartExport>,
    refreshed: Option<Instant>,
    export: SaveFlow<()>,
}

impl SimulatorPanel {
    /// A stopped simulator. `identity_dir` is where its certificate and CA are kept across runs
    /// (`None`, no data folder: a throw-away one each start).
    pub fn new(identity_dir: Option<PathBuf>) -> Self {
        SimulatorPanel {
            identity_dir,
            registry: Arc::new(DeviceRegistry::new()),
            kept_inbox: crate::sim::Inbox::new(INBOX_CAPACITY),
            channels: (
                Environment::Sandbox,
                Arc::new(crate::sim::ChannelStore::new()),
            ),
            auth_keys: Vec::new(),
            running: None,
            started_with: None,
            applied_live: false,
            api: None,
            starting: Task::Idle,
            error: None,
            inbox: Vec::new(),
            activities: Vec::new(),
            inbox_seen: None,
            refusals: Vec::new(),
            traffic: crate::gui::charts::TrafficSamples::default(),
            chart_export: None,
            refreshed: None,
            export: SaveFlow::new(
                "~/pushlab-simulator-ca.pem",
                dialogs::no_dialog_hint,
                |path| msg::simulator_saved_ca_to(path.display().to_string()),
            ),
        }
    }

    /// The running simulator, if any.
    pub fn simulator(&self) -> Option<&Simulator> {
        self.running.as_ref()
    }

    /// Where the control API and web inbox listen, when switched on and running.
    pub fn api_addr(&self) -> Option<std::net::SocketAddr> {
        self.api.as_ref().map(ApiServer::addr)
    }

    /// The device registry the simulator judges tokens by.
    pub fn registry(&self) -> &Arc<DeviceRegistry> {
        &self.registry
    }

    /// Whether provider tokens signed by this key are accepted.
    pub fn trusts(&self, key_id: &str, team_id: &str) -> bool {
        self.auth_keys
            .iter()
            .any(|k| k.key_id == key_id && k.team_id == team_id)
    }

    /// Accepts tokens from `key` from the next start on (a running simulator is told on its
    /// own, through [`crate::sim::Simulator::keys`]). A key id belongs to one team: a
    /// team id typed wrong and then fixed replaces the wrong one, which is trusted no more.
    pub fn trust(&mut self, key: RegisteredKey) {
        self.auth_keys.retain(|k| k.key_id != key.key_id);
        self.auth_keys.push(key);
    }

    /// The simulator is starting: Start waits.
    pub fn is_starting(&self) -> bool {
        self.starting.is_running()
    }

    /// Whether `settings` can only take effect by a restart: they change where the simulator
    /// listens or which environment it plays, not just its faults.
    pub fn needs_restart(&self, settings: &SimulatorSettings) -> bool {
        let Some(was) = self
            .started_with
            .as_ref()
            .filter(|_| self.running.is_some())
        else {
            return true;
        };
        (was.environment, was.port, was.api_enabled, was.api_port)
            != (
                settings.environment,
                settings.port,
                settings.api_enabled,
                settings.api_port,
            )
    }

    /// Applies `settings`: faults alone go to the running simulator as it runs (its inbox,
    /// channels and address stay, as the control API's fault changes do); anything else
    /// restarts it.
    pub fn apply(&mut self, settings: &SimulatorSettings, worker: &Worker) {
        if self.needs_restart(settings) {
            self.start(settings, worker);
            return;
        }
        if let Some(sim) = &self.running {
            sim.faults().set(faults_of(settings));
            self.started_with = Some(settings.clone());
            self.applied_live = true;
        }
    }

    /// The last Apply changed the running simulator's faults without restarting it.
    pub fn applied_live(&self) -> bool {
        self.applied_live
    }

    /// Starts the simulator (stopping a running one first) with `settings`.
    pub fn start(&mut self, settings: &SimulatorSettings, worker: &Worker) {
        let old = self.running.take();
        let old_api = self.api.take();
        self.started_with = Some(settings.clone());
        self.applied_live = false;
        let api_port = settings.api_enabled.then_some(settings.api_port);
        let dir = self.identity_dir.clone();
        let config_faults = faults_of(settings);
        let environment = settings.environment;
        let port = settings.port;
        let registry = self.registry.clone();
        let auth_keys = self.auth_keys.clone();
        let inbox = self.kept_inbox.clone();
        if self.channels.0 != environment {
            self.channels = (environment, Arc::new(crate::sim::ChannelStore::new()));
        }
        let channels = self.channels.1.clone();
        self.error = None;
        let ctx = worker.ctx().clone();
        self.starting = worker.run_async(move |_| async move {
            if let Some(api) = old_api {
                api.shutdown().await;
            }
            if let Some(old) = old {
                old.shutdown().await;
            }
            let identity = tokio::task::spawn_blocking(move || match dir {
                Some(dir) => SimIdentity::load_or_create(&dir),
                None => SimIdentity::ephemeral(),
            })
            .await
            .map_err(|e| JobError::SimulatorIdentity(e.to_string()))?
            .map_err(|e| JobError::SimulatorCa(e.to_string()))?;
            let mut config = SimConfig::new(environment, identity);
            config.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            config.registry = registry;
            config.auth_keys = auth_keys;
            config.faults = config_faults;
            config.inbox = Some(inbox);
            config.channels = channels;
            let sim = Simulator::start(config)
                .await
                .map_err(|e| JobError::Message(e.to_string()))?;
            // A delivery or refusal wakes the window (coalesced: at most one redraw per
            // refresh period); with nothing arriving, it rests.
            sim.inbox().set_waker(std::sync::Arc::new(move || {
                ctx.request_repaint_after(INBOX_REFRESH);
            }));
            let api = match api_port {
                Some(port) => {
                    let config = ApiConfig {
                        bind: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                        ..ApiConfig::default()
                    };
                    match ApiServer::start(&sim, config).await {
                        Ok(api) => Some(api),
                        Err(e) => {
                            sim.shutdown().await;
                            return Err(JobError::Message(e.to_string()));
                        }
                    }
                }
                None => None,
            };
            Ok((sim, api))
        });
    }

    /// Stops the simulator.
    pub fn stop(&mut self, worker: &Worker) {
        self.starting.cancel();
        self.starting = Task::Idle;
        let api = self.api.take();
        if let Some(old) = self.running.take() {
            let _: Task<(), JobError> = worker.run_async(move |_| async move {
                if let Some(api) = api {
                    api.shutdown().await;
                }
                old.shutdown().await;
                Ok(())
            });
        }
        self.inbox_seen = None;
    }

    /// The CSV and picture export under the traffic chart, made when first asked for.
    pub fn chart_export(&mut self) -> &mut crate::gui::charts::ChartExport {
        self.chart_export.get_or_insert_with(|| {
            crate::gui::charts::ChartExport::new("~/pushlab-simulator-traffic.csv")
        })
    }

    /// Picks up finished jobs and copies the inbox when it changed. Every frame.
    pub fn poll(&mut self, commands: &mut Vec<Command>) {
        if let Some(export) = &mut self.chart_export {
            export.poll();
        }
        if self.starting.poll() {
            match self.starting.take_finished() {
                Some(Ok((sim, api))) => {
                    // The traffic chart's first sample: what came before it is not rated.
                    self.traffic
                        .record(sim.inbox().total(), sim.inbox().rejected(), INBOX_REFRESH);
                    self.running = Some(sim);
                    self.api = api;
                    self.inbox_seen = None;
                }
                Some(Err(e)) if !e.is_cancelled() => {
                    self.error = Some(e);
                }
                _ => {}
            }
        }
        self.sample_traffic();
        self.poll_ca_export(commands);
    }

    /// Samples the simulator's counters for its traffic chart, whatever screen is shown, at
    /// most every [`INBOX_REFRESH`] (a delivery wakes the window that much later, so the last
    /// change is sampled too). Sampled only while the Simulator screen was drawn, pushes sent
    /// from another screen were not rated: the chart read "0 deliveries per second at the
    /// peak" beside an inbox of them.
    fn sample_traffic(&mut self) {
        let Some(sim) = &self.running else { return };
        let total = (sim.inbox().total(), sim.inbox().rejected());
        if self.traffic.last() == Some(total) || self.traffic.recorded_within(INBOX_REFRESH) {
            return;
        }
        self.traffic.record(total.0, total.1, INBOX_REFRESH);
    }

    /// A line for other screens: "Running on 127.0.0.1:1234 (sandbox)".
    pub fn status_line(&self) -> String {
        match &self.running {
            Some(sim) => msg::simulator_running_on(
                sim.addr().to_string(),
                crate::gui::i18n::apns_environment(sim.environment()),
            ),
            None if self.starting.is_running() => msg::simulator_starting().to_owned(),
            None => msg::simulator_stopped().to_owned(),
        }
    }

    /// Draws the screen: settings, faults, the running simulator and its inbox.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<Command>) {
        self.refresh_inbox();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(msg::simulator_heading());
                ui.label(RichText::new(msg::simulator_intro()).color(Palette::of(ui).muted));
                ui.add_space(SECTION_GAP);
                crate::gui::theme::two_columns(ui, |i, ui| match i {
                    0 => self.server_card(ui, state, commands),
                    _ => self.inbox_card(ui, commands),
                });
            });
        if self.running.is_some()
            && self.running.as_ref().is_some_and(|sim| {
                self.inbox_seen != Some((sim.inbox().total(), sim.inbox().rejected()))
            })
        {
            // A change not shown yet (held back by the refresh period): look again then.
            ui.ctx().request_repaint_after(INBOX_REFRESH);
        }
    }
}

/// The faults `settings` ask for, as the simulator takes them.
fn faults_of(settings: &SimulatorSettings) -> Faults {
    let mut faults = Faults::default();
    if settings.error_percent > 0.0
        && let Some(reason) = Reason::parse(&settings.error_reason)
    {
        faults.error_share = Some((reason, (settings.error_percent / 100.0).min(1.0)));
    }
    if settings.goaway_after > 0 {
        faults.goaway_after = Some(settings.goaway_after);
    }
    faults.latency = Duration::from_millis(settings.latency_ms);
    faults.reset_processed_every =
        (settings.reset_processed_every > 0).then_some(settings.reset_processed_every);
    faults.drop_after_processing =
        (settings.drop_after_processing > 0).then_some(settings.drop_after_processing);
    faults.answer_from_headers = settings.answer_from_headers;
    faults
}
