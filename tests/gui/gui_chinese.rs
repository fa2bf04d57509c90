//! The app in Chinese shows no English where it words something itself: results computed on
//! the worker's threads (which do not know the app's language) and the library's sentences
//! (payload checks, token errors, the doctor) are worded on the UI thread, in Chinese.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{shows, type_into};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::gui::App;
use support::gui::step_until;

/// The app in Chinese, on `section` (its Chinese label in the navigation).
fn chinese_app(data_dir: &std::path::Path, section: &str) -> Harness<'static, App> {
    let mut harness = support::gui::app(data_dir, [1400.0, 2400.0]);
    // Chinese needs the system's CJK font (`scripts/setup.sh` installs one).
    support::gui::to_chinese(&mut harness);
    harness.get_by_role_and_label(Role::Button, section).click();
    harness.run();
    harness
}

/// Once the simulator runs, a test certificate made on the Connection screen (生成测试证书).
fn test_certificate(harness: &mut Harness<'_, App>) {
    support::gui::until_simulator_runs(harness);
    harness.get_by_label("生成测试证书").click();
    support::gui::until_a_credential_is_loaded(harness);
}

/// Compose & Send (撰写与发送) with the demo device (使用演示设备) as the recipient.
fn compose_to_the_demo_device(harness: &mut Harness<'_, App>) {
    harness
        .get_by_role_and_label(Role::Button, "撰写与发送")
        .click();
    harness.run();
    // The button is offered in two places on the screen; either adds the device.
    harness
        .query_all_by_label("使用演示设备")
        .next()
        .unwrap()
        .click();
    harness.run();
}

#[test]
fn a_token_file_read_on_the_worker_is_reported_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = chinese_app(data.path(), "批量发送");

    let missing = data.path().join("missing.txt");
    type_into(&mut harness, "令牌文件路径", &missing.display().to_string());
    harness.get_by_label("载入文件").click();
    step_until(&mut harness, "the read failing, in Chinese", |h| {
        shows(h, "无法读取文件")
    });
    assert!(!shows(&harness, "could not read"), "no English left");

    let list = data.path().join("tokens.txt");
    std::fs::write(&list, format!("{}\nabc\n", "ab".repeat(32))).unwrap();
    harness.get_by_label("令牌文件路径").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("令牌文件路径")
        .type_text(&list.display().to_string());
    harness.run();
    harness.get_by_label("载入文件").click();
    step_until(&mut harness, "the bad line, in Chinese", |h| {
        shows(h, "第 2 行：令牌有 3 个十六进制数字")
    });
}

#[test]
fn a_payload_check_on_compose_reads_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = chinese_app(data.path(), "撰写与发送");
    harness.get_by_label("JSON").click();
    harness.run();
    harness.get_by_label("负载 JSON").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("负载 JSON")
        .type_text(r#"{"aps":{},"x":1}"#);
    harness.run();
    assert!(
        shows(
            &harness,
            "没有 alert、badge 或 sound 的提醒推送不会显示任何内容"
        ),
        "the payload check's warning, in Chinese"
    );
    assert!(!shows(&harness, "shows nothing"), "no English left");
}

/// The payload Compose starts with is what a tester's phone will show: in a Chinese window
/// its title and body are Chinese, and they follow the language while nobody has touched
/// them. A payload the user changed stays as written through a switch of language.
#[test]
fn an_untouched_starting_payload_follows_the_language_on_screen() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = chinese_app(data.path(), "撰写与发送");
    let payload = harness.state().state().compose.payload;
    assert!(payload.contains("\"你好\""), "{payload}");
    assert!(payload.contains("\"由 pushlab 发送\""), "{payload}");
    assert!(!payload.contains("Hello"), "{payload}");
    // Another push type and back: still the starting payload, still Chinese.
    harness.get_by_label("模板").click();
    harness.run();
    harness.get_by_label("提醒").click();
    harness.run();
    assert_eq!(harness.state().state().compose.payload, payload);

    // Back to English: the untouched payload follows.
    harness.get_by_label("语言").click();
    harness.run();
    harness.get_by_label("English").click();
    harness.run();
    let english = harness.state().state().compose.payload;
    assert!(english.contains("\"Hello\""), "{english}");
    assert!(english.contains("\"Sent with pushlab\""), "{english}");

    // Written by the user, it is theirs: a switch to Chinese leaves it as it is.
    harness.get_by_label("JSON").click();
    harness.run();
    harness.get_by_label("Payload JSON").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Payload JSON")
        .type_text(r#"{"aps":{"alert":{"title":"Hello","body":"mine"}}}"#);
    harness.run();
    support::gui::to_chinese(&mut harness);
    assert_eq!(
        harness.state().state().compose.payload,
        r#"{"aps":{"alert":{"title":"Hello","body":"mine"}}}"#
    );
}

