//! Reaching a proxy and asking it for a tunnel: HTTP `CONNECT` (RFC 9110 §9.3.6) with basic
//! authentication, or SOCKS5 (RFC 1928) with user name and password (RFC 1929).
//!
//! Every step runs under a timeout and every answer is read into a buffer of fixed size, so a
//! proxy that never answers, answers slowly for ever or sends garbage gives an error that says
//! so. No message ever holds the proxy's password.

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::{Proxy, ProxyKind};

mod socks5;
pub use socks5::socks_reply_meaning;
use socks5::socks5_connect;

/// The most of a proxy's answer to `CONNECT` that is read before giving up: real ones are a
/// few hundred bytes.
pub const MAX_CONNECT_ANSWER: usize = 8 * 1024;

/// Why the proxy did not give us a tunnel, each with what it means. `proxy` is the proxy's
/// `host:port` (never its credentials).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProxyError {
    /// The proxy's host name did not resolve.
    #[error("could not resolve the proxy's host {host}: {message}")]
    Dns {
        /// The proxy's host name.
        host: String,
        /// The resolver's error.
        message: String,
    },
    /// Nothing listens at the proxy's address (connection refused).
    #[error(
        "the proxy {proxy} is unreachable: it refused the connection ({addr}), so no proxy listens there"
    )]
    Refused {
        /// The proxy's `host:port`.
        proxy: String,
        /// The address that refused.
        addr: SocketAddr,
    },
    /// The proxy could not be connected to for another reason.
    #[error("the proxy {proxy} is unreachable: {message}")]
    Unreachable {
        /// The proxy's `host:port`.
        proxy: String,
        /// The operating system's error.
        message: String,
    },
    /// A step took longer than its timeout.
    #[error("no answer from the proxy {proxy} within {secs} s while {stage} (timed out)")]
    Timeout {
        /// The proxy's `host:port`.
        proxy: String,
        /// The step, e.g. "waiting for its answer to CONNECT".
        stage: &'static str,
        /// The timeout, in seconds.
        secs: u64,
    },
    /// The proxy closed the connection before answering.
    #[error("the proxy {proxy} closed the connection while {stage}, without an answer")]
    Closed {
        /// The proxy's `host:port`.
        proxy: String,
        /// The step, e.g. "waiting for its SOCKS5 answer".
        stage: &'static str,
    },
    /// 407, or 401 as some proxies (tinyproxy) answer CONNECT with wrong credentials.
    #[error("the proxy {proxy} answered {status} {}: {}{}", if *.status == 407 { "Proxy Authentication Required" } else { "Unauthorized" }, if *.sent { "it rejected the user name and password" } else { "it needs a user name and password" }, .wants.as_deref().filter(|w| !w.eq_ignore_ascii_case("basic")).map(|w| format!(" (it asks for {w} authentication; pushlab speaks Basic only)")).unwrap_or_default())]
    AuthRequired {
        /// The proxy's `host:port`.
        proxy: String,
        /// 407 or 401.
        status: u16,
        /// Credentials were sent (so they were wrong), rather than none.
        sent: bool,
        /// The scheme its Proxy-Authenticate header names (Basic, NTLM, Negotiate…).
        wants: Option<String>,
    },
    /// The proxy answered 403: its rules forbid tunnels to this target.
    #[error("the proxy {proxy} answered 403 Forbidden: it does not allow tunnels to {target}")]
    Forbidden {
        /// The proxy's `host:port`.
        proxy: String,
        /// The `host:port` asked for.
        target: String,
    },
    /// The proxy answered `CONNECT` with another non-2xx status.
    #[error("the proxy {proxy} answered {status} to CONNECT {target}: {meaning}")]
    Status {
        /// The proxy's `host:port`.
        proxy: String,
        /// The `host:port` asked for.
        target: String,
        /// The HTTP status.
        status: u16,
        /// What the status means for a tunnel, or the proxy's reason phrase.
        meaning: String,
    },
    /// The answer to `CONNECT` was not HTTP.
    #[error("the proxy {proxy} did not answer as an HTTP proxy ({what})")]
    NotHttp {
        /// The proxy's `host:port`.
        proxy: String,
        /// What was wrong with the answer.
        what: String,
    },
    /// The answer was not SOCKS5.
    #[error("the proxy {proxy} did not answer as a SOCKS5 proxy ({what})")]
    NotSocks {
        /// The proxy's `host:port`.
        proxy: String,
        /// What was wrong with the answer.
        what: String,
    },
    /// The SOCKS5 proxy accepted none of the authentication methods offered.
    #[error("the SOCKS proxy {proxy} rejected the authentication methods offered ({offered})")]
    SocksMethodRejected {
        /// The proxy's `host:port`.
        proxy: String,
        /// The methods offered, in words.
        offered: &'static str,
    },
    /// The SOCKS5 proxy refused the user name and password (RFC 1929).
    #[error("the SOCKS proxy {proxy} rejected the user name and password")]
    SocksAuthFailed {
        /// The proxy's `host:port`.
        proxy: String,
    },
    /// The SOCKS5 proxy would not connect to the target.
    #[error(
        "the SOCKS proxy {proxy} refused to connect to {target}: {meaning} (SOCKS reply {code:#04x})"
    )]
    SocksRefused {
        /// The proxy's `host:port`.
        proxy: String,
        /// The `host:port` asked for.
        target: String,
        /// The SOCKS5 reply code (RFC 1928 §6).
        code: u8,
        /// What the reply code means.
        meaning: &'static str,
    },
    /// The request cannot be put to the proxy (e.g. a name longer than SOCKS5 allows).
    #[error("cannot ask the proxy {proxy} for a tunnel: {message}")]
    Invalid {
        /// The proxy's `host:port`.
        proxy: String,
        /// What is wrong with it.
        message: String,
    },
    /// Reading from or writing to the proxy failed.
    #[error("lost the connection to the proxy {proxy}: {message}")]
    Io {
        /// The proxy's `host:port`.
        proxy: String,
        /// The operating system's error.
        message: String,
    },
}

