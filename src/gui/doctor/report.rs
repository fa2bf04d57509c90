//! The Doctor's answer as drawn: the verdict first, then the checklist by area, and the saved
//! credentials with the days they have left.

use egui::RichText;

use crate::doctor::{Area, Check, Diagnosis, Finding, Status};
use crate::gui::credentials::{CredentialsPanel, Status as Reading};
use crate::gui::i18n::{self, msg};
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{chip, notice};

/// The verdict and every finding.
pub(super) fn diagnosis_ui(ui: &mut egui::Ui, d: &Diagnosis) {
    let p = Palette::of(ui);
    let tone = match d.verdict.cause {
        "delivered" => p.good,
        "none_found" => p.neutral,
        _ => p.bad,
    };
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(msg::doctor_verdict()).strong().size(16.0));
        notice(
            ui,
            "➜",
            &crate::gui::connection::in_app_words(&i18n::verdict_sentence(&d.verdict.sentence)),
            tone,
        );
        if let Some(said) = &d.verdict.fix_said {
            ui.label(msg::doctor_fix(fix_worded(said)));
        }
        let mut area = None;
        for f in &d.findings {
            if area != Some(f.area) {
                area = Some(f.area);
                ui.add_space(ITEM_GAP);
                ui.label(RichText::new(area_label(f.area)).strong());
            }
            finding_row(ui, f);
        }
    });
}

/// The doctor's evidence in the app's language. The connection check's own sentences name
/// the CLI's options: the app's controls instead.
fn worded(evidence: &crate::doctor::Evidence) -> String {
    crate::gui::connection::in_app_words(&i18n::evidence(evidence))
}

/// A fix in the app's language, with the app's controls for the CLI's options.
fn fix_worded(fix: &crate::doctor::FixSaid) -> String {
    crate::gui::connection::in_app_words(&i18n::doctor_fix(fix))
}

fn check_title(check: Check) -> String {
    match check {
        Check::CredentialReadable => msg::doctor_check_credential_readable(),
        Check::PrivateKeyMatches => msg::doctor_check_private_key_matches(),
        Check::CertificateValidToday => msg::doctor_check_certificate_valid_today(),
        Check::ApnsCertificate => msg::doctor_check_apns_certificate(),
        Check::CertificateEnvironment => msg::doctor_check_certificate_environment(),
        Check::TopicInCertificate => msg::doctor_check_topic_in_certificate(),
        Check::AuthKeyUsable => msg::doctor_check_auth_key_usable(),
        Check::KeyIdWellFormed => msg::doctor_check_key_id_well_formed(),
        Check::TeamIdWellFormed => msg::doctor_check_team_id_well_formed(),
        Check::TopicGiven => msg::doctor_check_topic_given(),
        Check::KeyScope => msg::doctor_check_key_scope(),
        Check::TokenWellFormed => msg::doctor_check_token_well_formed(),
        Check::TokenEnvironment => msg::doctor_check_token_environment(),
        Check::PayloadAccepted => msg::doctor_check_payload_accepted(),
        Check::PayloadOnIos => msg::doctor_check_payload_on_ios(),
        Check::CredentialForPushType => msg::doctor_check_credential_for_push_type(),
        Check::TopicSuffix => msg::doctor_check_topic_suffix(),
        Check::BackgroundThrottled => msg::doctor_check_background_throttled(),
        Check::TriedOnce => msg::doctor_check_tried_once(),
        Check::PushesReplaceEachOther => msg::doctor_check_pushes_replace_each_other(),
        Check::NotificationSettings => msg::doctor_check_notification_settings(),
        Check::NetworkPath => msg::doctor_check_network_path(),
        Check::NameLookup => msg::doctor_check_name_lookup(),
        Check::TcpConnection => msg::doctor_check_tcp_connection(),
        Check::ReachingProxy => msg::doctor_check_reaching_proxy(),
        Check::ProxyTunnel => msg::doctor_check_proxy_tunnel(),
        Check::Tls => msg::doctor_check_tls(),
        Check::Http2 => msg::doctor_check_http2(),
        Check::CredentialAccepted => msg::doctor_check_credential_accepted(),
        Check::Proxy => msg::doctor_check_proxy(),
        Check::ProxySettings => msg::doctor_check_proxy_settings(),
        Check::OtherPort => msg::doctor_check_other_port(),
        Check::ProviderTokenFresh => msg::doctor_check_provider_token_fresh(),
        Check::TestPush => msg::doctor_check_test_push(),
        Check::Clock => msg::doctor_check_clock(),
    }
}

