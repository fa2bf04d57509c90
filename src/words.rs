//! Words for a terminal: text from outside pushlab made safe to print.

/// Text from outside pushlab (a server's reason, a certificate's subject, a line of a token
/// list, a name) made safe to print on a terminal: every control character is shown escaped
/// instead of acting. That covers C0 (newline and carriage return included: a reason holding
/// `\n<token> 200 delivered` would otherwise forge a result line), DEL, C1 (U+0080–U+009F,
/// which some terminals read as escape sequences too), and the bidirectional overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069) and marks that reorder what is shown. Everything
/// else, other scripts included, passes as it is. JSON output never goes through this: there
/// the exact text is wanted, and JSON escapes controls itself.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if needs_escape(c) => {
                use std::fmt::Write as _;
                let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
            }
            c => shown.push(c),
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// Whether [`for_terminal`] shows the character escaped.
fn needs_escape(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_escaped_and_the_rest_passes() {
        assert!(matches!(
            for_terminal("BadDeviceToken"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(for_terminal("中文 ok"), "中文 ok");
        assert_eq!(for_terminal("x\nab 200 delivered"), "x\\nab 200 delivered");
        assert_eq!(for_terminal("\u{1b}]0;title\u{7}"), "\\u{1b}]0;title\\u{7}");
        assert_eq!(for_terminal("\u{7f}\u{9b}2J"), "\\u{7f}\\u{9b}2J");
        assert_eq!(for_terminal("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
        assert_eq!(for_terminal("\r\t"), "\\r\\t");
    }

    #[test]
    fn nothing_left_acts_on_a_terminal() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let shown = for_terminal(&all);
        assert!(!shown.chars().any(needs_escape));
    }
}
