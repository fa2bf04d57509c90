//! Pushlab: everything an Apple push notification provider needs, as a library.
//!
//! The library's layers hold no user interface: the `pushlab` command line and the desktop
//! app ([`gui`], the only module that imports egui) are thin fronts over the same calls, so
//! anything either can do a test can do too.
//!
//! - [`cert`]: import `.cer`, `.p12`, `.pem`, `.key` and `.p8` files, inspect what they hold
//!   (bundle id, topics, environment, expiry, key match) and export them the way the classic
//!   `openssl` steps would.
//! - [`apns`]: device tokens, push types, payload checks, provider tokens (JWT), requests and
//!   every reason APNs gives, as pure code.
//! - [`sim`]: the embedded APNs simulator (HTTP/2 + TLS, certificate and token auth, every
//!   documented error, fault injection, an inbox).
//! - [`legacy`]: the binary provider API and feedback service Apple retired on 31 March 2021:
//!   frame codec, a gateway and feedback server for tests, and a client that resends correctly.
//! - [`proxy`]: HTTP CONNECT and SOCKS5 proxies (credentials never shown), and the proxy the
//!   environment names (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`).
//! - [`files`]: every output file is written beside its destination and renamed into place,
//!   never replacing a file without permission, never half-written, never one of its inputs.
//!
//! ```no_run
//! use pushlab::cert::{inspect, load_file, Passphrase};
//!
//! let loaded = load_file("Push.p12".as_ref(), Some(&Passphrase::new("secret")))?;
//! let report = inspect(&loaded, None, time::OffsetDateTime::now_utc())?;
//! if let Some(cert) = &report.certificate {
//!     println!("{:?} expires in {} days", cert.bundle_id, cert.days_left);
//! }
//! # Ok::<(), pushlab::cert::CertError>(())
//! ```

#![warn(missing_docs)]
// A function a reader can hold: at most 100 lines (`clippy.toml`); an exception says why.
#![warn(clippy::too_many_lines)]

pub mod apns;
pub mod cert;
pub mod client;
mod der;
pub mod doctor;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "gui")]
pub mod gui;
mod h2_frames;
pub mod hardening;
pub mod legacy;
pub mod proxy;
pub mod sim;
pub mod words;
