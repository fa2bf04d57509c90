//! The right-hand side for one entry: reading, asking for a passphrase, what went wrong, or
//! everything the inspection found, with the export card below. And the welcome page.

use super::export::export_card;
use super::list::{environment_chip, expiry_badge};
use super::{CredentialsPanel, Loaded, Status, View};
use crate::cert::{CertificateReport, FileKind, Inspection, Passphrase, Severity};
use crate::gui::app::{Command, EntryId};
use crate::gui::i18n::{cert_finding, msg};
use crate::gui::state::SavedCredential;
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::{CopyRows, capitalise, chip, copy_row, file_name, notice, secret_field};

impl CredentialsPanel {
    pub(super) fn welcome_ui(&mut self, ui: &mut egui::Ui) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.heading(msg::credentials_add_a_credential());
            ui.add_space(ITEM_GAP);
            ui.label(msg::credentials_pushlab_reads_what_apple_and());
            for line in [
                msg::credentials_the_push_certificate_from_the(),
                msg::credentials_the_p12_exported_from_keychain(),
                msg::credentials_a_pem_file_cert_pem(),
                msg::credentials_an_apns_auth_key_authkey(),
            ] {
                ui.label(line);
            }
            ui.add_space(ITEM_GAP);
            ui.label(msg::credentials_drop_them_onto_this_window());
            ui.add_space(SECTION_GAP);
            ui.label(msg::credentials_no_apple_account_yet_issue());
            if super::list::new_test_certificate_button(ui).clicked() {
                self.view = View::Generate;
            }
        });
    }

    pub(super) fn entry_ui(&mut self, ui: &mut egui::Ui, id: EntryId, commands: &mut Vec<Command>) {
        let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) else {
            self.view = View::Welcome;
            return;
        };
        if self.export.entry != Some(id) {
            self.export.entry = Some(id);
            self.export.save.clear();
        }
        match &mut entry.status {
            Status::Loading(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(msg::credentials_reading_file(entry.saved.name.as_str()));
                });
            }
            Status::Locked { .. } => {
                locked_card(ui, id, &entry.saved.name, &mut entry.status, commands);
            }
            Status::Failed(error) => {
                failed_card(ui, id, &entry.saved.name, &error.text(), commands)
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

/// A file that needs its passphrase: why it is asked (again), the field, Unlock and Remove.
/// Takes the whole status so that the four fields of `Locked` travel as one.
fn locked_card(
    ui: &mut egui::Ui,
    id: EntryId,
    name: &str,
    status: &mut Status,
    commands: &mut Vec<Command>,
) {
    let Status::Locked {
        file,
        input,
        shown,
        wrong,
    } = status
    else {
        return;
    };
    let palette = Palette::of(ui);
    let file_label = file_name(file);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.heading(name);
        ui.add_space(ITEM_GAP);
        if *wrong {
            notice(
                ui,
                "⚠",
                &msg::credentials_wrong_passphrase(file_label.as_str()),
                palette.bad,
            );
        } else {
            notice(
                ui,
                "🔒",
                &msg::credentials_protected(file_label.as_str()),
                palette.info,
            );
        }
        ui.add_space(ITEM_GAP);
        let field = secret_field(
            ui,
            &msg::credentials_passphrase_for(file_label.as_str()),
            input,
            shown,
            240.0,
        );
        // The field takes the keyboard when it appears (and again after a wrong
        // try): the user came here to type the passphrase.
        let asked = egui::Id::unique(("passphrase-asked", id.0, file.as_path(), *wrong));
        if !ui.data(|d| d.get_temp::<bool>(asked).unwrap_or(false)) {
            field.request_focus();
            ui.data_mut(|d| d.insert_temp(asked, true));
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(ITEM_GAP);
        ui.horizontal(|ui| {
            if ui.button(msg::credentials_unlock()).clicked() || enter {
                commands.push(Command::Unlock {
                    entry: id,
                    passphrase: Passphrase::new(std::mem::take(input)),
                });
            }
            if ui.button(msg::credentials_remove_from_list()).clicked() {
                commands.push(Command::Remove(id));
            }
        });
    });
}

