//! The input card: tokens pasted or imported from a file, saved devices and groups to pick,
//! what is sent where, the connection settings, and the Send button.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use egui::{RichText, TextEdit};

use super::recipients::{device_key, group_key};
use super::{BatchPanel, Parsed, parse_tokens};
use crate::gui::Failure;
use crate::gui::app::{Command, Section};
use crate::gui::dialogs;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::made_with::{RouteView, warnings_ui};
use crate::gui::state::{BatchSettings, State};
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::{Message, chip, notice, path_field};
use crate::gui::worker::Worker;

/// A token file that was read.
pub(super) struct Imported {
    pub(super) name: String,
    pub(super) parsed: Arc<Parsed>,
}

impl BatchPanel {
    pub fn pick_file(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.import_message = None;
        let words =
            dialogs::OpenWords::new(tr("batch-import-device-tokens"), tr("batch-token-lists"));
        self.import_dialog =
            worker.run_blocking(move |_| Ok(dialogs::open(&words, start, &["txt", "csv", "tsv"])));
    }

    pub fn import(&mut self, path: PathBuf, worker: &Worker) {
        self.import_message = None;
        self.import_path = path.display().to_string();
        self.importing = worker.run_blocking(move |_| {
            let text = std::fs::read(&path).map_err(|e| Failure::ReadFile {
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

    pub(super) fn poll_import(&mut self, commands: &mut Vec<Command>) {
        if self.import_dialog.poll()
            && let Some(Ok(picked)) = self.import_dialog.take_finished()
        {
            if picked.no_dialog() {
                self.import_message = Some(Message::bad(dialogs::no_dialog_hint()));
            } else if let Some(path) = picked.path() {
                commands.push(Command::ImportTokens(path));
            }
        }
        if self.importing.poll() {
            match self.importing.take_finished() {
                Some(Ok((name, parsed))) => {
                    self.import_message = Some(Message::info(tr_with(
                        "batch-file-read",
                        &[
                            ("name", name.as_str().into()),
                            ("count", parsed.recipients.len().into()),
                            ("invalid", parsed.invalid_count.into()),
                            ("latin1", parsed.latin1_lines.into()),
                        ],
                    )));
                    self.imported = Some(Imported {
                        name,
                        parsed: Arc::new(parsed),
                    });
                    self.generation += 1;
                }
                Some(Err(e)) => self.import_message = Some(Message::bad(e.text())),
                None => {}
            }
        }
    }

    pub(super) fn input_card(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        payload_line: &str,
        route: &RouteView,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let label = ui.label(RichText::new(tr("batch-paste")).strong());
            let field = ui
                .add(
                    TextEdit::multiline(&mut self.pasted)
                        .hint_text(tr("batch-740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad-alices-iphone"))
                        .font(egui::TextStyle::Monospace)
                        .desired_rows(6)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if field.changed() {
                self.pasted_parsed = std::sync::Arc::new(parse_tokens(self.pasted.as_bytes()));
                self.generation += 1;
            }
            if self.pasted_parsed.lines > 0 {
                ui.label(
                    RichText::new(tr_with(
                        "batch-tokens-pasted",
                        &[("count", self.pasted_parsed.recipients.len().into())],
                    ))
                    .color(p.muted),
                );
            }
            for problem in self.pasted_parsed.problems().take(5) {
                notice(ui, "⚠", &problem, p.warning);
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                if ui.button(tr("batch-import")).clicked() {
                    commands.push(Command::PickTokenFile);
                }
                if self.importing.is_running() {
                    ui.spinner();
                }
                if let Some(imported) = &self.imported {
                    chip(
                        ui,
                        &tr_with(
                            "batch-imported-file",
                            &[
                                ("name", imported.name.as_str().into()),
                                ("count", imported.parsed.recipients.len().into()),
                            ],
                        ),
                        p.info,
                    );
                    if ui.small_button(tr("batch-clear-import")).clicked() {
                        self.imported = None;
                        self.generation += 1;
                    }
                }
            });
            let load = (tr("batch-load"), true);
            if path_field(ui, &tr("batch-import-path"), &mut self.import_path, 220.0, load) {
                commands.push(Command::ImportTokens(dialogs::expand_home(&self.import_path)));
            }
            if let Some(message) = &self.import_message {
                message.show(ui);
            }
            if let Some(imported) = &self.imported {
                for problem in imported.parsed.problems().take(3) {
                    notice(ui, "⚠", &problem, p.warning);
                }
            }
            if !state.devices.is_empty() {
                ui.add_space(ITEM_GAP);
                ui.label(RichText::new(tr("batch-saved")).strong());
                let groups: BTreeSet<&str> = state
                    .devices
                    .iter()
                    .map(|d| d.group.as_str())
                    .filter(|g| !g.is_empty())
                    .collect();
                for warning in self.environment_warnings(state) {
                    notice(ui, "⚠", &warning, p.warning);
                }
                ui.horizontal_wrapped(|ui| {
                    for group in groups {
                        let key = group_key(group);
                        let mut on = self.picked.contains(&key);
                        if ui.checkbox(&mut on, tr_with("batch-group", &[("group", group.to_string().into())])).changed() {
                            toggle(&mut self.picked, key, on);
                            self.generation += 1;
                        }
                    }
                    for device in &state.devices {
                        let key = device_key(&device.name);
                        let mut on = self.picked.contains(&key);
                        if ui.checkbox(&mut on, &device.name).changed() {
                            toggle(&mut self.picked, key, on);
                            self.generation += 1;
                        }
                    }
                });
            }
            ui.add_space(SECTION_GAP);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(tr("batch-notification")).color(p.muted));
                ui.label(payload_line);
                if ui.small_button(tr("batch-edit")).clicked() {
                    commands.push(Command::ShowSection(Section::Compose));
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(tr("batch-to")).color(p.muted));
                ui.label(&route.destination);
                if ui.small_button(tr("batch-change")).clicked() {
                    commands.push(Command::ShowSection(Section::Connection));
                }
            });
            ui.add_space(ITEM_GAP);
            settings_ui(ui, &mut state.batch);
            ui.label(RichText::new(tr("batch-settings-hint")).small().color(p.muted));
            ui.add_space(ITEM_GAP);
            warnings_ui(ui, &route.warnings);
            let count = self.recipient_count(state);
            ui.horizontal(|ui| {
                let running = self.running.is_running();
                let label = if count > 0 {
                    tr_with("batch-send-to-count", &[("count", count.into())])
                } else {
                    tr("batch-send").to_owned()
                };
                let send = ui.add_enabled(
                    !running && count > 0,
                    egui::Button::new(RichText::new(label).strong()),
                );
                send.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, !running && count > 0, tr("batch-send"))
                });
                if send.clicked() {
                    commands.push(Command::StartBatch);
                }
                if running && ui.button(tr("batch-cancel")).clicked() {
                    commands.push(Command::CancelBatch);
                }
            });
            if let Some(error) = &self.error {
                notice(ui, "⚠", error, p.bad);
            }
        });
    }
}

/// Connections and pushes in flight, each named by its label.
fn settings_ui(ui: &mut egui::Ui, settings: &mut BatchSettings) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr("batch-connections"));
        ui.add(egui::DragValue::new(&mut settings.connections).range(BatchSettings::CONNECTIONS))
            .labelled_by(label.id);
        ui.add_space(SECTION_GAP);
        let label = ui.label(tr("batch-in-flight"));
        ui.add(
            egui::DragValue::new(&mut settings.max_in_flight).range(BatchSettings::MAX_IN_FLIGHT),
        )
        .labelled_by(label.id);
        ui.add_space(SECTION_GAP);
        ui.checkbox(
            &mut settings.resend_unconfirmed,
            tr("batch-resend-unconfirmed"),
        )
        .on_hover_text(tr("batch-resend-unconfirmed-hint"));
    });
}

fn toggle(set: &mut BTreeSet<String>, key: String, on: bool) {
    if on {
        set.insert(key);
    } else {
        set.remove(&key);
    }
}
