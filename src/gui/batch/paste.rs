//! The pasted tokens: a bounded editor while the list is small enough to edit, a list drawn a
//! screenful at a time past that, and a large paste read on the worker.

use std::ops::Range;
use std::sync::Arc;

use egui::{RichText, TextEdit};

use super::{Parsed, parse_tokens};
use crate::gui::JobError;
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::theme::Palette;
use crate::gui::widgets::chip;
use crate::gui::worker::{Task, Worker};

/// Pasted text up to this size is edited in place (about 3,000 tokens with names); past it
/// the list is shown, not edited: laying out megabytes of text every frame would stall.
const PASTE_EDIT_LIMIT: usize = 256 * 1024;
/// The paste box and the pasted list scroll within this height, so the Send button and the
/// results stay in view whatever was pasted.
const PASTE_HEIGHT: f32 = 150.0;

/// The pasted text and the tokens read from it.
#[derive(Default)]
pub(super) struct Paste {
    text: String,
    parsed: Arc<Parsed>,
    /// A large paste is shown as a list on request.
    show_list: bool,
    /// A large paste being read on the worker.
    reading: Task<Parsed, JobError>,
    /// The lines of a large paste, found when the list is first shown.
    line_starts: Option<Arc<Vec<Range<usize>>>>,
}

impl Paste {
    pub(super) fn parsed(&self) -> &Arc<Parsed> {
        &self.parsed
    }

    pub(super) fn is_reading(&self) -> bool {
        self.reading.is_running()
    }

    /// Reads a large paste on the worker (a hundred thousand lines take a while).
    pub(super) fn read(&mut self, worker: &Worker) {
        let text = self.text.clone();
        self.reading = worker.run_blocking(move |_| Ok(parse_tokens(text.as_bytes())));
    }

    /// Takes a paste read on the worker; true when the tokens changed.
    pub(super) fn poll(&mut self) -> bool {
        if self.reading.poll()
            && let Some(Ok(parsed)) = self.reading.take_finished()
        {
            self.parsed = Arc::new(parsed);
            return true;
        }
        false
    }

    /// The pasted tokens: a bounded editor (a few lines, scrolling) while the list is small
    /// enough to edit; past [`PASTE_EDIT_LIMIT`] bytes a summary with a "show the list" view
    /// drawn a screenful at a time, so 100,000 pasted lines stay responsive. True when the
    /// tokens changed.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) -> bool {
        let label = ui.label(RichText::new(msg::batch_paste()).strong());
        let field_id = ui.make_persistent_id("batch-paste-field");
        if ui.memory(|m| m.has_focus(field_id))
            && let Some(text) = self.take_big_paste(ui)
        {
            // Too much to edit: kept as a list, never laid out as one text.
            if !self.text.is_empty() && !self.text.ends_with('\n') {
                self.text.push('\n');
            }
            self.text.push_str(&text);
            ui.memory_mut(|m| m.surrender_focus(field_id));
            self.line_starts = None;
            commands.push(Command::ReadPastedTokens);
        }
        let changed = if self.text.len() <= PASTE_EDIT_LIMIT {
            self.editor_ui(ui, field_id, label.id)
        } else {
            self.list_ui(ui)
        };
        self.status_ui(ui);
        changed
    }

    /// The paste box, for a paste small enough to edit.
    fn editor_ui(&mut self, ui: &mut egui::Ui, field_id: egui::Id, label: egui::Id) -> bool {
        let mut changed = false;
        egui::ScrollArea::vertical()
            .id_salt("batch-paste")
            .max_height(PASTE_HEIGHT)
            .show(ui, |ui| {
                changed = ui
                    .add(
                        TextEdit::multiline(&mut self.text)
                            .id(field_id)
                            .hint_text(msg::batch_740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad_alices_iphone())
                            .font(egui::TextStyle::Monospace)
                            .desired_rows(5)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label)
                    .changed();
            });
        if changed {
            self.changed();
        }
        changed
    }

    /// A large paste: its line count, show or hide the list, clear it.
    fn list_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let p = Palette::of(ui);
        let mut cleared = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(msg::batch_pasted_lines(self.parsed.lines)).color(p.muted));
            let show = if self.show_list {
                msg::batch_hide_pasted()
            } else {
                msg::batch_show_pasted()
            };
            if ui.button(show).clicked() {
                self.show_list = !self.show_list;
            }
            if ui.button(msg::batch_clear_pasted()).clicked() {
                self.text.clear();
                self.show_list = false;
                self.changed();
                cleared = true;
            }
        });
        if self.show_list {
            let lines = self.lines();
            let row = ui.text_style_height(&egui::TextStyle::Monospace);
            egui::ScrollArea::vertical()
                .id_salt("batch-paste-all")
                .max_height(PASTE_HEIGHT)
                .show_rows(ui, row, lines.len(), |ui, range| {
                    for r in &lines[range] {
                        let line = self.text.get(r.clone()).unwrap_or_default();
                        ui.add(egui::Label::new(RichText::new(line).monospace()).truncate());
                    }
                });
        }
        cleared
    }

    /// Reading, or how many tokens the paste holds and its first problems.
    fn status_ui(&self, ui: &mut egui::Ui) {
        let p = Palette::of(ui);
        if self.reading.is_running() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(msg::batch_reading_pasted()).color(p.muted));
            });
        } else if self.parsed.lines > 0 {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(msg::batch_tokens_entered(self.parsed.recipients.len()))
                        .color(p.muted),
                );
                if self.parsed.invalid_count > 0 {
                    chip(
                        ui,
                        &msg::batch_invalid_lines(self.parsed.invalid_count),
                        p.warning,
                    );
                }
            });
        }
        self.parsed.problems_ui(ui, p);
    }

    /// A paste (or typed text) that would take the field past [`PASTE_EDIT_LIMIT`], taken
    /// out of this frame's input before the editor sees it.
    fn take_big_paste(&self, ui: &mut egui::Ui) -> Option<String> {
        let room = PASTE_EDIT_LIMIT.saturating_sub(self.text.len());
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

    fn changed(&mut self) {
        self.parsed = Arc::new(parse_tokens(self.text.as_bytes()));
        self.line_starts = None;
    }

    /// Where each pasted line is, found once per paste.
    fn lines(&mut self) -> Arc<Vec<Range<usize>>> {
        if let Some(lines) = &self.line_starts {
            return lines.clone();
        }
        let mut out = Vec::new();
        let mut start = 0;
        for (i, b) in self.text.bytes().enumerate() {
            if b == b'\n' {
                out.push(start..i);
                start = i + 1;
            }
        }
        if start < self.text.len() {
            out.push(start..self.text.len());
        }
        let lines = Arc::new(out);
        self.line_starts = Some(lines.clone());
        lines
    }
}
