//! TLS with client certificates, as the binary interface used it: the gateway and feedback
//! service demand a push certificate; the provider checks the server against trusted CAs.

use std::pin::Pin;
use std::time::Duration;

use openssl::ssl::{SslAcceptor, SslConnector, SslMethod, SslVerifyMode, SslVersion};
use openssl::x509::X509;
use openssl::x509::store::X509StoreBuilder;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_openssl::SslStream;

use super::LegacyError;
use crate::cert::Credential;

/// Apple's production gateway (retired 31 March 2021).
pub const APPLE_GATEWAY: (&str, u16) = ("gateway.push.apple.com", 2195);
/// Apple's sandbox gateway (retired 31 March 2021).
pub const APPLE_GATEWAY_SANDBOX: (&str, u16) = ("gateway.sandbox.push.apple.com", 2195);
/// Apple's production feedback service (retired 31 March 2021).
pub const APPLE_FEEDBACK: (&str, u16) = ("feedback.push.apple.com", 2196);
/// Apple's sandbox feedback service (retired 31 March 2021).
pub const APPLE_FEEDBACK_SANDBOX: (&str, u16) = ("feedback.sandbox.push.apple.com", 2196);

/// The server side of the TLS setup: the server's own certificate, and the CAs whose client
/// certificates it accepts. A client without a certificate from one of them is refused.
#[derive(Debug, Clone)]
pub struct ServerTls {
    /// The server's certificate and private key.
    pub identity: Credential,
    /// The CAs whose client certificates are accepted.
    pub client_ca: Vec<X509>,
}

impl ServerTls {
    /// A server with this certificate, accepting clients whose certificates these CAs issued.
    pub fn new(identity: Credential, client_ca: Vec<X509>) -> Self {
        ServerTls {
            identity,
            client_ca,
        }
    }

    /// TLS 1.2 or later, client certificate required and verified.
    pub(crate) fn acceptor(&self) -> Result<SslAcceptor, LegacyError> {
        let err = LegacyError::tls("setting up the server's TLS");
        let key = self
            .identity
            .private_key
            .as_ref()
            .ok_or_else(|| LegacyError::NoPrivateKey {
                source_name: self.identity.source.clone(),
            })?;
        let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).map_err(&err)?;
        b.set_min_proto_version(Some(SslVersion::TLS1_2))
            .map_err(&err)?;
        b.set_certificate(&self.identity.certificate)
            .map_err(&err)?;
        b.set_private_key(key).map_err(&err)?;
        for c in &self.identity.chain {
            b.add_extra_chain_cert(c.clone()).map_err(&err)?;
        }
        let mut store = X509StoreBuilder::new().map_err(&err)?;
        for ca in &self.client_ca {
            store.add_cert(ca.clone()).map_err(&err)?;
            b.add_client_ca(ca).map_err(&err)?;
        }
        b.set_cert_store(store.build());
        b.set_verify(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT);
        b.set_session_id_context(b"pushlab-legacy").map_err(&err)?;
        Ok(b.build())
    }
}

/// Where and how a provider connects: host, port, its push certificate, and the CAs it trusts
/// for the server (empty = the system's trusted roots, as for Apple's own servers).
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The server's host name or address; also the name its certificate is checked against.
    pub host: String,
    /// The server's port: 2195 for a gateway, 2196 for a feedback service.
    pub port: u16,
    /// The push certificate and key the provider presents.
    pub credential: Credential,
    /// CAs trusted for the server's certificate; empty means the system's trusted roots.
    pub trusted_ca: Vec<X509>,
    /// Limit for TCP connect plus TLS handshake.
    pub connect_timeout: Duration,
    /// The proxy to connect through (it resolves `host`); `None` connects directly.
    pub proxy: Option<crate::proxy::Proxy>,
}

impl Endpoint {
    /// An endpoint with a 10 second connect timeout that trusts the system's roots.
    pub fn new(host: impl Into<String>, port: u16, credential: Credential) -> Self {
        Endpoint {
            host: host.into(),
            port,
            credential,
            trusted_ca: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            proxy: None,
        }
    }

    /// Connect through this proxy (or directly, with `None`).
    pub fn proxy(mut self, proxy: Option<crate::proxy::Proxy>) -> Self {
        self.proxy = proxy;
        self
    }

    /// Also trust this CA for the server's certificate (a simulator's or in-house gateway's).
    pub fn trust(mut self, ca: X509) -> Self {
        self.trusted_ca.push(ca);
        self
    }

    /// Limit for TCP connect plus TLS handshake (10 seconds by default).
    pub fn connect_timeout(mut self, after: Duration) -> Self {
        self.connect_timeout = after;
        self
    }

    /// Opens a TLS connection with the client certificate.
    ///
    /// With TLS 1.3 a server that refuses the certificate only says so on the first read, so
    /// success here does not yet prove the certificate was accepted.
    pub async fn connect(&self) -> Result<SslStream<TcpStream>, LegacyError> {
        let timeout = self.connect_timeout;
        tokio::time::timeout(timeout, self.connect_inner())
            .await
            .map_err(|_| LegacyError::ConnectTimeout {
                host: self.host.clone(),
                port: self.port,
                after: timeout,
            })?
    }

