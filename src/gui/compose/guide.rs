//! The first-run guide: a test certificate, a connection check, a push to the demo device,
//! and the simulator's inbox, each step ticked off as it is done.

use egui::RichText;

use super::device::use_demo_device;
use crate::cert::CertEnvironment;
use crate::gui::app::{Command, Section};
use crate::gui::connection::DEMO_BUNDLE_ID;
use crate::gui::i18n::msg;
use crate::gui::state::State;
use crate::gui::theme::{self, Palette};

/// What the first-run guide knows.
pub struct GuideStatus {
    /// There is a credential to send with (the chosen one, or the first usable).
    pub has_credential: bool,
    /// The connection check passed with the current route.
    pub check_passed: bool,
    /// The check runs now.
    pub checking: bool,
    /// The last check of this route failed: its steps say why, on Connection.
    pub check_failed: bool,
}

pub(super) fn guide_ui(
    ui: &mut egui::Ui,
    state: &mut State,
    guide: &GuideStatus,
    commands: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let sent = state.history.iter().any(|h| h.status == Some(200));
    theme::message(p.info).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(msg::compose_guide())
                    .strong()
                    .color(p.info.fg),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.small_button(msg::compose_hide_guide()).clicked() {
                    state.guide_hidden = true;
                }
            });
        });
        let step = |ui: &mut egui::Ui, n: usize, done: bool, text: &str| {
            let mark = if done {
                "✔".to_owned()
            } else {
                format!("{n}.")
            };
            ui.label(
                RichText::new(mark)
                    .strong()
                    .color(if done { p.good.fg } else { p.info.fg }),
            );
            ui.label(RichText::new(text).color(p.info.fg));
        };
        ui.horizontal_wrapped(|ui| {
            step(
                ui,
                1,
                guide.has_credential,
                &msg::compose_make_a_test_certificate(),
            );
            if !guide.has_credential
                && ui
                    .small_button(msg::compose_generate_a_test_certificate())
                    .clicked()
            {
                commands.push(Command::GenerateTestCertificate {
                    bundle_id: DEMO_BUNDLE_ID.to_owned(),
                    environment: CertEnvironment::Development,
                });
            }
            ui.add_space(12.0);
            step(
                ui,
                2,
                guide.check_passed,
                &msg::compose_check_the_connection(),
            );
            // The check runs here; the user stays on the guide unless it fails.
            if guide.checking {
                ui.spinner();
            } else if guide.check_failed {
                if ui.small_button(msg::compose_guide_why()).clicked() {
                    commands.push(Command::ShowSection(Section::Connection));
                }
            } else if guide.has_credential
                && !guide.check_passed
                && ui.small_button(msg::compose_check()).clicked()
            {
                commands.push(Command::CheckConnection);
            }
            ui.add_space(12.0);
            step(ui, 3, sent, &msg::compose_send_to_the_demo_device());
            if !sent
                && state.compose.token.is_empty()
                && ui.small_button(msg::compose_demo()).clicked()
            {
                use_demo_device(state);
            }
            ui.add_space(12.0);
            step(
                ui,
                4,
                state.guide_inbox_seen,
                &msg::compose_see_it_in_the_simulators(),
            );
            if sent
                && !state.guide_inbox_seen
                && ui.small_button(msg::compose_open_simulator()).clicked()
            {
                commands.push(Command::ShowSection(Section::Simulator));
            }
        });
    });
}
