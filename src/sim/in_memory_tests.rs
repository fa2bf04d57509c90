//! The simulator's HTTP/2 edge cases over an in-memory stream, as h2's own tests do: no TLS,
//! no sockets, no ports. The client is the `h2` crate's, which pushlab did not write; the
//! truth is what that client received and what the simulator's inbox recorded. The
//! loopback-TLS tests in `tests/sim` keep proving the end-to-end claims (certificates, ALPN,
//! what a real client sees).
//!
//! Tests only: declared `#[cfg(test)]` in `src/sim/mod.rs`, so none of this is built into
//! pushlab. Each `unwrap`/`expect` here is an assertion of the test it is in (clippy's
//! `unwrap_used`/`expect_used` are denied everywhere else).

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::watch;

use super::inbox::Inbox;
use super::live_faults::LiveFaults;
use super::server::{Shared, serve_http2};
use super::validate::Identity;
use super::{Faults, SimConfig, SimIdentity};
use crate::apns::Environment;
use crate::cert::CertEnvironment;

const TOPIC: &str = "com.example.app";
const TOKEN: &str = "5cd1e87c0b2f1b1d4f2a6b3c8d9e0f11223344556677889900aabbccddeeff00";

/// A simulator with these faults, serving one in-memory connection from a client certificate
/// for `TOPIC`; the client's side of it, handshaken, and the simulator's shared state.
async fn connect(
    faults: Faults,
) -> (
    h2::client::SendRequest<Bytes>,
    Arc<Shared>,
    watch::Sender<bool>,
) {
    let config = SimConfig::new(Environment::Sandbox, SimIdentity::ephemeral().unwrap());
    let shared = Shared::new(
        config,
        Inbox::new(100),
        Arc::new(LiveFaults::new(faults)),
        Arc::default(),
    )
    .unwrap();
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    let identity = Identity::Certificate {
        environment: CertEnvironment::Development,
        topics: vec![TOPIC.to_owned()],
        bundle_id: Some(TOPIC.to_owned()),
        multi_topic: false,
    };
    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(serve_http2(
        server_io,
        identity,
        shared.clone(),
        shutdown,
        Duration::from_secs(5),
    ));
    let (send, conn) = h2::client::handshake(client_io).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    (send, shared, stop)
}

