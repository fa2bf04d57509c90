//! The History dashboard: sends and batches over days by outcome, and the breakdown by reason
//! and by push type and priority (what Apple's console shows for production), filtered by
//! credential and destination.

use std::collections::BTreeMap;

use egui_plot::{Bar, BarChart};

use super::category_chart;
use crate::gui::i18n::msg;
use crate::gui::state::HistoryEntry;
use crate::gui::theme::Palette;

const DAY: i64 = 86_400;

/// The dashboard's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Only sends made with this credential (its name), or all.
    pub credential: Option<String>,
    /// Only sends to this destination ([`HistoryEntry::destination_key`]: the same in every
    /// language), or all.
    pub destination: Option<String>,
}

/// Pushes of a day, or of a reason or type, by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub delivered: u64,
    pub rejected: u64,
    /// Unconfirmed, not sent, or no answer.
    pub unanswered: u64,
}

/// What the dashboard draws, from the history as filtered.
#[derive(Debug, Default, PartialEq)]
pub struct Tally {
    /// By day (days since 1970).
    pub days: BTreeMap<i64, Counts>,
    pub reasons: BTreeMap<String, u64>,
    /// By "push type · priority".
    pub kinds: BTreeMap<String, u64>,
    pub entries: usize,
}

impl Dashboard {
    fn keeps(&self, e: &HistoryEntry) -> bool {
        self.credential.as_ref().is_none_or(|c| *c == e.credential)
            && self
                .destination
                .as_ref()
                .is_none_or(|d| *d == e.destination_key())
    }

    /// Counts what the filters keep.
    pub fn tally(&self, history: &[HistoryEntry]) -> Tally {
        let mut t = Tally::default();
        for e in history.iter().filter(|e| self.keeps(e)) {
            t.entries += 1;
            let day = t.days.entry(e.time.div_euclid(DAY)).or_default();
            let pushes = match &e.batch {
                Some(b) => {
                    day.delivered += b.delivered;
                    day.rejected += b.rejected;
                    day.unanswered += b.unconfirmed + b.not_sent + b.no_answer;
                    for (reason, n) in &b.reasons {
                        *t.reasons.entry(reason.clone()).or_default() += n;
                    }
                    b.total
                }
                None => {
                    match e.status {
                        Some(200) => day.delivered += 1,
                        Some(_) => {
                            day.rejected += 1;
                            let reason = e.reason.as_deref().unwrap_or_default().to_owned();
                            *t.reasons.entry(reason).or_default() += 1;
                        }
                        None => day.unanswered += 1,
                    }
                    1
                }
            };
            let priority = e
                .draft
                .priority
                .unwrap_or_else(|| e.draft.push_type.default_priority());
            *t.kinds
                .entry(format!("{} · {priority}", e.draft.push_type.as_str()))
                .or_default() += pushes;
        }
        t
    }
}

impl Tally {
    pub fn csv(&self) -> String {
        let mut out = String::from("date,delivered,rejected,no_answer\n");
        for (day, c) in &self.days {
            let date = time::OffsetDateTime::from_unix_timestamp(day * DAY)
                .map(|d| d.date().to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "{date},{},{},{}\n",
                c.delivered, c.rejected, c.unanswered
            ));
        }
        out
    }
}

/// The destinations the filter offers: (key, words in the language on screen), by words.
pub fn destination_choices(history: &[HistoryEntry]) -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> = history
        .iter()
        .map(|e| (e.destination_key(), e.destination_words()))
        .collect();
    choices.sort_unstable_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    choices.dedup_by(|a, b| a.0 == b.0);
    choices
}

