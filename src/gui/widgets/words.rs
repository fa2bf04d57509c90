//! Small text helpers every screen uses: sentences from library messages, counts, file names.

use std::path::Path;

/// `the token is too short` → `The token is too short`: library messages start in lower case,
/// sentences on screen with a capital. A first word with a capital of its own is a name and
/// is left as it is: `iOS budgets …` (a Chinese sentence may begin with it) stays `iOS`.
pub fn capitalise(text: &str) -> String {
    let first_word = text.split(char::is_whitespace).next().unwrap_or_default();
    if first_word.chars().skip(1).any(char::is_uppercase) {
        return text.to_owned();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Milliseconds as a number to show: two decimals under 1 ms, one above. On loopback a round
/// trip is 0.05 ms, which one decimal showed as "0.0 ms" beside a p50 line drawn at 0.05.
pub fn millis(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.1}")
    }
}

/// `1234567` → `1,234,567`.
pub fn group_digits(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file's name as people call it (`Push.p12`); the whole path when it has no name.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The first `chars` characters of `text`, with "…" when something was cut: never cuts
/// inside a character, whatever script the text is in.
pub fn shorten(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0u64), "0");
        assert_eq!(group_digits(999u64), "999");
        assert_eq!(group_digits(4096u64), "4,096");
        assert_eq!(group_digits(1_234_567u64), "1,234,567");
    }

    #[test]
    fn a_sentence_gets_its_capital_and_a_name_keeps_its_own() {
        assert_eq!(
            capitalise("the token is too short"),
            "The token is too short"
        );
        assert_eq!(
            capitalise("iOS 会为优先级 10 的更新设定预算"),
            "iOS 会为优先级 10 的更新设定预算"
        );
        assert_eq!(capitalise("macOS keeps it"), "macOS keeps it");
        assert_eq!(capitalise("ünïcode"), "Ünïcode");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn milliseconds_keep_what_matters_below_one() {
        assert_eq!(millis(0.048), "0.05");
        assert_eq!(millis(0.3), "0.30");
        assert_eq!(millis(12.34), "12.3");
    }

    #[test]
    fn shortening_keeps_whole_characters() {
        assert_eq!(
            shorten("门铃门铃门铃门铃门铃门铃门铃门铃门铃", 16),
            "门铃门铃门铃门铃门铃门铃门铃门铃…"
        );
        assert_eq!(shorten("abc", 16), "abc");
        assert_eq!(shorten("🔔🔔🔔", 2), "🔔🔔…");
    }
}
