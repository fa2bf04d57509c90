//! The simulator from outside: a `pushlab sim` process (or the library's server) spoken to by the tests' own HTTP/2 client, legacy binary clients and node-apn, never by pushlab's client alone.
//!
//! One test binary for many files (each a module): linking pushlab and its dependencies once
//! instead of once a file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod channels_peer;
mod sim_channels;
mod sim_http2;
mod sim_legacy;
mod sim_limits;
mod sim_live_activity;
