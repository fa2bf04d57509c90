//! pushlab's client against servers it did not write: the tests' own HTTP/2 peer (`support::h2peer`), proxies, legacy gateways and feedback services, and processes killed mid-batch. Truth is each peer's own record.
//!
//! One test binary for many files (each a module): linking pushlab and its dependencies once
//! instead of once a file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod client_sim;
mod connections_truth;
mod delivery_truth;
mod doctor_agrees_with_send;
mod interrupted_or_attacked;
mod legacy_client;
mod legacy_feedback;
mod legacy_gateway;
mod legacy_truth;
mod proxy_real;
mod proxy_truth;
