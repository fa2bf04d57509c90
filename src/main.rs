//! `pushlab`: with no arguments the desktop app, with a command the CLI.

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => pushlab::gui::run(),
    }
}
