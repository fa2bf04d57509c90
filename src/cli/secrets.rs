//! Passphrases come from an environment variable, a file, standard input or a no-echo prompt,
//! never from a command-line value (it would land in shell history and `ps`).

use std::io::{BufRead as _, IsTerminal as _, Read as _};
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use pushlab::cert::Passphrase;

#[derive(Debug, Clone, Default, Args)]
#[group(multiple = false)]
pub struct PassphraseArgs {
    /// Read the input passphrase from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Read the input passphrase from the first line of this file.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Read the input passphrase from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

impl PassphraseArgs {
    /// The passphrase given by one of the options, if any.
    pub fn resolve(&self) -> anyhow::Result<Option<Passphrase>> {
        if let Some(var) = &self.password_env {
            let value = std::env::var(var)
                .with_context(|| format!("the environment variable {var} is not set"))?;
            return Ok(Some(Passphrase::new(value)));
        }
        if let Some(path) = &self.password_file {
            return passphrase_file(path).map(Some);
        }
        if self.password_stdin {
            // One line, capped: an endless line must not take the memory.
            let mut line = Vec::new();
            std::io::stdin()
                .lock()
                .take(super::MAX_PASSPHRASE_FILE + 1)
                .read_until(b'\n', &mut line)
                .context("could not read the passphrase from standard input")?;
            if line.len() as u64 > super::MAX_PASSPHRASE_FILE {
                bail!(
                    "the passphrase on standard input is longer than {} KiB without a line end — is this the right input?",
                    super::MAX_PASSPHRASE_FILE >> 10
                );
            }
            let text = String::from_utf8(line)
                .context("the passphrase on standard input is not UTF-8 text")?;
            return Ok(Some(first_line(&text)));
        }
        Ok(None)
    }
}

/// The first line of a passphrase file, read with a size cap.
fn passphrase_file(path: &std::path::Path) -> anyhow::Result<Passphrase> {
    let bytes = super::read_small(
        path,
        super::MAX_PASSPHRASE_FILE,
        "the passphrase file",
        false,
    )?;
    let text = String::from_utf8(bytes)
        .with_context(|| format!("the passphrase file {} is not UTF-8 text", path.display()))?;
    Ok(first_line(&text))
}

fn first_line(text: &str) -> Passphrase {
    Passphrase::new(text.lines().next().unwrap_or_default())
}

/// Asks for a passphrase without echo, when a person is at the terminal.
pub fn prompt(what: &str) -> anyhow::Result<Option<Passphrase>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let value = rpassword::prompt_password(format!("Passphrase for {what}: "))
        .context("could not read the passphrase from the terminal")?;
    Ok(Some(Passphrase::new(value)))
}

/// A passphrase for output files, from an environment variable or a file.
#[derive(Debug, Clone, Default, Args)]
#[group(multiple = false)]
pub struct OutPassphraseArgs {
    /// Encrypt the written key / protect the written .p12 with the passphrase in this variable.
    #[arg(long, value_name = "VAR")]
    pub out_password_env: Option<String>,
    /// Same, from the first line of this file.
    #[arg(long, value_name = "FILE")]
    pub out_password_file: Option<PathBuf>,
}

impl OutPassphraseArgs {
    pub fn resolve(&self) -> anyhow::Result<Option<Passphrase>> {
        if let Some(var) = &self.out_password_env {
            let value = std::env::var(var)
                .with_context(|| format!("the environment variable {var} is not set"))?;
            if value.is_empty() {
                bail!(
                    "the environment variable {var} is empty: leave the option out to write an unencrypted key"
                );
            }
            return Ok(Some(Passphrase::new(value)));
        }
        if let Some(path) = &self.out_password_file {
            return passphrase_file(path).map(Some);
        }
        Ok(None)
    }
}
