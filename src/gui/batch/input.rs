//! The input card: tokens pasted or imported from a file, saved devices and groups to pick,
//! what is sent where, the connection settings, and the Send button.

use std::path::PathBuf;
use std::sync::Arc;

use egui::RichText;

use super::{BatchPanel, Parsed, parse_tokens};
use crate::gui::JobError;
use crate::gui::app::{Command, Section};
use crate::gui::dialogs::{self, Picked};
use crate::gui::i18n::msg;
use crate::gui::made_with::{ResultOrigin, RouteView, warnings_ui};
use crate::gui::state::{BatchSettings, State};
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::{Message, chip, notice, path_field};
use crate::gui::worker::{Task, Worker};

/// A token file that was read.
pub(super) struct Imported {
    pub(super) name: String,
    pub(super) parsed: Arc<Parsed>,
}

/// The token file: its path, the dialog that picks it, reading it, and what was read.
#[derive(Default)]
pub(super) struct TokenFile {
    path: String,
    dialog: Task<Picked, JobError>,
    reading: Task<(String, Parsed), JobError>,
    imported: Option<Imported>,
    message: Option<Message>,
}

impl TokenFile {
    pub(super) fn imported(&self) -> Option<&Imported> {
        self.imported.as_ref()
    }

    pub(super) fn is_reading(&self) -> bool {
        self.reading.is_running()
    }

    pub(super) fn pick(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.message = None;
        let words =
            dialogs::OpenWords::new(msg::batch_import_device_tokens(), msg::batch_token_lists());
        self.dialog =
            worker.run_blocking(move |_| Ok(dialogs::open(&words, start, &["txt", "csv", "tsv"])));
    }

    pub(super) fn import(&mut self, path: PathBuf, worker: &Worker) {
        self.message = None;
        self.path = path.display().to_string();
        self.reading = worker.run_blocking(move |_| {
            let text = std::fs::read(&path).map_err(|e| JobError::ReadFile {
                error: e.to_string(),
                path: path.clone(),
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, parse_tokens(&text)))
        });
    }

    /// Takes a picked path or a file read; true when the tokens changed.
    pub(super) fn poll(&mut self, commands: &mut Vec<Command>) -> bool {
        if self.dialog.poll()
            && let Some(Ok(picked)) = self.dialog.take_finished()
        {
            if picked.no_dialog() {
                self.message = Some(Message::bad(dialogs::no_dialog_hint()));
            } else if let Some(path) = picked.path() {
                commands.push(Command::ImportTokens(path));
            }
        }
        if !self.reading.poll() {
            return false;
        }
        match self.reading.take_finished() {
            Some(Ok((name, parsed))) => {
                self.message = Some(Message::info(msg::batch_file_read(
                    parsed.recipients.len(),
                    parsed.invalid_count,
                    parsed.latin1_lines,
                    name.as_str(),
                )));
                self.imported = Some(Imported {
                    name,
                    parsed: Arc::new(parsed),
                });
                true
            }
            Some(Err(e)) => {
                self.message = Some(Message::bad(e.text()));
                false
            }
            None => false,
        }
    }

    /// Import button, the file read, its path, and its first problems. True when the tokens
    /// changed (the import was cleared).
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) -> bool {
        let p = Palette::of(ui);
        let mut cleared = false;
        ui.horizontal(|ui| {
            if ui.button(msg::batch_import()).clicked() {
                commands.push(Command::PickTokenFile);
            }
            if self.reading.is_running() {
                ui.spinner();
            }
            if let Some(imported) = &self.imported {
                chip(
                    ui,
                    &msg::batch_imported_file(
                        imported.parsed.recipients.len(),
                        imported.name.as_str(),
                    ),
                    p.info,
                );
                if ui.small_button(msg::batch_clear_import()).clicked() {
                    self.imported = None;
                    cleared = true;
                }
            }
        });
        let load = (msg::batch_load(), true);
        if path_field(ui, &msg::batch_import_path(), &mut self.path, 220.0, load) {
            commands.push(Command::ImportTokens(dialogs::expand_home(&self.path)));
        }
        if let Some(message) = &self.message {
            message.show(ui);
        }
        if let Some(imported) = &self.imported {
            imported.parsed.problems_ui(ui, p);
        }
        cleared
    }
}

