//! The legacy binary interface from the command line: `pushlab sim --legacy-port
//! --feedback-port`, `pushlab legacy-send` and `pushlab feedback`, as separate processes on
//! 127.0.0.1 with a certificate the simulator issues.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::Path;

use serde_json::Value;
use support::cli::{Lines, Running, addr_in, json_lines, spawn_with_lines};
use support::pushlab;

const BUNDLE: &str = "com.example.doorbell";

fn start_sim(dir: &Path, tokens: &Path) -> (Running, Lines) {
    start_sim_with(dir, tokens, &[])
}

fn start_sim_with(dir: &Path, tokens: &Path, extra: &[&str]) -> (Running, Lines) {
    let mut command = pushlab();
    command
        .args([
            "sim",
            "--port",
            "0",
            "--legacy-port",
            "0",
            "--feedback-port",
            "0",
        ])
        .args(extra)
        .arg("--tokens")
        .arg(tokens)
        .arg("--data-dir")
        .arg(dir)
        .args(["--duration", "300"]);
    spawn_with_lines(command)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn sim_legacy_send_and_feedback() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sim");
    let (good, dead, other) = ("a1".repeat(32), "b2".repeat(32), "c3".repeat(32));
    let tokens = support::write(
        dir.path(),
        "tokens.txt",
        format!("# the doorbell's phones\n{good}\n{dead} unregistered\n{other} {BUNDLE}\n")
            .as_bytes(),
    );
    let (_sim, mut lines) = start_sim(&data, &tokens);
    let http2 = lines.wait_for(|l| l.starts_with("listening on "));
    let gateway = lines.wait_for(|l| l.starts_with("legacy gateway listening on "));
    let feedback = lines.wait_for(|l| l.starts_with("feedback service listening on "));
    assert!(http2.contains("127.0.0.1:"), "{http2}");
    assert!(
        gateway.ends_with("(binary interface, retired by Apple on 31 March 2021)"),
        "{gateway}"
    );
    let (gateway, feedback) = (addr_in(&gateway), addr_in(&feedback));
    assert_ne!(gateway, feedback);
    let header = lines.printed.join("\n");
    let order: Vec<_> = ["listening on", "legacy gateway", "feedback service"]
        .iter()
        .map(|s| header.find(s).unwrap())
        .collect();
    assert!(order.is_sorted(), "{header}");

    let ck = dir.path().join("ck.pem");
    let out = pushlab()
        .args(["sim", "issue-cert", "--bundle-id", BUNDLE, "--out"])
        .arg(&ck)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ca = data.join("ca.pem");
    assert!(ca.exists());
    let tls_args = |cmd: &mut std::process::Command| {
        cmd.arg("--cert").arg(&ck).arg("--ca").arg(&ca);
    };

    // One dead token among three: it alone is rejected, the others arrive; exit code 1.
    let mut send = pushlab();
    send.args([
        "legacy-send",
        "--server",
        &gateway,
        "--json",
        "--alert",
        "Ding dong",
    ])
    .arg("--tokens")
    .arg(&tokens);
    tls_args(&mut send);
    let out = send.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("31 March 2021"));
    let records = json_lines(&out);
    assert_eq!(records.len(), 4, "{records:?}");
    let outcome = |i: usize| (records[i]["token"].as_str(), records[i]["outcome"].as_str());
    assert_eq!(outcome(0), (Some(good.as_str()), Some("accepted")));
    assert_eq!(outcome(1), (Some(dead.as_str()), Some("rejected")));
    assert_eq!(records[1]["status"], 8);
    assert_eq!(outcome(2), (Some(other.as_str()), Some("accepted")));
    let summary = &records[3]["summary"];
    assert_eq!(
        (
            &summary["accepted"],
            &summary["rejected"],
            &summary["total"]
        ),
        (&Value::from(2), &Value::from(1), &Value::from(3))
    );

    // The text form, all accepted: exit code 0.
    let mut send = pushlab();
    send.args([
        "legacy-send",
        "--server",
        &gateway,
        "--alert",
        "Ding",
        "--command",
        "1",
    ])
    .args(["--token", &format!("<{} {}>", &good[..32], &good[32..])]);
    tls_args(&mut send);
    let out = send.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("accepted    {good}")));

    // `pushlab send --legacy` reaches the same gateway.
    let mut send = pushlab();
    send.args([
        "send", "--legacy", "--server", &gateway, "--alert", "Ding", "--json",
    ])
    .args(["--token", &good]);
    tls_args(&mut send);
    let via_send = send.output().unwrap();
    assert_eq!(
        via_send.status.code(),
        Some(0),
        "{}",
        text(&via_send.stderr)
    );
    assert_eq!(json_lines(&via_send)[0]["outcome"], "accepted");
    assert!(text(&out.stdout).contains("1 of 1 accepted"));

    // The simulator printed a line per legacy notification, marked legacy.
    let refused = lines.wait_for(|l| l.contains(&dead[..8]) && l.ends_with(" legacy"));
    assert!(refused.contains("InvalidToken (Unregistered)"), "{refused}");
    let delivered = lines.wait_for(|l| l.contains(&other[..8]));
    assert!(delivered.starts_with("200 delivered") && delivered.ends_with(" legacy"));

    // The feedback service lists the dead token once.
    let read_feedback = |json: bool| {
        let mut cmd = pushlab();
        cmd.args(["feedback", "--server", &feedback, "--timeout", "30"]);
        if json {
            cmd.arg("--json");
        }
        tls_args(&mut cmd);
        cmd.output().unwrap()
    };
    let out = read_feedback(true);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("retired by Apple on 31 March 2021"));
    let records = json_lines(&out);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["token"], dead.as_str());
    let timestamp = records[0]["timestamp"].as_i64().unwrap();
    assert!((timestamp - support::now()).abs() < 3600);
    let time = time::OffsetDateTime::parse(
        records[0]["time"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(time.unix_timestamp(), timestamp);

    // Read once, gone: the second read succeeds with nothing.
    let out = read_feedback(false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no tokens reported"));

    // Without the simulator's CA the server cannot be trusted: exit 2 and what to do.
    let out = pushlab()
        .args(["feedback", "--server", &feedback, "--cert"])
        .arg(&ck)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--ca"), "{err}");
}

/// Issues a push certificate from the simulator's CA into `dir`; returns (ck.pem, ca.pem).
fn issue_cert(dir: &Path, data: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let ck = dir.join("ck.pem");
    let out = pushlab()
        .args(["sim", "issue-cert", "--bundle-id", BUNDLE, "--out"])
        .arg(&ck)
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    (ck, data.join("ca.pem"))
}

#[test]
fn a_slow_simulated_gateway_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sim");
    let tokens: Vec<String> = (0..40u8).map(|i| format!("{i:02x}").repeat(32)).collect();
    let dead = &tokens[20];
    let list: String = tokens
        .iter()
        .map(|t| {
            if t == dead {
                format!("{t} unregistered\n")
            } else {
                format!("{t}\n")
            }
        })
        .collect();
    let tokens_file = support::write(dir.path(), "tokens.txt", list.as_bytes());
    let (_sim, mut lines) = start_sim_with(&data, &tokens_file, &["--legacy-error-delay", "1500"]);
    let gateway = addr_in(&lines.wait_for(|l| l.starts_with("legacy gateway listening on ")));
    let delay = lines.wait_for(|l| l.starts_with("legacy gateway: error packets"));
    assert!(delay.contains("1500 ms"), "{delay}");
    let (ck, ca) = issue_cert(dir.path(), &data);

    // The dead token's error packet comes 1.5 s late, after every write: it is still tied to
    // the dead token, the rest is resent and confirmed, and nothing is called accepted early.
    let out = pushlab()
        .args([
            "legacy-send",
            "--server",
            &gateway,
            "--json",
            "--alert",
            "Ding",
        ])
        .arg("--tokens")
        .arg(&tokens_file)
        .arg("--cert")
        .arg(&ck)
        .arg("--ca")
        .arg(&ca)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let records = json_lines(&out);
    assert_eq!(records[20]["outcome"], "rejected");
    let summary = &records[40]["summary"];
    assert_eq!(summary["accepted"], 39);
    assert_eq!(summary["unconfirmed"], 0);
    assert_eq!(summary["connections"], 2);

    // With a confirmation timeout shorter than the delay, nothing can be confirmed: exit 3.
    let out = pushlab()
        .args([
            "send", "--legacy", "--server", &gateway, "--alert", "Ding", "--json",
        ])
        .args(["--confirm-timeout", "0.5", "--token", &tokens[0]])
        .arg("--cert")
        .arg(&ck)
        .arg("--ca")
        .arg(&ca)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!(json_lines(&out)[0]["outcome"], "unconfirmed");

    // Command 0 is never answered: delivered, but unconfirmed, and the output says why.
    let out = pushlab()
        .args([
            "legacy-send",
            "--server",
            &gateway,
            "--alert",
            "Ding",
            "--command",
            "0",
        ])
        .args(["--token", &tokens[1]])
        .arg("--cert")
        .arg(&ck)
        .arg("--ca")
        .arg(&ca)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("command 0"),
        "{}",
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("unconfirmed {}", tokens[1])),
        "{stdout}"
    );
    assert!(stdout.contains("never answered"), "{stdout}");
}

