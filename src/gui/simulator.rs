//! The Simulator screen and the simulator it shows: started with the app on the worker's
//! runtime, restarted when its settings change, and its inbox drawn like the banners a phone
//! would show.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::RichText;

use super::app::Command;
use super::dialogs;
use super::save_flow::SaveFlow;
use super::state::{SimulatorSettings, State};
use super::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use super::widgets::{chip, group_digits, notice, path_field};
use super::worker::{Task, Worker};
use crate::apns::Reason;
use crate::cert::Environment;
use crate::sim::{
    Delivery, DeviceRegistry, Faults, RegisteredKey, SimConfig, SimIdentity, Simulator,
};

/// User-facing text of this screen, in one place for translation.
mod text {
    pub const HEADING: &str = "Simulator";
    pub const INTRO: &str = "A local APNs server inside pushlab. It answers like Apple's servers, trusts the test certificates made on the Credentials screen, and shows what a phone would have displayed.";
    pub const RUNNING: &str = "Running";
    pub const STOPPED: &str = "Stopped";
    pub const STARTING: &str = "Starting…";
    pub const START: &str = "Start simulator";
    pub const STOP: &str = "Stop simulator";
    pub const APPLY: &str = "Apply and restart";
    pub const ENVIRONMENT: &str = "Environment";
    pub const PORT: &str = "Port";
    pub const PORT_HINT: &str = "0 picks a free port";
    pub const FAULTS: &str = "Injected failures";
    pub const FAULTS_HINT: &str =
        "For testing how your sender copes. Changes apply when the simulator restarts.";
    pub const ERROR_SHARE: &str = "Share of requests refused (%)";
    pub const ERROR_REASON: &str = "Refused with";
    pub const GOAWAY: &str = "GOAWAY after this many requests per connection (0: never)";
    pub const LATENCY: &str = "Extra latency per answer (ms)";
    pub const RESET_PROCESSED: &str =
        "Deliver, then reset without an answer: every Nth push (0: never)";
    pub const DROP_PROCESSED: &str =
        "Drop the connection after delivering this many pushes, unanswered (0: never)";
    pub const UNANSWERED_HINT: &str = "Pushes that arrive but get no answer: the sender must report them unconfirmed, never delivered, and not send them twice.";
    pub const EXPORT_CA: &str = "Export CA…";
    pub const EXPORT_PATH: &str = "CA file path";
    pub const SAVE_CA: &str = "Save CA to path";
    pub const EXPORT_HINT: &str =
        "Clients that talk to the simulator must trust this CA (curl --cacert, pushlab --ca).";
    pub const INBOX: &str = "Inbox";
    pub const CLEAR: &str = "Clear inbox";
    pub const EMPTY_INBOX: &str =
        "Nothing delivered yet. Send a push on the Compose screen and it shows up here.";
    pub const SILENT: &str =
        "Silent push — the app is woken in the background, the user sees nothing";
    pub const VOIP: &str = "VoIP push — the app is woken to report an incoming call";
    pub const LIVE_ACTIVITY: &str = "Live Activity push — the Lock Screen activity changes";
    pub const WIDGETS: &str = "Widget push — the app's widgets reload their content";
    pub const OTHER_QUIET: &str = "push — handled by the app, nothing is shown";
    pub const NOT_RUNNING_FOR_CA: &str = "Start the simulator first: its CA is read when it runs.";
}

/// Reasons the fault switch can answer with.
const FAULT_REASONS: [Reason; 3] = [
    Reason::TooManyRequests,
    Reason::ServiceUnavailable,
    Reason::InternalServerError,
];

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
    /// Auth keys (.p8) the simulator accepts provider tokens from, added as they are used.
    auth_keys: Vec<RegisteredKey>,
    running: Option<Simulator>,
    starting: Task<Simulator, String>,
    error: Option<String>,
    inbox: Vec<Delivery>,
    /// The inbox total when it was last copied.
    inbox_seen: Option<u64>,
    refreshed: Option<Instant>,
    export: SaveFlow<()>,
}

