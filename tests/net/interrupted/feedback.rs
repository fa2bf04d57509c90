//! Case 4: the legacy feedback service keeps every record received before a stall.

use super::*;

/// A feedback service written here: TLS with any client certificate, then `bytes`, then it
/// stalls (keeps the connection open, sends nothing more) until the test ends.
async fn stalling_feedback_service(
    fx: &support::legacy::Fixture,
    bytes: Vec<u8>,
) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    use openssl::ssl::{SslAcceptor, SslMethod, SslVerifyMode};
    use tokio::io::AsyncWriteExt as _;
    let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
    b.set_private_key(fx.server.private_key.as_ref().unwrap())
        .unwrap();
    b.set_certificate(&fx.server.certificate).unwrap();
    b.set_verify_callback(SslVerifyMode::PEER, |_, _| true);
    let acceptor = std::sync::Arc::new(b.build());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((tcp, _)) = listener.accept().await {
            let ssl = openssl::ssl::Ssl::new(acceptor.context()).unwrap();
            let mut tls = tokio_openssl::SslStream::new(ssl, tcp).unwrap();
            if std::pin::Pin::new(&mut tls).accept().await.is_err() {
                continue;
            }
            let _ = tls.write_all(&bytes).await;
            let _ = tls.flush().await;
            held.push(tls); // never closed: a stall
        }
    });
    (addr, task)
}

fn feedback_record(time: u32, token: &[u8]) -> Vec<u8> {
    let mut r = time.to_be_bytes().to_vec();
    r.extend((token.len() as u16).to_be_bytes());
    r.extend_from_slice(token);
    r
}

/// Case 4: a feedback service that sends ten records and then stalls: at `--timeout` all ten
/// are on standard output (the service hands each out once). One that then sends a record
/// with a 65,535-byte token is stopped at that record, the ten kept, in bounded time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_keeps_every_record_received_before_a_stall_or_garbage() {
    let fx = support::legacy::Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, fx.ca.certificate.to_pem().unwrap()).unwrap();
    let cert = dir.path().join("client.pem");
    std::fs::write(&cert, fx.client.export(ExportFormat::Pem, None).unwrap()).unwrap();
    let ten: Vec<u8> = (0..10)
        .flat_map(|i| feedback_record(1_600_000_000 + i, &support::legacy::token(i)))
        .collect();
    let mut garbage = ten.clone();
    garbage.extend(feedback_record(1, &vec![0xab; 65_535]));
    for (what, bytes, must_say) in [
        ("a stall", ten, "did not finish within"),
        ("a 65,535-byte token", garbage, "65535-byte device token"),
    ] {
        let (addr, _service) = stalling_feedback_service(&fx, bytes).await;
        let started = std::time::Instant::now();
        let mut cmd = tokio::process::Command::from(pushlab());
        cmd.args([
            "feedback",
            "--json",
            "--timeout",
            "2",
            "--server",
            &addr.to_string(),
        ])
        .arg("--ca")
        .arg(&ca)
        .arg("--cert")
        .arg(&cert);
        let ran = run(cmd).await;
        assert!(started.elapsed() < Duration::from_secs(20), "{what}");
        assert_eq!(ran.code, Some(2), "{what}: {}", ran.stderr);
        assert!(ran.stderr.contains(must_say), "{what}: {}", ran.stderr);
        let tokens: Vec<String> = ran
            .stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["token"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let want: Vec<String> = (0..10)
            .map(|i| hex::encode(support::legacy::token(i)))
            .collect();
        assert_eq!(tokens, want, "{what}: every record before it is kept");
    }
}
