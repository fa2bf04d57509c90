//! The connection check: the tutorials' `telnet gateway 2195` and `openssl s_client -cert …`,
//! done properly: each step timed, and on failure a cause and a fix.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::{ClientAuth, ConnectError, Connection, Target, TlsDetails, connection};
use crate::apns::{Notification, PushType, Reason};
use crate::proxy::{Proxy, ProxyError};
use crate::words::Said;

use super::check_words::{error_said, fix_said_for, proxy_error_said, proxy_fix_said, root_code};

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Passed,
    Failed,
    Skipped,
}

/// One step of the check.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `dns`, `tcp`, `tls`, `http2`, `auth`; through a proxy `dns` (the proxy's host), `proxy`
    /// (TCP to it), `tunnel` (its answer to CONNECT or the SOCKS5 request), then `tls`….
    pub name: &'static str,
    pub status: StepStatus,
    pub ms: f64,
    /// What happened, in a sentence.
    pub detail: String,
    /// On failure: what to do.
    pub fix: Option<String>,
    /// `detail` as data (kind `check`), for front ends in other languages; `None` where the
    /// detail is an error's own words.
    #[serde(skip)]
    pub detail_said: Option<Said>,
    /// `fix` as data, when there is a sentence for it.
    #[serde(skip)]
    pub fix_said: Option<Said>,
}

/// The whole check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub target: String,
    pub steps: Vec<Step>,
    pub addresses: Vec<String>,
    /// The proxy the connection went through, its password hidden.
    pub proxy: Option<String>,
    pub tls: Option<TlsDetails>,
    pub max_concurrent_streams: Option<usize>,
    /// The probe's answer, when it got one.
    pub probe_status: Option<u16>,
    pub probe_reason: Option<crate::apns::ServerReason>,
    /// The server's clock from the probe's `date` header (Unix seconds), and this
    /// computer's when the answer came.
    pub server_time: Option<i64>,
    pub local_time: Option<i64>,
    /// What the check cannot prove.
    pub caveat: String,
}

impl CheckReport {
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.status != StepStatus::Failed)
    }
}

/// The device token path the probe uses: not hex, so it can never reach a device.
pub const PROBE_TOKEN_PATH: &str = "pushlab-connection-check";

/// Emitted as each step finishes, for a live checklist.
pub type StepSink<'a> = &'a mut (dyn FnMut(&Step) + Send);

/// Runs the check against `target`. `topic` is sent with the probe when given, as the push
/// type its suffix names (`….push-type.liveactivity` as a Live Activity update): a topic
/// sent with the wrong push type is refused as BadTopic.
pub async fn check(
    target: &Target,
    auth: &ClientAuth,
    topic: Option<&str>,
    timeout: Duration,
    on_step: StepSink<'_>,
) -> CheckReport {
    let push_type = topic.map_or(PushType::Alert, PushType::of_topic);
    check_as(target, auth, topic, push_type, timeout, on_step).await
}

