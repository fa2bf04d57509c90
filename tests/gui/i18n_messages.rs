//! The translation layer is complete: every message id the GUI uses exists in every language,
//! no language has ids the code never uses, every file parses, and plurals and numbers come
//! from Fluent.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use pushlab::gui::i18n::{self, Language, SOURCES, tr, tr_with};

/// Ids the code passes to `tr("…")` / `tr_with("…", …)`, from the sources under `src/gui/`.
fn ids_in_code() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for call in ["tr(", "tr_with("] {
                for (at, _) in source.match_indices(call) {
                    let before = source[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    // rustfmt may put the id on the next line.
                    let rest = source[at + call.len()..].trim_start();
                    let Some(rest) = rest.strip_prefix('"') else {
                        continue;
                    };
                    let end = rest.find('"').unwrap();
                    ids.insert(rest[..end].to_owned());
                }
            }
        }
    }
    // The library's sentences, by the codes the library lists: each must be translated.
    ids.extend(i18n::library_ids());
    // The layer's own doc comment shows the call with a placeholder id.
    ids.remove("…");
    ids.remove("tokens");
    ids
}

fn ids_of(language: Language) -> BTreeSet<String> {
    let (_, source) = SOURCES.iter().find(|(l, _)| *l == language).unwrap();
    let ids = i18n::message_ids(source)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", language.tag()));
    let set: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(
        set.len(),
        ids.len(),
        "{} defines an id twice",
        language.tag()
    );
    set
}

#[test]
fn every_id_the_code_uses_exists_in_every_language_and_none_is_unused() {
    let used = ids_in_code();
    assert!(
        used.len() > 100,
        "found only {} ids in the code",
        used.len()
    );
    for language in Language::ALL {
        let defined = ids_of(language);
        let missing: Vec<_> = used.difference(&defined).collect();
        let unused: Vec<_> = defined.difference(&used).collect();
        assert!(
            missing.is_empty(),
            "{} lacks ids the code uses: {missing:?}",
            language.tag()
        );
        assert!(
            unused.is_empty(),
            "{} has ids the code never uses: {unused:?}",
            language.tag()
        );
    }
}

#[test]
fn chinese_differs_from_english_where_it_should() {
    i18n::set_language(Language::ChineseSimplified);
    assert_eq!(tr("nav-compose"), "撰写与发送");
    assert_eq!(tr("compose-token"), "设备令牌");
    i18n::set_language(Language::English);
    assert_eq!(tr("nav-compose"), "Compose & Send");
}

#[test]
fn plurals_and_numbers_come_from_fluent() {
    i18n::set_language(Language::English);
    assert_eq!(
        tr_with("nav-drop-many", &[("count", 2000.into())]),
        "Drop to import these 2,000 files"
    );
    i18n::set_language(Language::ChineseSimplified);
    assert_eq!(
        tr_with("nav-drop-many", &[("count", 2000.into())]),
        "松开即可导入这 2,000 个文件"
    );
    i18n::set_language(Language::English);
}

#[test]
fn one_and_many_are_worded_by_the_language() {
    i18n::set_language(Language::English);
    let pasted = |n: usize| tr_with("batch-tokens-pasted", &[("count", n.into())]);
    assert_eq!(pasted(1), "1 token pasted");
    assert_eq!(pasted(2000), "2,000 tokens pasted");
    let days = |n: i64| tr_with("credentials-days-left-count", &[("days", n.into())]);
    assert_eq!(days(1), "1 day left");
    assert_eq!(days(3), "3 days left");
    let file = tr_with(
        "batch-file-read",
        &[
            ("name", "t.txt".into()),
            ("count", 2000.into()),
            ("invalid", 0.into()),
            ("latin1", 1.into()),
        ],
    );
    assert_eq!(
        file,
        "t.txt: 2,000 tokens; 1 line is not UTF-8 and was read as Latin-1"
    );
    i18n::set_language(Language::ChineseSimplified);
    assert_eq!(days(3), "3 天后过期");
    assert_eq!(pasted(2000), "已粘贴 2,000 个令牌");
    i18n::set_language(Language::English);
}

