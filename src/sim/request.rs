//! The life of one HTTP/2 request: its body read within bounds, the faults in force, the
//! simulator's judgement (Apple's checks, in Apple's order) and the answer.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use h2::server::SendResponse;
use http::{Response, StatusCode};

use super::Faults;
use super::channel_api::ChannelPath;
use super::channel_http;
use super::records::{AuthKind, Delivery, Interface, RequestEvent};
use super::server::{Connection, Shared};
use super::validate::{self, Identity, Rejection};
use crate::apns::Environment;
use crate::apns::{ChannelId, DeviceToken, PushType, Reason, new_uuid};

/// Bodies are read up to this size; anything longer is already too large.
const MAX_BODY_READ: usize = 5120 + 1;

/// A request counted in its connection's in-flight number until its handler ends, on whichever
/// path: the count `refuse_streams_over` judges by can neither leak nor go below zero.
pub(super) struct InFlight(Arc<Connection>);

impl InFlight {
    pub(super) fn count(conn: Arc<Connection>) -> Self {
        conn.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(conn)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

pub(super) async fn handle(
    request: http::Request<h2::RecvStream>,
    mut respond: SendResponse<Bytes>,
    shared: Arc<Shared>,
    counted: InFlight,
    _held: super::admission::HeaderBytes,
) {
    let conn = &counted.0;
    let started = std::time::Instant::now();
    let (parts, body) = request.into_parts();
    let faults = shared.faults.current();
    let channel = ChannelPath::of(parts.uri.path());
    // With `answer_from_headers` a push's body is read only once its headers allow a delivery.
    let mut body = if faults.answer_from_headers && channel.is_none() {
        Body::Unread(body)
    } else {
        let Some(buf) = read_body(body, &shared, &mut respond).await else {
            return;
        };
        Body::Read(buf)
    };
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
    if let Some(route) = channel {
        let answer = match injected_fault(&faults, n, &shared, conn) {
            Some(rejection) => Err(rejection),
            None => channel_http::serve(&route, &parts, body.bytes(), &shared, conn),
        };
        channel_http::send_answer(respond, &route, &parts, answer, &shared);
        return;
    }
    let outcome = match injected_fault(&faults, n, &shared, conn)
        .map_or_else(|| judge_head(&parts, &shared, conn), Err)
    {
        // Answered from the headers, an unread body is dropped after the answer (at the end
        // of this function): h2 then stops it with RST_STREAM(NO_ERROR), as RFC 9113 §8.1
        // asks. Dropped before, it would be CANCEL, and the answer might never leave.
        Err(rejection) => Err(rejection),
        Ok(judged) => {
            if let Body::Unread(unread) = body {
                let Some(buf) = read_body(unread, &shared, &mut respond).await else {
                    return;
                };
                body = Body::Read(buf);
            }
            judge_body(judged, &parts, body.bytes())
        }
    };
    let apns_id = match &outcome {
        Ok(d) => d.apns_id.clone(),
        Err(_) => header(&parts, "apns-id")
            .filter(|id| crate::apns::is_canonical_uuid(id))
            .unwrap_or_else(new_uuid),
    };
    // Rejections are counted through their event; a delivery's event is made only for a
    // subscriber (the CLI printing requests, a test).
    let wants_event = outcome.is_err() || shared.inbox.has_subscribers();
    let mut event = wants_event.then(|| event_of(&outcome, &parts, &apns_id, conn));
    let sent = match outcome {
        Ok(delivery) => {
            let asked_channel = asked_channel(&delivery);
            let live = shared.inbox.record(delivery);
            // The started activity follows the channel, at the update token its phone made.
            if let Some((channel, bundle)) = asked_channel
                && let Some(started) = live.as_ref().filter(|o| o.started())
                && let Ok(token) = DeviceToken::parse(&started.activity)
            {
                subscribe_started(&shared, &token, &channel, &bundle);
            }
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
            let sandbox = shared.config.environment == Environment::Sandbox;
            answer_delivered(&mut respond, &apns_id, &faults, sandbox)
        }
        Err(rejection) => answer_rejected(&mut respond, &rejection, &apns_id, &faults),
    };
    if sent == Some(true) {
        shared.inbox.answered_in(started.elapsed());
        if let Some(event) = event {
            shared.inbox.event(event);
        }
    }
}

/// The body, read up to one byte past the largest payload (that is enough to answer 413) and
/// within the deadline: an endless or trickling body costs no more than that. `None` when the
/// client gave up on it, or when it took too long (the stream is then reset).
async fn read_body(
    mut body: h2::RecvStream,
    shared: &Shared,
    respond: &mut SendResponse<Bytes>,
) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
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
        Ok(Some(())) => Some(buf),
        Ok(None) => None,
        Err(_) => {
            respond.send_reset(h2::Reason::CANCEL);
            None
        }
    }
}

