//! The connection check: the tutorials' `telnet gateway 2195` and `openssl s_client -cert …`,
//! done properly: each step timed, and on failure a cause and a fix.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::{ClientAuth, ConnectError, Connection, Target, TlsDetails, connection};
use crate::apns::PushType;
use crate::proxy::{Proxy, ProxyError};

use super::check_words::{ServerRoot, StepFix, StepSentence};

mod probe;
use probe::probe;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// The step did what it should; the next one runs.
    Passed,
    /// The step failed; its `fix` says what to do, and the steps after it do not run.
    Failed,
    /// Not run, because an earlier step failed.
    Skipped,
}

/// One step of the check.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `dns`, `tcp`, `tls`, `http2`, `auth`; through a proxy `dns` (the proxy's host), `proxy`
    /// (TCP to it), `tunnel` (its answer to CONNECT or the SOCKS5 request), then `tls`….
    pub name: &'static str,
    /// Whether it passed, failed or was not run.
    pub status: StepStatus,
    /// How long the step took, in milliseconds (0 when not run): a slow step is worth seeing
    /// even when it passes.
    pub ms: f64,
    /// What happened, in a sentence.
    pub detail: String,
    /// On failure: what to do.
    pub fix: Option<String>,
    /// `detail` as a value, for front ends in other languages.
    #[serde(skip)]
    pub sentence: StepSentence,
    /// `fix` as a value.
    #[serde(skip)]
    pub fix_sentence: Option<StepFix>,
}

/// The whole check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The server checked, as people name it (host and port, or the simulator).
    pub target: String,
    /// Every step in order, those after a failure marked not run.
    pub steps: Vec<Step>,
    /// The IP addresses the name lookup gave (the proxy's, through a proxy).
    pub addresses: Vec<String>,
    /// The proxy the connection went through, its password hidden.
    pub proxy: Option<String>,
    /// What the TLS handshake agreed and the server's certificate, once it completed.
    pub tls: Option<TlsDetails>,
    /// The streams the server lets one connection carry at once, from its HTTP/2 settings;
    /// `None` before them or when it sets no limit.
    pub max_concurrent_streams: Option<usize>,
    /// The probe's answer, when it got one.
    pub probe_status: Option<u16>,
    /// The reason the server gave for the probe (BadDeviceToken when the credential was
    /// accepted).
    pub probe_reason: Option<crate::apns::ServerReason>,
    /// The server's clock from the probe's `date` header (Unix seconds), and this
    /// computer's when the answer came.
    pub server_time: Option<i64>,
    /// This computer's clock when the probe's answer came (Unix seconds), to compare with
    /// `server_time`.
    pub local_time: Option<i64>,
    /// What the check cannot prove.
    pub caveat: String,
}

impl CheckReport {
    /// Whether no step failed: the connection and the credential work with this server.
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
    let mut list = Checklist {
        report: CheckReport {
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
        },
        on_step,
        names: if target.proxy.is_some() {
            &["dns", "proxy", "tunnel", "tls", "http2", "auth"]
        } else {
            &["dns", "tcp", "tls", "http2", "auth"]
        },
    };
    match list.run(target, auth, (topic, push_type), timeout).await {
        Ok(()) => list.report,
        Err(failed) => list.stop_after(failed),
    }
}

/// The check's steps in order, each reported as it ends; the first that fails ends the run
/// and the rest are marked not run.
struct Checklist<'s> {
    report: CheckReport,
    on_step: StepSink<'s>,
    names: &'static [&'static str],
}

/// The name of the step that failed.
type Failed = &'static str;

