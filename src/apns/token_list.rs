//! The one reader of token lists: the CLI's `--tokens`, the app's imported and pasted lists,
//! the legacy sender and the simulator's registry all read lines through it, so a line means
//! the same thing everywhere and every line that is not a token gets its number and a reason.
//!
//! Bytes go in, not text: a list exported from a database may mix encodings, and one line in
//! Latin-1 must not make the reader drop it or lose count. Each line is UTF-8 if it decodes as
//! such, else Latin-1 (which decodes every byte, so nothing is lost; the record says so). A
//! UTF-8 byte-order mark is skipped, and a file starting with a UTF-16 one (Windows Notepad's
//! "Unicode") is transcoded first.
//!
//! A line is a token and, after a separator, the rest: `TOKEN`, `TOKEN name`, `TOKEN,name`,
//! `TOKEN<TAB>state topic`, `name,TOKEN` (CSV with the name first), or the token as iOS logs
//! it, `<740f4707 bebcf74f …> name`. Blank lines, lines starting with `#` (and the rest of a
//! line after ` #`) and a first line that is a CSV header (`token,name`) are skipped.

use std::io::{BufRead, Read as _};

use super::{DeviceToken, TokenError};

/// Longest line read; the rest of a longer one is skipped and the line reported invalid, so a
/// file with no newlines cannot fill memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

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

/// A line of text from a list, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineText {
    /// The line without its line ending.
    pub text: String,
    /// Not UTF-8: read as Latin-1.
    pub latin1: bool,
}

/// A numbered line, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberedLine {
    /// 1-based.
    pub number: u64,
    /// The line, or why it could not be read (too long, a read error).
    pub content: Result<LineText, String>,
}

/// Splits bytes into numbered, decoded lines (`\n`, `\r\n` or `\r`… the last only as `\r\n`),
/// each at most [`MAX_LINE_BYTES`]. Shared by token lists and JSON Lines payload files so both
/// count lines the same way.
pub struct LineReader<R> {
    reader: Source<R>,
    number: u64,
    buf: Vec<u8>,
    done: bool,
}

enum Source<R> {
    Undecided(R),
    Bytes(R),
    Transcoded(std::io::Cursor<Vec<u8>>),
    Failed(String),
    Empty,
}

