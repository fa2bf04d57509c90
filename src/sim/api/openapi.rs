//! The OpenAPI 3.1 description, written from the route table so it lists exactly the routes
//! served.

use serde_json::{Map, Value, json};

use super::routes::{ROUTES, RouteId};

fn query_doc(name: &str) -> &'static str {
    match name {
        "token" => "Device token (hex, any written form)",
        "topic" => "Topic (bundle id), exactly",
        "push_type" => "alert, background, liveactivity, …",
        "channel" => "Broadcast channel id it came through",
        "since" => "RFC 3339 time or milliseconds since 1970: at or after",
        "text" => "Case-insensitive text in the payload, topic or apns-id (at most 512 characters)",
        "reason" => "Apple's reason, e.g. Unregistered",
        "limit" => "Items at most (default 100, at most 1000)",
        "count" => "Deliveries to wait for (default 1)",
        "timeout" => "Milliseconds to wait (default 10000, at most 60000)",
        "bundle" => "The app's bundle id",
        "start_token" => "The push-to-start token (hex) whose starts began the activities",
        _ => "",
    }
}

fn body_schema(id: RouteId) -> Option<Value> {
    match id {
        RouteId::PutDevice => Some(json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "state": {"enum": ["active", "unregistered", "expired"]},
                "unregistered_at_ms": {"type": "integer", "description": "The 410 timestamp (default: now)"},
                "topic": {"type": ["string", "null"]},
                "environment": {"enum": ["sandbox", "production", null]},
                "name": {"type": ["string", "null"]}
            }
        })),
        RouteId::PutFaults => {
            let count = json!({"type": ["integer", "null"], "minimum": 0});
            Some(json!({
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "goaway_after": count,
                    "drop_after": count,
                    "fail": {"type": ["object", "null"], "properties": {"reason": {"type": "string"}, "share": {"type": "number", "minimum": 0, "maximum": 1}}},
                    "fail_burst": {"type": ["object", "null"], "properties": {"reason": {"type": "string"}, "start": {"type": "integer"}, "count": {"type": "integer"}}},
                    "latency_ms": {"type": ["integer", "null"], "minimum": 0, "maximum": 60000},
                    "clock_offset": {"type": ["integer", "null"]},
                    "refuse_streams_over": count,
                    "shutdown_after": count,
                    "reset_processed_every": count,
                    "drop_after_processing": count,
                    "answer_from_headers": {"type": ["boolean", "null"]}
                }
            }))
        }
        _ => None,
    }
}

fn answer_type(id: RouteId) -> &'static str {
    match id {
        RouteId::Events => "text/event-stream",
        RouteId::Metrics => "text/plain",
        RouteId::Inbox => "text/html",
        RouteId::Style => "text/css",
        RouteId::Script => "text/javascript",
        _ => "application/json",
    }
}

/// The document.
pub(crate) fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let mut parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}, "description": "percent-encoded"}))
            .collect();
        parameters.extend(route.query.iter().map(|name| {
            json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": query_doc(name)})
        }));
        let mut op = json!({
            "operationId": format!("{:?}", route.id),
            "summary": route.summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "OK", "content": {answer_type(route.id): {}}},
                "400": {"description": "A parameter or the body is wrong: {\"error\": …}"},
                "401": {"description": "The API has a token and the request did not carry it"}
            }
        });
        if let Some(schema) = body_schema(route.id) {
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": schema}}});
        }
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[route.method.as_str().to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "pushlab simulator control API",
            "version": "1",
            "description": "Inspect and steer a running pushlab APNs simulator from tests: deliveries, refused requests, devices, channels, Live Activities, faults, stats, events."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Only when the simulator was started with --api-token"}}
        },
        "paths": paths,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_described() {
        let doc = document();
        for route in ROUTES {
            let method = route.method.as_str().to_lowercase();
            assert!(
                doc["paths"][route.path][&method].is_object(),
                "{method} {}",
                route.path
            );
        }
        let described: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(described, ROUTES.len());
    }
}
