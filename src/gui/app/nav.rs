//! The navigation on the left, and files dropped anywhere on the window.

use egui::{Align2, FontId, RichText};
use serde::{Deserialize, Serialize};

use super::{App, Command};
use crate::gui::theme::{self, Appearance, Palette};

/// A screen of the app, as listed in the navigation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    #[default]
    Credentials,
    Connection,
    Compose,
    Batch,
    History,
    Simulator,
}

impl Section {
    /// The navigation, in groups. A new screen adds its variant here.
    const NAVIGATION: &[(&str, &[Section])] = &[
        ("Set up", &[Section::Credentials, Section::Connection]),
        (
            "Send",
            &[Section::Compose, Section::Batch, Section::History],
        ),
        ("Test", &[Section::Simulator]),
    ];

    pub fn label(self) -> &'static str {
        match self {
            Section::Credentials => "Credentials",
            Section::Connection => "Connection",
            Section::Compose => "Compose & Send",
            Section::Batch => "Batch",
            Section::History => "History",
            Section::Simulator => "Simulator",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Section::Credentials => "🔑",
            Section::Connection => "🔌",
            Section::Compose => "✉",
            Section::Batch => "📨",
            Section::History => "🕘",
            Section::Simulator => "📱",
        }
    }
}

impl App {
    pub(super) fn navigation(&mut self, ui: &mut egui::Ui) {
        ui.add_space(theme::SECTION_GAP);
        ui.horizontal(|ui| {
            ui.add_space(4.0);
            match &self.logo {
                Some(logo) => {
                    ui.add(
                        egui::Image::new(logo)
                            .fit_to_exact_size(egui::vec2(26.0, 26.0))
                            .alt_text("Pushlab logo"),
                    );
                }
                None => {
                    ui.label(RichText::new("🔔").size(20.0).color(Palette::of(ui).brand));
                }
            }
            ui.heading(RichText::new("Pushlab").strong());
        });
        ui.add_space(theme::SECTION_GAP);
        for (group, sections) in Section::NAVIGATION {
            ui.label(
                RichText::new(group.to_uppercase())
                    .small()
                    .color(Palette::of(ui).muted),
            );
            for &section in *sections {
                let selected = self.state.section == section;
                let text = format!("{}  {}", section.icon(), section.label());
                let button = egui::Button::selectable(selected, RichText::new(text).size(15.0))
                    .min_size(egui::vec2(ui.available_width(), 30.0));
                if ui.add(button).clicked() {
                    self.commands.push(Command::ShowSection(section));
                }
            }
            ui.add_space(theme::ITEM_GAP);
        }
        ui.with_layout(egui::Layout::bottom_up(egui::Align::LEFT), |ui| {
            ui.add_space(theme::SECTION_GAP);
            // Bottom-up: the combo box first, its label above it.
            let current = self.state.settings.appearance;
            let combo = egui::ComboBox::from_id_salt("appearance")
                .selected_text(current.label())
                .width(ui.available_width() - 8.0)
                .show_ui(ui, |ui| {
                    for choice in Appearance::ALL {
                        if ui
                            .selectable_label(current == choice, choice.label())
                            .clicked()
                        {
                            self.commands.push(Command::SetAppearance(choice));
                        }
                    }
                })
                .response;
            let label = ui.label(RichText::new("Appearance").color(Palette::of(ui).muted));
            let _ = combo.labelled_by(label.id);
        });
    }

    /// Files dropped anywhere on the window are imported; while they hover, say so.
    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let (dropped, hovering) = ctx.input(|i| {
            (
                i.raw
                    .dropped_files
                    .iter()
                    .map(|f| f.path().to_owned())
                    .collect::<Vec<_>>(),
                i.raw.hovered_files.len(),
            )
        });
        if !dropped.is_empty() {
            self.commands.push(Command::Import(dropped));
        }
        if hovering > 0 {
            let palette = Palette::for_dark_mode(ctx.global_style().visuals.dark_mode);
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop-overlay"),
            ));
            let rect = ctx.content_rect();
            painter.rect_filled(rect, 0.0, palette.overlay);
            let text = if hovering == 1 {
                "Drop to import this file".to_owned()
            } else {
                format!("Drop to import these {hovering} files")
            };
            painter.text(
                rect.center() - egui::vec2(0.0, 14.0),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(26.0),
                palette.overlay_text,
            );
            painter.text(
                rect.center() + egui::vec2(0.0, 20.0),
                Align2::CENTER_CENTER,
                "Certificates (.cer), keys (.pem, .key), .p12 and .p8 files",
                FontId::proportional(15.0),
                palette.overlay_text,
            );
        }
    }
}
