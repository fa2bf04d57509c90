//! The Connection screen: where pushes go (local simulator, Apple sandbox or production, or a
//! custom host), with which credential, and a step-by-step check of that connection.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use egui::{RichText, TextEdit};

use super::app::Command;
use super::credentials::{CredentialsPanel, Entry};
use super::state::{ConnectionSettings, Destination, State};
use super::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use super::widgets::{chip, notice};
use super::worker::{Task, Worker};
use crate::cert::{AuthKey, CertEnvironment, FileKind};
use crate::client::{self, CheckReport, ClientAuth, RunningSimulator, Step, StepStatus, Target};
use crate::sim::Simulator;

/// User-facing text of this screen, in one place for translation.
mod text {
    pub const HEADING: &str = "Connection";
    pub const INTRO: &str = "Choose where pushes go and which credential proves who you are, then check the connection step by step: the tutorials' telnet and openssl s_client, with a sentence for every failure.";
    pub const WHERE: &str = "Send to";
    pub const CREDENTIAL: &str = "Credential";
    pub const PORT: &str = "Port";
    pub const PORT_443: &str = "443 (HTTPS)";
    pub const PORT_2197: &str = "2197 (when a firewall blocks 443)";
    pub const CUSTOM_HOST: &str = "Host and port";
    pub const CUSTOM_CA: &str = "CA file (PEM, optional)";
    pub const KEY_ID: &str = "Key id";
    pub const TEAM_ID: &str = "Team id";
    pub const BUNDLE_ID: &str = "App bundle id";
    pub const CHECK: &str = "Check connection";
    pub const CHECKING: &str = "Checking…";
    pub const CHECK_HINT: &str = "Looks up the host, connects, shakes hands with TLS and HTTP/2, then sends a request that cannot reach a device: each step timed, and on failure what to do.";
    pub const PASSED: &str = "Connection works";
    pub const FAILED: &str = "The connection check failed";
    pub const DETAILS: &str = "Server certificate chain and HTTP/2 settings";
    pub const NO_CREDENTIALS: &str = "No usable credential yet. Import one on the Credentials screen, or make a test certificate for the local simulator:";
    pub const GENERATE: &str = "Generate a test certificate";
    pub const SIM_NOT_RUNNING: &str =
        "The local simulator is not running — start it on the Simulator screen.";
    pub const CHOOSE_CREDENTIAL: &str = "Choose a credential first: import one on the Credentials screen, or generate a test certificate.";
}

/// The steps of a check, in order, with the words people see.
const STEPS: [(&str, &str); 5] = [
    ("dns", "DNS lookup"),
    ("tcp", "TCP connection"),
    ("tls", "TLS handshake"),
    ("http2", "HTTP/2 session"),
    ("auth", "Authenticated request"),
];

/// Said when nothing names the app: token auth (and a few certificates) do not.
pub const NO_BUNDLE_ID: &str = "Type the app's bundle id (it becomes apns-topic): an auth key works for every app of the team, so it does not say which one.";

/// The bundle id the first-run test certificate is issued for.
pub const DEMO_BUNDLE_ID: &str = "com.example.pushlab";

impl Destination {
    pub const ALL: [Destination; 4] = [
        Destination::LocalSimulator,
        Destination::Sandbox,
        Destination::Production,
        Destination::Custom,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Destination::LocalSimulator => "Local simulator",
            Destination::Sandbox => "Apple sandbox",
            Destination::Production => "Apple production",
            Destination::Custom => "Custom host",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Destination::LocalSimulator => "runs inside pushlab; no Apple account needed",
            Destination::Sandbox => "api.sandbox.push.apple.com — apps run from Xcode",
            Destination::Production => "api.push.apple.com — TestFlight and App Store builds",
            Destination::Custom => "a company gateway, or pushlab sim on another machine",
        }
    }
}

/// Where to connect and how, ready for a job: everything but the custom CA file, which the
/// job reads.
#[derive(Clone)]
pub struct Plan {
    pub target: Target,
    pub custom_ca: Option<PathBuf>,
    pub auth: ClientAuth,
    /// The embedded simulator (for "Copy as curl").
    pub local: bool,
    /// The credential's name in the list, for the history.
    pub credential_name: String,
    /// The certificate's bundle id, when it has one.
    pub bundle_id: Option<String>,
}

