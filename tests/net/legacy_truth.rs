//! Delivery truth on the legacy binary interface: a notification counts as accepted only when
//! the gateway confirmed it, never because the gateway was quiet.
//!
//! The gateways here are written in the test itself from Apple's documented layout (command-2
//! frames, the 6-byte error packet, "everything after the bad notification is discarded"),
//! not with pushlab's `legacy::gateway`, so that the client is not checked against its own
//! ideas. Each keeps its own record of what it accepted. The field failure they reproduce: a
//! gateway whose error packet for a bad token arrives 1.5 s late, while the sender has long
//! finished writing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use support::cli::json_lines;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openssl::ssl::{Ssl, SslAcceptor, SslMethod, SslVerifyMode};
use openssl::x509::store::X509StoreBuilder;
use pushlab::cert::ExportFormat;
use pushlab::legacy::{
    BatchReport, Gateway, GatewayConfig, LegacyClient, LegacyOutcome, Notification, Status,
};
use support::legacy::{Fixture, payload, token};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_openssl::SslStream;

/// How late the slow gateway answers, as measured in the field.
const LATE: Duration = Duration::from_millis(1500);
/// Batch size and the position (1-based #500) of the one invalid token.
const COUNT: u32 = 1000;
const BAD: usize = 499;
/// An upper bound for anything that should finish on its own; only a hang hits it.
const HANG: Duration = Duration::from_secs(30);

/// What the test gateway does when it meets a frame it refuses (a bad token, the client's
/// end-of-batch marker, anything malformed).
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    /// As Apple documented, but slow: keeps reading and discarding for `delay`, then sends the
    /// 6-byte error packet and closes. Nothing after the refused frame is accepted.
    Late(Duration),
    /// Never answers: discards the rest and holds the connection open until the client leaves.
    Silent,
    /// Closes the connection without an error packet.
    CloseWithoutPacket,
}

/// A binary-interface gateway in a few dozen lines, with its own record of accepted tokens.
struct TestGateway {
    addr: SocketAddr,
    /// Every token accepted, in order, across connections.
    record: Arc<Mutex<Vec<Vec<u8>>>>,
    /// Every error packet sent: (status, identifier).
    answers: Arc<Mutex<Vec<(u8, u32)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestGateway {
    async fn start(fx: &Fixture, behaviour: Behaviour, invalid: &[Vec<u8>]) -> TestGateway {
        let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
        b.set_certificate(&fx.server.certificate).unwrap();
        b.set_private_key(fx.server.private_key.as_ref().unwrap())
            .unwrap();
        let mut store = X509StoreBuilder::new().unwrap();
        store.add_cert(fx.ca.certificate.clone()).unwrap();
        b.set_cert_store(store.build());
        b.set_verify(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT);
        let acceptor = Arc::new(b.build());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let record = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(Vec::new()));
        let invalid: Arc<HashSet<Vec<u8>>> = Arc::new(invalid.iter().cloned().collect());
        let (rec, ans) = (record.clone(), answers.clone());
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((tcp, _)) = listener.accept().await {
                let ssl = Ssl::new(acceptor.context()).unwrap();
                let (rec, ans, invalid) = (rec.clone(), ans.clone(), invalid.clone());
                connections.spawn(async move {
                    let mut stream = SslStream::new(ssl, tcp).unwrap();
                    if Pin::new(&mut stream).accept().await.is_ok() {
                        serve(stream, behaviour, &invalid, &rec, &ans).await;
                    }
                });
            }
        });
        TestGateway {
            addr,
            record,
            answers,
            task,
        }
    }

    fn record(&self) -> Vec<Vec<u8>> {
        self.record.lock().unwrap().clone()
    }

    fn answers(&self) -> Vec<(u8, u32)> {
        self.answers.lock().unwrap().clone()
    }
}

/// One frame as Apple's "Binary Provider API" page lays it out.
enum Parsed {
    NeedMore,
    Accepted { len: usize, token: Vec<u8> },
    Refused { status: u8, identifier: u32 },
}

