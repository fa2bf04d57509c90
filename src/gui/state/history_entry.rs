//! What History keeps of each send and each batch: the request, the answer and, for a batch,
//! its counts, a sample of what was not delivered and its timeline. Saved with the rest of
//! the state in `app.ron`; no secrets, the credential by name only.

use serde::{Deserialize, Serialize};

use super::Draft;

/// How many single sends the history keeps (the oldest go first).
pub const HISTORY_LIMIT: usize = 500;
/// How many batch records it keeps, apart from single sends: 500 quick sends never push out
/// the record of a 100,000-device batch.
pub const BATCH_HISTORY_LIMIT: usize = 100;

/// One send: what was asked and what came back. No secrets: the credential by name only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryEntry {
    /// UNIX seconds.
    pub time: i64,
    /// Where it went, in the words of the language on screen when it was sent ("local
    /// simulator (sandbox, 127.0.0.1:1234)"); shown only for entries without `route`.
    pub destination: String,
    /// Where it went, as data: worded in the language on screen whenever it is shown.
    pub route: Option<crate::client::TargetLabel>,
    /// The credential's name as the list showed it then (never key material).
    pub credential: String,
    /// The named device it went to, when the token was one of the saved devices.
    pub device: Option<String>,
    /// The notification as sent, so it can be opened again in Compose.
    pub draft: Draft,
    /// The topic sent.
    pub topic: Option<String>,
    /// The HTTP status APNs answered (`None`: no answer).
    pub status: Option<u16>,
    /// The reason APNs gave with a refusal.
    pub reason: Option<crate::apns::ServerReason>,
    /// The `apns-id` of the answer, to quote to Apple.
    pub apns_id: Option<String>,
    /// The `apns-unique-id` Apple adds in the sandbox only, to look the push up in its delivery
    /// log.
    pub apns_unique_id: Option<String>,
    /// From sending the request to the whole answer, in milliseconds.
    pub latency_ms: Option<f64>,
    /// When there was no answer, as worded then: older entries, and failures with no typed
    /// value (see `failure`).
    pub error: Option<String>,
    /// When a single send got no answer, as data: worded in the language on screen whenever
    /// it is shown.
    pub failure: Option<SendFailure>,
    /// Set when this entry is a whole batch rather than one send.
    pub batch: Option<BatchRecord>,
    /// Whether it went over a certificate connection (false: a token-based one, or an entry
    /// from before this was kept). With a push type Apple takes only token-based, it is why a
    /// `TopicDisallowed` came back.
    pub over_certificate: bool,
}

impl HistoryEntry {
    /// Whether its refusal is Apple's answer to a push type that goes only token-based, sent
    /// over a certificate.
    pub fn refused_for_certificate(&self) -> bool {
        self.over_certificate
            && self
                .draft
                .push_type
                .refused_for_certificate(self.reason.as_ref().and_then(|r| r.known()))
    }
}

/// Why a single send got no answer, kept as data so History words it in the language on
/// screen, not the one it was sent in.
// Externally tagged, as RON (app.ron) reads enums natively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendFailure {
    /// The connection could not be opened (`error`: the library's words).
    Connect {
        /// What went wrong.
        error: String,
    },
    /// Sent, and no answer: APNs may have processed it.
    Unconfirmed {
        /// What is known of the missing answer.
        error: crate::client::SendError,
    },
    /// Provably not processed.
    NotSent {
        /// Why it was not processed.
        error: crate::client::SendError,
    },
}

impl SendFailure {
    /// The failure of a Compose send, when it has a typed value to keep.
    pub fn of(error: &crate::gui::error::JobError) -> Option<Self> {
        use crate::gui::error::{JobError, Sending};
        match error {
            JobError::Connect {
                sending: Sending::Push,
                error,
            } => Some(SendFailure::Connect {
                error: error.clone(),
            }),
            JobError::Unconfirmed {
                sending: Sending::Push,
                error,
            } => Some(SendFailure::Unconfirmed {
                error: error.clone(),
            }),
            JobError::NotSent {
                sending: Sending::Push,
                error,
            } => Some(SendFailure::NotSent {
                error: error.clone(),
            }),
            _ => None,
        }
    }

