//! What became of each push, in five classes that never overstate: a push is `delivered` only
//! on a 200, and one that may or may not have reached the server is `unconfirmed`, never
//! counted as sent. The CLI, the app and History show these classes as they are.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::apns::{DeviceToken, Reason, ServerReason};

mod json;
mod why;
pub use why::{BatchStop, ResultError};

/// How a push ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// APNs answered 200: it accepted the push for delivery.
    Delivered,
    /// APNs answered with an error status; the reason is passed on as the server spelled it.
    Rejected,
    /// Sent, but no answer came (the connection dropped, the stream was reset, the answer was
    /// late): the server may or may not have processed it. Not sent again unless asked for,
    /// so the phone is never shown a push twice without the user choosing that.
    Unconfirmed,
    /// Never processed by the server: a local error, a cancel, a deadline, or no connection.
    NotSent,
    /// The input line could not become a push (a bad token, a bad payload); it has its line
    /// number.
    InvalidInput,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 5] = [
        Outcome::Delivered,
        Outcome::Rejected,
        Outcome::Unconfirmed,
        Outcome::NotSent,
        Outcome::InvalidInput,
    ];

    /// The word used in JSON, CSV and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Rejected => "rejected",
            Outcome::Unconfirmed => "unconfirmed",
            Outcome::NotSent => "not_sent",
            Outcome::InvalidInput => "invalid_input",
        }
    }

    /// For people: "not sent" rather than `not_sent`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Rejected => "rejected",
            Outcome::Unconfirmed => "unconfirmed",
            Outcome::NotSent => "not sent",
            Outcome::InvalidInput => "invalid input",
        }
    }

    /// One sentence on what it means for the user.
    pub fn meaning(self) -> &'static str {
        match self {
            Outcome::Delivered => "APNs answered 200 and will deliver it.",
            Outcome::Rejected => "APNs refused it; the reason says why.",
            Outcome::Unconfirmed => {
                "Sent, but no answer came: APNs may or may not have it. Not resent, so the phone never shows it twice; resend on purpose if a duplicate is better than a loss."
            }
            Outcome::NotSent => {
                "Never reached APNs (cancelled, out of time, or no connection): safe to send again."
            }
            Outcome::InvalidInput => "The line could not be made into a push.",
        }
    }
}

/// Whom a result is for: a device token, or the text of an input line that was not one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResultToken {
    /// A device token that parsed.
    Device(DeviceToken),
    /// What the line held instead of a token (at most 200 characters).
    Unparsed(String),
}

impl ResultToken {
    /// The device token, when there is one.
    pub fn device(&self) -> Option<&DeviceToken> {
        match self {
            ResultToken::Device(t) => Some(t),
            ResultToken::Unparsed(_) => None,
        }
    }

    /// A short form for tables: the token's first and last four bytes, or the text's first
    /// 16 characters (cut at a character, never inside one).
    pub fn short(&self) -> String {
        match self {
            ResultToken::Device(t) => t.short(),
            ResultToken::Unparsed(text) if text.chars().count() > 16 => {
                format!("{}…", text.chars().take(16).collect::<String>())
            }
            ResultToken::Unparsed(text) => text.clone(),
        }
    }
}

impl std::fmt::Display for ResultToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResultToken::Device(t) => f.write_str(&t.to_hex()),
            ResultToken::Unparsed(text) => f.write_str(text),
        }
    }
}

/// Written as the hex token (or the line's text): what people and scripts read.
impl Serialize for ResultToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // A string, not `collect_str` through `Display`: the formatting machinery was a third
        // of writing a batch's result line. The JSON is the same.
        match self {
            ResultToken::Device(t) => s.serialize_str(&t.to_hex()),
            ResultToken::Unparsed(text) => s.serialize_str(text),
        }
    }
}

/// The final result for one push of a batch.
#[derive(Debug, Clone, Serialize)]
pub struct TokenResult {
    /// Position in the input, from 0.
    pub index: u64,
    /// The input line (1-based) it came from, when it came from a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The token (hex in JSON), or for invalid input the text that was not a token.
    pub token: ResultToken,
    /// The device's name from the input, for people ("Alice's iPhone").
    pub name: Option<String>,
    /// How the push ended.
    pub outcome: Outcome,
    /// The HTTP status APNs answered, if it answered.
    pub status: Option<u16>,
    /// APNs' reason, as sent.
    pub reason: Option<ServerReason>,
    /// The `apns-id` of the answer.
    pub apns_id: Option<String>,
    /// The `apns-unique-id` of the answer (sandbox only).
    pub apns_unique_id: Option<String>,
    /// For 410: when APNs learned the token went stale, milliseconds since 1970.
    pub timestamp: Option<i64>,
    /// Time from sending the push to its answer, in milliseconds, if it was answered.
    pub latency_ms: Option<f64>,
    /// Times the push was written to a connection.
    pub attempts: u32,
    /// Why there is no answer, or why the input is invalid.
    pub error: Option<ResultError>,
}

