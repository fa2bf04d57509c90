//! One HTTP/2 connection to an APNs server, opened step by step (DNS, TCP, TLS, HTTP/2) so each
//! step can be timed and explained, then reused for many pushes.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use tokio::net::TcpStream;

use super::alert::TlsHint;
pub use super::connect_error::{ConnectError, Stage};
use super::{ClientAuth, Target};
use crate::apns::{Reason, ServerReason};
use crate::cert::CertificateReport;

/// TLS over a read buffer: servers answer each push in its own small TLS record, which
/// OpenSSL reads as a 5-byte header and then the body. Read straight from the socket that is
/// two system calls per answer; with OpenSSL's read-ahead instead, each record read moves
/// what is left of its 17 KB buffer to the front (a tenth of a batch's instructions). The
/// buffer takes whatever has arrived in one call and hands OpenSSL exactly what it asks for.
pub type TlsStream = tokio_openssl::SslStream<tokio::io::BufReader<TcpStream>>;

/// The read buffer under TLS: a full record (16 KB and its overhead) and then some.
const TLS_READ_BUFFER: usize = 32 * 1024;

/// A certificate the server presented.
#[derive(Debug, Clone, Serialize)]
pub struct PeerCertificate {
    /// The subject, as `openssl x509 -subject` prints it.
    pub subject: String,
    /// The issuer, as `openssl x509 -issuer` prints it.
    pub issuer: String,
    /// The end of its validity (`notAfter`).
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: time::OffsetDateTime,
    /// Whole days from now to `not_after`; negative once it has expired.
    pub days_left: i64,
}

/// What the TLS handshake settled on.
#[derive(Debug, Clone, Serialize)]
pub struct TlsDetails {
    /// The TLS version agreed, e.g. `TLSv1.3`.
    pub version: String,
    /// The cipher suite agreed.
    pub cipher: String,
    /// The protocol ALPN agreed (`h2` for APNs), if any.
    pub alpn: Option<String>,
    /// The server's chain, leaf first.
    pub chain: Vec<PeerCertificate>,
    /// Whether a client certificate was offered.
    pub client_certificate: bool,
}

/// The most of an answer's body that is read: Apple's are a few hundred bytes.
pub const MAX_RESPONSE_BODY: usize = 16 * 1024;

/// The most of an answer's headers that is taken (decoded, as SETTINGS_MAX_HEADER_LIST_SIZE
/// counts them): Apple's are two or three short fields. h2 would otherwise hold up to 16 MiB
/// for each, for every push in flight; an answer over it is not read, and the push is
/// unconfirmed.
pub const MAX_RESPONSE_HEADERS: u32 = 64 * 1024;

/// Resolves the target's host, giving up after `timeout` (a resolver that never answers must
/// not hang a check or a batch).
pub async fn resolve(target: &Target, timeout: Duration) -> Result<Vec<SocketAddr>, ConnectError> {
    if let Ok(ip) = target.host.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, target.port)]);
    }
    let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
    let found = tokio::time::timeout(timeout, lookup)
        .await
        .map_err(|_| ConnectError::Timeout {
            stage: Stage::Dns,
            secs: timeout.as_secs(),
        })?
        .map_err(|e| ConnectError::Dns {
            host: target.host.clone(),
            message: e.to_string(),
        })?;
    let addrs: Vec<SocketAddr> = found.collect();
    if addrs.is_empty() {
        return Err(ConnectError::Dns {
            host: target.host.clone(),
            message: "no addresses".to_owned(),
        });
    }
    Ok(addrs)
}

/// Opens a TCP connection to the first address that answers.
pub async fn tcp(addrs: &[SocketAddr], timeout: Duration) -> Result<TcpStream, ConnectError> {
    let mut last = None;
    for &addr in addrs {
        match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = Some(ConnectError::Refused { addr })
            }
            Ok(Err(e)) => {
                last = Some(ConnectError::Tcp {
                    addr,
                    message: e.to_string(),
                })
            }
            Err(_) => {
                last = Some(ConnectError::TcpTimeout {
                    addr,
                    secs: timeout.as_secs(),
                })
            }
        }
    }
    Err(last.unwrap_or(ConnectError::Dns {
        host: String::new(),
        message: "no addresses".to_owned(),
    }))
}

