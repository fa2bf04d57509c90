//! pushlab's APNs client end to end against the embedded simulator over loopback TLS.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use crate::support;
use std::collections::HashMap;
use std::time::Duration;

use pushlab::apns::Environment;
use pushlab::apns::{DeviceToken, Notification, PushType, Reason};
use pushlab::cert::{AuthKey, CertEnvironment, Credential, PushCertificateSpec};
use pushlab::client::{
    BatchEvent, BatchItem, BatchOptions, BatchStop, CancelFlag, ClientAuth, Outcome, RetryPolicy,
    StepStatus, Target, check, send_batch,
};
use pushlab::sim::{ErrorBurst, Faults, RegisteredKey, SimConfig, SimIdentity, Simulator};

const BUNDLE: &str = "com.example.doorbell";

async fn sim(env: Environment, tweak: impl FnOnce(&mut SimConfig)) -> (Simulator, SimIdentity) {
    let identity = SimIdentity::ephemeral().unwrap();
    let mut config = SimConfig::new(env, identity.clone());
    config.inbox_capacity = 1_000_000;
    tweak(&mut config);
    (Simulator::start(config).await.unwrap(), identity)
}

fn target(s: &Simulator) -> Target {
    Target::simulator(s.addr(), s.ca_certificate().clone(), s.environment())
}

fn cert(id: &SimIdentity, env: CertEnvironment) -> Credential {
    id.ca
        .issue_push_certificate(&PushCertificateSpec::new(BUNDLE, env))
        .unwrap()
}

fn token(i: u64) -> DeviceToken {
    DeviceToken::parse(&format!("{:064x}", i + 1)).unwrap()
}

fn no_steps() -> impl FnMut(&pushlab::client::Step) + Send {
    |_| {}
}

/// The connection check against `s` with `auth`, its probe naming the test app.
async fn check_for_bundle(s: &Simulator, auth: &ClientAuth) -> pushlab::client::CheckReport {
    check(
        &target(s),
        auth,
        Some(BUNDLE),
        Duration::from_secs(5),
        &mut no_steps(),
    )
    .await
}

#[tokio::test]
async fn check_passes_end_to_end_with_a_certificate_and_with_a_token() {
    let key = AuthKey {
        key: support::ec_key(),
        key_id: "KEY1234567".into(),
        team_id: "TEAM123456".into(),
    };
    let (s, id) = sim(Environment::Sandbox, |c| {
        c.auth_keys = vec![RegisteredKey::from_auth_key(&key).unwrap()]
    })
    .await;
    let mut seen = Vec::new();
    let mut record = |step: &pushlab::client::Step| seen.push(step.name);
    let auth = ClientAuth::Certificate(cert(&id, CertEnvironment::Development));
    let report = check(
        &target(&s),
        &auth,
        None,
        Duration::from_secs(5),
        &mut record,
    )
    .await;
    assert!(report.passed(), "{report:#?}");
    assert_eq!(
        seen,
        vec!["dns", "tcp", "tls", "http2", "auth"],
        "a live checklist, in order"
    );
    assert_eq!(report.max_concurrent_streams, Some(1000));
    assert_eq!(report.probe_reason.as_deref(), Some("BadDeviceToken"));
    let tls = report.tls.as_ref().unwrap();
    assert_eq!(tls.alpn.as_deref(), Some("h2"));
    assert!(tls.chain[0].subject.contains("localhost"));
    assert_eq!(s.inbox().total(), 0, "the probe delivers nothing");

    let report = check_for_bundle(&s, &ClientAuth::token(key)).await;
    assert!(report.passed(), "{report:#?}");
    s.shutdown().await;
}

/// A key trusted while the simulator runs: tokens it signs are refused before and accepted
/// after, by the same simulator at the same address (the app's first push with a new `.p8`
/// used to restart it, emptying its inbox).
#[tokio::test]
async fn a_key_trusted_while_running_is_accepted_from_then_on() {
    let key = AuthKey {
        key: support::ec_key(),
        key_id: "KEY7654321".into(),
        team_id: "TEAM123456".into(),
    };
    let (s, _) = sim(Environment::Sandbox, |_| {}).await;
    let auth = ClientAuth::token(key.clone());
    let before = check_for_bundle(&s, &auth).await;
    assert!(!before.passed());
    assert_eq!(before.probe_reason.as_deref(), Some("InvalidProviderToken"));
    assert!(!s.keys().trusts("KEY7654321", "TEAM123456"));

    s.keys().trust(RegisteredKey::from_auth_key(&key).unwrap());
    let after = check_for_bundle(&s, &auth).await;
    assert!(after.passed(), "{after:#?}");
    assert!(s.keys().trusts("KEY7654321", "TEAM123456"));
    s.shutdown().await;
}

