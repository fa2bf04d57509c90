//! The command line's one error path, as ripgrep's `main`: every command returns [`Exit`],
//! and [`finish`] is the one place that says an error and picks the exit code.
//!
//! Standard output written with [`outln!`] turns a reader that stopped early
//! (`pushlab man | head -1`) into [`CliError::ClosedPipe`]: the command stops there and ends
//! quietly with exit code 0, as ripgrep does — no "Broken pipe" text, no panic. Everything
//! printed up to then was correct, and the reader asked for no more.

use std::fmt;

use super::exit;

/// What a command ends with: the exit code it ran to (see [`exit`]), or why it stopped.
pub(crate) type Exit = Result<u8, CliError>;

/// Why a command stopped before its end.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Said as `error: {message}` (later lines as they are: hints), ending with `code`.
    /// Outside text in `message` was put through `words::for_terminal` where it was added.
    Failed { message: String, code: u8 },
    /// Standard output's reader went away: nothing more to say to anyone.
    ClosedPipe,
}

impl CliError {
    /// An error that stops the command with exit code 2 ([`exit::FAILED`]).
    pub(crate) fn new(message: impl fmt::Display) -> Self {
        Self::Failed {
            message: message.to_string(),
            code: exit::FAILED,
        }
    }

    /// The same error ending with another exit code (a credential problem is 1, a legacy
    /// batch that stopped half way ends with its pushes' code).
    pub(crate) fn with_code(self, code: u8) -> Self {
        match self {
            Self::Failed { message, .. } => Self::Failed { message, code },
            Self::ClosedPipe => Self::ClosedPipe,
        }
    }

    /// A write to standard output that failed: quiet when its reader is gone.
    pub(crate) fn writing(e: &std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Self::ClosedPipe
        } else {
            Self::new(format!("could not write to standard output: {e}"))
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed { message, .. } => f.write_str(message),
            Self::ClosedPipe => f.write_str("standard output was closed"),
        }
    }
}

impl std::error::Error for CliError {}

/// An error from the library or from reading input, said with its causes (`{:#}`: "could not
/// read the payload x.json: No such file or directory"). A closed standard output that went
/// through `anyhow` on its way up stays quiet.
impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<CliError>() {
            Ok(e) => e,
            Err(e) => Self::new(format!("{e:#}")),
        }
    }
}

/// The one place a command's error is said: prints it (on standard error) and returns the
/// exit code.
pub(crate) fn finish(result: Exit) -> u8 {
    match result {
        Ok(code) => code,
        Err(CliError::ClosedPipe) => exit::OK,
        Err(CliError::Failed { message, code }) => {
            say(&message);
            code
        }
    }
}

/// Says an error on standard error: for [`finish`], and for the one error among many items
/// that does not stop a command (one unreadable file of several in `cert inspect`).
pub(crate) fn say(message: &str) {
    eprintln!("error: {message}");
}

/// Writes one line to standard output; [`outln!`] calls it.
pub(crate) fn stdout_line(args: fmt::Arguments<'_>) -> Result<(), CliError> {
    use std::io::Write as _;
    writeln!(std::io::stdout().lock(), "{args}").map_err(|e| CliError::writing(&e))
}

/// `println!` for commands: `outln!("…")?` stops the command quietly when standard output's
/// reader has gone, where `println!` would panic.
macro_rules! outln {
    () => {
        $crate::cli::error::stdout_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::error::stdout_line(format_args!($($arg)*))
    };
}

pub(crate) use outln;

#[cfg(test)]
mod tests {
    use super::*;

    /// A closed standard output stays quiet even after `anyhow` carried it up with context.
    #[test]
    fn a_closed_pipe_is_quiet_through_anyhow() {
        let broken = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let carried = anyhow::Error::from(CliError::writing(&broken)).context("printing");
        assert!(matches!(CliError::from(carried), CliError::ClosedPipe));
        assert_eq!(finish(Err(CliError::ClosedPipe)), exit::OK);
    }

    /// Errors keep their causes and their exit code; another write error is one.
    #[test]
    fn errors_keep_their_causes_and_code() {
        let e = anyhow::anyhow!("No such file").context("could not read the payload x.json");
        let CliError::Failed { message, code } = CliError::from(e) else {
            panic!("a failure");
        };
        assert_eq!(message, "could not read the payload x.json: No such file");
        assert_eq!(code, exit::FAILED);
        let full = std::io::Error::other("disk full");
        assert!(matches!(
            CliError::writing(&full).with_code(exit::PROBLEM),
            CliError::Failed {
                code: exit::PROBLEM,
                ..
            }
        ));
    }
}