impl SimulatorPanel {
    pub fn new(identity_dir: Option<PathBuf>) -> Self {
        SimulatorPanel {
            identity_dir,
            registry: Arc::new(DeviceRegistry::new()),
            auth_keys: Vec::new(),
            running: None,
            starting: Task::Idle,
            error: None,
            inbox: Vec::new(),
            inbox_seen: None,
            refreshed: None,
            export: SaveFlow::new(
                "~/pushlab-simulator-ca.pem",
                dialogs::NO_DIALOG_HINT,
                |path| format!("Saved the CA to {}.", path.display()),
            ),
        }
    }

    /// The running simulator, if any.
    pub fn simulator(&self) -> Option<&Simulator> {
        self.running.as_ref()
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

    /// Accepts tokens from `key` from the next start on.
    pub fn trust(&mut self, key: RegisteredKey) {
        self.auth_keys
            .retain(|k| !(k.key_id == key.key_id && k.team_id == key.team_id));
        self.auth_keys.push(key);
    }

    pub fn is_starting(&self) -> bool {
        self.starting.is_running()
    }

    /// Starts the simulator (stopping a running one first) with `settings`.
    pub fn start(&mut self, settings: &SimulatorSettings, worker: &Worker) {
        let old = self.running.take();
        let dir = self.identity_dir.clone();
        let mut config_faults = Faults::default();
        if settings.error_percent > 0.0
            && let Some(reason) = Reason::parse(&settings.error_reason)
        {
            config_faults.error_share = Some((reason, (settings.error_percent / 100.0).min(1.0)));
        }
        if settings.goaway_after > 0 {
            config_faults.goaway_after = Some(settings.goaway_after);
        }
        config_faults.latency = Duration::from_millis(settings.latency_ms);
        config_faults.reset_processed_every =
            (settings.reset_processed_every > 0).then_some(settings.reset_processed_every);
        config_faults.drop_after_processing =
            (settings.drop_after_processing > 0).then_some(settings.drop_after_processing);
        let environment = settings.environment;
        let port = settings.port;
        let registry = self.registry.clone();
        let auth_keys = self.auth_keys.clone();
        self.error = None;
        self.starting = worker.run_async(move |_| async move {
            if let Some(old) = old {
                old.shutdown().await;
            }
            let identity = tokio::task::spawn_blocking(move || match dir {
                Some(dir) => SimIdentity::load_or_create(&dir),
                None => SimIdentity::ephemeral(),
            })
            .await
            .map_err(|e| format!("the simulator's identity could not be prepared: {e}"))?
            .map_err(|e| format!("the simulator's CA could not be prepared: {e}"))?;
            let mut config = SimConfig::new(environment, identity);
            config.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            config.registry = registry;
            config.auth_keys = auth_keys;
            config.faults = config_faults;
            config.inbox_capacity = INBOX_CAPACITY;
            Simulator::start(config).await.map_err(|e| e.to_string())
        });
    }

    /// Stops the simulator.
    pub fn stop(&mut self, worker: &Worker) {
        self.starting.cancel();
        self.starting = Task::Idle;
        if let Some(old) = self.running.take() {
            let _: Task<(), String> = worker.run_async(move |_| async move {
                old.shutdown().await;
                Ok(())
            });
        }
        self.inbox_seen = None;
    }

    pub fn clear_inbox(&mut self) {
        if let Some(sim) = &self.running {
            sim.inbox().clear();
        }
        self.inbox.clear();
        self.inbox_seen = None;
    }

    pub fn pick_export_path(&mut self, start: Option<PathBuf>, worker: &Worker) {
        let name = "pushlab-simulator-ca.pem".to_owned();
        self.export
            .choose(worker, "Export the simulator's CA", start, name, ());
    }

    /// Saves the CA; an existing file only with `overwrite` (the user was asked).
    pub fn export_ca(&mut self, path: PathBuf, overwrite: bool, worker: &Worker) {
        let Some(sim) = &self.running else {
            self.export.fail(text::NOT_RUNNING_FOR_CA);
            return;
        };
        let pem = match sim.ca_certificate().to_pem() {
            Ok(pem) => pem,
            Err(e) => {
                self.export.fail(format!("could not write the CA: {e}"));
                return;
            }
        };
        self.export.path = path.display().to_string();
        self.export.write(worker, (), overwrite, move || {
            dialogs::write_file(&path, &pem, overwrite)
        });
    }

    /// Picks up finished jobs and copies the inbox when it changed. Every frame.
    pub fn poll(&mut self, commands: &mut Vec<Command>) {
        if self.starting.poll() {
            match self.starting.take_finished() {
                Some(Ok(sim)) => {
                    self.running = Some(sim);
                    self.inbox_seen = None;
                }
                Some(Err(e)) if e != "cancelled" => self.error = Some(e),
                _ => {}
            }
        }
        if let Some((path, ())) = self.export.poll() {
            // The native dialog already asked before replacing a file.
            commands.push(Command::ExportSimulatorCa {
                path,
                overwrite: true,
            });
        }
    }

    /// Copies the newest deliveries when the inbox changed, at most every [`INBOX_REFRESH`].
    fn refresh_inbox(&mut self) {
        let Some(sim) = &self.running else { return };
        let inbox = sim.inbox();
        let total = inbox.total();
        if self.inbox_seen == Some(total) {
            return;
        }
        let recently = self.refreshed.is_some_and(|t| t.elapsed() < INBOX_REFRESH);
        if recently && self.inbox_seen.is_some() {
            return;
        }
        self.inbox = inbox.newest_first();
        self.inbox.truncate(BANNERS_SHOWN);
        self.inbox_seen = Some(total);
        self.refreshed = Some(Instant::now());
    }

    /// A line for other screens: "Running on 127.0.0.1:1234 (sandbox)".
    pub fn status_line(&self) -> String {
        match &self.running {
            Some(sim) => format!(
                "{} on {} ({})",
                text::RUNNING,
                sim.addr(),
                sim.environment().label()
            ),
            None if self.starting.is_running() => text::STARTING.to_owned(),
            None => text::STOPPED.to_owned(),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<Command>) {
        self.refresh_inbox();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(text::HEADING);
                ui.label(RichText::new(text::INTRO).color(Palette::of(ui).muted));
                ui.add_space(SECTION_GAP);
                ui.columns(2, |columns| {
                    self.server_card(&mut columns[0], state, commands);
                    self.inbox_card(&mut columns[1], commands);
                });
            });
        if self.running.is_some() {
            // Deliveries do not wake the UI by themselves; look again shortly.
            ui.ctx().request_repaint_after(INBOX_REFRESH);
        }
    }

