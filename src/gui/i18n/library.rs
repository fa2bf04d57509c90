//! The library's sentences in the app's language. The library keeps its English words for the
//! CLI and gives each sentence a stable code and its values; the GUI words them here, at its
//! edge. A code with no message falls back to the library's English (the message test fails
//! on such a code, so a release has none).

use super::tr_with;
use crate::apns::TokenError;

/// Why a pasted token is not usable.
pub fn token_error(e: &TokenError) -> String {
    match e {
        TokenError::Empty => tr_with("token-error-empty", &[]),
        TokenError::DescriptionForm => tr_with("token-error-description-form", &[]),
        TokenError::NotHex { found, position } => tr_with(
            "token-error-not-hex",
            &[
                ("found", found.to_string().into()),
                ("position", (*position).into()),
            ],
        ),
        TokenError::OddLength { digits } => {
            tr_with("token-error-odd-length", &[("digits", (*digits).into())])
        }
        TokenError::TooShort { bytes } => tr_with(
            "token-error-too-short",
            &[
                ("bytes", (*bytes).into()),
                ("min", crate::apns::MIN_TOKEN_BYTES.into()),
            ],
        ),
        TokenError::TooLong { bytes } => tr_with(
            "token-error-too-long",
            &[
                ("bytes", (*bytes).into()),
                ("max", crate::apns::MAX_TOKEN_BYTES.into()),
            ],
        ),
    }
}
