//! Why a result has no answer, or why its entry was never a push: values the app words in its
//! own language. Each one's `Display` is the English the CLI prints and `--json` carries in
//! `error`, so those stay as they were.

use std::fmt;

use serde::Serialize;

use crate::client::SendError;

/// Why a batch stopped sending before its input ran out; every push it had not sent ends "not
/// sent" with this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchStop {
    /// Cancelled (the app's Cancel, Ctrl-C, SIGTERM).
    Cancelled,
    /// Its deadline passed.
    Deadline,
    /// No connection could be opened or kept (the last one's error, as the connection says it).
    NoConnection(String),
    /// The journal could not be written: nothing more goes out that it does not know of.
    Journal(String),
    /// This many streams in a row were refused with no push answered.
    Refused(u64),
}

impl fmt::Display for BatchStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchStop::Cancelled => f.write_str("the batch was cancelled first"),
            BatchStop::Deadline => f.write_str("the batch ran out of time (its deadline) first"),
            BatchStop::NoConnection(e) => write!(f, "could not connect: {e}"),
            BatchStop::Journal(e) => write!(f, "the batch's journal could not be written: {e}"),
            BatchStop::Refused(n) => write!(
                f,
                "the server refused {n} streams in a row without answering any push (REFUSED_STREAM): it is not taking pushes"
            ),
        }
    }
}

/// Why a push has no answer, or why an entry could not become a push.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultError {
    /// Its last attempt failed so (unconfirmed, or a request that could not be made).
    Send(SendError),
    /// The server turned it away unprocessed this many times.
    TurnedAway {
        /// How many times.
        times: u32,
        /// The last time's why.
        last: SendError,
    },
    /// The server refused its stream (REFUSED_STREAM) this many times.
    Refused {
        /// How many times.
        times: u32,
        /// The last refusal, as the connection said it.
        last: SendError,
    },
    /// The batch stopped before it had a result.
    Stopped(BatchStop),
    /// The batch was stopped at once while it was on its way: it may have reached APNs.
    StoppedInFlight,
    /// Sent by an interrupted run that ended before its answer was recorded.
    SentByInterruptedRun,
    /// The entry could not become a push (the list's or the payload file's words).
    Invalid(String),
    /// Words from elsewhere, shown as they are (a journal's record of an earlier run).
    Text(String),
}

impl fmt::Display for ResultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResultError::Send(e) => e.fmt(f),
            ResultError::TurnedAway { times, last } => write!(
                f,
                "the server turned it away {times} times without processing it ({last})"
            ),
            ResultError::Refused { times, last } => write!(
                f,
                "the server refused it {times} times without processing it ({last})"
            ),
            ResultError::Stopped(stop) => stop.fmt(f),
            ResultError::StoppedInFlight => f.write_str(
                "the batch was stopped at once, before the answer came: it may have reached APNs",
            ),
            ResultError::SentByInterruptedRun => f.write_str(
                "sent by the interrupted run, which ended before its answer was recorded: it may have reached APNs, so it was not sent again",
            ),
            ResultError::Invalid(text) | ResultError::Text(text) => f.write_str(text),
        }
    }
}

/// As its English text: `--json`'s `error` is a string.
impl Serialize for ResultError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl ResultError {
    /// One of every kind, with outside text that needs care (quotes, a line break, an escape
    /// sequence), for the tests that must cover them all: `--json`'s and the app's wording.
    /// Not part of the API.
    #[doc(hidden)]
    pub fn examples() -> Vec<ResultError> {
        use crate::client::Unprocessed;
        let refused = SendError::NotProcessed {
            cause: Unprocessed::RefusedStream,
            message: "stream error received: refused \"stream\"".to_owned(),
        };
        let all = vec![
            ResultError::Send(SendError::Timeout(30)),
            ResultError::Send(SendError::NoAnswer {
                message: "stream reset\n".to_owned(),
            }),
            ResultError::TurnedAway {
                times: 1000,
                last: refused.clone(),
            },
            ResultError::Refused {
                times: 100,
                last: refused,
            },
            ResultError::Stopped(BatchStop::Cancelled),
            ResultError::Stopped(BatchStop::Deadline),
            ResultError::Stopped(BatchStop::NoConnection(
                "Connection refused \u{1b}[2J".to_owned(),
            )),
            ResultError::Stopped(BatchStop::Journal("No space left on device".to_owned())),
            ResultError::Stopped(BatchStop::Refused(200)),
            ResultError::StoppedInFlight,
            ResultError::SentByInterruptedRun,
            ResultError::Invalid("not hex".to_owned()),
            ResultError::Text("written by pushlab 0.0.9".to_owned()),
        ];
        // No wildcard: a new kind (here or in `BatchStop`) stops the build until it joins the
        // list above.
        for e in &all {
            match e {
                ResultError::Send(_)
                | ResultError::TurnedAway { .. }
                | ResultError::Refused { .. }
                | ResultError::StoppedInFlight
                | ResultError::SentByInterruptedRun
                | ResultError::Invalid(_)
                | ResultError::Text(_) => {}
                ResultError::Stopped(stop) => match stop {
                    BatchStop::Cancelled
                    | BatchStop::Deadline
                    | BatchStop::NoConnection(_)
                    | BatchStop::Journal(_)
                    | BatchStop::Refused(_) => {}
                },
            }
        }
        all
    }
}
