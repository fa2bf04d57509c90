//! One push on a [`Connection`]: its request, and the answer read into a [`PushResponse`].
//!
//! A batch sends thousands of pushes whose headers are the same (push type, topic, priority,
//! the provider token) to servers whose `date` changes once a second. The
//! connection keeps the headers it built last and clones them for the next push with the same
//! values, and keeps the last `date` it read with its value: building the headers afresh
//! hashed every name and checked every value again, and reading the date parsed it again,
//! together a twentieth of a batch's instructions.

use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use http::uri::PathAndQuery;

use super::connection::{Connection, MAX_RESPONSE_BODY, PushResponse, SendError};
use crate::apns::{Notification, PushType, ServerReason};

/// What a connection keeps from one push to the next.
#[derive(Default)]
pub(super) struct Kept {
    headers: Mutex<Option<BuiltHeaders>>,
    date: Mutex<Option<(http::HeaderValue, Option<i64>)>>,
}

/// Headers as [`Notification::header_map`] built them, and what they were built from.
struct BuiltHeaders {
    push_type: PushType,
    topic: Option<String>,
    priority: Option<u8>,
    expiration: Option<i64>,
    collapse_id: Option<String>,
    apns_id: Option<String>,
    bearer: Option<String>,
    headers: http::HeaderMap,
}

impl BuiltHeaders {
    /// Whether these are the headers `n` and `bearer` would build: every value they hold.
    fn are_for(&self, n: &Notification, bearer: Option<&str>) -> bool {
        self.push_type == n.push_type
            && self.priority == n.priority
            && self.expiration == n.expiration
            && self.topic == n.topic
            && self.collapse_id == n.collapse_id
            && self.apns_id == n.apns_id
            && self.bearer.as_deref() == bearer
    }
}

impl Kept {
    /// The headers for `n`: a clone of the last ones when they were built from the same
    /// values (a clone shares each value's bytes), or new ones, kept for the next push.
    fn headers(
        &self,
        n: &Notification,
        bearer: Option<&str>,
    ) -> Result<http::HeaderMap, http::Error> {
        // A poisoned lock only means a thread panicked holding it; what it holds is replaced
        // whole, never left half-written.
        let mut last = self.headers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(built) = last.as_ref().filter(|b| b.are_for(n, bearer)) {
            return Ok(built.headers.clone());
        }
        let headers = n.header_map(bearer)?;
        *last = Some(BuiltHeaders {
            push_type: n.push_type,
            topic: n.topic.clone(),
            priority: n.priority,
            expiration: n.expiration,
            collapse_id: n.collapse_id.clone(),
            apns_id: n.apns_id.clone(),
            bearer: bearer.map(str::to_owned),
            headers: headers.clone(),
        });
        Ok(headers)
    }

    /// The server's clock from its `date` header ([`date_seconds`]), read again only when the
    /// text changed since the last answer.
    fn server_time(&self, date: &http::HeaderValue) -> Option<i64> {
        let mut last = self.date.lock().unwrap_or_else(PoisonError::into_inner);
        match last.as_ref() {
            Some((text, seconds)) if text == date => *seconds,
            _ => {
                let seconds = date.to_str().ok().and_then(date_seconds);
                *last = Some((date.clone(), seconds));
                seconds
            }
        }
    }
}

impl Connection {
    /// Sends one push and waits for APNs' answer.
    pub async fn send(&self, n: &Notification) -> Result<PushResponse, SendError> {
        let path = n
            .path_and_query()
            .map_err(|e| SendError::Request(e.to_string()))?;
        self.send_at(n, path).await
    }

    /// Sends `n` to another path (the connection check's deliberately invalid token).
    pub(crate) async fn send_to_path(
        &self,
        n: &Notification,
        path: &str,
    ) -> Result<PushResponse, SendError> {
        let path = PathAndQuery::from_maybe_shared(bytes::Bytes::copy_from_slice(path.as_bytes()))
            .map_err(|e| SendError::Request(e.to_string()))?;
        self.send_at(n, path).await
    }