impl TokenResult {
    fn known_reason(&self) -> Option<Reason> {
        self.reason.as_ref().and_then(ServerReason::known)
    }

    /// Whether the token should be removed from the provider's database: a rejection with
    /// status 410 *and* a dead reason (`Unregistered`, `ExpiredToken`). The reason text alone
    /// never decides it: a 200 whose body says `Unregistered` was delivered, and a 400 or 500
    /// with that text is a server's mistake, not APNs telling us the token is gone.
    pub fn is_dead_token(&self) -> bool {
        self.outcome == Outcome::Rejected
            && self.status == Some(410)
            && self.known_reason().is_some_and(Reason::is_dead_token)
    }

    /// `BadDeviceToken` with its status 400: a malformed token, or one from the other
    /// environment. As with dead tokens, the text on another status does not count.
    pub fn is_bad_device_token(&self) -> bool {
        self.outcome == Outcome::Rejected
            && self.status == Some(400)
            && self
                .known_reason()
                .is_some_and(Reason::is_wrong_token_or_environment)
    }
}

/// Distinct reason strings kept in a summary; a server that invents a new one per push cannot
/// grow it past this.
pub const MAX_REASONS: usize = 64;
/// Where reasons past [`MAX_REASONS`] are counted.
pub const OTHER_REASONS: &str = "(other reasons)";

/// Counts by outcome and reason: the one summary every front shows.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct BatchSummary {
    /// Results, one per input entry (invalid lines included).
    pub total: u64,
    /// Results [`Outcome::Delivered`].
    pub delivered: u64,
    /// Results [`Outcome::Rejected`].
    pub rejected: u64,
    /// Results [`Outcome::Unconfirmed`].
    pub unconfirmed: u64,
    /// Results [`Outcome::NotSent`].
    pub not_sent: u64,
    /// Results [`Outcome::InvalidInput`].
    pub invalid_input: u64,
    /// Reason (verbatim, or `HTTP <status>` without one) → count, for rejections.
    pub reasons: BTreeMap<String, u64>,
    /// Tokens to remove: 410 `Unregistered` / `ExpiredToken`.
    pub dead_tokens: u64,
    /// `BadDeviceToken`: check the token and the environment; do not delete.
    pub bad_device_tokens: u64,
    /// Sends again after 429/500/503 answers.
    pub retries: u64,
    /// Sends again of pushes the server provably did not process (REFUSED_STREAM, above a
    /// GOAWAY's last-stream-id, never written).
    pub resent_unprocessed: u64,
    /// Sends again of unconfirmed pushes (only with `resend_unconfirmed`).
    pub resent_unconfirmed: u64,
    /// Connections opened, reconnections included.
    pub connections_opened: u64,
    /// Wall-clock time the batch took, in seconds (set when it ends).
    pub seconds: f64,
    /// Pushes that went out ([`sent`](Self::sent)) per second over the whole batch (set when
    /// it ends). Not-sent and invalid entries are results too, but a stopped batch settles all
    /// of its unsent entries at once: counted here, they made a cancelled batch's rate read
    /// as many times its sending rate.
    pub per_second: f64,
    /// Why the batch stopped with pushes it never sent or answers it did not wait for (set
    /// when it ends; `None`: it ran to the end of its input). Every not-sent result carries
    /// it too; kept out of `--json`, whose summary line stays as it was.
    #[serde(skip)]
    pub stopped: Option<BatchStop>,
}

impl BatchSummary {
    /// Pushes that went out: delivered, rejected or unconfirmed.
    pub fn sent(&self) -> u64 {
        self.delivered + self.rejected + self.unconfirmed
    }

    /// Counts one final result.
    pub fn record(&mut self, r: &TokenResult) {
        self.total += 1;
        match r.outcome {
            Outcome::Delivered => self.delivered += 1,
            Outcome::Rejected => {
                self.rejected += 1;
                let key = match &r.reason {
                    Some(reason) => reason.chars().take(100).collect(),
                    None => format!("HTTP {}", r.status.unwrap_or(0)),
                };
                let key = if self.reasons.len() >= MAX_REASONS && !self.reasons.contains_key(&key) {
                    OTHER_REASONS.to_owned()
                } else {
                    key
                };
                *self.reasons.entry(key).or_default() += 1;
            }
            Outcome::Unconfirmed => self.unconfirmed += 1,
            Outcome::NotSent => self.not_sent += 1,
            Outcome::InvalidInput => self.invalid_input += 1,
        }
        if r.is_dead_token() {
            self.dead_tokens += 1;
        }
        if r.is_bad_device_token() {
            self.bad_device_tokens += 1;
        }
    }