/// Runs the TLS handshake and reports what it settled on.
pub async fn tls(
    tcp: TcpStream,
    target: &Target,
    auth: &ClientAuth,
    timeout: Duration,
) -> Result<(TlsStream, TlsDetails), ConnectError> {
    let err = |e: openssl::error::ErrorStack| ConnectError::Tls {
        message: e.to_string(),
    };
    // The shared context; only the SNI and the host name check are per connection.
    let ssl = super::tls_context::session(target, auth)?;
    let tcp = tokio::io::BufReader::with_capacity(TLS_READ_BUFFER, tcp);
    let mut stream = tokio_openssl::SslStream::new(ssl, tcp).map_err(err)?;
    let result = tokio::time::timeout(timeout, std::pin::Pin::new(&mut stream).connect()).await;
    match result {
        Err(_) => {
            return Err(ConnectError::Timeout {
                stage: Stage::TlsHandshake,
                secs: timeout.as_secs(),
            });
        }
        Ok(Err(e)) => {
            let verify = stream.ssl().verify_result();
            if verify != openssl::x509::X509VerifyResult::OK {
                // Read the trust store again next time: the user may update it and retry.
                super::tls_context::invalidate(target, auth);
                let hint = if target.system_roots {
                    TlsHint::UpdateRoots
                } else {
                    TlsHint::PassCa
                };
                return Err(ConnectError::Untrusted {
                    reason: verify.error_string().to_owned(),
                    hint,
                });
            }
            let message = e.to_string();
            let refused = match super::TlsAlert::of_ssl(&e) {
                Some(alert) if alert.is_about_certificate() => ConnectError::CertificateRefused {
                    alert,
                    after_handshake: false,
                    hint: super::alert::hint_for(alert),
                },
                alert => {
                    let hint = match (alert, auth) {
                        (None, _) => TlsHint::NotApns,
                        (Some(_), ClientAuth::Certificate(_)) => TlsHint::CertificateRejected,
                        (Some(_), ClientAuth::Token(_)) => TlsHint::NeedsCertificate,
                    };
                    ConnectError::TlsRefused { message, hint }
                }
            };
            return Err(super::alert::dates_first(auth, refused));
        }
        Ok(Ok(())) => {}
    }
    let ssl = stream.ssl();
    let now = time::OffsetDateTime::now_utc();
    let chain = ssl
        .peer_cert_chain()
        .map(|stack| {
            stack
                .iter()
                .filter_map(|c| CertificateReport::of(c, now).ok())
                .map(|r| PeerCertificate {
                    subject: r.subject.text,
                    issuer: r.issuer.text,
                    not_after: r.not_after,
                    days_left: r.days_left,
                })
                .collect()
        })
        .unwrap_or_default();
    let details = TlsDetails {
        version: ssl.version_str().to_owned(),
        cipher: ssl
            .current_cipher()
            .map(|c| c.name().to_owned())
            .unwrap_or_default(),
        alpn: ssl
            .selected_alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        chain,
        client_certificate: matches!(auth, ClientAuth::Certificate(_)),
    };
    if details.alpn.as_deref() != Some("h2") {
        return Err(ConnectError::NoHttp2 { alpn: details.alpn });
    }
    Ok((stream, details))
}

/// An open HTTP/2 connection, ready to send pushes.
#[derive(Clone)]
pub struct Connection {
    pub(super) send: h2::client::SendRequest<Bytes>,
    pub(super) authority: String,
    /// `authority`, parsed once (cloning it is a reference count); `None` if it does not parse,
    /// and then each request says why.
    pub(super) uri_authority: Option<http::uri::Authority>,
    pub(super) auth: ClientAuth,
    server_limit: Arc<AtomicUsize>,
    alive: Arc<AtomicBool>,
    /// What the last push built and the last answer said, for the next push to reuse.
    pub(super) kept: Arc<super::push_request::Kept>,
    /// How long a push waits for its answer before [`SendError::Timeout`] (30 s by default).
    pub request_timeout: Duration,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("authority", &self.authority)
            .field("server_limit", &self.max_concurrent_streams())
            .finish_non_exhaustive()
    }
}

