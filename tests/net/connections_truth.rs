//! A batch over several connections, judged by a server pushlab did not write
//! (`support::h2peer`): the TLS client context is built once however many connections use
//! it, every connection asked for carries pushes, and a connection that hangs or is refused
//! holds up no other. Truth comes from the server's own record.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::time::Duration;

use pushlab::apns::{DeviceToken, Notification, PushType};
use pushlab::cert::CertEnvironment;
use pushlab::client::{
    BatchEvent, BatchItem, BatchOptions, BatchSummary, CancelFlag, ClientAuth, Outcome,
    RetryPolicy, TokenResult, send_batch, tls_context_builds,
};
use support::h2peer::{Misbehaviour, Peer};

const BUNDLE: &str = "com.example.doorbell";
const TOKENS: u64 = 16;

fn token(i: u64) -> DeviceToken {
    DeviceToken::parse(&format!("{:064x}", i + 1)).unwrap()
}

/// A credential of its own: the context cache is per process, and other tests run beside.
fn auth() -> ClientAuth {
    let ca = support::ca();
    ClientAuth::Certificate(support::push_cert(
        &ca,
        BUNDLE,
        CertEnvironment::Development,
    ))
}

fn options(connections: usize) -> BatchOptions {
    BatchOptions {
        connections,
        // Two in flight each: one connection cannot take the whole batch while the others
        // open, so a batch that did not open them all would wait on held answers forever.
        max_in_flight: 2,
        retry: RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(100),
        },
        // Far longer than the whole batch takes: a batch that waited for the hanging
        // connection would run into the test's own time limit first.
        connect_timeout: Duration::from_secs(30),
        request_timeout: Duration::from_secs(30),
        ..Default::default()
    }
}

struct Ran {
    results: Vec<TokenResult>,
    summary: BatchSummary,
    connect_failures: Vec<String>,
}

async fn run(peer: &Peer, auth: &ClientAuth, options: BatchOptions) -> Ran {
    let items = (0..TOKENS).map(|i| {
        let mut n = Notification::new(
            token(i),
            PushType::Alert,
            &br#"{"aps":{"alert":"Ding"}}"#[..],
        );
        n.topic = Some(BUNDLE.to_owned());
        BatchItem::new(n)
    });
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let collect = tokio::spawn(async move {
        let (mut results, mut failures) = (Vec::new(), Vec::new());
        while let Some(e) = rx.recv().await {
            match e {
                BatchEvent::Result(r) => results.push(r),
                BatchEvent::ConnectFailed(e) => failures.push(e),
                BatchEvent::Progress { .. } => {}
            }
        }
        (results, failures)
    });
    let summary = tokio::time::timeout(
        Duration::from_secs(20),
        send_batch(
            &peer.target(),
            auth,
            items,
            Some(TOKENS),
            &options,
            tx,
            CancelFlag::default(),
        ),
    )
    .await
    .expect("the batch finishes without waiting for a connection that hangs");
    let (mut results, connect_failures) = collect.await.unwrap();
    results.sort_by_key(|r| r.index);
    Ran {
        results,
        summary,
        connect_failures,
    }
}

