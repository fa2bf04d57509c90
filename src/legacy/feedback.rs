//! The feedback service: the list of tokens whose app is gone from the device.
//!
//! A provider connected (port 2196, same client certificate), sent nothing, and read 38-byte
//! records until the server closed the connection; Apple cleared the list once it was read.
//! Providers that never read it kept sending to dead tokens, the first cause of the doorbell
//! failures in pushlab's background notes.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use openssl::ssl::SslAcceptor;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::LegacyError;
use super::frame::{FeedbackDecoder, FeedbackRecord};
use super::peer::Peer;
use super::tls::{self, Endpoint, ServerTls};

/// Where a feedback server's records come from, besides those given to
/// [`FeedbackServer::mark_unregistered`]: asked once per connection, so a source that reads a
/// changing list (the simulator's device registry) reports what changed since the last read.
pub trait FeedbackSource: Send + Sync + std::fmt::Debug {
    /// The records for the client connecting now, each handed out once: the source must not
    /// return the same record again. Records that cannot be sent are kept by the server for
    /// the next client.
    fn take(&self, peer: &Peer) -> Vec<FeedbackRecord>;
}

/// How the feedback server behaves.
#[derive(Debug, Clone)]
pub struct FeedbackConfig {
    /// The server's certificate and the CAs whose clients it accepts.
    pub tls: ServerTls,
    /// Address to listen on; 127.0.0.1 unless changed.
    pub ip: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Asked for more records on every connection.
    pub source: Option<Arc<dyn FeedbackSource>>,
    /// Limit for a client's TLS handshake (10 s by default).
    pub handshake_timeout: Duration,
    /// Limit for sending a client the list (10 s by default).
    pub write_timeout: Duration,
}