impl Plan {
    /// The target with the custom CA file read in.
    pub async fn target(&self) -> Result<Target, String> {
        let mut target = self.target.clone();
        if let Some(path) = &self.custom_ca {
            let file = path.clone();
            let bytes = tokio::task::spawn_blocking(move || std::fs::read(file))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("could not read the CA file: {e} ({})", path.display()))?;
            let certs = openssl::x509::X509::stack_from_pem(&bytes).map_err(|_| {
                format!("the CA file holds no PEM certificate ({})", path.display())
            })?;
            if certs.is_empty() {
                return Err(format!(
                    "the CA file holds no PEM certificate ({})",
                    path.display()
                ));
            }
            target.extra_roots.extend(certs);
        }
        Ok(target)
    }

    /// A key that names this endpoint and credential, for reusing connections.
    pub fn key(&self) -> String {
        format!(
            "{}:{}|{}|{}",
            self.target.host, self.target.port, self.target.label, self.credential_name
        )
    }
}

/// "Local simulator (127.0.0.1:4000) with com.example.app (test, development)".
pub fn summary(
    settings: &ConnectionSettings,
    simulator: Option<&Simulator>,
    credentials: &CredentialsPanel,
) -> String {
    let place = match settings.destination {
        Destination::LocalSimulator => match simulator {
            Some(sim) => format!("Local simulator ({})", sim.addr()),
            None => "Local simulator (not running)".to_owned(),
        },
        Destination::Sandbox | Destination::Production => {
            format!("{} (port {})", settings.destination.label(), settings.port)
        }
        Destination::Custom => format!("{} {}", settings.destination.label(), settings.custom_host),
    };
    match chosen_credential(credentials, settings) {
        Some(entry) => format!("{place} with {}", entry.saved.name),
        None => format!("{place}, no credential chosen"),
    }
}

/// The APNs environment of an Apple destination; `None` for the simulator and custom hosts,
/// which do not tell sandbox tokens from production ones.
pub fn apple_environment(settings: &ConnectionSettings) -> Option<crate::cert::Environment> {
    match settings.destination {
        Destination::Sandbox => Some(crate::cert::Environment::Sandbox),
        Destination::Production => Some(crate::cert::Environment::Production),
        Destination::LocalSimulator | Destination::Custom => None,
    }
}

/// One sentence when saved tokens from `device` will be refused at the chosen destination.
/// `subject` names them: "This device's token is", "The tokens of A and B are".
pub fn environment_warning(
    subject: &str,
    device: crate::cert::Environment,
    settings: &ConnectionSettings,
) -> Option<String> {
    apple_environment(settings).filter(|d| *d != device)?;
    Some(format!(
        "{subject} from the {}; {} will answer BadDeviceToken.",
        device.label(),
        settings.destination.label()
    ))
}

/// Whether an entry can connect: a certificate with its key, or an auth key.
fn usable(entry: &Entry) -> bool {
    entry.loaded().is_some_and(|l| {
        l.credential
            .as_ref()
            .is_some_and(|c| c.private_key.is_some())
            || (l.inspection.kind == FileKind::AuthKey && l.main.private_key.is_some())
    })
}

/// The credential pushes use: the chosen one, else the first usable one.
pub fn chosen_credential<'a>(
    credentials: &'a CredentialsPanel,
    settings: &ConnectionSettings,
) -> Option<&'a Entry> {
    let mut usable_entries = credentials.entries().iter().filter(|e| usable(e));
    let chosen = settings.credential.as_ref().and_then(|path| {
        credentials
            .entries()
            .iter()
            .filter(|e| usable(e))
            .find(|e| &e.saved.path == path)
    });
    chosen.or_else(|| usable_entries.next())
}