impl ProxyError {
    /// What to do about it, in a sentence.
    pub fn fix(&self) -> &'static str {
        match self {
            ProxyError::Dns { .. } => {
                "check the proxy's host name in --proxy, HTTPS_PROXY or ALL_PROXY, and this computer's DNS"
            }
            ProxyError::Refused { .. } | ProxyError::Unreachable { .. } => {
                "check the proxy's address and port (--proxy, HTTPS_PROXY, ALL_PROXY) and that it is running; --no-proxy connects directly"
            }
            ProxyError::Timeout { .. } => {
                "the proxy or a firewall in front of it swallows the connection: check the proxy's address and port, and that it is an HTTP or SOCKS5 proxy as the URL says"
            }
            ProxyError::Closed { .. } | ProxyError::Io { .. } => {
                "check the URL's scheme matches the proxy (http:// or socks5://) and look at the proxy's log"
            }
            ProxyError::AuthRequired { sent: false, .. } => {
                "give the proxy's user name and password in the URL: http://USER:PASSWORD@HOST:PORT"
            }
            ProxyError::AuthRequired { sent: true, .. } | ProxyError::SocksAuthFailed { .. } => {
                "check the proxy user name and password (characters such as @ : / must be %-encoded in the URL)"
            }
            ProxyError::Forbidden { .. } => {
                "ask the proxy's administrators to allow CONNECT to Apple's hosts on port 443, or try port 2197 (--port 2197), which APNs also answers on"
            }
            ProxyError::Status { .. } => {
                "the proxy could not open the tunnel: check the target host and port, and the proxy's log"
            }
            ProxyError::NotHttp { .. } => {
                "this does not look like an HTTP proxy: if it is a SOCKS proxy, write socks5://HOST:PORT"
            }
            ProxyError::NotSocks { .. } => {
                "this does not look like a SOCKS5 proxy: if it is an HTTP proxy, write http://HOST:PORT"
            }
            ProxyError::SocksMethodRejected { .. } => {
                "the proxy wants another kind of authentication: give a user name and password in the URL (socks5://USER:PASSWORD@HOST:PORT), or check the proxy's configuration"
            }
            ProxyError::SocksRefused { code: 0x02, .. } => {
                "the proxy's rules forbid this host or port: ask for Apple's hosts on 443 to be allowed, or try port 2197 (--port 2197)"
            }
            ProxyError::SocksRefused {
                code: 0x03 | 0x04, ..
            } => {
                "the proxy cannot reach (or resolve) the host: check the host name, and the proxy's own network and DNS"
            }
            ProxyError::SocksRefused { code: 0x05, .. } => {
                "nothing listens at the target host and port, as seen from the proxy: check the port (443 or 2197 for APNs)"
            }
            ProxyError::SocksRefused { .. } => {
                "the proxy could not open the tunnel: look at the proxy's log"
            }
            ProxyError::Invalid { .. } => {
                "shorten the host name or the proxy credentials (SOCKS5 allows 255 bytes each)"
            }
        }
    }
}

