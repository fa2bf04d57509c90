//! Shell completions, man pages and the shape of the command line, generated from the
//! command-line definition: what a packager and a user's shell see.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use support::pushlab;

fn run(args: &[&str]) -> std::process::Output {
    pushlab().args(args).output().unwrap()
}

#[test]
fn completions_know_every_command_and_flag() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in [
            "legacy-send",
            "batch",
            "resend-unconfirmed",
            "bad-tokens",
            "server",
            "other-server",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let bash = run(&["completions", "bash"]);
    // The names of before are aliases, not offered.
    let words: Vec<&str> = std::str::from_utf8(&bash.stdout)
        .unwrap()
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
        .collect();
    for old in ["--env", "--host", "--other-env"] {
        assert!(!words.contains(&old), "bash offers {old}");
    }
    let status = std::process::Command::new("bash")
        .args(["-n", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(&bash.stdout)?;
            child.wait()
        })
        .unwrap();
    assert!(status.success(), "bash parses the script");
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_pages_for_the_program_and_each_command() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH pushlab"),
        "{page:.200}"
    );
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("man1");
    let out = run(&["man", "--out", target.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "pushlab",
        "pushlab-batch",
        "pushlab-send",
        "pushlab-legacy-send",
    ] {
        let text = std::fs::read_to_string(target.join(format!("{name}.1"))).unwrap();
        assert!(text.contains(&format!(".TH {name}")), "{name}: {text:.200}");
    }
    let batch = std::fs::read_to_string(target.join("pushlab-batch.1")).unwrap();
    assert!(
        batch.contains("resend\\-unconfirmed"),
        "flags are documented"
    );
    assert!(
        batch.contains("\\-\\-server"),
        "the destination is --server"
    );
    assert!(
        !batch.contains("\\-\\-env "),
        "--env is an alias, not documented"
    );
    // Never over existing pages without --force.
    let again = run(&["man", "--out", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = run(&["man", "--out", target.to_str().unwrap(), "--force"]);
    assert_eq!(forced.status.code(), Some(0));
}

#[test]
fn legacy_commands_take_server_like_every_other() {
    for command in ["legacy-send", "feedback"] {
        let help = String::from_utf8(run(&[command, "--help"]).stdout).unwrap();
        assert!(
            help.contains("--server <production|sandbox|HOST:PORT>"),
            "{help}"
        );
        assert!(
            !help.contains("--host"),
            "the old flag is an alias, not advertised"
        );
    }
    let send_help = String::from_utf8(run(&["send", "--help"]).stdout).unwrap();
    assert!(
        !send_help.contains("--legacy"),
        "one way to send legacy: legacy-send"
    );
    let out = run(&[
        "feedback",
        "--server",
        "local",
        "--cert",
        "/nonexistent.pem",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// One name per meaning: `--server` says where to connect on every command that connects,
/// `--environment` names an Apple environment, `--kind` a certificate's kind. The names of
/// before still work for a release, unadvertised.
#[test]
fn the_names_of_before_still_work_and_are_hidden() {
    // (command, old spelling, new spelling, a value both take)
    let cases: [(&[&str], &str, &str, &str); 13] = [
        (&["send"], "--env", "--server", "sandbox"),
        (&["batch"], "--env", "--server", "sandbox"),
        (&["check"], "--env", "--server", "sandbox"),
        (&["doctor"], "--env", "--server", "sandbox"),
        (&["channels", "list"], "--env", "--server", "sandbox"),
        (&["feedback"], "--env", "--server", "sandbox"),
        (&["feedback"], "--host", "--server", "127.0.0.1:2196"),
        (&["legacy-send"], "--env", "--server", "sandbox"),
        (&["legacy-send"], "--host", "--server", "127.0.0.1:2195"),
        (
            &["doctor"],
            "--other-env",
            "--other-server",
            "127.0.0.1:2197",
        ),
        (&["sim"], "--env", "--environment", "production"),
        (&["sim", "issue-cert"], "--env", "--kind", "universal"),
        // "Reset" means RST_STREAM only; a dropped connection is a drop.
        (&["sim"], "--reset-after", "--drop-after", "5"),
    ];
    for (command, old, new, value) in cases {
        let help = String::from_utf8(run(&[command, &["--help"]].concat()).stdout).unwrap();
        assert!(help.contains(&format!("{new} <")), "{command:?}: {help}");
        assert!(
            !help.contains(&format!("{old} ")) && !help.contains(&format!("{old}\n")),
            "{command:?} advertises {old}: {help}"
        );
        // The old spelling is the new one: given both, clap refuses the same argument twice.
        let twice = run(&[command, &[old, value, new, value]].concat());
        let said = String::from_utf8_lossy(&twice.stderr);
        assert_eq!(twice.status.code(), Some(2), "{command:?} {old}: {said}");
        assert!(
            said.contains("cannot be used multiple times"),
            "{command:?}: {old} is not {new}: {said}"
        );
    }
    // And alone it does what the new name does: the simulator answers as production.
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("ck.pem");
    let issued = run(&[
        "sim",
        "issue-cert",
        "--bundle-id",
        "com.example.app",
        "--env",
        "production",
        "--out",
        cert.to_str().unwrap(),
        "--data-dir",
        dir.path().join("sim").to_str().unwrap(),
    ]);
    assert_eq!(issued.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&issued.stdout).contains("(production"));
}

/// `pushlab man | head -1`: a reader that stops early ends the command quietly (exit 0, no
/// "Broken pipe" error), as with every command-line tool.
#[test]
fn a_reader_that_stops_early_ends_quietly() {
    for args in [&["man"][..], &["completions", "bash"][..]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pushlab"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before anything is read: every write gets EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