/// Builds the plan for the current settings, or says what is missing.
pub fn plan(
    settings: &ConnectionSettings,
    simulator: Option<&Simulator>,
    credentials: &CredentialsPanel,
) -> Result<Plan, String> {
    let destination = settings.destination()?;
    let running = simulator.map(|sim| RunningSimulator {
        addr: sim.addr(),
        ca: sim.ca_certificate().clone(),
        environment: sim.environment(),
    });
    let local = destination == crate::client::Destination::LocalSimulator;
    let target = destination
        .target(
            (!local && settings.destination != Destination::Custom).then_some(settings.port),
            Vec::new(),
            running.as_ref(),
        )
        .map_err(|e| {
            if local {
                text::SIM_NOT_RUNNING.to_owned()
            } else {
                e
            }
        })?;
    let custom_ca = match settings.destination {
        Destination::Custom => {
            let ca = settings.custom_ca.trim();
            (!ca.is_empty()).then(|| super::dialogs::expand_home(ca))
        }
        _ => None,
    };
    let entry = chosen_credential(credentials, settings)
        .ok_or_else(|| text::CHOOSE_CREDENTIAL.to_owned())?;
    let Some(loaded) = entry.loaded() else {
        return Err(text::CHOOSE_CREDENTIAL.to_owned());
    };
    let auth = if loaded.inspection.kind == FileKind::AuthKey {
        let Some(key) = loaded.main.private_key.clone() else {
            return Err("This auth key file holds no key.".to_owned());
        };
        let key_id = match settings.key_id.trim() {
            "" => loaded.main.key_id.clone().unwrap_or_default(),
            typed => typed.to_owned(),
        };
        if key_id.is_empty() {
            return Err("Type the key id of the auth key (10 characters, listed under Keys in the developer portal).".to_owned());
        }
        let team_id = settings.team_id.trim().to_owned();
        if team_id.is_empty() {
            return Err(
                "Type your team id (10 characters, on the developer portal's Membership page)."
                    .to_owned(),
            );
        }
        ClientAuth::token(AuthKey {
            key,
            key_id,
            team_id,
        })
    } else {
        match &loaded.credential {
            Some(c) if c.private_key.is_some() => ClientAuth::Certificate(c.clone()),
            _ => {
                return Err(format!(
                    "{} has no private key: import the key file too.",
                    entry.saved.name
                ));
            }
        }
    };
    Ok(Plan {
        target,
        custom_ca,
        local,
        credential_name: entry.saved.name.clone(),
        bundle_id: loaded
            .inspection
            .certificate
            .as_ref()
            .and_then(|c| c.bundle_id.clone()),
        auth,
    })
}

/// The Connection screen.
#[derive(Default)]
pub struct ConnectionPanel {
    check: Task<CheckReport, String>,
    steps: Option<mpsc::Receiver<Step>>,
    live: Vec<Step>,
    report: Option<CheckReport>,
    error: Option<String>,
}

impl ConnectionPanel {
    /// The last finished check.
    pub fn report(&self) -> Option<&CheckReport> {
        self.report.as_ref()
    }

    pub fn is_busy(&self) -> bool {
        self.check.is_running()
    }

    /// Starts a check of `plan` (or shows why there is none).
    pub fn start_check(
        &mut self,
        plan: Result<Plan, String>,
        worker: &Worker,
        ctx: &egui::Context,
    ) {
        self.live.clear();
        self.report = None;
        let plan = match plan {
            Ok(plan) => plan,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        let (tx, rx) = mpsc::channel();
        self.steps = Some(rx);
        let ctx = ctx.clone();
        self.check = worker.run_async(move |_| async move {
            let target = plan.target().await?;
            let topic = plan.bundle_id.clone().or_else(|| plan.auth.default_topic());
            let mut on_step = move |step: &Step| {
                let _ = tx.send(step.clone());
                ctx.request_repaint();
            };
            Ok(client::check(
                &target,
                &plan.auth,
                topic.as_deref(),
                Duration::from_secs(10),
                &mut on_step,
            )
            .await)
        });
    }

    pub fn poll(&mut self) {
        if let Some(rx) = &self.steps {
            self.live.extend(rx.try_iter());
        }
        if self.check.poll() {
            match self.check.take_finished() {
                Some(Ok(report)) => {
                    self.live.clone_from(&report.steps);
                    self.report = Some(report);
                }
                Some(Err(e)) => self.error = Some(e),
                None => {}
            }
            self.steps = None;
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        credentials: &CredentialsPanel,
        simulator_status: &str,
        commands: &mut Vec<Command>,
    ) {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(text::HEADING);
                ui.label(RichText::new(text::INTRO).color(Palette::of(ui).muted));
                ui.add_space(SECTION_GAP);
                ui.columns(2, |columns| {
                    settings_card(
                        &mut columns[0],
                        &mut state.connection,
                        &mut state.compose.bundle_id,
                        credentials,
                        simulator_status,
                        commands,
                    );
                    self.check_card(&mut columns[1], commands);
                });
            });
    }

