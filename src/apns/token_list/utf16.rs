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

    /// Decodes the next read of the input into `out` with the standard library's UTF-16
    /// decoder; a high surrogate last in the read waits for the next one, which may hold its
    /// other half. At the end, what is left half-read becomes U+FFFD.
    fn decode_more(&mut self) -> io::Result<()> {
        let chunk = loop {
            match self.inner.fill_buf() {
                Ok(c) => break c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        let take = chunk.len().min(CHUNK);
        let mut units: Vec<u16> = self.high.take().into_iter().collect();
        for &b in &chunk[..take] {
            match self.odd.take() {
                Some(a) if self.big_endian => units.push(u16::from_be_bytes([a, b])),
                Some(a) => units.push(u16::from_le_bytes([a, b])),
                None => self.odd = Some(b),
            }
        }
        self.inner.consume(take);
        self.ended = take == 0;
        if !self.ended && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            self.high = units.pop();
        }
        let mut utf8 = [0u8; 4];
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            self.out
                .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
        if self.ended && self.odd.take().is_some() {
            self.out.extend_from_slice(
                char::REPLACEMENT_CHARACTER
                    .encode_utf8(&mut utf8)
                    .as_bytes(),
            );
        }
        Ok(())
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
