//! Device tokens in every form people paste them.

use std::fmt;

/// Shorter than this is a typo or a fragment, not a token.
pub const MIN_TOKEN_BYTES: usize = 8;
/// Apple says tokens are of variable length; the longest size mentioned anywhere is 100 bytes.
pub const MAX_TOKEN_BYTES: usize = 100;

/// A device token: raw bytes, written as lower-case hex on the wire.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceToken(Vec<u8>);

/// Why a pasted token is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Nothing but spaces and separators.
    #[error("the device token is empty — paste the token your app logged")]
    Empty,
    /// iOS 13's `{length = …, bytes = 0x…}` description, which is cut short.
    #[error(
        "this is the iOS 13+ `{{length = …, bytes = 0x…}}` description, which is cut short with \"...\" — log the token as hex in the app instead (map each byte to %02x)"
    )]
    DescriptionForm,
    /// A character that is neither a hex digit nor a separator (spaces, `<>`, quotes, `-`, `:`).
    #[error(
        "'{found}' at position {position} is not a hex digit — a device token is hex (0-9, a-f)"
    )]
    NotHex {
        /// The character.
        found: char,
        /// Where it is in the trimmed text, in characters, counted from 1 as a person counts
        /// (the eleventh character is position 11).
        position: usize,
    },
    /// An odd number of hex digits.
    #[error("the token has {digits} hex digits, an odd number — one digit is missing or extra")]
    OddLength {
        /// How many.
        digits: usize,
    },
    /// Fewer bytes than [`MIN_TOKEN_BYTES`].
    #[error(
        "the token is {bytes} bytes long; device tokens are at least {MIN_TOKEN_BYTES} (usually 32) — it looks cut short"
    )]
    TooShort {
        /// The token's length, in bytes.
        bytes: usize,
    },
    /// More bytes than [`MAX_TOKEN_BYTES`].
    #[error(
        "the token is {bytes} bytes long, more than {MAX_TOKEN_BYTES} — two tokens may have been pasted together"
    )]
    TooLong {
        /// The token's length, in bytes.
        bytes: usize,
    },
}

impl DeviceToken {
    /// Parses a token as people paste it: with spaces, `<…>`, quotes, dashes, upper case.
    pub fn parse(input: &str) -> Result<Self, TokenError> {
        let trimmed = input.trim();
        // Most tokens come as plain hex (every line of a big token list): decoded in one pass
        // (`hex::decode` after a check of every digit was half of reading a list).
        if let Some(bytes) = plain_hex(trimmed.as_bytes()) {
            return Self::from_bytes(bytes);
        }
        if trimmed.contains("length =") || trimmed.contains("bytes = 0x") {
            return Err(TokenError::DescriptionForm);
        }
        let mut hex = String::with_capacity(trimmed.len());
        for (position, c) in trimmed.chars().enumerate() {
            match c {
                c if c.is_ascii_hexdigit() => hex.push(c.to_ascii_lowercase()),
                ' ' | '\t' | '<' | '>' | '"' | '\'' | '-' | ':' | '`' => {}
                found => {
                    return Err(TokenError::NotHex {
                        found,
                        position: position + 1,
                    });
                }
            }
        }
        if hex.is_empty() {
            return Err(TokenError::Empty);
        }
        if hex.len() % 2 == 1 {
            return Err(TokenError::OddLength { digits: hex.len() });
        }
        let bytes = hex::decode(&hex).map_err(|_| TokenError::OddLength { digits: hex.len() })?;
        Self::from_bytes(bytes)
    }

    /// Wraps raw token bytes, checking only the length.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, TokenError> {
        match bytes.len() {
            n if n < MIN_TOKEN_BYTES => Err(TokenError::TooShort { bytes: n }),
            n if n > MAX_TOKEN_BYTES => Err(TokenError::TooLong { bytes: n }),
            _ => Ok(DeviceToken(bytes)),
        }
    }

    /// A token of 32 zero bytes, for a request whose path names another token (the connection
    /// check's probe): valid by construction, so building it cannot fail.
    pub(crate) fn placeholder() -> Self {
        DeviceToken(vec![0; 32])
    }

    /// The token's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Lower-case hex, as the request path wants it.
    pub fn to_hex(&self) -> String {
        let mut out = String::with_capacity(self.0.len() * 2);
        push_hex(&mut out, &self.0);
        out
    }

    /// A short form for tables and logs: first and last four bytes.
    pub fn short(&self) -> String {
        let h = self.to_hex();
        if h.len() <= 16 {
            h
        } else {
            format!("{}…{}", &h[..8], &h[h.len() - 8..])
        }
    }
}