#[tokio::test]
async fn check_fails_at_each_step_with_a_cause() {
    let (s, id) = sim(Environment::Production, |_| {}).await;
    let dev = ClientAuth::Certificate(cert(&id, CertEnvironment::Development));
    let status = |r: &pushlab::client::CheckReport| {
        r.steps
            .iter()
            .map(|s| (s.name, s.status))
            .collect::<Vec<_>>()
    };

    // Wrong environment: everything up to HTTP/2 passes, the credential is refused.
    let r = check(
        &target(&s),
        &dev,
        None,
        Duration::from_secs(5),
        &mut no_steps(),
    )
    .await;
    assert_eq!(r.steps[4].status, StepStatus::Failed);
    assert!(
        r.steps[4].detail.contains("BadCertificateEnvironment"),
        "{}",
        r.steps[4].detail
    );
    assert!(r.steps[4].fix.as_deref().unwrap().contains("production"));

    // An untrusted server CA.
    let mut untrusted = target(&s);
    untrusted.extra_roots = vec![
        pushlab::cert::CertificateAuthority::generate("Other")
            .unwrap()
            .certificate,
    ];
    let r = check(
        &untrusted,
        &dev,
        None,
        Duration::from_secs(5),
        &mut no_steps(),
    )
    .await;
    assert_eq!(status(&r)[2], ("tls", StepStatus::Failed));
    assert!(
        r.steps[2].detail.contains("not trusted"),
        "{}",
        r.steps[2].detail
    );
    assert_eq!(r.steps[3].status, StepStatus::Skipped);

    // A trusted CA, but a certificate for another name than the one asked for: the host name
    // is checked, not only the chain (the TLS context is configured by hand, not by
    // `SslConnector`, so this is what proves the check is there).
    let mut other_name = target(&s);
    other_name.server_name = "not-this-server.example".to_owned();
    let r = check(
        &other_name,
        &dev,
        None,
        Duration::from_secs(5),
        &mut no_steps(),
    )
    .await;
    assert_eq!(
        status(&r)[2],
        ("tls", StepStatus::Failed),
        "{}",
        r.steps[2].detail
    );
    assert_eq!(r.steps[3].status, StepStatus::Skipped);

    // A client certificate the server does not trust.
    let stranger = pushlab::cert::CertificateAuthority::generate("Stranger").unwrap();
    let foreign = ClientAuth::Certificate(
        stranger
            .issue_push_certificate(&PushCertificateSpec::new(
                BUNDLE,
                CertEnvironment::Production,
            ))
            .unwrap(),
    );
    let r = check(
        &target(&s),
        &foreign,
        None,
        Duration::from_secs(5),
        &mut no_steps(),
    )
    .await;
    assert!(!r.passed());
    let failed = r
        .steps
        .iter()
        .find(|s| s.status == StepStatus::Failed)
        .unwrap();
    assert!(
        ["tls", "http2", "auth"].contains(&failed.name),
        "{failed:?}"
    );
    assert!(
        failed
            .fix
            .as_deref()
            .unwrap_or_default()
            .contains("certificate"),
        "{failed:?}"
    );

    let addr = s.addr();
    s.shutdown().await;
    // Nothing listening.
    let r = check(
        &Target::simulator(addr, id.ca.certificate.clone(), Environment::Production),
        &dev,
        None,
        Duration::from_secs(5),
        &mut no_steps(),
    )
    .await;
    assert_eq!(
        status(&r)[..2],
        [("dns", StepStatus::Passed), ("tcp", StepStatus::Failed)]
    );
    assert!(r.steps[1].detail.contains("refused"));
}