    fn server_card(&mut self, ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| match &self.running {
                Some(sim) => {
                    chip(ui, text::RUNNING, p.good);
                    ui.label(RichText::new(sim.addr().to_string()).monospace());
                    chip(ui, sim.environment().label(), p.info);
                }
                None if self.starting.is_running() => {
                    ui.spinner();
                    ui.label(text::STARTING);
                }
                None => {
                    chip(ui, text::STOPPED, p.neutral);
                }
            });
            if let Some(error) = &self.error {
                notice(ui, "⚠", error, p.bad);
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                if self.running.is_some() {
                    if ui.button(text::STOP).clicked() {
                        commands.push(Command::StopSimulator);
                    }
                } else if ui
                    .add_enabled(!self.starting.is_running(), egui::Button::new(text::START))
                    .clicked()
                {
                    commands.push(Command::StartSimulator);
                }
            });
            ui.add_space(SECTION_GAP);
            let settings = &mut state.simulator;
            ui.horizontal(|ui| {
                let label = ui.label(text::ENVIRONMENT);
                let combo = egui::ComboBox::from_id_salt("sim-environment")
                    .selected_text(settings.environment.label())
                    .show_ui(ui, |ui| {
                        for env in [Environment::Sandbox, Environment::Production] {
                            ui.selectable_value(&mut settings.environment, env, env.label());
                        }
                    })
                    .response;
                let _ = combo.labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(text::PORT);
                ui.add(egui::DragValue::new(&mut settings.port).range(0..=65535))
                    .labelled_by(label.id);
                ui.label(RichText::new(text::PORT_HINT).color(p.muted));
            });
            ui.add_space(SECTION_GAP);
            ui.label(RichText::new(text::FAULTS).strong());
            ui.label(RichText::new(text::FAULTS_HINT).color(p.muted));
            ui.horizontal(|ui| {
                let label = ui.label(text::ERROR_SHARE);
                ui.add(egui::Slider::new(&mut settings.error_percent, 0.0..=100.0).suffix(" %"))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(text::ERROR_REASON);
                let combo = egui::ComboBox::from_id_salt("sim-fault-reason")
                    .selected_text(reason_label(&settings.error_reason))
                    .show_ui(ui, |ui| {
                        for reason in FAULT_REASONS {
                            ui.selectable_value(
                                &mut settings.error_reason,
                                reason.as_str().to_owned(),
                                reason_label(reason.as_str()),
                            );
                        }
                    })
                    .response;
                let _ = combo.labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(text::GOAWAY);
                ui.add(egui::DragValue::new(&mut settings.goaway_after))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(text::LATENCY);
                ui.add(egui::DragValue::new(&mut settings.latency_ms).range(0..=10_000))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(text::RESET_PROCESSED);
                ui.add(egui::DragValue::new(&mut settings.reset_processed_every))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(text::DROP_PROCESSED);
                ui.add(egui::DragValue::new(&mut settings.drop_after_processing))
                    .labelled_by(label.id);
            });
            ui.label(RichText::new(text::UNANSWERED_HINT).small().color(p.muted));
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!self.starting.is_running(), egui::Button::new(text::APPLY))
                    .clicked()
                {
                    commands.push(Command::StartSimulator);
                }
            });
            if !self.auth_keys.is_empty() {
                ui.add_space(ITEM_GAP);
                let keys: Vec<String> = self
                    .auth_keys
                    .iter()
                    .map(|k| format!("{} (team {})", k.key_id, k.team_id))
                    .collect();
                ui.label(
                    RichText::new(format!("Trusted auth keys: {}", keys.join(", "))).color(p.muted),
                );
            }
            ui.add_space(SECTION_GAP);
            ui.label(RichText::new("CA certificate").strong());
            ui.label(RichText::new(text::EXPORT_HINT).color(p.muted));
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(self.running.is_some(), egui::Button::new(text::EXPORT_CA))
                    .clicked()
                {
                    commands.push(Command::PickSimulatorCaPath);
                }
            });
            let save = (text::SAVE_CA, self.running.is_some());
            if path_field(ui, text::EXPORT_PATH, &mut self.export.path, 240.0, save) {
                commands.push(Command::ExportSimulatorCa {
                    path: dialogs::expand_home(&self.export.path),
                    overwrite: false,
                });
            }
            if let Some((path, ())) = self.export.show(ui) {
                commands.push(Command::ExportSimulatorCa {
                    path,
                    overwrite: true,
                });
            }
        });
    }

    fn inbox_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(text::INBOX).strong().size(16.0));
                if let Some(sim) = &self.running {
                    ui.label(
                        RichText::new(format!(
                            "{} delivered, {} refused",
                            group_digits(sim.inbox().total()),
                            group_digits(sim.inbox().rejected())
                        ))
                        .color(p.muted),
                    );
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .add_enabled(!self.inbox.is_empty(), egui::Button::new(text::CLEAR))
                        .clicked()
                    {
                        commands.push(Command::ClearInbox);
                    }
                });
            });
            ui.add_space(ITEM_GAP);
            if self.inbox.is_empty() {
                ui.label(RichText::new(text::EMPTY_INBOX).color(p.muted));
            }
            for delivery in &self.inbox {
                banner_ui(ui, delivery);
            }
        });
    }
}

