//! The doctor's checks against the server: the network path step by step, the provider token,
//! a test push to the device token, and on `BadDeviceToken`, with the user's consent, one
//! push to the other environment to tell which one the token belongs to.

use std::time::Duration;

use super::{
    Area, Case, Check, Diagnosis, Evidence, Finding, FixSaid, FixWords, Remedy, Status,
    diagnose_offline, remedy, says, scope, verdict,
};
use crate::apns::{DeviceToken, Notification, Reason};
use crate::client::{self, ClientAuth, Connection, PushResponse, StepStatus, Target};

/// Where the doctor may connect.
#[derive(Debug, Clone)]
pub struct Probes {
    /// Where pushes go.
    pub target: Target,
    /// The other environment's server, probed only on `BadDeviceToken` and only when given
    /// (the user agreed to one push there).
    pub other: Option<Target>,
    /// The same server on Apple's other port (2197), to find a firewall that blocks one.
    pub alternate_port: Option<Target>,
    /// Send the test push to the token (a real notification on the phone).
    pub send: bool,
    /// How long each connection step and each push may take before it counts as failed.
    pub timeout: Duration,
}

/// Every check, offline and online, and the verdict.
pub async fn diagnose_online(case: &Case, probes: &Probes) -> Diagnosis {
    let target_env = probes.target.environment;
    let Some(Ok(auth)) = &case.credential else {
        return diagnose_without_server(case);
    };
    let mut findings = diagnose_offline(case, target_env);
    findings.extend(proxy_in_use(&probes.target));
    let topic = case.topic();
    let mut ignore = |_: &client::Step| {};
    // The probe goes as the push the doctor is about to send: a Live Activity's topic sent as
    // an alert is BadTopic, though the same Live Activity push is delivered.
    let report = client::check_as(
        &probes.target,
        auth,
        topic.as_deref(),
        case.push_type,
        probes.timeout,
        &mut ignore,
    )
    .await;
    let mut network_ok = true;
    for step in &report.steps {
        let (cause, title) = match step.name {
            "dns" => ("dns", Check::NameLookup),
            "tcp" => ("tcp", Check::TcpConnection),
            "proxy" => ("proxy", Check::ReachingProxy),
            "tunnel" => ("tunnel", Check::ProxyTunnel),
            "tls" => ("tls", Check::Tls),
            "http2" => ("http2", Check::Http2),
            _ => ("auth", Check::CredentialAccepted),
        };
        let status = match step.status {
            StepStatus::Passed => Status::Passed,
            StepStatus::Skipped => Status::Skipped,
            StepStatus::Failed => Status::Failed,
        };
        network_ok &= status != Status::Failed;
        let mut cause = cause;
        if cause == "auth" {
            cause = match (status, report.probe_reason.as_ref().and_then(|r| r.known())) {
                (Status::Failed, Some(r)) => cause_of(r),
                (Status::Failed, None) => "auth_rejected",
                _ => "auth_ok",
            };
        }
        // The network steps are the connection check's words; a refusal names Apple's reason,
        // which front ends explain in their language.
        let refused = report
            .probe_reason
            .as_ref()
            .and_then(|r| r.known())
            .filter(|_| step.name == "auth" && status == Status::Failed);
        let evidence = match refused {
            Some(r) => says(Evidence::ServerRefused { reason: r }, step.detail.clone()),
            None => says(Evidence::Step(step.sentence.clone()), step.detail.clone()),
        };
        let mut f = Finding::new(Area::Network, cause, status, title, evidence);
        f.set_fix(match (&step.fix_sentence, &step.fix) {
            (Some(said), Some(fix)) => Some(FixWords::quoting(FixSaid::Step(*said), fix.clone())),
            (None, Some(fix)) => Some(remedy(Remedy::Step { fix: fix.clone() })),
            (_, None) => None,
        });
        if let Some((cause, evidence, fix)) =
            refused.and_then(|r| scope::key_scope(r, auth, case, target_env))
        {
            f.cause = cause;
            f.set_evidence(evidence);
            f.set_fix(Some(fix));
        }
        merge(&mut findings, f);
    }
    if let (Some(server), Some(local)) = (report.server_time, report.local_time) {
        findings.push(clock(local.saturating_sub(server), auth));
    }
    if let Some(alt) = &probes.alternate_port {
        findings.push(alternate_port(alt, probes.timeout).await);
    }
    if let ClientAuth::Token(signer) = auth {
        findings.push(provider_token(signer));
    }
    if network_ok
        && probes.send
        && let Some(token) = case
            .token
            .as_deref()
            .and_then(|t| DeviceToken::parse(t).ok())
    {
        send(case, probes, auth, token, &mut findings).await;
    }
    findings.sort_by_key(|f| f.area);
    let verdict = verdict(&findings);
    Diagnosis { verdict, findings }
}