impl FeedbackConfig {
    /// A server on 127.0.0.1 with a free port, no record source, and 10 s handshake and write
    /// timeouts.
    pub fn new(tls: ServerTls) -> Self {
        FeedbackConfig {
            tls,
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            source: None,
            handshake_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running feedback server. Dropping it stops it.
#[derive(Debug)]
pub struct FeedbackServer {
    addr: SocketAddr,
    pending: Arc<Mutex<Vec<FeedbackRecord>>>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl FeedbackServer {
    /// Binds the configured address (127.0.0.1 by default) and starts serving on the current
    /// tokio runtime.
    pub async fn start(config: FeedbackConfig) -> Result<FeedbackServer, LegacyError> {
        let acceptor = Arc::new(config.tls.acceptor()?);
        let addr = SocketAddr::new(config.ip, config.port);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| LegacyError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| LegacyError::Bind { addr, source })?;
        let pending = Arc::new(Mutex::new(Vec::new()));
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(
            listener,
            acceptor,
            Arc::new(config),
            pending.clone(),
            stop_rx,
        ));
        Ok(FeedbackServer {
            addr,
            pending,
            stop,
            task: Some(task),
        })
    }

    /// The address the server listens on, with the port actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Lists this token as unregistered since `time` (seconds since the epoch). It is sent to
    /// the next client that connects, once.
    pub fn mark_unregistered(&self, token: impl Into<Vec<u8>>, time: u32) {
        lock(&self.pending).push(FeedbackRecord::new(time, token));
    }

    /// Records not yet sent to any client.
    pub fn pending(&self) -> Vec<FeedbackRecord> {
        lock(&self.pending).clone()
    }

    /// Stops accepting and waits for open connections to finish.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FeedbackServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Arc<SslAcceptor>,
    config: Arc<FeedbackConfig>,
    pending: Arc<Mutex<Vec<FeedbackRecord>>>,
    stop: watch::Receiver<bool>,
) {
    tls::accept_until_stopped(listener, stop, |tcp| {
        serve(tcp, acceptor.clone(), config.clone(), pending.clone())
    })
    .await;
}

async fn serve(
    tcp: TcpStream,
    acceptor: Arc<SslAcceptor>,
    config: Arc<FeedbackConfig>,
    pending: Arc<Mutex<Vec<FeedbackRecord>>>,
) {
    let addr = tcp.peer_addr().ok();
    let Some(mut stream) = tls::accept(&acceptor, tcp, config.handshake_timeout).await else {
        return;
    };
    let mut records = std::mem::take(&mut *lock(&pending));
    if let Some(source) = &config.source {
        records.extend(source.take(&Peer::of(stream.ssl(), addr)));
    }
    let bytes: Vec<u8> = records.iter().flat_map(FeedbackRecord::encode).collect();
    let sent = tokio::time::timeout(config.write_timeout, async {
        stream.write_all(&bytes).await?;
        stream.flush().await
    })
    .await;
    if !matches!(sent, Ok(Ok(()))) {
        // Not known to have arrived: keep them for the next reader, ahead of newer ones.
        let mut list = lock(&pending);
        let newer = std::mem::replace(&mut *list, records);
        list.extend(newer);
        return;
    }
    tls::close_gracefully(&mut stream, config.write_timeout).await;
}

/// The most records one read of a feedback service takes; a service that sends more is not
/// one (Apple's lists were the tokens of one app since the last read).
pub const MAX_FEEDBACK_RECORDS: u64 = 1_000_000;

/// Connects to a feedback service and reads every record until it closes the connection.
/// `timeout` bounds the whole exchange. On any error the records read so far are lost: use
/// [`read_feedback_each`] to keep them (the service hands each out once).
pub async fn read_feedback(
    endpoint: &Endpoint,
    timeout: Duration,
) -> Result<Vec<FeedbackRecord>, LegacyError> {
    let mut records = Vec::new();
    read_feedback_each(endpoint, timeout, |r| records.push(r))
        .await
        .map_err(|(_, e)| e)?;
    Ok(records)
}

/// [`read_feedback`] handing each record to `each` as it arrives, so a service that stalls,
/// times out or sends garbage after some records loses none of them. Returns how many came;
/// an error comes with the count handed over before it.
pub async fn read_feedback_each(
    endpoint: &Endpoint,
    timeout: Duration,
    mut each: impl FnMut(FeedbackRecord),
) -> Result<u64, (u64, LegacyError)> {
    let mut count = 0u64;
    let read = tokio::time::timeout(
        timeout,
        read_all(endpoint, &mut |r| {
            count += 1;
            each(r);
        }),
    )
    .await;
    match read {
        Ok(Ok(())) => Ok(count),
        Ok(Err(e)) => Err((count, e)),
        Err(_) => Err((
            count,
            LegacyError::Timeout {
                action: "reading the feedback service",
                after: timeout,
            },
        )),
    }
}

async fn read_all(
    endpoint: &Endpoint,
    each: &mut impl FnMut(FeedbackRecord),
) -> Result<(), LegacyError> {
    let mut stream = endpoint.connect().await?;
    let mut decoder = FeedbackDecoder::new();
    let mut count = 0u64;
    let mut buf = vec![0u8; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) => break,
            Ok(n) => {
                decoder.push(&buf[..n]);
                while let Some(r) = decoder.next_record() {
                    count += 1;
                    if count > MAX_FEEDBACK_RECORDS {
                        return Err(LegacyError::TooManyRecords {
                            limit: MAX_FEEDBACK_RECORDS,
                        });
                    }
                    each(r);
                }
                if let Some(e) = decoder.error() {
                    return Err(e.into());
                }
            }
            // A server that closes without TLS close_notify has still finished sending.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => {
                return Err(match tls::peer_alert(&e) {
                    Some(detail) => LegacyError::CertificateRefused {
                        host: endpoint.host.clone(),
                        port: endpoint.port,
                        detail,
                    },
                    None => LegacyError::Io {
                        action: "reading the feedback service",
                        source: e,
                    },
                });
            }
        }
    }
    decoder.finish()?;
    Ok(())
}
