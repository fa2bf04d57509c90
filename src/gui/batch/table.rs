//! The results table: filtered by outcome and text, sorted by a column, rebuilt only when
//! something changed.

use std::time::{Duration, Instant};

use egui::{RichText, TextEdit};
use egui_extras::{Column, TableBuilder};

use super::BatchPanel;
use crate::client::{Outcome, TokenResult};
use crate::gui::i18n::msg;
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::chip;

/// Which results the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Show {
    All,
    Outcome(Outcome),
    Dead,
    WrongTokenOrEnvironment,
}

impl Show {
    const ALL: [Show; 8] = [
        Show::All,
        Show::Outcome(Outcome::Delivered),
        Show::Outcome(Outcome::Rejected),
        Show::Dead,
        Show::WrongTokenOrEnvironment,
        Show::Outcome(Outcome::Unconfirmed),
        Show::Outcome(Outcome::NotSent),
        Show::Outcome(Outcome::InvalidInput),
    ];

    fn label(self) -> String {
        match self {
            Show::All => msg::batch_all(),
            Show::Outcome(outcome) => crate::gui::i18n::outcome(outcome),
            Show::Dead => msg::batch_dead(),
            Show::WrongTokenOrEnvironment => msg::batch_wrong_token_or_environment(),
        }
    }

    fn keeps(self, r: &TokenResult) -> bool {
        match self {
            Show::All => true,
            Show::Outcome(o) => r.outcome == o,
            Show::Dead => r.is_dead_token(),
            Show::WrongTokenOrEnvironment => r.is_bad_device_token(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SortBy {
    Index,
    Device,
    Status,
    Reason,
    Latency,
}

/// The results table's choices (filter, outcome shown, sort) and the rows they keep, rebuilt
/// only when something changed.
pub(super) struct ResultsTable {
    filter: String,
    show: Show,
    sort: (SortBy, bool),
    /// Indexes of the rows shown, in order.
    view: Vec<usize>,
    /// What `view` was built from: rows listed, filter, outcome shown, sort.
    view_key: Option<(usize, String, Show, (SortBy, bool))>,
    view_built: Option<Instant>,
}

impl Default for ResultsTable {
    fn default() -> Self {
        ResultsTable {
            filter: String::new(),
            show: Show::All,
            sort: (SortBy::Index, true),
            view: Vec::new(),
            view_key: None,
            view_built: None,
        }
    }
}

impl ResultsTable {
    /// A new batch: room for `listed` rows, built from scratch.
    pub(super) fn begin(&mut self, listed: usize) {
        self.view = Vec::with_capacity(listed);
        self.view_key = None;
    }

    /// Rebuilds the filtered, sorted list of rows when it changed (at most every 300 ms while
    /// results stream in).
    pub(super) fn refresh(&mut self, results: &[TokenResult], running: bool) {
        let key = (results.len(), self.filter.clone(), self.show, self.sort);
        if self.view_key.as_ref() == Some(&key) {
            return;
        }
        let only_new_rows = self
            .view_key
            .as_ref()
            .is_some_and(|k| (&k.1, k.2, k.3) == (&key.1, key.2, key.3));
        if only_new_rows
            && running
            && self
                .view_built
                .is_some_and(|t| t.elapsed() < Duration::from_millis(300))
        {
            return;
        }
        let needle = self.filter.trim().to_lowercase();
        let show = self.show;
        // Only rows that arrived since the last build need filtering; the sort below is
        // stable and adaptive, so a sorted prefix plus a short tail costs about one pass.
        let (mut view, first_new) = match (&self.view_key, only_new_rows) {
            (Some((old_len, ..)), true) if *old_len <= results.len() => {
                (std::mem::take(&mut self.view), *old_len)
            }
            _ => {
                let mut view = std::mem::take(&mut self.view);
                view.clear();
                (view, 0)
            }
        };
        let sorted = view.len();
        view.extend(
            results
                .iter()
                .enumerate()
                .skip(first_new)
                .filter(|(_, r)| show.keeps(r) && matches(r, &needle))
                .map(|(i, _)| i),
        );
        let (by, ascending) = self.sort;
        merge_sorted(&mut view, sorted, |&a, &b| {
            let order = compare(by, &results[a], &results[b]);
            if ascending { order } else { order.reverse() }
        });
        self.view = view;
        self.view_key = Some(key);
        self.view_built = Some(Instant::now());
    }

    /// The results table, below the two columns.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, results: &[TokenResult], unlisted: u64) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            self.controls_ui(ui, results.len());
            if unlisted > 0 {
                ui.label(
                    RichText::new(msg::batch_rows_unlisted(
                        unlisted,
                        super::job::LISTED_DELIVERED,
                        super::job::LISTED_MAX,
                    ))
                    .color(Palette::of(ui).muted)
                    .small(),
                );
            }
            ui.add_space(ITEM_GAP);
            self.table(ui, results);
        });
    }

    /// The filter, the outcome shown, and how many rows are.
    fn controls_ui(&mut self, ui: &mut egui::Ui, listed: usize) {
        let p = Palette::of(ui);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(msg::batch_filter());
            ui.add(
                TextEdit::singleline(&mut self.filter)
                    .hint_text(msg::batch_token_name_or_reason())
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
            let label = ui.label(msg::batch_show());
            let combo = egui::ComboBox::from_id_salt("batch-show")
                .selected_text(self.show.label())
                .show_ui(ui, |ui| {
                    for show in Show::ALL {
                        ui.selectable_value(&mut self.show, show, show.label());
                    }
                })
                .response;
            let _ = combo.labelled_by(label.id);
            ui.label(RichText::new(msg::batch_rows_shown(listed, self.view.len())).color(p.muted));
        });
    }

