//! A backend's Live Activity rehearsal, as its test suite would run it: pushes from the tests'
//! own HTTP/2 client, the activities read with `curl` from the control API. A start goes to the
//! app's push-to-start token; the phone makes the activity an update token of its own, and
//! only updates sent there change it.

use std::time::Duration;

use serde_json::Value;

use crate::{BUNDLE, eventually, start, token};

const START: &str = r#"{"aps":{"event":"start","timestamp":1764460800,"content-state":{"home":0},"attributes-type":"Score","attributes":{"team":"A"},"alert":{"title":"Kick-off","body":"0-0"}}}"#;

fn update(timestamp: i64, home: u32) -> String {
    format!(
        r#"{{"aps":{{"event":"update","timestamp":{timestamp},"content-state":{{"home":{home}}}}}}}"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn updates_reach_the_activity_only_at_the_update_token_the_phone_made() {
    let lab = start(&[]);
    let mut c = lab.client().await;
    let topic = format!("{BUNDLE}.push-type.liveactivity");
    let headers = [
        ("apns-topic", topic.as_str()),
        ("apns-push-type", "liveactivity"),
        ("apns-priority", "10"),
    ];
    let push_to_start = token(3);
    let a = c.post(&push_to_start, &headers, START).await;
    assert_eq!(a.status, 200, "{}", a.body);

    let activities = |lab: &crate::Lab| -> Vec<Value> {
        lab.get("/api/v1/activities").json()["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let mut listed = Vec::new();
    eventually("the start is applied", Duration::from_secs(20), || {
        listed = activities(&lab);
        !listed.is_empty()
    });
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["start_token"], push_to_start.as_str());
    let update_token = listed[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(update_token.len(), 64);
    assert_ne!(update_token, push_to_start);
    // As a backend asks: the activities this push-to-start token began (any token form).
    let upper = push_to_start.to_uppercase();
    let started = lab.get(&format!("/api/v1/activities?start_token={upper}"));
    assert_eq!(started.status, 200, "{}", started.body);
    assert_eq!(started.json()["items"][0]["id"], update_token.as_str());
    let none = lab.get(&format!("/api/v1/activities?start_token={}", token(9)));
    assert_eq!(none.json()["count"], 0);
    assert_eq!(lab.get("/api/v1/activities?start_token=zz").status, 400);
    assert_eq!(lab.get("/api/v1/activities?team=x").status, 400);
    let one = lab.get(&format!("/api/v1/activities/{update_token}"));
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.json()["phase"], "active");
    // The push-to-start token is no activity's, and the answer says whose token to use.
    let wrong = lab.get(&format!("/api/v1/activities/{push_to_start}"));
    assert_eq!(wrong.status, 404);
    assert!(wrong.body.contains(&update_token), "{}", wrong.body);

    // Sent to the push-to-start token: APNs answers 200, and no activity changes.
    let a = c
        .post(&push_to_start, &headers, &update(1764460900, 1))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    eventually("the miss is recorded", Duration::from_secs(20), || {
        activities(&lab)[0]["last_ignored"]["why"]["why"] == "to_start_token"
    });
    let after = activities(&lab);
    assert_eq!(
        after.len(),
        1,
        "no activity made at the push-to-start token"
    );
    assert_eq!(after[0]["content_state"]["home"], 0);
    assert_eq!(
        after[0]["last_ignored"]["why"]["activity"],
        update_token.as_str()
    );

    // Sent to the update token: applied.
    let a = c
        .post(&update_token, &headers, &update(1764460900, 1))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    eventually("the update is applied", Duration::from_secs(20), || {
        activities(&lab)[0]["content_state"]["home"] == 1
    });
    assert_eq!(activities(&lab)[0]["pushes"], 2);

    // The web inbox names the token updates go to.
    let page = lab.get("/").body;
    assert!(page.contains(&update_token), "the web inbox shows it");
}
