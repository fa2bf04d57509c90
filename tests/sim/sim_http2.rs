//! The simulator answers like APNs: real HTTP/2 over loopback TLS, certificates and keys made by
//! the tests, one check per reason string the simulator can produce.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use crate::support;
use std::sync::Arc;
use std::time::Duration;

use pushlab::apns::Environment;
use pushlab::apns::{DeviceToken, Reason, jwt};
use pushlab::cert::{AuthKey, CertEnvironment, Credential, PushCertificateSpec};
use pushlab::sim::{
    DeviceEntry, DeviceRegistry, EnvKeyReason, ErrorBurst, RegisteredKey, SimConfig, SimIdentity,
    Simulator, TokenState,
};
use support::h2client::{self, Answer};

const BUNDLE: &str = "com.example.doorbell";
const ALERT: &str = r#"{"aps":{"alert":{"title":"Doorbell","body":"Someone is at the door"},"badge":1,"sound":"default"}}"#;

fn tok(byte: &str) -> String {
    byte.repeat(32)
}

struct Lab {
    sim: Simulator,
    identity: SimIdentity,
}

impl Lab {
    async fn start(env: Environment, tweak: impl FnOnce(&mut SimConfig)) -> Lab {
        let identity = SimIdentity::ephemeral().unwrap();
        let mut config = SimConfig::new(env, identity.clone());
        let registry = DeviceRegistry::new();
        registry.insert(
            &DeviceToken::parse(&tok("01")).unwrap(),
            DeviceEntry {
                state: TokenState::Unregistered {
                    since_ms: 1_700_000_000_123,
                },
                ..DeviceEntry::active()
            },
        );
        registry.insert(
            &DeviceToken::parse(&tok("02")).unwrap(),
            DeviceEntry {
                state: TokenState::Expired,
                ..DeviceEntry::active()
            },
        );
        registry.insert(
            &DeviceToken::parse(&tok("03")).unwrap(),
            DeviceEntry {
                topic: Some("com.other.app".into()),
                ..DeviceEntry::active()
            },
        );
        registry.insert(
            &DeviceToken::parse(&tok("04")).unwrap(),
            DeviceEntry {
                environment: Some(Environment::Production),
                ..DeviceEntry::active()
            },
        );
        registry.insert(
            &DeviceToken::parse(&tok("05")).unwrap(),
            DeviceEntry {
                environment: Some(Environment::Sandbox),
                ..DeviceEntry::active()
            },
        );
        config.registry = Arc::new(registry);
        tweak(&mut config);
        let sim = Simulator::start(config).await.unwrap();
        Lab { sim, identity }
    }

    fn cert(&self, env: CertEnvironment) -> Credential {
        self.identity
            .ca
            .issue_push_certificate(&PushCertificateSpec::new(BUNDLE, env))
            .unwrap()
    }

    async fn client(&self, cred: Option<&Credential>) -> h2client::Client {
        h2client::connect(self.sim.addr(), self.sim.ca_certificate(), cred)
            .await
            .unwrap()
    }
}

fn assert_reason(a: &Answer, status: u16, reason: &str) {
    assert_eq!(
        (a.status, a.reason().as_deref()),
        (status, Some(reason)),
        "body: {}",
        a.body
    );
    assert_eq!(a.headers["content-type"], "application/json");
    assert!(pushlab::apns::is_canonical_uuid(
        a.headers["apns-id"].to_str().unwrap()
    ));
}

