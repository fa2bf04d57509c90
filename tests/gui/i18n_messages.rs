//! The translation layer is complete where the compiler cannot see: every message formats in
//! every language, the doctor's evidence and fixes word in every language, and plurals and
//! numbers come from Fluent. (build.rs checks that the files parse
//! and every language has English's ids and variables; the compiler, that the app calls only
//! messages that exist, with their variables, and leaves none unused.)

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use fluent_bundle::FluentValue;

use pushlab::gui::i18n::{self, Language, msg};

/// A message by id, for the assertions below (the app calls [`msg`]'s functions instead).
fn tr(id: &str) -> String {
    tr_with(id, &[])
}

fn tr_with(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    i18n::message(id, args).unwrap_or_else(|| panic!("no message {id}"))
}

/// Every message formats in every language without a Fluent error (an unknown variable, a
/// selector without a default), given a value for each of its variables.
#[test]
fn every_message_formats_in_every_language() {
    for language in Language::ALL {
        for (id, variables) in msg::VARIABLES {
            for value in [FluentValue::from(1), FluentValue::from(2000), "x".into()] {
                let args: Vec<_> = variables.iter().map(|v| (*v, value.clone())).collect();
                if let Err(e) = i18n::format_strictly(language, id, &args) {
                    panic!("{e}");
                }
            }
        }
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
    // Typed or pasted, the same count.
    let entered = |n: usize| tr_with("batch-tokens-entered", &[("count", n.into())]);
    assert_eq!(entered(1), "1 token entered");
    assert_eq!(entered(2000), "2,000 tokens entered");
    let days = |n: i64| tr_with("credentials-days-left-count", &[("days", n.into())]);
    assert_eq!(days(1), "1 day left");
    assert_eq!(days(3), "3 days left");
    let clock = |n: i64| {
        tr_with(
            "doctor-evidence-clock",
            &[("minutes", n.into()), ("direction", "ahead".into())],
        )
    };
    assert!(clock(1).contains("is 1 minute ahead of"), "{}", clock(1));
    assert!(clock(7).contains("is 7 minutes ahead of"));
    let expired = tr_with(
        "check-error-certificate-expired",
        &[
            ("date", "2026-12-06".into()),
            ("days", 1.into()),
            ("server", "x".into()),
        ],
    );
    assert!(expired.contains("(1 day ago)"), "{expired}");
    let entries = tr_with(
        "chart-by-day-summary",
        &[
            ("entries", 1.into()),
            ("days", 1.into()),
            ("delivered", 1.into()),
            ("rejected", 0.into()),
            ("unanswered", 0.into()),
        ],
    );
    assert!(
        entries.starts_with("1 History entry over 1 day:"),
        "{entries}"
    );
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
    assert_eq!(entered(2000), "已输入 2,000 个令牌");
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
    let too_large = check
        .errors
        .iter()
        .find(|e| e.code() == "too_large")
        .unwrap();
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
    let negative = dates
        .errors
        .iter()
        .find(|e| e.code() == "live_date")
        .unwrap();
    assert_eq!(
        i18n::payload_issue(negative),
        "\"timestamp\" 是负数：必须是自 1970 年起的秒数"
    );
    i18n::set_language(Language::English);
    assert_eq!(
        i18n::payload_issue(too_large),
        too_large
            .message()
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
            let findings = diagnose_offline(case, Some(pushlab::apns::Environment::Sandbox));
            let v = verdict(&findings);
            let sentence = i18n::verdict_sentence(&v.sentence);
            assert!(
                !sentence.contains("{$") && !sentence.contains("???"),
                "{}: a value is missing in {sentence:?}",
                language.tag()
            );
            let mut fixes: Vec<_> = v.fix_said.iter().collect();
            let mut saids = Vec::new();
            for f in &findings {
                saids.push(&f.evidence_value);
                fixes.extend(f.fix_said.iter());
            }
            for fix in fixes {
                let text = i18n::doctor_fix(fix);
                assert!(
                    !text.contains("{$") && !text.contains("{-") && !text.contains("???"),
                    "{}: a value is missing in {text:?} ({fix:?})",
                    language.tag()
                );
            }
            for said in saids {
                let text = i18n::evidence(said);
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

/// Why a batch result has no answer is worded by the app: its English is the library's (the
/// CLI's and `--json`'s) word for word, numbers grouped, and its Chinese has none of that
/// English left.
#[test]
fn a_batch_results_why_reads_in_chinese() {
    use pushlab::client::ResultError;
    // Entries that are not pushes, and a journal's words, are shown as they are.
    let whys: Vec<ResultError> = ResultError::examples()
        .into_iter()
        .filter(|why| !matches!(why, ResultError::Invalid(_) | ResultError::Text(_)))
        .collect();
    for why in &whys {
        i18n::set_language(Language::English);
        // The app groups digits as the language does ("1,000"); none of these has a comma
        // of its own.
        assert_eq!(
            i18n::result_error(why).replace(',', ""),
            why.to_string().replace(',', "")
        );
        i18n::set_language(Language::ChineseSimplified);
        let zh = i18n::result_error(why);
        // What is left in Latin letters is the outside text quoted in it, no sentence of ours.
        for english in ["the batch", "the server", "sent", "could not", "APNs:"] {
            assert!(!zh.contains(english), "{english:?} in {zh}");
        }
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh}"
        );
    }
    i18n::set_language(Language::English);
}

/// A header, bundle id or channel id the app cannot send is explained in its language: the library's
/// English word for word in English, none of it in Chinese but the text that was typed.
#[test]
fn header_errors_read_in_chinese() {
    use pushlab::apns::{BundleId, Expiration, HeaderError};
    let mut errors: Vec<HeaderError> = ["", "com example", "com.ex_ample", "com..example"]
        .into_iter()
        .chain([&"a".repeat(156)[..]])
        .map(|text| BundleId::parse(text).unwrap_err())
        .collect();
    errors.extend([
        Expiration::parse("tomorrow").unwrap_err(),
        HeaderError::Priority(7),
        HeaderError::CollapseIdTooLong { bytes: 65 },
        HeaderError::ApnsId("not-a-uuid".to_owned()),
    ]);
    for e in &errors {
        i18n::set_language(Language::English);
        assert_eq!(i18n::header_error(e), e.to_string());
        i18n::set_language(Language::ChineseSimplified);
        let zh = i18n::header_error(e);
        for english in ["is not", "it is", "it has", "allowed", "the "] {
            assert!(!zh.contains(english), "{english:?} in {zh}");
        }
    }
    for text in ["", &"A".repeat(300), "not base64!"] {
        let e = pushlab::apns::ChannelId::parse(text).unwrap_err();
        i18n::set_language(Language::English);
        assert_eq!(i18n::channel_id_error(&e), e.to_string());
        i18n::set_language(Language::ChineseSimplified);
        let zh = i18n::channel_id_error(&e);
        for english in ["is not", "the channel id", "empty"] {
            assert!(!zh.contains(english), "{english:?} in {zh}");
        }
    }
    i18n::set_language(Language::English);
}

/// Sentences inside sentences are worded whole in the app's language: a certificate refused
/// for its dates quotes the server's refusal, and the doctor's merged evidence quotes a check
/// step. Before they were typed, the inner sentence could fall back to English.
#[test]
fn nested_library_sentences_read_in_chinese() {
    use pushlab::client::{ConnectError, StepFix, StepSentence, TlsAlert, TlsHint};
    use pushlab::doctor::Evidence;
    let refused = ConnectError::CertificateRefused {
        alert: TlsAlert::CERTIFICATE_EXPIRED,
        after_handshake: false,
        hint: TlsHint::AlertExpired,
    };
    let expired = ConnectError::CertificateNotValid {
        expired: true,
        date: "2026-01-02".to_owned(),
        days: 338,
        server: Box::new(refused),
    };
    let merged = Evidence::ServerConfirms {
        first: Box::new(Evidence::CertificateKeyMismatch),
        then: Box::new(Evidence::Step(StepSentence::Failed(expired.clone()))),
    };
    i18n::set_language(Language::ChineseSimplified);
    let step = i18n::step_sentence(&StepSentence::Failed(expired));
    assert!(
        step.starts_with("客户端证书已于 2026-01-02 过期")
            && step.contains("服务器拒绝了客户端证书：TLS 警报 45"),
        "{step}"
    );
    let evidence = i18n::evidence(&merged);
    assert!(
        evidence.contains("服务器证实：客户端证书已于"),
        "{evidence}"
    );
    assert!(
        !evidence.contains("the server"),
        "English left in {evidence}"
    );
    let fix = i18n::step_fix(&StepFix::Hint(TlsHint::AlertExpired));
    assert!(fix.starts_with("服务器表示客户端证书已过期"), "{fix}");
    i18n::set_language(Language::English);
    let step = i18n::step_sentence(&StepSentence::Failed(ConnectError::Timeout {
        stage: pushlab::client::Stage::TlsHandshake,
        secs: 10,
    }));
    assert_eq!(step, "the TLS handshake took longer than 10 s");
}

/// The certificate request form's refusals are the library's typed `SubjectError`, worded in
/// the app's language with what was typed; the CLI keeps the English.
#[test]
fn a_refused_request_subject_reads_in_chinese() {
    use pushlab::cert::{RequestSubject, SubjectError};
    let cases = [
        (("dev", "Ada", None), "“dev”不是电子邮件地址"),
        ((" ", "Ada", None), "请填写电子邮件地址"),
        (("dev@example.com", " ", None), "请填写常用名称"),
        (
            ("dev@example.com", "Ada", Some("GBR")),
            "“GBR”不是两个字母的国家代码",
        ),
    ];
    i18n::set_language(Language::ChineseSimplified);
    for ((email, name, country), chinese) in cases {
        let e: SubjectError = RequestSubject::new(email, name, country).unwrap_err();
        let said = i18n::subject_error(&e);
        assert!(said.starts_with(chinese), "{said}");
    }
    let long = RequestSubject::new("dev@example.com", &"雷".repeat(65), None).unwrap_err();
    assert_eq!(
        i18n::subject_error(&long),
        "常用名称超过 64 个字符，这是证书的上限。"
    );
    i18n::set_language(Language::English);
    assert_eq!(
        i18n::subject_error(&long),
        "The common name is longer than 64 characters, the certificate limit."
    );
}

/// The proxy's passed steps in the connection check are typed sentences too, so a check
/// through a proxy reads wholly in Chinese; in English they say what the CLI says.
#[test]
fn a_check_through_a_proxy_reads_in_chinese() {
    use pushlab::client::StepSentence;
    use pushlab::proxy::TunnelOpened;
    let resolved = StepSentence::ProxyResolved {
        proxy: "proxy.corp".into(),
        addresses: Some("10.0.0.1".into()),
        target: Some("api.push.apple.com".into()),
    };
    let reached = StepSentence::ProxyReached {
        proxy: "http://alice:***@proxy.corp:3128".into(),
        peer: "10.0.0.1:3128".into(),
    };
    let tunnel = StepSentence::ProxyTunnel(TunnelOpened::Http {
        target: "api.push.apple.com:443".into(),
        status: 200,
        reason: "Connection established".into(),
    });
    let socks = StepSentence::ProxyTunnel(TunnelOpened::Socks5 {
        target: "api.push.apple.com:443".into(),
        resolved_name: true,
    });
    i18n::set_language(Language::ChineseSimplified);
    assert_eq!(
        i18n::step_sentence(&resolved),
        "代理 proxy.corp 位于 10.0.0.1；api.push.apple.com 由代理解析"
    );
    assert!(
        i18n::step_sentence(&reached).starts_with("已连接到代理 http://alice:***@proxy.corp:3128")
    );
    assert_eq!(
        i18n::step_sentence(&tunnel),
        "代理已打开到 api.push.apple.com:443 的隧道（200 Connection established）"
    );
    assert!(i18n::step_sentence(&socks).contains("由代理解析域名"));
    i18n::set_language(Language::English);
    assert_eq!(
        i18n::step_sentence(&resolved),
        "the proxy proxy.corp is at 10.0.0.1; api.push.apple.com is resolved by the proxy"
    );
    // The app's English is the library's (what the CLI prints).
    for s in [&tunnel, &socks] {
        let StepSentence::ProxyTunnel(opened) = s else {
            unreachable!()
        };
        assert_eq!(i18n::step_sentence(s), opened.to_string());
    }
}

/// Fluent drops a value's leading spaces: a message that continues a line ("12 / 40 · 3/s"
/// then " · about 9 s left") quotes its space, or the line reads "3/s· about 9 s left". No
/// message may start with spaces Fluent would drop, and the ETA keeps its own.
#[test]
fn a_message_that_continues_a_line_keeps_its_leading_space() {
    for (language, source) in i18n::SOURCES {
        for line in source.lines() {
            if let Some((id, value)) = line.split_once(" =")
                && !id.starts_with([' ', '#', '*', '['])
            {
                assert!(
                    !value.starts_with("  "),
                    "{}: {id} starts with spaces Fluent drops; quote them: {{\" \"}}",
                    language.tag()
                );
            }
        }
        let eta =
            i18n::format_strictly(language, "batch-time-left", &[("time", "9 s".into())]).unwrap();
        assert!(eta.starts_with(" · "), "{}: {eta:?}", language.tag());
    }
}
