//! The `pushlab` command line: parse, call the library, print.

mod cert;
mod secrets;
mod sim;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Apple push notifications, end to end: certificates, connection checks, sending, and a local
/// APNs simulator. Run without a command to open the desktop app.
#[derive(Debug, Parser)]
#[command(name = "pushlab", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect and convert certificates, keys and .p12 files.
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Run the local APNs simulator (HTTP/2 provider API), or export its CA.
    Sim(Box<sim::SimArgs>),
}

/// Exit codes shared by every command.
pub mod exit {
    /// Everything worked.
    pub const OK: u8 = 0;
    /// It ran, but something is wrong (an error finding, a rejected push).
    pub const PROBLEM: u8 = 1;
    /// It could not start: unreadable input, bad arguments, unreachable server.
    pub const FAILED: u8 = 2;
}

/// Runs a parsed command line.
pub fn run(command: Command) -> ExitCode {
    let code = match command {
        Command::Cert(cmd) => cert::run(cmd),
        Command::Sim(args) => sim::run(*args),
    };
    ExitCode::from(code)
}
