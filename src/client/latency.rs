//! Round trips of the connection check's probe on one connection (`check --repeat`, the
//! app's latency figures).

use std::time::{Duration, Instant};

use serde::Serialize;

use super::check::PROBE_TOKEN_PATH;
use super::{ClientAuth, Connection, Target};
use crate::apns::{Notification, PushType};

/// Round trips of the probe request on one connection.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Latency {
    /// How many round trips were measured.
    pub requests: usize,
    /// The median round trip, in milliseconds.
    pub p50_ms: f64,
    /// The 95th percentile, in milliseconds.
    pub p95_ms: f64,
    /// The 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// The shortest round trip, in milliseconds.
    pub min_ms: f64,
    /// The longest round trip, in milliseconds.
    pub max_ms: f64,
    /// Every round trip, shortest first (for a histogram; `--json` leaves them out).
    #[serde(skip)]
    pub samples_ms: Vec<f64>,
}

impl Latency {
    /// From round-trip times in milliseconds; `None` for none.
    pub fn of(mut ms: Vec<f64>) -> Option<Self> {
        if ms.is_empty() {
            return None;
        }
        ms.sort_by(f64::total_cmp);
        let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
        Some(Latency {
            requests: ms.len(),
            p50_ms: at(0.5),
            p95_ms: at(0.95),
            p99_ms: at(0.99),
            min_ms: ms[0],
            max_ms: ms[ms.len() - 1],
            samples_ms: ms.clone(),
        })
    }
}

/// Sends the connection check's probe (a deliberately invalid token: nothing is delivered)
/// `n` times, one after another on one connection, and reports the round trips. Any answer
/// counts: the time is what is measured.
pub async fn measure_latency(
    target: &Target,
    auth: &ClientAuth,
    topic: Option<&str>,
    n: usize,
    timeout: Duration,
) -> Result<Latency, String> {
    let conn = Connection::open(target, auth, timeout)
        .await
        .map_err(|e| e.to_string())?;
    let placeholder =
        crate::apns::DeviceToken::from_bytes(vec![0; 32]).map_err(|e| e.to_string())?;
    let mut probe = Notification::new(placeholder, PushType::Alert, &b"{\"aps\":{}}"[..]);
    probe.topic = topic.map(str::to_owned).or_else(|| auth.default_topic());
    let path = format!("/3/device/{PROBE_TOKEN_PATH}");
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        conn.send_to_path(&probe, &path)
            .await
            .map_err(|e| e.to_string())?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Latency::of(times).ok_or_else(|| "no request was measured".to_owned())
}
