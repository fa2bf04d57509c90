//! The doctor and `send` must agree, for every push type: with the same credential, token,
//! push type and payload, a push `send` gets delivered is one the doctor calls delivered, and
//! the simulator's own record shows both pushes went the same way (push type and topic).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use pushlab::apns::PushType;
use serde_json::Value;
use support::doctor::{Sim, sim, token};

/// The simulator's line for the push to `token`: "STATUS REASON PUSH-TYPE TOPIC TOKEN …".
fn record(sim: &mut Sim, token: &str) -> Vec<String> {
    let short = pushlab::apns::DeviceToken::parse(token).unwrap().short();
    let line = sim.lines.wait_for(|l| l.contains(&short));
    let mut words = line.split_whitespace().map(str::to_owned);
    // status, what (reason or "delivered"), push type, topic
    (0..4).filter_map(|_| words.next()).collect()
}

#[test]
fn the_doctor_and_send_agree_for_every_push_type() {
    let dir = tempfile::tempdir().unwrap();
    let tokens: String = (0..PushType::ALL.len() as u8 * 2)
        .map(|n| format!("{}\n", token(n + 1)))
        .collect();
    let mut s = sim(dir.path(), "sandbox", "sandbox", &tokens);
    let cert = s.dev_cert();
    let mut delivered = Vec::new();
    for (i, push_type) in PushType::ALL.into_iter().enumerate() {
        let name = push_type.as_str();
        let payload = support::write(
            dir.path(),
            &format!("{name}.json"),
            &serde_json::to_vec(&pushlab::apns::template(push_type)).unwrap(),
        );
        let common = |command: &str, token: &str| {
            let mut c = support::pushlab();
            c.args([command, "--json", "--server", &s.addr, "--push-type", name])
                .args(["--token", token, "--cert"])
                .arg(&cert)
                .arg("--ca")
                .arg(&s.ca)
                .arg("--payload")
                .arg(&payload);
            c
        };
        let (send_token, doctor_token) = (token(2 * i as u8 + 1), token(2 * i as u8 + 2));
        let sent = common("send", &send_token).output().unwrap();
        let sent: Value = serde_json::from_slice(&sent.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&sent.stderr)));
        let diagnosis = common("doctor", &doctor_token)
            .args(["--environment", "sandbox", "--timeout", "5"])
            .output()
            .unwrap();
        let diagnosis: Value = serde_json::from_slice(&diagnosis.stdout).unwrap_or_else(|e| {
            panic!(
                "{name}: {e}: {}",
                String::from_utf8_lossy(&diagnosis.stderr)
            )
        });
        let verdict = diagnosis["verdict"]["cause"].as_str().unwrap();
        if sent["status"] == 200 {
            delivered.push(push_type);
            assert_eq!(verdict, "delivered", "{name}: {diagnosis:#}");
            // The simulator saw the same push twice: same status, push type and topic.
            assert_eq!(
                record(&mut s, &send_token),
                record(&mut s, &doctor_token),
                "{name}"
            );
        } else {
            // Refused by `send`: the doctor names the same reason, and never "delivered".
            let reason = sent["reason"].as_str().unwrap();
            assert_ne!(verdict, "delivered", "{name}: {diagnosis:#}");
            assert!(
                diagnosis.to_string().contains(reason),
                "{name}: send got {reason}; the doctor said {diagnosis:#}"
            );
        }
    }
    // With a certificate Apple takes neither location pushes nor Live Activities, and the
    // simulator refuses both.
    let expected: Vec<PushType> = PushType::ALL
        .into_iter()
        .filter(|p| p.works_with_certificate())
        .collect();
    assert_eq!(delivered, expected);
}

/// `doctor` defaults to where `send` goes: the in-process simulator, with a throwaway test
/// certificate when none is given (a test auth key for the push types Apple takes only
/// token-based).
#[test]
fn the_doctor_asks_the_local_simulator_by_default() {
    for push_type in [PushType::Alert, PushType::LiveActivity, PushType::Voip] {
        let dir = tempfile::tempdir().unwrap();
        let out = support::pushlab()
            .args(["doctor", "--json", "--push-type", push_type.as_str()])
            .args(["--bundle-id", "com.example.doorbell", "--token", &token(1)])
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{push_type}: {e}: {stderr}"));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{push_type}: {json:#}\n{stderr}"
        );
        assert_eq!(
            json["verdict"]["cause"], "delivered",
            "{push_type}: {json:#}"
        );
        // A throwaway credential Apple would take for the push type.
        let made = if push_type.works_with_certificate() {
            "using a test certificate for com.example.doorbell"
        } else {
            "using a throwaway test auth key"
        };
        assert!(stderr.contains(made), "{push_type}: {stderr}");
        // The same with --server local said out loud.
        let out = support::pushlab()
            .args(["doctor", "--json", "--server", "local", "--no-send"])
            .args(["--push-type", push_type.as_str(), "--token", &token(1)])
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{json:#}");
        assert_eq!(json["verdict"]["cause"], "none_found", "{json:#}");
        let sentence = json["verdict"]["sentence"].as_str().unwrap();
        assert!(sentence.contains("--no-send"), "{sentence}");
    }
}

/// Without a credential against a server, the doctor asks for the credential, not for the
/// device token it was given.
#[test]
fn without_a_credential_the_doctor_asks_for_one_not_for_the_token_it_has() {
    let out = support::pushlab()
        .args([
            "doctor",
            "--json",
            "--server",
            "sandbox",
            "--token",
            &token(1),
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sentence = json["verdict"]["sentence"].as_str().unwrap();
    assert!(!sentence.contains("give a device token"), "{sentence}");
    assert!(sentence.contains("--cert FILE"), "{sentence}");
    assert_eq!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["cause"] == "network_skipped")
            .unwrap()["status"],
        "skipped"
    );
}
