//! The network side: TLS, HTTP/2, and the life of each connection and request.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt as _, StreamExt as _};
use h2::server::SendResponse;
use http::{Response, StatusCode};
use openssl::ssl::{AlpnError, Ssl, SslAcceptor, SslMethod, SslVerifyMode, SslVersion};
use openssl::x509::store::X509StoreBuilder;
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::auth::TokenSession;
use super::channel_api::ChannelPath;
use super::channel_http;
use super::goaway::{GoAwayReason, GoAwayWriter};
use super::inbox::{AuthKind, Delivery, Inbox, Interface, RequestEvent};
use super::live_faults::LiveFaults;
use super::validate::{self, Identity, Rejection};
use super::{Faults, SimConfig, SimError};
use crate::apns::{Reason, new_uuid};
use crate::cert::{CertificateReport, Environment};

/// Bodies are read up to this size; anything longer is already too large.
const MAX_BODY_READ: usize = 5120 + 1;

pub(crate) struct Shared {
    pub(super) config: SimConfig,
    acceptor: SslAcceptor,
    pub(super) inbox: Inbox,
    /// The faults in force; the control API may change them while the simulator runs.
    pub(super) faults: Arc<LiveFaults>,
    total: AtomicU64,
    /// Connections past their handshake, for `Limits::max_connections`.
    established: AtomicUsize,
    /// Header bytes held by requests still being handled, for
    /// `Limits::max_waiting_header_bytes`.
    pub(super) header_bytes: AtomicUsize,
    /// Bumped when the shutdown fault fires, so every connection sends GOAWAY.
    fault_shutdown: watch::Sender<u64>,
}

