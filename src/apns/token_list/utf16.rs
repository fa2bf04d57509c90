//! UTF-16 input (Windows Notepad's "Unicode") read as UTF-8, a chunk at a time.
//!
//! The whole file used to be read into memory and transcoded, up to 512 MiB: a longer list
//! lost its end without a word. Transcoding as it is read keeps memory bounded at any size
//! and loses nothing: a code unit split across two reads is joined, a lone surrogate or an odd
//! last byte becomes U+FFFD where it was, so the line that held it is still counted and shown.

use std::io::{self, BufRead, Read};

/// Bytes of UTF-16 read at once.
const CHUNK: usize = 64 * 1024;

/// A [`BufRead`] of UTF-8 over a [`BufRead`] of UTF-16 (its byte order mark already taken).
pub struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// UTF-8 decoded and not yet consumed: `out[pos..]`.
    out: Vec<u8>,
    pos: usize,
    /// The first byte of a code unit whose second byte is in the next read.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    ended: bool,
}

impl<R: BufRead> Utf16Reader<R> {
    pub fn new(inner: R, big_endian: bool) -> Self {
        Utf16Reader {
            inner,
            big_endian,
            out: Vec::with_capacity(CHUNK),
            pos: 0,
            odd: None,
            high: None,
            ended: false,
        }
    }

    /// Decodes the next read of the input into `out`; at the end, what is left half-read.
    fn decode_more(&mut self) -> io::Result<()> {
        let chunk = loop {
            match self.inner.fill_buf() {
                Ok(c) => break c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        let mut text = Text {
            out: &mut self.out,
            high: &mut self.high,
        };
        if chunk.is_empty() {
            self.ended = true;
            if text.high.take().is_some() {
                text.push(char::REPLACEMENT_CHARACTER);
            }
            if self.odd.take().is_some() {
                text.push(char::REPLACEMENT_CHARACTER);
            }
            return Ok(());
        }
        let take = chunk.len().min(CHUNK);
        let join = |a: u8, b: u8| {
            if self.big_endian {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            }
        };
        let mut rest = &chunk[..take];
        if let Some(first) = self.odd.take()
            && let Some((&second, tail)) = rest.split_first()
        {
            text.unit(join(first, second));
            rest = tail;
        }
        let mut pairs = rest.chunks_exact(2);
        for p in &mut pairs {
            text.unit(join(p[0], p[1]));
        }
        self.odd = pairs.remainder().first().copied();
        self.inner.consume(take);
        Ok(())
    }
}

/// Where decoded text goes, and the surrogate that may be waiting for its other half.
struct Text<'a> {
    out: &'a mut Vec<u8>,
    high: &'a mut Option<u16>,
}

impl Text<'_> {
    fn push(&mut self, c: char) {
        let mut utf8 = [0u8; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }

    fn unit(&mut self, unit: u16) {
        if let Some(high) = self.high.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                self.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                return;
            }
            // A high surrogate not followed by a low one stands alone.
            self.push(char::REPLACEMENT_CHARACTER);
        }
        match unit {
            0xD800..0xDC00 => *self.high = Some(unit),
            0xDC00..0xE000 => self.push(char::REPLACEMENT_CHARACTER),
            _ => self.push(char::from_u32(u32::from(unit)).unwrap_or_default()),
        }
    }
}

impl<R: BufRead> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Utf16Reader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.out.len() && !self.ended {
            self.out.clear();
            self.pos = 0;
            self.decode_more()?;
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &[u16], big_endian: bool) -> Vec<u8> {
        text.iter()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    /// What the standard library makes of the same units, lone surrogates as U+FFFD.
    fn reference(units: &[u16]) -> String {
        char::decode_utf16(units.iter().copied())
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    }

    fn read_all(r: impl BufRead) -> String {
        let mut s = String::new();
        Utf16Reader::new(r, false).read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn decodes_as_the_standard_library_does_however_the_input_is_split() {
        let text = "门铃 🔔 abc\r\n\u{FEFF}x\n";
        let mut units: Vec<u16> = text.encode_utf16().collect();
        units.extend_from_slice(&[0xD800, 0x41, 0xDC00, 0xD83D]);
        let bytes = encode(&units, false);
        for capacity in [1, 2, 3, 7, 4096] {
            let got = read_all(std::io::BufReader::with_capacity(capacity, &bytes[..]));
            assert_eq!(got, reference(&units), "read {capacity} bytes at a time");
        }
        let mut big = String::new();
        Utf16Reader::new(&encode(&units, true)[..], true)
            .read_to_string(&mut big)
            .unwrap();
        assert_eq!(big, reference(&units));
    }

    #[test]
    fn an_odd_last_byte_is_a_replacement_character_not_nothing() {
        let mut bytes = encode(&"ab".encode_utf16().collect::<Vec<_>>(), false);
        bytes.push(0x41);
        assert_eq!(read_all(&bytes[..]), "ab\u{FFFD}");
    }
}