#[tokio::test]
async fn certificate_push_is_delivered_to_the_inbox() {
    let lab = Lab::start(Environment::Sandbox, |_| {}).await;
    let cred = lab.cert(CertEnvironment::Development);
    let mut c = lab.client(Some(&cred)).await;
    let id = "123e4567-e89b-12d3-a456-4266554400a0";
    let a = c
        .post(
            &tok("aa"),
            &[("apns-push-type", "alert"), ("apns-id", id)],
            ALERT,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.headers["apns-id"], id);
    assert!(
        a.headers.contains_key("apns-unique-id"),
        "sandbox adds apns-unique-id"
    );
    assert!(a.body.is_empty());
    let inbox = lab.sim.inbox().deliveries();
    assert_eq!(inbox.len(), 1);
    let d = &inbox[0];
    assert_eq!(
        (
            d.token.to_hex().as_str(),
            d.topic.as_str(),
            d.apns_id.as_str()
        ),
        (tok("aa").as_str(), BUNDLE, id)
    );
    let banner = d.banner();
    assert_eq!(banner.title.as_deref(), Some("Doorbell"));
    assert_eq!(banner.badge, Some(1));
    assert!(!banner.silent);

    // Without apns-id the simulator makes one.
    let a = c
        .post(&tok("aa"), &[], r#"{"aps":{"content-available":1}}"#)
        .await;
    assert_eq!(a.status, 200);
    let generated = a.headers["apns-id"].to_str().unwrap();
    assert!(pushlab::apns::is_canonical_uuid(generated));
    assert!(lab.sim.inbox().newest_first()[0].banner().silent);
    lab.sim.shutdown().await;
}

#[tokio::test]
async fn production_simulator_and_environments() {
    let lab = Lab::start(Environment::Production, |_| {}).await;
    let dev = lab.cert(CertEnvironment::Development);
    let a = lab
        .client(Some(&dev))
        .await
        .post(&tok("aa"), &[], ALERT)
        .await;
    assert_reason(&a, 403, "BadCertificateEnvironment");

    let uni = lab.cert(CertEnvironment::Universal);
    let mut c = lab.client(Some(&uni)).await;
    let a = c.post(&tok("aa"), &[("apns-topic", BUNDLE)], ALERT).await;
    assert_eq!(a.status, 200);
    assert!(
        !a.headers.contains_key("apns-unique-id"),
        "only sandbox sends apns-unique-id"
    );
    // A universal (multi-topic) certificate must name its topic.
    assert_reason(&c.post(&tok("aa"), &[], ALERT).await, 400, "MissingTopic");
    // A sandbox token sent to production is a bad token; a production one is fine.
    assert_reason(
        &c.post(&tok("05"), &[("apns-topic", BUNDLE)], ALERT).await,
        400,
        "BadDeviceToken",
    );
    assert_eq!(
        c.post(&tok("04"), &[("apns-topic", BUNDLE)], ALERT)
            .await
            .status,
        200
    );
    lab.sim.shutdown().await;
}

/// Every request-level reason the simulator produces on a certificate connection.
#[tokio::test]
async fn every_request_reason_over_the_wire() {
    let lab = Lab::start(Environment::Sandbox, |_| {}).await;
    let cred = lab.cert(CertEnvironment::Development);
    let mut c = lab.client(Some(&cred)).await;
    let t = tok("aa");
    let path = format!("/3/device/{t}");
    let cases: Vec<(u16, &str, Answer)> = vec![
        (
            405,
            "MethodNotAllowed",
            c.request("GET", &path, &[], b"").await.unwrap(),
        ),
        (
            404,
            "BadPath",
            c.request("POST", "/3/devices/abc", &[], ALERT.as_bytes())
                .await
                .unwrap(),
        ),
        (
            400,
            "MissingDeviceToken",
            c.request("POST", "/3/device/", &[], ALERT.as_bytes())
                .await
                .unwrap(),
        ),
        (
            400,
            "DuplicateHeaders",
            c.post(
                &t,
                &[("apns-priority", "10"), ("apns-priority", "5")],
                ALERT,
            )
            .await,
        ),
        (
            400,
            "BadMessageId",
            c.post(&t, &[("apns-id", "not-a-uuid")], ALERT).await,
        ),
        (
            400,
            "InvalidPushType",
            c.post(&t, &[("apns-push-type", "fax")], ALERT).await,
        ),
        (
            400,
            "BadPriority",
            c.post(&t, &[("apns-priority", "11")], ALERT).await,
        ),
        (
            400,
            "BadPriority",
            c.post(
                &t,
                &[("apns-push-type", "background"), ("apns-priority", "10")],
                ALERT,
            )
            .await,
        ),
        (
            400,
            "BadExpirationDate",
            c.post(&t, &[("apns-expiration", "tomorrow")], ALERT).await,
        ),
        (
            400,
            "BadCollapseId",
            c.post(&t, &[("apns-collapse-id", &"x".repeat(65))], ALERT)
                .await,
        ),
        (
            400,
            "BadTopic",
            c.post(&t, &[("apns-topic", "com.someone.else")], ALERT)
                .await,
        ),
        (
            400,
            "BadTopic",
            c.post(
                &t,
                &[("apns-push-type", "voip"), ("apns-topic", BUNDLE)],
                ALERT,
            )
            .await,
        ),
        (
            400,
            "TopicDisallowed",
            c.post(
                &t,
                &[
                    ("apns-push-type", "location"),
                    ("apns-topic", &format!("{BUNDLE}.location-query")),
                ],
                ALERT,
            )
            .await,
        ),
        (400, "BadDeviceToken", c.post("abcd", &[], ALERT).await),
        (400, "BadDeviceToken", c.post(&tok("zz"), &[], ALERT).await),
        (
            400,
            "DeviceTokenNotForTopic",
            c.post(&tok("03"), &[], ALERT).await,
        ),
        (410, "ExpiredToken", c.post(&tok("02"), &[], ALERT).await),
        (400, "PayloadEmpty", c.post(&t, &[], "").await),
        (
            413,
            "PayloadTooLarge",
            c.post(
                &t,
                &[],
                &format!("{{\"aps\":{{\"alert\":\"{}\"}}}}", "x".repeat(4100)),
            )
            .await,
        ),
        (
            400,
            pushlab::sim::validate::INVALID_JSON_REASON,
            c.post(&t, &[], "{not json").await,
        ),
    ];
    for (status, reason, answer) in &cases {
        assert_reason(answer, *status, reason);
    }
    let gone = c.post(&tok("01"), &[], ALERT).await;
    assert_reason(&gone, 410, "Unregistered");
    let body: serde_json::Value = serde_json::from_str(&gone.body).unwrap();
    assert_eq!(
        body["timestamp"], 1_700_000_000_123i64,
        "410 carries the time in ms"
    );

    // VoIP gets 5120 bytes, with its topic suffix.
    let big = format!("{{\"aps\":{{}},\"x\":\"{}\"}}", "y".repeat(5000));
    let voip = c
        .post(
            &t,
            &[
                ("apns-push-type", "voip"),
                ("apns-topic", &format!("{BUNDLE}.voip")),
            ],
            &big,
        )
        .await;
    assert_eq!(voip.status, 200, "{}", voip.body);
    // A variable-length token (not 32 bytes) is fine.
    assert_eq!(c.post(&"ab".repeat(48), &[], ALERT).await.status, 200);
    assert_eq!(
        lab.sim.inbox().total(),
        2,
        "nothing rejected reached the inbox"
    );
    lab.sim.shutdown().await;
}

#[tokio::test]
async fn a_certificate_that_is_not_for_push_is_refused() {
    let lab = Lab::start(Environment::Sandbox, |_| {}).await;
    // A client certificate without Apple's push extensions.
    let plain = lab.cert(CertEnvironment::None);
    let a = lab
        .client(Some(&plain))
        .await
        .post(&tok("aa"), &[], ALERT)
        .await;
    assert_reason(&a, 403, "BadCertificate");
    // A certificate from a CA the simulator does not trust fails the TLS handshake.
    let stranger = pushlab::cert::CertificateAuthority::generate("Stranger").unwrap();
    let foreign = stranger
        .issue_push_certificate(&PushCertificateSpec::new(
            BUNDLE,
            CertEnvironment::Development,
        ))
        .unwrap();
    let outcome =
        match h2client::connect(lab.sim.addr(), lab.sim.ca_certificate(), Some(&foreign)).await {
            Err(e) => Err(e),
            Ok(mut c) => c
                .request(
                    "POST",
                    &format!("/3/device/{}", tok("aa")),
                    &[],
                    ALERT.as_bytes(),
                )
                .await
                .map(|a| a.status),
        };
    assert!(
        outcome.is_err(),
        "an untrusted client certificate must not get through: {outcome:?}"
    );
    lab.sim.shutdown().await;
}

fn auth_key(kid: &str) -> AuthKey {
    AuthKey {
        key: support::ec_key(),
        key_id: kid.into(),
        team_id: "TEAM123456".into(),
    }
}

#[tokio::test]
async fn token_authentication_rules() {
    let k1 = auth_key("KEY1111111");
    let k2 = auth_key("KEY2222222");
    let prod_only = auth_key("KEY3333333");
    let lab = Lab::start(Environment::Sandbox, |c| {
        c.auth_keys = vec![
            RegisteredKey::from_auth_key(&k1).unwrap(),
            RegisteredKey::from_auth_key(&k2).unwrap(),
            RegisteredKey {
                environment: Some(Environment::Production),
                ..RegisteredKey::from_auth_key(&prod_only).unwrap()
            },
        ];
        c.env_key_reason = EnvKeyReason::Wire;
    })
    .await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let bearer = |t: String| format!("bearer {t}");
    let topic = [("apns-topic", BUNDLE)];
    fn with(auth: &str) -> Vec<(&str, &str)> {
        vec![("apns-topic", BUNDLE), ("authorization", auth)]
    }

    let mut c = lab.client(None).await;
    assert_reason(
        &c.post(&tok("aa"), &topic, ALERT).await,
        403,
        "MissingProviderToken",
    );
    assert_reason(
        &c.post(&tok("aa"), &with("bearer nonsense"), ALERT).await,
        403,
        "InvalidProviderToken",
    );
    assert_reason(
        &c.post(
            &tok("aa"),
            &with(&bearer(jwt::sign(&k1, now - 4000).unwrap())),
            ALERT,
        )
        .await,
        403,
        "ExpiredProviderToken",
    );
    let stranger = auth_key("KEY9999999");
    assert_reason(
        &c.post(
            &tok("aa"),
            &with(&bearer(jwt::sign(&stranger, now).unwrap())),
            ALERT,
        )
        .await,
        403,
        "InvalidProviderToken",
    );
    let good = bearer(jwt::sign(&k1, now).unwrap());
    let a = c.post(&tok("aa"), &with(&good), ALERT).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        lab.sim.inbox().deliveries()[0]
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .1,
        "bearer <redacted>"
    );
    assert_eq!(
        c.post(&tok("aa"), &with(&good), ALERT).await.status,
        200,
        "the same token is reused"
    );
    assert_reason(
        &c.post(&tok("aa"), &[("authorization", &good)], ALERT).await,
        400,
        "MissingTopic",
    );
    let newer = bearer(jwt::sign_der(&k1, now + 1).unwrap());
    assert_reason(
        &c.post(&tok("aa"), &with(&newer), ALERT).await,
        429,
        "TooManyProviderTokenUpdates",
    );
    assert_reason(
        &c.post(
            &tok("aa"),
            &with(&bearer(jwt::sign(&k2, now).unwrap())),
            ALERT,
        )
        .await,
        403,
        "UnrelatedKeyIdInToken",
    );

    // A DER-signed token works on a fresh connection; a production-only key does not here.
    let mut fresh = lab.client(None).await;
    assert_eq!(
        fresh
            .post(
                &tok("aa"),
                &with(&bearer(jwt::sign_der(&k2, now).unwrap())),
                ALERT
            )
            .await
            .status,
        200
    );
    let mut other = lab.client(None).await;
    assert_reason(
        &other
            .post(
                &tok("aa"),
                &with(&bearer(jwt::sign(&prod_only, now).unwrap())),
                ALERT,
            )
            .await,
        403,
        "BadEnvironmentKeyInToken",
    );
    // Token auth may send location pushes.
    let loc = [
        ("apns-topic", &*format!("{BUNDLE}.location-query")),
        ("apns-push-type", "location"),
        ("authorization", &*good),
    ];
    let mut c3 = lab.client(None).await;
    assert_eq!(c3.post(&tok("aa"), &loc, r#"{"aps":{}}"#).await.status, 200);
    lab.sim.shutdown().await;
}

#[tokio::test]
async fn injected_faults_answer_like_a_busy_apns() {
    let lab = Lab::start(Environment::Sandbox, |c| {
        c.faults.error_burst = Some(ErrorBurst {
            reason: Reason::TooManyRequests,
            start: 0,
            count: 1,
        });
    })
    .await;
    let cred = lab.cert(CertEnvironment::Development);
    let mut c = lab.client(Some(&cred)).await;
    assert_reason(
        &c.post(&tok("aa"), &[], ALERT).await,
        429,
        "TooManyRequests",
    );
    assert_eq!(c.post(&tok("aa"), &[], ALERT).await.status, 200);
    lab.sim.shutdown().await;

    for (reason, status) in [
        (Reason::InternalServerError, 500),
        (Reason::ServiceUnavailable, 503),
    ] {
        let lab = Lab::start(Environment::Sandbox, |c| {
            c.faults.error_share = Some((reason, 1.0))
        })
        .await;
        let cred = lab.cert(CertEnvironment::Development);
        assert_reason(
            &lab.client(Some(&cred))
                .await
                .post(&tok("aa"), &[], ALERT)
                .await,
            status,
            reason.as_str(),
        );
        lab.sim.shutdown().await;
    }

    let lab = Lab::start(Environment::Sandbox, |c| {
        c.faults.shutdown_after = Some(1);
    })
    .await;
    let cred = lab.cert(CertEnvironment::Development);
    let mut c = lab.client(Some(&cred)).await;
    assert_eq!(c.post(&tok("aa"), &[], ALERT).await.status, 200);
    assert_reason(&c.post(&tok("aa"), &[], ALERT).await, 503, "Shutdown");
    // A new connection is served again.
    assert_eq!(
        lab.client(Some(&cred))
            .await
            .post(&tok("aa"), &[], ALERT)
            .await
            .status,
        200
    );
    lab.sim.shutdown().await;
}

#[tokio::test]
async fn goaway_carries_a_json_reason() {
    let lab = Lab::start(Environment::Sandbox, |c| {
        c.idle_timeout = Some(Duration::from_millis(100))
    })
    .await;
    let cred = lab.cert(CertEnvironment::Development);
    let (code, debug) =
        h2client::wait_for_goaway(lab.sim.addr(), lab.sim.ca_certificate(), Some(&cred), None)
            .await;
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&debug).unwrap()["reason"],
        "IdleTimeout"
    );
    lab.sim.shutdown().await;

    let lab = Lab::start(Environment::Sandbox, |_| {}).await;
    let addr = lab.sim.addr();
    let ca = lab.sim.ca_certificate().clone();
    let (ready, connected) = tokio::sync::oneshot::channel();
    let waiter =
        tokio::spawn(async move { h2client::wait_for_goaway(addr, &ca, None, Some(ready)).await });
    // Shut down once the raw client is connected and has the server's SETTINGS.
    connected.await.unwrap();
    lab.sim.shutdown().await;
    let (_, debug) = waiter.await.unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&debug).unwrap()["reason"],
        "Shutdown"
    );
}