impl Shared {
    pub(crate) fn new(
        config: SimConfig,
        inbox: Inbox,
        faults: Arc<LiveFaults>,
    ) -> Result<Arc<Self>, SimError> {
        let acceptor = acceptor(&config).map_err(|e| SimError::Tls(e.to_string()))?;
        let (fault_shutdown, _) = watch::channel(0);
        Ok(Arc::new(Shared {
            config,
            acceptor,
            inbox,
            faults,
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
    identity: Identity,
    tokens: Mutex<TokenSession>,
    /// Serialises requests on a token connection until its first valid token, as APNs allows
    /// only one stream until then.
    first_token: tokio::sync::Mutex<()>,
    authenticated: AtomicBool,
    requests: AtomicU64,
    in_flight: AtomicUsize,
    shutting_down: AtomicBool,
    /// Pushes delivered on this connection (for `drop_after_processing`).
    delivered: AtomicU64,
    /// Set by a handler to drop the connection at once (`drop_after_processing`).
    drop_now: tokio::sync::Notify,
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
    mut shutdown: watch::Receiver<bool>,
    slot: super::admission::HandshakeSlot,
) {
    let _ = tcp.set_nodelay(true);
    // A client speaks first (its ClientHello): one that says nothing by the deadline is gone,
    // and until it speaks it is the first to give its slot up.
    if !matches!(
        tokio::time::timeout(slot.deadline, tcp.readable()).await,
        Ok(Ok(()))
    ) {
        return;
    }
    slot.spoke();
    let Ok(ssl) = Ssl::new(shared.acceptor.context()) else {
        return;
    };
    let Ok(mut tls) = tokio_openssl::SslStream::new(ssl, tcp) else {
        return;
    };
    let handshake = tokio::time::timeout(slot.deadline, std::pin::Pin::new(&mut tls).accept());
    if !matches!(handshake.await, Ok(Ok(()))) {
        linger(tls.get_mut()).await;
        return;
    }
    // Past TLS: the slot is free for the next client (the HTTP/2 handshake has its own
    // deadline, and this connection now counts against `max_connections`).
    slot.done();
    // Only so many at once may be served; the rest are turned away after their handshake.
    let limits = &shared.config.limits;
    if shared.established.fetch_add(1, Ordering::AcqRel) >= limits.max_connections {
        shared.established.fetch_sub(1, Ordering::AcqRel);
        return;
    }
    let _established = Established(&shared.established);
    let identity = identity_of(tls.ssl());
    let is_token = matches!(identity, Identity::Token { .. });
    let reason: GoAwayReason = Arc::new(Mutex::new(None));
    let io = GoAwayWriter::new(tls, reason.clone());
    let handshake = h2::server::Builder::new()
        .max_concurrent_streams(shared.config.max_concurrent_streams)
        .initial_window_size(1 << 20)
        .initial_connection_window_size(1 << 24)
        .max_send_buffer_size(1 << 20)
        .max_header_list_size(limits.max_header_list_bytes)
        .handshake::<_, Bytes>(io);
    let Ok(Ok(mut conn)) = tokio::time::timeout(slot.deadline, handshake).await else {
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
        |conn: &mut h2::server::Connection<_, Bytes>, why: &'static str, closing: &mut bool| {
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
                if faults.reset_after.is_some_and(|limit| n > limit) {
                    // Let the answers already given reach the client, then drop the connection;
                    // handlers waiting for a body that cannot come are not waited for long.
                    let _ = tokio::time::timeout(Duration::from_secs(2), async {
                        while handlers.next().await.is_some() {}
                    })
                    .await;
                    std::future::poll_fn(|cx| { let _ = conn.poll_accept(cx); std::task::Poll::Ready(()) }).await;
                    return;
                }
                if faults.refuse_streams_over.is_some_and(|limit| state.in_flight.load(Ordering::Relaxed) >= limit) {
                    respond.send_reset(h2::Reason::REFUSED_STREAM);
                    continue;
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

/// A request counted in its connection's in-flight number until its handler ends, on whichever
/// path: the count `refuse_streams_over` judges by can neither leak nor go below zero.
struct InFlight(Arc<Connection>);

impl InFlight {
    fn count(conn: Arc<Connection>) -> Self {
        conn.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(conn)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn handle(
    request: http::Request<h2::RecvStream>,
    mut respond: SendResponse<Bytes>,
    shared: Arc<Shared>,
    counted: InFlight,
    _held: super::admission::HeaderBytes,
) {
    let conn = &counted.0;
    let started = std::time::Instant::now();
    let (parts, mut body) = request.into_parts();
    let mut buf = Vec::new();
    // The body is read up to one byte past the largest payload (that is enough to answer
    // 413) and within the deadline; an endless or trickling body costs no more than that.
    let read = async {
        while let Some(chunk) = body.data().await {
            let chunk = chunk.ok()?;
            let _ = body.flow_control().release_capacity(chunk.len());
            let take = chunk.len().min(MAX_BODY_READ - buf.len());
            buf.extend_from_slice(&chunk[..take]);
            if buf.len() >= MAX_BODY_READ {
                break;
            }
        }
        Some(())
    };
    match tokio::time::timeout(shared.config.limits.body_deadline, read).await {
        Ok(Some(())) => {}
        Ok(None) => {
            return;
        }
        Err(_) => {
            respond.send_reset(h2::Reason::CANCEL);
            return;
        }
    }
    drop(body);
    let config = &shared.config;
    let faults = shared.faults.current();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    // A token connection handles one request at a time until its first valid token.
    let _gate = if conn.authenticated.load(Ordering::Acquire) {
        None
    } else {
        Some(conn.first_token.lock().await)
    };
    let n = shared.total.fetch_add(1, Ordering::Relaxed) + 1;
    let apns_id_header = parts
        .headers
        .get("apns-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(route) = ChannelPath::of(parts.uri.path()) {
        let answer = match injected_fault(&faults, n, &shared, conn) {
            Some(rejection) => Err(rejection),
            None => channel_http::serve(&route, &parts, &buf, &shared, conn),
        };
        channel_http::send_answer(respond, &route, &parts, answer, &shared);
        return;
    }
    let outcome = match injected_fault(&faults, n, &shared, conn) {
        Some(rejection) => Err(rejection),
        None => judge(&parts, &buf, &shared, conn),
    };
    let apns_id = match &outcome {
        Ok(d) => d.apns_id.clone(),
        Err(_) => apns_id_header
            .filter(|id| crate::apns::is_canonical_uuid(id))
            .unwrap_or_else(new_uuid),
    };
    // Rejections are counted through their event; a delivery's event is made only for a
    // subscriber (the CLI printing requests, a test).
    let wants_event = outcome.is_err() || shared.inbox.has_subscribers();
    let token = || {
        parts
            .uri
            .path()
            .strip_prefix("/3/device/")
            .unwrap_or_default()
            .to_owned()
    };
    let event = wants_event.then(|| match &outcome {
        Ok(d) => RequestEvent {
            status: 200,
            reason: None,
            token: token(),
            topic: Some(d.topic.clone()),
            push_type: Some(d.push_type),
            apns_id: apns_id.clone(),
            auth: Some(d.auth),
            interface: Interface::Http2,
            channel: None,
            live_activity: None,
        },
        Err(r) => RequestEvent {
            status: r.status,
            reason: Some(r.reason),
            token: token(),
            topic: parts
                .headers
                .get("apns-topic")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            push_type: parts
                .headers
                .get("apns-push-type")
                .and_then(|v| v.to_str().ok())
                .and_then(crate::apns::PushType::parse),
            apns_id: apns_id.clone(),
            auth: None,
            interface: Interface::Http2,
            channel: None,
            live_activity: None,
        },
    });
    let sandbox = config.environment == Environment::Sandbox;
    let mut event = event;
    let sent = match outcome {
        Ok(delivery) => {
            let live = shared.inbox.record(delivery);
            if let Some(e) = event.as_mut() {
                e.live_activity = live;
            }
            let on_connection = conn.delivered.fetch_add(1, Ordering::Relaxed) + 1;
            if faults.drop_after_processing == Some(on_connection) {
                conn.drop_now.notify_one();
                return;
            }
            if faults
                .reset_processed_every
                .is_some_and(|k| k > 0 && n.is_multiple_of(k))
            {
                respond.send_reset(h2::Reason::INTERNAL_ERROR);
                return;
            }
            let mut response = Response::builder()
                .status(StatusCode::OK)
                .header("apns-id", &apns_id)
                .header("date", date_header(faults.clock_offset));
            if sandbox {
                response = response.header("apns-unique-id", new_uuid());
            }
            response
                .body(())
                .ok()
                .map(|r| respond.send_response(r, true).is_ok())
        }
        Err(rejection) => {
            let mut json = serde_json::json!({ "reason": rejection.reason });
            if let Some(ts) = rejection.timestamp_ms {
                json["timestamp"] = ts.into();
            }
            let body = Bytes::from(json.to_string());
            Response::builder()
                .status(rejection.status)
                .header("content-type", "application/json")
                .header("apns-id", &apns_id)
                .header("date", date_header(faults.clock_offset))
                .body(())
                .ok()
                .and_then(|r| respond.send_response(r, false).ok())
                .map(|mut stream| stream.send_data(body, true).is_ok())
        }
    };
    if sent == Some(true) {
        shared.inbox.answered_in(started.elapsed());
        if let Some(event) = event {
            shared.inbox.event(event);
        }
    }
}

fn injected_fault(
    faults: &Faults,
    n: u64,
    shared: &Shared,
    conn: &Connection,
) -> Option<Rejection> {
    if conn.shutting_down.load(Ordering::Relaxed) {
        return Some(Reason::Shutdown.into());
    }
    if let Some(limit) = faults.shutdown_after
        && n > limit
        && n == limit.saturating_add(1)
    {
        shared.fault_shutdown.send_modify(|g| *g += 1);
        return Some(Reason::Shutdown.into());
    }
    if let Some(b) = faults.error_burst
        && b.covers(n)
    {
        return Some(b.reason.into());
    }
    if let Some((reason, share)) = faults.error_share
        && unit_from(n) < share
    {
        return Some(reason.into());
    }
    None
}

/// A deterministic number in [0, 1) for request `n` (splitmix64), so fault runs repeat.
fn unit_from(n: u64) -> f64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Step 3: who the connection is, by its certificate or the request's provider token.
pub(super) fn authenticate(
    parts: &http::request::Parts,
    shared: &Shared,
    conn: &Connection,
) -> Result<(Identity, AuthKind), Rejection> {
    let config = &shared.config;
    Ok(match &conn.identity {
        cert @ Identity::Certificate { .. } => {
            validate::check_certificate(cert, config.environment)?;
            (cert.clone(), AuthKind::Certificate)
        }
        Identity::Token { .. } => {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let index = {
                let mut tokens = conn
                    .tokens
                    .lock()
                    .map_err(|_| Rejection::from(Reason::InternalServerError))?;
                tokens.check(
                    parts.headers.get("authorization").map(|v| v.as_bytes()),
                    &config.auth_keys,
                    config.environment,
                    now,
                    config.env_key_reason.as_str(),
                )?
            };
            conn.authenticated.store(true, Ordering::Release);
            let key = &config.auth_keys[index];
            (
                Identity::Token {
                    team_id: key.team_id.clone(),
                    topics: key.topics.clone(),
                },
                AuthKind::Token,
            )
        }
    })
}

fn judge(
    parts: &http::request::Parts,
    body: &[u8],
    shared: &Shared,
    conn: &Connection,
) -> Result<Delivery, Rejection> {
    let config = &shared.config;
    let head = validate::check_head(&parts.method, parts.uri.path(), &parts.headers)?;
    let (identity, auth) = authenticate(parts, shared, conn)?;
    let topic = validate::check_topic(&head, &identity)?;
    let token = validate::check_device(
        &head,
        &topic,
        &config.registry,
        config.environment,
        config.accept_unknown_tokens,
    )?;
    let payload: serde_json::Value = validate::parse_body(body, head.push_type)?;
    let headers = super::inbox::shown_headers(&parts.headers);
    Ok(Delivery {
        time: time::OffsetDateTime::now_utc(),
        token: token.clone(),
        topic,
        push_type: head.push_type,
        priority: head.priority,
        apns_id: head.apns_id.unwrap_or_else(new_uuid),
        collapse_id: head.collapse_id,
        expiration: head.expiration,
        auth,
        headers,
        payload,
        interface: Interface::Http2,
        channel: None,
        live_activity: None,
    })
}

/// The `date` header: now, shifted by the clock fault.
pub(super) fn date_header(offset: i64) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    crate::http_date::format(now.saturating_add(offset)).unwrap_or_default()
}
