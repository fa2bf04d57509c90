//! The Credentials screen: import certificates, keys, `.p12` and `.p8` files (drop, dialog or
//! path), unlock protected ones, inspect them, export them, and issue test certificates.

mod jobs;

use std::path::PathBuf;

use egui::{RichText, TextEdit};

use jobs::{Generated, Half, Pairing, Partner, Passphrases};
pub use jobs::{Loaded, simulator_dir};

use super::app::{Command, EntryId};
use super::dialogs::{self, Picked, expand_home};
use super::error::JobError;
use super::save_flow::SaveFlow;
use super::state::{SavedCredential, State};
use super::theme::{self, ITEM_GAP, LIST_WIDTH, Palette, SECTION_GAP, Tone};
use super::widgets::{
    CopyRows, Message, capitalise, chip, copy_row, file_name, notice, secret_field,
};
use super::worker::{Task, Worker};
use crate::cert::{CertEnvironment, CertError, ExportFormat, FileKind, Passphrase, Severity};

/// One line of the list: the files, and what became of reading them.
pub struct Entry {
    pub id: EntryId,
    pub saved: SavedCredential,
    pub status: Status,
    /// Passphrases typed for this entry's files, this session only.
    passphrases: Passphrases,
    pairing: Task<Option<Pairing<EntryId>>, JobError>,
}

/// Where an entry is.
pub enum Status {
    Loading(Task<Box<Loaded>, JobError>),
    /// A file needs a passphrase. `wrong` after a rejected one.
    Locked {
        file: PathBuf,
        input: String,
        shown: bool,
        wrong: bool,
    },
    Ready(Box<Loaded>),
    Failed(String),
}

impl Entry {
    /// The inspected credential, once it has been read.
    pub fn loaded(&self) -> Option<&Loaded> {
        match &self.status {
            Status::Ready(loaded) => Some(loaded),
            _ => None,
        }
    }
}

/// What the right-hand side shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Welcome,
    Entry(EntryId),
    Generate,
}

#[derive(Default)]
struct ImportForm {
    path: String,
    dialog: Task<Picked, JobError>,
    message: Option<Message>,
}

/// What an export writes: which entry, in which format, protected by which passphrase.
type ExportRequest = (EntryId, ExportFormat, Option<Passphrase>);

struct ExportForm {
    /// The entry the form was last used for; switching entries clears the message.
    entry: Option<EntryId>,
    format: ExportFormat,
    passphrase: String,
    shown: bool,
    save: SaveFlow<ExportRequest>,
}

impl Default for ExportForm {
    fn default() -> Self {
        ExportForm {
            entry: None,
            format: ExportFormat::Pem,
            passphrase: String::new(),
            shown: false,
            save: SaveFlow::new(
                "",
                "No save dialog could be opened on this desktop (it needs xdg-desktop-portal or zenity). Type the path in the field below instead.",
                |path| format!("Saved to {}", path.display()),
            ),
        }
    }
}

struct GenerateForm {
    environment: CertEnvironment,
    task: Task<Generated, JobError>,
    message: Option<Message>,
    /// The entry just issued: its page repeats the confirmation.
    issued: Option<EntryId>,
}

/// The Credentials screen.
pub struct CredentialsPanel {
    entries: Vec<Entry>,
    view: View,
    next_id: u64,
    data_dir: Option<PathBuf>,
    import: ImportForm,
    export: ExportForm,
    generate: GenerateForm,
}

const FORMATS: [(ExportFormat, &str); 5] = [
    (ExportFormat::Pem, "Combined PEM (cert + key)"),
    (ExportFormat::CertPem, "Certificate PEM"),
    (ExportFormat::KeyPem, "Key PEM"),
    (ExportFormat::P12, ".p12"),
    (ExportFormat::P12Legacy, ".p12 (legacy)"),
];

