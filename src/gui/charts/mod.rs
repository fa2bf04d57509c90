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
use egui_plot::{Legend, Plot, PlotUi};

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
    let p = Palette::of(ui);
    ui.label(RichText::new(title).strong());
    let response = Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .x_axis_label(axes.0)
        .y_axis_label(axes.1)
        .legend(Legend::default())
        .show(ui, build)
        .response;
    let name = format!("{title}: {summary}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &name));
    ui.label(RichText::new(summary).small().color(p.muted));
    response
}
