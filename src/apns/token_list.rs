//! The one reader of token lists: the CLI's `--tokens`, the app's imported and pasted lists,
//! the legacy sender and the simulator's registry all read lines through it, so a line means
//! the same thing everywhere and every line that is not a token gets its number and a reason.
//!
//! Bytes go in, not text: a list exported from a database may mix encodings, and one line in
//! Latin-1 must not make the reader drop it or lose count. Each line is UTF-8 if it decodes as
//! such, else Latin-1 (which decodes every byte, so nothing is lost; the record says so). A
//! UTF-8 byte-order mark is skipped, and a file starting with a UTF-16 one (Windows Notepad's
//! "Unicode") is transcoded first. That much is [`LineReader`]'s job (in `lines.rs`, shared
//! with the JSON Lines payload files); this module makes tokens of its lines.
//!
//! A line is a token and, after a separator, the rest: `TOKEN`, `TOKEN name`, `TOKEN,name`,
//! `TOKEN<TAB>state topic`, `name,TOKEN` (CSV with the name first), or the token as iOS logs
//! it, `<740f4707 bebcf74f …> name`. Blank lines, lines starting with `#` (and the rest of a
//! line after ` #`) and a first line that is a CSV header (`token,name`) are skipped.

use std::io::BufRead;

use super::{DeviceToken, TokenError};

mod lines;
mod utf16;
pub use lines::{
    LineReader, LineText, LinesByNumber, MAX_LINE_BYTES, MAX_SKIPPED_BYTES, NumberedLine,
};

/// A token read from a list, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedToken {
    /// 1-based line number in the input.
    pub line: u64,
    /// The token the line starts with.
    pub token: DeviceToken,
    /// What followed the token on the line (a name, or the simulator's state words),
    /// trimmed; empty if nothing did.
    pub rest: String,
    /// The line was not UTF-8 and was read as Latin-1.
    pub latin1: bool,
}

impl ListedToken {
    /// The rest of the line as a name, if there is one.
    pub fn name(&self) -> Option<&str> {
        let n = self.rest.trim().trim_matches('"').trim();
        (!n.is_empty()).then_some(n)
    }
}

/// A line that is neither a token nor something to skip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct InvalidLine {
    /// The line, from 1.
    pub line: u64,
    /// The line as read (at most 200 characters), for reports.
    pub text: String,
    /// Why it is not a token, in English.
    pub reason: String,
    /// The token's own error, when that is why: a front end may word it in its language.
    pub error: Option<TokenError>,
}

/// One record of a token list: every line that is not blank, a comment or a header gives one.
pub type ListEntry = Result<ListedToken, InvalidLine>;

/// Reads a token list line by line; an iterator of [`ListEntry`], streamed so a list of
/// millions of tokens costs one line of memory.
pub struct TokenListReader<R> {
    lines: LineReader<R>,
    seen_content: bool,
}

impl<R: BufRead> TokenListReader<R> {
    /// A reader of this list, from its first line.
    pub fn new(reader: R) -> Self {
        TokenListReader {
            lines: LineReader::new(reader),
            seen_content: false,
        }
    }
}

/// Reads every entry of a list held in memory (pasted text, a small file).
pub fn read_token_list(bytes: &[u8]) -> Vec<ListEntry> {
    TokenListReader::new(bytes).collect()
}

impl<R: BufRead> Iterator for TokenListReader<R> {
    type Item = ListEntry;

