//! The Live Activity card of Compose: start, update or end one activity, its content state as
//! rows or as JSON, the attributes of a start, the alert and the dates. Every change is written
//! into the payload through [`crate::apns::LiveActivityPush`].

use egui::{RichText, TextEdit};

use super::ComposePanel;
use super::live::{FieldNames, LiveComposer, Row};
use crate::apns::{DeviceToken, LiveActivityEvent};
use crate::gui::i18n::msg;
use crate::gui::state::State;
use crate::gui::theme::{self, ITEM_GAP, Palette};
use crate::gui::widgets::notice;

/// Gives a widget the name a person would say when its visible text is not enough.
fn name(ui: &egui::Ui, response: &egui::Response, name: &str) {
    let _ = ui
        .ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(name));
}

/// Name/value rows; true when one changed. `names` gives a row's two field names and its
/// remove button's.
fn rows_ui(
    ui: &mut egui::Ui,
    id: &str,
    rows: &mut Vec<Row>,
    names: impl Fn(usize) -> [String; 3],
) -> bool {
    let mut changed = false;
    let mut remove = None;
    // A row just added takes the keyboard (its index, set by the Add button).
    let focus_key = egui::Id::unique((id, "focus-new-row"));
    let focus_new = ui.data_mut(|d| d.remove_temp::<usize>(focus_key));
    for (i, row) in rows.iter_mut().enumerate() {
        let [field, value, drop] = names(i + 1);
        ui.push_id((id, i), |ui| {
            ui.horizontal(|ui| {
                let r = ui.add(
                    TextEdit::singleline(&mut row.name)
                        .hint_text(msg::compose_la_name_hint())
                        .desired_width(130.0),
                );
                if focus_new == Some(i) {
                    r.request_focus();
                }
                name(ui, &r, &field);
                changed |= r.changed();
                let r = ui.add(
                    TextEdit::singleline(&mut row.value)
                        .hint_text(msg::compose_la_value_hint())
                        .desired_width((ui.available_width() - 48.0).max(120.0)),
                );
                name(ui, &r, &value);
                changed |= r.changed();
                let r = ui.small_button("✖");
                name(ui, &r, &drop);
                if r.clicked() {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        rows.remove(i);
        changed = true;
    }
    changed
}

/// A one-line field with a label; true when it changed.
fn field(ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str) -> bool {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
        .changed()
    })
    .inner
}

/// A date field: Unix seconds as Apple wants them, or a date typed as `YYYY-MM-DD HH:MM`
/// (UTC), turned into seconds; the date it means is shown beside it, with "+1 h".
fn date_field(ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str) -> bool {
    let mut changed = ui
        .horizontal(|ui| {
            let l = ui.label(label);
            let mut changed = ui
                .add(
                    TextEdit::singleline(text)
                        .hint_text(hint)
                        .desired_width(130.0),
                )
                .labelled_by(l.id)
                .changed();
            if ui.small_button(msg::compose_la_plus_hour()).clicked() {
                let base = text
                    .trim()
                    .parse::<i64>()
                    .unwrap_or_else(|_| time::OffsetDateTime::now_utc().unix_timestamp());
                *text = (base + 3600).to_string();
                changed = true;
            }
            changed
        })
        .inner;
    if let Some(seconds) = typed_date(text) {
        *text = seconds.to_string();
        changed = true;
    }
    if let Ok(seconds) = text.trim().parse::<i64>()
        && let Ok(at) = time::OffsetDateTime::from_unix_timestamp(seconds)
    {
        let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
        if let Ok(date) = at.format(&format) {
            ui.label(
                RichText::new(msg::compose_la_date_is(date))
                    .small()
                    .color(Palette::of(ui).muted),
            );
        }
    }
    changed
}

/// `YYYY-MM-DD HH:MM` (or with `T`, or with seconds), read as UTC.
fn typed_date(text: &str) -> Option<i64> {
    let text = text.trim().replace('T', " ");
    let with_seconds =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let without = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let at = time::PrimitiveDateTime::parse(&text, &with_seconds)
        .or_else(|_| time::PrimitiveDateTime::parse(&text, &without))
        .ok()?;
    Some(at.assume_utc().unix_timestamp())
}

impl ComposePanel {
    pub(super) fn live_card(&mut self, ui: &mut egui::Ui, state: &mut State) {
        if self.live.read_from.as_deref() != Some(state.compose.payload.as_str()) {
            self.live.read(&state.compose.payload);
            // A template or a payload typed by hand may change the step.
            self.route_live_token(state);
        }
        let p = Palette::of(ui);
        let names = FieldNames::new();
        let mut changed = false;
        let mut event_changed = false;
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::compose_la_heading()).strong().size(16.0));
            ui.label(
                RichText::new(msg::compose_la_intro())
                    .small()
                    .color(p.muted),
            );
            ui.add_space(ITEM_GAP);
            let live = &mut self.live;
            event_changed = step_row(ui, live);
            if live.event == LiveActivityEvent::Start {
                changed |= attributes_section(ui, live);
            }
            ui.add_space(ITEM_GAP);
            changed |= content_state_section(ui, live, p);
            ui.add_space(ITEM_GAP);
            changed |= alert_and_dates(ui, live, &names);
            if let Some(error) = &live.error {
                notice(ui, "✖", error, p.bad);
            }
            let route = self.route_line(state);
            if let Some(line) = route {
                ui.label(RichText::new(line).small().color(p.muted));
            }
            if let Some(f) = self.followed_now(state) {
                let short = DeviceToken::parse(&f.update)
                    .map(|t| t.short())
                    .unwrap_or_else(|_| f.update.clone());
                let line = match &f.device {
                    Some(name) => msg::compose_la_followed_saved(name.as_str(), short),
                    None => msg::compose_la_followed(short),
                };
                notice(ui, "ℹ", &line, p.neutral);
            } else if self.live.event != LiveActivityEvent::Start && self.to_start_token(state) {
                notice(ui, "⚠", &msg::compose_la_update_to_start_token(), p.warning);
            }
        });
        if changed || event_changed {
            self.live.write(&mut state.compose, &names);
        }
        if event_changed {
            self.route_live_token(state);
        }
    }

    /// The token typed is a push-to-start token: a saved device's, or the one a start APNs
    /// accepted went to (at Apple too, where no one tells Compose the activity's token).
    fn to_start_token(&self, state: &State) -> bool {
        let Ok(typed) = DeviceToken::parse(&state.compose.token) else {
            return false;
        };
        let is = |text: Option<&str>| {
            text.and_then(|s| DeviceToken::parse(s).ok())
                .is_some_and(|s| s == typed)
        };
        state
            .devices
            .iter()
            .any(|d| d.push_to_start_token.as_ref() == Some(&typed))
            || is(self.followed.as_ref().and_then(|f| f.start.as_deref()))
            || is(self.started_at.as_deref())
    }

    /// Which saved token this step goes to, when the device has one.
    fn route_line(&self, state: &State) -> Option<String> {
        let typed = DeviceToken::parse(&state.compose.token).ok()?;
        let device = state.devices.find_any(&typed)?;
        let name = device.name.as_str();
        if device.push_to_start_token.as_ref() == Some(&typed) {
            Some(msg::compose_la_to_push_to_start(name))
        } else if device.activity_token.as_ref() == Some(&typed) {
            Some(msg::compose_la_to_activity(name))
        } else {
            None
        }
    }
}