impl CredentialsPanel {
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        CredentialsPanel {
            entries: Vec::new(),
            view: View::Welcome,
            next_id: 1,
            data_dir,
            import: ImportForm::default(),
            export: ExportForm::default(),
            generate: GenerateForm {
                environment: CertEnvironment::Development,
                task: Task::Idle,
                message: None,
                issued: None,
            },
        }
    }

    /// The list, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry shown on the right, if any.
    pub fn selected(&self) -> Option<&Entry> {
        match self.view {
            View::Entry(id) => self.entry(id),
            _ => None,
        }
    }

    /// What to remember of the list: paths and names only.
    pub fn saved(&self) -> Vec<SavedCredential> {
        self.entries.iter().map(|e| e.saved.clone()).collect()
    }

    /// Whether any job of this screen is running.
    pub fn is_busy(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(&e.status, Status::Loading(_)) || e.pairing.is_running())
            || self.import.dialog.is_running()
            || self.export.save.is_choosing()
            || self.export.save.is_writing()
            || self.generate.task.is_running()
    }

    fn entry(&self, id: EntryId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    fn entry_mut(&mut self, id: EntryId) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.id == id)
    }

    fn add(&mut self, saved: SavedCredential, status: Status) -> EntryId {
        let id = EntryId(self.next_id);
        self.next_id += 1;
        self.entries.push(Entry {
            id,
            saved,
            status,
            passphrases: Passphrases::new(),
            pairing: Task::Idle,
        });
        id
    }

    fn start_loading(
        saved: &SavedCredential,
        passphrases: &Passphrases,
        worker: &Worker,
    ) -> Status {
        let path = saved.path.clone();
        let key_path = saved.key_path.clone();
        let passphrases = passphrases.clone();
        Status::Loading(worker.run_blocking(move |_| {
            jobs::load(&path, key_path.as_deref(), &passphrases).map(Box::new)
        }))
    }

    // ---- Commands -------------------------------------------------------------------------

    /// Re-reads the saved list at start-up.
    pub fn restore(&mut self, saved: &[SavedCredential], worker: &Worker) {
        for s in saved {
            let status = Self::start_loading(s, &Passphrases::new(), worker);
            self.add(s.clone(), status);
        }
        if let Some(first) = self.entries.first() {
            self.view = View::Entry(first.id);
        }
    }

    pub fn import(&mut self, paths: Vec<PathBuf>, worker: &Worker) {
        let mut first = None;
        let mut already = Vec::new();
        for path in paths {
            if let Some(existing) = self
                .entries
                .iter()
                .find(|e| e.saved.path == path || e.saved.key_path.as_ref() == Some(&path))
            {
                first.get_or_insert(existing.id);
                already.push(file_name(&path));
                continue;
            }
            let saved = SavedCredential {
                name: file_name(&path),
                path,
                key_path: None,
            };
            let status = Self::start_loading(&saved, &Passphrases::new(), worker);
            let id = self.add(saved, status);
            first.get_or_insert(id);
        }
        self.import.message = if already.is_empty() {
            None
        } else {
            Some(Message::info(format!(
                "Already in the list: {}",
                already.join(", ")
            )))
        };
        if let Some(id) = first {
            self.view = View::Entry(id);
        }
    }

    pub fn pick_files(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.import.message = None;
        self.import.dialog = worker.run_blocking(move |_| {
            Ok(dialogs::open_many(
                "Import credentials",
                start,
                (
                    "Certificates and keys",
                    &["p12", "pfx", "cer", "der", "crt", "pem", "key", "p8"],
                ),
            ))
        });
    }

    pub fn unlock(&mut self, id: EntryId, passphrase: Passphrase, worker: &Worker) {
        let Some(entry) = self.entry_mut(id) else {
            return;
        };
        let Status::Locked { file, .. } = &entry.status else {
            return;
        };
        entry.passphrases.insert(file.clone(), passphrase);
        entry.status = Self::start_loading(&entry.saved, &entry.passphrases, worker);
    }

    pub fn reload(&mut self, id: EntryId, worker: &Worker) {
        if let Some(entry) = self.entry_mut(id) {
            entry.status = Self::start_loading(&entry.saved, &entry.passphrases, worker);
        }
    }

    pub fn remove(&mut self, id: EntryId) {
        self.entries.retain(|e| e.id != id);
        if self.view == View::Entry(id) {
            self.view = self
                .entries
                .first()
                .map_or(View::Welcome, |e| View::Entry(e.id));
        }
    }

    pub fn export(
        &mut self,
        id: EntryId,
        format: ExportFormat,
        passphrase: Option<Passphrase>,
        path: PathBuf,
        overwrite: bool,
        worker: &Worker,
    ) {
        let Some(credential) = self
            .entry(id)
            .and_then(Entry::loaded)
            .and_then(|l| l.credential.clone())
        else {
            self.export
                .save
                .fail("This entry has no certificate to export.");
            return;
        };
        let request = (id, format, passphrase.clone());
        self.export.save.write(worker, request, overwrite, move || {
            jobs::export(&credential, format, passphrase.as_ref(), &path, overwrite)
        });
    }

    pub fn pick_export_path(
        &mut self,
        id: EntryId,
        format: ExportFormat,
        passphrase: Option<Passphrase>,
        start: Option<PathBuf>,
        worker: &Worker,
    ) {
        let name = self
            .entry(id)
            .map(|e| suggested_file_name(e, format))
            .unwrap_or_default();
        let request = (id, format, passphrase);
        self.export
            .save
            .choose(worker, "Export credential", start, name, request);
    }

    pub fn generate(&mut self, bundle_id: String, environment: CertEnvironment, worker: &Worker) {
        let Some(data_dir) = self.data_dir.clone() else {
            self.generate.message = Some(Message::bad(
                "There is no data folder for pushlab on this system (no home folder?), so the test CA has nowhere to live.",
            ));
            return;
        };
        self.generate.message = None;
        self.generate.task =
            worker.run_blocking(move |_| jobs::generate(&data_dir, &bundle_id, environment));
    }

    // ---- Results ---------------------------------------------------------------------------

    /// Picks up finished jobs. Called every frame, before drawing.
    pub fn poll(&mut self, worker: &Worker) {
        let mut wants_pairing = Vec::new();
        for entry in &mut self.entries {
            if let Status::Loading(task) = &mut entry.status
                && task.poll()
            {
                entry.status = match task.take_finished() {
                    Some(Ok(loaded)) => {
                        if let Some(partner) = loaded.wants_partner() {
                            wants_pairing.push((entry.id, partner));
                        }
                        Status::Ready(loaded)
                    }
                    Some(Err(error)) => failed_status(error),
                    None => continue,
                };
            }
        }
        for (id, partner) in wants_pairing {
            self.start_pairing(id, partner, worker);
        }
        let mut pairings = Vec::new();
        for entry in &mut self.entries {
            if entry.pairing.poll()
                && let Some(Ok(Some(pairing))) = entry.pairing.take_finished()
            {
                pairings.push(pairing);
            }
        }
        for pairing in pairings {
            self.merge(pairing);
        }
        self.poll_import_dialog(worker);
        self.poll_export(worker);
        self.poll_generate();
    }

    fn start_pairing(&mut self, id: EntryId, wants: Partner, worker: &Worker) {
        let Some(entry) = self.entry(id) else { return };
        let Some(loaded) = entry.loaded() else { return };
        let half = Half {
            entry: id,
            path: entry.saved.path.clone(),
            file: loaded.main.clone(),
        };
        let opposite = match wants {
            Partner::NeedsKey => Partner::NeedsCertificate,
            Partner::NeedsCertificate => Partner::NeedsKey,
        };
        let candidates: Vec<_> = self
            .entries
            .iter()
            .filter(|e| e.id != id)
            .filter_map(|e| {
                let l = e.loaded()?;
                (l.wants_partner() == Some(opposite)).then(|| Half {
                    entry: e.id,
                    path: e.saved.path.clone(),
                    file: l.main.clone(),
                })
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        if let Some(entry) = self.entry_mut(id) {
            entry.pairing = worker.run_blocking(move |_| jobs::pair(half, wants, candidates));
        }
    }

    /// Folds a key entry into the certificate entry it belongs to.
    fn merge(&mut self, pairing: Pairing<EntryId>) {
        let both_unpaired = [pairing.certificate_entry, pairing.key_entry]
            .iter()
            .all(|id| {
                self.entry(*id)
                    .and_then(Entry::loaded)
                    .is_some_and(|l| l.wants_partner().is_some())
            });
        if !both_unpaired {
            return; // Already merged by the other half's job.
        }
        let key_passphrases = self
            .entry(pairing.key_entry)
            .map(|e| e.passphrases.clone())
            .unwrap_or_default();
        let key_name = file_name(&pairing.key_path);
        if let Some(cert) = self.entry_mut(pairing.certificate_entry) {
            cert.saved.name = format!("{} + {key_name}", cert.saved.name);
            cert.saved.key_path = Some(pairing.key_path);
            cert.passphrases.extend(key_passphrases);
            cert.status = Status::Ready(Box::new(pairing.loaded));
        }
        self.entries.retain(|e| e.id != pairing.key_entry);
        if self.view == View::Entry(pairing.key_entry) {
            self.view = View::Entry(pairing.certificate_entry);
        }
    }

    fn poll_import_dialog(&mut self, worker: &Worker) {
        if !self.import.dialog.poll() {
            return;
        }
        match self.import.dialog.take_finished() {
            Some(Ok(picked)) if !picked.paths.is_empty() => self.import(picked.paths, worker),
            Some(Ok(picked)) if picked.no_dialog() => {
                self.import.message = Some(Message::bad(
                    "No file dialog could be opened on this desktop (it needs xdg-desktop-portal or zenity). Type the file's path below, or drop the files onto this window.",
                ));
            }
            Some(Ok(_)) | None => {}
            Some(Err(e)) => self.import.message = Some(Message::bad(e.to_string())),
        }
    }

    fn poll_export(&mut self, worker: &Worker) {
        if let Some((path, (id, format, passphrase))) = self.export.save.poll() {
            // The dialog already asked about replacing an existing file.
            self.export(id, format, passphrase, path, true, worker);
        }
    }

    fn poll_generate(&mut self) {
        if !self.generate.task.poll() {
            return;
        }
        match self.generate.task.take_finished() {
            Some(Ok(generated)) => {
                let bundle = generated
                    .loaded
                    .inspection
                    .certificate
                    .as_ref()
                    .and_then(|c| c.bundle_id.clone())
                    .unwrap_or_default();
                let first_ca = generated.created_ca;
                let id = self.add(generated.saved, Status::Ready(Box::new(generated.loaded)));
                self.view = View::Entry(id);
                self.generate.issued = Some(id);
                self.generate.message = Some(Message::good(if first_ca {
                    format!(
                        "Issued a test certificate for {bundle}. The simulator's test CA was created for it; the simulator trusts it."
                    )
                } else {
                    format!("Issued a test certificate for {bundle}.")
                }));
            }
            Some(Err(e)) => self.generate.message = Some(Message::bad(e.to_string())),
            None => {}
        }
    }

    // ---- Drawing ---------------------------------------------------------------------------

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<Command>) {
        egui::Panel::left("credential-list")
            .resizable(false)
            .exact_size(LIST_WIDTH)
            .show(ui, |ui| self.list_ui(ui, commands));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.add_space(ITEM_GAP);
                    match self.view {
                        View::Welcome => self.welcome_ui(ui),
                        View::Generate => self.generate_ui(ui, state, commands),
                        View::Entry(id) => self.entry_ui(ui, id, commands),
                    }
                    ui.add_space(SECTION_GAP);
                });
        });
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(ITEM_GAP);
        ui.heading("Credentials");
        ui.label(
            RichText::new(
                "Push certificates, keys, .p12 and .p8 files. Drop files anywhere on the window.",
            )
            .color(Palette::of(ui).muted),
        );
        ui.add_space(ITEM_GAP);
        ui.horizontal(|ui| {
            let choosing = self.import.dialog.is_running();
            if ui
                .add_enabled(!choosing, egui::Button::new("📂 Choose files…"))
                .clicked()
            {
                commands.push(Command::PickFilesToImport);
            }
            if ui.button("✨ New test certificate…").clicked() {
                self.view = View::Generate;
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("File path");
            let field = ui
                .add(
                    TextEdit::singleline(&mut self.import.path)
                        .hint_text("/path/to/Push.p12")
                        .desired_width(ui.available_width() - 70.0),
                )
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Import").clicked() || enter) && !self.import.path.trim().is_empty() {
                let path = expand_home(&self.import.path);
                commands.push(Command::Import(vec![path]));
                self.import.path.clear();
            }
        });
        if let Some(message) = &self.import.message {
            message.show(ui);
        }
        ui.add_space(ITEM_GAP);
        ui.separator();
        if self.entries.is_empty() {
            ui.add_space(SECTION_GAP);
            ui.label(RichText::new("No credentials yet.").color(Palette::of(ui).muted));
            return;
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for entry in &self.entries {
                    if list_row(ui, entry, self.view == View::Entry(entry.id)).clicked() {
                        self.view = View::Entry(entry.id);
                    }
                }
            });
    }

    fn welcome_ui(&mut self, ui: &mut egui::Ui) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.heading("Add a credential");
            ui.add_space(ITEM_GAP);
            ui.label("Pushlab reads what Apple and Keychain Access give you:");
            for line in [
                "•  the push certificate from the developer portal (aps.cer)",
                "•  the .p12 exported from Keychain, with or without a passphrase",
                "•  a PEM file (cert.pem, key.pem or a combined ck.pem)",
                "•  an APNs auth key (AuthKey_XXXXXXXXXX.p8) for token-based pushes",
            ] {
                ui.label(line);
            }
            ui.add_space(ITEM_GAP);
            ui.label(
                "Drop them onto this window, choose them with “Choose files…”, or type a path. A certificate and its key dropped together become one credential.",
            );
            ui.add_space(SECTION_GAP);
            ui.label(
                "No Apple account yet? Issue a test certificate from the simulator's CA and walk the whole path with the built-in simulator.",
            );
            if ui.button("✨ New test certificate…").clicked() {
                self.view = View::Generate;
            }
        });
    }

    fn generate_ui(&mut self, ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<Command>) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.heading("Generate a test certificate");
            ui.label(
                RichText::new(
                    "Issued by the simulator's test CA, shaped like Apple's: the simulator accepts it, Apple does not.",
                )
                .color(Palette::of(ui).muted),
            );
            ui.add_space(SECTION_GAP);
            let problem = jobs::bundle_id_problem(state.test_bundle_id.trim());
            ui.horizontal(|ui| {
                let label = ui.label("Bundle id");
                ui.add(
                    TextEdit::singleline(&mut state.test_bundle_id)
                        .hint_text("com.example.doorbell")
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
            });
            if let Some(problem) = problem
                && !state.test_bundle_id.is_empty()
            {
                notice(ui, "⚠", problem, Palette::of(ui).warning);
            }
            ui.add_space(ITEM_GAP);
            ui.label("Environment");
            for (env, text, hint) in [
                (
                    CertEnvironment::Development,
                    "Development",
                    "sandbox only, like apps run from Xcode",
                ),
                (
                    CertEnvironment::Production,
                    "Production",
                    "TestFlight and App Store builds",
                ),
                (
                    CertEnvironment::Universal,
                    "Universal",
                    "sandbox & production, with .voip and .complication topics",
                ),
            ] {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.generate.environment, env, text);
                    ui.label(RichText::new(hint).color(Palette::of(ui).muted));
                });
            }
            ui.add_space(SECTION_GAP);
            ui.horizontal(|ui| {
                let running = self.generate.task.is_running();
                let button = ui.add_enabled(
                    !running && problem.is_none(),
                    egui::Button::new("Generate test certificate"),
                );
                if button.clicked() {
                    commands.push(Command::GenerateTestCertificate {
                        bundle_id: state.test_bundle_id.trim().to_owned(),
                        environment: self.generate.environment,
                    });
                }
                if running {
                    ui.spinner();
                    ui.label("Creating keys…");
                } else if state.test_bundle_id.trim().is_empty() {
                    ui.label(RichText::new("Type a bundle id first.").color(Palette::of(ui).muted));
                }
            });
            if let Some(message) = &self.generate.message {
                message.show(ui);
            }
        });
    }

    fn entry_ui(&mut self, ui: &mut egui::Ui, id: EntryId, commands: &mut Vec<Command>) {
        let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) else {
            self.view = View::Welcome;
            return;
        };
        if self.export.entry != Some(id) {
            self.export.entry = Some(id);
            self.export.save.clear();
        }
        let palette = Palette::of(ui);
        match &mut entry.status {
            Status::Loading(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Reading {}…", entry.saved.name));
                });
            }
            Status::Locked {
                file,
                input,
                shown,
                wrong,
            } => {
                let file_label = file_name(file);
                theme::card(ui).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.heading(&entry.saved.name);
                    ui.add_space(ITEM_GAP);
                    if *wrong {
                        notice(
                            ui,
                            "⚠",
                            &format!(
                                "Wrong passphrase for {file_label}. For a .p12 it is the one chosen when exporting from Keychain; try again."
                            ),
                            palette.bad,
                        );
                    } else {
                        notice(
                            ui,
                            "🔒",
                            &format!("{file_label} is protected by a passphrase."),
                            palette.info,
                        );
                    }
                    ui.add_space(ITEM_GAP);
                    let field = secret_field(
                        ui,
                        &format!("Passphrase for {file_label}"),
                        input,
                        shown,
                        240.0,
                    );
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.add_space(ITEM_GAP);
                    ui.horizontal(|ui| {
                        if ui.button("Unlock").clicked() || enter {
                            commands.push(Command::Unlock {
                                entry: id,
                                passphrase: Passphrase::new(std::mem::take(input)),
                            });
                        }
                        if ui.button("Remove from list").clicked() {
                            commands.push(Command::Remove(id));
                        }
                    });
                });
            }
            Status::Failed(message) => {
                theme::card(ui).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.heading(&entry.saved.name);
                    ui.add_space(ITEM_GAP);
                    notice(ui, "⚠", message, palette.bad);
                    ui.add_space(ITEM_GAP);
                    ui.horizontal(|ui| {
                        if ui.button("Try again").clicked() {
                            commands.push(Command::Reload(id));
                        }
                        if ui.button("Remove from list").clicked() {
                            commands.push(Command::Remove(id));
                        }
                    });
                });
            }
            Status::Ready(loaded) => {
                if self.generate.issued == Some(id)
                    && let Some(message) = &self.generate.message
                {
                    message.show(ui);
                    ui.add_space(ITEM_GAP);
                }
                detail_card(ui, entry.id, &entry.saved, loaded, commands);
                ui.add_space(SECTION_GAP);
                if loaded.credential.is_some() {
                    export_card(ui, &mut self.export, entry, commands);
                }
            }
        }
    }
}

