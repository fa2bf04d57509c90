//! The API's HTTP/1.1 side (hyper): accepting within limits, the token check, bounded
//! bodies, and the answers' common shapes.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;

use super::events::Followers;
use super::{ApiConfig, SimParts};

/// A request body larger than this is refused (413): the largest control request is a
/// device or faults change of a few hundred bytes.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// Request line and headers together (hyper's read buffer; its smallest allowed is 8 KiB).
const MAX_HEAD: usize = 16 * 1024;
/// How long a client has to send a request's head, and to send its body.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
const BODY_DEADLINE: Duration = Duration::from_secs(10);
/// How long a handler may take to produce an answer's head; `wait` is bounded below this.
const ANSWER_DEADLINE: Duration = Duration::from_secs(75);

pub(crate) type Body = BoxBody<Bytes, Infallible>;
pub(crate) type Answer = Response<Body>;

/// What every connection shares.
pub(crate) struct State {
    pub sim: SimParts,
    pub config: ApiConfig,
    pub followers: Followers,
    /// `wait` requests waiting now (shown in stats, so a test can see its wait is in place).
    pub waiters: std::sync::atomic::AtomicUsize,
    connections: Arc<Semaphore>,
}

impl State {
    pub(crate) fn new(sim: SimParts, config: ApiConfig) -> Self {
        State {
            followers: Followers::new(config.max_followers, config.follower_queue),
            waiters: std::sync::atomic::AtomicUsize::new(0),
            connections: Arc::new(Semaphore::new(config.max_connections.max(1))),
            sim,
            config,
        }
    }
}

/// One connection's kill switch: an event stream whose reader fell behind pulls it, and the
/// connection is dropped at once (its socket buffers are the kernel's; nothing more queues).
pub(crate) type Kill = Arc<Notify>;

pub(super) async fn serve(
    listener: TcpListener,
    state: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else { continue };
                // Past the limit, the connection is closed as it arrives.
                let Ok(permit) = state.connections.clone().try_acquire_owned() else {
                    continue;
                };
                let state = state.clone();
                let shutdown = shutdown.clone();
                tasks.spawn(async move {
                    connection(tcp, state, shutdown).await;
                    drop(permit);
                });
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    tasks.shutdown().await;
}

async fn connection(
    tcp: tokio::net::TcpStream,
    state: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = tcp.set_nodelay(true);
    let kill: Kill = Arc::new(Notify::new());
    let service = {
        let kill = kill.clone();
        hyper::service::service_fn(move |request| {
            let state = state.clone();
            let kill = kill.clone();
            async move { Ok::<_, Infallible>(answer(request, state, kill).await) }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_DEADLINE)
        .max_buf_size(MAX_HEAD)
        .max_headers(64)
        .serve_connection(TokioIo::new(tcp), service);
    tokio::select! {
        _ = conn => {}
        () = kill.notified() => {}
        _ = shutdown.changed() => {}
    }
}

async fn answer(request: Request<Incoming>, state: Arc<State>, kill: Kill) -> Answer {
    if let Some(refused) = refuse(&request, &state) {
        return refused;
    }
    match tokio::time::timeout(
        ANSWER_DEADLINE,
        super::routes::dispatch(request, &state, kill),
    )
    .await
    {
        Ok(answer) => answer,
        Err(_) => problem(StatusCode::SERVICE_UNAVAILABLE, "the answer took too long"),
    }
}

/// The token check, and without a token, a guard against web pages reaching the loopback
/// API through a name they control (DNS rebinding): the Host must be loopback.
fn refuse(request: &Request<Incoming>, state: &State) -> Option<Answer> {
    match &state.config.token {
        Some(token) => {
            let given = request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            if same_secret(given.as_bytes(), token.as_bytes()) {
                return None;
            }
            let mut answer = problem(
                StatusCode::UNAUTHORIZED,
                "this API needs `Authorization: Bearer <token>` (the --api-token)",
            );
            answer.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"pushlab simulator\""),
            );
            Some(answer)
        }
        None => {
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            (!loopback_host(host)).then(|| {
                problem(
                    StatusCode::FORBIDDEN,
                    "without a token the API answers only requests addressed to a loopback host (127.0.0.1, [::1], localhost)",
                )
            })
        }
    }
}

fn loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Compares in time that does not depend on where the first difference is.
fn same_secret(given: &[u8], wanted: &[u8]) -> bool {
    let mut diff = given.len() ^ wanted.len();
    for (i, w) in wanted.iter().enumerate() {
        diff |= usize::from(given.get(i).copied().unwrap_or(0) ^ w);
    }
    diff == 0
}

/// Reads a body within [`MAX_BODY`] and [`BODY_DEADLINE`].
pub(crate) async fn read_body(body: Incoming) -> Result<Bytes, Answer> {
    match tokio::time::timeout(BODY_DEADLINE, Limited::new(body, MAX_BODY).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body is larger than 64 KiB",
        )),
        Ok(Err(_)) => Err(problem(
            StatusCode::BAD_REQUEST,
            "the body could not be read",
        )),
        Err(_) => Err(problem(
            StatusCode::REQUEST_TIMEOUT,
            "the body took too long to arrive",
        )),
    }
}

pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

fn with_type(status: StatusCode, content_type: &'static str, body: Body) -> Answer {
    let mut answer = Response::new(body);
    *answer.status_mut() = status;
    let headers = answer.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    answer
}

/// A JSON answer.
pub(crate) fn json(status: StatusCode, value: &impl serde::Serialize) -> Answer {
    match serde_json::to_vec(value) {
        Ok(bytes) => with_type(status, "application/json", full(bytes)),
        Err(_) => problem(StatusCode::INTERNAL_SERVER_ERROR, "could not write JSON"),
    }
}

/// An error answer: `{"error": "..."}` with its status.
pub(crate) fn problem(status: StatusCode, message: &str) -> Answer {
    let body = serde_json::json!({ "error": message, "status": status.as_u16() }).to_string();
    with_type(status, "application/json", full(body))
}

pub(crate) fn no_content() -> Answer {
    let mut answer = Response::new(full(Bytes::new()));
    *answer.status_mut() = StatusCode::NO_CONTENT;
    answer
}

/// Text answers: HTML, CSS, JavaScript, Prometheus text.
pub(crate) fn text(content_type: &'static str, body: impl Into<Bytes>) -> Answer {
    let mut answer = with_type(StatusCode::OK, content_type, full(body));
    if content_type.starts_with("text/html") {
        // The page's script and style are served by the API itself; nothing inline runs, so
        // a payload that slipped through escaping still could not.
        answer.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    answer
}

/// An event stream answer around `body`.
pub(crate) fn event_stream(body: Body) -> Answer {
    with_type(StatusCode::OK, "text/event-stream", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "127.0.0.1:80",
            "localhost:9",
            "[::1]:5",
            "127.9.9.9",
            "LOCALHOST",
        ] {
            assert!(loopback_host(host), "{host}");
        }
        for host in [
            "evil.example:80",
            "",
            "10.0.0.1:5",
            "[fe80::1]:5",
            "localhost.evil",
        ] {
            assert!(!loopback_host(host), "{host}");
        }
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"abcd", b"abc"));
        assert!(!same_secret(b"", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
    }
}
