//! `pushlab completions SHELL` and `pushlab man`: generated from the command-line definition
//! itself, so they never drift from `--help`.

use std::path::PathBuf;

use clap::{Args, CommandFactory as _};
use pushlab::files::{self, WriteOptions};

use super::error::{CliError, Exit, outln};
use super::{Cli, exit};

/// `pushlab completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    #[arg(value_name = "SHELL")]
    shell: clap_complete::Shell,
}

/// `pushlab man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write pushlab.1 and one page per command (pushlab-send.1, …) into this folder instead of
    /// printing pushlab.1.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace pages that already exist in --out.
    #[arg(long)]
    force: bool,
}

/// Prints the completion script for a shell.
pub fn completions(args: CompletionsArgs) -> Exit {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "pushlab", &mut script);
    print_whole(&script, "the completion script")
}

/// Writes `bytes` to stdout; a reader that stopped early (`| head`) ends it quietly.
fn print_whole(bytes: &[u8], what: &str) -> Exit {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(exit::OK),
        Err(e) => Err(match CliError::writing(&e) {
            CliError::ClosedPipe => CliError::ClosedPipe,
            CliError::Failed { .. } => CliError::new(format!("could not write {what}: {e}")),
        }),
    }
}

/// Prints the main man page, or writes every page into a folder.
pub fn man(args: ManArgs) -> Exit {
    let cmd = Cli::command();
    let Some(dir) = args.out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut page)
            .map_err(|e| CliError::new(format!("could not render the man page: {e}")))?;
        return print_whole(&page, "the man page");
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| CliError::new(format!("could not create {}: {e}", dir.display())))?;
    let mut pages = vec![("pushlab".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("pushlab-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    let options = WriteOptions {
        overwrite: args.force,
        secret: false,
    };
    for (name, page) in pages {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut bytes)
            .map_err(|e| CliError::new(format!("could not render {name}.1: {e}")))?;
        let path = dir.join(format!("{name}.1"));
        files::write_file(&path, &bytes, options)
            .map_err(|e| CliError::new(super::output_problem(&e)))?;
        outln!("{}", path.display())?;
    }
    Ok(exit::OK)
}
