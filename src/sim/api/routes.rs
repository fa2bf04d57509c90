//! Every route the API serves, in one table: the dispatcher matches requests against it and
//! the OpenAPI document is written from it, so the two cannot disagree.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use http::{Method, Request, StatusCode};
use hyper::body::Incoming;
use serde_json::json;

use super::filter::Filter;
use super::http::{Answer, Kill, State, json, no_content, problem};
use super::text::{percent_decode, query_pairs};
use super::{MAX_WAIT, devices, events, faults, metrics, openapi, web};
use crate::sim::Delivery;

/// What a route does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteId {
    Simulator,
    OpenApi,
    Deliveries,
    ClearDeliveries,
    WaitDeliveries,
    Delivery,
    Rejections,
    ClearRejections,
    Devices,
    Device,
    PutDevice,
    DeleteDevice,
    Channels,
    Subscribe,
    Unsubscribe,
    Activities,
    Activity,
    Faults,
    PutFaults,
    Stats,
    Events,
    Metrics,
    Inbox,
    Style,
    Script,
}

/// One route: method, path (`{name}` is one percent-encoded segment) and what it is for.
#[derive(Debug, Clone)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path, from `/`.
    pub path: &'static str,
    /// Which handler serves it.
    pub id: RouteId,
    /// One line on what it does, as the OpenAPI document shows it.
    pub summary: &'static str,
    /// The query parameters it reads.
    pub query: &'static [&'static str],
}

const FILTERS: &[&str] = &[
    "token",
    "topic",
    "push_type",
    "channel",
    "since",
    "text",
    "limit",
];

macro_rules! route {
    ($method:ident $path:literal $id:ident $summary:literal $query:expr) => {
        Route {
            method: Method::$method,
            path: $path,
            id: RouteId::$id,
            summary: $summary,
            query: $query,
        }
    };
}

/// The routes, matched in this order (so `/deliveries/wait` comes before
/// `/deliveries/{apns_id}`).
pub const ROUTES: &[Route] = &[
    route!(GET "/api/v1/simulator" Simulator "The simulator's environment and APNs address" &[]),
    route!(GET "/api/v1/openapi.json" OpenApi "This API, described in OpenAPI 3.1" &[]),
    route!(GET "/api/v1/deliveries" Deliveries "Kept deliveries, newest first, filtered" FILTERS),
    route!(DELETE "/api/v1/deliveries" ClearDeliveries "Forget kept deliveries and Live Activities" &[]),
    route!(GET "/api/v1/deliveries/wait" WaitDeliveries "Answer as soon as `count` deliveries match (408 after `timeout` ms, at most 60000)" &["token", "topic", "push_type", "channel", "since", "text", "limit", "count", "timeout"]),
    route!(GET "/api/v1/deliveries/{apns_id}" Delivery "One kept delivery by apns-id" &[]),
    route!(GET "/api/v1/rejections" Rejections "Refused requests, newest first, filtered" &["token", "topic", "push_type", "channel", "since", "text", "reason", "limit"]),
    route!(DELETE "/api/v1/rejections" ClearRejections "Forget kept refused requests" &[]),
    route!(GET "/api/v1/devices" Devices "Every registered device" &[]),
    route!(GET "/api/v1/devices/{token}" Device "One registered device" &[]),
    route!(PUT "/api/v1/devices/{token}" PutDevice "Add a device or change its state, topic, environment or name (from the next push)" &[]),
    route!(DELETE "/api/v1/devices/{token}" DeleteDevice "Remove a device from the registry" &[]),
    route!(GET "/api/v1/channels" Channels "Broadcast channels (of one app with `bundle`) and their subscribed devices" &["bundle"]),
    route!(PUT "/api/v1/channels/{bundle}/{channel}/devices/{token}" Subscribe "Subscribe a device to an app's channel" &[]),
    route!(DELETE "/api/v1/channels/{bundle}/{channel}/devices/{token}" Unsubscribe "End a device's subscription to an app's channel" &[]),
    route!(GET "/api/v1/activities" Activities "Every Live Activity as the phone holds it now (those a push-to-start token began, with `start_token`)" &["start_token"]),
    route!(GET "/api/v1/activities/{token}" Activity "One Live Activity by its update token" &[]),
    route!(GET "/api/v1/faults" Faults "The faults in force" &[]),
    route!(PUT "/api/v1/faults" PutFaults "Change faults: fields given are set, null switches one off, others are kept" &[]),
    route!(GET "/api/v1/stats" Stats "Counts by outcome, reason and push type; answer latency" &[]),
    route!(GET "/api/v1/events" Events "Server-Sent Events: delivery, rejection, activity" &[]),
    route!(GET "/metrics" Metrics "Prometheus text format" &[]),
    route!(GET "/" Inbox "The web inbox" &["token", "topic", "push_type", "text"]),
    route!(GET "/assets/inbox.css" Style "The web inbox's style" &[]),
    route!(GET "/assets/inbox.js" Script "The web inbox's script" &[]),
];

