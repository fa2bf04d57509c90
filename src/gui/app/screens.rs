//! The current section's screen, in the middle of the window, with what each needs from the
//! others.

use super::{App, Section};
use crate::gui::compose::GuideStatus;
use crate::gui::connection;
use crate::gui::i18n::tr_with;

impl App {
    /// Where pushes go now, in a line for the Compose & Send and Batch screens.
    fn destination(&self) -> String {
        connection::summary(
            &self.state.connection,
            self.simulator.simulator(),
            &self.credentials,
        )
    }

    /// Draws the screen of the current section.
    pub(super) fn screen_ui(&mut self, ui: &mut egui::Ui) {
        match self.state.section {
            Section::Credentials => {
                self.credentials.ui(ui, &mut self.state, &mut self.commands);
            }
            Section::Connection => {
                let status = self.simulator.status_line();
                self.connection.ui(
                    ui,
                    &mut self.state,
                    &self.credentials,
                    &status,
                    &mut self.commands,
                );
            }
            Section::Compose => {
                let destination = self.destination();
                let guide = GuideStatus {
                    has_credential: connection::chosen_credential(
                        &self.credentials,
                        &self.state.connection,
                    )
                    .is_some(),
                    check_passed: self.connection.report().is_some_and(|r| r.passed()),
                };
                self.compose.ui(
                    ui,
                    &mut self.state,
                    &destination,
                    &guide,
                    &mut self.commands,
                );
            }
            Section::Batch => {
                let destination = self.destination();
                let draft = &self.state.compose;
                let check = crate::apns::check_payload(
                    draft.payload.as_bytes(),
                    draft.push_type,
                    draft.priority,
                );
                let payload_line = if check.is_ok() {
                    tr_with(
                        "app-payload-line",
                        &[
                            ("type", draft.push_type.as_str().into()),
                            ("size", check.size.into()),
                        ],
                    )
                } else {
                    tr_with(
                        "app-payload-line-errors",
                        &[
                            ("type", draft.push_type.as_str().into()),
                            ("size", check.size.into()),
                        ],
                    )
                };
                self.batch.ui(
                    ui,
                    &mut self.state,
                    &payload_line,
                    &destination,
                    &mut self.commands,
                );
            }
            Section::History => {
                self.history.ui(ui, &mut self.state, &mut self.commands);
            }
            Section::Simulator => {
                self.simulator.ui(ui, &mut self.state, &mut self.commands);
            }
        }
    }
}
