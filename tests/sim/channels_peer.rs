//! The channel client against a server written here with the `h2` crate, independent of the
//! simulator: the peer records every request exactly as it arrived (method, path, headers,
//! body) and answers what each test scripts, garbage included. What went on the wire is read
//! from the peer's record, never from pushlab's report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use openssl::ssl::{AlpnError, SslAcceptor, SslMethod};
use pushlab::apns::{Broadcast, BundleId, ChannelId, ChannelRequest, MessageStoragePolicy};
use pushlab::cert::{AuthKey, CertificateAuthority};
use pushlab::client::{ChannelOutcome, ClientAuth, Connection, MAX_CHANNEL_LIST_BYTES, Target};
use tokio::net::TcpListener;

/// One request as the peer received it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers, body.
type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>);

/// What the peer answers; `None` resets the stream after recording the request (processed,
/// unanswered).
type Script = Arc<dyn Fn(&Seen) -> Option<Answer> + Send + Sync>;

struct ChannelPeer {
    target: Target,
    addr: std::net::SocketAddr,
    ca: openssl::x509::X509,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ChannelPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn peer(script: Script) -> ChannelPeer {
    let ca = CertificateAuthority::generate("channel peer CA").unwrap();
    let server = ca
        .issue_server_certificate(&["localhost", "127.0.0.1"])
        .unwrap();
    let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
    b.set_private_key(server.private_key.as_ref().unwrap())
        .unwrap();
    b.set_certificate(&server.certificate).unwrap();
    b.set_alpn_select_callback(|_, offered| {
        openssl::ssl::select_next_proto(b"\x02h2", offered).ok_or(AlpnError::ALERT_FATAL)
    });
    let acceptor = Arc::new(b.build());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, record, script) = (acceptor.clone(), record.clone(), script.clone());
            tokio::spawn(async move {
                let ssl = openssl::ssl::Ssl::new(acceptor.context()).unwrap();
                let mut tls = tokio_openssl::SslStream::new(ssl, tcp).unwrap();
                if std::pin::Pin::new(&mut tls).accept().await.is_err() {
                    return;
                }
                let Ok(mut conn) = h2::server::handshake(tls).await else {
                    return;
                };
                while let Some(Ok((request, mut respond))) = conn.accept().await {
                    let (record, script) = (record.clone(), script.clone());
                    tokio::spawn(async move {
                        let (parts, mut body) = request.into_parts();
                        let mut data = Vec::new();
                        while let Some(Ok(chunk)) = body.data().await {
                            let _ = body.flow_control().release_capacity(chunk.len());
                            data.extend_from_slice(&chunk);
                        }
                        let seen = Seen {
                            method: parts.method.to_string(),
                            path: parts.uri.path().to_owned(),
                            headers: parts
                                .headers
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("?").to_owned()))
                                .collect(),
                            body: data,
                        };
                        record.lock().unwrap().push(seen.clone());
                        let Some((status, headers, body)) = script(&seen) else {
                            respond.send_reset(h2::Reason::INTERNAL_ERROR);
                            return;
                        };
                        let mut response = http::Response::builder().status(status);
                        for (k, v) in headers {
                            response = response.header(k, v);
                        }
                        let response = response.body(()).unwrap();
                        if body.is_empty() {
                            let _ = respond.send_response(response, true);
                        } else if let Ok(mut stream) = respond.send_response(response, false) {
                            // Sent in 16 KiB pieces as flow control allows, so a large answer
                            // arrives whole (or until the client stops reading).
                            let mut rest = Bytes::from(body);
                            while !rest.is_empty() {
                                stream.reserve_capacity(rest.len().min(16 * 1024));
                                let Some(Ok(n)) =
                                    std::future::poll_fn(|cx| stream.poll_capacity(cx)).await
                                else {
                                    return;
                                };
                                let piece = rest.split_to(n.min(rest.len()));
                                if stream.send_data(piece, rest.is_empty()).is_err() {
                                    return;
                                }
                            }
                        }
                    });
                }
            });
        }
    });
    ChannelPeer {
        addr,
        ca: ca.certificate.clone(),
        target: Target::simulator(
            addr,
            ca.certificate.clone(),
            pushlab::apns::Environment::Sandbox,
        ),
        seen,
        task,
    }
}

fn auth() -> ClientAuth {
    ClientAuth::token(AuthKey {
        key: support::ec_key(),
        key_id: "ABC123DEFG".into(),
        team_id: "DEF123GHIJ".into(),
    })
}

fn bundle() -> BundleId {
    BundleId::parse("com.example.scores").unwrap()
}

const ID: &str = "cGVlci1jaGFubmVs";