fn failed_status(error: JobError) -> Status {
    match error {
        JobError::File {
            path,
            error: CertError::PassphraseRequired { .. },
        } => Status::Locked {
            file: path,
            input: String::new(),
            shown: false,
            wrong: false,
        },
        JobError::File {
            path,
            error: CertError::WrongPassphrase { .. },
        } => Status::Locked {
            file: path,
            input: String::new(),
            shown: false,
            wrong: true,
        },
        other => Status::Failed(other.to_string()),
    }
}

// ---- Pieces ----------------------------------------------------------------------------------

/// The environment chip's text and tone.
fn environment_chip(loaded: &Loaded, p: &Palette) -> (&'static str, Tone) {
    if loaded.inspection.kind == FileKind::AuthKey {
        return ("Token", p.info);
    }
    match loaded
        .inspection
        .certificate
        .as_ref()
        .map(|c| c.environment)
    {
        Some(CertEnvironment::Development) => ("Sandbox", p.info),
        Some(CertEnvironment::Production) => ("Production", p.info),
        Some(CertEnvironment::Universal) => ("Universal", p.info),
        Some(CertEnvironment::None) => ("Not for APNs", p.bad),
        None => ("Key only", p.neutral),
    }
}

/// The expiry badge's text and tone: green, amber under 30 days, red once expired.
fn expiry_badge(days_left: i64, p: &Palette) -> (String, Tone) {
    if days_left < 0 {
        ("Expired".to_owned(), p.bad)
    } else if days_left < 30 {
        (format!("{days_left} days left"), p.warning)
    } else {
        (format!("{days_left} days left"), p.good)
    }
}