#[tokio::test]
async fn curl_sends_a_push() {
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("curl is needed for this test (scripts/setup.sh installs it)");
    }
    let lab = Lab::start(Environment::Sandbox, |_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let cred = lab.cert(CertEnvironment::Development);
    let cert = support::write(
        dir.path(),
        "cert.pem",
        &cred
            .export(pushlab::cert::ExportFormat::CertPem, None)
            .unwrap(),
    );
    let key = support::write(
        dir.path(),
        "key.pem",
        &cred
            .export(pushlab::cert::ExportFormat::KeyPem, None)
            .unwrap(),
    );
    let ca = support::write(dir.path(), "ca.pem", &lab.identity.ca_pem().unwrap());
    let url = format!(
        "https://localhost:{}/3/device/{}",
        lab.sim.addr().port(),
        tok("aa")
    );
    let out = tokio::process::Command::new("curl")
        .args([
            "--silent",
            "--http2",
            "--cert",
            cert.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--cacert",
            ca.to_str().unwrap(),
        ])
        .args([
            "-H",
            "apns-push-type: alert",
            "-H",
            &format!("apns-topic: {BUNDLE}"),
            "--data",
            ALERT,
            "-w",
            "%{http_code} %{http_version}",
            &url,
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "200 2",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lab.sim.inbox().total(), 1);
    lab.sim.shutdown().await;
}

#[tokio::test]
async fn every_delivery_is_logged_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("deliveries.jsonl");
    let path = log.clone();
    let lab = Lab::start(Environment::Sandbox, move |c| c.log = Some(path)).await;
    let cred = lab.cert(CertEnvironment::Development);
    let mut c = lab.client(Some(&cred)).await;
    assert_eq!(
        c.post(&tok("aa"), &[("apns-collapse-id", "door")], ALERT)
            .await
            .status,
        200
    );
    assert_eq!(c.post(&tok("01"), &[], ALERT).await.status, 410);
    assert_eq!(
        c.post(&tok("bb"), &[("apns-priority", "5")], ALERT)
            .await
            .status,
        200
    );
    lab.sim.shutdown().await;
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "only deliveries are logged");
    assert_eq!(lines[0]["token"], tok("aa"));
    assert_eq!(lines[0]["topic"], BUNDLE);
    assert_eq!(lines[0]["push_type"], "alert");
    assert_eq!(lines[0]["collapse_id"], "door");
    assert_eq!(lines[0]["payload"]["aps"]["alert"]["title"], "Doorbell");
    assert_eq!(lines[1]["priority"], 5);
    assert!(lines[1]["time"].as_str().unwrap().ends_with('Z'));
    assert!(pushlab::apns::is_canonical_uuid(
        lines[1]["apns_id"].as_str().unwrap()
    ));
}
