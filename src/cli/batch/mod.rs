use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use pushlab::apns::token_list::{LinesByNumber, ListedToken, TokenListReader};
use pushlab::client::{
    self, BatchInput, BatchItem, BatchOptions, BatchSummary, CancelFlag, InvalidInput,
};
use pushlab::files::{self, OutputFile, WriteOptions};

use super::error::{Exit, outln, say};
use super::exit;
use super::notification::{self, HeaderArgs, PayloadArgs};
use super::target::{CredentialArgs, TargetArgs};

mod interrupted;
mod journal;
mod printer;
mod stats;
mod summary;

use journal::{Resume, warn};
use printer::{Lists, Printer};
use summary::{exit_code, print_summary};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Tokens, one per line, optionally followed by a name (`TOKEN Alice's iPhone`, `TOKEN,name`,
    /// `<740f4707 …> name`); `#` comments; - for standard input.
    #[arg(
        long,
        value_name = "FILE|-",
        required_unless_present_any = ["resume", "interrupted", "discard"]
    )]
    tokens: Option<PathBuf>,
    /// Resume an interrupted batch (Ctrl-C, SIGTERM, SIGHUP, a crash, kill -9) from its
    /// journal: sends exactly the pushes with no final result, never one that was delivered
    /// or may have been (those are listed as unconfirmed for you to decide). Every other
    /// option comes from the journal.
    #[arg(long, value_name = "JOURNAL", conflicts_with = "tokens")]
    resume: Option<PathBuf>,
    /// List the batches of this data folder that were interrupted, newest first: what each
    /// settled, what went out without an answer, and the commands that resume or discard it.
    #[arg(long, conflicts_with_all = ["tokens", "resume"])]
    interrupted: bool,
    /// Remove an interrupted batch's journal (and the app's entries beside it) that you will
    /// not resume. One that holds pushes sent without an answer, the only record of which
    /// pushes may have reached APNs, is kept unless --force is given.
    #[arg(long, value_name = "JOURNAL", conflicts_with_all = ["tokens", "resume", "interrupted"])]
    discard: Option<PathBuf>,
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
    /// Replace existing --dead-tokens / --bad-tokens files; with --discard, remove a journal
    /// that holds pushes sent without an answer.
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

pub fn run(args: BatchArgs) -> Exit {
    if args.interrupted {
        return interrupted::list(args.json);
    }
    if let Some(journal) = &args.discard {
        return interrupted::discard(journal, args.force, args.json);
    }
    let (args, resume) = match &args.resume {
        Some(path) => {
            let (args, resume) = journal::resume(path)?;
            (args, Some(resume))
        }
        None => (args, None),
    };
    let prepared = prepare(&args, resume.as_ref())?;
    super::block_on_current_thread(send(args, resume, prepared))
}

/// What is read and opened before anything is sent.
struct Prepared {
    /// The payload every push carries, unless each has its own line in --payloads.
    shared_payload: Option<bytes::Bytes>,
    tokens: Box<dyn std::io::BufRead + Send>,
    payload_lines: Option<LinesByNumber<Box<dyn std::io::BufRead + Send>>>,
    dead: Option<OutputFile>,
    bad: Option<OutputFile>,
    journal: Option<pushlab::client::BatchJournal>,
}

/// Reads the payload, opens the inputs, the lists and the journal: every problem that stops a
/// batch before it starts.
fn prepare(args: &BatchArgs, resume: Option<&Resume>) -> anyhow::Result<Prepared> {
    let push_type = args.headers.push_type;
    let shared_payload = match &args.payloads {
        Some(_) => None,
        None => {
            let p = args.payload.build(push_type)?;
            notification::check_payload(&p, push_type, args.headers.priority)?;
            Some(bytes::Bytes::from(p))
        }
    };
    let tokens_path = args
        .tokens
        .clone()
        .context("--tokens FILE or --resume JOURNAL is needed")?;
    let tokens = open(&tokens_path, "--tokens")?;
    let payload_lines = args
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
    let dead = args
        .dead_tokens
        .as_deref()
        .map(|p| create_list(p, "--dead-tokens", args, replace))
        .transpose()?;
    let bad = args
        .bad_tokens
        .as_deref()
        .map(|p| create_list(p, "--bad-tokens", args, replace))
        .transpose()?;
    let journal = journal::open(args, resume)?;
    if let Some(j) = &journal
        && resume.is_none()
    {
        warn(&format!(
            "journal: {0} (if the batch is interrupted: pushlab batch --resume {0})",
            j.path().display()
        ));
    }
    if let Some(r) = resume {
        warn(&format!(
            "resuming {}: {} delivered, {} rejected and {} invalid lines were settled earlier and are not sent again",
            r.path.display(),
            r.state.earlier_delivered,
            r.state.earlier_rejected,
            r.state.earlier_invalid
        ));
    }
    Ok(Prepared {
        shared_payload,
        tokens,
        payload_lines,
        dead,
        bad,
        journal,
    })
}