impl Checklist<'_> {
    fn push(&mut self, step: Step) {
        (self.on_step)(&step);
        self.report.steps.push(step);
    }

    /// Reports `step` failed with `e`, and ends the run there.
    fn fail(&mut self, name: Failed, ms: f64, e: &ConnectError) -> Failed {
        self.push(Step {
            name,
            status: StepStatus::Failed,
            ms,
            detail: e.to_string(),
            fix: Some(fix_for(e)),
            sentence: StepSentence::Failed(e.clone()),
            fix_sentence: Some(StepFix::of(e)),
        });
        name
    }

    /// The report, every step after `failed` marked as not run.
    fn stop_after(mut self, failed: Failed) -> CheckReport {
        let from = self
            .names
            .iter()
            .position(|n| *n == failed)
            .map_or(0, |i| i + 1);
        for name in &self.names[from..] {
            self.push(Step {
                name,
                status: StepStatus::Skipped,
                ms: 0.0,
                detail: "not run: an earlier step failed".to_owned(),
                fix: None,
                sentence: StepSentence::NotRun,
                fix_sentence: None,
            });
        }
        self.report
    }

    async fn run(
        &mut self,
        target: &Target,
        auth: &ClientAuth,
        (topic, push_type): (Option<&str>, PushType),
        timeout: Duration,
    ) -> Result<(), Failed> {
        let tcp = match &target.proxy {
            Some(proxy) => {
                self.report.proxy = Some(proxy.redacted());
                let on_step = &mut self.on_step;
                let mut push = |report: &mut CheckReport, step: Step| {
                    on_step(&step);
                    report.steps.push(step);
                };
                through_proxy(proxy, target, timeout, &mut self.report, &mut push).await?
            }
            None => {
                let addrs = self.dns(target, timeout).await?;
                self.tcp(&addrs, timeout).await?
            }
        };
        let (tls, tls_step) = self.tls(tcp, target, auth, timeout).await?;
        let conn = self.http2(tls, tls_step, target, auth, timeout).await?;
        let t = Instant::now();
        let step = probe(&conn, auth, topic, push_type, &mut self.report).await;
        self.push(Step { ms: ms(t), ..step });
        Ok(())
    }

    async fn dns(
        &mut self,
        target: &Target,
        timeout: Duration,
    ) -> Result<Vec<std::net::SocketAddr>, Failed> {
        let t = Instant::now();
        let addrs = connection::resolve(target, timeout)
            .await
            .map_err(|e| self.fail("dns", ms(t), &e))?;
        self.report.addresses = addrs.iter().map(|a| a.ip().to_string()).collect();
        let (detail, said) = if target.host.parse::<std::net::IpAddr>().is_ok() {
            (
                format!("{} is an address; no lookup needed", target.host),
                StepSentence::DnsAddress {
                    host: target.host.clone(),
                },
            )
        } else {
            let addresses = self.report.addresses.join(", ");
            (
                format!("{} → {addresses}", target.host),
                StepSentence::DnsResolved {
                    host: target.host.clone(),
                    addresses,
                },
            )
        };
        self.push(passed("dns", t, detail, said));
        Ok(addrs)
    }

    async fn tcp(
        &mut self,
        addrs: &[std::net::SocketAddr],
        timeout: Duration,
    ) -> Result<tokio::net::TcpStream, Failed> {
        let t = Instant::now();
        let tcp = connection::tcp(addrs, timeout)
            .await
            .map_err(|e| self.fail("tcp", ms(t), &e))?;
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        self.push(passed(
            "tcp",
            t,
            format!("connected to {peer}"),
            StepSentence::TcpConnected { peer: peer.clone() },
        ));
        Ok(tcp)
    }

    /// The TLS handshake. Its step is returned, not reported: with TLS 1.3 the server's
    /// verdict on the client certificate arrives with the first read, and then the TLS step
    /// did not pass.
    async fn tls(
        &mut self,
        tcp: tokio::net::TcpStream,
        target: &Target,
        auth: &ClientAuth,
        timeout: Duration,
    ) -> Result<(connection::TlsStream, Step), Failed> {
        let t = Instant::now();
        match connection::tls(tcp, target, auth, timeout).await {
            Ok((s, details)) => {
                let step = tls_passed(&details, ms(t));
                self.report.tls = Some(details);
                Ok((s, step))
            }
            Err(e @ ConnectError::NoHttp2 { .. }) => {
                // The handshake itself worked; the server just does not speak HTTP/2.
                self.push(Step {
                    name: "tls",
                    status: StepStatus::Passed,
                    ms: ms(t),
                    detail: "TLS handshake done".to_owned(),
                    fix: None,
                    sentence: StepSentence::TlsDone,
                    fix_sentence: None,
                });
                Err(self.fail("http2", 0.0, &e))
            }
            Err(e) => Err(self.fail("tls", ms(t), &e)),
        }
    }

    async fn http2(
        &mut self,
        tls: connection::TlsStream,
        tls_step: Step,
        target: &Target,
        auth: &ClientAuth,
        timeout: Duration,
    ) -> Result<Connection, Failed> {
        let tls_ms = tls_step.ms;
        let t = Instant::now();
        let conn = match connection::http2(tls, target, auth, timeout).await {
            Ok(c) => c,
            Err(e) if e.is_certificate_rejected_after_handshake() => {
                return Err(self.fail("tls", tls_ms + ms(t), &e));
            }
            Err(e) => {
                self.push(tls_step);
                return Err(self.fail("http2", ms(t), &e));
            }
        };
        self.push(tls_step);
        let streams = conn.max_concurrent_streams();
        self.report.max_concurrent_streams = (streams != usize::MAX).then_some(streams);
        let (detail, said) = match self.report.max_concurrent_streams {
            Some(n) => (
                format!("HTTP/2 ready; the server allows {n} concurrent streams"),
                StepSentence::Http2Streams { streams: n },
            ),
            None => (
                "HTTP/2 ready; the server set no stream limit".to_owned(),
                StepSentence::Http2NoLimit,
            ),
        };
        self.push(passed("http2", t, detail, said));
        Ok(conn)
    }
}

