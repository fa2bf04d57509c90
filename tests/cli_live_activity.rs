//! Live Activity mistakes stop `pushlab send` with their own message before anything is sent;
//! a correct update goes out and the simulator answers 200.

#![allow(clippy::unwrap_used)]

mod support;

use support::pushlab;

fn send(dir: &std::path::Path, payload: &str, priority: &str) -> std::process::Output {
    let file = support::write(dir, "la.json", payload.as_bytes());
    pushlab()
        .args([
            "send",
            "--env",
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
