//! Why a push has no answer, in the app's language (the library's `SendError` keeps English
//! for the CLI); the connection's own words for what happened stay as they are.

use super::tr_with;
use crate::client::SendError;

/// The sentence for `e`.
pub fn send_error(e: &SendError) -> String {
    match e {
        SendError::NotProcessed { message, .. } => tr_with(
            "send-error-not-processed",
            &[("detail", message.as_str().into())],
        ),
        SendError::NoAnswer { message } => tr_with(
            "send-error-no-answer",
            &[("detail", message.as_str().into())],
        ),
        SendError::Timeout(secs) => tr_with("send-error-timeout", &[("secs", (*secs).into())]),
        SendError::Token(detail) => {
            tr_with("send-error-token", &[("detail", detail.as_str().into())])
        }
        SendError::Request(detail) => {
            tr_with("send-error-request", &[("detail", detail.as_str().into())])
        }
    }
}
