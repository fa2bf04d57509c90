//! Case 1 (a batch interrupted by signals, resumed) and case 9 (a server that refuses
//! every stream), with `pushlab batch` as a process against the h2 peer.

use super::*;

/// A `pushlab batch` process whose standard output and error go to files (a pipe nobody
/// reads would stall it).
struct Batch {
    child: tokio::process::Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

fn spawn_batch(peer: &Peer, f: &Files, name: &str, args: &[&str]) -> Batch {
    let stdout = f.dir.path().join(format!("{name}.out"));
    let stderr = f.dir.path().join(format!("{name}.err"));
    let mut cmd = command(peer, f, &["batch"]);
    cmd.args(args)
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap());
    Batch {
        child: cmd.spawn().unwrap(),
        stdout,
        stderr,
    }
}

/// `pushlab batch --resume JOURNAL`, which takes everything else from the journal.
fn spawn_resume(f: &Files, journal: &Path, name: &str) -> Batch {
    let stdout = f.dir.path().join(format!("{name}.out"));
    let stderr = f.dir.path().join(format!("{name}.err"));
    let mut cmd = tokio::process::Command::from(pushlab());
    cmd.args(["batch", "--resume"])
        .arg(journal)
        .env("XDG_DATA_HOME", f.dir.path().join("data"))
        .kill_on_drop(true)
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap());
    Batch {
        child: cmd.spawn().unwrap(),
        stdout,
        stderr,
    }
}

impl Batch {
    fn signal(&self, name: &str) {
        let pid = self.child.id().unwrap().to_string();
        let ok = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    async fn wait(&mut self, within: Duration) -> Option<i32> {
        let status = tokio::time::timeout(within, self.child.wait())
            .await
            .unwrap_or_else(|_| {
                panic!("the batch did not end within {within:?}: {}", self.stderr())
            })
            .unwrap();
        status.code()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// The summary it printed last.
    fn summary(&self) -> serde_json::Value {
        std::fs::read_to_string(&self.stdout)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find_map(|v| v.get("summary").cloned())
            .unwrap_or_else(|| panic!("no summary: {}", self.stderr()))
    }

    /// The JSON results it printed (complete lines only), by token.
    fn results(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.stdout)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v.get("token").is_some())
            .collect()
    }
}

