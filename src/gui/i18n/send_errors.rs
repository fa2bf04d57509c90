//! Why a push has no answer, in the app's language (the library's `SendError` and
//! `ResultError` keep English for the CLI); the connection's own words for what happened, and
//! a list's words for a line it could not read, stay as they are.

use super::msg;
use crate::client::{BatchStop, ResultError, SendError};

/// The sentence for a batch result's `error`.
pub fn result_error(e: &ResultError) -> String {
    match e {
        ResultError::Send(e) => send_error(e),
        ResultError::TurnedAway { times, last } => {
            msg::result_error_turned_away(send_error(last), *times)
        }
        ResultError::Refused { times, last } => msg::result_error_refused(send_error(last), *times),
        ResultError::Stopped(stop) => batch_stop(stop),
        ResultError::StoppedInFlight => msg::result_error_stopped_in_flight(),
        ResultError::SentByInterruptedRun => msg::result_error_sent_by_interrupted_run(),
        ResultError::Invalid(text) | ResultError::Text(text) => text.clone(),
    }
}

/// Why a batch stopped before every push had a result.
pub fn batch_stop(stop: &BatchStop) -> String {
    match stop {
        BatchStop::Cancelled => msg::batch_stop_cancelled(),
        BatchStop::Deadline => msg::batch_stop_deadline(),
        BatchStop::NoConnection(e) => msg::batch_stop_no_connection(e.as_str()),
        BatchStop::Journal(e) => msg::batch_stop_journal(e.as_str()),
        BatchStop::Refused(n) => msg::batch_stop_refused(*n),
    }
}

/// The sentence for `e`.
pub fn send_error(e: &SendError) -> String {
    match e {
        SendError::NotProcessed { message, .. } => msg::send_error_not_processed(message.as_str()),
        SendError::NoAnswer { message } => msg::send_error_no_answer(message.as_str()),
        SendError::Timeout(secs) => msg::send_error_timeout(*secs),
        SendError::Token(detail) => msg::send_error_token(detail.as_str()),
        SendError::Request(detail) => msg::send_error_request(detail.as_str()),
    }
}