    /// The sentence, in the language on screen: the words Compose gives the same failure
    /// when it happens.
    pub fn text(&self) -> String {
        use crate::gui::error::{JobError, Sending};
        let sending = Sending::Push;
        let failure = match self.clone() {
            SendFailure::Connect { error } => JobError::Connect { sending, error },
            SendFailure::Unconfirmed { error } => JobError::Unconfirmed { sending, error },
            SendFailure::NotSent { error } => JobError::NotSent { sending, error },
        };
        crate::gui::connection::in_app_words(&failure.text())
    }
}

impl HistoryEntry {
    /// Why it got no answer, in the language on screen (an older entry: as it was worded).
    pub fn error_text(&self) -> Option<String> {
        self.failure
            .as_ref()
            .map(SendFailure::text)
            .or_else(|| self.error.clone())
    }

    /// Where it went, in the language on screen (an older entry: as it was worded then).
    pub fn destination_words(&self) -> String {
        match &self.route {
            Some(route) => crate::gui::i18n::destination_label(route),
            None => self.destination.clone(),
        }
    }

    /// Where it went, the same in every language: its route, or an older entry's words. What
    /// a filter by destination keeps, so it still holds after the language changes.
    pub fn destination_key(&self) -> String {
        match &self.route {
            Some(route) => serde_json::to_string(route).unwrap_or_default(),
            None => self.destination.clone(),
        }
    }
}

/// How many refused or unanswered tokens a batch entry keeps, as a sample.
pub const BATCH_SAMPLE: usize = 20;

/// What History keeps of a batch: counts by outcome, not one row per token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchRecord {
    /// Every push the batch was to send, invalid lines included.
    pub total: u64,
    /// Accepted by APNs (status 200).
    pub delivered: u64,
    /// Refused by APNs with a reason.
    #[serde(alias = "refused")]
    pub rejected: u64,
    /// Sent without an answer: APNs may or may not have them.
    pub unconfirmed: u64,
    /// Never reached APNs (cancelled, no connection, out of time).
    pub not_sent: u64,
    /// Lines that were not a device token, never sent.
    pub invalid_input: u64,
    /// Pushes without an answer, as History recorded them before it told unconfirmed from
    /// not sent; kept so older entries still show them.
    pub no_answer: u64,
    /// 410 `Unregistered` / `ExpiredToken`.
    pub dead: u64,
    /// `BadDeviceToken`: wrong token or wrong environment.
    pub bad_device_tokens: u64,
    /// Reason → count, for rejections.
    pub reasons: std::collections::BTreeMap<String, u64>,
    /// The user cancelled it.
    pub cancelled: bool,
    /// The first [`BATCH_SAMPLE`] tokens that were not delivered.
    pub problems: Vec<BatchProblem>,
    /// From the first connection to the last answer.
    pub seconds: f64,
    /// The batch over time, for its charts (at most a few hundred points).
    pub timeline: Vec<crate::gui::charts::TimelinePoint>,
}

impl BatchRecord {
    /// Takes the counts of a summary as they are.
    pub fn count(&mut self, s: &crate::client::BatchSummary) {
        self.total = s.total.max(self.total);
        self.delivered = s.delivered;
        self.rejected = s.rejected;
        self.unconfirmed = s.unconfirmed;
        self.not_sent = s.not_sent;
        self.invalid_input = s.invalid_input;
        self.dead = s.dead_tokens;
        self.bad_device_tokens = s.bad_device_tokens;
        self.reasons = s.reasons.clone();
        self.seconds = s.seconds;
    }

    /// Everything delivered.
    pub fn all_delivered(&self) -> bool {
        self.rejected + self.unconfirmed + self.not_sent + self.invalid_input + self.no_answer == 0
    }
}

