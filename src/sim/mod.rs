//! The embedded APNs simulator: a local HTTP/2 + TLS server that answers like Apple's provider
//! API, with certificate and token authentication, every documented error, a device registry,
//! fault injection, and an inbox of what a phone would have shown.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use pushlab::apns::Environment;
//! use pushlab::sim::{SimConfig, SimIdentity, Simulator};
//!
//! let sim = Simulator::start(SimConfig::new(Environment::Sandbox, SimIdentity::ephemeral()?)).await?;
//! println!("listening on {}", sim.addr());
//! // … send pushes to sim.addr(), trusting sim.ca_certificate() …
//! println!("{} notifications delivered", sim.inbox().total());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod activity;
mod admission;
pub mod api;
mod auth;
pub(crate) mod channel_api;
mod channel_http;
pub(crate) mod channels;
mod feed;
mod goaway;
mod identity;
#[cfg(test)]
mod in_memory_tests;
mod inbox;
mod legacy;
mod live_faults;
mod records;
mod registry;
mod request;
mod server;
mod tally;
pub mod validate;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use activity::{
    ACTIVITIES_KEPT, Activities, Activity, ActivityOutcome, ActivityPhase, IgnoredPush, IgnoredWhy,
};
pub use auth::{
    MIN_TOKEN_UPDATE_SECS, RegisteredKey, TOKEN_LIFETIME_SECS, TokenSession, TrustedKeys,
};
pub use channels::{ChannelStore, SimChannel};
pub use feed::{FEED_CAPACITY, FeedEvent, FeedItem, Refusal};
pub use identity::{SERVER_NAMES, SimIdentity};
pub use inbox::{Inbox, REFUSALS_KEPT};
pub use live_faults::LiveFaults;
pub use records::{AuthKind, Banner, ChannelEvent, Delivery, Interface, RequestEvent};
pub use registry::{DeviceEntry, DeviceRegistry, TokenState, TokensFileError};
pub use tally::{LATENCIES_KEPT, Percentiles, Stats};

use crate::apns::Environment;
use crate::apns::Reason;

/// Injected failures, for testing a client's retry logic.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Send GOAWAY (`{"reason":"Shutdown"}`) on a connection after it served this many requests.
    pub goaway_after: Option<u64>,
    /// Drop a connection (no GOAWAY) when it receives more than this many requests.
    pub drop_after: Option<u64>,
    /// Answer this share (0–1) of requests with this reason (429, 500 or 503 kinds).
    pub error_share: Option<(Reason, f64)>,
    /// Answer requests number `start+1 ..= start+count` (counted over the whole simulator) with
    /// this reason: a burst.
    pub error_burst: Option<ErrorBurst>,
    /// Wait this long before answering each request.
    pub latency: Duration,
    /// Refuse (RST_STREAM REFUSED_STREAM) requests beyond this many in flight on a connection,
    /// as a server lowering its stream limit would.
    pub refuse_streams_over: Option<usize>,
    /// After this many requests in all, shut down mid-stream: requests in flight get 503
    /// `Shutdown` and every connection gets GOAWAY; new connections are served again.
    pub shutdown_after: Option<u64>,
    /// Deliver every Nth request (counted over the whole simulator), then reset its stream
    /// with INTERNAL_ERROR instead of answering: the phone has the push, the sender has no
    /// answer. A sender that resends it shows it twice.
    pub reset_processed_every: Option<u64>,
    /// Drop a connection (no GOAWAY) right after it delivered its Nth push, before answering
    /// it: the push arrived, the sender has no answer.
    pub drop_after_processing: Option<u64>,
    /// Answer what a push's headers alone decide (a bad path or token, a wrong topic, a
    /// refused credential, an injected error) before reading its body, and stop the body with
    /// RST_STREAM(NO_ERROR), as HTTP/2 front ends may (RFC 9113 §8.1): a sender whose body
    /// then finds its stream ended must take the answer, not send the push again.
    pub answer_from_headers: bool,
    /// Seconds the `date` header is off from this computer's clock: a server (or a client)
    /// with a wrong clock, for the doctor to notice.
    pub clock_offset: i64,
}

/// A run of failing requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorBurst {
    /// The reason each request in the burst is answered with.
    pub reason: Reason,
    /// Requests before the burst: it begins with request number `start + 1`.
    pub start: u64,
    /// How many requests in a row the burst answers.
    pub count: u64,
}

impl ErrorBurst {
    /// Whether request number `n` (from 1) falls in the burst; never wraps, whatever the
    /// numbers given on the command line.
    pub fn covers(&self, n: u64) -> bool {
        n > self.start && n <= self.start.saturating_add(self.count)
    }
}