/// The filters and the three charts.
pub fn dashboard_ui(ui: &mut egui::Ui, dash: &mut Dashboard, history: &[HistoryEntry]) -> Tally {
    let p = Palette::of(ui);
    let mut credentials: Vec<&str> = history.iter().map(|e| e.credential.as_str()).collect();
    credentials.sort_unstable();
    credentials.dedup();
    let credentials: Vec<(&str, &str)> = credentials.iter().map(|c| (*c, *c)).collect();
    let destinations = destination_choices(history);
    let destinations: Vec<(&str, &str)> = destinations
        .iter()
        .map(|(key, words)| (key.as_str(), words.as_str()))
        .collect();
    ui.horizontal_wrapped(|ui| {
        filter(
            ui,
            "dashboard-credential",
            &msg::chart_filter_credential(),
            &mut dash.credential,
            &credentials,
        );
        filter(
            ui,
            "dashboard-destination",
            &msg::chart_filter_destination(),
            &mut dash.destination,
            &destinations,
        );
    });
    let tally = dash.tally(history);
    let first = tally.days.keys().next().copied().unwrap_or_default();
    let bars = |f: fn(&Counts) -> u64| -> Vec<Bar> {
        tally
            .days
            .iter()
            .map(|(day, c)| Bar::new((day - first) as f64, f(c) as f64).width(0.7))
            .collect()
    };
    let total = |f: fn(&Counts) -> u64| tally.days.values().map(f).sum::<u64>();
    let last = tally.days.keys().next_back().copied().unwrap_or(first);
    let dates = (first..=last.min(first + 366)).map(day_label).collect();
    category_chart(
        ui,
        "history-by-day",
        (
            &msg::chart_by_day(),
            &msg::chart_by_day_summary(
                tally.days.len(),
                total(|c| c.delivered),
                tally.entries,
                total(|c| c.rejected),
                total(|c| c.unanswered),
            ),
        ),
        (&msg::chart_days(), &msg::chart_pushes()),
        dates,
        |plot| {
            let delivered =
                BarChart::new(msg::chart_delivered(), bars(|c| c.delivered)).color(p.good.fg);
            let rejected = BarChart::new(msg::chart_rejected(), bars(|c| c.rejected))
                .color(p.bad.fg)
                .stack_on(&[&delivered]);
            let unanswered = BarChart::new(msg::chart_unanswered(), bars(|c| c.unanswered))
                .color(p.warning.fg)
                .stack_on(&[&delivered, &rejected]);
            plot.bar_chart(delivered);
            plot.bar_chart(rejected);
            plot.bar_chart(unanswered);
        },
    );
    named_bars(
        ui,
        "history-by-reason",
        &msg::chart_by_reason(),
        &tally.reasons,
        p.bad.fg,
    );
    named_bars(
        ui,
        "history-by-kind",
        &msg::chart_by_kind(),
        &tally.kinds,
        p.brand,
    );
    tally
}

/// A filter's menu: `all` is (key kept, words shown).
fn filter(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    chosen: &mut Option<String>,
    all: &[(&str, &str)],
) {
    let l = ui.label(label);
    let any = msg::chart_filter_any();
    let shown = match chosen.as_deref() {
        Some(key) => all
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, words)| *words)
            .to_owned(),
        None => any.clone(),
    };
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .truncate()
        .width(220.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, any.clone());
            for (key, words) in all {
                ui.selectable_value(chosen, Some((*key).to_owned()), *words);
            }
        })
        .response
        .labelled_by(l.id);
}

/// One bar per name (most first), each bar named for hovering.
fn named_bars(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    counts: &BTreeMap<String, u64>,
    colour: egui::Color32,
) {
    let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    sorted.truncate(12);
    if sorted.is_empty() {
        // No axes for nothing: an empty plot ran from -0.4 to 0.4 pushes.
        let p = crate::gui::theme::Palette::of(ui);
        ui.label(egui::RichText::new(title).strong());
        ui.label(
            egui::RichText::new(msg::chart_nothing_yet())
                .small()
                .color(p.muted),
        );
        return;
    }
    let summary = sorted
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let names = sorted.iter().map(|(name, _)| (*name).clone()).collect();
    category_chart(
        ui,
        id,
        (title, &summary),
        ("", &msg::chart_pushes()),
        names,
        |plot| {
            let bars = sorted
                .iter()
                .enumerate()
                .map(|(i, (name, n))| {
                    Bar::new(i as f64, **n as f64)
                        .name(name.as_str())
                        .width(0.7)
                })
                .collect();
            plot.bar_chart(BarChart::new(title.to_owned(), bars).color(colour));
        },
    );
}

/// A day (days since 1970) as the axis shows it: month and day.
fn day_label(day: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(day * DAY)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!("[month]-[day]"))
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::i18n::{Language, set_language};

    /// A destination chosen in one language keeps its entries in another: the filter held the
    /// words it was chosen in, and after a switch to Chinese it kept nothing.
    #[test]
    fn a_destination_filter_holds_across_a_change_of_language() {
        let history = [HistoryEntry {
            time: 1,
            status: Some(200),
            route: Some(crate::client::TargetLabel::Simulator {
                environment: crate::apns::Environment::Sandbox,
                addr: "127.0.0.1:2197".parse().unwrap(),
            }),
            ..HistoryEntry::default()
        }];
        set_language(Language::English);
        let (key, words) = destination_choices(&history).remove(0);
        assert!(words.starts_with("local simulator"), "{words}");
        let dash = Dashboard {
            destination: Some(key),
            ..Dashboard::default()
        };
        set_language(Language::ChineseSimplified);
        assert!(destination_choices(&history)[0].1.starts_with("本地模拟器"));
        assert_eq!(dash.tally(&history).entries, 1);
        set_language(Language::English);
    }
}
