//! What a batch's results are exported as: token lists that read back in, or every result
//! as CSV or JSON; written through the screens' one save flow.

use std::path::PathBuf;

use super::BatchPanel;
use crate::client::{Outcome, TokenResult};
use crate::gui::JobError;
use crate::gui::app::Command;
use crate::gui::dialogs;
use crate::gui::i18n::msg;
use crate::gui::save_flow::SaveFlow;
use crate::gui::theme::SECTION_GAP;
use crate::gui::widgets::path_field;
use crate::gui::worker::Worker;

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// Tokens APNs said are no longer valid (410 `Unregistered`, `ExpiredToken`): remove them.
    DeadTokens,
    /// Tokens refused with `BadDeviceToken`: wrong token, or for the other environment.
    BadTokens,
    /// Tokens without a final result, unconfirmed or not sent, to send again knowingly.
    Unsettled,
    /// Every result, one CSV row per token.
    ResultsCsv,
    /// Every result as JSON.
    ResultsJson,
}

impl ExportKind {
    const ALL: [ExportKind; 5] = [
        ExportKind::DeadTokens,
        ExportKind::BadTokens,
        ExportKind::Unsettled,
        ExportKind::ResultsCsv,
        ExportKind::ResultsJson,
    ];

    fn label(self) -> String {
        match self {
            ExportKind::DeadTokens => msg::batch_dead_tokens_txt(),
            ExportKind::BadTokens => msg::batch_wrong_token_or_environment_txt(),
            ExportKind::Unsettled => msg::batch_unconfirmed_and_not_sent_txt(),
            ExportKind::ResultsCsv => msg::batch_all_results_csv(),
            ExportKind::ResultsJson => msg::batch_all_results_json(),
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            ExportKind::DeadTokens => "dead-tokens.txt",
            ExportKind::BadTokens => "bad-device-tokens.txt",
            ExportKind::Unsettled => "unconfirmed-and-not-sent.txt",
            ExportKind::ResultsCsv => "batch-results.csv",
            ExportKind::ResultsJson => "batch-results.json",
        }
    }
}

/// The export under the summary: what to export, and the save flow that writes it.
pub(super) struct Export {
    kind: ExportKind,
    flow: SaveFlow<ExportKind>,
}

impl Default for Export {
    fn default() -> Self {
        Export {
            kind: ExportKind::DeadTokens,
            flow: SaveFlow::new("~/dead-tokens.txt", dialogs::no_dialog_hint, |path| {
                msg::batch_saved_to(path.display().to_string())
            }),
        }
    }
}

impl Export {
    pub(super) fn is_writing(&self) -> bool {
        self.flow.is_writing()
    }

    fn pick_path(&mut self, kind: ExportKind, start: Option<PathBuf>, worker: &Worker) {
        self.kind = kind;
        let name = kind.file_name().to_owned();
        self.flow
            .choose(worker, msg::batch_export_batch_results(), start, name, kind);
    }

    /// Writes the `results` `kind` keeps; an existing file only with `overwrite`.
    fn write(
        &mut self,
        kind: ExportKind,
        path: PathBuf,
        overwrite: bool,
        results: &[TokenResult],
        worker: &Worker,
    ) {
        self.flow.path = path.display().to_string();
        self.kind = kind;
        let keep = |r: &TokenResult| match kind {
            ExportKind::DeadTokens => r.is_dead_token(),
            ExportKind::BadTokens => r.is_bad_device_token(),
            ExportKind::Unsettled => matches!(r.outcome, Outcome::Unconfirmed | Outcome::NotSent),
            ExportKind::ResultsCsv | ExportKind::ResultsJson => true,
        };
        let results: Vec<TokenResult> = results.iter().filter(|r| keep(r)).cloned().collect();
        self.flow.write(worker, kind, overwrite, move || {
            let bytes = match kind {
                // One token per line, with its name: the list reads back in as it is.
                ExportKind::DeadTokens | ExportKind::BadTokens | ExportKind::Unsettled => results
                    .iter()
                    .map(|r| match &r.name {
                        Some(name) => format!("{} {name}\n", r.token),
                        None => format!("{}\n", r.token),
                    })
                    .collect::<String>()
                    .into_bytes(),
                ExportKind::ResultsCsv => csv(&results).into_bytes(),
                ExportKind::ResultsJson => serde_json::to_vec_pretty(&results)
                    .map_err(|e| JobError::message(e.to_string()))?,
            };
            dialogs::write_file(&path, &bytes, overwrite)
        });
    }

