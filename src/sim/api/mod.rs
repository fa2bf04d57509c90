//! The simulator as a test service: a control and inspection API on its own port (JSON over
//! HTTP/1.1 under `/api/v1/`), a Server-Sent Events stream of what happens, Prometheus
//! metrics at `/metrics`, and a web inbox at `/`.
//!
//! It only reads and changes the simulator through the same shared state the HTTP/2 side
//! uses (inbox, device registry, channel store, live faults), so what the APNs port answers
//! changes only through these documented controls.
//!
//! Loopback only unless a token is set: bound anywhere else, every request must carry
//! `Authorization: Bearer <token>`.
//!
//! ```no_run
//! # async fn demo(sim: &pushlab::sim::Simulator) -> Result<(), Box<dyn std::error::Error>> {
//! use pushlab::sim::api::{ApiConfig, ApiServer};
//!
//! let api = ApiServer::start(sim, ApiConfig::default()).await?;
//! println!("control API on http://{}/api/v1/", api.addr());
//! # Ok(()) }
//! ```

mod devices;
mod events;
mod faults;
mod filter;
mod http;
mod metrics;
mod openapi;
mod routes;
mod text;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::{ChannelStore, DeviceRegistry, Inbox, LiveFaults, Simulator};
use crate::apns::Environment;

pub use routes::{ROUTES, Route};

/// How the API is served.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `127.0.0.1:0` picks a free loopback port.
    pub bind: SocketAddr,
    /// Required (and then checked on every request) when `bind` is not a loopback address.
    pub token: Option<String>,
    /// Event stream readers at once; more are answered 503.
    pub max_followers: usize,
    /// Events queued for one reader; a reader further behind is cut off.
    pub follower_queue: usize,
    /// HTTP connections at once; more are closed as they are accepted.
    pub max_connections: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: None,
            max_followers: 32,
            follower_queue: 64,
            max_connections: 128,
        }
    }
}

/// Why the API could not start.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A token is required because the API would listen beyond loopback.
    #[error(
        "the control API may listen on {addr} only with a token (--api-token): it can change what the simulator answers"
    )]
    TokenRequired {
        /// The non-loopback address asked for.
        addr: SocketAddr,
    },
    /// An API token was given but is empty.
    #[error("the API token is empty")]
    EmptyToken,
    /// The listening socket could not be bound.
    #[error("could not listen on {addr}: {source} — is another program using the port?")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

/// The simulator's parts the API reads and changes.
#[derive(Debug, Clone)]
pub(crate) struct SimParts {
    pub inbox: Inbox,
    pub registry: Arc<DeviceRegistry>,
    pub channels: Arc<ChannelStore>,
    pub faults: Arc<LiveFaults>,
    pub environment: Environment,
    pub apns_addr: SocketAddr,
}

/// The longest a `wait` may be asked to wait.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// A running control API.
#[derive(Debug)]
pub struct ApiServer {
    addr: SocketAddr,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl ApiServer {
    /// Binds and serves on the current tokio runtime, until [`shutdown`](Self::shutdown) or
    /// until dropped with its runtime.
    pub async fn start(sim: &Simulator, config: ApiConfig) -> Result<ApiServer, ApiError> {
        if config.token.as_deref().is_some_and(str::is_empty) {
            return Err(ApiError::EmptyToken);
        }
        if config.token.is_none() && !config.bind.ip().is_loopback() {
            return Err(ApiError::TokenRequired { addr: config.bind });
        }
        let parts = SimParts {
            inbox: sim.inbox().clone(),
            registry: sim.registry().clone(),
            channels: sim.channels().clone(),
            faults: sim.faults().clone(),
            environment: sim.environment(),
            apns_addr: sim.addr(),
        };
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| ApiError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ApiError::Bind {
            addr: config.bind,
            source,
        })?;
        let (shutdown, shutdown_rx) = tokio::sync::watch::channel(false);
        let state = Arc::new(http::State::new(parts, config));
        let task = tokio::spawn(http::serve(listener, state, shutdown_rx));
        Ok(ApiServer {
            addr,
            shutdown,
            task,
        })
    }

    /// The address the API listens on, with the port actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes the port and every connection, event streams included.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}
