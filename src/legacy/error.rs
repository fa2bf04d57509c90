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
    /// The credential holds a certificate but not its private key.
    NoPrivateKey {
        /// Where the credential came from, e.g. "Push.p12".
        source_name: String,
    },
    #[error("OpenSSL failed while {action}: {detail}")]
    /// OpenSSL could not set up a TLS context.
    Tls {
        /// What was being done, e.g. "setting up the client's TLS".
        action: &'static str,
        /// OpenSSL's error stack, as text.
        detail: String,
    },
    #[error("could not listen on {addr}: {source} — pick another port, or port 0 for any free one")]
    /// A gateway or feedback server could not listen.
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    #[error(
        "could not connect to {host}:{port}: {source} — check the address, and that the port is open through the firewall"
    )]
    /// The TCP connection to the server failed.
    Connect {
        /// The server's host name or address.
        host: String,
        /// The server's port.
        port: u16,
        /// The operating system's error.
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
    /// The TCP connection (or the TLS handshake) did not finish in time.
    ConnectTimeout {
        /// The server's host name or address.
        host: String,
        /// The server's port.
        port: u16,
        /// How long it was given.
        after: Duration,
    },
    #[error(
        "the TLS handshake with {host}:{port} failed: {detail} — check that the server trusts the CA of your push certificate, and that you trust the server's certificate"
    )]
    /// The TLS handshake failed for a reason other than the client certificate.
    Handshake {
        /// The server's host name or address.
        host: String,
        /// The server's port.
        port: u16,
        /// OpenSSL's error, as text.
        detail: String,
    },
    #[error(
        "{host}:{port} refused the client certificate ({detail}) — use a push certificate issued by a CA the server trusts, for this environment"
    )]
    /// The server sent a TLS alert during the handshake or on the first read, most often
    /// because it refused the client certificate.
    CertificateRefused {
        /// The server's host name or address.
        host: String,
        /// The server's port.
        port: u16,
        /// The alert or error, as text.
        detail: String,
    },
    #[error(
        "two notifications share identifier {identifier} — give each its own identifier, otherwise an error packet cannot say which one failed"
    )]
    /// Two notifications in one send carry the same identifier.
    DuplicateIdentifier {
        /// The identifier used twice.
        identifier: u32,
    },
    #[error(
        "gave up after {attempts} connections in a row made no progress: {last} — check that the gateway is up and accepts this certificate"
    )]
    /// The client stopped resending: this many connections in a row settled no notification.
    NoProgress {
        /// Connections in a row that settled nothing.
        attempts: u32,
        /// What happened on the last of them.
        last: String,
    },
    #[error("{action} did not finish within {after:?} — the server stopped answering; try again")]
    /// A read or write did not finish in time.
    Timeout {
        /// What was being done, e.g. "reading the feedback service".
        action: &'static str,
        /// How long it was given.
        after: Duration,
    },
    #[error("the connection failed while {action}: {source}")]
    /// A read or write on the connection failed.
    Io {
        /// What was being done when it failed.
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the feedback service sent more than {limit} records in one read — it is probably not a feedback service; the records before were kept"
    )]
    /// The feedback service sent more records than a feedback service would.
    TooManyRecords {
        /// The most records read from one connection.
        limit: u64,
    },
    /// A frame or packet could not be encoded or decoded.
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
