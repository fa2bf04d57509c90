//! The device registry, channels and Live Activities through the API.

use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::SimParts;
use super::http::{Answer, json, no_content, problem};
use crate::apns::Environment;
use crate::apns::{ChannelId, DeviceToken};
use crate::sim::{DeviceEntry, TokenState};

/// A device as the API shows it.
fn device_json(token: &DeviceToken, e: &DeviceEntry) -> Value {
    let (state, since) = match e.state {
        TokenState::Active => ("active", None),
        TokenState::Unregistered { since_ms } => ("unregistered", Some(since_ms)),
        TokenState::Expired => ("expired", None),
    };
    json!({
        "token": token.to_hex(),
        "state": state,
        "unregistered_at_ms": since,
        "topic": e.topic,
        "environment": e.environment.map(Environment::label),
        "name": e.name,
        "channels": e.channels.iter().map(ChannelId::as_str).collect::<Vec<_>>(),
    })
}

/// The error is boxed: an answer is large, and the happy path should not carry its size.
fn parse_token(text: &str) -> Result<DeviceToken, Box<Answer>> {
    DeviceToken::parse(text)
        .map_err(|e| Box::new(problem(StatusCode::BAD_REQUEST, &format!("token: {e}"))))
}

pub(super) fn list(sim: &SimParts) -> Answer {
    let items: Vec<Value> = sim
        .registry
        .entries()
        .iter()
        .map(|(t, e)| device_json(t, e))
        .collect();
    json(
        StatusCode::OK,
        &json!({ "count": items.len(), "items": items }),
    )
}

pub(super) fn one(sim: &SimParts, token: &str) -> Answer {
    let token = match parse_token(token) {
        Ok(t) => t,
        Err(answer) => return *answer,
    };
    match sim.registry.get(token.as_bytes()) {
        Some(e) => json(StatusCode::OK, &device_json(&token, &e)),
        None => problem(StatusCode::NOT_FOUND, "no such device in the registry"),
    }
}

/// `absent` stays as it is, `null` clears, a value sets.
fn some<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceChange {
    /// `active`, `unregistered` or `expired`.
    state: Option<String>,
    /// For `unregistered`: the 410 timestamp (default: now).
    unregistered_at_ms: Option<i64>,
    #[serde(default, deserialize_with = "some")]
    topic: Option<Option<String>>,
    /// `sandbox`, `production`, or null for the simulator's own.
    #[serde(default, deserialize_with = "some")]
    environment: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    name: Option<Option<String>>,
}

pub(super) fn put(sim: &SimParts, token: &str, body: &[u8]) -> Answer {
    let token = match parse_token(token) {
        Ok(t) => t,
        Err(answer) => return *answer,
    };
    let change: DeviceChange = if body.iter().all(u8::is_ascii_whitespace) {
        DeviceChange {
            state: None,
            unregistered_at_ms: None,
            topic: None,
            environment: None,
            name: None,
        }
    } else {
        match serde_json::from_slice(body) {
            Ok(c) => c,
            Err(e) => return problem(StatusCode::BAD_REQUEST, &format!("body: {e}")),
        }
    };
    let existing = sim.registry.get(token.as_bytes());
    let created = existing.is_none();
    let mut entry = existing.unwrap_or_else(DeviceEntry::active);
    match change.state.as_deref() {
        None => {
            if change.unregistered_at_ms.is_some() {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "unregistered_at_ms goes with \"state\": \"unregistered\"",
                );
            }
        }
        Some("active") => entry.state = TokenState::Active,
        Some("expired") => entry.state = TokenState::Expired,
        Some("unregistered") => {
            entry.state = TokenState::Unregistered {
                since_ms: change
                    .unregistered_at_ms
                    .unwrap_or_else(crate::sim::registry::now_ms),
            };
        }
        Some(_) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "state is active, unregistered or expired",
            );
        }
    }
    if let Some(topic) = change.topic {
        entry.topic = topic.filter(|t| !t.is_empty());
    }
    if let Some(env) = change.environment {
        entry.environment = match env.as_deref() {
            None => None,
            Some("sandbox" | "development") => Some(Environment::Sandbox),
            Some("production") => Some(Environment::Production),
            Some(_) => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "environment is sandbox, production or null",
                );
            }
        };
    }
    if let Some(name) = change.name {
        entry.name = name;
    }
    sim.registry.insert(&token, entry.clone());
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    json(status, &device_json(&token, &entry))
}