/// [`check`] with the probe sent as `push_type`, the push the caller is about to send (the
/// doctor's), so the probe's topic is judged as that push's will be.
pub async fn check_as(
    target: &Target,
    auth: &ClientAuth,
    topic: Option<&str>,
    push_type: PushType,
    timeout: Duration,
    on_step: StepSink<'_>,
) -> CheckReport {
    let mut report = CheckReport {
        target: target.label.to_string(),
        steps: Vec::new(),
        addresses: Vec::new(),
        proxy: None,
        tls: None,
        max_concurrent_streams: None,
        probe_status: None,
        probe_reason: None,
        server_time: None,
        local_time: None,
        caveat: "The probe sends a request for a deliberately invalid device token, so nothing is delivered. BadDeviceToken shows the connection and the credential were accepted; it does not prove the topic is right, because Apple does not document whether APNs checks the topic before the token.".to_owned(),
    };
    let mut push = |report: &mut CheckReport, step: Step| {
        on_step(&step);
        report.steps.push(step);
    };
    let names: &[&'static str] = if target.proxy.is_some() {
        &["dns", "proxy", "tunnel", "tls", "http2", "auth"]
    } else {
        &["dns", "tcp", "tls", "http2", "auth"]
    };
    // Marks every step after `failed` as not run.
    let skip_rest =
        |report: &mut CheckReport, push: &mut dyn FnMut(&mut CheckReport, Step), failed: &str| {
            let from = names.iter().position(|n| *n == failed).map_or(0, |i| i + 1);
            for name in &names[from..] {
                push(
                    report,
                    Step {
                        name,
                        status: StepStatus::Skipped,
                        ms: 0.0,
                        detail: "not run: an earlier step failed".to_owned(),
                        fix: None,
                        detail_said: Some(Said::new("check", "not_run")),
                        fix_said: None,
                    },
                );
            }
        };
    let failed = |name: &'static str, ms: f64, e: &ConnectError| Step {
        name,
        status: StepStatus::Failed,
        ms,
        detail: e.to_string(),
        fix: Some(fix_for(e)),
        detail_said: error_said(e),
        fix_said: fix_said_for(e),
    };

    let tcp = match &target.proxy {
        Some(proxy) => {
            report.proxy = Some(proxy.redacted());
            match through_proxy(proxy, target, timeout, &mut report, &mut push).await {
                Ok(s) => s,
                Err(failed_step) => {
                    skip_rest(&mut report, &mut push, failed_step);
                    return report;
                }
            }
        }
        None => {
            let t = Instant::now();
            let addrs = match connection::resolve(target, timeout).await {
                Ok(a) => a,
                Err(e) => {
                    push(&mut report, failed("dns", ms(t), &e));
                    skip_rest(&mut report, &mut push, "dns");
                    return report;
                }
            };
            report.addresses = addrs.iter().map(|a| a.ip().to_string()).collect();
            let (detail, said) = if target.host.parse::<std::net::IpAddr>().is_ok() {
                (
                    format!("{} is an address; no lookup needed", target.host),
                    Said::new("check", "dns_address").arg("host", target.host.as_str()),
                )
            } else {
                let addresses = report.addresses.join(", ");
                (
                    format!("{} → {addresses}", target.host),
                    Said::new("check", "dns_resolved")
                        .arg("host", target.host.as_str())
                        .arg("addresses", addresses),
                )
            };
            push(&mut report, passed("dns", t, detail, Some(said)));

            let t = Instant::now();
            let tcp = match connection::tcp(&addrs, timeout).await {
                Ok(s) => s,
                Err(e) => {
                    push(&mut report, failed("tcp", ms(t), &e));
                    skip_rest(&mut report, &mut push, "tcp");
                    return report;
                }
            };
            let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
            push(
                &mut report,
                passed(
                    "tcp",
                    t,
                    format!("connected to {peer}"),
                    Some(Said::new("check", "tcp_connected").arg("peer", peer.as_str())),
                ),
            );
            tcp
        }
    };

    let t = Instant::now();
    let (tls, tls_step) = match connection::tls(tcp, target, auth, timeout).await {
        Ok((s, details)) => {
            let leaf = details.chain.first();
            let root = details.chain.last();
            let said = Said::new("check", "tls_verified")
                .arg("version", details.version.as_str())
                .arg("cipher", details.cipher.as_str())
                .arg("alpn", details.alpn.as_deref().unwrap_or("-"))
                .arg("subject", leaf.map(|c| c.subject.as_str()).unwrap_or("?"))
                .arg("issuer", root.map(|c| c.issuer.as_str()).unwrap_or("-"))
                .arg("root", root.map_or("none", |c| root_code(&c.issuer)));
            // Held back until HTTP/2 is up: with TLS 1.3 the server's verdict on the client
            // certificate arrives with the first read, and then the TLS step did not pass.
            let step = Step {
                name: "tls",
                status: StepStatus::Passed,
                ms: ms(t),
                detail: format!(
                    "{} {}, ALPN {}, server certificate verified: {}{}",
                    details.version,
                    details.cipher,
                    details.alpn.as_deref().unwrap_or("none"),
                    leaf.map(|c| c.subject.as_str()).unwrap_or("?"),
                    details
                        .chain
                        .last()
                        .map(|c| format!(" (issued under {}{})", c.issuer, root_note(&c.issuer)))
                        .unwrap_or_default()
                ),
                fix: None,
                detail_said: Some(said),
                fix_said: None,
            };
            report.tls = Some(details);
            (s, step)
        }
        Err(e @ ConnectError::NoHttp2 { .. }) => {
            // The handshake itself worked; the server just does not speak HTTP/2.
            push(
                &mut report,
                Step {
                    name: "tls",
                    status: StepStatus::Passed,
                    ms: ms(t),
                    detail: "TLS handshake done".to_owned(),
                    fix: None,
                    detail_said: Some(Said::new("check", "tls_done")),
                    fix_said: None,
                },
            );
            push(&mut report, failed("http2", 0.0, &e));
            skip_rest(&mut report, &mut push, "http2");
            return report;
        }
        Err(e) => {
            push(&mut report, failed("tls", ms(t), &e));
            skip_rest(&mut report, &mut push, "tls");
            return report;
        }
    };

    let tls_ms = tls_step.ms;
    let t = Instant::now();
    let conn = match connection::http2(tls, target, auth, timeout).await {
        Ok(c) => c,
        Err(e) if e.is_certificate_rejected_after_handshake() => {
            push(&mut report, failed("tls", tls_ms + ms(t), &e));
            skip_rest(&mut report, &mut push, "tls");
            return report;
        }
        Err(e) => {
            push(&mut report, tls_step);
            push(&mut report, failed("http2", ms(t), &e));
            skip_rest(&mut report, &mut push, "http2");
            return report;
        }
    };
    push(&mut report, tls_step);
    let streams = conn.max_concurrent_streams();
    report.max_concurrent_streams = (streams != usize::MAX).then_some(streams);
    let (detail, said) = match report.max_concurrent_streams {
        Some(n) => (
            format!("HTTP/2 ready; the server allows {n} concurrent streams"),
            Said::new("check", "http2_streams").arg("streams", n),
        ),
        None => (
            "HTTP/2 ready; the server set no stream limit".to_owned(),
            Said::new("check", "http2_no_limit"),
        ),
    };
    push(
        &mut report,
        Step {
            name: "http2",
            status: StepStatus::Passed,
            ms: ms(t),
            detail,
            fix: None,
            detail_said: Some(said),
            fix_said: None,
        },
    );

    let t = Instant::now();
    let step = probe(&conn, auth, topic, push_type, &mut report).await;
    push(&mut report, Step { ms: ms(t), ..step });
    report
}

