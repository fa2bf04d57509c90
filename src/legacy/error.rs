use std::net::SocketAddr;
use std::time::Duration;

use super::frame::PacketError;

/// Why a legacy gateway, feedback server or client could not do its job. Each message says
/// what went wrong and what to try.
#[derive(Debug, thiserror::Error)]
pub enum LegacyError {
    #[error(
        "the credential ({source_name}) has no private key — import the .p12 exported from Keychain, or add the key file"
    )]
    NoPrivateKey { source_name: String },
    #[error("OpenSSL failed while {action}: {detail}")]
    Tls {
        action: &'static str,
        detail: String,
    },
    #[error("could not listen on {addr}: {source} — pick another port, or port 0 for any free one")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "could not connect to {host}:{port}: {source} — check the address, and that the port is open through the firewall"
    )]
    Connect {
        host: String,
        port: u16,
        #[source]
        source: std::io::Error,
    },
    /// The proxy gave no tunnel; the error says why and [`ProxyError::fix`] what to do.
    ///
    /// [`ProxyError::fix`]: crate::proxy::ProxyError::fix
    #[error("{0} — {fix}", fix = .0.fix())]
    Proxy(#[from] crate::proxy::ProxyError),
    #[error(
        "no answer from {host}:{port} within {after:?} — check the address and the firewall, or allow a longer timeout"
    )]
    ConnectTimeout {
        host: String,
        port: u16,
        after: Duration,
    },
    #[error(
        "the TLS handshake with {host}:{port} failed: {detail} — check that the server trusts the CA of your push certificate, and that you trust the server's certificate"
    )]
    Handshake {
        host: String,
        port: u16,
        detail: String,
    },
    #[error(
        "{host}:{port} refused the client certificate ({detail}) — use a push certificate issued by a CA the server trusts, for this environment"
    )]
    CertificateRefused {
        host: String,
        port: u16,
        detail: String,
    },
    #[error(
        "two notifications share identifier {identifier} — give each its own identifier, otherwise an error packet cannot say which one failed"
    )]
    DuplicateIdentifier { identifier: u32 },
    #[error(
        "gave up after {attempts} connections in a row made no progress: {last} — check that the gateway is up and accepts this certificate"
    )]
    NoProgress { attempts: u32, last: String },
    #[error("{action} did not finish within {after:?} — the server stopped answering; try again")]
    Timeout {
        action: &'static str,
        after: Duration,
    },
    #[error("the connection failed while {action}: {source}")]
    Io {
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the feedback service sent more than {limit} records in one read — it is probably not a feedback service; the records before were kept"
    )]
    TooManyRecords { limit: u64 },
    #[error(transparent)]
    Packet(#[from] PacketError),
}

impl LegacyError {
    pub(crate) fn tls(action: &'static str) -> impl Fn(openssl::error::ErrorStack) -> LegacyError {
        move |e| LegacyError::Tls {
            action,
            detail: e.to_string(),
        }
    }
}
