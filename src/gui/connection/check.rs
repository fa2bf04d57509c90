//! The step-by-step check as drawn: each step, its detail, the advice in the app's words.

use super::*;
use crate::gui::i18n::msg;

impl ConnectionPanel {
    pub(super) fn check_card(
        &mut self,
        ui: &mut egui::Ui,
        now: Option<&ResultOrigin>,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let running = self.check.is_running();
                if ui
                    .add_enabled(!running, egui::Button::new(msg::connection_check()))
                    .clicked()
                {
                    commands.push(Command::CheckConnection);
                }
                if running {
                    ui.spinner();
                    ui.label(msg::connection_checking());
                }
            });
            // An error belongs to what was tried: once the route is another (a field fixed),
            // it says nothing of it.
            if let Some(error) = &self.error
                && self.checked_with.as_ref() == now
            {
                notice(ui, "⚠", error, p.bad);
            }
            if let Some(origin) = &self.checked_with
                && self.report.is_some()
                && !origin.is_current(now)
            {
                // Checked with another route: its pass or failure is not this route's.
                ui.add_space(ITEM_GAP);
                stale_notice(ui, origin);
                return;
            }
            if let Some(report) = &self.report {
                ui.add_space(ITEM_GAP);
                if report.passed() {
                    notice(ui, "✔", &msg::connection_passed(), p.good);
                } else {
                    notice(ui, "✖", &msg::connection_failed(), p.bad);
                }
                let target = match &self.checked_target {
                    Some(target) => crate::gui::i18n::destination(target),
                    None => report.target.clone(),
                };
                ui.label(RichText::new(target).color(p.muted));
            }
            if self.live.is_empty() && !self.check.is_running() && self.report.is_none() {
                ui.label(RichText::new(msg::connection_check_hint()).color(p.muted));
                return;
            }
            ui.add_space(ITEM_GAP);
            let mut waiting_shown = false;
            for (name, label) in steps() {
                let proxy_step = name == "proxy" || name == "tunnel";
                if proxy_step != self.proxied && (proxy_step || name == "tcp") {
                    continue;
                }
                let step = self.live.iter().find(|s| s.name == name);
                step_row(
                    ui,
                    &label,
                    step,
                    self.check.is_running(),
                    &mut waiting_shown,
                );
            }
            if let Some(report) = &self.report {
                ui.add_space(ITEM_GAP);
                details_ui(ui, report);
                ui.add_space(ITEM_GAP);
                // The library's caveat is the CLI's English; the same words, in the app's
                // language.
                ui.label(
                    RichText::new(msg::connection_check_caveat())
                        .small()
                        .color(p.muted),
                );
            }
        });
    }
}

fn step_row(
    ui: &mut egui::Ui,
    label: &str,
    step: Option<&Step>,
    running: bool,
    waiting_shown: &mut bool,
) {
    let p = Palette::of(ui);
    ui.horizontal_top(|ui| match step {
        Some(step) => {
            let (icon, word, tone) = match step.status {
                StepStatus::Passed => ("✔", msg::connection_step_passed(), p.good),
                StepStatus::Failed => ("✖", msg::connection_step_failed(), p.bad),
                StepStatus::Skipped => ("–", msg::connection_step_skipped(), p.neutral),
            };
            ui.label(RichText::new(icon).color(tone.fg).strong());
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(msg::connection_step_status(word, label)).strong());
                    if step.status != StepStatus::Skipped {
                        ui.label(RichText::new(format!("{:.1} ms", step.ms)).color(p.muted));
                    }
                });
                if step.status != StepStatus::Skipped {
                    let detail = in_app_words(&crate::gui::i18n::step_sentence(&step.sentence));
                    ui.add(egui::Label::new(detail).wrap());
                }
                if let Some(fix) = &step.fix {
                    let fix = match &step.fix_sentence {
                        Some(said) => in_app_words(&crate::gui::i18n::step_fix(said)),
                        None => in_app_words(fix),
                    };
                    notice(ui, "ℹ", &msg::fix_prefix(fix), p.warning);
                }
            });
        }
        None if running && !*waiting_shown => {
            *waiting_shown = true;
            ui.spinner();
            ui.label(msg::connection_step_running(label));
        }
        None => {
            ui.label(RichText::new("○").color(p.muted));
            ui.label(RichText::new(msg::connection_step_not_run(label)).color(p.muted));
        }
    });
    ui.add_space(2.0);
}

