//! The Connection screen: where pushes go (local simulator, Apple sandbox or production, or a
//! custom host), with which credential, and a step-by-step check of that connection.
//! `plan` turns the settings into what a job needs, `check` draws the step-by-step check,
//! `settings` the destination and credential card.

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
mod check;
mod plan;
mod settings;

pub use check::in_app_words;
use plan::usable;
pub use plan::{Plan, apple_environment, chosen_credential, environment_warning, plan, summary};
use settings::settings_card;

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
    pub const PROXY: &str = "Proxy (optional)";
    pub const PROXY_PASSWORD: &str = "Proxy password";
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
const STEPS: [(&str, &str); 7] = [
    ("dns", "DNS lookup"),
    ("tcp", "TCP connection"),
    ("proxy", "Proxy connection"),
    ("tunnel", "Tunnel through the proxy"),
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

/// The Connection screen.
#[derive(Default)]
pub struct ConnectionPanel {
    check: Task<CheckReport, String>,
    steps: Option<mpsc::Receiver<Step>>,
    live: Vec<Step>,
    report: Option<CheckReport>,
    error: Option<String>,
    /// The check in view goes through a proxy: it has proxy steps instead of TCP.
    proxied: bool,
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
        self.proxied = plan.target.proxy.is_some();
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
}
