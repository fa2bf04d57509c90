//! Every colour, size and gap the app uses, for dark and light mode. Panels ask for
//! `Palette::of(ui)` and the spacing constants; they never write a colour literal.

use egui::{Color32, CornerRadius, Margin, Stroke, Theme, ThemePreference, Vec2};
use serde::{Deserialize, Serialize};

use crate::gui::i18n::msg;

/// The primary action of a screen (Send, Send batch): filled with the brand colour, so it
/// is told from the grey buttons around it.
pub fn primary_button(ui: &egui::Ui, text: impl Into<String>) -> egui::Button<'static> {
    let p = Palette::of(ui);
    egui::Button::new(
        egui::RichText::new(text.into())
            .strong()
            .color(Color32::WHITE),
    )
    .fill(p.brand)
}

/// Gap between groups of controls.
pub const SECTION_GAP: f32 = 14.0;
/// Gap between related controls.
pub const ITEM_GAP: f32 = 6.0;
/// Width of the navigation column.
pub const NAV_WIDTH: f32 = 190.0;
/// Width of the credential list column.
pub const LIST_WIDTH: f32 = 330.0;
/// The narrowest a chosen entry (a credential, a History entry) is drawn beside its list: its
/// cards, key–value rows and charts need about this much. Below it the list goes above it.
pub const DETAIL_MIN_WIDTH: f32 = 420.0;
/// Inner margin of cards.
pub const CARD_MARGIN: i8 = 12;
/// Rounding of cards, chips and badges.
pub const RADIUS: u8 = 6;
/// Width of the label column in key–value rows.
pub const LABEL_WIDTH: f32 = 130.0;
/// Smallest window that still shows the list and the detail card side by side.
pub const MIN_WINDOW: Vec2 = Vec2::new(860.0, 560.0);
/// First-start window size.
pub const START_WINDOW: Vec2 = Vec2::new(1180.0, 760.0);

/// The brand colour of the icon, also used for selections in dark mode.
const BRAND: Color32 = Color32::from_rgb(0x2f, 0x6f, 0xeb);
/// Selections in light mode: a pale brand fill with dark brand text and focus outlines.
const BRAND_PALE: Color32 = Color32::from_rgb(0xd6, 0xe4, 0xfd);
const BRAND_DARK: Color32 = Color32::from_rgb(0x1d, 0x4e, 0xb0);

/// The user's choice in Settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Appearance {
    /// Follow the desktop's dark/light setting.
    #[default]
    System,
    /// Light, whatever the desktop says.
    Light,
    /// Dark, whatever the desktop says.
    Dark,
}

impl Appearance {
    /// Every choice, in the order Settings lists them.
    pub const ALL: [Appearance; 3] = [Appearance::System, Appearance::Light, Appearance::Dark];

    /// The choice's name in the app's language, for Settings.
    pub fn label(self) -> String {
        match self {
            Appearance::System => msg::appearance_system(),
            Appearance::Light => msg::appearance_light(),
            Appearance::Dark => msg::appearance_dark(),
        }
    }

    fn preference(self) -> ThemePreference {
        match self {
            Appearance::System => ThemePreference::System,
            Appearance::Light => ThemePreference::Light,
            Appearance::Dark => ThemePreference::Dark,
        }
    }
}

/// Sets the theme preference and the app's spacing and accents on both styles.
pub fn apply(ctx: &egui::Context, appearance: Appearance) {
    ctx.set_theme(appearance.preference());
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = Vec2::new(8.0, ITEM_GAP);
        style.spacing.button_padding = Vec2::new(10.0, 4.0);
        style.spacing.interact_size.y = 24.0;
        // egui's small text is about 9 px: too small for hints people must read.
        if let Some(small) = style.text_styles.get_mut(&egui::TextStyle::Small) {
            small.size = small.size.max(11.5);
        }
    });
    ctx.style_mut_of(Theme::Light, |style| {
        // Fields sit on white cards: they need a border, and a focus outline that shows.
        style.visuals.selection.bg_fill = BRAND_PALE;
        style.visuals.selection.stroke = Stroke::new(1.0, BRAND_DARK);
        style.visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, Color32::from_gray(200));
        style.visuals.hyperlink_color = BRAND_DARK;
        style.visuals.panel_fill = Color32::from_gray(246);
        style.visuals.window_fill = Color32::from_gray(252);
        style.visuals.extreme_bg_color = Color32::WHITE;
    });
    ctx.style_mut_of(Theme::Dark, |style| {
        style.visuals.selection.bg_fill = BRAND;
        style.visuals.selection.stroke = Stroke::new(1.0, Color32::WHITE);
        style.visuals.hyperlink_color = Color32::from_rgb(0x8a, 0xb4, 0xff);
    });
}

