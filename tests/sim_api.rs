//! The simulator's control API driven from outside, as a backend's test suite would: a
//! `pushlab sim --api-port 0` process, pushes sent by the tests' own HTTP/2 client
//! (`support::h2client`, not pushlab's), and every API call made with `curl`. No sleeps: the
//! API's `wait` answers when deliveries exist, and other checks poll with a deadline.

#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use pushlab::cert::{CertEnvironment, Credential, PushCertificateSpec};
use pushlab::sim::SimIdentity;
use serde_json::Value;
use support::cli::{Lines, Running, spawn_with_lines};
use support::h2client::{self, Client};

const BUNDLE: &str = "com.example.doorbell";
const ALERT: &str = r#"{"aps":{"alert":{"title":"Door","body":"Someone rang"}}}"#;

fn token(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

struct Lab {
    _running: Running,
    lines: Lines,
    apns: SocketAddr,
    api: String,
    identity: SimIdentity,
    _dir: tempfile::TempDir,
}

/// The address after "listening on " in a line.
fn listening(line: &str) -> String {
    line.split("listening on ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

fn start(extra: &[&str]) -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sim");
    std::fs::create_dir_all(&data).unwrap();
    let tokens = support::write(
        &data,
        "tokens.txt",
        format!("{} {BUNDLE}\n{} {BUNDLE}\n", token(1), token(2)).as_bytes(),
    );
    let mut command = support::pushlab();
    command
        .args(["sim", "--port", "0", "--api-port", "0", "--duration", "300"])
        .arg("--tokens")
        .arg(&tokens)
        .arg("--data-dir")
        .arg(&data)
        .args(extra);
    let (running, mut lines) = spawn_with_lines(command);
    let apns = listening(&lines.wait_for(|l| l.starts_with("listening on ")));
    let api = listening(&lines.wait_for(|l| l.starts_with("control API listening on ")));
    let identity = SimIdentity::load_or_create(&data).unwrap();
    Lab {
        _running: running,
        lines,
        apns: apns.parse().unwrap(),
        api: format!("http://{api}"),
        identity,
        _dir: dir,
    }
}

/// An API answer: status and body (JSON when it is).
struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request with the `curl` command line.
fn curl(method: &str, url: &str, headers: &[&str], body: Option<&str>) -> Reply {
    let mut c = Command::new("curl");
    c.args([
        "-sS",
        "--max-time",
        "90",
        "-X",
        method,
        "-w",
        "\n%{http_code}",
    ]);
    for h in headers {
        c.args(["-H", h]);
    }
    if let Some(body) = body {
        c.args([
            "-H",
            "content-type: application/json",
            "--data-binary",
            body,
        ]);
    }
    let out = c.arg(url).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').unwrap();
    Reply {
        status: status.trim().parse().unwrap_or(0),
        body: body.to_owned(),
    }
}

impl Lab {
    fn get(&self, path: &str) -> Reply {
        curl("GET", &format!("{}{path}", self.api), &[], None)
    }

    fn send(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        curl(method, &format!("{}{path}", self.api), &[], body)
    }

    async fn client(&self) -> Client {
        let cred: Credential = self
            .identity
            .ca
            .issue_push_certificate(&PushCertificateSpec::new(
                BUNDLE,
                CertEnvironment::Development,
            ))
            .unwrap();
        h2client::connect(self.apns, &self.identity.ca.certificate, Some(&cred))
            .await
            .unwrap()
    }
}

async fn push(c: &mut Client, token: &str, push_type: &str, body: &str) -> h2client::Answer {
    c.post(
        token,
        &[("apns-topic", BUNDLE), ("apns-push-type", push_type)],
        body,
    )
    .await
}

/// Polls `check` until it holds or `deadline` passes.
fn eventually(what: &str, deadline: Duration, mut check: impl FnMut() -> bool) {
    let until = Instant::now() + deadline;
    while !check() {
        assert!(Instant::now() < until, "{what}: not within {deadline:?}");
        std::thread::yield_now();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_answers_when_the_deliveries_exist_and_lists_filter_and_clear() {
    let lab = start(&[]);
    let mut c = lab.client().await;
    assert_eq!(push(&mut c, &token(1), "alert", ALERT).await.status, 200);
    assert_eq!(
        push(&mut c, &token(2), "alert", r#"{"aps":{"alert":"parcel"}}"#)
            .await
            .status,
        200
    );
    // A wait for three, in place before the third push: it must not answer with two.
    let url = format!("{}/api/v1/deliveries/wait?count=3&timeout=30000", lab.api);
    let waiting = std::thread::Builder::new()
        .name("wait".into())
        .spawn(move || curl("GET", &url, &[], None))
        .unwrap();
    eventually("the wait is in place", Duration::from_secs(10), || {
        lab.get("/api/v1/stats").json()["waiters"] == 1
    });
    assert!(
        !waiting.is_finished(),
        "two deliveries do not end a wait for three"
    );
    let bg = push(
        &mut c,
        &token(1),
        "background",
        r#"{"aps":{"content-available":1}}"#,
    )
    .await;
    assert_eq!(bg.status, 200);
    let waited = waiting.join().unwrap();
    assert_eq!(waited.status, 200, "{}", waited.body);
    assert_eq!(waited.json()["count"], 3);

    // Filters: push type, token, text; one by apns-id.
    let bg_list = lab.get("/api/v1/deliveries?push_type=background").json();
    assert_eq!(bg_list["count"], 1);
    let id = bg_list["items"][0]["apns_id"].as_str().unwrap().to_owned();
    assert_eq!(bg.headers["apns-id"].to_str().unwrap(), id);
    assert_eq!(
        lab.get(&format!("/api/v1/deliveries/{id}")).json()["push_type"],
        "background"
    );
    assert_eq!(
        lab.get(&format!("/api/v1/deliveries?token={}", token(2)))
            .json()["count"],
        1
    );
    assert_eq!(
        lab.get("/api/v1/deliveries?text=SOMEONE%20rang").json()["count"],
        1
    );
    assert_eq!(
        lab.get("/api/v1/deliveries?since=4102444800000").json()["count"],
        0
    );
    assert_eq!(lab.get("/api/v1/deliveries?pushtype=alert").status, 400);

    // A wait that cannot be met answers 408 when its time is up, with what there is.
    let started = Instant::now();
    let short = lab.get("/api/v1/deliveries/wait?count=4&timeout=300");
    assert_eq!(short.status, 408);
    assert_eq!(short.json()["count"], 3);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // Clear: gone from the list and from one-by-id.
    assert_eq!(lab.send("DELETE", "/api/v1/deliveries", None).status, 204);
    assert_eq!(lab.get("/api/v1/deliveries").json()["count"], 0);
    assert_eq!(lab.get(&format!("/api/v1/deliveries/{id}")).status, 404);
    let stats = lab.get("/api/v1/stats").json();
    assert_eq!(stats["stats"]["delivered_by_push_type"]["alert"], 2);
    assert_eq!(stats["stats"]["delivered_by_push_type"]["background"], 1);
    assert!(stats["stats"]["latency_ms"]["p50"].as_f64().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_changed_mid_test_answers_accordingly_on_the_next_push() {
    let lab = start(&[]);
    let mut c = lab.client().await;
    let t = token(1);
    assert_eq!(push(&mut c, &t, "alert", ALERT).await.status, 200);

    let changed = lab.send(
        "PUT",
        &format!("/api/v1/devices/{t}"),
        Some(r#"{"state":"unregistered","unregistered_at_ms":1764460800123}"#),
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    let gone = push(&mut c, &t, "alert", ALERT).await;
    assert_eq!(
        (gone.status, gone.reason().as_deref()),
        (410, Some("Unregistered"))
    );
    let body: Value = serde_json::from_str(&gone.body).unwrap();
    assert_eq!(body["timestamp"], 1764460800123_i64);
    eventually("the refusal is listed", Duration::from_secs(10), || {
        lab.get("/api/v1/rejections?reason=Unregistered").json()["count"] == 1
    });

    lab.send(
        "PUT",
        &format!("/api/v1/devices/{t}"),
        Some(r#"{"state":"expired"}"#),
    );
    let expired = push(&mut c, &t, "alert", ALERT).await;
    assert_eq!(expired.reason().as_deref(), Some("ExpiredToken"));

    lab.send(
        "PUT",
        &format!("/api/v1/devices/{t}"),
        Some(r#"{"state":"active","environment":"production"}"#),
    );
    let other_env = push(&mut c, &t, "alert", ALERT).await;
    assert_eq!(other_env.reason().as_deref(), Some("BadDeviceToken"));

    lab.send(
        "PUT",
        &format!("/api/v1/devices/{t}"),
        Some(r#"{"environment":null,"topic":"com.example.other"}"#),
    );
    let topic = push(&mut c, &t, "alert", ALERT).await;
    assert_eq!(topic.reason().as_deref(), Some("DeviceTokenNotForTopic"));

    // A new device, then removed: the registry forgets it (unknown tokens are accepted).
    let new = token(9);
    let added = lab.send(
        "PUT",
        &format!("/api/v1/devices/{new}"),
        Some(r#"{"state":"unregistered"}"#),
    );
    assert_eq!(added.status, 201);
    assert_eq!(push(&mut c, &new, "alert", ALERT).await.status, 410);
    assert_eq!(
        lab.send("DELETE", &format!("/api/v1/devices/{new}"), None)
            .status,
        204
    );
    assert_eq!(lab.get(&format!("/api/v1/devices/{new}")).status, 404);
    assert_eq!(push(&mut c, &new, "alert", ALERT).await.status, 200);
    assert_eq!(
        lab.send("PUT", "/api/v1/devices/nothex", Some("{}")).status,
        400
    );
    assert_eq!(
        lab.send(
            "PUT",
            &format!("/api/v1/devices/{t}"),
            Some(r#"{"stat":"active"}"#)
        )
        .status,
        400,
        "a misspelt field is refused, not ignored"
    );
    let stats = lab.get("/api/v1/stats").json();
    assert_eq!(stats["stats"]["rejected_by_reason"]["Unregistered"], 2);
    let metrics = lab.get("/metrics").body;
    assert!(
        metrics.contains("pushlab_sim_rejections_total{reason=\"Unregistered\"} 2"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_subscribed_through_the_api_receives_a_broadcast() {
    let lab = start(&[]);
    let mut c = lab.client().await;
    let created = c
        .request(
            "POST",
            &format!("/1/apps/{BUNDLE}/channels"),
            &[("content-type", "application/json")],
            br#"{"message-storage-policy":0,"push-type":"LiveActivity"}"#,
        )
        .await
        .unwrap();
    assert_eq!(created.status, 201, "{}", created.body);
    let channel = created.headers["apns-channel-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let encoded: String = channel
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let listed = lab.get(&format!("/api/v1/channels?bundle={BUNDLE}")).json();
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["items"][0]["id"], channel.as_str());
    assert_eq!(listed["items"][0]["devices"], serde_json::json!([]));

    let sub = lab.send(
        "PUT",
        &format!("/api/v1/channels/{BUNDLE}/{encoded}/devices/{}", token(2)),
        None,
    );
    assert_eq!(sub.status, 204, "{}", sub.body);
    assert_eq!(
        lab.send(
            "PUT",
            &format!(
                "/api/v1/channels/com.example.other/{encoded}/devices/{}",
                token(2)
            ),
            None
        )
        .status,
        404,
        "another app's channel of the same id does not exist"
    );
    let listed = lab.get(&format!("/api/v1/channels?bundle={BUNDLE}")).json();
    assert_eq!(listed["items"][0]["devices"], serde_json::json!([token(2)]));

    let update = r#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"home":2}}}"#;
    let sent = c
        .request(
            "POST",
            &format!("/4/broadcasts/apps/{BUNDLE}"),
            &[
                ("apns-channel-id", channel.as_str()),
                ("apns-push-type", "liveactivity"),
                ("apns-priority", "5"),
                ("apns-expiration", "0"),
            ],
            update.as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 200, "{}", sent.body);
    let got = lab.get(&format!(
        "/api/v1/deliveries/wait?count=1&timeout=10000&channel={encoded}"
    ));
    assert_eq!(got.status, 200, "{}", got.body);
    let items = got.json()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["token"], token(2).as_str());
    let activities = lab.get("/api/v1/activities").json();
    assert!(activities["count"].as_u64().unwrap() >= 1, "{activities}");
    assert_eq!(activities["items"][0]["content_state"]["home"], 2);

    // Unsubscribed, the next broadcast reaches nobody.
    assert_eq!(
        lab.send(
            "DELETE",
            &format!("/api/v1/channels/{BUNDLE}/{encoded}/devices/{}", token(2)),
            None
        )
        .status,
        204
    );
    let listed = lab.get(&format!("/api/v1/channels?bundle={BUNDLE}")).json();
    assert_eq!(listed["items"][0]["devices"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_change_while_the_simulator_runs() {
    let lab = start(&["--latency-ms", "0"]);
    let mut c = lab.client().await;
    assert_eq!(push(&mut c, &token(1), "alert", ALERT).await.status, 200);

    let set = lab.send(
        "PUT",
        "/api/v1/faults",
        Some(r#"{"fail":{"reason":"TooManyRequests","share":1}}"#),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(
        lab.get("/api/v1/faults").json()["fail"]["reason"],
        "TooManyRequests"
    );
    let limited = push(&mut c, &token(1), "alert", ALERT).await;
    assert_eq!(
        (limited.status, limited.reason().as_deref()),
        (429, Some("TooManyRequests"))
    );

    lab.send(
        "PUT",
        "/api/v1/faults",
        Some(r#"{"fail":null,"latency_ms":400}"#),
    );
    let started = Instant::now();
    assert_eq!(push(&mut c, &token(1), "alert", ALERT).await.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "the latency applies from the next push: {:?}",
        started.elapsed()
    );
    lab.send(
        "PUT",
        "/api/v1/faults",
        Some(r#"{"latency_ms":0,"clock_offset":-3600}"#),
    );
    let late = push(&mut c, &token(1), "alert", ALERT).await;
    let date = late.headers["date"].to_str().unwrap().to_owned();
    let shown =
        time::OffsetDateTime::parse(&date, &time::format_description::well_known::Rfc2822).unwrap();
    let off = time::OffsetDateTime::now_utc() - shown;
    assert!(off.whole_seconds() > 3000, "date {date} is an hour behind");
    assert_eq!(
        lab.send(
            "PUT",
            "/api/v1/faults",
            Some(r#"{"fail":{"reason":"Nope","share":1}}"#)
        )
        .status,
        400
    );
    let stats = lab.get("/api/v1/stats").json();
    assert_eq!(stats["stats"]["rejected_by_reason"]["TooManyRequests"], 1);
}

#[test]
fn off_loopback_the_api_needs_a_token_and_every_request_carries_it() {
    // Without a token the process refuses to start.
    let dir = tempfile::tempdir().unwrap();
    let out = support::pushlab()
        .args([
            "sim",
            "--port",
            "0",
            "--api-port",
            "0",
            "--api-bind",
            "0.0.0.0",
        ])
        .args(["--duration", "5", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--api-token"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let lab = start(&["--api-bind", "0.0.0.0", "--api-token", "s3cret-token"]);
    let port = lab.api.rsplit(':').next().unwrap();
    let url = format!("http://127.0.0.1:{port}/api/v1/stats");
    let without = curl("GET", &url, &[], None);
    assert_eq!(without.status, 401);
    let wrong = curl("GET", &url, &["Authorization: Bearer s3cret-tokeN"], None);
    assert_eq!(wrong.status, 401);
    let with = curl("GET", &url, &["Authorization: Bearer s3cret-token"], None);
    assert_eq!(with.status, 200, "{}", with.body);
    let page = curl("GET", &format!("http://127.0.0.1:{port}/"), &[], None);
    assert_eq!(page.status, 401, "the web inbox is behind the token too");
    assert!(
        !lab.lines.seen.iter().any(|l| l.contains("s3cret")),
        "the token is never printed"
    );
}

#[test]
fn the_openapi_document_lists_every_route() {
    let lab = start(&[]);
    let doc = lab.get("/api/v1/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    for route in pushlab::sim::api::ROUTES {
        let method = route.method.as_str().to_lowercase();
        assert!(
            doc["paths"][route.path][&method].is_object(),
            "{method} {} is served but not described",
            route.path
        );
        // Served: no route of the table answers 404 (405 or 400 for a bad parameter is fine).
        let path = route
            .path
            .replace("{apns_id}", "00000000-0000-0000-0000-000000000000")
            .replace("{token}", &token(1))
            .replace("{bundle}", BUNDLE)
            .replace("{channel}", "bm9uZQ%3D%3D");
        if route.path == "/api/v1/events" || method != "get" {
            continue;
        }
        let wait = route.path.ends_with("/wait");
        let status = lab
            .get(&format!("{path}{}", if wait { "?timeout=1" } else { "" }))
            .status;
        assert!(
            status == 200 || (status == 404 && route.path.contains('{')) || (status == 408 && wait),
            "{path}: {status}"
        );
    }
    assert_eq!(lab.get("/api/v2/deliveries").status, 404);
}

#[test]
fn the_web_inbox_lists_deliveries_without_javascript_and_escapes_payloads() {
    let lab = start(&[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut c = lab.client().await;
        let hostile = r#"{"aps":{"alert":{"title":"<script>alert(1)</script>","body":"<img src=x onerror=alert(2)> & \"quoted\""}},"x":"</pre><script>alert(3)</script>"}"#;
        assert_eq!(push(&mut c, &token(1), "alert", hostile).await.status, 200);
        assert_eq!(push(&mut c, &token(2), "alert", ALERT).await.status, 200);
    });
    let page = lab.get("/");
    assert_eq!(page.status, 200);
    let html = page.body;
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot;"));
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("Someone rang"));
    // The filter works on the server too.
    let filtered = lab.get(&format!("/?token={}", token(2))).body;
    assert!(filtered.contains("Someone rang"));
    assert!(!filtered.contains("alert(1)"));
    // Nothing inline may run even if escaping failed: the page's policy allows only its own
    // script file.
    let headers = Command::new("curl")
        .args(["-sS", "-D", "-", "-o", "/dev/null"])
        .arg(format!("{}/", lab.api))
        .output()
        .unwrap();
    let headers = String::from_utf8_lossy(&headers.stdout).to_lowercase();
    assert!(headers.contains("content-security-policy: default-src 'none'; script-src 'self'"));
}

/// A raw HTTP/1.1 request on a socket with a tiny receive buffer, whose answer is never read.
async fn never_reading_follower(api: &str) -> tokio::net::TcpStream {
    let addr: SocketAddr = api.trim_start_matches("http://").parse().unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(addr).await.unwrap();
    use tokio::io::AsyncWriteExt as _;
    stream
        .write_all(format!("GET /api/v1/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    stream
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_reader_that_never_reads_is_dropped_and_readers_are_bounded() {
    let lab = start(&[]);
    let stalled = never_reading_follower(&lab.api).await;
    eventually("the reader is counted", Duration::from_secs(10), || {
        lab.get("/api/v1/stats").json()["event_followers"] == 1
    });
    let mut c = lab.client().await;
    // Payloads near the limit fill the socket buffers fast; the reader is cut off once its
    // queue is full, and pushes go on being answered meanwhile.
    let filler = "x".repeat(3900);
    let big = format!(r#"{{"aps":{{"alert":"big"}},"f":"{filler}"}}"#);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut sent = 0;
    loop {
        assert_eq!(push(&mut c, &token(1), "alert", &big).await.status, 200);
        sent += 1;
        if sent % 100 == 0 && lab.get("/api/v1/stats").json()["event_followers_dropped"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "not dropped after {sent} pushes");
    }
    eventually("its place is free", Duration::from_secs(10), || {
        lab.get("/api/v1/stats").json()["event_followers"] == 0
    });
    drop(stalled);

    // At most 32 readers at once; the 33rd is told 503.
    let mut held = Vec::new();
    for _ in 0..32 {
        held.push(never_reading_follower(&lab.api).await);
    }
    eventually("32 readers", Duration::from_secs(10), || {
        lab.get("/api/v1/stats").json()["event_followers"] == 32
    });
    let refused = curl("GET", &format!("{}/api/v1/events", lab.api), &[], None);
    assert_eq!(refused.status, 503);
    drop(held);
    eventually("readers gone", Duration::from_secs(20), || {
        lab.get("/api/v1/stats").json()["event_followers"] == 0
    });

    // Huge requests are refused, not served: a 10,000-character filter and a 40 KB URL.
    let long_text = "a".repeat(10_000);
    assert_eq!(
        lab.get(&format!("/api/v1/deliveries?text={long_text}"))
            .status,
        400
    );
    let huge = "b".repeat(40_000);
    let status = lab.get(&format!("/api/v1/deliveries?text={huge}")).status;
    assert!(status == 431 || status == 400 || status == 0, "{status}");
    let big_body = format!(r#"{{"name":"{}"}}"#, "n".repeat(100_000));
    assert_eq!(
        lab.send(
            "PUT",
            &format!("/api/v1/devices/{}", token(3)),
            Some(&big_body)
        )
        .status,
        413
    );
}

/// The README's three examples (shell + curl, Python, Node), run as a backend's CI would.
#[test]
fn the_readme_examples_pass_in_shell_python_and_node() {
    let lab = start(&[]);
    let data = lab._dir.path().join("sim");
    let cred = lab
        .identity
        .ca
        .issue_push_certificate(&PushCertificateSpec::new(
            BUNDLE,
            CertEnvironment::Development,
        ))
        .unwrap();
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    let cert = support::write(&data, "ck.pem", &pem);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let runs = [
        ("sh", "sim-api-test.sh", 11),
        ("python3", "sim_api_test.py", 12),
        ("node", "sim-api-test.mjs", 13),
    ];
    for (program, script, device) in runs {
        if Command::new(program).arg("--version").output().is_err() && program != "sh" {
            eprintln!("{program} is not installed: {script} not run");
            continue;
        }
        let out = Command::new(program)
            .arg(examples.join(script))
            .env("API", &lab.api)
            .env("APNS", lab.apns.to_string())
            .env("CERT", &cert)
            .env("CA", data.join("ca.pem"))
            .env("TOPIC", BUNDLE)
            .env("TOKEN", token(device))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("ok: delivered, then 410"));
    }
}

/// The web inbox in a real browser: headless chromium (driven by `support/browser.mjs` over
/// the DevTools protocol) loads the page, a push is sent, and the rendered DOM shows it
/// without a reload — its hostile title as text, not as markup.
#[tokio::test(flavor = "multi_thread")]
async fn the_web_inbox_shows_a_new_push_live_in_a_real_browser() {
    use std::io::{BufRead as _, Write as _};
    let have = |p: &str| Command::new(p).arg("--version").output().is_ok();
    if !have("chromium") || !have("node") {
        eprintln!("chromium or node is not installed: the browser test is skipped");
        return;
    }
    let lab = start(&[]);
    let mut c = lab.client().await;
    assert_eq!(push(&mut c, &token(1), "alert", ALERT).await.status, 200);
    let shot = std::env::var_os("PUSHLAB_INBOX_SCREENSHOT");
    let mut browser = Command::new("node")
        .arg("--experimental-websocket")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/browser.mjs"))
        .env("URL", format!("{}/", lab.api))
        .env("WANT", "Live push arrived")
        .env("SHOT", shot.unwrap_or_default())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(browser.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready", "the page's event stream went live");
    let live = r#"{"aps":{"alert":{"title":"<script>alert(9)</script>","body":"Live push arrived"},"badge":3}}"#;
    assert_eq!(push(&mut c, &token(2), "alert", live).await.status, 200);
    let mut stdin = browser.stdin.take().unwrap();
    writeln!(stdin, "pushed").unwrap();
    let mut dom = String::new();
    std::io::Read::read_to_string(&mut out, &mut dom).unwrap();
    assert!(browser.wait().unwrap().success(), "{dom}");
    assert!(dom.contains("Live push arrived"), "{dom}");
    assert!(
        dom.contains("Someone rang"),
        "the server-rendered one is still there"
    );
    assert!(
        dom.contains("&lt;script&gt;alert(9)&lt;/script&gt;"),
        "{dom}"
    );
    assert!(dom.contains("scripts-in-list:0"), "{dom}");
}

/// The event stream, read by a client written here: a delivery, a refusal and a Live
/// Activity's change arrive as `delivery`, `rejection` and `activity` events, each with the
/// JSON its list shows.
#[tokio::test(flavor = "multi_thread")]
async fn the_event_stream_carries_deliveries_rejections_and_activity_changes() {
    use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};
    let lab = start(&[]);
    let addr: SocketAddr = lab.api.trim_start_matches("http://").parse().unwrap();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(format!("GET /api/v1/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut reader = tokio::io::BufReader::new(tcp);
    let mut line = String::new();
    reader.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    eventually("the reader is counted", Duration::from_secs(10), || {
        lab.get("/api/v1/stats").json()["event_followers"] == 1
    });

    let mut c = lab.client().await;
    assert_eq!(push(&mut c, &token(1), "alert", ALERT).await.status, 200);
    lab.send(
        "PUT",
        &format!("/api/v1/devices/{}", token(2)),
        Some(r#"{"state":"unregistered"}"#),
    );
    assert_eq!(push(&mut c, &token(2), "alert", ALERT).await.status, 410);
    let start = r#"{"aps":{"event":"start","timestamp":1764460800,"content-state":{"home":0},"attributes-type":"Score","attributes":{"team":"A"},"alert":{"title":"Kick-off","body":"0-0"}}}"#;
    let live = c
        .post(
            &token(3),
            &[
                ("apns-topic", &format!("{BUNDLE}.push-type.liveactivity")),
                ("apns-push-type", "liveactivity"),
                ("apns-priority", "10"),
            ],
            start,
        )
        .await;
    assert_eq!(live.status, 200, "{}", live.body);

    let mut seen: Vec<(String, Value)> = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut event = String::new();
    while !["delivery", "rejection", "activity"]
        .iter()
        .all(|k| seen.iter().any(|(e, _)| e == k))
    {
        let mut line = String::new();
        tokio::time::timeout_at(deadline, reader.read_line(&mut line))
            .await
            .expect("every kind of event arrives")
            .unwrap();
        let line = line.trim_end();
        if let Some(name) = line.strip_prefix("event: ") {
            event = name.to_owned();
        } else if let Some(data) = line.strip_prefix("data: ") {
            seen.push((event.clone(), serde_json::from_str(data).unwrap()));
        }
    }
    let of = |kind: &str| seen.iter().find(|(e, _)| e == kind).unwrap().1.clone();
    assert_eq!(of("delivery")["token"], token(1).as_str());
    let listed = lab.get("/api/v1/deliveries?push_type=alert").json();
    assert_eq!(
        of("delivery"),
        listed["items"][0],
        "the same JSON as the list"
    );
    assert_eq!(of("rejection")["reason"], "Unregistered");
    assert_eq!(of("rejection")["status"], 410);
    assert_eq!(of("activity")["content_state"]["home"], 0);
    assert_eq!(of("activity")["id"], token(3).as_str());
}
