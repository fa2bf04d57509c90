//! Running `pushlab` as a process: its JSON Lines output, and a `pushlab sim` that is killed
//! when the test ends, with its standard output read line by line.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long to wait for the simulator to say something; it normally takes well under a second.
pub const WAIT: Duration = Duration::from_secs(60);

/// Standard output as JSON values, one per line; every line must be JSON.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Kills the process when the test ends, passed or failed.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A process's standard output, line by line, read on a thread.
pub struct Lines {
    rx: mpsc::Receiver<String>,
    /// Lines read and not yet taken by a wait.
    pub seen: Vec<String>,
    /// Every line read so far, taken or not: what an audit of the output looks through.
    pub printed: Vec<String>,
}

impl Lines {
    /// Waits for the first line that satisfies `want` and takes it: lines skipped on the way
    /// are kept in `seen` for a later wait, and a line once returned is not returned again (a
    /// wait for the next of several alike lines gets the next one).
    pub fn wait_for(&mut self, want: impl Fn(&str) -> bool) -> String {
        if let Some(at) = self.seen.iter().position(|l| want(l)) {
            return self.seen.remove(at);
        }
        loop {
            match self.rx.recv_timeout(WAIT) {
                Ok(line) => {
                    self.printed.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                    self.seen.push(line);
                }
                Err(e) => panic!(
                    "the process did not print the line ({e}); so far: {:#?}",
                    self.printed
                ),
            }
        }
    }
}

/// Starts `command` (a `pushlab sim …`, say) with its standard output read as [`Lines`].
pub fn spawn_with_lines(mut command: Command) -> (Running, Lines) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("child-stdout".into())
        .spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
        .unwrap();
    (
        running,
        Lines {
            rx,
            seen: Vec::new(),
            printed: Vec::new(),
        },
    )
}

/// The `127.0.0.1:PORT` in a "… listening on 127.0.0.1:PORT …" line.
pub fn addr_in(line: &str) -> String {
    let rest = line.split("listening on ").nth(1).unwrap();
    let addr = rest.split_whitespace().next().unwrap().to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    addr
}

/// A `pushlab sim` on a free port keeping its CA in `dir/sim`, and a push certificate it
/// issued for `bundle` at `dir/ck.pem`: what a send to it needs.
/// The update token `pushlab sim` names on a Live Activity start's line: the one the phone
/// made for the new activity, where its updates go.
pub fn update_token_in(line: &str) -> String {
    let token = line
        .split("update token ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no update token on {line}"));
    assert_eq!(token.len(), 64, "{line}");
    token.to_owned()
}

/// A `pushlab sim` (sandbox) that trusts a test auth key, and the arguments that reach it
/// with that key (`--auth-key KEY --team-id TEAM --ca CA`): Live Activities, which Apple
/// takes only over a token-based connection, are sent so.
pub fn sim_with_key(dir: &std::path::Path) -> (super::doctor::Sim, Vec<std::ffi::OsString>) {
    let key = super::doctor::auth_key(dir);
    let sim = super::doctor::sim_with_key(dir, "sandbox", &key, &[]);
    let args = vec![
        "--auth-key".into(),
        key.into(),
        "--team-id".into(),
        super::doctor::TEAM_ID.into(),
        "--ca".into(),
        sim.ca.clone().into(),
    ];
    (sim, args)
}
