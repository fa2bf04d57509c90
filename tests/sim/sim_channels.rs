//! The simulator's channel API and broadcasts as Apple's pages describe them, driven by the
//! tests' own HTTP/2 client (`support::h2client`, not pushlab's): each answer is checked for
//! its status and reason, and a broadcast's reach is read from the simulator's inbox.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::sync::Arc;

use pushlab::apns::DeviceToken;
use pushlab::apns::Environment;
use pushlab::cert::{CertEnvironment, Credential, PushCertificateSpec};
use pushlab::sim::{DeviceRegistry, SimConfig, SimIdentity, Simulator};
use support::h2client::{self, Answer};

const BUNDLE: &str = "com.example.scores";
const OTHER: &str = "com.example.other";
/// Named under both apps in the tokens file.
const SHARED: &str = "c2hhcmVkLWlk";
const UPDATE: &str =
    r#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"home":1}}}"#;

fn tok(byte: &str) -> String {
    byte.repeat(32)
}

struct Lab {
    sim: Simulator,
    identity: SimIdentity,
    key: pushlab::cert::AuthKey,
}

impl Lab {
    async fn start(tokens: &str) -> Lab {
        let identity = SimIdentity::ephemeral().unwrap();
        let mut config = SimConfig::new(Environment::Sandbox, identity.clone());
        config.registry = Arc::new(DeviceRegistry::parse(tokens).unwrap());
        let key = support::trusted_key(&mut config);
        let sim = Simulator::start(config).await.unwrap();
        Lab { sim, identity, key }
    }

    /// A token-based connection, as Live Activity pushes need.
    async fn keyed_client(&self) -> h2client::Client {
        h2client::connect_with_key(self.sim.addr(), self.sim.ca_certificate(), &self.key)
            .await
            .unwrap()
    }

    fn cert(&self, bundle: &str) -> Credential {
        self.identity
            .ca
            .issue_push_certificate(&PushCertificateSpec::new(
                bundle,
                CertEnvironment::Development,
            ))
            .unwrap()
    }

    async fn client(&self, bundle: &str) -> h2client::Client {
        let cred = self.cert(bundle);
        h2client::connect(self.sim.addr(), self.sim.ca_certificate(), Some(&cred))
            .await
            .unwrap()
    }
}

fn reason(a: &Answer) -> (u16, Option<String>) {
    (a.status, a.reason())
}

fn refused(status: u16, reason: &str) -> (u16, Option<String>) {
    (status, Some(reason.to_owned()))
}

