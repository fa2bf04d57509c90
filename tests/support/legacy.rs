//! Fixtures for the legacy binary interface: a CA, a server certificate for 127.0.0.1, a push
//! certificate, and a byte-level TLS client.

use std::net::SocketAddr;
use std::pin::Pin;

use openssl::ssl::{SslConnector, SslMethod};
use pushlab::cert::{CertEnvironment, CertificateAuthority, Credential};
use pushlab::legacy::{Endpoint, ServerTls};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_openssl::SslStream;

pub struct Fixture {
    pub ca: CertificateAuthority,
    pub server: Credential,
    pub client: Credential,
}

impl Fixture {
    pub fn new() -> Fixture {
        let ca = super::ca();
        let server = ca
            .issue_server_certificate(&["localhost", "127.0.0.1"])
            .unwrap();
        let client = super::push_cert(&ca, "com.example.doorbell", CertEnvironment::Development);
        Fixture { ca, server, client }
    }

    pub fn server_tls(&self) -> ServerTls {
        ServerTls::new(self.server.clone(), vec![self.ca.certificate.clone()])
    }

    pub fn endpoint(&self, addr: SocketAddr) -> Endpoint {
        assert!(addr.ip().is_loopback());
        Endpoint::new("127.0.0.1", addr.port(), self.client.clone())
            .trust(self.ca.certificate.clone())
    }
}

/// A distinct 32-byte token per number.
pub fn token(i: u32) -> Vec<u8> {
    let mut t = vec![0xa5; 32];
    t[..4].copy_from_slice(&i.to_be_bytes());
    t[28..].copy_from_slice(&(!i).to_be_bytes());
    t
}

pub fn payload(i: u32) -> Vec<u8> {
    format!(r#"{{"aps":{{"alert":"Ding dong {i}"}}}}"#).into_bytes()
}

/// Opens a TLS connection with the test push certificate (or none), to 127.0.0.1 only.
pub async fn raw_connect(
    fx: &Fixture,
    addr: SocketAddr,
    with_certificate: bool,
) -> Result<SslStream<TcpStream>, String> {
    assert!(addr.ip().is_loopback());
    let mut b = SslConnector::builder(SslMethod::tls_client()).unwrap();
    if with_certificate {
        b.set_certificate(&fx.client.certificate).unwrap();
        b.set_private_key(fx.client.private_key.as_ref().unwrap())
            .unwrap();
    }
    let mut store = openssl::x509::store::X509StoreBuilder::new().unwrap();
    store.add_cert(fx.ca.certificate.clone()).unwrap();
    b.set_cert_store(store.build());
    let ssl = b
        .build()
        .configure()
        .unwrap()
        .into_ssl("127.0.0.1")
        .unwrap();
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut s = SslStream::new(ssl, tcp).unwrap();
    Pin::new(&mut s)
        .connect()
        .await
        .map_err(|e| e.to_string())?;
    Ok(s)
}

/// Writes `bytes` in small chunks, closes the sending side, and reads everything the server
/// sends until it closes. A read error ends the reading too.
pub async fn exchange(stream: &mut SslStream<TcpStream>, bytes: &[u8]) -> Vec<u8> {
    for chunk in bytes.chunks(7) {
        if stream.write_all(chunk).await.is_err() {
            break;
        }
        let _ = stream.flush().await;
    }
    let _ = stream.shutdown().await;
    read_to_end(stream).await
}

pub async fn read_to_end(stream: &mut SslStream<TcpStream>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}