/// One token of a batch that was not delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchProblem {
    /// The token as sent (hex).
    pub token: String,
    /// The device's name, when it was one of the saved devices.
    pub name: Option<String>,
    /// The APNs reason, or why there was no answer, as worded when recorded: older entries,
    /// and whys with no typed value (see `why`).
    pub reason: String,
    /// Why, as data: worded in the language on screen whenever it is shown.
    pub why: Option<ProblemWhy>,
}

/// Why a token of a batch was not delivered, kept as data so History words it in the language
/// on screen. Externally tagged, as RON (app.ron) reads enums natively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemWhy {
    /// APNs' reason, as the server spelled it (the same in every language).
    Reason(String),
    /// An error status without a reason.
    Status(u16),
    /// No answer: what is known of the last attempt.
    Send(crate::client::SendError),
    /// Turned away unprocessed this many times.
    TurnedAway {
        /// How many times.
        times: u32,
        /// The last time's why.
        last: crate::client::SendError,
    },
    /// Its stream refused this many times.
    Refused {
        /// How many times.
        times: u32,
        /// The last refusal.
        last: crate::client::SendError,
    },
    /// The batch was stopped at once while it was on its way.
    StoppedInFlight,
    /// Sent by an interrupted run that ended before its answer was recorded.
    SentByInterruptedRun,
    /// Only how it ended is known.
    Outcome(crate::client::Outcome),
}

impl ProblemWhy {
    /// The why of a result, when it has a typed value to keep (a stop's or a list's words do
    /// not: they stay as worded).
    pub fn of(r: &crate::client::TokenResult) -> Option<Self> {
        use crate::client::ResultError as E;
        if let Some(reason) = &r.reason {
            return Some(ProblemWhy::Reason(reason.to_string()));
        }
        match &r.error {
            Some(E::Send(e)) => Some(ProblemWhy::Send(e.clone())),
            Some(E::TurnedAway { times, last }) => Some(ProblemWhy::TurnedAway {
                times: *times,
                last: last.clone(),
            }),
            Some(E::Refused { times, last }) => Some(ProblemWhy::Refused {
                times: *times,
                last: last.clone(),
            }),
            Some(E::StoppedInFlight) => Some(ProblemWhy::StoppedInFlight),
            Some(E::SentByInterruptedRun) => Some(ProblemWhy::SentByInterruptedRun),
            Some(_) => None,
            None => Some(match r.status {
                Some(status) => ProblemWhy::Status(status),
                None => ProblemWhy::Outcome(r.outcome),
            }),
        }
    }

    /// The words, in the language on screen.
    pub fn text(&self) -> String {
        use crate::client::ResultError as E;
        use crate::gui::i18n;
        match self {
            ProblemWhy::Reason(reason) => reason.clone(),
            ProblemWhy::Status(status) => format!("HTTP {status}"),
            ProblemWhy::Send(e) => i18n::result_error(&E::Send(e.clone())),
            ProblemWhy::TurnedAway { times, last } => i18n::result_error(&E::TurnedAway {
                times: *times,
                last: last.clone(),
            }),
            ProblemWhy::Refused { times, last } => i18n::result_error(&E::Refused {
                times: *times,
                last: last.clone(),
            }),
            ProblemWhy::StoppedInFlight => i18n::result_error(&E::StoppedInFlight),
            ProblemWhy::SentByInterruptedRun => i18n::result_error(&E::SentByInterruptedRun),
            ProblemWhy::Outcome(outcome) => i18n::outcome(*outcome),
        }
    }
}