/// The HTTP/2 handshake; waits for the server's SETTINGS (with a PING round trip).
pub async fn http2(
    tls: TlsStream,
    target: &Target,
    auth: &ClientAuth,
    timeout: Duration,
) -> Result<Connection, ConnectError> {
    let heard = Arc::new(super::sniff::Heard::default());
    let tls = super::sniff::Sniff::new(tls, heard.clone());
    let fut = async {
        let (send, mut conn) = h2::client::Builder::new()
            .initial_window_size(1 << 20)
            .initial_connection_window_size(1 << 24)
            .max_concurrent_reset_streams(1000)
            .max_header_list_size(MAX_RESPONSE_HEADERS)
            .handshake::<_, Bytes>(tls)
            .await
            .map_err(|e| super::alert::after_tls(auth, &e, None, ""))?;
        let mut ping = conn.ping_pong();
        let server_limit = Arc::new(AtomicUsize::new(usize::MAX));
        let alive = Arc::new(AtomicBool::new(true));
        let (limit, live) = (server_limit.clone(), alive.clone());
        let (ended_tx, ended) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let mut conn = conn;
            let result = std::future::poll_fn(|cx| {
                let r = std::pin::Pin::new(&mut conn).poll(cx);
                limit.store(conn.max_concurrent_send_streams(), Ordering::Relaxed);
                r
            })
            .await;
            live.store(false, Ordering::Relaxed);
            let _ = ended_tx.send(result);
        });
        if let Some(p) = ping.as_mut()
            && let Err(e) = p.ping(h2::Ping::opaque()).await
        {
            // A ping on a connection that is gone fails with h2's own "broken pipe"; how the
            // connection ended says why. It ends as soon as the ping fails: the wait is short.
            let ended = tokio::time::timeout(Duration::from_secs(1), ended).await;
            let goaway = heard.goaway.lock().ok().and_then(|g| g.clone());
            return Err(match ended {
                Ok(Ok(Err(e))) => super::alert::after_tls(auth, &e, goaway.as_ref(), ""),
                _ => super::alert::after_tls(auth, &e, goaway.as_ref(), "no answer to PING: "),
            });
        }
        heard.done.store(true, Ordering::Relaxed);
        let authority = target.authority();
        let uri_authority =
            http::uri::Authority::from_maybe_shared(Bytes::from(authority.clone())).ok();
        Ok(Connection {
            send,
            authority,
            uri_authority,
            auth: auth.clone(),
            server_limit,
            alive,
            kept: Arc::default(),
            request_timeout: Duration::from_secs(30),
        })
    };
    tokio::time::timeout(timeout, fut)
        .await
        .map_err(|_| ConnectError::Timeout {
            stage: Stage::Http2Setup,
            secs: timeout.as_secs(),
        })?
}

/// What APNs answered to one push.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PushResponse {
    /// The HTTP status: 200 when accepted.
    pub status: u16,
    /// The reason, as sent.
    pub reason: Option<ServerReason>,
    /// The `apns-id` header of the answer: the id Apple gave the push, or the one sent.
    pub apns_id: Option<String>,
    /// The `apns-unique-id` header, which Apple sends in the sandbox only.
    pub apns_unique_id: Option<String>,
    /// For 410: when APNs learned the token went stale (ms since the epoch).
    pub timestamp: Option<i64>,
    /// Time from sending the request to the answer's headers and body, in milliseconds.
    pub latency_ms: f64,
    /// The server's clock, from its `date` header (Unix seconds), when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_time: Option<i64>,
}

impl PushResponse {
    /// Whether APNs accepted the push (status 200).
    pub fn is_success(&self) -> bool {
        self.status == 200
    }

    /// The reason, if it is one Apple documents.
    pub fn known_reason(&self) -> Option<Reason> {
        self.reason.as_ref().and_then(ServerReason::known)
    }
}

/// Why a push got no answer, sorted by what it proves about the server.
///
/// The split follows RFC 9113 §8.7: only a request the server provably did not process may be
/// sent again without risking a duplicate on the phone. Kept as data (History keeps it) so it is
/// worded in the language on screen whenever it is shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendError {
    /// The server provably did not process the push: it refused the stream (REFUSED_STREAM),
    /// the stream was above the last-stream-id of the server's GOAWAY, or the request was never
    /// written because the connection was already closing. Safe to send again.
    #[error("not processed by the server ({message}); safe to send again")]
    NotProcessed {
        /// How it is known.
        cause: Unprocessed,
        /// What happened, as text.
        message: String,
    },
    /// The push was written but no answer came: the stream was reset (other than
    /// REFUSED_STREAM), the connection dropped, or the answer could not be read. The server
    /// may or may not have processed it. (The words once said "the connection failed", which
    /// a reset stream on a live connection is not.)
    #[error("sent, but no answer came ({message}); the server may have processed it")]
    NoAnswer {
        /// What happened, as text.
        message: String,
    },
    /// Sent, but no answer within the request timeout; the server may have processed it.
    #[error("sent, but no answer within {0} s; the server may have processed it")]
    Timeout(u64),
    /// A provider token (JWT) could not be made.
    #[error("could not make the provider token: {0}")]
    Token(String),
    /// The request could not be built (e.g. a header value HTTP does not allow).
    #[error("could not build the request: {0}")]
    Request(String),
}

