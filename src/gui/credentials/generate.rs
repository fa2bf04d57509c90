//! Issuing a test push certificate from the simulator's CA, for a bundle id and environment,
//! so the whole path can be walked without an Apple account.

use egui::{RichText, TextEdit};

use super::jobs::{self, Generated};
use super::{CredentialsPanel, Status, View};
use crate::cert::CertEnvironment;
use crate::gui::JobError;
use crate::gui::app::{Command, EntryId};
use crate::gui::i18n::msg;
use crate::gui::state::State;
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::{Message, notice};
use crate::gui::worker::{Task, Worker};

/// The test certificate page.
pub(super) struct GenerateForm {
    environment: CertEnvironment,
    pub(super) task: Task<Generated, JobError>,
    pub(super) message: Option<Message>,
    /// The entry just issued: its page repeats the confirmation.
    pub(super) issued: Option<EntryId>,
    /// The key being made is to be used once made.
    use_key: bool,
    /// A key made to be used, until the app takes it.
    key_to_use: Option<std::path::PathBuf>,
}

impl Default for GenerateForm {
    fn default() -> Self {
        GenerateForm {
            environment: CertEnvironment::Development,
            task: Task::Idle,
            message: None,
            issued: None,
            use_key: false,
            key_to_use: None,
        }
    }
}

impl CredentialsPanel {
    /// Issues a test push certificate for `bundle_id` from the simulator's CA on the worker and
    /// adds it to the list. Needs the data folder, where the certificate is kept.
    pub fn generate(&mut self, bundle_id: String, environment: CertEnvironment, worker: &Worker) {
        let Some(data_dir) = self.data_dir.clone() else {
            self.generate.message = Some(Message::bad(msg::credentials_there_is_no_data_folder()));
            return;
        };
        self.generate.message = None;
        self.generate.task =
            worker.run_blocking(move |_| jobs::generate(&data_dir, &bundle_id, environment));
    }

    /// A test key made to be used ([`Self::generate_key`] with `use_it`), once: the app
    /// chooses it for sending.
    pub fn take_key_to_use(&mut self) -> Option<std::path::PathBuf> {
        self.generate.key_to_use.take()
    }

    /// Makes a test auth key on the worker and adds it to the list; with `use_it`, it is
    /// handed to [`Self::take_key_to_use`] once made.
    pub fn generate_key(&mut self, use_it: bool, worker: &Worker) {
        self.generate.use_key = use_it;
        let Some(data_dir) = self.data_dir.clone() else {
            self.generate.message = Some(Message::bad(msg::credentials_there_is_no_data_folder()));
            return;
        };
        self.generate.message = None;
        self.generate.task = worker.run_blocking(move |_| jobs::generate_key(&data_dir));
    }

    pub(super) fn poll_generate(&mut self) {
        if !self.generate.task.poll() {
            return;
        }
        match self.generate.task.take_finished() {
            Some(Ok(generated)) => {
                let certificate = generated.loaded.inspection.certificate.as_ref();
                let bundle = certificate
                    .and_then(|c| c.bundle_id.clone())
                    .unwrap_or_default();
                let mut saved = generated.saved;
                if let Some(c) = certificate {
                    saved.name = jobs::Generated::name(&bundle, c.environment);
                }
                let key_id = generated
                    .loaded
                    .inspection
                    .auth_key
                    .as_ref()
                    .and_then(|k| k.key_id.clone());
                if let (None, Some(key_id)) = (certificate, &key_id) {
                    saved.name = msg::credentials_test_key_name(key_id.as_str());
                }
                let first_ca = generated.created_ca;
                if key_id.is_some() && std::mem::take(&mut self.generate.use_key) {
                    self.generate.key_to_use = Some(saved.path.clone());
                }
                let id = self.add(saved, Status::Ready(Box::new(generated.loaded)));
                self.view = View::Entry(id);
                self.generate.issued = Some(id);
                self.generate.message = Some(Message::good(match key_id {
                    Some(key_id) if bundle.is_empty() => {
                        msg::credentials_issued_key(key_id.as_str())
                    }
                    _ if first_ca => msg::credentials_issued_new_ca(bundle.as_str()),
                    _ => msg::credentials_issued(bundle.as_str()),
                }));
            }
            Some(Err(e)) => self.generate.message = Some(Message::bad(e.text())),
            None => {}
        }
    }

    pub(super) fn generate_ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        commands: &mut Vec<Command>,
    ) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.heading(msg::credentials_generate_a_test_certificate());
            ui.label(
                RichText::new(msg::credentials_issued_by_the_simulators_test())
                    .color(Palette::of(ui).muted),
            );
            ui.add_space(SECTION_GAP);
            let problem = jobs::bundle_id_problem(state.test_bundle_id.trim());
            ui.horizontal(|ui| {
                let label = ui.label(msg::credentials_bundle_id());
                ui.add(
                    TextEdit::singleline(&mut state.test_bundle_id)
                        .hint_text("com.example.doorbell")
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
            });
            if let Some(problem) = &problem
                && !state.test_bundle_id.is_empty()
            {
                notice(ui, "⚠", problem, Palette::of(ui).warning);
            }
            ui.add_space(ITEM_GAP);
            ui.label(msg::credentials_environment());
            for (env, text, hint) in [
                (
                    CertEnvironment::Development,
                    msg::credentials_env_development(),
                    msg::credentials_sandbox_only_like_apps_run(),
                ),
                (
                    CertEnvironment::Production,
                    msg::credentials_env_production(),
                    msg::credentials_testflight_and_app_store_builds(),
                ),
                (
                    CertEnvironment::Universal,
                    msg::credentials_chip_universal(),
                    msg::credentials_sandbox_production_with_voip_and(),
                ),
            ] {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.generate.environment, env, text);
                    ui.label(RichText::new(hint).color(Palette::of(ui).muted));
                });
            }
            ui.add_space(SECTION_GAP);
            ui.horizontal(|ui| {
                let running = self.generate.task.is_running();
                let button = ui.add_enabled(
                    !running && problem.is_none(),
                    egui::Button::new(msg::credentials_generate_test_certificate()),
                );
                if button.clicked() {
                    commands.push(Command::GenerateTestCertificate {
                        bundle_id: state.test_bundle_id.trim().to_owned(),
                        environment: self.generate.environment,
                    });
                }
                if running {
                    ui.spinner();
                    ui.label(msg::credentials_creating_keys());
                } else if state.test_bundle_id.trim().is_empty() {
                    ui.label(
                        RichText::new(msg::credentials_type_a_bundle_id_first())
                            .color(Palette::of(ui).muted),
                    );
                }
            });
            ui.add_space(SECTION_GAP);
            ui.label(RichText::new(msg::credentials_test_key_heading()).strong());
            ui.label(RichText::new(msg::credentials_test_key_hint()).color(Palette::of(ui).muted));
            if ui
                .add_enabled(
                    !self.generate.task.is_running(),
                    egui::Button::new(msg::credentials_generate_test_key()),
                )
                .clicked()
            {
                commands.push(Command::GenerateTestAuthKey { use_it: false });
            }
            if let Some(message) = &self.generate.message {
                message.show(ui);
            }
        });
    }
}