/// The library's advice names command-line options; in the app, the fields that do the same.
pub fn in_app_words(text: &str) -> String {
    text.replace(
        "use the proxy's host with --env HOST:PORT",
        "choose \"Custom host\" with the proxy's host and port",
    )
    .replace(
        "give it with --proxy URL (or HTTPS_PROXY)",
        "give it under \"Proxy\" on the Connection screen",
    )
    .replace("(--proxy, HTTPS_PROXY, ALL_PROXY)", "(the Proxy field)")
    .replace("in --proxy, HTTPS_PROXY or ALL_PROXY", "in the Proxy field")
    .replace("; --no-proxy connects directly", "; an empty Proxy field connects directly")
    .replace("(--port 2197)", "(Port: 2197)")
    .replace(
        "in the URL: http://USER:PASSWORD@HOST:PORT",
        "as http://USER@HOST:PORT in the Proxy field and the password below it",
    )
    .replace(
        "start it with `pushlab sim`, or use --server local",
        "start it on the Simulator screen, or choose \"Local simulator\"",
    )
    .replace(
        "pass its CA with --ca",
        "choose \"Custom host\" and give its CA file",
    )
    .replace(
        "pass the server's CA with --ca (the simulator's: `pushlab sim export-ca`)",
        "give the server's CA file under \"Custom host\" (the simulator's: Export CA… on the Simulator screen)",
    )
    // The certificate's own troubles (client::ConnectError's hints and fixes).
    .replace(
        "give a certificate Apple issued for APNs with --cert FILE (for the simulator: one from `pushlab sim issue-cert`)",
        "choose a certificate Apple issued for APNs (for the simulator: generate a test certificate on the Connection screen)",
    )
    .replace("`pushlab sim issue-cert`", "generate a test certificate on the Connection screen")
    .replace("give it with --cert FILE", "import it on the Credentials screen")
    .replace("give the new one with --cert FILE", "import the new one on the Credentials screen")
    .replace("give one with --cert FILE", "choose one on the Connection screen")
    .replace("check --cert is", "check the chosen certificate is")
}

fn details_ui(ui: &mut egui::Ui, report: &CheckReport) {
    egui::CollapsingHeader::new(msg::connection_details())
        .default_open(false)
        .show(ui, |ui| {
            let p = Palette::of(ui);
            let row = |ui: &mut egui::Ui, k: &str, v: String| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(k).color(p.muted));
                    ui.label(v);
                });
            };
            if !report.addresses.is_empty() {
                row(
                    ui,
                    &msg::connection_addresses(),
                    report.addresses.join(", "),
                );
            }
            if let Some(n) = report.max_concurrent_streams {
                row(
                    ui,
                    &msg::connection_settings_max_concurrent_streams(),
                    n.to_string(),
                );
            }
            if let Some(tls) = &report.tls {
                row(
                    ui,
                    &msg::connection_tls(),
                    format!("{} · {}", tls.version, tls.cipher),
                );
                row(
                    ui,
                    "ALPN",
                    tls.alpn.clone().unwrap_or_else(|| "none".to_owned()),
                );
                row(
                    ui,
                    &msg::connection_client_certificate_sent(),
                    if tls.client_certificate { "yes" } else { "no" }.to_owned(),
                );
                for (i, cert) in tls.chain.iter().enumerate() {
                    ui.add_space(4.0);
                    ui.label(RichText::new(msg::connection_certificate_n(i + 1)).strong());
                    row(ui, &msg::connection_subject(), cert.subject.clone());
                    row(ui, &msg::connection_issuer(), cert.issuer.clone());
                    row(
                        ui,
                        &msg::connection_expires_in(),
                        msg::credentials_days(cert.days_left),
                    );
                }
            }
            if let Some(status) = report.probe_status {
                row(
                    ui,
                    &msg::connection_probe_answer(),
                    format!(
                        "{status} {}",
                        report.probe_reason.as_deref().unwrap_or_default()
                    ),
                );
            }
        });
}
