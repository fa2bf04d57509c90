//! A result as one line of `--json`, written by hand: byte for byte what `serde_json` writes
//! for [`TokenResult`]'s derived `Serialize` (a test holds the two together), without its
//! per-field machinery. `serde_json` escaped every key and looked each field up through
//! `SerializeMap`: that was most of the 7 % of a batch's instructions spent on its result
//! lines. The numbers and any text from outside still go through `serde_json`'s own
//! formatter and escaping, so they cannot differ.

use std::io::{self, Write};

use serde_json::ser::{CompactFormatter, Formatter as _};

use super::{ResultToken, TokenResult};
use crate::apns::{HEX_PAIRS, MAX_TOKEN_BYTES, ServerReason};

impl TokenResult {
    /// Writes the result as `serde_json::to_writer` would (no newline).
    pub fn write_json<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        let f = &mut CompactFormatter;
        out.write_all(b"{\"index\":")?;
        f.write_u64(out, self.index)?;
        if let Some(line) = self.line {
            out.write_all(b",\"line\":")?;
            f.write_u64(out, line)?;
        }
        out.write_all(b",\"token\":")?;
        match &self.token {
            ResultToken::Device(t) => hex_string(out, t.as_bytes())?,
            ResultToken::Unparsed(text) => string(out, text)?,
        }
        out.write_all(b",\"name\":")?;
        optional_string(out, self.name.as_deref())?;
        // The outcome's words are the serde names (`as_str` is tested against them).
        out.write_all(b",\"outcome\":\"")?;
        out.write_all(self.outcome.as_str().as_bytes())?;
        out.write_all(b"\",\"status\":")?;
        match self.status {
            Some(status) => f.write_u16(out, status)?,
            None => f.write_null(out)?,
        }
        out.write_all(b",\"reason\":")?;
        optional_string(out, self.reason.as_ref().map(ServerReason::as_str))?;
        out.write_all(b",\"apns_id\":")?;
        optional_string(out, self.apns_id.as_deref())?;
        out.write_all(b",\"apns_unique_id\":")?;
        optional_string(out, self.apns_unique_id.as_deref())?;
        out.write_all(b",\"timestamp\":")?;
        match self.timestamp {
            Some(t) => f.write_i64(out, t)?,
            None => f.write_null(out)?,
        }
        out.write_all(b",\"latency_ms\":")?;
        match self.latency_ms {
            // As serde_json does: JSON has no NaN or infinity, they are written `null`.
            Some(ms) if ms.is_finite() => f.write_f64(out, ms)?,
            _ => f.write_null(out)?,
        }
        out.write_all(b",\"attempts\":")?;
        f.write_u32(out, self.attempts)?;
        out.write_all(b",\"error\":")?;
        optional_string(out, self.error.as_ref().map(ToString::to_string).as_deref())?;
        out.write_all(b"}")
    }
}

/// Text from outside, escaped by serde_json itself.
fn string<W: Write + ?Sized>(out: &mut W, text: &str) -> io::Result<()> {
    serde_json::to_writer(out, text).map_err(io::Error::from)
}

fn optional_string<W: Write + ?Sized>(out: &mut W, text: Option<&str>) -> io::Result<()> {
    match text {
        Some(text) => string(out, text),
        None => out.write_all(b"null"),
    }
}