/// A request header's value, when it is text.
fn header(parts: &http::request::Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// What the simulator's feed shows of a request: the delivery as judged, or the rejection
/// with what the request said of itself.
fn event_of(
    outcome: &Result<Delivery, Rejection>,
    parts: &http::request::Parts,
    apns_id: &str,
    conn: &Connection,
) -> RequestEvent {
    let token = parts
        .uri
        .path()
        .strip_prefix("/3/device/")
        .unwrap_or_default()
        .to_owned();
    let (status, reason, topic, push_type, auth) = match outcome {
        Ok(d) => (
            200,
            None,
            Some(d.topic.clone()),
            Some(d.push_type),
            Some(d.auth),
        ),
        Err(r) => (
            r.status,
            Some(r.reason),
            header(parts, "apns-topic"),
            header(parts, "apns-push-type")
                .as_deref()
                .and_then(crate::apns::PushType::parse),
            // A certificate is known from the handshake; a token only once one is valid.
            matches!(conn.identity, Identity::Certificate { .. }).then_some(AuthKind::Certificate),
        ),
    };
    RequestEvent {
        status,
        reason,
        token,
        topic,
        push_type,
        apns_id: apns_id.to_owned(),
        auth,
        interface: Interface::Http2,
        channel: None,
        live_activity: None,
    }
}

/// Sends the 200; `Some(true)` when it went out.
fn answer_delivered(
    respond: &mut SendResponse<Bytes>,
    apns_id: &str,
    faults: &Faults,
    sandbox: bool,
) -> Option<bool> {
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header("apns-id", apns_id)
        .header("date", date_header(faults.clock_offset));
    if sandbox {
        response = response.header("apns-unique-id", new_uuid());
    }
    response
        .body(())
        .ok()
        .map(|r| respond.send_response(r, true).is_ok())
}

/// Sends the refusal with its JSON reason; `Some(true)` when it went out.
fn answer_rejected(
    respond: &mut SendResponse<Bytes>,
    rejection: &Rejection,
    apns_id: &str,
    faults: &Faults,
) -> Option<bool> {
    let mut json = serde_json::json!({ "reason": rejection.reason });
    if let Some(ts) = rejection.timestamp_ms {
        json["timestamp"] = ts.into();
    }
    let body = Bytes::from(json.to_string());
    Response::builder()
        .status(rejection.status)
        .header("content-type", "application/json")
        .header("apns-id", apns_id)
        .header("date", date_header(faults.clock_offset))
        .body(())
        .ok()
        .and_then(|r| respond.send_response(r, false).ok())
        .map(|mut stream| stream.send_data(body, true).is_ok())
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
            let keys = shared.keys.read();
            let index = {
                let mut tokens = conn
                    .tokens
                    .lock()
                    .map_err(|_| Rejection::from(Reason::InternalServerError))?;
                tokens.check(
                    parts.headers.get("authorization").map(|v| v.as_bytes()),
                    &keys,
                    config.environment,
                    now,
                    config.env_key_reason.as_str(),
                )?
            };
            conn.authenticated.store(true, Ordering::Release);
            let key = keys
                .get(index)
                .ok_or_else(|| Rejection::from(Reason::InternalServerError))?;
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

/// A request's body: read, or (with `answer_from_headers`) not yet.
enum Body {
    Read(Vec<u8>),
    Unread(h2::RecvStream),
}

impl Body {
    /// What was read: nothing while unread (a channel request's body is always read).
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Read(buf) => buf,
            Body::Unread(_) => &[],
        }
    }
}