/// A push to `path` with `method`; the status and the body the client read, or the h2 error
/// the stream ended with.
async fn push(
    send: &mut h2::client::SendRequest<Bytes>,
    method: &str,
    path: &str,
) -> Result<(u16, String), h2::Error> {
    let request = http::Request::builder()
        .method(method)
        .uri(format!("https://api.sandbox.push.apple.com{path}"))
        .header("apns-topic", TOPIC)
        .header("apns-push-type", "alert")
        .body(())
        .unwrap();
    let mut ready = send.clone().ready().await?;
    let (answer, mut body) = ready.send_request(request, false)?;
    body.send_data(Bytes::from_static(br#"{"aps":{"alert":"hi"}}"#), true)?;
    let answer = answer.await?;
    let status = answer.status().as_u16();
    let mut body = answer.into_body();
    let mut text = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk?;
        let _ = body.flow_control().release_capacity(chunk.len());
        text.extend_from_slice(&chunk);
    }
    *send = ready;
    Ok((status, String::from_utf8_lossy(&text).into_owned()))
}

#[tokio::test]
async fn a_push_is_delivered_and_a_bad_one_refused_with_apples_reason() {
    let (mut send, shared, _stop) = connect(Faults::default()).await;
    let (status, _) = push(&mut send, "POST", &format!("/3/device/{TOKEN}"))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(shared.inbox.total(), 1);

    let (status, body) = push(&mut send, "GET", &format!("/3/device/{TOKEN}"))
        .await
        .unwrap();
    assert_eq!(
        (status, body.as_str()),
        (405, r#"{"reason":"MethodNotAllowed"}"#)
    );
    let (status, body) = push(&mut send, "POST", "/3/device/not-hex").await.unwrap();
    assert_eq!(
        (status, body.as_str()),
        (400, r#"{"reason":"BadDeviceToken"}"#)
    );
    // Refusals are not deliveries.
    assert_eq!(shared.inbox.total(), 1);
}

/// A server lowering its stream limit refuses the excess with REFUSED_STREAM: provably
/// unprocessed, so nothing of it reaches the inbox, and a client may send it again.
#[tokio::test]
async fn streams_over_the_limit_are_refused_unprocessed() {
    let faults = Faults {
        refuse_streams_over: Some(1),
        latency: Duration::from_millis(300),
        ..Faults::default()
    };
    let (send, shared, _stop) = connect(faults).await;
    let pushes = (0..4).map(|_| {
        let mut send = send.clone();
        async move { push(&mut send, "POST", &format!("/3/device/{TOKEN}")).await }
    });
    let answers = futures_util::future::join_all(pushes).await;
    let delivered = answers.iter().filter(|a| matches!(a, Ok((200, _)))).count();
    let refused = answers
        .iter()
        .filter(|a| {
            a.as_ref()
                .err()
                .and_then(h2::Error::reason)
                .is_some_and(|r| r == h2::Reason::REFUSED_STREAM)
        })
        .count();
    assert!(delivered >= 1, "{answers:?}");
    assert!(refused >= 1, "{answers:?}");
    assert_eq!(delivered + refused, 4, "{answers:?}");
    assert_eq!(shared.inbox.total(), u64::try_from(delivered).unwrap());
}

/// Every Nth push is delivered and then its stream reset with INTERNAL_ERROR: the phone has
/// it, the sender has no answer. The inbox, not the client, knows it arrived.
#[tokio::test]
async fn a_reset_after_delivery_leaves_the_push_in_the_inbox() {
    let faults = Faults {
        reset_processed_every: Some(2),
        ..Faults::default()
    };
    let (mut send, shared, _stop) = connect(faults).await;
    let first = push(&mut send, "POST", &format!("/3/device/{TOKEN}")).await;
    assert!(matches!(first, Ok((200, _))), "{first:?}");
    let second = push(&mut send, "POST", &format!("/3/device/{TOKEN}")).await;
    let reason = second.as_ref().err().and_then(h2::Error::reason);
    assert_eq!(reason, Some(h2::Reason::INTERNAL_ERROR), "{second:?}");
    assert_eq!(shared.inbox.total(), 2);
}

/// With `answer_from_headers`, a push its headers rule out is answered before any of its body
/// is sent, and the body is then stopped with NO_ERROR (RFC 9113 §8.1); a good push still
/// waits for its body and is delivered.
#[tokio::test]
async fn a_push_its_headers_rule_out_is_answered_before_its_body() {
    let faults = Faults {
        answer_from_headers: true,
        ..Faults::default()
    };
    let (mut send, shared, _stop) = connect(faults).await;
    let request = http::Request::builder()
        .method("POST")
        .uri("https://api.sandbox.push.apple.com/3/device/not-hex")
        .header("apns-topic", TOPIC)
        .header("apns-push-type", "alert")
        .body(())
        .unwrap();
    let mut ready = send.clone().ready().await.unwrap();
    let (answer, mut body) = ready.send_request(request, false).unwrap();
    // Not a byte of the body sent: only the headers can have decided it.
    let answer = tokio::time::timeout(Duration::from_secs(5), answer)
        .await
        .expect("answered before the body")
        .unwrap();
    assert_eq!(answer.status(), 400);
    let mut text = Vec::new();
    let mut answer_body = answer.into_body();
    while let Some(chunk) = answer_body.data().await {
        text.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(text, br#"{"reason":"BadDeviceToken"}"#);
    let reset = std::future::poll_fn(|cx| body.poll_reset(cx))
        .await
        .unwrap();
    assert_eq!(reset, h2::Reason::NO_ERROR);
    send = ready;
    let (status, _) = push(&mut send, "POST", &format!("/3/device/{TOKEN}"))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(shared.inbox.total(), 1);
}

/// A server certificate without its key, or with another's, stops the simulator at start
/// with the reason; before, it started and every handshake failed.
#[test]
fn a_server_certificate_without_its_key_refuses_to_start() {
    let faults = || Arc::new(LiveFaults::new(Faults::default()));
    let mut config = SimConfig::new(Environment::Sandbox, SimIdentity::ephemeral().unwrap());
    config.identity.server.private_key = None;
    let Err(e) = Shared::new(config, Inbox::new(10), faults(), Arc::default()) else {
        panic!("started without a key");
    };
    assert!(e.to_string().contains("no private key"), "{e}");

    let mut config = SimConfig::new(Environment::Sandbox, SimIdentity::ephemeral().unwrap());
    let other = SimIdentity::ephemeral().unwrap();
    config.identity.server.private_key = other.server.private_key;
    assert!(Shared::new(config, Inbox::new(10), faults(), Arc::default()).is_err());
}