/// Colours that depend on dark or light mode.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Delivered, passed, valid.
    pub good: Tone,
    /// Works, but something needs the user's attention.
    pub warning: Tone,
    /// Refused, failed, invalid.
    pub bad: Tone,
    /// Facts and hints with no judgement.
    pub info: Tone,
    /// Counts and labels that are neither good nor bad.
    pub neutral: Tone,
    /// Card background, slightly apart from the panel.
    pub card: Color32,
    /// The card's border, so that a white card stands apart from a near-white panel.
    pub card_stroke: Color32,
    /// Secondary text: labels in key–value rows, hints.
    pub muted: Color32,
    /// The app's own colour (the icon's blue).
    pub brand: Color32,
    /// The selected row of a list.
    pub selected_row: Color32,
    /// The drop overlay shown while files hover over the window.
    pub overlay: Color32,
    /// The drop overlay's words.
    pub overlay_text: Color32,
}

/// A foreground and background pair for chips, badges and inline messages.
#[derive(Debug, Clone, Copy)]
pub struct Tone {
    /// Text and symbol colour.
    pub fg: Color32,
    /// The fill behind them.
    pub bg: Color32,
}

impl Palette {
    /// The palette for the mode `ui` is drawn in.
    pub fn of(ui: &egui::Ui) -> Self {
        Self::for_dark_mode(ui.visuals().dark_mode)
    }

    /// The palette for dark mode or light mode; for code that has no `Ui` at hand (charts drawn off
    /// screen, tests).
    pub fn for_dark_mode(dark: bool) -> Self {
        let tone = |fg: (u8, u8, u8), bg: (u8, u8, u8)| Tone {
            fg: Color32::from_rgb(fg.0, fg.1, fg.2),
            bg: Color32::from_rgb(bg.0, bg.1, bg.2),
        };
        if dark {
            Palette {
                good: tone((0x8c, 0xe0, 0x9c), (0x1d, 0x3b, 0x26)),
                warning: tone((0xf5, 0xc8, 0x6a), (0x45, 0x36, 0x14)),
                bad: tone((0xff, 0x9a, 0x92), (0x4c, 0x1f, 0x1d)),
                info: tone((0x9c, 0xc3, 0xff), (0x1c, 0x2e, 0x4d)),
                neutral: tone((0xcf, 0xcf, 0xcf), (0x3a, 0x3a, 0x3a)),
                card: Color32::from_gray(36),
                card_stroke: Color32::from_gray(60),
                muted: Color32::from_gray(160),
                selected_row: Color32::from_rgb(0x24, 0x3a, 0x66),
                brand: Color32::from_rgb(0x6d, 0x9c, 0xf5),
                overlay: Color32::from_rgba_unmultiplied(0x1c, 0x2e, 0x4d, 225),
                overlay_text: Color32::WHITE,
            }
        } else {
            Palette {
                good: tone((0x17, 0x6b, 0x2c), (0xdc, 0xf3, 0xe1)),
                warning: tone((0x85, 0x5a, 0x00), (0xfb, 0xee, 0xc8)),
                bad: tone((0xa8, 0x1d, 0x16), (0xfb, 0xe1, 0xdf)),
                info: tone((0x1d, 0x4e, 0xb0), (0xdf, 0xea, 0xfd)),
                neutral: tone((0x44, 0x44, 0x44), (0xe6, 0xe6, 0xe6)),
                card: Color32::WHITE,
                card_stroke: Color32::from_gray(218),
                muted: Color32::from_gray(95),
                selected_row: BRAND_PALE,
                brand: BRAND,
                overlay: Color32::from_rgba_unmultiplied(0xdf, 0xea, 0xfd, 235),
                overlay_text: Color32::from_rgb(0x1d, 0x4e, 0xb0),
            }
        }
    }
}