/// A device token as a JSON string of lower-case hex: nothing in it needs escaping, and it
/// goes out in one write, without the `String` that `to_hex` makes.
fn hex_string<W: Write + ?Sized>(out: &mut W, bytes: &[u8]) -> io::Result<()> {
    let mut quoted = [0u8; 2 + 2 * MAX_TOKEN_BYTES];
    if bytes.len() > MAX_TOKEN_BYTES {
        // A `DeviceToken` is never this long; if one were, it is still written right.
        return string(out, &hex::encode(bytes));
    }
    let end = 1 + 2 * bytes.len();
    quoted[0] = b'"';
    for (pair, &b) in quoted[1..end].chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    quoted[end] = b'"';
    out.write_all(&quoted[..=end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::{DeviceToken, Reason};
    use crate::client::Outcome;
    use crate::client::outcome::ResultError;

    /// Text from outside that JSON must escape, or must leave alone.
    const TRICKY: &[&str] = &[
        "",
        "plain",
        "\"quoted\"",
        "back\\slash",
        "new\nline\r\ttab",
        "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}",
        "\u{7f} DEL and \u{80}\u{9f} C1",
        "\u{2028}\u{2029} line separators",
        "\u{202e}bidi\u{2066}",
        "Alice's iPhone 📱 — 张三",
        "</script><!--",
        "\u{feff}bom",
        "a\"b\\c\u{1}d\u{10ffff}",
    ];

    fn results() -> Vec<TokenResult> {
        let token = DeviceToken::parse(&"0a1b".repeat(16)).unwrap();
        let long = DeviceToken::parse(&"ff".repeat(100)).unwrap();
        let mut out = Vec::new();
        for (i, text) in TRICKY.iter().enumerate() {
            for outcome in Outcome::ALL {
                out.push(TokenResult {
                    index: i as u64,
                    line: (i % 2 == 0).then_some(u64::MAX - i as u64),
                    token: if outcome == Outcome::InvalidInput {
                        ResultToken::Unparsed((*text).to_owned())
                    } else if i % 3 == 0 {
                        ResultToken::Device(long.clone())
                    } else {
                        ResultToken::Device(token.clone())
                    },
                    name: Some((*text).to_owned()),
                    outcome,
                    status: Some([200, 400, 410, 429, 500, u16::MAX][i % 6]),
                    reason: Some(if i % 2 == 0 {
                        ServerReason::from_wire(text)
                    } else {
                        ServerReason::from(Reason::Unregistered)
                    }),
                    apns_id: Some((*text).to_owned()),
                    apns_unique_id: Some((*text).to_owned()),
                    timestamp: Some([i64::MIN, -1, 0, 1_700_000_000_000, i64::MAX][i % 5]),
                    latency_ms: Some(
                        [
                            0.0,
                            -0.0,
                            1.5,
                            0.1 + 0.2,
                            119.852_313,
                            1e-7,
                            1e21,
                            f64::MAX,
                            f64::MIN_POSITIVE,
                            f64::NAN,
                            f64::INFINITY,
                            f64::NEG_INFINITY,
                            5e-324,
                        ][i % TRICKY.len()],
                    ),
                    attempts: [0, 1, u32::MAX][i % 3],
                    error: Some(ResultError::Text((*text).to_owned())),
                });
            }
        }
        // Every kind of why, written as its English text.
        let whys = ResultError::examples();
        for why in whys {
            let mut r = out[0].clone();
            r.error = Some(why);
            out.push(r);
        }
        // Every field absent.
        out.push(TokenResult {
            index: 0,
            line: None,
            token: ResultToken::Device(token),
            name: None,
            outcome: Outcome::Delivered,
            status: None,
            reason: None,
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: None,
            attempts: 1,
            error: None,
        });
        out
    }

    #[test]
    fn the_line_is_what_serde_json_writes() {
        for r in results() {
            let mut ours = Vec::new();
            r.write_json(&mut ours).unwrap();
            let theirs = serde_json::to_vec(&r).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
    }

    #[test]
    fn every_character_is_escaped_as_serde_json_escapes_it() {
        // Every code point below 0x800 and a sample beyond, one at a time and all together.
        let chars: Vec<char> = (0..0x800u32)
            .chain((0x800..=0x10_ffff).step_by(997))
            .filter_map(char::from_u32)
            .collect();
        let mut texts: Vec<String> = chars.iter().map(|c| format!("x{c}y")).collect();
        texts.push(chars.iter().collect());
        let mut r = results().pop().unwrap();
        for text in texts {
            r.error = Some(ResultError::Text(text.clone()));
            r.token = ResultToken::Unparsed(text);
            let mut ours = Vec::new();
            r.write_json(&mut ours).unwrap();
            assert_eq!(ours, serde_json::to_vec(&r).unwrap());
        }
    }
}
