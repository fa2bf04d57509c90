use std::io::{BufReader, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use pushlab::apns::token_list::{LinesByNumber, ListedToken, TokenListReader};
use pushlab::client::{
    self, BatchEvent, BatchInput, BatchItem, BatchOptions, BatchSummary, CancelFlag, InvalidInput,
    Outcome, TokenResult,
};
use pushlab::files::{self, OutputFile, WriteOptions};
use pushlab::words::for_terminal;

use super::exit;
use super::push::{self, CredentialArgs, HeaderArgs, PayloadArgs, TargetArgs};

mod journal;
mod stats;
mod summary;

use journal::{Resume, warn};
use summary::{exit_code, print_summary};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Tokens, one per line, optionally followed by a name (`TOKEN Alice's iPhone`, `TOKEN,name`,
    /// `<740f4707 …> name`); `#` comments; - for standard input.
    #[arg(long, value_name = "FILE|-", required_unless_present = "resume")]
    tokens: Option<PathBuf>,
    /// Resume an interrupted batch (Ctrl-C, SIGTERM, SIGHUP, a crash, kill -9) from its
    /// journal: sends exactly the pushes with no final result, never one that was delivered
    /// or may have been (those are listed as unconfirmed for you to decide). Every other
    /// option comes from the journal.
    #[arg(long, value_name = "JOURNAL", conflicts_with = "tokens")]
    resume: Option<PathBuf>,
    /// Keep the batch's journal in this file (default: a new file under the data folder's
    /// batches/, removed when every push has a final result).
    #[arg(long, value_name = "FILE", conflicts_with = "no_journal")]
    journal: Option<PathBuf>,
    /// Keep no journal: an interrupted batch cannot be resumed.
    #[arg(long)]
    no_journal: bool,
    /// One JSON payload per line (JSON Lines): line N is the payload for the token on line N.
    #[arg(long, value_name = "FILE", conflicts_with = "payload")]
    payloads: Option<PathBuf>,
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    credential: CredentialArgs,
    #[command(flatten)]
    headers: HeaderArgs,
    #[command(flatten)]
    payload: PayloadArgs,
    /// Write tokens to remove from your database (410 Unregistered, ExpiredToken) to this file.
    #[arg(long, value_name = "FILE")]
    dead_tokens: Option<PathBuf>,
    /// Write tokens APNs called BadDeviceToken (malformed, or from the other environment:
    /// check them, do not delete them) to this file.
    #[arg(long, value_name = "FILE")]
    bad_tokens: Option<PathBuf>,
    /// Send pushes that got no answer again (at-least-once: the phone may show one twice).
    /// Without it they are reported unconfirmed and not resent.
    #[arg(long)]
    resend_unconfirmed: bool,
    /// Stop sending after this many seconds; what has not gone out is reported not sent.
    #[arg(long, value_name = "SECONDS")]
    deadline: Option<u64>,
    /// Replace existing --dead-tokens / --bad-tokens files.
    #[arg(long)]
    force: bool,
    /// HTTP/2 connections to spread the batch over, opened at once; `auto` starts with one and
    /// adds one while every connection is full and answers do not queue (a slow network), up
    /// to 8.
    #[arg(long, default_value = "1", value_parser = parse_connections)]
    connections: Connections,
    /// Most pushes in flight per connection (the server's limit applies too).
    #[arg(long, default_value_t = 1000)]
    max_in_flight: usize,
    /// One JSON object per token, then {"summary": …}.
    #[arg(long)]
    json: bool,
    /// Print only problems and the summary.
    #[arg(long)]
    quiet: bool,
    /// Every SECONDS, a progress line for scripts on standard error:
    /// {"stats":{"elapsed_seconds":…,"done":…,"total":…,"per_second":…,"delivered":…,…}}.
    #[arg(long, value_name = "SECONDS")]
    stats_every: Option<u64>,
}

/// `--connections`: a number, or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connections {
    Fixed(usize),
    Auto,
}

