//! A gateway that speaks the binary provider API the way Apple's did, for tests, the simulator
//! and anyone who still has to check a legacy sender.
//!
//! Per connection it decodes frames in order and delivers each valid notification to the
//! gateway's inbox. The first notification it refuses (a token in the invalid-token list or
//! refused by the [`DeviceDirectory`], a malformed frame, or the configured maintenance
//! shutdown) gets a 6-byte error packet,
//! then the connection is closed and **everything the client wrote after it is discarded**,
//! exactly the behaviour that made naive senders lose pushes.
//!
//! A sender's [end-of-batch marker](super::frame::end_of_batch) is refused like any
//! notification without a token (status 2, the marker's identifier), which tells the sender that
//! everything before it was accepted; the gateway counts markers apart from real rejections
//! ([`Gateway::end_of_batch_markers`]). [`GatewayConfig::error_delay`] holds every error packet
//! back for a while, as a slow or distant gateway did, to rehearse senders that stop listening
//! too early.
//!
//! The inbox is a shared list rather than a channel: a test or a display reads it whenever it
//! likes ([`Gateway::inbox`]), and [`Gateway::wait_for_notifications`] waits for a count
//! without polling. A notification is in the inbox before the gateway answers or closes the
//! connection it came on.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use openssl::ssl::SslAcceptor;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::LegacyError;
use super::frame::{Command, Decoded, Decoder, InvalidFrame, ReceivedNotification, Status};
use super::peer::Peer;
use super::tls::{self, ServerTls};

/// Where a gateway's devices live: it decides, notification by notification, whether a token
/// is valid, and hears of every notification accepted.
///
/// The gateway asks for each notification as it arrives, so a directory that reads a shared,
/// changing list (the simulator's device registry) is obeyed from the next notification on.
/// Both methods run on the connection's task, before the gateway reads further: keep them
/// quick and never block.
pub trait DeviceDirectory: Send + Sync + std::fmt::Debug {
    /// `Err(why)` refuses the notification with status 8 (invalid token), as Apple refused
    /// tokens of deleted apps, of another app, or of the other environment; `why` is kept in
    /// [`Gateway::rejections`].
    fn check(&self, peer: &Peer, received: &ReceivedNotification) -> Result<(), String>;

    /// The gateway accepted this notification (it is counted before the client hears
    /// anything more on the connection).
    fn accepted(&self, peer: &Peer, received: &ReceivedNotification) {
        let _ = (peer, received);
    }
}

/// How the gateway behaves.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// The gateway's certificate and the CAs whose clients it accepts.
    pub tls: ServerTls,
    /// Address to listen on; 127.0.0.1 unless changed.
    pub ip: IpAddr,
    /// Port; 0 picks a free one (see [`Gateway::local_addr`]).
    pub port: u16,
    /// Tokens answered with status 8 (invalid token), as Apple answered tokens of deleted apps
    /// or of the other environment.
    pub invalid_tokens: HashSet<Vec<u8>>,
    /// Asked about every notification whose token is not in `invalid_tokens`, and told of
    /// every accepted one.
    pub devices: Option<Arc<dyn DeviceDirectory>>,
    /// Keep accepted notifications in [`Gateway::inbox`]. Turn off when `devices` records
    /// them elsewhere, so a long-running gateway does not grow without bound.
    pub keep_inbox: bool,
    /// Simulate maintenance: after this many notifications on one connection, answer status 10
    /// (shutdown) with the identifier of the last one processed, and close.
    pub shutdown_after: Option<usize>,
    /// Apple never answered command 0 with an error packet: it just closed the connection.
    /// `false` (the default) does the same; `true` sends the packet anyway (identifier 0).
    pub answer_simple_format: bool,
    /// A connection with no data for this long is closed without a word.
    pub idle_timeout: Duration,
    /// Limit for the TLS handshake of a new connection.
    pub handshake_timeout: Duration,
    /// How long to wait between refusing a notification and sending its error packet (zero by
    /// default). Meanwhile the gateway keeps reading and discarding what the client writes, as
    /// a slow gateway did: a sender that takes a short silence for success loses pushes here.
    /// Not applied to the shutdown packets of [`Gateway::stop`].
    pub error_delay: Duration,
    /// After an error packet, how long to keep reading (and discarding) what the client still
    /// sends before closing. Closing with unread data would make the kernel reset the
    /// connection, and a reset can destroy the error packet before the client reads it.
    pub drain_timeout: Duration,
}

impl GatewayConfig {
    /// A gateway on 127.0.0.1 with a free port that accepts every token and keeps an inbox: no
    /// shutdown fault or error delay, a 300 s idle timeout, a 10 s handshake limit and 5 s of
    /// draining after an error packet.
    pub fn new(tls: ServerTls) -> Self {
        GatewayConfig {
            tls,
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            invalid_tokens: HashSet::new(),
            devices: None,
            keep_inbox: true,
            shutdown_after: None,
            answer_simple_format: false,
            idle_timeout: Duration::from_secs(300),
            handshake_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(5),
            error_delay: Duration::ZERO,
        }
    }

