//! The activities as the simulated phone keeps them, push by push. Test code only (`mod tests`
//! is `#[cfg(test)]` in `activity/mod.rs`): its `unwrap`s are assertions.

use super::*;
use serde_json::json;

/// The app's push-to-start token.
const START: &str = "abab";

fn push_to(activities: &Activities, id: &str, aps: Value) -> ActivityOutcome {
    activities.apply_to(
        id,
        "com.x.push-type.liveactivity",
        &json!({ "aps": aps }),
        OffsetDateTime::now_utc(),
    )
}

/// A start to the push-to-start token; the update token the phone made.
fn start(activities: &Activities, ts: i64) -> String {
    let o = push_to(
        activities,
        START,
        json!({"event": "start", "timestamp": ts, "attributes-type": "Match",
               "attributes": {"home": "A"}, "content-state": {"score": 0},
               "alert": {"title": "Kick-off", "body": "A v B"}, "stale-date": ts + 100}),
    );
    assert_eq!(o.ignored, None);
    assert!(o.started());
    o.activity
}

#[test]
fn a_start_creates_the_activity_with_an_update_token_of_its_own() {
    let a = Activities::default();
    let id = start(&a, 100);
    assert_ne!(id, START);
    assert_eq!(id.len(), 64, "a token as Apple's are: {id}");
    assert!(crate::apns::DeviceToken::parse(&id).is_ok());
    assert!(
        a.get(START).is_none(),
        "the push-to-start token is no activity"
    );
    let act = a.get(&id).unwrap();
    assert_eq!(act.start_token.as_deref(), Some(START));
    assert_eq!(a.started_from(START), Some(id.clone()));
    assert!(act.started_by_push);
    assert_eq!(act.attributes_type.as_deref(), Some("Match"));
    assert_eq!(act.attributes["home"], "A");
    assert_eq!(act.content_state["score"], 0);
    assert_eq!(act.title(), "Kick-off");
    assert_eq!(act.alert_body.as_deref(), Some("A v B"));
    assert_eq!(act.phase(150), ActivityPhase::Active);
    assert_eq!(act.phase(200), ActivityPhase::Stale);
}

#[test]
fn an_update_to_the_push_to_start_token_reaches_no_activity() {
    let a = Activities::default();
    let id = start(&a, 100);
    let o = push_to(
        &a,
        START,
        json!({"event": "update", "timestamp": 101, "content-state": {"score": 1}}),
    );
    assert_eq!(
        o.ignored,
        Some(IgnoredWhy::ToStartToken {
            activity: id.clone()
        })
    );
    assert!(o.ignored.unwrap().to_string().contains(&id));
    let act = a.get(&id).unwrap();
    assert_eq!(act.content_state["score"], 0, "unchanged");
    assert!(matches!(
        act.last_ignored.map(|l| l.why),
        Some(IgnoredWhy::ToStartToken { .. })
    ));
    assert_eq!(a.snapshot().len(), 1, "no activity made at the start token");
    // At its own token the same update is applied.
    let o = push_to(
        &a,
        &id,
        json!({"event": "update", "timestamp": 101, "content-state": {"score": 1}}),
    );
    assert_eq!(o.ignored, None);
    assert_eq!(a.get(&id).unwrap().content_state["score"], 1);
}

#[test]
fn each_start_is_a_new_activity_and_the_last_is_followed() {
    let a = Activities::default();
    let first = start(&a, 100);
    push_to(&a, &first, json!({"event": "end", "timestamp": 110}));
    let second = start(&a, 120);
    assert_ne!(first, second);
    assert_eq!(a.snapshot().len(), 2);
    assert!(
        a.get(&first).unwrap().ended_at.is_some(),
        "the first stays ended"
    );
    let act = a.get(&second).unwrap();
    assert_eq!((act.ended_at, act.pushes), (None, 1));
    assert_eq!(a.started_from(START), Some(second));
}

/// The simulator's registry subscribes tokens to channels: one that is a push-to-start
/// token stands for the activity it started last, which a broadcast then updates.
#[test]
fn a_broadcast_to_a_push_to_start_token_updates_the_activity_it_started() {
    let a = Activities::default();
    let id = start(&a, 100);
    let update =
        json!({"aps": {"event": "update", "timestamp": 101, "content-state": {"score": 2}}});
    let o = a.apply_inner(START, "t", &update, OffsetDateTime::now_utc(), true);
    assert_eq!((o.ignored, o.activity.as_str()), (None, id.as_str()));
    assert_eq!(a.get(&id).unwrap().content_state["score"], 2);
    assert_eq!(a.snapshot().len(), 1);
}

/// Apple: an update "older than a previous update or push payload" is ignored. One of the
/// same second is not older: it is applied.
#[test]
fn a_newer_or_equal_update_wins_an_older_one_is_ignored() {
    let a = Activities::default();
    let id = start(&a, 100);
    let newer = push_to(
        &a,
        &id,
        json!({"event": "update", "timestamp": 101, "content-state": {"score": 1}}),
    );
    assert_eq!(newer.ignored, None);
    assert_eq!(a.get(&id).unwrap().content_state["score"], 1);
    let same_second = push_to(
        &a,
        &id,
        json!({"event": "update", "timestamp": 101, "content-state": {"score": 2}}),
    );
    assert_eq!(same_second.ignored, None);
    assert_eq!(a.get(&id).unwrap().content_state["score"], 2);
    for ts in [100, 99] {
        let old = push_to(
            &a,
            &id,
            json!({"event": "update", "timestamp": ts, "content-state": {"score": 9}}),
        );
        assert_eq!(old.ignored, Some(IgnoredWhy::NotNewer { last: 101 }));
        let act = a.get(&id).unwrap();
        assert_eq!(act.content_state["score"], 2, "unchanged");
        assert_eq!(act.timestamp, 101);
        let last = act.last_ignored.unwrap();
        assert_eq!(
            (last.event, last.timestamp),
            (Some(LiveActivityEvent::Update), Some(ts))
        );
        assert!(last.why.to_string().contains("older than the last update"));
    }
    assert_eq!(a.get(&id).unwrap().pushes, 3);
}