impl BatchPanel {
    /// Opens the native dialog, starting in `start`, to choose a token file.
    pub fn pick_file(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.input.pick_file(start, worker);
    }

    /// Reads a large paste on the worker (a hundred thousand lines take a while).
    pub fn read_pasted(&mut self, worker: &Worker) {
        self.input.read_pasted(worker);
    }

    /// Reads the token file at `path` on the worker.
    pub fn import(&mut self, path: PathBuf, worker: &Worker) {
        self.input.import(path, worker);
    }

    pub(super) fn input_card(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        payload_line: &str,
        route: &RouteView,
        now: Option<&ResultOrigin>,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            self.input.ui(ui, state, commands);
            ui.add_space(SECTION_GAP);
            what_and_where_ui(ui, payload_line, route, commands);
            ui.add_space(ITEM_GAP);
            settings_ui(ui, &mut state.batch);
            ui.label(
                RichText::new(msg::batch_settings_hint())
                    .small()
                    .color(p.muted),
            );
            ui.add_space(ITEM_GAP);
            warnings_ui(ui, route, commands);
            self.send_row(ui, state, commands);
            if let Some(error) = &self.error {
                notice(ui, "⚠", error, p.bad);
            }
            if self.narrow
                && self.stale_origin(now).is_none()
                && let Some(progress) = self.job.progress()
            {
                // One column: the summary card is further down; its bar and counts are here
                // too, where the button that started the batch is. Not once the route or the
                // push has changed: under the line that names the new destination they would
                // read as its result (the card below says what they were made with).
                ui.add_space(ITEM_GAP);
                self.progress_bar(ui, &progress);
                self.outcome_chips(ui);
            }
        });
    }

    /// Send (with the count) and, while sending, Cancel.
    fn send_row(&mut self, ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
        let count = self.input.count(state);
        ui.horizontal(|ui| {
            let running = self.job.is_running();
            let label = if count > 0 {
                msg::batch_send_to_count(count)
            } else {
                msg::batch_send().to_owned()
            };
            let send = ui.add_enabled(
                !running && count > 0 && !self.input.is_reading_paste(),
                theme::primary_button(ui, label),
            );
            send.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Button,
                    !running && count > 0,
                    msg::batch_send(),
                )
            });
            if send.clicked() {
                commands.push(Command::StartBatch);
            }
            if running && ui.button(msg::batch_cancel()).clicked() {
                commands.push(Command::CancelBatch);
            }
        });
    }
}

/// The notification sent and where, each with a link to the screen that changes it.
fn what_and_where_ui(
    ui: &mut egui::Ui,
    payload_line: &str,
    route: &RouteView,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(msg::batch_notification()).color(p.muted));
        ui.label(payload_line);
        if ui.small_button(msg::batch_edit()).clicked() {
            commands.push(Command::ShowSection(Section::Compose));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(msg::batch_to()).color(p.muted));
        ui.label(&route.destination);
        if ui.small_button(msg::batch_change()).clicked() {
            commands.push(Command::ShowSection(Section::Connection));
        }
    });
}

/// Connections and pushes in flight, each named by its label.
fn settings_ui(ui: &mut egui::Ui, settings: &mut BatchSettings) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(msg::batch_connections());
        ui.add(egui::DragValue::new(&mut settings.connections).range(BatchSettings::CONNECTIONS))
            .labelled_by(label.id);
        let mut auto = settings.auto_connections;
        if ui
            .checkbox(&mut auto, msg::batch_auto_connections())
            .on_hover_text(msg::batch_auto_connections_hint())
            .changed()
        {
            settings.set_auto_connections(auto);
        }
        ui.add_space(SECTION_GAP);
        let label = ui.label(msg::batch_in_flight());
        ui.add(
            egui::DragValue::new(&mut settings.max_in_flight).range(BatchSettings::MAX_IN_FLIGHT),
        )
        .labelled_by(label.id);
        ui.add_space(SECTION_GAP);
        ui.checkbox(
            &mut settings.resend_unconfirmed,
            msg::batch_resend_unconfirmed(),
        )
        .on_hover_text(msg::batch_resend_unconfirmed_hint());
    });
}