fn passed(name: &'static str, t: Instant, detail: String, said: Option<Said>) -> Step {
    Step {
        name,
        status: StepStatus::Passed,
        ms: ms(t),
        detail,
        fix: None,
        detail_said: said,
        fix_said: None,
    }
}

/// The proxy's steps: its host looked up (`dns`; Apple's host is the proxy's to resolve), TCP
/// to it (`proxy`), and its answer to the tunnel request (`tunnel`). On failure, the name of
/// the step that failed.
async fn through_proxy(
    proxy: &Proxy,
    target: &Target,
    timeout: Duration,
    report: &mut CheckReport,
    push: &mut (dyn FnMut(&mut CheckReport, Step) + Send),
) -> Result<tokio::net::TcpStream, &'static str> {
    let fail = |name: &'static str, t: Instant, e: ProxyError| Step {
        name,
        status: StepStatus::Failed,
        ms: ms(t),
        detail: e.to_string(),
        fix: Some(e.fix().to_owned()),
        detail_said: Some(proxy_error_said(&e)),
        fix_said: Some(proxy_fix_said(&e)),
    };
    let t = Instant::now();
    let addrs = match crate::proxy::tunnel::resolve(proxy, timeout).await {
        Ok(a) => a,
        Err(e) => {
            push(report, fail("dns", t, e));
            return Err("dns");
        }
    };
    report.addresses = addrs.iter().map(|a| a.ip().to_string()).collect();
    let found = if proxy.host.parse::<std::net::IpAddr>().is_ok() {
        "is an address, no lookup needed".to_owned()
    } else {
        format!("is at {}", report.addresses.join(", "))
    };
    let detail = if target.host.parse::<std::net::IpAddr>().is_ok() {
        format!("the proxy {} {found}", proxy.host)
    } else {
        format!(
            "the proxy {} {found}; {} is resolved by the proxy",
            proxy.host, target.host
        )
    };
    push(report, passed("dns", t, detail, None));

    let t = Instant::now();
    let stream = match crate::proxy::reach(proxy, &addrs, timeout).await {
        Ok(s) => s,
        Err(e) => {
            push(report, fail("proxy", t, e));
            return Err("proxy");
        }
    };
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    push(
        report,
        passed(
            "proxy",
            t,
            format!("connected to the proxy {proxy} at {peer}"),
            None,
        ),
    );

    let t = Instant::now();
    match crate::proxy::handshake(stream, proxy, &target.host, target.port, timeout).await {
        Ok((s, detail)) => {
            push(report, passed("tunnel", t, detail, None));
            Ok(s)
        }
        Err(e) => {
            push(report, fail("tunnel", t, e));
            Err("tunnel")
        }
    }
}