/// Start, update or end; true when the step changed.
fn step_row(ui: &mut egui::Ui, live: &mut LiveComposer) -> bool {
    let mut event_changed = false;
    ui.horizontal(|ui| {
        ui.label(msg::compose_la_step());
        for (event, label) in [
            (LiveActivityEvent::Start, msg::compose_la_start()),
            (LiveActivityEvent::Update, msg::compose_la_update()),
            (LiveActivityEvent::End, msg::compose_la_end()),
        ] {
            if ui.selectable_value(&mut live.event, event, label).changed() {
                event_changed = true;
            }
        }
    });
    event_changed
}

/// A start's attributes type and attribute rows; true when one changed.
fn attributes_section(ui: &mut egui::Ui, live: &mut LiveComposer) -> bool {
    let mut changed = field(
        ui,
        &msg::compose_la_attributes_type(),
        &mut live.attributes_type,
        "DeliveryAttributes",
    );
    ui.label(msg::compose_la_attributes());
    changed |= rows_ui(ui, "la-attributes", &mut live.attributes, |n| {
        [
            msg::compose_la_attribute_name(n),
            msg::compose_la_attribute_value(n),
            msg::compose_la_remove_attribute(n),
        ]
    });
    add_row_button(
        ui,
        "la-attributes",
        &mut live.attributes,
        msg::compose_la_add_attribute(),
    );
    changed |= ui
        .checkbox(
            &mut live.input_push_token,
            msg::compose_la_input_push_token(),
        )
        .changed();
    changed |= field(
        ui,
        &msg::compose_la_input_push_channel(),
        &mut live.input_push_channel,
        &msg::compose_la_input_push_channel_hint(),
    );
    changed
}

