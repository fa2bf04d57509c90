//! The card with the destination, the credential and, for auth keys, key id and team id.

use super::*;
use crate::cert::CertificateReport;
use crate::gui::credentials::Loaded;
use crate::gui::i18n::msg;

pub(super) fn settings_card(
    ui: &mut egui::Ui,
    settings: &mut ConnectionSettings,
    credentials: &CredentialsPanel,
    simulator_status: &str,
    commands: &mut Vec<Command>,
) {
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        destination_fields(ui, settings, simulator_status, commands);
        proxy_fields(ui, settings);
        ui.add_space(SECTION_GAP);
        credential_fields(ui, settings, credentials, commands);
    });
}

/// Where to connect: one radio per destination, then what that destination needs.
fn destination_fields(
    ui: &mut egui::Ui,
    settings: &mut ConnectionSettings,
    simulator_status: &str,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    ui.label(RichText::new(msg::connection_where()).strong());
    for destination in Destination::ALL {
        ui.horizontal(|ui| {
            ui.radio_value(&mut settings.destination, destination, destination.label());
            ui.label(RichText::new(destination.hint()).small().color(p.muted));
        });
    }
    ui.add_space(ITEM_GAP);
    match settings.destination {
        Destination::LocalSimulator => {
            ui.horizontal(|ui| {
                ui.label(RichText::new(msg::connection_simulator()).color(p.muted));
                ui.label(simulator_status);
                if ui.small_button(msg::connection_open_simulator()).clicked() {
                    commands.push(Command::ShowSection(crate::gui::app::Section::Simulator));
                }
            });
        }
        Destination::Sandbox | Destination::Production => {
            ui.horizontal(|ui| {
                ui.label(msg::connection_port());
                ui.radio_value(&mut settings.port, 443, msg::connection_port_443());
                ui.radio_value(&mut settings.port, 2197, msg::connection_port_2197());
            });
        }
        Destination::Custom => custom_fields(ui, settings),
    }
}