async fn probe(
    conn: &Connection,
    auth: &ClientAuth,
    topic: Option<&str>,
    push_type: PushType,
    report: &mut CheckReport,
) -> Step {
    let step = |status, detail: String, fix: Option<&str>| Step {
        name: "auth",
        status,
        ms: 0.0,
        detail,
        fix: fix.map(str::to_owned),
        detail_said: None,
        fix_said: None,
    };
    // The same, with its sentences as data.
    let said = |step: Step, detail: Said, fix: Option<Said>| Step {
        detail_said: Some(detail),
        fix_said: fix,
        ..step
    };
    let reason_fix = |r: Reason| Some(Said::new("reason-fix", r.as_str()));
    // The probe's token is not hex, so build the request by hand around a placeholder token.
    let Ok(placeholder) = crate::apns::DeviceToken::from_bytes(vec![0; 32]) else {
        return step(
            StepStatus::Failed,
            "internal error building the probe".to_owned(),
            None,
        );
    };
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
        Err(e) => {
            let (fix, code) = match (&e, auth) {
                // The server closing or restarting says nothing about the credential.
                (
                    super::SendError::NotProcessed {
                        cause: super::Unprocessed::GoAway,
                        ..
                    },
                    _,
                ) => (
                    "the server sent GOAWAY: it is shutting down or restarting the connection, which says nothing about the credential; run the check again",
                    "fix_goaway",
                ),
                (e, _)
                    if e.to_string().contains("error received:")
                        && super::TlsAlert::of_text(&e.to_string()).is_none() =>
                {
                    (
                        "the server ended the request with an HTTP/2 error (above), not a verdict on the credential; run the check again, and if it persists check the server",
                        "fix_http2_error",
                    )
                }
                (_, ClientAuth::Certificate(_)) => (
                    "with TLS 1.3 a server that rejects the client certificate says so only now: check the certificate is an APNs certificate for this server's environment, issued by a CA it trusts",
                    "fix_certificate_rejected",
                ),
                (_, ClientAuth::Token(_)) => ("check the server is an APNs server", "fix_not_apns"),
            };
            return said(
                step(
                    StepStatus::Failed,
                    format!("no answer to the authenticated request: {e}"),
                    Some(fix),
                ),
                Said::new("check", "probe_failed").arg("error", e.to_string()),
                Some(Said::new("check", code)),
            );
        }
    };
    report.probe_status = Some(answer.status);
    report.probe_reason = answer.reason.clone();
    report.server_time = answer.server_time;
    report.local_time = Some(time::OffsetDateTime::now_utc().unix_timestamp());
    let reason = answer.known_reason();
    let answered = |code, r: Reason| {
        Said::new("check", code)
            .arg("status", answer.status.to_string())
            .arg("reason", r.as_str())
            .arg("meaning", Said::new("reason-meaning", r.as_str()))
    };
    match (answer.status, reason) {
        (400, Some(Reason::BadDeviceToken)) => said(
            step(
                StepStatus::Passed,
                "the server accepted the connection and the credential (it rejected only the deliberately invalid token)".to_owned(),
                None,
            ),
            Said::new("check", "auth_ok"),
            None,
        ),
        (_, Some(r)) if r.status() == 403 => said(
            step(StepStatus::Failed, format!("{} {}: {}", answer.status, r, r.meaning()), Some(r.fix())),
            answered("refused", r),
            reason_fix(r),
        ),
        (_, Some(r @ (Reason::BadTopic | Reason::TopicDisallowed | Reason::MissingTopic))) => said(
            step(
                StepStatus::Failed,
                format!("the credential was accepted but the topic was refused: {} {}: {}", answer.status, r, r.meaning()),
                Some(r.fix()),
            ),
            answered("topic_refused", r),
            reason_fix(r),
        ),
        (status, Some(r)) => said(
            step(
                StepStatus::Failed,
                format!("unexpected answer {status} {r}: {}", r.meaning()),
                Some(r.fix()),
            ),
            answered("unexpected_reason", r),
            reason_fix(r),
        ),
        (200, None) => said(
            step(
                StepStatus::Failed,
                "the server accepted a push to an invalid token — it does not validate like APNs".to_owned(),
                None,
            ),
            Said::new("check", "accepts_invalid_token"),
            None,
        ),
        (status, None) => {
            let reason = answer.reason.as_deref().unwrap_or("-");
            said(
                step(
                    StepStatus::Failed,
                    format!("unexpected answer {status} {}", answer.reason.as_deref().unwrap_or("without a reason")),
                    Some("check the host is an APNs server"),
                ),
                Said::new("check", "unexpected_answer")
                    .arg("status", status.to_string())
                    .arg("reason", reason),
                Some(Said::new("check", "fix_not_apns")),
            )
        }
    }
}

