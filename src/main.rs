//! `pushlab`: with no arguments the desktop app, with a command the CLI.

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc instead of the system allocator: a batch allocates and frees a few small objects
/// per push (the request, its header map, the result), and glibc's malloc took a sixth of
/// `pushlab batch`'s CPU time in profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before anything holds a secret. A refusal is said once and is not fatal: the work can
    // still be done, only less safely.
    if let Err(e) = pushlab::hardening::keep_secrets_out_of_core_dumps() {
        eprintln!(
            "warning: could not turn core dumps off ({e}): a crash could write secrets to disk"
        );
    }
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        #[cfg(feature = "gui")]
        None => pushlab::gui::run(args.files),
        #[cfg(not(feature = "gui"))]
        None if !args.files.is_empty() => {
            eprintln!(
                "this pushlab was built without the desktop app (feature `gui`): open files with `pushlab cert inspect FILE`"
            );
            ExitCode::from(2)
        }
        #[cfg(not(feature = "gui"))]
        None => {
            eprintln!(
                "this pushlab was built without the desktop app (feature `gui`): run `pushlab --help` for the commands"
            );
            ExitCode::from(2)
        }
    }
}
