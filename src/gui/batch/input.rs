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
use crate::gui::i18n::msg;
use crate::gui::made_with::{RouteView, warnings_ui};
use crate::gui::state::{BatchSettings, State};
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::{Message, chip, notice, path_field};
use crate::gui::worker::Worker;

/// Pasted text up to this size is edited in place (about 3,000 tokens with names); past it
/// the list is shown, not edited: laying out megabytes of text every frame would stall.
pub(super) const PASTE_EDIT_LIMIT: usize = 256 * 1024;
/// The paste box and the pasted list scroll within this height, so the Send button and the
/// results stay in view whatever was pasted.
const PASTE_HEIGHT: f32 = 150.0;

/// A token file that was read.
pub(super) struct Imported {
    pub(super) name: String,
    pub(super) parsed: Arc<Parsed>,
}

impl BatchPanel {
    pub fn pick_file(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.import_message = None;
        let words =
            dialogs::OpenWords::new(msg::batch_import_device_tokens(), msg::batch_token_lists());
        self.import_dialog =
            worker.run_blocking(move |_| Ok(dialogs::open(&words, start, &["txt", "csv", "tsv"])));
    }

    /// Reads a large paste on the worker (a hundred thousand lines take a while).
    pub fn read_pasted(&mut self, worker: &Worker) {
        let text = self.pasted.clone();
        self.pasting = worker.run_blocking(move |_| Ok(parse_tokens(text.as_bytes())));
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
        if self.pasting.poll()
            && let Some(Ok(parsed)) = self.pasting.take_finished()
        {
            self.pasted_parsed = Arc::new(parsed);
            self.generation += 1;
        }
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
                    self.import_message = Some(Message::info(msg::batch_file_read(
                        parsed.recipients.len(),
                        parsed.invalid_count,
                        parsed.latin1_lines,
                        name.as_str(),
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

    /// The pasted tokens: a bounded editor (a few lines, scrolling) while the list is small
    /// enough to edit; past [`PASTE_EDIT_LIMIT`] bytes a summary with a "show the list" view
    /// drawn a screenful at a time, so 100,000 pasted lines stay responsive.
    fn paste_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        let label = ui.label(RichText::new(msg::batch_paste()).strong());
        let field_id = ui.make_persistent_id("batch-paste-field");
        if ui.memory(|m| m.has_focus(field_id))
            && let Some(text) = self.take_big_paste(ui)
        {
            // Too much to edit: kept as a list, never laid out as one text.
            if !self.pasted.is_empty() && !self.pasted.ends_with('\n') {
                self.pasted.push('\n');
            }
            self.pasted.push_str(&text);
            ui.memory_mut(|m| m.surrender_focus(field_id));
            self.pasted_line_starts = None;
            commands.push(Command::ReadPastedTokens);
        }
        if self.pasted.len() <= PASTE_EDIT_LIMIT {
            let mut changed = false;
            egui::ScrollArea::vertical()
                .id_salt("batch-paste")
                .max_height(PASTE_HEIGHT)
                .show(ui, |ui| {
                    changed = ui
                        .add(
                            TextEdit::multiline(&mut self.pasted)
                                .id(field_id)
                                .hint_text(msg::batch_740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad_alices_iphone())
                                .font(egui::TextStyle::Monospace)
                                .desired_rows(5)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id)
                        .changed();
                });
            if changed {
                self.pasted_changed();
            }
        } else {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(msg::batch_pasted_lines(self.pasted_parsed.lines)).color(p.muted),
                );
                let show = if self.show_pasted {
                    msg::batch_hide_pasted()
                } else {
                    msg::batch_show_pasted()
                };
                if ui.button(show).clicked() {
                    self.show_pasted = !self.show_pasted;
                }
                if ui.button(msg::batch_clear_pasted()).clicked() {
                    self.pasted.clear();
                    self.show_pasted = false;
                    self.pasted_changed();
                }
            });
            if self.show_pasted {
                let lines = self.pasted_lines();
                let row = ui.text_style_height(&egui::TextStyle::Monospace);
                egui::ScrollArea::vertical()
                    .id_salt("batch-paste-all")
                    .max_height(PASTE_HEIGHT)
                    .show_rows(ui, row, lines.len(), |ui, range| {
                        for r in &lines[range] {
                            let line = self.pasted.get(r.clone()).unwrap_or_default();
                            ui.add(egui::Label::new(RichText::new(line).monospace()).truncate());
                        }
                    });
            }
        }
        if self.pasting.is_running() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(msg::batch_reading_pasted()).color(p.muted));
            });
        } else if self.pasted_parsed.lines > 0 {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(msg::batch_tokens_pasted(
                        self.pasted_parsed.recipients.len(),
                    ))
                    .color(p.muted),
                );
                if self.pasted_parsed.invalid_count > 0 {
                    chip(
                        ui,
                        &msg::batch_invalid_lines(self.pasted_parsed.invalid_count),
                        p.warning,
                    );
                }
            });
        }
        for problem in self.pasted_parsed.problems().take(3) {
            notice(ui, "⚠", &problem, p.warning);
        }
    }

    /// A paste (or typed text) that would take the field past [`PASTE_EDIT_LIMIT`], taken
    /// out of this frame's input before the editor sees it.
    fn take_big_paste(&self, ui: &mut egui::Ui) -> Option<String> {
        let room = PASTE_EDIT_LIMIT.saturating_sub(self.pasted.len());
        ui.input_mut(|i| {
            let at = i.events.iter().position(
                |e| matches!(e, egui::Event::Paste(t) | egui::Event::Text(t) if t.len() > room),
            )?;
            match i.events.remove(at) {
                egui::Event::Paste(t) | egui::Event::Text(t) => Some(t),
                _ => None,
            }
        })
    }

    fn pasted_changed(&mut self) {
        self.pasted_parsed = std::sync::Arc::new(parse_tokens(self.pasted.as_bytes()));
        self.pasted_line_starts = None;
        self.generation += 1;
    }

    /// Where each pasted line is, found once per paste.
    fn pasted_lines(&mut self) -> std::sync::Arc<Vec<std::ops::Range<usize>>> {
        if let Some(lines) = &self.pasted_line_starts {
            return lines.clone();
        }
        let mut out = Vec::new();
        let mut start = 0;
        for (i, b) in self.pasted.bytes().enumerate() {
            if b == b'\n' {
                out.push(start..i);
                start = i + 1;
            }
        }
        if start < self.pasted.len() {
            out.push(start..self.pasted.len());
        }
        let lines = std::sync::Arc::new(out);
        self.pasted_line_starts = Some(lines.clone());
        lines
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
            self.paste_ui(ui, commands);
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                if ui.button(msg::batch_import()).clicked() {
                    commands.push(Command::PickTokenFile);
                }
                if self.importing.is_running() {
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
                        self.generation += 1;
                    }
                }
            });
            let load = (msg::batch_load(), true);
            if path_field(
                ui,
                &msg::batch_import_path(),
                &mut self.import_path,
                220.0,
                load,
            ) {
                commands.push(Command::ImportTokens(dialogs::expand_home(
                    &self.import_path,
                )));
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
                ui.label(RichText::new(msg::batch_saved()).strong());
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
                        if ui
                            .checkbox(&mut on, msg::batch_group(group.to_string()))
                            .changed()
                        {
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
            ui.add_space(ITEM_GAP);
            settings_ui(ui, &mut state.batch);
            ui.label(
                RichText::new(msg::batch_settings_hint())
                    .small()
                    .color(p.muted),
            );
            ui.add_space(ITEM_GAP);
            warnings_ui(ui, &route.warnings);
            let count = self.recipient_count(state);
            ui.horizontal(|ui| {
                let running = self.running.is_running();
                let label = if count > 0 {
                    msg::batch_send_to_count(count)
                } else {
                    msg::batch_send().to_owned()
                };
                let send = ui.add_enabled(
                    !running && count > 0 && !self.pasting.is_running(),
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
            if let Some(error) = &self.error {
                notice(ui, "⚠", error, p.bad);
            }
            if self.narrow
                && let Some(progress) = self.progress
            {
                // One column: the summary card is further down; its bar and counts are here
                // too, where the button that started the batch is.
                ui.add_space(ITEM_GAP);
                self.progress_bar(ui, &progress);
                self.outcome_chips(ui);
            }
        });
    }
}

/// Connections and pushes in flight, each named by its label.
fn settings_ui(ui: &mut egui::Ui, settings: &mut BatchSettings) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(msg::batch_connections());
        ui.add(egui::DragValue::new(&mut settings.connections).range(BatchSettings::CONNECTIONS))
            .labelled_by(label.id);
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

fn toggle(set: &mut BTreeSet<String>, key: String, on: bool) {
    if on {
        set.insert(key);
    } else {
        set.remove(&key);
    }
}