/// A file that could not be read: why, Try again and Remove.
fn failed_card(
    ui: &mut egui::Ui,
    id: EntryId,
    name: &str,
    message: &str,
    commands: &mut Vec<Command>,
) {
    let palette = Palette::of(ui);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.heading(name);
        ui.add_space(ITEM_GAP);
        notice(ui, "⚠", message, palette.bad);
        ui.add_space(ITEM_GAP);
        ui.horizontal(|ui| {
            if ui.button(msg::credentials_try_again()).clicked() {
                commands.push(Command::Reload(id));
            }
            if ui.button(msg::credentials_remove_from_list()).clicked() {
                commands.push(Command::Remove(id));
            }
        });
    });
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
                if ui.button(msg::credentials_remove_from_list()).clicked() {
                    commands.push(Command::Remove(id));
                }
            });
        });
        ui.horizontal(|ui| {
            let (env, tone) = environment_chip(loaded, &p);
            chip(ui, &env, tone);
            if let Some(cert) = &inspection.certificate {
                let (text, tone) = expiry_badge(cert.days_left, &p);
                chip(ui, &text, tone);
            }
            chip(ui, &kind_label(inspection.kind), p.neutral);
        });
        if !inspection.findings.is_empty() {
            ui.add_space(ITEM_GAP);
            for finding in &inspection.findings {
                let (icon, tone) = match finding.severity() {
                    Severity::Error => ("✖", p.bad),
                    Severity::Warning => ("⚠", p.warning),
                    Severity::Info => ("ℹ", p.info),
                };
                notice(ui, icon, &capitalise(&cert_finding(finding)), tone);
            }
        }
        ui.add_space(SECTION_GAP);
        CopyRows::show(ui, |ui| {
            if let Some(c) = &inspection.certificate {
                certificate_rows(ui, c);
            }
            key_rows(ui, inspection);
            file_rows(ui, inspection, saved);
        });
    });
}

/// The certificate's rows: what it is for, when it is valid, who it names, its fingerprints.
fn certificate_rows(ui: &mut egui::Ui, c: &CertificateReport) {
    copy_row(
        ui,
        &msg::credentials_bundle_id(),
        c.bundle_id.as_deref().unwrap_or("—"),
        c.bundle_id.is_some(),
    );
    copy_row(
        ui,
        &msg::credentials_team_id(),
        c.team_id.as_deref().unwrap_or("—"),
        c.team_id.is_some(),
    );
    copy_row(ui, &msg::credentials_topics(), &c.topics.join("\n"), false);
    copy_row(
        ui,
        &msg::credentials_environment(),
        &crate::gui::i18n::cert_environment(c.environment),
        false,
    );
    copy_row(
        ui,
        &msg::credentials_valid_from(),
        &date_time(c.not_before),
        false,
    );
    copy_row(
        ui,
        &msg::credentials_valid_until(),
        &date_time(c.not_after),
        false,
    );
    let days = if c.days_left < 0 {
        msg::credentials_expired_days_ago(-c.days_left)
    } else {
        msg::credentials_days(c.days_left)
    };
    copy_row(ui, &msg::credentials_days_left(), &days, false);
    copy_row(ui, &msg::credentials_subject(), &c.subject.text, true);
    copy_row(ui, &msg::credentials_issuer(), &c.issuer.text, true);
    copy_row(ui, &msg::credentials_serial(), &c.serial, true);
    copy_row(ui, &msg::credentials_sha_1(), &c.sha1, true);
    copy_row(ui, &msg::credentials_sha_256(), &c.sha256, true);
    copy_row(ui, &msg::credentials_public_key(), &c.public_key, false);
}

/// The private key (and whether it matches), then an auth key's id, curve and use.
fn key_rows(ui: &mut egui::Ui, inspection: &Inspection) {
    let key = match (&inspection.private_key, inspection.key_matches) {
        (Some(k), Some(true)) => msg::credentials_key_matches(k.as_str()),
        (Some(k), Some(false)) => msg::credentials_key_mismatch(k.as_str()),
        (Some(k), None) => k.clone(),
        (None, _) => msg::credentials_no_key(),
    };
    copy_row(ui, &msg::credentials_private_key(), &key, false);
    if let Some(auth) = &inspection.auth_key {
        copy_row(
            ui,
            &msg::credentials_key_id(),
            &auth
                .key_id
                .clone()
                .unwrap_or_else(msg::credentials_key_id_not_in_file_name),
            auth.key_id.is_some(),
        );
        copy_row(ui, &msg::credentials_curve(), &auth.curve, false);
        copy_row(
            ui,
            &msg::credentials_token_signing(),
            &if auth.usable_for_es256 {
                msg::credentials_usable_for_es256_tokens()
            } else {
                msg::credentials_not_usable_for_apns_tokens()
            },
            false,
        );
    }
}

/// The file itself: a p12's encryption, what else it holds, and where it and its key are.
fn file_rows(ui: &mut egui::Ui, inspection: &Inspection, saved: &SavedCredential) {
    if let Some(p12) = &inspection.p12 {
        copy_row(ui, &msg::credentials_p12_encryption(), &p12.detail, false);
    }
    if !inspection.chain.is_empty() {
        let chain = inspection
            .chain
            .iter()
            .map(|c| c.subject.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        copy_row(ui, &msg::credentials_also_in_the_file(), &chain, false);
    }
    copy_row(
        ui,
        &msg::credentials_file(),
        &saved.path.display().to_string(),
        true,
    );
    if let Some(key_path) = &saved.key_path {
        copy_row(
            ui,
            &msg::credentials_key_file(),
            &key_path.display().to_string(),
            true,
        );
    }
}

fn kind_label(kind: FileKind) -> String {
    match kind {
        FileKind::Identity => msg::credentials_certificate_key(),
        FileKind::Certificate => msg::credentials_certificate_only(),
        FileKind::PrivateKey => msg::credentials_key_only(),
        FileKind::AuthKey => msg::credentials_auth_key_p8(),
    }
}
