//! The current section's screen, in the middle of the window, with what each needs from the
//! others.

use super::{App, Section};
use crate::gui::compose::GuideStatus;
use crate::gui::connection;
use crate::gui::i18n::msg;

impl App {
    /// Where pushes go now, in a line for the Compose & Send and Batch screens.
    fn destination(&self) -> String {
        connection::summary(
            &self.state.connection,
            self.simulator.simulator(),
            &self.credentials,
        )
    }

    /// Saved certificates that expire within 30 days (or have expired), with their days
    /// left, soonest first.
    pub fn expiring_credentials(&self) -> Vec<(String, i64)> {
        let mut out: Vec<(String, i64)> = self
            .credentials
            .entries()
            .iter()
            .filter_map(|e| {
                let days = e.loaded()?.inspection.certificate.as_ref()?.days_left;
                (days <= 30).then(|| (e.saved.name.clone(), days))
            })
            .collect();
        out.sort_by_key(|(_, days)| *days);
        out
    }

    /// A note in the navigation column while a saved certificate expires within 30 days
    /// (red within 7), until dismissed for this run. In the navigation, not above the
    /// screen: appearing or going, it never moves a screen's controls under the pointer.
    pub(super) fn expiry_banner(&mut self, ui: &mut egui::Ui) {
        if self.expiry_dismissed {
            return;
        }
        let expiring = self.expiring_credentials();
        let Some((name, days)) = expiring.first() else {
            return;
        };
        let p = crate::gui::theme::Palette::of(ui);
        let tone = if *days <= 7 { p.bad } else { p.warning };
        let text = if *days < 0 {
            msg::app_credential_expired(name.clone())
        } else {
            msg::app_credential_expires(*days, name.clone())
        };
        crate::gui::widgets::notice(ui, "⚠", &text, tone);
        if ui
            .small_button(crate::gui::i18n::msg::app_dismiss())
            .clicked()
        {
            self.expiry_dismissed = true;
        }
        ui.add_space(crate::gui::theme::ITEM_GAP);
    }

    /// Draws the screen of the current section.
    pub(super) fn screen_ui(&mut self, ui: &mut egui::Ui) {
        match self.state.section {
            Section::Credentials => {
                self.credentials.ui(ui, &mut self.state, &mut self.commands);
            }
            Section::Connection => {
                let status = self.simulator.status_line();
                let now = self.route_view().made;
                self.connection.ui(
                    ui,
                    &mut self.state,
                    &self.credentials,
                    &status,
                    now.as_ref(),
                    &mut self.commands,
                );
            }
            Section::Compose => {
                let route = self.route_view();
                let guide = GuideStatus {
                    has_credential: connection::chosen_credential(
                        &self.credentials,
                        &self.state.connection,
                    )
                    .is_some(),
                    check_passed: self
                        .connection
                        .current_report(route.made.as_ref())
                        .is_some_and(|r| r.passed()),
                    checking: self.connection.is_busy(),
                    check_failed: self
                        .connection
                        .current_report(route.made.as_ref())
                        .is_some_and(|r| !r.passed()),
                };
                self.compose
                    .ui(ui, &mut self.state, &route, &guide, &mut self.commands);
            }
            Section::Batch => {
                let route = self.route_view();
                let draft = &self.state.compose;
                let check = crate::apns::check_payload(
                    draft.payload.as_bytes(),
                    draft.push_type,
                    draft.priority,
                );
                let payload_line = if check.is_ok() {
                    msg::app_payload_line(check.size, draft.push_type.as_str())
                } else {
                    msg::app_payload_line_errors(check.size, draft.push_type.as_str())
                };
                self.batch.ui(
                    ui,
                    &mut self.state,
                    &payload_line,
                    &route,
                    &mut self.commands,
                );
            }
            Section::Doctor => {
                let now = self.route_view().made;
                self.doctor.ui(
                    ui,
                    &self.state,
                    &self.credentials,
                    now.as_ref(),
                    &mut self.commands,
                );
            }
            Section::Channels => {
                let plan = self.plan_for(&self.state.connection);
                let default_bundle = plan.as_ref().ok().and_then(|p| p.route.bundle_id.clone());
                let simulator = plan.as_ref().is_ok_and(|p| p.local);
                // A broadcast is a Live Activity push: warned about as one, whatever Compose
                // holds; but not for a certificate, which Apple's broadcast page names beside the
                // token ("validates the request using either the provided authentication token
                // or your server's certificate"), unlike its pages for pushes to a device.
                let mut route = self.route_view_of(plan, crate::apns::PushType::LiveActivity);
                route
                    .warnings
                    .retain(|w| !matches!(w, crate::client::RouteWarning::NeedsToken { .. }));
                let cx = crate::gui::channels::ChannelsContext {
                    default_bundle,
                    destination: self.destination(),
                    simulator,
                    route,
                };
                self.channels.ui(ui, &cx, &mut self.commands);
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