/// The bytes of an even number of hex digits and nothing else; `None` for anything else
/// (empty, odd, any other character).
pub(super) fn plain_hex(digits: &[u8]) -> Option<Vec<u8>> {
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    // Filled in place rather than pushed onto: no check of the capacity for every byte.
    let mut bytes = vec![0u8; digits.len() / 2];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        let (high, low) = (
            HEX_VALUES[usize::from(pair[0])],
            HEX_VALUES[usize::from(pair[1])],
        );
        if (high | low) > 0x0f {
            return None;
        }
        *byte = (high << 4) | low;
    }
    Some(bytes)
}

/// Each byte's value as a hex digit (either case), or `NOT_HEX`: one lookup a digit.
const HEX_VALUES: [u8; 256] = {
    let mut values = [NOT_HEX; 256];
    let mut d = 0;
    while d < 10 {
        values[b'0' as usize + d] = d as u8;
        d += 1;
    }
    let mut d = 0;
    while d < 6 {
        values[b'a' as usize + d] = 10 + d as u8;
        values[b'A' as usize + d] = 10 + d as u8;
        d += 1;
    }
    values
};
const NOT_HEX: u8 = 0xff;

/// Each byte's two lower-case hex digits: one lookup a byte, for the path and the result line
/// of every push.
pub(crate) const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        pairs[b] = [DIGITS[b >> 4], DIGITS[b & 0x0f]];
        b += 1;
    }
    pairs
};

/// Appends `bytes` as lower-case hex (a table lookup: this runs once or twice per push, and
/// `hex::encode`'s char iterator showed up in batch profiles).
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    // Through a small buffer, a whole token at a time, rather than a `char` at a time.
    let mut digits = [0u8; 64];
    for chunk in bytes.chunks(digits.len() / 2) {
        for (pair, &b) in digits.chunks_exact_mut(2).zip(chunk) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
        }
        // Only ASCII digits were written: this is always UTF-8.
        out.push_str(std::str::from_utf8(&digits[..2 * chunk.len()]).unwrap_or_default());
    }
}

/// Appends `bytes` as lower-case hex to bytes that need not be a `String` (a request's path):
/// no check that the digits are UTF-8.
pub(crate) fn extend_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    let start = out.len();
    out.resize(start + 2 * bytes.len(), 0);
    for (pair, &b) in out[start..].chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
}

impl fmt::Display for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceToken({})", self.to_hex())
    }
}

impl std::str::FromStr for DeviceToken {
    type Err = TokenError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeviceToken::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

    #[test]
    fn accepts_every_common_form() {
        for input in [
            HEX.to_owned(),
            HEX.to_uppercase(),
            "<740f4707 bebcf74f 9b7c25d4 8e335894 5f6aa01d a5ddb387 462c7eaf 61bb78ad>".to_owned(),
            format!("\"{HEX}\""),
            format!("  {HEX}\n"),
        ] {
            assert_eq!(DeviceToken::parse(&input).unwrap().to_hex(), HEX, "{input}");
        }
    }

    #[test]
    fn variable_length_is_fine() {
        let long = "ab".repeat(80);
        assert_eq!(DeviceToken::parse(&long).unwrap().as_bytes().len(), 80);
    }

    #[test]
    fn rejects_with_reasons() {
        assert_eq!(
            DeviceToken::parse("{length = 32, bytes = 0x740f4707 bebcf74f ... 61bb78ad }"),
            Err(TokenError::DescriptionForm)
        );
        assert_eq!(DeviceToken::parse(""), Err(TokenError::Empty));
        assert_eq!(DeviceToken::parse("<>"), Err(TokenError::Empty));
        // The eleventh character, as a person counts it.
        let typo = format!("{}g{}", &HEX[..10], &HEX[11..]);
        assert_eq!(
            DeviceToken::parse(&typo),
            Err(TokenError::NotHex {
                found: 'g',
                position: 11
            })
        );
        assert_eq!(
            DeviceToken::parse(&HEX[1..]),
            Err(TokenError::OddLength { digits: 63 })
        );
        assert_eq!(
            DeviceToken::parse("abcd"),
            Err(TokenError::TooShort { bytes: 2 })
        );
        assert!(matches!(
            DeviceToken::parse(&HEX.repeat(4)),
            Err(TokenError::TooLong { bytes: 128 })
        ));
    }
}
