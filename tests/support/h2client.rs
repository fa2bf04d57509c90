//! A plain HTTP/2 client built on `h2` for the tests: independent of pushlab's own client.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;

use bytes::Bytes;
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use openssl::x509::X509;
use pushlab::cert::Credential;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn reason(&self) -> Option<String> {
        serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v["reason"].as_str().map(str::to_owned))
    }
}

pub async fn tls(
    addr: SocketAddr,
    ca: &X509,
    identity: Option<&Credential>,
) -> Result<tokio_openssl::SslStream<TcpStream>, String> {
    let mut b = SslConnector::builder(SslMethod::tls_client()).unwrap();
    b.cert_store_mut().add_cert(ca.clone()).unwrap();
    b.set_verify(SslVerifyMode::PEER);
    b.set_alpn_protos(b"\x02h2").unwrap();
    if let Some(id) = identity {
        b.set_certificate(&id.certificate).unwrap();
        b.set_private_key(id.private_key.as_ref().unwrap()).unwrap();
    }
    let ssl = b
        .build()
        .configure()
        .unwrap()
        .into_ssl("localhost")
        .unwrap();
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    // As every HTTP/2 client does (curl, nghttp2, h2load): without it a request's DATA waits
    // behind its HEADERS for the server's delayed ACK, 40 ms a request on Linux.
    tcp.set_nodelay(true).map_err(|e| e.to_string())?;
    let mut stream = tokio_openssl::SslStream::new(ssl, tcp).map_err(|e| e.to_string())?;
    std::pin::Pin::new(&mut stream)
        .connect()
        .await
        .map_err(|e| e.to_string())?;
    Ok(stream)
}

pub struct Client {
    pub send: h2::client::SendRequest<Bytes>,
    /// `bearer <JWT>` added to every request that does not carry its own: a token-based
    /// connection.
    pub authorization: Option<String>,
}

pub async fn connect(
    addr: SocketAddr,
    ca: &X509,
    identity: Option<&Credential>,
) -> Result<Client, String> {
    let stream = tls(addr, ca, identity).await?;
    let (send, conn) = h2::client::handshake(stream)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(Client {
        send,
        authorization: None,
    })
}

/// A token-based connection: no client certificate, and a provider token signed now with
/// `key` on every request.
pub async fn connect_with_key(
    addr: SocketAddr,
    ca: &X509,
    key: &pushlab::cert::AuthKey,
) -> Result<Client, String> {
    let mut client = connect(addr, ca, None).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let jwt = pushlab::apns::jwt::sign(key, now).map_err(|e| e.to_string())?;
    client.authorization = Some(format!("bearer {jwt}"));
    Ok(client)
}

impl Client {
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Answer, String> {
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("https://localhost{path}"));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(bearer) = &self.authorization
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        {
            req = req.header("authorization", bearer);
        }
        let req = req.body(()).unwrap();
        let mut send = self.send.clone().ready().await.map_err(|e| e.to_string())?;
        let (response, mut stream) = send
            .send_request(req, body.is_empty())
            .map_err(|e| e.to_string())?;
        if !body.is_empty() {
            stream
                .send_data(Bytes::copy_from_slice(body), true)
                .map_err(|e| e.to_string())?;
        }
        let response = response.await.map_err(|e| e.to_string())?;
        let (parts, mut recv) = response.into_parts();
        let mut data = Vec::new();
        while let Some(chunk) = recv.data().await {
            let chunk = chunk.map_err(|e| e.to_string())?;
            let _ = recv.flow_control().release_capacity(chunk.len());
            data.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: String::from_utf8_lossy(&data).into_owned(),
        })
    }

    pub async fn post(&mut self, token: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        self.request(
            "POST",
            &format!("/3/device/{token}"),
            headers,
            body.as_bytes(),
        )
        .await
        .unwrap()
    }
}

/// Speaks just enough HTTP/2 by hand to read the server's GOAWAY frame and its debug data.
pub async fn wait_for_goaway(
    addr: SocketAddr,
    ca: &X509,
    identity: Option<&Credential>,
    mut ready: Option<tokio::sync::oneshot::Sender<()>>,
) -> (u32, Vec<u8>) {
    let mut s = tls(addr, ca, identity).await.unwrap();
    s.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    s.write_all(&[0, 0, 0, 4, 0, 0, 0, 0, 0]).await.unwrap();
    loop {
        let mut header = [0u8; 9];
        s.read_exact(&mut header).await.unwrap();
        let len =
            (usize::from(header[0]) << 16) | (usize::from(header[1]) << 8) | usize::from(header[2]);
        let mut payload = vec![0u8; len];
        s.read_exact(&mut payload).await.unwrap();
        if header[3] == 0x4 && header[4] & 1 == 0 {
            s.write_all(&[0, 0, 0, 4, 1, 0, 0, 0, 0]).await.unwrap();
            if let Some(tx) = ready.take() {
                let _ = tx.send(());
            }
        }
        if header[3] == 0x6 && header[4] & 1 == 0 {
            let mut pong = vec![0, 0, 8, 6, 1, 0, 0, 0, 0];
            pong.extend_from_slice(&payload);
            s.write_all(&pong).await.unwrap();
        }
        if header[3] == 0x7 {
            let code = u32::from_be_bytes([payload[4], payload[5], payload[6], payload[7]]);
            return (code, payload[8..].to_vec());
        }
    }
}
