//! `pushlab check | send | batch` as a user runs them, against the in-process simulator and a
//! separately running `pushlab sim`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use crate::support;
use std::io::BufRead as _;
use std::process::Stdio;

use support::cli::{Running, json_lines};
use support::{names, pushlab};

#[test]
fn check_and_send_against_the_local_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = pushlab()
        .args(["check", "--server", "local", "--data-dir", data, "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = &json_lines(&out)[0];
    let steps: Vec<_> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(steps.len(), 5);
    assert!(steps.iter().all(|(_, s)| s == "passed"), "{steps:?}");
    assert!(report["steps"][0]["ms"].is_number());

    let token = "<740f4707 bebcf74f 9b7c25d4 8e335894 5f6aa01d a5ddb387 462c7eaf 61bb78ad>";
    let out = pushlab()
        .args([
            "send",
            "--server",
            "local",
            "--data-dir",
            data,
            "--json",
            "--token",
            token,
            "--title",
            "Doorbell",
            "--alert",
            "Ring",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = &json_lines(&out)[0];
    assert_eq!(r["status"], 200);
    assert_eq!(
        r["token"],
        "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad"
    );
    for key in [
        "reason",
        "apns_id",
        "apns_unique_id",
        "timestamp",
        "latency_ms",
        "attempts",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }

    let out = pushlab()
        .args([
            "send",
            "--server",
            "local",
            "--data-dir",
            data,
            "--token",
            "{length = 32, bytes = 0x740f4707 ... 61bb78ad }",
            "--alert",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("%02x"));

    let big = "x".repeat(5000);
    let out = pushlab()
        .args([
            "send",
            "--server",
            "local",
            "--data-dir",
            data,
            "--token",
            &"ab".repeat(32),
            "--alert",
            &big,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("over the 4096-byte limit"), "{err}");
}

#[test]
fn batch_against_a_running_simulator_writes_dead_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let dead_token = format!("{:064x}", 42);
    std::fs::write(p("registry.txt"), format!("{dead_token} unregistered\n")).unwrap();
    let status = pushlab()
        .args([
            "sim",
            "issue-cert",
            "--bundle-id",
            "com.example.doorbell",
            "--out",
            &p("ck.pem"),
            "--data-dir",
            &p("sim"),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = pushlab()
        .args([
            "sim",
            "--port",
            "0",
            "--data-dir",
            &p("sim"),
            "--tokens",
            &p("registry.txt"),
            "--duration",
            "60",
            "--quiet",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let sim = Running(child);
    let first = std::io::BufReader::new(stdout)
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let addr = first.split_whitespace().nth(2).unwrap().to_owned();
    assert!(first.starts_with("listening on 127.0.0.1:"), "{first}");

    let tokens: String = (1..=500)
        .map(|i| format!("{i:064x} phone {i}\n"))
        .collect::<String>()
        + "not-a-token\n";
    std::fs::write(p("tokens.txt"), tokens).unwrap();
    let out = pushlab()
        .args([
            "batch",
            "--server",
            &addr,
            "--ca",
            &p("sim/ca.pem"),
            "--cert",
            &p("ck.pem"),
            "--tokens",
            &p("tokens.txt"),
            "--alert",
            "Ding dong",
            "--dead-tokens",
            &p("dead.txt"),
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    let summary = &lines.last().unwrap()["summary"];
    // 500 tokens and a line that is not one: 501 results, the last "invalid input".
    assert_eq!(summary["total"], 501);
    assert_eq!(summary["delivered"], 499);
    assert_eq!(summary["invalid_lines"], 1);
    assert_eq!(summary["invalid_input"], 1);
    assert_eq!(summary["reasons"]["Unregistered"], 1);
    let per_token: Vec<_> = lines[..lines.len() - 1].iter().collect();
    assert_eq!(per_token.len(), 501);
    let dead = per_token
        .iter()
        .find(|r| r["token"] == dead_token.as_str())
        .unwrap();
    assert_eq!(
        (
            dead["status"].as_u64(),
            dead["reason"].as_str(),
            dead["name"].as_str()
        ),
        (Some(410), Some("Unregistered"), Some("phone 42"))
    );
    assert!(
        std::fs::read_to_string(p("dead.txt"))
            .unwrap()
            .starts_with(&dead_token)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 501"));

    let out = pushlab()
        .args([
            "check",
            "--server",
            &addr,
            "--ca",
            &p("sim/ca.pem"),
            "--cert",
            &p("ck.pem"),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    drop(sim);
}

/// `pushlab batch --server local` (the in-process simulator) over three tokens.
fn local_batch(dir: &std::path::Path, tokens: &str, extra: &[&str]) -> std::process::Output {
    let data = dir.join("data");
    pushlab()
        .current_dir(dir)
        .args(["batch", "--server", "local", "--data-dir"])
        .arg(&data)
        .args(["--tokens", tokens, "--alert", "Ding dong"])
        .args(extra)
        .output()
        .unwrap()
}

fn three_tokens(dir: &std::path::Path) -> String {
    let tokens: String = (1..=3).map(|i| format!("{i:064x} phone {i}\n")).collect();
    std::fs::write(dir.join("tokens.txt"), &tokens).unwrap();
    tokens
}

#[test]
fn batch_keeps_an_existing_dead_tokens_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    three_tokens(dir.path());
    let dead = dir.path().join("dead.txt");
    std::fs::write(&dead, "yesterday's list\n").unwrap();

    let out = local_batch(dir.path(), "tokens.txt", &["--dead-tokens", "dead.txt"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("exists: pass --force to replace it"), "{err}");
    assert!(err.contains("dead.txt"), "{err}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "refused before anything was sent"
    );
    assert_eq!(
        std::fs::read_to_string(&dead).unwrap(),
        "yesterday's list\n"
    );
    assert!(
        !dir.path().join("data").exists(),
        "not even the local simulator was started"
    );
    assert_eq!(names(dir.path()), ["dead.txt", "tokens.txt"]);

    let out = local_batch(
        dir.path(),
        "tokens.txt",
        &["--dead-tokens", "dead.txt", "--force", "--json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines.last().unwrap()["summary"]["delivered"], 3);
    // No token is dead on the simulator: the new list is empty, and replaced the old one.
    assert_eq!(std::fs::read_to_string(&dead).unwrap(), "");
    assert_eq!(names(dir.path()), ["data", "dead.txt", "tokens.txt"]);
}

#[test]
fn batch_never_writes_dead_tokens_over_its_own_input() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = three_tokens(dir.path());
    let payloads = "{\"aps\":{\"alert\":\"a\"}}\n".repeat(3);
    std::fs::write(dir.path().join("payloads.jsonl"), &payloads).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("tokens.txt", dir.path().join("link.txt")).unwrap();

    let mut cases = vec![
        vec!["--dead-tokens", "tokens.txt"],
        vec!["--dead-tokens", "tokens.txt", "--force"],
        vec!["--dead-tokens", "./tokens.txt", "--force"],
    ];
    #[cfg(unix)]
    cases.push(vec!["--dead-tokens", "link.txt", "--force"]);
    for case in &cases {
        let out = local_batch(dir.path(), "tokens.txt", case);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{case:?}: {err}");
        assert!(err.contains("is also an input"), "{case:?}: {err}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{case:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("tokens.txt")).unwrap(),
            tokens,
            "{case:?}"
        );
    }

    // The payloads file is an input too.
    let data = dir.path().join("data");
    let out = pushlab()
        .current_dir(dir.path())
        .args(["batch", "--server", "local", "--data-dir"])
        .arg(&data)
        .args([
            "--tokens",
            "tokens.txt",
            "--payloads",
            "payloads.jsonl",
            "--dead-tokens",
            "payloads.jsonl",
            "--force",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is also an input"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("payloads.jsonl")).unwrap(),
        payloads
    );
    let mut expected = vec!["payloads.jsonl", "tokens.txt"];
    #[cfg(unix)]
    expected.insert(0, "link.txt");
    assert_eq!(names(dir.path()), expected);
}

/// Trusting the simulator's CA for Apple's hosts is said plainly before anything is sent.
#[test]
fn trusting_the_simulator_ca_for_apple_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let ok = pushlab()
        .args([
            "sim",
            "export-ca",
            "--data-dir",
            &p("sim"),
            "--out",
            &p("ca.pem"),
        ])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stderr).contains("not system-wide"));
    let ok = pushlab()
        .args([
            "sim",
            "issue-cert",
            "--bundle-id",
            "com.example.app",
            "--data-dir",
            &p("sim"),
            "--out",
            &p("ck.pem"),
        ])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    // Offline here: the check fails at DNS, after the warning.
    let out = pushlab()
        .args([
            "check",
            "--server",
            "sandbox",
            "--ca",
            &p("ca.pem"),
            "--cert",
            &p("ck.pem"),
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("simulator's CA"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
