//! Exporting a credential: as combined, certificate or key PEM, or as a current or legacy
//! .p12, owner-only when it holds the key, through the screens' one save flow.

use std::path::PathBuf;

use egui::{RichText, TextEdit};

use super::{CredentialsPanel, Entry, jobs};
use crate::cert::{ExportFormat, Passphrase};
use crate::gui::app::{Command, EntryId};
use crate::gui::dialogs::expand_home;
use crate::gui::i18n::msg;
use crate::gui::save_flow::SaveFlow;
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{Message, icon_label, named_by_words, secret_field};
use crate::gui::worker::Worker;

/// What an export writes: which entry, in which format, protected by which passphrase.
pub(super) type ExportRequest = (EntryId, ExportFormat, Option<Passphrase>);

pub(super) struct ExportForm {
    /// The entry the form was last used for; switching entries clears the message.
    pub(super) entry: Option<EntryId>,
    format: ExportFormat,
    passphrase: String,
    shown: bool,
    pub(super) save: SaveFlow<ExportRequest>,
}

impl Default for ExportForm {
    fn default() -> Self {
        ExportForm {
            entry: None,
            format: ExportFormat::Pem,
            passphrase: String::new(),
            shown: false,
            save: SaveFlow::new("", msg::credentials_no_save_dialog_could_be, |path| {
                msg::credentials_saved_to(path.display().to_string())
            }),
        }
    }
}

impl ExportForm {
    /// The passphrase typed, when the format holds the key (only the key is protected by it).
    fn passphrase_to_use(&self) -> Option<Passphrase> {
        (self.format.contains_key() && !self.passphrase.is_empty())
            .then(|| Passphrase::new(self.passphrase.clone()))
    }
}

/// The export formats, as the menu names them.
fn formats() -> [(ExportFormat, String); 5] {
    [
        (ExportFormat::Pem, msg::credentials_combined_pem_cert_key()),
        (ExportFormat::CertPem, msg::credentials_certificate_pem()),
        (ExportFormat::KeyPem, msg::credentials_key_pem()),
        (ExportFormat::P12, ".p12".to_owned()),
        (ExportFormat::P12Legacy, msg::credentials_p12_legacy()),
    ]
}

impl CredentialsPanel {
    /// Writes entry `id` in `format` to `path` on the worker; an existing file only with
    /// `overwrite` (the user was asked).
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
                .fail(msg::credentials_this_entry_has_no_certificate());
            return;
        };
        let request = (id, format, passphrase.clone());
        self.export.save.write(worker, request, overwrite, move || {
            jobs::export(&credential, format, passphrase.as_ref(), &path, overwrite)
        });
    }

    /// Asks the native dialog where to write entry `id` in `format`, starting in `start`, then
    /// writes it there.
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
        self.export.save.choose(
            worker,
            msg::credentials_export_credential(),
            start,
            name,
            request,
        );
    }

    pub(super) fn poll_export(&mut self, worker: &Worker) {
        if let Some((path, (id, format, passphrase))) = self.export.save.poll() {
            // The dialog already asked about replacing an existing file.
            self.export(id, format, passphrase, path, true, worker);
        }
    }
}

pub(super) fn export_card(
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
        ui.heading(msg::credentials_export());
        ui.add_space(ITEM_GAP);
        format_picker(ui, form, has_key, p);
        if form.format.contains_key() {
            ui.add_space(ITEM_GAP);
            secret_field(
                ui,
                &msg::credentials_export_passphrase_optional(),
                &mut form.passphrase,
                &mut form.shown,
                220.0,
            );
        }
        ui.add_space(ITEM_GAP);
        save_rows(ui, form, entry, commands, p);
        if form.save.is_writing() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(msg::credentials_writing());
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

/// The formats, those that need the key greyed out without one, and what the chosen one is.
fn format_picker(ui: &mut egui::Ui, form: &mut ExportForm, has_key: bool, p: Palette) {
    ui.horizontal_wrapped(|ui| {
        for (format, text) in formats() {
            let enabled = has_key || !format.contains_key();
            let button = ui.add_enabled(
                enabled,
                egui::Button::selectable(form.format == format, text),
            );
            if button.clicked() {
                form.format = format;
                form.save.message = None;
            }
        }
    });
    if !has_key {
        ui.label(RichText::new(msg::credentials_without_the_private_key_only()).color(p.muted));
    }
    ui.add_space(ITEM_GAP);
    let hint = match form.format {
        ExportFormat::Pem => msg::credentials_certificate_then_key_as_php(),
        ExportFormat::CertPem => msg::credentials_the_certificate_alone_cert_pem(),
        ExportFormat::KeyPem => msg::credentials_the_private_key_alone_key(),
        ExportFormat::P12 => msg::credentials_aes_256_with_a_sha(),
        ExportFormat::P12Legacy => msg::credentials_rc2_3des_with_a_sha(),
    };
    ui.label(RichText::new(hint).color(p.muted));
}

/// Save as… through the dialog, or a typed path with Save (or Enter).
fn save_rows(
    ui: &mut egui::Ui,
    form: &mut ExportForm,
    entry: &Entry,
    commands: &mut Vec<Command>,
    p: Palette,
) {
    ui.horizontal(|ui| {
        let words = msg::credentials_save_as();
        let save_as = ui.add_enabled(
            !form.save.is_choosing(),
            egui::Button::new(icon_label("💾", &words)),
        );
        if named_by_words(save_as, &words).clicked() {
            commands.push(Command::PickExportPath {
                entry: entry.id,
                format: form.format,
                passphrase: form.passphrase_to_use(),
            });
        }
        ui.label(RichText::new(msg::credentials_or_type_a_path()).color(p.muted));
    });
    let mut save = false;
    ui.horizontal(|ui| {
        let label = ui.label(msg::credentials_save_to_path());
        let field = ui
            .add(
                TextEdit::singleline(&mut form.save.path)
                    .hint_text(format!("~/{}", suggested_file_name(entry, form.format)))
                    .desired_width((ui.available_width() - 70.0).max(160.0)),
            )
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        save = ui
            .add_enabled(
                !form.save.is_writing(),
                egui::Button::new(msg::credentials_save()),
            )
            .clicked()
            || enter;
    });
    if save {
        if form.save.path.trim().is_empty() {
            form.save.message = Some(Message::bad(msg::credentials_type_where_to_save_the()));
        } else {
            commands.push(Command::Export {
                entry: entry.id,
                format: form.format,
                passphrase: form.passphrase_to_use(),
                path: expand_home(&form.save.path),
                overwrite: false,
            });
        }
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
