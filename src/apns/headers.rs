//! The optional headers of a push, as types that cannot hold a value APNs refuses, and the one
//! builder that the CLI, the app and the simulator's own checks share.

use serde::{Deserialize, Serialize};

use super::{DeviceToken, Notification, PushType, is_canonical_uuid};

/// `apns-collapse-id` is at most this long (bytes).
pub const MAX_COLLAPSE_ID_BYTES: usize = 64;

/// Why a header cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// An `apns-priority` other than 10, 5 or 1 (the number given).
    #[error("the priority is 10 (now), 5 (power-friendly) or 1 (lowest), not {0}")]
    Priority(u8),
    /// An `apns-expiration` that does not read (the text given).
    #[error("the expiration '{0}' is not a Unix time, 0 (now or never) or +SECONDS")]
    Expiration(String),
    /// An `apns-collapse-id` longer than [`MAX_COLLAPSE_ID_BYTES`].
    #[error("the collapse id is {bytes} bytes; APNs allows {MAX_COLLAPSE_ID_BYTES}")]
    CollapseIdTooLong {
        /// Its length, in bytes.
        bytes: usize,
    },
    /// An `apns-id` that is not a canonical UUID (the text given).
    #[error(
        "the apns-id '{0}' is not a UUID like 123e4567-e89b-12d3-a456-4266554400a0 (or leave it out)"
    )]
    ApnsId(String),
    /// A text that is not a bundle id.
    #[error("'{text}' is not a bundle id: {why}")]
    BundleId {
        /// The text given.
        text: String,
        /// What is wrong with it.
        why: BundleIdProblem,
    },
}

/// What is wrong with a text given as a bundle id: a value the app words in its language; its
/// `Display` is the CLI's English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BundleIdProblem {
    /// Nothing but spaces.
    #[error("it is empty")]
    Empty,
    /// Over 155 characters.
    #[error("it is longer than 155 characters")]
    TooLong,
    /// A space inside it.
    #[error("it has a space")]
    Space,
    /// A character other than a letter, a digit, `-` or `.`.
    #[error("only letters, digits, '-' and '.' are allowed")]
    Character,
    /// Two dots in a row, or a dot at either end.
    #[error("it has an empty part (two dots, or a dot at an end)")]
    EmptyPart,
}

/// The `apns-expiration` header: when APNs may stop trying to deliver.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expiration {
    /// No header: APNs stores the push for a while (undocumented how long).
    #[default]
    None,
    /// 0: deliver now or never.
    Immediately,
    /// Now plus this many seconds, computed when sending.
    In(u64),
    /// A fixed Unix time.
    At(i64),
}

impl Expiration {
    /// `0`, `+SECONDS`, or a Unix time, as the command line takes it.
    pub fn parse(text: &str) -> Result<Self, HeaderError> {
        let t = text.trim();
        let bad = || HeaderError::Expiration(text.to_owned());
        if let Some(secs) = t.strip_prefix('+') {
            return secs.parse::<u64>().map(Expiration::In).map_err(|_| bad());
        }
        match t.parse::<i64>().map_err(|_| bad())? {
            0 => Ok(Expiration::Immediately),
            at if at > 0 => Ok(Expiration::At(at)),
            _ => Err(bad()),
        }
    }

    /// The header's value at `now` (Unix seconds); `None` leaves the header out. Never wraps:
    /// a huge `+SECONDS` saturates at the largest time.
    pub fn at(self, now: i64) -> Option<i64> {
        match self {
            Expiration::None => None,
            Expiration::Immediately => Some(0),
            Expiration::In(secs) => {
                Some(now.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX)))
            }
            Expiration::At(t) => Some(t),
        }
    }
}

/// An app's bundle id, the base of every topic (`com.example.doorbell`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct BundleId(String);

impl BundleId {
    /// Checks the shape Apple requires: letters, digits, `-` and `.`, no empty part, at most
    /// 155 characters.
    pub fn parse(text: &str) -> Result<Self, HeaderError> {
        let t = text.trim();
        let bad = |why| HeaderError::BundleId {
            text: text.to_owned(),
            why,
        };
        if t.is_empty() {
            return Err(bad(BundleIdProblem::Empty));
        }
        if t.len() > 155 {
            return Err(bad(BundleIdProblem::TooLong));
        }
        if let Some(c) = t
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
        {
            return Err(bad(if c.is_whitespace() {
                BundleIdProblem::Space
            } else {
                BundleIdProblem::Character
            }));
        }
        if t.split('.').any(str::is_empty) {
            return Err(bad(BundleIdProblem::EmptyPart));
        }
        Ok(BundleId(t.to_owned()))
    }

    /// The bundle id as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `apns-topic` for a push type (`.voip`, `.push-type.liveactivity`, …).
    pub fn topic(&self, push_type: PushType) -> String {
        match push_type {
            PushType::Mdm => self.0.clone(),
            t => t.topic_for(&self.0),
        }
    }
}