#[test]
fn feedback_reports_a_closed_port_with_exit_code_2() {
    // A port that was free a moment ago: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sim");
    let ck = dir.path().join("ck.pem");
    let out = pushlab()
        .args(["sim", "issue-cert", "--bundle-id", BUNDLE, "--out"])
        .arg(&ck)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for command in ["feedback", "legacy-send"] {
        let mut cmd = pushlab();
        cmd.args([command, "--server", &format!("127.0.0.1:{port}"), "--cert"])
            .arg(&ck);
        if command == "legacy-send" {
            cmd.args(["--token", &"a1".repeat(32), "--alert", "hi"]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = text(&out.stderr);
        assert!(err.contains("could not connect"), "{command}: {err}");
        assert!(err.contains("firewall"), "{command}: {err}");
    }
}

#[test]
fn legacy_commands_say_they_are_legacy_in_help() {
    for command in ["feedback", "legacy-send"] {
        let out = pushlab().args([command, "--help"]).output().unwrap();
        assert!(out.status.success());
        let help = text(&out.stdout);
        assert!(help.contains("[legacy]"), "{command}: {help}");
        assert!(help.contains("31 March 2021"), "{command}: {help}");
    }
    let out = pushlab().arg("--help").output().unwrap();
    assert!(text(&out.stdout).contains("legacy-send"));
}
