//! The legacy client against the real gateway over loopback TLS: one outcome per notification,
//! nothing lost, nothing delivered twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::collections::HashMap;

use pushlab::legacy::{
    Command, Gateway, GatewayConfig, LegacyClient, LegacyError, LegacyOutcome, Notification, Status,
};
use support::legacy::*;

fn batch(count: u32) -> Vec<Notification> {
    (0..count)
        .map(|i| Notification::new(token(i), payload(i)).with_identifier(i + 1))
        .collect()
}

/// How many times each token reached the gateway's inbox.
fn delivered(gw: &Gateway) -> HashMap<Vec<u8>, usize> {
    let mut counts = HashMap::new();
    for r in gw.inbox() {
        *counts.entry(r.notification.token).or_insert(0) += 1;
    }
    counts
}

async fn headline(command: Command) {
    let fx = Fixture::new();
    let notifications = batch(1000);
    let bad = 500;
    let gw = Gateway::start(
        GatewayConfig::new(fx.server_tls()).invalid_token(notifications[bad].token.clone()),
    )
    .await
    .unwrap();
    let client = LegacyClient::new(fx.endpoint(gw.local_addr())).command(command);
    let report = client.send(&notifications).await.unwrap();

    assert_eq!(
        report.problems(),
        vec![(bad, LegacyOutcome::Rejected(Status::InvalidToken))],
        "{command:?}: {:?}",
        report.notes
    );
    assert_eq!(report.accepted(), 999);
    assert!(report.gave_up.is_none());
    assert_eq!(report.connections, 2, "{:?}", report.notes);

    // Every other notification reached the gateway exactly once, token by token.
    let counts = delivered(&gw);
    assert_eq!(counts.len(), 999);
    for (i, n) in notifications.iter().enumerate() {
        let got = counts.get(&n.token).copied().unwrap_or(0);
        let want = usize::from(i != bad);
        assert_eq!(
            got, want,
            "{command:?}: notification #{i} delivered {got} times"
        );
    }
    for r in gw.inbox() {
        let i = notifications
            .iter()
            .position(|n| n.token == r.notification.token)
            .unwrap();
        assert_eq!(r.command, command);
        assert_eq!(r.notification.payload, notifications[i].payload);
        assert_eq!(r.notification.identifier, notifications[i].identifier);
    }
    let rejections = gw.rejections();
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].status, Status::InvalidToken);
    assert_eq!(rejections[0].identifier, notifications[bad].identifier);
    // The first connection's marker was discarded with everything after the bad token; the
    // second one's answer confirmed the 499 resent notifications.
    assert_eq!(gw.end_of_batch_markers(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_invalid_token_in_a_thousand_loses_nothing_framed() {
    headline(Command::Framed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_invalid_token_in_a_thousand_loses_nothing_enhanced() {
    headline(Command::Enhanced).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_batch_is_accepted_on_one_connection() {
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let notifications = batch(200);
    let report = LegacyClient::new(fx.endpoint(gw.local_addr()))
        .send(&notifications)
        .await
        .unwrap();
    assert_eq!(report.accepted(), 200);
    assert_eq!(report.connections, 1);
    assert_eq!(report.resent, 0);
    let inbox: Vec<_> = gw.inbox().into_iter().map(|r| r.notification).collect();
    assert_eq!(inbox, notifications);
    // Accepted because the gateway answered the end-of-batch marker, not because it was quiet.
    assert_eq!(gw.end_of_batch_markers(), 1);
    assert!(gw.rejections().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_bad_tokens_each_get_their_own_outcome() {
    let fx = Fixture::new();
    let notifications = batch(300);
    let bad = [0usize, 1, 150, 299];
    let mut config = GatewayConfig::new(fx.server_tls());
    for &b in &bad {
        config = config.invalid_token(notifications[b].token.clone());
    }
    let gw = Gateway::start(config).await.unwrap();
    let report = LegacyClient::new(fx.endpoint(gw.local_addr()))
        .send(&notifications)
        .await
        .unwrap();
    let expected: Vec<_> = bad
        .iter()
        .map(|&b| (b, LegacyOutcome::Rejected(Status::InvalidToken)))
        .collect();
    assert_eq!(report.problems(), expected);
    let counts = delivered(&gw);
    assert_eq!(counts.len(), 296);
    assert!(counts.values().all(|&c| c == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintenance_shutdown_resends_only_what_was_not_processed() {
    let fx = Fixture::new();
    let mut config = GatewayConfig::new(fx.server_tls());
    config.shutdown_after = Some(300);
    let gw = Gateway::start(config).await.unwrap();
    let notifications = batch(1000);
    let report = LegacyClient::new(fx.endpoint(gw.local_addr()))
        .send(&notifications)
        .await
        .unwrap();
    assert_eq!(report.accepted(), 1000, "{:?}", report.notes);
    assert_eq!(report.connections, 4);
    let counts = delivered(&gw);
    assert_eq!(counts.len(), 1000);
    assert!(counts.values().all(|&c| c == 1));
    let rejections = gw.rejections();
    assert_eq!(rejections.len(), 3);
    assert!(rejections.iter().all(|r| r.status == Status::Shutdown));
    assert_eq!(rejections[0].identifier, notifications[299].identifier);
    assert_eq!(
        gw.end_of_batch_markers(),
        1,
        "only the last connection got to its marker"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_notifications_are_not_sent() {
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let mut notifications = batch(5);
    notifications[1].token.pop();
    notifications[2].payload = vec![b' '; 2049];
    notifications[3].payload.clear();
    let report = LegacyClient::new(fx.endpoint(gw.local_addr()))
        .send(&notifications)
        .await
        .unwrap();
    assert_eq!(
        report.outcomes,
        vec![
            LegacyOutcome::Accepted,
            LegacyOutcome::Invalid(Status::InvalidTokenSize),
            LegacyOutcome::Invalid(Status::InvalidPayloadSize),
            LegacyOutcome::Invalid(Status::MissingPayload),
            LegacyOutcome::Accepted,
        ]
    );
    assert_eq!(gw.received_count(), 2);
    // 300 bytes is fine for command 2 but over the limit of commands 0 and 1.
    let n = vec![Notification::new(token(9), vec![b' '; 300]).with_identifier(1)];
    let simple = LegacyClient::new(fx.endpoint(gw.local_addr())).command(Command::Enhanced);
    let report = simple.send(&n).await.unwrap();
    assert_eq!(
        report.outcomes,
        vec![LegacyOutcome::Invalid(Status::InvalidPayloadSize)]
    );
    assert_eq!(report.connections, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_identifiers_are_refused_before_sending() {
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let mut notifications = batch(3);
    notifications[2].identifier = notifications[0].identifier;
    let err = LegacyClient::new(fx.endpoint(gw.local_addr()))
        .send(&notifications)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        LegacyError::DuplicateIdentifier { identifier: 1 }
    ));
    assert_eq!(gw.received_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simple_format_cannot_name_the_bad_notification() {
    let fx = Fixture::new();
    let notifications = batch(50);
    let bad = 10;
    let mut config =
        GatewayConfig::new(fx.server_tls()).invalid_token(notifications[bad].token.clone());
    config.answer_simple_format = true;
    let gw = Gateway::start(config).await.unwrap();
    let report = LegacyClient::new(fx.endpoint(gw.local_addr()))
        .command(Command::Simple)
        .send(&notifications)
        .await
        .unwrap();
    // Without identifiers, what was written on the failed connection stays unconfirmed.
    for i in 0..=bad {
        assert_eq!(report.outcomes[i], LegacyOutcome::Unconfirmed, "#{i}");
    }
    // Command 0 is never answered, so nothing can be confirmed: whatever was written on a
    // later connection is unconfirmed too, however quiet the gateway was.
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| *o == LegacyOutcome::Unconfirmed)
    );
    assert_eq!(report.accepted(), 0);
    let counts = delivered(&gw);
    assert!(counts.values().all(|&c| c == 1), "nothing delivered twice");
    assert!(!counts.contains_key(&notifications[bad].token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_certificate_is_an_error_not_a_batch_of_unknowns() {
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let other = Fixture::new();
    let mut endpoint = fx.endpoint(gw.local_addr());
    endpoint.credential = other.client.clone();
    let err = LegacyClient::new(endpoint)
        .send(&batch(20))
        .await
        .unwrap_err();
    assert!(
        matches!(err, LegacyError::CertificateRefused { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("CA the server trusts"));
    assert_eq!(gw.received_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_listening_is_a_connect_error() {
    let fx = Fixture::new();
    let gw = Gateway::start(GatewayConfig::new(fx.server_tls()))
        .await
        .unwrap();
    let addr = gw.local_addr();
    gw.stop().await;
    let err = LegacyClient::new(fx.endpoint(addr))
        .send(&batch(1))
        .await
        .unwrap_err();
    assert!(matches!(err, LegacyError::Connect { .. }), "{err}");
    assert!(err.to_string().contains("firewall"));
}
