//! `pushlab sim issue-key`: a test auth key (.p8) to rehearse token-based connections without
//! an Apple account. OpenSSL reads it as Apple's are (EC P-256, PKCS#8); a `pushlab sim` told
//! to trust it accepts a Live Activity signed with it, by its own line, and refuses one signed
//! with a key it was not told about.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use support::cli::{addr_in, spawn_with_lines};
use support::pushlab;

const TEAM: &str = "TEAMID1234";

fn issue_key(dir: &std::path::Path) -> std::path::PathBuf {
    let out = pushlab()
        .args(["sim", "issue-key", "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let path = stdout
        .strip_prefix("wrote ")
        .and_then(|rest| rest.split(": test auth key").next())
        .unwrap_or_else(|| panic!("{stdout}"));
    std::path::PathBuf::from(path)
}

#[test]
fn a_test_key_is_apples_kind_and_a_simulator_told_of_it_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = issue_key(dir.path());
    let name = key.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("AuthKey_") && name.ends_with(".p8") && name.len() == 21,
        "{name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::process::Command::new("openssl")
        .args(["pkey", "-noout", "-text", "-in"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(text.status.success(), "{text:?}");
    assert!(String::from_utf8_lossy(&text.stdout).contains("prime256v1"));
    // A second key, never given to the simulator.
    let other_dir = dir.path().join("other");
    std::fs::create_dir(&other_dir).unwrap();
    let stranger = issue_key(&other_dir);

    let mut command = pushlab();
    command
        .args(["sim", "--port", "0", "--duration", "300", "--team-id", TEAM])
        .arg("--auth-key")
        .arg(&key)
        .arg("--data-dir")
        .arg(dir.path().join("sim"));
    let (_sim, mut lines) = spawn_with_lines(command);
    let addr = addr_in(&lines.wait_for(|l| l.starts_with("listening on ")));
    let send = |key: &std::path::Path| {
        pushlab()
            .args(["send", "--server", &addr, "--push-type", "liveactivity"])
            .args(["--topic", "com.example.app.push-type.liveactivity"])
            .args([
                "--event",
                "update",
                "--content-state",
                "a=1",
                "--priority",
                "5",
            ])
            .args(["--token", &"ab".repeat(32), "--team-id", TEAM, "--auth-key"])
            .arg(key)
            .arg("--ca")
            .arg(dir.path().join("sim/ca.pem"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .output()
            .unwrap()
    };
    let out = send(&key);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let line = lines.wait_for(|l| l.contains("liveactivity"));
    assert!(line.starts_with("200"), "{line}");
    let out = send(&stranger);
    assert_ne!(out.status.code(), Some(0));
    let line = lines.wait_for(|l| l.contains("InvalidProviderToken"));
    assert!(line.starts_with("403"), "{line}");
}