/// Every token delivered, and processed exactly once by the server's own count.
fn assert_all_delivered_once(peer: &Peer, ran: &Ran) {
    let indexes: Vec<u64> = ran.results.iter().map(|r| r.index).collect();
    assert_eq!(
        indexes,
        (0..TOKENS).collect::<Vec<_>>(),
        "one result per token"
    );
    let processed = peer.processed();
    for r in &ran.results {
        assert_eq!(r.outcome, Outcome::Delivered, "{r:?}");
        assert_eq!(processed.get(&r.token.to_string()), Some(&1), "{r:?}");
    }
    assert_eq!(processed.len() as u64, TOKENS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_over_four_connections_builds_the_tls_context_once_and_uses_all_four() {
    let peer = Peer::start(Misbehaviour {
        hold_answers_until_connections: Some(4),
        ..Default::default()
    })
    .await;
    let auth = auth();
    assert_eq!(tls_context_builds(&peer.target(), &auth), 0);
    let ran = run(&peer, &auth, options(4)).await;
    assert_all_delivered_once(&peer, &ran);
    assert_eq!(
        tls_context_builds(&peer.target(), &auth),
        1,
        "four connections, one TLS context"
    );
    let record = peer.record.lock().unwrap();
    assert_eq!(record.connections, 4, "{record:?}");
    assert_eq!(record.per_connection.len(), 4, "{record:?}");
    assert!(record.per_connection.values().all(|&n| n > 0), "{record:?}");
    assert_eq!(ran.summary.connections_opened, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_hangs_and_one_refused_hold_up_no_other() {
    // Of the first four accepted, the second never answers the handshake and the third is
    // closed at once; answers wait until three connections are up, so the batch must retry
    // the refused one beside the hanging one rather than wait behind it.
    let peer = Peer::start(Misbehaviour {
        hang_connections: vec![2],
        close_connections: vec![3],
        hold_answers_until_connections: Some(3),
        ..Default::default()
    })
    .await;
    let auth = auth();
    let ran = run(&peer, &auth, options(4)).await;
    assert_all_delivered_once(&peer, &ran);
    assert_eq!(ran.connect_failures.len(), 1, "{:?}", ran.connect_failures);
    let record = peer.record.lock().unwrap();
    assert_eq!(record.connections, 3, "{record:?}");
    assert!(!record.per_connection.contains_key(&2), "{record:?}");
    assert!(!record.per_connection.contains_key(&3), "{record:?}");
    assert_eq!(ran.summary.connections_opened, 3);
    assert_eq!(tls_context_builds(&peer.target(), &auth), 1);
}

/// A batch with `--connections auto` (up to 8), `max_in_flight` pushes at once on each
/// connection, every push delivered once by the peer's own record.
async fn run_auto(peer: &Peer, max_in_flight: usize) -> Ran {
    let ran = run(
        peer,
        &auth(),
        BatchOptions {
            auto_connections: true,
            max_in_flight,
            ..options(8)
        },
    )
    .await;
    assert_all_delivered_once(peer, &ran);
    ran
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_connections_deliver_everything_once_starting_from_one() {
    let peer = Peer::start(Misbehaviour::default()).await;
    // Room for all sixteen on one connection: it is never full with pushes waiting, so
    // however long the batch takes (whatever windows pass), auto never adds one.
    let ran = run_auto(&peer, 100).await;
    assert_eq!(ran.summary.connections_opened, 1, "{:?}", ran.summary);
    assert_eq!(peer.record.lock().unwrap().accepted, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_adds_connections_when_each_is_full_and_answers_wait_on_the_round_trip() {
    // Every answer waits 25 ms (a round trip) and a connection carries two pushes at once:
    // one connection would take 200 ms for the sixteen, so at least one window (50 ms) passes
    // with it full, pushes waiting and answers not queueing, and auto adds a second.
    let peer = Peer::start(Misbehaviour {
        answer_delay: Some(Duration::from_millis(25)),
        ..Default::default()
    })
    .await;
    let ran = run_auto(&peer, 2).await;
    let opened = ran.summary.connections_opened;
    assert!((2..=8).contains(&opened), "{:?}", ran.summary);
    // By the peer's own record, the pushes went over more than one connection. (One added at
    // the very end may still be opening when the batch is done: the peer may have accepted
    // more than the batch counts as opened, and such a connection carries none.)
    let record = peer.record.lock().unwrap();
    assert!(record.per_connection.len() >= 2, "{record:?}");
    assert!(record.accepted >= opened, "{record:?}");
}

/// `auto`'s added connections are opened beside the pushes, as fixed ones are: one that never
/// finishes its handshake, or one the server closes at once, holds up nothing. Answers wait
/// 25 ms and a connection carries two pushes, so auto adds one (the second accepted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_connection_that_hangs_or_is_closed_holds_up_nothing() {
    for (hang, close) in [(vec![2], vec![]), (vec![], vec![2])] {
        let peer = Peer::start(Misbehaviour {
            answer_delay: Some(Duration::from_millis(25)),
            hang_connections: hang.clone(),
            close_connections: close.clone(),
            ..Default::default()
        })
        .await;
        // The batch's connect timeout is 30 s and `run` allows 20: a batch that waited for
        // the hanging connection would not finish.
        let ran = run_auto(&peer, 2).await;
        let record = peer.record.lock().unwrap();
        assert!(record.accepted >= 2, "auto tried to add one: {record:?}");
        assert!(
            !record.per_connection.contains_key(&2),
            "the second connection carried nothing: {record:?}"
        );
        if !close.is_empty() {
            assert!(!ran.connect_failures.is_empty(), "{:?}", ran.summary);
        }
    }
}
