//! Which deliveries and refused requests a list, a wait or the web inbox asks for.

use time::OffsetDateTime;

use crate::apns::{DeviceToken, PushType};
use crate::sim::{Delivery, Refusal};

/// The longest `text` filter: longer ones are refused rather than searched for.
pub(crate) const MAX_TEXT: usize = 512;
/// How many items a list answers by default, and at most.
pub(crate) const DEFAULT_LIMIT: usize = 100;
pub(crate) const MAX_LIMIT: usize = 1000;

/// A filter read from a query; every part given must match.
#[derive(Debug, Default, Clone)]
pub(crate) struct Filter {
    /// The token's bytes, so any written form of it matches.
    pub token: Option<Vec<u8>>,
    pub topic: Option<String>,
    pub push_type: Option<PushType>,
    pub channel: Option<String>,
    pub since: Option<OffsetDateTime>,
    /// Case-insensitive, in the payload, the topic and the apns-id (lowercased).
    pub text: Option<String>,
    /// Only for refused requests: Apple's reason.
    pub reason: Option<String>,
    pub limit: usize,
    /// Only for `wait`.
    pub count: Option<usize>,
    pub timeout_ms: Option<u64>,
}

impl Filter {
    /// Reads the query's filter parameters; unknown names are refused so a typo does not
    /// silently match everything.
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Result<Filter, String> {
        let mut f = Filter {
            limit: DEFAULT_LIMIT,
            ..Filter::default()
        };
        for (name, value) in pairs {
            // An empty value (a form's empty field) means "any".
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "token" => {
                    let token = DeviceToken::parse(value).map_err(|e| format!("token: {e}"))?;
                    f.token = Some(token.as_bytes().to_vec());
                }
                "topic" => f.topic = Some(value.clone()),
                "push_type" => {
                    f.push_type = Some(PushType::parse(value).ok_or_else(|| {
                        format!("push_type: '{}' is not a push type", clip(value))
                    })?);
                }
                "channel" => f.channel = Some(value.clone()),
                "since" => f.since = Some(parse_time(value)?),
                "text" => {
                    if value.chars().count() > MAX_TEXT {
                        return Err(format!("text: at most {MAX_TEXT} characters"));
                    }
                    f.text = Some(value.to_lowercase());
                }
                "reason" => f.reason = Some(value.clone()),
                "limit" => f.limit = number(name, value)?.clamp(1, MAX_LIMIT as u64) as usize,
                "count" => {
                    f.count = Some(number(name, value)?.clamp(1, MAX_LIMIT as u64) as usize);
                }
                "timeout" => f.timeout_ms = Some(number(name, value)?),
                other => return Err(format!("'{}' is not a filter here", clip(other))),
            }
        }
        Ok(f)
    }

    pub(crate) fn matches(&self, d: &Delivery) -> bool {
        self.token
            .as_ref()
            .is_none_or(|t| d.token.as_bytes() == t.as_slice())
            && self.topic.as_ref().is_none_or(|t| &d.topic == t)
            && self.push_type.is_none_or(|p| d.push_type == p)
            && self
                .channel
                .as_ref()
                .is_none_or(|c| d.channel.as_ref().is_some_and(|dc| dc.as_str() == c))
            && self.since.is_none_or(|s| d.time >= s)
            && self.text.as_ref().is_none_or(|text| {
                d.apns_id.to_lowercase().contains(text)
                    || d.topic.to_lowercase().contains(text)
                    || d.payload.to_string().to_lowercase().contains(text)
            })
            && self.reason.is_none()
    }

    pub(crate) fn matches_refusal(&self, r: &Refusal) -> bool {
        let e = &r.request;
        self.token
            .as_ref()
            .is_none_or(|t| hex::decode(&e.token).is_ok_and(|b| &b == t))
            && self
                .topic
                .as_ref()
                .is_none_or(|t| e.topic.as_ref() == Some(t))
            && self.push_type.is_none_or(|p| e.push_type == Some(p))
            && self.since.is_none_or(|s| r.time >= s)
            && self
                .reason
                .as_ref()
                .is_none_or(|x| e.reason == Some(x.as_str()))
            && self.text.as_ref().is_none_or(|text| {
                e.apns_id.to_lowercase().contains(text)
                    || e.reason.is_some_and(|r| r.to_lowercase().contains(text))
            })
            && self.channel.as_ref().is_none_or(|c| {
                e.channel
                    .as_ref()
                    .is_some_and(|ch| ch.channel.as_deref() == Some(c.as_str()))
            })
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

fn number(name: &str, value: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| format!("{name}: '{}' is not a whole number", clip(value)))
}

/// RFC 3339, or milliseconds since 1970.
fn parse_time(value: &str) -> Result<OffsetDateTime, String> {
    if let Ok(ms) = value.parse::<i64>() {
        return OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .map_err(|_| "since: out of range".to_owned());
    }
    OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339).map_err(|_| {
        format!(
            "since: '{}' is neither RFC 3339 nor milliseconds since 1970",
            clip(value)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn reads_and_refuses() {
        let f = Filter::from_pairs(&pairs(&[
            ("push_type", "alert"),
            ("limit", "99999"),
            ("since", "2026-01-01T00:00:00Z"),
            ("topic", ""),
        ]))
        .unwrap();
        assert_eq!(f.push_type, Some(PushType::Alert));
        assert_eq!(f.limit, MAX_LIMIT);
        assert!(f.topic.is_none());
        assert!(Filter::from_pairs(&pairs(&[("tokn", "x")])).is_err());
        assert!(Filter::from_pairs(&pairs(&[("push_type", "loud")])).is_err());
        assert!(Filter::from_pairs(&pairs(&[("since", "yesterday")])).is_err());
        let huge = "x".repeat(MAX_TEXT + 1);
        assert!(Filter::from_pairs(&pairs(&[("text", &huge)])).is_err());
        assert_eq!(
            Filter::from_pairs(&pairs(&[("since", "0")])).unwrap().since,
            Some(OffsetDateTime::UNIX_EPOCH)
        );
    }
}
