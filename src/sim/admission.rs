//! Who gets in: the accept loop's handshake slots, and the header bytes requests may hold.
//!
//! A socket that connects and never speaks costs a slot until its handshake deadline. When
//! every slot is taken, a new connection takes the slot of the oldest one that has not said a
//! word yet (that one is closed), or else of the oldest: idle sockets kept refilled cannot lock
//! a real client out, which speaks at once and whose handshake takes milliseconds. Under
//! pressure (half the slots taken) the deadline is short. A slot is free again once the TLS
//! handshake is done.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{AbortHandle, JoinSet};

use super::server::{Shared, connection};

/// The TLS and HTTP/2 handshakes' deadline, each.
const HANDSHAKE_DEADLINE: Duration = Duration::from_secs(10);
/// The deadline once half the handshake slots are taken: a real client needs milliseconds.
const HANDSHAKE_DEADLINE_UNDER_PRESSURE: Duration = Duration::from_secs(2);

/// A connection's place among the handshakes: its deadline, and the flags it sets.
pub(super) struct HandshakeSlot {
    pub deadline: Duration,
    flags: Arc<Flags>,
}

#[derive(Default)]
struct Flags {
    /// The client sent its first bytes.
    spoke: AtomicBool,
    /// The TLS handshake is over.
    done: AtomicBool,
}

impl HandshakeSlot {
    /// The client said its first word: it is no longer the first to give way.
    pub fn spoke(&self) {
        self.flags.spoke.store(true, Ordering::Release);
    }

    /// The handshakes are over: the slot is free (the connection can no longer be evicted).
    pub fn done(&self) {
        self.flags.done.store(true, Ordering::Release);
    }
}

pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    let limits = &shared.config.limits;
    let slots = limits.max_handshaking.max(1);
    // A hard cap past which even a new connection is closed at once: served ones, handshakes,
    // and refused ones lingering a moment.
    let most = limits
        .max_connections
        .saturating_add(slots)
        .saturating_mul(2);
    let mut handshaking: VecDeque<(AbortHandle, Arc<Flags>)> = VecDeque::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) if connections.len() >= most => drop(tcp),
                Ok((tcp, _)) => {
                    handshaking.retain(|(task, flags)| {
                        !task.is_finished() && !flags.done.load(Ordering::Acquire)
                    });
                    if handshaking.len() >= slots {
                        let silent = handshaking
                            .iter()
                            .position(|(_, flags)| !flags.spoke.load(Ordering::Acquire))
                            .unwrap_or(0);
                        if let Some((evicted, _)) = handshaking.remove(silent) {
                            evicted.abort();
                        }
                    }
                    let deadline = if handshaking.len() * 2 >= slots {
                        HANDSHAKE_DEADLINE_UNDER_PRESSURE
                    } else {
                        HANDSHAKE_DEADLINE
                    };
                    let flags = Arc::new(Flags::default());
                    let slot = HandshakeSlot {
                        deadline,
                        flags: flags.clone(),
                    };
                    let task = connections.spawn(connection(tcp, shared.clone(), shutdown.clone(), slot));
                    handshaking.push_back((task, flags));
                }
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    // Let each connection send its GOAWAY and finish what is in flight, but not forever.
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

/// Header bytes a request holds while it is handled, counted against
/// `Limits::max_waiting_header_bytes` until dropped.
pub(super) struct HeaderBytes {
    shared: Arc<Shared>,
    bytes: usize,
}

impl HeaderBytes {
    /// Counts the request's headers (name, value and 32 bytes each, as HTTP/2's header list
    /// size does, and the path); `None` when the simulator already holds its limit.
    pub fn take<B>(shared: &Arc<Shared>, request: &http::Request<B>) -> Option<HeaderBytes> {
        let bytes = request
            .headers()
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len() + 32)
            .sum::<usize>()
            + request.uri().path().len()
            + 32;
        let limit = shared.config.limits.max_waiting_header_bytes;
        let mut held = shared.header_bytes.load(Ordering::Relaxed);
        loop {
            if held.saturating_add(bytes) > limit {
                return None;
            }
            match shared.header_bytes.compare_exchange_weak(
                held,
                held + bytes,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(now) => held = now,
            }
        }
        Some(HeaderBytes {
            shared: shared.clone(),
            bytes,
        })
    }
}

impl Drop for HeaderBytes {
    fn drop(&mut self) {
        self.shared
            .header_bytes
            .fetch_sub(self.bytes, Ordering::AcqRel);
    }
}
