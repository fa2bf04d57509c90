//! The connection check's sentences as values: what a step found ([`StepSentence`]) and what
//! to do ([`StepFix`]). The CLI prints a step's English; the app words these by matching them
//! exhaustively, so a new sentence without its words does not compile. A failed step carries
//! its error itself ([`ConnectError`], [`ProxyError`]): those are typed already.

use super::ConnectError;
use crate::apns::Reason;
use crate::proxy::{ProxyError, TunnelOpened};

/// What a step of the check found, as a value.
#[derive(Debug, Clone, PartialEq)]
pub enum StepSentence {
    /// An earlier step failed, so this one did not run.
    NotRun,
    /// The host is an IP address: nothing to look up.
    DnsAddress {
        /// The address given.
        host: String,
    },
    /// The host name resolved.
    DnsResolved {
        /// The name looked up.
        host: String,
        /// The addresses it has, comma-separated.
        addresses: String,
    },
    /// TCP connected.
    TcpConnected {
        /// The address connected to.
        peer: String,
    },
    /// The TLS handshake passed and the server's certificate verified.
    TlsVerified {
        /// The TLS version, e.g. `TLSv1.3`.
        version: String,
        /// The cipher suite.
        cipher: String,
        /// What ALPN settled on, `-` for nothing.
        alpn: String,
        /// The server certificate's subject.
        subject: String,
        /// The issuer of the chain's last certificate, `-` without one.
        issuer: String,
        /// Which root that is.
        root: ServerRoot,
    },
    /// The TLS handshake passed (the server then did not agree to HTTP/2).
    TlsDone,
    /// HTTP/2 is ready with this stream limit.
    Http2Streams {
        /// The server's `SETTINGS_MAX_CONCURRENT_STREAMS`.
        streams: usize,
    },
    /// HTTP/2 is ready and the server set no stream limit.
    Http2NoLimit,
    /// The probe got no answer.
    ProbeFailed {
        /// Why, as the send error words it.
        error: String,
    },
    /// The probe's BadDeviceToken: the connection and the credential were accepted.
    AuthOk,
    /// The probe was refused for its credential (a 403).
    Refused {
        /// The status.
        status: u16,
        /// Apple's reason.
        reason: Reason,
    },
    /// The credential was accepted but the topic refused.
    TopicRefused {
        /// The status.
        status: u16,
        /// Apple's reason.
        reason: Reason,
    },
    /// Another reason Apple documents, unexpected for the probe.
    UnexpectedReason {
        /// The status.
        status: u16,
        /// Apple's reason.
        reason: Reason,
    },
    /// The server answered 200 to a token that cannot exist.
    AcceptsInvalidToken,
    /// An answer APNs does not give.
    UnexpectedAnswer {
        /// The status.
        status: u16,
        /// The reason the server gave, as it gave it, or `-`.
        reason: String,
    },
    /// The step failed with this error.
    Failed(ConnectError),
    /// A step of the proxy failed with this error.
    ProxyFailed(ProxyError),
    /// The proxy's host was looked up (Apple's host is the proxy's to resolve).
    ProxyResolved {
        /// The proxy's host.
        proxy: String,
        /// Its addresses, comma-separated; `None` when the host is an address.
        addresses: Option<String>,
        /// The server's host name, which the proxy resolves; `None` for an address.
        target: Option<String>,
    },
    /// TCP to the proxy connected.
    ProxyReached {
        /// The proxy, as given (its password hidden).
        proxy: String,
        /// The address connected to.
        peer: String,
    },
    /// The proxy opened the tunnel.
    ProxyTunnel(TunnelOpened),
}

/// Which root the server's chain ends in: Apple moved its APNs servers to a new root in 2025
/// (sandbox 20 January, production 24 February), and saying which one answered explains a
/// trust failure on an old CA store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerRoot {
    /// The chain had no certificate.
    None,
    /// USERTrust RSA: Apple's since 2025.
    UserTrust,
    /// GeoTrust (or the AAA root that cross-signs it): Apple's before 2025.
    GeoTrust,
    /// Another root: a simulator's, a proxy's, a test server's.
    Other,
}

impl ServerRoot {
    /// The root of a chain whose last certificate was issued by `issuer`.
    pub(super) fn of_issuer(issuer: &str) -> Self {
        if issuer.contains("USERTrust RSA") {
            ServerRoot::UserTrust
        } else if issuer.contains("GeoTrust") || issuer.contains("AAA Certificate Services") {
            ServerRoot::GeoTrust
        } else {
            ServerRoot::Other
        }
    }

    /// The English note after the issuer's name.
    pub(super) fn note(self) -> &'static str {
        match self {
            ServerRoot::UserTrust => " — the root Apple's APNs servers use since 2025",
            ServerRoot::GeoTrust => " — the root Apple's APNs servers used before 2025",
            ServerRoot::None | ServerRoot::Other => "",
        }
    }
}

