//! The window: navigation on the left, the current section's panel in the middle. Panels draw
//! and push [`Command`]s; the app runs them after layout, and polls running tasks every frame.

use std::path::PathBuf;

use egui::{Align2, FontId, RichText};
use serde::{Deserialize, Serialize};

use super::batch::{BatchPanel, ExportKind};
use super::compose::{ComposePanel, Connections, DEMO_TOKEN, GuideStatus};
use super::connection::{self, ConnectionPanel};
use super::credentials::{CredentialsPanel, simulator_dir};
use super::history::HistoryPanel;
use super::simulator::SimulatorPanel;
use super::state::State;
use super::theme::{self, Appearance, NAV_WIDTH, Palette};
use super::worker::Worker;
use crate::cert::{CertEnvironment, ExportFormat, Passphrase};

/// A screen of the app, as listed in the navigation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    #[default]
    Credentials,
    Connection,
    Compose,
    Batch,
    History,
    Simulator,
}

impl Section {
    /// The navigation, in groups. A new screen adds its variant here.
    const NAVIGATION: &[(&str, &[Section])] = &[
        ("Set up", &[Section::Credentials, Section::Connection]),
        (
            "Send",
            &[Section::Compose, Section::Batch, Section::History],
        ),
        ("Test", &[Section::Simulator]),
    ];

    pub fn label(self) -> &'static str {
        match self {
            Section::Credentials => "Credentials",
            Section::Connection => "Connection",
            Section::Compose => "Compose & Send",
            Section::Batch => "Batch",
            Section::History => "History",
            Section::Simulator => "Simulator",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Section::Credentials => "🔑",
            Section::Connection => "🔌",
            Section::Compose => "✉",
            Section::Batch => "📨",
            Section::History => "🕘",
            Section::Simulator => "📱",
        }
    }
}

/// Identifies one entry of the credential list for the length of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryId(pub(crate) u64);

/// Something a panel asks the app to do. Panels only push these while drawing; the app runs
/// them after the frame's layout, so no drawing code starts work or touches files.
#[derive(Debug)]
pub enum Command {
    ShowSection(Section),
    SetAppearance(Appearance),

    // Credentials
    /// Read these files and add them to the list (several at once; halves pair up).
    Import(Vec<PathBuf>),
    /// Open the native file dialog to choose files to import.
    PickFilesToImport,
    /// Retry a protected file with a passphrase.
    Unlock {
        entry: EntryId,
        passphrase: Passphrase,
    },
    /// Read an entry's files again (after fixing them on disk).
    Reload(EntryId),
    /// Take an entry off the list (its files stay on disk).
    Remove(EntryId),
    /// Write an entry in `format` to `path`.
    Export {
        entry: EntryId,
        format: ExportFormat,
        passphrase: Option<Passphrase>,
        path: PathBuf,
        overwrite: bool,
    },
    /// Ask the native dialog where to write an export, then write it there.
    PickExportPath {
        entry: EntryId,
        format: ExportFormat,
        passphrase: Option<Passphrase>,
    },
    /// Issue a test push certificate from the simulator's CA and add it to the list.
    GenerateTestCertificate {
        bundle_id: String,
        environment: CertEnvironment,
    },

    // Simulator
    /// Start the embedded simulator with the saved settings (restarting a running one).
    StartSimulator,
    StopSimulator,
    ClearInbox,
    /// Ask the native dialog where to save the simulator's CA, then save it there.
    PickSimulatorCaPath,
    /// Save the simulator's CA; an existing file only with `overwrite` (the user was asked).
    ExportSimulatorCa {
        path: PathBuf,
        overwrite: bool,
    },

    // Connection
    /// Check the connection with the chosen destination and credential, step by step.
    CheckConnection,

    // Compose
    /// Send the composed notification.
    Send,
    /// Copy the composed notification as a curl command line.
    CopyCurl,

    // Batch
    /// Send the composed notification to every recipient on the Batch screen.
    StartBatch,
    CancelBatch,
    /// Send the composed notification to this one token in the other Apple environment
    /// (most of a batch got BadDeviceToken); the answer shows on Compose & Send.
    ProbeOtherEnvironment(String),
    /// Ask the native dialog for a token file, then read it.
    PickTokenFile,
    ImportTokens(PathBuf),
    /// Ask the native dialog where to export, then write there.
    PickBatchExportPath(ExportKind),
    /// Write an export; an existing file only with `overwrite` (the user was asked).
    ExportBatch {
        kind: ExportKind,
        path: PathBuf,
        overwrite: bool,
    },