    /// The rows, each column's header sorting by it.
    fn table(&mut self, ui: &mut egui::Ui, results: &[TokenResult]) {
        let p = Palette::of(ui);
        let mut sort = self.sort;
        let view = &self.view;
        // The columns share the width there is, worked out each frame: fixed starting widths
        // (820 points in all) ran past the window's edge at 800×600 and 1024×640, Latency and
        // its sort button out of reach. Numbers keep their room; names, reasons and apns-ids
        // are cut to their column.
        const INDEX: f32 = 56.0;
        const STATUS: f32 = 64.0;
        const LATENCY: f32 = 72.0;
        let gaps = ui.spacing().item_spacing.x * 6.0;
        let shared = (ui.available_width() - gaps - INDEX - STATUS - LATENCY).max(240.0);
        let device = (shared * 0.4).floor();
        let reason = (shared * 0.28).floor();
        let apns_id = shared - device - reason;
        TableBuilder::new(ui)
            .id_salt("batch-results")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(INDEX))
            .column(Column::exact(device).clip(true))
            .column(Column::exact(STATUS))
            .column(Column::exact(reason).clip(true))
            .column(Column::exact(apns_id).clip(true))
            .column(Column::remainder().at_least(LATENCY))
            .min_scrolled_height(200.0)
            .max_scroll_height(420.0)
            .header(24.0, |mut header| {
                for (by, title) in [
                    (SortBy::Index, "#"),
                    (SortBy::Device, &msg::batch_device()),
                    (SortBy::Status, &msg::batch_status()),
                    (SortBy::Reason, &msg::batch_reason()),
                    (SortBy::Index, "apns-id"),
                    (SortBy::Latency, &msg::batch_latency()),
                ] {
                    header.col(|ui| sort_button(ui, by, title, &mut sort));
                }
            })
            .body(|body| {
                body.rows(22.0, view.len(), |mut row| {
                    let Some(r) = view.get(row.index()).and_then(|&i| results.get(i)) else {
                        return;
                    };
                    result_row(&mut row, r, &p);
                });
            });
        self.sort = sort;
    }
}

/// Sorts `view`, whose first `sorted` entries are in order already, as a stable sort of the
/// whole would. The new entries are sorted alone and only the part of the old ones that
/// sorts after the first of them is merged again: results arrive roughly in the order they
/// were sent, so in the default order (by number) that part is a few rows, where a sort of
/// the whole walked every row listed (a pause of a millisecond or more every 300 ms in a
/// 100,000-push batch, issue 29).
fn merge_sorted(
    view: &mut [usize],
    sorted: usize,
    order: impl Fn(&usize, &usize) -> std::cmp::Ordering,
) {
    let sorted = sorted.min(view.len());
    view[sorted..].sort_by(&order);
    let from = match view.get(sorted) {
        Some(first) => view[..sorted].partition_point(|x| order(x, first).is_le()),
        None => return,
    };
    view[from..].sort_by(&order);
}