fn list_row(ui: &mut egui::Ui, entry: &Entry, selected: bool) -> egui::Response {
    let p = Palette::of(ui);
    let visuals = ui.visuals().clone();
    let fill = if selected {
        p.selected_row
    } else {
        egui::Color32::TRANSPARENT
    };
    let frame = egui::Frame::new()
        .fill(fill)
        .corner_radius(egui::CornerRadius::same(theme::RADIUS))
        .inner_margin(egui::Margin::symmetric(8, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(
                egui::Label::new(RichText::new(&entry.saved.name).strong())
                    .truncate()
                    .selectable(false),
            );
            match &entry.status {
                Status::Loading(_) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(RichText::new("Reading…").color(p.muted));
                    });
                }
                Status::Locked { .. } => {
                    chip(ui, "🔒 Passphrase needed", p.warning);
                }
                Status::Failed(_) => {
                    chip(ui, "⚠ Could not be read", p.bad);
                }
                Status::Ready(loaded) => {
                    let bundle = loaded
                        .inspection
                        .certificate
                        .as_ref()
                        .and_then(|c| c.bundle_id.clone())
                        .or_else(|| {
                            loaded.inspection.auth_key.as_ref().map(|a| {
                                format!("Key id {}", a.key_id.as_deref().unwrap_or("unknown"))
                            })
                        });
                    if let Some(bundle) = bundle {
                        ui.add(
                            egui::Label::new(RichText::new(bundle).color(p.muted))
                                .truncate()
                                .selectable(false),
                        );
                    }
                    ui.horizontal(|ui| {
                        let (env, tone) = environment_chip(loaded, &p);
                        chip(ui, env, tone);
                        if let Some(cert) = &loaded.inspection.certificate {
                            let (text, tone) = expiry_badge(cert.days_left, &p);
                            chip(ui, &text, tone);
                        }
                        if loaded.inspection.worst() == Some(Severity::Error) {
                            chip(ui, "⚠ Problem", p.bad);
                        }
                    });
                }
            }
        });
    let response = ui.interact(
        frame.response.rect,
        ui.scope_id().with(("credential-row", entry.id.0)),
        egui::Sense::click(),
    );
    let name = format!("Show {}", entry.saved.name);
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &name));
    if response.hovered() && !selected {
        ui.painter().rect_stroke(
            frame.response.rect,
            egui::CornerRadius::same(theme::RADIUS),
            egui::Stroke::new(1.0, p.card_stroke),
            egui::StrokeKind::Inside,
        );
    }
    if response.has_focus() {
        ui.painter().rect_stroke(
            frame.response.rect,
            egui::CornerRadius::same(theme::RADIUS),
            visuals.selection.stroke,
            egui::StrokeKind::Inside,
        );
    }
    response
}

