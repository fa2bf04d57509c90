use egui::FontId;
use egui::text::{LayoutJob, TextFormat};

use crate::gui::theme::Syntax;

/// A multi-line JSON editor with syntax colours; `error_line` (1-based) gets a red background.
/// Returns the text field's response (labelled by `label`).
pub fn json_editor(
    ui: &mut egui::Ui,
    label: &egui::Response,
    text: &mut String,
    error_line: Option<usize>,
    rows: usize,
) -> egui::Response {
    let syntax = Syntax::of(ui);
    let font = FontId::monospace(13.0);
    let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, wrap_width: f32| {
        let mut job = highlight(buffer.as_str(), &syntax, &font, error_line);
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    ui.add(
        egui::TextEdit::multiline(text)
            .code_editor()
            .desired_rows(rows)
            .desired_width(f32::INFINITY)
            .layouter(&mut layouter),
    )
    .labelled_by(label.id)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Key,
    String,
    Number,
    Literal,
    Punctuation,
    Space,
}

/// Colours `text` as JSON. Never fails: text that is not JSON is coloured as far as it looks
/// like JSON.
fn highlight(text: &str, syntax: &Syntax, font: &FontId, error_line: Option<usize>) -> LayoutJob {
    let mut job = LayoutJob::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut line = 1;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
                let rest = text[i..].trim_start_matches([' ', '\t']);
                if rest.starts_with(':') {
                    Kind::Key
                } else {
                    Kind::String
                }
            }
            b'-' | b'0'..=b'9' => {
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                Kind::Number
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                Kind::Literal
            }
            b' ' | b'\t' | b'\r' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r') {
                    i += 1;
                }
                Kind::Space
            }
            b'\n' => {
                i += 1;
                Kind::Space
            }
            _ => {
                // One character (which may be several bytes).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Punctuation
            }
        };
        // Strings may hold multi-byte characters: end on a char boundary.
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        let color = match kind {
            Kind::Key => syntax.key,
            Kind::String => syntax.string,
            Kind::Number => syntax.number,
            Kind::Literal => syntax.literal,
            Kind::Punctuation | Kind::Space => syntax.punctuation,
        };
        let mut format = TextFormat::simple(font.clone(), color);
        if error_line == Some(line) {
            format.background = syntax.error_line;
        }
        job.append(&text[start..i], 0.0, format);
        line += text[start..i].matches('\n').count();
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_cover_the_whole_text() {
        let syntax = Syntax {
            key: egui::Color32::RED,
            string: egui::Color32::GREEN,
            number: egui::Color32::BLUE,
            literal: egui::Color32::YELLOW,
            punctuation: egui::Color32::GRAY,
            error_line: egui::Color32::BLACK,
        };
        let text = "{\n  \"aps\": {\"badge\": 1, \"ok\": true, \"é\": \"ü\\\"x\"}\n}";
        let job = highlight(text, &syntax, &FontId::monospace(12.0), Some(2));
        assert_eq!(job.text, text);
        let key = job
            .sections
            .iter()
            .find(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0] == "\"aps\"")
            .unwrap();
        assert_eq!(key.format.color, egui::Color32::RED);
        assert_eq!(key.format.background, egui::Color32::BLACK);
    }
}