    async fn connect_inner(&self) -> Result<SslStream<TcpStream>, LegacyError> {
        let err = LegacyError::tls("setting up the client's TLS");
        let key =
            self.credential
                .private_key
                .as_ref()
                .ok_or_else(|| LegacyError::NoPrivateKey {
                    source_name: self.credential.source.clone(),
                })?;
        let mut b = SslConnector::builder(SslMethod::tls_client()).map_err(&err)?;
        b.set_min_proto_version(Some(SslVersion::TLS1_2))
            .map_err(&err)?;
        b.set_certificate(&self.credential.certificate)
            .map_err(&err)?;
        b.set_private_key(key).map_err(&err)?;
        for c in &self.credential.chain {
            b.add_extra_chain_cert(c.clone()).map_err(&err)?;
        }
        if !self.trusted_ca.is_empty() {
            let mut store = X509StoreBuilder::new().map_err(&err)?;
            for ca in &self.trusted_ca {
                store.add_cert(ca.clone()).map_err(&err)?;
            }
            b.set_cert_store(store.build());
        }
        let ssl = b
            .build()
            .configure()
            .and_then(|c| c.into_ssl(&self.host))
            .map_err(&err)?;
        let tcp = match &self.proxy {
            Some(proxy) => {
                crate::proxy::connect(proxy, &self.host, self.port, self.connect_timeout).await?
            }
            None => TcpStream::connect((self.host.as_str(), self.port))
                .await
                .map_err(|source| LegacyError::Connect {
                    host: self.host.clone(),
                    port: self.port,
                    source,
                })?,
        };
        let _ = tcp.set_nodelay(true);
        let mut stream = SslStream::new(ssl, tcp).map_err(&err)?;
        Pin::new(&mut stream).connect().await.map_err(|e| {
            let detail = ssl_detail(&e);
            // A refused client certificate comes as an alert about it, or as TLS 1.2's
            // handshake_failure (40); another alert (protocol_version, internal_error…) is
            // about the handshake, not the certificate.
            let about_certificate = crate::client::TlsAlert::of_ssl(&e)
                .is_some_and(|a| a.is_about_certificate() || a.0 == 40);
            if about_certificate {
                LegacyError::CertificateRefused {
                    host: self.host.clone(),
                    port: self.port,
                    detail,
                }
            } else {
                LegacyError::Handshake {
                    host: self.host.clone(),
                    port: self.port,
                    detail,
                }
            }
        })?;
        Ok(stream)
    }
}

fn ssl_detail(e: &openssl::ssl::Error) -> String {
    match e.ssl_error() {
        Some(stack) => stack
            .errors()
            .iter()
            .map(|e| e.reason().unwrap_or("unknown").to_owned())
            .collect::<Vec<_>>()
            .join("; "),
        None => e.to_string(),
    }
}

/// The TLS alert the peer sent, if this I/O error is one (how a TLS 1.3 server refuses a
/// client certificate after the handshake seemed to succeed).
pub(crate) fn peer_alert(e: &std::io::Error) -> Option<String> {
    let ssl = e.get_ref()?.downcast_ref::<openssl::ssl::Error>()?;
    crate::client::TlsAlert::of_ssl(ssl).map(|_| ssl_detail(ssl))
}

/// Accepts a TLS connection, or `None` if the client did not complete the handshake (no
/// certificate, an untrusted one, or too slow).
pub(crate) async fn accept(
    acceptor: &SslAcceptor,
    tcp: TcpStream,
    timeout: Duration,
) -> Option<SslStream<TcpStream>> {
    let _ = tcp.set_nodelay(true);
    let ssl = openssl::ssl::Ssl::new(acceptor.context()).ok()?;
    let mut stream = SslStream::new(ssl, tcp).ok()?;
    match tokio::time::timeout(timeout, Pin::new(&mut stream).accept()).await {
        Ok(Ok(())) => Some(stream),
        _ => None,
    }
}

/// Closes our side cleanly (TLS close_notify, then TCP FIN) and reads and discards what the
/// peer still sends until it closes too, or `timeout` passes.
///
/// Closing a socket with unread data makes the kernel send a reset, and a reset can destroy
/// the error packet before the client reads it: the drain is what makes the error packet
/// arrive reliably.
pub(crate) async fn close_gracefully<S>(stream: &mut S, timeout: Duration)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let _ = tokio::time::timeout(timeout, async {
        let _ = stream.flush().await;
        let _ = stream.shutdown().await;
        let mut sink = [0u8; 4096];
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}

/// Serves each accepted connection on its own task until `stop` changes, then stops
/// accepting and waits for the connections already open to finish.
pub(crate) async fn accept_until_stopped<F, Fut>(
    listener: tokio::net::TcpListener,
    mut stop: tokio::sync::watch::Receiver<bool>,
    mut serve: F,
) where
    F: FnMut(TcpStream) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => {
                if let Ok((tcp, _)) = accepted {
                    connections.spawn(serve(tcp));
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}
