//! The command line driven as a user drives it: every `pushlab` command as a process, its output and files judged, with `openssl` and the tests' own servers as oracles.
//!
//! One test binary for many files (each a module): linking pushlab and its dependencies once
//! instead of once a file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod bad_input_catalogue;
mod cert_bad_input;
mod cert_workbench;
mod cli_batch_stats;
mod cli_causes;
mod cli_cert;
mod cli_channels;
mod cli_closed_pipe;
mod cli_csr;
mod cli_docs;
mod cli_doctor;
mod cli_legacy;
mod cli_live_activity;
mod cli_live_options;
mod cli_push;
mod cli_test_key;
mod cli_utf8_payload;
mod fuzz_corpus;