    fn next(&mut self) -> Option<ListEntry> {
        loop {
            let raw = self.lines.next()?;
            let first_content = !self.seen_content;
            let line = raw.number;
            let text = match raw.content {
                Ok(text) => text,
                Err(reason) => {
                    self.seen_content = true;
                    return Some(Err(InvalidLine {
                        line,
                        text: String::new(),
                        reason,
                        error: None,
                    }));
                }
            };
            match parse_line(&text.text) {
                Parsed::Skip => continue,
                Parsed::Header if first_content => {
                    self.seen_content = true;
                    continue;
                }
                Parsed::Header => {
                    return Some(Err(invalid(
                        line,
                        &text.text,
                        "not a device token".into(),
                        None,
                    )));
                }
                Parsed::Token { token, rest } => {
                    self.seen_content = true;
                    return Some(Ok(ListedToken {
                        line,
                        token,
                        rest,
                        latin1: text.latin1,
                    }));
                }
                Parsed::Invalid(e) => {
                    self.seen_content = true;
                    return Some(Err(invalid(line, &text.text, e.to_string(), Some(e))));
                }
            }
        }
    }
}

fn invalid(line: u64, text: &str, reason: String, error: Option<TokenError>) -> InvalidLine {
    InvalidLine {
        line,
        text: text.chars().take(200).collect(),
        reason,
        error,
    }
}

enum Parsed {
    Skip,
    Header,
    Token { token: DeviceToken, rest: String },
    Invalid(TokenError),
}

const HEADER_WORDS: [&str; 5] = [
    "token",
    "device_token",
    "devicetoken",
    "device token",
    "device",
];

fn parse_line(line: &str) -> Parsed {
    // Most lines of a big list are one token in plain hex and nothing else: taken as such
    // before the searches below for comments, brackets, separators and header words, which
    // would come to the same token or the same error (hex holds none of them, and no header
    // word is hex). They were a third of reading a list.
    if let Some(bytes) = super::token::plain_hex(line.as_bytes()) {
        return match DeviceToken::from_bytes(bytes) {
            Ok(token) => Parsed::Token {
                token,
                rest: String::new(),
            },
            Err(e) => Parsed::Invalid(e),
        };
    }
    let line = strip_comment(line).trim();
    if line.is_empty() {
        return Parsed::Skip;
    }
    // iOS's own form: `<740f4707 bebcf74f …>`, spaces inside the brackets.
    if let Some(inner) = line.strip_prefix('<')
        && let Some((token, rest)) = inner.split_once('>')
    {
        return match DeviceToken::parse(token) {
            Ok(token) => Parsed::Token {
                token,
                rest: trim_separators(rest),
            },
            Err(e) => Parsed::Invalid(e),
        };
    }
    // The same groups without brackets: only eight-digit hex groups, so a name that happens
    // to be hex ("TOKEN abba") is never glued onto the token.
    if line.contains(' ')
        && line
            .split(' ')
            .all(|g| g.len() == 8 && g.bytes().all(|b| b.is_ascii_hexdigit()))
        && let Ok(token) = DeviceToken::parse(line)
    {
        return Parsed::Token {
            token,
            rest: String::new(),
        };
    }
    let (first, rest) = match line.split_once([',', '\t', ';', ' ']) {
        Some((a, b)) => (a.trim().trim_matches('"'), b),
        None => (line.trim_matches('"'), ""),
    };
    match DeviceToken::parse(first) {
        Ok(token) => Parsed::Token {
            token,
            rest: trim_separators(rest),
        },
        Err(first_error) => {
            if HEADER_WORDS.contains(&first.to_ascii_lowercase().as_str()) {
                return Parsed::Header;
            }
            // `name,TOKEN`: a CSV whose last column is the token.
            if let Some((name, last)) = line.rsplit_once([',', '\t', ';'])
                && let Ok(token) = DeviceToken::parse(last.trim().trim_matches('"'))
            {
                return Parsed::Token {
                    token,
                    rest: trim_separators(name),
                };
            }
            Parsed::Invalid(first_error)
        }
    }
}

/// `#` at the start of a line, or after white space (`TOKEN # note`), starts a comment; inside
/// a word (`Flat#2`) it does not.
fn strip_comment(line: &str) -> &str {
    // Most lines have no `#` at all: one byte search rules the rest out.
    if !line.contains('#') {
        return line;
    }
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => &line[..i],
        None => line,
    }
}

