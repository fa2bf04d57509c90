//! Why connecting failed, step by step: each variant names what happened, and (for TLS) the
//! advice that ends it.

use std::net::SocketAddr;

use super::alert::TlsHint;

/// A step of connecting that can time out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Looking up the host name.
    Dns,
    /// The TLS handshake.
    TlsHandshake,
    /// The HTTP/2 preface, settings and first PING.
    Http2Setup,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stage::Dns => "looking up the host name (DNS)",
            Stage::TlsHandshake => "the TLS handshake",
            Stage::Http2Setup => "the HTTP/2 set-up",
        })
    }
}

/// Why a step of connecting failed, with what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConnectError {
    /// The host name did not resolve.
    #[error("could not resolve {host}: {message} — check the host name and this computer's DNS")]
    Dns {
        /// The host name.
        host: String,
        /// The resolver's error.
        message: String,
    },
    /// Nothing listens at the address (connection refused).
    #[error(
        "connection to {addr} refused — nothing listens there (for the simulator: start it with `pushlab sim`, or use --server local)"
    )]
    Refused {
        /// The address that refused.
        addr: SocketAddr,
    },
    /// The TCP connection got no answer in time.
    #[error(
        "no answer from {addr} within {secs} s — a firewall may block the port (APNs also answers on 2197)"
    )]
    TcpTimeout {
        /// The address tried.
        addr: SocketAddr,
        /// The timeout, in seconds.
        secs: u64,
    },
    /// The TCP connection failed for another reason.
    #[error("could not connect to {addr}: {message}")]
    Tcp {
        /// The address tried.
        addr: SocketAddr,
        /// The operating system's error.
        message: String,
    },
    /// The server's certificate did not verify against the trusted CAs.
    #[error("the server's certificate is not trusted ({reason}) — {hint}")]
    Untrusted {
        /// OpenSSL's verification error.
        reason: String,
        /// What to do about it.
        hint: TlsHint,
    },
    /// The TLS handshake failed with an alert that is not about the client certificate, or
    /// with none.
    #[error("the server refused the TLS handshake ({message}) — {hint}")]
    TlsRefused {
        /// The alert and error, as text.
        message: String,
        /// What to do about it.
        hint: TlsHint,
    },
    /// OpenSSL could not set up TLS for the connection.
    #[error("TLS handshake failed: {message}")]
    Tls {
        /// OpenSSL's error, as text.
        message: String,
    },
    /// The server's TLS alert about the client certificate, read for what it says; with
    /// TLS 1.3 it comes with the first read after the handshake (`after_handshake`).
    #[error("{}", super::alert::refused_text(.alert, .after_handshake, .hint))]
    CertificateRefused {
        /// The alert the server sent.
        alert: super::TlsAlert,
        /// The alert came with the first read after this side finished the handshake (TLS 1.3).
        after_handshake: bool,
        /// What to do about it.
        hint: TlsHint,
    },
    /// The client certificate is outside its dates: named first, before what the server did
    /// about it (`server`).
    #[error("{}", super::alert::not_valid_text(.expired, .date, .days, .server))]
    CertificateNotValid {
        /// It has expired (rather than not yet begun).
        expired: bool,
        /// The date it ended or starts (YYYY-MM-DD).
        date: String,
        /// Days since it ended, or until it starts.
        days: i64,
        /// The error the server's answer gave, reported after the dates.
        server: Box<ConnectError>,
    },
    /// The server ended the connection with GOAWAY before the first request: it is closing
    /// or restarting, which says nothing about the credential.
    #[error(
        "the server ended the connection with GOAWAY {reason} before the first request ({detail}) — it is shutting down or restarting, not refusing the credential: connect again"
    )]
    GoAway {
        /// The GOAWAY error code's name, e.g. `NO_ERROR`.
        reason: String,
        /// Its debug data, or "no debug data".
        detail: String,
    },
    /// The connection closed after the TLS handshake with no alert and no GOAWAY.
    #[error("the server closed the connection right after the TLS handshake ({message}) — {hint}")]
    ClosedAfterTls {
        /// The error the closing gave, as text.
        message: String,
        /// What to do about it.
        hint: TlsHint,
    },
    /// ALPN did not settle on `h2`.
    #[error("the server did not agree to HTTP/2 (ALPN gave {alpn:?}) — is this an APNs server?")]
    NoHttp2 {
        /// The protocol ALPN settled on, if any.
        alpn: Option<String>,
    },
    /// The HTTP/2 handshake or its first PING failed.
    #[error("HTTP/2 set-up failed: {message}")]
    Http2 {
        /// h2's error, as text.
        message: String,
    },
    /// A step took longer than its timeout.
    #[error("{stage} took longer than {secs} s")]
    Timeout {
        /// The step that took too long.
        stage: Stage,
        /// The timeout, in seconds.
        secs: u64,
    },
    /// The client certificate or key cannot be loaded into TLS (e.g. they do not match).
    #[error("the credential cannot be used: {0}")]
    Credential(String),
    /// The proxy gave no tunnel.
    #[error("{0} — {fix}", fix = .0.fix())]
    Proxy(#[from] crate::proxy::ProxyError),
}
