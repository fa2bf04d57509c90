//! Closing the window while a batch runs: the rest would not be sent, so the app asks first.

use super::App;
use crate::gui::i18n::msg;
use crate::gui::theme;

impl App {
    /// Closing the window while a batch runs asks first: the rest would not be sent.
    pub(super) fn confirm_close_while_sending(&mut self, ctx: &egui::Context) {
        let asked = ctx.input(|i| i.viewport().close_requested());
        if asked && self.batch.is_running() && !self.closing {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_close = true;
        }
    }

    pub(super) fn close_dialog(&mut self, ctx: &egui::Context) {
        let progress = self.batch.progress();
        egui::Modal::new(egui::Id::unique("confirm-close")).show(ctx, |ui| {
            ui.set_width(380.0);
            ui.heading(msg::app_a_batch_is_still_sending());
            let line = match progress {
                Some((done, Some(total))) => msg::app_closing_with_progress(done, total),
                _ => msg::app_closing_now_stops_the_batch(),
            };
            ui.add(egui::Label::new(line).wrap());
            ui.add_space(theme::SECTION_GAP);
            ui.horizontal(|ui| {
                if ui.button(msg::app_keep_sending()).clicked() {
                    self.confirm_close = false;
                }
                if ui.button(msg::app_stop_the_batch_and_close()).clicked() {
                    self.batch.cancel();
                    self.confirm_close = false;
                    self.closing = true;
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }
}
