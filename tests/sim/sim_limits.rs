//! The simulator against clients written in the test that misbehave: an endless body, a body
//! that trickles, headers too large to hold, a flood of connections that never speak. Each is
//! answered or cut off within its limit, and a well-behaved client keeps being served.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::time::{Duration, Instant};

use bytes::Bytes;
use pushlab::apns::Environment;
use pushlab::cert::{CertEnvironment, Credential, PushCertificateSpec};
use pushlab::sim::{Limits, SimConfig, SimIdentity, Simulator};
use support::h2client::{self, Client};

const BUNDLE: &str = "com.example.doorbell";
const ALERT: &str = r#"{"aps":{"alert":"Ding"}}"#;

struct Lab {
    sim: Simulator,
    cert: Credential,
}

impl Lab {
    async fn start(limits: Limits) -> Lab {
        let identity = SimIdentity::ephemeral().unwrap();
        let mut config = SimConfig::new(Environment::Sandbox, identity.clone());
        config.limits = limits;
        let cert = identity
            .ca
            .issue_push_certificate(&PushCertificateSpec::new(
                BUNDLE,
                CertEnvironment::Development,
            ))
            .unwrap();
        Lab {
            sim: Simulator::start(config).await.unwrap(),
            cert,
        }
    }

    async fn client(&self) -> Client {
        h2client::connect(self.sim.addr(), self.sim.ca_certificate(), Some(&self.cert))
            .await
            .unwrap()
    }

    /// A well-behaved push still gets its 200.
    async fn still_serves(&self, client: &mut Client, n: u8) {
        let answer = client
            .post(
                &format!("{n:02x}").repeat(32),
                &[("apns-topic", BUNDLE)],
                ALERT,
            )
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
}

fn request(token: &str) -> http::Request<()> {
    http::Request::builder()
        .method("POST")
        .uri(format!("https://localhost/3/device/{token}"))
        .header("apns-topic", BUNDLE)
        .body(())
        .unwrap()
}

/// A body that never ends: the simulator reads one byte past the largest payload and answers
/// 413 at once instead of reading on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_is_answered_413_at_once() {
    let lab = Lab::start(Limits::default()).await;
    let bad = lab.client().await;
    let mut send = bad.send.clone().ready().await.unwrap();
    let (response, mut stream) = send.send_request(request(&"aa".repeat(32)), false).unwrap();
    let writer = tokio::spawn(async move {
        let chunk = Bytes::from(vec![b' '; 16 * 1024]);
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until {
            stream.reserve_capacity(chunk.len());
            match std::future::poll_fn(|cx| stream.poll_capacity(cx)).await {
                Some(Ok(_)) => {}
                _ => break,
            }
            if stream.send_data(chunk.clone(), false).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let response = tokio::time::timeout(Duration::from_secs(10), response)
        .await
        .expect("an answer before the body ends")
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(started.elapsed() < Duration::from_secs(5));
    writer.abort();
    let mut good = lab.client().await;
    lab.still_serves(&mut good, 1).await;
}

/// A body that trickles in a byte at a time is reset at the body deadline; another client is
/// served meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_body_is_cut_at_its_deadline() {
    let lab = Lab::start(Limits {
        body_deadline: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    let slow = lab.client().await;
    let mut send = slow.send.clone().ready().await.unwrap();
    let (response, mut stream) = send.send_request(request(&"bb".repeat(32)), false).unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            if stream.send_data(Bytes::from_static(b" "), false).is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let mut good = lab.client().await;
    lab.still_serves(&mut good, 2).await;
    let started = Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(10), response)
        .await
        .expect("the simulator gives up on the trickle");
    assert!(outcome.is_err(), "reset, not answered: {outcome:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    trickle.abort();
    lab.still_serves(&mut good, 3).await;
}

/// Headers larger than the limit are refused; the simulator goes on serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_too_large_are_refused() {
    let lab = Lab::start(Limits {
        max_header_list_bytes: 4096,
        ..Limits::default()
    })
    .await;
    let mut bad = lab.client().await;
    let huge = "x".repeat(64 * 1024);
    let answer = bad
        .request(
            "POST",
            &format!("/3/device/{}", "cc".repeat(32)),
            &[("apns-topic", BUNDLE), ("x-padding", &huge)],
            ALERT.as_bytes(),
        )
        .await;
    assert!(
        answer.as_ref().map_or(true, |a| a.status != 200),
        "{:?}",
        answer.map(|a| a.status)
    );
    assert_eq!(lab.sim.inbox().total(), 0, "nothing delivered");
    let mut good = lab.client().await;
    lab.still_serves(&mut good, 4).await;
}

/// A thousand connections that never say a word: all but a bounded few are closed at once,
/// and a client already connected keeps being served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_silent_connections_is_turned_away() {
    let limits = Limits {
        max_connections: 8,
        max_handshaking: 16,
        ..Limits::default()
    };
    let lab = Lab::start(limits.clone()).await;
    let mut good = lab.client().await;
    lab.still_serves(&mut good, 5).await;
    let mut flood = Vec::new();
    for _ in 0..1000 {
        if let Ok(s) = tokio::net::TcpStream::connect(lab.sim.addr()).await {
            flood.push(s);
        }
    }
    // Count the ones the simulator closed: a read returns at once with 0 bytes (or an error).
    let mut open = 0;
    for s in &mut flood {
        use tokio::io::AsyncReadExt as _;
        let mut byte = [0u8; 1];
        // Still waiting after 20 ms: the simulator kept it.
        let waited = tokio::time::timeout(Duration::from_millis(20), s.read(&mut byte)).await;
        open += usize::from(waited.is_err());
    }
    assert!(
        open <= limits.max_connections + limits.max_handshaking,
        "{open} silent connections kept"
    );
    lab.still_serves(&mut good, 6).await;
    drop(flood);
}

/// Issue 25 case 10: sockets that connect and never speak, kept refilled by the hundreds,
/// cannot lock a new client out: a newcomer takes the oldest silent socket's handshake slot,
/// and a real client (whose handshake takes milliseconds) is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_sockets_kept_refilled_cannot_lock_a_new_client_out() {
    let limits = Limits {
        max_connections: 8,
        max_handshaking: 16,
        ..Limits::default()
    };
    let lab = Lab::start(limits).await;
    let addr = lab.sim.addr();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let refill = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut held = std::collections::VecDeque::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(s) = tokio::net::TcpStream::connect(addr).await {
                    held.push_back(s);
                }
                if held.len() > 300 {
                    held.pop_front();
                }
                tokio::task::yield_now().await;
            }
        })
    };
    // Several clients, one after another, each served within a bound while the flood goes
    // on. A client retries a connection cut before its push was answered, as pushlab's own
    // does (TLS 1.3 lets a client finish its handshake before the server has read it all).
    for n in 0..3u8 {
        let started = Instant::now();
        let token = format!("{:02x}", 0x10 + n).repeat(32);
        let tries = tokio::time::timeout(Duration::from_secs(15), async {
            let mut tries = 0u32;
            loop {
                tries += 1;
                let Ok(mut c) =
                    h2client::connect(lab.sim.addr(), lab.sim.ca_certificate(), Some(&lab.cert))
                        .await
                else {
                    continue;
                };
                let path = format!("/3/device/{token}");
                let answer = c
                    .request("POST", &path, &[("apns-topic", BUNDLE)], ALERT.as_bytes())
                    .await;
                if let Ok(a) = answer {
                    assert_eq!(a.status, 200, "{}", a.body);
                    break tries;
                }
            }
        })
        .await
        .expect("a client is served while silent sockets are refilled");
        eprintln!(
            "client {n} served after {tries} connection(s) in {:?}",
            started.elapsed()
        );
        assert!(tries <= 200, "{tries} connections before one was served");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    refill.await.unwrap();
}