    fn check_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let running = self.check.is_running();
                if ui
                    .add_enabled(!running, egui::Button::new(text::CHECK))
                    .clicked()
                {
                    commands.push(Command::CheckConnection);
                }
                if running {
                    ui.spinner();
                    ui.label(text::CHECKING);
                }
            });
            if let Some(error) = &self.error {
                notice(ui, "⚠", error, p.bad);
            }
            if let Some(report) = &self.report {
                ui.add_space(ITEM_GAP);
                if report.passed() {
                    notice(ui, "✔", text::PASSED, p.good);
                } else {
                    notice(ui, "✖", text::FAILED, p.bad);
                }
                ui.label(RichText::new(&report.target).color(p.muted));
            }
            if self.live.is_empty() && !self.check.is_running() && self.report.is_none() {
                ui.label(RichText::new(text::CHECK_HINT).color(p.muted));
                return;
            }
            ui.add_space(ITEM_GAP);
            let mut waiting_shown = false;
            for (name, label) in STEPS {
                let step = self.live.iter().find(|s| s.name == name);
                step_row(ui, label, step, self.check.is_running(), &mut waiting_shown);
            }
            if let Some(report) = &self.report {
                ui.add_space(ITEM_GAP);
                details_ui(ui, report);
                ui.add_space(ITEM_GAP);
                ui.label(RichText::new(&report.caveat).small().color(p.muted));
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
                StepStatus::Passed => ("✔", "passed", p.good),
                StepStatus::Failed => ("✖", "failed", p.bad),
                StepStatus::Skipped => ("–", "skipped", p.neutral),
            };
            ui.label(RichText::new(icon).color(tone.fg).strong());
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{label} — {word}")).strong());
                    if step.status != StepStatus::Skipped {
                        ui.label(RichText::new(format!("{:.1} ms", step.ms)).color(p.muted));
                    }
                });
                if step.status != StepStatus::Skipped {
                    ui.add(egui::Label::new(in_app_words(&step.detail)).wrap());
                }
                if let Some(fix) = &step.fix {
                    notice(ui, "ℹ", &format!("Fix: {}", in_app_words(fix)), p.warning);
                }
            });
        }
        None if running && !*waiting_shown => {
            *waiting_shown = true;
            ui.spinner();
            ui.label(format!("{label} — running"));
        }
        None => {
            ui.label(RichText::new("○").color(p.muted));
            ui.label(RichText::new(format!("{label} — not run")).color(p.muted));
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
        "start it with `pushlab sim`, or use --env local",
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
}

fn details_ui(ui: &mut egui::Ui, report: &CheckReport) {
    egui::CollapsingHeader::new(text::DETAILS)
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
                row(ui, "Addresses", report.addresses.join(", "));
            }
            if let Some(n) = report.max_concurrent_streams {
                row(ui, "SETTINGS_MAX_CONCURRENT_STREAMS", n.to_string());
            }
            if let Some(tls) = &report.tls {
                row(ui, "TLS", format!("{} · {}", tls.version, tls.cipher));
                row(
                    ui,
                    "ALPN",
                    tls.alpn.clone().unwrap_or_else(|| "none".to_owned()),
                );
                row(
                    ui,
                    "Client certificate sent",
                    if tls.client_certificate { "yes" } else { "no" }.to_owned(),
                );
                for (i, cert) in tls.chain.iter().enumerate() {
                    ui.add_space(4.0);
                    ui.label(RichText::new(format!("Certificate {}", i + 1)).strong());
                    row(ui, "Subject", cert.subject.clone());
                    row(ui, "Issuer", cert.issuer.clone());
                    row(ui, "Expires in", format!("{} days", cert.days_left));
                }
            }
            if let Some(status) = report.probe_status {
                row(
                    ui,
                    "Probe answer",
                    format!(
                        "{status} {}",
                        report.probe_reason.clone().unwrap_or_default()
                    ),
                );
            }
        });
}

