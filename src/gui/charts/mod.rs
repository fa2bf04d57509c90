//! Charts where people would rather look than read: a batch over time (throughput, outcomes,
//! latency percentiles, retries), the latency measurement as a histogram (two runs side by
//! side), the History dashboard, and the simulator's traffic. Drawn with `egui_plot`; each
//! chart is named for screen readers with a sentence of what it shows, and its data can be
//! saved as CSV. The numbers come from the library (`client::Timeline`, `client::Latency`).

mod batch;
mod export;
mod history;
mod latency;
mod picture;
mod simulator;

pub use batch::{KEPT_POINTS, TimelinePoint, batch_charts, points_csv, points_of};
pub use export::{ChartExport, ChartId};
pub use history::{Dashboard, dashboard_ui};
pub use latency::{latency_chart, latency_csv};
pub use picture::{PictureRequest, Pictures, crop, encode_png};
pub use simulator::{TrafficSamples, traffic_chart};

use egui::RichText;
use egui_plot::{Corner, Legend, Plot, PlotUi};

use crate::gui::theme::Palette;

/// Height of one chart.
const CHART_HEIGHT: f32 = 150.0;

/// A chart: its title, the plot (no zoom, drag or wheel: the wheel scrolls the page), and the
/// sentence a screen reader hears for it, also shown under it.
pub(crate) fn chart(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    summary: &str,
    axes: (&str, &str),
    build: impl FnOnce(&mut PlotUi<'_>),
) -> egui::Response {
    chart_with(ui, id, (title, summary), axes, Layout::default(), build)
}

/// What a chart over time shows beyond its data.
#[derive(Clone, Copy)]
pub(crate) enum Span {
    /// A batch's rates, from its start (0 s) to `end`: a batch of one interval was a lone dot
    /// on an axis centred on it, with negative seconds to its left.
    Batch(f64),
    /// Running totals from 0 s to `end`: they rise to the right, so the legend goes top left,
    /// where it covers no line (top right it sat on the lines' ends, the latest figures).
    Totals(f64),
    /// Rates that may have nothing to show yet, to `end`: at least a second and one per
    /// second, where an empty chart was drawn from -0.00000001 to 0.00000001.
    Rates(f64),
}

/// A [`chart`] over time, framed by `span`.
pub(crate) fn time_chart(
    ui: &mut egui::Ui,
    id: &str,
    texts: (&str, &str),
    axes: (&str, &str),
    span: Span,
    build: impl FnOnce(&mut PlotUi<'_>),
) -> egui::Response {
    let layout = match span {
        Span::Batch(end) => Layout {
            x_span: Some((0.0, end)),
            ..Layout::default()
        },
        Span::Totals(end) => Layout {
            legend: Corner::LeftTop,
            x_span: Some((0.0, end)),
            ..Layout::default()
        },
        Span::Rates(end) => Layout {
            x_span: Some((0.0, end.max(1.0))),
            y_top: Some(1.0),
            ..Layout::default()
        },
    };
    chart_with(ui, id, texts, axes, layout, build)
}

/// A chart whose x positions 0, 1, 2, … are categories, labelled under the axis with their
/// names (shortened) rather than numbers.
pub(crate) fn category_chart(
    ui: &mut egui::Ui,
    id: &str,
    (title, summary): (&str, &str),
    axes: (&str, &str),
    categories: Vec<String>,
    build: impl FnOnce(&mut PlotUi<'_>),
) -> egui::Response {
    let layout = Layout {
        categories: Some(categories),
        ..Layout::default()
    };
    chart_with(ui, id, (title, summary), axes, layout, build)
}

/// How a chart is laid out beyond its data.
struct Layout {
    /// Names under the x positions 0, 1, 2, …, for a chart of categories.
    categories: Option<Vec<String>>,
    legend: Corner,
    /// The x range always shown, whatever the data's own.
    x_span: Option<(f64, f64)>,
    /// A value the y axis always reaches.
    y_top: Option<f64>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            categories: None,
            legend: Corner::RightTop,
            x_span: None,
            y_top: None,
        }
    }
}

fn chart_with(
    ui: &mut egui::Ui,
    id: &str,
    (title, summary): (&str, &str),
    axes: (&str, &str),
    layout: Layout,
    build: impl FnOnce(&mut PlotUi<'_>),
) -> egui::Response {
    let p = Palette::of(ui);
    ui.label(RichText::new(title).strong());
    let mut plot = Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .x_axis_label(axes.0)
        .y_axis_label(axes.1)
        // Every chart here counts or times something: its axis starts at nothing, so a
        // difference of 2 % is not drawn as a cliff.
        .include_y(0.0)
        .y_grid_spacer(value_marks)
        .y_axis_formatter(|mark, _| value_label(mark.value, mark.step_size))
        .legend(Legend::default().position(layout.legend));
    if let Some((from, to)) = layout.x_span {
        plot = plot.include_x(from).include_x(to);
    }
    if let Some(top) = layout.y_top {
        plot = plot.include_y(top);
    }
    if let Some(names) = layout.categories {
        let count = names.len();
        plot = plot
            .x_grid_spacer(move |input| category_marks(input.bounds, count))
            .x_axis_formatter(move |mark, _| category_label(&names, mark.value));
    }
    let response = plot.show(ui, build).response;
    let name = format!("{title}: {summary}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &name));
    ui.label(RichText::new(summary).small().color(p.muted));
    response
}

/// Marks on a value axis at 1, 2 or 5 × 10ⁿ, labelled ones at least 24 points apart, with a
/// line between them. egui_plot's own steps are powers of ten: on a chart 110 points high
/// from 0 to 58,000/s only 0 was labelled (10,000 apart is 18 points, under what it labels,
/// and 100,000 is off the chart), so the axis gave no scale at all.
fn value_marks(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (low, high) = input.bounds;
    // `base_step_size` is the value 8 points span.
    let major = nice_step(input.base_step_size * 3.0);
    if !(major.is_finite() && major > 0.0 && low.is_finite() && high.is_finite()) {
        return Vec::new();
    }
    let minor = major / 2.0;
    let first = (low / minor).ceil() as i64;
    let last = (high / minor).floor() as i64;
    if last - first > 1_000 {
        return Vec::new();
    }
    (first..=last)
        .map(|i| egui_plot::GridMark {
            value: i as f64 * minor,
            step_size: if i % 2 == 0 { major } else { minor },
        })
        .collect()
}

/// A value axis label: whole numbers with their thousands grouped (100,000, not 100000), as
/// the sentences under the charts write them; fractions with as many decimals as the step.
fn value_label(value: f64, step: f64) -> String {
    if value.fract() == 0.0 && (0.0..1e15).contains(&value) {
        return crate::gui::widgets::group_digits(value as u64);
    }
    let decimals = if step > 0.0 && step < 1.0 {
        (-step.log10().floor()) as usize
    } else {
        0
    };
    format!("{value:.decimals$}")
}

/// The smallest of 1, 2 or 5 × 10ⁿ that is at least `at_least`.
fn nice_step(at_least: f64) -> f64 {
    if !(at_least.is_finite() && at_least > 0.0) {
        return f64::NAN;
    }
    let power = 10f64.powf(at_least.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= at_least * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// A mark at each category's position inside the visible range; every second, third, … one
/// when more than a dozen would crowd their labels.
fn category_marks((low, high): (f64, f64), count: usize) -> Vec<egui_plot::GridMark> {
    let shown = (0..count)
        .filter(|&i| (i as f64) >= low && (i as f64) <= high)
        .count();
    let step = shown.div_ceil(12).max(1);
    (0..count)
        .step_by(step)
        .map(|i| i as f64)
        .filter(|&x| x >= low && x <= high)
        .map(|value| egui_plot::GridMark {
            value,
            step_size: step as f64,
        })
        .collect()
}

/// The name at `value` when it is a category's position, shortened to fit under a bar.
fn category_label(names: &[String], value: f64) -> String {
    const LONGEST: usize = 14;
    let i = value.round();
    if !value.is_finite() || (value - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    names
        .get(i as usize)
        .map(|name| {
            if name.chars().count() > LONGEST {
                let short: String = name.chars().take(LONGEST - 1).collect();
                format!("{short}…")
            } else {
                name.clone()
            }
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_labels_group_thousands_and_keep_the_steps_decimals() {
        assert_eq!(value_label(100_000.0, 25_000.0), "100,000");
        assert_eq!(value_label(0.0, 0.2), "0");
        assert_eq!(value_label(0.4, 0.2), "0.4");
        assert_eq!(value_label(0.05, 0.05), "0.05");
    }

    #[test]
    fn value_axes_step_by_one_two_or_five() {
        assert_eq!(nice_step(1_600.0), 2_000.0);
        assert_eq!(nice_step(2_000.0), 2_000.0);
        assert_eq!(nice_step(3.1), 5.0);
        assert_eq!(nice_step(0.07), 0.1);
        assert!(nice_step(0.0).is_nan());
        // 0 to 61,000 on 110 points (8 points are 4,436): labels every 20,000, 40 points
        // apart, a line between.
        let marks = value_marks(egui_plot::GridInput {
            bounds: (0.0, 61_000.0),
            base_step_size: 61_000.0 / 110.0 * 8.0,
        });
        let labelled: Vec<f64> = marks
            .iter()
            .filter(|m| m.step_size == 20_000.0)
            .map(|m| m.value)
            .collect();
        assert_eq!(labelled, vec![0.0, 20_000.0, 40_000.0, 60_000.0]);
        assert_eq!(marks.len(), 7);
        assert!(
            value_marks(egui_plot::GridInput {
                bounds: (f64::NAN, 1.0),
                base_step_size: 1.0
            })
            .is_empty()
        );
    }

    #[test]
    fn categories_are_named_under_their_bars_and_nowhere_else() {
        let names = vec![
            "Unregistered".to_owned(),
            "BadDeviceTokenForTopic".to_owned(),
        ];
        assert_eq!(category_label(&names, 0.0), "Unregistered");
        assert_eq!(category_label(&names, 1.0), "BadDeviceToke…");
        for between in [0.5, -1.0, 2.0, f64::NAN] {
            assert_eq!(category_label(&names, between), "", "{between}");
        }
        let marks: Vec<f64> = category_marks((-0.5, 1.5), 2)
            .iter()
            .map(|m| m.value)
            .collect();
        assert_eq!(marks, [0.0, 1.0]);
        // Sixty days: every fifth labelled.
        assert_eq!(category_marks((-0.5, 59.5), 60).len(), 12);
    }
}
