//! The check's last step: an authenticated request for a token that cannot exist, and what
//! the server's answer (or its silence) says of the connection and the credential.

use super::{CheckReport, PROBE_TOKEN_PATH, Step, StepStatus};
use crate::apns::{Notification, PushType, Reason};
use crate::client::check_words::{StepFix, StepSentence};
use crate::client::{ClientAuth, Connection, PushResponse, SendError, TlsAlert, Unprocessed};

/// The auth step's result, before its time is filled in: its English and the same as values.
fn auth_step(
    status: StepStatus,
    detail: String,
    fix: Option<&str>,
    sentence: StepSentence,
    fix_sentence: Option<StepFix>,
) -> Step {
    Step {
        name: "auth",
        status,
        ms: 0.0,
        detail,
        fix: fix.map(str::to_owned),
        sentence,
        fix_sentence,
    }
}

pub(super) async fn probe(
    conn: &Connection,
    auth: &ClientAuth,
    topic: Option<&str>,
    push_type: PushType,
    report: &mut CheckReport,
) -> Step {
    // The probe's token is not hex, so build the request by hand around a placeholder token.
    let placeholder = crate::apns::DeviceToken::placeholder();
    let mut n = Notification::new(placeholder, push_type, &b"{\"aps\":{}}"[..]);
    n.topic = topic.map(str::to_owned).or_else(|| auth.default_topic());
    // A background push at the default priority 10 is refused for its priority, not its
    // credential: probe at the push type's own priority.
    n.priority = Some(push_type.default_priority());
    let result = conn
        .send_to_path(&n, &format!("/3/device/{PROBE_TOKEN_PATH}"))
        .await;
    let answer = match result {
        Ok(a) => a,
        Err(e) => return probe_unanswered(&e, auth),
    };
    report.probe_status = Some(answer.status);
    report.probe_reason = answer.reason.clone();
    report.server_time = answer.server_time;
    report.local_time = Some(time::OffsetDateTime::now_utc().unix_timestamp());
    judge_probe_answer(&answer)
}

/// The probe got no answer: why that is, and what it says (or does not) of the credential.
fn probe_unanswered(e: &SendError, auth: &ClientAuth) -> Step {
    let (fix, code) = match (e, auth) {
        // The server closing or restarting says nothing about the credential.
        (
            SendError::NotProcessed {
                cause: Unprocessed::GoAway,
                ..
            },
            _,
        ) => (
            "the server sent GOAWAY: it is shutting down or restarting the connection, which says nothing about the credential; run the check again",
            StepFix::GoAway,
        ),
        (e, _)
            if e.to_string().contains("error received:")
                && TlsAlert::of_text(&e.to_string()).is_none() =>
        {
            (
                "the server ended the request with an HTTP/2 error (above), not a verdict on the credential; run the check again, and if it persists check the server",
                StepFix::Http2Error,
            )
        }
        (_, ClientAuth::Certificate(_)) => (
            "with TLS 1.3 a server that rejects the client certificate says so only now: check the certificate is an APNs certificate for this server's environment, issued by a CA it trusts",
            StepFix::CertificateRejected,
        ),
        (_, ClientAuth::Token(_)) => ("check the server is an APNs server", StepFix::NotApns),
    };
    auth_step(
        StepStatus::Failed,
        format!("no answer to the authenticated request: {e}"),
        Some(fix),
        StepSentence::ProbeFailed {
            error: e.to_string(),
        },
        Some(code),
    )
}

/// What the probe's answer says: BadDeviceToken is the pass (the credential was accepted and
/// only the invalid token refused); anything else is explained.
fn judge_probe_answer(answer: &PushResponse) -> Step {
    // Too long for one line: rustfmt leaves a `match` holding such a literal unformatted.
    const ACCEPTED: &str = "the server accepted the connection and the credential \
        (it rejected only the deliberately invalid token)";
    const NOT_VALIDATED: &str =
        "the server accepted a push to an invalid token — it does not validate like APNs";
    let reason_fix = |r: Reason| Some(StepFix::Reason(r));
    let failed = StepStatus::Failed;
    let status = answer.status;
    match (answer.status, answer.known_reason()) {
        (400, Some(Reason::BadDeviceToken)) => auth_step(
            StepStatus::Passed,
            ACCEPTED.to_owned(),
            None,
            StepSentence::AuthOk,
            None,
        ),
        (_, Some(r)) if r.status() == 403 => auth_step(
            failed,
            format!("{status} {r}: {}", r.meaning()),
            Some(r.fix()),
            StepSentence::Refused { status, reason: r },
            reason_fix(r),
        ),
        (_, Some(r @ (Reason::BadTopic | Reason::TopicDisallowed | Reason::MissingTopic))) => {
            auth_step(
                failed,
                format!(
                    "the credential was accepted but the topic was refused: {status} {r}: {}",
                    r.meaning()
                ),
                Some(r.fix()),
                StepSentence::TopicRefused { status, reason: r },
                reason_fix(r),
            )
        }
        (status, Some(r)) => auth_step(
            failed,
            format!("unexpected answer {status} {r}: {}", r.meaning()),
            Some(r.fix()),
            StepSentence::UnexpectedReason { status, reason: r },
            reason_fix(r),
        ),
        (200, None) => auth_step(
            failed,
            NOT_VALIDATED.to_owned(),
            None,
            StepSentence::AcceptsInvalidToken,
            None,
        ),
        (status, None) => auth_step(
            failed,
            format!(
                "unexpected answer {status} {}",
                answer.reason.as_deref().unwrap_or("without a reason")
            ),
            Some("check the host is an APNs server"),
            StepSentence::UnexpectedAnswer {
                status,
                reason: answer.reason.as_deref().unwrap_or("-").to_owned(),
            },
            Some(StepFix::NotApns),
        ),
    }
}