fn settings_card(
    ui: &mut egui::Ui,
    settings: &mut ConnectionSettings,
    bundle_id: &mut String,
    credentials: &CredentialsPanel,
    simulator_status: &str,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(text::WHERE).strong());
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
                    ui.label(RichText::new("Simulator:").color(p.muted));
                    ui.label(simulator_status);
                    if ui.small_button("Open Simulator").clicked() {
                        commands.push(Command::ShowSection(super::app::Section::Simulator));
                    }
                });
            }
            Destination::Sandbox | Destination::Production => {
                ui.horizontal(|ui| {
                    ui.label(text::PORT);
                    ui.radio_value(&mut settings.port, 443, text::PORT_443);
                    ui.radio_value(&mut settings.port, 2197, text::PORT_2197);
                });
            }
            Destination::Custom => {
                ui.horizontal(|ui| {
                    let label = ui.label(text::CUSTOM_HOST);
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
                    notice(ui, "⚠", &e, p.warning);
                }
                ui.horizontal(|ui| {
                    let label = ui.label(text::CUSTOM_CA);
                    ui.add(
                        TextEdit::singleline(&mut settings.custom_ca)
                            .hint_text("~/gateway-ca.pem")
                            .desired_width(240.0),
                    )
                    .labelled_by(label.id);
                });
            }
        }
        ui.add_space(SECTION_GAP);
        ui.label(RichText::new(text::CREDENTIAL).strong());
        let chosen = chosen_credential(credentials, settings);
        let usable_entries: Vec<&Entry> =
            credentials.entries().iter().filter(|e| usable(e)).collect();
        if usable_entries.is_empty() {
            ui.label(RichText::new(text::NO_CREDENTIALS).color(p.muted));
            if ui.button(text::GENERATE).clicked() {
                commands.push(Command::GenerateTestCertificate {
                    bundle_id: DEMO_BUNDLE_ID.to_owned(),
                    environment: CertEnvironment::Development,
                });
            }
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label("Use");
            let selected = chosen.map(|e| e.saved.name.clone()).unwrap_or_default();
            let combo = egui::ComboBox::from_id_salt("connection-credential")
                .selected_text(selected)
                .width(320.0)
                .show_ui(ui, |ui| {
                    for entry in &usable_entries {
                        let is_chosen = chosen.is_some_and(|c| c.id == entry.id);
                        if ui.selectable_label(is_chosen, &entry.saved.name).clicked() {
                            settings.credential = Some(entry.saved.path.clone());
                        }
                    }
                })
                .response;
            let _ = combo.labelled_by(label.id);
        });
        let Some(entry) = chosen else { return };
        let Some(loaded) = entry.loaded() else { return };
        if loaded.inspection.kind == FileKind::AuthKey {
            ui.label(
                RichText::new("Token-based: pushlab signs a provider token with this key.")
                    .color(p.muted),
            );
            ui.horizontal(|ui| {
                let label = ui.label(text::KEY_ID);
                let hint = loaded.main.key_id.clone().unwrap_or_else(|| "ABC123DEFG".into());
                ui.add(
                    TextEdit::singleline(&mut settings.key_id)
                        .hint_text(hint)
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
                let label = ui.label(text::TEAM_ID);
                ui.add(
                    TextEdit::singleline(&mut settings.team_id)
                        .hint_text("DEF123GHIJ")
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = ui.label(text::BUNDLE_ID);
                ui.add(
                    TextEdit::singleline(bundle_id)
                        .hint_text("com.example.doorbell")
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
            });
        } else if let Some(cert) = &loaded.inspection.certificate {
            ui.horizontal(|ui| {
                if let Some(bundle) = &cert.bundle_id {
                    ui.label(RichText::new(bundle).monospace());
                }
                let (env, tone) = match cert.environment {
                    CertEnvironment::Development => ("Sandbox", p.info),
                    CertEnvironment::Production => ("Production", p.warning),
                    _ => ("Sandbox + production", p.good),
                };
                chip(ui, env, tone);
            });
            let mismatch = match (settings.destination, cert.environment) {
                (Destination::Production, CertEnvironment::Development) => Some(
                    "This is a development (sandbox) certificate: Apple's production server refuses it. Send to the sandbox, or use the production certificate.",
                ),
                (Destination::Sandbox, CertEnvironment::Production) => Some(
                    "This is a production certificate: Apple's sandbox refuses it. Send to production, or use the development certificate.",
                ),
                _ => None,
            };
            if let Some(warning) = mismatch {
                notice(ui, "⚠", warning, p.warning);
            }
        }
    });
}
