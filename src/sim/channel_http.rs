//! The channel API's network side: a request routed to `channels`, authenticated like a
//! push, answered on its stream, its broadcast deliveries recorded and its event told.

use bytes::Bytes;
use h2::server::SendResponse;
use http::Response;

use super::channel_api::{self as channels, ChannelAnswer, ChannelPath};
use super::records::{ChannelEvent, Interface, RequestEvent};
use super::request::{authenticate, date_header};
use super::server::{Connection, Shared};
use super::validate::Rejection;
use crate::apns::{PushType, new_uuid};

/// A request to the channel API: route, authentication, then the API itself.
pub(super) fn serve(
    route: &ChannelPath<'_>,
    parts: &http::request::Parts,
    body: &[u8],
    shared: &Shared,
    conn: &Connection,
) -> Result<ChannelAnswer, Rejection> {
    channels::check_route(route, &parts.method)?;
    let (identity, auth) = authenticate(parts, shared, conn)?;
    let config = &shared.config;
    let cx = channels::ChannelContext {
        store: &config.channels,
        registry: &config.registry,
        environment: config.environment,
        identity: &identity,
        auth,
    };
    channels::answer(route, &parts.method, &parts.headers, body, &cx)
}

/// Sends a channel answer (or refusal), records a broadcast's deliveries, and tells the
/// event's subscribers.
pub(super) fn send_answer(
    mut respond: SendResponse<Bytes>,
    route: &ChannelPath<'_>,
    parts: &http::request::Parts,
    answer: Result<ChannelAnswer, Rejection>,
    shared: &Shared,
) {
    let named = parts
        .headers
        .get("apns-channel-id")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let (status, headers, body, reason, channel, devices) = match answer {
        Ok(a) => {
            let devices = matches!(route, ChannelPath::Broadcast(_)).then_some(a.deliveries.len());
            for d in a.deliveries {
                shared.inbox.record(d);
            }
            let created = a
                .headers
                .iter()
                .find(|(k, _)| *k == "apns-channel-id")
                .map(|(_, v)| v.clone());
            (
                a.status,
                a.headers,
                a.body,
                None,
                created.or(named),
                devices,
            )
        }
        Err(r) => {
            let body = serde_json::json!({ "reason": r.reason })
                .to_string()
                .into_bytes();
            let request_id = parts
                .headers
                .get("apns-request-id")
                .and_then(|v| v.to_str().ok())
                .filter(|id| crate::apns::is_canonical_uuid(id))
                .map(str::to_owned)
                .unwrap_or_else(new_uuid);
            (
                r.status,
                vec![("apns-request-id", request_id)],
                body,
                Some(r.reason),
                named,
                None,
            )
        }
    };
    let mut response = Response::builder()
        .status(status)
        .header("date", date_header(shared.faults.current().clock_offset));
    for (name, value) in &headers {
        response = response.header(*name, value);
    }
    if !body.is_empty() {
        response = response.header("content-type", "application/json");
    }
    let sent = response.body(()).ok().is_some_and(|r| {
        if body.is_empty() {
            respond.send_response(r, true).is_ok()
        } else {
            respond
                .send_response(r, false)
                .is_ok_and(|mut stream| stream.send_data(Bytes::from(body), true).is_ok())
        }
    });
    if sent && (reason.is_some() || shared.inbox.has_subscribers()) {
        shared.inbox.event(RequestEvent {
            status,
            reason,
            token: String::new(),
            topic: None,
            push_type: matches!(route, ChannelPath::Broadcast(_)).then_some(PushType::LiveActivity),
            apns_id: String::new(),
            auth: None,
            interface: Interface::Http2,
            channel: Some(ChannelEvent {
                action: route.action(&parts.method),
                bundle: route.bundle().unwrap_or_default().to_owned(),
                channel,
                devices,
            }),
            live_activity: None,
        });
    }
}
