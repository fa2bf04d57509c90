//! Small text helpers: percent-decoding of paths and queries, and HTML escaping.

/// At most this many query parameters are read; a longer query is refused.
pub(crate) const MAX_QUERY_PAIRS: usize = 32;

/// Decodes `%XX` (and `+` as a space when `plus_is_space`); `None` for bad escapes or text
/// that is not UTF-8.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A query's `name=value` pairs, decoded; `Err` names what is wrong.
pub(crate) fn query_pairs(query: Option<&str>) -> Result<Vec<(String, String)>, String> {
    let Some(query) = query else {
        return Ok(Vec::new());
    };
    let mut pairs = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        if pairs.len() == MAX_QUERY_PAIRS {
            return Err(format!("at most {MAX_QUERY_PAIRS} query parameters"));
        }
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let (Some(name), Some(value)) = (percent_decode(name, true), percent_decode(value, true))
        else {
            return Err("a query parameter is not percent-encoded UTF-8".to_owned());
        };
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%2Fb+c", true).as_deref(), Some("a/b c"));
        assert_eq!(percent_decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%zz", true), None);
        assert_eq!(percent_decode("%4", true), None);
        assert_eq!(percent_decode("%ff", true), None);
        let pairs = query_pairs(Some("topic=com.x&text=a%20b&flag")).unwrap();
        assert_eq!(pairs[1], ("text".to_owned(), "a b".to_owned()));
        assert_eq!(pairs[2], ("flag".to_owned(), String::new()));
        let many = vec!["a=1"; MAX_QUERY_PAIRS + 1].join("&");
        assert!(query_pairs(Some(&many)).is_err());
    }

    #[test]
    fn escaping() {
        assert_eq!(
            html_escape(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
    }
}
