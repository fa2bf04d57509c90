//! HTTP/2 frames followed in a byte stream, for the two places that look at frames `h2` does
//! not show: the client reading a server's GOAWAY debug data (`client::sniff`) and the
//! simulator adding APNs's reason to its own GOAWAY frames (`sim::goaway`). Bytes arrive in
//! pieces of any size; the splitter says where each frame's header and payload are.

/// An HTTP/2 frame header's length (RFC 9113 §4.1).
pub const FRAME_HEADER: usize = 9;
/// The GOAWAY frame type.
pub const GOAWAY: u8 = 0x7;

/// What the bytes fed so far hold, in order.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A frame's whole header, and its payload length.
    Header([u8; FRAME_HEADER], usize),
    /// Part of the current frame's payload.
    Payload(&'a [u8]),
    /// The current frame has ended (after its header, for an empty payload).
    End,
}

/// Follows frame boundaries across reads.
#[derive(Debug)]
pub struct FrameSplitter {
    header: [u8; FRAME_HEADER],
    have: usize,
    /// Payload bytes still to come for the current frame; `None` while reading a header.
    remaining: Option<usize>,
}

impl Default for FrameSplitter {
    fn default() -> Self {
        FrameSplitter {
            header: [0; FRAME_HEADER],
            have: 0,
            remaining: None,
        }
    }
}

impl FrameSplitter {
    /// Hands the pieces of `data` to `each`, in order.
    pub fn feed<'a>(&mut self, mut data: &'a [u8], mut each: impl FnMut(Piece<'a>)) {
        while !data.is_empty() {
            match self.remaining {
                None => {
                    let take = (FRAME_HEADER - self.have).min(data.len());
                    self.header[self.have..self.have + take].copy_from_slice(&data[..take]);
                    self.have += take;
                    data = &data[take..];
                    if self.have == FRAME_HEADER {
                        let h = self.header;
                        let len = (usize::from(h[0]) << 16)
                            | (usize::from(h[1]) << 8)
                            | usize::from(h[2]);
                        self.have = 0;
                        each(Piece::Header(h, len));
                        if len == 0 {
                            each(Piece::End);
                        } else {
                            self.remaining = Some(len);
                        }
                    }
                }
                Some(remaining) => {
                    let take = remaining.min(data.len());
                    each(Piece::Payload(&data[..take]));
                    data = &data[take..];
                    if remaining == take {
                        self.remaining = None;
                        each(Piece::End);
                    } else {
                        self.remaining = Some(remaining - take);
                    }
                }
            }
        }
    }
}

/// A frame header with `len` written into its length field.
pub fn with_length(mut header: [u8; FRAME_HEADER], len: usize) -> [u8; FRAME_HEADER] {
    header[0] = (len >> 16) as u8;
    header[1] = (len >> 8) as u8;
    header[2] = len as u8;
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SETTINGS frame with 6 bytes, an empty PING-like frame, and a GOAWAY with 8.
    fn frames() -> Vec<u8> {
        let mut v = vec![0, 0, 6, 0x4, 0, 0, 0, 0, 0];
        v.extend([1, 2, 3, 4, 5, 6]);
        v.extend([0, 0, 0, 0x6, 0, 0, 0, 0, 0]);
        v.extend([0, 0, 8, GOAWAY, 0, 0, 0, 0, 0]);
        v.extend([0, 0, 0, 1, 0, 0, 0, 0]);
        v
    }

    /// (type, payload) of every frame, however the bytes were cut.
    fn split(bytes: &[u8], chunk: usize) -> Vec<(u8, Vec<u8>)> {
        let mut s = FrameSplitter::default();
        let mut out: Vec<(u8, Vec<u8>)> = Vec::new();
        let mut current: Option<(u8, Vec<u8>)> = None;
        for piece in bytes.chunks(chunk) {
            s.feed(piece, |p| match p {
                Piece::Header(h, len) => {
                    assert!(current.is_none());
                    current = Some((h[3], Vec::with_capacity(len)));
                }
                Piece::Payload(b) => current.as_mut().unwrap().1.extend_from_slice(b),
                Piece::End => out.push(current.take().unwrap()),
            });
        }
        assert!(current.is_none(), "every frame ended");
        out
    }

    #[test]
    fn frames_are_found_however_the_bytes_are_cut() {
        let whole = split(&frames(), usize::MAX);
        assert_eq!(
            whole,
            vec![
                (0x4, vec![1, 2, 3, 4, 5, 6]),
                (0x6, vec![]),
                (GOAWAY, vec![0, 0, 0, 1, 0, 0, 0, 0]),
            ]
        );
        for chunk in 1..=frames().len() {
            assert_eq!(split(&frames(), chunk), whole, "cut every {chunk} bytes");
        }
    }

    #[test]
    fn a_length_is_written_back_into_a_header() {
        let h = with_length([0, 0, 8, GOAWAY, 0, 0, 0, 0, 0], 0x01_02_03);
        assert_eq!(&h[..4], &[1, 2, 3, GOAWAY]);
    }
}