fn date_time(t: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.format(format).unwrap_or_else(|_| t.to_string())
}

fn detail_card(
    ui: &mut egui::Ui,
    id: EntryId,
    saved: &SavedCredential,
    loaded: &Loaded,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let inspection = &loaded.inspection;
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.heading(&saved.name);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Remove from list").clicked() {
                    commands.push(Command::Remove(id));
                }
            });
        });
        ui.horizontal(|ui| {
            let (env, tone) = environment_chip(loaded, &p);
            chip(ui, env, tone);
            if let Some(cert) = &inspection.certificate {
                let (text, tone) = expiry_badge(cert.days_left, &p);
                chip(ui, &text, tone);
            }
            chip(ui, kind_label(inspection.kind), p.neutral);
        });
        if !inspection.findings.is_empty() {
            ui.add_space(ITEM_GAP);
            for finding in &inspection.findings {
                let (icon, tone) = match finding.severity {
                    Severity::Error => ("✖", p.bad),
                    Severity::Warning => ("⚠", p.warning),
                    Severity::Info => ("ℹ", p.info),
                };
                notice(ui, icon, &capitalise(&finding.message), tone);
            }
        }
        ui.add_space(SECTION_GAP);
        CopyRows::show(ui, |ui| {
            if let Some(c) = &inspection.certificate {
                copy_row(
                    ui,
                    "Bundle id",
                    c.bundle_id.as_deref().unwrap_or("—"),
                    c.bundle_id.is_some(),
                );
                copy_row(
                    ui,
                    "Team id",
                    c.team_id.as_deref().unwrap_or("—"),
                    c.team_id.is_some(),
                );
                copy_row(ui, "Topics", &c.topics.join("\n"), false);
                copy_row(ui, "Environment", c.environment.label(), false);
                copy_row(ui, "Valid from", &date_time(c.not_before), false);
                copy_row(ui, "Valid until", &date_time(c.not_after), false);
                let days = if c.days_left < 0 {
                    format!("expired {} days ago", -c.days_left)
                } else {
                    format!("{} days", c.days_left)
                };
                copy_row(ui, "Days left", &days, false);
                copy_row(ui, "Subject", &c.subject.text, true);
                copy_row(ui, "Issuer", &c.issuer.text, true);
                copy_row(ui, "Serial", &c.serial, true);
                copy_row(ui, "SHA-1", &c.sha1, true);
                copy_row(ui, "SHA-256", &c.sha256, true);
                copy_row(ui, "Public key", &c.public_key, false);
            }
            let key = match (&inspection.private_key, inspection.key_matches) {
                (Some(k), Some(true)) => format!("{k}, matches the certificate"),
                (Some(k), Some(false)) => format!("{k}, does NOT match the certificate"),
                (Some(k), None) => k.clone(),
                (None, _) => "none".to_owned(),
            };
            copy_row(ui, "Private key", &key, false);
            if let Some(auth) = &inspection.auth_key {
                copy_row(
                    ui,
                    "Key id",
                    auth.key_id.as_deref().unwrap_or("not in the file name"),
                    auth.key_id.is_some(),
                );
                copy_row(ui, "Curve", &auth.curve, false);
                copy_row(
                    ui,
                    "Token signing",
                    if auth.usable_for_es256 {
                        "usable for ES256 tokens"
                    } else {
                        "not usable for APNs tokens"
                    },
                    false,
                );
            }
            if let Some(p12) = &inspection.p12 {
                copy_row(ui, ".p12 encryption", &p12.detail, false);
            }
            if !inspection.chain.is_empty() {
                let chain = inspection
                    .chain
                    .iter()
                    .map(|c| c.subject.text.clone())
                    .collect::<Vec<_>>()
                    .join("\n");
                copy_row(ui, "Also in the file", &chain, false);
            }
            copy_row(ui, "File", &saved.path.display().to_string(), true);
            if let Some(key_path) = &saved.key_path {
                copy_row(ui, "Key file", &key_path.display().to_string(), true);
            }
        });
    });
}