impl SendError {
    /// Whether the server provably did not process the push, so sending it again cannot
    /// deliver it twice.
    pub fn is_unprocessed(&self) -> bool {
        matches!(self, SendError::NotProcessed { .. })
    }

    /// Whether the push went out and nobody knows whether the server processed it.
    pub fn is_unconfirmed(&self) -> bool {
        matches!(self, SendError::NoAnswer { .. } | SendError::Timeout(_))
    }

    /// Whether the connection it was sent on should not be used again.
    pub fn ends_connection(&self) -> bool {
        match self {
            SendError::NotProcessed { cause, .. } => *cause != Unprocessed::RefusedStream,
            SendError::NoAnswer { .. } => true,
            SendError::Timeout(_) | SendError::Token(_) | SendError::Request(_) => false,
        }
    }
}

/// How we know a push was not processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unprocessed {
    /// RST_STREAM with REFUSED_STREAM: the server wants fewer streams in flight.
    RefusedStream,
    /// Above the last-stream-id of the server's GOAWAY.
    GoAway,
    /// Never handed to the connection (it was already closing or closed).
    NeverWritten,
}

impl Connection {
    /// Opens a connection: DNS, TCP (or the proxy's tunnel), TLS, HTTP/2.
    pub async fn open(
        target: &Target,
        auth: &ClientAuth,
        timeout: Duration,
    ) -> Result<Connection, ConnectError> {
        let tcp = match &target.proxy {
            Some(proxy) => crate::proxy::connect(proxy, &target.host, target.port, timeout).await?,
            None => tcp(&resolve(target, timeout).await?, timeout).await?,
        };
        let (tls, _) = tls(tcp, target, auth, timeout).await?;
        http2(tls, target, auth, timeout).await
    }

    /// The server's SETTINGS_MAX_CONCURRENT_STREAMS as last seen.
    pub fn max_concurrent_streams(&self) -> usize {
        self.server_limit.load(Ordering::Relaxed)
    }

    /// Whether the connection is still open.
    pub fn is_alive(&self) -> bool {
        self.alive.load(Ordering::Relaxed)
    }
}

/// An error before the request was handed to the connection: nothing was written.
pub(super) fn unwritten(e: h2::Error) -> SendError {
    SendError::NotProcessed {
        cause: Unprocessed::NeverWritten,
        message: format!("never written, the connection was closing: {e}"),
    }
}

/// An error once the request may have left: only what the server itself said proves that it
/// did not process the stream. h2 applies a received GOAWAY only to the streams above its
/// last-stream-id; the others keep running and end with their own answer or an I/O error.
pub(super) fn in_flight_err(e: h2::Error) -> SendError {
    if e.is_remote() && e.is_go_away() {
        SendError::NotProcessed {
            cause: Unprocessed::GoAway,
            message: format!("above the last-stream-id of the server's GOAWAY: {e}"),
        }
    } else if e.is_remote() && e.is_reset() && e.reason() == Some(h2::Reason::REFUSED_STREAM) {
        SendError::NotProcessed {
            cause: Unprocessed::RefusedStream,
            message: format!("the server refused the stream: {e}"),
        }
    } else if e.is_library() {
        // h2 itself reset the stream or closed the connection: the server broke HTTP/2's rules
        // or went over the limits a client keeps (an answer's headers over
        // MAX_RESPONSE_HEADERS, a flood of CONTINUATION frames). Something may have come, but
        // what the server said of this push is not known.
        SendError::NoAnswer {
            message: format!(
                "the server's answer could not be read: it broke HTTP/2's rules or went over a client's limits, such as {} KiB of headers ({e})",
                MAX_RESPONSE_HEADERS / 1024
            ),
        }
    } else {
        SendError::NoAnswer {
            message: e.to_string(),
        }
    }
}
