//! "New signing request…": the certificate signing request Keychain Access would make, made
//! here, its key kept in the data folder until Apple's `.cer` comes back (which then pairs
//! with it on import), and the keys still waiting listed, each removable only after a
//! confirmation that says what is lost.

use std::path::PathBuf;

use egui::{RichText, TextEdit};

use super::{CredentialsPanel, View};
use crate::cert::{self, RequestSubject, SigningRequest, WaitingKey, WaitingKeys};
use crate::gui::JobError;
use crate::gui::i18n::{self, msg};
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::Message;
use crate::gui::worker::{Task, Worker};

/// The signing request page.
#[derive(Default)]
pub(super) struct RequestForm {
    email: String,
    name: String,
    country: String,
    path: String,
    task: Task<(PathBuf, Vec<WaitingKey>), JobError>,
    message: Option<Message>,
    /// The waiting key the user asked to remove, until confirmed or cancelled.
    confirm_remove: Option<PathBuf>,
    /// "Create" was clicked: started on the next poll, which has the worker.
    start: bool,
    /// The keys waiting, as last read (on the worker, never per frame on the UI thread).
    waiting: Vec<WaitingKey>,
    listing: Task<Vec<WaitingKey>, JobError>,
    /// The list needs reading again (the page opened, a key was removed).
    stale: bool,
}

impl CredentialsPanel {
    fn start_request(&mut self, worker: &Worker) {
        let form = &mut self.request;
        let subject = match RequestSubject::new(&form.email, &form.name, Some(&form.country)) {
            Ok(s) => s,
            Err(e) => {
                form.message = Some(Message::bad(i18n::subject_error(&e)));
                return;
            }
        };
        let Some(data_dir) = self.data_dir.clone() else {
            form.message = Some(Message::bad(msg::credentials_there_is_no_data_folder()));
            return;
        };
        let out = crate::gui::dialogs::expand_home(match form.path.trim() {
            "" => "~/pushlab.certSigningRequest",
            typed => typed,
        });
        form.message = None;
        form.task = worker.run_blocking(move |_| {
            if out.exists() {
                return Err(JobError::NameTaken(out));
            }
            let request = SigningRequest::create(&subject)?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            // The key first: a request whose key was lost would be worthless.
            let keys = WaitingKeys::in_data_dir(&data_dir);
            keys.keep(&request, &subject, None, now)?;
            cert::write_secret_file(&out, &request.to_pem()?, false, false)?;
            Ok((out, keys.list()))
        });
    }

    pub(super) fn poll_request(&mut self, worker: &Worker) {
        if std::mem::take(&mut self.request.start) {
            self.start_request(worker);
        }
        if self.request.stale
            && !self.request.listing.is_running()
            && let Some(keys) = self.waiting_keys_store()
        {
            self.request.stale = false;
            self.request.listing = worker.run_blocking(move |_| Ok(keys.list()));
        }
        if self.request.listing.poll()
            && let Some(Ok(list)) = self.request.listing.take_finished()
        {
            self.request.waiting = list;
        }
        if !self.request.task.poll() {
            return;
        }
        match self.request.task.take_finished() {
            Some(Ok((path, list))) => {
                self.request.waiting = list;
                self.request.message = Some(Message::good(msg::credentials_request_written(
                    cert::NEXT_STEP,
                    path.display().to_string(),
                )));
            }
            Some(Err(e)) => self.request.message = Some(Message::bad(e.text())),
            None => {}
        }
    }

    pub(super) fn request_busy(&self) -> bool {
        self.request.task.is_running() || self.request.listing.is_running()
    }

    fn waiting_keys_store(&self) -> Option<WaitingKeys> {
        self.data_dir.as_deref().map(WaitingKeys::in_data_dir)
    }

    pub(super) fn request_ui(&mut self, ui: &mut egui::Ui) {
        let p = Palette::of(ui);
        ui.heading(msg::credentials_request_heading());
        ui.label(RichText::new(msg::credentials_request_intro()).color(p.muted));
        ui.add_space(SECTION_GAP);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            for (name, hint, value) in [
                (
                    msg::credentials_request_email(),
                    "you@example.com",
                    &mut self.request.email,
                ),
                (
                    msg::credentials_request_name(),
                    "Ada Lovelace",
                    &mut self.request.name,
                ),
                (
                    msg::credentials_request_country(),
                    "US",
                    &mut self.request.country,
                ),
                (
                    msg::credentials_request_path(),
                    "~/pushlab.certSigningRequest",
                    &mut self.request.path,
                ),
            ] {
                ui.horizontal(|ui| {
                    let label = ui.label(name);
                    ui.add(
                        TextEdit::singleline(value)
                            .hint_text(hint)
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id);
                });
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                let running = self.request.task.is_running();
                if ui
                    .add_enabled(
                        !running,
                        egui::Button::new(msg::credentials_request_create()),
                    )
                    .clicked()
                {
                    self.request.start = true;
                    ui.ctx().request_repaint();
                }
                if running {
                    ui.spinner();
                }
            });
            if let Some(m) = &self.request.message {
                m.show(ui);
            }
        });
        ui.add_space(SECTION_GAP);
        self.waiting_ui(ui);
    }

    /// Keys waiting for Apple's certificate; removing one needs a confirmation.
    fn waiting_ui(&mut self, ui: &mut egui::Ui) {
        let p = Palette::of(ui);
        let waiting = std::mem::take(&mut self.request.waiting);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::credentials_waiting_heading()).strong());
            if waiting.is_empty() {
                ui.label(RichText::new(msg::credentials_waiting_none()).color(p.muted));
            }
            for key in &waiting {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!("{} <{}>", key.info.common_name, key.info.email));
                    if self.request.confirm_remove.as_ref() == Some(&key.key_path) {
                        ui.label(
                            RichText::new(msg::credentials_waiting_remove_warning())
                                .color(p.bad.fg),
                        );
                        if ui
                            .button(msg::credentials_waiting_remove_confirm())
                            .clicked()
                        {
                            // Two small unlinks, on the user's confirmed click; the list is
                            // read again on the worker.
                            if let Some(store) = self.waiting_keys_store() {
                                let _ = store.forget(key);
                            }
                            self.request.confirm_remove = None;
                            self.request.stale = true;
                        }
                        if ui.button(msg::credentials_waiting_keep()).clicked() {
                            self.request.confirm_remove = None;
                        }
                    } else if ui.small_button(msg::credentials_waiting_remove()).clicked() {
                        self.request.confirm_remove = Some(key.key_path.clone());
                    }
                });
            }
        });
        self.request.waiting = waiting;
    }

    pub(super) fn show_request(&mut self) {
        self.view = View::Request;
        self.request.stale = true;
    }
}
