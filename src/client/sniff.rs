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

use crate::h2_frames::{FrameSplitter, GOAWAY, Piece};

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

pub struct Sniff<S> {
    inner: S,
    heard: Arc<Heard>,
    frames: FrameSplitter,
    /// The payload of the GOAWAY being read (its first bytes), while one is.
    goaway: Option<Vec<u8>>,
}

impl<S> Sniff<S> {
    pub fn new(inner: S, heard: Arc<Heard>) -> Self {
        Sniff {
            inner,
            heard,
            frames: FrameSplitter::default(),
            goaway: None,
        }
    }

    /// Follows the frames in `data`, keeping a GOAWAY's error code and debug data.
    fn consume(&mut self, data: &[u8]) {
        let (goaway, heard) = (&mut self.goaway, &self.heard);
        self.frames.feed(data, |piece| match piece {
            Piece::Header(header, _) => {
                *goaway = (header[3] == GOAWAY).then(Vec::new);
            }
            Piece::Payload(bytes) => {
                if let Some(payload) = goaway {
                    let room = (8 + MAX_DEBUG).saturating_sub(payload.len());
                    payload.extend_from_slice(&bytes[..bytes.len().min(room)]);
                }
            }
            Piece::End => {
                if let Some(payload) = goaway.take()
                    && payload.len() >= 8
                    && let Ok(mut slot) = heard.goaway.lock()
                {
                    let code = u32::from_be_bytes([payload[4], payload[5], payload[6], payload[7]]);
                    *slot = Some(GoAwayFrame {
                        error_code: code,
                        debug: payload[8..].to_vec(),
                    });
                }
            }
        });
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
