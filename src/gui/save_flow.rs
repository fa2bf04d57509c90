//! Saving a file from a screen, the same way everywhere: a path typed in a field or chosen in
//! the native save dialog, the write on the worker, the question before an existing file is
//! replaced, and the sentence that says how it went. The Batch, Simulator and Credentials
//! screens export through it.

use std::path::{Path, PathBuf};

use super::JobError;
use super::dialogs::{self, Picked};
use super::widgets::{Message, ReplacePrompt};
use super::worker::{Task, Worker};

/// One screen's export. `R` says what is written (a format, an entry…), so that a path chosen
/// in the dialog, or a replace the user allowed, writes the same thing again.
pub struct SaveFlow<R> {
    /// The path field's text.
    pub path: String,
    /// The outcome of the last export, under its controls.
    pub message: Option<Message>,
    dialog: Task<Picked, JobError>,
    /// What the open dialog chooses a path for.
    choosing: Option<R>,
    writing: Task<PathBuf, JobError>,
    /// What is being written without permission to replace a file: asked about if it exists.
    unasked: Option<R>,
    replace: ReplacePrompt<R>,
    /// The sentence shown when no save dialog could be opened, in the language of the moment.
    no_dialog: fn() -> String,
    /// The sentence shown once a file is written.
    saved: fn(&Path) -> String,
}

impl<R> SaveFlow<R> {
    /// A flow whose path field starts with `path`.
    pub fn new(
        path: impl Into<String>,
        no_dialog: fn() -> String,
        saved: fn(&Path) -> String,
    ) -> Self {
        SaveFlow {
            path: path.into(),
            message: None,
            dialog: Task::Idle,
            choosing: None,
            writing: Task::Idle,
            unasked: None,
            replace: ReplacePrompt::default(),
            no_dialog,
            saved,
        }
    }

    /// Whether the save dialog is open.
    pub fn is_choosing(&self) -> bool {
        self.dialog.is_running()
    }

    /// Whether a file is being written on the worker.
    pub fn is_writing(&self) -> bool {
        self.writing.is_running()
    }

    /// Empties the path field and forgets the message and the question (another thing to
    /// export was chosen).
    pub fn clear(&mut self) {
        self.path.clear();
        self.message = None;
        self.replace.close();
    }

    /// Asks the native dialog, on the worker, where to write `request`.
    pub fn choose(
        &mut self,
        worker: &Worker,
        title: String,
        start: Option<PathBuf>,
        file_name: String,
        request: R,
    ) {
        self.message = None;
        self.choosing = Some(request);
        self.dialog = worker.run_blocking(move |_| Ok(dialogs::save(&title, start, &file_name)));
    }

    /// Runs `write` on the worker for `request`. Without `overwrite` the write must refuse an
    /// existing file; the user is then asked, and [`SaveFlow::show`] hands the request back
    /// if they agree.
    pub fn write(
        &mut self,
        worker: &Worker,
        request: R,
        overwrite: bool,
        write: impl FnOnce() -> Result<PathBuf, JobError> + Send + 'static,
    ) {
        self.message = None;
        self.replace.close();
        self.unasked = (!overwrite).then_some(request);
        self.writing = worker.run_blocking(move |_| write());
    }

    /// Nothing is written, for the reason given.
    pub fn fail(&mut self, text: impl Into<String>) {
        self.replace.close();
        self.message = Some(Message::bad(text));
    }

    /// Picks up the dialog and the write. Every frame. Returns the path chosen in the dialog
    /// with its request: write it with permission to replace (the dialog already asked).
    pub fn poll(&mut self) -> Option<(PathBuf, R)> {
        let mut chosen = None;
        if self.dialog.poll() {
            let request = self.choosing.take();
            match self.dialog.take_finished() {
                Some(Ok(picked)) if picked.no_dialog() => {
                    self.message = Some(Message::bad((self.no_dialog)()));
                }
                Some(Ok(picked)) => {
                    if let (Some(path), Some(request)) = (picked.path(), request) {
                        self.path = path.display().to_string();
                        chosen = Some((path, request));
                    }
                }
                Some(Err(e)) => self.message = Some(Message::bad(e.text())),
                None => {}
            }
        }
        if self.writing.poll() {
            self.message = match self.writing.take_finished() {
                Some(Ok(path)) => Some(Message::good((self.saved)(&path))),
                Some(Err(e)) => match (e.existing_file(), self.unasked.take()) {
                    (Some(path), Some(request)) => {
                        self.replace.ask(path.to_owned(), request);
                        None
                    }
                    _ => Some(Message::bad(e.text())),
                },
                None => None,
            };
        }
        chosen
    }

    /// Draws the question before a file is replaced, if one is open, and the message. Returns
    /// the path and the request to write again, now allowed to replace it, when the user
    /// agreed.
    pub fn show(&mut self, ui: &mut egui::Ui) -> Option<(PathBuf, R)> {
        let replace = self.replace.show(ui);
        if let Some(message) = &self.message {
            message.show(ui);
        }
        replace
    }
}