    async fn send_at(
        &self,
        n: &Notification,
        path: PathAndQuery,
    ) -> Result<PushResponse, SendError> {
        let bearer = self.bearer()?;
        let authority = self.uri_authority()?;
        let req = self
            .kept
            .headers(n, bearer.as_deref())
            .and_then(|headers| crate::apns::request_from_parts(authority, path, headers))
            .map_err(|e| SendError::Request(e.to_string()))?;
        let start = Instant::now();
        let (parts, data) = self
            .exchange(req, n.payload.clone(), MAX_RESPONSE_BODY)
            .await
            .map_err(|_| self.timed_out())??;
        // One pass over the answer's few headers rather than a hashed lookup for each name
        // wanted; the names are made at compile time (a `&str` name is parsed on every
        // comparison). The first of each counts, as `HeaderMap::get` gives it.
        static APNS_ID: http::HeaderName = http::HeaderName::from_static("apns-id");
        static APNS_UNIQUE_ID: http::HeaderName = http::HeaderName::from_static("apns-unique-id");
        let (mut apns_id, mut apns_unique_id, mut date) = (None, None, None);
        for (name, value) in &parts.headers {
            let slot = if *name == APNS_ID {
                &mut apns_id
            } else if *name == APNS_UNIQUE_ID {
                &mut apns_unique_id
            } else if *name == http::header::DATE {
                &mut date
            } else {
                continue;
            };
            slot.get_or_insert(value);
        }
        let text =
            |v: Option<&http::HeaderValue>| v.and_then(|v| v.to_str().ok()).map(str::to_owned);
        // A 200 has no body: nothing to parse.
        let json: Option<serde_json::Value> = if data.is_empty() {
            None
        } else {
            serde_json::from_slice(&data).ok()
        };
        let response = PushResponse {
            status: parts.status.as_u16(),
            reason: json
                .as_ref()
                .and_then(|j| j.get("reason"))
                .and_then(|r| r.as_str())
                .map(ServerReason::from_wire),
            apns_id: text(apns_id),
            apns_unique_id: text(apns_unique_id),
            timestamp: json
                .as_ref()
                .and_then(|j| j.get("timestamp"))
                .and_then(|t| t.as_i64()),
            latency_ms: start.elapsed().as_secs_f64() * 1000.0,
            server_time: date.and_then(|d| self.kept.server_time(d)),
        };
        self.note_reason(response.known_reason());
        Ok(response)
    }
}

/// The server's clock from its `date` header, as Unix seconds (any of HTTP's three date forms,
/// as RFC 9110 asks of a recipient); `None` for anything else.
pub(crate) fn date_seconds(text: &str) -> Option<i64> {
    let t = httpdate::parse_http_date(text).ok()?;
    i64::try_from(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::DeviceToken;

    fn push(topic: &str) -> Notification {
        let token = DeviceToken::parse(&"ab".repeat(32)).unwrap();
        let mut n = Notification::new(token, PushType::Alert, &b"{\"aps\":{}}"[..]);
        n.topic = Some(topic.to_owned());
        n.priority = Some(10);
        n
    }

    fn pairs(h: &http::HeaderMap) -> Vec<(String, Vec<u8>)> {
        h.iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn kept_headers_are_the_ones_each_push_would_build() {
        let kept = Kept::default();
        let a = push("com.example.a");
        let mut variants = vec![(a.clone(), None), (a.clone(), None)];
        let mut b = a.clone();
        b.topic = Some("com.example.b".to_owned());
        variants.push((b, None));
        let mut c = a.clone();
        c.priority = Some(5);
        variants.push((c, None));
        let mut d = a.clone();
        d.payload = bytes::Bytes::from_static(b"{\"aps\":{\"alert\":\"longer\"}}");
        variants.push((d, None));
        let mut e = a.clone();
        e.apns_id = Some("123e4567-e89b-12d3-a456-4266554400a0".to_owned());
        variants.push((e.clone(), None));
        variants.push((e, Some("token-1")));
        variants.push((a.clone(), Some("token-1")));
        variants.push((a.clone(), Some("token-2")));
        let mut f = a.clone();
        f.expiration = Some(0);
        f.collapse_id = Some("c".to_owned());
        f.push_type = PushType::Background;
        variants.push((f, Some("token-2")));
        variants.push((a, None));
        for (n, bearer) in variants {
            assert_eq!(
                pairs(&kept.headers(&n, bearer).unwrap()),
                pairs(&n.header_map(bearer).unwrap()),
                "{n:?} {bearer:?}"
            );
        }
    }

    #[test]
    fn the_kept_date_is_read_again_when_it_changes() {
        let kept = Kept::default();
        let date = |s: &'static str| http::HeaderValue::from_static(s);
        let first = date("Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(kept.server_time(&first), Some(784_111_777));
        assert_eq!(kept.server_time(&first), Some(784_111_777));
        let next = date("Sun, 06 Nov 1994 08:49:38 GMT");
        assert_eq!(kept.server_time(&next), Some(784_111_778));
        assert_eq!(kept.server_time(&date("garbage")), None);
        assert_eq!(kept.server_time(&first), Some(784_111_777));
    }
}
