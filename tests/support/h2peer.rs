//! An APNs-like HTTP/2 server written for the tests with the `h2` crate, independent of
//! pushlab's simulator: it answers `POST /3/device/<token>` with 200 and keeps its own record
//! of every push it processed, and it misbehaves on request the way real servers do. Truth in
//! the delivery tests comes from this record, never from pushlab's report.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use openssl::ssl::{AlpnError, SslAcceptor, SslMethod, SslVerifyMode};
use pushlab::cert::CertificateAuthority;
use tokio::net::TcpListener;

/// How the peer misbehaves. Request numbers count over the whole server, from 1.
#[derive(Debug, Clone, Default)]
pub struct Misbehaviour {
    /// After processing this many requests on a connection, shut it down gracefully: GOAWAY
    /// (h2 sends the last-stream-id of what it accepted, and this server processes exactly
    /// those), then close.
    pub goaway_after: Option<u64>,
    /// Refuse every Nth request with RST_STREAM(REFUSED_STREAM), unprocessed.
    pub refuse_every: Option<u64>,
    /// Process every Nth request (it is recorded), then reset its stream with
    /// RST_STREAM(INTERNAL_ERROR) instead of answering.
    pub reset_after_processing_every: Option<u64>,
    /// Reset every Nth request with RST_STREAM(INTERNAL_ERROR) before processing it.
    pub reset_before_processing_every: Option<u64>,
    /// Process the Nth request of a connection (recorded), then drop the TCP connection
    /// without answering it or sending GOAWAY.
    pub drop_after_processing: Option<u64>,
    /// Answer every Nth request 400 BadDeviceToken (processed, and refused).
    pub bad_device_token_every: Option<u64>,
    /// Answer 400 with a body that never ends (until the client stops reading).
    pub endless_body: bool,
    /// Answer 200 with this many bytes of extra headers (`x-padding-N`, 8 KiB values, none
    /// alike so HPACK cannot shrink them): an answer no client should have to hold.
    pub answer_header_bytes: Option<usize>,
    /// Answers chosen by the test per token: `Some((status, body))`, or `None` for the
    /// usual 200. The push is processed (recorded) first, whatever the answer.
    pub answers: Answers,
    /// Process each push at once (recorded), then wait this long before answering it.
    pub answer_delay: Option<std::time::Duration>,
    /// While the flag is up, requests after the Nth (over the whole server) are processed
    /// (recorded) and never answered: a server that stops answering mid-batch.
    pub hold_after: Option<(u64, Arc<std::sync::atomic::AtomicBool>)>,
    /// These TCP connections (numbered as accepted, from 1) are held open and never answered:
    /// no TLS, nothing, until the client gives up.
    pub hang_connections: Vec<u64>,
    /// These TCP connections are closed as soon as they are accepted.
    pub close_connections: Vec<u64>,
    /// Process pushes as they come but answer none until this many connections have each
    /// carried a push: a client that does not use them all waits forever.
    pub hold_answers_until_connections: Option<u64>,
}

/// A test's own answer per token: status and body.
#[derive(Clone, Default)]
pub struct Answers(pub Option<Arc<AnswerFn>>);

/// Token → `Some((status, body))`, or `None` for the usual 200.
pub type AnswerFn = dyn Fn(&str) -> Option<(u16, String)> + Send + Sync;

impl Answers {
    pub fn new(f: impl Fn(&str) -> Option<(u16, String)> + Send + Sync + 'static) -> Self {
        Answers(Some(Arc::new(f)))
    }
}

impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Answers(..)"
        } else {
            "Answers(none)"
        })
    }
}

/// What the peer saw.
#[derive(Debug, Default)]
pub struct Record {
    /// Token → times processed (delivered to "the phone").
    pub processed: HashMap<String, u32>,
    /// Token → the payload it was last processed with.
    pub payloads: HashMap<String, Vec<u8>>,
    /// Token → who sent it last: the SHA-256 of the client certificate of its connection, or
    /// `kid:<key id>` of its provider token.
    pub senders: HashMap<String, String>,
    /// Tokens refused unprocessed (REFUSED_STREAM or reset before processing).
    pub refused: u64,
    /// Connections that finished the TLS handshake.
    pub connections: u64,
    /// TCP connections accepted, whatever became of them.
    pub accepted: u64,
    /// Connection number (as accepted) → pushes processed on it.
    pub per_connection: HashMap<u64, u64>,
}

