use std::time::Duration;

use egui::{Sense, Shape, Stroke, vec2};

/// A spinner that asks for its next frame within `every`, not at once. egui's own asks for a
/// frame as soon as one is drawn, so while it shows the window is redrawn as fast as it can
/// be; beside a running batch, whose figures also ask for frames, that was about 40 frames a
/// second of work for the renderer and the X server, and a turning arc reads the same at 30.
/// Screen readers hear a progress indicator, as egui's says.
pub fn paced_spinner(ui: &mut egui::Ui, every: Duration) -> egui::Response {
    let size = ui.style().spacing.interact_size.y;
    let (rect, response) = ui.allocate_exact_size(vec2(size, size), Sense::hover());
    response.widget_info(|| egui::WidgetInfo::new(egui::Role::ProgressIndicator));
    if ui.is_rect_visible(rect) {
        ui.ctx().request_repaint_after(every);
        let radius = rect.height().min(rect.width()) * 0.5 - 2.0;
        let time = ui.input(|i| i.time);
        // A 240° arc at most, turning once a second and breathing with sin(t).
        let start = time * std::f64::consts::TAU;
        let sweep = 240f64.to_radians() * time.sin();
        let points = (0..=24)
            .map(|i| {
                let angle = start + sweep * f64::from(i) / 24.0;
                let (sin, cos) = angle.sin_cos();
                rect.center() + radius * vec2(cos as f32, sin as f32)
            })
            .collect();
        let color = ui.visuals().strong_text_color();
        ui.painter()
            .add(Shape::line(points, Stroke::new(3.0, color)));
    }
    response
}
