//! The network side: TLS, HTTP/2, and the life of each connection and request.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt as _, StreamExt as _};
use openssl::ssl::{AlpnError, Ssl, SslAcceptor, SslMethod, SslVerifyMode, SslVersion};
use openssl::x509::store::X509StoreBuilder;
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::auth::TokenSession;
use super::goaway::{GoAwayReason, GoAwayWriter};
use super::inbox::Inbox;
use super::live_faults::LiveFaults;
use super::request::{InFlight, handle};
use super::validate::Identity;
use super::{Faults, SimConfig, SimError};
use crate::cert::CertificateReport;

pub(crate) struct Shared {
    pub(super) config: SimConfig,
    acceptor: SslAcceptor,
    pub(super) inbox: Inbox,
    /// The faults in force; the control API may change them while the simulator runs.
    pub(super) faults: Arc<LiveFaults>,
    /// The auth keys tokens are checked against; the app may add one while it runs.
    pub(super) keys: Arc<super::TrustedKeys>,
    pub(super) total: AtomicU64,
    /// Connections past their handshake, for `Limits::max_connections`.
    established: AtomicUsize,
    /// Header bytes held by requests still being handled, for
    /// `Limits::max_waiting_header_bytes`.
    pub(super) header_bytes: AtomicUsize,
    /// Bumped when the shutdown fault fires, so every connection sends GOAWAY.
    pub(super) fault_shutdown: watch::Sender<u64>,
}

impl Shared {
    pub(crate) fn new(
        config: SimConfig,
        inbox: Inbox,
        faults: Arc<LiveFaults>,
        keys: Arc<super::TrustedKeys>,
    ) -> Result<Arc<Self>, SimError> {
        // Without its key (or with another's) every handshake would fail, one client at a
        // time, far from the cause: refuse to start instead.
        if config.identity.server.private_key.is_none() {
            return Err(SimError::Tls(
                "the server certificate has no private key: give the simulator its certificate together with its key".to_owned(),
            ));
        }
        let acceptor = acceptor(&config).map_err(|e| SimError::Tls(e.to_string()))?;
        let (fault_shutdown, _) = watch::channel(0);
        Ok(Arc::new(Shared {
            config,
            acceptor,
            inbox,
            faults,
            keys,
            total: AtomicU64::new(0),
            established: AtomicUsize::new(0),
            header_bytes: AtomicUsize::new(0),
            fault_shutdown,
        }))
    }
}

fn acceptor(config: &SimConfig) -> Result<SslAcceptor, openssl::error::ErrorStack> {
    let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server())?;
    // Clients send each push in a record or two: read as much as has arrived at once.
    b.set_read_ahead(true);
    b.set_min_proto_version(Some(SslVersion::TLS1_2))?;
    let server = &config.identity.server;
    if let Some(key) = &server.private_key {
        b.set_private_key(key)?;
    }
    b.set_certificate(&server.certificate)?;
    // A key that is not the certificate's fails here, at start, not at each handshake.
    b.check_private_key()?;
    for c in &server.chain {
        b.add_extra_chain_cert(c.clone())?;
    }
    b.set_alpn_select_callback(|_, offered| {
        openssl::ssl::select_next_proto(b"\x02h2", offered).ok_or(AlpnError::ALERT_FATAL)
    });
    let mut store = X509StoreBuilder::new()?;
    store.add_cert(config.identity.ca.certificate.clone())?;
    for ca in &config.client_cas {
        store.add_cert(ca.clone())?;
    }
    b.set_verify_cert_store(store.build())?;
    // Ask for a client certificate but do not require one: token connections send none.
    b.set_verify(SslVerifyMode::PEER);
    Ok(b.build())
}

/// After a refused handshake, the alert is on its way; closing with the client's data unread
/// would send a TCP reset, which can overtake it, and the client would read "connection
/// reset" instead of why (with TLS 1.3 the client writes before it learns its certificate was
/// refused). So read what it still sends, briefly, as web servers' lingering close does.
pub(super) async fn linger(tcp: &mut tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let _ = tcp.shutdown().await;
    let mut sink = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while matches!(tcp.read(&mut sink).await, Ok(n) if n > 0) {}
    })
    .await;
}

pub(super) struct Connection {
    pub(super) identity: Identity,
    pub(super) tokens: Mutex<TokenSession>,
    /// Serialises requests on a token connection until its first valid token, as APNs allows
    /// only one stream until then.
    pub(super) first_token: tokio::sync::Mutex<()>,
    pub(super) authenticated: AtomicBool,
    pub(super) requests: AtomicU64,
    pub(super) in_flight: AtomicUsize,
    pub(super) shutting_down: AtomicBool,
    /// Pushes delivered on this connection (for `drop_after_processing`).
    pub(super) delivered: AtomicU64,
    /// Set by a handler to drop the connection at once (`drop_after_processing`).
    pub(super) drop_now: tokio::sync::Notify,
}

