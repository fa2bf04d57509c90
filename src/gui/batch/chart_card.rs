//! The batch over time: the points the charts draw, copied from the running job a few times
//! a second, in a card of their own under the summary.

use std::time::{Duration, Instant};

use super::BatchPanel;
use crate::gui::app::Command;
use crate::gui::charts::{ChartExport, TimelinePoint};
use crate::gui::i18n::msg;
use crate::gui::theme;

/// The running or last batch over time, as the charts draw it.
pub(super) struct ChartTimeline {
    points: Vec<TimelinePoint>,
    taken: Option<Instant>,
    export: ChartExport,
}

impl Default for ChartTimeline {
    fn default() -> Self {
        ChartTimeline {
            points: Vec::new(),
            taken: None,
            export: ChartExport::new("~/pushlab-batch-timeline.csv"),
        }
    }
}

impl ChartTimeline {
    pub(super) fn points(&self) -> &[TimelinePoint] {
        &self.points
    }

    pub(super) fn export(&mut self) -> &mut ChartExport {
        &mut self.export
    }

    /// Forgets the last batch's points (a new one begins).
    pub(super) fn clear(&mut self) {
        self.points = Vec::new();
        self.taken = None;
    }

    /// Whether `every` has passed since the points were last taken.
    pub(super) fn due(&self, every: Duration) -> bool {
        self.taken.is_none_or(|t| t.elapsed() >= every)
    }

    pub(super) fn set(&mut self, points: Vec<TimelinePoint>) {
        self.points = points;
        self.taken = Some(Instant::now());
    }

    /// The charts and their export, once there is a point to draw.
    fn ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::CollapsingHeader::new(msg::chart_batch_heading())
            .id_salt("batch-charts")
            .default_open(true)
            .show(ui, |ui| {
                let picture = ui
                    .scope(|ui| crate::gui::charts::batch_charts(ui, "batch-live", &self.points))
                    .response
                    .rect;
                let points = &self.points;
                self.export.ui(
                    ui,
                    crate::gui::charts::ChartId::Batch,
                    picture,
                    || crate::gui::charts::points_csv(points),
                    commands,
                );
            });
    }
}

impl BatchPanel {
    /// The batch over time, in its own card under the summary (drawn from the first results,
    /// before the first progress report).
    pub(super) fn charts_card(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if self.chart.points().is_empty() {
            return;
        }
        ui.add_space(theme::SECTION_GAP);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            self.chart.ui(ui, commands);
        });
    }
}