/// Issue 25 case 10: streams that send large headers and never a body hold at most
/// `max_waiting_header_bytes` between them; past it new streams are refused, and the
/// simulator keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_without_a_body_are_bounded_over_the_simulator() {
    let lab = Lab::start(Limits {
        max_waiting_header_bytes: 64 * 1024,
        body_deadline: Duration::from_secs(30),
        ..Limits::default()
    })
    .await;
    let hoarder = lab.client().await;
    let padding = "p".repeat(12 * 1024);
    let mut responses = Vec::new();
    let mut streams = Vec::new();
    for i in 0..40u8 {
        let mut send = hoarder.send.clone().ready().await.unwrap();
        let mut req = request(&format!("{i:02x}").repeat(32));
        req.headers_mut()
            .insert("x-padding", http::HeaderValue::from_str(&padding).unwrap());
        let (response, stream) = send.send_request(req, false).unwrap();
        responses.push(response);
        streams.push(stream); // never a body
    }
    let mut refused = 0;
    for response in responses.iter_mut().rev().take(30) {
        let outcome = tokio::time::timeout(Duration::from_secs(10), response).await;
        if let Ok(Err(e)) = outcome
            && e.reason() == Some(h2::Reason::REFUSED_STREAM)
        {
            refused += 1;
        }
    }
    // 64 KiB hold five such streams; of the last thirty, every one is refused.
    assert_eq!(refused, 30, "streams past the header budget are refused");
    let mut good = lab.client().await;
    lab.still_serves(&mut good, 0x20).await;
    drop(streams);
}

/// The simulator's CA may vouch only for the names the simulator serves: a certificate it
/// issues for any other site fails verification (checked by the `openssl` command line), and
/// it lives a year, not ten.
#[test]
fn the_simulator_ca_is_narrow() {
    let dir = tempfile::tempdir().unwrap();
    let identity = SimIdentity::load_or_create(dir.path()).unwrap();
    let ca = support::write(
        dir.path(),
        "ca-copy.pem",
        &identity.ca.certificate.to_pem().unwrap(),
    );
    let own = support::write(
        dir.path(),
        "own.pem",
        &identity.server.certificate.to_pem().unwrap(),
    );
    let evil = identity
        .ca
        .issue_server_certificate(&["www.example.com"])
        .unwrap();
    let evil = support::write(dir.path(), "evil.pem", &evil.certificate.to_pem().unwrap());
    let verify = |cert: &std::path::Path| {
        std::process::Command::new("openssl")
            .args(["verify", "-CAfile"])
            .arg(&ca)
            .arg(cert)
            .output()
            .unwrap()
    };
    assert!(
        verify(&own).status.success(),
        "the simulator's own certificate verifies"
    );
    let out = verify(&evil);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("subtree"), "{said}");
    let days = identity
        .ca
        .certificate
        .not_before()
        .diff(identity.ca.certificate.not_after())
        .unwrap()
        .days;
    assert!((360..=370).contains(&days), "{days}");
}