/// The most connections `--connections auto` opens: past a handful, a batch on one machine
/// is held back by its CPU rather than the round trip, and Apple asks senders not to open
/// connections by the dozen.
const AUTO_MAX_CONNECTIONS: usize = 8;

fn parse_connections(s: &str) -> Result<Connections, String> {
    if s.eq_ignore_ascii_case("auto") {
        return Ok(Connections::Auto);
    }
    match s.parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(Connections::Fixed(n)),
        _ => Err(format!("'{s}': give a number from 1 to 1000, or auto")),
    }
}

fn open(path: &Path, flag: &str) -> anyhow::Result<Box<dyn std::io::BufRead + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    // A folder or a device is no list: refused before anything is sent ("could not start"),
    // rather than read as one invalid line, or forever (/dev/zero).
    let meta =
        std::fs::metadata(path).with_context(|| format!("could not open {}", path.display()))?;
    if meta.is_dir() {
        anyhow::bail!(
            "{flag} {} is a folder: give the file inside it",
            path.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() || t.is_socket() {
            anyhow::bail!(
                "{flag} {} is a device, not a file: give a file",
                path.display()
            );
        }
    }
    let f =
        std::fs::File::open(path).with_context(|| format!("could not open {}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
}

pub fn run(args: BatchArgs) -> u8 {
    let started = match &args.resume {
        Some(path) => journal::resume(path).map(|(args, r)| (args, Some(r))),
        None => Ok((args, None)),
    };
    match started.and_then(|(args, resume)| run_inner(args, resume)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit::FAILED
        }
    }
}

fn run_inner(args: BatchArgs, resume: Option<Resume>) -> anyhow::Result<u8> {
    let push_type = args.headers.push_type;
    let shared_payload = match &args.payloads {
        Some(_) => None,
        None => {
            let p = args.payload.build(push_type)?;
            push::check_payload(&p, push_type, args.headers.priority)?;
            Some(bytes::Bytes::from(p))
        }
    };
    let tokens_path = args
        .tokens
        .clone()
        .context("--tokens FILE or --resume JOURNAL is needed")?;
    let tokens = open(&tokens_path, "--tokens")?;
    let mut payload_lines = args
        .payloads
        .as_ref()
        .map(|p| open(p, "--payloads"))
        .transpose()?
        .map(LinesByNumber::new);
    if args.dead_tokens.is_some() && args.dead_tokens == args.bad_tokens {
        anyhow::bail!(
            "--dead-tokens and --bad-tokens need two files: one list is to delete, the other to check"
        );
    }
    // A resumed batch writes its lists whole again (the earlier runs' entries come from the
    // journal), over what an earlier run may have left.
    let replace = args.force || resume.is_some();
    let mut dead = args
        .dead_tokens
        .as_deref()
        .map(|p| create_list(p, "--dead-tokens", &args, replace))
        .transpose()?;
    let mut bad = args
        .bad_tokens
        .as_deref()
        .map(|p| create_list(p, "--bad-tokens", &args, replace))
        .transpose()?;
    let mut journal = journal::open(&args, resume.as_ref())?;
    if let Some(j) = &journal
        && resume.is_none()
    {
        warn(&format!(
            "journal: {0} (if the batch is interrupted: pushlab batch --resume {0})",
            j.path().display()
        ));
    }
    if let Some(r) = &resume {
        warn(&format!(
            "resuming {}: {} delivered, {} rejected and {} invalid lines were settled earlier and are not sent again",
            r.path.display(),
            r.state.earlier_delivered,
            r.state.earlier_rejected,
            r.state.earlier_invalid
        ));
    }
    super::block_on_current_thread(async move {
        let resolved = push::resolve(
            &args.target,
            &args.credential,
            args.headers.topic.as_deref(),
        )
        .await?;
        let topic = args.headers.topic(&resolved);
        if let Some(note) = &resolved.proxy_note {
            eprintln!("note: connecting {note}");
        }
        for w in resolved.warnings(topic.as_deref(), push_type) {
            eprintln!("warning: {}", for_terminal(&w.to_string()));
        }
        let headers = args.headers.clone();
        // Streamed: lines are read as the batch needs them; every line that is not blank or
        // a comment becomes one result, a push or an invalid-input entry with its number.
        let inputs = TokenListReader::new(tokens).map(move |entry| -> BatchInput {
            let listed = match entry {
                Ok(listed) => listed,
                Err(bad) => {
                    return InvalidInput {
                        line: Some(bad.line),
                        text: bad.text,
                        reason: bad.reason,
                    }
                    .into();
                }
            };
            if listed.latin1 {
                warn(&format!(
                    "warning: line {}: not UTF-8; its name was read as Latin-1 (save the list as UTF-8)",
                    listed.line
                ));
            }
            let payload = match (&shared_payload, payload_lines.as_mut()) {
                (Some(p), _) => Ok(p.clone()),
                (None, Some(lines)) => payload_for(lines, &listed, push_type, headers.priority),
                (None, None) => Err("no payload".to_owned()),
            };
            let made = payload.and_then(|payload| {
                headers
                    .notification(listed.token.clone(), topic.clone(), payload)
                    .map_err(|e| format!("{e:#}"))
            });
            match made {
                Ok(notification) => BatchItem {
                    notification,
                    name: listed.name().map(str::to_owned),
                    line: Some(listed.line),
                }
                .into(),
                Err(reason) => InvalidInput {
                    line: Some(listed.line),
                    text: listed.token.to_hex(),
                    reason,
                }
                .into(),
            }
        });
        let inputs = journal::filter(inputs, resume.as_ref());
        let (tx, mut rx) = tokio::sync::mpsc::channel(4096);
        let (json, quiet) = (args.json, args.quiet);
        // A line of figures for scripts takes the place of the terminal's counter.
        let mut stats = args.stats_every.map(stats::Stats::new);
        let progress_on_tty = !json && stats.is_none() && std::io::stderr().is_terminal();
        let printer = tokio::spawn(async move {
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
            let mut write_error = None;
            let mut unflushed = 0u32;
            while let Some(event) = rx.recv().await {
                // Written out as they come (whenever the queue is drained, and at least every
                // 256 results): a kill loses at most what is in flight here, not 64 KiB.
                unflushed += 1;
                if rx.is_empty() || unflushed >= 256 {
                    unflushed = 0;
                    let _ = out.flush();
                    for f in [dead.as_mut(), bad.as_mut()].into_iter().flatten() {
                        if let Err(e) = f.flush() {
                            write_error.get_or_insert(e);
                        }
                    }
                }
                match event {
                    BatchEvent::Result(r) => {
                        if let Some(s) = stats.as_mut() {
                            s.record(&r);
                        }
                        let list = if r.is_dead_token() {
                            dead.as_mut()
                        } else if r.is_bad_device_token() {
                            bad.as_mut()
                        } else {
                            None
                        };
                        if let Some(f) = list
                            && let Err(e) =
                                writeln!(f, "{}\t{}", r.token, r.reason.as_deref().unwrap_or(""))
                        {
                            write_error.get_or_insert(e);
                        }
                        if json {
                            if r.outcome == Outcome::InvalidInput {
                                // Standard output is for machines here; a person reads this.
                                warn(&result_line(&r));
                            }
                            // Straight into the buffer: no string per result.
                            let _ = serde_json::to_writer(&mut out, &r);
                            let _ = out.write_all(b"\n");
                        } else if !quiet || r.outcome != Outcome::Delivered {
                            let _ = writeln!(out, "{}", result_line(&r));
                        }
                    }
                    BatchEvent::Progress {
                        done,
                        total,
                        per_second,
                        eta_seconds,
                        ..
                    } if progress_on_tty => {
                        let total = total.map(|t| format!("/{t}")).unwrap_or_default();
                        let eta = eta_seconds
                            .map(|e| format!(", ETA {e:.0} s"))
                            .unwrap_or_default();
                        let _ = out.flush();
                        // Never a panic: after SIGHUP the terminal may be gone, and the
                        // lists this task holds must still be saved.
                        let _ = write!(
                            std::io::stderr(),
                            "\r{done}{total} done, {per_second:.0}/s{eta}   "
                        );
                    }
                    BatchEvent::ConnectFailed(e) => {
                        warn(&format!(
                            "connection failed (retrying): {}",
                            for_terminal(&e)
                        ));
                    }
                    BatchEvent::Progress {
                        done,
                        total,
                        per_second,
                        ..
                    } => {
                        if let Some(s) = stats.as_mut() {
                            let _ = out.flush();
                            s.progress(done, total, per_second);
                        }
                    }
                }
            }
            let _ = out.flush();
            if progress_on_tty {
                warn("");
            }
            (dead, bad, write_error)
        });
        let cancel = CancelFlag::default();
        journal::stop_on_signals(cancel.clone())?;
        let options = BatchOptions {
            connections: match args.connections {
                Connections::Fixed(n) => n.max(1),
                Connections::Auto => AUTO_MAX_CONNECTIONS,
            },
            auto_connections: args.connections == Connections::Auto,
            max_in_flight: args.max_in_flight.max(1),
            resend_unconfirmed: args.resend_unconfirmed,
            deadline: args.deadline.map(Duration::from_secs),
            ..Default::default()
        };
        let target = resolved.target.clone();
        let auth = resolved.auth.clone();
        let summary = client::send_batch_journaled(
            &target,
            &auth,
            inputs,
            None,
            &options,
            tx,
            cancel.clone(),
            journal.as_mut(),
        )
        .await;
        // The lists take their files' names only now, complete; an old file stays until then.
        let (dead, bad, write_error) = printer.await.unwrap_or((None, None, None));
        let mut lists_saved = write_error.is_none();
        if let Some(e) = write_error {
            warn(&format!("error: could not write a token list: {e}"));
        }
        for (list, what) in [(dead, "dead tokens"), (bad, "BadDeviceToken tokens")] {
            if let Some(Err(e)) = list.map(OutputFile::commit) {
                warn(&format!(
                    "error: the {what} were not saved: {}",
                    super::output_problem(&e)
                ));
                lists_saved = false;
            }
        }
        let journal_note = journal.map(|j| finish_journal(j, &summary, &args, &cancel));
        if json {
            let mut s = serde_json::to_value(&summary)?;
            s["invalid_lines"] = summary.invalid_input.into();
            s["wrong_environment_likely"] = summary.wrong_environment_likely().into();
            println!("{}", serde_json::json!({ "summary": s }));
        } else {
            print_summary(&summary, &args, &resolved, lists_saved);
        }
        if let Some(note) = journal_note.filter(|n| !n.is_empty()) {
            warn(&note);
        }
        resolved.finish().await;
        anyhow::Ok(if lists_saved {
            exit_code(&summary)
        } else {
            exit::FAILED
        })
    })
}

/// The payload on the token's own line number of the payloads file.
fn payload_for<R: std::io::BufRead>(
    lines: &mut LinesByNumber<R>,
    listed: &ListedToken,
    push_type: pushlab::apns::PushType,
    priority: Option<u8>,
) -> Result<bytes::Bytes, String> {
    let n = listed.line;
    let text = match lines.line(n) {
        None => return Err(format!("the payloads file has no line {n}")),
        Some(Err(e)) => return Err(format!("payload line {n}: {e}")),
        Some(Ok(text)) if text.latin1 => {
            return Err(format!("payload line {n} is not UTF-8 (JSON must be)"));
        }
        Some(Ok(text)) => text.text,
    };
    if text.trim().is_empty() {
        return Err(format!("payload line {n} is empty"));
    }
    let check = pushlab::apns::check_payload(text.as_bytes(), push_type, priority);
    if let Some(e) = check.errors.first() {
        return Err(format!("payload line {n}: {e}"));
    }
    Ok(bytes::Bytes::from(text))
}

/// One line of text output for a result.
fn result_line(r: &TokenResult) -> String {
    // Every piece from outside (names and lines from the list, the server's reason, errors
    // that quote a server) is escaped: one result is always one line, and none can be forged.
    let name = r
        .name
        .as_deref()
        .map(|n| format!(" ({})", for_terminal(n)))
        .unwrap_or_default();
    let error = for_terminal(r.error.as_deref().unwrap_or(""));
    let what = match r.outcome {
        Outcome::Delivered => "200 delivered".to_owned(),
        Outcome::Rejected => format!(
            "{} {}",
            r.status.unwrap_or(0),
            for_terminal(r.reason.as_deref().unwrap_or(""))
        ),
        Outcome::Unconfirmed => format!("unconfirmed: {error}"),
        Outcome::NotSent => format!("not sent: {error}"),
        Outcome::InvalidInput => {
            let at = r.line.map(|l| format!("line {l}: ")).unwrap_or_default();
            return format!(
                "{at}invalid input '{}': {error}",
                for_terminal(&r.token.to_string())
            );
        }
    };
    format!(
        "{}{name}  {what}  attempts {}",
        for_terminal(&r.token.to_string()),
        r.attempts
    )
}

/// Opens a token list for writing before anything is sent: never over an input, and over an
/// existing file only with --force. Written to a temporary file, named at the end.
fn create_list(
    path: &Path,
    flag: &str,
    args: &BatchArgs,
    overwrite: bool,
) -> anyhow::Result<OutputFile> {
    let inputs: Vec<&Path> = args
        .tokens
        .as_deref()
        .into_iter()
        .chain(args.journal.as_deref())
        .chain(args.resume.as_deref())
        .chain(args.payloads.as_deref())
        .filter(|p| p.as_os_str() != "-")
        .collect();
    let options = WriteOptions {
        overwrite,
        secret: false,
    };
    // Standard input fed from a file (`--tokens - < list.txt`) is that file.
    let stdin = Path::new("/dev/stdin");
    let mut inputs = inputs;
    if cfg!(unix)
        && [args.tokens.as_deref(), args.payloads.as_deref()]
            .into_iter()
            .flatten()
            .any(|p| p.as_os_str() == "-")
    {
        inputs.push(stdin);
    }
    files::refuse_same_file(path, &inputs)
        .and_then(|()| files::refuse_owned(path))
        .and_then(|()| OutputFile::create(path, options))
        .map_err(|e| anyhow::anyhow!("{flag}: {}", super::output_problem(&e)))
}

/// Removes the journal when every push has a final result and the journal was not asked for;
/// otherwise says how to go on. The sentence for standard error.
fn finish_journal(
    journal: pushlab::client::BatchJournal,
    summary: &BatchSummary,
    args: &BatchArgs,
    cancel: &CancelFlag,
) -> String {
    let path = journal.path().to_owned();
    if let Some(e) = journal.failure() {
        return format!(
            "the journal {} could not be written to the end ({e}): pushes it shows as sent without an answer count as unconfirmed if you resume",
            path.display()
        );
    }
    drop(journal);
    if summary.not_sent == 0 && !cancel.is_cancelled() {
        if args.journal.is_none() && args.resume.is_none() {
            let _ = std::fs::remove_file(&path);
            return String::new();
        }
        return format!("journal: {} (every push has its result)", path.display());
    }
    format!(
        "journal kept: {0}\n  send what was not sent: pushlab batch --resume {0}",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_a_number_from_1_to_1000_or_auto() {
        assert_eq!(parse_connections("auto"), Ok(Connections::Auto));
        assert_eq!(parse_connections("AUTO"), Ok(Connections::Auto));
        assert_eq!(parse_connections("1"), Ok(Connections::Fixed(1)));
        assert_eq!(parse_connections("1000"), Ok(Connections::Fixed(1000)));
        for bad in ["0", "1001", "-1", "four", ""] {
            assert!(parse_connections(bad).is_err(), "{bad}");
        }
    }
}
