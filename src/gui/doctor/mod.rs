//! The Doctor screen: "why doesn't my push arrive?" for the credential and destination chosen
//! on Connection and the device token, bundle id and payload on Compose & Send. The library's
//! doctor runs on the worker; this screen asks what only the user knows (how the app was
//! built, whether a test push and one probe of the other environment are fine) and shows the
//! verdict, the checklist and every saved credential's days left. `report` draws them.

mod report;

use egui::RichText;

use super::JobError;
use super::app::Command;
use super::connection::Plan;
use super::credentials::CredentialsPanel;
use super::i18n::msg;
use super::made_with::{MadeWith, ResultOrigin, draft_digest, stale_notice};
use super::state::{Draft, State};
use super::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use super::widgets::notice;
use super::worker::{Task, Worker};
use crate::client::Target;
use crate::doctor::{AppBuild, Case, Diagnosis, Probes};

/// The Doctor screen.
pub struct DoctorPanel {
    build: Option<AppBuild>,
    send: bool,
    probe_other: bool,
    /// For a server that is not Apple's (the simulator, a gateway): where its other
    /// environment listens, `host:port`, for the probe (`pushlab doctor --other-env`).
    pub other_env: String,
    /// Which environment the server that is not Apple's stands for, so the probe can name
    /// where the token belongs (`pushlab doctor --environment`).
    pub this_env: crate::apns::Environment,
    job: Task<Diagnosis, JobError>,
    diagnosis: Option<Diagnosis>,
    error: Option<String>,
    /// The route, push and answers the verdict in view was made with.
    origin: Option<ResultOrigin>,
}

impl Default for DoctorPanel {
    fn default() -> Self {
        DoctorPanel {
            build: None,
            send: true,
            probe_other: false,
            other_env: String::new(),
            this_env: crate::apns::Environment::Production,
            job: Task::default(),
            diagnosis: None,
            error: None,
            origin: None,
        }
    }
}

