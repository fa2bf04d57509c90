//! The window: navigation on the left, the current section's panel in the middle. Panels draw
//! and push [`Command`]s; the app runs them after layout, and polls running tasks every frame.

mod close;
mod commands;
mod frame_stats;
mod nav;
mod saved_state;
mod screens;
mod sending;

use std::path::PathBuf;

use super::batch::BatchPanel;
use super::channels::ChannelsPanel;
use super::compose::{ComposePanel, Connections};
use super::connection::ConnectionPanel;
use super::credentials::{CredentialsPanel, simulator_dir};
use super::doctor::DoctorPanel;
use super::fonts::SystemFonts;
use super::history::HistoryPanel;
use super::i18n::{self, Language};
use super::simulator::SimulatorPanel;
use super::state::State;
use super::theme::{self, Appearance, NAV_WIDTH};
use super::worker::Worker;

pub use commands::Command;
use frame_stats::FrameStats;
pub(crate) use frame_stats::mark_start;
pub use nav::Section;

/// Identifies one entry of the credential list for the length of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryId(pub(crate) u64);

/// Where the app keeps its own files, given from outside so tests can use a temp folder.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    /// The app's data folder (the simulator's CA in `simulator/`, generated test certificates). `None` when the system
    /// has no home folder; then generating says so.
    pub data_dir: Option<PathBuf>,
    /// The system's language, followed unless the user picks one (English by default, so
    /// tests do not depend on the machine's locale).
    pub system_language: Language,
    /// Files to import at start (`pushlab FILE…`, a double-click on a `.p12`).
    pub initial_files: Vec<PathBuf>,
    /// Files handed over by later launches are picked up from the data folder.
    pub accept_handoffs: bool,
    /// The worker's threads give way to the UI thread (see [`crate::gui::worker::WORKER_NICE`]).
    /// Off in tests: there the test thread steps frames without pause, and workers that give
    /// way to it would only make the tests slower. `PUSHLAB_WORKER_GIVES_WAY=0` turns it off
    /// in the app too, to measure what it is worth (beside `PUSHLAB_FRAME_STATS`).
    pub worker_gives_way: bool,
}

impl AppConfig {
    /// The platform's data folder for pushlab (`~/.local/share/pushlab` on Linux).
    pub fn from_system() -> Self {
        AppConfig {
            data_dir: crate::files::data_dir(),
            system_language: Language::from_system(),
            initial_files: Vec::new(),
            accept_handoffs: true,
            worker_gives_way: std::env::var_os("PUSHLAB_WORKER_GIVES_WAY").is_none_or(|v| v != "0"),
        }
    }
}

/// The pushlab desktop app.
pub struct App {
    state: State,
    worker: Worker,
    /// Chart pictures asked of the renderer.
    pictures: crate::gui::charts::Pictures,
    credentials: CredentialsPanel,
    simulator: SimulatorPanel,
    connection: ConnectionPanel,
    doctor: DoctorPanel,
    channels: ChannelsPanel,
    /// The user closed the expiring-credential warning for this run.
    expiry_dismissed: bool,
    /// Files later launches handed over, read off the UI thread (`None` in tests and
    /// without a data folder).
    handoffs: Option<std::sync::mpsc::Receiver<Vec<PathBuf>>>,
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
    /// The system's language, for "follow the system".
    system_language: Language,
    /// The system's fonts for scripts egui lacks, loading on a thread after start.
    fonts: SystemFonts,
    /// The user hid the note about missing fonts.
    font_note_hidden: bool,
    /// The saved state did not read: where it was kept, until the user hides the note.
    unreadable_state: Option<saved_state::UnreadableState>,
}

