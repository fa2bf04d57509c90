//! Devices, channels, faults and the token: the controls a test steers the simulator with.

use super::*;

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
    // A dropped connection is `drop_after`; `reset_after`, its name before, still sets it.
    let old = lab.send("PUT", "/api/v1/faults", Some(r#"{"reset_after":7}"#));
    assert_eq!(old.status, 200, "{}", old.body);
    let faults = lab.get("/api/v1/faults").json();
    assert_eq!(faults["drop_after"], 7);
    assert!(faults.get("reset_after").is_none(), "{faults}");
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
        !lab.lines.printed.iter().any(|l| l.contains("s3cret")),
        "the token is never printed"
    );
}
