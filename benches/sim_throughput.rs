//! Requests per second the simulator sustains from one multiplexed HTTP/2 client on loopback
//! (client and server share the machine). Run: `cargo bench --bench sim_throughput`.
//! Env: PUSHLAB_BENCH_N (requests, default 200000; 5000 under `cargo test`), PUSHLAB_BENCH_STREAMS (in flight, 1000),
//! PUSHLAB_BENCH_CONNECTIONS (1).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use openssl::ssl::{SslConnector, SslMethod};
use pushlab::apns::Environment;
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::sim::{SimConfig, SimIdentity, Simulator};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this too, and there a
    // short smoke run (in the debug profile) shows it still works without costing CI 20 s.
    let benching = std::env::args().any(|a| a == "--bench");
    let total = env_or("PUSHLAB_BENCH_N", if benching { 200_000 } else { 5_000 });
    let in_flight = env_or("PUSHLAB_BENCH_STREAMS", 1000);
    let connections = env_or("PUSHLAB_BENCH_CONNECTIONS", 1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let identity = SimIdentity::ephemeral().unwrap();
        let cred = identity
            .ca
            .issue_push_certificate(&PushCertificateSpec::new("com.example.bench", CertEnvironment::Development))
            .unwrap();
        let mut config = SimConfig::new(Environment::Sandbox, identity);
        config.inbox_capacity = 1000;
        let sim = Simulator::start(config).await.unwrap();
        let payload = Bytes::from_static(br#"{"aps":{"alert":{"title":"Doorbell","body":"Someone is at the door"},"sound":"default"}}"#);
        let start = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..connections {
            let mut b = SslConnector::builder(SslMethod::tls_client()).unwrap();
            b.cert_store_mut().add_cert(sim.ca_certificate().clone()).unwrap();
            b.set_alpn_protos(b"\x02h2").unwrap();
            b.set_certificate(&cred.certificate).unwrap();
            b.set_private_key(cred.private_key.as_ref().unwrap()).unwrap();
            let ssl = b.build().configure().unwrap().into_ssl("localhost").unwrap();
            let tcp = tokio::net::TcpStream::connect(sim.addr()).await.unwrap();
            tcp.set_nodelay(true).unwrap();
            let mut tls = tokio_openssl::SslStream::new(ssl, tcp).unwrap();
            std::pin::Pin::new(&mut tls).connect().await.unwrap();
            let (send, conn) = h2::client::Builder::new()
                .initial_window_size(1 << 20)
                .initial_connection_window_size(1 << 24)
                .handshake::<_, Bytes>(tls)
                .await
                .unwrap();
            tokio::spawn(async move {
                let _ = conn.await;
            });
            let share = total / connections + usize::from(c < total % connections);
            let limit = Arc::new(tokio::sync::Semaphore::new(in_flight));
            let payload = payload.clone();
            tasks.push(tokio::spawn(async move {
                let mut ok = 0usize;
                let mut joins = tokio::task::JoinSet::new();
                for i in 0..share {
                    let permit = limit.clone().acquire_owned().await.unwrap();
                    let mut send = send.clone().ready().await.unwrap();
                    let token = format!("{:064x}", (c * total + i) as u128 + 1);
                    let req = http::Request::post(format!("https://localhost/3/device/{token}"))
                        .header("apns-topic", "com.example.bench")
                        .header("apns-push-type", "alert")
                        .body(())
                        .unwrap();
                    let (resp, mut stream) = send.send_request(req, false).unwrap();
                    stream.send_data(payload.clone(), true).unwrap();
                    joins.spawn(async move {
                        let r = resp.await.map(|r| r.status().as_u16() == 200).unwrap_or(false);
                        drop(permit);
                        r
                    });
                    while let Some(done) = joins.try_join_next() {
                        ok += usize::from(done.unwrap_or(false));
                    }
                }
                while let Some(done) = joins.join_next().await {
                    ok += usize::from(done.unwrap_or(false));
                }
                ok
            }));
        }
        let mut ok = 0;
        for t in tasks {
            ok += t.await.unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "simulator: {ok}/{total} accepted in {secs:.2} s = {:.0} notifications/s ({connections} connection(s), {in_flight} streams in flight, delivered per inbox: {})",
            ok as f64 / secs,
            sim.inbox().total()
        );
        sim.shutdown().await;
    });
}
