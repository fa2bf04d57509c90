//! Why a push has no answer, in the app's language (the library's `SendError` keeps English
//! for the CLI); the connection's own words for what happened stay as they are.

use super::msg;
use crate::client::SendError;

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