/// Looks up the proxy's own host (the target's is left to the proxy).
pub async fn resolve(proxy: &Proxy, timeout: Duration) -> Result<Vec<SocketAddr>, ProxyError> {
    if let Ok(ip) = proxy.host.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, proxy.port)]);
    }
    let dns = |message: String| ProxyError::Dns {
        host: proxy.host.clone(),
        message,
    };
    let found = tokio::time::timeout(
        timeout,
        tokio::net::lookup_host((proxy.host.as_str(), proxy.port)),
    )
    .await
    .map_err(|_| dns(format!("no answer within {} s", timeout.as_secs())))?
    .map_err(|e| dns(e.to_string()))?;
    let addrs: Vec<SocketAddr> = found.collect();
    if addrs.is_empty() {
        return Err(dns("no addresses".to_owned()));
    }
    Ok(addrs)
}

/// Opens a TCP connection to the first of the proxy's addresses that answers.
pub async fn reach(
    proxy: &Proxy,
    addrs: &[SocketAddr],
    timeout: Duration,
) -> Result<TcpStream, ProxyError> {
    let name = proxy.address();
    let mut last = ProxyError::Unreachable {
        proxy: name.clone(),
        message: "no addresses".to_owned(),
    };
    for &addr in addrs {
        last = match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                ProxyError::Refused {
                    proxy: name.clone(),
                    addr,
                }
            }
            Ok(Err(e)) => ProxyError::Unreachable {
                proxy: name.clone(),
                message: format!("{addr}: {e}"),
            },
            Err(_) => ProxyError::Timeout {
                proxy: name.clone(),
                stage: "connecting to it",
                secs: timeout.as_secs(),
            },
        };
    }
    Err(last)
}

/// What the proxy answered when it opened the tunnel. Its `Display` is the English; the app
/// words it in its own language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TunnelOpened {
    /// An HTTP proxy answered CONNECT with a 2xx.
    Http {
        /// `host:port` asked for.
        target: String,
        /// The status, 200–299.
        status: u16,
        /// The status line's reason phrase, as the proxy wrote it (outside text).
        reason: String,
    },
    /// A SOCKS5 proxy granted the request.
    Socks5 {
        /// `host:port` asked for.
        target: String,
        /// The target was a name, which the proxy resolved.
        resolved_name: bool,
    },
}

impl std::fmt::Display for TunnelOpened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TunnelOpened::Http {
                target,
                status,
                reason,
            } => write!(
                f,
                "the proxy opened a tunnel to {target} ({status} {reason})"
            ),
            TunnelOpened::Socks5 {
                target,
                resolved_name,
            } => write!(
                f,
                "the SOCKS5 proxy opened a tunnel to {target}{}",
                if *resolved_name {
                    " (it resolved the name)"
                } else {
                    ""
                }
            ),
        }
    }
}

/// Asks the proxy, over `stream`, for a tunnel to `host:port`; returns the stream, now a
/// tunnel, and what the proxy answered.
pub async fn handshake(
    mut stream: TcpStream,
    proxy: &Proxy,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, TunnelOpened), ProxyError> {
    let stage = match proxy.kind {
        ProxyKind::Http => "waiting for its answer to CONNECT",
        ProxyKind::Socks5 => "waiting for its SOCKS5 answer",
    };
    let work = async {
        match proxy.kind {
            ProxyKind::Http => http_connect(&mut stream, proxy, host, port).await,
            ProxyKind::Socks5 => socks5_connect(&mut stream, proxy, host, port).await,
        }
    };
    let detail = tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| ProxyError::Timeout {
            proxy: proxy.address(),
            stage,
            secs: timeout.as_secs(),
        })??;
    Ok((stream, detail))
}

/// The whole way through a proxy: its host, TCP to it, the tunnel to `host:port`.
pub async fn connect(
    proxy: &Proxy,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<TcpStream, ProxyError> {
    let addrs = resolve(proxy, timeout).await?;
    let stream = reach(proxy, &addrs, timeout).await?;
    Ok(handshake(stream, proxy, host, port, timeout).await?.0)
}

/// `host:port` as a request target, with brackets around an IPv6 address.
fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

fn io_err<'a>(proxy: &'a Proxy, stage: &'static str) -> impl Fn(std::io::Error) -> ProxyError + 'a {
    move |e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            ProxyError::Closed {
                proxy: proxy.address(),
                stage,
            }
        } else {
            ProxyError::Io {
                proxy: proxy.address(),
                message: e.to_string(),
            }
        }
    }
}