impl<R: BufRead> LineReader<R> {
    /// A reader from the first line; input that starts with a UTF-16 byte order mark is
    /// transcoded, a UTF-8 one dropped.
    pub fn new(reader: R) -> Self {
        LineReader {
            reader: Source::Undecided(reader),
            number: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Looks at the start once: a UTF-16 file is transcoded to UTF-8 in memory (such files
    /// come from Windows editors and are small enough), a UTF-8 mark is dropped.
    fn decide(&mut self) {
        if !matches!(self.reader, Source::Undecided(_)) {
            return;
        }
        let Source::Undecided(mut r) = std::mem::replace(&mut self.reader, Source::Empty) else {
            return;
        };
        let head = match r.fill_buf() {
            Ok(h) => h,
            Err(e) => {
                self.reader = Source::Failed(e.to_string());
                return;
            }
        };
        let utf16 = match head {
            [0xFF, 0xFE, ..] => Some(false),
            [0xFE, 0xFF, ..] => Some(true),
            _ => None,
        };
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            r.consume(3);
        }
        self.reader = match utf16 {
            None => Source::Bytes(r),
            Some(big_endian) => {
                let mut all = Vec::new();
                match r.take(512 << 20).read_to_end(&mut all) {
                    Ok(_) => Source::Transcoded(std::io::Cursor::new(utf16_to_utf8(
                        &all[2..],
                        big_endian,
                    ))),
                    Err(e) => Source::Failed(e.to_string()),
                }
            }
        };
    }

    fn read_raw(&mut self) -> Option<Result<(), String>> {
        self.buf.clear();
        let result = match &mut self.reader {
            Source::Bytes(r) => read_capped_line(r, &mut self.buf),
            Source::Transcoded(r) => read_capped_line(r, &mut self.buf),
            Source::Failed(e) => {
                let e = std::mem::take(e);
                self.reader = Source::Empty;
                return Some(Err(format!("could not read the input: {e}")));
            }
            Source::Undecided(_) | Source::Empty => return None,
        };
        match result {
            Ok(0) => None,
            Ok(_) => Some(Ok(())),
            Err(LineError::TooLong) => Some(Err(format!(
                "longer than {} KiB: not a token line (is this the right file?)",
                MAX_LINE_BYTES / 1024
            ))),
            Err(LineError::Endless) => {
                self.reader = Source::Empty;
                Some(Err(format!(
                    "no line end in {} MiB: this is not a list of lines (is this the right file?) — nothing after it was read",
                    MAX_SKIPPED_BYTES >> 20
                )))
            }
            // Nothing after a failed read can be trusted: say so on this line, then stop.
            Err(LineError::Read(e)) => {
                self.reader = Source::Empty;
                Some(Err(format!(
                    "could not read the rest of the input: {e} — nothing after this line was read"
                )))
            }
        }
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = NumberedLine;

    fn next(&mut self) -> Option<NumberedLine> {
        if self.done {
            return None;
        }
        self.decide();
        let Some(read) = self.read_raw() else {
            self.done = true;
            return None;
        };
        self.number += 1;
        let content = read.map(|()| {
            let mut bytes: &[u8] = &self.buf;
            if let Some(b) = bytes.strip_suffix(b"\n") {
                bytes = b;
            }
            if let Some(b) = bytes.strip_suffix(b"\r") {
                bytes = b;
            }
            match std::str::from_utf8(bytes) {
                Ok(text) => LineText {
                    text: text.to_owned(),
                    latin1: false,
                },
                Err(_) => LineText {
                    text: bytes.iter().map(|&b| char::from(b)).collect(),
                    latin1: true,
                },
            }
        });
        Some(NumberedLine {
            number: self.number,
            content,
        })
    }
}

enum LineError {
    TooLong,
    /// No line end in [`MAX_SKIPPED_BYTES`]: not a list of lines at all (`/dev/zero`, a
    /// binary file); reading further would never end.
    Endless,
    Read(std::io::Error),
}

/// The most of one overlong line skipped in search of its end before the input is given up.
pub const MAX_SKIPPED_BYTES: usize = 16 << 20;

/// Reads up to and including `\n`, keeping at most [`MAX_LINE_BYTES`]; a longer line is read
/// to its end and dropped. Returns the bytes consumed.
fn read_capped_line<R: BufRead>(r: &mut R, out: &mut Vec<u8>) -> Result<usize, LineError> {
    let mut consumed = 0usize;
    let mut too_long = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(LineError::Read(e)),
        };
        if chunk.is_empty() {
            break;
        }
        let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if out.len() + take > MAX_LINE_BYTES + 2 {
                too_long = true;
                out.clear();
            } else {
                out.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        consumed += take;
        if end {
            break;
        }
        if consumed > MAX_SKIPPED_BYTES {
            return Err(LineError::Endless);
        }
    }
    if too_long {
        Err(LineError::TooLong)
    } else {
        Ok(consumed)
    }
}

fn utf16_to_utf8(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}

/// The lines of a second file (JSON Lines payloads) fetched by line number, so pairing with
/// a token list follows the numbers and cannot drift when a line of either is skipped or bad.
pub struct LinesByNumber<R> {
    lines: LineReader<R>,
    current: Option<NumberedLine>,
}

impl<R: BufRead> LinesByNumber<R> {
    /// Lines of this input, none fetched yet.
    pub fn new(reader: R) -> Self {
        LinesByNumber {
            lines: LineReader::new(reader),
            current: None,
        }
    }

    /// Line `number` (1-based), or `None` past the end; numbers must not go down.
    pub fn line(&mut self, number: u64) -> Option<Result<LineText, String>> {
        loop {
            match &self.current {
                Some(l) if l.number == number => return Some(l.content.clone()),
                Some(l) if l.number > number => return None,
                _ => {}
            }
            self.current = Some(self.lines.next()?);
        }
    }

    /// Lines after `number` that hold anything but white space (payloads with no token).
    pub fn count_non_blank_after(&mut self, number: u64) -> u64 {
        let mut extra = 0;
        if let Some(l) = &self.current
            && l.number > number
            && l.content.as_ref().is_ok_and(|t| !t.text.trim().is_empty())
        {
            extra += 1;
        }
        for l in self.lines.by_ref() {
            if l.number > number && l.content.as_ref().is_ok_and(|t| !t.text.trim().is_empty()) {
                extra += 1;
            }
        }
        extra
    }
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
    fn payload_lines_pair_by_number() {
        let mut p = LinesByNumber::new(&b"{\"a\":1}\n\xff\n{\"c\":3}\n\n{\"e\":5}\n"[..]);
        assert_eq!(p.line(1).unwrap().unwrap().text, "{\"a\":1}");
        assert!(p.line(2).unwrap().unwrap().latin1);
        assert_eq!(p.line(3).unwrap().unwrap().text, "{\"c\":3}");
        assert_eq!(p.count_non_blank_after(3), 1);
        assert!(p.line(9).is_none());
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
