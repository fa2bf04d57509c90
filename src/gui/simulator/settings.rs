//! The server card: running or not, start and stop, environment and port, and the failures
//! it can inject to test how a sender copes.

use egui::RichText;

use super::SimulatorPanel;
use crate::apns::Environment;
use crate::apns::Reason;
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::state::{SimulatorSettings, State};
use crate::gui::theme::{self, ITEM_GAP, Palette, SECTION_GAP};
use crate::gui::widgets::{capitalise, chip, notice};

/// Reasons the fault switch can answer with.
const FAULT_REASONS: [Reason; 3] = [
    Reason::TooManyRequests,
    Reason::ServiceUnavailable,
    Reason::InternalServerError,
];

impl SimulatorPanel {
    pub(super) fn server_card(
        &mut self,
        ui: &mut egui::Ui,
        state: &mut State,
        commands: &mut Vec<Command>,
    ) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            self.status_ui(ui, commands);
            ui.add_space(SECTION_GAP);
            let settings = &mut state.simulator;
            listen_fields(ui, settings);
            self.api_ui(ui, &mut settings.api_enabled, &mut settings.api_port);
            ui.add_space(SECTION_GAP);
            fault_fields(ui, settings);
            ui.add_space(ITEM_GAP);
            let restart = self.needs_restart(&state.simulator);
            ui.horizontal(|ui| {
                let label = if restart {
                    msg::simulator_apply()
                } else {
                    msg::simulator_apply_live()
                };
                if ui
                    .add_enabled(!self.starting.is_running(), egui::Button::new(label))
                    .clicked()
                {
                    commands.push(Command::ApplySimulator);
                }
            });
            if self.applied_live() && self.started_with.as_ref() == Some(&state.simulator) {
                let p = Palette::of(ui);
                notice(ui, "✔", &msg::simulator_applied_live(), p.good);
            }
            self.trusted_keys_ui(ui);
            self.ca_ui(ui, commands);
        });
    }

    /// Running (where, which environment), starting or stopped; its error; Start or Stop.
    fn status_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let p = Palette::of(ui);
        ui.horizontal(|ui| match &self.running {
            Some(sim) => {
                chip(ui, &msg::simulator_running(), p.good);
                ui.label(RichText::new(sim.addr().to_string()).monospace());
                chip(
                    ui,
                    &capitalise(&crate::gui::i18n::apns_environment(sim.environment())),
                    p.info,
                );
            }
            None if self.starting.is_running() => {
                ui.spinner();
                ui.label(msg::simulator_starting());
            }
            None => {
                chip(ui, &msg::simulator_stopped(), p.neutral);
            }
        });
        if let Some(error) = &self.error {
            notice(ui, "⚠", &error.text(), p.bad);
        }
        ui.add_space(ITEM_GAP);
        ui.horizontal(|ui| {
            if self.running.is_some() {
                if ui.button(msg::simulator_stop()).clicked() {
                    commands.push(Command::StopSimulator);
                }
            } else if ui
                .add_enabled(
                    !self.starting.is_running(),
                    egui::Button::new(msg::simulator_start()),
                )
                .clicked()
            {
                commands.push(Command::StartSimulator);
            }
        });
    }

    /// The auth keys the simulator trusts, when there are any.
    fn trusted_keys_ui(&self, ui: &mut egui::Ui) {
        if self.auth_keys.is_empty() {
            return;
        }
        ui.add_space(ITEM_GAP);
        let keys: Vec<String> = self
            .auth_keys
            .iter()
            .map(|k| msg::simulator_key_with_team(k.key_id.as_str(), k.team_id.as_str()))
            .collect();
        ui.label(
            RichText::new(msg::simulator_trusted_keys(keys.join(", ")))
                .color(Palette::of(ui).muted),
        );
    }
}

/// The environment the simulator plays and the port it listens on.
fn listen_fields(ui: &mut egui::Ui, settings: &mut SimulatorSettings) {
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_environment());
        let combo = egui::ComboBox::from_id_salt("sim-environment")
            .selected_text(capitalise(&crate::gui::i18n::apns_environment(
                settings.environment,
            )))
            .show_ui(ui, |ui| {
                for env in [Environment::Sandbox, Environment::Production] {
                    ui.selectable_value(
                        &mut settings.environment,
                        env,
                        capitalise(&crate::gui::i18n::apns_environment(env)),
                    );
                }
            })
            .response;
        let _ = combo.labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_port());
        ui.add(egui::DragValue::new(&mut settings.port).range(0..=65535))
            .labelled_by(label.id);
        ui.label(RichText::new(msg::simulator_port_hint()).color(Palette::of(ui).muted));
    });
}

/// The failures the simulator injects: a share of errors and their reason, GOAWAY, latency,
/// streams reset or dropped after processing.
fn fault_fields(ui: &mut egui::Ui, settings: &mut SimulatorSettings) {
    let p = Palette::of(ui);
    ui.label(RichText::new(msg::simulator_faults()).strong());
    ui.label(RichText::new(msg::simulator_faults_hint()).color(p.muted));
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_error_share());
        ui.add(egui::Slider::new(&mut settings.error_percent, 0.0..=100.0).suffix(" %"))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_error_reason());
        let combo = egui::ComboBox::from_id_salt("sim-fault-reason")
            .selected_text(reason_label(&settings.error_reason))
            .show_ui(ui, |ui| {
                for reason in FAULT_REASONS {
                    ui.selectable_value(
                        &mut settings.error_reason,
                        reason.as_str().to_owned(),
                        reason_label(reason.as_str()),
                    );
                }
            })
            .response;
        let _ = combo.labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_goaway());
        ui.add(egui::DragValue::new(&mut settings.goaway_after))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_latency());
        ui.add(egui::DragValue::new(&mut settings.latency_ms).range(0..=10_000))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_reset_processed());
        ui.add(egui::DragValue::new(&mut settings.reset_processed_every))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(msg::simulator_drop_processed());
        ui.add(egui::DragValue::new(&mut settings.drop_after_processing))
            .labelled_by(label.id);
    });
    ui.label(
        RichText::new(msg::simulator_unanswered_hint())
            .small()
            .color(p.muted),
    );
    ui.checkbox(
        &mut settings.answer_from_headers,
        msg::simulator_answer_from_headers(),
    )
    .on_hover_text(msg::simulator_answer_from_headers_hint());
}

impl SimulatorPanel {
    /// The switch for the control API and web inbox, its port, and where it is served.
    fn api_ui(&self, ui: &mut egui::Ui, enabled: &mut bool, port: &mut u16) {
        let p = Palette::of(ui);
        ui.horizontal(|ui| {
            ui.checkbox(enabled, msg::simulator_api());
            let label = ui.label(msg::simulator_api_port());
            ui.add_enabled(*enabled, egui::DragValue::new(port).range(0..=65535))
                .labelled_by(label.id);
        });
        match self.api_addr() {
            Some(addr) => {
                let url = format!("http://{addr}/");
                ui.horizontal(|ui| {
                    ui.label(msg::simulator_api_url());
                    ui.hyperlink_to(RichText::new(&url).monospace(), &url);
                });
            }
            None => {
                ui.label(RichText::new(msg::simulator_api_hint()).color(p.muted));
            }
        }
    }
}

fn reason_label(reason: &str) -> String {
    match Reason::parse(reason) {
        Some(r) => format!("{} {}", r.status(), r.as_str()),
        None => reason.to_owned(),
    }
}