    // History
    /// Send a history entry's request again (it also becomes the Compose screen's draft).
    Resend(usize),
    /// Load a history entry's request into Compose & Send.
    OpenInCompose(usize),
    ClearHistory,
}

/// Where the app keeps its own files, given from outside so tests can use a temp folder.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    /// The app's data folder (the simulator's CA in `simulator/`, generated test certificates). `None` when the system
    /// has no home folder; then generating says so.
    pub data_dir: Option<PathBuf>,
}

impl AppConfig {
    /// The platform's data folder for pushlab (`~/.local/share/pushlab` on Linux).
    pub fn from_system() -> Self {
        AppConfig {
            data_dir: directories::ProjectDirs::from("dev", "pushlab", "pushlab")
                .map(|dirs| dirs.data_dir().to_owned()),
        }
    }
}

/// The pushlab desktop app.
pub struct App {
    state: State,
    worker: Worker,
    credentials: CredentialsPanel,
    simulator: SimulatorPanel,
    connection: ConnectionPanel,
    compose: ComposePanel,
    batch: BatchPanel,
    history: HistoryPanel,
    /// The user asked to close while a batch runs: the confirmation is showing.
    confirm_close: bool,
    /// The user confirmed closing.
    closing: bool,
    /// A command to run again once the simulator has restarted (to trust a new auth key).
    after_restart: Option<Command>,
    /// Open connections, reused across sends.
    connections: Connections,
    commands: Vec<Command>,
    ctx: egui::Context,
    applied_appearance: Option<Appearance>,
    logo: Option<egui::TextureHandle>,
    /// `PUSHLAB_FRAME_STATS=1`: frame times on standard error every two seconds.
    frame_stats: Option<FrameStats>,
}

/// Frame times collected for `PUSHLAB_FRAME_STATS`.
struct FrameStats {
    since: std::time::Instant,
    cpu_ms: Vec<f32>,
}

impl FrameStats {
    fn record(&mut self, frame: &eframe::Frame) {
        if let Some(cpu) = frame.info().cpu_usage {
            self.cpu_ms.push(cpu * 1000.0);
        }
        if self.since.elapsed() < std::time::Duration::from_secs(2) || self.cpu_ms.is_empty() {
            return;
        }
        self.cpu_ms.sort_by(f32::total_cmp);
        let n = self.cpu_ms.len();
        let at = |p: f32| self.cpu_ms[((n - 1) as f32 * p) as usize];
        eprintln!(
            "pushlab frames: {n} in {:.1} s, cpu median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            self.since.elapsed().as_secs_f32(),
            at(0.5),
            at(0.95),
            self.cpu_ms[n - 1]
        );
        self.cpu_ms.clear();
        self.since = std::time::Instant::now();
    }
}