/// What to do about a failed step, as a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepFix {
    /// Check the host name and DNS, or use a proxy.
    Dns,
    /// Start the server, or check the port.
    Refused,
    /// A firewall may block the port.
    Timeout,
    /// The server is not an HTTP/2 APNs server.
    NoHttp2,
    /// Try again; if it persists, check the server.
    Retry,
    /// Renew the expired client certificate.
    RenewCertificate,
    /// Check the clock, or wait for the certificate's start.
    CertificateDates,
    /// The server sent GOAWAY: run the check again.
    GoAway,
    /// The server ended the request with an HTTP/2 error: run the check again.
    Http2Error,
    /// With TLS 1.3 the client certificate was rejected only now.
    CertificateRejected,
    /// Check the server is an APNs server.
    NotApns,
    /// The TLS failure's own advice.
    Hint(super::TlsHint),
    /// What to do about the proxy.
    Proxy(ProxyFix),
    /// Apple's fix for the reason it gave.
    Reason(Reason),
}

impl StepFix {
    /// The fix for a step that failed with `e` (the error's own advice for a TLS failure).
    pub(super) fn of(e: &ConnectError) -> Self {
        match e {
            ConnectError::Dns { .. } => StepFix::Dns,
            ConnectError::Refused { .. } => StepFix::Refused,
            ConnectError::TcpTimeout { .. } => StepFix::Timeout,
            ConnectError::Untrusted { hint, .. }
            | ConnectError::TlsRefused { hint, .. }
            | ConnectError::CertificateRefused { hint, .. }
            | ConnectError::ClosedAfterTls { hint, .. } => StepFix::Hint(*hint),
            ConnectError::CertificateNotValid { expired: true, .. } => StepFix::RenewCertificate,
            ConnectError::CertificateNotValid { expired: false, .. } => StepFix::CertificateDates,
            ConnectError::GoAway { .. } => StepFix::GoAway,
            ConnectError::Proxy(e) => StepFix::Proxy(ProxyFix::of(e)),
            ConnectError::NoHttp2 { .. } => StepFix::NoHttp2,
            _ => StepFix::Retry,
        }
    }
}

/// What to do about a proxy's refusal, worded for the app (its Proxy field, not the CLI's
/// options, whose words are [`ProxyError::fix`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyFix {
    /// Check the proxy's host name.
    Dns,
    /// Check the proxy's address and port.
    Address,
    /// The proxy did not answer in time.
    Timeout,
    /// The proxy closed: check its scheme (http or socks5).
    Scheme,
    /// Give the proxy a user name and password.
    GiveCredentials,
    /// Check the proxy's user name and password.
    CheckCredentials,
    /// The proxy's rules forbid the destination.
    Forbidden,
    /// The proxy refused with another status.
    Status,
    /// Not an HTTP proxy.
    NotHttp,
    /// Not a SOCKS5 proxy.
    NotSocks,
    /// The SOCKS5 proxy accepts none of the offered methods.
    SocksMethod,
    /// The SOCKS5 proxy's rules refuse the destination.
    SocksRules,
    /// The SOCKS5 proxy cannot reach the destination.
    SocksUnreachable,
    /// Nothing listens at the destination, says the SOCKS5 proxy.
    SocksNothingListens,
    /// Another SOCKS5 refusal.
    SocksOther,
    /// The proxy's address is not valid.
    Invalid,
}

impl ProxyFix {
    /// The fix for the proxy's error.
    pub fn of(e: &ProxyError) -> Self {
        match e {
            ProxyError::Dns { .. } => ProxyFix::Dns,
            ProxyError::Refused { .. } | ProxyError::Unreachable { .. } => ProxyFix::Address,
            ProxyError::Timeout { .. } => ProxyFix::Timeout,
            ProxyError::Closed { .. } | ProxyError::Io { .. } => ProxyFix::Scheme,
            ProxyError::AuthRequired { sent: false, .. } => ProxyFix::GiveCredentials,
            ProxyError::AuthRequired { sent: true, .. } | ProxyError::SocksAuthFailed { .. } => {
                ProxyFix::CheckCredentials
            }
            ProxyError::Forbidden { .. } => ProxyFix::Forbidden,
            ProxyError::Status { .. } => ProxyFix::Status,
            ProxyError::NotHttp { .. } => ProxyFix::NotHttp,
            ProxyError::NotSocks { .. } => ProxyFix::NotSocks,
            ProxyError::SocksMethodRejected { .. } => ProxyFix::SocksMethod,
            ProxyError::SocksRefused { code: 0x02, .. } => ProxyFix::SocksRules,
            ProxyError::SocksRefused {
                code: 0x03 | 0x04, ..
            } => ProxyFix::SocksUnreachable,
            ProxyError::SocksRefused { code: 0x05, .. } => ProxyFix::SocksNothingListens,
            ProxyError::SocksRefused { .. } => ProxyFix::SocksOther,
            ProxyError::Invalid { .. } => ProxyFix::Invalid,
        }
    }
}

/// What the server did, in English, without the advice that follows it in its own error:
/// when the certificate's dates are the cause, the advice is theirs.
pub(super) fn server_part(e: &ConnectError) -> String {
    match e {
        ConnectError::CertificateRefused {
            alert,
            after_handshake: false,
            ..
        } => format!("the server refused the client certificate: {alert}"),
        ConnectError::CertificateRefused { alert, .. } => {
            format!("the server refused the client certificate after the TLS handshake: {alert}")
        }
        ConnectError::ClosedAfterTls { message, .. } => {
            format!("the server closed the connection right after the TLS handshake ({message})")
        }
        ConnectError::TlsRefused { message, .. } | ConnectError::Tls { message } => {
            format!("the server refused the TLS handshake ({message})")
        }
        other => other.to_string(),
    }
}