    /// Same config with every error packet sent this long after the refused notification.
    pub fn error_delay(mut self, delay: Duration) -> Self {
        self.error_delay = delay;
        self
    }

    /// Same config with this token answered by status 8.
    pub fn invalid_token(mut self, token: impl Into<Vec<u8>>) -> Self {
        self.invalid_tokens.insert(token.into());
        self
    }

    /// Same config with this directory judging every token.
    pub fn devices(mut self, devices: Arc<dyn DeviceDirectory>) -> Self {
        self.devices = Some(devices);
        self
    }
}

#[derive(Debug)]
struct Shared {
    inbox: Mutex<Vec<ReceivedNotification>>,
    rejections: Mutex<Vec<InvalidFrame>>,
    end_of_batch_markers: AtomicUsize,
    invalid_tokens: Mutex<HashSet<Vec<u8>>>,
    received: watch::Sender<usize>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running gateway. Dropping it stops it as [`Gateway::stop`] does, without waiting.
#[derive(Debug)]
pub struct Gateway {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Gateway {
    /// Binds the configured address (127.0.0.1 by default) and starts accepting connections on
    /// the current tokio runtime.
    pub async fn start(config: GatewayConfig) -> Result<Gateway, LegacyError> {
        let acceptor = Arc::new(config.tls.acceptor()?);
        let addr = SocketAddr::new(config.ip, config.port);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| LegacyError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| LegacyError::Bind { addr, source })?;
        let shared = Arc::new(Shared {
            inbox: Mutex::new(Vec::new()),
            rejections: Mutex::new(Vec::new()),
            end_of_batch_markers: AtomicUsize::new(0),
            invalid_tokens: Mutex::new(config.invalid_tokens.clone()),
            received: watch::channel(0).0,
        });
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(
            listener,
            acceptor,
            Arc::new(config),
            shared.clone(),
            stop_rx,
        ));
        Ok(Gateway {
            addr,
            shared,
            stop,
            task: Some(task),
        })
    }

    /// The address it listens on (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The notifications accepted so far (not yet taken; the newest [`MAX_KEPT`]), in arrival
    /// order per connection.
    pub fn inbox(&self) -> Vec<ReceivedNotification> {
        lock(&self.shared.inbox).clone()
    }

    /// Empties the inbox and returns what it held.
    pub fn take_inbox(&self) -> Vec<ReceivedNotification> {
        std::mem::take(&mut *lock(&self.shared.inbox))
    }

    /// How many notifications were accepted since the start (not reduced by `take_inbox`).
    pub fn received_count(&self) -> usize {
        *self.shared.received.borrow()
    }

    /// Waits until `count` notifications were accepted since the start; `false` on timeout.
    pub async fn wait_for_notifications(&self, count: usize, timeout: Duration) -> bool {
        let mut rx = self.shared.received.subscribe();
        matches!(
            tokio::time::timeout(timeout, rx.wait_for(|n| *n >= count)).await,
            Ok(Ok(_))
        )
    }

    /// Every frame refused so far, with the status answered (or that would have been answered,
    /// for command 0) and why. End-of-batch markers are not listed: see
    /// [`Gateway::end_of_batch_markers`].
    pub fn rejections(&self) -> Vec<InvalidFrame> {
        lock(&self.shared.rejections).clone()
    }

    /// How many senders' [end-of-batch markers](super::frame::end_of_batch) reached the gateway
    /// and were answered (a marker written after a refused notification is discarded unread,
    /// like everything else after it).
    pub fn end_of_batch_markers(&self) -> usize {
        self.shared.end_of_batch_markers.load(Ordering::Relaxed)
    }

    /// Answers this token with status 8 from now on.
    pub fn mark_invalid(&self, token: impl Into<Vec<u8>>) {
        lock(&self.shared.invalid_tokens).insert(token.into());
    }

    /// Stops accepting, answers every open connection with status 10 (shutdown) and the
    /// identifier of its last processed notification, and waits for them to close.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Arc<SslAcceptor>,
    config: Arc<GatewayConfig>,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
) {
    let stop_for_connections = stop.clone();
    tls::accept_until_stopped(listener, stop, |tcp| {
        serve(
            tcp,
            acceptor.clone(),
            config.clone(),
            shared.clone(),
            stop_for_connections.clone(),
        )
    })
    .await;
}