/// Colours of the JSON editor's syntax highlighting.
#[derive(Debug, Clone, Copy)]
pub struct Syntax {
    /// Object keys.
    pub key: Color32,
    /// String values.
    pub string: Color32,
    /// Numbers.
    pub number: Color32,
    /// `true`, `false` and `null`.
    pub literal: Color32,
    /// Braces, brackets, commas and colons.
    pub punctuation: Color32,
    /// Background of the line an error points at.
    pub error_line: Color32,
}

impl Syntax {
    /// The colours for the mode `ui` is drawn in.
    pub fn of(ui: &egui::Ui) -> Self {
        if ui.visuals().dark_mode {
            Syntax {
                key: Color32::from_rgb(0x9c, 0xdc, 0xfe),
                string: Color32::from_rgb(0xce, 0x91, 0x78),
                number: Color32::from_rgb(0xb5, 0xce, 0xa8),
                literal: Color32::from_rgb(0x56, 0x9c, 0xd6),
                punctuation: Color32::from_gray(190),
                error_line: Color32::from_rgb(0x5a, 0x22, 0x22),
            }
        } else {
            Syntax {
                key: Color32::from_rgb(0x04, 0x51, 0xa5),
                string: Color32::from_rgb(0xa3, 0x15, 0x15),
                number: Color32::from_rgb(0x09, 0x86, 0x58),
                literal: Color32::from_rgb(0x00, 0x00, 0xff),
                punctuation: Color32::from_gray(60),
                error_line: Color32::from_rgb(0xfb, 0xe1, 0xdf),
            }
        }
    }
}

/// The frame of a card (detail view, forms).
pub fn card(ui: &egui::Ui) -> egui::Frame {
    let p = Palette::of(ui);
    egui::Frame::new()
        .fill(p.card)
        .stroke(Stroke::new(1.0, p.card_stroke))
        .corner_radius(CornerRadius::same(RADIUS))
        .inner_margin(Margin::same(CARD_MARGIN))
}

/// The frame of an inline message (error under a field, notice).
pub fn message(tone: Tone) -> egui::Frame {
    egui::Frame::new()
        .fill(tone.bg)
        .corner_radius(CornerRadius::same(RADIUS))
        .inner_margin(Margin::symmetric(8, 5))
}

/// Below this width a screen's two columns become one: cards side by side would squeeze
/// their fields into each other.
pub const TWO_COLUMNS_FROM: f32 = 900.0;

/// A screen's two columns side by side when there is room, else one above the other.
/// `column(0, ui)` draws the first, `column(1, ui)` the second.
pub fn two_columns(ui: &mut egui::Ui, mut column: impl FnMut(usize, &mut egui::Ui)) {
    if ui.available_width() >= TWO_COLUMNS_FROM {
        ui.columns(2, |columns| {
            for (i, col) in columns.iter_mut().enumerate() {
                // egui's columns are justified, which spreads wrapped text into wide gaps.
                col.with_layout(egui::Layout::top_down(egui::Align::LEFT), |ui| {
                    column(i, ui);
                });
            }
        });
    } else {
        ui.vertical(|ui| {
            column(0, ui);
            ui.add_space(SECTION_GAP);
            column(1, ui);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance contrast between two opaque colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let lum = |c: Color32| {
            let ch = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn chip_text_is_readable_in_both_modes() {
        for dark in [false, true] {
            let p = Palette::for_dark_mode(dark);
            for tone in [p.good, p.warning, p.bad, p.info, p.neutral] {
                let ratio = contrast(tone.fg, tone.bg);
                assert!(ratio >= 4.5, "dark={dark}: {tone:?} has contrast {ratio}");
            }
            assert!(contrast(p.muted, p.card) >= 4.5, "dark={dark}: muted text");
        }
    }
}