/// Connects, sends every line, prints the results and the summary.
async fn send(args: BatchArgs, resume: Option<Resume>, prepared: Prepared) -> Exit {
    let (resolved, topic) = args
        .headers
        .resolve_route(&args.target, &args.credential)
        .await?;
    let Prepared {
        shared_payload,
        tokens,
        payload_lines,
        dead,
        bad,
        mut journal,
    } = prepared;
    let inputs = inputs(tokens, shared_payload, payload_lines, &args.headers, topic);
    let inputs = journal::filter(inputs, resume.as_ref());
    let (tx, rx) = tokio::sync::mpsc::channel(4096);
    let printer = Printer {
        json: args.json,
        quiet: args.quiet,
        stats: args.stats_every.map(stats::Stats::new),
        lists: Lists {
            dead,
            bad,
            write_error: None,
        },
        line: Vec::with_capacity(512),
    };
    let printer = tokio::spawn(printer.run(rx));
    let cancel = CancelFlag::default();
    journal::stop_on_signals(cancel.clone())?;
    let summary = client::send_batch_journaled(
        &resolved.route.target,
        &resolved.route.auth,
        inputs,
        None,
        &options(&args),
        tx,
        cancel.clone(),
        journal.as_mut(),
    )
    .await;
    let lists_saved = save_lists(printer.await.ok());
    let journal_note = journal.map(|j| finish_journal(j, &summary, &args, &cancel));
    if args.json {
        let mut s = serde_json::to_value(&summary).map_err(anyhow::Error::from)?;
        s["invalid_lines"] = summary.invalid_input.into();
        s["wrong_environment_likely"] = summary.wrong_environment_likely().into();
        outln!("{}", serde_json::json!({ "summary": s }))?;
    } else {
        print_summary(&summary, &args, &resolved, lists_saved)?;
    }
    if let Some(note) = journal_note.filter(|n| !n.is_empty()) {
        warn(&note);
    }
    resolved.finish().await;
    Ok(if lists_saved {
        exit_code(&summary)
    } else {
        exit::FAILED
    })
}

/// The batch engine's settings from the options.
fn options(args: &BatchArgs) -> BatchOptions {
    BatchOptions {
        connections: match args.connections {
            Connections::Fixed(n) => n.max(1),
            Connections::Auto => pushlab::client::AUTO_MAX_CONNECTIONS,
        },
        auto_connections: args.connections == Connections::Auto,
        max_in_flight: args.max_in_flight.max(1),
        resend_unconfirmed: args.resend_unconfirmed,
        deadline: args.deadline.map(Duration::from_secs),
        ..Default::default()
    }
}

/// Streamed: lines are read as the batch needs them; every line that is not blank or a
/// comment becomes one input, a push or an invalid-input entry with its number.
fn inputs(
    tokens: Box<dyn std::io::BufRead + Send>,
    shared_payload: Option<bytes::Bytes>,
    mut payload_lines: Option<LinesByNumber<Box<dyn std::io::BufRead + Send>>>,
    headers: &HeaderArgs,
    topic: Option<String>,
) -> impl Iterator<Item = BatchInput> + use<> {
    let push_type = headers.push_type;
    let priority = headers.priority;
    // The headers are the same for every line: read once, not once a line. Bad ones make
    // every line invalid with the same reason, as when each line read them.
    let apns_headers = headers.apns_headers(topic).map_err(|e| format!("{e:#}"));
    // Only a relative expiration (`+60`) needs the clock, read for each push as it is made.
    let needs_clock = matches!(
        apns_headers,
        Ok(pushlab::apns::Headers {
            expiration: pushlab::apns::Expiration::In(_),
            ..
        })
    );
    TokenListReader::new(tokens).map(move |entry| -> BatchInput {
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
            (None, Some(lines)) => payload_for(lines, &listed, push_type, priority),
            (None, None) => Err("no payload".to_owned()),
        };
        let made = payload.and_then(|payload| {
            let headers = apns_headers.as_ref().map_err(Clone::clone)?;
            let now = if needs_clock {
                time::OffsetDateTime::now_utc().unix_timestamp()
            } else {
                0
            };
            headers
                .notification(listed.token.clone(), push_type, payload, now)
                .map_err(|e| format!("{:#}", anyhow::Error::from(e)))
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
    })
}

/// The lists take their files' names only now, complete; an old file stays until then.
/// Whether every list asked for was saved; what was not is said as an error (the batch then
/// ends with exit code 2, after its summary).
fn save_lists(lists: Option<Lists>) -> bool {
    let Some(lists) = lists else {
        return true;
    };
    let mut saved = lists.write_error.is_none();
    if let Some(e) = lists.write_error {
        say(&format!("could not write a token list: {e}"));
    }
    for (list, what) in [
        (lists.dead, "dead tokens"),
        (lists.bad, "BadDeviceToken tokens"),
    ] {
        if let Some(Err(e)) = list.map(OutputFile::commit) {
            say(&format!(
                "the {what} were not saved: {}",
                super::output_problem(&e)
            ));
            saved = false;
        }
    }
    saved
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
