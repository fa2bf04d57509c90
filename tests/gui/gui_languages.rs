//! Every script on screen and the app in Chinese: the system's fonts installed behind egui's,
//! Chinese typed into Compose arriving unchanged, the language switch renaming the controls,
//! and payload limits counted in UTF-8 bytes.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{shows, type_into};
use egui::accesskit::Role;
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
    for label in ["撰写与发送", "凭据", "模拟器", "历史记录"] {
        assert!(
            harness
                .query_by_role_and_label(Role::Button, label)
                .is_some(),
            "{label:?} in the navigation"
        );
    }
    assert!(harness.query_by_label("Compose & Send").is_none());
    harness
        .get_by_role_and_label(Role::Button, "撰写与发送")
        .click();
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
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Compose & Send")
            .is_some()
    );
}

fn open_section(harness: &mut Harness<'_, App>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

fn send_button_enabled(harness: &Harness<'_, App>) -> bool {
    use egui_kittest::kittest::NodeT as _;
    !harness.get_by_label("Send").accesskit_node().is_disabled()
}

/// The simulator running and a test certificate made, on Compose & Send with the demo device.
fn ready_to_send(harness: &mut Harness<'_, App>) {
    support::gui::until_simulator_runs(harness);
    open_section(harness, "Connection");
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(harness);
    open_section(harness, "Compose & Send");
    harness
        .query_all_by_label("Use the demo device")
        .next()
        .unwrap()
        .click();
    harness.run();
}

fn deliveries(harness: &Harness<'_, App>) -> Vec<pushlab::sim::Delivery> {
    let app = harness.state();
    app.simulator().simulator().unwrap().inbox().deliveries()
}

#[test]
fn chinese_typed_into_compose_arrives_unchanged_in_the_inbox_and_history() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    fonts_loaded(&mut harness);
    ready_to_send(&mut harness);
    harness.get_by_label("Title").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    type_into(&mut harness, "Title", "门铃响了 🔔");
    assert!(
        harness
            .state()
            .state()
            .compose
            .payload
            .contains("门铃响了 🔔"),
        "the JSON keeps the text, not \\u escapes: {}",
        harness.state().state().compose.payload
    );
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the answer", |h| {
        h.state().compose().last().is_some()
    });
    assert_eq!(harness.state().compose().last().unwrap().status, Some(200));

    // The simulator's own record.
    let delivered = deliveries(&harness);
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].payload["aps"]["alert"]["title"], "门铃响了 🔔");
    // The inbox banner and the history list draw it as typed.
    open_section(&mut harness, "Simulator");
    step_until(&mut harness, "the banner", |h| shows(h, "门铃响了 🔔"));
    open_section(&mut harness, "History");
    assert!(shows(&harness, "门铃响了 🔔"), "the history lists it");
    let history = &harness.state().state().history;
    assert!(
        history[0].draft.payload.contains("门铃响了 🔔"),
        "{}",
        history[0].draft.payload
    );
}

#[test]
fn a_chinese_payload_of_4097_bytes_is_refused_with_its_size_and_4096_is_delivered() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    ready_to_send(&mut harness);
    let size = |h: &Harness<'_, App>| h.state().state().compose.payload.len();
    // Chinese fills most of it (3 bytes a character), ASCII makes the count exact.
    let chinese = (4_097 - size(&harness)) / 3 - 1;
    type_into(&mut harness, "Body", &"门".repeat(chinese));
    let rest = 4_097 - size(&harness);
    type_into(&mut harness, "Body", &".".repeat(rest));
    assert_eq!(size(&harness), 4_097);
    assert!(
        shows(&harness, "4,097 / 4,096 bytes"),
        "the meter counts bytes"
    );
    assert!(
        shows(&harness, "payload is 4,097 bytes"),
        "the error says the size"
    );
    assert!(!send_button_enabled(&harness), "Send is disabled");

    harness.key_press(egui::Key::Backspace);
    harness.run();
    assert_eq!(size(&harness), 4_096);
    assert!(send_button_enabled(&harness));
    let payload = harness.state().state().compose.payload.clone();
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the answer", |h| {
        h.state().compose().last().is_some()
    });
    assert_eq!(harness.state().compose().last().unwrap().status, Some(200));
    let delivered = deliveries(&harness);
    let sent: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(delivered[0].payload, sent, "arrived unchanged");
}

/// A push that got no answer is kept in History as data: sent in English, it reads in Chinese
/// once the app is switched, not in the language of the day it was sent.
#[test]
fn a_send_without_an_answer_reads_in_the_language_on_screen_in_history() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    fonts_loaded(&mut harness);
    support::gui::until_simulator_runs(&mut harness);
    open_section(&mut harness, "Connection");
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(&mut harness);
    // The simulator takes the push, then drops the connection before answering.
    let sim = harness.state().simulator().simulator().unwrap();
    sim.faults().set(pushlab::sim::Faults {
        drop_after_processing: Some(1),
        ..Default::default()
    });
    open_section(&mut harness, "Compose & Send");
    support::gui::click_first(&mut harness, "Use the demo device");
    harness.run();
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the send to end", |h| {
        h.state().state().history.len() == 1
    });
    harness.run();
    assert!(shows(&harness, "Unconfirmed:"), "said in English first");
    assert_eq!(harness.state().state().history[0].status, None);

    choose_language(&mut harness, "Language", "简体中文");
    harness
        .get_by_role_and_label(Role::Button, "历史记录")
        .click();
    harness.run();
    assert!(shows(&harness, "未确认"), "History words it in Chinese");
    assert!(!shows(&harness, "Unconfirmed:"));
}
