//! The simulator's legacy binary interface: the gateway and the feedback service run beside the
//! HTTP/2 API, judge tokens by the same device registry and deliver into the same inbox.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use pushlab::apns::Environment;
use pushlab::apns::{DeviceToken, PushType};
use pushlab::cert::{CertEnvironment, Credential, PushCertificateSpec};
use pushlab::legacy::{Endpoint, LegacyClient, LegacyOutcome, Notification, Status, read_feedback};
use pushlab::sim::{
    DeviceEntry, DeviceRegistry, Interface, SimConfig, SimIdentity, Simulator, TokenState,
};
use support::h2client;
use support::legacy::{payload, token};

const BUNDLE: &str = "com.example.doorbell";
const WAIT: Duration = Duration::from_secs(10);
const UNREGISTERED_MS: i64 = 1_700_000_000_123;

fn device(bytes: &[u8]) -> DeviceToken {
    DeviceToken::from_bytes(bytes.to_vec()).unwrap()
}

struct Lab {
    sim: Simulator,
    client_cert: Credential,
}

impl Lab {
    async fn start(registry: DeviceRegistry, tweak: impl FnOnce(&mut SimConfig)) -> Lab {
        let identity = SimIdentity::ephemeral().unwrap();
        let client_cert = identity
            .ca
            .issue_push_certificate(&PushCertificateSpec::new(
                BUNDLE,
                CertEnvironment::Development,
            ))
            .unwrap();
        let mut config = SimConfig::new(Environment::Sandbox, identity);
        config.registry = Arc::new(registry);
        config.legacy_gateway_port = Some(0);
        config.feedback_port = Some(0);
        tweak(&mut config);
        let sim = Simulator::start(config).await.unwrap();
        Lab { sim, client_cert }
    }

    fn endpoint(&self, addr: std::net::SocketAddr) -> Endpoint {
        assert!(addr.ip().is_loopback());
        Endpoint::new("127.0.0.1", addr.port(), self.client_cert.clone())
            .trust(self.sim.ca_certificate().clone())
    }

    fn gateway(&self) -> LegacyClient {
        // The gateway answers the end-of-batch marker as soon as it has read everything, so a
        // long confirmation timeout costs nothing, and "accepted" means "in the inbox".
        LegacyClient::new(self.endpoint(self.sim.legacy_addr().unwrap())).confirm_timeout(WAIT)
    }

    fn feedback(&self) -> Endpoint {
        self.endpoint(self.sim.feedback_addr().unwrap())
    }
}