impl App {
    /// Builds the app, restoring what was saved and reloading saved credentials in the
    /// background.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> std::io::Result<Self> {
        let state: State = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        Self::with_state(cc, config, state)
    }

    /// Builds the app from a given saved state, as on a restart.
    pub fn with_state(
        cc: &eframe::CreationContext<'_>,
        config: AppConfig,
        mut state: State,
    ) -> std::io::Result<Self> {
        if state.credentials.is_empty() && state.history.is_empty() {
            // A first run: Compose & Send holds the guide that leads through the rest.
            state.section = Section::Compose;
        }
        let worker = Worker::start(cc.egui_ctx.clone())?;
        let mut simulator = SimulatorPanel::new(config.data_dir.as_deref().map(simulator_dir));
        simulator.start(&state.simulator, &worker);
        let mut credentials = CredentialsPanel::new(config.data_dir);
        credentials.restore(&state.credentials, &worker);
        let logo = eframe::icon_data::from_png_bytes(super::LOGO_PNG)
            .ok()
            .map(|icon| {
                let size = [icon.width as usize, icon.height as usize];
                let image = egui::ColorImage::from_rgba_unmultiplied(size, &icon.rgba);
                cc.egui_ctx
                    .load_texture("pushlab-logo", image, egui::TextureOptions::LINEAR)
            });
        Ok(App {
            state,
            worker,
            credentials,
            simulator,
            connection: ConnectionPanel::default(),
            compose: ComposePanel::default(),
            batch: BatchPanel::default(),
            history: HistoryPanel::default(),
            confirm_close: false,
            closing: false,
            after_restart: None,
            connections: Connections::default(),
            commands: Vec::new(),
            ctx: cc.egui_ctx.clone(),
            applied_appearance: None,
            logo,
            frame_stats: std::env::var_os("PUSHLAB_FRAME_STATS").map(|_| FrameStats {
                since: std::time::Instant::now(),
                cpu_ms: Vec::new(),
            }),
        })
    }

    /// The Credentials screen, for tests and for panels that need the chosen credential.
    pub fn credentials(&self) -> &CredentialsPanel {
        &self.credentials
    }

    /// The Simulator screen, with the running simulator and its device registry.
    pub fn simulator(&self) -> &SimulatorPanel {
        &self.simulator
    }

    /// The Connection screen, with the last check's report.
    pub fn connection(&self) -> &ConnectionPanel {
        &self.connection
    }

    /// The Compose & Send screen, with the last answer.
    pub fn compose(&self) -> &ComposePanel {
        &self.compose
    }

    /// The Batch screen, with its results.
    pub fn batch(&self) -> &BatchPanel {
        &self.batch
    }

    /// Whether the close confirmation is showing.
    pub fn is_confirming_close(&self) -> bool {
        self.confirm_close
    }

    /// Where pushes go now and with which credential, or why that is not settled.
    fn plan(&self) -> Result<connection::Plan, String> {
        let mut plan = connection::plan(
            &self.state.connection,
            self.simulator.simulator(),
            &self.credentials,
        )?;
        let typed = self.state.compose.bundle_id.trim();
        if !typed.is_empty() {
            plan.bundle_id = Some(typed.to_owned());
        }
        if plan.bundle_id.is_none() {
            return Err(connection::NO_BUNDLE_ID.to_owned());
        }
        Ok(plan)
    }

    /// The embedded simulator accepts provider tokens only from keys it knows: a `.p8` used
    /// against it for the first time is registered and the simulator restarted. Returns true
    /// when a restart was started (the command then runs once it is up).
    fn restart_to_trust_auth_key(&mut self) -> bool {
        let Ok(plan) = self.plan() else { return false };
        let crate::client::ClientAuth::Token(signer) = &plan.auth else {
            return false;
        };
        let key = signer.key();
        if !plan.local || self.simulator.trusts(&key.key_id, &key.team_id) {
            return false;
        }
        let Ok(registered) = crate::sim::RegisteredKey::from_auth_key(key) else {
            return false;
        };
        self.simulator.trust(registered);
        self.simulator.start(&self.state.simulator, &self.worker);
        true
    }

    /// What would be saved now.
    pub fn state(&self) -> State {
        let mut state = self.state.clone();
        state.credentials = self.credentials.saved();
        state
    }

    fn run(&mut self, command: Command) {
        if matches!(
            command,
            Command::CheckConnection | Command::Send | Command::StartBatch
        ) && self.restart_to_trust_auth_key()
        {
            self.after_restart = Some(command);
            return;
        }
        let command = match command {
            Command::Resend(index) | Command::OpenInCompose(index) => {
                let resend = matches!(command, Command::Resend(_));
                if let Some(entry) = self.state.history.get(index) {
                    let mut draft = entry.draft.clone();
                    if entry.batch.is_some() {
                        // A batch went to many tokens: keep the one Compose has.
                        draft.token.clone_from(&self.state.compose.token);
                    }
                    self.compose.load(&mut self.state, draft);
                    self.state.section = Section::Compose;
                }
                if !resend {
                    return;
                }
                Command::Send
            }
            other => other,
        };
        match command {
            Command::CheckConnection => {
                let plan = self.plan();
                self.connection.start_check(plan, &self.worker, &self.ctx);
                return;
            }
            Command::Send => {
                let plan = self.plan();
                self.compose.send(
                    &self.state.compose,
                    &self.state.devices,
                    plan,
                    &self.connections,
                    &self.worker,
                );
                return;
            }
            Command::ProbeOtherEnvironment(token) => {
                let mut settings = self.state.connection.clone();
                settings.destination = match settings.destination {
                    super::state::Destination::Sandbox => super::state::Destination::Production,
                    super::state::Destination::Production => super::state::Destination::Sandbox,
                    _ => {
                        self.batch.set_error(
                            "The other environment exists only for Apple's hosts: choose Apple sandbox or production on the Connection screen.",
                        );
                        return;
                    }
                };
                let plan =
                    connection::plan(&settings, self.simulator.simulator(), &self.credentials).map(
                        |mut plan| {
                            let typed = self.state.compose.bundle_id.trim();
                            if !typed.is_empty() {
                                plan.bundle_id = Some(typed.to_owned());
                            }
                            plan
                        },
                    );
                let draft = crate::gui::state::Draft {
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
                return;
            }
            Command::CopyCurl => {
                let plan = self.plan();
                self.compose.copy_curl(&self.state.compose, plan, &self.ctx);
                return;
            }
            Command::StartBatch => {
                let recipients = super::batch::Recipients {
                    recipients: self.batch.recipients(&self.state),
                    invalid: self.batch.invalid_inputs(),
                };
                let template = self.plan().and_then(|plan| {
                    let draft = crate::gui::state::Draft {
                        token: DEMO_TOKEN.to_owned(),
                        ..self.state.compose.clone()
                    };
                    let n = ComposePanel::notification(&draft, &plan).map_err(|e| {
                        format!("The notification on Compose & Send has a problem: {e}")
                    })?;
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
                return;
            }
            _ => {}
        }
        let worker = &self.worker;
        let state = &mut self.state;
        match command {
            Command::ShowSection(section) => state.section = section,
            Command::SetAppearance(appearance) => state.settings.appearance = appearance,
            Command::Import(paths) => {
                if let Some(folder) = paths.first().and_then(|p| p.parent()) {
                    state.last_folder = Some(folder.to_owned());
                }
                state.section = Section::Credentials;
                self.credentials.import(paths, worker);
            }
            Command::PickFilesToImport => {
                self.credentials
                    .pick_files(state.last_folder.clone(), worker);
            }
            Command::Unlock { entry, passphrase } => {
                self.credentials.unlock(entry, passphrase, worker);
            }
            Command::Reload(entry) => self.credentials.reload(entry, worker),
            Command::Remove(entry) => {
                self.credentials.remove(entry);
                // Its connections go with it; the others reconnect when next used.
                self.connections.clear();
            }
            Command::Export {
                entry,
                format,
                passphrase,
                path,
                overwrite,
            } => {
                if let Some(folder) = path.parent() {
                    state.last_folder = Some(folder.to_owned());
                }
                self.credentials
                    .export(entry, format, passphrase, path, overwrite, worker);
            }
            Command::PickExportPath {
                entry,
                format,
                passphrase,
            } => self.credentials.pick_export_path(
                entry,
                format,
                passphrase,
                state.last_folder.clone(),
                worker,
            ),
            Command::GenerateTestCertificate {
                bundle_id,
                environment,
            } => {
                state.test_bundle_id.clone_from(&bundle_id);
                self.credentials.generate(bundle_id, environment, worker);
            }
            Command::StartSimulator => self.simulator.start(&state.simulator, worker),
            Command::StopSimulator => self.simulator.stop(worker),
            Command::ClearInbox => self.simulator.clear_inbox(),
            Command::PickSimulatorCaPath => {
                self.simulator
                    .pick_export_path(state.last_folder.clone(), worker);
            }
            Command::CheckConnection
            | Command::Send
            | Command::CopyCurl
            | Command::StartBatch
            | Command::ProbeOtherEnvironment(_) => {}
            Command::CancelBatch => self.batch.cancel(),
            Command::Resend(_) | Command::OpenInCompose(_) => {}
            Command::ClearHistory => state.history.clear(),
            Command::PickTokenFile => self.batch.pick_file(state.last_folder.clone(), worker),
            Command::ImportTokens(path) => {
                if let Some(folder) = path.parent() {
                    state.last_folder = Some(folder.to_owned());
                }
                self.batch.import(path, worker);
            }
            Command::PickBatchExportPath(kind) => {
                self.batch
                    .pick_export_path(kind, state.last_folder.clone(), worker);
            }
            Command::ExportBatch {
                kind,
                path,
                overwrite,
            } => {
                if let Some(folder) = path.parent() {
                    state.last_folder = Some(folder.to_owned());
                }
                self.batch.export(kind, path, overwrite, worker);
            }
            Command::ExportSimulatorCa { path, overwrite } => {
                if let Some(folder) = path.parent() {
                    state.last_folder = Some(folder.to_owned());
                }
                self.simulator.export_ca(path, overwrite, worker);
            }
        }
    }

    fn navigation(&mut self, ui: &mut egui::Ui) {
        ui.add_space(theme::SECTION_GAP);
        ui.horizontal(|ui| {
            ui.add_space(4.0);
            match &self.logo {
                Some(logo) => {
                    ui.add(
                        egui::Image::new(logo)
                            .fit_to_exact_size(egui::vec2(26.0, 26.0))
                            .alt_text("Pushlab logo"),
                    );
                }
                None => {
                    ui.label(RichText::new("🔔").size(20.0).color(Palette::of(ui).brand));
                }
            }
            ui.heading(RichText::new("Pushlab").strong());
        });
        ui.add_space(theme::SECTION_GAP);
        for (group, sections) in Section::NAVIGATION {
            ui.label(
                RichText::new(group.to_uppercase())
                    .small()
                    .color(Palette::of(ui).muted),
            );
            for &section in *sections {
                let selected = self.state.section == section;
                let text = format!("{}  {}", section.icon(), section.label());
                let button = egui::Button::selectable(selected, RichText::new(text).size(15.0))
                    .min_size(egui::vec2(ui.available_width(), 30.0));
                if ui.add(button).clicked() {
                    self.commands.push(Command::ShowSection(section));
                }
            }
            ui.add_space(theme::ITEM_GAP);
        }
        ui.with_layout(egui::Layout::bottom_up(egui::Align::LEFT), |ui| {
            ui.add_space(theme::SECTION_GAP);
            // Bottom-up: the combo box first, its label above it.
            let current = self.state.settings.appearance;
            let combo = egui::ComboBox::from_id_salt("appearance")
                .selected_text(current.label())
                .width(ui.available_width() - 8.0)
                .show_ui(ui, |ui| {
                    for choice in Appearance::ALL {
                        if ui
                            .selectable_label(current == choice, choice.label())
                            .clicked()
                        {
                            self.commands.push(Command::SetAppearance(choice));
                        }
                    }
                })
                .response;
            let label = ui.label(RichText::new("Appearance").color(Palette::of(ui).muted));
            let _ = combo.labelled_by(label.id);
        });
    }

    /// Files dropped anywhere on the window are imported; while they hover, say so.
    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let (dropped, hovering) = ctx.input(|i| {
            (
                i.raw
                    .dropped_files
                    .iter()
                    .map(|f| f.path().to_owned())
                    .collect::<Vec<_>>(),
                i.raw.hovered_files.len(),
            )
        });
        if !dropped.is_empty() {
            self.commands.push(Command::Import(dropped));
        }
        if hovering > 0 {
            let palette = Palette::for_dark_mode(ctx.global_style().visuals.dark_mode);
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop-overlay"),
            ));
            let rect = ctx.content_rect();
            painter.rect_filled(rect, 0.0, palette.overlay);
            let text = if hovering == 1 {
                "Drop to import this file".to_owned()
            } else {
                format!("Drop to import these {hovering} files")
            };
            painter.text(
                rect.center() - egui::vec2(0.0, 14.0),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(26.0),
                palette.overlay_text,
            );
            painter.text(
                rect.center() + egui::vec2(0.0, 20.0),
                Align2::CENTER_CENTER,
                "Certificates (.cer), keys (.pem, .key), .p12 and .p8 files",
                FontId::proportional(15.0),
                palette.overlay_text,
            );
        }
    }
}