#[tokio::test]
async fn every_push_type_reaches_the_simulator() {
    let key = AuthKey {
        key: support::ec_key(),
        key_id: "KEY1234567".into(),
        team_id: "TEAM123456".into(),
    };
    let (s, _) = sim(Environment::Sandbox, |c| {
        c.auth_keys = vec![RegisteredKey::from_auth_key(&key).unwrap()]
    })
    .await;
    let conn = pushlab::client::Connection::open(
        &target(&s),
        &ClientAuth::token(key),
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    for (i, t) in PushType::ALL.into_iter().enumerate() {
        let payload = serde_json::to_vec(&pushlab::apns::template(t)).unwrap();
        let mut n = Notification::new(token(i as u64), t, payload);
        n.topic = Some(t.topic_for(BUNDLE));
        n.priority = Some(t.default_priority());
        let r = conn.send(&n).await.unwrap();
        assert_eq!(r.status, 200, "{t}: {:?}", r.reason);
        assert!(r.apns_unique_id.is_some());
    }
    // And a refusal comes back with its reason and explanation.
    let mut bad = Notification::new(token(99), PushType::Voip, &b"{}"[..]);
    bad.topic = Some(BUNDLE.into());
    let r = conn.send(&bad).await.unwrap();
    assert_eq!((r.status, r.known_reason()), (400, Some(Reason::BadTopic)));
    assert!(Reason::BadTopic.fix().contains("suffix"));
    assert_eq!(s.inbox().total(), 11);
    s.shutdown().await;
}

/// A connection keeps the headers of its last push for the next with the same values: pushes
/// whose headers differ one from the next, on one connection, each arrive with their own.
#[tokio::test]
async fn each_push_on_a_connection_arrives_with_its_own_headers() {
    let (s, id) = sim(Environment::Sandbox, |_| {}).await;
    let auth = ClientAuth::Certificate(cert(&id, CertEnvironment::Development));
    let conn = pushlab::client::Connection::open(&target(&s), &auth, Duration::from_secs(5))
        .await
        .unwrap();
    // From one push to the next, one header or the body's length changes, and each is sent
    // twice (the second time the kept headers are the right ones).
    let changes: [fn(&mut Notification); 6] = [
        |_| {},
        |n| n.payload = bytes::Bytes::from_static(br#"{"aps":{"alert":"longer"}}"#),
        |n| n.priority = Some(5),
        |n| n.expiration = Some(2_000_000_000),
        |n| n.collapse_id = Some("door".to_owned()),
        |n| n.apns_id = Some("00000000-0000-0000-0000-000000000001".to_owned()),
    ];
    let mut n = Notification::new(token(0), PushType::Alert, &br#"{"aps":{"alert":"a"}}"#[..]);
    n.topic = Some(BUNDLE.to_owned());
    n.priority = Some(10);
    let mut pushes = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        change(&mut n);
        for j in 0..2 {
            n.token = token(2 * i as u64 + j);
            if n.apns_id.is_some() {
                n.apns_id = Some(format!("00000000-0000-0000-0000-{:012}", 2 * i as u64 + j));
            }
            pushes.push(n.clone());
        }
    }
    for n in &pushes {
        let r = conn.send(n).await.unwrap();
        assert_eq!(r.status, 200, "{:?}", r.reason);
    }
    let deliveries = s.inbox().deliveries();
    for n in &pushes {
        let d = deliveries
            .iter()
            .find(|d| d.token == n.token)
            .unwrap_or_else(|| panic!("{n:?} not delivered"));
        assert_eq!(Some(d.priority), n.priority, "{n:?}");
        assert_eq!(d.expiration, n.expiration, "{n:?}");
        assert_eq!(d.collapse_id, n.collapse_id, "{n:?}");
        if let Some(id) = &n.apns_id {
            assert_eq!(&d.apns_id, id);
        }
        assert_eq!(
            serde_json::to_vec(&d.payload).unwrap(),
            n.payload.to_vec(),
            "{n:?}"
        );
    }
    s.shutdown().await;
}

/// Runs a batch of `n` tokens against a simulator with `faults`; returns results by index.
async fn batch_against(
    faults: Faults,
    n: u64,
    options: BatchOptions,
    unregistered: &[u64],
) -> (HashMap<u64, pushlab::client::TokenResult>, Simulator) {
    let (s, id) = sim(Environment::Sandbox, |c| c.faults = faults).await;
    for &u in unregistered {
        s.registry().unregister(&token(u));
    }
    let auth = ClientAuth::Certificate(cert(&id, CertEnvironment::Development));
    let payload = bytes::Bytes::from_static(br#"{"aps":{"alert":"Ding dong"}}"#);
    let items = (0..n).map(move |i| BatchItem {
        notification: Notification::new(token(i), PushType::Alert, payload.clone()),
        name: Some(format!("phone {i}")),
        line: None,
    });
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let collector = tokio::spawn(async move {
        let mut results = HashMap::new();
        while let Some(e) = rx.recv().await {
            if let BatchEvent::Result(r) = e {
                assert!(
                    results.insert(r.index, r).is_none(),
                    "one final result per token"
                );
            }
        }
        results
    });
    let summary = send_batch(
        &target(&s),
        &auth,
        items,
        Some(n),
        &options,
        tx,
        CancelFlag::default(),
    )
    .await;
    let results = collector.await.unwrap();
    assert_eq!(results.len() as u64, n);
    assert_eq!(summary.total, n);
    (results, s)
}

fn assert_exactly_once(results: &HashMap<u64, pushlab::client::TokenResult>, s: &Simulator) {
    let mut delivered: HashMap<String, u32> = HashMap::new();
    for d in s.inbox().deliveries() {
        *delivered.entry(d.token.to_hex()).or_default() += 1;
    }
    for r in results.values() {
        let count = delivered.get(&r.token.to_string()).copied().unwrap_or(0);
        match r.outcome {
            Outcome::Delivered => assert_eq!(count, 1, "token {} delivered {count} times", r.index),
            _ => assert_eq!(count, 0, "token {} not delivered but in the inbox", r.index),
        }
    }
}

fn quick_retries() -> BatchOptions {
    BatchOptions {
        retry: RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn batch_reports_dead_tokens_and_delivers_the_rest_once() {
    let (results, s) = batch_against(Faults::default(), 2000, quick_retries(), &[7, 1500]).await;
    let dead: Vec<u64> = results
        .values()
        .filter(|r| r.is_dead_token())
        .map(|r| r.index)
        .collect();
    assert_eq!(dead.len(), 2);
    assert!(dead.contains(&7) && dead.contains(&1500));
    assert_eq!(results[&7].reason.as_deref(), Some("Unregistered"));
    assert!(results[&7].timestamp.is_some());
    assert_eq!(results[&8].name.as_deref(), Some("phone 8"));
    assert_exactly_once(&results, &s);
    s.shutdown().await;
}

#[tokio::test]
async fn batch_survives_goaway_resets_bursts_and_a_stream_limit_of_one() {
    let scenarios = [
        (
            "goaway",
            Faults {
                goaway_after: Some(300),
                ..Default::default()
            },
        ),
        (
            "429 burst",
            Faults {
                error_burst: Some(ErrorBurst {
                    reason: Reason::TooManyRequests,
                    start: 100,
                    count: 200,
                }),
                ..Default::default()
            },
        ),
        (
            "503 burst",
            Faults {
                error_burst: Some(ErrorBurst {
                    reason: Reason::ServiceUnavailable,
                    start: 500,
                    count: 100,
                }),
                ..Default::default()
            },
        ),
        (
            "500 share",
            Faults {
                error_share: Some((Reason::InternalServerError, 0.1)),
                ..Default::default()
            },
        ),
        (
            "stream limit 1",
            Faults {
                refuse_streams_over: Some(1),
                ..Default::default()
            },
        ),
        (
            "shutdown",
            Faults {
                shutdown_after: Some(400),
                ..Default::default()
            },
        ),
    ];
    for (name, faults) in scenarios {
        let options = BatchOptions {
            retry: RetryPolicy {
                max_attempts: 30,
                ..quick_retries().retry
            },
            ..quick_retries()
        };
        let (results, s) = batch_against(faults, 1000, options, &[]).await;
        let not_delivered: Vec<_> = results
            .values()
            .filter(|r| r.outcome != Outcome::Delivered)
            .map(|r| (r.index, r.reason.clone(), r.error.clone()))
            .collect();
        assert!(not_delivered.is_empty(), "{name}: {not_delivered:?}");
        assert_exactly_once(&results, &s);
        assert_eq!(s.inbox().total(), 1000, "{name}");
        s.shutdown().await;
    }
}

/// A connection dropped mid-batch without GOAWAY: what was in flight has no answer. By
/// default it is unconfirmed and not sent again; with `resend_unconfirmed` (at-least-once)
/// everything arrives. The simulator's `drop_after` drops streams it never processed, so no
/// push arrives twice either way.
#[tokio::test]
async fn a_dropped_connection_leaves_unconfirmed_pushes_unless_resend_is_asked() {
    let faults = || Faults {
        drop_after: Some(250),
        ..Default::default()
    };
    let (results, s) = batch_against(faults(), 1000, quick_retries(), &[]).await;
    assert_exactly_once(&results, &s);
    let unconfirmed = results
        .values()
        .filter(|r| r.outcome == Outcome::Unconfirmed)
        .count();
    assert!(unconfirmed > 0);
    assert_eq!(
        unconfirmed as u64 + s.inbox().total(),
        1000,
        "every push delivered or unconfirmed"
    );
    s.shutdown().await;

    let options = BatchOptions {
        resend_unconfirmed: true,
        retry: RetryPolicy {
            max_attempts: 30,
            ..quick_retries().retry
        },
        ..quick_retries()
    };
    let (results, s) = batch_against(faults(), 1000, options, &[]).await;
    assert_exactly_once(&results, &s);
    assert_eq!(s.inbox().total(), 1000);
    s.shutdown().await;
}

/// The simulator mirrors the faults of the independent peer (tests/net/delivery_truth.rs): a
/// stream reset after the push was delivered, and a connection dropped after delivering.
/// Neither is ever sent twice; the inbox is the truth.
#[tokio::test]
async fn pushes_processed_without_an_answer_are_unconfirmed_never_duplicated() {
    for (name, faults) in [
        (
            "reset after processing",
            Faults {
                reset_processed_every: Some(50),
                ..Default::default()
            },
        ),
        (
            "drop after processing",
            Faults {
                drop_after_processing: Some(100),
                ..Default::default()
            },
        ),
    ] {
        let (results, s) = batch_against(faults, 1000, quick_retries(), &[]).await;
        let mut inbox: HashMap<String, u32> = HashMap::new();
        for d in s.inbox().deliveries() {
            *inbox.entry(d.token.to_hex()).or_default() += 1;
        }
        assert!(
            inbox.values().all(|n| *n == 1),
            "{name}: a push arrived twice"
        );
        for r in results.values() {
            match r.outcome {
                Outcome::Delivered => assert!(inbox.contains_key(&r.token.to_string()), "{name}"),
                Outcome::Unconfirmed => {}
                other => panic!("{name}: {other:?} {r:?}"),
            }
        }
        let unconfirmed = results
            .values()
            .filter(|r| r.outcome == Outcome::Unconfirmed)
            .count();
        if name == "reset after processing" {
            assert_eq!(unconfirmed, 20, "{name}");
            assert_eq!(inbox.len(), 1000, "{name}");
        } else {
            assert!(unconfirmed > 0, "{name}");
        }
        s.shutdown().await;
    }
}

#[tokio::test]
async fn cancel_stops_a_batch_with_a_result_for_every_token() {
    let (s, id) = sim(Environment::Sandbox, |c| {
        c.faults.latency = Duration::from_millis(20)
    })
    .await;
    let auth = ClientAuth::Certificate(cert(&id, CertEnvironment::Development));
    let items = (0..100_000u64).map(|i| BatchItem {
        notification: Notification::new(token(i), PushType::Alert, &b"{\"aps\":{}}"[..]),
        name: None,
        line: None,
    });
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let cancel = CancelFlag::default();
    let flag = cancel.clone();
    let collector = tokio::spawn(async move {
        let (mut results, mut cancelled) = (0u64, 0u64);
        while let Some(e) = rx.recv().await {
            if let BatchEvent::Result(r) = e {
                results += 1;
                cancelled += u64::from(r.outcome == Outcome::NotSent);
                if results == 50 {
                    flag.cancel();
                }
            }
        }
        (results, cancelled)
    });
    let options = BatchOptions {
        max_in_flight: 10,
        ..Default::default()
    };
    let summary = send_batch(
        &target(&s),
        &auth,
        items,
        Some(100_000),
        &options,
        tx,
        cancel,
    )
    .await;
    let (results, cancelled) = collector.await.unwrap();
    assert_eq!(results, 100_000);
    assert!(cancelled > 99_000, "{cancelled}");
    assert_eq!(summary.delivered + summary.not_sent, 100_000);
    assert_eq!(
        summary.stopped,
        Some(BatchStop::Cancelled),
        "it says why it stopped"
    );
    assert_eq!(s.inbox().total(), summary.delivered);
    s.shutdown().await;
}