/// A custom gateway's host and the CA that signed it.
fn custom_fields(ui: &mut egui::Ui, settings: &mut ConnectionSettings) {
    ui.horizontal(|ui| {
        let label = ui.label(msg::connection_custom_host());
        ui.add(
            TextEdit::singleline(&mut settings.custom_host)
                .hint_text("gateway.example.com:8443")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
    });
    if !settings.custom_host.trim().is_empty()
        && let Err(e) = Target::custom(settings.custom_host.trim())
    {
        notice(ui, "⚠", &e, Palette::of(ui).warning);
    }
    ui.horizontal(|ui| {
        let label = ui.label(msg::connection_custom_ca());
        ui.add(
            TextEdit::singleline(&mut settings.custom_ca)
                .hint_text("~/gateway-ca.pem")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
    });
}

/// The credential to connect with (or a button to make a test one), and what it needs.
fn credential_fields(
    ui: &mut egui::Ui,
    settings: &mut ConnectionSettings,
    credentials: &CredentialsPanel,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    ui.label(RichText::new(msg::connection_credential()).strong());
    let chosen = chosen_credential(credentials, settings);
    let usable_entries: Vec<&Entry> = credentials.entries().iter().filter(|e| usable(e)).collect();
    if usable_entries.is_empty() {
        ui.label(RichText::new(msg::connection_no_credentials()).color(p.muted));
        if ui.button(msg::connection_generate()).clicked() {
            commands.push(Command::GenerateTestCertificate {
                bundle_id: DEMO_BUNDLE_ID.to_owned(),
                environment: CertEnvironment::Development,
            });
        }
        return;
    }
    credential_picker(ui, settings, credentials.entries(), chosen, &usable_entries);
    let Some(entry) = chosen else { return };
    let Some(loaded) = entry.loaded() else { return };
    if out_of_date(entry) {
        notice(
            ui,
            "⚠",
            &msg::app_credential_expired(entry.saved.name.as_str()),
            p.bad,
        );
    }
    if loaded.inspection.kind == FileKind::AuthKey {
        auth_key_fields(ui, settings, entry, loaded);
    } else if let Some(cert) = &loaded.inspection.certificate {
        certificate_facts(ui, settings, cert);
    }
}

/// The usable credentials in a box, each named as the pickers name it.
fn credential_picker(
    ui: &mut egui::Ui,
    settings: &mut ConnectionSettings,
    all: &[Entry],
    chosen: Option<&Entry>,
    usable_entries: &[&Entry],
) {
    let p = Palette::of(ui);
    ui.horizontal(|ui| {
        let label = ui.label(msg::connection_use());
        let selected = chosen
            .map(|e| credential_label(e, all, settings))
            .unwrap_or_default();
        let combo = egui::ComboBox::from_id_salt("connection-credential")
            .selected_text(selected)
            .width((ui.available_width() - 8.0).clamp(120.0, 420.0))
            // The whole label is in each entry and in the accessible name; the closed
            // box must not push the card into the next column.
            .truncate()
            .show_ui(ui, |ui| {
                for entry in usable_entries {
                    let is_chosen = chosen.is_some_and(|c| c.id == entry.id);
                    let text = credential_label(entry, all, settings);
                    let text = if out_of_date(entry) {
                        RichText::new(format!("⚠ {text}")).color(p.bad.fg)
                    } else {
                        RichText::new(text)
                    };
                    if ui.selectable_label(is_chosen, text).clicked() {
                        settings.credential = Some(entry.saved.path.clone());
                    }
                }
            })
            .response;
        let _ = combo.labelled_by(label.id);
    });
}

/// An auth key's key id, team id and bundle id, each checked as typed.
fn auth_key_fields(
    ui: &mut egui::Ui,
    settings: &mut ConnectionSettings,
    entry: &Entry,
    loaded: &Loaded,
) {
    let p = Palette::of(ui);
    ui.label(RichText::new(msg::connection_token_based_pushlab_signs_a()).color(p.muted));
    let from_file = loaded.main.key_id.clone();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(msg::connection_key_id());
        let hint = from_file.clone().unwrap_or_else(msg::connection_id_hint);
        ui.add(
            TextEdit::singleline(&mut settings.key_id)
                .hint_text(hint)
                .desired_width(140.0),
        )
        .labelled_by(label.id);
        // The grey id in the field is the one in use, not an example: say where it is from
        // (on the next line when the window is narrow).
        if settings.key_id.trim().is_empty() && from_file.is_some() {
            ui.label(
                RichText::new(msg::connection_key_id_from_file())
                    .small()
                    .color(p.muted),
            );
        }
    });
    if !settings.key_id.trim().is_empty()
        && let Some(problem) = id_problem(&settings.key_id, IdKind::Key)
    {
        notice(ui, "⚠", &problem, p.warning);
    }
    ui.horizontal(|ui| {
        let label = ui.label(msg::connection_team_id());
        ui.add(
            TextEdit::singleline(&mut settings.team_id)
                .hint_text(msg::connection_id_hint())
                .desired_width(140.0),
        )
        .labelled_by(label.id);
    });
    if !settings.team_id.trim().is_empty()
        && let Some(problem) = id_problem(&settings.team_id, IdKind::Team)
    {
        notice(ui, "⚠", &problem, p.warning);
    }
    let path = entry.saved.path.clone();
    ui.horizontal(|ui| {
        let label = ui.label(msg::connection_bundle_id());
        ui.add(
            TextEdit::singleline(settings.bundle_id_mut(&path))
                .hint_text("com.example.doorbell")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
    });
}

/// A certificate's bundle id and environment, and a warning when the destination will
/// refuse it.
fn certificate_facts(ui: &mut egui::Ui, settings: &ConnectionSettings, cert: &CertificateReport) {
    let p = Palette::of(ui);
    ui.horizontal(|ui| {
        if let Some(bundle) = &cert.bundle_id {
            ui.label(RichText::new(bundle).monospace());
        }
        let (env, tone) = match cert.environment {
            CertEnvironment::Development => (msg::connection_chip_sandbox(), p.info),
            CertEnvironment::Production => (msg::connection_chip_production(), p.warning),
            _ => (msg::connection_chip_universal(), p.good),
        };
        chip(ui, &env, tone);
    });
    let mismatch = match (settings.destination, cert.environment) {
        (Destination::Production, CertEnvironment::Development) => {
            Some(msg::connection_this_is_a_development_sandbox())
        }
        (Destination::Sandbox, CertEnvironment::Production) => {
            Some(msg::connection_this_is_a_production_certificate())
        }
        _ => None,
    };
    if let Some(warning) = mismatch {
        notice(ui, "⚠", &warning, p.warning);
    }
}

/// The proxy URL and, when it names a user, the password (kept for this session only).
fn proxy_fields(ui: &mut egui::Ui, settings: &mut ConnectionSettings) {
    ui.add_space(ITEM_GAP);
    ui.horizontal(|ui| {
        let label = ui.label(msg::connection_proxy());
        ui.add(
            TextEdit::singleline(&mut settings.proxy)
                .hint_text("http://user@proxy.corp:3128 or socks5://…")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
    });
    match settings.proxy() {
        Err(e) => {
            notice(ui, "⚠", &e, Palette::of(ui).warning);
        }
        Ok(Some(proxy)) if proxy.credentials.is_some() => {
            ui.horizontal(|ui| {
                let label = ui.label(msg::connection_proxy_password());
                ui.add(
                    TextEdit::singleline(&mut settings.proxy_password.0)
                        .password(true)
                        .desired_width(160.0),
                )
                .labelled_by(label.id);
            });
        }
        Ok(_) => {}
    }
}
