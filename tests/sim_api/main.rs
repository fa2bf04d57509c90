//! The simulator's control API driven from outside, as a backend's test suite would: a
//! `pushlab sim --api-port 0` process, pushes sent by the tests' own HTTP/2 client
//! (`support::h2client`, not pushlab's), and every API call made with `curl`. No sleeps: the
//! API's `wait` answers when deliveries exist, and other checks poll with a deadline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod activities;
mod control;
mod events;
mod web;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::sim::SimIdentity;
use serde_json::Value;
use support::cli::{Lines, Running, spawn_with_lines};
use support::h2client::{self, Client};

pub(crate) const BUNDLE: &str = "com.example.doorbell";
pub(crate) const ALERT: &str = r#"{"aps":{"alert":{"title":"Door","body":"Someone rang"}}}"#;

pub(crate) fn token(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

pub(crate) struct Lab {
    _running: Running,
    pub(crate) lines: Lines,
    pub(crate) apns: SocketAddr,
    pub(crate) api: String,
    pub(crate) identity: SimIdentity,
    /// The test auth key the simulator trusts (team [`support::doctor::TEAM_ID`]), and its file.
    pub(crate) key: pushlab::cert::AuthKey,
    pub(crate) key_file: std::path::PathBuf,
    pub(crate) dir: tempfile::TempDir,
}

/// The address after "listening on " in a line.
pub(crate) fn listening(line: &str) -> String {
    line.split("listening on ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

pub(crate) fn start(extra: &[&str]) -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sim");
    std::fs::create_dir_all(&data).unwrap();
    let tokens = support::write(
        &data,
        "tokens.txt",
        format!("{} {BUNDLE}\n{} {BUNDLE}\n", token(1), token(2)).as_bytes(),
    );
    let key_file = support::doctor::auth_key(dir.path());
    let key = pushlab::cert::AuthKey {
        key: openssl::pkey::PKey::private_key_from_pem(&std::fs::read(&key_file).unwrap()).unwrap(),
        key_id: support::doctor::KEY_ID.to_owned(),
        team_id: support::doctor::TEAM_ID.to_owned(),
    };
    let mut command = support::pushlab();
    command
        .args(["sim", "--port", "0", "--api-port", "0", "--duration", "300"])
        .arg("--auth-key")
        .arg(&key_file)
        .args(["--team-id", support::doctor::TEAM_ID])
        .arg("--tokens")
        .arg(&tokens)
        .arg("--data-dir")
        .arg(&data)
        .args(extra);
    let (running, mut lines) = spawn_with_lines(command);
    let apns = listening(&lines.wait_for(|l| l.starts_with("listening on ")));
    let api = listening(&lines.wait_for(|l| l.starts_with("control API listening on ")));
    let identity = SimIdentity::load_or_create(&data).unwrap();
    Lab {
        _running: running,
        lines,
        apns: apns.parse().unwrap(),
        api: format!("http://{api}"),
        identity,
        key,
        key_file,
        dir,
    }
}

/// An API answer: status and body (JSON when it is).
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request with the `curl` command line.
pub(crate) fn curl(method: &str, url: &str, headers: &[&str], body: Option<&str>) -> Reply {
    let mut c = Command::new("curl");
    c.args([
        "-sS",
        "--max-time",
        "90",
        "-X",
        method,
        "-w",
        "\n%{http_code}",
    ]);
    for h in headers {
        c.args(["-H", h]);
    }
    if let Some(body) = body {
        c.args([
            "-H",
            "content-type: application/json",
            "--data-binary",
            body,
        ]);
    }
    let out = c.arg(url).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').unwrap();
    Reply {
        status: status.trim().parse().unwrap_or(0),
        body: body.to_owned(),
    }
}

impl Lab {
    pub(crate) fn get(&self, path: &str) -> Reply {
        curl("GET", &format!("{}{path}", self.api), &[], None)
    }

    pub(crate) fn send(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        curl(method, &format!("{}{path}", self.api), &[], body)
    }

    /// A token-based connection with the key the simulator trusts: Live Activities go only
    /// over one at Apple.
    pub(crate) async fn client(&self) -> Client {
        h2client::connect_with_key(self.apns, &self.identity.ca.certificate, &self.key)
            .await
            .unwrap()
    }
}

pub(crate) async fn push(
    c: &mut Client,
    token: &str,
    push_type: &str,
    body: &str,
) -> h2client::Answer {
    c.post(
        token,
        &[("apns-topic", BUNDLE), ("apns-push-type", push_type)],
        body,
    )
    .await
}

/// Polls `check` until it holds or `deadline` passes.
pub(crate) fn eventually(what: &str, deadline: Duration, mut check: impl FnMut() -> bool) {
    let until = Instant::now() + deadline;
    while !check() {
        assert!(Instant::now() < until, "{what}: not within {deadline:?}");
        std::thread::yield_now();
    }
}
