//! `pushlab batch --stats-every SECONDS`: progress figures for scripts, one JSON line on
//! standard error at the pace asked, while the results keep to standard output. Against an
//! HTTP/2 peer written for the tests that answers each push after 20 ms (its own record says
//! how many it processed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::time::Duration;

use pushlab::cert::{CertEnvironment, ExportFormat};
use support::h2peer::{Misbehaviour, Peer};

/// `pushlab batch` with `args` over 400 tokens, 4 pushes at a time, against a peer that
/// answers each after 20 ms (about 200 a second): the peer (its record is the truth) and what
/// the command printed.
async fn batch_against_a_slow_peer(args: &[&str]) -> (Peer, std::process::Output, Duration) {
    let peer = Peer::start(Misbehaviour {
        answer_delay: Some(Duration::from_millis(20)),
        ..Misbehaviour::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ca = support::write(dir.path(), "peer-ca.pem", &peer.ca.to_pem().unwrap());
    let credential = support::push_cert(
        &support::ca(),
        "com.example.app",
        CertEnvironment::Development,
    );
    let cert = support::write(
        dir.path(),
        "ck.pem",
        &credential.export(ExportFormat::Pem, None).unwrap(),
    );
    let tokens: String = (0..TOKENS).map(|i| format!("{i:064x}\n")).collect();
    let list = support::write(dir.path(), "tokens.txt", tokens.as_bytes());
    let started = std::time::Instant::now();
    let out = tokio::process::Command::from(support::pushlab())
        .args(["batch", "--no-journal", "--alert", "hi"])
        .args(args)
        .args(["--max-in-flight", "4", "--tokens"])
        .arg(&list)
        .arg("--server")
        .arg(peer.addr.to_string())
        .arg("--ca")
        .arg(&ca)
        .arg("--cert")
        .arg(&cert)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .await
        .unwrap();
    (peer, out, started.elapsed())
}

/// The tokens each run sends.
const TOKENS: u64 = 400;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_figures_come_as_json_lines_at_the_pace_asked() {
    let (peer, out, took) = batch_against_a_slow_peer(&["--json", "--stats-every", "1"]).await;
    let n = TOKENS;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(peer.processed().len() as u64, n);

    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with("{\"stats\""))
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["stats"].clone())
        .collect();
    // 400 pushes, 4 at a time, 20 ms each: about 2 s, so one or more lines, never more than
    // one a second.
    assert!(!lines.is_empty(), "{stderr}");
    assert!(
        lines.len() as f64 <= took.as_secs_f64() + 1.0,
        "{} lines in {took:?}",
        lines.len()
    );
    let mut done_before = 0;
    for s in &lines {
        let done = s["done"].as_u64().unwrap();
        assert!(done >= done_before && done <= n, "{s}");
        done_before = done;
        let counted: u64 = [
            "delivered",
            "rejected",
            "unconfirmed",
            "not_sent",
            "invalid_input",
        ]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
        // Results are counted as they are printed; the engine's done may be a moment ahead.
        assert!(counted <= n, "{s}");
        assert!(s["elapsed_seconds"].as_f64().unwrap() >= 1.0, "{s}");
        assert!(s["per_second"].as_f64().unwrap() > 0.0, "{s}");
    }
    // Standard output still holds exactly the results and the summary.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().all(|l| !l.contains("\"stats\"")));
    assert_eq!(stdout.lines().count() as u64, n + 1);
}

/// A batch its `--deadline` stops says so once, beside its counts, and its rate is what it
/// sent: 400 pushes, 4 at a time, each answered after 20 ms (about 200 a second) with a
/// 1-second deadline. The unsent ones once made the rate read as if all 400 had gone in that
/// second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_stopped_by_its_deadline_says_so_and_rates_what_it_sent() {
    let (peer, out, _) = batch_against_a_slow_peer(&["--deadline", "1"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    let sent = peer.processed().len() as f64;
    assert!(sent < 400.0, "the deadline stopped nothing: {stdout}");
    assert_eq!(
        stdout
            .matches("stopped before the end: the batch ran out of time (its deadline) first")
            .count(),
        1,
        "{stdout}"
    );
    // "400 results in 1.02 s, 205 sent (201/s) over 1 connection(s): …"
    let line = stdout
        .lines()
        .find(|l| l.starts_with("400 results in "))
        .unwrap_or_else(|| panic!("{stdout}"));
    let number_before = |marker: &str| -> f64 {
        line.split(marker)
            .next()
            .unwrap()
            .rsplit([' ', '('])
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let seconds = number_before(" s, ");
    assert_eq!(
        number_before(" sent "),
        sent,
        "the peer processed {sent}: {line}"
    );
    let rate = number_before("/s)");
    // Both are printed rounded: the rate to 1/s, the seconds to 0.005 s either way, which
    // alone moves 172 sent in 1.05 s by 0.8/s (a run once printed 165/s beside 163.8).
    let slack = 0.5 + sent * 0.005 / (seconds - 0.005).powi(2) + 0.01;
    assert!((rate - sent / seconds).abs() <= slack, "{line}");
}
