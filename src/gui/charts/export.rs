//! Saving a chart's data as CSV: a path under the chart and a button; written on the worker,
//! never over an existing file (the user picks another name).

use std::path::PathBuf;

use crate::gui::JobError;
use crate::gui::app::Command;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widgets::{Message, path_field};
use crate::gui::worker::{Task, Worker};

/// Which chart's data a command saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartId {
    Batch,
    Latency,
    History,
    Simulator,
}

/// The path field, the job writing it, and what became of it.
pub struct ChartExport {
    path: String,
    task: Task<PathBuf, JobError>,
    message: Option<Message>,
}

impl ChartExport {
    pub fn new(default: &str) -> Self {
        ChartExport {
            path: default.to_owned(),
            task: Task::Idle,
            message: None,
        }
    }

    /// The row under a chart: where to save, and Save CSV (its data made only when pressed).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        chart: ChartId,
        csv: impl FnOnce() -> String,
        commands: &mut Vec<Command>,
    ) {
        let button = (tr("chart-save-csv"), !self.task.is_running());
        if path_field(ui, &tr("chart-csv-path"), &mut self.path, 260.0, button) {
            commands.push(Command::ExportChart {
                chart,
                path: crate::gui::dialogs::expand_home(&self.path),
                csv: csv(),
            });
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

    pub fn poll(&mut self) {
        if self.task.poll() {
            self.message = match self.task.take_finished() {
                Some(Ok(path)) => Some(Message::good(tr_with(
                    "chart-saved",
                    &[("path", path.display().to_string().into())],
                ))),
                Some(Err(e)) => Some(Message::bad(e.text())),
                None => None,
            };
        }
    }
}
