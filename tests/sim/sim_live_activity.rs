//! A Live Activity through the real client and the simulator: start, update, an older update
//! (APNs answers 200, the phone drops it), end; the simulator's activity after each step, and
//! each outcome in the inbox's JSON Lines log and in the request events.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use pushlab::apns::Environment;
use pushlab::apns::{DeviceToken, LiveActivityEvent, LiveActivityPush, Notification, PushType};
use pushlab::cert::CertEnvironment;
use pushlab::client::{ClientAuth, Connection, Target};
use pushlab::sim::{ActivityPhase, IgnoredWhy, SimConfig, SimIdentity, Simulator};
use serde_json::json;

use crate::support::h2client;

const BUNDLE: &str = "com.example.match";

#[tokio::test]
async fn start_update_older_update_end() {
    let identity = SimIdentity::ephemeral().unwrap();
    let mut config = SimConfig::new(Environment::Sandbox, identity.clone());
    let auth = ClientAuth::token(crate::support::trusted_key(&mut config));
    let sim = Simulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("deliveries.jsonl");
    sim.inbox().log_to(&log).unwrap();
    let mut events = sim.inbox().subscribe();
    let target = Target::simulator(sim.addr(), sim.ca_certificate().clone(), sim.environment());
    let conn = Connection::open(&target, &auth, Duration::from_secs(10))
        .await
        .unwrap();
    // The app's push-to-start token; the activity's update token is the phone's to make.
    let start_token = DeviceToken::parse(&"5a".repeat(32)).unwrap();
    let send_to = |token: &DeviceToken, push: LiveActivityPush| {
        let mut n = Notification::new(
            token.clone(),
            PushType::LiveActivity,
            push.to_json().to_string(),
        );
        n.topic = Some(format!("{BUNDLE}.push-type.liveactivity"));
        n.priority = Some(5);
        let conn = &conn;
        async move { conn.send(&n).await.unwrap().status }
    };

    let mut start = LiveActivityPush::new(LiveActivityEvent::Start, 1_764_460_800);
    start.attributes_type = "MatchAttributes".into();
    start.attributes.insert("home".into(), "Lions".into());
    start.content_state.insert("score".into(), json!("0–0"));
    start.alert_title = Some("Kick-off".into());
    assert_eq!(send_to(&start_token, start).await, 200);
    let started = events.recv().await.unwrap().live_activity.unwrap();
    assert_eq!(started.ignored, None);
    let id = started.activity;
    assert_ne!(id, start_token.to_hex());
    assert_eq!(
        sim.inbox().started_from(&start_token.to_hex()),
        Some(id.clone())
    );
    let update_token = DeviceToken::parse(&id).unwrap();
    let send = |push: LiveActivityPush| send_to(&update_token, push);
    let a = sim.inbox().activity(&id).unwrap();
    assert_eq!(a.start_token, Some(start_token.to_hex()));
    assert_eq!(a.phase(1_764_460_801), ActivityPhase::Active);
    assert_eq!(a.title(), "Kick-off");
    assert_eq!(a.attributes["home"], "Lions");
    assert_eq!(a.content_state["score"], "0–0");

    let mut update = LiveActivityPush::new(LiveActivityEvent::Update, 1_764_460_900);
    update.content_state.insert("score".into(), json!("1–0"));
    assert_eq!(send(update).await, 200);
    assert_eq!(
        events.recv().await.unwrap().live_activity.unwrap().ignored,
        None
    );
    let a = sim.inbox().activity(&id).unwrap();
    assert_eq!(a.content_state["score"], "1–0");
    assert_eq!(a.timestamp, 1_764_460_900);

    let mut older = LiveActivityPush::new(LiveActivityEvent::Update, 1_764_460_850);
    older.content_state.insert("score".into(), json!("0–1"));
    assert_eq!(
        send(older).await,
        200,
        "APNs accepts it; the phone drops it"
    );
    let outcome = events.recv().await.unwrap().live_activity.unwrap();
    assert_eq!(
        outcome.ignored,
        Some(IgnoredWhy::NotNewer {
            last: 1_764_460_900
        })
    );
    let a = sim.inbox().activity(&id).unwrap();
    assert_eq!(a.content_state["score"], "1–0", "unchanged");
    let ignored = a.last_ignored.unwrap();
    assert_eq!(ignored.timestamp, Some(1_764_460_850));
    assert!(
        ignored
            .why
            .to_string()
            .contains("older than the last update")
    );

    let mut end = LiveActivityPush::new(LiveActivityEvent::End, 1_764_461_000);
    end.content_state.insert("score".into(), json!("2–0"));
    end.dismissal_date = Some(1_764_462_000);
    assert_eq!(send(end).await, 200);
    assert_eq!(
        events.recv().await.unwrap().live_activity.unwrap().ignored,
        None
    );
    let a = sim.inbox().activity(&id).unwrap();
    assert_eq!(a.phase(1_764_461_500), ActivityPhase::Ended);
    assert_eq!(a.phase(1_764_462_000), ActivityPhase::Dismissed);
    assert_eq!(a.content_state["score"], "2–0");
    assert_eq!(sim.inbox().activities().len(), 1);

    // All four are in the inbox, the older update among them, flagged.
    let kept = sim.inbox().deliveries();
    assert_eq!(kept.len(), 4);
    assert!(kept[2].live_activity.as_ref().unwrap().ignored.is_some());
    sim.shutdown().await;
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["live_activity"]["event"], "start");
    assert_eq!(lines[0]["live_activity"]["activity"], id.as_str());
    assert_eq!(lines[0]["token"], start_token.to_hex().as_str());
    assert_eq!(lines[2]["live_activity"]["ignored"]["why"], "not_newer");
    assert!(lines[3]["live_activity"]["ignored"].is_null());
}

