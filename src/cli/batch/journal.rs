//! `pushlab batch`'s journal and `--resume`, and the signals that stop a batch.
//!
//! Every batch whose tokens come from a file keeps a journal (in the data folder's `batches/`
//! unless `--journal FILE` or `--no-journal`); it is removed when every push ended with a
//! final result. `pushlab batch --resume JOURNAL` runs the same command again (the journal
//! keeps its arguments and folder) and sends only what has no final result.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Parser;
use pushlab::client::{BatchInput, BatchJournal, CancelFlag, JournalHeader, JournalState};

use super::BatchArgs;

/// The saved arguments of a batch, parsed again as `pushlab batch` would.
#[derive(Debug, Parser)]
#[command(name = "pushlab batch")]
struct Saved {
    #[command(flatten)]
    args: BatchArgs,
}

/// A batch being resumed.
pub struct Resume {
    pub path: PathBuf,
    pub state: JournalState,
}

/// Reads the journal, moves to the batch's folder and gives back its arguments.
pub fn resume(path: &Path) -> anyhow::Result<(BatchArgs, Resume)> {
    // Absolute first: the folder changes below.
    let path = std::path::absolute(path).with_context(|| format!("--resume {}", path.display()))?;
    let state =
        JournalState::read(&path).with_context(|| format!("--resume {}", path.display()))?;
    let header = &state.header;
    std::env::set_current_dir(&header.cwd).with_context(|| {
        format!(
            "the batch ran in {}, which cannot be entered now",
            header.cwd.display()
        )
    })?;
    if header.args.first().map(String::as_str) == Some("--pushlab-app-batch") {
        anyhow::bail!(
            "{} is a batch the desktop app began: resume it on the app's Batch screen",
            path.display()
        );
    }
    let saved = Saved::try_parse_from(
        std::iter::once("pushlab batch".to_owned()).chain(header.args.iter().cloned()),
    )
    .map_err(|e| anyhow::anyhow!("the journal's arguments do not read: {e}"))?;
    let args = saved.args;
    for (flag, path) in inputs(&args) {
        let Some(before) = header.inputs.get(flag) else {
            continue;
        };
        let now = JournalHeader::fingerprint(path)
            .with_context(|| format!("{flag} {}", path.display()))?;
        if &now != before {
            anyhow::bail!(
                "{flag} {} changed since the batch started: its lines would no longer be the same pushes, so it cannot be resumed",
                path.display()
            );
        }
    }
    Ok((args, Resume { path, state }))
}

/// The batch's input files, by flag (standard input is not one: it cannot be read again).
fn inputs(args: &BatchArgs) -> Vec<(&'static str, &Path)> {
    let mut out = Vec::new();
    if let Some(t) = args.tokens.as_deref().filter(|p| p.as_os_str() != "-") {
        out.push(("--tokens", t));
    }
    if let Some(p) = args.payloads.as_deref().filter(|p| p.as_os_str() != "-") {
        out.push(("--payloads", p));
    }
    out
}