/// What one client may cost the simulator. Every limit is on by default, so a stuck or
/// hostile client cannot hold its memory or time without end.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Connections past their handshake at once; more are closed as they are accepted.
    pub max_connections: usize,
    /// Connections still in their TLS or HTTP/2 handshake at once (each has 10 s, 2 s once
    /// half the slots are taken); a new connection past it takes the oldest one's slot, so
    /// sockets that never speak cannot lock clients out.
    pub max_handshaking: usize,
    /// SETTINGS_MAX_HEADER_LIST_SIZE: a request with more header bytes is refused.
    pub max_header_list_bytes: u32,
    /// Header bytes (decoded, as HTTP/2 counts them) held at once by all requests still being
    /// handled, most waiting for their body; past it new streams are refused
    /// (REFUSED_STREAM), so streams that send headers and never a body cannot inflate it.
    pub max_waiting_header_bytes: usize,
    /// How long a request's body may take to arrive in full; a slower one is reset.
    pub body_deadline: Duration,
    /// After GOAWAY, how long a connection may take to finish what is in flight.
    pub closing_deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1024,
            max_handshaking: 256,
            max_header_list_bytes: 16 * 1024,
            max_waiting_header_bytes: 32 << 20,
            body_deadline: Duration::from_secs(10),
            closing_deadline: Duration::from_secs(30),
        }
    }
}

/// How to spell the environment-key error: Apple's table, or the form seen on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EnvKeyReason {
    /// `BadEnvironmentKeyIdInToken`, as Apple's table spells it.
    #[default]
    Documented,
    /// `BadEnvironmentKeyInToken`, as some production code quotes it.
    Wire,
}

impl EnvKeyReason {
    /// The reason string the simulator sends, e.g. `BadEnvironmentKeyIdInToken`.
    pub fn as_str(self) -> &'static str {
        match self {
            EnvKeyReason::Documented => "BadEnvironmentKeyIdInToken",
            EnvKeyReason::Wire => "BadEnvironmentKeyInToken",
        }
    }
}

/// Everything a simulator is started with.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The environment the simulator plays, sandbox or production.
    pub environment: Environment,
    /// `127.0.0.1:0` picks a free port.
    pub bind: SocketAddr,
    /// The server certificate and the CA that issued it.
    pub identity: SimIdentity,
    /// CAs whose client certificates are accepted, besides the simulator's own CA.
    pub client_cas: Vec<openssl::x509::X509>,
    /// Auth keys whose provider tokens are accepted.
    pub auth_keys: Vec<RegisteredKey>,
    /// The devices the simulator knows, with their tokens' state.
    pub registry: Arc<DeviceRegistry>,
    /// Broadcast channels (iOS 18), served on the same port as pushes.
    pub channels: Arc<ChannelStore>,
    /// Accept well-formed tokens the registry does not know (so a tester can send anywhere).
    pub accept_unknown_tokens: bool,
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    pub max_concurrent_streams: u32,
    /// Rules the simulator breaks on purpose (see [`Faults`]); changeable while it runs through
    /// [`Simulator::faults`].
    pub faults: Faults,
    /// GOAWAY `IdleTimeout` after this long without a request (APNs closes idle
    /// connections too; an hour by default).
    pub idle_timeout: Option<Duration>,
    /// Bounds on what one client may cost the simulator.
    pub limits: Limits,
    /// How the simulator spells the error for a key used in the wrong environment.
    pub env_key_reason: EnvKeyReason,
    /// How many deliveries the inbox keeps.
    pub inbox_capacity: usize,
    /// An inbox to carry on with instead of a new one of `inbox_capacity`: a simulator
    /// restarted on another port or environment keeps what it delivered, its Live Activities
    /// and its refusals, as a phone keeps its notifications when the server changes.
    pub inbox: Option<Inbox>,
    /// JSON Lines log of every delivery.
    pub log: Option<PathBuf>,
    /// Also run the legacy binary gateway (Apple's port 2195, retired 31 March 2021) on this
    /// port of the same address; 0 picks a free one. It trusts the same client CAs, judges
    /// tokens by the same registry and records into the same inbox as the HTTP/2 side.
    pub legacy_gateway_port: Option<u16>,
    /// Fault for the legacy gateway: send each error packet this long after the notification
    /// it refuses (zero by default), as a slow gateway did. Rehearses senders that take a short
    /// silence for success.
    pub legacy_error_delay: Duration,
    /// Also run the legacy feedback service (Apple's port 2196) on this port; 0 picks a free
    /// one. It lists the registry's unregistered tokens, each once.
    pub feedback_port: Option<u16>,
}

