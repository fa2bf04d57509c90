//! Bytes into numbered, decoded lines, the way every list pushlab reads counts them: token
//! lists and the JSON Lines payload files paired with them by line number.
//!
//! Each line is UTF-8 if it decodes as such, else Latin-1 (which decodes every byte, so a list
//! exported from a database with mixed encodings loses neither a line nor its number). A UTF-8
//! byte-order mark is skipped, and input starting with a UTF-16 one is transcoded as it is read. A
//! line is at most [`MAX_LINE_BYTES`], and input with no line end at all is given up after
//! [`MAX_SKIPPED_BYTES`], so neither a huge line nor `/dev/zero` can fill memory.

use std::io::BufRead;

use super::utf16::Utf16Reader;

/// Longest line read; the rest of a longer one is skipped and the line reported invalid, so a
/// file with no newlines cannot fill memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

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
    Transcoded(Utf16Reader<R>),
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

    /// Looks at the start once: a UTF-16 file is transcoded to UTF-8 as it is read, a UTF-8
    /// mark is dropped.
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
                r.consume(2);
                Source::Transcoded(Utf16Reader::new(r, big_endian))
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

    #[test]
    fn payload_lines_pair_by_number() {
        let mut p = LinesByNumber::new(&b"{\"a\":1}\n\xff\n{\"c\":3}\n\n{\"e\":5}\n"[..]);
        assert_eq!(p.line(1).unwrap().unwrap().text, "{\"a\":1}");
        assert!(p.line(2).unwrap().unwrap().latin1);
        assert_eq!(p.line(3).unwrap().unwrap().text, "{\"c\":3}");
        assert_eq!(p.count_non_blank_after(3), 1);
        assert!(p.line(9).is_none());
    }
}
