//! The navigation on the left, and files dropped anywhere on the window.

use egui::{Align2, FontId, RichText};
use serde::{Deserialize, Serialize};

use super::{App, Command};
use crate::gui::fonts::ScriptName;
use crate::gui::i18n::{Language, LanguageChoice, msg};
use crate::gui::theme::{self, Appearance, Palette};
use crate::gui::widgets::{named_by_words, notice};

/// A screen of the app, as listed in the navigation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    /// Import, inspect and export credentials; generate test certificates and signing requests.
    #[default]
    Credentials,
    /// Where pushes go and with which credential; the step-by-step check and latency.
    Connection,
    /// "Why doesn't my push arrive?": checks and a verdict.
    Doctor,
    /// Write one push and send it.
    Compose,
    /// Send one push to many devices.
    Batch,
    /// Broadcast channels: create, list, read and delete them, and broadcast on one.
    Channels,
    /// Every send, to look at again, resend or open in Compose.
    History,
    /// The embedded simulator: its settings, faults and inbox.
    Simulator,
}

impl Section {
    /// The navigation, in groups. A new screen adds its variant here.
    const NAVIGATION: &[(NavGroup, &[Section])] = &[
        (
            NavGroup::SetUp,
            &[Section::Credentials, Section::Connection, Section::Doctor],
        ),
        (
            NavGroup::Send,
            &[
                Section::Compose,
                Section::Batch,
                Section::Channels,
                Section::History,
            ],
        ),
        (NavGroup::Test, &[Section::Simulator]),
    ];

    /// The screen's name in the navigation, in the app's language.
    pub fn label(self) -> String {
        match self {
            Section::Credentials => msg::nav_credentials(),
            Section::Connection => msg::nav_connection(),
            Section::Doctor => msg::nav_doctor(),
            Section::Compose => msg::nav_compose(),
            Section::Batch => msg::nav_batch(),
            Section::Channels => msg::nav_channels(),
            Section::History => msg::nav_history(),
            Section::Simulator => msg::nav_simulator(),
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Section::Credentials => "🔑",
            Section::Connection => "🔌",
            Section::Doctor => "⚕",
            Section::Compose => "✉",
            Section::Batch => "📨",
            Section::Channels => "📡",
            Section::History => "🕘",
            Section::Simulator => "📱",
        }
    }
}

/// A heading in the navigation.
#[derive(Debug, Clone, Copy)]
enum NavGroup {
    SetUp,
    Send,
    Test,
}

/// The navigation's height with the settings at the bottom: the sections (about 430 px)
/// and the Appearance and Language menus (about 150 px). Shorter, the column scrolls.
const NAV_TALL: f32 = 600.0;

impl NavGroup {
    fn label(self) -> String {
        match self {
            NavGroup::SetUp => msg::nav_group_set_up(),
            NavGroup::Send => msg::nav_group_send(),
            NavGroup::Test => msg::nav_group_test(),
        }
    }
}