impl SimConfig {
    /// A sandbox or production simulator on `127.0.0.1:0` (a free port) with no extra CAs or auth
    /// keys, an empty registry that accepts unknown tokens, 1000 concurrent streams, an idle
    /// timeout of an hour, an inbox of 10 000 deliveries, and no log or legacy ports.
    pub fn new(environment: Environment, identity: SimIdentity) -> Self {
        SimConfig {
            environment,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            identity,
            client_cas: Vec::new(),
            auth_keys: Vec::new(),
            registry: Arc::new(DeviceRegistry::new()),
            channels: Arc::new(ChannelStore::new()),
            accept_unknown_tokens: true,
            max_concurrent_streams: 1000,
            faults: Faults::default(),
            idle_timeout: Some(Duration::from_secs(3600)),
            limits: Limits::default(),
            env_key_reason: EnvKeyReason::default(),
            inbox_capacity: 10_000,
            inbox: None,
            log: None,
            legacy_gateway_port: None,
            legacy_error_delay: Duration::ZERO,
            feedback_port: None,
        }
    }
}

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The listening socket could not be bound.
    #[error("could not listen on {addr}: {source} — is another program using the port?")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The server certificate, its key or the client CAs could not be loaded into TLS.
    #[error("could not set up TLS: {0}")]
    Tls(String),
    /// The legacy gateway or feedback service could not start.
    #[error("could not start the legacy binary interface: {0}")]
    Legacy(#[from] crate::legacy::LegacyError),
    /// The delivery log could not be opened for appending.
    #[error("could not open the log {path}: {source}")]
    Log {
        /// The log file asked for.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

/// A running simulator.
pub struct Simulator {
    addr: SocketAddr,
    inbox: Inbox,
    registry: Arc<DeviceRegistry>,
    channels: Arc<ChannelStore>,
    faults: Arc<LiveFaults>,
    keys: Arc<TrustedKeys>,
    environment: Environment,
    ca: openssl::x509::X509,
    legacy: legacy::LegacyListeners,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.addr)
            .field("environment", &self.environment)
            .field("legacy_addr", &self.legacy_addr())
            .field("feedback_addr", &self.feedback_addr())
            .finish()
    }
}

impl Simulator {
    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(config: SimConfig) -> Result<Simulator, SimError> {
        let inbox = match &config.inbox {
            Some(kept) => {
                // Its log was the last start's; this start says whether there is one.
                kept.stop_log();
                kept.clone()
            }
            None => Inbox::new(config.inbox_capacity),
        };
        if let Some(path) = &config.log {
            inbox.log_to(path).map_err(|source| SimError::Log {
                path: path.clone(),
                source,
            })?;
        }
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: config.bind,
            source,
        })?;
        let (shutdown, shutdown_rx) = tokio::sync::watch::channel(false);
        let registry = config.registry.clone();
        let channels = config.channels.clone();
        channels.ensure_subscribed(&registry);
        let environment = config.environment;
        let ca = config.identity.ca.certificate.clone();
        let legacy = legacy::LegacyListeners::start(&config, &inbox).await?;
        let faults = Arc::new(LiveFaults::new(config.faults.clone()));
        let keys = Arc::new(TrustedKeys::new(config.auth_keys.clone()));
        let shared = server::Shared::new(config, inbox.clone(), faults.clone(), keys.clone())?;
        let task = tokio::spawn(admission::serve(listener, shared, shutdown_rx));
        Ok(Simulator {
            addr,
            inbox,
            registry,
            channels,
            faults,
            keys,
            environment,
            ca,
            legacy,
            shutdown,
            task,
        })
    }

    /// The address the HTTP/2 server listens on, with the port actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where the legacy binary gateway listens, when [`SimConfig::legacy_gateway_port`] was
    /// set.
    pub fn legacy_addr(&self) -> Option<SocketAddr> {
        self.legacy.gateway_addr()
    }

    /// Where the legacy feedback service listens, when [`SimConfig::feedback_port`] was set.
    pub fn feedback_addr(&self) -> Option<SocketAddr> {
        self.legacy.feedback_addr()
    }

    /// The deliveries so far, and the requests refused.
    pub fn inbox(&self) -> &Inbox {
        &self.inbox
    }

    /// The devices the simulator knows; tokens may be added or retired while it runs.
    pub fn registry(&self) -> &Arc<DeviceRegistry> {
        &self.registry
    }

    /// The environment the simulator plays.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The broadcast channels, as clients created them (and the tokens file named them).
    pub fn channels(&self) -> &Arc<ChannelStore> {
        &self.channels
    }

    /// The faults in force, which may be changed while the simulator runs (the HTTP/2 side
    /// reads them per request; the legacy gateway's delay is fixed at start).
    pub fn faults(&self) -> &Arc<LiveFaults> {
        &self.faults
    }

    /// The auth keys whose tokens are accepted; one may be added while the simulator runs.
    pub fn keys(&self) -> &Arc<TrustedKeys> {
        &self.keys
    }

    /// The CA that issued the server certificate: what clients must trust.
    pub fn ca_certificate(&self) -> &openssl::x509::X509 {
        &self.ca
    }

    /// Stops accepting, sends GOAWAY `Shutdown` on every connection (status 10 on legacy
    /// gateway connections), and waits for them to end.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let (_, ()) = tokio::join!(self.task, self.legacy.stop());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_at_the_end_of_the_numbers_does_not_wrap() {
        let b = ErrorBurst {
            reason: Reason::TooManyRequests,
            start: u64::MAX - 1,
            count: 10,
        };
        assert!(!b.covers(5));
        assert!(b.covers(u64::MAX));
        let normal = ErrorBurst {
            reason: Reason::TooManyRequests,
            start: 100,
            count: 50,
        };
        assert!(!normal.covers(100) && normal.covers(101) && normal.covers(150));
        assert!(!normal.covers(151));
    }
}
