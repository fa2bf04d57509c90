//! What the server said while the HTTP/2 connection was being set up, kept for the error:
//! `h2` reports a GOAWAY with NO_ERROR as a clean end (its debug data, APNs's
//! `{"reason":"Shutdown"}`, is dropped), and a ping on a connection that is gone fails with
//! its own "broken pipe". So the first frames the server sends are read here for a GOAWAY,
//! and a write that fails because the server hung up reads once more for the TLS alert it
//! may have sent first (with TLS 1.3, the verdict on the client certificate).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// HTTP/2 frame header length, and the GOAWAY frame type.
const FRAME_HEADER: usize = 9;
const GOAWAY: u8 = 0x7;
/// The most of a GOAWAY's debug data kept: APNs's are a few dozen bytes.
const MAX_DEBUG: usize = 256;

/// A GOAWAY the server sent: its error code and debug data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoAwayFrame {
    pub error_code: u32,
    pub debug: Vec<u8>,
}

impl GoAwayFrame {
    /// The error code's name (RFC 9113 §7).
    pub fn code_name(&self) -> String {
        match h2::Reason::from(self.error_code) {
            r if self.error_code <= 0xd => format!("{r:?}"),
            _ => format!("{:#x}", self.error_code),
        }
    }

    /// APNs's reason in the debug data (`{"reason":"Shutdown"}`), else the debug data as text.
    pub fn reason(&self) -> Option<String> {
        if self.debug.is_empty() {
            return None;
        }
        let json: Option<serde_json::Value> = serde_json::from_slice(&self.debug).ok();
        Some(
            json.as_ref()
                .and_then(|j| j.get("reason"))
                .and_then(|r| r.as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| String::from_utf8_lossy(&self.debug).into_owned()),
        )
    }
}

/// What was seen, shared with the code that opens the connection.
#[derive(Debug, Default)]
pub struct Heard {
    pub goaway: Mutex<Option<GoAwayFrame>>,
    /// Set once the connection is up: from then on nothing is read twice.
    pub done: AtomicBool,
}

enum Parse {
    Header {
        buf: [u8; FRAME_HEADER],
        have: usize,
    },
    Skip {
        remaining: usize,
    },
    GoAway {
        payload: Vec<u8>,
        remaining: usize,
    },
}

pub struct Sniff<S> {
    inner: S,
    heard: Arc<Heard>,
    parse: Parse,
}

impl<S> Sniff<S> {
    pub fn new(inner: S, heard: Arc<Heard>) -> Self {
        Sniff {
            inner,
            heard,
            parse: Parse::Header {
                buf: [0; FRAME_HEADER],
                have: 0,
            },
        }
    }

    fn consume(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            match &mut self.parse {
                Parse::Header { buf, have } => {
                    let take = (FRAME_HEADER - *have).min(data.len());
                    buf[*have..*have + take].copy_from_slice(&data[..take]);
                    *have += take;
                    data = &data[take..];
                    if *have == FRAME_HEADER {
                        let len = usize::from(buf[0]) << 16
                            | usize::from(buf[1]) << 8
                            | usize::from(buf[2]);
                        self.parse = if buf[3] == GOAWAY {
                            Parse::GoAway {
                                payload: Vec::new(),
                                remaining: len,
                            }
                        } else {
                            Parse::Skip { remaining: len }
                        };
                        self.frame_end();
                    }
                }
                Parse::Skip { remaining } => {
                    let take = (*remaining).min(data.len());
                    *remaining -= take;
                    data = &data[take..];
                    self.frame_end();
                }
                Parse::GoAway { payload, remaining } => {
                    let take = (*remaining).min(data.len());
                    let room = (8 + MAX_DEBUG).saturating_sub(payload.len());
                    payload.extend_from_slice(&data[..take.min(room)]);
                    *remaining -= take;
                    data = &data[take..];
                    self.frame_end();
                }
            }
        }
    }

    /// At a frame's end: keep a GOAWAY, and start on the next header.
    fn frame_end(&mut self) {
        let finished = match &self.parse {
            Parse::Skip { remaining } | Parse::GoAway { remaining, .. } => *remaining == 0,
            Parse::Header { .. } => false,
        };
        if !finished {
            return;
        }
        if let Parse::GoAway { payload, .. } = &self.parse
            && payload.len() >= 8
            && let Ok(mut slot) = self.heard.goaway.lock()
        {
            let error_code = u32::from_be_bytes([payload[4], payload[5], payload[6], payload[7]]);
            *slot = Some(GoAwayFrame {
                error_code,
                debug: payload[8..].to_vec(),
            });
        }
        self.parse = Parse::Header {
            buf: [0; FRAME_HEADER],
            have: 0,
        };
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Sniff<S> {
    /// A write failed because the server hung up: what it said before, if a read can still
    /// get it (a TLS alert), instead of the bare "broken pipe".
    fn why_hung_up(&mut self, cx: &mut Context<'_>, e: io::Error) -> io::Error {
        let hung_up = matches!(
            e.kind(),
            io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
        );
        if !hung_up || self.heard.done.load(Ordering::Relaxed) {
            return e;
        }
        let mut scratch = [0u8; 512];
        let mut buf = ReadBuf::new(&mut scratch);
        match Pin::new(&mut self.inner).poll_read(cx, &mut buf) {
            Poll::Ready(Err(read)) if super::TlsAlert::of_io(&read).is_some() => read,
            _ => e,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Sniff<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if !self.heard.done.load(Ordering::Relaxed) && buf.filled().len() > before {
            let new = buf.filled()[before..].to_vec();
            self.consume(&new);
        }
        r
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Sniff<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(self.why_hung_up(cx, e))),
            other => other,
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(self.why_hung_up(cx, e))),
            other => other,
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(self.why_hung_up(cx, e))),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goaway_among_the_first_frames_is_kept_with_its_reason() {
        let heard = Arc::new(Heard::default());
        let mut s = Sniff::new((), heard.clone());
        let debug = br#"{"reason":"Shutdown"}"#;
        let mut bytes = vec![0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100]; // SETTINGS
        bytes.extend_from_slice(&[0, 0, 8 + debug.len() as u8, GOAWAY, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0]);
        bytes.extend_from_slice(debug);
        // Byte by byte, as the network may deliver it.
        for b in &bytes {
            s.consume(std::slice::from_ref(b));
        }
        let frame = heard.goaway.lock().unwrap().clone().unwrap();
        assert_eq!(frame.code_name(), "NO_ERROR");
        assert_eq!(frame.reason().as_deref(), Some("Shutdown"));
    }
}