fn batch(count: u32) -> Vec<Notification> {
    (0..count)
        .map(|i| Notification::new(token(i), payload(i)).with_identifier(i + 1))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registry_drives_gateway_and_feedback() {
    let registry = DeviceRegistry::new();
    let bad = 100;
    registry.insert(
        &device(&token(bad)),
        DeviceEntry {
            state: TokenState::Unregistered {
                since_ms: UNREGISTERED_MS,
            },
            ..DeviceEntry::active()
        },
    );
    let lab = Lab::start(registry, |_| {}).await;
    assert!(lab.sim.legacy_addr().unwrap().ip().is_loopback());
    assert_ne!(lab.sim.legacy_addr(), lab.sim.feedback_addr());
    let mut events = lab.sim.inbox().subscribe();

    let notifications = batch(200);
    let report = lab.gateway().send(&notifications).await.unwrap();
    assert_eq!(
        report.problems(),
        vec![(bad as usize, LegacyOutcome::Rejected(Status::InvalidToken))],
        "{:?}",
        report.notes
    );
    assert_eq!(report.accepted(), 199);

    // Every other notification is in the simulator's inbox exactly once, marked legacy.
    let deliveries = lab.sim.inbox().deliveries();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for d in &deliveries {
        *counts.entry(d.token.to_hex()).or_default() += 1;
        assert_eq!(d.interface, Interface::Legacy);
        assert_eq!(d.topic, BUNDLE);
        assert_eq!(d.push_type, PushType::Alert);
        assert_eq!(d.priority, 10);
    }
    assert_eq!(deliveries.len(), 199);
    for i in 0..200u32 {
        let want = usize::from(i != bad);
        assert_eq!(
            counts.get(&hex::encode(token(i))).copied().unwrap_or(0),
            want
        );
    }
    let d = deliveries
        .iter()
        .find(|d| d.token.to_hex() == hex::encode(token(7)))
        .unwrap();
    assert_eq!(d.banner().body.as_deref(), Some("Ding dong 7"));
    assert_eq!(
        serde_json::to_value(d).unwrap()["interface"],
        serde_json::json!("legacy")
    );
    assert_eq!(lab.sim.inbox().total(), 199);
    assert_eq!(lab.sim.inbox().rejected(), 1);

    // One event per notification the gateway judged; the refused one says what HTTP/2 says.
    let mut seen = Vec::new();
    while let Ok(e) = events.try_recv() {
        seen.push(e);
    }
    assert_eq!(seen.len(), 200);
    assert!(seen.iter().all(|e| e.interface == Interface::Legacy));
    let refused: Vec<_> = seen.iter().filter(|e| e.status != 200).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].token, hex::encode(token(bad)));
    assert_eq!(
        (refused[0].status, refused[0].reason),
        (410, Some("Unregistered"))
    );

    // The feedback service lists the unregistered token once, with its time in seconds.
    let records = read_feedback(&lab.feedback(), WAIT).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].token, token(bad));
    assert_eq!(records[0].time, 1_700_000_000);
    assert_eq!(read_feedback(&lab.feedback(), WAIT).await.unwrap(), vec![]);

    // A token unregistered while the simulator runs is refused from then on, and reported.
    let late = 5;
    lab.sim.registry().unregister(&device(&token(late)));
    let before = support::now();
    let report = lab
        .gateway()
        .send(&[Notification::new(token(late), payload(late)).with_identifier(1)])
        .await
        .unwrap();
    assert_eq!(
        report.outcomes,
        vec![LegacyOutcome::Rejected(Status::InvalidToken)]
    );
    let records = read_feedback(&lab.feedback(), WAIT).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].token, token(late));
    assert!((i64::from(records[0].time) - before).abs() <= 60);
    assert_eq!(read_feedback(&lab.feedback(), WAIT).await.unwrap(), vec![]);
    assert_eq!(lab.sim.inbox().total(), 199);

    lab.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_interfaces_refuse_the_same_tokens() {
    let registry = DeviceRegistry::new();
    let entry = |state, environment, topic: Option<&str>| DeviceEntry {
        state,
        environment,
        topic: topic.map(str::to_owned),
        ..DeviceEntry::active()
    };
    // 0 active; 1 expired; 2 for production only; 3 for another app; 4 unknown.
    registry.insert(
        &device(&token(0)),
        entry(TokenState::Active, None, Some(BUNDLE)),
    );
    registry.insert(&device(&token(1)), entry(TokenState::Expired, None, None));
    registry.insert(
        &device(&token(2)),
        entry(TokenState::Active, Some(Environment::Production), None),
    );
    registry.insert(
        &device(&token(3)),
        entry(TokenState::Active, None, Some("com.other.app")),
    );
    let lab = Lab::start(registry, |c| c.accept_unknown_tokens = false).await;

    let report = lab.gateway().send(&batch(5)).await.unwrap();
    let refused = LegacyOutcome::Rejected(Status::InvalidToken);
    assert_eq!(
        report.outcomes,
        vec![LegacyOutcome::Accepted, refused, refused, refused, refused],
        "{:?}",
        report.notes
    );

    // The HTTP/2 side refuses the same four, and its deliveries say so.
    let mut h2 = h2client::connect(
        lab.sim.addr(),
        lab.sim.ca_certificate(),
        Some(&lab.client_cert),
    )
    .await
    .unwrap();
    let body = String::from_utf8(payload(0)).unwrap();
    for i in 0..5 {
        let answer = h2
            .post(
                &hex::encode(token(i)),
                &[("apns-topic", BUNDLE), ("apns-push-type", "alert")],
                &body,
            )
            .await;
        assert_eq!(
            answer.status == 200,
            i == 0,
            "token {i}: {} {}",
            answer.status,
            answer.body
        );
    }
    let interfaces: Vec<_> = lab
        .sim
        .inbox()
        .deliveries()
        .iter()
        .map(|d| d.interface)
        .collect();
    assert_eq!(interfaces, vec![Interface::Legacy, Interface::Http2]);
    // Nothing was unregistered, so the feedback service has nothing to say.
    assert_eq!(read_feedback(&lab.feedback(), WAIT).await.unwrap(), vec![]);
    lab.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_ports_there_are_no_legacy_listeners() {
    let lab = Lab::start(DeviceRegistry::new(), |c| {
        c.legacy_gateway_port = None;
        c.feedback_port = None;
    })
    .await;
    assert_eq!(lab.sim.legacy_addr(), None);
    assert_eq!(lab.sim.feedback_addr(), None);
    lab.sim.shutdown().await;
}
