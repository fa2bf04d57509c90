//! The APNs client: connect (each step timed and explained), check a credential against a
//! server, send one push, or send many with Apple's retry rules.

mod alert;
mod auth;
mod batch;
mod channels;
mod check;
mod check_words;
pub use check_words::{ProxyFix, ServerRoot, StepFix, StepSentence};
mod connect_error;
mod connection;
mod curl;
mod destination;
mod exchange;
mod latency;
mod outcome;
mod pool;
mod push_request;
pub(crate) use push_request::date_seconds;
mod route;
mod sniff;
mod target;
mod timeline;
mod tls_context;
#[cfg(unix)]
mod trust_file;

pub use crate::proxy::{Proxy, ProxyError};
pub use alert::{TlsAlert, TlsHint};
pub use auth::{ClientAuth, TOKEN_RENEW_AFTER_SECS, TokenSigner};
pub use batch::{
    AUTO_MAX_CONNECTIONS, BatchEvent, BatchInput, BatchItem, BatchJournal, BatchOptions,
    CancelFlag, Earlier, InvalidInput, JournalError, JournalHeader, JournalState, RetryPolicy,
    send_batch, send_batch_journaled,
};
pub use channels::{BroadcastResponse, ChannelOutcome, ChannelResponse, MAX_CHANNEL_LIST_BYTES};
pub use check::{CheckReport, PROBE_TOKEN_PATH, Step, StepSink, StepStatus, check, check_as};
pub use connection::{
    ConnectError, Connection, PeerCertificate, PushResponse, SendError, Stage, TlsDetails,
    TlsStream, Unprocessed, http2, resolve, tcp, tls,
};
pub use curl::curl_command;
pub use destination::{CustomHost, Destination, RunningSimulator};
pub use latency::{Latency, measure_latency};
pub use outcome::{
    BatchStop, BatchSummary, MAX_REASONS, OTHER_REASONS, Outcome, ResultError, ResultToken,
    TokenResult,
};
pub use pool::{ConnectionPool, CredentialId, SingleSendError};
pub use route::{CertificateFacts, Route, RouteId, RouteWarning};
pub use target::{Target, TargetLabel};
pub use timeline::{Interval, LatencyBins, Timeline};
pub use tls_context::tls_context_builds;