/// The TLS step when the handshake passed: version, cipher, ALPN, and the server's
/// certificate with the root it was issued under.
fn tls_passed(details: &TlsDetails, ms: f64) -> Step {
    let leaf = details.chain.first();
    let root = details.chain.last();
    let sentence = StepSentence::TlsVerified {
        version: details.version.clone(),
        cipher: details.cipher.clone(),
        alpn: details.alpn.clone().unwrap_or_else(|| "-".to_owned()),
        subject: leaf.map_or("?", |c| c.subject.as_str()).to_owned(),
        issuer: root.map_or("-", |c| c.issuer.as_str()).to_owned(),
        root: root.map_or(ServerRoot::None, |c| ServerRoot::of_issuer(&c.issuer)),
    };
    Step {
        name: "tls",
        status: StepStatus::Passed,
        ms,
        detail: format!(
            "{} {}, ALPN {}, server certificate verified: {}{}",
            details.version,
            details.cipher,
            details.alpn.as_deref().unwrap_or("none"),
            leaf.map(|c| c.subject.as_str()).unwrap_or("?"),
            root.map(|c| format!(
                " (issued under {}{})",
                c.issuer,
                ServerRoot::of_issuer(&c.issuer).note()
            ))
            .unwrap_or_default()
        ),
        fix: None,
        sentence,
        fix_sentence: None,
    }
}

fn passed(name: &'static str, t: Instant, detail: String, said: StepSentence) -> Step {
    Step {
        name,
        status: StepStatus::Passed,
        ms: ms(t),
        detail,
        fix: None,
        sentence: said,
        fix_sentence: None,
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
        fix_sentence: Some(StepFix::Proxy(super::check_words::ProxyFix::of(&e))),
        sentence: StepSentence::ProxyFailed(e),
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
    let addresses = proxy
        .host
        .parse::<std::net::IpAddr>()
        .is_err()
        .then(|| report.addresses.join(", "));
    let found = match &addresses {
        None => "is an address, no lookup needed".to_owned(),
        Some(a) => format!("is at {a}"),
    };
    let target_host = target
        .host
        .parse::<std::net::IpAddr>()
        .is_err()
        .then(|| target.host.clone());
    let detail = match &target_host {
        None => format!("the proxy {} {found}", proxy.host),
        Some(host) => format!(
            "the proxy {} {found}; {host} is resolved by the proxy",
            proxy.host
        ),
    };
    let said = StepSentence::ProxyResolved {
        proxy: proxy.host.clone(),
        addresses,
        target: target_host,
    };
    push(report, passed("dns", t, detail, said));

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
    let said = StepSentence::ProxyReached {
        proxy: proxy.to_string(),
        peer: peer.clone(),
    };
    push(
        report,
        passed(
            "proxy",
            t,
            format!("connected to the proxy {proxy} at {peer}"),
            said,
        ),
    );

    let t = Instant::now();
    match crate::proxy::handshake(stream, proxy, &target.host, target.port, timeout).await {
        Ok((s, opened)) => {
            let detail = opened.to_string();
            push(
                report,
                passed("tunnel", t, detail, StepSentence::ProxyTunnel(opened)),
            );
            Ok(s)
        }
        Err(e) => {
            push(report, fail("tunnel", t, e));
            Err("tunnel")
        }
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
        | ConnectError::ClosedAfterTls { hint, .. } => hint.to_string(),
        ConnectError::CertificateNotValid { expired: true, .. } => "renew the certificate: make a new push certificate in Apple's developer portal and give it with --cert FILE".to_owned(),
        ConnectError::CertificateNotValid { expired: false, .. } => "check this computer's clock, or wait until the certificate's start date".to_owned(),
        ConnectError::GoAway { .. } => "connect again: the server was shutting down or restarting the connection; this says nothing about the credential".to_owned(),
        ConnectError::Proxy(e) => e.fix().to_owned(),
        ConnectError::NoHttp2 { .. } => "this is not an HTTP/2 APNs server; the legacy binary gateway (port 2195) needs `pushlab legacy-send`".to_owned(),
        _ => "try again; if it persists, check the server".to_owned(),
    }
}