impl BatchProblem {
    /// Why, in the language on screen (an older entry: as it was worded).
    pub fn why_text(&self) -> String {
        self.why
            .as_ref()
            .map(ProblemWhy::text)
            .unwrap_or_else(|| self.reason.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{SendError, Unprocessed};
    use crate::gui::fuzz::OneFile;
    use crate::gui::i18n::{Language, in_language};
    use crate::gui::state::State;

    fn chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// A send that got no answer keeps why as data through `app.ron`, and History words it in
    /// the language on screen when shown, not the one it was sent in. An entry saved before
    /// (its words only) still shows those words.
    #[test]
    fn a_failure_is_kept_as_data_and_worded_in_the_language_on_screen() {
        let failures = [
            SendFailure::Unconfirmed {
                error: SendError::Timeout(30),
            },
            SendFailure::NotSent {
                error: SendError::NotProcessed {
                    cause: Unprocessed::GoAway,
                    message: "GOAWAY last-stream-id 1".into(),
                },
            },
            SendFailure::Connect {
                error: "connection refused (127.0.0.1:9)".into(),
            },
        ];
        let state = State {
            history: failures
                .iter()
                .map(|f| HistoryEntry {
                    failure: Some(f.clone()),
                    ..HistoryEntry::default()
                })
                .chain([HistoryEntry {
                    error: Some("worded long ago".into()),
                    ..HistoryEntry::default()
                }])
                .collect(),
            ..State::default()
        };
        let mut file = OneFile(String::new());
        eframe::set_value(&mut file, eframe::APP_KEY, &state);
        let back: State = eframe::get_value(&file, eframe::APP_KEY).expect("reads back");
        assert_eq!(back.history, state.history);
        for entry in &back.history[..failures.len()] {
            let en = in_language(Language::English, || entry.error_text()).unwrap();
            let zh = in_language(Language::ChineseSimplified, || entry.error_text()).unwrap();
            assert!(!chinese(&en) && chinese(&zh), "{en} / {zh}");
        }
        let older = &back.history[failures.len()];
        assert!(older.failure.is_none());
        assert_eq!(
            in_language(Language::ChineseSimplified, || older.error_text()).as_deref(),
            Some("worded long ago")
        );
    }

    /// A batch's sample of problems keeps why as data too: APNs' reason as spelled, the rest
    /// worded in the language on screen; a problem saved before keeps its words.
    #[test]
    fn a_batch_problem_is_worded_in_the_language_on_screen() {
        let problem = |why: Option<ProblemWhy>, reason: &str| BatchProblem {
            token: "ab".repeat(32),
            name: Some("Alice".into()),
            reason: reason.into(),
            why,
        };
        let record = BatchRecord {
            problems: vec![
                problem(Some(ProblemWhy::Reason("BadDeviceToken".into())), ""),
                problem(Some(ProblemWhy::Send(SendError::Timeout(30))), ""),
                problem(
                    Some(ProblemWhy::Outcome(crate::client::Outcome::NotSent)),
                    "",
                ),
                problem(None, "worded long ago"),
            ],
            ..BatchRecord::default()
        };
        let state = State {
            history: vec![HistoryEntry {
                batch: Some(record),
                ..HistoryEntry::default()
            }],
            ..State::default()
        };
        let mut file = OneFile(String::new());
        eframe::set_value(&mut file, eframe::APP_KEY, &state);
        let back: State = eframe::get_value(&file, eframe::APP_KEY).expect("reads back");
        assert_eq!(back.history, state.history);
        let problems = &back.history[0].batch.as_ref().unwrap().problems;
        let words = |language| {
            in_language(language, || {
                problems
                    .iter()
                    .map(BatchProblem::why_text)
                    .collect::<Vec<_>>()
            })
        };
        let (en, zh) = (words(Language::English), words(Language::ChineseSimplified));
        assert_eq!(
            (en[0].as_str(), zh[0].as_str()),
            ("BadDeviceToken", "BadDeviceToken")
        );
        for i in [1, 2] {
            assert!(!chinese(&en[i]) && chinese(&zh[i]), "{} / {}", en[i], zh[i]);
        }
        assert_eq!(zh[3], "worded long ago");
    }
}
