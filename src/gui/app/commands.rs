//! What panels ask the app to do, and the app doing it once the frame is laid out.

use std::path::{Path, PathBuf};

use super::{App, EntryId, Section};
use crate::cert::{CertEnvironment, ExportFormat, Passphrase};
use crate::gui::batch::ExportKind;
use crate::gui::i18n::LanguageChoice;
use crate::gui::theme::Appearance;

/// Something a panel asks the app to do. Panels only push these while drawing; the app runs
/// them after the frame's layout, so no drawing code starts work or touches files.
#[derive(Debug)]
pub enum Command {
    /// Open a screen, as its navigation entry does.
    ShowSection(Section),
    /// Use and remember this appearance (Settings).
    SetAppearance(Appearance),
    /// Use and remember this language: the system's, or one the user picked.
    SetLanguage(LanguageChoice),

    // Credentials
    /// Read these files and add them to the list (several at once; halves pair up).
    Import(Vec<PathBuf>),
    /// Open the native file dialog to choose files to import.
    PickFilesToImport,
    /// Retry a protected file with a passphrase.
    Unlock {
        /// The list entry whose file asked for the passphrase.
        entry: EntryId,
        /// As typed; held in memory only, never saved.
        passphrase: Passphrase,
    },
    /// Read an entry's files again (after fixing them on disk).
    Reload(EntryId),
    /// Take an entry off the list (its files stay on disk).
    Remove(EntryId),
    /// Write an entry in `format` to `path`.
    Export {
        /// The list entry to export.
        entry: EntryId,
        /// Certificate and key in one PEM, either alone, or PKCS#12 (modern or legacy).
        format: ExportFormat,
        /// Encrypts the key in PEM output and protects a `.p12` (`None`: an unencrypted key, a
        /// `.p12` with an empty passphrase).
        passphrase: Option<Passphrase>,
        /// Where to write.
        path: PathBuf,
        /// Replace a file already at `path` (the user was asked).
        overwrite: bool,
    },
    /// Ask the native dialog where to write an export, then write it there.
    PickExportPath {
        /// The list entry to export.
        entry: EntryId,
        /// Certificate and key in one PEM, either alone, or PKCS#12 (modern or legacy).
        format: ExportFormat,
        /// Encrypts the key in PEM output and protects a `.p12` (`None`: an unencrypted key, a
        /// `.p12` with an empty passphrase).
        passphrase: Option<Passphrase>,
    },
    /// Issue a test push certificate from the simulator's CA and add it to the list.
    GenerateTestCertificate {
        /// The topic the certificate covers.
        bundle_id: String,
        /// Development or production: which of Apple's environments it claims, as Apple's do.
        environment: CertEnvironment,
    },
    /// Make a test auth key (.p8) in the data folder and add it to the list: token-based
    /// connections rehearsed against the simulator, which trusts it when it is first used.
    GenerateTestAuthKey {
        /// Send with it once made (asked beside a push type that needs one), for the app the
        /// credential in use was for.
        use_it: bool,
    },

    // Simulator
    /// Start the embedded simulator with the saved settings (restarting a running one).
    StartSimulator,
    /// Apply the simulator settings: faults to the running simulator as it runs, anything
    /// else by restarting it.
    ApplySimulator,
    /// Stop the embedded simulator; its inbox goes with it.
    StopSimulator,
    /// Empty the simulator's inbox and its kept refusals (the simulator keeps running).
    ClearInbox,
    /// Ask the native dialog where to save the simulator's CA, then save it there.
    PickSimulatorCaPath,
    /// Save the simulator's CA; an existing file only with `overwrite` (the user was asked).
    ExportSimulatorCa {
        /// Where to save it.
        path: PathBuf,
        /// Replace a file already at `path` (the user was asked).
        overwrite: bool,
    },

    // Connection
    /// Check the connection with the chosen destination and credential, step by step.
    CheckConnection,
    /// Run the doctor on the Doctor screen.
    RunDoctor,
    /// Round trips of the connection check's probe, p50 / p95 / p99.
    MeasureLatency,
    /// A request to the broadcast channel API, or a broadcast.
    Channels(crate::gui::channels::ChannelAction),
    /// Subscribe (or unsubscribe) the Channels screen's token to its channel in the embedded
    /// simulator.
    SubscribeInSimulator(bool),

    // Compose
    /// Send the composed notification.
    Send,
    /// Compose an update to a Live Activity the simulator holds: to its update token, with
    /// its content state; a saved device whose push-to-start token started it remembers the
    /// update token, as the app would tell its server.
    UpdateActivity {
        /// The activity's update token (hex).
        update_token: String,
        /// The push-to-start token (hex) that started it, if a push did.
        start_token: Option<String>,
        /// Its content state now.
        content_state: serde_json::Map<String, serde_json::Value>,
    },
    /// Copy the composed notification as a curl command line.
    CopyCurl,