/// Every check that needs no server, when there is no readable credential to ask it with:
/// the network path is reported as not checked.
pub fn diagnose_without_server(case: &Case) -> Diagnosis {
    let mut findings = diagnose_offline(case, None);
    findings.push(Finding::new(
        Area::Network,
        "network_skipped",
        Status::Skipped,
        Check::NetworkPath,
        says(
            Evidence::NetworkSkipped,
            "not checked: the server needs a readable credential",
        ),
    ));
    let verdict = verdict(&findings);
    Diagnosis { verdict, findings }
}

/// Adds a server-side finding; when an offline check already failed with the same cause, the
/// server's answer joins its evidence instead of repeating it.
fn merge(findings: &mut Vec<Finding>, new: Finding) {
    match findings.iter_mut().find(|old| {
        old.cause == new.cause && old.status == Status::Failed && new.status == Status::Failed
    }) {
        Some(old) => {
            old.set_evidence(says(
                Evidence::ServerConfirms {
                    first: Box::new(old.evidence_value.clone()),
                    then: Box::new(new.evidence_value),
                },
                format!("{}; the server confirms: {}", old.evidence, new.evidence),
            ));
            if old.fix.is_none() {
                old.fix = new.fix;
                old.fix_said = new.fix_said;
            }
        }
        None => findings.push(new),
    }
}

/// The proxy the connection goes through, or proxy variables set for this process that are
/// not used (`NO_PROXY` lists the host, or `--no-proxy`): where only a proxy may reach the
/// internet, that is why TCP fails.
fn proxy_in_use(target: &Target) -> Option<Finding> {
    if let Some(proxy) = &target.proxy {
        return Some(Finding::new(
            Area::Network,
            "proxy_in_use",
            Status::Info,
            Check::Proxy,
            says(
                Evidence::ProxyInUse {
                    proxy: proxy.to_string(),
                    host: target.host.clone(),
                },
                format!(
                    "connecting through the proxy {proxy}; it resolves {} itself",
                    target.host
                ),
            ),
        ));
    }
    let set: Vec<&str> = crate::proxy::PROXY_VARIABLES
        .iter()
        .copied()
        .filter(|name| std::env::var(name).is_ok_and(|v| !v.trim().is_empty()))
        .collect();
    (!set.is_empty()).then(|| {
        Finding::new(
            Area::Network,
            "proxy_variables",
            Status::Warning,
            Check::ProxySettings,
            says(Evidence::ProxyVariables { variables: set.join(", "), host: target.host.clone() }, format!(
                    "{} is set, but pushlab connects to {} directly (NO_PROXY lists it, or --no-proxy): where only the proxy may reach the internet, the TCP step fails",
                    set.join(", "),
                    target.host
                )),
        )
        .fix(remedy(Remedy::UseProxy))
    })
}

async fn alternate_port(alt: &Target, timeout: Duration) -> Finding {
    let title = Check::OtherPort;
    let result = async {
        match &alt.proxy {
            Some(proxy) => Ok(crate::proxy::connect(proxy, &alt.host, alt.port, timeout).await?),
            None => client::tcp(&client::resolve(alt, timeout).await?, timeout).await,
        }
    }
    .await;
    match result {
        Ok(_) => Finding::new(
            Area::Network,
            "alternate_port",
            Status::Passed,
            title,
            says(
                Evidence::AlternatePort {
                    host: alt.host.clone(),
                    port: alt.port,
                },
                format!("TCP to {}:{} works too", alt.host, alt.port),
            ),
        ),
        Err(e) => Finding::new(
            Area::Network,
            "alternate_port_blocked",
            Status::Warning,
            title,
            says(
                Evidence::AlternatePortBlocked {
                    host: alt.host.clone(),
                    port: alt.port,
                    error: e.to_string(),
                },
                format!(
                    "TCP to {}:{} fails ({e}): a firewall allows one port only",
                    alt.host, alt.port
                ),
            ),
        ),
    }
}

