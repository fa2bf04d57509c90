//! Closing the window while a batch runs: the rest would not be sent, so the app asks first.

use super::App;
use crate::gui::i18n::{tr, tr_with};
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
            ui.heading(tr("app-a-batch-is-still-sending"));
            let line = match progress {
                Some((done, Some(total))) => tr_with(
                    "app-closing-with-progress",
                    &[("done", done.into()), ("total", total.into())],
                ),
                _ => tr("app-closing-now-stops-the-batch"),
            };
            ui.add(egui::Label::new(line).wrap());
            ui.add_space(theme::SECTION_GAP);
            ui.horizontal(|ui| {
                if ui.button(tr("app-keep-sending")).clicked() {
                    self.confirm_close = false;
                }
                if ui.button(tr("app-stop-the-batch-and-close")).clicked() {
                    self.batch.cancel();
                    self.confirm_close = false;
                    self.closing = true;
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }
}