impl std::fmt::Display for BundleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for BundleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BundleId::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The optional headers of a push as a person gives them; [`Headers::notification`] checks
/// them once and makes the request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers {
    /// `apns-topic` as given, or made from a bundle id with [`BundleId::topic`].
    pub topic: Option<String>,
    /// `apns-priority` (10, 5 or 1); `None` leaves the push type's default.
    pub priority: Option<u8>,
    /// `apns-expiration`.
    pub expiration: Expiration,
    /// `apns-collapse-id`, at most 64 bytes.
    pub collapse_id: Option<String>,
    /// `apns-id`, a canonical UUID; `None` lets APNs make one.
    pub apns_id: Option<String>,
}

impl Headers {
    /// Checks every header without a token (so a batch fails before it starts).
    pub fn check(&self) -> Result<(), HeaderError> {
        if let Some(p) = self.priority
            && ![10, 5, 1].contains(&p)
        {
            return Err(HeaderError::Priority(p));
        }
        if let Some(c) = &self.collapse_id
            && c.len() > MAX_COLLAPSE_ID_BYTES
        {
            return Err(HeaderError::CollapseIdTooLong { bytes: c.len() });
        }
        if let Some(id) = self.apns_id.as_ref().filter(|id| !id.is_empty())
            && !is_canonical_uuid(&id.to_ascii_lowercase())
        {
            return Err(HeaderError::ApnsId(id.clone()));
        }
        Ok(())
    }

    /// The push for `token`, its expiration computed at `now` (Unix seconds).
    pub fn notification(
        &self,
        token: DeviceToken,
        push_type: PushType,
        payload: impl Into<bytes::Bytes>,
        now: i64,
    ) -> Result<Notification, HeaderError> {
        self.check()?;
        let mut n = Notification::new(token, push_type, payload);
        n.topic = self.topic.clone().filter(|t| !t.trim().is_empty());
        n.priority = self.priority;
        n.expiration = self.expiration.at(now);
        n.collapse_id = self.collapse_id.clone().filter(|c| !c.is_empty());
        n.apns_id = self
            .apns_id
            .as_deref()
            .filter(|id| !id.is_empty())
            .map(str::to_ascii_lowercase);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_in_every_form() {
        assert_eq!(Expiration::parse("0"), Ok(Expiration::Immediately));
        assert_eq!(Expiration::parse("+60"), Ok(Expiration::In(60)));
        assert_eq!(
            Expiration::parse("1700000000"),
            Ok(Expiration::At(1_700_000_000))
        );
        assert!(Expiration::parse("-5").is_err());
        assert!(Expiration::parse("+x").is_err());
        assert_eq!(Expiration::In(60).at(1000), Some(1060));
        assert_eq!(
            Expiration::In(u64::MAX).at(1000),
            Some(i64::MAX),
            "never wraps"
        );
        assert_eq!(Expiration::None.at(5), None);
    }

    #[test]
    fn bundle_ids() {
        let b = BundleId::parse(" com.example.doorbell ").unwrap();
        assert_eq!(b.topic(PushType::Voip), "com.example.doorbell.voip");
        assert_eq!(b.topic(PushType::Mdm), "com.example.doorbell");
        for bad in [
            "",
            "com..x",
            ".com.x",
            "com.x.",
            "com example",
            "com.ex_ample",
            "门铃.app",
        ] {
            assert!(BundleId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_are_checked_once_for_every_front() {
        let token = DeviceToken::parse(&"ab".repeat(32)).unwrap();
        let ok = Headers {
            topic: Some("com.x".into()),
            priority: Some(5),
            expiration: Expiration::In(10),
            collapse_id: Some("c".repeat(64)),
            apns_id: Some("123E4567-E89B-12D3-A456-4266554400A0".into()),
        };
        let n = ok
            .notification(token.clone(), PushType::Alert, &b"{}"[..], 100)
            .unwrap();
        assert_eq!(n.expiration, Some(110));
        assert_eq!(
            n.apns_id.as_deref(),
            Some("123e4567-e89b-12d3-a456-4266554400a0")
        );
        let empty = Headers {
            apns_id: Some(String::new()),
            collapse_id: Some(String::new()),
            ..Headers::default()
        };
        let n = empty
            .notification(token, PushType::Alert, &b"{}"[..], 100)
            .unwrap();
        assert_eq!(
            (n.apns_id, n.collapse_id),
            (None, None),
            "empty means absent"
        );
        let long = Headers {
            collapse_id: Some("c".repeat(65)),
            ..Headers::default()
        };
        assert_eq!(
            long.check(),
            Err(HeaderError::CollapseIdTooLong { bytes: 65 })
        );
        assert_eq!(
            Headers {
                priority: Some(7),
                ..Headers::default()
            }
            .check(),
            Err(HeaderError::Priority(7))
        );
    }
}
