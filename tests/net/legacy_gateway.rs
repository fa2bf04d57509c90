//! The legacy gateway at the byte level: a raw TLS client writes frames by hand and reads
//! exactly what comes back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::time::Duration;

use pushlab::legacy::frame::{self, Command, Notification, Status};
use pushlab::legacy::{Gateway, GatewayConfig};
use support::legacy::*;

const WAIT: Duration = Duration::from_secs(10);

fn sample(i: u32) -> Notification {
    Notification::new(token(i), payload(i)).with_identifier(1000 + i)
}

fn packet(status: u8, identifier: u32) -> Vec<u8> {
    let mut p = vec![8, status];
    p.extend_from_slice(&identifier.to_be_bytes());
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_format_is_accepted() {
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let a = sample(1);
    let b = sample(2).with_expiry(1_700_000_000);
    let c = sample(3).with_expiry(1_700_000_001).with_priority(5);
    let d = sample(4);
    let mut bytes = frame::encode(Command::Simple, &a).unwrap();
    bytes.extend(frame::encode(Command::Enhanced, &b).unwrap());
    bytes.extend(frame::encode(Command::Framed, &c).unwrap());
    bytes.extend(frame::encode(Command::Framed, &d).unwrap());
    let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
    let answer = exchange(&mut s, &bytes).await;
    assert!(
        answer.is_empty(),
        "no error packet expected, got {answer:?}"
    );
    assert!(gw.wait_for_notifications(4, WAIT).await);
    let inbox = gw.inbox();
    assert_eq!(inbox.len(), 4);
    assert_eq!(inbox[0].command, Command::Simple);
    assert_eq!(inbox[0].notification.token, a.token);
    assert_eq!(inbox[0].notification.payload, a.payload);
    assert_eq!(inbox[0].notification.identifier, 0);
    assert_eq!(inbox[0].notification.priority, 10);
    assert_eq!(inbox[1].command, Command::Enhanced);
    assert_eq!(inbox[1].notification, b);
    assert_eq!(inbox[2].command, Command::Framed);
    assert_eq!(inbox[2].notification, c);
    assert_eq!(inbox[3].notification, d);
    assert!(gw.rejections().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_malformed_frame_gets_its_status_and_the_rest_is_discarded() {
    let fx = Fixture::new();
    let bad_token = token(666);
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()).invalid_token(bad_token.clone()))
        .await
        .unwrap();
    let enc = |c, n: &Notification| frame::encode(c, n).unwrap();
    let id = 77;
    let base = || sample(9).with_identifier(id);
    let with_token = |t: Vec<u8>| Notification { token: t, ..base() };
    let with_payload = |p: Vec<u8>| Notification {
        payload: p,
        ..base()
    };
    let mut only_payload = vec![2, 0, 0, 0, 13, 2, 0, 3, b'{', b'}', b' ', 3, 0, 4];
    only_payload.extend_from_slice(&id.to_be_bytes());
    let mut only_token = vec![2, 0, 0, 0, 42, 1, 0, 32];
    only_token.extend_from_slice(&token(1));
    only_token.extend_from_slice(&[3, 0, 4]);
    only_token.extend_from_slice(&id.to_be_bytes());
    let cases: Vec<(&str, Vec<u8>, u8, u32)> = vec![
        ("unknown command", vec![9, 1, 2, 3], 1, 0),
        (
            "enhanced, empty token",
            enc(Command::Enhanced, &with_token(vec![])),
            2,
            id,
        ),
        (
            "enhanced, 31-byte token",
            enc(Command::Enhanced, &with_token(vec![1; 31])),
            5,
            id,
        ),
        (
            "enhanced, empty payload",
            enc(Command::Enhanced, &with_payload(vec![])),
            4,
            id,
        ),
        (
            "enhanced, 257-byte payload",
            enc(Command::Enhanced, &with_payload(vec![b' '; 257])),
            7,
            id,
        ),
        (
            "framed, 64-byte token",
            enc(Command::Framed, &with_token(vec![1; 64])),
            5,
            id,
        ),
        (
            "framed, 2049-byte payload",
            enc(Command::Framed, &with_payload(vec![b' '; 2049])),
            7,
            id,
        ),
        ("framed, no token item", only_payload, 2, id),
        ("framed, no payload item", only_token, 4, id),
        (
            "framed, priority 7",
            enc(Command::Framed, &base().with_priority(7)),
            1,
            id,
        ),
        (
            "framed, invalid token",
            enc(Command::Framed, &with_token(bad_token.clone())),
            8,
            id,
        ),
        (
            "enhanced, invalid token",
            enc(Command::Enhanced, &with_token(bad_token.clone())),
            8,
            id,
        ),
    ];
    let mut expected_inbox = 0;
    for (i, (name, bad, status, identifier)) in cases.into_iter().enumerate() {
        let before = sample(100 + i as u32);
        let after = sample(200 + i as u32);
        let mut bytes = enc(Command::Framed, &before);
        bytes.extend(&bad);
        bytes.extend(enc(Command::Framed, &after));
        let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
        let answer = exchange(&mut s, &bytes).await;
        assert_eq!(answer, packet(status, identifier), "{name}");
        expected_inbox += 1;
        // The gateway answers only after the notification before it is in the inbox.
        let inbox = gw.inbox();
        assert_eq!(inbox.len(), expected_inbox, "{name}");
        assert_eq!(inbox.last().unwrap().notification, before, "{name}");
        assert!(
            !inbox.iter().any(|r| r.notification.token == after.token),
            "{name}: the notification after the bad one must be discarded"
        );
        let rejection = gw.rejections().pop().unwrap();
        assert_eq!(rejection.status, Status::from_code(status), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simple_format_errors_close_silently_as_apple_did() {
    let fx = Fixture::new();
    let bad = token(13);
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()).invalid_token(bad.clone()))
        .await
        .unwrap();
    let mut bytes = frame::encode(Command::Simple, &sample(1)).unwrap();
    bytes.extend(
        frame::encode(Command::Simple, &Notification::new(bad.clone(), payload(2))).unwrap(),
    );
    bytes.extend(frame::encode(Command::Simple, &sample(3)).unwrap());
    let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
    assert_eq!(exchange(&mut s, &bytes).await, Vec::<u8>::new());
    let inbox = gw.inbox();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].notification.token, token(1));
    assert_eq!(gw.rejections()[0].status, Status::InvalidToken);

    // With answer_simple_format the packet is sent, with identifier 0.
    let mut config = GatewayConfig::new(fx.server_tls()).invalid_token(bad);
    config.answer_simple_format = true;
    let gw = Gateway::start(config).await.unwrap();
    let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
    assert_eq!(exchange(&mut s, &bytes).await, packet(8, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_without_certificate_is_refused() {
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let bytes = frame::encode(Command::Framed, &sample(1)).unwrap();
    // TLS 1.2 fails the handshake; TLS 1.3 lets it "succeed" and sends the alert afterwards.
    if let Ok(mut s) = raw_connect(&fx, gw.local_addr(), false).await {
        let answer = exchange(&mut s, &bytes).await;
        assert!(answer.is_empty(), "{answer:?}");
    }
    // A certificate from another CA is refused as well.
    let other = Fixture::new();
    let stranger = Fixture {
        ca: fx.ca.clone(),
        server: fx.server.clone(),
        client: other.client.clone(),
    };
    if let Ok(mut s) = raw_connect(&stranger, gw.local_addr(), true).await {
        let answer = exchange(&mut s, &bytes).await;
        assert!(answer.is_empty(), "{answer:?}");
    }
    assert_eq!(gw.received_count(), 0);
    // The gateway still serves clients that have a good certificate.
    let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
    assert!(exchange(&mut s, &bytes).await.is_empty());
    assert_eq!(gw.received_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_answers_open_connections_with_shutdown() {
    use tokio::io::AsyncWriteExt as _;
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
    let n = sample(5).with_identifier(42);
    s.write_all(&frame::encode(Command::Framed, &n).unwrap())
        .await
        .unwrap();
    s.flush().await.unwrap();
    assert!(gw.wait_for_notifications(1, WAIT).await);
    let stopping = tokio::spawn(gw.stop());
    assert_eq!(read_to_end(&mut s).await, packet(10, 42));
    drop(s);
    tokio::time::timeout(WAIT, stopping).await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_batch_marker_is_answered_unless_something_before_it_was_refused() {
    let fx = Fixture::new();
    let bad = token(666);
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()).invalid_token(bad.clone()))
        .await
        .unwrap();
    for command in [Command::Enhanced, Command::Framed] {
        let marker = frame::end_of_batch(command, u32::MAX).unwrap();
        // Two good notifications, then the marker: answered with status 2 and its identifier.
        let mut bytes = frame::encode(command, &sample(1)).unwrap();
        bytes.extend(frame::encode(command, &sample(2)).unwrap());
        bytes.extend(&marker);
        let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
        assert_eq!(
            exchange(&mut s, &bytes).await,
            packet(2, u32::MAX),
            "{command:?}"
        );

        // A bad token before the marker: only the bad token is answered; the marker and the
        // notification between them are discarded, as Apple discarded everything after it.
        let mut bytes = frame::encode(command, &sample(3)).unwrap();
        bytes.extend(
            frame::encode(
                command,
                &Notification::new(bad.clone(), payload(4)).with_identifier(4),
            )
            .unwrap(),
        );
        bytes.extend(frame::encode(command, &sample(5)).unwrap());
        bytes.extend(&marker);
        let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
        assert_eq!(exchange(&mut s, &bytes).await, packet(8, 4), "{command:?}");
    }
    let tokens: Vec<_> = gw
        .inbox()
        .into_iter()
        .map(|r| r.notification.token)
        .collect();
    assert_eq!(tokens, [1, 2, 3, 1, 2, 3].map(|i| sample(i).token).to_vec());
    // Markers are counted apart: the rejections are the two bad tokens only.
    assert_eq!(gw.end_of_batch_markers(), 2);
    let rejections = gw.rejections();
    assert_eq!(rejections.len(), 2);
    assert!(rejections.iter().all(|r| r.status == Status::InvalidToken));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_delay_holds_the_packet_back_while_the_gateway_keeps_reading() {
    let fx = Fixture::new();
    let bad = token(666);
    let delay = Duration::from_millis(600);
    let gw = Gateway::start(
        GatewayConfig::new(fx.server_tls())
            .invalid_token(bad.clone())
            .error_delay(delay),
    )
    .await
    .unwrap();
    let mut bytes = frame::encode(
        Command::Framed,
        &Notification::new(bad, payload(1)).with_identifier(9),
    )
    .unwrap();
    // Far more than the socket buffers hold: the gateway must read on while it waits.
    for i in 0..2000 {
        bytes.extend(frame::encode(Command::Framed, &sample(i)).unwrap());
    }
    let mut s = raw_connect(&fx, gw.local_addr(), true).await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(exchange(&mut s, &bytes).await, packet(8, 9));
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    assert_eq!(gw.received_count(), 0);
}
