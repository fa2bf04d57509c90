//! The Credentials screen: import certificates, keys, `.p12` and `.p8` files (drop, dialog or
//! path), unlock protected ones, inspect them, export them, and issue test certificates.

mod detail;
mod export;
mod generate;
mod jobs;
mod list;
mod load;
mod request;

use std::path::PathBuf;

use export::ExportForm;
use generate::GenerateForm;
pub use jobs::{Loaded, simulator_dir};
use jobs::{Pairing, Passphrases};
use load::ImportForm;
use request::RequestForm;

use super::JobError;
use super::app::{Command, EntryId};
use super::state::{SavedCredential, State};
use super::theme::{DETAIL_MIN_WIDTH, ITEM_GAP, LIST_WIDTH, SECTION_GAP};
use super::worker::{Task, Worker};

/// The list's height when it sits above the entry: its buttons and a row or two.
const LIST_MIN_HEIGHT: f32 = 240.0;

/// One line of the list: the files, and what became of reading them.
pub struct Entry {
    /// Names the entry in commands, stable while the list changes.
    pub id: EntryId,
    /// What is saved of it: its files and name.
    pub saved: SavedCredential,
    /// Reading, locked, ready or failed.
    pub status: Status,
    /// Passphrases typed for this entry's files, this session only.
    passphrases: Passphrases,
    pairing: Task<Option<Pairing<EntryId>>, JobError>,
}

/// Where an entry is.
pub enum Status {
    /// Its files are being read on the worker.
    Loading(Task<Box<Loaded>, JobError>),
    /// A file needs a passphrase. `wrong` after a rejected one.
    Locked {
        /// The file that asked.
        file: PathBuf,
        /// The passphrase as typed so far (never saved).
        input: String,
        /// Whether the field shows the passphrase rather than dots.
        shown: bool,
        /// The last passphrase tried was refused.
        wrong: bool,
    },
    /// Read and inspected: its certificate, key and findings.
    Ready(Box<Loaded>),
    /// Could not be read, and why: worded when shown, so it reads in the language on screen
    /// (a saved credential fails in the first frames, while the app is still English until
    /// its CJK font has loaded).
    Failed(JobError),
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
    Request,
}

/// The Credentials screen.
pub struct CredentialsPanel {
    entries: Vec<Entry>,
    view: View,
    /// The entry the list last brought into view: one newly shown (imported, generated, or
    /// chosen elsewhere) is scrolled to once, as the list above the entry shows a row or two.
    in_view: Option<EntryId>,
    next_id: u64,
    data_dir: Option<PathBuf>,
    import: ImportForm,
    export: ExportForm,
    generate: GenerateForm,
    request: RequestForm,
}

impl CredentialsPanel {
    /// An empty list. `data_dir` is where generated test certificates and waiting signing keys are
    /// kept (`None`: nowhere, and those features say so).
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        CredentialsPanel {
            entries: Vec::new(),
            view: View::Welcome,
            in_view: None,
            next_id: 1,
            data_dir,
            import: ImportForm::default(),
            export: ExportForm::default(),
            generate: GenerateForm::default(),
            request: RequestForm::default(),
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
            || self.request_busy()
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

    /// Picks up finished jobs. Called every frame, before drawing.
    pub fn poll(&mut self, worker: &Worker) {
        self.poll_loading(worker);
        self.poll_import_dialog(worker);
        self.poll_export(worker);
        self.poll_generate();
        self.poll_request(worker);
    }

    /// Draws the screen: the list on the left, the chosen entry or form on the right; in a
    /// window too narrow for both side by side, the list above it.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<Command>) {
        if ui.available_width() < LIST_WIDTH + SECTION_GAP + DETAIL_MIN_WIDTH {
            // One column: the list above (its buttons and a row), the chosen entry below. Beside
            // the list at 800×600 the entry had 270 points, and a bundle id, a team id or a
            // subject ran past the window's edge.
            let height = (ui.available_height() * 0.5).max(LIST_MIN_HEIGHT);
            egui::Panel::top("credential-list-above")
                .resizable(false)
                .exact_size(height)
                .show(ui, |ui| self.list_ui(ui, &state.connection, commands));
        } else {
            egui::Panel::left("credential-list")
                .resizable(false)
                .exact_size(LIST_WIDTH)
                .show(ui, |ui| self.list_ui(ui, &state.connection, commands));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.add_space(ITEM_GAP);
                    match self.view {
                        View::Welcome => self.welcome_ui(ui),
                        View::Generate => self.generate_ui(ui, state, commands),
                        View::Request => self.request_ui(ui),
                        View::Entry(id) => self.entry_ui(ui, id, commands),
                    }
                    ui.add_space(SECTION_GAP);
                });
        });
    }
}
