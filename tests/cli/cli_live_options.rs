//! A Live Activity push written from options (`--event`, `--content-state`, `--attribute`, …)
//! instead of a hand-written `aps`: the payload Apple's pages show, stamped with the time of
//! sending; an option that does not belong to the event stops the send with its name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use support::pushlab;

const TOKEN_BYTE: &str = "cd";

fn curl_payload(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = pushlab()
        .args(["send", "--server", "local", "--print-curl", "--token"])
        .arg(TOKEN_BYTE.repeat(32))
        .args(args)
        .arg("--data-dir")
        .arg(dir.path().join("sim"))
        // Its own data folder: the stamp is this send's second, not one past another test's.
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data = stdout
        .split("--data '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a --data argument");
    serde_json::from_str(data.trim()).unwrap()
}

fn refused(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = pushlab()
        .args(["send", "--server", "local", "--token"])
        .arg(TOKEN_BYTE.repeat(32))
        .args(args)
        .arg("--data-dir")
        .arg(dir.path().join("sim"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing was sent: {out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn an_update_from_options_is_the_payload_apples_pages_show() {
    let before = now();
    let p = curl_payload(&[
        "--push-type",
        "liveactivity",
        "--event",
        "update",
        "--content-state",
        "status=preparing",
        "--content-state",
        "eta=12",
        "--title",
        "Order 17",
        "--alert",
        "Being prepared",
        "--sound",
        "chime.caf",
        "--stale-date",
        "+900",
        "--priority",
        "5",
    ]);
    let aps = &p["aps"];
    assert_eq!(aps["event"], "update");
    assert_eq!(
        aps["content-state"],
        serde_json::json!({"status": "preparing", "eta": 12})
    );
    assert_eq!(
        aps["alert"],
        serde_json::json!({"title": "Order 17", "body": "Being prepared", "sound": "chime.caf"})
    );
    assert!(aps.get("sound").is_none(), "the sound is in the alert: {p}");
    let stamped = aps["timestamp"].as_i64().unwrap();
    assert!(stamped >= before && stamped <= now(), "{stamped}");
    assert_eq!(aps["stale-date"].as_i64().unwrap() - stamped, 900);
}

/// Apple takes Live Activities only over a token-based connection: with a certificate (here
/// the simulator's test one) that is said before sending; with no credential at all,
/// `--server local` makes a throwaway test auth key rather than a certificate, and says so.
#[test]
fn a_live_activity_with_a_certificate_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let sim = dir.path().join("sim");
    let cert = dir.path().join("ck.pem");
    let issued = pushlab()
        .args([
            "sim",
            "issue-cert",
            "--bundle-id",
            "com.example.app",
            "--out",
        ])
        .arg(&cert)
        .arg("--data-dir")
        .arg(&sim)
        .output()
        .unwrap();
    assert!(issued.status.success(), "{issued:?}");
    let send = |credential: &[&std::ffi::OsStr]| {
        let out = pushlab()
            .args(["send", "--server", "local", "--print-curl", "--token"])
            .arg(TOKEN_BYTE.repeat(32))
            .args(["--push-type", "liveactivity", "--event", "update"])
            .args(["--content-state", "a=1", "--data-dir"])
            .arg(&sim)
            .args(credential)
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    const WARNING: &str =
        "warning: Apple accepts liveactivity pushes only over a token-based connection";
    let err = send(&["--cert".as_ref(), cert.as_os_str()]);
    assert!(err.contains(WARNING), "{err}");
    // Sent anyway, the simulator refuses it as Apple would, and the answer says why.
    let out = pushlab()
        .args(["send", "--server", "local", "--token"])
        .arg(TOKEN_BYTE.repeat(32))
        .args(["--push-type", "liveactivity", "--event", "update"])
        .args(["--content-state", "a=1", "--data-dir"])
        .arg(&sim)
        .arg("--cert")
        .arg(&cert)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{answer}");
    assert!(answer.contains("400 TopicDisallowed"), "{answer}");
    assert!(
        answer.contains("Apple takes liveactivity pushes only over a token-based connection"),
        "{answer}"
    );
    // A batch's summary says the same beside the count of refusals.
    let tokens = crate::support::write(
        dir.path(),
        "tokens.txt",
        format!("{}\n{}\n", "a1".repeat(32), "a2".repeat(32)).as_bytes(),
    );
    let payload = crate::support::write(
        dir.path(),
        "update.json",
        br#"{"aps":{"event":"update","timestamp":1764460800,"content-state":{"a":1}}}"#,
    );
    let out = pushlab()
        .args(["batch", "--server", "local", "--push-type", "liveactivity"])
        .arg("--tokens")
        .arg(&tokens)
        .arg("--payload")
        .arg(&payload)
        .arg("--cert")
        .arg(&cert)
        .arg("--data-dir")
        .arg(&sim)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&out.stdout);
    // The count's line, after the one line per token.
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with("2  TopicDisallowed"))
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(
        line.contains("Apple takes liveactivity pushes only over a token-based connection"),
        "{line}"
    );
    let err = send(&[]);
    assert!(!err.contains(WARNING), "{err}");
    assert!(
        err.contains("note: no --auth-key given; using a throwaway test auth key"),
        "{err}"
    );
}

#[test]
fn a_start_has_its_attributes_and_an_end_its_dismissal_date() {
    let p = curl_payload(&[
        "--push-type",
        "liveactivity",
        "--event",
        "start",
        "--attributes-type",
        "DeliveryAttributes",
        "--attribute",
        "order=A-17",
        "--content-state",
        "status=preparing",
        "--title",
        "Order placed",
        "--input-push-token",
        "--input-push-channel",
        "dHN0LWNoYW5uZWw=",
    ]);
    assert_eq!(p["aps"]["attributes-type"], "DeliveryAttributes");
    assert_eq!(p["aps"]["input-push-token"], 1);
    assert_eq!(p["aps"]["input-push-channel"], "dHN0LWNoYW5uZWw=");
    assert_eq!(p["aps"]["attributes"], serde_json::json!({"order": "A-17"}));
    let p = curl_payload(&[
        "--push-type",
        "liveactivity",
        "--event",
        "end",
        "--dismissal-date",
        "now",
    ]);
    assert_eq!(p["aps"]["event"], "end");
    assert_eq!(p["aps"]["dismissal-date"], p["aps"]["timestamp"]);
}

#[test]
fn options_that_do_not_belong_stop_the_send_with_their_names() {
    let e = refused(&["--event", "update", "--content-state", "a=1"]);
    assert!(e.contains("--push-type liveactivity"), "{e}");
    let e = refused(&["--push-type", "liveactivity", "--title", "Goal"]);
    assert!(e.contains("needs --event"), "{e}");
    let e = refused(&[
        "--push-type",
        "liveactivity",
        "--event",
        "update",
        "--badge",
        "3",
        "--subtitle",
        "x",
    ]);
    assert!(
        e.contains("--subtitle, --badge are not part of a Live Activity"),
        "{e}"
    );
    let e = refused(&[
        "--push-type",
        "liveactivity",
        "--event",
        "update",
        "--attribute",
        "order=A-17",
    ]);
    assert!(e.contains("are for --event start"), "{e}");
    let e = refused(&[
        "--push-type",
        "liveactivity",
        "--event",
        "update",
        "--input-push-token",
    ]);
    assert!(e.contains("are for --event start"), "{e}");
    let e = refused(&[
        "--push-type",
        "liveactivity",
        "--event",
        "start",
        "--attributes-type",
        "A",
        "--input-push-channel",
        "not base64!",
    ]);
    assert!(e.contains("--input-push-channel"), "{e}");
    let e = refused(&["--push-type", "liveactivity", "--event", "later"]);
    assert!(e.contains("start, update or end"), "{e}");
}

/// Judged by `pushlab sim`'s own line: a start, an update and an end written from options
/// and sent one after another, as a script does, are each applied to the activity, each with
/// a timestamp above the last: stamped with the clock's second alone, pushes of one second
/// tied, and which one a phone kept depended on the order APNs delivered them in.
#[test]
fn pushes_from_options_in_one_second_are_each_applied_by_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let (mut sim, credential) = support::cli::sim_with_key(dir.path());
    let data = dir.path().join("data");
    let send = |token: &str, extra: &[&str]| {
        let out = pushlab()
            .args(["send", "--server", &sim.addr, "--push-type", "liveactivity"])
            .args(["--token", token, "--priority", "5"])
            .args(["--topic", "com.example.app.push-type.liveactivity"])
            .args(&credential)
            .env("XDG_DATA_HOME", &data)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    };
    let start = [
        "--event",
        "start",
        "--attributes-type",
        "Match",
        "--content-state",
        "score=0",
        "--title",
        "Kick-off",
    ];
    send(&TOKEN_BYTE.repeat(32), &start);
    // The timestamp a line says was applied.
    let stamp = |line: &str| -> i64 {
        line.split("(timestamp ")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("no timestamp on {line}"))
    };
    let line = sim.lines.wait_for(|l| l.contains("live activity start"));
    assert!(line.contains("live activity start: applied"), "{line}");
    let mut last = stamp(&line);
    // Updates and the end go to the activity's own token, as a backend learns it.
    let update_token = support::cli::update_token_in(&line);
    for score in 1..=3 {
        send(
            &update_token,
            &[
                "--event",
                "update",
                "--content-state",
                &format!("score={score}"),
            ],
        );
        let line = sim.lines.wait_for(|l| l.contains("live activity update"));
        assert!(line.contains("live activity update: applied"), "{line}");
        assert!(stamp(&line) > last, "{line} after {last}");
        last = stamp(&line);
    }
    send(
        &update_token,
        &["--event", "end", "--dismissal-date", "now"],
    );
    let line = sim.lines.wait_for(|l| l.contains("live activity end"));
    assert!(line.contains("live activity end: applied"), "{line}");
    assert!(stamp(&line) > last, "{line} after {last}");
}
