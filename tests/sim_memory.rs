//! The simulator's memory under sustained abuse, measured from outside: a `pushlab sim`
//! process is flooded round after round with connections that never speak and with bodies
//! that never end, and its resident size (from `/proc`) must stop growing once it is warm.
//! A leak per connection or per request shows as growth proportional to the rounds.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use openssl::pkey::PKey;
use openssl::x509::X509;
use pushlab::cert::Credential;
use support::cli::{addr_in, spawn_with_lines};
use support::h2client::{self, Client};

const BUNDLE: &str = "com.example.doorbell";

/// Resident and peak resident size of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// One round: 200 connections that open and say nothing, then 4 connections with 25 streams
/// each whose body is larger than any payload (each answered 413), then one good push.
async fn abuse(addr: SocketAddr, ca: &X509, cert: &Credential, round: u32) {
    let mut silent = Vec::new();
    for _ in 0..200 {
        if let Ok(s) = tokio::net::TcpStream::connect(addr).await {
            silent.push(s);
        }
    }
    drop(silent);
    let big = Bytes::from(vec![b' '; 6 * 1024]);
    for _ in 0..4 {
        let client = h2client::connect(addr, ca, Some(cert)).await.unwrap();
        let mut pending = Vec::new();
        for i in 0..25u32 {
            let mut send = client.send.clone().ready().await.unwrap();
            let request = http::Request::builder()
                .method("POST")
                .uri(format!(
                    "https://localhost/3/device/{:064x}",
                    round * 100 + i
                ))
                .header("apns-topic", BUNDLE)
                .body(())
                .unwrap();
            let (response, mut stream) = send.send_request(request, false).unwrap();
            stream.reserve_capacity(big.len());
            let _ = stream.send_data(big.clone(), false);
            pending.push(response);
        }
        for response in pending {
            let answer = tokio::time::timeout(Duration::from_secs(10), response)
                .await
                .expect("an oversized body is answered, not left waiting");
            if let Ok(answer) = answer {
                assert_eq!(answer.status(), 413);
            }
        }
    }
    let mut good: Client = h2client::connect(addr, ca, Some(cert)).await.unwrap();
    let answer = good
        .post(
            &format!("{round:064x}"),
            &[("apns-topic", BUNDLE)],
            r#"{"aps":{"alert":"Ding"}}"#,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stops_growing_under_sustained_abuse() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sim");
    let mut command = support::pushlab();
    command
        .args(["sim", "--port", "0", "--duration", "600", "--data-dir"])
        .arg(&data);
    let (sim, mut lines) = spawn_with_lines(command);
    let addr: SocketAddr = addr_in(&lines.wait_for(|l| l.starts_with("listening on ")))
        .parse()
        .unwrap();
    let ck = dir.path().join("ck.pem");
    let out = support::pushlab()
        .args(["sim", "issue-cert", "--bundle-id", BUNDLE, "--out"])
        .arg(&ck)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pem = std::fs::read(&ck).unwrap();
    let cert = Credential {
        certificate: X509::from_pem(&pem).unwrap(),
        chain: Vec::new(),
        private_key: Some(PKey::private_key_from_pem(&pem).unwrap()),
        source: "ck.pem".into(),
    };
    let ca = X509::from_pem(&std::fs::read(data.join("ca.pem")).unwrap()).unwrap();
    let pid = sim.0.id();

    for round in 0..8 {
        abuse(addr, &ca, &cert, round).await;
    }
    // The high-water mark, not the resident size of one moment: between rounds the resident
    // size swings by several MB as the allocator hands pages back, which a single sample
    // taken at a high or a low moment would read as growth or shrinkage.
    let (_, warm) = memory_kib(pid);
    for round in 8..28 {
        abuse(addr, &ca, &cert, round).await;
    }
    let (after, peak) = memory_kib(pid);
    eprintln!(
        "simulator memory: peak {warm} KiB warm, peak {peak} KiB after 20 more rounds (4,000 \
         silent connections, 2,000 oversized bodies), {after} KiB resident at the end"
    );
    assert!(
        peak < warm + 8 * 1024,
        "the simulator's high-water mark grew from {warm} KiB to {peak} KiB over 20 rounds"
    );
    assert!(peak < 256 * 1024, "peak {peak} KiB");
}