fn area_label(area: Area) -> String {
    match area {
        Area::Credential => msg::doctor_area_credential(),
        Area::Token => msg::doctor_area_token(),
        Area::Payload => msg::doctor_area_payload(),
        Area::Network => msg::doctor_area_network(),
        Area::TokenAuth => msg::doctor_area_token_auth(),
        Area::Delivery => msg::doctor_area_delivery(),
        Area::Phone => msg::doctor_area_phone(),
    }
}

fn finding_row(ui: &mut egui::Ui, f: &Finding) {
    let p = Palette::of(ui);
    let (word, tone) = match f.status {
        Status::Passed => (msg::doctor_status_passed(), p.good),
        Status::Failed => (msg::doctor_status_failed(), p.bad),
        Status::Warning => (msg::doctor_status_warning(), p.warning),
        Status::Skipped => (msg::doctor_status_skipped(), p.neutral),
        Status::Info => (msg::doctor_status_info(), p.neutral),
    };
    ui.horizontal_top(|ui| {
        chip(ui, &word, tone);
        ui.vertical(|ui| {
            ui.label(RichText::new(check_title(f.check)).strong());
            ui.label(RichText::new(worded(&f.evidence_value)).color(p.muted));
            if let Some(said) = &f.fix_said
                && f.status != Status::Passed
            {
                ui.label(msg::doctor_fix(fix_worded(said)));
            }
        });
    });
}

/// Every saved credential with its days left: expired and soon-expiring ones stand out.
pub(super) fn credentials_overview(
    ui: &mut egui::Ui,
    credentials: &CredentialsPanel,
    settings: &crate::gui::state::ConnectionSettings,
) {
    let p = Palette::of(ui);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(msg::doctor_credentials()).strong());
        if credentials.entries().is_empty() {
            ui.label(RichText::new(msg::doctor_no_credentials()).color(p.muted));
        }
        for entry in credentials.entries() {
            ui.horizontal_wrapped(|ui| {
                // Named as the pickers name it, so two `Push.p12` read apart.
                // Its days left are the chip beside it.
                ui.label(crate::gui::connection::credential_label_without_days(
                    entry,
                    credentials.entries(),
                    settings,
                ));
                let cert = entry
                    .loaded()
                    .and_then(|l| l.inspection.certificate.as_ref());
                match cert {
                    Some(c) => {
                        let (text, tone) = expiry(c.days_left, &p);
                        chip(ui, &text, tone);
                    }
                    None if entry.loaded().is_some() => {
                        chip(ui, &msg::doctor_does_not_expire(), p.neutral);
                    }
                    // Not read (yet): says which, as the Credentials list does; a file that
                    // could not be read is a finding, not a neutral "not loaded".
                    None => match &entry.status {
                        Reading::Failed(_) => {
                            chip(ui, &msg::credentials_could_not_be_read(), p.bad);
                        }
                        Reading::Locked { .. } => {
                            chip(ui, &msg::credentials_passphrase_needed(), p.warning);
                        }
                        Reading::Loading(_) | Reading::Ready(_) => {
                            chip(ui, &msg::credentials_reading(), p.neutral);
                        }
                    },
                }
            });
        }
    });
}

/// Days left as a chip: red once expired or within 7 days, amber within 30.
pub(crate) fn expiry(days_left: i64, p: &Palette) -> (String, crate::gui::theme::Tone) {
    if days_left < 0 {
        (msg::doctor_expired(), p.bad)
    } else {
        let text = msg::doctor_days_left(days_left);
        let tone = match days_left {
            0..=7 => p.bad,
            8..=30 => p.warning,
            _ => p.good,
        };
        (text, tone)
    }
}
