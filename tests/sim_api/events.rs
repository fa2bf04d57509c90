//! Waiting, listing, clearing, and the event stream with its bounds.

use super::*;

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
    // Known by the update token its phone made; the start went to the push-to-start token.
    assert_eq!(of("activity")["start_token"], token(3).as_str());
    let update_token = of("activity")["id"].as_str().unwrap().to_owned();
    assert_eq!(update_token.len(), 64);
    assert_ne!(update_token, token(3));
    let listed = lab.get("/api/v1/activities").json();
    assert!(
        listed.to_string().contains(&update_token),
        "the API lists it by its update token: {listed}"
    );
}
