//! The faults through the API: every fault the command line offers, read and changed while
//! the simulator runs. The JSON names follow the command line's flags.

use std::time::Duration;

use http::StatusCode;
use serde::{Deserialize, Serialize};

use super::SimParts;
use super::http::{Answer, json, problem};
use crate::apns::Reason;
use crate::sim::{ErrorBurst, Faults};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorShareView {
    pub reason: String,
    /// 0 to 1.
    pub share: f64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorBurstView {
    pub reason: String,
    /// Requests `start+1 ..= start+count` fail.
    pub start: u64,
    pub count: u64,
}

/// The faults as the API shows them.
#[derive(Debug, Serialize, PartialEq)]
pub(crate) struct FaultsView {
    pub goaway_after: Option<u64>,
    pub drop_after: Option<u64>,
    /// `--fail REASON:SHARE`
    pub fail: Option<ErrorShareView>,
    /// `--fail-burst REASON:START:COUNT`
    pub fail_burst: Option<ErrorBurstView>,
    pub latency_ms: u64,
    pub clock_offset: i64,
    pub refuse_streams_over: Option<usize>,
    pub shutdown_after: Option<u64>,
    pub reset_processed_every: Option<u64>,
    pub drop_after_processing: Option<u64>,
    pub answer_from_headers: bool,
}

pub(crate) fn view(f: &Faults) -> FaultsView {
    FaultsView {
        goaway_after: f.goaway_after,
        drop_after: f.drop_after,
        fail: f.error_share.map(|(reason, share)| ErrorShareView {
            reason: reason.as_str().to_owned(),
            share,
        }),
        fail_burst: f.error_burst.map(|b| ErrorBurstView {
            reason: b.reason.as_str().to_owned(),
            start: b.start,
            count: b.count,
        }),
        latency_ms: u64::try_from(f.latency.as_millis()).unwrap_or(u64::MAX),
        clock_offset: f.clock_offset,
        refuse_streams_over: f.refuse_streams_over,
        shutdown_after: f.shutdown_after,
        reset_processed_every: f.reset_processed_every,
        drop_after_processing: f.drop_after_processing,
        answer_from_headers: f.answer_from_headers,
    }
}

/// `absent` keeps, `null` switches off, a value sets.
fn some<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A change: only the fields given are touched.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FaultsChange {
    #[serde(default, deserialize_with = "some")]
    goaway_after: Option<Option<u64>>,
    // `reset_after` was its name before ("reset" now means RST_STREAM only).
    #[serde(default, alias = "reset_after", deserialize_with = "some")]
    drop_after: Option<Option<u64>>,
    #[serde(default, deserialize_with = "some")]
    fail: Option<Option<ErrorShareView>>,
    #[serde(default, deserialize_with = "some")]
    fail_burst: Option<Option<ErrorBurstView>>,
    #[serde(default, deserialize_with = "some")]
    latency_ms: Option<Option<u64>>,
    #[serde(default, deserialize_with = "some")]
    clock_offset: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    refuse_streams_over: Option<Option<usize>>,
    #[serde(default, deserialize_with = "some")]
    shutdown_after: Option<Option<u64>>,
    #[serde(default, deserialize_with = "some")]
    reset_processed_every: Option<Option<u64>>,
    #[serde(default, deserialize_with = "some")]
    drop_after_processing: Option<Option<u64>>,
    #[serde(default, deserialize_with = "some")]
    answer_from_headers: Option<Option<bool>>,
}

/// The longest latency the API sets: a minute, so a typo cannot park every request for days.
const MAX_LATENCY_MS: u64 = 60_000;

fn reason(text: &str) -> Result<Reason, String> {
    Reason::parse(text).ok_or_else(|| {
        format!(
            "'{}' is not an APNs reason (e.g. TooManyRequests, ServiceUnavailable)",
            text.chars().take(40).collect::<String>()
        )
    })
}

fn apply(mut f: Faults, c: FaultsChange) -> Result<Faults, String> {
    if let Some(v) = c.goaway_after {
        f.goaway_after = v;
    }
    if let Some(v) = c.drop_after {
        f.drop_after = v;
    }
    if let Some(v) = c.fail {
        f.error_share = match v {
            None => None,
            Some(s) if !(0.0..=1.0).contains(&s.share) => {
                return Err("fail.share is a number from 0 to 1".to_owned());
            }
            Some(s) => Some((reason(&s.reason)?, s.share)),
        };
    }
    if let Some(v) = c.fail_burst {
        f.error_burst = match v {
            None => None,
            Some(b) => Some(ErrorBurst {
                reason: reason(&b.reason)?,
                start: b.start,
                count: b.count,
            }),
        };
    }
    if let Some(v) = c.latency_ms {
        let ms = v.unwrap_or(0);
        if ms > MAX_LATENCY_MS {
            return Err(format!("latency_ms is at most {MAX_LATENCY_MS}"));
        }
        f.latency = Duration::from_millis(ms);
    }
    if let Some(v) = c.clock_offset {
        f.clock_offset = v.unwrap_or(0);
    }
    if let Some(v) = c.refuse_streams_over {
        f.refuse_streams_over = v;
    }
    if let Some(v) = c.shutdown_after {
        f.shutdown_after = v;
    }
    if let Some(v) = c.reset_processed_every {
        f.reset_processed_every = v;
    }
    if let Some(v) = c.drop_after_processing {
        f.drop_after_processing = v;
    }
    if let Some(v) = c.answer_from_headers {
        f.answer_from_headers = v.unwrap_or(false);
    }
    Ok(f)
}

pub(super) fn put(sim: &SimParts, body: &[u8]) -> Answer {
    let change: FaultsChange = match serde_json::from_slice(body) {
        Ok(c) => c,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &format!("body: {e}")),
    };
    let current = (*sim.faults.current()).clone();
    match apply(current, change) {
        Ok(faults) => {
            let shown = view(&faults);
            sim.faults.set(faults);
            json(StatusCode::OK, &shown)
        }
        Err(e) => problem(StatusCode::BAD_REQUEST, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(text: &str) -> Result<Faults, String> {
        let c: FaultsChange = serde_json::from_str(text).map_err(|e| e.to_string())?;
        apply(
            Faults {
                goaway_after: Some(5),
                ..Faults::default()
            },
            c,
        )
    }

    #[test]
    fn absent_keeps_null_clears_value_sets() {
        let f = change(r#"{"latency_ms": 20, "fail": {"reason": "TooManyRequests", "share": 1}}"#)
            .unwrap();
        assert_eq!(f.goaway_after, Some(5));
        assert_eq!(f.latency, Duration::from_millis(20));
        assert_eq!(f.error_share, Some((Reason::TooManyRequests, 1.0)));
        assert_eq!(
            change(r#"{"goaway_after": null}"#).unwrap().goaway_after,
            None
        );
        assert!(
            change(r#"{"latency": 5}"#).is_err(),
            "unknown fields are refused"
        );
        assert!(change(r#"{"fail": {"reason": "Nope", "share": 0.5}}"#).is_err());
        assert!(change(r#"{"fail": {"reason": "TooManyRequests", "share": 2}}"#).is_err());
        assert!(change(r#"{"latency_ms": 86400000}"#).is_err());
        let v = view(
            &change(r#"{"fail_burst": {"reason": "ServiceUnavailable", "start": 1, "count": 2}}"#)
                .unwrap(),
        );
        assert_eq!(v.fail_burst.unwrap().reason, "ServiceUnavailable");
    }
}