/// Polls `ready` every 10 ms until it holds or `within` passes.
async fn until(within: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + within;
    while !ready() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A peer that answers each push after 20 ms, and every tenth token 410 Unregistered; the
/// TCP connections numbered in `hang` (as accepted, from 1) are held open and never answered.
async fn slow_peer_with_dead_tokens(tokens: &[String], hang: Vec<u64>) -> (Peer, Vec<String>) {
    let dead: Vec<String> = tokens.iter().step_by(10).cloned().collect();
    let answer_dead = dead.clone();
    let peer = Peer::start(Misbehaviour {
        answer_delay: Some(Duration::from_millis(20)),
        answers: Answers::new(move |t| {
            answer_dead
                .iter()
                .any(|d| d == t)
                .then(|| (410, r#"{"reason":"Unregistered","timestamp":1}"#.to_owned()))
        }),
        hang_connections: hang,
        ..Default::default()
    })
    .await;
    (peer, dead)
}

fn dead_listed(path: &Path) -> Vec<String> {
    let mut listed: Vec<String> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect();
    listed.sort();
    listed
}

fn leftovers(dir: &Path) -> Vec<String> {
    support::names(dir)
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

/// Case 1: SIGTERM is handled like Ctrl-C (the answers in flight arrive, the lists are
/// saved, nothing hidden stays), and `--resume` sends exactly what was not sent: by the
/// peer's record every token was processed exactly once, and the dead list is whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_stopped_by_sigterm_resumes_and_every_token_goes_once() {
    stopped_by_sigterm_then_resumed(&[], Vec::new(), 1).await;
}

/// Case 1 over four connections opened at once, the second of which never answers its
/// handshake: the stop waits for no connection, and the resumed run (the same
/// `--connections`, from the journal) still sends every token exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_over_four_connections_stopped_by_sigterm_resumes_and_every_token_goes_once() {
    stopped_by_sigterm_then_resumed(&["--connections", "4"], vec![2], 3).await;
}

/// Runs the batch with `extra` arguments against a peer that hangs the connections in `hang`,
/// stops it with SIGTERM halfway (`carrying` connections having carried pushes by then) and
/// resumes it.
async fn stopped_by_sigterm_then_resumed(extra: &[&str], hang: Vec<u64>, carrying: usize) {
    let tokens: Vec<String> = (0..300).map(token).collect();
    let (peer, dead) = slow_peer_with_dead_tokens(&tokens, hang).await;
    let f = files(&peer);
    let list = write_tokens(f.dir.path(), &tokens);
    let journal = f.dir.path().join("batch.journal");
    let dead_file = f.dir.path().join("dead.txt");
    let (l, j, d) = (
        list.to_str().unwrap(),
        journal.to_str().unwrap(),
        dead_file.to_str().unwrap(),
    );
    let mut args = vec![
        "--tokens",
        l,
        "--journal",
        j,
        "--dead-tokens",
        d,
        "--json",
        "--alert",
        "hi",
        "--max-in-flight",
        "4",
    ];
    args.extend_from_slice(extra);
    let mut first = spawn_batch(&peer, &f, "first", &args);
    until(Duration::from_secs(60), "half the batch", || {
        peer.processed().len() >= 120
    })
    .await;
    first.signal("TERM");
    let signalled = std::time::Instant::now();
    assert_eq!(
        first.wait(Duration::from_secs(30)).await,
        Some(3),
        "{}",
        first.stderr()
    );
    // Well within the 10 s a handshake is given: nobody waited for the hanging one.
    assert!(signalled.elapsed() < Duration::from_secs(8));
    assert!(first.stderr().contains("--resume"), "{}", first.stderr());
    assert_eq!(
        peer.record.lock().unwrap().per_connection.len(),
        carrying,
        "connections that carried pushes"
    );
    let sent_first = peer.processed().len();
    assert!(
        sent_first < tokens.len(),
        "the batch was not stopped halfway"
    );
    let first_results = first.results();
    assert!(first_results.iter().all(|r| r["outcome"] != "unconfirmed"));
    // Its rate is the pushes it sent per second: the unsent entries the stop settled at once
    // are results, not sending.
    let summary = first.summary();
    let sent = ["delivered", "rejected", "unconfirmed"]
        .iter()
        .map(|k| summary[*k].as_u64().unwrap())
        .sum::<u64>();
    assert!(summary["not_sent"].as_u64().unwrap() > 0, "{summary}");
    let sent_at_rate =
        summary["per_second"].as_f64().unwrap() * summary["seconds"].as_f64().unwrap();
    assert!((sent_at_rate - sent as f64).abs() < 0.5, "{summary}");
    // What it learned is saved under the final name, and nothing hidden is left behind.
    assert!(!dead_listed(&dead_file).is_empty());
    assert_eq!(leftovers(f.dir.path()), Vec::<String>::new());

    let mut resumed = spawn_resume(&f, &journal, "resumed");
    let code = resumed.wait(Duration::from_secs(60)).await;
    assert!(
        matches!(code, Some(0 | 1)),
        "{code:?}: {}",
        resumed.stderr()
    );
    let processed = peer.processed();
    for t in &tokens {
        assert_eq!(processed.get(t), Some(&1), "token {t} by the peer's record");
    }
    let mut all_dead = dead.clone();
    all_dead.sort();
    assert_eq!(dead_listed(&dead_file), all_dead, "the dead list is whole");
    assert_eq!(leftovers(f.dir.path()), Vec::<String>::new());
    // Between the two runs, every token has a final result on standard output.
    let delivered_or_rejected: std::collections::HashSet<String> = first_results
        .iter()
        .chain(resumed.results().iter())
        .filter(|r| r["outcome"] == "delivered" || r["outcome"] == "rejected")
        .map(|r| r["token"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(delivered_or_rejected.len(), tokens.len());
}

/// Case 1: after `kill -9` halfway, `--resume` never sends a push twice: pushes that were on
/// the wire without a recorded answer are listed unconfirmed (at most the ones in flight)
/// and not sent; every other token is processed exactly once by the peer's record; the
/// killed run's hidden temporary file is cleaned up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_killed_with_sigkill_resumes_without_a_duplicate() {
    let tokens: Vec<String> = (0..300).map(token).collect();
    let (peer, dead) = slow_peer_with_dead_tokens(&tokens, Vec::new()).await;
    let f = files(&peer);
    let list = write_tokens(f.dir.path(), &tokens);
    let journal = f.dir.path().join("batch.journal");
    let dead_file = f.dir.path().join("dead.txt");
    let (l, j, d) = (
        list.to_str().unwrap(),
        journal.to_str().unwrap(),
        dead_file.to_str().unwrap(),
    );
    let args = [
        "--tokens",
        l,
        "--journal",
        j,
        "--dead-tokens",
        d,
        "--json",
        "--alert",
        "hi",
        "--max-in-flight",
        "4",
    ];
    let mut first = spawn_batch(&peer, &f, "first", &args);
    until(Duration::from_secs(60), "half the batch", || {
        peer.processed().len() >= 120
    })
    .await;
    first.signal("KILL");
    first.wait(Duration::from_secs(30)).await;
    // Results reached standard output as they came, not only at the end.
    assert!(first.results().len() >= 50, "{}", first.results().len());

    let mut resumed = spawn_resume(&f, &journal, "resumed");
    let code = resumed.wait(Duration::from_secs(60)).await;
    assert!(
        matches!(code, Some(1 | 3)),
        "{code:?}: {}",
        resumed.stderr()
    );
    let unconfirmed: Vec<String> = resumed
        .results()
        .iter()
        .filter(|r| r["outcome"] == "unconfirmed")
        .map(|r| r["token"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        unconfirmed.len() <= 4,
        "only pushes in flight are unconfirmed: {unconfirmed:?}"
    );
    let processed = peer.processed();
    for t in &tokens {
        let times = processed.get(t).copied().unwrap_or(0);
        if unconfirmed.contains(t) {
            assert!(times <= 1, "token {t} sent {times} times");
        } else {
            assert_eq!(times, 1, "token {t} by the peer's record");
        }
    }
    let listed = dead_listed(&dead_file);
    for t in dead.iter().filter(|t| !unconfirmed.contains(t)) {
        assert!(listed.contains(t), "dead token {t} missing from {listed:?}");
    }
    assert_eq!(leftovers(f.dir.path()), Vec::<String>::new());
}

/// Case 1: a second SIGTERM (or Ctrl-C) stops at once: the batch does not wait for answers
/// that do not come; the pushes in flight are reported unconfirmed, the rest not sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_stops_at_once_and_still_writes_what_is_known() {
    let tokens: Vec<String> = (0..20).map(token).collect();
    let peer = Peer::start(Misbehaviour {
        answer_delay: Some(Duration::from_secs(120)),
        ..Default::default()
    })
    .await;
    let f = files(&peer);
    let list = write_tokens(f.dir.path(), &tokens);
    let journal = f.dir.path().join("batch.journal");
    let (l, j) = (list.to_str().unwrap(), journal.to_str().unwrap());
    let args = [
        "--tokens",
        l,
        "--journal",
        j,
        "--json",
        "--alert",
        "hi",
        "--max-in-flight",
        "5",
    ];
    let mut batch = spawn_batch(&peer, &f, "batch", &args);
    until(Duration::from_secs(60), "five in flight", || {
        peer.processed().len() >= 5
    })
    .await;
    batch.signal("HUP");
    until(Duration::from_secs(30), "the first signal taken", || {
        batch.stderr().contains("SIGHUP: stopping")
    })
    .await;
    batch.signal("TERM");
    assert_eq!(
        batch.wait(Duration::from_secs(10)).await,
        Some(3),
        "{}",
        batch.stderr()
    );
    let results = batch.results();
    let count = |o: &str| results.iter().filter(|r| r["outcome"] == o).count();
    assert_eq!(
        (count("unconfirmed"), count("not_sent")),
        (5, 15),
        "{results:?}"
    );
}

/// Case 9: a server that refuses every stream (REFUSED_STREAM) cannot keep a batch busy:
/// refused pushes wait before they go again, and the batch stops once streams are refused in
/// a row with nothing answered. 100 tokens end in seconds, all "not sent"; the peer's record
/// bounds the refusals it saw.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_refusing_every_stream_ends_the_batch_in_bounded_time() {
    let tokens: Vec<String> = (0..100).map(token).collect();
    let peer = Peer::start(Misbehaviour {
        refuse_every: Some(1),
        ..Default::default()
    })
    .await;
    let f = files(&peer);
    let list = write_tokens(f.dir.path(), &tokens);
    // The batch stops after max(200, twice its streams) refusals in a row; those already in
    // flight then are refused too.
    for (max_in_flight, most_refusals) in [("1000", 3000), ("10", 220)] {
        let before = peer.record.lock().unwrap().refused;
        let started = std::time::Instant::now();
        let mut cmd = command(
            &peer,
            &f,
            &["batch", "--alert", "hi", "--json", "--no-journal"],
        );
        cmd.arg("--tokens")
            .arg(&list)
            .args(["--max-in-flight", max_in_flight]);
        let ran = tokio::time::timeout(Duration::from_secs(60), run(cmd))
            .await
            .expect("the batch ended");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(ran.code, Some(3), "{}", ran.stderr);
        let results: Vec<serde_json::Value> = ran
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|v: &serde_json::Value| v.get("token").is_some())
            .collect();
        assert_eq!(results.len(), 100);
        assert!(
            results.iter().all(|r| r["outcome"] == "not_sent"),
            "{}",
            ran.stdout
        );
        let refused = peer.record.lock().unwrap().refused - before;
        assert!(
            refused <= most_refusals,
            "{refused} refusals for 100 pushes"
        );
        assert!(peer.processed().is_empty());
    }
}

/// Case 6, the disk full: every write to a regular file fails (`ulimit -f 0`, SIGXFSZ
/// ignored, as ENOSPC would). The dead tokens found cannot be saved, and the summary never
/// says they were: it says they were NOT saved, the run fails, and no hidden temporary file is
/// left. The peer's own record says what was sent.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_never_reported_as_dead_tokens_written() {
    let tokens: Vec<String> = (0..30).map(token).collect();
    let (peer, dead) = slow_peer_with_dead_tokens(&tokens, Vec::new()).await;
    let f = files(&peer);
    let list = write_tokens(f.dir.path(), &tokens);
    let dead_file = f.dir.path().join("dead.txt");
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_pushlab"))
        .args(["batch", "--no-journal", "--alert", "hi", "--tokens"])
        .arg(&list)
        .arg("--dead-tokens")
        .arg(&dead_file)
        .arg("--server")
        .arg(peer.addr.to_string())
        .arg("--ca")
        .arg(&f.ca)
        .arg("--cert")
        .arg(&f.cert)
        .env("XDG_DATA_HOME", f.dir.path().join("data"))
        .kill_on_drop(true);
    let ran = run(cmd).await;
    // Every push went out once; the peer answered 410 to the dead ones.
    assert_eq!(peer.processed().len(), tokens.len(), "{}", ran.stderr);
    let said = format!("{}\n{}", ran.stdout, ran.stderr);
    assert!(
        !said.contains("written to"),
        "a list that could not be written is never said to be: {said}"
    );
    assert!(
        ran.stdout.contains(&format!(
            "{} dead tokens (410) — NOT saved to {}",
            dead.len(),
            dead_file.display()
        )),
        "{said}"
    );
    assert_ne!(ran.code, Some(0), "{said}");
    assert!(
        dead_listed(&dead_file).is_empty(),
        "nothing half-written under the final name"
    );
    assert!(
        leftovers(f.dir.path()).is_empty(),
        "{:?}",
        support::names(f.dir.path())
    );
}

