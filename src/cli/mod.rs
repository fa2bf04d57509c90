//! The `pushlab` command line: parse, call the library, print.

mod batch;
mod cert;
mod channels;
mod check;
mod docs;
mod doctor;
mod error;
mod legacy;
mod live_activity;
mod notification;
mod proxy;
mod secrets;
mod send;
mod sim;
mod target;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use error::CliError;

/// Apple push notifications, end to end: certificates, connection checks, sending, and a local
/// APNs simulator. Run without a command to open the desktop app.
#[derive(Debug, Parser)]
#[command(
    name = "pushlab",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Certificates and keys to open in the app (.p12, .cer, .pem, .p8): what a double-click
    /// on one runs. A window already open takes them over.
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect and convert certificates, keys and .p12 files.
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Check a credential against a server, step by step (DNS, TCP, TLS, HTTP/2, auth).
    Check(Box<check::CheckArgs>),
    /// Why doesn't my push arrive? Checks the credential, token, payload and network path,
    /// sends a test push, and names the most likely cause with its fix.
    ///
    /// It goes where `send` goes, with the same options: --server local (the default) asks an
    /// in-process simulator, with a throwaway test certificate when no credential is given (a
    /// test auth key for Live Activities and location pushes, which go only token-based); give
    /// --server sandbox or production for Apple's servers, or HOST:PORT (with --ca and
    /// --environment) for a `pushlab sim` or a gateway.
    Doctor(Box<doctor::DoctorArgs>),
    /// Send a push to one or more device tokens and show APNs' answer.
    Send(Box<send::SendArgs>),
    /// Send to many tokens (a file or stdin) with one result per token.
    Batch(Box<batch::BatchArgs>),
    /// Broadcast channels (iOS 18): create, read, list and delete the channels a Live
    /// Activity subscribes to; `pushlab send --channel ID` broadcasts on one.
    #[command(subcommand)]
    Channels(channels::ChannelsCommand),
    /// Run the local APNs simulator (HTTP/2 provider API, optionally the legacy binary
    /// interface), or export its CA.
    Sim(Box<sim::SimArgs>),
    /// [legacy] Read a feedback service (port 2196): the tokens of apps removed from devices.
    /// Part of the binary interface Apple retired on 31 March 2021.
    Feedback(Box<legacy::FeedbackArgs>),
    /// [legacy] Send one payload to many tokens over the binary interface (port 2195), which
    /// Apple retired on 31 March 2021; resends what the gateway discards after a bad token and
    /// reports a push accepted only once the gateway has confirmed it.
    LegacySend(Box<legacy::LegacySendArgs>),
    /// Print a shell completion script: `pushlab completions bash > /etc/bash_completion.d/pushlab`.
    Completions(docs::CompletionsArgs),
    /// Print the man page (pushlab.1), or write one page per command with --out DIR.
    Man(docs::ManArgs),
}

/// Exit codes shared by every command.
pub mod exit {
    /// Everything worked.
    pub const OK: u8 = 0;
    /// It ran, but something is wrong (an error finding, a rejected push).
    pub const PROBLEM: u8 = 1;
    /// It could not start: unreadable input, bad arguments, unreachable server.
    pub const FAILED: u8 = 2;
    /// Some pushes have no confirmed outcome (unconfirmed) or never went out (not sent):
    /// check before sending again.
    pub const UNCONFIRMED: u8 = 3;
}

/// Runs a parsed command line. Errors are said here, once ([`error::finish`]).
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Cert(cmd) => cert::run(cmd),
        Command::Sim(args) => sim::run(*args),
        Command::Check(args) => check::run(*args),
        Command::Doctor(args) => doctor::run(*args),
        Command::Send(args) => send::run(*args),
        Command::Batch(args) => batch::run(*args),
        Command::Channels(cmd) => channels::run(cmd),
        Command::Feedback(args) => legacy::feedback(*args),
        Command::LegacySend(args) => legacy::legacy_send(*args),
        Command::Completions(args) => docs::completions(args),
        Command::Man(args) => docs::man(args),
    };
    ExitCode::from(error::finish(result))
}