/// Command 2: `u8 2 | u32 frameLen | items`, item = `u8 id | u16 len | data`; 1 token (32
/// bytes), 2 payload, 3 identifier (4 bytes), 4 expiry, 5 priority. Status codes from Apple's
/// table: 1 processing error, 2 missing device token, 4 missing payload, 5 invalid token size,
/// 7 invalid payload size, 8 invalid token.
fn parse(buf: &[u8], invalid: &HashSet<Vec<u8>>) -> Parsed {
    let Some(&command) = buf.first() else {
        return Parsed::NeedMore;
    };
    if command != 2 {
        return Parsed::Refused {
            status: 1,
            identifier: 0,
        };
    }
    let Some(len) = buf.get(1..5) else {
        return Parsed::NeedMore;
    };
    let end = 5 + u32::from_be_bytes(len.try_into().unwrap()) as usize;
    let Some(items) = buf.get(5..end) else {
        return Parsed::NeedMore;
    };
    let (mut token, mut payload, mut identifier) = (None, None, 0);
    let mut at = 0;
    while at + 3 <= items.len() {
        let id = items[at];
        let len = u16::from_be_bytes([items[at + 1], items[at + 2]]) as usize;
        let Some(data) = items.get(at + 3..at + 3 + len) else {
            return Parsed::Refused {
                status: 1,
                identifier,
            };
        };
        match id {
            1 => token = Some(data.to_vec()),
            2 => payload = Some(data.len()),
            3 if len == 4 => identifier = u32::from_be_bytes(data.try_into().unwrap()),
            _ => {}
        }
        at += 3 + len;
    }
    let status = match (&token, payload) {
        (None, _) => 2,
        (Some(t), _) if t.is_empty() => 2,
        (Some(t), _) if t.len() != 32 => 5,
        (_, None | Some(0)) => 4,
        (_, Some(p)) if p > 2048 => 7,
        (Some(t), _) if invalid.contains(t) => 8,
        (Some(t), _) => {
            return Parsed::Accepted {
                len: end,
                token: t.clone(),
            };
        }
    };
    Parsed::Refused { status, identifier }
}

async fn serve(
    mut stream: SslStream<TcpStream>,
    behaviour: Behaviour,
    invalid: &HashSet<Vec<u8>>,
    record: &Mutex<Vec<Vec<u8>>>,
    answers: &Mutex<Vec<(u8, u32)>>,
) {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        loop {
            match parse(&buf, invalid) {
                Parsed::NeedMore => break,
                Parsed::Accepted { len, token } => {
                    record.lock().unwrap().push(token);
                    buf.drain(..len);
                }
                Parsed::Refused { status, identifier } => {
                    match behaviour {
                        Behaviour::Late(delay) => {
                            discard(&mut stream, Some(delay)).await;
                            let mut packet = vec![8, status];
                            packet.extend_from_slice(&identifier.to_be_bytes());
                            if stream.write_all(&packet).await.is_ok() {
                                answers.lock().unwrap().push((status, identifier));
                            }
                            let _ = stream.shutdown().await;
                            discard(&mut stream, Some(HANG)).await;
                        }
                        Behaviour::Silent => discard(&mut stream, None).await,
                        Behaviour::CloseWithoutPacket => {
                            let _ = stream.shutdown().await;
                            discard(&mut stream, Some(HANG)).await;
                        }
                    }
                    return;
                }
            }
        }
    }
}

/// Reads and throws away what the client sends: for `delay` exactly (a client that closes
/// early does not shorten it), or until the client closes.
async fn discard(stream: &mut SslStream<TcpStream>, delay: Option<Duration>) {
    let until = delay.map(|d| tokio::time::Instant::now() + d);
    let mut sink = vec![0u8; 16 * 1024];
    let drain = async {
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    };
    match until {
        Some(until) => {
            let _ = tokio::time::timeout_at(until, drain).await;
            tokio::time::sleep_until(until).await;
        }
        None => drain.await,
    }
}

fn batch(count: u32) -> Vec<Notification> {
    (0..count)
        .map(|i| Notification::new(token(i), payload(i)).with_identifier(i + 1))
        .collect()
}

async fn send(client: &LegacyClient, notifications: &[Notification]) -> BatchReport {
    tokio::time::timeout(HANG, client.send(notifications))
        .await
        .expect("the client finishes on its own")
        .unwrap()
}

