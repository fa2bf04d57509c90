//! The Doctor's answer as drawn: the verdict first, then the checklist by area, and the saved
//! credentials with the days they have left.

use egui::RichText;

use crate::doctor::{Area, Check, Diagnosis, Finding, Status};
use crate::gui::credentials::CredentialsPanel;
use crate::gui::i18n::{self, tr, tr_with};
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::{chip, notice};
use crate::words::Said;

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
        ui.label(RichText::new(tr("doctor-verdict")).strong().size(16.0));
        notice(
            ui,
            "➜",
            &worded(&d.verdict.sentence_said, &d.verdict.sentence),
            tone,
        );
        if let (Some(fix), Some(said)) = (&d.verdict.fix, &d.verdict.fix_said) {
            ui.label(tr_with("doctor-fix", &[("fix", worded(said, fix).into())]));
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

/// The library's sentence in the app's language; its English when there is no message for it.
/// The connection check's own sentences name the CLI's options: the app's controls instead.
fn worded(said: &Said, english: &str) -> String {
    let text = i18n::said(said).unwrap_or_else(|| english.to_owned());
    crate::gui::connection::in_app_words(&text)
}

fn check_title(check: Check) -> String {
    match check {
        Check::CredentialReadable => tr("doctor-check-credential-readable"),
        Check::PrivateKeyMatches => tr("doctor-check-private-key-matches"),
        Check::CertificateValidToday => tr("doctor-check-certificate-valid-today"),
        Check::ApnsCertificate => tr("doctor-check-apns-certificate"),
        Check::CertificateEnvironment => tr("doctor-check-certificate-environment"),
        Check::TopicInCertificate => tr("doctor-check-topic-in-certificate"),
        Check::AuthKeyUsable => tr("doctor-check-auth-key-usable"),
        Check::KeyIdWellFormed => tr("doctor-check-key-id-well-formed"),
        Check::TeamIdWellFormed => tr("doctor-check-team-id-well-formed"),
        Check::TopicGiven => tr("doctor-check-topic-given"),
        Check::KeyScope => tr("doctor-check-key-scope"),
        Check::TokenWellFormed => tr("doctor-check-token-well-formed"),
        Check::TokenEnvironment => tr("doctor-check-token-environment"),
        Check::PayloadAccepted => tr("doctor-check-payload-accepted"),
        Check::PayloadOnIos => tr("doctor-check-payload-on-ios"),
        Check::TopicSuffix => tr("doctor-check-topic-suffix"),
        Check::BackgroundThrottled => tr("doctor-check-background-throttled"),
        Check::TriedOnce => tr("doctor-check-tried-once"),
        Check::PushesReplaceEachOther => tr("doctor-check-pushes-replace-each-other"),
        Check::NotificationSettings => tr("doctor-check-notification-settings"),
        Check::NetworkPath => tr("doctor-check-network-path"),
        Check::NameLookup => tr("doctor-check-name-lookup"),
        Check::TcpConnection => tr("doctor-check-tcp-connection"),
        Check::ReachingProxy => tr("doctor-check-reaching-proxy"),
        Check::ProxyTunnel => tr("doctor-check-proxy-tunnel"),
        Check::Tls => tr("doctor-check-tls"),
        Check::Http2 => tr("doctor-check-http2"),
        Check::CredentialAccepted => tr("doctor-check-credential-accepted"),
        Check::Proxy => tr("doctor-check-proxy"),
        Check::ProxySettings => tr("doctor-check-proxy-settings"),
        Check::OtherPort => tr("doctor-check-other-port"),
        Check::ProviderTokenFresh => tr("doctor-check-provider-token-fresh"),
        Check::TestPush => tr("doctor-check-test-push"),
        Check::Clock => tr("doctor-check-clock"),
    }
}

fn area_label(area: Area) -> String {
    match area {
        Area::Credential => tr("doctor-area-credential"),
        Area::Token => tr("doctor-area-token"),
        Area::Payload => tr("doctor-area-payload"),
        Area::Network => tr("doctor-area-network"),
        Area::TokenAuth => tr("doctor-area-token-auth"),
        Area::Delivery => tr("doctor-area-delivery"),
        Area::Phone => tr("doctor-area-phone"),
    }
}

fn finding_row(ui: &mut egui::Ui, f: &Finding) {
    let p = Palette::of(ui);
    let (word, tone) = match f.status {
        Status::Passed => (tr("doctor-status-passed"), p.good),
        Status::Failed => (tr("doctor-status-failed"), p.bad),
        Status::Warning => (tr("doctor-status-warning"), p.warning),
        Status::Skipped => (tr("doctor-status-skipped"), p.neutral),
        Status::Info => (tr("doctor-status-info"), p.neutral),
    };
    ui.horizontal_top(|ui| {
        chip(ui, &word, tone);
        ui.vertical(|ui| {
            ui.label(RichText::new(check_title(f.check)).strong());
            ui.label(RichText::new(worded(&f.evidence_said, &f.evidence)).color(p.muted));
            if let (Some(fix), Some(said)) = (&f.fix, &f.fix_said)
                && f.status != Status::Passed
            {
                ui.label(tr_with("doctor-fix", &[("fix", worded(said, fix).into())]));
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
        ui.label(RichText::new(tr("doctor-credentials")).strong());
        if credentials.entries().is_empty() {
            ui.label(RichText::new(tr("doctor-no-credentials")).color(p.muted));
        }
        for entry in credentials.entries() {
            ui.horizontal_wrapped(|ui| {
                // Named as the pickers name it, so two `Push.p12` read apart.
                ui.label(crate::gui::connection::credential_label(
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
                        chip(ui, &tr("doctor-does-not-expire"), p.neutral);
                    }
                    None => {
                        chip(ui, &tr("doctor-not-loaded"), p.neutral);
                    }
                }
            });
        }
    });
}

/// Days left as a chip: red once expired or within 7 days, amber within 30.
pub(crate) fn expiry(days_left: i64, p: &Palette) -> (String, crate::gui::theme::Tone) {
    if days_left < 0 {
        (tr("doctor-expired"), p.bad)
    } else {
        let text = tr_with("doctor-days-left", &[("days", days_left.into())]);
        let tone = match days_left {
            0..=7 => p.bad,
            8..=30 => p.warning,
            _ => p.good,
        };
        (text, tone)
    }
}