async fn http_connect(
    stream: &mut TcpStream,
    proxy: &Proxy,
    host: &str,
    port: u16,
) -> Result<TunnelOpened, ProxyError> {
    let target = authority(host, port);
    if target.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err(ProxyError::Invalid {
            proxy: proxy.address(),
            message: "the host name holds spaces or control characters".to_owned(),
        });
    }
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(c) = &proxy.credentials {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", c.user, c.password));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    let stage = "waiting for its answer to CONNECT";
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(io_err(proxy, stage))?;
    // Byte by byte up to the blank line: reading more could swallow the first bytes of the
    // tunnel, and an answer is a few hundred bytes.
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") && !(head.ends_with(b"\n\n")) {
        if head.len() >= MAX_CONNECT_ANSWER {
            return Err(ProxyError::NotHttp {
                proxy: proxy.address(),
                what: format!("no end of headers in its first {MAX_CONNECT_ANSWER} bytes"),
            });
        }
        let byte = stream.read_u8().await.map_err(io_err(proxy, stage))?;
        head.push(byte);
        if head.len() == 5 && !head.starts_with(b"HTTP/") {
            return Err(ProxyError::NotHttp {
                proxy: proxy.address(),
                what: format!("it began with {}", hex::encode(&head)),
            });
        }
    }
    let text = String::from_utf8_lossy(&head);
    let status_line = text.lines().next().unwrap_or_default().trim().to_owned();
    let mut parts = status_line.splitn(3, ' ');
    let _version = parts.next();
    let status: u16 =
        parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| ProxyError::NotHttp {
                proxy: proxy.address(),
                what: format!("status line {status_line:?}"),
            })?;
    let reason = parts.next().unwrap_or_default().to_owned();
    match status {
        200..=299 => Ok(TunnelOpened::Http {
            target,
            status,
            reason,
        }),
        401 | 407 => Err(ProxyError::AuthRequired {
            proxy: proxy.address(),
            status,
            sent: proxy.credentials.is_some(),
            wants: text.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                let name = name.trim();
                (name.eq_ignore_ascii_case("proxy-authenticate")
                    || name.eq_ignore_ascii_case("www-authenticate"))
                .then(|| {
                    value
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
            }),
        }),
        403 => Err(ProxyError::Forbidden {
            proxy: proxy.address(),
            target,
        }),
        _ => {
            let meaning = match status {
                502 => "the proxy could not reach the host (Bad Gateway)".to_owned(),
                504 => "the host did not answer the proxy in time (Gateway Timeout)".to_owned(),
                405 => "the proxy does not allow CONNECT".to_owned(),
                _ => reason,
            };
            Err(ProxyError::Status {
                proxy: proxy.address(),
                target,
                status,
                meaning,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A proxy at a local port that sends `answer` (repeated `times`) to whoever connects.
    async fn answering(answer: &'static [u8], times: usize) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            for _ in 0..times {
                if s.write_all(answer).await.is_err() {
                    return;
                }
            }
            let mut sink = [0u8; 512];
            while matches!(s.read(&mut sink).await, Ok(n) if n > 0) {}
        });
        Proxy::parse(&format!("http://{addr}")).unwrap()
    }

    async fn tunnel(proxy: &Proxy, timeout: Duration) -> Result<TcpStream, ProxyError> {
        connect(proxy, "api.push.apple.com", 443, timeout).await
    }

    #[tokio::test]
    async fn headers_that_never_end_are_cut_off_at_8_kib() {
        // Starts like HTTP, then a header line for ever (well past the limit).
        let proxy = answering(b"HTTP/1.1 200 OK\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1000).await;
        let err = tunnel(&proxy, Duration::from_secs(10)).await.unwrap_err();
        assert!(matches!(err, ProxyError::NotHttp { .. }), "{err}");
        assert!(err.to_string().contains("8192 bytes"), "{err}");
    }

    #[tokio::test]
    async fn a_proxy_that_stops_mid_answer_times_out() {
        let proxy = answering(b"HTTP/1.1 200 Connection est", 1).await;
        let err = tunnel(&proxy, Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(matches!(err, ProxyError::Timeout { .. }), "{err}");
    }

    #[tokio::test]
    async fn a_proxy_that_hangs_up_says_so() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            drop(s);
        });
        let socks = Proxy::parse(&format!("socks5://{addr}")).unwrap();
        let err = tunnel(&socks, Duration::from_secs(5)).await.unwrap_err();
        assert!(
            matches!(err, ProxyError::Closed { .. } | ProxyError::Io { .. }),
            "{err}"
        );
    }

    #[test]
    fn every_socks_code_has_a_meaning_and_every_error_a_fix() {
        for code in 1..=8 {
            assert_ne!(socks_reply_meaning(code), socks_reply_meaning(0x7f));
        }
        let e = ProxyError::SocksRefused {
            proxy: "p:1".to_owned(),
            target: "h:443".to_owned(),
            code: 2,
            meaning: socks_reply_meaning(2),
        };
        assert!(e.to_string().contains("0x02") && e.fix().contains("2197"));
    }
}
