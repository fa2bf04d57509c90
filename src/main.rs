//! `pushlab`: with no arguments the desktop app, with a command the CLI.

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => {
            eprintln!(
                "The desktop app is not built yet. Try `pushlab --help` for the commands, e.g. `pushlab cert inspect FILE`."
            );
            ExitCode::SUCCESS
        }
    }
}