fn identity_of(ssl: &openssl::ssl::SslRef) -> Identity {
    let Some(cert) = ssl.peer_certificate() else {
        return Identity::Token {
            team_id: String::new(),
            topics: Vec::new(),
        };
    };
    match CertificateReport::of(&cert, time::OffsetDateTime::now_utc()) {
        Ok(r) => Identity::Certificate {
            environment: r.environment,
            multi_topic: r.topics.len() > 1,
            topics: r.topics,
            bundle_id: r.bundle_id,
        },
        Err(_) => Identity::Certificate {
            environment: crate::cert::CertEnvironment::None,
            topics: Vec::new(),
            bundle_id: None,
            multi_topic: false,
        },
    }
}

pub(super) async fn connection(
    tcp: TcpStream,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
    slot: super::admission::HandshakeSlot,
) {
    let _ = tcp.set_nodelay(true);
    let deadline = slot.deadline;
    let Some(tls) = accept_tls(tcp, &shared, slot).await else {
        return;
    };
    // Only so many at once may be served; the rest are turned away after their handshake.
    let limits = &shared.config.limits;
    if shared.established.fetch_add(1, Ordering::AcqRel) >= limits.max_connections {
        shared.established.fetch_sub(1, Ordering::AcqRel);
        return;
    }
    let _established = Established(&shared.established);
    let identity = identity_of(tls.ssl());
    serve_http2(tls, identity, shared.clone(), shutdown, deadline).await;
}

/// A connection past TLS (or, in tests, an in-memory stream): the HTTP/2 handshake within
/// `deadline`, then its requests as `identity` may make them.
pub(super) async fn serve_http2<T>(
    io: T,
    identity: Identity,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
    deadline: Duration,
) where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let limits = &shared.config.limits;
    let is_token = matches!(identity, Identity::Token { .. });
    let reason: GoAwayReason = Arc::new(Mutex::new(None));
    let io = GoAwayWriter::new(io, reason.clone());
    let handshake = h2::server::Builder::new()
        .max_concurrent_streams(shared.config.max_concurrent_streams)
        .initial_window_size(1 << 20)
        .initial_connection_window_size(1 << 24)
        .max_send_buffer_size(1 << 20)
        .max_header_list_size(limits.max_header_list_bytes)
        .handshake::<_, Bytes>(io);
    let Ok(Ok(conn)) = tokio::time::timeout(deadline, handshake).await else {
        return;
    };
    let state = Arc::new(Connection {
        identity,
        tokens: Mutex::new(TokenSession::default()),
        first_token: tokio::sync::Mutex::new(()),
        authenticated: AtomicBool::new(!is_token),
        requests: AtomicU64::new(0),
        in_flight: AtomicUsize::new(0),
        shutting_down: AtomicBool::new(false),
        delivered: AtomicU64::new(0),
        drop_now: tokio::sync::Notify::new(),
    });
    serve(conn, state, shared, shutdown, reason).await;
}

/// The TLS handshake, within the admission slot's deadline; the slot is given up once past it.
async fn accept_tls(
    tcp: TcpStream,
    shared: &Shared,
    slot: super::admission::HandshakeSlot,
) -> Option<tokio_openssl::SslStream<TcpStream>> {
    // A client speaks first (its ClientHello): one that says nothing by the deadline is gone,
    // and until it speaks it is the first to give its slot up.
    if !matches!(
        tokio::time::timeout(slot.deadline, tcp.readable()).await,
        Ok(Ok(()))
    ) {
        return None;
    }
    slot.spoke();
    let ssl = Ssl::new(shared.acceptor.context()).ok()?;
    let mut tls = tokio_openssl::SslStream::new(ssl, tcp).ok()?;
    let handshake = tokio::time::timeout(slot.deadline, std::pin::Pin::new(&mut tls).accept());
    if !matches!(handshake.await, Ok(Ok(()))) {
        linger(tls.get_mut()).await;
        return None;
    }
    // Past TLS: the slot is free for the next client (the HTTP/2 handshake has its own
    // deadline, and this connection now counts against `max_connections`).
    slot.done();
    Some(tls)
}

/// What to do with a request the connection has just accepted, by the faults in force.
enum Admit {
    Handle,
    /// Refused unprocessed (REFUSED_STREAM): too many in flight, or too many header bytes.
    Refuse,
    /// The connection is to be dropped (the `drop_after` fault).
    DropConnection,
}