impl App {
    /// Closing the window while a batch runs asks first: the rest would not be sent.
    fn confirm_close_while_sending(&mut self, ctx: &egui::Context) {
        let asked = ctx.input(|i| i.viewport().close_requested());
        if asked && self.batch.is_running() && !self.closing {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_close = true;
        }
    }

    fn close_dialog(&mut self, ctx: &egui::Context) {
        let progress = self.batch.progress();
        egui::Modal::new(egui::Id::unique("confirm-close")).show(ctx, |ui| {
            ui.set_width(380.0);
            ui.heading("A batch is still sending");
            let line = match progress {
                Some((done, Some(total))) => format!(
                    "{done} of {total} pushes have an answer. Closing now stops the batch: the rest are not sent."
                ),
                _ => "Closing now stops the batch: the rest are not sent.".to_owned(),
            };
            ui.add(egui::Label::new(line).wrap());
            ui.add_space(theme::SECTION_GAP);
            ui.horizontal(|ui| {
                if ui.button("Keep sending").clicked() {
                    self.confirm_close = false;
                }
                if ui.button("Stop the batch and close").clicked() {
                    self.batch.cancel();
                    self.confirm_close = false;
                    self.closing = true;
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let appearance = self.state.settings.appearance;
        if self.applied_appearance != Some(appearance) {
            theme::apply(ctx, appearance);
            self.applied_appearance = Some(appearance);
        }
        self.credentials.poll(&self.worker);
        self.simulator.poll(&mut self.commands);
        if self.simulator.simulator().is_some()
            && !self.simulator.is_starting()
            && let Some(command) = self.after_restart.take()
        {
            self.commands.push(command);
        }
        if self.simulator.simulator().is_none() && !self.simulator.is_starting() {
            // The restart failed; the Simulator screen says why.
            self.after_restart = None;
        }
        self.connection.poll();
        self.compose.poll(&mut self.state);
        self.batch.poll(&mut self.state, &mut self.commands);
        self.confirm_close_while_sending(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let Some(stats) = &mut self.frame_stats {
            stats.record(frame);
        }
        let ctx = ui.ctx().clone();
        self.handle_dropped_files(&ctx);
        egui::Panel::left("navigation")
            .resizable(false)
            .exact_size(NAV_WIDTH)
            .show(ui, |ui| self.navigation(ui));
        egui::CentralPanel::default().show(ui, |ui| match self.state.section {
            Section::Credentials => {
                self.credentials.ui(ui, &mut self.state, &mut self.commands);
            }
            Section::Connection => {
                let status = self.simulator.status_line();
                self.connection.ui(
                    ui,
                    &mut self.state,
                    &self.credentials,
                    &status,
                    &mut self.commands,
                );
            }
            Section::Compose => {
                let destination = connection::summary(
                    &self.state.connection,
                    self.simulator.simulator(),
                    &self.credentials,
                );
                let guide = GuideStatus {
                    has_credential: connection::chosen_credential(
                        &self.credentials,
                        &self.state.connection,
                    )
                    .is_some(),
                    check_passed: self.connection.report().is_some_and(|r| r.passed()),
                };
                self.compose.ui(
                    ui,
                    &mut self.state,
                    &destination,
                    &guide,
                    &mut self.commands,
                );
            }
            Section::Batch => {
                let destination = connection::summary(
                    &self.state.connection,
                    self.simulator.simulator(),
                    &self.credentials,
                );
                let draft = &self.state.compose;
                let check = crate::apns::check_payload(
                    draft.payload.as_bytes(),
                    draft.push_type,
                    draft.priority,
                );
                let payload_line = format!(
                    "{} push, {} bytes{}",
                    draft.push_type,
                    check.size,
                    if check.is_ok() {
                        ""
                    } else {
                        " — has errors: fix it on Compose & Send"
                    }
                );
                self.batch.ui(
                    ui,
                    &mut self.state,
                    &payload_line,
                    &destination,
                    &mut self.commands,
                );
            }
            Section::History => {
                self.history.ui(ui, &mut self.state, &mut self.commands);
            }
            Section::Simulator => {
                self.simulator.ui(ui, &mut self.state, &mut self.commands);
            }
        });
        if self.confirm_close {
            self.close_dialog(&ctx);
        }
        for command in std::mem::take(&mut self.commands) {
            self.run(command);
        }
        if self.credentials.is_busy() || self.simulator.is_starting() || self.connection.is_busy() {
            // Results wake the UI by themselves; this only keeps spinners turning.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state());
    }
}