fn provider_token(signer: &client::TokenSigner) -> Finding {
    let title = Check::ProviderTokenFresh;
    match signer.token() {
        Ok((_, issued_at)) => {
            let age = time::OffsetDateTime::now_utc()
                .unix_timestamp()
                .saturating_sub(issued_at);
            Finding::new(
                Area::TokenAuth,
                "provider_token",
                Status::Passed,
                title,
                says(
                    Evidence::ProviderToken {
                        age,
                        minutes: client::TOKEN_RENEW_AFTER_SECS / 60,
                    },
                    format!(
                        "made {age} s ago; pushlab reuses a token for {} minutes and makes a new one before 60 (APNs refuses tokens older than an hour, and new ones more often than every 20 minutes)",
                        client::TOKEN_RENEW_AFTER_SECS / 60
                    ),
                ),
            )
        }
        Err(e) => Finding::new(
            Area::TokenAuth,
            "auth_rejected",
            Status::Failed,
            title,
            says(
                Evidence::ProviderTokenUnsigned {
                    error: e.to_string(),
                },
                format!("could not sign a provider token: {e}"),
            ),
        )
        .fix(remedy(Remedy::CheckP8)),
    }
}

/// The cause a refusal names.
fn cause_of(r: Reason) -> &'static str {
    match r {
        Reason::BadCertificateEnvironment => "certificate_environment",
        Reason::BadEnvironmentKeyIdInToken => "auth_key_environment",
        Reason::BadCertificate
        | Reason::Forbidden
        | Reason::InvalidProviderToken
        | Reason::MissingProviderToken
        | Reason::ExpiredProviderToken
        | Reason::UnrelatedKeyIdInToken
        | Reason::TooManyProviderTokenUpdates => "auth_rejected",
        Reason::BadTopic | Reason::TopicDisallowed | Reason::MissingTopic => "topic_rejected",
        Reason::DeviceTokenNotForTopic => "topic_rejected",
        Reason::BadDeviceToken | Reason::MissingDeviceToken => "token_environment",
        Reason::Unregistered | Reason::ExpiredToken => "token_unregistered",
        Reason::PayloadEmpty | Reason::PayloadTooLarge => "payload",
        Reason::BadCollapseId
        | Reason::BadExpirationDate
        | Reason::BadMessageId
        | Reason::BadPriority
        | Reason::DuplicateHeaders
        | Reason::InvalidPushType => "headers",
        _ => "push_rejected",
    }
}

fn notification(case: &Case, token: DeviceToken) -> Notification {
    let mut n = Notification::new(token, case.push_type, case.payload_bytes());
    n.topic = case.topic();
    n.priority = case.priority;
    n.expiration = case.expiration;
    n.collapse_id = case.collapse_id.clone();
    n
}

async fn push_once(
    target: &Target,
    auth: &ClientAuth,
    n: &Notification,
    timeout: Duration,
) -> Result<PushResponse, String> {
    let conn = Connection::open(target, auth, timeout)
        .await
        .map_err(|e| e.to_string())?;
    conn.send(n).await.map_err(|e| e.to_string())
}

async fn send(
    case: &Case,
    probes: &Probes,
    auth: &ClientAuth,
    token: DeviceToken,
    findings: &mut Vec<Finding>,
) {
    let title = Check::TestPush;
    let n = notification(case, token);
    let answer = match push_once(&probes.target, auth, &n, probes.timeout).await {
        Ok(a) => a,
        Err(e) => {
            findings.push(
                Finding::new(
                    Area::Delivery,
                    "no_answer",
                    Status::Failed,
                    title,
                    says(
                        Evidence::NoAnswer { error: e.clone() },
                        format!("the test push got no answer: {e}"),
                    ),
                )
                .fix(remedy(Remedy::RunAgain)),
            );
            return;
        }
    };
    if answer.is_success() {
        findings.push(Finding::new(
            Area::Delivery,
            "delivered",
            Status::Passed,
            title,
            says(
                Evidence::Delivered {
                    server: probes.target.label.clone(),
                    id: answer.apns_id.as_deref().unwrap_or("-").to_owned(),
                },
                format!(
                    "200 from {}, apns-id {}",
                    probes.target.label,
                    answer.apns_id.as_deref().unwrap_or("(none)")
                ),
            ),
        ));
        return;
    }
    let reason = answer.known_reason();
    let said = format!(
        "{} {}",
        answer.status,
        answer.reason.as_deref().unwrap_or("(no reason)")
    );
    let cause = reason.map_or("push_rejected", cause_of);
    let mut finding = Finding::new(
        Area::Delivery,
        cause,
        Status::Failed,
        title,
        match reason {
            Some(r) => says(
                Evidence::ApnsAnswered {
                    answer: said.clone(),
                    reason: r,
                },
                format!("APNs answered {said}: {}", r.meaning()),
            ),
            None => says(
                Evidence::ServerAnswered {
                    answer: said.clone(),
                },
                format!("the server answered {said}"),
            ),
        },
    );
    finding.set_fix(reason.map(|r| FixWords::quoting(FixSaid::Reason(r), r.fix())));
    let environment = probes.target.environment;
    if let Some((cause, evidence, fix)) =
        reason.and_then(|r| scope::key_scope(r, auth, case, environment))
    {
        finding.cause = cause;
        finding.set_evidence(evidence);
        finding.set_fix(Some(fix));
    }
    if reason == Some(Reason::BadDeviceToken) {
        finding = other_environment(probes, auth, &n, finding).await;
    }
    merge(findings, finding);
}