/// The route for a method and path, and the path's `{name}` segments decoded.
fn find(method: &Method, path: &str) -> Result<(&'static Route, Vec<String>), StatusCode> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut path_known = false;
    for route in ROUTES {
        let pattern: Vec<&str> = route.path.split('/').collect();
        if pattern.len() != segments.len() {
            continue;
        }
        let mut params = Vec::new();
        let fits = pattern.iter().zip(&segments).all(|(p, s)| {
            if p.starts_with('{') {
                match percent_decode(s, false) {
                    Some(value) if !value.is_empty() => {
                        params.push(value);
                        true
                    }
                    _ => false,
                }
            } else {
                p == s
            }
        });
        if !fits {
            continue;
        }
        path_known = true;
        if route.method == method {
            return Ok((route, params));
        }
    }
    Err(if path_known {
        StatusCode::METHOD_NOT_ALLOWED
    } else {
        StatusCode::NOT_FOUND
    })
}

pub(super) async fn dispatch(request: Request<Incoming>, state: &State, kill: Kill) -> Answer {
    let (route, params) = match find(request.method(), request.uri().path()) {
        Ok(found) => found,
        Err(status) => {
            return problem(status, "no such route: see /api/v1/openapi.json");
        }
    };
    let pairs = match query_pairs(request.uri().query()) {
        Ok(pairs) => pairs,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &e),
    };
    let param = |i: usize| params.get(i).map(String::as_str).unwrap_or_default();
    let sim = &state.sim;
    match route.id {
        RouteId::Simulator => json(
            StatusCode::OK,
            &json!({
                "environment": sim.environment.label(),
                "apns_addr": sim.apns_addr.to_string(),
                "api_version": 1,
                "pushlab_version": env!("CARGO_PKG_VERSION"),
            }),
        ),
        RouteId::OpenApi => json(StatusCode::OK, &openapi::document()),
        RouteId::Deliveries => with_filter(&pairs, |f| list_deliveries(state, f)),
        RouteId::ClearDeliveries => {
            sim.inbox.clear();
            no_content()
        }
        RouteId::WaitDeliveries => match Filter::from_pairs(&pairs) {
            Ok(f) => wait(state, &f).await,
            Err(e) => problem(StatusCode::BAD_REQUEST, &e),
        },
        RouteId::Delivery => match sim
            .inbox
            .newest_shared()
            .into_iter()
            .find(|d| d.apns_id.eq_ignore_ascii_case(param(0)))
        {
            Some(d) => json(StatusCode::OK, &*d),
            None => problem(StatusCode::NOT_FOUND, "no kept delivery has this apns-id"),
        },
        RouteId::Rejections => with_filter(&pairs, |f| {
            let items: Vec<_> = sim
                .inbox
                .refusals()
                .into_iter()
                .filter(|r| f.matches_refusal(r))
                .take(f.limit)
                .collect();
            json(
                StatusCode::OK,
                &json!({ "count": items.len(), "items": items }),
            )
        }),
        RouteId::ClearRejections => {
            sim.inbox.clear_refusals();
            no_content()
        }
        RouteId::Devices => devices::list(sim),
        RouteId::Device => devices::one(sim, param(0)),
        RouteId::PutDevice => match super::http::read_body(request.into_body()).await {
            Ok(body) => devices::put(sim, param(0), &body),
            Err(answer) => answer,
        },
        RouteId::DeleteDevice => devices::delete(sim, param(0)),
        RouteId::Channels => devices::channels(sim, &pairs),
        RouteId::Subscribe => devices::subscribe(sim, param(0), param(1), param(2), true),
        RouteId::Unsubscribe => devices::subscribe(sim, param(0), param(1), param(2), false),
        RouteId::Activities => devices::activities(sim, &pairs),
        RouteId::Activity => devices::activity(sim, param(0)),
        RouteId::Faults => json(StatusCode::OK, &faults::view(&sim.faults.current())),
        RouteId::PutFaults => match super::http::read_body(request.into_body()).await {
            Ok(body) => faults::put(sim, &body),
            Err(answer) => answer,
        },
        RouteId::Stats => json(
            StatusCode::OK,
            &json!({
                "stats": sim.inbox.stats(),
                "deliveries_kept": sim.inbox.kept(),
                "deliveries_total": sim.inbox.total(),
                "rejections_total": sim.inbox.rejected(),
                "event_followers": state.followers.count(),
                "event_followers_dropped": state.followers.dropped(),
                "waiters": state.waiters.load(Ordering::Relaxed),
            }),
        ),
        RouteId::Events => events::open(state, kill),
        RouteId::Metrics => metrics::answer(state),
        RouteId::Inbox => with_filter(&pairs, |f| web::page(state, f)),
        RouteId::Style => super::http::text("text/css; charset=utf-8", web::STYLE),
        RouteId::Script => super::http::text("text/javascript; charset=utf-8", web::SCRIPT),
    }
}