pub(super) fn delete(sim: &SimParts, token: &str) -> Answer {
    let token = match parse_token(token) {
        Ok(t) => t,
        Err(answer) => return *answer,
    };
    if sim.registry.remove(&token) {
        no_content()
    } else {
        problem(StatusCode::NOT_FOUND, "no such device in the registry")
    }
}

pub(super) fn channels(sim: &SimParts, pairs: &[(String, String)]) -> Answer {
    let mut bundle = None;
    for (name, value) in pairs {
        match name.as_str() {
            "bundle" if !value.is_empty() => bundle = Some(value.as_str()),
            "bundle" => {}
            _ => return problem(StatusCode::BAD_REQUEST, "the only filter here is bundle"),
        }
    }
    let list = match bundle {
        Some(b) => sim.channels.list(b),
        None => sim.channels.all(),
    };
    let items: Vec<Value> = list
        .into_iter()
        .map(|c| {
            let devices: Vec<String> = sim
                .registry
                .subscribers(&c.id)
                .iter()
                .map(|(t, _)| t.to_hex())
                .collect();
            let mut v = serde_json::to_value(&c).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.insert("devices".to_owned(), json!(devices));
            }
            v
        })
        .collect();
    json(
        StatusCode::OK,
        &json!({
            "environment": sim.environment.label(),
            "count": items.len(),
            "items": items,
        }),
    )
}

pub(super) fn subscribe(
    sim: &SimParts,
    bundle: &str,
    channel: &str,
    token: &str,
    subscribed: bool,
) -> Answer {
    let token = match parse_token(token) {
        Ok(t) => t,
        Err(answer) => return *answer,
    };
    let Ok(id) = ChannelId::parse(channel) else {
        return problem(StatusCode::BAD_REQUEST, "not a channel id (base64)");
    };
    if sim.channels.get(bundle, &id).is_none() {
        return problem(
            StatusCode::NOT_FOUND,
            "this app has no such channel in this environment",
        );
    }
    sim.registry.set_subscribed(&token, &id, subscribed);
    no_content()
}

/// An activity as the API shows it: as the phone holds it, with where it is now.
fn activity_json(a: &crate::sim::Activity, now: i64) -> Value {
    let phase = a.phase(now);
    let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("phase".to_owned(), json!(phase));
    }
    v
}

/// Every activity, or those a push-to-start token started (`start_token`): what a backend
/// reads to learn the update token the phone made.
pub(super) fn activities(sim: &SimParts, pairs: &[(String, String)]) -> Answer {
    let mut start_token = None;
    for (name, value) in pairs {
        match name.as_str() {
            "start_token" => match parse_token(value) {
                Ok(t) => start_token = Some(t.to_hex()),
                Err(answer) => return *answer,
            },
            _ => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "the only filter here is start_token",
                );
            }
        }
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let items: Vec<Value> = sim
        .inbox
        .activities()
        .into_iter()
        .filter(|a| start_token.is_none() || a.start_token == start_token)
        .map(|a| activity_json(&a, now))
        .collect();
    json(
        StatusCode::OK,
        &json!({ "count": items.len(), "items": items }),
    )
}

/// One activity, by its update token.
pub(super) fn activity(sim: &SimParts, id: &str) -> Answer {
    let token = match parse_token(id) {
        Ok(t) => t,
        Err(answer) => return *answer,
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match sim.inbox.activity(&token.to_hex()) {
        Some(a) => json(StatusCode::OK, &activity_json(&a, now)),
        None => match sim.inbox.started_from(&token.to_hex()) {
            Some(update) => problem(
                StatusCode::NOT_FOUND,
                &format!(
                    "this is a push-to-start token, not an activity's: the last activity it started has update token {update}"
                ),
            ),
            None => problem(StatusCode::NOT_FOUND, "no activity has this update token"),
        },
    }
}
