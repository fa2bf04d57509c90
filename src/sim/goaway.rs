//! APNs puts a JSON reason in the debug data of its GOAWAY frames (`{"reason":"Shutdown"}`);
//! the `h2` crate sends GOAWAY without debug data and offers no way to add it. This stream
//! wrapper follows the server's outgoing frames and adds the reason to each GOAWAY.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const FRAME_HEADER: usize = 9;
const GOAWAY: u8 = 0x7;

enum Parse {
    Header {
        buf: [u8; FRAME_HEADER],
        have: usize,
    },
    Payload {
        remaining: usize,
    },
    GoAway {
        header: [u8; FRAME_HEADER],
        payload: Vec<u8>,
        remaining: usize,
    },
}

/// The reason to put into the next GOAWAY frames; shared with the connection task.
pub type GoAwayReason = Arc<Mutex<Option<&'static str>>>;

pub struct GoAwayWriter<S> {
    inner: Pin<Box<S>>,
    reason: GoAwayReason,
    out: Vec<u8>,
    out_pos: usize,
    parse: Parse,
}

impl<S> GoAwayWriter<S> {
    pub fn new(inner: S, reason: GoAwayReason) -> Self {
        GoAwayWriter {
            inner: Box::pin(inner),
            reason,
            out: Vec::with_capacity(16 * 1024),
            out_pos: 0,
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
                        let len = (usize::from(buf[0]) << 16)
                            | (usize::from(buf[1]) << 8)
                            | usize::from(buf[2]);
                        let header = *buf;
                        if header[3] == GOAWAY {
                            self.parse = Parse::GoAway {
                                header,
                                payload: Vec::with_capacity(len),
                                remaining: len,
                            };
                        } else {
                            self.out.extend_from_slice(&header);
                            self.parse = Parse::Payload { remaining: len };
                        }
                        self.finish_frame_if_empty();
                    }
                }
                Parse::Payload { remaining } => {
                    let take = (*remaining).min(data.len());
                    self.out.extend_from_slice(&data[..take]);
                    *remaining -= take;
                    data = &data[take..];
                    self.finish_frame_if_empty();
                }
                Parse::GoAway {
                    payload, remaining, ..
                } => {
                    let take = (*remaining).min(data.len());
                    payload.extend_from_slice(&data[..take]);
                    *remaining -= take;
                    data = &data[take..];
                    self.finish_frame_if_empty();
                }
            }
        }
    }

    fn finish_frame_if_empty(&mut self) {
        let done = match &self.parse {
            Parse::Payload { remaining } | Parse::GoAway { remaining, .. } => *remaining == 0,
            Parse::Header { .. } => false,
        };
        if !done {
            return;
        }
        let next = Parse::Header {
            buf: [0; FRAME_HEADER],
            have: 0,
        };
        if let Parse::GoAway {
            mut header,
            mut payload,
            ..
        } = std::mem::replace(&mut self.parse, next)
        {
            let reason = self.reason.lock().ok().and_then(|r| *r);
            if let Some(reason) = reason
                && payload.len() == 8
            {
                payload.extend_from_slice(format!("{{\"reason\":\"{reason}\"}}").as_bytes());
                let len = payload.len();
                header[0] = (len >> 16) as u8;
                header[1] = (len >> 8) as u8;
                header[2] = len as u8;
            }
            self.out.extend_from_slice(&header);
            self.out.extend_from_slice(&payload);
        }
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