/// The gateway's record holds every token but the bad one exactly once, and everything the
/// client calls accepted is in it.
fn assert_nothing_lost_or_doubled(
    record: &[Vec<u8>],
    notifications: &[Notification],
    report: &BatchReport,
) {
    let mut counts: HashMap<&[u8], usize> = HashMap::new();
    for t in record {
        *counts.entry(t.as_slice()).or_default() += 1;
    }
    assert_eq!(record.len(), notifications.len() - 1, "no duplicates");
    assert_eq!(counts.len(), notifications.len() - 1);
    for (i, n) in notifications.iter().enumerate() {
        let got = counts.get(n.token.as_slice()).copied().unwrap_or(0);
        assert_eq!(got, usize::from(i != BAD), "#{i} recorded {got} times");
        if report.outcomes[i] == LegacyOutcome::Accepted {
            assert_eq!(
                got, 1,
                "#{i} reported accepted but the gateway has no record"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_error_packet_loses_nothing_and_claims_nothing() {
    let fx = Fixture::new();
    let notifications = batch(COUNT);
    let gw = TestGateway::start(
        &fx,
        Behaviour::Late(LATE),
        std::slice::from_ref(&notifications[BAD].token),
    )
    .await;
    let client = LegacyClient::new(fx.endpoint(gw.addr));
    let report = send(&client, &notifications).await;

    assert_eq!(
        report.problems(),
        vec![(BAD, LegacyOutcome::Rejected(Status::InvalidToken))],
        "{:?}",
        report.notes
    );
    assert_eq!(report.accepted(), 999);
    assert_eq!(report.unconfirmed(), 0);
    assert_eq!(report.connections, 2, "{:?}", report.notes);
    assert!(report.gave_up.is_none());
    assert_nothing_lost_or_doubled(&gw.record(), &notifications, &report);
    // Two answers: the bad token's, then the one to the second connection's end-of-batch
    // marker (status 2, an identifier no notification has) that confirmed the resent ones.
    let answers = gw.answers();
    assert_eq!(answers.len(), 2, "{answers:?}");
    assert_eq!(answers[0], (8, notifications[BAD].identifier));
    assert_eq!(answers[1].0, 2);
    assert!(notifications.iter().all(|n| n.identifier != answers[1].1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_never_answers_confirms_nothing() {
    let fx = Fixture::new();
    let gw = TestGateway::start(&fx, Behaviour::Silent, &[]).await;
    let notifications = batch(50);
    let confirm = Duration::from_secs(1);
    let client = LegacyClient::new(fx.endpoint(gw.addr)).confirm_timeout(confirm);
    let started = Instant::now();
    let report = send(&client, &notifications).await;
    let took = started.elapsed();

    assert!(
        report
            .outcomes
            .iter()
            .all(|o| *o == LegacyOutcome::Unconfirmed),
        "{:?}",
        report.outcomes
    );
    assert_eq!(report.accepted(), 0);
    assert_eq!(report.connections, 1);
    assert_eq!(
        report.resent, 0,
        "nothing resent: it may have been delivered"
    );
    assert!(report.notes[0].contains("no answer"), "{:?}", report.notes);
    // It waited for the confirmation timeout, and not much longer.
    assert!(took >= confirm, "{took:?}");
    assert!(took < confirm + Duration::from_millis(1500), "{took:?}");
    // The gateway did read them all: only the client cannot know.
    assert_eq!(gw.record().len(), 50);
    assert!(gw.answers().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_closes_without_a_packet_confirms_nothing() {
    let fx = Fixture::new();
    let notifications = batch(50);
    let bad = notifications[20].token.clone();
    let gw = TestGateway::start(&fx, Behaviour::CloseWithoutPacket, &[bad]).await;
    // A long confirmation timeout: a close is an answer of sorts, and is not waited out.
    let client = LegacyClient::new(fx.endpoint(gw.addr)).confirm_timeout(HANG);
    let started = Instant::now();

    // A clean batch: the gateway closes at the end-of-batch marker, silently.
    let report = send(&client, &notifications[..20]).await;
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| *o == LegacyOutcome::Unconfirmed),
        "{:?}",
        report.outcomes
    );
    assert_eq!(report.connections, 1);
    assert!(report.notes[0].contains("closed"), "{:?}", report.notes);
    assert_eq!(gw.record().len(), 20);

    // A bad token: the gateway closes there. Nothing is accepted, and nothing is written twice.
    let report = send(&client, &notifications[20..]).await;
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| *o == LegacyOutcome::Unconfirmed),
        "{:?}",
        report.outcomes
    );
    assert_eq!(report.resent, 0);
    let record = gw.record();
    let distinct: HashSet<_> = record.iter().collect();
    assert_eq!(distinct.len(), record.len(), "no duplicates");
    assert!(!record.contains(&notifications[20].token));
    assert!(gw.answers().is_empty());
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// Writes the client's ck.pem, the CA and a tokens file for the CLI.
struct CliFiles {
    _dir: tempfile::TempDir,
    ck: std::path::PathBuf,
    ca: std::path::PathBuf,
    tokens: std::path::PathBuf,
}

impl CliFiles {
    fn new(fx: &Fixture, notifications: &[Notification]) -> CliFiles {
        let dir = tempfile::tempdir().unwrap();
        let ck = support::write(
            dir.path(),
            "ck.pem",
            &fx.client.export(ExportFormat::Pem, None).unwrap(),
        );
        let ca = support::write(dir.path(), "ca.pem", &fx.ca.certificate.to_pem().unwrap());
        let list: String = notifications
            .iter()
            .map(|n| format!("{}\n", n.token_hex()))
            .collect();
        let tokens = support::write(dir.path(), "tokens.txt", list.as_bytes());
        CliFiles {
            _dir: dir,
            ck,
            ca,
            tokens,
        }
    }

    async fn legacy_send(&self, addr: SocketAddr, extra: &[&str]) -> std::process::Output {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_pushlab"));
        cmd.args([
            "legacy-send",
            "--server",
            &addr.to_string(),
            "--alert",
            "Ding dong",
        ])
        .arg("--cert")
        .arg(&self.ck)
        .arg("--ca")
        .arg(&self.ca)
        .arg("--tokens")
        .arg(&self.tokens)
        .args(extra);
        tokio::time::timeout(HANG, cmd.output())
            .await
            .expect("pushlab finishes on its own")
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_send_waits_for_the_late_packet_and_exits_1() {
    let fx = Fixture::new();
    let notifications = batch(COUNT);
    let gw = TestGateway::start(
        &fx,
        Behaviour::Late(LATE),
        std::slice::from_ref(&notifications[BAD].token),
    )
    .await;
    let files = CliFiles::new(&fx, &notifications);
    let out = files.legacy_send(gw.addr, &["--json"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), COUNT as usize + 1);
    assert_eq!(lines[BAD]["outcome"], "rejected");
    assert_eq!(lines[BAD]["status"], 8);
    assert_eq!(lines[BAD]["token"], notifications[BAD].token_hex());
    let summary = &lines[COUNT as usize]["summary"];
    let count = |key: &str| summary[key].as_u64().unwrap();
    assert_eq!(count("total"), 1000);
    assert_eq!(count("accepted"), 999);
    assert_eq!(count("rejected"), 1);
    assert_eq!(count("unconfirmed"), 0);
    assert_eq!(count("not_sent"), 0);
    assert_eq!(count("connections"), 2);

    let mut counts: HashMap<Vec<u8>, usize> = HashMap::new();
    for t in gw.record() {
        *counts.entry(t).or_default() += 1;
    }
    assert_eq!(counts.len(), 999);
    assert!(counts.values().all(|&c| c == 1), "no duplicates");
    for (i, line) in lines[..COUNT as usize].iter().enumerate() {
        if line["outcome"] == "accepted" {
            assert!(counts.contains_key(&notifications[i].token), "#{i}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_send_without_an_answer_exits_3_and_says_what_to_do() {
    let fx = Fixture::new();
    let notifications = batch(3);
    let gw = TestGateway::start(&fx, Behaviour::Silent, &[]).await;
    let files = CliFiles::new(&fx, &notifications);

    let out = files
        .legacy_send(gw.addr, &["--json", "--confirm-timeout", "0.5"])
        .await;
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert!(lines[..3].iter().all(|l| l["outcome"] == "unconfirmed"));
    assert_eq!(lines[3]["summary"]["unconfirmed"], 3);
    assert_eq!(lines[3]["summary"]["accepted"], 0);

    let out = files
        .legacy_send(gw.addr, &["--confirm-timeout", "0.5"])
        .await;
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("unconfirmed"))
        .unwrap();
    assert!(line.contains(&notifications[0].token_hex()), "{line}");
    assert!(line.contains("Not resent"), "{line}");
    assert!(stdout.contains("0 of 3 accepted"), "{stdout}");
    assert!(stdout.contains("exit code 3"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushlabs_own_gateway_can_be_just_as_late() {
    let fx = Fixture::new();
    let notifications = batch(COUNT);
    let gw = Gateway::start(
        GatewayConfig::new(fx.server_tls())
            .invalid_token(notifications[BAD].token.clone())
            .error_delay(LATE),
    )
    .await
    .unwrap();
    let client = LegacyClient::new(fx.endpoint(gw.local_addr()));
    let started = Instant::now();
    let report = send(&client, &notifications).await;

    assert_eq!(
        report.problems(),
        vec![(BAD, LegacyOutcome::Rejected(Status::InvalidToken))],
        "{:?}",
        report.notes
    );
    assert_eq!(report.accepted(), 999);
    assert_eq!(report.connections, 2);
    // Both error packets (the bad token's, the marker's) were held back.
    assert!(started.elapsed() >= LATE * 2, "{:?}", started.elapsed());
    let record: Vec<_> = gw
        .inbox()
        .into_iter()
        .map(|r| r.notification.token)
        .collect();
    assert_nothing_lost_or_doubled(&record, &notifications, &report);
    assert_eq!(gw.rejections().len(), 1);
    assert_eq!(gw.end_of_batch_markers(), 1);
}