fn export_card(
    ui: &mut egui::Ui,
    form: &mut ExportForm,
    entry: &Entry,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let has_key = entry
        .loaded()
        .and_then(|l| l.credential.as_ref())
        .is_some_and(|c| c.private_key.is_some());
    if !has_key && form.format.contains_key() {
        form.format = ExportFormat::CertPem;
    }
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.heading("Export");
        ui.add_space(ITEM_GAP);
        ui.horizontal_wrapped(|ui| {
            for (format, text) in FORMATS {
                let enabled = has_key || !format.contains_key();
                let button = ui.add_enabled(enabled, egui::Button::selectable(form.format == format, text));
                if button.clicked() {
                    form.format = format;
                    form.save.message = None;
                }
            }
        });
        if !has_key {
            ui.label(
                RichText::new("Without the private key only the certificate can be exported. Import the key or the .p12 too: they pair up by themselves.")
                    .color(p.muted),
            );
        }
        ui.add_space(ITEM_GAP);
        let hint = match form.format {
            ExportFormat::Pem => "Certificate then key, as PHP, Ruby and Node scripts want it (ck.pem). Written owner-only (0600).",
            ExportFormat::CertPem => "The certificate alone (cert.pem). It holds no secret.",
            ExportFormat::KeyPem => "The private key alone (key.pem). Written owner-only (0600).",
            ExportFormat::P12 => "AES-256 with a SHA-256 MAC, for current macOS and OpenSSL 3.",
            ExportFormat::P12Legacy => "RC2/3DES with a SHA-1 MAC, for old Keychains and tools that reject AES.",
        };
        ui.label(RichText::new(hint).color(p.muted));
        if form.format.contains_key() {
            ui.add_space(ITEM_GAP);
            secret_field(ui, "Export passphrase (optional)", &mut form.passphrase, &mut form.shown, 220.0);
        }
        ui.add_space(ITEM_GAP);
        let passphrase = || {
            (form.format.contains_key() && !form.passphrase.is_empty())
                .then(|| Passphrase::new(form.passphrase.clone()))
        };
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!form.save.is_choosing(), egui::Button::new("💾 Save as…"))
                .clicked()
            {
                commands.push(Command::PickExportPath {
                    entry: entry.id,
                    format: form.format,
                    passphrase: passphrase(),
                });
            }
            ui.label(RichText::new("or type a path:").color(p.muted));
        });
        let mut save = false;
        ui.horizontal(|ui| {
            let label = ui.label("Save to path");
            let field = ui
                .add(
                    TextEdit::singleline(&mut form.save.path)
                        .hint_text(format!("~/{}", suggested_file_name(entry, form.format)))
                        .desired_width((ui.available_width() - 70.0).max(160.0)),
                )
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            save = ui
                .add_enabled(!form.save.is_writing(), egui::Button::new("Save"))
                .clicked()
                || enter;
        });
        if save {
            if form.save.path.trim().is_empty() {
                form.save.message = Some(Message::bad(
                    "Type where to save the file, or use “Save as…”.",
                ));
            } else {
                commands.push(Command::Export {
                    entry: entry.id,
                    format: form.format,
                    passphrase: passphrase(),
                    path: expand_home(&form.save.path),
                    overwrite: false,
                });
            }
        }
        if form.save.is_writing() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Writing…");
            });
        }
        if let Some((path, (entry, format, passphrase))) = form.save.show(ui) {
            commands.push(Command::Export {
                entry,
                format,
                passphrase,
                path,
                overwrite: true,
            });
        }
    });
}

fn kind_label(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Identity => "Certificate + key",
        FileKind::Certificate => "Certificate only",
        FileKind::PrivateKey => "Key only",
        FileKind::AuthKey => "Auth key (.p8)",
    }
}

fn suggested_file_name(entry: &Entry, format: ExportFormat) -> String {
    let stem = entry
        .loaded()
        .and_then(|l| l.inspection.certificate.as_ref())
        .and_then(|c| c.bundle_id.clone())
        .unwrap_or_else(|| "credential".to_owned());
    match format {
        ExportFormat::Pem => format!("{stem}-ck.pem"),
        ExportFormat::CertPem => format!("{stem}-cert.pem"),
        ExportFormat::KeyPem => format!("{stem}-key.pem"),
        ExportFormat::P12 => format!("{stem}.p12"),
        ExportFormat::P12Legacy => format!("{stem}-legacy.p12"),
    }
}
