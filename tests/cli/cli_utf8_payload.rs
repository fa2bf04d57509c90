//! Payloads in any script: limits count UTF-8 bytes, not characters, and Chinese text reaches
//! the simulator byte for byte (judged by the simulator's own JSON Lines log).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use crate::support;
use std::process::Command;

use support::cli::{addr_in, spawn_with_lines};
use support::pushlab;

/// A compact alert payload of exactly `size` UTF-8 bytes whose body is Chinese, padded with
/// ASCII so the count is exact.
pub fn chinese_payload(size: usize) -> String {
    let head = r#"{"aps":{"alert":{"title":"门铃响了 🔔","body":""#;
    let tail = r#""}}}"#;
    let mut body = String::new();
    while head.len() + body.len() + "有人按门铃".len() + tail.len() <= size {
        body.push_str("有人按门铃");
    }
    while head.len() + body.len() + tail.len() < size {
        body.push('.');
    }
    let payload = format!("{head}{body}{tail}");
    assert_eq!(payload.len(), size);
    assert!(
        payload.chars().count() < 2_000,
        "far fewer characters than bytes"
    );
    payload
}

#[test]
fn a_chinese_payload_over_4096_bytes_is_refused_and_one_of_4096_arrives_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let status = pushlab()
        .args(["sim", "issue-cert", "--bundle-id", "com.example.doorbell"])
        .args(["--out", &p("ck.pem"), "--data-dir", &p("sim")])
        .status()
        .unwrap();
    assert!(status.success());
    let mut sim = Command::new(env!("CARGO_BIN_EXE_pushlab"));
    sim.args([
        "sim",
        "--port",
        "0",
        "--data-dir",
        &p("sim"),
        "--duration",
        "60",
    ])
    .args(["--log", &p("log.jsonl")]);
    let (_sim, mut lines) = spawn_with_lines(sim);
    let addr = addr_in(&lines.wait_for(|l| l.contains("listening on")));
    let send = |payload: &str| {
        std::fs::write(p("payload.json"), payload).unwrap();
        pushlab()
            .args([
                "send",
                "--server",
                &addr,
                "--ca",
                &p("sim/ca.pem"),
                "--cert",
                &p("ck.pem"),
            ])
            .args(["--token", &"ab".repeat(32), "--payload", &p("payload.json")])
            .args(["--topic", "com.example.doorbell", "--json"])
            .output()
            .unwrap()
    };

    let too_big = send(&chinese_payload(4_097));
    assert_eq!(too_big.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&too_big.stderr);
    assert!(stderr.contains("4097 bytes"), "{stderr}");
    assert!(stderr.contains("4096-byte limit"), "{stderr}");

    let payload = chinese_payload(4_096);
    let out = send(&payload);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The simulator's record, not pushlab's report.
    let log = std::fs::read_to_string(p("log.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 1, "one delivery, not the refused one");
    let body = serde_json::from_str::<serde_json::Value>(&payload).unwrap()["aps"]["alert"]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        log.contains(&body),
        "the log keeps the Chinese text unescaped"
    );
    let logged: serde_json::Value = serde_json::from_str(log.trim()).unwrap();
    let sent: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(logged["payload"], sent);
    assert_eq!(logged["payload"]["aps"]["alert"]["title"], "门铃响了 🔔");
}