/// The content state, as rows or as raw JSON, with the switch between them; true when it
/// changed.
fn content_state_section(ui: &mut egui::Ui, live: &mut LiveComposer, p: Palette) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.label(msg::compose_la_content_state());
        let mut raw = live.raw;
        if ui.checkbox(&mut raw, msg::compose_la_raw_json()).changed() {
            live.set_raw(raw);
            changed = true;
        }
    });
    if live.raw {
        let label = ui.label(RichText::new(msg::compose_la_content_json()).color(p.muted));
        changed |= ui
            .add(
                TextEdit::multiline(&mut live.raw_text)
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .changed();
    } else {
        changed |= rows_ui(ui, "la-content", &mut live.content, |n| {
            [
                msg::compose_la_field_name(n),
                msg::compose_la_field_value(n),
                msg::compose_la_remove_field(n),
            ]
        });
        add_row_button(
            ui,
            "la-content",
            &mut live.content,
            msg::compose_la_add_field(),
        );
    }
    changed
}

/// An Add button under [`rows_ui`]'s rows: the new row takes the keyboard on the next frame.
fn add_row_button(ui: &mut egui::Ui, id: &str, rows: &mut Vec<Row>, label: String) {
    if ui.small_button(label).clicked() {
        rows.push(Row::default());
        let at = rows.len() - 1;
        ui.data_mut(|d| {
            d.insert_temp(egui::Id::unique((id, "focus-new-row")), at);
        });
    }
}

/// The alert, relevance, stale and dismissal dates and the timestamp; true when one changed.
fn alert_and_dates(ui: &mut egui::Ui, live: &mut LiveComposer, names: &FieldNames) -> bool {
    let mut changed = field(
        ui,
        &msg::compose_la_alert_title(),
        &mut live.alert_title,
        &msg::compose_optional(),
    );
    changed |= field(
        ui,
        &msg::compose_la_alert_body(),
        &mut live.alert_body,
        &msg::compose_optional(),
    );
    // In a Live Activity's alert, beside its title and body; not `aps.sound`.
    changed |= field(
        ui,
        &msg::compose_la_alert_sound(),
        &mut live.alert_sound,
        "default",
    );
    changed |= field(
        ui,
        &names.relevance,
        &mut live.relevance_score,
        &msg::compose_la_relevance_hint(),
    );
    let in_an_hour = (time::OffsetDateTime::now_utc().unix_timestamp() + 3600).to_string();
    changed |= date_field(ui, &names.stale, &mut live.stale_date, &in_an_hour);
    if live.event == LiveActivityEvent::End {
        changed |= date_field(
            ui,
            &names.dismissal,
            &mut live.dismissal_date,
            &msg::compose_la_dismissal_hint(),
        );
    }
    ui.horizontal(|ui| {
        let l = ui.label(&names.timestamp);
        changed |= ui
            .add_enabled(
                !live.timestamp_now,
                TextEdit::singleline(&mut live.timestamp).desired_width(110.0),
            )
            .labelled_by(l.id)
            .changed();
        changed |= ui
            .checkbox(&mut live.timestamp_now, msg::compose_la_timestamp_now())
            .changed();
    });
    changed
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_typed_date_becomes_unix_seconds() {
        assert_eq!(super::typed_date("2026-12-06 09:30"), Some(1_796_549_400));
        assert_eq!(
            super::typed_date("2026-12-06T09:30:00"),
            Some(1_796_549_400)
        );
        assert_eq!(super::typed_date("1796549400"), None);
        assert_eq!(super::typed_date("tomorrow"), None);
    }
}