/// Whether a row holds `needle` (lowercase) in its token, name or reason.
fn matches(r: &TokenResult, needle: &str) -> bool {
    needle.is_empty()
        || r.token.to_string().contains(needle)
        || r.name
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains(needle))
        || r.reason
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains(needle))
}

fn compare(by: SortBy, a: &TokenResult, b: &TokenResult) -> std::cmp::Ordering {
    match by {
        SortBy::Index => a.index.cmp(&b.index),
        SortBy::Device => a.name.cmp(&b.name).then_with(|| a.token.cmp(&b.token)),
        SortBy::Status => a.status.cmp(&b.status),
        SortBy::Reason => a.reason.cmp(&b.reason),
        SortBy::Latency => a
            .latency_ms
            .partial_cmp(&b.latency_ms)
            .unwrap_or(std::cmp::Ordering::Equal),
    }
}

/// A column's header: its title, an arrow when the rows are sorted by it, a click to sort
/// (or reverse). The apns-id column does not sort.
fn sort_button(ui: &mut egui::Ui, by: SortBy, title: &str, sort: &mut (SortBy, bool)) {
    let arrow = if sort.0 == by && title != "apns-id" {
        if sort.1 { " ⏶" } else { " ⏷" }
    } else {
        ""
    };
    let button =
        ui.add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false));
    let name = msg::batch_sort_by(title.to_string());
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    if button.clicked() && title != "apns-id" {
        *sort = if sort.0 == by {
            (by, !sort.1)
        } else {
            (by, true)
        };
    }
}

/// One result: number, device, status, reason, apns-id, latency.
fn result_row(row: &mut egui_extras::TableRow<'_, '_>, r: &TokenResult, p: &Palette) {
    row.col(|ui| {
        ui.label((r.index + 1).to_string());
    });
    row.col(|ui| {
        let short = r.token.short();
        match &r.name {
            Some(name) => ui.label(format!("{name} · {short}")),
            None => ui.label(RichText::new(short).monospace()),
        };
    });
    row.col(|ui| {
        let (text, tone) = match (r.status, r.outcome) {
            (Some(200), _) => ("200".to_owned(), p.good),
            (Some(s), _) => (s.to_string(), p.bad),
            (None, Outcome::NotSent) => ("—".to_owned(), p.neutral),
            (None, Outcome::InvalidInput) => ("—".to_owned(), p.warning),
            (None, _) => (msg::batch_no_status(), p.warning),
        };
        chip(ui, &text, tone);
    });
    row.col(|ui| {
        let reason = r
            .reason
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| r.error.as_ref().map(crate::gui::i18n::result_error))
            .unwrap_or_default();
        let reason = match r.outcome {
            Outcome::Delivered | Outcome::Rejected => reason,
            other => format!("{}: {reason}", Show::Outcome(other).label()),
        };
        ui.label(reason);
    });
    row.col(|ui| {
        ui.label(
            RichText::new(r.apns_id.as_deref().unwrap_or(""))
                .monospace()
                .small(),
        );
    });
    row.col(|ui| {
        if let Some(ms) = r.latency_ms {
            ui.label(format!("{ms:.1} ms"));
        }
    });
}

impl BatchPanel {
    /// The results table, below the two columns (once there is a result).
    pub(super) fn table_ui(&mut self, ui: &mut egui::Ui) {
        if self.results.listed().is_empty() {
            return;
        }
        self.table
            .ui(ui, self.results.listed(), self.results.unlisted());
    }
}

#[cfg(test)]
mod tests {
    use super::merge_sorted;

    /// Arrivals a little out of order, as a batch's answers come, and far out of order.
    #[test]
    fn merging_the_new_rows_sorts_as_a_stable_sort_of_every_row_would() {
        // (key, arrival): equal keys must stay in arrival order.
        let keys: Vec<u32> = (0..400u32).map(|i| (i * 7919) % 97 + i / 3).collect();
        for (sorted_len, total) in [
            (0, 0),
            (0, 50),
            (120, 120),
            (120, 121),
            (200, 400),
            (399, 400),
        ] {
            let order = |a: &usize, b: &usize| keys[*a].cmp(&keys[*b]);
            let mut expected: Vec<usize> = (0..total).collect();
            expected.sort_by(order);

            let mut view: Vec<usize> = (0..sorted_len).collect();
            view.sort_by(order);
            view.extend(sorted_len..total);
            merge_sorted(&mut view, sorted_len, order);
            assert_eq!(view, expected, "{sorted_len} sorted of {total}");
        }
    }
}