    // Batch
    /// Send the composed notification to every recipient on the Batch screen.
    StartBatch,
    /// Stop the running batch: nothing more is sent, and History records it as cancelled.
    CancelBatch,
    /// Send what the interrupted batch shown on the Batch screen left unsent.
    ResumeBatch,
    /// Forget the interrupted batch shown on the Batch screen (its files are removed).
    DiscardInterruptedBatch,
    /// Send the composed notification to this one token in the other Apple environment
    /// (most of a batch got BadDeviceToken); the answer shows on Compose & Send.
    ProbeOtherEnvironment(String),
    /// Ask the native dialog for a token file, then read it.
    PickTokenFile,
    /// Read this token file on the worker and show its tokens as the batch's recipients.
    ImportTokens(PathBuf),
    /// Read a paste too large to edit (on the worker).
    ReadPastedTokens,
    /// Ask the native dialog where to export, then write there.
    PickBatchExportPath(ExportKind),
    /// Write an export; an existing file only with `overwrite` (the user was asked).
    ExportBatch {
        /// Which results, in which format.
        kind: ExportKind,
        /// Where to write.
        path: PathBuf,
        /// Replace a file already at `path` (the user was asked).
        overwrite: bool,
    },

    // History
    /// Send a history entry's request again (it also becomes the Compose screen's draft).
    Resend(usize),
    /// Load a history entry's request into Compose & Send.
    OpenInCompose(usize),
    /// Forget every entry of History.
    ClearHistory,
    /// Save a chart's data as CSV.
    ExportChart {
        /// The chart whose data it is.
        chart: crate::gui::charts::ChartId,
        /// Where to write.
        path: PathBuf,
        /// The chart's data, made when the button was pressed.
        csv: String,
    },
    /// Save a chart as a picture: the window is captured on its next frame.
    ExportChartPicture(crate::gui::charts::PictureRequest),
}

impl App {
    /// Runs one command. A check or a send that needs the simulator to trust a new auth key
    /// waits for its restart.
    pub(super) fn run(&mut self, command: Command) {
        if matches!(
            command,
            Command::CheckConnection
                | Command::RunDoctor
                | Command::Send
                | Command::StartBatch
                | Command::ResumeBatch
                | Command::Channels(_)
                | Command::MeasureLatency
        ) && self.start_to_trust_auth_key()
        {
            self.after_restart = Some(command);
            return;
        }
        let worker = &self.worker;
        let state = &mut self.state;
        match command {
            Command::ShowSection(section) => {
                state.section = section;
                // The guide's last step: the inbox looked at after a push was delivered.
                if section == Section::Simulator
                    && state.history.iter().any(|h| h.status == Some(200))
                {
                    state.guide_inbox_seen = true;
                }
            }
            Command::SetAppearance(appearance) => state.settings.appearance = appearance,
            Command::SetLanguage(language) => state.settings.language = language,

            // Credentials
            c @ (Command::Import(_)
            | Command::PickFilesToImport
            | Command::Unlock { .. }
            | Command::Reload(_)
            | Command::Remove(_)
            | Command::Export { .. }
            | Command::PickExportPath { .. }
            | Command::GenerateTestCertificate { .. }
            | Command::GenerateTestAuthKey { .. }) => self.run_credentials(c),

            // Simulator
            c @ (Command::StartSimulator
            | Command::ApplySimulator
            | Command::StopSimulator
            | Command::ClearInbox
            | Command::PickSimulatorCaPath
            | Command::ExportSimulatorCa { .. }) => self.run_simulator(c),

            // Connection, Compose & Send
            Command::CheckConnection => self.check_connection(),
            Command::RunDoctor => self.run_doctor(),
            Command::MeasureLatency => {
                let plan = self.plan();
                self.connection.start_latency(plan, &self.worker);
            }
            Command::Channels(action) => self.channel_request(action),
            Command::SubscribeInSimulator(on) => {
                let registry = self.simulator.registry().clone();
                self.channels.subscribe(&registry, on);
            }
            Command::Send => self.send(),
            Command::UpdateActivity {
                update_token,
                start_token,
                content_state,
            } => {
                self.compose.update_activity(
                    state,
                    &update_token,
                    start_token.as_deref(),
                    content_state,
                );
                state.section = Section::Compose;
            }
            Command::CopyCurl => self.copy_curl(),

            // Batch
            c @ (Command::StartBatch
            | Command::CancelBatch
            | Command::ResumeBatch
            | Command::DiscardInterruptedBatch
            | Command::ProbeOtherEnvironment(_)
            | Command::PickTokenFile
            | Command::ImportTokens(_)
            | Command::ReadPastedTokens
            | Command::PickBatchExportPath(_)
            | Command::ExportBatch { .. }) => self.run_batch(c),

            // History
            Command::Resend(index) => {
                self.open_in_compose(index);
                self.send();
            }
            Command::OpenInCompose(index) => self.open_in_compose(index),
            Command::ClearHistory => state.history.clear(),
            Command::ExportChart { chart, path, csv } => {
                use crate::gui::charts::ChartId;
                let export = match chart {
                    ChartId::Batch => self.batch.chart_export(),
                    ChartId::Latency => self.connection.chart_export(),
                    ChartId::History => self.history.chart_export(),
                    ChartId::Simulator => self.simulator.chart_export(),
                };
                export.start(path, csv, worker);
            }
            Command::ExportChartPicture(request) => self.pictures.request(&self.ctx, request),
        }
    }