/// A problem writing an output file, in the command line's words.
pub(crate) fn output_problem(e: &pushlab::files::FileError) -> String {
    use pushlab::files::FileError;
    match e {
        FileError::Exists { path } => {
            format!("{} exists: pass --force to replace it", path.display())
        }
        FileError::SameAsInput { path, input } => format!(
            "{} is also an input ({}): write the output to another file (--force never replaces an input)",
            path.display(),
            input.display()
        ),
        other => other.to_string(),
    }
}

/// The most a payload file may hold: far above APNs' 5 KB (pretty-printed JSON is larger than
/// what is sent), far below what a wrong path (`/dev/zero`, a disk image) could fill memory with.
pub(crate) const MAX_PAYLOAD_FILE: u64 = 1 << 20;
/// The most a passphrase file or line may hold.
pub(crate) const MAX_PASSPHRASE_FILE: u64 = 64 << 10;
/// The most a token list read whole (`sim --tokens`, `legacy-send --tokens`) may hold: some
/// millions of lines.
pub(crate) const MAX_TOKEN_FILE: u64 = 256 << 20;

/// Reads an input that is small by nature (a payload, a passphrase, a token list read whole)
/// with a size cap: a folder or a device is refused before reading, and more than `limit`
/// bytes is refused with the limit named, so a wrong path never fills the memory. `-` is
/// standard input when `stdin` is set.
pub(crate) fn read_small(
    path: &std::path::Path,
    limit: u64,
    what: &str,
    stdin: bool,
) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context as _;
    use std::io::Read as _;
    let shown = path.display();
    let reader: Box<dyn std::io::Read> = if stdin && path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let meta =
            std::fs::metadata(path).with_context(|| format!("could not read {what} {shown}"))?;
        if meta.is_dir() {
            anyhow::bail!("{what} {shown} is a folder: give the file inside it");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            let t = meta.file_type();
            if t.is_char_device() || t.is_block_device() || t.is_socket() {
                anyhow::bail!("{what} {shown} is a device, not a file: give a file");
            }
        }
        Box::new(
            std::fs::File::open(path).with_context(|| format!("could not read {what} {shown}"))?,
        )
    };
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("could not read {what} {shown}"))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "{what} {shown} holds more than {} — is this the right file?",
            size_words(limit)
        );
    }
    Ok(bytes)
}

fn size_words(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// Runs a command's async body on a fresh runtime.
pub(crate) fn block_on<T, E: From<CliError>>(
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    run_on(true, fut)
}

/// Runs a command's async body on a fresh runtime with a single thread.
///
/// For `pushlab batch`: all its work is on one HTTP/2 connection or a few, whose stream state
/// h2 keeps behind one mutex. On a multi-thread runtime the request tasks and the connection
/// task fight over that mutex and wake each other across threads, which cost twice the CPU
/// time per push in profiles; one thread is also what leaves a core for the rest of the
/// machine.
pub(crate) fn block_on_current_thread<T, E: From<CliError>>(
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    run_on(false, fut)
}

/// The command line's one way to make a tokio runtime.
pub(crate) fn runtime(multi_thread: bool) -> Result<tokio::runtime::Runtime, CliError> {
    let mut builder = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder
        .enable_all()
        .thread_name("pushlab-cli")
        .build()
        .map_err(|e| CliError::new(format!("could not start the async runtime: {e}")))
}

fn run_on<T, E: From<CliError>>(
    multi_thread: bool,
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    runtime(multi_thread)?.block_on(fut)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::Cli;

    /// `pushlab … --help` explains every command and flag: none is listed bare.
    #[test]
    fn every_command_and_flag_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") || arg.is_hide_set() {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} --{id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() == "help" || sub.is_hide_set() {
                    continue;
                }
                let sub_path = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() && sub.get_long_about().is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "pushlab", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:#?}");
    }
}