    pub(super) fn poll(&mut self, commands: &mut Vec<Command>) {
        if let Some((path, kind)) = self.flow.poll() {
            // The native dialog already asked before replacing a file.
            commands.push(Command::ExportBatch {
                kind,
                path,
                overwrite: true,
            });
        }
    }

    /// What to export and where, under the summary.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(SECTION_GAP);
        ui.horizontal(|ui| {
            let label = ui.label(msg::batch_export_what());
            let before = self.kind;
            let combo = egui::ComboBox::from_id_salt("batch-export-kind")
                .selected_text(self.kind.label())
                .show_ui(ui, |ui| {
                    for kind in ExportKind::ALL {
                        ui.selectable_value(&mut self.kind, kind, kind.label());
                    }
                })
                .response;
            let _ = combo.labelled_by(label.id);
            if before != self.kind {
                self.flow.path = format!("~/{}", self.kind.file_name());
            }
            if ui.button(msg::batch_export()).clicked() {
                commands.push(Command::PickBatchExportPath(self.kind));
            }
        });
        let save = (msg::batch_save_to_path(), true);
        if path_field(
            ui,
            &msg::batch_export_path(),
            &mut self.flow.path,
            220.0,
            save,
        ) {
            commands.push(Command::ExportBatch {
                kind: self.kind,
                path: dialogs::expand_home(&self.flow.path),
                overwrite: false,
            });
        }
        if let Some((path, kind)) = self.flow.show(ui) {
            commands.push(Command::ExportBatch {
                kind,
                path,
                overwrite: true,
            });
        }
    }
}

impl BatchPanel {
    /// Asks the native dialog where to write `kind`, starting in `start`, then writes it there.
    pub fn pick_export_path(&mut self, kind: ExportKind, start: Option<PathBuf>, worker: &Worker) {
        self.export.pick_path(kind, start, worker);
    }

    /// Writes an export; an existing file only with `overwrite` (the user was asked).
    pub fn export(&mut self, kind: ExportKind, path: PathBuf, overwrite: bool, worker: &Worker) {
        self.export
            .write(kind, path, overwrite, self.results.listed(), worker);
    }
}

/// Results as CSV, one row per token.
fn csv(results: &[TokenResult]) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = String::from(
        "index,line,token,name,outcome,status,reason,apns_id,apns_unique_id,latency_ms,attempts,dead_token,error\n",
    );
    for r in results {
        let outcome = r.outcome.as_str();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.index,
            r.line.map(|l| l.to_string()).unwrap_or_default(),
            quote(&r.token.to_string()),
            quote(r.name.as_deref().unwrap_or("")),
            outcome,
            r.status.map(|s| s.to_string()).unwrap_or_default(),
            quote(r.reason.as_deref().unwrap_or("")),
            r.apns_id.as_deref().unwrap_or(""),
            r.apns_unique_id.as_deref().unwrap_or(""),
            r.latency_ms.map(|l| format!("{l:.1}")).unwrap_or_default(),
            r.attempts,
            r.is_dead_token(),
            quote(
                &r.error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_names() {
        let r = TokenResult {
            index: 0,
            line: None,
            token: crate::client::ResultToken::Unparsed("ab".into()),
            name: Some("Alice, \"home\"".into()),
            outcome: Outcome::Rejected,
            status: Some(410),
            reason: Some(crate::apns::Reason::Unregistered.into()),
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: Some(1.25),
            attempts: 1,
            error: None,
        };
        let text = csv(&[r]);
        assert!(text.contains("\"Alice, \"\"home\"\"\""));
        assert!(text.contains(",410,Unregistered,"));
        assert!(text.contains(",true,"));
    }

    /// Issue 25 case 2: the CSV's dead_token column (and the dead-token export, which uses
    /// the same test) says true only for a 410 with a dead reason.
    #[test]
    fn only_a_410_is_a_dead_token_in_exports() {
        let with = |outcome, status| TokenResult {
            index: 0,
            line: None,
            token: crate::client::ResultToken::Unparsed("ab".into()),
            name: None,
            outcome,
            status: Some(status),
            reason: Some(crate::apns::Reason::Unregistered.into()),
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: None,
            attempts: 1,
            error: None,
        };
        let text = csv(&[
            with(Outcome::Delivered, 200),
            with(Outcome::Rejected, 400),
            with(Outcome::Rejected, 500),
        ]);
        assert_eq!(text.matches(",true,").count(), 0, "{text}");
        assert!(csv(&[with(Outcome::Rejected, 410)]).contains(",true,"));
    }
}