    /// The count of one outcome.
    pub fn count(&self, outcome: Outcome) -> u64 {
        match outcome {
            Outcome::Delivered => self.delivered,
            Outcome::Rejected => self.rejected,
            Outcome::Unconfirmed => self.unconfirmed,
            Outcome::NotSent => self.not_sent,
            Outcome::InvalidInput => self.invalid_input,
        }
    }

    /// Every result a 200.
    pub fn all_delivered(&self) -> bool {
        self.delivered == self.total
    }

    /// Pushes whose fate is not known or that never left: checking before a rerun matters.
    pub fn unsettled(&self) -> u64 {
        self.unconfirmed + self.not_sent
    }

    /// Most answered pushes got `BadDeviceToken`: the tokens are almost certainly from the
    /// other environment (Xcode builds use the sandbox; TestFlight and the App Store,
    /// production), not dead.
    pub fn wrong_environment_likely(&self) -> bool {
        let answered = self.delivered + self.rejected;
        self.bad_device_tokens >= 3.min(answered.max(1)) && self.bad_device_tokens * 2 > answered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(outcome: Outcome, reason: Option<&str>) -> TokenResult {
        let status = reason.and_then(pushlab_status);
        TokenResult {
            index: 0,
            line: None,
            token: ResultToken::Unparsed(String::new()),
            name: None,
            outcome,
            status,
            reason: reason.map(ServerReason::from_wire),
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: None,
            attempts: 1,
            error: None,
        }
    }

    #[test]
    fn bad_device_token_is_not_dead() {
        let mut s = BatchSummary::default();
        s.record(&result(Outcome::Rejected, Some("BadDeviceToken")));
        s.record(&result(Outcome::Rejected, Some("Unregistered")));
        s.record(&result(Outcome::Rejected, Some("ExpiredToken")));
        assert_eq!((s.dead_tokens, s.bad_device_tokens), (2, 1));
    }

    /// The status Apple gives the reason, as a real server would send it.
    fn pushlab_status(reason: &str) -> Option<u16> {
        Some(Reason::parse(reason).map_or(400, Reason::status))
    }

    fn with(outcome: Outcome, status: u16, reason: &str) -> TokenResult {
        TokenResult {
            status: Some(status),
            ..result(outcome, Some(reason))
        }
    }

    #[test]
    fn dead_is_a_410_with_a_dead_reason_and_nothing_else() {
        assert!(with(Outcome::Rejected, 410, "Unregistered").is_dead_token());
        assert!(with(Outcome::Rejected, 410, "ExpiredToken").is_dead_token());
        for (outcome, status) in [
            (Outcome::Delivered, 200),
            (Outcome::Rejected, 400),
            (Outcome::Rejected, 500),
        ] {
            let r = with(outcome, status, "Unregistered");
            assert!(!r.is_dead_token(), "{status} Unregistered is not dead");
            let mut s = BatchSummary::default();
            s.record(&r);
            assert_eq!(s.dead_tokens, 0);
        }
        assert!(!with(Outcome::Rejected, 410, "BadDeviceToken").is_dead_token());
        assert!(!with(Outcome::Delivered, 200, "BadDeviceToken").is_bad_device_token());
        assert!(with(Outcome::Rejected, 400, "BadDeviceToken").is_bad_device_token());
    }

    #[test]
    fn most_bad_device_tokens_means_the_environment() {
        let mut s = BatchSummary::default();
        for _ in 0..8 {
            s.record(&result(Outcome::Rejected, Some("BadDeviceToken")));
        }
        s.record(&result(Outcome::Delivered, None));
        assert!(s.wrong_environment_likely());
        let mut one = BatchSummary::default();
        one.record(&result(Outcome::Rejected, Some("BadDeviceToken")));
        for _ in 0..10 {
            one.record(&result(Outcome::Delivered, None));
        }
        assert!(!one.wrong_environment_likely());
    }

    #[test]
    fn reasons_are_bounded() {
        let mut s = BatchSummary::default();
        for i in 0..1000 {
            s.record(&result(Outcome::Rejected, Some(&format!("Made-up {i}"))));
        }
        assert_eq!(s.reasons.len(), MAX_REASONS + 1);
        assert_eq!(s.reasons[OTHER_REASONS], 1000 - MAX_REASONS as u64);
        assert_eq!(s.rejected, 1000);
    }
}