/// Answers like Apple's documentation says.
fn apple_like(s: &Seen) -> Option<Answer> {
    let rid = (
        "apns-request-id",
        "0c1f6c7e-5f35-4b2c-9d56-6e0e1a2b3c4d".to_owned(),
    );
    Some(match (s.method.as_str(), s.path.as_str()) {
        ("POST", "/1/apps/com.example.scores/channels") => (
            201,
            vec![rid, ("apns-channel-id", ID.to_owned())],
            Vec::new(),
        ),
        ("GET", "/1/apps/com.example.scores/channels") => (
            200,
            vec![rid],
            br#"{"message-storage-policy":1,"push-type":"LiveActivity"}"#.to_vec(),
        ),
        ("GET", "/1/apps/com.example.scores/all-channels") => (
            200,
            vec![rid],
            format!(r#"{{"channels":["{ID}","b3RoZXI="]}}"#).into_bytes(),
        ),
        ("DELETE", "/1/apps/com.example.scores/channels") => (204, vec![rid], Vec::new()),
        ("POST", "/4/broadcasts/apps/com.example.scores") => (200, vec![rid], Vec::new()),
        _ => (404, vec![], br#"{"reason":"BadPath"}"#.to_vec()),
    })
}

async fn open(p: &ChannelPeer) -> Connection {
    Connection::open(&p.target, &auth(), Duration::from_secs(10))
        .await
        .unwrap()
}

#[tokio::test]
async fn requests_go_on_the_wire_as_apple_documents_them() {
    let p = peer(Arc::new(apple_like)).await;
    let c = open(&p).await;
    let id = ChannelId::parse(ID).unwrap();
    let created = c
        .manage_channel(
            &bundle(),
            &ChannelRequest::Create(MessageStoragePolicy::MostRecent),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        created.outcome,
        ChannelOutcome::Created {
            channel_id: id.clone()
        }
    );
    assert_eq!(
        created.request_id.as_deref(),
        Some("0c1f6c7e-5f35-4b2c-9d56-6e0e1a2b3c4d")
    );
    let read = c
        .manage_channel(&bundle(), &ChannelRequest::Read(id.clone()), None)
        .await
        .unwrap();
    assert!(
        matches!(read.outcome, ChannelOutcome::Read { config } if config.message_storage_policy == MessageStoragePolicy::MostRecent)
    );
    let listed = c
        .manage_channel(&bundle(), &ChannelRequest::ListAll, None)
        .await
        .unwrap();
    assert!(matches!(&listed.outcome, ChannelOutcome::Listed { channels } if channels.len() == 2));
    let deleted = c
        .manage_channel(&bundle(), &ChannelRequest::Delete(id.clone()), None)
        .await
        .unwrap();
    assert_eq!(deleted.outcome, ChannelOutcome::Deleted);
    let mut b = Broadcast::new(
        bundle(),
        id,
        br#"{"aps":{"event":"end","timestamp":1}}"#.to_vec(),
    );
    b.priority = Some(10);
    b.expiration = Some(0);
    assert!(c.broadcast(&b).await.unwrap().is_success());

    let seen = p.seen.lock().unwrap().clone();
    let calls: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("POST", "/1/apps/com.example.scores/channels"),
            ("GET", "/1/apps/com.example.scores/channels"),
            ("GET", "/1/apps/com.example.scores/all-channels"),
            ("DELETE", "/1/apps/com.example.scores/channels"),
            ("POST", "/4/broadcasts/apps/com.example.scores"),
        ]
    );
    let create: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(
        create,
        serde_json::json!({"message-storage-policy": 1, "push-type": "LiveActivity"})
    );
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    assert_eq!(seen[0].header("apns-channel-id"), None);
    for i in [1, 3, 4] {
        assert_eq!(seen[i].header("apns-channel-id"), Some(ID), "{:?}", seen[i]);
    }
    assert_eq!(
        seen[2].header("apns-channel-id"),
        None,
        "a list names no channel"
    );
    for s in &seen[1..4] {
        assert!(s.body.is_empty(), "{s:?}");
    }
    for s in &seen {
        // Every request carries the provider token; none names a topic.
        assert!(s.header("authorization").unwrap().starts_with("bearer ey"));
        assert_eq!(s.header("apns-topic"), None);
    }
    let broadcast = &seen[4];
    assert_eq!(broadcast.header("apns-push-type"), Some("liveactivity"));
    assert_eq!(broadcast.header("apns-priority"), Some("10"));
    assert_eq!(broadcast.header("apns-expiration"), Some("0"));
    assert_eq!(broadcast.body, br#"{"aps":{"event":"end","timestamp":1}}"#);
}

#[tokio::test]
async fn answers_that_do_not_read_are_never_taken_for_success() {
    let p = peer(Arc::new(|s: &Seen| {
        Some(match s.method.as_str() {
            // A create "succeeds" without saying which channel it made.
            "POST" => (201, vec![], Vec::new()),
            // A list that is not JSON.
            _ => (200, vec![], b"<html>gateway</html>".to_vec()),
        })
    }))
    .await;
    let c = open(&p).await;
    let created = c
        .manage_channel(&bundle(), &ChannelRequest::Create(Default::default()), None)
        .await
        .unwrap();
    assert!(!created.is_success());
    assert!(
        matches!(&created.outcome, ChannelOutcome::Unreadable { status: 201, why } if why.contains("list the channels")),
        "{created:?}"
    );
    let listed = c
        .manage_channel(&bundle(), &ChannelRequest::ListAll, None)
        .await
        .unwrap();
    assert!(matches!(
        listed.outcome,
        ChannelOutcome::Unreadable { status: 200, .. }
    ));
}

#[tokio::test]
async fn a_huge_list_is_cut_off_not_read_for_ever() {
    let p = peer(Arc::new(|_: &Seen| {
        Some((200, vec![], vec![b'['; 3 * MAX_CHANNEL_LIST_BYTES]))
    }))
    .await;
    let c = open(&p).await;
    let listed = c
        .manage_channel(&bundle(), &ChannelRequest::ListAll, None)
        .await
        .unwrap();
    assert!(matches!(listed.outcome, ChannelOutcome::Unreadable { .. }));
}

#[tokio::test]
async fn a_reset_after_processing_is_unconfirmed_and_not_sent_again() {
    // The peer records the create (the channel exists on its side), then resets the stream.
    let p = peer(Arc::new(|_: &Seen| None)).await;
    let c = open(&p).await;
    let err = c
        .manage_channel(&bundle(), &ChannelRequest::Create(Default::default()), None)
        .await
        .unwrap_err();
    assert!(err.is_unconfirmed(), "{err}");
    let b = Broadcast::new(
        bundle(),
        ChannelId::parse(ID).unwrap(),
        br#"{"aps":{}}"#.to_vec(),
    );
    let err = c.broadcast(&b).await.unwrap_err();
    assert!(err.is_unconfirmed(), "{err}");
    // Exactly one of each reached the peer: nothing was retried behind the caller's back.
    assert_eq!(p.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn refusals_keep_the_servers_reason() {
    let p = peer(Arc::new(|_: &Seen| {
        Some((
            400,
            vec![],
            br#"{"reason":"ChannelNotRegistered"}"#.to_vec(),
        ))
    }))
    .await;
    let c = open(&p).await;
    let r = c
        .manage_channel(
            &bundle(),
            &ChannelRequest::Read(ChannelId::parse(ID).unwrap()),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        r.known_reason(),
        Some(pushlab::apns::Reason::ChannelNotRegistered)
    );
}

/// What `pushlab` printed and how it ended, run against the peer with a provider token.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// The one JSON line of `--json`.
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("{e}: {}\nstderr: {}", self.stdout, self.stderr))
    }
}

