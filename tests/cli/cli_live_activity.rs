//! Live Activity mistakes stop `pushlab send` with their own message before anything is sent;
//! a correct update goes out and the simulator answers 200.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use support::pushlab;

fn send(dir: &std::path::Path, payload: &str, priority: &str) -> std::process::Output {
    let file = support::write(dir, "la.json", payload.as_bytes());
    pushlab()
        .args([
            "send",
            "--server",
            "local",
            "--json",
            "--push-type",
            "liveactivity",
            "--priority",
            priority,
        ])
        .args([
            "--topic",
            "com.example.app.push-type.liveactivity",
            "--token",
            &"ab".repeat(32),
        ])
        .arg("--payload")
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.join("sim"))
        .output()
        .unwrap()
}

#[test]
fn a_timestamp_in_milliseconds_is_refused_with_the_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let out = send(
        dir.path(),
        r#"{"aps":{"event":"update","timestamp":1764460800000,"content-state":{"score":1}}}"#,
        "5",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("milliseconds") && err.contains("(1764460800)"),
        "{err}"
    );
}

#[test]
fn a_start_without_attributes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = send(
        dir.path(),
        r#"{"aps":{"event":"start","timestamp":1764460800,"content-state":{},"alert":{"title":"Match"}}}"#,
        "10",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"attributes-type\""));
}

#[test]
fn a_correct_update_is_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let out = send(
        dir.path(),
        r#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"score":1}}}"#,
        "5",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = support::cli::json_lines(&out);
    assert_eq!(json[0]["status"], 200, "{json:?}");
}

/// `pushlab sim` says on each request's line what a Live Activity push did to its activity:
/// a start names the update token the phone made for it, an update sent to the push-to-start
/// token or older than the last is ignored.
#[test]
fn pushlab_sim_prints_an_older_update_as_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (mut sim, credential) = support::cli::sim_with_key(dir.path());
    let start_token = "cd".repeat(32);
    let send_to = |token: &str, name: &str, payload: &str, extra: &[&str]| {
        let file = support::write(dir.path(), name, payload.as_bytes());
        let out = pushlab()
            .args(["send", "--server", &sim.addr, "--push-type", "liveactivity"])
            .args(extra)
            .args(["--priority", "5", "--token", token])
            .args(["--topic", "com.example.app.push-type.liveactivity"])
            .args(&credential)
            .arg("--payload")
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    send_to(
        &start_token,
        "start.json",
        r#"{"aps":{"event":"start","timestamp":1764460800,"attributes-type":"Match","attributes":{},"content-state":{"score":0},"alert":{"title":"Kick-off"}}}"#,
        &[],
    );
    let line = sim.lines.wait_for(|l| l.contains("live activity"));
    assert!(line.contains("live activity start: applied"), "{line}");
    let update_token = support::cli::update_token_in(&line);
    assert_ne!(update_token, start_token);
    // An update to the push-to-start token: accepted, and no activity changes.
    send_to(
        &start_token,
        "new.json",
        r#"{"aps":{"event":"update","timestamp":1764460900,"content-state":{"score":1}}}"#,
        &[],
    );
    let line = sim.lines.wait_for(|l| l.contains("live activity update"));
    assert!(
        line.contains("ignored, sent to the push-to-start token") && line.contains(&update_token),
        "{line}"
    );
    assert!(line.starts_with("200"), "APNs still answers 200: {line}");
    let send = |name: &str, payload: &str| send_to(&update_token, name, payload, &[]);
    send(
        "old.json",
        r#"{"aps":{"event":"update","timestamp":1764460700,"content-state":{"score":1}}}"#,
    );
    let line = sim
        .lines
        .wait_for(|l| l.contains("live activity update") && !l.contains("push-to-start"));
    assert!(
        line.contains("ignored, older than the last update (timestamp 1764460800)"),
        "{line}"
    );
    assert!(line.starts_with("200"), "APNs still answers 200: {line}");
    // The same file stamped with the time of sending is newer, and applied.
    send_to(
        &update_token,
        "old.json",
        r#"{"aps":{"event":"update","timestamp":1764460700,"content-state":{"score":1}}}"#,
        &["--timestamp-now"],
    );
    let line = sim
        .lines
        .wait_for(|l| l.contains("live activity update: applied"));
    assert!(line.starts_with("200"), "{line}");
}