/// `pushlab batch --interrupted` lists a batch killed with SIGKILL from the data folder's
/// journal: what it settled, the pushes that went out without an answer (by the peer's own
/// record, the ones it was holding), and the command that resumes it; once resumed, nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_batch_is_listed_with_what_it_settled_and_how_to_resume_it() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let tokens: Vec<String> = (0..40).map(token).collect();
    let holding = Arc::new(AtomicBool::new(true));
    let peer = Peer::start(Misbehaviour {
        hold_after: Some((30, holding.clone())),
        ..Default::default()
    })
    .await;
    let f = files(&peer);
    let list = write_tokens(f.dir.path(), &tokens);
    let args = [
        "--tokens",
        list.to_str().unwrap(),
        "--alert",
        "hi",
        "--json",
    ];
    let mut first = spawn_batch(&peer, &f, "first", &args);
    let listing = || {
        let out = pushlab()
            .args(["batch", "--interrupted", "--json"])
            .env("XDG_DATA_HOME", f.dir.path().join("data"))
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    // The peer has every push, and the journal has written down the 30 answers it gave.
    until(Duration::from_secs(60), "the journal's 30 answers", || {
        peer.processed().len() == 40 && listing().first().is_some_and(|j| j["delivered"] == 30)
    })
    .await;
    first.signal("KILL");
    first.wait(Duration::from_secs(30)).await;

    let listed = listing();
    assert_eq!(listed.len(), 1, "{listed:?}");
    let j = &listed[0];
    assert_eq!(j["sent_without_answer"], 10, "{j}");
    assert_eq!(
        (j["rejected"].as_u64(), j["app"].as_bool()),
        (Some(0), Some(false))
    );
    assert_eq!(j["tokens"], list.to_str().unwrap());
    assert!(j["error"].is_null());
    let text = pushlab()
        .args(["batch", "--interrupted"])
        .env("XDG_DATA_HOME", f.dir.path().join("data"))
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let journal = j["journal"].as_str().unwrap();
    assert!(
        text.contains(&format!("resume: pushlab batch --resume {journal}")),
        "{text}"
    );
    assert!(text.contains("30 delivered") && text.contains("10 sent without an answer"));
    assert!(
        text.contains(&format!("pushlab batch --discard {journal} --force")),
        "{text}"
    );
    // Discarding it is refused while it is the only record of the 10 in doubt.
    let refused = pushlab()
        .args(["batch", "--discard", journal])
        .env("XDG_DATA_HOME", f.dir.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8(refused.stderr).unwrap();
    assert!(
        said.contains("10 pushes that went out without an answer") && said.contains("--force"),
        "{said}"
    );
    assert_eq!(listing().len(), 1, "kept");

    holding.store(false, Ordering::SeqCst);
    let mut resumed = spawn_resume(&f, Path::new(journal), "resumed");
    resumed.wait(Duration::from_secs(60)).await;
    assert!(listing().is_empty(), "a resumed batch is no longer listed");
    // By the peer's record: each token once; the 10 held were not sent again.
    assert!(peer.processed().values().all(|n| *n == 1));
}