    /// The Credentials screen's commands (`run` routes only those here).
    fn run_credentials(&mut self, command: Command) {
        let worker = &self.worker;
        let state = &mut self.state;
        match command {
            Command::Import(paths) => {
                if let Some(first) = paths.first() {
                    remember_folder(&mut state.last_folder, first);
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
                remember_folder(&mut state.last_folder, &path);
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
            Command::GenerateTestAuthKey { use_it } => {
                // Any team id does for a test key: one is filled in only where none is typed,
                // so the first token-based rehearsal needs no typing.
                if state.connection.team_id.trim().is_empty() {
                    state.connection.team_id = TEST_TEAM_ID.to_owned();
                }
                self.credentials.generate_key(use_it, worker);
            }
            // Routed elsewhere by `run`.
            _ => {}
        }
    }

    /// The Simulator screen's commands (`run` routes only those here).
    fn run_simulator(&mut self, command: Command) {
        let worker = &self.worker;
        let state = &mut self.state;
        match command {
            Command::StartSimulator => self.simulator.start(&state.simulator, worker),
            Command::ApplySimulator => self.simulator.apply(&state.simulator, worker),
            Command::StopSimulator => self.simulator.stop(worker),
            Command::ClearInbox => self.simulator.clear_inbox(),
            Command::PickSimulatorCaPath => {
                self.simulator
                    .pick_export_path(state.last_folder.clone(), worker);
            }
            Command::ExportSimulatorCa { path, overwrite } => {
                remember_folder(&mut state.last_folder, &path);
                self.simulator.export_ca(path, overwrite, worker);
            }
            // Routed elsewhere by `run`.
            _ => {}
        }
    }

    /// The Batch screen's commands (`run` routes only those here).
    fn run_batch(&mut self, command: Command) {
        let worker = &self.worker;
        let state = &mut self.state;
        match command {
            Command::StartBatch => self.start_batch(),
            Command::CancelBatch => self.batch.cancel(),
            Command::ResumeBatch => self.resume_batch(),
            Command::DiscardInterruptedBatch => self.batch.discard_interrupted(),
            Command::ProbeOtherEnvironment(token) => self.probe_other_environment(token),
            Command::PickTokenFile => self.batch.pick_file(state.last_folder.clone(), worker),
            Command::ImportTokens(path) => {
                remember_folder(&mut state.last_folder, &path);
                self.batch.import(path, worker);
            }
            Command::ReadPastedTokens => self.batch.read_pasted(worker),
            Command::PickBatchExportPath(kind) => {
                self.batch
                    .pick_export_path(kind, state.last_folder.clone(), worker);
            }
            Command::ExportBatch {
                kind,
                path,
                overwrite,
            } => {
                remember_folder(&mut state.last_folder, &path);
                self.batch.export(kind, path, overwrite, worker);
            }
            // Routed elsewhere by `run`.
            _ => {}
        }
    }
}

/// The folder of a file the user chose: file dialogs start there next time.
fn remember_folder(last_folder: &mut Option<PathBuf>, path: &Path) {
    if let Some(folder) = path.parent() {
        *last_folder = Some(folder.to_owned());
    }
}

impl App {
    /// Chart pictures whose screenshot arrived: cut out and written on the worker.
    pub(super) fn save_pictures(&mut self, ctx: &egui::Context) {
        use crate::gui::charts::ChartId;
        for (request, window) in self.pictures.arrived() {
            let picture = crate::gui::charts::crop(&window, request.rect, ctx.pixels_per_point());
            let export = match request.chart {
                ChartId::Batch => self.batch.chart_export(),
                ChartId::Latency => self.connection.chart_export(),
                ChartId::History => self.history.chart_export(),
                ChartId::Simulator => self.simulator.chart_export(),
            };
            export.start_picture(request.path, picture, &self.worker);
        }
    }
}

/// The team id filled in for a test auth key when none is typed.
pub use crate::cert::TEST_TEAM_ID;
