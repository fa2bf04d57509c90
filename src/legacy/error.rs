use std::net::SocketAddr;
use std::time::Duration;

use super::frame::PacketError;

/// Why a legacy gateway, feedback server or client could not do its job. Each message says
/// what went wrong and what to try.
#[derive(Debug, thiserror::Error)]
pub enum LegacyError {
    /// The credential holds a certificate but not its private key.
    #[error(
        "the credential ({source_name}) has no private key — import the .p12 exported from Keychain, or add the key file"
    )]
    NoPrivateKey {
        /// Where the credential came from, e.g. "Push.p12".
        source_name: String,
    },
    /// OpenSSL could not set up a TLS context.
    #[error("OpenSSL failed while {action}: {detail}")]
    Tls {
        /// What was being done, e.g. "setting up the client's TLS".
        action: &'static str,
        /// OpenSSL's error stack, as text.
        detail: String,
    },
    /// A gateway or feedback server could not listen.
    #[error("could not listen on {addr}: {source} — pick another port, or port 0 for any free one")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The TCP connection to the server failed.
    #[error(
        "could not connect to {host}:{port}: {source} — check the address, and that the port is open through the firewall"
    )]
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
    /// The TCP connection (or the TLS handshake) did not finish in time.
    #[error(
        "no answer from {host}:{port} within {after:?} — check the address and the firewall, or allow a longer timeout"
    )]
    ConnectTimeout {
        /// The server's host name or address.
        host: String,
        /// The server's port.
        port: u16,
        /// How long it was given.
        after: Duration,
    },
    /// The TLS handshake failed without a TLS alert from the server (e.g. its certificate is
    /// not trusted).
    #[error(
        "the TLS handshake with {host}:{port} failed: {detail} — check that the server trusts the CA of your push certificate, and that you trust the server's certificate"
    )]
    Handshake {
        /// The server's host name or address.
        host: String,
        /// The server's port.
        port: u16,
        /// OpenSSL's error, as text.
        detail: String,
    },
    /// The server sent a TLS alert during the handshake or on the first read, most often
    /// because it refused the client certificate.
    #[error(
        "{host}:{port} refused the client certificate ({detail}) — use a push certificate issued by a CA the server trusts, for this environment"
    )]
    CertificateRefused {
        /// The server's host name or address.
        host: String,
        /// The server's port.
        port: u16,
        /// The alert or error, as text.
        detail: String,
    },
    /// Two notifications in one send carry the same identifier.
    #[error(
        "two notifications share identifier {identifier} — give each its own identifier, otherwise an error packet cannot say which one failed"
    )]
    DuplicateIdentifier {
        /// The identifier used twice.
        identifier: u32,
    },
    /// The client stopped resending: this many connections in a row settled no notification.
    #[error(
        "gave up after {attempts} connections in a row made no progress: {last} — check that the gateway is up and accepts this certificate"
    )]
    NoProgress {
        /// Connections in a row that settled nothing.
        attempts: u32,
        /// What happened on the last of them.
        last: String,
    },
    /// A read or write did not finish in time.
    #[error("{action} did not finish within {after:?} — the server stopped answering; try again")]
    Timeout {
        /// What was being done, e.g. "reading the feedback service".
        action: &'static str,
        /// How long it was given.
        after: Duration,
    },
    /// A read or write on the connection failed.
    #[error("the connection failed while {action}: {source}")]
    Io {
        /// What was being done when it failed.
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The feedback service sent more records than a feedback service would.
    #[error(
        "the feedback service sent more than {limit} records in one read — it is probably not a feedback service; the records before were kept"
    )]
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