/// What a push's headers alone decide: their form, who sent it, for which app and device.
struct Judged {
    head: validate::Head,
    auth: AuthKind,
    topic: String,
    token: crate::apns::DeviceToken,
}

fn judge_head(
    parts: &http::request::Parts,
    shared: &Shared,
    conn: &Connection,
) -> Result<Judged, Rejection> {
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
    Ok(Judged {
        head,
        auth,
        topic,
        token,
    })
}

/// The delivery, once the body has been read and checked.
fn judge_body(
    judged: Judged,
    parts: &http::request::Parts,
    body: &[u8],
) -> Result<Delivery, Rejection> {
    let Judged {
        head,
        auth,
        topic,
        token,
    } = judged;
    let payload: serde_json::Value = validate::parse_body(body, head.push_type)?;
    let headers = super::records::shown_headers(&parts.headers);
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
    /// httpdate writes the years 1970 to 9999 (and panics outside them): a clock fault further
    /// off than that is shown at the nearest end.
    const LAST_SECOND_OF_9999: i64 = 253_402_300_799;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let shown = now.saturating_add(offset).clamp(0, LAST_SECOND_OF_9999);
    let shown = std::time::UNIX_EPOCH + Duration::from_secs(shown.unsigned_abs());
    httpdate::fmt_http_date(shown)
}

/// The channel a Live Activity start asks to be subscribed to (iOS 18's
/// `input-push-channel`), with the app's bundle id.
fn asked_channel(delivery: &super::Delivery) -> Option<(ChannelId, String)> {
    if delivery.push_type != PushType::LiveActivity {
        return None;
    }
    let aps = delivery.payload.get("aps")?;
    if aps.get("event")?.as_str()? != "start" {
        return None;
    }
    let channel = ChannelId::parse(aps.get("input-push-channel")?.as_str()?).ok()?;
    let bundle = PushType::LiveActivity
        .bundle_of(&delivery.topic)
        .unwrap_or(&delivery.topic)
        .to_owned();
    Some((channel, bundle))
}

/// The started activity follows the channel its start named, as iOS 18 subscribes it, when
/// the app has that channel: broadcasts on it then reach the activity's update token. A channel the app does
/// not have subscribes nothing (the activity still shows what its start asked for).
fn subscribe_started(shared: &Shared, token: &DeviceToken, channel: &ChannelId, bundle: &str) {
    if shared.config.channels.get(bundle, channel).is_some() {
        shared.config.registry.set_subscribed(token, channel, true);
    }
}

#[cfg(test)]
mod tests {
    /// The writer and the client's reader agree, whatever the clock fault (the RFC 9110
    /// example, the epoch, and faults far past either end of what a date can say).
    #[test]
    fn dates_written_are_read_back_and_no_fault_panics() {
        assert_eq!(
            crate::client::date_seconds("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        // A recipient reads the two obsolete forms too (RFC 9110, 5.6.7).
        assert_eq!(
            crate::client::date_seconds("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            crate::client::date_seconds("Sun Nov  6 08:49:37 1994"),
            Some(784_111_777)
        );
        assert_eq!(crate::client::date_seconds("garbage"), None);
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let read = crate::client::date_seconds(&super::date_header(3600)).unwrap();
        assert!((read - (now + 3600)).abs() <= 2, "{read} vs {now}");
        assert_eq!(
            crate::client::date_seconds(&super::date_header(i64::MIN)),
            Some(0)
        );
        assert_eq!(
            crate::client::date_seconds(&super::date_header(i64::MAX)),
            Some(253_402_300_799)
        );
    }
}