async fn pushlab_cli(p: &ChannelPeer, dir: &std::path::Path, args: &[&str]) -> Ran {
    let ca = support::write(dir, "peer-ca.pem", &p.ca.to_pem().unwrap());
    let key = support::write(
        dir,
        "AuthKey_ABC123DEFG.p8",
        &support::ec_key().private_key_to_pem_pkcs8().unwrap(),
    );
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_pushlab"))
        .args(args)
        .args(["--server", &p.addr.to_string(), "--team-id", "DEF123GHIJ"])
        .arg("--ca")
        .arg(&ca)
        .arg("--auth-key")
        .arg(&key)
        .output()
        .await
        .unwrap();
    Ran {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A Live Activity update of exactly `n` bytes.
fn update_of(n: usize) -> String {
    let head = r#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"pad":""#;
    let tail = r#""}}}"#;
    format!("{head}{}{tail}", "x".repeat(n - head.len() - tail.len()))
}

#[tokio::test]
async fn a_broadcast_without_choices_carries_apples_required_headers_and_says_so() {
    let p = peer(Arc::new(apple_like)).await;
    // The library's broadcast.
    let c = open(&p).await;
    let b = Broadcast::new(bundle(), ChannelId::parse(ID).unwrap(), update_of(100));
    assert!(c.broadcast(&b).await.unwrap().is_success());
    // The CLI's, with neither --priority nor --expiration.
    let dir = tempfile::tempdir().unwrap();
    let payload = support::write(dir.path(), "u.json", update_of(100).as_bytes());
    let payload = payload.to_str().unwrap();
    let args = ["send", "--channel", ID, "--bundle-id", "com.example.scores"];
    let ran = pushlab_cli(
        &p,
        dir.path(),
        &[&args[..], &["--payload", payload]].concat(),
    )
    .await;
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stderr
            .contains("defaults sent: apns-priority 5, apns-expiration 0"),
        "{}",
        ran.stderr
    );
    let json = [&args[..], &["--payload", payload, "--json"]].concat();
    let said = pushlab_cli(&p, dir.path(), &json).await.json();
    assert_eq!(
        (said["priority"].as_u64(), said["expiration"].as_i64()),
        (Some(5), Some(0))
    );
    assert_eq!(said["defaults"].as_array().unwrap().len(), 2, "{said}");
    // What the peer received, every time.
    let seen = p.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.path, "/4/broadcasts/apps/com.example.scores");
        assert_eq!(s.header("apns-priority"), Some("5"), "{s:?}");
        assert_eq!(s.header("apns-expiration"), Some("0"), "{s:?}");
    }
    // A choice is sent as chosen, and is no default.
    let chosen = [
        "--payload",
        payload,
        "--priority",
        "10",
        "--expiration",
        "+60",
    ];
    let ran = pushlab_cli(&p, dir.path(), &[&args[..], &chosen].concat()).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(!ran.stderr.contains("defaults"), "{}", ran.stderr);
    let last = p.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.header("apns-priority"), Some("10"));
    assert!(
        last.header("apns-expiration")
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 0
    );
}