pub struct Peer {
    pub addr: SocketAddr,
    pub ca: openssl::x509::X509,
    pub record: Arc<Mutex<Record>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Peer {
    pub async fn start(misbehaviour: Misbehaviour) -> Peer {
        let ca = CertificateAuthority::generate("h2 peer CA").unwrap();
        let server = ca
            .issue_server_certificate(&["localhost", "127.0.0.1"])
            .unwrap();
        let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
        b.set_private_key(server.private_key.as_ref().unwrap())
            .unwrap();
        b.set_certificate(&server.certificate).unwrap();
        b.set_alpn_select_callback(|_, offered| {
            openssl::ssl::select_next_proto(b"\x02h2", offered).ok_or(AlpnError::ALERT_FATAL)
        });
        // Asks for a client certificate and takes any: this peer tests delivery, not auth.
        b.set_verify_callback(SslVerifyMode::PEER, |_, _| true);
        let acceptor = Arc::new(b.build());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let record = Arc::new(Mutex::new(Record::default()));
        let shared = Arc::new(Shared {
            misbehaviour,
            record: record.clone(),
            requests: AtomicU64::new(0),
            established: tokio::sync::watch::channel(0).0,
        });
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, shared) = (acceptor.clone(), shared.clone());
                let number = {
                    let mut record = shared.record.lock().unwrap();
                    record.accepted += 1;
                    record.accepted
                };
                if shared.misbehaviour.close_connections.contains(&number) {
                    drop(tcp);
                    continue;
                }
                tokio::spawn(async move {
                    if shared.misbehaviour.hang_connections.contains(&number) {
                        // Held (not read, not closed) until the peer is dropped.
                        let _held = tcp;
                        std::future::pending::<()>().await;
                        return;
                    }
                    let ssl = openssl::ssl::Ssl::new(acceptor.context()).unwrap();
                    let mut tls = tokio_openssl::SslStream::new(ssl, tcp).unwrap();
                    if std::pin::Pin::new(&mut tls).accept().await.is_err() {
                        return;
                    }
                    shared.record.lock().unwrap().connections += 1;
                    let client = tls
                        .ssl()
                        .peer_certificate()
                        .and_then(|c| c.digest(openssl::hash::MessageDigest::sha256()).ok())
                        .map(hex::encode);
                    serve(tls, shared, client, number).await;
                });
            }
        });
        Peer {
            addr,
            ca: ca.certificate.clone(),
            record,
            task,
        }
    }

    /// A target that reaches this peer.
    pub fn target(&self) -> pushlab::client::Target {
        pushlab::client::Target::simulator(
            self.addr,
            self.ca.clone(),
            pushlab::apns::Environment::Sandbox,
        )
    }

    pub fn processed(&self) -> HashMap<String, u32> {
        self.record.lock().unwrap().processed.clone()
    }
}

struct Shared {
    misbehaviour: Misbehaviour,
    record: Arc<Mutex<Record>>,
    requests: AtomicU64,
    /// Connections that carried a push, for answers held until enough did.
    established: tokio::sync::watch::Sender<u64>,
}

fn every(n: Option<u64>, i: u64) -> bool {
    n.is_some_and(|n| n > 0 && i.is_multiple_of(n))
}

