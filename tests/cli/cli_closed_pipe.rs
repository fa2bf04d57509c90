//! A reader that stops early (`pushlab … | head -1`) ends the command quietly, as it does
//! ripgrep and git: no "Broken pipe" error, no panic, nothing on standard error, and exit
//! code 0 (ripgrep's choice: what was printed was right, and the reader asked for no more).
//! A batch still sends every push and keeps its lists and journal: only its printing stops.
//!
//! Each command writes into a pipe whose reading end is closed before it starts, so its first
//! write to standard output fails with EPIPE, whatever the size of its output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support;
use support::doctor::{sim, token};

/// Runs `command` with a standard output nobody reads: (exit code, standard error).
fn into_closed_pipe(mut command: Command) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = command
        .stdout(writer)
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn pushlab(args: &[&str], paths: &[(&str, &Path)]) -> Command {
    let mut c = support::pushlab();
    c.args(args);
    for (flag, path) in paths {
        c.arg(flag).arg(path);
    }
    c
}

#[test]
fn every_printing_command_ends_quietly_when_its_reader_has_gone() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sim(dir.path(), "sim", "sandbox", "");
    let cert = s.dev_cert();
    let tokens = support::write(
        dir.path(),
        "tokens.txt",
        format!("{}\n{}\n{}\n", token(1), token(2), token(3)).as_bytes(),
    );
    let at_sim: &[(&str, &Path)] = &[("--ca", &s.ca), ("--cert", &cert)];
    let batch: &[(&str, &Path)] = &[("--ca", &s.ca), ("--cert", &cert), ("--tokens", &tokens)];
    let cases = [
        pushlab(&["man"], &[]),
        pushlab(&["completions", "bash"], &[]),
        pushlab(&["cert", "inspect", &cert.to_string_lossy()], &[]),
        pushlab(&["cert", "inspect", "--json", &cert.to_string_lossy()], &[]),
        pushlab(&["check", "--json", "--server", &s.addr], at_sim),
        pushlab(
            &["send", "--json", "--server", &s.addr, "--token", &token(1)],
            at_sim,
        ),
        pushlab(
            &[
                "batch",
                "--no-journal",
                "--server",
                &s.addr,
                "--alert",
                "Ding",
            ],
            batch,
        ),
        pushlab(
            &["batch", "--json", "--no-journal", "--server", &s.addr],
            batch,
        ),
    ];
    for command in cases {
        let shown = format!("{:?}", command.get_args().collect::<Vec<_>>());
        let (code, stderr) = into_closed_pipe(command);
        assert_eq!(code, Some(0), "{shown}: {stderr}");
        assert!(stderr.is_empty(), "{shown}: {stderr}");
    }
    // Every push went out all the same: one `send`, and two batches of three. The
    // simulator prints one line per push it delivered.
    let delivered = std::cell::Cell::new(0);
    s.lines.wait_for(|l| {
        if l.contains("delivered") {
            delivered.set(delivered.get() + 1);
        }
        delivered.get() == 7
    });
}