async fn serve(
    tcp: TcpStream,
    acceptor: Arc<SslAcceptor>,
    config: Arc<GatewayConfig>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let addr = tcp.peer_addr().ok();
    let Some(mut stream) = tls::accept(&acceptor, tcp, config.handshake_timeout).await else {
        return;
    };
    let peer = Peer::of(stream.ssl(), addr);
    let mut decoder = Decoder::new();
    let mut last_identifier = 0;
    let mut last_command = None;
    let mut processed = 0usize;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = tokio::select! {
            _ = stop.changed() => {
                let refusal = InvalidFrame {
                    command: last_command.map_or(Command::Framed.code(), Command::code),
                    status: Status::Shutdown,
                    identifier: last_identifier,
                    reason: "the gateway is stopping".to_owned(),
                    end_of_batch: false,
                };
                refuse(&mut stream, refusal, &config, &shared, Duration::ZERO).await;
                return;
            }
            read = tokio::time::timeout(config.idle_timeout, stream.read(&mut buf)) => match read {
                Ok(Ok(0)) => {
                    // The client is done: everything it sent has been processed.
                    tls::close_gracefully(&mut stream, config.drain_timeout).await;
                    return;
                }
                Ok(Ok(n)) => n,
                Ok(Err(_)) | Err(_) => return,
            }
        };
        decoder.push(&buf[..n]);
        loop {
            let received = match decoder.next_frame() {
                Decoded::NeedMore => break,
                Decoded::Invalid(refusal) => {
                    refuse(&mut stream, refusal, &config, &shared, config.error_delay).await;
                    return;
                }
                Decoded::Notification(received) => received,
            };
            let n = &received.notification;
            if lock(&shared.invalid_tokens).contains(&n.token) {
                let refusal = InvalidFrame {
                    command: received.command.code(),
                    status: Status::InvalidToken,
                    identifier: n.identifier,
                    reason: format!("token {} is in the invalid-token list", n.token_hex()),
                    end_of_batch: false,
                };
                refuse(&mut stream, refusal, &config, &shared, config.error_delay).await;
                return;
            }
            if let Some(devices) = &config.devices
                && let Err(why) = devices.check(&peer, &received)
            {
                let refusal = InvalidFrame {
                    command: received.command.code(),
                    status: Status::InvalidToken,
                    identifier: n.identifier,
                    reason: format!("token {}: {why}", n.token_hex()),
                    end_of_batch: false,
                };
                refuse(&mut stream, refusal, &config, &shared, config.error_delay).await;
                return;
            }
            last_identifier = n.identifier;
            last_command = Some(received.command);
            processed += 1;
            if let Some(devices) = &config.devices {
                devices.accepted(&peer, &received);
            }
            if config.keep_inbox {
                push_bounded(&mut lock(&shared.inbox), received);
            }
            shared.received.send_modify(|count| *count += 1);
            if config.shutdown_after == Some(processed) {
                let refusal = InvalidFrame {
                    command: last_command.map_or(2, Command::code),
                    status: Status::Shutdown,
                    identifier: last_identifier,
                    reason: format!("maintenance shutdown after {processed} notifications"),
                    end_of_batch: false,
                };
                refuse(&mut stream, refusal, &config, &shared, config.error_delay).await;
                return;
            }
        }
    }
}

/// Records the refusal, waits `delay` while discarding what the client still sends, sends the
/// error packet (unless the frame was command 0 and Apple's silence is configured), and
/// closes, discarding whatever the client still sends.
async fn refuse<S>(
    stream: &mut S,
    refusal: InvalidFrame,
    config: &GatewayConfig,
    shared: &Shared,
    delay: Duration,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let silent = refusal.command == Command::Simple.code() && !config.answer_simple_format;
    let packet = refusal.response().encode();
    if refusal.end_of_batch {
        shared.end_of_batch_markers.fetch_add(1, Ordering::Relaxed);
    } else {
        push_bounded(&mut lock(&shared.rejections), refusal);
    }
    if !delay.is_zero() {
        discard_for(stream, delay).await;
    }
    if !silent {
        let _ = tokio::time::timeout(config.drain_timeout, stream.write_all(&packet)).await;
    }
    tls::close_gracefully(stream, config.drain_timeout).await;
}

/// Reads and throws away what the client sends for `delay`, so that it is not held up and the
/// connection is not reset; a client that closes early does not shorten the wait.
async fn discard_for<S>(stream: &mut S, delay: Duration)
where
    S: AsyncRead + Unpin,
{
    let until = tokio::time::Instant::now() + delay;
    let mut sink = vec![0u8; 16 * 1024];
    let _ = tokio::time::timeout_at(until, async {
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
    tokio::time::sleep_until(until).await;
}

/// The most notifications (and refusals) a gateway keeps for inspection; older ones are
/// dropped first, so a long run cannot fill memory. Counts stay exact.
pub const MAX_KEPT: usize = 100_000;

fn push_bounded<T>(list: &mut Vec<T>, item: T) {
    if list.len() >= MAX_KEPT {
        // Drop the oldest tenth at once: amortised, not a shift per notification.
        list.drain(..MAX_KEPT / 10);
    }
    list.push(item);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_lists_are_bounded_and_keep_the_newest() {
        let mut list = Vec::new();
        for i in 0..MAX_KEPT * 3 {
            push_bounded(&mut list, i);
        }
        assert!(list.len() <= MAX_KEPT);
        assert_eq!(list.last(), Some(&(MAX_KEPT * 3 - 1)));
    }
}