#[test]
fn the_library_and_the_cli_do_not_depend_on_the_translation_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path != src.join("gui") {
                    stack.push(path);
                }
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for word in ["i18n", "fluent", "tr_with("] {
                assert!(
                    !source.contains(word),
                    "{} mentions {word}: translate in the GUI",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_librarys_sentences_are_worded_with_their_values() {
    use pushlab::apns::{PushType, check_payload};
    let big = format!(r#"{{"aps":{{"alert":"{}"}}}}"#, "x".repeat(5000));
    let check = check_payload(big.as_bytes(), PushType::Alert, None);
    let too_large = check.errors.iter().find(|e| e.code == "too_large").unwrap();
    i18n::set_language(Language::ChineseSimplified);
    let text = i18n::payload_issue(too_large);
    assert!(
        text.contains("负载有 5,020 字节") && text.contains("4,096 字节的上限"),
        "{text}"
    );
    let dates = check_payload(
        br#"{"aps":{"event":"update","timestamp":-1,"content-state":{}}}"#,
        PushType::LiveActivity,
        Some(5),
    );
    let negative = dates.errors.iter().find(|e| e.code == "live_date").unwrap();
    assert_eq!(
        i18n::payload_issue(negative),
        "\"timestamp\" 是负数：必须是自 1970 年起的秒数"
    );
    i18n::set_language(Language::English);
    assert_eq!(
        i18n::payload_issue(too_large),
        too_large
            .message
            .replace("5020", "5,020")
            .replace("4096", "4,096")
    );
}

#[test]
fn the_doctors_sentences_have_every_value_in_both_languages() {
    use pushlab::apns::PushType;
    use pushlab::doctor::{AppBuild, Case, diagnose_offline, verdict};
    let cases = [
        Case::default(),
        Case {
            credential: Some(Err("bad passphrase".to_owned())),
            token: Some("{length = 32, bytes = 0x740f4707 ... 61bb78ad}".to_owned()),
            build: Some(AppBuild::Xcode),
            ..Case::default()
        },
        Case {
            token: Some(format!("<{}>", "ab".repeat(32))),
            build: Some(AppBuild::TestFlightOrAppStore),
            push_type: PushType::Background,
            priority: Some(10),
            expiration: Some(0),
            collapse_id: Some("score".to_owned()),
            payload: Some(br#"{"aps":{"alert":"x","custom":1}}"#.to_vec()),
            ..Case::default()
        },
    ];
    for language in Language::ALL {
        i18n::set_language(language);
        for case in &cases {
            let findings = diagnose_offline(case, Some(pushlab::cert::Environment::Sandbox));
            let v = verdict(&findings);
            let mut saids = vec![&v.sentence_said];
            saids.extend(v.fix_said.iter());
            for f in &findings {
                saids.push(&f.evidence_said);
                saids.extend(f.fix_said.iter());
            }
            for said in saids {
                let text = i18n::said(said)
                    .unwrap_or_else(|| panic!("{}: no message for {said:?}", language.tag()));
                assert!(
                    !text.contains("{$") && !text.contains("{-") && !text.contains("???"),
                    "{}: a value is missing in {text:?} ({said:?})",
                    language.tag()
                );
            }
        }
    }
    i18n::set_language(Language::English);
}

/// The variables each message uses (`$name`), by id, from a Fluent source.
fn variables_of(source: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let mut out = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let starts_entry = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if starts_entry {
            current = line.split_once(" =").map(|(id, _)| id.trim().to_owned());
        } else if !line.starts_with(' ') && !line.starts_with('}') {
            // A line that closes a select (`} · { $token }`) still belongs to its message.
            current = None;
        }
        let Some(id) = &current else { continue };
        let vars: &mut BTreeSet<String> = out.entry(id.clone()).or_default();
        for (at, _) in line.match_indices('$') {
            let name: String = line[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            vars.insert(name);
        }
    }
    out
}

#[test]
fn every_language_uses_the_same_variables_as_english() {
    let (_, english) = SOURCES
        .iter()
        .find(|(l, _)| *l == Language::English)
        .unwrap();
    let english = variables_of(english);
    for (language, source) in SOURCES.iter().filter(|(l, _)| *l != Language::English) {
        for (id, vars) in variables_of(source) {
            let expected = english.get(&id).cloned().unwrap_or_default();
            assert_eq!(
                vars,
                expected,
                "{}: {id} uses other variables than English",
                language.tag()
            );
        }
    }
}

#[test]
fn credential_errors_read_in_chinese() {
    let e = pushlab::cert::CertError::WrongPassphrase {
        name: "Push.p12".to_owned(),
    };
    i18n::set_language(Language::ChineseSimplified);
    assert!(i18n::cert_error(&e).starts_with("Push.p12 的口令错误"));
    i18n::set_language(Language::English);
    assert!(i18n::cert_error(&e).starts_with("wrong passphrase for Push.p12"));
}

#[test]
fn file_errors_read_in_chinese() {
    let e = pushlab::files::FileError::Exists {
        path: "/tmp/推送.pem".into(),
    };
    i18n::set_language(Language::ChineseSimplified);
    let zh = i18n::file_error(&e);
    assert!(
        zh.starts_with("那里已有文件") && zh.contains("/tmp/推送.pem"),
        "{zh}"
    );
    i18n::set_language(Language::English);
    assert!(i18n::file_error(&e).starts_with("A file exists there"));
}

#[test]
fn a_push_without_an_answer_reads_in_chinese() {
    let e = pushlab::client::SendError::Timeout(30);
    i18n::set_language(Language::ChineseSimplified);
    let zh = i18n::send_error(&e);
    assert!(zh.contains("30 秒内没有回应"), "{zh}");
    i18n::set_language(Language::English);
    assert_eq!(
        i18n::send_error(&e),
        "sent, but no answer within 30 s; the server may have processed it"
    );
}
