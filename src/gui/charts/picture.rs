//! Saving a chart as a picture (PNG): the window's next frame is captured by the renderer
//! (egui's screenshot request), the chart's rectangle cut out of it, and the PNG encoded and
//! written on the worker. The picture is what the user sees, theme and language included.

use std::path::PathBuf;
use std::sync::{Arc, mpsc};

use super::ChartId;

/// A chart picture asked for: which chart, where it goes, and where it was on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct PictureRequest {
    /// The chart to save.
    pub chart: ChartId,
    /// The PNG file to write.
    pub path: PathBuf,
    /// In points, as the chart was laid out on the frame that asked.
    pub rect: egui::Rect,
}

/// Screenshots asked for and not yet arrived.
pub struct Pictures {
    tx: mpsc::Sender<(PictureRequest, Arc<egui::ColorImage>)>,
    rx: mpsc::Receiver<(PictureRequest, Arc<egui::ColorImage>)>,
}

impl Default for Pictures {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Pictures { tx, rx }
    }
}

impl Pictures {
    /// Asks the renderer for the window's picture; it arrives through [`Self::arrived`].
    pub fn request(&self, ctx: &egui::Context, request: PictureRequest) {
        let tx = self.tx.clone();
        let wake = ctx.clone();
        ctx.request_screenshot(move |image| {
            let _ = tx.send((request, image));
            wake.request_repaint();
        });
    }

    /// Pictures that arrived since the last frame.
    pub fn arrived(&self) -> Vec<(PictureRequest, Arc<egui::ColorImage>)> {
        self.rx.try_iter().collect()
    }
}

/// The part of `window` (a screenshot, in physical pixels) that `rect` (in points) covers,
/// cut to the window: a chart partly scrolled out of view gives the part that was shown.
/// `None` when nothing of it was on screen.
pub fn crop(
    window: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
) -> Option<egui::ColorImage> {
    let [width, height] = window.size;
    let to_px = |v: f32, max: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(max);
    let (x0, x1) = (to_px(rect.min.x, width), to_px(rect.max.x, width));
    let (y0, y1) = (to_px(rect.min.y, height), to_px(rect.max.y, height));
    if x1 <= x0 || y1 <= y0 || !rect.is_finite() {
        return None;
    }
    Some(window.region_by_pixels([x0, y0], [x1 - x0, y1 - y0]))
}

/// The picture as PNG bytes (8-bit RGBA).
pub fn encode_png(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let too_big = |_| "the picture is too large for PNG".to_owned();
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(
            &mut out,
            u32::try_from(width).map_err(too_big)?,
            u32::try_from(height).map_err(too_big)?,
        );
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        let rgba: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(|c| c.to_srgba_unmultiplied())
            .collect();
        writer.write_image_data(&rgba).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, Rect, pos2};

    /// A 20×10 window at 2 pixels per point, red where the chart is (points 2..6 × 1..4).
    fn window() -> egui::ColorImage {
        let (w, h) = (20, 10);
        let pixels = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                if (4..12).contains(&x) && (2..8).contains(&y) {
                    Color32::RED
                } else {
                    Color32::BLUE
                }
            })
            .collect();
        egui::ColorImage::new([w, h], pixels)
    }

    #[test]
    fn the_chart_is_cut_out_at_the_screen_scale() {
        let chart = crop(
            &window(),
            Rect::from_min_max(pos2(2.0, 1.0), pos2(6.0, 4.0)),
            2.0,
        )
        .unwrap();
        assert_eq!(chart.size, [8, 6]);
        assert!(chart.pixels.iter().all(|&c| c == Color32::RED));
    }

    #[test]
    fn a_chart_partly_out_of_view_gives_what_was_shown_and_never_panics() {
        let part = crop(
            &window(),
            Rect::from_min_max(pos2(8.0, 3.0), pos2(40.0, 40.0)),
            2.0,
        )
        .unwrap();
        assert_eq!(part.size, [4, 4]);
        for rect in [
            Rect::from_min_max(pos2(30.0, 30.0), pos2(40.0, 40.0)),
            Rect::from_min_max(pos2(-9.0, -9.0), pos2(-1.0, -1.0)),
            Rect::NOTHING,
            Rect::from_min_max(pos2(f32::NAN, 0.0), pos2(1.0, 1.0)),
        ] {
            assert!(crop(&window(), rect, 2.0).is_none(), "{rect:?}");
        }
    }

    #[test]
    fn the_png_reads_back_as_the_picture() {
        let picture = window();
        let bytes = encode_png(&picture).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (20, 10));
        // The first pixel is blue, the pixel at (4, 2) red.
        assert_eq!(&buf[..4], &[0, 0, 255, 255]);
        let at = (2 * 20 + 4) * 4;
        assert_eq!(&buf[at..at + 4], &[255, 0, 0, 255]);
    }
}
