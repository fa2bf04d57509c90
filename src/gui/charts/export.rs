//! Saving a chart's data as CSV: a path under the chart and a button; written on the worker,
//! never over an existing file (the user picks another name).

use std::path::PathBuf;

use crate::gui::JobError;
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::widgets::{Message, path_field};
use crate::gui::worker::{Task, Worker};

/// Which chart's data a command saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartId {
    /// The Batch screen's timeline (throughput, outcomes, latency).
    Batch,
    /// The Connection screen's latency histogram (and the run before it).
    Latency,
    /// History's dashboard.
    History,
    /// The simulator's deliveries and refusals per second.
    Simulator,
}

/// The path field, the job writing it, and what became of it.
pub struct ChartExport {
    path: String,
    task: Task<PathBuf, JobError>,
    message: Option<Message>,
}

impl ChartExport {
    /// An export whose path field starts at `default`.
    pub fn new(default: &str) -> Self {
        ChartExport {
            path: default.to_owned(),
            task: Task::Idle,
            message: None,
        }
    }

    /// The rows under a chart: where to save, Save CSV (its data made only when pressed),
    /// and Save PNG of `picture`, the chart's rectangle on screen (beside the CSV, the same
    /// name ending in `.png`).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        chart: ChartId,
        picture: egui::Rect,
        csv: impl FnOnce() -> String,
        commands: &mut Vec<Command>,
    ) {
        let idle = !self.task.is_running();
        let button = (msg::chart_save_csv(), idle);
        if path_field(ui, &msg::chart_csv_path(), &mut self.path, 260.0, button) {
            commands.push(Command::ExportChart {
                chart,
                path: crate::gui::dialogs::expand_home(&self.path),
                csv: csv(),
            });
        }
        let png = png_path(&self.path);
        let can = idle && !self.path.trim().is_empty();
        let save_png = ui.add_enabled(can, egui::Button::new(msg::chart_save_png(png.clone())));
        if save_png.clicked() {
            commands.push(Command::ExportChartPicture(
                crate::gui::charts::PictureRequest {
                    chart,
                    path: crate::gui::dialogs::expand_home(&png),
                    rect: picture,
                },
            ));
        }
        if let Some(m) = &self.message {
            m.show(ui);
        }
    }

    /// Writes `csv` to `path` on the worker.
    pub fn start(&mut self, path: PathBuf, csv: String, worker: &Worker) {
        self.message = None;
        self.task = worker
            .run_blocking(move |_| crate::gui::dialogs::write_file(&path, csv.as_bytes(), false));
    }

    /// Encodes `picture` as PNG and writes it to `path` on the worker.
    pub fn start_picture(
        &mut self,
        path: PathBuf,
        picture: Option<egui::ColorImage>,
        worker: &Worker,
    ) {
        self.message = None;
        let Some(picture) = picture else {
            self.message = Some(Message::bad(msg::chart_picture_not_shown()));
            return;
        };
        self.task = worker.run_blocking(move |_| {
            let png = crate::gui::charts::encode_png(&picture).map_err(JobError::message)?;
            crate::gui::dialogs::write_file(&path, &png, false)
        });
    }

    /// Picks up a finished write and says what became of it. Every frame.
    pub fn poll(&mut self) {
        if self.task.poll() {
            self.message = match self.task.take_finished() {
                Some(Ok(path)) => Some(Message::good(msg::chart_saved(path.display().to_string()))),
                Some(Err(e)) => Some(Message::bad(e.text())),
                None => None,
            };
        }
    }
}

/// The CSV path with its extension made `.png` (a name without one gets it added).
fn png_path(csv: &str) -> String {
    let trimmed = csv.trim();
    let name_start = trimmed.rfind(['/', '\\']).map_or(0, |i| i + 1);
    match trimmed[name_start..].rfind('.') {
        Some(dot) if dot > 0 => format!("{}.png", &trimmed[..name_start + dot]),
        _ => format!("{trimmed}.png"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_picture_goes_beside_the_data() {
        for (csv, png) in [
            (
                "~/pushlab-batch-timeline.csv",
                "~/pushlab-batch-timeline.png",
            ),
            ("/tmp/run.2/latency", "/tmp/run.2/latency.png"),
            ("  chart.CSV ", "chart.png"),
            ("~/.hidden", "~/.hidden.png"),
        ] {
            assert_eq!(super::png_path(csv), png);
        }
    }
}
