//! APNs puts a JSON reason in the debug data of its GOAWAY frames (`{"reason":"Shutdown"}`);
//! the `h2` crate sends GOAWAY without debug data and offers no way to add it. This stream
//! wrapper follows the server's outgoing frames and adds the reason to each GOAWAY.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::h2_frames::{FRAME_HEADER, FrameSplitter, GOAWAY, Piece, with_length};

/// The reason to put into the next GOAWAY frames; shared with the connection task.
pub type GoAwayReason = Arc<Mutex<Option<&'static str>>>;

pub struct GoAwayWriter<S> {
    inner: Pin<Box<S>>,
    reason: GoAwayReason,
    out: Vec<u8>,
    out_pos: usize,
    frames: FrameSplitter,
    /// The GOAWAY being written (its header and payload so far), held until it ends.
    goaway: Option<([u8; FRAME_HEADER], Vec<u8>)>,
}

impl<S> GoAwayWriter<S> {
    pub fn new(inner: S, reason: GoAwayReason) -> Self {
        GoAwayWriter {
            inner: Box::pin(inner),
            reason,
            out: Vec::with_capacity(16 * 1024),
            out_pos: 0,
            frames: FrameSplitter::default(),
            goaway: None,
        }
    }

    /// Copies the frames in `data` to the output, holding each GOAWAY until it ends and then
    /// writing it with the reason added to its debug data.
    fn consume(&mut self, data: &[u8]) {
        let (out, goaway, reason) = (&mut self.out, &mut self.goaway, &self.reason);
        self.frames.feed(data, |piece| match piece {
            Piece::Header(header, len) if header[3] == GOAWAY => {
                *goaway = Some((header, Vec::with_capacity(len)));
            }
            Piece::Header(header, _) => out.extend_from_slice(&header),
            Piece::Payload(bytes) => match goaway {
                Some((_, payload)) => payload.extend_from_slice(bytes),
                None => out.extend_from_slice(bytes),
            },
            Piece::End => {
                let Some((mut header, mut payload)) = goaway.take() else {
                    return;
                };
                let reason = reason.lock().ok().and_then(|r| *r);
                if let Some(reason) = reason
                    && payload.len() == 8
                {
                    payload.extend_from_slice(format!("{{\"reason\":\"{reason}\"}}").as_bytes());
                    header = with_length(header, payload.len());
                }
                out.extend_from_slice(&header);
                out.extend_from_slice(&payload);
            }
        });
    }
}

impl<S: AsyncWrite> GoAwayWriter<S> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.out_pos < self.out.len() {
            let pos = self.out_pos;
            match self.inner.as_mut().poll_write(cx, &self.out[pos..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => self.out_pos += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        self.out.clear();
        self.out_pos = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead> AsyncRead for GoAwayWriter<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_mut().inner.as_mut().poll_read(cx, buf)
    }
}

impl<S: AsyncWrite> AsyncWrite for GoAwayWriter<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Keep the buffer bounded: take new bytes only once the old ones are out.
        if this.out.len() - this.out_pos > 64 * 1024 {
            match this.drain(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        this.consume(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.drain(cx) {
            Poll::Ready(Ok(())) => this.inner.as_mut().poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.drain(cx) {
            Poll::Ready(Ok(())) => this.inner.as_mut().poll_shutdown(cx),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt as _;

    fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
        let len = payload.len();
        let mut f = vec![
            (len >> 16) as u8,
            (len >> 8) as u8,
            len as u8,
            kind,
            0,
            0,
            0,
            0,
            0,
        ];
        f.extend_from_slice(payload);
        f
    }

    #[tokio::test]
    async fn adds_the_reason_to_goaway_only() {
        let reason: GoAwayReason = Arc::new(Mutex::new(Some("Shutdown")));
        let mut w = GoAwayWriter::new(Vec::new(), reason);
        let settings = frame(0x4, &[0, 3, 0, 0, 0, 100]);
        let goaway = frame(GOAWAY, &[0, 0, 0, 5, 0, 0, 0, 0]);
        let mut all = settings.clone();
        all.extend(&goaway);
        // Written in awkward pieces, as a stream may split it.
        for chunk in all.chunks(5) {
            w.write_all(chunk).await.unwrap();
        }
        w.flush().await.unwrap();
        let out = w.inner.as_ref().get_ref().clone();
        assert_eq!(&out[..settings.len()], &settings[..]);
        let g = &out[settings.len()..];
        let debug = br#"{"reason":"Shutdown"}"#;
        assert_eq!(usize::from(g[2]), 8 + debug.len());
        assert_eq!(g[3], GOAWAY);
        assert_eq!(&g[9..17], &[0, 0, 0, 5, 0, 0, 0, 0]);
        assert_eq!(&g[17..], debug);
    }
}
