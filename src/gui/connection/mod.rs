//! The Connection screen: where pushes go (local simulator, Apple sandbox or production, or a
//! custom host), with which credential, and a step-by-step check of that connection.
//! `plan` turns the settings into what a job needs, `check` draws the step-by-step check,
//! `settings` the destination and credential card.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use egui::{RichText, TextEdit};

use super::JobError;
use super::app::Command;
use super::credentials::{CredentialsPanel, Entry};
use super::made_with::{MadeWith, ResultOrigin, stale_notice};
use super::state::{ConnectionSettings, Destination, State};
use super::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use super::widgets::{chip, notice};
use super::worker::{Task, Worker};
use crate::cert::{AuthKey, CertEnvironment, FileKind};
use crate::client::{self, CheckReport, ClientAuth, RunningSimulator, Step, StepStatus, Target};
use crate::sim::Simulator;

mod check;
mod latency;
mod plan;
mod settings;

use crate::gui::i18n::msg;
pub use check::in_app_words;
use plan::usable;
pub use plan::{
    IdKind, Plan, apple_environment, chosen_credential, credential_label,
    credential_label_without_days, environment_warning, id_problem, out_of_date, plan, summary,
};
use settings::settings_card;

/// The steps of a check, in order, with the words people see. `proxy` and `tunnel` replace
/// `tcp` when a proxy is used.
fn steps() -> [(&'static str, String); 7] {
    [
        ("dns", msg::connection_step_dns()),
        ("tcp", msg::connection_step_tcp()),
        ("proxy", msg::connection_step_proxy()),
        ("tunnel", msg::connection_step_tunnel()),
        ("tls", msg::connection_step_tls()),
        ("http2", msg::connection_step_http2()),
        ("auth", msg::connection_step_auth()),
    ]
}

/// Said when nothing names the app: token auth (and a few certificates) do not.
pub fn no_bundle_id() -> String {
    msg::connection_no_bundle_id()
}

/// The bundle id the first-run test certificate is issued for.
pub const DEMO_BUNDLE_ID: &str = "com.example.pushlab";

impl Destination {
    /// Every destination, in the order the menu lists them.
    pub const ALL: [Destination; 4] = [
        Destination::LocalSimulator,
        Destination::Sandbox,
        Destination::Production,
        Destination::Custom,
    ];

    /// One of Apple's two environments (which the app knows the other of).
    pub fn is_apple(self) -> bool {
        matches!(self, Destination::Sandbox | Destination::Production)
    }

    /// The destination's name in the app's language, for the menu and the "To … with …" line.
    pub fn label(self) -> String {
        match self {
            Destination::LocalSimulator => msg::connection_local_simulator(),
            Destination::Sandbox => msg::connection_apple_sandbox(),
            Destination::Production => msg::connection_apple_production(),
            Destination::Custom => msg::connection_custom_host_2(),
        }
    }

    fn hint(self) -> String {
        match self {
            Destination::LocalSimulator => msg::connection_runs_inside_pushlab_no_apple(),
            Destination::Sandbox => msg::connection_api_sandbox_push_apple_com(),
            Destination::Production => msg::connection_api_push_apple_com_testflight(),
            Destination::Custom => msg::connection_a_company_gateway_or_pushlab(),
        }
    }
}

/// The Connection screen.
#[derive(Default)]
pub struct ConnectionPanel {
    check: Task<CheckReport, JobError>,
    steps: Option<mpsc::Receiver<Step>>,
    live: Vec<Step>,
    report: Option<CheckReport>,
    error: Option<String>,
    /// The check in view goes through a proxy: it has proxy steps instead of TCP.
    proxied: bool,
    /// Where the check in view went, worded when drawn (the report's own label is English).
    checked_target: Option<crate::client::Target>,
    latency: Task<crate::client::Latency, crate::gui::JobError>,
    latency_result: Option<Result<crate::client::Latency, crate::gui::JobError>>,
    /// The route the check in view was made with.
    checked_with: Option<ResultOrigin>,
    /// The route the latency in view was measured on.
    measured_with: Option<ResultOrigin>,
    /// Where and with what the latency in view was measured, in words.
    measured_label: String,
    /// The measurement before it, with its words: drawn on the same chart.
    previous_latency: Option<(String, crate::client::Latency)>,
    chart_export: Option<crate::gui::charts::ChartExport>,
}

impl ConnectionPanel {
    /// The last finished check.
    pub fn report(&self) -> Option<&CheckReport> {
        self.report.as_ref()
    }

    /// The last finished check, if it was made with the route `now` (the current one).
    pub fn current_report(&self, now: Option<&MadeWith>) -> Option<&CheckReport> {
        let current = self.checked_with.as_ref().map(|o| &o.made) == now;
        self.report.as_ref().filter(|_| current)
    }

    /// The CSV and picture export under the latency chart, made when first asked for.
    pub fn chart_export(&mut self) -> &mut crate::gui::charts::ChartExport {
        self.chart_export
            .get_or_insert_with(|| crate::gui::charts::ChartExport::new("~/pushlab-latency.csv"))
    }

    /// A check or a latency measurement is running: their buttons wait.
    pub fn is_busy(&self) -> bool {
        self.check.is_running() || self.latency.is_running()
    }

    /// The last latency measurement, or why there is none.
    pub fn latency(&self) -> Option<&Result<crate::client::Latency, crate::gui::JobError>> {
        self.latency_result.as_ref()
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
        self.checked_with = None;
        let plan = match plan {
            Ok(plan) => plan,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        self.checked_with = Some(ResultOrigin::new(plan.made_with(), 0));
        self.proxied = plan.route.target.proxy.is_some();
        self.checked_target = Some(plan.route.target.clone());
        let (tx, rx) = mpsc::channel();
        self.steps = Some(rx);
        let ctx = ctx.clone();
        self.check = worker.run_async(move |_| async move {
            let target = plan.target().await?;
            let topic = plan
                .route
                .bundle_id
                .clone()
                .or_else(|| plan.route.auth.default_topic());
            let mut on_step = move |step: &Step| {
                let _ = tx.send(step.clone());
                ctx.request_repaint();
            };
            Ok(client::check(
                &target,
                &plan.route.auth,
                topic.as_deref(),
                Duration::from_secs(10),
                &mut on_step,
            )
            .await)
        });
    }

    /// Picks up the check's steps as they come and finished jobs. Every frame.
    pub fn poll(&mut self) {
        self.poll_latency();
        if let Some(export) = &mut self.chart_export {
            export.poll();
        }
        if let Some(rx) = &self.steps {
            self.live.extend(rx.try_iter());
        }
        if self.check.poll() {
            match self.check.take_finished() {
                Some(Ok(report)) => {
                    self.live.clone_from(&report.steps);
                    self.report = Some(report);
                }
                Some(Err(e)) => self.error = Some(e.text()),
                None => {}
            }
            self.steps = None;
        }
    }

    /// Draws the screen: destination, credential, proxy, the check and latency.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        credentials: &CredentialsPanel,
        simulator_status: &str,
        now: Option<&MadeWith>,
        commands: &mut Vec<Command>,
    ) {
        let now = now.map(|m| ResultOrigin::new(m.clone(), 0));
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(msg::connection_heading());
                ui.label(RichText::new(msg::connection_intro()).color(Palette::of(ui).muted));
                ui.add_space(SECTION_GAP);
                theme::two_columns(ui, |i, ui| match i {
                    0 => settings_card(
                        ui,
                        &mut state.connection,
                        credentials,
                        simulator_status,
                        commands,
                    ),
                    _ => {
                        self.check_card(ui, now.as_ref(), commands);
                        ui.add_space(SECTION_GAP);
                        self.latency_card(ui, now.as_ref(), commands);
                    }
                });
            });
    }
}