#[tokio::test]
async fn other_push_types_make_no_activity() {
    let identity = SimIdentity::ephemeral().unwrap();
    let sim = Simulator::start(SimConfig::new(Environment::Sandbox, identity.clone()))
        .await
        .unwrap();
    let credential = crate::support::push_cert(&identity.ca, BUNDLE, CertEnvironment::Development);
    let target = Target::simulator(sim.addr(), sim.ca_certificate().clone(), sim.environment());
    let conn = Connection::open(
        &target,
        &ClientAuth::Certificate(credential),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let mut n = Notification::new(
        DeviceToken::parse(&"5a".repeat(32)).unwrap(),
        PushType::Alert,
        r#"{"aps":{"alert":"hi","event":"start","timestamp":1}}"#,
    );
    n.topic = Some(BUNDLE.into());
    assert_eq!(conn.send(&n).await.unwrap().status, 200);
    assert!(sim.inbox().activities().is_empty());
    assert!(sim.inbox().deliveries()[0].live_activity.is_none());
    sim.shutdown().await;
}

/// Apple takes Live Activities only over a token-based connection (WWDC23 session 10185):
/// over a certificate the simulator refuses them as it does location pushes, before any
/// activity is made; the same start over a token is applied. Sent by the tests' own HTTP/2
/// client.
#[tokio::test]
async fn a_live_activity_over_a_certificate_is_refused() {
    let identity = SimIdentity::ephemeral().unwrap();
    let mut config = SimConfig::new(Environment::Sandbox, identity.clone());
    let key = crate::support::trusted_key(&mut config);
    let sim = Simulator::start(config).await.unwrap();
    let credential = crate::support::push_cert(&identity.ca, BUNDLE, CertEnvironment::Development);
    let topic = format!("{BUNDLE}.push-type.liveactivity");
    let headers = [
        ("apns-push-type", "liveactivity"),
        ("apns-topic", topic.as_str()),
        ("apns-priority", "10"),
    ];
    let start = r#"{"aps":{"event":"start","timestamp":1764460800,"attributes-type":"Match","attributes":{},"content-state":{"home":0},"alert":{"title":"Kick-off"}}}"#;
    let token = "5a".repeat(32);
    let mut by_cert = h2client::connect(sim.addr(), sim.ca_certificate(), Some(&credential))
        .await
        .unwrap();
    let refused = by_cert.post(&token, &headers, start).await;
    assert_eq!(
        (refused.status, refused.reason().as_deref()),
        (400, Some("TopicDisallowed"))
    );
    assert!(sim.inbox().activities().is_empty());
    // The certificate still pushes alerts for the same app.
    let alert = by_cert
        .post(
            &token,
            &[("apns-topic", BUNDLE)],
            r#"{"aps":{"alert":"hi"}}"#,
        )
        .await;
    assert_eq!(alert.status, 200, "{}", alert.body);

    let mut by_key = h2client::connect_with_key(sim.addr(), sim.ca_certificate(), &key)
        .await
        .unwrap();
    let applied = by_key.post(&token, &headers, start).await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    assert_eq!(sim.inbox().activities().len(), 1);
}