fn trim_separators(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

    fn tokens(entries: &[ListEntry]) -> Vec<(u64, String, String)> {
        entries
            .iter()
            .filter_map(|e| e.as_ref().ok())
            .map(|t| (t.line, t.token.to_hex(), t.rest.clone()))
            .collect()
    }

    #[test]
    fn every_shape_of_line() {
        let b = "bb".repeat(32);
        let text = format!(
            "token,name\n# devices\n\n{A}\n{b} Alice's iPhone\n{A},Bob\nCarol;{b}\n<740f4707 bebcf74f 9b7c25d4 8e335894 5f6aa01d a5ddb387 462c7eaf 61bb78ad> Dave\n{b}\tunregistered com.example # stale\n740f4707 bebcf74f 9b7c25d4 8e335894 5f6aa01d a5ddb387 462c7eaf 61bb78ad\n"
        );
        let got = read_token_list(text.as_bytes());
        assert!(got.iter().all(Result::is_ok), "{got:?}");
        assert_eq!(
            tokens(&got),
            vec![
                (4, A.to_owned(), String::new()),
                (5, b.clone(), "Alice's iPhone".to_owned()),
                (6, A.to_owned(), "Bob".to_owned()),
                (7, b.clone(), "Carol".to_owned()),
                (8, A.to_owned(), "Dave".to_owned()),
                (9, b.clone(), "unregistered com.example".to_owned()),
                (10, A.to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn a_hex_looking_name_is_not_glued_onto_the_token() {
        let got = read_token_list(format!("{A} abba\n").as_bytes());
        assert_eq!(tokens(&got), vec![(1, A.to_owned(), "abba".to_owned())]);
    }

    #[test]
    fn latin1_lines_keep_their_token_and_number() {
        let mut bytes = format!("{A} ok\n").into_bytes();
        bytes.extend_from_slice(format!("{} caf", "bb".repeat(32)).as_bytes());
        bytes.push(0xE9);
        bytes.extend_from_slice(b"\n");
        bytes.extend_from_slice(format!("{} last\n", "cc".repeat(32)).as_bytes());
        let got = read_token_list(&bytes);
        let t = tokens(&got);
        assert_eq!(t.len(), 3);
        assert_eq!(t[1], (2, "bb".repeat(32), "café".to_owned()));
        assert!(got[1].as_ref().unwrap().latin1);
        assert_eq!(t[2].0, 3);
    }

    #[test]
    fn invalid_lines_have_numbers_and_reasons() {
        let got = read_token_list(format!("{A}\nnot-a-token\n\n{}\n", &A[1..]).as_bytes());
        let bad: Vec<_> = got.iter().filter_map(|e| e.as_ref().err()).collect();
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].line, 2);
        assert!(bad[0].reason.contains("hex"), "{}", bad[0].reason);
        assert_eq!(bad[1].line, 4);
        assert!(bad[1].reason.contains("odd"), "{}", bad[1].reason);
    }

    #[test]
    fn a_header_is_skipped_only_on_the_first_line() {
        let got = read_token_list(format!("Token,Name\n{A},x\ntoken,again\n").as_bytes());
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        assert_eq!(got[1].as_ref().unwrap_err().line, 3);
    }

    #[test]
    fn byte_order_marks_and_utf16() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(format!("{A} 门铃\r\n").as_bytes());
        assert_eq!(
            tokens(&read_token_list(&bytes)),
            vec![(1, A.to_owned(), "门铃".to_owned())]
        );
        let mut le = vec![0xFF, 0xFE];
        for u in format!("{A} 门铃\r\n{A}\r\n").encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let got = tokens(&read_token_list(&le));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].2, "门铃");
        assert_eq!(got[1].0, 2);
    }

    /// An endless UTF-16 source (a list of any length): lines come out as it is read. The
    /// whole file used to be read first, up to 512 MiB, and what followed was lost unsaid.
    #[test]
    fn a_utf16_list_is_read_as_it_comes_whatever_its_length() {
        struct Endless {
            line: Vec<u8>,
            at: usize,
            pulled: usize,
        }
        impl std::io::Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let mut n = 0;
                for b in buf.iter_mut() {
                    *b = self.line[self.at % self.line.len()];
                    self.at += 1;
                    n += 1;
                }
                self.pulled += n;
                Ok(n)
            }
        }
        let mut line = Vec::new();
        for u in format!("{A} 门铃\r\n").encode_utf16() {
            line.extend_from_slice(&u.to_le_bytes());
        }
        let mut source = Endless {
            at: 0,
            pulled: 0,
            line: line.clone(),
        };
        let mut bom = std::io::Read::chain(&[0xFF, 0xFE][..], &mut source);
        let got: Vec<ListEntry> = TokenListReader::new(std::io::BufReader::new(&mut bom))
            .take(1000)
            .collect();
        assert_eq!(got.len(), 1000);
        assert!(
            got.iter()
                .all(|e| e.as_ref().is_ok_and(|t| t.rest == "门铃"))
        );
        assert_eq!(got[999].as_ref().map(|t| t.line), Ok(1000));
        assert!(
            source.pulled < 1 << 20,
            "read {} bytes for 1,000 lines",
            source.pulled
        );
    }

    #[test]
    fn a_line_without_end_is_bounded() {
        let mut bytes = vec![b'a'; MAX_LINE_BYTES * 3];
        bytes.push(b'\n');
        bytes.extend_from_slice(A.as_bytes());
        let got = read_token_list(&bytes);
        assert_eq!(got.len(), 2);
        assert!(got[0].as_ref().unwrap_err().reason.contains("longer"));
        assert_eq!(got[1].as_ref().unwrap().line, 2);
    }

    /// A read that fails midway (a directory, a disk error) is a reported line, not a
    /// silent end of the list.
    #[test]
    fn a_failed_read_is_reported_not_swallowed() {
        struct Failing(std::io::Cursor<Vec<u8>>);
        impl std::io::Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.read(buf)? {
                    0 => Err(std::io::Error::other("disk error")),
                    n => Ok(n),
                }
            }
        }
        let reader = std::io::BufReader::new(Failing(std::io::Cursor::new(
            format!("{A}\n{A}").into_bytes(),
        )));
        let got: Vec<_> = TokenListReader::new(reader).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].is_ok());
        let bad = got[1].as_ref().unwrap_err();
        assert!(bad.reason.contains("disk error"), "{bad:?}");
        let dir = tempfile::tempdir().unwrap();
        let file = std::fs::File::open(dir.path()).unwrap();
        let got: Vec<_> = TokenListReader::new(std::io::BufReader::new(file)).collect();
        assert_eq!(got.len(), 1);
        assert!(
            got[0]
                .as_ref()
                .unwrap_err()
                .reason
                .contains("could not read")
        );
    }

    #[test]
    fn a_line_of_plain_hex_reads_as_the_long_way_reads_it() {
        fn said(p: Parsed) -> String {
            match p {
                Parsed::Skip => "skip".to_owned(),
                Parsed::Header => "header".to_owned(),
                Parsed::Token { token, rest } => format!("{} {rest}", token.to_hex()),
                Parsed::Invalid(e) => format!("invalid: {e}"),
            }
        }
        for word in HEADER_WORDS {
            assert!(crate::apns::token::plain_hex(word.as_bytes()).is_none());
        }
        let lines = [
            A.to_owned(),
            A.to_uppercase(),
            "ab".repeat(7),
            "ab".repeat(8),
            "ab".repeat(100),
            "ab".repeat(101),
            "abc".to_owned(),
            "00".to_owned(),
        ];
        for line in lines {
            // A trailing space takes the line the long way, through every search.
            assert_eq!(
                said(parse_line(&line)),
                said(parse_line(&format!("{line} "))),
                "{line}"
            );
        }
    }
}