#[test]
fn an_end_ends_and_a_later_update_is_ignored() {
    let a = Activities::default();
    let id = start(&a, 100);
    let stale = push_to(&a, &id, json!({"event": "end", "timestamp": 99}));
    assert!(
        stale.ignored.is_some(),
        "an end is ordered by timestamp too"
    );
    let end = push_to(
        &a,
        &id,
        json!({"event": "end", "timestamp": 110, "content-state": {"score": 3}, "dismissal-date": 500}),
    );
    assert_eq!(end.ignored, None);
    let act = a.get(&id).unwrap();
    assert_eq!(act.content_state["score"], 3, "the final state");
    assert_eq!(act.stale_date, Some(200), "kept");
    assert_eq!(act.phase(120), ActivityPhase::Ended);
    assert_eq!(act.phase(500), ActivityPhase::Dismissed);
    let after = push_to(
        &a,
        &id,
        json!({"event": "update", "timestamp": 120, "content-state": {"score": 4}}),
    );
    assert_eq!(after.ignored, Some(IgnoredWhy::Ended));
    assert_eq!(a.get(&id).unwrap().content_state["score"], 3);
}

#[test]
fn an_end_without_a_dismissal_date_goes_after_four_hours() {
    let a = Activities::default();
    let id = start(&a, 100);
    push_to(&a, &id, json!({"event": "end", "timestamp": 110}));
    let act = a.get(&id).unwrap();
    assert_eq!(act.phase(110 + 4 * 3600 - 1), ActivityPhase::Ended);
    assert_eq!(act.phase(110 + 4 * 3600), ActivityPhase::Dismissed);
}

#[test]
fn an_update_to_an_unknown_token_is_an_activity_the_app_started() {
    let a = Activities::default();
    let o = push_to(
        &a,
        "cdcd",
        json!({"event": "update", "timestamp": 5, "content-state": {"eta": "5 min"}}),
    );
    assert_eq!((o.ignored, o.activity.as_str()), (None, "cdcd"));
    let act = a.get("cdcd").unwrap();
    assert!(!act.started_by_push);
    assert_eq!(act.start_token, None);
    assert_eq!(act.title(), "com.x.push-type.liveactivity");
}

#[test]
fn unreadable_pushes_change_nothing_and_other_types_are_not_activities() {
    let a = Activities::default();
    let id = start(&a, 100);
    let o = push_to(
        &a,
        &id,
        json!({"event": "update", "content-state": {"score": 5}}),
    );
    assert_eq!(o.ignored, Some(IgnoredWhy::Unreadable));
    assert_eq!(a.get(&id).unwrap().content_state["score"], 0);
    let loc = push_to(
        &a,
        &id,
        json!({"event": "update", "timestamp": 101, "content-state": {}, "alert": {"title": {"loc-key": "GOAL"}}}),
    );
    assert_eq!(loc.ignored, None);
    assert_eq!(a.get(&id).unwrap().title(), "GOAL");
}

#[test]
fn the_count_is_bounded_and_the_oldest_goes() {
    let a = Activities::default();
    let at = OffsetDateTime::UNIX_EPOCH;
    let mut made = Vec::new();
    for i in 0..=ACTIVITIES_KEPT {
        let o = a.apply_to(
            &i.to_string(),
            "t",
            &json!({"aps": {"event": "start", "timestamp": 1}}),
            at + time::Duration::seconds(i as i64),
        );
        made.push(o.activity);
    }
    let all = a.snapshot();
    assert_eq!(all.len(), ACTIVITIES_KEPT);
    assert_eq!(all[0].id, made[ACTIVITIES_KEPT], "newest first");
    assert!(a.get(&made[0]).is_none(), "the oldest went");
    assert_eq!(a.started_from("0"), None, "and what pointed at it");
    assert_eq!(
        a.started_from(&ACTIVITIES_KEPT.to_string()),
        Some(made[ACTIVITIES_KEPT].clone())
    );
    a.clear();
    assert!(a.snapshot().is_empty());
    assert_eq!(a.started_from("1"), None);
}

#[test]
fn outcomes_read_well_as_json() {
    let a = Activities::default();
    let id = start(&a, 100);
    let o = push_to(
        &a,
        &id,
        json!({"event": "update", "timestamp": 90, "content-state": {}}),
    );
    assert_eq!(
        serde_json::to_value(&o).unwrap(),
        json!({"activity": id, "event": "update", "timestamp": 90,
               "ignored": {"why": "not_newer", "last": 100}})
    );
    let o = push_to(&a, START, json!({"event": "end", "timestamp": 120}));
    assert_eq!(
        serde_json::to_value(&o).unwrap()["ignored"],
        json!({"why": "to_start_token", "activity": id})
    );
}
