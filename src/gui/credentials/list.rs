//! The list on the left: the import controls, then one row per credential with its bundle
//! id, environment, expiry and problems.

use egui::{RichText, TextEdit};

use super::{CredentialsPanel, Entry, Loaded, Status, View};
use crate::cert::{CertEnvironment, FileKind, Severity};
use crate::gui::app::Command;
use crate::gui::dialogs::expand_home;
use crate::gui::i18n::msg;
use crate::gui::state::ConnectionSettings;
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP, Tone};
use crate::gui::widgets::{chip, icon_label, named_by_words};

impl CredentialsPanel {
    pub(super) fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &ConnectionSettings,
        commands: &mut Vec<Command>,
    ) {
        ui.add_space(ITEM_GAP);
        ui.heading(msg::credentials_credentials());
        ui.label(
            RichText::new(msg::credentials_push_certificates_keys_p12_and())
                .color(Palette::of(ui).muted),
        );
        ui.add_space(ITEM_GAP);
        // One row where the list has the window's width (above the entry), two beside it.
        ui.horizontal_wrapped(|ui| {
            let choosing = self.import.dialog.is_running();
            let words = msg::credentials_choose_files();
            let choose = ui.add_enabled(!choosing, egui::Button::new(icon_label("📂", &words)));
            if named_by_words(choose, &words).clicked() {
                commands.push(Command::PickFilesToImport);
            }
            if new_test_certificate_button(ui).clicked() {
                self.view = View::Generate;
            }
            if ui.button(msg::credentials_new_signing_request()).clicked() {
                self.show_request();
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(msg::credentials_file_path());
            let field = ui
                .add(
                    TextEdit::singleline(&mut self.import.path)
                        .hint_text(msg::credentials_path_to_push_p12())
                        .desired_width(ui.available_width() - 70.0),
                )
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(msg::credentials_import()).clicked() || enter)
                && !self.import.path.trim().is_empty()
            {
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
            ui.label(
                RichText::new(msg::credentials_no_credentials_yet()).color(Palette::of(ui).muted),
            );
            return;
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for entry in &self.entries {
                    let selected = self.view == View::Entry(entry.id);
                    let row = list_row(ui, entry, &self.entries, settings, selected);
                    if selected && self.in_view != Some(entry.id) {
                        row.scroll_to_me(None);
                        self.in_view = Some(entry.id);
                    }
                    if row.clicked() {
                        self.view = View::Entry(entry.id);
                    }
                }
            });
    }
}

/// The environment chip's text and tone.
pub(super) fn environment_chip(loaded: &Loaded, p: &Palette) -> (String, Tone) {
    if loaded.inspection.kind == FileKind::AuthKey {
        return (msg::credentials_chip_token(), p.info);
    }
    match loaded
        .inspection
        .certificate
        .as_ref()
        .map(|c| c.environment)
    {
        Some(CertEnvironment::Development) => (msg::connection_chip_sandbox(), p.info),
        Some(CertEnvironment::Production) => (msg::connection_chip_production(), p.info),
        Some(CertEnvironment::Universal) => (msg::credentials_chip_universal(), p.info),
        Some(CertEnvironment::None) => (msg::credentials_chip_not_apns(), p.bad),
        None => (msg::credentials_key_only(), p.neutral),
    }
}

/// The expiry badge's text and tone: green, amber under 30 days, red once expired.
pub(super) fn expiry_badge(days_left: i64, p: &Palette) -> (String, Tone) {
    if days_left < 0 {
        (msg::credentials_expired(), p.bad)
    } else if days_left < 30 {
        (msg::credentials_days_left_count(days_left), p.warning)
    } else {
        (msg::credentials_days_left_count(days_left), p.good)
    }
}

/// Another entry holding the same certificate (by its SHA-256 fingerprint), if any.
pub(super) fn same_certificate<'a>(entry: &Entry, all: &'a [Entry]) -> Option<&'a Entry> {
    let fingerprint = |e: &Entry| {
        e.loaded()
            .and_then(|l| l.inspection.certificate.as_ref())
            .map(|c| c.sha256.clone())
    };
    let mine = fingerprint(entry)?;
    all.iter()
        .find(|e| e.id != entry.id && fingerprint(e).as_ref() == Some(&mine))
}

fn list_row(
    ui: &mut egui::Ui,
    entry: &Entry,
    all: &[Entry],
    settings: &ConnectionSettings,
    selected: bool,
) -> egui::Response {
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
            row_title(ui, entry, all, p);
            match &entry.status {
                Status::Loading(_) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(RichText::new(msg::credentials_reading()).color(p.muted));
                    });
                }
                Status::Locked { .. } => {
                    chip(ui, &msg::credentials_passphrase_needed(), p.warning);
                }
                Status::Failed(_) => {
                    chip(ui, &msg::credentials_could_not_be_read(), p.bad);
                }
                Status::Ready(loaded) => ready_summary(ui, entry, loaded, all, p),
            }
        });
    let response = ui.interact(
        frame.response.rect,
        ui.scope_id().with(("credential-row", entry.id.0)),
        egui::Sense::click(),
    );
    let name = msg::credentials_show_entry(crate::gui::connection::credential_label(
        entry, all, settings,
    ));
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

/// The entry's name, and its folder when another entry has the same name.
fn row_title(ui: &mut egui::Ui, entry: &Entry, all: &[Entry], p: Palette) {
    ui.add(
        egui::Label::new(RichText::new(&entry.saved.name).strong())
            .truncate()
            .selectable(false),
    );
    if all
        .iter()
        .any(|e| e.id != entry.id && e.saved.name == entry.saved.name)
        && let Some(folder) = entry.saved.path.parent()
    {
        // Two files of one name: the folder tells them apart.
        ui.add(
            egui::Label::new(
                RichText::new(crate::gui::dialogs::display_path(folder))
                    .small()
                    .color(p.muted),
            )
            .truncate()
            .selectable(false),
        );
    }
}

/// A read entry: its bundle id (or key id), environment, expiry, problems, and a twin entry
/// holding the same certificate.
fn ready_summary(ui: &mut egui::Ui, entry: &Entry, loaded: &Loaded, all: &[Entry], p: Palette) {
    let bundle = loaded
        .inspection
        .certificate
        .as_ref()
        .and_then(|c| c.bundle_id.clone())
        .or_else(|| {
            loaded.inspection.auth_key.as_ref().map(|a| {
                msg::credentials_key_id_value(
                    a.key_id.clone().unwrap_or_else(msg::credentials_unknown),
                )
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
        chip(ui, &env, tone);
        if let Some(cert) = &loaded.inspection.certificate {
            let (text, tone) = expiry_badge(cert.days_left, &p);
            chip(ui, &text, tone);
        }
        if loaded.inspection.worst() == Some(Severity::Error) {
            chip(ui, &msg::credentials_problem(), p.bad);
        }
    });
    if let Some(twin) = same_certificate(entry, all) {
        chip(
            ui,
            &msg::credentials_same_certificate(twin.saved.name.as_str()),
            p.warning,
        );
    }
}

/// "New test certificate…", on the list and on the empty screen beside it.
pub(super) fn new_test_certificate_button(ui: &mut egui::Ui) -> egui::Response {
    let words = msg::credentials_new_test_certificate();
    let button = ui.button(icon_label("✨", &words));
    named_by_words(button, &words)
}