impl DoctorPanel {
    /// The last finished diagnosis.
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.diagnosis.as_ref()
    }

    /// A diagnosis is running: Run waits.
    pub fn is_busy(&self) -> bool {
        self.job.is_running()
    }

    /// Starts a diagnosis of `plan` with what Compose holds; `other` is the other Apple
    /// environment's plan, used only if the user agreed to the probe.
    pub fn start(
        &mut self,
        plan: Result<Plan, String>,
        other: Option<Result<Plan, String>>,
        draft: &Draft,
        worker: &Worker,
    ) {
        self.diagnosis = None;
        self.origin = None;
        let plan = match plan {
            Ok(plan) => plan,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        self.origin = Some(ResultOrigin::new(
            plan.made_with(),
            self.inputs_digest(draft),
        ));
        let case = Case {
            credential: Some(Ok(plan.route.auth.clone())),
            bundle_id: plan.route.bundle_id.clone(),
            ..self.case(draft)
        };
        let other = if self.probe_other {
            other.and_then(Result::ok)
        } else {
            None
        };
        let send = self.send;
        let this_env = self.this_env;
        self.job = worker.run_async(move |_| async move {
            let mut target = plan.target().await?;
            let mut other: Option<Target> = match other {
                Some(o) => o.target().await.ok(),
                None => None,
            };
            // A server that is not Apple's does not say which environment it is: the user
            // did, for the probe.
            if let Some(o) = other.as_mut() {
                target.environment.get_or_insert(this_env);
                o.environment = o.environment.or(target.environment.map(|e| e.other()));
            }
            let alternate_port = target.other_apple_port();
            let probes = Probes {
                target,
                other,
                alternate_port,
                send,
                timeout: std::time::Duration::from_secs(10),
            };
            Ok(crate::doctor::diagnose_online(&case, &probes).await)
        });
    }

    /// Starts a diagnosis when the chosen credential could not be read (`error` says why):
    /// that is the cause, and the server is not asked.
    pub fn start_unreadable(&mut self, error: String, draft: &Draft, worker: &Worker) {
        self.diagnosis = None;
        self.error = None;
        self.origin = None;
        let case = Case {
            credential: Some(Err(error)),
            ..self.case(draft)
        };
        self.job = worker.run_blocking(move |_| Ok(crate::doctor::diagnose_without_server(&case)));
    }

    /// What Compose & Send and this screen hold, without the credential.
    fn case(&self, draft: &Draft) -> Case {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        Case {
            credential: None,
            // The route's bundle id: the one typed for the credential, else the certificate's.
            bundle_id: None,
            token: Some(draft.token.trim().to_owned()).filter(|t| !t.is_empty()),
            build: self.build,
            push_type: draft.push_type,
            payload: Some(draft.payload.clone().into_bytes()),
            priority: draft.priority,
            expiration: draft.expiration.at(now),
            collapse_id: Some(draft.collapse_id.trim().to_owned()).filter(|c| !c.is_empty()),
        }
    }

    /// What the verdict depends on besides the route: the push and this screen's answers.
    fn inputs_digest(&self, draft: &Draft) -> u64 {
        crate::gui::made_with::digest(&[
            &draft_digest(draft).to_string(),
            &format!(
                "{:?}|{}|{}|{}|{:?}",
                self.build, self.send, self.probe_other, self.other_env, self.this_env
            ),
        ])
    }

    /// Picks up a finished diagnosis. Every frame.
    pub fn poll(&mut self) {
        if self.job.poll() {
            match self.job.take_finished() {
                Some(Ok(d)) => self.diagnosis = Some(d),
                Some(Err(e)) => self.error = Some(e.text()),
                None => {}
            }
        }
    }

    /// Draws the screen: what the user has, the verdict and its findings, marked stale when the
    /// route or push has changed since.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &State,
        credentials: &CredentialsPanel,
        now: Option<&MadeWith>,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        let now = now.map(|m| ResultOrigin::new(m.clone(), self.inputs_digest(&state.compose)));
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(msg::doctor_heading());
                ui.label(RichText::new(msg::doctor_intro()).color(p.muted));
                ui.add_space(SECTION_GAP);
                theme::two_columns(ui, |i, ui| match i {
                    0 => self.input_card(ui, state, commands),
                    _ => report::credentials_overview(ui, credentials, &state.connection),
                });
                ui.add_space(SECTION_GAP);
                if let Some(error) = &self.error {
                    notice(ui, "⚠", error, p.bad);
                }
                if let Some(origin) = &self.origin
                    && self.diagnosis.is_some()
                    && !self.job.is_running()
                    && !origin.is_current(now.as_ref())
                {
                    // A verdict for other inputs: named as such, not shown as this one's.
                    stale_notice(ui, origin);
                } else if let Some(d) = &self.diagnosis {
                    report::diagnosis_ui(ui, d);
                }
            });
    }

    fn input_card(&mut self, ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::doctor_what_you_have()).strong());
            let token = state.compose.token.trim();
            let token_line = if token.is_empty() {
                msg::doctor_no_token()
            } else {
                crate::gui::i18n::msg::doctor_token_from_compose(crate::gui::widgets::shorten(
                    token, 20,
                ))
            };
            ui.label(RichText::new(token_line).color(p.muted));
            ui.add_space(ITEM_GAP);
            let label = ui.label(msg::doctor_built_with());
            let current = match self.build {
                None => msg::doctor_build_unknown(),
                Some(AppBuild::Xcode) => msg::doctor_build_xcode(),
                Some(AppBuild::TestFlightOrAppStore) => msg::doctor_build_testflight(),
            };
            egui::ComboBox::from_id_salt("doctor-build")
                .selected_text(current)
                .width(260.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.build, None, msg::doctor_build_unknown());
                    ui.selectable_value(
                        &mut self.build,
                        Some(AppBuild::Xcode),
                        msg::doctor_build_xcode(),
                    );
                    ui.selectable_value(
                        &mut self.build,
                        Some(AppBuild::TestFlightOrAppStore),
                        msg::doctor_build_testflight(),
                    );
                })
                .response
                .labelled_by(label.id);
            ui.add_space(ITEM_GAP);
            ui.checkbox(&mut self.send, msg::doctor_send_test_push());
            ui.checkbox(&mut self.probe_other, msg::doctor_probe_other());
            if self.probe_other && !state.connection.destination.is_apple() {
                ui.horizontal(|ui| {
                    let label = ui.label(msg::doctor_other_env());
                    ui.add(
                        egui::TextEdit::singleline(&mut self.other_env)
                            .hint_text("127.0.0.1:2197")
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                });
                ui.horizontal(|ui| {
                    let label = ui.label(msg::doctor_this_env());
                    let word = |env| match env {
                        crate::apns::Environment::Production => msg::connection_chip_production(),
                        crate::apns::Environment::Sandbox => msg::connection_chip_sandbox(),
                    };
                    egui::ComboBox::from_id_salt("doctor-this-env")
                        .selected_text(word(self.this_env))
                        .show_ui(ui, |ui| {
                            for env in [
                                crate::apns::Environment::Production,
                                crate::apns::Environment::Sandbox,
                            ] {
                                ui.selectable_value(&mut self.this_env, env, word(env));
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
            }
            ui.add_space(ITEM_GAP);
            ui.horizontal(|ui| {
                let running = self.job.is_running();
                if ui
                    .add_enabled(!running, egui::Button::new(msg::doctor_run()))
                    .clicked()
                {
                    commands.push(Command::RunDoctor);
                }
                if running {
                    ui.spinner();
                    ui.label(msg::doctor_running());
                }
            });
        });
    }
}