fn with_filter(pairs: &[(String, String)], then: impl FnOnce(&Filter) -> Answer) -> Answer {
    match Filter::from_pairs(pairs) {
        Ok(f) => then(&f),
        Err(e) => problem(StatusCode::BAD_REQUEST, &e),
    }
}

/// The matching deliveries, newest first. Filtered outside the inbox's lock, so a text
/// search over many payloads never holds up a push being recorded.
fn matching(state: &State, f: &Filter) -> Vec<Arc<Delivery>> {
    state
        .sim
        .inbox
        .newest_shared()
        .into_iter()
        .filter(|d| f.matches(d))
        .take(f.limit.max(f.count.unwrap_or(0)))
        .collect()
}

fn listed(items: &[Arc<Delivery>]) -> Vec<&Delivery> {
    items.iter().map(|d| &**d).collect()
}

fn list_deliveries(state: &State, f: &Filter) -> Answer {
    let items = matching(state, f);
    json(
        StatusCode::OK,
        &json!({ "count": items.len(), "items": listed(&items) }),
    )
}

/// Looks, and looks again each time the inbox changes, until `count` deliveries match or the
/// time is up. Subscribing before the first look means no delivery slips between the two.
async fn wait(state: &State, f: &Filter) -> Answer {
    let want = f.count.unwrap_or(1);
    let timeout = Duration::from_millis(f.timeout_ms.unwrap_or(10_000)).min(MAX_WAIT);
    let mut changes = state.sim.inbox.watch_changes();
    let deadline = tokio::time::Instant::now() + timeout;
    state.waiters.fetch_add(1, Ordering::Relaxed);
    let answer = wait_until(state, f, want, &mut changes, deadline).await;
    state.waiters.fetch_sub(1, Ordering::Relaxed);
    answer
}

async fn wait_until(
    state: &State,
    f: &Filter,
    want: usize,
    changes: &mut tokio::sync::watch::Receiver<u64>,
    deadline: tokio::time::Instant,
) -> Answer {
    loop {
        let items = matching(state, f);
        if items.len() >= want {
            return json(
                StatusCode::OK,
                &json!({ "count": items.len(), "items": listed(&items) }),
            );
        }
        let changed = tokio::time::timeout_at(deadline, changes.changed()).await;
        if !matches!(changed, Ok(Ok(()))) {
            let items = matching(state, f);
            let status = if items.len() >= want {
                StatusCode::OK
            } else {
                StatusCode::REQUEST_TIMEOUT
            };
            return json(
                status,
                &json!({ "count": items.len(), "wanted": want, "items": listed(&items) }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_found_in_order() {
        let (r, p) = find(&Method::GET, "/api/v1/deliveries/wait").unwrap();
        assert_eq!((r.id, p.len()), (RouteId::WaitDeliveries, 0));
        let (r, p) = find(&Method::GET, "/api/v1/deliveries/ABC").unwrap();
        assert_eq!((r.id, p), (RouteId::Delivery, vec!["ABC".to_owned()]));
        let (r, p) = find(&Method::PUT, "/api/v1/channels/com.x/a%2Fb%3D/devices/aa").unwrap();
        assert_eq!(r.id, RouteId::Subscribe);
        assert_eq!(p, vec!["com.x", "a/b=", "aa"]);
        assert_eq!(
            find(&Method::POST, "/api/v1/faults").unwrap_err(),
            StatusCode::METHOD_NOT_ALLOWED
        );
        assert_eq!(
            find(&Method::GET, "/api/v2/faults").unwrap_err(),
            StatusCode::NOT_FOUND
        );
        assert!(find(&Method::GET, "/api/v1/devices/").is_err());
    }

    #[test]
    fn every_route_is_unique() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(a.path != b.path || a.method != b.method, "{}", a.path);
            }
        }
    }
}