#[tokio::test]
async fn broadcast_payloads_are_checked_as_broadcasts_before_sending() {
    let p = peer(Arc::new(apple_like)).await;
    let dir = tempfile::tempdir().unwrap();
    let send = |name: &str, text: String| {
        let path = support::write(dir.path(), name, text.as_bytes());
        let path = path.to_str().unwrap().to_owned();
        let p = &p;
        let dir = dir.path().to_owned();
        async move {
            let args = ["send", "--channel", ID, "--bundle-id", "com.example.scores"];
            pushlab_cli(p, &dir, &[&args[..], &["--payload", &path]].concat()).await
        }
    };
    // 5,120 bytes go; 5,121 do not.
    let ran = send("max.json", update_of(5120)).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(p.seen.lock().unwrap().last().unwrap().body.len(), 5120);
    let ran = send("over.json", update_of(5121)).await;
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains("5121 bytes, over the 5120-byte limit for broadcasts"),
        "{}",
        ran.stderr
    );
    // A start is stopped, with the reason.
    let ran = send("start.json", update_of(200).replace("update", "start")).await;
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("cannot start a Live Activity"),
        "{}",
        ran.stderr
    );
    assert_eq!(
        p.seen.lock().unwrap().len(),
        1,
        "only the 5,120-byte one was sent"
    );
}

#[tokio::test]
async fn channel_refusals_are_explained_as_apples_channel_pages_do() {
    // A push host: channel management is no path it has.
    let p = peer(Arc::new(|s: &Seen| {
        Some(if s.path.starts_with("/1/apps/") {
            (404, vec![], br#"{"reason":"BadPath"}"#.to_vec())
        } else {
            (400, vec![], br#"{"reason":"TopicDisallowed"}"#.to_vec())
        })
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = ["--bundle-id", "com.example.scores", "--json"];
    let listed = pushlab_cli(&p, dir.path(), &[&["channels", "list"], &app[..]].concat()).await;
    let said = listed.json();
    assert_eq!(
        (said["status"].as_u64(), said["reason"].as_str()),
        (Some(404), Some("BadPath"))
    );
    let why = said["explanation"].as_str().unwrap();
    assert!(
        why.contains("api-manage-broadcast.sandbox.push.apple.com:2195"),
        "{why}"
    );
    assert!(!why.contains("/3/device"), "{why}");
    let payload = support::write(dir.path(), "u.json", update_of(100).as_bytes());
    let send = [
        "send",
        "--channel",
        ID,
        "--payload",
        payload.to_str().unwrap(),
    ];
    let said = pushlab_cli(&p, dir.path(), &[&send[..], &app[..]].concat())
        .await
        .json();
    assert_eq!(said["reason"], "TopicDisallowed");
    let why = said["explanation"].as_str().unwrap();
    assert!(
        why.contains("plain bundle id") && why.contains("no push-type suffix"),
        "{why}"
    );
    assert_eq!(p.seen.lock().unwrap().len(), 2);
    // A bundle id with a push-type suffix never leaves.
    let suffixed = ["--bundle-id", "com.example.scores.push-type.liveactivity"];
    for args in [&["channels", "list"][..], &send[..]] {
        let ran = pushlab_cli(&p, dir.path(), &[args, &suffixed[..]].concat()).await;
        assert_eq!(ran.code, 2, "{}", ran.stdout);
        assert!(
            ran.stderr.contains("plain bundle id, com.example.scores"),
            "{}",
            ran.stderr
        );
    }
    assert_eq!(p.seen.lock().unwrap().len(), 2, "nothing more was sent");
}
