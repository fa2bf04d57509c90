//! A push request, built without any I/O: path and headers exactly as they go on the wire.

use super::{DeviceToken, PushType};

/// Everything one push request carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The device the push goes to (the path's last segment).
    pub token: DeviceToken,
    /// `apns-topic`; `None` lets APNs use the certificate's bundle id (certificate auth only).
    pub topic: Option<String>,
    /// `apns-push-type`.
    pub push_type: PushType,
    /// 10, 5 or 1; `None` leaves the header out (APNs then uses 10).
    pub priority: Option<u8>,
    /// Unix seconds; 0 = try once, don't store. `None` leaves the header out.
    pub expiration: Option<i64>,
    /// `apns-collapse-id`: pushes with the same id show as one; at most 64 bytes.
    pub collapse_id: Option<String>,
    /// A canonical lower-case UUID; APNs makes one when absent.
    pub apns_id: Option<String>,
    /// The JSON body as sent (cheap to clone: one payload is often sent to many tokens).
    pub payload: bytes::Bytes,
}

impl serde::Serialize for DeviceToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for DeviceToken {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DeviceToken::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Notification {
    /// A notification with the push type's defaults and no optional headers.
    pub fn new(token: DeviceToken, push_type: PushType, payload: impl Into<bytes::Bytes>) -> Self {
        Notification {
            token,
            topic: None,
            push_type,
            priority: None,
            expiration: None,
            collapse_id: None,
            apns_id: None,
            payload: payload.into(),
        }
    }

    /// `/3/device/<hex token>`.
    pub fn path(&self) -> String {
        const PREFIX: &str = "/3/device/";
        let mut path = String::with_capacity(PREFIX.len() + self.token.as_bytes().len() * 2);
        path.push_str(PREFIX);
        super::token::push_hex(&mut path, self.token.as_bytes());
        path
    }

    /// The APNs headers in the order they are sent (without `:method`, `:path` and
    /// `authorization`).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("apns-push-type", self.push_type.as_str().to_owned())];
        if let Some(topic) = &self.topic {
            out.push(("apns-topic", topic.clone()));
        }
        if let Some(p) = self.priority {
            out.push(("apns-priority", p.to_string()));
        }
        if let Some(e) = self.expiration {
            out.push(("apns-expiration", e.to_string()));
        }
        if let Some(c) = &self.collapse_id {
            out.push(("apns-collapse-id", c.clone()));
        }
        if let Some(id) = &self.apns_id {
            out.push(("apns-id", id.clone()));
        }
        out
    }

    /// Builds the HTTP request (no body) for `authority` (e.g. `api.push.apple.com`), with
    /// an optional provider token.
    pub fn to_request(
        &self,
        authority: &str,
        bearer: Option<&str>,
    ) -> Result<http::Request<()>, http::Error> {
        let authority: http::uri::Authority = authority.parse()?;
        self.to_request_at(authority, &self.path(), bearer)
    }

    /// [`Notification::to_request`] to another path (the connection check's invalid token).
    pub fn to_request_at(
        &self,
        authority: http::uri::Authority,
        path: &str,
        bearer: Option<&str>,
    ) -> Result<http::Request<()>, http::Error> {
        let path = http::uri::PathAndQuery::from_maybe_shared(bytes::Bytes::copy_from_slice(
            path.as_bytes(),
        ))?;
        request_from_parts(authority, path, self.header_map(bearer)?)
    }

    /// [`Notification::path`] as the request's path, made as bytes that become the path
    /// uncopied.
    pub fn path_and_query(&self) -> Result<http::uri::PathAndQuery, http::Error> {
        const PREFIX: &[u8] = b"/3/device/";
        let token = self.token.as_bytes();
        let mut path = Vec::with_capacity(PREFIX.len() + token.len() * 2);
        path.extend_from_slice(PREFIX);
        super::token::extend_hex(&mut path, token);
        Ok(http::uri::PathAndQuery::from_maybe_shared(
            bytes::Bytes::from(path),
        )?)
    }

    /// The request's headers: what [`Notification::headers`] lists, in its order, then
    /// `authorization`. A batch builds them once per connection and clones them for every
    /// push that has the same values.
    ///
    /// No `content-length`: HTTP/2 frames the body itself (RFC 9113 §8.1.1 makes the header
    /// optional), Apple's list of request headers does not name it and node-apn never sends
    /// it. Sent, it was the one header whose value h2 will not index, so every push paid
    /// for encoding it again (1.5 % of a batch's instructions).
    pub fn header_map(&self, bearer: Option<&str>) -> Result<http::HeaderMap, http::Error> {
        use http::header::{self, HeaderName, HeaderValue};
        // Inserted one by one rather than through `Request::builder()`: the builder's name
        // parsing and string copies cost more, and these names are known at compile time.
        let mut h = http::HeaderMap::with_capacity(8);
        // `from_static` panics on an invalid value: these are compile-time constants, and
        // `PushType::as_str` only returns lower-case ASCII words.
        h.insert(
            HeaderName::from_static("apns-push-type"),
            HeaderValue::from_static(self.push_type.as_str()),
        );
        if let Some(topic) = &self.topic {
            h.insert(
                HeaderName::from_static("apns-topic"),
                HeaderValue::from_str(topic).map_err(http::Error::from)?,
            );
        }
        if let Some(p) = self.priority {
            h.insert(
                HeaderName::from_static("apns-priority"),
                HeaderValue::from(u16::from(p)),
            );
        }
        if let Some(e) = self.expiration {
            h.insert(
                HeaderName::from_static("apns-expiration"),
                HeaderValue::from(e),
            );
        }
        if let Some(c) = &self.collapse_id {
            h.insert(
                HeaderName::from_static("apns-collapse-id"),
                HeaderValue::from_str(c).map_err(http::Error::from)?,
            );
        }
        if let Some(id) = &self.apns_id {
            h.insert(
                HeaderName::from_static("apns-id"),
                HeaderValue::from_str(id).map_err(http::Error::from)?,
            );
        }
        if let Some(token) = bearer {
            h.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(&format!("bearer {token}")).map_err(http::Error::from)?,
            );
        }
        Ok(h)
    }
}