impl App {
    pub(super) fn navigation(&mut self, ui: &mut egui::Ui) {
        // Tall enough: the sections at the top, Appearance and Language at the bottom. A
        // short window scrolls the whole column instead, the settings after the sections,
        // so nothing is drawn over anything and every section stays reachable.
        if ui.available_height() >= NAV_TALL {
            self.nav_sections(ui);
            ui.with_layout(egui::Layout::bottom_up(egui::Align::LEFT), |ui| {
                ui.add_space(theme::SECTION_GAP);
                ui.vertical(|ui| self.settings_menus(ui));
            });
        } else {
            egui::ScrollArea::vertical()
                .id_salt("navigation")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    self.nav_sections(ui);
                    ui.add_space(theme::SECTION_GAP);
                    self.settings_menus(ui);
                    ui.add_space(theme::SECTION_GAP);
                });
        }
    }

    fn nav_sections(&mut self, ui: &mut egui::Ui) {
        ui.add_space(theme::SECTION_GAP);
        ui.horizontal(|ui| {
            ui.add_space(4.0);
            match &self.logo {
                Some(logo) => {
                    ui.add(
                        egui::Image::new(logo)
                            .fit_to_exact_size(egui::vec2(26.0, 26.0))
                            .alt_text(msg::nav_logo()),
                    );
                }
                None => {
                    ui.label(RichText::new("🔔").size(20.0).color(Palette::of(ui).brand));
                }
            }
            ui.heading(RichText::new(msg::app_pushlab()).strong());
        });
        ui.add_space(theme::SECTION_GAP);
        for (group, sections) in Section::NAVIGATION {
            ui.label(
                RichText::new(group.label().to_uppercase())
                    .small()
                    .color(Palette::of(ui).muted),
            );
            for &section in *sections {
                let selected = self.state.section == section;
                let words = section.label();
                let text = format!("{}  {words}", section.icon());
                let button = egui::Button::selectable(selected, RichText::new(text).size(15.0))
                    .min_size(egui::vec2(ui.available_width(), 30.0));
                if named_by_words(ui.add(button), &words).clicked() {
                    self.commands.push(Command::ShowSection(section));
                }
            }
            ui.add_space(theme::ITEM_GAP);
        }
        self.expiry_banner(ui);
    }

    /// Appearance and Language, each label above its menu.
    fn settings_menus(&mut self, ui: &mut egui::Ui) {
        self.appearance_menu(ui);
        ui.add_space(theme::ITEM_GAP);
        self.language_menu(ui);
    }

    fn appearance_menu(&mut self, ui: &mut egui::Ui) {
        let label = ui.label(RichText::new(msg::nav_appearance()).color(Palette::of(ui).muted));
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
        let _ = combo.labelled_by(label.id);
    }

    /// The language menu: "follow the system" or a language, each named in itself.
    fn language_menu(&mut self, ui: &mut egui::Ui) {
        let current = self.state.settings.language;
        let system = self.system_language;
        let name = |choice: LanguageChoice| match choice {
            LanguageChoice::System => msg::nav_language_system(system.native_name()),
            LanguageChoice::Fixed(language) => language.native_name().to_owned(),
        };
        let choices =
            std::iter::once(LanguageChoice::System).chain(Language::ALL.map(LanguageChoice::Fixed));
        let label = ui.label(RichText::new(msg::nav_language()).color(Palette::of(ui).muted));
        let combo = egui::ComboBox::from_id_salt("language")
            .selected_text(name(current))
            .width(ui.available_width() - 8.0)
            .show_ui(ui, |ui| {
                for choice in choices {
                    if ui
                        .selectable_label(current == choice, name(choice))
                        .clicked()
                    {
                        self.commands.push(Command::SetLanguage(choice));
                    }
                }
            })
            .response;
        let wanted = current.resolve(system);
        if wanted.needs_cjk_font() && self.fonts.is_ready() && !self.fonts.has_cjk() {
            ui.label(
                RichText::new(msg::fonts_language_needs_cjk())
                    .small()
                    .color(Palette::of(ui).warning.fg),
            );
        }
        let _ = combo.labelled_by(label.id);
    }

    /// Once the system's fonts are in: which scripts still have no font, until hidden.
    pub(super) fn font_note(&mut self, ui: &mut egui::Ui) {
        let missing = self.fonts.missing();
        if self.font_note_hidden || missing.is_empty() {
            return;
        }
        let cjk = missing.contains(&ScriptName::Cjk);
        let text = if cjk {
            msg::fonts_missing_cjk()
        } else {
            msg::fonts_missing_other()
        };
        ui.horizontal(|ui| {
            notice(ui, "⚠", &text, Palette::of(ui).warning);
            if ui.small_button(msg::fonts_hide_note()).clicked() {
                self.font_note_hidden = true;
            }
        });
    }

    /// The saved state did not read: the app runs on its defaults, and says where the old
    /// state was kept.
    pub(super) fn unreadable_state_note(&mut self, ui: &mut egui::Ui) {
        use super::saved_state::UnreadableState;
        let Some(unreadable) = &self.unreadable_state else {
            return;
        };
        let text = match unreadable {
            UnreadableState::Kept(path) => {
                msg::app_state_unreadable_kept(path.display().to_string())
            }
            UnreadableState::NotKept(error) => msg::app_state_unreadable_lost(error.as_str()),
        };
        let mut hide = false;
        ui.horizontal(|ui| {
            notice(ui, "⚠", &text, Palette::of(ui).warning);
            hide = ui.small_button(msg::fonts_hide_note()).clicked();
        });
        if hide {
            self.unreadable_state = None;
        }
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
                msg::nav_drop_one()
            } else {
                msg::nav_drop_many(hovering)
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
                msg::nav_drop_kinds(),
                FontId::proportional(15.0),
                palette.overlay_text,
            );
        }
    }
}
