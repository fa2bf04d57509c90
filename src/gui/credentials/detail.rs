//! The right-hand side for one entry: reading, asking for a passphrase, what went wrong, or
//! everything the inspection found, with the export card below. And the welcome page.

use super::export::export_card;
use super::list::{environment_chip, expiry_badge};
use super::{CredentialsPanel, Loaded, Status, View};
use crate::cert::{FileKind, Passphrase, Severity};
use crate::gui::app::{Command, EntryId};
use crate::gui::i18n::{cert_finding, tr, tr_with};
use crate::gui::state::SavedCredential;
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::{CopyRows, capitalise, chip, copy_row, file_name, notice, secret_field};

impl CredentialsPanel {
    pub(super) fn welcome_ui(&mut self, ui: &mut egui::Ui) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.heading(tr("credentials-add-a-credential"));
            ui.add_space(ITEM_GAP);
            ui.label(tr("credentials-pushlab-reads-what-apple-and"));
            for line in [
                tr("credentials-the-push-certificate-from-the"),
                tr("credentials-the-p12-exported-from-keychain"),
                tr("credentials-a-pem-file-cert-pem"),
                tr("credentials-an-apns-auth-key-authkey"),
            ] {
                ui.label(line);
            }
            ui.add_space(ITEM_GAP);
            ui.label(tr("credentials-drop-them-onto-this-window"));
            ui.add_space(SECTION_GAP);
            ui.label(tr("credentials-no-apple-account-yet-issue"));
            if ui.button(tr("credentials-new-test-certificate")).clicked() {
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
        let palette = Palette::of(ui);
        match &mut entry.status {
            Status::Loading(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tr_with(
                        "credentials-reading-file",
                        &[("file", entry.saved.name.as_str().into())],
                    ));
                });
            }
            Status::Locked {
                file,
                input,
                shown,
                wrong,
            } => {
                let file_label = file_name(file);
                theme::card(ui).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.heading(&entry.saved.name);
                    ui.add_space(ITEM_GAP);
                    if *wrong {
                        notice(
                            ui,
                            "⚠",
                            &tr_with(
                                "credentials-wrong-passphrase",
                                &[("file", file_label.as_str().into())],
                            ),
                            palette.bad,
                        );
                    } else {
                        notice(
                            ui,
                            "🔒",
                            &tr_with(
                                "credentials-protected",
                                &[("file", file_label.as_str().into())],
                            ),
                            palette.info,
                        );
                    }
                    ui.add_space(ITEM_GAP);
                    let field = secret_field(
                        ui,
                        &tr_with(
                            "credentials-passphrase-for",
                            &[("file", file_label.as_str().into())],
                        ),
                        input,
                        shown,
                        240.0,
                    );
                    // The field takes the keyboard when it appears (and again after a wrong
                    // try): the user came here to type the passphrase.
                    let asked =
                        egui::Id::unique(("passphrase-asked", id.0, file.as_path(), *wrong));
                    if !ui.data(|d| d.get_temp::<bool>(asked).unwrap_or(false)) {
                        field.request_focus();
                        ui.data_mut(|d| d.insert_temp(asked, true));
                    }
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.add_space(ITEM_GAP);
                    ui.horizontal(|ui| {
                        if ui.button(tr("credentials-unlock")).clicked() || enter {
                            commands.push(Command::Unlock {
                                entry: id,
                                passphrase: Passphrase::new(std::mem::take(input)),
                            });
                        }
                        if ui.button(tr("credentials-remove-from-list")).clicked() {
                            commands.push(Command::Remove(id));
                        }
                    });
                });
            }
            Status::Failed(message) => {
                theme::card(ui).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.heading(&entry.saved.name);
                    ui.add_space(ITEM_GAP);
                    notice(ui, "⚠", message, palette.bad);
                    ui.add_space(ITEM_GAP);
                    ui.horizontal(|ui| {
                        if ui.button(tr("credentials-try-again")).clicked() {
                            commands.push(Command::Reload(id));
                        }
                        if ui.button(tr("credentials-remove-from-list")).clicked() {
                            commands.push(Command::Remove(id));
                        }
                    });
                });
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
                if ui.button(tr("credentials-remove-from-list")).clicked() {
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
                let (icon, tone) = match finding.severity {
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
                copy_row(
                    ui,
                    &tr("credentials-bundle-id"),
                    c.bundle_id.as_deref().unwrap_or("—"),
                    c.bundle_id.is_some(),
                );
                copy_row(
                    ui,
                    &tr("credentials-team-id"),
                    c.team_id.as_deref().unwrap_or("—"),
                    c.team_id.is_some(),
                );
                copy_row(ui, &tr("credentials-topics"), &c.topics.join("\n"), false);
                copy_row(
                    ui,
                    &tr("credentials-environment"),
                    c.environment.label(),
                    false,
                );
                copy_row(
                    ui,
                    &tr("credentials-valid-from"),
                    &date_time(c.not_before),
                    false,
                );
                copy_row(
                    ui,
                    &tr("credentials-valid-until"),
                    &date_time(c.not_after),
                    false,
                );
                let days = if c.days_left < 0 {
                    tr_with(
                        "credentials-expired-days-ago",
                        &[("days", (-c.days_left).into())],
                    )
                } else {
                    tr_with("credentials-days", &[("days", c.days_left.into())])
                };
                copy_row(ui, &tr("credentials-days-left"), &days, false);
                copy_row(ui, &tr("credentials-subject"), &c.subject.text, true);
                copy_row(ui, &tr("credentials-issuer"), &c.issuer.text, true);
                copy_row(ui, &tr("credentials-serial"), &c.serial, true);
                copy_row(ui, &tr("credentials-sha-1"), &c.sha1, true);
                copy_row(ui, &tr("credentials-sha-256"), &c.sha256, true);
                copy_row(ui, &tr("credentials-public-key"), &c.public_key, false);
            }
            let key = match (&inspection.private_key, inspection.key_matches) {
                (Some(k), Some(true)) => {
                    tr_with("credentials-key-matches", &[("key", k.as_str().into())])
                }
                (Some(k), Some(false)) => {
                    tr_with("credentials-key-mismatch", &[("key", k.as_str().into())])
                }
                (Some(k), None) => k.clone(),
                (None, _) => tr("credentials-no-key"),
            };
            copy_row(ui, &tr("credentials-private-key"), &key, false);
            if let Some(auth) = &inspection.auth_key {
                copy_row(
                    ui,
                    &tr("credentials-key-id"),
                    &auth
                        .key_id
                        .clone()
                        .unwrap_or_else(|| tr("credentials-key-id-not-in-file-name")),
                    auth.key_id.is_some(),
                );
                copy_row(ui, &tr("credentials-curve"), &auth.curve, false);
                copy_row(
                    ui,
                    &tr("credentials-token-signing"),
                    &if auth.usable_for_es256 {
                        tr("credentials-usable-for-es256-tokens")
                    } else {
                        tr("credentials-not-usable-for-apns-tokens")
                    },
                    false,
                );
            }
            if let Some(p12) = &inspection.p12 {
                copy_row(ui, &tr("credentials-p12-encryption"), &p12.detail, false);
            }
            if !inspection.chain.is_empty() {
                let chain = inspection
                    .chain
                    .iter()
                    .map(|c| c.subject.text.clone())
                    .collect::<Vec<_>>()
                    .join("\n");
                copy_row(ui, &tr("credentials-also-in-the-file"), &chain, false);
            }
            copy_row(
                ui,
                &tr("credentials-file"),
                &saved.path.display().to_string(),
                true,
            );
            if let Some(key_path) = &saved.key_path {
                copy_row(
                    ui,
                    &tr("credentials-key-file"),
                    &key_path.display().to_string(),
                    true,
                );
            }
        });
    });
}

fn kind_label(kind: FileKind) -> String {
    match kind {
        FileKind::Identity => tr("credentials-certificate-key"),
        FileKind::Certificate => tr("credentials-certificate-only"),
        FileKind::PrivateKey => tr("credentials-key-only"),
        FileKind::AuthKey => tr("credentials-auth-key-p8"),
    }
}
