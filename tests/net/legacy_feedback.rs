//! The feedback service: unregistered tokens come back once, over TLS with client certificates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::time::Duration;

use pushlab::legacy::{FeedbackConfig, FeedbackRecord, FeedbackServer, LegacyError, read_feedback};
use support::legacy::*;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unregistered_tokens_are_reported_once() {
    let fx = Fixture::new();
    let server = FeedbackServer::start(FeedbackConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let endpoint = fx.endpoint(server.local_addr());
    assert_eq!(read_feedback(&endpoint, WAIT).await.unwrap(), vec![]);

    server.mark_unregistered(token(1), 1_600_000_000);
    server.mark_unregistered(token(2), 1_600_000_100);
    server.mark_unregistered(token(3), 1_600_000_200);
    let records = read_feedback(&endpoint, WAIT).await.unwrap();
    assert_eq!(
        records,
        vec![
            FeedbackRecord::new(1_600_000_000, token(1)),
            FeedbackRecord::new(1_600_000_100, token(2)),
            FeedbackRecord::new(1_600_000_200, token(3)),
        ]
    );
    assert_eq!(records[0].token_hex(), hex::encode(token(1)));
    assert!(server.pending().is_empty());

    // The list was cleared by the first read.
    assert_eq!(read_feedback(&endpoint, WAIT).await.unwrap(), vec![]);

    // Tokens marked later come on the next read.
    server.mark_unregistered(token(4), 1_600_000_300);
    assert_eq!(
        read_feedback(&endpoint, WAIT).await.unwrap(),
        vec![FeedbackRecord::new(1_600_000_300, token(4))]
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_needs_a_trusted_client_certificate() {
    let fx = Fixture::new();
    let server = FeedbackServer::start(FeedbackConfig::new(fx.server_tls()))
        .await
        .unwrap();
    server.mark_unregistered(token(1), 1_600_000_000);
    let other = Fixture::new();
    let mut stranger = fx.endpoint(server.local_addr());
    stranger.credential = other.client.clone();
    let err = read_feedback(&stranger, WAIT).await.unwrap_err();
    assert!(
        matches!(err, LegacyError::CertificateRefused { .. }),
        "{err}"
    );
    // Nothing was handed out to the refused client.
    assert_eq!(server.pending().len(), 1);
    let records = read_feedback(&fx.endpoint(server.local_addr()), WAIT)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_checks_the_server_certificate() {
    let fx = Fixture::new();
    let server = FeedbackServer::start(FeedbackConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let other = Fixture::new();
    // Trusting only another CA: the server's certificate must not be accepted.
    let mut endpoint = fx.endpoint(server.local_addr());
    endpoint.trusted_ca = vec![other.ca.certificate.clone()];
    let err = read_feedback(&endpoint, WAIT).await.unwrap_err();
    assert!(matches!(err, LegacyError::Handshake { .. }), "{err}");
    assert!(
        err.to_string().contains("certificate verify failed"),
        "{err}"
    );
}

/// A server that refuses the handshake for another reason than the certificate (here
/// OpenSSL, limited to TLS 1.1, answers the client's TLS 1.2+ hello with an alert about the
/// protocol version) is a handshake failure, not a refused certificate: before, any error
/// text with "alert" in it was reported as the certificate refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_not_about_the_certificate_is_a_handshake_failure() {
    use openssl::ssl::{SslAcceptor, SslMethod, SslVersion};
    let fx = Fixture::new();
    let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
    b.set_private_key(fx.server.private_key.as_ref().unwrap())
        .unwrap();
    b.set_certificate(&fx.server.certificate).unwrap();
    b.set_max_proto_version(Some(SslVersion::TLS1_1)).unwrap();
    let acceptor = b.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let ssl = openssl::ssl::Ssl::new(acceptor.context()).unwrap();
        let mut stream = tokio_openssl::SslStream::new(ssl, tcp).unwrap();
        std::pin::Pin::new(&mut stream).accept().await.unwrap_err()
    });
    let err = read_feedback(&fx.endpoint(addr), WAIT).await.unwrap_err();
    let server_saw = server.await.unwrap();
    assert!(
        server_saw.to_string().contains("protocol")
            || format!("{server_saw:?}").contains("PROTOCOL"),
        "the server refused for another reason: {server_saw:?}"
    );
    assert!(matches!(err, LegacyError::Handshake { .. }), "{err}");
}
