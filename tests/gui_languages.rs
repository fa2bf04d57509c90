//! Every script on screen and the app in Chinese: the system's fonts installed behind egui's,
//! Chinese typed into Compose arriving unchanged, the language switch renaming the controls,
//! and payload limits counted in UTF-8 bytes.

#![allow(clippy::unwrap_used)]

mod support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::gui::App;
use support::gui::step_until;

fn app(data_dir: &std::path::Path) -> Harness<'static, App> {
    support::gui::app(data_dir, [1400.0, 2400.0])
}

fn fonts_loaded(harness: &mut Harness<'_, App>) {
    step_until(harness, "the system's fonts", |h| {
        h.state().fonts().is_ready()
    });
}

fn shows(harness: &Harness<'_, App>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Needs a CJK font on the machine (`scripts/setup.sh` installs `fonts-wqy-microhei`).
#[test]
fn after_start_up_the_fonts_draw_chinese_korean_cyrillic_and_emoji() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    let font = egui::FontId::proportional(14.0);
    fonts_loaded(&mut harness);
    harness.run();
    assert!(
        harness.state().fonts().missing().is_empty() || !harness.state().fonts().has_cjk(),
        "missing scripts are listed only when fonts are"
    );
    for text in ["门铃响了", "通知", "알림", "уведомление", "🔔", "Ελληνικά"]
    {
        let drawn = harness.ctx.fonts_mut(|f| f.has_glyphs(&font, text));
        assert!(drawn, "no glyphs for {text:?}: is a CJK font installed?");
    }
    assert!(harness.state().fonts().has_cjk());
}

/// Picks `choice` in the language menu, found by its accessible name `menu`.
fn choose_language(harness: &mut Harness<'_, App>, menu: &str, choice: &str) {
    harness.get_by_label(menu).click();
    harness.run();
    harness.get_by_label(choice).click();
    harness.run();
}

#[test]
fn switching_to_chinese_renames_the_controls_and_is_remembered() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    fonts_loaded(&mut harness);
    assert!(shows(&harness, "Compose & Send"));
    choose_language(&mut harness, "Language", "简体中文");
    for label in ["✉  撰写与发送", "🔑  凭据", "📱  模拟器", "🕘  历史记录"] {
        assert!(
            harness.query_by_label(label).is_some(),
            "{label:?} in the navigation"
        );
    }
    assert!(harness.query_by_label("✉  Compose & Send").is_none());
    harness.get_by_label("✉  撰写与发送").click();
    harness.run();
    assert!(
        harness.query_by_label("设备令牌").is_some(),
        "Compose's token field"
    );
    assert!(harness.query_by_label("发送").is_some(), "the Send button");
    assert_eq!(
        harness.state().state().settings.language,
        pushlab::gui::i18n::LanguageChoice::Fixed(pushlab::gui::i18n::Language::ChineseSimplified),
        "kept in the saved state"
    );

    choose_language(&mut harness, "语言", "English");
    assert!(harness.query_by_label("✉  Compose & Send").is_some());
}