/// A push's `POST` over HTTP/2 to `https://{authority}{path}` with `headers` and no body (the
/// body goes on the stream after): built field by field, each part already checked.
pub fn request_from_parts(
    authority: http::uri::Authority,
    path: http::uri::PathAndQuery,
    headers: http::HeaderMap,
) -> Result<http::Request<()>, http::Error> {
    let mut parts = http::uri::Parts::default();
    parts.scheme = Some(http::uri::Scheme::HTTPS);
    parts.authority = Some(authority);
    parts.path_and_query = Some(path);
    let mut request = http::Request::new(());
    *request.method_mut() = http::Method::POST;
    *request.version_mut() = http::Version::HTTP_2;
    *request.uri_mut() = http::Uri::from_parts(parts).map_err(http::Error::from)?;
    *request.headers_mut() = headers;
    Ok(request)
}

/// Whether `id` is a canonical UUID as APNs wants it (8-4-4-4-12 hex).
pub fn is_canonical_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A new random (version 4) UUID in canonical lower-case form.
///
/// The simulator makes one or two per request: random bytes are drawn from OpenSSL 4 KiB at a
/// time per thread (one `RAND_bytes` call per 256 UUIDs instead of one each).
pub fn new_uuid() -> String {
    use std::cell::RefCell;
    const POOL: usize = 4096;
    thread_local! {
        static RANDOM: RefCell<(Box<[u8; POOL]>, usize)> = RefCell::new((Box::new([0; POOL]), POOL));
    }
    let mut b = [0u8; 16];
    RANDOM.with_borrow_mut(|(pool, used)| {
        if *used + 16 > POOL {
            if openssl::rand::rand_bytes(&mut pool[..]).is_err() {
                // The OS random source failing is not worth a panic: fall back to the clock.
                let t = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
                b = t.to_le_bytes();
                return;
            }
            *used = 0;
        }
        b.copy_from_slice(&pool[*used..*used + 16]);
        *used += 16;
    });
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, part) in [&b[..4], &b[4..6], &b[6..8], &b[8..10], &b[10..]]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push('-');
        }
        super::token::push_hex(&mut out, part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_has_path_method_and_headers() {
        let token = DeviceToken::parse(&"ab".repeat(32)).unwrap();
        let mut n = Notification::new(token, PushType::Voip, b"{}".to_vec());
        n.topic = Some("com.x.voip".into());
        n.priority = Some(10);
        n.expiration = Some(0);
        n.collapse_id = Some("door".into());
        n.apns_id = Some(new_uuid());
        let req = n
            .to_request("api.sandbox.push.apple.com", Some("jwt"))
            .unwrap();
        assert_eq!(req.method(), http::Method::POST);
        assert_eq!(req.uri().path(), format!("/3/device/{}", "ab".repeat(32)));
        let h = req.headers();
        assert_eq!(h["apns-push-type"], "voip");
        assert_eq!(h["apns-topic"], "com.x.voip");
        assert_eq!(h["apns-priority"], "10");
        assert_eq!(h["apns-expiration"], "0");
        assert_eq!(h["apns-collapse-id"], "door");
        assert_eq!(h["authorization"], "bearer jwt");
        assert!(is_canonical_uuid(h["apns-id"].to_str().unwrap()));
        // What is sent is what `headers` shows (the app and `--curl` list it), and the
        // provider token: nothing more, so no `content-length` either.
        let sent: Vec<(&str, &str)> = h
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_str().unwrap()))
            .collect();
        let mut shown: Vec<(&str, String)> = n.headers();
        shown.push(("authorization", "bearer jwt".to_owned()));
        let shown: Vec<(&str, &str)> = shown.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(sent, shown);
    }

    #[test]
    fn the_request_path_is_the_path() {
        // Every byte value, in tokens of the shortest and longest lengths.
        let all: Vec<u8> = (0..=255).collect();
        for bytes in all.chunks(8).chain(all.chunks(100)) {
            let token = DeviceToken::from_bytes(bytes.to_vec()).unwrap();
            let n = Notification::new(token, PushType::Alert, b"{}".to_vec());
            let path = n.path();
            assert_eq!(path, format!("/3/device/{}", hex::encode(bytes)));
            assert_eq!(n.path_and_query().unwrap().as_str(), path);
        }
    }

    #[test]
    fn uuid_checks() {
        assert!(is_canonical_uuid("123e4567-e89b-12d3-a456-4266554400a0"));
        assert!(!is_canonical_uuid("123e4567e89b12d3a4564266554400a0"));
        assert!(!is_canonical_uuid("123e4567-e89b-12d3-a456-4266554400aZ"));
        let a = new_uuid();
        assert!(is_canonical_uuid(&a) && a != new_uuid());
    }
}