/// Opens the journal for this run: the resumed one, the one asked for, or a new one in the
/// data folder. `Ok(None)` when there is none (asked for, or tokens from standard input).
pub fn open(args: &BatchArgs, resume: Option<&Resume>) -> anyhow::Result<Option<BatchJournal>> {
    if let Some(r) = resume {
        let j = BatchJournal::append(&r.path)
            .with_context(|| format!("could not write the journal {}", r.path.display()))?;
        return Ok(Some(j));
    }
    if args.no_journal {
        return Ok(None);
    }
    if args.tokens.as_deref().is_none_or(|t| t.as_os_str() == "-") {
        if args.journal.is_some() {
            anyhow::bail!(
                "--journal: tokens from standard input cannot be read again, so the batch could not be resumed; give --tokens FILE"
            );
        }
        return Ok(None);
    }
    let mut header = JournalHeader {
        pushlab_batch_journal: 1,
        cwd: std::env::current_dir().context("the current folder")?,
        args: raw_args(),
        inputs: Default::default(),
    };
    for (flag, path) in inputs(args) {
        // Unreadable inputs are reported when they are opened.
        if let Ok(f) = JournalHeader::fingerprint(path) {
            header.inputs.insert(flag.to_owned(), f);
        }
    }
    let explicit = args.journal.is_some();
    let path = match &args.journal {
        Some(p) => p.clone(),
        None => match default_path() {
            Ok(p) => p,
            Err(e) => {
                warn(&format!(
                    "no journal (the batch cannot be resumed if interrupted): {e:#}"
                ));
                return Ok(None);
            }
        },
    };
    match BatchJournal::create(&path, &header) {
        Ok(j) => Ok(Some(j)),
        Err(e) if explicit => Err(anyhow::anyhow!(
            "--journal {}: {}",
            path.display(),
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                "exists: resume it with --resume, or choose another file".to_owned()
            } else {
                e.to_string()
            }
        )),
        Err(e) => {
            warn(&format!(
                "no journal (the batch cannot be resumed if interrupted): {}: {e}",
                path.display()
            ));
            Ok(None)
        }
    }
}

/// The arguments after `batch`, as typed.
fn raw_args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .skip_while(|a| a != "batch")
        .skip(1)
        .collect()
}

/// `<data folder>/batches/batch-<time>-<pid>.jsonl`, the folder made owner-only.
fn default_path() -> anyhow::Result<PathBuf> {
    let dir = pushlab::files::data_dir()
        .context("no data folder on this system (give --journal FILE)")?
        .join("batches");
    pushlab::files::create_private_dir(&dir)
        .with_context(|| format!("could not make {}", dir.display()))?;
    let now = time::OffsetDateTime::now_utc();
    Ok(dir.join(format!(
        "batch-{}-{}.jsonl",
        now.unix_timestamp(),
        std::process::id()
    )))
}

/// The input entries as the journal has them (see [`JournalState::resumed`]).
pub fn filter<'a>(
    inputs: impl Iterator<Item = BatchInput> + 'a,
    resume: Option<&'a Resume>,
) -> Box<dyn Iterator<Item = BatchInput> + 'a> {
    let Some(r) = resume else {
        return Box::new(inputs);
    };
    Box::new(
        inputs
            .enumerate()
            .map(move |(i, input)| r.state.resumed(i as u64, input)),
    )
}

/// Stops the batch on SIGINT (Ctrl-C), SIGTERM (`timeout`, CI, systemd) and SIGHUP (a closed
/// terminal) alike: the first lets the answers in flight arrive; a second stops at once.
/// Everything known is written either way.
pub fn stop_on_signals(cancel: CancelFlag) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        // Registered before the batch starts, so no signal finds the default action.
        let mut int = signal(SignalKind::interrupt()).context("listening for Ctrl-C")?;
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        let mut hup = signal(SignalKind::hangup()).context("listening for SIGHUP")?;
        tokio::spawn(async move {
            let mut seen = 0;
            loop {
                let name = tokio::select! {
                    Some(()) = int.recv() => "interrupted",
                    Some(()) = term.recv() => "SIGTERM",
                    Some(()) = hup.recv() => "SIGHUP",
                    else => return,
                };
                seen += 1;
                stopped(name, seen, &cancel);
            }
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        let mut seen = 0;
        while tokio::signal::ctrl_c().await.is_ok() {
            seen += 1;
            stopped("interrupted", seen, &cancel);
        }
    });
    Ok(())
}

fn stopped(name: &str, seen: u32, cancel: &CancelFlag) {
    if seen == 1 {
        warn(&format!(
            "\n{name}: stopping — waiting for the answers in flight (again to stop at once)…"
        ));
        cancel.cancel();
    } else {
        warn(&format!(
            "\n{name} again: stopping at once; pushes still in flight are reported unconfirmed"
        ));
        cancel.abort();
    }
}

/// A line on standard error that never panics: after SIGHUP the terminal may be gone.
pub fn warn(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