/// A batch kept in History, sent while the window was English and cancelled halfway, reads
/// in Chinese once the window is: its recipients are counted in the language on screen, the
/// chip that says it was cancelled is a word of the translation, not English, and so is where
/// it went.
#[test]
fn a_batch_kept_in_english_reads_in_chinese_in_history() {
    use pushlab::gui::state::{BatchRecord, HistoryEntry, State};
    let data = tempfile::tempdir().unwrap();
    let state = State {
        history: vec![HistoryEntry {
            time: 1_764_460_900,
            destination: "local simulator (sandbox, 127.0.0.1:2197)".into(),
            route: Some(pushlab::client::TargetLabel::Simulator {
                environment: pushlab::apns::Environment::Sandbox,
                addr: "127.0.0.1:2197".parse().unwrap(),
            }),
            device: Some("Batch of 300,000 devices".into()),
            batch: Some(BatchRecord {
                total: 300_000,
                delivered: 183_370,
                not_sent: 116_630,
                cancelled: true,
                ..BatchRecord::default()
            }),
            ..HistoryEntry::default()
        }],
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data.path(), [1400.0, 2400.0], state);
    support::gui::to_chinese(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "历史记录")
        .click();
    harness.run();
    assert!(
        shows(&harness, "批量发送到 300,000 台设备"),
        "the recipients, in Chinese"
    );
    assert!(shows(&harness, "已取消"), "cancelled, in Chinese");
    assert!(
        shows(&harness, "本地模拟器（沙盒环境，127.0.0.1:2197）"),
        "where it went, in Chinese"
    );
    assert!(!shows(&harness, "Batch of"), "no English recipients left");
    assert!(!shows(&harness, "cancelled"), "no English chip left");
    assert!(
        !shows(&harness, "local simulator"),
        "no English destination left"
    );
}

#[test]
fn history_names_where_a_push_went_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = chinese_app(data.path(), "连接");
    test_certificate(&mut harness);
    let name = harness.state().state().credentials[0].name.clone();
    assert!(
        name.contains("（测试，"),
        "the test certificate's name: {name}"
    );
    compose_to_the_demo_device(&mut harness);
    harness.get_by_label("发送").click();
    step_until(&mut harness, "the push in the history", |h| {
        !h.state().state().history.is_empty()
    });
    // History shows the destination as it was recorded, worded when the push was sent.
    let destination = harness.state().state().history[0].destination.clone();
    assert!(
        destination.starts_with("本地模拟器（沙盒环境，127.0.0.1:"),
        "{destination}"
    );
    // And keeps where it went as data, to word it again in the language on screen.
    assert!(matches!(
        harness.state().state().history[0].route,
        Some(pushlab::client::TargetLabel::Simulator { .. })
    ));
}

/// The connection check runs on the worker; its steps read in Chinese.
#[test]
fn the_connection_check_reads_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = chinese_app(data.path(), "连接");
    test_certificate(&mut harness);
    harness.get_by_label("检查连接").click();
    step_until(&mut harness, "the check's last step, in Chinese", |h| {
        shows(h, "服务器接受了连接和凭据")
    });
    assert!(shows(&harness, "TLS 握手") || shows(&harness, "服务器证书已验证"));
    assert!(
        !shows(&harness, "the server accepted the connection"),
        "no English left"
    );
}

/// Apple's environment and what a certificate is for are words of the app's language: the
/// Simulator screen said "sandbox" and a credential's details "development (sandbox only)"
/// in English.
#[test]
fn environments_read_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = chinese_app(data.path(), "连接");
    test_certificate(&mut harness);
    harness.get_by_role_and_label(Role::Button, "凭据").click();
    harness.run();
    assert!(shows(&harness, "开发（仅沙盒）"), "{:#?}", harness.root());
    assert!(!shows(&harness, "development (sandbox only)"));

    harness
        .get_by_role_and_label(Role::Button, "模拟器")
        .click();
    harness.run();
    // The status chip and the environment picker.
    assert!(
        harness.query_all_by_value("沙盒").count() >= 2,
        "{:#?}",
        harness.root()
    );
    assert!(harness.query_all_by_value("sandbox").next().is_none());

    // A saved device names its environment in the picker on Compose.
    compose_to_the_demo_device(&mut harness);
    // The picker's value: the device's name and group, made in Chinese, and its environment.
    assert!(
        harness
            .query_all_by_value("演示 iPhone（模拟器） — 演示（沙盒）")
            .next()
            .is_some(),
        "{:#?}",
        harness.root()
    );
}

/// A saved credential that cannot be read says why in the language on screen. The app starts
/// in English until its CJK font has loaded, and the failure it met in those first frames
/// stayed English in a Chinese window ("/x.p12: no such file — check the path").
#[test]
fn a_credential_that_failed_in_english_says_why_in_chinese() {
    use pushlab::gui::state::{SavedCredential, State};
    let data = tempfile::tempdir().unwrap();
    let missing = data.path().join("gone.p12");
    let state = State {
        credentials: vec![SavedCredential {
            name: "gone.p12".to_owned(),
            path: missing,
            key_path: None,
        }],
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data.path(), [1024.0, 1400.0], state);
    step_until(&mut harness, "the credential's failure, in English", |h| {
        shows(h, "no such file")
    });
    support::gui::to_chinese(&mut harness);
    harness.get_by_role_and_label(Role::Button, "凭据").click();
    harness.run();
    assert!(shows(&harness, "文件不存在"), "why, in Chinese");
    assert!(!shows(&harness, "no such file"), "no English left");
}