impl App {
    /// Builds the app, restoring what was saved and reloading saved credentials in the
    /// background.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> std::io::Result<Self> {
        let (state, unreadable) = saved_state::restore(cc.storage, config.data_dir.as_deref());
        let mut app = Self::with_state(cc, config, state)?;
        app.unreadable_state = unreadable;
        Ok(app)
    }

    /// Builds the app from a given saved state, as on a restart.
    pub fn with_state(
        cc: &eframe::CreationContext<'_>,
        config: AppConfig,
        mut state: State,
    ) -> std::io::Result<Self> {
        state.migrate();
        if state.credentials.is_empty() && state.history.is_empty() {
            // A first run: Compose & Send holds the guide that leads through the rest.
            state.section = Section::Compose;
        }
        let fonts = SystemFonts::start(&cc.egui_ctx);
        let worker = Worker::start(cc.egui_ctx.clone(), config.worker_gives_way)?;
        let mut simulator = SimulatorPanel::new(config.data_dir.as_deref().map(simulator_dir));
        simulator.start(&state.simulator, &worker);
        let handoffs = config
            .data_dir
            .clone()
            .filter(|_| config.accept_handoffs)
            .and_then(|dir| super::instance::watch(dir, cc.egui_ctx.clone()));
        let initial_files = config.initial_files.clone();
        let mut batch = BatchPanel::default();
        if let Some(dir) = &config.data_dir {
            batch.keep_journals(dir, &worker);
        }
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
            pictures: crate::gui::charts::Pictures::default(),
            credentials,
            simulator,
            connection: ConnectionPanel::default(),
            doctor: DoctorPanel::default(),
            channels: ChannelsPanel::default(),
            expiry_dismissed: false,
            handoffs,
            compose: ComposePanel::default(),
            batch,
            history: HistoryPanel::default(),
            confirm_close: false,
            closing: false,
            after_restart: None,
            connections: Connections::default(),
            commands: if initial_files.is_empty() {
                Vec::new()
            } else {
                vec![Command::Import(initial_files)]
            },
            ctx: cc.egui_ctx.clone(),
            applied_appearance: None,
            logo,
            frame_stats: FrameStats::from_env(),
            system_language: config.system_language,
            fonts,
            font_note_hidden: false,
            unreadable_state: None,
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

    /// The Doctor screen, with its last diagnosis.
    pub fn doctor(&self) -> &DoctorPanel {
        &self.doctor
    }

    /// The Channels screen, with its last answer.
    pub fn channels(&self) -> &ChannelsPanel {
        &self.channels
    }

    /// A Live Activity start the embedded simulator took: Compose learns the update token its
    /// phone made for the new activity, as an app tells its server.
    fn follow_started_activity(&mut self) {
        let Some((start, addr)) = self.compose.take_started() else {
            return;
        };
        let update = self
            .simulator
            .simulator()
            .filter(|sim| sim.addr().port() == addr.port())
            .and_then(|sim| sim.inbox().started_from(&start));
        if let Some(update) = update {
            self.compose
                .follow_started(&mut self.state, &start, &update);
        }
    }

    /// Imports files a later launch handed over, and comes forward.
    fn take_handoffs(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.handoffs else {
            return;
        };
        let files: Vec<PathBuf> = rx.try_iter().flatten().collect();
        if !files.is_empty() {
            self.commands.push(Command::Import(files));
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        }
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

    /// The language the app shows now: the chosen one, or English while (or when) the fonts
    /// to draw it are missing, so the app never shows a screen of boxes.
    pub fn language(&self) -> Language {
        let chosen = self.state.settings.language.resolve(self.system_language);
        if chosen.needs_cjk_font() && !self.fonts.has_cjk() {
            return Language::English;
        }
        chosen
    }

    /// The system's fonts, loading or installed.
    pub fn fonts(&self) -> &SystemFonts {
        &self.fonts
    }

    /// Opens `section`, as its navigation entry does.
    pub fn show_section(&mut self, section: Section) {
        self.state.section = section;
    }

    /// What would be saved now.
    pub fn state(&self) -> State {
        let mut state = self.state.clone();
        state.credentials = self.credentials.saved();
        state
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if let Some(stats) = &mut self.frame_stats {
            stats.frame_started();
        }
        if let Some(bytes) = self.fonts.poll(ctx)
            && let Some(stats) = &self.frame_stats
        {
            stats.fonts_installed(bytes);
        }
        i18n::set_language(self.language());
        let appearance = self.state.settings.appearance;
        if self.applied_appearance != Some(appearance) {
            theme::apply(ctx, appearance);
            self.applied_appearance = Some(appearance);
        }
        self.credentials.poll(&self.worker);
        self.use_test_key();
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
        self.history.chart_export().poll();
        self.doctor.poll();
        self.channels.poll();
        self.take_handoffs(ctx);
        self.compose.poll(&mut self.state);
        self.follow_started_activity();
        self.batch.poll(&mut self.state, &mut self.commands);
        self.save_pictures(ctx);
        self.confirm_close_while_sending(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let Some(stats) = &mut self.frame_stats {
            stats.record(frame);
        }
        let ctx = ui.ctx().clone();
        i18n::set_language(self.language());
        self.handle_dropped_files(&ctx);
        egui::Panel::left("navigation")
            .resizable(false)
            .exact_size(NAV_WIDTH)
            .show(ui, |ui| self.navigation(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            self.font_note(ui);
            self.unreadable_state_note(ui);
            self.screen_ui(ui);
        });
        if self.confirm_close {
            self.close_dialog(&ctx);
        }
        for command in std::mem::take(&mut self.commands) {
            self.run(command);
        }
        if self.credentials.is_busy()
            || self.simulator.is_starting()
            || self.connection.is_busy()
            || self.doctor.is_busy()
            || self.channels.is_busy()
        {
            // Results wake the UI by themselves; this only keeps spinners turning.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state());
    }
}