/// Apple moved its APNs servers to a new root in 2025 (sandbox 20 January, production 24
/// February); saying which one answered explains a trust failure on an old CA store.
fn root_note(issuer: &str) -> &'static str {
    if issuer.contains("USERTrust RSA") {
        " — the root Apple's APNs servers use since 2025"
    } else if issuer.contains("GeoTrust") || issuer.contains("AAA Certificate Services") {
        " — the root Apple's APNs servers used before 2025"
    } else {
        ""
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn fix_for(e: &ConnectError) -> String {
    match e {
        ConnectError::Dns { .. } => "check the host name and DNS; behind a proxy, give it with --proxy URL (or HTTPS_PROXY): the proxy then resolves the name".to_owned(),
        ConnectError::Refused { .. } => "start the server (for the simulator: `pushlab sim`), or check the port".to_owned(),
        ConnectError::TcpTimeout { .. } => "a firewall may block the port: allow outgoing 443 or 2197 to Apple's 17.0.0.0/8".to_owned(),
        ConnectError::Untrusted { hint, .. }
        | ConnectError::TlsRefused { hint, .. }
        | ConnectError::CertificateRefused { hint, .. }
        | ConnectError::ClosedAfterTls { hint, .. } => hint.clone(),
        ConnectError::CertificateNotValid { expired: true, .. } => "renew the certificate: make a new push certificate in Apple's developer portal and give it with --cert FILE".to_owned(),
        ConnectError::CertificateNotValid { expired: false, .. } => "check this computer's clock, or wait until the certificate's start date".to_owned(),
        ConnectError::GoAway { .. } => "connect again: the server was shutting down or restarting the connection; this says nothing about the credential".to_owned(),
        ConnectError::Proxy(e) => e.fix().to_owned(),
        ConnectError::NoHttp2 { .. } => "this is not an HTTP/2 APNs server; the legacy binary gateway (port 2195) needs `pushlab legacy-send`".to_owned(),
        _ => "try again; if it persists, check the server".to_owned(),
    }
}