fn admit(faults: &Faults, n: u64, state: &Connection) -> Admit {
    if faults.drop_after.is_some_and(|limit| n > limit) {
        return Admit::DropConnection;
    }
    if faults
        .refuse_streams_over
        .is_some_and(|limit| state.in_flight.load(Ordering::Relaxed) >= limit)
    {
        return Admit::Refuse;
    }
    Admit::Handle
}

/// Serves one connection's requests until it closes: GOAWAY when idle, at shutdown or by a
/// fault, then the time `closing_deadline` allows to finish.
async fn serve<T>(
    mut conn: h2::server::Connection<T, Bytes>,
    state: Arc<Connection>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    reason: GoAwayReason,
) where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut fault_shutdown = shared.fault_shutdown.subscribe();
    // The requests of one connection are handled on the connection's own task rather than
    // spawned: h2 keeps a connection's streams behind one mutex, and handlers on other worker
    // threads contended for it with this task and woke it across threads. Connections still
    // spread over the runtime's threads.
    let mut handlers = FuturesUnordered::new();
    let idle = shared.config.idle_timeout;
    let closing_deadline = shared.config.limits.closing_deadline;
    let mut closing = false;
    let mut closing_since: Option<tokio::time::Instant> = None;
    let go_away =
        |conn: &mut h2::server::Connection<T, Bytes>, why: &'static str, closing: &mut bool| {
            if let Ok(mut r) = reason.lock() {
                *r = Some(why);
            }
            if !*closing {
                conn.graceful_shutdown();
                *closing = true;
            }
        };
    loop {
        if closing && closing_since.is_none() {
            closing_since = Some(tokio::time::Instant::now());
        }
        // Idle: GOAWAY after `idle` without anything happening. Closing: the connection gets
        // `closing_deadline` to finish, counted once from its GOAWAY, then it is dropped.
        let idle_timer = async {
            match (closing_since, idle) {
                (Some(since), _) => tokio::time::sleep_until(since + closing_deadline).await,
                (None, Some(d)) => tokio::time::sleep(d).await,
                (None, None) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            next = conn.accept() => {
                let Some(Ok((request, mut respond))) = next else { break };
                let n = state.requests.fetch_add(1, Ordering::Relaxed) + 1;
                let faults = shared.faults.current();
                match admit(&faults, n, &state) {
                    Admit::Handle => {}
                    Admit::Refuse => {
                        respond.send_reset(h2::Reason::REFUSED_STREAM);
                        continue;
                    }
                    Admit::DropConnection => {
                        // Let the answers already given reach the client, then drop the
                        // connection; handlers waiting for a body that cannot come are not
                        // waited for long.
                        let _ = tokio::time::timeout(Duration::from_secs(2), async {
                            while handlers.next().await.is_some() {}
                        })
                        .await;
                        std::future::poll_fn(|cx| { let _ = conn.poll_accept(cx); std::task::Poll::Ready(()) }).await;
                        return;
                    }
                }
                // Header bytes held while a request waits for its body are counted over the
                // whole simulator: HPACK lets a client send 12 KB of headers in 130 bytes.
                let Some(held) = super::admission::HeaderBytes::take(&shared, &request) else {
                    respond.send_reset(h2::Reason::REFUSED_STREAM);
                    continue;
                };
                let counted = InFlight::count(state.clone());
                handlers.push(handle(request, respond, shared.clone(), counted, held));
                if faults.goaway_after.is_some_and(|limit| n == limit) {
                    go_away(&mut conn, "Shutdown", &mut closing);
                }
            }
            Some(()) = handlers.next(), if !handlers.is_empty() => {
                // Finish every handler that is ready before h2 writes again, so answers go out
                // many to a TLS record rather than one by one.
                while let Some(Some(())) = handlers.next().now_or_never() {}
            }
            _ = shutdown.changed() => {
                state.shutting_down.store(true, Ordering::Relaxed);
                go_away(&mut conn, "Shutdown", &mut closing);
            }
            _ = fault_shutdown.changed() => {
                state.shutting_down.store(true, Ordering::Relaxed);
                go_away(&mut conn, "Shutdown", &mut closing);
            }
            _ = idle_timer => {
                if closing {
                    return;
                }
                go_away(&mut conn, "IdleTimeout", &mut closing);
            }
            // A fault: the connection ends here, with answers unsent and no GOAWAY.
            () = state.drop_now.notified() => return,
        }
    }
    while handlers.next().await.is_some() {}
}

/// Counts a connection as established while it lives.
struct Established<'a>(&'a AtomicUsize);

impl Drop for Established<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