async fn serve(
    tls: tokio_openssl::SslStream<tokio::net::TcpStream>,
    shared: Arc<Shared>,
    client: Option<String>,
    number: u64,
) {
    let Ok(mut conn) = h2::server::Builder::new()
        .max_concurrent_streams(1000)
        .handshake::<_, Bytes>(tls)
        .await
    else {
        return;
    };
    // Handlers run on their own tasks (the connection must keep being polled for their
    // bodies to arrive) and report each processed push back here.
    let (processed_tx, mut processed_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    // Counted by the handlers themselves, so the one that processes the Nth push of the
    // connection knows it and leaves it unanswered.
    let processed_here = Arc::new(AtomicU64::new(0));
    let drop_now = Arc::new(tokio::sync::Notify::new());
    let mut on_connection = 0u64;
    let mut closing = false;
    loop {
        tokio::select! {
            next = conn.accept() => {
                let Some(Ok((request, respond))) = next else { break };
                let i = shared.requests.fetch_add(1, Ordering::SeqCst) + 1;
                let (shared, done) = (shared.clone(), processed_tx.clone());
                let sender = sender(&request, client.as_deref());
                let connection = (processed_here.clone(), drop_now.clone(), number);
                tokio::spawn(handle(request, respond, i, shared, done, sender, connection));
            }
            () = drop_now.notified() => return, // no answer, no GOAWAY
            Some(()) = processed_rx.recv() => {
                on_connection += 1;
                let m = &shared.misbehaviour;
                if !closing && m.goaway_after == Some(on_connection) {
                    conn.graceful_shutdown();
                    closing = true;
                }
            }
        }
    }
}

async fn handle(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
    i: u64,
    shared: Arc<Shared>,
    done: tokio::sync::mpsc::UnboundedSender<()>,
    sender: String,
    (processed_here, drop_now, number): (Arc<AtomicU64>, Arc<tokio::sync::Notify>, u64),
) {
    let m = &shared.misbehaviour;
    let token = request
        .uri()
        .path()
        .strip_prefix("/3/device/")
        .unwrap_or_default()
        .to_owned();
    if every(m.refuse_every, i) {
        shared.record.lock().unwrap().refused += 1;
        respond.send_reset(h2::Reason::REFUSED_STREAM);
        return;
    }
    if every(m.reset_before_processing_every, i) {
        shared.record.lock().unwrap().refused += 1;
        respond.send_reset(h2::Reason::INTERNAL_ERROR);
        return;
    }
    // The body must arrive in full before the push counts as processed.
    let mut body = request.into_body();
    let mut payload = Vec::new();
    while let Some(chunk) = body.data().await {
        match chunk {
            Ok(c) => {
                let _ = body.flow_control().release_capacity(c.len());
                payload.extend_from_slice(&c);
            }
            Err(_) => return,
        }
    }
    {
        let mut record = shared.record.lock().unwrap();
        *record.processed.entry(token.clone()).or_default() += 1;
        record.payloads.insert(token.clone(), payload);
        record.senders.insert(token.clone(), sender);
        let on_this = record.per_connection.entry(number).or_default();
        *on_this += 1;
        if *on_this == 1 {
            shared.established.send_modify(|n| *n += 1);
        }
    }
    let token_of_request = token;
    let _ = done.send(());
    if let Some(delay) = m.answer_delay {
        tokio::time::sleep(delay).await;
    }
    if let Some((after, holding)) = &m.hold_after
        && i > *after
        && holding.load(Ordering::SeqCst)
    {
        // Held until the client goes away (the stream is dropped with the connection).
        std::future::pending::<()>().await;
    }
    if let Some(k) = m.hold_answers_until_connections {
        let mut established = shared.established.subscribe();
        let _ = established.wait_for(|n| *n >= k).await;
    }
    let nth = processed_here.fetch_add(1, Ordering::SeqCst) + 1;
    let chosen = m.answers.0.as_ref().and_then(|f| f(&token_of_request));
    if m.drop_after_processing == Some(nth) {
        drop_now.notify_one();
        return;
    }
    if m.endless_body {
        let response = http::Response::builder().status(400).body(()).unwrap();
        if let Ok(mut stream) = respond.send_response(response, false) {
            let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
            // Bounded at 20 s so the test ends even if the client never stops reading.
            let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while std::time::Instant::now() < until {
                stream.reserve_capacity(chunk.len());
                match std::future::poll_fn(|cx| stream.poll_capacity(cx)).await {
                    Some(Ok(_)) => {}
                    _ => break,
                }
                if stream.send_data(chunk.clone(), false).is_err() {
                    break;
                }
            }
        }
    } else if let Some((status, body)) = chosen {
        let response = http::Response::builder()
            .status(status)
            .header("apns-id", format!("00000000-0000-0000-0000-{i:012}"))
            .body(())
            .unwrap();
        if let Ok(mut stream) = respond.send_response(response, body.is_empty())
            && !body.is_empty()
        {
            let _ = stream.send_data(Bytes::from(body), true);
        }
    } else if let Some(bytes) = m.answer_header_bytes {
        let mut response = http::Response::builder()
            .status(200)
            .header("apns-id", format!("00000000-0000-0000-0000-{i:012}"));
        for n in 0..bytes.div_ceil(8192) {
            let value: String = (0..8192)
                .map(|k| char::from(b'a' + ((k * 7 + n * 13) % 26) as u8))
                .collect();
            response = response.header(format!("x-padding-{n}"), value);
        }
        let _ = respond.send_response(response.body(()).unwrap(), true);
    } else if every(m.reset_after_processing_every, i) {
        respond.send_reset(h2::Reason::INTERNAL_ERROR);
    } else if every(m.bad_device_token_every, i) {
        let response = http::Response::builder().status(400).body(()).unwrap();
        if let Ok(mut stream) = respond.send_response(response, false) {
            let _ = stream.send_data(Bytes::from_static(br#"{"reason":"BadDeviceToken"}"#), true);
        }
    } else {
        let response = http::Response::builder()
            .status(200)
            .header("apns-id", format!("00000000-0000-0000-0000-{i:012}"))
            .body(())
            .unwrap();
        let _ = respond.send_response(response, true);
    }
}

/// The key id of a bearer token, else the client certificate's fingerprint.
fn sender(request: &http::Request<h2::RecvStream>, client: Option<&str>) -> String {
    use base64::Engine as _;
    let kid = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("bearer "))
        .and_then(|jwt| jwt.split('.').next())
        .and_then(|h| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(h)
                .ok()
        })
        .and_then(|h| serde_json::from_slice::<serde_json::Value>(&h).ok())
        .and_then(|h| h["kid"].as_str().map(str::to_owned));
    match (kid, client) {
        (Some(kid), _) => format!("kid:{kid}"),
        (None, Some(fingerprint)) => fingerprint.to_owned(),
        (None, None) => "anonymous".to_owned(),
    }
}