async fn create(c: &mut h2client::Client, bundle: &str, body: &str) -> Answer {
    c.request(
        "POST",
        &format!("/1/apps/{bundle}/channels"),
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
    .await
    .unwrap()
}

async fn new_channel(c: &mut h2client::Client, policy: u8) -> String {
    let body = format!(r#"{{"message-storage-policy":{policy},"push-type":"LiveActivity"}}"#);
    let a = create(c, BUNDLE, &body).await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.headers["apns-channel-id"].to_str().unwrap().to_owned()
}

async fn broadcast(
    c: &mut h2client::Client,
    channel: &str,
    extra: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut headers = vec![
        ("apns-channel-id", channel),
        ("apns-push-type", "liveactivity"),
    ];
    headers.extend_from_slice(extra);
    c.request(
        "POST",
        &format!("/4/broadcasts/apps/{BUNDLE}"),
        &headers,
        body.as_bytes(),
    )
    .await
    .unwrap()
}

const BOTH: &[(&str, &str)] = &[("apns-priority", "5"), ("apns-expiration", "0")];

#[tokio::test]
async fn a_broadcast_needs_priority_expiration_and_a_well_formed_apns_id() {
    let lab = Lab::start("").await;
    let mut c = lab.client(BUNDLE).await;
    let id = new_channel(&mut c, 1).await;
    let no_expiration = broadcast(&mut c, &id, &[("apns-priority", "5")], UPDATE).await;
    assert_eq!(reason(&no_expiration), refused(400, "BadExpirationDate"));
    let no_priority = broadcast(&mut c, &id, &[("apns-expiration", "0")], UPDATE).await;
    assert_eq!(reason(&no_priority), refused(400, "BadPriority"));
    let bad_id = [
        ("apns-priority", "5"),
        ("apns-expiration", "0"),
        ("apns-id", "not-a-uuid"),
    ];
    assert_eq!(
        reason(&broadcast(&mut c, &id, &bad_id, UPDATE).await),
        refused(400, "BadMessageId")
    );
    assert!(lab.sim.inbox().deliveries().is_empty());
    // With both, and a canonical apns-id, which comes back.
    let uuid = "123e4567-e89b-12d3-a456-4266554400a0";
    let ok = [
        ("apns-priority", "5"),
        ("apns-expiration", "0"),
        ("apns-id", uuid),
    ];
    let a = broadcast(&mut c, &id, &ok, UPDATE).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.headers["apns-id"], uuid);
}

#[tokio::test]
async fn a_no_storage_channel_takes_only_expiration_zero() {
    let lab = Lab::start("").await;
    let mut c = lab.client(BUNDLE).await;
    let later = (support::now() + 3600).to_string();
    let none = new_channel(&mut c, 0).await;
    let stored = [("apns-priority", "5"), ("apns-expiration", later.as_str())];
    assert_eq!(
        reason(&broadcast(&mut c, &none, &stored, UPDATE).await),
        refused(400, "BadExpirationDate")
    );
    assert_eq!(broadcast(&mut c, &none, BOTH, UPDATE).await.status, 200);
    // A Most Recent Message Stored channel takes a time.
    let recent = new_channel(&mut c, 1).await;
    assert_eq!(
        broadcast(&mut c, &recent, &stored, UPDATE).await.status,
        200
    );
}

/// A Live Activity update of exactly `n` bytes.
fn update_of(n: usize) -> String {
    let head = r#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"pad":""#;
    let tail = r#""}}}"#;
    let text = format!("{head}{}{tail}", "x".repeat(n - head.len() - tail.len()));
    assert_eq!(text.len(), n);
    text
}

#[tokio::test]
async fn a_broadcast_may_carry_5120_bytes() {
    let lab = Lab::start("").await;
    let mut c = lab.client(BUNDLE).await;
    let id = new_channel(&mut c, 0).await;
    let a = broadcast(&mut c, &id, BOTH, &update_of(5120)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = broadcast(&mut c, &id, BOTH, &update_of(5121)).await;
    assert_eq!(reason(&a), refused(413, "PayloadTooLarge"));
}

#[tokio::test]
async fn create_bodies_are_judged_as_apple_documents() {
    let lab = Lab::start("").await;
    let mut c = lab.client(BUNDLE).await;
    for (body, want) in [
        (
            r#"{"message-storage-policy":1,"push-type":"LiveActivity","ttl":60}"#,
            "BadRequestParams",
        ),
        (r#"{"push-type":"LiveActivity"}"#, "BadRequestParams"),
        (r#"{"message-storage-policy":1}"#, "MissingPushType"),
        (
            r#"{"message-storage-policy":1,"push-type":"alert"}"#,
            "InvalidPushType",
        ),
        ("message-storage-policy=1", "BadRequestPayload"),
    ] {
        assert_eq!(
            reason(&create(&mut c, BUNDLE, body).await),
            refused(400, want),
            "{body}"
        );
    }
    assert!(lab.sim.channels().all().is_empty(), "nothing was created");
    // Apple's three spellings of the push type are one.
    for spelling in ["LiveActivity", "Liveactivity", "liveactivity"] {
        let body = format!(r#"{{"message-storage-policy":0,"push-type":"{spelling}"}}"#);
        assert_eq!(
            create(&mut c, BUNDLE, &body).await.status,
            201,
            "{spelling}"
        );
    }
}

#[tokio::test]
async fn the_app_in_the_path_is_plain_and_the_certificates_own() {
    let lab = Lab::start("").await;
    let mut c = lab.client(BUNDLE).await;
    let list = |bundle: &str| format!("/1/apps/{bundle}/all-channels");
    let suffixed = list(&format!("{BUNDLE}.push-type.liveactivity"));
    let a = c.request("GET", &suffixed, &[], b"").await.unwrap();
    assert_eq!(reason(&a), refused(400, "TopicDisallowed"));
    let a = c.request("GET", &list(OTHER), &[], b"").await.unwrap();
    assert_eq!(reason(&a), refused(403, "TopicMismatch"));
    let a = c.request("GET", &list(BUNDLE), &[], b"").await.unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn one_channel_id_under_two_apps_serves_both_whatever_the_order() {
    for first in [BUNDLE, OTHER] {
        let second = if first == BUNDLE { OTHER } else { BUNDLE };
        let tokens = format!(
            "{} {first} channel:{SHARED}\n{} {second} channel:{SHARED}\n",
            tok("01"),
            tok("02")
        );
        let lab = Lab::start(&tokens).await;
        for (bundle, device) in [(first, tok("01")), (second, tok("02"))] {
            let mut c = lab.client(bundle).await;
            let a = c
                .request(
                    "POST",
                    &format!("/4/broadcasts/apps/{bundle}"),
                    &[
                        ("apns-channel-id", SHARED),
                        ("apns-push-type", "liveactivity"),
                        ("apns-priority", "5"),
                        ("apns-expiration", "0"),
                    ],
                    UPDATE.as_bytes(),
                )
                .await
                .unwrap();
            assert_eq!(a.status, 200, "{bundle} first={first}: {}", a.body);
            let last = lab.sim.inbox().deliveries().last().cloned().unwrap();
            assert_eq!(last.token, DeviceToken::parse(&device).unwrap());
        }
        assert_eq!(lab.sim.inbox().deliveries().len(), 2);
    }
}

#[tokio::test]
async fn a_start_on_a_channel_is_accepted_and_ignored_by_every_phone() {
    let tokens = format!("{} {BUNDLE} channel:{SHARED}\n", tok("01"));
    let lab = Lab::start(&tokens).await;
    let mut c = lab.client(BUNDLE).await;
    let start = r#"{"aps":{"event":"start","timestamp":1764460800,"content-state":{},"attributes-type":"Score","attributes":{},"alert":{"title":"Kick-off"}}}"#;
    // Apple's pages name no reason for it: APNs takes it, and no phone starts anything.
    assert_eq!(broadcast(&mut c, SHARED, BOTH, start).await.status, 200);
    let delivered = lab.sim.inbox().deliveries();
    assert_eq!(delivered.len(), 1);
    let outcome = delivered[0].live_activity.as_ref().unwrap();
    assert_eq!(
        outcome.ignored,
        Some(pushlab::sim::IgnoredWhy::StartOnChannel)
    );
    assert!(
        lab.sim.inbox().activities().is_empty(),
        "no activity started"
    );
}

async fn read(c: &mut h2client::Client, headers: &[(&str, &str)]) -> Answer {
    let path = format!("/1/apps/{BUNDLE}/channels");
    c.request("GET", &path, headers, b"").await.unwrap()
}

#[tokio::test]
async fn every_other_channel_answer_in_apples_table() {
    let lab = Lab::start("").await;
    lab.sim.channels().set_limit(1);
    let mut c = lab.client(BUNDLE).await;
    let id = new_channel(&mut c, 0).await;
    assert_eq!(
        reason(&read(&mut c, &[]).await),
        refused(400, "MissingChannelId")
    );
    let named = |id| [("apns-channel-id", id)];
    assert_eq!(
        reason(&read(&mut c, &named("not base64!")).await),
        refused(400, "BadChannelId")
    );
    assert_eq!(
        reason(&read(&mut c, &named("bm8tc3VjaA==")).await),
        refused(400, "ChannelNotRegistered")
    );
    let found = read(&mut c, &named(&id)).await;
    assert_eq!(found.status, 200, "{}", found.body);
    let body = r#"{"message-storage-policy":0,"push-type":"LiveActivity"}"#;
    assert_eq!(
        reason(&create(&mut c, BUNDLE, body).await),
        refused(400, "CannotCreateChannelConfig")
    );
    let channels = format!("/1/apps/{BUNDLE}/channels");
    let put = c.request("PUT", &channels, &[], b"").await.unwrap();
    assert_eq!(reason(&put), refused(405, "MethodNotAllowed"));
    let wrong = format!("/1/apps/{BUNDLE}/channel");
    let a = c.request("GET", &wrong, &[], b"").await.unwrap();
    assert_eq!(reason(&a), refused(404, "BadPath"));
    lab.sim.channels().set_enabled(false);
    let all = format!("/1/apps/{BUNDLE}/all-channels");
    let a = c.request("GET", &all, &[], b"").await.unwrap();
    assert_eq!(reason(&a), refused(400, "FeatureNotEnabled"));
}

/// iOS 18: a Live Activity started by a push that names a channel (`input-push-channel`)
/// follows it, so a broadcast on that channel updates it. A start naming a channel the app
/// does not have subscribes nothing.
#[tokio::test]
async fn a_start_naming_a_channel_is_updated_by_its_broadcasts() {
    let lab = Lab::start("").await;
    let mut c = lab.keyed_client().await;
    let channel = new_channel(&mut c, 0).await;
    let start = format!(
        r#"{{"aps":{{"event":"start","timestamp":1764460700,"attributes-type":"Match","attributes":{{}},"content-state":{{"home":0}},"alert":{{"title":"Kick-off"}},"input-push-channel":"{channel}"}}}}"#
    );
    let topic = format!("{BUNDLE}.push-type.liveactivity");
    let headers = [
        ("apns-push-type", "liveactivity"),
        ("apns-topic", topic.as_str()),
        ("apns-priority", "10"),
    ];
    let a = c.post(&tok("ab"), &headers, &start).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let elsewhere = start.replace(&channel, "bm90LXRoaXMtYXBwcw==");
    let a = c.post(&tok("cd"), &headers, &elsewhere).await;
    assert_eq!(a.status, 200, "{}", a.body);

    let a = broadcast(&mut c, &channel, BOTH, UPDATE).await;
    assert_eq!(a.status, 200, "{}", a.body);
    // The activities are known by the update tokens their phones made.
    let inbox = lab.sim.inbox();
    let followed = inbox
        .activity(&inbox.started_from(&tok("ab")).unwrap())
        .unwrap();
    assert_eq!(followed.content_state["home"], 1, "{followed:?}");
    assert_eq!(followed.channel.as_deref(), Some(channel.as_str()));
    let other = inbox
        .activity(&inbox.started_from(&tok("cd")).unwrap())
        .unwrap();
    assert_eq!(other.content_state["home"], 0, "not subscribed: {other:?}");
}

/// A token subscribed in the simulator's registry stands for the app's activity following the
/// channel: when it is a push-to-start token, the broadcast updates the activity it started
/// (known by its own update token), and makes no activity of the push-to-start token.
#[tokio::test]
async fn a_broadcast_to_a_subscribed_push_to_start_token_updates_the_activity_it_started() {
    let lab = Lab::start("").await;
    let mut c = lab.keyed_client().await;
    let channel = new_channel(&mut c, 0).await;
    let start = r#"{"aps":{"event":"start","timestamp":1764460700,"attributes-type":"Match","attributes":{},"content-state":{"home":0},"alert":{"title":"Kick-off"}}}"#;
    let topic = format!("{BUNDLE}.push-type.liveactivity");
    let headers = [
        ("apns-push-type", "liveactivity"),
        ("apns-topic", topic.as_str()),
        ("apns-priority", "10"),
    ];
    let a = c.post(&tok("ef"), &headers, start).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let push_to_start = pushlab::apns::DeviceToken::parse(&tok("ef")).unwrap();
    lab.sim.registry().set_subscribed(
        &push_to_start,
        &pushlab::apns::ChannelId::parse(&channel).unwrap(),
        true,
    );

    let a = broadcast(&mut c, &channel, BOTH, UPDATE).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let inbox = lab.sim.inbox();
    let update_token = inbox.started_from(&tok("ef")).unwrap();
    let activity = inbox.activity(&update_token).unwrap();
    assert_eq!(activity.content_state["home"], 1, "{activity:?}");
    assert_eq!(
        inbox.activities().len(),
        1,
        "none made at the push-to-start token"
    );
}
