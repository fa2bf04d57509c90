//! "Measure latency": the connection check's probe sent N times, one after another, on one
//! connection, with the round trips' p50 / p95 / p99 (what `pushlab check --repeat N` prints).

use super::*;
use crate::client::Latency;
use crate::gui::i18n::msg;

/// How many probes one measurement sends.
pub const PROBES: usize = 20;

impl ConnectionPanel {
    /// Starts a measurement of `plan`'s round trips.
    pub fn start_latency(&mut self, plan: Result<Plan, String>, worker: &Worker) {
        // The run before stays on the chart, to compare (direct and proxied, 443 and 2197).
        if let Some(Ok(before)) = self.latency_result.take() {
            self.previous_latency = Some((std::mem::take(&mut self.measured_label), before));
        }
        self.measured_with = None;
        let plan = match plan {
            Ok(plan) => plan,
            Err(e) => {
                self.latency_result = Some(Err(crate::gui::JobError::Message(e)));
                return;
            }
        };
        self.measured_with = Some(ResultOrigin::new(plan.made_with(), 0));
        self.measured_label = format!(
            "{} · {}",
            crate::gui::i18n::destination(&plan.route.target),
            plan.credential_label
        );
        self.latency = worker.run_async(move |_| async move {
            let target = plan.target().await?;
            let topic = plan
                .route
                .bundle_id
                .clone()
                .or_else(|| plan.route.auth.default_topic());
            client::measure_latency(
                &target,
                &plan.route.auth,
                topic.as_deref(),
                PROBES,
                Duration::from_secs(10),
            )
            .await
            .map_err(crate::gui::JobError::Message)
        });
    }

    pub(super) fn poll_latency(&mut self) {
        if self.latency.poll() {
            self.latency_result = self.latency.take_finished();
        }
    }

    pub(super) fn latency_card(
        &mut self,
        ui: &mut egui::Ui,
        now: Option<&ResultOrigin>,
        commands: &mut Vec<Command>,
    ) {
        let p = Palette::of(ui);
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(msg::connection_latency_heading()).strong());
            ui.label(RichText::new(msg::connection_latency_intro(PROBES)).color(p.muted));
            ui.horizontal(|ui| {
                let running = self.latency.is_running();
                if ui
                    .add_enabled(
                        !running,
                        egui::Button::new(msg::connection_latency_measure()),
                    )
                    .clicked()
                {
                    commands.push(Command::MeasureLatency);
                }
                if running {
                    ui.spinner();
                    ui.label(msg::connection_latency_measuring());
                }
            });
            if let Some(origin) = &self.measured_with
                && self.latency_result.is_some()
                && !self.latency.is_running()
                && !origin.is_current(now)
            {
                // Measured on another route: its figures say nothing of this one.
                stale_notice(ui, origin);
                return;
            }
            match &self.latency_result {
                Some(Ok(l)) => {
                    latency_ui(ui, l);
                    ui.add_space(ITEM_GAP);
                    let before = self
                        .previous_latency
                        .as_ref()
                        .map(|(with, b)| (with.as_str(), b));
                    let picture = ui
                        .scope(|ui| crate::gui::charts::latency_chart(ui, l, before))
                        .response
                        .rect;
                    let csv = crate::gui::charts::latency_csv(l, before);
                    self.chart_export
                        .get_or_insert_with(|| {
                            crate::gui::charts::ChartExport::new("~/pushlab-latency.csv")
                        })
                        .ui(
                            ui,
                            crate::gui::charts::ChartId::Latency,
                            picture,
                            || csv,
                            commands,
                        );
                }
                Some(Err(e)) => {
                    notice(ui, "⚠", &e.text(), p.bad);
                }
                None => {}
            }
        });
    }
}

fn latency_ui(ui: &mut egui::Ui, l: &Latency) {
    let ms = |v: f64| format!("{} ms", crate::gui::widgets::millis(v));
    ui.label(
        RichText::new(msg::connection_latency_percentiles(
            ms(l.p50_ms),
            ms(l.p95_ms),
            ms(l.p99_ms),
        ))
        .strong(),
    );
    ui.label(msg::connection_latency_range(
        l.requests,
        ms(l.max_ms),
        ms(l.min_ms),
    ));
}