/// What a push the user does not see does on the phone.
fn quiet_description(delivery: &Delivery) -> String {
    use crate::apns::PushType;
    match delivery.push_type {
        PushType::Alert | PushType::Background => text::SILENT.to_owned(),
        PushType::Voip => text::VOIP.to_owned(),
        PushType::LiveActivity => {
            let event = delivery
                .payload
                .pointer("/aps/event")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("update");
            format!("{} ({event})", text::LIVE_ACTIVITY)
        }
        PushType::Widgets => text::WIDGETS.to_owned(),
        other => format!("{other} {}", text::OTHER_QUIET),
    }
}

fn reason_label(reason: &str) -> String {
    match Reason::parse(reason) {
        Some(r) => format!("{} {}", r.status(), r.as_str()),
        None => reason.to_owned(),
    }
}

/// One delivery, drawn like an iOS banner.
fn banner_ui(ui: &mut egui::Ui, delivery: &Delivery) {
    let p = Palette::of(ui);
    let banner = delivery.banner();
    egui::Frame::new()
        .fill(p.neutral.bg)
        .corner_radius(egui::CornerRadius::same(14))
        .inner_margin(egui::Margin::symmetric(12, 9))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let app = delivery
                    .push_type
                    .bundle_of(&banner.app)
                    .unwrap_or(&banner.app);
                let initial = app
                    .rsplit('.')
                    .next()
                    .and_then(|s| s.chars().next())
                    .map(|c| c.to_uppercase().to_string())
                    .unwrap_or_default();
                egui::Frame::new()
                    .fill(p.brand)
                    .corner_radius(egui::CornerRadius::same(5))
                    .inner_margin(egui::Margin::symmetric(5, 1))
                    .show(ui, |ui| {
                        ui.add(
                            egui::Label::new(
                                RichText::new(initial).color(egui::Color32::WHITE).strong(),
                            )
                            .selectable(false),
                        );
                    });
                ui.label(
                    RichText::new(banner.app.to_uppercase())
                        .small()
                        .color(p.muted),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let time = delivery
                        .time
                        .format(time::macros::format_description!(
                            "[hour]:[minute]:[second]"
                        ))
                        .unwrap_or_default();
                    ui.label(RichText::new(time).small().color(p.muted));
                    if delivery.push_type != crate::apns::PushType::Alert {
                        chip(ui, delivery.push_type.as_str(), p.info);
                    }
                });
            });
            if banner.silent {
                ui.label(
                    RichText::new(quiet_description(delivery))
                        .italics()
                        .color(p.muted),
                );
                let mut preview = delivery.payload.to_string();
                if preview.len() > 160 {
                    let mut cut = 160;
                    while !preview.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    preview.truncate(cut);
                    preview.push('…');
                }
                ui.add(
                    egui::Label::new(RichText::new(preview).monospace().small().color(p.muted))
                        .wrap(),
                );
                return;
            }
            if let Some(title) = &banner.title {
                ui.label(RichText::new(title).strong());
            }
            if let Some(subtitle) = &banner.subtitle {
                ui.label(RichText::new(subtitle).strong().small());
            }
            if let Some(body) = &banner.body {
                ui.add(egui::Label::new(body).wrap());
            }
            if banner.badge.is_some() || banner.sound.is_some() {
                ui.horizontal(|ui| {
                    if let Some(badge) = banner.badge {
                        chip(ui, &format!("Badge {badge}"), p.bad);
                    }
                    if let Some(sound) = &banner.sound {
                        chip(ui, &format!("🔊 {sound}"), p.neutral);
                    }
                });
            }
        });
    ui.add_space(ITEM_GAP);
}