/// On `BadDeviceToken`: one push to the other environment, when the user agreed, and the
/// conclusion in words.
async fn other_environment(
    probes: &Probes,
    auth: &ClientAuth,
    n: &Notification,
    mut finding: Finding,
) -> Finding {
    let (Some(other), Some(here)) = (&probes.other, probes.target.environment) else {
        finding.set_evidence(
            says(Evidence::OtherEnvironmentNotAsked { first: Box::new(finding.evidence_value.clone()) }, format!(
                    "{} (the token may belong to the other environment: allow one probe there to find out)",
                    finding.evidence
                )),
        );
        return finding;
    };
    let there = other.environment.unwrap_or(here.other());
    match push_once(other, auth, n, probes.timeout).await {
        Ok(a) if a.is_success() => {
            let built = match there {
                crate::apns::Environment::Sandbox => "the app was run from Xcode",
                crate::apns::Environment::Production => {
                    "the app came from TestFlight or the App Store"
                }
            };
            finding.set_evidence(
                says(Evidence::TokenOfOtherEnvironment { there, here }, format!(
                        "this is a {there} token: {here} answered BadDeviceToken and {there} accepted the same push; {built}"
                    )),
            );
            finding.set_fix(Some(remedy(Remedy::SendToTokenEnvironment {
                tokens: there.to_string(),
                environment: here.to_string(),
            })));
        }
        Ok(a) if a.known_reason() == Some(Reason::BadDeviceToken) => {
            finding.cause = "token_malformed";
            finding.set_evidence(says(Evidence::TokenInNeither, "both environments answered BadDeviceToken: the token is not valid in either (cut short, from another app, or made up)"));
            finding.set_fix(Some(remedy(Remedy::CopyTokenAgain)));
        }
        Ok(a) => {
            let answer = format!("{} {}", a.status, a.reason.as_deref().unwrap_or(""));
            finding.set_evidence(says(
                Evidence::OtherEnvironmentAnswered {
                    first: Box::new(finding.evidence_value.clone()),
                    there,
                    answer: answer.trim().to_owned(),
                },
                format!(
                    "{}; {there} answered {answer} to the same push",
                    finding.evidence
                ),
            ));
        }
        Err(e) => {
            finding.set_evidence(says(
                Evidence::OtherEnvironmentUnreachable {
                    first: Box::new(finding.evidence_value.clone()),
                    there,
                    error: e.clone(),
                },
                format!("{}; {there} could not be asked ({e})", finding.evidence),
            ));
        }
    }
    finding
}

/// This computer's clock against the server's `date` header. Provider tokens carry the local
/// time, so a clock more than a few minutes off gets them refused; certificates only mind
/// at their validity's edges.
fn clock(ahead_by: i64, auth: &ClientAuth) -> Finding {
    let title = Check::Clock;
    let minutes = ahead_by.unsigned_abs() / 60;
    if ahead_by.unsigned_abs() <= 60 {
        return Finding::new(
            Area::Network,
            "clock_ok",
            Status::Passed,
            title,
            says(
                Evidence::ClockOk,
                "this computer's clock is within a minute of the server's (its date header)",
            ),
        );
    }
    let direction = if ahead_by > 0 { "ahead of" } else { "behind" };
    let evidence = format!(
        "this computer's clock is {minutes} minutes {direction} the server's (its date header)"
    );
    let token = matches!(auth, ClientAuth::Token(_));
    let ahead = ahead_by > 0;
    let (area, status, evidence) = if token && ahead_by.unsigned_abs() > 300 {
        (
            Area::TokenAuth,
            Status::Failed,
            says(
                Evidence::ClockRefusesTokens { minutes, ahead },
                format!(
                    "{evidence}: provider tokens carry this clock's time, and APNs refuses them (ExpiredProviderToken or InvalidProviderToken)"
                ),
            ),
        )
    } else {
        (
            Area::Network,
            Status::Warning,
            says(Evidence::Clock { minutes, ahead }, evidence),
        )
    };
    Finding::new(area, "clock", status, title, evidence).fix(remedy(Remedy::SetClock))
}
